/*
 * session_impl.h - what session.c (the lints) and session_open.c (the
 * session's life: registry, configuration, baseline, key) share: the
 * session itself. Not a public header: run/session.h is.
 */
#ifndef PL_SESSION_IMPL_H
#define PL_SESSION_IMPL_H

#include "run/session.h"
#include "run/pool.h"
#include "run/run_impl.h"
#include "rule/decl.h"

struct pl_session {
	const pl_run_opts *opts;
	char *root; /* NULL: none */
	bool in_git;
	unsigned flags;
	pl_registry reg;
	pl_ruleset *ruleset;
	pl_config config;
	uint64_t *baseline;
	size_t nbaseline;
	unsigned char key[PL_KEY_LEN];
	pl_severity fail_on;
	unsigned jobs;
	/* pl_registry_prepare beside the walk (pl_session_start) */
	pl_pool_task *prep;
	int prep_rc;
	pl_error prep_err;
	/* pl_session_use_cache: each lint reads and writes run/cache.c's
	 * cache; NULL: off */
	char *cache_build;
};

#endif
