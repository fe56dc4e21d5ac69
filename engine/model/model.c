/*
 * model.c - per-file object identity.
 */
#include "model/model.h"
#include "source/walk.h"

void pl_file_init(pl_file *f)
{
	memset(f, 0, sizeof(*f));
	pl_source_init(&f->src);
	pl_arena_init(&f->arena);
}

void pl_file_release(pl_file *f)
{
	if (!f)
		return;
	pl_source_release(&f->src);
	pl_arena_release(&f->arena);
	memset(f, 0, sizeof(*f));
}

static const char *str_field(const pl_node *m, const char *key)
{
	const pl_node *v = pl_node_get(m, key);
	if (!v || v->kind != PL_NODE_SCALAR || v->type != PL_TYPE_STRING)
		return NULL;
	return v->u.scalar.str;
}

static void fill_object(pl_object *o, const pl_file *f, const pl_doc *d,
                        const pl_node *root)
{
	const pl_node *meta;

	memset(o, 0, sizeof(*o));
	o->file = f;
	o->doc = d;
	o->root = pl_node_deref(root);
	if (!o->root || o->root->kind != PL_NODE_MAPPING)
		return;
	o->api_version = str_field(o->root, "apiVersion");
	o->kind = str_field(o->root, "kind");
	o->is_k8s = o->api_version && o->kind;
	meta = pl_node_get(o->root, "metadata");
	if (meta && meta->kind == PL_NODE_MAPPING) {
		o->name = str_field(meta, "name");
		o->namespace = str_field(meta, "namespace");
	}
}

/*
 * The items of a list object (kind v1 List, or any kind ending in List
 * with an `items` sequence), which kubectl and kustomize apply one by one
 * (kustomize-flux-build.md section 6), or NULL.
 */
static const pl_node *list_items(const pl_object *o)
{
	size_t n;
	const pl_node *items;
	if (!o->is_k8s)
		return NULL;
	n = strlen(o->kind);
	if (n < 4 || strcmp(o->kind + n - 4, "List") != 0)
		return NULL;
	items = pl_node_deref(pl_node_get(o->root, "items"));
	return items && items->kind == PL_NODE_SEQUENCE ? items : NULL;
}

void pl_file_load(pl_file *f, const pl_limits *limits)
{
	size_t i, j, nitems = 0;

	if (f->src.kind == PL_SOURCE_TEXT && f->src.data) {
		const char *base = strrchr(f->src.path, '/');
		base = base ? base + 1 : f->src.path;
		if (!strchr(base, '.') &&
		    pl_walk_sniff_yaml(f->src.data, f->src.len))
			f->src.kind = PL_SOURCE_YAML;
	}
	if (f->src.kind != PL_SOURCE_YAML || !f->src.data)
		return;
	pl_tree_load(&f->tree, &f->arena, &f->src, limits);
	f->parsed = true;
	/* documents first, so objects[i] is docs[i]; then list items */
	for (i = 0; i < f->tree.ndocs; i++) {
		pl_object probe;
		const pl_node *items;
		fill_object(&probe, f, &f->tree.docs[i], f->tree.docs[i].root);
		items = list_items(&probe);
		nitems += items ? items->u.seq.len : 0;
	}
	f->nobjects = f->tree.ndocs;
	f->objects = pl_arena_alloc(&f->arena, (f->tree.ndocs + nitems) *
	                                               sizeof(pl_object));
	for (i = 0; i < f->tree.ndocs; i++)
		fill_object(&f->objects[i], f, &f->tree.docs[i],
		            f->tree.docs[i].root);
	for (i = 0; i < f->tree.ndocs; i++) {
		const pl_node *items = list_items(&f->objects[i]);
		for (j = 0; items && j < items->u.seq.len; j++)
			fill_object(&f->objects[f->nobjects++], f,
			            &f->tree.docs[i], items->u.seq.items[j]);
	}
}

const pl_file *pl_object_where(const pl_object *o, const pl_node *n)
{
	size_t i;
	if (!o->source)
		return o->file;
	for (i = 0; n && i < o->nelsewhere; i++)
		if (o->elsewhere[i].node == n)
			return o->elsewhere[i].file;
	return o->source->file;
}

static bool same_span(pl_span a, pl_span b)
{
	return a.start.offset == b.start.offset &&
	       a.end.offset == b.end.offset && a.start.line == b.start.line &&
	       a.start.col == b.start.col;
}

const pl_file *pl_object_where_span(const pl_object *o, pl_span span)
{
	size_t i;
	if (!o->source)
		return o->file;
	for (i = 0; i < o->nelsewhere; i++)
		if (same_span(o->elsewhere[i].node->span, span))
			return o->elsewhere[i].file;
	return o->source->file;
}
