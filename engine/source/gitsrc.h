/*
 * gitsrc.h - plumb's window on git (the only <git2.h> user).
 *
 * Find the work tree around a path, ask whether a path is ignored, read
 * the index as the next commit would record it (--staged), and list what
 * changed since a merge base, down to the lines (--diff-base). History
 * scans live in gitsrc_history.c.
 * A pl_git is owned by its creator (pl_git_open / pl_git_free); libgit2
 * is initialised on first use and shut down by pl_git_free of the last
 * handle. libgit2 errors are converted here, once, into pl_error.
 */
#ifndef PL_GITSRC_H
#define PL_GITSRC_H

#include "base/error.h"

typedef struct pl_git pl_git;

/*
 * Opens the repository whose work tree contains `path` (searching up).
 * Returns 0 and *out, or PL_ENOTFOUND when path is in no work tree (a
 * bare repository counts as none), or PL_EGIT.
 */
int pl_git_open(pl_git **out, const char *path, pl_error *err);
void pl_git_free(pl_git *git);
/* Absolute path of the work tree, without a trailing '/'. Borrowed. */
const char *pl_git_workdir(const pl_git *git);
/* True if `relpath` (relative to the work tree, '/'-separated; a folder
 * given with a trailing '/') is ignored by .gitignore and friends. */
bool pl_git_is_ignored(pl_git *git, const char *relpath);
/* True if the index tracks `relpath`, or (a folder given with a trailing
 * '/') a path below it. .gitignore applies to untracked files only, as
 * in git. The index is read once per handle; one that cannot be read
 * tracks nothing. */
bool pl_git_is_tracked(pl_git *git, const char *relpath);

/* A file of the index: its path in the work tree and its staged bytes. */
typedef struct pl_git_blob {
	char *path; /* relative to the work tree, '/'-separated */
	char *data; /* malloc'ed, NUL-terminated; owned */
	size_t len;
	bool staged; /* differs from HEAD (every file before a first commit) */
	/* what git could not give, "blob 1a2b3c4: object not found" (a
	 * partial clone, a missing or corrupt object); data is then NULL.
	 * Owned. NULL when the blob was read. */
	char *unread;
	/* pl_git_blob_read filled data, len and unread; before that they
	 * are NULL, 0, NULL */
	bool read;
	/* the size the index recorded (the work-tree file's when it was
	 * staged): known before reading, so the pool can hand out the
	 * biggest first; a hint, never the content's length */
	size_t weight;
	unsigned char id[20]; /* the blob's object id (SHA-1, raw) */
} pl_git_blob;

/*
 * Every regular file of the index (stage 0; symlinks and submodules are
 * not files to lint), sorted by path, with its object id and whether it
 * is staged; no content is read here (pl_git_blob_read reads it, on any
 * thread). Deleted files are absent. *out is freed with
 * pl_git_blobs_free. PL_EGIT when the index cannot be read.
 */
int pl_git_index(pl_git *git, pl_git_blob **out, size_t *n, pl_error *err);
/*
 * Opens n readers of the repository's objects (pl_git_index opens the
 * first), one per worker of the pool that calls pl_git_blob_read: one
 * shared reader would read one blob at a time (libgit2 1.5 locks an
 * object database for the whole of a read). A reader that cannot be
 * opened is left out; its worker shares another. Call it before the
 * workers start. PL_EGIT when not even the first can be opened.
 */
int pl_git_readers(pl_git *git, unsigned n, pl_error *err);
/*
 * Reads b's content as staged (a file staged with some hunks only is
 * read as staged, whatever the work tree holds) into data and len, and
 * sets b->read. A blob over max_bytes is given len = max_bytes + 1 and
 * no data (the caller reports it too large). A blob git cannot give
 * gets `unread`, not an error: the caller reports every such path, then
 * fails (pl_git_unread_fix says how to get them). git is the handle
 * pl_git_index listed b with; workers may call this at once for
 * different blobs, each with its own reader number (0 to n - 1 of
 * pl_git_readers), never two for one blob. libgit2's errors are kept
 * per thread, so each worker reads its own.
 */
void pl_git_blob_read(pl_git *git, unsigned reader, pl_git_blob *b,
                      size_t max_bytes);
void pl_git_blobs_free(pl_git_blob *b, size_t n);
/* The blob of path in b[0..n) (sorted by path, as pl_git_index gives
 * them), or NULL. */
pl_git_blob *pl_git_blob_find(const pl_git_blob *b, size_t n, const char *path);

/* A changed file and the new-side lines added or modified in it. */
typedef struct pl_git_change {
	char *path;
	uint32_t *lines; /* sorted, 1-based, in the work tree's content */
	size_t nlines;
} pl_git_change;

/*
 * The files that differ between the merge base of ref and HEAD and HEAD
 * (with worktree, also the index and the work tree), sorted by path;
 * deleted files are left out. With lines, each change lists its added
 * lines, counted in the work tree's content (what plumb lints); that
 * needs the merge base's blobs, the file list alone does not (so a
 * blobless partial clone works without lines). The merge base is the one
 * `git merge-base` finds, in a shallow clone too (its boundary commits
 * included). PL_ENOTFOUND when ref does not resolve or shares no history
 * with HEAD; PL_EGIT when a commit, tree or blob cannot be read (the
 * message names it and how to get it) or the clone is too shallow to
 * hold a common ancestor (it names the fix: fetch-depth: 0). Cost: one
 * sort of the paths, one binary search per changed file.
 */
int pl_git_changes(pl_git *git, const char *ref, bool worktree, bool lines,
                   pl_git_change **out, size_t *n, pl_error *err);
void pl_git_changes_free(pl_git_change *c, size_t n);
/* The change of path in c[0..n) (sorted by path), or NULL. */
pl_git_change *pl_git_change_find(const pl_git_change *c, size_t n,
                                  const char *path);

/* libgit2's version ("1.5.1"), for `plumb version`; writes into
 * out[0..size). */
const char *pl_git_version(char *out, size_t size);

/* How to get the objects this repository lacks (for a message after
 * "cannot read ...;"): in a partial clone, the commands that fetch them;
 * else what a damaged repository needs. Written to out[0..size). */
void pl_git_unread_fix(pl_git *git, char *out, size_t size);

#endif
