/*
 * schema_value.c - instance values as JSON Schema sees them: the JSON
 * type of a typed-tree node, numbers, JSON equality (enum, const,
 * uniqueItems), the formats plumb asserts and the short rendering of a
 * value inside an error message.
 *
 * A scalar's JSON type is the type its node resolved to (YAML 1.2 core
 * schema, node.h): `80` is an integer, `"80"` a string, `1.0` an integer
 * for "type": "integer" (JSON Schema 2020-12 validation §6.1.1).
 */
#include "schema/schema_impl.h"
#include "base/utf8.h"

#include <math.h>

unsigned pl_schema__type(const pl_node *n)
{
	n = pl_node_deref(n);
	if (!n)
		return PL_SN_NULL;
	if (n->kind == PL_NODE_SEQUENCE)
		return PL_SN_ARRAY;
	if (n->kind == PL_NODE_MAPPING)
		return PL_SN_OBJECT;
	switch (n->type) {
	case PL_TYPE_NULL:
		return PL_SN_NULL;
	case PL_TYPE_BOOL:
		return PL_SN_BOOLEAN;
	case PL_TYPE_INT:
		return PL_SN_INTEGER;
	case PL_TYPE_FLOAT:
		return isfinite(n->u.scalar.f) &&
		                       n->u.scalar.f == floor(n->u.scalar.f)
		               ? PL_SN_INTEGER
		               : PL_SN_NUMBER;
	default:
		return PL_SN_STRING;
	}
}

bool pl_schema__number(const pl_node *n, double *out)
{
	n = pl_node_deref(n);
	if (!n || n->kind != PL_NODE_SCALAR)
		return false;
	if (n->type == PL_TYPE_INT) {
		if (n->flags & PL_NODE_INT_OVERFLOW)
			*out = strtod(n->u.scalar.str, NULL);
		else
			*out = (double)n->u.scalar.i;
		return true;
	}
	if (n->type == PL_TYPE_FLOAT) {
		*out = n->u.scalar.f;
		return true;
	}
	return false;
}

static bool is_int(const pl_node *n)
{
	return n->type == PL_TYPE_INT && !(n->flags & PL_NODE_INT_OVERFLOW);
}

bool pl_schema__equal(const pl_node *a, const pl_node *b)
{
	unsigned ta, tb;
	size_t i;
	a = pl_node_deref(a);
	b = pl_node_deref(b);
	ta = pl_schema__type(a);
	tb = pl_schema__type(b);
	if (ta & (PL_SN_INTEGER | PL_SN_NUMBER)) {
		double x, y;
		if (!(tb & (PL_SN_INTEGER | PL_SN_NUMBER)))
			return false;
		if (is_int(a) && is_int(b))
			return a->u.scalar.i == b->u.scalar.i;
		pl_schema__number(a, &x);
		pl_schema__number(b, &y);
		return x == y;
	}
	if (ta != tb)
		return false;
	switch (ta) {
	case PL_SN_NULL:
		return true;
	case PL_SN_BOOLEAN:
		return a->u.scalar.b == b->u.scalar.b;
	case PL_SN_STRING:
		return a->u.scalar.len == b->u.scalar.len &&
		       memcmp(a->u.scalar.str, b->u.scalar.str,
		              a->u.scalar.len) == 0;
	case PL_SN_ARRAY:
		if (a->u.seq.len != b->u.seq.len)
			return false;
		for (i = 0; i < a->u.seq.len; i++)
			if (!pl_schema__equal(a->u.seq.items[i],
			                      b->u.seq.items[i]))
				return false;
		return true;
	default:
		if (a->u.map.len != b->u.map.len)
			return false;
		for (i = 0; i < a->u.map.len; i++) {
			const pl_node *k = pl_node_deref(a->u.map.pairs[i].key);
			const pl_node *v;
			if (k->kind != PL_NODE_SCALAR)
				return false;
			v = pl_node_get(b, k->u.scalar.str);
			if (!v || !pl_schema__equal(a->u.map.pairs[i].value, v))
				return false;
		}
		return true;
	}
}

/* Longest string shown in a message, in code points. */
#define SHOW_MAX 40

void pl_schema__show(pl_buf *b, const pl_node *n)
{
	n = pl_node_deref(n);
	if (!n) {
		pl_buf_adds(b, "null");
		return;
	}
	if (n->kind == PL_NODE_SEQUENCE) {
		pl_buf_addf(b, "an array of %zu items", n->u.seq.len);
		return;
	}
	if (n->kind == PL_NODE_MAPPING) {
		pl_buf_adds(b, "an object");
		return;
	}
	if (pl_schema__type(n) == PL_SN_STRING) {
		size_t len = 0, cps = 0;
		while (len < n->u.scalar.len && cps < SHOW_MAX) {
			len += pl_utf8_seq_len(
			        (unsigned char)n->u.scalar.str[len]);
			cps++;
		}
		if (len > n->u.scalar.len)
			len = n->u.scalar.len;
		pl_buf_add_json_str(b, n->u.scalar.str, len);
		if (len < n->u.scalar.len)
			pl_buf_adds(b, "...");
		return;
	}
	pl_buf_add(b, n->u.scalar.str,
	           n->u.scalar.len > SHOW_MAX ? SHOW_MAX : n->u.scalar.len);
	if (n->u.scalar.len == 0)
		pl_buf_adds(b, "null");
}

const char *pl_schema__type_name(unsigned type_bit)
{
	switch (type_bit) {
	case PL_SN_NULL:
		return "null";
	case PL_SN_BOOLEAN:
		return "boolean";
	case PL_SN_INTEGER:
		return "integer";
	case PL_SN_NUMBER:
		return "number";
	case PL_SN_STRING:
		return "string";
	case PL_SN_ARRAY:
		return "array";
	default:
		return "object";
	}
}

/* --- formats ------------------------------------------------------------ */

static const struct {
	const char *name;
	pl_sn_format f;
} formats[] = {
        {"date", PL_FMT_DATE},
        {"date-time", PL_FMT_DATE_TIME},
        {"int-or-string", PL_FMT_INT_OR_STRING},
        {"int32", PL_FMT_INT32},
        {"int64", PL_FMT_INT64},
        {"uri", PL_FMT_URI},
};

pl_sn_format pl_schema__format_of(const char *name)
{
	size_t i;
	for (i = 0; i < PL_ARRAY_SIZE(formats); i++)
		if (strcmp(formats[i].name, name) == 0)
			return formats[i].f;
	return PL_FMT_NONE;
}

const char *pl_schema__format_name(pl_sn_format f)
{
	size_t i;
	for (i = 0; i < PL_ARRAY_SIZE(formats); i++)
		if (formats[i].f == f)
			return formats[i].name;
	return "none";
}

static bool digits(const char *s, size_t n, int *out)
{
	size_t i;
	*out = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*out = *out * 10 + (s[i] - '0');
	}
	return true;
}

/* RFC 3339 §5.6 full-date; returns the length read (10) or 0. */
static size_t full_date(const char *s, size_t len)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
	                            31, 31, 30, 31, 30, 31};
	int y, m, d;
	if (len < 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) ||
	    !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d))
		return 0;
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 &&
	    !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return 0;
	return 10;
}

/* RFC 3339 §5.6 date-time: full-date "T" partial-time time-offset. */
static bool date_time(const char *s, size_t len)
{
	size_t i = full_date(s, len);
	int h, mi, se, oh, om;
	if (!i || i + 9 > len || (s[i] != 'T' && s[i] != 't'))
		return false;
	s += i + 1;
	len -= i + 1;
	if (s[2] != ':' || s[5] != ':' || !digits(s, 2, &h) ||
	    !digits(s + 3, 2, &mi) || !digits(s + 6, 2, &se) || h > 23 ||
	    mi > 59 || se > 60)
		return false;
	i = 8;
	if (i < len && s[i] == '.') {
		size_t start = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return false;
	}
	if (i + 1 == len && (s[i] == 'Z' || s[i] == 'z'))
		return true;
	if (i + 6 != len || (s[i] != '+' && s[i] != '-') || s[i + 3] != ':' ||
	    !digits(s + i + 1, 2, &oh) || !digits(s + i + 4, 2, &om) ||
	    oh > 23 || om > 59)
		return false;
	return true;
}

/* RFC 3986 §3: scheme ":" then URI characters and %XX escapes. */
static bool uri(const char *s, size_t len)
{
	static const char extra[] = "-._~:/?#[]@!$&'()*+,;=";
	size_t i = 0;
	if (!len ||
	    !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	while (i < len && s[i] != ':') {
		char ch = s[i++];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '+' || ch == '-' ||
		      ch == '.'))
			return false;
	}
	if (i == len)
		return false;
	for (i++; i < len; i++) {
		char ch = s[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || (ch && strchr(extra, ch)))
			continue;
		if (ch == '%' && i + 2 < len && s[i + 1] && s[i + 2] &&
		    strchr("0123456789abcdefABCDEF", s[i + 1]) &&
		    strchr("0123456789abcdefABCDEF", s[i + 2])) {
			i += 2;
			continue;
		}
		return false;
	}
	return true;
}

bool pl_schema__format_ok(pl_sn_format f, const pl_node *n)
{
	unsigned t = pl_schema__type(n);
	double v;
	n = pl_node_deref(n);
	switch (f) {
	case PL_FMT_INT_OR_STRING:
		return t == PL_SN_INTEGER || t == PL_SN_STRING;
	case PL_FMT_INT32:
	case PL_FMT_INT64:
		if (t != PL_SN_INTEGER || !pl_schema__number(n, &v))
			return true;
		if (f == PL_FMT_INT32)
			return v >= -2147483648.0 && v <= 2147483647.0;
		return v >= -9223372036854775808.0 && v < 9223372036854775808.0;
	default:
		break;
	}
	if (t != PL_SN_STRING)
		return true; /* formats constrain strings only */
	switch (f) {
	case PL_FMT_DATE_TIME:
		return date_time(n->u.scalar.str, n->u.scalar.len);
	case PL_FMT_DATE:
		return full_date(n->u.scalar.str, n->u.scalar.len) == 10 &&
		       n->u.scalar.len == 10;
	case PL_FMT_URI:
		return uri(n->u.scalar.str, n->u.scalar.len);
	default:
		return true;
	}
}
