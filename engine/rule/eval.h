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
/* Runs the OBJECT rules that judge built objects on the rendered copy o
 * (model/render.h); each finding lands in the file that wrote its node. */
void pl_eval_rendered(pl_ctx *ctx, const pl_registry *reg, const pl_object *o);

#endif
