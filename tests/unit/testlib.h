/*
 * testlib.h - helpers shared by the cmocka unit tests: parse a YAML string
 * into a tree, run the built-in rules over a string and collect findings.
 * cmocka 1.1.5 needs <stdarg.h> <stddef.h> <stdint.h> <setjmp.h> first.
 *
 * tl_load builds a pl_source from a string (copied, so the test's literal
 * can be reused) and loads it into a tree with an arena of its own; the
 * tl_doc owns all three and tl_release frees them. Helpers that compare
 * print what differs through cmocka's print_error and return false, so a
 * table-driven test can name its failing case and go on.
 */
#ifndef PL_TESTLIB_H
#define PL_TESTLIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/base.h"
#include "base/arena.h"
#include "base/limit.h"
#include "source/source.h"
#include "tree/load.h"

typedef struct tl_doc {
	pl_source src;
	pl_arena arena;
	pl_tree tree;
} tl_doc;

/* Fills src with a copy of the len bytes at text (path "test.yaml"). */
void tl_source(pl_source *src, const char *text, size_t len);
/* Loads the NUL-terminated yaml with default limits. */
void tl_load(tl_doc *out, const char *yaml);
/* Loads len bytes of yaml (may hold NULs) with the given limits. */
void tl_load_n(tl_doc *out, const char *yaml, size_t len,
               const pl_limits *limits);
void tl_release(tl_doc *d);

/* The root of document i, failing the test if there is no such document. */
const pl_node *tl_root(const tl_doc *d, size_t i);

/*
 * True if span s is exactly (sl:sc@so)-(el:ec@eo); otherwise prints
 * "what: span a:b@c-d:e@f, want ..." and returns false.
 */
bool tl_span_is(const char *what, const pl_span *s, uint32_t sl, uint32_t sc,
                size_t so, uint32_t el, uint32_t ec, size_t eo);
/* Same for one position. */
bool tl_pos_is(const char *what, const pl_pos *p, uint32_t line, uint32_t col,
               size_t offset);

#endif
