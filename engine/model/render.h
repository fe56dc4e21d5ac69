/*
 * render.h - what the rules judge of a kustomized repository: every
 * object as its kustomization builds it (model/kustomize.h), read through
 * the run's own files and reported where each value is written.
 *
 * For every root kustomization of a run (one no other kustomization of
 * the run includes, and not a Component), pl_render_new builds the
 * folder with the build model, reading the run's files (what --staged
 * read from the index, parsed once). Each built object becomes a
 * pl_object of its own (a rendered copy): its tree is a pl_node tree
 * whose every node has the span of the node it came from, and the nodes
 * written in another file than the object's own (a patch line, the
 * kustomization's namespace: or images: entry) are listed with that file,
 * so a finding lands on the line that wrote the value. The original
 * object is marked `rendered`: rules that judge built objects read the
 * copies, and a base included by two overlays is judged once per
 * overlay (identical findings are merged by the run).
 *
 * A root kustomization that the build model refuses (a remote resource,
 * a missing file, a field plumb does not build) is counted, and the
 * files it reaches are judged as written, as before.
 *
 * Memory: a pl_render owns the rendered copies (an arena: what a build
 * changed is copied, what it left as written is the original's node);
 * each build is freed once its copies are made. The originals and their
 * files belong to the run and must outlive it. Built single-threaded,
 * read-only afterwards.
 */
#ifndef PL_RENDER_H
#define PL_RENDER_H

#include "model/model.h"

typedef struct pl_render pl_render;

/*
 * Builds the folders roots[0..nroots) ("." for the root of the run, else
 * "a/b") over files[0..n), sorted by path. Marks each original object a
 * build renders (rendered, and its effective namespace: the namespace
 * the first build, in roots order, gives it). A path a build needs that
 * is not among files is read below disk_root (when not NULL) into a file
 * the render owns, marked outside_run. Then every Flux Kustomization
 * (kustomize.toolkit.fluxcd.io) of the run whose spec.path is a folder
 * of the run (pl_model_repo_folder on m) is built as the kustomize-
 * controller builds it: targetNamespace, patches, images, components and
 * post-build substitution from the run's ConfigMaps and Secrets; a root
 * kustomization that is such a folder is built only that way.
 */
pl_render *pl_render_new(pl_file *const *files, size_t n,
                         const char *const *roots, size_t nroots,
                         const char *disk_root, const pl_model *m);
void pl_render_free(pl_render *r);

/* The rendered copies, in root, then build order. */
const pl_object *const *pl_render_objects(const pl_render *r, size_t *n);

/* Root kustomizations the build model refused, and the first refusal
 * ("file:line:col: message"), or NULL when none was. */
size_t pl_render_refused(const pl_render *r, const char **first);

#endif
