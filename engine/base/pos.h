/*
 * pos.h - positions in a source file.
 *
 * Lines and columns are 1-based; a column counts Unicode code points from
 * the start of the line (a tab is one column, a UTF-8 BOM at the start of
 * the file is not counted), as DESIGN.md and SARIF's unicodeCodePoints
 * column kind require. `offset` is the 0-based byte offset into the source
 * buffer. A span's end is exclusive: the position just past the last
 * character. Line breaks are those of libyaml (LF, CR, CRLF, NEL, LS, PS)
 * so that positions agree with the parser's marks.
 */
#ifndef PL_POS_H
#define PL_POS_H

#include "base/base.h"

typedef struct pl_pos {
	uint32_t line;
	uint32_t col;
	/* 32 bits: sources are capped far below 4 GiB (pl_limits'
	 * max_file_size), and every tree node holds two positions */
	uint32_t offset;
} pl_pos;

typedef struct pl_span {
	pl_pos start;
	pl_pos end;
} pl_span;

/* The same place in one source: the same bytes and start (two files can
 * hold equal spans; callers compare files apart). */
static inline bool pl_span_same(pl_span a, pl_span b)
{
	return a.start.offset == b.start.offset &&
	       a.end.offset == b.end.offset && a.start.line == b.start.line &&
	       a.start.col == b.start.col;
}

#endif
