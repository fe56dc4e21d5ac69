/*
 * test_config.c - .plumb.yaml (engine/run/config.c): what a valid file
 * sets (fail-on, excluded paths, rule severities applied to the real
 * registry, the allowlist, ignore entries) and how a broken one is
 * refused, at the line and column of the offending node.
 */
#include "testlib.h"
#include "run/config.h"
#include "run/run.h"
#include "finding/suppress.h"

static void load(pl_config *c, const char *text)
{
	pl_error err;
	pl_error_clear(&err);
	pl_config_init(c);
	if (pl_config_load_mem(c, ".plumb.yaml", text, strlen(text), &err)) {
		char msg[512];
		pl_error_format(&err, msg, sizeof(msg));
		print_error("%s\n", msg);
		fail();
	}
}

static void test_config__what_a_file_sets(void **state)
{
	pl_config c;
	pl_registry reg;
	pl_ruleset *packs;
	pl_error err;
	size_t at;
	(void)state;
	load(&c, "fail-on: warning\n"
	         "exclude: [\"vendor/\", \"*.gen.yaml\"]\n"
	         "rules:\n"
	         "  yaml/duplicate-key: warning\n"
	         "  workloads/*: off\n"
	         "secrets:\n"
	         "  allowlist:\n"
	         "    paths: [\"docs/*\"]\n"
	         "ignore:\n"
	         "  - paths: [\"legacy/*\"]\n"
	         "    rules: [yaml/ambiguous-scalar]\n"
	         "    reason: imported as is\n");
	assert_true(c.has_fail_on);
	assert_int_equal(c.fail_on, PL_SEV_WARNING);
	assert_true(pl_config_excluded(&c, "vendor/x.yaml"));
	assert_true(pl_config_excluded(&c, "apps/a.gen.yaml"));
	assert_false(pl_config_excluded(&c, "apps/a.yaml"));
	assert_int_equal(c.allow_paths.len, 1);
	assert_int_equal(c.ignores.len, 1);
	assert_string_equal(
	        ((pl_ignore_entry *)pl_vec_at(&c.ignores, 0))->reason,
	        "imported as is");

	pl_error_clear(&err);
	assert_int_equal(pl_run_registry(&reg, &packs, NULL, 0, &err), 0);
	assert_int_equal(pl_config_apply(&c, &reg, &err), 0);
	assert_non_null(pl_registry_find(&reg, "yaml/duplicate-key", &at));
	assert_int_equal(reg.severity[at], PL_SEV_WARNING);
	assert_non_null(pl_registry_find(&reg, "workloads/privileged", &at));
	assert_int_equal(reg.severity[at], PL_SEV_OFF);
	assert_non_null(pl_registry_find(&reg, "yaml/syntax", &at));
	assert_int_equal(reg.severity[at], PL_SEV_ERROR);
	pl_registry_release(&reg);
	pl_ruleset_free(packs);
	pl_config_release(&c);
}

/* Loading (and applying) text must fail with exactly want. */
static void refused(const char *text, const char *want)
{
	pl_config c;
	pl_registry reg;
	pl_ruleset *packs;
	pl_error err;
	char got[512];
	int rc;

	pl_error_clear(&err);
	pl_config_init(&c);
	rc = pl_config_load_mem(&c, ".plumb.yaml", text, strlen(text), &err);
	if (rc == 0) {
		assert_int_equal(pl_run_registry(&reg, &packs, NULL, 0, &err),
		                 0);
		rc = pl_config_apply(&c, &reg, &err);
		pl_registry_release(&reg);
		pl_ruleset_free(packs);
	}
	pl_error_format(&err, got, sizeof(got));
	if (rc == 0 || strcmp(got, want) != 0)
		print_error("rc %d, '%s', want '%s'\n", rc, got, want);
	assert_int_not_equal(rc, 0);
	assert_string_equal(got, want);
	pl_config_release(&c);
}

static void test_config__broken_files_are_refused(void **state)
{
	(void)state;
	refused("rulez:\n  yaml/duplicate-key: off\n",
	        ".plumb.yaml:1:1: unknown key 'rulez' (did you mean "
	        "'rules'?)");
	refused("rulse-dirs: [x]\n",
	        ".plumb.yaml:1:1: unknown key 'rulse-dirs' (did you mean "
	        "'rule-dirs'?)");
	refused("exclude: [x]\nzzz: 1\n",
	        ".plumb.yaml:2:1: unknown key 'zzz' (expected fail-on, "
	        "exclude, rules, secrets, ignore, rule-dirs)");
	refused("rules:\n  yaml/duplicate-kye: off\n",
	        ".plumb.yaml:2:3: unknown rule 'yaml/duplicate-kye' (did you "
	        "mean 'yaml/duplicate-key'?)");
	refused("rules:\n  yaml/duplicate-key: loud\n",
	        ".plumb.yaml:2:23: rules[\"yaml/duplicate-key\"]: must be one "
	        "of \"error\", \"warning\", \"info\", \"off\"; got \"loud\"");
	refused("fail-on: sometimes\n",
	        ".plumb.yaml:1:10: fail-on: must be one of \"error\", "
	        "\"warning\", \"info\", \"none\"; got \"sometimes\"");
	refused("fail-on: warnings\n",
	        ".plumb.yaml:1:10: fail-on: must be one of \"error\", "
	        "\"warning\", \"info\", \"none\"; got \"warnings\" (did you "
	        "mean \"warning\"?)");
	refused("- fail-on: error\n",
	        ".plumb.yaml:1:1: the configuration must be a mapping");
	refused("ignore:\n  - paths: [x]\n    rules: [secrets/tokens]\n",
	        ".plumb.yaml:2:5: ignore entry names unknown rule "
	        "'secrets/tokens' (did you mean 'secrets/token'?)");
	refused("ignore:\n  - rules: [secrets/token]\n",
	        ".plumb.yaml:2:5: ignore[0]: missing required key 'path' or "
	        "'paths'");
	refused("ignore:\n  - paths: [x]\n    rules: [secrets/token]\n"
	        "    until: 2027-02-30\n",
	        ".plumb.yaml:4:12: 'until' must be a date, YYYY-MM-DD");
	refused("secrets:\n  allowlist:\n    regexes: [\"[x\"]\n",
	        ".plumb.yaml:3:15: bad regular expression: missing "
	        "terminating ] for character class at offset 2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_config__what_a_file_sets),
	        cmocka_unit_test(test_config__broken_files_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
