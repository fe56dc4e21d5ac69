/*
 * error.h - errors in plumb's own inputs (channel 2 of STYLE.md §4).
 *
 * Functions return 0 or a negative PL_E* code and fill a caller-owned
 * pl_error with the message and, when it applies, the file and position.
 * Problems in the files being linted are findings, never pl_errors.
 */
#ifndef PL_ERROR_H
#define PL_ERROR_H

#include "base/base.h"
#include "base/pos.h"

enum {
	PL_OK = 0,
	PL_EIO = -1,       /* cannot read or write a file */
	PL_EPARSE = -2,    /* malformed input of plumb's own */
	PL_ELIMIT = -3,    /* a pl_limits cap was reached */
	PL_ECONFIG = -4,   /* .plumb.yaml */
	PL_ERULE = -5,     /* a rule file */
	PL_EGIT = -6,      /* libgit2 */
	PL_EUSAGE = -7,    /* command line */
	PL_ENOTFOUND = -8, /* a named thing does not exist */
	PL_EINTERNAL = -9, /* a bug or an unexpected library failure */
	PL_EWRITE = -10,   /* cannot write a report or baseline (exit 3) */
};

typedef struct pl_error {
	int code;
	const char *path; /* points at file[] (copied); NULL if no file */
	pl_pos pos;       /* line 0 when no position applies */
	char msg[256];
	char file[256]; /* the path, cut to its tail if longer */
} pl_error;

/* Empties err: code 0, no message. A pl_error owns no memory, so its
 * release is nothing and clear (release, then init) is its init. */
void pl_error_clear(pl_error *err);
/* Fills err (if not NULL) and returns code. path is copied, so err
 * outlives whatever it named. */
int pl_error_set(pl_error *err, int code, const char *path, const pl_pos *pos,
                 const char *fmt, ...) PL_PRINTF(5, 6);
/* Formats "path:line:col: msg" (or "path: msg", or "msg") into out. */
void pl_error_format(const pl_error *err, char *out, size_t size);

#endif
