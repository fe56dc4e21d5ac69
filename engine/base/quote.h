/*
 * quote.h - showing user text inside a message, safely: the one helper
 * for finding messages and error messages alike. Control characters are
 * escaped (\n, \t, \r, \xNN), invalid UTF-8 bytes become '?', and long
 * text is cut at a code point boundary, with "...". Writes into a caller
 * buffer.
 */
#ifndef PL_BASE_QUOTE_H
#define PL_BASE_QUOTE_H

#include "base/base.h"

/* How many code points of user input an error message echoes. */
#define PL_ECHO_MAX 80

/* Writes s[0..len) into out (size >= 8), cut to about `max` code points.
 * Returns out. */
char *pl_quote(char *out, size_t size, const char *s, size_t len, size_t max);

/* pl_quote of a NUL-terminated s (NULL reads as "") to PL_ECHO_MAX code
 * points, into out: what an error message shows of an argument, a path
 * or a value the user gave. Returns out. */
char *pl_echo(char *out, size_t size, const char *s);

#endif
