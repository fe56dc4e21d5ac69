/*
 * test_semver.c - engine/lib/semver: version parsing (strict, loose,
 * Flux tags), precedence, Flux ImagePolicy range matching, error columns,
 * limits, and what a range admits (upper bound, more than one major).
 *
 * Each test is a table of cases; every failing case is printed before the
 * test fails, so one run shows them all. The Masterminds and Flux tables
 * themselves run in tests/suites/semver_suite.c.
 */
#include "testlib.h"

#include "lib/semver.h"

static pl_semver_range *compile(const char *s)
{
	pl_semver_range *r = NULL;
	pl_error err;
	pl_error_clear(&err);
	if (pl_semver_range_new(&r, s, strlen(s), &err) != 0) {
		print_error("range '%s': %s (col %u)\n", s, err.msg,
		            err.pos.col);
		return NULL;
	}
	return r;
}

static bool same_text(const char *p, size_t n, const char *want)
{
	return strlen(want) == n && (n == 0 || memcmp(p, want, n) == 0);
}

struct parse_case {
	const char *in;
	unsigned flags;
	bool ok;
	uint64_t major, minor, patch;
	const char *pre, *build;
};

#define STRICT PL_SEMVER_STRICT
#define LOOSE  PL_SEMVER_LOOSE

static void run_parse(const struct parse_case *cases, size_t n)
{
	size_t i, failed = 0;
	for (i = 0; i < n; i++) {
		const struct parse_case *c = &cases[i];
		pl_semver v;
		bool ok = pl_semver_parse(&v, c->in, strlen(c->in), c->flags,
		                          NULL) == 0;
		if (ok != c->ok) {
			print_error("parse '%s' (flags %u): %s, want %s\n",
			            c->in, c->flags, ok ? "valid" : "invalid",
			            c->ok ? "valid" : "invalid");
			failed++;
			continue;
		}
		if (ok && (v.major != c->major || v.minor != c->minor ||
		           v.patch != c->patch ||
		           !same_text(v.pre, v.pre_len, c->pre) ||
		           !same_text(v.build, v.build_len, c->build))) {
			print_error(
			        "parse '%s': got %llu.%llu.%llu-'%.*s'+'%.*s'"
			        "\n",
			        c->in, (unsigned long long)v.major,
			        (unsigned long long)v.minor,
			        (unsigned long long)v.patch, (int)v.pre_len,
			        v.pre ? v.pre : "", (int)v.build_len,
			        v.build ? v.build : "");
			failed++;
		}
	}
	if (failed)
		fail_msg("%zu of %zu cases failed", failed, n);
}

static void test_semver__strict_parse_is_semver_2(void **state)
{
	static const struct parse_case cases[] = {
	        {"1.2.3", STRICT, true, 1, 2, 3, "", ""},
	        {"0.0.0", STRICT, true, 0, 0, 0, "", ""},
	        {"1.2.3-alpha.1+build.01", STRICT, true, 1, 2, 3, "alpha.1",
	         "build.01"},
	        {"1.2.3-alpha.-1", STRICT, true, 1, 2, 3, "alpha.-1", ""},
	        {"1.2.3-0abc", STRICT, true, 1, 2, 3, "0abc", ""},
	        {"1.2.3-rc1-with-hyphen", STRICT, true, 1, 2, 3,
	         "rc1-with-hyphen", ""},
	        {"1.2.3+a-b.c", STRICT, true, 1, 2, 3, "", "a-b.c"},
	        {"v1.2.3", STRICT, false, 0, 0, 0, "", ""},
	        {"1.2", STRICT, false, 0, 0, 0, "", ""},
	        {"1.2.3.4", STRICT, false, 0, 0, 0, "", ""},
	        {"01.2.3", STRICT, false, 0, 0, 0, "", ""},
	        {"1.2.3-01", STRICT, false, 0, 0, 0, "", ""},
	        {"1.2.3-alpha..1", STRICT, false, 0, 0, 0, "", ""},
	        {"1.2.3-", STRICT, false, 0, 0, 0, "", ""},
	        {"1.2.3+", STRICT, false, 0, 0, 0, "", ""},
	        {"1.2.3+a+b", STRICT, false, 0, 0, 0, "", ""},
	        {"1.2.3-a_b", STRICT, false, 0, 0, 0, "", ""},
	        {" 1.2.3", STRICT, false, 0, 0, 0, "", ""},
	        {"1.2.3 ", STRICT, false, 0, 0, 0, "", ""},
	        {"", STRICT, false, 0, 0, 0, "", ""},
	        {"latest", STRICT, false, 0, 0, 0, "", ""},
	};
	(void)state;
	run_parse(cases, PL_ARRAY_SIZE(cases));
}

static void test_semver__loose_parse_coerces_like_newversion(void **state)
{
	static const struct parse_case cases[] = {
	        {"v1.2.3", LOOSE, true, 1, 2, 3, "", ""},
	        {"1", LOOSE, true, 1, 0, 0, "", ""},
	        {"v1.2", LOOSE, true, 1, 2, 0, "", ""},
	        {"1.2-beta.5", LOOSE, true, 1, 2, 0, "beta.5", ""},
	        {"01.02.03", LOOSE, true, 1, 2, 3, "", ""},
	        {"20221209-update-renovatejson-v4", LOOSE, true, 20221209, 0, 0,
	         "update-renovatejson-v4", ""},
	        {"1.2.3-beta.01", LOOSE, false, 0, 0, 0, "", ""},
	        {"1.2.beta", LOOSE, false, 0, 0, 0, "", ""},
	        {"vv1", LOOSE, false, 0, 0, 0, "", ""},
	        {"V1.2.3", LOOSE, false, 0, 0, 0, "", ""},
	        {"01.1.1", PL_SEMVER_ALLOW_V | PL_SEMVER_ALLOW_PARTIAL, false,
	         0, 0, 0, "", ""},
	        {"v1", PL_SEMVER_ALLOW_V | PL_SEMVER_ALLOW_PARTIAL, true, 1, 0,
	         0, "", ""},
	};
	(void)state;
	run_parse(cases, PL_ARRAY_SIZE(cases));
}

static void test_semver__numbers_beyond_64_bits_are_invalid(void **state)
{
	static const struct parse_case cases[] = {
	        {"18446744073709551615.0.0", STRICT, true, UINT64_MAX, 0, 0, "",
	         ""},
	        {"0.18446744073709551615.0", STRICT, true, 0, UINT64_MAX, 0, "",
	         ""},
	        {"18446744073709551616.0.0", STRICT, false, 0, 0, 0, "", ""},
	        {"0.0.99999999999999999999", STRICT, false, 0, 0, 0, "", ""},
	        /* a prerelease number may be as long as it likes */
	        {"1.0.0-99999999999999999999", STRICT, true, 1, 0, 0,
	         "99999999999999999999", ""},
	};
	(void)state;
	run_parse(cases, PL_ARRAY_SIZE(cases));
}

static void test_semver__tag_drops_one_v_then_is_strict(void **state)
{
	static const struct {
		const char *tag;
		bool ok;
	} cases[] = {
	        {"1.2.3", true},    {"v1.2.3", true},   {"v1.2.3-rc.1", true},
	        {"vv1.2.3", false}, {"V1.2.3", false},  {"1.2", false},
	        {"v1", false},      {"1.0.0.1", false}, {"1.0.0p", false},
	        {"b1.2.3", false},  {"latest", false},  {"01.2.3", false},
	        {"v", false},       {"", false},
	};
	size_t i, failed = 0;
	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		pl_semver v;
		bool ok = pl_semver_tag(&v, cases[i].tag, strlen(cases[i].tag),
		                        NULL) == 0;
		if (ok != cases[i].ok) {
			print_error("tag '%s': %s\n", cases[i].tag,
			            ok ? "accepted" : "rejected");
			failed++;
		}
	}
	if (failed)
		fail_msg("%zu cases failed", failed);
}

static void test_semver__errors_name_the_part_and_its_column(void **state)
{
	static const struct {
		const char *in;
		bool tag;
		uint32_t col;
		const char *msg;
	} cases[] = {
	        {"1.2", true, 4,
	         "invalid version '1.2': want major.minor.patch"},
	        {"v1.02.3", true, 4, "'02' has a leading zero"},
	        {"1.2.3-alpha.01", true, 13,
	         "prerelease identifier '01' has a leading zero"},
	        {"1.2.3+a..b", true, 9, "empty build metadata identifier"},
	        {"1.2.3-a_b", true, 8, "'_' cannot appear in prerelease"},
	        {"latest", true, 1, "'latest' is not a number"},
	        {"1.2.3.4", true, 6, "more than three numbers"},
	        {"", true, 1, "empty version"},
	        {"1.18446744073709551616.0", true, 3, "is too large"},
	};
	size_t i, failed = 0;
	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		pl_semver v;
		pl_error err;
		pl_error_clear(&err);
		if (pl_semver_tag(&v, cases[i].in, strlen(cases[i].in), &err) ==
		            0 ||
		    err.pos.line != 1 || err.pos.col != cases[i].col ||
		    !strstr(err.msg, cases[i].msg)) {
			print_error("'%s': %u:%u '%s', want 1:%u '%s'\n",
			            cases[i].in, err.pos.line, err.pos.col,
			            err.msg, cases[i].col, cases[i].msg);
			failed++;
		}
	}
	if (failed)
		fail_msg("%zu cases failed", failed);
}

static void test_semver__precedence_follows_semver_2_section_11(void **state)
{
	static const struct {
		const char *a, *b;
		int want;
	} cases[] = {
	        {"1.0.0", "2.0.0", -1},
	        {"2.0.0", "2.1.0", -1},
	        {"2.1.0", "2.1.1", -1},
	        {"1.0.0-alpha", "1.0.0", -1},
	        {"1.0.0-alpha", "1.0.0-alpha.1", -1},
	        {"1.0.0-alpha.1", "1.0.0-alpha.beta", -1},
	        {"1.0.0-alpha.beta", "1.0.0-beta", -1},
	        {"1.0.0-beta", "1.0.0-beta.2", -1},
	        {"1.0.0-beta.2", "1.0.0-beta.11", -1},
	        {"1.0.0-beta.11", "1.0.0-rc.1", -1},
	        {"1.0.0-rc.1", "1.0.0", -1},
	        {"1.0.0+a", "1.0.0+b", 0},
	        {"1.0.0-beta.-2", "1.0.0-beta.-3", -1},
	        {"1.0.0-2", "1.0.0-10", -1},
	        {"1.0.0-SNAPSHOT.99", "1.0.0-SNAPSHOT.103", -1},
	        {"1.0.0-SNAPSHOT.103", "1.0.0-SNAPSHOT.FOO", -1},
	        {"18446744073709551615.0.0", "1.0.0", 1},
	        /* numbers past 64 bits compare as text, as in Masterminds */
	        {"1.0.0-99999999999999999999", "1.0.0-alpha", -1},
	        {"1.0.0-18446744073709551615", "1.0.0-99999999999999999999",
	         -1},
	};
	size_t i, failed = 0;
	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		pl_semver a, b;
		int ab, ba;
		assert_int_equal(pl_semver_parse(&a, cases[i].a,
		                                 strlen(cases[i].a), STRICT,
		                                 NULL),
		                 0);
		assert_int_equal(pl_semver_parse(&b, cases[i].b,
		                                 strlen(cases[i].b), STRICT,
		                                 NULL),
		                 0);
		ab = pl_semver_cmp(&a, &b);
		ba = pl_semver_cmp(&b, &a);
		if (ab != cases[i].want || ba != -cases[i].want) {
			print_error("cmp(%s, %s) = %d / %d, want %d\n",
			            cases[i].a, cases[i].b, ab, ba,
			            cases[i].want);
			failed++;
		}
	}
	if (failed)
		fail_msg("%zu cases failed", failed);
}

struct match_case {
	const char *range, *version;
	bool want;
};

static void run_match(const struct match_case *cases, size_t n, unsigned fl)
{
	size_t i, failed = 0;
	for (i = 0; i < n; i++) {
		pl_semver_range *r = compile(cases[i].range);
		pl_semver v;
		bool got;
		if (!r) {
			failed++;
			continue;
		}
		assert_int_equal(pl_semver_parse(&v, cases[i].version,
		                                 strlen(cases[i].version),
		                                 LOOSE, NULL),
		                 0);
		got = pl_semver_range_match_opt(r, &v, fl);
		if (got != cases[i].want) {
			print_error("'%s' %s '%s', want the opposite\n",
			            cases[i].version,
			            got ? "satisfies" : "does not satisfy",
			            cases[i].range);
			failed++;
		}
		pl_semver_range_free(r);
	}
	if (failed)
		fail_msg("%zu of %zu cases failed", failed, n);
}

static void test_semver__comparison_operators(void **state)
{
	static const struct match_case cases[] = {
	        {"=1.2.3", "1.2.3", true},
	        {"1.2.3", "1.2.4", false},
	        {"!=1.2.3", "1.2.4", true},
	        {"!=1.2.3", "1.2.3", false},
	        {">1.2.3", "1.2.4", true},
	        {">1.2.3", "1.2.3", false},
	        {"<1.2.3", "1.2.2", true},
	        {"<1.2.3", "1.2.3", false},
	        {">=1.2.3", "1.2.3", true},
	        {"=>1.2.3", "1.2.2", false},
	        {"<=1.2.3", "1.2.3", true},
	        {"=<1.2.3", "1.2.4", false},
	        {"> 1.2.3", "2.0.0", true},
	        {">=v1.2.3", "1.2.3", true},
	        {"=1.2.3+build", "1.2.3", true},
	        {"=1.2.3", "1.2.3+other", true},
	};
	(void)state;
	run_match(cases, PL_ARRAY_SIZE(cases), 0);
}

static void test_semver__and_or_tilde_caret(void **state)
{
	static const struct match_case cases[] = {
	        {">=1.1 <2", "1.5.0", true},
	        {">=1.1, <2", "2.0.0", false},
	        {">=1.1,<2,!=1.2.3", "1.2.3", false},
	        {">= 1.1 , < 2", "1.1.0", true},
	        {"<1 || >=3", "3.0.0", true},
	        {"<1 || >=3", "2.0.0", false},
	        {"~1.2.3", "1.2.9", true},
	        {"~1.2.3", "1.3.0", false},
	        {"~>1.2", "1.2.0", true},
	        {"~1", "1.9.0", true},
	        {"~1", "2.0.0", false},
	        {"^1.2.3", "1.9.9", true},
	        {"^1.2.3", "2.0.0", false},
	        {"^0.2.3", "0.2.9", true},
	        {"^0.2.3", "0.3.0", false},
	        {"^0.0.3", "0.0.4", false},
	        {"^0", "0.9.0", true},
	};
	(void)state;
	run_match(cases, PL_ARRAY_SIZE(cases), 0);
}

static void test_semver__wildcards_and_partial_versions(void **state)
{
	static const struct match_case cases[] = {
	        {"*", "9.9.9", true},
	        {"x", "0.0.0", true},
	        {"1.x", "1.9.0", true},
	        {"1.X", "2.0.0", false},
	        {"1.2.*", "1.2.7", true},
	        {"1.2.*", "1.3.0", false},
	        {"1", "1.5.5", true},
	        {"1.2", "1.2.5", true},
	        {"1.2", "1.3.0", false},
	        {">1", "1.9.0", false},
	        {">1", "2.0.0", true},
	        {">1.2", "1.2.9", false},
	        {">1.2", "1.3.0", true},
	        {"<=1", "1.9.9", true},
	        {"<=1.2", "1.2.9", true},
	        {"<=1.2", "1.3.0", false},
	        {"<1.x", "1.0.0", false},
	        {"!=1.x", "1.5.0", false},
	        {"!=1.x", "2.0.0", true},
	        {"1.x.|", "1.1.0", true},
	        /* Masterminds quirks Flux inherits */
	        {"^*", "1.0.0", false},
	        {"<=*", "0.1.0", false},
	        {"~*", "3.0.0", true},
	};
	(void)state;
	run_match(cases, PL_ARRAY_SIZE(cases), 0);
}

static void test_semver__hyphen_ranges(void **state)
{
	static const struct match_case cases[] = {
	        {"1.2 - 1.4.5", "1.4.5", true},
	        {"1.2 - 1.4.5", "1.4.6", false},
	        {"1.2 - 1.4", "1.4.9", true},
	        {"1 - 2", "2.9.9", true},
	        {"1 - 2 || 5 - 6", "5.5.0", true},
	        {"1.0.0 - 2.0.0, <=1.5.0", "1.6.0", false},
	        {"1.0.0 - 2.0.0 3.0.0 - 4.0.0", "1.5.0", false},
	        /* the rewrite runs before '||' splits: `>=1 || 2, <=3` */
	        {"1||2 - 3", "4.0.0", true},
	        /* no spaces: a prerelease, not a hyphen range */
	        {"1.1-3", "4.3.2", false},
	};
	(void)state;
	run_match(cases, PL_ARRAY_SIZE(cases), 0);
}

static void
test_semver__prerelease_needs_an_alternative_naming_one(void **state)
{
	static const struct match_case cases[] = {
	        {">=1.0.0", "1.5.0-rc.1", false},
	        {"*", "1.0.0-alpha", false},
	        {"*-0", "1.0.0-alpha", true},
	        {">=1.0.0-0", "1.5.0-rc.1", true},
	        {">=1.0.0 <=2.0.0-beta", "1.0.1-beta", true},
	        {">=1.0.0 <=2.0.0-beta || >3", "3.0.1-beta", false},
	        {"^1.2.0", "1.2.1-alpha.1", false},
	        {"^1.2.0-alpha.0", "1.2.1-alpha.1", true},
	        {"~1.2.3-beta.2", "1.2.4-beta.2", true},
	        {"!=4.1-alpha", "4.1.1-alpha", false},
	        {"!=4.1-alpha", "4.1.0", true},
	        {">0-0", "0.0.1-alpha", false},
	        {">=0-0", "0.0.1-alpha", true},
	        {"2.x-0", "2.0.0-pre.0", true},
	};
	(void)state;
	run_match(cases, PL_ARRAY_SIZE(cases), 0);
}

static void test_semver__include_prerelease_flag(void **state)
{
	static const struct match_case cases[] = {
	        {">=1.1", "4.1.0-beta", true},
	        {"~1.1", "1.1.1-alpha", true},
	        {"= 2.0", "2.0.1-beta", true},
	        {"^1.1.1-beta", "1.1.1-alpha", false},
	        {">1.2.3", "1.2.3-beta.1", false},
	        /* unlike npm, an x-range starts at its release */
	        {"2.x", "2.0.0-pre.0", false},
	};
	(void)state;
	run_match(cases, PL_ARRAY_SIZE(cases), PL_SEMVER_INCLUDE_PRERELEASE);
}

static void test_semver__range_errors_name_token_and_column(void **state)
{
	static const struct {
		const char *range;
		uint32_t col;
		const char *msg;
	} cases[] = {
	        {"", 1, "empty range"},
	        {"   ", 1, "empty range"},
	        {"1.2.x.3", 1, "invalid version '1.2.x.3' in range"},
	        {">=1.0 <x1", 8, "invalid version 'x1' in range"},
	        {"1.0.0p", 1, "invalid version '1.0.0p' in range"},
	        {"^1.0 || 2.x.y", 9, "invalid version '2.x.y' in range"},
	        {"==1", 1, "invalid operator '==' in range"},
	        {">= ", 1, "missing version after '>=' in range"},
	        {">=1.0<2", 6, "missing ' ' or ',' before '<2' in range"},
	        {"1 ||", 3, "missing comparator after '||'"},
	        {"|| 1", 1, "missing comparator before '||'"},
	        {"1,,2", 2, "missing comparator after ','"},
	        {",1", 1, "unexpected ',' in range"},
	        {"BAR >= 1.2.3", 1, "invalid version 'BAR' in range"},
	        {"v1.2.3-beta.01", 1, "'01' has a leading zero"},
	        {"99999999999999999999", 1, "is too large"},
	        {">=1 1 - 2", 5, "hyphen range '1 - 2' must start the range"},
	        {">=1 - 2", 3, "hyphen range '1 - 2' must start the range"},
	        {"1 - x1", 5, "invalid version 'x1' in range"},
	        /* columns count code points, not bytes */
	        {"\xc3\xa9 >=1", 1, "invalid version '\xc3\xa9' in range"},
	        {">=1 \xc3\xa9", 5, "invalid version '\xc3\xa9' in range"},
	        {"1 \x01", 3, "invalid version '\\x01' in range"},
	};
	size_t i, failed = 0;
	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		pl_semver_range *r = NULL;
		pl_error err;
		pl_error_clear(&err);
		if (pl_semver_range_new(&r, cases[i].range,
		                        strlen(cases[i].range), &err) == 0 ||
		    r != NULL || err.code != PL_EPARSE || err.pos.line != 1 ||
		    err.pos.col != cases[i].col ||
		    !strstr(err.msg, cases[i].msg)) {
			print_error("'%s': %u:%u '%s', want 1:%u '%s'\n",
			            cases[i].range, err.pos.line, err.pos.col,
			            err.msg, cases[i].col, cases[i].msg);
			failed++;
		}
		pl_semver_range_free(r);
	}
	if (failed)
		fail_msg("%zu cases failed", failed);
}

static void test_semver__limits_refuse_hostile_ranges(void **state)
{
	char buf[PL_SEMVER_RANGE_MAX + 2];
	pl_semver_range *r = NULL;
	pl_error err;
	size_t n;
	(void)state;

	/* 256 comparators in 511 bytes is fine, one byte more is not */
	for (n = 0; n + 2 <= PL_SEMVER_RANGE_MAX; n += 2)
		memcpy(buf + n, "1 ", 2);
	assert_int_equal(pl_semver_range_new(&r, buf, n - 1, &err), 0);
	assert_int_equal(pl_semver_range_comparators(r, 0), 256);
	pl_semver_range_free(r);
	memset(buf, '1', sizeof(buf));
	assert_int_equal(
	        pl_semver_range_new(&r, buf, PL_SEMVER_RANGE_MAX + 1, &err),
	        PL_EPARSE);
	assert_null(r);
	assert_int_equal(err.pos.col, PL_SEMVER_RANGE_MAX + 1);
	assert_non_null(strstr(err.msg, "longer than 512 bytes"));

	/* 32 alternatives, then 33 */
	for (n = 0; n < 31; n++)
		memcpy(buf + 4 * n, "1 ||", 4);
	memcpy(buf + 4 * n, "1", 2);
	assert_int_equal(pl_semver_range_new(&r, buf, strlen(buf), &err), 0);
	assert_int_equal(pl_semver_range_alternatives(r), 32);
	pl_semver_range_free(r);
	memcpy(buf + 4 * n, "1 ||1", 6);
	assert_int_equal(pl_semver_range_new(&r, buf, strlen(buf), &err),
	                 PL_EPARSE);
	assert_int_equal(err.pos.col, 4 * 31 + 3);
	assert_non_null(strstr(err.msg, "more than 32 alternatives"));

	/* columns count code points: 32 of "\xc3\xa9||", then one more */
	for (n = 0; n < 33; n++)
		memcpy(buf + 4 * n, "\xc3\xa9||", 4);
	assert_int_equal(pl_semver_range_new(&r, buf, 4 * 33, &err), PL_EPARSE);
	assert_int_equal(err.pos.col, 32 + 2 * 31 + 1);
	assert_int_equal(err.pos.offset, 4 * 32 - 2);

	/* a comparator's version over 256 bytes */
	memset(buf, 'a', 300);
	memcpy(buf, "1.0.0-", 6);
	assert_int_equal(pl_semver_range_new(&r, buf, 300, &err), PL_EPARSE);
	assert_non_null(strstr(err.msg, "longer than 256 bytes"));
	assert_int_equal(
	        pl_semver_parse(&(pl_semver){0}, buf, 300, LOOSE, &err),
	        PL_EPARSE);
}

static void test_semver__reads_only_len_bytes(void **state)
{
	pl_semver_range *r = NULL;
	pl_semver v;
	(void)state;
	assert_int_equal(pl_semver_range_new(&r, "^1.2 garbage", 4, NULL), 0);
	assert_int_equal(pl_semver_parse(&v, "1.2.3.4", 5, STRICT, NULL), 0);
	assert_true(pl_semver_range_match(r, &v));
	pl_semver_range_free(r);
	pl_semver_range_free(NULL);
	assert_int_equal(pl_semver_range_new(&r, NULL, 0, NULL), PL_EPARSE);
}

static void test_semver__alternative_and_comparator_counts(void **state)
{
	static const struct {
		const char *range;
		size_t alts, first;
	} cases[] = {
	        {">= 1.1", 1, 1},
	        {">40.50.60, < 50.70", 1, 2},
	        {">= 1.2.3 < 2.0 || => 3.0 < 4", 2, 2},
	        {"3 - 4 || => 3.0, < 4", 2, 2},
	        {"1.0.0 - 2.0.0, <=2.0.0", 1, 3},
	};
	size_t i, failed = 0;
	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		pl_semver_range *r = compile(cases[i].range);
		if (!r || pl_semver_range_alternatives(r) != cases[i].alts ||
		    pl_semver_range_comparators(r, 0) != cases[i].first) {
			print_error("'%s': wrong counts\n", cases[i].range);
			failed++;
		}
		pl_semver_range_free(r);
	}
	if (failed)
		fail_msg("%zu cases failed", failed);
}

struct admits_case {
	const char *range;
	bool want;
};

static void run_admits(const struct admits_case *cases, size_t n,
                       bool (*fn)(const pl_semver_range *), const char *what)
{
	size_t i, failed = 0;
	for (i = 0; i < n; i++) {
		pl_semver_range *r = compile(cases[i].range);
		if (!r || fn(r) != cases[i].want) {
			print_error("%s('%s') should be %s\n", what,
			            cases[i].range,
			            cases[i].want ? "true" : "false");
			failed++;
		}
		pl_semver_range_free(r);
	}
	if (failed)
		fail_msg("%zu of %zu cases failed", failed, n);
}

static void test_semver__upper_bound(void **state)
{
	static const struct admits_case cases[] = {
	        {">=1.0.0", false},
	        {"*", false},
	        {">1", false},
	        {"!=1.2.3", false},
	        {"1.x || >=3", false},
	        {"~*", false},
	        {">=1.0.0 <2.0.0", true},
	        {"<2.0.0", true},
	        {"^1.2", true},
	        {"~1.2.3", true},
	        {"1.x", true},
	        {"1.0.0 - 2.0.0", true},
	        {"<=1", true},
	        {"1.x || 2.x", true},
	        {">2 <1", true}, /* nothing satisfies it */
	        {">=18446744073709551615.0.0", false},
	        {"<18446744073709551615.0.0", true},
	};
	(void)state;
	run_admits(cases, PL_ARRAY_SIZE(cases), pl_semver_range_has_upper_bound,
	           "has_upper_bound");
}

static void test_semver__spans_majors(void **state)
{
	static const struct admits_case cases[] = {
	        {">=1.0.0", true},
	        {">=1.0 <3.0", true},
	        {"*", true},
	        {"1.x || 2.x", true},
	        {"<2.0.0", true}, /* 0.x and 1.x */
	        {"1.0.0 - 2.0.0", true},
	        {">=1.9.0 <=2.0.0-0", true},
	        /* 2.0.0-alpha is below 2.0.0-rc.1 and the range names a
	         * prerelease, so it satisfies */
	        {">=1.0.0-0 <2.0.0-rc.1", true},
	        {">=1.0.0-0 <3.0.0 !=2.x", true}, /* 3.0.0-alpha */
	        {"^1.2", false},
	        {"~1.2.3", false},
	        {"1.x", false},
	        {"0.x", false},
	        {"~1", false},
	        {"^0", false},
	        /* 2.0.0-alpha is below 2.0.0 but names no prerelease */
	        {">=1.0.0 <2.0.0", false},
	        {">=1.0.0 <2.0.0-0", false},
	        {">=1.0.0 <3.0.0 !=2.x", false},
	        {">=1.0.0-0 <3.0.0-0 !=2.x", false},
	        {">=2.0.0-0 <2.0.0", false},
	        {">2 <1", false},
	        {"^*", false},
	};
	(void)state;
	run_admits(cases, PL_ARRAY_SIZE(cases), pl_semver_range_spans_majors,
	           "spans_majors");
}

static void test_semver__latest_picks_the_tag_flux_picks(void **state)
{
	static const struct {
		const char *range;
		const char *tags[8];
		int want; /* index, or -1: none qualifies */
	} cases[] = {
	        {"1.0.x", {"1.0.0", "1.0.0.1", "1.0.0p", "1.0.1", "1.2.0"}, 3},
	        {"1.0.x", {"v1.2.3", "v1.0.0", "v0.1.0"}, 1},
	        {"^1", {"1.0.0", "v1.0.0", "1.0.0+b"}, 0}, /* first of equals */
	        {"^1", {"1.5.0-rc.1", "1.4.0", "latest"}, 1},
	        {">=1.0.0-0", {"1.5.0-rc.1", "1.4.0"}, 0},
	        {"1.0.x", {"b1.0.0", "1.2.0"}, -1},
	        {"1.0.x", {NULL}, -1},
	};
	size_t i, failed = 0;
	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		pl_semver_range *r = compile(cases[i].range);
		size_t n = 0, idx = 99;
		int rc;
		while (n < 8 && cases[i].tags[n])
			n++;
		rc = r ? pl_semver_latest(r, cases[i].tags, n, &idx) : -1;
		if ((cases[i].want < 0 && rc != PL_ENOTFOUND) ||
		    (cases[i].want >= 0 &&
		     (rc != 0 || idx != (size_t)cases[i].want))) {
			print_error("latest('%s') = %d/%zu, want %d\n",
			            cases[i].range, rc, idx, cases[i].want);
			failed++;
		}
		pl_semver_range_free(r);
	}
	if (failed)
		fail_msg("%zu cases failed", failed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_semver__strict_parse_is_semver_2),
	        cmocka_unit_test(
	                test_semver__loose_parse_coerces_like_newversion),
	        cmocka_unit_test(
	                test_semver__numbers_beyond_64_bits_are_invalid),
	        cmocka_unit_test(test_semver__tag_drops_one_v_then_is_strict),
	        cmocka_unit_test(
	                test_semver__errors_name_the_part_and_its_column),
	        cmocka_unit_test(
	                test_semver__precedence_follows_semver_2_section_11),
	        cmocka_unit_test(test_semver__comparison_operators),
	        cmocka_unit_test(test_semver__and_or_tilde_caret),
	        cmocka_unit_test(test_semver__wildcards_and_partial_versions),
	        cmocka_unit_test(test_semver__hyphen_ranges),
	        cmocka_unit_test(
	                test_semver__prerelease_needs_an_alternative_naming_one),
	        cmocka_unit_test(test_semver__include_prerelease_flag),
	        cmocka_unit_test(
	                test_semver__range_errors_name_token_and_column),
	        cmocka_unit_test(test_semver__limits_refuse_hostile_ranges),
	        cmocka_unit_test(test_semver__reads_only_len_bytes),
	        cmocka_unit_test(
	                test_semver__alternative_and_comparator_counts),
	        cmocka_unit_test(test_semver__upper_bound),
	        cmocka_unit_test(test_semver__spans_majors),
	        cmocka_unit_test(test_semver__latest_picks_the_tag_flux_picks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
