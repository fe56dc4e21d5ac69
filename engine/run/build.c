/*
 * build.c - `plumb build DIR` and `plumb build --flux NAMESPACE/NAME
 * [ROOT]`: the build model's objects as YAML.
 *
 * For --flux the repository under ROOT is read as `check` reads it
 * (walk.h: .gitignore honoured), the model index finds the Flux
 * Kustomization and the ConfigMaps and Secrets its postBuild names, and
 * model/kustomize builds spec.path with the Kustomization's overrides.
 */
#include "run/run.h"
#include "base/xalloc.h"
#include "model/kustomize.h"
#include "source/walk.h"

#include <sys/stat.h>

static int emit(pl_kbuild *b, bool sources, FILE *out, pl_error *err)
{
	pl_buf buf;
	int rc;
	pl_buf_init(&buf, 0);
	rc = pl_kustomize_emit(&buf, b, sources);
	if (rc)
		pl_error_set(err, rc, NULL, NULL, "build output too large");
	else if (buf.len && fwrite(buf.ptr, 1, buf.len, out) != buf.len)
		rc = pl_error_set(err, PL_EIO, NULL, NULL, "cannot write: %s",
		                  strerror(errno));
	pl_buf_release(&buf);
	return rc;
}

int pl_run_build(const char *dir, bool sources, FILE *out, pl_error *err)
{
	pl_kbuild *b;
	int rc = pl_kustomize_build(&b, dir, err);
	if (rc)
		return rc;
	rc = emit(b, sources, out, err);
	pl_kbuild_free(b);
	return rc;
}

/* --- --flux -----------------------------------------------------------------
 */

/* substituteFrom: a v1 ConfigMap or Secret of the repository */
static const pl_object *var_source(void *ud, const char *kind, const char *ns,
                                   const char *name)
{
	const pl_model *m = ud;
	const pl_object *o = pl_model_get(m, NULL, kind, ns, name);
	while (o && !(o->api_version && strcmp(o->api_version, "v1") == 0))
		o = pl_model_next(m, o, NULL);
	return o;
}

static const pl_object *find_flux(const pl_model *m, const char *ns,
                                  const char *name)
{
	size_t n, i;
	const pl_object *const *ks = pl_model_of_kind(m, "Kustomization", &n);
	for (i = 0; i < n; i++) {
		const pl_object *o = ks[i];
		const char *ons = o->effective_namespace
		                          ? o->effective_namespace
		                          : o->namespace;
		if (o->api_version &&
		    strncmp(o->api_version, "kustomize.toolkit.fluxcd.io/",
		            28) == 0 &&
		    o->name && strcmp(o->name, name) == 0 && ons &&
		    strcmp(ons, ns) == 0)
			return o;
	}
	return NULL;
}

int pl_run_build_flux(const char *root, const char *ref, bool sources,
                      FILE *out, pl_error *err)
{
	pl_walk walk;
	pl_limits limits;
	pl_file **files = NULL;
	pl_model *model = NULL;
	pl_kbuild *b = NULL;
	const pl_object *ks;
	const pl_node *spec, *post, *pathn;
	const char *slash = strchr(ref, '/'), *path;
	char ns[256], *dir = NULL;
	pl_kvars vs;
	pl_kflux fx;
	size_t i, n = 0;
	struct stat st;
	int rc;

	pl_kvars_init(&vs);
	pl_walk_init(&walk);
	if (!slash || slash == ref || !slash[1] || strchr(slash + 1, '/') ||
	    (size_t)(slash - ref) >= sizeof(ns))
		return pl_error_set(err, PL_EUSAGE, NULL, NULL,
		                    "--flux takes NAMESPACE/NAME, not '%s'",
		                    ref);
	snprintf(ns, sizeof(ns), "%.*s", (int)(slash - ref), ref);
	pl_limits_default(&limits);
	rc = pl_walk_paths(&walk, &root, 1, NULL, err);
	if (rc)
		goto done;
	files = pl_xcalloc(walk.entries.len + 1, sizeof(*files));
	for (i = 0; i < walk.entries.len; i++) {
		const pl_walk_entry *e = pl_vec_at(&walk.entries, i);
		pl_file *f;
		if (e->kind != PL_SOURCE_YAML || e->skip != PL_SKIP_NONE)
			continue;
		f = pl_xmalloc(sizeof(*f));
		pl_file_init(f);
		pl_source_read_file(&f->src, e->path, e->fspath, &limits);
		if (f->src.kind != PL_SOURCE_SKIPPED)
			f->src.kind = PL_SOURCE_YAML;
		pl_file_load(f, &limits);
		files[n++] = f;
	}
	pl_model_build(&model, files, n);
	ks = find_flux(model, ns, slash + 1);
	if (!ks) {
		rc = pl_error_set(err, PL_ENOTFOUND, NULL, NULL,
		                  "no Flux Kustomization '%s' under '%s'", ref,
		                  root);
		goto done;
	}
	spec = pl_node_deref(pl_node_get(ks->root, "spec"));
	post = pl_node_deref(pl_node_get(spec, "postBuild"));
	pathn = pl_node_deref(pl_node_get(spec, "path"));
	path = pl_node_get_str(spec, "path");
	if (!path)
		path = "";
	while (*path == '/' || (path[0] == '.' && path[1] == '/'))
		path += *path == '/' ? 1 : 2;
	if (strncmp(path, "../", 3) == 0 || strcmp(path, "..") == 0 ||
	    strstr(path, "/../")) {
		rc = pl_error_set(err, PL_EPARSE, ks->file->src.path,
		                  pathn ? &pathn->span.start : NULL,
		                  "spec.path '%s' leaves the source's root",
		                  path);
		goto done;
	}
	dir = pl_xmalloc(strlen(root) + strlen(path) + 2);
	snprintf(dir, strlen(root) + strlen(path) + 2, "%s%s%s", root,
	         *path ? "/" : "", path);
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		rc = pl_error_set(err, PL_ENOTFOUND, ks->file->src.path,
		                  pathn ? &pathn->span.start : NULL,
		                  "spec.path '%s' is not a folder of the "
		                  "repository",
		                  path);
		goto done;
	}
	rc = post ? pl_kvars_collect(&vs, ks->file, ks->effective_namespace,
	                             post, var_source, model, err)
	          : 0;
	if (rc)
		goto done;
	for (i = 0; i < vs.missing.len; i++) {
		const pl_node *e = *(const pl_node **)pl_vec_at(&vs.missing, i);
		const char *kind = pl_node_get_str(e, "kind");
		fprintf(stderr,
		        "%s:%u:%u: note: %s %s/%s is not in the repository; "
		        "its variables stay as written\n",
		        ks->file->src.path, e->span.start.line,
		        e->span.start.col, kind,
		        ks->effective_namespace ? ks->effective_namespace : "",
		        pl_node_get_str(e, "name"));
	}
	memset(&fx, 0, sizeof(fx));
	fx.file = ks->file;
	fx.spec = spec;
	fx.substitute = post != NULL;
	fx.vars = vs.v;
	fx.nvars = vs.n;
	rc = pl_kustomize_build_flux(&b, dir, &fx, err);
	if (!rc)
		rc = emit(b, sources, out, err);
done:
	pl_kbuild_free(b);
	free(dir);
	pl_kvars_release(&vs);
	if (model)
		pl_model_free(model);
	for (i = 0; i < n; i++) {
		pl_file_release(files[i]);
		free(files[i]);
	}
	free(files);
	pl_walk_release(&walk);
	return rc;
}
