/*
 * schema_check.c - validating a typed-tree instance against a compiled
 * schema (schema_impl.h).
 *
 * The walk: objects, arrays, unevaluated items and CEL rules here; the
 * value keywords in schema_scalar.c, the applicators in schema_union.c.
 *
 * Errors are recorded with the instance path built while descending.
 * Inside anyOf, oneOf, not, if and contains the outcome is all that
 * matters: those branches run `quiet` (nothing recorded, first failure
 * returns) and the applicator reports one error of its own (with
 * PL_SCHEMA_EXPLAIN, the errors of the branch the instance meant). Annotations
 * for unevaluatedProperties/Items (JSON Schema 2020-12 core §11) are a
 * mark per instance pair or item, collected only where a schema has
 * such a keyword, and kept from a subschema only when it succeeds.
 * $ref nesting without descending into the instance is bounded by
 * PL_SCHEMA_MAX_REF_DEPTH, so a schema that refers to itself ends.
 */
#include "schema/schema_cel.h"
#include "cel/cel_regex.h"
#include "base/utf8.h"

#include <math.h>

void pl_schema__record(pl_sv *v, const pl_node *inst, const char *kw,
                       const pl_node *schema, const char *fmt, ...)
{
	pl_schema_error *e;
	pl_buf msg;
	va_list ap;
	if (v->quiet)
		return;
	if (v->out->errors.len >= PL_SCHEMA_MAX_ERRORS) {
		v->out->dropped++;
		return;
	}
	pl_buf_init(&msg, 4096);
	va_start(ap, fmt);
	pl_buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	e = pl_vec_push(&v->out->errors);
	e->node = inst;
	e->path = pl_arena_strndup(&v->out->arena, v->path.ptr, v->path.len);
	e->keyword = kw;
	e->message = pl_arena_strndup(&v->out->arena, msg.ptr, msg.len);
	e->schema = schema;
	pl_buf_release(&msg);
}

void pl_schema__record_unknown(pl_sv *v, const pl_node *k,
                               const char *const *names, size_t n)
{
	size_t before = v->out->errors.len;
	pl_schema__record(v, k, "additionalProperties", NULL,
	                  "unknown property '%s' (additionalProperties is "
	                  "false)",
	                  k->u.scalar.str);
	if (v->out->errors.len > before) {
		pl_schema_error *e = pl_vec_at(&v->out->errors, before);
		e->expected = names;
		e->nexpected = n;
	}
}

/* The value of n as a message shows it, in the result's arena. */
const char *pl_schema__shown(pl_sv *v, const pl_node *n)
{
	pl_buf b;
	const char *s;
	pl_buf_init(&b, 4096);
	pl_schema__show(&b, n);
	s = pl_arena_strndup(&v->out->arena, b.ptr, b.len);
	pl_buf_release(&b);
	return s;
}

static bool plain_key(const char *s, size_t len)
{
	size_t i;
	if (!len)
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '$'))
			return false;
	}
	return true;
}

size_t pl_schema__push_key(pl_sv *v, const char *s, size_t len)
{
	size_t was = v->path.len;
	if (plain_key(s, len)) {
		if (was)
			pl_buf_addc(&v->path, '.');
		pl_buf_add(&v->path, s, len);
	} else {
		pl_buf_addc(&v->path, '[');
		pl_buf_add_json_str(&v->path, s, len);
		pl_buf_addc(&v->path, ']');
	}
	return was;
}

static size_t push_index(pl_sv *v, size_t i)
{
	size_t was = v->path.len;
	pl_buf_addf(&v->path, "[%zu]", i);
	return was;
}

void pl_schema__pop(pl_sv *v, size_t was)
{
	v->path.len = was;
	v->path.ptr[was] = '\0';
}

pl_sv_evals *pl_schema__new_evals(pl_sv *v, const pl_node *inst)
{
	pl_sv_evals *ev = pl_arena_zalloc(&v->tmp, sizeof(*ev));
	if (inst && inst->kind == PL_NODE_MAPPING)
		ev->n = inst->u.map.len;
	else if (inst && inst->kind == PL_NODE_SEQUENCE)
		ev->n = inst->u.seq.len;
	ev->marks = pl_arena_zalloc(&v->tmp, ev->n + 1);
	return ev;
}

static void mark(pl_sv_evals *ev, size_t i)
{
	if (ev && i < ev->n)
		ev->marks[i] = true;
}

void pl_schema__merge(pl_sv_evals *into, const pl_sv_evals *from)
{
	size_t i;
	if (!into || !from)
		return;
	for (i = 0; i < into->n && i < from->n; i++)
		into->marks[i] |= from->marks[i];
}

/* Validates a child of the instance (a value, an item, a key). */
static bool child(pl_sv *v, const pl_sn *sn, const pl_node *inst, size_t was)
{
	int depth = v->refdepth;
	bool ok;
	v->refdepth = 0;
	ok = pl_schema__check(v, sn, inst, NULL);
	v->refdepth = depth;
	pl_schema__pop(v, was);
	return ok;
}

/* Runs sn quietly on inst: true if it matches; annotations go to ev only
 * then. */
bool pl_schema__probe(pl_sv *v, const pl_sn *sn, const pl_node *inst,
                      pl_sv_evals *ev)
{
	pl_sv_evals *mine = ev ? pl_schema__new_evals(v, inst) : NULL;
	bool ok;
	v->quiet++;
	ok = pl_schema__check(v, sn, inst, mine);
	v->quiet--;
	if (ok)
		pl_schema__merge(ev, mine);
	return ok;
}

/* --- objects ---------------------------------------------------------- */

static bool same_key(const pl_node *a, const pl_node *b)
{
	return a->kind == PL_NODE_SCALAR && b->kind == PL_NODE_SCALAR &&
	       a->u.scalar.len == b->u.scalar.len &&
	       memcmp(a->u.scalar.str, b->u.scalar.str, a->u.scalar.len) == 0;
}

/* False for a pair that another pair of the mapping overrides: a later
 * duplicate, or an explicit key over a merged one (node.h). */
static bool live_pair(const pl_node *m, size_t i, bool has_dups)
{
	const pl_pair *p = &m->u.map.pairs[i];
	const pl_node *k = pl_node_deref(p->key);
	size_t j;
	if (!has_dups)
		return true;
	for (j = 0; j < m->u.map.len; j++) {
		const pl_pair *q = &m->u.map.pairs[j];
		bool qm = q->flags & PL_PAIR_MERGED,
		     pm = p->flags & PL_PAIR_MERGED;
		if (j == i || !same_key(k, pl_node_deref(q->key)))
			continue;
		if ((pm && !qm) || (pm == qm && j > i))
			return false;
	}
	return true;
}

static bool any_dups(const pl_node *m)
{
	size_t i;
	if (m->flags & PL_NODE_HAS_MERGE)
		return true;
	for (i = 0; i < m->u.map.len; i++)
		if (m->u.map.pairs[i].flags & PL_PAIR_DUPLICATE)
			return true;
	return false;
}

static bool has_key(const pl_node *m, const char *name)
{
	return pl_node_get_pair(m, name) != NULL;
}

static bool required_ok(pl_sv *v, const pl_node *inst, const pl_node *names,
                        const char *kw, const char *because)
{
	bool ok = true;
	size_t i;
	for (i = 0; i < names->u.seq.len; i++) {
		const pl_node *n = pl_node_deref(names->u.seq.items[i]);
		if (has_key(inst, n->u.scalar.str))
			continue;
		ok = false;
		if (v->quiet)
			break;
		if (because)
			pl_schema__record(
			        v, inst, kw, n,
			        "missing property '%s' (required when '%s' "
			        "is set)",
			        n->u.scalar.str, because);
		else
			pl_schema__record(v, inst, kw, n,
			                  "missing required property "
			                  "'%s'",
			                  n->u.scalar.str);
	}
	return ok;
}

static bool pair_ok(pl_sv *v, const pl_sn *sn, const pl_pair *p, size_t idx,
                    pl_sv_evals *ev)
{
	const pl_node *k = pl_node_deref(p->key);
	bool ok = true, matched = false;
	size_t i, was;
	if (k->kind != PL_NODE_SCALAR)
		return true;
	if (sn->property_names) {
		/* the key's own errors say why (path: the key) */
		was = pl_schema__push_key(v, k->u.scalar.str, k->u.scalar.len);
		ok &= child(v, sn->property_names, k, was);
	}
	for (i = 0; i < sn->nprops; i++) {
		if (sn->props[i].len != k->u.scalar.len ||
		    memcmp(sn->props[i].name, k->u.scalar.str,
		           k->u.scalar.len) != 0)
			continue;
		matched = true;
		was = pl_schema__push_key(v, k->u.scalar.str, k->u.scalar.len);
		ok &= child(v, sn->props[i].sn, p->value, was);
		break;
	}
	for (i = 0; i < sn->npatterns; i++) {
		pl_match m;
		if (pl_regex_match(sn->patterns[i].re, k->u.scalar.str,
		                   k->u.scalar.len, 0, &m, v->scratch) != 1)
			continue;
		matched = true;
		was = pl_schema__push_key(v, k->u.scalar.str, k->u.scalar.len);
		ok &= child(v, sn->patterns[i].sn, p->value, was);
	}
	if (!matched && sn->additional) {
		matched = true;
		was = pl_schema__push_key(v, k->u.scalar.str, k->u.scalar.len);
		if (sn->additional->boolean == 0) {
			const char **names = pl_arena_alloc(
			        &v->out->arena,
			        (sn->nprops + 1) * sizeof(*names));
			for (i = 0; i < sn->nprops; i++)
				names[i] = sn->props[i].name;
			pl_schema__record_unknown(v, k, names, sn->nprops);
			ok = false;
			pl_schema__pop(v, was);
		} else {
			ok &= child(v, sn->additional, p->value, was);
		}
	} else if (!matched && sn->nprops && !sn->preserve_unknown &&
	           (v->flags & PL_SCHEMA_STRICT)) {
		was = pl_schema__push_key(v, k->u.scalar.str, k->u.scalar.len);
		pl_schema__record(v, k, "strict", NULL, "unknown field '%s'",
		                  k->u.scalar.str);
		pl_schema__pop(v, was);
		ok = false;
	}
	if (matched)
		mark(ev, idx);
	return ok;
}

static bool object_ok(pl_sv *v, const pl_sn *sn, const pl_node *inst,
                      pl_sv_evals *ev)
{
	bool ok = true, dups;
	size_t i, live = 0;
	if (inst->kind != PL_NODE_MAPPING)
		return true;
	dups = any_dups(inst);
	if (sn->required)
		ok &= required_ok(v, inst, sn->required, "required", NULL);
	for (i = 0; i < sn->ndeps && (ok || !v->quiet); i++) {
		const pl_sn_dep *d = &sn->deps[i];
		if (!pl_node_get_pair(inst, d->name))
			continue;
		if (d->required)
			ok &= required_ok(v, inst, d->required,
			                  "dependentRequired", d->name);
		if (d->sn)
			ok &= pl_schema__check(v, d->sn, inst, ev);
	}
	for (i = 0; i < inst->u.map.len && (ok || !v->quiet); i++) {
		if (!live_pair(inst, i, dups))
			continue;
		live++;
		ok &= pair_ok(v, sn, &inst->u.map.pairs[i], i, ev);
	}
	if (!dups)
		live = inst->u.map.len;
	if (sn->min_props >= 0 && live < (size_t)sn->min_props) {
		pl_schema__record(v, inst, "minProperties", NULL,
		                  "must have at least %lld properties, got %zu",
		                  (long long)sn->min_props, live);
		ok = false;
	}
	if (sn->max_props >= 0 && live > (size_t)sn->max_props) {
		pl_schema__record(v, inst, "maxProperties", NULL,
		                  "must have at most %lld properties, got %zu",
		                  (long long)sn->max_props, live);
		ok = false;
	}
	if (sn->embedded_resource) {
		const char *av = pl_node_get_str(inst, "apiVersion");
		const char *kind = pl_node_get_str(inst, "kind");
		if (!av || !*av || !kind || !*kind) {
			pl_schema__record(
			        v, inst, "x-kubernetes-embedded-resource", NULL,
			        "an embedded resource needs apiVersion and "
			        "kind");
			ok = false;
		}
	}
	return ok;
}

/* --- arrays ----------------------------------------------------------- */

static bool unique_ok(pl_sv *v, const pl_node *inst)
{
	size_t i, j, was;
	for (i = 1; i < inst->u.seq.len; i++)
		for (j = 0; j < i; j++) {
			if (!pl_schema__equal(inst->u.seq.items[i],
			                      inst->u.seq.items[j]))
				continue;
			was = push_index(v, i);
			pl_schema__record(v, inst->u.seq.items[i],
			                  "uniqueItems", NULL,
			                  "duplicates item [%zu]", j);
			pl_schema__pop(v, was);
			return false;
		}
	return true;
}

static bool array_ok(pl_sv *v, const pl_sn *sn, const pl_node *inst,
                     pl_sv_evals *ev)
{
	size_t i, n, hits = 0;
	bool ok = true;
	if (inst->kind != PL_NODE_SEQUENCE)
		return true;
	n = inst->u.seq.len;
	for (i = 0; i < n && (ok || !v->quiet); i++) {
		const pl_sn *item =
		        i < sn->prefix.n ? sn->prefix.v[i] : sn->items;
		if (!item)
			continue;
		ok &= child(v, item, inst->u.seq.items[i], push_index(v, i));
		mark(ev, i);
	}
	if (sn->min_items >= 0 && n < (size_t)sn->min_items) {
		pl_schema__record(v, inst, "minItems", NULL,
		                  "must have at least %lld items, got %zu",
		                  (long long)sn->min_items, n);
		ok = false;
	}
	if (sn->max_items >= 0 && n > (size_t)sn->max_items) {
		pl_schema__record(v, inst, "maxItems", NULL,
		                  "must have at most %lld items, got %zu",
		                  (long long)sn->max_items, n);
		ok = false;
	}
	if (sn->contains) {
		for (i = 0; i < n; i++) {
			int depth = v->refdepth;
			bool hit;
			v->refdepth = 0;
			hit = pl_schema__probe(v, sn->contains,
			                       inst->u.seq.items[i], NULL);
			v->refdepth = depth;
			if (hit) {
				hits++;
				mark(ev, i);
			}
		}
		if (hits < (size_t)sn->min_contains) {
			pl_schema__record(
			        v, inst, "contains", NULL,
			        "has %zu items matching contains, at least "
			        "%lld needed",
			        hits, (long long)sn->min_contains);
			ok = false;
		}
		if (sn->max_contains >= 0 && hits > (size_t)sn->max_contains) {
			pl_schema__record(
			        v, inst, "maxContains", NULL,
			        "has %zu items matching contains, at most "
			        "%lld allowed",
			        hits, (long long)sn->max_contains);
			ok = false;
		}
	}
	if (sn->unique && (ok || !v->quiet))
		ok &= unique_ok(v, inst);
	return ok;
}

static bool unevaluated_ok(pl_sv *v, const pl_sn *sn, const pl_node *inst,
                           pl_sv_evals *ev)
{
	bool ok = true;
	size_t i, was;
	if (sn->unevaluated_props && inst->kind == PL_NODE_MAPPING) {
		for (i = 0; i < inst->u.map.len && (ok || !v->quiet); i++) {
			const pl_node *k =
			        pl_node_deref(inst->u.map.pairs[i].key);
			if (ev->marks[i] || k->kind != PL_NODE_SCALAR)
				continue;
			was = pl_schema__push_key(v, k->u.scalar.str,
			                          k->u.scalar.len);
			if (sn->unevaluated_props->boolean == 0) {
				pl_schema__record(
				        v, k, "unevaluatedProperties", NULL,
				        "unknown property '%s' "
				        "(unevaluatedProperties is false)",
				        k->u.scalar.str);
				pl_schema__pop(v, was);
				ok = false;
			} else {
				ok &= child(v, sn->unevaluated_props,
				            inst->u.map.pairs[i].value, was);
			}
			ev->marks[i] = true;
		}
	}
	if (sn->unevaluated_items && inst->kind == PL_NODE_SEQUENCE) {
		for (i = 0; i < inst->u.seq.len && (ok || !v->quiet); i++) {
			if (ev->marks[i])
				continue;
			ok &= child(v, sn->unevaluated_items,
			            inst->u.seq.items[i], push_index(v, i));
			ev->marks[i] = true;
		}
	}
	return ok;
}

static void cel_report(void *ud, const pl_node *at, const char *field_path,
                       const pl_node *rule, const char *msg)
{
	pl_sv *v = ud;
	size_t was = v->path.len;

	/* the path of the field the rule names: spec + .hosts */
	if (field_path)
		pl_buf_adds(&v->path, v->path.len || *field_path != '.'
		                              ? field_path
		                              : field_path + 1);
	pl_schema__record(v, at, "x-kubernetes-validations", rule, "%s", msg);
	v->path.len = was;
	v->path.ptr[was] = '\0';
}

/* The CEL rules of sn on inst, once the rest of it is valid. */
static bool cel_ok(pl_sv *v, const pl_sn *sn, const pl_node *inst)
{
	size_t before = v->out->errors.len, dropped = v->out->dropped;

	if (!v->celre)
		v->celre = pl_cel_regex_new();
	pl_schema__cel_run(sn, inst, &v->tmp, v->celre, cel_report, v);
	return v->out->errors.len == before && v->out->dropped == dropped;
}

/* Errors other than CEL rules' since the first `before`: a value that
 * breaks its schema is not also judged by the rules above it (the API
 * server reports the schema error alone). Dropped errors count. */
static bool other_errors(const pl_sv *v, size_t before)
{
	size_t i;

	if (v->out->dropped)
		return true;
	for (i = before; i < v->out->errors.len; i++) {
		const pl_schema_error *e = pl_vec_at(&v->out->errors, i);
		if (strcmp(e->keyword, "x-kubernetes-validations"))
			return true;
	}
	return false;
}

bool pl_schema__check(pl_sv *v, const pl_sn *sn, const pl_node *inst,
                      pl_sv_evals *ev)
{
	bool ok = true, local;
	size_t before = v->out->errors.len;
	pl_sv_evals *mine = ev;
	const pl_node *target = pl_node_deref(inst);

	/* an alias is validated as the value it names (the keyword
	 * checks below read scalars, pairs and items directly); errors
	 * then point at that value */
	if (target)
		inst = target;
	if (sn->boolean == 1)
		return true;
	/* nullable (Kubernetes): null is a valid value whatever the other
	 * keywords say (enum, minimum, properties apply to a value) */
	if (sn->nullable && inst->kind == PL_NODE_SCALAR &&
	    inst->type == PL_TYPE_NULL)
		return true;
	if (sn->boolean == 0) {
		pl_schema__record(
		        v, inst, "false", sn->src,
		        "no value is allowed here (the schema is false)");
		return false;
	}
	local = sn->unevaluated_props || sn->unevaluated_items;
	if (local)
		mine = pl_schema__new_evals(v, inst);
	if (sn->ref) {
		if (v->refdepth >= PL_SCHEMA_MAX_REF_DEPTH) {
			pl_schema__record(
			        v, inst, "$ref", sn->ref_node,
			        "$ref nests deeper than %d without reaching "
			        "a value",
			        PL_SCHEMA_MAX_REF_DEPTH);
			return false;
		}
		v->refdepth++;
		ok = pl_schema__check(v, sn->ref, inst, mine);
		v->refdepth--;
		if (!ok && v->quiet)
			return false;
	}
	if (!pl_schema__type_ok(v, sn, inst)) {
		if (v->quiet)
			return false;
		ok = false;
	}
	ok &= pl_schema__enum_ok(v, sn, inst);
	ok &= pl_schema__number_ok(v, sn, inst);
	ok &= pl_schema__string_ok(v, sn, inst);
	ok &= pl_schema__format_kw_ok(v, sn, inst);
	if (!ok && v->quiet)
		return false;
	ok &= object_ok(v, sn, inst, mine);
	ok &= array_ok(v, sn, inst, mine);
	if (!ok && v->quiet)
		return false;
	ok &= pl_schema__combine_ok(v, sn, inst, mine);
	if (local && (ok || !v->quiet)) {
		ok &= unevaluated_ok(v, sn, inst, mine);
		pl_schema__merge(ev, mine);
	}
	if (sn->ncel && !v->quiet && !other_errors(v, before))
		ok &= cel_ok(v, sn, inst);
	return ok;
}

/* --- entry points ------------------------------------------------------ */

void pl_schema_result_init(pl_schema_result *r)
{
	pl_arena_init(&r->arena);
	pl_vec_init(&r->errors, sizeof(pl_schema_error));
	r->dropped = 0;
}

void pl_schema_result_release(pl_schema_result *r)
{
	if (!r)
		return;
	pl_arena_release(&r->arena);
	pl_vec_release(&r->errors);
}

static int by_position(const void *pa, const void *pb)
{
	const pl_schema_error *a = pa, *b = pb;
	int d;
	if (a->node->span.start.offset != b->node->span.start.offset)
		return a->node->span.start.offset < b->node->span.start.offset
		               ? -1
		               : 1;
	d = strcmp(a->path, b->path);
	if (!d)
		d = strcmp(a->keyword, b->keyword);
	return d ? d : strcmp(a->message, b->message);
}

bool pl_schema_validate(pl_schema_result *out, const pl_schema *s,
                        const pl_node *instance, unsigned flags,
                        pl_match_scratch *scratch)
{
	static const pl_node null_node = {.kind = PL_NODE_SCALAR,
	                                  .type = PL_TYPE_NULL,
	                                  .u.scalar = {.str = "", .len = 0}};
	pl_match_scratch *own = NULL;
	size_t before = out->errors.len;
	pl_sv v;
	bool ok;

	memset(&v, 0, sizeof(v));
	v.s = s;
	v.out = out;
	v.flags = flags;
	if (!scratch)
		scratch = own = pl_match_scratch_new();
	v.scratch = scratch;
	pl_buf_init(&v.path, 0);
	pl_arena_init(&v.tmp);
	instance = pl_node_deref(instance);
	ok = pl_schema__check(&v, s->root, instance ? instance : &null_node,
	                      NULL);
	pl_arena_release(&v.tmp);
	pl_cel_regex_free(v.celre);
	pl_buf_release(&v.path);
	pl_match_scratch_free(own);
	if (out->errors.len > before + 1)
		qsort((pl_schema_error *)pl_vec_at(&out->errors, before),
		      out->errors.len - before, sizeof(pl_schema_error),
		      by_position);
	return ok;
}

const char *pl_schema_path_text(const char *path)
{
	return path && *path ? path : "(root)";
}
