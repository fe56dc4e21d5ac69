/*
 * scalar.c - resolves a scalar's text under the YAML 1.2 core schema and
 * under YAML 1.1, and records where the two disagree.
 *
 * Each form of each schema is a small hand-written scanner (YAML 1.1's
 * in scalar11.c, the shared scanners in scalar_impl.h); its grammar is
 * quoted above it. Both resolvers switch on the first byte, so the common
 * case (a word such as `nginx` or `app`) costs a switch and at most a few
 * length checks. Numbers are converted by strtoull/strtod on a
 * NUL-terminated copy of exactly len bytes (YAML 1.1 drops its `_`
 * separators there first); a YAML 1.1 form counts only if that conversion
 * consumes the whole copy, as go-yaml v2 does (`1.2.3` and `.` match the
 * 1.1 float pattern but stay strings). strtod relies on the "C" locale's
 * decimal point; plumb never calls setlocale for LC_NUMERIC.
 */
#include "tree/scalar_impl.h"

#include <math.h>

#include "base/xalloc.h"

static const char *const inf_words[] = {"inf", "Inf", "INF", NULL};
static const char *const nan_words[] = {"nan", "NaN", "NAN", NULL};

/* --- conversions ------------------------------------------------------ */

void pl_scalar__numtext_init(numtext *t, const char *s, size_t len,
                             bool drop_underscores)
{
	size_t i;

	t->p = len < sizeof(t->small) ? t->small : pl_xmalloc(len + 1);
	t->len = 0;
	for (i = 0; i < len; i++) {
		if (drop_underscores && s[i] == '_')
			continue;
		t->p[t->len++] = s[i];
	}
	t->p[t->len] = '\0';
}

void pl_scalar__numtext_release(numtext *t)
{
	if (t->p != t->small)
		free(t->p);
}

/* Stores the magnitude u with its sign; big means u itself overflowed
 * uint64 and approx holds the magnitude. */
void pl_scalar__set_magnitude(resolved *out, bool neg, uint64_t u, bool big,
                              double approx)
{
	out->type = PL_TYPE_INT;
	out->overflow = false;
	if (!big && !neg && u <= (uint64_t)INT64_MAX) {
		out->i = (int64_t)u;
	} else if (!big && neg && u == 0) {
		out->i = 0;
	} else if (!big && neg && u - 1 <= (uint64_t)INT64_MAX) {
		/* -(u - 1) - 1 reaches INT64_MIN without overflowing */
		out->i = -(int64_t)(u - 1) - 1;
	} else {
		out->overflow = true;
		out->i = neg ? INT64_MIN : INT64_MAX;
		out->f = neg ? -(big ? approx : (double)u)
		             : (big ? approx : (double)u);
		return;
	}
	out->f = (double)out->i;
}

/*
 * Converts the digits s[0..len) (no sign, no prefix; `_` ignored when
 * drop_underscores) in base. Returns false, leaving out alone, if no digit
 * is left or the conversion stops early.
 */
bool pl_scalar__set_int(resolved *out, bool neg, const char *s, size_t len,
                        int base, bool drop_underscores)
{
	numtext t;
	char *end;
	uint64_t u;
	double approx = 0;
	bool big, ok;
	size_t i;

	pl_scalar__numtext_init(&t, s, len, drop_underscores);
	errno = 0;
	u = strtoull(t.p, &end, base);
	big = errno == ERANGE;
	ok = t.len > 0 && end == t.p + t.len;
	if (ok && big && base == 10) {
		approx = strtod(t.p, NULL);
	} else if (ok && big) {
		for (i = 0; i < t.len; i++)
			approx = approx * base + digit_value(t.p[i]);
	}
	pl_scalar__numtext_release(&t);
	if (ok)
		pl_scalar__set_magnitude(out, neg, u, big, approx);
	return ok;
}

/* Converts s[0..len) (sign included) with strtod. Out of range values
 * become ±HUGE_VAL or a denormal: still floats, as in PyYAML. */
bool pl_scalar__set_float(resolved *out, const char *s, size_t len,
                          bool drop_underscores)
{
	numtext t;
	char *end;
	double f;
	bool ok;

	pl_scalar__numtext_init(&t, s, len, drop_underscores);
	f = strtod(t.p, &end);
	ok = t.len > 0 && end == t.p + t.len;
	pl_scalar__numtext_release(&t);
	if (ok) {
		out->type = PL_TYPE_FLOAT;
		out->f = f;
	}
	return ok;
}

/* `.inf` forms after an optional sign; `.nan` forms only unsigned. */
bool pl_scalar__set_special_float(resolved *out, const char *s, size_t len,
                                  size_t p, bool neg)
{
	if (len - p != 4 || s[p] != '.')
		return false;
	if (is_one_of(s + p + 1, 3, inf_words)) {
		out->type = PL_TYPE_FLOAT;
		out->f = neg ? -INFINITY : INFINITY;
		return true;
	}
	if (p == 0 && is_one_of(s + 1, 3, nan_words)) {
		out->type = PL_TYPE_FLOAT;
		out->f = NAN;
		return true;
	}
	return false;
}

/* --- YAML 1.2 core schema (YAML 1.2.2 §10.3.2) ----------------------- */

/*
 *   int    [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+
 *   float  [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
 *          | [-+]?\.(inf|Inf|INF) | \.(nan|NaN|NAN)
 */
static void number12(resolved *out, const char *s, size_t len)
{
	size_t p = 0, q, r;
	bool neg = false, mantissa;

	if (len > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
		int base = s[1] == 'o' ? 8 : 16;

		if (skip(s, len, 2, base == 8 ? is_oct : is_hex) == len)
			pl_scalar__set_int(out, false, s + 2, len - 2, base,
			                   false);
		return;
	}
	if (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-';
		p = 1;
	}
	q = skip(s, len, p, is_dec);
	if (q == len && q > p) {
		pl_scalar__set_int(out, neg, s + p, len - p, 10, false);
		return;
	}
	if (pl_scalar__set_special_float(out, s, len, p, neg))
		return;
	mantissa = q > p;
	if (q < len && s[q] == '.') {
		r = skip(s, len, q + 1, is_dec);
		mantissa = mantissa || r > q + 1;
		q = r;
	}
	if (!mantissa)
		return;
	if (q < len && (s[q] == 'e' || s[q] == 'E')) {
		q++;
		if (q < len && (s[q] == '-' || s[q] == '+'))
			q++;
		r = skip(s, len, q, is_dec);
		if (r == q)
			return;
		q = r;
	}
	if (q == len)
		pl_scalar__set_float(out, s, len, false);
}

/*
 *   null   null | Null | NULL | ~ | (empty)
 *   bool   true | True | TRUE | false | False | FALSE
 * A first byte that starts none of the forms makes a string at once.
 */
static void resolve12(resolved *out, const char *s, size_t len)
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
		break;
	case 'n':
	case 'N':
		if (is_word(s, len, "null"))
			out->type = PL_TYPE_NULL;
		break;
	case 't':
	case 'T':
	case 'f':
	case 'F':
		if (is_word(s, len, "true") || is_word(s, len, "false")) {
			out->type = PL_TYPE_BOOL;
			out->b = s[0] == 't' || s[0] == 'T';
		}
		break;
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
		number12(out, s, len);
		break;
	default:
		break;
	}
}

/* --- tags and the node ------------------------------------------------ */

static core_tag core_tag_of(const char *tag)
{
	static const struct {
		const char *name;
		core_tag tag;
	} names[] = {
	        {"bool", CORE_BOOL}, {"float", CORE_FLOAT}, {"int", CORE_INT},
	        {"null", CORE_NULL}, {"str", CORE_STR},
	};
	size_t i, n = sizeof(CORE_PREFIX) - 1;

	if (strncmp(tag, CORE_PREFIX, n) != 0)
		return CORE_NONE;
	for (i = 0; i < PL_ARRAY_SIZE(names); i++) {
		if (strcmp(tag + n, names[i].name) == 0)
			return names[i].tag;
	}
	return CORE_NONE;
}

/*
 * An explicit core tag takes the 1.2 forms of its type whatever the style
 * (`!!int "42"` is 42); !!float also takes the int forms. Returns false
 * when the text does not fit the tag; out is then a string.
 */
static bool resolve_core(resolved *out, core_tag tag, const char *s, size_t len)
{
	resolved r;

	memset(out, 0, sizeof(*out));
	out->type = PL_TYPE_STRING;
	if (tag == CORE_STR)
		return true;
	resolve12(&r, s, len);
	switch (tag) {
	case CORE_INT:
		if (r.type != PL_TYPE_INT)
			return false;
		break;
	case CORE_FLOAT:
		if (r.type == PL_TYPE_INT) {
			r.type = PL_TYPE_FLOAT;
			r.overflow = false;
			r.i = 0;
		}
		if (r.type != PL_TYPE_FLOAT)
			return false;
		break;
	case CORE_BOOL:
		if (r.type != PL_TYPE_BOOL)
			return false;
		break;
	case CORE_NULL:
		if (r.type != PL_TYPE_NULL)
			return false;
		break;
	default:
		return false;
	}
	*out = r;
	return true;
}

static bool same_resolution(const resolved *a, const resolved *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case PL_TYPE_BOOL:
		return a->b == b->b;
	case PL_TYPE_INT:
		if (a->overflow || b->overflow)
			return a->overflow == b->overflow && a->f == b->f;
		return a->i == b->i;
	case PL_TYPE_FLOAT:
		return a->f == b->f || (isnan(a->f) && isnan(b->f));
	default:
		return true;
	}
}

static void store(pl_node *n, const resolved *r)
{
	n->type = (uint8_t)r->type;
	n->type11 = (uint8_t)r->type;
	/* one union: write the member of the type only */
	if (r->type == PL_TYPE_INT && r->overflow)
		n->u.scalar.f = r->f; /* its approximate value */
	else if (r->type == PL_TYPE_INT)
		n->u.scalar.i = r->i;
	else if (r->type == PL_TYPE_FLOAT)
		n->u.scalar.f = r->f;
	else if (r->type == PL_TYPE_BOOL)
		n->u.scalar.b = r->b;
	if (r->overflow)
		n->flags |= PL_NODE_INT_OVERFLOW;
}

void pl_scalar_resolve(pl_node *n)
{
	const char *s = n->u.scalar.str;
	size_t len = n->u.scalar.len;
	resolved r12, r11;
	core_tag tag = CORE_NONE;

	n->flags &= (uint16_t) ~(PL_NODE_YAML11_DIFFERS | PL_NODE_TAGGED |
	                         PL_NODE_INT_OVERFLOW);
	if (n->tag)
		tag = core_tag_of(n->tag);
	if (tag != CORE_NONE) {
		if (resolve_core(&r12, tag, s, len))
			n->flags |= PL_NODE_TAGGED;
		store(n, &r12);
		return;
	}
	if (n->style != PL_STYLE_PLAIN ||
	    (n->tag && strcmp(n->tag, "!") == 0)) {
		memset(&r12, 0, sizeof(r12));
		r12.type = PL_TYPE_STRING;
		store(n, &r12);
		return;
	}
	resolve12(&r12, s, len);
	store(n, &r12);
	if (n->tag)
		return;
	pl_scalar__resolve11(&r11, s, len);
	n->type11 = (uint8_t)r11.type;
	if (!same_resolution(&r12, &r11))
		n->flags |= PL_NODE_YAML11_DIFFERS;
}

pl_type pl_scalar_type12(const char *s, size_t len)
{
	resolved r;

	resolve12(&r, s, len);
	return r.type;
}

pl_type pl_scalar_type11(const char *s, size_t len)
{
	resolved r;

	pl_scalar__resolve11(&r, s, len);
	return r.type;
}
