/*
 * secrets_pattern.c - secrets/pattern: the credential shapes a repository
 * declares in .plumb.yaml (secrets.patterns), for tokens of its own
 * services that no built-in format knows, and files that must never be
 * committed (a `.env`, a keystore).
 *
 * A pattern with a regex reports each match in the files its paths name;
 * the secret is the group named `secret`, else group 1, else the whole
 * match. Like every secrets/ rule it masks the value, fingerprints it,
 * honours secrets.allowlist, and leaves placeholders and references
 * alone; the pattern's own `allow` regexes drop more. A pattern with
 * paths and no regex reports the file itself, at its first line,
 * masked.
 */
#include <fnmatch.h>

#include "builtin/builtin.h"
#include "builtin/secrets_scan.h"
#include "base/quote.h"
#include "base/xalloc.h"

/* The bound patterns: .plumb.yaml's, which live as long as the session
 * that binds them (run/session.c). */
typedef struct patterns {
	const pl_secret_pattern *items;
	size_t len;
} patterns;

static int prepare(void **state, pl_error *err)
{
	(void)err;
	*state = pl_xcalloc(1, sizeof(patterns));
	return 0;
}

static void release(void *state)
{
	free(state);
}

static int bind(void *state, const pl_model *m, const pl_rule_env *env,
                pl_error *err)
{
	patterns *p = state;
	(void)m;
	(void)err;
	p->items = env->secret_patterns;
	p->len = env->nsecret_patterns;
	return 0;
}

static bool glob_names(const char *glob, const char *path)
{
	if (fnmatch(glob, path, 0) == 0)
		return true;
	/* `**` then '/' also matches at the root, as in .gitignore */
	return strncmp(glob, "**/", 3) == 0 && fnmatch(glob + 3, path, 0) == 0;
}

/* The last glob that names path decides: '!' excludes it. No globs: every
 * file. */
static bool covers(const pl_secret_pattern *p, const char *path)
{
	bool in = p->npaths == 0;
	size_t i;
	for (i = 0; i < p->npaths; i++) {
		const char *g = p->paths[i];
		bool neg = g[0] == '!';
		if (glob_names(neg ? g + 1 : g, path))
			in = !neg;
	}
	return in;
}

static bool allowed(pl_ctx *ctx, const pl_secret_pattern *p, const char *s,
                    size_t n)
{
	size_t i;
	for (i = 0; i < p->nallow; i++) {
		pl_match m;
		if (pl_regex_match(p->allow[i], s, n, 0, &m,
		                   pl_ctx_scratch(ctx)) == 1)
			return true;
	}
	return false;
}

static void report_file(pl_ctx *ctx, const pl_file *f,
                        const pl_secret_pattern *p)
{
	static const char hint[] = "remove it from git (git rm --cached) and "
	                           "its history, and list it in .gitignore";
	static const char what[] = "'%s' must not be committed: secrets "
	                           "pattern '%s' names it";
	char qn[96], qp[160];
	size_t n = 0;
	pl_span span;

	pl_quote(qn, sizeof(qn), p->name, strlen(p->name), 60);
	pl_quote(qp, sizeof(qp), f->src.path, strlen(f->src.path), 120);
	memset(&span, 0, sizeof(span));
	if (!f->src.data) {
		/* a binary or oversized file (a keystore): nothing to show */
		pl_emit_hint(ctx, span, hint, what, qp, qn);
		return;
	}
	/* at its first line, which is masked like a secret: the excerpt of
	 * a file that holds secrets shows none of them */
	while (n < f->src.len && f->src.data[n] != '\n' &&
	       f->src.data[n] != '\r')
		n++;
	span.start = pl_source_pos_at(&f->src, 0);
	span.end = pl_source_pos_at(&f->src, n);
	pl_emit_secret(ctx, span, f->src.data, n, hint, what, qp, qn);
}

static void scan(pl_ctx *ctx, const pl_file *f, const pl_secret_pattern *p)
{
	pl_match_scratch *scratch = pl_ctx_scratch(ctx);
	const char *text = f->src.data;
	size_t len = f->src.len, from = 0;
	pl_match m;
	char qn[96], masked[32];

	pl_quote(qn, sizeof(qn), p->name, strlen(p->name), 60);
	while (from <= len &&
	       pl_regex_match(p->regex, text, len, from, &m, scratch) == 1) {
		size_t s = m.start, e = m.end;
		pl_span span;
		from = m.end > m.start ? m.end : m.start + 1;
		if (p->group && !pl_regex_group(scratch, p->group, &s, &e))
			continue; /* the secret's group took no part */
		if (e == s || pl_secret_placeholder(text + s, e - s) ||
		    allowed(ctx, p, text + s, e - s))
			continue;
		span.start = pl_source_pos_at(&f->src, s);
		span.end = pl_source_pos_at(&f->src, e);
		pl_secret_mask(masked, sizeof(masked), text + s, e - s);
		pl_emit_secret(
		        ctx, span, text + s, e - s,
		        "revoke or rotate it, remove it from git history, "
		        "and deliver it from a secret store",
		        "%s committed in plain text: '%s' "
		        "(.plumb.yaml secrets.patterns)",
		        qn, masked);
	}
}

static void check(pl_ctx *ctx, const pl_file *f)
{
	const patterns *ps = pl_ctx_state(ctx);
	size_t i;

	if (!ps)
		return;
	for (i = 0; i < ps->len; i++) {
		const pl_secret_pattern *p = &ps->items[i];
		if (!covers(p, f->src.path))
			continue;
		if (p->regex) {
			if (f->src.data)
				scan(ctx, f, p);
		} else
			report_file(ctx, f, p);
	}
}

const pl_rule pl_rule_secrets_pattern = {
        .id = "secrets/pattern",
        .severity = PL_SEV_ERROR,
        .secret = true,
        .summary = "A credential of a shape the repository declares "
                   "(.plumb.yaml secrets.patterns) is committed",
        .help = "The built-in formats of secrets/token cover public "
                "services; a team's own services issue tokens nobody else "
                "knows the shape of. Declare them in .plumb.yaml:\n\n"
                "    secrets:\n"
                "      patterns:\n"
                "        - name: Acme service token\n"
                "          regex: 'acme_(?<secret>[a-z0-9]{32})'\n"
                "          paths: [\"deploy/**\", \"!deploy/testdata/**\"]\n"
                "          allow: ['^0{32}$']\n"
                "        - name: dotenv file\n"
                "          paths: [\".env\", \"**/.env\"]\n\n"
                "Each match of a pattern's regex (PCRE2, multi-line) in a "
                "file its paths name is reported; the secret is the group "
                "named `secret`, else group 1, else the whole match. Path "
                "globs are fnmatch's, `*` crossing `/`; a leading `**/` "
                "also matches at the root, `!` excludes, and the last glob "
                "naming a path decides; without paths every file is read. "
                "A pattern with paths and no regex reports every file they "
                "name, binary ones included (a keystore): a file that must "
                "not be committed at all. As for "
                "every secrets/ rule, the value is masked, fingerprinted "
                "and checked against secrets.allowlist, and placeholders "
                "(`${VAR}`, `<token>`, `changeme`) are not reported; a "
                "pattern's `allow` regexes drop more of its matches.\n"
                "Fix: rotate the credential (it is leaked already), remove "
                "it from the history, and deliver it from a secret store.",
        .scope = PL_SCOPE_FILE,
        /* skipped files too: a path-only pattern names keystores */
        .file_kinds = PL_FILES_YAML | PL_FILES_TEXT | PL_FILES_TEMPLATE |
                      PL_FILES_SKIPPED,
        .check_file = check,
        .prepare = prepare,
        .release = release,
        .bind = bind,
        /* a .plumb.yaml that declares a shape and holds one */
        .example = "secrets:\n"
                   "  patterns:\n"
                   "    - name: Acme service token\n"
                   "      regex: 'acme_[a-z0-9]{32}'\n"
                   "# pasted by mistake:\n"
                   "# acme_k3j4h5g6f7d8s9a0q1w2e3r4t5y6u7i8\n",
        .tags = PL_TAGS("security", "secrets", "external/cwe/cwe-798"),
        .precision = PL_PRECISION_HIGH,
        .security = true,
};
