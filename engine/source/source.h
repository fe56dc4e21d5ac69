/*
 * source.h - the bytes of one linted file, its path and its line index.
 *
 * A pl_source owns its buffer (NUL-terminated, so C string functions stop
 * at its end) and its line index. Nodes, findings and the text reporter
 * point into it, so a source lives until the report is written. Line
 * breaks are those of libyaml (LF, CR, CRLF, NEL, LS, PS) so that
 * positions computed here agree with the parser's marks; a UTF-8 BOM at
 * offset 0 is not part of line 1 (see pos.h).
 * Not thread-safe for writers; read-only after pl_source_load.
 */
#ifndef PL_SOURCE_H
#define PL_SOURCE_H

#include "base/base.h"
#include "base/error.h"
#include "base/limit.h"
#include "base/pos.h"

typedef enum pl_source_kind {
	PL_SOURCE_YAML, /* parsed into documents (.yaml, .yml, .json, sniffed)
	                 */
	PL_SOURCE_TEXT, /* any other text file: scanned, not parsed */
	PL_SOURCE_TEMPLATE, /* Helm chart template: text until rendered */
	PL_SOURCE_SKIPPED,  /* not read: binary, too large, unreadable, link */
} pl_source_kind;

typedef enum pl_skip_reason {
	PL_SKIP_NONE,
	PL_SKIP_BINARY,
	PL_SKIP_TOO_LARGE,
	PL_SKIP_UNREADABLE,
	PL_SKIP_LINK_OUTSIDE,
	PL_SKIP_LINK_DANGLING,
	PL_SKIP_TOO_DEEP, /* a folder nested too deep to walk */
	PL_SKIP_ENCODING,
	PL_SKIP_SPECIAL, /* a FIFO, socket or device: reading could block */
	PL_SKIP_FOLDER,  /* a folder that could not be read (whole) */
	PL_SKIP_GIT,     /* git could not give the content (skip_note) */
} pl_skip_reason;

typedef struct pl_source {
	char *path; /* relative to the root: rules, SARIF, baselines; owned */
	char *display; /* text and JSON reports: relative to the current
	                * directory, as a compiler prints it; owned, NULL
	                * when it is path (standard input) */
	char *fspath;  /* where it was read from; owned (NULL for stdin) */
	char *data;    /* owned, NUL-terminated; NULL when skipped */
	size_t len;
	size_t bom;    /* 3 when the data starts with a UTF-8 BOM, else 0 */
	size_t *lines; /* byte offset of the start of each line; owned */
	uint32_t nlines;
	pl_source_kind kind;
	pl_skip_reason skip;
	size_t skip_at; /* offset of the NUL byte, size of the file, ... */
	int skip_errno; /* for PL_SKIP_UNREADABLE and PL_SKIP_FOLDER */
	/* PL_SKIP_GIT: which object and why, "blob 1a2b3c4: object not
	 * found"; owned */
	char *skip_note;
	/* --history: the full id of the commit that introduced this blob
	 * and its author date (YYYY-MM-DD); borrowed from the history,
	 * which outlives the report. NULL otherwise. */
	const char *commit;
	const char *author_date;
	bool crlf;  /* has at least one CRLF break */
	bool utf16; /* UTF-16 with a BOM on disk: data holds it as UTF-8 */
} pl_source;

void pl_source_init(pl_source *src);
/* The path text and JSON reports show (display, else path). */
const char *pl_source_shown(const pl_source *src);
void pl_source_release(pl_source *src);

/*
 * Takes ownership of data[0..len) (allocated with malloc, with room for
 * len + 1 bytes) and builds the line index. path is copied.
 */
void pl_source_set_data(pl_source *src, const char *path, char *data,
                        size_t len);

/*
 * Reads fspath into src (one read loop; never mmap, so that a file that
 * changes under us cannot fault). A file above limits->max_file_size, a
 * file with a NUL byte in it, or one that cannot be read is not an error:
 * src->kind becomes PL_SOURCE_SKIPPED with src->skip saying why (a
 * source/skipped or source/unreadable finding, not an exit).
 */
void pl_source_read_file(pl_source *src, const char *path, const char *fspath,
                         const pl_limits *limits);
/* Same, from bytes already read (a git blob): takes ownership of data
 * (malloc'ed, len + 1 bytes; NULL with len > max_file_size for a blob
 * that was too large to read). */
void pl_source_read_mem(pl_source *src, const char *path, char *data,
                        size_t len, const pl_limits *limits);
/* Same, from an open descriptor (standard input). */
void pl_source_read_fd(pl_source *src, const char *path, int fd,
                       const pl_limits *limits);

/*
 * Why src was skipped, said for one of plumb's own inputs (.plumb.yaml, a
 * rule file, a schema, a file to dump), which is an error rather than a
 * finding: names the limit it broke ("larger than the 16 MiB limit on
 * input files (max_file_size)"), else the system's reason. Writes a
 * NUL-terminated text into out.
 */
void pl_source_skip_why(char *out, size_t size, const pl_source *src,
                        const pl_limits *limits);

/*
 * Converts a 0-based line and a 0-based column counted in code points
 * into a pl_pos. Positions past the end of a line clamp to the line end.
 * `hint` (may be NULL) caches the last conversion so that walking forward
 * on one long line stays linear.
 */
pl_pos pl_source_pos(const pl_source *src, size_t line0, size_t col0,
                     pl_pos *hint);
/* The pl_pos of a byte offset (clamped to the data). */
pl_pos pl_source_pos_at(const pl_source *src, size_t offset);
/* Text of 1-based line `line` without its break; *len gets its length. */
const char *pl_source_line(const pl_source *src, uint32_t line, size_t *len);

/* Length of the line break at s (0 if none), libyaml's IS_BREAK. */
size_t pl_source_break_len(const char *s, size_t left);

#endif
