/*
 * lsp_answer.c - what `plumb lsp` answers from the last lint (lsp_impl.h):
 * publishDiagnostics per open document, hover (the rule's explanation)
 * and code actions (the finding's fix, and a `# plumb:ignore` line).
 *
 * Ranges are the findings' byte spans turned into LSP positions over the
 * linted text (the overlay's bytes for an open document), in the
 * negotiated encoding. A finding on a whole file (line 0) is 0:0-0:0.
 * A finding about other places too carries them as relatedInformation
 * (their URIs: the open document's, else the path under the root).
 * Suppressed findings are not shown; secrets/ findings never carry a fix
 * (pl_emit_fix refuses them), and a fix whose text holds a flagged value
 * (fix_hidden) is not offered either: the text would leak it.
 */
#include "run/lsp_impl.h"
#include "base/xalloc.h"
#include "builtin/builtin.h"
#include "report/report.h"
#include "rule/registry.h"

#define DOCS_URI "https://github.com/plumb-lint/plumb/blob/main/docs/rules/"

/* A linted source and its LSP line index. */
typedef struct text {
	const pl_source *src;
	pl_vec lines; /* size_t */
	bool utf8;
} text;

static const pl_source *source_of(const pl_lsp *s, const char *path)
{
	size_t lo = 0, hi = s->lint.nfiles;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const pl_source *src = &s->lint.by_path[mid]->src;
		int c = src->path ? strcmp(src->path, path) : -1;
		if (c == 0)
			return src;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool text_init(text *t, const pl_lsp *s, const char *path)
{
	t->src = source_of(s, path);
	t->utf8 = s->utf8;
	pl_vec_init(&t->lines, sizeof(size_t));
	if (!t->src || !t->src->data)
		return false;
	pl_lsp_lines(&t->lines, t->src->data, t->src->len);
	return true;
}

static json_t *pos_json(const text *t, size_t offset)
{
	pl_lsp_pos p = pl_lsp_pos_of(&t->lines, t->src->data, t->src->len,
	                             offset, t->utf8);
	json_t *j = json_object();
	json_object_set_new(j, "line", json_integer(p.line));
	json_object_set_new(j, "character", json_integer(p.character));
	return j;
}

static json_t *range_json(const text *t, size_t a, size_t b)
{
	json_t *r = json_object();
	json_object_set_new(r, "start", pos_json(t, a));
	json_object_set_new(r, "end", pos_json(t, b));
	return r;
}

/* The finding's bytes: [*a, *b); a whole-file finding is [0, 0). */
static void span_of(const pl_finding *x, size_t *a, size_t *b)
{
	*a = x->span.start.line ? x->span.start.offset : 0;
	*b = x->span.start.line ? x->span.end.offset : 0;
	if (*b < *a)
		*b = *a;
}

bool pl_lsp__range(json_t *range, pl_lsp_pos *start, pl_lsp_pos *end)
{
	json_t *p = json_object_get(range, "start");
	json_t *q = json_object_get(range, "end");
	json_t *v[4];
	size_t i;

	v[0] = json_object_get(p, "line");
	v[1] = json_object_get(p, "character");
	v[2] = json_object_get(q, "line");
	v[3] = json_object_get(q, "character");
	for (i = 0; i < 4; i++)
		if (!json_is_integer(v[i]) || json_integer_value(v[i]) < 0 ||
		    json_integer_value(v[i]) > UINT32_MAX)
			return false;
	start->line = (uint32_t)json_integer_value(v[0]);
	start->character = (uint32_t)json_integer_value(v[1]);
	end->line = (uint32_t)json_integer_value(v[2]);
	end->character = (uint32_t)json_integer_value(v[3]);
	return true;
}

/* Has the rule a page in docs/rules/ (built-in, or a shipped pack's)? */
static const char *docs_path(const pl_lsp *s, const char *id, pl_buf *uri)
{
	const pl_rule *r =
	        pl_registry_find(pl_session_registry(s->session), id, NULL);
	size_t i;
	bool shipped = r && !r->origin;

	for (i = 0; r && !shipped && i < pl_builtin_packs_len; i++)
		shipped = strcmp(pl_builtin_packs[i].path, r->origin) == 0;
	if (!shipped)
		return NULL;
	pl_buf_reset(uri);
	pl_buf_addf(uri, "%s%s.md", DOCS_URI, id);
	return uri->ptr;
}

static int lsp_severity(pl_severity sev)
{
	switch (sev) {
	case PL_SEV_ERROR:
		return 1;
	case PL_SEV_WARNING:
		return 2;
	default:
		return 3;
	}
}

/* A file:// URI for a path of the run: the open document's own URI when
 * it is open (the client's spelling), else the path under the root. */
static char *uri_of(const pl_lsp *s, const char *path)
{
	pl_buf abs;
	char *uri;
	size_t i;

	for (i = 0; i < s->docs.len; i++) {
		const pl_lsp_doc *d = pl_vec_at(&s->docs, i);
		if (d->path && strcmp(d->path, path) == 0)
			return pl_xstrdup(d->uri);
	}
	pl_buf_init(&abs, 0);
	if (path[0] != '/' && s->walk.root)
		pl_buf_addf(&abs, "%s/", s->walk.root);
	pl_buf_adds(&abs, path);
	uri = pl_lsp_path_uri(abs.ptr);
	pl_buf_release(&abs);
	return uri;
}

/* A client that takes no relatedInformation gets the other places at
 * the end of the message, one line each, as `plumb check` prints them. */
static json_t *message_with_notes(const pl_finding *x)
{
	pl_buf m;
	json_t *j;
	size_t i;

	pl_buf_init(&m, 0);
	pl_buf_addf(&m, "%s", x->message ? x->message : "");
	for (i = 0; i < x->nrelated; i++) {
		const pl_related *r = &x->related[i];
		if (r->src && r->src->path)
			pl_buf_addf(&m, "\n%s:%u:%u: note: %s", r->src->path,
			            r->span.start.line, r->span.start.col,
			            r->message ? r->message : "");
	}
	j = pl_lsp__str(m.ptr);
	pl_buf_release(&m);
	return j;
}

/* LSP 3.17 DiagnosticRelatedInformation: the other places the finding
 * is about, each a location (its range over that file's linted text, in
 * the negotiated encoding) and a message. */
static json_t *related_info(const pl_lsp *s, const pl_finding *x)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; i < x->nrelated; i++) {
		const pl_related *r = &x->related[i];
		json_t *info = json_object(), *loc = json_object();
		char *uri;
		text t;
		size_t a = r->span.start.offset, b = r->span.end.offset;

		if (!r->src->path || !r->src->data)
			continue;
		t.src = r->src;
		t.utf8 = s->utf8;
		pl_vec_init(&t.lines, sizeof(size_t));
		pl_lsp_lines(&t.lines, t.src->data, t.src->len);
		uri = uri_of(s, r->src->path);
		json_object_set_new(loc, "uri", pl_lsp__str(uri));
		json_object_set_new(loc, "range",
		                    range_json(&t, a, b < a ? a : b));
		json_object_set_new(info, "location", loc);
		json_object_set_new(info, "message", pl_lsp__str(r->message));
		json_array_append_new(list, info);
		pl_vec_release(&t.lines);
		free(uri);
	}
	return list;
}

static json_t *diagnostic(const pl_lsp *s, const text *t, const pl_finding *x)
{
	json_t *d = json_object();
	size_t a, b;
	pl_buf uri;

	span_of(x, &a, &b);
	json_object_set_new(d, "range", range_json(t, a, b));
	json_object_set_new(d, "severity",
	                    json_integer(lsp_severity(x->severity)));
	json_object_set_new(d, "code", json_string(x->rule));
	pl_buf_init(&uri, 0);
	if (docs_path(s, x->rule, &uri)) {
		json_t *cd = json_object();
		json_object_set_new(cd, "href", json_string(uri.ptr));
		json_object_set_new(d, "codeDescription", cd);
	}
	pl_buf_release(&uri);
	json_object_set_new(d, "source", json_string("plumb"));
	if (x->nrelated && s->related) {
		json_object_set_new(d, "message", pl_lsp__str(x->message));
		json_object_set_new(d, "relatedInformation",
		                    related_info(s, x));
	} else {
		json_object_set_new(d, "message", message_with_notes(x));
	}
	return d;
}

static bool shown(const pl_finding *x, const pl_source *src)
{
	return !x->suppressed && x->src && x->src->path &&
	       strcmp(x->src->path, src->path) == 0;
}

static void publish(pl_lsp *s, const pl_lsp_doc *doc)
{
	json_t *p = json_object(), *list = json_array();
	text t;
	size_t i;
	bool have = text_init(&t, s, doc->path);

	if (have && s->session &&
	    !pl_config_excluded(pl_session_config(s->session), doc->path))
		for (i = 0; i < pl_findings_len(&s->lint.all); i++) {
			const pl_finding *x = pl_findings_at(&s->lint.all, i);
			if (shown(x, t.src))
				json_array_append_new(list,
				                      diagnostic(s, &t, x));
		}
	pl_vec_release(&t.lines);
	json_object_set_new(p, "uri", json_string(doc->uri));
	json_object_set_new(p, "version", json_integer(doc->version));
	json_object_set_new(p, "diagnostics", list);
	pl_lsp__notify(s, "textDocument/publishDiagnostics", p);
}

void pl_lsp__publish_all(pl_lsp *s)
{
	size_t i;
	for (i = 0; i < s->docs.len; i++)
		publish(s, pl_vec_at(&s->docs, i));
}

/* The document and offset (or range) of a textDocument request. */
static bool locate(pl_lsp *s, json_t *params, text *t, char **path)
{
	const char *uri = json_string_value(json_object_get(
	        json_object_get(params, "textDocument"), "uri"));
	*path = uri ? pl_lsp__path(s, uri) : NULL;
	if (!*path)
		return false;
	text_init(t, s, *path);
	return true;
}

static size_t offset_at(const text *t, pl_lsp_pos p)
{
	return pl_lsp_offset_of(&t->lines, t->src->data, t->src->len, p,
	                        t->utf8);
}

/* The explanation `plumb explain` gives, in Markdown. */
static void explain(pl_lsp *s, pl_buf *b, const pl_finding *x)
{
	const pl_rule *r = pl_registry_find(pl_session_registry(s->session),
	                                    x->rule, NULL);
	pl_buf uri;

	pl_buf_addf(b, "**%s** (%s): ", x->rule, pl_severity_name(x->severity));
	pl_report_help_markdown(b, x->message);
	if (x->hint) {
		pl_buf_adds(b, " (");
		pl_report_help_markdown(b, x->hint);
		pl_buf_adds(b, ")");
	}
	pl_buf_adds(b, "\n\n");
	if (!r)
		return;
	pl_report_help_markdown(b, r->summary);
	pl_buf_adds(b, "\n\n");
	pl_report_help_markdown(b, r->help);
	pl_buf_init(&uri, 0);
	if (docs_path(s, x->rule, &uri))
		pl_buf_addf(b, "\n\n[%s](%s)", x->rule, uri.ptr);
	pl_buf_release(&uri);
	pl_buf_adds(b, "\n\n");
}

int pl_lsp__hover(pl_lsp *s, json_t *params, json_t **result)
{
	json_t *pos = json_object_get(params, "position");
	json_t *range = json_object();
	pl_lsp_pos p;
	size_t off, i, a, b, first = SIZE_MAX, last = 0;
	pl_buf md;
	text t;
	char *path;

	json_object_set_new(range, "start", json_incref(pos));
	json_object_set_new(range, "end", json_incref(pos));
	if (!pl_lsp__range(range, &p, &p) || !locate(s, params, &t, &path)) {
		json_decref(range);
		return -32602;
	}
	json_decref(range);
	*result = json_null();
	pl_buf_init(&md, 0);
	for (i = 0; t.src && s->session && i < pl_findings_len(&s->lint.all);
	     i++) {
		const pl_finding *x = pl_findings_at(&s->lint.all, i);
		if (!shown(x, t.src))
			continue;
		off = offset_at(&t, p);
		span_of(x, &a, &b);
		if (off < a || off > b)
			continue;
		explain(s, &md, x);
		first = a < first ? a : first;
		last = b > last ? b : last;
	}
	if (md.len) {
		json_t *c = json_object();
		json_object_set_new(c, "kind", json_string("markdown"));
		json_object_set_new(c, "value", pl_lsp__str(md.ptr));
		*result = json_object();
		json_object_set_new(*result, "contents", c);
		json_object_set_new(*result, "range",
		                    range_json(&t, first, last));
	}
	pl_buf_release(&md);
	pl_vec_release(&t.lines);
	free(path);
	return 0;
}

/* A quick fix: title, the diagnostic it fixes, edits of uri. */
static json_t *action(const char *title, json_t *diag, const char *uri,
                      json_t *edits, bool preferred)
{
	json_t *a = json_object(), *we = json_object(), *ch = json_object();
	json_t *ds = json_array();

	json_object_set_new(a, "title", pl_lsp__str(title));
	json_object_set_new(a, "kind", json_string("quickfix"));
	json_array_append_new(ds, diag);
	json_object_set_new(a, "diagnostics", ds);
	if (preferred)
		json_object_set_new(a, "isPreferred", json_true());
	json_object_set_new(ch, uri, edits);
	json_object_set_new(we, "changes", ch);
	json_object_set_new(a, "edit", we);
	return a;
}

static json_t *text_edit(const text *t, size_t a, size_t b, const char *s)
{
	json_t *e = json_object();
	json_object_set_new(e, "range", range_json(t, a, b));
	json_object_set_new(e, "newText", pl_lsp__str(s));
	return e;
}

/* The finding's own fix, when it has one it may show. */
static json_t *fix_action(const pl_lsp *s, const text *t, const pl_finding *x,
                          const char *uri)
{
	json_t *edits;
	pl_buf title;
	size_t i;

	if (!x->nedits || x->fix_hidden || strncmp(x->rule, "secrets/", 8) == 0)
		return NULL;
	edits = json_array();
	for (i = 0; i < x->nedits; i++)
		json_array_append_new(
		        edits, text_edit(t, x->edits[i].offset,
		                         x->edits[i].offset + x->edits[i].len,
		                         x->edits[i].text));
	pl_buf_init(&title, 0);
	pl_buf_addf(&title, "plumb: %s", x->hint ? x->hint : "apply the fix");
	edits = action(title.ptr, diagnostic(s, t, x), uri, edits, true);
	pl_buf_release(&title);
	return edits;
}

/* `# plumb:ignore RULE -- reason` on the line above the finding, with
 * that line's indentation and line break. */
static json_t *ignore_action(const pl_lsp *s, const text *t,
                             const pl_finding *x, const char *uri)
{
	const char *d = t->src->data;
	size_t a, b, start, end, ind;
	pl_lsp_pos p;
	pl_buf line, title;
	json_t *edits = json_array(), *out;

	span_of(x, &a, &b);
	p = pl_lsp_pos_of(&t->lines, d, t->src->len, a, true);
	start = *(const size_t *)pl_vec_at((pl_vec *)&t->lines, p.line);
	for (ind = start;
	     ind < t->src->len && (d[ind] == ' ' || d[ind] == '\t'); ind++)
		;
	for (end = start; end < t->src->len && d[end] != '\n' && d[end] != '\r';
	     end++)
		;
	pl_buf_init(&line, 0);
	pl_buf_add(&line, d + start, ind - start);
	pl_buf_addf(&line, "# plumb:ignore %s -- reason%s", x->rule,
	            end < t->src->len && d[end] == '\r' ? "\r\n" : "\n");
	json_array_append_new(edits, text_edit(t, start, start, line.ptr));
	pl_buf_init(&title, 0);
	pl_buf_addf(&title, "plumb: ignore %s with # plumb:ignore %s -- reason",
	            x->rule, x->rule);
	out = action(title.ptr, diagnostic(s, t, x), uri, edits, false);
	pl_buf_release(&line);
	pl_buf_release(&title);
	return out;
}

int pl_lsp__code_action(pl_lsp *s, json_t *params, json_t **result)
{
	const char *uri = json_string_value(json_object_get(
	        json_object_get(params, "textDocument"), "uri"));
	pl_lsp_pos p, q;
	size_t i, lo, hi, a, b;
	text t;
	char *path;

	if (!pl_lsp__range(json_object_get(params, "range"), &p, &q) ||
	    !locate(s, params, &t, &path))
		return -32602;
	*result = json_array();
	for (i = 0; t.src && s->session && i < pl_findings_len(&s->lint.all);
	     i++) {
		const pl_finding *x = pl_findings_at(&s->lint.all, i);
		json_t *fix;
		if (!shown(x, t.src))
			continue;
		lo = offset_at(&t, p);
		hi = offset_at(&t, q);
		span_of(x, &a, &b);
		if (a > hi || b < lo)
			continue;
		fix = fix_action(s, &t, x, uri);
		if (fix)
			json_array_append_new(*result, fix);
		json_array_append_new(*result, ignore_action(s, &t, x, uri));
	}
	pl_vec_release(&t.lines);
	free(path);
	return 0;
}
