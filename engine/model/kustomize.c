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

#include <strings.h>
#include <dirent.h>
#include <sys/stat.h>

typedef struct kz_priv {
	pl_map files; /* fs path -> pl_file * */
	pl_vec synth; /* pl_file *: inline patches parsed from strings */
} kz_priv;

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

/* --- paths and files ------------------------------------------------------ */

/* dir + "/" + rel with "." and ".." segments folded where possible; a
 * leading "/" and leading ".." segments are kept. */
static char *join(pl_arena *a, const char *dir, const char *rel)
{
	pl_buf b;
	size_t starts[256], nseg = 0, fixed = 0, pass;
	const char *parts[2];
	char *r;

	pl_buf_init(&b, 0);
	parts[0] = rel[0] == '/' ? "" : dir;
	parts[1] = rel;
	if ((parts[0][0] == '/') || (parts[0][0] == '\0' && rel[0] == '/'))
		pl_buf_addc(&b, '/');
	for (pass = 0; pass < 2; pass++) {
		const char *p = parts[pass];
		while (*p) {
			size_t n = strcspn(p, "/");
			if (n == 2 && p[0] == '.' && p[1] == '.' &&
			    nseg > fixed) {
				b.len = starts[--nseg];
				if (b.ptr)
					b.ptr[b.len] = '\0';
			} else if (n > 0 && !(n == 1 && p[0] == '.') &&
			           nseg < PL_ARRAY_SIZE(starts)) {
				starts[nseg++] = b.len;
				if (b.len && b.ptr[b.len - 1] != '/')
					pl_buf_addc(&b, '/');
				pl_buf_add(&b, p, n);
				if (n == 2 && p[0] == '.' && p[1] == '.')
					fixed = nseg;
			}
			p += n;
			if (*p == '/')
				p++;
		}
	}
	if (b.len == 0)
		pl_buf_addc(&b, '.');
	r = pl_arena_strndup(a, b.ptr, b.len);
	pl_buf_release(&b);
	return r;
}

int kz_stat(kz_ctx *c, const char *path)
{
	struct stat st;
	if (c->fs)
		return c->fs->kind(c->fs->ud, path);
	if (stat(path, &st) != 0)
		return 0;
	return S_ISDIR(st.st_mode) ? 2 : 1;
}

char *kz_read(kz_ctx *c, const char *path, size_t *len)
{
	FILE *f;
	pl_buf b;
	char chunk[8192];
	size_t n;

	if (c->fs) {
		const pl_file *pf = c->fs->file(c->fs->ud, path);
		char *copy;
		if (!pf || !pf->src.data)
			return NULL;
		copy = pl_xmalloc(pf->src.len + 1);
		memcpy(copy, pf->src.data, pf->src.len);
		copy[pf->src.len] = '\0';
		*len = pf->src.len;
		return copy;
	}
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	pl_buf_init(&b, 0);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		pl_buf_add(&b, chunk, n);
	fclose(f);
	if (!b.ptr)
		pl_buf_addc(&b, '\0'), b.len = 0;
	return pl_buf_detach(&b, len);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct name_list {
	kz_ctx *c;
	pl_vec names; /* char *, in the arena */
} name_list;

static void add_name(void *arg, const char *name)
{
	name_list *l = arg;
	char *copy;
	if (name[0] == '.')
		return;
	copy = pl_arena_strdup(l->c->arena, name);
	pl_vec_append(&l->names, &copy);
}

char **kz_list(kz_ctx *c, const char *dir, size_t *n)
{
	name_list l;
	char **out;
	l.c = c;
	pl_vec_init(&l.names, sizeof(char *));
	if (c->fs) {
		c->fs->list(c->fs->ud, dir, add_name, &l);
	} else {
		DIR *d = opendir(dir);
		struct dirent *e;
		if (!d) {
			pl_vec_release(&l.names);
			return NULL;
		}
		while ((e = readdir(d)) != NULL)
			add_name(&l, e->d_name);
		closedir(d);
	}
	out = pl_arena_alloc(c->arena, (l.names.len + 1) * sizeof(*out));
	if (l.names.len)
		memcpy(out, l.names.items, l.names.len * sizeof(*out));
	*n = l.names.len;
	pl_vec_release(&l.names);
	qsort(out, *n, sizeof(*out), cmp_name);
	return out;
}

/* The file at path, read and parsed once per build; NULL if unreadable
 * (err set at `at`). */
static pl_file *load(kz_ctx *c, const char *path, const pl_file *from,
                     const pl_node *at)
{
	kz_priv *p = c->build->priv;
	pl_file *f = pl_map_get(&p->files, path, strlen(path));
	pl_limits limits;

	if (f)
		return f;
	pl_limits_default(&limits);
	if (c->fs) {
		/* the run's file: parsed by the run, or here once (a file
		 * the run left unparsed because no rule reads it alone) */
		f = c->fs->file(c->fs->ud, path);
		if (!f) {
			kz_fail(c, from, at, PL_EIO, "cannot read '%s'", path);
			return NULL;
		}
		if (!f->parsed && f->src.kind == PL_SOURCE_YAML)
			pl_file_load(f, &limits);
		if (!f->parsed) {
			kz_fail(c, from, at, PL_EPARSE,
			        "'%s' is not read as YAML", path);
			return NULL;
		}
		pl_map_put(&p->files, path, strlen(path), f, NULL);
		if (f->tree.problem != PL_TREE_OK) {
			pl_error_set(c->err, PL_EPARSE, f->src.path,
			             &f->tree.where, "%s", f->tree.message);
			return NULL;
		}
		return f;
	}
	f = pl_xmalloc(sizeof(*f));
	pl_file_init(f);
	pl_source_read_file(&f->src, path, path, &limits);
	if (f->src.kind == PL_SOURCE_SKIPPED) {
		kz_fail(c, from, at, PL_EIO, "cannot read '%s': %s", path,
		        f->src.skip == PL_SKIP_UNREADABLE
		                ? strerror(f->src.skip_errno)
		                : "not a text file");
		pl_file_release(f);
		free(f);
		return NULL;
	}
	f->src.kind = PL_SOURCE_YAML;
	pl_file_load(f, &limits);
	c->build->files = pl_xrealloc(c->build->files,
	                              (c->build->nfiles + 1) * sizeof(f));
	c->build->files[c->build->nfiles++] = f;
	pl_map_put(&p->files, f->src.path, strlen(f->src.path), f, NULL);
	if (f->tree.problem != PL_TREE_OK) {
		pl_error_set(c->err, PL_EPARSE, f->src.path, &f->tree.where,
		             "%s", f->tree.message);
		return NULL;
	}
	return f;
}

/*
 * kustomize's default load restrictor (rootOnly): a file a kustomization
 * reads (a resource file, a patch, a generator input) must be in or
 * below its folder; folders may be anywhere [K api/internal/loader/
 * fileloader.go]. Both paths come from join(), so this is a prefix test.
 * Flux builds without that restriction [FP kustomize_generator.go].
 */
bool kz_inside(const char *dir, const char *path)
{
	size_t n = strlen(dir);
	if (strcmp(dir, ".") == 0)
		return path[0] != '/' && !(path[0] == '.' && path[1] == '.' &&
		                           (path[2] == '/' || !path[2]));
	return strncmp(path, dir, n) == 0 && path[n] == '/';
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

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* kustomize's namespace comparison: unset is "default". */
static bool same_ns(const char *a, const char *b)
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
	return same_str(kz_name(x), kz_name(y)) &&
	       same_str(kz_kind(x), kz_kind(y)) &&
	       same_ns(kz_namespace(x), kz_namespace(y)) &&
	       same_str(kz_api_version(x), kz_api_version(y));
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
		if (same_str(kz_name(q), name) && same_id(q, o))
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

/* Fields plumb reads (sortOptions changes the order only, which plumb
 * does not reproduce); any other kustomize field (buildMetadata,
 * transformers, helmCharts, ...) is refused as not supported rather
 * than silently ignored. */
static const char *const known_fields[] = {"apiVersion",
                                           "bases",
                                           "commonAnnotations",
                                           "commonLabels",
                                           "components",
                                           "configMapGenerator",
                                           "generatorOptions",
                                           "images",
                                           "imageTags",
                                           "kind",
                                           "labels",
                                           "metadata",
                                           "namePrefix",
                                           "nameSuffix",
                                           "namespace",
                                           "patches",
                                           "patchesJson6902",
                                           "patchesStrategicMerge",
                                           "replicas",
                                           "resources",
                                           "secretGenerator",
                                           "sortOptions"};

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

/* A patch document list: from a file path or an inline string. */
static int patch_docs(kz_ctx *c, const char *dir, const pl_file *kf,
                      const pl_node *path, const pl_node *inl, pl_knode ***docs,
                      size_t *ndocs);

static int apply_sm_list(kz_ctx *c, kz_resmap *rm, const pl_file *kf,
                         const pl_node *list, const char *dir);
static int apply_patches(kz_ctx *c, kz_resmap *rm, const pl_file *kf,
                         const pl_node *list, const char *dir, bool j6902);

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
	const pl_file *f = load(c, path, kf, e);
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
		path = join(c->arena, dir, rel);
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

/* kustomize decodes the file with Go's encoding/json, whose field names
 * match case-insensitively (patchesJSON6902 is patchesJson6902). */
static const pl_node *field(const pl_node *root, const char *key)
{
	const pl_node *v = NULL;
	uint32_t i;
	root = pl_node_deref(root);
	if (!root || root->kind != PL_NODE_MAPPING)
		return NULL;
	for (i = 0; i < root->u.map.len; i++) {
		const pl_node *k = pl_node_deref(root->u.map.pairs[i].key);
		if (k && k->kind == PL_NODE_SCALAR &&
		    strcasecmp(k->u.scalar.str, key) == 0)
			v = pl_node_deref(root->u.map.pairs[i].value);
	}
	if (v && v->kind == PL_NODE_SCALAR && v->type == PL_TYPE_NULL)
		return NULL;
	return v;
}

/*
 * kustomize decodes a kustomization strictly [K api/types/kustomization.go,
 * image.go, patch.go, selector.go, replica.go, labels.go,
 * configmapargs.go, generatorargs.go, kvpairsources.go,
 * generatoroptions.go]: an unknown field, at the top or inside an entry,
 * is "invalid Kustomization: json: unknown field" before anything is
 * built. A schema is a list of "field" or "field:subschema" strings.
 */
static const char *const s_target[] = {"group",
                                       "version",
                                       "kind",
                                       "name",
                                       "namespace",
                                       "labelSelector",
                                       "annotationSelector",
                                       NULL};
static const char *const s_options[] = {
        "labels", "annotations", "disableNameSuffixHash", "immutable", NULL};
static const char *const s_patch[] = {"path", "patch", "target", "options",
                                      NULL};
static const char *const s_json6902[] = {"path",  "patch",     "target",
                                         "group", "version",   "kind",
                                         "name",  "namespace", NULL};
static const char *const s_image[] = {"name",   "newName",   "newTag",
                                      "digest", "tagSuffix", NULL};
static const char *const s_replica[] = {"name", "count", NULL};
static const char *const s_label[] = {"pairs", "includeSelectors",
                                      "includeTemplates", "fields", NULL};
static const char *const s_generator[] = {
        "name", "namespace", "behavior", "literals",  "files", "envs",
        "env",  "options",   "type",     "kvSources", NULL};

typedef struct entry_schema {
	const char *field;
	const char *const *keys; /* of each list item (or of the mapping) */
	const char *const *sub;  /* of the item's "target"/"options" */
	const char *subkey;
} entry_schema;

static const entry_schema schemas[] = {
        {"patches", s_patch, s_target, "target"},
        {"patchesJson6902", s_json6902, s_target, "target"},
        {"images", s_image, NULL, NULL},
        {"imageTags", s_image, NULL, NULL},
        {"replicas", s_replica, NULL, NULL},
        {"labels", s_label, NULL, NULL},
        {"configMapGenerator", s_generator, s_options, "options"},
        {"secretGenerator", s_generator, s_options, "options"},
        {"generatorOptions", s_options, NULL, NULL},
};

/* Every kustomization field kustomize v5 knows. */
static const char *const kustomize_fields[] = {"apiVersion",
                                               "kind",
                                               "metadata",
                                               "openapi",
                                               "namePrefix",
                                               "nameSuffix",
                                               "namespace",
                                               "commonLabels",
                                               "labels",
                                               "commonAnnotations",
                                               "patchesStrategicMerge",
                                               "patchesJson6902",
                                               "patches",
                                               "images",
                                               "imageTags",
                                               "replacements",
                                               "replicas",
                                               "vars",
                                               "sortOptions",
                                               "resources",
                                               "components",
                                               "crds",
                                               "bases",
                                               "configMapGenerator",
                                               "secretGenerator",
                                               "helmGlobals",
                                               "helmCharts",
                                               "helmChartInflationGenerator",
                                               "generatorOptions",
                                               "configurations",
                                               "generators",
                                               "transformers",
                                               "validators",
                                               "buildMetadata",
                                               NULL};

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcasecmp(*list, s) == 0)
			return true;
	return false;
}

static int unknown_keys(kz_ctx *c, const pl_file *kf, const pl_node *m,
                        const char *const *keys)
{
	uint32_t i;
	m = pl_node_deref(m);
	if (!m || m->kind != PL_NODE_MAPPING)
		return 0;
	for (i = 0; i < m->u.map.len; i++) {
		const pl_node *k = pl_node_deref(m->u.map.pairs[i].key);
		if (k && k->kind == PL_NODE_SCALAR &&
		    !in_list(keys, k->u.scalar.str))
			return kz_fail(c, kf, k, PL_EPARSE,
			               "invalid Kustomization: unknown field "
			               "'%s'",
			               k->u.scalar.str);
	}
	return 0;
}

/* In document order, as Go's decoder meets the fields. */
static int validate(kz_ctx *c, const pl_file *kf, const pl_node *root)
{
	uint32_t p;
	size_t i, j;
	int rc = unknown_keys(c, kf, root, kustomize_fields);
	for (p = 0; !rc && p < root->u.map.len; p++) {
		const pl_node *k = pl_node_deref(root->u.map.pairs[p].key);
		const pl_node *v = pl_node_deref(root->u.map.pairs[p].value);
		const entry_schema *sc = NULL;
		for (i = 0; k && k->kind == PL_NODE_SCALAR &&
		            i < PL_ARRAY_SIZE(schemas);
		     i++)
			if (strcasecmp(schemas[i].field, k->u.scalar.str) == 0)
				sc = &schemas[i];
		if (!sc || !v)
			continue;
		if (v->kind == PL_NODE_MAPPING) {
			rc = unknown_keys(c, kf, v, sc->keys);
			continue;
		}
		for (j = 0;
		     !rc && v->kind == PL_NODE_SEQUENCE && j < v->u.seq.len;
		     j++) {
			const pl_node *e = pl_node_deref(v->u.seq.items[j]);
			rc = unknown_keys(c, kf, e, sc->keys);
			if (!rc && sc->sub)
				rc = unknown_keys(c, kf, field(e, sc->subkey),
				                  sc->sub);
		}
	}
	return rc;
}

/* Entry fields plumb does not apply: refused, never ignored. */
static int unsupported_entries(kz_ctx *c, const pl_file *kf,
                               const pl_node *root)
{
	static const struct {
		const char *field, *sub, *key;
	} refused[] = {
	        {"labels", NULL, "fields"},
	        {"patches", "options", "allowNameChange"},
	        {"patches", "options", "allowKindChange"},
	};
	size_t i, j;
	for (i = 0; i < PL_ARRAY_SIZE(refused); i++) {
		const pl_node *list = field(root, refused[i].field);
		for (j = 0; list && list->kind == PL_NODE_SEQUENCE &&
		            j < list->u.seq.len;
		     j++) {
			const pl_node *e = pl_node_deref(list->u.seq.items[j]);
			const pl_pair *p;
			if (refused[i].sub)
				e = field(e, refused[i].sub);
			p = pl_node_get_pair(e, refused[i].key);
			if (p &&
			    !pl_node_is_str(pl_node_deref(p->value), "false"))
				return kz_fail(c, kf, p->key, PL_EPARSE,
				               "%s field '%s' is not supported "
				               "by plumb build",
				               refused[i].field,
				               refused[i].key);
		}
	}
	return 0;
}

static int check_fields(kz_ctx *c, const pl_file *kf, const pl_node *root)
{
	uint32_t i;
	size_t j;
	const pl_node *images = field(root, "images");
	for (i = 0; i < root->u.map.len; i++) {
		const pl_node *k = pl_node_deref(root->u.map.pairs[i].key);
		bool known = false;
		if (!k || k->kind != PL_NODE_SCALAR)
			continue;
		for (j = 0; j < PL_ARRAY_SIZE(known_fields); j++)
			if (strcasecmp(known_fields[j], k->u.scalar.str) == 0)
				known = true;
		if (!known)
			return kz_fail(c, kf, k, PL_EPARSE,
			               "kustomization field '%s' is not "
			               "supported by plumb build",
			               k->u.scalar.str);
	}
	for (j = 0; images && images->kind == PL_NODE_SEQUENCE &&
	            j < images->u.seq.len;
	     j++) {
		const pl_node *e = pl_node_deref(images->u.seq.items[j]);
		const pl_pair *p = pl_node_get_pair(e, "tagSuffix");
		if (p)
			return kz_fail(c, kf, p->key, PL_EPARSE,
			               "images field 'tagSuffix' is not "
			               "supported by plumb build");
	}
	return unsupported_entries(c, kf, root);
}

static int build_dir(kz_ctx *c, const char *dir, kz_resmap *rm, bool component,
                     const pl_file *from, const pl_node *at)
{
	const char *path = NULL, *kind;
	const pl_file *kf = NULL, *ff = NULL;
	const pl_node *root = NULL, *v, *spec = NULL;
	const pl_kflux *fx = c->depth == 0 ? c->flux : NULL;
	size_t i;
	int rc, found = 0;

	if (++c->depth > PL_KZ_MAX_DEPTH) {
		rc = kz_fail(c, from, at, PL_ELIMIT,
		             "kustomizations nest deeper than %d",
		             PL_KZ_MAX_DEPTH);
		goto done;
	}
	if (++c->nbuilt > PL_KZ_MAX_FOLDERS) {
		rc = kz_fail(c, from, at, PL_ELIMIT,
		             "more than %d folder builds in one build",
		             PL_KZ_MAX_FOLDERS);
		goto done;
	}
	{
		/* a folder is the same folder whatever the path that names
		 * it: compare device and inode */
		struct stat st;
		int d;
		kz_folder *me = &c->stack[c->depth - 1];
		const char *norm = join(c->arena, dir, ".");
		me->known = c->fs || stat(dir, &st) == 0;
		me->path = c->fs ? norm : NULL;
		me->dev = me->known && !c->fs ? (uint64_t)st.st_dev : 0;
		me->ino = me->known && !c->fs ? (uint64_t)st.st_ino : 0;
		for (d = 0; me->known && d < c->depth - 1; d++) {
			const kz_folder *o = &c->stack[d];
			if (!o->known)
				continue;
			if (c->fs ? o->path && strcmp(o->path, norm) == 0
			          : o->dev == me->dev && o->ino == me->ino) {
				rc = kz_fail(c, from, at, PL_EPARSE,
				             "cycle detected: '%s' includes "
				             "itself",
				             dir);
				goto done;
			}
		}
	}
	for (i = 0; i < PL_ARRAY_SIZE(kust_names); i++) {
		const char *p = join(c->arena, dir, kust_names[i]);
		if (kz_stat(c, p) == 1) {
			found++;
			if (!path)
				path = p;
		}
	}
	if (fx) {
		ff = fx->file;
		spec = fx->spec;
	}
	if (found == 0 && fx) {
		/* Flux generates a kustomization listing the folder */
		dir = join(c->arena, dir, ".");
		rc = kz_generated_resources(c, rm, dir, ff,
		                            pl_node_get(spec, "path"));
		if (rc)
			goto done;
		goto transform;
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
	kf = load(c, path, from, at);
	if (!kf) {
		rc = c->err->code;
		goto done;
	}
	root = kf->tree.ndocs ? pl_node_deref(kf->tree.docs[0].root) : NULL;
	if (!root || root->kind != PL_NODE_MAPPING) {
		rc = kz_fail(c, kf, root, PL_EPARSE,
		             "kustomization is empty or not a mapping");
		goto done;
	}
	kind = pl_node_get_str(root, "kind");
	/* a Component builds on its own too, as kustomize build does */
	if (component && (!kind || strcmp(kind, "Component") != 0)) {
		rc = kz_fail(c, from, at, PL_EPARSE,
		             "'%s' is not a Component (kind: Component)", dir);
		goto done;
	}
	if (kind && strcmp(kind, "Component") != 0 &&
	    strcmp(kind, "Kustomization") != 0) {
		rc = kz_fail(c, kf, pl_node_get(root, "kind"), PL_EPARSE,
		             "kind '%s' is not Kustomization or Component",
		             kind);
		goto done;
	}
	rc = validate(c, kf, root);
	if (rc)
		goto done;
	dir = join(c->arena, dir, ".");
	rc = resources(c, rm, kf, field(root, "resources"), dir, false);
	if (!rc)
		rc = resources(c, rm, kf, field(root, "bases"), dir, false);
	if (!rc)
		rc = kz_generators(c, rm, kf, root, dir);
	/* after resources and generators, so that a folder kustomize
	 * refuses for a missing or remote entry is refused for that */
	if (!rc)
		rc = check_fields(c, kf, root);
	if (rc)
		goto done;
transform:
	rc = resources(c, rm, kf, field(root, "components"), dir, true);
	/* Flux appends spec.components and spec.patches to the
	 * kustomization's, and replaces namespace, namePrefix and
	 * nameSuffix with targetNamespace, namePrefix and nameSuffix */
	if (!rc && fx)
		rc = resources(c, rm, ff, field(spec, "components"), dir, true);
	if (!rc)
		rc = apply_sm_list(c, rm, kf,
		                   field(root, "patchesStrategicMerge"), dir);
	if (!rc)
		rc = apply_patches(c, rm, kf, field(root, "patches"), dir,
		                   false);
	if (!rc && fx)
		rc = apply_patches(c, rm, ff, field(spec, "patches"), dir,
		                   false);
	if (rc)
		goto done;
	v = field(root, "namespace");
	if (fx && field(spec, "targetNamespace"))
		kz_set_namespace(c, rm, ff, field(spec, "targetNamespace"));
	else if (v && v->kind == PL_NODE_SCALAR && v->u.scalar.len)
		kz_set_namespace(c, rm, kf, v);
	if (fx && (field(spec, "namePrefix") || field(spec, "nameSuffix")))
		kz_name_affix(
		        c, rm, ff,
		        field(spec, "namePrefix") ? field(spec, "namePrefix")
		                                  : field(root, "namePrefix"),
		        field(spec, "nameSuffix") ? field(spec, "nameSuffix")
		                                  : field(root, "nameSuffix"));
	else if (field(root, "namePrefix") || field(root, "nameSuffix"))
		kz_name_affix(c, rm, kf, field(root, "namePrefix"),
		              field(root, "nameSuffix"));
	v = field(root, "labels");
	if (v && v->kind == PL_NODE_SEQUENCE) {
		for (i = 0; i < v->u.seq.len; i++) {
			const pl_node *l = pl_node_deref(v->u.seq.items[i]);
			kz_labels(c, rm, kf, field(l, "pairs"),
			          pl_node_is_str(field(l, "includeSelectors"),
			                         "true"),
			          pl_node_is_str(field(l, "includeTemplates"),
			                         "true"),
			          false);
		}
	}
	if (field(root, "commonLabels"))
		kz_labels(c, rm, kf, field(root, "commonLabels"), true, true,
		          false);
	if (field(root, "commonAnnotations"))
		kz_labels(c, rm, kf, field(root, "commonAnnotations"), false,
		          true, true);
	rc = apply_patches(c, rm, kf, field(root, "patchesJson6902"), dir,
	                   true);
	if (!rc && field(root, "replicas"))
		rc = kz_replicas(c, rm, kf, field(root, "replicas"));
	/* Flux merges spec.images into images by name: its entries win */
	if (!rc && field(root, "images"))
		rc = kz_images(c, rm, kf, field(root, "images"),
		               fx ? field(spec, "images") : NULL);
	if (!rc && field(root, "imageTags"))
		rc = kz_images(c, rm, kf, field(root, "imageTags"),
		               fx ? field(spec, "images") : NULL);
	if (!rc && fx && field(spec, "images"))
		rc = kz_images(c, rm, ff, field(spec, "images"), NULL);
done:
	c->depth--;
	return rc;
}

/* --- patches -----------------------------------------------------------------
 */

static void shift_spans(pl_node *n, const pl_node *host, uint32_t line0,
                        uint32_t indent, bool exact)
{
	size_t i;
	if (!n || n->kind == PL_NODE_ALIAS)
		return;
	if (exact) {
		n->span.start.line += line0;
		n->span.start.col += indent;
		n->span.end.line += line0;
		n->span.end.col += indent;
	} else {
		n->span = host->span;
	}
	if (n->kind == PL_NODE_SEQUENCE) {
		for (i = 0; i < n->u.seq.len; i++)
			shift_spans(n->u.seq.items[i], host, line0, indent,
			            exact);
	} else if (n->kind == PL_NODE_MAPPING) {
		for (i = 0; i < n->u.map.len; i++) {
			if (n->u.map.pairs[i].flags & PL_PAIR_MERGED)
				continue;
			shift_spans(n->u.map.pairs[i].key, host, line0, indent,
			            exact);
			shift_spans(n->u.map.pairs[i].value, host, line0,
			            indent, exact);
		}
	}
}

/* Parses an inline patch (a string in the kustomization) so that its
 * nodes point into the kustomization file: exactly for a literal block,
 * at the string itself otherwise. */
static const pl_file *parse_inline(kz_ctx *c, const pl_file *kf,
                                   const pl_node *s)
{
	kz_priv *p = c->build->priv;
	pl_file *f = pl_xmalloc(sizeof(*f));
	pl_limits limits;
	size_t i;
	bool exact = s->style == PL_STYLE_LITERAL;
	uint32_t indent = 0;

	pl_limits_default(&limits);
	pl_file_init(f);
	pl_source_read_mem(&f->src, kf->src.path, pl_xstrdup(s->u.scalar.str),
	                   s->u.scalar.len, &limits);
	f->src.kind = PL_SOURCE_YAML;
	pl_file_load(f, &limits);
	pl_vec_append(&p->synth, &f);
	if (exact) {
		/* the block's indentation: the first content line's */
		size_t off = s->span.start.offset, len = kf->src.len;
		const char *d = kf->src.data;
		while (off < len && d[off] != '\n')
			off++;
		off++;
		while (off < len && d[off] == '\n')
			off++;
		while (off + indent < len && d[off + indent] == ' ')
			indent++;
	}
	for (i = 0; i < f->tree.ndocs; i++)
		shift_spans(f->tree.docs[i].root, s, s->span.start.line, indent,
		            exact);
	if (f->tree.problem != PL_TREE_OK) {
		pl_pos at = f->tree.where;
		if (exact) {
			at.line += s->span.start.line;
			at.col += indent;
		} else {
			at = s->span.start;
		}
		pl_error_set(c->err, PL_EPARSE, kf->src.path, &at, "patch: %s",
		             f->tree.message);
		return NULL;
	}
	return f;
}

static int patch_docs(kz_ctx *c, const char *dir, const pl_file *kf,
                      const pl_node *path, const pl_node *inl, pl_knode ***docs,
                      size_t *ndocs)
{
	const pl_file *pf, *owner;
	size_t i, n = 0;

	if (path) {
		const char *p;
		if (path->kind != PL_NODE_SCALAR)
			return kz_fail(c, kf, path, PL_EPARSE,
			               "a patch path must be a string");
		p = join(c->arena, dir, path->u.scalar.str);
		if (kz_stat(c, p) != 1)
			return kz_fail(c, kf, path, PL_ENOTFOUND,
			               "patch '%s': no such file",
			               path->u.scalar.str);
		if (!c->flux && !kz_inside(dir, p))
			return kz_fail(c, kf, path, PL_EPARSE,
			               "failed to get the patch file from path "
			               "(%s): security; file '%s' is not in or "
			               "below '%s'",
			               path->u.scalar.str, p, dir);
		pf = load(c, p, kf, path);
		owner = pf;
	} else {
		if (inl->kind != PL_NODE_SCALAR)
			return kz_fail(c, kf, inl, PL_EPARSE,
			               "an inline patch must be a string");
		pf = parse_inline(c, kf, inl);
		owner = kf;
	}
	if (!pf)
		return c->err->code;
	*docs = pl_arena_alloc(c->arena, (pf->tree.ndocs + 1) * sizeof(**docs));
	for (i = 0; i < pf->tree.ndocs; i++) {
		pl_knode *k =
		        kz_from_node(c->arena, owner, pf->tree.docs[i].root);
		if (k &&
		    !(k->kind == PL_NODE_SCALAR && k->type == PL_TYPE_NULL))
			(*docs)[n++] = k;
	}
	*ndocs = n;
	return 0;
}

/* Does object o have an identity equal to the patch's (kustomize's
 * GetById over current and earlier ids)? */
static bool id_matches(const pl_kobject *o, const pl_knode *patch)
{
	const pl_knode *md = pl_knode_get(patch, "metadata");
	const char *name = pl_knode_get_str(md, "name");
	const char *ns = pl_knode_get_str(md, "namespace");
	size_t i;
	if (!same_str(kz_kind(o), pl_knode_get_str(patch, "kind")) || !name)
		return false;
	{
		/* group and version must be equal */
		const char *a = kz_api_version(o);
		const char *b = pl_knode_get_str(patch, "apiVersion");
		if (!same_str(a, b))
			return false;
	}
	for (i = 0; i < o->nids; i++)
		if (same_str(o->ids[i].name, name) && same_ns(o->ids[i].ns, ns))
			return true;
	return false;
}

static void apply_sm(kz_ctx *c, pl_kobject *o, const pl_knode *patch)
{
	pl_knode *md = pl_knode_get(o->root, "metadata");
	pl_knode *name = md ? pl_knode_get(md, "name") : NULL;
	pl_knode *ns = md ? pl_knode_get(md, "namespace") : NULL;
	pl_knode *copy = kz_copy(c->arena, patch);
	const char *kind = kz_kind(o);

	kz_merge_sm(c, o->root, copy, kind);
	if (pl_knode_get(o->root, "$patch") &&
	    kz_is(pl_knode_get(o->root, "$patch"), "delete")) {
		o->root = NULL;
		return;
	}
	/* strategic merge patches change neither name nor namespace */
	md = pl_knode_get(o->root, "metadata");
	if (md && name)
		kz_set(c->arena, md, "name", name);
	if (md && ns)
		kz_set(c->arena, md, "namespace", ns);
	else if (md && !ns)
		kz_del(md, "namespace");
}

static void drop_deleted(kz_resmap *rm)
{
	size_t i, j = 0;
	for (i = 0; i < rm->objs.len; i++) {
		pl_kobject *o = *(pl_kobject **)pl_vec_at(&rm->objs, i);
		if (o->root)
			*(pl_kobject **)pl_vec_at(&rm->objs, j++) = o;
	}
	pl_vec_truncate(&rm->objs, j);
}

static int sm_by_id(kz_ctx *c, kz_resmap *rm, const pl_file *kf,
                    const pl_node *at, pl_knode *patch)
{
	size_t i, hits = 0;
	pl_kobject *hit = NULL;
	for (i = 0; i < rm->objs.len; i++) {
		pl_kobject *o = *(pl_kobject **)pl_vec_at(&rm->objs, i);
		if (id_matches(o, patch)) {
			hit = o;
			hits++;
		}
	}
	if (hits != 1) {
		const pl_knode *md = pl_knode_get(patch, "metadata");
		return kz_fail(c, kf, at, PL_ENOTFOUND,
		               "%s resource matches strategic merge patch "
		               "\"%s %s\"",
		               hits ? "more than one" : "no",
		               pl_knode_get_str(patch, "kind")
		                       ? pl_knode_get_str(patch, "kind")
		                       : "?",
		               pl_knode_get_str(md, "name")
		                       ? pl_knode_get_str(md, "name")
		                       : "?");
	}
	apply_sm(c, hit, patch);
	drop_deleted(rm);
	return 0;
}

static int apply_sm_list(kz_ctx *c, kz_resmap *rm, const pl_file *kf,
                         const pl_node *list, const char *dir)
{
	size_t i, j, n;
	pl_knode **docs;
	int rc;
	if (!list)
		return 0;
	if (list->kind != PL_NODE_SEQUENCE)
		return kz_fail(c, kf, list, PL_EPARSE,
		               "patchesStrategicMerge must be a list");
	for (i = 0; i < list->u.seq.len; i++) {
		const pl_node *e = pl_node_deref(list->u.seq.items[i]);
		bool inl = e && e->kind == PL_NODE_SCALAR &&
		           (memchr(e->u.scalar.str, '\n', e->u.scalar.len) ||
		            strstr(e->u.scalar.str, ": "));
		if (!e)
			continue;
		rc = patch_docs(c, dir, kf, inl ? NULL : e, inl ? e : NULL,
		                &docs, &n);
		if (rc)
			return rc;
		for (j = 0; j < n; j++) {
			rc = sm_by_id(c, rm, kf, e, docs[j]);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int apply_patches(kz_ctx *c, kz_resmap *rm, const pl_file *kf,
                         const pl_node *list, const char *dir, bool j6902)
{
	size_t i, j, k, n;
	pl_knode **docs;
	int rc;
	if (!list)
		return 0;
	if (list->kind != PL_NODE_SEQUENCE)
		return kz_fail(c, kf, list, PL_EPARSE, "%s must be a list",
		               j6902 ? "patchesJson6902" : "patches");
	for (i = 0; i < list->u.seq.len; i++) {
		const pl_node *e = pl_node_deref(list->u.seq.items[i]);
		const pl_node *path = field(e, "path"),
		              *inl = field(e, "patch");
		const pl_node *tnode = field(e, "target");
		pl_knode *target =
		        tnode ? kz_from_node(c->arena, kf, tnode) : NULL;
		bool is6902;
		if (!e || e->kind != PL_NODE_MAPPING)
			return kz_fail(c, kf, e ? e : list, PL_EPARSE,
			               "a patch must be a mapping");
		if (!path == !inl)
			return kz_fail(c, kf, e, PL_EPARSE,
			               "a patch needs exactly one of path and "
			               "patch");
		if (j6902 && !target) {
			/* patchesJson6902 write the target inline */
			target = kz_from_node(c->arena, kf, e);
		}
		rc = patch_docs(c, dir, kf, path, inl, &docs, &n);
		if (rc)
			return rc;
		if (n == 0)
			continue;
		is6902 = j6902 || docs[0]->kind == PL_NODE_SEQUENCE;
		if (is6902 && !target)
			return kz_fail(c, kf, e, PL_EPARSE,
			               "a JSON 6902 patch needs a target");
		if (!target) {
			for (j = 0; j < n; j++) {
				rc = sm_by_id(c, rm, kf, path ? path : inl,
				              docs[j]);
				if (rc)
					return rc;
			}
			continue;
		}
		for (k = 0; k < rm->objs.len; k++) {
			pl_kobject *o = *(pl_kobject **)pl_vec_at(&rm->objs, k);
			bool hit = false;
			rc = kz_select(c, o, target, &hit);
			if (rc)
				return kz_fail(c, kf, tnode ? tnode : e, rc,
				               "invalid patch target");
			if (!hit)
				continue;
			if (is6902) {
				rc = kz_json6902(c, o, docs[0]);
				if (rc)
					return rc;
				continue;
			}
			for (j = 0; j < n && o->root; j++)
				apply_sm(c, o, docs[j]);
		}
		drop_deleted(rm);
	}
	return 0;
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
