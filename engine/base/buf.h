/*
 * buf.h - growable byte string with explicit length and a hard cap.
 *
 * Invariants (as git's strbuf): ptr is never NULL after pl_buf_init and
 * ptr[len] is always '\0'. A buffer never grows past `max` bytes: an append
 * that would cross it appends what fits, sets `truncated` and returns
 * PL_ELIMIT (curl dynbuf). max == 0 means PL_BUF_DEFAULT_MAX.
 * The caller owns the buffer and frees it with pl_buf_release.
 */
#ifndef PL_BUF_H
#define PL_BUF_H

#include "base/base.h"

#define PL_BUF_DEFAULT_MAX ((size_t)1 << 30)

typedef struct pl_buf {
	char *ptr;
	size_t len;
	size_t cap;
	size_t max;
	bool truncated;
} pl_buf;

void pl_buf_init(pl_buf *b, size_t max);
/* Frees the bytes; b is left as pl_buf_init left it. */
void pl_buf_release(pl_buf *b);
/* Empties the buffer, keeping its memory (engine/README.md: verbs). */
void pl_buf_reset(pl_buf *b);
/* Returns the bytes (NUL-terminated, caller frees) and re-inits b. */
char *pl_buf_detach(pl_buf *b, size_t *len);

int pl_buf_add(pl_buf *b, const void *data, size_t len);
int pl_buf_adds(pl_buf *b, const char *s);
int pl_buf_addc(pl_buf *b, char c);
int pl_buf_addf(pl_buf *b, const char *fmt, ...) PL_PRINTF(2, 3);
int pl_buf_vaddf(pl_buf *b, const char *fmt, va_list ap) PL_PRINTF(2, 0);
/* Appends s as a JSON string literal, quotes included (RFC 8259 §7).
 * Invalid UTF-8 bytes become U+FFFD so the output is always valid JSON. */
int pl_buf_add_json_str(pl_buf *b, const char *s, size_t len);

#endif
