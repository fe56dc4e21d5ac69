/*
 * test_walk.c - file discovery: order, .git, ignores, symbolic links, Helm
 * templates, sniffing, errors and reported paths.
 *
 * Each test builds its tree in a fresh mkdtemp folder and runs with that
 * folder as the working directory; teardown removes it and goes back.
 * Repositories are made with libgit2, whose global, XDG and system
 * configuration are pointed at an empty place so the user's own ignore
 * files cannot change the results.
 */
/* realpath(3) and mkdtemp(3) need X/Open in glibc; before any header */
#define _XOPEN_SOURCE 700

#include "testlib.h"
#include "source/walk.h"

#include <git2.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#define TL_PATH_MAX 4096

typedef struct fixture {
	char dir[TL_PATH_MAX]; /* the temporary folder, realpath */
	char cwd[TL_PATH_MAX]; /* where the test started */
} fixture;

/* --- helpers --------------------------------------------------------- */

static void mkdirs(const char *path)
{
	char tmp[TL_PATH_MAX];
	size_t i, n = strlen(path);

	assert_true(n < sizeof(tmp));
	memcpy(tmp, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (tmp[i] != '/' && tmp[i] != '\0')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			fail_msg("mkdir %s: %s", tmp, strerror(errno));
		tmp[i] = path[i];
	}
}

/* Writes text to path (relative to the test folder), making its folders. */
static void put(const char *path, const char *text)
{
	const char *slash = strrchr(path, '/');
	FILE *f;

	if (slash) {
		char dir[TL_PATH_MAX];
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
		mkdirs(dir);
	}
	f = fopen(path, "w");
	if (!f)
		fail_msg("cannot create %s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
}

static void link_to(const char *target, const char *path)
{
	if (symlink(target, path) != 0)
		fail_msg("symlink %s: %s", path, strerror(errno));
}

static void git_init(const char *path)
{
	git_repository *repo = NULL;

	mkdirs(path);
	if (git_repository_init(&repo, path, 0) != 0)
		fail_msg("git init %s failed", path);
	git_repository_free(repo);
}

/* Writes top, then "/d" levels times, then leaf into out. */
static void deep_path(char *out, size_t size, const char *top, size_t levels,
                      const char *leaf)
{
	size_t i, n = (size_t)snprintf(out, size, "%s", top);

	for (i = 0; i < levels; i++) {
		assert_true(n + 2 < size);
		n += (size_t)snprintf(out + n, size - n, "/d");
	}
	assert_true(n + strlen(leaf) < size);
	snprintf(out + n, size - n, "%s", leaf);
}

static void remove_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;

	if (lstat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	chmod(path, 0700);
	d = opendir(path);
	if (d) {
		for (;;) {
			char sub[TL_PATH_MAX];
			e = readdir(d);
			if (!e)
				break;
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			remove_tree(sub);
		}
		closedir(d);
	}
	rmdir(path);
}

/* Walks paths[0..n) and asserts success. */
static void walk(pl_walk *w, const char *const *paths, size_t n, bool no_ignore)
{
	pl_walk_opts opts;
	pl_error err;
	int rc;

	memset(&opts, 0, sizeof(opts));
	opts.no_ignore = no_ignore;
	pl_error_clear(&err);
	pl_walk_init(w);
	rc = pl_walk_paths(w, paths, n, &opts, &err);
	if (rc != 0)
		fail_msg("pl_walk_paths: %d %s", rc, err.msg);
}

/* Asserts the reported paths are exactly want[0..n), in order. */
static void expect_paths(const pl_walk *w, const char *const *want, size_t n)
{
	size_t i;
	bool ok = w->entries.len == n;

	for (i = 0; ok && i < n; i++)
		ok = !strcmp(((pl_walk_entry *)pl_vec_at(&w->entries, i))->path,
		             want[i]);
	if (ok)
		return;
	print_error("got %zu entries:\n", w->entries.len);
	for (i = 0; i < w->entries.len; i++)
		print_error("  %s\n",
		            ((pl_walk_entry *)pl_vec_at(&w->entries, i))->path);
	print_error("want %zu:\n", n);
	for (i = 0; i < n; i++)
		print_error("  %s\n", want[i]);
	fail();
}

static const pl_walk_entry *entry(const pl_walk *w, const char *path)
{
	size_t i;

	for (i = 0; i < w->entries.len; i++) {
		const pl_walk_entry *e = pl_vec_at(&w->entries, i);
		if (!strcmp(e->path, path))
			return e;
	}
	fail_msg("no entry '%s'", path);
	return NULL;
}

/* --- set-up ---------------------------------------------------------- */

static int group_setup(void **state)
{
	static const int levels[] = {GIT_CONFIG_LEVEL_SYSTEM,
	                             GIT_CONFIG_LEVEL_XDG,
	                             GIT_CONFIG_LEVEL_GLOBAL};
	size_t i;

	(void)state;
	/* held for the whole run, so these options outlive every handle */
	git_libgit2_init();
	for (i = 0; i < PL_ARRAY_SIZE(levels); i++)
		git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, levels[i],
		                 "/nonexistent/plumb-test-config");
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	git_libgit2_shutdown();
	return 0;
}

static int setup(void **state)
{
	fixture *fx = calloc(1, sizeof(*fx));
	const char *tmp = getenv("TMPDIR");
	char tmpl[TL_PATH_MAX];
	char *real;

	assert_non_null(fx);
	if (!tmp || !*tmp)
		tmp = "/tmp";
	assert_true((size_t)snprintf(tmpl, sizeof(tmpl), "%s/plumb-walk-XXXXXX",
	                             tmp) < sizeof(tmpl));
	assert_non_null(getcwd(fx->cwd, sizeof(fx->cwd)));
	assert_non_null(mkdtemp(tmpl));
	real = realpath(tmpl, NULL);
	assert_non_null(real);
	assert_true(strlen(real) < sizeof(fx->dir));
	snprintf(fx->dir, sizeof(fx->dir), "%s", real);
	free(real);
	assert_int_equal(chdir(fx->dir), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;

	assert_int_equal(chdir(fx->cwd), 0);
	remove_tree(fx->dir);
	free(fx);
	return 0;
}

/* --- listing --------------------------------------------------------- */

static void test_walk__lists_files_recursively_sorted(void **state)
{
	static const char *const args[] = {"."};
	/* byte order of the whole path: '-' sorts before '/' */
	static const char *const want[] = {"Makefile", "a-b.yaml", "a/b/c.json",
	                                   "a/z.yml", "b.yaml"};
	fixture *fx = *state;
	const pl_walk_entry *e;
	pl_walk w;

	put("b.yaml", "a: 1\n");
	put("a/z.yml", "a: 1\n");
	put("a/b/c.json", "{}\n");
	put("a-b.yaml", "a: 1\n");
	put("Makefile", "all: build\n");
	walk(&w, args, 1, false);
	expect_paths(&w, want, PL_ARRAY_SIZE(want));
	assert_string_equal(w.root, fx->dir);
	assert_false(w.in_git);
	e = entry(&w, "a/b/c.json");
	assert_string_equal(e->fspath, "a/b/c.json");
	assert_int_equal(e->kind, PL_SOURCE_YAML);
	assert_int_equal(e->skip, PL_SKIP_NONE);
	assert_int_equal(entry(&w, "Makefile")->kind, PL_SOURCE_TEXT);
	pl_walk_release(&w);
}

static void test_walk__no_paths_means_dot(void **state)
{
	static const char *const want[] = {"x.yaml"};
	pl_walk w;

	(void)state;
	put("x.yaml", "a: 1\n");
	walk(&w, NULL, 0, false);
	expect_paths(&w, want, PL_ARRAY_SIZE(want));
	pl_walk_release(&w);
}

static void test_walk__skips_dot_git(void **state)
{
	static const char *const args[] = {"repo"};
	static const char *const want[] = {"a.yaml", "vendor/b.yaml"};
	pl_walk w;

	(void)state;
	git_init("repo");
	put("repo/a.yaml", "a: 1\n");
	/* a submodule-like nested .git folder, and a .git pointer file */
	put("repo/vendor/.git/config", "[core]\n");
	put("repo/vendor/b.yaml", "a: 1\n");
	walk(&w, args, 1, false);
	expect_paths(&w, want, PL_ARRAY_SIZE(want));
	assert_true(w.in_git);
	pl_walk_release(&w);
}

/* --- ignores --------------------------------------------------------- */

static void make_ignoring_repo(void)
{
	git_init("repo");
	put("repo/.gitignore", "*.log\nbuild/\nsecret.yaml\n");
	put("repo/app.yaml", "a: 1\n");
	put("repo/x.log", "log\n");
	put("repo/sub/y.log", "log\n");
	put("repo/secret.yaml", "a: 1\n");
	put("repo/build/out.yaml", "a: 1\n");
}

static void test_walk__honours_gitignore_in_git_repo(void **state)
{
	static const char *const args[] = {"repo"};
	static const char *const want[] = {".gitignore", "app.yaml"};
	pl_walk w;

	(void)state;
	make_ignoring_repo();
	walk(&w, args, 1, false);
	expect_paths(&w, want, PL_ARRAY_SIZE(want));
	pl_walk_release(&w);
}

static void test_walk__no_ignore_lists_ignored_files(void **state)
{
	static const char *const args[] = {"repo"};
	static const char *const want[] = {".gitignore",     "app.yaml",
	                                   "build/out.yaml", "secret.yaml",
	                                   "sub/y.log",      "x.log"};
	pl_walk w;

	(void)state;
	make_ignoring_repo();
	walk(&w, args, 1, true);
	expect_paths(&w, want, PL_ARRAY_SIZE(want));
	pl_walk_release(&w);
}

/*
 * Reading an ignored folder would show: a folder nested past the depth
 * limit inside it is listed as unreadable before any ignore check of
 * what lies below, and so is one that cannot be opened.
 */
static void test_walk__ignored_folder_is_pruned(void **state)
{
	static const char *const args[] = {"repo"};
	static const char *const want[] = {".gitignore", "app.yaml"};
	char path[TL_PATH_MAX];
	pl_walk w;

	(void)state;
	make_ignoring_repo();
	deep_path(path, sizeof(path), "repo/build", 258, "/x.yaml");
	put(path, "a: 1\n");
	put("repo/build/locked/x.yaml", "a: 1\n");
	assert_int_equal(chmod("repo/build/locked", 0), 0);
	walk(&w, args, 1, false);
	expect_paths(&w, want, PL_ARRAY_SIZE(want));
	pl_walk_release(&w);
}

static void test_walk__explicit_ignored_file_is_listed(void **state)
{
	static const char *const args[] = {"repo", "repo/secret.yaml",
	                                   "repo/x.log"};
	static const char *const want[] = {".gitignore", "app.yaml",
	                                   "secret.yaml", "x.log"};
	pl_walk w;

	(void)state;
	make_ignoring_repo();
	walk(&w, args, PL_ARRAY_SIZE(args), false);
	expect_paths(&w, want, PL_ARRAY_SIZE(want));
	assert_string_equal(entry(&w, "secret.yaml")->fspath,
	                    "repo/secret.yaml");
	pl_walk_release(&w);
}

static void test_walk__explicit_ignored_folder_is_walked(void **state)
{
	static const char *const args[] = {"repo/build"};
	static const char *const want[] = {"build/out.yaml"};
	pl_walk w;

	(void)state;
	make_ignoring_repo();
	walk(&w, args, 1, false);
	expect_paths(&w, want, PL_ARRAY_SIZE(want));
	pl_walk_release(&w);
}

/* --- symbolic links -------------------------------------------------- */

static void test_walk__symlink_outside_root_is_listed_skipped(void **state)
{
	static const char *const args[] = {"repo"};
	static const char *const want[] = {"a.yaml", "dirlink", "gone.yaml",
	                                   "link.yaml"};
	const pl_walk_entry *e;
	pl_walk w;

	(void)state;
	git_init("repo");
	put("repo/a.yaml", "a: 1\n");
	put("outside/x.yaml", "a: 1\n");
	link_to("../outside/x.yaml", "repo/link.yaml");
	link_to("../outside", "repo/dirlink");
	link_to("missing.yaml", "repo/gone.yaml");
	walk(&w, args, 1, false);
	expect_paths(&w, want, PL_ARRAY_SIZE(want));
	e = entry(&w, "link.yaml");
	assert_int_equal(e->kind, PL_SOURCE_SKIPPED);
	assert_int_equal(e->skip, PL_SKIP_LINK_OUTSIDE);
	assert_int_equal(entry(&w, "dirlink")->skip, PL_SKIP_LINK_OUTSIDE);
	e = entry(&w, "gone.yaml");
	assert_int_equal(e->kind, PL_SOURCE_SKIPPED);
	assert_int_equal(e->skip, PL_SKIP_LINK_DANGLING);
	pl_walk_release(&w);
}

static void test_walk__symlink_inside_root_is_not_listed_twice(void **state)
{
	static const char *const args[] = {"repo"};
	static const char *const want[] = {"a.yaml", "sub/b.yaml"};
	pl_walk w;

	(void)state;
	git_init("repo");
	put("repo/a.yaml", "a: 1\n");
	put("repo/sub/b.yaml", "a: 1\n");
	link_to("a.yaml", "repo/alias.yaml");
	link_to("sub", "repo/sublink");
	walk(&w, args, 1, false);
	expect_paths(&w, want, PL_ARRAY_SIZE(want));
	pl_walk_release(&w);
}

static void test_walk__explicit_symlink_is_followed(void **state)
{
	static const char *const args[] = {"repo", "repo/link.yaml"};
	static const char *const want[] = {"link.yaml"};
	const pl_walk_entry *e;
	pl_walk w;

	(void)state;
	git_init("repo");
	put("outside/x.yaml", "a: 1\n");
	link_to("../outside/x.yaml", "repo/link.yaml");
	walk(&w, args, PL_ARRAY_SIZE(args), false);
	/* the walk's skipped entry and the explicit one: the latter wins */
	expect_paths(&w, want, PL_ARRAY_SIZE(want));
	e = entry(&w, "link.yaml");
	assert_int_equal(e->kind, PL_SOURCE_YAML);
	assert_int_equal(e->skip, PL_SKIP_NONE);
	assert_string_equal(e->fspath, "repo/link.yaml");
	pl_walk_release(&w);
}

/* --- classification -------------------------------------------------- */

static void test_walk__classifies_helm_templates(void **state)
{
	static const char *const args[] = {"."};
	pl_walk w;

	(void)state;
	put("chart/Chart.yaml", "name: c\n");
	put("chart/values.yaml", "a: 1\n");
	put("chart/templates/deploy.yaml", "kind: {{ .Values.k }}\n");
	put("chart/templates/sub/svc.yaml", "a: 1\n");
	put("chart/templates/NOTES.txt", "hi\n");
	put("plain/templates/x.yaml", "a: 1\n");
	walk(&w, args, 1, false);
	assert_int_equal(entry(&w, "chart/Chart.yaml")->kind, PL_SOURCE_YAML);
	assert_int_equal(entry(&w, "chart/values.yaml")->kind, PL_SOURCE_YAML);
	assert_int_equal(entry(&w, "chart/templates/deploy.yaml")->kind,
	                 PL_SOURCE_TEMPLATE);
	assert_int_equal(entry(&w, "chart/templates/sub/svc.yaml")->kind,
	                 PL_SOURCE_TEMPLATE);
	assert_int_equal(entry(&w, "chart/templates/NOTES.txt")->kind,
	                 PL_SOURCE_TEMPLATE);
	assert_int_equal(entry(&w, "plain/templates/x.yaml")->kind,
	                 PL_SOURCE_YAML);
	pl_walk_release(&w);
}

static void test_walk__helm_template_named_directly(void **state)
{
	static const char *const file[] = {"chart/templates/sub/svc.yaml"};
	static const char *const folder[] = {"chart/templates"};
	pl_walk w;

	(void)state;
	put("chart/Chart.yaml", "name: c\n");
	put("chart/templates/sub/svc.yaml", "a: 1\n");
	walk(&w, file, 1, false);
	assert_int_equal(entry(&w, "chart/templates/sub/svc.yaml")->kind,
	                 PL_SOURCE_TEMPLATE);
	pl_walk_release(&w);
	walk(&w, folder, 1, false);
	assert_int_equal(entry(&w, "chart/templates/sub/svc.yaml")->kind,
	                 PL_SOURCE_TEMPLATE);
	pl_walk_release(&w);
}

static void test_walk__classifies_by_extension(void **state)
{
	static const struct {
		const char *path;
		pl_source_kind want;
	} cases[] = {
	        {"a.yaml", PL_SOURCE_YAML},
	        {"a.yml", PL_SOURCE_YAML},
	        {"a.json", PL_SOURCE_YAML},
	        {"dir/A.YML", PL_SOURCE_YAML},
	        {"a.Yaml", PL_SOURCE_YAML},
	        {".gitlab-ci.yml", PL_SOURCE_YAML},
	        {"a.yaml.bak", PL_SOURCE_TEXT},
	        {"a.yamlx", PL_SOURCE_TEXT},
	        {"yaml", PL_SOURCE_TEXT},
	        {"dir.yaml/Makefile", PL_SOURCE_TEXT},
	        {"a.tpl", PL_SOURCE_TEXT},
	        {"", PL_SOURCE_TEXT},
	};
	size_t i;
	bool ok = true;

	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		pl_source_kind got = pl_walk_classify(cases[i].path);
		if (got != cases[i].want) {
			print_error("'%s': kind %d, want %d\n", cases[i].path,
			            (int)got, (int)cases[i].want);
			ok = false;
		}
	}
	assert_true(ok);
}

static void test_walk__sniffs_yaml_content(void **state)
{
	static const struct {
		const char *text;
		bool want;
	} cases[] = {
	        {"---\na: 1\n", true},
	        {"--- !tag\n", true},
	        {"apiVersion: v1\nkind: Pod\n", true},
	        {"kind: Pod\n", true},
	        {"%YAML 1.2\n---\n", true},
	        {"# comment\n\n  # indented comment\r\napiVersion: v1\n", true},
	        {"\xef\xbb\xbf---\n", true},
	        {"#!/bin/sh\n---\n", false},
	        {"#!/bin/sh\necho hi\n", false},
	        {"all: build\n\tcc -o x x.c\n", false},
	        {"", false},
	        {"\n\n# only comments\n", false},
	        {"----\n", false},
	        {"apiVersion:v1\n", false},
	        {"  apiVersion: v1\n", false},
	        {"kindness: 1\n", false},
	};
	size_t i;
	bool ok = true;

	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		const char *t = cases[i].text;
		bool got = pl_walk_sniff_yaml(t, strlen(t));
		if (got != cases[i].want) {
			print_error("case %zu (%s): %d, want %d\n", i, t, got,
			            cases[i].want);
			ok = false;
		}
	}
	assert_true(ok);
}

/* --- errors and limits ----------------------------------------------- */

static void test_walk__missing_path_is_not_found(void **state)
{
	static const char *const first[] = {"nope"};
	static const char *const second[] = {".", "gone/x.yaml"};
	pl_walk w;
	pl_error err;

	(void)state;
	pl_walk_init(&w);
	pl_error_clear(&err);
	assert_int_equal(pl_walk_paths(&w, first, 1, NULL, &err), PL_ENOTFOUND);
	assert_string_equal(err.msg,
	                    "cannot open 'nope': No such file or directory");
	pl_walk_release(&w);

	pl_walk_init(&w);
	pl_error_clear(&err);
	assert_int_equal(pl_walk_paths(&w, second, 2, NULL, &err),
	                 PL_ENOTFOUND);
	assert_string_equal(
	        err.msg,
	        "cannot open 'gone/x.yaml': No such file or directory");
	pl_walk_release(&w);
}

/*
 * git refuses a repository owned by another user (safe.directory), and so
 * must we, rather than walk it as if there were no .gitignore. Only root
 * can hand a folder to another user, so the test needs root.
 */
static void test_walk__repository_of_another_user_is_an_error(void **state)
{
	static const char *const args[] = {"repo"};
	pl_walk w;
	pl_error err;

	(void)state;
	if (geteuid() != 0)
		skip();
	git_init("repo");
	put("repo/a.yaml", "a: 1\n");
	assert_int_equal(chown("repo", 65534, 65534), 0);
	assert_int_equal(chown("repo/.git", 65534, 65534), 0);
	pl_walk_init(&w);
	pl_error_clear(&err);
	assert_int_equal(pl_walk_paths(&w, args, 1, NULL, &err), PL_EGIT);
	assert_non_null(strstr(err.msg, "not owned by the current user"));
	pl_walk_release(&w);
}

static void test_walk__deep_folders_are_listed_too_deep(void **state)
{
	static const char *const args[] = {"deep"};
	char path[TL_PATH_MAX], want[TL_PATH_MAX];
	const pl_walk_entry *e;
	pl_walk w;

	(void)state;
	deep_path(path, sizeof(path), "deep", 258, "/x.yaml");
	put(path, "a: 1\n");
	/* folder 257 below `deep` is the first one not read; the root is
	 * the current folder, which holds `deep` */
	deep_path(want, sizeof(want), "deep", 257, "");
	walk(&w, args, 1, false);
	assert_int_equal(w.entries.len, 1);
	e = entry(&w, want);
	assert_int_equal(e->kind, PL_SOURCE_SKIPPED);
	assert_int_equal(e->skip, PL_SKIP_TOO_DEEP);
	pl_walk_release(&w);
}

static void test_walk__unreadable_folder_is_listed(void **state)
{
	static const char *const args[] = {"."};
	const pl_walk_entry *e;
	pl_walk w;

	(void)state;
	if (geteuid() == 0)
		skip(); /* root reads any folder */
	put("locked/x.yaml", "a: 1\n");
	put("ok.yaml", "a: 1\n");
	assert_int_equal(chmod("locked", 0), 0);
	walk(&w, args, 1, false);
	e = entry(&w, "locked");
	assert_int_equal(e->kind, PL_SOURCE_SKIPPED);
	assert_int_equal(e->skip, PL_SKIP_FOLDER);
	assert_int_equal(e->skip_errno, EACCES);
	assert_int_equal(w.entries.len, 2);
	pl_walk_release(&w);
}

/* --- reported paths -------------------------------------------------- */

static void test_walk__paths_relative_to_git_root_from_subfolder(void **state)
{
	static const char *const rel[] = {"repo/apps"};
	static const char *const want[] = {"apps/x.yaml"};
	fixture *fx = *state;
	char abs[TL_PATH_MAX + 32], root[TL_PATH_MAX + 32];
	const char *args[1];
	pl_walk w;

	git_init("repo");
	put("repo/apps/x.yaml", "a: 1\n");
	put("repo/top.yaml", "a: 1\n");
	snprintf(root, sizeof(root), "%s/repo", fx->dir);

	walk(&w, rel, 1, false);
	expect_paths(&w, want, PL_ARRAY_SIZE(want));
	assert_string_equal(w.root, root);
	assert_true(w.in_git);
	assert_string_equal(entry(&w, "apps/x.yaml")->fspath,
	                    "repo/apps/x.yaml");
	pl_walk_release(&w);

	snprintf(abs, sizeof(abs), "%s/repo/./apps/", fx->dir);
	args[0] = abs;
	walk(&w, args, 1, false);
	expect_paths(&w, want, PL_ARRAY_SIZE(want));
	pl_walk_release(&w);

	/* from inside the subfolder, "." is still reported from the root */
	assert_int_equal(chdir("repo/apps"), 0);
	args[0] = ".";
	walk(&w, args, 1, false);
	expect_paths(&w, want, PL_ARRAY_SIZE(want));
	assert_string_equal(entry(&w, "apps/x.yaml")->fspath, "x.yaml");
	pl_walk_release(&w);
}

/* Outside git, without .plumb.yaml: the current folder when it holds
 * every PATH (paths read from there, as a compiler's), else the first
 * PATH (its folder if it is a file). */
static void
test_walk__root_is_the_current_folder_holding_the_paths(void **state)
{
	static const char *const args[] = {"plain/sub/x.yaml"};
	static const char *const want[] = {"plain/sub/x.yaml"};
	static const char *const want_sub[] = {"x.yaml"};
	fixture *fx = *state;
	char root[TL_PATH_MAX + 32], file[TL_PATH_MAX + 32];
	const char *outside[1] = {file};
	pl_walk w;

	put("plain/sub/x.yaml", "a: 1\n");
	walk(&w, args, 1, false);
	expect_paths(&w, want, PL_ARRAY_SIZE(want));
	assert_string_equal(w.root, fx->dir);
	assert_false(w.in_git);
	pl_walk_release(&w);

	/* from a folder that does not hold the PATH: the file's folder */
	assert_int_equal(mkdir("elsewhere", 0755), 0);
	assert_int_equal(chdir("elsewhere"), 0);
	snprintf(file, sizeof(file), "%s/plain/sub/x.yaml", fx->dir);
	walk(&w, outside, 1, false);
	assert_int_equal(chdir(".."), 0);
	expect_paths(&w, want_sub, PL_ARRAY_SIZE(want_sub));
	snprintf(root, sizeof(root), "%s/plain/sub", fx->dir);
	assert_string_equal(w.root, root);
	pl_walk_release(&w);
}

/* Outside git, the nearest folder above the first PATH that holds
 * .plumb.yaml is the root, so its configuration and Flux paths apply
 * wherever the run starts. */
static void test_walk__root_is_the_folder_holding_plumb_yaml(void **state)
{
	static const char *const args[] = {"proj/kubernetes/apps"};
	static const char *const want[] = {"kubernetes/apps/x.yaml"};
	fixture *fx = *state;
	char root[TL_PATH_MAX + 32];
	pl_walk w;

	put("proj/.plumb.yaml", "fail-on: warning\n");
	put("proj/kubernetes/apps/x.yaml", "a: 1\n");
	walk(&w, args, 1, false);
	expect_paths(&w, want, PL_ARRAY_SIZE(want));
	snprintf(root, sizeof(root), "%s/proj", fx->dir);
	assert_string_equal(w.root, root);
	pl_walk_release(&w);
}

static void test_walk__path_outside_root_is_shown_as_given(void **state)
{
	static const char *const args[] = {"repo", "./other//", "other/z.yaml",
	                                   "other2/../other2/w.yaml"};
	static const char *const want[] = {"a.yaml", "other/.gitignore",
	                                   "other/sub/y.yaml", "other/z.yaml",
	                                   "other2/w.yaml"};
	pl_walk w;

	(void)state;
	git_init("repo");
	put("repo/a.yaml", "a: 1\n");
	/* a second repository: its own ignores apply to its files */
	git_init("other");
	put("other/.gitignore", "z.yaml\n");
	put("other/sub/y.yaml", "a: 1\n");
	put("other/z.yaml", "a: 1\n");
	put("other2/w.yaml", "a: 1\n");
	walk(&w, args, PL_ARRAY_SIZE(args), false);
	expect_paths(&w, want, PL_ARRAY_SIZE(want));
	assert_string_equal(entry(&w, "other/sub/y.yaml")->fspath,
	                    "./other/sub/y.yaml");
	pl_walk_release(&w);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_walk__lists_files_recursively_sorted),
	        T(test_walk__no_paths_means_dot),
	        T(test_walk__skips_dot_git),
	        T(test_walk__honours_gitignore_in_git_repo),
	        T(test_walk__no_ignore_lists_ignored_files),
	        T(test_walk__ignored_folder_is_pruned),
	        T(test_walk__explicit_ignored_file_is_listed),
	        T(test_walk__explicit_ignored_folder_is_walked),
	        T(test_walk__symlink_outside_root_is_listed_skipped),
	        T(test_walk__symlink_inside_root_is_not_listed_twice),
	        T(test_walk__explicit_symlink_is_followed),
	        T(test_walk__classifies_helm_templates),
	        T(test_walk__helm_template_named_directly),
	        T(test_walk__classifies_by_extension),
	        T(test_walk__sniffs_yaml_content),
	        T(test_walk__missing_path_is_not_found),
	        T(test_walk__repository_of_another_user_is_an_error),
	        T(test_walk__deep_folders_are_listed_too_deep),
	        T(test_walk__unreadable_folder_is_listed),
	        T(test_walk__paths_relative_to_git_root_from_subfolder),
	        T(test_walk__root_is_the_current_folder_holding_the_paths),
	        T(test_walk__root_is_the_folder_holding_plumb_yaml),
	        T(test_walk__path_outside_root_is_shown_as_given),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

#undef T
