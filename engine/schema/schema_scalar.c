/*
 * schema_scalar.c - the keywords on one value: type, enum and const,
 * the number bounds, string length and pattern, format (schema_impl.h).
 */
#include "schema/schema_impl.h"
#include "base/utf8.h"

#include <math.h>

void pl_schema__type_list(pl_buf *b, unsigned types)
{
	unsigned bit;
	bool first = true;
	for (bit = 1; bit <= PL_SN_OBJECT; bit <<= 1) {
		if (!(types & bit))
			continue;
		if (!first)
			pl_buf_adds(b, " or ");
		pl_buf_adds(b, pl_schema__type_name(bit));
		first = false;
	}
}

bool pl_schema__type_ok(pl_sv *v, const pl_sn *sn, const pl_node *inst)
{
	unsigned t = pl_schema__type(inst), want = sn->types;
	pl_buf b;
	if (sn->int_or_string)
		want = PL_SN_INTEGER | PL_SN_STRING;
	if (!want || (want & t) || (t == PL_SN_INTEGER && want & PL_SN_NUMBER))
		return true;
	if (t == PL_SN_NULL && sn->nullable)
		return true;
	if (v->quiet)
		return false;
	pl_buf_init(&b, 4096);
	pl_schema__type_list(&b, want);
	/* a scalar is named with its type ("string '8080'"); a mapping,
	 * a list or null shows itself ("an object") */
	if (inst->kind == PL_NODE_SCALAR && t != PL_SN_NULL)
		pl_schema__record(
		        v, inst,
		        sn->int_or_string ? "x-kubernetes-int-or-string"
		                          : "type",
		        sn->type_node, "expected %s, got %s %s", b.ptr,
		        pl_schema__type_name(
		                t == PL_SN_INTEGER &&
		                                inst->type == PL_TYPE_FLOAT
		                        ? PL_SN_NUMBER
		                        : t),
		        pl_schema__shown(v, inst));
	else
		pl_schema__record(v, inst,
		                  sn->int_or_string
		                          ? "x-kubernetes-int-or-string"
		                          : "type",
		                  sn->type_node, "expected %s, got %s", b.ptr,
		                  pl_schema__shown(v, inst));
	pl_buf_release(&b);
	return false;
}

bool pl_schema__enum_ok(pl_sv *v, const pl_sn *sn, const pl_node *inst)
{
	const pl_node *e = sn->enum_vals;
	size_t i;
	pl_buf b;
	bool ok = true;
	if (sn->has_const && !pl_schema__equal(inst, sn->const_val)) {
		pl_schema__record(v, inst, "const", sn->const_val,
		                  "must be %s, got %s",
		                  pl_schema__shown(v, sn->const_val),
		                  pl_schema__shown(v, inst));
		ok = false;
	}
	if (!e)
		return ok;
	for (i = 0; i < e->u.seq.len; i++)
		if (pl_schema__equal(inst, e->u.seq.items[i]))
			return ok;
	if (v->quiet)
		return false;
	pl_buf_init(&b, 4096);
	for (i = 0; i < e->u.seq.len && i < 8; i++) {
		if (i)
			pl_buf_adds(&b, ", ");
		pl_schema__show(&b, e->u.seq.items[i]);
	}
	if (i < e->u.seq.len)
		pl_buf_addf(&b, ", ... (%zu values)", e->u.seq.len);
	pl_schema__record(v, inst, "enum", e, "must be one of %s; got %s",
	                  b.ptr, pl_schema__shown(v, inst));
	pl_buf_release(&b);
	return false;
}

bool pl_schema__number_ok(pl_sv *v, const pl_sn *sn, const pl_node *inst)
{
	double x;
	bool ok = true;
	if (!pl_schema__number(inst, &x))
		return true;
	if (sn->minimum.set && x < sn->minimum.v) {
		pl_schema__record(v, inst, "minimum", NULL,
		                  "must be >= %.17g, got %s", sn->minimum.v,
		                  pl_schema__shown(v, inst));
		ok = false;
	}
	if (sn->maximum.set && x > sn->maximum.v) {
		pl_schema__record(v, inst, "maximum", NULL,
		                  "must be <= %.17g, got %s", sn->maximum.v,
		                  pl_schema__shown(v, inst));
		ok = false;
	}
	if (sn->xminimum.set && x <= sn->xminimum.v) {
		pl_schema__record(v, inst, "exclusiveMinimum", NULL,
		                  "must be > %.17g, got %s", sn->xminimum.v,
		                  pl_schema__shown(v, inst));
		ok = false;
	}
	if (sn->xmaximum.set && x >= sn->xmaximum.v) {
		pl_schema__record(v, inst, "exclusiveMaximum", NULL,
		                  "must be < %.17g, got %s", sn->xmaximum.v,
		                  pl_schema__shown(v, inst));
		ok = false;
	}
	if (sn->multiple.set) {
		double q = x / sn->multiple.v;
		bool mult;
		if (inst->type == PL_TYPE_INT && sn->multiple.v >= 1 &&
		    sn->multiple.v == floor(sn->multiple.v) &&
		    sn->multiple.v < 9.0e18 &&
		    !(inst->flags & PL_NODE_INT_OVERFLOW))
			mult = inst->u.scalar.i % (int64_t)sn->multiple.v == 0;
		else if (!isfinite(q))
			mult = false;
		else
			mult = fabs(q - nearbyint(q)) <=
			       1e-9 * (fabs(q) > 1 ? fabs(q) : 1);
		if (!mult) {
			pl_schema__record(v, inst, "multipleOf", NULL,
			                  "must be a multiple of %.17g, got %s",
			                  sn->multiple.v,
			                  pl_schema__shown(v, inst));
			ok = false;
		}
	}
	return ok;
}

bool pl_schema__string_ok(pl_sv *v, const pl_sn *sn, const pl_node *inst)
{
	bool ok = true;
	size_t cps;
	if (pl_schema__type(inst) != PL_SN_STRING)
		return true;
	if (sn->min_len >= 0 || sn->max_len >= 0) {
		cps = pl_utf8_count(inst->u.scalar.str, inst->u.scalar.len);
		if (sn->min_len >= 0 && cps < (size_t)sn->min_len) {
			pl_schema__record(
			        v, inst, "minLength", NULL,
			        "must be at least %lld characters long, got "
			        "%zu",
			        (long long)sn->min_len, cps);
			ok = false;
		}
		if (sn->max_len >= 0 && cps > (size_t)sn->max_len) {
			pl_schema__record(
			        v, inst, "maxLength", NULL,
			        "must be at most %lld characters long, got %zu",
			        (long long)sn->max_len, cps);
			ok = false;
		}
	}
	if (sn->pattern) {
		pl_match m;
		int rc = pl_regex_match(sn->pattern, inst->u.scalar.str,
		                        inst->u.scalar.len, 0, &m, v->scratch);
		if (rc != 1) {
			pl_schema__record(v, inst, "pattern", sn->pattern_node,
			                  "%s does not match the pattern %s%s",
			                  pl_schema__shown(v, inst),
			                  pl_schema__shown(v, sn->pattern_node),
			                  rc == PL_ELIMIT
			                          ? " (match limit reached)"
			                          : "");
			ok = false;
		}
	}
	return ok;
}

bool pl_schema__format_kw_ok(pl_sv *v, const pl_sn *sn, const pl_node *inst)
{
	if (!sn->format || v->s->format_annotation ||
	    pl_schema__format_ok(sn->format, inst))
		return true;
	pl_schema__record(v, inst, "format", NULL, "%s is not a valid %s",
	                  pl_schema__shown(v, inst),
	                  pl_schema__format_name(sn->format));
	return false;
}
