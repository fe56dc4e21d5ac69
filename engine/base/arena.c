/*
 * arena.c - chunked bump allocation. Large requests get a chunk of their
 * own so that one big scalar does not waste the rest of a chunk.
 */
#include "base/arena.h"
#include "base/xalloc.h"

/* Chunks start small and double up to CHUNK_SIZE: most linted files are
 * a few KiB, and a run keeps every file's arena until the report. */
#define CHUNK_SIZE       ((size_t)64 * 1024)
#define FIRST_CHUNK_SIZE ((size_t)2 * 1024)
#define ALIGN            ((size_t)8)

struct pl_arena_chunk {
	pl_arena_chunk *next;
	size_t size;
	size_t used;
	/* payload follows, aligned by the union */
	union {
		max_align_t align;
		unsigned char bytes[1];
	} data;
};

void pl_arena_init(pl_arena *a)
{
	a->head = NULL;
	a->used = 0;
	a->total = 0;
}

void pl_arena_release(pl_arena *a)
{
	pl_arena_chunk *c;
	if (!a)
		return;
	c = a->head;
	while (c) {
		pl_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	pl_arena_init(a);
}

static pl_arena_chunk *new_chunk(pl_arena *a, size_t size)
{
	pl_arena_chunk *c = pl_xmalloc(offsetof(pl_arena_chunk, data) + size);
	c->size = size;
	c->used = 0;
	a->total += size;
	return c;
}

void *pl_arena_alloc(pl_arena *a, size_t size)
{
	pl_arena_chunk *c;
	size_t need;

	/* a request near SIZE_MAX must not wrap into a tiny block */
	if (size > SIZE_MAX - ALIGN - offsetof(pl_arena_chunk, data)) {
		fprintf(stderr, "plumb: out of memory (%zu bytes)\n", size);
		exit(3);
	}
	need = (size + ALIGN - 1) & ~(ALIGN - 1);
	if (need == 0)
		need = ALIGN;
	a->used += need;
#ifdef PL_ARENA_DEBUG
	c = new_chunk(a, need);
	c->next = a->head;
	a->head = c;
	c->used = need;
	return c->data.bytes;
#else
	c = a->head;
	if (c && c->size - c->used >= need) {
		void *p = c->data.bytes + c->used;
		c->used += need;
		return p;
	}
	if (need > CHUNK_SIZE / 4) {
		/* big block: own chunk, kept behind the current one */
		c = new_chunk(a, need);
		c->used = need;
		if (a->head) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = NULL;
			a->head = c;
		}
		return c->data.bytes;
	}
	{
		size_t csize = a->head ? a->head->size * 2 : FIRST_CHUNK_SIZE;
		if (csize > CHUNK_SIZE)
			csize = CHUNK_SIZE;
		while (csize < need)
			csize *= 2;
		c = new_chunk(a, csize);
	}
	c->next = a->head;
	a->head = c;
	c->used = need;
	return c->data.bytes;
#endif
}

void *pl_arena_zalloc(pl_arena *a, size_t size)
{
	void *p = pl_arena_alloc(a, size);
	memset(p, 0, size);
	return p;
}

char *pl_arena_strndup(pl_arena *a, const char *s, size_t n)
{
	char *p = pl_arena_alloc(a, n + 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *pl_arena_strdup(pl_arena *a, const char *s)
{
	return pl_arena_strndup(a, s, strlen(s));
}

char *pl_arena_printf(pl_arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return pl_arena_strdup(a, "");
	p = pl_arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
