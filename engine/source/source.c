/*
 * source.c - reading a file into a pl_source and mapping positions.
 *
 * Binary detection follows git's heuristic: a NUL byte in the first 8000
 * bytes makes a file binary. We scan the whole file instead, because a
 * NUL later in a YAML file would make libyaml stop early and silently.
 */
#include "source/source.h"
#include "base/utf8.h"
#include "base/xalloc.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

void pl_source_init(pl_source *src)
{
	memset(src, 0, sizeof(*src));
	src->kind = PL_SOURCE_TEXT;
}

void pl_source_release(pl_source *src)
{
	if (!src)
		return;
	free(src->path);
	free(src->display);
	free(src->fspath);
	free(src->data);
	free(src->lines);
	free(src->skip_note);
	pl_source_init(src);
}

const char *pl_source_shown(const pl_source *src)
{
	return src->display ? src->display : src->path;
}

size_t pl_source_break_len(const char *s, size_t left)
{
	unsigned char c = (unsigned char)s[0];
	if (left == 0)
		return 0;
	if (c == '\n')
		return 1;
	if (c == '\r')
		return (left > 1 && s[1] == '\n') ? 2 : 1;
	if (c == 0xc2 && left > 1 && (unsigned char)s[1] == 0x85)
		return 2; /* NEL */
	if (c == 0xe2 && left > 2 && (unsigned char)s[1] == 0x80 &&
	    ((unsigned char)s[2] == 0xa8 || (unsigned char)s[2] == 0xa9))
		return 3; /* LS, PS */
	return 0;
}

/* The bytes a line break can start with: LF, CR, NEL's 0xc2, and 0xe2
 * of LS and PS. One look-up a byte where four compares were: every
 * file's bytes pass here once. */
static const bool starts_break[256] = {
        ['\n'] = true, ['\r'] = true, [0xc2] = true, [0xe2] = true};

static void index_lines(pl_source *src)
{
	size_t cap = 0, n = 0, i;
	size_t *lines = NULL;
	const char *d = src->data;

	src->bom = (src->len >= 3 && memcmp(d, "\xef\xbb\xbf", 3) == 0) ? 3 : 0;
	lines = pl_xgrow(lines, &cap, 1, sizeof(*lines));
	lines[n++] = src->bom;
	for (i = src->bom; i < src->len;) {
		unsigned char c = (unsigned char)d[i];
		size_t b;
		if (!starts_break[c]) {
			i++;
			continue;
		}
		b = pl_source_break_len(d + i, src->len - i);
		if (!b) {
			i++;
			continue;
		}
		if (b == 2 && c == '\r')
			src->crlf = true;
		i += b;
		lines = pl_xgrow(lines, &cap, n + 1, sizeof(*lines));
		lines[n++] = i;
	}
	src->lines = lines;
	src->nlines = (uint32_t)n;
}

void pl_source_set_data(pl_source *src, const char *path, char *data,
                        size_t len)
{
	if (path && src->path != path) {
		free(src->path);
		src->path = pl_xstrdup(path);
	}
	free(src->data);
	free(src->lines);
	src->data = data;
	src->len = len;
	src->data[len] = '\0';
	src->skip = PL_SKIP_NONE;
	index_lines(src);
}

static void skip(pl_source *src, pl_skip_reason why, size_t at, int e)
{
	free(src->data);
	src->data = NULL;
	src->len = 0;
	src->kind = PL_SOURCE_SKIPPED;
	src->skip = why;
	src->skip_at = at;
	src->skip_errno = e;
}

/*
 * UTF-16 with a byte order mark (what Windows tools write: PowerShell's
 * Out-File, Notepad's "Unicode") becomes UTF-8 with a UTF-8 BOM, so the
 * rules read the text (a credential in a UTF-16 .env is still one) and
 * lines and code-point columns stay those of the file (RFC 2781: the
 * BOM says the byte order; surrogate pairs make one code point). NULL
 * with *bad set to the offending byte offset when the text is not valid
 * UTF-16 (an odd length, an unpaired surrogate).
 */
static char *utf16_to_utf8(const unsigned char *d, size_t len, size_t *out_len,
                           size_t *bad)
{
	bool be = d[0] == 0xfe;
	char *out;
	size_t i, o = 0;

	if (len % 2) {
		*bad = len - 1;
		return NULL;
	}
	out = pl_xmalloc(len / 2 * 3 + 4);
	memcpy(out, "\xef\xbb\xbf", 3);
	o = 3;
	for (i = 2; i < len; i += 2) {
		uint32_t u = be ? (uint32_t)(d[i] << 8 | d[i + 1])
		                : (uint32_t)(d[i + 1] << 8 | d[i]);
		if (u >= 0xd800 && u <= 0xdbff && i + 3 < len) {
			uint32_t l = be ? (uint32_t)(d[i + 2] << 8 | d[i + 3])
			                : (uint32_t)(d[i + 3] << 8 | d[i + 2]);
			if (l < 0xdc00 || l > 0xdfff)
				goto invalid;
			u = 0x10000 + ((u - 0xd800) << 10) + (l - 0xdc00);
			i += 2;
		} else if (u >= 0xd800 && u <= 0xdfff) {
			goto invalid;
		}
		if (u < 0x80) {
			out[o++] = (char)u;
		} else if (u < 0x800) {
			out[o++] = (char)(0xc0 | u >> 6);
			out[o++] = (char)(0x80 | (u & 0x3f));
		} else if (u < 0x10000) {
			out[o++] = (char)(0xe0 | u >> 12);
			out[o++] = (char)(0x80 | (u >> 6 & 0x3f));
			out[o++] = (char)(0x80 | (u & 0x3f));
		} else {
			out[o++] = (char)(0xf0 | u >> 18);
			out[o++] = (char)(0x80 | (u >> 12 & 0x3f));
			out[o++] = (char)(0x80 | (u >> 6 & 0x3f));
			out[o++] = (char)(0x80 | (u & 0x3f));
		}
	}
	*out_len = o;
	return out;
invalid:
	free(out);
	*bad = i;
	return NULL;
}

static void finish_read(pl_source *src, char *data, size_t len)
{
	const char *nul;

	if (len >= 4 && memcmp(data, "\xff\xfe\0\0", 4) == 0) {
		free(data); /* UTF-32LE: a BOM, not UTF-16 text */
		skip(src, PL_SKIP_ENCODING, 0, 0);
		return;
	}
	if (len >= 2 && (((unsigned char)data[0] == 0xfe &&
	                  (unsigned char)data[1] == 0xff) ||
	                 ((unsigned char)data[0] == 0xff &&
	                  (unsigned char)data[1] == 0xfe))) {
		size_t n = 0, bad = 0;
		char *utf8 = utf16_to_utf8((const unsigned char *)data, len, &n,
		                           &bad);
		free(data);
		if (!utf8) {
			skip(src, PL_SKIP_ENCODING, bad, 0);
			return;
		}
		data = utf8;
		len = n;
		src->utf16 = true;
	}
	nul = memchr(data, '\0', len);
	if (nul) {
		size_t at = (size_t)(nul - data);
		free(data);
		skip(src, PL_SKIP_BINARY, at, 0);
		return;
	}
	pl_source_set_data(src, NULL, data, len);
}

/*
 * Reads fd to its end. size is a regular file's size from fstat, or -1:
 * the buffer then fits the file (a 64 KiB buffer for each of ten thousand
 * small manifests would be most of a run's memory), and a file that still
 * has that size needs no extra read to see its end (one that grew is read
 * to its end, up to the limit). Pipes and terminals grow a buffer until
 * read returns 0.
 */
static void read_fd(pl_source *src, const char *path, int fd, off_t size,
                    const pl_limits *limits)
{
	size_t cap = 65536, len = 0;
	/* size 0 may be a file of /proc, whose size is not known */
	bool sized = size > 0 && (uintmax_t)size < limits->max_file_size;
	char *data;

	if (sized)
		cap = (size_t)size + 1;
	data = pl_xmalloc(cap + 1);
	if (path && !src->path)
		src->path = pl_xstrdup(path);
	for (;;) {
		ssize_t n;
		if (sized && len == (size_t)size)
			break;
		if (len == cap) {
			if (cap >= limits->max_file_size + 1) {
				free(data);
				skip(src, PL_SKIP_TOO_LARGE, len, 0);
				return;
			}
			cap *= 2;
			data = pl_xrealloc(data, cap + 1);
		}
		n = read(fd, data + len, cap - len);
		if (n < 0) {
			int e = errno;
			if (e == EINTR)
				continue;
			free(data);
			skip(src, PL_SKIP_UNREADABLE, 0, e);
			return;
		}
		if (n == 0)
			break; /* the end (a file shrunk since fstat ends early)
			        */
		len += (size_t)n;
	}
	if (len > limits->max_file_size) {
		free(data);
		skip(src, PL_SKIP_TOO_LARGE, len, 0);
		return;
	}
	if (cap - len > 4096) /* a pipe's buffer: give the rest back */
		data = pl_xrealloc(data, len + 1);
	finish_read(src, data, len);
}

void pl_source_read_fd(pl_source *src, const char *path, int fd,
                       const pl_limits *limits)
{
	struct stat st;
	bool reg = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	read_fd(src, path, fd, reg ? st.st_size : -1, limits);
}

void pl_source_read_file(pl_source *src, const char *path, const char *fspath,
                         const pl_limits *limits)
{
	struct stat st;
	int fd;

	if (!src->path)
		src->path = pl_xstrdup(path);
	if (!src->fspath)
		src->fspath = pl_xstrdup(fspath);
	/*
	 * O_NONBLOCK: opening a FIFO with no writer must not hang. A FIFO
	 * named on the command line (`plumb check <(kustomize build)`) is
	 * then read blocking, to its end; with no writer that end is now.
	 * The walk never gets here for FIFOs inside folders (PL_SKIP_SPECIAL).
	 * A regular file ignores O_NONBLOCK, so only others are switched back.
	 */
	fd = open(fspath, O_RDONLY | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		skip(src, PL_SKIP_UNREADABLE, 0, errno);
		return;
	}
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		skip(src, PL_SKIP_UNREADABLE, 0, e);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		skip(src, PL_SKIP_UNREADABLE, 0, EISDIR);
		return;
	}
	if (S_ISREG(st.st_mode) &&
	    (uintmax_t)st.st_size > limits->max_file_size) {
		close(fd);
		skip(src, PL_SKIP_TOO_LARGE, (size_t)st.st_size, 0);
		return;
	}
	if (!S_ISREG(st.st_mode))
		(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	read_fd(src, path, fd, S_ISREG(st.st_mode) ? st.st_size : -1, limits);
	close(fd);
}

pl_pos pl_source_pos(const pl_source *src, size_t line0, size_t col0,
                     pl_pos *hint)
{
	pl_pos p;
	size_t off, end, col = 0;

	if (src->nlines == 0 || !src->data) {
		p.line = (uint32_t)line0 + 1;
		p.col = (uint32_t)col0 + 1;
		p.offset = 0;
		return p;
	}
	if (line0 >= src->nlines)
		line0 = src->nlines - 1;
	off = src->lines[line0];
	{
		/* clamp to the line's text: never walk over its break */
		size_t tlen;
		pl_source_line(src, (uint32_t)line0 + 1, &tlen);
		end = off + tlen;
	}
	if (hint && hint->line == line0 + 1 && hint->col - 1 <= col0 &&
	    hint->offset >= off && hint->offset <= end) {
		off = hint->offset;
		col = hint->col - 1;
	}
	while (col < col0 && off < end) {
		size_t n;
		/* ASCII, nearly all of a manifest: one byte, one column */
		if ((unsigned char)src->data[off] < 0x80) {
			off++;
			col++;
			continue;
		}
		n = pl_utf8_valid_len(src->data + off, end - off);
		off += n ? n : 1;
		col++;
	}
	p.line = (uint32_t)line0 + 1;
	p.col = (uint32_t)col0 + 1;
	if (col < col0)
		p.col = (uint32_t)col + 1;
	p.offset = off;
	if (hint)
		*hint = p;
	return p;
}

pl_pos pl_source_pos_at(const pl_source *src, size_t offset)
{
	pl_pos p;
	size_t lo = 0, hi;

	p.line = 1;
	p.col = 1;
	p.offset = 0;
	if (!src->data || src->nlines == 0)
		return p;
	if (offset > src->len)
		offset = src->len;
	hi = src->nlines;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (src->lines[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	if (offset < src->lines[lo])
		offset = src->lines[lo]; /* inside the BOM */
	p.line = (uint32_t)lo + 1;
	p.col = (uint32_t)pl_utf8_count(src->data + src->lines[lo],
	                                offset - src->lines[lo]) +
	        1;
	p.offset = offset;
	return p;
}

const char *pl_source_line(const pl_source *src, uint32_t line, size_t *len)
{
	size_t start, end;
	if (!src->data || line == 0 || line > src->nlines) {
		*len = 0;
		return "";
	}
	start = src->lines[line - 1];
	end = line < src->nlines ? src->lines[line] : src->len;
	while (end > start) {
		unsigned char c = (unsigned char)src->data[end - 1];
		if (c == '\n' || c == '\r') {
			end--;
			continue;
		}
		/* NEL, LS, PS end in 0x85, 0xa8, 0xa9 */
		if (end - start >= 2 && c == 0x85 &&
		    (unsigned char)src->data[end - 2] == 0xc2) {
			end -= 2;
			break;
		}
		if (end - start >= 3 && (c == 0xa8 || c == 0xa9) &&
		    (unsigned char)src->data[end - 2] == 0x80 &&
		    (unsigned char)src->data[end - 3] == 0xe2) {
			end -= 3;
		}
		break;
	}
	*len = end - start;
	return src->data + start;
}

void pl_source_read_mem(pl_source *src, const char *path, char *data,
                        size_t len, const pl_limits *limits)
{
	if (path && !src->path)
		src->path = pl_xstrdup(path);
	if (!data || len > limits->max_file_size) {
		free(data);
		skip(src, PL_SKIP_TOO_LARGE, len, 0);
		return;
	}
	finish_read(src, data, len);
}

void pl_source_skip_why(char *out, size_t size, const pl_source *src,
                        const pl_limits *limits)
{
	size_t max = limits->max_file_size;

	switch (src->skip) {
	case PL_SKIP_TOO_LARGE:
		if (max % (1024 * 1024) == 0)
			snprintf(out, size,
			         "larger than the %zu MiB limit on input files "
			         "(max_file_size)",
			         max / (1024 * 1024));
		else
			snprintf(
			        out, size,
			        "larger than the %zu-byte limit on input files "
			        "(max_file_size)",
			        max);
		break;
	case PL_SKIP_BINARY:
		snprintf(out, size, "binary file (NUL byte at offset %zu)",
		         src->skip_at);
		break;
	case PL_SKIP_ENCODING:
		snprintf(out, size, "UTF-16/UTF-32 input is not supported");
		break;
	case PL_SKIP_SPECIAL:
		snprintf(out, size, "not a regular file");
		break;
	default:
		snprintf(out, size, "%s",
		         strerror(src->skip_errno ? src->skip_errno : EINVAL));
		break;
	}
}
