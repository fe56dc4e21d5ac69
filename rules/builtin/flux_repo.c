/*
 * flux_repo.c - repository-level Flux checks that need the whole model:
 *   flux/depends-on             dependsOn names a Kustomization or
 *                               HelmRelease that is not in the repository
 *   flux/kustomization-path     a Kustomization's spec.path is no folder of
 *                               the repository
 *   flux/tenant-service-account a Kustomization or HelmRelease without
 *                               serviceAccountName in a tenant namespace
 *                               (one where another one impersonates)
 * Names built from substitutions (`${VAR}`) are resolved by Flux at
 * reconcile time and skipped.
 */
#include "builtin/builtin.h"
#include "base/buf.h"
#include "base/map.h"
#include "base/xalloc.h"
#include "base/path.h"
#include "model/flux.h"
#include "base/quote.h"

static const char *str_of(const pl_node *n)
{
	n = pl_node_deref(n);
	if (!n || n->kind != PL_NODE_SCALAR || n->type != PL_TYPE_STRING ||
	    n->u.scalar.len == 0)
		return NULL;
	return n->u.scalar.str;
}

/* A Kustomization or HelmRelease, not a kustomize patch (a partial
 * object merged into another). */
static bool flux_deployer(const pl_object *o)
{
	return !o->file->kustomize_patch &&
	       (pl_flux_is(o, PL_FLUX_KUSTOMIZE, "Kustomization") ||
	        pl_flux_is(o, PL_FLUX_HELM, "HelmRelease"));
}

/* --- flux/depends-on ----------------------------------------------------- */

static void check_depends_on(pl_ctx *ctx, const pl_object *o)
{
	const pl_model *m = pl_ctx_model(ctx);
	pl_flux_ref refs[PL_FLUX_MAX_REFS];
	pl_flux_resolution res;
	size_t n, i;

	if (!m)
		return;
	n = pl_flux_refs(o, refs, PL_ARRAY_SIZE(refs));
	for (i = 0; i < n; i++) {
		const pl_flux_ref *r = &refs[i];
		const char *ns = r->namespace;
		char qn[96], qns[96];
		if (r->type != PL_FLUX_REF_DEPENDS_ON ||
		    pl_flux_resolve(m, r, &res) != PL_FLUX_MISSING)
			continue;
		pl_quote(qn, sizeof(qn), r->name, strlen(r->name), 64);
		pl_quote(qns, sizeof(qns), ns ? ns : "", ns ? strlen(ns) : 0,
		         64);
		pl_emit(ctx, r->name_at,
		        "dependsOn names %s '%s'%s%s%s, which is not in the "
		        "repository; Flux waits for it forever",
		        r->kind, qn, ns ? " in namespace '" : "", ns ? qns : "",
		        ns ? "'" : "");
	}
}

const pl_rule pl_rule_flux_depends_on = {
        .id = "flux/depends-on",
        .severity = PL_SEV_WARNING,
        .summary = "A Flux dependsOn entry names an object that is not in "
                   "the repository",
        .help = "A Kustomization or HelmRelease with `dependsOn` is not "
                "reconciled until every dependency is ready; a dependency "
                "that does not exist (a typo, a renamed object, a "
                "forgotten namespace) blocks it forever with 'dependency "
                "not found'. plumb looks each entry up among the objects of "
                "the same kind in the run, in the entry's namespace or the "
                "referrer's (the one a kustomization.yaml gives it, which "
                "overrides metadata.namespace), and among the "
                "Kustomizations Flux makes at run time: the `flux "
                "bootstrap` one, a FluxInstance's sync, a ResourceSet's. "
                "An entry plumb cannot decide (`${VAR}`) is not reported.\n"
                "Fix: correct the name or add `namespace:` to the entry.",
        .scope = PL_SCOPE_OBJECT,
        .kinds = PL_KINDS("HelmRelease", "Kustomization"),
        .check_object = check_depends_on,
        .example = "apiVersion: helm.toolkit.fluxcd.io/v2\n"
                   "kind: HelmRelease\n"
                   "metadata:\n"
                   "  name: grafana\n"
                   "  namespace: monitoring\n"
                   "spec:\n"
                   "  interval: 1h\n"
                   "  dependsOn:\n"
                   "    - name: prometheus\n"
                   "  chartRef:\n"
                   "    kind: OCIRepository\n"
                   "    name: grafana\n"
                   "---\n"
                   "apiVersion: source.toolkit.fluxcd.io/v1\n"
                   "kind: OCIRepository\n"
                   "metadata:\n"
                   "  name: grafana\n"
                   "  namespace: monitoring\n"
                   "spec:\n"
                   "  url: oci://ghcr.io/grafana/helm-charts/grafana\n"
                   "  interval: 1h\n",
        .reads = PL_KINDS("fluxcd.io"),
        .tags = PL_TAGS("flux"),
        .precision = PL_PRECISION_HIGH,
};

/* --- flux/kustomization-path -------------------------------------------- */

static void check_path(pl_ctx *ctx, const pl_object *o)
{
	const pl_node *spec = pl_node_get(o->root, "spec");
	const pl_node *path_node = pl_node_get(spec, "path");
	const char *path = str_of(path_node);
	const pl_node *src = pl_node_get(spec, "sourceRef");
	const char *kind = str_of(pl_node_get(src, "kind"));
	const char *src_name = str_of(pl_node_get(src, "name"));
	const pl_model *m = pl_ctx_model(ctx);
	pl_buf clean, dir;
	char qp[160];

	/* only the GitRepository `flux bootstrap` creates for the
	 * repository itself (flux-system) is known to be this repository;
	 * other Git sources, OCI artifacts and buckets have their own
	 * layout */
	if (!m || !flux_deployer(o) || strcmp(o->kind, "Kustomization") != 0 ||
	    pl_flux_unrendered(o) || !path || pl_flux_templated(path) ||
	    !kind || !src_name || strcmp(kind, "GitRepository") != 0 ||
	    strcmp(src_name, "flux-system") != 0)
		return;
	pl_buf_init(&clean, 0);
	pl_buf_init(&dir, 0);
	/* the root itself ("./") and paths above it are not checked */
	if (pl_path_join(&clean, "", path) && clean.len > 0 &&
	    !pl_model_repo_folder(m, o->file->src.path, path, &dir)) {
		pl_quote(qp, sizeof(qp), path, strlen(path), 120);
		pl_emit(ctx, path_node,
		        "spec.path '%s' is not a folder of the repository; the "
		        "Kustomization fails to build",
		        qp);
	}
	pl_buf_release(&clean);
	pl_buf_release(&dir);
}

const pl_rule pl_rule_flux_kustomization_path = {
        .id = "flux/kustomization-path",
        .severity = PL_SEV_WARNING,
        .summary = "A Flux Kustomization's spec.path is not a folder of the "
                   "repository",
        .help = "kustomize-controller builds spec.path inside the source's "
                "artifact; a path that does not exist (a renamed folder, a "
                "typo, a missing `./clusters/<name>`) makes the "
                "Kustomization fail with 'no such file or directory' after "
                "the merge. plumb checks Kustomizations whose source is the "
                "GitRepository flux-system (the one `flux bootstrap` "
                "creates for the repository itself; other sources have "
                "layouts of their own) against the folders of the linted "
                "repository (relative to its root, or to a folder above "
                "the Kustomization's file when several repositories are "
                "linted together). Paths with substitutions, and "
                "templates (a `{{ }}` name or namespace), are skipped.\n"
                "Fix: correct spec.path, or commit the folder.",
        .scope = PL_SCOPE_OBJECT,
        .kinds = PL_KINDS("Kustomization"),
        .check_object = check_path,
        .example = "apiVersion: source.toolkit.fluxcd.io/v1\n"
                   "kind: GitRepository\n"
                   "metadata:\n"
                   "  name: flux-system\n"
                   "  namespace: flux-system\n"
                   "spec:\n"
                   "  url: ssh://git@github.com/acme/fleet\n"
                   "  ref: {branch: main}\n"
                   "  interval: 1m\n"
                   "---\n"
                   "apiVersion: kustomize.toolkit.fluxcd.io/v1\n"
                   "kind: Kustomization\n"
                   "metadata:\n"
                   "  name: apps\n"
                   "  namespace: flux-system\n"
                   "spec:\n"
                   "  interval: 10m\n"
                   "  path: ./apps/production\n"
                   "  prune: true\n"
                   "  sourceRef:\n"
                   "    kind: GitRepository\n"
                   "    name: flux-system\n",
        .reads = PL_KINDS("fluxcd.io"),
        .tags = PL_TAGS("flux"),
        .precision = PL_PRECISION_HIGH,
};

/* --- flux/tenant-service-account --------------------------------------- */

/*
 * A Flux object of namespace ns (other than o) that impersonates a
 * service account, or NULL: its presence makes ns a tenant namespace.
 */
/* Whether a comes before b in path, then document order. */
static bool before(const pl_object *a, const pl_object *b)
{
	int c = strcmp(a->file->src.path, b->file->src.path);
	return c < 0 || (c == 0 && a < b); /* one file: document order */
}

static bool impersonates(const pl_object *p)
{
	return flux_deployer(p) && p->effective_namespace &&
	       str_of(pl_node_get(pl_node_get(p->root, "spec"),
	                          "serviceAccountName"));
}

/* The rule's state: per namespace, its first impersonating object, once
 * the model is bound (a walk over the run's Flux objects per check would
 * make a run quadratic in them). */
typedef struct tenant_state {
	bool bound;
	pl_map first; /* effective namespace -> const pl_object * */
} tenant_state;

static int tenant_prepare(void **state, pl_error *err)
{
	tenant_state *st = pl_xcalloc(1, sizeof(*st));
	(void)err;
	pl_map_init(&st->first);
	*state = st;
	return 0;
}

static void tenant_release(void *state)
{
	tenant_state *st = state;
	pl_map_release(&st->first);
	free(st);
}

static int tenant_bind(void *state, const pl_model *m, const pl_rule_env *env,
                       pl_error *err)
{
	static const char *const kinds[] = {"Kustomization", "HelmRelease"};
	tenant_state *st = state;
	size_t k, n, i;

	(void)env;
	(void)err;
	pl_map_reset(&st->first);
	for (k = 0; k < PL_ARRAY_SIZE(kinds); k++) {
		const pl_object *const *objs =
		        pl_model_of_kind(m, kinds[k], &n);
		for (i = 0; i < n; i++) {
			const pl_object *p = objs[i], *had;
			const char *ns = p->effective_namespace;
			if (!impersonates(p))
				continue;
			had = pl_map_get(&st->first, ns, strlen(ns));
			if (!had || before(p, had))
				pl_map_put(&st->first, ns, strlen(ns),
				           (void *)p, NULL);
		}
	}
	st->bound = true;
	return 0;
}

static const pl_object *impersonating_of(const pl_model *m, const char *kind,
                                         const pl_object *o, const char *ns)
{
	size_t n, i;
	const pl_object *const *objs = pl_model_of_kind(m, kind, &n);
	for (i = 0; i < n; i++) {
		const pl_object *p = objs[i];
		if (p != o && impersonates(p) &&
		    strcmp(p->effective_namespace, ns) == 0)
			return p;
	}
	return NULL;
}

/*
 * A Flux object of namespace ns (other than o) that impersonates a
 * service account, or NULL: its presence makes ns a tenant namespace.
 * The first in path, then document order, so messages are stable.
 */
static const pl_object *impersonating_peer(const pl_model *m,
                                           const pl_object *o, const char *ns)
{
	const pl_object *k = impersonating_of(m, "Kustomization", o, ns);
	const pl_object *h = impersonating_of(m, "HelmRelease", o, ns);

	if (!k || !h)
		return k ? k : h;
	return before(k, h) ? k : h;
}

static void check_tenant(pl_ctx *ctx, const pl_object *o)
{
	const pl_model *m = pl_ctx_model(ctx);
	const char *system = pl_ctx_param(ctx, "namespace");
	const pl_node *meta = pl_node_get(o->root, "metadata");
	const pl_node *at = pl_node_get(meta, "name");
	const char *ns = o->effective_namespace;
	const pl_object *peer;
	const tenant_state *st;
	char qns[96], qpeer[96];

	if (!m || !flux_deployer(o) || !ns || strcmp(ns, system) == 0 ||
	    pl_flux_templated(ns) ||
	    str_of(pl_node_get(pl_node_get(o->root, "spec"),
	                       "serviceAccountName")))
		return;
	/* o sets no serviceAccountName, so it is never its own peer */
	st = pl_ctx_state(ctx);
	peer = st && st->bound ? pl_map_get(&st->first, ns, strlen(ns))
	                       : impersonating_peer(m, o, ns);
	if (!peer || !peer->name)
		return;
	pl_quote(qns, sizeof(qns), ns, strlen(ns), 64);
	pl_quote(qpeer, sizeof(qpeer), peer->name, strlen(peer->name), 64);
	pl_emit_hint(ctx, (at ? at : o->root)->span,
	             "set spec.serviceAccountName to the tenant's service "
	             "account",
	             "%s in tenant namespace '%s' has no serviceAccountName "
	             "(%s '%s' there has one): it is applied with the "
	             "controller's cluster-wide permissions",
	             o->kind, qns, peer->kind, qpeer);
}

const pl_rule pl_rule_flux_tenant_service_account = {
        .id = "flux/tenant-service-account",
        .severity = PL_SEV_WARNING,
        .summary = "A tenant's Flux Kustomization or HelmRelease does not "
                   "impersonate a service account",
        .help = "Without spec.serviceAccountName, kustomize- and "
                "helm-controller apply a Kustomization or HelmRelease with "
                "their own cluster-admin permissions, so a tenant's "
                "manifests can create anything anywhere. Flux's "
                "multi-tenancy model has each tenant's objects impersonate "
                "a service account bound to the tenant's namespace. plumb "
                "reports an object outside flux-system (a setting) without "
                "one when another Kustomization or HelmRelease of the same "
                "namespace sets serviceAccountName: that namespace is a "
                "tenant's, and this object escapes its permissions. "
                "Namespaces where nothing impersonates stay silent. "
                "Controllers started "
                "with --default-service-account make this moot; turn the "
                "rule off then.\n"
                "Fix: set spec.serviceAccountName to the tenant's service "
                "account (see the flux2-multi-tenancy example).",
        .scope = PL_SCOPE_OBJECT,
        .kinds = PL_KINDS("HelmRelease", "Kustomization"),
        .check_object = check_tenant,
        .prepare = tenant_prepare,
        .release = tenant_release,
        .bind = tenant_bind,
        .params =
                (const pl_param[]){
                        {"namespace", PL_PARAM_STRING, "flux-system",
                         "the namespace of the platform's own objects"},
                        {NULL, PL_PARAM_STRING, NULL, NULL},
                },
        .example = "apiVersion: kustomize.toolkit.fluxcd.io/v1\n"
                   "kind: Kustomization\n"
                   "metadata:\n"
                   "  name: team-a\n"
                   "  namespace: team-a\n"
                   "spec:\n"
                   "  serviceAccountName: team-a\n"
                   "  interval: 5m\n"
                   "  path: ./\n"
                   "  prune: true\n"
                   "  sourceRef:\n"
                   "    kind: GitRepository\n"
                   "    name: team-a\n"
                   "---\n"
                   "apiVersion: helm.toolkit.fluxcd.io/v2\n"
                   "kind: HelmRelease\n"
                   "metadata:\n"
                   "  name: redis\n"
                   "  namespace: team-a\n"
                   "spec:\n"
                   "  interval: 5m\n"
                   "  chartRef:\n"
                   "    kind: OCIRepository\n"
                   "    name: redis\n",
        .reads = PL_KINDS("fluxcd.io"),
        .tags = PL_TAGS("flux"),
        .precision = PL_PRECISION_HIGH,
};
