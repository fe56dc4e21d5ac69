/*
 * yaml_keys.c - yaml/duplicate-key.
 *
 * The loader lists every key that equals an earlier key of the same
 * mapping (YAML equality: `1` and `"1"` differ, `a` and `"a"` do not).
 */
#include "builtin/builtin.h"
#include "rule/quote.h"

static void check_duplicates(pl_ctx *ctx, const pl_file *f)
{
	size_t i;
	char q[128];

	if (!f->parsed)
		return;
	for (i = 0; i < f->tree.ndups; i++) {
		const pl_dup *d = &f->tree.dups[i];
		const pl_node *k = pl_node_deref(d->key);
		char at[64];
		pl_quote(q, sizeof(q), k->u.scalar.str, k->u.scalar.len, 60);
		if (d->first->span.start.line == d->key->span.start.line)
			snprintf(at, sizeof(at), "line %u column %u",
			         d->first->span.start.line,
			         d->first->span.start.col);
		else
			snprintf(at, sizeof(at), "line %u",
			         d->first->span.start.line);
		pl_emit_hint(ctx, d->key->span,
		             "remove one of the two keys, or merge their "
		             "values",
		             "duplicate key '%s' (first defined at %s); YAML "
		             "forbids it and tools disagree on which value "
		             "wins",
		             q, at);
	}
}

const pl_rule pl_rule_yaml_duplicate_key = {
        .id = "yaml/duplicate-key",
        .severity = PL_SEV_ERROR,
        .summary = "A mapping has the same key twice",
        .help = "YAML requires the keys of a mapping to be unique. Parsers "
                "do not agree on what to do with a repeated key: kubectl and "
                "Flux (sigs.k8s.io/yaml) keep the last value, some tools keep "
                "the first, strict ones refuse the file. Either way one of the "
                "two values is silently lost, and a review of the diff shows "
                "only the one that was edited.\n"
                "Fix: delete the key you do not mean, or merge the two values "
                "into one key.",
        .scope = PL_SCOPE_FILE,
        .file_kinds = PL_FILES_YAML,
        .check_file = check_duplicates,
        .example = "apiVersion: v1\n"
                   "kind: Service\n"
                   "metadata:\n"
                   "  name: api\n"
                   "spec:\n"
                   "  selector:\n"
                   "    app: api\n"
                   "  ports:\n"
                   "    - port: 80\n"
                   "  selector:\n"
                   "    app: api-v2\n",
};
