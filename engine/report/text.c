/*
 * text.c - the text reporter, for people (make lint, a terminal, a CI log).
 *
 *   apps/web.yaml:12:14: error[yaml/ambiguous-scalar]: env var 'DEBUG' ...
 *      12 |         value: yes
 *         |                ^~~
 *         = hint: quote it: "yes"
 *   apps/base.yaml:3:9: note: the base this overlay patches
 *
 * A finding about other places too (pl_related) is followed by one
 * `note:` line each, after its excerpt; a finding without them prints
 * exactly what it printed before they existed.
 * Several workloads/ findings on one node share one excerpt: their lines,
 * the excerpt, then their hints (group_end).
 * followed by one summary line (with --summary, a table of the rules
 * with findings first). Suppressed findings are not shown; the
 * summary says how many there were. The location line is compiler style so
 * editors and CI logs link it (jq's locfile_locate layout). The caret line
 * copies the tabs of the source line so the caret stays aligned. Long
 * lines are cut around the caret.
 */
#include "report/report.h"
#include "base/buf.h"
#include "base/utf8.h"
#include "base/xalloc.h"

#define MAX_SHOWN 160 /* code points of a source line shown */

static const char *sev_color(pl_severity s)
{
	switch (s) {
	case PL_SEV_ERROR:
		return "\033[1;31m";
	case PL_SEV_WARNING:
		return "\033[1;33m";
	default:
		return "\033[1;36m";
	}
}

void pl_report_count(pl_report_counts *out, const pl_findings *f)
{
	size_t i;
	memset(out, 0, sizeof(*out));
	for (i = 0; i < pl_findings_len(f); i++) {
		const pl_finding *x = pl_findings_at(f, i);
		if (x->suppressed != PL_SUPPRESS_NONE) {
			out->suppressed++;
			continue;
		}
		switch (x->severity) {
		case PL_SEV_ERROR:
			out->error++;
			break;
		case PL_SEV_WARNING:
			out->warning++;
			break;
		default:
			out->info++;
			break;
		}
	}
}

/* Appends s with control characters shown as '?': a file name or a
 * message must not move the cursor or recolour a terminal. */
static void add_safe(pl_buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		pl_buf_addc(b, c < 0x20 || c == 0x7f ? '?' : (char)c);
	}
}

/* Byte offset in line[0..len) of code point `cp` (clamped). */
static size_t cp_offset(const char *line, size_t len, size_t cp)
{
	size_t off = 0;
	while (cp > 0 && off < len) {
		size_t n = pl_utf8_valid_len(line + off, len - off);
		off += n ? n : 1;
		cp--;
	}
	return off;
}

/*
 * Marks in hidden[] (one entry per byte of line[w0..to)) what a report
 * must not show: every value a secrets/ finding of the run flagged
 * (mask.h), wherever it appears, and the whole span of each secret of
 * the same file past its head, since a multi-line value shows one line
 * at a time. Findings are sorted by path, so the file's findings are the
 * neighbours of finding idx.
 */
static void hide_secrets(const pl_findings *all, size_t idx, const char *line,
                         size_t w0, size_t to, bool *hidden)
{
	const pl_source *src = pl_findings_at(all, idx)->src;
	size_t n = pl_findings_len(all), lo = idx, i, at;

	pl_masks_hidden(&all->masks, line + w0, to - w0, hidden);
	at = (size_t)(line - src->data);
	while (lo > 0 && pl_findings_at(all, lo - 1)->src == src)
		lo--;
	for (i = lo; i < n; i++) {
		const pl_finding *g = pl_findings_at(all, i);
		const char *v;
		size_t b, e, k, vlen;
		if (g->src != src)
			break;
		if (!g->fingerprint ||
		    g->span.end.offset <= g->span.start.offset)
			continue;
		v = src->data + g->span.start.offset;
		vlen = g->span.end.offset - g->span.start.offset;
		pl_mask_trim_span(&v, &vlen);
		b = (size_t)(v - src->data);
		e = b + vlen;
		b += pl_mask_head(v, vlen);
		if (b < at + w0)
			b = at + w0;
		if (e > at + to)
			e = at + to;
		for (k = b; k < e; k++)
			hidden[k - at - w0] = true;
	}
}

/* The excerpt of finding idx: its source line and a caret under the
 * offending text; with_hint adds its hint. */
static void excerpt(pl_buf *b, const pl_findings *all, size_t idx, bool color,
                    bool with_hint)
{
	const pl_finding *f = pl_findings_at(all, idx);
	size_t len, from = 0, shown, start, end, i, width;
	const char *line;
	uint32_t ln = f->span.start.line;
	size_t col = f->span.start.col ? f->span.start.col - 1 : 0;
	size_t ecol, w0, w1;
	bool *hidden;
	char num[16];

	if (!f->src->data || ln == 0)
		return;
	line = pl_source_line(f->src, ln, &len);
	if (len == 0 && f->span.start.col <= 1)
		return;
	if (f->span.end.line == ln && f->span.end.col > f->span.start.col)
		ecol = f->span.end.col - 1;
	else if (f->span.end.line > ln)
		ecol = pl_utf8_count(line, len); /* to the end of the line */
	else
		ecol = col + 1; /* a point: the caret alone */
	if (ecol <= col)
		ecol = col + 1;
	/* cut long lines so the caret is visible */
	if (col > MAX_SHOWN / 2)
		from = col - MAX_SHOWN / 2;
	start = cp_offset(line, len, from);
	end = start + cp_offset(line + start, len - start, MAX_SHOWN);
	shown = end - start;
	snprintf(num, sizeof(num), "%u", ln);
	width = strlen(num);
	/* a value that starts before the shown part may reach into it */
	w0 = start > all->masks.maxlen ? start - all->masks.maxlen : 0;
	w1 = len - end > all->masks.maxlen ? end + all->masks.maxlen : len;
	hidden = pl_xcalloc(w1 - w0 + 1, sizeof(*hidden));
	hide_secrets(all, idx, line, w0, w1, hidden);

	pl_buf_addf(b, " %s |%s", num, shown ? " " : "");
	if (from)
		pl_buf_adds(b, "...");
	for (i = start; i < end; i++) {
		unsigned char c = (unsigned char)line[i];
		/* a secret's bytes never reach a report: they are shown
		 * as '*' (DESIGN.md: secrets are masked) */
		if (hidden[i - w0]) {
			if ((c & 0xc0) != 0x80)
				pl_buf_addc(b, '*');
			continue;
		}
		/* never let control characters reach the terminal */
		pl_buf_addc(b, (c < 0x20 && c != '\t') || c == 0x7f ? '?'
		                                                    : (char)c);
	}
	free(hidden);
	if (end < len)
		pl_buf_adds(b, "...");
	pl_buf_addc(b, '\n');

	pl_buf_addf(b, " %*s | ", (int)width, "");
	if (from)
		pl_buf_adds(b, "   ");
	{
		size_t off = start, cp = from;
		while (cp < col && off < len) {
			size_t n = pl_utf8_valid_len(line + off, len - off);
			pl_buf_addc(b, line[off] == '\t' ? '\t' : ' ');
			off += n ? n : 1;
			cp++;
		}
		if (cp < col)
			for (; cp < col; cp++)
				pl_buf_addc(b, ' ');
	}
	if (color)
		pl_buf_adds(b, sev_color(f->severity));
	pl_buf_addc(b, '^');
	for (i = col + 1; i < ecol && i < from + MAX_SHOWN; i++)
		pl_buf_addc(b, '~');
	if (color)
		pl_buf_adds(b, "\033[0m");
	pl_buf_addc(b, '\n');
	if (f->hint && with_hint)
		pl_buf_addf(b, " %*s = hint: %s\n", (int)width, "", f->hint);
}

/* Width of the line number column of finding f's excerpt. */
static int gutter(const pl_finding *f)
{
	char num[16];
	return snprintf(num, sizeof(num), "%u", f->span.start.line);
}

/*
 * A group: the findings from idx on that the text report shows with one
 * excerpt. workloads/ rules point several findings at the same node (a
 * container's image line collects every missing setting): they are
 * listed one line each, then the excerpt once, then their hints, the
 * settings to add. JSON and SARIF keep them apart. Suppressed findings
 * in between are skipped. Returns the index past the group's last
 * member (idx + 1 for a finding alone).
 */
static size_t group_end(const pl_findings *all, size_t idx)
{
	const pl_finding *f = pl_findings_at(all, idx), *g;
	size_t j, end = idx + 1, n = pl_findings_len(all);

	if (strncmp(f->rule, "workloads/", 10) != 0)
		return end;
	for (j = idx + 1; j < n; j++) {
		g = pl_findings_at(all, j);
		if (g->src != f->src ||
		    g->span.start.offset != f->span.start.offset ||
		    g->span.end.offset != f->span.end.offset)
			break;
		if (g->suppressed != PL_SUPPRESS_NONE)
			continue;
		if (strncmp(g->rule, "workloads/", 10) != 0)
			break;
		end = j + 1;
	}
	return end;
}

static void finding_line(pl_buf *b, const pl_finding *f, bool color)
{
	if (color)
		pl_buf_adds(b, "\033[1m");
	add_safe(b, pl_source_shown(f->src));
	pl_buf_addf(b, ":%u:%u:", f->span.start.line, f->span.start.col);
	if (color)
		pl_buf_addf(b, "\033[0m %s%s\033[0m", sev_color(f->severity),
		            pl_severity_name(f->severity));
	else
		pl_buf_addf(b, " %s", pl_severity_name(f->severity));
	pl_buf_addf(b, "[%s]: ", f->rule);
	add_safe(b, f->message);
	pl_buf_addc(b, '\n');
}

/* The other places a finding is about, compiler style (as a C compiler
 * prints the earlier declaration a redefinition conflicts with), so
 * editors and CI logs link them too. */
static void note_lines(pl_buf *b, const pl_finding *f, bool color)
{
	size_t i;
	for (i = 0; i < f->nrelated; i++) {
		const pl_related *x = &f->related[i];
		if (color)
			pl_buf_adds(b, "\033[1m");
		add_safe(b, pl_source_shown(x->src));
		pl_buf_addf(b, ":%u:%u:", x->span.start.line,
		            x->span.start.col);
		if (color)
			pl_buf_adds(b, "\033[0m \033[1;36mnote\033[0m: ");
		else
			pl_buf_adds(b, " note: ");
		add_safe(b, x->message);
		pl_buf_addc(b, '\n');
	}
}

/* One row of --summary: a rule, its findings shown and suppressed. */
typedef struct rule_row {
	const char *rule;
	pl_severity severity; /* the highest among its findings */
	size_t shown, suppressed;
} rule_row;

static int cmp_row(const void *a, const void *b)
{
	const rule_row *x = a, *y = b;
	return strcmp(x->rule, y->rule);
}

/*
 * --summary: one row per rule that has findings, by rule id: severity,
 * findings shown, findings suppressed. Rules are few (a hundred at most)
 * and findings are sorted by path, not rule: rows are found by a scan.
 */
static void rule_summary(pl_buf *b, const pl_findings *all)
{
	size_t i, k, n = pl_findings_len(all), nrows = 0, width = 4;
	rule_row *rows;

	if (n == 0)
		return;
	rows = pl_xcalloc(n, sizeof(*rows));
	for (i = 0; i < n; i++) {
		const pl_finding *f = pl_findings_at(all, i);
		for (k = 0; k < nrows; k++)
			if (strcmp(rows[k].rule, f->rule) == 0)
				break;
		if (k == nrows) {
			rows[nrows].rule = f->rule;
			rows[nrows++].severity = f->severity;
		}
		if (f->severity > rows[k].severity)
			rows[k].severity = f->severity;
		if (f->suppressed != PL_SUPPRESS_NONE)
			rows[k].suppressed++;
		else
			rows[k].shown++;
	}
	qsort(rows, nrows, sizeof(*rows), cmp_row);
	for (k = 0; k < nrows; k++)
		if (strlen(rows[k].rule) > width)
			width = strlen(rows[k].rule);
	pl_buf_addf(b, "\n%-*s  %-8s %8s %10s\n", (int)width, "rule",
	            "severity", "findings", "suppressed");
	for (k = 0; k < nrows; k++) {
		add_safe(b, rows[k].rule);
		pl_buf_addf(b, "%*s  %-8s %8zu %10zu\n",
		            (int)(width - strlen(rows[k].rule)), "",
		            pl_severity_name(rows[k].severity), rows[k].shown,
		            rows[k].suppressed);
	}
	free(rows);
}

int pl_report_text(FILE *out, const pl_report *r, pl_error *err)
{
	pl_buf b;
	pl_report_counts c;
	size_t i, end, n = pl_findings_len(r->findings), shown;

	pl_buf_init(&b, 0);
	for (i = 0; i < n; i = end) {
		const pl_finding *f = pl_findings_at(r->findings, i);
		size_t k;
		end = i + 1;
		if (f->suppressed != PL_SUPPRESS_NONE)
			continue;
		end = group_end(r->findings, i);
		for (k = i; k < end; k++) {
			const pl_finding *g = pl_findings_at(r->findings, k);
			if (g->suppressed == PL_SUPPRESS_NONE)
				finding_line(&b, g, r->color);
		}
		if (!r->quiet)
			excerpt(&b, r->findings, i, r->color, end == i + 1);
		for (k = i; !r->quiet && end > i + 1 && k < end; k++) {
			const pl_finding *g = pl_findings_at(r->findings, k);
			if (g->suppressed == PL_SUPPRESS_NONE && g->hint &&
			    f->src->data && f->span.start.line)
				pl_buf_addf(&b, " %*s = hint: %s\n", gutter(f),
				            "", g->hint);
		}
		for (k = i; k < end; k++) {
			const pl_finding *g = pl_findings_at(r->findings, k);
			if (g->suppressed == PL_SUPPRESS_NONE)
				note_lines(&b, g, r->color);
		}
		if (fwrite(b.ptr, 1, b.len, out) != b.len)
			goto fail;
		pl_buf_reset(&b);
	}
	if (r->summary) {
		rule_summary(&b, r->findings);
		if (fwrite(b.ptr, 1, b.len, out) != b.len)
			goto fail;
		pl_buf_reset(&b);
	}
	if (r->quiet) {
		if (fflush(out) != 0)
			goto fail;
		pl_buf_release(&b);
		return 0;
	}
	pl_report_count(&c, r->findings);
	shown = c.error + c.warning + c.info;
	if (shown)
		pl_buf_addc(&b, '\n');
	if (shown == 0)
		pl_buf_addf(&b, "no findings in %zu file%s", r->files,
		            r->files == 1 ? "" : "s");
	else
		pl_buf_addf(&b,
		            "%zu error%s, %zu warning%s, %zu info%s in %zu "
		            "file%s",
		            c.error, c.error == 1 ? "" : "s", c.warning,
		            c.warning == 1 ? "" : "s", c.info,
		            c.info == 1 ? "" : "s", r->files,
		            r->files == 1 ? "" : "s");
	if (c.suppressed)
		pl_buf_addf(&b, " (%zu suppressed)", c.suppressed);
	if (r->nunread)
		pl_buf_addf(&b, "; %zu file%s could not be read from git",
		            r->nunread, r->nunread == 1 ? "" : "s");
	pl_buf_addc(&b, '\n');
	if (fwrite(b.ptr, 1, b.len, out) != b.len || fflush(out) != 0)
		goto fail;
	pl_buf_release(&b);
	return 0;
fail:
	pl_buf_release(&b);
	return pl_error_set(err, PL_EIO, NULL, NULL,
	                    "cannot write the report: %s", strerror(errno));
}
