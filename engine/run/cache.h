/*
 * cache.h - the persistent cache of per-file findings (issue 19, a first
 * slice: findings only, no facts model yet).
 *
 * What is cached: the raw findings (before the suppression stage) of the
 * rules whose answer on a file depends on that file alone
 * (pl_cache_rule_cacheable), and the values their secrets/ findings
 * flagged for masking, as offsets into the file (never the text). An
 * entry is keyed by the file's path, kind and bytes (pl_cache_key); a
 * cache file holds the entries of one run digest (pl_cache_digest: what
 * else can change those rules' answers). A file is linted as before on a
 * miss, and its entry recorded; on a hit the cached rules do not run on
 * it and their findings come from the entry.
 *
 * Where: <git common dir>/plumb/cache/ inside a git work tree (never the
 * work tree; worktrees share it), else $XDG_CACHE_HOME/plumb/<root id>/
 * (default ~/.cache). A cache that cannot be read, is corrupt, truncated
 * or foreign (another plumb build or digest) is ignored and replaced; one
 * that cannot be written leaves the run as it was: the cache changes how
 * fast a run is, never its answer, and is never an error.
 *
 * Threads: pl_cache_replay and pl_cache_record may run on every worker
 * at once (each worker records into its own buffer); open and close are
 * single-threaded.
 */
#ifndef PL_CACHE_H
#define PL_CACHE_H

#include "base/sha256.h"
#include "finding/finding.h"
#include "rule/registry.h"
#include "run/config.h"

typedef struct pl_cache pl_cache;

/* What the run digest is made of (pl_cache_digest); all borrowed. */
typedef struct pl_cache_inputs {
	const char *build; /* plumb's version and commit */
	const pl_registry *reg;
	const pl_config *config;  /* .plumb.yaml as loaded, may be NULL */
	const unsigned char *key; /* the secret fingerprints' key */
	size_t key_len;
	const pl_limits *limits;
} pl_cache_inputs;

/* May the findings of r on a file be cached? (see cache.c) */
bool pl_cache_rule_cacheable(const pl_rule *r);

/* The digest of a run: everything besides a file's own bytes that can
 * change what a cacheable rule reports on it. */
void pl_cache_digest(unsigned char out[PL_SHA256_LEN],
                     const pl_cache_inputs *in);

/*
 * Opens the cache of the run in describes (its digest) for the repository
 * at root (in_git: a git work tree) and reads what it holds; nworkers
 * workers will record. Returns NULL when there is nowhere to keep it
 * (no root, no place outside the work tree): the run goes on without.
 */
pl_cache *pl_cache_open(const char *root, bool in_git,
                        const pl_cache_inputs *in, unsigned nworkers);

/* Bytes of an entry's key. */
#define PL_CACHE_KEY_LEN 16

/* The key of src's entry: a SipHash-128 of its path, size, kind and
 * bytes, keyed from the fingerprint key (a tenth of SHA-256's cost, and
 * no collision can be made without the key). */
void pl_cache_key(const pl_cache *c, unsigned char out[PL_CACHE_KEY_LEN],
                  const pl_source *src);

/*
 * On a hit, adds the findings and flagged values cached for key to out,
 * on src, sets *n to the number of findings and returns true; otherwise
 * returns false and out is unchanged (an entry that does not decode is a
 * miss). reg must be the one whose rules the digest names.
 */
bool pl_cache_replay(pl_cache *c, const unsigned char key[PL_CACHE_KEY_LEN],
                     const pl_registry *reg, const pl_source *src,
                     pl_findings *out, size_t *n);

/*
 * Records the entry of key: the findings out->items[from..] and flagged
 * values out->flagged[ffrom..] that the cacheable rules made on src. Not
 * recorded (false) when one of them could not be replayed as it is (a
 * place in another file, a flagged value that is not a run of src's
 * bytes) or would write a flagged value's text into the cache.
 */
bool pl_cache_record(pl_cache *c, unsigned worker,
                     const unsigned char key[PL_CACHE_KEY_LEN],
                     const pl_source *src, const pl_findings *out, size_t from,
                     size_t ffrom);

/* Writes the cache back when this run changed it (atomically: a temporary
 * file renamed over it), drops old digests' files, and frees c (NULL is
 * fine). Failures are silent: the next run starts cold. */
void pl_cache_close(pl_cache *c);

#endif
