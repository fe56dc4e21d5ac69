/*
 * overlay.c - pl_overlay (session.h): in-memory buffers a lint reads
 * instead of the disk or the index (plumb lsp's open documents), each
 * path once, its bytes copied in and owned.
 */
#include "run/session.h"
#include "base/xalloc.h"

void pl_overlay_init(pl_overlay *ov)
{
	pl_vec_init(&ov->items, sizeof(pl_overlay_item));
}

void pl_overlay_release(pl_overlay *ov)
{
	size_t i;
	if (!ov)
		return;
	for (i = 0; i < ov->items.len; i++) {
		pl_overlay_item *it = pl_vec_at(&ov->items, i);
		free(it->path);
		free(it->data);
	}
	pl_vec_release(&ov->items);
}

const pl_overlay_item *pl_overlay_find(const pl_overlay *ov, const char *path)
{
	size_t i;
	for (i = 0; ov && i < ov->items.len; i++) {
		const pl_overlay_item *it = pl_vec_at(&ov->items, i);
		if (strcmp(it->path, path) == 0)
			return it;
	}
	return NULL;
}

void pl_overlay_put(pl_overlay *ov, const char *path, const char *data,
                    size_t len)
{
	pl_overlay_item *it = (pl_overlay_item *)pl_overlay_find(ov, path);
	pl_overlay_item fresh;
	char *copy = pl_xmalloc(len + 1);

	memcpy(copy, data, len);
	copy[len] = '\0';
	if (it) {
		free(it->data);
		it->data = copy;
		it->len = len;
		return;
	}
	fresh.path = pl_xstrdup(path);
	fresh.data = copy;
	fresh.len = len;
	pl_vec_append(&ov->items, &fresh);
}

bool pl_overlay_remove(pl_overlay *ov, const char *path)
{
	pl_overlay_item *it = (pl_overlay_item *)pl_overlay_find(ov, path);
	pl_overlay_item *last;
	if (!it)
		return false;
	free(it->path);
	free(it->data);
	last = pl_vec_at(&ov->items, ov->items.len - 1);
	if (it != last)
		*it = *last;
	ov->items.len--;
	return true;
}
