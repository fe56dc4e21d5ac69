/*
 * test_source.c - the line index of a pl_source and position mapping:
 * every libyaml line break (LF, CRLF, lone CR, NEL, LS, PS), the UTF-8
 * BOM, columns in code points, clamping, the `hint` cache, and the skip
 * reasons of pl_source_read_fd.
 */
#include "testlib.h"

#include <unistd.h>

#include "base/utf8.h"
#include "source/source.h"

/* --- line index ------------------------------------------------------- */

struct index_case {
	const char *name;
	const char *data;
	size_t len;
	uint32_t nlines;
	size_t lines[5];     /* start offset of each line */
	const char *text[5]; /* pl_source_line of each line */
	size_t bom;
	bool crlf;
};

#define D(s) s, sizeof(s) - 1

static bool check_index(const struct index_case *c)
{
	pl_source src;
	uint32_t i;
	bool ok = true;

	tl_source(&src, c->data, c->len);
	if (src.nlines != c->nlines) {
		print_error("%s: %u lines, want %u\n", c->name, src.nlines,
		            c->nlines);
		ok = false;
	}
	if (src.bom != c->bom || src.crlf != c->crlf) {
		print_error("%s: bom %zu crlf %d, want bom %zu crlf %d\n",
		            c->name, src.bom, src.crlf, c->bom, c->crlf);
		ok = false;
	}
	for (i = 0; ok && i < c->nlines; i++) {
		size_t len;
		const char *t = pl_source_line(&src, i + 1, &len);

		if (src.lines[i] != c->lines[i]) {
			print_error("%s: line %u starts at %zu, want %zu\n",
			            c->name, i + 1, src.lines[i], c->lines[i]);
			ok = false;
		}
		if (len != strlen(c->text[i]) ||
		    memcmp(t, c->text[i], len) != 0) {
			print_error("%s: line %u is \"%.*s\" (%zu bytes), "
			            "want \"%s\"\n",
			            c->name, i + 1, (int)len, t, len,
			            c->text[i]);
			ok = false;
		}
	}
	pl_source_release(&src);
	return ok;
}

static void test_source__line_index_breaks_like_libyaml(void **state)
{
	static const struct index_case cases[] = {
	        {"empty", D(""), 1, {0}, {""}, 0, false},
	        {"LF", D("a\nbc\n"), 3, {0, 2, 5}, {"a", "bc", ""}, 0, false},
	        {"no final break",
	         D("a\nbc"),
	         2,
	         {0, 2},
	         {"a", "bc"},
	         0,
	         false},
	        {"blank lines",
	         D("\n\nx"),
	         3,
	         {0, 1, 2},
	         {"", "", "x"},
	         0,
	         false},
	        {"CRLF",
	         D("a\r\nbc\r\n"),
	         3,
	         {0, 3, 7},
	         {"a", "bc", ""},
	         0,
	         true},
	        {"lone CR", D("a\rbc"), 2, {0, 2}, {"a", "bc"}, 0, false},
	        {"CR CR LF",
	         D("a\r\r\nb"),
	         3,
	         {0, 2, 4},
	         {"a", "", "b"},
	         0,
	         true},
	        {"LF CR", D("a\n\rb"), 3, {0, 2, 3}, {"a", "", "b"}, 0, false},
	        {"NEL",
	         D("a\xc2\x85"
	           "b"),
	         2,
	         {0, 3},
	         {"a", "b"},
	         0,
	         false},
	        {"LS PS",
	         D("a\xe2\x80\xa8"
	           "b\xe2\x80\xa9"
	           "c"),
	         3,
	         {0, 4, 8},
	         {"a", "b", "c"},
	         0,
	         false},
	        {"NEL at end",
	         D("ab\xc2\x85"),
	         2,
	         {0, 4},
	         {"ab", ""},
	         0,
	         false},
	        /* near misses are ordinary characters */
	        {"NBSP, U+2027, lone C2/E2",
	         D("\xc2\xa0\xe2\x80\xa7\xc2"),
	         1,
	         {0},
	         {"\xc2\xa0\xe2\x80\xa7\xc2"},
	         0,
	         false},
	        {"e-acute then LF",
	         D("\xc3\xa9\n\xc3\xa9"),
	         2,
	         {0, 3},
	         {"\xc3\xa9", "\xc3\xa9"},
	         0,
	         false},
	        {"BOM",
	         D("\xef\xbb\xbf"
	           "ab\ncd"),
	         2,
	         {3, 6},
	         {"ab", "cd"},
	         3,
	         false},
	        {"BOM only", D("\xef\xbb\xbf"), 1, {3}, {""}, 3, false},
	        {"BOM then break",
	         D("\xef\xbb\xbf\nx"),
	         2,
	         {3, 4},
	         {"", "x"},
	         3,
	         false},
	        {"BOM not at start",
	         D("a\xef\xbb\xbf"),
	         1,
	         {0},
	         {"a\xef\xbb\xbf"},
	         0,
	         false},
	};
	size_t i, failed = 0;

	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++)
		if (!check_index(&cases[i]))
			failed++;
	if (failed) {
		print_error("%zu of %zu cases failed\n", failed,
		            PL_ARRAY_SIZE(cases));
		fail();
	}
}

static void test_source__line_out_of_range_is_empty(void **state)
{
	pl_source src;
	size_t len = 99;

	(void)state;
	tl_source(&src, D("a\nb"));
	assert_string_equal(pl_source_line(&src, 0, &len), "");
	assert_int_equal(len, 0);
	len = 99;
	assert_string_equal(pl_source_line(&src, 3, &len), "");
	assert_int_equal(len, 0);
	pl_source_release(&src);
}

static void test_source__set_data_keeps_path_and_nul(void **state)
{
	pl_source src;

	(void)state;
	tl_source(&src, D("abc"));
	assert_string_equal(src.path, "test.yaml");
	assert_int_equal(src.len, 3);
	assert_int_equal(src.data[3], '\0');
	assert_int_equal(src.skip, PL_SKIP_NONE);
	pl_source_release(&src);
	assert_null(src.data);
	assert_null(src.lines);
	pl_source_release(&src);
	pl_source_release(NULL);
}

static void test_source__break_len(void **state)
{
	static const struct {
		const char *s;
		size_t left;
		size_t want;
	} cases[] = {
	        {"\n", 1, 1},
	        {"\r", 1, 1},
	        {"\r\n", 2, 2},
	        {"\r\n", 1, 1},
	        {"\n\r", 2, 1},
	        {"\xc2\x85", 2, 2},
	        {"\xc2\x85", 1, 0},
	        {"\xe2\x80\xa8", 3, 3},
	        {"\xe2\x80\xa9", 3, 3},
	        {"\xe2\x80\xa9", 2, 0},
	        {"\xe2\x80\xa7", 3, 0},
	        {"\xc2\xa0", 2, 0},
	        {"a", 1, 0},
	        {"\t", 1, 0},
	        {"\n", 0, 0},
	};
	size_t i, failed = 0;

	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		size_t got = pl_source_break_len(cases[i].s, cases[i].left);
		if (got != cases[i].want) {
			print_error("case %zu: break_len = %zu, want %zu\n", i,
			            got, cases[i].want);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

/* --- positions -------------------------------------------------------- */

struct pos_case {
	const char *name;
	const char *data;
	size_t len;
	size_t line0, col0; /* pl_source_pos input */
	uint32_t line, col; /* want */
	size_t offset;
};

static void test_source__pos_counts_code_points(void **state)
{
	static const struct pos_case cases[] = {
	        {"start", D("ab\ncd\n"), 0, 0, 1, 1, 0},
	        {"second line", D("ab\ncd\n"), 1, 1, 2, 2, 4},
	        {"last empty line", D("ab\ncd\n"), 2, 0, 3, 1, 6},
	        {"CRLF second line", D("ab\r\ncd"), 1, 1, 2, 2, 5},
	        {"lone CR", D("ab\rcd"), 1, 2, 2, 3, 5},
	        {"after NEL",
	         D("a\xc2\x85"
	           "bc"),
	         1, 1, 2, 2, 4},
	        {"after LS",
	         D("a\xe2\x80\xa8"
	           "bc"),
	         1, 1, 2, 2, 5},
	        {"after PS",
	         D("a\xe2\x80\xa9"
	           "bc"),
	         1, 0, 2, 1, 4},
	        {"tab is one column", D("\t\tx"), 0, 2, 1, 3, 2},
	        {"2-byte chars", D("\xc3\xa9\xc3\xa9x"), 0, 2, 1, 3, 4},
	        {"mixed widths", D("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80x"), 0,
	         3, 1, 4, 9},
	        {"invalid byte is one column",
	         D("\xff"
	           "a"),
	         0, 1, 1, 2, 1},
	        {"BOM: col 1 after it",
	         D("\xef\xbb\xbf"
	           "ab"),
	         0, 0, 1, 1, 3},
	        {"BOM: col 2",
	         D("\xef\xbb\xbf"
	           "ab"),
	         0, 1, 1, 2, 4},
	        {"BOM: line 2",
	         D("\xef\xbb\xbf"
	           "a\nb"),
	         1, 0, 2, 1, 5},
	        {"no final break: end", D("a\nbc"), 1, 2, 2, 3, 4},
	};
	size_t i, failed = 0;

	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		const struct pos_case *c = &cases[i];
		pl_source src;
		pl_pos p;

		tl_source(&src, c->data, c->len);
		p = pl_source_pos(&src, c->line0, c->col0, NULL);
		if (!tl_pos_is(c->name, &p, c->line, c->col, c->offset))
			failed++;
		pl_source_release(&src);
	}
	if (failed) {
		print_error("%zu of %zu cases failed\n", failed,
		            PL_ARRAY_SIZE(cases));
		fail();
	}
}

/*
 * Past the end of a line the position clamps to the end of that line's
 * text: before its break, never on the next line's first byte.
 */
static void test_source__pos_clamps_past_end_of_line(void **state)
{
	static const struct pos_case cases[] = {
	        {"last line, no break", D("a\nbc"), 1, 10, 2, 3, 4},
	        {"LF", D("ab\ncd"), 0, 10, 1, 3, 2},
	        {"LF, one past", D("ab\ncd"), 0, 3, 1, 3, 2},
	        {"CRLF", D("ab\r\ncd"), 0, 10, 1, 3, 2},
	        {"lone CR", D("ab\rcd"), 0, 10, 1, 3, 2},
	        {"NEL",
	         D("ab\xc2\x85"
	           "cd"),
	         0, 10, 1, 3, 2},
	        {"LS",
	         D("ab\xe2\x80\xa8"
	           "cd"),
	         0, 10, 1, 3, 2},
	        {"multibyte", D("\xc3\xa9\xc3\xa9\ncd"), 0, 10, 1, 3, 4},
	        {"empty line", D("a\n\nb"), 1, 5, 2, 1, 2},
	};
	size_t i, failed = 0;

	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		const struct pos_case *c = &cases[i];
		pl_source src;
		pl_pos p;

		tl_source(&src, c->data, c->len);
		p = pl_source_pos(&src, c->line0, c->col0, NULL);
		if (!tl_pos_is(c->name, &p, c->line, c->col, c->offset))
			failed++;
		pl_source_release(&src);
	}
	if (failed) {
		print_error("%zu of %zu cases failed\n", failed,
		            PL_ARRAY_SIZE(cases));
		fail();
	}
}

static void test_source__pos_clamps_past_last_line(void **state)
{
	pl_source src;
	pl_pos p;

	(void)state;
	tl_source(&src, D("a\nbc"));
	p = pl_source_pos(&src, 7, 0, NULL);
	assert_true(tl_pos_is("line 8 col 1", &p, 2, 1, 2));
	p = pl_source_pos(&src, 7, 9, NULL);
	assert_true(tl_pos_is("line 8 col 10", &p, 2, 3, 4));
	pl_source_release(&src);

	tl_source(&src, D("a\n"));
	p = pl_source_pos(&src, 5, 5, NULL);
	assert_true(tl_pos_is("after final break", &p, 2, 1, 2));
	pl_source_release(&src);
}

struct at_case {
	const char *name;
	const char *data;
	size_t len;
	size_t at;
	uint32_t line, col;
	size_t offset;
};

static void test_source__pos_at_maps_byte_offsets(void **state)
{
	static const struct at_case cases[] = {
	        {"empty source", D(""), 0, 1, 1, 0},
	        {"first byte", D("ab\ncd"), 0, 1, 1, 0},
	        {"the LF", D("ab\ncd"), 2, 1, 3, 2},
	        {"after LF", D("ab\ncd"), 3, 2, 1, 3},
	        {"end", D("ab\ncd"), 5, 2, 3, 5},
	        {"past the end", D("ab\ncd"), 99, 2, 3, 5},
	        {"CRLF: the CR", D("a\r\nb"), 1, 1, 2, 1},
	        {"CRLF: next line", D("a\r\nb"), 3, 2, 1, 3},
	        {"lone CR", D("a\rb"), 2, 2, 1, 2},
	        {"after NEL",
	         D("a\xc2\x85"
	           "b"),
	         3, 2, 1, 3},
	        {"after LS",
	         D("a\xe2\x80\xa8"
	           "b"),
	         4, 2, 1, 4},
	        {"after PS",
	         D("a\xe2\x80\xa9"
	           "b"),
	         4, 2, 1, 4},
	        {"multibyte",
	         D("\xc3\xa9\xe2\x82\xac"
	           "x"),
	         5, 1, 3, 5},
	        {"tab", D("\t\tx"), 2, 1, 3, 2},
	        {"BOM: offset 0 is line 1 col 1",
	         D("\xef\xbb\xbf"
	           "ab"),
	         0, 1, 1, 3},
	        {"BOM: inside it",
	         D("\xef\xbb\xbf"
	           "ab"),
	         2, 1, 1, 3},
	        {"BOM: first char",
	         D("\xef\xbb\xbf"
	           "ab"),
	         3, 1, 1, 3},
	        {"BOM: second char",
	         D("\xef\xbb\xbf"
	           "ab"),
	         4, 1, 2, 4},
	        {"BOM: line 2",
	         D("\xef\xbb\xbf"
	           "a\nb"),
	         5, 2, 1, 5},
	};
	size_t i, failed = 0;

	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		const struct at_case *c = &cases[i];
		pl_source src;
		pl_pos p;

		tl_source(&src, c->data, c->len);
		p = pl_source_pos_at(&src, c->at);
		if (!tl_pos_is(c->name, &p, c->line, c->col, c->offset))
			failed++;
		pl_source_release(&src);
	}
	if (failed) {
		print_error("%zu of %zu cases failed\n", failed,
		            PL_ARRAY_SIZE(cases));
		fail();
	}
}

/* A source with every kind of break and of character width. */
static const char mixed[] = "\xef\xbb\xbf"
                            "k: \xc3\xa9\xe2\x82\xac\r\n"
                            "\t- \xf0\x9f\x98\x80 x\rlone\xc2\x85"
                            "nel\n"
                            "\xe2\x80\xa8"
                            "ls\xe2\x80\xa9"
                            "ps end";

/* pl_source_pos and pl_source_pos_at agree on every code point. */
static void test_source__pos_and_pos_at_agree(void **state)
{
	pl_source src;
	uint32_t line;
	size_t bad = 0;

	(void)state;
	tl_source(&src, mixed, sizeof(mixed) - 1);
	assert_int_equal(src.nlines, 7);
	for (line = 1; line <= src.nlines; line++) {
		size_t len, col0 = 0;
		const char *t = pl_source_line(&src, line, &len);
		size_t off = (size_t)(t - src.data), end = off + len;

		for (;;) {
			pl_pos a = pl_source_pos(&src, line - 1, col0, NULL);
			pl_pos b = pl_source_pos_at(&src, off);
			char name[64];

			snprintf(name, sizeof(name), "line %u col0 %zu", line,
			         col0);
			if (!tl_pos_is(name, &a, line, (uint32_t)col0 + 1,
			               off) ||
			    !tl_pos_is(name, &b, line, (uint32_t)col0 + 1, off))
				bad++;
			if (off >= end)
				break;
			off += pl_utf8_seq_len((unsigned char)src.data[off]);
			col0++;
		}
	}
	pl_source_release(&src);
	assert_int_equal(bad, 0);
}

/*
 * The hint only speeds things up: any sequence of queries (forward,
 * backward, other lines, past the end) gives what no hint gives.
 */
static void test_source__hint_gives_same_results(void **state)
{
	static const struct {
		size_t line0, col0;
	} walk[] = {
	        {0, 0}, {0, 1}, {0, 3},  {0, 5},  {0, 2}, {0, 40}, {0, 4},
	        {1, 0}, {1, 4}, {1, 2},  {1, 9},  {1, 3}, {1, 99}, {1, 99},
	        {1, 1}, {2, 3}, {2, 7},  {2, 2},  {3, 0}, {3, 2},  {3, 1},
	        {4, 5}, {4, 1}, {5, 20}, {5, 2},  {6, 3}, {6, 6},  {6, 0},
	        {9, 0}, {9, 4}, {0, 0},  {6, 50}, {6, 5}, {2, 0},  {0, 6},
	};
	pl_source src;
	pl_pos hint;
	size_t i, bad = 0;

	(void)state;
	tl_source(&src, mixed, sizeof(mixed) - 1);
	memset(&hint, 0, sizeof(hint));
	for (i = 0; i < PL_ARRAY_SIZE(walk); i++) {
		pl_pos want =
		        pl_source_pos(&src, walk[i].line0, walk[i].col0, NULL);
		pl_pos got =
		        pl_source_pos(&src, walk[i].line0, walk[i].col0, &hint);
		char name[64];

		snprintf(name, sizeof(name), "step %zu (%zu, %zu) with hint", i,
		         walk[i].line0, walk[i].col0);
		if (!tl_pos_is(name, &got, want.line, want.col, want.offset))
			bad++;
		if (!tl_pos_is("hint after the step", &hint, got.line, got.col,
		               got.offset))
			bad++;
	}
	/* every position in order, the loader's pattern */
	memset(&hint, 0, sizeof(hint));
	for (i = 0; i < 7 * 12; i++) {
		pl_pos want = pl_source_pos(&src, i / 12, i % 12, NULL);
		pl_pos got = pl_source_pos(&src, i / 12, i % 12, &hint);
		if (!tl_pos_is("forward walk", &got, want.line, want.col,
		               want.offset))
			bad++;
	}
	pl_source_release(&src);
	assert_int_equal(bad, 0);
}

/* --- reading ---------------------------------------------------------- */

/* Reads len bytes through a pipe with pl_source_read_fd. */
static void read_through_pipe(pl_source *src, const char *data, size_t len,
                              size_t max)
{
	int fds[2];
	pl_limits limits;

	pl_limits_default(&limits);
	limits.max_file_size = max;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], data, len), (ssize_t)len);
	close(fds[1]);
	pl_source_init(src);
	pl_source_read_fd(src, "-", fds[0], &limits);
	close(fds[0]);
}

static void test_source__read_fd_indexes_text(void **state)
{
	pl_source src;
	size_t len;

	(void)state;
	read_through_pipe(&src, D("a: 1\r\nb: 2\n"), 1000);
	assert_int_equal(src.skip, PL_SKIP_NONE);
	assert_int_equal(src.len, 11);
	assert_string_equal(src.path, "-");
	assert_int_equal(src.nlines, 3);
	assert_true(src.crlf);
	assert_memory_equal(pl_source_line(&src, 2, &len), "b: 2", 4);
	assert_int_equal(len, 4);
	pl_source_release(&src);
}

static void test_source__read_fd_skips_binary_utf16_and_large(void **state)
{
	pl_source src;

	(void)state;
	read_through_pipe(&src, D("a: 1\nb\0c\n"), 1000);
	assert_int_equal(src.kind, PL_SOURCE_SKIPPED);
	assert_int_equal(src.skip, PL_SKIP_BINARY);
	assert_int_equal(src.skip_at, 6);
	assert_null(src.data);
	pl_source_release(&src);

	/* UTF-16 with a BOM is read as UTF-8 (with a UTF-8 BOM), surrogate
	 * pairs joined; invalid UTF-16 is an encoding skip */
	read_through_pipe(&src,
	                  D("\xff\xfe"
	                    "a\0:\0 \0\xe9\0"),
	                  1000);
	assert_int_equal(src.skip, PL_SKIP_NONE);
	assert_true(src.utf16);
	assert_int_equal(src.len, 8);
	assert_memory_equal(src.data,
	                    "\xef\xbb\xbf"
	                    "a: \xc3\xa9",
	                    8);
	assert_int_equal(src.bom, 3);
	pl_source_release(&src);

	read_through_pipe(&src, D("\xfe\xff\0a\xd8\x3d\xde\x00"), 1000);
	assert_int_equal(src.skip, PL_SKIP_NONE);
	assert_memory_equal(src.data,
	                    "\xef\xbb\xbf"
	                    "a\xf0\x9f\x98\x80",
	                    8);
	pl_source_release(&src);

	read_through_pipe(&src, D("\xfe\xff\0a\xd8\x3d"), 1000);
	assert_int_equal(src.skip, PL_SKIP_ENCODING);
	pl_source_release(&src);

	read_through_pipe(&src,
	                  D("\xff\xfe"
	                    "a\0:"),
	                  1000);
	assert_int_equal(src.skip, PL_SKIP_ENCODING);
	pl_source_release(&src);

	read_through_pipe(&src, D("0123456789"), 9);
	assert_int_equal(src.skip, PL_SKIP_TOO_LARGE);
	pl_source_release(&src);

	read_through_pipe(&src, D("0123456789"), 10);
	assert_int_equal(src.skip, PL_SKIP_NONE);
	assert_int_equal(src.len, 10);
	pl_source_release(&src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_source__line_index_breaks_like_libyaml),
	        cmocka_unit_test(test_source__line_out_of_range_is_empty),
	        cmocka_unit_test(test_source__set_data_keeps_path_and_nul),
	        cmocka_unit_test(test_source__break_len),
	        cmocka_unit_test(test_source__pos_counts_code_points),
	        cmocka_unit_test(test_source__pos_clamps_past_end_of_line),
	        cmocka_unit_test(test_source__pos_clamps_past_last_line),
	        cmocka_unit_test(test_source__pos_at_maps_byte_offsets),
	        cmocka_unit_test(test_source__pos_and_pos_at_agree),
	        cmocka_unit_test(test_source__hint_gives_same_results),
	        cmocka_unit_test(test_source__read_fd_indexes_text),
	        cmocka_unit_test(
	                test_source__read_fd_skips_binary_utf16_and_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
