/*
 * test_schema.c - engine/schema/schema: each keyword on a valid and an
 * invalid instance, the position, instance path and message of the
 * first error, JSON equality, YAML scalar types, draft differences,
 * schema errors with their line:col, and the limits; the explained
 * unions (PL_SCHEMA_EXPLAIN) and the shape checker of plumb's own inputs
 * (schema/shape.h) with their did-you-mean.
 *
 * Each test is a table of cases; every failing case is printed before
 * the test fails, so one run shows them all. The official
 * JSON-Schema-Test-Suite runs in tests/suites/schema_suite.c.
 */
#include "testlib.h"

#include "base/buf.h"
#include "schema/schema.h"
#include "schema/shape.h"

struct vcase {
	const char *schema;
	const char *doc;
	/* NULL: valid; else the first error as "line:col path [kw] msg" */
	const char *want;
};

/* Validates doc against schema; describes the first error into out. */
static bool run_case(const struct vcase *c, char *out, size_t size,
                     size_t *nerrors)
{
	tl_doc s, d;
	pl_schema *sc = NULL;
	pl_schema_result res;
	pl_error err;
	bool ok;

	tl_load(&s, c->schema);
	tl_load(&d, c->doc);
	pl_error_clear(&err);
	if (pl_schema_new(&sc, tl_root(&s, 0), NULL, &err) != 0) {
		snprintf(out, size, "schema error: %s", err.msg);
		tl_release(&s);
		tl_release(&d);
		return false;
	}
	pl_schema_result_init(&res);
	ok = pl_schema_validate(&res, sc, d.tree.docs[0].root, 0, NULL);
	*nerrors = res.errors.len;
	if (res.errors.len) {
		const pl_schema_error *e = pl_vec_at(&res.errors, 0);
		snprintf(out, size, "%u:%u %s [%s] %s",
		         e->node->span.start.line, e->node->span.start.col,
		         pl_schema_path_text(e->path), e->keyword, e->message);
	}
	pl_schema_result_release(&res);
	pl_schema_free(sc);
	tl_release(&s);
	tl_release(&d);
	return ok;
}

static void run_table(const struct vcase *cases, size_t n)
{
	size_t i, fails = 0;
	for (i = 0; i < n; i++) {
		char got[512] = "";
		size_t nerr = 0;
		bool ok = run_case(&cases[i], got, sizeof(got), &nerr);
		if (!cases[i].want && ok && nerr == 0)
			continue;
		if (cases[i].want && !ok && strcmp(got, cases[i].want) == 0)
			continue;
		print_error("case %zu: schema %s\n  doc %s\n  got %s%s\n  "
		            "want %s\n",
		            i, cases[i].schema, cases[i].doc,
		            ok ? "valid " : "", got,
		            cases[i].want ? cases[i].want : "valid");
		fails++;
	}
	assert_int_equal(fails, 0);
}

static void test_schema__types_follow_yaml_resolution(void **state)
{
	static const struct vcase cases[] = {
	        {"type: integer", "80", NULL},
	        {"type: integer", "1.0", NULL},
	        {"type: integer", "\"80\"",
	         "1:1 (root) [type] expected integer, got string \"80\""},
	        {"type: integer", "1.5",
	         "1:1 (root) [type] expected integer, got number 1.5"},
	        {"type: number", "7", NULL},
	        {"type: string", "'1'", NULL},
	        {"type: string", "yes", NULL},
	        {"type: boolean", "true", NULL},
	        {"type: boolean", "yes",
	         "1:1 (root) [type] expected boolean, got string \"yes\""},
	        {"type: 'null'", "~", NULL},
	        {"type: [string, 'null']", "null", NULL},
	        {"type: array", "[1]", NULL},
	        {"type: object", "a: 1", NULL},
	        {"type: object", "[1]",
	         "1:1 (root) [type] expected object, got an array of 1 "
	         "items"},
	        {"{type: string, nullable: true}", "null", NULL},
	        {"x-kubernetes-int-or-string: true", "80", NULL},
	        {"x-kubernetes-int-or-string: true", "80%", NULL},
	        {"x-kubernetes-int-or-string: true", "1.5",
	         "1:1 (root) [x-kubernetes-int-or-string] expected integer "
	         "or string, got number 1.5"},
	};
	(void)state;
	run_table(cases, PL_ARRAY_SIZE(cases));
}

static void test_schema__values_compare_as_json(void **state)
{
	static const struct vcase cases[] = {
	        {"enum: [1, two]", "1.0", NULL},
	        {"enum: [Always, IfNotPresent, Never]", "always",
	         "1:1 (root) [enum] must be one of \"Always\", "
	         "\"IfNotPresent\", \"Never\"; got \"always\""},
	        {"const: {a: 1, b: [x]}", "{b: [x], a: 1}", NULL},
	        {"const: {a: 1}", "{a: 1, b: 2}",
	         "1:1 (root) [const] must be an object, got an object"},
	        {"const: '1'", "1", "1:1 (root) [const] must be \"1\", got 1"},
	        {"uniqueItems: true", "[1, {a: 1}, 2]", NULL},
	        {"uniqueItems: true", "[{a: 1, b: 2}, 3, {b: 2, a: 1.0}]",
	         "1:19 [2] [uniqueItems] duplicates item [0]"},
	};
	(void)state;
	run_table(cases, PL_ARRAY_SIZE(cases));
}

static void test_schema__objects(void **state)
{
	static const struct vcase cases[] = {
	        {"required: [name]", "name: x", NULL},
	        {"required: [name, image]", "name: x",
	         "1:1 (root) [required] missing required property 'image'"},
	        {"{properties: {a: {type: string}}, additionalProperties: "
	         "false}",
	         "a: x\nimagePullpolicy: Always\n",
	         "2:1 imagePullpolicy [additionalProperties] unknown property "
	         "'imagePullpolicy' (additionalProperties is false)"},
	        {"patternProperties: {'^x-': {type: integer}}", "x-a: b",
	         "1:6 x-a [type] expected integer, got string \"b\""},
	        {"{minProperties: 2}", "a: 1",
	         "1:1 (root) [minProperties] must have at least 2 properties, "
	         "got 1"},
	        {"{maxProperties: 1}", "{a: 1, b: 2}",
	         "1:1 (root) [maxProperties] must have at most 1 properties, "
	         "got 2"},
	        {"dependentRequired: {tls: [cert]}", "tls: true",
	         "1:1 (root) [dependentRequired] missing property 'cert' "
	         "(required when 'tls' is set)"},
	        {"dependencies: {tls: [cert]}", "other: 1", NULL},
	        {"propertyNames: {maxLength: 3}", "abcd: 1",
	         "1:1 abcd [maxLength] must be at most 3 characters long, got "
	         "4"},
	        {"properties: {metadata: {properties: {annotations: "
	         "{additionalProperties: {type: string}}}}}",
	         "metadata:\n  annotations:\n    app.kubernetes.io/x: 1\n",
	         "3:26 metadata.annotations[\"app.kubernetes.io/x\"] [type] "
	         "expected string, got integer 1"},
	        {"x-kubernetes-embedded-resource: true", "{kind: Pod}",
	         "1:1 (root) [x-kubernetes-embedded-resource] an embedded "
	         "resource needs apiVersion and kind"},
	        {"{properties: {a: {type: integer}}, "
	         "unevaluatedProperties: false}",
	         "{a: 1, b: 2}",
	         "1:8 b [unevaluatedProperties] unknown property 'b' "
	         "(unevaluatedProperties is false)"},
	        {"{allOf: [{properties: {a: true}}], unevaluatedProperties: "
	         "false}",
	         "{a: 1}", NULL},
	};
	(void)state;
	run_table(cases, PL_ARRAY_SIZE(cases));
}

static void test_schema__arrays_strings_numbers(void **state)
{
	static const struct vcase cases[] = {
	        {"items: {type: integer}", "[1, x]",
	         "1:5 [1] [type] expected integer, got string \"x\""},
	        {"{prefixItems: [{type: string}], items: false}", "[a, b]",
	         "1:5 [1] [false] no value is allowed here (the schema is "
	         "false)"},
	        {"{$schema: 'http://json-schema.org/draft-07/schema#', items: "
	         "[{type: string}], additionalItems: {type: integer}}",
	         "[a, 1, b]",
	         "1:8 [2] [type] expected integer, got string "
	         "\"b\""},
	        {"{minItems: 2}", "[1]",
	         "1:1 (root) [minItems] must have at least 2 items, got 1"},
	        {"{maxItems: 1}", "[1, 2]",
	         "1:1 (root) [maxItems] must have at most 1 items, got 2"},
	        {"contains: {const: 2}", "[1, 3]",
	         "1:1 (root) [contains] has 0 items matching contains, at "
	         "least 1 needed"},
	        {"{maxLength: 2}", "\"\xc3\xa9\xc3\xa9\"", NULL},
	        {"{minLength: 3}", "ab",
	         "1:1 (root) [minLength] must be at least 3 characters long, "
	         "got 2"},
	        {"pattern: '^[a-z]+$'", "Web",
	         "1:1 (root) [pattern] \"Web\" does not match the pattern "
	         "\"^[a-z]+$\""},
	        {"pattern: 'b'", "abc", NULL},
	        {"minimum: 1", "0", "1:1 (root) [minimum] must be >= 1, got 0"},
	        {"maximum: 65535", "70000",
	         "1:1 (root) [maximum] must be <= 65535, got 70000"},
	        {"exclusiveMinimum: 0", "0",
	         "1:1 (root) [exclusiveMinimum] must be > 0, got 0"},
	        {"{maximum: 10, exclusiveMaximum: true}", "10",
	         "1:1 (root) [exclusiveMaximum] must be < 10, got 10"},
	        {"multipleOf: 0.01", "19.99", NULL},
	        {"multipleOf: 2", "7",
	         "1:1 (root) [multipleOf] must be a multiple of 2, got 7"},
	        {"format: date-time", "\"2025-01-06T10:00:00Z\"", NULL},
	        {"format: date-time", "\"2025-13-06T10:00:00Z\"",
	         "1:1 (root) [format] \"2025-13-06T10:00:00Z\" is not a valid "
	         "date-time"},
	        {"format: uri", "https://example.com/a?b=c", NULL},
	        {"format: uri", "not a uri",
	         "1:1 (root) [format] \"not a uri\" is not a valid uri"},
	        {"format: int-or-string", "[1]",
	         "1:1 (root) [format] an array of 1 items is not a valid "
	         "int-or-string"},
	        {"format: something-else", "x", NULL},
	};
	(void)state;
	run_table(cases, PL_ARRAY_SIZE(cases));
}

static void test_schema__applicators_and_refs(void **state)
{
	static const struct vcase cases[] = {
	        {"anyOf: [{type: integer}, {type: string}]", "[1]",
	         "1:1 (root) [anyOf] matches none of the 2 schemas of anyOf"},
	        {"oneOf: [{type: integer}, {minimum: 0}]", "5",
	         "1:1 (root) [oneOf] matches schemas 1 and 2 of oneOf; it must "
	         "match exactly one"},
	        {"allOf: [{type: integer}, {minimum: 3}]", "2",
	         "1:1 (root) [minimum] must be >= 3, got 2"},
	        {"not: {type: string}", "x",
	         "1:1 (root) [not] must not match the schema of not"},
	        {"{if: {properties: {kind: {const: A}}}, then: {required: "
	         "[a]}, else: {required: [b]}}",
	         "kind: B",
	         "1:1 (root) [required] missing required property 'b'"},
	        {"{$defs: {port: {type: integer}}, properties: {p: {$ref: "
	         "'#/$defs/port'}}}",
	         "p: x", "1:4 p [type] expected integer, got string \"x\""},
	        {"{definitions: {a~b: {type: integer}}, $ref: "
	         "'#/definitions/a~0b'}",
	         "x", "1:1 (root) [type] expected integer, got string \"x\""},
	        {"{properties: {child: {$ref: '#'}}, required: [name]}",
	         "{name: a, child: {name: b, child: {}}}",
	         "1:35 child.child [required] missing required property "
	         "'name'"},
	        {"{$id: 'https://x.test/root', $defs: {a: {$id: 'a', $defs: "
	         "{b: {$anchor: b, type: integer}}}}, $ref: 'a#b'}",
	         "x", "1:1 (root) [type] expected integer, got string \"x\""},
	        {"{$defs: {loop: {$ref: '#/$defs/loop'}}, $ref: "
	         "'#/$defs/loop'}",
	         "1",
	         "1:1 (root) [$ref] $ref nests deeper than 64 without "
	         "reaching a value"},
	        {"false", "1",
	         "1:1 (root) [false] no value is allowed here (the schema is "
	         "false)"},
	        {"true", "1", NULL},
	};
	(void)state;
	run_table(cases, PL_ARRAY_SIZE(cases));
}

struct scase {
	const char *schema;
	int code;
	const char *want; /* "line:col message" */
};

static void test_schema__schema_errors_have_positions(void **state)
{
	static const struct scase cases[] = {
	        {"type: strin", PL_EPARSE,
	         "1:7 type must be one of null, boolean, integer, number, "
	         "string, array, object"},
	        {"properties:\n  a: {pattern: '[a-'}", PL_EPARSE,
	         "2:16 bad regular expression: missing terminating ] for "
	         "character class at offset 3"},
	        {"properties:\n  a: {$ref: '#/$defs/x'}", PL_EPARSE,
	         "2:13 $ref '#/$defs/x' names nothing in the schema"},
	        {"$ref: 'https://example.com/other.json'", PL_ENOTFOUND,
	         "1:7 $ref 'https://example.com/other.json' names another "
	         "document: remote references are not fetched"},
	        {"[1]", PL_EPARSE,
	         "1:1 expected a schema (an object or a boolean), got an "
	         "array"},
	        {"minLength: -1", PL_EPARSE,
	         "1:12 minLength must be a non-negative integer"},
	        {"multipleOf: 0", PL_EPARSE,
	         "1:13 multipleOf must be greater than 0"},
	        {"items: 3", PL_EPARSE,
	         "1:8 expected a schema (an object or a boolean), got integer"},
	};
	size_t i, fails = 0;
	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		tl_doc s;
		pl_schema *sc = NULL;
		pl_schema_opts o = {PL_SCHEMA_DRAFT_AUTO, "s.yaml", false,
		                    false, false};
		pl_error err;
		char got[400];
		int rc;
		tl_load(&s, cases[i].schema);
		pl_error_clear(&err);
		rc = pl_schema_new(&sc, tl_root(&s, 0), &o, &err);
		snprintf(got, sizeof(got), "%u:%u %s", err.pos.line,
		         err.pos.col, err.msg);
		if (rc != cases[i].code || strcmp(got, cases[i].want) != 0 ||
		    sc || strcmp(err.path ? err.path : "", "s.yaml") != 0) {
			print_error("case %zu: %s\n  got %d %s\n  want %d %s\n",
			            i, cases[i].schema, rc, got, cases[i].code,
			            cases[i].want);
			fails++;
		}
		pl_schema_free(sc);
		tl_release(&s);
	}
	assert_int_equal(fails, 0);
}

static void test_schema__errors_are_capped_and_counted(void **state)
{
	tl_doc s, d;
	pl_schema *sc = NULL;
	pl_schema_result res;
	pl_buf b;
	int i;
	(void)state;
	pl_buf_init(&b, 0);
	pl_buf_adds(&b, "[");
	for (i = 0; i < 150; i++)
		pl_buf_addf(&b, "%sx", i ? ", " : "");
	pl_buf_adds(&b, "]");
	tl_load(&s, "items: {type: integer}");
	tl_load(&d, b.ptr);
	assert_int_equal(pl_schema_new(&sc, tl_root(&s, 0), NULL, NULL), 0);
	pl_schema_result_init(&res);
	assert_false(pl_schema_validate(&res, sc, tl_root(&d, 0), 0, NULL));
	assert_int_equal(res.errors.len, PL_SCHEMA_MAX_ERRORS);
	assert_int_equal(res.dropped, 150 - PL_SCHEMA_MAX_ERRORS);
	pl_schema_result_release(&res);
	pl_schema_free(sc);
	tl_release(&s);
	tl_release(&d);
	pl_buf_release(&b);
}

static void test_schema__strict_reports_unknown_fields(void **state)
{
	tl_doc s, d;
	pl_schema *sc = NULL;
	pl_schema_result res;
	const pl_schema_error *e;
	(void)state;
	tl_load(&s, "properties:\n  spec:\n    properties: {image: {}}\n"
	            "  status: {x-kubernetes-preserve-unknown-fields: true, "
	            "properties: {a: {}}}\n");
	tl_load(&d, "spec: {image: x, imagePullpolicy: y}\nstatus: {b: 1}\n");
	assert_int_equal(pl_schema_new(&sc, tl_root(&s, 0), NULL, NULL), 0);
	pl_schema_result_init(&res);
	assert_true(pl_schema_validate(&res, sc, tl_root(&d, 0), 0, NULL));
	assert_false(pl_schema_validate(&res, sc, tl_root(&d, 0),
	                                PL_SCHEMA_STRICT, NULL));
	assert_int_equal(res.errors.len, 1);
	e = pl_vec_at(&res.errors, 0);
	assert_string_equal(e->path, "spec.imagePullpolicy");
	assert_string_equal(e->message, "unknown field 'imagePullpolicy'");
	assert_int_equal(e->node->span.start.col, 18);
	pl_schema_result_release(&res);
	pl_schema_free(sc);
	tl_release(&s);
	tl_release(&d);
}

/* A tagged union as plumb's own schemas write one: each branch closed,
 * named by a key only it has, the value branches sharing `path`. */
static const char tagged[] =
        "{oneOf: ["
        " {type: object, additionalProperties: false, required: [path, exists],"
        "  properties: {path: {type: string}, exists: {type: boolean}}},"
        " {type: object, additionalProperties: false, required: [path, equals],"
        "  properties: {path: {type: string}, equals: {type: string}}},"
        " {$ref: '#/$defs/all'},"
        " {type: array, minItems: 1}],"
        " $defs: {all: {type: object, additionalProperties: false,"
        "  required: [all], properties: {all: {type: array}}}}}";

/* The first error of doc against schema with PL_SCHEMA_EXPLAIN. */
static bool explained(const char *schema, const char *doc, const char *want)
{
	tl_doc s, d;
	pl_schema *sc = NULL;
	pl_schema_result res;
	pl_error err;
	char got[512] = "valid";
	bool same;

	tl_load(&s, schema);
	tl_load(&d, doc);
	pl_error_clear(&err);
	assert_int_equal(pl_schema_new(&sc, tl_root(&s, 0), NULL, &err), 0);
	pl_schema_result_init(&res);
	if (!pl_schema_validate(&res, sc, tl_root(&d, 0), PL_SCHEMA_EXPLAIN,
	                        NULL) &&
	    res.errors.len) {
		const pl_schema_error *e = pl_vec_at(&res.errors, 0);
		snprintf(got, sizeof(got), "%u:%u %s [%s] %s",
		         e->node->span.start.line, e->node->span.start.col,
		         pl_schema_path_text(e->path), e->keyword, e->message);
	}
	same = strcmp(got, want) == 0;
	if (!same)
		print_error("doc %s\n  got  %s\n  want %s\n", doc, got, want);
	pl_schema_result_release(&res);
	pl_schema_free(sc);
	tl_release(&s);
	tl_release(&d);
	return same;
}

static void test_schema__explain_names_the_branch_meant(void **state)
{
	bool ok = true;
	(void)state;
	/* the key only one branch has picks it: its own error */
	ok &= explained(tagged, "{path: a, exists: 'yes'}",
	                "1:19 exists [type] expected boolean, got string "
	                "\"yes\"");
	ok &= explained(tagged, "{all: 3}",
	                "1:7 all [type] expected array, got integer 3");
	/* the type picks the branch */
	ok &= explained(tagged, "[]",
	                "1:1 (root) [minItems] must have at least 1 items, "
	                "got 0");
	ok &= explained(tagged, "7",
	                "1:1 (root) [type] expected array or object, got 7");
	/* keys no branch knows, keys of two branches, no key of any */
	ok &= explained(tagged, "{path: a, gte: 1}",
	                "1:11 gte [additionalProperties] unknown property "
	                "'gte' (additionalProperties is false)");
	ok &= explained(tagged, "{path: a, exists: true, equals: b}",
	                "1:1 (root) [oneOf] 'exists' and 'equals' do not go "
	                "together (one of: exists, equals, all)");
	ok &= explained(tagged, "{path: a}",
	                "1:1 (root) [oneOf] needs one of: exists, equals, all");
	ok &= explained(tagged, "{all: [], path: a}",
	                "1:11 (root) [oneOf] 'path' does not go with 'all'");
	/* branches that only require keys */
	ok &= explained("{anyOf: [{required: [path]}, {required: [paths]}]}",
	                "{rules: x}",
	                "1:1 (root) [required] missing required property "
	                "'path' or 'paths'");
	/* a valid instance stays valid */
	ok &= explained(tagged, "{path: a, equals: b}", "valid");
	assert_true(ok);
}

/* The shape checker's message for doc, as plumb prints it. */
static bool shaped(const char *doc, const char *want)
{
	static const char schema[] =
	        "{\"type\": \"object\", \"additionalProperties\": false,"
	        " \"properties\": {\"rules\": {\"type\": \"object\"},"
	        "  \"exclude\": {\"type\": \"array\"},"
	        "  \"fail-on\": {\"enum\": [\"error\", \"warning\"]},"
	        "  \"ignore\": {\"type\": \"array\", \"items\": {"
	        "   \"type\": \"object\", \"additionalProperties\": false,"
	        "   \"required\": [\"rules\"],"
	        "   \"properties\": {\"rules\": {}, \"reason\": {}}}}}}";
	pl_shape *sh = NULL;
	tl_doc d;
	pl_error err;
	char got[512] = "valid";
	bool same;

	pl_error_clear(&err);
	assert_int_equal(
	        pl_shape_new(&sh, "test.json", schema, strlen(schema), &err),
	        0);
	tl_load(&d, doc);
	if (pl_shape_check(sh, tl_root(&d, 0), "c.yaml", PL_ECONFIG, NULL, NULL,
	                   &err) == PL_ECONFIG)
		pl_error_format(&err, got, sizeof(got));
	same = strcmp(got, want) == 0;
	if (!same)
		print_error("doc %s\n  got  %s\n  want %s\n", doc, got, want);
	pl_shape_free(sh);
	tl_release(&d);
	return same;
}

static void test_schema__shape_says_where_and_what_was_meant(void **state)
{
	bool ok = true;
	(void)state;
	ok &= shaped("rulez: {}\n",
	             "c.yaml:1:1: unknown key 'rulez' (did you mean 'rules'?)");
	ok &= shaped("zzz: 1\n", "c.yaml:1:1: unknown key 'zzz' (expected "
	                         "rules, exclude, fail-on, ignore)");
	ok &= shaped("ignore:\n  - rules: x\n    reson: y\n",
	             "c.yaml:3:5: unknown key 'reson' in ignore[0] (did you "
	             "mean 'reason'?)");
	/* a missing key loses to the misspelt one that explains it */
	ok &= shaped("ignore:\n  - rulse: x\n",
	             "c.yaml:2:5: unknown key 'rulse' in ignore[0] (did you "
	             "mean 'rules'?)");
	ok &= shaped("ignore:\n  - reason: x\n",
	             "c.yaml:2:5: ignore[0]: missing required key 'rules'");
	ok &= shaped("fail-on: eror\n",
	             "c.yaml:1:10: fail-on: must be one of \"error\", "
	             "\"warning\"; got \"eror\" (did you mean \"error\"?)");
	ok &= shaped("exclude: x\n", "c.yaml:1:10: exclude: expected array, "
	                             "got string \"x\"");
	ok &= shaped("exclude: [x]\n", "valid");
	/* keys are text: a sequence or mapping as a key is refused */
	ok &= shaped("rules:\n  ? [a]\n  : 1\n",
	             "c.yaml:2:5: a key must be a scalar, not a sequence");
	assert_true(ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_schema__types_follow_yaml_resolution),
	        cmocka_unit_test(test_schema__values_compare_as_json),
	        cmocka_unit_test(test_schema__objects),
	        cmocka_unit_test(test_schema__arrays_strings_numbers),
	        cmocka_unit_test(test_schema__applicators_and_refs),
	        cmocka_unit_test(test_schema__schema_errors_have_positions),
	        cmocka_unit_test(test_schema__errors_are_capped_and_counted),
	        cmocka_unit_test(test_schema__strict_reports_unknown_fields),
	        cmocka_unit_test(test_schema__explain_names_the_branch_meant),
	        cmocka_unit_test(
	                test_schema__shape_says_where_and_what_was_meant),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
