/*
 * scalar11.c - YAML 1.1 resolution (yaml.org/type), as go-yaml v2 and
 * so Kubernetes tooling read a plain scalar: yes/no/on/off booleans,
 * base-60 and underscore-separated numbers, 0-prefixed octals,
 * timestamps. scalar.c compares the result with the YAML 1.2 core one.
 */
#include "tree/scalar_impl.h"
#include <math.h>

/*
 * The groups (:[0-5]?[0-9])+ of a base 60 number, from the `:` at q.
 * Returns the position after the last group, q if there is none. Taking
 * two digits whenever they fit is safe: a digit can never follow a group.
 */
static size_t base60_groups(const char *s, size_t len, size_t q)
{
	while (q + 1 < len && s[q] == ':' && is_dec(s[q + 1])) {
		if (s[q + 1] <= '5' && q + 2 < len && is_dec(s[q + 2]))
			q += 3;
		else
			q += 2;
	}
	return q;
}

/* Value of the base 60 digits s[0..len), e.g. 190:20:30 = (190 * 60 + 20)
 * * 60 + 30; big reports a uint64 overflow, f is always set. */
static uint64_t base60_value(const char *s, size_t len, bool *big, double *f)
{
	uint64_t v = 0, part = 0;
	double fv = 0, fpart = 0;
	size_t i;
	int d;

	*big = false;
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] == '_')
			continue;
		if (i == len || s[i] == ':') {
			if (v > (UINT64_MAX - part) / 60)
				*big = true;
			v = v * 60 + part;
			fv = fv * 60 + fpart;
			part = 0;
			fpart = 0;
			continue;
		}
		d = s[i] - '0';
		if (part > (UINT64_MAX - (uint64_t)d) / 10)
			*big = true;
		part = part * 10 + (uint64_t)d;
		fpart = fpart * 10 + d;
	}
	*f = fv;
	return v;
}

/*
 *   int    [-+]?0b[0-1_]+ | [-+]?0[0-7_]+ | [-+]?(0|[1-9][0-9_]*)
 *          | [-+]?0x[0-9a-fA-F_]+ | [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+
 * s[p] is the first byte after the sign. Returns true if out is an INT.
 */
static bool int11(resolved *out, const char *s, size_t len, size_t p, bool neg)
{
	const char *d = s + p;
	size_t n = len - p, q;
	uint64_t u;
	double f;
	bool big;

	if (n > 2 && d[0] == '0' && (d[1] == 'b' || d[1] == 'x')) {
		int base = d[1] == 'b' ? 2 : 16;

		if (skip(d, n, 2, base == 2 ? is_bin_ : is_hex_) != n)
			return false;
		return pl_scalar__set_int(out, neg, d + 2, n - 2, base, true);
	}
	if (d[0] == '0') {
		if (skip(d, n, 1, is_oct_) != n)
			return false;
		return pl_scalar__set_int(out, neg, d, n, 8, true);
	}
	if (d[0] < '1' || d[0] > '9')
		return false;
	q = skip(d, n, 1, is_dec_);
	if (q == n)
		return pl_scalar__set_int(out, neg, d, n, 10, true);
	if (d[q] != ':' || base60_groups(d, n, q) != n)
		return false;
	u = base60_value(d, n, &big, &f);
	pl_scalar__set_magnitude(out, neg, u, big, f);
	return true;
}

/*
 *   float  [-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+][0-9]+)?
 *          | [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*
 *          | [-+]?\.(inf|Inf|INF) | \.(nan|NaN|NAN)
 * s[p] is the first byte after the sign.
 */
static void float11(resolved *out, const char *s, size_t len, size_t p,
                    bool neg)
{
	size_t q = p, r;
	numtext frac;
	double f, ff;
	bool big;

	if (pl_scalar__set_special_float(out, s, len, p, neg))
		return;
	if (is_dec(s[p]))
		q = skip(s, len, p + 1, is_dec_);
	if (q > p && q < len && s[q] == ':') {
		r = base60_groups(s, len, q);
		if (r == q || r == len || s[r] != '.' ||
		    skip(s, len, r + 1, is_dec_) != len)
			return;
		base60_value(s + p, r - p, &big, &f);
		pl_scalar__numtext_init(&frac, s + r, len - r, true);
		ff = frac.len > 1 ? strtod(frac.p, NULL) : 0;
		pl_scalar__numtext_release(&frac);
		out->type = PL_TYPE_FLOAT;
		out->f = neg ? -(f + ff) : f + ff;
		return;
	}
	if (q >= len || s[q] != '.')
		return;
	q = skip(s, len, q + 1, is_dec_dot);
	if (q < len && (s[q] == 'e' || s[q] == 'E')) {
		q++;
		if (q >= len || (s[q] != '-' && s[q] != '+'))
			return;
		r = skip(s, len, q + 1, is_dec);
		if (r == q + 1)
			return;
		q = r;
	}
	if (q == len)
		pl_scalar__set_float(out, s, len, true);
}

/*
 *   [0-9]{4}-[0-9]{2}-[0-9]{2}
 *   | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}
 *     :[0-9]{2}(\.[0-9]*)?([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?
 * The time zone takes blanks before an offset as well as before Z: the
 * type's own example `2001-12-14 21:59:43.10 -5` needs it, and PyYAML
 * accepts it.
 */
static bool timestamp11(const char *s, size_t len)
{
	size_t p = 0, m, d;

	if (!digits(s, len, &p, 4, 4) || !byte_at(s, len, &p, '-'))
		return false;
	m = p;
	if (!digits(s, len, &p, 1, 2) || !byte_at(s, len, &p, '-'))
		return false;
	m = p - m - 1;
	d = p;
	if (!digits(s, len, &p, 1, 2))
		return false;
	d = p - d;
	if (p == len)
		return m == 2 && d == 2;
	if (s[p] == 'T' || s[p] == 't')
		p++;
	else if (is_blank(s[p]))
		p = skip(s, len, p, is_blank);
	else
		return false;
	if (!digits(s, len, &p, 1, 2) || !byte_at(s, len, &p, ':') ||
	    !digits(s, len, &p, 2, 2) || !byte_at(s, len, &p, ':') ||
	    !digits(s, len, &p, 2, 2))
		return false;
	if (byte_at(s, len, &p, '.'))
		p = skip(s, len, p, is_dec);
	if (p == len)
		return true;
	p = skip(s, len, p, is_blank);
	if (byte_at(s, len, &p, 'Z'))
		return p == len;
	if (!byte_at(s, len, &p, '-') && !byte_at(s, len, &p, '+'))
		return false;
	if (!digits(s, len, &p, 1, 2))
		return false;
	if (byte_at(s, len, &p, ':') && !digits(s, len, &p, 2, 2))
		return false;
	return p == len;
}

static void number11(resolved *out, const char *s, size_t len)
{
	size_t p = 0;
	bool neg = false;

	if (is_dec(s[0]) && timestamp11(s, len)) {
		out->type = PL_TYPE_TIMESTAMP;
		return;
	}
	if (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-';
		p = 1;
	}
	if (p == len || int11(out, s, len, p, neg))
		return;
	float11(out, s, len, p, neg);
}

/*
 *   null   ~ | null | Null | NULL | (empty)
 *   bool   y|Y|yes|Yes|YES | n|N|no|No|NO | true|True|TRUE
 *          | false|False|FALSE | on|On|ON | off|Off|OFF
 */
void pl_scalar__resolve11(resolved *out, const char *s, size_t len)
{
	memset(out, 0, sizeof(*out));
	out->type = PL_TYPE_STRING;
	if (len == 0) {
		out->type = PL_TYPE_NULL;
		return;
	}
	switch (s[0]) {
	case '~':
		if (len == 1)
			out->type = PL_TYPE_NULL;
		return;
	case 'n':
	case 'N':
		if (is_word(s, len, "null")) {
			out->type = PL_TYPE_NULL;
			return;
		}
		if (is_word(s, len, "n") || is_word(s, len, "no"))
			out->type = PL_TYPE_BOOL;
		return;
	case 'y':
	case 'Y':
		if (is_word(s, len, "y") || is_word(s, len, "yes")) {
			out->type = PL_TYPE_BOOL;
			out->b = true;
		}
		return;
	case 't':
	case 'T':
		if (is_word(s, len, "true")) {
			out->type = PL_TYPE_BOOL;
			out->b = true;
		}
		return;
	case 'f':
	case 'F':
		if (is_word(s, len, "false"))
			out->type = PL_TYPE_BOOL;
		return;
	case 'o':
	case 'O':
		if (is_word(s, len, "on") || is_word(s, len, "off")) {
			out->type = PL_TYPE_BOOL;
			out->b = len == 2;
		}
		return;
	case '-':
	case '+':
	case '.':
	case '0':
	case '1':
	case '2':
	case '3':
	case '4':
	case '5':
	case '6':
	case '7':
	case '8':
	case '9':
		number11(out, s, len);
		return;
	default:
		return;
	}
}
