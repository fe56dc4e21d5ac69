/*
 * siphash.h - SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast
 * short-input PRF", 2012), 64- and 128-bit outputs: a keyed hash that
 * costs a few instructions a byte. Without the key, nobody can make two
 * inputs collide on purpose, which is what the cache of per-file
 * findings (run/cache.c) needs from a content key; SHA-256 costs ten
 * times as much. Incremental; pure functions, no state shared.
 */
#ifndef PL_SIPHASH_H
#define PL_SIPHASH_H

#include "base/base.h"

#define PL_SIPHASH_KEY_LEN 16

typedef struct pl_siphash {
	uint64_t v[4];
	uint64_t bytes; /* fed so far */
	unsigned char tail[8];
	size_t ntail;
	bool wide; /* 128-bit output */
} pl_siphash;

/* wide: the 128-bit variant (16 bytes out), else 64 bits (8 bytes). */
void pl_siphash_init(pl_siphash *h, const unsigned char key[PL_SIPHASH_KEY_LEN],
                     bool wide);
void pl_siphash_update(pl_siphash *h, const void *data, size_t len);
/* Writes 8 or 16 bytes (little-endian words, as the reference does). */
void pl_siphash_final(pl_siphash *h, unsigned char *out);

#endif
