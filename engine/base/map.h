/*
 * map.h - string-keyed hash map (open addressing, linear probing).
 *
 * Keys are borrowed byte strings with explicit length: the caller keeps
 * them alive as long as the map. Values are opaque pointers. The caller
 * owns the map and frees it with pl_map_release (keys and values are not
 * freed). Not thread-safe for writers.
 */
#ifndef PL_MAP_H
#define PL_MAP_H

#include "base/base.h"

typedef struct pl_map_entry {
	const char *key;
	size_t klen;
	uint64_t hash;
	void *value;
} pl_map_entry;

typedef struct pl_map {
	pl_map_entry *slots;
	size_t cap; /* power of two, or 0 */
	size_t len;
} pl_map;

void pl_map_init(pl_map *m);
/* Frees the slots; m is left as pl_map_init left it. */
void pl_map_release(pl_map *m);
/* Empties the map, keeping its slots (engine/README.md: verbs). */
void pl_map_reset(pl_map *m);
uint64_t pl_map_hash(const char *key, size_t klen);
/* Returns the value stored for key, or NULL. */
void *pl_map_get(const pl_map *m, const char *key, size_t klen);
/* Stores value for key. If the key was present, its old value is returned
 * through *old (if not NULL) and replaced; returns true if it was new. */
bool pl_map_put(pl_map *m, const char *key, size_t klen, void *value,
                void **old);

#endif
