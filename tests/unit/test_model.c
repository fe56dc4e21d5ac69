/*
 * test_model.c - the run's model: objects by identity and the effective
 * namespace kustomizations give to the files they include.
 *
 * Each test builds a small repository from {path, yaml} pairs, sorted by
 * path as the run does, and asks the model what a rule would.
 */
#include "testlib.h"
#include "model/model.h"

typedef struct repo_file {
	const char *path;
	const char *yaml;
} repo_file;

typedef struct repo {
	pl_file files[16];
	pl_file *by_path[16];
	size_t n;
	pl_model *model;
} repo;

static int cmp_path(const void *a, const void *b)
{
	const pl_file *x = *(pl_file *const *)a, *y = *(pl_file *const *)b;
	return strcmp(x->src.path, y->src.path);
}

static void repo_build(repo *r, const repo_file *fs, size_t n)
{
	pl_limits limits;
	size_t i;

	assert_true(n <= 16);
	pl_limits_default(&limits);
	r->n = n;
	for (i = 0; i < n; i++) {
		size_t len = strlen(fs[i].yaml);
		char *data = malloc(len + 1);
		assert_non_null(data);
		memcpy(data, fs[i].yaml, len + 1);
		pl_file_init(&r->files[i]);
		r->files[i].src.kind = PL_SOURCE_YAML;
		pl_source_set_data(&r->files[i].src, fs[i].path, data, len);
		pl_file_load(&r->files[i], &limits);
		r->by_path[i] = &r->files[i];
	}
	qsort(r->by_path, n, sizeof(r->by_path[0]), cmp_path);
	pl_model_build(&r->model, r->by_path, n);
}

static void repo_release(repo *r)
{
	size_t i;
	pl_model_free(r->model);
	for (i = 0; i < r->n; i++)
		pl_file_release(&r->files[i]);
}

/* The effective namespace of the first object of path (NULL: unset). */
static const char *ns_of(const repo *r, const char *path)
{
	const pl_file *f = pl_model_file(r->model, path);
	assert_non_null(f);
	assert_true(f->nobjects > 0);
	return f->objects[0].effective_namespace;
}

static void want_ns(const repo *r, const char *path, const char *want)
{
	const char *got = ns_of(r, path);
	if ((got == NULL) != (want == NULL) ||
	    (got && strcmp(got, want) != 0)) {
		print_error("%s: effective namespace %s, want %s\n", path,
		            got ? got : "(unset)", want ? want : "(unset)");
		fail();
	}
}

#define DEPLOY(name)                                                           \
	"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " name "\n"

/* kustomize's namespace transformer overrides metadata.namespace of
 * every namespaced object (kustomize-flux-build.md section 2) */
static void test_model__kustomization_namespace_overrides_metadata(void **state)
{
	static const repo_file fs[] = {
	        {"apps/kustomization.yaml",
	         "namespace: apps\nresources: [web.yaml, lonely.yaml]\n"},
	        {"apps/web.yaml", DEPLOY("web") "  namespace: web\n"},
	        {"apps/lonely.yaml", DEPLOY("lonely") "  namespace: own\n"},
	        {"other/solo.yaml", DEPLOY("solo") "  namespace: solo\n"},
	};
	repo r;
	(void)state;
	repo_build(&r, fs, 4);
	want_ns(&r, "apps/web.yaml", "apps");
	want_ns(&r, "apps/lonely.yaml", "apps");
	/* a file no kustomization builds keeps its own */
	want_ns(&r, "other/solo.yaml", "solo");
	repo_release(&r);
}

/* a kustomization the build model refuses leaves its files as written */
static void test_model__refused_build_keeps_metadata_namespace(void **state)
{
	static const repo_file fs[] = {
	        {"apps/kustomization.yaml",
	         "namespace: apps\nresources: [web.yaml, missing.yaml]\n"},
	        {"apps/web.yaml", DEPLOY("web") "  namespace: web\n"},
	};
	repo r;
	(void)state;
	repo_build(&r, fs, 2);
	want_ns(&r, "apps/web.yaml", "web");
	repo_release(&r);
}

static void test_model__kustomization_namespace_applies(void **state)
{
	static const repo_file fs[] = {
	        {"clusters/prod/flux-system/kustomization.yaml",
	         "apiVersion: kustomize.config.k8s.io/v1beta1\n"
	         "kind: Kustomization\nnamespace: flux-system\n"
	         "resources:\n  - gotk-components.yaml\n  - ./sync/\n"},
	        {"clusters/prod/flux-system/gotk-components.yaml",
	         DEPLOY("source-controller")},
	        {"clusters/prod/flux-system/sync/kustomization.yml",
	         "resources: [../sync/gotk-sync.yaml]\n"},
	        {"clusters/prod/flux-system/sync/gotk-sync.yaml",
	         DEPLOY("kustomize-controller")},
	        {"clusters/prod/other.yaml", DEPLOY("lonely")},
	};
	repo r;
	(void)state;
	repo_build(&r, fs, 5);
	want_ns(&r, "clusters/prod/flux-system/gotk-components.yaml",
	        "flux-system");
	/* through a nested kustomization that sets none */
	want_ns(&r, "clusters/prod/flux-system/sync/gotk-sync.yaml",
	        "flux-system");
	/* included by nothing */
	want_ns(&r, "clusters/prod/other.yaml", NULL);
	repo_release(&r);
}

static void test_model__outermost_namespace_wins(void **state)
{
	static const repo_file fs[] = {
	        {"base/kustomization.yaml",
	         "namespace: base\nresources: [app.yaml]\n"},
	        {"base/app.yaml", DEPLOY("app")},
	        {"overlays/prod/kustomization.yaml",
	         "namespace: prod\nresources: [../../base]\n"},
	        {"overlays/staging/kustomization.yaml",
	         "resources:\n- ../../base\n"},
	};
	repo r;
	const pl_file *f;
	(void)state;
	repo_build(&r, fs, 4);
	f = pl_model_file(r.model, "base/app.yaml");
	assert_non_null(f);
	/* prod overrides base; staging keeps base's */
	assert_int_equal(f->nplacements, 2);
	assert_string_equal(f->placements[0].namespace, "base");
	assert_string_equal(f->placements[0].kustomization->src.path,
	                    "base/kustomization.yaml");
	assert_string_equal(f->placements[1].namespace, "prod");
	assert_int_equal(f->placements[1].at->span.start.line, 1);
	assert_int_equal(f->placements[1].at->span.start.col, 12);
	/* built by both overlays: the first root in path order names it
	 * (each overlay's rendered copy has its own) */
	want_ns(&r, "base/app.yaml", "prod");
	repo_release(&r);
}

static void test_model__loops_and_missing_entries_are_skipped(void **state)
{
	static const repo_file fs[] = {
	        {"a/kustomization.yaml",
	         "namespace: a\nresources: [../b, missing.yaml, "
	         "https://github.com/x/y//config?ref=v1, /etc/passwd, "
	         "../../../outside.yaml]\n"},
	        {"b/kustomization.yaml", "resources: [../a, obj.yaml]\n"},
	        {"b/obj.yaml", DEPLOY("obj")},
	};
	repo r;
	(void)state;
	repo_build(&r, fs, 3);
	want_ns(&r, "b/obj.yaml", "a");
	repo_release(&r);
}

static void test_model__flux_kustomization_named_like_one_is_not(void **state)
{
	static const repo_file fs[] = {
	        {"k/kustomization.yaml",
	         "apiVersion: kustomize.toolkit.fluxcd.io/v1\n"
	         "kind: Kustomization\nmetadata:\n  name: apps\n"
	         "namespace: elsewhere\nresources: [x.yaml]\n"},
	        {"k/x.yaml", DEPLOY("x")},
	};
	repo r;
	(void)state;
	repo_build(&r, fs, 2);
	want_ns(&r, "k/x.yaml", NULL);
	repo_release(&r);
}

static void test_model__lookup_by_identity(void **state)
{
	static const repo_file fs[] = {
	        {"infra/kustomization.yaml",
	         "namespace: flux-system\nresources: [repos.yaml]\n"},
	        {"infra/repos.yaml",
	         "apiVersion: image.toolkit.fluxcd.io/v1beta2\n"
	         "kind: ImageRepository\nmetadata:\n  name: podinfo\n"
	         "---\n"
	         "apiVersion: image.toolkit.fluxcd.io/v1beta2\n"
	         "kind: ImagePolicy\nmetadata:\n  name: podinfo\n"
	         "---\n"
	         "apiVersion: image.toolkit.fluxcd.io/v1beta2\n"
	         "kind: ImagePolicy\nmetadata:\n  name: podinfo\n"},
	        {"other.yaml", "apiVersion: example.org/v1\n"
	                       "kind: ImagePolicy\nmetadata:\n  name: podinfo\n"
	                       "  namespace: flux-system\n"},
	};
	repo r;
	const pl_object *o, *second;
	(void)state;
	repo_build(&r, fs, 3);
	o = pl_model_get(r.model, NULL, "ImageRepository", "flux-system",
	                 "podinfo");
	assert_non_null(o);
	assert_int_equal(o->doc->index, 0);
	assert_null(pl_model_get(r.model, NULL, "ImageRepository", NULL,
	                         "podinfo"));
	assert_null(pl_model_get(r.model, NULL, "ImageRepository",
	                         "flux-system", "other"));
	o = pl_model_get(r.model, "image.toolkit.fluxcd.io/", "ImagePolicy",
	                 "flux-system", "podinfo");
	assert_non_null(o);
	assert_int_equal(o->doc->index, 1);
	second = pl_model_next(r.model, o, "image.toolkit.fluxcd.io/");
	assert_non_null(second);
	assert_int_equal(second->doc->index, 2);
	/* the example.org one shares the identity but not the group */
	assert_null(pl_model_next(r.model, second, "image.toolkit.fluxcd.io/"));
	assert_non_null(pl_model_next(r.model, second, NULL));
	repo_release(&r);
}

static void test_model__list_items_are_objects(void **state)
{
	static const repo_file fs[] = {
	        {"apps/kustomization.yaml",
	         "namespace: apps\nresources: [list.yaml]\n"},
	        {"apps/list.yaml",
	         "apiVersion: v1\nkind: List\nitems:\n"
	         "  - apiVersion: v1\n    kind: Secret\n"
	         "    metadata: {name: db}\n"
	         "  - apiVersion: v1\n    kind: ConfigMap\n"
	         "    metadata: {name: cfg, namespace: other}\n"
	         "  - not an object\n"
	         "---\n"
	         "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"},
	};
	repo r;
	const pl_file *f;
	(void)state;
	repo_build(&r, fs, 2);
	f = pl_model_file(r.model, "apps/list.yaml");
	/* the two documents first, then the three items of the list */
	assert_int_equal(f->nobjects, 5);
	assert_string_equal(f->objects[0].kind, "List");
	assert_string_equal(f->objects[1].kind, "Service");
	assert_string_equal(f->objects[2].kind, "Secret");
	assert_ptr_equal(f->objects[2].doc, f->objects[0].doc);
	assert_false(f->objects[4].is_k8s);
	assert_ptr_equal(pl_model_get(r.model, NULL, "Secret", "apps", "db"),
	                 &f->objects[2]);
	assert_ptr_equal(
	        pl_model_get(r.model, NULL, "ConfigMap", "other", "cfg"),
	        &f->objects[3]);
	repo_release(&r);
}

static void test_model__pulumi_kubernetes_resources_are_objects(void **state)
{
	static const repo_file fs[] = {
	        {"infra/Pulumi.yaml",
	         "name: infra\nruntime: yaml\nresources:\n"
	         "  db:\n    type: kubernetes:core/v1:Secret\n"
	         "    properties:\n      metadata: {namespace: data}\n"
	         "      stringData: {password: hunter2}\n"
	         "  web:\n    type: kubernetes:apps/v1:Deployment\n"
	         "    properties:\n      metadata: {name: front}\n"
	         "  ing:\n    type: kubernetes:networking.k8s.io/v1:Ingress\n"
	         "    properties: {metadata: {name: ing}}\n"
	         "  cr:\n    type: kubernetes:apiextensions.k8s.io/v1:"
	         "CustomResource\n"
	         "    properties: {apiVersion: example.com/v1, kind: Widget}\n"
	         "  chart:\n    type: kubernetes:helm.sh/v3:Release\n"
	         "    properties: {chart: podinfo}\n"
	         "  existing:\n    type: kubernetes:core/v1:Secret\n"
	         "    get: {id: data/old}\n    properties: {}\n"
	         "  pet:\n    type: random:RandomPet\n"
	         "    properties: {length: 2}\n"},
	        {"node/Pulumi.yaml",
	         "name: node\nruntime: nodejs\nresources:\n"
	         "  db:\n    type: kubernetes:core/v1:Secret\n"
	         "    properties: {}\n"},
	};
	repo r;
	const pl_file *f;
	const pl_node *kind;
	(void)state;
	repo_build(&r, fs, 2);
	f = pl_model_file(r.model, "infra/Pulumi.yaml");
	/* the document, then db, web, ing and cr: not the Helm release, the
	 * read of an existing Secret or a resource of another provider */
	assert_int_equal(f->nobjects, 5);
	assert_false(f->objects[0].is_k8s);
	assert_string_equal(f->objects[1].api_version, "v1");
	assert_string_equal(f->objects[1].kind, "Secret");
	assert_true(f->objects[1].pulumi);
	/* no metadata.name: the logical name stands for it */
	assert_string_equal(f->objects[1].name, "db");
	assert_string_equal(f->objects[1].effective_namespace, "data");
	assert_string_equal(f->objects[2].api_version, "apps/v1");
	assert_string_equal(f->objects[2].name, "front");
	assert_string_equal(f->objects[3].api_version, "networking.k8s.io/v1");
	assert_string_equal(f->objects[4].api_version, "example.com/v1");
	assert_string_equal(f->objects[4].kind, "Widget");
	/* kind's span is the type's value (line 5), and the properties'
	 * nodes are the file's own */
	kind = pl_node_get(f->objects[1].root, "kind");
	assert_int_equal(kind->span.start.line, 5);
	assert_int_equal(
	        pl_node_get(f->objects[1].root, "stringData")->span.start.line,
	        8);
	assert_ptr_equal(pl_model_get(r.model, NULL, "Secret", "data", "db"),
	                 &f->objects[1]);
	f = pl_model_file(r.model, "node/Pulumi.yaml");
	assert_int_equal(f->nobjects, 1);
	repo_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(
	                test_model__kustomization_namespace_overrides_metadata),
	        cmocka_unit_test(
	                test_model__refused_build_keeps_metadata_namespace),
	        cmocka_unit_test(test_model__kustomization_namespace_applies),
	        cmocka_unit_test(test_model__outermost_namespace_wins),
	        cmocka_unit_test(
	                test_model__loops_and_missing_entries_are_skipped),
	        cmocka_unit_test(
	                test_model__flux_kustomization_named_like_one_is_not),
	        cmocka_unit_test(test_model__lookup_by_identity),
	        cmocka_unit_test(test_model__list_items_are_objects),
	        cmocka_unit_test(
	                test_model__pulumi_kubernetes_resources_are_objects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
