/*
 * config.c - reading .plumb.yaml with plumb's own typed tree, so every
 * error points at the offending node (see config.h for the format). Its
 * shape is schemas/config.schema.json's to check (schema/shape.h); what
 * a schema cannot say (a regex compiles, a date exists, a rule id and
 * its settings are the registry's) is checked here.
 */
#include "run/config.h"
#include "base/quote.h"
#include "builtin/builtin.h"
#include "finding/suppress.h"
#include "base/xalloc.h"
#include "schema/shape.h"

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
	pl_vec_init(&c->patterns, sizeof(pl_secret_pattern));
	pl_vec_init(&c->owned, sizeof(void *));
	pl_vec_init(&c->owned_regexes, sizeof(pl_regex *));
}

void pl_config_release(pl_config *c)
{
	size_t i;
	if (!c)
		return;
	for (i = 0; i < c->allow_regexes.len; i++)
		pl_regex_free(*(pl_regex **)pl_vec_at(&c->allow_regexes, i));
	for (i = 0; i < c->owned_regexes.len; i++)
		pl_regex_free(*(pl_regex **)pl_vec_at(&c->owned_regexes, i));
	for (i = 0; i < c->owned.len; i++)
		free(*(void **)pl_vec_at(&c->owned, i));
	pl_vec_release(&c->patterns);
	pl_vec_release(&c->owned);
	pl_vec_release(&c->owned_regexes);
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

/* A list of strings (the schema let nothing else through) into out. */
static void strings(const pl_node *seq, pl_vec *out)
{
	size_t i;
	seq = pl_node_deref(seq);
	for (i = 0; seq && i < seq->u.seq.len; i++)
		pl_vec_append(
		        out, &pl_node_deref(seq->u.seq.items[i])->u.scalar.str);
}

/* A string or a list of strings, as an arena array. */
static void string_list(pl_config *c, const pl_node *v, const char *const **out,
                        size_t *n)
{
	const char **arr;
	size_t i;
	v = pl_node_deref(v);
	if (v->kind == PL_NODE_SCALAR) {
		arr = pl_arena_alloc(&c->file.arena, sizeof(*arr));
		arr[0] = v->u.scalar.str;
		*out = arr;
		*n = 1;
		return;
	}
	arr = pl_arena_alloc(&c->file.arena, v->u.seq.len * sizeof(*arr));
	for (i = 0; i < v->u.seq.len; i++)
		arr[i] = pl_node_deref(v->u.seq.items[i])->u.scalar.str;
	*out = arr;
	*n = v->u.seq.len;
}

/* `id: warning`, or `id: {severity: warning, param: x}` */
static void load_rules(pl_config *c, const pl_node *m)
{
	size_t i;
	for (i = 0; i < m->u.map.len; i++) {
		const pl_node *k = pl_node_deref(m->u.map.pairs[i].key);
		const pl_node *v = pl_node_deref(m->u.map.pairs[i].value);
		const pl_node *sv = v, *settings = NULL;
		pl_severity sev = PL_SEV_OFF;
		int stored = -1; /* -1: keep the default */
		if (v->kind == PL_NODE_MAPPING) {
			settings = v;
			sv = pl_node_get(v, "severity");
		}
		if (sv && pl_severity_parse(&sev, sv->u.scalar.str, true) == 0)
			stored = (int)sev;
		pl_vec_append(&c->rule_ids, &k->u.scalar.str);
		pl_vec_append(&c->rule_sev, &stored);
		pl_vec_append(&c->rule_pos, &k->span.start);
		pl_vec_append(&c->rule_settings, &settings);
	}
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
	size_t i;
	for (i = 0; i < seq->u.seq.len; i++) {
		const pl_node *e = pl_node_deref(seq->u.seq.items[i]);
		const pl_node *paths = pl_node_get(e, "paths"), *until;
		pl_ignore_entry ent;
		memset(&ent, 0, sizeof(ent));
		string_list(c, paths ? paths : pl_node_get(e, "path"),
		            &ent.paths, &ent.npaths);
		string_list(c, pl_node_get(e, "rules"), &ent.rules,
		            &ent.nrules);
		ent.reason = pl_node_get_str(e, "reason");
		until = pl_node_get(e, "until");
		/* YAML 1.1 would read 2027-01-31 as a timestamp; the tree
		 * keeps its text, which is what counts */
		if (until && !pl_suppress_date_valid(until->u.scalar.str,
		                                     until->u.scalar.len))
			return fail(c, until, err,
			            "'until' must be a date, YYYY-MM-DD");
		ent.until = until ? until->u.scalar.str : NULL;
		ent.src = &c->file.src;
		ent.at = e->span;
		ent.at.end = e->span.start; /* the entry's first line */
		pl_vec_append(&c->ignores, &ent);
	}
	return 0;
}

/* Compiles the regex at node p with flags and appends it to into, which
 * the configuration frees; a regex PCRE2 refuses is an error at p. */
static int compile(pl_config *c, const pl_node *p, unsigned flags, pl_vec *into,
                   pl_regex **out, pl_error *err)
{
	pl_error rerr;
	if (pl_regex_new(out, p->u.scalar.str, flags, &rerr) != 0)
		return fail(c, p, err, "%s", rerr.msg);
	pl_vec_append(into, out);
	return 0;
}

static int load_allowlist(pl_config *c, const pl_node *m, pl_error *err)
{
	const pl_node *v = pl_node_get(m, "regexes");
	size_t i;

	strings(pl_node_get(m, "paths"), &c->allow_paths);
	strings(pl_node_get(m, "fingerprints"), &c->allow_fps);
	for (i = 0; v && i < v->u.seq.len; i++) {
		const pl_node *p = pl_node_deref(v->u.seq.items[i]);
		pl_regex *re;
		if (compile(c, p, 0, &c->allow_regexes, &re, err) != 0)
			return PL_ECONFIG;
	}
	c->allow.paths = c->allow_paths.items;
	c->allow.npaths = c->allow_paths.len;
	c->allow.regexes = c->allow_regexes.items;
	c->allow.nregexes = c->allow_regexes.len;
	c->allow.fingerprints = c->allow_fps.items;
	c->allow.nfingerprints = c->allow_fps.len;
	return 0;
}

/* A list of strings (paths) or regexes (allow) as an owned array. */
static void *owned_array(pl_config *c, size_t n, size_t size)
{
	void *a = pl_xcalloc(n ? n : 1, size);
	pl_vec_append(&c->owned, &a);
	return a;
}

/* secrets.patterns: the shape schemas/config.schema.json checked. */
static int load_patterns(pl_config *c, const pl_node *seq, pl_error *err)
{
	size_t i, j;
	seq = pl_node_deref(seq);
	for (i = 0; seq && i < seq->u.seq.len; i++) {
		const pl_node *e = pl_node_deref(seq->u.seq.items[i]);
		const pl_node *re = pl_node_get(e, "regex");
		const pl_node *paths = pl_node_deref(pl_node_get(e, "paths"));
		const pl_node *allow = pl_node_deref(pl_node_get(e, "allow"));
		pl_secret_pattern p;
		pl_regex *r = NULL;
		const char **pv;
		const pl_regex **av;
		memset(&p, 0, sizeof(p));
		p.name = pl_node_get_str(e, "name");
		if (re && compile(c, re, PL_REGEX_MULTILINE, &c->owned_regexes,
		                  &r, err) != 0)
			return PL_ECONFIG;
		if (!re && !paths)
			return fail(c, e, err,
			            "a secrets pattern needs a regex or paths "
			            "(a file those paths name is reported)");
		if (r) {
			int named = pl_regex_group_number(r, "secret", 6);
			p.group = named > 0            ? (unsigned)named
			          : pl_regex_groups(r) ? 1
			                               : 0;
		}
		p.regex = r;
		p.npaths = paths ? paths->u.seq.len : 0;
		pv = owned_array(c, p.npaths, sizeof(*pv));
		for (j = 0; j < p.npaths; j++)
			pv[j] = pl_node_deref(paths->u.seq.items[j])
			                ->u.scalar.str;
		p.paths = pv;
		p.nallow = allow ? allow->u.seq.len : 0;
		av = owned_array(c, p.nallow, sizeof(*av));
		for (j = 0; j < p.nallow; j++) {
			pl_regex *a;
			if (compile(c, pl_node_deref(allow->u.seq.items[j]),
			            PL_REGEX_MULTILINE, &c->owned_regexes, &a,
			            err) != 0)
				return PL_ECONFIG;
			av[j] = a;
		}
		p.allow = av;
		pl_vec_append(&c->patterns, &p);
	}
	return 0;
}

/*
 * The loader's words for what config.schema.json refused
 * (pl_shape_explain): a file that is no mapping, a rule id or a date
 * its pattern does not match.
 */
static int explain(void *ud, const pl_schema_error *e, pl_error *err)
{
	pl_config *c = ud;
	const pl_node *n = e->node;
	size_t len = strlen(e->path);

	if (!*e->path && strcmp(e->keyword, "type") == 0)
		return fail(c, n, err, "the configuration must be a mapping");
	if (strcmp(e->keyword, "pattern") != 0)
		return 0;
	if (len >= 5 && strcmp(e->path + len - 5, "until") == 0)
		return fail(c, n, err, "'until' must be a date, YYYY-MM-DD");
	if (strncmp(e->path, "rules", 5) == 0 ||
	    (strncmp(e->path, "ignore[", 7) == 0 && strstr(e->path, "rules")))
		return fail(c, n, err,
		            "rule id '%s' must be family/kebab-name or "
		            "family/*",
		            n->u.scalar.str);
	return 0;
}

/* config.schema.json, as the build embedded it. */
static int shape_check(pl_config *c, const pl_node *root, pl_error *err)
{
	pl_shape *shape = NULL;
	const pl_pack *p = NULL;
	size_t i;
	int rc;
	for (i = 0; !p && i < pl_builtin_inputs_len; i++)
		if (strstr(pl_builtin_inputs[i].path, "/config.schema.json"))
			p = &pl_builtin_inputs[i];
	rc = p ? pl_shape_new(&shape, p->path, p->data, p->len, err)
	       : pl_error_set(err, PL_ENOTFOUND, NULL, NULL,
	                      "config.schema.json is not built in");
	if (rc == 0)
		rc = pl_shape_check(shape, root, c->file.src.path, PL_ECONFIG,
		                    explain, c, err);
	pl_shape_free(shape);
	return rc;
}

/* Parses c->file.src, read by pl_config_load or pl_config_load_mem. */
static int load(pl_config *c, const char *path, const pl_limits *limits,
                pl_error *err)
{
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
	if (c->file.tree.ndocs > 1)
		return fail(c, c->file.tree.docs[1].root, err,
		            "the configuration must be one YAML document");
	c->loaded = true;
	root = c->file.tree.ndocs ? pl_node_deref(c->file.tree.docs[0].root)
	                          : NULL;
	if (!root)
		return 0; /* an empty file configures nothing */
	rc = shape_check(c, root, err);
	if (rc)
		return rc;
	v = pl_node_get(root, "fail-on");
	if (v) {
		c->has_fail_on = true;
		c->fail_on = PL_SEV_OFF; /* none fails */
		pl_severity_parse(&c->fail_on, v->u.scalar.str, false);
	}
	strings(pl_node_get(root, "exclude"), &c->exclude);
	strings(pl_node_get(root, "rule-dirs"), &c->rule_dirs);
	if ((v = pl_node_get(root, "rules")))
		load_rules(c, v);
	if ((v = pl_node_get(root, "ignore")))
		rc = load_ignores(c, v, err);
	v = pl_node_get(root, "secrets");
	if (rc == 0 && v && pl_node_get(v, "allowlist"))
		rc = load_allowlist(c, pl_node_get(v, "allowlist"), err);
	if (rc == 0 && v && pl_node_get(v, "patterns"))
		rc = load_patterns(c, pl_node_get(v, "patterns"), err);
	return rc;
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
	const char *s;
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
			s = pl_registry_suggest(r, id);
			return pl_error_set(
			        err, PL_ECONFIG, c->file.src.path, &e->at.start,
			        "ignore entry names unknown rule '%s'%s%s%s", q,
			        s ? " (did you mean '" : "", s ? s : "",
			        s ? "'?)" : "");
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
