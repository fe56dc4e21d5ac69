/*
 * utf8.h - the few UTF-8 facts plumb needs: validating one sequence,
 * counting code points (columns count code points, see pos.h).
 */
#ifndef PL_UTF8_H
#define PL_UTF8_H

#include "base/base.h"

/* Length (1-4) of the valid UTF-8 sequence at s, or 0 if it is invalid
 * (overlong forms, surrogates and values above U+10FFFF are invalid). */
size_t pl_utf8_valid_len(const char *s, size_t len);
/* Number of code points in s[0..len); an invalid byte counts as one. */
size_t pl_utf8_count(const char *s, size_t len);
/* Byte length of the sequence starting with lead byte c (1 if invalid). */
size_t pl_utf8_seq_len(unsigned char c);

#endif
