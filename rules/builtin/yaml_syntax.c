/*
 * yaml_syntax.c - yaml/syntax, yaml/limit, yaml/unrendered-template: the
 * loader's problems, as findings.
 *
 * A file that does not parse is one finding, at libyaml's position, never
 * a cascade. Files with Go/Helm template syntax (`{{ ... }}`) outside any
 * scalar and comment at or before the error are templates, not broken
 * YAML (the parse failed inside or after a template action): they get an
 * info finding instead (the corpus has 159 such files; a maintainer would
 * not call them syntax errors). Chart templates found by the walk never
 * reach the parser at all.
 */
#include "builtin/builtin.h"

/* True if at is inside a scalar span of t (spans are sorted; *si moves
 * forward only, as callers ask in increasing order). */
static bool in_scalar(const pl_tree *t, size_t *si, size_t at)
{
	while (*si < t->nspans && t->spans[2 * *si + 1] <= at)
		(*si)++;
	return *si < t->nspans && t->spans[2 * *si] <= at;
}

/* True if at is inside a comment: a '#' at the start of its line or
 * after a blank, outside every scalar, comes before it on its line. */
static bool in_comment(const pl_tree *t, size_t at)
{
	const char *d = t->src->data;
	size_t ls = at, q, si = 0;

	while (ls > 0 && d[ls - 1] != '\n' && d[ls - 1] != '\r')
		ls--;
	for (q = ls; q < at; q++) {
		if (d[q] != '#' ||
		    (q > ls && d[q - 1] != ' ' && d[q - 1] != '\t'))
			continue;
		if (!in_scalar(t, &si, q))
			return true;
	}
	return false;
}

/* True if a `{{` outside every scalar and comment starts at or before
 * the position of the problem: the parse failed inside or after a
 * template action, so the text is a template, not broken YAML. A `{{`
 * in a comment, or only after the problem, did not cause it. *where gets
 * the offset of that `{{`. */
static bool templated(const pl_tree *t, size_t *where)
{
	const pl_source *s = t->src;
	size_t limit, off = 0, si = 0;

	limit = t->where.offset + 1 < s->len ? t->where.offset + 1 : s->len;
	while (off < limit) {
		const char *p = memchr(s->data + off, '{', limit - off);
		size_t at;
		if (!p)
			return false;
		at = (size_t)(p - s->data);
		off = at + 1;
		if (at + 1 >= s->len || s->data[at + 1] != '{')
			continue;
		if (in_scalar(t, &si, at) || in_comment(t, at))
			continue;
		if (where)
			*where = at;
		return true;
	}
	return false;
}

static pl_span point(const pl_pos *p)
{
	pl_span s;
	s.start = *p;
	s.end = *p;
	return s;
}

static const char *syntax_hint(const pl_tree *t)
{
	const pl_source *s = t->src;
	size_t at = t->where.offset;

	if (t->message && strstr(t->message, "UTF-8"))
		return "the file is not UTF-8 (Latin-1 or Windows-1252?); "
		       "convert it, e.g. with iconv -f latin1 -t utf-8";
	if (at < s->len && s->data[at] == '\t')
		return "YAML does not allow tabs for indentation; use spaces";
	if (t->message &&
	    strstr(t->message, "mapping values are not allowed") != NULL)
		return "a plain value cannot contain ': '; quote the value";
	if (t->message && strstr(t->message, "found undefined tag handle"))
		return "declare the tag handle with a %TAG directive";
	return NULL;
}

static void check_syntax(pl_ctx *ctx, const pl_file *f)
{
	if (!f->parsed || f->tree.problem != PL_TREE_SYNTAX ||
	    templated(&f->tree, NULL))
		return;
	pl_emit_hint(ctx, point(&f->tree.where), syntax_hint(&f->tree), "%s",
	             f->tree.message);
}

const pl_rule pl_rule_yaml_syntax = {
        .id = "yaml/syntax",
        .severity = PL_SEV_ERROR,
        .summary = "The file is not valid YAML",
        .help = "The YAML parser (libyaml) rejected the file at the position "
                "shown; documents before the error are still linted, the rest "
                "of the file is not. Kubernetes, Flux and Pulumi would refuse "
                "it too.\n"
                "Fix: correct the text at the position shown. Common causes: "
                "tabs used for indentation, a value containing ': ' or ' #' "
                "that needs quotes, a list item indented less than its "
                "siblings, an unclosed quote or bracket.",
        .scope = PL_SCOPE_FILE,
        .file_kinds = PL_FILES_YAML,
        .check_file = check_syntax,
        .example = "apiVersion: v1\n"
                   "kind: ConfigMap\n"
                   "metadata:\n"
                   "  name: app-settings\n"
                   "data:\n"
                   "  greeting: Hello: world\n",
        .tags = PL_TAGS("yaml"),
        .precision = PL_PRECISION_HIGH,
        .stage = PL_STAGE_PARSE,
};

static void check_template(pl_ctx *ctx, const pl_file *f)
{
	size_t at = 0;
	pl_span span;

	if (!f->parsed || f->tree.problem != PL_TREE_SYNTAX ||
	    !templated(&f->tree, &at))
		return;
	span.start = pl_source_pos_at(&f->src, at);
	span.end = pl_source_pos_at(&f->src, at + 2);
	pl_emit_span(ctx, span,
	             "Go template syntax: not valid YAML until rendered (it "
	             "fails to parse at line %u); only text checks ran on it",
	             f->tree.where.line);
}

const pl_rule pl_rule_yaml_unrendered_template = {
        .id = "yaml/unrendered-template",
        .severity = PL_SEV_INFO,
        .summary = "A YAML file holds Go or Helm template syntax and was "
                   "linted as text only",
        .help = "The file contains `{{ ... }}` template actions outside any "
                "quoted value and comment, and fails to parse as YAML inside "
                "or after one, so it is a template "
                "(Helm, flux golden files, envsubst with Go templates). plumb "
                "cannot check its structure until it is rendered; secret "
                "scanning still reads its text. Files under templates/ of a "
                "Helm chart are recognised without this finding. A `{{` in "
                "a comment, or only after the error, does not make a file a "
                "template: that error is yaml/syntax.\n"
                "Fix: nothing, if it is a template. To check the rendered "
                "result, pipe it in: `helm template . | plumb check -`. If it "
                "is not meant to be a template, fix the YAML.",
        .scope = PL_SCOPE_FILE,
        .file_kinds = PL_FILES_YAML,
        .check_file = check_template,
        .example = "apiVersion: v1\n"
                   "kind: ConfigMap\n"
                   "metadata:\n"
                   "  name: {{ .Release.Name }}-settings\n"
                   "data:\n"
                   "  {{- range $key, $value := .Values.settings }}\n"
                   "  {{ $key }}: {{ $value | quote }}\n"
                   "  {{- end }}\n",
        .tags = PL_TAGS("yaml"),
        .precision = PL_PRECISION_HIGH,
};

static void check_limit(pl_ctx *ctx, const pl_file *f)
{
	if (!f->parsed || f->tree.problem != PL_TREE_LIMIT)
		return;
	pl_emit_span(ctx, point(&f->tree.where), "%s", f->tree.message);
}

const pl_rule pl_rule_yaml_limit = {
        .id = "yaml/limit",
        .severity = PL_SEV_ERROR,
        .summary = "A document exceeds a safety limit (alias expansion, "
                   "nesting, size)",
        .help = "plumb bounds what one file may cost: aliases may expand to "
                "at most 1,000,000 nodes (an 'alias bomb' or 'billion laughs' "
                "expands exponentially), collections may nest 256 deep, a "
                "file may hold 4,000,000 nodes and 100,000 documents. Past the "
                "limit the rest of the file is not linted. The Kubernetes API "
                "server applies similar limits and would refuse such input.\n"
                "Fix: if the file is legitimate, split it; if it came from "
                "outside, it may be hostile: do not apply it.",
        .scope = PL_SCOPE_FILE,
        .file_kinds = PL_FILES_YAML,
        .check_file = check_limit,
        .example = "# each level repeats the one before nine times\n"
                   "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                   "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                   "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                   "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                   "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                   "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                   "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n",
        .tags = PL_TAGS("yaml"),
        .precision = PL_PRECISION_HIGH,
        .stage = PL_STAGE_PARSE,
};
