/*
 * path.c - resolving repository-relative paths (path.h).
 */
#include "base/path.h"

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

	pl_buf_clear(out);
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
