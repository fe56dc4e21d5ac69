/*
 * kustomize_node.c - rendered nodes of the build model: deep copies of
 * typed-tree nodes that transformers may change, each keeping the file
 * and node it came from. Arena-allocated; a grown array leaves its old
 * copy in the arena (builds are short-lived, the waste is bounded by the
 * number of edits).
 */
#include "model/kustomize_impl.h"
#include "tree/scalar.h"

static void grow(pl_arena *a, pl_knode *n)
{
	size_t cap = n->cap ? n->cap * 2 : 4;
	if (n->kind == PL_NODE_SEQUENCE) {
		pl_knode **items = pl_arena_alloc(a, cap * sizeof(*items));
		if (n->n)
			memcpy(items, n->items, n->n * sizeof(*items));
		n->items = items;
	} else {
		pl_kpair *pairs = pl_arena_alloc(a, cap * sizeof(*pairs));
		if (n->n)
			memcpy(pairs, n->pairs, n->n * sizeof(*pairs));
		n->pairs = pairs;
	}
	n->cap = cap;
}

pl_knode *kz_collection(pl_arena *a, pl_node_kind kind, const pl_file *f,
                        const pl_node *origin)
{
	pl_knode *k = pl_arena_zalloc(a, sizeof(*k));
	k->kind = (uint8_t)kind;
	k->style = PL_STYLE_BLOCK;
	k->file = f;
	k->origin = origin;
	return k;
}

pl_knode *kz_scalar(pl_arena *a, const char *s, const pl_file *f,
                    const pl_node *origin)
{
	pl_knode *k = pl_arena_zalloc(a, sizeof(*k));
	k->kind = PL_NODE_SCALAR;
	k->style = PL_STYLE_ANY;
	k->type = PL_TYPE_STRING;
	k->len = strlen(s);
	k->str = pl_arena_strndup(a, s, k->len);
	k->file = f;
	k->origin = origin;
	return k;
}

void kz_append(pl_arena *a, pl_knode *seq, pl_knode *item)
{
	if (seq->n == seq->cap)
		grow(a, seq);
	seq->items[seq->n++] = item;
}

static void add_pair(pl_arena *a, pl_knode *m, pl_knode *key, pl_knode *v)
{
	if (m->n == m->cap)
		grow(a, m);
	m->pairs[m->n].key = key;
	m->pairs[m->n].value = v;
	m->n++;
}

pl_knode *kz_from_node(pl_arena *a, const pl_file *f, const pl_node *n)
{
	pl_knode *k;
	size_t i;

	n = pl_node_deref(n);
	if (!n)
		return NULL;
	if (n->kind == PL_NODE_SCALAR) {
		k = pl_arena_zalloc(a, sizeof(*k));
		k->kind = PL_NODE_SCALAR;
		k->style = n->style;
		k->type = n->type;
		k->str = n->u.scalar.str;
		k->len = n->u.scalar.len;
		k->file = f;
		k->origin = n;
		return k;
	}
	k = kz_collection(a, (pl_node_kind)n->kind, f, n);
	k->style = n->style;
	if (n->kind == PL_NODE_SEQUENCE) {
		for (i = 0; i < n->u.seq.len; i++) {
			pl_knode *item = kz_from_node(a, f, n->u.seq.items[i]);
			if (item)
				kz_append(a, k, item);
		}
		return k;
	}
	for (i = 0; i < n->u.map.len; i++) {
		const pl_pair *p = &n->u.map.pairs[i];
		pl_knode *key = kz_from_node(a, f, p->key);
		pl_knode *v = kz_from_node(a, f, p->value);
		pl_kpair *old;
		if (!key || key->kind != PL_NODE_SCALAR)
			continue;
		if (!v) {
			v = kz_scalar(a, "", f, p->key);
			v->type = PL_TYPE_NULL;
		}
		/* the last of duplicate keys wins, as in Kubernetes */
		old = kz_get_pair(k, key->str);
		if (old) {
			old->value = v;
			continue;
		}
		add_pair(a, k, key, v);
	}
	return k;
}

pl_knode *kz_copy(pl_arena *a, const pl_knode *n)
{
	pl_knode *k;
	size_t i;
	if (!n)
		return NULL;
	k = pl_arena_alloc(a, sizeof(*k));
	*k = *n;
	k->items = NULL;
	k->pairs = NULL;
	k->n = k->cap = 0;
	if (n->kind == PL_NODE_SEQUENCE) {
		for (i = 0; i < n->n; i++)
			kz_append(a, k, kz_copy(a, n->items[i]));
	} else if (n->kind == PL_NODE_MAPPING) {
		for (i = 0; i < n->n; i++)
			add_pair(a, k, n->pairs[i].key,
			         kz_copy(a, n->pairs[i].value));
	}
	return k;
}

pl_kpair *kz_get_pair(const pl_knode *m, const char *key)
{
	size_t i;
	if (!m || m->kind != PL_NODE_MAPPING)
		return NULL;
	for (i = 0; i < m->n; i++)
		if (strcmp(m->pairs[i].key->str, key) == 0)
			return &m->pairs[i];
	return NULL;
}

pl_knode *pl_knode_get(const pl_knode *m, const char *key)
{
	pl_kpair *p = kz_get_pair(m, key);
	return p ? p->value : NULL;
}

const char *pl_knode_get_str(const pl_knode *m, const char *key)
{
	pl_knode *v = pl_knode_get(m, key);
	if (!v || v->kind != PL_NODE_SCALAR || v->type == PL_TYPE_NULL)
		return NULL;
	return v->str;
}

void kz_set(pl_arena *a, pl_knode *m, const char *key, pl_knode *v)
{
	pl_kpair *p = kz_get_pair(m, key);
	if (p) {
		p->value = v;
		return;
	}
	add_pair(a, m, kz_scalar(a, key, v->file, v->origin), v);
}

void kz_set_str(pl_arena *a, pl_knode *m, const char *key, const char *s,
                const pl_file *f, const pl_node *origin)
{
	kz_set(a, m, key, kz_scalar(a, s, f, origin));
}

bool kz_del(pl_knode *m, const char *key)
{
	size_t i;
	if (!m || m->kind != PL_NODE_MAPPING)
		return false;
	for (i = 0; i < m->n; i++) {
		if (strcmp(m->pairs[i].key->str, key) == 0) {
			memmove(&m->pairs[i], &m->pairs[i + 1],
			        (m->n - i - 1) * sizeof(m->pairs[0]));
			m->n--;
			return true;
		}
	}
	return false;
}

pl_knode *kz_ensure_map(pl_arena *a, pl_knode *m, const char *key,
                        const pl_file *f, const pl_node *origin)
{
	pl_knode *v = pl_knode_get(m, key);
	if (v && v->kind == PL_NODE_MAPPING)
		return v;
	v = kz_collection(a, PL_NODE_MAPPING, f, origin);
	kz_set(a, m, key, v);
	return v;
}

bool kz_is(const pl_knode *n, const char *s)
{
	return n && n->kind == PL_NODE_SCALAR && strcmp(n->str, s) == 0;
}

bool kz_equal(const pl_knode *x, const pl_knode *y)
{
	size_t i;
	if (!x || !y)
		return x == y;
	if (x->kind != y->kind || x->n != y->n)
		return false;
	if (x->kind == PL_NODE_SCALAR)
		return x->len == y->len && memcmp(x->str, y->str, x->len) == 0;
	for (i = 0; i < x->n; i++) {
		if (x->kind == PL_NODE_SEQUENCE) {
			if (!kz_equal(x->items[i], y->items[i]))
				return false;
		} else {
			pl_knode *w = pl_knode_get(y, x->pairs[i].key->str);
			if (!kz_equal(x->pairs[i].value, w))
				return false;
		}
	}
	return true;
}

/* --- objects ------------------------------------------------------------ */

const char *kz_kind(const pl_kobject *o)
{
	return pl_knode_get_str(o->root, "kind");
}

const char *kz_api_version(const pl_kobject *o)
{
	return pl_knode_get_str(o->root, "apiVersion");
}

const char *kz_name(const pl_kobject *o)
{
	return pl_knode_get_str(pl_knode_get(o->root, "metadata"), "name");
}

const char *kz_namespace(const pl_kobject *o)
{
	return pl_knode_get_str(pl_knode_get(o->root, "metadata"), "namespace");
}

void kz_remember_id(pl_arena *a, pl_kobject *o)
{
	const char *name = kz_name(o), *ns = kz_namespace(o);
	if (o->nids) {
		pl_kid *last = &o->ids[o->nids - 1];
		if (last->name && name && strcmp(last->name, name) == 0 &&
		    ((!last->ns && !ns) ||
		     (last->ns && ns && strcmp(last->ns, ns) == 0)))
			return;
	}
	if (o->nids == o->capids) {
		size_t cap = o->capids ? o->capids * 2 : 4;
		pl_kid *ids = pl_arena_alloc(a, cap * sizeof(*ids));
		if (o->nids)
			memcpy(ids, o->ids, o->nids * sizeof(*ids));
		o->ids = ids;
		o->capids = cap;
	}
	o->ids[o->nids].name = name;
	o->ids[o->nids].ns = ns;
	o->nids++;
}

void kz_group_version(const char *api_version, char *group, size_t gsize,
                      const char **version)
{
	const char *slash = api_version ? strrchr(api_version, '/') : NULL;
	if (!api_version) {
		snprintf(group, gsize, "%s", "");
		*version = "";
		return;
	}
	if (!slash) {
		snprintf(group, gsize, "%s", "");
		*version = api_version;
		return;
	}
	snprintf(group, gsize, "%.*s", (int)(slash - api_version), api_version);
	*version = slash + 1;
}

/*
 * kustomize's table of cluster-scoped kinds (kyaml/openapi, schema of
 * Kubernetes v1.21.2, as embedded in kustomize v5.5.0): an exact
 * (group, version, kind) match; anything else, CRs included, is
 * namespaced.
 */
static const char *const cluster_scoped[] = {
        "admissionregistration.k8s.io/v1 MutatingWebhookConfiguration",
        "admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration",
        "admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration",
        "admissionregistration.k8s.io/v1beta1 "
        "ValidatingWebhookConfiguration",
        "apiextensions.k8s.io/v1 CustomResourceDefinition",
        "apiextensions.k8s.io/v1beta1 CustomResourceDefinition",
        "apiregistration.k8s.io/v1 APIService",
        "apiregistration.k8s.io/v1beta1 APIService",
        "certificates.k8s.io/v1 CertificateSigningRequest",
        "certificates.k8s.io/v1beta1 CertificateSigningRequest",
        "flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema",
        "flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration",
        "networking.k8s.io/v1 IngressClass",
        "networking.k8s.io/v1beta1 IngressClass",
        "node.k8s.io/v1 RuntimeClass",
        "node.k8s.io/v1beta1 RuntimeClass",
        "policy/v1beta1 PodSecurityPolicy",
        "rbac.authorization.k8s.io/v1 ClusterRole",
        "rbac.authorization.k8s.io/v1 ClusterRoleBinding",
        "rbac.authorization.k8s.io/v1beta1 ClusterRole",
        "rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding",
        "scheduling.k8s.io/v1 PriorityClass",
        "scheduling.k8s.io/v1beta1 PriorityClass",
        "storage.k8s.io/v1 CSIDriver",
        "storage.k8s.io/v1 CSINode",
        "storage.k8s.io/v1 StorageClass",
        "storage.k8s.io/v1 VolumeAttachment",
        "storage.k8s.io/v1beta1 CSIDriver",
        "storage.k8s.io/v1beta1 CSINode",
        "storage.k8s.io/v1beta1 StorageClass",
        "storage.k8s.io/v1beta1 VolumeAttachment",
        "v1 ComponentStatus",
        "v1 Namespace",
        "v1 Node",
        "v1 PersistentVolume",
};

bool kz_cluster_scoped(const char *api_version, const char *kind)
{
	size_t i, alen;
	if (!api_version || !kind)
		return false;
	alen = strlen(api_version);
	for (i = 0; i < PL_ARRAY_SIZE(cluster_scoped); i++) {
		const char *e = cluster_scoped[i];
		if (strncmp(e, api_version, alen) == 0 && e[alen] == ' ' &&
		    strcmp(e + alen + 1, kind) == 0)
			return true;
	}
	return false;
}
