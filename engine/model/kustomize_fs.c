/*
 * kustomize_fs.c - the files a build reads: paths joined and folded,
 * folders and files looked up through the run's files (pl_kfs) or the
 * disk, each kustomization, resource and patch file parsed once per
 * build, and kustomize's load restrictor (kz_inside).
 */
#include "model/kustomize_impl.h"
#include "base/map.h"
#include "base/xalloc.h"
#include "tree/load.h"

#include <dirent.h>
#include <sys/stat.h>

/* dir + "/" + rel with "." and ".." segments folded where possible; a
 * leading "/" and leading ".." segments are kept. */
char *kz_join(pl_arena *a, const char *dir, const char *rel)
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
pl_file *kz_load(kz_ctx *c, const char *path, const pl_file *from,
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
 * fileloader.go]. Both paths come from kz_join(), so this is a prefix test.
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
