/*
 * pool.c - pthreads and one atomic counter; no queue, no locks. An
 * optional order array maps the counter to items (heaviest first).
 */
#include "run/pool.h"
#include "base/xalloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

typedef struct pool {
	atomic_size_t next;
	size_t n;
	const size_t *order; /* or NULL: 0..n-1 */
	pl_pool_fn fn;
	void *arg;
} pool;

typedef struct worker {
	pool *p;
	unsigned id;
} worker;

unsigned pl_pool_cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

static void work(pool *p, unsigned id)
{
	for (;;) {
		size_t i = atomic_fetch_add(&p->next, 1);
		if (i >= p->n)
			return;
		p->fn(p->arg, id, p->order ? p->order[i] : i);
	}
}

static void *thread_main(void *arg)
{
	worker *w = arg;
	work(w->p, w->id);
	return NULL;
}

unsigned pl_pool_run(unsigned jobs, size_t n, pl_pool_fn fn, void *arg)
{
	return pl_pool_run_order(jobs, n, NULL, fn, arg);
}

/* The pool; with `first`, the caller runs first(first_arg) before it
 * joins the other workers on the items. */
static unsigned run_pool(unsigned jobs, size_t n, const size_t *order,
                         pl_pool_fn fn, void *arg, void (*first)(void *),
                         void *first_arg)
{
	pool p;
	pthread_t *threads;
	worker *workers;
	unsigned i, started = 0;

	if (jobs == 0)
		jobs = 1;
	if (n < jobs)
		jobs = n ? (unsigned)n : 1;
	atomic_init(&p.next, 0);
	p.n = n;
	p.order = order;
	p.fn = fn;
	p.arg = arg;
	if (jobs == 1) {
		if (first)
			first(first_arg);
		work(&p, 0);
		return 1;
	}
	threads = pl_xcalloc(jobs, sizeof(*threads));
	workers = pl_xcalloc(jobs, sizeof(*workers));
	for (i = 1; i < jobs; i++) {
		workers[i].p = &p;
		workers[i].id = i;
		if (pthread_create(&threads[i], NULL, thread_main,
		                   &workers[i]) != 0)
			break; /* fewer threads: the others do the work */
		started++;
	}
	if (first)
		first(first_arg);
	work(&p, 0);
	for (i = 1; i <= started; i++)
		pthread_join(threads[i], NULL);
	free(threads);
	free(workers);
	return jobs;
}

unsigned pl_pool_run_order(unsigned jobs, size_t n, const size_t *order,
                           pl_pool_fn fn, void *arg)
{
	return run_pool(jobs, n, order, fn, arg, NULL, NULL);
}

unsigned pl_pool_run_beside(unsigned jobs, size_t n, const size_t *order,
                            pl_pool_fn fn, void *arg, void (*first)(void *),
                            void *first_arg)
{
	return run_pool(jobs, n, order, fn, arg, first, first_arg);
}

typedef struct weighted {
	size_t weight;
	size_t index;
} weighted;

static int heavier_first(const void *a, const void *b)
{
	const weighted *x = a, *y = b;
	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

size_t *pl_pool_order_heaviest(const size_t *weights, size_t n)
{
	weighted *w = pl_xcalloc(n ? n : 1, sizeof(*w));
	size_t *out = pl_xcalloc(n ? n : 1, sizeof(*out));
	size_t i;

	for (i = 0; i < n; i++) {
		w[i].weight = weights[i];
		w[i].index = i;
	}
	qsort(w, n, sizeof(*w), heavier_first);
	for (i = 0; i < n; i++)
		out[i] = w[i].index;
	free(w);
	return out;
}

typedef struct par_call {
	pl_par_fn fn;
	void *arg;
} par_call;

static void par_item(void *arg, unsigned id, size_t i)
{
	par_call *c = arg;
	(void)id;
	c->fn(c->arg, i);
}

static void par_run(void *ctx, size_t n, pl_par_fn fn, void *arg)
{
	par_call c;
	c.fn = fn;
	c.arg = arg;
	pl_pool_run(*(const unsigned *)ctx, n, par_item, &c);
}

void pl_pool_par(pl_par *out, const unsigned *jobs)
{
	out->run = par_run;
	out->ctx = (void *)jobs;
}

struct pl_pool_task {
	pthread_t thread;
	void (*fn)(void *);
	void *arg;
};

static void *task_main(void *arg)
{
	pl_pool_task *t = arg;
	t->fn(t->arg);
	return NULL;
}

pl_pool_task *pl_pool_start(void (*fn)(void *), void *arg)
{
	pl_pool_task *t = pl_xcalloc(1, sizeof(*t));
	t->fn = fn;
	t->arg = arg;
	if (pthread_create(&t->thread, NULL, task_main, t) != 0) {
		free(t);
		fn(arg);
		return NULL;
	}
	return t;
}

void pl_pool_wait(pl_pool_task *t)
{
	if (!t)
		return;
	pthread_join(t->thread, NULL);
	free(t);
}
