/*
 * schema.c - compiling a JSON Schema (a typed tree) into pl_sn objects.
 *
 * Two passes. The first compiles the schema object by object, from the
 * root and every $defs/definitions entry, and registers each resource
 * ($id, resolved against its parent's base URI as RFC 3986 §5.2 says)
 * and each anchor ($anchor, $dynamicAnchor, draft-07's "$id": "#name").
 * The second resolves every $ref against that registry; a pointer into a
 * part not compiled yet compiles it then (and may queue more refs). A
 * reference to a document outside the schema is PL_ENOTFOUND: plumb
 * never fetches schemas. Compiled nodes are memoised by their pl_node,
 * so a recursive schema compiles to a pointer cycle.
 */
#include "schema/schema_cel.h"
#include "base/xalloc.h"

#include <math.h>

/* A resource or anchor target: the node and the base URI inside it. */
typedef struct resource {
	const pl_node *node;
	const char *base;
} resource;

typedef struct cctx {
	pl_schema *s;
	pl_schema_draft draft;
	const char *path;
	pl_error *err;
	pl_map memo;    /* pl_node address -> pl_sn */
	pl_map ids;     /* absolute URI, or URI#anchor -> resource */
	pl_vec pending; /* pl_sn * whose $ref is unresolved */
	size_t depth;
	bool null_is_absent;
	bool no_jit;
} cctx;

static pl_sn *compile(cctx *c, const pl_node *n, const char *base);

static bool isalnum_ascii(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9');
}

static bool isxdigit_ascii(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
	       (ch >= 'A' && ch <= 'F');
}

static int fail(cctx *c, int code, const pl_node *at, const char *fmt, ...)
        PL_PRINTF(4, 5);

static int fail(cctx *c, int code, const pl_node *at, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->err->code)
		return c->err->code; /* keep the first error */
	return pl_error_set(c->err, code, c->path, at ? &at->span.start : NULL,
	                    "%s", msg);
}

static const char *str_of(const pl_node *n)
{
	n = pl_node_deref(n);
	if (n && n->kind == PL_NODE_SCALAR && n->type == PL_TYPE_STRING)
		return n->u.scalar.str;
	return NULL;
}

/* --- URIs (RFC 3986) ------------------------------------------------ */

/* Length of "scheme:" at the start of s, or 0. */
static size_t scheme_len(const char *s)
{
	size_t i = 0;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	while (s[i] && (isalnum_ascii(s[i]) || s[i] == '+' || s[i] == '-' ||
	                s[i] == '.'))
		i++;
	return s[i] == ':' ? i + 1 : 0;
}

/* Removes "./" and "seg/../" segments from the path (RFC 3986 §5.2.4,
 * the common cases). */
static void remove_dots(char *p)
{
	char *s;
	while ((s = strstr(p, "/./")) != NULL)
		memmove(s, s + 2, strlen(s + 2) + 1);
	while ((s = strstr(p, "/../")) != NULL) {
		char *prev = s;
		if (s == p) {
			memmove(s, s + 3, strlen(s + 3) + 1);
			continue;
		}
		while (prev > p && prev[-1] != '/')
			prev--;
		memmove(prev, s + 4, strlen(s + 4) + 1);
	}
}

/* ref resolved against base (RFC 3986 §5.2.2, without query rules). */
static char *resolve_uri(pl_arena *a, const char *base, const char *ref)
{
	const char *hash = strchr(base, '#');
	size_t blen = hash ? (size_t)(hash - base) : strlen(base);
	size_t sl = scheme_len(base), auth = sl, dir = 0, i;
	char *out;

	if (scheme_len(ref))
		out = pl_arena_strdup(a, ref);
	else if (ref[0] == '#' || ref[0] == '\0')
		out = pl_arena_printf(a, "%.*s%s", (int)blen, base, ref);
	else if (ref[0] == '/' && ref[1] == '/')
		out = pl_arena_printf(a, "%.*s%s", (int)sl, base, ref);
	else {
		if (base[sl] == '/' && base[sl + 1] == '/') {
			auth = sl + 2;
			while (auth < blen && base[auth] != '/')
				auth++;
		}
		if (ref[0] == '/')
			out = pl_arena_printf(a, "%.*s%s", (int)auth, base,
			                      ref);
		else {
			for (i = auth; i < blen; i++)
				if (base[i] == '/')
					dir = i + 1;
			if (!dir)
				dir = auth > sl ? auth : sl;
			out = pl_arena_printf(
			        a, "%.*s%s%s", (int)dir, base,
			        dir == auth && auth > sl ? "/" : "", ref);
		}
	}
	remove_dots(out + scheme_len(out));
	return out;
}

static void put_id(cctx *c, const char *uri, const pl_node *n, const char *base)
{
	resource *r = pl_arena_alloc(&c->s->arena, sizeof(*r));
	r->node = n;
	r->base = base;
	if (!pl_map_get(&c->ids, uri, strlen(uri)))
		pl_map_put(&c->ids, uri, strlen(uri), r, NULL);
}

/* Registers n's $id and anchors; returns the base URI inside n. */
static const char *identify(cctx *c, const pl_node *n, const char *base)
{
	const char *id = str_of(pl_node_get(n, "$id"));
	const char *anchor = str_of(pl_node_get(n, "$anchor"));
	const char *dyn = str_of(pl_node_get(n, "$dynamicAnchor"));
	pl_arena *a = &c->s->arena;

	if (c->draft == PL_SCHEMA_DRAFT_7 && pl_node_get(n, "$ref"))
		id = NULL; /* draft-07 §8.3: $ref ignores its siblings */
	if (id && id[0] == '#' && c->draft == PL_SCHEMA_DRAFT_7)
		put_id(c, resolve_uri(a, base, id), n, base);
	else if (id) {
		char *uri = resolve_uri(a, base, id), *h = strchr(uri, '#');
		if (h && h[1] && c->draft == PL_SCHEMA_DRAFT_7) {
			put_id(c, uri, n, base);
			*h = '\0';
		} else if (h) {
			*h = '\0';
		}
		base = uri;
		put_id(c, base, n, base);
	}
	if (anchor)
		put_id(c, pl_arena_printf(a, "%s#%s", base, anchor), n, base);
	if (dyn)
		put_id(c, pl_arena_printf(a, "%s#%s", base, dyn), n, base);
	return base;
}

/* --- keywords --------------------------------------------------------- */

static int count_kw(cctx *c, const pl_node *m, const char *kw, int64_t *out)
{
	const pl_node *n = pl_node_get(m, kw);
	double d;
	*out = -1;
	if (!n)
		return 0;
	/* no cast before the range is known: 1e300 has no int64_t */
	if (!pl_schema__number(n, &d) || !(d >= 0) || d != floor(d))
		return fail(c, PL_EPARSE, n,
		            "%s must be a non-negative integer", kw);
	*out = d >= 9.2e18 ? INT64_MAX : (int64_t)d; /* beyond: no bound */
	return 0;
}

static int num_kw(cctx *c, const pl_node *m, const char *kw, pl_sn_num *out)
{
	const pl_node *n = pl_node_get(m, kw);
	out->set = false;
	if (!n)
		return 0;
	if (!pl_schema__number(n, &out->v))
		return fail(c, PL_EPARSE, n, "%s must be a number", kw);
	out->set = true;
	return 0;
}

static int sub(cctx *c, const pl_node *m, const char *kw, const char *base,
               pl_sn **out)
{
	const pl_node *n = pl_node_get(m, kw);
	*out = NULL;
	if (!n)
		return 0;
	*out = compile(c, n, base);
	return *out ? 0 : c->err->code;
}

static int list(cctx *c, const pl_node *m, const char *kw, const char *base,
                pl_sn_list *out)
{
	const pl_node *n = pl_node_get(m, kw);
	size_t i;
	out->v = NULL;
	out->n = 0;
	if (!n)
		return 0;
	if (n->kind != PL_NODE_SEQUENCE)
		return fail(c, PL_EPARSE, n, "%s must be an array of schemas",
		            kw);
	out->v = pl_arena_zalloc(&c->s->arena,
	                         (n->u.seq.len + 1) * sizeof(pl_sn *));
	for (i = 0; i < n->u.seq.len; i++) {
		out->v[i] = compile(c, n->u.seq.items[i], base);
		if (!out->v[i])
			return c->err->code;
	}
	out->n = n->u.seq.len;
	return 0;
}

static int names_kw(cctx *c, const pl_node *n, const char *kw)
{
	size_t i;
	if (n->kind != PL_NODE_SEQUENCE)
		return fail(c, PL_EPARSE, n, "%s must be an array of strings",
		            kw);
	for (i = 0; i < n->u.seq.len; i++)
		if (!str_of(n->u.seq.items[i]))
			return fail(c, PL_EPARSE, n->u.seq.items[i],
			            "%s must be an array of strings", kw);
	return 0;
}

static int type_kw(cctx *c, pl_sn *sn, const pl_node *m)
{
	static const char *const names[] = {"null",   "boolean", "integer",
	                                    "number", "string",  "array",
	                                    "object"};
	const pl_node *t = pl_node_get(m, "type"), *one;
	size_t i, k, n;
	if (!t)
		return 0;
	sn->type_node = t;
	n = t->kind == PL_NODE_SEQUENCE ? t->u.seq.len : 1;
	for (i = 0; i < n; i++) {
		const char *s;
		one = t->kind == PL_NODE_SEQUENCE
		              ? pl_node_deref(t->u.seq.items[i])
		              : t;
		s = str_of(one);
		for (k = 0; s && k < PL_ARRAY_SIZE(names); k++)
			if (strcmp(s, names[k]) == 0)
				break;
		if (!s || k == PL_ARRAY_SIZE(names))
			return fail(c, PL_EPARSE, one,
			            "type must be one of null, boolean, "
			            "integer, number, string, array, object");
		sn->types |= 1u << k;
	}
	return 0;
}

static int regex_of(cctx *c, const pl_node *n, pl_regex **out)
{
	const char *p = str_of(n);
	pl_error rerr;
	pl_error_clear(&rerr);
	if (!p)
		return fail(c, PL_EPARSE, n, "a pattern must be a string");
	if (pl_regex_new(out, p, c->no_jit ? PL_REGEX_NO_JIT : 0, &rerr) != 0)
		return fail(c, PL_EPARSE, n, "%s", rerr.msg);
	pl_vec_append(&c->s->regexes, out);
	return 0;
}

static int object_kws(cctx *c, pl_sn *sn, const pl_node *m, const char *base)
{
	const pl_node *p = pl_node_get(m, "properties");
	const pl_node *pp = pl_node_get(m, "patternProperties");
	const pl_node *req = pl_node_get(m, "required");
	const pl_node *dr = pl_node_get(m, "dependentRequired");
	const pl_node *ds = pl_node_get(m, "dependentSchemas");
	const pl_node *dp = pl_node_get(m, "dependencies");
	const pl_node *deps[3] = {dr, ds, dp};
	size_t i, k, n = 0;
	pl_arena *a = &c->s->arena;

	if (p && p->kind == PL_NODE_MAPPING) {
		sn->props = pl_arena_zalloc(a, (p->u.map.len + 1) *
		                                       sizeof(*sn->props));
		for (i = 0; i < p->u.map.len; i++) {
			pl_sn_prop *pr = &sn->props[sn->nprops];
			const pl_node *key =
			        pl_node_deref(p->u.map.pairs[i].key);
			if (key->kind != PL_NODE_SCALAR)
				continue;
			pr->name = key->u.scalar.str;
			pr->len = key->u.scalar.len;
			pr->sn = compile(c, p->u.map.pairs[i].value, base);
			if (!pr->sn)
				return c->err->code;
			sn->nprops++;
		}
	} else if (p) {
		return fail(c, PL_EPARSE, p, "properties must be an object");
	}
	if (pp && pp->kind == PL_NODE_MAPPING) {
		sn->patterns = pl_arena_zalloc(
		        a, (pp->u.map.len + 1) * sizeof(*sn->patterns));
		for (i = 0; i < pp->u.map.len; i++) {
			pl_sn_pattern *pt = &sn->patterns[i];
			if (regex_of(c, pp->u.map.pairs[i].key, &pt->re))
				return c->err->code;
			pt->sn = compile(c, pp->u.map.pairs[i].value, base);
			if (!pt->sn)
				return c->err->code;
		}
		sn->npatterns = pp->u.map.len;
	} else if (pp) {
		return fail(c, PL_EPARSE, pp,
		            "patternProperties must be an object");
	}
	if (req && names_kw(c, req, "required"))
		return c->err->code;
	sn->required = req;
	for (k = 0; k < 3; k++) {
		if (deps[k] && deps[k]->kind != PL_NODE_MAPPING)
			return fail(c, PL_EPARSE, deps[k],
			            "dependencies must be an object");
		if (deps[k])
			n += deps[k]->u.map.len;
	}
	sn->deps = pl_arena_zalloc(a, (n + 1) * sizeof(*sn->deps));
	for (k = 0; k < 3; k++) {
		for (i = 0; deps[k] && i < deps[k]->u.map.len; i++) {
			const pl_pair *pr = &deps[k]->u.map.pairs[i];
			const pl_node *key = pl_node_deref(pr->key),
			              *v = pl_node_deref(pr->value);
			pl_sn_dep *d = &sn->deps[sn->ndeps];
			if (key->kind != PL_NODE_SCALAR)
				continue;
			d->name = key->u.scalar.str;
			d->len = key->u.scalar.len;
			if (v->kind == PL_NODE_SEQUENCE && k != 1) {
				if (names_kw(c, v, "dependentRequired"))
					return c->err->code;
				d->required = v;
			} else if (k != 0) {
				d->sn = compile(c, v, base);
				if (!d->sn)
					return c->err->code;
			} else {
				return fail(c, PL_EPARSE, v,
				            "dependentRequired values must be "
				            "arrays of strings");
			}
			sn->ndeps++;
		}
	}
	if (sub(c, m, "additionalProperties", base, &sn->additional) ||
	    sub(c, m, "propertyNames", base, &sn->property_names) ||
	    count_kw(c, m, "minProperties", &sn->min_props) ||
	    count_kw(c, m, "maxProperties", &sn->max_props))
		return c->err->code;
	if (c->draft != PL_SCHEMA_DRAFT_7 &&
	    sub(c, m, "unevaluatedProperties", base, &sn->unevaluated_props))
		return c->err->code;
	return 0;
}

static bool flag(const pl_node *m, const char *kw)
{
	const pl_node *n = pl_node_get(m, kw);
	return n && n->kind == PL_NODE_SCALAR && n->type == PL_TYPE_BOOL &&
	       n->u.scalar.b;
}

static int array_kws(cctx *c, pl_sn *sn, const pl_node *m, const char *base)
{
	const pl_node *it = pl_node_get(m, "items");
	bool modern = c->draft != PL_SCHEMA_DRAFT_7;

	if (it && it->kind == PL_NODE_SEQUENCE) {
		/* draft-07 §9.3.1.1: an array of schemas, one per position */
		if (list(c, m, "items", base, &sn->prefix) ||
		    sub(c, m, "additionalItems", base, &sn->items))
			return c->err->code;
	} else {
		if (modern && list(c, m, "prefixItems", base, &sn->prefix))
			return c->err->code;
		if (sub(c, m, "items", base, &sn->items))
			return c->err->code;
	}
	sn->unique = flag(m, "uniqueItems");
	if (sub(c, m, "contains", base, &sn->contains) ||
	    count_kw(c, m, "minItems", &sn->min_items) ||
	    count_kw(c, m, "maxItems", &sn->max_items))
		return c->err->code;
	sn->min_contains = 1;
	sn->max_contains = -1;
	if (modern && sn->contains &&
	    (count_kw(c, m, "minContains", &sn->min_contains) ||
	     count_kw(c, m, "maxContains", &sn->max_contains)))
		return c->err->code;
	if (sn->min_contains < 0)
		sn->min_contains = 1;
	if (modern &&
	    sub(c, m, "unevaluatedItems", base, &sn->unevaluated_items))
		return c->err->code;
	return 0;
}

/* draft-04 and OpenAPI 3.0: exclusiveMaximum: true turns maximum into
 * an exclusive bound; a number is the draft-06+ bound itself. */
static int bound_kws(cctx *c, pl_sn *sn, const pl_node *m)
{
	const pl_node *xmin = pl_node_get(m, "exclusiveMinimum");
	const pl_node *xmax = pl_node_get(m, "exclusiveMaximum");
	bool bmin = xmin && xmin->kind == PL_NODE_SCALAR &&
	            xmin->type == PL_TYPE_BOOL;
	bool bmax = xmax && xmax->kind == PL_NODE_SCALAR &&
	            xmax->type == PL_TYPE_BOOL;

	if (num_kw(c, m, "minimum", &sn->minimum) ||
	    num_kw(c, m, "maximum", &sn->maximum) ||
	    (!bmin && num_kw(c, m, "exclusiveMinimum", &sn->xminimum)) ||
	    (!bmax && num_kw(c, m, "exclusiveMaximum", &sn->xmaximum)) ||
	    num_kw(c, m, "multipleOf", &sn->multiple))
		return c->err->code;
	if (bmin && xmin->u.scalar.b && sn->minimum.set) {
		sn->xminimum = sn->minimum;
		sn->minimum.set = false;
	}
	if (bmax && xmax->u.scalar.b && sn->maximum.set) {
		sn->xmaximum = sn->maximum;
		sn->maximum.set = false;
	}
	if (sn->multiple.set && !(sn->multiple.v > 0))
		return fail(c, PL_EPARSE, pl_node_get(m, "multipleOf"),
		            "multipleOf must be greater than 0");
	return 0;
}

static int string_kws(cctx *c, pl_sn *sn, const pl_node *m)
{
	const pl_node *pat = pl_node_get(m, "pattern");
	const char *fmt = str_of(pl_node_get(m, "format"));
	if (count_kw(c, m, "minLength", &sn->min_len) ||
	    count_kw(c, m, "maxLength", &sn->max_len))
		return c->err->code;
	if (pat && regex_of(c, pat, &sn->pattern))
		return c->err->code;
	sn->pattern_node = pat;
	if (fmt)
		sn->format = pl_schema__format_of(fmt);
	return 0;
}

static int value_kws(cctx *c, pl_sn *sn, const pl_node *m)
{
	const pl_node *e = pl_node_get(m, "enum");
	if (type_kw(c, sn, m))
		return c->err->code;
	if (e && e->kind != PL_NODE_SEQUENCE)
		return fail(c, PL_EPARSE, e, "enum must be an array");
	sn->enum_vals = e;
	sn->const_val = pl_node_get(m, "const");
	sn->has_const = pl_node_get_pair(m, "const") != NULL;
	sn->nullable = c->null_is_absent || flag(m, "nullable");
	sn->int_or_string = flag(m, "x-kubernetes-int-or-string");
	sn->preserve_unknown = flag(m, "x-kubernetes-preserve-unknown-fields");
	sn->embedded_resource = flag(m, "x-kubernetes-embedded-resource");
	pl_schema__cel_compile(c->s, sn, m);
	return 0;
}

static int applicator_kws(cctx *c, pl_sn *sn, const pl_node *m,
                          const char *base)
{
	const pl_node *defs[2] = {pl_node_get(m, "$defs"),
	                          pl_node_get(m, "definitions")};
	size_t i, k;

	if (list(c, m, "allOf", base, &sn->all_of) ||
	    list(c, m, "anyOf", base, &sn->any_of) ||
	    list(c, m, "oneOf", base, &sn->one_of) ||
	    sub(c, m, "not", base, &sn->not_) ||
	    sub(c, m, "if", base, &sn->if_))
		return c->err->code;
	/* then and else compile without if too: a $ref may name them */
	if (sub(c, m, "then", base, &sn->then_) ||
	    sub(c, m, "else", base, &sn->else_))
		return c->err->code;
	/* compiled now so that the $ids inside them are registered */
	for (k = 0; k < 2; k++) {
		if (!defs[k] || defs[k]->kind != PL_NODE_MAPPING)
			continue;
		for (i = 0; i < defs[k]->u.map.len; i++)
			if (!compile(c, defs[k]->u.map.pairs[i].value, base))
				return c->err->code;
	}
	return 0;
}

static pl_sn *compile(cctx *c, const pl_node *n, const char *base)
{
	pl_sn *sn;
	const pl_node *ref;
	bool only_ref;

	n = pl_node_deref(n);
	sn = pl_map_get(&c->memo, (const char *)&n, sizeof(n));
	if (sn)
		return sn;
	if (c->depth >= PL_SCHEMA_MAX_DEPTH) {
		fail(c, PL_ELIMIT, n, "schema nested deeper than %d",
		     PL_SCHEMA_MAX_DEPTH);
		return NULL;
	}
	if (n->kind == PL_NODE_SCALAR && n->type == PL_TYPE_BOOL) {
		sn = pl_arena_zalloc(&c->s->arena, sizeof(*sn));
		sn->src = n;
		sn->boolean = n->u.scalar.b;
		return sn;
	}
	if (n->kind != PL_NODE_MAPPING) {
		fail(c, PL_EPARSE, n,
		     "expected a schema (an object or a boolean), got %s",
		     n->kind == PL_NODE_SEQUENCE ? "an array"
		                                 : pl_type_name(n->type));
		return NULL;
	}
	sn = pl_arena_zalloc(&c->s->arena, sizeof(*sn));
	{
		const pl_node **key = pl_arena_alloc(&c->s->arena, sizeof(n));
		*key = n;
		pl_map_put(&c->memo, (const char *)key, sizeof(n), sn, NULL);
	}
	sn->src = n;
	sn->boolean = -1;
	sn->min_items = sn->max_items = sn->min_len = sn->max_len = -1;
	sn->min_props = sn->max_props = sn->min_contains = -1;
	sn->max_contains = -1;
	base = identify(c, n, base);
	ref = pl_node_get(n, "$ref");
	if (!ref && c->draft != PL_SCHEMA_DRAFT_7)
		ref = pl_node_get(n, "$dynamicRef");
	if (ref && !str_of(ref)) {
		fail(c, PL_EPARSE, ref, "$ref must be a string");
		return NULL;
	}
	if (ref) {
		sn->ref_node = ref;
		sn->ref_base = base;
		pl_vec_append(&c->pending, &sn);
	}
	only_ref = ref && c->draft == PL_SCHEMA_DRAFT_7;
	c->depth++;
	if (only_ref) {
		/* draft-07 §8.3: siblings of $ref are ignored, but what they
		 * hold can still be the target of a pointer */
		c->depth--;
		return sn;
	}
	if (value_kws(c, sn, n) || object_kws(c, sn, n, base) ||
	    array_kws(c, sn, n, base) || bound_kws(c, sn, n) ||
	    string_kws(c, sn, n) || applicator_kws(c, sn, n, base)) {
		c->depth--;
		return NULL;
	}
	c->depth--;
	return sn;
}

/* --- $ref resolution ------------------------------------------------- */

/* Decodes one JSON pointer token (RFC 6901: ~1 is '/', ~0 is '~') after
 * percent-decoding (the pointer is a URI fragment). */
static size_t pointer_token(const char *p, char *out, size_t size)
{
	size_t n = 0;
	while (*p && *p != '/' && n + 1 < size) {
		char ch = *p++;
		if (ch == '%' && isxdigit_ascii(p[0]) && isxdigit_ascii(p[1])) {
			char hex[3] = {p[0], p[1], '\0'};
			ch = (char)strtol(hex, NULL, 16);
			p += 2;
		}
		if (ch == '~' && (*p == '0' || *p == '1')) {
			ch = *p == '0' ? '~' : '/';
			p++;
		}
		out[n++] = ch;
	}
	out[n] = '\0';
	return n;
}

static const pl_node *walk_pointer(const pl_node *n, const char *p)
{
	char tok[512];
	while (n && *p == '/') {
		p++;
		pointer_token(p, tok, sizeof(tok));
		while (*p && *p != '/')
			p++;
		n = pl_node_deref(n);
		if (n->kind == PL_NODE_MAPPING) {
			n = pl_node_get(n, tok);
		} else if (n->kind == PL_NODE_SEQUENCE) {
			char *end;
			long i = strtol(tok, &end, 10);
			if (*end || end == tok || i < 0 ||
			    (size_t)i >= n->u.seq.len)
				return NULL;
			n = n->u.seq.items[i];
		} else {
			return NULL;
		}
	}
	return n;
}

static int resolve(cctx *c, pl_sn *sn)
{
	const char *ref = str_of(sn->ref_node);
	pl_arena *a = &c->s->arena;
	char *uri = resolve_uri(a, sn->ref_base, ref), *frag;
	const resource *r;
	const pl_node *target;

	frag = strchr(uri, '#');
	if (frag)
		*frag++ = '\0';
	r = pl_map_get(&c->ids, uri, strlen(uri));
	if (!r)
		return fail(c, PL_ENOTFOUND, sn->ref_node,
		            "$ref '%s' names another document: remote "
		            "references are not fetched",
		            ref);
	if (!frag || !*frag) {
		target = r->node;
	} else if (frag[0] == '/') {
		target = walk_pointer(r->node, frag);
	} else {
		char *key = pl_arena_printf(a, "%s#%s", uri, frag);
		const resource *an = pl_map_get(&c->ids, key, strlen(key));
		target = an ? an->node : NULL;
	}
	if (!target)
		return fail(c, PL_EPARSE, sn->ref_node,
		            "$ref '%s' names nothing in the schema", ref);
	sn->ref = compile(c, target, r->base);
	return sn->ref ? 0 : c->err->code;
}

static pl_schema_draft draft_of(const pl_node *root, pl_schema_draft want)
{
	const char *s;
	if (want != PL_SCHEMA_DRAFT_AUTO)
		return want;
	s = root->kind == PL_NODE_MAPPING ? str_of(pl_node_get(root, "$schema"))
	                                  : NULL;
	if (s && (strstr(s, "draft-07") || strstr(s, "draft-06") ||
	          strstr(s, "draft-04")))
		return PL_SCHEMA_DRAFT_7;
	return PL_SCHEMA_DRAFT_2020_12;
}

int pl_schema_new(pl_schema **out, const pl_node *root,
                  const pl_schema_opts *opts, pl_error *err)
{
	pl_schema_opts none = {PL_SCHEMA_DRAFT_AUTO, NULL, false, false, false};
	pl_error dummy;
	pl_schema *s;
	cctx c;
	size_t i;
	int rc = 0;

	*out = NULL;
	if (!opts)
		opts = &none;
	if (!err)
		err = &dummy;
	pl_error_clear(err);
	root = pl_node_deref(root);
	if (!root)
		return pl_error_set(err, PL_EPARSE, opts->path, NULL,
		                    "not a schema: the document is empty");
	s = pl_xcalloc(1, sizeof(*s));
	pl_arena_init(&s->arena);
	pl_vec_init(&s->regexes, sizeof(pl_regex *));
	pl_vec_init(&s->cel_problems, sizeof(pl_schema_error));
	s->format_annotation = opts->format_annotation;
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.draft = draft_of(root, opts->draft);
	c.path = opts->path;
	c.null_is_absent = opts->null_is_absent;
	c.no_jit = opts->no_jit;
	c.err = err;
	pl_map_init(&c.memo);
	pl_map_init(&c.ids);
	pl_vec_init(&c.pending, sizeof(pl_sn *));
	put_id(&c, "", root, "");
	s->root = compile(&c, root, "");
	if (!s->root)
		rc = err->code;
	for (i = 0; rc == 0 && i < c.pending.len; i++)
		rc = resolve(&c, *(pl_sn **)pl_vec_at(&c.pending, i));
	pl_map_release(&c.memo);
	pl_map_release(&c.ids);
	pl_vec_release(&c.pending);
	if (rc) {
		pl_schema_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void pl_schema_free(pl_schema *s)
{
	size_t i;
	if (!s)
		return;
	for (i = 0; i < s->regexes.len; i++)
		pl_regex_free(*(pl_regex **)pl_vec_at(&s->regexes, i));
	pl_vec_release(&s->regexes);
	pl_vec_release(&s->cel_problems);
	pl_arena_release(&s->arena);
	free(s);
}

const pl_schema_error *pl_schema_problems(const pl_schema *s, size_t *n)
{
	*n = s->cel_problems.len;
	return s->cel_problems.len ? pl_vec_at(&s->cel_problems, 0) : NULL;
}
