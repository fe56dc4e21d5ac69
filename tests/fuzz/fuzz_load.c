/*
 * fuzz_load.c - libFuzzer target: arbitrary bytes through the loader, the
 * comment index, JSON dump and every built-in rule. Anything but a clean
 * return (a crash, a sanitizer report, a hang) is a bug.
 */
#include "base/buf.h"
#include "base/xalloc.h"
#include "model/model.h"
#include "rule/eval.h"
#include "tree/comment.h"
#include "tree/dump.h"
#include "builtin/builtin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* built on the first input, kept for the process (a run's lifetime) */
static pl_registry reg;
static bool ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pl_file f;
	pl_limits limits;
	pl_findings found;
	pl_ctx ctx;
	pl_error err;
	pl_buf b;
	char *copy;
	size_t i;

	pl_limits_default(&limits);
	/* smaller caps keep each run fast; the logic is the same */
	limits.max_alias_expansion = 100000;
	limits.max_nodes = 200000;
	pl_file_init(&f);
	f.src.path = pl_xstrdup("fuzz.yaml");
	copy = pl_xmalloc(size + 1);
	if (size)
		memcpy(copy, data, size);
	if (memchr(copy, '\0', size)) {
		free(copy);
		pl_file_release(&f);
		return 0; /* binary: the run skips it before parsing */
	}
	pl_source_set_data(&f.src, NULL, copy, size);
	f.src.kind = PL_SOURCE_YAML;
	pl_file_load(&f, &limits);

	pl_buf_init(&b, 1 << 20);
	for (i = 0; i < f.tree.ndocs; i++) {
		pl_dump_json(&b, f.tree.docs[i].root);
		pl_buf_reset(&b);
	}
	pl_buf_release(&b);
	for (i = 1; i <= f.src.nlines + 1; i++) {
		const pl_comment *c;
		pl_comment_trailing(&f.tree, (uint32_t)i);
		pl_comment_block_above(&f.tree, (uint32_t)i, &c);
	}

	/* the registry compiles every pattern: build it once per process,
	 * as a run does, or the fuzzer spends its time in pcre2_jit */
	if (!ready) {
		pl_error_clear(&err);
		if (pl_registry_init(&reg, pl_builtin_rules,
		                     pl_builtin_rules_len, &err) != 0 ||
		    pl_registry_prepare(&reg, &err) != 0) {
			fprintf(stderr, "fuzz_load: %s\n", err.msg);
			abort();
		}
		ready = true;
	}
	pl_findings_init(&found);
	pl_ctx_init(&ctx, &found, limits.max_findings_per_file);
	pl_ctx_set_model(&ctx, NULL);
	pl_eval_file(&ctx, &reg, &f);
	pl_ctx_release(&ctx);
	pl_findings_release(&found);
	pl_file_release(&f);
	return 0;
}
