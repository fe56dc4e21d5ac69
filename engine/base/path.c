/*
 * path.c - resolving repository-relative paths (path.h).
 */
#include "base/path.h"
#include "base/xalloc.h"

/* Segments kept on the way; deeper paths are refused, not cut. */
#define PATH_MAX_SEGMENTS 256

static void cut(pl_buf *b, size_t len)
{
	b->len = len;
	if (b->ptr)
		b->ptr[len] = '\0';
}

bool pl_path_join(pl_buf *out, const char *dir, const char *rel)
{
	size_t starts[PATH_MAX_SEGMENTS], nseg = 0, pass;
	const char *parts[2];

	pl_buf_reset(out);
	if (rel[0] == '/')
		return false;
	parts[0] = dir;
	parts[1] = rel;
	for (pass = 0; pass < 2; pass++) {
		const char *p = parts[pass];
		while (*p) {
			size_t n = strcspn(p, "/");
			if (n == 2 && p[0] == '.' && p[1] == '.') {
				if (nseg == 0)
					return false;
				cut(out, starts[--nseg]);
			} else if (n > 0 && !(n == 1 && p[0] == '.')) {
				if (nseg == PATH_MAX_SEGMENTS)
					return false;
				starts[nseg++] = out->len;
				if (out->len)
					pl_buf_addc(out, '/');
				pl_buf_add(out, p, n);
			}
			p += n;
			if (*p == '/')
				p++;
		}
	}
	return true;
}

/* Length of the first segment of p (p does not start with '/'). */
static size_t seg_len(const char *p)
{
	const char *e = strchr(p, '/');
	return e ? (size_t)(e - p) : strlen(p);
}

char *pl_path_relative(const char *from, const char *to)
{
	const char *f = from, *t = to;
	size_t common = 0;
	pl_buf out;

	while (*f == '/')
		f++;
	while (*t == '/')
		t++;
	/* skip the segments both share */
	while (*f && *t) {
		size_t nf = seg_len(f), nt = seg_len(t);
		if (nf != nt || memcmp(f, t, nf) != 0)
			break;
		common++;
		f += nf;
		t += nt;
		while (*f == '/')
			f++;
		while (*t == '/')
			t++;
	}
	if (common == 0 && (*f || *t))
		return pl_xstrdup(to);
	pl_buf_init(&out, 0);
	while (*f) {
		f += seg_len(f);
		while (*f == '/')
			f++;
		pl_buf_adds(&out, out.len ? "/.." : "..");
	}
	if (*t) {
		if (out.len)
			pl_buf_addc(&out, '/');
		pl_buf_adds(&out, t);
	}
	if (out.len == 0)
		pl_buf_addc(&out, '.');
	return pl_buf_detach(&out, NULL);
}
