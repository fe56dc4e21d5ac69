/*
 * kustomize.h - the build model: what a kustomization folder builds, as
 * kustomize v5 builds it, over plumb's typed tree.
 *
 * pl_kustomize_build reads a kustomization folder (and every file and
 * folder it reaches), runs kustomize's accumulation and its built-in
 * transformers in kustomize's order, and returns the objects. Every
 * rendered node (pl_knode) is a mutable copy that keeps the file and the
 * source node it came from: the base line, the patch line, or the
 * kustomization field (namespace:, images:, ...) that set it. That is what
 * `plumb build --sources` prints and what rules report at.
 *
 * Memory: a pl_kbuild owns one arena for every rendered node and the
 * pl_files it loaded; pl_kbuild_free releases both. Nothing is shared
 * with a run's pl_model. Single-threaded while building, read-only after.
 * Limits: nesting of kustomizations (PL_KZ_MAX_DEPTH), objects per build
 * (PL_KZ_MAX_OBJECTS), folder builds (PL_KZ_MAX_FOLDERS); reaching one,
 * or a folder that includes itself, is an error, never a crash.
 */
#ifndef PL_KUSTOMIZE_H
#define PL_KUSTOMIZE_H

#include "base/arena.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/vec.h"
#include "model/model.h"

#define PL_KZ_MAX_DEPTH   32
#define PL_KZ_MAX_OBJECTS 100000
/* folder builds per build: a base listed twice at each of many levels
 * would otherwise cost 2^levels */
#define PL_KZ_MAX_FOLDERS 10000

typedef struct pl_knode pl_knode;

typedef struct pl_kpair {
	pl_knode *key;
	pl_knode *value;
} pl_kpair;

/* A rendered node. kind is PL_NODE_SCALAR, _SEQUENCE or _MAPPING (no
 * aliases: they are expanded). */
struct pl_knode {
	uint8_t kind;    /* pl_node_kind */
	uint8_t style;   /* pl_style of a scalar as written */
	uint8_t type;    /* pl_type of a scalar */
	uint8_t same;    /* scratch of model/render.c: an unchanged copy */
	const char *str; /* scalar text, NUL-terminated */
	size_t len;
	pl_knode **items; /* sequence */
	pl_kpair *pairs;  /* mapping, in order */
	size_t n, cap;
	const pl_file *file;   /* where it is written, or NULL */
	const pl_node *origin; /* the node it came from, or NULL */
};

/* One identity an object had: kustomize matches patches and references
 * against the current and every earlier name and namespace. */
typedef struct pl_kid {
	const char *ns; /* NULL when unset */
	const char *name;
} pl_kid;

typedef struct pl_kobject {
	pl_knode *root;
	pl_kid *ids; /* earlier identities, oldest first */
	size_t nids, capids;
	bool generated;   /* by configMapGenerator or secretGenerator */
	bool hash_suffix; /* gets the content hash at the end */
} pl_kobject;

typedef struct pl_kbuild {
	pl_arena arena;
	pl_kobject **objects; /* in build order */
	size_t nobjects;
	pl_file **files; /* every file read, owned */
	size_t nfiles;
	void *priv;
} pl_kbuild;

/*
 * Where a build reads. NULL is the disk (`plumb build`); a run passes its
 * own files (model/render.c), so that the rules judge what the run read
 * (the index under --staged) and nothing is parsed twice. Paths are the
 * build's joined paths: relative to the run's root there.
 */
typedef struct pl_kfs {
	void *ud;
	/* 0: nothing at path, 1: a file, 2: a folder */
	int (*kind)(void *ud, const char *path);
	/* The file at path, parsed as YAML, owned by the caller; NULL
	 * when its content could not be read. */
	pl_file *(*file)(void *ud, const char *path);
	/* Calls fn with the name of each entry of folder dir (no dot
	 * names), in any order. */
	void (*list)(void *ud, const char *dir,
	             void (*fn)(void *arg, const char *name), void *arg);
} pl_kfs;

/*
 * Builds the kustomization in folder dir. Returns 0 and *out, or a
 * negative PL_E* code with err set (file:line:col of the entry at fault,
 * in kustomize's terms) when kustomize would refuse the folder; *out is
 * then NULL. Remote resources are refused, as in kustomize's offline
 * mode. Free *out with pl_kbuild_free.
 */
int pl_kustomize_build(pl_kbuild **out, const char *dir, pl_error *err);
void pl_kbuild_free(pl_kbuild *b);
/* Whether b owns parsed files (files it read from disk, inline patches
 * parsed from strings): rendered nodes may point into them, so they
 * must outlive what was copied from the build. */
bool pl_kbuild_owns_files(const pl_kbuild *b);

/* A post-build variable of a Flux Kustomization, and where it is set. */
typedef struct pl_kvar {
	const char *name;
	const char *value;
	const pl_file *file;
	const pl_node *at;
} pl_kvar;

/* What a Flux Kustomization (kustomize.toolkit.fluxcd.io) adds to the
 * build of its spec.path. */
typedef struct pl_kflux {
	const pl_file *file; /* holding the Flux Kustomization */
	const pl_node *spec; /* its spec: targetNamespace, namePrefix,
	                      * nameSuffix, patches, images, components */
	bool substitute;     /* spec.postBuild is set */
	const pl_kvar *vars; /* resolved variables, later ones win */
	size_t nvars;
} pl_kflux;

/* The post-build variables of a Flux Kustomization (model/
 * kustomize_vars.c): what pl_kflux.vars points at, and the
 * substituteFrom entries (not optional) whose source is not in the
 * repository. */
typedef struct pl_kvars {
	pl_kvar *v;
	size_t n, cap;
	pl_vec owned;   /* char *: decoded values */
	pl_vec missing; /* const pl_node *: substituteFrom entries */
} pl_kvars;

/* Finds the v1 ConfigMap or Secret a substituteFrom entry names. */
typedef const pl_object *(*pl_kvar_source)(void *ud, const char *kind,
                                           const char *ns, const char *name);

void pl_kvars_init(pl_kvars *vs);
void pl_kvars_release(pl_kvars *vs);
/* Adds the variables of postBuild `post` of the Kustomization in file kf
 * whose namespace is ns. Returns 0, or PL_EPARSE for a variable name
 * Flux refuses (err at it). */
int pl_kvars_collect(pl_kvars *vs, const pl_file *kf, const char *ns,
                     const pl_node *post, pl_kvar_source find, void *ud,
                     pl_error *err);

/*
 * Builds folder dir as the Flux kustomize-controller does for the
 * Kustomization fx: a kustomization is generated when dir has none;
 * spec overrides and post-build substitution apply (unresolved `${var}`
 * stay as written). Errors and ownership as pl_kustomize_build.
 */
int pl_kustomize_build_flux(pl_kbuild **out, const char *dir,
                            const pl_kflux *fx, pl_error *err);

/* The same, reading through fs (NULL: the disk), for the Flux
 * Kustomization fx when it is not NULL (pl_kustomize_build_flux). */
int pl_kustomize_build_in(pl_kbuild **out, const char *dir, const pl_kflux *fx,
                          const pl_kfs *fs, pl_error *err);

/* The objects as a YAML stream, one document each, in build order. With
 * sources, a trailing comment on each line names the file:line:col its
 * value came from. Returns 0 or PL_ELIMIT when out is full. */
int pl_kustomize_emit(pl_buf *out, const pl_kbuild *b, bool sources);

/* Accessors over rendered nodes, for rules and tests. */
pl_knode *pl_knode_get(const pl_knode *m, const char *key);
const char *pl_knode_get_str(const pl_knode *m, const char *key);

#endif
