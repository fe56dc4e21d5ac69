/*
 * gitsrc_history.h - the blobs of a repository's history, for
 * `plumb check --history` (with gitsrc.c, the only <git2.h> users).
 *
 * Lists each blob of the commits reachable from a ref or HEAD once, with
 * the first commit (oldest first) that added or modified it, and the
 * blob it replaced there (renames followed). Contents are
 * read one blob at a time into buffers the caller owns. A history owns its
 * repository handle and the strings it lists (pl_git_history_free). Not
 * thread-safe: libgit2 repository objects are not shared between threads.
 */
#ifndef PL_GITSRC_HISTORY_H
#define PL_GITSRC_HISTORY_H

#include "base/error.h"

typedef struct pl_git_blob {
	char oid[41];       /* the blob's full hex id */
	char commit[41];    /* short id of the commit that introduced it */
	char commit_id[41]; /* its full hex id */
	char date[11];      /* that commit's author date, YYYY-MM-DD, in the
	                     * author's time zone (git log --date=short) */
	const char *path;   /* its path there, '/'-separated; owned by the
	                     * history */
	/* The version it replaced in that commit: the first parent's blob
	 * at the same path, or at the path it was renamed from; "" for a
	 * file the commit added. What prev already held, the commit did not
	 * introduce. */
	char prev[41];
	const char *prev_path; /* NULL when prev is "" */
	bool prev_listed;      /* prev is an earlier blob of this list */
} pl_git_blob;

typedef struct pl_git_history pl_git_history;

/*
 * Opens the repository whose work tree contains `path` (searching up, as
 * pl_git_open does) and lists its history's blobs: regular files only
 * (no symbolic links, no submodules). since (may be NULL) is any
 * revision git understands; commits it reaches are left out. Returns 0
 * and *out, PL_ENOTFOUND when path is in no work tree (or a bare
 * repository), PL_EUSAGE when since names no commit, or PL_EGIT (also
 * for a shallow clone, whose history is incomplete).
 */
int pl_git_history_open(pl_git_history **out, const char *path,
                        const char *since, pl_error *err);
void pl_git_history_free(pl_git_history *h);

/* Absolute path of the work tree, without a trailing '/'. Borrowed. */
const char *pl_git_history_workdir(const pl_git_history *h);
/* How many blobs are listed, and blob i (0: the oldest). Borrowed. */
size_t pl_git_history_len(const pl_git_history *h);
const pl_git_blob *pl_git_history_at(const pl_git_history *h, size_t i);

/*
 * Reads blob i into *data (malloc'd, NUL-terminated, owned by the caller)
 * and its size into *len. A blob above max bytes is not read: *data is
 * NULL, *len its size, and the result PL_ELIMIT. PL_EGIT when the object
 * cannot be read (a partial clone, a corrupt pack): err's message is then
 * "blob 1a2b3c4: object not found" (or libgit2's reason).
 */
int pl_git_history_read(pl_git_history *h, size_t i, size_t max, char **data,
                        size_t *len, pl_error *err);
/* The same for blob i's prev; PL_ENOTFOUND when it has none. */
int pl_git_history_read_prev(pl_git_history *h, size_t i, size_t max,
                             char **data, size_t *len, pl_error *err);
/* How to get the objects this repository lacks (pl_git_unread_fix). */
void pl_git_history_unread_fix(pl_git_history *h, char *out, size_t size);

#endif
