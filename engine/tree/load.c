/*
 * load.c - libyaml events to the typed tree (the only <yaml.h> user).
 *
 * The event grammar (YAML 1.2.2 §3.1, libyaml's yaml_parser_parse):
 *
 *   stream   := STREAM-START document* STREAM-END
 *   document := DOCUMENT-START node? DOCUMENT-END
 *   node     := ALIAS | SCALAR | SEQUENCE-START node* SEQUENCE-END
 *             | MAPPING-START (node node)* MAPPING-END
 *
 * Collections under construction are frames on a stack; their children
 * are pushed on one shared child stack and copied into an arena array
 * when the collection ends, so there is no malloc per node. libyaml's
 * conventions are adapted here once: its 1/0 returns, its 0-based marks
 * (converted through the source's line index, see pos.h), its problem and
 * context strings.
 *
 * Aliases: an anchor becomes visible when its node is complete, so an
 * alias to an enclosing node (a cycle) is an unknown alias. Each node's
 * weight counts the nodes reachable from it with aliases expanded; the
 * sum of the weights reached through aliases is bounded by
 * limits->max_alias_expansion, which stops billion-laughs inputs.
 * A re-defined anchor replaces the earlier one for later aliases (YAML
 * 1.2.2 §3.2.2.2), as Kubernetes' decoders do.
 */
#include "tree/load.h"
#include "tree/comment.h"
#include "tree/scalar.h"
#include "base/map.h"
#include "base/vec.h"
#include "base/xalloc.h"

#include <yaml.h>

typedef struct anchor {
	pl_node *node;
	uint64_t weight;
} anchor;

typedef struct frame {
	pl_node *node;
	size_t base;     /* first child on the child stack */
	uint64_t weight; /* 1 + the weights of the children so far */
	const char *anchor;
} frame;

typedef struct loader {
	pl_tree *tree;
	pl_arena *arena;
	const pl_source *src;
	const pl_limits *limits;
	yaml_parser_t parser;
	pl_vec frames;     /* frame */
	pl_vec children;   /* pl_node * */
	pl_vec docs;       /* pl_doc */
	pl_vec dups;       /* pl_dup */
	pl_vec bad_merges; /* pl_bad_merge */
	pl_vec spans;      /* size_t pairs: scalar start, end offsets */
	pl_map anchors;    /* name -> anchor */
	pl_pos hint;       /* last mark conversion, see pl_source_pos */
	bool ascii;        /* the source has no byte above 0x7f */
	uint64_t expanded;
	pl_doc *doc; /* current document, or NULL */
	pl_pos doc_start;
	bool doc_explicit;
	bool stop;
} loader;

/*
 * In an ASCII source a column is a byte, so a mark inside its line's
 * text is the line's start plus the column: what pl_source_pos would
 * walk to, without the walk. Anything else (UTF-8, a mark past the text
 * of its line or past the last line) takes pl_source_pos.
 */
static pl_pos mark_pos(loader *l, yaml_mark_t m)
{
	const pl_source *src = l->src;

	if (l->ascii && m.line < src->nlines) {
		size_t tlen;
		pl_source_line(src, (uint32_t)m.line + 1, &tlen);
		if (m.column <= tlen) {
			pl_pos p;
			p.line = (uint32_t)m.line + 1;
			p.col = (uint32_t)m.column + 1;
			p.offset = (uint32_t)(src->lines[m.line] + m.column);
			l->hint = p;
			return p;
		}
	}
	return pl_source_pos(src, m.line, m.column, &l->hint);
}

/* No byte above 0x7f: words at a time, so it costs less than a copy. */
static bool all_ascii(const char *d, size_t len)
{
	uint64_t acc = 0, w;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, d + i, 8);
		acc |= w;
	}
	for (; i < len; i++)
		acc |= (unsigned char)d[i];
	return (acc & UINT64_C(0x8080808080808080)) == 0;
}

static void fail(loader *l, pl_tree_problem kind, pl_pos where, const char *fmt,
                 ...) PL_PRINTF(4, 5);

static void fail(loader *l, pl_tree_problem kind, pl_pos where, const char *fmt,
                 ...)
{
	va_list ap;
	char msg[512];

	if (l->tree->problem != PL_TREE_OK)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	l->tree->problem = kind;
	l->tree->message = pl_arena_strdup(l->arena, msg);
	l->tree->where = where;
	l->stop = true;
}

static void syntax_error(loader *l)
{
	yaml_parser_t *p = &l->parser;
	const char *problem = p->problem ? p->problem : "unknown error";
	pl_pos where;

	if (p->error == YAML_READER_ERROR) {
		/* reader errors carry a byte offset, not a mark */
		where = pl_source_pos_at(l->src, p->problem_offset);
		/* libyaml gives the offending byte, or for a character it
		 * decoded but refuses (a surrogate), the code point */
		if (p->problem_value > 0xff)
			fail(l, PL_TREE_SYNTAX, where, "%s (U+%04X)", problem,
			     (unsigned)p->problem_value);
		else if (p->problem_value != -1)
			fail(l, PL_TREE_SYNTAX, where, "%s (byte 0x%02x)",
			     problem, (unsigned)p->problem_value & 0xff);
		else
			fail(l, PL_TREE_SYNTAX, where, "%s", problem);
		return;
	}
	if (p->error == YAML_MEMORY_ERROR) {
		fprintf(stderr, "plumb: out of memory (libyaml)\n");
		exit(3);
	}
	where = pl_source_pos(l->src, p->problem_mark.line,
	                      p->problem_mark.column, NULL);
	if (p->context) {
		pl_pos ctx = pl_source_pos(l->src, p->context_mark.line,
		                           p->context_mark.column, NULL);
		/* at the end of the stream, where the construct started is
		 * the useful position (an unclosed quote or bracket) */
		if (where.offset >= l->src->len && ctx.offset < where.offset) {
			fail(l, PL_TREE_SYNTAX, ctx, "%s (%s that starts here)",
			     problem, p->context);
			return;
		}
		if (ctx.offset != where.offset) {
			fail(l, PL_TREE_SYNTAX, where,
			     "%s (%s at line %u column %u)", problem,
			     p->context, ctx.line, ctx.col);
			return;
		}
	}
	fail(l, PL_TREE_SYNTAX, where, "%s", problem);
}

static pl_node *new_node(loader *l, pl_node_kind kind, yaml_mark_t start)
{
	pl_node *n;

	if (l->tree->nnodes >= l->limits->max_nodes) {
		fail(l, PL_TREE_LIMIT, mark_pos(l, start),
		     "more than %zu nodes in one file; the rest is not "
		     "linted",
		     l->limits->max_nodes);
		return NULL;
	}
	l->tree->nnodes++;
	n = pl_arena_zalloc(l->arena, sizeof(*n));
	n->kind = (uint8_t)kind;
	n->span.start = mark_pos(l, start);
	return n;
}

static const char *arena_str(loader *l, const yaml_char_t *s)
{
	return s ? pl_arena_strdup(l->arena, (const char *)s) : NULL;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Registers the anchor of a completed node. */
static void define_anchor(loader *l, const char *name, pl_node *n,
                          uint64_t weight)
{
	anchor *a;
	if (!name)
		return;
	a = pl_arena_alloc(l->arena, sizeof(*a));
	a->node = n;
	a->weight = weight;
	n->anchor = name;
	pl_map_put(&l->anchors, name, strlen(name), a, NULL);
}

/* Hands a completed node to its parent collection or its document. */
static void attach(loader *l, pl_node *n, uint64_t weight)
{
	if (l->frames.len) {
		frame *f = pl_vec_at(&l->frames, l->frames.len - 1);
		f->weight = sat_add(f->weight, weight);
		pl_vec_append(&l->children, &n);
		return;
	}
	/* libyaml stands an empty plain scalar in for an empty document
	 * (`---` alone); the tree says so with a NULL root */
	if (n->kind == PL_NODE_SCALAR && n->style == PL_STYLE_PLAIN &&
	    !n->tag && !n->anchor && n->u.scalar.len == 0 &&
	    n->span.start.offset == n->span.end.offset)
		return;
	if (l->doc && !l->doc->root)
		l->doc->root = n;
}

/*
 * Where a scalar's text begins, for the comment index. Its span starts at
 * its properties (`&a`, `!!str`) or its block indicator (`|-`), and a
 * comment may follow those on the same line (`key: | # why`), so the part
 * of the span that holds no content is skipped: properties, blanks,
 * comments, and a block scalar's header line.
 */
static size_t content_start(const pl_source *src, const pl_node *n, bool props)
{
	const char *d = src->data;
	size_t i = n->span.start.offset, end = n->span.end.offset;
	bool block =
	        n->style == PL_STYLE_LITERAL || n->style == PL_STYLE_FOLDED;

	if (!props && !block)
		return i;
	while (i < end) {
		char c = d[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			i++;
		} else if (c == '#' || (props && (c == '&' || c == '!'))) {
			/* a comment to the end of its line, a property to
			 * the next blank */
			while (i < end && d[i] != '\n' && d[i] != '\r' &&
			       (c == '#' || (d[i] != ' ' && d[i] != '\t')))
				i++;
		} else {
			break;
		}
	}
	if (block && i < end && (d[i] == '|' || d[i] == '>')) {
		/* the header: indicators, then blanks and a comment */
		while (i < end && d[i] != '\n' && d[i] != '\r')
			i++;
	}
	return i;
}

static void on_scalar(loader *l, const yaml_event_t *e)
{
	pl_node *n = new_node(l, PL_NODE_SCALAR, e->start_mark);
	size_t *span;

	if (!n)
		return;
	n->span.end = mark_pos(l, e->end_mark);
	switch (e->data.scalar.style) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
		n->style = PL_STYLE_SINGLE;
		break;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		n->style = PL_STYLE_DOUBLE;
		break;
	case YAML_LITERAL_SCALAR_STYLE:
		n->style = PL_STYLE_LITERAL;
		break;
	case YAML_FOLDED_SCALAR_STYLE:
		n->style = PL_STYLE_FOLDED;
		break;
	default:
		n->style = PL_STYLE_PLAIN;
		break;
	}
	n->tag = arena_str(l, e->data.scalar.tag);
	n->u.scalar.str =
	        pl_arena_strndup(l->arena, (const char *)e->data.scalar.value,
	                         e->data.scalar.length);
	n->u.scalar.len = e->data.scalar.length;
	pl_scalar_resolve(n);
	span = pl_vec_push(&l->spans);
	*span = content_start(l->src, n, e->data.scalar.anchor || n->tag);
	span = pl_vec_push(&l->spans);
	*span = n->span.end.offset;
	define_anchor(l, arena_str(l, e->data.scalar.anchor), n, 1);
	attach(l, n, 1);
}

static void on_alias(loader *l, const yaml_event_t *e)
{
	const char *name = (const char *)e->data.alias.anchor;
	anchor *a = pl_map_get(&l->anchors, name, strlen(name));
	pl_node *n;

	if (!a) {
		fail(l, PL_TREE_SYNTAX, mark_pos(l, e->start_mark),
		     "alias *%s refers to no anchor defined before it", name);
		return;
	}
	l->expanded = sat_add(l->expanded, a->weight);
	if (l->expanded > l->limits->max_alias_expansion) {
		fail(l, PL_TREE_LIMIT, mark_pos(l, e->start_mark),
		     "aliases expand to more than %zu nodes (alias bomb?); "
		     "the rest is not linted",
		     l->limits->max_alias_expansion);
		return;
	}
	n = new_node(l, PL_NODE_ALIAS, e->start_mark);
	if (!n)
		return;
	n->span.end = mark_pos(l, e->end_mark);
	n->u.alias.target = a->node;
	n->u.alias.name = pl_arena_strdup(l->arena, name);
	attach(l, n, a->weight);
}

static void on_collection_start(loader *l, const yaml_event_t *e,
                                pl_node_kind kind)
{
	frame *f;
	pl_node *n;
	const yaml_char_t *tag, *anchor_name;
	bool flow;

	if (l->frames.len >= l->limits->max_depth) {
		fail(l, PL_TREE_LIMIT, mark_pos(l, e->start_mark),
		     "collections nested deeper than %zu levels; the rest is "
		     "not linted",
		     l->limits->max_depth);
		return;
	}
	n = new_node(l, kind, e->start_mark);
	if (!n)
		return;
	if (kind == PL_NODE_SEQUENCE) {
		tag = e->data.sequence_start.tag;
		anchor_name = e->data.sequence_start.anchor;
		flow = e->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
	} else {
		tag = e->data.mapping_start.tag;
		anchor_name = e->data.mapping_start.anchor;
		flow = e->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
	}
	n->style = flow ? PL_STYLE_FLOW : PL_STYLE_BLOCK;
	n->tag = arena_str(l, tag);
	f = pl_vec_push(&l->frames);
	f->node = n;
	f->base = l->children.len;
	f->weight = 1;
	f->anchor = arena_str(l, anchor_name);
}

/* YAML equality of two scalar keys after resolution (YAML 1.2.2 §3.2.1.3:
 * keys are equal when their canonical forms are). */
static bool keys_equal(const pl_node *a, const pl_node *b)
{
	a = pl_node_deref(a);
	b = pl_node_deref(b);
	if (!a || !b || a->kind != PL_NODE_SCALAR ||
	    b->kind != PL_NODE_SCALAR || a->type != b->type)
		return false;
	switch (a->type) {
	case PL_TYPE_NULL:
		return true;
	case PL_TYPE_BOOL:
		return a->u.scalar.b == b->u.scalar.b;
	case PL_TYPE_INT:
		if ((a->flags | b->flags) & PL_NODE_INT_OVERFLOW)
			break;
		return a->u.scalar.i == b->u.scalar.i;
	case PL_TYPE_FLOAT:
		return a->u.scalar.f == b->u.scalar.f;
	default:
		break;
	}
	return a->u.scalar.len == b->u.scalar.len &&
	       memcmp(a->u.scalar.str, b->u.scalar.str, a->u.scalar.len) == 0;
}

static bool is_merge_key(const pl_node *k)
{
	if (k->kind != PL_NODE_SCALAR)
		return false;
	if (k->tag)
		return strcmp(k->tag, "tag:yaml.org,2002:merge") == 0;
	return k->style == PL_STYLE_PLAIN && k->u.scalar.len == 2 &&
	       memcmp(k->u.scalar.str, "<<", 2) == 0;
}

/* Marks duplicate keys among pairs[0..n) and records them. Small mappings
 * compare pairwise; larger ones hash string keys. */
static void find_duplicates(loader *l, pl_pair *pairs, size_t n)
{
	size_t i, j;

	if (n <= 16) {
		for (i = 1; i < n; i++) {
			for (j = 0; j < i; j++) {
				if (keys_equal(pairs[i].key, pairs[j].key)) {
					pl_dup *d = pl_vec_push(&l->dups);
					d->key = pairs[i].key;
					d->first = pairs[j].key;
					pairs[i].flags |= PL_PAIR_DUPLICATE;
					break;
				}
			}
		}
		return;
	}
	{
		pl_map seen;
		pl_map_init(&seen);
		for (i = 0; i < n; i++) {
			const pl_node *k = pl_node_deref(pairs[i].key);
			void *old = NULL;
			if (!k || k->kind != PL_NODE_SCALAR)
				continue;
			if (k->type != PL_TYPE_STRING) {
				/* rare: compare with earlier non-strings */
				for (j = 0; j < i; j++) {
					if (keys_equal(k, pairs[j].key)) {
						old = pairs[j].key;
						break;
					}
				}
			} else if (!pl_map_put(&seen, k->u.scalar.str,
			                       k->u.scalar.len, pairs[i].key,
			                       &old)) {
				/* keep pointing at the first occurrence */
				pl_map_put(&seen, k->u.scalar.str,
				           k->u.scalar.len, old, NULL);
			}
			if (old) {
				pl_dup *d = pl_vec_push(&l->dups);
				d->key = pairs[i].key;
				d->first = old;
				pairs[i].flags |= PL_PAIR_DUPLICATE;
			}
		}
		pl_map_release(&seen);
	}
}

static bool has_key(const pl_pair *pairs, size_t n, const pl_node *key)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (keys_equal(pairs[i].key, key))
			return true;
	return false;
}

/*
 * Applies `<<` merge keys (yaml.org/type/merge.html): the pairs of the
 * merged mapping(s) are added unless the mapping already has the key;
 * with a sequence of mappings, earlier ones win. A `<<` whose value is
 * not a mapping or a sequence of mappings stays an ordinary pair and is
 * listed in bad_merges (yaml/merge-key).
 */
static void apply_merges(loader *l, pl_node *map, pl_pair *pairs, size_t n)
{
	pl_vec out, merges;
	size_t i, j, k;

	pl_vec_init(&out, sizeof(pl_pair));
	pl_vec_init(&merges, sizeof(pl_pair));
	for (i = 0; i < n; i++) {
		const pl_node *v = pl_node_deref(pairs[i].value);
		bool ok = false;
		const pl_node *bad = NULL;
		if (is_merge_key(pairs[i].key) && v) {
			bad = pairs[i].value;
			if (v->kind == PL_NODE_MAPPING)
				bad = NULL;
			if (v->kind == PL_NODE_SEQUENCE) {
				bad = NULL;
				for (j = 0; j < v->u.seq.len && !bad; j++) {
					const pl_node *m = pl_node_deref(
					        v->u.seq.items[j]);
					if (!m || m->kind != PL_NODE_MAPPING)
						bad = v->u.seq.items[j];
				}
				/* an alias of such a list: shown at the alias
				 */
				if (bad &&
				    pairs[i].value->kind == PL_NODE_ALIAS)
					bad = pairs[i].value;
			}
			ok = bad == NULL;
		}
		if (bad) {
			pl_bad_merge *b = pl_vec_push(&l->bad_merges);
			b->key = pairs[i].key;
			b->value = bad;
		}
		pl_vec_append(ok ? &merges : &out, &pairs[i]);
	}
	if (merges.len == 0) {
		pl_vec_release(&out);
		pl_vec_release(&merges);
		return;
	}
	map->flags |= PL_NODE_HAS_MERGE;
	{
		for (i = 0; i < merges.len; i++) {
			const pl_pair *mp = pl_vec_at(&merges, i);
			const pl_node *v = pl_node_deref(mp->value);
			size_t nsrc =
			        v->kind == PL_NODE_MAPPING ? 1 : v->u.seq.len;
			for (j = 0; j < nsrc; j++) {
				const pl_node *src =
				        v->kind == PL_NODE_MAPPING
				                ? v
				                : pl_node_deref(
				                          v->u.seq.items[j]);
				for (k = 0; k < src->u.map.len; k++) {
					pl_pair p = src->u.map.pairs[k];
					if (has_key(out.items, out.len, p.key))
						continue;
					p.flags = PL_PAIR_MERGED;
					pl_vec_append(&out, &p);
				}
			}
		}
	}
	map->u.map.pairs = pl_arena_alloc(l->arena, out.len * sizeof(pl_pair));
	if (out.len) /* `<<: {}` alone leaves nothing, and items NULL */
		memcpy(map->u.map.pairs, out.items, out.len * sizeof(pl_pair));
	map->u.map.len = out.len;
	map->u.map.merge =
	        pl_arena_alloc(l->arena, merges.len * sizeof(pl_pair));
	if (merges.len)
		memcpy(map->u.map.merge, merges.items,
		       merges.len * sizeof(pl_pair));
	map->u.map.nmerge = merges.len;
	pl_vec_release(&out);
	pl_vec_release(&merges);
}

static void on_collection_end(loader *l, const yaml_event_t *e)
{
	frame f;
	pl_node *n;
	size_t count;
	pl_node **kids;

	if (l->frames.len == 0)
		return;
	f = *(frame *)pl_vec_at(&l->frames, l->frames.len - 1);
	l->frames.len--;
	n = f.node;
	n->span.end = mark_pos(l, e->end_mark);
	count = l->children.len - f.base;
	kids = pl_vec_at(&l->children, f.base);
	if (n->style == PL_STYLE_BLOCK && count) {
		/* libyaml ends a block collection at the next token, past
		 * blank and comment lines: end it after its last node */
		size_t i;
		n->span.end = kids[0]->span.end;
		for (i = 1; i < count; i++)
			if (kids[i]->span.end.offset > n->span.end.offset)
				n->span.end = kids[i]->span.end;
	}
	if (n->kind == PL_NODE_SEQUENCE) {
		n->u.seq.len = count;
		n->u.seq.items =
		        pl_arena_alloc(l->arena, count * sizeof(pl_node *));
		if (count)
			memcpy(n->u.seq.items, kids, count * sizeof(pl_node *));
	} else {
		size_t i, np = count / 2;
		pl_pair *pairs = pl_arena_alloc(l->arena, np * sizeof(pl_pair));
		bool merge = false;
		for (i = 0; i < np; i++) {
			pairs[i].key = kids[2 * i];
			pairs[i].value = kids[2 * i + 1];
			pairs[i].flags = 0;
			if (is_merge_key(pairs[i].key))
				merge = true;
		}
		n->u.map.pairs = pairs;
		n->u.map.len = np;
		find_duplicates(l, pairs, np);
		if (merge)
			apply_merges(l, n, pairs, np);
	}
	pl_vec_truncate(&l->children, f.base);
	define_anchor(l, f.anchor, n, f.weight);
	attach(l, n, f.weight);
}

static void on_document_start(loader *l, const yaml_event_t *e)
{
	if (l->docs.len >= l->limits->max_documents) {
		fail(l, PL_TREE_LIMIT, mark_pos(l, e->start_mark),
		     "more than %zu documents in one file; the rest is not "
		     "linted",
		     l->limits->max_documents);
		return;
	}
	l->doc = pl_vec_push(&l->docs);
	l->doc->index = (uint32_t)(l->docs.len - 1);
	l->doc->explicit_start = !e->data.document_start.implicit;
	l->doc->span.start = mark_pos(l, e->start_mark);
	/* aliases never reach across documents (YAML 1.2.2 §9.1) */
	pl_map_reset(&l->anchors);
	/* l->expanded is not reset: the budget is per file, or a file of
	 * many documents could multiply it */
}

static void on_document_end(loader *l, const yaml_event_t *e)
{
	if (!l->doc)
		return;
	l->doc->span.end = mark_pos(l, e->end_mark);
	l->doc->explicit_end = !e->data.document_end.implicit;
	l->doc = NULL;
}

static void run(loader *l)
{
	yaml_event_t e;

	while (!l->stop) {
		bool done = false;
		if (!yaml_parser_parse(&l->parser, &e)) {
			syntax_error(l);
			break;
		}
		switch (e.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			on_document_start(l, &e);
			break;
		case YAML_DOCUMENT_END_EVENT:
			on_document_end(l, &e);
			break;
		case YAML_SCALAR_EVENT:
			on_scalar(l, &e);
			break;
		case YAML_ALIAS_EVENT:
			on_alias(l, &e);
			break;
		case YAML_SEQUENCE_START_EVENT:
			on_collection_start(l, &e, PL_NODE_SEQUENCE);
			break;
		case YAML_MAPPING_START_EVENT:
			on_collection_start(l, &e, PL_NODE_MAPPING);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			on_collection_end(l, &e);
			break;
		default:
			break;
		}
		yaml_event_delete(&e);
		if (done)
			break;
	}
}

/* True if the source ends in a non-empty line of spaces and tabs with no
 * line break after it. */
static bool ends_in_blank_line(const pl_source *src)
{
	size_t i = src->len;
	if (i == 0 || (src->data[i - 1] != ' ' && src->data[i - 1] != '\t'))
		return false;
	while (i > src->bom &&
	       (src->data[i - 1] == ' ' || src->data[i - 1] == '\t'))
		i--;
	return i == src->bom || src->data[i - 1] == '\n' ||
	       src->data[i - 1] == '\r';
}

int pl_tree_load(pl_tree *out, pl_arena *arena, const pl_source *src,
                 const pl_limits *limits)
{
	loader l;
	size_t ndocs;
	unsigned char *padded = NULL;

	memset(out, 0, sizeof(*out));
	out->src = src;
	memset(&l, 0, sizeof(l));
	l.tree = out;
	l.arena = arena;
	l.src = src;
	l.limits = limits;
	l.ascii = src->data && all_ascii(src->data, src->len);
	pl_vec_init(&l.frames, sizeof(frame));
	pl_vec_init(&l.children, sizeof(pl_node *));
	pl_vec_init(&l.docs, sizeof(pl_doc));
	pl_vec_init(&l.dups, sizeof(pl_dup));
	pl_vec_init(&l.bad_merges, sizeof(pl_bad_merge));
	pl_vec_init(&l.spans, sizeof(size_t));
	pl_map_init(&l.anchors);
	/* sized from the bytes (about one scalar per 10 in a manifest), so
	 * that a big file is not grown by a chain of reallocations */
	pl_vec_reserve(&l.spans, src->len / 5 + 8);
	pl_vec_reserve(&l.children, src->len / 16 + 8);
	pl_vec_reserve(&l.frames, 32);

	if (!yaml_parser_initialize(&l.parser)) {
		fprintf(stderr, "plumb: out of memory (libyaml)\n");
		exit(3);
	}
	/*
	 * libyaml 0.2.5 loses the content of a last line made only of
	 * blanks when no line break follows it (yaml-test-suite JEF9/02).
	 * Such a line means the same with a break after it, so we parse a
	 * copy with one; positions are unchanged, as the copy only grows
	 * past the end of the source.
	 */
	if (ends_in_blank_line(src)) {
		padded = pl_xmalloc(src->len + 1);
		memcpy(padded, src->data, src->len);
		padded[src->len] = '\n';
		yaml_parser_set_input_string(&l.parser, padded, src->len + 1);
	} else {
		yaml_parser_set_input_string(
		        &l.parser, (const unsigned char *)src->data, src->len);
	}
	run(&l);
	yaml_parser_delete(&l.parser);
	free(padded);

	/* a document cut short by a problem is dropped: rules see only
	 * complete documents, and `plumb dump` prints those before it */
	ndocs = l.docs.len;
	if (l.doc)
		ndocs--;
	out->docs = pl_arena_alloc(arena, ndocs * sizeof(pl_doc));
	if (ndocs)
		memcpy(out->docs, l.docs.items, ndocs * sizeof(pl_doc));
	out->ndocs = ndocs;
	out->ndups = l.dups.len;
	out->dups = pl_arena_alloc(arena, l.dups.len * sizeof(pl_dup));
	if (l.dups.len)
		memcpy(out->dups, l.dups.items, l.dups.len * sizeof(pl_dup));
	out->nbad_merges = l.bad_merges.len;
	out->bad_merges =
	        pl_arena_alloc(arena, l.bad_merges.len * sizeof(pl_bad_merge));
	if (l.bad_merges.len)
		memcpy(out->bad_merges, l.bad_merges.items,
		       l.bad_merges.len * sizeof(pl_bad_merge));
	pl_comment__index(out, arena, l.spans.items, l.spans.len / 2);
	/* after a syntax error yaml/syntax asks whether a `{{` lies outside
	 * every scalar; a tree that parsed needs the spans no more (they
	 * were an eighth of a run's memory) */
	if (out->problem == PL_TREE_SYNTAX && l.spans.len) {
		out->nspans = l.spans.len / 2;
		out->spans =
		        pl_arena_alloc(arena, l.spans.len * sizeof(size_t));
		memcpy(out->spans, l.spans.items, l.spans.len * sizeof(size_t));
	}

	pl_vec_release(&l.frames);
	pl_vec_release(&l.children);
	pl_vec_release(&l.docs);
	pl_vec_release(&l.dups);
	pl_vec_release(&l.bad_merges);
	pl_vec_release(&l.spans);
	pl_map_release(&l.anchors);
	return 0;
}

const char *pl_tree_libyaml_version(void)
{
	return yaml_get_version_string();
}
