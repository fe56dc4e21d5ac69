/*
 * sha256.h - SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), for keyed
 * secret fingerprints: a report names a secret by an HMAC of its value
 * under a key the report does not hold, so nobody can test guesses of a
 * weak password against it offline. Pure functions, no state shared.
 */
#ifndef PL_SHA256_H
#define PL_SHA256_H

#include "base/base.h"

#define PL_SHA256_LEN 32

typedef struct pl_sha256 {
	uint32_t h[8];
	uint64_t bytes; /* fed so far */
	unsigned char block[64];
	size_t used; /* bytes in block */
} pl_sha256;

void pl_sha256_init(pl_sha256 *c);
void pl_sha256_update(pl_sha256 *c, const void *data, size_t len);
void pl_sha256_final(pl_sha256 *c, unsigned char out[PL_SHA256_LEN]);

/* HMAC-SHA256 of the concatenation of parts[0..nparts) (lens[i] bytes
 * each) under key[0..klen). */
void pl_hmac_sha256(unsigned char out[PL_SHA256_LEN], const void *key,
                    size_t klen, const void *const *parts, const size_t *lens,
                    size_t nparts);

#endif
