/*
 * session_open.c - a session's life (session.h): the registry prepared
 * beside the walk, the configuration, the baseline and the key, opened
 * once; and what a session tells its commands. session.c runs the lints.
 */
#include "run/session_impl.h"
#include "run/run_impl.h"
#include "base/xalloc.h"
#include "builtin/builtin.h"
#include "rule/decl.h"

/* Only the secret rules run (and source/unreadable, for blobs git
 * cannot give); with the rest off, the suppression/ stage is off too. */
static void secrets_only(pl_registry *reg)
{
	size_t i;

	for (i = 0; i < reg->len; i++)
		if (!reg->rules[i]->secret &&
		    reg->rules[i] != &pl_rule_source_unreadable)
			reg->severity[i] = PL_SEV_OFF;
	pl_registry_index(reg); /* severities changed: dispatch anew */
}

/* The rules' compile step; on the session's task, or here at -j1. It
 * writes only the registry's states, which nothing else touches until
 * wait_prepared. */
static void prepare_rules(void *arg)
{
	pl_session *s = arg;
	s->prep_rc = pl_registry_prepare(&s->reg, &s->prep_err);
}

/* Joins the prepare task (once; nothing when none runs). Its error
 * comes first; else rc stands. */
static int wait_prepared(pl_session *s, int rc, pl_error *err)
{
	pl_pool_wait(s->prep);
	s->prep = NULL;
	if (!s->prep_rc)
		return rc;
	if (err) {
		*err = s->prep_err;
		if (err->path) /* into the copy's own file[] */
			err->path = err->file;
	}
	return s->prep_rc;
}

/* Then the configuration (whose rule-dirs join the registry) and the
 * toggles; with PL_SESSION_SECRETS_ONLY the rules are compiled after
 * the rest is off. */
static int configure_rules(pl_session *s, pl_error *err)
{
	const pl_run_opts *o = s->opts;
	int rc;

	rc = pl_run__load_config(&s->config, o, s->root, &s->reg, s->ruleset,
	                         err);
	if (rc == 0 && (s->flags & PL_SESSION_SECRETS_ONLY)) {
		secrets_only(&s->reg);
		rc = pl_registry_prepare(&s->reg, err);
	}
	return rc;
}

static void drop_rules(pl_session *s)
{
	pl_registry_release(&s->reg);
	pl_ruleset_free(s->ruleset);
	s->ruleset = NULL;
	pl_config_release(&s->config);
	memset(&s->reg, 0, sizeof(s->reg));
	pl_config_init(&s->config);
}

int pl_session_start(pl_session **out, const pl_run_opts *o, unsigned flags,
                     pl_error *err)
{
	pl_session *s = pl_xcalloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	s->opts = o;
	s->flags = flags;
	s->jobs = o->jobs ? o->jobs : pl_pool_cores();
	pl_config_init(&s->config);
	rc = pl_run_registry(&s->reg, &s->ruleset, o->rule_dirs, o->nrule_dirs,
	                     err);
	if (rc) {
		pl_session_close(s);
		return rc;
	}
	/* --history prepares once the configuration turned all but the
	 * secret rules off; with -j1, one thread does both, in turn */
	if (!(flags & PL_SESSION_SECRETS_ONLY) && s->jobs > 1)
		s->prep = pl_pool_start(prepare_rules, s);
	else if (!(flags & PL_SESSION_SECRETS_ONLY))
		prepare_rules(s);
	*out = s;
	return 0;
}

int pl_session_configure(pl_session *s, const char *root, bool in_git, int rc,
                         pl_error *err)
{
	const pl_run_opts *o = s->opts;

	rc = wait_prepared(s, rc, err);
	if (rc)
		return rc;
	s->root = root ? pl_xstrdup(root) : NULL;
	s->in_git = in_git;
	rc = configure_rules(s, err);
	if (rc == 0)
		rc = pl_run__baseline_and_key(&s->baseline, &s->nbaseline,
		                              s->key, o, root, in_git, err);
	if (rc)
		return rc;
	s->fail_on = o->fail_on;
	if (!o->fail_on_set && s->config.has_fail_on)
		s->fail_on = s->config.fail_on;
	return 0;
}

int pl_session_open(pl_session **out, const pl_run_opts *o, const char *root,
                    bool in_git, unsigned flags, pl_error *err)
{
	pl_session *s;
	int rc = pl_session_start(&s, o, flags, err);

	*out = NULL;
	if (rc == 0)
		rc = pl_session_configure(s, root, in_git, 0, err);
	if (rc) {
		pl_session_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

void pl_session_close(pl_session *s)
{
	if (!s)
		return;
	pl_pool_wait(s->prep); /* the task writes the registry */
	drop_rules(s);
	free(s->baseline);
	free(s->root);
	free(s->cache_build);
	free(s);
}

void pl_session_use_cache(pl_session *s, const char *build)
{
	free(s->cache_build);
	s->cache_build = pl_xstrdup(build ? build : PL_VERSION);
}

const pl_registry *pl_session_registry(const pl_session *s)
{
	return &s->reg;
}

pl_severity pl_session_fail_on(const pl_session *s)
{
	return s->fail_on;
}

const unsigned char *pl_session_key(const pl_session *s)
{
	return s->key;
}

const pl_config *pl_session_config(const pl_session *s)
{
	return &s->config;
}

const char *pl_session_root(const pl_session *s)
{
	return s->root;
}

const uint64_t *pl_session__baseline(const pl_session *s, size_t *n)
{
	*n = s->nbaseline;
	return s->baseline;
}
