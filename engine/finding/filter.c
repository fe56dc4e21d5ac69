/*
 * filter.c - inline `plumb:ignore` suppressions.
 */
#include "finding/filter.h"

#define MARKER "plumb:ignore"

/* Does the rule list at s (up to "--" or the end of the line) name
 * rule? */
static bool names_rule(const char *s, const char *end, const char *rule)
{
	while (s < end) {
		const char *tok;
		size_t n;
		while (s < end && (*s == ' ' || *s == '\t' || *s == ','))
			s++;
		if (end - s >= 2 && s[0] == '-' && s[1] == '-')
			return false; /* the reason starts */
		tok = s;
		while (s < end && *s != ' ' && *s != '\t' && *s != ',')
			s++;
		n = (size_t)(s - tok);
		if (n == 0)
			continue;
		if (strlen(rule) == n && memcmp(tok, rule, n) == 0)
			return true;
		if (n >= 2 && tok[n - 1] == '*' && tok[n - 2] == '/' &&
		    strncmp(rule, tok, n - 1) == 0)
			return true;
	}
	return false;
}

/* Does a comment opener end just before p (blanks between allowed)? */
static bool after_opener(const char *text, const char *p)
{
	static const char *const openers[] = {"#",  "//", "<!--",
	                                      "--", ";",  "/*"};
	size_t i;
	while (p > text && (p[-1] == ' ' || p[-1] == '\t'))
		p--;
	for (i = 0; i < PL_ARRAY_SIZE(openers); i++) {
		size_t n = strlen(openers[i]);
		if ((size_t)(p - text) >= n &&
		    memcmp(p - n, openers[i], n) == 0)
			return true;
	}
	return false;
}

static bool line_ignores(const char *text, size_t len, const char *rule,
                         bool alone)
{
	const char *end = text + len, *p = text;
	size_t ml = strlen(MARKER);

	if (alone) {
		/* the line above counts only if it is just a comment */
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (!(p < end &&
		      (*p == '#' || *p == '/' || *p == '<' || *p == ';' ||
		       (end - p >= 2 && p[0] == '-' && p[1] == '-'))))
			return false;
	}
	for (; p + ml <= end; p++) {
		if (memcmp(p, MARKER, ml) == 0 && after_opener(text, p) &&
		    names_rule(p + ml, end, rule))
			return true;
	}
	return false;
}

bool pl_filter_ignored(const pl_source *src, uint32_t line, const char *rule)
{
	const char *text;
	size_t len;

	if (!src->data || line == 0)
		return false;
	text = pl_source_line(src, line, &len);
	if (len && line_ignores(text, len, rule, false))
		return true;
	if (line < 2)
		return false;
	text = pl_source_line(src, line - 1, &len);
	return len && line_ignores(text, len, rule, true);
}

size_t pl_filter_inline(pl_findings *f)
{
	size_t i, o = 0, n = pl_findings_len(f);
	for (i = 0; i < n; i++) {
		pl_finding *x = pl_findings_at(f, i);
		if (pl_filter_ignored(x->src, x->span.start.line, x->rule)) {
			free(x->message);
			free(x->hint);
			free(x->fingerprint);
			continue;
		}
		if (o != i)
			*pl_findings_at(f, o) = *x;
		o++;
	}
	f->items.len = o;
	return n - o;
}
