/*
 * kustomize_gen.c - configMapGenerator and secretGenerator, the content
 * hash kustomize appends to generated names, and the final pass that
 * rewrites references to renamed objects.
 *
 * Generators [K api/kv/kv.go, api/internal/generators/utils.go]:
 * literals `K=V` (split at the first `=`, one pair of matching quotes
 * around V removed), files `[key=]path` (key defaults to the file's
 * name), envs (KEY=VALUE lines, `#` comments); Secret values base64;
 * behavior create (default), merge or replace; options and the global
 * generatorOptions (labels, annotations, disableNameSuffixHash,
 * immutable; a global true beats a local false).
 *
 * Hash [K api/hasher/hasher.go:encodeConfigMap, encodeSecret]: SHA-256
 * of the JSON encoding (Go's encoding/json: keys sorted, <>& escaped) of
 * {data, kind, name} for a ConfigMap (binaryData when it is a mapping)
 * and {data, kind, name, type} for a Secret (stringData likewise); an
 * absent field is "". kustomize looks the name up as the single field
 * "metadata/name", which never exists, so "name" is always "" (checked
 * against kubectl kustomize v5.5.0). The first 10 hex digits, with
 * 0->g 1->h 3->k a->m e->t, make the suffix.
 */
#include "model/kustomize_impl.h"
#include "base/sha256.h"
#include "base/xalloc.h"

static pl_kobject *obj_at(kz_resmap *rm, size_t i)
{
	return *(pl_kobject **)pl_vec_at(&rm->objs, i);
}

static void base64(pl_buf *b, const char *s, size_t len)
{
	static const char tab[] =
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)(uint8_t)s[i] << 16 |
		             (uint32_t)(uint8_t)s[i + 1] << 8 |
		             (uint8_t)s[i + 2];
		pl_buf_addc(b, tab[v >> 18]);
		pl_buf_addc(b, tab[(v >> 12) & 63]);
		pl_buf_addc(b, tab[(v >> 6) & 63]);
		pl_buf_addc(b, tab[v & 63]);
	}
	if (len - i == 1) {
		uint32_t v = (uint32_t)(uint8_t)s[i] << 16;
		pl_buf_addc(b, tab[v >> 18]);
		pl_buf_addc(b, tab[(v >> 12) & 63]);
		pl_buf_adds(b, "==");
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)(uint8_t)s[i] << 16 |
		             (uint32_t)(uint8_t)s[i + 1] << 8;
		pl_buf_addc(b, tab[v >> 18]);
		pl_buf_addc(b, tab[(v >> 12) & 63]);
		pl_buf_addc(b, tab[(v >> 6) & 63]);
		pl_buf_addc(b, '=');
	}
}

/* Does relative path rel stay in its folder (kz_inside, for a path not
 * yet joined)? */
static bool rel_inside(const char *rel)
{
	long depth = 0;
	const char *p = rel;
	if (*p == '/')
		return false;
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			depth--;
		else if (n > 0 && !(n == 1 && p[0] == '.'))
			depth++;
		if (depth < 0)
			return false;
		p += n;
		if (*p == '/')
			p++;
	}
	return true;
}

typedef struct gen {
	kz_ctx *c;
	const pl_file *kf;
	const char *dir;
	bool secret;
	pl_knode *data;
} gen;

static void put(gen *g, const char *k, size_t klen, const char *v, size_t vlen,
                const pl_node *at)
{
	char *key = pl_arena_strndup(g->c->arena, k, klen);
	pl_knode *val;
	if (g->secret) {
		pl_buf b;
		pl_buf_init(&b, 0);
		base64(&b, v, vlen);
		val = kz_scalar(g->c->arena, b.ptr ? b.ptr : "", g->kf, at);
		pl_buf_release(&b);
	} else {
		val = kz_scalar(g->c->arena, "", g->kf, at);
		val->str = pl_arena_strndup(g->c->arena, v, vlen);
		val->len = vlen;
	}
	kz_set(g->c->arena, g->data, key, val);
	kz_get_pair(g->data, key)->key = kz_scalar(g->c->arena, key, g->kf, at);
}

static int literals(gen *g, const pl_node *list)
{
	size_t i;
	for (i = 0;
	     list && list->kind == PL_NODE_SEQUENCE && i < list->u.seq.len;
	     i++) {
		const pl_node *e = pl_node_deref(list->u.seq.items[i]);
		const char *s, *eq, *v;
		size_t vlen;
		if (!e || e->kind != PL_NODE_SCALAR)
			continue;
		s = e->u.scalar.str;
		eq = strchr(s, '=');
		if (!eq || eq == s)
			return kz_fail(g->c, g->kf, e, PL_EPARSE,
			               "invalid literal source %s, expected "
			               "key=value",
			               s);
		v = eq + 1;
		vlen = strlen(v);
		if (vlen >= 2 && v[0] == v[vlen - 1] &&
		    (v[0] == '"' || v[0] == '\'')) {
			v++;
			vlen -= 2;
		}
		put(g, s, (size_t)(eq - s), v, vlen, e);
	}
	return 0;
}

static int files(gen *g, const pl_node *list)
{
	size_t i;
	for (i = 0;
	     list && list->kind == PL_NODE_SEQUENCE && i < list->u.seq.len;
	     i++) {
		const pl_node *e = pl_node_deref(list->u.seq.items[i]);
		const char *s, *eq, *rel, *base;
		char *path, *text;
		size_t len, klen;
		if (!e || e->kind != PL_NODE_SCALAR)
			continue;
		s = e->u.scalar.str;
		eq = strchr(s, '=');
		rel = eq ? eq + 1 : s;
		if (!g->c->flux && !rel_inside(rel))
			return kz_fail(g->c, g->kf, e, PL_EPARSE,
			               "loading KV pairs: security; file '%s' "
			               "is not in or below '%s'",
			               rel, g->dir);
		path = pl_arena_printf(g->c->arena, "%s/%s", g->dir, rel);
		if (kz_stat(g->c, path) != 1)
			return kz_fail(g->c, g->kf, e, PL_ENOTFOUND,
			               "loading KV pairs: '%s': no such file",
			               rel);
		text = kz_read(g->c, path, &len);
		if (!text)
			return kz_fail(g->c, g->kf, e, PL_EIO,
			               "loading KV pairs: cannot read '%s'",
			               rel);
		base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
		klen = eq ? (size_t)(eq - s) : strlen(base);
		put(g, eq ? s : base, klen, text, len, e);
		free(text);
	}
	return 0;
}

static int envs(gen *g, const pl_node *list)
{
	size_t i;
	for (i = 0;
	     list && list->kind == PL_NODE_SEQUENCE && i < list->u.seq.len;
	     i++) {
		const pl_node *e = pl_node_deref(list->u.seq.items[i]);
		char *path, *text, *line, *next;
		size_t len;
		if (!e || e->kind != PL_NODE_SCALAR)
			continue;
		if (!g->c->flux && !rel_inside(e->u.scalar.str))
			return kz_fail(g->c, g->kf, e, PL_EPARSE,
			               "loading KV pairs: security; file '%s' "
			               "is not in or below '%s'",
			               e->u.scalar.str, g->dir);
		path = pl_arena_printf(g->c->arena, "%s/%s", g->dir,
		                       e->u.scalar.str);
		text = kz_read(g->c, path, &len);
		if (!text)
			return kz_fail(g->c, g->kf, e, PL_ENOTFOUND,
			               "loading KV pairs: env source '%s': no "
			               "such file",
			               e->u.scalar.str);
		for (line = text; line && *line; line = next) {
			char *eq, *end;
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			end = line + strlen(line);
			if (end > line && end[-1] == '\r')
				*--end = '\0';
			while (*line == ' ' || *line == '\t')
				line++;
			if (!*line || *line == '#')
				continue;
			eq = strchr(line, '=');
			if (!eq)
				continue; /* KEY alone reads the environment */
			put(g, line, (size_t)(eq - line), eq + 1,
			    strlen(eq + 1), e);
		}
		free(text);
	}
	return 0;
}

static const pl_node *opt(const pl_node *m, const char *key)
{
	return pl_node_deref(pl_node_get(m, key));
}

static void meta_pairs(kz_ctx *c, pl_knode *md, const char *what,
                       const pl_file *f, const pl_node *pairs)
{
	uint32_t i;
	pl_knode *m;
	if (!pairs || pairs->kind != PL_NODE_MAPPING || !pairs->u.map.len)
		return;
	m = kz_ensure_map(c->arena, md, what, f, pairs);
	for (i = 0; i < pairs->u.map.len; i++) {
		const pl_node *k = pl_node_deref(pairs->u.map.pairs[i].key);
		pl_knode *v =
		        kz_from_node(c->arena, f, pairs->u.map.pairs[i].value);
		if (!k || k->kind != PL_NODE_SCALAR || !v)
			continue;
		v->type = PL_TYPE_STRING;
		kz_set(c->arena, m, k->u.scalar.str, v);
	}
}

/* The object of kind an earlier generator or resource made under name
 * (in namespace ns, when set), by any of its identities; the last one
 * if several. */
static pl_kobject *generated_before(kz_resmap *rm, const char *kind,
                                    const char *name, const char *ns)
{
	pl_kobject *existing = NULL;
	size_t i, j;
	for (i = 0; i < rm->objs.len; i++) {
		pl_kobject *q = obj_at(rm, i);
		const char *qk = kz_kind(q), *qn = kz_name(q);
		bool hit = false;
		if (!qk || strcmp(qk, kind) != 0 || !qn)
			continue;
		for (j = 0; j < q->nids; j++)
			if (q->ids[j].name &&
			    strcmp(q->ids[j].name, name) == 0 &&
			    (!ns ||
			     (q->ids[j].ns && strcmp(q->ids[j].ns, ns) == 0)))
				hit = true;
		if (hit)
			existing = q;
	}
	return existing;
}

/* behavior: merge (data keys and the entry's labels and annotations
 * added to the existing object's) or replace (its data replaced); the
 * hash suffix is kept only if both ask for it. */
static void merge_or_replace(kz_ctx *c, pl_kobject *existing,
                             const pl_kobject *o, pl_knode *data,
                             const pl_file *kf, const pl_node *e,
                             const pl_node *options, bool merge)
{
	pl_knode *old;
	size_t i;
	if (merge) {
		old = pl_knode_get(existing->root, "data");
		if (old && old->kind == PL_NODE_MAPPING && data->n) {
			for (i = 0; i < data->n; i++)
				kz_set(c->arena, old, data->pairs[i].key->str,
				       data->pairs[i].value);
		} else if (data->n) {
			kz_set(c->arena, existing->root, "data", data);
		}
		meta_pairs(c,
		           kz_ensure_map(c->arena, existing->root, "metadata",
		                         kf, e),
		           "labels", kf, opt(options, "labels"));
		meta_pairs(c,
		           kz_ensure_map(c->arena, existing->root, "metadata",
		                         kf, e),
		           "annotations", kf, opt(options, "annotations"));
	} else {
		if (data->n)
			kz_set(c->arena, existing->root, "data", data);
		else
			kz_del(existing->root, "data");
	}
	existing->hash_suffix = existing->hash_suffix || o->hash_suffix;
	if (!o->hash_suffix)
		existing->hash_suffix = false;
}

static int one(kz_ctx *c, kz_resmap *rm, const pl_file *kf, const pl_node *e,
               const pl_node *global, bool secret, const char *dir)
{
	const char *name = pl_node_get_str(e, "name");
	const char *ns = pl_node_get_str(e, "namespace");
	const char *behavior = pl_node_get_str(e, "behavior");
	const pl_node *options = opt(e, "options");
	pl_knode *root, *md;
	pl_kobject *o, *existing = NULL;
	gen g;
	int rc;

	if (!name)
		return kz_fail(c, kf, e, PL_EPARSE, "a generator needs a name");
	root = kz_collection(c->arena, PL_NODE_MAPPING, kf, e);
	kz_set_str(c->arena, root, "apiVersion", "v1", kf, e);
	kz_set_str(c->arena, root, "kind", secret ? "Secret" : "ConfigMap", kf,
	           e);
	md = kz_ensure_map(c->arena, root, "metadata", kf, e);
	kz_set(c->arena, md, "name",
	       kz_from_node(c->arena, kf, pl_node_get(e, "name")));
	if (ns)
		kz_set(c->arena, md, "namespace",
		       kz_from_node(c->arena, kf, pl_node_get(e, "namespace")));
	meta_pairs(c, md, "labels", kf, opt(global, "labels"));
	meta_pairs(c, md, "annotations", kf, opt(global, "annotations"));
	meta_pairs(c, md, "labels", kf, opt(options, "labels"));
	meta_pairs(c, md, "annotations", kf, opt(options, "annotations"));
	if (secret) {
		const pl_node *type = opt(e, "type");
		if (type && type->kind == PL_NODE_SCALAR)
			kz_set(c->arena, root, "type",
			       kz_from_node(c->arena, kf, type));
		else
			kz_set_str(c->arena, root, "type", "Opaque", kf, e);
	}
	g.c = c;
	g.kf = kf;
	g.dir = dir;
	g.secret = secret;
	g.data = kz_collection(c->arena, PL_NODE_MAPPING, kf, e);
	rc = literals(&g, opt(e, "literals"));
	if (!rc)
		rc = files(&g, opt(e, "files"));
	if (!rc)
		rc = envs(&g, opt(e, "envs"));
	if (rc)
		return rc;
	if (g.data->n)
		kz_set(c->arena, root, "data", g.data);
	if (pl_node_is_str(opt(options, "immutable"), "true") ||
	    pl_node_is_str(opt(global, "immutable"), "true")) {
		pl_knode *t = kz_scalar(c->arena, "true", kf, e);
		t->type = PL_TYPE_BOOL;
		kz_set(c->arena, root, "immutable", t);
	}
	o = pl_arena_zalloc(c->arena, sizeof(*o));
	o->root = root;
	o->generated = true;
	o->hash_suffix =
	        !pl_node_is_str(opt(global, "disableNameSuffixHash"), "true") &&
	        !pl_node_is_str(opt(options, "disableNameSuffixHash"), "true");
	kz_remember_id(c->arena, o);
	existing =
	        generated_before(rm, secret ? "Secret" : "ConfigMap", name, ns);
	if (behavior && (strcmp(behavior, "merge") == 0 ||
	                 strcmp(behavior, "replace") == 0)) {
		if (!existing)
			return kz_fail(c, kf, pl_node_get(e, "behavior"),
			               PL_ENOTFOUND,
			               "id %s %s does not exist; cannot merge "
			               "or replace",
			               secret ? "Secret" : "ConfigMap", name);
		merge_or_replace(c, existing, o, g.data, kf, e, options,
		                 behavior[0] == 'm');
		return 0;
	}
	if (existing && behavior && strcmp(behavior, "create") != 0)
		return kz_fail(c, kf, pl_node_get(e, "behavior"), PL_EPARSE,
		               "unknown generator behavior '%s'", behavior);
	if (existing)
		return kz_fail(c, kf, e, PL_EPARSE,
		               "may not add resource with an already "
		               "registered id: %s %s",
		               secret ? "Secret" : "ConfigMap", name);
	pl_vec_append(&rm->objs, &o);
	return 0;
}

int kz_generators(kz_ctx *c, kz_resmap *rm, const pl_file *kf,
                  const pl_node *root, const char *dir)
{
	static const char *const keys[] = {"configMapGenerator",
	                                   "secretGenerator"};
	const pl_node *global = opt(root, "generatorOptions");
	size_t k, i;
	int rc;
	for (k = 0; k < 2; k++) {
		const pl_node *list = opt(root, keys[k]);
		if (!list || (list->kind == PL_NODE_SCALAR &&
		              list->type == PL_TYPE_NULL))
			continue;
		if (list->kind != PL_NODE_SEQUENCE)
			return kz_fail(c, kf, list, PL_EPARSE,
			               "%s must be a list", keys[k]);
		for (i = 0; i < list->u.seq.len; i++) {
			const pl_node *e = pl_node_deref(list->u.seq.items[i]);
			if (!e || e->kind != PL_NODE_MAPPING)
				return kz_fail(c, kf, e ? e : list, PL_EPARSE,
				               "a generator must be a mapping");
			rc = one(c, rm, kf, e, global, k == 1, dir);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* --- content hashes
 * ------------------------------------------------------------ */

/* A JSON string as Go's encoding/json writes it. */
static void json_str(pl_buf *b, const char *s, size_t len)
{
	size_t i;
	pl_buf_addc(b, '"');
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\') {
			pl_buf_addc(b, '\\');
			pl_buf_addc(b, (char)ch);
		} else if (ch == '\n') {
			pl_buf_adds(b, "\\n");
		} else if (ch == '\r') {
			pl_buf_adds(b, "\\r");
		} else if (ch == '\t') {
			pl_buf_adds(b, "\\t");
		} else if (ch < 0x20 || ch == '<' || ch == '>' || ch == '&') {
			pl_buf_addf(b, "\\u%04x", ch);
		} else if (ch == 0xe2 && i + 2 < len &&
		           (unsigned char)s[i + 1] == 0x80 &&
		           ((unsigned char)s[i + 2] == 0xa8 ||
		            (unsigned char)s[i + 2] == 0xa9)) {
			pl_buf_addf(b, "\\u20%02x",
			            (unsigned char)s[i + 2] == 0xa8 ? 0x28
			                                            : 0x29);
			i += 2;
		} else {
			pl_buf_addc(b, (char)ch);
		}
	}
	pl_buf_addc(b, '"');
}

static int cmp_pair(const void *a, const void *b)
{
	const pl_kpair *x = a, *y = b;
	return strcmp(x->key->str, y->key->str);
}

/* A map of strings, keys sorted; "" when m is absent or a scalar. */
static void json_map(pl_buf *b, const pl_knode *m)
{
	pl_kpair *sorted;
	size_t i;
	if (!m || m->kind == PL_NODE_SCALAR) {
		pl_buf_adds(b, "\"\"");
		return;
	}
	pl_buf_addc(b, '{');
	if (m && m->kind == PL_NODE_MAPPING && m->n) {
		sorted = pl_xmalloc(m->n * sizeof(*sorted));
		memcpy(sorted, m->pairs, m->n * sizeof(*sorted));
		qsort(sorted, m->n, sizeof(*sorted), cmp_pair);
		for (i = 0; i < m->n; i++) {
			if (i)
				pl_buf_addc(b, ',');
			json_str(b, sorted[i].key->str, sorted[i].key->len);
			pl_buf_addc(b, ':');
			if (sorted[i].value->kind == PL_NODE_SCALAR &&
			    sorted[i].value->type != PL_TYPE_NULL)
				json_str(b, sorted[i].value->str,
				         sorted[i].value->len);
			else
				pl_buf_adds(b, "\"\"");
		}
		free(sorted);
	}
	pl_buf_addc(b, '}');
}

static void hash_name(const pl_kobject *o, char out[11])
{
	static const char hex[] = "0123456789abcdef";
	bool secret = strcmp(kz_kind(o), "Secret") == 0;
	const pl_knode *r = o->root;
	const char *name = ""; /* see the top of this file */
	pl_buf b;
	uint8_t d[32];
	size_t i;

	pl_buf_init(&b, 0);
	if (secret) {
		const char *type = pl_knode_get_str(r, "type");
		pl_buf_adds(&b, "{\"data\":");
		json_map(&b, pl_knode_get(r, "data"));
		pl_buf_adds(&b, ",\"kind\":\"Secret\",\"name\":");
		json_str(&b, name, strlen(name));
		if (pl_knode_get(r, "stringData") &&
		    pl_knode_get(r, "stringData")->kind != PL_NODE_SCALAR) {
			pl_buf_adds(&b, ",\"stringData\":");
			json_map(&b, pl_knode_get(r, "stringData"));
		}
		pl_buf_adds(&b, ",\"type\":");
		json_str(&b, type ? type : "", type ? strlen(type) : 0);
		pl_buf_addc(&b, '}');
	} else {
		const pl_knode *bin = pl_knode_get(r, "binaryData");
		pl_buf_adds(&b, "{");
		if (bin && bin->kind == PL_NODE_MAPPING && bin->n) {
			pl_buf_adds(&b, "\"binaryData\":");
			json_map(&b, bin);
			pl_buf_addc(&b, ',');
		}
		pl_buf_adds(&b, "\"data\":");
		json_map(&b, pl_knode_get(r, "data"));
		pl_buf_adds(&b, ",\"kind\":\"ConfigMap\",\"name\":");
		json_str(&b, name, strlen(name));
		pl_buf_addc(&b, '}');
	}
	{
		pl_sha256 h;
		pl_sha256_init(&h);
		pl_sha256_update(&h, b.ptr, b.len);
		pl_sha256_final(&h, d);
	}
	pl_buf_release(&b);
	for (i = 0; i < 10; i++) {
		char ch = hex[(d[i / 2] >> (i % 2 ? 0 : 4)) & 15];
		switch (ch) {
		case '0':
			ch = 'g';
			break;
		case '1':
			ch = 'h';
			break;
		case '3':
			ch = 'k';
			break;
		case 'a':
			ch = 'm';
			break;
		case 'e':
			ch = 't';
			break;
		default:
			break;
		}
		out[i] = ch;
	}
	out[10] = '\0';
}

void kz_add_hashes(kz_ctx *c, kz_resmap *rm)
{
	size_t i;
	for (i = 0; i < rm->objs.len; i++) {
		pl_kobject *o = obj_at(rm, i);
		pl_knode *md = pl_knode_get(o->root, "metadata");
		pl_kpair *name = kz_get_pair(md, "name");
		char h[11];
		pl_knode *v;
		if (!o->hash_suffix || !name || !kz_kind(o))
			continue;
		hash_name(o, h);
		v = kz_scalar(
		        c->arena,
		        pl_arena_printf(c->arena, "%s-%s", name->value->str, h),
		        name->value->file, name->value->origin);
		name->value = v;
		kz_remember_id(c->arena, o);
	}
}
