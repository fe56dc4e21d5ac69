/*
 * format.c - the strings library's "...".format([args]): %s (any value,
 * lists and maps too), %d, %f and %e (with .N precision), %x and %X
 * (integers, strings and bytes as hex), %o, %b and %%, as cel-go prints
 * them (NaN, Infinity; durations in seconds; map keys sorted).
 */
#include <math.h>

#include "cel/cel_impl.h"

static int by_text(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;
	return strcmp(x[0], y[0]);
}

static bool nonfinite(pl_buf *b, double d)
{
	if (isfinite(d))
		return false;
	pl_buf_adds(b, isnan(d) ? "NaN" : d < 0 ? "-Infinity" : "Infinity");
	return true;
}

/* %s of v; false for a value %s does not print. */
static bool as_text(pl_cel_ctx *c, pl_buf *b, const pl_cel_val *v)
{
	size_t i;

	switch (v->kind) {
	case PL_CEL_STRING:
	case PL_CEL_BYTES:
		pl_buf_add(b, v->u.s.ptr, v->u.s.len);
		return true;
	case PL_CEL_NULL:
		pl_buf_adds(b, "null");
		return true;
	case PL_CEL_BOOL:
		pl_buf_adds(b, v->u.b ? "true" : "false");
		return true;
	case PL_CEL_INT:
		pl_buf_addf(b, "%lld", (long long)v->u.i);
		return true;
	case PL_CEL_UINT:
		pl_buf_addf(b, "%llu", (unsigned long long)v->u.u);
		return true;
	case PL_CEL_DOUBLE:
		if (!nonfinite(b, v->u.d))
			pl_cel_double_format(b, v->u.d);
		return true;
	case PL_CEL_TYPE:
		pl_buf_adds(b, v->u.type);
		return true;
	case PL_CEL_DURATION:
		pl_cel_duration_format(b, v->u.t.sec, v->u.t.nsec);
		return true;
	case PL_CEL_TIMESTAMP:
		pl_cel_timestamp_format(b, v->u.t.sec, v->u.t.nsec);
		return true;
	case PL_CEL_LIST:
		pl_buf_addc(b, '[');
		for (i = 0; i < v->u.list.len; i++) {
			if (i)
				pl_buf_adds(b, ", ");
			if (!as_text(c, b, v->u.list.items[i]))
				return false;
		}
		pl_buf_addc(b, ']');
		return true;
	case PL_CEL_MAP: {
		/* entries as "key: value", sorted by their text */
		char **e = pl_arena_alloc(c->a,
		                          (v->u.map.len + 1) * 2 * sizeof *e);
		for (i = 0; i < v->u.map.len; i++) {
			pl_buf kb, vb;
			bool ok;
			pl_buf_init(&kb, 1 << 20);
			pl_buf_init(&vb, 1 << 20);
			ok = as_text(c, &kb, v->u.map.keys[i]) &&
			     as_text(c, &vb, v->u.map.vals[i]);
			e[2 * i] = pl_arena_strndup(c->a, kb.ptr, kb.len);
			e[2 * i + 1] = pl_arena_strndup(c->a, vb.ptr, vb.len);
			pl_buf_release(&kb);
			pl_buf_release(&vb);
			if (!ok)
				return false;
		}
		qsort(e, v->u.map.len, 2 * sizeof *e, by_text);
		pl_buf_addc(b, '{');
		for (i = 0; i < v->u.map.len; i++)
			pl_buf_addf(b, "%s%s: %s", i ? ", " : "", e[2 * i],
			            e[2 * i + 1]);
		pl_buf_addc(b, '}');
		return true;
	}
	default:
		return false;
	}
}

static bool radix(pl_buf *b, const pl_cel_val *v, char verb)
{
	char tmp[72];
	unsigned base = verb == 'o' ? 8 : verb == 'b' ? 2 : 16;
	const char *digits =
	        verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	uint64_t u;
	bool neg = false;
	int n = 0;
	size_t i;

	if ((verb == 'x' || verb == 'X') &&
	    (v->kind == PL_CEL_STRING || v->kind == PL_CEL_BYTES)) {
		for (i = 0; i < v->u.s.len; i++)
			pl_buf_addf(b, verb == 'x' ? "%02x" : "%02X",
			            (unsigned char)v->u.s.ptr[i]);
		return true;
	}
	if (v->kind == PL_CEL_INT) {
		neg = v->u.i < 0;
		u = neg ? 0 - (uint64_t)v->u.i : (uint64_t)v->u.i;
	} else if (v->kind == PL_CEL_UINT) {
		u = v->u.u;
	} else if (v->kind == PL_CEL_BOOL && verb == 'b') {
		u = v->u.b;
	} else {
		return false;
	}
	do {
		tmp[n++] = digits[u % base];
		u /= base;
	} while (u);
	if (neg)
		pl_buf_addc(b, '-');
	while (n > 0)
		pl_buf_addc(b, tmp[--n]);
	return true;
}

static bool number(pl_buf *b, const pl_cel_val *v, char verb, int prec)
{
	double d;

	if (v->kind == PL_CEL_DOUBLE)
		d = v->u.d;
	else if (v->kind == PL_CEL_INT)
		d = (double)v->u.i;
	else if (v->kind == PL_CEL_UINT)
		d = (double)v->u.u;
	else
		return false;
	if (nonfinite(b, d))
		return true;
	pl_buf_addf(b, verb == 'e' ? "%.*e" : "%.*f", prec < 0 ? 6 : prec, d);
	return true;
}

const pl_cel_val *pl_cel_format_call(pl_cel_ctx *c, uint32_t off,
                                     const pl_cel_val *fmt,
                                     const pl_cel_val *args)
{
	const char *s = fmt->u.s.ptr;
	size_t n = fmt->u.s.len, i, next = 0;
	pl_buf b;
	const pl_cel_val *out;

	if (args->kind != PL_CEL_LIST)
		return pl_cel_nooverload(c, off, "format");
	if (!pl_cel_cost(c, 1 + n / 16 + args->u.list.len))
		return pl_cel_err(c, off, "cost limit exceeded");
	pl_buf_init(&b, PL_CEL_MAX_LEN);
	for (i = 0; i < n; i++) {
		const pl_cel_val *v;
		int prec = -1;
		char verb;
		bool ok;
		if (s[i] != '%') {
			pl_buf_addc(&b, s[i]);
			continue;
		}
		if (++i >= n)
			goto bad;
		if (s[i] == '%') {
			pl_buf_addc(&b, '%');
			continue;
		}
		if (s[i] == '.') {
			prec = 0;
			while (++i < n && s[i] >= '0' && s[i] <= '9' &&
			       prec < 100)
				prec = prec * 10 + (s[i] - '0');
			if (i >= n)
				goto bad;
		}
		verb = s[i];
		if (next >= args->u.list.len) {
			pl_buf_release(&b);
			return pl_cel_err(c, off,
			                  "format: index %zu out of "
			                  "range",
			                  next);
		}
		v = args->u.list.items[next++];
		switch (verb) {
		case 's':
			ok = prec < 0 && as_text(c, &b, v);
			break;
		case 'd':
			ok = prec < 0 &&
			     (v->kind == PL_CEL_INT || v->kind == PL_CEL_UINT ||
			      (v->kind == PL_CEL_DOUBLE && !isfinite(v->u.d)));
			if (ok)
				as_text(c, &b, v);
			break;
		case 'f':
		case 'e':
			ok = number(&b, v, verb, prec);
			break;
		case 'x':
		case 'X':
		case 'o':
		case 'b':
			ok = prec < 0 && radix(&b, v, verb);
			break;
		default:
			goto bad;
		}
		if (!ok) {
			pl_buf_release(&b);
			return pl_cel_err(c, off,
			                  "format: %%%c does not take %s", verb,
			                  pl_cel_type_name(v));
		}
	}
	out = pl_cel_string(c->a, b.ptr, b.len);
	pl_buf_release(&b);
	return out;
bad:
	pl_buf_release(&b);
	return pl_cel_err(c, off, "format: bad verb at offset %zu", i);
}
