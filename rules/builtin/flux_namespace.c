/*
 * flux_namespace.c - flux/controller-namespace: the Flux controllers run
 * in flux-system (a rule parameter), nowhere else.
 *
 * A controller is recognised by a container image fluxcd/<controller>
 * under any registry path (mirrors included), or by the label
 * app.kubernetes.io/part-of: flux together with its name (the Deployment's,
 * or its app / app.kubernetes.io/name / app.kubernetes.io/component
 * label); never by a name alone, which k3s' own helm-controller shares.
 * A HelmRelease of the flux2 chart installs all of them in its target
 * namespace. The namespace is the one each kustomization that includes the
 * file gives it (kustomize overrides metadata.namespace), else
 * metadata.namespace. A file a kustomization uses as a patch is merged
 * into another object and is not judged.
 */
#include "builtin/builtin.h"
#include "model/flux.h"
#include "base/quote.h"

static const char *const controllers[] = {
        "source-controller",
        "kustomize-controller",
        "helm-controller",
        "notification-controller",
        "image-reflector-controller",
        "image-automation-controller",
        "source-watcher",
};

static const char *controller_named(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < PL_ARRAY_SIZE(controllers); i++)
		if (strlen(controllers[i]) == n &&
		    memcmp(s, controllers[i], n) == 0)
			return controllers[i];
	return NULL;
}

static const char *str_of(const pl_node *n)
{
	n = pl_node_deref(n);
	if (!n || n->kind != PL_NODE_SCALAR || n->type != PL_TYPE_STRING)
		return NULL;
	return n->u.scalar.str;
}

/*
 * The controller an image runs, or NULL: a repository whose last two path
 * elements are fluxcd/<controller>, under any registry and path
 * (ghcr.io/fluxcd/source-controller:v1.3.0, fluxcd/helm-controller@sha256:...,
 * registry.example.com/mirror/fluxcd/kustomize-controller:v1.4.0).
 */
static const char *controller_image(const char *image)
{
	size_t end = strcspn(image, "@"), slash, name;
	size_t i;

	/* a tag is a ':' after the last '/' (before it: a registry port) */
	for (i = end, slash = end; i > 0; i--) {
		if (image[i - 1] == '/') {
			slash = i - 1;
			break;
		}
	}
	if (slash == end)
		return NULL; /* no path: "source-controller" is anybody's */
	for (i = slash + 1; i < end; i++)
		if (image[i] == ':') {
			end = i;
			break;
		}
	name = slash + 1;
	if (slash < 6 || memcmp(image + slash - 6, "fluxcd", 6) != 0 ||
	    (slash > 6 && image[slash - 7] != '/'))
		return NULL;
	return controller_named(image + name, end - name);
}

static const char *by_image(const pl_node *pod)
{
	static const char *const lists[] = {"containers", "initContainers"};
	size_t i, j;
	for (i = 0; i < PL_ARRAY_SIZE(lists); i++) {
		const pl_node *cs = pl_node_get(pod, lists[i]);
		if (!cs || cs->kind != PL_NODE_SEQUENCE)
			continue;
		for (j = 0; j < cs->u.seq.len; j++) {
			const pl_node *c = pl_node_deref(cs->u.seq.items[j]);
			const char *img = str_of(pl_node_get(c, "image"));
			const char *name = img ? controller_image(img) : NULL;
			if (name)
				return name;
		}
	}
	return NULL;
}

/*
 * The Flux manifests label every controller app.kubernetes.io/part-of:
 * flux; with it, the Deployment's name or its app, app.kubernetes.io/name
 * or app.kubernetes.io/component label names the controller. A name alone
 * says nothing: k3s runs its own helm-controller in kube-system.
 */
static const char *by_labels(const pl_object *o, const pl_node *meta)
{
	static const char *const keys[] = {"app", "app.kubernetes.io/name",
	                                   "app.kubernetes.io/component"};
	const pl_node *labels = pl_node_get(meta, "labels");
	const char *part_of =
	        str_of(pl_node_get(labels, "app.kubernetes.io/part-of"));
	const char *name;
	size_t i;

	if (!part_of || strcmp(part_of, "flux") != 0)
		return NULL;
	if (o->name) {
		name = controller_named(o->name, strlen(o->name));
		if (name)
			return name;
	}
	for (i = 0; i < PL_ARRAY_SIZE(keys); i++) {
		const char *v = str_of(pl_node_get(labels, keys[i]));
		name = v ? controller_named(v, strlen(v)) : NULL;
		if (name)
			return name;
	}
	return NULL;
}

/* Which controller o is, or NULL. */
static const char *flux_controller(const pl_object *o)
{
	const pl_node *meta = pl_node_get(o->root, "metadata");
	const pl_node *pod = pl_node_get(
	        pl_node_get(pl_node_get(o->root, "spec"), "template"), "spec");
	const char *name = by_image(pod);
	return name ? name : by_labels(o, meta);
}

/*
 * A kubebuilder project's own deployment scaffold (config/default, with
 * namespace: <project>-system over ../crd ../rbac ../manager) is how a
 * controller's source repository tests itself, not how a cluster runs
 * Flux; the fluxcd controller repositories ship one.
 */
static bool scaffold_path(const char *path)
{
	size_t n = strlen(path),
	       t = strlen("config/default/kustomization.yaml");
	return n >= t &&
	       strcmp(path + n - t, "config/default/kustomization.yaml") == 0 &&
	       (n == t || path[n - t - 1] == '/');
}

static bool scaffold(const pl_placement *p)
{
	return scaffold_path(p->kustomization->src.path);
}

/*
 * kustomize's namespace transformer overrides metadata.namespace
 * (kustomize-flux-build.md section 2): a file that kustomizations include
 * runs in the namespace each of them gives, whatever it says itself.
 */
static void check_namespace(pl_ctx *ctx, const pl_object *o, const char *what,
                            const pl_node *ns_node, const pl_node *at)
{
	const char *allowed = pl_ctx_param(ctx, "namespace");
	const char *ns = o->effective_namespace;
	char qn[96];
	size_t i;

	for (i = 0; i < o->file->nplacements; i++) {
		const pl_placement *p = &o->file->placements[i];
		if (strcmp(p->namespace, allowed) == 0 || scaffold(p))
			continue;
		pl_quote(qn, sizeof(qn), p->namespace, strlen(p->namespace),
		         64);
		pl_emit_hint(ctx, at->span, "set namespace: flux-system there",
		             "%s is installed in namespace '%s' by %s:%u, not "
		             "'%s'",
		             what, qn, p->kustomization->src.path,
		             p->at->span.start.line, allowed);
		pl_emit_related(ctx, p->kustomization, p->at,
		                "the namespace: of that kustomization");
	}
	if (o->file->nplacements)
		return;
	/* a rendered copy: the scaffold's namespace: set it */
	if (ns_node && o->source &&
	    scaffold_path(pl_object_where(o, ns_node)->src.path))
		return;
	if (!ns) {
		pl_emit_hint(ctx, at->span,
		             "add metadata.namespace, or include the file "
		             "from a kustomization.yaml with namespace: "
		             "flux-system",
		             "%s has no namespace; it must run in '%s'", what,
		             allowed);
	} else if (strcmp(ns, allowed) != 0) {
		/* a rendered namespace the kustomization set is fixed there */
		bool there = ns_node && o->source &&
		             pl_object_where(o, ns_node) != o->source->file;
		pl_quote(qn, sizeof(qn), ns, strlen(ns), 64);
		pl_emit_hint(ctx, (ns_node ? ns_node : at)->span,
		             there ? "set namespace: flux-system there"
		                   : "move it to the flux-system namespace",
		             "%s is installed in namespace '%s', not '%s'",
		             what, qn, allowed);
		/* the finding is on the kustomization's line: name the
		 * controller it places there */
		if (there)
			pl_emit_related(ctx, pl_object_where(o, at), at,
			                "%s, which this namespace: applies to",
			                what);
	}
}

static void check_deployment(pl_ctx *ctx, const pl_object *o)
{
	const pl_node *meta = pl_node_get(o->root, "metadata");
	const pl_node *name_node = pl_node_get(meta, "name");
	const char *ctl = flux_controller(o);
	char what[96];
	if (!ctl)
		return;
	snprintf(what, sizeof(what), "Flux %s", ctl);
	check_namespace(ctx, o, what, pl_node_get(meta, "namespace"),
	                name_node ? name_node : o->root);
}

/* A HelmRelease of the fluxcd-community flux2 chart installs every
 * controller in its target namespace. */
static void check_helmrelease(pl_ctx *ctx, const pl_object *o)
{
	const pl_node *spec = pl_node_get(o->root, "spec");
	const pl_node *chart = pl_node_get(pl_node_get(spec, "chart"), "spec");
	const char *name = str_of(pl_node_get(chart, "chart"));
	const pl_node *target = pl_node_get(spec, "targetNamespace");
	const char *allowed = pl_ctx_param(ctx, "namespace");
	const char *ns;
	char qn[96];

	if (!name || strcmp(name, "flux2") != 0)
		return;
	ns = str_of(target);
	if (!o->namespace && o->file->nplacements &&
	    scaffold(&o->file->placements[0]))
		ns = allowed; /* see scaffold() */
	if (!ns) {
		const pl_node *meta = pl_node_get(o->root, "metadata");
		const pl_node *at = pl_node_get(meta, "name");
		check_namespace(ctx, o, "the flux2 chart",
		                pl_node_get(meta, "namespace"),
		                at ? at : o->root);
		return;
	}
	if (strcmp(ns, allowed) == 0)
		return;
	pl_quote(qn, sizeof(qn), ns, strlen(ns), 64);
	pl_emit_hint(ctx, pl_node_deref(target)->span,
	             "set targetNamespace: flux-system",
	             "the flux2 chart installs the Flux controllers in "
	             "namespace '%s', not '%s'",
	             qn, allowed);
}

static void check_object(pl_ctx *ctx, const pl_object *o)
{
	if (o->file->kustomize_patch)
		return; /* merged into a controller, not one of its own */
	if (strcmp(o->kind, "HelmRelease") == 0) {
		if (pl_flux_is(o, PL_FLUX_HELM, "HelmRelease"))
			check_helmrelease(ctx, o);
		return;
	}
	check_deployment(ctx, o);
}

const pl_rule pl_rule_flux_controller_namespace = {
        .id = "flux/controller-namespace",
        .severity = PL_SEV_ERROR,
        .summary = "A Flux controller is installed outside the flux-system "
                   "namespace",
        .help = "Flux's controllers (source-, kustomize-, helm-, "
                "notification-, image-reflector- and image-automation-"
                "controller, source-watcher) belong in flux-system: the flux CLI, `flux "
                "check`, the network policies and RBAC of the Flux "
                "install, and multi-tenancy lockdown all assume it, and a "
                "second copy elsewhere reconciles the same objects as the "
                "first. plumb recognises a controller by a fluxcd/<name> "
                "image under any registry (mirrors included), or by the "
                "label app.kubernetes.io/part-of: flux with the "
                "controller's name, never by a Deployment name alone (k3s "
                "runs its own helm-controller in kube-system); and a "
                "HelmRelease of the flux2 chart by its targetNamespace. "
                "The namespace is the one the kustomization.yaml files "
                "that include the file set (the outermost of each chain, "
                "as kustomize applies it; it overrides metadata.namespace "
                "either way), else metadata.namespace. Files a "
                "kustomization uses as patches are not judged. A kubebuilder "
                "config/default/kustomization.yaml is a controller "
                "project's own test scaffold and does not count.\n"
                "Fix: set metadata.namespace: flux-system (or the "
                "including kustomization's namespace:), or bootstrap Flux "
                "with `flux bootstrap`, which writes gotk-components.yaml "
                "into flux-system. If your organisation runs Flux in "
                "another namespace, set it once in .plumb.yaml:\n"
                "  rules:\n"
                "    flux/controller-namespace: {namespace: flux}",
        .scope = PL_SCOPE_OBJECT,
        .kinds = PL_KINDS("Deployment", "HelmRelease"),
        .check_object = check_object,
        .params =
                (const pl_param[]){
                        {"namespace", PL_PARAM_STRING, "flux-system",
                         "the namespace the Flux controllers must run in"},
                        {NULL, PL_PARAM_STRING, NULL, NULL},
                },
        .example =
                "apiVersion: apps/v1\n"
                "kind: Deployment\n"
                "metadata:\n"
                "  name: kustomize-controller\n"
                "  namespace: gitops\n"
                "spec:\n"
                "  selector:\n"
                "    matchLabels: {app: kustomize-controller}\n"
                "  template:\n"
                "    metadata:\n"
                "      labels: {app: kustomize-controller}\n"
                "    spec:\n"
                "      containers:\n"
                "        - name: manager\n"
                "          image: ghcr.io/fluxcd/kustomize-controller:v1.4.0\n",
        .tags = PL_TAGS("flux"),
        .precision = PL_PRECISION_HIGH,
};
