/*
 * cel_regex.c - CEL's matches() on pcre2, through lib/regex.h: RE2
 * constructs pcre2 reads otherwise are refused, compiled patterns are
 * kept in a small round-robin cache.
 */
#include "cel/cel_regex.h"
#include "base/xalloc.h"
#include "lib/regex.h"

#define CACHE 16

struct pl_cel_regex {
	char *pat[CACHE];
	pl_regex *re[CACHE];
	size_t next;
	pl_match_scratch *scratch;
};

pl_cel_regex *pl_cel_regex_new(void)
{
	pl_cel_regex *r = pl_xcalloc(1, sizeof *r);
	r->scratch = pl_match_scratch_new();
	return r;
}

void pl_cel_regex_free(pl_cel_regex *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < CACHE; i++) {
		free(r->pat[i]);
		pl_regex_free(r->re[i]);
	}
	pl_match_scratch_free(r->scratch);
	free(r);
}

/* The first construct RE2 does not have, or NULL. */
static const char *not_re2(const char *p, size_t n)
{
	size_t i;
	bool cls = false;

	for (i = 0; i < n; i++) {
		if (p[i] == '\\' && i + 1 < n) {
			char e = p[i + 1];
			if (!cls &&
			    ((e >= '1' && e <= '9') || e == 'g' || e == 'k' ||
			     e == 'Z' || e == 'K' || e == 'R' || e == 'X'))
				return "a backreference or pcre-only escape";
			i++;
			continue;
		}
		if (cls) {
			if (p[i] == ']')
				cls = false;
			continue;
		}
		if (p[i] == '[') {
			cls = true;
			if (i + 1 < n && p[i + 1] == '^')
				i++;
			if (i + 1 < n && p[i + 1] == ']')
				i++;
			continue;
		}
		if (p[i] == '(' && i + 2 < n && p[i + 1] == '?' &&
		    (p[i + 2] == '=' || p[i + 2] == '!' || p[i + 2] == '>' ||
		     p[i + 2] == '|' || p[i + 2] == 'R' ||
		     (p[i + 2] >= '0' && p[i + 2] <= '9') ||
		     (p[i + 2] == '<' && i + 3 < n &&
		      (p[i + 3] == '=' || p[i + 3] == '!'))))
			return "lookaround, atomic groups or recursion";
		if ((p[i] == '+' || p[i] == '*' || p[i] == '?' ||
		     p[i] == '}') &&
		    i + 1 < n && p[i + 1] == '+')
			return "a possessive quantifier";
	}
	return NULL;
}

int pl_cel_regex_match(void *ud, const char *pat, size_t plen, const char *s,
                       size_t slen, size_t from, size_t *start, size_t *end,
                       char *msg, size_t msize)
{
	pl_cel_regex *r = ud;
	const char *why;
	pl_error err;
	pl_match m;
	size_t i;
	int rc;

	for (i = 0; i < CACHE; i++)
		if (r->pat[i] && strlen(r->pat[i]) == plen &&
		    !memcmp(r->pat[i], pat, plen))
			break;
	if (i == CACHE) {
		char *p;
		pl_regex *re;
		if (memchr(pat, '\0', plen)) {
			snprintf(msg, msize, "NUL in pattern");
			return -1;
		}
		why = not_re2(pat, plen);
		if (why) {
			snprintf(msg, msize, "RE2 has no %s", why);
			return -1;
		}
		p = pl_xstrndup(pat, plen);
		pl_error_clear(&err);
		if (pl_regex_new(&re, p, PL_REGEX_UTF, &err) != 0) {
			snprintf(msg, msize, "%s", err.msg);
			free(p);
			return -1;
		}
		i = r->next;
		r->next = (r->next + 1) % CACHE;
		free(r->pat[i]);
		pl_regex_free(r->re[i]);
		r->pat[i] = p;
		r->re[i] = re;
	}
	rc = pl_regex_match(r->re[i], s, slen, from, &m, r->scratch);
	if (rc < 0) {
		snprintf(msg, msize, "match limit reached");
		return -1;
	}
	if (rc > 0) {
		*start = m.start;
		*end = m.end;
	}
	return rc;
}
