/*
 * fuzz_semver.c - libFuzzer target: the first line of the input is a
 * range, every further line a version or tag. Drives every entry point of
 * engine/lib/semver (parse with each flag set, tags, precedence, range
 * compile, match, upper bound, majors, latest). Anything but a clean
 * return (a crash, a sanitizer report, a hang) is a bug.
 */
#include "base/xalloc.h"
#include "lib/semver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_LINES 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nl = size ? memchr(s, '\n', size) : NULL;
	size_t rlen = nl ? (size_t)(nl - s) : size, i, n = 0, idx;
	char *lines[MAX_LINES];
	pl_semver prev, v;
	pl_semver_range *r = NULL;
	pl_error err;
	bool have_prev = false;

	pl_error_clear(&err);
	if (pl_semver_range_new(&r, s, rlen, &err) == 0) {
		pl_semver_range_alternatives(r);
		pl_semver_range_comparators(r, 0);
		pl_semver_range_has_upper_bound(r);
		pl_semver_range_spans_majors(r);
	} else if (err.pos.line != 1 || err.pos.col == 0 ||
	           err.pos.offset > rlen) {
		abort(); /* an error must point into the range */
	}
	/* the remaining lines, copied so each ends in NUL for _latest */
	for (i = nl ? rlen + 1 : size; i < size && n < MAX_LINES;) {
		const char *e = memchr(s + i, '\n', size - i);
		size_t len = e ? (size_t)(e - (s + i)) : size - i;
		lines[n++] = pl_xstrndup(s + i, len);
		i += len + 1;
	}
	for (i = 0; i < n; i++) {
		size_t len = strlen(lines[i]);
		unsigned f;
		for (f = 0; f <= PL_SEMVER_LOOSE; f++)
			pl_semver_parse(&v, lines[i], len, f, NULL);
		if (pl_semver_tag(&v, lines[i], len, &err) != 0)
			continue;
		if (r) {
			pl_semver_range_match(r, &v);
			pl_semver_range_match_opt(r, &v,
			                          PL_SEMVER_INCLUDE_PRERELEASE);
		}
		if (have_prev &&
		    pl_semver_cmp(&prev, &v) != -pl_semver_cmp(&v, &prev))
			abort(); /* precedence must be antisymmetric */
		prev = v;
		have_prev = true;
	}
	if (r)
		pl_semver_latest(r, (const char *const *)lines, n, &idx);
	for (i = 0; i < n; i++)
		free(lines[i]);
	pl_semver_range_free(r);
	return 0;
}
