/*
 * kustomize_patch.c - patches of the build model: strategic merge, JSON
 * 6902 and patch target selection.
 *
 * Strategic merge follows kyaml's merge2 [K kyaml/yaml/merge2]: mappings
 * merge key by key; a null value deletes the key; `$patch: delete`
 * removes a mapping or a list element, `$patch: replace` replaces it;
 * lists merge element by element only where Kubernetes' schema gives
 * them a merge key (containers, env, volumes by `name`, volumeMounts by
 * `mountPath`, ports by `containerPort` or `port`, ...) and only in
 * built-in kinds; every other list, and every list of a custom resource,
 * is replaced whole [K kyaml/yaml/schema/schema.go:IsAssociative].
 *
 * JSON 6902 (RFC 6902): add, remove, replace, move, copy, test over JSON
 * pointers (RFC 6901, `~0` `~1`, `-` appends).
 *
 * Targets [K api/types/selector.go]: group, version, kind, name and
 * namespace are regular expressions anchored at both ends (POSIX ERE
 * here, where kustomize uses Go's RE2: the two agree on the patterns
 * targets use: literals, `.*`, classes, alternation), matched against
 * the current or an earlier name and namespace; labelSelector and
 * annotationSelector take `k=v`, `k==v`, `k!=v`, `k` and `!k` terms.
 */
#include "model/kustomize_impl.h"

#include <regex.h>

/* --- strategic merge -------------------------------------------------------
 */

static const struct {
	const char *field;
	const char *key;
} merge_keys[] = {
        {"containers", "name"},
        {"ephemeralContainers", "name"},
        {"env", "name"},
        {"hostAliases", "ip"},
        {"imagePullSecrets", "name"},
        {"initContainers", "name"},
        {"ports", "containerPort"}, /* Service ports: "port", below */
        {"topologySpreadConstraints", "topologyKey"},
        {"volumeDevices", "devicePath"},
        {"volumeMounts", "mountPath"},
        {"volumes", "name"},
};

static bool builtin_kind(const char *api_version)
{
	const char *slash;
	size_t glen;
	if (!api_version)
		return false;
	slash = strchr(api_version, '/');
	if (!slash)
		return true; /* core */
	glen = (size_t)(slash - api_version);
	if (!memchr(api_version, '.', glen))
		return true; /* apps, batch, policy, autoscaling, ... */
	return glen > 7 && strncmp(slash - 7, ".k8s.io", 7) == 0;
}

static const char *merge_key(const char *field, const pl_knode *dst,
                             const pl_knode *src)
{
	size_t i;
	for (i = 0; i < PL_ARRAY_SIZE(merge_keys); i++) {
		if (strcmp(merge_keys[i].field, field) != 0)
			continue;
		if (strcmp(field, "ports") == 0) {
			const pl_knode *e = src->n   ? src->items[0]
			                    : dst->n ? dst->items[0]
			                             : NULL;
			if (e && !pl_knode_get(e, "containerPort") &&
			    pl_knode_get(e, "port"))
				return "port";
		}
		return merge_keys[i].key;
	}
	return NULL;
}

static bool directive(const pl_knode *m, const char *what)
{
	return m && m->kind == PL_NODE_MAPPING &&
	       kz_is(pl_knode_get(m, "$patch"), what);
}

/* Drops directives from content that is added, not merged. */
static pl_knode *clean(pl_knode *n)
{
	size_t i, j;
	if (!n)
		return n;
	if (n->kind == PL_NODE_MAPPING) {
		kz_del(n, "$patch");
		for (i = 0, j = 0; i < n->n; i++) {
			const char *k = n->pairs[i].key->str;
			if (strncmp(k, "$setElementOrder/", 17) == 0 ||
			    strncmp(k, "$deleteFromPrimitiveList/", 25) == 0 ||
			    strcmp(k, "$retainKeys") == 0)
				continue;
			if (directive(n->pairs[i].value, "delete"))
				continue;
			clean(n->pairs[i].value);
			n->pairs[j++] = n->pairs[i];
		}
		n->n = j;
	} else if (n->kind == PL_NODE_SEQUENCE) {
		for (i = 0, j = 0; i < n->n; i++) {
			if (directive(n->items[i], "delete") ||
			    directive(n->items[i], "replace"))
				continue;
			n->items[j++] = clean(n->items[i]);
		}
		n->n = j;
	}
	return n;
}

static void merge_map(kz_ctx *c, pl_knode *dst, pl_knode *src, bool builtin);

static pl_knode *find_by_key(const pl_knode *seq, const char *key,
                             const pl_knode *val, size_t *at)
{
	size_t i;
	for (i = 0; i < seq->n; i++) {
		const pl_knode *v = pl_knode_get(seq->items[i], key);
		if (v && kz_equal(v, val)) {
			*at = i;
			return seq->items[i];
		}
	}
	return NULL;
}

/*
 * A list merged by key comes out as kustomize prints it: the patch's
 * elements first, in the patch's order (each merged into the element
 * with its key, if any), then the elements the patch did not name, in
 * their order. `$patch: delete` elements remove theirs.
 */
static pl_knode *merge_list(kz_ctx *c, const char *field, pl_knode *dst,
                            pl_knode *src, bool builtin)
{
	const char *key;
	pl_knode *out;
	bool *used;
	size_t i, at;
	for (i = 0; i < src->n; i++)
		if (directive(src->items[i], "replace"))
			return clean(src);
	key = builtin ? merge_key(field, dst, src) : NULL;
	if (!key)
		return clean(src);
	out = kz_collection(c->arena, PL_NODE_SEQUENCE, dst->file, dst->origin);
	used = pl_arena_zalloc(c->arena, dst->n + 1);
	for (i = 0; i < src->n; i++) {
		pl_knode *e = src->items[i];
		const pl_knode *kv = pl_knode_get(e, key);
		pl_knode *d = kv ? find_by_key(dst, key, kv, &at) : NULL;
		if (d)
			used[at] = true;
		if (e->kind != PL_NODE_MAPPING || !kv) {
			kz_append(c->arena, out, clean(e));
		} else if (directive(e, "delete")) {
			continue;
		} else if (directive(e, "replace") || !d ||
		           d->kind != PL_NODE_MAPPING) {
			kz_append(c->arena, out, clean(e));
		} else {
			merge_map(c, d, e, builtin);
			kz_append(c->arena, out, d);
		}
	}
	for (i = 0; i < dst->n; i++)
		if (!used[i])
			kz_append(c->arena, out, dst->items[i]);
	return out;
}

static void merge_map(kz_ctx *c, pl_knode *dst, pl_knode *src, bool builtin)
{
	size_t i;
	for (i = 0; i < src->n; i++) {
		const char *k = src->pairs[i].key->str;
		pl_knode *v = src->pairs[i].value;
		pl_kpair *d;
		if (k[0] == '$' &&
		    (strcmp(k, "$patch") == 0 ||
		     strcmp(k, "$retainKeys") == 0 ||
		     strncmp(k, "$setElementOrder/", 17) == 0 ||
		     strncmp(k, "$deleteFromPrimitiveList/", 25) == 0))
			continue;
		d = kz_get_pair(dst, k);
		if (v->kind == PL_NODE_SCALAR && v->type == PL_TYPE_NULL) {
			kz_del(dst, k);
			continue;
		}
		if (directive(v, "delete")) {
			kz_del(dst, k);
			continue;
		}
		if (!d) {
			if (v->kind == PL_NODE_MAPPING ||
			    v->kind == PL_NODE_SEQUENCE)
				clean(v);
			if (directive(v, "replace"))
				kz_del(v, "$patch");
			kz_set(c->arena, dst, k, v);
			/* the key line of an added subtree is the patch's */
			kz_get_pair(dst, k)->key = src->pairs[i].key;
			continue;
		}
		if (d->value->kind == PL_NODE_MAPPING &&
		    v->kind == PL_NODE_MAPPING && !directive(v, "replace")) {
			merge_map(c, d->value, v, builtin);
		} else if (d->value->kind == PL_NODE_SEQUENCE &&
		           v->kind == PL_NODE_SEQUENCE) {
			d->value = merge_list(c, k, d->value, v, builtin);
		} else if (!(d->value->kind == PL_NODE_SCALAR &&
		             kz_equal(d->value, v))) {
			/* an equal value keeps its source: the patch did
			 * not change it */
			d->value = clean(v);
		}
	}
}

void kz_merge_sm(kz_ctx *c, pl_knode *target, const pl_knode *patch,
                 const char *kind)
{
	(void)kind;
	if (target->kind != PL_NODE_MAPPING || patch->kind != PL_NODE_MAPPING)
		return;
	if (directive(patch, "delete")) {
		kz_set_str(c->arena, target, "$patch", "delete", patch->file,
		           patch->origin);
		return;
	}
	merge_map(c, target, (pl_knode *)patch,
	          builtin_kind(pl_knode_get_str(target, "apiVersion")));
}

/* --- JSON 6902
 * ---------------------------------------------------------------- */

/* The next token of pointer *p (RFC 6901 unescaped) into tok. */
static bool next_token(const char **p, char *tok, size_t size)
{
	size_t n = 0;
	const char *s = *p;
	if (*s != '/')
		return false;
	s++;
	while (*s && *s != '/') {
		char ch = *s++;
		if (ch == '~' && *s == '0') {
			ch = '~';
			s++;
		} else if (ch == '~' && *s == '1') {
			ch = '/';
			s++;
		}
		if (n + 1 < size)
			tok[n++] = ch;
	}
	tok[n] = '\0';
	*p = s;
	return true;
}

static bool index_of(const char *tok, size_t len, size_t *out, bool append)
{
	char *end;
	unsigned long v;
	if (append && strcmp(tok, "-") == 0) {
		*out = len;
		return true;
	}
	if (!*tok || (tok[0] == '0' && tok[1]))
		return false;
	errno = 0;
	v = strtoul(tok, &end, 10);
	if (errno || *end || tok[0] == '-' || tok[0] == '+')
		return false;
	*out = v;
	return true;
}

/* Resolves the parent of the pointer's last token: *parent, last in tok.
 * An empty pointer ("") names the root: *parent NULL. */
static bool resolve(pl_knode *root, const char *ptr, pl_knode **parent,
                    char *tok, size_t size)
{
	pl_knode *cur = root;
	const char *p = ptr;
	*parent = NULL;
	if (!*p)
		return true;
	while (next_token(&p, tok, size)) {
		if (!*p) {
			*parent = cur;
			return true;
		}
		if (cur->kind == PL_NODE_MAPPING) {
			cur = pl_knode_get(cur, tok);
		} else if (cur->kind == PL_NODE_SEQUENCE) {
			size_t i;
			if (!index_of(tok, cur->n, &i, false) || i >= cur->n)
				return false;
			cur = cur->items[i];
		} else {
			return false;
		}
		if (!cur)
			return false;
	}
	return false;
}

static pl_knode *get_at(pl_knode *root, const char *ptr)
{
	pl_knode *parent;
	char tok[256];
	size_t i;
	if (!resolve(root, ptr, &parent, tok, sizeof(tok)))
		return NULL;
	if (!parent)
		return root;
	if (parent->kind == PL_NODE_MAPPING)
		return pl_knode_get(parent, tok);
	if (parent->kind == PL_NODE_SEQUENCE &&
	    index_of(tok, parent->n, &i, false) && i < parent->n)
		return parent->items[i];
	return NULL;
}

static bool remove_at(pl_knode *root, const char *ptr)
{
	pl_knode *parent;
	char tok[256];
	size_t i;
	if (!resolve(root, ptr, &parent, tok, sizeof(tok)) || !parent)
		return false;
	if (parent->kind == PL_NODE_MAPPING)
		return kz_del(parent, tok);
	if (parent->kind == PL_NODE_SEQUENCE &&
	    index_of(tok, parent->n, &i, false) && i < parent->n) {
		memmove(&parent->items[i], &parent->items[i + 1],
		        (parent->n - i - 1) * sizeof(parent->items[0]));
		parent->n--;
		return true;
	}
	return false;
}

static bool add_at(kz_ctx *c, pl_kobject *o, const char *ptr, pl_knode *v,
                   bool replace)
{
	pl_knode *parent;
	char tok[256];
	size_t i;
	if (!resolve(o->root, ptr, &parent, tok, sizeof(tok)))
		return false;
	if (!parent) {
		o->root = v;
		return true;
	}
	if (parent->kind == PL_NODE_MAPPING) {
		if (replace && !pl_knode_get(parent, tok))
			return false;
		kz_set(c->arena, parent, tok, v);
		return true;
	}
	if (parent->kind != PL_NODE_SEQUENCE ||
	    !index_of(tok, parent->n, &i, !replace) || i > parent->n ||
	    (replace && i >= parent->n))
		return false;
	if (replace) {
		parent->items[i] = v;
		return true;
	}
	kz_append(c->arena, parent, v);
	memmove(&parent->items[i + 1], &parent->items[i],
	        (parent->n - 1 - i) * sizeof(parent->items[0]));
	parent->items[i] = v;
	return true;
}

int kz_json6902(kz_ctx *c, pl_kobject *o, const pl_knode *ops)
{
	size_t i;
	if (ops->kind != PL_NODE_SEQUENCE)
		return kz_fail(c, ops->file, ops->origin, PL_EPARSE,
		               "a JSON 6902 patch must be a list of "
		               "operations");
	for (i = 0; i < ops->n; i++) {
		const pl_knode *op = ops->items[i];
		const char *name = pl_knode_get_str(op, "op");
		const char *path = pl_knode_get_str(op, "path");
		const char *from = pl_knode_get_str(op, "from");
		pl_knode *value = pl_knode_get(op, "value");
		bool ok = false;
		if (!name || !path)
			return kz_fail(c, op->file, op->origin, PL_EPARSE,
			               "a JSON 6902 operation needs op and "
			               "path");
		if (strcmp(name, "add") == 0 || strcmp(name, "replace") == 0) {
			if (!value)
				return kz_fail(c, op->file, op->origin,
				               PL_EPARSE, "'%s' needs a value",
				               name);
			ok = add_at(c, o, path, kz_copy(c->arena, value),
			            name[0] == 'r');
		} else if (strcmp(name, "remove") == 0) {
			ok = remove_at(o->root, path);
		} else if (strcmp(name, "move") == 0 ||
		           strcmp(name, "copy") == 0) {
			pl_knode *v = from ? get_at(o->root, from) : NULL;
			if (v && name[0] == 'm')
				ok = remove_at(o->root, from) &&
				     add_at(c, o, path, v, false);
			else if (v)
				ok = add_at(c, o, path, kz_copy(c->arena, v),
				            false);
		} else if (strcmp(name, "test") == 0) {
			pl_knode *v = get_at(o->root, path);
			ok = v && value && kz_equal(v, value);
			if (!ok)
				return kz_fail(c, op->file, op->origin,
				               PL_EPARSE,
				               "testing value %s failed", path);
		} else {
			return kz_fail(c, op->file, op->origin, PL_EPARSE,
			               "unknown JSON 6902 operation '%s'",
			               name);
		}
		if (!ok)
			return kz_fail(c, op->file, op->origin, PL_EPARSE,
			               "%s operation does not apply: path '%s' "
			               "does not exist in %s %s",
			               name,
			               name[0] == 'm' || name[0] == 'c'
			                       ? (from ? from : path)
			                       : path,
			               kz_kind(o) ? kz_kind(o) : "?",
			               kz_name(o) ? kz_name(o) : "?");
	}
	return 0;
}

/* --- target selection
 * ------------------------------------------------------------ */

static int re_match(const char *pattern, const char *s, bool *hit)
{
	regex_t re;
	pl_buf b;
	int rc;
	*hit = false;
	if (!pattern || !*pattern) {
		*hit = true;
		return 0;
	}
	pl_buf_init(&b, 0);
	pl_buf_addf(&b, "^(%s)$", pattern);
	rc = regcomp(&re, b.ptr, REG_EXTENDED | REG_NOSUB);
	pl_buf_release(&b);
	if (rc)
		return PL_EPARSE;
	*hit = regexec(&re, s ? s : "", 0, NULL, 0) == 0;
	regfree(&re);
	return 0;
}

/* Does mapping m (labels or annotations) satisfy selector sel? */
static bool selector_matches(const char *sel, const pl_knode *m)
{
	const char *p = sel;
	while (*p) {
		size_t n = strcspn(p, ",");
		char term[512], *eq, *k, *v;
		bool neg = false, exists_only = false;
		const char *have;
		snprintf(term, sizeof(term), "%.*s", (int)n, p);
		p += n;
		if (*p == ',')
			p++;
		k = term;
		while (*k == ' ')
			k++;
		if (!*k)
			continue;
		if ((eq = strstr(k, "!=")) != NULL) {
			neg = true;
			*eq = '\0';
			v = eq + 2;
		} else if ((eq = strchr(k, '=')) != NULL) {
			*eq = '\0';
			v = eq + 1;
			if (*v == '=')
				v++;
		} else {
			exists_only = true;
			v = NULL;
		}
		if (k[0] == '!' && exists_only) {
			if (pl_knode_get(m, k + 1))
				return false;
			continue;
		}
		while (*k && k[strlen(k) - 1] == ' ')
			k[strlen(k) - 1] = '\0';
		while (v && *v == ' ')
			v++;
		while (v && *v && v[strlen(v) - 1] == ' ')
			v[strlen(v) - 1] = '\0';
		have = pl_knode_get_str(m, k);
		if (exists_only) {
			if (!pl_knode_get(m, k))
				return false;
		} else if (neg) {
			if (have && strcmp(have, v) == 0)
				return false;
		} else if (!have || strcmp(have, v) != 0) {
			return false;
		}
	}
	return true;
}

int kz_select(kz_ctx *c, const pl_kobject *o, const pl_knode *t, bool *hit)
{
	char group[256];
	const char *version, *sel;
	const pl_knode *md = pl_knode_get(o->root, "metadata");
	bool ok;
	size_t i;
	int rc;

	(void)c;
	*hit = false;
	kz_group_version(kz_api_version(o), group, sizeof(group), &version);
	if ((rc = re_match(pl_knode_get_str(t, "group"), group, &ok)) || !ok)
		return rc;
	if ((rc = re_match(pl_knode_get_str(t, "version"), version, &ok)) ||
	    !ok)
		return rc;
	if ((rc = re_match(pl_knode_get_str(t, "kind"), kz_kind(o), &ok)) ||
	    !ok)
		return rc;
	if (pl_knode_get_str(t, "name")) {
		bool any = false;
		for (i = 0; i < o->nids && !any; i++) {
			rc = re_match(pl_knode_get_str(t, "name"),
			              o->ids[i].name, &any);
			if (rc)
				return rc;
		}
		if (!any)
			return 0;
	}
	if (pl_knode_get_str(t, "namespace")) {
		bool any = false;
		for (i = 0; i < o->nids && !any; i++) {
			const char *ns = o->ids[i].ns;
			rc = re_match(pl_knode_get_str(t, "namespace"),
			              ns && *ns ? ns : "default", &any);
			if (rc)
				return rc;
		}
		if (!any)
			return 0;
	}
	sel = pl_knode_get_str(t, "labelSelector");
	if (sel && !selector_matches(sel, pl_knode_get(md, "labels")))
		return 0;
	sel = pl_knode_get_str(t, "annotationSelector");
	if (sel && !selector_matches(sel, pl_knode_get(md, "annotations")))
		return 0;
	*hit = true;
	return 0;
}
