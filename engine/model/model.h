/*
 * model.h - the files of a run and the Kubernetes objects in them.
 *
 * A pl_file is one linted file: its source, its arena and, when it is
 * YAML, its tree. A pl_object is one document of a YAML file, or one item
 * of a list document (kind: List, or any *List with `items`), with the
 * identity fields read once (apiVersion, kind, metadata.name,
 * metadata.namespace; NULL when absent or not a string) so that rules and
 * the dispatcher do not walk the tree for them. Objects live in their
 * file's arena. The model is built by workers file by file and read-only
 * afterwards.
 *
 * A pl_model is the cross-document index of a run, built once after every
 * file is loaded and before any rule runs (single-threaded), read-only and
 * shared by all workers afterwards: files by path, objects by identity,
 * and the effective namespace of each object (metadata.namespace, else
 * the `namespace:` a kustomization.yaml gives the file through
 * `resources:`, directly or through nested kustomizations).
 */
#ifndef PL_MODEL_H
#define PL_MODEL_H

#include "base/arena.h"
#include "base/buf.h"
#include "base/limit.h"
#include "source/source.h"
#include "tree/load.h"

typedef struct pl_file pl_file;

/*
 * A namespace a kustomization gives the files it includes. Through nested
 * kustomizations the outermost `namespace:` wins, as kustomize's namespace
 * transformer runs last at the outermost level; a file included by two
 * overlays can have two placements.
 */
typedef struct pl_placement {
	const char *namespace;
	const pl_file *kustomization; /* the file whose namespace: applies */
	const pl_node *at;            /* that namespace: value */
} pl_placement;

/* A node of a rendered object written in another file than the
 * object's own (model/render.h). */
typedef struct pl_written {
	const pl_node *node;
	const pl_file *file;
} pl_written;

typedef struct pl_object pl_object;
struct pl_object {
	const pl_file *file;
	const pl_doc *doc;
	const pl_node *root; /* pl_node_deref'd root, may be NULL */
	const char *api_version;
	const char *kind;
	const char *name;
	const char *namespace;
	bool is_k8s; /* a mapping with string apiVersion and kind */
	/* a Kubernetes resource of a Pulumi YAML program (model.c): root is
	 * made from its type and properties; `${...}` and `fn::` values in
	 * it are computed by Pulumi at deploy time */
	bool pulumi;
	/* Set by pl_model_build: metadata.namespace, else the first
	 * placement's namespace, else NULL. */
	const char *effective_namespace;
	/* Set by pl_model_build (model/render.h): a kustomization of the
	 * run builds this object, so the rules that judge built objects
	 * read its rendered copies, not it. */
	bool rendered;
	/* Set by pl_model_build: effective_namespace is the one a build
	 * gave (kustomize's namespace: overrides metadata.namespace). */
	bool built_namespace;
	/* A rendered copy: the original it was built from (NULL for an
	 * original), and the nodes written in another file than the
	 * original's (a patch, the kustomization). `file` is then a view
	 * of the original's file without the kustomize facts the build
	 * already applied (placements, image overrides). */
	const pl_object *source;
	const pl_written *elsewhere;
	size_t nelsewhere;
};

struct pl_file {
	pl_source src;
	pl_arena arena;
	pl_tree tree; /* valid when parsed */
	bool parsed;  /* src.kind was YAML and it was loaded */
	/* one per document (objects[i] is tree.docs[i]), then one per item
	 * of each list document, in document order, then (Pulumi.yaml of a
	 * YAML program) one per Kubernetes resource */
	pl_object *objects;
	size_t nobjects;
	/* Set by pl_model_build; in the model's arena. */
	const pl_placement *placements;
	size_t nplacements;
	/* Set by pl_model_build: a kustomization lists the file under
	 * patches or patchesStrategicMerge, so its documents are partial
	 * objects merged into others, not objects of their own. */
	bool kustomize_patch;
	/* Read by a build from below the run's root, not one of the run's
	 * files (model/render.h): nothing is reported in it. */
	bool outside_run;
	/* Set by pl_model_build: the `images:` entries ({name, newName,
	 * newTag, digest} mappings) that kustomize and Flux apply to the
	 * file's containers, in the order they apply: the kustomizations
	 * that include it, innermost first, each with its components, then
	 * the Flux Kustomizations whose spec.path holds it (their
	 * spec.components, then spec.images). */
	const pl_node *const *image_overrides;
	size_t nimage_overrides;
};

void pl_file_init(pl_file *f);
void pl_file_release(pl_file *f);

/*
 * Parses a YAML source into f->tree and fills f->objects. Extension-less
 * text files are sniffed first (walk.h) and parsed when they look like
 * YAML. Other kinds are left as text. Never fails: problems are in the
 * tree.
 */
void pl_file_load(pl_file *f, const pl_limits *limits);

typedef struct pl_model pl_model;

/*
 * Whether the model itself reads the file at path whose bytes are data
 * (NUL-terminated, or NULL): kustomizations (placements and builds),
 * Pulumi projects, `flux bootstrap` placeholders, Flux objects (the
 * Flux index: FluxInstance, ResourceSet, sources) and the ConfigMaps and
 * Secrets post-build substitution reads. Rules add what they
 * read through pl_rule.reads. A build parses any other file it reaches
 * when it needs it.
 */
bool pl_model_reads(const char *path, const char *data);

/*
 * The file a node of object o is written in: for a rendered copy, the
 * patch or kustomization that set the value, else the original's file.
 * pl_object_where_span finds the node by its span (the first node of o
 * with that exact span). Never NULL for an object of a run.
 */
const pl_file *pl_object_where(const pl_object *o, const pl_node *n);
const pl_file *pl_object_where_span(const pl_object *o, pl_span span);

/*
 * Builds the index over files[0..n), which must be sorted by path and
 * stay alive (and unmoved) as long as the model. Fills each object's
 * effective namespace and each file's placements. Never fails: a
 * kustomization that names a missing file or loops is skipped.
 */
void pl_model_build(pl_model **out, pl_file *const *files, size_t n);
/* The same; a kustomization of the run that reaches beyond the run's
 * files (`plumb check overlays/prod` over ../../base) reads them below
 * disk_root, the folder the run's paths are relative to (NULL: the run's
 * files are all there is, as under --staged). Findings in those files
 * are not reported: the run did not ask for them. */
void pl_model_build_on(pl_model **out, pl_file *const *files, size_t n,
                       const char *disk_root);
/* Without the build model (model/render.h): every document judged as
 * written. Only for measuring what the build model costs (make bench,
 * PLUMB_MEASURE_NO_BUILD). */
void pl_model_build_unrendered(pl_model **out, pl_file *const *files, size_t n);
/*
 * pl_model_build_on for a run that reports on some files only (--staged:
 * the staged ones): builds only what can render their nodes, the
 * kustomizations that include one of them (as a resource, a patch, a
 * component's file, through any chain of overlays) and the Flux
 * Kustomizations whose folder holds one or that are one. Built objects
 * of other builds would only carry findings in files the run does not
 * report on, so the findings on focus[] are the same as after a full
 * build, at a fraction of the parsing.
 */
void pl_model_build_focus(pl_model **out, pl_file *const *files, size_t n,
                          const char *disk_root, const pl_file *const *focus,
                          size_t nfocus);
/* May the build of folder dir ("a/b", "." the root) render a node of a
 * focus file? Always true without a focus. */
bool pl_model_builds_focus(const pl_model *m, const char *dir);
/* Is f one of the focus files? False without a focus. */
bool pl_model_is_focus(const pl_model *m, const pl_file *f);
void pl_model_free(pl_model *m);

/* A file of the run by its reported path, or NULL. */
const pl_file *pl_model_file(const pl_model *m, const char *path);
/* Every file of the run, sorted by path. */
const pl_file *const *pl_model_files(const pl_model *m, size_t *n);

/*
 * The folder a repository path names (a Flux Kustomization's spec.path):
 * relative to the repository root, which is the run's root or, when
 * several repositories are linted together, a folder above the file
 * `from` that names it. Tries the folders above `from`, nearest first,
 * then the root; writes the first that holds a file of the run to dir
 * ("a/b") and returns true, or returns false (also for a path that
 * climbs above the root or names the root itself).
 */
bool pl_model_repo_folder(const pl_model *m, const char *from, const char *path,
                          pl_buf *dir);

/*
 * Every Kubernetes object (apiVersion and kind set) of kind `kind`, kustomize
 * patches included, in path, then document order; *n is 0 when there is
 * none. Rules that look for a kind across the run use it rather than a
 * walk over every file, which would make a run quadratic in its files.
 */
const pl_object *const *pl_model_of_kind(const pl_model *m, const char *kind,
                                         size_t *n);

/*
 * The first object (in path, then document order) of kind `kind` named
 * `name` whose effective namespace is `ns` (NULL or "" matches an object
 * without one) and whose apiVersion starts with `group` (NULL: any), or
 * NULL. pl_model_next continues after `prev` with the same identity.
 */
const pl_object *pl_model_get(const pl_model *m, const char *group,
                              const char *kind, const char *ns,
                              const char *name);
const pl_object *pl_model_next(const pl_model *m, const pl_object *prev,
                               const char *group);

/* The rendered copies of the run's kustomized objects (model/render.h),
 * in root, then build order; *n is 0 when the run has no kustomization
 * the build model builds. */
const pl_object *const *pl_model_rendered(const pl_model *m, size_t *n);

/* The run's Flux index (model/flux.h), built with the model. */
typedef struct pl_flux pl_flux;
const pl_flux *pl_model_flux(const pl_model *m);

#endif
