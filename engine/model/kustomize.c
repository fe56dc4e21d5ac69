/*
 * kustomize.c - building a kustomization folder as kustomize v5 does
 * (kustomize.h): find the one kustomization file, accumulate resources,
 * run generators, components and the built-in transformers in
 * kustomize's fixed order, then, at the top only, content hashes, name
 * references and local-config objects.
 *
 * Order per folder [K api/internal/target/kusttarget.go:accumulateTarget,
 * kusttarget_configplugin.go:configureBuiltinTransformers]:
 *   resources (a folder is built whole, in its own accumulator) ->
 *   configMapGenerator, secretGenerator -> components (built into this
 *   accumulator) -> patchesStrategicMerge -> patches -> namespace ->
 *   namePrefix/nameSuffix -> labels, commonLabels -> commonAnnotations
 *   -> patchesJson6902 -> replicas -> images.
 * Top level only [kusttarget.go:makeCustomizedResMap]: hash suffixes,
 * name references, drop config.kubernetes.io/local-config objects.
 */
#include "model/kustomize_impl.h"
#include "base/map.h"
#include "base/xalloc.h"
#include "tree/load.h"

#include <sys/stat.h>

int kz_fail(kz_ctx *c, const pl_file *f, const pl_node *at, int code,
            const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->err->code)
		return c->err->code; /* the innermost error wins */
	return pl_error_set(c->err, code, f ? f->src.path : NULL,
	                    at ? &at->span.start : NULL, "%s", msg);
}

/* --- objects ---------------------------------------------------------------
 */

static pl_kobject *new_object(kz_ctx *c, pl_knode *root)
{
	pl_kobject *o = pl_arena_zalloc(c->arena, sizeof(*o));
	o->root = root;
	kz_remember_id(c->arena, o);
	return o;
}

bool kz_same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* kustomize's namespace comparison: unset is "default". */
bool kz_same_ns(const char *a, const char *b)
{
	if (!a || !*a)
		a = "default";
	if (!b || !*b)
		b = "default";
	return strcmp(a, b) == 0;
}

static bool same_id(const pl_kobject *x, const pl_kobject *y)
{
	/* the name first: it tells most objects apart at one lookup */
	return kz_same_str(kz_name(x), kz_name(y)) &&
	       kz_same_str(kz_kind(x), kz_kind(y)) &&
	       kz_same_ns(kz_namespace(x), kz_namespace(y)) &&
	       kz_same_str(kz_api_version(x), kz_api_version(y));
}

static int add_object(kz_ctx *c, kz_resmap *rm, pl_kobject *o, const pl_file *f,
                      const pl_node *at)
{
	const char *name = kz_name(o);
	size_t i;
	for (i = 0; i < rm->objs.len; i++) {
		pl_kobject *q = *(pl_kobject **)pl_vec_at(&rm->objs, i);
		/* the name first, looked up once for o: most objects differ
		 * there (a build adds one object at a time) */
		if (kz_same_str(kz_name(q), name) && same_id(q, o))
			return kz_fail(c, f, at, PL_EPARSE,
			               "may not add resource with an already "
			               "registered id: %s %s%s%s",
			               kz_kind(o),
			               kz_namespace(o) ? kz_namespace(o) : "",
			               kz_namespace(o) ? "/" : "", kz_name(o));
	}
	if (rm->objs.len >= PL_KZ_MAX_OBJECTS)
		return kz_fail(c, f, at, PL_ELIMIT,
		               "more than %d objects in one build",
		               PL_KZ_MAX_OBJECTS);
	pl_vec_append(&rm->objs, &o);
	return 0;
}

/* The documents of file f as objects (List kinds expanded). */
static int add_file(kz_ctx *c, kz_resmap *rm, const pl_file *f)
{
	size_t i, j;
	int rc;
	for (i = 0; i < f->tree.ndocs; i++) {
		const pl_node *root = pl_node_deref(f->tree.docs[i].root);
		const pl_node *items;
		const char *kind;
		if (!root)
			continue;
		if (root->kind != PL_NODE_MAPPING)
			return kz_fail(c, f, root, PL_EPARSE,
			               "a resource must be a mapping");
		kind = pl_node_get_str(root, "kind");
		items = pl_node_deref(pl_node_get(root, "items"));
		if (kind && strlen(kind) > 4 &&
		    strcmp(kind + strlen(kind) - 4, "List") == 0 && items &&
		    items->kind == PL_NODE_SEQUENCE) {
			for (j = 0; j < items->u.seq.len; j++) {
				const pl_node *it =
				        pl_node_deref(items->u.seq.items[j]);
				pl_kobject *o;
				if (!it || it->kind != PL_NODE_MAPPING)
					continue;
				o = new_object(c,
				               kz_from_node(c->arena, f, it));
				rc = add_object(c, rm, o, f, it);
				if (rc)
					return rc;
			}
			continue;
		}
		if (!kind)
			return kz_fail(c, f, root, PL_EPARSE,
			               "missing kind in object");
		{
			const pl_node *md = pl_node_get(root, "metadata");
			if (!pl_node_get_str(md, "name") &&
			    !pl_node_get_str(md, "generateName"))
				return kz_fail(c, f, root, PL_EPARSE,
				               "missing metadata.name in "
				               "object of kind %s",
				               kind);
		}
		rc = add_object(c, rm,
		                new_object(c, kz_from_node(c->arena, f, root)),
		                f, root);
		if (rc)
			return rc;
	}
	return 0;
}

/* --- the kustomization file --------------------------------------------------
 */

static const char *const kust_names[] = {"kustomization.yaml",
                                         "kustomization.yml", "Kustomization"};

static bool remote(const char *s)
{
	return strstr(s, "://") || strncmp(s, "github.com/", 11) == 0 ||
	       strncmp(s, "gitlab.com/", 11) == 0 ||
	       strncmp(s, "bitbucket.org/", 14) == 0 ||
	       strncmp(s, "git@", 4) == 0 || strstr(s, "?ref=") ||
	       strstr(s, "//") != NULL;
}

static int build_dir(kz_ctx *c, const char *dir, kz_resmap *rm, bool component,
                     const pl_file *from, const pl_node *at);

int kz_resource_dir(kz_ctx *c, kz_resmap *rm, const char *path,
                    const pl_file *kf, const pl_node *e)
{
	kz_resmap sub;
	size_t j;
	int rc;
	pl_vec_init(&sub.objs, sizeof(pl_kobject *));
	rc = build_dir(c, path, &sub, false, kf, e);
	if (rc && strncmp(c->err->msg, "accumulating resources", 22) != 0) {
		/* kustomize reports any failure inside a folder resource as
		 * one of accumulating it; the position stays the entry at
		 * fault, inside that folder */
		char msg[sizeof(c->err->msg)];
		snprintf(msg, sizeof(msg), "accumulating resources: %.200s",
		         c->err->msg);
		snprintf(c->err->msg, sizeof(c->err->msg), "%s", msg);
	}
	for (j = 0; !rc && j < sub.objs.len; j++)
		rc = add_object(c, rm, *(pl_kobject **)pl_vec_at(&sub.objs, j),
		                kf, e);
	pl_vec_release(&sub.objs);
	return rc;
}

int kz_resource_file(kz_ctx *c, kz_resmap *rm, const char *path,
                     const pl_file *kf, const pl_node *e)
{
	const pl_file *f = kz_load(c, path, kf, e);
	return f ? add_file(c, rm, f) : c->err->code;
}

static int resources(kz_ctx *c, kz_resmap *rm, const pl_file *kf,
                     const pl_node *list, const char *dir, bool components)
{
	size_t i;
	int rc;
	list = pl_node_deref(list);
	if (!list)
		return 0;
	if (list->kind != PL_NODE_SEQUENCE)
		return kz_fail(c, kf, list, PL_EPARSE,
		               "%s must be a list of paths",
		               components ? "components" : "resources");
	for (i = 0; i < list->u.seq.len; i++) {
		const pl_node *e = pl_node_deref(list->u.seq.items[i]);
		const char *rel, *path;
		int k;
		if (!e || e->kind != PL_NODE_SCALAR || !e->u.scalar.len)
			return kz_fail(c, kf, e ? e : list, PL_EPARSE,
			               "an entry must be a path");
		rel = e->u.scalar.str;
		if (remote(rel))
			return kz_fail(c, kf, e, PL_ENOTFOUND,
			               "accumulating resources: remote "
			               "resource '%s' is not fetched (offline)",
			               rel);
		path = kz_join(c->arena, dir, rel);
		k = kz_stat(c, path);
		if (k == 0)
			return kz_fail(c, kf, e, PL_ENOTFOUND,
			               "accumulating resources: '%s': no such "
			               "file or directory",
			               rel);
		if (k == 2) {
			if (components)
				rc = build_dir(c, path, rm, true, kf, e);
			else
				rc = kz_resource_dir(c, rm, path, kf, e);
		} else if (components) {
			return kz_fail(c, kf, e, PL_EPARSE,
			               "component '%s' must be a folder", rel);
		} else if (!c->flux && !kz_inside(dir, path)) {
			return kz_fail(c, kf, e, PL_EPARSE,
			               "accumulating resources: security; file "
			               "'%s' is not in or below '%s'",
			               path, dir);
		} else {
			rc = kz_resource_file(c, rm, path, kf, e);
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* Enters folder dir (the depth and folder-count limits, and a folder
 * that includes itself, which is the same folder whatever the path that
 * names it: device and inode, or the normalised path through a pl_kfs). */
static int enter_folder(kz_ctx *c, const char *dir, const pl_file *from,
                        const pl_node *at)
{
	struct stat st;
	int d;
	kz_folder *me;
	const char *norm;

	if (++c->depth > PL_KZ_MAX_DEPTH)
		return kz_fail(c, from, at, PL_ELIMIT,
		               "kustomizations nest deeper than %d",
		               PL_KZ_MAX_DEPTH);
	if (++c->nbuilt > PL_KZ_MAX_FOLDERS)
		return kz_fail(c, from, at, PL_ELIMIT,
		               "more than %d folder builds in one build",
		               PL_KZ_MAX_FOLDERS);
	me = &c->stack[c->depth - 1];
	norm = kz_join(c->arena, dir, ".");
	me->known = c->fs || stat(dir, &st) == 0;
	me->path = c->fs ? norm : NULL;
	me->dev = me->known && !c->fs ? (uint64_t)st.st_dev : 0;
	me->ino = me->known && !c->fs ? (uint64_t)st.st_ino : 0;
	for (d = 0; me->known && d < c->depth - 1; d++) {
		const kz_folder *o = &c->stack[d];
		if (!o->known)
			continue;
		if (c->fs ? o->path && strcmp(o->path, norm) == 0
		          : o->dev == me->dev && o->ino == me->ino)
			return kz_fail(c, from, at, PL_EPARSE,
			               "cycle detected: '%s' includes itself",
			               dir);
	}
	return 0;
}

/* How many kustomization files folder dir holds; *path is the first. */
static int count_kustomizations(kz_ctx *c, const char *dir, const char **path)
{
	size_t i;
	int found = 0;
	*path = NULL;
	for (i = 0; i < PL_ARRAY_SIZE(kust_names); i++) {
		const char *p = kz_join(c->arena, dir, kust_names[i]);
		if (kz_stat(c, p) == 1) {
			found++;
			if (!*path)
				*path = p;
		}
	}
	return found;
}

/* The one kustomization file of dir, parsed, of a kind that fits
 * (a Component where one is included as a component), its fields
 * decoded as kustomize does. */
static int open_kustomization(kz_ctx *c, const char *dir, const char *path,
                              bool component, const pl_file *from,
                              const pl_node *at, const pl_file **kf_out,
                              const pl_node **root_out)
{
	const pl_file *kf = kz_load(c, path, from, at);
	const pl_node *root;
	const char *kind;

	if (!kf)
		return c->err->code;
	root = kf->tree.ndocs ? pl_node_deref(kf->tree.docs[0].root) : NULL;
	if (!root || root->kind != PL_NODE_MAPPING)
		return kz_fail(c, kf, root, PL_EPARSE,
		               "kustomization is empty or not a mapping");
	kind = pl_node_get_str(root, "kind");
	/* a Component builds on its own too, as kustomize build does */
	if (component && (!kind || strcmp(kind, "Component") != 0))
		return kz_fail(c, from, at, PL_EPARSE,
		               "'%s' is not a Component (kind: Component)",
		               dir);
	if (kind && strcmp(kind, "Component") != 0 &&
	    strcmp(kind, "Kustomization") != 0)
		return kz_fail(c, kf, pl_node_get(root, "kind"), PL_EPARSE,
		               "kind '%s' is not Kustomization or Component",
		               kind);
	*kf_out = kf;
	*root_out = root;
	return kz_validate(c, kf, root);
}

/* namespace, namePrefix and nameSuffix, labels, commonLabels and
 * commonAnnotations, in kustomize's order. Flux replaces namespace,
 * namePrefix and nameSuffix with targetNamespace, namePrefix and
 * nameSuffix. */
static void names_and_labels(kz_ctx *c, kz_resmap *rm, const pl_file *kf,
                             const pl_node *root, const pl_kflux *fx)
{
	const pl_file *ff = fx ? fx->file : NULL;
	const pl_node *spec = fx ? fx->spec : NULL, *v;
	size_t i;

	v = kz_field(root, "namespace");
	if (fx && kz_field(spec, "targetNamespace"))
		kz_set_namespace(c, rm, ff, kz_field(spec, "targetNamespace"));
	else if (v && v->kind == PL_NODE_SCALAR && v->u.scalar.len)
		kz_set_namespace(c, rm, kf, v);
	if (fx &&
	    (kz_field(spec, "namePrefix") || kz_field(spec, "nameSuffix")))
		kz_name_affix(c, rm, ff,
		              kz_field(spec, "namePrefix")
		                      ? kz_field(spec, "namePrefix")
		                      : kz_field(root, "namePrefix"),
		              kz_field(spec, "nameSuffix")
		                      ? kz_field(spec, "nameSuffix")
		                      : kz_field(root, "nameSuffix"));
	else if (kz_field(root, "namePrefix") || kz_field(root, "nameSuffix"))
		kz_name_affix(c, rm, kf, kz_field(root, "namePrefix"),
		              kz_field(root, "nameSuffix"));
	v = kz_field(root, "labels");
	if (v && v->kind == PL_NODE_SEQUENCE) {
		for (i = 0; i < v->u.seq.len; i++) {
			const pl_node *l = pl_node_deref(v->u.seq.items[i]);
			kz_labels(
			        c, rm, kf, kz_field(l, "pairs"),
			        pl_node_is_str(kz_field(l, "includeSelectors"),
			                       "true"),
			        pl_node_is_str(kz_field(l, "includeTemplates"),
			                       "true"),
			        false);
		}
	}
	if (kz_field(root, "commonLabels"))
		kz_labels(c, rm, kf, kz_field(root, "commonLabels"), true, true,
		          false);
	if (kz_field(root, "commonAnnotations"))
		kz_labels(c, rm, kf, kz_field(root, "commonAnnotations"), false,
		          true, true);
}

/* Everything after resources and generators: components, patches, the
 * transformers. Flux appends spec.components and spec.patches to the
 * kustomization's and merges spec.images into images by name (its
 * entries win). kf and root are NULL for the kustomization Flux
 * generates. */
static int transform(kz_ctx *c, kz_resmap *rm, const pl_file *kf,
                     const pl_node *root, const char *dir, const pl_kflux *fx)
{
	const pl_file *ff = fx ? fx->file : NULL;
	const pl_node *spec = fx ? fx->spec : NULL;
	const pl_node *fimages = fx ? kz_field(spec, "images") : NULL;
	int rc;

	rc = resources(c, rm, kf, kz_field(root, "components"), dir, true);
	if (!rc && fx)
		rc = resources(c, rm, ff, kz_field(spec, "components"), dir,
		               true);
	if (!rc)
		rc = kz_apply_sm_list(c, rm, kf,
		                      kz_field(root, "patchesStrategicMerge"),
		                      dir);
	if (!rc)
		rc = kz_apply_patches(c, rm, kf, kz_field(root, "patches"), dir,
		                      false);
	if (!rc && fx)
		rc = kz_apply_patches(c, rm, ff, kz_field(spec, "patches"), dir,
		                      false);
	if (rc)
		return rc;
	names_and_labels(c, rm, kf, root, fx);
	rc = kz_apply_patches(c, rm, kf, kz_field(root, "patchesJson6902"), dir,
	                      true);
	if (!rc && kz_field(root, "replicas"))
		rc = kz_replicas(c, rm, kf, kz_field(root, "replicas"));
	if (!rc && kz_field(root, "images"))
		rc = kz_images(c, rm, kf, kz_field(root, "images"), fimages);
	if (!rc && kz_field(root, "imageTags"))
		rc = kz_images(c, rm, kf, kz_field(root, "imageTags"), fimages);
	if (!rc && fimages)
		rc = kz_images(c, rm, ff, fimages, NULL);
	return rc;
}

static int build_dir(kz_ctx *c, const char *dir, kz_resmap *rm, bool component,
                     const pl_file *from, const pl_node *at)
{
	const char *path;
	const pl_file *kf = NULL;
	const pl_node *root = NULL;
	const pl_kflux *fx = c->depth == 0 ? c->flux : NULL;
	int rc, found;

	rc = enter_folder(c, dir, from, at);
	if (rc)
		goto done;
	found = count_kustomizations(c, dir, &path);
	if (found == 0 && fx) {
		/* Flux generates a kustomization listing the folder */
		dir = kz_join(c->arena, dir, ".");
		rc = kz_generated_resources(c, rm, dir, fx->file,
		                            pl_node_get(fx->spec, "path"));
		if (!rc)
			rc = transform(c, rm, NULL, NULL, dir, fx);
		goto done;
	}
	if (found == 0) {
		rc = kz_fail(c, from, at, PL_ENOTFOUND,
		             "accumulating resources: unable to find one of "
		             "'kustomization.yaml', 'kustomization.yml' or "
		             "'Kustomization' in directory '%s'",
		             dir);
		goto done;
	}
	if (found > 1) {
		rc = kz_fail(c, from, at, PL_EPARSE,
		             "found multiple kustomization files in '%s'", dir);
		goto done;
	}
	rc = open_kustomization(c, dir, path, component, from, at, &kf, &root);
	if (rc)
		goto done;
	dir = kz_join(c->arena, dir, ".");
	rc = resources(c, rm, kf, kz_field(root, "resources"), dir, false);
	if (!rc)
		rc = resources(c, rm, kf, kz_field(root, "bases"), dir, false);
	if (!rc)
		rc = kz_generators(c, rm, kf, root, dir);
	/* after resources and generators, so that a folder kustomize
	 * refuses for a missing or remote entry is refused for that */
	if (!rc)
		rc = kz_check_fields(c, kf, root);
	if (!rc)
		rc = transform(c, rm, kf, root, dir, fx);
done:
	c->depth--;
	return rc;
}

/* --- the build
 * ----------------------------------------------------------------- */

static bool local_config(const pl_kobject *o)
{
	const pl_knode *ann =
	        pl_knode_get(pl_knode_get(o->root, "metadata"), "annotations");
	const pl_knode *v =
	        pl_knode_get(ann, "config.kubernetes.io/local-config");
	return v && !kz_is(v, "false");
}

static int build(pl_kbuild **out, const char *dir, const pl_kflux *fx,
                 const pl_kfs *fs, pl_error *err)
{
	pl_kbuild *b = pl_xcalloc(1, sizeof(*b));
	kz_priv *p = pl_xcalloc(1, sizeof(*p));
	kz_ctx c;
	kz_resmap rm;
	size_t i;
	int rc;

	*out = NULL;
	pl_error_clear(err);
	pl_arena_init(&b->arena);
	pl_map_init(&p->files);
	pl_vec_init(&p->synth, sizeof(pl_file *));
	b->priv = p;
	memset(&c, 0, sizeof(c));
	c.arena = &b->arena;
	c.build = b;
	c.err = err;
	c.flux = fx;
	c.fs = fs;
	pl_vec_init(&rm.objs, sizeof(pl_kobject *));
	if (kz_stat(&c, dir) != 2) {
		rc = pl_error_set(err, PL_ENOTFOUND, NULL, NULL,
		                  "'%s' is not a folder", dir);
		goto fail;
	}
	rc = build_dir(&c, dir, &rm, false, NULL, NULL);
	if (rc)
		goto fail;
	kz_add_hashes(&c, &rm);
	kz_fix_references(&c, &rm);
	if (fx && fx->substitute)
		kz_post_build(&c, &rm, fx);
	b->objects = pl_arena_alloc(&b->arena,
	                            (rm.objs.len + 1) * sizeof(*b->objects));
	for (i = 0; i < rm.objs.len; i++) {
		pl_kobject *o = *(pl_kobject **)pl_vec_at(&rm.objs, i);
		pl_knode *md = pl_knode_get(o->root, "metadata");
		pl_knode *ann = pl_knode_get(md, "annotations");
		if (local_config(o))
			continue;
		/* kustomize keeps internal annotations while it builds and
		 * clears the field when none is left: a null or empty
		 * metadata.annotations does not survive */
		if (ann &&
		    (ann->kind == PL_NODE_MAPPING ? ann->n == 0
		                                  : ann->type == PL_TYPE_NULL))
			kz_del(md, "annotations");
		b->objects[b->nobjects++] = o;
	}
	pl_vec_release(&rm.objs);
	*out = b;
	return 0;
fail:
	pl_vec_release(&rm.objs);
	pl_kbuild_free(b);
	return rc ? rc : PL_EINTERNAL;
}

int pl_kustomize_build(pl_kbuild **out, const char *dir, pl_error *err)
{
	return build(out, dir, NULL, NULL, err);
}

int pl_kustomize_build_flux(pl_kbuild **out, const char *dir,
                            const pl_kflux *fx, pl_error *err)
{
	return build(out, dir, fx, NULL, err);
}

int pl_kustomize_build_in(pl_kbuild **out, const char *dir, const pl_kflux *fx,
                          const pl_kfs *fs, pl_error *err)
{
	return build(out, dir, fx, fs, err);
}

bool pl_kbuild_owns_files(const pl_kbuild *b)
{
	const kz_priv *p = b->priv;
	return b->nfiles > 0 || p->synth.len > 0;
}

void pl_kbuild_free(pl_kbuild *b)
{
	kz_priv *p;
	size_t i;
	if (!b)
		return;
	p = b->priv;
	for (i = 0; i < b->nfiles; i++) {
		pl_file_release(b->files[i]);
		free(b->files[i]);
	}
	for (i = 0; i < p->synth.len; i++) {
		pl_file *f = *(pl_file **)pl_vec_at(&p->synth, i);
		pl_file_release(f);
		free(f);
	}
	pl_vec_release(&p->synth);
	pl_map_release(&p->files);
	free(p);
	free(b->files);
	pl_arena_release(&b->arena);
	free(b);
}
