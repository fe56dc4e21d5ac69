/*
 * eval.c - dispatch of rules to files and documents.
 */
#include "rule/eval.h"

static bool kind_matches(const pl_rule *r, const pl_object *o)
{
	const char *const *k;
	if (!r->kinds)
		return true;
	if (!o->kind)
		return false;
	for (k = r->kinds; *k; k++)
		if (strcmp(*k, o->kind) == 0)
			return true;
	return false;
}

/* The rules of o's kind, from the dispatch index (registry.h). */
static void eval_indexed(pl_ctx *ctx, const pl_registry *reg,
                         const pl_object *o)
{
	const pl_vec *v =
	        o->kind ? pl_map_get(&reg->by_kind, o->kind, strlen(o->kind))
	                : NULL;
	size_t k;

	if (!v)
		v = &reg->any_kind;
	for (k = 0; k < v->len; k++) {
		size_t i = *(const size_t *)pl_vec_at(v, k);
		const pl_rule *r = reg->rules[i];
		pl_ctx_set_rule(ctx, r, reg->severity[i], reg->state[i],
		                reg->settings[i]);
		r->check_object(ctx, o);
	}
}

void pl_eval_file(pl_ctx *ctx, const pl_registry *reg, const pl_file *f)
{
	size_t i, j;

	pl_ctx_set_file(ctx, f);
	for (i = 0; i < reg->len; i++) {
		const pl_rule *r = reg->rules[i];
		if (r->scope != PL_SCOPE_FILE || reg->severity[i] == PL_SEV_OFF)
			continue;
		if (!(r->file_kinds & (1u << f->src.kind)))
			continue;
		pl_ctx_set_rule(ctx, r, reg->severity[i], reg->state[i],
		                reg->settings[i]);
		r->check_file(ctx, f);
	}
	if (!f->parsed)
		return;
	for (j = 0; j < f->nobjects; j++) {
		const pl_object *o = &f->objects[j];
		if (reg->indexed) {
			eval_indexed(ctx, reg, o);
			continue;
		}
		for (i = 0; i < reg->len; i++) {
			const pl_rule *r = reg->rules[i];
			if (r->scope != PL_SCOPE_OBJECT ||
			    reg->severity[i] == PL_SEV_OFF ||
			    !kind_matches(r, o))
				continue;
			pl_ctx_set_rule(ctx, r, reg->severity[i], reg->state[i],
			                reg->settings[i]);
			r->check_object(ctx, o);
		}
	}
}
