/*
 * known.c - loads a suite's reviewed list of known departures and keeps
 * the policy of known.h: unlisted failures are bugs, listed passes and
 * listed cases that are gone are stale, both fail the suite.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "known.h"

static void *grow(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p) {
		fprintf(stderr, "known: out of memory\n");
		exit(3);
	}
	return p;
}

static char *dup_n(const char *s, size_t n)
{
	char *d = grow(NULL, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* Splits LINE in place into e->field; returns how many fields it has. */
static size_t split(known_entry *e, char *line)
{
	size_t n = 0;
	char *p = line;
	for (;;) {
		char *tab = strchr(p, '\t');
		if (n < KNOWN_MAX_FIELDS)
			e->field[n] = p;
		n++;
		if (!tab)
			return n;
		*tab = '\0';
		p = tab + 1;
	}
}

static void add(known_list *l, const char *text, size_t len, size_t lineno)
{
	known_entry e;
	size_t i, got, keylen = 0;

	memset(&e, 0, sizeof(e));
	e.lineno = lineno;
	for (i = 0; i < len && text[i] != '\0'; i++) {
		if (text[i] == '\t' && ++keylen == l->nkey)
			break;
	}
	e.key = dup_n(text, i);
	e.line = dup_n(text, len);
	got = split(&e, e.line);
	if (got != l->nfields) {
		fprintf(stderr,
		        "%s:%zu: want %zu tab-separated fields, got %zu\n",
		        l->path, lineno, l->nfields, got);
		exit(2);
	}
	for (i = 0; i < got; i++) {
		if (e.field[i][0] == '\0') {
			fprintf(stderr, "%s:%zu: field %zu is empty\n", l->path,
			        lineno, i + 1);
			exit(2);
		}
	}
	if (known_find(l, e.key)) {
		fprintf(stderr, "%s:%zu: '%s' is listed twice\n", l->path,
		        lineno, e.key);
		exit(2);
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = grow(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = e;
}

void known_load(known_list *l, const char *path, size_t nfields, size_t nkey)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t len;

	memset(l, 0, sizeof(*l));
	l->path = path;
	l->nfields = nfields;
	l->nkey = nkey;
	if (nfields > KNOWN_MAX_FIELDS || nkey == 0 || nkey >= nfields) {
		fprintf(stderr, "known: %s: bad shape\n", path);
		exit(2);
	}
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
		exit(2);
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (len > 0 &&
		       (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		if (len == 0 || line[0] == '#')
			continue;
		add(l, line, (size_t)len, lineno);
	}
	free(line);
	fclose(f);
}

known_entry *known_find(const known_list *l, const char *key)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			return &l->v[i];
	return NULL;
}

known_result known_outcome(known_list *l, const char *key, const char *check,
                           bool ok, const char *label, known_entry **hit)
{
	known_entry *k = known_find(l, key);

	if (hit)
		*hit = k;
	if (k)
		k->used = true;
	if (k && check && strcmp(k->field[l->nkey], check) != 0) {
		l->stale++;
		printf("  STALE  %s: %s:%zu lists it as '%s', the suite has "
		       "'%s'\n",
		       label, l->path, k->lineno, k->field[l->nkey], check);
		return KNOWN_STALE;
	}
	if (ok && k) {
		l->stale++;
		printf("  STALE  %s passes now; remove line %zu of %s\n", label,
		       k->lineno, l->path);
		return KNOWN_STALE;
	}
	if (ok)
		return KNOWN_PASS;
	if (k) {
		l->listed++;
		return KNOWN_LISTED;
	}
	l->bugs++;
	return KNOWN_BUG;
}

int known_finish(known_list *l)
{
	size_t i;
	for (i = 0; i < l->n; i++) {
		if (l->v[i].used)
			continue;
		l->stale++;
		printf("  STALE  %s:%zu: '%s' is not a case of the suite\n",
		       l->path, l->v[i].lineno, l->v[i].key);
	}
	return l->bugs + l->stale;
}

void known_free(known_list *l)
{
	size_t i;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].line);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void known_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		fprintf(stderr, "known: key or label too long: %.60s...\n",
		        buf);
		exit(2);
	}
}
