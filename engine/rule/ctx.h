/*
 * ctx.h - the engine's side of pl_ctx (rules see it as opaque).
 *
 * One pl_ctx per worker: the rule being run, the file it runs on, and the
 * finding list the worker owns. The per-file cap (pl_limits) turns a flood
 * of findings into one note instead of a runaway report.
 */
#ifndef PL_CTX_H
#define PL_CTX_H

#include "rule/rule.h"

struct pl_ctx {
	const pl_rule *rule;
	pl_severity severity;      /* effective severity of `rule` */
	const void *state;         /* what rule->prepare built */
	const pl_node *settings;   /* the rule's .plumb.yaml mapping */
	pl_match_scratch *scratch; /* owned, lazily created */
	const pl_model *model;     /* the run's index, may be NULL */
	const pl_file *file;
	/* the rendered copy being judged (model/render.h), or NULL: a
	 * finding lands in the file that wrote the node it points at */
	const pl_object *rendered;
	pl_findings *out;
	size_t emitted; /* findings on the current file */
	size_t max_per_file;
	bool capped; /* the cap note was emitted */
	/* the finding the last pl_emit* made (an index into out), for
	 * pl_emit_fix; has_last is false when that emit made none */
	size_t last;
	bool has_last;
	const pl_allowlist *allow; /* may be NULL */
	/* key of secret fingerprints (run/key.c); NULL: an all-zero key */
	const unsigned char *fp_key;
	size_t fp_key_len;
	/* NULL, or set to true when the running rule reads another file
	 * of the run (pl_ctx_file, pl_ctx_model): run/cache.c records no
	 * finding of a file whose cached rules did */
	bool *read_other;
};

void pl_ctx_init(pl_ctx *ctx, pl_findings *out, size_t max_per_file);
void pl_ctx_set_allowlist(pl_ctx *ctx, const pl_allowlist *allow);
/* The key secret fingerprints are an HMAC-SHA256 under (borrowed). */
void pl_ctx_set_fingerprint_key(pl_ctx *ctx, const unsigned char *key,
                                size_t len);
/* Gives the rules the run's model (every file and object). */
void pl_ctx_set_model(pl_ctx *ctx, const pl_model *model);
/* Frees what the ctx owns (its regex scratch), not the findings. */
void pl_ctx_release(pl_ctx *ctx);
/* Starts a new file: resets the per-file count. */
void pl_ctx_set_file(pl_ctx *ctx, const pl_file *file);
void pl_ctx_set_rule(pl_ctx *ctx, const pl_rule *rule, pl_severity sev,
                     const void *state, const pl_node *settings);

#endif
