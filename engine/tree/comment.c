/*
 * comment.c - the comment index and its queries.
 *
 * YAML 1.2.2 §6.6: a comment starts with '#' preceded by white space (or
 * at the start of a line) and runs to the end of the line; it cannot start
 * inside a scalar. The loader hands us the spans of every scalar in
 * source order, so a '#' is a comment exactly when it is outside them and
 * follows a blank or a line start. Past a syntax error there are no spans
 * left and quoted text may be mistaken for a comment; the index is only
 * used for lines the parser reached in practice.
 */
#include "tree/comment.h"
#include "base/utf8.h"
#include "base/vec.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

void pl_comment__index(pl_tree *t, pl_arena *arena, const size_t *spans,
                       size_t nspans)
{
	const pl_source *src = t->src;
	const char *d = src->data;
	size_t off = src->bom, si = 0;
	pl_vec out;

	pl_vec_init(&out, sizeof(pl_comment));
	while (off < src->len) {
		const char *hash = memchr(d + off, '#', src->len - off);
		size_t at, end;
		pl_pos pos;
		pl_comment *c;

		if (!hash)
			break;
		at = (size_t)(hash - d);
		off = at + 1;
		while (si < nspans && spans[2 * si + 1] <= at)
			si++;
		if (si < nspans && spans[2 * si] <= at)
			continue; /* inside a scalar */
		if (at > src->bom && !is_blank(d[at - 1])) {
			/* only a line start may precede it then */
			pos = pl_source_pos_at(src, at);
			if (pos.col != 1)
				continue;
		} else {
			pos = pl_source_pos_at(src, at);
		}
		{
			size_t tlen;
			const char *text = pl_source_line(src, pos.line, &tlen);
			end = (size_t)(text - d) + tlen;
		}
		c = pl_vec_push(&out);
		c->offset = at;
		c->len = end - at;
		c->line = pos.line;
		c->col = pos.col;
		{
			size_t ls = src->lines[pos.line - 1], k;
			c->trailing = false;
			for (k = ls; k < at; k++) {
				if (!is_blank(d[k])) {
					c->trailing = true;
					break;
				}
			}
		}
		off = end;
	}
	t->ncomments = out.len;
	t->comments = pl_arena_alloc(arena, out.len * sizeof(pl_comment));
	if (out.len)
		memcpy(t->comments, out.items, out.len * sizeof(pl_comment));
	pl_vec_release(&out);
}

/* First comment on `line` or later, by binary search. */
static size_t first_on_or_after(const pl_tree *t, uint32_t line)
{
	size_t lo = 0, hi = t->ncomments;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->comments[mid].line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const pl_comment *pl_comment_trailing(const pl_tree *t, uint32_t line)
{
	size_t i = first_on_or_after(t, line);
	if (i < t->ncomments && t->comments[i].line == line &&
	    t->comments[i].trailing)
		return &t->comments[i];
	return NULL;
}

const pl_comment *pl_comment_on_line(const pl_tree *t, uint32_t line)
{
	size_t i = first_on_or_after(t, line);
	if (i < t->ncomments && t->comments[i].line == line &&
	    !t->comments[i].trailing)
		return &t->comments[i];
	return NULL;
}

size_t pl_comment_block_above(const pl_tree *t, uint32_t line,
                              const pl_comment **first)
{
	size_t i = first_on_or_after(t, line), n = 0;
	uint32_t want = line;

	*first = NULL;
	while (i > 0) {
		const pl_comment *c = &t->comments[i - 1];
		if (c->trailing || c->line + 1 != want)
			break;
		*first = c;
		want = c->line;
		n++;
		i--;
	}
	return n;
}

const char *pl_comment_text(const pl_tree *t, const pl_comment *c, size_t *len)
{
	const char *s = t->src->data + c->offset + 1;
	size_t n = c->len - 1;
	while (n && is_blank(*s)) {
		s++;
		n--;
	}
	while (n && is_blank(s[n - 1]))
		n--;
	*len = n;
	return s;
}
