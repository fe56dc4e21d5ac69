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
 * OCIRepository or HelmChart (model/flux.h reads them). A reference
 * without `namespace:` means the referrer's namespace; when that is
 * unknown (no metadata namespace, no kustomization), any namespace will do.
 * Objects Flux creates at run time (a FluxInstance's sync, a ResourceSet's
 * resources, the `flux bootstrap` placeholder) exist. A reference plumb
 * cannot decide (a name that waits for `${VAR}`, an object a chart or a
 * ResourceSet makes from what git does not hold) is never a warning: the
 * first of the run is one info finding that counts the others.
 */
#include "builtin/builtin.h"
#include "model/flux.h"
#include "base/quote.h"

/* The one finding of a run that says what could not be resolved. */
static void report_unknown(pl_ctx *ctx, const pl_object *o,
                           const pl_flux_ref *ref,
                           const pl_flux_resolution *res)
{
	const pl_model *m = pl_ctx_model(ctx);
	const pl_node *at = ref->name_at ? ref->name_at : ref->at;
	size_t more;
	char qn[96], qwhy[200];

	/* the file that wrote it: a rendered copy's is the original's */
	if (!pl_flux_first_unknown(m, pl_object_where(o, at), at))
		return;
	more = pl_flux_unknown_count(m) - 1;
	pl_quote(qn, sizeof(qn), ref->name, strlen(ref->name), 64);
	pl_quote(qwhy, sizeof(qwhy), res->why, strlen(res->why), 160);
	if (more == 0)
		pl_emit_sev(ctx, PL_SEV_INFO, at->span, NULL,
		            "%s names %s '%s', which plumb cannot resolve: %s; "
		            "it is not reported",
		            ref->field, ref->kind, qn, qwhy);
	else
		pl_emit_sev(ctx, PL_SEV_INFO, at->span, NULL,
		            "%s names %s '%s', which plumb cannot resolve: %s; "
		            "neither this nor %zu more reference%s of the run "
		            "%s reported",
		            ref->field, ref->kind, qn, qwhy, more,
		            more == 1 ? "" : "s", more == 1 ? "is" : "are");
}

static void check_refs(pl_ctx *ctx, const pl_object *o)
{
	const pl_model *m = pl_ctx_model(ctx);
	pl_flux_ref refs[PL_FLUX_MAX_REFS];
	pl_flux_resolution res;
	size_t n, i;
	char qn[96], qns[96];

	if (!m)
		return;
	n = pl_flux_refs(o, refs, PL_ARRAY_SIZE(refs));
	for (i = 0; i < n; i++) {
		const pl_flux_ref *r = &refs[i];
		if (r->type == PL_FLUX_REF_DEPENDS_ON)
			continue; /* flux/depends-on */
		switch (pl_flux_resolve(m, r, &res)) {
		case PL_FLUX_FOUND:
			continue;
		case PL_FLUX_UNKNOWN:
			report_unknown(ctx, o, r, &res);
			continue;
		case PL_FLUX_MISSING:
			break;
		}
		pl_quote(qn, sizeof(qn), r->name, strlen(r->name), 64);
		if (r->namespace) {
			pl_quote(qns, sizeof(qns), r->namespace,
			         strlen(r->namespace), 64);
			pl_emit(ctx, r->name_at,
			        "%s names %s '%s' in namespace '%s', which is "
			        "not in the repository",
			        r->field, r->kind, qn, qns);
		} else {
			pl_emit(ctx, r->name_at,
			        "%s names %s '%s', which is not in the "
			        "repository",
			        r->field, r->kind, qn);
		}
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
                "Objects Flux creates at run time count as committed: the "
                "GitRepository and Kustomization flux-system of a "
                "comment-only `flux bootstrap` gotk-sync.yaml, the source "
                "and Kustomization of a FluxInstance's spec.sync (also from "
                "the instance.sync values of a flux-instance or "
                "flux-operator HelmRelease; named sync.name, else after the "
                "namespace), and the resources a ResourceSet stamps from "
                "its inputs. A reference plumb cannot decide (a name that "
                "waits for `${VAR}`, an object a ResourceSet or chart makes "
                "from inputs outside git) is not reported; the first of "
                "the run is one info finding that says why and counts the "
                "others. A source created outside git (by `flux bootstrap` "
                "from another repository, say) is a reason to lower this "
                "rule to info in .plumb.yaml.\n"
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
        .reads = PL_KINDS("fluxcd.io"),
        .tags = PL_TAGS("flux"),
        .precision = PL_PRECISION_HIGH,
};
