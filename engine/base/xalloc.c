/*
 * xalloc.c - the out-of-memory policy: one message, exit status 3.
 */
#include "base/xalloc.h"

static PL_NORETURN void oom(size_t size)
{
	fprintf(stderr, "plumb: out of memory (%zu bytes)\n", size);
	exit(3);
}

void *pl_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		oom(size);
	return p;
}

void *pl_xcalloc(size_t n, size_t size)
{
	void *p;
	if (size && n > SIZE_MAX / size)
		oom(SIZE_MAX);
	p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	return p;
}

void *pl_xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		oom(size);
	return p;
}

char *pl_xstrndup(const char *s, size_t n)
{
	char *p = pl_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *pl_xstrdup(const char *s)
{
	return pl_xstrndup(s, strlen(s));
}

void *pl_xgrow(void *ptr, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap;
	if (need <= c)
		return ptr;
	if (c < 8)
		c = 8;
	while (c < need) {
		if (c > SIZE_MAX / 3)
			oom(SIZE_MAX);
		c += c / 2;
	}
	if (elem && c > SIZE_MAX / elem)
		oom(SIZE_MAX);
	*cap = c;
	return pl_xrealloc(ptr, c * elem);
}
