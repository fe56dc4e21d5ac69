/*
 * atomic.h - writing a file whole or not at all (reports and baselines).
 *
 * pl_atomic_open writes to a temporary file in the folder of the target
 * and pl_atomic_commit flushes it to disk and renames it over the target,
 * so a full disk or a size limit leaves the previous file as it was and
 * never a truncated one. A target that exists and is not a regular file
 * (/dev/stdout, /dev/full, a FIFO) is written in place: it cannot be
 * replaced. A symbolic link is followed: its target is replaced. Every
 * failure is PL_EWRITE with the target's name and the system's reason.
 */
#ifndef PL_ATOMIC_H
#define PL_ATOMIC_H

#include "base/base.h"
#include "base/error.h"

typedef struct pl_atomic {
	FILE *fp;          /* write here */
	char *target;      /* owned: the file replaced on commit */
	char *tmp;         /* owned, NULL when writing in place */
	const char *shown; /* the name errors give: the caller's path */
} pl_atomic;

/* Opens a writer for path (borrowed until commit or abort). Returns 0 or
 * PL_EWRITE. */
int pl_atomic_open(pl_atomic *a, const char *path, pl_error *err);
/* Flushes, syncs, closes and renames the temporary file over the target.
 * On failure the temporary file is removed and the target left as it
 * was. Returns 0 or PL_EWRITE; a is released either way. */
int pl_atomic_commit(pl_atomic *a, pl_error *err);
/* Drops what was written; the target is left as it was. */
void pl_atomic_abort(pl_atomic *a);

#endif
