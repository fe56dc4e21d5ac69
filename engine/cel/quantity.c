/*
 * quantity.c - the Kubernetes quantity library of CEL: quantity(s),
 * isQuantity(s) and a quantity's isInteger, asInteger,
 * asApproximateFloat, sign, add, sub, compareTo, isGreaterThan and
 * isLessThan, on the grammar of Kubernetes resource quantities
 * (100m, 1.5Gi, 2e3, 64Ki).
 *
 * A quantity is exact: m x 10^e with m an int64 without trailing zeros
 * (binary suffixes are multiplied out, 1.5Gi = 1610612736), so equal
 * values compare equal whatever their spelling (1k == 1000). What does
 * not fit an int64 mantissa (12Ei) is an error of quantity(), never a
 * rounded value; isQuantity() says true, as its spelling is right.
 */
#include "cel/cel_impl.h"

#define NAME(s) (!strcmp(name, (s)))

static void normalize(int64_t *m, int32_t *e)
{
	if (*m == 0) {
		*e = 0;
		return;
	}
	while (*m % 10 == 0) {
		*m /= 10;
		(*e)++;
	}
}

/* m x 10^k into *out (k >= 0); false when it does not fit. */
static bool scale(int64_t m, int32_t k, int64_t *out)
{
	while (k-- > 0)
		if (__builtin_mul_overflow(m, 10, &m))
			return false;
	*out = m;
	return true;
}

static const pl_cel_val *mkq(pl_arena *a, int64_t m, int32_t e)
{
	pl_cel_val *v = pl_cel_new(a, PL_CEL_QUANTITY);

	normalize(&m, &e);
	v->u.q.m = m;
	v->u.q.e = e;
	return v;
}

/* Parses s as a Kubernetes quantity; NULL and *why when it is not one. */
static const pl_cel_val *parse(pl_arena *a, const char *s, size_t len,
                               const char **why)
{
	static const struct {
		const char *suffix;
		int32_t e10, e2;
	} suffixes[] = {
	        {"Ki", 0, 10}, {"Mi", 0, 20}, {"Gi", 0, 30}, {"Ti", 0, 40},
	        {"Pi", 0, 50}, {"Ei", 0, 60}, {"n", -9, 0},  {"u", -6, 0},
	        {"m", -3, 0},  {"k", 3, 0},   {"M", 6, 0},   {"G", 9, 0},
	        {"T", 12, 0},  {"P", 15, 0},  {"E", 18, 0},
	};
	size_t i = 0, k, digits = 0;
	bool neg = false;
	int64_t m = 0;
	int32_t e = 0;

	*why = "not a quantity";
	if (i < len && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++)
		if (__builtin_mul_overflow(m, 10, &m) ||
		    __builtin_add_overflow(m, s[i] - '0', &m))
			return *why = "quantity has too many digits", NULL;
	if (i < len && s[i] == '.')
		for (i++; i < len && s[i] >= '0' && s[i] <= '9';
		     i++, digits++, e--)
			if (__builtin_mul_overflow(m, 10, &m) ||
			    __builtin_add_overflow(m, s[i] - '0', &m))
				return *why = "quantity has too many digits",
				       NULL;
	if (!digits)
		return NULL;
	if (neg)
		m = -m;
	if (i < len && (s[i] == 'e' || s[i] == 'E') && i + 1 < len &&
	    s[i + 1] != 'i') {
		/* a decimal exponent: e3, E-2 (not Ei) */
		bool eneg = false;
		int32_t x = 0;
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		if (i == len)
			return NULL;
		for (; i < len; i++) {
			if (s[i] < '0' || s[i] > '9' || x > 1000)
				return NULL;
			x = x * 10 + (s[i] - '0');
		}
		e += eneg ? -x : x;
		normalize(&m, &e);
		if (e > 1000 || e < -1000)
			return *why = "quantity out of range", NULL;
		return mkq(a, m, e);
	}
	if (i == len)
		return mkq(a, m, e);
	for (k = 0; k < sizeof suffixes / sizeof *suffixes; k++)
		if (strlen(suffixes[k].suffix) == len - i &&
		    !memcmp(s + i, suffixes[k].suffix, len - i))
			break;
	if (k == sizeof suffixes / sizeof *suffixes)
		return NULL;
	e += suffixes[k].e10;
	normalize(&m, &e);
	if (suffixes[k].e2 &&
	    __builtin_mul_overflow(m, (int64_t)1 << suffixes[k].e2, &m))
		return *why = "quantity out of range", NULL;
	return mkq(a, m, e);
}

int pl_cel_quantity_cmp(const pl_cel_val *x, const pl_cel_val *y)
{
	int64_t a = x->u.q.m, b = y->u.q.m;
	int sa = (a > 0) - (a < 0), sb = (b > 0) - (b < 0);

	if (sa != sb || !sa)
		return sa < sb ? -1 : sa > sb;
	/* same sign: bring the larger exponent down to the smaller one; a
	 * mantissa that overflows doing so is the larger in magnitude */
	if (x->u.q.e > y->u.q.e && !scale(a, x->u.q.e - y->u.q.e, &a))
		return sa;
	if (y->u.q.e > x->u.q.e && !scale(b, y->u.q.e - x->u.q.e, &b))
		return -sa;
	return a < b ? -1 : a > b;
}

void pl_cel_quantity_format(pl_buf *b, const pl_cel_val *v)
{
	int64_t m = v->u.q.m;
	int32_t e = v->u.q.e;
	char digits[32];
	int n;

	n = snprintf(digits, sizeof digits, "%llu",
	             m < 0 ? 0ULL - (unsigned long long)m
	                   : (unsigned long long)m);
	if (m < 0)
		pl_buf_addc(b, '-');
	if (e >= 0 && e <= 18) {
		pl_buf_adds(b, digits);
		while (e-- > 0)
			pl_buf_addc(b, '0');
	} else if (e < 0 && -e < n) {
		pl_buf_add(b, digits, (size_t)(n + e));
		pl_buf_addc(b, '.');
		pl_buf_adds(b, digits + n + e);
	} else if (e < 0 && -e <= 18) {
		pl_buf_adds(b, "0.");
		for (; - e > n; e++)
			pl_buf_addc(b, '0');
		pl_buf_adds(b, digits);
	} else {
		pl_buf_addf(b, "%se%d", digits, e);
	}
}

static const pl_cel_val *arith(pl_cel_ctx *c, uint32_t off, bool sub,
                               const pl_cel_val *x, const pl_cel_val *y)
{
	int64_t a = x->u.q.m, b = y->u.q.m, r;
	int32_t e = x->u.q.e < y->u.q.e ? x->u.q.e : y->u.q.e;

	if (!scale(a, x->u.q.e - e, &a) || !scale(b, y->u.q.e - e, &b) ||
	    (sub ? __builtin_sub_overflow(a, b, &r)
	         : __builtin_add_overflow(a, b, &r)))
		return pl_cel_err(c, off, "quantity overflow");
	return mkq(c->a, r, e);
}

const pl_cel_val *pl_cel_call_quantity(pl_cel_ctx *c, uint32_t off,
                                       const char *name,
                                       const pl_cel_val *target,
                                       const pl_cel_val **args, size_t nargs)
{
	const pl_cel_val *x = nargs ? args[0] : NULL, *v;
	const char *why;
	int64_t i;

	if (!target && nargs == 1 && (NAME("quantity") || NAME("isQuantity"))) {
		if (x->kind != PL_CEL_STRING)
			return pl_cel_nooverload(c, off, name);
		v = parse(c->a, x->u.s.ptr, x->u.s.len, &why);
		/* a quantity too large for plumb is still one */
		if (NAME("isQuantity"))
			return pl_cel_bool(v || strcmp(why, "not a quantity"));
		return v ? v
		         : pl_cel_err(c, off, "%s: '%.*s'", why,
		                      (int)(x->u.s.len > 60 ? 60 : x->u.s.len),
		                      x->u.s.ptr);
	}
	if (!target || target->kind != PL_CEL_QUANTITY)
		return NULL;
	if (!nargs && NAME("sign"))
		return pl_cel_int(c->a,
		                  (target->u.q.m > 0) - (target->u.q.m < 0));
	if (!nargs && (NAME("isInteger") || NAME("asInteger"))) {
		bool ok = target->u.q.e >= 0 &&
		          scale(target->u.q.m, target->u.q.e, &i);
		if (NAME("isInteger"))
			return pl_cel_bool(ok);
		return ok ? pl_cel_int(c->a, i)
		          : pl_cel_err(c, off,
		                       "cannot convert value to integer");
	}
	if (!nargs && NAME("asApproximateFloat")) {
		double d = (double)target->u.q.m;
		int32_t e = target->u.q.e;
		for (; e > 0; e--)
			d *= 10;
		for (; e < 0; e++)
			d /= 10;
		return pl_cel_double(c->a, d);
	}
	if (nargs != 1)
		return NULL;
	if (x->kind == PL_CEL_INT && (NAME("add") || NAME("sub")))
		x = mkq(c->a, x->u.i, 0);
	if (x->kind != PL_CEL_QUANTITY) {
		if (NAME("add") || NAME("sub") || NAME("compareTo") ||
		    NAME("isGreaterThan") || NAME("isLessThan"))
			return pl_cel_nooverload(c, off, name);
		return NULL;
	}
	if (NAME("add") || NAME("sub"))
		return arith(c, off, NAME("sub"), target, x);
	if (NAME("compareTo"))
		return pl_cel_int(c->a, pl_cel_quantity_cmp(target, x));
	if (NAME("isGreaterThan"))
		return pl_cel_bool(pl_cel_quantity_cmp(target, x) > 0);
	if (NAME("isLessThan"))
		return pl_cel_bool(pl_cel_quantity_cmp(target, x) < 0);
	return NULL;
}
