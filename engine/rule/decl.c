/*
 * decl.c - loading declarative rule files (rules/FORMAT.md).
 *
 * Each file is read into a typed tree like any YAML, then checked key by
 * key: an unknown key, a wrong type, a regex or semver range that does
 * not compile, a target an operator does not fit, are errors of the rule
 * file with its file:line:col, and the whole file is refused. Compiling
 * here, once, is what lets the evaluator (decl_eval.c) trust every field.
 */
#include "rule/decl_impl.h"
#include "base/arena.h"
#include "base/vec.h"
#include "base/xalloc.h"
#include "base/quote.h"
#include "model/workload.h"

#include <dirent.h>
#include <math.h>
#include <sys/stat.h>

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

static const pl_node *str_node(const pl_node *n)
{
	n = pl_node_deref(n);
	return n && n->kind == PL_NODE_SCALAR && n->type == PL_TYPE_STRING
	               ? n
	               : NULL;
}

/* Every key of m is one of allowed (NULL-terminated). */
static int known_keys(loader *l, const pl_node *m, const char *const *allowed,
                      const char *what)
{
	size_t i, j;
	for (i = 0; i < m->u.map.len; i++) {
		const pl_node *k = pl_node_deref(m->u.map.pairs[i].key);
		bool ok = false;
		char q[96], list[256];
		size_t o = 0;
		for (j = 0; k && k->kind == PL_NODE_SCALAR && allowed[j]; j++)
			if (strcmp(k->u.scalar.str, allowed[j]) == 0)
				ok = true;
		if (ok)
			continue;
		for (j = 0; allowed[j] && o + 2 < sizeof(list); j++)
			o += (size_t)snprintf(list + o, sizeof(list) - o,
			                      "%s%s", j ? ", " : "",
			                      allowed[j]);
		pl_quote(q, sizeof(q),
		         k && k->kind == PL_NODE_SCALAR ? k->u.scalar.str : "?",
		         k && k->kind == PL_NODE_SCALAR ? k->u.scalar.len : 1,
		         60);
		return fail(l, k, "unknown key '%s' in %s (expected %s)", q,
		            what, list);
	}
	return 0;
}

/* A list of strings (a single string counts as a list of one). */
static int strings(loader *l, const pl_node *v, const char *what,
                   const char *const **out, size_t *n)
{
	const char **arr;
	size_t i;
	v = pl_node_deref(v);
	if (str_node(v)) {
		arr = pl_arena_alloc(&l->rs->arena, sizeof(*arr));
		arr[0] = v->u.scalar.str;
		*out = arr;
		*n = 1;
		return 0;
	}
	if (!v || v->kind != PL_NODE_SEQUENCE || v->u.seq.len == 0)
		return fail(l, v,
		            "'%s' must be a string or a non-empty list "
		            "of strings",
		            what);
	arr = pl_arena_alloc(&l->rs->arena, v->u.seq.len * sizeof(*arr));
	for (i = 0; i < v->u.seq.len; i++) {
		const pl_node *e = str_node(v->u.seq.items[i]);
		if (!e)
			return fail(l, pl_node_deref(v->u.seq.items[i]),
			            "'%s' must be a list of strings", what);
		arr[i] = e->u.scalar.str;
	}
	*out = arr;
	*n = v->u.seq.len;
	return 0;
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

static int regexes(loader *l, const pl_node *v, const char *what,
                   pl_regex ***out, size_t *n)
{
	const char *const *pats;
	pl_regex **arr;
	size_t i;
	int rc = strings(l, v, what, &pats, n);
	if (rc)
		return rc;
	v = pl_node_deref(v);
	arr = pl_arena_alloc(&l->rs->arena, *n * sizeof(*arr));
	for (i = 0; i < *n; i++) {
		const pl_node *at = v->kind == PL_NODE_SEQUENCE
		                            ? pl_node_deref(v->u.seq.items[i])
		                            : v;
		rc = regex(l, at, &arr[i]);
		if (rc)
			return rc;
	}
	*out = arr;
	return 0;
}

/* --- paths ---------------------------------------------------------------- */

/*
 * a.b[0].c, labels["app.kubernetes.io/name"], or "." for the target
 * itself. Keys are runs of anything but '.', '[' and ']'.
 */
static int parse_path(loader *l, const pl_node *n, pl_decl_cond *c)
{
	const char *s = n->u.scalar.str, *p = s;
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
			p++;
			if (*p == '"' || *p == '\'') {
				char quote = *p++;
				const char *end = strchr(p, quote);
				if (!end || end[1] != ']')
					return fail(
					        l, n,
					        "unclosed [\"key\"] in path "
					        "'%s'",
					        s);
				st.key = pl_arena_strndup(&l->rs->arena, p,
				                          (size_t)(end - p));
				p = end + 2;
			} else if (p[0] == '*' && p[1] == ']') {
				st.index = PL_DECL_EVERY;
				p += 2;
			} else {
				char *end;
				unsigned long v = strtoul(p, &end, 10);
				if (*p < '0' || *p > '9' || end == p ||
				    *end != ']')
					return fail(
					        l, n,
					        "path '%s': [N] takes a list "
					        "index, [*] every element, "
					        "[\"k\"] a key",
					        s);
				st.index = (size_t)v;
				p = end + 1;
			}
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

/* --- conditions ------------------------------------------------------------
 */

static int condition(loader *l, const pl_node *n, pl_decl_cond *c,
                     pl_decl_target target, unsigned depth);

static int kids(loader *l, const pl_node *v, pl_decl_cond *c,
                pl_decl_target target, unsigned depth, const char *op)
{
	size_t i;
	v = pl_node_deref(v);
	if (!v || v->kind != PL_NODE_SEQUENCE || v->u.seq.len == 0)
		return fail(l, v, "'%s' takes a non-empty list of conditions",
		            op);
	c->nkids = v->u.seq.len;
	c->kids = pl_arena_zalloc(&l->rs->arena, c->nkids * sizeof(*c->kids));
	for (i = 0; i < c->nkids; i++) {
		int rc = condition(l, v->u.seq.items[i], &c->kids[i], target,
		                   depth + 1);
		if (rc)
			return rc;
	}
	return 0;
}

static int number(loader *l, const pl_node *v, const char *what, double *out)
{
	v = pl_node_deref(v);
	if (!v || v->kind != PL_NODE_SCALAR ||
	    (v->type != PL_TYPE_INT && v->type != PL_TYPE_FLOAT))
		return fail(l, v, "'%s' must be a number", what);
	*out = pl_node_number(v);
	return 0;
}

/* A length bound: a whole number, 0 or more. Compared as a double, so
 * no conversion to an integer type (1e300 has none) is needed. */
static bool whole_length(double x)
{
	return x >= 0 && x <= 9007199254740992.0 /* 2^53 */ && x == floor(x);
}

static int bounds(loader *l, const pl_node *m, pl_decl_cond *c, const char *lo,
                  const char *hi)
{
	const pl_node *a = pl_node_get(m, lo), *b = pl_node_get(m, hi);
	int rc = 0;
	if (a) {
		c->has_min = true;
		rc = number(l, a, lo, &c->min);
	}
	if (rc == 0 && b) {
		c->has_max = true;
		rc = number(l, b, hi, &c->max);
	}
	if (rc == 0 && c->has_min && c->has_max && c->min > c->max)
		rc = fail(l, a, "'%s' is above '%s'", lo, hi);
	return rc;
}

static int value_op(loader *l, const pl_node *m, pl_decl_cond *c,
                    const char *op)
{
	const pl_node *v = pl_node_get(m, op);
	if (strcmp(op, "exists") == 0 || strcmp(op, "absent") == 0) {
		if (!v || v->kind != PL_NODE_SCALAR || v->type != PL_TYPE_BOOL)
			return fail(l, v, "'%s' takes true or false", op);
		c->op = PL_DECL_EXISTS;
		c->want = v->u.scalar.b == (strcmp(op, "exists") == 0);
		return 0;
	}
	if (strcmp(op, "equals") == 0) {
		if (!v || v->kind != PL_NODE_SCALAR)
			return fail(l, v ? v : m, "'equals' takes a %s",
			            "string, number or boolean");
		c->op = PL_DECL_EQUALS;
		c->value = v;
		return 0;
	}
	if (strcmp(op, "contains") == 0) {
		if (!v || v->kind != PL_NODE_SCALAR)
			return fail(l, v ? v : m, "'contains' takes a %s",
			            "string, number or boolean");
		c->op = PL_DECL_CONTAINS;
		c->value = v;
		return 0;
	}
	if (strcmp(op, "one-of") == 0) {
		size_t i;
		if (!v || v->kind != PL_NODE_SEQUENCE || v->u.seq.len == 0)
			return fail(l, v ? v : m,
			            "'one-of' takes a non-empty list%s", "");
		for (i = 0; i < v->u.seq.len; i++) {
			const pl_node *e = pl_node_deref(v->u.seq.items[i]);
			if (!e || e->kind != PL_NODE_SCALAR)
				return fail(l, e ? e : v,
				            "'one-of' takes strings, numbers "
				            "or booleans%s",
				            "");
		}
		c->op = PL_DECL_ONE_OF;
		c->value = v;
		return 0;
	}
	if (strcmp(op, "regex") == 0) {
		if (!str_node(v))
			return fail(l, v ? v : m, "'regex' takes a %s",
			            "string");
		c->op = PL_DECL_REGEX;
		return regex(l, v, &c->re);
	}
	if (strcmp(op, "min") == 0 || strcmp(op, "max") == 0) {
		c->op = PL_DECL_BOUNDS;
		return bounds(l, m, c, "min", "max");
	}
	if (strcmp(op, "min-length") == 0 || strcmp(op, "max-length") == 0) {
		int rc;
		c->op = PL_DECL_LENGTH;
		rc = bounds(l, m, c, "min-length", "max-length");
		if (rc == 0 && ((c->has_min && !whole_length(c->min)) ||
		                (c->has_max && !whole_length(c->max))))
			rc = fail(l, m,
			          "lengths are whole numbers, 0 or more%s", "");
		return rc;
	}
	if (strcmp(op, "semver") == 0) {
		pl_error serr;
		if (!str_node(v))
			return fail(l, v ? v : m, "'semver' takes a %s",
			            "range");
		pl_error_clear(&serr);
		if (pl_semver_range_new(&c->range, v->u.scalar.str,
		                        v->u.scalar.len, &serr) != 0)
			return fail(l, v, "semver range does not parse: %s",
			            serr.msg);
		pl_vec_append(&l->rs->ranges, &c->range);
		c->op = PL_DECL_SEMVER;
		return 0;
	}
	/* type */
	{
		static const char *const types[] = {
		        "string",   "number", "bool", "mapping",
		        "sequence", "null",   NULL,
		};
		size_t i;
		if (str_node(v))
			for (i = 0; types[i]; i++)
				if (strcmp(types[i], v->u.scalar.str) == 0) {
					c->op = PL_DECL_TYPE;
					c->type = types[i];
					return 0;
				}
		return fail(l, v ? v : m,
		            "'type' is one of string, number, bool, mapping, "
		            "sequence, null%s",
		            "");
	}
}

static int condition(loader *l, const pl_node *n, pl_decl_cond *c,
                     pl_decl_target target, unsigned depth)
{
	static const char *const value_ops[] = {
	        "exists", "absent", "equals", "one-of",     "contains",
	        "regex",  "min",    "max",    "min-length", "max-length",
	        "semver", "type",   NULL,
	};
	static const char *const all_keys[] = {
	        "path",       "exists",      "absent", "equals", "one-of",
	        "contains",   "regex",       "min",    "max",    "min-length",
	        "max-length", "semver",      "type",   "all",    "any",
	        "not",        "env-defines", NULL,
	};
	const pl_node *path;
	const char *op = NULL;
	size_t i, nops = 0;
	bool bounds_seen = false, length_seen = false;
	int rc;

	n = pl_node_deref(n);
	memset(c, 0, sizeof(*c));
	c->at = n;
	if (depth > DECL_MAX_DEPTH)
		return fail(l, n, "conditions nest deeper than %d",
		            DECL_MAX_DEPTH);
	if (n && n->kind == PL_NODE_SEQUENCE) {
		c->op = PL_DECL_ALL; /* a bare list means all */
		return kids(l, n, c, target, depth, "assert");
	}
	if (!n || n->kind != PL_NODE_MAPPING || n->u.map.len == 0)
		return fail(l, n,
		            "a condition is a mapping with one operator (see "
		            "rules/FORMAT.md)%s",
		            "");
	rc = known_keys(l, n, all_keys, "a condition");
	if (rc)
		return rc;
	/* min/max and min-length/max-length pair up as one operator */
	for (i = 0; i < n->u.map.len; i++) {
		const char *k =
		        pl_node_deref(n->u.map.pairs[i].key)->u.scalar.str;
		if (strcmp(k, "path") == 0)
			continue;
		if (strcmp(k, "min") == 0 || strcmp(k, "max") == 0) {
			if (!bounds_seen)
				nops++;
			bounds_seen = true;
			op = "min";
			continue;
		}
		if (strcmp(k, "min-length") == 0 ||
		    strcmp(k, "max-length") == 0) {
			if (!length_seen)
				nops++;
			length_seen = true;
			op = "min-length";
			continue;
		}
		op = k;
		nops++;
	}
	if (nops != 1)
		return fail(l, n,
		            "a condition has exactly one operator (it has "
		            "%zu)",
		            nops);
	path = pl_node_get(n, "path");
	if (strcmp(op, "all") == 0 || strcmp(op, "any") == 0) {
		if (path)
			return fail(l, path, "'%s' takes no path", op);
		c->op = strcmp(op, "all") == 0 ? PL_DECL_ALL : PL_DECL_ANY;
		return kids(l, pl_node_get(n, op), c, target, depth, op);
	}
	if (strcmp(op, "not") == 0) {
		if (path)
			return fail(l, path, "'%s' takes no path", op);
		c->op = PL_DECL_NOT;
		c->nkids = 1;
		c->kids = pl_arena_zalloc(&l->rs->arena, sizeof(*c->kids));
		return condition(l, pl_node_get(n, "not"), c->kids, target,
		                 depth + 1);
	}
	if (strcmp(op, "env-defines") == 0) {
		if (path)
			return fail(l, path, "'%s' takes no path", op);
		if (target != PL_DECL_CONTAINER)
			return fail(l, n,
			            "'env-defines' needs target: container%s",
			            "");
		c->op = PL_DECL_ENV_DEFINES;
		return strings(l, pl_node_get(n, op), op,
		               (const char *const **)&c->names, &c->nnames);
	}
	for (i = 0; value_ops[i]; i++)
		if (strcmp(op, value_ops[i]) == 0)
			break;
	if (!path)
		return fail(l, n, "'%s' needs a path (\".\" is the target)",
		            op);
	if (!str_node(path))
		return fail(l, path, "'path' must be a string%s", "");
	rc = parse_path(l, path, c);
	if (rc)
		return rc;
	return value_op(l, n, c, op);
}

/* --- rules ------------------------------------------------------------------
 */

static int parse_target(loader *l, const pl_node *v, pl_decl_target *out)
{
	static const struct {
		const char *name;
		pl_decl_target t;
	} targets[] = {
	        {"object", PL_DECL_OBJECT},       {"pod", PL_DECL_POD},
	        {"container", PL_DECL_CONTAINER}, {"env", PL_DECL_ENV},
	        {"image", PL_DECL_IMAGE},
	};
	size_t i;
	if (!v) {
		*out = PL_DECL_OBJECT;
		return 0;
	}
	if (str_node(v))
		for (i = 0; i < PL_ARRAY_SIZE(targets); i++)
			if (strcmp(v->u.scalar.str, targets[i].name) == 0) {
				*out = targets[i].t;
				return 0;
			}
	return fail(l, v,
	            "'target' is one of object, pod, container, env, image%s",
	            "");
}

static int parse_match(loader *l, const pl_node *m, pl_decl_rule *r)
{
	static const char *const keys[] = {
	        "kinds", "apiVersions", "namespaces", "names", "labels",
	        "files", "images",      "containers", NULL,
	};
	const pl_node *v;
	size_t i;
	int rc;

	m = pl_node_deref(m);
	r->containers = PL_CONTAINERS_ALL;
	if (!m)
		return 0;
	if (m->kind != PL_NODE_MAPPING)
		return fail(l, m, "'match' must be a mapping%s", "");
	rc = known_keys(l, m, keys, "match");
	v = pl_node_get(m, "kinds");
	if (rc == 0 && v) {
		const char *const *k;
		size_t nk;
		const char **kinds;
		rc = strings(l, v, "kinds", &k, &nk);
		if (rc == 0) {
			kinds = pl_arena_alloc(&l->rs->arena,
			                       (nk + 1) * sizeof(*kinds));
			memcpy(kinds, k, nk * sizeof(*kinds));
			kinds[nk] = NULL;
			r->rule.kinds = kinds;
		}
	}
	v = pl_node_get(m, "apiVersions");
	if (rc == 0 && v)
		rc = strings(l, v, "apiVersions", &r->api_versions,
		             &r->napi_versions);
	v = pl_node_get(m, "namespaces");
	if (rc == 0 && v)
		rc = regexes(l, v, "namespaces", &r->namespaces,
		             &r->nnamespaces);
	v = pl_node_get(m, "names");
	if (rc == 0 && v)
		rc = regexes(l, v, "names", &r->names, &r->nnames);
	v = pl_node_get(m, "files");
	if (rc == 0 && v)
		rc = strings(l, v, "files", &r->files, &r->nfiles);
	v = pl_node_get(m, "images");
	if (rc == 0 && v)
		rc = strings(l, v, "images", &r->images, &r->nimages);
	v = pl_node_get(m, "labels");
	if (rc == 0 && v) {
		if (v->kind != PL_NODE_MAPPING || v->u.map.len == 0)
			return fail(l, v,
			            "'labels' maps label names to regexes%s",
			            "");
		r->nlabels = v->u.map.len;
		r->labels = pl_arena_zalloc(&l->rs->arena,
		                            r->nlabels * sizeof(*r->labels));
		for (i = 0; rc == 0 && i < v->u.map.len; i++) {
			const pl_node *k = str_node(v->u.map.pairs[i].key);
			const pl_node *re = str_node(v->u.map.pairs[i].value);
			if (!k || !re)
				return fail(
				        l,
				        pl_node_deref(v->u.map.pairs[i].value),
				        "'labels' maps label names to "
				        "regexes%s",
				        "");
			r->labels[i].key = k->u.scalar.str;
			rc = regex(l, re, &r->labels[i].re);
		}
	}
	r->containers = PL_CONTAINERS_ALL;
	v = pl_node_get(m, "containers");
	if (rc == 0 && v) {
		const char *const *which;
		size_t nw;
		rc = strings(l, v, "containers", &which, &nw);
		r->containers = 0;
		for (i = 0; rc == 0 && i < nw; i++) {
			if (strcmp(which[i], "init") == 0)
				r->containers |= PL_CONTAINER_INIT;
			else if (strcmp(which[i], "app") == 0)
				r->containers |= PL_CONTAINER_APP;
			else if (strcmp(which[i], "ephemeral") == 0)
				r->containers |= PL_CONTAINER_EPHEMERAL;
			else
				rc = fail(l, v,
				          "'containers' lists init, app or "
				          "ephemeral, not '%s'",
				          which[i]);
		}
	}
	return rc;
}

static int text_field(loader *l, const pl_node *rule, const char *key,
                      bool required, const char **out)
{
	const pl_node *v = pl_node_get(rule, key);
	if (!v && !required) {
		*out = NULL;
		return 0;
	}
	if (!v)
		return fail(l, rule, "a rule needs '%s'", key);
	if (!str_node(v) || v->u.scalar.len == 0)
		return fail(l, v ? v : rule, "'%s' must be a non-empty string",
		            key);
	*out = v->u.scalar.str;
	return 0;
}

/* Every {placeholder} of a message or hint is one the evaluator fills. */
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

/* What every declarative rule may read across files: the ConfigMaps and
 * Secrets of envFrom (static: descriptors outlive the loader). */
static const char *const env_sources[] = {"ConfigMap", "Secret", NULL};

static int parse_rule(loader *l, const pl_node *n)
{
	static const char *const keys[] = {
	        "id",     "severity", "summary", "help",    "match", "target",
	        "assert", "message",  "hint",    "example", NULL,
	};
	pl_decl_rule *r;
	const pl_node *v;
	const char *sev;
	size_t len;
	int rc;

	n = pl_node_deref(n);
	if (!n || n->kind != PL_NODE_MAPPING)
		return fail(l, n,
		            "a rule is a mapping (id, severity, summary, "
		            "help, match, target, assert, message)%s",
		            "");
	rc = known_keys(l, n, keys, "a rule");
	if (rc)
		return rc;
	r = pl_arena_zalloc(&l->rs->arena, sizeof(*r));
	rc = text_field(l, n, "id", true, &r->rule.id);
	if (rc)
		return rc;
	if (!pl_rule_id_valid(r->rule.id))
		return fail(l, pl_node_get(n, "id"),
		            "rule id '%s' must be family/kebab-name",
		            r->rule.id);
	r->id_pos = pl_node_get(n, "id")->span.start;
	rc = text_field(l, n, "severity", true, &sev);
	if (rc == 0 && pl_severity_parse(&r->rule.severity, sev, false) != 0)
		rc = fail(l, pl_node_get(n, "severity"),
		          "severity must be error, warning or info%s", "");
	if (rc == 0)
		rc = text_field(l, n, "summary", true, &r->rule.summary);
	if (rc == 0) {
		len = strlen(r->rule.summary);
		if (r->rule.summary[len - 1] == '.' ||
		    strchr(r->rule.summary, '\n'))
			rc = fail(l, pl_node_get(n, "summary"),
			          "summary is one line with no trailing "
			          "period%s",
			          "");
	}
	if (rc == 0)
		rc = text_field(l, n, "help", true, &r->rule.help);
	if (rc == 0)
		rc = text_field(l, n, "message", true, &r->message);
	if (rc == 0)
		rc = check_message(l, pl_node_get(n, "message"), "message");
	if (rc == 0)
		rc = text_field(l, n, "hint", false, &r->hint);
	if (rc == 0 && r->hint)
		rc = check_message(l, pl_node_get(n, "hint"), "hint");
	if (rc == 0)
		rc = text_field(l, n, "example", false, &r->rule.example);
	if (rc == 0)
		rc = parse_target(l, pl_node_get(n, "target"), &r->target);
	if (rc == 0)
		rc = parse_match(l, pl_node_get(n, "match"), r);
	if (rc)
		return rc;
	v = pl_node_get(n, "assert");
	if (!v)
		return fail(l, n, "a rule needs 'assert' (what must hold)%s",
		            "");
	rc = condition(l, v, &r->assert_, r->target, 0);
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
	root = f->nobjects == 1 ? f->objects[0].root : NULL;
	if (!root || root->kind != PL_NODE_MAPPING)
		return fail(l, root,
		            "a rule file is one mapping with a 'rules' list%s",
		            "");
	{
		static const char *const top[] = {"rules", NULL};
		rc = known_keys(l, root, top, "a rule file");
		if (rc)
			return rc;
	}
	list = pl_node_get(root, "rules");
	if (!list || list->kind != PL_NODE_SEQUENCE || list->u.seq.len == 0)
		return fail(l, list ? list : root,
		            "'rules' must be a non-empty list%s", "");
	for (i = 0; rc == 0 && i < list->u.seq.len; i++)
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
	pl_limits_default(&limits);
	pl_file_init(f);
	pl_source_read_file(&f->src, path, path, &limits);
	if (f->src.kind == PL_SOURCE_SKIPPED) {
		char why[128];
		pl_source_skip_why(why, sizeof(why), &f->src, &limits);
		pl_file_release(f);
		free(f);
		return pl_error_set(err, PL_EIO, NULL, NULL,
		                    "cannot read rule file '%s': %s", path,
		                    why);
	}
	return load_source(rs, f, err);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int pl_ruleset_load_dir(pl_ruleset *rs, const char *dir, pl_error *err)
{
	struct stat st;
	DIR *d;
	const struct dirent *e;
	pl_vec names;
	size_t i;
	int rc = 0;

	if (stat(dir, &st) != 0)
		return pl_error_set(err, PL_EIO, NULL, NULL,
		                    "cannot read rules '%s': %s", dir,
		                    strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return pl_ruleset_load_file(rs, dir, err);
	d = opendir(dir);
	if (!d)
		return pl_error_set(err, PL_EIO, NULL, NULL,
		                    "cannot read rules '%s': %s", dir,
		                    strerror(errno));
	pl_vec_init(&names, sizeof(char *));
	for (e = readdir(d); e; e = readdir(d)) {
		size_t n = strlen(e->d_name);
		char *full;
		if (e->d_name[0] == '.' ||
		    !((n > 5 && strcmp(e->d_name + n - 5, ".yaml") == 0) ||
		      (n > 4 && strcmp(e->d_name + n - 4, ".yml") == 0)))
			continue;
		full = pl_xmalloc(strlen(dir) + n + 2);
		snprintf(full, strlen(dir) + n + 2, "%s/%s", dir, e->d_name);
		pl_vec_append(&names, &full);
	}
	closedir(d);
	if (names.len > 1)
		qsort(names.items, names.len, sizeof(char *), cmp_name);
	for (i = 0; i < names.len; i++) {
		char *full = *(char **)pl_vec_at(&names, i);
		if (rc == 0)
			rc = pl_ruleset_load_file(rs, full, err);
		free(full);
	}
	pl_vec_release(&names);
	return rc;
}

int pl_ruleset_register(pl_ruleset *rs, pl_registry *reg, pl_error *err)
{
	const pl_rule **rules;
	void **states;
	size_t i, first = rs->registered, n = rs->rules.len - first;
	int rc;

	if (n == 0)
		return 0;
	rules = pl_xcalloc(n, sizeof(*rules));
	states = pl_xcalloc(n, sizeof(*states));
	for (i = 0; i < n; i++) {
		pl_decl_rule *r =
		        *(pl_decl_rule **)pl_vec_at(&rs->rules, first + i);
		rules[i] = &r->rule;
		states[i] = r;
	}
	/* a duplicate id is an error of the later file, at its id */
	for (i = 0; i < n; i++) {
		const pl_decl_rule *r = states[i];
		size_t j;
		const pl_rule *old = pl_registry_find(reg, r->rule.id, NULL);
		const pl_decl_rule *twin = NULL;
		for (j = 0; !old && j < i; j++)
			if (strcmp(rules[j]->id, r->rule.id) == 0)
				twin = states[j];
		if (old || twin) {
			const char *where =
			        old ? old->origin : twin->rule.origin;
			rc = pl_error_set(
			        err, PL_ERULE, r->rule.origin, &r->id_pos,
			        "rule '%s' is already defined %s%s", r->rule.id,
			        where ? "in " : "built in", where ? where : "");
			free(rules);
			free(states);
			return rc;
		}
	}
	rc = pl_registry_add(reg, rules, states, n, err);
	if (rc == 0)
		rs->registered += n;
	free(rules);
	free(states);
	return rc;
}
