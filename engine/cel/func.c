/*
 * func.c - CEL's operators and standard functions, with the overflow,
 * division and conversion errors the spec requires; the string and time
 * libraries are in strings.c and time.c.
 *
 * Arithmetic needs operands of one type (no implicit conversion: 1 + 1u
 * has no overload); comparisons accept any two numbers. Every function
 * here gets its arguments evaluated and free of errors.
 */
#include <math.h>

#include "cel/cel_impl.h"

#define NAME(s) (!strcmp(name, (s)))

static const pl_cel_val *overflow(pl_cel_ctx *c, uint32_t off)
{
	return pl_cel_err(c, off, "return error for overflow");
}

static const pl_cel_val *arith_int(pl_cel_ctx *c, uint32_t off, char op,
                                   int64_t x, int64_t y)
{
	int64_t r;

	switch (op) {
	case '+':
		if (__builtin_add_overflow(x, y, &r))
			return overflow(c, off);
		break;
	case '-':
		if (__builtin_sub_overflow(x, y, &r))
			return overflow(c, off);
		break;
	case '*':
		if (__builtin_mul_overflow(x, y, &r))
			return overflow(c, off);
		break;
	case '/':
	case '%':
		if (y == 0)
			return pl_cel_err(c, off,
			                  op == '/' ? "division by zero"
			                            : "modulus by zero");
		if (x == INT64_MIN && y == -1)
			return overflow(c, off);
		r = op == '/' ? x / y : x % y;
		break;
	default:
		return pl_cel_nooverload(c, off, "arithmetic");
	}
	return pl_cel_int(c->a, r);
}

static const pl_cel_val *arith_uint(pl_cel_ctx *c, uint32_t off, char op,
                                    uint64_t x, uint64_t y)
{
	uint64_t r;

	switch (op) {
	case '+':
		if (__builtin_add_overflow(x, y, &r))
			return overflow(c, off);
		break;
	case '-':
		if (__builtin_sub_overflow(x, y, &r))
			return overflow(c, off);
		break;
	case '*':
		if (__builtin_mul_overflow(x, y, &r))
			return overflow(c, off);
		break;
	case '/':
	case '%':
		if (y == 0)
			return pl_cel_err(c, off,
			                  op == '/' ? "division by zero"
			                            : "modulus by zero");
		r = op == '/' ? x / y : x % y;
		break;
	default:
		return pl_cel_nooverload(c, off, "arithmetic");
	}
	return pl_cel_uint(c->a, r);
}

static const pl_cel_val *concat(pl_cel_ctx *c, uint32_t off,
                                const pl_cel_val *x, const pl_cel_val *y)
{
	pl_cel_val *v = pl_cel_new(c->a, x->kind);

	if (x->kind == PL_CEL_LIST) {
		size_t n = x->u.list.len + y->u.list.len;
		const pl_cel_val **items;
		if (!pl_cel_cost(c, n / 8))
			return pl_cel_err(c, off, "cost limit exceeded");
		items = pl_arena_alloc(c->a, (n ? n : 1) * sizeof *items);
		if (x->u.list.len)
			memcpy(items, x->u.list.items,
			       x->u.list.len * sizeof *items);
		if (y->u.list.len)
			memcpy(items + x->u.list.len, y->u.list.items,
			       y->u.list.len * sizeof *items);
		v->u.list.items = items;
		v->u.list.len = n;
		return v;
	} else {
		size_t n = x->u.s.len + y->u.s.len;
		char *s;
		if (!pl_cel_cost(c, n / 64) || n > PL_CEL_MAX_LEN * 16)
			return pl_cel_err(c, off, "cost limit exceeded");
		s = pl_arena_alloc(c->a, n + 1);
		memcpy(s, x->u.s.ptr, x->u.s.len);
		memcpy(s + x->u.s.len, y->u.s.ptr, y->u.s.len);
		s[n] = '\0';
		v->u.s.ptr = s;
		v->u.s.len = n;
		return v;
	}
}

static const pl_cel_val *arith(pl_cel_ctx *c, uint32_t off, const char *name,
                               const pl_cel_val *x, const pl_cel_val *y)
{
	char op = name[1];

	if (x->kind != y->kind) {
		if (x->kind == PL_CEL_TIMESTAMP || x->kind == PL_CEL_DURATION ||
		    y->kind == PL_CEL_TIMESTAMP || y->kind == PL_CEL_DURATION)
			return pl_cel_call_time(c, off, name, NULL,
			                        (const pl_cel_val *[]){x, y},
			                        2);
		return pl_cel_nooverload(c, off, name);
	}
	switch (x->kind) {
	case PL_CEL_INT:
		return arith_int(c, off, op, x->u.i, y->u.i);
	case PL_CEL_UINT:
		return arith_uint(c, off, op, x->u.u, y->u.u);
	case PL_CEL_DOUBLE:
		switch (op) {
		case '+':
			return pl_cel_double(c->a, x->u.d + y->u.d);
		case '-':
			return pl_cel_double(c->a, x->u.d - y->u.d);
		case '*':
			return pl_cel_double(c->a, x->u.d * y->u.d);
		case '/':
			return pl_cel_double(c->a, x->u.d / y->u.d);
		default:
			return pl_cel_nooverload(c, off, name);
		}
	case PL_CEL_STRING:
	case PL_CEL_BYTES:
	case PL_CEL_LIST:
		if (op != '+')
			return pl_cel_nooverload(c, off, name);
		return concat(c, off, x, y);
	case PL_CEL_DURATION:
	case PL_CEL_TIMESTAMP:
		return pl_cel_call_time(c, off, name, NULL,
		                        (const pl_cel_val *[]){x, y}, 2);
	default:
		return pl_cel_nooverload(c, off, name);
	}
}

static const pl_cel_val *compare(pl_cel_ctx *c, uint32_t off, const char *name,
                                 const pl_cel_val *x, const pl_cel_val *y)
{
	int r = pl_cel_compare(x, y);

	if (r == 3)
		return pl_cel_nooverload(c, off, name);
	if (r == 2) /* NaN */
		return pl_cel_bool(false);
	if (NAME("_<_"))
		return pl_cel_bool(r < 0);
	if (NAME("_<=_"))
		return pl_cel_bool(r <= 0);
	if (NAME("_>_"))
		return pl_cel_bool(r > 0);
	return pl_cel_bool(r >= 0);
}

/* An index into a list: int, uint, or a double with an integral value. */
static const pl_cel_val *index_list(pl_cel_ctx *c, uint32_t off,
                                    const pl_cel_val *l, const pl_cel_val *i)
{
	int64_t k;

	if (i->kind == PL_CEL_INT)
		k = i->u.i;
	else if (i->kind == PL_CEL_UINT)
		k = i->u.u > INT64_MAX ? -1 : (int64_t)i->u.u;
	else if (i->kind == PL_CEL_DOUBLE && i->u.d == trunc(i->u.d) &&
	         fabs(i->u.d) < 9e18)
		k = (int64_t)i->u.d;
	else if (i->kind == PL_CEL_DOUBLE)
		return pl_cel_err(c, off, "unsupported index value %g", i->u.d);
	else
		return pl_cel_nooverload(c, off, "_[_]");
	if (k < 0 || (uint64_t)k >= l->u.list.len)
		return pl_cel_err(c, off, "index out of bounds: %lld",
		                  (long long)k);
	return l->u.list.items[k];
}

static const pl_cel_val *in(pl_cel_ctx *c, uint32_t off, const pl_cel_val *x,
                            const pl_cel_val *y)
{
	size_t i;

	if (y->kind == PL_CEL_MAP)
		return pl_cel_bool(pl_cel_map_get(y, x) != NULL);
	if (y->kind != PL_CEL_LIST)
		return pl_cel_nooverload(c, off, "@in");
	for (i = 0; i < y->u.list.len; i++) {
		if (!pl_cel_cost(c, 1))
			return pl_cel_err(c, off, "cost limit exceeded");
		if (pl_cel_equal(x, y->u.list.items[i]))
			return pl_cel_bool(true);
	}
	return pl_cel_bool(false);
}

static const pl_cel_val *to_int(pl_cel_ctx *c, uint32_t off,
                                const pl_cel_val *x)
{
	switch (x->kind) {
	case PL_CEL_INT:
		return x;
	case PL_CEL_UINT:
		if (x->u.u > INT64_MAX)
			return pl_cel_err(c, off, "range error");
		return pl_cel_int(c->a, (int64_t)x->u.u);
	case PL_CEL_DOUBLE:
		if (!(x->u.d > -9223372036854775808.0 &&
		      x->u.d < 9223372036854775808.0))
			return pl_cel_err(c, off, "range error");
		return pl_cel_int(c->a, (int64_t)x->u.d);
	case PL_CEL_STRING: {
		char *end;
		long long v;
		errno = 0;
		v = strtoll(x->u.s.ptr, &end, 10);
		if (errno || end == x->u.s.ptr || *end || x->u.s.len == 0 ||
		    x->u.s.ptr[0] == ' ' || x->u.s.ptr[0] == '+' ||
		    (size_t)(end - x->u.s.ptr) != x->u.s.len)
			return pl_cel_err(c, off, "cannot convert '%s' to int",
			                  x->u.s.ptr);
		return pl_cel_int(c->a, v);
	}
	case PL_CEL_TIMESTAMP:
		return pl_cel_int(c->a, x->u.t.sec);
	default:
		return pl_cel_nooverload(c, off, "int");
	}
}

static const pl_cel_val *to_uint(pl_cel_ctx *c, uint32_t off,
                                 const pl_cel_val *x)
{
	switch (x->kind) {
	case PL_CEL_UINT:
		return x;
	case PL_CEL_INT:
		if (x->u.i < 0)
			return pl_cel_err(c, off, "range error");
		return pl_cel_uint(c->a, (uint64_t)x->u.i);
	case PL_CEL_DOUBLE:
		if (!(x->u.d > -1.0 && x->u.d < 18446744073709551616.0))
			return pl_cel_err(c, off, "range error");
		return pl_cel_uint(c->a, (uint64_t)x->u.d);
	case PL_CEL_STRING: {
		char *end;
		unsigned long long v;
		errno = 0;
		if (x->u.s.len == 0 || x->u.s.ptr[0] < '0' ||
		    x->u.s.ptr[0] > '9')
			return pl_cel_err(c, off, "cannot convert '%s' to uint",
			                  x->u.s.ptr);
		v = strtoull(x->u.s.ptr, &end, 10);
		if (errno || (size_t)(end - x->u.s.ptr) != x->u.s.len)
			return pl_cel_err(c, off, "cannot convert '%s' to uint",
			                  x->u.s.ptr);
		return pl_cel_uint(c->a, v);
	}
	default:
		return pl_cel_nooverload(c, off, "uint");
	}
}

static bool ieq(const char *s, const char *t)
{
	for (; *s && *t; s++, t++)
		if ((*s | 0x20) != (*t | 0x20))
			return false;
	return !*s && !*t;
}

static const pl_cel_val *to_double(pl_cel_ctx *c, uint32_t off,
                                   const pl_cel_val *x)
{
	switch (x->kind) {
	case PL_CEL_DOUBLE:
		return x;
	case PL_CEL_INT:
		return pl_cel_double(c->a, (double)x->u.i);
	case PL_CEL_UINT:
		return pl_cel_double(c->a, (double)x->u.u);
	case PL_CEL_STRING: {
		const char *s = x->u.s.ptr;
		const char *t = (*s == '+' || *s == '-') ? s + 1 : s;
		char *end;
		double d;
		if (ieq(t, "inf") || ieq(t, "infinity"))
			return pl_cel_double(c->a,
			                     *s == '-' ? -INFINITY : INFINITY);
		if (ieq(t, "nan"))
			return pl_cel_double(c->a, NAN);
		if (!*t || !(*t == '.' || (*t >= '0' && *t <= '9')))
			goto bad;
		d = strtod(s, &end);
		if ((size_t)(end - s) != x->u.s.len)
			goto bad;
		return pl_cel_double(c->a, d);
	bad:
		return pl_cel_err(c, off, "cannot convert '%s' to double", s);
	}
	default:
		return pl_cel_nooverload(c, off, "double");
	}
}

static const pl_cel_val *to_string(pl_cel_ctx *c, uint32_t off,
                                   const pl_cel_val *x)
{
	pl_buf b;
	const pl_cel_val *v;

	switch (x->kind) {
	case PL_CEL_STRING:
		return x;
	case PL_CEL_BYTES:
		if (!pl_cel_utf8_valid(x->u.s.ptr, x->u.s.len))
			return pl_cel_err(c, off, "invalid UTF-8 in bytes");
		return pl_cel_string(c->a, x->u.s.ptr, x->u.s.len);
	case PL_CEL_INT:
	case PL_CEL_UINT:
	case PL_CEL_BOOL:
	case PL_CEL_DOUBLE:
	case PL_CEL_DURATION:
	case PL_CEL_TIMESTAMP:
		break;
	case PL_CEL_IP:
	case PL_CEL_CIDR:
		pl_buf_init(&b, 64);
		pl_cel_ip_format(&b, x);
		v = pl_cel_string(c->a, b.ptr, b.len);
		pl_buf_release(&b);
		return v;
	default:
		return pl_cel_nooverload(c, off, "string");
	}
	pl_buf_init(&b, 4096);
	if (x->kind == PL_CEL_INT)
		pl_buf_addf(&b, "%lld", (long long)x->u.i);
	else if (x->kind == PL_CEL_UINT)
		pl_buf_addf(&b, "%llu", (unsigned long long)x->u.u);
	else if (x->kind == PL_CEL_BOOL)
		pl_buf_adds(&b, x->u.b ? "true" : "false");
	else if (x->kind == PL_CEL_DOUBLE)
		pl_cel_double_format(&b, x->u.d);
	else if (x->kind == PL_CEL_DURATION)
		pl_cel_duration_format(&b, x->u.t.sec, x->u.t.nsec);
	else
		pl_cel_timestamp_format(&b, x->u.t.sec, x->u.t.nsec);
	v = pl_cel_string(c->a, b.ptr, b.len);
	pl_buf_release(&b);
	return v;
}

static const pl_cel_val *to_bool(pl_cel_ctx *c, uint32_t off,
                                 const pl_cel_val *x)
{
	static const char *const yes[] = {"1",    "t",    "T",
	                                  "TRUE", "true", "True"};
	static const char *const no[] = {"0",     "f",     "F",
	                                 "FALSE", "false", "False"};
	size_t i;

	if (x->kind == PL_CEL_BOOL)
		return x;
	if (x->kind != PL_CEL_STRING)
		return pl_cel_nooverload(c, off, "bool");
	for (i = 0; i < PL_ARRAY_SIZE(yes); i++) {
		if (!strcmp(x->u.s.ptr, yes[i]))
			return pl_cel_bool(true);
		if (!strcmp(x->u.s.ptr, no[i]))
			return pl_cel_bool(false);
	}
	return pl_cel_err(c, off, "cannot convert '%s' to bool", x->u.s.ptr);
}

static const pl_cel_val *size_of(pl_cel_ctx *c, uint32_t off,
                                 const pl_cel_val *x)
{
	switch (x->kind) {
	case PL_CEL_STRING:
		return pl_cel_int(
		        c->a, (int64_t)pl_cel_utf8_len(x->u.s.ptr, x->u.s.len));
	case PL_CEL_BYTES:
		return pl_cel_int(c->a, (int64_t)x->u.s.len);
	case PL_CEL_LIST:
		return pl_cel_int(c->a, (int64_t)x->u.list.len);
	case PL_CEL_MAP:
		return pl_cel_int(c->a, (int64_t)x->u.map.len);
	default:
		return pl_cel_nooverload(c, off, "size");
	}
}

static const pl_cel_val *matches(pl_cel_ctx *c, uint32_t off,
                                 const pl_cel_val *s, const pl_cel_val *re)
{
	char msg[200] = "";
	size_t start, end;
	int rc;

	if (s->kind != PL_CEL_STRING || re->kind != PL_CEL_STRING)
		return pl_cel_nooverload(c, off, "matches");
	if (!c->env->regex)
		return pl_cel_err(c, off, "matches() has no regex engine");
	if (!pl_cel_cost(c, 1 + s->u.s.len / 32))
		return pl_cel_err(c, off, "cost limit exceeded");
	rc = c->env->regex(c->env->regex_ud, re->u.s.ptr, re->u.s.len,
	                   s->u.s.ptr, s->u.s.len, 0, &start, &end, msg,
	                   sizeof msg);
	if (rc < 0)
		return pl_cel_err(c, off, "invalid regex: %s", msg);
	return pl_cel_bool(rc > 0);
}

/* The Kubernetes regex library: s.find(re), the first match or "";
 * s.findAll(re[, limit]), the matches left to right, at most limit of
 * them (a negative limit: all). After an empty match the search goes
 * on one character further, as RE2's FindAll does. */
static const pl_cel_val *find(pl_cel_ctx *c, uint32_t off, bool all,
                              const pl_cel_val *s, const pl_cel_val *re,
                              const pl_cel_val *limit)
{
	const pl_cel_val **items = NULL;
	size_t n = 0, cap = 0, from = 0, start = 0, end = 0;
	size_t prev = (size_t)-1; /* where the last match ended */
	char msg[200] = "";
	int rc;

	if (s->kind != PL_CEL_STRING || re->kind != PL_CEL_STRING ||
	    (limit && limit->kind != PL_CEL_INT))
		return pl_cel_nooverload(c, off, all ? "findAll" : "find");
	if (!c->env->regex)
		return pl_cel_err(c, off, "%s() has no regex engine",
		                  all ? "findAll" : "find");
	while (!limit || limit->u.i < 0 || (int64_t)n < limit->u.i) {
		const pl_cel_val *v;
		if (!pl_cel_cost(c, 1 + (s->u.s.len - from) / 32))
			return pl_cel_err(c, off, "cost limit exceeded");
		rc = c->env->regex(c->env->regex_ud, re->u.s.ptr, re->u.s.len,
		                   s->u.s.ptr, s->u.s.len, from, &start, &end,
		                   msg, sizeof msg);
		if (rc < 0)
			return pl_cel_err(c, off, "invalid regex: %s", msg);
		if (rc == 0)
			break;
		v = pl_cel_string(c->a, s->u.s.ptr + start, end - start);
		if (!all)
			return v;
		/* an empty match right after a match is not one */
		if (end != start || start != prev) {
			if (n == cap) {
				const pl_cel_val **grown;
				cap = cap ? 2 * cap : 8;
				grown = pl_arena_alloc(c->a,
				                       cap * sizeof *grown);
				if (n)
					memcpy(grown, items, n * sizeof *grown);
				items = grown;
			}
			items[n++] = v;
			prev = end;
		}
		from = end;
		if (end != start)
			continue;
		/* after an empty match: one character on */
		if (from >= s->u.s.len)
			break;
		from++;
		while (from < s->u.s.len &&
		       ((unsigned char)s->u.s.ptr[from] & 0xC0) == 0x80)
			from++;
	}
	if (!all)
		return pl_cel_string(c->a, "", 0);
	{
		pl_cel_val *l = pl_cel_new(c->a, PL_CEL_LIST);
		l->u.list.items = items;
		l->u.list.len = n;
		return l;
	}
}

static const pl_cel_val *strfn(pl_cel_ctx *c, uint32_t off, const char *name,
                               const pl_cel_val *s, const pl_cel_val *t)
{
	size_t n = s->u.s.len, m = t->u.s.len, i;

	if (s->kind != PL_CEL_STRING || t->kind != PL_CEL_STRING)
		return pl_cel_nooverload(c, off, name);
	if (NAME("startsWith"))
		return pl_cel_bool(m <= n &&
		                   !memcmp(s->u.s.ptr, t->u.s.ptr, m));
	if (NAME("endsWith"))
		return pl_cel_bool(m <= n &&
		                   !memcmp(s->u.s.ptr + n - m, t->u.s.ptr, m));
	if (!pl_cel_cost(c, 1 + n / 64))
		return pl_cel_err(c, off, "cost limit exceeded");
	for (i = 0; i + m <= n; i++)
		if (!memcmp(s->u.s.ptr + i, t->u.s.ptr, m))
			return pl_cel_bool(true);
	return pl_cel_bool(false);
}

const pl_cel_val *pl_cel_call(pl_cel_ctx *c, uint32_t off, const char *name,
                              const pl_cel_val *target, const pl_cel_val **args,
                              size_t nargs)
{
	const pl_cel_val *x = nargs > 0 ? args[0] : NULL;
	const pl_cel_val *y = nargs > 1 ? args[1] : NULL;
	const pl_cel_val *v;

	if (!target && name[0] == '_' && nargs == 2) {
		if (NAME("_==_"))
			return pl_cel_bool(pl_cel_equal(x, y));
		if (NAME("_!=_"))
			return pl_cel_bool(!pl_cel_equal(x, y));
		if (NAME("_<_") || NAME("_<=_") || NAME("_>_") || NAME("_>=_"))
			return compare(c, off, name, x, y);
		if (NAME("_+_") || NAME("_-_") || NAME("_*_") || NAME("_/_") ||
		    NAME("_%_"))
			return arith(c, off, name, x, y);
		if (NAME("_[_]")) {
			if (x->kind == PL_CEL_LIST)
				return index_list(c, off, x, y);
			if (x->kind == PL_CEL_MAP) {
				v = pl_cel_map_get(x, y);
				if (v)
					return v;
				if (y->kind == PL_CEL_STRING)
					return pl_cel_err(c, off,
					                  "no such key: '%s'",
					                  y->u.s.ptr);
				return pl_cel_err(c, off, "no such key");
			}
			return pl_cel_nooverload(c, off, name);
		}
	}
	if (!target && NAME("@in") && nargs == 2)
		return in(c, off, x, y);
	if (!target && NAME("!_") && nargs == 1) {
		if (x->kind != PL_CEL_BOOL)
			return pl_cel_nooverload(c, off, name);
		return pl_cel_bool(!x->u.b);
	}
	if (!target && NAME("-_") && nargs == 1) {
		if (x->kind == PL_CEL_INT) {
			if (x->u.i == INT64_MIN)
				return overflow(c, off);
			return pl_cel_int(c->a, -x->u.i);
		}
		if (x->kind == PL_CEL_DOUBLE)
			return pl_cel_double(c->a, -x->u.d);
		if (x->kind == PL_CEL_DURATION)
			return pl_cel_call_time(c, off, name, NULL, args, 1);
		return pl_cel_nooverload(c, off, name);
	}
	/* size(x) and x.size() */
	if (NAME("size") && ((!target && nargs == 1) || (target && !nargs)))
		return size_of(c, off, target ? target : x);
	if (!target && nargs == 1) {
		if (NAME("int"))
			return to_int(c, off, x);
		if (NAME("uint"))
			return to_uint(c, off, x);
		if (NAME("double"))
			return to_double(c, off, x);
		if (NAME("string"))
			return to_string(c, off, x);
		if (NAME("bool"))
			return to_bool(c, off, x);
		if (NAME("dyn"))
			return x;
		if (NAME("type"))
			return pl_cel_type(c->a, pl_cel_type_name(x));
		if (NAME("bytes")) {
			if (x->kind == PL_CEL_BYTES)
				return x;
			if (x->kind != PL_CEL_STRING)
				return pl_cel_nooverload(c, off, name);
			return pl_cel_bytes(c->a, x->u.s.ptr, x->u.s.len);
		}
	}
	if (NAME("matches")) {
		if (target && nargs == 1)
			return matches(c, off, target, x);
		if (!target && nargs == 2)
			return matches(c, off, x, y);
	}
	if (target && nargs == 1 && NAME("find"))
		return find(c, off, false, target, x, NULL);
	if (target && (nargs == 1 || nargs == 2) && NAME("findAll"))
		return find(c, off, true, target, x, nargs == 2 ? y : NULL);
	if (target && nargs == 1 &&
	    (NAME("contains") || NAME("startsWith") || NAME("endsWith")))
		return strfn(c, off, name, target, x);
	v = pl_cel_call_time(c, off, name, target, args, nargs);
	if (v)
		return v;
	v = pl_cel_call_quantity(c, off, name, target, args, nargs);
	if (v)
		return v;
	v = pl_cel_call_ip(c, off, name, target, args, nargs);
	if (v)
		return v;
	v = pl_cel_call_str(c, off, name, target, args, nargs);
	if (v)
		return v;
	return pl_cel_err(c, off, "found no matching overload for '%s'", name);
}
