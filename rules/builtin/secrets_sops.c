/*
 * secrets_sops.c - which values of a SOPS-encrypted document SOPS
 * encrypts, so that the secrets/ rules judge the others.
 *
 * SOPS records its rule in the document's `sops:` block: at most one of
 * encrypted_regex, encrypted_suffix, unencrypted_regex, unencrypted_suffix
 * (none means unencrypted_suffix `_unencrypted`). The path of a value is
 * the mapping keys from the root (list indexes are not part of it), and
 * each key is tested on its own: a regex is an unanchored search, a
 * suffix a plain suffix. With an encrypted_* rule a value is encrypted
 * when some key on its path matches (a matched parent encrypts all that
 * is below it); with an unencrypted_* rule it is encrypted unless one
 * does (facts: getsops/sops, sops.go and its README).
 *
 * A value SOPS would encrypt that is not `ENC[...]` was added after
 * encryption (`sops decrypt` refuses the file): a likely leak. A value the
 * rule leaves in clear is an ordinary value for the other checks.
 */
#include "builtin/secrets_scan.h"

static const pl_node *scalar_at(const pl_node *m, const char *key)
{
	const pl_node *v = pl_node_deref(pl_node_get(m, key));
	return v && v->kind == PL_NODE_SCALAR ? v : NULL;
}

int pl_sops_open(pl_sops *out, const pl_node *root)
{
	static const struct {
		const char *key;
		pl_sops_mode mode;
	} rules[] = {
	        {"encrypted_regex", PL_SOPS_ENCRYPTED_REGEX},
	        {"encrypted_suffix", PL_SOPS_ENCRYPTED_SUFFIX},
	        {"unencrypted_regex", PL_SOPS_UNENCRYPTED_REGEX},
	        {"unencrypted_suffix", PL_SOPS_UNENCRYPTED_SUFFIX},
	};
	const pl_node *sops;
	size_t i;
	pl_error err;

	memset(out, 0, sizeof(*out));
	root = pl_node_deref(root);
	if (!root || root->kind != PL_NODE_MAPPING)
		return 0;
	sops = pl_node_deref(pl_node_get(root, "sops"));
	if (!sops || sops->kind != PL_NODE_MAPPING)
		return 0;
	out->block = sops;
	out->mode = PL_SOPS_UNENCRYPTED_SUFFIX;
	out->arg = "_unencrypted";
	out->arglen = 12;
	for (i = 0; i < PL_ARRAY_SIZE(rules); i++) {
		const pl_node *v = scalar_at(sops, rules[i].key);
		if (!v || v->u.scalar.len == 0)
			continue;
		out->mode = rules[i].mode;
		out->key = rules[i].key;
		out->arg = v->u.scalar.str;
		out->arglen = v->u.scalar.len;
		break;
	}
	/* SOPS records the rule it applied, the default included; a block
	 * without one was written by hand or cut short, so which values
	 * were meant to be encrypted cannot be told */
	if (!out->key)
		out->unknown = true;
	if (out->mode == PL_SOPS_ENCRYPTED_REGEX ||
	    out->mode == PL_SOPS_UNENCRYPTED_REGEX) {
		/* Go's RE2 syntax is, for what SOPS files hold, a subset of
		 * PCRE2's; a pattern PCRE2 refuses leaves the rule unknown */
		if (pl_regex_new(&out->re, out->arg, 0, &err) != 0) {
			out->re = NULL;
			out->unknown = true;
		}
	}
	return 1;
}

void pl_sops_close(pl_sops *s)
{
	pl_regex_free(s->re);
	s->re = NULL;
}

static bool key_matches(const pl_sops *s, const char *k, size_t n,
                        pl_match_scratch *scratch)
{
	pl_match m;
	switch (s->mode) {
	case PL_SOPS_ENCRYPTED_SUFFIX:
	case PL_SOPS_UNENCRYPTED_SUFFIX:
		return n >= s->arglen &&
		       memcmp(k + n - s->arglen, s->arg, s->arglen) == 0;
	default:
		return s->re &&
		       pl_regex_match(s->re, k, n, 0, &m, scratch) == 1;
	}
}

bool pl_sops_encrypts(const pl_sops *s, const pl_node *const *keys,
                      size_t nkeys, pl_match_scratch *scratch)
{
	size_t i;
	bool any = false;
	for (i = 0; i < nkeys && !any; i++) {
		const pl_node *k = pl_node_deref(keys[i]);
		if (k && k->kind == PL_NODE_SCALAR)
			any = key_matches(s, k->u.scalar.str, k->u.scalar.len,
			                  scratch);
	}
	if (s->mode == PL_SOPS_ENCRYPTED_REGEX ||
	    s->mode == PL_SOPS_ENCRYPTED_SUFFIX)
		return any;
	return !any;
}

bool pl_sops_ciphertext(const char *s, size_t len)
{
	/* a YAML comment SOPS encrypted is `#ENC[...]`; empty strings are
	 * never encrypted */
	return len == 0 ||
	       (len >= 5 && memcmp(s, "ENC[", 4) == 0 && s[len - 1] == ']');
}
