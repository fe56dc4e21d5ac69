/*
 * render.c - the run's kustomized objects as the rules judge them
 * (render.h): builds over the run's files, rendered copies as pl_node
 * trees with the spans of the nodes they came from.
 */
#include "model/render.h"
#include "model/kustomize.h"
#include "base/path.h"
#include "base/vec.h"
#include "base/map.h"
#include "base/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <stdlib.h>

struct pl_render {
	pl_arena arena;
	pl_vec objects; /* const pl_object * */
	pl_map shadows; /* original pl_file address -> its view */
	pl_vec outside; /* pl_file *: read below the disk root, owned */
	pl_vec kept;    /* pl_kbuild *: builds whose files copies point into */
	size_t refused;
	char *first_refusal;
};

/* --- the run's files as a build reads them ---------------------------- */

typedef struct run_fs {
	pl_file *const *files;
	size_t n;
	pl_buf path;
	const char *disk_root; /* or NULL */
	pl_render *r;
	pl_map outside; /* path -> pl_file * in r->outside */
} run_fs;

/* disk_root/p, in a heap string */
static char *on_disk(const run_fs *fs, const char *p)
{
	size_t a = strlen(fs->disk_root), b = strlen(p);
	char *s = pl_xmalloc(a + b + 2);
	memcpy(s, fs->disk_root, a);
	s[a] = '/';
	memcpy(s + a + 1, p, b + 1);
	if (b == 0)
		s[a] = '\0';
	return s;
}

static int disk_kind(const run_fs *fs, const char *p)
{
	struct stat st;
	char *full;
	int k = 0;
	if (!fs->disk_root)
		return 0;
	full = on_disk(fs, p);
	if (stat(full, &st) == 0)
		k = S_ISDIR(st.st_mode) ? 2 : S_ISREG(st.st_mode) ? 1 : 0;
	free(full);
	return k;
}

/* A file below the disk root the run did not read: read once, owned by
 * the render, nothing reported in it. */
static pl_file *disk_file(run_fs *fs, const char *p)
{
	pl_file *f = pl_map_get(&fs->outside, p, strlen(p));
	pl_limits limits;
	char *full;
	if (f)
		return f;
	if (disk_kind(fs, p) != 1)
		return NULL;
	pl_limits_default(&limits);
	f = pl_xmalloc(sizeof(*f));
	pl_file_init(f);
	full = on_disk(fs, p);
	pl_source_read_file(&f->src, p, full, &limits);
	free(full);
	f->outside_run = true;
	if (f->src.kind != PL_SOURCE_SKIPPED)
		f->src.kind = PL_SOURCE_YAML;
	pl_vec_append(&fs->r->outside, &f);
	pl_map_put(&fs->outside, f->src.path, strlen(f->src.path), f, NULL);
	return f;
}

/* The normalised form of a build path ("" for the root), or NULL for
 * one above the root. */
static const char *norm(run_fs *fs, const char *path)
{
	pl_buf_reset(&fs->path);
	if (strcmp(path, ".") == 0) {
		pl_buf_addc(&fs->path, '\0');
		fs->path.len = 0;
		return fs->path.ptr;
	}
	if (!pl_path_join(&fs->path, "", path))
		return NULL;
	if (!fs->path.ptr) {
		pl_buf_addc(&fs->path, '\0');
		fs->path.len = 0;
	}
	return fs->path.ptr;
}

/* The first file whose path is >= key. */
static size_t lower_bound(const run_fs *fs, const char *key)
{
	size_t lo = 0, hi = fs->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(fs->files[mid]->src.path, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static pl_file *fs_file_at(run_fs *fs, const char *p)
{
	size_t i = lower_bound(fs, p);
	if (i < fs->n && strcmp(fs->files[i]->src.path, p) == 0)
		return fs->files[i];
	return NULL;
}

/* Does a file of the run live under folder p ("" is the root)? */
static bool fs_folder(run_fs *fs, const char *p)
{
	size_t n = strlen(p), i;
	char *prefix;
	bool yes;
	if (n == 0)
		return fs->n > 0;
	prefix = pl_xmalloc(n + 2);
	memcpy(prefix, p, n);
	prefix[n] = '/';
	prefix[n + 1] = '\0';
	i = lower_bound(fs, prefix);
	yes = i < fs->n && strncmp(fs->files[i]->src.path, prefix, n + 1) == 0;
	free(prefix);
	return yes;
}

static int fs_kind(void *ud, const char *path)
{
	run_fs *fs = ud;
	const char *p = norm(fs, path);
	if (!p)
		return 0;
	if (*p && fs_file_at(fs, p))
		return 1;
	return fs_folder(fs, p) ? 2 : disk_kind(fs, p);
}

static pl_file *fs_file(void *ud, const char *path)
{
	run_fs *fs = ud;
	const char *p = norm(fs, path);
	pl_file *f = p && *p ? fs_file_at(fs, p) : NULL;
	if (!f && p && *p && !fs_folder(fs, p))
		f = disk_file(fs, p);
	/* a file the run skipped (binary, too big, unreadable) has no
	 * content a build could read */
	if (!f || f->src.kind == PL_SOURCE_SKIPPED || !f->src.data)
		return NULL;
	return f;
}

static void fs_list(void *ud, const char *dir,
                    void (*fn)(void *arg, const char *name), void *arg)
{
	run_fs *fs = ud;
	const char *p = norm(fs, dir);
	char *prefix, *last = NULL;
	size_t n, i;
	if (!p)
		return;
	if (!fs_folder(fs, p) && fs->disk_root) {
		char *full = on_disk(fs, p);
		DIR *d = opendir(full);
		struct dirent *e;
		free(full);
		while (d && (e = readdir(d)) != NULL)
			if (e->d_name[0] != '.')
				fn(arg, e->d_name);
		if (d)
			closedir(d);
		return;
	}
	n = strlen(p);
	prefix = pl_xmalloc(n + 2);
	memcpy(prefix, p, n);
	if (n)
		prefix[n++] = '/';
	prefix[n] = '\0';
	for (i = lower_bound(fs, prefix); i < fs->n; i++) {
		const char *path = fs->files[i]->src.path, *rest, *slash;
		size_t len;
		if (strncmp(path, prefix, n) != 0)
			break;
		rest = path + n;
		slash = strchr(rest, '/');
		len = slash ? (size_t)(slash - rest) : strlen(rest);
		/* files are sorted, so a folder's entries are adjacent */
		if (last && strlen(last) == len && memcmp(last, rest, len) == 0)
			continue;
		free(last);
		last = pl_xmalloc(len + 1);
		memcpy(last, rest, len);
		last[len] = '\0';
		fn(arg, last);
	}
	free(last);
	free(prefix);
}

/* --- rendered copies ----------------------------------------------------- */

typedef struct copier {
	pl_render *r;
	const pl_file *home; /* the original's file */
	pl_vec elsewhere;    /* pl_written */
} copier;

static void number(pl_node *n)
{
	const char *s = n->u.scalar.str;
	if (n->type == PL_TYPE_INT) {
		errno = 0;
		n->u.scalar.i = strtoll(s, NULL, 0);
		if (errno == ERANGE) {
			n->flags |= PL_NODE_INT_OVERFLOW;
			n->u.scalar.f = strtod(s, NULL);
		}
	} else if (n->type == PL_TYPE_FLOAT) {
		n->u.scalar.f = strtod(s, NULL);
	} else if (n->type == PL_TYPE_BOOL) {
		n->u.scalar.b = s[0] == 't' || s[0] == 'T';
	}
}

/*
 * Marks (k->same) the rendered nodes that are exact copies of their
 * origin, all written in the original's file: the same scalar, or a
 * collection whose items and pairs are the origin's own, unchanged. Such
 * a subtree is not copied again: the rendered copy points at the
 * original's nodes (most of a built object is its base, untouched).
 * Bottom-up, once per node.
 */
static bool mark_same(pl_knode *k, const pl_file *home, unsigned depth)
{
	const pl_node *o = k->origin;
	bool same = o && (!k->file || k->file == home) && o->kind == k->kind &&
	            depth < 256;
	size_t i;

	if (k->kind == PL_NODE_SCALAR) {
		same = same && o->type == k->type &&
		       o->u.scalar.len == k->len &&
		       memcmp(o->u.scalar.str, k->str, k->len) == 0;
	} else if (k->kind == PL_NODE_SEQUENCE) {
		same = same && o->u.seq.len == k->n;
		for (i = 0; i < k->n; i++) {
			bool s = mark_same(k->items[i], home, depth + 1);
			same = same && s &&
			       k->items[i]->origin ==
			               pl_node_deref(o->u.seq.items[i]);
		}
	} else {
		same = same && o->u.map.len == k->n && !o->u.map.nmerge;
		for (i = 0; i < k->n; i++) {
			bool a = mark_same(k->pairs[i].key, home, depth + 1);
			bool b = mark_same(k->pairs[i].value, home, depth + 1);
			same = same && a && b &&
			       k->pairs[i].key->origin ==
			               pl_node_deref(o->u.map.pairs[i].key) &&
			       k->pairs[i].value->origin ==
			               pl_node_deref(o->u.map.pairs[i].value);
		}
	}
	k->same = same;
	return same;
}

static pl_node *copy(copier *c, const pl_knode *k, const pl_file *pfile,
                     pl_span pspan, unsigned depth)
{
	pl_node *n;
	const pl_file *file = k->file ? k->file : pfile;
	const pl_node *o = k->origin;
	size_t i;

	if (k->same) /* the original's own, untouched */
		return (pl_node *)o;
	n = pl_arena_zalloc(&c->r->arena, sizeof(*n));

	n->kind = k->kind;
	n->span = o ? o->span : pspan;
	if (file && file != c->home) {
		pl_written w;
		w.node = n;
		w.file = file;
		pl_vec_append(&c->elsewhere, &w);
	}
	if (k->kind == PL_NODE_SCALAR) {
		n->style = k->style == PL_STYLE_ANY ? PL_STYLE_PLAIN : k->style;
		n->type = k->type;
		n->type11 = k->type;
		/* the build is freed once its copies are made */
		n->u.scalar.str =
		        pl_arena_strndup(&c->r->arena, k->str, k->len);
		n->u.scalar.len = k->len;
		if (o && o->kind == PL_NODE_SCALAR && o->type == k->type &&
		    o->u.scalar.len == k->len &&
		    memcmp(o->u.scalar.str, k->str, k->len) == 0) {
			/* unchanged: the original's resolution */
			n->type11 = o->type11;
			n->flags = o->flags;
			/* a tag lives in its file: the original's outlive
			 * the render, an inline patch's do not */
			n->tag = file == c->home ? o->tag : NULL;
			memcpy(&n->u.scalar, &o->u.scalar, sizeof(n->u.scalar));
		} else {
			number(n);
		}
		return n;
	}
	n->style = o && o->kind == k->kind ? o->style : PL_STYLE_BLOCK;
	if (depth > 256) /* rendered trees are copies of bounded trees */
		return n;
	if (k->kind == PL_NODE_SEQUENCE) {
		n->u.seq.items = pl_arena_alloc(&c->r->arena,
		                                (k->n + 1) * sizeof(pl_node *));
		for (i = 0; i < k->n; i++)
			n->u.seq.items[i] =
			        copy(c, k->items[i], file, n->span, depth + 1);
		n->u.seq.len = k->n;
	} else {
		n->u.map.pairs = pl_arena_zalloc(&c->r->arena,
		                                 (k->n + 1) * sizeof(pl_pair));
		for (i = 0; i < k->n; i++) {
			n->u.map.pairs[i].key = copy(c, k->pairs[i].key, file,
			                             n->span, depth + 1);
			n->u.map.pairs[i].value = copy(
			        c, k->pairs[i].value, file, n->span, depth + 1);
		}
		n->u.map.len = (uint32_t)k->n;
	}
	return n;
}

static const char *str_field(const pl_node *m, const char *key)
{
	const pl_node *v = pl_node_get(m, key);
	if (!v || v->kind != PL_NODE_SCALAR || v->type != PL_TYPE_STRING)
		return NULL;
	return v->u.scalar.str;
}

/* The original's file without what the build already applied. */
static const pl_file *shadow(pl_render *r, const pl_file *f)
{
	pl_file *s = pl_map_get(&r->shadows, (const char *)&f, sizeof(f));
	if (s)
		return s;
	s = pl_arena_alloc(&r->arena, sizeof(*s));
	memcpy(s, f, sizeof(*s));
	s->placements = NULL;
	s->nplacements = 0;
	s->image_overrides = NULL;
	s->nimage_overrides = 0;
	s->kustomize_patch = false;
	pl_map_put(&r->shadows, (const char *)&f, sizeof(f), s, NULL);
	return s;
}

static void add_copy(pl_render *r, const pl_kobject *ko)
{
	const pl_node *origin = ko->root ? ko->root->origin : NULL;
	pl_file *f = ko->root ? (pl_file *)ko->root->file : NULL;
	pl_object *src = NULL, *o;
	const pl_node *meta;
	copier c;
	size_t i;

	if (ko->generated || !origin || !f)
		return; /* generators: their inputs are judged as written */
	/* the run's file (the build read it through run_fs): find the
	 * original by its root */
	for (i = 0; i < f->nobjects && !src; i++)
		if (f->objects[i].root == origin)
			src = &f->objects[i];
	if (!src)
		return;
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.home = src->file;
	pl_vec_init(&c.elsewhere, sizeof(pl_written));
	o = pl_arena_zalloc(&r->arena, sizeof(*o));
	mark_same(ko->root, src->file, 0);
	o->root = copy(&c, ko->root, src->file, origin->span, 0);
	o->source = src;
	o->file = shadow(r, src->file);
	o->doc = src->doc;
	o->api_version = str_field(o->root, "apiVersion");
	o->kind = str_field(o->root, "kind");
	o->is_k8s = o->api_version && o->kind;
	meta = pl_node_get(o->root, "metadata");
	o->name = str_field(meta, "name");
	o->namespace = str_field(meta, "namespace");
	o->effective_namespace = o->namespace;
	if (c.elsewhere.len) {
		pl_written *w = pl_arena_alloc(
		        &r->arena, c.elsewhere.len * sizeof(pl_written));
		memcpy(w, c.elsewhere.items,
		       c.elsewhere.len * sizeof(pl_written));
		o->elsewhere = w;
		o->nelsewhere = c.elsewhere.len;
	}
	pl_vec_release(&c.elsewhere);
	if (!src->rendered) {
		src->rendered = true;
		src->built_namespace = true;
		src->effective_namespace = o->namespace;
	}
	pl_vec_append(&r->objects, &o);
}

/* --- Flux Kustomizations ------------------------------------------------ */

/* The namespace o has so far: the one a build gave it, else its own,
 * else the one its kustomization placement gives (the index is not
 * built yet). */
static const char *ns_so_far(const pl_object *o)
{
	if (o->built_namespace)
		return o->effective_namespace;
	return o->namespace ? o->namespace : o->effective_namespace;
}

typedef struct source_scan {
	pl_file *const *files;
	size_t n;
} source_scan;

/* substituteFrom: the v1 ConfigMap or Secret of the run, by a scan (the
 * identity index is built after the render; there are few of these) */
static const pl_object *var_source(void *ud, const char *kind, const char *ns,
                                   const char *name)
{
	const source_scan *sc = ud;
	size_t i, k;
	for (i = 0; i < sc->n; i++) {
		const pl_file *f = sc->files[i];
		for (k = 0; k < f->nobjects; k++) {
			const pl_object *o = &f->objects[k];
			const char *ons = ns_so_far(o);
			if (o->is_k8s && o->name &&
			    strcmp(o->kind, kind) == 0 &&
			    strcmp(o->api_version, "v1") == 0 &&
			    strcmp(o->name, name) == 0 &&
			    ((!ons && !ns) || (ons && ns && !strcmp(ons, ns))))
				return o;
		}
	}
	return NULL;
}

typedef struct flux_ks {
	const pl_object *ks;
	char *dir; /* "a/b" */
} flux_ks;

/* The Flux Kustomizations of the run whose spec.path is a folder of the
 * run (not a `${var}` and not the root itself, which a run's folders
 * already cover). */
static void flux_kustomizations(pl_vec *out, pl_file *const *files, size_t n,
                                const pl_model *m)
{
	size_t i, k;
	pl_buf dir;
	pl_buf_init(&dir, 0);
	for (i = 0; i < n; i++) {
		const pl_file *f = files[i];
		if (f->kustomize_patch)
			continue;
		for (k = 0; k < f->nobjects; k++) {
			const pl_object *o = &f->objects[k];
			const pl_node *spec;
			const char *path;
			flux_ks fk;
			if (!o->is_k8s ||
			    strcmp(o->kind, "Kustomization") != 0 ||
			    strncmp(o->api_version,
			            "kustomize.toolkit.fluxcd.io/", 28) != 0)
				continue;
			spec = pl_node_get(o->root, "spec");
			path = pl_node_get_str(spec, "path");
			if (!path || strstr(path, "${"))
				continue;
			pl_buf_reset(&dir);
			if (!pl_model_repo_folder(m, f->src.path, path, &dir) ||
			    !dir.len)
				continue;
			fk.ks = o;
			fk.dir = pl_xstrdup(dir.ptr);
			pl_vec_append(out, &fk);
		}
	}
	pl_buf_release(&dir);
}

/* Frees a build once its copies are made, unless it owns parsed files
 * (an inline patch) whose nodes a copy may share: those stay until the
 * render is freed. */
static void keep_or_free(pl_render *r, pl_kbuild *b)
{
	if (pl_kbuild_owns_files(b))
		pl_vec_append(&r->kept, &b);
	else
		pl_kbuild_free(b);
}

static void refused(pl_render *r, const pl_error *err)
{
	r->refused++;
	if (!r->first_refusal) {
		char msg[512];
		pl_error_format(err, msg, sizeof(msg));
		r->first_refusal = pl_xstrdup(msg);
	}
}

static void build_flux(pl_render *r, const flux_ks *fk, const pl_kfs *kfs,
                       pl_file *const *files, size_t n)
{
	const pl_node *spec = pl_node_deref(pl_node_get(fk->ks->root, "spec"));
	const pl_node *post = pl_node_deref(pl_node_get(spec, "postBuild"));
	source_scan sc;
	pl_kvars vs;
	pl_kflux fx;
	pl_kbuild *b = NULL;
	pl_error err;
	size_t k;

	pl_error_clear(&err);
	pl_kvars_init(&vs);
	sc.files = files;
	sc.n = n;
	if (post && pl_kvars_collect(&vs, fk->ks->file, ns_so_far(fk->ks), post,
	                             var_source, &sc, &err)) {
		refused(r, &err);
		pl_kvars_release(&vs);
		return;
	}
	memset(&fx, 0, sizeof(fx));
	fx.file = fk->ks->file;
	fx.spec = spec;
	fx.substitute = post != NULL;
	fx.vars = vs.v;
	fx.nvars = vs.n;
	if (pl_kustomize_build_in(&b, fk->dir, &fx, kfs, &err)) {
		refused(r, &err);
	} else {
		for (k = 0; k < b->nobjects; k++)
			add_copy(r, b->objects[k]);
		keep_or_free(r, b);
	}
	pl_kvars_release(&vs);
}

pl_render *pl_render_new(pl_file *const *files, size_t n,
                         const char *const *roots, size_t nroots,
                         const char *disk_root, const pl_model *m)
{
	pl_render *r = pl_xcalloc(1, sizeof(*r));
	run_fs fs;
	pl_kfs kfs;
	pl_vec flux; /* flux_ks */
	size_t i;

	pl_arena_init(&r->arena);
	pl_vec_init(&r->objects, sizeof(const pl_object *));
	pl_map_init(&r->shadows);
	pl_vec_init(&r->outside, sizeof(pl_file *));
	pl_vec_init(&r->kept, sizeof(pl_kbuild *));
	pl_vec_init(&flux, sizeof(flux_ks));
	fs.r = r;
	fs.disk_root = disk_root;
	pl_map_init(&fs.outside);
	fs.files = files;
	fs.n = n;
	pl_buf_init(&fs.path, 0);
	kfs.ud = &fs;
	kfs.kind = fs_kind;
	kfs.file = fs_file;
	kfs.list = fs_list;
	flux_kustomizations(&flux, files, n, m);
	for (i = 0; i < nroots; i++) {
		pl_kbuild *b = NULL;
		pl_error err;
		size_t k;
		bool by_flux = false;
		/* a folder a Flux Kustomization builds is built as Flux
		 * builds it (targetNamespace, patches, substitution) */
		for (k = 0; k < flux.len && !by_flux; k++)
			by_flux = !strcmp(((flux_ks *)pl_vec_at(&flux, k))->dir,
			                  roots[i]);
		if (by_flux)
			continue;
		pl_error_clear(&err);
		if (pl_kustomize_build_in(&b, roots[i], NULL, &kfs, &err)) {
			refused(r, &err);
			continue;
		}
		for (k = 0; k < b->nobjects; k++)
			add_copy(r, b->objects[k]);
		keep_or_free(r, b);
	}
	/* after the kustomizations: a Flux Kustomization's namespace (its
	 * substituteFrom sources) may be one a kustomization gave it */
	for (i = 0; i < flux.len; i++) {
		const flux_ks *fk = pl_vec_at(&flux, i);
		/* with a focus, only a build that may render a focus file:
		 * its folder holds one, or the Kustomization is in one (its
		 * inline patches are) */
		if (pl_model_builds_focus(m, fk->dir) ||
		    pl_model_is_focus(m, fk->ks->file))
			build_flux(r, fk, &kfs, files, n);
	}
	for (i = 0; i < flux.len; i++)
		free(((flux_ks *)pl_vec_at(&flux, i))->dir);
	pl_vec_release(&flux);
	pl_buf_release(&fs.path);
	pl_map_release(&fs.outside);
	return r;
}

void pl_render_free(pl_render *r)
{
	size_t i;
	if (!r)
		return;
	for (i = 0; i < r->outside.len; i++) {
		pl_file *f = *(pl_file **)pl_vec_at(&r->outside, i);
		pl_file_release(f);
		free(f);
	}
	pl_vec_release(&r->outside);
	for (i = 0; i < r->kept.len; i++)
		pl_kbuild_free(*(pl_kbuild **)pl_vec_at(&r->kept, i));
	pl_vec_release(&r->kept);
	pl_vec_release(&r->objects);
	pl_map_release(&r->shadows);
	free(r->first_refusal);
	pl_arena_release(&r->arena);
	free(r);
}

const pl_object *const *pl_render_objects(const pl_render *r, size_t *n)
{
	*n = r ? r->objects.len : 0;
	return r ? r->objects.items : NULL;
}

size_t pl_render_refused(const pl_render *r, const char **first)
{
	*first = r ? r->first_refusal : NULL;
	return r ? r->refused : 0;
}
