/*
 * dump.c - typed tree to compact JSON.
 */
#include "tree/dump.h"

#include <math.h>

/* The shortest %g form that reads back as the same double: 0.1, not
 * 0.10000000000000001. */
static void shortest(char *out, size_t size, double f)
{
	int prec;
	for (prec = 15; prec < 17; prec++) {
		snprintf(out, size, "%.*g", prec, f);
		if (strtod(out, NULL) == f)
			return;
	}
	snprintf(out, size, "%.17g", f);
}

static void dump_scalar(pl_buf *out, const pl_node *n)
{
	char num[64];
	double f;

	switch (n->type) {
	case PL_TYPE_NULL:
		pl_buf_adds(out, "null");
		return;
	case PL_TYPE_BOOL:
		pl_buf_adds(out, n->u.scalar.b ? "true" : "false");
		return;
	case PL_TYPE_INT:
		if (n->flags & PL_NODE_INT_OVERFLOW) {
			shortest(num, sizeof(num), n->u.scalar.f);
			pl_buf_adds(out, num);
			return;
		}
		pl_buf_addf(out, "%lld", (long long)n->u.scalar.i);
		return;
	case PL_TYPE_FLOAT:
		f = n->u.scalar.f;
		if (isnan(f)) {
			pl_buf_adds(out, "\".nan\"");
			return;
		}
		if (isinf(f)) {
			pl_buf_adds(out, f > 0 ? "\".inf\"" : "\"-.inf\"");
			return;
		}
		shortest(num, sizeof(num), f);
		/* keep it a JSON number with a fraction or exponent */
		if (!strpbrk(num, ".eE"))
			pl_buf_addf(out, "%s.0", num);
		else
			pl_buf_adds(out, num);
		return;
	default:
		pl_buf_add_json_str(out, n->u.scalar.str, n->u.scalar.len);
		return;
	}
}

static void dump_key(pl_buf *out, const pl_node *k)
{
	k = pl_node_deref(k);
	if (!k) {
		pl_buf_adds(out, "\"\"");
		return;
	}
	if (k->kind == PL_NODE_SCALAR) {
		if (k->type == PL_TYPE_NULL) {
			pl_buf_adds(out, "\"\"");
			return;
		}
		pl_buf_add_json_str(out, k->u.scalar.str, k->u.scalar.len);
		return;
	}
	{
		pl_buf tmp;
		pl_buf_init(&tmp, out->max);
		pl_dump_json(&tmp, k);
		pl_buf_add_json_str(out, tmp.ptr, tmp.len);
		pl_buf_release(&tmp);
	}
}

void pl_dump_json(pl_buf *out, const pl_node *n)
{
	size_t i;

	n = pl_node_deref(n);
	if (!n) {
		pl_buf_adds(out, "null");
		return;
	}
	if (out->truncated)
		return;
	switch (n->kind) {
	case PL_NODE_SCALAR:
		dump_scalar(out, n);
		break;
	case PL_NODE_SEQUENCE:
		pl_buf_addc(out, '[');
		for (i = 0; i < n->u.seq.len; i++) {
			if (i)
				pl_buf_addc(out, ',');
			pl_dump_json(out, n->u.seq.items[i]);
		}
		pl_buf_addc(out, ']');
		break;
	case PL_NODE_MAPPING:
		pl_buf_addc(out, '{');
		for (i = 0; i < n->u.map.len; i++) {
			if (i)
				pl_buf_addc(out, ',');
			dump_key(out, n->u.map.pairs[i].key);
			pl_buf_addc(out, ':');
			pl_dump_json(out, n->u.map.pairs[i].value);
		}
		pl_buf_addc(out, '}');
		break;
	default:
		pl_buf_adds(out, "null");
		break;
	}
}
