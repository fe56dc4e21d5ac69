/*
 * github.c - the GitHub Actions reporter: one workflow command per
 * finding, which the runner turns into an annotation on the file and line
 * (on the pull request's diff when the line is part of it):
 *
 *   ::warning file=a.yaml,line=8,col=3,endLine=8,endColumn=9,title=x/y::text
 *
 * error, warning and info become ::error, ::warning and ::notice.
 * Suppressed findings are not written, and nothing else is: the command
 * lines are the whole output. Messages are masked already (secrets never
 * reach a report); this file only escapes them.
 */
#include "report/report.h"
#include "base/buf.h"

static const char *command(pl_severity s)
{
	switch (s) {
	case PL_SEV_ERROR:
		return "error";
	case PL_SEV_WARNING:
		return "warning";
	default:
		return "notice";
	}
}

/*
 * The runner reads a command up to the end of the line and splits its
 * properties at ',' and its name/value at ':', so those are written as
 * percent escapes, and '%' itself so that the escapes stay unambiguous.
 * In the message only '%', CR and LF need it. Other control characters
 * are shown as '?' (as in the text report): a log must not be recoloured.
 */
static void add_escaped(pl_buf *b, const char *s, bool property)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '%')
			pl_buf_adds(b, "%25");
		else if (c == '\r')
			pl_buf_adds(b, "%0D");
		else if (c == '\n')
			pl_buf_adds(b, "%0A");
		else if (property && c == ':')
			pl_buf_adds(b, "%3A");
		else if (property && c == ',')
			pl_buf_adds(b, "%2C");
		else if ((c < 0x20 && c != '\t') || c == 0x7f)
			pl_buf_addc(b, '?');
		else
			pl_buf_addc(b, (char)c);
	}
}

/*
 * The location properties. A finding on the whole file (line 0) names
 * only the file. Columns are given only when the span is on one line:
 * GitHub's annotations accept a column range on a single line only. A
 * span that ends where it starts is widened to one character, as the
 * text report's caret is.
 */
static void add_location(pl_buf *b, const pl_finding *f)
{
	const pl_span *s = &f->span;
	uint32_t end_line = s->end.line, end_col = s->end.col;

	pl_buf_adds(b, "file=");
	add_escaped(b, f->src->path, true);
	if (s->start.line == 0)
		return;
	if (end_line < s->start.line ||
	    (end_line == s->start.line && end_col <= s->start.col)) {
		end_line = s->start.line;
		end_col = s->start.col + 1;
	}
	pl_buf_addf(b, ",line=%u", s->start.line);
	if (end_line == s->start.line && s->start.col > 0)
		pl_buf_addf(b, ",col=%u,endLine=%u,endColumn=%u", s->start.col,
		            end_line, end_col);
	else
		pl_buf_addf(b, ",endLine=%u", end_line);
}

int pl_report_github(FILE *out, const pl_report *r, pl_error *err)
{
	pl_buf b;
	size_t i, n = pl_findings_len(r->findings);

	pl_buf_init(&b, 0);
	for (i = 0; i < n; i++) {
		const pl_finding *f = pl_findings_at(r->findings, i);
		if (f->suppressed != PL_SUPPRESS_NONE)
			continue;
		pl_buf_addf(&b, "::%s ", command(f->severity));
		add_location(&b, f);
		pl_buf_adds(&b, ",title=");
		add_escaped(&b, f->rule, true);
		pl_buf_adds(&b, "::");
		add_escaped(&b, f->message, false);
		if (f->hint) {
			/* the annotation shows the message over several
			 * lines; the fix reads best on its own */
			pl_buf_adds(&b, "%0Ahint: ");
			add_escaped(&b, f->hint, false);
		}
		pl_buf_addc(&b, '\n');
		if (fwrite(b.ptr, 1, b.len, out) != b.len)
			goto fail;
		pl_buf_reset(&b);
	}
	if (fflush(out) != 0)
		goto fail;
	pl_buf_release(&b);
	return 0;
fail:
	pl_buf_release(&b);
	return pl_error_set(err, PL_EIO, NULL, NULL,
	                    "cannot write the report: %s", strerror(errno));
}
