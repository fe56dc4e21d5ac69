/*
 * index.c - the run's cross-document model (model.h): files by path,
 * objects by identity (kind, effective namespace, name), and the
 * namespaces kustomizations give the files they include.
 *
 * Kustomize semantics used here (kubectl kustomize, Flux kustomize-
 * controller): a kustomization is a file named kustomization.yaml,
 * kustomization.yml or Kustomization; its `resources:`, `bases:` and
 * `components:` entries are paths relative to its folder, each a file or
 * a folder holding another kustomization; `namespace:` is applied to every
 * object it emits, after the nested kustomizations ran, so the outermost
 * namespace wins. Remote entries (URLs, `github.com/...`) are not in the
 * repository and are skipped. A chain is followed at most
 * KUSTOMIZE_MAX_DEPTH levels, which also ends loops.
 */
#include "model/model.h"
#include "model/flux.h"
#include "model/render.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/map.h"
#include "base/path.h"
#include "base/vec.h"
#include "base/xalloc.h"

#include "model/index_impl.h"

/* The position of the file whose path is path[0..len), or m->nfiles. */
static size_t path_index(const pl_model *m, const char *path, size_t len)
{
	size_t lo = 0, hi = m->nfiles;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *p = m->files[mid]->src.path;
		int c = strncmp(p, path, len);
		if (c == 0 && p[len] != '\0')
			c = 1;
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return m->nfiles;
}

static pl_file *file_at(const pl_model *m, const char *path, size_t len)
{
	size_t i = path_index(m, path, len);
	return i < m->nfiles ? m->files[i] : NULL;
}

const pl_file *pl_model_file(const pl_model *m, const char *path)
{
	return m ? file_at(m, path, strlen(path)) : NULL;
}

const pl_file *const *pl_model_files(const pl_model *m, size_t *n)
{
	*n = m ? m->nfiles : 0;
	return m ? (const pl_file *const *)m->files : NULL;
}

static size_t file_index(const pl_model *m, const pl_file *f)
{
	return path_index(m, f->src.path, strlen(f->src.path));
}

/* --- kustomizations ---------------------------------------------------- */

static bool kustomization_name(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	return strcmp(base, "kustomization.yaml") == 0 ||
	       strcmp(base, "kustomization.yml") == 0 ||
	       strcmp(base, "Kustomization") == 0;
}

static bool remote(const char *s)
{
	return strstr(s, "://") != NULL || strncmp(s, "github.com/", 11) == 0 ||
	       strncmp(s, "git@", 4) == 0;
}

kust *pl_model__kust_of_dir(const pl_model *m, const char *dir, size_t len)
{
	static const char *const names[] = {
	        "kustomization.yaml", "kustomization.yml", "Kustomization"};
	size_t i;
	pl_buf b;
	kust *k = NULL;
	pl_buf_init(&b, 0);
	for (i = 0; i < PL_ARRAY_SIZE(names) && !k; i++) {
		pl_buf_reset(&b);
		pl_buf_add(&b, dir, len);
		if (len) /* the root's is "kustomization.yaml" */
			pl_buf_addc(&b, '/');
		pl_buf_addf(&b, "%s", names[i]);
		k = pl_map_get(&m->kust_by_path, b.ptr, b.len);
	}
	pl_buf_release(&b);
	return k;
}

void pl_model__add_parent(pl_vec *parents, kust *k)
{
	size_t i;
	for (i = 0; i < parents->len; i++)
		if (*(kust **)pl_vec_at(parents, i) == k)
			return;
	pl_vec_append(parents, &k);
}

static void link_entry(pl_model *m, kust *k, const pl_node *e, bool component)
{
	pl_buf path;
	pl_file *f;
	kust *child;

	e = pl_node_deref(e);
	if (!e || e->kind != PL_NODE_SCALAR || e->type != PL_TYPE_STRING ||
	    e->u.scalar.len == 0 || remote(e->u.scalar.str))
		return;
	pl_buf_init(&path, 0);
	if (!pl_path_join(&path, k->dir, e->u.scalar.str) || path.len == 0)
		goto done;
	f = file_at(m, path.ptr, path.len);
	if (f) {
		pl_model__add_parent(&m->file_parents[file_index(m, f)], k);
		goto done;
	}
	child = pl_model__kust_of_dir(m, path.ptr, path.len);
	if (child && child != k) {
		pl_model__add_parent(&child->parents, k);
		if (component)
			pl_model__add_parent(&k->components, child);
	}
done:
	pl_buf_release(&path);
}

/* A patch file named by `patchesStrategicMerge: [file]`,
 * `patches: [{path: file}]` or `patchesJson6902: [{path: file}]`. */
static void mark_patch(pl_model *m, const kust *k, const pl_node *e)
{
	pl_buf path;
	pl_file *f;
	e = pl_node_deref(e);
	if (e && e->kind == PL_NODE_MAPPING)
		e = pl_node_get(e, "path");
	if (!e || e->kind != PL_NODE_SCALAR || e->type != PL_TYPE_STRING ||
	    e->u.scalar.len == 0)
		return;
	pl_buf_init(&path, 0);
	if (pl_path_join(&path, k->dir, e->u.scalar.str) && path.len) {
		f = file_at(m, path.ptr, path.len);
		if (f) {
			f->kustomize_patch = true;
			pl_model__add_parent(
			        &m->file_patchers[file_index(m, f)], (kust *)k);
		}
	}
	pl_buf_release(&path);
}

static void link_kust(pl_model *m, kust *k)
{
	static const char *const lists[] = {"resources", "bases", "components"};
	static const char *const patch_lists[] = {
	        "patches", "patchesStrategicMerge", "patchesJson6902"};
	const pl_node *root = k->file->objects[0].root;
	size_t i, j;
	for (i = 0; i < PL_ARRAY_SIZE(lists); i++) {
		const pl_node *l = pl_node_get(root, lists[i]);
		if (!l || l->kind != PL_NODE_SEQUENCE)
			continue;
		for (j = 0; j < l->u.seq.len; j++)
			link_entry(m, k, l->u.seq.items[j],
			           strcmp(lists[i], "components") == 0);
	}
	for (i = 0; i < PL_ARRAY_SIZE(patch_lists); i++) {
		const pl_node *l = pl_node_get(root, patch_lists[i]);
		if (!l || l->kind != PL_NODE_SEQUENCE)
			continue;
		for (j = 0; j < l->u.seq.len; j++)
			mark_patch(m, k, l->u.seq.items[j]);
	}
}

static void find_kusts(pl_model *m)
{
	size_t i;
	for (i = 0; i < m->nfiles; i++) {
		pl_file *f = m->files[i];
		const pl_node *root, *ns;
		const char *slash;
		kust *k;
		if (!f->parsed || f->nobjects == 0 ||
		    !kustomization_name(f->src.path))
			continue;
		root = f->objects[0].root;
		if (!root || root->kind != PL_NODE_MAPPING)
			continue;
		/* a Flux Kustomization saved under that name is not one */
		if (f->objects[0].api_version &&
		    strncmp(f->objects[0].api_version,
		            "kustomize.toolkit.fluxcd.io", 27) == 0)
			continue;
		k = pl_arena_zalloc(&m->arena, sizeof(*k));
		k->file = f;
		slash = strrchr(f->src.path, '/');
		k->dir = slash ? pl_arena_strndup(
		                         &m->arena, f->src.path,
		                         (size_t)(slash - f->src.path) + 1)
		               : "";
		ns = pl_node_get(root, "namespace");
		if (ns && ns->kind == PL_NODE_SCALAR &&
		    ns->type == PL_TYPE_STRING && ns->u.scalar.len) {
			k->ns = ns->u.scalar.str;
			k->ns_at = ns;
		}
		pl_vec_init(&k->parents, sizeof(kust *));
		pl_vec_init(&k->components, sizeof(kust *));
		pl_vec_append(&m->kusts, &k);
		pl_map_put(&m->kust_by_path, f->src.path, strlen(f->src.path),
		           k, NULL);
	}
	for (i = 0; i < m->kusts.len; i++)
		link_kust(m, *(kust **)pl_vec_at(&m->kusts, i));
}

static void add_placement(pl_vec *out, const kust *k)
{
	size_t i;
	pl_placement p;
	for (i = 0; i < out->len; i++) {
		const pl_placement *q = pl_vec_at(out, i);
		if (q->kustomization == k->file)
			return;
	}
	if (out->len >= KUSTOMIZE_MAX_PLACEMENTS)
		return;
	p.namespace = k->ns;
	p.kustomization = k->file;
	p.at = k->ns_at;
	pl_vec_append(out, &p);
}

/*
 * Adds to out the namespace each chain through k ends with: the outermost
 * kustomization that sets one. Returns whether every chain through k
 * sets one (so that a kustomization k includes has its own namespace
 * overridden on all of them).
 */
static bool chain_namespaces(const kust *k, pl_vec *out, unsigned depth)
{
	size_t i;
	bool all_above = k->parents.len > 0;
	if (depth > KUSTOMIZE_MAX_DEPTH)
		return false;
	for (i = 0; i < k->parents.len; i++) {
		const kust *p = *(kust **)pl_vec_at(&k->parents, i);
		if (!chain_namespaces(p, out, depth + 1))
			all_above = false;
	}
	/* k's own namespace holds on every chain where nothing above set
	 * one (and when k is included by nothing) */
	if (k->ns && !all_above)
		add_placement(out, k);
	return k->ns || all_above;
}

static int cmp_placement(const void *a, const void *b)
{
	const pl_placement *x = a, *y = b;
	return strcmp(x->kustomization->src.path, y->kustomization->src.path);
}

static void place_files(pl_model *m)
{
	size_t i, j, d;
	pl_vec out;
	pl_vec_init(&out, sizeof(pl_placement));
	for (i = 0; i < m->nfiles; i++) {
		pl_file *f = m->files[i];
		pl_placement *ps;
		pl_vec_truncate(&out, 0);
		for (j = 0; j < m->file_parents[i].len; j++)
			chain_namespaces(
			        *(kust **)pl_vec_at(&m->file_parents[i], j),
			        &out, 0);
		if (out.len == 0)
			continue;
		qsort(out.items, out.len, sizeof(pl_placement), cmp_placement);
		ps = pl_arena_alloc(&m->arena, out.len * sizeof(*ps));
		memcpy(ps, out.items, out.len * sizeof(*ps));
		f->placements = ps;
		f->nplacements = out.len;
		for (d = 0; d < f->nobjects; d++)
			if (!f->objects[d].namespace)
				f->objects[d].effective_namespace =
				        ps[0].namespace;
	}
	pl_vec_release(&out);
}

/* --- identity index ---------------------------------------------------- */

static const char *id_key(pl_arena *a, const char *kind, const char *ns,
                          const char *name, size_t *len)
{
	char *k =
	        pl_arena_printf(a, "%s\x1f%s\x1f%s", kind, ns ? ns : "", name);
	*len = strlen(k);
	return k;
}

/* Files are visited in path order, so each list is in path, then
 * document order. */
static void add_of_kind(pl_model *m, const pl_object *o)
{
	size_t klen = strlen(o->kind);
	pl_vec *v = pl_map_get(&m->by_kind, o->kind, klen);
	if (!v) {
		v = pl_arena_zalloc(&m->arena, sizeof(*v));
		pl_vec_init(v, sizeof(const pl_object *));
		pl_map_put(&m->by_kind, o->kind, klen, v, NULL);
		pl_vec_append(&m->kind_lists, &v);
	}
	pl_vec_append(v, &o);
}

static void index_objects(pl_model *m)
{
	size_t i, d;
	for (i = 0; i < m->nfiles; i++) {
		pl_file *f = m->files[i];
		for (d = 0; d < f->nobjects; d++) {
			pl_object *o = &f->objects[d];
			chain *c, *head;
			const char *key;
			size_t klen;
			/* a build's namespace: overrides metadata.namespace */
			if (o->namespace && !o->built_namespace)
				o->effective_namespace = o->namespace;
			if (o->is_k8s && o->kind)
				add_of_kind(m, o);
			if (!o->is_k8s || !o->name || f->kustomize_patch)
				continue;
			key = id_key(&m->arena, o->kind, o->effective_namespace,
			             o->name, &klen);
			c = pl_arena_zalloc(&m->arena, sizeof(*c));
			c->obj = o;
			head = pl_map_get(&m->by_id, key, klen);
			if (!head) {
				pl_map_put(&m->by_id, key, klen, c, NULL);
			} else {
				while (head->next)
					head = head->next;
				head->next = c;
			}
			pl_map_put(&m->by_obj, (const char *)&c->obj,
			           sizeof(c->obj), c, NULL);
		}
	}
}

/* The first file whose path is >= "dir/" (len bytes of dir). */
size_t pl_model__first_under(const pl_model *m, const char *dir, size_t len)
{
	size_t lo = 0, hi = m->nfiles;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *p = m->files[mid]->src.path;
		int c = strncmp(p, dir, len);
		if (c == 0)
			c = p[len] < '/' ? -1 : (p[len] == '/' ? 0 : 1);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool pl_model__under(const pl_file *f, const char *dir, size_t len)
{
	return strncmp(f->src.path, dir, len) == 0 && f->src.path[len] == '/';
}

bool pl_model_repo_folder(const pl_model *m, const char *from, const char *path,
                          pl_buf *dir)
{
	size_t cut = strlen(from);
	pl_buf clean;
	bool found = false;

	pl_buf_init(&clean, 0);
	if (!m || !pl_path_join(&clean, "", path) || clean.len == 0) {
		pl_buf_release(&clean);
		return false;
	}
	for (;;) {
		size_t at;
		while (cut > 0 && from[cut - 1] != '/')
			cut--;
		if (cut > 0)
			cut--; /* "a/b" of "a/b/x.yaml", then "a", then "" */
		pl_buf_reset(dir);
		pl_buf_add(dir, from, cut);
		if (cut)
			pl_buf_addc(dir, '/');
		pl_buf_add(dir, clean.ptr, clean.len);
		at = pl_model__first_under(m, dir->ptr, dir->len);
		if (at < m->nfiles &&
		    pl_model__under(m->files[at], dir->ptr, dir->len)) {
			found = true;
			break;
		}
		if (cut == 0)
			break;
	}
	pl_buf_release(&clean);
	return found;
}

/* k and every kustomization that includes it, through any chain. */
static void mark_relevant(kust *k, unsigned depth)
{
	size_t i;
	if (k->relevant || depth > KUSTOMIZE_MAX_DEPTH)
		return;
	k->relevant = true;
	for (i = 0; i < k->parents.len; i++)
		mark_relevant(*(kust **)pl_vec_at(&k->parents, i), depth + 1);
}

/* With a focus: the kustomizations whose build may render a node of a
 * focus file, which is one of them or what one includes or patches. */
static void mark_focus(pl_model *m)
{
	size_t i, k;
	for (i = 0; i < m->nfocus; i++) {
		const pl_file *f = m->focus[i];
		size_t at = file_index(m, f);
		kust *self = pl_map_get(&m->kust_by_path, f->src.path,
		                        strlen(f->src.path));
		if (self)
			mark_relevant(self, 0);
		if (at == m->nfiles)
			continue;
		for (k = 0; k < m->file_parents[at].len; k++)
			mark_relevant(
			        *(kust **)pl_vec_at(&m->file_parents[at], k),
			        0);
		for (k = 0; k < m->file_patchers[at].len; k++)
			mark_relevant(
			        *(kust **)pl_vec_at(&m->file_patchers[at], k),
			        0);
	}
}

bool pl_model_is_focus(const pl_model *m, const pl_file *f)
{
	size_t i;
	for (i = 0; m->focus && i < m->nfocus; i++)
		if (m->focus[i] == f)
			return true;
	return false;
}

bool pl_model_builds_focus(const pl_model *m, const char *dir)
{
	size_t i, len = strcmp(dir, ".") == 0 ? 0 : strlen(dir);
	const kust *k;
	if (!m->focus)
		return true;
	k = pl_model__kust_of_dir(m, dir, len);
	if (k)
		return k->relevant;
	/* no kustomization file: Flux generates one over every manifest
	 * below the folder */
	for (i = 0; i < m->nfocus; i++)
		if (len == 0 || pl_model__under(m->focus[i], dir, len))
			return true;
	return false;
}

/* Builds every root kustomization: one no other kustomization of the
 * run includes, and not a Component (which builds only inside another);
 * with a focus, only the roots whose build may render a focus file. */
static void render(pl_model *m, const char *disk_root)
{
	pl_vec roots;
	size_t i;
	pl_vec_init(&roots, sizeof(const char *));
	for (i = 0; i < m->kusts.len; i++) {
		const kust *k = *(kust **)pl_vec_at(&m->kusts, i);
		const char *kind =
		        k->file->nobjects ? k->file->objects[0].kind : NULL;
		const char *dir;
		size_t len = strlen(k->dir);
		if (k->parents.len ||
		    (kind && strcmp(kind, "Component") == 0) ||
		    (m->focus && !k->relevant))
			continue;
		dir = len ? pl_arena_strndup(&m->arena, k->dir, len - 1) : ".";
		pl_vec_append(&roots, &dir);
	}
	m->render = pl_render_new(m->files, m->nfiles,
	                          (const char *const *)roots.items, roots.len,
	                          disk_root, m);
	pl_vec_release(&roots);
}

const pl_object *const *pl_model_rendered(const pl_model *m, size_t *n)
{
	return pl_render_objects(m ? m->render : NULL, n);
}

void pl_model_build(pl_model **out, pl_file *const *files, size_t n)
{
	pl_model_build_on(out, files, n, NULL);
}

static void build(pl_model **out, pl_file *const *files, size_t n,
                  const char *disk_root, bool rendered,
                  const pl_file *const *focus, size_t nfocus);

void pl_model_build_on(pl_model **out, pl_file *const *files, size_t n,
                       const char *disk_root)
{
	build(out, files, n, disk_root, true, NULL, 0);
}

void pl_model_build_unrendered(pl_model **out, pl_file *const *files, size_t n)
{
	build(out, files, n, NULL, false, NULL, 0);
}

void pl_model_build_focus(pl_model **out, pl_file *const *files, size_t n,
                          const char *disk_root, const pl_file *const *focus,
                          size_t nfocus)
{
	static const pl_file *const none[1];
	build(out, files, n, disk_root, true, focus ? focus : none, nfocus);
}

static void build(pl_model **out, pl_file *const *files, size_t n,
                  const char *disk_root, bool rendered,
                  const pl_file *const *focus, size_t nfocus)
{
	pl_model *m = pl_xcalloc(1, sizeof(*m));
	size_t i;

	m->files = files;
	m->nfiles = n;
	if (focus) {
		/* the model keeps its own list: render asks it */
		const pl_file **copy =
		        pl_xcalloc(nfocus ? nfocus : 1, sizeof(*copy));
		memcpy(copy, focus, nfocus * sizeof(*copy));
		m->focus = copy;
		m->nfocus = nfocus;
	}
	pl_arena_init(&m->arena);
	pl_map_init(&m->by_id);
	pl_map_init(&m->by_obj);
	pl_map_init(&m->by_kind);
	pl_vec_init(&m->kind_lists, sizeof(pl_vec *));
	pl_map_init(&m->kust_by_path);
	pl_vec_init(&m->kusts, sizeof(kust *));
	m->file_parents = pl_xcalloc(n ? n : 1, sizeof(pl_vec));
	m->file_patchers = pl_xcalloc(n ? n : 1, sizeof(pl_vec));
	for (i = 0; i < n; i++) {
		pl_vec_init(&m->file_parents[i], sizeof(kust *));
		pl_vec_init(&m->file_patchers[i], sizeof(kust *));
	}
	find_kusts(m);
	if (focus)
		mark_focus(m);
	place_files(m);
	if (rendered)
		render(m, disk_root);
	index_objects(m);
	pl_model__image_overrides(m);
	pl_flux_new(&m->flux, m);
	*out = m;
}

void pl_model_free(pl_model *m)
{
	size_t i;
	if (!m)
		return;
	pl_flux_free(m->flux);
	pl_render_free(m->render);
	for (i = 0; i < m->kusts.len; i++) {
		pl_vec_release(&(*(kust **)pl_vec_at(&m->kusts, i))->parents);
		pl_vec_release(
		        &(*(kust **)pl_vec_at(&m->kusts, i))->components);
	}
	for (i = 0; i < m->nfiles; i++) {
		pl_vec_release(&m->file_parents[i]);
		pl_vec_release(&m->file_patchers[i]);
	}
	free(m->file_parents);
	free(m->file_patchers);
	free((void *)m->focus);
	pl_vec_release(&m->kusts);
	pl_map_release(&m->kust_by_path);
	pl_map_release(&m->by_obj);
	for (i = 0; i < m->kind_lists.len; i++)
		pl_vec_release(*(pl_vec **)pl_vec_at(&m->kind_lists, i));
	pl_vec_release(&m->kind_lists);
	pl_map_release(&m->by_kind);
	pl_map_release(&m->by_id);
	pl_arena_release(&m->arena);
	free(m);
}

const pl_flux *pl_model_flux(const pl_model *m)
{
	return m ? m->flux : NULL;
}

const pl_object *const *pl_model_of_kind(const pl_model *m, const char *kind,
                                         size_t *n)
{
	const pl_vec *v =
	        m && kind ? pl_map_get(&m->by_kind, kind, strlen(kind)) : NULL;
	*n = v ? v->len : 0;
	return v ? (const pl_object *const *)v->items : NULL;
}

static bool in_group(const pl_object *o, const char *group)
{
	return !group || strncmp(o->api_version, group, strlen(group)) == 0;
}

const pl_object *pl_model_get(const pl_model *m, const char *group,
                              const char *kind, const char *ns,
                              const char *name)
{
	char stack[512];
	const chain *c;
	int n;

	if (!m || !kind || !name)
		return NULL;
	n = snprintf(stack, sizeof(stack), "%s\x1f%s\x1f%s", kind, ns ? ns : "",
	             name);
	if (n < 0 || (size_t)n >= sizeof(stack))
		return NULL; /* longer than any Kubernetes identity */
	for (c = pl_map_get(&m->by_id, stack, (size_t)n); c; c = c->next)
		if (in_group(c->obj, group))
			return c->obj;
	return NULL;
}

const pl_object *pl_model_next(const pl_model *m, const pl_object *prev,
                               const char *group)
{
	const chain *c;
	if (!m || !prev)
		return NULL;
	c = pl_map_get(&m->by_obj, (const char *)&prev, sizeof(prev));
	for (c = c ? c->next : NULL; c; c = c->next)
		if (in_group(c->obj, group))
			return c->obj;
	return NULL;
}
