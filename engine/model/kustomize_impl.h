/*
 * kustomize_impl.h - what the files of the build model share, not API.
 *
 * kustomize_node.c  rendered nodes: copy from the typed tree, get, set
 * kustomize_patch.c strategic merge and JSON 6902 patches
 * kustomize_xform.c the built-in transformers (namespace, names, labels,
 *                   annotations, images, replicas, name references)
 * kustomize_gen.c   configMapGenerator, secretGenerator, content hashes
 * kustomize_emit.c  the YAML stream and its source comments
 * kustomize_fs.c    paths, files read and parsed once, the load restrictor
 * kustomize_fields.c the kustomization's fields as kustomize decodes them
 * kustomize_apply.c the kustomization's patch entries, applied
 * kustomize.c       folders, accumulation, the order of the steps
 */
#ifndef PL_KUSTOMIZE_IMPL_H
#define PL_KUSTOMIZE_IMPL_H

#include "model/kustomize.h"
#include "base/map.h"
#include "base/vec.h"

/* --- nodes (kustomize_node.c) --- */
pl_knode *kz_from_node(pl_arena *a, const pl_file *f, const pl_node *n);
pl_knode *kz_copy(pl_arena *a, const pl_knode *n);
pl_knode *kz_scalar(pl_arena *a, const char *s, const pl_file *f,
                    const pl_node *origin);
pl_knode *kz_collection(pl_arena *a, pl_node_kind kind, const pl_file *f,
                        const pl_node *origin);
pl_kpair *kz_get_pair(const pl_knode *m, const char *key);
/* Sets key to v in mapping m (replacing the value of an existing key). */
void kz_set(pl_arena *a, pl_knode *m, const char *key, pl_knode *v);
void kz_set_str(pl_arena *a, pl_knode *m, const char *key, const char *s,
                const pl_file *f, const pl_node *origin);
bool kz_del(pl_knode *m, const char *key);
void kz_append(pl_arena *a, pl_knode *seq, pl_knode *item);
/* The mapping at m.key, created (with the given origin) if absent or not
 * a mapping. */
pl_knode *kz_ensure_map(pl_arena *a, pl_knode *m, const char *key,
                        const pl_file *f, const pl_node *origin);
bool kz_is(const pl_knode *n, const char *s);
bool kz_equal(const pl_knode *x, const pl_knode *y);

/* --- objects --- */
const char *kz_kind(const pl_kobject *o);
const char *kz_api_version(const pl_kobject *o);
const char *kz_name(const pl_kobject *o);
const char *kz_namespace(const pl_kobject *o);
/* Records the current identity among the earlier ones. */
void kz_remember_id(pl_arena *a, pl_kobject *o);
/* kustomize's group of an apiVersion ("" for core). */
void kz_group_version(const char *api_version, char *group, size_t gsize,
                      const char **version);
bool kz_cluster_scoped(const char *api_version, const char *kind);

/* A list of objects: kustomize's resource map. */
typedef struct kz_resmap {
	pl_vec objs; /* pl_kobject * */
} kz_resmap;

/* --- the run of one build --- */
typedef struct kz_folder {
	uint64_t dev, ino;
	const char *path; /* through a pl_kfs: folders compare by path */
	bool known;       /* stat worked; false for a plain generated folder */
} kz_folder;

typedef struct kz_ctx {
	const pl_kflux *flux; /* applies to the top folder only */
	const pl_kfs *fs;     /* NULL: the disk */
	pl_arena *arena;
	pl_kbuild *build;
	pl_error *err;
	int depth;
	/* the folders being built, outermost first, to refuse cycles */
	kz_folder stack[PL_KZ_MAX_DEPTH + 1];
	size_t nbuilt; /* folder builds so far, against PL_KZ_MAX_FOLDERS */
} kz_ctx;

/* Where something is written, for errors. */
typedef struct kz_where {
	const pl_file *file;
	const pl_node *node;
} kz_where;

/* What a build owns beyond its arena (pl_kbuild.priv). */
typedef struct kz_priv {
	pl_map files; /* fs path -> pl_file * */
	pl_vec synth; /* pl_file *: inline patches parsed from strings */
} kz_priv;

/* --- files (kustomize_fs.c) --- */
/* dir + "/" + rel with "." and ".." segments folded where possible, in
 * a; a leading "/" and leading ".." segments are kept. */
char *kz_join(pl_arena *a, const char *dir, const char *rel);
/* The file at path, read and parsed once per build; NULL if unreadable
 * or not YAML (c->err set at `at` of `from`). */
pl_file *kz_load(kz_ctx *c, const char *path, const pl_file *from,
                 const pl_node *at);
/* What is at path: 0 nothing, 1 a file, 2 a folder (through c->fs). */
int kz_stat(kz_ctx *c, const char *path);
/* The bytes of the file at path (NUL-terminated, free()d by the
 * caller), or NULL. */
char *kz_read(kz_ctx *c, const char *path, size_t *len);
/* The names in folder dir, sorted, in the build's arena; NULL when the
 * folder cannot be read. */
char **kz_list(kz_ctx *c, const char *dir, size_t *n);

/* Identity comparisons (kustomize.c): NULL equals NULL only; kustomize's
 * unset namespace is "default". */
bool kz_same_str(const char *a, const char *b);
bool kz_same_ns(const char *a, const char *b);

/* --- the kustomization file (kustomize_fields.c) --- */
/* root's field `key`, matched case-insensitively; NULL if absent or
 * null. */
const pl_node *kz_field(const pl_node *root, const char *key);
/* Refuses unknown fields, at the top or in an entry (kustomize's strict
 * decoding), in document order. */
int kz_validate(kz_ctx *c, const pl_file *kf, const pl_node *root);
/* Refuses the fields and entry options plumb does not build. */
int kz_check_fields(kz_ctx *c, const pl_file *kf, const pl_node *root);

/* --- patch entries (kustomize_apply.c) --- */
int kz_apply_sm_list(kz_ctx *c, kz_resmap *rm, const pl_file *kf,
                     const pl_node *list, const char *dir);
int kz_apply_patches(kz_ctx *c, kz_resmap *rm, const pl_file *kf,
                     const pl_node *list, const char *dir, bool j6902);

int kz_fail(kz_ctx *c, const pl_file *f, const pl_node *at, int code,
            const char *fmt, ...) PL_PRINTF(5, 6);

/* --- patches (kustomize_patch.c) --- */
/* Strategic merge of patch into target (both rendered; patch is consumed
 * by reference: its nodes end up in target). */
/* Does object o match patch target t (a selector mapping)? Returns 0,
 * or PL_EPARSE for a pattern that does not compile. */
int kz_select(kz_ctx *c, const pl_kobject *o, const pl_knode *t, bool *hit);
void kz_merge_sm(kz_ctx *c, pl_knode *target, const pl_knode *patch,
                 const char *kind);
/* Applies the JSON 6902 operations (a sequence of mappings) to object o.
 * Returns 0 or an error at the operation. */
int kz_json6902(kz_ctx *c, pl_kobject *o, const pl_knode *ops);

/* --- transformers (kustomize_xform.c) --- */
void kz_set_namespace(kz_ctx *c, kz_resmap *rm, const pl_file *f,
                      const pl_node *ns);
void kz_name_affix(kz_ctx *c, kz_resmap *rm, const pl_file *f,
                   const pl_node *prefix, const pl_node *suffix);
void kz_labels(kz_ctx *c, kz_resmap *rm, const pl_file *f, const pl_node *pairs,
               bool selectors, bool templates, bool annotations);
/* Applies images: entries, except those whose name an entry of `skip`
 * (a sequence, or NULL) also has. */
int kz_images(kz_ctx *c, kz_resmap *rm, const pl_file *f, const pl_node *images,
              const pl_node *skip);
int kz_replicas(kz_ctx *c, kz_resmap *rm, const pl_file *f,
                const pl_node *replicas);
void kz_fix_references(kz_ctx *c, kz_resmap *rm);

/* --- generators (kustomize_gen.c) --- */
int kz_generators(kz_ctx *c, kz_resmap *rm, const pl_file *kf,
                  const pl_node *root, const char *dir);
void kz_add_hashes(kz_ctx *c, kz_resmap *rm);

/* --- folders (kustomize.c) and Flux (kustomize_flux.c) --- */
/* A folder resource (built in its own accumulator) and a file resource,
 * added to rm; errors at e of kf. */
int kz_resource_dir(kz_ctx *c, kz_resmap *rm, const char *path,
                    const pl_file *kf, const pl_node *e);
int kz_resource_file(kz_ctx *c, kz_resmap *rm, const char *path,
                     const pl_file *kf, const pl_node *e);
/* Is path (joined, normalised) in or below folder dir? */
bool kz_inside(const char *dir, const char *path);
/* The resources of the kustomization Flux generates for dir. */
int kz_generated_resources(kz_ctx *c, kz_resmap *rm, const char *dir,
                           const pl_file *at_file, const pl_node *at);
void kz_post_build(kz_ctx *c, kz_resmap *rm, const pl_kflux *fx);

/* --- emit (kustomize_emit.c) --- */
int kz_emit_node(pl_buf *out, const pl_knode *n, bool sources);

#endif
