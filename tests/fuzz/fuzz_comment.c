/*
 * fuzz_comment.c - libFuzzer target: comments and the markers written in
 * them. The input is loaded as a YAML file with its comment index, every
 * rule of a run (built-in and packs) runs over it with a model of that one
 * file (so a Flux `{"$imagepolicy": ...}` marker can find its ImagePolicy
 * and reach the tag, image and range checks of
 * rules/builtin/flux_markers.c), then the suppression stage runs as in a
 * run, over those findings plus one synthetic finding per line, so every
 * `plumb:ignore` and plumb.io/ignore annotation has something to hide.
 * Anything but a clean return (a crash, a sanitizer report, a hang) is a
 * bug.
 */
#include "base/xalloc.h"
#include "finding/suppress.h"
#include "model/model.h"
#include "rule/decl.h"
#include "rule/eval.h"
#include "tree/comment.h"
#include "run/run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* a .plumb.yaml ignore entry, so config suppressions mix with inline ones */
static const char *const cfg_paths[] = {"fuzz*"};
static const char *const cfg_rules[] = {"yaml/*", "fuzz/line-1"};

/* built on the first input, kept for the process (a run's lifetime) */
static pl_registry reg;
static pl_ruleset *packs; /* the packs compiled in */
static bool ready;

static void setup(void)
{
	pl_error err;

	pl_error_clear(&err);
	if (pl_run_registry(&reg, &packs, NULL, 0, &err) != 0 ||
	    pl_registry_prepare(&reg, &err) != 0) {
		fprintf(stderr, "fuzz_comment: %s\n", err.msg);
		abort();
	}
	ready = true;
}

/* One finding on line `line` (1-based), of a rule the line may name. */
static void add_line_finding(pl_findings *found, const pl_file *f,
                             uint32_t line)
{
	pl_finding *x = pl_vec_push(&found->items);
	size_t len;
	const char *text = pl_source_line(&f->src, line, &len);

	memset(x, 0, sizeof(*x));
	/* cycle through the registry: a marker that names a real rule id
	 * on the right line suppresses it */
	x->rule = reg.rules[line % reg.len]->id;
	x->severity = PL_SEV_WARNING;
	x->src = &f->src;
	x->span.start = pl_source_pos(&f->src, line - 1, 0, NULL);
	x->span.end = pl_source_pos(&f->src, line - 1, text ? len : 0, NULL);
	x->message = pl_xstrdup("synthetic");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pl_file f;
	const pl_file *fp = &f;
	pl_file *mf = &f;
	pl_model *model;
	pl_limits limits;
	pl_findings found;
	pl_suppress_opts so;
	pl_ignore_entry ent;
	pl_ctx ctx;
	char *copy;
	size_t i;

	if (memchr(data, '\0', size))
		return 0; /* binary: the run skips it before parsing */
	if (!ready)
		setup();
	pl_limits_default(&limits);
	/* smaller caps keep each run fast; the logic is the same */
	limits.max_alias_expansion = 100000;
	limits.max_nodes = 200000;
	pl_file_init(&f);
	copy = pl_xmalloc(size + 1);
	if (size)
		memcpy(copy, data, size);
	pl_source_set_data(&f.src, "fuzz.yaml", copy, size);
	f.src.kind = PL_SOURCE_YAML;
	pl_file_load(&f, &limits);

	/* the comment index: every lookup, every comment's text */
	for (i = 1; i <= f.src.nlines + 1; i++) {
		const pl_comment *c;
		pl_comment_trailing(&f.tree, (uint32_t)i);
		pl_comment_on_line(&f.tree, (uint32_t)i);
		pl_comment_block_above(&f.tree, (uint32_t)i, &c);
	}
	for (i = 0; f.parsed && i < f.tree.ncomments; i++) {
		size_t len;
		const char *t =
		        pl_comment_text(&f.tree, &f.tree.comments[i], &len);
		if (t && len && memchr(t, '\0', len))
			abort(); /* comment text is a slice of the source */
	}

	pl_model_build(&model, &mf, 1);
	pl_findings_init(&found);
	pl_ctx_init(&ctx, &found, limits.max_findings_per_file);
	pl_ctx_set_model(&ctx, model);
	pl_eval_file(&ctx, &reg, &f);
	pl_ctx_release(&ctx);
	for (i = 1; i <= f.src.nlines; i++)
		add_line_finding(&found, &f, (uint32_t)i);

	/* the run's order: sort, redact, fingerprint, suppress, again */
	pl_findings_sort(&found);
	pl_findings_redact(&found);
	pl_findings_fingerprint(&found);
	memset(&ent, 0, sizeof(ent));
	ent.paths = cfg_paths;
	ent.npaths = PL_ARRAY_SIZE(cfg_paths);
	ent.rules = cfg_rules;
	ent.nrules = PL_ARRAY_SIZE(cfg_rules);
	ent.until = "2025-12-31";
	ent.src = &f.src;
	ent.at.start.line = ent.at.end.line = 1;
	ent.at.start.col = ent.at.end.col = 1;
	memset(&so, 0, sizeof(so));
	so.today = "2026-01-01";
	so.config = &ent;
	so.nconfig = 1;
	so.missing_reason = so.expired = so.unused = PL_SEV_WARNING;
	pl_suppress_apply(&found, &fp, 1, &so);
	pl_findings_sort(&found);
	pl_findings_fingerprint(&found);
	for (i = 0; i < pl_findings_len(&found); i++) {
		char hex[17];
		pl_finding_stable_hex(pl_findings_at(&found, i), hex);
	}

	pl_findings_release(&found);
	pl_model_free(model);
	pl_file_release(&f);
	return 0;
}
