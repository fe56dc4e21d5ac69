/*
 * baseline.h - `plumb baseline` files: today's findings, by fingerprint,
 * so that `plumb check --baseline FILE` reports only new ones.
 *
 *   {"version": 1, "tool": "plumb 0.3.0", "key": "<64 hex digits>",
 *    "findings": [{"stable": "0123456789abcdef", "rule": "...",
 *                  "path": "...", "line": 3, "message": "..."}]}
 *
 * Only `stable` and `key` are read back (finding.h: rule, path, line
 * text and occurrence, so moving code keeps it; a secret's is its keyed
 * fingerprint, and `key` is that key, so it matches on every clone); the
 * rest is for the humans who review the file. Messages are the reports'
 * (secrets masked).
 */
#ifndef PL_BASELINE_H
#define PL_BASELINE_H

#include "base/error.h"
#include "finding/finding.h"

/*
 * Writes the findings of f that are not suppressed to path, atomically
 * (base/atomic.h). Returns 0 or PL_EWRITE with err filled; *count gets
 * how many were written.
 */
int pl_baseline_write(const char *path, const pl_findings *f,
                      const unsigned char key[32], size_t *count,
                      pl_error *err);

/*
 * Reads path into a sorted array of fingerprints (*out, freed by the
 * caller with free) and its fingerprint key (*has_key false for a
 * baseline without one). Returns 0, PL_EIO if it cannot be read, or
 * PL_ECONFIG with file:line:col when it is not a baseline.
 */
int pl_baseline_load(uint64_t **out, size_t *n, unsigned char key[32],
                     bool *has_key, const char *path, pl_error *err);

#endif
