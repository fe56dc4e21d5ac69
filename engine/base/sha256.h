/*
 * sha256.h - SHA-256 (FIPS 180-4), for content hashes that must equal
 * other tools' (kustomize's generator name suffixes). Not for secrets:
 * no constant-time promises. Depends on nothing in plumb.
 */
#ifndef PL_SHA256_H
#define PL_SHA256_H

#include "base/base.h"

/* Writes the 32-byte digest of data[0..len) to out. */
void pl_sha256(uint8_t out[32], const void *data, size_t len);

#endif
