/*
 * regex.c - the pcre2 adapter: pcre2's codes and messages are converted
 * here and nowhere else (STYLE.md §4.4).
 *
 * Patterns run in byte mode (no PCRE2_UTF): linted files may hold invalid
 * UTF-8, which UTF mode would reject before matching. The match limit
 * bounds backtracking steps and the depth limit the backtracking memory.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "lib/regex.h"
#include "base/xalloc.h"

#include <pcre2.h>

#define MATCH_LIMIT 1000000
#define DEPTH_LIMIT 10000

struct pl_regex {
	pcre2_code *code;
	unsigned groups;
};

struct pl_match_scratch {
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
};

int pl_regex_new(pl_regex **out, const char *pattern, unsigned flags,
                 pl_error *err)
{
	uint32_t opts = 0, groups = 0;
	int code;
	PCRE2_SIZE at;
	pcre2_code *re;
	pl_regex *r;

	*out = NULL;
	if (flags & PL_REGEX_CASELESS)
		opts |= PCRE2_CASELESS;
	if (flags & PL_REGEX_MULTILINE)
		opts |= PCRE2_MULTILINE;
	if (flags & PL_REGEX_LITERAL)
		opts |= PCRE2_LITERAL;
	if (flags & PL_REGEX_UTF)
		opts |= PCRE2_UTF | PCRE2_UCP;
	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts,
	                   &code, &at, NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];
		pl_pos pos;
		pcre2_get_error_message(code, msg, sizeof(msg));
		pos.line = 1;
		pos.col = (uint32_t)at + 1;
		pos.offset = at;
		return pl_error_set(err, PL_EPARSE, NULL, &pos,
		                    "bad regular expression: %s at offset "
		                    "%zu",
		                    (const char *)msg, (size_t)at);
	}
	/* JIT is an optimisation: without it, the interpreter still works */
	if (!(flags & PL_REGEX_NO_JIT))
		pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &groups);
	r = pl_xmalloc(sizeof(*r));
	r->code = re;
	r->groups = groups;
	*out = r;
	return 0;
}

void pl_regex_free(pl_regex *re)
{
	if (!re)
		return;
	pcre2_code_free(re->code);
	free(re);
}

unsigned pl_regex_groups(const pl_regex *re)
{
	return re->groups;
}

pl_match_scratch *pl_match_scratch_new(void)
{
	pl_match_scratch *s = pl_xcalloc(1, sizeof(*s));
	s->md = pcre2_match_data_create(16, NULL);
	s->mctx = pcre2_match_context_create(NULL);
	s->jit = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
	if (!s->md || !s->mctx) {
		fprintf(stderr, "plumb: out of memory (pcre2)\n");
		exit(3);
	}
	pcre2_set_match_limit(s->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(s->mctx, DEPTH_LIMIT);
	if (s->jit)
		pcre2_jit_stack_assign(s->mctx, NULL, s->jit);
	return s;
}

void pl_match_scratch_free(pl_match_scratch *s)
{
	if (!s)
		return;
	pcre2_match_data_free(s->md);
	pcre2_match_context_free(s->mctx);
	if (s->jit)
		pcre2_jit_stack_free(s->jit);
	free(s);
}

int pl_regex_match(const pl_regex *re, const char *s, size_t len, size_t from,
                   pl_match *m, pl_match_scratch *scratch)
{
	PCRE2_SIZE *ov;
	int rc;

	if (from > len)
		return 0;
	rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, from, 0, scratch->md,
	                 scratch->mctx);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_JIT_STACKLIMIT)
		return PL_ELIMIT;
	if (rc < 0)
		return 0;
	ov = pcre2_get_ovector_pointer(scratch->md);
	m->start = ov[0];
	m->end = ov[1];
	m->group_start = ov[0];
	m->group_end = ov[1];
	if (re->groups >= 1 && rc >= 2 && ov[2] != PCRE2_UNSET) {
		m->group_start = ov[2];
		m->group_end = ov[3];
	}
	return 1;
}

bool pl_regex_group(const pl_match_scratch *scratch, unsigned g, size_t *start,
                    size_t *end)
{
	PCRE2_SIZE *ov;
	if (g >= pcre2_get_ovector_count(scratch->md))
		return false;
	ov = pcre2_get_ovector_pointer(scratch->md);
	if (ov[2 * g] == PCRE2_UNSET)
		return false;
	*start = ov[2 * g];
	*end = ov[2 * g + 1];
	return true;
}

int pl_regex_group_number(const pl_regex *re, const char *name, size_t len)
{
	char buf[64];
	int n;
	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, name, len);
	buf[len] = '\0';
	n = pcre2_substring_number_from_name(re->code, (PCRE2_SPTR)buf);
	return n < 0 ? -1 : n;
}

const char *pl_regex_version(char *out, size_t size)
{
	if (size == 0)
		return out;
	out[0] = '\0';
	if (pcre2_config(PCRE2_CONFIG_VERSION, NULL) > 0 &&
	    (size_t)pcre2_config(PCRE2_CONFIG_VERSION, NULL) <= size)
		pcre2_config(PCRE2_CONFIG_VERSION, out);
	return out;
}
