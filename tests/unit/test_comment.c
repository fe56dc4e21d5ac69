/*
 * test_comment.c - the comment index built by the loader and its queries:
 * trailing comments (Flux markers), what is not a comment (quoted and
 * block scalar text, `a#b`), whole-line comments, the block above a line,
 * flow collections, line breaks other than LF, and text trimming.
 */
#include "testlib.h"

#include "tree/comment.h"

/* The text of c (after '#', trimmed) as a NUL-terminated copy in buf. */
static const char *text_of(const tl_doc *d, const pl_comment *c, char *buf,
                           size_t size)
{
	size_t len;
	const char *s = pl_comment_text(&d->tree, c, &len);

	snprintf(buf, size, "%.*s", (int)len, s);
	return buf;
}

/* Asserts that tree d has exactly one comment per listed line, in order,
 * at the given columns and offsets, with the given trimmed texts. */
struct want_comment {
	uint32_t line, col;
	size_t offset;
	bool trailing;
	const char *text;
};

static void check_comments(const char *yaml, const struct want_comment *w,
                           size_t n)
{
	tl_doc d;
	size_t i, bad = 0;
	char buf[200];

	tl_load(&d, yaml);
	if (d.tree.problem != PL_TREE_OK)
		print_error("problem: %s\n", d.tree.message);
	assert_int_equal(d.tree.problem, PL_TREE_OK);
	if (d.tree.ncomments != n) {
		print_error("%zu comments, want %zu\n", d.tree.ncomments, n);
		for (i = 0; i < d.tree.ncomments; i++)
			print_error("  found %u:%u \"%s\"\n",
			            d.tree.comments[i].line,
			            d.tree.comments[i].col,
			            text_of(&d, &d.tree.comments[i], buf,
			                    sizeof(buf)));
		bad++;
	}
	for (i = 0; i < n && i < d.tree.ncomments; i++) {
		const pl_comment *c = &d.tree.comments[i];
		const char *t = text_of(&d, c, buf, sizeof(buf));

		if (c->line != w[i].line || c->col != w[i].col ||
		    c->offset != w[i].offset || c->trailing != w[i].trailing ||
		    strcmp(t, w[i].text) != 0) {
			print_error(
			        "comment %zu: %u:%u@%zu trailing %d \"%s\", "
			        "want %u:%u@%zu trailing %d \"%s\"\n",
			        i, c->line, c->col, c->offset, c->trailing, t,
			        w[i].line, w[i].col, w[i].offset, w[i].trailing,
			        w[i].text);
			bad++;
		}
	}
	tl_release(&d);
	assert_int_equal(bad, 0);
}

#define CHECK(yaml, wants) check_comments(yaml, wants, PL_ARRAY_SIZE(wants))
#define NONE(yaml)         check_comments(yaml, NULL, 0)

static void test_comment__flux_marker_is_trailing(void **state)
{
	const char *yaml = "spec:\n"
	                   "  image: nginx:1.27 # {\"$imagepolicy\": "
	                   "\"flux-system:web\"}\n";
	tl_doc d;
	const pl_comment *c;
	char buf[200];

	(void)state;
	tl_load(&d, yaml);
	assert_int_equal(d.tree.problem, PL_TREE_OK);
	assert_string_equal(
	        pl_node_get_str(pl_node_get(tl_root(&d, 0), "spec"), "image"),
	        "nginx:1.27");
	c = pl_comment_trailing(&d.tree, 2);
	assert_non_null(c);
	assert_int_equal(c->line, 2);
	assert_int_equal(c->col, 21);
	assert_int_equal(c->offset, 26);
	assert_true(c->trailing);
	assert_int_equal(c->len,
	                 strlen("# {\"$imagepolicy\": \"flux-system:web\"}"));
	assert_string_equal(text_of(&d, c, buf, sizeof(buf)),
	                    "{\"$imagepolicy\": \"flux-system:web\"}");
	assert_null(pl_comment_on_line(&d.tree, 2));
	assert_null(pl_comment_trailing(&d.tree, 1));
	assert_null(pl_comment_trailing(&d.tree, 3));
	tl_release(&d);
}

static void test_comment__columns_count_code_points(void **state)
{
	static const struct want_comment w[] = {
	        {1, 10, 13, true, "c"},
	        {2, 7, 23, true, "d"},
	};
	(void)state;
	CHECK("n\xc3\xa9: \"\xc3\xa9\xe2\x82\xac\" # c\nk:\t[] # d\n", w);
}

static void test_comment__hash_in_quoted_scalars_is_text(void **state)
{
	static const struct want_comment w[] = {
	        {3, 15, 36, true, "real"},
	};
	(void)state;
	NONE("a: \"x # y\"\nb: 'p # q'\n");
	NONE("a: \"multi\n  # line\"\nb: 'two\n  # lines'\n");
	NONE("\"# key\": v\n'# k2': w\n");
	CHECK("a: \"x # y\"\nb: 'p # q'\nc: [\"#\", '#'] # real\n", w);
}

static void test_comment__hash_in_block_scalar_is_text(void **state)
{
	static const struct want_comment w[] = {
	        {4, 6, 28, true, "yes"},
	};
	static const struct want_comment w2[] = {
	        {4, 1, 14, false, "after"},
	};
	(void)state;
	CHECK("a: |\n  x # not\n  # not\nb: 1 # yes\n", w);
	CHECK("a: >\n  # not\n\n# after\n", w2);
}

/* YAML 1.2.2 §8.1.1: a block scalar header may end in a comment. */
static void test_comment__block_scalar_header_comment(void **state)
{
	static const struct want_comment lit[] = {
	        {1, 6, 5, true, "header"},
	};
	static const struct want_comment fold[] = {
	        {1, 7, 6, true, "keep"},
	};
	(void)state;
	CHECK("a: | # header\n  x # not\n", lit);
	CHECK("a: >- # keep\n  x\n", fold);
}

/* YAML 1.2.2 §6.9: node properties may be followed by a comment line. */
static void test_comment__comment_after_node_properties(void **state)
{
	static const struct want_comment anchor[] = {
	        {1, 7, 6, true, "c"},
	};
	static const struct want_comment tag[] = {
	        {1, 10, 9, true, "c"},
	};
	(void)state;
	CHECK("a: &x # c\n  val\nb: 1\n", anchor);
	CHECK("a: !!str # c\n  val\n", tag);
}

static void test_comment__hash_inside_a_word_is_text(void **state)
{
	static const struct want_comment w[] = {
	        {3, 6, 32, true, "c"},
	        {4, 6, 40, true, "d"},
	};
	(void)state;
	NONE("c: a#b\nurl: http://x/#frag\nd: '#'#no\n");
	CHECK("c: a#b\nurl: http://x/#frag\nk: v #c\nl: w\t#d\n", w);
}

static void test_comment__whole_line_comments(void **state)
{
	static const struct want_comment w[] = {
	        {1, 1, 0, false, "top"},
	        {3, 3, 13, false, "indented"},
	        {5, 1, 31, false, ""},
	};
	tl_doc d;
	const pl_comment *c;

	(void)state;
	CHECK("# top\nkey:\n  # indented\n  x: 1\n#\n", w);

	tl_load(&d, "# top\nkey:\n  # indented\n  x: 1\n");
	c = pl_comment_on_line(&d.tree, 3);
	assert_non_null(c);
	assert_int_equal(c->col, 3);
	assert_null(pl_comment_trailing(&d.tree, 3));
	assert_null(pl_comment_on_line(&d.tree, 2));
	assert_null(pl_comment_on_line(&d.tree, 4));
	tl_release(&d);
}

static void test_comment__block_above_a_key(void **state)
{
	tl_doc d;
	const pl_comment *first = NULL;
	char buf[100];

	(void)state;
	tl_load(&d, "a: 1\n# one\n# two\n# three\nkey: 1\n");
	assert_int_equal(pl_comment_block_above(&d.tree, 5, &first), 3);
	assert_non_null(first);
	assert_int_equal(first->line, 2);
	assert_string_equal(text_of(&d, first, buf, sizeof(buf)), "one");
	assert_string_equal(text_of(&d, first + 2, buf, sizeof(buf)), "three");
	/* from a comment line, the block is the lines above it */
	assert_int_equal(pl_comment_block_above(&d.tree, 4, &first), 2);
	assert_int_equal(first->line, 2);
	/* nothing directly above */
	assert_int_equal(pl_comment_block_above(&d.tree, 2, &first), 0);
	assert_null(first);
	assert_int_equal(pl_comment_block_above(&d.tree, 1, &first), 0);
	assert_null(first);
	tl_release(&d);

	/* indented, above a nested key */
	tl_load(&d, "spec:\n  # why\n  # because\n  replicas: 1\n");
	assert_int_equal(pl_comment_block_above(&d.tree, 4, &first), 2);
	assert_int_equal(first->line, 2);
	assert_int_equal(first->col, 3);
	tl_release(&d);
}

static void test_comment__blank_line_breaks_the_block(void **state)
{
	tl_doc d;
	const pl_comment *first = NULL;

	(void)state;
	tl_load(&d, "# one\n\n# two\nkey: 1\n");
	assert_int_equal(pl_comment_block_above(&d.tree, 4, &first), 1);
	assert_int_equal(first->line, 3);
	tl_release(&d);

	tl_load(&d, "# one\n# two\n\nkey: 1\n");
	assert_int_equal(pl_comment_block_above(&d.tree, 4, &first), 0);
	assert_null(first);
	tl_release(&d);

	/* a trailing comment above is not part of a block */
	tl_load(&d, "# one\na: 1 # t\nb: 2\n");
	assert_int_equal(pl_comment_block_above(&d.tree, 3, &first), 0);
	assert_null(first);
	assert_int_equal(pl_comment_block_above(&d.tree, 2, &first), 1);
	assert_int_equal(first->line, 1);
	tl_release(&d);
}

static void test_comment__in_flow_collections(void **state)
{
	static const struct want_comment w[] = {
	        {1, 8, 7, true, "c1"},
	        {2, 9, 20, true, "c2"},
	        {3, 6, 30, true, "end"},
	};
	(void)state;
	CHECK("{a: 1, # c1\n b: [2, # c2\n 3]} # end\n", w);
	NONE("[a, \"#x\", '#y', {k: \"# z\"}]\n");
}

static void test_comment__crlf_ends_a_comment(void **state)
{
	static const struct want_comment crlf[] = {
	        {1, 6, 5, true, "c"},
	        {2, 1, 10, false, "full"},
	};
	tl_doc d;

	(void)state;
	CHECK("a: 1 # c\r\n# full  \r\nb: 2\r\n", crlf);
	tl_load(&d, "a: 1 # c\r\n# full  \r\nb: 2\r\n");
	assert_int_equal(d.tree.comments[0].len, 3);
	assert_int_equal(d.tree.comments[1].len, 8);
	tl_release(&d);

	/* lone CR */
	tl_load(&d, "a: 1 # c\rb: 2\r");
	assert_int_equal(d.tree.ncomments, 1);
	assert_int_equal(d.tree.comments[0].len, 3);
	tl_release(&d);
}

/* NEL and LS end a line, and so a comment, too (pos.h, source.h). */
static void test_comment__nel_and_ls_end_a_comment(void **state)
{
	tl_doc d;

	(void)state;
	tl_load(&d, "a: 1 # x\xc2\x85"
	            "b: 2\n");
	assert_int_equal(d.tree.problem, PL_TREE_OK);
	assert_int_equal(d.tree.ncomments, 1);
	if (d.tree.comments[0].len != 3)
		print_error("comment before NEL: %zu bytes, want 3\n",
		            d.tree.comments[0].len);
	assert_int_equal(d.tree.comments[0].len, 3);
	tl_release(&d);

	tl_load(&d, "a: 1 # x\xe2\x80\xa8"
	            "b: 2\n");
	assert_int_equal(d.tree.ncomments, 1);
	if (d.tree.comments[0].len != 3)
		print_error("comment before LS: %zu bytes, want 3\n",
		            d.tree.comments[0].len);
	assert_int_equal(d.tree.comments[0].len, 3);
	tl_release(&d);
}

static void test_comment__bom_and_document_markers(void **state)
{
	static const struct want_comment bom[] = {
	        {1, 1, 3, false, "c"},
	};
	static const struct want_comment doc[] = {
	        {1, 5, 4, true, "doc"},
	        {2, 6, 15, true, "end"},
	};
	(void)state;
	CHECK("\xef\xbb\xbf# c\nk: v\n", bom);
	CHECK("--- # doc\na: 1 # end", doc);
}

static void test_comment__text_is_trimmed(void **state)
{
	static const struct want_comment w[] = {
	        {1, 1, 0, false, "padded text"}, {2, 1, 19, false, ""},
	        {3, 1, 21, false, "x"},          {4, 1, 26, false, "x"},
	        {5, 1, 29, false, "#"},          {6, 1, 33, false, "a  b"},
	};
	(void)state;
	CHECK("#   padded text   \n#\n#\tx\t\n#x\n# #\n# a  b \n", w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_comment__flux_marker_is_trailing),
	        cmocka_unit_test(test_comment__columns_count_code_points),
	        cmocka_unit_test(test_comment__hash_in_quoted_scalars_is_text),
	        cmocka_unit_test(test_comment__hash_in_block_scalar_is_text),
	        cmocka_unit_test(test_comment__block_scalar_header_comment),
	        cmocka_unit_test(test_comment__comment_after_node_properties),
	        cmocka_unit_test(test_comment__hash_inside_a_word_is_text),
	        cmocka_unit_test(test_comment__whole_line_comments),
	        cmocka_unit_test(test_comment__block_above_a_key),
	        cmocka_unit_test(test_comment__blank_line_breaks_the_block),
	        cmocka_unit_test(test_comment__in_flow_collections),
	        cmocka_unit_test(test_comment__crlf_ends_a_comment),
	        cmocka_unit_test(test_comment__nel_and_ls_end_a_comment),
	        cmocka_unit_test(test_comment__bom_and_document_markers),
	        cmocka_unit_test(test_comment__text_is_trimmed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
