/*
 * schema_kinds.c - schema/invalid: every Kubernetes object of the run
 * against the JSON Schema of its apiVersion and kind (schema/schema.h).
 *
 * Sources, first match wins: the CustomResourceDefinitions among the
 * linted files (apiextensions.k8s.io/v1, each served version's
 * openAPIV3Schema), --schema-location folders in kubeconform's layout
 * ({kind}-{group's first label}-{version}.json, lowercase; the core group
 * has no group part), then the curated schemas of schemas/kinds/,
 * compiled into the binary (ci/embed.sh).
 *
 * prepare compiles the curated schemas; bind, run once after the model is
 * built and before any worker starts, compiles the CRDs and the folder
 * schemas for the kinds the run has, and notes for each kind without a
 * schema its first object (files in path order), where the one `info`
 * finding goes: the same file whatever -j is. Checks only read the state.
 */
#include "builtin/builtin.h"
#include "base/buf.h"
#include "base/map.h"
#include "base/vec.h"
#include "base/xalloc.h"
#include "base/quote.h"
#include "schema/schema.h"

#include <ctype.h>
#include <unistd.h>

/* One apiVersion/kind: its schema, or the object that reports its lack. */
typedef struct kind_entry {
	char *key;                /* "apps/v1/Deployment" */
	const pl_schema *schema;  /* NULL: none */
	const pl_object *first;   /* NULL: has a schema */
	const pl_object *crd;     /* the CRD that failed to compile */
	const pl_object *from;    /* the CRD the schema came from, or NULL */
	char *crd_error;          /* its message */
	const pl_node *crd_where; /* where */
} kind_entry;

typedef struct state {
	pl_map curated; /* file name -> pl_schema */
	pl_vec owned;   /* pl_schema *: every compiled schema */
	pl_vec files;   /* pl_file *: curated and folder schema files */
	pl_map kinds;   /* key -> kind_entry (bound) */
	pl_vec entries; /* kind_entry * */
	bool strict;
	/* the info finding for a kind without a schema: only when the
	 * user asked for coverage (--schema-location or --strict), so a
	 * plain check of a repository full of custom resources stays quiet */
	bool report_missing;
	/* owned and files past these counts come from a bind (CRDs,
	 * --schema-location files): the next bind drops them */
	size_t prepared_owned, prepared_files;
} state;

/* "apps/v1" -> "deployment-apps-v1.json"; "v1" -> "secret-v1.json" */
static void file_name(char *out, size_t size, const char *api_version,
                      const char *kind)
{
	const char *slash = strchr(api_version, '/');
	size_t i, n;
	if (slash) {
		size_t glen = strcspn(api_version, "./");
		snprintf(out, size, "%s-%.*s-%s.json", kind, (int)glen,
		         api_version, slash + 1);
	} else {
		snprintf(out, size, "%s-%s.json", kind, api_version);
	}
	n = strlen(out);
	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
}

static pl_file *new_file(state *st)
{
	pl_file *f = pl_xcalloc(1, sizeof(*f));
	pl_file_init(f);
	*(pl_file **)pl_vec_push(&st->files) = f;
	return f;
}

static int compile(state *st, const pl_schema **out, const pl_node *root,
                   const char *path, pl_error *err)
{
	pl_schema_opts opts = {PL_SCHEMA_DRAFT_7, path, false, true, false};
	pl_schema *s = NULL;
	int rc = pl_schema_new(&s, root, &opts, err);
	if (rc)
		return rc;
	*(pl_schema **)pl_vec_push(&st->owned) = s;
	*out = s;
	return 0;
}

/* Parses one schema file held in f; exactly one document. */
static int compile_file(state *st, const pl_schema **out, pl_file *f,
                        const pl_limits *limits, pl_error *err)
{
	f->src.kind = PL_SOURCE_YAML;
	pl_file_load(f, limits);
	if (f->tree.problem != PL_TREE_OK)
		return pl_error_set(err, PL_EPARSE, f->src.path, &f->tree.where,
		                    "%s", f->tree.message);
	if (f->tree.ndocs != 1 || !f->tree.docs[0].root)
		return pl_error_set(err, PL_EPARSE, f->src.path, NULL,
		                    "not a schema: want exactly one document");
	return compile(st, out, f->tree.docs[0].root, f->src.path, err);
}

static void release(void *arg)
{
	state *st = arg;
	size_t i;
	if (!st)
		return;
	for (i = 0; i < st->owned.len; i++)
		pl_schema_free(*(pl_schema **)pl_vec_at(&st->owned, i));
	for (i = 0; i < st->files.len; i++) {
		pl_file *f = *(pl_file **)pl_vec_at(&st->files, i);
		pl_file_release(f);
		free(f);
	}
	for (i = 0; i < st->entries.len; i++) {
		kind_entry *e = *(kind_entry **)pl_vec_at(&st->entries, i);
		free(e->key);
		free(e->crd_error);
		free(e);
	}
	pl_vec_release(&st->owned);
	pl_vec_release(&st->files);
	pl_vec_release(&st->entries);
	pl_map_release(&st->curated);
	pl_map_release(&st->kinds);
	free(st);
}

static int prepare(void **out, pl_error *err)
{
	state *st = pl_xcalloc(1, sizeof(*st));
	pl_limits limits;
	size_t i;
	pl_limits_default(&limits);
	pl_map_init(&st->curated);
	pl_map_init(&st->kinds);
	pl_vec_init(&st->owned, sizeof(pl_schema *));
	pl_vec_init(&st->files, sizeof(pl_file *));
	pl_vec_init(&st->entries, sizeof(kind_entry *));
	for (i = 0; i < pl_builtin_kinds_len; i++) {
		const pl_pack *k = &pl_builtin_kinds[i];
		pl_file *f = new_file(st);
		const pl_schema *s = NULL;
		const char *base = strrchr(k->path, '/');
		char *copy = pl_xmalloc(k->len + 1);
		int rc;
		memcpy(copy, k->data, k->len);
		copy[k->len] = '\0';
		pl_source_read_mem(&f->src, k->path, copy, k->len, &limits);
		rc = compile_file(st, &s, f, &limits, err);
		if (rc) {
			release(st);
			return rc;
		}
		base = base ? base + 1 : k->path;
		pl_map_put(&st->curated, base, strlen(base), (void *)s, NULL);
	}
	st->prepared_owned = st->owned.len;
	st->prepared_files = st->files.len;
	*out = st;
	return 0;
}

/* What the last bind found in its model: a session lints many times
 * with one registry (run/session.h, `plumb lsp`), and the objects of the
 * last lint are gone. The curated schemas stay compiled. */
static void unbind(state *st)
{
	size_t i;
	for (i = st->prepared_owned; i < st->owned.len; i++)
		pl_schema_free(*(pl_schema **)pl_vec_at(&st->owned, i));
	st->owned.len = st->prepared_owned;
	for (i = st->prepared_files; i < st->files.len; i++) {
		pl_file *f = *(pl_file **)pl_vec_at(&st->files, i);
		pl_file_release(f);
		free(f);
	}
	st->files.len = st->prepared_files;
	for (i = 0; i < st->entries.len; i++) {
		kind_entry *e = *(kind_entry **)pl_vec_at(&st->entries, i);
		free(e->key);
		free(e->crd_error);
		free(e);
	}
	st->entries.len = 0;
	pl_map_reset(&st->kinds);
}

static kind_entry *entry_for(state *st, const char *api_version,
                             const char *kind)
{
	char key[512];
	kind_entry *e;
	snprintf(key, sizeof(key), "%s/%s", api_version, kind);
	e = pl_map_get(&st->kinds, key, strlen(key));
	if (e)
		return e;
	e = pl_xcalloc(1, sizeof(*e));
	e->key = pl_xstrdup(key);
	pl_map_put(&st->kinds, e->key, strlen(e->key), e, NULL);
	*(kind_entry **)pl_vec_push(&st->entries) = e;
	return e;
}

/* Adds the schema of each served version of one CRD (first one wins). */
static void add_crd(state *st, const pl_object *obj)
{
	const pl_node *spec = pl_node_get(obj->root, "spec");
	const pl_node *names = pl_node_get(spec, "names");
	const pl_node *versions = pl_node_deref(pl_node_get(spec, "versions"));
	const char *group = pl_node_get_str(spec, "group");
	const char *kind = pl_node_get_str(names, "kind");
	size_t i;

	if (!group || !kind || !versions || versions->kind != PL_NODE_SEQUENCE)
		return;
	for (i = 0; i < versions->u.seq.len; i++) {
		const pl_node *v = pl_node_deref(versions->u.seq.items[i]);
		const char *name = pl_node_get_str(v, "name");
		const pl_node *sch = pl_node_get(pl_node_get(v, "schema"),
		                                 "openAPIV3Schema");
		char av[512];
		kind_entry *e;
		pl_error err;
		if (!name || !sch)
			continue;
		snprintf(av, sizeof(av), "%s/%s", group, name);
		e = entry_for(st, av, kind);
		if (e->schema || e->crd)
			continue;
		e->from = obj;
		pl_error_clear(&err);
		if (compile(st, &e->schema, sch, obj->file->src.path, &err)) {
			/* a broken CRD is a finding on it, not a run error */
			e->crd = obj;
			e->crd_error = pl_xstrdup(err.msg);
			e->crd_where = sch;
		}
	}
}

/* The schema of a kind from the --schema-location folders, or NULL. */
static int from_dirs(state *st, const pl_schema **out, const char *api_version,
                     const char *kind, const pl_rule_env *env, pl_error *err)
{
	char name[512];
	pl_buf path;
	size_t i;
	int rc = 0;

	file_name(name, sizeof(name), api_version, kind);
	pl_buf_init(&path, 0);
	for (i = 0; i < env->nschema_dirs; i++) {
		pl_file *f;
		pl_buf_reset(&path);
		pl_buf_addf(&path, "%s/%s", env->schema_dirs[i], name);
		if (access(path.ptr, R_OK) != 0)
			continue;
		f = new_file(st);
		pl_source_read_file(&f->src, path.ptr, path.ptr, env->limits);
		if (f->src.kind == PL_SOURCE_SKIPPED)
			rc = pl_error_set(err, PL_EIO, NULL, NULL,
			                  "cannot read schema '%s'", path.ptr);
		else
			rc = compile_file(st, out, f, env->limits, err);
		break;
	}
	pl_buf_release(&path);
	return rc;
}

static bool skipped(const pl_object *obj)
{
	/* kustomize's own files and patches are not objects of the
	 * cluster; a SOPS-encrypted document is one only once decrypted */
	return !obj->is_k8s || obj->file->kustomize_patch ||
	       strncmp(obj->api_version, "kustomize.config.k8s.io/", 24) == 0 ||
	       pl_node_get(obj->root, "sops") != NULL;
}

static bool is_crd(const pl_object *o)
{
	return o->is_k8s && strcmp(o->kind, "CustomResourceDefinition") == 0 &&
	       strcmp(o->api_version, "apiextensions.k8s.io/v1") == 0;
}

static int bind(void *arg, const pl_model *m, const pl_rule_env *env,
                pl_error *err)
{
	state *st = arg;
	const pl_file *const *files;
	const pl_object *const *rendered;
	size_t nfiles, nrendered, i, k;

	unbind(st);
	st->strict = env->strict;
	st->report_missing = env->strict || env->nschema_dirs > 0;
	files = pl_model_files(m, &nfiles);
	rendered = pl_model_rendered(m, &nrendered);
	/* a CRD as the cluster gets it: a kustomization's patch may add
	 * to its schema (an enum value, a field) */
	for (i = 0; i < nrendered; i++)
		if (is_crd(rendered[i]))
			add_crd(st, rendered[i]);
	for (i = 0; i < nfiles; i++)
		for (k = 0; k < files[i]->nobjects; k++) {
			const pl_object *o = &files[i]->objects[k];
			if (!o->rendered && is_crd(o))
				add_crd(st, o);
		}
	for (i = 0; i < nfiles; i++)
		for (k = 0; k < files[i]->nobjects; k++) {
			const pl_object *o = &files[i]->objects[k];
			char name[512];
			kind_entry *e;
			int rc;
			if (skipped(o))
				continue;
			e = entry_for(st, o->api_version, o->kind);
			if (e->schema || e->crd || e->first)
				continue;
			rc = from_dirs(st, &e->schema, o->api_version, o->kind,
			               env, err);
			if (rc)
				return rc;
			file_name(name, sizeof(name), o->api_version, o->kind);
			if (!e->schema)
				e->schema = pl_map_get(&st->curated, name,
				                       strlen(name));
			if (!e->schema)
				e->first = o;
		}
	return 0;
}

/* `name: {{ .ns }}` is a Go/Helm template, rendered before the API
 * server sees it; YAML reads it as a flow mapping, which no schema
 * should judge. */
static bool template_value(const pl_object *obj, const pl_node *n)
{
	const char *data = obj->file->src.data;
	size_t off;
	if (!n || !data || n->kind == PL_NODE_SCALAR)
		return false;
	off = n->span.start.offset;
	return off + 1 < obj->file->src.len && data[off] == '{' &&
	       data[off + 1] == '{';
}

/* In a Pulumi YAML program, `${res.prop}` and `fn::` calls are values
 * Pulumi computes at deploy time: no schema can judge them here. */
static bool pulumi_value(const pl_object *obj, const pl_node *n)
{
	const pl_node *k;

	n = pl_node_deref(n);
	if (!obj->pulumi || !n)
		return false;
	if (n->kind == PL_NODE_SCALAR)
		return n->type == PL_TYPE_STRING &&
		       strstr(n->u.scalar.str, "${");
	if (n->kind != PL_NODE_MAPPING || n->u.map.len != 1)
		return false;
	k = pl_node_deref(n->u.map.pairs[0].key);
	return k && k->kind == PL_NODE_SCALAR &&
	       strncmp(k->u.scalar.str, "fn::", 4) == 0;
}

static void check(pl_ctx *ctx, const pl_object *obj)
{
	const state *st = pl_ctx_state(ctx);
	const pl_schema *s = NULL;
	const kind_entry *e = NULL;
	pl_schema_result res;
	char key[512], q[160];
	size_t i;

	if (!st || skipped(obj))
		return;
	snprintf(key, sizeof(key), "%s/%s", obj->api_version, obj->kind);
	e = pl_map_get(&st->kinds, key, strlen(key));
	if (strcmp(obj->kind, "CustomResourceDefinition") == 0) {
		/* the versions of this CRD whose schema does not compile */
		for (i = 0; i < st->entries.len; i++) {
			const kind_entry *x = *(kind_entry *const *)pl_vec_at(
			        &st->entries, i);
			const pl_schema_error *p;
			size_t np = 0, k;
			if (x->crd == obj)
				pl_emit(ctx, x->crd_where,
				        "openAPIV3Schema of %s does not "
				        "compile: %s",
				        x->key, x->crd_error);
			/* its CEL rules that do not compile, once here
			 * rather than on every object of the kind */
			p = x->from == obj && x->schema
			            ? pl_schema_problems(x->schema, &np)
			            : NULL;
			for (k = 0; k < np; k++)
				pl_emit(ctx, p[k].node, "%s", p[k].message);
		}
	}
	if (e)
		s = e->schema;
	else {
		/* not bound (outside a run): the curated schemas only */
		char name[512];
		file_name(name, sizeof(name), obj->api_version, obj->kind);
		s = pl_map_get(&st->curated, name, strlen(name));
	}
	if (!s) {
		if (st->report_missing && e && e->first == obj && !e->crd)
			pl_emit_sev(ctx, PL_SEV_INFO, obj->root->span,
			            "add a CustomResourceDefinition to the "
			            "repository or pass --schema-location DIR",
			            "no schema for kind %s (%s): its objects "
			            "are not validated",
			            pl_quote(q, sizeof(q), obj->kind,
			                     strlen(obj->kind), 60),
			            obj->api_version);
		return;
	}
	pl_schema_result_init(&res);
	pl_schema_validate(&res, s, obj->root,
	                   st->strict ? PL_SCHEMA_STRICT : 0,
	                   pl_ctx_scratch(ctx));
	for (i = 0; i < res.errors.len; i++) {
		const pl_schema_error *x = pl_vec_at(&res.errors, i);
		if (template_value(obj, x->node) || pulumi_value(obj, x->node))
			continue;
		pl_emit(ctx, x->node, "%s: %s", pl_schema_path_text(x->path),
		        x->message);
	}
	if (res.dropped)
		pl_emit(ctx, obj->root,
		        "%zu more schema errors in this "
		        "document not shown",
		        res.dropped);
	pl_schema_result_release(&res);
}

const pl_rule pl_rule_schema_invalid = {
        .id = "schema/invalid",
        .severity = PL_SEV_ERROR,
        .summary = "An object breaks the JSON Schema of its kind",
        .help = "The API server would refuse the object (a wrong type, a "
                "missing required field, a value outside its enum; a null "
                "is an absent field, as the API server reads it), or, "
                "with --strict, drop an unknown field silently (a typo "
                "such as imagePullpolicy), or a CRD's "
                "x-kubernetes-validations rule (CEL) is false: the "
                "finding is the rule's message (after Forbidden:, "
                "Required value: or Duplicate value: when its reason "
                "says so, as the API server words it), at the node the "
                "rule is attached to (or its fieldPath). Transition "
                "rules, which read oldSelf, need the previous revision "
                "and are not evaluated; a rule that does not compile, "
                "whose messageExpression does not compile or whose "
                "reason is unknown is reported once, on the CRD, and "
                "not run.\n"
                "Schemas come from the CustomResourceDefinitions in the "
                "linted files, then --schema-location folders in "
                "kubeconform's layout ({kind}-{group}-{version}.json), "
                "then the curated schemas shipped with plumb (the Flux "
                "kinds with the CEL rules of Flux's CRDs). With "
                "--schema-location or --strict, a kind without a schema "
                "is one info finding per run, on its first object.\n"
                "Fix: correct the value at the reported path (quote "
                "nothing that must be a number: containerPort: 80), or "
                "the schema if it is the one that is wrong.",
        .scope = PL_SCOPE_OBJECT,
        .check_object = check,
        .prepare = prepare,
        .release = release,
        .bind = bind,
        .example = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\n"
                   "spec:\n  containers:\n    - name: web\n      image: "
                   "nginx:1.27\n      ports:\n        - containerPort: "
                   "\"80\"\n",
        .reads = PL_KINDS("CustomResourceDefinition"),
        .tags = PL_TAGS("schema"),
        .precision = PL_PRECISION_HIGH,
};
