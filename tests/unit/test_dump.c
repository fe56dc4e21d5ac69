/*
 * test_dump.c - pl_dump_json: one JSON value per document, as `plumb dump`
 * prints it. Each case is YAML text and the exact JSON of its first
 * document; every mismatching case is printed before the test fails.
 */
#include "testlib.h"

#include "base/buf.h"
#include "tree/dump.h"

struct dump_case {
	const char *yaml;
	const char *json;
};

/* The YAML of a case as one JSON string, for failure messages. */
static void print_case(const char *yaml, const char *got, const char *want)
{
	pl_buf q;

	pl_buf_init(&q, 0);
	pl_buf_add_json_str(&q, yaml, strlen(yaml));
	print_error("%s: %s, want %s\n", q.ptr, got, want);
	pl_buf_release(&q);
}

static bool check_dump(const struct dump_case *c)
{
	tl_doc d;
	pl_buf b;
	bool ok;

	tl_load(&d, c->yaml);
	if (d.tree.problem != PL_TREE_OK || d.tree.ndocs < 1) {
		print_case(c->yaml,
		           d.tree.message ? d.tree.message : "no document",
		           c->json);
		tl_release(&d);
		return false;
	}
	pl_buf_init(&b, 0);
	pl_dump_json(&b, d.tree.docs[0].root);
	ok = strcmp(b.ptr, c->json) == 0 && strlen(b.ptr) == b.len;
	if (!ok)
		print_case(c->yaml, b.ptr, c->json);
	pl_buf_release(&b);
	tl_release(&d);
	return ok;
}

static void check_dumps(const struct dump_case *cases, size_t n)
{
	size_t i, failed = 0;

	for (i = 0; i < n; i++)
		if (!check_dump(&cases[i]))
			failed++;
	if (failed) {
		print_error("%zu of %zu cases failed\n", failed, n);
		fail();
	}
}

#define CHECK(cases) check_dumps(cases, PL_ARRAY_SIZE(cases))

static void test_dump__null_and_bool(void **state)
{
	static const struct dump_case cases[] = {
	        {"~\n", "null"},
	        {"null\n", "null"},
	        {"NULL\n", "null"},
	        {"a:\n", "{\"a\":null}"},
	        {"[~, null, ]\n", "[null,null]"},
	        {"true\n", "true"},
	        {"False\n", "false"},
	        {"!!null ''\n", "null"},
	        {"!!bool 'true'\n", "true"},
	        /* YAML 1.1 booleans are strings under 1.2 */
	        {"yes\n", "\"yes\""},
	        {"off\n", "\"off\""},
	};
	(void)state;
	CHECK(cases);
}

static void test_dump__integers(void **state)
{
	static const struct dump_case cases[] = {
	        {"0\n", "0"},
	        {"-0\n", "0"},
	        {"42\n", "42"},
	        {"+42\n", "42"},
	        {"-17\n", "-17"},
	        {"0x1F\n", "31"},
	        {"0o17\n", "15"},
	        {"0755\n", "755"},
	        {"9223372036854775807\n", "9223372036854775807"},
	        {"-9223372036854775808\n", "-9223372036854775808"},
	        /* beyond int64: still a JSON number */
	        {"99999999999999999999\n", "1e+20"},
	        {"'42'\n", "\"42\""},
	        {"!!int \"7\"\n", "7"},
	};
	(void)state;
	CHECK(cases);
}

static void test_dump__floats_keep_a_fraction(void **state)
{
	static const struct dump_case cases[] = {
	        {"1.0\n", "1.0"},         {"1.5\n", "1.5"},
	        {"-2.\n", "-2.0"},        {"1e3\n", "1000.0"},
	        {"-0.0\n", "-0.0"},       {".5\n", "0.5"},
	        {"1.25e+2\n", "125.0"},   {"!!float 3\n", "3.0"},
	        {".inf\n", "\".inf\""},   {"+.INF\n", "\".inf\""},
	        {"-.inf\n", "\"-.inf\""}, {".nan\n", "\".nan\""},
	        {".NaN\n", "\".nan\""},
	};
	(void)state;
	CHECK(cases);
}

/* The shortest text that reads back as the same double, as YAML wrote it
 * (what jq and Python print), not 17 significant digits. */
static void test_dump__floats_are_shortest_round_trip(void **state)
{
	static const struct dump_case cases[] = {
	        {"0.1\n", "0.1"},
	        {"1.1\n", "1.1"},
	        {"3.14\n", "3.14"},
	        {"1e-7\n", "1e-07"},
	};
	(void)state;
	CHECK(cases);
}

static void test_dump__strings_are_escaped(void **state)
{
	static const struct dump_case cases[] = {
	        {"plain text\n", "\"plain text\""},
	        {"\"say \\\"hi\\\"\"\n", "\"say \\\"hi\\\"\""},
	        {"'C:\\dir'\n", "\"C:\\\\dir\""},
	        {"\"tab\\there\"\n", "\"tab\\there\""},
	        {"\"nl\\nbs\\b ff\\f cr\\r\"\n", "\"nl\\nbs\\b ff\\f cr\\r\""},
	        {"\"\\x01\\x1f\\0\"\n", "\"\\u0001\\u001f\\u0000\""},
	        {"\"\\u00e9\"\n", "\"\xc3\xa9\""},
	        {"caf\xc3\xa9 \xf0\x9f\x98\x80\n",
	         "\"caf\xc3\xa9 \xf0\x9f\x98\x80\""},
	        {"|\n  line 1\n  line \"2\"\n",
	         "\"line 1\\nline \\\"2\\\"\\n\""},
	        {">\n  folded\n  text\n", "\"folded text\\n\""},
	        {"\"\"\n", "\"\""},
	        {"!!str 1\n", "\"1\""},
	        {"!env_var X\n", "\"X\""},
	        {"2001-12-14\n", "\"2001-12-14\""},
	};
	(void)state;
	CHECK(cases);
}

static void test_dump__aliases_are_expanded(void **state)
{
	static const struct dump_case cases[] = {
	        {"a: &x {k: [1, 2]}\nb: *x\n",
	         "{\"a\":{\"k\":[1,2]},\"b\":{\"k\":[1,2]}}"},
	        {"- &s hello\n- *s\n- [*s, *s]\n",
	         "[\"hello\",\"hello\",[\"hello\",\"hello\"]]"},
	        {"a: &k key\n*k : v\n", "{\"a\":\"key\",\"key\":\"v\"}"},
	        {"a: &n ~\nb: *n\n", "{\"a\":null,\"b\":null}"},
	};
	(void)state;
	CHECK(cases);
}

static void test_dump__merge_keys_are_applied(void **state)
{
	static const struct dump_case cases[] = {
	        {"base: &b {a: 1, b: 2}\nm:\n  <<: *b\n  b: 3\n",
	         "{\"base\":{\"a\":1,\"b\":2},\"m\":{\"b\":3,\"a\":1}}"},
	        {"x: &x {a: 1}\ny: &y {a: 2, c: 3}\nm:\n  <<: [*x, *y]\n",
	         "{\"x\":{\"a\":1},\"y\":{\"a\":2,\"c\":3},"
	         "\"m\":{\"a\":1,\"c\":3}}"},
	        /* a `<<` that merges nothing stays a key */
	        {"<<: 1\n", "{\"<<\":1}"},
	};
	(void)state;
	CHECK(cases);
}

static void test_dump__non_string_keys_are_stringified(void **state)
{
	static const struct dump_case cases[] = {
	        {"~: a\n", "{\"\":\"a\"}"},
	        {"null: a\n", "{\"\":\"a\"}"},
	        {"? \n: e\n", "{\"\":\"e\"}"},
	        {"1: x\n", "{\"1\":\"x\"}"},
	        {"-5: x\n", "{\"-5\":\"x\"}"},
	        {"true: y\n", "{\"true\":\"y\"}"},
	        {"1.5: z\n", "{\"1.5\":\"z\"}"},
	        /* a scalar key keeps its text as written (dump.h) */
	        {"0x10: h\n", "{\"0x10\":\"h\"}"},
	        {"\"q\\\"k\": v\n", "{\"q\\\"k\":\"v\"}"},
	        /* a collection key is its compact JSON, as a string */
	        {"[a, 1]: c\n", "{\"[\\\"a\\\",1]\":\"c\"}"},
	        {"{x: 1}: y\n", "{\"{\\\"x\\\":1}\":\"y\"}"},
	};
	(void)state;
	CHECK(cases);
}

static void test_dump__nested_collections(void **state)
{
	static const struct dump_case cases[] = {
	        {"a:\n  - b: [1, {c: null}]\n  - []\n  - {}\n",
	         "{\"a\":[{\"b\":[1,{\"c\":null}]},[],{}]}"},
	        {"[]\n", "[]"},
	        {"{}\n", "{}"},
	        {"- - - deep\n", "[[[\"deep\"]]]"},
	        {"apiVersion: v1\nkind: ConfigMap\ndata:\n  port: \"80\"\n"
	         "  on: yes\n",
	         "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
	         "\"data\":{\"port\":\"80\",\"on\":\"yes\"}}"},
	};
	(void)state;
	CHECK(cases);
}

static void test_dump__null_node_and_each_document(void **state)
{
	tl_doc d;
	pl_buf b;
	size_t i;
	static const char *const want[] = {"{\"a\":1}", "[2]", "\"three\""};

	(void)state;
	pl_buf_init(&b, 0);
	pl_dump_json(&b, NULL);
	assert_string_equal(b.ptr, "null");
	pl_buf_release(&b);

	tl_load(&d, "a: 1\n---\n[2]\n--- three\n");
	assert_int_equal(d.tree.ndocs, 3);
	for (i = 0; i < 3; i++) {
		pl_buf_init(&b, 0);
		pl_dump_json(&b, d.tree.docs[i].root);
		assert_string_equal(b.ptr, want[i]);
		pl_buf_release(&b);
	}
	tl_release(&d);
}

static void test_dump__stops_at_the_buffer_cap(void **state)
{
	tl_doc d;
	pl_buf b;

	(void)state;
	tl_load(&d, "a: [one, two, three, four]\nb: {c: d}\n");
	pl_buf_init(&b, 10);
	pl_dump_json(&b, tl_root(&d, 0));
	assert_true(b.truncated);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.ptr, "{\"a\":[\"one");
	pl_buf_release(&b);
	tl_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_dump__null_and_bool),
	        cmocka_unit_test(test_dump__integers),
	        cmocka_unit_test(test_dump__floats_keep_a_fraction),
	        cmocka_unit_test(test_dump__floats_are_shortest_round_trip),
	        cmocka_unit_test(test_dump__strings_are_escaped),
	        cmocka_unit_test(test_dump__aliases_are_expanded),
	        cmocka_unit_test(test_dump__merge_keys_are_applied),
	        cmocka_unit_test(test_dump__non_string_keys_are_stringified),
	        cmocka_unit_test(test_dump__nested_collections),
	        cmocka_unit_test(test_dump__null_node_and_each_document),
	        cmocka_unit_test(test_dump__stops_at_the_buffer_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
