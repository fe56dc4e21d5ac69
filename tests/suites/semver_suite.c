/*
 * semver_suite.c - engine/lib/semver against the tables of
 * ../shared/testsuites/semver, read at run time (the data is not copied).
 *
 * masterminds-constraints.json (Masterminds/semver v3, and Flux's own
 * ImagePolicy cases) is checked section by section; every row must pass
 * or be listed in KNOWN_TSV (section<TAB>index<TAB>input<TAB>reason), and
 * a listed row that passes, or that does not exist, fails the run (the
 * yaml-deviations.tsv policy). node-semver-ranges.json is npm's grammar,
 * not Flux's: its figures are printed, never asserted.
 *
 * usage: semver_suite SUITE_DIR KNOWN_TSV
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/semver.h"

#include "known.h"

static known_list knowns;

typedef struct tally {
	const char *section;
	int total, pass, na;
} tally;

/* Records one row's outcome; `input` names the row in the known list. */
static void outcome(tally *t, size_t index, const char *input, bool ok,
                    const char *why)
{
	char key[128], label[1024];
	known_entry *k;
	known_fmt(key, sizeof(key), "%s\t%zu", t->section, index);
	known_fmt(label, sizeof(label), "%s[%zu] '%s'", t->section, index,
	          input);
	t->total++;
	if (ok)
		t->pass++;
	switch (known_outcome(&knowns, key, input, ok, label, &k)) {
	case KNOWN_LISTED:
		printf("  known  %s: %s\n", label, k->field[3]);
		break;
	case KNOWN_BUG:
		printf("  BUG    %s: %s\n", label, why);
		break;
	case KNOWN_PASS:
	case KNOWN_STALE:
		break;
	}
}

static void report(const tally *t, const char *note)
{
	printf("%-30s %3d/%-3d pass", t->section, t->pass, t->total);
	if (t->na)
		printf(", %d not applicable", t->na);
	if (note)
		printf(" (%s)", note);
	printf("\n");
}

static const char *str(json_t *row, const char *key)
{
	const char *s = json_string_value(json_object_get(row, key));
	return s ? s : "";
}

static pl_semver_range *range(const char *s)
{
	pl_semver_range *r = NULL;
	pl_error err;
	pl_error_clear(&err);
	if (pl_semver_range_new(&r, s, strlen(s), &err) != 0)
		return NULL;
	return r;
}

static unsigned parser_flags(const char *parser)
{
	if (strncmp(parser, "StrictNewVersion", 16) == 0)
		return PL_SEMVER_STRICT;
	if (strstr(parser, "CoerceNewVersion=false"))
		return PL_SEMVER_ALLOW_V | PL_SEMVER_ALLOW_PARTIAL;
	return PL_SEMVER_LOOSE;
}

static bool version(pl_semver *v, const char *s, unsigned flags)
{
	return pl_semver_parse(v, s, strlen(s), flags, NULL) == 0;
}

/* constraint_checks and validate_error_messages: does the version satisfy
 * the constraint (with IncludePrerelease when the row sets it)? */
static void check_rows(json_t *rows, const char *section, bool validate)
{
	tally t = {section, 0, 0, 0};
	json_t *row;
	size_t i;
	json_array_foreach(rows, i, row)
	{
		char input[600];
		const char *c = str(row, "constraint"),
		           *vs = str(row, "version");
		bool inc = json_is_true(
		        json_object_get(row, "include_prerelease"));
		bool want = validate ? false
		                     : json_is_true(json_object_get(
		                               row, "expected"));
		unsigned flags = parser_flags(str(row, "version_parser"));
		pl_semver_range *r = range(c);
		pl_semver v;
		snprintf(input, sizeof(input), "%s | %s%s", c, vs,
		         inc ? " | include_prerelease" : "");
		if (!r) {
			outcome(&t, i, input, false, "range rejected");
		} else if (!version(&v, vs, flags)) {
			outcome(&t, i, input, false, "version rejected");
		} else {
			bool got = pl_semver_range_match_opt(
			        r, &v, inc ? PL_SEMVER_INCLUDE_PRERELEASE : 0);
			outcome(&t, i, input, got == want,
			        got ? "satisfies, want not"
			            : "does not satisfy");
		}
		pl_semver_range_free(r);
	}
	report(&t, validate ? "only the verdict; message texts are "
	                      "Masterminds' own"
	                    : "include_prerelease rows use "
	                      "PL_SEMVER_INCLUDE_PRERELEASE");
}

static void parse_rows(json_t *rows, const char *section, const char *key,
                       bool counts)
{
	tally t = {section, 0, 0, 0};
	json_t *row;
	size_t i;
	json_array_foreach(rows, i, row)
	{
		const char *c = str(row, key);
		bool want = json_is_true(json_object_get(row, "valid"));
		pl_semver_range *r = range(c);
		bool ok = (r != NULL) == want;
		if (ok && r && counts) {
			json_int_t og = json_integer_value(
			        json_object_get(row, "or_groups"));
			json_int_t and0 = json_integer_value(json_object_get(
			        row, "and_terms_in_first_group"));
			ok = pl_semver_range_alternatives(r) == (size_t)og &&
			     pl_semver_range_comparators(r, 0) == (size_t)and0;
		}
		outcome(&t, i, c, ok,
		        r ? (want ? "wrong group counts" : "accepted")
		          : "rejected");
		pl_semver_range_free(r);
	}
	report(&t,
	       counts ? "validity, '||' and first-group counts" : "validity");
}

/* Versions on which two spellings of a range must agree. */
static const char *const probes[] = {
        "0.0.0",      "0.0.1-alpha", "0.1.0",  "1.0.0",   "1.1.1",  "1.5.0",
        "2.0.0-beta", "2.0.0",       "2.5.0",  "3.0.0",   "3.1.0",  "4.0.0",
        "4.5.0",      "5.0.0",       "5.1.0",  "5.1.1",   "5.7.0",  "7.0.0",
        "40.50.60",   "40.50.61",    "50.0.0", "50.70.0", "99.0.0",
};

static bool same_meaning(const char *a, const char *b)
{
	pl_semver_range *ra = range(a), *rb = range(b);
	bool ok = ra && rb &&
	          pl_semver_range_alternatives(ra) ==
	                  pl_semver_range_alternatives(rb);
	size_t i;
	for (i = 0; ok && i < pl_semver_range_alternatives(ra); i++)
		ok = pl_semver_range_comparators(ra, i) ==
		     pl_semver_range_comparators(rb, i);
	for (i = 0; ok && i < sizeof(probes) / sizeof(probes[0]); i++) {
		pl_semver v;
		version(&v, probes[i], PL_SEMVER_STRICT);
		ok = pl_semver_range_match(ra, &v) ==
		     pl_semver_range_match(rb, &v);
	}
	pl_semver_range_free(ra);
	pl_semver_range_free(rb);
	return ok;
}

static void rewrite_rows(json_t *rows, const char *section, const char *a,
                         const char *b)
{
	tally t = {section, 0, 0, 0};
	json_t *row;
	size_t i;
	json_array_foreach(rows, i, row)
	{
		char input[600];
		snprintf(input, sizeof(input), "%s | %s", str(row, a),
		         str(row, b));
		outcome(&t, i, input, same_meaning(str(row, a), str(row, b)),
		        "the two spellings differ");
	}
	report(&t, "both spellings compile to the same groups and agree on "
	           "probe versions");
}

static void version_rows(json_t *rows)
{
	tally t = {"version_parse", 0, 0, 0};
	json_t *row;
	size_t i;
	json_array_foreach(rows, i, row)
	{
		char input[600];
		const char *s = str(row, "version");
		bool want = json_is_true(json_object_get(row, "valid"));
		pl_semver v;
		bool got = version(&v, s, parser_flags(str(row, "parser")));
		snprintf(input, sizeof(input), "%s | %.40s", s,
		         str(row, "parser"));
		outcome(&t, i, input, got == want,
		        got ? "accepted" : "rejected");
	}
	report(&t, "StrictNewVersion, NewVersion, NewVersion without coercion");
}

static void coerce_rows(json_t *rows)
{
	tally t = {"coerce_string", 0, 0, 0};
	json_t *row;
	size_t i;
	json_array_foreach(rows, i, row)
	{
		const char *s = str(row, "version");
		char got[700] = "(rejected)";
		pl_semver v;
		if (version(&v, s, PL_SEMVER_LOOSE))
			snprintf(got, sizeof(got), "%llu.%llu.%llu%s%.*s%s%.*s",
			         (unsigned long long)v.major,
			         (unsigned long long)v.minor,
			         (unsigned long long)v.patch,
			         v.pre_len ? "-" : "", (int)v.pre_len,
			         v.pre ? v.pre : "", v.build_len ? "+" : "",
			         (int)v.build_len, v.build ? v.build : "");
		outcome(&t, i, s, strcmp(got, str(row, "expected")) == 0, got);
	}
	report(&t, "loose parse, printed back");
}

static void compare_rows(json_t *rows)
{
	tally t = {"version_compare", 0, 0, 0};
	json_t *row;
	size_t i;
	json_array_foreach(rows, i, row)
	{
		char input[600];
		const char *op = str(row, "op");
		json_t *want = json_object_get(row, "expected");
		pl_semver a, b;
		bool ok;
		int d;
		snprintf(input, sizeof(input), "%s | %s | %s", str(row, "v1"),
		         op, str(row, "v2"));
		if (!version(&a, str(row, "v1"), PL_SEMVER_LOOSE) ||
		    !version(&b, str(row, "v2"), PL_SEMVER_LOOSE)) {
			outcome(&t, i, input, false, "version rejected");
			continue;
		}
		d = pl_semver_cmp(&a, &b);
		if (strcmp(op, "Compare") == 0)
			ok = d == (int)json_integer_value(want);
		else if (strcmp(op, "LessThan") == 0)
			ok = (d < 0) == json_is_true(want);
		else if (strcmp(op, "LessThanEqual") == 0)
			ok = (d <= 0) == json_is_true(want);
		else if (strcmp(op, "GreaterThan") == 0)
			ok = (d > 0) == json_is_true(want);
		else
			ok = (d >= 0) == json_is_true(want);
		outcome(&t, i, input, ok, "wrong order");
	}
	report(&t, NULL);
}

static void latest_rows(json_t *rows)
{
	tally t = {"flux_imagepolicy_latest", 0, 0, 0};
	json_t *row, *tag;
	size_t i, j;
	json_array_foreach(rows, i, row)
	{
		json_t *tags = json_object_get(row, "tags");
		size_t n = json_array_size(tags), idx = 0;
		const char **list = calloc(n + 1, sizeof(char *));
		pl_semver_range *r = range(str(row, "range"));
		bool want_err =
		        json_is_true(json_object_get(row, "expect_error"));
		bool ok;
		int rc;
		if (!list)
			exit(3);
		json_array_foreach(tags, j, tag)
		{
			list[j] = json_string_value(tag);
		}
		rc = r ? pl_semver_latest(r, list, n, &idx) : -1;
		if (want_err)
			ok = rc != 0;
		else
			ok = rc == 0 &&
			     strcmp(list[idx], str(row, "expected_latest")) ==
			             0;
		outcome(&t, i, str(row, "label"), ok, "wrong tag picked");
		pl_semver_range_free(r);
		free(list);
	}
	report(&t, "range + tags -> the tag Flux picks");
}

/* --- node-semver: npm's grammar, figures only ------------------------- */

static void node_ranges(json_t *fixtures, const char *name, bool want)
{
	json_t *cases =
	        json_object_get(json_object_get(fixtures, name), "cases");
	json_t *row;
	size_t i;
	int agree = 0, differ = 0, norange = 0, nover = 0, loose = 0;
	json_array_foreach(cases, i, row)
	{
		json_t *o = json_object_get(row, "options_normalized");
		pl_semver_range *r;
		pl_semver v;
		if (json_is_true(json_object_get(o, "loose"))) {
			loose++;
			continue;
		}
		r = range(str(row, "range"));
		if (!r) {
			norange++;
		} else if (!version(&v, str(row, "version"), PL_SEMVER_LOOSE)) {
			nover++;
		} else {
			bool inc = json_is_true(
			        json_object_get(o, "includePrerelease"));
			bool got = pl_semver_range_match_opt(
			        r, &v, inc ? PL_SEMVER_INCLUDE_PRERELEASE : 0);
			if (got == want)
				agree++;
			else
				differ++;
		}
		pl_semver_range_free(r);
	}
	printf("node-semver %-17s %3d agree, %3d differ, %3d ranges npm-only, "
	       "%d versions rejected, %d loose-mode rows skipped\n",
	       name, agree, differ, norange, nover, loose);
}

static void node_versions(json_t *fixtures)
{
	json_t *row;
	size_t i;
	int gt = 0, gtn = 0, eq = 0, eqn = 0, valid = 0, validn = 0, inv = 0,
	    invn = 0;
	json_array_foreach(
	        json_object_get(json_object_get(fixtures, "comparisons"),
	                        "cases"),
	        i, row)
	{
		pl_semver a, b;
		if (json_is_true(json_object_get(row, "loose")))
			continue;
		gtn++;
		if (version(&a, str(row, "v1"), PL_SEMVER_LOOSE) &&
		    version(&b, str(row, "v2"), PL_SEMVER_LOOSE) &&
		    pl_semver_cmp(&a, &b) > 0)
			gt++;
	}
	json_array_foreach(
	        json_object_get(json_object_get(fixtures, "equality"), "cases"),
	        i, row)
	{
		pl_semver a, b;
		if (json_is_true(json_object_get(row, "loose")))
			continue;
		eqn++;
		if (version(&a, str(row, "v1"), PL_SEMVER_LOOSE) &&
		    version(&b, str(row, "v2"), PL_SEMVER_LOOSE) &&
		    pl_semver_cmp(&a, &b) == 0)
			eq++;
	}
	json_array_foreach(
	        json_object_get(json_object_get(fixtures, "valid-versions"),
	                        "cases"),
	        i, row)
	{
		pl_semver a;
		validn++;
		if (version(&a, str(row, "version"), PL_SEMVER_STRICT) &&
		    a.major == (uint64_t)json_integer_value(
		                       json_object_get(row, "major")))
			valid++;
	}
	json_array_foreach(
	        json_object_get(json_object_get(fixtures, "invalid-versions"),
	                        "cases"),
	        i, row)
	{
		pl_semver a;
		const char *s =
		        json_string_value(json_object_get(row, "value"));
		invn++;
		if (!s || !version(&a, s, PL_SEMVER_STRICT))
			inv++;
	}
	printf("node-semver comparisons       %d/%d v1 > v2 (strict rows)\n",
	       gt, gtn);
	printf("node-semver equality          %d/%d v1 == v2 (strict rows)\n",
	       eq, eqn);
	printf("node-semver valid-versions    %d/%d parse strictly\n", valid,
	       validn);
	printf("node-semver invalid-versions  %d/%d rejected strictly\n", inv,
	       invn);
}

static json_t *load(const char *dir, const char *name)
{
	char path[4096];
	json_error_t e;
	json_t *doc;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	doc = json_load_file(path, 0, &e);
	if (!doc) {
		fprintf(stderr, "semver_suite: %s: %s\n", path, e.text);
		exit(2);
	}
	return doc;
}

int main(int argc, char **argv)
{
	json_t *m, *n;
	int bad;

	if (argc != 3) {
		fprintf(stderr, "usage: semver_suite SUITE_DIR KNOWN_TSV\n");
		return 2;
	}
	known_load(&knowns, argv[2], 4, 2);
	m = load(argv[1], "masterminds-constraints.json");
	check_rows(json_object_get(m, "constraint_checks"), "constraint_checks",
	           false);
	check_rows(json_object_get(m, "validate_error_messages"),
	           "validate_error_messages", true);
	parse_rows(json_object_get(m, "single_constraint_parse"),
	           "single_constraint_parse", "input", false);
	parse_rows(json_object_get(m, "constraint_parse"), "constraint_parse",
	           "constraint", true);
	rewrite_rows(json_object_get(m, "range_rewrite"), "range_rewrite",
	             "input", "rewritten");
	rewrite_rows(json_object_get(m, "constraint_string"),
	             "constraint_string", "constraint", "string");
	version_rows(json_object_get(m, "version_parse"));
	coerce_rows(json_object_get(m, "coerce_string"));
	compare_rows(json_object_get(m, "version_compare"));
	parse_rows(json_object_get(m, "flux_imagepolicy_range_parse"),
	           "flux_imagepolicy_range_parse", "range", false);
	latest_rows(json_object_get(m, "flux_imagepolicy_latest"));
	json_decref(m);

	n = load(argv[1], "node-semver-ranges.json");
	printf("-- node-semver 7 (npm grammar; printed, not asserted)\n");
	node_ranges(json_object_get(n, "fixtures"), "range-include", true);
	node_ranges(json_object_get(n, "fixtures"), "range-exclude", false);
	node_versions(json_object_get(n, "fixtures"));
	json_decref(n);

	bad = known_finish(&knowns);
	printf("semver suite: %d known deviations, %d bugs, %d stale "
	       "entries\n",
	       knowns.listed, knowns.bugs, knowns.stale);
	known_free(&knowns);
	return bad ? 1 : 0;
}
