/*
 * flux_made.c - what Flux makes at run time from what the repository
 * declares, and what plumb cannot decide (flux.h lists the cases; the
 * facts are in kustomize-flux-build.md section 8):
 *
 *   gotk-sync.yaml, comment-only  GitRepository + Kustomization
 *                                 flux-system/flux-system (flux2
 *                                 pkg/manifestgen/sync/sync.go)
 *   FluxInstance spec.sync        a source of sync.kind + a Kustomization,
 *                                 named sync.name, else the instance's
 *                                 namespace, in that namespace (flux-operator
 *                                 internal/builder/templates.go)
 *   HelmRelease of flux-instance  the same from values.instance.sync, in the
 *   or flux-operator              release namespace, when sync.url is set
 *                                 (charts/flux-instance/templates/instance.yaml)
 *   ResourceSet                   spec.resources, once per input set, with
 *                                 `<< inputs.KEY >>` replaced (flux-operator
 *                                 internal/builder/resourceset.go)
 *
 * A template plumb cannot evaluate (sprig functions, inputs.id, inputs from
 * a provider outside git), a name that waits for `${var}`, and the
 * flux2-sync chart make unknown makers instead.
 */
#include "model/flux_impl.h"
#include "base/buf.h"

/* Input sets rendered per ResourceSet, and bytes per rendered value. */
#define FLUX_MAX_INPUTS   256
#define FLUX_MAX_RENDERED 253 /* a Kubernetes name is at most 253 bytes */

/* A copy of user text fit for a message: at most 64 bytes, controls
 * replaced. */
static const char *shown(pl_flux *fx, const char *s)
{
	size_t n = strlen(s), i;
	char *c;
	if (n > 64)
		n = 64;
	c = pl_arena_strndup(&fx->arena, s, n);
	for (i = 0; i < n; i++)
		if ((unsigned char)c[i] < 0x20 || c[i] == 0x7f)
			c[i] = '?';
	return c;
}

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

/*
 * The namespace o lands in: pl_flux_namespace, else the
 * targetNamespace of the Flux Kustomization whose spec.path is the
 * nearest folder above o's file (kustomize-flux-build.md section 7).
 * NULL when neither is known or it waits for a substitution.
 */
static const char *namespace_of(const pl_model *m, const pl_object *o)
{
	size_t n, i, best = 0;
	const pl_object *const *ks;
	const char *ns = NULL;
	pl_buf dir;

	if (pl_flux_namespace(o))
		return pl_flux_templated(pl_flux_namespace(o))
		               ? NULL
		               : pl_flux_namespace(o);
	ks = pl_model_of_kind(m, "Kustomization", &n);
	pl_buf_init(&dir, 0);
	for (i = 0; i < n; i++) {
		const pl_node *spec = pl_node_get(ks[i]->root, "spec");
		const char *path = pl_flux__str(pl_node_get(spec, "path"));
		const char *target =
		        pl_flux__str(pl_node_get(spec, "targetNamespace"));
		if (!pl_flux_is(ks[i], PL_FLUX_KUSTOMIZE, "Kustomization") ||
		    ks[i]->file->kustomize_patch || !path || !target ||
		    pl_flux_templated(path) || pl_flux_templated(target))
			continue;
		if (!pl_model_repo_folder(m, ks[i]->file->src.path, path, &dir))
			continue;
		if (strncmp(o->file->src.path, dir.ptr, dir.len) == 0 &&
		    o->file->src.path[dir.len] == '/' && dir.len > best) {
			best = dir.len;
			ns = target;
		}
	}
	pl_buf_release(&dir);
	return ns;
}

/* --- flux bootstrap ------------------------------------------------------ */

static bool comment_only(const pl_file *f)
{
	size_t d;
	if (!f->parsed || f->tree.problem != PL_TREE_OK)
		return false;
	for (d = 0; d < f->nobjects; d++) {
		const pl_node *r = f->objects[d].root;
		if (r &&
		    !(r->kind == PL_NODE_SCALAR && r->type == PL_TYPE_NULL))
			return false;
	}
	return true;
}

static void bootstrap(pl_flux *fx, const pl_file *f)
{
	static const char by[] = "the `flux bootstrap` placeholder";
	pl_flux__make(fx, PL_FLUX_SOURCE, "GitRepository", "flux-system",
	              "flux-system", f, NULL, by);
	pl_flux__make(fx, PL_FLUX_KUSTOMIZE, "Kustomization", "flux-system",
	              "flux-system", f, NULL, by);
}

/* --- FluxInstance sync --------------------------------------------------- */

static void unknown_sync(pl_flux *fx, const pl_file *f, const pl_node *at,
                         const char *ns, const char *why)
{
	pl_flux__unknown(fx, PL_FLUX_SOURCE, NULL, ns, f, at, why);
	pl_flux__unknown(fx, PL_FLUX_KUSTOMIZE, "Kustomization", ns, f, at,
	                 why);
}

/* The source and Kustomization a sync mapping makes in namespace ns. */
static void sync_make(pl_flux *fx, const pl_file *f, const pl_node *sync,
                      const char *ns, const char *by)
{
	const char *kind = pl_flux__str(pl_node_get(sync, "kind"));
	const char *name = pl_flux__str(pl_node_get(sync, "name"));

	if (pl_flux_templated(ns))
		ns = NULL;
	if (!name)
		name = ns; /* the operator names them after the namespace */
	if (!kind || !name || pl_flux_templated(kind) ||
	    pl_flux_templated(name)) {
		unknown_sync(fx, f, sync, ns,
		             pl_arena_printf(&fx->arena,
		                             "%s syncs a source whose kind or "
		                             "name plumb cannot tell",
		                             by));
		return;
	}
	pl_flux__make(fx, PL_FLUX_SOURCE, kind, name, ns, f, sync, by);
	pl_flux__make(fx, PL_FLUX_KUSTOMIZE, "Kustomization", name, ns, f, sync,
	              by);
}

static void flux_instance(pl_flux *fx, const pl_model *m, const pl_object *o)
{
	const pl_node *sync = pl_node_get(pl_node_get(o->root, "spec"), "sync");
	const char *by;
	if (!sync || sync->kind != PL_NODE_MAPPING)
		return;
	by = pl_arena_printf(&fx->arena, "the sync of FluxInstance '%s'",
	                     shown(fx, o->name ? o->name : "flux"));
	sync_make(fx, o->file, sync, namespace_of(m, o), by);
}

/* --- HelmReleases of Flux charts ----------------------------------------- */

/*
 * The chart a HelmRelease installs: the last path element of
 * spec.chart.spec.chart, or of the url (chart) of the OCIRepository
 * (HelmChart) its chartRef names. "" when the chartRef names nothing of
 * the repository, NULL when there is no chart at all.
 */
static const char *chart_of(const pl_model *m, const pl_object *hr)
{
	const pl_node *spec = pl_node_get(hr->root, "spec");
	const char *chart = pl_flux__str(pl_node_get(
	        pl_node_get(pl_node_get(spec, "chart"), "spec"), "chart"));
	pl_flux_ref ref;
	const pl_object *o = NULL;

	if (chart)
		return base_name(chart);
	if (pl_flux_refs(hr, &ref, 1) != 1 || ref.type != PL_FLUX_REF_CHART)
		return NULL;
	if (ref.namespace)
		o = pl_model_get(m, ref.group, ref.kind, ref.namespace,
		                 ref.name);
	if (!o)
		o = pl_model_get(m, ref.group, ref.kind, NULL, ref.name);
	if (!o) {
		size_t n, i;
		const pl_object *const *objs =
		        pl_model_of_kind(m, ref.kind, &n);
		for (i = 0; i < n && !o; i++)
			if (objs[i]->name &&
			    strcmp(objs[i]->name, ref.name) == 0)
				o = objs[i];
	}
	if (!o)
		return "";
	spec = pl_node_get(o->root, "spec");
	chart = pl_flux__str(pl_node_get(spec, "url"));
	if (!chart)
		chart = pl_flux__str(pl_node_get(spec, "chart"));
	return chart ? base_name(chart) : "";
}

static void helm_release(pl_flux *fx, const pl_model *m, const pl_object *o)
{
	const pl_node *spec = pl_node_get(o->root, "spec");
	const pl_node *values = pl_node_get(spec, "values");
	const pl_node *sync =
	        pl_node_get(pl_node_get(values, "instance"), "sync");
	const pl_node *from = pl_node_get(spec, "valuesFrom");
	const char *chart = chart_of(m, o);
	const char *ns = pl_flux__str(pl_node_get(spec, "targetNamespace"));
	const char *hr = shown(fx, o->name ? o->name : "?");
	bool operator_chart;

	if (!chart)
		return;
	operator_chart = strcmp(chart, "flux-instance") == 0 ||
	                 strcmp(chart, "flux-operator") == 0;
	if (strcmp(chart, "flux2-sync") != 0 && !operator_chart &&
	    !(chart[0] == '\0' && sync))
		return; /* a chart that makes no Flux objects */
	if (!ns)
		ns = namespace_of(m, o);
	if (strcmp(chart, "flux2-sync") == 0) {
		unknown_sync(fx, o->file, o->root, ns,
		             pl_arena_printf(&fx->arena,
		                             "HelmRelease '%s' installs the "
		                             "flux2-sync chart, whose sources "
		                             "plumb does not render",
		                             hr));
		return;
	}
	if (sync && sync->kind == PL_NODE_MAPPING &&
	    pl_flux__str(pl_node_get(sync, "url"))) {
		sync_make(fx, o->file, sync, ns,
		          pl_arena_printf(&fx->arena,
		                          "the instance.sync values of "
		                          "HelmRelease '%s'",
		                          hr));
	} else if (operator_chart && from && from->kind == PL_NODE_SEQUENCE &&
	           from->u.seq.len > 0) {
		unknown_sync(fx, o->file, from, ns,
		             pl_arena_printf(&fx->arena,
		                             "HelmRelease '%s' takes its "
		                             "instance values from valuesFrom",
		                             hr));
	}
}

/* --- ResourceSets -------------------------------------------------------- */

typedef enum render_result {
	RENDER_OK,
	RENDER_UNKNOWN, /* plumb cannot evaluate the template */
	RENDER_ERROR,   /* the operator fails on it: nothing is made */
} render_result;

typedef struct rset {
	const pl_object *o;
	const char *ns; /* the ResourceSet's namespace, or NULL */
} rset;

/* The value of `inputs.<path>` (path "a.b") in input, as text. */
static render_result input_value(const rset *rs, const pl_node *input,
                                 const char *path, size_t len, pl_buf *out)
{
	const pl_node *v = input;
	size_t at = 0;

	const char *provider = NULL;

	if (len == 13 && memcmp(path, "provider.kind", 13) == 0)
		provider = "ResourceSet";
	else if (len == 13 && memcmp(path, "provider.name", 13) == 0)
		provider = rs->o->name;
	else if (len == 18 && memcmp(path, "provider.namespace", 18) == 0)
		provider = rs->ns;
	if (provider || (len > 9 && memcmp(path, "provider.", 9) == 0)) {
		if (!provider)
			return RENDER_UNKNOWN;
		pl_buf_adds(out, provider);
		return RENDER_OK;
	}
	while (at < len) {
		size_t seg = at;
		char key[128];
		while (seg < len && path[seg] != '.')
			seg++;
		if (seg == at || seg - at >= sizeof(key))
			return RENDER_UNKNOWN;
		memcpy(key, path + at, seg - at);
		key[seg - at] = '\0';
		v = pl_node_deref(v);
		if (!v || v->kind != PL_NODE_MAPPING)
			return RENDER_UNKNOWN;
		v = pl_node_get(v, key);
		if (!v)
			/* inputs.id is computed by the operator */
			return strcmp(key, "id") == 0 && at == 0
			               ? RENDER_UNKNOWN
			               : RENDER_ERROR;
		at = seg + 1;
	}
	v = pl_node_deref(v);
	if (!v || v->kind != PL_NODE_SCALAR)
		return RENDER_UNKNOWN;
	pl_buf_add(out, v->u.scalar.str, v->u.scalar.len);
	return RENDER_OK;
}

/*
 * Renders a Go template with `<<` `>>` delimiters whose actions are all
 * `inputs.PATH` (with `-` trim markers and an optional leading dot).
 */
static render_result render(const rset *rs, const pl_node *input,
                            const char *tmpl, pl_buf *out)
{
	const char *p = tmpl;

	pl_buf_reset(out);
	for (;;) {
		const char *open = strstr(p, "<<"), *close, *a, *b;
		render_result r;
		if (!open) {
			pl_buf_adds(out, p);
			break;
		}
		pl_buf_add(out, p, (size_t)(open - p));
		close = strstr(open + 2, ">>");
		if (!close)
			return RENDER_ERROR;
		a = open + 2;
		b = close;
		if (a < b && *a == '-')
			a++;
		if (b > a && b[-1] == '-')
			b--;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (a < b && *a == '.')
			a++;
		if ((size_t)(b - a) <= 7 || memcmp(a, "inputs.", 7) != 0)
			return RENDER_UNKNOWN;
		if (memchr(a, ' ', (size_t)(b - a)) ||
		    memchr(a, '|', (size_t)(b - a)))
			return RENDER_UNKNOWN;
		r = input_value(rs, input, a + 7, (size_t)(b - a - 7), out);
		if (r != RENDER_OK)
			return r;
		p = close + 2;
	}
	return out->len > FLUX_MAX_RENDERED ? RENDER_ERROR : RENDER_OK;
}

/* Renders one field; *out is NULL when the field is absent. */
static render_result render_field(pl_flux *fx, const rset *rs,
                                  const pl_node *input, const pl_node *n,
                                  const char **out, pl_buf *buf)
{
	const char *t = pl_flux__str(n);
	render_result r;
	*out = NULL;
	if (!t)
		return RENDER_OK;
	r = render(rs, input, t, buf);
	if (r == RENDER_OK) {
		if (pl_flux_templated(buf->ptr) || buf->len == 0)
			return RENDER_UNKNOWN;
		*out = pl_arena_strndup(&fx->arena, buf->ptr, buf->len);
	}
	return r;
}

static void stamp(pl_flux *fx, const rset *rs, const pl_node *res,
                  const pl_node *input, const char *by, pl_buf *buf)
{
	const pl_node *meta = pl_node_get(res, "metadata");
	const char *av, *kind, *name, *ns;
	render_result r[4];
	const char *group;

	r[0] = render_field(fx, rs, input, pl_node_get(res, "apiVersion"), &av,
	                    buf);
	r[1] = render_field(fx, rs, input, pl_node_get(res, "kind"), &kind,
	                    buf);
	r[2] = render_field(fx, rs, input, pl_node_get(meta, "name"), &name,
	                    buf);
	r[3] = render_field(fx, rs, input, pl_node_get(meta, "namespace"), &ns,
	                    buf);
	if (r[0] == RENDER_ERROR || r[1] == RENDER_ERROR ||
	    r[2] == RENDER_ERROR || r[3] == RENDER_ERROR)
		return; /* the operator refuses the whole set */
	if (r[3] == RENDER_UNKNOWN)
		ns = NULL;
	else if (!ns)
		ns = NULL; /* stamped as written: plumb cannot tell */
	if (r[0] != RENDER_OK || r[1] != RENDER_OK || !av || !kind) {
		pl_flux__unknown(
		        fx, NULL, NULL, ns, rs->o->file, res,
		        pl_arena_printf(&fx->arena,
		                        "%s stamps an object whose kind "
		                        "plumb cannot tell",
		                        by));
		return;
	}
	group = pl_flux_group_of(kind);
	if (strncmp(av, group, strlen(group)) != 0)
		return; /* not a Flux object: no Flux reference names it */
	if (r[2] != RENDER_OK || !name) {
		pl_flux__unknown(fx, group, kind, ns, rs->o->file, res,
		                 pl_arena_printf(&fx->arena,
		                                 "%s stamps a %s whose name "
		                                 "plumb cannot tell",
		                                 by, kind));
		return;
	}
	pl_flux__make(fx, group, kind, name, ns, rs->o->file, res, by);
}

/* The defaultValues of the Static ResourceSetInputProvider `name`, or
 * NULL when it is not in the repository or not Static. */
static const pl_node *static_input(const pl_model *m, const rset *rs,
                                   const char *name)
{
	const pl_object *p = pl_model_get(
	        m, PL_FLUX_OPERATOR, "ResourceSetInputProvider", rs->ns, name);
	const pl_node *spec;
	if (!p && rs->ns)
		p = pl_model_get(m, PL_FLUX_OPERATOR,
		                 "ResourceSetInputProvider", NULL, name);
	spec = p ? pl_node_get(p->root, "spec") : NULL;
	if (!spec || !pl_node_is_str(pl_node_get(spec, "type"), "Static"))
		return NULL;
	spec = pl_node_deref(pl_node_get(spec, "defaultValues"));
	return spec && spec->kind == PL_NODE_MAPPING ? spec : NULL;
}

static void resource_set(pl_flux *fx, const pl_model *m, const pl_object *o)
{
	const pl_node *spec = pl_node_get(o->root, "spec");
	const pl_node *inputs = pl_node_get(spec, "inputs");
	const pl_node *from = pl_node_get(spec, "inputsFrom");
	const pl_node *resources = pl_node_get(spec, "resources");
	const pl_node *list[FLUX_MAX_INPUTS];
	size_t nlist = 0, i, j;
	bool decided = true;
	const char *by;
	rset rs;
	pl_buf buf;

	rs.o = o;
	rs.ns = namespace_of(m, o);
	by = pl_arena_printf(&fx->arena, "ResourceSet '%s'",
	                     shown(fx, o->name ? o->name : "?"));
	if (pl_node_get(spec, "resourcesTemplate") ||
	    pl_node_get(spec, "steps"))
		pl_flux__unknown(
		        fx, NULL, NULL, NULL, o->file, o->root,
		        pl_arena_printf(&fx->arena,
		                        "%s renders a resourcesTemplate "
		                        "plumb does not evaluate",
		                        by));
	for (i = 0; inputs && inputs->kind == PL_NODE_SEQUENCE &&
	            i < inputs->u.seq.len && nlist < FLUX_MAX_INPUTS;
	     i++)
		list[nlist++] = pl_node_deref(inputs->u.seq.items[i]);
	for (i = 0;
	     from && from->kind == PL_NODE_SEQUENCE && i < from->u.seq.len;
	     i++) {
		const char *name = pl_flux__str(pl_node_get(
		        pl_node_deref(from->u.seq.items[i]), "name"));
		const pl_node *in = name ? static_input(m, &rs, name) : NULL;
		if (!in)
			decided = false;
		else if (nlist < FLUX_MAX_INPUTS)
			list[nlist++] = in;
	}
	if (pl_node_is_str(
	            pl_node_get(pl_node_get(spec, "inputStrategy"), "name"),
	            "Permute"))
		decided = false;
	if (!resources || resources->kind != PL_NODE_SEQUENCE)
		return;
	pl_buf_init(&buf, 0);
	for (j = 0; j < resources->u.seq.len; j++) {
		const pl_node *res = pl_node_deref(resources->u.seq.items[j]);
		if (!res || res->kind != PL_NODE_MAPPING)
			continue;
		if (!decided) {
			/* kind and namespace as written, when they are */
			const char *kind =
			        pl_flux__str(pl_node_get(res, "kind"));
			const char *ns = pl_flux__str(pl_node_get(
			        pl_node_get(res, "metadata"), "namespace"));
			if (pl_flux_templated(kind))
				kind = NULL;
			if (pl_flux_templated(ns))
				ns = NULL;
			pl_flux__unknown(
			        fx, kind ? pl_flux_group_of(kind) : NULL, kind,
			        ns, o->file, res,
			        pl_arena_printf(&fx->arena,
			                        "%s reads inputs plumb cannot "
			                        "see",
			                        by));
			continue;
		}
		if (nlist == 0 && !from)
			stamp(fx, &rs, res, NULL, by, &buf);
		for (i = 0; i < nlist; i++)
			stamp(fx, &rs, res, list[i], by, &buf);
	}
	pl_buf_release(&buf);
}

/* --- names that wait for a substitution ---------------------------------- */

static void templated_name(pl_flux *fx, const pl_object *o)
{
	const char *group;
	const char *ns = o->effective_namespace;
	if (!o->is_k8s || !o->name || o->file->kustomize_patch)
		return;
	group = pl_flux_group_of(o->kind);
	if (strncmp(o->api_version, group, strlen(group)) != 0)
		return;
	if (!pl_flux_templated(o->name) && !pl_flux_templated(ns))
		return;
	pl_flux__unknown(fx, group, o->kind, pl_flux_templated(ns) ? NULL : ns,
	                 o->file, o->root,
	                 pl_arena_printf(&fx->arena,
	                                 "%s '%s' in %s is named by a "
	                                 "substitution Flux makes at "
	                                 "reconcile time",
	                                 o->kind, shown(fx, o->name),
	                                 o->file->src.path));
}

/*
 * flux-system/flux-system is what `flux bootstrap` names its source and
 * Kustomization (flux2 pkg/manifestgen/sync/options.go), the Flux Operator
 * its sync (after the namespace) and the Terraform provider likewise. A
 * repository that refers to it without declaring it was bootstrapped from
 * outside git: plumb cannot tell, so it is unknown, never missing.
 */
static void bootstrapped_elsewhere(pl_flux *fx)
{
	static const char why[] =
	        "flux-system is the source `flux bootstrap` or the Flux "
	        "Operator creates, and nothing in the repository declares it";
	static const char *const kinds[] = {"GitRepository", "OCIRepository",
	                                    "Bucket"};
	size_t i;
	for (i = 0; i < PL_ARRAY_SIZE(kinds); i++)
		pl_flux__unknown_named(fx, PL_FLUX_SOURCE, kinds[i],
		                       "flux-system", "flux-system", NULL, NULL,
		                       why);
	pl_flux__unknown_named(fx, PL_FLUX_KUSTOMIZE, "Kustomization",
	                       "flux-system", "flux-system", NULL, NULL, why);
}

void pl_flux__find_made(pl_flux *fx, const pl_model *m)
{
	size_t nf, i, d;
	const pl_file *const *files = pl_model_files(m, &nf);

	bootstrapped_elsewhere(fx);
	for (i = 0; i < nf; i++) {
		const pl_file *f = files[i];
		if (strcmp(base_name(f->src.path), "gotk-sync.yaml") == 0 &&
		    comment_only(f))
			bootstrap(fx, f);
		for (d = 0; d < f->nobjects; d++) {
			const pl_object *o = &f->objects[d];
			if (!o->is_k8s || !o->root || f->kustomize_patch)
				continue;
			templated_name(fx, o);
			if (pl_flux_is(o, PL_FLUX_OPERATOR, "FluxInstance"))
				flux_instance(fx, m, o);
			else if (pl_flux_is(o, PL_FLUX_OPERATOR, "ResourceSet"))
				resource_set(fx, m, o);
			else if (pl_flux_is(o, PL_FLUX_HELM, "HelmRelease"))
				helm_release(fx, m, o);
		}
	}
}
