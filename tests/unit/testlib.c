/*
 * testlib.c - see testlib.h.
 */
#include "testlib.h"

void tl_source(pl_source *src, const char *text, size_t len)
{
	char *data = malloc(len + 1);

	assert_non_null(data);
	if (len)
		memcpy(data, text, len);
	data[len] = '\0';
	pl_source_init(src);
	src->kind = PL_SOURCE_YAML;
	pl_source_set_data(src, "test.yaml", data, len);
}

void tl_load_n(tl_doc *out, const char *yaml, size_t len,
               const pl_limits *limits)
{
	tl_source(&out->src, yaml, len);
	pl_arena_init(&out->arena);
	assert_int_equal(
	        pl_tree_load(&out->tree, &out->arena, &out->src, limits), 0);
}

void tl_load(tl_doc *out, const char *yaml)
{
	pl_limits limits;

	pl_limits_default(&limits);
	tl_load_n(out, yaml, strlen(yaml), &limits);
}

void tl_release(tl_doc *d)
{
	if (!d)
		return;
	pl_arena_release(&d->arena);
	pl_source_release(&d->src);
}

const pl_node *tl_root(const tl_doc *d, size_t i)
{
	if (i >= d->tree.ndocs) {
		print_error("document %zu wanted, the stream has %zu "
		            "(problem %d: %s)\n",
		            i, d->tree.ndocs, (int)d->tree.problem,
		            d->tree.message ? d->tree.message : "none");
		fail();
	}
	return d->tree.docs[i].root;
}

bool tl_pos_is(const char *what, const pl_pos *p, uint32_t line, uint32_t col,
               size_t offset)
{
	if (p->line == line && p->col == col && p->offset == offset)
		return true;
	print_error("%s: pos %u:%u@%zu, want %u:%u@%zu\n", what, p->line,
	            p->col, (size_t)p->offset, line, col, offset);
	return false;
}

bool tl_span_is(const char *what, const pl_span *s, uint32_t sl, uint32_t sc,
                size_t so, uint32_t el, uint32_t ec, size_t eo)
{
	if (s->start.line == sl && s->start.col == sc &&
	    s->start.offset == so && s->end.line == el && s->end.col == ec &&
	    s->end.offset == eo)
		return true;
	print_error("%s: span %u:%u@%zu-%u:%u@%zu, want %u:%u@%zu-%u:%u@%zu\n",
	            what, s->start.line, s->start.col, (size_t)s->start.offset,
	            s->end.line, s->end.col, (size_t)s->end.offset, sl, sc, so,
	            el, ec, eo);
	return false;
}
