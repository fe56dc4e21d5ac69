/*
 * known.h - the reviewed lists of the external suites (*-known.tsv,
 * yaml-deviations.tsv): cases where plumb departs from a suite on
 * purpose, each with its reason.
 *
 * One policy for every suite: a case that fails must be listed (else it
 * is a bug of ours), a listed case that passes is stale, and so is a
 * listed case the suite no longer has. A list is a text file of lines of
 * exactly `nfields` tab-separated fields, the first `nkey` naming the
 * case and the last giving the reason; `#` lines and blank lines are
 * comments. A malformed line or a case listed twice stops the suite
 * (exit 2), with file:line.
 */
#ifndef PLUMB_TESTS_KNOWN_H
#define PLUMB_TESTS_KNOWN_H

#include <stdbool.h>
#include <stddef.h>

#define KNOWN_MAX_FIELDS 8

typedef struct known_entry {
	char *key;  /* the first nkey fields, joined by tabs */
	char *line; /* owned; field[] point into it */
	const char *field[KNOWN_MAX_FIELDS];
	size_t lineno;
	bool used;
} known_entry;

typedef struct known_list {
	const char *path;
	size_t nfields, nkey;
	known_entry *v;
	size_t n, cap;
	int listed; /* failures the list accounts for */
	int bugs;   /* failures it does not list */
	int stale;  /* listed cases that pass, differ or are gone */
} known_list;

typedef enum known_result {
	KNOWN_PASS,   /* passed, not listed */
	KNOWN_LISTED, /* failed, listed: allowed */
	KNOWN_BUG,    /* failed, not listed: the suite fails */
	KNOWN_STALE,  /* listed, but passed or is listed as another case */
} known_result;

/* Loads PATH; exits 2 on a line that is not nfields fields. */
void known_load(known_list *l, const char *path, size_t nfields, size_t nkey);

/* The entry of KEY (fields joined by tabs), or NULL. */
known_entry *known_find(const known_list *l, const char *key);

/*
 * Records one case: KEY names it, LABEL is how messages show it. When
 * CHECK is not NULL, the list's field after the key must equal it (the
 * case's text, so a list cannot name a case that changed). Prints a
 * line for a stale entry; the caller prints its own line for a bug or
 * a listed failure (the entry is in *hit). Counts in l.
 */
known_result known_outcome(known_list *l, const char *key, const char *check,
                           bool ok, const char *label, known_entry **hit);

/*
 * Counts and prints every entry no case used (gone from the suite);
 * returns the number of bugs and stale entries: non-zero fails.
 */
int known_finish(known_list *l);

void known_free(known_list *l);

/* snprintf into BUF that exits 2 rather than cut a key or a label */
void known_fmt(char *buf, size_t size, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

#endif
