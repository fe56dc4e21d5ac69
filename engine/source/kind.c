/*
 * kind.c - what kind of file a name or its first bytes say it is
 * (walk.h): YAML by extension (.yaml, .yml, .json, ASCII
 * case-insensitive), else text; and whether bytes read as YAML, by their
 * first content line only (a document marker, a directive, apiVersion:
 * or kind:). The walk decides templates and skips itself.
 */
#include "source/walk.h"

#include <string.h>

static char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* ASCII-only, so that no locale can make ".YAML" mean something else. */
static bool ascii_caseeq(const char *a, const char *b)
{
	while (*a && ascii_lower(*a) == ascii_lower(*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

pl_source_kind pl_walk_classify(const char *path)
{
	static const char *const yaml_exts[] = {"yaml", "yml", "json"};
	const char *base = strrchr(path, '/');
	const char *dot;
	size_t i;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	if (!dot)
		return PL_SOURCE_TEXT;
	for (i = 0; i < PL_ARRAY_SIZE(yaml_exts); i++)
		if (ascii_caseeq(dot + 1, yaml_exts[i]))
			return PL_SOURCE_YAML;
	return PL_SOURCE_TEXT;
}

/* True if line s[0..n) starts with word, followed by its end or a blank. */
static bool starts_word(const char *s, size_t n, const char *word)
{
	size_t wl = strlen(word);

	if (n < wl || memcmp(s, word, wl) != 0)
		return false;
	return n == wl || s[wl] == ' ' || s[wl] == '\t';
}

/*
 * Only signals that a file was meant as YAML count: a document marker or
 * directive (YAML 1.2.2 §9.2, §6.8) or the two keys every Kubernetes
 * object starts with. "key: value" alone is not enough: a Makefile rule
 * (`all: build`) looks the same.
 */
static bool line_is_yaml(const char *s, size_t n)
{
	return starts_word(s, n, "---") || starts_word(s, n, "%YAML") ||
	       starts_word(s, n, "apiVersion:") || starts_word(s, n, "kind:");
}

bool pl_walk_sniff_yaml(const char *data, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	/* "#!" is a comment to YAML but an interpreter line to everyone */
	if (len - i >= 2 && data[i] == '#' && data[i + 1] == '!')
		return false;
	while (i < len) {
		size_t end = i, brk = 0, j = i;

		while (end < len) {
			brk = pl_source_break_len(data + end, len - end);
			if (brk)
				break;
			end++;
		}
		while (j < end && (data[j] == ' ' || data[j] == '\t'))
			j++;
		if (j < end && data[j] != '#')
			return line_is_yaml(data + i, end - i);
		i = end + brk;
	}
	return false;
}
