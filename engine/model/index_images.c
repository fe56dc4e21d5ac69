/*
 * index_images.c - the `images:` entries kustomize and Flux apply to each
 * file's containers (pl_file.image_overrides): the kustomizations that
 * include the file, innermost first, each with its components, then the
 * Flux Kustomizations whose spec.path holds it (their spec.components,
 * then spec.images).
 */
#include "model/index_impl.h"
#include "base/buf.h"
#include "base/path.h"
#include "base/xalloc.h"

/* Appends root's `images:` entries (mappings with a string name). */
static void add_images(pl_vec *out, const pl_node *root)
{
	const pl_node *l = pl_node_get(root, "images");
	size_t i;
	if (!l || l->kind != PL_NODE_SEQUENCE)
		return;
	for (i = 0; i < l->u.seq.len && out->len < KUSTOMIZE_MAX_IMAGES; i++) {
		const pl_node *e = pl_node_deref(l->u.seq.items[i]);
		const pl_node *name = pl_node_get(e, "name");
		if (name && name->kind == PL_NODE_SCALAR &&
		    name->type == PL_TYPE_STRING && name->u.scalar.len)
			pl_vec_append(out, &e);
	}
}

/* A kustomization's own images:, then those of its components. */
static void kust_images(pl_vec *out, const kust *k)
{
	size_t i;
	add_images(out, k->file->objects[0].root);
	for (i = 0; i < k->components.len; i++)
		add_images(out, (*(kust **)pl_vec_at(&k->components, i))
		                        ->file->objects[0]
		                        .root);
}

/* The kustomizations above file i, nearest first (breadth first over
 * the parents, each once), with their images. */
static void chain_images(const pl_model *m, size_t i, pl_vec *out)
{
	pl_vec level, next;
	size_t a, b, depth = 0;

	pl_vec_init(&level, sizeof(kust *));
	pl_vec_init(&next, sizeof(kust *));
	for (a = 0; a < m->file_parents[i].len; a++)
		pl_model__add_parent(
		        &level, *(kust **)pl_vec_at(&m->file_parents[i], a));
	while (level.len && depth++ < KUSTOMIZE_MAX_DEPTH) {
		pl_vec t;
		pl_vec_truncate(&next, 0);
		for (a = 0; a < level.len; a++) {
			const kust *k = *(kust **)pl_vec_at(&level, a);
			kust_images(out, k);
			for (b = 0; b < k->parents.len; b++)
				pl_model__add_parent(
				        &next,
				        *(kust **)pl_vec_at(&k->parents, b));
		}
		t = level;
		level = next;
		next = t;
	}
	pl_vec_release(&level);
	pl_vec_release(&next);
}

/* A Flux Kustomization's overrides: its components' images:, then its
 * own spec.images, appended to every file under its spec.path. */
static void flux_images(pl_model *m, const pl_object *o, pl_vec *per_file)
{
	const pl_node *spec = pl_node_get(o->root, "spec");
	const pl_node *path = pl_node_get(spec, "path");
	const pl_node *comps = pl_node_get(spec, "components");
	pl_vec list;
	pl_buf dir, cdir, base;
	size_t i;

	if (!path || path->kind != PL_NODE_SCALAR ||
	    path->type != PL_TYPE_STRING || strstr(path->u.scalar.str, "${"))
		return;
	pl_vec_init(&list, sizeof(const pl_node *));
	pl_buf_init(&dir, 0);
	pl_buf_init(&cdir, 0);
	pl_buf_init(&base, 0);
	if (!pl_model_repo_folder(m, o->file->src.path, path->u.scalar.str,
	                          &dir))
		goto done;
	pl_buf_add(&base, dir.ptr, dir.len);
	pl_buf_addc(&base, '/');
	for (i = 0;
	     comps && comps->kind == PL_NODE_SEQUENCE && i < comps->u.seq.len;
	     i++) {
		const pl_node *c = pl_node_deref(comps->u.seq.items[i]);
		const kust *k;
		if (!c || c->kind != PL_NODE_SCALAR ||
		    c->type != PL_TYPE_STRING)
			continue;
		/* relative to spec.path (base: "dir/") */
		if (!pl_path_join(&cdir, base.ptr, c->u.scalar.str) ||
		    cdir.len == 0)
			continue;
		k = pl_model__kust_of_dir(m, cdir.ptr, cdir.len);
		if (k)
			kust_images(&list, k);
	}
	add_images(&list, spec);
	if (list.len == 0)
		goto done;
	for (i = pl_model__first_under(m, dir.ptr, dir.len);
	     i < m->nfiles && pl_model__under(m->files[i], dir.ptr, dir.len);
	     i++) {
		pl_vec *v = &per_file[i];
		size_t j;
		if (!m->files[i]->nobjects)
			continue;
		if (!v->elem)
			pl_vec_init(v, sizeof(const pl_node *));
		for (j = 0; j < list.len && v->len < KUSTOMIZE_MAX_IMAGES; j++)
			pl_vec_append(v, pl_vec_at(&list, j));
	}
done:
	pl_vec_release(&list);
	pl_buf_release(&dir);
	pl_buf_release(&cdir);
	pl_buf_release(&base);
}

void pl_model__image_overrides(pl_model *m)
{
	size_t n, i;
	const pl_object *const *fks = pl_model_of_kind(m, "Kustomization", &n);
	pl_vec *flux = pl_xcalloc(m->nfiles ? m->nfiles : 1, sizeof(pl_vec));
	pl_vec out;

	for (i = 0; i < n; i++)
		if (!fks[i]->file->kustomize_patch &&
		    strncmp(fks[i]->api_version, "kustomize.toolkit.fluxcd.io/",
		            28) == 0)
			flux_images(m, fks[i], flux);
	pl_vec_init(&out, sizeof(const pl_node *));
	for (i = 0; i < m->nfiles; i++) {
		pl_file *f = m->files[i];
		size_t j;
		pl_vec_truncate(&out, 0);
		if (f->nobjects) {
			chain_images(m, i, &out);
			for (j = 0; j < flux[i].len; j++)
				if (out.len < KUSTOMIZE_MAX_IMAGES)
					pl_vec_append(&out,
					              pl_vec_at(&flux[i], j));
		}
		if (flux[i].elem)
			pl_vec_release(&flux[i]);
		if (!out.len)
			continue;
		f->image_overrides =
		        pl_arena_alloc(&m->arena, out.len * sizeof(pl_node *));
		memcpy((void *)f->image_overrides, out.items,
		       out.len * sizeof(pl_node *));
		f->nimage_overrides = out.len;
	}
	pl_vec_release(&out);
	free(flux);
}
