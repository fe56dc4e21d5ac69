/*
 * semver_impl.h - private to engine/lib/semver*.c: the compiled form of a
 * range and the helpers its files share. semver.c parses and compares
 * versions and owns the helpers; semver_range.c builds and matches
 * pl_semver_range; semver_admits.c reasons about what a range admits.
 * Nothing outside engine/lib/semver*.c includes this header.
 */
#ifndef PL_SEMVER_IMPL_H
#define PL_SEMVER_IMPL_H

#include "lib/semver.h"

/* Operators; EQ is "" and "=": equal, or tilde when a part is a wildcard. */
typedef enum pl_semver__op {
	PL_SEMVER__OP_EQ,
	PL_SEMVER__OP_NE,
	PL_SEMVER__OP_GT,
	PL_SEMVER__OP_LT,
	PL_SEMVER__OP_GE,
	PL_SEMVER__OP_LE,
	PL_SEMVER__OP_TILDE,
	PL_SEMVER__OP_CARET,
} pl_semver__op;

/*
 * A comparator. `dirty` when a part was a wildcard or missing; the
 * missing parts of con are 0 and minor_dirty / patch_dirty say which
 * (a wildcard major leaves dirty alone set, con 0.0.0).
 */
typedef struct pl_semver__cmp {
	pl_semver con;
	uint8_t op;
	bool dirty, minor_dirty, patch_dirty;
} pl_semver__cmp;

typedef struct pl_semver__group {
	size_t first, n;
	bool has_pre; /* a comparator names a prerelease */
} pl_semver__group;

struct pl_semver_range {
	char *text; /* after rewriting; con.pre and con.build point here */
	pl_semver__group *groups;
	size_t ngroups;
	pl_semver__cmp *cmps;
	size_t ncmps, capcmps;
};

/* Character classes of the version grammar (semver 2.0.0 §9, §10). */
bool pl_semver__is_digit(char c);
bool pl_semver__is_id(char c);
/* True when s[0, n) is one or more digits. */
bool pl_semver__all_digits(const char *s, size_t n);
/* Digits only; false when the value does not fit 64 bits. */
bool pl_semver__to_u64(const char *s, size_t n, uint64_t *out);

/* Writes s for a message: at most 48 bytes, control bytes as \xNN. */
void pl_semver__quote(char *out, size_t size, const char *s, size_t n);
/*
 * Sets err (when not NULL) to PL_EPARSE with the message and the 1-based
 * column, in code points, of byte off of s (line 1). Returns PL_EPARSE.
 */
int pl_semver__fail(pl_error *err, const char *s, size_t off, const char *fmt,
                    ...) PL_PRINTF(4, 5);

/* Precedence of two prereleases alone (without '-'); "" is a release. */
int pl_semver__cmp_pre(const char *a, size_t an, const char *b, size_t bn);

#endif
