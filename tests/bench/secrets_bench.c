/*
 * secrets_bench.c - throughput of the secrets/token scanner alone over a
 * folder, beside the time to read the same bytes (make bench).
 * usage: secrets_bench DIR
 */
#include "base/xalloc.h"
#include "model/model.h"
#include "rule/eval.h"
#include "source/walk.h"
#include "builtin/builtin.h"

#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const pl_rule *only[] = {&pl_rule_secrets_token};
	const char *paths[1];
	pl_walk w;
	pl_walk_opts wo;
	pl_limits limits;
	pl_registry reg;
	pl_findings found;
	pl_ctx ctx;
	pl_error err;
	pl_file *files;
	size_t i, bytes = 0;
	double t0, t1, t2;

	if (argc != 2) {
		fprintf(stderr, "usage: secrets_bench DIR\n");
		return 2;
	}
	paths[0] = argv[1];
	memset(&wo, 0, sizeof(wo));
	pl_limits_default(&limits);
	pl_walk_init(&w);
	if (pl_walk_paths(&w, paths, 1, &wo, &err) != 0) {
		fprintf(stderr, "secrets_bench: %s\n", err.msg);
		return 2;
	}
	files = pl_xcalloc(w.entries.len, sizeof(*files));
	t0 = now();
	for (i = 0; i < w.entries.len; i++) {
		const pl_walk_entry *e = pl_vec_at(&w.entries, i);
		pl_file_init(&files[i]);
		if (e->skip == PL_SKIP_NONE)
			pl_source_read_file(&files[i].src, e->path, e->fspath,
			                    &limits);
		bytes += files[i].src.len;
	}
	t1 = now();
	if (pl_registry_init(&reg, only, 1, &err) != 0 ||
	    pl_registry_prepare(&reg, &err) != 0) {
		fprintf(stderr, "secrets_bench: %s\n", err.msg);
		return 2;
	}
	pl_findings_init(&found);
	pl_ctx_init(&ctx, &found, limits.max_findings_per_file);
	t1 = now();
	for (i = 0; i < w.entries.len; i++)
		if (files[i].src.data)
			pl_eval_file(&ctx, &reg, &files[i]);
	t2 = now();
	printf("%-36s %8.0f ms\n", "read the files", (t1 - t0) * 1000);
	printf("%-36s %8.0f ms  %.1f MB/s, %zu findings\n",
	       "secrets/token scan (1 thread)", (t2 - t1) * 1000,
	       (double)bytes / 1048576 / (t2 - t1 > 0 ? t2 - t1 : 1e-9),
	       pl_findings_len(&found));
	pl_ctx_release(&ctx);
	pl_findings_release(&found);
	pl_registry_release(&reg);
	for (i = 0; i < w.entries.len; i++)
		pl_file_release(&files[i]);
	free(files);
	pl_walk_release(&w);
	return 0;
}
