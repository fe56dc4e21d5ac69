/*
 * eval.h - running the rules of a registry over one file.
 *
 * Thread-safe as long as each worker has its own pl_ctx: the registry and
 * the file are only read.
 */
#ifndef PL_EVAL_H
#define PL_EVAL_H

#include "rule/ctx.h"
#include "rule/registry.h"

/* Runs every FILE rule that applies to f, then every OBJECT rule on each
 * document of f whose kind matches. Findings go to ctx->out. */
void pl_eval_file(pl_ctx *ctx, const pl_registry *reg, const pl_file *f);
/* Which rules pl_eval_file_part runs on a file. */
typedef enum pl_eval_part {
	PL_EVAL_ALL,   /* pl_eval_file's */
	PL_EVAL_ALONE, /* only the FILE rules marked `alone` (rule.h) */
	PL_EVAL_REST,  /* every rule but those */
} pl_eval_part;
/* pl_eval_file for part of the rules: ALONE, then REST (each with a
 * per-file cap of its own) is ALL. ALONE needs no model. */
void pl_eval_file_part(pl_ctx *ctx, const pl_registry *reg, const pl_file *f,
                       pl_eval_part part);
/* Runs the OBJECT rules that judge built objects on the rendered copy o
 * (model/render.h); each finding lands in the file that wrote its node. */
void pl_eval_rendered(pl_ctx *ctx, const pl_registry *reg, const pl_object *o);

#endif
