/*
 * history.h - `plumb check --history`: the secrets of every blob in git
 * history, each blob scanned once.
 *
 * Only the secrets/ rules run (secrets/token on every text blob, the
 * structural ones on YAML blobs); each finding names the first commit
 * that introduced its blob. Blobs are read and scanned in batches on the
 * -j N pool; a blob's arena and tree die after its scan, and only the
 * sources of blobs that keep findings live until the report is written
 * (the excerpts and the masking of secrets read them).
 */
#ifndef PL_HISTORY_H
#define PL_HISTORY_H

#include "run/run.h"

/*
 * Scans the history of the repository holding paths[0] (or "."): every
 * blob reachable from a ref or HEAD, or with since, only those of commits
 * that since does not reach; with PATHs, only blobs whose path lies under
 * one of them (run_impl.h, pl_run_scope; a PATH outside the work tree is
 * PL_EUSAGE). Configuration, format, output, fail_on,
 * baseline and baseline_out are those of pl_run_check; .plumb.yaml is
 * read from the work tree. progress writes a blobs-done/total and MB/s
 * line to stderr (the caller decides: only on a terminal). Sets *failed
 * as pl_run_check does. Returns 0, or PL_ENOTFOUND (not in a git work
 * tree), PL_EUSAGE (since names no commit, '-'),
 * PL_EGIT, PL_ECONFIG, PL_ERULE or PL_EIO with err filled.
 */
int pl_run_history(const pl_run_opts *o, const char *since, bool progress,
                   bool *failed, pl_error *err);

#endif
