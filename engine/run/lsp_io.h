/*
 * lsp_io.h - what `plumb lsp` (lsp.c) needs besides JSON: the base
 * protocol's framing (LSP 3.17, "Base Protocol": header lines ended by
 * CRLF, a blank line, Content-Length bytes of body) and positions in a
 * document as LSP counts them (lines broken at LF, CRLF and CR only;
 * characters in UTF-16 code units, or UTF-8 bytes when negotiated).
 *
 * No JSON here, so the fuzzer drives the reader alone. Limits are named
 * parameters: a header block over PL_LSP_MAX_HEADER bytes or a body over
 * the caller's cap is skipped and reported, never buffered.
 */
#ifndef PL_LSP_IO_H
#define PL_LSP_IO_H

#include "base/buf.h"
#include "base/error.h"
#include "base/vec.h"

#define PL_LSP_MAX_HEADER 8192               /* bytes of one header block */
#define PL_LSP_MAX_BODY   ((size_t)64 << 20) /* bytes of one message */

/*
 * Reads one message from in into body (emptied first; NUL-terminated).
 * Returns 0 with the body; 1 at the end of input before a message
 * starts; PL_EPARSE when the header block has no valid Content-Length
 * (missing, not a decimal number, given twice) and PL_ELIMIT when the
 * header block or the body is over its cap: in both cases what belongs
 * to the message was consumed, err says why, and the next call reads the
 * next message. PL_EIO when the input ends inside a message.
 */
int pl_lsp_read(FILE *in, pl_buf *body, size_t max_body, pl_error *err);

/* Writes one message (its Content-Length header, then body) and flushes.
 * PL_EIO when out cannot be written. */
int pl_lsp_write(FILE *out, const char *body, size_t len);

/* The byte offset of the start of each line of data[0..len), as LSP
 * breaks lines (LF, CRLF, CR); into v (size_t), emptied first. */
void pl_lsp_lines(pl_vec *v, const char *data, size_t len);

/* An LSP position: 0-based line and character. */
typedef struct pl_lsp_pos {
	uint32_t line;
	uint32_t character;
} pl_lsp_pos;

/* Byte offset -> position; utf8: characters are bytes, else UTF-16
 * code units (a 4-byte UTF-8 sequence is two, an invalid byte one). */
pl_lsp_pos pl_lsp_pos_of(const pl_vec *lines, const char *data, size_t len,
                         size_t offset, bool utf8);
/* Position -> byte offset; a line past the end is the end, a character
 * past the line's end is the line's end (LSP 3.17, Position). */
size_t pl_lsp_offset_of(const pl_vec *lines, const char *data, size_t len,
                        pl_lsp_pos pos, bool utf8);

/*
 * A file:// URI -> a path (percent-decoded; heap string, caller frees),
 * or NULL for another scheme or a bad escape. A path -> a file:// URI
 * (characters outside RFC 3986's unreserved set and '/' escaped).
 */
char *pl_lsp_uri_path(const char *uri);
char *pl_lsp_path_uri(const char *path);

#endif
