/*
 * test_session.c - the lint session (run/session.h): one session over a
 * repository on disk lints again and again, with in-memory overlays that
 * replace a file's bytes or add a file, and each lint judges its own
 * model (a CRD edited in an overlay changes what schema/invalid says of
 * its custom resources, and the edit's removal brings it back).
 */
#include "testlib.h"
#include "run/session.h"
#include "base/xalloc.h"

#include <unistd.h>

static const char crd_int[] =
        "apiVersion: apiextensions.k8s.io/v1\n"
        "kind: CustomResourceDefinition\n"
        "metadata:\n  name: widgets.example.com\n"
        "spec:\n  group: example.com\n"
        "  names: {kind: Widget, plural: widgets}\n"
        "  scope: Namespaced\n"
        "  versions:\n"
        "    - name: v1\n      served: true\n      storage: true\n"
        "      schema:\n        openAPIV3Schema:\n"
        "          type: object\n"
        "          properties:\n"
        "            spec:\n"
        "              type: object\n"
        "              properties:\n"
        "                size: {type: integer}\n";

static const char widget[] = "apiVersion: example.com/v1\n"
                             "kind: Widget\n"
                             "metadata:\n  name: large\n"
                             "spec:\n  size: \"3\"\n";

typedef struct repo {
	char dir[64];
	pl_walk walk;
	pl_run_opts opts;
	pl_session *s;
} repo;

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void repo_open(repo *r)
{
	const char *paths[1];
	pl_walk_opts wopts;
	pl_error err;

	snprintf(r->dir, sizeof(r->dir), "/tmp/test_session.XXXXXX");
	assert_non_null(mkdtemp(r->dir));
	write_file(r->dir, "crd.yaml", crd_int);
	write_file(r->dir, "widget.yaml", widget);
	pl_walk_init(&r->walk);
	memset(&wopts, 0, sizeof(wopts));
	wopts.root = r->dir;
	paths[0] = r->dir;
	pl_error_clear(&err);
	assert_int_equal(pl_walk_paths(&r->walk, paths, 1, &wopts, &err), 0);
	pl_run_opts_init(&r->opts);
	r->opts.jobs = 2;
	r->opts.root = r->dir;
	assert_int_equal(pl_session_open(&r->s, &r->opts, r->walk.root,
	                                 r->walk.in_git, 0, &err),
	                 0);
}

static void repo_close(repo *r)
{
	char cmd[128];
	pl_session_close(r->s);
	pl_walk_release(&r->walk);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", r->dir);
	assert_int_equal(system(cmd), 0);
}

/* How many unsuppressed findings of rule in path, whose message holds
 * text (NULL: any). */
static size_t count(const pl_lint *l, const char *rule, const char *path,
                    const char *text)
{
	size_t i, n = 0;
	for (i = 0; i < pl_findings_len(&l->all); i++) {
		const pl_finding *x = pl_findings_at(&l->all, i);
		if (!x->suppressed && strcmp(x->rule, rule) == 0 &&
		    strcmp(x->src->path, path) == 0 &&
		    (!text || strstr(x->message, text)))
			n++;
	}
	return n;
}

static void lint(repo *r, const pl_overlay *ov, pl_lint *l)
{
	pl_session_input in;
	pl_error err;
	memset(&in, 0, sizeof(in));
	in.entries = r->walk.entries.items;
	in.nentries = r->walk.entries.len;
	in.overlay = ov;
	pl_error_clear(&err);
	assert_int_equal(pl_session_lint(r->s, &in, l, &err), 0);
}

static void test_session__lints_again_with_the_same_result(void **state)
{
	repo r;
	pl_lint a, b;
	(void)state;
	repo_open(&r);
	lint(&r, NULL, &a);
	lint(&r, NULL, &b);
	assert_int_equal(
	        count(&a, "schema/invalid", "widget.yaml", "spec.size"), 1);
	assert_int_equal(
	        count(&b, "schema/invalid", "widget.yaml", "spec.size"), 1);
	assert_int_equal(pl_findings_len(&a.all), pl_findings_len(&b.all));
	pl_lint_release(&a);
	pl_lint_release(&b);
	repo_close(&r);
}

static void test_session__overlay_of_a_crd_rebinds_its_schema(void **state)
{
	repo r;
	pl_overlay ov;
	pl_lint l;
	char *crd_str = pl_xstrdup(crd_int);
	(void)state;

	/* the same CRD, size a string: the widget's "3" is valid */
	memcpy(strstr(crd_str, "integer"), "string} ", 8);
	repo_open(&r);
	pl_overlay_init(&ov);
	pl_overlay_put(&ov, "crd.yaml", crd_str, strlen(crd_str));
	lint(&r, &ov, &l);
	assert_int_equal(count(&l, "schema/invalid", "widget.yaml", NULL), 0);
	pl_lint_release(&l);
	/* the editor closed it: the disk's CRD again */
	assert_true(pl_overlay_remove(&ov, "crd.yaml"));
	assert_false(pl_overlay_remove(&ov, "crd.yaml"));
	lint(&r, &ov, &l);
	assert_int_equal(
	        count(&l, "schema/invalid", "widget.yaml", "spec.size"), 1);
	pl_lint_release(&l);
	pl_overlay_release(&ov);
	free(crd_str);
	repo_close(&r);
}

static void test_session__overlay_adds_an_unsaved_file(void **state)
{
	static const char dup[] = "a: 1\na: 2\n";
	repo r;
	pl_overlay ov;
	pl_lint l;
	size_t i;
	bool seen = false;
	(void)state;

	repo_open(&r);
	pl_overlay_init(&ov);
	pl_overlay_put(&ov, "new/unsaved.yaml", dup, strlen(dup));
	lint(&r, &ov, &l);
	assert_int_equal(
	        count(&l, "yaml/duplicate-key", "new/unsaved.yaml", NULL), 1);
	for (i = 0; i < l.nfiles; i++)
		seen = seen ||
		       strcmp(l.files[i].src.path, "new/unsaved.yaml") == 0;
	assert_true(seen);
	assert_int_equal(l.nfiles, r.walk.entries.len + 1);
	/* the overlay replaces: fixed in the buffer, silent */
	pl_lint_release(&l);
	pl_overlay_put(&ov, "new/unsaved.yaml", "a: 1\n", 5);
	lint(&r, &ov, &l);
	assert_int_equal(
	        count(&l, "yaml/duplicate-key", "new/unsaved.yaml", NULL), 0);
	assert_int_equal(
	        count(&l, "schema/invalid", "widget.yaml", "spec.size"), 1);
	pl_lint_release(&l);
	pl_overlay_release(&ov);
	repo_close(&r);
}

/* check's two-step open: the rules prepare on a task while the caller
 * walks; configure joins it, and the lint finds what open's would. The
 * caller's error meanwhile is returned as it is, and nothing is loaded. */
static void test_session__start_then_configure(void **state)
{
	repo r;
	pl_session *s;
	pl_lint l;
	pl_error err;
	(void)state;
	repo_open(&r);
	pl_error_clear(&err);
	assert_int_equal(pl_session_start(&s, &r.opts, 0, &err), 0);
	pl_error_set(&err, PL_EIO, "x.yaml", NULL, "cannot read the folder");
	assert_int_equal(pl_session_configure(s, r.walk.root, r.walk.in_git,
	                                      PL_EIO, &err),
	                 PL_EIO);
	assert_string_equal(err.msg, "cannot read the folder");
	pl_session_close(s);

	pl_session_close(r.s);
	pl_error_clear(&err);
	assert_int_equal(pl_session_start(&r.s, &r.opts, 0, &err), 0);
	assert_int_equal(
	        pl_session_configure(r.s, r.walk.root, r.walk.in_git, 0, &err),
	        0);
	lint(&r, NULL, &l);
	assert_int_equal(
	        count(&l, "schema/invalid", "widget.yaml", "spec.size"), 1);
	pl_lint_release(&l);
	repo_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(
	                test_session__lints_again_with_the_same_result),
	        cmocka_unit_test(
	                test_session__overlay_of_a_crd_rebinds_its_schema),
	        cmocka_unit_test(test_session__overlay_adds_an_unsaved_file),
	        cmocka_unit_test(test_session__start_then_configure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
