/*
 * decl_eval.c - running a compiled declarative rule on one object.
 *
 * match decides whether the object is the rule's business; target picks
 * the nodes to check (the object, each pod spec, each container, env
 * entry or parsed image); assert is evaluated on each in three-valued
 * logic: env-defines is unknown when an envFrom source is not in the
 * repository, and an unknown outcome is reported at info ("cannot be
 * checked") instead of failing. A failure is reported at the most
 * specific node: the failing value, else the container's env list or
 * image, else the target; a missing variable's finding names the envFrom
 * sources found in the repository as related places.
 */
#include "rule/decl_impl.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/utf8.h"
#include "lib/image.h"
#include "model/image_override.h"
#include "model/workload.h"
#include "base/quote.h"

#include <fnmatch.h>

typedef enum tri { T_FALSE, T_TRUE, T_UNKNOWN } tri;

/* A value at a path: a node of the tree or a field of a parsed image. */
typedef struct val {
	bool present;
	const pl_node *node; /* NULL for image fields */
	const char *s;       /* scalar text */
	size_t len;
} val;

typedef struct ev {
	pl_ctx *ctx;
	const pl_object *obj;
	const pl_decl_rule *r;
	const pl_node *root;     /* paths start here (not for images) */
	const pl_image *img;     /* image target */
	const pl_container *c;   /* container, env and image targets */
	const pl_node *env_name; /* env target */
	/* the value operator that decided, for the finding */
	const pl_decl_cond *fail;
	val fail_val;
	pl_buf missing;
	const char *unknown; /* the envFrom source not in the repository */
	const pl_decl_cond *limit_hit; /* a regex that hit pcre2's limit */
	const char *unknown_kind;
} ev;

/* --- values ------------------------------------------------------------- */

static val resolve(const ev *e, const pl_decl_cond *c)
{
	val v;
	const pl_node *n = e->root;
	size_t i;

	memset(&v, 0, sizeof(v));
	if (e->img) {
		const char *s = NULL;
		if (c->nsteps == 1) {
			const char *k = c->steps[0].key;
			if (!k)
				s = NULL;
			else if (strcmp(k, "registry") == 0)
				s = e->img->registry;
			else if (strcmp(k, "repository") == 0)
				s = e->img->repository;
			else if (strcmp(k, "tag") == 0)
				s = e->img->tag;
			else if (strcmp(k, "digest") == 0)
				s = e->img->digest;
		}
		if (s) {
			v.present = true;
			v.s = s;
			v.len = strlen(s);
		}
		return v;
	}
	for (i = 0; n && i < c->nsteps; i++) {
		const pl_decl_step *st = &c->steps[i];
		n = pl_node_deref(n);
		if (st->key)
			n = n && n->kind == PL_NODE_MAPPING
			            ? pl_node_get(n, st->key)
			            : NULL;
		else
			n = n && n->kind == PL_NODE_SEQUENCE &&
			                    st->index < n->u.seq.len
			            ? pl_node_deref(n->u.seq.items[st->index])
			            : NULL;
	}
	n = pl_node_deref(n);
	if (!n)
		return v;
	v.present = true;
	v.node = n;
	if (n->kind == PL_NODE_SCALAR) {
		v.s = n->u.scalar.str;
		v.len = n->u.scalar.len;
	}
	return v;
}

static bool scalar_equals(const pl_node *want, const val *v)
{
	if (!v->s)
		return false;
	if (want->type == PL_TYPE_STRING || !v->node)
		return v->len == want->u.scalar.len &&
		       memcmp(v->s, want->u.scalar.str, v->len) == 0;
	/* numbers and booleans compare as what they are */
	if (v->node->kind != PL_NODE_SCALAR)
		return false;
	if (want->type == PL_TYPE_BOOL)
		return v->node->type == PL_TYPE_BOOL &&
		       v->node->u.scalar.b == want->u.scalar.b;
	if (want->type == PL_TYPE_INT || want->type == PL_TYPE_FLOAT) {
		if (v->node->type != PL_TYPE_INT &&
		    v->node->type != PL_TYPE_FLOAT)
			return false;
		return pl_node_number(v->node) == pl_node_number(want);
	}
	return v->node->type == want->type; /* null */
}

static bool is_type(const val *v, const char *t)
{
	const pl_node *n = v->node;
	if (!n)
		return strcmp(t, "string") == 0 && v->s;
	if (strcmp(t, "mapping") == 0)
		return n->kind == PL_NODE_MAPPING;
	if (strcmp(t, "sequence") == 0)
		return n->kind == PL_NODE_SEQUENCE;
	if (n->kind != PL_NODE_SCALAR)
		return false;
	if (strcmp(t, "string") == 0)
		return n->type == PL_TYPE_STRING;
	if (strcmp(t, "number") == 0)
		return n->type == PL_TYPE_INT || n->type == PL_TYPE_FLOAT;
	if (strcmp(t, "bool") == 0)
		return n->type == PL_TYPE_BOOL;
	return n->type == PL_TYPE_NULL;
}

static bool within(const pl_decl_cond *c, double x)
{
	return (!c->has_min || x >= c->min) && (!c->has_max || x <= c->max);
}

static bool value_holds(ev *e, const pl_decl_cond *c, const val *v)
{
	size_t i;
	switch (c->op) {
	case PL_DECL_EXISTS:
		return v->present == c->want;
	case PL_DECL_EQUALS:
		return v->present && scalar_equals(c->value, v);
	case PL_DECL_CONTAINS:
		if (!v->node || v->node->kind != PL_NODE_SEQUENCE)
			return false;
		for (i = 0; i < v->node->u.seq.len; i++) {
			const pl_node *x =
			        pl_node_deref(v->node->u.seq.items[i]);
			val xv;
			memset(&xv, 0, sizeof(xv));
			if (!x || x->kind != PL_NODE_SCALAR)
				continue;
			xv.present = true;
			xv.node = x;
			xv.s = x->u.scalar.str;
			xv.len = x->u.scalar.len;
			if (scalar_equals(c->value, &xv))
				return true;
		}
		return false;
	case PL_DECL_ONE_OF:
		for (i = 0; v->present && i < c->value->u.seq.len; i++)
			if (scalar_equals(
			            pl_node_deref(c->value->u.seq.items[i]), v))
				return true;
		return false;
	case PL_DECL_REGEX: {
		pl_match m;
		int rc;
		if (!v->s)
			return false;
		rc = pl_regex_match(c->re, v->s, v->len, 0, &m,
		                    pl_ctx_scratch(e->ctx));
		/* the match limit ended it: neither true nor false (the
		 * caller turns this into "cannot be checked") */
		if (rc == PL_ELIMIT)
			e->limit_hit = c;
		return rc == 1;
	}
	case PL_DECL_BOUNDS:
		if (!v->node || v->node->kind != PL_NODE_SCALAR)
			return false;
		if (v->node->type != PL_TYPE_INT &&
		    v->node->type != PL_TYPE_FLOAT)
			return false;
		return within(c, pl_node_number(v->node));
	case PL_DECL_LENGTH:
		if (v->s)
			return within(c, (double)pl_utf8_count(v->s, v->len));
		if (v->node && v->node->kind == PL_NODE_SEQUENCE)
			return within(c, (double)v->node->u.seq.len);
		if (v->node && v->node->kind == PL_NODE_MAPPING)
			return within(c, (double)v->node->u.map.len);
		return false;
	case PL_DECL_SEMVER: {
		pl_semver sv;
		return v->s && pl_semver_tag(&sv, v->s, v->len, NULL) == 0 &&
		       pl_semver_range_match(c->range, &sv);
	}
	case PL_DECL_TYPE:
		return v->present && is_type(v, c->type);
	default:
		return false;
	}
}

/* --- env ------------------------------------------------------------------ */

static const pl_object *lookup(void *arg, const char *kind, const char *ns,
                               const char *name, const pl_object *prev)
{
	const pl_model *m = arg;
	return prev ? pl_model_next(m, prev, NULL)
	            : pl_model_get(m, NULL, kind, ns, name);
}

/*
 * The container's envFrom sources: without `related`, records the first
 * one not in the repository (e->unknown); with it, names each one found
 * as a related place of the finding just emitted, where the variables it
 * lacks could be set instead.
 */
static void env_sources(ev *e, bool related)
{
	pl_env_iter it;
	pl_env_from ef;
	pl_env_from_iter_init(&it, e->c);
	while (pl_env_from_next(&it, &ef)) {
		const char *kind = ef.source == PL_ENV_FROM_SECRET
		                           ? "Secret"
		                           : "ConfigMap";
		const pl_object *o;
		const pl_node *n;
		if (!ef.name || ef.name->kind != PL_NODE_SCALAR)
			continue;
		o = lookup((void *)pl_ctx_model(e->ctx), kind,
		           e->obj->effective_namespace, ef.name->u.scalar.str,
		           NULL);
		n = o ? pl_node_get(pl_node_get(o->root, "metadata"), "name")
		      : NULL;
		if (related && n) {
			pl_emit_related(
			        e->ctx, pl_object_where(o, n), n,
			        "%s '%s', which the container takes its "
			        "variables from",
			        kind, ef.name->u.scalar.str);
		} else if (!related && !o) {
			e->unknown = ef.name->u.scalar.str;
			e->unknown_kind = kind;
			return;
		}
	}
}

static tri env_defines(ev *e, const pl_decl_cond *c)
{
	size_t i;
	tri out = T_TRUE;
	const pl_model *m = pl_ctx_model(e->ctx);
	for (i = 0; i < c->nnames; i++) {
		pl_env_answer a = pl_container_env_defines(
		        e->c, c->names[i], e->obj->effective_namespace,
		        m ? lookup : NULL, (void *)m);
		if (a == PL_ENV_DEFINED)
			continue;
		if (a == PL_ENV_UNKNOWN) {
			if (out == T_TRUE)
				out = T_UNKNOWN;
			if (!e->unknown)
				env_sources(e, false);
			continue;
		}
		pl_buf_addf(&e->missing, "%s%s", e->missing.len ? ", " : "",
		            c->names[i]);
		out = T_FALSE;
	}
	return out;
}

/* --- [*]: every element --------------------------------------------------- */

static bool has_every(const pl_decl_cond *c)
{
	size_t i;
	for (i = 0; i < c->nsteps; i++)
		if (!c->steps[i].key && c->steps[i].index == PL_DECL_EVERY)
			return true;
	return false;
}

/*
 * Walks c's path from n at step i; at a [*] step the condition must hold
 * for each element (an absent or empty list holds). The failure is the
 * first element that does not hold.
 */
static bool every(ev *e, const pl_decl_cond *c, const pl_node *n, size_t i)
{
	val v;
	size_t k;
	n = pl_node_deref(n);
	for (; i < c->nsteps; i++) {
		const pl_decl_step *st = &c->steps[i];
		if (!st->key && st->index == PL_DECL_EVERY) {
			if (!n || n->kind != PL_NODE_SEQUENCE)
				return true;
			for (k = 0; k < n->u.seq.len; k++)
				if (!every(e, c, n->u.seq.items[k], i + 1))
					return false;
			return true;
		}
		if (st->key)
			n = n && n->kind == PL_NODE_MAPPING
			            ? pl_node_get(n, st->key)
			            : NULL;
		else
			n = n && n->kind == PL_NODE_SEQUENCE &&
			                    st->index < n->u.seq.len
			            ? pl_node_deref(n->u.seq.items[st->index])
			            : NULL;
	}
	memset(&v, 0, sizeof(v));
	if (n) {
		v.present = true;
		v.node = n;
		if (n->kind == PL_NODE_SCALAR) {
			v.s = n->u.scalar.str;
			v.len = n->u.scalar.len;
		}
	}
	e->fail = c;
	e->fail_val = v;
	return value_holds(e, c, &v);
}

/* --- conditions ----------------------------------------------------------- */

static tri eval(ev *e, const pl_decl_cond *c)
{
	size_t i;
	tri t, out;
	val v;

	switch (c->op) {
	case PL_DECL_ALL:
		out = T_TRUE;
		for (i = 0; i < c->nkids; i++) {
			t = eval(e, &c->kids[i]);
			if (t == T_FALSE)
				return T_FALSE;
			if (t == T_UNKNOWN)
				out = T_UNKNOWN;
		}
		return out;
	case PL_DECL_ANY:
		out = T_FALSE;
		for (i = 0; i < c->nkids; i++) {
			t = eval(e, &c->kids[i]);
			if (t == T_TRUE)
				return T_TRUE;
			if (t == T_UNKNOWN)
				out = T_UNKNOWN;
		}
		return out;
	case PL_DECL_NOT:
		t = eval(e, c->kids);
		return t == T_UNKNOWN ? T_UNKNOWN
		       : t == T_TRUE  ? T_FALSE
		                      : T_TRUE;
	case PL_DECL_ENV_DEFINES:
		t = e->c ? env_defines(e, c) : T_FALSE;
		if (t != T_TRUE)
			e->fail = NULL; /* the finding names {missing} */
		return t;
	default:
		/* the last value operator evaluated decides: all stops at
		 * the first false one, any tries them all, and not turns
		 * the true one it negates into the failure */
		if (has_every(c))
			return every(e, c, e->root, 0) ? T_TRUE : T_FALSE;
		v = resolve(e, c);
		e->fail = c;
		e->fail_val = v;
		if (value_holds(e, c, &v))
			return T_TRUE;
		return e->limit_hit == c ? T_UNKNOWN : T_FALSE;
	}
}

/* --- the finding ---------------------------------------------------------- */

static void add_text(pl_buf *b, const char *s, size_t n)
{
	char q[200];
	pl_quote(q, sizeof(q), s, n, 160);
	pl_buf_adds(b, q);
}

static void expand(pl_buf *b, const ev *e, const char *tmpl)
{
	const char *p = tmpl;
	while (*p) {
		const char *end = *p == '{' ? strchr(p, '}') : NULL;
		size_t n;
		if (!end) {
			pl_buf_addc(b, *p++);
			continue;
		}
		n = (size_t)(end - p - 1);
#define IS(k) (n == strlen(k) && strncmp(p + 1, k, n) == 0)
		if (IS("id"))
			pl_buf_adds(b, e->r->rule.id);
		else if (IS("kind"))
			pl_buf_adds(b, e->obj->kind ? e->obj->kind : "");
		else if (IS("name"))
			add_text(b, e->obj->name ? e->obj->name : "",
			         e->obj->name ? strlen(e->obj->name) : 0);
		else if (IS("namespace"))
			add_text(b,
			         e->obj->effective_namespace
			                 ? e->obj->effective_namespace
			                 : "",
			         e->obj->effective_namespace
			                 ? strlen(e->obj->effective_namespace)
			                 : 0);
		else if (IS("container"))
			add_text(b,
			         e->c && e->c->name && e->c->name->u.scalar.str
			                 ? e->c->name->u.scalar.str
			                 : "",
			         e->c && e->c->name ? e->c->name->u.scalar.len
			                            : 0);
		else if (IS("image"))
			add_text(b,
			         e->c && e->c->image ? e->c->image->u.scalar.str
			                             : "",
			         e->c && e->c->image ? e->c->image->u.scalar.len
			                             : 0);
		else if (IS("env"))
			add_text(b,
			         e->env_name ? e->env_name->u.scalar.str : "",
			         e->env_name ? e->env_name->u.scalar.len : 0);
		else if (IS("path"))
			pl_buf_adds(b, e->fail ? e->fail->path : "");
		else if (IS("value"))
			add_text(b,
			         e->fail_val.s         ? e->fail_val.s
			         : e->fail_val.present ? "(a collection)"
			                               : "(absent)",
			         e->fail_val.s ? e->fail_val.len
			         : e->fail_val.present
			                 ? strlen("(a collection)")
			                 : strlen("(absent)"));
		else if (IS("missing"))
			pl_buf_adds(b, e->missing.len ? e->missing.ptr : "");
		else
			pl_buf_add(b, p, n + 2);
#undef IS
		p = end + 1;
	}
}

static const pl_node *anchor(const ev *e)
{
	if (e->fail && e->fail_val.node)
		return e->fail_val.node;
	if (e->c && e->missing.len && e->c->env)
		return e->c->env;
	if (e->env_name)
		return e->env_name;
	if (e->c) {
		const pl_node *img = e->c->image;
		/* in a built object, an image that a kustomization's images:
		 * entry rewrote is written there; a finding on the container
		 * as a whole belongs where the container is (its name) */
		if (img && e->c->name && e->r->target != PL_DECL_IMAGE &&
		    pl_object_where(e->obj, img) !=
		            pl_object_where(e->obj, e->c->name))
			img = NULL;
		return img ? img : e->c->name ? e->c->name : e->c->node;
	}
	if (e->root && e->root != e->obj->root)
		return e->root;
	{
		const pl_node *name = pl_node_get(
		        pl_node_get(e->obj->root, "metadata"), "name");
		return name ? name : e->obj->root;
	}
}

static void check_target(ev *e)
{
	tri t;
	e->limit_hit = NULL;
	t = eval(e, &e->r->assert_);
	pl_buf msg;

	if (t == T_TRUE)
		return;
	pl_buf_init(&msg, 4096);
	if (t == T_UNKNOWN && e->limit_hit) {
		pl_buf_addf(&msg,
		            "cannot be checked: the regex of %s hit the pcre2 "
		            "match limit on this value (simplify the pattern)",
		            e->limit_hit->path ? e->limit_hit->path : "a path");
		pl_emit_sev(e->ctx, PL_SEV_INFO, anchor(e)->span, NULL, "%s",
		            msg.ptr);
	} else if (t == T_UNKNOWN) {
		pl_buf_addf(&msg, "cannot be checked: ");
		if (e->c && e->c->name)
			pl_buf_addf(&msg, "container '%s' ",
			            e->c->name->u.scalar.str);
		pl_buf_addf(&msg,
		            "takes its variables from %s '%s', which is not "
		            "in the repository",
		            e->unknown_kind ? e->unknown_kind : "a source",
		            e->unknown ? e->unknown : "?");
		pl_emit_sev(e->ctx, PL_SEV_INFO, anchor(e)->span, NULL, "%s",
		            msg.ptr);
	} else {
		const pl_node *at = anchor(e);
		pl_span span;
		pl_buf hint;
		memset(&span, 0, sizeof(span));
		if (at)
			span = at->span;
		pl_buf_init(&hint, 4096);
		expand(&msg, e, e->r->message);
		if (e->r->hint)
			expand(&hint, e, e->r->hint);
		pl_emit_hint(e->ctx, span, e->r->hint ? hint.ptr : NULL, "%s",
		             msg.ptr ? msg.ptr : "");
		if (e->c && e->missing.len && pl_ctx_model(e->ctx))
			env_sources(e, true);
		pl_buf_release(&hint);
	}
	pl_buf_release(&msg);
}

/* --- match ---------------------------------------------------------------- */

static bool any_regex(pl_ctx *ctx, pl_regex *const *res, size_t n,
                      const char *s)
{
	size_t i;
	pl_match m;
	if (!s)
		return false;
	for (i = 0; i < n; i++)
		if (pl_regex_match(res[i], s, strlen(s), 0, &m,
		                   pl_ctx_scratch(ctx)) == 1)
			return true;
	return false;
}

static bool object_matches(pl_ctx *ctx, const pl_decl_rule *r,
                           const pl_object *o)
{
	size_t i;
	if (!o->is_k8s)
		return false;
	if (r->napi_versions) {
		bool ok = false;
		for (i = 0; i < r->napi_versions; i++)
			ok = ok ||
			     strcmp(r->api_versions[i], o->api_version) == 0;
		if (!ok)
			return false;
	}
	if (r->nnamespaces && !any_regex(ctx, r->namespaces, r->nnamespaces,
	                                 o->effective_namespace))
		return false;
	if (r->nnames && !any_regex(ctx, r->names, r->nnames, o->name))
		return false;
	if (r->nfiles) {
		bool ok = false;
		for (i = 0; i < r->nfiles; i++)
			ok = ok ||
			     fnmatch(r->files[i], o->file->src.path, 0) == 0;
		if (!ok)
			return false;
	}
	if (r->nlabels) {
		const pl_node *labels =
		        pl_node_get(pl_node_get(o->root, "metadata"), "labels");
		for (i = 0; i < r->nlabels; i++) {
			const pl_node *v =
			        pl_node_get(labels, r->labels[i].key);
			pl_match m;
			if (!v || v->kind != PL_NODE_SCALAR ||
			    pl_regex_match(r->labels[i].re, v->u.scalar.str,
			                   v->u.scalar.len, 0, &m,
			                   pl_ctx_scratch(ctx)) != 1)
				return false;
		}
	}
	return true;
}

/* Does the container's image match one of the rule's image globs? With
 * none, every container does. *img gets the parsed image when it parses;
 * the image is parsed only when the rule has globs or judges images (most
 * rules of a pack do neither, and run once per container). */
static bool image_matches(const pl_decl_rule *r, const pl_container *c,
                          pl_arena *arena, pl_image *img, bool *parsed)
{
	pl_error err;
	pl_buf full, familiar;
	size_t i;
	bool ok = false;

	*parsed = false;
	if (!r->nimages && r->target != PL_DECL_IMAGE)
		return true;
	if (c->image && c->image->kind == PL_NODE_SCALAR) {
		pl_error_clear(&err);
		*parsed = pl_image_parse(img, arena, c->image->u.scalar.str,
		                         c->image->u.scalar.len, &err) == 0;
	}
	if (!r->nimages)
		return true;
	if (!*parsed)
		return false;
	pl_buf_init(&full, 1024);
	pl_buf_init(&familiar, 1024);
	pl_image_name(&full, img);
	pl_image_familiar_name(&familiar, img);
	for (i = 0; i < r->nimages && !ok; i++)
		ok = fnmatch(r->images[i], full.ptr ? full.ptr : "", 0) == 0 ||
		     fnmatch(r->images[i], familiar.ptr ? familiar.ptr : "",
		             0) == 0 ||
		     fnmatch(r->images[i], img->repository, 0) == 0;
	pl_buf_release(&full);
	pl_buf_release(&familiar);
	return ok;
}

/*
 * The container as kustomize and Flux leave it: when an `images:` entry of
 * the file's kustomizations (model.h) applies to its image, c->image and
 * c->node become copies in arena with the new reference (same spans, so
 * findings still point at the image as written).
 */
static void as_deployed(pl_container *c, const pl_file *f, pl_arena *arena)
{
	pl_node *img, *node;
	pl_buf eff;
	size_t i;

	if (!f->nimage_overrides || !c->image ||
	    c->image->kind != PL_NODE_SCALAR ||
	    c->node->kind != PL_NODE_MAPPING)
		return;
	pl_buf_init(&eff, 0);
	if (!pl_image_apply_overrides(
	            &eff, c->image->u.scalar.str, c->image->u.scalar.len,
	            f->image_overrides, f->nimage_overrides)) {
		pl_buf_release(&eff);
		return;
	}
	img = pl_arena_alloc(arena, sizeof(*img));
	*img = *c->image;
	img->u.scalar.str =
	        pl_arena_strndup(arena, eff.ptr ? eff.ptr : "", eff.len);
	img->u.scalar.len = eff.len;
	img->type = PL_TYPE_STRING;
	pl_buf_release(&eff);
	node = pl_arena_alloc(arena, sizeof(*node));
	*node = *c->node;
	node->u.map.pairs =
	        pl_arena_alloc(arena, c->node->u.map.len * sizeof(pl_pair));
	memcpy(node->u.map.pairs, c->node->u.map.pairs,
	       c->node->u.map.len * sizeof(pl_pair));
	for (i = 0; i < node->u.map.len; i++)
		if (pl_node_deref(node->u.map.pairs[i].value) == c->image)
			node->u.map.pairs[i].value = img;
	c->image = img;
	c->node = node;
}

static void check_containers(ev *e, const pl_node *pod)
{
	pl_container_iter it;
	pl_container c;
	pl_container_iter_init(&it, pod, e->r->containers);
	while (pl_container_next(&it, &c)) {
		pl_arena arena;
		pl_image img;
		bool parsed;
		pl_arena_init(&arena);
		as_deployed(&c, e->obj->file, &arena);
		if (!image_matches(e->r, &c, &arena, &img, &parsed)) {
			pl_arena_release(&arena);
			continue;
		}
		e->c = &c;
		if (e->r->target == PL_DECL_CONTAINER) {
			e->root = c.node;
			check_target(e);
		} else if (e->r->target == PL_DECL_IMAGE && parsed) {
			e->img = &img;
			check_target(e);
			e->img = NULL;
		} else if (e->r->target == PL_DECL_ENV) {
			pl_env_iter ei;
			pl_env_var v;
			pl_env_iter_init(&ei, &c);
			while (pl_env_next(&ei, &v)) {
				e->root = v.node;
				e->env_name = v.name;
				check_target(e);
				e->fail = NULL;
				pl_buf_reset(&e->missing);
			}
			e->env_name = NULL;
		}
		e->fail = NULL;
		e->unknown = NULL;
		e->limit_hit = NULL;
		pl_buf_reset(&e->missing);
		e->c = NULL;
		pl_arena_release(&arena);
	}
}

static bool runs_image(const pl_decl_rule *r, const pl_node *pod,
                       const pl_file *f)
{
	pl_container_iter it;
	pl_container c;
	bool seen = false;
	if (!pod)
		return false;
	pl_container_iter_init(&it, pod, r->containers);
	while (!seen && pl_container_next(&it, &c)) {
		pl_arena arena;
		pl_image img;
		bool parsed;
		pl_arena_init(&arena);
		as_deployed(&c, f, &arena);
		seen = image_matches(r, &c, &arena, &img, &parsed);
		pl_arena_release(&arena);
	}
	return seen;
}

void pl_decl__check(pl_ctx *ctx, const pl_object *obj)
{
	const pl_decl_rule *r = pl_ctx_state(ctx);
	const pl_node *pod = NULL;
	ev e;

	/* a kustomize patch is a partial object: "field missing" would be
	 * about the patch, not about what is deployed */
	if (!r || obj->file->kustomize_patch || !object_matches(ctx, r, obj))
		return;
	memset(&e, 0, sizeof(e));
	e.ctx = ctx;
	e.obj = obj;
	e.r = r;
	pl_buf_init(&e.missing, 4096);
	pl_workload_pod_spec(obj, &pod);
	switch (r->target) {
	case PL_DECL_OBJECT:
	case PL_DECL_POD:
		if (r->nimages && !runs_image(r, pod, obj->file))
			break; /* only workloads running a matching image */
		if (r->target == PL_DECL_POD && !pod)
			break;
		e.root = r->target == PL_DECL_POD ? pod : obj->root;
		check_target(&e);
		break;
	default:
		if (pod)
			check_containers(&e, pod);
		break;
	}
	pl_buf_release(&e.missing);
}
