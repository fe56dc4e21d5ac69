/*
 * flux_refs.c - flux/dangling-ref: a Flux reference that resolves to no
 * object of the repository.
 *
 * The references followed (Flux API docs): ImagePolicy
 * spec.imageRepositoryRef -> ImageRepository; Kustomization spec.sourceRef
 * and ImageUpdateAutomation spec.sourceRef -> a source (GitRepository,
 * OCIRepository, Bucket, or an ExternalArtifact that an
 * ArtifactGenerator lists); HelmRelease spec.chart.spec.sourceRef -> a
 * HelmRepository, GitRepository or Bucket, and spec.chartRef -> an
 * OCIRepository or HelmChart. A reference without `namespace:` means the
 * referrer's namespace. When that namespace is unknown (no metadata
 * namespace, no kustomization), any namespace will do: the model cannot
 * say where the object lands. References built from substitutions
 * (`${CLUSTER}`) cannot be resolved before Flux runs and are skipped.
 */
#include "builtin/builtin.h"
#include "rule/quote.h"

static const char *str_of(const pl_node *n)
{
	n = pl_node_deref(n);
	if (!n || n->kind != PL_NODE_SCALAR || n->type != PL_TYPE_STRING ||
	    n->u.scalar.len == 0)
		return NULL;
	return n->u.scalar.str;
}

static bool substituted(const char *s)
{
	return s && (strstr(s, "${") || strstr(s, "{{"));
}

/* The group a referenced kind lives in. */
static const char *group_of(const char *kind)
{
	if (strcmp(kind, "ImageRepository") == 0)
		return "image.toolkit.fluxcd.io/";
	if (strcmp(kind, "Kustomization") == 0)
		return "kustomize.toolkit.fluxcd.io/";
	if (strcmp(kind, "HelmRelease") == 0)
		return "helm.toolkit.fluxcd.io/";
	return "source.toolkit.fluxcd.io/";
}

static bool exists_anywhere(const pl_model *m, const char *group,
                            const char *kind, const char *name)
{
	size_t n, i;
	const pl_object *const *objs = pl_model_of_kind(m, kind, &n);
	for (i = 0; i < n; i++) {
		const pl_object *o = objs[i];
		if (o->name && strcmp(o->name, name) == 0 &&
		    strncmp(o->api_version, group, strlen(group)) == 0)
			return true;
	}
	return false;
}

/* An ExternalArtifact is made by an ArtifactGenerator (Flux source-
 * watcher) that lists it in spec.artifacts, in the generator's namespace. */
static bool generated_artifact(const pl_model *m, const char *ns,
                               const char *name)
{
	size_t n, i, a;
	const pl_object *const *objs =
	        pl_model_of_kind(m, "ArtifactGenerator", &n);
	for (i = 0; i < n; i++) {
		const pl_object *o = objs[i];
		const pl_node *arts =
		        pl_node_get(pl_node_get(o->root, "spec"), "artifacts");
		if (ns && o->effective_namespace &&
		    strcmp(ns, o->effective_namespace) != 0)
			continue;
		if (!arts || arts->kind != PL_NODE_SEQUENCE)
			continue;
		for (a = 0; a < arts->u.seq.len; a++) {
			const char *an = str_of(pl_node_get(
			        pl_node_deref(arts->u.seq.items[a]), "name"));
			if (an && strcmp(an, name) == 0)
				return true;
		}
	}
	return false;
}

/*
 * Checks one reference mapping {kind, name, namespace}; `kind_default`
 * applies when the mapping has no kind (imageRepositoryRef).
 */
static void check_ref(pl_ctx *ctx, const pl_object *o, const pl_node *ref,
                      const char *field, const char *kind_default)
{
	const pl_model *m = pl_ctx_model(ctx);
	const pl_node *name_node;
	const char *kind, *name, *ns, *group;
	char qn[96], qns[96];

	ref = pl_node_deref(ref);
	if (!m || !ref || ref->kind != PL_NODE_MAPPING)
		return;
	kind = str_of(pl_node_get(ref, "kind"));
	if (!kind)
		kind = kind_default;
	name_node = pl_node_get(ref, "name");
	name = str_of(name_node);
	ns = str_of(pl_node_get(ref, "namespace"));
	if (!kind || !name || substituted(name) || substituted(ns) ||
	    substituted(o->effective_namespace))
		return;
	if (!ns)
		ns = o->effective_namespace;
	if (strcmp(kind, "ExternalArtifact") == 0) {
		if (generated_artifact(m, ns, name))
			return;
	}
	group = group_of(kind);
	if (ns ? pl_model_get(m, group, kind, ns, name) != NULL
	       : exists_anywhere(m, group, kind, name))
		return;
	/* an object with no known namespace may be the one meant */
	if (ns && pl_model_get(m, group, kind, NULL, name))
		return;
	pl_quote(qn, sizeof(qn), name, strlen(name), 64);
	if (ns) {
		pl_quote(qns, sizeof(qns), ns, strlen(ns), 64);
		pl_emit(ctx, name_node,
		        "%s names %s '%s' in namespace '%s', which is not in "
		        "the repository",
		        field, kind, qn, qns);
	} else {
		pl_emit(ctx, name_node,
		        "%s names %s '%s', which is not in the repository",
		        field, kind, qn);
	}
}

static void check_refs(pl_ctx *ctx, const pl_object *o)
{
	const pl_node *spec = pl_node_get(o->root, "spec");
	const char *av = o->api_version;

	if (!av || o->file->kustomize_patch)
		return; /* a patch is merged into an object, not one itself */
	if (strcmp(o->kind, "ImagePolicy") == 0 &&
	    strncmp(av, "image.toolkit.fluxcd.io/", 24) == 0) {
		check_ref(ctx, o, pl_node_get(spec, "imageRepositoryRef"),
		          "spec.imageRepositoryRef", "ImageRepository");
	} else if (strcmp(o->kind, "ImageUpdateAutomation") == 0 &&
	           strncmp(av, "image.toolkit.fluxcd.io/", 24) == 0) {
		check_ref(ctx, o, pl_node_get(spec, "sourceRef"),
		          "spec.sourceRef", "GitRepository");
	} else if (strcmp(o->kind, "Kustomization") == 0 &&
	           strncmp(av, "kustomize.toolkit.fluxcd.io/", 28) == 0) {
		check_ref(ctx, o, pl_node_get(spec, "sourceRef"),
		          "spec.sourceRef", NULL);
	} else if (strcmp(o->kind, "HelmRelease") == 0 &&
	           strncmp(av, "helm.toolkit.fluxcd.io/", 23) == 0) {
		check_ref(ctx, o,
		          pl_node_get(pl_node_get(pl_node_get(spec, "chart"),
		                                  "spec"),
		                      "sourceRef"),
		          "spec.chart.spec.sourceRef", NULL);
		check_ref(ctx, o, pl_node_get(spec, "chartRef"),
		          "spec.chartRef", NULL);
	}
}

const pl_rule pl_rule_flux_dangling_ref = {
        .id = "flux/dangling-ref",
        .severity = PL_SEV_WARNING,
        .summary = "A Flux reference names an object that is not in the "
                   "repository",
        .help = "Flux resolves references at reconcile time: an "
                "ImagePolicy whose imageRepositoryRef, a Kustomization or "
                "ImageUpdateAutomation whose sourceRef, or a HelmRelease "
                "whose chart sourceRef or chartRef names nothing stays "
                "not-ready, and nothing says so before the merge. plumb "
                "looks the reference up among every object of the run, in "
                "the namespace the reference gives, else the referrer's "
                "(metadata.namespace or the including kustomization's). "
                "References built from substitutions (`${VAR}`) are "
                "skipped. A source created outside git (by `flux "
                "bootstrap` in another repository, say) is a reason to "
                "lower this rule to info in .plumb.yaml.\n"
                "Fix: correct the name or namespace of the reference, or "
                "commit the missing object.",
        .scope = PL_SCOPE_OBJECT,
        .kinds = PL_KINDS("HelmRelease", "ImagePolicy", "ImageUpdateAutomation",
                          "Kustomization"),
        .check_object = check_refs,
        .example = "apiVersion: source.toolkit.fluxcd.io/v1\n"
                   "kind: HelmRepository\n"
                   "metadata:\n"
                   "  name: podinfo\n"
                   "  namespace: flux-system\n"
                   "spec:\n"
                   "  url: https://stefanprodan.github.io/podinfo\n"
                   "  interval: 1h\n"
                   "---\n"
                   "apiVersion: helm.toolkit.fluxcd.io/v2\n"
                   "kind: HelmRelease\n"
                   "metadata:\n"
                   "  name: podinfo\n"
                   "  namespace: flux-system\n"
                   "spec:\n"
                   "  interval: 10m\n"
                   "  chart:\n"
                   "    spec:\n"
                   "      chart: podinfo\n"
                   "      sourceRef:\n"
                   "        kind: HelmRepository\n"
                   "        name: podinfo-charts\n",
};
