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
#include "finding/finding.h"
#include "model/model.h"
#include "rule/decl.h"
#include "rule/registry.h"

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

/*
 * tl_lint: lints one YAML file the way `plumb check` does (the real
 * registry: built-in rules and the packs compiled in, with their default
 * severities, the model of that one file, sorting and masking) and keeps
 * the findings of `rule` (every finding when rule is NULL). A rule that is
 * off by default is switched on. The file is named `path` (tl_lint uses
 * "test.yaml"), as some rules read the file name. Returns how many
 * findings it kept; tl_lint_release frees the result.
 */
typedef struct tl_lint_result {
	pl_registry reg;   /* the run's rules (reporters want it) */
	pl_ruleset *packs; /* owns the declarative rules' ids */
	pl_ruleset *extra; /* tl_lint_rules: the rule file's rules */
	pl_file *file;
	pl_findings found; /* sorted, of `rule` only */
} tl_lint_result;

size_t tl_lint(tl_lint_result *out, const char *yaml, const char *rule);
size_t tl_lint_path(tl_lint_result *out, const char *path, const char *yaml,
                    const char *rule);
/* tl_lint with the declarative rule file `rules` ("rules.yaml") added. */
size_t tl_lint_rules(tl_lint_result *out, const char *rules, const char *yaml,
                     const char *rule);
void tl_lint_release(tl_lint_result *r);
/* Finding i, failing the test if there are fewer. */
const pl_finding *tl_finding(const tl_lint_result *r, size_t i);
/*
 * True if f is a finding of rule at line:col whose message holds
 * `message` (NULL: any); otherwise prints what it is and returns false.
 */
bool tl_finding_is(const char *what, const pl_finding *f, const char *rule,
                   uint32_t line, uint32_t col, const char *message);

#endif
