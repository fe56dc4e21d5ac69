/*
 * quote.h - showing user text inside a finding message, safely: control
 * characters escaped, long text cut in the middle of nowhere but at a
 * code point boundary, with "...". Writes into a caller buffer.
 */
#ifndef PL_QUOTE_H
#define PL_QUOTE_H

#include "base/base.h"

/* Writes s[0..len) into out (size >= 8), cut to about `max` code points.
 * Returns out. */
char *pl_quote(char *out, size_t size, const char *s, size_t len, size_t max);

#endif
