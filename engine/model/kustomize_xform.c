/*
 * kustomize_xform.c - kustomize's built-in transformers over a resource
 * list: namespace, namePrefix/nameSuffix, labels and annotations,
 * images, replicas, and the final name-reference pass.
 *
 * Field lists follow kustomize's builtin plugin configuration
 * [K api/internal/konfig/builtinpluginconsts/{namespace,nameprefix,
 * commonlabels,commonannotations,namereference}.go]. A value a
 * transformer sets keeps, as its origin, the kustomization node that
 * decided it, so `--sources` and rules point there.
 */
#include "model/kustomize_impl.h"

#include <regex.h>

static pl_kobject *obj_at(kz_resmap *rm, size_t i)
{
	return *(pl_kobject **)pl_vec_at(&rm->objs, i);
}

static bool kind_is(const pl_kobject *o, const char *kind)
{
	const char *k = kz_kind(o);
	return k && strcmp(k, kind) == 0;
}

static bool kind_in(const pl_kobject *o, const char *const *kinds)
{
	for (; *kinds; kinds++)
		if (kind_is(o, *kinds))
			return true;
	return false;
}

/* A copy of scalar value node v (typed tree) as a rendered string. */
static pl_knode *str_from(kz_ctx *c, const pl_file *f, const pl_node *v)
{
	pl_knode *k = kz_from_node(c->arena, f, v);
	if (k && k->kind == PL_NODE_SCALAR)
		k->type = PL_TYPE_STRING;
	return k;
}

/* --- namespace
 * ---------------------------------------------------------------- */

void kz_set_namespace(kz_ctx *c, kz_resmap *rm, const pl_file *f,
                      const pl_node *ns)
{
	size_t i, j;
	for (i = 0; i < rm->objs.len; i++) {
		pl_kobject *o = obj_at(rm, i);
		pl_knode *md, *sub;
		const char *av = kz_api_version(o);
		if (kz_cluster_scoped(av, kz_kind(o))) {
			/* kustomize renames a v1 Namespace to the value */
			if (kind_is(o, "Namespace") && av &&
			    strcmp(av, "v1") == 0) {
				md = kz_ensure_map(c->arena, o->root,
				                   "metadata", f, ns);
				kz_set(c->arena, md, "name",
				       str_from(c, f, ns));
				kz_remember_id(c->arena, o);
			}
			if (kind_is(o, "ClusterRoleBinding"))
				goto subjects;
			continue;
		}
		md = kz_ensure_map(c->arena, o->root, "metadata", f, ns);
		kz_set(c->arena, md, "namespace", str_from(c, f, ns));
		kz_remember_id(c->arena, o);
		if (kind_is(o, "APIService")) {
			sub = pl_knode_get(pl_knode_get(o->root, "spec"),
			                   "service");
			if (sub && sub->kind == PL_NODE_MAPPING)
				kz_set(c->arena, sub, "namespace",
				       str_from(c, f, ns));
		}
		if (!kind_is(o, "RoleBinding"))
			continue;
	subjects:
		sub = pl_knode_get(o->root, "subjects");
		for (j = 0; sub && sub->kind == PL_NODE_SEQUENCE && j < sub->n;
		     j++) {
			pl_knode *s = sub->items[j];
			if (kz_is(pl_knode_get(s, "name"), "default"))
				kz_set(c->arena, s, "namespace",
				       str_from(c, f, ns));
		}
	}
	for (i = 0; i < rm->objs.len; i++) {
		pl_kobject *o = obj_at(rm, i);
		pl_knode *svc;
		if (!kind_is(o, "CustomResourceDefinition"))
			continue;
		svc = pl_knode_get(
		        pl_knode_get(
		                pl_knode_get(pl_knode_get(pl_knode_get(o->root,
		                                                       "spec"),
		                                          "conversion"),
		                             "webhook"),
		                "clientConfig"),
		        "service");
		if (svc && svc->kind == PL_NODE_MAPPING)
			kz_set(c->arena, svc, "namespace", str_from(c, f, ns));
	}
}

/* --- names
 * ------------------------------------------------------------------------ */

void kz_name_affix(kz_ctx *c, kz_resmap *rm, const pl_file *f,
                   const pl_node *prefix, const pl_node *suffix)
{
	static const char *const skip[] = {"CustomResourceDefinition",
	                                   "APIService", "Namespace", NULL};
	const char *pre = prefix && prefix->kind == PL_NODE_SCALAR
	                          ? prefix->u.scalar.str
	                          : "";
	const char *suf = suffix && suffix->kind == PL_NODE_SCALAR
	                          ? suffix->u.scalar.str
	                          : "";
	size_t i;
	for (i = 0; i < rm->objs.len; i++) {
		pl_kobject *o = obj_at(rm, i);
		pl_knode *md = pl_knode_get(o->root, "metadata");
		const char *name = kz_name(o);
		char *s;
		if (!name || kind_in(o, skip))
			continue;
		s = pl_arena_printf(c->arena, "%s%s%s", pre, name, suf);
		kz_set_str(c->arena, md, "name", s, f, *pre ? prefix : suffix);
		kz_remember_id(c->arena, o);
	}
}

/* --- labels and annotations
 * ------------------------------------------------------------ */

static const char *const template_kinds[] = {
        "Deployment",  "ReplicaSet", "DaemonSet",
        "StatefulSet", "Job",        "ReplicationController",
        NULL};

/* Sets every pair of `pairs` in the mapping at path under root (the
 * path's mappings created when create is set). */
static void set_pairs(kz_ctx *c, pl_knode *root, const char *const *path,
                      bool create, const pl_file *f, const pl_node *pairs)
{
	pl_knode *m = root;
	uint32_t i;
	for (; *path; path++) {
		pl_knode *next = pl_knode_get(m, *path);
		if (!next || next->kind != PL_NODE_MAPPING) {
			if (!create || (next && next->kind != PL_NODE_SCALAR))
				return;
			if (next && next->type != PL_TYPE_NULL)
				return;
			next = kz_ensure_map(c->arena, m, *path, f, pairs);
		}
		m = next;
	}
	for (i = 0; i < pairs->u.map.len; i++) {
		const pl_pair *p = &pairs->u.map.pairs[i];
		const pl_node *k = pl_node_deref(p->key);
		if (!k || k->kind != PL_NODE_SCALAR)
			continue;
		kz_set(c->arena, m, k->u.scalar.str, str_from(c, f, p->value));
		kz_get_pair(m, k->u.scalar.str)->key =
		        kz_from_node(c->arena, f, k);
	}
}

#define PATH(...) ((const char *const[]){__VA_ARGS__, NULL})

void kz_labels(kz_ctx *c, kz_resmap *rm, const pl_file *f, const pl_node *pairs,
               bool selectors, bool templates, bool annotations)
{
	const char *what = annotations ? "annotations" : "labels";
	size_t i, j;
	if (!pairs || pairs->kind != PL_NODE_MAPPING)
		return;
	for (i = 0; i < rm->objs.len; i++) {
		pl_kobject *o = obj_at(rm, i);
		pl_knode *r = o->root;
		set_pairs(c, r, PATH("metadata", what), true, f, pairs);
		if (templates || selectors) {
			if (kind_in(o, template_kinds))
				set_pairs(c, r,
				          PATH("spec", "template", "metadata",
				               what),
				          true, f, pairs);
			if (kind_is(o, "CronJob")) {
				set_pairs(c, r,
				          PATH("spec", "jobTemplate",
				               "metadata", what),
				          true, f, pairs);
				set_pairs(c, r,
				          PATH("spec", "jobTemplate", "spec",
				               "template", "metadata", what),
				          true, f, pairs);
			}
		}
		if (!selectors || annotations)
			continue;
		if (kind_is(o, "Service") ||
		    kind_is(o, "ReplicationController"))
			set_pairs(c, r, PATH("spec", "selector"), true, f,
			          pairs);
		if (kind_is(o, "Deployment") || kind_is(o, "ReplicaSet") ||
		    kind_is(o, "DaemonSet") || kind_is(o, "StatefulSet"))
			set_pairs(c, r, PATH("spec", "selector", "matchLabels"),
			          true, f, pairs);
		if (kind_is(o, "Job") || kind_is(o, "PodDisruptionBudget"))
			set_pairs(c, r, PATH("spec", "selector", "matchLabels"),
			          false, f, pairs);
		if (kind_is(o, "CronJob"))
			set_pairs(c, r,
			          PATH("spec", "jobTemplate", "spec",
			               "selector", "matchLabels"),
			          false, f, pairs);
		if (kind_is(o, "StatefulSet")) {
			pl_knode *vct = pl_knode_get(pl_knode_get(r, "spec"),
			                             "volumeClaimTemplates");
			for (j = 0;
			     vct && vct->kind == PL_NODE_SEQUENCE && j < vct->n;
			     j++)
				set_pairs(c, vct->items[j],
				          PATH("metadata", "labels"), true, f,
				          pairs);
		}
		if (kind_is(o, "NetworkPolicy")) {
			pl_knode *spec = pl_knode_get(r, "spec");
			static const char *const dirs[][2] = {
			        {"ingress", "from"}, {"egress", "to"}};
			size_t d, k;
			set_pairs(c, spec, PATH("podSelector", "matchLabels"),
			          false, f, pairs);
			for (d = 0; d < 2; d++) {
				pl_knode *rules =
				        pl_knode_get(spec, dirs[d][0]);
				for (j = 0;
				     rules && rules->kind == PL_NODE_SEQUENCE &&
				     j < rules->n;
				     j++) {
					pl_knode *peers = pl_knode_get(
					        rules->items[j], dirs[d][1]);
					for (k = 0;
					     peers &&
					     peers->kind == PL_NODE_SEQUENCE &&
					     k < peers->n;
					     k++)
						set_pairs(c, peers->items[k],
						          PATH("podSelector",
						               "matchLabels"),
						          false, f, pairs);
				}
			}
		}
	}
}

/* --- images
 * ------------------------------------------------------------------------------
 */

typedef struct image_rule {
	regex_t re;
	const pl_node *entry, *new_name, *new_tag, *digest;
} image_rule;

static void set_image(kz_ctx *c, const image_rule *r, pl_kpair *p,
                      const pl_file *f)
{
	const char *img = p->value->str, *at, *colon, *slash;
	size_t nlen;
	const char *tag = NULL, *dig = NULL;
	pl_buf b;
	const pl_node *origin;

	if (regexec(&r->re, img, 0, NULL, 0) != 0)
		return;
	at = strchr(img, '@');
	nlen = at ? (size_t)(at - img) : strlen(img);
	slash = NULL;
	for (colon = img; colon < img + nlen; colon++)
		if (*colon == '/')
			slash = colon;
	colon = memchr(slash ? slash : img, ':',
	               nlen - (size_t)((slash ? slash : img) - img));
	if (colon) {
		tag = colon + 1;
		nlen = (size_t)(colon - img);
	}
	if (at)
		dig = at + 1;
	pl_buf_init(&b, 0);
	if (r->new_name)
		pl_buf_adds(&b, r->new_name->u.scalar.str);
	else
		pl_buf_add(&b, img, nlen);
	if (r->new_tag && r->digest) {
		pl_buf_addf(&b, ":%s@%s", r->new_tag->u.scalar.str,
		            r->digest->u.scalar.str);
	} else if (r->new_tag) {
		pl_buf_addf(&b, ":%s", r->new_tag->u.scalar.str);
	} else if (r->digest) {
		pl_buf_addf(&b, "@%s", r->digest->u.scalar.str);
	} else {
		if (tag)
			pl_buf_add(&b, tag - 1,
			           (size_t)((at ? at : img + strlen(img)) -
			                    tag + 1));
		if (dig)
			pl_buf_addf(&b, "@%s", dig);
	}
	origin = r->new_tag    ? r->new_tag
	         : r->digest   ? r->digest
	         : r->new_name ? r->new_name
	                       : r->entry;
	p->value = kz_scalar(c->arena, b.ptr ? b.ptr : "", f, origin);
	pl_buf_release(&b);
}

/* Every `image` in items of a containers or initContainers list. */
static void walk_images(kz_ctx *c, const image_rule *r, pl_knode *n,
                        const pl_file *f)
{
	size_t i, j;
	if (!n)
		return;
	if (n->kind == PL_NODE_SEQUENCE) {
		for (i = 0; i < n->n; i++)
			walk_images(c, r, n->items[i], f);
		return;
	}
	if (n->kind != PL_NODE_MAPPING)
		return;
	for (i = 0; i < n->n; i++) {
		pl_knode *v = n->pairs[i].value;
		const char *k = n->pairs[i].key->str;
		if ((strcmp(k, "containers") == 0 ||
		     strcmp(k, "initContainers") == 0) &&
		    v->kind == PL_NODE_SEQUENCE) {
			for (j = 0; j < v->n; j++) {
				pl_kpair *p = kz_get_pair(v->items[j], "image");
				if (p && p->value->kind == PL_NODE_SCALAR)
					set_image(c, r, p, f);
			}
		}
		walk_images(c, r, v, f);
	}
}

static bool named_in(const pl_node *list, const char *name)
{
	size_t i;
	for (i = 0;
	     list && list->kind == PL_NODE_SEQUENCE && i < list->u.seq.len;
	     i++) {
		const char *n = pl_node_get_str(
		        pl_node_deref(list->u.seq.items[i]), "name");
		if (n && strcmp(n, name) == 0)
			return true;
	}
	return false;
}

int kz_images(kz_ctx *c, kz_resmap *rm, const pl_file *f, const pl_node *images,
              const pl_node *skip)
{
	size_t i, k;
	if (images->kind != PL_NODE_SEQUENCE)
		return kz_fail(c, f, images, PL_EPARSE,
		               "images must be a list");
	for (i = 0; i < images->u.seq.len; i++) {
		const pl_node *e = pl_node_deref(images->u.seq.items[i]);
		const char *name = pl_node_get_str(e, "name");
		image_rule r;
		pl_buf b;
		int rc;
		if (!name)
			return kz_fail(c, f, e ? e : images, PL_EPARSE,
			               "an images entry needs a name");
		if (named_in(skip, name))
			continue;
		memset(&r, 0, sizeof(r));
		r.entry = e;
		r.new_name = pl_node_deref(pl_node_get(e, "newName"));
		r.new_tag = pl_node_deref(pl_node_get(e, "newTag"));
		r.digest = pl_node_deref(pl_node_get(e, "digest"));
		if (r.new_name && r.new_name->kind != PL_NODE_SCALAR)
			r.new_name = NULL;
		if (r.new_tag && r.new_tag->kind != PL_NODE_SCALAR)
			r.new_tag = NULL;
		if (r.digest && r.digest->kind != PL_NODE_SCALAR)
			r.digest = NULL;
		pl_buf_init(&b, 0);
		pl_buf_addf(
		        &b,
		        "^%s(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$",
		        name);
		rc = regcomp(&r.re, b.ptr, REG_EXTENDED | REG_NOSUB);
		pl_buf_release(&b);
		if (rc)
			return kz_fail(c, f, pl_node_get(e, "name"), PL_EPARSE,
			               "image name '%s' is not a valid pattern",
			               name);
		for (k = 0; k < rm->objs.len; k++) {
			pl_kobject *o = obj_at(rm, k);
			if (kind_is(o, "CustomResourceDefinition"))
				continue;
			walk_images(c, &r, o->root, f);
		}
		regfree(&r.re);
	}
	return 0;
}

/* --- replicas
 * ---------------------------------------------------------------------------------
 */

int kz_replicas(kz_ctx *c, kz_resmap *rm, const pl_file *f,
                const pl_node *replicas)
{
	static const char *const kinds[] = {"Deployment",
	                                    "ReplicationController",
	                                    "ReplicaSet", "StatefulSet", NULL};
	size_t i, k, j;
	if (replicas->kind != PL_NODE_SEQUENCE)
		return kz_fail(c, f, replicas, PL_EPARSE,
		               "replicas must be a list");
	for (i = 0; i < replicas->u.seq.len; i++) {
		const pl_node *e = pl_node_deref(replicas->u.seq.items[i]);
		const char *name = pl_node_get_str(e, "name");
		const pl_node *count = pl_node_deref(pl_node_get(e, "count"));
		bool any = false;
		if (!name || !count || count->kind != PL_NODE_SCALAR)
			return kz_fail(c, f, e ? e : replicas, PL_EPARSE,
			               "a replicas entry needs name and count");
		for (k = 0; k < rm->objs.len; k++) {
			pl_kobject *o = obj_at(rm, k);
			bool hit = false;
			if (!kind_in(o, kinds))
				continue;
			for (j = 0; j < o->nids; j++)
				if (o->ids[j].name &&
				    strcmp(o->ids[j].name, name) == 0)
					hit = true;
			if (!hit)
				continue;
			any = true;
			kz_set(c->arena,
			       kz_ensure_map(c->arena, o->root, "spec", f, e),
			       "replicas", kz_from_node(c->arena, f, count));
		}
		if (!any)
			return kz_fail(c, f, pl_node_get(e, "name"),
			               PL_ENOTFOUND,
			               "replicas: no Deployment, ReplicaSet, "
			               "ReplicationController or StatefulSet "
			               "named '%s'",
			               name);
	}
	return 0;
}
