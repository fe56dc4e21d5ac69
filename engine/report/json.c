/*
 * json.c - the JSON reporter (schemas/report.schema.json, version 1).
 *
 * One JSON document: the tool, the findings in report order, a summary.
 * Positions are 1-based; columns count code points (pos.h). Suppressed
 * findings are listed with a "suppressed" member and left out of the
 * summary's counts. Fields are only ever added within version 1; a
 * removal or a change of meaning bumps it. Built with jansson, whose
 * _new calls steal references (STYLE.md §5).
 */
#include "report/report.h"
#include "base/buf.h"
#include "base/utf8.h"

#include <jansson.h>

#define REPORT_VERSION 1

static char *utf8_clean(const char *s)
{
	pl_buf b;
	size_t i = 0, len = strlen(s);

	pl_buf_init(&b, 0);
	while (i < len) {
		size_t n = pl_utf8_valid_len(s + i, len - i);
		if (n) {
			pl_buf_add(&b, s + i, n);
			i += n;
		} else {
			pl_buf_adds(&b, "\xef\xbf\xbd");
			i++;
		}
	}
	return pl_buf_detach(&b, NULL);
}

json_t *pl_report__json_str(const char *s)
{
	json_t *j = json_string(s);
	char *clean;

	if (j)
		return j;
	clean = utf8_clean(s);
	j = json_string(clean);
	free(clean);
	return j ? j : json_string("");
}

int pl_report__json_write(json_t *doc, FILE *out, pl_error *err)
{
	int rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (rc != 0 || fputc('\n', out) == EOF || fflush(out) != 0)
		return pl_error_set(err, PL_EIO, NULL, NULL,
		                    "cannot write the report: %s",
		                    strerror(errno));
	return 0;
}

static const char *suppression_name(pl_suppression k)
{
	switch (k) {
	case PL_SUPPRESS_INLINE:
		return "inline";
	case PL_SUPPRESS_ANNOTATION:
		return "annotation";
	case PL_SUPPRESS_CONFIG:
		return "config";
	default:
		return "baseline";
	}
}

/* The finding's fix: a list of fixes (one today), each a list of edits
 * of the finding's file, as --fix applies them (schemas/report.schema.json). */
static json_t *fixes_json(const pl_finding *f)
{
	json_t *fixes = json_array(), *fix = json_object();
	json_t *edits = json_array();
	size_t i;

	for (i = 0; i < f->nedits; i++) {
		const pl_edit *e = &f->edits[i];
		json_t *o = json_object();
		json_object_set_new(o, "offset",
		                    json_integer((json_int_t)e->offset));
		json_object_set_new(o, "length",
		                    json_integer((json_int_t)e->len));
		json_object_set_new(o, "line", json_integer(e->start.line));
		json_object_set_new(o, "column", json_integer(e->start.col));
		json_object_set_new(o, "endLine", json_integer(e->end.line));
		json_object_set_new(o, "endColumn", json_integer(e->end.col));
		json_object_set_new(o, "text", pl_report__json_str(e->text));
		json_array_append_new(edits, o);
	}
	json_object_set_new(fix, "edits", edits);
	json_array_append_new(fixes, fix);
	return fixes;
}

/* The other places the finding is about (pl_related), in the order the
 * rule named them. */
static json_t *related_json(const pl_finding *f)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; i < f->nrelated; i++) {
		const pl_related *x = &f->related[i];
		json_t *o = json_object();
		json_object_set_new(
		        o, "path",
		        pl_report__json_str(pl_source_shown(x->src)));
		json_object_set_new(o, "line",
		                    json_integer(x->span.start.line));
		json_object_set_new(o, "column",
		                    json_integer(x->span.start.col));
		json_object_set_new(o, "endLine",
		                    json_integer(x->span.end.line));
		json_object_set_new(o, "endColumn",
		                    json_integer(x->span.end.col));
		json_object_set_new(o, "message",
		                    pl_report__json_str(x->message));
		json_array_append_new(list, o);
	}
	return list;
}

static json_t *finding_json(const pl_finding *f)
{
	json_t *o = json_object();
	char hex[17];

	json_object_set_new(o, "rule", pl_report__json_str(f->rule));
	json_object_set_new(o, "severity",
	                    json_string(pl_severity_name(f->severity)));
	json_object_set_new(o, "path",
	                    pl_report__json_str(pl_source_shown(f->src)));
	json_object_set_new(o, "line", json_integer(f->span.start.line));
	json_object_set_new(o, "column", json_integer(f->span.start.col));
	json_object_set_new(o, "endLine", json_integer(f->span.end.line));
	json_object_set_new(o, "endColumn", json_integer(f->span.end.col));
	json_object_set_new(o, "message", pl_report__json_str(f->message));
	if (f->hint)
		json_object_set_new(o, "hint", pl_report__json_str(f->hint));
	if (f->fingerprint)
		json_object_set_new(o, "fingerprint",
		                    pl_report__json_str(f->fingerprint));
	pl_finding_stable_hex(f, hex);
	json_object_set_new(o, "stable", json_string(hex));
	if (f->src->commit) {
		/* --history: which commit brought the blob, and its path
		 * there (from the root: the blob need not exist on disk) */
		json_object_set_new(o, "commit", json_string(f->src->commit));
		json_object_set_new(o, "authorDate",
		                    json_string(f->src->author_date));
		json_object_set_new(o, "blobPath",
		                    pl_report__json_str(f->src->path));
	}
	if (f->nedits && !f->fix_hidden)
		json_object_set_new(o, "fixes", fixes_json(f));
	if (f->nrelated)
		json_object_set_new(o, "related", related_json(f));
	if (f->suppressed != PL_SUPPRESS_NONE) {
		json_t *sup = json_object();
		json_object_set_new(
		        sup, "kind",
		        json_string(suppression_name(f->suppressed)));
		if (f->suppress_reason)
			json_object_set_new(
			        sup, "reason",
			        pl_report__json_str(f->suppress_reason));
		json_object_set_new(o, "suppressed", sup);
	}
	return o;
}

int pl_report_json(FILE *out, const pl_report *r, pl_error *err)
{
	json_t *root = json_object(), *tool = json_object();
	json_t *list = json_array(), *summary = json_object();
	pl_report_counts c;
	size_t i;

	json_object_set_new(root, "version", json_integer(REPORT_VERSION));
	json_object_set_new(tool, "name", json_string("plumb"));
	json_object_set_new(tool, "version", json_string(PL_VERSION));
	json_object_set_new(root, "tool", tool);
	for (i = 0; i < pl_findings_len(r->findings); i++)
		json_array_append_new(
		        list, finding_json(pl_findings_at(r->findings, i)));
	json_object_set_new(root, "findings", list);
	if (r->nunread) {
		json_t *unread = json_array();
		for (i = 0; i < r->nunread; i++)
			json_array_append_new(
			        unread,
			        pl_report__json_str(r->unread[i]->path));
		json_object_set_new(root, "unread", unread);
	}
	pl_report_count(&c, r->findings);
	json_object_set_new(summary, "files",
	                    json_integer((json_int_t)r->files));
	json_object_set_new(
	        summary, "findings",
	        json_integer((json_int_t)(c.error + c.warning + c.info)));
	json_object_set_new(summary, "error",
	                    json_integer((json_int_t)c.error));
	json_object_set_new(summary, "warning",
	                    json_integer((json_int_t)c.warning));
	json_object_set_new(summary, "info", json_integer((json_int_t)c.info));
	json_object_set_new(summary, "suppressed",
	                    json_integer((json_int_t)c.suppressed));
	if (r->nunread)
		json_object_set_new(summary, "unread",
		                    json_integer((json_int_t)r->nunread));
	json_object_set_new(root, "summary", summary);

	return pl_report__json_write(root, out, err);
}

const char *pl_report_jansson_version(void)
{
	return JANSSON_VERSION;
}
