/*
 * yaml_scalars.c - yaml/ambiguous-scalar.
 *
 * Where Kubernetes requires a string (env values, label and annotation
 * values, ConfigMap data, Secret stringData, kustomize common labels), a
 * plain scalar that a YAML parser reads as a boolean or a number makes
 * `kubectl apply` and Flux fail ("cannot unmarshal bool into Go struct
 * field EnvVar.value of type string"), or worse, silently changes with
 * the tool: `yes` is a string to YAML 1.2 tools and a boolean to YAML 1.1
 * ones (kubectl, Flux and Helm use go-yaml's YAML 1.1 rules). Timestamps
 * are left alone: sigs.k8s.io/yaml keeps a YAML 1.1 timestamp a string
 * when the target is a string. null is left alone: it decodes to "".
 */
#include "builtin/builtin.h"
#include "base/quote.h"

typedef enum where {
	W_NONE,
	W_ENV,
	W_LABELS,
	W_ANNOTATIONS,
	W_DATA,
} where;

static bool stringish11(pl_type t)
{
	return t == PL_TYPE_STRING || t == PL_TYPE_NULL ||
	       t == PL_TYPE_TIMESTAMP;
}

static const char *a_type(pl_type t)
{
	switch (t) {
	case PL_TYPE_BOOL:
		return "a boolean";
	case PL_TYPE_INT:
		return "an integer";
	case PL_TYPE_FLOAT:
		return "a float";
	case PL_TYPE_NULL:
		return "null";
	default:
		return "a string";
	}
}

/* One object's walk: where findings go and the file's quoting style. */
typedef struct scan {
	pl_ctx *ctx;
	const pl_file *file;
	char quote; /* '\'' or '"'; 0 until a fix needs it */
} scan;

/* Counts single- and double-quoted scalars (keys too) under n, at most
 * *budget nodes: the style a file mostly uses is clear long before. */
static void count_quotes(const pl_node *n, size_t *single, size_t *dbl,
                         size_t *budget, unsigned depth)
{
	size_t i;
	if (!n || *budget == 0 || depth > 256)
		return;
	(*budget)--;
	if (n->kind == PL_NODE_SCALAR) {
		*single += n->style == PL_STYLE_SINGLE;
		*dbl += n->style == PL_STYLE_DOUBLE;
	} else if (n->kind == PL_NODE_SEQUENCE) {
		for (i = 0; i < n->u.seq.len; i++)
			count_quotes(n->u.seq.items[i], single, dbl, budget,
			             depth + 1);
	} else if (n->kind == PL_NODE_MAPPING) {
		for (i = 0; i < n->u.map.len; i++) {
			if (n->u.map.pairs[i].flags & PL_PAIR_MERGED)
				continue;
			count_quotes(n->u.map.pairs[i].key, single, dbl, budget,
			             depth + 1);
			count_quotes(n->u.map.pairs[i].value, single, dbl,
			             budget, depth + 1);
		}
	}
}

/* The quote the file mostly uses; double when it uses neither more. */
static char file_quote(scan *sc)
{
	size_t single = 0, dbl = 0, budget = 100000, d;
	if (sc->quote)
		return sc->quote;
	for (d = 0; sc->file && d < sc->file->tree.ndocs; d++)
		count_quotes(sc->file->tree.docs[d].root, &single, &dbl,
		             &budget, 0);
	sc->quote = single > dbl ? '\'' : '"';
	return sc->quote;
}

/*
 * The fix into out: the plain scalar n, quoted so that it reads as the same
 * string. Only a one-line scalar without anchor whose text is its value
 * (a folded multi-line plain scalar would need its line breaks
 * rewritten): that is every value this rule reports in practice. False:
 * no fix.
 */
static bool quoted(scan *sc, const pl_node *n, pl_buf *out)
{
	const pl_source *src = sc->file ? &sc->file->src : NULL;
	const char *s = n->u.scalar.str;
	size_t len = n->u.scalar.len, i;
	char q;

	if (!src || !src->data || n->anchor ||
	    n->span.start.line != n->span.end.line ||
	    n->span.end.offset - n->span.start.offset != len ||
	    n->span.end.offset > src->len ||
	    memcmp(src->data + n->span.start.offset, s, len) != 0)
		return false;
	q = file_quote(sc);
	/* a value holding the file's quote takes the other one, so it needs
	 * no escape; one holding both is double-quoted with escapes */
	if (memchr(s, q, len))
		q = q == '"' ? '\'' : '"';
	pl_buf_addc(out, q);
	for (i = 0; i < len; i++) {
		if (q == '"' && (s[i] == '"' || s[i] == '\\'))
			pl_buf_addc(out, '\\');
		else if (q == '\'' && s[i] == '\'')
			pl_buf_addc(out, '\'');
		pl_buf_addc(out, s[i]);
	}
	pl_buf_addc(out, q);
	return true;
}

static void check_value(scan *sc, const pl_node *v, const char *what,
                        const char *name, size_t nlen)
{
	pl_ctx *ctx = sc->ctx;
	char qv[96], qn[96], hint[160];
	bool bad11, bad12, has_fix;
	pl_buf fix;
	const pl_node *n = pl_node_deref(v);

	if (!n || n->kind != PL_NODE_SCALAR || n->style != PL_STYLE_PLAIN ||
	    n->tag)
		return;
	bad11 = !stringish11((pl_type)n->type11);
	bad12 = n->type != PL_TYPE_STRING && n->type != PL_TYPE_NULL;
	if (!bad11 && !bad12)
		return;
	pl_quote(qv, sizeof(qv), n->u.scalar.str, n->u.scalar.len, 40);
	pl_quote(qn, sizeof(qn), name, nlen, 60);
	pl_buf_init(&fix, 0);
	/* an alias is fixed at its anchor */
	has_fix = v == n && quoted(sc, n, &fix) && fix.len <= 60;
	if (has_fix)
		snprintf(hint, sizeof(hint), "quote it: %s", fix.ptr);
	else
		snprintf(hint, sizeof(hint), "quote it: \"%s\"", qv);
	if (bad11 && bad12)
		pl_emit_hint(ctx, v->span, hint,
		             "%s '%s' is %s to YAML parsers, not a string; "
		             "kubectl and Flux refuse it: quote it",
		             what, qn, a_type((pl_type)n->type11));
	else if (bad11)
		pl_emit_hint(ctx, v->span, hint,
		             "%s '%s' is a string in YAML 1.2 but %s in "
		             "YAML 1.1, which kubectl and Flux use: quote it",
		             what, qn, a_type((pl_type)n->type11));
	else
		pl_emit_hint(ctx, v->span, hint,
		             "%s '%s' is a string in YAML 1.1 but %s in "
		             "YAML 1.2, so tools disagree on it: quote it",
		             what, qn, a_type((pl_type)n->type));
	if (has_fix)
		pl_emit_fix(ctx, n->span, fix.ptr);
	pl_buf_release(&fix);
}

static void check_pairs(scan *sc, const pl_node *m, const char *what)
{
	size_t i;
	m = pl_node_deref(m);
	if (!m || m->kind != PL_NODE_MAPPING)
		return;
	for (i = 0; i < m->u.map.len; i++) {
		const pl_node *k = pl_node_deref(m->u.map.pairs[i].key);
		if (!k || k->kind != PL_NODE_SCALAR)
			continue;
		check_value(sc, m->u.map.pairs[i].value, what, k->u.scalar.str,
		            k->u.scalar.len);
	}
}

static void check_env(scan *sc, const pl_node *seq)
{
	size_t i;
	seq = pl_node_deref(seq);
	if (!seq || seq->kind != PL_NODE_SEQUENCE)
		return;
	for (i = 0; i < seq->u.seq.len; i++) {
		const pl_node *item = pl_node_deref(seq->u.seq.items[i]);
		const pl_pair *value = pl_node_get_pair(item, "value");
		const pl_node *name = pl_node_get(item, "name");
		if (!value || !name || name->kind != PL_NODE_SCALAR)
			continue;
		check_value(sc, value->value, "env var", name->u.scalar.str,
		            name->u.scalar.len);
	}
}

/* Walks the object looking for the string-valued places. `parent` is the
 * key under which n sits. Depth is bounded by the loader's nesting cap. */
static void walk(scan *sc, const pl_node *n, const char *parent)
{
	size_t i;

	n = pl_node_deref(n);
	if (!n)
		return;
	if (n->kind == PL_NODE_SEQUENCE) {
		for (i = 0; i < n->u.seq.len; i++)
			walk(sc, n->u.seq.items[i], parent);
		return;
	}
	if (n->kind != PL_NODE_MAPPING)
		return;
	for (i = 0; i < n->u.map.len; i++) {
		const pl_pair *p = &n->u.map.pairs[i];
		const pl_node *k = pl_node_deref(p->key);
		const char *key;
		if (!k || k->kind != PL_NODE_SCALAR)
			continue;
		if (p->flags & PL_PAIR_MERGED)
			continue; /* checked where it is written */
		key = k->u.scalar.str;
		/* a JSON Schema (CRD openAPIV3Schema) describes labels and
		 * env lists; its keys are not label values */
		if (strcmp(key, "openAPIV3Schema") == 0)
			continue;
		if (strcmp(key, "env") == 0) {
			check_env(sc, p->value);
			continue;
		} else if (parent && strcmp(parent, "metadata") == 0 &&
		           strcmp(key, "labels") == 0) {
			check_pairs(sc, p->value, "label");
			continue;
		} else if (parent && strcmp(parent, "metadata") == 0 &&
		           strcmp(key, "annotations") == 0) {
			check_pairs(sc, p->value, "annotation");
			continue;
		} else if (strcmp(key, "matchLabels") == 0 ||
		           strcmp(key, "nodeSelector") == 0) {
			check_pairs(sc, p->value, "label");
			continue;
		}
		walk(sc, p->value, key);
	}
}

static void check_ambiguous(pl_ctx *ctx, const pl_object *o)
{
	scan state = {ctx, o->file, 0};
	scan *sc = &state;
	if (!o->is_k8s)
		return;
	if (strcmp(o->kind, "ConfigMap") == 0 && o->api_version &&
	    strcmp(o->api_version, "v1") == 0)
		check_pairs(sc, pl_node_get(o->root, "data"), "ConfigMap key");
	if (strcmp(o->kind, "Secret") == 0 && o->api_version &&
	    strcmp(o->api_version, "v1") == 0)
		check_pairs(sc, pl_node_get(o->root, "stringData"),
		            "Secret stringData key");
	if (strcmp(o->kind, "Kustomization") == 0 &&
	    strncmp(o->api_version, "kustomize.config.k8s.io/", 24) == 0) {
		check_pairs(sc, pl_node_get(o->root, "commonLabels"), "label");
		check_pairs(sc, pl_node_get(o->root, "commonAnnotations"),
		            "annotation");
	}
	walk(sc, o->root, NULL);
}

const pl_rule pl_rule_yaml_ambiguous_scalar = {
        .id = "yaml/ambiguous-scalar",
        .severity = PL_SEV_ERROR,
        .summary = "An unquoted value that must be a string reads as a "
                   "boolean or a number",
        .help = "Kubernetes requires strings for env values, label and "
                "annotation values, ConfigMap data and Secret stringData. "
                "Unquoted, `true`, `8080`, `1.10` and `0755` are not strings "
                "to a YAML parser, so `kubectl apply` and Flux refuse the "
                "manifest (\"cannot unmarshal bool into Go struct field "
                "EnvVar.value of type string\"). Worse, some values change "
                "with the tool: `yes`, `on`, `off`, `0b1` and `1_000` are "
                "strings in YAML 1.2 but a boolean or a number in YAML 1.1, "
                "which kubectl, Flux and Helm use; `1e3` and `0o17` are the "
                "other way round. Version-like `1.10` even becomes the float "
                "1.1.\n"
                "Fix: quote the value: `value: \"yes\"`, `version: \"1.10\"`. "
                "`plumb check --fix` does it, with the quote the file "
                "mostly uses.",
        .scope = PL_SCOPE_OBJECT,
        .as_written = true,
        .check_object = check_ambiguous,
        .example = "apiVersion: v1\n"
                   "kind: Service\n"
                   "metadata:\n"
                   "  name: api\n"
                   "  labels:\n"
                   "    app: api\n"
                   "    version: 1.10\n"
                   "spec:\n"
                   "  selector:\n"
                   "    app: api\n"
                   "  ports:\n"
                   "    - port: 80\n",
        .tags = PL_TAGS("yaml"),
        .precision = PL_PRECISION_HIGH,
};
