/*
 * comment.h - comments of a loaded file, read from its source buffer.
 *
 * The loader indexes every comment: a '#' at the start of a line or after
 * a blank, outside every scalar (so `"a # b"` and block scalar content are
 * not comments). These helpers answer the two questions rules ask: the
 * comment at the end of a line (Flux `# {"$imagepolicy": ...}` markers,
 * `# plumb:ignore` suppressions) and the block of whole-line comments
 * directly above a line. Returned pointers are borrowed from the tree.
 */
#ifndef PL_COMMENT_H
#define PL_COMMENT_H

#include "tree/load.h"

/* Index of comments, built by the loader from the scalar spans. */
void pl_comment__index(pl_tree *t, pl_arena *arena, const size_t *spans,
                       size_t nspans);

/* The trailing comment of 1-based `line`, or NULL. */
const pl_comment *pl_comment_trailing(const pl_tree *t, uint32_t line);
/* The comment that occupies a whole `line` (blanks before it), or NULL. */
const pl_comment *pl_comment_on_line(const pl_tree *t, uint32_t line);
/*
 * The block of whole-line comments ending on the line just above `line`
 * (no blank line between). Returns how many; *first gets the topmost.
 */
size_t pl_comment_block_above(const pl_tree *t, uint32_t line,
                              const pl_comment **first);
/* The text of a comment after '#' and leading blanks; *len its length,
 * trailing blanks removed. */
const char *pl_comment_text(const pl_tree *t, const pl_comment *c, size_t *len);

#endif
