/*
 * dump.c - `plumb dump FILE`: every document of FILE as one JSON line.
 */
#include "run/run.h"
#include "base/buf.h"
#include "model/model.h"
#include "tree/dump.h"

#include <unistd.h>

int pl_run_dump(const char *path, FILE *out, bool *bad_yaml, pl_error *err)
{
	pl_file f;
	pl_limits limits;
	pl_buf b;
	size_t i;
	int rc = 0;

	*bad_yaml = false;
	pl_limits_default(&limits);
	pl_file_init(&f);
	if (strcmp(path, "-") == 0)
		pl_source_read_fd(&f.src, "<stdin>", STDIN_FILENO, &limits);
	else
		pl_source_read_file(&f.src, path, path, &limits);
	if (f.src.kind == PL_SOURCE_SKIPPED) {
		switch (f.src.skip) {
		case PL_SKIP_BINARY:
			rc = pl_error_set(err, PL_EPARSE, path, NULL,
			                  "binary file (NUL byte at offset "
			                  "%zu)",
			                  f.src.skip_at);
			break;
		case PL_SKIP_TOO_LARGE: {
			char why[128];
			pl_source_skip_why(why, sizeof(why), &f.src, &limits);
			rc = pl_error_set(err, PL_ELIMIT, path, NULL, "%s",
			                  why);
			break;
		}
		case PL_SKIP_ENCODING:
			rc = pl_error_set(err, PL_EPARSE, path, NULL,
			                  "UTF-16/UTF-32 input is not "
			                  "supported");
			break;
		default:
			rc = pl_error_set(err, PL_EIO, NULL, NULL,
			                  "cannot open '%s': %s", path,
			                  strerror(f.src.skip_errno));
			break;
		}
		pl_file_release(&f);
		return rc;
	}
	f.src.kind = PL_SOURCE_YAML;
	pl_file_load(&f, &limits);
	pl_buf_init(&b, 0);
	for (i = 0; i < f.tree.ndocs; i++) {
		pl_dump_json(&b, f.tree.docs[i].root);
		pl_buf_addc(&b, '\n');
		if (fwrite(b.ptr, 1, b.len, out) != b.len) {
			rc = pl_error_set(err, PL_EIO, NULL, NULL,
			                  "cannot write: %s", strerror(errno));
			goto done;
		}
		pl_buf_reset(&b);
	}
	if (f.tree.problem != PL_TREE_OK) {
		*bad_yaml = true;
		fflush(out);
		fprintf(stderr, "%s:%u:%u: %s\n", f.src.path, f.tree.where.line,
		        f.tree.where.col, f.tree.message);
	}
done:
	pl_buf_release(&b);
	pl_file_release(&f);
	return rc;
}
