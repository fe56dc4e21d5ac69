/*
 * filter.h - findings the user has suppressed in the source itself.
 *
 * `plumb:ignore RULE[,RULE] -- reason` in a comment on the offending line,
 * or alone on the line above it, suppresses those rules there (DESIGN.md:
 * one syntax everywhere; any comment marker works: `#`, `//`, `<!--`).
 * A RULE may be a whole family: `secrets/` followed by a star. Reasons, expiry
 * dates and stale ignores come with the reports issue (.plumb.yaml, baseline).
 */
#ifndef PL_FILTER_H
#define PL_FILTER_H

#include "finding/finding.h"

/* True if an inline ignore on line `line` of src names `rule`. */
bool pl_filter_ignored(const pl_source *src, uint32_t line, const char *rule);
/* Removes the suppressed findings from f (keeps the order). Returns how
 * many were removed. */
size_t pl_filter_inline(pl_findings *f);

#endif
