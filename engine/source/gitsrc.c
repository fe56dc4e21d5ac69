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
#include "source/gitsrc_impl.h"
#include "base/arena.h"
#include "base/map.h"
#include "base/vec.h"
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

/* --- objects git cannot give --------------------------------------------- */

/* The remote a partial clone fetches missing objects from: the value of
 * extensions.partialclone, else the first remote.NAME.promisor = true. */
static void promisor_remote(char *out, size_t size, git_repository *repo)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	const char *v = NULL;

	out[0] = '\0';
	if (git_repository_config_snapshot(&cfg, repo) < 0)
		goto done;
	if (git_config_get_string(&v, cfg, "extensions.partialclone") == 0 &&
	    v && *v) {
		snprintf(out, size, "%s", v);
		goto done;
	}
	/* every entry, filtered here: libgit2 1.5 leaks the match data of
	 * each regex match git_config_iterator_glob_new makes */
	if (git_config_iterator_new(&it, cfg) < 0)
		goto done;
	while (git_config_next(&e, it) == 0) {
		int yes = 0;
		size_t n = strlen(e->name);
		/* remote.NAME.promisor; config names are lower-cased, but
		 * for the subsection NAME */
		if (n > 7 + 9 && strncmp(e->name, "remote.", 7) == 0 &&
		    strcmp(e->name + n - 9, ".promisor") == 0 &&
		    git_config_parse_bool(&yes, e->value) == 0 && yes) {
			snprintf(out, size, "%.*s", (int)(n - 7 - 9),
			         e->name + 7);
			break;
		}
	}
done:
	git_config_iterator_free(it);
	git_config_free(cfg);
	git_error_clear();
}

void pl_gitsrc__fix(char *out, size_t size, git_repository *repo)
{
	char remote[64];

	promisor_remote(remote, sizeof(remote), repo);
	if (remote[0])
		snprintf(out, size,
		         "this is a partial clone: fetch the missing objects "
		         "('git config --unset remote.%s.partialclonefilter; "
		         "git fetch --refetch %s') or clone without --filter",
		         remote, remote);
	else
		snprintf(out, size,
		         "the repository is missing objects or damaged ('git "
		         "fsck' lists them): fetch again or clone anew");
}

void pl_git_unread_fix(pl_git *git, char *out, size_t size)
{
	pl_gitsrc__fix(out, size, git->repo);
}

void pl_gitsrc__why(char *out, size_t size, int code)
{
	const git_error *e = git_error_last();

	if (code == GIT_ENOTFOUND)
		snprintf(out, size, "object not found");
	else
		snprintf(out, size, "%s",
		         e && e->message ? e->message : "unknown error");
	git_error_clear();
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
	int rc = 0, lrc;

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
		b[k].path = pl_xstrdup(e->path);
		lrc = git_blob_lookup(&blob, git->repo, &e->id);
		if (lrc < 0) {
			/* a missing or corrupt object is the run's to report:
			 * it lists the path and exits 2 (pl_git_unread) */
			char hex[GIT_OID_HEXSZ + 1], why[160];
			git_oid_tostr(hex, sizeof(hex), &e->id);
			pl_gitsrc__why(why, sizeof(why), lrc);
			b[k].unread = pl_xmalloc(sizeof(hex) + sizeof(why) + 8);
			snprintf(b[k].unread, sizeof(hex) + sizeof(why) + 8,
			         "blob %.7s: %s", hex, why);
			k++;
			continue;
		}
		len = (size_t)git_blob_rawsize(blob);
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
		free(b[i].unread);
	}
	free(b);
}

/* --- the merge base ------------------------------------------------------- */

/*
 * libgit2 1.5 knows nothing of shallow clones: git_merge_base walks into
 * the parents of a boundary commit, which the clone lacks, and fails
 * where `git merge-base` answers. So in a shallow clone plumb finds the
 * merge base itself, reading .git/shallow as git does: a commit listed
 * there has no parents. The history of a shallow clone is short by
 * construction, so plain breadth-first walks are cheap enough; a full
 * clone keeps git_merge_base.
 */
typedef struct walk_set {
	pl_map seen; /* raw commit id -> the git_oid copy in arena */
	pl_arena arena;
} walk_set;

static void set_init(walk_set *s)
{
	pl_map_init(&s->seen);
	pl_arena_init(&s->arena);
}

static void set_release(walk_set *s)
{
	pl_map_release(&s->seen);
	pl_arena_release(&s->arena);
}

static bool set_has(const walk_set *s, const git_oid *id)
{
	return pl_map_get(&s->seen, (const char *)id->id, GIT_OID_RAWSZ) !=
	       NULL;
}

/* Adds id; false when it was there already. */
static bool set_add(walk_set *s, const git_oid *id)
{
	git_oid *key;

	if (set_has(s, id))
		return false;
	key = pl_arena_alloc(&s->arena, sizeof(*key));
	git_oid_cpy(key, id);
	pl_map_put(&s->seen, (const char *)key->id, GIT_OID_RAWSZ, key, NULL);
	return true;
}

/* The commits .git/shallow lists (the clone's boundary). */
static void read_shallow(walk_set *out, git_repository *repo)
{
	char path[4096], line[128];
	FILE *f;

	snprintf(path, sizeof(path), "%sshallow",
	         git_repository_commondir(repo));
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		git_oid id;
		if (strlen(line) >= GIT_OID_HEXSZ &&
		    git_oid_fromstrn(&id, line, GIT_OID_HEXSZ) == 0)
			set_add(out, &id);
	}
	fclose(f);
}

typedef struct shallow_walk {
	git_repository *repo;
	walk_set boundary; /* .git/shallow */
	bool hit_boundary; /* a walk stopped at a boundary commit */
	git_oid bad;       /* a commit that could not be read */
	int bad_code;      /* its libgit2 result, 0: none */
} shallow_walk;

/*
 * Breadth-first from `from` (itself included) through parents, stopping
 * at boundary commits and, when stop is given, at commits in it (listed
 * in hits, not walked past). Every commit met goes into seen. -1 when a
 * commit cannot be read (sw->bad says which).
 */
static int walk_ancestors(shallow_walk *sw, const git_oid *from, walk_set *seen,
                          const walk_set *stop, pl_vec *hits)
{
	pl_vec queue; /* git_oid */
	size_t head = 0;
	int rc = 0;

	pl_vec_init(&queue, sizeof(git_oid));
	if (set_add(seen, from))
		pl_vec_append(&queue, from);
	while (head < queue.len) {
		git_oid id = *(git_oid *)pl_vec_at(&queue, head++);
		git_commit *c = NULL;
		unsigned i, np;
		int lrc;

		if (stop && set_has(stop, &id)) {
			pl_vec_append(hits, &id);
			continue;
		}
		if (set_has(&sw->boundary, &id)) {
			sw->hit_boundary = true;
			continue;
		}
		lrc = git_commit_lookup(&c, sw->repo, &id);
		if (lrc < 0) {
			git_oid_cpy(&sw->bad, &id);
			sw->bad_code = lrc;
			rc = -1;
			break;
		}
		np = git_commit_parentcount(c);
		for (i = 0; i < np; i++) {
			const git_oid *p = git_commit_parent_id(c, i);
			if (p && set_add(seen, p))
				pl_vec_append(&queue, p);
		}
		git_commit_free(c);
	}
	pl_vec_release(&queue);
	return rc;
}

/*
 * The merge base of a and b in a shallow clone, as `git merge-base`
 * finds it: the common ancestors that are no ancestor of another common
 * ancestor; the one met first from b when there are several (criss-cross
 * merges). 0 and *out, GIT_ENOTFOUND when there is none, -1 when a
 * commit cannot be read.
 */
static int shallow_merge_base(git_oid *out, shallow_walk *sw, const git_oid *a,
                              const git_oid *b)
{
	walk_set of_a, of_b;
	pl_vec hits; /* git_oid: common ancestors met from b */
	size_t i, j;
	bool found = false;
	int rc;

	set_init(&of_a);
	set_init(&of_b);
	pl_vec_init(&hits, sizeof(git_oid));
	rc = walk_ancestors(sw, a, &of_a, NULL, NULL);
	if (rc == 0)
		rc = walk_ancestors(sw, b, &of_b, &of_a, &hits);
	if (rc == 0 && hits.len == 0)
		rc = GIT_ENOTFOUND;
	/* drop a hit that is an ancestor of another hit */
	for (i = 0; rc == 0 && i < hits.len; i++) {
		const git_oid *h = pl_vec_at(&hits, i);
		walk_set below;
		bool redundant = false;
		set_init(&below);
		for (j = 0; rc == 0 && j < hits.len && !redundant; j++) {
			git_commit *c = NULL;
			unsigned k;
			if (j == i)
				continue;
			/* the parents of hit j, and theirs */
			if (git_commit_lookup(&c, sw->repo,
			                      pl_vec_at(&hits, j)) < 0)
				continue;
			for (k = 0;
			     k < git_commit_parentcount(c) &&
			     !set_has(&sw->boundary, pl_vec_at(&hits, j));
			     k++)
				rc = walk_ancestors(sw,
				                    git_commit_parent_id(c, k),
				                    &below, NULL, NULL);
			git_commit_free(c);
			redundant = set_has(&below, h);
		}
		set_release(&below);
		if (rc == 0 && !redundant) {
			git_oid_cpy(out, h);
			found = true;
			break;
		}
	}
	/* a DAG always leaves one; never hand back an unset id */
	if (rc == 0 && !found)
		rc = GIT_ENOTFOUND;
	set_release(&of_a);
	set_release(&of_b);
	pl_vec_release(&hits);
	return rc;
}

/* The fix for a clone too shallow (or too narrow) for the request. */
#define DEEPEN_FIX                                                             \
	"fetch more history (git fetch --unshallow; actions/checkout: "        \
	"fetch-depth: 0)"

static int merge_base(git_oid *out, pl_git *git, const char *ref,
                      const git_oid *a, const git_oid *b, pl_error *err)
{
	shallow_walk sw;
	char hex[GIT_OID_HEXSZ + 1], why[160], fix[200];
	int rc;

	if (git_repository_is_shallow(git->repo) != 1) {
		rc = git_merge_base(out, git->repo, a, b);
		if (rc == 0)
			return 0;
		/* "no merge base" is a merge error; a missing commit is
		 * an object database one */
		if (rc == GIT_ENOTFOUND && git_error_last() &&
		    git_error_last()->klass == GIT_ERROR_MERGE) {
			git_error_clear();
			return pl_error_set(
			        err, PL_ENOTFOUND, NULL, NULL,
			        "--diff-base: '%s' and HEAD share no "
			        "history",
			        ref);
		}
		pl_gitsrc__why(why, sizeof(why), rc);
		pl_gitsrc__fix(fix, sizeof(fix), git->repo);
		return pl_error_set(err, PL_EGIT, NULL, NULL,
		                    "--diff-base: cannot find the merge base "
		                    "of '%.64s' and HEAD: %s; %s",
		                    ref, why, fix);
	}
	memset(&sw, 0, sizeof(sw));
	sw.repo = git->repo;
	set_init(&sw.boundary);
	read_shallow(&sw.boundary, git->repo);
	rc = shallow_merge_base(out, &sw, a, b);
	if (rc == GIT_ENOTFOUND && sw.hit_boundary)
		rc = pl_error_set(err, PL_EGIT, NULL, NULL,
		                  "--diff-base: this shallow clone holds no "
		                  "common ancestor of '%.64s' and HEAD: %s",
		                  ref, DEEPEN_FIX);
	else if (rc == GIT_ENOTFOUND)
		rc = pl_error_set(err, PL_ENOTFOUND, NULL, NULL,
		                  "--diff-base: '%s' and HEAD share no history",
		                  ref);
	else if (rc < 0) {
		git_oid_tostr(hex, sizeof(hex), &sw.bad);
		pl_gitsrc__why(why, sizeof(why), sw.bad_code);
		pl_gitsrc__fix(fix, sizeof(fix), git->repo);
		rc = pl_error_set(
		        err, PL_EGIT, NULL, NULL,
		        "--diff-base: cannot read commit %.7s: %s; %s", hex,
		        why, fix);
	}
	set_release(&sw.boundary);
	return rc;
}

/* --- changes since a merge base (--diff-base) ---------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_change(const void *a, const void *b)
{
	return strcmp(((const pl_git_change *)a)->path,
	              ((const pl_git_change *)b)->path);
}

/*
 * The added lines of delta i of diff into c. Reading them needs both
 * sides' content: a blob a partial clone lacks fails here (unread).
 */
static int added_lines(pl_git_change *c, git_diff *diff, size_t i)
{
	git_patch *patch = NULL;
	size_t h, nh, cap = 0;
	int rc;

	rc = git_patch_from_diff(&patch, diff, i);
	if (rc < 0)
		return rc;
	nh = patch ? git_patch_num_hunks(patch) : 0;
	for (h = 0; h < nh; h++) {
		size_t l, nl = (size_t)git_patch_num_lines_in_hunk(patch, h);
		for (l = 0; l < nl; l++) {
			const git_diff_line *line = NULL;
			if (git_patch_get_line_in_hunk(&line, patch, h, l) <
			            0 ||
			    line->origin != GIT_DIFF_LINE_ADDITION ||
			    line->new_lineno <= 0)
				continue;
			if (c->nlines == cap) {
				cap = cap ? cap * 2 : 16;
				c->lines = pl_xrealloc(c->lines,
				                       cap * sizeof(*c->lines));
			}
			/* hunks come in order: the lines stay sorted */
			c->lines[c->nlines++] = (uint32_t)line->new_lineno;
		}
	}
	git_patch_free(patch);
	return 0;
}

int pl_git_changes(pl_git *git, const char *ref, bool worktree, bool lines,
                   pl_git_change **out, size_t *n, pl_error *err)
{
	git_object *ref_obj = NULL, *head_obj = NULL;
	git_commit *base_commit = NULL;
	git_tree *base = NULL, *head = NULL;
	git_diff *committed = NULL, *diff = NULL;
	git_oid base_oid;
	char **paths = NULL;
	pl_git_change *items = NULL;
	size_t npaths = 0, nitems = 0, unread = 0, i, nd;
	char first[512] = "", why[160], fix[200];
	int rc = 0, lrc;

	*out = NULL;
	*n = 0;
	if (git_revparse_single(&ref_obj, git->repo, ref) < 0) {
		git_error_clear();
		rc = pl_error_set(
		        err, PL_ENOTFOUND, NULL, NULL,
		        "--diff-base: '%s' is not a commit of this "
		        "repository%s",
		        ref,
		        git_repository_is_shallow(git->repo) == 1
		                ? "; this shallow clone may lack it: " DEEPEN_FIX
		                : "");
		goto done;
	}
	if (git_revparse_single(&head_obj, git->repo, "HEAD") < 0) {
		git_error_clear();
		rc = pl_error_set(err, PL_ENOTFOUND, NULL, NULL,
		                  "--diff-base: the repository has no commit "
		                  "yet (HEAD)%s",
		                  "");
		goto done;
	}
	rc = merge_base(&base_oid, git, ref, git_object_id(ref_obj),
	                git_object_id(head_obj), err);
	if (rc)
		goto done;
	if (git_commit_lookup(&base_commit, git->repo, &base_oid) < 0 ||
	    git_commit_tree(&base, base_commit) < 0 ||
	    !(head = head_tree(git->repo))) {
		pl_gitsrc__why(why, sizeof(why), GIT_ERROR);
		pl_gitsrc__fix(fix, sizeof(fix), git->repo);
		rc = pl_error_set(err, PL_EGIT, NULL, NULL,
		                  "--diff-base: cannot read the trees of the "
		                  "merge base and HEAD: %s; %s",
		                  why, fix);
		goto done;
	}
	/*
	 * Which files: base..HEAD. Deltas are listed without reading any
	 * content (trees hold the ids), so this works in a blobless clone.
	 */
	if (git_diff_tree_to_tree(&committed, git->repo, base, head, NULL) <
	    0) {
		pl_gitsrc__why(why, sizeof(why), GIT_ERROR);
		pl_gitsrc__fix(fix, sizeof(fix), git->repo);
		rc = pl_error_set(err, PL_EGIT, NULL, NULL,
		                  "--diff-base: cannot compare the merge base "
		                  "of '%.64s' with HEAD: %s; %s",
		                  ref, why, fix);
		goto done;
	}
	nd = git_diff_num_deltas(committed);
	paths = pl_xcalloc(nd ? nd : 1, sizeof(*paths));
	for (i = 0; i < nd; i++) {
		const git_diff_delta *d = git_diff_get_delta(committed, i);
		if (d->status != GIT_DELTA_DELETED)
			paths[npaths++] = (char *)d->new_file.path;
	}
	/* sorted once, so each lookup below is a binary search */
	qsort(paths, npaths, sizeof(*paths), cmp_str);
	/* what plumb reads is the work tree: the base against it */
	{
		git_diff_options opts;
		git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
		/* new files not yet added count as uncommitted changes */
		if (worktree)
			opts.flags |= GIT_DIFF_INCLUDE_UNTRACKED |
			              GIT_DIFF_RECURSE_UNTRACKED_DIRS |
			              GIT_DIFF_SHOW_UNTRACKED_CONTENT;
		lrc = git_diff_tree_to_workdir_with_index(&diff, git->repo,
		                                          base, &opts);
	}
	if (lrc < 0) {
		pl_gitsrc__why(why, sizeof(why), lrc);
		rc = pl_error_set(err, PL_EGIT, NULL, NULL,
		                  "--diff-base: cannot compare the work tree "
		                  "with the merge base of '%.64s': %s",
		                  ref, why);
		goto done;
	}
	nd = git_diff_num_deltas(diff);
	items = pl_xcalloc(nd ? nd : 1, sizeof(*items));
	for (i = 0; i < nd; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *path = d->new_file.path;
		pl_git_change *c;
		if (d->status == GIT_DELTA_DELETED)
			continue;
		if (!worktree && !(npaths && bsearch(&path, paths, npaths,
		                                     sizeof(*paths), cmp_str)))
			continue;
		c = &items[nitems++];
		c->path = pl_xstrdup(path);
		if (!lines)
			continue;
		lrc = added_lines(c, diff, i);
		if (lrc < 0 && unread++ == 0) {
			char hex[GIT_OID_HEXSZ + 1];
			pl_gitsrc__why(why, sizeof(why), lrc);
			git_oid_tostr(hex, sizeof(hex), &d->old_file.id);
			snprintf(first, sizeof(first),
			         "'%.80s' at the merge base (blob %.7s: %s)",
			         d->old_file.path, hex, why);
		}
	}
	if (unread) {
		pl_gitsrc__fix(fix, sizeof(fix), git->repo);
		rc = pl_error_set(err, PL_EGIT, NULL, NULL,
		                  "--new-only: cannot read %s%s; %s", first,
		                  unread > 1 ? " and others" : "", fix);
		goto done;
	}
	qsort(items, nitems, sizeof(*items), cmp_change);
	*out = items;
	*n = nitems;
	items = NULL;
	nitems = 0;
done:
	pl_git_changes_free(items, nitems);
	free(paths);
	git_diff_free(diff);
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

const char *pl_git_version(char *out, size_t size)
{
	int major = 0, minor = 0, rev = 0;
	git_libgit2_version(&major, &minor, &rev);
	snprintf(out, size, "%d.%d.%d", major, minor, rev);
	return out;
}
