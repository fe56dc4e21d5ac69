/*
 * semver.h - semantic versions and Flux ImagePolicy semver ranges.
 *
 * Behaviour follows Masterminds/semver v3, the library Flux's
 * image-reflector-controller uses for spec.policy.semver.range, not npm:
 * ranges are NewConstraint + Check without IncludePrerelease, image tags
 * are parsed like fluxcd/pkg/version.ParseVersion. A pl_semver borrows the
 * text it was parsed from; a pl_semver_range owns a copy of its text. Both
 * are read-only once built, so threads may share them. Every input is
 * bounded by the PL_SEMVER_* limits below and nothing recurses.
 */
#ifndef PL_SEMVER_H
#define PL_SEMVER_H

#include "base/error.h"

#define PL_SEMVER_VERSION_MAX      256 /* bytes in a version or tag */
#define PL_SEMVER_RANGE_MAX        512 /* bytes in a range */
#define PL_SEMVER_MAX_ALTERNATIVES 32  /* '||' groups in a range */
#define PL_SEMVER_MAX_COMPARATORS  256 /* comparators in a range */

typedef struct pl_semver {
	uint64_t major, minor, patch;
	const char *pre; /* prerelease without its '-'; pre_len 0: a release */
	size_t pre_len;
	const char *build; /* build metadata without its '+' */
	size_t build_len;
} pl_semver;

/* What pl_semver_parse accepts beyond semver 2.0.0's MAJOR.MINOR.PATCH. */
enum {
	PL_SEMVER_STRICT = 0,             /* Masterminds StrictNewVersion */
	PL_SEMVER_ALLOW_V = 1 << 0,       /* one leading 'v' */
	PL_SEMVER_ALLOW_PARTIAL = 1 << 1, /* "1" and "1.2" mean 1.0.0, 1.2.0 */
	PL_SEMVER_ALLOW_LEADING_ZERO = 1 << 2, /* "01.2.3" */
	PL_SEMVER_LOOSE = 7, /* Masterminds NewVersion: all three */
};

/*
 * Parses the len bytes at s. Prerelease identifiers must never have a
 * leading zero, whatever the flags (as in Masterminds). Returns 0, or
 * PL_EPARSE with `invalid version '...': why` and the 1-based column of
 * the offending part in err->pos (line 1). *out points into s.
 */
int pl_semver_parse(pl_semver *out, const char *s, size_t len, unsigned flags,
                    pl_error *err);

/*
 * Parses an image tag as Flux does: one leading 'v' is dropped, the rest
 * must be a strict semver ("v1.2.3" and "1.2.3-rc.1" are versions; "1.2",
 * "1.2.3.4", "latest" are not, and Flux skips them). err may be NULL.
 */
int pl_semver_tag(pl_semver *out, const char *tag, size_t len, pl_error *err);

/*
 * Precedence (semver 2.0.0 §11): -1, 0 or 1. Build metadata is ignored;
 * numeric prerelease identifiers compare as numbers, below alphanumeric
 * ones. As in Masterminds, a numeric identifier too large for 64 bits is
 * compared as alphanumeric (bytewise).
 */
int pl_semver_cmp(const pl_semver *a, const pl_semver *b);

typedef struct pl_semver_range pl_semver_range;

/*
 * Compiles a range written in Masterminds syntax: comparators `=`, `!=`,
 * `>`, `<`, `>=`, `=>`, `<=`, `=<`, `~`, `~>`, `^` or none, AND-ed by
 * spaces or commas, OR-ed by `||`; hyphen ranges `1.2 - 1.4.5`; `x`, `X`
 * and `*` wildcards; partial versions; a `v` prefix. Returns 0 and a range
 * the caller frees with pl_semver_range_free, or PL_EPARSE with the
 * 1-based column (in code points) of the offending token in err->pos
 * (line 1) and a message such as `invalid version '1.2.x.3' in range`.
 */
int pl_semver_range_new(pl_semver_range **out, const char *s, size_t len,
                        pl_error *err);
void pl_semver_range_free(pl_semver_range *r); /* NULL is fine */

/*
 * Does v satisfy r, as Flux decides: a prerelease only satisfies an
 * alternative that itself names a prerelease (`>=1.0.0-0`), whatever its
 * bounds. _opt with PL_SEMVER_INCLUDE_PRERELEASE lets prereleases satisfy
 * any alternative (Masterminds' IncludePrerelease, which Flux does not
 * set).
 */
bool pl_semver_range_match(const pl_semver_range *r, const pl_semver *v);
enum { PL_SEMVER_INCLUDE_PRERELEASE = 1 };
bool pl_semver_range_match_opt(const pl_semver_range *r, const pl_semver *v,
                               unsigned flags);

/* The number of '||' alternatives, and of comparators in alternative i. */
size_t pl_semver_range_alternatives(const pl_semver_range *r);
size_t pl_semver_range_comparators(const pl_semver_range *r, size_t i);

/*
 * False when versions without limit satisfy r: `>=1.0.0`, `*`, `!=1.2.3`,
 * `1.x || >=3`. True for `<2.0.0`, `^1.2`, `1.0.0 - 2.0.0`, and for a range
 * nothing satisfies. (A range admitting the greatest representable
 * version, 2^64-1 in every part, counts as unbounded.)
 */
bool pl_semver_range_has_upper_bound(const pl_semver_range *r);

/*
 * True when two versions with different majors both satisfy r (under
 * pl_semver_range_match, so Flux could move an image across a major):
 * `>=1.0.0`, `>=1.0 <3.0`, `*`, `1.x || 2.x`, `<2.0.0` (0.x and 1.x), and
 * `>=1.0.0-0 <2.0.0-rc.1` (2.0.0-alpha satisfies it). False for `^1.2`,
 * `~1.2.3`, `1.x`, `0.x`, `>=1.0.0 <2.0.0` (2.0.0-alpha is below 2.0.0 but,
 * as the range names no prerelease, it does not satisfy it) and for a
 * range nothing satisfies. Exact: decided by probing one version of each
 * class of versions the range cannot tell apart.
 */
bool pl_semver_range_spans_majors(const pl_semver_range *r);

/*
 * Flux's choice among image tags: parses each NUL-terminated tag with
 * pl_semver_tag (skipping those that fail), keeps those satisfying r and
 * sets *index to the greatest (the first of equals). Returns 0, or
 * PL_ENOTFOUND when no tag qualifies (Flux reports an error then).
 */
int pl_semver_latest(const pl_semver_range *r, const char *const *tags,
                     size_t ntags, size_t *index);

#endif
