/*
 * kustomize_emit.c - rendered objects as a YAML stream.
 *
 * Block style, two spaces per level, sequences at their key's indent
 * (kustomize's look). A string is written plain only when YAML 1.2 and
 * YAML 1.1 parsers both read it back as the same string; otherwise it is
 * double-quoted, or a literal block when it spans lines. Other scalars
 * (numbers, booleans, null) keep their text as written. With sources,
 * each value line ends in `# file:line:col` of the node it came from.
 */
#include "model/kustomize_impl.h"
#include "tree/scalar.h"

static void indent(pl_buf *out, int n)
{
	while (n-- > 0)
		pl_buf_addc(out, ' ');
}

static void comment(pl_buf *out, const pl_knode *n, bool sources)
{
	if (!sources || !n->file || !n->origin)
		return;
	pl_buf_addf(out, "  # %s:%u:%u", n->file->src.path,
	            n->origin->span.start.line, n->origin->span.start.col);
}

static bool plain_ok(const char *s, size_t len)
{
	size_t i;
	if (len == 0)
		return false;
	if (pl_scalar_type12(s, len) != PL_TYPE_STRING ||
	    pl_scalar_type11(s, len) != PL_TYPE_STRING)
		return false;
	if (strchr("?:,[]{}#&*!|>'\"%@` \t", s[0]))
		return !(s[0] == '?' || s[0] == ':') ? false
		                                     : len > 1 && s[1] != ' ';
	if (s[0] == '-' && (len == 1 || s[1] == ' '))
		return false;
	if (s[len - 1] == ' ' || s[len - 1] == ':' || s[len - 1] == '\t')
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			return false;
		if (c == ':' && i + 1 < len && s[i + 1] == ' ')
			return false;
		if (c == '#' && i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
			return false;
	}
	/* "---" and "..." at the start of a line end documents */
	if (len >= 3 &&
	    (strncmp(s, "---", 3) == 0 || strncmp(s, "...", 3) == 0))
		return false;
	return true;
}

static bool literal_ok(const char *s, size_t len)
{
	size_t i;
	if (len == 0 || !memchr(s, '\n', len) || s[0] == ' ' || s[0] == '\n')
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			return false;
		/* a line that starts with blanks after an empty line would
		 * be read as more-indented text: keep it simple, quote */
		if (c == '\n' && i + 1 < len && s[i + 1] == '\t')
			return false;
	}
	return true;
}

static void quoted(pl_buf *out, const char *s, size_t len)
{
	size_t i;
	pl_buf_addc(out, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"':
			pl_buf_adds(out, "\\\"");
			break;
		case '\\':
			pl_buf_adds(out, "\\\\");
			break;
		case '\n':
			pl_buf_adds(out, "\\n");
			break;
		case '\t':
			pl_buf_adds(out, "\\t");
			break;
		case '\r':
			pl_buf_adds(out, "\\r");
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				pl_buf_addf(out, "\\x%02x", c);
			else
				pl_buf_addc(out, (char)c);
		}
	}
	pl_buf_addc(out, '"');
}

/* A plain 0755: Go's YAML decoder (yaml.v3, strconv base 0) reads it
 * as the octal int 493, and kustomize prints that number. */
static bool octal(const pl_knode *n)
{
	size_t i;
	if (n->style != PL_STYLE_PLAIN || n->len < 2 || n->len > 20 ||
	    n->str[0] != '0')
		return false;
	for (i = 1; i < n->len; i++)
		if (n->str[i] < '0' || n->str[i] > '7')
			return false;
	return true;
}

/* Writes scalar n after "key:" or "- " (a leading space is written
 * here), with its comment and the line break. */
static void scalar(pl_buf *out, const pl_knode *n, int ind, bool sources)
{
	const char *s = n->str;
	size_t len = n->len, i, start;

	if (n->type != PL_TYPE_STRING) {
		pl_buf_addc(out, ' ');
		if (n->type == PL_TYPE_NULL && len == 0)
			pl_buf_adds(out, "null");
		else if (octal(n))
			pl_buf_addf(out, "%lld", strtoll(s, NULL, 8));
		else
			pl_buf_add(out, s, len);
		comment(out, n, sources);
		pl_buf_addc(out, '\n');
		return;
	}
	if (plain_ok(s, len)) {
		pl_buf_addc(out, ' ');
		pl_buf_add(out, s, len);
	} else if (literal_ok(s, len)) {
		size_t trail = 0;
		while (trail < len && s[len - 1 - trail] == '\n')
			trail++;
		pl_buf_adds(out, trail == 0   ? " |-"
		                 : trail == 1 ? " |"
		                              : " |+");
		comment(out, n, sources);
		pl_buf_addc(out, '\n');
		start = 0;
		for (i = 0; i <= len; i++) {
			if (i < len && s[i] != '\n')
				continue;
			if (i == len && start == len)
				break;
			if (i > start) {
				indent(out, ind);
				pl_buf_add(out, s + start, i - start);
			}
			pl_buf_addc(out, '\n');
			start = i + 1;
		}
		return;
	} else {
		pl_buf_addc(out, ' ');
		quoted(out, s, len);
	}
	comment(out, n, sources);
	pl_buf_addc(out, '\n');
}

static void key(pl_buf *out, const pl_knode *k)
{
	if (plain_ok(k->str, k->len))
		pl_buf_add(out, k->str, k->len);
	else
		quoted(out, k->str, k->len);
	pl_buf_addc(out, ':');
}

static void seq(pl_buf *out, const pl_knode *n, int ind, bool sources);

static void map(pl_buf *out, const pl_knode *n, int ind, bool first_inline,
                bool sources)
{
	size_t i;
	for (i = 0; i < n->n; i++) {
		const pl_knode *v = n->pairs[i].value;
		if (i > 0 || !first_inline)
			indent(out, ind);
		key(out, n->pairs[i].key);
		if (v->kind == PL_NODE_SCALAR) {
			scalar(out, v, ind + 2, sources);
		} else if (v->n == 0) {
			pl_buf_adds(out,
			            v->kind == PL_NODE_MAPPING ? " {}" : " []");
			comment(out, v, sources);
			pl_buf_addc(out, '\n');
		} else if (v->kind == PL_NODE_MAPPING) {
			comment(out, v, sources);
			pl_buf_addc(out, '\n');
			map(out, v, ind + 2, false, sources);
		} else {
			comment(out, v, sources);
			pl_buf_addc(out, '\n');
			seq(out, v, ind, sources);
		}
	}
}

static void seq(pl_buf *out, const pl_knode *n, int ind, bool sources)
{
	size_t i;
	for (i = 0; i < n->n; i++) {
		const pl_knode *v = n->items[i];
		indent(out, ind);
		pl_buf_addc(out, '-');
		if (v->kind == PL_NODE_SCALAR) {
			scalar(out, v, ind + 2, sources);
		} else if (v->n == 0) {
			pl_buf_adds(out,
			            v->kind == PL_NODE_MAPPING ? " {}" : " []");
			comment(out, v, sources);
			pl_buf_addc(out, '\n');
		} else if (v->kind == PL_NODE_MAPPING) {
			pl_buf_addc(out, ' ');
			map(out, v, ind + 2, true, sources);
		} else {
			comment(out, v, sources);
			pl_buf_addc(out, '\n');
			seq(out, v, ind + 2, sources);
		}
	}
}

int kz_emit_node(pl_buf *out, const pl_knode *n, bool sources)
{
	if (n->kind == PL_NODE_MAPPING && n->n)
		map(out, n, 0, false, sources);
	else if (n->kind == PL_NODE_SEQUENCE && n->n)
		seq(out, n, 0, sources);
	else if (n->kind == PL_NODE_MAPPING)
		pl_buf_adds(out, "{}\n");
	else if (n->kind == PL_NODE_SEQUENCE)
		pl_buf_adds(out, "[]\n");
	else {
		pl_buf_adds(out, "--- ");
		scalar(out, n, 0, sources);
	}
	return out->truncated ? PL_ELIMIT : 0;
}

int pl_kustomize_emit(pl_buf *out, const pl_kbuild *b, bool sources)
{
	size_t i;
	for (i = 0; i < b->nobjects; i++) {
		if (i > 0)
			pl_buf_adds(out, "---\n");
		if (kz_emit_node(out, b->objects[i]->root, sources))
			return PL_ELIMIT;
	}
	return 0;
}
