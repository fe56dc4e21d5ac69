/*
 * build.c - `plumb build DIR`: the build model's objects as YAML.
 */
#include "run/run.h"
#include "model/kustomize.h"

int pl_run_build(const char *dir, bool sources, FILE *out, pl_error *err)
{
	pl_kbuild *b;
	pl_buf buf;
	int rc;

	rc = pl_kustomize_build(&b, dir, err);
	if (rc)
		return rc;
	pl_buf_init(&buf, 0);
	rc = pl_kustomize_emit(&buf, b, sources);
	if (rc)
		pl_error_set(err, rc, NULL, NULL, "build output too large");
	else if (buf.len && fwrite(buf.ptr, 1, buf.len, out) != buf.len)
		rc = pl_error_set(err, PL_EIO, NULL, NULL, "cannot write: %s",
		                  strerror(errno));
	pl_buf_release(&buf);
	pl_kbuild_free(b);
	return rc;
}
