/*
 * vec.h - growable array of fixed-size elements, heap-backed.
 *
 * Used for lists whose size is unknown up front (files of a run, findings
 * of a worker, the loader's frame stack). The caller owns the vec and
 * frees it with pl_vec_release. Pointers into the vec are invalidated by
 * the next push.
 */
#ifndef PL_VEC_H
#define PL_VEC_H

#include "base/base.h"

typedef struct pl_vec {
	void *items;
	size_t len;
	size_t cap;
	size_t elem;
} pl_vec;

void pl_vec_init(pl_vec *v, size_t elem);
void pl_vec_release(pl_vec *v);
/* Appends one zeroed element and returns it. */
void *pl_vec_push(pl_vec *v);
/* Appends a copy of *item. */
void pl_vec_append(pl_vec *v, const void *item);
void pl_vec_truncate(pl_vec *v, size_t len);
/* Makes room for n elements in all, so that pushes up to n do not
 * reallocate; a hint, never a limit. */
void pl_vec_reserve(pl_vec *v, size_t n);

static inline void *pl_vec_at(const pl_vec *v, size_t i)
{
	/* an empty vec has no array: no pointer arithmetic on NULL */
	return v->items ? (char *)v->items + i * v->elem : NULL;
}

#endif
