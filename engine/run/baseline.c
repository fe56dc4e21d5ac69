/*
 * baseline.c - writing and reading baseline files (baseline.h).
 *
 * Written with pl_buf (the format is small and ours) and read back with
 * the YAML tree, JSON being YAML: errors then come with file:line:col
 * like every other input plumb reads.
 */
#include "run/baseline.h"
#include "base/atomic.h"
#include "base/buf.h"
#include "base/xalloc.h"
#include "model/model.h"

#define BASELINE_VERSION 1

int pl_baseline_write(const char *path, const pl_findings *f, size_t *count,
                      pl_error *err)
{
	pl_buf b;
	pl_atomic out;
	size_t i, n = 0;
	int rc;

	pl_buf_init(&b, 0);
	pl_buf_addf(&b,
	            "{\n  \"version\": %d,\n  \"tool\": \"plumb %s\",\n"
	            "  \"findings\": [",
	            BASELINE_VERSION, PL_VERSION);
	for (i = 0; i < pl_findings_len(f); i++) {
		const pl_finding *x = pl_findings_at(f, i);
		char hex[17];
		if (x->suppressed)
			continue;
		pl_finding_stable_hex(x, hex);
		pl_buf_addf(&b, "%s\n    {\"stable\": \"%s\", \"rule\": ",
		            n ? "," : "", hex);
		pl_buf_add_json_str(&b, x->rule, strlen(x->rule));
		pl_buf_adds(&b, ", \"path\": ");
		pl_buf_add_json_str(&b, x->src->path, strlen(x->src->path));
		pl_buf_addf(&b, ", \"line\": %u, \"message\": ",
		            x->span.start.line);
		pl_buf_add_json_str(&b, x->message, strlen(x->message));
		pl_buf_addc(&b, '}');
		n++;
	}
	pl_buf_adds(&b, n ? "\n  ]\n}\n" : "]\n}\n");
	/* whole or not at all: a full disk keeps the previous baseline */
	rc = pl_atomic_open(&out, path, err);
	if (rc == 0) {
		if (fwrite(b.ptr, 1, b.len, out.fp) != b.len) {
			rc = pl_error_set(err, PL_EWRITE, NULL, NULL,
			                  "cannot write '%s': %s", path,
			                  strerror(errno));
			pl_atomic_abort(&out);
		} else {
			rc = pl_atomic_commit(&out, err);
		}
	}
	pl_buf_release(&b);
	*count = n;
	return rc;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static bool hex16(const pl_node *n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;
	if (!n || n->kind != PL_NODE_SCALAR || n->u.scalar.len != 16)
		return false;
	for (i = 0; i < 16; i++) {
		char c = n->u.scalar.str[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return true;
}

int pl_baseline_load(uint64_t **out, size_t *n, const char *path, pl_error *err)
{
	pl_file f;
	pl_limits limits;
	const pl_node *root, *list, *version;
	uint64_t *arr = NULL;
	size_t i;
	int rc = 0;

	*out = NULL;
	*n = 0;
	pl_limits_default(&limits);
	pl_file_init(&f);
	pl_source_read_file(&f.src, path, path, &limits);
	if (f.src.kind == PL_SOURCE_SKIPPED) {
		rc = pl_error_set(
		        err, PL_EIO, NULL, NULL,
		        "cannot read baseline '%s': %s", path,
		        strerror(f.src.skip_errno ? f.src.skip_errno : EINVAL));
		goto done;
	}
	f.src.kind = PL_SOURCE_YAML;
	pl_file_load(&f, &limits);
	if (f.tree.problem != PL_TREE_OK) {
		rc = pl_error_set(err, PL_ECONFIG, f.src.path, &f.tree.where,
		                  "%s", f.tree.message);
		goto done;
	}
	root = f.nobjects ? f.objects[0].root : NULL;
	version = pl_node_get(root, "version");
	list = pl_node_get(root, "findings");
	if (!root || root->kind != PL_NODE_MAPPING || !version ||
	    version->type != PL_TYPE_INT ||
	    (version->flags & PL_NODE_INT_OVERFLOW) ||
	    version->u.scalar.i != BASELINE_VERSION || !list ||
	    list->kind != PL_NODE_SEQUENCE) {
		rc = pl_error_set(err, PL_ECONFIG, f.src.path,
		                  root ? &root->span.start : NULL,
		                  "not a plumb baseline (version %d with a "
		                  "findings list); write one with 'plumb "
		                  "baseline -o FILE'",
		                  BASELINE_VERSION);
		goto done;
	}
	arr = pl_xcalloc(list->u.seq.len ? list->u.seq.len : 1, sizeof(*arr));
	for (i = 0; i < list->u.seq.len; i++) {
		const pl_node *e = pl_node_deref(list->u.seq.items[i]);
		const pl_node *s = pl_node_get(e, "stable");
		if (!hex16(s, &arr[i])) {
			rc = pl_error_set(
			        err, PL_ECONFIG, f.src.path,
			        &(s   ? s
			          : e ? e
			              : list)
			                 ->span.start,
			        "a baseline finding needs \"stable\": "
			        "16 hex digits");
			free(arr);
			arr = NULL;
			goto done;
		}
	}
	qsort(arr, list->u.seq.len, sizeof(*arr), cmp_u64);
	*out = arr;
	*n = list->u.seq.len;
done:
	pl_file_release(&f);
	return rc;
}
