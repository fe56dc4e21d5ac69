/*
 * cmd_schema.c - `plumb schema check --schema FILE DOC...`: validate every
 * document of each DOC (YAML or JSON) against a JSON Schema (schema/schema.h).
 *
 * One line per error on stdout, `doc:line:col: error[schema/invalid]:
 * PATH: message`, pointing at the offending value. Exit 0 when every
 * document is valid, 1 when one is not (or a DOC is not valid YAML), 2
 * for a usage error, an unreadable file or a schema that does not
 * compile (reported as `schema:line:col: message` on stderr). Empty
 * documents are skipped, as kubectl skips them.
 */
#include "cli/cmd.h"
#include "cli/opt.h"
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
                     const pl_limits *limits, pl_match_scratch *scratch)
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
		return pl_cmd_fail(&err);
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
			printf("%s:%u:%u: error[schema/invalid]: %s: %s\n",
			       f.src.path, e->node->span.start.line,
			       e->node->span.start.col,
			       pl_schema_path_text(e->path), e->message);
		}
		if (res.dropped)
			printf("%s:%u:%u: note: %zu more errors in this "
			       "document not shown\n",
			       f.src.path, f.tree.docs[d].span.start.line,
			       f.tree.docs[d].span.start.col, res.dropped);
		pl_schema_result_release(&res);
	}
	if (f.tree.problem != PL_TREE_OK) {
		printf("%s:%u:%u: error[yaml/syntax]: %s\n", f.src.path,
		       f.tree.where.line, f.tree.where.col, f.tree.message);
		rc = 1;
	}
	pl_file_release(&f);
	return rc;
}

int pl_cmd_schema(int argc, char **argv)
{
	const char *schema_path = NULL;
	bool help = false, strict = false;
	const pl_opt opts[] = {
	        {"schema", 's', PL_OPT_STRING, "FILE",
	         "the JSON Schema (YAML or JSON; draft-07 or 2020-12)",
	         &schema_path, false},
	        {"strict", 0, PL_OPT_BOOL, NULL,
	         "unknown fields are errors where the schema lists "
	         "properties",
	         &strict, false},
	};
	const char **args = NULL;
	size_t nargs = 0, i;
	pl_schema *schema = NULL;
	pl_match_scratch *scratch = NULL;
	pl_limits limits;
	pl_file sf;
	pl_error err;
	int rc, worst = 0;

	pl_error_clear(&err);
	rc = pl_opt_parse(opts, PL_ARRAY_SIZE(opts), argc, argv, &args, &nargs,
	                  &help, &err);
	if (rc)
		return pl_cmd_fail(&err);
	if (help) {
		pl_opt_usage(
		        stdout, "plumb schema check --schema FILE DOC...",
		        "Validate every document of each DOC (YAML or JSON) "
		        "against the JSON Schema in FILE.\n"
		        "Each error is printed as 'doc:line:col: "
		        "error[schema/invalid]: PATH: message', where PATH\n"
		        "is the instance path "
		        "(spec.template.spec.containers[0].image). Keywords "
		        "of draft-07\n"
		        "and 2020-12 are supported, with local $refs only, "
		        "and Kubernetes' x-kubernetes-*\n"
		        "extensions; pattern uses PCRE2 (see README.md).\n\n"
		        "Exit 0 if every document is valid, 1 if one is not, "
		        "2 if FILE is not a usable\n"
		        "schema (reported as 'file:line:col: message') or a "
		        "file cannot be read.",
		        opts, PL_ARRAY_SIZE(opts));
		free(args);
		return 0;
	}
	if (nargs < 1 || strcmp(args[0], "check") != 0) {
		fprintf(stderr, "plumb: schema takes the subcommand 'check'; "
		                "see 'plumb schema --help'\n");
		free(args);
		return 2;
	}
	if (!schema_path || nargs < 2) {
		fprintf(stderr,
		        "plumb: schema check takes --schema FILE and "
		        "at least one DOC; see 'plumb schema --help'\n");
		free(args);
		return 2;
	}
	pl_limits_default(&limits);
	pl_file_init(&sf);
	rc = load_schema(&schema, &sf, schema_path, &limits, &err);
	if (rc) {
		worst = pl_cmd_fail(&err);
		goto done;
	}
	scratch = pl_match_scratch_new();
	for (i = 1; i < nargs; i++) {
		rc = check_doc(schema, args[i], strict ? PL_SCHEMA_STRICT : 0,
		               &limits, scratch);
		if (rc > worst)
			worst = rc;
	}
done:
	pl_match_scratch_free(scratch);
	pl_schema_free(schema);
	pl_file_release(&sf);
	free(args);
	return worst;
}
