/*
 * test_flux.c - the Flux index: references, objects Flux makes at run time
 * and what plumb cannot decide.
 *
 * Each case is a small repository of {path, yaml} files, and the answer
 * pl_flux_resolve gives for every reference of the objects of one file:
 * 'F' found, 'M' missing, 'U' unknown, in document then reference order.
 */
#include "testlib.h"
#include "model/flux.h"

#define MAX_FILES 8

typedef struct repo_file {
	const char *path;
	const char *yaml;
} repo_file;

typedef struct flux_case {
	const char *name;
	repo_file files[MAX_FILES];
	const char *of;   /* the file whose references are resolved */
	const char *want; /* one letter per reference */
} flux_case;

static int cmp_path(const void *a, const void *b)
{
	const pl_file *x = *(pl_file *const *)a, *y = *(pl_file *const *)b;
	return strcmp(x->src.path, y->src.path);
}

#define FLUX_KS(ns, kind, name)                                                \
	"apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"    \
	"metadata:\n  name: apps\n  namespace: " ns "\nspec:\n"                \
	"  path: ./\n  sourceRef:\n    kind: " kind "\n    name: " name "\n"

static const flux_case cases[] = {
        {"a FluxInstance's sync is named after its namespace",
         {{"flux/instance.yaml",
           "apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\n"
           "metadata:\n  name: flux\n  namespace: flux-system\n"
           "spec:\n  sync:\n    kind: GitRepository\n"
           "    url: https://example.com/fleet\n    path: ./\n"},
          {"flux/apps.yaml",
           FLUX_KS("flux-system", "GitRepository", "flux-system") "---\n" FLUX_KS(
                   "flux-system", "GitRepository",
                   "other") "---\n" FLUX_KS("flux-system", "OCIRepository",
                                            "flux-system")}},
         "flux/apps.yaml",
         "FMU"},
        {"sync.name names both objects",
         {{"flux/instance.yaml",
           "apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\n"
           "metadata:\n  name: flux\n  namespace: flux-system\n"
           "spec:\n  sync:\n    kind: OCIRepository\n    name: fleet\n"
           "    url: oci://example.com/fleet\n"},
          {"flux/apps.yaml",
           FLUX_KS("flux-system", "OCIRepository",
                   "fleet") "  dependsOn:\n    - name: fleet\n"
                            "    - name: nothing\n"}},
         "flux/apps.yaml",
         "FFM"},
        {"a flux-instance HelmRelease takes Flux Kustomization's "
         "targetNamespace",
         {{"ks.yaml", "apiVersion: kustomize.toolkit.fluxcd.io/v1\n"
                      "kind: Kustomization\nmetadata:\n  name: fi\n"
                      "  namespace: flux-system\nspec:\n  path: ./fi\n"
                      "  targetNamespace: tools\n"
                      "  sourceRef:\n    kind: GitRepository\n"
                      "    name: tools\n    namespace: tools\n"},
          {"fi/hr.yaml",
           "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\n"
           "metadata:\n  name: flux-instance\nspec:\n"
           "  chart:\n    spec:\n      chart: flux-instance\n"
           "      sourceRef:\n        kind: HelmRepository\n"
           "        name: cp\n"
           "  values:\n    instance:\n      sync:\n"
           "        kind: GitRepository\n        url: https://x/y\n"},
          {"fi/repo.yaml", "apiVersion: source.toolkit.fluxcd.io/v1\n"
                           "kind: HelmRepository\nmetadata:\n  name: cp\n"}},
         "ks.yaml",
         "F"},
        {"instance.sync without a url renders nothing",
         {{"hr.yaml",
           "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\n"
           "metadata:\n  name: fi\n  namespace: ops\nspec:\n"
           "  chart:\n    spec:\n      chart: flux-instance\n"
           "      sourceRef:\n        kind: HelmRepository\n"
           "        name: cp\n"
           "  values:\n    instance:\n      sync:\n"
           "        kind: GitRepository\n"},
          {"ks.yaml", FLUX_KS("ops", "GitRepository", "ops")}},
         "ks.yaml",
         "M"},
        {"a ResourceSet stamps one object per input",
         {{"rs.yaml",
           "apiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSet\n"
           "metadata:\n  name: tenants\n  namespace: flux-system\n"
           "spec:\n  inputs:\n    - t: team1\n    - t: team2\n"
           "  resources:\n    - apiVersion: source.toolkit.fluxcd.io/v1\n"
           "      kind: GitRepository\n      metadata:\n"
           "        name: repo-<<- inputs.t >>\n"
           "        namespace: << inputs.t ->>\n"},
          {"ks.yaml",
           FLUX_KS("team1", "GitRepository", "repo-team1") "---\n" FLUX_KS(
                   "team2", "GitRepository",
                   "repo-team2") "---\n" FLUX_KS("team1", "GitRepository",
                                                 "repo-team2")}},
         "ks.yaml",
         "FFM"},
        {"a Static input provider is read, others are unknown",
         {{"rs.yaml",
           "apiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSet\n"
           "metadata:\n  name: apps\n  namespace: apps\n"
           "spec:\n  inputsFrom:\n    - kind: ResourceSetInputProvider\n"
           "      name: static\n"
           "  resources:\n    - apiVersion: source.toolkit.fluxcd.io/v1\n"
           "      kind: OCIRepository\n      metadata:\n"
           "        name: << inputs.app >>\n"
           "---\n"
           "apiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSet\n"
           "metadata:\n  name: prs\n  namespace: previews\n"
           "spec:\n  inputsFrom:\n    - kind: ResourceSetInputProvider\n"
           "      name: prs\n"
           "  resources:\n    - apiVersion: source.toolkit.fluxcd.io/v1\n"
           "      kind: GitRepository\n      metadata:\n"
           "        name: pr-<< inputs.id >>\n"
           "        namespace: previews\n"},
          {"providers.yaml",
           "apiVersion: fluxcd.controlplane.io/v1\n"
           "kind: ResourceSetInputProvider\nmetadata:\n  name: static\n"
           "  namespace: apps\nspec:\n  type: Static\n"
           "  defaultValues:\n    app: podinfo\n---\n"
           "apiVersion: fluxcd.controlplane.io/v1\n"
           "kind: ResourceSetInputProvider\nmetadata:\n  name: prs\n"
           "  namespace: previews\nspec:\n  type: GitHubPullRequest\n"},
          {"ks.yaml",
           FLUX_KS("apps", "OCIRepository", "podinfo") "---\n" FLUX_KS(
                   "apps", "OCIRepository",
                   "nginx") "---\n" FLUX_KS("previews", "GitRepository",
                                            "pr-12") "---\n" FLUX_KS("apps",
                                                                     "GitRepository",
                                                                     "pr-12")}},
         "ks.yaml",
         "FMUM"},
        {"a comment-only gotk-sync.yaml is the bootstrap's",
         {{"clusters/prod/flux-system/gotk-sync.yaml",
           "# generated by flux bootstrap\n"},
          {"clusters/prod/apps.yaml",
           FLUX_KS("flux-system", "GitRepository",
                   "flux-system") "  dependsOn:\n    - name: flux-system\n"}},
         "clusters/prod/apps.yaml",
         "FF"},
        {"flux-system declared nowhere is unknown, a typo is missing",
         {{"apps.yaml", FLUX_KS("flux-system", "GitRepository",
                                "flux-system") "---\n" FLUX_KS("flux-system",
                                                               "GitRepository",
                                                               "flux-sytem")}},
         "apps.yaml",
         "UM"},
        {"kustomize's namespace: overrides metadata.namespace",
         {{"apps/kustomization.yaml",
           "namespace: default\nresources: [a.yaml, b.yaml]\n"},
          {"apps/a.yaml",
           FLUX_KS("flux-system", "GitRepository", "flux-system")},
          {"apps/b.yaml", "apiVersion: kustomize.toolkit.fluxcd.io/v1\n"
                          "kind: Kustomization\nmetadata:\n  name: b\n"
                          "spec:\n  dependsOn:\n    - name: apps\n"
                          "      namespace: default\n    - name: apps\n"
                          "      namespace: web\n    - name: apps\n"}},
         "apps/b.yaml",
         "FMF"},
        {"a Go template's namespace cannot be read",
         {{"export.yaml", "apiVersion: kustomize.toolkit.fluxcd.io/v1\n"
                          "kind: Kustomization\nmetadata:\n  name: a\n"
                          "  namespace: {{ .fluxns }}\nspec:\n  sourceRef:\n"
                          "    kind: GitRepository\n    name: repo\n---\n"
                          "apiVersion: kustomize.toolkit.fluxcd.io/v1\n"
                          "kind: Kustomization\nmetadata:\n  name: b\n"
                          "  namespace: apps\nspec:\n  sourceRef:\n"
                          "    kind: GitRepository\n    name: repo\n"
                          "    namespace: {{ .fluxns }}\n---\n" FLUX_KS(
                                  "apps", "GitRepository", "repo")}},
         "export.yaml",
         "UUM"},
        {"names that wait for a substitution are unknown",
         {{"apps.yaml",
           FLUX_KS("flux-system", "GitRepository", "${SOURCE}") "---\n" FLUX_KS(
                   "${NS}", "GitRepository",
                   "x") "---\n" FLUX_KS("flux-system", "Bucket", "cluster-a")},
          {"bucket.yaml",
           "apiVersion: source.toolkit.fluxcd.io/v1\nkind: Bucket\n"
           "metadata:\n  name: cluster-${CLUSTER}\n"
           "  namespace: flux-system\n"}},
         "apps.yaml",
         "UUU"},
};

static void run_case(const flux_case *c)
{
	pl_file files[MAX_FILES];
	pl_file *by_path[MAX_FILES];
	pl_model *m;
	pl_limits limits;
	const pl_file *f;
	char got[64];
	size_t n = 0, i, d, k = 0;

	pl_limits_default(&limits);
	for (n = 0; n < MAX_FILES && c->files[n].path; n++) {
		size_t len = strlen(c->files[n].yaml);
		char *data = malloc(len + 1);
		assert_non_null(data);
		memcpy(data, c->files[n].yaml, len + 1);
		pl_file_init(&files[n]);
		files[n].src.kind = PL_SOURCE_YAML;
		pl_source_set_data(&files[n].src, c->files[n].path, data, len);
		pl_file_load(&files[n], &limits);
		by_path[n] = &files[n];
	}
	qsort(by_path, n, sizeof(by_path[0]), cmp_path);
	pl_model_build(&m, by_path, n);
	f = pl_model_file(m, c->of);
	assert_non_null(f);
	for (d = 0; d < f->nobjects; d++) {
		pl_flux_ref refs[PL_FLUX_MAX_REFS];
		size_t nr =
		        pl_flux_refs(&f->objects[d], refs, PL_FLUX_MAX_REFS);
		for (i = 0; i < nr && k + 1 < sizeof(got); i++) {
			pl_flux_resolution res;
			switch (pl_flux_resolve(m, &refs[i], &res)) {
			case PL_FLUX_FOUND:
				got[k++] = 'F';
				break;
			case PL_FLUX_MISSING:
				got[k++] = 'M';
				break;
			case PL_FLUX_UNKNOWN:
				got[k++] = 'U';
				assert_non_null(res.why);
				break;
			}
		}
	}
	got[k] = '\0';
	if (strcmp(got, c->want) != 0) {
		print_error("%s: got %s, want %s\n", c->name, got, c->want);
		fail();
	}
	pl_model_free(m);
	for (i = 0; i < n; i++)
		pl_file_release(&files[i]);
}

static void test_flux__references_resolve(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
}

static void test_flux__one_first_unknown_per_run(void **state)
{
	static const char *const yaml[] = {
	        FLUX_KS("a", "GitRepository", "${X}"),
	        FLUX_KS("b", "GitRepository", "${Y}"),
	};
	pl_file files[2];
	pl_file *by_path[2];
	pl_model *m;
	pl_limits limits;
	pl_flux_ref ref;
	size_t i;
	(void)state;

	pl_limits_default(&limits);
	for (i = 0; i < 2; i++) {
		size_t len = strlen(yaml[i]);
		char *data = malloc(len + 1);
		assert_non_null(data);
		memcpy(data, yaml[i], len + 1);
		pl_file_init(&files[i]);
		files[i].src.kind = PL_SOURCE_YAML;
		pl_source_set_data(&files[i].src, i ? "b.yaml" : "a.yaml", data,
		                   len);
		pl_file_load(&files[i], &limits);
		by_path[i] = &files[i];
	}
	pl_model_build(&m, by_path, 2);
	assert_int_equal(pl_flux_unknown_count(m), 2);
	assert_int_equal(pl_flux_refs(&files[0].objects[0], &ref, 1), 1);
	assert_true(pl_flux_first_unknown(m, &files[0], ref.name_at));
	assert_int_equal(pl_flux_refs(&files[1].objects[0], &ref, 1), 1);
	assert_false(pl_flux_first_unknown(m, &files[1], ref.name_at));
	/* the first one's node, said to be in another file (the two files
	 * have the same spans): another reference */
	assert_int_equal(pl_flux_refs(&files[0].objects[0], &ref, 1), 1);
	assert_false(pl_flux_first_unknown(m, &files[1], ref.name_at));
	pl_model_free(m);
	for (i = 0; i < 2; i++)
		pl_file_release(&files[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_flux__references_resolve),
	        cmocka_unit_test(test_flux__one_first_unknown_per_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
