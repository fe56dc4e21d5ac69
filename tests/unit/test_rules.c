/*
 * test_rules.c - rules through tl_lint (testlib.h): a YAML string linted
 * with the real registry, as `plumb check` lints a file, and the
 * findings of one rule checked for rule, line, column and message; the
 * fixed YAML must leave the rule silent. One built-in rule of each
 * family the headline rules use, and one rule of a declarative pack.
 */
#include "testlib.h"

static void expect_silent(const char *yaml, const char *rule)
{
	tl_lint_result r;
	size_t n = tl_lint(&r, yaml, rule);
	if (n) {
		const pl_finding *f = tl_finding(&r, 0);
		print_error("%s fires at %u:%u: %s\n", rule, f->span.start.line,
		            f->span.start.col, f->message);
	}
	assert_int_equal(n, 0);
	tl_lint_release(&r);
}

static void test_rules__duplicate_key(void **state)
{
	tl_lint_result r;
	(void)state;
	assert_int_equal(tl_lint(&r,
	                         "kind: ConfigMap\nmetadata:\n  name: a\n"
	                         "  name: b\n",
	                         "yaml/duplicate-key"),
	                 1);
	assert_true(tl_finding_is("second name", tl_finding(&r, 0),
	                          "yaml/duplicate-key", 4, 3,
	                          "duplicate key 'name' (first defined at "
	                          "line 3)"));
	assert_int_equal(tl_finding(&r, 0)->severity, PL_SEV_ERROR);
	tl_lint_release(&r);
	expect_silent("kind: ConfigMap\nmetadata:\n  name: a\n  namespace: b\n",
	              "yaml/duplicate-key");
}

static const char configmap[] = "apiVersion: v1\n"
                                "kind: ConfigMap\n"
                                "metadata:\n"
                                "  name: settings\n"
                                "data:\n"
                                "  umask: %s\n";

static void test_rules__ambiguous_scalar_in_configmap(void **state)
{
	tl_lint_result r;
	char yaml[256];
	(void)state;
	snprintf(yaml, sizeof(yaml), configmap, "0755");
	assert_int_equal(tl_lint(&r, yaml, "yaml/ambiguous-scalar"), 1);
	assert_true(tl_finding_is("octal", tl_finding(&r, 0),
	                          "yaml/ambiguous-scalar", 6, 10,
	                          "ConfigMap key 'umask' is an integer"));
	tl_lint_release(&r);
	snprintf(yaml, sizeof(yaml), configmap, "\"0755\"");
	expect_silent(yaml, "yaml/ambiguous-scalar");
}

static void test_rules__token_is_found_and_masked(void **state)
{
	const char *tok = "ghp_Zr8qL1vT9xWc2mN4pQ7sK3jH6gF5dS0aB1cE";
	char yaml[256];
	tl_lint_result r;
	const pl_finding *f;
	(void)state;
	snprintf(yaml, sizeof(yaml), "note: fine\ntoken: %s\n", tok);
	assert_int_equal(tl_lint(&r, yaml, "secrets/token"), 1);
	f = tl_finding(&r, 0);
	assert_true(tl_finding_is("token", f, "secrets/token", 2, 8,
	                          "GitHub personal access token"));
	assert_null(strstr(f->message, "Zr8qL1"));
	assert_non_null(f->fingerprint);
	tl_lint_release(&r);
	expect_silent("note: fine\ntoken: ${GITHUB_TOKEN}\n", "secrets/token");
}

static const char flux_ns[] = "apiVersion: apps/v1\n"
                              "kind: Deployment\n"
                              "metadata:\n"
                              "  name: source-controller\n"
                              "  namespace: %s\n"
                              "  labels:\n"
                              "    app.kubernetes.io/part-of: flux\n"
                              "spec:\n"
                              "  template:\n"
                              "    spec:\n"
                              "      containers:\n"
                              "        - name: manager\n"
                              "          image: ghcr.io/fluxcd/"
                              "source-controller:v1.4.1\n";

static void test_rules__flux_controller_namespace(void **state)
{
	tl_lint_result r;
	char yaml[512];
	(void)state;
	snprintf(yaml, sizeof(yaml), flux_ns, "tools");
	assert_int_equal(tl_lint(&r, yaml, "flux/controller-namespace"), 1);
	assert_int_equal(tl_finding(&r, 0)->span.start.line, 5);
	assert_non_null(strstr(tl_finding(&r, 0)->message, "tools"));
	tl_lint_release(&r);
	snprintf(yaml, sizeof(yaml), flux_ns, "flux-system");
	expect_silent(yaml, "flux/controller-namespace");
}

static const char postgres[] = "apiVersion: apps/v1\n"
                               "kind: StatefulSet\n"
                               "metadata:\n"
                               "  name: db\n"
                               "spec:\n"
                               "  template:\n"
                               "    spec:\n"
                               "      containers:\n"
                               "        - name: db\n"
                               "          image: postgres:16\n"
                               "          env:\n"
                               "            - name: %s\n"
                               "              valueFrom:\n"
                               "                secretKeyRef: {name: db, "
                               "key: password}\n";

static void test_rules__declarative_pack_rule(void **state)
{
	tl_lint_result r;
	char yaml[512];
	(void)state;
	snprintf(yaml, sizeof(yaml), postgres, "POSTGRES_USER");
	assert_int_equal(tl_lint(&r, yaml, "postgres/postgres-password"), 1);
	assert_int_equal(tl_finding(&r, 0)->severity, PL_SEV_ERROR);
	tl_lint_release(&r);
	snprintf(yaml, sizeof(yaml), postgres, "POSTGRES_PASSWORD");
	expect_silent(yaml, "postgres/postgres-password");
}

static void test_rules__syntax_error_is_a_finding(void **state)
{
	tl_lint_result r;
	(void)state;
	assert_int_equal(tl_lint(&r, "a: [1, 2\nb: 3\n", "yaml/syntax"), 1);
	assert_true(tl_finding_is("unclosed flow", tl_finding(&r, 0),
	                          "yaml/syntax", 2, 2,
	                          "did not find expected ',' or ']'"));
	tl_lint_release(&r);
	expect_silent("a: [1, 2]\nb: 3\n", "yaml/syntax");
}

static void test_rules__no_rule_keeps_every_finding(void **state)
{
	tl_lint_result r;
	size_t i, dup = 0;
	(void)state;
	assert_true(tl_lint(&r, "a: 1\na: 2\nb: 1\nb: 2\n", NULL) >= 2);
	for (i = 0; i < pl_findings_len(&r.found); i++)
		dup += strcmp(tl_finding(&r, i)->rule, "yaml/duplicate-key") ==
		       0;
	assert_int_equal(dup, 2);
	/* sorted, as a run sorts them */
	assert_true(tl_finding(&r, 0)->span.start.line <=
	            tl_finding(&r, 1)->span.start.line);
	tl_lint_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_rules__duplicate_key),
	        cmocka_unit_test(test_rules__ambiguous_scalar_in_configmap),
	        cmocka_unit_test(test_rules__token_is_found_and_masked),
	        cmocka_unit_test(test_rules__flux_controller_namespace),
	        cmocka_unit_test(test_rules__declarative_pack_rule),
	        cmocka_unit_test(test_rules__syntax_error_is_a_finding),
	        cmocka_unit_test(test_rules__no_rule_keeps_every_finding),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
