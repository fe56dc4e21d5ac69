/*
 * pool.h - the -j N worker pool: run fn(arg, worker, i) for i in [0, n).
 *
 * Items are handed out one at a time from an atomic counter, so a big
 * file does not hold up a whole slice. The calling thread is worker 0;
 * `jobs - 1` threads are started and joined before pl_pool_run returns.
 * fn must only touch what item i and its own worker slot own.
 *
 * With an order (pl_pool_run_order), the counter walks that permutation
 * instead of 0..n-1: callers that know each item's cost hand out the
 * heaviest first (pl_pool_order_heaviest), so that the run does not end
 * with one worker on a big file and the others idle.
 *
 * pl_pool_start runs one task beside the caller (a serial phase that
 * does not depend on the caller's next one, such as compiling the rules
 * while the folders are walked); pl_pool_wait joins it.
 */
#ifndef PL_POOL_H
#define PL_POOL_H

#include "base/base.h"
#include "base/par.h"

typedef void (*pl_pool_fn)(void *arg, unsigned worker, size_t i);

/* Number of online processors, at least 1. */
unsigned pl_pool_cores(void);
/* Runs the items; jobs is clamped to [1, n]. Returns the number of
 * workers used (so callers can size per-worker state beforehand with
 * `jobs`). */
unsigned pl_pool_run(unsigned jobs, size_t n, pl_pool_fn fn, void *arg);
/* As pl_pool_run, handing out order[0], order[1], ... (a permutation of
 * [0, n)); fn still receives the item's own index. order may be NULL. */
unsigned pl_pool_run_order(unsigned jobs, size_t n, const size_t *order,
                           pl_pool_fn fn, void *arg);
/* As pl_pool_run_order, but the calling thread (worker 0) first runs
 * first(first_arg), a serial step the items do not depend on, while
 * the other workers start on the items; then it joins them. With one
 * job, first runs, then the items. */
unsigned pl_pool_run_beside(unsigned jobs, size_t n, const size_t *order,
                            pl_pool_fn fn, void *arg, void (*first)(void *),
                            void *first_arg);
/* A heap array of the indices [0, n) sorted by weight, heaviest first;
 * equal weights keep their index order. Free it with free(). */
size_t *pl_pool_order_heaviest(const size_t *weights, size_t n);

/* A pl_par (base/par.h) that runs its loops on *jobs workers of the
 * pool, for a module below run/ (the findings' masking and hashing);
 * jobs must outlive it. */
void pl_pool_par(pl_par *out, const unsigned *jobs);

typedef struct pl_pool_task pl_pool_task;
/* Runs fn(arg) on a thread of its own and returns the task, or runs it
 * here and returns NULL when no thread can be started. */
pl_pool_task *pl_pool_start(void (*fn)(void *), void *arg);
/* Waits for the task to finish and frees it; NULL is a no-op. */
void pl_pool_wait(pl_pool_task *t);

#endif
