/*
 * regex.h - PCRE2 behind one small interface (the only <pcre2.h> user).
 *
 * A pl_regex is compiled once per run (JIT when available) and shared
 * read-only by all workers. Matching needs a pl_match_scratch, one per
 * worker, which holds pcre2's match data, its match context with the
 * match and depth limits (so a catastrophic pattern in a rule file
 * cannot hang a run) and the JIT stack.
 */
#ifndef PL_REGEX_H
#define PL_REGEX_H

#include "base/error.h"

typedef struct pl_regex pl_regex;
typedef struct pl_match_scratch pl_match_scratch;

enum {
	PL_REGEX_CASELESS = 1 << 0,
	PL_REGEX_MULTILINE = 1 << 1,
	PL_REGEX_LITERAL = 1 << 2, /* the pattern is a plain string */
	PL_REGEX_UTF = 1 << 3,     /* code points, not bytes (CEL, RE2) */
	/* no JIT: for a pattern matched a few times, where compiling it
	 * to machine code costs more than it saves */
	PL_REGEX_NO_JIT = 1 << 4,
};

/* One match: byte offsets, end exclusive. group is capture 1 if the
 * pattern has one and it took part, else the whole match. */
typedef struct pl_match {
	size_t start, end;
	size_t group_start, group_end;
} pl_match;

/*
 * Compiles pattern. Returns 0, or PL_EPARSE with the pcre2 message and
 * the offset of the fault in err->pos.col (1-based, on line 1).
 */
int pl_regex_new(pl_regex **out, const char *pattern, unsigned flags,
                 pl_error *err);
void pl_regex_free(pl_regex *re);
/* Number of capture groups. */
unsigned pl_regex_groups(const pl_regex *re);

pl_match_scratch *pl_match_scratch_new(void);
void pl_match_scratch_free(pl_match_scratch *s);

/*
 * Finds the first match of re in s[0..len) at or after `from`. Returns 1
 * and fills *m, 0 when there is none, PL_ELIMIT when the match or depth
 * limit was hit (treated as no match by callers, but countable).
 */
int pl_regex_match(const pl_regex *re, const char *s, size_t len, size_t from,
                   pl_match *m, pl_match_scratch *scratch);

/*
 * After pl_regex_match returned 1 with scratch: the span of group g in
 * the subject (0 is the whole match). False when the group did not take
 * part in the match or g is beyond the 15 groups the scratch keeps.
 */
bool pl_regex_group(const pl_match_scratch *scratch, unsigned g, size_t *start,
                    size_t *end);
/* The number of the group named name[0..len) ((?P<name>...) or
 * (?<name>...)), or -1. */
int pl_regex_group_number(const pl_regex *re, const char *name, size_t len);

/* PCRE2's version ("10.42 2022-12-11"), for `plumb version`; writes
 * into out[0..size). */
const char *pl_regex_version(char *out, size_t size);

#endif
