/*
 * secrets_pulumi.c - secrets/pulumi-config and secrets/pulumi-stack.
 *
 * Pulumi keeps secret config encrypted in the stack file as `secure:`
 * values: `v1:<nonce>:<ciphertext>` with a passphrase or cloud KMS
 * provider, or a base64 blob starting `AAABA` with Pulumi Cloud. A plain
 * value where a secure one belongs is a leak. The Pulumi CLI only warns
 * for password/secret/token key names with high entropy; plumb also uses
 * the project's own declarations (`secret: true` in Pulumi.yaml, found
 * beside the stack file), credential-sounding key names on word
 * boundaries (`dbPassword`, `apiKey`, not `insecure`), and the
 * credential formats of secrets/token on the value (DSNs, URLs with a
 * password, provider tokens).
 */
#include "builtin/builtin.h"
#include "builtin/secrets_scan.h"
#include "base/buf.h"
#include "base/quote.h"

/* --- stack files ------------------------------------------------------ */

/* Pulumi.<stack>.yaml or .yml; returns the folder length or -1. */
static bool b64char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
}

static bool b64run(const char *s, size_t n)
{
	size_t i;
	if (n == 0)
		return false;
	for (i = 0; i < n; i++)
		if (!b64char(s[i]))
			return false;
	return true;
}

/* v1:<nonce>:<ciphertext> or a Pulumi Cloud blob (base64, AAABA...). */
static bool secure_well_formed(const char *s, size_t n)
{
	if (n > 3 && strncmp(s, "v1:", 3) == 0) {
		const char *colon = memchr(s + 3, ':', n - 3);
		if (!colon)
			return false;
		return b64run(s + 3, (size_t)(colon - s - 3)) &&
		       b64run(colon + 1, n - (size_t)(colon + 1 - s));
	}
	return n >= 24 && strncmp(s, "AAABA", 5) == 0 && b64run(s, n);
}

typedef struct stack_ctx {
	pl_ctx *ctx;
	const pl_node *project_config; /* Pulumi.yaml `config:` or NULL */
	const char *project;           /* Pulumi.yaml `name:` or NULL */
} stack_ctx;

/* Does Pulumi.yaml declare key (project:name or name) `secret: true`? */
static bool declared_secret(const stack_ctx *sc, const char *key)
{
	const char *colon = strchr(key, ':');
	const pl_node *decl;
	size_t i;

	if (!sc->project_config)
		return false;
	for (i = 0; i < sc->project_config->u.map.len; i++) {
		const pl_pair *p = &sc->project_config->u.map.pairs[i];
		const pl_node *k = pl_node_deref(p->key);
		const char *name;
		if (!k || k->kind != PL_NODE_SCALAR)
			continue;
		name = k->u.scalar.str;
		if (strcmp(name, key) != 0 &&
		    !(colon && sc->project &&
		      strncmp(key, sc->project, (size_t)(colon - key)) == 0 &&
		      strlen(sc->project) == (size_t)(colon - key) &&
		      strcmp(name, colon + 1) == 0))
			continue;
		decl = pl_node_deref(p->value);
		if (decl && decl->kind == PL_NODE_MAPPING) {
			const pl_node *s = pl_node_get(decl, "secret");
			return s && s->kind == PL_NODE_SCALAR &&
			       s->type == PL_TYPE_BOOL && s->u.scalar.b;
		}
	}
	return false;
}

static void plain_value(const stack_ctx *sc, const char *key, const char *leaf,
                        const pl_node *at, const pl_node *v, bool top)
{
	char masked[32], qk[128];
	const pl_token_format *fmt = NULL;
	const char *why = NULL;

	if (v->type != PL_TYPE_STRING && v->type != PL_TYPE_INT)
		return;
	if (pl_secret_placeholder(v->u.scalar.str, v->u.scalar.len))
		return;
	if (v->type == PL_TYPE_STRING)
		fmt = pl_secrets_identify(pl_ctx_state(sc->ctx),
		                          pl_ctx_scratch(sc->ctx),
		                          v->u.scalar.str, v->u.scalar.len);
	if (top && declared_secret(sc, key))
		why = "Pulumi.yaml declares it secret: true";
	else if (fmt)
		why = fmt->name;
	else if (pl_secret_key_name(leaf, strlen(leaf)) && v->u.scalar.len >= 6)
		why = "its name says it is a credential";
	if (!why)
		return;
	pl_quote(qk, sizeof(qk), key, strlen(key), 80);
	pl_secret_mask(masked, sizeof(masked), v->u.scalar.str,
	               v->u.scalar.len);
	pl_emit_secret(sc->ctx, at->span, v->u.scalar.str, v->u.scalar.len,
	               "pulumi config set --secret KEY VALUE, then commit the "
	               "secure: value",
	               "config '%s' is plain text where it must be secure: "
	               "'%s' (%s)",
	               qk, masked, why);
}

static void config_value(const stack_ctx *sc, const char *key, const char *leaf,
                         const pl_node *v, bool top, unsigned depth)
{
	size_t i;
	char qk[128];

	const pl_node *at = v; /* as written: an alias has its own span */

	v = pl_node_deref(v);
	if (!v || depth > 64)
		return;
	if (v->kind == PL_NODE_SCALAR) {
		plain_value(sc, key, leaf, at, v, top);
		return;
	}
	if (v->kind == PL_NODE_SEQUENCE) {
		for (i = 0; i < v->u.seq.len; i++)
			config_value(sc, key, leaf, v->u.seq.items[i], false,
			             depth + 1);
		return;
	}
	if (v->kind != PL_NODE_MAPPING)
		return;
	if (v->u.map.len == 1 &&
	    pl_node_is_str(v->u.map.pairs[0].key, "secure")) {
		const pl_node *c = pl_node_deref(v->u.map.pairs[0].value);
		if (c && c->kind == PL_NODE_SCALAR &&
		    !secure_well_formed(c->u.scalar.str, c->u.scalar.len)) {
			pl_quote(qk, sizeof(qk), key, strlen(key), 80);
			pl_emit_hint(sc->ctx, c->span,
			             "set it again with pulumi config set "
			             "--secret",
			             "config '%s' has a secure: value that "
			             "is not Pulumi ciphertext (neither "
			             "v1:<nonce>:<ciphertext> nor a Pulumi "
			             "Cloud blob); pulumi cannot decrypt it",
			             qk);
		}
		return;
	}
	for (i = 0; i < v->u.map.len; i++) {
		const pl_node *k = pl_node_deref(v->u.map.pairs[i].key);
		pl_buf path;
		if (!k || k->kind != PL_NODE_SCALAR)
			continue;
		pl_buf_init(&path, 4096);
		pl_buf_addf(&path, "%s.%s", key, k->u.scalar.str);
		config_value(sc, path.ptr, k->u.scalar.str,
		             v->u.map.pairs[i].value, false, depth + 1);
		pl_buf_release(&path);
	}
}

static void check_stack_file(pl_ctx *ctx, const pl_file *f)
{
	long dir = pl_pulumi_stack_file(f->src.path);
	const pl_node *config;
	stack_ctx sc;
	size_t i;

	if (dir < 0 || !f->parsed || f->nobjects == 0 || !f->objects[0].root ||
	    f->objects[0].root->kind != PL_NODE_MAPPING)
		return;
	config = pl_node_get(f->objects[0].root, "config");
	if (!config || config->kind != PL_NODE_MAPPING)
		return;
	memset(&sc, 0, sizeof(sc));
	sc.ctx = ctx;
	{
		/* the project file beside the stack file */
		pl_buf p;
		const pl_file *proj;
		pl_buf_init(&p, 0);
		pl_buf_addf(&p, "%.*sPulumi.yaml", (int)dir, f->src.path);
		proj = pl_ctx_file(ctx, p.ptr);
		if (!proj) {
			pl_buf_reset(&p);
			pl_buf_addf(&p, "%.*sPulumi.yml", (int)dir,
			            f->src.path);
			proj = pl_ctx_file(ctx, p.ptr);
		}
		pl_buf_release(&p);
		if (proj && proj->parsed && proj->nobjects &&
		    proj->objects[0].root &&
		    proj->objects[0].root->kind == PL_NODE_MAPPING) {
			const pl_node *pc =
			        pl_node_get(proj->objects[0].root, "config");
			sc.project =
			        pl_node_get_str(proj->objects[0].root, "name");
			if (pc && pc->kind == PL_NODE_MAPPING)
				sc.project_config = pc;
		}
	}
	for (i = 0; i < config->u.map.len; i++) {
		const pl_node *k = pl_node_deref(config->u.map.pairs[i].key);
		const char *leaf;
		if (!k || k->kind != PL_NODE_SCALAR)
			continue;
		leaf = strrchr(k->u.scalar.str, ':');
		leaf = leaf ? leaf + 1 : k->u.scalar.str;
		config_value(&sc, k->u.scalar.str, leaf,
		             config->u.map.pairs[i].value, true, 0);
	}
}

const pl_rule pl_rule_secrets_pulumi_config = {
        .id = "secrets/pulumi-config",
        .severity = PL_SEV_ERROR,
        .secret = true,
        .summary = "A Pulumi stack config value is plain text where it must "
                   "be secure:",
        .help = "Pulumi.<stack>.yaml is committed, so its secret values must "
                "be ciphertext: `secure: v1:...` (passphrase or KMS provider) "
                "or `secure: AAABA...` (Pulumi Cloud). plumb reports a plain "
                "value when Pulumi.yaml declares the key `secret: true`, when "
                "the key's name says it is a credential (password, token, "
                "secret, apiKey, privateKey, on word boundaries: `insecure` "
                "does not count), or when the value has a credential's "
                "format (a database URL with a password, a provider token). "
                "It also reports a `secure:` value that is not ciphertext, "
                "which pulumi cannot decrypt. ESC `environment:` imports, "
                "references (op://, ${VAR}) and `encryptionsalt` are fine.\n"
                "Fix: `pulumi config set --secret KEY VALUE` writes the "
                "secure form; rotate a value that was committed in plain "
                "text.",
        .scope = PL_SCOPE_FILE,
        .file_kinds = PL_FILES_YAML,
        .check_file = check_stack_file,
        .reads_files = true, /* the project's Pulumi.yaml */
        .prepare = pl_secrets_scanner_new,
        .release = pl_secrets_scanner_free,
        .example = "# Pulumi.dev.yaml: the stack file of stack dev\n"
                   "config:\n"
                   "  aws:region: eu-west-1\n"
                   "  app:dbPassword: NotReal-Pa55w0rd-4Tz9\n",
        .tags = PL_TAGS("security", "secrets", "external/cwe/cwe-798"),
        .precision = PL_PRECISION_HIGH,
        .security = true,
};

/* --- Pulumi Kubernetes Operator Stack --------------------------------- */

static void stack_literal(pl_ctx *ctx, const char *what, const char *name,
                          const pl_node *v, bool always)
{
	const pl_token_format *fmt;
	char masked[32], qn[96];

	const pl_node *at = v;

	v = pl_node_deref(v);
	if (!v || v->kind != PL_NODE_SCALAR || v->type != PL_TYPE_STRING ||
	    pl_secret_placeholder(v->u.scalar.str, v->u.scalar.len))
		return;
	fmt = pl_secrets_identify(pl_ctx_state(ctx), pl_ctx_scratch(ctx),
	                          v->u.scalar.str, v->u.scalar.len);
	if (!always && !fmt && !pl_secret_key_name(name, strlen(name)))
		return;
	pl_quote(qn, sizeof(qn), name, strlen(name), 60);
	pl_secret_mask(masked, sizeof(masked), v->u.scalar.str,
	               v->u.scalar.len);
	pl_emit_secret(
	        ctx, at->span, v->u.scalar.str, v->u.scalar.len,
	        "reference a Kubernetes Secret (type: Secret with "
	        "secret: {name, key}) instead",
	        "Stack %s '%s' holds a credential in plain text: '%s'%s%s%s",
	        what, qn, masked, fmt ? " (" : "", fmt ? fmt->name : "",
	        fmt ? ")" : "");
}

static void check_operator_stack(pl_ctx *ctx, const pl_object *o)
{
	const pl_node *spec, *m;
	size_t i;

	if (!o->api_version || strncmp(o->api_version, "pulumi.com/", 11) != 0)
		return;
	spec = pl_node_get(o->root, "spec");
	if (!spec || spec->kind != PL_NODE_MAPPING)
		return;
	m = pl_node_get(spec, "secrets");
	for (i = 0; m && m->kind == PL_NODE_MAPPING && i < m->u.map.len; i++) {
		const pl_node *k = pl_node_deref(m->u.map.pairs[i].key);
		if (k && k->kind == PL_NODE_SCALAR)
			stack_literal(ctx, "secret", k->u.scalar.str,
			              m->u.map.pairs[i].value, true);
	}
	m = pl_node_get(spec, "envRefs");
	for (i = 0; m && m->kind == PL_NODE_MAPPING && i < m->u.map.len; i++) {
		const pl_node *k = pl_node_deref(m->u.map.pairs[i].key);
		const pl_node *ref = pl_node_deref(m->u.map.pairs[i].value);
		const pl_node *lit;
		if (!k || k->kind != PL_NODE_SCALAR || !ref ||
		    !pl_node_is_str(pl_node_get(ref, "type"), "Literal"))
			continue;
		lit = pl_node_get(ref, "literal");
		stack_literal(ctx, "envRef", k->u.scalar.str,
		              lit ? pl_node_get(lit, "value") : NULL, false);
	}
	m = pl_node_get(spec, "config");
	for (i = 0; m && m->kind == PL_NODE_MAPPING && i < m->u.map.len; i++) {
		const pl_node *k = pl_node_deref(m->u.map.pairs[i].key);
		const char *leaf;
		if (!k || k->kind != PL_NODE_SCALAR)
			continue;
		leaf = strrchr(k->u.scalar.str, ':');
		stack_literal(ctx, "config", leaf ? leaf + 1 : k->u.scalar.str,
		              m->u.map.pairs[i].value, false);
	}
}

const pl_rule pl_rule_secrets_pulumi_stack = {
        .id = "secrets/pulumi-stack",
        .severity = PL_SEV_ERROR,
        .secret = true,
        .summary = "A Pulumi Operator Stack holds a credential in plain text",
        .help = "The Pulumi Kubernetes Operator's Stack resource "
                "(pulumi.com/v1) can carry plaintext `spec.secrets` "
                "(deprecated), literal `spec.envRefs` and plain "
                "`spec.config`; committed to git, those values leak. plumb "
                "reports every non-placeholder `spec.secrets` value, and "
                "literal envRefs or config values whose name says credential "
                "or whose value has a credential's format.\n"
                "Fix: keep the value in a Kubernetes Secret delivered "
                "encrypted (SealedSecret, ExternalSecret, SOPS) and reference "
                "it: `envRefs: {TOKEN: {type: Secret, secret: {name: ..., "
                "key: ...}}}` or `secretsRef`.",
        .scope = PL_SCOPE_OBJECT,
        .as_written = true,
        .kinds = PL_KINDS("Stack"),
        .check_object = check_operator_stack,
        .prepare = pl_secrets_scanner_new,
        .release = pl_secrets_scanner_free,
        .example = "apiVersion: pulumi.com/v1\n"
                   "kind: Stack\n"
                   "metadata:\n"
                   "  name: network\n"
                   "spec:\n"
                   "  stack: acme/network/prod\n"
                   "  projectRepo: https://github.com/acme/network\n"
                   "  secrets:\n"
                   "    dbPassword: NotReal-Pa55w0rd-8Wy3\n",
        .tags = PL_TAGS("security", "secrets", "external/cwe/cwe-798"),
        .precision = PL_PRECISION_HIGH,
        .security = true,
};
