/*
 * schema_union.c - the applicators: allOf, anyOf, oneOf, not and
 * if/then/else (schema_impl.h).
 *
 * When an instance matches no branch of an anyOf or oneOf, the plain
 * report is one error for the whole union. With PL_SCHEMA_EXPLAIN the
 * union is read as the tagged union a hand-written schema usually is
 * (plumb's own config and rule files are): its branches, with nested
 * unions and bare $refs flattened, are narrowed to those that take the
 * instance's type, then, for a mapping, to the branch that a key only it
 * knows names. When one branch is left, its own errors are reported;
 * otherwise the error says what the union expects: the types, the keys
 * no branch knows (with the keys it does), the keys that name different
 * branches, or the keys of which one is needed.
 */
#include "schema/schema_impl.h"

/* Branches of a union considered, once flattened. */
#define MAX_LEAVES 64

typedef struct leaves {
	const pl_sn *v[MAX_LEAVES];
	size_t n;
} leaves;

/* True when sn checks nothing itself: at most a $ref or a union. */
static bool bare(const pl_sn *sn)
{
	return sn->boolean < 0 && !sn->types && !sn->enum_vals &&
	       !sn->has_const && !sn->nprops && !sn->npatterns &&
	       !sn->additional && !sn->required && !sn->ndeps &&
	       !sn->property_names && !sn->unevaluated_props &&
	       sn->min_props < 0 && sn->max_props < 0 && !sn->prefix.n &&
	       !sn->items && !sn->contains && !sn->unevaluated_items &&
	       sn->min_items < 0 && sn->max_items < 0 && !sn->unique &&
	       sn->min_len < 0 && sn->max_len < 0 && !sn->pattern &&
	       !sn->format && !sn->minimum.set && !sn->maximum.set &&
	       !sn->xminimum.set && !sn->xmaximum.set && !sn->multiple.set &&
	       !sn->all_of.n && !sn->not_ && !sn->if_ && !sn->ncel &&
	       !sn->int_or_string && !sn->nullable;
}

static void flatten(leaves *out, const pl_sn_list *list, int depth)
{
	size_t i;
	for (i = 0; i < list->n; i++) {
		const pl_sn *b = list->v[i];
		int hops = 0;
		while (b->ref && bare(b) && !b->one_of.n && !b->any_of.n &&
		       hops++ < PL_SCHEMA_MAX_REF_DEPTH)
			b = b->ref;
		if (depth < 8 && bare(b) && !b->ref &&
		    (b->one_of.n != 0) != (b->any_of.n != 0)) {
			flatten(out, b->one_of.n ? &b->one_of : &b->any_of,
			        depth + 1);
			continue;
		}
		if (out->n < MAX_LEAVES)
			out->v[out->n++] = b;
	}
}

/* The types a branch takes; 0 for any. */
static unsigned leaf_types(const pl_sn *b)
{
	unsigned t = b->types;
	size_t i;
	if (b->int_or_string)
		t |= PL_SN_INTEGER | PL_SN_STRING;
	if (!t && b->enum_vals)
		for (i = 0; i < b->enum_vals->u.seq.len; i++)
			t |= pl_schema__type(b->enum_vals->u.seq.items[i]);
	if (!t && b->has_const)
		t = pl_schema__type(b->const_val);
	if (t & PL_SN_NUMBER)
		t |= PL_SN_INTEGER;
	return t;
}

static bool knows(const pl_sn *b, const pl_node *k)
{
	size_t i;
	for (i = 0; i < b->nprops; i++)
		if (b->props[i].len == k->u.scalar.len &&
		    memcmp(b->props[i].name, k->u.scalar.str,
		           k->u.scalar.len) == 0)
			return true;
	return false;
}

static bool closed(const pl_sn *b)
{
	return b->additional && b->additional->boolean == 0 && !b->npatterns;
}

/* How many of the branches know key k; *which is the last one. */
static size_t knowers(const leaves *l, const pl_node *k, size_t *which)
{
	size_t i, n = 0;
	for (i = 0; i < l->n; i++)
		if (knows(l->v[i], k)) {
			n++;
			*which = i;
		}
	return n;
}

/* The property names of the branches, each once, in order; with only
 * those that one branch alone knows when `tags`. */
static const char *const *names_of(pl_sv *v, const leaves *l, bool tags,
                                   size_t *n)
{
	const char **out;
	size_t i, j, k, cap = 0;
	for (i = 0; i < l->n; i++)
		cap += l->v[i]->nprops;
	out = pl_arena_alloc(&v->out->arena, (cap + 1) * sizeof(*out));
	*n = 0;
	for (i = 0; i < l->n; i++)
		for (j = 0; j < l->v[i]->nprops; j++) {
			const pl_sn_prop *p = &l->v[i]->props[j];
			size_t holders = 0;
			bool seen = false;
			for (k = 0; k < *n; k++)
				seen |= strcmp(out[k], p->name) == 0;
			for (k = 0; k < l->n; k++) {
				pl_node key = {.kind = PL_NODE_SCALAR};
				key.u.scalar.str = p->name;
				key.u.scalar.len = p->len;
				holders += knows(l->v[k], &key);
			}
			if (!seen && (!tags || holders == 1))
				out[(*n)++] = p->name;
		}
	return out;
}

static void join(pl_buf *b, const char *const *names, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		pl_buf_addf(b, "%s%s", i ? ", " : "", names[i]);
}

/* Keys of inst that no closed branch knows: unknown, with what is known
 * (the error's `expected`). True when one was reported. */
static bool unknown_keys(pl_sv *v, const leaves *l, const pl_node *inst)
{
	size_t i, which;
	for (i = 0; i < l->n; i++)
		if (!closed(l->v[i]))
			return false;
	for (i = 0; i < inst->u.map.len; i++) {
		const pl_node *k = pl_node_deref(inst->u.map.pairs[i].key);
		size_t was;
		if (k->kind != PL_NODE_SCALAR || knowers(l, k, &which))
			continue;
		const char *const *names = names_of(v, l, false, &which);
		was = pl_schema__push_key(v, k->u.scalar.str, k->u.scalar.len);
		pl_schema__record_unknown(v, k, names, which);
		pl_schema__pop(v, was);
		return true;
	}
	return false;
}

/* A mapping: the branch its keys name, or what is wrong with them. */
static void explain_keys(pl_sv *v, const leaves *l, const pl_node *inst,
                         pl_sv_evals *ev)
{
	const pl_node *tag = NULL, *other = NULL;
	size_t i, which = 0, chosen = 0, n;
	pl_buf b;

	if (unknown_keys(v, l, inst))
		return;
	for (i = 0; i < inst->u.map.len; i++) {
		const pl_node *k = pl_node_deref(inst->u.map.pairs[i].key);
		if (k->kind != PL_NODE_SCALAR || knowers(l, k, &which) != 1)
			continue;
		if (!tag) {
			tag = k;
			chosen = which;
		} else if (which != chosen && !other) {
			other = k;
		}
	}
	pl_buf_init(&b, 0);
	if (tag && !other) {
		const pl_sn *leaf = l->v[chosen];
		for (i = 0; i < inst->u.map.len && closed(leaf); i++) {
			const pl_node *k =
			        pl_node_deref(inst->u.map.pairs[i].key);
			if (k->kind == PL_NODE_SCALAR && !knows(leaf, k))
				other = k;
		}
		if (!other)
			pl_schema__check(v, leaf, inst, ev);
		else
			pl_schema__record(v, other, "oneOf", NULL,
			                  "'%s' does not go with '%s'",
			                  other->u.scalar.str,
			                  tag->u.scalar.str);
	} else if (tag) {
		const char *const *names = names_of(v, l, true, &n);
		join(&b, names, n);
		pl_schema__record(v, inst, "oneOf", NULL,
		                  "'%s' and '%s' do not go together (one of: "
		                  "%s)",
		                  tag->u.scalar.str, other->u.scalar.str,
		                  b.ptr);
	} else {
		const char *const *names = names_of(v, l, true, &n);
		join(&b, names, n);
		if (n)
			pl_schema__record(v, inst, "oneOf", NULL,
			                  "needs one of: %s", b.ptr);
		else
			pl_schema__record(v, inst, "oneOf", NULL,
			                  "matches none of the %zu schemas "
			                  "here",
			                  l->n);
	}
	pl_buf_release(&b);
}

static bool only_required(const pl_sn *b)
{
	pl_sn rest = *b;
	rest.required = NULL;
	return b->required && bare(&rest) && !rest.ref && !rest.one_of.n &&
	       !rest.any_of.n;
}

/* Branches that only require keys (anyOf: [{required: [path]},
 * {required: [paths]}]): the keys of which one is needed. */
static bool explain_required(pl_sv *v, const leaves *l, const pl_node *inst)
{
	pl_buf b;
	size_t i, j;
	for (i = 0; i < l->n; i++)
		if (!only_required(l->v[i]))
			return false;
	pl_buf_init(&b, 0);
	for (i = 0; i < l->n; i++)
		for (j = 0; j < l->v[i]->required->u.seq.len; j++) {
			const pl_node *r = pl_node_deref(
			        l->v[i]->required->u.seq.items[j]);
			pl_buf_addf(&b, "%s'%s'", b.len ? " or " : "",
			            r->u.scalar.str);
		}
	pl_schema__record(v, inst, "required", NULL,
	                  "missing required property %s", b.ptr);
	pl_buf_release(&b);
	return true;
}

/* Reports why inst matches no branch of the union `list`. */
static void explain(pl_sv *v, const pl_sn_list *list, const pl_node *inst,
                    pl_sv_evals *ev)
{
	leaves all = {{NULL}, 0}, fit = {{NULL}, 0};
	unsigned t = pl_schema__type(inst), want = 0;
	size_t i;

	flatten(&all, list, 0);
	for (i = 0; i < all.n; i++) {
		unsigned lt = leaf_types(all.v[i]);
		want |= lt;
		if (!lt || (lt & t) || (t == PL_SN_NULL && all.v[i]->nullable))
			fit.v[fit.n++] = all.v[i];
	}
	if (fit.n == 0) {
		pl_buf b;
		pl_buf_init(&b, 0);
		pl_schema__type_list(&b, want);
		pl_schema__record(v, inst, "type", NULL, "expected %s, got %s",
		                  b.ptr, pl_schema__shown(v, inst));
		pl_buf_release(&b);
	} else if (fit.n == 1) {
		pl_schema__check(v, fit.v[0], inst, ev);
	} else if (inst->kind == PL_NODE_MAPPING) {
		if (!explain_required(v, &fit, inst))
			explain_keys(v, &fit, inst, ev);
	} else {
		pl_schema__record(v, inst, "oneOf", NULL,
		                  "matches none of the %zu schemas here",
		                  fit.n);
	}
}

bool pl_schema__combine_ok(pl_sv *v, const pl_sn *sn, const pl_node *inst,
                           pl_sv_evals *ev)
{
	size_t i, hits = 0, first = 0;
	bool ok = true;
	for (i = 0; i < sn->all_of.n && (ok || !v->quiet); i++)
		ok &= pl_schema__check(v, sn->all_of.v[i], inst, ev);
	if (sn->any_of.n) {
		for (i = 0; i < sn->any_of.n; i++)
			hits += pl_schema__probe(v, sn->any_of.v[i], inst, ev);
		if (!hits && (v->flags & PL_SCHEMA_EXPLAIN) && !v->quiet) {
			explain(v, &sn->any_of, inst, ev);
			ok = false;
		} else if (!hits) {
			pl_schema__record(
			        v, inst, "anyOf", NULL,
			        "matches none of the %zu schemas of anyOf",
			        sn->any_of.n);
			ok = false;
		}
	}
	if (sn->one_of.n) {
		hits = 0;
		for (i = 0; i < sn->one_of.n; i++) {
			pl_sv_evals *mine =
			        ev ? pl_schema__new_evals(v, inst) : NULL;
			if (!pl_schema__probe(v, sn->one_of.v[i], inst, mine))
				continue;
			if (!hits++) {
				first = i;
				pl_schema__merge(ev, mine);
			} else {
				pl_schema__record(
				        v, inst, "oneOf", NULL,
				        "matches schemas %zu and %zu of oneOf; "
				        "it must match exactly one",
				        first + 1, i + 1);
				ok = false;
				break;
			}
		}
		if (!hits && (v->flags & PL_SCHEMA_EXPLAIN) && !v->quiet) {
			explain(v, &sn->one_of, inst, ev);
			ok = false;
		} else if (!hits) {
			pl_schema__record(
			        v, inst, "oneOf", NULL,
			        "matches none of the %zu schemas of oneOf",
			        sn->one_of.n);
			ok = false;
		}
	}
	if (sn->not_ && pl_schema__probe(v, sn->not_, inst, NULL)) {
		pl_schema__record(v, inst, "not", NULL,
		                  "must not match the schema of not");
		ok = false;
	}
	if (sn->if_) {
		if (pl_schema__probe(v, sn->if_, inst, ev)) {
			if (sn->then_)
				ok &= pl_schema__check(v, sn->then_, inst, ev);
		} else if (sn->else_) {
			ok &= pl_schema__check(v, sn->else_, inst, ev);
		}
	}
	return ok;
}
