/*
 * buf.c - pl_buf. Growth is geometric; the cap is checked before growing.
 */
#include "base/buf.h"
#include "base/error.h"
#include "base/xalloc.h"
#include "base/utf8.h"

static char empty_buf[1];

void pl_buf_init(pl_buf *b, size_t max)
{
	b->ptr = empty_buf;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : PL_BUF_DEFAULT_MAX;
	b->truncated = false;
}

void pl_buf_release(pl_buf *b)
{
	if (!b)
		return;
	if (b->cap)
		free(b->ptr);
	pl_buf_init(b, b->max);
}

void pl_buf_reset(pl_buf *b)
{
	b->len = 0;
	b->truncated = false;
	if (b->cap)
		b->ptr[0] = '\0';
}

char *pl_buf_detach(pl_buf *b, size_t *len)
{
	char *p = b->cap ? b->ptr : pl_xstrdup("");
	if (len)
		*len = b->len;
	pl_buf_init(b, b->max);
	return p;
}

/* Makes room for n more bytes; returns how many of them fit under max. */
static size_t reserve(pl_buf *b, size_t n)
{
	size_t want, room = b->max - b->len;
	if (n > room) {
		b->truncated = true;
		n = room;
	}
	want = b->len + n + 1;
	if (want > b->cap) {
		size_t cap = b->cap;
		if (b->cap == 0) {
			b->ptr = NULL;
		}
		b->ptr = pl_xgrow(b->ptr, &cap, want, 1);
		if (b->cap == 0)
			b->ptr[0] = '\0';
		b->cap = cap;
	}
	return n;
}

int pl_buf_add(pl_buf *b, const void *data, size_t len)
{
	size_t n = reserve(b, len);
	if (n)
		memcpy(b->ptr + b->len, data, n);
	b->len += n;
	if (b->cap)
		b->ptr[b->len] = '\0';
	return n == len ? 0 : PL_ELIMIT;
}

int pl_buf_adds(pl_buf *b, const char *s)
{
	return pl_buf_add(b, s, strlen(s));
}

int pl_buf_addc(pl_buf *b, char c)
{
	return pl_buf_add(b, &c, 1);
}

int pl_buf_vaddf(pl_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	size_t fit;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return PL_EINTERNAL;
	fit = reserve(b, (size_t)n);
	if (fit == (size_t)n) {
		vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
		b->len += (size_t)n;
		return 0;
	}
	/* does not fit: format into a temporary and append the prefix */
	{
		char *tmp = pl_xmalloc((size_t)n + 1);
		vsnprintf(tmp, (size_t)n + 1, fmt, ap);
		pl_buf_add(b, tmp, fit);
		free(tmp);
	}
	return PL_ELIMIT;
}

int pl_buf_addf(pl_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;
	va_start(ap, fmt);
	rc = pl_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int pl_buf_add_json_str(pl_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, run = 0;
	int rc = pl_buf_addc(b, '"');

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char u[7];
		size_t n;

		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			i++;
			run++;
			continue;
		}
		if (c >= 0x80) {
			n = pl_utf8_valid_len(s + i, len - i);
			if (n) {
				i += n;
				run += n;
				continue;
			}
		}
		if (run)
			rc |= pl_buf_add(b, s + i - run, run);
		run = 0;
		switch (c) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\t':
			esc = "\\t";
			break;
		case '\b':
			esc = "\\b";
			break;
		case '\f':
			esc = "\\f";
			break;
		default:
			break;
		}
		if (esc) {
			rc |= pl_buf_adds(b, esc);
		} else if (c < 0x20) {
			u[0] = '\\';
			u[1] = 'u';
			u[2] = '0';
			u[3] = '0';
			u[4] = hex[c >> 4];
			u[5] = hex[c & 15];
			rc |= pl_buf_add(b, u, 6);
		} else {
			rc |= pl_buf_adds(b, "\xef\xbf\xbd"); /* U+FFFD */
		}
		i++;
	}
	if (run)
		rc |= pl_buf_add(b, s + i - run, run);
	rc |= pl_buf_addc(b, '"');
	return rc ? PL_ELIMIT : 0;
}
