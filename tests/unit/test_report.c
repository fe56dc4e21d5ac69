/*
 * test_report.c - the reporters (engine/report/) on a small findings
 * list from a real lint (tl_lint): an error, a warning and a finding
 * hidden by an inline suppression. Each format must say where (path,
 * line, column), what (rule, severity, message) and how many, leave the
 * suppressed finding out of text and github and mark it in json and
 * sarif, and give the same bytes twice.
 */
#include "testlib.h"
#include "finding/suppress.h"
#include "report/report.h"

#include <jansson.h>

static const char yaml[] =
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "metadata:\n"
        "  name: a\n"
        "  name: b\n"
        "data:\n"
        "  umask: 0755\n"
        "  x: \"1\"\n"
        "  x: \"2\" # plumb:ignore yaml/duplicate-key -- the second wins\n";

typedef int (*reporter)(FILE *, const pl_report *, pl_error *);

/* Lints yaml, suppresses, writes it with fn; returns the bytes (owned). */
static char *render(reporter fn)
{
	tl_lint_result r;
	pl_suppress_opts so;
	pl_report rep;
	pl_error err;
	const pl_file *f;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	tl_lint(&r, yaml, NULL);
	f = r.file;
	memset(&so, 0, sizeof(so));
	so.today = "2026-06-01";
	so.missing_reason = so.expired = so.unused = PL_SEV_WARNING;
	pl_suppress_apply(&r.found, &f, 1, &so);
	pl_findings_sort(&r.found);
	memset(&rep, 0, sizeof(rep));
	rep.findings = &r.found;
	rep.files = 1;
	rep.registry = &r.reg;
	rep.root = "/repo";
	pl_error_clear(&err);
	assert_int_equal(fn(out, &rep, &err), 0);
	fclose(out);
	tl_lint_release(&r);
	return text;
}

static void has(const char *text, const char *want)
{
	if (!strstr(text, want))
		print_error("output lacks '%s':\n%s\n", want, text);
	assert_non_null(strstr(text, want));
}

static void lacks(const char *text, const char *no)
{
	if (strstr(text, no))
		print_error("output has '%s':\n%s\n", no, text);
	assert_null(strstr(text, no));
}

static void same_twice(reporter fn)
{
	char *a = render(fn), *b = render(fn);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void test_report__text(void **state)
{
	char *t = render(pl_report_text);
	(void)state;
	has(t, "test.yaml:5:3: error[yaml/duplicate-key]: duplicate key "
	       "'name' (first defined at line 4)");
	has(t, " 5 |   name: b\n");
	has(t, "   |   ^~~~\n");
	has(t, "test.yaml:7:10: error[yaml/ambiguous-scalar]: ConfigMap key "
	       "'umask' is an integer");
	has(t, "(1 suppressed)");
	lacks(t, "test.yaml:9:3: error[yaml/duplicate-key]");
	free(t);
	same_twice(pl_report_text);
}

static void test_report__github(void **state)
{
	char *t = render(pl_report_github);
	(void)state;
	has(t, "::error file=test.yaml,line=5,col=3,endLine=5,endColumn=7,"
	       "title=yaml/duplicate-key::");
	has(t, "::error file=test.yaml,line=7,col=10,");
	lacks(t, "line=9,col=3");
	free(t);
	same_twice(pl_report_github);
}

/* The finding of rule at line in a json report's findings array. */
static json_t *json_finding(json_t *list, const char *rule, int line)
{
	size_t i;
	json_t *f;
	json_array_foreach(list, i, f)
	{
		if (strcmp(json_string_value(json_object_get(f, "rule")),
		           rule) == 0 &&
		    json_integer_value(json_object_get(f, "line")) == line)
			return f;
	}
	print_error("no %s finding on line %d\n", rule, line);
	fail();
	return NULL;
}

static void test_report__json(void **state)
{
	char *t = render(pl_report_json);
	json_error_t jerr;
	json_t *doc = json_loads(t, 0, &jerr), *list, *f;
	(void)state;
	if (!doc)
		print_error("invalid JSON: %s\n%s\n", jerr.text, t);
	assert_non_null(doc);
	list = json_object_get(doc, "findings");
	assert_true(json_is_array(list));
	f = json_finding(list, "yaml/duplicate-key", 5);
	assert_string_equal(json_string_value(json_object_get(f, "severity")),
	                    "error");
	assert_int_equal(json_integer_value(json_object_get(f, "column")), 3);
	assert_string_equal(json_string_value(json_object_get(f, "path")),
	                    "test.yaml");
	f = json_finding(list, "yaml/duplicate-key", 9);
	has(t, "\"reason\": \"the second wins\"");
	has(t, "\"suppressed\": 1");
	json_decref(doc);
	free(t);
	same_twice(pl_report_json);
}

static void test_report__sarif(void **state)
{
	char *t = render(pl_report_sarif);
	json_error_t jerr;
	json_t *doc = json_loads(t, 0, &jerr), *run, *results, *res;
	size_t i, suppressed = 0, dup5 = 0;
	(void)state;
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "version")),
	                    "2.1.0");
	run = json_array_get(json_object_get(doc, "runs"), 0);
	assert_string_equal(
	        json_string_value(json_object_get(run, "columnKind")),
	        "unicodeCodePoints");
	results = json_object_get(run, "results");
	json_array_foreach(results, i, res)
	{
		json_t *loc = json_object_get(
		        json_array_get(json_object_get(res, "locations"), 0),
		        "physicalLocation");
		json_t *region = json_object_get(loc, "region");
		const char *rule =
		        json_string_value(json_object_get(res, "ruleId"));
		if (json_array_size(json_object_get(res, "suppressions")))
			suppressed++;
		if (strcmp(rule, "yaml/duplicate-key") == 0 &&
		    json_integer_value(json_object_get(region, "startLine")) ==
		            5) {
			dup5++;
			assert_int_equal(json_integer_value(json_object_get(
			                         region, "startColumn")),
			                 3);
			assert_string_equal(json_string_value(json_object_get(
			                            res, "level")),
			                    "error");
		}
	}
	assert_int_equal(dup5, 1);
	assert_int_equal(suppressed, 1);
	has(t, "\"uri\": \"test.yaml\"");
	json_decref(doc);
	free(t);
	same_twice(pl_report_sarif);
}

/* The table is the one list of formats: each name parses to its own
 * entry, the entry writes what the format's own writer writes, unknown
 * names are refused, and the prose list names every entry in order. */
static void test_report__table_is_the_format_list(void **state)
{
	size_t i;
	pl_format f;
	pl_buf names;
	(void)state;
	assert_int_equal(pl_nreporters, 4);
	pl_buf_init(&names, 0);
	pl_report_format_names(&names);
	assert_string_equal(names.ptr, "text, json, sarif or github");
	pl_buf_release(&names);
	for (i = 0; i < pl_nreporters; i++) {
		assert_int_equal(pl_format_parse(&f, pl_reporters[i].name), 0);
		assert_int_equal((size_t)f, i);
		assert_ptr_equal(pl_reporter_find(pl_reporters[i].name),
		                 &pl_reporters[i]);
		assert_non_null(pl_reporters[i].summary);
	}
	assert_int_equal(pl_format_parse(&f, "markdown"), PL_EUSAGE);
	assert_int_equal(pl_format_parse(&f, "JSON"), PL_EUSAGE);
	assert_null(pl_reporter_find(""));
}

static int write_json(FILE *out, const pl_report *r, pl_error *err)
{
	return pl_report_write(out, PL_FORMAT_JSON, r, err);
}

static void test_report__write_goes_through_the_table(void **state)
{
	char *direct = render(pl_report_json), *table = render(write_json);
	(void)state;
	assert_string_equal(direct, table);
	free(direct);
	free(table);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_report__text),
	        cmocka_unit_test(test_report__github),
	        cmocka_unit_test(test_report__json),
	        cmocka_unit_test(test_report__sarif),
	        cmocka_unit_test(test_report__table_is_the_format_list),
	        cmocka_unit_test(test_report__write_goes_through_the_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
