/*
 * index_impl.h - what the model's index files share (index.c builds the
 * index; index_images.c the images: overrides each file gets).
 */
#ifndef PL_MODEL_INDEX_IMPL_H
#define PL_MODEL_INDEX_IMPL_H

#include "model/model.h"
#include "model/flux.h"
#include "model/render.h"
#include "base/arena.h"
#include "base/map.h"
#include "base/vec.h"

#define KUSTOMIZE_MAX_DEPTH 32
/* Placements kept per file: several overlays of one base are common, a
 * thousand are not. */
#define KUSTOMIZE_MAX_PLACEMENTS 64
/* images: entries kept per file */
#define KUSTOMIZE_MAX_IMAGES 256

/* Objects with the same identity, in path and document order. */
typedef struct chain {
	const pl_object *obj;
	struct chain *next;
} chain;

/* One kustomization file and what it includes. */
typedef struct kust {
	pl_file *file;
	const char *dir; /* "" or "a/b/" */
	const char *ns;  /* its namespace:, or NULL */
	const pl_node *ns_at;
	pl_vec parents;    /* kust *: kustomizations that include this one */
	pl_vec components; /* kust *: the components it lists */
	bool relevant;     /* with a focus: its build may render a focus file */
} kust;

struct pl_model {
	pl_file *const *files;
	size_t nfiles;
	pl_arena arena;
	pl_map by_id;      /* "kind\x1fns\x1fname" -> chain * */
	pl_map by_obj;     /* object address -> chain * (for pl_model_next) */
	pl_map by_kind;    /* kind -> pl_vec * of const pl_object * */
	pl_vec kind_lists; /* pl_vec *, the values of by_kind, to release */
	pl_vec kusts;      /* kust * */
	pl_map kust_by_path;
	pl_vec *file_parents;        /* per file: kust * that include it */
	pl_vec *file_patchers;       /* per file: kust * that patch with it */
	const pl_file *const *focus; /* pl_model_build_focus, else NULL */
	size_t nfocus;
	pl_flux *flux;
	pl_render *render; /* the root kustomizations, built */
};

/* The kustomization file of folder dir[0..len), or NULL. */
kust *pl_model__kust_of_dir(const pl_model *m, const char *dir, size_t len);
/* Appends k to parents unless it is there. */
void pl_model__add_parent(pl_vec *parents, kust *k);
/* The first file whose path is >= "dir/" (len bytes of dir). */
size_t pl_model__first_under(const pl_model *m, const char *dir, size_t len);
/* Is f below folder dir[0..len)? */
bool pl_model__under(const pl_file *f, const char *dir, size_t len);
/* Fills each file's image_overrides (model.h). */
void pl_model__image_overrides(pl_model *m);

#endif
