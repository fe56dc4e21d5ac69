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
#include "base/buf.h"
#include "base/xalloc.h"

#include <git2.h>

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

void pl_gitsrc__read_fast(void)
{
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
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
	pl_gitsrc__read_fast();
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
	pl_git__readers_free(git);
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
git_tree *pl_gitsrc__head_tree(git_repository *repo)
{
	git_object *obj = NULL;
	if (git_revparse_single(&obj, repo, "HEAD^{tree}") < 0) {
		git_error_clear();
		return NULL;
	}
	return (git_tree *)obj;
}

/* pl_git_blob.id holds a git_oid (libgit2 1.5: SHA-1 only) */
_Static_assert(sizeof(((pl_git_blob *)0)->id) == GIT_OID_RAWSZ,
               "pl_git_blob.id is a raw object id");

/* GIT_INDEX_FILE (git commit -a and git commit PATHS run hooks against
 * a temporary index it names, relative to the work tree, where hooks
 * run: that one is what will be committed), else the repository's. */
static int open_index(git_index **idx, pl_git *git, pl_error *err)
{
	const char *f = getenv("GIT_INDEX_FILE");
	pl_buf path;
	int rc = 0;

	if (!f || !*f) {
		if (git_repository_index(idx, git->repo) < 0)
			return git_fail(err, "cannot read the index of",
			                git->workdir);
		return 0;
	}
	pl_buf_init(&path, 0);
	pl_buf_addf(&path, "%s%s%s", f[0] == '/' ? "" : git->workdir,
	            f[0] == '/' ? "" : "/", f);
	if (git_index_open(idx, path.ptr) < 0)
		rc = git_fail(err, "cannot read the index", path.ptr);
	pl_buf_release(&path);
	return rc;
}

/* staged = what differs between HEAD and the index */
static int mark_staged(pl_git *git, git_index *idx, pl_git_blob *b, size_t k,
                       pl_error *err)
{
	git_tree *tree = pl_gitsrc__head_tree(git->repo);
	git_diff *diff = NULL;
	size_t i;
	int rc = 0;

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
	return rc;
}

int pl_git_index(pl_git *git, pl_git_blob **out, size_t *n, pl_error *err)
{
	git_index *idx = NULL;
	pl_git_blob *b = NULL;
	size_t count, i, k = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = pl_git_readers(git, 1, err);
	if (rc == 0)
		rc = open_index(&idx, git, err);
	if (rc)
		return rc;
	count = git_index_entrycount(idx);
	b = pl_xcalloc(count ? count : 1, sizeof(*b));
	for (i = 0; i < count; i++) {
		const git_index_entry *e = git_index_get_byindex(idx, i);
		if (!e || GIT_INDEX_ENTRY_STAGE(e) != 0 ||
		    (e->mode != GIT_FILEMODE_BLOB &&
		     e->mode != GIT_FILEMODE_BLOB_EXECUTABLE))
			continue;
		b[k].path = pl_xstrdup(e->path);
		b[k].weight = e->file_size;
		memcpy(b[k].id, e->id.id, sizeof(b[k].id));
		k++;
	}
	qsort(b, k, sizeof(*b), cmp_blob);
	rc = mark_staged(git, idx, b, k, err);
	git_index_free(idx);
	if (rc) {
		pl_git_blobs_free(b, k);
		return rc;
	}
	*out = b;
	*n = k;
	return 0;
}

/* b's "blob 1a2b3c4: why" from libgit2's result code (this thread's
 * last error). */
static void set_unread(pl_git_blob *b, const git_oid *id, int code,
                       const char *what)
{
	char hex[GIT_OID_HEXSZ + 1], why[160];
	size_t size = sizeof(hex) + sizeof(why) + 8;

	git_oid_tostr(hex, sizeof(hex), id);
	if (what)
		snprintf(why, sizeof(why), "%s", what);
	else
		pl_gitsrc__why(why, sizeof(why), code);
	b->unread = pl_xmalloc(size);
	snprintf(b->unread, size, "blob %.7s: %s", hex, why);
}

void pl_git__readers_free(pl_git *git)
{
	unsigned i;
	for (i = 0; i < git->nreaders; i++)
		git_odb_free(git->readers[i]);
	free(git->readers);
	git->readers = NULL;
	git->nreaders = 0;
}

int pl_git_readers(pl_git *git, unsigned n, pl_error *err)
{
	git_buf dir = GIT_BUF_INIT;
	unsigned i;

	if (n == 0)
		n = 1;
	if (!git->readers) {
		git->readers = pl_xcalloc(1, sizeof(*git->readers));
		if (git_repository_odb(&git->readers[0], git->repo) < 0) {
			pl_git__readers_free(git);
			return git_fail(err, "cannot open the objects of",
			                git->workdir);
		}
		git->nreaders = 1;
	}
	if (n <= git->nreaders)
		return 0;
	/* the others open the same folder (alternates included); one that
	 * cannot be opened is left out, its worker shares [0] */
	if (git_repository_item_path(&dir, git->repo,
	                             GIT_REPOSITORY_ITEM_OBJECTS) < 0) {
		git_error_clear();
		return 0;
	}
	git->readers = pl_xrealloc(git->readers, n * sizeof(*git->readers));
	for (i = git->nreaders; i < n; i++) {
		if (git_odb_open(&git->readers[git->nreaders], dir.ptr) < 0) {
			git_error_clear();
			break;
		}
		git->nreaders++;
	}
	git_buf_dispose(&dir);
	return 0;
}

void pl_git_blob_read(pl_git *git, unsigned reader, pl_git_blob *b,
                      size_t max_bytes)
{
	git_odb_object *obj = NULL;
	git_oid id;
	size_t len;
	int lrc;

	if (b->read)
		return;
	b->read = true;
	memcpy(id.id, b->id, sizeof(id.id));
	/* a missing or corrupt object is the run's to report: it lists
	 * the path and exits 2 (pl_run__unread_fail) */
	lrc = git_odb_read(&obj, git->readers[reader % git->nreaders], &id);
	if (lrc < 0) {
		set_unread(b, &id, lrc, NULL);
		return;
	}
	if (git_odb_object_type(obj) != GIT_OBJECT_BLOB) {
		set_unread(b, &id, 0, "not a blob");
		git_odb_object_free(obj);
		return;
	}
	len = git_odb_object_size(obj);
	if (len > max_bytes) {
		b->len = max_bytes + 1;
	} else {
		b->data = pl_xmalloc(len + 1);
		memcpy(b->data, git_odb_object_data(obj), len);
		b->data[len] = '\0';
		b->len = len;
	}
	git_odb_object_free(obj);
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

const char *pl_git_version(char *out, size_t size)
{
	int major = 0, minor = 0, rev = 0;
	git_libgit2_version(&major, &minor, &rev);
	snprintf(out, size, "%d.%d.%d", major, minor, rev);
	return out;
}
