/*
 * fuzz_schema.c - libFuzzer target: the input's first document compiled as
 * a JSON Schema (engine/schema/schema.h), then every document of the input,
 * the schema itself included, validated against it (plainly and with
 * --strict). Anything but a clean return (a crash, a sanitizer report, a
 * hang) is a bug.
 */
#include "base/xalloc.h"
#include "model/model.h"
#include "schema/schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pl_file f;
	pl_limits limits;
	pl_schema *s = NULL;
	pl_schema_opts opts;
	pl_match_scratch *scratch = NULL;
	pl_error err;
	char *copy;
	size_t i;

	if (memchr(data, '\0', size))
		return 0; /* binary: never read as a schema */
	pl_limits_default(&limits);
	/* smaller caps keep each run fast; the logic is the same */
	limits.max_alias_expansion = 100000;
	limits.max_nodes = 200000;
	pl_file_init(&f);
	copy = pl_xmalloc(size + 1);
	if (size)
		memcpy(copy, data, size);
	pl_source_set_data(&f.src, "fuzz.schema.json", copy, size);
	f.src.kind = PL_SOURCE_YAML;
	pl_file_load(&f, &limits);
	if (!f.parsed || f.tree.problem != PL_TREE_OK || f.nobjects == 0 ||
	    !f.objects[0].root) {
		pl_file_release(&f);
		return 0;
	}
	memset(&opts, 0, sizeof(opts));
	opts.path = f.src.path;
	/* the length picks the draft: AUTO (from $schema), 7 or 2020-12 */
	opts.draft = (pl_schema_draft)(size % 3);
	opts.format_annotation = size % 2;
	pl_error_clear(&err);
	if (pl_schema_new(&s, f.objects[0].root, &opts, &err) != 0) {
		if (err.code == 0)
			abort(); /* a failure must say why */
		pl_file_release(&f);
		return 0;
	}
	for (i = 0; i < f.nobjects; i++) {
		unsigned flags;
		for (flags = 0; flags <= PL_SCHEMA_STRICT; flags++) {
			pl_schema_result res;
			size_t e;
			bool ok;
			pl_schema_result_init(&res);
			ok = pl_schema_validate(&res, s, f.objects[i].root,
			                        flags, scratch);
			if (ok != (res.errors.len == 0 && res.dropped == 0))
				abort(); /* valid means no error */
			for (e = 0; e < res.errors.len; e++) {
				const pl_schema_error *x =
				        pl_vec_at(&res.errors, e);
				if (!x->node || !x->path || !x->keyword ||
				    !x->message)
					abort();
				pl_schema_path_text(x->path);
			}
			pl_schema_result_release(&res);
		}
	}
	pl_schema_free(s);
	pl_file_release(&f);
	return 0;
}
