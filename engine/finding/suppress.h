/*
 * suppress.h - findings a user has suppressed, and suppressions that are
 * themselves wrong.
 *
 * Four forms share one grammar, `RULE[,RULE] [until=YYYY-MM-DD] -- reason`
 * (a RULE may be a family, `secrets/` followed by `*`; `until=` may also
 * come after the reason):
 *   inline      `plumb:ignore ...` in a comment on the offending line, or
 *               alone on the line above it (any comment opener: #, //,
 *               <!--, --, ;, slash-star)
 *   annotation  metadata.annotations["plumb.io/ignore"] of a Kubernetes
 *               object: the whole object
 *   config      `ignore:` entries of .plumb.yaml: path globs and rules
 *   baseline    fingerprints recorded by `plumb baseline`
 * A suppressed finding stays in the list, marked (reports decide whether
 * to show it); an expired suppression stops suppressing. The stage then
 * adds its own findings: suppression/missing-reason, suppression/expired
 * and suppression/unused, at the suppression's position.
 */
#ifndef PL_SUPPRESS_H
#define PL_SUPPRESS_H

#include "finding/finding.h"
#include "model/model.h"

#define PL_SUPPRESS_ANNOTATION_KEY "plumb.io/ignore"

/* The ids of the rules this stage reports: the stage emits them, and
 * their descriptors (rules/builtin/suppression.c, .stage =
 * PL_STAGE_SUPPRESSION) take their ids from here, so the two cannot
 * name different rules. */
#define PL_SUPPRESS_RULE_EXPIRED        "suppression/expired"
#define PL_SUPPRESS_RULE_MISSING_REASON "suppression/missing-reason"
#define PL_SUPPRESS_RULE_UNUSED         "suppression/unused"

/* A .plumb.yaml `ignore:` entry; strings borrowed from the config. */
typedef struct pl_ignore_entry {
	const char *const *paths; /* fnmatch globs, '*' crosses '/' */
	size_t npaths;
	const char *const *rules; /* ids or family/'*' */
	size_t nrules;
	const char *reason; /* may be NULL */
	const char *until;  /* YYYY-MM-DD or NULL */
	const pl_source *src;
	pl_span at; /* the entry, for its own findings */
} pl_ignore_entry;

typedef struct pl_suppress_opts {
	const char *today; /* YYYY-MM-DD: a suppression until today holds */
	const pl_ignore_entry *config;
	size_t nconfig;
	const uint64_t *baseline; /* sorted stable fingerprints */
	size_t nbaseline;
	/* severities of the stage's own rules; PL_SEV_OFF turns one off */
	pl_severity missing_reason, expired, unused;
	/* the rules ran on some files only (--staged, plumb lsp): whether
	 * a .plumb.yaml entry hides anything cannot be told, so none is
	 * reported unused */
	bool partial;
} pl_suppress_opts;

/*
 * Marks the suppressed findings of f (which must be fingerprinted) and
 * appends the stage's own findings. files are every file of the run (for
 * inline markers and annotations). The appended findings are not sorted.
 */
void pl_suppress_apply(pl_findings *f, const pl_file *const *files,
                       size_t nfiles, const pl_suppress_opts *o);

/*
 * True if s is a valid calendar date written YYYY-MM-DD.
 */
bool pl_suppress_date_valid(const char *s, size_t len);

#endif
