/*
 * semver.c - semantic versions: parsing (pl_semver_parse), Flux image tags
 * (pl_semver_tag) and precedence (pl_semver_cmp), with Masterminds/semver
 * v3 behaviour, learned from its documentation and test tables (no code
 * copied), so that plumb agrees with Flux about which image tag an
 * ImagePolicy picks. Also owns the character classes, number conversion
 * and error messages that the range files share (semver_impl.h).
 */
#include "lib/semver_impl.h"

/* --- shared with the range files ---------------------------------- */

bool pl_semver__is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool pl_semver__is_id(char c)
{
	return pl_semver__is_digit(c) || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '-';
}

bool pl_semver__all_digits(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!pl_semver__is_digit(s[i]))
			return false;
	return n > 0;
}

bool pl_semver__to_u64(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;
	for (i = 0; i < n; i++) {
		uint64_t d = (uint64_t)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/* Columns count code points (pos.h): bytes that start a UTF-8 sequence. */
static uint32_t col_at(const char *s, size_t off)
{
	uint32_t col = 1;
	size_t i;
	for (i = 0; i < off; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			col++;
	return col;
}

void pl_semver__quote(char *out, size_t size, const char *s, size_t n)
{
	size_t i, o = 0;
	out[0] = '\0';
	for (i = 0; i < n && i < 48 && o + 5 < size; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
		else
			out[o++] = (char)c;
	}
	if (i < n && o + 4 < size) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

int pl_semver__fail(pl_error *err, const char *s, size_t off, const char *fmt,
                    ...)
{
	char msg[sizeof(err->msg)];
	pl_pos pos;
	va_list ap;
	if (!err)
		return PL_EPARSE;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pos.line = 1;
	pos.col = col_at(s, off);
	pos.offset = off;
	return pl_error_set(err, PL_EPARSE, NULL, &pos, "%s", msg);
}

/* --- versions ------------------------------------------------------- */

/* "invalid version '<s>': <before>'<part>'<after>" (no quotes when
 * there is no part) */
static int bad_version(pl_error *err, const char *s, size_t len, size_t off,
                       const char *before, const char *part, size_t plen,
                       const char *after)
{
	char q[160], p[160];
	pl_semver__quote(q, sizeof(q), s, len);
	if (!part)
		return pl_semver__fail(err, s, off, "invalid version '%s': %s",
		                       q, before);
	pl_semver__quote(p, sizeof(p), part, plen);
	return pl_semver__fail(err, s, off, "invalid version '%s': %s'%s'%s", q,
	                       before, p, after);
}

/* Checks dot-separated identifiers s[a, b) (semver 2.0.0 §9, §10). */
static int check_ids(const char *s, size_t len, size_t a, size_t b, bool pre,
                     pl_error *err)
{
	const char *what = pre ? "prerelease" : "build metadata";
	size_t i = a, j;
	for (;;) {
		for (j = i; j < b && s[j] != '.'; j++) {
			if (!pl_semver__is_id(s[j])) {
				char q[160];
				pl_semver__quote(q, sizeof(q), s, len);
				return pl_semver__fail(
				        err, s, j,
				        "invalid version '%s': '%c' cannot "
				        "appear in %s",
				        q, s[j] > 0x20 ? s[j] : '?', what);
			}
		}
		if (j == i) {
			char q[160];
			pl_semver__quote(q, sizeof(q), s, len);
			return pl_semver__fail(
			        err, s, i,
			        "invalid version '%s': empty %s identifier", q,
			        what);
		}
		if (pre && j - i > 1 && s[i] == '0' &&
		    pl_semver__all_digits(s + i, j - i))
			return bad_version(err, s, len, i,
			                   "prerelease identifier ", s + i,
			                   j - i, " has a leading zero");
		if (j == b)
			return 0;
		i = j + 1;
	}
}

/*
 * One grammar serves every flag set: [v] N[.N[.N]] [-pre] [+build], the
 * build starting at the first '+' and the prerelease at the first '-'
 * before it. Masterminds' strict parser splits at the first two dots
 * instead; both accept exactly the same strings.
 */
static int parse_version(pl_semver *out, const char *s, size_t len,
                         size_t start, unsigned flags, pl_error *err)
{
	uint64_t num[3] = {0, 0, 0};
	size_t i = start, plus, dash, n = 0;
	const char *c;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len == 0 || !s)
		return pl_semver__fail(err, "", 0, "empty version");
	if (len > PL_SEMVER_VERSION_MAX)
		return pl_semver__fail(err, s, PL_SEMVER_VERSION_MAX,
		                       "version is longer than %d bytes",
		                       PL_SEMVER_VERSION_MAX);
	if (i < len && s[i] == 'v' && (flags & PL_SEMVER_ALLOW_V))
		i++;
	c = memchr(s + i, '+', len - i);
	plus = c ? (size_t)(c - s) : len;
	c = memchr(s + i, '-', plus - i);
	dash = c ? (size_t)(c - s) : plus;
	for (;;) {
		size_t j = i;
		while (j < dash && s[j] != '.')
			j++;
		if (n == 3)
			return bad_version(err, s, len, i - 1,
			                   "more than three numbers", NULL, 0,
			                   NULL);
		if (j == i)
			return bad_version(err, s, len, i, "missing number",
			                   NULL, 0, NULL);
		if (!pl_semver__all_digits(s + i, j - i))
			return bad_version(err, s, len, i, "", s + i, j - i,
			                   " is not a number");
		if (j - i > 1 && s[i] == '0' &&
		    !(flags & PL_SEMVER_ALLOW_LEADING_ZERO))
			return bad_version(err, s, len, i, "", s + i, j - i,
			                   " has a leading zero");
		if (!pl_semver__to_u64(s + i, j - i, &num[n]))
			return bad_version(err, s, len, i, "", s + i, j - i,
			                   " is too large");
		n++;
		if (j == dash)
			break;
		i = j + 1;
	}
	if (n < 3 && !(flags & PL_SEMVER_ALLOW_PARTIAL))
		return bad_version(err, s, len, dash, "want major.minor.patch",
		                   NULL, 0, NULL);
	if (dash < plus) {
		rc = check_ids(s, len, dash + 1, plus, true, err);
		if (rc)
			return rc;
		out->pre = s + dash + 1;
		out->pre_len = plus - dash - 1;
	}
	if (plus < len) {
		rc = check_ids(s, len, plus + 1, len, false, err);
		if (rc)
			return rc;
		out->build = s + plus + 1;
		out->build_len = len - plus - 1;
	}
	out->major = num[0];
	out->minor = num[1];
	out->patch = num[2];
	return 0;
}

int pl_semver_parse(pl_semver *out, const char *s, size_t len, unsigned flags,
                    pl_error *err)
{
	return parse_version(out, s, len, 0, flags, err);
}

int pl_semver_tag(pl_semver *out, const char *tag, size_t len, pl_error *err)
{
	/* fluxcd/pkg/version: TrimPrefix "v", then StrictNewVersion */
	size_t start = len > 0 && tag[0] == 'v' ? 1 : 0;
	return parse_version(out, tag, len, start, PL_SEMVER_STRICT, err);
}

/* Next dot-separated part of a prerelease, advancing *s / *n. */
static void next_part(const char **s, size_t *n, const char **p, size_t *pn)
{
	const char *dot;
	*p = *s;
	*pn = 0;
	if (*n == 0)
		return; /* *s may be NULL: no arithmetic on it */
	dot = memchr(*s, '.', *n);
	if (dot) {
		*pn = (size_t)(dot - *s);
		*n -= *pn + 1;
		*s = dot + 1;
	} else {
		*pn = *n;
		*s += *n;
		*n = 0;
	}
}

static int cmp_part(const char *a, size_t an, const char *b, size_t bn)
{
	uint64_t x, y;
	bool xnum, ynum;
	int d;

	if (an == bn && (an == 0 || memcmp(a, b, an) == 0))
		return 0;
	/* a missing part: the shorter list is lower (§11.4.4) */
	if (an == 0 || bn == 0)
		return an == 0 ? -1 : 1;
	xnum = pl_semver__all_digits(a, an) && pl_semver__to_u64(a, an, &x);
	ynum = pl_semver__all_digits(b, bn) && pl_semver__to_u64(b, bn, &y);
	if (xnum && ynum) {
		if (x != y)
			return x < y ? -1 : 1;
		return an < bn ? -1 : 1; /* "01" vs "1": never valid input */
	}
	if (xnum != ynum)
		return xnum ? -1 : 1; /* numeric below alphanumeric */
	d = memcmp(a, b, an < bn ? an : bn);
	if (d)
		return d < 0 ? -1 : 1;
	return an < bn ? -1 : 1;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/* Prereleases alone; "" is a release. */
int pl_semver__cmp_pre(const char *a, size_t an, const char *b, size_t bn)
{
	while (an || bn) {
		const char *pa, *pb;
		size_t pan, pbn;
		int d;
		next_part(&a, &an, &pa, &pan);
		next_part(&b, &bn, &pb, &pbn);
		d = cmp_part(pa, pan, pb, pbn);
		if (d)
			return d;
	}
	return 0;
}

int pl_semver_cmp(const pl_semver *a, const pl_semver *b)
{
	int d = cmp_u64(a->major, b->major);
	if (!d)
		d = cmp_u64(a->minor, b->minor);
	if (!d)
		d = cmp_u64(a->patch, b->patch);
	if (d)
		return d;
	if (!a->pre_len || !b->pre_len)
		return !a->pre_len - !b->pre_len; /* a release is higher */
	return pl_semver__cmp_pre(a->pre, a->pre_len, b->pre, b->pre_len);
}
