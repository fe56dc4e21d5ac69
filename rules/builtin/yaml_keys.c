/*
 * yaml_keys.c - yaml/duplicate-key and yaml/merge-key.
 *
 * The loader lists every key that equals an earlier key of the same
 * mapping (YAML equality: `1` and `"1"` differ, `a` and `"a"` do not),
 * and every `<<` merge key whose value is not a mapping or a list of
 * mappings (yaml.org/type/merge.html).
 */
#include "builtin/builtin.h"
#include "base/quote.h"

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
        .tags = PL_TAGS("yaml"),
        .precision = PL_PRECISION_HIGH,
};

static const char *kind_name(const pl_node *n)
{
	switch (n ? n->kind : PL_NODE_SCALAR) {
	case PL_NODE_SEQUENCE:
		return "a sequence";
	case PL_NODE_MAPPING:
		return "a mapping";
	default:
		return n && n->type == PL_TYPE_NULL ? "null" : "a scalar";
	}
}

static void check_merges(pl_ctx *ctx, const pl_file *f)
{
	size_t i;

	if (!f->parsed)
		return;
	for (i = 0; i < f->tree.nbad_merges; i++) {
		const pl_bad_merge *b = &f->tree.bad_merges[i];
		const pl_node *v = pl_node_deref(b->value);
		char what[160], q[96];
		if (b->value->kind == PL_NODE_ALIAS && b->value->u.alias.name) {
			pl_quote(q, sizeof(q), b->value->u.alias.name,
			         strlen(b->value->u.alias.name), 60);
			snprintf(what, sizeof(what), "%s (alias '*%s')",
			         kind_name(v), q);
		} else if (v && v->kind == PL_NODE_SCALAR &&
		           v->type != PL_TYPE_NULL) {
			pl_quote(q, sizeof(q), v->u.scalar.str, v->u.scalar.len,
			         40);
			snprintf(what, sizeof(what), "%s '%s'", kind_name(v),
			         q);
		} else {
			snprintf(what, sizeof(what), "%s", kind_name(v));
		}
		pl_emit_hint(
		        ctx, b->value->span,
		        "merge a mapping (<<: *defaults, where &defaults "
		        "names a mapping) or a list of mappings (<<: [*a, "
		        "*b]), or rename the key",
		        "merge key '<<' takes a mapping or a list of "
		        "mappings, not %s; YAML 1.1 parsers (kubectl, Flux) "
		        "refuse the file",
		        what);
	}
}

const pl_rule pl_rule_yaml_merge_key = {
        .id = "yaml/merge-key",
        .severity = PL_SEV_ERROR,
        .summary = "A merge key '<<' merges something other than a mapping",
        .help = "A `<<` merge key copies the pairs of a mapping, or of each "
                "mapping of a list, into the mapping that holds it "
                "(yaml.org/type/merge.html). Its value must be a mapping, an "
                "alias of one, or a list of those. `<<: 1`, `<<: [a]` or an "
                "alias that names a sequence merges nothing: YAML 1.1 parsers "
                "(go-yaml, which kubectl and Flux use, and PyYAML) refuse the "
                "whole file, while YAML 1.2 parsers keep an ordinary key named "
                "`<<`. plumb reads it as that ordinary key.\n"
                "Fix: point the alias at a mapping, list only mappings, or "
                "rename the key if `<<` was meant literally.",
        .scope = PL_SCOPE_FILE,
        .file_kinds = PL_FILES_YAML,
        .check_file = check_merges,
        .example = "ports: &ports\n"
                   "  - 80\n"
                   "  - 443\n"
                   "service:\n"
                   "  <<: *ports\n"
                   "  name: web\n",
        .tags = PL_TAGS("yaml"),
        .precision = PL_PRECISION_HIGH,
};
