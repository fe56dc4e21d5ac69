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

/*
 * Which rules judge o: every rule for an object no build renders; for an
 * original that a build renders, only the rules that judge documents as
 * written (its rendered copies go to the others); for a rendered copy,
 * only those others.
 */
static bool judges(const pl_rule *r, const pl_object *o)
{
	if (o->source)
		return !r->as_written;
	return !o->rendered || r->as_written;
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
		if (!judges(r, o))
			continue;
		pl_ctx_set_rule(ctx, r, reg->severity[i], reg->state[i],
		                reg->settings[i]);
		r->check_object(ctx, o);
	}
}

void pl_eval_file(pl_ctx *ctx, const pl_registry *reg, const pl_file *f)
{
	pl_eval_file_part(ctx, reg, f, PL_EVAL_ALL);
}

void pl_eval_file_part(pl_ctx *ctx, const pl_registry *reg, const pl_file *f,
                       pl_eval_part part)
{
	size_t i, j;

	pl_ctx_set_file(ctx, f);
	for (i = 0; i < reg->len; i++) {
		const pl_rule *r = reg->rules[i];
		if (r->scope != PL_SCOPE_FILE || reg->severity[i] == PL_SEV_OFF)
			continue;
		if (!(r->file_kinds & (1u << f->src.kind)))
			continue;
		if ((part == PL_EVAL_ALONE && !r->alone) ||
		    (part == PL_EVAL_REST && r->alone))
			continue;
		pl_ctx_set_rule(ctx, r, reg->severity[i], reg->state[i],
		                reg->settings[i]);
		r->check_file(ctx, f);
	}
	if (!f->parsed || part == PL_EVAL_ALONE)
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
			    !kind_matches(r, o) || !judges(r, o))
				continue;
			pl_ctx_set_rule(ctx, r, reg->severity[i], reg->state[i],
			                reg->settings[i]);
			r->check_object(ctx, o);
		}
	}
}

void pl_eval_rendered(pl_ctx *ctx, const pl_registry *reg, const pl_object *o)
{
	size_t i;

	pl_ctx_set_file(ctx, o->source->file);
	ctx->rendered = o;
	if (reg->indexed) {
		eval_indexed(ctx, reg, o);
	} else {
		for (i = 0; i < reg->len; i++) {
			const pl_rule *r = reg->rules[i];
			if (r->scope != PL_SCOPE_OBJECT ||
			    reg->severity[i] == PL_SEV_OFF ||
			    !kind_matches(r, o) || !judges(r, o))
				continue;
			pl_ctx_set_rule(ctx, r, reg->severity[i], reg->state[i],
			                reg->settings[i]);
			r->check_object(ctx, o);
		}
	}
	ctx->rendered = NULL;
}
