/*
 * test_registry.c - the rule catalogue guard (STYLE.md §7) and the
 * registry's checks and lookups. Run from the repository root (make test
 * does), so that fixtures/ is found.
 */
#include "testlib.h"
#include "rule/registry.h"
#include "builtin/builtin.h"
#include "run/run.h"
#include "finding/suppress.h"

#include <dirent.h>

static size_t count_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	size_t n = 0;
	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void test_registry__builtin_table_is_valid(void **state)
{
	pl_registry r;
	pl_error err;
	(void)state;
	pl_error_clear(&err);
	assert_int_equal(pl_registry_init(&r, pl_builtin_rules,
	                                  pl_builtin_rules_len, &err),
	                 0);
	assert_int_equal(r.len, pl_builtin_rules_len);
	pl_registry_release(&r);
}

/* The fixtures of rule x: fixtures/<id>/{bad,good}, each non-empty. */
static bool has_fixtures(const pl_rule *x, const char *which)
{
	char path[512];
	snprintf(path, sizeof(path), "fixtures/%s/%s", x->id, which);
	return count_entries(path) > 0;
}

/*
 * What a descriptor must declare (DESIGN.md "Rules", issue 21): summary,
 * help with a fix, an example that fires (plumb explain, docs; not for a
 * rule of the source stage), a severity, bad and good fixtures, and its SARIF
 * precision and tags, a pack's rule too (a user's rule file may leave them out:
 * SARIF reports it as high, tagged with its family). Returns what is missing,
 * or NULL.
 */
static const char *incomplete(const pl_rule *x)
{
	if (!x->summary || !x->summary[0])
		return "no summary";
	if (!x->help || !strstr(x->help, "Fix:"))
		return "a help without a 'Fix:' paragraph";
	/* what the source stage reports (a binary file, an unreadable
	 * folder) cannot come from the content of one YAML file */
	if ((!x->example || !x->example[0]) && x->stage != PL_STAGE_SOURCE)
		return "no example";
	if (x->severity == PL_SEV_OFF)
		return "no severity";
	if (!has_fixtures(x, "bad"))
		return "no fixtures/<id>/bad cases";
	if (!has_fixtures(x, "good"))
		return "no fixtures/<id>/good cases";
	/* the family is what users read; .secret is what the engine reads
	 * (no fixes, --history): they must agree */
	if (x->secret != (strncmp(x->id, "secrets/", 8) == 0))
		return "a .secret that disagrees with the secrets/ family";
	if (x->precision == PL_PRECISION_UNSET)
		return "no .precision";
	if (!x->tags || !x->tags[0])
		return "no .tags";
	return NULL;
}

/* Every rule plumb ships, built-in or in a pack, is complete. */
static void test_registry__every_shipped_rule_is_complete(void **state)
{
	pl_registry r;
	pl_ruleset *packs = NULL;
	pl_error err;
	size_t i, npacks = 0, bad = 0;
	(void)state;
	pl_error_clear(&err);
	assert_int_equal(pl_run_registry(&r, &packs, NULL, 0, &err), 0);
	assert_true(r.len > pl_builtin_rules_len);
	for (i = 0; i < r.len; i++) {
		const char *why = incomplete(r.rules[i]);
		npacks += r.rules[i]->origin != NULL;
		if (why) {
			print_error("%s: %s\n", r.rules[i]->id, why);
			bad++;
		}
	}
	assert_int_equal(npacks, r.len - pl_builtin_rules_len);
	pl_registry_release(&r);
	pl_ruleset_free(packs);
	assert_int_equal(bad, 0);
}

/* The check above can fail: a descriptor missing each field in turn. */
static void test_registry__an_incomplete_descriptor_is_named(void **state)
{
	pl_rule x = *pl_builtin_rules[0];
	(void)state;
	assert_null(incomplete(&x));
	x.precision = PL_PRECISION_UNSET;
	assert_string_equal(incomplete(&x), "no .precision");
	x = *pl_builtin_rules[0];
	x.tags = NULL;
	assert_string_equal(incomplete(&x), "no .tags");
	x = *pl_builtin_rules[0];
	x.example = NULL;
	assert_string_equal(incomplete(&x), "no example");
	x = *pl_builtin_rules[0];
	x.help = "Why, but not how.";
	assert_non_null(strstr(incomplete(&x), "Fix:"));
	x = *pl_builtin_rules[0];
	x.secret = !x.secret;
	assert_non_null(strstr(incomplete(&x), ".secret"));
	/* a pack's rule (origin set) must declare them too */
	x = *pl_builtin_rules[0];
	x.origin = "rules/fake.yaml";
	assert_null(incomplete(&x));
	x.precision = PL_PRECISION_UNSET;
	assert_string_equal(incomplete(&x), "no .precision");
	x.precision = PL_PRECISION_HIGH;
	x.tags = NULL;
	assert_string_equal(incomplete(&x), "no .tags");
	x = *pl_builtin_rules[0];
	x.id = "fake/no-fixtures";
	assert_string_equal(incomplete(&x), "no fixtures/<id>/bad cases");
}

static void check_rule(pl_ctx *ctx, const pl_object *o)
{
	(void)ctx;
	(void)o;
}

static const pl_rule fake_b = {
        .id = "fake/b",
        .severity = PL_SEV_WARNING,
        .summary = "B",
        .help = "b",
        .scope = PL_SCOPE_OBJECT,
        .check_object = check_rule,
};
static const pl_rule fake_a = {
        .id = "fake/a",
        .severity = PL_SEV_ERROR,
        .summary = "A",
        .help = "a",
        .scope = PL_SCOPE_OBJECT,
        .check_object = check_rule,
};
static const pl_rule fake_bad_id = {
        .id = "Fake/Upper",
        .severity = PL_SEV_ERROR,
        .summary = "x",
        .help = "x",
        .scope = PL_SCOPE_OBJECT,
        .check_object = check_rule,
};
static const pl_rule fake_period = {
        .id = "fake/period",
        .severity = PL_SEV_ERROR,
        .summary = "Ends with a period.",
        .help = "x",
        .scope = PL_SCOPE_OBJECT,
        .check_object = check_rule,
};
static const pl_rule fake_no_check = {
        .id = "fake/no-check",
        .severity = PL_SEV_ERROR,
        .summary = "x",
        .help = "x",
        .scope = PL_SCOPE_FILE,
        .check_object = check_rule,
};

static void check_file(pl_ctx *ctx, const pl_file *f)
{
	(void)ctx;
	(void)f;
}

/* A rule the suppression stage reports is never dispatched: it has no
 * check function and no file kind; a checked one is refused. */
static const pl_rule fake_stage = {
        .id = "fake/stage",
        .severity = PL_SEV_WARNING,
        .summary = "x",
        .help = "x",
        .scope = PL_SCOPE_FILE,
        .stage = PL_STAGE_SUPPRESSION,
};
static const pl_rule fake_stage_checked = {
        .id = "fake/stage-checked",
        .severity = PL_SEV_WARNING,
        .summary = "x",
        .help = "x",
        .scope = PL_SCOPE_FILE,
        .file_kinds = PL_FILES_YAML,
        .check_file = check_file,
        .stage = PL_STAGE_SUPPRESSION,
};

static void test_registry__stage_rules_have_no_check(void **state)
{
	pl_registry r;
	pl_error err;
	const pl_rule *ok[] = {&fake_stage};
	const pl_rule *checked[] = {&fake_stage_checked};
	(void)state;
	assert_int_equal(pl_registry_init(&r, ok, 1, &err), 0);
	pl_registry_release(&r);
	assert_int_equal(pl_registry_init(&r, checked, 1, &err), PL_EINTERNAL);
	assert_non_null(strstr(err.msg, "fake/stage-checked"));
	pl_registry_release(&r);
}

/* What the suppression stage emits is exactly the built-in rules that
 * say the stage reports them. */
static void test_registry__suppression_stage_ids_are_its_rules(void **state)
{
	static const char *const emitted[] = {PL_SUPPRESS_RULE_EXPIRED,
	                                      PL_SUPPRESS_RULE_MISSING_REASON,
	                                      PL_SUPPRESS_RULE_UNUSED};
	pl_registry r;
	pl_error err;
	size_t i, stage = 0;
	(void)state;
	assert_int_equal(pl_registry_init(&r, pl_builtin_rules,
	                                  pl_builtin_rules_len, &err),
	                 0);
	for (i = 0; i < PL_ARRAY_SIZE(emitted); i++) {
		const pl_rule *x = pl_registry_find(&r, emitted[i], NULL);
		assert_non_null(x);
		assert_int_equal(x->stage, PL_STAGE_SUPPRESSION);
	}
	for (i = 0; i < r.len; i++)
		stage += r.rules[i]->stage == PL_STAGE_SUPPRESSION;
	assert_int_equal(stage, PL_ARRAY_SIZE(emitted));
	pl_registry_release(&r);
}

static void
test_registry__refuses_unsorted_duplicate_and_malformed(void **state)
{
	pl_registry r;
	pl_error err;
	const pl_rule *unsorted[] = {&fake_b, &fake_a};
	const pl_rule *dup[] = {&fake_a, &fake_a};
	const pl_rule *bad_id[] = {&fake_bad_id};
	const pl_rule *period[] = {&fake_period};
	const pl_rule *no_check[] = {&fake_no_check};
	(void)state;

	assert_int_equal(pl_registry_init(&r, unsorted, 2, &err), PL_EINTERNAL);
	assert_non_null(strstr(err.msg, "not sorted"));
	pl_registry_release(&r);
	assert_int_equal(pl_registry_init(&r, dup, 2, &err), PL_EINTERNAL);
	pl_registry_release(&r);
	assert_int_equal(pl_registry_init(&r, bad_id, 1, &err), PL_EINTERNAL);
	assert_non_null(strstr(err.msg, "bad id"));
	pl_registry_release(&r);
	assert_int_equal(pl_registry_init(&r, period, 1, &err), PL_EINTERNAL);
	pl_registry_release(&r);
	assert_int_equal(pl_registry_init(&r, no_check, 1, &err), PL_EINTERNAL);
	pl_registry_release(&r);
}

/* The object rules, in registry order, a kind gets by the rule's own
 * kinds list: what the dispatch index must hold. */
static size_t linear(const pl_registry *r, const char *kind, size_t *out)
{
	size_t i, n = 0;
	for (i = 0; i < r->len; i++) {
		const pl_rule *x = r->rules[i];
		const char *const *k;
		bool match = !x->kinds;
		if (x->scope != PL_SCOPE_OBJECT || r->severity[i] == PL_SEV_OFF)
			continue;
		for (k = x->kinds; k && *k && kind && !match; k++)
			match = strcmp(*k, kind) == 0;
		if (match)
			out[n++] = i;
	}
	return n;
}

static void test_registry__kind_index_matches_each_rules_kinds(void **state)
{
	static const char *const kinds[] = {
	        "Deployment", "Kustomization", "HelmRelease", "ImagePolicy",
	        "Secret",     "CronJob",       "NoSuchKind",  NULL};
	pl_registry r;
	pl_error err;
	size_t i, k, want[256], n, off;
	(void)state;
	pl_error_clear(&err);
	assert_int_equal(pl_registry_init(&r, pl_builtin_rules,
	                                  pl_builtin_rules_len, &err),
	                 0);
	assert_true(r.len < PL_ARRAY_SIZE(want));
	/* a rule turned off leaves every list */
	off = r.len;
	for (i = 0; i < r.len && off == r.len; i++)
		if (r.rules[i]->scope == PL_SCOPE_OBJECT && r.rules[i]->kinds)
			off = i;
	assert_true(off < r.len);
	r.severity[off] = PL_SEV_OFF;
	pl_registry_index(&r);
	assert_true(r.indexed);
	for (k = 0; k < PL_ARRAY_SIZE(kinds); k++) {
		const char *kind = kinds[k];
		const pl_vec *v =
		        kind ? pl_map_get(&r.by_kind, kind, strlen(kind))
		             : NULL;
		if (!v)
			v = &r.any_kind;
		n = linear(&r, kind, want);
		if (v->len != n)
			fail_msg("%s: %zu rules indexed, want %zu",
			         kind ? kind : "(no kind)", v->len, n);
		for (i = 0; i < n; i++)
			assert_int_equal(*(size_t *)pl_vec_at(v, i), want[i]);
	}
	pl_registry_release(&r);
}

static void test_registry__find_and_suggest(void **state)
{
	pl_registry r;
	pl_error err;
	const pl_rule *table[] = {&fake_a, &fake_b};
	size_t idx = 99;
	(void)state;

	assert_int_equal(pl_registry_init(&r, table, 2, &err), 0);
	assert_ptr_equal(pl_registry_find(&r, "fake/b", &idx), &fake_b);
	assert_int_equal(idx, 1);
	assert_null(pl_registry_find(&r, "fake/c", NULL));
	assert_string_equal(pl_registry_suggest(&r, "fake/bb"), "fake/b");
	assert_string_equal(pl_registry_suggest(&r, "a"), "fake/a");
	assert_null(pl_registry_suggest(&r, "something/else-entirely"));
	assert_int_equal(r.severity[0], PL_SEV_ERROR);
	assert_int_equal(r.severity[1], PL_SEV_WARNING);
	pl_registry_release(&r);
}

static void test_registry__rule_id_format(void **state)
{
	static const struct {
		const char *id;
		bool ok;
	} cases[] = {
	        {"yaml/syntax", true},  {"flux/controller-namespace", true},
	        {"a1/b2", true},        {"yaml", false},
	        {"yaml/", false},       {"/syntax", false},
	        {"Yaml/syntax", false}, {"yaml/syn_tax", false},
	        {"yaml/-x", false},     {"yaml/x-", false},
	        {"yaml/a--b", false},   {"a/b/c", false},
	};
	size_t i;
	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++)
		if (pl_rule_id_valid(cases[i].id) != cases[i].ok)
			fail_msg("pl_rule_id_valid(\"%s\") != %d", cases[i].id,
			         cases[i].ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_registry__builtin_table_is_valid),
	        cmocka_unit_test(test_registry__every_shipped_rule_is_complete),
	        cmocka_unit_test(
	                test_registry__an_incomplete_descriptor_is_named),
	        cmocka_unit_test(
	                test_registry__refuses_unsorted_duplicate_and_malformed),
	        cmocka_unit_test(
	                test_registry__kind_index_matches_each_rules_kinds),
	        cmocka_unit_test(test_registry__stage_rules_have_no_check),
	        cmocka_unit_test(
	                test_registry__suppression_stage_ids_are_its_rules),
	        cmocka_unit_test(test_registry__find_and_suggest),
	        cmocka_unit_test(test_registry__rule_id_format),
	};
	return cmocka_run_group_tests_name("registry", tests, NULL, NULL);
}
