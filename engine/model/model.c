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

static void fill_object(pl_object *o, const pl_file *f, const pl_doc *d)
{
	const pl_node *meta;

	memset(o, 0, sizeof(*o));
	o->file = f;
	o->doc = d;
	o->root = pl_node_deref(d->root);
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

void pl_file_load(pl_file *f, const pl_limits *limits)
{
	size_t i;

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
	f->nobjects = f->tree.ndocs;
	f->objects = pl_arena_alloc(&f->arena, f->nobjects * sizeof(pl_object));
	for (i = 0; i < f->nobjects; i++)
		fill_object(&f->objects[i], f, &f->tree.docs[i]);
}
