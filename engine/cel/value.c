/*
 * value.c - CEL values: constructors, equality, ordering, type names and
 * the printed form `plumb cel` shows.
 *
 * Equality is CEL's: numbers compare across int, uint and double by
 * value (NaN equals nothing), lists and maps deeply, values of other
 * different types are simply unequal.
 */
#include <math.h>

#include "cel/cel_impl.h"

static const pl_cel_val null_val = {.kind = PL_CEL_NULL};
static const pl_cel_val true_val = {.kind = PL_CEL_BOOL, .u.b = true};
static const pl_cel_val false_val = {.kind = PL_CEL_BOOL, .u.b = false};

const pl_cel_val *pl_cel_null(void)
{
	return &null_val;
}

const pl_cel_val *pl_cel_bool(bool b)
{
	return b ? &true_val : &false_val;
}

pl_cel_val *pl_cel_new(pl_arena *a, pl_cel_kind kind)
{
	pl_cel_val *v = pl_arena_zalloc(a, sizeof *v);
	v->kind = kind;
	return v;
}

const pl_cel_val *pl_cel_int(pl_arena *a, int64_t i)
{
	pl_cel_val *v = pl_cel_new(a, PL_CEL_INT);
	v->u.i = i;
	return v;
}

const pl_cel_val *pl_cel_uint(pl_arena *a, uint64_t u)
{
	pl_cel_val *v = pl_cel_new(a, PL_CEL_UINT);
	v->u.u = u;
	return v;
}

const pl_cel_val *pl_cel_double(pl_arena *a, double d)
{
	pl_cel_val *v = pl_cel_new(a, PL_CEL_DOUBLE);
	v->u.d = d;
	return v;
}

const pl_cel_val *pl_cel_string(pl_arena *a, const char *s, size_t len)
{
	pl_cel_val *v = pl_cel_new(a, PL_CEL_STRING);
	v->u.s.ptr = pl_arena_strndup(a, s, len);
	v->u.s.len = len;
	return v;
}

const pl_cel_val *pl_cel_bytes(pl_arena *a, const char *s, size_t len)
{
	pl_cel_val *v = pl_cel_new(a, PL_CEL_BYTES);
	v->u.s.ptr = pl_arena_strndup(a, s, len);
	v->u.s.len = len;
	return v;
}

const pl_cel_val *pl_cel_type(pl_arena *a, const char *name)
{
	pl_cel_val *v = pl_cel_new(a, PL_CEL_TYPE);
	v->u.type = name;
	return v;
}

const char *pl_cel_type_name(const pl_cel_val *v)
{
	switch (v->kind) {
	case PL_CEL_NULL:
		return "null_type";
	case PL_CEL_BOOL:
		return "bool";
	case PL_CEL_INT:
		return "int";
	case PL_CEL_UINT:
		return "uint";
	case PL_CEL_DOUBLE:
		return "double";
	case PL_CEL_STRING:
		return "string";
	case PL_CEL_BYTES:
		return "bytes";
	case PL_CEL_LIST:
		return "list";
	case PL_CEL_MAP:
		return v->u.map.msg ? v->u.map.msg : "map";
	case PL_CEL_TYPE:
		return "type";
	case PL_CEL_DURATION:
		return "google.protobuf.Duration";
	case PL_CEL_TIMESTAMP:
		return "google.protobuf.Timestamp";
	case PL_CEL_QUANTITY:
		return "kubernetes.Quantity";
	case PL_CEL_IP:
		return "net.IP";
	case PL_CEL_CIDR:
		return "net.CIDR";
	case PL_CEL_ERROR:
		return "error";
	}
	return "error";
}

bool pl_cel_utf8_valid(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n, k;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 1, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 2, cp = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 3, cp = c & 0x07;
		else
			return false;
		for (k = 1; k <= n; k++) {
			if (i + k >= len ||
			    ((unsigned char)s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | ((unsigned char)s[i + k] & 0x3F);
		}
		if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp < 0xE000))) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return false;
		i += n + 1;
	}
	return true;
}

size_t pl_cel_utf8_len(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

static bool is_num(const pl_cel_val *v)
{
	return v->kind == PL_CEL_INT || v->kind == PL_CEL_UINT ||
	       v->kind == PL_CEL_DOUBLE;
}

/* -1, 0, 1 for numbers of any kind; 2 when one is NaN. An integer
 * meets a double as a double, as cel-go compares them. */
static int numcmp(const pl_cel_val *x, const pl_cel_val *y)
{
	if (x->kind == PL_CEL_DOUBLE || y->kind == PL_CEL_DOUBLE) {
		double a = x->kind == PL_CEL_DOUBLE ? x->u.d
		           : x->kind == PL_CEL_INT  ? (double)x->u.i
		                                    : (double)x->u.u;
		double b = y->kind == PL_CEL_DOUBLE ? y->u.d
		           : y->kind == PL_CEL_INT  ? (double)y->u.i
		                                    : (double)y->u.u;
		if (isnan(a) || isnan(b))
			return 2;
		return a < b ? -1 : a > b ? 1 : 0;
	}
	if (x->kind == PL_CEL_INT && y->kind == PL_CEL_INT)
		return x->u.i < y->u.i ? -1 : x->u.i > y->u.i ? 1 : 0;
	if (x->kind == PL_CEL_UINT && y->kind == PL_CEL_UINT)
		return x->u.u < y->u.u ? -1 : x->u.u > y->u.u ? 1 : 0;
	if (x->kind == PL_CEL_INT) {
		if (x->u.i < 0)
			return -1;
		return (uint64_t)x->u.i < y->u.u   ? -1
		       : (uint64_t)x->u.i > y->u.u ? 1
		                                   : 0;
	}
	return -numcmp(y, x);
}

static int bytecmp(const pl_cel_val *x, const pl_cel_val *y)
{
	size_t n = x->u.s.len < y->u.s.len ? x->u.s.len : y->u.s.len;
	int r = n ? memcmp(x->u.s.ptr, y->u.s.ptr, n) : 0;
	if (r)
		return r < 0 ? -1 : 1;
	return x->u.s.len < y->u.s.len ? -1 : x->u.s.len > y->u.s.len ? 1 : 0;
}

int pl_cel_compare(const pl_cel_val *x, const pl_cel_val *y)
{
	if (is_num(x) && is_num(y))
		return numcmp(x, y);
	if (x->kind != y->kind)
		return 3;
	switch (x->kind) {
	case PL_CEL_BOOL:
		return x->u.b == y->u.b ? 0 : x->u.b ? 1 : -1;
	case PL_CEL_STRING:
	case PL_CEL_BYTES:
		return bytecmp(x, y);
	case PL_CEL_DURATION:
	case PL_CEL_TIMESTAMP:
		if (x->u.t.sec != y->u.t.sec)
			return x->u.t.sec < y->u.t.sec ? -1 : 1;
		return x->u.t.nsec < y->u.t.nsec   ? -1
		       : x->u.t.nsec > y->u.t.nsec ? 1
		                                   : 0;
	default:
		return 3;
	}
}

const pl_cel_val *pl_cel_map_get(const pl_cel_val *m, const pl_cel_val *k)
{
	size_t i;

	for (i = 0; i < m->u.map.len; i++)
		if (pl_cel_equal(m->u.map.keys[i], k))
			return m->u.map.vals[i];
	return NULL;
}

const pl_cel_val *pl_cel_map_gets(const pl_cel_val *m, const char *k)
{
	size_t i, n = strlen(k);

	for (i = 0; i < m->u.map.len; i++) {
		const pl_cel_val *key = m->u.map.keys[i];
		if (key->kind == PL_CEL_STRING && key->u.s.len == n &&
		    !memcmp(key->u.s.ptr, k, n))
			return m->u.map.vals[i];
	}
	return NULL;
}

bool pl_cel_equal(const pl_cel_val *x, const pl_cel_val *y)
{
	size_t i;

	if (is_num(x) && is_num(y))
		return numcmp(x, y) == 0;
	if (x->kind != y->kind)
		return false;
	switch (x->kind) {
	case PL_CEL_NULL:
		return true;
	case PL_CEL_BOOL:
		return x->u.b == y->u.b;
	case PL_CEL_STRING:
	case PL_CEL_BYTES:
		return x->u.s.len == y->u.s.len &&
		       !memcmp(x->u.s.ptr, y->u.s.ptr, x->u.s.len);
	case PL_CEL_LIST:
		if (x->u.list.len != y->u.list.len)
			return false;
		for (i = 0; i < x->u.list.len; i++)
			if (!pl_cel_equal(x->u.list.items[i],
			                  y->u.list.items[i]))
				return false;
		return true;
	case PL_CEL_MAP:
		if (x->u.map.msg || y->u.map.msg)
			return pl_cel_msg_equal(x, y);
		if (x->u.map.len != y->u.map.len)
			return false;
		for (i = 0; i < x->u.map.len; i++) {
			const pl_cel_val *o =
			        pl_cel_map_get(y, x->u.map.keys[i]);
			if (!o || !pl_cel_equal(x->u.map.vals[i], o))
				return false;
		}
		return true;
	case PL_CEL_TYPE:
		return !strcmp(x->u.type, y->u.type);
	case PL_CEL_DURATION:
	case PL_CEL_TIMESTAMP:
		return x->u.t.sec == y->u.t.sec && x->u.t.nsec == y->u.t.nsec;
	case PL_CEL_QUANTITY:
		return pl_cel_quantity_cmp(x, y) == 0;
	case PL_CEL_IP:
	case PL_CEL_CIDR:
		return pl_cel_ip_equal(x, y);
	default:
		return false;
	}
}

void pl_cel_double_format(pl_buf *b, double d)
{
	char tmp[40];
	int prec;

	if (isnan(d)) {
		pl_buf_adds(b, "NaN");
		return;
	}
	if (isinf(d)) {
		pl_buf_adds(b, d < 0 ? "-Infinity" : "Infinity");
		return;
	}
	/* the shortest text that reads back as d */
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	pl_buf_adds(b, tmp);
}

static void format_str(pl_buf *b, const pl_cel_val *v, bool bytes)
{
	size_t i;

	if (bytes)
		pl_buf_addc(b, 'b');
	pl_buf_addc(b, '"');
	for (i = 0; i < v->u.s.len; i++) {
		unsigned char c = (unsigned char)v->u.s.ptr[i];
		if (c == '"' || c == '\\')
			pl_buf_addf(b, "\\%c", c);
		else if (c == '\n')
			pl_buf_adds(b, "\\n");
		else if (c == '\t')
			pl_buf_adds(b, "\\t");
		else if (c == '\r')
			pl_buf_adds(b, "\\r");
		else if (c < 0x20 || c == 0x7F || (bytes && c >= 0x80))
			pl_buf_addf(b, "\\x%02x", c);
		else
			pl_buf_addc(b, (char)c);
	}
	pl_buf_addc(b, '"');
}

void pl_cel_format(pl_buf *b, const pl_cel_val *v)
{
	size_t i;

	switch (v->kind) {
	case PL_CEL_NULL:
		pl_buf_adds(b, "null");
		break;
	case PL_CEL_BOOL:
		pl_buf_adds(b, v->u.b ? "true" : "false");
		break;
	case PL_CEL_INT:
		pl_buf_addf(b, "%lld", (long long)v->u.i);
		break;
	case PL_CEL_UINT:
		pl_buf_addf(b, "%lluu", (unsigned long long)v->u.u);
		break;
	case PL_CEL_DOUBLE: {
		size_t at = b->len;
		pl_cel_double_format(b, v->u.d);
		if (isfinite(v->u.d) && !strpbrk(b->ptr + at, ".e"))
			pl_buf_adds(b, ".0");
		break;
	}
	case PL_CEL_STRING:
		format_str(b, v, false);
		break;
	case PL_CEL_BYTES:
		format_str(b, v, true);
		break;
	case PL_CEL_LIST:
		pl_buf_addc(b, '[');
		for (i = 0; i < v->u.list.len; i++) {
			if (i)
				pl_buf_adds(b, ", ");
			pl_cel_format(b, v->u.list.items[i]);
		}
		pl_buf_addc(b, ']');
		break;
	case PL_CEL_MAP:
		pl_buf_addc(b, '{');
		for (i = 0; i < v->u.map.len; i++) {
			if (i)
				pl_buf_adds(b, ", ");
			pl_cel_format(b, v->u.map.keys[i]);
			pl_buf_adds(b, ": ");
			pl_cel_format(b, v->u.map.vals[i]);
		}
		pl_buf_addc(b, '}');
		break;
	case PL_CEL_TYPE:
		pl_buf_adds(b, v->u.type);
		break;
	case PL_CEL_DURATION:
		pl_buf_adds(b, "duration(\"");
		pl_cel_duration_format(b, v->u.t.sec, v->u.t.nsec);
		pl_buf_adds(b, "\")");
		break;
	case PL_CEL_TIMESTAMP:
		pl_buf_adds(b, "timestamp(\"");
		pl_cel_timestamp_format(b, v->u.t.sec, v->u.t.nsec);
		pl_buf_adds(b, "\")");
		break;
	case PL_CEL_QUANTITY:
		pl_buf_adds(b, "quantity(\"");
		pl_cel_quantity_format(b, v);
		pl_buf_adds(b, "\")");
		break;
	case PL_CEL_IP:
	case PL_CEL_CIDR:
		pl_buf_adds(b, v->kind == PL_CEL_IP ? "ip(\"" : "cidr(\"");
		pl_cel_ip_format(b, v);
		pl_buf_adds(b, "\")");
		break;
	case PL_CEL_ERROR:
		pl_buf_addf(b, "error: %s", v->u.err.msg);
		break;
	}
}
