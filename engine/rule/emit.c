/*
 * emit.c - pl_emit and friends: the one way findings are made.
 */
#include "rule/ctx.h"
#include "base/buf.h"
#include "base/xalloc.h"
#include "base/map.h"
#include "base/sha256.h"
#include "base/quote.h"

#include <fnmatch.h>

void pl_ctx_init(pl_ctx *ctx, pl_findings *out, size_t max_per_file)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->out = out;
	ctx->max_per_file = max_per_file;
}

void pl_ctx_set_file(pl_ctx *ctx, const pl_file *file)
{
	ctx->file = file;
	ctx->emitted = 0;
	ctx->capped = false;
	ctx->has_last = false;
}

void pl_ctx_release(pl_ctx *ctx)
{
	if (!ctx)
		return;
	pl_match_scratch_free(ctx->scratch);
	ctx->scratch = NULL;
}

void pl_ctx_set_rule(pl_ctx *ctx, const pl_rule *rule, pl_severity sev,
                     const void *state, const pl_node *settings)
{
	ctx->rule = rule;
	ctx->severity = sev;
	ctx->state = state;
	ctx->settings = settings;
	ctx->has_last = false;
}

const char *pl_ctx_param(const pl_ctx *ctx, const char *name)
{
	const pl_node *v = pl_node_get(ctx->settings, name);
	const pl_param *p;
	if (v && v->kind == PL_NODE_SCALAR)
		return v->u.scalar.str;
	for (p = ctx->rule->params; p && p->name; p++)
		if (strcmp(p->name, name) == 0)
			return p->def;
	return NULL;
}

bool pl_ctx_param_has(const pl_ctx *ctx, const char *name, const char *value)
{
	const pl_node *v = pl_node_get(ctx->settings, name);
	size_t i;
	if (!v || v->kind != PL_NODE_SEQUENCE)
		return false;
	for (i = 0; i < v->u.seq.len; i++)
		if (pl_node_is_str(pl_node_deref(v->u.seq.items[i]), value))
			return true;
	return false;
}

void pl_ctx_set_model(pl_ctx *ctx, const pl_model *model)
{
	ctx->model = model;
}

const pl_file *pl_ctx_file(const pl_ctx *ctx, const char *path)
{
	if (ctx->read_other)
		*ctx->read_other = true;
	return pl_model_file(ctx->model, path);
}

const pl_model *pl_ctx_model(const pl_ctx *ctx)
{
	if (ctx->read_other)
		*ctx->read_other = true;
	return ctx->model;
}

const void *pl_ctx_state(const pl_ctx *ctx)
{
	return ctx->state;
}

pl_match_scratch *pl_ctx_scratch(pl_ctx *ctx)
{
	if (!ctx->scratch)
		ctx->scratch = pl_match_scratch_new();
	return ctx->scratch;
}

/*
 * A finding on a rendered copy that lands in a patch or a kustomization
 * (the file that wrote the value) is also about the object that file
 * changes: the original's name, where the object is written.
 */
static void relate_original(pl_ctx *ctx, pl_finding *f)
{
	const pl_object *o = ctx->rendered->source;
	const pl_node *n =
	        pl_node_get(pl_node_get(o->root, "metadata"), "name");
	char qn[160];
	pl_buf msg;

	if (!n)
		n = o->root;
	if (!n || o->file->outside_run || !o->kind)
		return;
	pl_quote(qn, sizeof(qn), o->name ? o->name : "",
	         o->name ? strlen(o->name) : 0, 120);
	pl_buf_init(&msg, 1024);
	pl_buf_addf(&msg, "the %s '%s' that this changes", o->kind, qn);
	pl_finding_add_related(f, &o->file->src, n->span, msg.ptr);
	pl_buf_release(&msg);
}

PL_PRINTF(6, 0)
static void emit_at(pl_ctx *ctx, pl_severity sev, pl_span span,
                    const char *hint, const char *fp, const char *fmt,
                    va_list ap)
{
	pl_finding *f;
	pl_buf msg;
	const pl_file *file = ctx->file;

	ctx->has_last = false;
	if (ctx->severity == PL_SEV_OFF || !ctx->file)
		return;
	if (ctx->rendered && span.start.line)
		file = pl_object_where_span(ctx->rendered, span);
	/* a file a build read beyond the run: not asked for */
	if (file->outside_run)
		return;
	if (span.start.line == 0) {
		/* the whole file: reported at 1:1 so every format has a line */
		memset(&span, 0, sizeof(span));
		span.start.line = 1;
		span.start.col = 1;
		span.end = span.start;
	}
	if (ctx->emitted >= ctx->max_per_file) {
		if (!ctx->capped) {
			ctx->capped = true;
			f = pl_vec_push(&ctx->out->items);
			f->rule = ctx->rule->id;
			f->severity = PL_SEV_INFO;
			f->src = &file->src;
			f->span = span;
			f->message = pl_xstrdup(
			        "more findings in this file were not "
			        "reported (limit per file reached)");
		}
		return;
	}
	ctx->emitted++;
	pl_buf_init(&msg, 4096);
	pl_buf_vaddf(&msg, fmt, ap);
	f = pl_vec_push(&ctx->out->items);
	f->rule = ctx->rule->id;
	f->severity = sev;
	f->src = &file->src;
	f->span = span;
	f->message = pl_buf_detach(&msg, NULL);
	f->hint = hint ? pl_xstrdup(hint) : NULL;
	f->fingerprint = fp ? pl_xstrdup(fp) : NULL;
	ctx->last = ctx->out->items.len - 1;
	ctx->has_last = true;
	if (ctx->rendered && ctx->rendered->source && !fp &&
	    file != ctx->rendered->source->file)
		relate_original(ctx, f);
}

PL_PRINTF(5, 0)
static void emit(pl_ctx *ctx, pl_span span, const char *hint, const char *fp,
                 const char *fmt, va_list ap)
{
	emit_at(ctx, ctx->severity, span, hint, fp, fmt, ap);
}

void pl_emit_sev(pl_ctx *ctx, pl_severity at_most, pl_span span,
                 const char *hint, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit_at(ctx, ctx->severity < at_most ? ctx->severity : at_most, span,
	        hint, NULL, fmt, ap);
	va_end(ap);
}

void pl_emit(pl_ctx *ctx, const pl_node *n, const char *fmt, ...)
{
	va_list ap;
	pl_span span;
	memset(&span, 0, sizeof(span));
	if (n)
		span = n->span;
	va_start(ap, fmt);
	emit(ctx, span, NULL, NULL, fmt, ap);
	va_end(ap);
}

void pl_emit_span(pl_ctx *ctx, pl_span span, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(ctx, span, NULL, NULL, fmt, ap);
	va_end(ap);
}

void pl_emit_hint(pl_ctx *ctx, pl_span span, const char *hint, const char *fmt,
                  ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(ctx, span, hint, NULL, fmt, ap);
	va_end(ap);
}

void pl_ctx_set_allowlist(pl_ctx *ctx, const pl_allowlist *allow)
{
	ctx->allow = allow;
}

void pl_ctx_set_fingerprint_key(pl_ctx *ctx, const unsigned char *key,
                                size_t len)
{
	ctx->fp_key = key;
	ctx->fp_key_len = len;
}

static bool allowed(pl_ctx *ctx, const char *value, size_t len, const char *fp)
{
	const pl_allowlist *a = ctx->allow;
	size_t i;

	if (!a)
		return false;
	for (i = 0; i < a->npaths; i++)
		if (fnmatch(a->paths[i], ctx->file->src.path, 0) == 0)
			return true;
	for (i = 0; i < a->nfingerprints; i++)
		if (strcmp(a->fingerprints[i], fp) == 0)
			return true;
	for (i = 0; i < a->nregexes; i++) {
		pl_match m;
		if (pl_regex_match(a->regexes[i], value, len, 0, &m,
		                   pl_ctx_scratch(ctx)) == 1)
			return true;
	}
	return false;
}

/* The flagged text as written at span (the excerpts show it): without
 * an anchor, quotes and surrounding blanks. */
static void flag_span(pl_ctx *ctx, pl_span span)
{
	const pl_source *src = &ctx->file->src;
	const char *s;
	size_t n;

	if (!src->data || span.end.offset <= span.start.offset ||
	    span.end.offset > src->len)
		return;
	s = src->data + span.start.offset;
	n = span.end.offset - span.start.offset;
	pl_mask_trim_span(&s, &n);
	pl_findings_flag(ctx->out, s, n);
}

void pl_emit_secret(pl_ctx *ctx, pl_span span, const char *value, size_t len,
                    const char *hint, const char *fmt, ...)
{
	char fp[160];
	va_list ap;

	/* an HMAC-SHA256 of the rule and the value under the run's key
	 * (run/key.c), cut to 64 bits: an identity for allowlists and
	 * baselines that nobody without the key can test a guess against,
	 * short passwords included */
	{
		static const unsigned char zero[32];
		unsigned char mac[PL_SHA256_LEN];
		const void *parts[2];
		size_t lens[2], i, o;
		parts[0] = ctx->rule->id;
		lens[0] = strlen(ctx->rule->id) + 1; /* with its NUL */
		parts[1] = value;
		lens[1] = len;
		pl_hmac_sha256(mac, ctx->fp_key ? ctx->fp_key : zero,
		               ctx->fp_key ? ctx->fp_key_len : sizeof(zero),
		               parts, lens, 2);
		o = (size_t)snprintf(fp, sizeof(fp), "%s:", ctx->rule->id);
		for (i = 0; i < 8 && o + 3 <= sizeof(fp); i++, o += 2)
			snprintf(fp + o, 3, "%02x", mac[i]);
	}
	if (allowed(ctx, value, len, fp))
		return;
	/* masked everywhere, even when the per-file cap or --diff-base
	 * leaves this finding out: a notice or another finding may show the
	 * same text (mask.h) */
	if (ctx->severity != PL_SEV_OFF && ctx->file &&
	    !ctx->rule->public_values) {
		pl_findings_flag(ctx->out, value, len);
		flag_span(ctx, span);
	}
	va_start(ap, fmt);
	emit(ctx, span, hint, fp, fmt, ap);
	va_end(ap);
	ctx->has_last = false; /* a secret never carries a fix */
}

bool pl_emit_fix(pl_ctx *ctx, pl_span span, const char *text)
{
	pl_finding *f;
	const pl_file *file = ctx->file;

	if (!ctx->has_last || !ctx->rule || !text || ctx->rule->secret ||
	    ctx->last >= ctx->out->items.len)
		return false;
	f = pl_vec_at(&ctx->out->items, ctx->last);
	if (f->rule != ctx->rule->id || span.end.offset < span.start.offset)
		return false;
	/* the edit must be in the file the finding landed in */
	if (ctx->rendered && span.start.line)
		file = pl_object_where_span(ctx->rendered, span);
	if (!file || &file->src != f->src)
		return false;
	return pl_finding_add_edit(f, span.start.offset,
	                           span.end.offset - span.start.offset, text);
}

bool pl_emit_related(pl_ctx *ctx, const pl_file *file, const pl_node *n,
                     const char *fmt, ...)
{
	pl_finding *f;
	pl_buf msg;
	va_list ap;
	size_t i;
	bool ok;

	if (!ctx->has_last || !ctx->rule || !n || ctx->rule->secret ||
	    ctx->last >= ctx->out->items.len)
		return false;
	f = pl_vec_at(&ctx->out->items, ctx->last);
	if (f->rule != ctx->rule->id)
		return false;
	if (!file)
		file = ctx->rendered
		               ? pl_object_where_span(ctx->rendered, n->span)
		               : ctx->file;
	if (!file || file->outside_run)
		return false;
	pl_buf_init(&msg, 1024);
	va_start(ap, fmt);
	pl_buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	ok = pl_finding_add_related(f, &file->src, n->span, msg.ptr);
	for (i = 0; !ok && i < f->nrelated; i++) {
		pl_related *r = &f->related[i];
		/* the engine named this place already (relate_original):
		 * the rule's words are the more precise */
		if (r->src == &file->src && pl_span_same(r->span, n->span)) {
			free(r->message);
			r->message = pl_buf_detach(&msg, NULL);
			ok = true;
		}
	}
	pl_buf_release(&msg);
	return ok;
}
