/*
 * mask.h - the one way plumb hides a secret, wherever it would print it.
 *
 * Masking is a property of the value, not of a place: every value a
 * secrets/ finding of the run flagged is hidden in every message, hint,
 * notice and source excerpt of every format, whichever rule or file they
 * belong to. A value of PL_MASK_SHOWN_MIN bytes or more keeps a head of
 * PL_MASK_HEAD printable ASCII characters ("ghp_***"); a shorter one is
 * masked whole ("***"), since a head would give most of it away.
 *
 * A pl_masks set is built once after the rules ran (single-threaded) and
 * read-only afterwards. Matching: a value of PL_MASK_SHOWN_MIN bytes or
 * more is also found cut short (a message that quotes it cut to a few
 * dozen characters); a shorter one is found only where it stands on its
 * own, not inside a longer identifier (a flagged "admin" leaves
 * "grafana-admin-secret" and "table" alone), or every name that contains
 * a short password would be garbled.
 */
#ifndef PL_MASK_H
#define PL_MASK_H

#include "base/base.h"
#include "base/buf.h"
#include "base/map.h"
#include "base/vec.h"

#define PL_MASK_HEAD      4
#define PL_MASK_SHOWN_MIN 16
#define PL_MASK_WORD_MIN  4

typedef struct pl_masks {
	pl_vec values; /* char * (owned copies, NUL-terminated) */
	pl_map whole;  /* values under PL_MASK_SHOWN_MIN -> the value */
	pl_map heads;  /* first PL_MASK_SHOWN_MIN bytes -> pl_vec of values */
	bool short_len[PL_MASK_SHOWN_MIN]; /* a value of that length exists */
	size_t maxlen;                     /* of the longest value */
} pl_masks;

/* How many leading bytes of the value s[0..len) a report may show: at
 * most PL_MASK_HEAD printable ASCII bytes, none under PL_MASK_SHOWN_MIN. */
size_t pl_mask_head(const char *s, size_t len);

/* Writes the masked form of s[0..len) into out (size >= 8): its head,
 * then "***". What secrets/ rules put in their own messages. */
void pl_mask_value(char *out, size_t size, const char *s, size_t len);

/* Narrows the source text of a flagged node (*s, *len) to the value as
 * written: without an anchor, quotes and surrounding blanks; empty for an
 * alias (the value is written at its anchor). */
void pl_mask_trim_span(const char **s, size_t *len);

void pl_masks_init(pl_masks *m);
void pl_masks_release(pl_masks *m);
/* Adds a flagged value (copied). A value with line breaks adds each of
 * its lines too (blanks trimmed, PL_MASK_WORD_MIN bytes or more), as a
 * source excerpt shows one line at a time. Empty values are ignored. */
void pl_masks_add(pl_masks *m, const char *s, size_t len);
static inline bool pl_masks_empty(const pl_masks *m)
{
	return !m || m->values.len == 0;
}

/* Sets hidden[i] for every byte of s[0..len) that belongs to a flagged
 * value past its head (hidden is caller-owned, len entries, and only ever
 * set, never cleared). */
void pl_masks_hidden(const pl_masks *m, const char *s, size_t len,
                     bool *hidden);

/* The NUL-terminated text s with every flagged value masked (each hidden
 * run becomes "***"): a new string the caller frees, or NULL when s holds
 * no flagged value. */
char *pl_masks_apply(const pl_masks *m, const char *s);

#endif
