/*
 * shape.c - the shape checker of plumb's own inputs (shape.h).
 *
 * The schema holds its own source, arena and tree: a pl_shape borrows
 * nothing. Messages use the words of YAML files (a key, not a
 * property) and say where the problem is by its path in the file
 * (`rules[0].match`), then what is wrong.
 */
#include "schema/shape.h"
#include "base/buf.h"
#include "base/similar.h"
#include "base/xalloc.h"
#include "source/source.h"
#include "tree/load.h"

/* How the engine starts a `required` error. */
#define MISSING "missing required property "

struct pl_shape {
	pl_source src;
	pl_arena arena;
	pl_tree tree;
	pl_schema *schema;
};

void pl_shape_free(pl_shape *s)
{
	if (!s)
		return;
	pl_schema_free(s->schema);
	pl_arena_release(&s->arena);
	pl_source_release(&s->src);
	free(s);
}

int pl_shape_new(pl_shape **out, const char *name, const char *data, size_t len,
                 pl_error *err)
{
	pl_schema_opts opts = {PL_SCHEMA_DRAFT_AUTO, name, false, false, true};
	pl_shape *s = pl_xcalloc(1, sizeof(*s));
	char *copy = pl_xmalloc(len + 1);
	pl_limits limits;
	int rc = 0;

	*out = NULL;
	memcpy(copy, data, len);
	copy[len] = '\0';
	pl_limits_default(&limits);
	pl_source_init(&s->src);
	pl_arena_init(&s->arena);
	pl_source_read_mem(&s->src, name, copy, len, &limits);
	pl_tree_load(&s->tree, &s->arena, &s->src, &limits);
	if (s->tree.problem != PL_TREE_OK)
		rc = pl_error_set(err, PL_EPARSE, name, &s->tree.where, "%s",
		                  s->tree.message);
	else if (s->tree.ndocs != 1 || !s->tree.docs[0].root)
		rc = pl_error_set(err, PL_EPARSE, name, NULL,
		                  "not a schema: want exactly one document");
	else
		rc = pl_schema_new(&s->schema, s->tree.docs[0].root, &opts,
		                   err);
	if (rc) {
		pl_shape_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

/* Which error a user reads first: the earliest in the file; at one
 * place, the one about a key before the one about its mapping. */
static int rank(const pl_schema_error *e)
{
	if (strcmp(e->keyword, "additionalProperties") == 0)
		return 0;
	if (strcmp(e->keyword, "oneOf") == 0 ||
	    strcmp(e->keyword, "anyOf") == 0)
		return 1;
	if (strcmp(e->keyword, "required") == 0)
		return 2;
	return 3;
}

static bool earlier(const pl_schema_error *e, const pl_schema_error *than)
{
	size_t a = e->node->span.start.offset,
	       b = than->node->span.start.offset;
	return a < b || (a == b && rank(e) < rank(than));
}

static size_t parent_len(const char *path);

static const pl_schema_error *first_error(const pl_schema_result *r)
{
	const pl_schema_error *best = NULL, *key = NULL;
	size_t i, n;
	for (i = 0; i < r->errors.len; i++) {
		const pl_schema_error *e = pl_vec_at(&r->errors, i);
		if (!best || earlier(e, best))
			best = e;
	}
	if (rank(best) == 0 || rank(best) == 3)
		return best;
	/* a mapping that misses a key or matches no branch: an unknown key
	 * in it (a misspelt one, most often) says why */
	n = strlen(best->path);
	for (i = 0; i < r->errors.len; i++) {
		const pl_schema_error *e = pl_vec_at(&r->errors, i);
		if (rank(e) == 0 && parent_len(e->path) == n &&
		    strncmp(e->path, best->path, n) == 0 &&
		    (!key || earlier(e, key)))
			key = e;
	}
	return key ? key : best;
}

/* The path of the mapping that holds the key at path: "rules[0].match"
 * for "rules[0].match.kind", "" for a top-level key. */
static size_t parent_len(const char *path)
{
	size_t n = strlen(path);
	if (n && path[n - 1] == ']') {
		while (n && path[n - 1] != '[')
			n--;
		return n ? n - 1 : 0;
	}
	while (n && path[n - 1] != '.')
		n--;
	return n ? n - 1 : 0;
}

static void unknown_key(pl_buf *b, const pl_schema_error *e)
{
	const char *key = e->node->u.scalar.str;
	size_t at = parent_len(e->path), i;
	const char *best = pl_similar_best(key, e->expected, e->nexpected,
	                                   strlen(key) > 4 ? 3 : 2);
	pl_buf_addf(b, "unknown key '%s'", key);
	if (at)
		pl_buf_addf(b, " in %.*s", (int)at, e->path);
	if (best) {
		pl_buf_addf(b, " (did you mean '%s'?)", best);
		return;
	}
	if (!e->nexpected)
		return;
	pl_buf_adds(b, " (expected ");
	for (i = 0; i < e->nexpected; i++)
		pl_buf_addf(b, "%s%s", i ? ", " : "", e->expected[i]);
	pl_buf_addc(b, ')');
}

/* A string outside an enum of strings: the closest value, if any. */
static const char *enum_guess(const pl_schema_error *e)
{
	const char *names[32];
	size_t i, n = 0;
	const pl_node *v = e->node;
	if (!e->schema || e->schema->kind != PL_NODE_SEQUENCE ||
	    v->kind != PL_NODE_SCALAR || v->type != PL_TYPE_STRING)
		return NULL;
	for (i = 0; i < e->schema->u.seq.len && n < 32; i++) {
		const pl_node *x = pl_node_deref(e->schema->u.seq.items[i]);
		if (x->kind == PL_NODE_SCALAR && x->type == PL_TYPE_STRING)
			names[n++] = x->u.scalar.str;
	}
	return pl_similar_best(v->u.scalar.str, names, n, 2);
}

static void message(pl_buf *b, const pl_schema_error *e)
{
	const char *guess;
	if (strcmp(e->keyword, "additionalProperties") == 0 &&
	    e->node->kind == PL_NODE_SCALAR) {
		unknown_key(b, e);
		return;
	}
	if (*e->path)
		pl_buf_addf(b, "%s: ", e->path);
	if (strcmp(e->keyword, "required") == 0 &&
	    strncmp(e->message, MISSING, strlen(MISSING)) == 0) {
		pl_buf_addf(b, "missing required key %s",
		            e->message + strlen(MISSING));
		return;
	}
	pl_buf_adds(b, e->message);
	guess = strcmp(e->keyword, "enum") == 0 ? enum_guess(e) : NULL;
	if (guess)
		pl_buf_addf(b, " (did you mean \"%s\"?)", guess);
}

/* The first key of n, at any depth, that is not a scalar: JSON Schema
 * knows string keys only, and loaders read keys as text. */
static const pl_node *complex_key(const pl_node *n, unsigned depth)
{
	const pl_node *bad = NULL;
	size_t i;
	n = pl_node_deref(n);
	if (!n || depth > PL_SCHEMA_MAX_DEPTH)
		return NULL;
	if (n->kind == PL_NODE_SEQUENCE)
		for (i = 0; !bad && i < n->u.seq.len; i++)
			bad = complex_key(n->u.seq.items[i], depth + 1);
	if (n->kind != PL_NODE_MAPPING)
		return bad;
	for (i = 0; !bad && i < n->u.map.len; i++) {
		const pl_node *k = pl_node_deref(n->u.map.pairs[i].key);
		if (!k || k->kind != PL_NODE_SCALAR)
			return k ? k : n;
		bad = complex_key(n->u.map.pairs[i].value, depth + 1);
	}
	return bad;
}

int pl_shape_check(const pl_shape *s, const pl_node *root, const char *path,
                   int code, pl_shape_explain explain, void *ud, pl_error *err)
{
	pl_schema_result r;
	const pl_schema_error *e;
	const pl_node *bad;
	pl_buf b;
	int rc = 0;

	if ((bad = complex_key(root, 0)))
		return pl_error_set(err, code, path, &bad->span.start,
		                    "a key must be a scalar, not a %s",
		                    pl_node_kind_name(bad->kind));
	pl_schema_result_init(&r);
	if (!pl_schema_validate(&r, s->schema, root, PL_SCHEMA_EXPLAIN, NULL)) {
		e = first_error(&r);
		if (explain)
			rc = explain(ud, e, err);
		if (!rc) {
			pl_buf_init(&b, 0);
			message(&b, e);
			rc = pl_error_set(err, code, path, &e->node->span.start,
			                  "%s", b.ptr);
			pl_buf_release(&b);
		}
	}
	pl_schema_result_release(&r);
	return rc;
}
