/*
 * kustomize_ref.c - the name-reference pass kustomize runs once, at the
 * top, after prefixes, suffixes and hashes changed names
 * [K api/internal/konfig/builtinpluginconsts/namereference.go,
 * api/filters/nameref]: a reference in a built-in field to an object of
 * the build, by any name the object had, takes the object's final name.
 * Fields of custom resources (HelmRelease valuesFrom, Flux sourceRef)
 * are not references to kustomize and are left alone.
 *
 * Covered: in pod specs (workloads, their templates, CronJob job
 * templates) ConfigMap and Secret volumes, projected sources, env
 * valueFrom, envFrom, imagePullSecrets, serviceAccountName and
 * PersistentVolumeClaim claims; Ingress TLS secrets and backends'
 * Services; StatefulSet serviceName; (Cluster)RoleBinding roleRef and
 * ServiceAccount subjects (name and namespace).
 */
#include "model/kustomize_impl.h"

static pl_kobject *obj_at(kz_resmap *rm, size_t i)
{
	return *(pl_kobject **)pl_vec_at(&rm->objs, i);
}

static bool ns_eq(const char *a, const char *b)
{
	if (!a || !*a)
		a = "default";
	if (!b || !*b)
		b = "default";
	return strcmp(a, b) == 0;
}

/* The object of kind `kind` that had name `name` in namespace ns (or any
 * namespace when ns is NULL and any_ns), if exactly one did. */
static pl_kobject *find(kz_resmap *rm, const char *kind, const char *name,
                        const char *ns, bool any_ns)
{
	pl_kobject *hit = NULL;
	size_t i, j;
	for (i = 0; i < rm->objs.len; i++) {
		pl_kobject *o = obj_at(rm, i);
		const char *k = kz_kind(o);
		bool match = false;
		if (!k || strcmp(k, kind) != 0)
			continue;
		for (j = 0; j < o->nids && !match; j++)
			match = o->ids[j].name &&
			        strcmp(o->ids[j].name, name) == 0 &&
			        (any_ns || ns_eq(o->ids[j].ns, ns) ||
			         ns_eq(kz_namespace(o), ns));
		if (!match)
			continue;
		if (hit && strcmp(kz_name(hit), kz_name(o)) != 0)
			return NULL;
		hit = o;
	}
	return hit;
}

static void fix(kz_ctx *c, kz_resmap *rm, pl_knode *m, const char *key,
                const char *kind, const char *ns)
{
	pl_kpair *p = kz_get_pair(m, key);
	pl_kobject *o;
	pl_knode *v;
	if (!p || p->value->kind != PL_NODE_SCALAR)
		return;
	o = find(rm, kind, p->value->str, ns, kz_cluster_scoped("v1", kind));
	if (!o || strcmp(kz_name(o), p->value->str) == 0)
		return;
	v = kz_copy(c->arena, p->value);
	v->str = kz_name(o);
	v->len = strlen(v->str);
	v->type = PL_TYPE_STRING;
	p->value = v;
}

static pl_knode *get(pl_knode *m, const char *k)
{
	return pl_knode_get(m, k);
}

static size_t count(const pl_knode *s)
{
	return s && s->kind == PL_NODE_SEQUENCE ? s->n : 0;
}

static void containers(kz_ctx *c, kz_resmap *rm, pl_knode *list, const char *ns)
{
	size_t i, j;
	for (i = 0; i < count(list); i++) {
		pl_knode *ct = list->items[i], *env = get(ct, "env"),
		         *from = get(ct, "envFrom");
		for (j = 0; j < count(env); j++) {
			pl_knode *vf = get(env->items[j], "valueFrom");
			fix(c, rm, get(vf, "configMapKeyRef"), "name",
			    "ConfigMap", ns);
			fix(c, rm, get(vf, "secretKeyRef"), "name", "Secret",
			    ns);
		}
		for (j = 0; j < count(from); j++) {
			fix(c, rm, get(from->items[j], "configMapRef"), "name",
			    "ConfigMap", ns);
			fix(c, rm, get(from->items[j], "secretRef"), "name",
			    "Secret", ns);
		}
	}
}

static void pod_spec(kz_ctx *c, kz_resmap *rm, pl_knode *spec, const char *ns)
{
	pl_knode *vols = get(spec, "volumes"), *ips;
	size_t i, j;
	if (!spec || spec->kind != PL_NODE_MAPPING)
		return;
	containers(c, rm, get(spec, "containers"), ns);
	containers(c, rm, get(spec, "initContainers"), ns);
	containers(c, rm, get(spec, "ephemeralContainers"), ns);
	fix(c, rm, spec, "serviceAccountName", "ServiceAccount", ns);
	fix(c, rm, spec, "serviceAccount", "ServiceAccount", ns);
	ips = get(spec, "imagePullSecrets");
	for (i = 0; i < count(ips); i++)
		fix(c, rm, ips->items[i], "name", "Secret", ns);
	for (i = 0; i < count(vols); i++) {
		pl_knode *v = vols->items[i], *src;
		fix(c, rm, get(v, "configMap"), "name", "ConfigMap", ns);
		fix(c, rm, get(v, "secret"), "secretName", "Secret", ns);
		fix(c, rm, get(v, "persistentVolumeClaim"), "claimName",
		    "PersistentVolumeClaim", ns);
		src = get(get(v, "projected"), "sources");
		for (j = 0; j < count(src); j++) {
			fix(c, rm, get(src->items[j], "configMap"), "name",
			    "ConfigMap", ns);
			fix(c, rm, get(src->items[j], "secret"), "name",
			    "Secret", ns);
		}
	}
}

static bool is(const char *k, const char *want)
{
	return k && strcmp(k, want) == 0;
}

static void ingress(kz_ctx *c, kz_resmap *rm, pl_knode *spec, const char *ns)
{
	pl_knode *tls = get(spec, "tls"), *rules = get(spec, "rules");
	size_t i, j;
	for (i = 0; i < count(tls); i++)
		fix(c, rm, tls->items[i], "secretName", "Secret", ns);
	fix(c, rm, get(get(spec, "defaultBackend"), "service"), "name",
	    "Service", ns);
	fix(c, rm, get(spec, "backend"), "serviceName", "Service", ns);
	for (i = 0; i < count(rules); i++) {
		pl_knode *paths = get(get(rules->items[i], "http"), "paths");
		for (j = 0; j < count(paths); j++) {
			pl_knode *b = get(paths->items[j], "backend");
			fix(c, rm, get(b, "service"), "name", "Service", ns);
			fix(c, rm, b, "serviceName", "Service", ns);
		}
	}
}

static void subjects(kz_ctx *c, kz_resmap *rm, pl_knode *list, const char *ns)
{
	size_t i;
	for (i = 0; i < count(list); i++) {
		pl_knode *s = list->items[i];
		const char *name = pl_knode_get_str(s, "name");
		const char *sns = pl_knode_get_str(s, "namespace");
		pl_kobject *o;
		if (!is(pl_knode_get_str(s, "kind"), "ServiceAccount") || !name)
			continue;
		/* an unset subject namespace is "default", not the
		 * binding's */
		(void)ns;
		o = find(rm, "ServiceAccount", name, sns, false);
		if (!o)
			continue;
		if (strcmp(kz_name(o), name) != 0)
			kz_set_str(c->arena, s, "name", kz_name(o),
			           get(s, "name")->file,
			           get(s, "name")->origin);
		if (kz_namespace(o) && (!sns || strcmp(sns, kz_namespace(o))))
			kz_set(c->arena, s, "namespace",
			       kz_copy(c->arena, get(get(o->root, "metadata"),
			                             "namespace")));
	}
}

void kz_fix_references(kz_ctx *c, kz_resmap *rm)
{
	static const char *const workloads[] = {
	        "Deployment",  "ReplicaSet", "DaemonSet",
	        "StatefulSet", "Job",        "ReplicationController",
	        "PodTemplate", NULL};
	size_t i;
	const char *const *w;
	for (i = 0; i < rm->objs.len; i++) {
		pl_kobject *o = obj_at(rm, i);
		const char *k = kz_kind(o), *ns = kz_namespace(o);
		pl_knode *spec = get(o->root, "spec");
		if (!k)
			continue;
		for (w = workloads; *w; w++)
			if (strcmp(k, *w) == 0)
				pod_spec(c, rm,
				         get(get(spec, "template"), "spec"),
				         ns);
		if (is(k, "Pod"))
			pod_spec(c, rm, spec, ns);
		if (is(k, "CronJob"))
			pod_spec(c, rm,
			         get(get(get(get(spec, "jobTemplate"), "spec"),
			                 "template"),
			             "spec"),
			         ns);
		if (is(k, "StatefulSet"))
			fix(c, rm, spec, "serviceName", "Service", ns);
		if (is(k, "Ingress"))
			ingress(c, rm, spec, ns);
		if (is(k, "ServiceAccount")) {
			pl_knode *s = get(o->root, "secrets"),
			         *ips = get(o->root, "imagePullSecrets");
			size_t j;
			for (j = 0; j < count(s); j++)
				fix(c, rm, s->items[j], "name", "Secret", ns);
			for (j = 0; j < count(ips); j++)
				fix(c, rm, ips->items[j], "name", "Secret", ns);
		}
		if (is(k, "RoleBinding") || is(k, "ClusterRoleBinding")) {
			pl_knode *rr = get(o->root, "roleRef");
			const char *rk = pl_knode_get_str(rr, "kind");
			if (is(rk, "ClusterRole"))
				fix(c, rm, rr, "name", "ClusterRole", NULL);
			else if (is(rk, "Role"))
				fix(c, rm, rr, "name", "Role", ns);
			subjects(c, rm, get(o->root, "subjects"), ns);
		}
	}
}
