/*
 * lex.c - CEL's lexical grammar (cel-spec doc/langdef.md, "Syntax"):
 * identifiers and reserved words, integer, unsigned and floating
 * literals, strings and bytes with their escapes (raw, triple-quoted),
 * `quoted` field names, and operators. Every token keeps the byte
 * offset it starts at, so a parse error points at it.
 */
#include "cel/lex.h"

int pl_cel__fail(cel_parser *p, uint32_t off, const char *fmt, ...)
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
static int lex_escape(cel_parser *p, pl_buf *b, bool bytes, char quote)
{
	uint32_t off = (uint32_t)p->pos - 1;
	char c;
	int n, i, h;
	uint32_t cp = 0;

	if (p->pos >= p->len)
		return pl_cel__fail(p, off, "unterminated escape sequence");
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
			return pl_cel__fail(
			        p, off, "\\%c escape in a bytes literal", c);
		for (i = 0; i < n; i++) {
			h = p->pos < p->len ? hexval(p->src[p->pos]) : -1;
			if (h < 0)
				return pl_cel__fail(p, off,
				                    "invalid \\%c escape", c);
			cp = cp * 16 + (uint32_t)h;
			p->pos++;
		}
		break;
	default:
		if (c < '0' || c > '3')
			return pl_cel__fail(p, off,
			                    "invalid escape sequence \\%c", c);
		cp = (uint32_t)(c - '0');
		for (i = 0; i < 2; i++) {
			if (p->pos >= p->len || p->src[p->pos] < '0' ||
			    p->src[p->pos] > '7')
				return pl_cel__fail(p, off,
				                    "invalid octal escape");
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
		return pl_cel__fail(p, off, "invalid code point in escape");
	put_utf8(b, cp);
	return 0;
}

static int lex_string(cel_parser *p, bool raw, bool bytes)
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
			rc = pl_cel__fail(p, start,
			                  "unterminated string literal");
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
			rc = pl_cel__fail(p, start,
			                  "newline in string literal");
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
		rc = pl_cel__fail(p, start, "invalid UTF-8 in string literal");
	if (!rc) {
		p->t.kind = bytes ? T_BYTES : T_STRING;
		p->t.s = pl_arena_strndup(p->a, b.ptr, b.len);
		p->t.slen = b.len;
	}
	pl_buf_release(&b);
	return rc;
}

static int lex_number(cel_parser *p)
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
				return pl_cel__fail(
				        p, off, "integer literal overflows");
			v = v * 16 + (uint64_t)hexval(s[i]);
		}
		if (i == st)
			return pl_cel__fail(p, off, "invalid hex literal");
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
				return pl_cel__fail(
				        p, off, "integer literal overflows");
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
		return pl_cel__fail(p, off, "integer literal overflows");
	}
	if (i < n && (is_ident_start(s[i]) || is_digit(s[i])))
		return pl_cel__fail(p, (uint32_t)i,
		                    "invalid character in number");
	p->pos = i;
	return 0;
}

static const char *const reserved[] = {
        "as",        "break",  "const",  "continue", "else",  "for",
        "function",  "if",     "import", "let",      "loop",  "package",
        "namespace", "return", "var",    "void",     "while",
};

bool pl_cel__is_reserved(const char *s)
{
	size_t k;

	for (k = 0; k < PL_ARRAY_SIZE(reserved); k++)
		if (!strcmp(s, reserved[k]))
			return true;
	return false;
}

/* A field name written `in backquotes` (any text but the quote). */
static int lex_quoted_field(cel_parser *p)
{
	size_t st = ++p->pos;

	while (p->pos < p->len && p->src[p->pos] != '`' &&
	       p->src[p->pos] != '\n')
		p->pos++;
	if (p->pos >= p->len || p->src[p->pos] != '`' || p->pos == st)
		return pl_cel__fail(p, p->t.off,
		                    "unterminated quoted field name");
	p->t.kind = T_IDENT;
	p->t.s = pl_arena_strndup(p->a, p->src + st, p->pos - st);
	p->t.slen = p->pos - st;
	p->t.quoted = true;
	p->pos++;
	p->prev_value = true;
	return 0;
}

int pl_cel__next(cel_parser *p)
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
			return pl_cel__fail(p, p->t.off,
			                    "unexpected character '%c'",
			                    s[p->pos]);
		return pl_cel__fail(p, p->t.off, "unexpected character 0x%02x",
		                    (unsigned char)s[p->pos]);
	}
	p->t.p[0] = s[p->pos++];
	p->prev_value =
	        p->t.p[0] == ')' || p->t.p[0] == ']' || p->t.p[0] == '}';
	return 0;
}
