/*
 * lsp_io.c - the LSP base protocol's framing, positions and file URIs
 * (lsp_io.h).
 *
 * Reader state machine: read header lines up to the blank line (CRLF;
 * a bare LF is accepted, as some clients send it), keeping at most
 * PL_LSP_MAX_HEADER bytes; then exactly Content-Length bytes of body.
 * Header names are case-insensitive (RFC 7230 §3.2); headers other than
 * Content-Length (Content-Type) are ignored.
 */
#include "run/lsp_io.h"
#include "base/xalloc.h"

#include <ctype.h>
#include <errno.h>

/* Skips n bytes of in; false at the end of input. */
static bool skip_bytes(FILE *in, size_t n)
{
	char tmp[4096];
	while (n) {
		size_t want = n < sizeof(tmp) ? n : sizeof(tmp);
		size_t got = fread(tmp, 1, want, in);
		if (got == 0)
			return false;
		n -= got;
	}
	return true;
}

/* One header line (without its line break) into line; false at the end
 * of input. *over is set when the block passed the cap (the line is cut;
 * reading goes on to the blank line). */
static bool read_line(FILE *in, pl_buf *line, size_t *total, bool *over,
                      bool *any)
{
	int c;
	pl_buf_reset(line);
	while ((c = getc(in)) != EOF) {
		*any = true;
		if (c == '\n')
			break;
		if (++*total > PL_LSP_MAX_HEADER) {
			*over = true;
			continue;
		}
		pl_buf_addc(line, (char)c);
	}
	if (c == EOF)
		return false;
	if (line->len && line->ptr[line->len - 1] == '\r')
		line->ptr[--line->len] = '\0';
	return true;
}

/* "Content-Length: 123" -> *n; 0 for another header, PL_EPARSE for a
 * bad value. */
static int content_length(const char *s, size_t *n, bool *seen, pl_error *err)
{
	static const char name[] = "content-length:";
	unsigned long long v = 0;
	size_t i;

	for (i = 0; i < sizeof(name) - 1; i++)
		if (tolower((unsigned char)s[i]) != name[i])
			return 0;
	s += i;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*seen)
		return pl_error_set(err, PL_EPARSE, NULL, NULL,
		                    "Content-Length given twice");
	if (!isdigit((unsigned char)*s))
		return pl_error_set(err, PL_EPARSE, NULL, NULL,
		                    "Content-Length is not a number");
	for (; isdigit((unsigned char)*s); s++) {
		if (v > (unsigned long long)PL_LSP_MAX_BODY * 16)
			break; /* far over any cap: stop before it wraps */
		v = v * 10 + (unsigned)(*s - '0');
	}
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s)
		return pl_error_set(err, PL_EPARSE, NULL, NULL,
		                    "Content-Length is not a number");
	*seen = true;
	*n = v > SIZE_MAX ? SIZE_MAX : (size_t)v;
	return 0;
}

/* The header block: Content-Length into *n. */
static int read_header(FILE *in, size_t *n, pl_error *err)
{
	pl_buf line;
	size_t total = 0, nlines = 0;
	bool over = false, any = false, seen = false;
	int rc = 0;

	pl_buf_init(&line, 0);
	for (;;) {
		if (!read_line(in, &line, &total, &over, &any)) {
			rc = any ? pl_error_set(err, PL_EIO, NULL, NULL,
			                        "input ended inside a header")
			         : 1;
			break;
		}
		if (line.len == 0 && nlines)
			break; /* the blank line ends the block */
		if (line.len == 0 && !over)
			continue; /* blank lines between messages */
		nlines++;
		if (rc == 0 && !over)
			rc = content_length(line.ptr, n, &seen, err);
	}
	pl_buf_release(&line);
	if (rc)
		return rc;
	if (over)
		return pl_error_set(err, PL_ELIMIT, NULL, NULL,
		                    "header block over %d bytes",
		                    PL_LSP_MAX_HEADER);
	if (!seen)
		return pl_error_set(err, PL_EPARSE, NULL, NULL,
		                    "no Content-Length header");
	return 0;
}

int pl_lsp_read(FILE *in, pl_buf *body, size_t max_body, pl_error *err)
{
	size_t n = 0, got;
	int rc;

	pl_buf_reset(body);
	rc = read_header(in, &n, err);
	if (rc)
		return rc;
	if (n > max_body) {
		if (!skip_bytes(in, n))
			return pl_error_set(err, PL_EIO, NULL, NULL,
			                    "input ended inside a message");
		return pl_error_set(err, PL_ELIMIT, NULL, NULL,
		                    "message of %zu bytes, over the cap of %zu",
		                    n, max_body);
	}
	while (body->len < n) {
		char tmp[8192];
		size_t want = n - body->len;
		got = fread(tmp, 1, want < sizeof(tmp) ? want : sizeof(tmp),
		            in);
		if (got == 0)
			return pl_error_set(err, PL_EIO, NULL, NULL,
			                    "input ended inside a message");
		pl_buf_add(body, tmp, got);
	}
	return 0;
}

int pl_lsp_write(FILE *out, const char *body, size_t len)
{
	if (fprintf(out, "Content-Length: %zu\r\n\r\n", len) < 0 ||
	    fwrite(body, 1, len, out) != len || fflush(out) != 0)
		return PL_EIO;
	return 0;
}

void pl_lsp_lines(pl_vec *v, const char *data, size_t len)
{
	size_t i, start = 0;

	v->len = 0;
	pl_vec_append(v, &start);
	for (i = 0; i < len; i++) {
		if (data[i] == '\r' && i + 1 < len && data[i + 1] == '\n')
			i++;
		else if (data[i] != '\r' && data[i] != '\n')
			continue;
		start = i + 1;
		pl_vec_append(v, &start);
	}
}

/* Length of the UTF-8 sequence at s (1 for an invalid byte) and its
 * length in UTF-16 code units. */
static size_t seq(const char *s, size_t len, unsigned *units)
{
	unsigned char c = (unsigned char)s[0];
	size_t n = c < 0x80    ? 1
	           : c >= 0xf0 ? 4
	           : c >= 0xe0 ? 3
	           : c >= 0xc0 ? 2
	                       : 1;
	size_t k;

	if (n > len)
		n = 1;
	for (k = 1; k < n; k++)
		if (((unsigned char)s[k] & 0xc0) != 0x80)
			n = 1;
	*units = n == 4 ? 2 : 1;
	return n;
}

pl_lsp_pos pl_lsp_pos_of(const pl_vec *lines, const char *data, size_t len,
                         size_t offset, bool utf8)
{
	size_t lo = 0, hi = lines->len, start, i;
	pl_lsp_pos p = {0, 0};

	if (offset > len)
		offset = len;
	/* the last line starting at or before offset */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (*(const size_t *)pl_vec_at((pl_vec *)lines, mid) <= offset)
			lo = mid;
		else
			hi = mid;
	}
	start = *(const size_t *)pl_vec_at((pl_vec *)lines, lo);
	p.line = (uint32_t)lo;
	if (utf8) {
		p.character = (uint32_t)(offset - start);
		return p;
	}
	for (i = start; i < offset;) {
		unsigned units;
		i += seq(data + i, len - i, &units);
		p.character += units;
	}
	return p;
}

size_t pl_lsp_offset_of(const pl_vec *lines, const char *data, size_t len,
                        pl_lsp_pos pos, bool utf8)
{
	size_t i, end, count = 0;

	if (pos.line >= lines->len)
		return len;
	i = *(const size_t *)pl_vec_at((pl_vec *)lines, pos.line);
	end = pos.line + 1 < lines->len ? *(const size_t *)pl_vec_at(
	                                          (pl_vec *)lines, pos.line + 1)
	                                : len;
	/* the line's end is before its break */
	while (end > i && (data[end - 1] == '\n' || data[end - 1] == '\r'))
		end--;
	if (utf8)
		return i + pos.character < end ? i + pos.character : end;
	while (i < end && count < pos.character) {
		unsigned units;
		i += seq(data + i, end - i, &units);
		count += units;
	}
	return i;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *pl_lsp_uri_path(const char *uri)
{
	static const char scheme[] = "file://";
	pl_buf b;
	const char *s;

	if (strncmp(uri, scheme, sizeof(scheme) - 1) != 0)
		return NULL;
	s = uri + sizeof(scheme) - 1;
	if (strncmp(s, "localhost/", 10) == 0)
		s += 9;
	if (*s != '/')
		return NULL; /* a remote host */
	pl_buf_init(&b, 0);
	for (; *s; s++) {
		int hi, lo;
		if (*s != '%') {
			pl_buf_addc(&b, *s);
			continue;
		}
		hi = hexval((unsigned char)s[1]);
		lo = hi < 0 ? -1 : hexval((unsigned char)s[2]);
		if (lo < 0 || (hi == 0 && lo == 0)) {
			pl_buf_release(&b);
			return NULL;
		}
		pl_buf_addc(&b, (char)(hi * 16 + lo));
		s += 2;
	}
	return pl_buf_detach(&b, NULL);
}

char *pl_lsp_path_uri(const char *path)
{
	pl_buf b;
	const unsigned char *s;

	pl_buf_init(&b, 0);
	pl_buf_adds(&b, "file://");
	for (s = (const unsigned char *)path; *s; s++) {
		if (isalnum(*s) || strchr("-._~/", *s))
			pl_buf_addc(&b, (char)*s);
		else
			pl_buf_addf(&b, "%%%02X", *s);
	}
	return pl_buf_detach(&b, NULL);
}
