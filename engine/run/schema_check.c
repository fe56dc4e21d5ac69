/*
 * schema_check.c - `plumb schema check` (run.h, pl_run_schema_check):
 * read and compile one JSON Schema (schema/schema.h), then validate every
 * document of each DOC against it, one line per error on out. It needs
 * none of a lint session's state (registry, configuration, baseline):
 * it shares the file loading of the model stage (pl_file_load) only.
 */
#include "run/run.h"
#include "model/model.h"
#include "schema/schema.h"

/* Reads and parses path into f; a file that cannot be read is a
 * pl_error (exit 2). YAML problems stay in f->tree. */
static int load(pl_file *f, const char *path, const pl_limits *limits,
                pl_error *err)
{
	pl_source_read_file(&f->src, path, path, limits);
	if (f->src.kind == PL_SOURCE_SKIPPED) {
		switch (f->src.skip) {
		case PL_SKIP_BINARY:
			return pl_error_set(err, PL_EPARSE, path, NULL,
			                    "binary file (NUL byte at offset "
			                    "%zu)",
			                    f->src.skip_at);
		case PL_SKIP_TOO_LARGE: {
			char why[128];
			pl_source_skip_why(why, sizeof(why), &f->src, limits);
			return pl_error_set(err, PL_ELIMIT, path, NULL, "%s",
			                    why);
		}
		case PL_SKIP_ENCODING:
			return pl_error_set(err, PL_EPARSE, path, NULL,
			                    "UTF-16/UTF-32 input is not "
			                    "supported");
		default:
			return pl_error_set(err, PL_EIO, NULL, NULL,
			                    "cannot open '%s': %s", path,
			                    strerror(f->src.skip_errno));
		}
	}
	f->src.kind = PL_SOURCE_YAML;
	pl_file_load(f, limits);
	return 0;
}

/* Loads and compiles the schema file: exactly one non-empty document. */
static int load_schema(pl_schema **out, pl_file *f, const char *path,
                       const pl_limits *limits, pl_error *err)
{
	pl_schema_opts opts = {PL_SCHEMA_DRAFT_AUTO, path, false, false, false};
	int rc = load(f, path, limits, err);
	if (rc)
		return rc;
	if (f->tree.problem != PL_TREE_OK)
		return pl_error_set(err, PL_EPARSE, path, &f->tree.where, "%s",
		                    f->tree.message);
	if (f->tree.ndocs != 1 || !f->tree.docs[0].root)
		return pl_error_set(err, PL_EPARSE, path, NULL,
		                    "not a schema: want exactly one document, "
		                    "found %zu",
		                    f->tree.ndocs);
	rc = pl_schema_new(out, f->tree.docs[0].root, &opts, err);
	if (!rc) {
		/* a CEL rule that does not compile is never skipped quietly */
		size_t n;
		const pl_schema_error *p = pl_schema_problems(*out, &n);
		if (n) {
			rc = pl_error_set(err, PL_EPARSE, path,
			                  &p->node->span.start, "%s",
			                  p->message);
			pl_schema_free(*out);
			*out = NULL;
		}
	}
	return rc;
}

/* Validates every document of one DOC; returns 0, 1 (invalid) or 2. */
static int check_doc(const pl_schema *schema, const char *path, unsigned flags,
                     const pl_limits *limits, pl_match_scratch *scratch,
                     FILE *out, int (*fail)(const pl_error *err))
{
	pl_file f;
	pl_error err;
	size_t d, i;
	int rc;

	pl_error_clear(&err);
	pl_file_init(&f);
	rc = load(&f, path, limits, &err);
	if (rc) {
		pl_file_release(&f);
		return fail(&err);
	}
	for (d = 0; d < f.tree.ndocs; d++) {
		pl_schema_result res;
		if (!f.tree.docs[d].root)
			continue;
		pl_schema_result_init(&res);
		if (!pl_schema_validate(&res, schema, f.tree.docs[d].root,
		                        flags, scratch))
			rc = 1;
		for (i = 0; i < res.errors.len; i++) {
			const pl_schema_error *e = pl_vec_at(&res.errors, i);
			fprintf(out,
			        "%s:%u:%u: error[schema/invalid]: %s: %s\n",
			        f.src.path, e->node->span.start.line,
			        e->node->span.start.col,
			        pl_schema_path_text(e->path), e->message);
		}
		if (res.dropped)
			fprintf(out,
			        "%s:%u:%u: note: %zu more errors in this "
			        "document not shown\n",
			        f.src.path, f.tree.docs[d].span.start.line,
			        f.tree.docs[d].span.start.col, res.dropped);
		pl_schema_result_release(&res);
	}
	if (f.tree.problem != PL_TREE_OK) {
		fprintf(out, "%s:%u:%u: error[yaml/syntax]: %s\n", f.src.path,
		        f.tree.where.line, f.tree.where.col, f.tree.message);
		rc = 1;
	}
	pl_file_release(&f);
	return rc;
}

int pl_run_schema_check(const char *schema_path, const char *const *docs,
                        size_t ndocs, bool strict, FILE *out,
                        int (*fail)(const pl_error *err), int *worst,
                        pl_error *err)
{
	pl_match_scratch *scratch = NULL;
	pl_schema *schema = NULL;
	pl_limits limits;
	pl_file sf;
	size_t i;
	int rc;

	*worst = 0;
	pl_limits_default(&limits);
	pl_file_init(&sf);
	rc = load_schema(&schema, &sf, schema_path, &limits, err);
	if (rc == 0)
		scratch = pl_match_scratch_new();
	for (i = 0; rc == 0 && i < ndocs; i++) {
		int r = check_doc(schema, docs[i],
		                  strict ? PL_SCHEMA_STRICT : 0, &limits,
		                  scratch, out, fail);
		if (r > *worst)
			*worst = r;
	}
	pl_match_scratch_free(scratch);
	pl_schema_free(schema);
	pl_file_release(&sf);
	return rc;
}
