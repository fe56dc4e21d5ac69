/*
 * parse.c - CEL source text to a syntax tree (cel-spec doc/langdef.md).
 *
 * A lexer and a recursive-descent parser with CEL's precedence:
 *   ?:  <  ||  <  &&  <  == != < <= > >= in  <  + -  <  * / %  <  ! -
 *   <  member (.f, .f(), [i], T{...})  <  primary
 * Operators become calls named as CEL names them ("_+_", "_[_]",
 * "_?_:_", "!_", "-_"), so the evaluator has one dispatch. Nesting is
 * bounded by PL_CEL_MAX_DEPTH; every error carries the byte offset of
 * the token at fault.
 */
#include "cel/cel_impl.h"

typedef enum tok_kind {
	T_EOF,
	T_INT,    /* u: magnitude, fits int64 or is exactly 2^63 */
	T_UINT,   /* u */
	T_DOUBLE, /* d */
	T_STRING, /* s, slen */
	T_BYTES,
	T_IDENT,
	T_TRUE,
	T_FALSE,
	T_NULL,
	T_IN,
	T_PUNCT, /* p: the operator text */
} tok_kind;

typedef struct tok {
	tok_kind kind;
	uint32_t off;
	uint64_t u;
	double d;
	char *s;
	size_t slen;
	char p[3];
	bool quoted; /* an identifier written `like-this` */
} tok;

typedef struct parser {
	pl_arena *a;
	const char *src;
	size_t len, pos;
	tok t;
	unsigned depth;
	pl_error *err;
	bool failed;
	bool prev_value; /* the last token ends an operand (for ".5") */
} parser;

static int fail(parser *p, uint32_t off, const char *fmt, ...) PL_PRINTF(3, 4);

static int fail(parser *p, uint32_t off, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	pl_pos pos;

	if (p->failed)
		return PL_EPARSE;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	pos = pl_cel_pos(p->src, p->len, off);
	pl_error_set(p->err, PL_EPARSE, NULL, &pos, "%s", msg);
	p->failed = true;
	return PL_EPARSE;
}

pl_pos pl_cel_pos(const char *src, size_t len, size_t off)
{
	pl_pos pos = {1, 1, 0};
	size_t i;

	if (off > len)
		off = len;
	for (i = 0; i < off; i++) {
		if (src[i] == '\n') {
			pos.line++;
			pos.col = 1;
		} else if (((unsigned char)src[i] & 0xC0) != 0x80) {
			pos.col++;
		}
	}
	pos.offset = (uint32_t)off;
	return pos;
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_ident_start(int c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void put_utf8(pl_buf *b, uint32_t cp)
{
	if (cp < 0x80) {
		pl_buf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		pl_buf_addc(b, (char)(0xC0 | (cp >> 6)));
		pl_buf_addc(b, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		pl_buf_addc(b, (char)(0xE0 | (cp >> 12)));
		pl_buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		pl_buf_addc(b, (char)(0x80 | (cp & 0x3F)));
	} else {
		pl_buf_addc(b, (char)(0xF0 | (cp >> 18)));
		pl_buf_addc(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
		pl_buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		pl_buf_addc(b, (char)(0x80 | (cp & 0x3F)));
	}
}

/* One escape after '\' at p->pos; appends its bytes to b. */
static int lex_escape(parser *p, pl_buf *b, bool bytes, char quote)
{
	uint32_t off = (uint32_t)p->pos - 1;
	char c;
	int n, i, h;
	uint32_t cp = 0;

	if (p->pos >= p->len)
		return fail(p, off, "unterminated escape sequence");
	c = p->src[p->pos++];
	switch (c) {
	case 'a':
		pl_buf_addc(b, '\a');
		return 0;
	case 'b':
		pl_buf_addc(b, '\b');
		return 0;
	case 'f':
		pl_buf_addc(b, '\f');
		return 0;
	case 'n':
		pl_buf_addc(b, '\n');
		return 0;
	case 'r':
		pl_buf_addc(b, '\r');
		return 0;
	case 't':
		pl_buf_addc(b, '\t');
		return 0;
	case 'v':
		pl_buf_addc(b, '\v');
		return 0;
	case '\\':
	case '\'':
	case '"':
	case '`':
	case '?':
		pl_buf_addc(b, c);
		return 0;
	case 'x':
	case 'X':
	case 'u':
	case 'U':
		n = c == 'u' ? 4 : c == 'U' ? 8 : 2;
		if ((c == 'u' || c == 'U') && bytes)
			return fail(p, off, "\\%c escape in a bytes literal",
			            c);
		for (i = 0; i < n; i++) {
			h = p->pos < p->len ? hexval(p->src[p->pos]) : -1;
			if (h < 0)
				return fail(p, off, "invalid \\%c escape", c);
			cp = cp * 16 + (uint32_t)h;
			p->pos++;
		}
		break;
	default:
		if (c < '0' || c > '3')
			return fail(p, off, "invalid escape sequence \\%c", c);
		cp = (uint32_t)(c - '0');
		for (i = 0; i < 2; i++) {
			if (p->pos >= p->len || p->src[p->pos] < '0' ||
			    p->src[p->pos] > '7')
				return fail(p, off, "invalid octal escape");
			cp = cp * 8 + (uint32_t)(p->src[p->pos++] - '0');
		}
		break;
	}
	(void)quote;
	if (bytes && cp < 256) {
		pl_buf_addc(b, (char)cp);
		return 0;
	}
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000))
		return fail(p, off, "invalid code point in escape");
	put_utf8(b, cp);
	return 0;
}

static int lex_string(parser *p, bool raw, bool bytes)
{
	char q = p->src[p->pos];
	bool triple = p->pos + 2 < p->len && p->src[p->pos + 1] == q &&
	              p->src[p->pos + 2] == q;
	uint32_t start = p->t.off;
	pl_buf b;
	int rc = 0;

	p->pos += triple ? 3 : 1;
	pl_buf_init(&b, PL_CEL_MAX_LEN);
	for (;;) {
		char c;
		if (p->pos >= p->len) {
			rc = fail(p, start, "unterminated string literal");
			break;
		}
		c = p->src[p->pos];
		if (c == q && (!triple || (p->pos + 2 < p->len &&
		                           p->src[p->pos + 1] == q &&
		                           p->src[p->pos + 2] == q))) {
			p->pos += triple ? 3 : 1;
			break;
		}
		if (!triple && (c == '\n' || c == '\r')) {
			rc = fail(p, start, "newline in string literal");
			break;
		}
		p->pos++;
		if (c == '\\' && !raw) {
			rc = lex_escape(p, &b, bytes, q);
			if (rc)
				break;
			continue;
		}
		if (c == '\\' && raw && p->pos < p->len &&
		    p->src[p->pos] == q && !triple) {
			/* a raw string still cannot end at an escaped quote */
			pl_buf_addc(&b, c);
			pl_buf_addc(&b, q);
			p->pos++;
			continue;
		}
		pl_buf_addc(&b, c);
	}
	if (!rc && !bytes && !pl_cel_utf8_valid(b.ptr, b.len))
		rc = fail(p, start, "invalid UTF-8 in string literal");
	if (!rc) {
		p->t.kind = bytes ? T_BYTES : T_STRING;
		p->t.s = pl_arena_strndup(p->a, b.ptr, b.len);
		p->t.slen = b.len;
	}
	pl_buf_release(&b);
	return rc;
}

static int lex_number(parser *p)
{
	const char *s = p->src;
	size_t i = p->pos, n = p->len;
	bool isdouble = false;
	uint32_t off = p->t.off;

	if (s[i] == '0' && i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		uint64_t v = 0;
		size_t st = i + 2;
		for (i = st; i < n && hexval(s[i]) >= 0; i++) {
			if (v > (UINT64_MAX >> 4))
				return fail(p, off,
				            "integer literal overflows");
			v = v * 16 + (uint64_t)hexval(s[i]);
		}
		if (i == st)
			return fail(p, off, "invalid hex literal");
		p->t.u = v;
		p->t.kind = T_INT;
		goto suffix;
	}
	while (i < n && is_digit(s[i]))
		i++;
	if (i + 1 < n && s[i] == '.' && is_digit(s[i + 1])) {
		isdouble = true;
		i++;
		while (i < n && is_digit(s[i]))
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t j = i + 1;
		if (j < n && (s[j] == '+' || s[j] == '-'))
			j++;
		if (j < n && is_digit(s[j])) {
			isdouble = true;
			i = j;
			while (i < n && is_digit(s[i]))
				i++;
		}
	}
	if (isdouble) {
		char *tmp = pl_arena_strndup(p->a, s + p->pos, i - p->pos);
		p->t.d = strtod(tmp, NULL);
		p->t.kind = T_DOUBLE;
		p->pos = i;
		return 0;
	} else {
		uint64_t v = 0;
		size_t j;
		for (j = p->pos; j < i; j++) {
			if (v > (UINT64_MAX - 9) / 10 &&
			    (v > UINT64_MAX / 10 ||
			     v * 10 > UINT64_MAX - (uint64_t)(s[j] - '0')))
				return fail(p, off,
				            "integer literal overflows");
			v = v * 10 + (uint64_t)(s[j] - '0');
		}
		p->t.u = v;
		p->t.kind = T_INT;
	}
suffix:
	if (i < n && (s[i] == 'u' || s[i] == 'U')) {
		p->t.kind = T_UINT;
		i++;
	} else if (p->t.u > (uint64_t)INT64_MAX + 1) {
		return fail(p, off, "integer literal overflows");
	}
	if (i < n && (is_ident_start(s[i]) || is_digit(s[i])))
		return fail(p, (uint32_t)i, "invalid character in number");
	p->pos = i;
	return 0;
}

static const char *const reserved[] = {
        "as",        "break",  "const",  "continue", "else",  "for",
        "function",  "if",     "import", "let",      "loop",  "package",
        "namespace", "return", "var",    "void",     "while",
};

static bool is_reserved(const char *s)
{
	size_t k;

	for (k = 0; k < PL_ARRAY_SIZE(reserved); k++)
		if (!strcmp(s, reserved[k]))
			return true;
	return false;
}

/* A field name written `in backquotes` (any text but the quote). */
static int lex_quoted_field(parser *p)
{
	size_t st = ++p->pos;

	while (p->pos < p->len && p->src[p->pos] != '`' &&
	       p->src[p->pos] != '\n')
		p->pos++;
	if (p->pos >= p->len || p->src[p->pos] != '`' || p->pos == st)
		return fail(p, p->t.off, "unterminated quoted field name");
	p->t.kind = T_IDENT;
	p->t.s = pl_arena_strndup(p->a, p->src + st, p->pos - st);
	p->t.slen = p->pos - st;
	p->t.quoted = true;
	p->pos++;
	p->prev_value = true;
	return 0;
}

static int next(parser *p)
{
	const char *s = p->src;
	size_t n = p->len;
	static const char *const ops2[] = {"||", "&&", "<=", ">=", "==", "!="};
	size_t k;

	for (;;) {
		while (p->pos < n && (s[p->pos] == ' ' || s[p->pos] == '\t' ||
		                      s[p->pos] == '\n' || s[p->pos] == '\r' ||
		                      s[p->pos] == '\f'))
			p->pos++;
		if (p->pos + 1 < n && s[p->pos] == '/' &&
		    s[p->pos + 1] == '/') {
			while (p->pos < n && s[p->pos] != '\n')
				p->pos++;
			continue;
		}
		break;
	}
	memset(&p->t, 0, sizeof p->t);
	p->t.off = (uint32_t)p->pos;
	if (p->pos >= n) {
		p->t.kind = T_EOF;
		return 0;
	}
	if (is_digit(s[p->pos]) ||
	    (s[p->pos] == '.' && !p->prev_value && p->pos + 1 < n &&
	     is_digit(s[p->pos + 1]))) {
		p->prev_value = true;
		return lex_number(p);
	}
	if (is_ident_start(s[p->pos])) {
		size_t st = p->pos, l;
		bool raw = false, bytes = false;
		while (p->pos < n &&
		       (is_ident_start(s[p->pos]) || is_digit(s[p->pos])))
			p->pos++;
		l = p->pos - st;
		if (l <= 2 && p->pos < n &&
		    (s[p->pos] == '"' || s[p->pos] == '\'')) {
			for (k = st; k < p->pos; k++) {
				if ((s[k] | 0x20) == 'r' && !raw)
					raw = true;
				else if ((s[k] | 0x20) == 'b' && !bytes)
					bytes = true;
				else
					raw = bytes = false, k = p->pos + 1;
			}
			if (raw || bytes) {
				p->prev_value = true;
				return lex_string(p, raw, bytes);
			}
		}
		p->t.s = pl_arena_strndup(p->a, s + st, l);
		p->t.slen = l;
		p->prev_value = true;
		if (!strcmp(p->t.s, "true"))
			p->t.kind = T_TRUE;
		else if (!strcmp(p->t.s, "false"))
			p->t.kind = T_FALSE;
		else if (!strcmp(p->t.s, "null"))
			p->t.kind = T_NULL;
		else if (!strcmp(p->t.s, "in"))
			p->t.kind = T_IN, p->prev_value = false;
		else
			p->t.kind = T_IDENT;
		return 0;
	}
	if (s[p->pos] == '`')
		return lex_quoted_field(p);
	if (s[p->pos] == '"' || s[p->pos] == '\'') {
		p->prev_value = true;
		return lex_string(p, false, false);
	}
	p->t.kind = T_PUNCT;
	for (k = 0; k < PL_ARRAY_SIZE(ops2); k++) {
		if (p->pos + 1 < n && s[p->pos] == ops2[k][0] &&
		    s[p->pos + 1] == ops2[k][1]) {
			p->t.p[0] = ops2[k][0];
			p->t.p[1] = ops2[k][1];
			p->pos += 2;
			p->prev_value = false;
			return 0;
		}
	}
	if (!strchr("?:<>+-*/%!.[](){},", s[p->pos]) || s[p->pos] == '\0') {
		if ((unsigned char)s[p->pos] >= 0x20 &&
		    (unsigned char)s[p->pos] < 0x7F)
			return fail(p, p->t.off, "unexpected character '%c'",
			            s[p->pos]);
		return fail(p, p->t.off, "unexpected character 0x%02x",
		            (unsigned char)s[p->pos]);
	}
	p->t.p[0] = s[p->pos++];
	p->prev_value =
	        p->t.p[0] == ')' || p->t.p[0] == ']' || p->t.p[0] == '}';
	return 0;
}

static bool is_punct(const parser *p, const char *op)
{
	return p->t.kind == T_PUNCT && !strcmp(p->t.p, op);
}

static int expect(parser *p, const char *op)
{
	if (!is_punct(p, op))
		return fail(p, p->t.off, "expected '%s'", op);
	return next(p);
}

static pl_cel_node *mk(parser *p, pl_cel_nkind kind, uint32_t off)
{
	pl_cel_node *n = pl_arena_zalloc(p->a, sizeof *n);
	n->kind = kind;
	n->off = off;
	return n;
}

static pl_cel_node *mkcall(parser *p, const char *name, uint32_t off,
                           size_t nargs, const pl_cel_node *a0,
                           const pl_cel_node *a1, const pl_cel_node *a2)
{
	pl_cel_node *n = mk(p, PL_CN_CALL, off);
	n->name = name;
	n->nargs = nargs;
	n->args = pl_arena_alloc(p->a, 3 * sizeof *n->args);
	n->args[0] = a0;
	n->args[1] = a1;
	n->args[2] = a2;
	return n;
}

static int expr(parser *p, pl_cel_node **out);

/* A list of expressions up to close; trailing ',' allowed when trail. */
static int exprlist(parser *p, const char *close, bool trail, bool pairs,
                    const pl_cel_node ***out, size_t *nout)
{
	const pl_cel_node **v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	while (!is_punct(p, close)) {
		pl_cel_node *e;
		if (n + 2 > cap) {
			const pl_cel_node **nv;
			cap = cap ? cap * 2 : 8;
			nv = pl_arena_alloc(p->a, cap * sizeof *nv);
			if (n)
				memcpy(nv, v, n * sizeof *nv);
			v = nv;
		}
		rc = expr(p, &e);
		if (rc)
			return rc;
		v[n++] = e;
		if (pairs) {
			rc = expect(p, ":");
			if (!rc)
				rc = expr(p, &e);
			if (rc)
				return rc;
			v[n++] = e;
		}
		if (!is_punct(p, ","))
			break;
		rc = next(p);
		if (rc)
			return rc;
		if (!trail && is_punct(p, close))
			return fail(p, p->t.off, "unexpected '%s'", close);
	}
	*out = v;
	*nout = n;
	return expect(p, close);
}

/* Message construction: Name{field: expr, ...}. */
static int structlit(parser *p, pl_cel_node *n)
{
	const pl_cel_node **v = NULL;
	size_t len = 0, cap = 0;
	int rc = next(p);

	while (!rc && !is_punct(p, "}")) {
		pl_cel_node *f, *e;
		if (p->t.kind != T_IDENT)
			return fail(p, p->t.off, "expected a field name");
		f = mk(p, PL_CN_IDENT, p->t.off);
		f->name = p->t.s;
		rc = next(p);
		if (!rc)
			rc = expect(p, ":");
		if (!rc)
			rc = expr(p, &e);
		if (rc)
			return rc;
		if (len + 2 > cap) {
			const pl_cel_node **nv;
			cap = cap ? cap * 2 : 8;
			nv = pl_arena_alloc(p->a, cap * sizeof *nv);
			if (len)
				memcpy(nv, v, len * sizeof *nv);
			v = nv;
		}
		v[len++] = f;
		v[len++] = e;
		if (!is_punct(p, ","))
			break;
		rc = next(p);
	}
	if (rc)
		return rc;
	n->args = v;
	n->nargs = len;
	return expect(p, "}");
}

static int primary(parser *p, pl_cel_node **out)
{
	pl_cel_node *n;
	uint32_t off = p->t.off;
	int rc;
	bool root = false;

	switch (p->t.kind) {
	case T_INT:
		if (p->t.u > (uint64_t)INT64_MAX)
			return fail(p, off, "integer literal overflows");
		n = mk(p, PL_CN_LIT, off);
		n->lit = pl_cel_int(p->a, (int64_t)p->t.u);
		*out = n;
		return next(p);
	case T_UINT:
		n = mk(p, PL_CN_LIT, off);
		n->lit = pl_cel_uint(p->a, p->t.u);
		*out = n;
		return next(p);
	case T_DOUBLE:
		n = mk(p, PL_CN_LIT, off);
		n->lit = pl_cel_double(p->a, p->t.d);
		*out = n;
		return next(p);
	case T_STRING:
	case T_BYTES:
		n = mk(p, PL_CN_LIT, off);
		n->lit = p->t.kind == T_STRING
		                 ? pl_cel_string(p->a, p->t.s, p->t.slen)
		                 : pl_cel_bytes(p->a, p->t.s, p->t.slen);
		*out = n;
		return next(p);
	case T_TRUE:
	case T_FALSE:
	case T_NULL:
		n = mk(p, PL_CN_LIT, off);
		n->lit = p->t.kind == T_NULL ? pl_cel_null()
		                             : pl_cel_bool(p->t.kind == T_TRUE);
		*out = n;
		return next(p);
	case T_PUNCT:
		break;
	case T_EOF:
		return fail(p, off, "unexpected end of expression");
	case T_IN:
		return fail(p, off, "unexpected 'in'");
	case T_IDENT:
		goto ident;
	}
	if (is_punct(p, "(")) {
		rc = next(p);
		if (!rc)
			rc = expr(p, out);
		if (!rc)
			rc = expect(p, ")");
		return rc;
	}
	if (is_punct(p, "[") || is_punct(p, "{")) {
		bool map = is_punct(p, "{");
		n = mk(p, map ? PL_CN_MAP : PL_CN_LIST, off);
		rc = next(p);
		if (!rc)
			rc = exprlist(p, map ? "}" : "]", true, map, &n->args,
			              &n->nargs);
		*out = n;
		return rc;
	}
	if (is_punct(p, ".")) {
		root = true;
		rc = next(p);
		if (rc)
			return rc;
		if (p->t.kind != T_IDENT)
			return fail(p, p->t.off, "expected an identifier");
		goto ident;
	}
	return fail(p, off, "unexpected '%s'", p->t.p);
ident:
	if (p->t.quoted)
		return fail(p, p->t.off, "a quoted name selects a field only");
	if (is_reserved(p->t.s))
		return fail(p, p->t.off, "reserved identifier '%s'", p->t.s);
	n = mk(p, PL_CN_IDENT, p->t.off);
	n->name = p->t.s;
	n->root = root;
	rc = next(p);
	if (rc)
		return rc;
	if (is_punct(p, "(")) {
		n->kind = PL_CN_CALL;
		rc = next(p);
		if (!rc)
			rc = exprlist(p, ")", false, false, &n->args,
			              &n->nargs);
	}
	*out = n;
	return rc;
}

static int member(parser *p, pl_cel_node **out)
{
	pl_cel_node *n, *m;
	bool quoted;
	unsigned chain = 0;
	int rc = primary(p, &n);

	while (!rc) {
		uint32_t off = p->t.off;
		/* a.b.c...: each step nests the tree one level deeper */
		if ((is_punct(p, ".") || is_punct(p, "[") ||
		     is_punct(p, "{")) &&
		    ++chain > PL_CEL_MAX_DEPTH)
			return fail(p, off, "expression nested too deeply");
		if (is_punct(p, ".")) {
			rc = next(p);
			if (rc)
				break;
			if (p->t.kind != T_IDENT && p->t.kind != T_IN &&
			    p->t.kind != T_TRUE && p->t.kind != T_FALSE &&
			    p->t.kind != T_NULL)
				return fail(p, p->t.off,
				            "expected a field name after '.'");
			if (p->t.kind != T_IDENT)
				return fail(
				        p, p->t.off,
				        "reserved word '%s' as a field name",
				        p->t.s);
			m = mk(p, PL_CN_SELECT, off);
			m->name = p->t.s;
			m->target = n;
			quoted = p->t.quoted;
			rc = next(p);
			if (!rc && !quoted && is_punct(p, "(")) {
				m->kind = PL_CN_CALL;
				rc = next(p);
				if (!rc)
					rc = exprlist(p, ")", false, false,
					              &m->args, &m->nargs);
			}
			n = m;
		} else if (is_punct(p, "[")) {
			pl_cel_node *i;
			rc = next(p);
			if (!rc)
				rc = expr(p, &i);
			if (!rc)
				rc = expect(p, "]");
			n = mkcall(p, "_[_]", off, 2, n, i, NULL);
		} else if (is_punct(p, "{") && (n->kind == PL_CN_IDENT ||
		                                n->kind == PL_CN_SELECT)) {
			m = mk(p, PL_CN_STRUCT, off);
			m->target = n;
			rc = structlit(p, m);
			n = m;
		} else {
			break;
		}
	}
	*out = n;
	return rc;
}

static int unary(parser *p, pl_cel_node **out)
{
	uint32_t off = p->t.off;
	int rc;

	if (is_punct(p, "!") || is_punct(p, "-")) {
		bool neg = is_punct(p, "-");
		pl_cel_node *e;
		if (++p->depth > PL_CEL_MAX_DEPTH)
			return fail(p, off, "expression nested too deeply");
		rc = next(p);
		if (rc)
			return rc;
		/* -9223372036854775808 is a literal, not -(2^63) */
		if (neg && p->t.kind == T_INT &&
		    p->t.u == (uint64_t)INT64_MAX + 1) {
			pl_cel_node *n = mk(p, PL_CN_LIT, off);
			n->lit = pl_cel_int(p->a, INT64_MIN);
			rc = next(p);
			e = n;
			if (!rc && (is_punct(p, ".") || is_punct(p, "[")))
				return fail(p, p->t.off, "unexpected '%s'",
				            p->t.p);
			p->depth--;
			*out = e;
			return rc;
		}
		rc = unary(p, &e);
		p->depth--;
		if (rc)
			return rc;
		*out = mkcall(p, neg ? "-_" : "!_", off, 1, e, NULL, NULL);
		return 0;
	}
	return member(p, out);
}

typedef struct binop {
	const char *tok, *name;
} binop;

static int binary(parser *p, int level, pl_cel_node **out)
{
	static const binop mul[] = {{"*", "_*_"}, {"/", "_/_"}, {"%", "_%_"}};
	static const binop add[] = {{"+", "_+_"}, {"-", "_-_"}};
	static const binop rel[] = {{"==", "_==_"}, {"!=", "_!=_"},
	                            {"<", "_<_"},   {"<=", "_<=_"},
	                            {">", "_>_"},   {">=", "_>=_"}};
	const binop *ops = level == 0 ? rel : level == 1 ? add : mul;
	size_t nops = level == 0 ? 6 : level == 1 ? 2 : 3;
	pl_cel_node *l, *r;
	int rc = level == 2 ? unary(p, &l) : binary(p, level + 1, &l);

	while (!rc) {
		const char *name = NULL;
		uint32_t off = p->t.off;
		size_t k;
		for (k = 0; k < nops; k++)
			if (is_punct(p, ops[k].tok))
				name = ops[k].name;
		if (level == 0 && p->t.kind == T_IN)
			name = "@in";
		if (!name)
			break;
		rc = next(p);
		if (!rc)
			rc = level == 2 ? unary(p, &r)
			                : binary(p, level + 1, &r);
		if (!rc)
			l = mkcall(p, name, off, 2, l, r, NULL);
	}
	*out = l;
	return rc;
}

static int logic(parser *p, bool isor, pl_cel_node **out)
{
	pl_cel_node *l, *r;
	int rc = isor ? logic(p, false, &l) : binary(p, 0, &l);

	while (!rc && is_punct(p, isor ? "||" : "&&")) {
		uint32_t off = p->t.off;
		rc = next(p);
		if (!rc)
			rc = isor ? logic(p, false, &r) : binary(p, 0, &r);
		if (!rc)
			l = mkcall(p, isor ? "_||_" : "_&&_", off, 2, l, r,
			           NULL);
	}
	*out = l;
	return rc;
}

static int expr(parser *p, pl_cel_node **out)
{
	pl_cel_node *c, *a, *b;
	uint32_t off;
	int rc;

	if (++p->depth > PL_CEL_MAX_DEPTH)
		return fail(p, p->t.off, "expression nested too deeply");
	rc = logic(p, true, &c);
	if (!rc && is_punct(p, "?")) {
		off = p->t.off;
		rc = next(p);
		if (!rc)
			rc = logic(p, true, &a);
		if (!rc)
			rc = expect(p, ":");
		if (!rc)
			rc = expr(p, &b);
		if (!rc)
			c = mkcall(p, "_?_:_", off, 3, c, a, b);
	}
	p->depth--;
	*out = c;
	return rc;
}

int pl_cel_parse(pl_cel_ast **out, pl_arena *a, const char *src, size_t len,
                 const pl_cel_env *env, pl_error *err)
{
	parser p;
	pl_cel_node *root = NULL;
	pl_cel_ast *ast;
	int rc;

	(void)env;
	memset(&p, 0, sizeof p);
	p.a = a;
	p.src = src;
	p.len = len;
	p.err = err;
	*out = NULL;
	if (len > PL_CEL_MAX_LEN) {
		pl_error_set(err, PL_EPARSE, NULL, NULL,
		             "expression longer than %u bytes", PL_CEL_MAX_LEN);
		return PL_EPARSE;
	}
	rc = next(&p);
	if (!rc)
		rc = expr(&p, &root);
	if (!rc && p.t.kind != T_EOF)
		rc = fail(&p, p.t.off, "unexpected %s after the expression",
		          p.t.kind == T_PUNCT ? p.t.p : "token");
	if (rc)
		return PL_EPARSE;
	ast = pl_arena_zalloc(a, sizeof *ast);
	ast->root = root;
	ast->src = src;
	ast->len = len;
	*out = ast;
	return 0;
}
