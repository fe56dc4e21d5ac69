/*
 * kustomize_vars.c - the post-build variables of a Flux Kustomization:
 * spec.postBuild.substitute, and the data of the ConfigMaps and Secrets
 * spec.postBuild.substituteFrom names (Secret data base64-decoded), in
 * Flux's order: substituteFrom entries first, in list order, then
 * substitute, later ones winning [kustomize-flux-build.md section 8].
 */
#include "model/kustomize.h"
#include "base/xalloc.h"

static int b64val(char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+' || ch == '-')
		return 62;
	if (ch == '/' || ch == '_')
		return 63;
	return -1;
}

/* Decoded text, or NULL when s is not base64. */
static char *unbase64(const char *s)
{
	pl_buf b;
	uint32_t acc = 0;
	int bits = 0;
	pl_buf_init(&b, 0);
	for (; *s; s++) {
		int v;
		if (*s == '=' || *s == '\n' || *s == '\r' || *s == ' ')
			continue;
		v = b64val(*s);
		if (v < 0) {
			pl_buf_release(&b);
			return NULL;
		}
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			pl_buf_addc(&b, (char)(acc >> bits & 0xff));
		}
	}
	pl_buf_addc(&b, '\0');
	return pl_buf_detach(&b, NULL);
}

static bool valid_name(const char *s)
{
	size_t i;
	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (i = 0; s[i]; i++)
		if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

/* Adds every pair of mapping m; Flux drops line breaks from values. */
static int add_vars(pl_kvars *vs, const pl_file *f, const pl_node *m, bool b64,
                    pl_error *err)
{
	uint32_t i;
	m = pl_node_deref(m);
	if (!m || m->kind != PL_NODE_MAPPING)
		return 0;
	for (i = 0; i < m->u.map.len; i++) {
		const pl_node *k = pl_node_deref(m->u.map.pairs[i].key);
		const pl_node *v = pl_node_deref(m->u.map.pairs[i].value);
		char *val, *p, *q;
		if (!k || k->kind != PL_NODE_SCALAR || !v ||
		    v->kind != PL_NODE_SCALAR)
			continue;
		if (!valid_name(k->u.scalar.str))
			return pl_error_set(err, PL_EPARSE, f->src.path,
			                    &k->span.start,
			                    "'%s' is not a valid variable name "
			                    "for post-build substitution",
			                    k->u.scalar.str);
		val = b64 ? unbase64(v->u.scalar.str)
		          : pl_xstrdup(v->u.scalar.str);
		if (!val)
			continue;
		for (p = q = val; *p; p++)
			if (*p != '\n')
				*q++ = *p;
		*q = '\0';
		pl_vec_append(&vs->owned, &val);
		vs->v = pl_xgrow(vs->v, &vs->cap, vs->n + 1, sizeof(*vs->v));
		vs->v[vs->n].name = k->u.scalar.str;
		vs->v[vs->n].value = val;
		vs->v[vs->n].file = f;
		vs->v[vs->n].at = v;
		vs->n++;
	}
	return 0;
}

void pl_kvars_init(pl_kvars *vs)
{
	memset(vs, 0, sizeof(*vs));
	pl_vec_init(&vs->owned, sizeof(char *));
	pl_vec_init(&vs->missing, sizeof(const pl_node *));
}

void pl_kvars_release(pl_kvars *vs)
{
	size_t i;
	if (!vs)
		return;
	for (i = 0; i < vs->owned.len; i++)
		free(*(char **)pl_vec_at(&vs->owned, i));
	pl_vec_release(&vs->owned);
	pl_vec_release(&vs->missing);
	free(vs->v);
	memset(vs, 0, sizeof(*vs));
}

int pl_kvars_collect(pl_kvars *vs, const pl_file *kf, const char *ns,
                     const pl_node *post, pl_kvar_source find, void *ud,
                     pl_error *err)
{
	const pl_node *from =
	        pl_node_deref(pl_node_get(post, "substituteFrom"));
	size_t i;
	int rc;
	for (i = 0;
	     from && from->kind == PL_NODE_SEQUENCE && i < from->u.seq.len;
	     i++) {
		const pl_node *e = pl_node_deref(from->u.seq.items[i]);
		const char *kind = pl_node_get_str(e, "kind");
		const char *name = pl_node_get_str(e, "name");
		const pl_object *o;
		if (!kind || !name)
			continue;
		o = find(ud, kind, ns, name);
		if (!o) {
			if (!pl_node_is_str(pl_node_get(e, "optional"), "true"))
				pl_vec_append(&vs->missing, &e);
			continue;
		}
		if (strcmp(kind, "Secret") == 0) {
			rc = add_vars(vs, o->file, pl_node_get(o->root, "data"),
			              true, err);
			if (!rc)
				rc = add_vars(
				        vs, o->file,
				        pl_node_get(o->root, "stringData"),
				        false, err);
		} else {
			rc = add_vars(vs, o->file, pl_node_get(o->root, "data"),
			              false, err);
		}
		if (rc)
			return rc;
	}
	return add_vars(vs, kf, pl_node_get(post, "substitute"), false, err);
}
