/*
 * similar.h - did-you-mean: how far apart two short names are, for the
 * suggestions of unknown options, commands, rule ids and config keys.
 */
#ifndef PL_SIMILAR_H
#define PL_SIMILAR_H

#include "base/base.h"

/* Levenshtein distance of a and b (insert, delete, substitute one
 * byte); SIZE_MAX when either is over 128 bytes (no name is). */
size_t pl_similar_distance(const char *a, const char *b);

/* The candidate closest to name within max edits (ties: the first),
 * or NULL. candidates[0..n). */
const char *pl_similar_best(const char *name, const char *const *candidates,
                            size_t n, size_t max);

#endif
