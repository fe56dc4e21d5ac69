/*
 * markdown.c - a rule's help as CommonMark, for SARIF's help.markdown and
 * `plumb explain --format markdown` (docs/rules/). One writer, so the
 * two cannot disagree.
 *
 * A help is plain text: prose lines, "Fix:" starting the fix, "- " list
 * items, and indented lines (a .plumb.yaml example) kept as written.
 * Lines of one paragraph are joined (a declarative pack wraps its help
 * at 72 columns; a built-in rule writes a paragraph a line); a blank
 * line, "Fix:", a list item or an indented block starts a new block.
 */
#include "report/report.h"

/* Appends line[0..len) as Markdown prose: outside `code spans`, the
 * characters Markdown would read as emphasis, links, headings, tables or
 * HTML are backslash-escaped (CommonMark §2.4 allows it before any ASCII
 * punctuation), so "POSTGRE_*" stays as written. */
static void add_prose(pl_buf *b, const char *line, size_t len)
{
	bool code = false;
	size_t i = 0;

	if (len >= 4 && strncmp(line, "Fix:", 4) == 0) {
		pl_buf_adds(b, "**Fix:**");
		i = 4;
	}
	for (; i < len; i++) {
		char c = line[i];
		if (c == '`')
			code = !code;
		else if (!code && strchr("\\*_[]<>#|", c))
			pl_buf_addc(b, '\\');
		pl_buf_addc(b, c);
	}
}

typedef enum block {
	BLOCK_NONE,   /* nothing written yet */
	BLOCK_PARA,   /* a paragraph, open */
	BLOCK_LIST,   /* a list item, open */
	BLOCK_CODE,   /* a fenced block, open */
	BLOCK_CLOSED, /* a blank line ended the last block */
} block;

/* Ends the open block and separates the next one from it. */
static void next_block(pl_buf *b, block *cur, size_t start)
{
	if (*cur == BLOCK_CODE)
		pl_buf_adds(b, "```");
	if (b->len > start)
		pl_buf_adds(b, "\n\n");
	*cur = BLOCK_NONE;
}

void pl_report_help_markdown(pl_buf *b, const char *help)
{
	block cur = BLOCK_NONE;
	size_t start = b->len;

	while (*help) {
		const char *nl = strchr(help, '\n');
		size_t len = nl ? (size_t)(nl - help) : strlen(help);
		bool indented = len >= 2 && help[0] == ' ' && help[1] == ' ';
		bool item = len >= 2 && help[0] == '-' && help[1] == ' ';
		bool fix = len >= 4 && strncmp(help, "Fix:", 4) == 0;

		if (len == 0) {
			if (cur == BLOCK_CODE)
				pl_buf_adds(b, "```");
			if (cur != BLOCK_NONE)
				cur = BLOCK_CLOSED;
		} else if (indented) {
			if (cur != BLOCK_CODE) {
				next_block(b, &cur, start);
				pl_buf_adds(b, "```\n");
				cur = BLOCK_CODE;
			}
			pl_buf_add(b, help, len);
			pl_buf_addc(b, '\n');
		} else if (item && cur == BLOCK_LIST) {
			pl_buf_addc(b, '\n');
			add_prose(b, help, len);
		} else if (item || fix || cur != BLOCK_PARA) {
			if (cur == BLOCK_LIST && !item && !fix) {
				/* a wrapped line of the list item */
				pl_buf_addc(b, ' ');
				add_prose(b, help, len);
			} else {
				next_block(b, &cur, start);
				add_prose(b, help, len);
				cur = item ? BLOCK_LIST : BLOCK_PARA;
			}
		} else {
			/* a wrapped line of the paragraph */
			pl_buf_addc(b, ' ');
			add_prose(b, help, len);
		}
		help += len + (nl ? 1 : 0);
	}
	if (cur == BLOCK_CODE)
		pl_buf_adds(b, "```");
}
