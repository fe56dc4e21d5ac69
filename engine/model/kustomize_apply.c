/*
 * kustomize_apply.c - a kustomization's patch entries applied to the
 * objects it accumulated: patchesStrategicMerge (by identity), patches
 * (by identity or by target selector) and patchesJson6902. A patch is a
 * file or an inline string; an inline one is parsed so that its nodes
 * point into the kustomization (exactly for a literal block), so a
 * finding on a patched value lands on the patch line. The patch
 * algorithms themselves are kustomize_patch.c's.
 */
#include "model/kustomize_impl.h"
#include "base/map.h"
#include "base/xalloc.h"
#include "tree/load.h"

static void shift_spans(pl_node *n, const pl_node *host, uint32_t line0,
                        uint32_t indent, bool exact)
{
	size_t i;
	if (!n || n->kind == PL_NODE_ALIAS)
		return;
	if (exact) {
		n->span.start.line += line0;
		n->span.start.col += indent;
		n->span.end.line += line0;
		n->span.end.col += indent;
	} else {
		n->span = host->span;
	}
	if (n->kind == PL_NODE_SEQUENCE) {
		for (i = 0; i < n->u.seq.len; i++)
			shift_spans(n->u.seq.items[i], host, line0, indent,
			            exact);
	} else if (n->kind == PL_NODE_MAPPING) {
		for (i = 0; i < n->u.map.len; i++) {
			if (n->u.map.pairs[i].flags & PL_PAIR_MERGED)
				continue;
			shift_spans(n->u.map.pairs[i].key, host, line0, indent,
			            exact);
			shift_spans(n->u.map.pairs[i].value, host, line0,
			            indent, exact);
		}
	}
}

/* Parses an inline patch (a string in the kustomization) so that its
 * nodes point into the kustomization file: exactly for a literal block,
 * at the string itself otherwise. */
static const pl_file *parse_inline(kz_ctx *c, const pl_file *kf,
                                   const pl_node *s)
{
	kz_priv *p = c->build->priv;
	pl_file *f = pl_xmalloc(sizeof(*f));
	pl_limits limits;
	size_t i;
	bool exact = s->style == PL_STYLE_LITERAL;
	uint32_t indent = 0;

	pl_limits_default(&limits);
	pl_file_init(f);
	pl_source_read_mem(&f->src, kf->src.path, pl_xstrdup(s->u.scalar.str),
	                   s->u.scalar.len, &limits);
	f->src.kind = PL_SOURCE_YAML;
	pl_file_load(f, &limits);
	pl_vec_append(&p->synth, &f);
	if (exact) {
		/* the block's indentation: the first content line's */
		size_t off = s->span.start.offset, len = kf->src.len;
		const char *d = kf->src.data;
		while (off < len && d[off] != '\n')
			off++;
		off++;
		while (off < len && d[off] == '\n')
			off++;
		while (off + indent < len && d[off + indent] == ' ')
			indent++;
	}
	for (i = 0; i < f->tree.ndocs; i++)
		shift_spans(f->tree.docs[i].root, s, s->span.start.line, indent,
		            exact);
	if (f->tree.problem != PL_TREE_OK) {
		pl_pos at = f->tree.where;
		if (exact) {
			at.line += s->span.start.line;
			at.col += indent;
		} else {
			at = s->span.start;
		}
		pl_error_set(c->err, PL_EPARSE, kf->src.path, &at, "patch: %s",
		             f->tree.message);
		return NULL;
	}
	return f;
}

static int patch_docs(kz_ctx *c, const char *dir, const pl_file *kf,
                      const pl_node *path, const pl_node *inl, pl_knode ***docs,
                      size_t *ndocs)
{
	const pl_file *pf, *owner;
	size_t i, n = 0;

	if (path) {
		const char *p;
		if (path->kind != PL_NODE_SCALAR)
			return kz_fail(c, kf, path, PL_EPARSE,
			               "a patch path must be a string");
		p = kz_join(c->arena, dir, path->u.scalar.str);
		if (kz_stat(c, p) != 1)
			return kz_fail(c, kf, path, PL_ENOTFOUND,
			               "patch '%s': no such file",
			               path->u.scalar.str);
		if (!c->flux && !kz_inside(dir, p))
			return kz_fail(c, kf, path, PL_EPARSE,
			               "failed to get the patch file from path "
			               "(%s): security; file '%s' is not in or "
			               "below '%s'",
			               path->u.scalar.str, p, dir);
		pf = kz_load(c, p, kf, path);
		owner = pf;
	} else {
		if (inl->kind != PL_NODE_SCALAR)
			return kz_fail(c, kf, inl, PL_EPARSE,
			               "an inline patch must be a string");
		pf = parse_inline(c, kf, inl);
		owner = kf;
	}
	if (!pf)
		return c->err->code;
	*docs = pl_arena_alloc(c->arena, (pf->tree.ndocs + 1) * sizeof(**docs));
	for (i = 0; i < pf->tree.ndocs; i++) {
		pl_knode *k =
		        kz_from_node(c->arena, owner, pf->tree.docs[i].root);
		if (k &&
		    !(k->kind == PL_NODE_SCALAR && k->type == PL_TYPE_NULL))
			(*docs)[n++] = k;
	}
	*ndocs = n;
	return 0;
}

/* Does object o have an identity equal to the patch's (kustomize's
 * GetById over current and earlier ids)? */
static bool id_matches(const pl_kobject *o, const pl_knode *patch)
{
	const pl_knode *md = pl_knode_get(patch, "metadata");
	const char *name = pl_knode_get_str(md, "name");
	const char *ns = pl_knode_get_str(md, "namespace");
	size_t i;
	if (!kz_same_str(kz_kind(o), pl_knode_get_str(patch, "kind")) || !name)
		return false;
	{
		/* group and version must be equal */
		const char *a = kz_api_version(o);
		const char *b = pl_knode_get_str(patch, "apiVersion");
		if (!kz_same_str(a, b))
			return false;
	}
	for (i = 0; i < o->nids; i++)
		if (kz_same_str(o->ids[i].name, name) &&
		    kz_same_ns(o->ids[i].ns, ns))
			return true;
	return false;
}

static void apply_sm(kz_ctx *c, pl_kobject *o, const pl_knode *patch)
{
	pl_knode *md = pl_knode_get(o->root, "metadata");
	pl_knode *name = md ? pl_knode_get(md, "name") : NULL;
	pl_knode *ns = md ? pl_knode_get(md, "namespace") : NULL;
	pl_knode *copy = kz_copy(c->arena, patch);
	const char *kind = kz_kind(o);

	kz_merge_sm(c, o->root, copy, kind);
	if (pl_knode_get(o->root, "$patch") &&
	    kz_is(pl_knode_get(o->root, "$patch"), "delete")) {
		o->root = NULL;
		return;
	}
	/* strategic merge patches change neither name nor namespace */
	md = pl_knode_get(o->root, "metadata");
	if (md && name)
		kz_set(c->arena, md, "name", name);
	if (md && ns)
		kz_set(c->arena, md, "namespace", ns);
	else if (md && !ns)
		kz_del(md, "namespace");
}

static void drop_deleted(kz_resmap *rm)
{
	size_t i, j = 0;
	for (i = 0; i < rm->objs.len; i++) {
		pl_kobject *o = *(pl_kobject **)pl_vec_at(&rm->objs, i);
		if (o->root)
			*(pl_kobject **)pl_vec_at(&rm->objs, j++) = o;
	}
	pl_vec_truncate(&rm->objs, j);
}

static int sm_by_id(kz_ctx *c, kz_resmap *rm, const pl_file *kf,
                    const pl_node *at, pl_knode *patch)
{
	size_t i, hits = 0;
	pl_kobject *hit = NULL;
	for (i = 0; i < rm->objs.len; i++) {
		pl_kobject *o = *(pl_kobject **)pl_vec_at(&rm->objs, i);
		if (id_matches(o, patch)) {
			hit = o;
			hits++;
		}
	}
	if (hits != 1) {
		const pl_knode *md = pl_knode_get(patch, "metadata");
		return kz_fail(c, kf, at, PL_ENOTFOUND,
		               "%s resource matches strategic merge patch "
		               "\"%s %s\"",
		               hits ? "more than one" : "no",
		               pl_knode_get_str(patch, "kind")
		                       ? pl_knode_get_str(patch, "kind")
		                       : "?",
		               pl_knode_get_str(md, "name")
		                       ? pl_knode_get_str(md, "name")
		                       : "?");
	}
	apply_sm(c, hit, patch);
	drop_deleted(rm);
	return 0;
}

int kz_apply_sm_list(kz_ctx *c, kz_resmap *rm, const pl_file *kf,
                     const pl_node *list, const char *dir)
{
	size_t i, j, n;
	pl_knode **docs;
	int rc;
	if (!list)
		return 0;
	if (list->kind != PL_NODE_SEQUENCE)
		return kz_fail(c, kf, list, PL_EPARSE,
		               "patchesStrategicMerge must be a list");
	for (i = 0; i < list->u.seq.len; i++) {
		const pl_node *e = pl_node_deref(list->u.seq.items[i]);
		bool inl = e && e->kind == PL_NODE_SCALAR &&
		           (memchr(e->u.scalar.str, '\n', e->u.scalar.len) ||
		            strstr(e->u.scalar.str, ": "));
		if (!e)
			continue;
		rc = patch_docs(c, dir, kf, inl ? NULL : e, inl ? e : NULL,
		                &docs, &n);
		if (rc)
			return rc;
		for (j = 0; j < n; j++) {
			rc = sm_by_id(c, rm, kf, e, docs[j]);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int kz_apply_patches(kz_ctx *c, kz_resmap *rm, const pl_file *kf,
                     const pl_node *list, const char *dir, bool j6902)
{
	size_t i, j, k, n;
	pl_knode **docs;
	int rc;
	if (!list)
		return 0;
	if (list->kind != PL_NODE_SEQUENCE)
		return kz_fail(c, kf, list, PL_EPARSE, "%s must be a list",
		               j6902 ? "patchesJson6902" : "patches");
	for (i = 0; i < list->u.seq.len; i++) {
		const pl_node *e = pl_node_deref(list->u.seq.items[i]);
		const pl_node *path = kz_field(e, "path"),
		              *inl = kz_field(e, "patch");
		const pl_node *tnode = kz_field(e, "target");
		pl_knode *target =
		        tnode ? kz_from_node(c->arena, kf, tnode) : NULL;
		bool is6902;
		if (!e || e->kind != PL_NODE_MAPPING)
			return kz_fail(c, kf, e ? e : list, PL_EPARSE,
			               "a patch must be a mapping");
		if (!path == !inl)
			return kz_fail(c, kf, e, PL_EPARSE,
			               "a patch needs exactly one of path and "
			               "patch");
		if (j6902 && !target) {
			/* patchesJson6902 write the target inline */
			target = kz_from_node(c->arena, kf, e);
		}
		rc = patch_docs(c, dir, kf, path, inl, &docs, &n);
		if (rc)
			return rc;
		if (n == 0)
			continue;
		is6902 = j6902 || docs[0]->kind == PL_NODE_SEQUENCE;
		if (is6902 && !target)
			return kz_fail(c, kf, e, PL_EPARSE,
			               "a JSON 6902 patch needs a target");
		if (!target) {
			for (j = 0; j < n; j++) {
				rc = sm_by_id(c, rm, kf, path ? path : inl,
				              docs[j]);
				if (rc)
					return rc;
			}
			continue;
		}
		for (k = 0; k < rm->objs.len; k++) {
			pl_kobject *o = *(pl_kobject **)pl_vec_at(&rm->objs, k);
			bool hit = false;
			rc = kz_select(c, o, target, &hit);
			if (rc)
				return kz_fail(c, kf, tnode ? tnode : e, rc,
				               "invalid patch target");
			if (!hit)
				continue;
			if (is6902) {
				rc = kz_json6902(c, o, docs[0]);
				if (rc)
					return rc;
				continue;
			}
			for (j = 0; j < n && o->root; j++)
				apply_sm(c, o, docs[j]);
		}
		drop_deleted(rm);
	}
	return 0;
}
