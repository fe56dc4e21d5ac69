/*
 * fuzz_render.c - libFuzzer target: the build model as a run uses it.
 * The input is split at lines "#~" into up to five files of a small
 * repository (an overlay kustomization, its base kustomization and
 * resource, a patch, and a cluster file for Flux Kustomizations and
 * their ConfigMaps); the model is built over them (model/render.c: every
 * root kustomization and Flux Kustomization built, rendered copies made),
 * every rule of a run is evaluated on the files and on the copies (each
 * finding placed in the file that wrote its node), and the findings are
 * sorted and merged as a run does. Anything but a clean return (a crash,
 * a sanitizer report, a hang) is a bug.
 */
#include "base/xalloc.h"
#include "model/model.h"
#include "rule/decl.h"
#include "rule/eval.h"
#include "run/run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* sorted by path, as a run's files are */
static const char *const names[] = {
        "base/app.yaml", "base/kustomization.yaml", "clusters/flux.yaml",
        "overlay/kustomization.yaml", "overlay/patch.yaml"};

/* which part of the input each name takes: the overlay first, so that a
 * short input is a kustomization */
static const size_t part_of[] = {2, 1, 4, 0, 3};

static pl_registry reg;
static pl_ruleset *packs;
static bool ready;

static void setup(void)
{
	pl_error err;
	pl_error_clear(&err);
	if (pl_run_registry(&reg, &packs, NULL, 0, &err) != 0 ||
	    pl_registry_prepare(&reg, &err) != 0) {
		fprintf(stderr, "fuzz_render: %s\n", err.msg);
		abort();
	}
	ready = true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum { N = sizeof(names) / sizeof(names[0]) };
	const char *parts[N];
	size_t lens[N], i, np = 0, start = 0, nrendered;
	pl_file files[N];
	pl_file *by_path[N];
	const pl_object *const *rendered;
	pl_model *model;
	pl_limits limits;
	pl_findings found;
	pl_ctx ctx;

	if (memchr(data, '\0', size))
		return 0; /* binary: the run skips it before parsing */
	if (!ready)
		setup();
	for (i = 0; i < N; i++) {
		parts[i] = "";
		lens[i] = 0;
	}
	/* split at "\n#~\n" */
	for (i = 0; i + 3 <= size && np < N - 1; i++) {
		if (memcmp(data + i, "\n#~", 3) == 0 &&
		    (i + 3 == size || data[i + 3] == '\n')) {
			parts[np] = (const char *)data + start;
			lens[np++] = i + 1 - start;
			start = i + 4 < size ? i + 4 : size;
			i += 3;
		}
	}
	parts[np] = (const char *)data + start;
	lens[np] = size - start;

	pl_limits_default(&limits);
	limits.max_alias_expansion = 100000;
	limits.max_nodes = 200000;
	for (i = 0; i < N; i++) {
		size_t p = part_of[i];
		char *copy = pl_xmalloc(lens[p] + 1);
		if (lens[p])
			memcpy(copy, parts[p], lens[p]);
		pl_file_init(&files[i]);
		pl_source_set_data(&files[i].src, names[i], copy, lens[p]);
		files[i].src.kind = PL_SOURCE_YAML;
		pl_file_load(&files[i], &limits);
		by_path[i] = &files[i];
	}

	pl_model_build(&model, by_path, N);
	pl_findings_init(&found);
	pl_ctx_init(&ctx, &found, limits.max_findings_per_file);
	pl_ctx_set_model(&ctx, model);
	for (i = 0; i < N; i++)
		pl_eval_file(&ctx, &reg, &files[i]);
	rendered = pl_model_rendered(model, &nrendered);
	for (i = 0; i < nrendered; i++) {
		const pl_file *home = rendered[i]->source->file;
		/* a copy's original is one of the run's files */
		if (home < files || home >= files + N)
			abort();
		pl_eval_rendered(&ctx, &reg, rendered[i]);
	}
	pl_ctx_release(&ctx);
	for (i = 0; i < pl_findings_len(&found); i++) {
		const pl_source *src = pl_findings_at(&found, i)->src;
		bool ours = false;
		size_t k;
		for (k = 0; k < N; k++)
			ours = ours || src == &files[k].src;
		if (!ours) /* every finding lands in a file of the run */
			abort();
	}
	pl_findings_sort(&found);
	pl_findings_dedupe(&found);
	pl_findings_redact(&found);
	pl_findings_fingerprint(&found);
	pl_findings_release(&found);
	pl_model_free(model);
	for (i = 0; i < N; i++)
		pl_file_release(&files[i]);
	return 0;
}
