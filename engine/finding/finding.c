/*
 * finding.c - finding lists and their one stable order.
 */
#include "finding/finding.h"

void pl_findings_init(pl_findings *f)
{
	pl_vec_init(&f->items, sizeof(pl_finding));
}

void pl_findings_release(pl_findings *f)
{
	size_t i;
	if (!f)
		return;
	for (i = 0; i < f->items.len; i++) {
		pl_finding *x = pl_vec_at(&f->items, i);
		free(x->message);
		free(x->hint);
		free(x->fingerprint);
	}
	pl_vec_release(&f->items);
}

void pl_findings_move(pl_findings *dst, pl_findings *src)
{
	size_t i;
	for (i = 0; i < src->items.len; i++)
		pl_vec_append(&dst->items, pl_vec_at(&src->items, i));
	pl_vec_release(&src->items);
}

static int cmp_finding(const void *pa, const void *pb)
{
	const pl_finding *a = pa, *b = pb;
	int c = strcmp(a->src->path, b->src->path);
	if (c)
		return c;
	if (a->span.start.line != b->span.start.line)
		return a->span.start.line < b->span.start.line ? -1 : 1;
	if (a->span.start.col != b->span.start.col)
		return a->span.start.col < b->span.start.col ? -1 : 1;
	c = strcmp(a->rule, b->rule);
	if (c)
		return c;
	return strcmp(a->message, b->message);
}

void pl_findings_sort(pl_findings *f)
{
	if (f->items.len > 1)
		qsort(f->items.items, f->items.len, sizeof(pl_finding),
		      cmp_finding);
}

const char *pl_severity_name(pl_severity s)
{
	switch (s) {
	case PL_SEV_ERROR:
		return "error";
	case PL_SEV_WARNING:
		return "warning";
	case PL_SEV_INFO:
		return "info";
	case PL_SEV_OFF:
		return "off";
	}
	return "?";
}

int pl_severity_parse(pl_severity *out, const char *s, bool allow_off)
{
	if (strcmp(s, "error") == 0)
		*out = PL_SEV_ERROR;
	else if (strcmp(s, "warning") == 0)
		*out = PL_SEV_WARNING;
	else if (strcmp(s, "info") == 0)
		*out = PL_SEV_INFO;
	else if (allow_off && strcmp(s, "off") == 0)
		*out = PL_SEV_OFF;
	else
		return PL_EUSAGE;
	return 0;
}
