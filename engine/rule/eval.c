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
	/* as_written first: such a rule may run while the model build
	 * writes o->rendered (run/session.c), and then must not read it */
	return r->as_written || !o->rendered;
}

/* Does rule i run in this call: every rule when pick is NULL, else
 * those whose pick[i] is want. */
static bool picked(const bool *pick, bool want, size_t i)
{
	return !pick || pick[i] == want;
}

/* The rules of o's kind, from the dispatch index (registry.h). */
static void eval_indexed(pl_ctx *ctx, const pl_registry *reg,
                         const pl_object *o, const bool *pick, bool want)
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
		/* picked first: judges() reads what the build writes */
		if (!picked(pick, want, i) || !judges(r, o))
			continue;
		pl_ctx_set_rule(ctx, r, reg->severity[i], reg->state[i],
		                reg->settings[i]);
		r->check_object(ctx, o);
	}
}

void pl_eval_file(pl_ctx *ctx, const pl_registry *reg, const pl_file *f)
{
	pl_ctx_set_file(ctx, f);
	pl_eval_file_some(ctx, reg, f, NULL, false);
}

void pl_eval_file_some(pl_ctx *ctx, const pl_registry *reg, const pl_file *f,
                       const bool *pick, bool want)
{
	size_t i, j;

	for (i = 0; i < reg->len; i++) {
		const pl_rule *r = reg->rules[i];
		if (r->scope != PL_SCOPE_FILE ||
		    reg->severity[i] == PL_SEV_OFF || !picked(pick, want, i))
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
			eval_indexed(ctx, reg, o, pick, want);
			continue;
		}
		for (i = 0; i < reg->len; i++) {
			const pl_rule *r = reg->rules[i];
			if (r->scope != PL_SCOPE_OBJECT ||
			    reg->severity[i] == PL_SEV_OFF ||
			    !picked(pick, want, i) || !kind_matches(r, o) ||
			    !judges(r, o))
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
		eval_indexed(ctx, reg, o, NULL, false);
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
