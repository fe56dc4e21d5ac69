/*
 * decl.c - loading declarative rule files (rules/FORMAT.md).
 *
 * Each file is read into a typed tree like any YAML and checked against
 * schemas/rule.schema.json by the shape checker (schema/shape.h): an
 * unknown key, a wrong type, a missing field, an operator a target does
 * not fit. Then what a schema cannot say is checked while compiling: a
 * regex or semver range that does not compile, a path, min above max,
 * nesting. Either way the error has the file's line and column and the
 * whole file is refused. Compiling here, once, is what lets the
 * evaluator (decl_eval.c) trust every field.
 */
#include "rule/decl_impl.h"
#include "base/arena.h"
#include "base/vec.h"
#include "base/xalloc.h"
#include "base/quote.h"
#include "builtin/builtin.h"
#include "model/workload.h"
#include "schema/shape.h"

/* Nesting of all/any/not; deeper rule files are refused. */
#define DECL_MAX_DEPTH 32
/* Steps of a path. */
#define DECL_MAX_STEPS 32

struct pl_ruleset {
	pl_arena arena;
	pl_vec files;      /* pl_file *, owned */
	pl_vec rules;      /* pl_decl_rule *, in the arena */
	pl_vec regexes;    /* pl_regex *, owned */
	pl_vec ranges;     /* pl_semver_range *, owned */
	size_t registered; /* rules already handed to a registry */
	pl_shape *shape;   /* rule.schema.json, compiled at the first load */
};

typedef struct loader {
	pl_ruleset *rs;
	const char *path;
	pl_error *err;
} loader;

void pl_ruleset_new(pl_ruleset **out)
{
	pl_ruleset *rs = pl_xcalloc(1, sizeof(*rs));
	pl_arena_init(&rs->arena);
	pl_vec_init(&rs->files, sizeof(pl_file *));
	pl_vec_init(&rs->rules, sizeof(pl_decl_rule *));
	pl_vec_init(&rs->regexes, sizeof(pl_regex *));
	pl_vec_init(&rs->ranges, sizeof(pl_semver_range *));
	*out = rs;
}

void pl_ruleset_free(pl_ruleset *rs)
{
	size_t i;
	if (!rs)
		return;
	for (i = 0; i < rs->regexes.len; i++)
		pl_regex_free(*(pl_regex **)pl_vec_at(&rs->regexes, i));
	for (i = 0; i < rs->ranges.len; i++)
		pl_semver_range_free(
		        *(pl_semver_range **)pl_vec_at(&rs->ranges, i));
	for (i = 0; i < rs->files.len; i++) {
		pl_file *f = *(pl_file **)pl_vec_at(&rs->files, i);
		pl_file_release(f);
		free(f);
	}
	pl_vec_release(&rs->regexes);
	pl_vec_release(&rs->ranges);
	pl_vec_release(&rs->files);
	pl_vec_release(&rs->rules);
	pl_shape_free(rs->shape);
	pl_arena_release(&rs->arena);
	free(rs);
}

static int fail(loader *l, const pl_node *n, const char *fmt, ...)
        PL_PRINTF(3, 4);

static int fail(loader *l, const pl_node *n, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return pl_error_set(l->err, PL_ERULE, l->path,
	                    n ? &n->span.start : NULL, "%s", msg);
}

/* A string or a list of strings (the schema let nothing else through),
 * as an arena array. */
static void strings(loader *l, const pl_node *v, const char *const **out,
                    size_t *n)
{
	const char **arr;
	size_t i;
	v = pl_node_deref(v);
	if (v->kind == PL_NODE_SCALAR) {
		arr = pl_arena_alloc(&l->rs->arena, sizeof(*arr));
		arr[0] = v->u.scalar.str;
		*out = arr;
		*n = 1;
		return;
	}
	arr = pl_arena_alloc(&l->rs->arena, v->u.seq.len * sizeof(*arr));
	for (i = 0; i < v->u.seq.len; i++)
		arr[i] = pl_node_deref(v->u.seq.items[i])->u.scalar.str;
	*out = arr;
	*n = v->u.seq.len;
}

static int regex(loader *l, const pl_node *n, pl_regex **out)
{
	pl_error rerr;
	pl_error_clear(&rerr);
	if (pl_regex_new(out, n->u.scalar.str, 0, &rerr) != 0) {
		const char *why = rerr.msg;
		char q[96];
		if (strncmp(why, "bad regular expression: ", 24) == 0)
			why += 24;
		pl_quote(q, sizeof(q), n->u.scalar.str, n->u.scalar.len, 60);
		return fail(l, n, "regex '%s' does not compile: %s", q, why);
	}
	pl_vec_append(&l->rs->regexes, out);
	return 0;
}

static int regexes(loader *l, const pl_node *v, pl_regex ***out, size_t *n)
{
	const char *const *pats;
	pl_regex **arr;
	size_t i;
	int rc = 0;
	strings(l, v, &pats, n);
	v = pl_node_deref(v);
	arr = pl_arena_alloc(&l->rs->arena, *n * sizeof(*arr));
	for (i = 0; rc == 0 && i < *n; i++)
		rc = regex(l,
		           v->kind == PL_NODE_SEQUENCE
		                   ? pl_node_deref(v->u.seq.items[i])
		                   : v,
		           &arr[i]);
	*out = arr;
	return rc;
}

/* --- paths ---------------------------------------------------------------- */

/* One [...] step at p (after the '['); returns the text after it, or NULL
 * when the step is malformed (*why says how). */
static const char *bracket_step(loader *l, const char *p, pl_decl_step *st,
                                const char **why)
{
	if (*p == '"' || *p == '\'') {
		char quote = *p++;
		const char *end = strchr(p, quote);
		if (!end || end[1] != ']') {
			*why = "unclosed";
			return NULL;
		}
		st->key = pl_arena_strndup(&l->rs->arena, p, (size_t)(end - p));
		return end + 2;
	}
	if (p[0] == '*' && p[1] == ']') {
		st->index = PL_DECL_EVERY;
		return p + 2;
	}
	{
		char *end;
		unsigned long v = strtoul(p, &end, 10);
		if (*p < '0' || *p > '9' || end == p || *end != ']') {
			*why = "index";
			return NULL;
		}
		st->index = (size_t)v;
		return end + 1;
	}
}

/*
 * a.b[0].c, labels["app.kubernetes.io/name"], or "." for the target
 * itself. Keys are runs of anything but '.', '[' and ']'.
 */
static int parse_path(loader *l, const pl_node *n, pl_decl_cond *c)
{
	const char *s = n->u.scalar.str, *p = s, *why = NULL;
	pl_decl_step steps[DECL_MAX_STEPS];
	size_t ns = 0;

	c->path = s;
	if (strcmp(s, ".") == 0)
		return 0;
	while (*p) {
		pl_decl_step st;
		memset(&st, 0, sizeof(st));
		if (ns == DECL_MAX_STEPS)
			return fail(l, n, "path has more than %d steps",
			            DECL_MAX_STEPS);
		if (*p == '[') {
			p = bracket_step(l, p + 1, &st, &why);
			if (!p && strcmp(why, "unclosed") == 0)
				return fail(l, n,
				            "unclosed [\"key\"] in path '%s'",
				            s);
			if (!p)
				return fail(
				        l, n,
				        "path '%s': [N] takes a list index, "
				        "[*] every element, [\"k\"] a key",
				        s);
		} else {
			size_t k = strcspn(p, ".[]");
			if (k == 0)
				return fail(l, n, "path '%s' has an empty step",
				            s);
			st.key = pl_arena_strndup(&l->rs->arena, p, k);
			p += k;
		}
		steps[ns++] = st;
		if (*p == '.') {
			p++;
			if (!*p || *p == '.')
				return fail(l, n, "path '%s' has an empty step",
				            s);
		} else if (*p && *p != '[') {
			return fail(l, n, "path '%s': unexpected '%c'", s, *p);
		}
	}
	c->steps = pl_arena_alloc(&l->rs->arena, ns * sizeof(*c->steps));
	memcpy(c->steps, steps, ns * sizeof(*c->steps));
	c->nsteps = ns;
	return 0;
}

static int semver_range(loader *l, const pl_node *v, pl_semver_range **out)
{
	pl_error serr;
	pl_error_clear(&serr);
	if (pl_semver_range_new(out, v->u.scalar.str, v->u.scalar.len, &serr) !=
	    0)
		return fail(l, v, "semver range does not parse: %s", serr.msg);
	pl_vec_append(&l->rs->ranges, out);
	return 0;
}

/* Every {placeholder} of a message or hint is one the evaluator fills
 * (the schema's pattern says so too; this says which one is not). */
static int check_message(loader *l, const pl_node *m, const char *what)
{
	static const char *const known[] = {
	        "id",  "kind", "name",  "namespace", "container", "image",
	        "env", "path", "value", "missing",   NULL,
	};
	const char *p = strchr(m->u.scalar.str, '{');
	for (; p; p = strchr(p, '{')) {
		const char *end = strchr(p, '}');
		size_t n, i;
		bool ok = false;
		if (!end)
			break;
		n = (size_t)(end - p - 1);
		for (i = 0; known[i]; i++)
			if (strlen(known[i]) == n &&
			    strncmp(p + 1, known[i], n) == 0)
				ok = true;
		if (!ok)
			return fail(l, m,
			            "%s placeholder '{%.*s}' is unknown "
			            "(id, kind, name, namespace, container, "
			            "image, env, path, value, missing)",
			            what, (int)(n > 40 ? 40 : n), p + 1);
		p = end + 1;
	}
	return 0;
}

/* --- conditions ------------------------------------------------------------
 */

static int condition(loader *l, const pl_node *n, pl_decl_cond *c,
                     unsigned depth);

static int kids(loader *l, const pl_node *v, pl_decl_cond *c, unsigned depth)
{
	size_t i;
	int rc = 0;
	v = pl_node_deref(v);
	c->nkids = v->u.seq.len;
	c->kids = pl_arena_zalloc(&l->rs->arena, c->nkids * sizeof(*c->kids));
	for (i = 0; rc == 0 && i < c->nkids; i++)
		rc = condition(l, v->u.seq.items[i], &c->kids[i], depth + 1);
	return rc;
}

static int bounds(loader *l, const pl_node *m, pl_decl_cond *c, const char *lo,
                  const char *hi)
{
	const pl_node *a = pl_node_get(m, lo), *b = pl_node_get(m, hi);
	c->has_min = a != NULL;
	c->has_max = b != NULL;
	if (a)
		c->min = pl_node_number(a);
	if (b)
		c->max = pl_node_number(b);
	if (c->has_min && c->has_max && c->min > c->max)
		return fail(l, a, "'%s' is above '%s'", lo, hi);
	return 0;
}

/* The operator of a condition mapping: its one key other than path
 * (min and max, min-length and max-length, pair up). */
static const char *operator_of(const pl_node *n)
{
	size_t i;
	for (i = 0; i < n->u.map.len; i++) {
		const char *k =
		        pl_node_deref(n->u.map.pairs[i].key)->u.scalar.str;
		if (strcmp(k, "max") == 0)
			return "min";
		if (strcmp(k, "max-length") == 0)
			return "min-length";
		if (strcmp(k, "path") != 0)
			return k;
	}
	return "";
}

static int value_op(loader *l, const pl_node *m, pl_decl_cond *c,
                    const char *op)
{
	static const struct {
		const char *name;
		pl_decl_op op;
	} ops[] = {
	        {"exists", PL_DECL_EXISTS}, {"absent", PL_DECL_EXISTS},
	        {"equals", PL_DECL_EQUALS}, {"contains", PL_DECL_CONTAINS},
	        {"one-of", PL_DECL_ONE_OF}, {"regex", PL_DECL_REGEX},
	        {"min", PL_DECL_BOUNDS},    {"min-length", PL_DECL_LENGTH},
	        {"semver", PL_DECL_SEMVER}, {"type", PL_DECL_TYPE},
	};
	const pl_node *v = pl_node_get(m, op);
	size_t i;

	for (i = 0; i < PL_ARRAY_SIZE(ops); i++)
		if (strcmp(op, ops[i].name) == 0)
			c->op = ops[i].op;
	switch (c->op) {
	case PL_DECL_EXISTS:
		c->want = v->u.scalar.b == (strcmp(op, "exists") == 0);
		return 0;
	case PL_DECL_REGEX:
		return regex(l, v, &c->re);
	case PL_DECL_BOUNDS:
		return bounds(l, m, c, "min", "max");
	case PL_DECL_LENGTH:
		return bounds(l, m, c, "min-length", "max-length");
	case PL_DECL_SEMVER:
		return semver_range(l, v, &c->range);
	case PL_DECL_TYPE:
		c->type = v->u.scalar.str;
		return 0;
	default: /* equals, contains, one-of */
		c->value = v;
		return 0;
	}
}

static int condition(loader *l, const pl_node *n, pl_decl_cond *c,
                     unsigned depth)
{
	const char *op;
	int rc;

	n = pl_node_deref(n);
	memset(c, 0, sizeof(*c));
	c->at = n;
	if (depth > DECL_MAX_DEPTH)
		return fail(l, n, "conditions nest deeper than %d",
		            DECL_MAX_DEPTH);
	if (n->kind == PL_NODE_SEQUENCE) {
		c->op = PL_DECL_ALL; /* a bare list means all */
		return kids(l, n, c, depth);
	}
	op = operator_of(n);
	if (strcmp(op, "all") == 0 || strcmp(op, "any") == 0) {
		c->op = strcmp(op, "all") == 0 ? PL_DECL_ALL : PL_DECL_ANY;
		return kids(l, pl_node_get(n, op), c, depth);
	}
	if (strcmp(op, "not") == 0) {
		c->op = PL_DECL_NOT;
		c->nkids = 1;
		c->kids = pl_arena_zalloc(&l->rs->arena, sizeof(*c->kids));
		return condition(l, pl_node_get(n, "not"), c->kids, depth + 1);
	}
	if (strcmp(op, "env-defines") == 0) {
		c->op = PL_DECL_ENV_DEFINES;
		strings(l, pl_node_get(n, op), (const char *const **)&c->names,
		        &c->nnames);
		return 0;
	}
	rc = parse_path(l, pl_node_get(n, "path"), c);
	return rc ? rc : value_op(l, n, c, op);
}

/* --- rules ------------------------------------------------------------------
 */

static pl_decl_target target_of(const pl_node *v)
{
	static const struct {
		const char *name;
		pl_decl_target t;
	} targets[] = {
	        {"pod", PL_DECL_POD},
	        {"container", PL_DECL_CONTAINER},
	        {"env", PL_DECL_ENV},
	        {"image", PL_DECL_IMAGE},
	};
	size_t i;
	for (i = 0; v && i < PL_ARRAY_SIZE(targets); i++)
		if (strcmp(v->u.scalar.str, targets[i].name) == 0)
			return targets[i].t;
	return PL_DECL_OBJECT;
}

static unsigned containers_of(loader *l, const pl_node *v)
{
	const char *const *which;
	unsigned bits = 0;
	size_t i, n;
	if (!v)
		return PL_CONTAINERS_ALL;
	strings(l, v, &which, &n);
	for (i = 0; i < n; i++)
		bits |= strcmp(which[i], "init") == 0  ? PL_CONTAINER_INIT
		        : strcmp(which[i], "app") == 0 ? PL_CONTAINER_APP
		                                       : PL_CONTAINER_EPHEMERAL;
	return bits;
}

static int parse_labels(loader *l, const pl_node *v, pl_decl_rule *r)
{
	size_t i;
	int rc = 0;
	r->nlabels = v->u.map.len;
	r->labels =
	        pl_arena_zalloc(&l->rs->arena, r->nlabels * sizeof(*r->labels));
	for (i = 0; rc == 0 && i < v->u.map.len; i++) {
		r->labels[i].key =
		        pl_node_deref(v->u.map.pairs[i].key)->u.scalar.str;
		rc = regex(l, pl_node_deref(v->u.map.pairs[i].value),
		           &r->labels[i].re);
	}
	return rc;
}

static int parse_match(loader *l, const pl_node *m, pl_decl_rule *r)
{
	const pl_node *v;
	int rc = 0;

	m = pl_node_deref(m);
	r->containers = PL_CONTAINERS_ALL;
	if (!m)
		return 0;
	v = pl_node_get(m, "kinds");
	if (v) {
		const char *const *k;
		const char **kinds;
		size_t nk;
		strings(l, v, &k, &nk);
		kinds = pl_arena_alloc(&l->rs->arena,
		                       (nk + 1) * sizeof(*kinds));
		memcpy(kinds, k, nk * sizeof(*kinds));
		kinds[nk] = NULL;
		r->rule.kinds = kinds;
	}
	if ((v = pl_node_get(m, "apiVersions")))
		strings(l, v, &r->api_versions, &r->napi_versions);
	if ((v = pl_node_get(m, "files")))
		strings(l, v, &r->files, &r->nfiles);
	if ((v = pl_node_get(m, "images")))
		strings(l, v, &r->images, &r->nimages);
	r->containers = containers_of(l, pl_node_get(m, "containers"));
	if ((v = pl_node_get(m, "namespaces")))
		rc = regexes(l, v, &r->namespaces, &r->nnamespaces);
	if (rc == 0 && (v = pl_node_get(m, "names")))
		rc = regexes(l, v, &r->names, &r->nnames);
	if (rc == 0 && (v = pl_node_get(m, "labels")))
		rc = parse_labels(l, v, r);
	return rc;
}

static const char *text(const pl_node *rule, const char *key)
{
	const pl_node *v = pl_node_get(rule, key);
	return v ? v->u.scalar.str : NULL;
}

/* What every declarative rule may read across files: the ConfigMaps and
 * Secrets of envFrom (static: descriptors outlive the loader). */
static const char *const env_sources[] = {"ConfigMap", "Secret", NULL};

/*
 * What SARIF and the docs say of a rule (pl_rule.tags, .precision,
 * .security), as a built-in descriptor declares it. Each is optional:
 * without them SARIF tags a rule with its family and reports it as high;
 * the shipped packs declare all three (tests/unit/test_registry.c).
 * code scanning ranks an alert with a security-severity as a
 * vulnerability and filters on the "security" tag, so a rule has both or
 * neither.
 */
static int parse_reporting(loader *l, const pl_node *n, pl_decl_rule *r)
{
	static const struct {
		const char *name;
		pl_precision p;
	} precisions[] = {
	        {"very-high", PL_PRECISION_VERY_HIGH},
	        {"high", PL_PRECISION_HIGH},
	        {"medium", PL_PRECISION_MEDIUM},
	        {"low", PL_PRECISION_LOW},
	};
	const pl_node *tags = pl_node_get(n, "tags");
	const pl_node *sec = pl_node_get(n, "security");
	const char *prec = text(n, "precision");
	const char **arr = NULL;
	size_t i, len = 0;
	bool tagged = false;

	for (i = 0; prec && i < sizeof(precisions) / sizeof(*precisions); i++)
		if (strcmp(prec, precisions[i].name) == 0)
			r->rule.precision = precisions[i].p;
	sec = sec ? pl_node_deref(sec) : NULL;
	r->rule.security = sec && sec->type == PL_TYPE_BOOL && sec->u.scalar.b;
	if (tags) {
		const char *const *list;
		strings(l, tags, &list, &len);
		/* NULL-terminated, as PL_TAGS makes them */
		arr = pl_arena_alloc(&l->rs->arena, (len + 1) * sizeof(*arr));
		for (i = 0; i < len; i++) {
			arr[i] = list[i];
			tagged |= strcmp(list[i], "security") == 0;
		}
		arr[len] = NULL;
		r->rule.tags = arr;
	}
	if (r->rule.security && !tagged)
		return fail(l, sec,
		            "a rule with 'security: true' needs the tag "
		            "'security'");
	if (tagged && !r->rule.security)
		return fail(l, tags,
		            "a rule tagged 'security' needs 'security: true'");
	return 0;
}

static int parse_rule(loader *l, const pl_node *n)
{
	pl_decl_rule *r = pl_arena_zalloc(&l->rs->arena, sizeof(*r));
	int rc;

	n = pl_node_deref(n);
	r->rule.id = text(n, "id");
	r->id_pos = pl_node_get(n, "id")->span.start;
	if (!pl_rule_id_valid(r->rule.id))
		return fail(l, pl_node_get(n, "id"),
		            "rule id '%s' must be family/kebab-name",
		            r->rule.id);
	pl_severity_parse(&r->rule.severity, text(n, "severity"), false);
	r->rule.summary = text(n, "summary");
	r->rule.help = text(n, "help");
	r->rule.example = text(n, "example");
	r->message = text(n, "message");
	r->hint = text(n, "hint");
	r->target = target_of(pl_node_get(n, "target"));
	rc = parse_reporting(l, n, r);
	if (rc == 0)
		rc = parse_match(l, pl_node_get(n, "match"), r);
	if (rc == 0)
		rc = condition(l, pl_node_get(n, "assert"), &r->assert_, 0);
	if (rc)
		return rc;
	r->rule.scope = PL_SCOPE_OBJECT;
	r->rule.check_object = pl_decl__check;
	/* env, env-defines and {missing} follow envFrom into the run's
	 * ConfigMaps and Secrets */
	r->rule.reads = env_sources;
	r->rule.origin = l->path;
	pl_vec_append(&l->rs->rules, &r);
	return 0;
}

/* The key a schema error's path ends with ("semver" for
 * rules[0].assert.semver), or "". */
static const char *last_key(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot ? dot + 1 : path;
}

/*
 * The loader's words for what the schema refused (pl_shape_explain):
 * the pattern of an id, a summary, a placeholder, a path or a semver
 * range says what it allows, the loader says what is wrong; the
 * condition a target does not fit names the target it needs.
 */
static int explain(void *ud, const pl_schema_error *e, pl_error *err)
{
	loader *l = ud;
	const char *key = last_key(e->path);
	const pl_node *n = e->node;
	pl_decl_cond c;
	pl_semver_range *range;

	(void)err; /* l->err, the same */
	if (!*e->path && strcmp(e->keyword, "type") == 0)
		return fail(l, n,
		            "a rule file is one mapping with a 'rules' list");
	if (n->kind == PL_NODE_SCALAR &&
	    strcmp(n->u.scalar.str, "env-defines") == 0 &&
	    (strcmp(e->keyword, "additionalProperties") == 0 ||
	     strcmp(e->keyword, "oneOf") == 0))
		return fail(l, n, "'env-defines' needs target: container");
	if (strcmp(e->keyword, "pattern") != 0)
		return 0;
	if (strcmp(key, "id") == 0)
		return fail(l, n, "rule id '%s' must be family/kebab-name",
		            n->u.scalar.str);
	if (strcmp(key, "summary") == 0)
		return fail(l, n,
		            "summary is one line with no trailing period");
	if (strcmp(key, "message") == 0 || strcmp(key, "hint") == 0)
		return check_message(l, n, key);
	if (strcmp(key, "path") == 0) {
		memset(&c, 0, sizeof(c));
		return parse_path(l, n, &c);
	}
	if (strcmp(key, "semver") == 0)
		return semver_range(l, n, &range);
	return 0;
}

/* rule.schema.json, as the build embedded it. */
static int shape_new(pl_shape **out, pl_error *err)
{
	size_t i;
	for (i = 0; i < pl_builtin_inputs_len; i++)
		if (strstr(pl_builtin_inputs[i].path, "/rule.schema.json"))
			return pl_shape_new(out, pl_builtin_inputs[i].path,
			                    pl_builtin_inputs[i].data,
			                    pl_builtin_inputs[i].len, err);
	return pl_error_set(err, PL_ENOTFOUND, NULL, NULL,
	                    "rule.schema.json is not built in");
}

static int load_tree(loader *l, pl_file *f)
{
	const pl_node *root, *list;
	size_t i, before = l->rs->rules.len;
	int rc = 0;

	if (f->tree.problem != PL_TREE_OK)
		return pl_error_set(l->err, PL_ERULE, l->path, &f->tree.where,
		                    "%s", f->tree.message);
	if (f->tree.ndups)
		return fail(l, f->tree.dups[0].key, "duplicate key '%s'",
		            pl_node_deref(f->tree.dups[0].key)->u.scalar.str);
	root = f->tree.ndocs == 1 ? pl_node_deref(f->tree.docs[0].root) : NULL;
	if (!root)
		return fail(l, f->tree.ndocs > 1 ? f->tree.docs[1].root : NULL,
		            "a rule file is one mapping with a 'rules' list");
	if (!l->rs->shape)
		rc = shape_new(&l->rs->shape, l->err);
	if (rc == 0)
		rc = pl_shape_check(l->rs->shape, root, l->path, PL_ERULE,
		                    explain, l, l->err);
	list = rc ? NULL : pl_node_get(root, "rules");
	for (i = 0; list && rc == 0 && i < list->u.seq.len; i++)
		rc = parse_rule(l, list->u.seq.items[i]);
	if (rc)
		l->rs->rules.len = before; /* nothing of a broken file */
	return rc;
}

static int load_source(pl_ruleset *rs, pl_file *f, pl_error *err)
{
	loader l;
	pl_limits limits;
	int rc;

	pl_limits_default(&limits);
	l.rs = rs;
	l.path = pl_arena_strdup(&rs->arena, f->src.path);
	l.err = err;
	f->src.kind = PL_SOURCE_YAML;
	pl_file_load(f, &limits);
	rc = load_tree(&l, f);
	if (rc) {
		pl_file_release(f);
		free(f);
		return rc;
	}
	pl_vec_append(&rs->files, &f);
	return 0;
}

int pl_ruleset_load_mem(pl_ruleset *rs, const char *path, const char *data,
                        size_t len, pl_error *err)
{
	pl_file *f = pl_xcalloc(1, sizeof(*f));
	char *copy = pl_xmalloc(len + 1);
	memcpy(copy, data, len);
	copy[len] = '\0';
	pl_file_init(f);
	pl_source_set_data(&f->src, path, copy, len);
	return load_source(rs, f, err);
}

int pl_ruleset_load_file(pl_ruleset *rs, const char *path, pl_error *err)
{
	pl_file *f = pl_xcalloc(1, sizeof(*f));
	pl_limits limits;
	char why[128];
	pl_limits_default(&limits);
	pl_file_init(f);
	pl_source_read_file(&f->src, path, path, &limits);
	if (f->src.kind != PL_SOURCE_SKIPPED)
		return load_source(rs, f, err); /* owns f */
	pl_source_skip_why(why, sizeof(why), &f->src, &limits);
	pl_file_release(f);
	free(f);
	return pl_error_set(err, PL_EIO, NULL, NULL,
	                    "cannot read rule file '%s': %s", path, why);
}

/* What the id of rs's rule first + i clashes with: *old is the
 * registry's rule of that id (or NULL); otherwise the earlier new rule
 * of rs with it is returned (or NULL). */
static const pl_decl_rule *twin_of(const pl_ruleset *rs, size_t first, size_t i,
                                   const pl_registry *reg, const pl_rule **old)
{
	const pl_decl_rule *r =
	        *(pl_decl_rule **)pl_vec_at(&rs->rules, first + i);
	size_t j;
	*old = pl_registry_find(reg, r->rule.id, NULL);
	for (j = 0; !*old && j < i; j++) {
		const pl_decl_rule *t =
		        *(pl_decl_rule **)pl_vec_at(&rs->rules, first + j);
		if (strcmp(t->rule.id, r->rule.id) == 0)
			return t;
	}
	return NULL;
}

int pl_ruleset_register(pl_ruleset *rs, pl_registry *reg, pl_error *err)
{
	const pl_rule **rules = NULL;
	void **states = NULL;
	size_t i, first = rs->registered, n = rs->rules.len - first;
	int rc = 0;

	/* a duplicate id is an error of the later file, at its id */
	for (i = 0; rc == 0 && i < n; i++) {
		const pl_decl_rule *r =
		        *(pl_decl_rule **)pl_vec_at(&rs->rules, first + i);
		const pl_rule *old;
		const pl_decl_rule *twin = twin_of(rs, first, i, reg, &old);
		const char *where = old    ? old->origin
		                    : twin ? twin->rule.origin
		                           : NULL;
		if (old || twin)
			rc = pl_error_set(
			        err, PL_ERULE, r->rule.origin, &r->id_pos,
			        "rule '%s' is already defined %s%s", r->rule.id,
			        where ? "in " : "built in", where ? where : "");
	}
	if (rc || n == 0)
		return rc;
	rules = pl_xcalloc(n, sizeof(*rules));
	states = pl_xcalloc(n, sizeof(*states));
	for (i = 0; i < n; i++) {
		pl_decl_rule *r =
		        *(pl_decl_rule **)pl_vec_at(&rs->rules, first + i);
		rules[i] = &r->rule;
		states[i] = r;
	}
	rc = pl_registry_add(reg, rules, states, n, err);
	if (rc == 0)
		rs->registered += n;
	free(rules);
	free(states);
	return rc;
}
