/*
 * gitsrc.c - pl_git on top of libgit2 (the only <git2.h> user).
 *
 * libgit2 counts git_libgit2_init/git_libgit2_shutdown calls itself, so
 * each handle takes one reference in pl_git_open and gives it back in
 * pl_git_free; plumb keeps no global of its own. libgit2's negative codes
 * and its thread-local git_error_last() are turned into a pl_error here
 * and nowhere else (STYLE.md §4.4).
 */
#include "source/gitsrc.h"
#include "base/xalloc.h"

#include <git2.h>

struct pl_git {
	git_repository *repo;
	char *workdir;    /* absolute, no trailing '/' */
	git_index *index; /* loaded on first pl_git_is_tracked */
	bool no_index;    /* it could not be loaded: nothing is tracked */
};

/* Reports the libgit2 failure of `what` on `path` with libgit2's reason. */
static int git_fail(pl_error *err, const char *what, const char *path)
{
	const git_error *e = git_error_last();
	const char *why = (e && e->message) ? e->message : "unknown error";

	return pl_error_set(err, PL_EGIT, NULL, NULL, "%s '%s': %s", what, path,
	                    why);
}

/*
 * libgit2 1.5 reports a repository owned by someone else as GIT_ENOTFOUND
 * with a config error ("config value 'safe.directory' was not found")
 * instead of GIT_EOWNER (fixed in 1.6, libgit2 PR #6408). Taking that for
 * "no repository" would silently drop every .gitignore of a CI checkout
 * mounted into a container, so it is told apart here.
 */
static bool owner_refused(void)
{
	const git_error *e = git_error_last();

	return e && e->klass == GIT_ERROR_CONFIG;
}

int pl_git_open(pl_git **out, const char *path, pl_error *err)
{
	git_repository *repo = NULL;
	const char *wd;
	size_t len;
	pl_git *git;
	int rc;

	*out = NULL;
	if (git_libgit2_init() < 0)
		return git_fail(err, "cannot initialise libgit2 for", path);
	git_error_clear(); /* owner_refused() must not see a stale error */
	/* flags 0: search the parent folders too, as git itself does */
	rc = git_repository_open_ext(&repo, path, 0, NULL);
	if (rc == GIT_EOWNER || (rc == GIT_ENOTFOUND && owner_refused())) {
		rc = pl_error_set(err, PL_EGIT, NULL, NULL,
		                  "cannot open the git repository at '%s': it "
		                  "is not owned by the current user (see git "
		                  "config safe.directory)",
		                  path);
		goto fail;
	}
	if (rc == GIT_ENOTFOUND) {
		rc = pl_error_set(err, PL_ENOTFOUND, NULL, NULL,
		                  "'%s' is not in a git work tree", path);
		goto fail;
	}
	if (rc < 0) {
		rc = git_fail(err, "cannot open the git repository at", path);
		goto fail;
	}
	wd = git_repository_workdir(repo);
	if (git_repository_is_bare(repo) || !wd) {
		rc = pl_error_set(err, PL_ENOTFOUND, NULL, NULL,
		                  "'%s' is in a bare git repository", path);
		goto fail;
	}

	git = pl_xcalloc(1, sizeof(*git));
	git->repo = repo;
	len = strlen(wd);
	while (len > 1 && wd[len - 1] == '/')
		len--;
	git->workdir = pl_xstrndup(wd, len);
	*out = git;
	return 0;

fail:
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}

void pl_git_free(pl_git *git)
{
	if (!git)
		return;
	git_index_free(git->index);
	git_repository_free(git->repo);
	free(git->workdir);
	free(git);
	git_libgit2_shutdown();
}

const char *pl_git_workdir(const pl_git *git)
{
	return git->workdir;
}

bool pl_git_is_ignored(pl_git *git, const char *relpath)
{
	int ignored = 0;

	/*
	 * A failure here (an unreadable .gitignore) means "not ignored": the
	 * file is then linted, which is the safe side for a linter.
	 */
	if (git_ignore_path_is_ignored(&ignored, git->repo, relpath) < 0)
		return false;
	return ignored != 0;
}

/*
 * git never applies .gitignore to what it tracks, so neither does plumb:
 * a force-added .env is linted like any file. The index is sorted by
 * path, so both questions are a binary search (git_index_find,
 * git_index_find_prefix).
 */
static git_index *tracked_index(pl_git *git)
{
	if (!git->index && !git->no_index &&
	    git_repository_index(&git->index, git->repo) < 0) {
		git_error_clear();
		git->no_index = true;
	}
	return git->index;
}

bool pl_git_is_tracked(pl_git *git, const char *relpath)
{
	git_index *idx = tracked_index(git);
	size_t pos;
	size_t n = strlen(relpath);

	if (!idx)
		return false;
	if (n && relpath[n - 1] == '/')
		return git_index_find_prefix(&pos, idx, relpath) == 0;
	return git_index_find(&pos, idx, relpath) == 0;
}

/* --- the index (--staged) ------------------------------------------------ */

static int cmp_blob(const void *a, const void *b)
{
	return strcmp(((const pl_git_blob *)a)->path,
	              ((const pl_git_blob *)b)->path);
}

/* bsearch over an array of structs whose first member is `char *path`
 * (pl_git_blob, pl_git_change): a pointer to a struct is a pointer to
 * its first member. */
static int path_cmp(const void *key, const void *elem)
{
	return strcmp(key, *(char *const *)elem);
}

pl_git_blob *pl_git_blob_find(const pl_git_blob *b, size_t n, const char *path)
{
	return n ? bsearch(path, b, n, sizeof(*b), path_cmp) : NULL;
}

pl_git_change *pl_git_change_find(const pl_git_change *c, size_t n,
                                  const char *path)
{
	return n ? bsearch(path, c, n, sizeof(*c), path_cmp) : NULL;
}

/* The tree of HEAD, or NULL before the first commit. */
static git_tree *head_tree(git_repository *repo)
{
	git_object *obj = NULL;
	if (git_revparse_single(&obj, repo, "HEAD^{tree}") < 0) {
		git_error_clear();
		return NULL;
	}
	return (git_tree *)obj;
}

int pl_git_index(pl_git *git, size_t max_bytes, pl_git_blob **out, size_t *n,
                 pl_error *err)
{
	git_index *idx = NULL;
	git_tree *tree = NULL;
	git_diff *diff = NULL;
	pl_git_blob *b = NULL;
	size_t count, i, k = 0;
	int rc = 0;

	*out = NULL;
	*n = 0;
	/* git commit -a and git commit PATHS run hooks against a temporary
	 * index named by GIT_INDEX_FILE (relative to the work tree, where
	 * hooks run): that one is what will be committed */
	if (getenv("GIT_INDEX_FILE") && *getenv("GIT_INDEX_FILE")) {
		const char *f = getenv("GIT_INDEX_FILE");
		char path[4096];
		snprintf(path, sizeof(path), "%s%s%s",
		         f[0] == '/' ? "" : git->workdir,
		         f[0] == '/' ? "" : "/", f);
		if (git_index_open(&idx, path) < 0)
			return git_fail(err, "cannot read the index", path);
	} else if (git_repository_index(&idx, git->repo) < 0) {
		return git_fail(err, "cannot read the index of", git->workdir);
	}
	count = git_index_entrycount(idx);
	b = pl_xcalloc(count ? count : 1, sizeof(*b));
	for (i = 0; i < count; i++) {
		const git_index_entry *e = git_index_get_byindex(idx, i);
		git_blob *blob = NULL;
		size_t len;
		if (!e || GIT_INDEX_ENTRY_STAGE(e) != 0 ||
		    (e->mode != GIT_FILEMODE_BLOB &&
		     e->mode != GIT_FILEMODE_BLOB_EXECUTABLE))
			continue;
		if (git_blob_lookup(&blob, git->repo, &e->id) < 0) {
			rc = git_fail(err, "cannot read the staged blob of",
			              e->path);
			goto done;
		}
		len = (size_t)git_blob_rawsize(blob);
		b[k].path = pl_xstrdup(e->path);
		if (len > max_bytes) {
			b[k].len = max_bytes + 1;
		} else {
			b[k].data = pl_xmalloc(len + 1);
			memcpy(b[k].data, git_blob_rawcontent(blob), len);
			b[k].data[len] = '\0';
			b[k].len = len;
		}
		git_blob_free(blob);
		k++;
	}
	qsort(b, k, sizeof(*b), cmp_blob);
	/* staged = what differs between HEAD and the index */
	tree = head_tree(git->repo);
	if (git_diff_tree_to_index(&diff, git->repo, tree, idx, NULL) < 0) {
		rc = git_fail(err, "cannot compare HEAD and the index of",
		              git->workdir);
		goto done;
	}
	for (i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		pl_git_blob *x;
		if (d->status == GIT_DELTA_DELETED)
			continue;
		x = pl_git_blob_find(b, k, d->new_file.path);
		if (x)
			x->staged = true;
	}
done:
	git_diff_free(diff);
	git_tree_free(tree);
	git_index_free(idx);
	if (rc) {
		pl_git_blobs_free(b, k);
		return rc;
	}
	*out = b;
	*n = k;
	return 0;
}

void pl_git_blobs_free(pl_git_blob *b, size_t n)
{
	size_t i;
	for (i = 0; b && i < n; i++) {
		free(b[i].path);
		free(b[i].data);
	}
	free(b);
}

/* --- changes since a merge base (--diff-base) ---------------------------- */

typedef struct changes {
	pl_git_change *items;
	size_t len, cap;
	size_t cur; /* the change the line callback fills */
} changes;

static pl_git_change *change_for(changes *c, const char *path)
{
	size_t i;
	for (i = 0; i < c->len; i++)
		if (strcmp(c->items[i].path, path) == 0)
			return &c->items[i];
	if (c->len == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->items = pl_xrealloc(c->items, c->cap * sizeof(*c->items));
	}
	memset(&c->items[c->len], 0, sizeof(c->items[0]));
	c->items[c->len].path = pl_xstrdup(path);
	return &c->items[c->len++];
}

static int on_file(const git_diff_delta *d, float progress, void *arg)
{
	changes *c = arg;
	(void)progress;
	if (d->status == GIT_DELTA_DELETED) {
		c->cur = (size_t)-1;
		return 0;
	}
	c->cur = (size_t)(change_for(c, d->new_file.path) - c->items);
	return 0;
}

static int on_line(const git_diff_delta *d, const git_diff_hunk *h,
                   const git_diff_line *l, void *arg)
{
	changes *c = arg;
	pl_git_change *x;
	(void)d;
	(void)h;
	if (c->cur == (size_t)-1 || l->origin != GIT_DIFF_LINE_ADDITION ||
	    l->new_lineno <= 0)
		return 0;
	x = &c->items[c->cur];
	x->lines = pl_xrealloc(x->lines, (x->nlines + 1) * sizeof(*x->lines));
	x->lines[x->nlines++] = (uint32_t)l->new_lineno;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_change(const void *a, const void *b)
{
	return strcmp(((const pl_git_change *)a)->path,
	              ((const pl_git_change *)b)->path);
}

int pl_git_changes(pl_git *git, const char *ref, bool worktree,
                   pl_git_change **out, size_t *n, pl_error *err)
{
	git_object *ref_obj = NULL, *head_obj = NULL;
	git_commit *base_commit = NULL;
	git_tree *base = NULL, *head = NULL;
	git_diff *committed = NULL, *lines = NULL;
	git_oid base_oid;
	changes paths, all;
	size_t i, k = 0;
	int rc = 0;

	*out = NULL;
	*n = 0;
	memset(&paths, 0, sizeof(paths));
	memset(&all, 0, sizeof(all));
	if (git_revparse_single(&ref_obj, git->repo, ref) < 0) {
		rc = pl_error_set(err, PL_ENOTFOUND, NULL, NULL,
		                  "--diff-base: '%s' is not a commit of this "
		                  "repository",
		                  ref);
		goto done;
	}
	if (git_revparse_single(&head_obj, git->repo, "HEAD") < 0) {
		rc = pl_error_set(err, PL_ENOTFOUND, NULL, NULL,
		                  "--diff-base: the repository has no commit "
		                  "yet (HEAD)%s",
		                  "");
		goto done;
	}
	if (git_merge_base(&base_oid, git->repo, git_object_id(ref_obj),
	                   git_object_id(head_obj)) < 0) {
		rc = pl_error_set(err, PL_ENOTFOUND, NULL, NULL,
		                  "--diff-base: '%s' and HEAD share no history",
		                  ref);
		goto done;
	}
	if (git_commit_lookup(&base_commit, git->repo, &base_oid) < 0 ||
	    git_commit_tree(&base, base_commit) < 0) {
		rc = git_fail(err, "cannot read the merge base of", ref);
		goto done;
	}
	head = head_tree(git->repo);
	/* which files: base..HEAD, and the work tree too if asked */
	if (git_diff_tree_to_tree(&committed, git->repo, base, head, NULL) <
	    0) {
		rc = git_fail(err, "cannot diff against", ref);
		goto done;
	}
	git_diff_foreach(committed, on_file, NULL, NULL, NULL, &paths);
	/* which lines: base against what plumb reads, the work tree */
	{
		git_diff_options opts;
		git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
		/* new files not yet added count as uncommitted changes */
		if (worktree)
			opts.flags |= GIT_DIFF_INCLUDE_UNTRACKED |
			              GIT_DIFF_RECURSE_UNTRACKED_DIRS |
			              GIT_DIFF_SHOW_UNTRACKED_CONTENT;
		rc = git_diff_tree_to_workdir_with_index(&lines, git->repo,
		                                         base, &opts);
	}
	if (rc < 0) {
		rc = git_fail(err, "cannot diff the work tree against", ref);
		goto done;
	}
	git_diff_foreach(lines, on_file, NULL, NULL, on_line, &all);
	for (i = 0; i < all.len; i++) {
		size_t j;
		bool keep = worktree;
		for (j = 0; !keep && j < paths.len; j++)
			keep = strcmp(paths.items[j].path, all.items[i].path) ==
			       0;
		if (!keep) {
			free(all.items[i].path);
			free(all.items[i].lines);
			continue;
		}
		if (all.items[i].nlines > 1)
			qsort(all.items[i].lines, all.items[i].nlines,
			      sizeof(uint32_t), cmp_u32);
		all.items[k++] = all.items[i];
	}
	qsort(all.items, k, sizeof(*all.items), cmp_change);
	*out = all.items;
	*n = k;
	all.items = NULL;
done:
	pl_git_changes_free(paths.items, paths.len);
	free(all.items);
	git_diff_free(lines);
	git_diff_free(committed);
	git_tree_free(head);
	git_tree_free(base);
	git_commit_free(base_commit);
	git_object_free(head_obj);
	git_object_free(ref_obj);
	return rc;
}

void pl_git_changes_free(pl_git_change *c, size_t n)
{
	size_t i;
	for (i = 0; c && i < n; i++) {
		free(c[i].path);
		free(c[i].lines);
	}
	free(c);
}
