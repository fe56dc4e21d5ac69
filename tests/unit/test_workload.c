/*
 * test_workload.c - typed workload views: the pod spec of each kind, the
 * container iterator, env and envFrom entries, and whether a container
 * gets a variable once envFrom is resolved against repository objects.
 *
 * Objects are built from YAML strings by hand (identity fields only, as
 * model.c reads them), so these tests depend on the tree and nothing else.
 * Malformed manifests must read as absent, never crash.
 */
#include "testlib.h"

#include "base/buf.h"
#include "model/workload.h"

#define MAX_OBJECTS 8

typedef struct fixture {
	tl_doc doc;
	pl_object objs[MAX_OBJECTS];
	size_t n;
} fixture;

static const char *string_field(const pl_node *m, const char *key)
{
	const pl_node *v = pl_node_get(m, key);
	if (!v || v->kind != PL_NODE_SCALAR || v->type != PL_TYPE_STRING)
		return NULL;
	return v->u.scalar.str;
}

/* Loads yaml and fills one pl_object per document. */
static void load(fixture *f, const char *yaml)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	tl_load(&f->doc, yaml);
	assert_true(f->doc.tree.ndocs <= MAX_OBJECTS);
	f->n = f->doc.tree.ndocs;
	for (i = 0; i < f->n; i++) {
		pl_object *o = &f->objs[i];
		const pl_node *meta;

		o->doc = &f->doc.tree.docs[i];
		o->root = pl_node_deref(o->doc->root);
		o->api_version = string_field(o->root, "apiVersion");
		o->kind = string_field(o->root, "kind");
		meta = pl_node_get(o->root, "metadata");
		o->name = string_field(meta, "name");
		o->namespace = string_field(meta, "namespace");
	}
}

static void release(fixture *f)
{
	tl_release(&f->doc);
}

/* The first container of the first document's pod spec. */
static void first_container(const fixture *f, pl_container *c)
{
	const pl_node *spec;
	pl_container_iter it;

	assert_true(pl_workload_pod_spec(&f->objs[0], &spec));
	pl_container_iter_init(&it, spec, PL_CONTAINERS_POD);
	assert_true(pl_container_next(&it, c));
}

static const char *scalar_or(const pl_node *n, const char *none)
{
	return n ? n->u.scalar.str : none;
}

/* --- pod specs ------------------------------------------------------- */

/* Each pod spec holds `hostname: found`, each template `metadata.name:
 * tpl`. */
static void test_workload__pod_spec_of_each_kind(void **state)
{
	static const char *const cases[] = {
	        "kind: Pod\nmetadata: {name: tpl}\nspec: {hostname: found}\n",
	        "kind: Deployment\nspec:\n  template:\n    metadata: {name: "
	        "tpl}\n    spec: {hostname: found}\n",
	        "kind: StatefulSet\nspec: {template: {metadata: {name: tpl}, "
	        "spec: {hostname: found}}}\n",
	        "kind: DaemonSet\nspec: {template: {metadata: {name: tpl}, "
	        "spec: {hostname: found}}}\n",
	        "kind: ReplicaSet\nspec: {template: {metadata: {name: tpl}, "
	        "spec: {hostname: found}}}\n",
	        "kind: ReplicationController\nspec: {template: {metadata: "
	        "{name: tpl}, spec: {hostname: found}}}\n",
	        "kind: Job\nspec: {template: {metadata: {name: tpl}, spec: "
	        "{hostname: found}}}\n",
	        "kind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      "
	        "template:\n        metadata: {name: tpl}\n        spec: "
	        "{hostname: found}\n",
	        /* the group does not matter: CRDs reuse the shape */
	        "apiVersion: apps.kruise.io/v1beta1\nkind: StatefulSet\nspec: "
	        "{template: {metadata: {name: tpl}, spec: {hostname: found}}}"
	        "\n",
	};
	size_t i, failed = 0;

	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		fixture f;
		const pl_node *spec = NULL, *tpl = NULL, *meta;

		load(&f, cases[i]);
		if (!pl_workload_pod_spec(&f.objs[0], &spec) ||
		    !pl_node_is_str(pl_node_get(spec, "hostname"), "found")) {
			print_error("%s: no pod spec\n", f.objs[0].kind);
			failed++;
		}
		meta = NULL;
		if (pl_workload_pod_template(&f.objs[0], &tpl))
			meta = pl_node_get(tpl, "metadata");
		if (!pl_node_is_str(pl_node_get(meta, "name"), "tpl")) {
			print_error("%s: no pod template\n", f.objs[0].kind);
			failed++;
		}
		release(&f);
	}
	if (failed)
		fail();
}

static void expect_no_pod_spec(const char *const *cases, size_t n)
{
	size_t i, failed = 0;

	for (i = 0; i < n; i++) {
		fixture f;
		const pl_node *spec = (const pl_node *)&spec;
		const pl_node *tpl = (const pl_node *)&tpl;
		bool got;

		load(&f, cases[i]);
		got = pl_workload_pod_spec(&f.objs[0], &spec);
		if (got || spec) {
			print_error("has a pod spec:\n%s\n", cases[i]);
			failed++;
		}
		/* a template without a spec is still a template */
		got = pl_workload_pod_template(&f.objs[0], &tpl);
		if (got != (tpl != NULL)) {
			print_error("template %d but out %p:\n%s\n", got,
			            (const void *)tpl, cases[i]);
			failed++;
		}
		release(&f);
	}
	if (failed)
		fail();
}

static void test_workload__other_kinds_have_no_pod_spec(void **state)
{
	static const char *const cases[] = {
	        "kind: Service\nspec: {template: {spec: {hostname: x}}}\n",
	        "kind: ConfigMap\ndata: {spec: x}\n",
	        "kind: PodTemplate\ntemplate: {spec: {hostname: x}}\n",
	        "kind: deployment\nspec: {template: {spec: {hostname: x}}}\n",
	        "spec: {template: {spec: {hostname: x}}}\n",
	        "kind: 5\nspec: {hostname: x}\n",
	        "kind: [Pod]\nspec: {hostname: x}\n",
	};
	(void)state;
	expect_no_pod_spec(cases, PL_ARRAY_SIZE(cases));
}

static void test_workload__malformed_trees_have_no_pod_spec(void **state)
{
	static const char *const cases[] = {
	        "kind: Pod\n",
	        "kind: Pod\nspec: [hostname]\n",
	        "kind: Pod\nspec: ~\n",
	        "kind: Deployment\nspec: hello\n",
	        "kind: Deployment\nspec: {template: [1, 2]}\n",
	        "kind: Deployment\nspec: {template: {spec: x}}\n",
	        "kind: Deployment\nspec: {template: {spec: }}\n",
	        "kind: Deployment\nspec: {template: {metadata: {}}}\n",
	        "kind: Job\nspec: {jobTemplate: {spec: {template: {spec: "
	        "{}}}}}\n",
	        "kind: CronJob\nspec: {template: {spec: {hostname: x}}}\n",
	        "kind: CronJob\nspec: {jobTemplate: {spec: {template: {spec: "
	        "7}}}}\n",
	        "kind: CronJob\nspec: {jobTemplate: [{spec: {}}]}\n",
	};
	(void)state;
	expect_no_pod_spec(cases, PL_ARRAY_SIZE(cases));
}

/* An object whose document is not a mapping, or empty. */
static void test_workload__rootless_objects_have_no_pod_spec(void **state)
{
	pl_object o;
	const pl_node *spec;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.kind = "Pod";
	assert_false(pl_workload_pod_spec(&o, &spec));
	assert_null(spec);
	assert_false(pl_workload_pod_spec(NULL, &spec));
	assert_false(pl_workload_pod_template(NULL, &spec));
}

static void test_workload__aliases_are_followed(void **state)
{
	fixture f;
	const pl_node *spec;
	pl_container c;

	(void)state;
	load(&f, "x-spec: &spec\n"
	         "  containers: &list\n"
	         "  - &web {name: web, image: nginx, env: &env [{name: A, "
	         "value: &v one}]}\n"
	         "kind: Deployment\n"
	         "spec:\n"
	         "  template: {spec: *spec}\n"
	         "---\n"
	         "kind: Pod\n"
	         "spec:\n"
	         "  initContainers: [{name: init, env: [{name: B, value: "
	         "x}]}]\n"
	         "  containers: [{name: app, env: [{name: A, value: "
	         "x}]}]\n");
	first_container(&f, &c);
	assert_true(pl_node_is_str(c.name, "web"));
	assert_true(pl_node_is_str(c.image, "nginx"));
	assert_non_null(c.env);
	assert_int_equal(c.env->kind, PL_NODE_SEQUENCE);
	assert_true(pl_node_is_str(pl_container_env_value(&c, "A"), "one"));
	assert_true(pl_workload_pod_spec(&f.objs[1], &spec));
	release(&f);
}

/* --- containers ------------------------------------------------------ */

static const char *const three_lists =
        "kind: Pod\n"
        "spec:\n"
        "  ephemeralContainers: [{name: e1}]\n"
        "  containers: [{name: c1}, {name: c2}]\n"
        "  initContainers: [{name: i1}, {name: i2}]\n";

/* "i:i1#0 c:c1#0 ..." for the containers `which` selects. */
static void list_containers(pl_buf *out, const pl_node *spec, unsigned which)
{
	pl_container_iter it;
	pl_container c;

	pl_buf_reset(out);
	pl_container_iter_init(&it, spec, which);
	while (pl_container_next(&it, &c)) {
		char k = c.kind == PL_CONTAINER_INIT  ? 'i'
		         : c.kind == PL_CONTAINER_APP ? 'c'
		                                      : 'e';
		pl_buf_addf(out, "%s%c:%s#%zu", out->len ? " " : "", k,
		            scalar_or(c.name, "-"), c.index);
	}
}

static void check_lists(const char *yaml, const unsigned *which,
                        const char *const *want, size_t n)
{
	fixture f;
	const pl_node *spec;
	pl_buf got;
	size_t i, failed = 0;

	load(&f, yaml);
	pl_buf_init(&got, 0);
	assert_true(pl_workload_pod_spec(&f.objs[0], &spec));
	for (i = 0; i < n; i++) {
		list_containers(&got, spec, which[i]);
		if (strcmp(got.ptr, want[i]) != 0) {
			print_error("which %#x: '%s', want '%s'\n", which[i],
			            got.ptr, want[i]);
			failed++;
		}
	}
	pl_buf_release(&got);
	release(&f);
	if (failed)
		fail();
}

static void test_workload__containers_come_init_first(void **state)
{
	static const unsigned which[] = {
	        PL_CONTAINERS_POD, PL_CONTAINERS_ALL,      PL_CONTAINER_APP,
	        PL_CONTAINER_INIT, PL_CONTAINER_EPHEMERAL, 0,
	};
	static const char *const want[] = {
	        "i:i1#0 i:i2#1 c:c1#0 c:c2#1",
	        "i:i1#0 i:i2#1 c:c1#0 c:c2#1 e:e1#0",
	        "c:c1#0 c:c2#1",
	        "i:i1#0 i:i2#1",
	        "e:e1#0",
	        "",
	};
	(void)state;
	check_lists(three_lists, which, want, PL_ARRAY_SIZE(want));
}

static void test_workload__malformed_containers_are_skipped(void **state)
{
	static const struct {
		const char *yaml, *want;
	} cases[] = {
	        {"kind: Pod\nspec: {containers: {name: a}}\n", ""},
	        {"kind: Pod\nspec: {containers: nginx}\n", ""},
	        {"kind: Pod\nspec: {containers: ~, initContainers: [{name: "
	         "i}]}\n",
	         "i:i#0"},
	        {"kind: Pod\nspec: {containers: [nginx, ~, [a], {name: b}]}\n",
	         "c:b#3"},
	        {"kind: Pod\nspec: {containers: [{}, {name: [x]}]}\n",
	         "c:-#0 c:-#1"},
	        {"kind: Pod\nspec: {containers: []}\n", ""},
	};
	size_t i, failed = 0;
	pl_buf got;

	(void)state;
	pl_buf_init(&got, 0);
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		fixture f;
		const pl_node *spec;

		load(&f, cases[i].yaml);
		assert_true(pl_workload_pod_spec(&f.objs[0], &spec));
		list_containers(&got, spec, PL_CONTAINERS_ALL);
		if (strcmp(got.ptr, cases[i].want) != 0) {
			print_error("'%s', want '%s' for\n%s", got.ptr,
			            cases[i].want, cases[i].yaml);
			failed++;
		}
		release(&f);
	}
	/* no pod spec at all: nothing, no crash */
	list_containers(&got, NULL, PL_CONTAINERS_ALL);
	assert_string_equal(got.ptr, "");
	pl_buf_release(&got);
	if (failed)
		fail();
}

/* Wrong node kinds read as absent; the container itself is still seen. */
static void test_workload__container_fields_have_their_kinds(void **state)
{
	fixture f;
	pl_container_iter it;
	pl_container c;
	const pl_node *spec;

	(void)state;
	load(&f, "kind: Pod\n"
	         "spec:\n"
	         "  containers:\n"
	         "  - {name: ok, image: 'nginx:1', env: [], envFrom: []}\n"
	         "  - {name: ~, image: {repo: nginx}, env: {A: b}, envFrom: "
	         "x}\n"
	         "  - {image: ~}\n");
	assert_true(pl_workload_pod_spec(&f.objs[0], &spec));
	pl_container_iter_init(&it, spec, PL_CONTAINERS_POD);

	assert_true(pl_container_next(&it, &c));
	assert_true(pl_node_is_str(c.name, "ok"));
	assert_true(pl_node_is_str(c.image, "nginx:1"));
	assert_int_equal(c.env->kind, PL_NODE_SEQUENCE);
	assert_int_equal(c.env_from->kind, PL_NODE_SEQUENCE);
	assert_int_equal(c.node->kind, PL_NODE_MAPPING);
	assert_int_equal(c.kind, PL_CONTAINER_APP);

	assert_true(pl_container_next(&it, &c));
	assert_null(c.name);
	assert_null(c.image);
	assert_null(c.env);
	assert_null(c.env_from);
	assert_int_equal(c.index, 1);
	assert_null(pl_container_env_value(&c, "A"));
	assert_int_equal(pl_container_env_defines(&c, "A", NULL, NULL, NULL),
	                 PL_ENV_UNDEFINED);

	assert_true(pl_container_next(&it, &c));
	assert_null(c.image);
	assert_false(pl_container_next(&it, &c));
	/* done stays done */
	assert_false(pl_container_next(&it, &c));
	release(&f);
}

static void test_workload__list_keys_name_the_yaml_fields(void **state)
{
	(void)state;
	assert_string_equal(pl_container_list_key(PL_CONTAINER_INIT),
	                    "initContainers");
	assert_string_equal(pl_container_list_key(PL_CONTAINER_APP),
	                    "containers");
	assert_string_equal(pl_container_list_key(PL_CONTAINER_EPHEMERAL),
	                    "ephemeralContainers");
}

/* --- env and envFrom ------------------------------------------------- */

static const char *const env_pod =
        "kind: Pod\n"
        "spec:\n"
        "  containers:\n"
        "  - name: app\n"
        "    env:\n"
        "    - name: A\n"
        "      value: \"1\"\n"
        "    - name: B\n"
        "      valueFrom: {secretKeyRef: {name: s, key: k}}\n"
        "    - just-a-string\n"
        "    - name: A\n"
        "      value: \"2\"\n"
        "    - {value: nameless}\n"
        "    - {name: EMPTY}\n"
        "    envFrom:\n"
        "    - configMapRef: {name: app-config}\n"
        "    - prefix: DB_\n"
        "      secretRef: {name: db, optional: true}\n"
        "    - {prefix: X_}\n"
        "    - 42\n"
        "    - {configMapRef: {name: both}, secretRef: {name: s}}\n"
        "    - {secretRef: {name: [x], optional: \"true\"}}\n";

static void test_workload__env_entries_with_value_and_value_from(void **state)
{
	static const struct {
		const char *name, *value;
		bool value_from;
		size_t index;
	} want[] = {
	        {"A", "1", false, 0},      {"B", NULL, true, 1},
	        {"A", "2", false, 3},      {NULL, "nameless", false, 4},
	        {"EMPTY", NULL, false, 5},
	};
	fixture f;
	pl_container c;
	pl_env_iter it;
	pl_env_var v;
	size_t i = 0;

	(void)state;
	load(&f, env_pod);
	first_container(&f, &c);
	pl_env_iter_init(&it, &c);
	while (pl_env_next(&it, &v)) {
		assert_true(i < PL_ARRAY_SIZE(want));
		assert_string_equal(scalar_or(v.name, "(none)"),
		                    want[i].name ? want[i].name : "(none)");
		assert_string_equal(scalar_or(v.value, "(none)"),
		                    want[i].value ? want[i].value : "(none)");
		assert_int_equal(v.value_from != NULL, want[i].value_from);
		assert_int_equal(v.index, want[i].index);
		assert_int_equal(v.node->kind, PL_NODE_MAPPING);
		i++;
	}
	assert_int_equal(i, PL_ARRAY_SIZE(want));
	release(&f);
}

static void test_workload__env_value_is_the_last_entry(void **state)
{
	fixture f;
	pl_container c;
	pl_env_var v;

	(void)state;
	load(&f, env_pod);
	first_container(&f, &c);
	assert_true(pl_node_is_str(pl_container_env_value(&c, "A"), "2"));
	assert_true(pl_container_env_find(&c, "A", &v));
	assert_int_equal(v.index, 3);
	/* valueFrom only: found, but no value */
	assert_null(pl_container_env_value(&c, "B"));
	assert_true(pl_container_env_find(&c, "B", &v));
	assert_non_null(v.value_from);
	assert_null(pl_container_env_value(&c, "EMPTY"));
	assert_true(pl_container_env_find(&c, "EMPTY", &v));
	assert_null(pl_container_env_value(&c, "C"));
	assert_false(pl_container_env_find(&c, "C", &v));
	assert_false(pl_container_env_find(&c, "a", &v));
	release(&f);
}

static void test_workload__env_from_entries(void **state)
{
	static const struct {
		pl_env_source source;
		const char *name, *prefix;
		bool optional;
		size_t index;
	} want[] = {
	        {PL_ENV_FROM_CONFIGMAP, "app-config", NULL, false, 0},
	        {PL_ENV_FROM_SECRET, "db", "DB_", true, 1},
	        {PL_ENV_FROM_NONE, NULL, "X_", false, 2},
	        {PL_ENV_FROM_CONFIGMAP, "both", NULL, false, 4},
	        {PL_ENV_FROM_SECRET, NULL, NULL, false, 5},
	};
	fixture f;
	pl_container c;
	pl_env_iter it;
	pl_env_from e;
	size_t i = 0;

	(void)state;
	load(&f, env_pod);
	first_container(&f, &c);
	pl_env_from_iter_init(&it, &c);
	while (pl_env_from_next(&it, &e)) {
		assert_true(i < PL_ARRAY_SIZE(want));
		assert_int_equal(e.source, want[i].source);
		assert_string_equal(scalar_or(e.name, "(none)"),
		                    want[i].name ? want[i].name : "(none)");
		assert_string_equal(scalar_or(e.prefix, "(none)"),
		                    want[i].prefix ? want[i].prefix : "(none)");
		assert_int_equal(e.optional, want[i].optional);
		assert_int_equal(e.index, want[i].index);
		assert_int_equal(e.ref == NULL,
		                 want[i].source == PL_ENV_FROM_NONE);
		i++;
	}
	assert_int_equal(i, PL_ARRAY_SIZE(want));
	release(&f);
}

/* --- env_defines over repository objects ---------------------------- */

static const char *const repo_objects =
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "metadata: {name: app-config, namespace: web}\n"
        "data: {LOG_LEVEL: info, EMPTY: }\n"
        "binaryData: {CERT: aGk=}\n"
        "stringData: {CM_STRING: not-a-configmap-field}\n"
        "---\n"
        "apiVersion: v1\n"
        "kind: Secret\n"
        "metadata: {name: db, namespace: web}\n"
        "data: {PASSWORD: aHVudGVyMg==}\n"
        "stringData: {USER: app}\n"
        "binaryData: {BIN: not-a-secret-field}\n"
        "---\n"
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "metadata: {name: overlay, namespace: web}\n"
        "data: {FIRST: x}\n"
        "---\n"
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "metadata: {name: overlay, namespace: web}\n"
        "data: {SECOND: y}\n"
        "---\n"
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "metadata: {name: db, namespace: web}\n"
        "data: {PASSWORD: same-name-other-kind}\n"
        "---\n"
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "metadata: {name: keyless, namespace: web}\n"
        "data: [LOG_LEVEL]\n";

static const char *const env_deployment =
        "kind: Deployment\n"
        "metadata: {name: web, namespace: web}\n"
        "spec:\n"
        "  template:\n"
        "    spec:\n"
        "      containers:\n"
        "      - name: app\n"
        "        env:\n"
        "        - {name: LITERAL, value: x}\n"
        "        - name: FROM_SECRET\n"
        "          valueFrom: {secretKeyRef: {name: db, key: PASSWORD}}\n"
        "        envFrom:\n"
        "        - configMapRef: {name: app-config}\n"
        "        - {prefix: DB_, secretRef: {name: db}}\n"
        "        - configMapRef: {name: overlay}\n"
        "        - configMapRef: {name: keyless}\n"
        "      - name: sidecar\n"
        "        envFrom:\n"
        "        - configMapRef: {name: app-config}\n"
        "        - {prefix: EXT_, configMapRef: {name: not-in-repo}}\n"
        "      - name: broken\n"
        "        envFrom:\n"
        "        - {prefix: P_}\n"
        "        - {secretRef: {optional: true}}\n";

struct repo {
	const pl_object *objs;
	size_t n;
	size_t calls;
};

static bool same_or_both_null(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Linear search by (kind, namespace, name), continuing after prev. */
static const pl_object *repo_lookup(void *arg, const char *kind, const char *ns,
                                    const char *name, const pl_object *prev)
{
	struct repo *r = arg;
	size_t i = prev ? (size_t)(prev - r->objs) + 1 : 0;

	r->calls++;
	for (; i < r->n; i++) {
		const pl_object *o = &r->objs[i];
		if (same_or_both_null(o->kind, kind) &&
		    same_or_both_null(o->namespace, ns) &&
		    same_or_both_null(o->name, name))
			return o;
	}
	return NULL;
}

static const char *answer_name(pl_env_answer a)
{
	static const char *const names[] = {"undefined", "defined", "unknown"};
	return (size_t)a < PL_ARRAY_SIZE(names) ? names[a] : "?";
}

struct defines_case {
	size_t container; /* index among the pod's containers */
	const char *var;
	const char *ns;
	pl_env_answer want;
};

static void check_defines(const struct defines_case *cases, size_t n,
                          bool with_lookup)
{
	fixture objs, dep;
	struct repo r;
	size_t i, failed = 0;

	load(&objs, repo_objects);
	load(&dep, env_deployment);
	r.objs = objs.objs;
	r.n = objs.n;
	r.calls = 0;
	for (i = 0; i < n; i++) {
		const struct defines_case *c = &cases[i];
		const pl_node *spec;
		pl_container_iter it;
		pl_container ctr;
		pl_env_answer got;
		size_t k;

		assert_true(pl_workload_pod_spec(&dep.objs[0], &spec));
		pl_container_iter_init(&it, spec, PL_CONTAINERS_POD);
		for (k = 0; k <= c->container; k++)
			assert_true(pl_container_next(&it, &ctr));
		got = pl_container_env_defines(&ctr, c->var, c->ns,
		                               with_lookup ? repo_lookup : NULL,
		                               with_lookup ? &r : NULL);
		if (got != c->want) {
			print_error("container %zu, %s in %s: %s, want %s\n",
			            c->container, c->var,
			            c->ns ? c->ns : "(no namespace)",
			            answer_name(got), answer_name(c->want));
			failed++;
		}
	}
	release(&dep);
	release(&objs);
	if (failed) {
		print_error("%zu of %zu cases failed\n", failed, n);
		fail();
	}
}

#define CHECK_DEFINES(cases, lookup)                                           \
	check_defines(cases, PL_ARRAY_SIZE(cases), lookup)
#define DEFINED   PL_ENV_DEFINED
#define UNDEFINED PL_ENV_UNDEFINED
#define UNKNOWN   PL_ENV_UNKNOWN

static void test_workload__env_defines_over_repository_objects(void **state)
{
	static const struct defines_case cases[] = {
	        {0, "LITERAL", "web", DEFINED},
	        {0, "FROM_SECRET", "web", DEFINED},
	        {0, "LOG_LEVEL", "web", DEFINED},
	        {0, "EMPTY", "web", DEFINED},
	        {0, "CERT", "web", DEFINED},        /* binaryData */
	        {0, "DB_PASSWORD", "web", DEFINED}, /* Secret data */
	        {0, "DB_USER", "web", DEFINED},     /* Secret stringData */
	        {0, "SECOND", "web", DEFINED},      /* the second `overlay` */
	        {0, "FIRST", "web", DEFINED},
	        /* the prefix applies to that source alone */
	        {0, "PASSWORD", "web", UNDEFINED},
	        {0, "USER", "web", UNDEFINED},
	        {0, "DB_LOG_LEVEL", "web", UNDEFINED},
	        /* fields of the other kind are not keys */
	        {0, "CM_STRING", "web", UNDEFINED},
	        {0, "DB_BIN", "web", UNDEFINED},
	        {0, "MISSING", "web", UNDEFINED},
	        {0, "log_level", "web", UNDEFINED},
	        /* found in no namespace: unknown */
	        {0, "LOG_LEVEL", "other", UNKNOWN},
	        {0, "LOG_LEVEL", NULL, UNKNOWN},
	        {0, "LITERAL", "other", DEFINED},
	        /* a source outside the repository */
	        {1, "LOG_LEVEL", "web", DEFINED},
	        {1, "EXT_FOO", "web", UNKNOWN},
	        {1, "EXT_", "web", UNKNOWN},
	        {1, "OTHER", "web", UNDEFINED},
	        {1, "LITERAL", "web", UNDEFINED},
	        /* malformed sources: unknown when the prefix fits */
	        {2, "P_X", "web", UNKNOWN},
	        {2, "ANY", "web", UNKNOWN},
	};
	(void)state;
	CHECK_DEFINES(cases, true);
}

static void test_workload__env_defines_without_lookup(void **state)
{
	static const struct defines_case cases[] = {
	        {0, "LITERAL", "web", DEFINED},
	        {0, "LOG_LEVEL", "web", UNKNOWN},
	        {0, "DB_PASSWORD", "web", UNKNOWN},
	        {1, "OTHER", "web", UNKNOWN},
	        {1, "EXT_X", "web", UNKNOWN},
	};
	(void)state;
	CHECK_DEFINES(cases, false);
}

/* A lookup that never ends is cut at PL_ENV_LOOKUP_MAX objects. */
static const pl_object *endless_lookup(void *arg, const char *kind,
                                       const char *ns, const char *name,
                                       const pl_object *prev)
{
	struct repo *r = arg;

	(void)kind;
	(void)ns;
	(void)name;
	(void)prev;
	r->calls++;
	return &r->objs[0];
}

static void test_workload__env_defines_bounds_a_runaway_lookup(void **state)
{
	fixture objs, dep;
	struct repo r;
	pl_container c;

	(void)state;
	load(&objs, repo_objects);
	load(&dep, "kind: Pod\nspec: {containers: [{envFrom: [{configMapRef: "
	           "{name: x}}]}]}\n");
	r.objs = objs.objs;
	r.n = objs.n;
	r.calls = 0;
	first_container(&dep, &c);
	assert_int_equal(
	        pl_container_env_defines(&c, "NOPE", "web", endless_lookup, &r),
	        PL_ENV_UNDEFINED);
	assert_int_equal(r.calls, PL_ENV_LOOKUP_MAX);
	r.calls = 0;
	assert_int_equal(pl_container_env_defines(&c, "LOG_LEVEL", "web",
	                                          endless_lookup, &r),
	                 PL_ENV_DEFINED);
	assert_int_equal(r.calls, 1);
	release(&dep);
	release(&objs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_workload__pod_spec_of_each_kind),
	        cmocka_unit_test(test_workload__other_kinds_have_no_pod_spec),
	        cmocka_unit_test(
	                test_workload__malformed_trees_have_no_pod_spec),
	        cmocka_unit_test(
	                test_workload__rootless_objects_have_no_pod_spec),
	        cmocka_unit_test(test_workload__aliases_are_followed),
	        cmocka_unit_test(test_workload__containers_come_init_first),
	        cmocka_unit_test(
	                test_workload__malformed_containers_are_skipped),
	        cmocka_unit_test(
	                test_workload__container_fields_have_their_kinds),
	        cmocka_unit_test(test_workload__list_keys_name_the_yaml_fields),
	        cmocka_unit_test(
	                test_workload__env_entries_with_value_and_value_from),
	        cmocka_unit_test(test_workload__env_value_is_the_last_entry),
	        cmocka_unit_test(test_workload__env_from_entries),
	        cmocka_unit_test(
	                test_workload__env_defines_over_repository_objects),
	        cmocka_unit_test(test_workload__env_defines_without_lookup),
	        cmocka_unit_test(
	                test_workload__env_defines_bounds_a_runaway_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
