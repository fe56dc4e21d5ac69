/*
 * xalloc.h - allocation that cannot fail.
 *
 * On out-of-memory these print "plumb: out of memory (N bytes)" to stderr
 * and exit with status 3 (DESIGN.md: internal failure). Callers therefore
 * need no NULL checks. Hostile input is kept away from these by the caps
 * in pl_limits, not by recovering from allocation failure.
 */
#ifndef PL_XALLOC_H
#define PL_XALLOC_H

#include "base/base.h"

void *pl_xmalloc(size_t size);
void *pl_xcalloc(size_t n, size_t size);
void *pl_xrealloc(void *ptr, size_t size);
char *pl_xstrdup(const char *s);
char *pl_xstrndup(const char *s, size_t n);
/* Grows a capacity for at least `need` elements of `elem` bytes (x1.5). */
void *pl_xgrow(void *ptr, size_t *cap, size_t need, size_t elem);

#endif
