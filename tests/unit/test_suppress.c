/*
 * test_suppress.c - the suppression stage (engine/finding/suppress.c)
 * over the findings of a real lint (tl_lint): an inline plumb:ignore on
 * the line or the line above hides its rule and keeps the finding,
 * marked; one without a reason, past its date or hiding nothing is a
 * finding of the stage itself; a .plumb.yaml entry matches by path.
 */
#include "testlib.h"
#include "finding/suppress.h"

static void apply_partial(tl_lint_result *r, const pl_ignore_entry *cfg,
                          size_t ncfg, bool partial)
{
	pl_suppress_opts so;
	const pl_file *f = r->file;
	memset(&so, 0, sizeof(so));
	so.today = "2026-06-01";
	so.config = cfg;
	so.nconfig = ncfg;
	so.missing_reason = so.expired = so.unused = PL_SEV_WARNING;
	so.partial = partial;
	pl_suppress_apply(&r->found, &f, 1, &so);
	pl_findings_sort(&r->found);
}

static void apply(tl_lint_result *r, const pl_ignore_entry *cfg, size_t ncfg)
{
	apply_partial(r, cfg, ncfg, false);
}

/* The finding of rule on line, or NULL. */
static const pl_finding *on_line(const tl_lint_result *r, const char *rule,
                                 uint32_t line)
{
	size_t i;
	for (i = 0; i < pl_findings_len(&r->found); i++) {
		const pl_finding *f = pl_findings_at(&r->found, i);
		if (strcmp(f->rule, rule) == 0 && f->span.start.line == line)
			return f;
	}
	return NULL;
}

static void test_suppress__inline_on_the_line_and_above(void **state)
{
	tl_lint_result r;
	const pl_finding *f;
	(void)state;
	tl_lint(&r,
	        "a: 1\n"
	        "a: 2 # plumb:ignore yaml/duplicate-key -- kubectl keeps it\n"
	        "b: 1\n"
	        "# plumb:ignore yaml/duplicate-key -- the second wins\n"
	        "b: 2\n"
	        "c: 1\n"
	        "c: 2\n",
	        NULL);
	apply(&r, NULL, 0);
	f = on_line(&r, "yaml/duplicate-key", 2);
	assert_non_null(f);
	assert_int_equal(f->suppressed, PL_SUPPRESS_INLINE);
	assert_string_equal(f->suppress_reason, "kubectl keeps it");
	f = on_line(&r, "yaml/duplicate-key", 5);
	assert_non_null(f);
	assert_int_equal(f->suppressed, PL_SUPPRESS_INLINE);
	f = on_line(&r, "yaml/duplicate-key", 7);
	assert_non_null(f);
	assert_int_equal(f->suppressed, PL_SUPPRESS_NONE);
	assert_null(on_line(&r, "suppression/unused", 2));
	assert_null(on_line(&r, "suppression/missing-reason", 2));
	tl_lint_release(&r);
}

static void test_suppress__the_stage_reports_its_own_problems(void **state)
{
	tl_lint_result r;
	const pl_finding *f;
	(void)state;
	tl_lint(&r,
	        "a: 1\n"
	        "a: 2 # plumb:ignore yaml/duplicate-key\n"
	        "b: 1 # plumb:ignore yaml/duplicate-key -- nothing here\n"
	        "c: 1\n"
	        "c: 2 # plumb:ignore yaml/duplicate-key until=2026-01-01 -- "
	        "old\n",
	        NULL);
	apply(&r, NULL, 0);
	/* no reason: still suppresses, and says so */
	assert_int_equal(on_line(&r, "yaml/duplicate-key", 2)->suppressed,
	                 PL_SUPPRESS_INLINE);
	f = on_line(&r, "suppression/missing-reason", 2);
	assert_non_null(f);
	assert_int_equal(f->severity, PL_SEV_WARNING);
	assert_non_null(on_line(&r, "suppression/unused", 3));
	/* past its date: no longer suppresses */
	assert_int_equal(on_line(&r, "yaml/duplicate-key", 5)->suppressed,
	                 PL_SUPPRESS_NONE);
	assert_non_null(on_line(&r, "suppression/expired", 5));
	tl_lint_release(&r);
}

static void test_suppress__config_entry_by_path_and_family(void **state)
{
	static const char *const paths[] = {"apps/*"};
	static const char *const other[] = {"vendor/*"};
	static const char *const rules[] = {"yaml/*"};
	pl_ignore_entry ent;
	tl_lint_result r;
	(void)state;
	memset(&ent, 0, sizeof(ent));
	ent.paths = paths;
	ent.npaths = 1;
	ent.rules = rules;
	ent.nrules = 1;
	ent.reason = "generated";
	tl_lint_path(&r, "apps/x.yaml", "a: 1\na: 2\n", "yaml/duplicate-key");
	apply(&r, &ent, 1);
	assert_int_equal(tl_finding(&r, 0)->suppressed, PL_SUPPRESS_CONFIG);
	tl_lint_release(&r);

	ent.paths = other;
	tl_lint_path(&r, "apps/x.yaml", "a: 1\na: 2\n", "yaml/duplicate-key");
	apply(&r, &ent, 1);
	assert_int_equal(on_line(&r, "yaml/duplicate-key", 2)->suppressed,
	                 PL_SUPPRESS_NONE);
	tl_lint_release(&r);
}

/* The count of rule's findings. */
static size_t count(const tl_lint_result *r, const char *rule)
{
	size_t i, n = 0;
	for (i = 0; i < pl_findings_len(&r->found); i++)
		n += strcmp(pl_findings_at(&r->found, i)->rule, rule) == 0;
	return n;
}

/* A lint that ran the rules on some files only (--staged, plumb lsp)
 * cannot tell whether a .plumb.yaml entry hides anything elsewhere: no
 * entry is called unused then. An inline marker in a linted file still
 * is. */
static void
test_suppress__partial_run_calls_no_config_entry_unused(void **state)
{
	static const char *const other[] = {"vendor/*"};
	static const char *const rules[] = {"yaml/*"};
	static const char yaml[] = "a: 1 # plumb:ignore yaml/merge-key -- x\n"
	                           "a: 2\n";
	pl_ignore_entry ent;
	tl_lint_result r;
	(void)state;
	memset(&ent, 0, sizeof(ent));
	ent.paths = other;
	ent.npaths = 1;
	ent.rules = rules;
	ent.nrules = 1;
	ent.reason = "vendored";
	/* the entry is written on line 2 of some source: the lint's own */
	ent.at.start.line = 2;
	ent.at.start.col = 1;
	tl_lint_path(&r, "apps/x.yaml", yaml, "yaml/duplicate-key");
	ent.src = &r.file->src;
	apply(&r, &ent, 1);
	assert_int_equal(count(&r, "suppression/unused"), 2);
	assert_non_null(on_line(&r, "suppression/unused", 2));
	tl_lint_release(&r);

	tl_lint_path(&r, "apps/x.yaml", yaml, "yaml/duplicate-key");
	ent.src = &r.file->src;
	apply_partial(&r, &ent, 1, true);
	assert_int_equal(count(&r, "suppression/unused"), 1);
	assert_non_null(on_line(&r, "suppression/unused", 1));
	tl_lint_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_suppress__inline_on_the_line_and_above),
	        cmocka_unit_test(
	                test_suppress__the_stage_reports_its_own_problems),
	        cmocka_unit_test(
	                test_suppress__config_entry_by_path_and_family),
	        cmocka_unit_test(
	                test_suppress__partial_run_calls_no_config_entry_unused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
