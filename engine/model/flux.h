/*
 * flux.h - what plumb knows about Flux: its API groups, the typed
 * references between Flux objects (sourceRef, chartRef, dependsOn,
 * imageRepositoryRef), the objects Flux creates at run time from what the
 * repository declares, and how a reference resolves against all of them.
 *
 * Objects created at run time (kustomize-flux-build.md section 8):
 *   - a comment-only or empty gotk-sync.yaml is the placeholder of
 *     `flux bootstrap`, which writes GitRepository and Kustomization
 *     flux-system into flux-system;
 *   - a FluxInstance (fluxcd.controlplane.io) with spec.sync makes a
 *     source of sync.kind and a Kustomization, both named sync.name, else
 *     after the FluxInstance's namespace, in that namespace; a HelmRelease
 *     of the flux-instance or flux-operator chart does the same from
 *     values.instance.sync, in the release namespace;
 *   - a ResourceSet stamps spec.resources once per input set, with
 *     `<< inputs.KEY >>` replaced.
 * What plumb cannot decide (a name that waits for a `${var}`, a ResourceSet
 * whose inputs come from a provider outside git, a chart that renders its
 * own sources) is recorded as an unknown maker: a reference it could
 * satisfy resolves to PL_FLUX_UNKNOWN, never to a finding. So is the
 * GitRepository, OCIRepository or Kustomization flux-system/flux-system
 * when nothing in the repository declares it: `flux bootstrap`, the Flux
 * Operator or a Terraform run made it from outside git.
 *
 * The index is built once by pl_model_build, after the identity index,
 * single-threaded; it is read-only afterwards and shared by the workers.
 * It owns its memory; strings point into the files' arenas or its own.
 */
#ifndef PL_FLUX_H
#define PL_FLUX_H

#include "model/model.h"

/* API groups, as apiVersion prefixes (with the slash). */
#define PL_FLUX_SOURCE       "source.toolkit.fluxcd.io/"
#define PL_FLUX_KUSTOMIZE    "kustomize.toolkit.fluxcd.io/"
#define PL_FLUX_HELM         "helm.toolkit.fluxcd.io/"
#define PL_FLUX_IMAGE        "image.toolkit.fluxcd.io/"
#define PL_FLUX_NOTIFICATION "notification.toolkit.fluxcd.io/"
#define PL_FLUX_OPERATOR     "fluxcd.controlplane.io/"

/* References kept per object; a longer dependsOn list is cut there. */
#define PL_FLUX_MAX_REFS 64

/* True when o is a `kind` of the API group `group` (a PL_FLUX_* prefix). */
bool pl_flux_is(const pl_object *o, const char *group, const char *kind);

/* The API group of a kind a Flux reference names: ImageRepository and
 * ImagePolicy are image, Kustomization kustomize, HelmRelease helm,
 * FluxInstance and ResourceSet the operator's, anything else source. */
const char *pl_flux_group_of(const char *kind);

/*
 * The namespace a Flux object lands in: the one the first kustomization
 * including its file gives (kustomize's namespace: overrides
 * metadata.namespace of namespaced kinds, and every Flux kind is one),
 * else its effective namespace; NULL when unknown.
 */
const char *pl_flux_namespace(const pl_object *o);

/*
 * True when o is a template rather than a manifest: its metadata.name or
 * metadata.namespace is there but no scalar (`namespace: {{ .ns }}` reads
 * as a flow mapping). Nothing about its identity can be decided.
 */
bool pl_flux_unrendered(const pl_object *o);

/* True when s waits for a substitution or a template: `${`, `{{`, `<<`. */
bool pl_flux_templated(const char *s);

typedef enum pl_flux_ref_type {
	PL_FLUX_REF_SOURCE,       /* Kustomization, ImageUpdateAutomation */
	PL_FLUX_REF_CHART_SOURCE, /* HelmRelease spec.chart.spec.sourceRef */
	PL_FLUX_REF_CHART,        /* HelmRelease spec.chartRef */
	PL_FLUX_REF_IMAGE_REPOSITORY, /* ImagePolicy spec.imageRepositoryRef */
	PL_FLUX_REF_DEPENDS_ON,       /* Kustomization, HelmRelease dependsOn */
} pl_flux_ref_type;

typedef struct pl_flux_ref {
	pl_flux_ref_type type;
	const char *field; /* "spec.sourceRef", "spec.dependsOn", ... */
	const char *kind;  /* as written, else the field's default; or NULL */
	const char *group; /* pl_flux_group_of(kind), or NULL */
	const char *name;  /* NULL unless a non-empty string */
	/* As written, else the referrer's (pl_flux_namespace, Flux's
	 * default); NULL when neither is known. */
	const char *namespace;
	bool namespace_written;
	/* The namespace is written but unreadable (a template), or the
	 * referrer is pl_flux_unrendered and gives none. */
	bool namespace_unknown;
	const pl_object *from;  /* the referrer */
	const pl_node *at;      /* the reference mapping */
	const pl_node *name_at; /* its name value, or NULL */
} pl_flux_ref;

/*
 * Fills out[0..max) with the references of o, in document order, and
 * returns how many. A kustomize patch file (a partial object) and a
 * non-Flux object have none. Never fails.
 */
size_t pl_flux_refs(const pl_object *o, pl_flux_ref *out, size_t max);

/* An object Flux creates at run time from what the repository declares. */
typedef struct pl_flux_made {
	const char *group; /* a PL_FLUX_* prefix */
	const char *kind;
	const char *name;
	const char *namespace; /* NULL: plumb cannot tell; any will do */
	const pl_file *file;   /* where it is declared */
	const pl_node *at;     /* the declaring node; NULL for a placeholder */
	const char *by;        /* "the sync of FluxInstance 'flux'" */
} pl_flux_made;

/* Objects that may exist, of which plumb cannot tell the names. */
typedef struct pl_flux_unknown {
	const char *group;     /* NULL: any */
	const char *kind;      /* NULL: any */
	const char *namespace; /* NULL: any */
	const char *name;      /* NULL: any */
	const pl_file *file;   /* NULL: outside the repository */
	const pl_node *at;
	const char *why; /* "ResourceSet 'apps' reads inputs from ..." */
} pl_flux_unknown;

typedef enum pl_flux_found {
	PL_FLUX_MISSING, /* no object of the repository, made or committed */
	PL_FLUX_FOUND,
	PL_FLUX_UNKNOWN, /* plumb cannot decide whether it exists */
} pl_flux_found;

typedef struct pl_flux_resolution {
	pl_flux_found found;
	const pl_object *object;      /* FOUND: a committed object, or NULL */
	const pl_flux_made *made;     /* FOUND: a made one, or NULL */
	const pl_flux_unknown *maker; /* UNKNOWN: what might make it, or NULL */
	const char *why;              /* UNKNOWN: why (static text) */
} pl_flux_resolution;

typedef struct pl_flux pl_flux;

/* Builds the index over a model whose identity index is complete. */
void pl_flux_new(pl_flux **out, const pl_model *m);
void pl_flux_free(pl_flux *fx);

/*
 * Resolves a reference among the committed objects of the run, then the
 * made ones, then the unknown makers. A reference without a namespace
 * matches an object in any namespace, and an object whose namespace is
 * unknown matches any reference (the model cannot say where it lands).
 * A reference whose name or namespace waits for a substitution is
 * UNKNOWN. Thread-safe (read-only).
 */
pl_flux_found pl_flux_resolve(const pl_model *m, const pl_flux_ref *ref,
                              pl_flux_resolution *out);

/*
 * How many references of the run (dependsOn excluded) resolve to
 * PL_FLUX_UNKNOWN, and whether `at` is the name (else the mapping) of the
 * first of them in path, then document order: the one place a run says
 * what it could not resolve.
 */
size_t pl_flux_unknown_count(const pl_model *m);
bool pl_flux_first_unknown(const pl_model *m, const pl_file *f,
                           const pl_node *at);

/* Every made object, in declaration order. */
const pl_flux_made *pl_flux_made_all(const pl_model *m, size_t *n);

#endif
