/*
 * cache_impl.h - what cache.c (the file: where, read, written, pruned)
 * and cache_entry.c (an entry: recorded, replayed) share. Not a public
 * header; the format is described at the top of cache.c.
 */
#ifndef PL_CACHE_IMPL_H
#define PL_CACHE_IMPL_H

#include "run/cache.h"
#include "base/buf.h"
#include "base/map.h"
#include "base/siphash.h"

#include <stdatomic.h>

#define PL_CACHE_NONE 0xffffffffu /* a str that is absent */

typedef struct pl_cache_entry {
	const unsigned char *key; /* into the buffer read */
	const unsigned char *data;
	uint32_t len;
	uint32_t day;
	atomic_bool used;
} pl_cache_entry;

struct pl_cache {
	char *build; /* plumb's version and commit, for the header */
	char *dir;
	char *path;
	unsigned char digest[PL_SHA256_LEN];
	unsigned char hkey[PL_SIPHASH_KEY_LEN]; /* of content keys */
	unsigned char *buf;                     /* the file read, or NULL */
	pl_cache_entry *entries;
	size_t nentries;
	pl_map by_key; /* key -> pl_cache_entry * */
	pl_buf *fresh; /* per worker: entries recorded (key, day, len, data) */
	size_t *nfresh;
	unsigned nworkers;
	uint32_t today;
	bool dirty;  /* the file was unreadable, corrupt or foreign */
	bool shared; /* dir is one root's subfolder of a shared folder */
};

/* Decoding: bounds-checked reads; the first one out of bounds sets bad
 * and every later one gives zero. */
typedef struct pl_cache_rd {
	const unsigned char *p, *end;
	bool bad;
} pl_cache_rd;

static inline uint32_t pl_cache__get32(pl_cache_rd *r)
{
	uint32_t v = 0;
	int i;
	if (r->bad || r->end - r->p < 4) {
		r->bad = true;
		return 0;
	}
	for (i = 0; i < 4; i++)
		v |= (uint32_t)r->p[i] << (8 * i);
	r->p += 4;
	return v;
}

static inline uint64_t pl_cache__get64(pl_cache_rd *r)
{
	uint64_t lo = pl_cache__get32(r);
	return lo | (uint64_t)pl_cache__get32(r) << 32;
}

static inline const unsigned char *pl_cache__get_bytes(pl_cache_rd *r, size_t n)
{
	const unsigned char *p = r->p;
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = true;
		return NULL;
	}
	r->p += n;
	return p;
}

/* A str: *s and *n, or *s NULL for none. */
static inline void pl_cache__get_str(pl_cache_rd *r, const char **s,
                                     uint32_t *n)
{
	*n = pl_cache__get32(r);
	*s = NULL;
	if (*n != PL_CACHE_NONE)
		*s = (const char *)pl_cache__get_bytes(r, *n);
}

static inline void pl_cache__put32(pl_buf *b, uint32_t v)
{
	char x[4];
	int i;
	for (i = 0; i < 4; i++)
		x[i] = (char)(v >> (8 * i));
	pl_buf_add(b, x, sizeof(x));
}

static inline void pl_cache__put64(pl_buf *b, uint64_t v)
{
	pl_cache__put32(b, (uint32_t)v);
	pl_cache__put32(b, (uint32_t)(v >> 32));
}

static inline void pl_cache__put_str(pl_buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	pl_cache__put32(b, s ? (uint32_t)n : PL_CACHE_NONE);
	pl_buf_add(b, s, n);
}

#endif
