/*
 * flux.c - the Flux index of a run (flux.h): API groups, the references
 * of each Flux object, and their resolution among committed objects, made
 * objects and unknown makers.
 *
 * Reference fields and defaults (Flux API docs): Kustomization and
 * ImageUpdateAutomation spec.sourceRef {kind, name, namespace} (the
 * automation's kind defaults to GitRepository); HelmRelease
 * spec.chart.spec.sourceRef and spec.chartRef; ImagePolicy
 * spec.imageRepositoryRef {name, namespace} naming an ImageRepository;
 * dependsOn [{name, namespace}] naming an object of the referrer's kind.
 * A namespace left out means the referrer's namespace (KC
 * api/v1/reference_types.go, kustomize-flux-build.md section 7).
 */
#include "model/flux_impl.h"
#include "base/xalloc.h"

const char *pl_flux__str(const pl_node *n)
{
	n = pl_node_deref(n);
	if (!n || n->kind != PL_NODE_SCALAR || n->type != PL_TYPE_STRING ||
	    n->u.scalar.len == 0)
		return NULL;
	return n->u.scalar.str;
}

bool pl_flux_is(const pl_object *o, const char *group, const char *kind)
{
	return o && o->is_k8s && strcmp(o->kind, kind) == 0 &&
	       strncmp(o->api_version, group, strlen(group)) == 0;
}

const char *pl_flux_group_of(const char *kind)
{
	static const struct {
		const char *kind, *group;
	} groups[] = {
	        {"FluxInstance", PL_FLUX_OPERATOR},
	        {"HelmRelease", PL_FLUX_HELM},
	        {"ImagePolicy", PL_FLUX_IMAGE},
	        {"ImageRepository", PL_FLUX_IMAGE},
	        {"ImageUpdateAutomation", PL_FLUX_IMAGE},
	        {"Kustomization", PL_FLUX_KUSTOMIZE},
	        {"ResourceSet", PL_FLUX_OPERATOR},
	        {"ResourceSetInputProvider", PL_FLUX_OPERATOR},
	};
	size_t i;
	for (i = 0; i < PL_ARRAY_SIZE(groups); i++)
		if (strcmp(kind, groups[i].kind) == 0)
			return groups[i].group;
	return PL_FLUX_SOURCE;
}

const char *pl_flux_namespace(const pl_object *o)
{
	if (o->file->nplacements)
		return o->file->placements[0].namespace;
	return o->effective_namespace;
}

bool pl_flux_unrendered(const pl_object *o)
{
	const pl_node *meta = pl_node_get(o->root, "metadata");
	const pl_node *name = pl_node_deref(pl_node_get(meta, "name"));
	const pl_node *ns = pl_node_deref(pl_node_get(meta, "namespace"));
	return (name && name->kind != PL_NODE_SCALAR) ||
	       (ns && ns->kind != PL_NODE_SCALAR);
}

bool pl_flux_templated(const char *s)
{
	return s && (strstr(s, "${") || strstr(s, "{{") || strstr(s, "<<"));
}

/* --- references ------------------------------------------------------- */

static size_t add_ref(const pl_object *o, const pl_node *ref,
                      pl_flux_ref_type type, const char *field,
                      const char *kind_default, pl_flux_ref *out, size_t n,
                      size_t max)
{
	pl_flux_ref *r;
	const pl_node *ns_at;
	const char *ns;

	ref = pl_node_deref(ref);
	if (n >= max || !ref || ref->kind != PL_NODE_MAPPING)
		return n;
	r = &out[n];
	memset(r, 0, sizeof(*r));
	r->type = type;
	r->field = field;
	r->from = o;
	r->at = ref;
	r->kind = pl_flux__str(pl_node_get(ref, "kind"));
	if (!r->kind)
		r->kind = kind_default;
	r->name_at = pl_node_get(ref, "name");
	r->name = pl_flux__str(r->name_at);
	if (!r->kind || !r->name)
		return n; /* not a reference: the schema says so */
	r->group = pl_flux_group_of(r->kind);
	ns_at = pl_node_deref(pl_node_get(ref, "namespace"));
	ns = pl_flux__str(ns_at);
	r->namespace_written = ns != NULL;
	r->namespace = ns ? ns : pl_flux_namespace(o);
	r->namespace_unknown = (ns_at && ns_at->kind != PL_NODE_SCALAR) ||
	                       (!ns_at && pl_flux_unrendered(o));
	return n + 1;
}

size_t pl_flux_refs(const pl_object *o, pl_flux_ref *out, size_t max)
{
	const pl_node *spec, *deps;
	size_t n = 0, i;

	if (!o || !o->is_k8s || !o->root || o->file->kustomize_patch)
		return 0; /* a patch is merged into an object, not one itself */
	spec = pl_node_get(o->root, "spec");
	if (pl_flux_is(o, PL_FLUX_IMAGE, "ImagePolicy"))
		return add_ref(o, pl_node_get(spec, "imageRepositoryRef"),
		               PL_FLUX_REF_IMAGE_REPOSITORY,
		               "spec.imageRepositoryRef", "ImageRepository",
		               out, n, max);
	if (pl_flux_is(o, PL_FLUX_IMAGE, "ImageUpdateAutomation"))
		return add_ref(o, pl_node_get(spec, "sourceRef"),
		               PL_FLUX_REF_SOURCE, "spec.sourceRef",
		               "GitRepository", out, n, max);
	if (pl_flux_is(o, PL_FLUX_KUSTOMIZE, "Kustomization")) {
		n = add_ref(o, pl_node_get(spec, "sourceRef"),
		            PL_FLUX_REF_SOURCE, "spec.sourceRef", NULL, out, n,
		            max);
	} else if (pl_flux_is(o, PL_FLUX_HELM, "HelmRelease")) {
		n = add_ref(o,
		            pl_node_get(pl_node_get(pl_node_get(spec, "chart"),
		                                    "spec"),
		                        "sourceRef"),
		            PL_FLUX_REF_CHART_SOURCE,
		            "spec.chart.spec.sourceRef", NULL, out, n, max);
		n = add_ref(o, pl_node_get(spec, "chartRef"), PL_FLUX_REF_CHART,
		            "spec.chartRef", NULL, out, n, max);
	} else {
		return 0;
	}
	deps = pl_node_get(spec, "dependsOn");
	for (i = 0;
	     deps && deps->kind == PL_NODE_SEQUENCE && i < deps->u.seq.len; i++)
		n = add_ref(o, deps->u.seq.items[i], PL_FLUX_REF_DEPENDS_ON,
		            "spec.dependsOn", o->kind, out, n, max);
	return n;
}

/* --- the index ----------------------------------------------------------- */

void pl_flux__make(pl_flux *fx, const char *group, const char *kind,
                   const char *name, const char *ns, const pl_file *file,
                   const pl_node *at, const char *by)
{
	pl_flux_made *mk = pl_vec_push(&fx->made);
	mk->group = group;
	mk->kind = kind;
	mk->name = name;
	mk->namespace = ns;
	mk->file = file;
	mk->at = at;
	mk->by = by;
}

void pl_flux__unknown(pl_flux *fx, const char *group, const char *kind,
                      const char *ns, const pl_file *file, const pl_node *at,
                      const char *why)
{
	pl_flux__unknown_named(fx, group, kind, ns, NULL, file, at, why);
}

void pl_flux__unknown_named(pl_flux *fx, const char *group, const char *kind,
                            const char *ns, const char *name,
                            const pl_file *file, const pl_node *at,
                            const char *why)
{
	pl_flux_unknown *u = pl_vec_push(&fx->unknown);
	u->group = group;
	u->kind = kind;
	u->namespace = ns;
	u->name = name;
	u->file = file;
	u->at = at;
	u->why = why;
}

static void index_made(pl_flux *fx)
{
	size_t i;
	for (i = 0; i < fx->made.len; i++) {
		const pl_flux_made *mk = pl_vec_at(&fx->made, i);
		char *key = pl_arena_printf(&fx->arena, "%s\x1f%s", mk->kind,
		                            mk->name);
		size_t klen = strlen(key);
		pl_vec *v = pl_map_get(&fx->by_name, key, klen);
		if (!v) {
			v = pl_arena_zalloc(&fx->arena, sizeof(*v));
			pl_vec_init(v, sizeof(size_t));
			pl_map_put(&fx->by_name, key, klen, v, NULL);
			pl_vec_append(&fx->lists, &v);
		}
		pl_vec_append(v, &i);
	}
}

static const pl_flux *flux_of(const pl_model *m)
{
	return m ? pl_model_flux(m) : NULL;
}

static pl_flux_found resolve(const pl_flux *fx, const pl_model *m,
                             const pl_flux_ref *ref, pl_flux_resolution *out);

/* The first unknown reference of the run, in path then document order. */
static void find_first_unknown(pl_flux *fx, const pl_model *m)
{
	size_t nf, i, d, r, n;
	const pl_file *const *files = pl_model_files(m, &nf);
	pl_flux_ref refs[PL_FLUX_MAX_REFS];
	pl_flux_resolution res;

	for (i = 0; i < nf; i++) {
		for (d = 0; d < files[i]->nobjects; d++) {
			n = pl_flux_refs(&files[i]->objects[d], refs,
			                 PL_ARRAY_SIZE(refs));
			for (r = 0; r < n; r++) {
				if (refs[r].type == PL_FLUX_REF_DEPENDS_ON ||
				    resolve(fx, m, &refs[r], &res) !=
				            PL_FLUX_UNKNOWN)
					continue;
				if (fx->nunknown_refs++ == 0) {
					fx->first_unknown =
					        refs[r].name_at
					                ? refs[r].name_at
					                : refs[r].at;
					fx->first_unknown_file = files[i];
				}
			}
		}
	}
}

void pl_flux_new(pl_flux **out, const pl_model *m)
{
	pl_flux *fx = pl_xcalloc(1, sizeof(*fx));
	pl_arena_init(&fx->arena);
	pl_vec_init(&fx->made, sizeof(pl_flux_made));
	pl_vec_init(&fx->unknown, sizeof(pl_flux_unknown));
	pl_map_init(&fx->by_name);
	pl_vec_init(&fx->lists, sizeof(pl_vec *));
	pl_flux__find_made(fx, m);
	index_made(fx);
	find_first_unknown(fx, m);
	*out = fx;
}

void pl_flux_free(pl_flux *fx)
{
	size_t i;
	if (!fx)
		return;
	for (i = 0; i < fx->lists.len; i++)
		pl_vec_release(*(pl_vec **)pl_vec_at(&fx->lists, i));
	pl_vec_release(&fx->lists);
	pl_map_release(&fx->by_name);
	pl_vec_release(&fx->made);
	pl_vec_release(&fx->unknown);
	pl_arena_release(&fx->arena);
	free(fx);
}

/* --- resolution ---------------------------------------------------------- */

static bool in_group(const char *api_version, const char *group)
{
	return strncmp(api_version, group, strlen(group)) == 0;
}

static const pl_object *committed_anywhere(const pl_model *m,
                                           const pl_flux_ref *ref)
{
	size_t n, i;
	const pl_object *const *objs = pl_model_of_kind(m, ref->kind, &n);
	for (i = 0; i < n; i++)
		if (objs[i]->name && strcmp(objs[i]->name, ref->name) == 0 &&
		    !objs[i]->file->kustomize_patch &&
		    in_group(objs[i]->api_version, ref->group))
			return objs[i];
	return NULL;
}

/* An ExternalArtifact is made by an ArtifactGenerator (Flux source-
 * watcher) that lists it in spec.artifacts, in the generator's namespace. */
static const pl_object *generated_artifact(const pl_model *m,
                                           const pl_flux_ref *ref)
{
	size_t n, i, a;
	const pl_object *const *objs =
	        pl_model_of_kind(m, "ArtifactGenerator", &n);
	for (i = 0; i < n; i++) {
		const pl_object *o = objs[i];
		const pl_node *arts =
		        pl_node_get(pl_node_get(o->root, "spec"), "artifacts");
		if (ref->namespace && o->effective_namespace &&
		    strcmp(ref->namespace, o->effective_namespace) != 0)
			continue;
		if (!arts || arts->kind != PL_NODE_SEQUENCE)
			continue;
		for (a = 0; a < arts->u.seq.len; a++) {
			const char *an = pl_flux__str(pl_node_get(
			        pl_node_deref(arts->u.seq.items[a]), "name"));
			if (an && strcmp(an, ref->name) == 0)
				return o;
		}
	}
	return NULL;
}

/* An object whose file kustomizations place in the reference's namespace,
 * whatever its metadata.namespace says. */
static const pl_object *placed(const pl_model *m, const pl_flux_ref *ref)
{
	size_t n, i, p;
	const pl_object *const *objs = pl_model_of_kind(m, ref->kind, &n);
	for (i = 0; i < n; i++) {
		const pl_file *f = objs[i]->file;
		if (!objs[i]->name || strcmp(objs[i]->name, ref->name) != 0 ||
		    f->kustomize_patch ||
		    !in_group(objs[i]->api_version, ref->group))
			continue;
		for (p = 0; p < f->nplacements; p++)
			if (strcmp(f->placements[p].namespace,
			           ref->namespace) == 0)
				return objs[i];
	}
	return NULL;
}

static const pl_object *committed(const pl_model *m, const pl_flux_ref *ref)
{
	const pl_object *o;
	if (strcmp(ref->kind, "ExternalArtifact") == 0) {
		o = generated_artifact(m, ref);
		if (o)
			return o;
	}
	if (!ref->namespace)
		return committed_anywhere(m, ref);
	o = pl_model_get(m, ref->group, ref->kind, ref->namespace, ref->name);
	/* an object with no known namespace may be the one meant */
	if (!o)
		o = pl_model_get(m, ref->group, ref->kind, NULL, ref->name);
	return o ? o : placed(m, ref);
}

static bool ns_matches(const char *want, const char *have)
{
	return !want || !have || strcmp(want, have) == 0;
}

static const pl_flux_made *made(const pl_flux *fx, const pl_flux_ref *ref)
{
	char key[512];
	const pl_vec *v;
	size_t i;
	int n = snprintf(key, sizeof(key), "%s\x1f%s", ref->kind, ref->name);
	if (n < 0 || (size_t)n >= sizeof(key))
		return NULL;
	v = pl_map_get(&fx->by_name, key, (size_t)n);
	for (i = 0; v && i < v->len; i++) {
		const pl_flux_made *mk =
		        pl_vec_at(&fx->made, *(const size_t *)pl_vec_at(v, i));
		if (strcmp(mk->group, ref->group) == 0 &&
		    ns_matches(ref->namespace, mk->namespace))
			return mk;
	}
	return NULL;
}

static const pl_flux_unknown *maker(const pl_flux *fx, const pl_flux_ref *ref)
{
	size_t i;
	for (i = 0; i < fx->unknown.len; i++) {
		const pl_flux_unknown *u = pl_vec_at(&fx->unknown, i);
		if ((!u->group || strcmp(u->group, ref->group) == 0) &&
		    (!u->kind || strcmp(u->kind, ref->kind) == 0) &&
		    (!u->name || strcmp(u->name, ref->name) == 0) &&
		    ns_matches(ref->namespace, u->namespace))
			return u;
	}
	return NULL;
}

static pl_flux_found resolve(const pl_flux *fx, const pl_model *m,
                             const pl_flux_ref *ref, pl_flux_resolution *out)
{
	memset(out, 0, sizeof(*out));
	out->found = PL_FLUX_UNKNOWN;
	if (!fx || !ref->name || !ref->kind) {
		out->why = "the reference is incomplete";
		return out->found;
	}
	if (pl_flux_templated(ref->name)) {
		out->why = "its name waits for a substitution";
		return out->found;
	}
	if (ref->namespace_unknown) {
		out->why = "its namespace is an unrendered template";
		return out->found;
	}
	if (pl_flux_templated(ref->namespace)) {
		out->why = "its namespace waits for a substitution";
		return out->found;
	}
	out->object = committed(m, ref);
	if (!out->object)
		out->made = made(fx, ref);
	if (out->object || out->made) {
		out->found = PL_FLUX_FOUND;
		return out->found;
	}
	out->maker = maker(fx, ref);
	if (out->maker) {
		out->why = out->maker->why;
		return out->found;
	}
	out->found = PL_FLUX_MISSING;
	return out->found;
}

pl_flux_found pl_flux_resolve(const pl_model *m, const pl_flux_ref *ref,
                              pl_flux_resolution *out)
{
	return resolve(flux_of(m), m, ref, out);
}

size_t pl_flux_unknown_count(const pl_model *m)
{
	const pl_flux *fx = flux_of(m);
	return fx ? fx->nunknown_refs : 0;
}

bool pl_flux_first_unknown(const pl_model *m, const pl_file *f,
                           const pl_node *at)
{
	const pl_flux *fx = flux_of(m);
	const pl_node *u = fx ? fx->first_unknown : NULL;
	if (!u || !at || f != fx->first_unknown_file)
		return false;
	/* a rendered copy (model/render.h) may hold a copy of the node:
	 * the same span is the same reference */
	return u == at || pl_span_same(u->span, at->span);
}

const pl_flux_made *pl_flux_made_all(const pl_model *m, size_t *n)
{
	const pl_flux *fx = flux_of(m);
	*n = fx ? fx->made.len : 0;
	return fx ? (const pl_flux_made *)fx->made.items : NULL;
}
