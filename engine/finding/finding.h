/*
 * finding.h - what rules report: one problem at one span of one file.
 *
 * A finding borrows its rule id (static) and its source (alive until the
 * report is written) and owns its message and hint. A pl_findings list is
 * owned by whoever made it (a worker, then the run) and freed with
 * pl_findings_release. Sorting is by path, line, column, rule id, then
 * message, so reports are the same whatever the number of workers.
 */
#ifndef PL_FINDING_H
#define PL_FINDING_H

#include "base/base.h"
#include "base/error.h"
#include "base/par.h"
#include "base/pos.h"
#include "base/vec.h"
#include "finding/mask.h"
#include "source/source.h"

typedef enum pl_severity {
	PL_SEV_OFF = 0,
	PL_SEV_INFO = 1,
	PL_SEV_WARNING = 2,
	PL_SEV_ERROR = 3,
} pl_severity;

/* Why a finding is not counted (reports may still carry it: SARIF as a
 * `suppressions` entry, JSON with "suppressed"). */
typedef enum pl_suppression {
	PL_SUPPRESS_NONE = 0,
	PL_SUPPRESS_INLINE,     /* # plumb:ignore RULE -- reason */
	PL_SUPPRESS_ANNOTATION, /* plumb.io/ignore on the object */
	PL_SUPPRESS_CONFIG,     /* .plumb.yaml ignore entry */
	PL_SUPPRESS_BASELINE,   /* recorded by plumb baseline */
} pl_suppression;

/*
 * One text edit of a fix: replace bytes [offset, offset + len) of the
 * finding's file (pl_source.data, BOM included) with text. start and end
 * are the same span as positions, for reports that count lines.
 */
typedef struct pl_edit {
	size_t offset;
	size_t len;
	pl_pos start, end;
	char *text; /* owned, NUL-terminated */
} pl_edit;

/*
 * Another place a finding is about (LSP relatedInformation, SARIF
 * relatedLocations): the ImagePolicy a marker names, the kustomization
 * line that sets a namespace, the base a patch changes. Its source lives
 * as long as the finding's; message is owned and never holds a flagged
 * value (pl_findings_redact masks it).
 */
typedef struct pl_related {
	const pl_source *src;
	pl_span span;
	char *message; /* owned, NUL-terminated */
} pl_related;

typedef struct pl_finding {
	const char *rule; /* static rule id */
	pl_severity severity;
	const pl_source *src; /* for the path and the source line */
	pl_span span;         /* start.line 0: the whole file */
	char *message;        /* owned */
	char *hint;           /* owned, may be NULL: how to fix it */
	char *fingerprint;    /* owned, may be NULL: secrets only */
	/* Set by pl_findings_fingerprint: stable across unrelated edits
	 * (rule, path, the trimmed source line, its occurrence), for
	 * baselines and SARIF partialFingerprints. */
	uint64_t stable;
	pl_suppression suppressed;
	char *suppress_reason; /* owned, may be NULL */
	/* A mechanical fix (rule.h, pl_emit_fix): edits of this finding's
	 * file, sorted by offset, none overlapping; applied all together or
	 * not at all. Owned; NULL and 0 when the finding has no fix (never
	 * for secrets/). */
	pl_edit *edits;
	size_t nedits;
	/* an edit's text holds a flagged value (pl_findings_redact):
	 * reports leave the fix out; --fix applies it */
	bool fix_hidden;
	/* Other places the finding is about (pl_finding_add_related), in
	 * the order the rule added them; owned. They are not part of the
	 * finding's identity: sort, dedupe and `stable` ignore them, so a
	 * baseline stays valid when a rule starts naming them. */
	pl_related *related;
	size_t nrelated;
} pl_finding;

typedef struct pl_findings {
	pl_vec items; /* pl_finding */
	/* every value a secrets/ rule flagged, even past the per-file cap
	 * or on a file out of scope (char *, owned; pl_findings_flag) */
	pl_vec flagged;
	pl_vec flagged_len; /* size_t: the length of each flagged value */
	pl_masks masks;     /* built from flagged by pl_findings_redact */
} pl_findings;

void pl_findings_init(pl_findings *f);
void pl_findings_release(pl_findings *f);
/* Records s[0..len) as a flagged value: it is masked wherever a report
 * would show it (mask.h). */
void pl_findings_flag(pl_findings *f, const char *s, size_t len);
/* Moves every finding and flagged value of src to the end of dst; src
 * becomes empty. */
void pl_findings_move(pl_findings *dst, pl_findings *src);
void pl_findings_sort(pl_findings *f);
/*
 * Drops a finding equal to an earlier one (same file, span, rule,
 * severity and message): a base that two overlays build is judged once
 * per overlay, and a finding every overlay makes is reported once, at
 * the base. f must be sorted.
 */
void pl_findings_dedupe(pl_findings *f);
/*
 * One value, one finding: where two rules judge the same node for the
 * same cause (schema/invalid's "expected string, got number" on an
 * unquoted `1.10` that yaml/ambiguous-scalar explains and fixes), the
 * more general finding is dropped and the kept one is suppressed when
 * either was, so one suppression covers both. f must be sorted; call it
 * after the suppression stage (which counts what each suppression hid).
 */
void pl_findings_merge_same_value(pl_findings *f);
/*
 * Builds f->masks from every flagged value and masks them in the message,
 * hint and suppression reason of every finding (a schema/ or yaml/ finding
 * that quotes a value secrets/ flagged must not print it). Reporters mask
 * source excerpts with f->masks. Call it again after adding findings.
 */
void pl_findings_redact(pl_findings *f);
/* The same, the findings shared out over par's threads (NULL: here). */
void pl_findings_redact_par(pl_findings *f, const pl_par *par);
/*
 * After sorting and pl_findings_redact: sets every finding's `stable`
 * hash from its rule, path, the text of its line with blanks collapsed
 * and flagged values masked (or, for a secret, its keyed value
 * fingerprint), and how many equal findings come before it in the file,
 * so moving code or editing other lines does not change it.
 */
void pl_findings_fingerprint(pl_findings *f);
/* The same, each finding's line read and hashed on par's threads; the
 * count of equal findings before it stays in order (NULL: here). */
void pl_findings_fingerprint_par(pl_findings *f, const pl_par *par);
/* The `stable` hash as reports print it: 16 lower-case hex digits. */
void pl_finding_stable_hex(const pl_finding *f, char out[17]);
static inline size_t pl_findings_len(const pl_findings *f)
{
	return f->items.len;
}
static inline pl_finding *pl_findings_at(const pl_findings *f, size_t i)
{
	return pl_vec_at(&f->items, i);
}

/*
 * Adds an edit to f's fix (text copied): false, and f unchanged, when
 * [offset, offset + len) is outside f's source, overlaps an edit f
 * already has (or starts where one does), or the source was UTF-16 on
 * disk (its offsets are not the file's).
 */
bool pl_finding_add_edit(pl_finding *f, size_t offset, size_t len,
                         const char *text);
/* The most related locations one finding keeps. */
#define PL_FINDING_MAX_RELATED 8
/*
 * Adds a related location to f (message copied): false, and f unchanged,
 * when src is NULL, the span has no line, f already has the same
 * location, or it has PL_FINDING_MAX_RELATED of them.
 */
bool pl_finding_add_related(pl_finding *f, const pl_source *src, pl_span span,
                            const char *message);
/* Frees what f owns (message, hint, fingerprint, reason, edits,
 * related locations). */
void pl_finding_release(pl_finding *f);

const char *pl_severity_name(pl_severity s);
/* Parses "error", "warning", "info" (and "off" if allow_off). */
int pl_severity_parse(pl_severity *out, const char *s, bool allow_off);

#endif
