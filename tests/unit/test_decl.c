/*
 * test_decl.c - declarative rule files (engine/rule/decl.c): a rule file
 * loads, registers next to the built-in rules and fires through the real
 * run (tl_lint_rules); a broken one is refused with its line and column
 * and a message that says what is wrong.
 */
#include "testlib.h"
#include "rule/decl.h"
#include "run/run.h"

static const char replicas[] =
        "rules:\n"
        "  - id: team/replicas\n"
        "    severity: warning\n"
        "    summary: A Deployment runs a single replica\n"
        "    help: |\n"
        "      One replica means downtime on every rollout.\n"
        "      Fix: set spec.replicas to 2 or more.\n"
        "    match: {kinds: [Deployment]}\n"
        "    assert: {path: spec.replicas, min: 2}\n"
        "    message: \"{kind} '{name}' runs {value} replica\"\n";

static const char deployment[] = "apiVersion: apps/v1\n"
                                 "kind: Deployment\n"
                                 "metadata:\n"
                                 "  name: web\n"
                                 "spec:\n"
                                 "  replicas: %d\n";

static void test_decl__rule_fires_with_its_message(void **state)
{
	tl_lint_result r;
	char yaml[256];
	const pl_rule *rule;
	size_t at;
	(void)state;
	snprintf(yaml, sizeof(yaml), deployment, 1);
	assert_int_equal(tl_lint_rules(&r, replicas, yaml, "team/replicas"), 1);
	assert_true(tl_finding_is("one replica", tl_finding(&r, 0),
	                          "team/replicas", 6, 13,
	                          "Deployment 'web' runs 1 replica"));
	assert_int_equal(tl_finding(&r, 0)->severity, PL_SEV_WARNING);
	/* registered next to the built-in rules, with what it declares */
	rule = pl_registry_find(&r.reg, "team/replicas", &at);
	assert_non_null(rule);
	assert_string_equal(rule->summary,
	                    "A Deployment runs a single replica");
	assert_int_equal(r.reg.severity[at], PL_SEV_WARNING);
	assert_non_null(pl_registry_find(&r.reg, "yaml/duplicate-key", NULL));
	tl_lint_release(&r);

	snprintf(yaml, sizeof(yaml), deployment, 3);
	assert_int_equal(tl_lint_rules(&r, replicas, yaml, "team/replicas"), 0);
	tl_lint_release(&r);
}

static void test_decl__match_limits_the_kinds(void **state)
{
	tl_lint_result r;
	(void)state;
	assert_int_equal(tl_lint_rules(&r, replicas,
	                               "apiVersion: apps/v1\n"
	                               "kind: StatefulSet\n"
	                               "metadata: {name: db}\n"
	                               "spec: {replicas: 1}\n",
	                               "team/replicas"),
	                 0);
	tl_lint_release(&r);
}

/* Loads text as rules.yaml; the error it gives, formatted as plumb
 * prints it, must be want. */
static void refused(const char *text, const char *want)
{
	pl_ruleset *rs;
	pl_error err;
	char got[512];
	int rc;

	pl_error_clear(&err);
	pl_ruleset_new(&rs);
	rc = pl_ruleset_load_mem(rs, "rules.yaml", text, strlen(text), &err);
	pl_error_format(&err, got, sizeof(got));
	if (rc != PL_ERULE || strcmp(got, want) != 0)
		print_error("rc %d, error '%s', want '%s'\n", rc, got, want);
	assert_int_equal(rc, PL_ERULE);
	assert_string_equal(got, want);
	pl_ruleset_free(rs);
}

static void test_decl__broken_rule_files_are_refused(void **state)
{
	(void)state;
	refused("rules:\n  - id: minReplicas\n    severity: warning\n"
	        "    summary: s\n    help: h\n"
	        "    assert: {path: spec.replicas, min: 2}\n"
	        "    message: m\n",
	        "rules.yaml:2:9: rule id 'minReplicas' must be "
	        "family/kebab-name");
	refused("rules:\n  - id: team/x\n    severity: fatal\n"
	        "    summary: s\n    help: h\n"
	        "    assert: {path: spec.replicas, min: 2}\n"
	        "    message: m\n",
	        "rules.yaml:3:15: rules[0].severity: must be one of \"error\", "
	        "\"warning\", \"info\"; got \"fatal\"");
	/* a misspelt key or value: the closest known one */
	refused("rules:\n  - id: team/x\n    severity: error\n"
	        "    summary: s\n    help: h\n    match: {kind: Pod}\n"
	        "    assert: {path: spec.replicas, min: 2}\n"
	        "    message: m\n",
	        "rules.yaml:6:13: unknown key 'kind' in rules[0].match (did "
	        "you mean 'kinds'?)");
	refused("rules:\n  - id: team/x\n    severity: warnign\n"
	        "    summary: s\n    help: h\n"
	        "    assert: {path: spec.replicas, min: 2}\n"
	        "    message: m\n",
	        "rules.yaml:3:15: rules[0].severity: must be one of \"error\", "
	        "\"warning\", \"info\"; got \"warnign\" (did you mean "
	        "\"warning\"?)");
	/* a condition: the operator it has says which one it is */
	refused("rules:\n  - id: team/x\n    severity: error\n"
	        "    summary: s\n    help: h\n"
	        "    assert: {path: spec.replicas, exists: yes}\n"
	        "    message: m\n",
	        "rules.yaml:6:43: rules[0].assert.exists: expected boolean, "
	        "got string \"yes\"");
	refused("rules:\n  - id: team/x\n    severity: error\n"
	        "    summary: s\n    help: h\n"
	        "    assert: {env-defines: [A]}\n"
	        "    message: m\n",
	        "rules.yaml:6:14: 'env-defines' needs target: container");
	refused("rules:\n  - id: team/x\n    severity: error\n"
	        "    summary: s\n    help: h\n"
	        "    assert: {path: metadata.name, regex: \"[a-\"}\n"
	        "    message: m\n",
	        "rules.yaml:6:42: regex '[a-' does not compile: missing "
	        "terminating ] for character class at offset 3");
}

static void test_decl__an_id_taken_by_a_builtin_rule(void **state)
{
	pl_registry reg;
	pl_ruleset *packs, *rs;
	pl_error err;
	const char *text = "rules:\n  - id: yaml/duplicate-key\n"
	                   "    severity: warning\n    summary: s\n"
	                   "    help: |\n      h\n      Fix: f.\n"
	                   "    assert: {path: spec.replicas, min: 2}\n"
	                   "    message: m\n";
	(void)state;
	pl_error_clear(&err);
	assert_int_equal(pl_run_registry(&reg, &packs, NULL, 0, &err), 0);
	pl_ruleset_new(&rs);
	assert_int_equal(
	        pl_ruleset_load_mem(rs, "rules.yaml", text, strlen(text), &err),
	        0);
	assert_int_equal(pl_ruleset_register(rs, &reg, &err), PL_ERULE);
	assert_non_null(strstr(err.msg, "yaml/duplicate-key"));
	pl_registry_release(&reg);
	pl_ruleset_free(rs);
	pl_ruleset_free(packs);
}

/* tags, precision and security reach the descriptor as a built-in rule
 * declares them; a rule without them leaves them unset (SARIF: its family,
 * high, no security-severity). */
static void test_decl__reporting_fields_reach_the_descriptor(void **state)
{
	tl_lint_result r;
	const char *rules =
	        "rules:\n  - id: team/privileged\n    severity: error\n"
	        "    tags: [security, team, external/cwe/cwe-250]\n"
	        "    precision: very-high\n    security: true\n"
	        "    summary: s\n    help: h\n"
	        "    assert: {path: spec.replicas, min: 2}\n"
	        "    message: m\n"
	        "  - id: team/plain\n    severity: info\n"
	        "    summary: s\n    help: h\n"
	        "    assert: {path: spec.replicas, min: 2}\n"
	        "    message: m\n";
	const pl_rule *x;
	(void)state;
	tl_lint_rules(&r, rules, "kind: ConfigMap\n", "team/privileged");
	x = pl_registry_find(&r.reg, "team/privileged", NULL);
	assert_non_null(x);
	assert_int_equal(x->precision, PL_PRECISION_VERY_HIGH);
	assert_true(x->security);
	assert_non_null(x->tags);
	assert_string_equal(x->tags[0], "security");
	assert_string_equal(x->tags[2], "external/cwe/cwe-250");
	assert_null(x->tags[3]);
	x = pl_registry_find(&r.reg, "team/plain", NULL);
	assert_non_null(x);
	assert_int_equal(x->precision, PL_PRECISION_UNSET);
	assert_false(x->security);
	assert_null(x->tags);
	tl_lint_release(&r);
}

/* code scanning reads a security rule from its security-severity and its
 * "security" tag: one without the other is refused, as is a precision
 * SARIF has no word for */
static void test_decl__security_needs_its_tag(void **state)
{
	(void)state;
	refused("rules:\n  - id: team/x\n    severity: error\n"
	        "    tags: [team]\n    security: true\n"
	        "    summary: s\n    help: h\n"
	        "    assert: {path: spec.replicas, min: 2}\n"
	        "    message: m\n",
	        "rules.yaml:5:15: a rule with 'security: true' needs the tag "
	        "'security'");
	refused("rules:\n  - id: team/x\n    severity: error\n"
	        "    tags: [security]\n"
	        "    summary: s\n    help: h\n"
	        "    assert: {path: spec.replicas, min: 2}\n"
	        "    message: m\n",
	        "rules.yaml:4:11: a rule tagged 'security' needs "
	        "'security: true'");
	refused("rules:\n  - id: team/x\n    severity: error\n"
	        "    precision: certain\n"
	        "    summary: s\n    help: h\n"
	        "    assert: {path: spec.replicas, min: 2}\n"
	        "    message: m\n",
	        "rules.yaml:4:16: rules[0].precision: must be one of "
	        "\"very-high\", \"high\", \"medium\", \"low\"; got \"certain\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_decl__rule_fires_with_its_message),
	        cmocka_unit_test(test_decl__match_limits_the_kinds),
	        cmocka_unit_test(test_decl__broken_rule_files_are_refused),
	        cmocka_unit_test(test_decl__an_id_taken_by_a_builtin_rule),
	        cmocka_unit_test(
	                test_decl__reporting_fields_reach_the_descriptor),
	        cmocka_unit_test(test_decl__security_needs_its_tag),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
