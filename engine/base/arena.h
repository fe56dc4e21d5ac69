/*
 * arena.h - bump allocator for everything that lives as long as a file.
 *
 * One arena per source file holds its nodes, unescaped scalars and comment
 * index; one run arena holds what lives for the whole run. Allocations are
 * 8-byte aligned and never freed one by one: pl_arena_release frees all.
 * Not thread-safe: an arena belongs to one worker at a time.
 * Built with -DPL_ARENA_DEBUG every allocation is its own malloc, so ASan
 * sees overruns between neighbouring nodes (make san).
 */
#ifndef PL_ARENA_H
#define PL_ARENA_H

#include "base/base.h"

typedef struct pl_arena_chunk pl_arena_chunk;

typedef struct pl_arena {
	pl_arena_chunk *head;
	size_t used;  /* bytes handed out, for statistics */
	size_t total; /* bytes obtained from malloc */
} pl_arena;

void pl_arena_init(pl_arena *a);
/* Frees every allocation of the arena; the arena can be used again. */
void pl_arena_release(pl_arena *a);
/* Never returns NULL (out of memory exits, see xalloc.h). */
void *pl_arena_alloc(pl_arena *a, size_t size);
void *pl_arena_zalloc(pl_arena *a, size_t size);
/* Copies n bytes and appends a NUL. */
char *pl_arena_strndup(pl_arena *a, const char *s, size_t n);
char *pl_arena_strdup(pl_arena *a, const char *s);
char *pl_arena_printf(pl_arena *a, const char *fmt, ...) PL_PRINTF(2, 3);

#endif
