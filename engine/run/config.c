/*
 * config.c - reading .plumb.yaml with plumb's own typed tree, so every
 * error points at the offending node (see config.h for the format).
 */
#include "run/config.h"
#include "base/quote.h"
#include "finding/suppress.h"
#include "base/xalloc.h"

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
	pl_vec_init(&c->ignores, sizeof(pl_ignore_entry));
	pl_vec_init(&c->rule_dirs, sizeof(const char *));
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
	pl_vec_release(&c->ignores);
	pl_vec_release(&c->rule_dirs);
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

/* A string or a list of strings, as an arena array. */
static int string_list(pl_config *c, const pl_node *v, const char *what,
                       const char *const **out, size_t *n, pl_error *err)
{
	const char **arr;
	size_t i;
	v = pl_node_deref(v);
	if (v && v->kind == PL_NODE_SCALAR && v->type == PL_TYPE_STRING) {
		arr = pl_arena_alloc(&c->file.arena, sizeof(*arr));
		arr[0] = v->u.scalar.str;
		*out = arr;
		*n = 1;
		return 0;
	}
	if (!v || v->kind != PL_NODE_SEQUENCE || v->u.seq.len == 0)
		return fail(c, v, err,
		            "'%s' must be a string or a non-empty list of "
		            "strings",
		            what);
	arr = pl_arena_alloc(&c->file.arena, v->u.seq.len * sizeof(*arr));
	for (i = 0; i < v->u.seq.len; i++) {
		const pl_node *e = pl_node_deref(v->u.seq.items[i]);
		if (!e || e->kind != PL_NODE_SCALAR ||
		    e->type != PL_TYPE_STRING)
			return fail(c, e ? e : v, err,
			            "'%s' must be a list of strings", what);
		arr[i] = e->u.scalar.str;
	}
	*out = arr;
	*n = v->u.seq.len;
	return 0;
}

/*
 * ignore:
 *   - paths: ["test/fixtures/x.yaml"]  # or path: one glob
 *     rules: [secrets/token]         # ids, or family/ + star
 *     reason: fixtures of the scanner
 *     until: 2027-01-31              # optional
 */
static int load_ignores(pl_config *c, const pl_node *seq, pl_error *err)
{
	static const char *const keys[] = {"path",   "paths", "rules",
	                                   "reason", "until", NULL};
	size_t i;
	int rc;

	seq = pl_node_deref(seq);
	if (!seq || seq->kind != PL_NODE_SEQUENCE)
		return fail(c, seq, err, "'%s' must be a list of entries",
		            "ignore");
	for (i = 0; i < seq->u.seq.len; i++) {
		const pl_node *e = pl_node_deref(seq->u.seq.items[i]);
		const pl_node *paths, *rules, *reason, *until;
		pl_ignore_entry ent;
		if (!e || e->kind != PL_NODE_MAPPING)
			return fail(c, e ? e : seq, err,
			            "an ignore entry must be a mapping with "
			            "%s",
			            "paths and rules");
		rc = check_keys(c, e, keys,
		                "path, paths, rules, reason or until", err);
		if (rc)
			return rc;
		memset(&ent, 0, sizeof(ent));
		paths = pl_node_get(e, "paths");
		if (!paths)
			paths = pl_node_get(e, "path");
		rules = pl_node_get(e, "rules");
		if (!paths || !rules)
			return fail(c, e, err,
			            "an ignore entry needs %s (what to ignore, "
			            "where)",
			            !rules ? "rules" : "paths");
		rc = string_list(c, paths, "paths", &ent.paths, &ent.npaths,
		                 err);
		if (rc == 0)
			rc = string_list(c, rules, "rules", &ent.rules,
			                 &ent.nrules, err);
		if (rc)
			return rc;
		reason = pl_node_get(e, "reason");
		if (reason) {
			if (reason->kind != PL_NODE_SCALAR ||
			    reason->type != PL_TYPE_STRING)
				return fail(c, reason, err,
				            "'%s' must be a string", "reason");
			ent.reason = reason->u.scalar.str;
		}
		until = pl_node_get(e, "until");
		if (until) {
			/* YAML 1.1 would read 2027-01-31 as a timestamp;
			 * the tree keeps its text, which is what counts */
			if (until->kind != PL_NODE_SCALAR ||
			    !pl_suppress_date_valid(until->u.scalar.str,
			                            until->u.scalar.len))
				return fail(c, until, err,
				            "'%s' must be a date, YYYY-MM-DD",
				            "until");
			ent.until = until->u.scalar.str;
		}
		ent.src = &c->file.src;
		ent.at = e->span;
		ent.at.end = e->span.start; /* the entry's first line */
		pl_vec_append(&c->ignores, &ent);
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

/* Parses c->file.src, read by pl_config_load or pl_config_load_mem. */
static int load(pl_config *c, const char *path, const pl_limits *limits,
                pl_error *err)
{
	static const char *const top[] = {"fail-on", "exclude",   "ignore",
	                                  "rules",   "rule-dirs", "secrets",
	                                  NULL};
	static const char *const sec[] = {"allowlist", NULL};
	const pl_node *root, *v;
	int rc;

	if (c->file.src.kind == PL_SOURCE_SKIPPED) {
		char why[128];
		pl_source_skip_why(why, sizeof(why), &c->file.src, limits);
		return pl_error_set(err, PL_EIO, NULL, NULL,
		                    "cannot read '%s': %s", path, why);
	}
	c->file.src.kind = PL_SOURCE_YAML;
	pl_file_load(&c->file, limits);
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
	rc = check_keys(c, root, top,
	                "fail-on, exclude, ignore, rules, rule-dirs or secrets",
	                err);
	if (rc)
		return rc;
	v = pl_node_get(root, "fail-on");
	if (v) {
		if (v->kind == PL_NODE_SCALAR &&
		    strcmp(v->u.scalar.str, "none") == 0)
			c->fail_on = PL_SEV_OFF; /* none fails */
		else if (v->kind != PL_NODE_SCALAR ||
		         pl_severity_parse(&c->fail_on, v->u.scalar.str, false))
			return fail(c, v, err,
			            "fail-on must be error, warning, info or "
			            "none%s",
			            "");
		c->has_fail_on = true;
	}
	v = pl_node_get(root, "exclude");
	if (v) {
		rc = strings(c, v, &c->exclude, "exclude", err);
		if (rc)
			return rc;
	}
	v = pl_node_get(root, "rule-dirs");
	if (v) {
		rc = strings(c, v, &c->rule_dirs, "rule-dirs", err);
		if (rc)
			return rc;
	}
	v = pl_node_get(root, "ignore");
	if (v) {
		rc = load_ignores(c, v, err);
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

int pl_config_load(pl_config *c, const char *path, const char *fspath,
                   pl_error *err)
{
	pl_limits limits;

	pl_limits_default(&limits);
	pl_source_read_file(&c->file.src, path, fspath, &limits);
	return load(c, path, &limits, err);
}

int pl_config_load_mem(pl_config *c, const char *path, const char *data,
                       size_t len, pl_error *err)
{
	pl_limits limits;
	char *copy = pl_xmalloc(len + 1);

	if (len)
		memcpy(copy, data, len);
	pl_limits_default(&limits);
	pl_source_read_mem(&c->file.src, path, copy, len, &limits);
	return load(c, path, &limits, err);
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

/* Each rule an ignore entry names exists (or is family/ + star of a
 * family that does). */
static int check_ignore_rules(const pl_config *c, const pl_registry *r,
                              pl_error *err)
{
	size_t i, j, k;
	for (i = 0; i < c->ignores.len; i++) {
		const pl_ignore_entry *e = pl_vec_at(&c->ignores, i);
		for (j = 0; j < e->nrules; j++) {
			const char *id = e->rules[j];
			size_t n = strlen(id);
			bool ok = pl_registry_find(r, id, NULL) != NULL;
			char q[96];
			for (k = 0; !ok && n >= 2 && id[n - 1] == '*' &&
			            id[n - 2] == '/' && k < r->len;
			     k++)
				ok = strncmp(r->rules[k]->id, id, n - 1) == 0;
			if (ok)
				continue;
			pl_quote(q, sizeof(q), id, n, 60);
			return pl_error_set(
			        err, PL_ECONFIG, c->file.src.path, &e->at.start,
			        "ignore entry names unknown rule '%s'", q);
		}
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
		size_t n = strlen(id), k, hits = 0;
		/* `family/` + star: off sets every rule of a family (a pack) */
		if (n >= 2 && id[n - 1] == '*' && id[n - 2] == '/') {
			sev = *(const int *)pl_vec_at(&c->rule_sev, i);
			if (*(const pl_node **)pl_vec_at(&c->rule_settings, i))
				return pl_error_set(
				        err, PL_ECONFIG, c->file.src.path, pos,
				        "'%s' takes a severity only; "
				        "settings belong to one rule",
				        id);
			for (k = 0; k < r->len; k++)
				if (strncmp(r->rules[k]->id, id, n - 1) == 0) {
					if (sev >= 0)
						r->severity[k] =
						        (pl_severity)sev;
					hits++;
				}
			if (hits == 0)
				return pl_error_set(err, PL_ECONFIG,
				                    c->file.src.path, pos,
				                    "no rule in family '%.*s'",
				                    (int)(n - 2), id);
			continue;
		}
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
	return check_ignore_rules(c, r, err);
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
