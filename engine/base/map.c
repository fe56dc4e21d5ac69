/*
 * map.c - pl_map. FNV-1a hashing; the table doubles at 50% load so that
 * probe sequences stay short.
 */
#include "base/map.h"
#include "base/xalloc.h"

void pl_map_init(pl_map *m)
{
	m->slots = NULL;
	m->cap = 0;
	m->len = 0;
}

void pl_map_release(pl_map *m)
{
	if (!m)
		return;
	free(m->slots);
	pl_map_init(m);
}

void pl_map_reset(pl_map *m)
{
	if (m->slots)
		memset(m->slots, 0, m->cap * sizeof(*m->slots));
	m->len = 0;
}

uint64_t pl_map_hash(const char *key, size_t klen)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;
	for (i = 0; i < klen; i++) {
		h ^= (unsigned char)key[i];
		h *= 1099511628211ULL;
	}
	return h | 1; /* 0 marks an empty slot */
}

static pl_map_entry *find(const pl_map *m, const char *key, size_t klen,
                          uint64_t h)
{
	size_t mask = m->cap - 1, i = (size_t)h & mask;
	for (;;) {
		pl_map_entry *e = &m->slots[i];
		if (e->hash == 0)
			return e;
		if (e->hash == h && e->klen == klen &&
		    (klen == 0 || memcmp(e->key, key, klen) == 0))
			return e;
		i = (i + 1) & mask;
	}
}

static void grow(pl_map *m)
{
	pl_map_entry *old = m->slots;
	size_t oldcap = m->cap, i;

	m->cap = oldcap ? oldcap * 2 : 16;
	m->slots = pl_xcalloc(m->cap, sizeof(*m->slots));
	for (i = 0; i < oldcap; i++) {
		if (old[i].hash) {
			pl_map_entry *e =
			        find(m, old[i].key, old[i].klen, old[i].hash);
			*e = old[i];
		}
	}
	free(old);
}

void *pl_map_get(const pl_map *m, const char *key, size_t klen)
{
	pl_map_entry *e;
	if (!m->cap)
		return NULL;
	e = find(m, key, klen, pl_map_hash(key, klen));
	return e->hash ? e->value : NULL;
}

bool pl_map_put(pl_map *m, const char *key, size_t klen, void *value,
                void **old)
{
	uint64_t h = pl_map_hash(key, klen);
	pl_map_entry *e;

	if ((m->len + 1) * 2 > m->cap)
		grow(m);
	e = find(m, key, klen, h);
	if (e->hash) {
		if (old)
			*old = e->value;
		e->value = value;
		return false;
	}
	e->key = key;
	e->klen = klen;
	e->hash = h;
	e->value = value;
	m->len++;
	if (old)
		*old = NULL;
	return true;
}
