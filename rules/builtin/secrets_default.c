/*
 * secrets_default.c - secrets/default-credential: a credential-named key
 * holding a vendor's default or a well-known weak password
 * (MINIO_ROOT_PASSWORD: minioadmin, POSTGRES_PASSWORD: postgres, Harbor's
 * Harbor12345).
 *
 * These are not leaks, since everyone knows them already, but a live
 * system that still runs with them is open to the first scanner that
 * tries. A warning of its own, so a team weighs them apart from leaked
 * tokens; the other secrets/ rules leave such values to this one. Any
 * YAML document is walked: mappings (Helm values, ConfigMaps, env maps),
 * name/value lists (env), and a Secret's data (decoded) and stringData.
 * Every text file is also read for URLs whose password is such a default
 * or repeats the user name (postgres://postgres:postgres@db/app; a host on
 * localhost is a developer's own database and left alone): that is
 * the same weak credential written as a connection string, and
 * secrets/token leaves it to this rule.
 */
#include "builtin/builtin.h"
#include "builtin/secrets_scan.h"
#include "base/quote.h"

#define DEFAULT_MAX_DEPTH 64

static void report(pl_ctx *ctx, const pl_node *name, const pl_node *at,
                   const char *v, size_t n)
{
	const char *vendor = pl_secret_default_credential(v, n);
	char qn[96], masked[32];
	if (!vendor || !name || name->kind != PL_NODE_SCALAR ||
	    !pl_secret_key_name(name->u.scalar.str, name->u.scalar.len))
		return;
	pl_quote(qn, sizeof(qn), name->u.scalar.str, name->u.scalar.len, 64);
	pl_secret_mask(masked, sizeof(masked), v, n);
	pl_emit_secret(
	        ctx, at->span, v, n,
	        "generate a password and deliver it from a Secret "
	        "(valueFrom.secretKeyRef, or the chart's existingSecret)",
	        "'%s' holds a well-known default credential (%s): '%s'", qn,
	        vendor, masked);
}

static void check_scalar(pl_ctx *ctx, const pl_node *name, const pl_node *at)
{
	const pl_node *v = pl_node_deref(at);
	if (v && v->kind == PL_NODE_SCALAR && v->type == PL_TYPE_STRING)
		report(ctx, pl_node_deref(name), at, v->u.scalar.str,
		       v->u.scalar.len);
}

static void walk(pl_ctx *ctx, const pl_node *n, unsigned depth)
{
	size_t i;

	n = pl_node_deref(n);
	if (!n || depth > DEFAULT_MAX_DEPTH)
		return;
	if (n->kind == PL_NODE_SEQUENCE) {
		for (i = 0; i < n->u.seq.len; i++)
			walk(ctx, n->u.seq.items[i], depth + 1);
		return;
	}
	if (n->kind != PL_NODE_MAPPING)
		return;
	/* an env entry: {name: POSTGRES_PASSWORD, value: postgres} */
	if (pl_node_get(n, "name") && pl_node_get_pair(n, "value"))
		check_scalar(ctx, pl_node_get(n, "name"),
		             pl_node_get_pair(n, "value")->value);
	for (i = 0; i < n->u.map.len; i++) {
		const pl_pair *p = &n->u.map.pairs[i];
		if (p->flags & PL_PAIR_MERGED)
			continue;
		check_scalar(ctx, p->key, p->value);
		walk(ctx, p->value, depth + 1);
	}
}

static void check_secret_data(pl_ctx *ctx, const pl_node *data)
{
	size_t i;
	data = pl_node_deref(data);
	if (!data || data->kind != PL_NODE_MAPPING)
		return;
	for (i = 0; i < data->u.map.len; i++) {
		const pl_pair *p = &data->u.map.pairs[i];
		const pl_node *v = pl_node_deref(p->value);
		char *dec;
		size_t dl;
		if (!v || v->kind != PL_NODE_SCALAR ||
		    !pl_base64_decode(v->u.scalar.str, v->u.scalar.len, &dec,
		                      &dl))
			continue;
		report(ctx, pl_node_deref(p->key), p->value, dec, dl);
		free(dec);
	}
}

/* Characters of a URL's user or password (RFC 3986 userinfo, minus the
 * delimiters a text puts around a URL). */
static bool userinfo_char(char c)
{
	return c > ' ' && c != ':' && c != '/' && c != '?' && c != '#' &&
	       c != '@' && c != '"' && c != '\'' && c != '<' && c != '>' &&
	       c != '\\' && c != '[' && c != ']' && c != '`' && c != 0x7f;
}

static bool alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static bool same_word(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i;
	if (an != bn)
		return false;
	for (i = 0; i < an; i++) {
		char x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z')
			x = (char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (char)(y + 32);
		if (x != y)
			return false;
	}
	return true;
}

/* A host on this machine: a developer's local database, not a deployed
 * system's (docker-compose files and READMEs are full of them). */
static bool loopback(const char *h, size_t n)
{
	static const char *const hosts[] = {"localhost", "127.", "[::1]",
	                                    "0.0.0.0"};
	size_t i;
	for (i = 0; i < PL_ARRAY_SIZE(hosts); i++) {
		size_t k = strlen(hosts[i]);
		if (n >= k && strncmp(h, hosts[i], k) == 0 &&
		    (hosts[i][k - 1] == '.' || n == k || !alnum(h[k])))
			return true;
	}
	return false;
}

/* scheme://user:password@host where the password is a vendor default or
 * the user name again; reported at the password. */
static void check_urls(pl_ctx *ctx, const pl_file *f)
{
	const char *d = f->src.data;
	size_t len = f->src.len, at = 0;

	while (at + 3 < len) {
		const char *p = memchr(d + at, ':', len - at);
		size_t c, u, pw, pe;
		const char *vendor;
		char masked[32];
		pl_span span;

		if (!p)
			return;
		c = (size_t)(p - d);
		at = c + 1;
		if (c == 0 || !alnum(d[c - 1]) || c + 3 > len ||
		    d[c + 1] != '/' || d[c + 2] != '/')
			continue;
		for (u = c + 3;
		     u < len && u - c - 3 < 64 && userinfo_char(d[u]); u++)
			;
		if (u >= len || d[u] != ':')
			continue;
		for (pw = u + 1, pe = pw;
		     pe < len && pe - pw < 128 && userinfo_char(d[pe]); pe++)
			;
		if (pe == pw || pe + 1 >= len || d[pe] != '@' ||
		    !(alnum(d[pe + 1]) || d[pe + 1] == '['))
			continue;
		if (loopback(d + pe + 1, len - pe - 1))
			continue;
		vendor = pl_secret_default_credential(d + pw, pe - pw);
		if (!vendor && u > c + 3 &&
		    same_word(d + c + 3, u - c - 3, d + pw, pe - pw))
			vendor = "the user name repeated as the password";
		if (!vendor)
			continue;
		span.start = pl_source_pos_at(&f->src, pw);
		span.end = pl_source_pos_at(&f->src, pe);
		pl_secret_mask(masked, sizeof(masked), d + pw, pe - pw);
		pl_emit_secret(ctx, span, d + pw, pe - pw,
		               "generate a password, keep it in a Secret and "
		               "build the URL from it at run time",
		               "a URL's password is a well-known default "
		               "credential (%s): '%s'",
		               vendor, masked);
		at = pe;
	}
}

static void check_defaults(pl_ctx *ctx, const pl_object *o)
{
	pl_sops sops;
	if (pl_sops_open(&sops, o->root)) {
		pl_sops_close(&sops);
		return; /* its values are ciphertext, or secrets/token's */
	}
	if (o->kind && strcmp(o->kind, "Secret") == 0 && o->api_version &&
	    strcmp(o->api_version, "v1") == 0) {
		check_secret_data(ctx, pl_node_get(o->root, "data"));
		walk(ctx, pl_node_get(o->root, "stringData"), 0);
		return;
	}
	walk(ctx, o->root, 0);
}

static void check_file(pl_ctx *ctx, const pl_file *f)
{
	size_t i;
	if (!f->src.data)
		return;
	for (i = 0; f->parsed && i < f->nobjects; i++)
		check_defaults(ctx, &f->objects[i]);
	check_urls(ctx, f);
}

const pl_rule pl_rule_secrets_default_credential = {
        .id = "secrets/default-credential",
        .severity = PL_SEV_WARNING,
        .secret = true,
        .public_values = true,
        .summary = "A password or key is set to a vendor default or a "
                   "well-known weak credential",
        .help = "A credential-named key (a password, secret key or token) "
                "holding a vendor's default is no leak, since the value is "
                "public already, but a system deployed with it opens to "
                "anyone who tries the defaults: MinIO's minioadmin and "
                "minio123, Grafana's admin, kube-prometheus-stack's "
                "prom-operator, Harbor's Harbor12345, RabbitMQ's guest, "
                "postgres for Postgres, the Java keystore's changeit, Label "
                "Studio's label-studio. plumb reads Helm values, ConfigMaps, "
                "env lists and maps, and a Secret's data (decoded) and "
                "stringData, and URLs in any text file whose password is "
                "such a default or repeats the user name "
                "(postgres://postgres:postgres@db/app, not on localhost); "
                "SOPS-encrypted "
                "documents are left alone. The "
                "other secrets/ rules do not report these values, so this "
                "warning can be weighed on its own.\n"
                "Fix: generate a password (openssl rand -base64 24), store "
                "it in a Secret delivered encrypted (SealedSecret, "
                "ExternalSecret, SOPS) and reference it (valueFrom."
                "secretKeyRef, or the chart's existingSecret option).",
        .scope = PL_SCOPE_FILE,
        .file_kinds = PL_FILES_YAML | PL_FILES_TEXT | PL_FILES_TEMPLATE,
        .check_file = check_file,
        .example = "apiVersion: apps/v1\n"
                   "kind: Deployment\n"
                   "metadata:\n"
                   "  name: minio\n"
                   "spec:\n"
                   "  selector:\n"
                   "    matchLabels: {app: minio}\n"
                   "  template:\n"
                   "    metadata:\n"
                   "      labels: {app: minio}\n"
                   "    spec:\n"
                   "      containers:\n"
                   "        - name: minio\n"
                   "          image: quay.io/minio/minio:RELEASE.2025-01-20\n"
                   "          env:\n"
                   "            - name: MINIO_ROOT_PASSWORD\n"
                   "              value: minioadmin\n",
        .tags = PL_TAGS("security", "secrets", "external/cwe/cwe-798"),
        .precision = PL_PRECISION_HIGH,
        .security = true,
};
