/*
 * workload.c - pod specs, containers and env (workload.h).
 *
 * Field names and meanings are those of the Kubernetes core/v1 PodSpec,
 * Container, EnvVar and EnvFromSource types. Every step goes through
 * pl_node_get, which follows aliases and answers NULL for a non-mapping,
 * so a malformed tree (spec: "x", containers: {a: b}) reads as absent.
 */
#include "model/workload.h"

#define PATH_MAX_STEPS 4

/* Where the pod template sits in each workload kind; sorted by kind. An
 * empty path means the object itself is the template (a Pod). */
static const struct pod_path {
	const char *kind;
	const char *steps[PATH_MAX_STEPS + 1];
} pod_paths[] = {
        {"CronJob", {"spec", "jobTemplate", "spec", "template", NULL}},
        {"DaemonSet", {"spec", "template", NULL}},
        {"Deployment", {"spec", "template", NULL}},
        {"Job", {"spec", "template", NULL}},
        {"Pod", {NULL}},
        {"ReplicaSet", {"spec", "template", NULL}},
        {"ReplicationController", {"spec", "template", NULL}},
        {"StatefulSet", {"spec", "template", NULL}},
};

static const struct pod_path *find_pod_path(const char *kind)
{
	size_t i;

	if (!kind)
		return NULL;
	for (i = 0; i < PL_ARRAY_SIZE(pod_paths); i++)
		if (strcmp(pod_paths[i].kind, kind) == 0)
			return &pod_paths[i];
	return NULL;
}

static const pl_node *as_mapping(const pl_node *n)
{
	n = pl_node_deref(n);
	return n && n->kind == PL_NODE_MAPPING ? n : NULL;
}

static const pl_node *as_sequence(const pl_node *n)
{
	n = pl_node_deref(n);
	return n && n->kind == PL_NODE_SEQUENCE ? n : NULL;
}

/* A scalar other than null: `name: ~` names nothing. */
static const pl_node *as_scalar(const pl_node *n)
{
	n = pl_node_deref(n);
	if (!n || n->kind != PL_NODE_SCALAR || n->type == PL_TYPE_NULL)
		return NULL;
	return n;
}

bool pl_workload_pod_template(const pl_object *o, const pl_node **out)
{
	const struct pod_path *p = find_pod_path(o ? o->kind : NULL);
	const pl_node *n;
	size_t i;

	*out = NULL;
	if (!p)
		return false;
	n = as_mapping(o->root);
	for (i = 0; n && p->steps[i]; i++)
		n = as_mapping(pl_node_get(n, p->steps[i]));
	*out = n;
	return n != NULL;
}

bool pl_workload_pod_spec(const pl_object *o, const pl_node **out)
{
	const pl_node *tpl;

	*out = NULL;
	if (!pl_workload_pod_template(o, &tpl))
		return false;
	*out = as_mapping(pl_node_get(tpl, "spec"));
	return *out != NULL;
}

/* The container lists in iteration order, with the bit selecting each. */
static const struct container_list {
	const char *key;
	pl_container_kind kind;
} container_lists[] = {
        {"initContainers", PL_CONTAINER_INIT},
        {"containers", PL_CONTAINER_APP},
        {"ephemeralContainers", PL_CONTAINER_EPHEMERAL},
};

const char *pl_container_list_key(pl_container_kind kind)
{
	size_t i;

	for (i = 0; i < PL_ARRAY_SIZE(container_lists); i++)
		if (container_lists[i].kind == kind)
			return container_lists[i].key;
	return "containers";
}

void pl_container_iter_init(pl_container_iter *it, const pl_node *pod_spec,
                            unsigned which)
{
	memset(it, 0, sizeof(*it));
	it->pod_spec = as_mapping(pod_spec);
	it->which = which;
	if (!it->pod_spec)
		it->list = PL_ARRAY_SIZE(container_lists);
}

static void fill_container(pl_container *out, const pl_node *node,
                           pl_container_kind kind, size_t index)
{
	memset(out, 0, sizeof(*out));
	out->node = node;
	out->name = as_scalar(pl_node_get(node, "name"));
	out->image = as_scalar(pl_node_get(node, "image"));
	out->env = as_sequence(pl_node_get(node, "env"));
	out->env_from = as_sequence(pl_node_get(node, "envFrom"));
	out->kind = kind;
	out->index = index;
}

bool pl_container_next(pl_container_iter *it, pl_container *out)
{
	while (it->list < PL_ARRAY_SIZE(container_lists)) {
		const struct container_list *l = &container_lists[it->list];
		const pl_node *seq = NULL;

		if (it->which & (unsigned)l->kind)
			seq = as_sequence(pl_node_get(it->pod_spec, l->key));
		while (seq && it->next < seq->u.seq.len) {
			size_t i = it->next++;
			const pl_node *c = as_mapping(seq->u.seq.items[i]);
			if (c) {
				fill_container(out, c, l->kind, i);
				return true;
			}
		}
		it->list++;
		it->next = 0;
	}
	return false;
}

static void seq_iter_init(pl_env_iter *it, const pl_node *seq)
{
	it->seq = as_sequence(seq);
	it->next = 0;
}

/* The next mapping of the sequence, or NULL; *index is its position. */
static const pl_node *seq_next(pl_env_iter *it, size_t *index)
{
	while (it->seq && it->next < it->seq->u.seq.len) {
		size_t i = it->next++;
		const pl_node *m = as_mapping(it->seq->u.seq.items[i]);
		if (m) {
			*index = i;
			return m;
		}
	}
	return NULL;
}

void pl_env_iter_init(pl_env_iter *it, const pl_container *c)
{
	seq_iter_init(it, c->env);
}

bool pl_env_next(pl_env_iter *it, pl_env_var *out)
{
	size_t index;
	const pl_node *m = seq_next(it, &index);

	if (!m)
		return false;
	memset(out, 0, sizeof(*out));
	out->node = m;
	out->name = as_scalar(pl_node_get(m, "name"));
	out->value = pl_node_get(m, "value");
	out->value_from = pl_node_get(m, "valueFrom");
	out->index = index;
	return true;
}

void pl_env_from_iter_init(pl_env_iter *it, const pl_container *c)
{
	seq_iter_init(it, c->env_from);
}

bool pl_env_from_next(pl_env_iter *it, pl_env_from *out)
{
	size_t index;
	const pl_node *m = seq_next(it, &index);
	const pl_node *cm, *secret, *opt;

	if (!m)
		return false;
	memset(out, 0, sizeof(*out));
	out->node = m;
	out->index = index;
	out->prefix = as_scalar(pl_node_get(m, "prefix"));
	cm = as_mapping(pl_node_get(m, "configMapRef"));
	secret = as_mapping(pl_node_get(m, "secretRef"));
	out->source = cm       ? PL_ENV_FROM_CONFIGMAP
	              : secret ? PL_ENV_FROM_SECRET
	                       : PL_ENV_FROM_NONE;
	out->ref = cm ? cm : secret;
	if (!out->ref)
		return true;
	out->name = as_scalar(pl_node_get(out->ref, "name"));
	opt = as_scalar(pl_node_get(out->ref, "optional"));
	out->optional = opt && opt->type == PL_TYPE_BOOL && opt->u.scalar.b;
	return true;
}

bool pl_container_env_find(const pl_container *c, const char *name,
                           pl_env_var *out)
{
	pl_env_iter it;
	pl_env_var v;
	bool found = false;

	pl_env_iter_init(&it, c);
	while (pl_env_next(&it, &v)) {
		if (pl_node_is_str(v.name, name)) {
			*out = v;
			found = true;
		}
	}
	return found;
}

const pl_node *pl_container_env_value(const pl_container *c, const char *name)
{
	pl_env_var v;

	if (!pl_container_env_find(c, name, &v))
		return NULL;
	return v.value;
}

/* Whether obj (a ConfigMap or Secret) has `key` in one of its key maps. */
static bool object_has_key(const pl_object *obj, pl_env_source source,
                           const char *key)
{
	const char *maps[2] = {"data", NULL};
	size_t i;

	maps[1] = source == PL_ENV_FROM_SECRET ? "stringData" : "binaryData";
	for (i = 0; i < PL_ARRAY_SIZE(maps); i++) {
		const pl_node *m = as_mapping(pl_node_get(obj->root, maps[i]));
		if (m && pl_node_get_pair(m, key))
			return true;
	}
	return false;
}

/* What one envFrom source says about `name`. */
static pl_env_answer source_defines(const pl_env_from *src, const char *name,
                                    const char *ns, pl_object_lookup lookup,
                                    void *arg)
{
	const char *kind =
	        src->source == PL_ENV_FROM_SECRET ? "Secret" : "ConfigMap";
	const pl_object *obj = NULL;
	size_t plen = 0, n;

	if (src->prefix) {
		plen = src->prefix->u.scalar.len;
		if (strncmp(name, src->prefix->u.scalar.str, plen) != 0)
			return PL_ENV_UNDEFINED;
	}
	/* an entry we cannot read may still work in the cluster */
	if (src->source == PL_ENV_FROM_NONE || !src->name || !lookup)
		return PL_ENV_UNKNOWN;
	for (n = 0; n < PL_ENV_LOOKUP_MAX; n++) {
		obj = lookup(arg, kind, ns, src->name->u.scalar.str, obj);
		if (!obj)
			break;
		if (object_has_key(obj, src->source, name + plen))
			return PL_ENV_DEFINED;
	}
	/* found but without the key: undefined; never found: unknown */
	return n > 0 ? PL_ENV_UNDEFINED : PL_ENV_UNKNOWN;
}

pl_env_answer pl_container_env_defines(const pl_container *c, const char *name,
                                       const char *ns, pl_object_lookup lookup,
                                       void *arg)
{
	pl_env_var v;
	pl_env_iter it;
	pl_env_from src;
	pl_env_answer answer = PL_ENV_UNDEFINED;

	if (pl_container_env_find(c, name, &v))
		return PL_ENV_DEFINED;
	pl_env_from_iter_init(&it, c);
	while (pl_env_from_next(&it, &src)) {
		pl_env_answer a = source_defines(&src, name, ns, lookup, arg);
		if (a == PL_ENV_DEFINED)
			return a;
		if (a == PL_ENV_UNKNOWN)
			answer = a;
	}
	return answer;
}
