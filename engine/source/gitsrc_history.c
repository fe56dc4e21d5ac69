/*
 * gitsrc_history.c - pl_git_history on libgit2: revwalk, tree diffs, blobs.
 *
 * It opens a git_repository of its own (no private struct shared with
 * gitsrc.c), with pl_git_open's checks. The walk is topological, then by
 * time, reversed: parents come first, so the first commit to list a blob
 * introduced it. A merge is diffed to its first parent only: its other
 * parents' blobs were listed with their own commits. Renames are found
 * (git's default similarity), so a moved file's blob names the one it
 * replaced: with --since the walk starts mid-history, and what that blob
 * held before was not introduced in the range. libgit2 errors become
 * pl_error here, once (STYLE.md §4.4).
 */
#include "source/gitsrc_history.h"
#include "source/gitsrc_impl.h"
#include "base/arena.h"
#include "base/map.h"
#include "base/vec.h"
#include "base/xalloc.h"

#include <time.h>
#include <git2.h>

struct pl_git_history {
	git_repository *repo;
	git_odb *odb;   /* for sizes before contents */
	char *workdir;  /* absolute, no trailing '/' */
	pl_vec blobs;   /* pl_git_blob, oldest first */
	pl_arena arena; /* paths and the seen set's keys */
	pl_map seen;    /* raw blob ids met so far */
};

static int git_fail(pl_error *err, const char *what, const char *name)
{
	const git_error *e = git_error_last();
	const char *why = (e && e->message) ? e->message : "unknown error";

	return pl_error_set(err, PL_EGIT, NULL, NULL, "%s '%s': %s", what, name,
	                    why);
}

/* libgit2 1.5 reports a repository owned by someone else as GIT_ENOTFOUND
 * with a config error: see owner_refused() in gitsrc.c. */
static bool owner_refused(void)
{
	const git_error *e = git_error_last();

	return e && e->klass == GIT_ERROR_CONFIG;
}

static int open_repo(pl_git_history *h, const char *path, pl_error *err)
{
	const char *wd;
	size_t len;
	int rc;

	git_error_clear();
	rc = git_repository_open_ext(&h->repo, path, 0, NULL);
	if (rc == GIT_EOWNER || (rc == GIT_ENOTFOUND && owner_refused()))
		return pl_error_set(err, PL_EGIT, NULL, NULL,
		                    "cannot open the git repository at '%s': "
		                    "it is not owned by the current user (see "
		                    "git config safe.directory)",
		                    path);
	if (rc == GIT_ENOTFOUND)
		return pl_error_set(err, PL_ENOTFOUND, NULL, NULL,
		                    "'%s' is not in a git work tree", path);
	if (rc < 0)
		return git_fail(err, "cannot open the git repository at", path);
	wd = git_repository_workdir(h->repo);
	if (git_repository_is_bare(h->repo) || !wd)
		return pl_error_set(err, PL_ENOTFOUND, NULL, NULL,
		                    "'%s' is in a bare git repository", path);
	len = strlen(wd);
	while (len > 1 && wd[len - 1] == '/')
		len--;
	h->workdir = pl_xstrndup(wd, len);
	/*
	 * libgit2 before 1.7 cannot walk past a shallow clone's boundary,
	 * and a scan of part of the history would read as a clean bill:
	 * refuse, and say how to get the rest.
	 */
	if (git_repository_is_shallow(h->repo) == 1)
		return pl_error_set(err, PL_EGIT, NULL, NULL,
		                    "'%s' is a shallow clone: fetch the whole "
		                    "history first (git fetch --unshallow; "
		                    "actions/checkout: fetch-depth: 0)",
		                    h->workdir);
	if (git_repository_odb(&h->odb, h->repo) < 0)
		return git_fail(err, "cannot open the objects of", path);
	return 0;
}

/* Every ref (branches, tags, remotes, stash, notes) and HEAD, as
 * `git log --all`; since's commits hidden. */
static int start_walk(git_revwalk **out, pl_git_history *h, const char *since,
                      pl_error *err)
{
	git_revwalk *walk = NULL;
	git_object *obj = NULL, *peeled = NULL;
	int rc;

	*out = NULL;
	if (git_revwalk_new(&walk, h->repo) < 0)
		return git_fail(err, "cannot walk the history of", h->workdir);
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME |
	                                  GIT_SORT_REVERSE);
	/* a glob skips refs to trees and blobs instead of failing */
	if (git_revwalk_push_glob(walk, "refs/*") < 0) {
		rc = git_fail(err, "cannot list the refs of", h->workdir);
		goto fail;
	}
	/* a detached HEAD is on no ref; an unborn one has no commit */
	if (git_repository_head_unborn(h->repo) != 1 &&
	    git_revwalk_push_head(walk) < 0) {
		rc = git_fail(err, "cannot read HEAD of", h->workdir);
		goto fail;
	}
	if (since) {
		if (git_revparse_single(&obj, h->repo, since) < 0 ||
		    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
			const git_error *e = git_error_last();
			rc = pl_error_set(err, PL_EUSAGE, NULL, NULL,
			                  "--since: '%s' names no commit (%s)",
			                  since,
			                  e && e->message ? e->message
			                                  : "unknown revision");
			goto fail;
		}
		if (git_revwalk_hide(walk, git_object_id(peeled)) < 0) {
			rc = git_fail(err, "cannot hide the history of", since);
			goto fail;
		}
	}
	git_object_free(peeled);
	git_object_free(obj);
	*out = walk;
	return 0;

fail:
	git_object_free(peeled);
	git_object_free(obj);
	git_revwalk_free(walk);
	return rc;
}

/* The author's calendar day, in the author's time zone. */
static void author_day(char out[11], const git_commit *c)
{
	const git_signature *a = git_commit_author(c);
	time_t t = 0;
	struct tm tm;

	if (a)
		t = (time_t)(a->when.time + (git_time_t)a->when.offset * 60);
	if (!gmtime_r(&t, &tm) || strftime(out, 11, "%Y-%m-%d", &tm) == 0)
		snprintf(out, 11, "1970-01-01");
}

static void commit_short_id(char out[41], const git_commit *c)
{
	git_buf buf = {0};

	/* core.abbrev, and longer where 7 digits are ambiguous, as git */
	if (git_object_short_id(&buf, (const git_object *)c) == 0 && buf.ptr)
		snprintf(out, 41, "%s", buf.ptr);
	else
		git_oid_tostr(out, 8, git_commit_id(c));
	git_buf_dispose(&buf);
}

static bool is_file_blob(const git_diff_file *f)
{
	return f->mode == GIT_FILEMODE_BLOB ||
	       f->mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

/*
 * Pairs deleted and added files into renames. Inexact renames compare
 * contents; when a blob cannot be read for that (a partial clone), the
 * diff is made anew and only exact renames (same blob) are paired: the
 * blobs themselves are then reported unread by the scan.
 */
static int find_renames(git_diff **diff, git_repository *repo, git_tree *old,
                        git_tree *new, const git_diff_options *opts)
{
	git_diff_find_options fo;

	git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
	fo.flags = GIT_DIFF_FIND_RENAMES;
	if (git_diff_find_similar(*diff, &fo) == 0)
		return 0;
	git_error_clear();
	git_diff_free(*diff);
	*diff = NULL;
	if (git_diff_tree_to_tree(diff, repo, old, new, opts) < 0)
		return -1;
	fo.flags |= GIT_DIFF_FIND_EXACT_MATCH_ONLY;
	return git_diff_find_similar(*diff, &fo);
}

/* Lists what commit c adds or modifies, relative to its first parent. */
static int list_commit(pl_git_history *h, git_commit *c, pl_error *err)
{
	git_tree *tree = NULL, *ptree = NULL;
	git_commit *parent = NULL;
	git_diff *diff = NULL;
	git_diff_options opts;
	char id[41] = "", day[11] = "";
	size_t i, n;
	int rc = 0;

	if (git_commit_tree(&tree, c) < 0 ||
	    (git_commit_parentcount(c) > 0 &&
	     (git_commit_parent(&parent, c, 0) < 0 ||
	      git_commit_tree(&ptree, parent) < 0))) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
		rc = git_fail(err, "cannot read the tree of commit", hex);
		goto done;
	}
	/* the function, not GIT_DIFF_OPTIONS_INIT: -Wextra wants every field
	 * of that initialiser */
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	/* contents are not needed to list changes: never load them here */
	opts.flags = GIT_DIFF_SKIP_BINARY_CHECK;
	opts.ignore_submodules = GIT_SUBMODULE_IGNORE_ALL;
	if (git_diff_tree_to_tree(&diff, h->repo, ptree, tree, &opts) < 0 ||
	    find_renames(&diff, h->repo, ptree, tree, &opts) < 0) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
		rc = git_fail(err, "cannot diff commit", hex);
		goto done;
	}
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		pl_git_blob *b;
		git_oid *key;

		if (d->status != GIT_DELTA_ADDED &&
		    d->status != GIT_DELTA_MODIFIED &&
		    d->status != GIT_DELTA_RENAMED &&
		    d->status != GIT_DELTA_TYPECHANGE)
			continue;
		if (!is_file_blob(&d->new_file) ||
		    pl_map_get(&h->seen, (const char *)d->new_file.id.id,
		               GIT_OID_RAWSZ))
			continue;
		key = pl_arena_alloc(&h->arena, sizeof(*key));
		git_oid_cpy(key, &d->new_file.id);
		pl_map_put(&h->seen, (const char *)key->id, GIT_OID_RAWSZ, key,
		           NULL);
		if (!id[0]) {
			commit_short_id(id, c);
			author_day(day, c);
		}
		b = pl_vec_push(&h->blobs);
		git_oid_tostr(b->oid, sizeof(b->oid), &d->new_file.id);
		memcpy(b->commit, id, sizeof(b->commit));
		git_oid_tostr(b->commit_id, sizeof(b->commit_id),
		              git_commit_id(c));
		memcpy(b->date, day, sizeof(b->date));
		b->path = pl_arena_strdup(&h->arena, d->new_file.path);
		b->prev[0] = '\0';
		b->prev_path = NULL;
		b->prev_listed = false;
		if (d->status != GIT_DELTA_ADDED &&
		    is_file_blob(&d->old_file)) {
			git_oid_tostr(b->prev, sizeof(b->prev),
			              &d->old_file.id);
			b->prev_path =
			        pl_arena_strdup(&h->arena, d->old_file.path);
			/* parents are walked first: listed by now, if at
			 * all */
			b->prev_listed =
			        pl_map_get(&h->seen,
			                   (const char *)d->old_file.id.id,
			                   GIT_OID_RAWSZ) != NULL;
		}
	}

done:
	git_diff_free(diff);
	git_tree_free(ptree);
	git_tree_free(tree);
	git_commit_free(parent);
	return rc;
}

static int list_history(pl_git_history *h, const char *since, pl_error *err)
{
	git_revwalk *walk;
	git_oid oid;
	int rc, next;

	rc = start_walk(&walk, h, since, err);
	if (rc)
		return rc;
	while (rc == 0 && (next = git_revwalk_next(&oid, walk)) == 0) {
		git_commit *c;
		if (git_commit_lookup(&c, h->repo, &oid) < 0) {
			char hex[GIT_OID_HEXSZ + 1];
			git_oid_tostr(hex, sizeof(hex), &oid);
			rc = git_fail(err, "cannot read commit", hex);
			break;
		}
		rc = list_commit(h, c, err);
		git_commit_free(c);
	}
	if (rc == 0 && next != GIT_ITEROVER)
		rc = git_fail(err, "cannot walk the history of", h->workdir);
	git_revwalk_free(walk);
	return rc;
}

int pl_git_history_open(pl_git_history **out, const char *path,
                        const char *since, pl_error *err)
{
	pl_git_history *h;
	int rc;

	*out = NULL;
	if (git_libgit2_init() < 0)
		return git_fail(err, "cannot initialise libgit2 for", path);
	pl_gitsrc__read_fast();
	/* from here on pl_git_history_free gives the reference back */
	h = pl_xcalloc(1, sizeof(*h));
	pl_vec_init(&h->blobs, sizeof(pl_git_blob));
	pl_arena_init(&h->arena);
	pl_map_init(&h->seen);
	rc = open_repo(h, path, err);
	if (rc == 0)
		rc = list_history(h, since, err);
	if (rc) {
		pl_git_history_free(h);
		return rc;
	}
	/* the set is only needed while listing */
	pl_map_release(&h->seen);
	*out = h;
	return 0;
}

void pl_git_history_free(pl_git_history *h)
{
	if (!h)
		return;
	git_odb_free(h->odb);
	git_repository_free(h->repo);
	free(h->workdir);
	pl_vec_release(&h->blobs);
	pl_map_release(&h->seen);
	pl_arena_release(&h->arena);
	free(h);
	git_libgit2_shutdown();
}

const char *pl_git_history_workdir(const pl_git_history *h)
{
	return h->workdir;
}

size_t pl_git_history_len(const pl_git_history *h)
{
	return h->blobs.len;
}

const pl_git_blob *pl_git_history_at(const pl_git_history *h, size_t i)
{
	return pl_vec_at(&h->blobs, i);
}

/* "blob 1a2b3c4: why", the note of content git could not give. */
static int unread(pl_error *err, const char *hex, int code)
{
	char why[160];

	pl_gitsrc__why(why, sizeof(why), code);
	return pl_error_set(err, PL_EGIT, NULL, NULL, "blob %.7s: %s", hex,
	                    why);
}

static int read_blob(pl_git_history *h, const char *hex, const char *path,
                     size_t max, char **data, size_t *len, pl_error *err)
{
	git_oid oid;
	git_blob *blob = NULL;
	git_object_t type;
	size_t size;
	int rc;

	*data = NULL;
	*len = 0;
	if (git_oid_fromstr(&oid, hex) < 0)
		return unread(err, hex, GIT_ERROR);
	/* the header first: a huge blob is never inflated */
	rc = git_odb_read_header(&size, &type, h->odb, &oid);
	if (rc < 0)
		return unread(err, hex, rc);
	*len = size;
	if (size > max)
		return pl_error_set(err, PL_ELIMIT, path, NULL,
		                    "blob %s is larger than %zu bytes", hex,
		                    max);
	rc = git_blob_lookup(&blob, h->repo, &oid);
	if (rc < 0)
		return unread(err, hex, rc);
	if ((size_t)git_blob_rawsize(blob) != size) {
		git_blob_free(blob);
		return pl_error_set(err, PL_EGIT, NULL, NULL,
		                    "blob %.7s: its size and its header's "
		                    "differ",
		                    hex);
	}
	*data = pl_xmalloc(size + 1);
	memcpy(*data, git_blob_rawcontent(blob), (size_t)size);
	(*data)[size] = '\0';
	git_blob_free(blob);
	return 0;
}

int pl_git_history_read(pl_git_history *h, size_t i, size_t max, char **data,
                        size_t *len, pl_error *err)
{
	const pl_git_blob *b = pl_vec_at(&h->blobs, i);

	return read_blob(h, b->oid, b->path, max, data, len, err);
}

int pl_git_history_read_prev(pl_git_history *h, size_t i, size_t max,
                             char **data, size_t *len, pl_error *err)
{
	const pl_git_blob *b = pl_vec_at(&h->blobs, i);

	*data = NULL;
	*len = 0;
	if (!b->prev[0])
		return PL_ENOTFOUND;
	return read_blob(h, b->prev, b->prev_path, max, data, len, err);
}

void pl_git_history_unread_fix(pl_git_history *h, char *out, size_t size)
{
	pl_gitsrc__fix(out, size, h->repo);
}
