/*
 * finding.c - finding lists, their one stable order, and the redaction
 * that keeps every flagged value out of every finding's text (mask.h).
 */
#include "finding/finding.h"
#include "base/buf.h"
#include "base/xalloc.h"

void pl_findings_init(pl_findings *f)
{
	pl_vec_init(&f->items, sizeof(pl_finding));
	pl_vec_init(&f->flagged, sizeof(char *));
	pl_vec_init(&f->flagged_len, sizeof(size_t));
	pl_masks_init(&f->masks);
}

void pl_findings_flag(pl_findings *f, const char *s, size_t len)
{
	char *v = pl_xmalloc(len + 1);
	memcpy(v, s, len);
	v[len] = '\0';
	pl_vec_append(&f->flagged, &v);
	pl_vec_append(&f->flagged_len, &len);
}

static void release_flagged(pl_findings *f)
{
	size_t i;
	for (i = 0; i < f->flagged.len; i++)
		free(*(char **)pl_vec_at(&f->flagged, i));
	pl_vec_release(&f->flagged);
	pl_vec_release(&f->flagged_len);
}

void pl_findings_release(pl_findings *f)
{
	size_t i;
	if (!f)
		return;
	for (i = 0; i < f->items.len; i++) {
		pl_finding_release(pl_vec_at(&f->items, i));
	}
	pl_vec_release(&f->items);
	release_flagged(f);
	pl_masks_release(&f->masks);
}

void pl_findings_move(pl_findings *dst, pl_findings *src)
{
	size_t i;
	for (i = 0; i < src->items.len; i++)
		pl_vec_append(&dst->items, pl_vec_at(&src->items, i));
	pl_vec_release(&src->items);
	for (i = 0; i < src->flagged.len; i++) {
		pl_vec_append(&dst->flagged, pl_vec_at(&src->flagged, i));
		pl_vec_append(&dst->flagged_len,
		              pl_vec_at(&src->flagged_len, i));
	}
	pl_vec_release(&src->flagged);
	pl_vec_release(&src->flagged_len);
}

/* Equal findings of two builds may name different related places (the
 * overlays that patch one base): ordering them too keeps the sort, and
 * the related list dedupe merges, the same whatever -j is. */
static int cmp_related(const pl_finding *a, const pl_finding *b)
{
	size_t i;
	int c;

	for (i = 0; i < a->nrelated && i < b->nrelated; i++) {
		const pl_related *x = &a->related[i], *y = &b->related[i];
		c = strcmp(x->src->path, y->src->path);
		if (c)
			return c;
		if (x->span.start.offset != y->span.start.offset)
			return x->span.start.offset < y->span.start.offset ? -1
			                                                   : 1;
		c = strcmp(x->message, y->message);
		if (c)
			return c;
	}
	if (a->nrelated != b->nrelated)
		return a->nrelated < b->nrelated ? -1 : 1;
	return 0;
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
	c = strcmp(a->message, b->message);
	if (c)
		return c;
	return cmp_related(a, b);
}

void pl_findings_sort(pl_findings *f)
{
	if (f->items.len > 1)
		qsort(f->items.items, f->items.len, sizeof(pl_finding),
		      cmp_finding);
}

static void release_one(pl_finding *x);

static bool same_finding(const pl_finding *a, const pl_finding *b)
{
	return a->src == b->src && pl_span_same(a->span, b->span) &&
	       a->severity == b->severity && strcmp(a->rule, b->rule) == 0 &&
	       strcmp(a->message, b->message) == 0;
}

void pl_findings_dedupe(pl_findings *f)
{
	size_t n = f->items.len, i, out = 0;
	pl_finding *v = f->items.items;
	for (i = 0; i < n; i++) {
		size_t k;
		bool dup = false;
		/* equal findings sort together, with others of the same
		 * position and message between them at most */
		for (k = out; k-- > 0;) {
			if (strcmp(v[k].src->path, v[i].src->path) != 0 ||
			    v[k].span.start.line != v[i].span.start.line ||
			    v[k].span.start.col != v[i].span.start.col)
				break;
			if (same_finding(&v[k], &v[i])) {
				dup = true;
				break;
			}
		}
		if (dup) {
			/* the places every copy names, once */
			size_t r;
			for (r = 0; r < v[i].nrelated; r++)
				pl_finding_add_related(&v[k],
				                       v[i].related[r].src,
				                       v[i].related[r].span,
				                       v[i].related[r].message);
			release_one(&v[i]);
			continue;
		}
		if (out != i)
			v[out] = v[i];
		out++;
	}
	f->items.len = out;
}

/* Pairs of rules that report the same cause on the same node: the first
 * is dropped in favour of the second, which names the fix. */
static const struct {
	const char *dropped, *kept;
} same_value[] = {
        {"schema/invalid", "yaml/ambiguous-scalar"},
};

static bool same_start(const pl_finding *a, const pl_finding *b)
{
	return a->src == b->src && a->span.start.line == b->span.start.line &&
	       a->span.start.col == b->span.start.col;
}

static void release_one(pl_finding *x)
{
	pl_finding_release(x);
}

void pl_finding_release(pl_finding *x)
{
	size_t i;
	if (!x)
		return;
	free(x->message);
	free(x->hint);
	free(x->fingerprint);
	free(x->suppress_reason);
	for (i = 0; i < x->nedits; i++)
		free(x->edits[i].text);
	free(x->edits);
	for (i = 0; i < x->nrelated; i++)
		free(x->related[i].message);
	free(x->related);
	x->message = x->hint = x->fingerprint = x->suppress_reason = NULL;
	x->edits = NULL;
	x->nedits = 0;
	x->related = NULL;
	x->nrelated = 0;
}

bool pl_finding_add_related(pl_finding *f, const pl_source *src, pl_span span,
                            const char *message)
{
	pl_related *r;
	size_t i;

	if (!src || !message || span.start.line == 0 ||
	    f->nrelated >= PL_FINDING_MAX_RELATED)
		return false;
	for (i = 0; i < f->nrelated; i++)
		if (f->related[i].src == src &&
		    pl_span_same(f->related[i].span, span))
			return false;
	f->related = pl_xrealloc(f->related,
	                         (f->nrelated + 1) * sizeof(*f->related));
	r = &f->related[f->nrelated++];
	r->src = src;
	r->span = span;
	r->message = pl_xstrdup(message);
	return true;
}

bool pl_finding_add_edit(pl_finding *f, size_t offset, size_t len,
                         const char *text)
{
	const pl_source *src = f->src;
	size_t i, at;
	pl_edit *e;

	/* a UTF-16 file is linted as UTF-8: offsets into that are not
	 * offsets into the file */
	if (!src || !src->data || src->utf16 || offset > src->len ||
	    len > src->len - offset)
		return false;
	/* edits stay sorted; two that overlap (or two insertions at one
	 * offset, whose order would be a guess) cannot both apply */
	for (at = 0; at < f->nedits && f->edits[at].offset < offset; at++)
		;
	for (i = 0; i < f->nedits; i++) {
		const pl_edit *o = &f->edits[i];
		if (offset < o->offset + o->len && o->offset < offset + len)
			return false;
		if (o->offset == offset)
			return false;
	}
	f->edits = pl_xrealloc(f->edits, (f->nedits + 1) * sizeof(*f->edits));
	memmove(&f->edits[at + 1], &f->edits[at],
	        (f->nedits - at) * sizeof(*f->edits));
	e = &f->edits[at];
	e->offset = offset;
	e->len = len;
	e->start = pl_source_pos_at(src, offset);
	e->end = pl_source_pos_at(src, offset + len);
	e->text = pl_xstrdup(text);
	f->nedits++;
	return true;
}

void pl_findings_merge_same_value(pl_findings *f)
{
	size_t n = f->items.len, i, j, k, out = 0;
	pl_finding *v = f->items.items;
	bool *drop;

	if (n < 2)
		return;
	drop = pl_xcalloc(n, sizeof(*drop));
	for (i = 0; i < n; i = j) {
		/* the group of findings at one position (sorted) */
		for (j = i + 1; j < n && same_start(&v[i], &v[j]); j++)
			;
		for (k = 0; k < PL_ARRAY_SIZE(same_value); k++) {
			size_t a, b, d = n, kept = n;
			for (a = i; a < j; a++) {
				if (strcmp(v[a].rule, same_value[k].dropped) ==
				    0)
					d = a;
				else if (strcmp(v[a].rule,
				                same_value[k].kept) == 0)
					kept = a;
			}
			if (d == n || kept == n || drop[d] ||
			    v[d].span.end.offset != v[kept].span.end.offset)
				continue;
			b = kept;
			if (!v[b].suppressed && v[d].suppressed) {
				v[b].suppressed = v[d].suppressed;
				free(v[b].suppress_reason);
				v[b].suppress_reason = v[d].suppress_reason;
				v[d].suppress_reason = NULL;
			}
			drop[d] = true;
		}
	}
	for (i = 0; i < n; i++) {
		if (drop[i]) {
			release_one(&v[i]);
			continue;
		}
		if (out != i)
			v[out] = v[i];
		out++;
	}
	f->items.len = out;
	free(drop);
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

static void mask_text(const pl_masks *m, char **text)
{
	char *masked = pl_masks_apply(m, *text);
	if (!masked)
		return;
	free(*text);
	*text = masked;
}

/* A fix whose text holds a flagged value (quoting `password: 12345` of a
 * Secret's stringData) would print it: reports leave it out, --fix still
 * applies it in place. */
static void hide_fix(const pl_masks *m, pl_finding *x)
{
	size_t i;
	for (i = 0; i < x->nedits && !x->fix_hidden; i++) {
		char *masked = pl_masks_apply(m, x->edits[i].text);
		if (masked) {
			free(masked);
			x->fix_hidden = true;
		}
	}
}

/* Findings per item of a parallel pass: enough to pay for handing it
 * out, few enough to keep every worker busy to the end. */
#define PAR_CHUNK ((size_t)64)

static size_t par_chunks(size_t n)
{
	return (n + PAR_CHUNK - 1) / PAR_CHUNK;
}

/* Masks the findings of chunk c (each owns its texts; the masks are
 * only read). */
static void redact_chunk(void *arg, size_t c)
{
	pl_findings *f = arg;
	size_t i, j, end = (c + 1) * PAR_CHUNK;

	if (end > f->items.len)
		end = f->items.len;
	for (i = c * PAR_CHUNK; i < end; i++) {
		pl_finding *x = pl_vec_at(&f->items, i);
		mask_text(&f->masks, &x->message);
		mask_text(&f->masks, &x->hint);
		mask_text(&f->masks, &x->suppress_reason);
		for (j = 0; j < x->nrelated; j++)
			mask_text(&f->masks, &x->related[j].message);
		hide_fix(&f->masks, x);
	}
}

void pl_findings_redact_par(pl_findings *f, const pl_par *par)
{
	size_t i;

	pl_masks_release(&f->masks);
	pl_masks_init(&f->masks);
	for (i = 0; i < f->flagged.len; i++)
		pl_masks_add(&f->masks, *(char **)pl_vec_at(&f->flagged, i),
		             *(size_t *)pl_vec_at(&f->flagged_len, i));
	if (pl_masks_empty(&f->masks))
		return;
	pl_par_for(par, par_chunks(f->items.len), redact_chunk, f);
}

void pl_findings_redact(pl_findings *f)
{
	pl_findings_redact_par(f, NULL);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;
	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* The finding's line with runs of blanks collapsed and ends trimmed, so
 * re-indenting a block does not change it, and every flagged value past
 * its head as '*' (mask.h): `stable` is printed in reports and is not
 * keyed, so it must not let anyone test a guess of a secret on the line. */
static void normal_line(pl_buf *out, const pl_finding *f, const pl_masks *m)
{
	const char *line;
	size_t len, i;
	bool blank = false, started = false, *hidden = NULL;

	pl_buf_reset(out);
	if (!f->src->data || f->span.start.line == 0)
		return;
	line = pl_source_line(f->src, f->span.start.line, &len);
	if (!pl_masks_empty(m)) {
		hidden = pl_xcalloc(len ? len : 1, sizeof(*hidden));
		pl_masks_hidden(m, line, len, hidden);
	}
	for (i = 0; i < len; i++) {
		char c = hidden && hidden[i] ? '*' : line[i];
		if (c == ' ' || c == '\t' || c == '\r') {
			blank = started;
			continue;
		}
		if (blank)
			pl_buf_addc(out, ' ');
		blank = false;
		started = true;
		pl_buf_addc(out, c);
	}
	free(hidden);
}

typedef struct fp_job {
	pl_findings *f;
	uint64_t *base; /* per finding: its hash before the count */
} fp_job;

/* The hashes of chunk c's findings: rule, path, and a secret's value
 * fingerprint or the finding's line, read once for the findings of the
 * chunk that share it. */
static void fingerprint_chunk(void *arg, size_t c)
{
	fp_job *job = arg;
	pl_findings *f = job->f;
	size_t i, end = (c + 1) * PAR_CHUNK;
	const pl_source *csrc = NULL;
	uint32_t cline = 0;
	pl_buf line;

	if (end > f->items.len)
		end = f->items.len;
	pl_buf_init(&line, 0);
	for (i = c * PAR_CHUNK; i < end; i++) {
		pl_finding *x = pl_vec_at(&f->items, i);
		uint64_t h = 14695981039346656037ULL;
		h = fnv(h, x->rule, strlen(x->rule) + 1);
		h = fnv(h, x->src->path, strlen(x->src->path) + 1);
		if (x->fingerprint) {
			h = fnv(h, x->fingerprint, strlen(x->fingerprint));
		} else {
			if (x->src != csrc || x->span.start.line != cline) {
				normal_line(&line, x, &f->masks);
				csrc = x->src;
				cline = x->span.start.line;
			}
			h = fnv(h, line.ptr, line.len);
		}
		job->base[i] = h;
	}
	pl_buf_release(&line);
}

void pl_findings_fingerprint_par(pl_findings *f, const pl_par *par)
{
	size_t i, j, n = f->items.len, lo = 0;
	fp_job job;

	job.f = f;
	job.base = pl_xcalloc(n ? n : 1, sizeof(*job.base));
	pl_par_for(par, par_chunks(n), fingerprint_chunk, &job);
	for (i = 0; i < n; i++) {
		pl_finding *x = pl_vec_at(&f->items, i);
		size_t seen = 0;
		if (i > 0 &&
		    ((pl_finding *)pl_vec_at(&f->items, i - 1))->src != x->src)
			lo = i;
		for (j = lo; j < i; j++)
			if (job.base[j] == job.base[i])
				seen++;
		/* the same finding twice in a file: the nth one */
		x->stable = fnv(job.base[i], &seen, sizeof(seen));
	}
	free(job.base);
}

void pl_findings_fingerprint(pl_findings *f)
{
	pl_findings_fingerprint_par(f, NULL);
}

void pl_finding_stable_hex(const pl_finding *f, char out[17])
{
	snprintf(out, 17, "%016llx", (unsigned long long)f->stable);
}
