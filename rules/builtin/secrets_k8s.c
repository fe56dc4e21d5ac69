/*
 * secrets_k8s.c - secrets/k8s-secret: a Kubernetes Secret committed with
 * real values in data or stringData.
 *
 * A Secret manifest in git is the commonest leak of a GitOps repository:
 * base64 is an encoding, not encryption. Silent on what is the right way
 * or holds nothing real: what a SOPS-encrypted document's rule encrypts
 * (secrets_sops.c; secrets/token reports such values left in clear),
 * SealedSecret and ExternalSecret (other kinds), empty values, placeholders,
 * template expressions and references (op://, ${VAR}), and public certificates
 * (ca.crt holding only BEGIN CERTIFICATE blocks). `data` values are decoded, so
 * a .dockerconfigjson holding a GitHub token is named as such.
 */
#include "builtin/builtin.h"
#include "builtin/secrets_scan.h"
#include "base/quote.h"

/* A key named like a file of its own: `ca.crt`, `config.yaml`. */
static bool ends_with(const char *s, size_t n, const char *ext)
{
	size_t e = strlen(ext);
	return n > e && strcmp(s + n - e, ext) == 0;
}

static bool certificate_name(const char *k, size_t n)
{
	return ends_with(k, n, ".crt") || ends_with(k, n, ".pem") ||
	       ends_with(k, n, ".cer") || ends_with(k, n, ".ca");
}

static bool config_file_name(const char *k, size_t n)
{
	static const char *const ext[] = {
	        ".json", ".yaml", ".yml", ".conf",       ".toml", ".ini",
	        ".xml",  ".cfg",  ".hcl", ".properties", ".txt",  ".sh",
	};
	size_t i;
	for (i = 0; i < PL_ARRAY_SIZE(ext); i++)
		if (ends_with(k, n, ext[i]))
			return true;
	return false;
}

/* Keys that sit beside the secret in a Secret without being one: the
 * user name, the host, a public key, known_hosts. Compared on the end of
 * the key, without case: `apiUsername`, `auth.username_in`,
 * `azurestorageaccountname`, `identity.pub`, `POSTGRES_DB`. */
static bool companion_key(const char *k)
{
	static const char *const ends[] = {
	        "username", "username_in", "user",   "login",    "host",
	        "hostname", "hosts",       "port",   "database", "dbname",
	        "email",    "endpoint",    "region", "server",   "address",
	        "url",      "name",        "owner",  ".pub",     "namespace",
	        "_db",      "-db",         "schema",
	};
	char low[128];
	size_t n = strlen(k), i, e;

	if (n >= sizeof(low))
		return false;
	for (i = 0; i <= n; i++)
		low[i] = k[i] >= 'A' && k[i] <= 'Z' ? (char)(k[i] + 32) : k[i];
	for (i = 0; i < PL_ARRAY_SIZE(ends); i++) {
		e = strlen(ends[i]);
		if (n >= e && strcmp(low + n - e, ends[i]) == 0)
			return true;
	}
	return false;
}

/* Only certificates, no private key: public material. */
static bool public_certificate(const char *s, size_t len)
{
	(void)len;
	return strstr(s, "-----BEGIN CERTIFICATE-----") &&
	       !strstr(s, "PRIVATE KEY-----");
}

/* An RFC 3339 date or date-time (Argo CD's admin.passwordMtime): when a
 * secret changed, not the secret. */
static bool timestamp(const char *s, size_t n)
{
	size_t i;
	if (n < 10 || n > 40 || s[4] != '-' || s[7] != '-')
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] && strchr("-:.+TZ", s[i]))))
			return false;
	return true;
}

static void check_value(pl_ctx *ctx, const pl_object *o, const pl_pair *p,
                        bool base64)
{
	const pl_node *k = pl_node_deref(p->key);
	const pl_node *v = pl_node_deref(p->value);
	const char *text;
	size_t len;
	char *decoded = NULL;
	char masked[32], qk[96], qn[96];
	const pl_token_format *fmt;

	if (!k || !v || k->kind != PL_NODE_SCALAR || v->kind != PL_NODE_SCALAR)
		return;
	text = v->u.scalar.str;
	len = v->u.scalar.len;
	if (len == 0 || pl_secret_placeholder(text, len))
		return;
	if (!base64) {
		/* a placeholder may come base64-encoded even in stringData
		 * (flux prints masked SOPS values that way) */
		size_t dl;
		if (pl_base64_decode(text, len, &decoded, &dl) && dl &&
		    pl_secret_placeholder(decoded, dl))
			goto done;
		free(decoded);
		decoded = NULL;
	}
	if (base64) {
		if (!pl_base64_decode(text, len, &decoded, &len)) {
			decoded = NULL;
			len = v->u.scalar.len; /* not base64: scan as is */
		} else {
			text = decoded;
		}
		if (len == 0 || pl_secret_placeholder(text, len))
			goto done;
	}
	if (public_certificate(text, len) || timestamp(text, len) ||
	    pl_secret_default_credential(text, len) ||
	    pl_secret_password_hash(text, len))
		goto done;
	pl_quote(qk, sizeof(qk), k->u.scalar.str, k->u.scalar.len, 60);
	pl_quote(qn, sizeof(qn), o->name ? o->name : "?",
	         o->name ? strlen(o->name) : 1, 60);
	fmt = pl_secrets_identify(pl_ctx_state(ctx), pl_ctx_scratch(ctx), text,
	                          len);
	/* a certificate (ca.crt) is public unless a private key hides in
	 * it; a whole config file is reported only if it holds a known
	 * credential, since most are settings, not secrets */
	if (!fmt && pl_secret_encrypted_key(text, len))
		goto done; /* useless without its passphrase */
	if (!fmt && (certificate_name(k->u.scalar.str, k->u.scalar.len) ||
	             config_file_name(k->u.scalar.str, k->u.scalar.len) ||
	             companion_key(k->u.scalar.str)))
		goto done;
	if (fmt && fmt->kind == PL_SECRET_PRIVATE_KEY) {
		pl_emit_secret(ctx, p->value->span, text, len,
		               "use a SealedSecret, an ExternalSecret or SOPS",
		               "Secret '%s' commits %s '%s' in plain text (%s)",
		               qn, base64 ? "data" : "stringData", qk,
		               fmt->name);
		goto done;
	}
	pl_secret_mask(masked, sizeof(masked), text, len);
	if (fmt)
		pl_emit_secret(ctx, p->value->span, text, len,
		               "use a SealedSecret, an ExternalSecret or SOPS",
		               "Secret '%s' commits %s '%s' in plain text: "
		               "'%s' (%s)",
		               qn, base64 ? "data" : "stringData", qk, masked,
		               fmt->name);
	else
		pl_emit_secret(
		        ctx, p->value->span, text, len,
		        "use a SealedSecret, an ExternalSecret or SOPS",
		        "Secret '%s' commits %s '%s' in plain text: '%s'", qn,
		        base64 ? "data" : "stringData", qk, masked);
done:
	free(decoded);
}

/* sops: the document's SOPS rule, or NULL; values it encrypts are left
 * to secrets/token, which reports those still in plain text. */
static void check_section(pl_ctx *ctx, const pl_object *o, const char *key,
                          bool base64, const pl_sops *sops)
{
	const pl_pair *sec = pl_node_get_pair(o->root, key);
	const pl_node *m = sec ? pl_node_deref(sec->value) : NULL;
	size_t i;
	if (!m || m->kind != PL_NODE_MAPPING)
		return;
	for (i = 0; i < m->u.map.len; i++) {
		const pl_node *path[2] = {sec->key, m->u.map.pairs[i].key};
		if (sops &&
		    pl_sops_encrypts(sops, path, 2, pl_ctx_scratch(ctx)))
			continue;
		check_value(ctx, o, &m->u.map.pairs[i], base64);
	}
}

static void check_secret(pl_ctx *ctx, const pl_object *o)
{
	pl_sops sops;
	bool encrypted;
	if (!o->api_version || strcmp(o->api_version, "v1") != 0)
		return;
	encrypted = pl_sops_open(&sops, o->root) == 1;
	if (encrypted && sops.unknown) {
		pl_sops_close(&sops);
		return; /* SOPS-encrypted by a rule we cannot read */
	}
	/* a SOPS rule can leave values in clear (encrypted_regex: ^password$
	 * beside a token): those are judged like any other */
	check_section(ctx, o, "data", true, encrypted ? &sops : NULL);
	check_section(ctx, o, "stringData", false, encrypted ? &sops : NULL);
	if (encrypted)
		pl_sops_close(&sops);
}

const pl_rule pl_rule_secrets_k8s_secret = {
        .id = "secrets/k8s-secret",
        .severity = PL_SEV_ERROR,
        .secret = true,
        .summary = "A Kubernetes Secret is committed with real values in data "
                   "or stringData",
        .help = "A kind: Secret in git exposes its values to everyone who can "
                "read the repository, forever: `data` is base64, an encoding "
                "anyone can reverse, and `stringData` is plain text. plumb "
                "decodes `data`, names known credential formats inside (a "
                "token in a .dockerconfigjson), and stays silent on empty "
                "values, placeholders (`<password>`, `changeme`), templates "
                "(`{{ .password }}`, `${VAR}`), references (op://, vault:), "
                "public certificates, password hashes (an htpasswd `auth` "
                "file, Argo CD's bcrypt admin.password), encrypted private "
                "keys, and values a SOPS-encrypted document's rule encrypts "
                "(secrets/token reports those left in clear; values the "
                "rule does not select are judged here).\n"
                "Fix: rotate the values (they are leaked already), delete the "
                "Secret from git and its history, and deliver it encrypted: "
                "a SealedSecret (kubeseal), an ExternalSecret backed by a "
                "vault, or a SOPS-encrypted file decrypted by Flux.",
        .scope = PL_SCOPE_OBJECT,
        .as_written = true,
        .kinds = PL_KINDS("Secret"),
        .check_object = check_secret,
        .prepare = pl_secrets_scanner_new,
        .release = pl_secrets_scanner_free,
        .example = "apiVersion: v1\n"
                   "kind: Secret\n"
                   "metadata:\n"
                   "  name: app-db\n"
                   "type: Opaque\n"
                   "stringData:\n"
                   "  username: app\n"
                   "  password: NotReal-Pa55w0rd-7Kq2\n",
        .tags = PL_TAGS("security", "secrets", "external/cwe/cwe-798"),
        .precision = PL_PRECISION_HIGH,
        .security = true,
};
