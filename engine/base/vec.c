/*
 * vec.c - pl_vec.
 */
#include "base/vec.h"
#include "base/xalloc.h"

void pl_vec_init(pl_vec *v, size_t elem)
{
	v->items = NULL;
	v->len = 0;
	v->cap = 0;
	v->elem = elem;
}

void pl_vec_release(pl_vec *v)
{
	if (!v)
		return;
	free(v->items);
	pl_vec_init(v, v->elem);
}

void *pl_vec_push(pl_vec *v)
{
	void *slot;
	v->items = pl_xgrow(v->items, &v->cap, v->len + 1, v->elem);
	slot = (char *)v->items + v->len * v->elem;
	memset(slot, 0, v->elem);
	v->len++;
	return slot;
}

void pl_vec_append(pl_vec *v, const void *item)
{
	memcpy(pl_vec_push(v), item, v->elem);
}

void pl_vec_truncate(pl_vec *v, size_t len)
{
	if (len < v->len)
		v->len = len;
}

void pl_vec_reserve(pl_vec *v, size_t n)
{
	v->items = pl_xgrow(v->items, &v->cap, n, v->elem);
}
