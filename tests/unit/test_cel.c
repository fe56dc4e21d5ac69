/*
 * test_cel.c - engine/cel: what a CRD rule author relies on. Values and
 * precedence, CEL's error semantics (strict functions, && and || that
 * absorb an error, overflow, no implicit conversion), error columns,
 * the cost limit, nesting limits, and that the parser reads only the
 * bytes it is given. The cel-spec conformance tests run in
 * tests/suites/cel_suite.c.
 */
#include "testlib.h"

#include "cel/cel.h"

/* A regex engine for the tests of find() and findAll(): the pattern is
 * a literal, "" matches everywhere, "!" is a broken pattern. What the
 * tests prove is how engine/cel walks the matches; real patterns run in
 * tests/cli/cel.sh. */
static int literal_find(void *ud, const char *pat, size_t plen, const char *s,
                        size_t slen, size_t from, size_t *start, size_t *end,
                        char *msg, size_t msize)
{
	size_t i;

	(void)ud;
	if (plen == 1 && pat[0] == '!') {
		snprintf(msg, msize, "broken pattern");
		return -1;
	}
	for (i = from; i + plen <= slen; i++)
		if (!memcmp(s + i, pat, plen)) {
			*start = i;
			*end = i + plen;
			return 1;
		}
	return 0;
}

/* Evaluates src; fills *text with the printed value or "error: msg". */
static int run(const char *src, size_t len, uint64_t limit, char *text,
               size_t size, pl_error *err)
{
	pl_arena a;
	pl_cel_env env;
	pl_cel_ast *ast;
	const pl_cel_val *v;
	pl_buf b;
	int rc;

	pl_arena_init(&a);
	memset(&env, 0, sizeof env);
	env.cost_limit = limit;
	env.regex = literal_find;
	pl_error_clear(err);
	rc = pl_cel_parse(&ast, &a, src, len, &env, err);
	if (!rc)
		rc = pl_cel_eval(&v, ast, &env, &a, err);
	pl_buf_init(&b, 0);
	if (rc)
		pl_buf_addf(&b, "error: %s", err->msg);
	else
		pl_cel_format(&b, v);
	snprintf(text, size, "%s", b.ptr);
	pl_buf_release(&b);
	pl_arena_release(&a);
	return rc;
}

struct value_case {
	const char *src, *want;
};

static void test_cel__values_and_precedence(void **state)
{
	static const struct value_case cases[] = {
	        {"1 + 2 * 3 - 4 / 2 % 3", "5"},
	        {"-9223372036854775808", "-9223372036854775808"},
	        {"0x10u + 1u == 17 && 0x10 + 1 == 17", "true"},
	        {"1 == 1.0 && 1u == 1 && [1, 2] == [1.0, 2u]", "true"},
	        {"'a' < 'b' ? r'\\d' : '''x'''", "\"\\\\d\""},
	        {"b'\\xff'.size()", "1"},
	        {"'héllo'.size()", "5"},
	        {"{'k': [1, 2]}.k[1]", "2"},
	        {"3 in [1, 2, 3] && 'a' in {'a': 1}", "true"},
	        {"[1, 2, 3].filter(x, x > 1).map(x, x * 10)", "[20, 30]"},
	        {"[1, 2].exists_one(x, x == 2) && !has({}.a)", "true"},
	        {"type(1u) == uint && string(1.5) == '1.5'", "true"},
	        {"'a,b'.split(',').join('-').upperAscii()", "\"A-B\""},
	        {"duration('1h') > duration('59m')", "true"},
	};
	char got[256];
	pl_error err;
	size_t i;
	bool ok = true;

	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		if (run(cases[i].src, strlen(cases[i].src), 0, got, sizeof got,
		        &err) != 0 ||
		    strcmp(got, cases[i].want) != 0) {
			print_error("%s: got %s, want %s\n", cases[i].src, got,
			            cases[i].want);
			ok = false;
		}
	}
	assert_true(ok);
}

struct error_case {
	const char *src;
	int rc;
	unsigned col;
	const char *msg;
};

static void test_cel__find_and_find_all_walk_the_matches(void **state)
{
	static const struct value_case cases[] = {
	        {"'a-b-c'.find('-')", "\"-\""},
	        {"'abc'.find('x')", "\"\""},
	        {"'a-b-c'.findAll('-')", "[\"-\", \"-\"]"},
	        {"'a-b-c'.findAll('-', 1)", "[\"-\"]"},
	        {"'a-b-c'.findAll('-', 0)", "[]"},
	        {"'a-b-c'.findAll('-', -1)", "[\"-\", \"-\"]"},
	        {"'aaa'.findAll('aa')", "[\"aa\"]"},
	        /* an empty pattern matches between characters, not bytes */
	        {"'hé'.findAll('')", "[\"\", \"\", \"\"]"},
	        {"''.findAll('x')", "[]"},
	};
	static const struct error_case errors[] = {
	        {"'abc'.find('!')", PL_ERULE, 6,
	         "invalid regex: broken pattern"},
	        {"'abc'.findAll('a', 1u)", PL_ERULE, 6,
	         "no such overload: findAll"},
	        {"'abc'.find(1)", PL_ERULE, 6, "no such overload: find"},
	};
	char got[256];
	pl_error err;
	size_t i;
	bool ok = true;

	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		if (run(cases[i].src, strlen(cases[i].src), 0, got, sizeof got,
		        &err) != 0 ||
		    strcmp(got, cases[i].want) != 0) {
			print_error("%s: got %s, want %s\n", cases[i].src, got,
			            cases[i].want);
			ok = false;
		}
	}
	for (i = 0; i < PL_ARRAY_SIZE(errors); i++) {
		int rc = run(errors[i].src, strlen(errors[i].src), 0, got,
		             sizeof got, &err);
		if (rc != errors[i].rc || err.pos.col != errors[i].col ||
		    !strstr(got, errors[i].msg)) {
			print_error("%s: rc %d col %u %s, want %d col %u %s\n",
			            errors[i].src, rc, err.pos.col, got,
			            errors[i].rc, errors[i].col, errors[i].msg);
			ok = false;
		}
	}
	assert_true(ok);
}

static void test_cel__quantities_are_exact(void **state)
{
	static const struct value_case cases[] = {
	        {"quantity('1.5Gi')", "quantity(\"1610612736\")"},
	        {"quantity('1k') == quantity('1000')", "true"},
	        {"quantity('1Ki') == quantity('1024') && "
	         "quantity('1Ki') != quantity('1k')",
	         "true"},
	        {"quantity('100m').isLessThan(quantity('0.1001'))", "true"},
	        {"quantity('1Gi').isGreaterThan(quantity('1G'))", "true"},
	        {"quantity('512Mi').compareTo(quantity('0.5Gi'))", "0"},
	        {"quantity('2e3').asInteger()", "2000"},
	        {"quantity('250m').isInteger()", "false"},
	        {"quantity('250m').asApproximateFloat()", "0.25"},
	        {"quantity('-1.25m')", "quantity(\"-0.00125\")"},
	        {"quantity('-3').sign()", "-1"},
	        {"quantity('1Gi').add(quantity('512Mi')).sub(1)",
	         "quantity(\"1610612735\")"},
	        {"type(quantity('1')) == type(quantity('2k'))", "true"},
	        {"isQuantity('1Gb') || isQuantity('1 Gi') || isQuantity('')",
	         "false"},
	        /* right spelling, beyond plumb's int64 mantissa */
	        {"isQuantity('12Ei') && isQuantity('+.5') && isQuantity('1.')",
	         "true"},
	};
	static const struct error_case errors[] = {
	        {"quantity('12Ei')", PL_ERULE, 1, "quantity out of range"},
	        {"quantity('1Gb')", PL_ERULE, 1, "not a quantity"},
	        {"quantity('0.5').asInteger()", PL_ERULE, 16,
	         "cannot convert value to integer"},
	        {"quantity('4Ei').add(quantity('4Ei'))", PL_ERULE, 16,
	         "quantity overflow"},
	        {"quantity('1') < quantity('2')", PL_ERULE, 15, "overload"},
	};
	char got[256];
	pl_error err;
	size_t i;
	bool ok = true;

	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		if (run(cases[i].src, strlen(cases[i].src), 0, got, sizeof got,
		        &err) != 0 ||
		    strcmp(got, cases[i].want) != 0) {
			print_error("%s: got %s, want %s\n", cases[i].src, got,
			            cases[i].want);
			ok = false;
		}
	}
	for (i = 0; i < PL_ARRAY_SIZE(errors); i++) {
		int rc = run(errors[i].src, strlen(errors[i].src), 0, got,
		             sizeof got, &err);
		if (rc != errors[i].rc || err.pos.col != errors[i].col ||
		    !strstr(got, errors[i].msg)) {
			print_error("%s: rc %d col %u %s, want %d col %u %s\n",
			            errors[i].src, rc, err.pos.col, got,
			            errors[i].rc, errors[i].col, errors[i].msg);
			ok = false;
		}
	}
	assert_true(ok);
}

static void test_cel__ip_and_cidr_basic_forms(void **state)
{
	static const struct value_case cases[] = {
	        {"ip('10.0.0.1').family() == 4 && ip('fd00::1').family() == 6",
	         "true"},
	        {"ip('fd00:0::1')", "ip(\"fd00::1\")"},
	        {"string(ip('10.0.0.1')) == '10.0.0.1'", "true"},
	        {"ip('127.0.0.1').isLoopback() && ip('::1').isLoopback()",
	         "true"},
	        /* private addresses are global unicast, as in Go */
	        {"ip('0.0.0.0').isUnspecified() && "
	         "ip('10.0.0.1').isGlobalUnicast()",
	         "true"},
	        {"ip('169.254.1.1').isLinkLocalUnicast() && "
	         "ip('fe80::1').isLinkLocalUnicast()",
	         "true"},
	        {"ip('224.0.0.251').isLinkLocalMulticast() && "
	         "ip('ff02::fb').isLinkLocalMulticast()",
	         "true"},
	        {"ip('255.255.255.255').isGlobalUnicast() || "
	         "ip('224.1.1.1').isGlobalUnicast()",
	         "false"},
	        {"isIP('010.0.0.1') || isIP('fe80::1%eth0') || "
	         "isIP('::ffff:10.0.0.1') || isIP('10.0.0')",
	         "false"},
	        {"cidr('10.0.0.1/8').ip() == ip('10.0.0.1')", "true"},
	        {"cidr('10.1.2.3/8').masked()", "cidr(\"10.0.0.0/8\")"},
	        {"cidr('10.0.0.0/8').prefixLength()", "8"},
	        {"cidr('10.0.0.0/8').containsIP('10.255.0.1') && "
	         "!cidr('10.0.0.0/8').containsIP(ip('11.0.0.1'))",
	         "true"},
	        {"cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16') && "
	         "!cidr('10.1.0.0/16').containsCIDR(cidr('10.0.0.0/8'))",
	         "true"},
	        {"cidr('fd00::/8').containsIP('fd12::1') && "
	         "!cidr('fd00::/8').containsIP('10.0.0.1')",
	         "true"},
	        {"isCIDR('10.0.0.0/33') || isCIDR('10.0.0.0/08') || "
	         "isCIDR('10.0.0.0')",
	         "false"},
	        {"type(ip('::1')) != type(cidr('::1/128'))", "true"},
	};
	static const struct error_case errors[] = {
	        {"ip('10.0.0.256')", PL_ERULE, 1, "not an IP address"},
	        {"cidr('10.0.0.0/40')", PL_ERULE, 1, "not a CIDR"},
	        {"cidr('10.0.0.0/8').containsIP('x')", PL_ERULE, 19,
	         "not an IP address"},
	};
	char got[256];
	pl_error err;
	size_t i;
	bool ok = true;

	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		if (run(cases[i].src, strlen(cases[i].src), 0, got, sizeof got,
		        &err) != 0 ||
		    strcmp(got, cases[i].want) != 0) {
			print_error("%s: got %s, want %s\n", cases[i].src, got,
			            cases[i].want);
			ok = false;
		}
	}
	for (i = 0; i < PL_ARRAY_SIZE(errors); i++) {
		int rc = run(errors[i].src, strlen(errors[i].src), 0, got,
		             sizeof got, &err);
		if (rc != errors[i].rc || err.pos.col != errors[i].col ||
		    !strstr(got, errors[i].msg)) {
			print_error("%s: rc %d col %u %s, want %d col %u %s\n",
			            errors[i].src, rc, err.pos.col, got,
			            errors[i].rc, errors[i].col, errors[i].msg);
			ok = false;
		}
	}
	assert_true(ok);
}

static void test_cel__errors_name_their_column(void **state)
{
	static const struct error_case cases[] = {
	        {"1 + 9223372036854775807", PL_ERULE, 3, "overflow"},
	        {"1 / 0", PL_ERULE, 3, "division by zero"},
	        {"1 + 1u", PL_ERULE, 3, "no such overload"},
	        {"{}.a", PL_ERULE, 3, "no such key"},
	        {"[1][5]", PL_ERULE, 4, "index out of bounds"},
	        {"int('x')", PL_ERULE, 1, "cannot convert"},
	        {"1 +", PL_EPARSE, 4, "unexpected end"},
	        {"'abc", PL_EPARSE, 1, "unterminated string"},
	        {"a.if", PL_EPARSE, 0, NULL}, /* a reserved word */
	        {"if", PL_EPARSE, 1, "reserved identifier"},
	        {"{'a': 1, 'a': 2}", PL_ERULE, 10, "repeated key"},
	};
	char got[256];
	pl_error err;
	size_t i;
	bool ok = true;

	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		const struct error_case *c = &cases[i];
		int rc = run(c->src, strlen(c->src), 0, got, sizeof got, &err);
		if (!c->msg) {
			/* `a.if` selects a field named if: it parses */
			if (rc == PL_EPARSE) {
				print_error("%s: %s\n", c->src, err.msg);
				ok = false;
			}
			continue;
		}
		if (rc != c->rc || err.pos.col != c->col ||
		    !strstr(err.msg, c->msg)) {
			print_error("%s: rc %d col %u '%s', want rc %d col %u "
			            "'%s'\n",
			            c->src, rc, err.pos.col, err.msg, c->rc,
			            c->col, c->msg);
			ok = false;
		}
	}
	assert_true(ok);
}

static void test_cel__and_or_absorb_errors(void **state)
{
	static const struct value_case cases[] = {
	        {"1/0 == 1 || true", "true"},
	        {"true || 1/0 == 1", "true"},
	        {"1/0 == 1 && false", "false"},
	        {"[1, 0].exists(x, 1/x == 1)", "true"},
	        {"[1, 0].all(x, 1/x == 2)", "false"},
	};
	char got[256];
	pl_error err;
	size_t i;
	bool ok = true;

	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		run(cases[i].src, strlen(cases[i].src), 0, got, sizeof got,
		    &err);
		if (strcmp(got, cases[i].want) != 0) {
			print_error("%s: got %s, want %s\n", cases[i].src, got,
			            cases[i].want);
			ok = false;
		}
	}
	/* an error that nothing absorbs is the result */
	assert_int_equal(run("1/0 == 1 || false", 17, 0, got, sizeof got, &err),
	                 PL_ERULE);
	assert_true(ok);
}

static void test_cel__cost_limit_stops_runaway_rules(void **state)
{
	const char *l = "[0,1,2,3,4,5,6,7,8,9]";
	char src[512], got[256];
	pl_error err;

	(void)state;
	snprintf(src, sizeof src,
	         "%s.all(a, %s.all(b, %s.all(c, %s.all(d, %s.all(e, %s.all("
	         "f, a + b + c + d + e + f >= 0))))))",
	         l, l, l, l, l, l);
	/* 10^6 iterations and more steps: stopped, not finished */
	assert_int_equal(run(src, strlen(src), 0, got, sizeof got, &err),
	                 PL_ELIMIT);
	assert_non_null(strstr(err.msg, "cost limit"));
	/* the same rule fits a small list */
	assert_int_equal(run("[1].all(a, [1].all(b, a + b > 0))", 33, 100, got,
	                     sizeof got, &err),
	                 0);
	assert_string_equal(got, "true");
	assert_int_equal(
	        run("[1, 2, 3].map(x, x)", 19, 3, got, sizeof got, &err),
	        PL_ELIMIT);
}

static void test_cel__limits_refuse_hostile_input(void **state)
{
	size_t n = 5000, i;
	char *deep = malloc(2 * n + 2), got[256];
	pl_error err;

	(void)state;
	assert_non_null(deep);
	for (i = 0; i < n; i++) {
		deep[i] = '(';
		deep[n + 1 + i] = ')';
	}
	deep[n] = '1';
	deep[2 * n + 1] = '\0';
	assert_int_equal(run(deep, 2 * n + 1, 0, got, sizeof got, &err),
	                 PL_EPARSE);
	assert_non_null(strstr(err.msg, "nested too deeply"));
	for (i = 0; i < n; i++)
		deep[i] = '!';
	deep[n] = 'x';
	assert_int_equal(run(deep, n + 1, 0, got, sizeof got, &err), PL_EPARSE);
	free(deep);
	/* a.a.a... : a select chain is nesting too (it crashed a
	 * recursive name walk at 200000 links before it was bounded) */
	n = 200000;
	deep = malloc(2 * n + 2);
	assert_non_null(deep);
	deep[0] = 'a';
	for (i = 0; i < n; i++) {
		deep[1 + 2 * i] = '.';
		deep[2 + 2 * i] = 'a';
	}
	deep[2 * n + 1] = '\0';
	assert_int_equal(run(deep, 2 * n + 1, 0, got, sizeof got, &err),
	                 PL_EPARSE);
	assert_non_null(strstr(err.msg, "nested too deeply"));
	free(deep);
}

static void test_cel__reads_only_len_bytes(void **state)
{
	char got[256];
	pl_error err;

	(void)state;
	/* "1 + 2" followed by garbage the parser must not see */
	assert_int_equal(run("1 + 2 ???", 5, 0, got, sizeof got, &err), 0);
	assert_string_equal(got, "3");
	/* a NUL inside the expression is a character, not its end */
	assert_int_equal(run("1\0+", 3, 0, got, sizeof got, &err), PL_EPARSE);
	assert_int_equal(err.pos.col, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_cel__values_and_precedence),
	        cmocka_unit_test(test_cel__errors_name_their_column),
	        cmocka_unit_test(test_cel__find_and_find_all_walk_the_matches),
	        cmocka_unit_test(test_cel__quantities_are_exact),
	        cmocka_unit_test(test_cel__ip_and_cidr_basic_forms),
	        cmocka_unit_test(test_cel__and_or_absorb_errors),
	        cmocka_unit_test(test_cel__cost_limit_stops_runaway_rules),
	        cmocka_unit_test(test_cel__limits_refuse_hostile_input),
	        cmocka_unit_test(test_cel__reads_only_len_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
