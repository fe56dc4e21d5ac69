/*
 * model.c - per-file object identity: one object per document, per item
 * of a list, and per Kubernetes resource of a Pulumi YAML program.
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

/*
 * Pulumi YAML programs: a resource of Pulumi.yaml whose type is
 * `kubernetes:<group>/<version>:<Kind>` (the core group written `core`)
 * becomes the manifest the provider applies: its `properties` are the
 * object's fields (metadata, spec, data, ...). The object gets a root
 * mapping of its own, in the file's arena: apiVersion and kind made
 * from the type (their span is the type's value), then the pairs of
 * properties, pointing at the real nodes, so findings land on the
 * lines of Pulumi.yaml. The provider's own components (yaml/v2
 * ConfigGroup, helm.sh/v3 Release, kustomize/v2 Directory) render
 * other files and are not objects; a generic CustomResource names its
 * apiVersion and kind in its properties, which then win. A resource
 * that reads an existing object (`get:`) has no properties.
 */
static bool is_pulumi_program(const pl_file *f)
{
	const char *base = strrchr(f->src.path, '/');
	const pl_node *root, *rt;

	base = base ? base + 1 : f->src.path;
	if ((strcmp(base, "Pulumi.yaml") != 0 &&
	     strcmp(base, "Pulumi.yml") != 0) ||
	    f->tree.ndocs != 1)
		return false;
	root = pl_node_deref(f->tree.docs[0].root);
	if (!root || root->kind != PL_NODE_MAPPING)
		return false;
	rt = pl_node_deref(pl_node_get(root, "runtime"));
	if (rt && rt->kind == PL_NODE_MAPPING)
		rt = pl_node_deref(pl_node_get(rt, "name"));
	return rt && rt->kind == PL_NODE_SCALAR &&
	       strcmp(rt->u.scalar.str, "yaml") == 0;
}

static const pl_node *pulumi_resources(const pl_file *f)
{
	const pl_node *r;

	if (!is_pulumi_program(f))
		return NULL;
	r = pl_node_deref(
	        pl_node_get(pl_node_deref(f->tree.docs[0].root), "resources"));
	return r && r->kind == PL_NODE_MAPPING ? r : NULL;
}

/* The apiVersion and kind a Kubernetes type token names, in arena a;
 * false for any other type. */
static bool pulumi_k8s_type(pl_arena *a, const char *type, char **api,
                            char **kind)
{
	static const char *const components[] = {"yaml/", "helm.sh/",
	                                         "kustomize/"};
	const char *gv, *colon, *slash;
	size_t i;

	if (strncmp(type, "kubernetes:", 11) != 0)
		return false;
	gv = type + 11;
	colon = strchr(gv, ':');
	slash = strchr(gv, '/');
	if (!colon || !slash || slash > colon || slash == gv ||
	    slash + 1 == colon || !colon[1] || strchr(colon + 1, ':') ||
	    strchr(colon + 1, '/'))
		return false;
	for (i = 0; i < PL_ARRAY_SIZE(components); i++)
		if (strncmp(gv, components[i], strlen(components[i])) == 0)
			return false;
	if (strncmp(gv, "core/", 5) == 0)
		*api = pl_arena_strndup(a, slash + 1,
		                        (size_t)(colon - slash - 1));
	else
		*api = pl_arena_strndup(a, gv, (size_t)(colon - gv));
	*kind = pl_arena_strdup(a, colon + 1);
	return true;
}

static pl_node *synth_scalar(pl_arena *a, const char *s, pl_span span)
{
	pl_node *n = pl_arena_zalloc(a, sizeof(*n));

	n->kind = PL_NODE_SCALAR;
	n->style = PL_STYLE_PLAIN;
	n->type = PL_TYPE_STRING;
	n->type11 = PL_TYPE_STRING;
	n->span = span;
	n->u.scalar.str = s;
	n->u.scalar.len = strlen(s);
	return n;
}

/* The object of Pulumi resource res (its logical name key), or false
 * when res is no Kubernetes manifest. */
static bool pulumi_object(pl_object *o, pl_file *f, const pl_node *key,
                          const pl_node *res)
{
	const pl_node *type, *props, *pv, *pk;
	pl_node *root;
	char *api = NULL, *kind = NULL;
	pl_span tkey;
	bool own;
	uint32_t i, n = 0;

	res = pl_node_deref(res);
	if (!res || res->kind != PL_NODE_MAPPING)
		return false;
	type = pl_node_deref(pl_node_get(res, "type"));
	props = pl_node_deref(pl_node_get(res, "properties"));
	if (!type || type->kind != PL_NODE_SCALAR ||
	    type->type != PL_TYPE_STRING || !props ||
	    props->kind != PL_NODE_MAPPING || pl_node_get(res, "get") ||
	    !pulumi_k8s_type(&f->arena, type->u.scalar.str, &api, &kind))
		return false;
	pv = pl_node_deref(pl_node_get(props, "apiVersion"));
	pk = pl_node_deref(pl_node_get(props, "kind"));
	tkey = type->span;
	own = pv && pk && pv->kind == PL_NODE_SCALAR &&
	      pk->kind == PL_NODE_SCALAR;
	if (!own && strcmp(kind, "CustomResource") == 0)
		return false;
	for (i = 0; i < res->u.map.len; i++)
		if (res->u.map.pairs[i].value &&
		    pl_node_deref(res->u.map.pairs[i].value) == type)
			tkey = res->u.map.pairs[i].key->span;
	root = pl_arena_zalloc(&f->arena, sizeof(*root));
	root->kind = PL_NODE_MAPPING;
	root->style = PL_STYLE_BLOCK;
	root->span = res->span;
	root->u.map.pairs = pl_arena_zalloc(&f->arena, (props->u.map.len + 2) *
	                                                       sizeof(pl_pair));
	if (!own) {
		root->u.map.pairs[n].key =
		        synth_scalar(&f->arena, "apiVersion", tkey);
		root->u.map.pairs[n++].value =
		        synth_scalar(&f->arena, api, type->span);
		root->u.map.pairs[n].key =
		        synth_scalar(&f->arena, "kind", tkey);
		root->u.map.pairs[n++].value =
		        synth_scalar(&f->arena, kind, type->span);
	}
	for (i = 0; i < props->u.map.len; i++) {
		const pl_pair *p = &props->u.map.pairs[i];
		const pl_node *k = pl_node_deref(p->key);
		if (!own && k && k->kind == PL_NODE_SCALAR &&
		    (strcmp(k->u.scalar.str, "apiVersion") == 0 ||
		     strcmp(k->u.scalar.str, "kind") == 0))
			continue;
		root->u.map.pairs[n++] = *p;
	}
	root->u.map.len = n;
	fill_object(o, f, &f->tree.docs[0], root);
	o->pulumi = true;
	/* Pulumi names an object without metadata.name after the resource
	 * (plus a random suffix): the logical name stands for it */
	if (o->is_k8s && !o->name && key && key->kind == PL_NODE_SCALAR)
		o->name = key->u.scalar.str;
	return o->is_k8s;
}

void pl_file_load(pl_file *f, const pl_limits *limits)
{
	size_t i, j, nitems = 0, nres = 0;
	const pl_node *res;

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
	res = pulumi_resources(f);
	nres = res ? res->u.map.len : 0;
	f->nobjects = f->tree.ndocs;
	f->objects = pl_arena_alloc(&f->arena, (f->tree.ndocs + nitems + nres) *
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
	for (i = 0; i < nres; i++)
		if (pulumi_object(&f->objects[f->nobjects], f,
		                  pl_node_deref(res->u.map.pairs[i].key),
		                  res->u.map.pairs[i].value))
			f->nobjects++;
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

const pl_file *pl_object_where_span(const pl_object *o, pl_span span)
{
	size_t i;
	if (!o->source)
		return o->file;
	for (i = 0; i < o->nelsewhere; i++)
		if (pl_span_same(o->elsewhere[i].node->span, span))
			return o->elsewhere[i].file;
	return o->source->file;
}

bool pl_model_reads(const char *path, const char *data)
{
	static const char *const names[] = {
	        "kustomization.yaml", "kustomization.yml", "Kustomization",
	        "Pulumi.yaml",        "Pulumi.yml",        "gotk-sync.yaml"};
	const char *base = strrchr(path, '/');
	size_t i;

	base = base ? base + 1 : path;
	for (i = 0; i < PL_ARRAY_SIZE(names); i++)
		if (strcmp(base, names[i]) == 0)
			return true;
	/* Flux objects (the Flux index), and the ConfigMaps and Secrets a
	 * Flux Kustomization's postBuild.substituteFrom may name */
	return data && (strstr(data, "fluxcd.io") ||
	                strstr(data, "ConfigMap") || strstr(data, "Secret"));
}
