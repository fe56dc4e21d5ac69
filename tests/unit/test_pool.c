/*
 * test_pool.c - the -j N worker pool: every item runs exactly once,
 * whatever the number of workers, an order hands items out heaviest
 * first, and a task started beside the caller has run when it is waited.
 */
#include "testlib.h"
#include "run/pool.h"

#include <stdatomic.h>

#define NITEMS 1000

typedef struct seen {
	atomic_uint count[NITEMS];
	atomic_size_t next;    /* position in the hand-out sequence */
	size_t handed[NITEMS]; /* item handed out at each position */
	unsigned max_worker;
} seen;

static void mark(void *arg, unsigned worker, size_t i)
{
	seen *s = arg;
	size_t at = atomic_fetch_add(&s->next, 1);
	atomic_fetch_add(&s->count[i], 1);
	s->handed[at] = i;
	if (worker > s->max_worker)
		s->max_worker = worker; /* racy, read only as a bound */
}

static void test_pool__every_item_once_for_any_jobs(void **state)
{
	static const unsigned jobs[] = {1, 2, 3, 8};
	size_t k, i;

	(void)state;
	for (k = 0; k < PL_ARRAY_SIZE(jobs); k++) {
		seen *s = calloc(1, sizeof(*s));
		unsigned used = pl_pool_run(jobs[k], NITEMS, mark, s);
		assert_int_equal(used, jobs[k]);
		for (i = 0; i < NITEMS; i++)
			assert_int_equal(atomic_load(&s->count[i]), 1);
		assert_true(s->max_worker < used);
		free(s);
	}
}

static void test_pool__fewer_items_than_jobs_and_none(void **state)
{
	seen *s = calloc(1, sizeof(*s));

	(void)state;
	assert_int_equal(pl_pool_run(4, 2, mark, s), 2);
	assert_int_equal(atomic_load(&s->count[0]), 1);
	assert_int_equal(atomic_load(&s->count[1]), 1);
	assert_int_equal(atomic_load(&s->count[2]), 0);
	assert_int_equal(pl_pool_run(4, 0, mark, s), 1);
	assert_int_equal(atomic_load(&s->next), 2);
	free(s);
}

static void test_pool__heaviest_first_stable_on_ties(void **state)
{
	static const size_t w[] = {5, 900, 0, 900, 70, 5};
	static const size_t want[] = {1, 3, 4, 0, 5, 2};
	size_t *order = pl_pool_order_heaviest(w, PL_ARRAY_SIZE(w));
	size_t i;

	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(w); i++)
		assert_int_equal(order[i], want[i]);
	free(order);
}

static void test_pool__order_is_the_hand_out_sequence(void **state)
{
	size_t w[NITEMS], i;
	size_t *order;
	seen *s = calloc(1, sizeof(*s));

	(void)state;
	for (i = 0; i < NITEMS; i++)
		w[i] = (i * 7919) % 1013; /* a scrambled cost per item */
	order = pl_pool_order_heaviest(w, NITEMS);
	/* one worker: the sequence is exactly the order */
	pl_pool_run_order(1, NITEMS, order, mark, s);
	for (i = 0; i < NITEMS; i++) {
		assert_int_equal(s->handed[i], order[i]);
		assert_int_equal(atomic_load(&s->count[i]), 1);
		if (i)
			assert_true(w[order[i - 1]] >= w[order[i]]);
	}
	free(s);
	/* two workers: still every item once */
	s = calloc(1, sizeof(*s));
	pl_pool_run_order(2, NITEMS, order, mark, s);
	for (i = 0; i < NITEMS; i++)
		assert_int_equal(atomic_load(&s->count[i]), 1);
	free(s);
	free(order);
}

static void bump(void *arg)
{
	atomic_uint *n = arg;
	atomic_fetch_add(n, 1);
}

/* A task started beside the caller has run, once, when the wait returns. */
static void test_pool__task_runs_once_before_wait_returns(void **state)
{
	atomic_uint n;
	int k;

	(void)state;
	atomic_init(&n, 0);
	for (k = 0; k < 50; k++) {
		pl_pool_task *t = pl_pool_start(bump, &n);
		pl_pool_wait(t);
		assert_int_equal(atomic_load(&n), (unsigned)k + 1);
	}
	pl_pool_wait(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_pool__every_item_once_for_any_jobs),
	        cmocka_unit_test(test_pool__fewer_items_than_jobs_and_none),
	        cmocka_unit_test(test_pool__heaviest_first_stable_on_ties),
	        cmocka_unit_test(test_pool__order_is_the_hand_out_sequence),
	        cmocka_unit_test(test_pool__task_runs_once_before_wait_returns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
