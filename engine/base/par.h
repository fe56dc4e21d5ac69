/*
 * par.h - a parallel loop that a caller lends to a module below run/
 * (whose worker pool it is), so that module needs no threads of its own:
 * run(ctx, n, fn, arg) calls fn(arg, i) once for every i in [0, n), on
 * any threads, and returns once every call returned. fn must touch only
 * what item i owns and what every item only reads.
 * A NULL pl_par (or run) means one thread: i = 0, 1, ... in turn.
 */
#ifndef PL_PAR_H
#define PL_PAR_H

#include "base/base.h"

typedef void (*pl_par_fn)(void *arg, size_t i);

typedef struct pl_par {
	void (*run)(void *ctx, size_t n, pl_par_fn fn, void *arg);
	void *ctx;
} pl_par;

static inline void pl_par_for(const pl_par *p, size_t n, pl_par_fn fn,
                              void *arg)
{
	size_t i;
	if (p && p->run && n > 1) {
		p->run(p->ctx, n, fn, arg);
		return;
	}
	for (i = 0; i < n; i++)
		fn(arg, i);
}

#endif
