/*
 * secrets_env.c - secrets/env-value: a credential-named environment
 * variable given a literal value.
 *
 * The text scan (secrets/token) sees `PASSWORD=...` and `password: ...`
 * but not an env entry, where the name and the value sit on two lines:
 *     - name: DB_PASSWORD
 *       value: hunter2hunter2
 * Structure joins them. Any YAML document is walked (pod specs, Flux
 * HelmRelease values, Helm values files, operator CRs), and a list under
 * an env-like key (env, extraEnv, extraEnvVars, environment, envVars) is
 * read as name/value pairs; a mapping under such a key (Helm charts'
 * `env: {API_KEY: value}`) as NAME: value pairs. valueFrom, placeholders,
 * references, paths, other variables' names and values that secrets/token
 * already names by their format stay with those mechanisms.
 */
#include "builtin/builtin.h"
#include "builtin/secrets_scan.h"
#include "base/buf.h"
#include "base/quote.h"
#include "tree/comment.h"

/* Deeper than any real manifest; a hostile one stops here. */
#define ENV_MAX_DEPTH 64

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The last word of a key (camelCase, '_', '-'), lower-cased, compared to
 * w: `extraEnvVars` ends in "vars", `env` is "env". */
static bool last_word_is(const char *k, size_t n, const char *w)
{
	size_t start = 0, i, wl = strlen(w);
	for (i = 1; i < n; i++)
		if (k[i] == '_' || k[i] == '-' ||
		    (k[i] >= 'A' && k[i] <= 'Z' && k[i - 1] >= 'a' &&
		     k[i - 1] <= 'z'))
			start = k[i] == '_' || k[i] == '-' ? i + 1 : i;
	if (n - start != wl)
		return false;
	for (i = 0; i < wl; i++)
		if (lower(k[start + i]) != w[i])
			return false;
	return true;
}

static bool env_list_key(const pl_node *k)
{
	static const char *const words[] = {"env", "envs", "environment",
	                                    "vars", "variables"};
	size_t i;
	if (!k || k->kind != PL_NODE_SCALAR)
		return false;
	for (i = 0; i < PL_ARRAY_SIZE(words); i++)
		if (last_word_is(k->u.scalar.str, k->u.scalar.len, words[i]))
			return true;
	return false;
}

/* A value that stands for something else rather than being the secret:
 * another variable's name (PGPASSWORD: POSTGRES_PASSWORD), a path to a
 * mounted file, a URL or host without credentials. */
static bool reference_like(const char *s, size_t n)
{
	size_t i;
	bool upper_ident = true;
	if (s[0] == '/' || (n > 2 && s[0] == '.' && s[1] == '/'))
		return true;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			upper_ident = false;
	}
	if (upper_ident && memchr(s, '_', n))
		return true;
	/* scheme://host/... with no user:password@ part */
	for (i = 0; i + 2 < n; i++)
		if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/')
			return !memchr(s, '@', n);
	return false;
}

/* Whether a comment says the value is a stand-in: `# REQUIRED - replace
 * with your access key`, `# example`, `# dummy`. */
static bool comment_says_placeholder(const pl_tree *t, uint32_t line)
{
	static const char *const words[] = {"replace", "placeholder",
	                                    "dummy",   "example",
	                                    "fake",    "your own"};
	const pl_comment *c = pl_comment_trailing(t, line);
	const char *s;
	size_t n, i, j, k;
	if (!c)
		return false;
	s = pl_comment_text(t, c, &n);
	for (i = 0; i < PL_ARRAY_SIZE(words); i++) {
		size_t wl = strlen(words[i]);
		for (j = 0; j + wl <= n; j++) {
			for (k = 0; k < wl; k++)
				if (lower(s[j + k]) != words[i][k])
					break;
			if (k == wl)
				return true;
		}
	}
	return false;
}

/* Whether an env var's name makes its value a credential: a credential
 * word (pl_secret_key_name), or a last word SECRET, which in a variable
 * name (REGISTRY_HTTP_SECRET) is the secret itself when the value is
 * random rather than a word (a Secret's name). */
static bool object_name(const char *s, size_t n)
{
	size_t i;
	bool dash = false, digit = false;
	if (n == 0 || s[0] < 'a' || s[0] > 'z')
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c == '-' || c == '.')
			dash = true;
		else if (c >= '0' && c <= '9')
			digit = true;
		else if (c < 'a' || c > 'z')
			return false;
	}
	return dash || !digit;
}

static bool credential_name(const pl_node *name, const pl_node *v)
{
	const char *k = name->u.scalar.str;
	size_t n = name->u.scalar.len;
	/* SESSION_SECRET: registry names a Secret object, as a word */
	if (last_word_is(k, n, "secret") &&
	    object_name(v->u.scalar.str, v->u.scalar.len))
		return false;
	if (pl_secret_key_name(k, n))
		return true;
	return last_word_is(k, n, "secret") &&
	       pl_secret_random_value(v->u.scalar.str, v->u.scalar.len);
}

/* For an env map entry (`KEY: value`): would the text scan report the
 * same line? Then secrets/token speaks, with the format's name. */
static bool text_scan_reports(pl_ctx *ctx, const pl_node *name,
                              const pl_node *v)
{
	pl_buf line;
	bool found;
	pl_buf_init(&line, 0);
	pl_buf_add(&line, name->u.scalar.str, name->u.scalar.len);
	pl_buf_adds(&line, ": ");
	pl_buf_add(&line, v->u.scalar.str, v->u.scalar.len);
	found = pl_secrets_identify(pl_ctx_state(ctx), pl_ctx_scratch(ctx),
	                            line.ptr, line.len) != NULL;
	pl_buf_release(&line);
	return found;
}

/* name: the variable's name; at: its value as written (an alias's own
 * span); map: the entry is `NAME: value` of an env map. */
static void check_named(pl_ctx *ctx, const pl_tree *t, const pl_node *name,
                        const pl_node *at, bool map)
{
	const pl_node *v = pl_node_deref(at);
	char masked[32], qn[96];

	if (!name || name->kind != PL_NODE_SCALAR || !v ||
	    v->kind != PL_NODE_SCALAR ||
	    (v->type != PL_TYPE_STRING && v->type != PL_TYPE_INT))
		return;
	if (!credential_name(name, v))
		return;
	if (v->u.scalar.len < 6 ||
	    pl_secret_placeholder(v->u.scalar.str, v->u.scalar.len) ||
	    reference_like(v->u.scalar.str, v->u.scalar.len) ||
	    pl_secret_password_hash(v->u.scalar.str, v->u.scalar.len) ||
	    pl_secret_default_credential(v->u.scalar.str, v->u.scalar.len))
		return;
	/* a known format is secrets/token's, with the service's name */
	if (pl_secrets_identify(pl_ctx_state(ctx), pl_ctx_scratch(ctx),
	                        v->u.scalar.str, v->u.scalar.len))
		return;
	if (comment_says_placeholder(t, name->span.start.line) ||
	    comment_says_placeholder(t, at->span.start.line))
		return;
	if (map && text_scan_reports(ctx, name, v))
		return;
	pl_quote(qn, sizeof(qn), name->u.scalar.str, name->u.scalar.len, 64);
	pl_secret_mask(masked, sizeof(masked), v->u.scalar.str,
	               v->u.scalar.len);
	pl_emit_secret(ctx, at->span, v->u.scalar.str, v->u.scalar.len,
	               "valueFrom: {secretKeyRef: {name: SECRET, key: KEY}}",
	               "env '%s' has a plaintext value '%s'; read it from a "
	               "Secret instead",
	               qn, masked);
}

static void check_entry(pl_ctx *ctx, const pl_tree *t, const pl_node *entry)
{
	const pl_pair *pair;

	entry = pl_node_deref(entry);
	if (!entry || entry->kind != PL_NODE_MAPPING ||
	    pl_node_get(entry, "valueFrom"))
		return;
	pair = pl_node_get_pair(entry, "value");
	if (pair)
		check_named(ctx, t, pl_node_deref(pl_node_get(entry, "name")),
		            pair->value, false);
}

static void walk(pl_ctx *ctx, const pl_tree *t, const pl_node *n,
                 unsigned depth)
{
	size_t i, j;

	n = pl_node_deref(n);
	if (!n || depth > ENV_MAX_DEPTH)
		return;
	if (n->kind == PL_NODE_SEQUENCE) {
		for (i = 0; i < n->u.seq.len; i++)
			walk(ctx, t, n->u.seq.items[i], depth + 1);
		return;
	}
	if (n->kind != PL_NODE_MAPPING)
		return;
	for (i = 0; i < n->u.map.len; i++) {
		const pl_node *k = pl_node_deref(n->u.map.pairs[i].key);
		const pl_node *v = pl_node_deref(n->u.map.pairs[i].value);
		if (v && v->kind == PL_NODE_SEQUENCE && env_list_key(k)) {
			for (j = 0; j < v->u.seq.len; j++)
				check_entry(ctx, t, v->u.seq.items[j]);
		}
		/* Helm charts' env maps: env: {API_KEY: value} */
		if (v && v->kind == PL_NODE_MAPPING && env_list_key(k)) {
			for (j = 0; j < v->u.map.len; j++)
				check_named(
				        ctx, t,
				        pl_node_deref(v->u.map.pairs[j].key),
				        v->u.map.pairs[j].value, true);
		}
		walk(ctx, t, v, depth + 1);
	}
}

static void check_env(pl_ctx *ctx, const pl_object *o)
{
	/* a Secret's own values are secrets/k8s-secret's */
	if (o->kind && strcmp(o->kind, "Secret") == 0)
		return;
	walk(ctx, &o->file->tree, o->root, 0);
}

const pl_rule pl_rule_secrets_env_value = {
        .id = "secrets/env-value",
        .severity = PL_SEV_ERROR,
        .secret = true,
        .summary = "A credential-named environment variable has a literal "
                   "value",
        .help = "An env entry such as `name: DB_PASSWORD` with `value: ...` "
                "puts the credential in git and in the object's spec, where "
                "anyone who can read the repository or `kubectl get` the "
                "workload sees it. plumb reads every env-like list (env, "
                "extraEnv, extraEnvVars, environment, envVars) in any YAML "
                "document: pod specs, Flux HelmRelease values, Helm values "
                "files, as lists of name/value entries or as maps "
                "(`env: {API_KEY: ...}`). Names count when a word of them "
                "names a credential (PASSWORD, TOKEN, API_KEY, PRIVATE_KEY, "
                "DSN, CREDENTIALS), not when they are about one "
                "(PASSWORD_FILE, TOKEN_URL, SECRET_NAME); a name ending in "
                "SECRET (REGISTRY_HTTP_SECRET) counts when its value is "
                "random, not when it is a word or a Secret's name. Silent on "
                "valueFrom, placeholders (`<password>`, `changeme`, "
                "`${VAR}`, `$(VAR)`, `{{ .x }}`), references (op://, "
                "vault:), file paths, another variable's name, password "
                "hashes and URLs without credentials; values in a known token format are "
                "reported by secrets/token with the service's name.\n"
                "Fix: rotate the value, store it in a Secret delivered "
                "encrypted (SealedSecret, ExternalSecret, SOPS) and read it "
                "with `valueFrom: {secretKeyRef: {name: ..., key: ...}}`; "
                "in Helm values, use the chart's existingSecret option.",
        .scope = PL_SCOPE_OBJECT,
        .as_written = true,
        .check_object = check_env,
        .prepare = pl_secrets_scanner_new,
        .release = pl_secrets_scanner_free,
        .example = "apiVersion: apps/v1\n"
                   "kind: Deployment\n"
                   "metadata:\n"
                   "  name: billing\n"
                   "spec:\n"
                   "  selector:\n"
                   "    matchLabels: {app: billing}\n"
                   "  template:\n"
                   "    metadata:\n"
                   "      labels: {app: billing}\n"
                   "    spec:\n"
                   "      containers:\n"
                   "        - name: billing\n"
                   "          image: ghcr.io/acme/billing:1.4.2\n"
                   "          env:\n"
                   "            - name: DB_PASSWORD\n"
                   "              value: \"Billing-Pa55w0rd-9Qx\"\n",
        .tags = PL_TAGS("security", "secrets", "external/cwe/cwe-798"),
        .precision = PL_PRECISION_MEDIUM,
        .security = true,
};
