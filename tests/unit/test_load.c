/*
 * test_load.c - YAML text to typed tree: exact spans, kinds, styles and
 * values; documents; tags; anchors, aliases and merge keys; duplicate
 * keys; syntax errors; limits.
 *
 * Spans are written start-end as line:col@offset (1-based line and column
 * in code points, 0-based byte offset; the end is exclusive, pos.h). A
 * test checks all its spans and prints every mismatch before failing.
 */
#include "testlib.h"

#include "base/buf.h"
#include "tree/load.h"
#include "tree/node.h"

/* The raw value of key in mapping m (aliases not followed); fails if
 * there is no such key. */
static const pl_node *val(const pl_node *m, const char *key)
{
	const pl_pair *p = pl_node_get_pair(m, key);

	if (!p) {
		print_error("no key \"%s\"\n", key);
		fail();
	}
	return p->value;
}

/* The raw key node of key in mapping m. */
static const pl_node *key_node(const pl_node *m, const char *key)
{
	const pl_pair *p = pl_node_get_pair(m, key);

	if (!p) {
		print_error("no key \"%s\"\n", key);
		fail();
	}
	return p->key;
}

static const pl_node *item(const pl_node *seq, size_t i)
{
	assert_non_null(seq);
	assert_int_equal(seq->kind, PL_NODE_SEQUENCE);
	if (i >= seq->u.seq.len) {
		print_error("item %zu of a sequence of %zu\n", i,
		            seq->u.seq.len);
		fail();
	}
	return seq->u.seq.items[i];
}

/* Checks a node's span; counts a mismatch in *bad. */
static void span(int *bad, const char *what, const pl_node *n, uint32_t sl,
                 uint32_t sc, size_t so, uint32_t el, uint32_t ec, size_t eo)
{
	assert_non_null(n);
	if (!tl_span_is(what, &n->span, sl, sc, so, el, ec, eo))
		(*bad)++;
}

static void assert_scalar(const pl_node *n, pl_style style, pl_type type,
                          const char *str)
{
	assert_non_null(n);
	assert_int_equal(n->kind, PL_NODE_SCALAR);
	assert_int_equal(n->style, style);
	assert_int_equal(n->type, type);
	assert_string_equal(n->u.scalar.str, str);
	assert_int_equal(n->u.scalar.len, strlen(str));
}

static void assert_no_problem(const tl_doc *d)
{
	if (d->tree.problem != PL_TREE_OK)
		print_error("unexpected problem %d at %u:%u: %s\n",
		            (int)d->tree.problem, d->tree.where.line,
		            d->tree.where.col, d->tree.message);
	assert_int_equal(d->tree.problem, PL_TREE_OK);
}

/* --- documents -------------------------------------------------------- */

static void test_load__multi_document_stream(void **state)
{
	tl_doc d;
	const pl_node *r0, *r1;
	int bad = 0;

	(void)state;
	tl_load(&d, "a: 1\n---\nb: 2\n...\n");
	assert_no_problem(&d);
	assert_int_equal(d.tree.ndocs, 2);
	r0 = tl_root(&d, 0);
	r1 = tl_root(&d, 1);
	assert_int_equal(d.tree.docs[0].index, 0);
	assert_int_equal(d.tree.docs[1].index, 1);
	assert_false(d.tree.docs[0].explicit_start);
	assert_false(d.tree.docs[0].explicit_end);
	assert_true(d.tree.docs[1].explicit_start);
	assert_true(d.tree.docs[1].explicit_end);
	if (!tl_span_is("doc 0", &d.tree.docs[0].span, 1, 1, 0, 2, 1, 5))
		bad++;
	if (!tl_span_is("doc 1", &d.tree.docs[1].span, 2, 1, 5, 4, 4, 17))
		bad++;
	span(&bad, "key a", key_node(r0, "a"), 1, 1, 0, 1, 2, 1);
	span(&bad, "value 1", val(r0, "a"), 1, 4, 3, 1, 5, 4);
	span(&bad, "key b", key_node(r1, "b"), 3, 1, 9, 3, 2, 10);
	span(&bad, "value 2", val(r1, "b"), 3, 4, 12, 3, 5, 13);
	assert_int_equal(val(r0, "a")->u.scalar.i, 1);
	assert_int_equal(val(r1, "b")->u.scalar.i, 2);
	tl_release(&d);

	/* explicit end, then an explicit start */
	tl_load(&d, "a: 1\n...\n---\nb: 2\n");
	assert_no_problem(&d);
	assert_int_equal(d.tree.ndocs, 2);
	assert_true(d.tree.docs[0].explicit_end);
	assert_true(d.tree.docs[1].explicit_start);
	assert_false(d.tree.docs[1].explicit_end);
	if (!tl_span_is("doc 0 with ...", &d.tree.docs[0].span, 1, 1, 0, 2, 4,
	                8))
		bad++;
	if (!tl_span_is("doc 1 after ...", &d.tree.docs[1].span, 3, 1, 9, 5, 1,
	                18))
		bad++;
	span(&bad, "key b after ...", key_node(tl_root(&d, 1), "b"), 4, 1, 13,
	     4, 2, 14);
	tl_release(&d);
	assert_int_equal(bad, 0);
}

static void test_load__dashes_in_literal_block_do_not_split(void **state)
{
	tl_doc d;
	const pl_node *r;

	(void)state;
	tl_load(&d, "a: |\n  x\n  ---\n  y\nb: 1\n");
	assert_no_problem(&d);
	assert_int_equal(d.tree.ndocs, 1);
	r = tl_root(&d, 0);
	assert_scalar(val(r, "a"), PL_STYLE_LITERAL, PL_TYPE_STRING,
	              "x\n---\ny\n");
	assert_scalar(val(r, "b"), PL_STYLE_PLAIN, PL_TYPE_INT, "1");
	tl_release(&d);

	/* the same inside a document that was started explicitly */
	tl_load(&d, "---\nscript: |\n  echo\n  ---\n  ...\n---\nc: 2\n");
	assert_no_problem(&d);
	assert_int_equal(d.tree.ndocs, 2);
	assert_string_equal(pl_node_get_str(tl_root(&d, 0), "script"),
	                    "echo\n---\n...\n");
	assert_string_equal(pl_node_get_str(tl_root(&d, 1), "c"), "2");
	tl_release(&d);
}

static void test_load__empty_streams(void **state)
{
	static const char *const none[] = {
	        "", "\n\n", "   \n", "# only a comment\n", "# a\n\n# b",
	};
	tl_doc d;
	size_t i;

	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(none); i++) {
		tl_load(&d, none[i]);
		if (d.tree.ndocs != 0 || d.tree.problem != PL_TREE_OK)
			print_error("\"%s\": %zu docs, problem %d; want 0, "
			            "none\n",
			            none[i], d.tree.ndocs, (int)d.tree.problem);
		assert_int_equal(d.tree.ndocs, 0);
		assert_int_equal(d.tree.problem, PL_TREE_OK);
		tl_release(&d);
	}
}

/* node.h: root is NULL for an empty document. */
static void test_load__bare_document_marker_has_null_root(void **state)
{
	tl_doc d;

	(void)state;
	tl_load(&d, "---\n");
	assert_no_problem(&d);
	assert_int_equal(d.tree.ndocs, 1);
	assert_true(d.tree.docs[0].explicit_start);
	if (d.tree.docs[0].root)
		print_error("--- alone: root is a %s \"%s\", want NULL\n",
		            pl_node_kind_name(d.tree.docs[0].root->kind),
		            d.tree.docs[0].root->u.scalar.str);
	assert_null(d.tree.docs[0].root);
	tl_release(&d);
}

/* --- spans ------------------------------------------------------------ */

static void test_load__flow_collection_spans(void **state)
{
	tl_doc d;
	const pl_node *m, *s;
	int bad = 0;

	(void)state;
	tl_load(&d, "{a: [1, 2]}\n");
	assert_no_problem(&d);
	m = tl_root(&d, 0);
	assert_int_equal(m->kind, PL_NODE_MAPPING);
	assert_int_equal(m->style, PL_STYLE_FLOW);
	assert_int_equal(m->u.map.len, 1);
	s = val(m, "a");
	assert_int_equal(s->kind, PL_NODE_SEQUENCE);
	assert_int_equal(s->style, PL_STYLE_FLOW);
	assert_int_equal(s->u.seq.len, 2);
	span(&bad, "mapping", m, 1, 1, 0, 1, 12, 11);
	span(&bad, "key a", key_node(m, "a"), 1, 2, 1, 1, 3, 2);
	span(&bad, "sequence", s, 1, 5, 4, 1, 11, 10);
	span(&bad, "item 1", item(s, 0), 1, 6, 5, 1, 7, 6);
	span(&bad, "item 2", item(s, 1), 1, 9, 8, 1, 10, 9);
	assert_scalar(item(s, 0), PL_STYLE_PLAIN, PL_TYPE_INT, "1");
	assert_scalar(item(s, 1), PL_STYLE_PLAIN, PL_TYPE_INT, "2");
	tl_release(&d);
	assert_int_equal(bad, 0);
}

static void test_load__block_scalar_values_and_spans(void **state)
{
	tl_doc d;
	const pl_node *r;
	int bad = 0;

	(void)state;
	tl_load(&d, "lit: |\n  one\n  two\nfold: >\n  one\n  two\n\n"
	            "  three\nend: 1\n");
	assert_no_problem(&d);
	r = tl_root(&d, 0);
	assert_scalar(val(r, "lit"), PL_STYLE_LITERAL, PL_TYPE_STRING,
	              "one\ntwo\n");
	assert_scalar(val(r, "fold"), PL_STYLE_FOLDED, PL_TYPE_STRING,
	              "one two\nthree\n");
	/* from the indicator to just past the final line break */
	span(&bad, "literal", val(r, "lit"), 1, 6, 5, 4, 1, 19);
	span(&bad, "folded", val(r, "fold"), 4, 7, 25, 9, 1, 48);
	span(&bad, "key after", key_node(r, "end"), 9, 1, 48, 9, 4, 51);
	tl_release(&d);

	tl_load(&d, "strip: |-\n  s\nkeep: |+\n  k\n\nx: >-\n  a\n  b\n");
	assert_no_problem(&d);
	r = tl_root(&d, 0);
	assert_scalar(val(r, "strip"), PL_STYLE_LITERAL, PL_TYPE_STRING, "s");
	assert_scalar(val(r, "keep"), PL_STYLE_LITERAL, PL_TYPE_STRING,
	              "k\n\n");
	assert_scalar(val(r, "x"), PL_STYLE_FOLDED, PL_TYPE_STRING, "a b");
	tl_release(&d);
	assert_int_equal(bad, 0);
}

static void test_load__quoted_scalar_span_includes_quotes(void **state)
{
	tl_doc d;
	const pl_node *r;
	int bad = 0;

	(void)state;
	tl_load(&d, "a: \"q\"\nb: 'it''s'\nc: \"\\u00e9\\n\"\n\"k\": ''\n");
	assert_no_problem(&d);
	r = tl_root(&d, 0);
	assert_scalar(val(r, "a"), PL_STYLE_DOUBLE, PL_TYPE_STRING, "q");
	assert_scalar(val(r, "b"), PL_STYLE_SINGLE, PL_TYPE_STRING, "it's");
	assert_scalar(val(r, "c"), PL_STYLE_DOUBLE, PL_TYPE_STRING,
	              "\xc3\xa9\n");
	assert_scalar(val(r, "k"), PL_STYLE_SINGLE, PL_TYPE_STRING, "");
	assert_scalar(key_node(r, "k"), PL_STYLE_DOUBLE, PL_TYPE_STRING, "k");
	span(&bad, "\"q\"", val(r, "a"), 1, 4, 3, 1, 7, 6);
	span(&bad, "'it''s'", val(r, "b"), 2, 4, 10, 2, 11, 17);
	span(&bad, "\"\\u00e9\\n\"", val(r, "c"), 3, 4, 21, 3, 14, 31);
	span(&bad, "key \"k\"", key_node(r, "k"), 4, 1, 32, 4, 4, 35);
	span(&bad, "''", val(r, "k"), 4, 6, 37, 4, 8, 39);
	tl_release(&d);
	assert_int_equal(bad, 0);
}

static void test_load__crlf_positions(void **state)
{
	tl_doc d;
	const pl_node *r;
	int bad = 0;

	(void)state;
	tl_load(&d, "a: 1\r\nb: x\r\nc:\r\n  - \"y\"\r\n");
	assert_no_problem(&d);
	r = tl_root(&d, 0);
	span(&bad, "key a", key_node(r, "a"), 1, 1, 0, 1, 2, 1);
	span(&bad, "key b", key_node(r, "b"), 2, 1, 6, 2, 2, 7);
	span(&bad, "value x", val(r, "b"), 2, 4, 9, 2, 5, 10);
	span(&bad, "\"y\"", item(val(r, "c"), 0), 4, 5, 20, 4, 8, 23);
	assert_string_equal(pl_node_get_str(r, "b"), "x");
	tl_release(&d);
	assert_int_equal(bad, 0);
}

static void test_load__bom_is_not_a_column(void **state)
{
	tl_doc d;
	const pl_node *r;
	int bad = 0;

	(void)state;
	tl_load(&d, "\xef\xbb\xbf"
	            "a: 1\nb: 2\n");
	assert_no_problem(&d);
	r = tl_root(&d, 0);
	span(&bad, "key a", key_node(r, "a"), 1, 1, 3, 1, 2, 4);
	span(&bad, "value 1", val(r, "a"), 1, 4, 6, 1, 5, 7);
	span(&bad, "key b", key_node(r, "b"), 2, 1, 8, 2, 2, 9);
	assert_string_equal(key_node(r, "a")->u.scalar.str, "a");
	tl_release(&d);
	assert_int_equal(bad, 0);
}

static void test_load__tab_is_one_column(void **state)
{
	tl_doc d;
	const pl_node *r;
	int bad = 0;

	(void)state;
	tl_load(&d, "a: \"x\\ty\"\nb: x\ty\nc:\t\"z\"\n");
	assert_no_problem(&d);
	r = tl_root(&d, 0);
	assert_scalar(val(r, "a"), PL_STYLE_DOUBLE, PL_TYPE_STRING, "x\ty");
	assert_scalar(val(r, "b"), PL_STYLE_PLAIN, PL_TYPE_STRING, "x\ty");
	span(&bad, "\"x\\ty\"", val(r, "a"), 1, 4, 3, 1, 10, 9);
	span(&bad, "x<TAB>y", val(r, "b"), 2, 4, 13, 2, 7, 16);
	span(&bad, "\"z\" after a tab", val(r, "c"), 3, 4, 20, 3, 7, 23);
	tl_release(&d);
	assert_int_equal(bad, 0);
}

static void test_load__columns_count_code_points(void **state)
{
	tl_doc d;
	const pl_node *r, *m, *s;
	int bad = 0;

	(void)state;
	tl_load(&d, "\xc3\xa9: \xc3\xbcn\xc3\xaf\n");
	assert_no_problem(&d);
	r = tl_root(&d, 0);
	span(&bad, "key e-acute", key_node(r, "\xc3\xa9"), 1, 1, 0, 1, 2, 2);
	span(&bad, "value", val(r, "\xc3\xa9"), 1, 4, 4, 1, 7, 9);
	tl_release(&d);

	tl_load(&d, "- \xc3\xbc: [\xe2\x82\xac, \xf0\x9f\x98\x80]\n");
	assert_no_problem(&d);
	m = item(tl_root(&d, 0), 0);
	s = val(m, "\xc3\xbc");
	span(&bad, "key u-umlaut", key_node(m, "\xc3\xbc"), 1, 3, 2, 1, 4, 4);
	span(&bad, "flow sequence", s, 1, 6, 6, 1, 12, 17);
	span(&bad, "euro", item(s, 0), 1, 7, 7, 1, 8, 10);
	span(&bad, "emoji", item(s, 1), 1, 10, 12, 1, 11, 16);
	tl_release(&d);
	assert_int_equal(bad, 0);
}

/*
 * pos.h: a span ends just past its last character. A block collection's
 * last character is that of its last node, not the next key below it
 * (nor a comment line in between).
 */
static void test_load__block_collection_ends_after_last_node(void **state)
{
	tl_doc d;
	const pl_node *r;
	int bad = 0;

	(void)state;
	tl_load(&d, "a:\n  b: 1\n# c\nc: 2\n");
	assert_no_problem(&d);
	r = tl_root(&d, 0);
	span(&bad, "inner block mapping", val(r, "a"), 2, 3, 5, 2, 7, 9);
	tl_release(&d);

	tl_load(&d, "- a\n- b\n\n");
	assert_no_problem(&d);
	span(&bad, "top block sequence", tl_root(&d, 0), 1, 1, 0, 2, 4, 7);
	tl_release(&d);
	assert_int_equal(bad, 0);
}

/* --- kinds, types, tags ----------------------------------------------- */

static void test_load__kinds_styles_and_types(void **state)
{
	tl_doc d;
	const pl_node *r;

	(void)state;
	tl_load(&d, "s: text here\nn: ~\ne:\nb: true\ni: -42\nf: 1.5\n"
	            "q: '42'\nl: [x]\nbl:\n  - y\nm: {}\n");
	assert_no_problem(&d);
	r = tl_root(&d, 0);
	assert_int_equal(r->kind, PL_NODE_MAPPING);
	assert_int_equal(r->style, PL_STYLE_BLOCK);
	assert_int_equal(r->u.map.len, 10);
	assert_scalar(val(r, "s"), PL_STYLE_PLAIN, PL_TYPE_STRING, "text here");
	assert_scalar(val(r, "n"), PL_STYLE_PLAIN, PL_TYPE_NULL, "~");
	assert_scalar(val(r, "e"), PL_STYLE_PLAIN, PL_TYPE_NULL, "");
	assert_scalar(val(r, "b"), PL_STYLE_PLAIN, PL_TYPE_BOOL, "true");
	assert_true(val(r, "b")->u.scalar.b);
	assert_scalar(val(r, "i"), PL_STYLE_PLAIN, PL_TYPE_INT, "-42");
	assert_int_equal(val(r, "i")->u.scalar.i, -42);
	assert_scalar(val(r, "f"), PL_STYLE_PLAIN, PL_TYPE_FLOAT, "1.5");
	assert_true(val(r, "f")->u.scalar.f == 1.5);
	assert_scalar(val(r, "q"), PL_STYLE_SINGLE, PL_TYPE_STRING, "42");
	assert_int_equal(val(r, "l")->kind, PL_NODE_SEQUENCE);
	assert_int_equal(val(r, "l")->style, PL_STYLE_FLOW);
	assert_int_equal(val(r, "bl")->kind, PL_NODE_SEQUENCE);
	assert_int_equal(val(r, "bl")->style, PL_STYLE_BLOCK);
	assert_int_equal(val(r, "m")->kind, PL_NODE_MAPPING);
	assert_int_equal(val(r, "m")->u.map.len, 0);
	assert_null(val(r, "s")->tag);
	assert_null(val(r, "s")->anchor);
	/* 1 mapping + 10 keys + 7 scalar values + 2 sequences + 2 items
	 * + 1 empty mapping */
	assert_int_equal(d.tree.nnodes, 23);
	tl_release(&d);
}

static void test_load__tags(void **state)
{
	tl_doc d;
	const pl_node *r;

	(void)state;
	tl_load(&d, "a: !!str 1\nb: !env_var X\nc: !!int \"2\"\n"
	            "d: !Ref 3\ne: !!map {k: v}\nf: !seq [1]\n");
	assert_no_problem(&d);
	r = tl_root(&d, 0);
	assert_scalar(val(r, "a"), PL_STYLE_PLAIN, PL_TYPE_STRING, "1");
	assert_string_equal(val(r, "a")->tag, "tag:yaml.org,2002:str");
	assert_true(val(r, "a")->flags & PL_NODE_TAGGED);
	assert_scalar(val(r, "b"), PL_STYLE_PLAIN, PL_TYPE_STRING, "X");
	assert_string_equal(val(r, "b")->tag, "!env_var");
	assert_scalar(val(r, "c"), PL_STYLE_DOUBLE, PL_TYPE_INT, "2");
	assert_int_equal(val(r, "c")->u.scalar.i, 2);
	/* an unknown tag keeps the untagged resolution */
	assert_scalar(val(r, "d"), PL_STYLE_PLAIN, PL_TYPE_INT, "3");
	assert_string_equal(val(r, "d")->tag, "!Ref");
	assert_string_equal(val(r, "e")->tag, "tag:yaml.org,2002:map");
	assert_int_equal(val(r, "e")->kind, PL_NODE_MAPPING);
	assert_string_equal(val(r, "f")->tag, "!seq");
	tl_release(&d);
}

/* --- anchors and aliases ---------------------------------------------- */

static void test_load__alias_has_own_span_and_target(void **state)
{
	tl_doc d;
	const pl_node *r, *target, *alias;
	int bad = 0;

	(void)state;
	tl_load(&d, "a: &x 1\nb: *x\nc: &m {k: v}\nd: *m\n");
	assert_no_problem(&d);
	r = tl_root(&d, 0);
	target = val(r, "a");
	alias = val(r, "b");
	assert_string_equal(target->anchor, "x");
	assert_int_equal(alias->kind, PL_NODE_ALIAS);
	assert_string_equal(alias->u.alias.name, "x");
	assert_ptr_equal(alias->u.alias.target, target);
	assert_ptr_equal(pl_node_deref(alias), target);
	assert_ptr_equal(pl_node_get(r, "b"), target);
	/* the anchored node's span starts at its anchor */
	span(&bad, "&x 1", target, 1, 4, 3, 1, 8, 7);
	span(&bad, "*x", alias, 2, 4, 11, 2, 6, 13);
	assert_ptr_equal(val(r, "d")->u.alias.target, val(r, "c"));
	assert_string_equal(val(r, "c")->anchor, "m");
	assert_string_equal(pl_node_get_str(pl_node_get(r, "d"), "k"), "v");
	tl_release(&d);
	assert_int_equal(bad, 0);
}

static void test_load__undefined_alias_is_a_syntax_problem(void **state)
{
	tl_doc d;

	(void)state;
	tl_load(&d, "a: 1\nb: *nope\n");
	assert_int_equal(d.tree.problem, PL_TREE_SYNTAX);
	assert_non_null(d.tree.message);
	assert_string_equal(d.tree.message,
	                    "alias *nope refers to no anchor defined before "
	                    "it");
	assert_true(tl_pos_is("where", &d.tree.where, 2, 4, 8));
	assert_int_equal(d.tree.ndocs, 0);
	tl_release(&d);

	/* anchors do not reach into the next document */
	tl_load(&d, "a: &x 1\n---\nb: *x\n");
	assert_int_equal(d.tree.problem, PL_TREE_SYNTAX);
	assert_non_null(strstr(d.tree.message, "*x"));
	assert_int_equal(d.tree.ndocs, 1);
	assert_string_equal(pl_node_get_str(tl_root(&d, 0), "a"), "1");
	tl_release(&d);

	/* an alias before its anchor */
	tl_load(&d, "a: *x\nb: &x 1\n");
	assert_int_equal(d.tree.problem, PL_TREE_SYNTAX);
	assert_true(tl_pos_is("where", &d.tree.where, 1, 4, 3));
	tl_release(&d);
}

static void test_load__recursive_alias_is_undefined(void **state)
{
	tl_doc d;

	(void)state;
	tl_load(&d, "&a [*a]\n");
	assert_int_equal(d.tree.problem, PL_TREE_SYNTAX);
	assert_non_null(strstr(d.tree.message, "*a"));
	assert_true(tl_pos_is("where", &d.tree.where, 1, 5, 4));
	assert_int_equal(d.tree.ndocs, 0);
	tl_release(&d);

	tl_load(&d, "m: &m\n  self: *m\n");
	assert_int_equal(d.tree.problem, PL_TREE_SYNTAX);
	assert_non_null(strstr(d.tree.message, "*m"));
	tl_release(&d);
}

static void test_load__redefined_anchor_later_alias_sees_newest(void **state)
{
	tl_doc d;
	const pl_node *r;

	(void)state;
	tl_load(&d, "a: &x one\nb: *x\nc: &x two\nd: *x\n");
	assert_no_problem(&d);
	r = tl_root(&d, 0);
	assert_ptr_equal(val(r, "b")->u.alias.target, val(r, "a"));
	assert_ptr_equal(val(r, "d")->u.alias.target, val(r, "c"));
	assert_string_equal(pl_node_get_str(r, "b"), "one");
	assert_string_equal(pl_node_get_str(r, "d"), "two");
	tl_release(&d);
}

/* --- merge keys ------------------------------------------------------- */

static void test_load__merge_one_mapping(void **state)
{
	tl_doc d;
	const pl_node *r, *m;
	const pl_pair *p;
	int bad = 0;

	(void)state;
	tl_load(&d, "base: &base {a: 1, b: 2}\nm:\n  <<: *base\n  b: 3\n");
	assert_no_problem(&d);
	r = tl_root(&d, 0);
	m = val(r, "m");
	assert_true(m->flags & PL_NODE_HAS_MERGE);
	assert_false(val(r, "base")->flags & PL_NODE_HAS_MERGE);
	/* explicit pairs first, then merged ones; no `<<` pair left */
	assert_int_equal(m->u.map.len, 2);
	assert_string_equal(m->u.map.pairs[0].key->u.scalar.str, "b");
	assert_int_equal(m->u.map.pairs[0].flags, 0);
	assert_string_equal(m->u.map.pairs[1].key->u.scalar.str, "a");
	assert_int_equal(m->u.map.pairs[1].flags, PL_PAIR_MERGED);
	assert_null(pl_node_get_pair(m, "<<"));
	/* the explicit key overrides the merged one */
	assert_string_equal(pl_node_get_str(m, "b"), "3");
	assert_string_equal(pl_node_get_str(m, "a"), "1");
	p = pl_node_get_pair(m, "a");
	assert_ptr_equal(p->value,
	                 pl_node_get_pair(val(r, "base"), "a")->value);
	/* the `<<` pair as written, for positions */
	assert_int_equal(m->u.map.nmerge, 1);
	assert_string_equal(m->u.map.merge[0].key->u.scalar.str, "<<");
	assert_int_equal(m->u.map.merge[0].value->kind, PL_NODE_ALIAS);
	span(&bad, "<< key", m->u.map.merge[0].key, 3, 3, 30, 3, 5, 32);
	span(&bad, "*base", m->u.map.merge[0].value, 3, 7, 34, 3, 12, 39);
	tl_release(&d);
	assert_int_equal(bad, 0);
}

static void test_load__merge_sequence_earlier_wins(void **state)
{
	tl_doc d;
	const pl_node *m;
	size_t i, merged = 0;

	(void)state;
	tl_load(&d, "a: &a {x: 1, y: 1}\nb: &b {x: 2, z: 2}\nm:\n"
	            "  y: 0\n  <<: [*a, *b]\n  w: 0\n");
	assert_no_problem(&d);
	m = val(tl_root(&d, 0), "m");
	assert_true(m->flags & PL_NODE_HAS_MERGE);
	assert_int_equal(m->u.map.len, 4);
	assert_string_equal(pl_node_get_str(m, "x"), "1"); /* from *a */
	assert_string_equal(pl_node_get_str(m, "y"), "0"); /* explicit */
	assert_string_equal(pl_node_get_str(m, "z"), "2"); /* from *b */
	assert_string_equal(pl_node_get_str(m, "w"), "0");
	for (i = 0; i < m->u.map.len; i++) {
		const pl_pair *p = &m->u.map.pairs[i];
		bool explicit_key = pl_node_is_str(p->key, "y") ||
		                    pl_node_is_str(p->key, "w");
		if (p->flags & PL_PAIR_MERGED)
			merged++;
		assert_int_equal((p->flags & PL_PAIR_MERGED) != 0,
		                 !explicit_key);
	}
	assert_int_equal(merged, 2);
	assert_int_equal(m->u.map.nmerge, 1);
	assert_int_equal(m->u.map.merge[0].value->kind, PL_NODE_SEQUENCE);
	tl_release(&d);
}

static void test_load__merge_of_merged_mapping_and_non_mapping(void **state)
{
	tl_doc d;
	const pl_node *r, *m;

	(void)state;
	/* a merged mapping that itself merges passes its pairs on */
	tl_load(&d, "a: &a {x: 1}\nb: &b\n  <<: *a\n  y: 2\nc:\n  <<: *b\n");
	assert_no_problem(&d);
	r = tl_root(&d, 0);
	m = val(r, "c");
	assert_int_equal(m->u.map.len, 2);
	assert_string_equal(pl_node_get_str(m, "x"), "1");
	assert_string_equal(pl_node_get_str(m, "y"), "2");
	tl_release(&d);

	/* `<<` on a scalar, or a quoted "<<", is an ordinary pair */
	tl_load(&d, "m:\n  <<: 1\n  k: v\nq:\n  \"<<\": {a: 1}\n");
	assert_no_problem(&d);
	r = tl_root(&d, 0);
	m = val(r, "m");
	assert_false(m->flags & PL_NODE_HAS_MERGE);
	assert_int_equal(m->u.map.len, 2);
	assert_int_equal(m->u.map.nmerge, 0);
	assert_string_equal(pl_node_get_str(m, "<<"), "1");
	m = val(r, "q");
	assert_false(m->flags & PL_NODE_HAS_MERGE);
	assert_int_equal(m->u.map.len, 1);
	assert_null(pl_node_get(m, "a"));
	tl_release(&d);
}

/* --- duplicate keys --------------------------------------------------- */

static void test_load__duplicate_keys_are_listed(void **state)
{
	tl_doc d;
	const pl_node *r;

	(void)state;
	tl_load(&d, "a: 1\n\"a\": 2\n1: x\n\"1\": y\n~: n\nnull: m\n"
	            "0x10: h\n16: s\n");
	assert_no_problem(&d);
	r = tl_root(&d, 0);
	assert_int_equal(d.tree.ndups, 3);
	/* plain a and quoted "a" are the same string */
	assert_ptr_equal(d.tree.dups[0].key, r->u.map.pairs[1].key);
	assert_ptr_equal(d.tree.dups[0].first, r->u.map.pairs[0].key);
	assert_int_equal(d.tree.dups[0].key->span.start.line, 2);
	assert_int_equal(r->u.map.pairs[1].flags, PL_PAIR_DUPLICATE);
	/* the int 1 and the string "1" differ */
	assert_int_equal(r->u.map.pairs[3].flags, 0);
	/* ~ and null are both null */
	assert_ptr_equal(d.tree.dups[1].key, r->u.map.pairs[5].key);
	assert_ptr_equal(d.tree.dups[1].first, r->u.map.pairs[4].key);
	/* 0x10 and 16 are the same int */
	assert_ptr_equal(d.tree.dups[2].key, r->u.map.pairs[7].key);
	assert_ptr_equal(d.tree.dups[2].first, r->u.map.pairs[6].key);
	/* the last of duplicate keys wins for lookups */
	assert_string_equal(pl_node_get_str(r, "a"), "2");
	tl_release(&d);

	/* a key three times: both repeats point at the first */
	tl_load(&d, "k: 1\nk: 2\nk: 3\n");
	r = tl_root(&d, 0);
	assert_int_equal(d.tree.ndups, 2);
	assert_ptr_equal(d.tree.dups[0].first, r->u.map.pairs[0].key);
	assert_ptr_equal(d.tree.dups[1].key, r->u.map.pairs[2].key);
	assert_ptr_equal(d.tree.dups[1].first, r->u.map.pairs[0].key);
	tl_release(&d);
}

static void test_load__duplicate_keys_in_large_mapping(void **state)
{
	pl_buf b;
	tl_doc d;
	const pl_node *r;
	int i;

	(void)state;
	pl_buf_init(&b, 0);
	for (i = 0; i < 20; i++)
		pl_buf_addf(&b, "k%d: %d\n", i, i);
	pl_buf_adds(&b, "k3: again\n\"k7\": q\n1: int\n\"1\": str\n0x1: hex\n"
	                "k3: thrice\n");
	tl_load(&d, b.ptr);
	assert_no_problem(&d);
	r = tl_root(&d, 0);
	assert_int_equal(r->u.map.len, 26);
	assert_int_equal(d.tree.ndups, 4);
	/* k3 (line 21) repeats line 4 */
	assert_ptr_equal(d.tree.dups[0].key, r->u.map.pairs[20].key);
	assert_ptr_equal(d.tree.dups[0].first, r->u.map.pairs[3].key);
	/* quoted "k7" repeats plain k7 */
	assert_ptr_equal(d.tree.dups[1].key, r->u.map.pairs[21].key);
	assert_ptr_equal(d.tree.dups[1].first, r->u.map.pairs[7].key);
	/* 0x1 repeats the int 1, not the string "1" */
	assert_ptr_equal(d.tree.dups[2].key, r->u.map.pairs[24].key);
	assert_ptr_equal(d.tree.dups[2].first, r->u.map.pairs[22].key);
	assert_int_equal(r->u.map.pairs[23].flags, 0);
	/* the third k3 still points at the first one */
	assert_ptr_equal(d.tree.dups[3].key, r->u.map.pairs[25].key);
	assert_ptr_equal(d.tree.dups[3].first, r->u.map.pairs[3].key);
	assert_int_equal(d.tree.dups[3].first->span.start.line, 4);
	tl_release(&d);
	pl_buf_release(&b);
}

/* --- syntax errors ---------------------------------------------------- */

static void test_load__syntax_error_position_and_message(void **state)
{
	static const struct {
		const char *yaml;
		uint32_t line, col;
		size_t offset;
		const char *message;
	} cases[] = {
	        {"a: b: c\n", 1, 5, 4,
	         "mapping values are not allowed in this context"},
	        {"key: value\n  bad: indent\n", 2, 6, 16,
	         "mapping values are not allowed in this context"},
	        {"{a: 1 b: 2}\n", 1, 8, 7,
	         "did not find expected ',' or '}' (while parsing a flow "
	         "mapping at line 1 column 1)"},
	        {"a:\n  - 1\n - 2\n", 3, 2, 10,
	         "did not find expected key (while parsing a block mapping "
	         "at line 1 column 1)"},
	        /* cut off by the end of the stream: where it starts */
	        {"a: [1, 2\n", 1, 4, 3,
	         "did not find expected ',' or ']' (while parsing a flow "
	         "sequence that starts here)"},
	        {"a: \"open\n", 1, 4, 3,
	         "found unexpected end of stream (while scanning a quoted "
	         "scalar that starts here)"},
	        {"\xc3\xa9: \xc3\xa9: x\n", 1, 5, 6,
	         "mapping values are not allowed in this context"},
	        {"a: \xff\n", 1, 4, 3,
	         "invalid leading UTF-8 octet (byte 0xff)"},
	};
	size_t i, failed = 0;

	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		tl_doc d;
		bool ok;

		tl_load(&d, cases[i].yaml);
		ok = d.tree.problem == PL_TREE_SYNTAX && d.tree.ndocs == 0 &&
		     d.tree.message &&
		     strcmp(d.tree.message, cases[i].message) == 0;
		if (!ok)
			print_error("case %zu: problem %d, %zu docs, \"%s\"; "
			            "want syntax, 0 docs, \"%s\"\n",
			            i, (int)d.tree.problem, d.tree.ndocs,
			            d.tree.message ? d.tree.message : "",
			            cases[i].message);
		if (!tl_pos_is("where", &d.tree.where, cases[i].line,
		               cases[i].col, cases[i].offset))
			ok = false;
		if (!ok)
			failed++;
		tl_release(&d);
	}
	if (failed) {
		print_error("%zu of %zu cases failed\n", failed,
		            PL_ARRAY_SIZE(cases));
		fail();
	}
}

static void test_load__documents_before_an_error_are_kept(void **state)
{
	tl_doc d;

	(void)state;
	tl_load(&d, "a: 1\n---\nb: 2\n---\nc: d: e\n");
	assert_int_equal(d.tree.problem, PL_TREE_SYNTAX);
	assert_true(tl_pos_is("where", &d.tree.where, 5, 5, 22));
	assert_int_equal(d.tree.ndocs, 2);
	assert_string_equal(pl_node_get_str(tl_root(&d, 0), "a"), "1");
	assert_string_equal(pl_node_get_str(tl_root(&d, 1), "b"), "2");
	tl_release(&d);
}

/* --- limits ----------------------------------------------------------- */

static void test_load__alias_bomb_stops_with_limit(void **state)
{
	pl_buf b;
	tl_doc d;
	char prev = 'a', c;
	int i;

	(void)state;
	pl_buf_init(&b, 0);
	pl_buf_adds(&b, "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, "
	                "lol]\n");
	for (c = 'b'; c <= 'i'; c++) {
		pl_buf_addf(&b, "%c: &%c [", c, c);
		for (i = 0; i < 9; i++)
			pl_buf_addf(&b, "%s*%c", i ? ", " : "", prev);
		pl_buf_adds(&b, "]\n");
		prev = c;
	}
	tl_load(&d, b.ptr);
	assert_int_equal(d.tree.problem, PL_TREE_LIMIT);
	assert_non_null(strstr(d.tree.message, "alias"));
	assert_int_equal(d.tree.ndocs, 0);
	assert_true(d.tree.where.line >= 2);
	tl_release(&d);
	pl_buf_release(&b);
}

static void test_load__alias_expansion_budget_is_exact(void **state)
{
	pl_limits limits;
	tl_doc d;
	const char *ok = "a: &a [1, 2, 3]\nb: [*a, *a]\n";
	const char *over = "a: &a [1, 2, 3]\nb: [*a, *a, *a]\n";

	(void)state;
	pl_limits_default(&limits);
	limits.max_alias_expansion = 10; /* each *a expands to 4 nodes */
	tl_load_n(&d, ok, strlen(ok), &limits);
	assert_no_problem(&d);
	assert_int_equal(d.tree.ndocs, 1);
	tl_release(&d);

	tl_load_n(&d, over, strlen(over), &limits);
	assert_int_equal(d.tree.problem, PL_TREE_LIMIT);
	assert_true(tl_pos_is("third *a", &d.tree.where, 2, 13, 28));
	assert_int_equal(d.tree.ndocs, 0);
	tl_release(&d);
}

static void test_load__nesting_deeper_than_max_depth(void **state)
{
	pl_limits limits;
	tl_doc d;
	char deep[700];

	(void)state;
	pl_limits_default(&limits);
	limits.max_depth = 3;
	tl_load_n(&d, "[[[1]]]\n", 8, &limits);
	assert_no_problem(&d);
	assert_int_equal(d.tree.ndocs, 1);
	tl_release(&d);

	tl_load_n(&d, "[[[[1]]]]\n", 10, &limits);
	assert_int_equal(d.tree.problem, PL_TREE_LIMIT);
	assert_true(tl_pos_is("fourth [", &d.tree.where, 1, 4, 3));
	assert_int_equal(d.tree.ndocs, 0);
	tl_release(&d);

	/* block nesting counts the same */
	tl_load_n(&d, "a:\n b:\n  c:\n   d: 1\n", 20, &limits);
	assert_int_equal(d.tree.problem, PL_TREE_LIMIT);
	assert_true(tl_pos_is("fourth mapping", &d.tree.where, 4, 4, 15));
	tl_release(&d);

	/* the default depth */
	memset(deep, '[', 300);
	memset(deep + 300, ']', 300);
	deep[600] = '\n';
	pl_limits_default(&limits);
	tl_load_n(&d, deep, 601, &limits);
	assert_int_equal(d.tree.problem, PL_TREE_LIMIT);
	assert_true(tl_pos_is("bracket 257", &d.tree.where, 1, 257, 256));
	assert_non_null(strstr(d.tree.message, "256"));
	tl_release(&d);
}

static void test_load__max_documents(void **state)
{
	pl_limits limits;
	tl_doc d;
	const char *three = "a: 1\n---\nb: 2\n---\nc: 3\n";

	(void)state;
	pl_limits_default(&limits);
	limits.max_documents = 3;
	tl_load_n(&d, three, strlen(three), &limits);
	assert_no_problem(&d);
	assert_int_equal(d.tree.ndocs, 3);
	tl_release(&d);

	limits.max_documents = 2;
	tl_load_n(&d, three, strlen(three), &limits);
	assert_int_equal(d.tree.problem, PL_TREE_LIMIT);
	assert_int_equal(d.tree.ndocs, 2);
	assert_true(tl_pos_is("third ---", &d.tree.where, 4, 1, 14));
	assert_string_equal(pl_node_get_str(tl_root(&d, 1), "b"), "2");
	tl_release(&d);
}

static void test_load__max_nodes(void **state)
{
	pl_limits limits;
	tl_doc d;

	(void)state;
	pl_limits_default(&limits);
	limits.max_nodes = 4;
	tl_load_n(&d, "[1, 2, 3]\n", 10, &limits);
	assert_no_problem(&d);
	assert_int_equal(d.tree.nnodes, 4);
	tl_release(&d);

	tl_load_n(&d, "[1, 2, 3, 4]\n", 13, &limits);
	assert_int_equal(d.tree.problem, PL_TREE_LIMIT);
	assert_true(tl_pos_is("fifth node", &d.tree.where, 1, 11, 10));
	assert_int_equal(d.tree.ndocs, 0);
	tl_release(&d);
}

/* Counts the nodes of a and b whose spans differ (walked in step). */
static int spans_differ(const pl_node *a, const pl_node *b)
{
	int bad = 0;
	size_t i;

	if (!a || !b)
		return a != b;
	if (a->kind != b->kind)
		return 1;
	if (memcmp(&a->span, &b->span, sizeof(a->span)) != 0) {
		print_error("%u:%u@%u-%u:%u@%u vs %u:%u@%u-%u:%u@%u\n",
		            a->span.start.line, a->span.start.col,
		            a->span.start.offset, a->span.end.line,
		            a->span.end.col, a->span.end.offset,
		            b->span.start.line, b->span.start.col,
		            b->span.start.offset, b->span.end.line,
		            b->span.end.col, b->span.end.offset);
		bad++;
	}
	if (a->kind == PL_NODE_SEQUENCE) {
		if (a->u.seq.len != b->u.seq.len)
			return bad + 1;
		for (i = 0; i < a->u.seq.len; i++)
			bad += spans_differ(a->u.seq.items[i],
			                    b->u.seq.items[i]);
	} else if (a->kind == PL_NODE_MAPPING) {
		if (a->u.map.len != b->u.map.len)
			return bad + 1;
		for (i = 0; i < a->u.map.len; i++) {
			bad += spans_differ(a->u.map.pairs[i].key,
			                    b->u.map.pairs[i].key);
			bad += spans_differ(a->u.map.pairs[i].value,
			                    b->u.map.pairs[i].value);
		}
	}
	return bad;
}

/*
 * An ASCII file takes the loader's short way from libyaml's marks to
 * positions (a column is a byte); any other byte in the file sends every
 * mark through pl_source_pos. The two must agree: each case is loaded
 * as is and with a comment line holding a non-ASCII character appended,
 * and every node's span must be the same in both trees.
 */
static void test_load__ascii_positions_equal_the_utf8_walk(void **state)
{
	static const char *const cases[] = {
	        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
	        "  labels: {a: b, c: \"d\"}\ndata:\n  k: |\n    one\n"
	        "    two\n  q: 'it''s'\n  list:\n    - 1\n    - [2, 3]\n"
	        "    - &a {x: y}\n    - *a\n",
	        "a: 1\r\nb:\r\n  - x   # note\r\n  - \"y\r\n  z\"\r\n",
	        "a: 1\rb:\r  - x\r  - y\r",
	        "k:\tplain\n  continued\n\tt: >-\n  folded\n  text\n",
	        "---\na: 1\n...\n--- !!map\n? [x]\n: y\n",
	        "- a\n- b: [c, {d: e}]\n  f: g\n",
	};
	size_t i;
	int bad = 0;
	pl_limits limits;

	(void)state;
	pl_limits_default(&limits);
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		tl_doc a, b;
		pl_buf other;
		size_t d;

		pl_buf_init(&other, 0);
		pl_buf_add(&other, cases[i], strlen(cases[i]));
		pl_buf_add(&other, "\n# caf\xc3\xa9\n", 9);
		tl_load(&a, cases[i]);
		tl_load_n(&b, other.ptr, other.len, &limits);
		if (a.tree.ndocs != b.tree.ndocs) {
			print_error("case %zu: %zu vs %zu documents\n", i,
			            a.tree.ndocs, b.tree.ndocs);
			bad++;
		}
		for (d = 0; d < a.tree.ndocs && d < b.tree.ndocs; d++) {
			int n = spans_differ(a.tree.docs[d].root,
			                     b.tree.docs[d].root);
			if (n)
				print_error("case %zu, document %zu: %d\n", i,
				            d, n);
			bad += n;
		}
		tl_release(&a);
		tl_release(&b);
		pl_buf_release(&other);
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_load__multi_document_stream),
	        cmocka_unit_test(
	                test_load__dashes_in_literal_block_do_not_split),
	        cmocka_unit_test(test_load__empty_streams),
	        cmocka_unit_test(test_load__bare_document_marker_has_null_root),
	        cmocka_unit_test(test_load__flow_collection_spans),
	        cmocka_unit_test(test_load__block_scalar_values_and_spans),
	        cmocka_unit_test(test_load__quoted_scalar_span_includes_quotes),
	        cmocka_unit_test(test_load__crlf_positions),
	        cmocka_unit_test(test_load__bom_is_not_a_column),
	        cmocka_unit_test(test_load__tab_is_one_column),
	        cmocka_unit_test(test_load__columns_count_code_points),
	        cmocka_unit_test(
	                test_load__block_collection_ends_after_last_node),
	        cmocka_unit_test(test_load__kinds_styles_and_types),
	        cmocka_unit_test(test_load__tags),
	        cmocka_unit_test(test_load__alias_has_own_span_and_target),
	        cmocka_unit_test(
	                test_load__undefined_alias_is_a_syntax_problem),
	        cmocka_unit_test(test_load__recursive_alias_is_undefined),
	        cmocka_unit_test(
	                test_load__redefined_anchor_later_alias_sees_newest),
	        cmocka_unit_test(test_load__merge_one_mapping),
	        cmocka_unit_test(test_load__merge_sequence_earlier_wins),
	        cmocka_unit_test(
	                test_load__merge_of_merged_mapping_and_non_mapping),
	        cmocka_unit_test(test_load__duplicate_keys_are_listed),
	        cmocka_unit_test(test_load__duplicate_keys_in_large_mapping),
	        cmocka_unit_test(test_load__syntax_error_position_and_message),
	        cmocka_unit_test(test_load__documents_before_an_error_are_kept),
	        cmocka_unit_test(test_load__alias_bomb_stops_with_limit),
	        cmocka_unit_test(test_load__alias_expansion_budget_is_exact),
	        cmocka_unit_test(test_load__nesting_deeper_than_max_depth),
	        cmocka_unit_test(test_load__max_documents),
	        cmocka_unit_test(test_load__max_nodes),
	        cmocka_unit_test(
	                test_load__ascii_positions_equal_the_utf8_walk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
