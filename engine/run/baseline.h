/*
 * baseline.h - `plumb baseline` files: today's findings, by fingerprint,
 * so that `plumb check --baseline FILE` reports only new ones.
 *
 *   {"version": 1, "tool": "plumb 0.3.0",
 *    "findings": [{"stable": "0123456789abcdef", "rule": "...",
 *                  "path": "...", "line": 3, "message": "..."}]}
 *
 * Only `stable` is read back (finding.h: rule, path, line text and
 * occurrence, so moving code keeps it); the rest is for the humans who
 * review the file. Messages are the reports' (secrets masked).
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
int pl_baseline_write(const char *path, const pl_findings *f, size_t *count,
                      pl_error *err);

/*
 * Reads path into a sorted array of fingerprints (*out, freed by the
 * caller with free). Returns 0, PL_EIO if it cannot be read, or
 * PL_ECONFIG with file:line:col when it is not a baseline.
 */
int pl_baseline_load(uint64_t **out, size_t *n, const char *path,
                     pl_error *err);

#endif
