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
/* Part of pl_eval_file, on the file ctx is set to (pl_ctx_set_file;
 * the per-file count goes on across parts): only the rules i whose
 * pick[i] is want, in the same order (run/cache.c runs the rules whose
 * findings it can cache apart from the others). */
void pl_eval_file_some(pl_ctx *ctx, const pl_registry *reg, const pl_file *f,
                       const bool *pick, bool want);
/* Runs the OBJECT rules that judge built objects on the rendered copy o
 * (model/render.h); each finding lands in the file that wrote its node. */
void pl_eval_rendered(pl_ctx *ctx, const pl_registry *reg, const pl_object *o);

#endif
