/*
 * cel_regex.h - matches(), find() and findAll() for CEL (cel/cel.h) on
 * lib/regex.c.
 *
 * CEL's regular expressions are RE2's. pcre2 reads most of RE2 alike; the
 * constructs where it would not (backreferences, lookaround, atomic and
 * possessive groups, \Z, recursion) are refused with an error rather than
 * matched differently. Patterns run in UTF mode and are compiled once
 * per pl_cel_regex (a small cache), which belongs to one worker.
 */
#ifndef PL_CEL_REGEX_H
#define PL_CEL_REGEX_H

#include "cel/cel.h"

typedef struct pl_cel_regex pl_cel_regex;

pl_cel_regex *pl_cel_regex_new(void);
void pl_cel_regex_free(pl_cel_regex *r);
/* A pl_cel_regex_fn: ud is the pl_cel_regex. */
int pl_cel_regex_match(void *ud, const char *pat, size_t plen, const char *s,
                       size_t slen, size_t from, size_t *start, size_t *end,
                       char *msg, size_t msize);

#endif
