/*
 * test_scalar.c - scalar resolution under YAML 1.2 (core schema) and
 * YAML 1.1, the YAML11_DIFFERS flag, explicit tags and integer overflow.
 *
 * Each test is a table of cases; every mismatching case is printed with
 * its style, tag and text before the test fails, so one run shows them all.
 */
#include "testlib.h"

#include <math.h>

#include "tree/scalar.h"

struct scalar_case {
	const char *in;
	pl_style style;
	const char *tag;
	pl_type type12; /* n->type */
	pl_type type11; /* n->type11 */
	unsigned flags; /* exactly these of DIFF, TAG and OVF */
	int64_t i;      /* INT value; BOOL: 1 for true */
	double f;       /* FLOAT value, or an overflowing INT's estimate */
};

#define DIFF       PL_NODE_YAML11_DIFFERS
#define TAG        PL_NODE_TAGGED
#define OVF        PL_NODE_INT_OVERFLOW
#define CORE(name) "tag:yaml.org,2002:" name

/* An untagged plain scalar: text, 1.2 type, 1.1 type, flags, values. */
#define PLAIN(in, t12, t11, fl, i, f)                                          \
	{                                                                      \
		in, PL_STYLE_PLAIN, NULL, PL_TYPE_##t12, PL_TYPE_##t11, fl, i, \
		        f                                                      \
	}
/* Any other scalar: text, style, tag, type (type11 is the same). */
#define OTHER(in, style, tag, t, fl, i, f)                                     \
	{                                                                      \
		in, PL_STYLE_##style, tag, PL_TYPE_##t, PL_TYPE_##t, fl, i, f  \
	}

static const char *style_name(pl_style s)
{
	switch (s) {
	case PL_STYLE_PLAIN:
		return "plain";
	case PL_STYLE_SINGLE:
		return "single-quoted";
	case PL_STYLE_DOUBLE:
		return "double-quoted";
	case PL_STYLE_LITERAL:
		return "literal";
	case PL_STYLE_FOLDED:
		return "folded";
	default:
		return "other-style";
	}
}

static bool same_double(double a, double b)
{
	return a == b || (isnan(a) && isnan(b));
}

/* Resolves one case as the loader would; prints what differs. */
static bool check_case(const struct scalar_case *c)
{
	pl_node n;
	bool ok = true;
	const char *tag = c->tag ? c->tag : "no tag";

	memset(&n, 0, sizeof(n));
	n.kind = PL_NODE_SCALAR;
	n.style = (uint8_t)c->style;
	n.tag = c->tag;
	n.u.scalar.str = c->in;
	n.u.scalar.len = strlen(c->in);
	pl_scalar_resolve(&n);

	if (n.type != c->type12 || n.type11 != c->type11) {
		print_error("%s %s \"%s\": type %s/%s, want %s/%s\n",
		            style_name(c->style), tag, c->in,
		            pl_type_name(n.type), pl_type_name(n.type11),
		            pl_type_name(c->type12), pl_type_name(c->type11));
		ok = false;
	}
	if (n.flags != c->flags) {
		print_error("%s %s \"%s\": flags %#x, want %#x\n",
		            style_name(c->style), tag, c->in, n.flags,
		            c->flags);
		ok = false;
	}
	/* an int that overflows keeps only its approximate value, in f */
	if (c->type12 == PL_TYPE_INT && !(c->flags & OVF) &&
	    n.u.scalar.i != c->i) {
		print_error("%s %s \"%s\": int %lld, want %lld\n",
		            style_name(c->style), tag, c->in,
		            (long long)n.u.scalar.i, (long long)c->i);
		ok = false;
	}
	if ((c->type12 == PL_TYPE_FLOAT || (c->flags & OVF)) &&
	    !same_double(n.u.scalar.f, c->f)) {
		print_error("%s %s \"%s\": float %.17g, want %.17g\n",
		            style_name(c->style), tag, c->in, n.u.scalar.f,
		            c->f);
		ok = false;
	}
	if (c->type12 == PL_TYPE_BOOL && n.u.scalar.b != (c->i != 0)) {
		print_error("%s %s \"%s\": bool %d, want %d\n",
		            style_name(c->style), tag, c->in, n.u.scalar.b,
		            c->i != 0);
		ok = false;
	}
	return ok;
}

/* Untagged plain cases also go through pl_scalar_type12/11. */
static bool check_types(const struct scalar_case *c)
{
	size_t len = strlen(c->in);
	pl_type t12 = pl_scalar_type12(c->in, len);
	pl_type t11 = pl_scalar_type11(c->in, len);

	if (t12 == c->type12 && t11 == c->type11)
		return true;
	print_error("pl_scalar_type12/11(\"%s\") = %s/%s, want %s/%s\n", c->in,
	            pl_type_name(t12), pl_type_name(t11),
	            pl_type_name(c->type12), pl_type_name(c->type11));
	return false;
}

static void check_cases(const struct scalar_case *cases, size_t n)
{
	size_t i, failed = 0;

	for (i = 0; i < n; i++) {
		bool ok = check_case(&cases[i]);

		if (!cases[i].tag && cases[i].style == PL_STYLE_PLAIN)
			ok = check_types(&cases[i]) && ok;
		if (!ok)
			failed++;
	}
	if (failed) {
		print_error("%zu of %zu cases failed\n", failed, n);
		fail();
	}
}

#define CHECK(cases) check_cases(cases, PL_ARRAY_SIZE(cases))

/* --- null and bool ---------------------------------------------------- */

static void test_scalar__null_forms(void **state)
{
	static const struct scalar_case cases[] = {
	        PLAIN("", NULL, NULL, 0, 0, 0),
	        PLAIN("~", NULL, NULL, 0, 0, 0),
	        PLAIN("null", NULL, NULL, 0, 0, 0),
	        PLAIN("Null", NULL, NULL, 0, 0, 0),
	        PLAIN("NULL", NULL, NULL, 0, 0, 0),
	        PLAIN("nUll", STRING, STRING, 0, 0, 0),
	        PLAIN("NULl", STRING, STRING, 0, 0, 0),
	        PLAIN("nulls", STRING, STRING, 0, 0, 0),
	        PLAIN("nul", STRING, STRING, 0, 0, 0),
	        PLAIN("~~", STRING, STRING, 0, 0, 0),
	        /* the 1.1 "(empty)" null is the empty text, not a word */
	        PLAIN("empty", STRING, STRING, 0, 0, 0),
	};
	(void)state;
	CHECK(cases);
}

static void test_scalar__true_false_are_bools_in_both(void **state)
{
	static const struct scalar_case cases[] = {
	        PLAIN("true", BOOL, BOOL, 0, 1, 0),
	        PLAIN("True", BOOL, BOOL, 0, 1, 0),
	        PLAIN("TRUE", BOOL, BOOL, 0, 1, 0),
	        PLAIN("false", BOOL, BOOL, 0, 0, 0),
	        PLAIN("False", BOOL, BOOL, 0, 0, 0),
	        PLAIN("FALSE", BOOL, BOOL, 0, 0, 0),
	        PLAIN("tRUE", STRING, STRING, 0, 0, 0),
	        PLAIN("TRue", STRING, STRING, 0, 0, 0),
	        PLAIN("truE", STRING, STRING, 0, 0, 0),
	        PLAIN("fals", STRING, STRING, 0, 0, 0),
	        PLAIN("falsey", STRING, STRING, 0, 0, 0),
	        PLAIN("t", STRING, STRING, 0, 0, 0),
	        PLAIN("f", STRING, STRING, 0, 0, 0),
	};
	(void)state;
	CHECK(cases);
}

static void test_scalar__yes_is_string_in_1_2_bool_in_1_1(void **state)
{
	static const struct scalar_case cases[] = {
	        PLAIN("y", STRING, BOOL, DIFF, 0, 0),
	        PLAIN("Y", STRING, BOOL, DIFF, 0, 0),
	        PLAIN("yes", STRING, BOOL, DIFF, 0, 0),
	        PLAIN("Yes", STRING, BOOL, DIFF, 0, 0),
	        PLAIN("YES", STRING, BOOL, DIFF, 0, 0),
	        PLAIN("n", STRING, BOOL, DIFF, 0, 0),
	        PLAIN("N", STRING, BOOL, DIFF, 0, 0),
	        PLAIN("no", STRING, BOOL, DIFF, 0, 0),
	        PLAIN("No", STRING, BOOL, DIFF, 0, 0),
	        PLAIN("NO", STRING, BOOL, DIFF, 0, 0),
	        PLAIN("on", STRING, BOOL, DIFF, 0, 0),
	        PLAIN("On", STRING, BOOL, DIFF, 0, 0),
	        PLAIN("ON", STRING, BOOL, DIFF, 0, 0),
	        PLAIN("off", STRING, BOOL, DIFF, 0, 0),
	        PLAIN("Off", STRING, BOOL, DIFF, 0, 0),
	        PLAIN("OFF", STRING, BOOL, DIFF, 0, 0),
	};
	(void)state;
	CHECK(cases);
}

static void test_scalar__mixed_case_yes_is_string_in_both(void **state)
{
	static const struct scalar_case cases[] = {
	        PLAIN("yES", STRING, STRING, 0, 0, 0),
	        PLAIN("yEs", STRING, STRING, 0, 0, 0),
	        PLAIN("YeS", STRING, STRING, 0, 0, 0),
	        PLAIN("nO", STRING, STRING, 0, 0, 0),
	        PLAIN("oN", STRING, STRING, 0, 0, 0),
	        PLAIN("oFF", STRING, STRING, 0, 0, 0),
	        PLAIN("ye", STRING, STRING, 0, 0, 0),
	        PLAIN("yess", STRING, STRING, 0, 0, 0),
	        PLAIN("onn", STRING, STRING, 0, 0, 0),
	        PLAIN("o", STRING, STRING, 0, 0, 0),
	        PLAIN("nope", STRING, STRING, 0, 0, 0),
	        PLAIN("nginx", STRING, STRING, 0, 0, 0),
	        PLAIN("app", STRING, STRING, 0, 0, 0),
	        PLAIN("=", STRING, STRING, 0, 0, 0),
	        PLAIN("<<", STRING, STRING, 0, 0, 0),
	};
	(void)state;
	CHECK(cases);
}

/* --- integers --------------------------------------------------------- */

static void test_scalar__int_forms_agree(void **state)
{
	static const struct scalar_case cases[] = {
	        PLAIN("0", INT, INT, 0, 0, 0),
	        PLAIN("-0", INT, INT, 0, 0, 0),
	        PLAIN("+0", INT, INT, 0, 0, 0),
	        PLAIN("12", INT, INT, 0, 12, 0),
	        PLAIN("+12", INT, INT, 0, 12, 0),
	        PLAIN("-12", INT, INT, 0, -12, 0),
	        PLAIN("00", INT, INT, 0, 0, 0),
	        PLAIN("07", INT, INT, 0, 7, 0),
	        PLAIN("007", INT, INT, 0, 7, 0),
	        PLAIN("0x1F", INT, INT, 0, 31, 0),
	        PLAIN("0xff", INT, INT, 0, 255, 0),
	        PLAIN("0x0", INT, INT, 0, 0, 0),
	        PLAIN("0x1e3", INT, INT, 0, 0x1e3, 0),
	        PLAIN("9223372036854775807", INT, INT, 0, INT64_MAX, 0),
	        PLAIN("-9223372036854775808", INT, INT, 0, INT64_MIN, 0),
	        PLAIN("0x7FFFFFFFFFFFFFFF", INT, INT, 0, INT64_MAX, 0),
	};
	(void)state;
	CHECK(cases);
}

static void test_scalar__leading_zero_int_is_octal_in_1_1(void **state)
{
	static const struct scalar_case cases[] = {
	        PLAIN("0755", INT, INT, DIFF, 755, 0),
	        PLAIN("-0755", INT, INT, DIFF, -755, 0),
	        PLAIN("+0644", INT, INT, DIFF, 644, 0),
	        PLAIN("010", INT, INT, DIFF, 10, 0),
	        /* not octal digits: no 1.1 int form matches */
	        PLAIN("08", INT, STRING, DIFF, 8, 0),
	        PLAIN("0009", INT, STRING, DIFF, 9, 0),
	        PLAIN("0778", INT, STRING, DIFF, 778, 0),
	};
	(void)state;
	CHECK(cases);
}

static void test_scalar__0o_octal_is_int_in_1_2_only(void **state)
{
	static const struct scalar_case cases[] = {
	        PLAIN("0o17", INT, STRING, DIFF, 15, 0),
	        PLAIN("0o0", INT, STRING, DIFF, 0, 0),
	        PLAIN("0o", STRING, STRING, 0, 0, 0),
	        PLAIN("0o8", STRING, STRING, 0, 0, 0),
	        PLAIN("0o1_7", STRING, STRING, 0, 0, 0),
	        PLAIN("-0o17", STRING, STRING, 0, 0, 0),
	        PLAIN("+0o17", STRING, STRING, 0, 0, 0),
	        PLAIN("0O17", STRING, STRING, 0, 0, 0),
	};
	(void)state;
	CHECK(cases);
}

static void test_scalar__yaml11_only_int_forms(void **state)
{
	static const struct scalar_case cases[] = {
	        PLAIN("1_000", STRING, INT, DIFF, 0, 0),
	        PLAIN("-1_000", STRING, INT, DIFF, 0, 0),
	        PLAIN("1__", STRING, INT, DIFF, 0, 0),
	        PLAIN("1_", STRING, INT, DIFF, 0, 0),
	        PLAIN("0_7", STRING, INT, DIFF, 0, 0),
	        PLAIN("0_", STRING, INT, DIFF, 0, 0),
	        PLAIN("0b101", STRING, INT, DIFF, 0, 0),
	        PLAIN("-0b101", STRING, INT, DIFF, 0, 0),
	        PLAIN("+0b1_0", STRING, INT, DIFF, 0, 0),
	        PLAIN("-0x1F", STRING, INT, DIFF, 0, 0),
	        PLAIN("+0x1F", STRING, INT, DIFF, 0, 0),
	        PLAIN("0x_1F", STRING, INT, DIFF, 0, 0),
	        PLAIN("190:20:30", STRING, INT, DIFF, 0, 0),
	        PLAIN("-1:30", STRING, INT, DIFF, 0, 0),
	        PLAIN("22:22", STRING, INT, DIFF, 0, 0),
	        PLAIN("1:5", STRING, INT, DIFF, 0, 0),
	        PLAIN("1_0:59:0", STRING, INT, DIFF, 0, 0),
	        /* 1.1 value overflows int64: still an int, still differs */
	        PLAIN("1_000_000_000_000_000_000_000", STRING, INT, DIFF, 0, 0),
	};
	(void)state;
	CHECK(cases);
}

static void test_scalar__malformed_ints_are_strings(void **state)
{
	static const struct scalar_case cases[] = {
	        PLAIN("-", STRING, STRING, 0, 0, 0),
	        PLAIN("+", STRING, STRING, 0, 0, 0),
	        PLAIN("--1", STRING, STRING, 0, 0, 0),
	        PLAIN("+-1", STRING, STRING, 0, 0, 0),
	        PLAIN("1-", STRING, STRING, 0, 0, 0),
	        PLAIN("1,000", STRING, STRING, 0, 0, 0),
	        PLAIN("_1", STRING, STRING, 0, 0, 0),
	        PLAIN("-_1", STRING, STRING, 0, 0, 0),
	        PLAIN("0x", STRING, STRING, 0, 0, 0),
	        PLAIN("0x_", STRING, STRING, 0, 0, 0),
	        PLAIN("0X1F", STRING, STRING, 0, 0, 0),
	        PLAIN("0x1G", STRING, STRING, 0, 0, 0),
	        PLAIN("0b", STRING, STRING, 0, 0, 0),
	        PLAIN("0b_", STRING, STRING, 0, 0, 0),
	        PLAIN("0b102", STRING, STRING, 0, 0, 0),
	        PLAIN("0B101", STRING, STRING, 0, 0, 0),
	        PLAIN("1:60", STRING, STRING, 0, 0, 0),
	        PLAIN("0:30", STRING, STRING, 0, 0, 0),
	        PLAIN("1:", STRING, STRING, 0, 0, 0),
	        PLAIN("1::2", STRING, STRING, 0, 0, 0),
	        PLAIN("80:80", STRING, STRING, 0, 0, 0),
	        PLAIN("1:2:", STRING, STRING, 0, 0, 0),
	        PLAIN("12abc", STRING, STRING, 0, 0, 0),
	        PLAIN("1 2", STRING, STRING, 0, 0, 0),
	};
	(void)state;
	CHECK(cases);
}

static void test_scalar__int_overflow_sets_flag(void **state)
{
	static const struct scalar_case cases[] = {
	        PLAIN("9223372036854775808", INT, INT, OVF, INT64_MAX,
	              9223372036854775808.0),
	        PLAIN("-9223372036854775809", INT, INT, OVF, INT64_MIN,
	              -9223372036854775809.0),
	        PLAIN("99999999999999999999", INT, INT, OVF, INT64_MAX, 1e20),
	        PLAIN("0x8000000000000000", INT, INT, OVF, INT64_MAX,
	              9223372036854775808.0),
	        PLAIN("0xFFFFFFFFFFFFFFFF", INT, INT, OVF, INT64_MAX,
	              18446744073709551616.0),
	        PLAIN("0x10000000000000000", INT, INT, OVF, INT64_MAX,
	              18446744073709551616.0),
	        /* 2^63 in octal: a 1.1 string */
	        PLAIN("0o1000000000000000000000", INT, STRING, OVF | DIFF,
	              INT64_MAX, 9223372036854775808.0),
	};
	(void)state;
	CHECK(cases);
}

/* --- floats ----------------------------------------------------------- */

static void test_scalar__float_forms_agree(void **state)
{
	static const struct scalar_case cases[] = {
	        PLAIN("1.10", FLOAT, FLOAT, 0, 0, 1.1),
	        PLAIN("1.5", FLOAT, FLOAT, 0, 0, 1.5),
	        PLAIN("+1.5", FLOAT, FLOAT, 0, 0, 1.5),
	        PLAIN("-1.5", FLOAT, FLOAT, 0, 0, -1.5),
	        PLAIN(".5", FLOAT, FLOAT, 0, 0, 0.5),
	        PLAIN("-.5", FLOAT, FLOAT, 0, 0, -0.5),
	        PLAIN("5.", FLOAT, FLOAT, 0, 0, 5.0),
	        PLAIN("0.0", FLOAT, FLOAT, 0, 0, 0.0),
	        PLAIN("-0.0", FLOAT, FLOAT, 0, 0, -0.0),
	        PLAIN("1.0e+3", FLOAT, FLOAT, 0, 0, 1000.0),
	        PLAIN("1.0E-3", FLOAT, FLOAT, 0, 0, 0.001),
	        PLAIN("1.e+3", FLOAT, FLOAT, 0, 0, 1000.0),
	        PLAIN("6.8523015e+5", FLOAT, FLOAT, 0, 0, 685230.15),
	        /* out of range: still a float, in both */
	        PLAIN("1.0e+999", FLOAT, FLOAT, 0, 0, INFINITY),
	};
	(void)state;
	CHECK(cases);
}

static void test_scalar__exponent_without_dot_is_string_in_1_1(void **state)
{
	static const struct scalar_case cases[] = {
	        PLAIN("1e3", FLOAT, STRING, DIFF, 0, 1000.0),
	        PLAIN("1E+3", FLOAT, STRING, DIFF, 0, 1000.0),
	        PLAIN("-1e-3", FLOAT, STRING, DIFF, 0, -0.001),
	        /* 1.1 wants a signed exponent */
	        PLAIN("1.0e3", FLOAT, STRING, DIFF, 0, 1000.0),
	        PLAIN(".5e3", FLOAT, STRING, DIFF, 0, 500.0),
	};
	(void)state;
	CHECK(cases);
}

static void test_scalar__yaml11_only_float_forms(void **state)
{
	static const struct scalar_case cases[] = {
	        PLAIN("190:20:30.15", STRING, FLOAT, DIFF, 0, 0),
	        PLAIN("-1:30.", STRING, FLOAT, DIFF, 0, 0),
	        PLAIN("0:30.5", STRING, FLOAT, DIFF, 0, 0),
	        PLAIN("1_000.5", STRING, FLOAT, DIFF, 0, 0),
	        PLAIN("1.5.", STRING, STRING, 0, 0, 0),
	        PLAIN("1:30.5:1", STRING, STRING, 0, 0, 0),
	};
	(void)state;
	CHECK(cases);
}

static void test_scalar__inf_and_nan_forms(void **state)
{
	static const struct scalar_case cases[] = {
	        PLAIN(".inf", FLOAT, FLOAT, 0, 0, INFINITY),
	        PLAIN(".Inf", FLOAT, FLOAT, 0, 0, INFINITY),
	        PLAIN(".INF", FLOAT, FLOAT, 0, 0, INFINITY),
	        PLAIN("+.inf", FLOAT, FLOAT, 0, 0, INFINITY),
	        PLAIN("-.inf", FLOAT, FLOAT, 0, 0, -INFINITY),
	        PLAIN("-.INF", FLOAT, FLOAT, 0, 0, -INFINITY),
	        PLAIN(".nan", FLOAT, FLOAT, 0, 0, NAN),
	        PLAIN(".NaN", FLOAT, FLOAT, 0, 0, NAN),
	        PLAIN(".NAN", FLOAT, FLOAT, 0, 0, NAN),
	        PLAIN(".Nan", STRING, STRING, 0, 0, 0),
	        PLAIN(".iNf", STRING, STRING, 0, 0, 0),
	        PLAIN("-.nan", STRING, STRING, 0, 0, 0),
	        PLAIN("+.nan", STRING, STRING, 0, 0, 0),
	        PLAIN("inf", STRING, STRING, 0, 0, 0),
	        PLAIN("nan", STRING, STRING, 0, 0, 0),
	        PLAIN(".infinity", STRING, STRING, 0, 0, 0),
	        PLAIN("infinity", STRING, STRING, 0, 0, 0),
	};
	(void)state;
	CHECK(cases);
}

static void test_scalar__malformed_floats_are_strings(void **state)
{
	static const struct scalar_case cases[] = {
	        PLAIN(".", STRING, STRING, 0, 0, 0),
	        PLAIN("..", STRING, STRING, 0, 0, 0),
	        PLAIN("._", STRING, STRING, 0, 0, 0),
	        PLAIN("-.", STRING, STRING, 0, 0, 0),
	        /* match the 1.1 pattern [0-9.]* but do not parse */
	        PLAIN("1.2.3", STRING, STRING, 0, 0, 0),
	        PLAIN("1.2.3.4", STRING, STRING, 0, 0, 0),
	        PLAIN("..5", STRING, STRING, 0, 0, 0),
	        PLAIN("1e", STRING, STRING, 0, 0, 0),
	        PLAIN("1e+", STRING, STRING, 0, 0, 0),
	        PLAIN("1.0e", STRING, STRING, 0, 0, 0),
	        PLAIN("1.0e+", STRING, STRING, 0, 0, 0),
	        PLAIN("e3", STRING, STRING, 0, 0, 0),
	        PLAIN(".e3", STRING, STRING, 0, 0, 0),
	        PLAIN("1.5f", STRING, STRING, 0, 0, 0),
	        PLAIN("0x1.8p1", STRING, STRING, 0, 0, 0),
	        PLAIN("1,5", STRING, STRING, 0, 0, 0),
	};
	(void)state;
	CHECK(cases);
}

/* --- timestamps ------------------------------------------------------- */

static void test_scalar__timestamp_is_string_in_1_2(void **state)
{
	static const struct scalar_case cases[] = {
	        PLAIN("2025-01-06", STRING, TIMESTAMP, DIFF, 0, 0),
	        PLAIN("2001-12-14t21:59:43.10-05:00", STRING, TIMESTAMP, DIFF,
	              0, 0),
	        PLAIN("2001-12-14T21:59:43Z", STRING, TIMESTAMP, DIFF, 0, 0),
	        PLAIN("2001-12-14 21:59:43.10 -5", STRING, TIMESTAMP, DIFF, 0,
	              0),
	        PLAIN("2001-12-14 21:59:43.10 Z", STRING, TIMESTAMP, DIFF, 0,
	              0),
	        PLAIN("2001-12-15 2:59:43.10", STRING, TIMESTAMP, DIFF, 0, 0),
	        PLAIN("2001-12-14\t\t21:59:43+01", STRING, TIMESTAMP, DIFF, 0,
	              0),
	        PLAIN("2001-1-2T1:02:03", STRING, TIMESTAMP, DIFF, 0, 0),
	        PLAIN("2001-12-14T21:59:43.", STRING, TIMESTAMP, DIFF, 0, 0),
	};
	(void)state;
	CHECK(cases);
}

static void test_scalar__near_timestamps_are_strings(void **state)
{
	static const struct scalar_case cases[] = {
	        /* a date alone needs two-digit month and day */
	        PLAIN("2001-1-2", STRING, STRING, 0, 0, 0),
	        PLAIN("2001-12-1", STRING, STRING, 0, 0, 0),
	        PLAIN("20011-12-14", STRING, STRING, 0, 0, 0),
	        PLAIN("201-12-14", STRING, STRING, 0, 0, 0),
	        PLAIN("2001-12-14x", STRING, STRING, 0, 0, 0),
	        PLAIN("2001-12-14T", STRING, STRING, 0, 0, 0),
	        PLAIN("2001-12-14T21:59", STRING, STRING, 0, 0, 0),
	        PLAIN("2001-12-14T21:59:4", STRING, STRING, 0, 0, 0),
	        PLAIN("2001-12-14T21:59:43+01:0", STRING, STRING, 0, 0, 0),
	        PLAIN("2001-12-14T21:59:43 ", STRING, STRING, 0, 0, 0),
	        PLAIN("2001-12-14T21:59:43ZZ", STRING, STRING, 0, 0, 0),
	        PLAIN("2001-123-14", STRING, STRING, 0, 0, 0),
	};
	(void)state;
	CHECK(cases);
}

/* --- styles and tags -------------------------------------------------- */

static void test_scalar__quoted_and_block_scalars_are_strings(void **state)
{
	static const struct scalar_case cases[] = {
	        OTHER("true", DOUBLE, NULL, STRING, 0, 0, 0),
	        OTHER("yes", SINGLE, NULL, STRING, 0, 0, 0),
	        OTHER("0755", SINGLE, NULL, STRING, 0, 0, 0),
	        OTHER("", DOUBLE, NULL, STRING, 0, 0, 0),
	        OTHER("null", LITERAL, NULL, STRING, 0, 0, 0),
	        OTHER("1.5", FOLDED, NULL, STRING, 0, 0, 0),
	        OTHER("2025-01-06", DOUBLE, NULL, STRING, 0, 0, 0),
	};
	(void)state;
	CHECK(cases);
}

static void test_scalar__core_tags_decide_type(void **state)
{
	static const struct scalar_case cases[] = {
	        OTHER("true", PLAIN, CORE("str"), STRING, TAG, 0, 0),
	        OTHER("123", PLAIN, CORE("str"), STRING, TAG, 0, 0),
	        OTHER("0x1F", PLAIN, CORE("int"), INT, TAG, 31, 0),
	        OTHER("0o17", PLAIN, CORE("int"), INT, TAG, 15, 0),
	        OTHER("0755", PLAIN, CORE("int"), INT, TAG, 755, 0),
	        OTHER("-12", PLAIN, CORE("int"), INT, TAG, -12, 0),
	        OTHER("42", DOUBLE, CORE("int"), INT, TAG, 42, 0),
	        OTHER("99999999999999999999", PLAIN, CORE("int"), INT,
	              TAG | OVF, INT64_MAX, 1e20),
	        OTHER("1", PLAIN, CORE("float"), FLOAT, TAG, 0, 1.0),
	        OTHER("-7", PLAIN, CORE("float"), FLOAT, TAG, 0, -7.0),
	        OTHER("0x10", PLAIN, CORE("float"), FLOAT, TAG, 0, 16.0),
	        OTHER("1.5", SINGLE, CORE("float"), FLOAT, TAG, 0, 1.5),
	        OTHER("1e3", PLAIN, CORE("float"), FLOAT, TAG, 0, 1000.0),
	        OTHER("-.inf", PLAIN, CORE("float"), FLOAT, TAG, 0, -INFINITY),
	        OTHER("true", PLAIN, CORE("bool"), BOOL, TAG, 1, 0),
	        OTHER("False", DOUBLE, CORE("bool"), BOOL, TAG, 0, 0),
	        OTHER("", PLAIN, CORE("null"), NULL, TAG, 0, 0),
	        OTHER("~", PLAIN, CORE("null"), NULL, TAG, 0, 0),
	        OTHER("NULL", SINGLE, CORE("null"), NULL, TAG, 0, 0),
	};
	(void)state;
	CHECK(cases);
}

/* A core tag whose text does not fit stays a string, without TAGGED. */
static void test_scalar__mismatched_core_tag_is_string(void **state)
{
	static const struct scalar_case cases[] = {
	        OTHER("abc", PLAIN, CORE("int"), STRING, 0, 0, 0),
	        OTHER("1.5", PLAIN, CORE("int"), STRING, 0, 0, 0),
	        OTHER("1_000", PLAIN, CORE("int"), STRING, 0, 0, 0),
	        OTHER("", PLAIN, CORE("int"), STRING, 0, 0, 0),
	        OTHER("abc", PLAIN, CORE("float"), STRING, 0, 0, 0),
	        OTHER("1.2.3", PLAIN, CORE("float"), STRING, 0, 0, 0),
	        OTHER("yes", PLAIN, CORE("bool"), STRING, 0, 0, 0),
	        OTHER("1", PLAIN, CORE("bool"), STRING, 0, 0, 0),
	        OTHER("x", PLAIN, CORE("null"), STRING, 0, 0, 0),
	        OTHER("false", PLAIN, CORE("null"), STRING, 0, 0, 0),
	};
	(void)state;
	CHECK(cases);
}

static void test_scalar__other_tags_resolve_as_untagged(void **state)
{
	static const struct scalar_case cases[] = {
	        OTHER("123", PLAIN, "!", STRING, 0, 0, 0),
	        OTHER("true", PLAIN, "!", STRING, 0, 0, 0),
	        OTHER("FOO", PLAIN, "!env_var", STRING, 0, 0, 0),
	        OTHER("123", PLAIN, "!env_var", INT, 0, 123, 0),
	        /* tagged: no 1.1 comparison */
	        OTHER("0755", PLAIN, "!env_var", INT, 0, 755, 0),
	        OTHER("yes", PLAIN, "!Ref", STRING, 0, 0, 0),
	        OTHER("true", PLAIN, "!Ref", BOOL, 0, 1, 0),
	        OTHER("123", DOUBLE, "!env_var", STRING, 0, 0, 0),
	        OTHER("2001-12-14", PLAIN, CORE("timestamp"), STRING, 0, 0, 0),
	        OTHER("12", PLAIN, CORE("integer"), INT, 0, 12, 0),
	        OTHER("12", PLAIN, "tag:example.com,2000:int", INT, 0, 12, 0),
	};
	(void)state;
	CHECK(cases);
}

/* --- buffers and flags ------------------------------------------------ */

static void test_scalar__long_numbers_use_a_heap_copy(void **state)
{
	char big[201], zeros[104], frac[102], sep[200];
	struct scalar_case cases[4];
	size_t i;

	(void)state;
	/* 10^199: overflows, 1.2 and 1.1 agree */
	big[0] = '1';
	memset(big + 1, '0', 200);
	big[200] = '\0';
	cases[0] =
	        (struct scalar_case)PLAIN(big, INT, INT, OVF, INT64_MAX, 1e199);
	/* 100 leading zeros then 42: 42 in 1.2, octal 042 = 34 in 1.1 */
	memset(zeros, '0', 101);
	memcpy(zeros + 101, "42", 3);
	cases[1] = (struct scalar_case)PLAIN(zeros, INT, INT, DIFF, 42, 0);
	/* 0.000...01 */
	memcpy(frac, "0.", 2);
	memset(frac + 2, '0', 98);
	memcpy(frac + 100, "1", 2);
	cases[2] = (struct scalar_case)PLAIN(frac, FLOAT, FLOAT, 0, 0, 1e-99);
	/* 1_1_1_..._1 = 100 ones: a 1.1 int that overflows */
	for (i = 0; i + 1 < sizeof(sep); i += 2)
		memcpy(sep + i, "1_", 2);
	sep[sizeof(sep) - 2] = '1';
	sep[sizeof(sep) - 1] = '\0';
	cases[3] = (struct scalar_case)PLAIN(sep, STRING, INT, DIFF, 0, 0);
	CHECK(cases);
}

/* No NUL at len: resolution must stop at len (ASan checks the reads). */
static void test_scalar__reads_only_len_bytes(void **state)
{
	static const struct {
		const char *text;
		size_t len;
		pl_type type12;
		pl_type type11;
	} cases[] = {
	        {"0755", 4, PL_TYPE_INT, PL_TYPE_INT},
	        {"123abc", 3, PL_TYPE_INT, PL_TYPE_INT},
	        {"1.5e+3x", 6, PL_TYPE_FLOAT, PL_TYPE_FLOAT},
	        {"truex", 4, PL_TYPE_BOOL, PL_TYPE_BOOL},
	        {"yes", 1, PL_TYPE_STRING, PL_TYPE_BOOL},
	        {".nan", 4, PL_TYPE_FLOAT, PL_TYPE_FLOAT},
	        {"2001-12-14T", 10, PL_TYPE_STRING, PL_TYPE_TIMESTAMP},
	        {"2001-12-14T21:59:43Z", 20, PL_TYPE_STRING, PL_TYPE_TIMESTAMP},
	        {"190:20:30.15", 12, PL_TYPE_STRING, PL_TYPE_FLOAT},
	        {"0x", 2, PL_TYPE_STRING, PL_TYPE_STRING},
	        {"-", 1, PL_TYPE_STRING, PL_TYPE_STRING},
	        {"nul", 3, PL_TYPE_STRING, PL_TYPE_STRING},
	};
	size_t i;
	pl_node n;

	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		char *exact = malloc(cases[i].len ? cases[i].len : 1);

		assert_non_null(exact);
		memcpy(exact, cases[i].text, cases[i].len);
		if (pl_scalar_type12(exact, cases[i].len) != cases[i].type12 ||
		    pl_scalar_type11(exact, cases[i].len) != cases[i].type11)
			print_error("\"%.*s\" (len %zu) resolves wrongly\n",
			            (int)cases[i].len, cases[i].text,
			            cases[i].len);
		assert_int_equal(pl_scalar_type12(exact, cases[i].len),
		                 cases[i].type12);
		assert_int_equal(pl_scalar_type11(exact, cases[i].len),
		                 cases[i].type11);
		memset(&n, 0, sizeof(n));
		n.kind = PL_NODE_SCALAR;
		n.style = PL_STYLE_PLAIN;
		n.u.scalar.str = exact;
		n.u.scalar.len = cases[i].len;
		pl_scalar_resolve(&n);
		assert_int_equal(n.type, cases[i].type12);
		assert_int_equal(n.type11, cases[i].type11);
		free(exact);
	}
}

static void test_scalar__resolve_clears_stale_flags(void **state)
{
	pl_node n;

	(void)state;
	memset(&n, 0, sizeof(n));
	n.kind = PL_NODE_SCALAR;
	n.style = PL_STYLE_PLAIN;
	n.flags =
	        PL_NODE_YAML11_DIFFERS | PL_NODE_TAGGED | PL_NODE_INT_OVERFLOW;
	n.u.scalar.str = "abc";
	n.u.scalar.len = 3;
	pl_scalar_resolve(&n);
	assert_int_equal(n.type, PL_TYPE_STRING);
	assert_int_equal(n.flags, 0);

	n.u.scalar.str = "0755";
	n.u.scalar.len = 4;
	pl_scalar_resolve(&n);
	assert_int_equal(n.flags, PL_NODE_YAML11_DIFFERS);
	assert_int_equal(n.u.scalar.i, 755);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_scalar__null_forms),
	        cmocka_unit_test(test_scalar__true_false_are_bools_in_both),
	        cmocka_unit_test(test_scalar__yes_is_string_in_1_2_bool_in_1_1),
	        cmocka_unit_test(test_scalar__mixed_case_yes_is_string_in_both),
	        cmocka_unit_test(test_scalar__int_forms_agree),
	        cmocka_unit_test(test_scalar__leading_zero_int_is_octal_in_1_1),
	        cmocka_unit_test(test_scalar__0o_octal_is_int_in_1_2_only),
	        cmocka_unit_test(test_scalar__yaml11_only_int_forms),
	        cmocka_unit_test(test_scalar__malformed_ints_are_strings),
	        cmocka_unit_test(test_scalar__int_overflow_sets_flag),
	        cmocka_unit_test(test_scalar__float_forms_agree),
	        cmocka_unit_test(
	                test_scalar__exponent_without_dot_is_string_in_1_1),
	        cmocka_unit_test(test_scalar__yaml11_only_float_forms),
	        cmocka_unit_test(test_scalar__inf_and_nan_forms),
	        cmocka_unit_test(test_scalar__malformed_floats_are_strings),
	        cmocka_unit_test(test_scalar__timestamp_is_string_in_1_2),
	        cmocka_unit_test(test_scalar__near_timestamps_are_strings),
	        cmocka_unit_test(
	                test_scalar__quoted_and_block_scalars_are_strings),
	        cmocka_unit_test(test_scalar__core_tags_decide_type),
	        cmocka_unit_test(test_scalar__mismatched_core_tag_is_string),
	        cmocka_unit_test(test_scalar__other_tags_resolve_as_untagged),
	        cmocka_unit_test(test_scalar__long_numbers_use_a_heap_copy),
	        cmocka_unit_test(test_scalar__reads_only_len_bytes),
	        cmocka_unit_test(test_scalar__resolve_clears_stale_flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
