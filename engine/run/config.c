/*
 * config.c - reading .plumb.yaml with plumb's own typed tree, so every
 * error points at the offending node (see config.h for the format).
 */
#include "run/config.h"
#include "rule/quote.h"

#include <fnmatch.h>

void pl_config_init(pl_config *c)
{
	memset(c, 0, sizeof(*c));
	pl_file_init(&c->file);
	pl_vec_init(&c->exclude, sizeof(const char *));
	pl_vec_init(&c->rule_ids, sizeof(const char *));
	pl_vec_init(&c->rule_sev, sizeof(int));
	pl_vec_init(&c->rule_pos, sizeof(pl_pos));
	pl_vec_init(&c->rule_settings, sizeof(const pl_node *));
	pl_vec_init(&c->allow_paths, sizeof(const char *));
	pl_vec_init(&c->allow_regexes, sizeof(pl_regex *));
	pl_vec_init(&c->allow_fps, sizeof(const char *));
}

void pl_config_release(pl_config *c)
{
	size_t i;
	if (!c)
		return;
	for (i = 0; i < c->allow_regexes.len; i++)
		pl_regex_free(*(pl_regex **)pl_vec_at(&c->allow_regexes, i));
	pl_vec_release(&c->exclude);
	pl_vec_release(&c->rule_ids);
	pl_vec_release(&c->rule_sev);
	pl_vec_release(&c->rule_pos);
	pl_vec_release(&c->rule_settings);
	pl_vec_release(&c->allow_paths);
	pl_vec_release(&c->allow_regexes);
	pl_vec_release(&c->allow_fps);
	pl_file_release(&c->file);
	memset(c, 0, sizeof(*c));
}

static int fail(pl_config *c, const pl_node *n, pl_error *err, const char *fmt,
                ...) PL_PRINTF(4, 5);

static int fail(pl_config *c, const pl_node *n, pl_error *err, const char *fmt,
                ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return pl_error_set(err, PL_ECONFIG, c->file.src.path,
	                    n ? &n->span.start : NULL, "%s", msg);
}

/* The keys of mapping m must be among allowed[]. */
static int check_keys(pl_config *c, const pl_node *m,
                      const char *const *allowed, const char *expected,
                      pl_error *err)
{
	size_t i, j;
	for (i = 0; i < m->u.map.len; i++) {
		const pl_node *k = pl_node_deref(m->u.map.pairs[i].key);
		bool ok = false;
		for (j = 0; allowed[j] && k && k->kind == PL_NODE_SCALAR; j++)
			if (strcmp(k->u.scalar.str, allowed[j]) == 0)
				ok = true;
		if (!ok) {
			char q[128];
			const char *name = k && k->kind == PL_NODE_SCALAR
			                           ? k->u.scalar.str
			                           : "?";
			pl_quote(q, sizeof(q), name, strlen(name), 60);
			return pl_error_set(err, PL_ECONFIG, c->file.src.path,
			                    k ? &k->span.start : NULL,
			                    "unknown key '%s' (expected %s)", q,
			                    expected);
		}
	}
	return 0;
}

/* A sequence of strings into out. */
static int strings(pl_config *c, const pl_node *seq, pl_vec *out,
                   const char *what, pl_error *err)
{
	size_t i;
	seq = pl_node_deref(seq);
	if (!seq || seq->kind != PL_NODE_SEQUENCE)
		return fail(c, seq, err, "'%s' must be a list of strings",
		            what);
	for (i = 0; i < seq->u.seq.len; i++) {
		const pl_node *v = pl_node_deref(seq->u.seq.items[i]);
		if (!v || v->kind != PL_NODE_SCALAR ||
		    v->type != PL_TYPE_STRING)
			return fail(c, v ? v : seq, err,
			            "'%s' must be a list of strings", what);
		pl_vec_append(out, &v->u.scalar.str);
	}
	return 0;
}

static int load_rules(pl_config *c, const pl_node *m, pl_error *err)
{
	size_t i;
	m = pl_node_deref(m);
	if (!m || m->kind != PL_NODE_MAPPING)
		return fail(c, m, err, "'%s' must map rule ids to a severity",
		            "rules");
	for (i = 0; i < m->u.map.len; i++) {
		const pl_node *k = pl_node_deref(m->u.map.pairs[i].key);
		const pl_node *v = pl_node_deref(m->u.map.pairs[i].value);
		const pl_node *sv = v, *settings = NULL;
		pl_severity sev = PL_SEV_OFF;
		int stored;
		if (!k || k->kind != PL_NODE_SCALAR)
			return fail(c, k, err, "a rule id must be a string%s",
			            "");
		/* `id: warning`, or `id: {severity: warning, param: x}` */
		if (v && v->kind == PL_NODE_MAPPING) {
			settings = v;
			sv = pl_node_get(v, "severity");
		}
		if (sv &&
		    (sv->kind != PL_NODE_SCALAR ||
		     pl_severity_parse(&sev, sv->u.scalar.str, true) != 0))
			return fail(c, sv, err,
			            "rule '%s' needs error, warning, info or "
			            "off",
			            k->u.scalar.str);
		if (!v || (!sv && !settings))
			return fail(c, v ? v : k, err,
			            "rule '%s' needs a severity or a mapping "
			            "of settings",
			            k->u.scalar.str);
		pl_vec_append(&c->rule_ids, &k->u.scalar.str);
		stored = sv ? (int)sev : -1; /* -1: keep the default */
		pl_vec_append(&c->rule_sev, &stored);
		pl_vec_append(&c->rule_pos, &k->span.start);
		pl_vec_append(&c->rule_settings, &settings);
	}
	return 0;
}

static int load_allowlist(pl_config *c, const pl_node *m, pl_error *err)
{
	static const char *const keys[] = {"paths", "regexes", "fingerprints",
	                                   NULL};
	const pl_node *v;
	size_t i;
	int rc;

	m = pl_node_deref(m);
	if (!m || m->kind != PL_NODE_MAPPING)
		return fail(c, m, err, "'%s' must be a mapping", "allowlist");
	rc = check_keys(c, m, keys, "paths, regexes or fingerprints", err);
	if (rc)
		return rc;
	v = pl_node_get(m, "paths");
	if (v) {
		rc = strings(c, v, &c->allow_paths, "paths", err);
		if (rc)
			return rc;
	}
	v = pl_node_get(m, "fingerprints");
	if (v) {
		rc = strings(c, v, &c->allow_fps, "fingerprints", err);
		if (rc)
			return rc;
	}
	v = pl_node_get(m, "regexes");
	if (v) {
		pl_vec pats;
		pl_vec_init(&pats, sizeof(const char *));
		rc = strings(c, v, &pats, "regexes", err);
		for (i = 0; rc == 0 && i < pats.len; i++) {
			const char *p = *(const char **)pl_vec_at(&pats, i);
			pl_regex *re;
			pl_error rerr;
			if (pl_regex_new(&re, p, 0, &rerr) != 0) {
				rc = fail(c, pl_node_deref(v->u.seq.items[i]),
				          err, "%s", rerr.msg);
				break;
			}
			pl_vec_append(&c->allow_regexes, &re);
		}
		pl_vec_release(&pats);
	}
	return rc;
}

int pl_config_load(pl_config *c, const char *path, const char *fspath,
                   pl_error *err)
{
	static const char *const top[] = {"fail-on", "exclude", "rules",
	                                  "secrets", NULL};
	static const char *const sec[] = {"allowlist", NULL};
	pl_limits limits;
	const pl_node *root, *v;
	int rc;

	pl_limits_default(&limits);
	pl_source_read_file(&c->file.src, path, fspath, &limits);
	if (c->file.src.kind == PL_SOURCE_SKIPPED)
		return pl_error_set(
		        err, PL_EIO, NULL, NULL, "cannot read '%s': %s", path,
		        strerror(c->file.src.skip_errno ? c->file.src.skip_errno
		                                        : EINVAL));
	c->file.src.kind = PL_SOURCE_YAML;
	pl_file_load(&c->file, &limits);
	if (c->file.tree.problem != PL_TREE_OK)
		return pl_error_set(err, PL_ECONFIG, c->file.src.path,
		                    &c->file.tree.where, "%s",
		                    c->file.tree.message);
	if (c->file.tree.ndups) {
		const pl_node *k = c->file.tree.dups[0].key;
		return fail(c, k, err, "duplicate key '%s'",
		            pl_node_deref(k)->u.scalar.str);
	}
	if (c->file.nobjects > 1)
		return fail(c, c->file.objects[1].root, err,
		            "the configuration must be one YAML document");
	c->loaded = true;
	root = c->file.nobjects ? c->file.objects[0].root : NULL;
	if (!root)
		return 0; /* an empty file configures nothing */
	if (root->kind != PL_NODE_MAPPING)
		return fail(c, root, err, "the configuration must be a %s",
		            "mapping");
	rc = check_keys(c, root, top, "fail-on, exclude, rules or secrets",
	                err);
	if (rc)
		return rc;
	v = pl_node_get(root, "fail-on");
	if (v) {
		if (v->kind != PL_NODE_SCALAR ||
		    pl_severity_parse(&c->fail_on, v->u.scalar.str, false))
			return fail(c, v, err,
			            "fail-on must be error, warning or info%s",
			            "");
		c->has_fail_on = true;
	}
	v = pl_node_get(root, "exclude");
	if (v) {
		rc = strings(c, v, &c->exclude, "exclude", err);
		if (rc)
			return rc;
	}
	v = pl_node_get(root, "rules");
	if (v) {
		rc = load_rules(c, v, err);
		if (rc)
			return rc;
	}
	v = pl_node_get(root, "secrets");
	if (v) {
		if (v->kind != PL_NODE_MAPPING)
			return fail(c, v, err, "'%s' must be a mapping",
			            "secrets");
		rc = check_keys(c, v, sec, "allowlist", err);
		if (rc == 0 && pl_node_get(v, "allowlist"))
			rc = load_allowlist(c, pl_node_get(v, "allowlist"),
			                    err);
		if (rc)
			return rc;
	}
	c->allow.paths = c->allow_paths.items;
	c->allow.npaths = c->allow_paths.len;
	c->allow.regexes = c->allow_regexes.items;
	c->allow.nregexes = c->allow_regexes.len;
	c->allow.fingerprints = c->allow_fps.items;
	c->allow.nfingerprints = c->allow_fps.len;
	return 0;
}

/* Every key of a rule's settings is `severity` or a parameter the rule
 * declares, with a value of its type. */
static int check_params(const pl_config *c, const pl_rule *rule,
                        const pl_node *settings, pl_error *err)
{
	size_t i, j;
	if (!settings)
		return 0;
	for (i = 0; i < settings->u.map.len; i++) {
		const pl_node *k = pl_node_deref(settings->u.map.pairs[i].key);
		const pl_node *v =
		        pl_node_deref(settings->u.map.pairs[i].value);
		const pl_param *p;
		char q[96];
		bool ok;
		if (!k || k->kind != PL_NODE_SCALAR)
			return pl_error_set(err, PL_ECONFIG, c->file.src.path,
			                    &settings->span.start,
			                    "a setting name must be a string");
		if (strcmp(k->u.scalar.str, "severity") == 0)
			continue;
		for (p = rule->params; p && p->name; p++)
			if (strcmp(p->name, k->u.scalar.str) == 0)
				break;
		pl_quote(q, sizeof(q), k->u.scalar.str, k->u.scalar.len, 60);
		if (!p || !p->name)
			return pl_error_set(err, PL_ECONFIG, c->file.src.path,
			                    &k->span.start,
			                    "rule '%s' has no setting '%s'",
			                    rule->id, q);
		ok = v != NULL;
		if (ok && p->type == PL_PARAM_STRING)
			ok = v->kind == PL_NODE_SCALAR &&
			     v->type == PL_TYPE_STRING;
		if (ok && p->type == PL_PARAM_STRINGS) {
			ok = v->kind == PL_NODE_SEQUENCE;
			for (j = 0; ok && j < v->u.seq.len; j++) {
				const pl_node *e =
				        pl_node_deref(v->u.seq.items[j]);
				ok = e && e->kind == PL_NODE_SCALAR &&
				     e->type == PL_TYPE_STRING;
			}
		}
		if (!ok)
			return pl_error_set(
			        err, PL_ECONFIG, c->file.src.path,
			        v ? &v->span.start : &k->span.start,
			        "setting '%s' of rule '%s' must be %s", q,
			        rule->id,
			        p->type == PL_PARAM_STRING
			                ? "a string"
			                : "a list of strings");
	}
	return 0;
}

int pl_config_apply(const pl_config *c, pl_registry *r, pl_error *err)
{
	size_t i, idx;
	const pl_node *settings;
	int sev, rc;
	for (i = 0; i < c->rule_ids.len; i++) {
		const char *id = *(const char **)pl_vec_at(&c->rule_ids, i);
		const pl_pos *pos = pl_vec_at(&c->rule_pos, i);
		if (!pl_registry_find(r, id, &idx)) {
			const char *s = pl_registry_suggest(r, id);
			char q[96];
			pl_quote(q, sizeof(q), id, strlen(id), 60);
			if (s)
				return pl_error_set(err, PL_ECONFIG,
				                    c->file.src.path, pos,
				                    "unknown rule '%s' (did "
				                    "you mean '%s'?)",
				                    q, s);
			return pl_error_set(err, PL_ECONFIG, c->file.src.path,
			                    pos, "unknown rule '%s'", q);
		}
		sev = *(const int *)pl_vec_at(&c->rule_sev, i);
		if (sev >= 0)
			r->severity[idx] = (pl_severity)sev;
		settings = *(const pl_node **)pl_vec_at(&c->rule_settings, i);
		rc = check_params(c, r->rules[idx], settings, err);
		if (rc)
			return rc;
		r->settings[idx] = settings;
	}
	return 0;
}

bool pl_config_excluded(const pl_config *c, const char *path)
{
	size_t i;
	for (i = 0; i < c->exclude.len; i++) {
		const char *g = *(const char **)pl_vec_at(&c->exclude, i);
		size_t n = strlen(g);
		if (fnmatch(g, path, 0) == 0)
			return true;
		/* `vendor/` excludes the folder */
		if (n && g[n - 1] == '/' && strncmp(path, g, n) == 0)
			return true;
	}
	return false;
}
