/*
 * scalar.c - resolves a scalar's text under the YAML 1.2 core schema and
 * under YAML 1.1, and records where the two disagree.
 *
 * Each form of each schema is a small hand-written scanner; its grammar is
 * quoted above it. Both resolvers switch on the first byte, so the common
 * case (a word such as `nginx` or `app`) costs a switch and at most a few
 * length checks. Numbers are converted by strtoull/strtod on a
 * NUL-terminated copy of exactly len bytes (YAML 1.1 drops its `_`
 * separators there first); a YAML 1.1 form counts only if that conversion
 * consumes the whole copy, as go-yaml v2 does (`1.2.3` and `.` match the
 * 1.1 float pattern but stay strings). strtod relies on the "C" locale's
 * decimal point; plumb never calls setlocale for LC_NUMERIC.
 */
#include "tree/scalar.h"

#include <math.h>

#include "base/xalloc.h"

/* One resolution of a text: the type and, for numbers and bools, the
 * value. An INT that does not fit int64 keeps i clamped and its
 * approximate value in f. */
typedef struct resolved {
	pl_type type;
	bool overflow;
	bool b;
	int64_t i;
	double f;
} resolved;

typedef enum core_tag {
	CORE_NONE,
	CORE_STR,
	CORE_INT,
	CORE_FLOAT,
	CORE_BOOL,
	CORE_NULL,
} core_tag;

#define CORE_PREFIX "tag:yaml.org,2002:"

static const char *const inf_words[] = {"inf", "Inf", "INF", NULL};
static const char *const nan_words[] = {"nan", "NaN", "NAN", NULL};

/* --- characters and words ------------------------------------------- */

typedef bool (*char_pred)(char c);

static bool is_dec(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_oct(char c)
{
	return c >= '0' && c <= '7';
}

static bool is_hex(char c)
{
	return is_dec(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* YAML 1.1 allows `_` anywhere after the first digit of a number. */
static bool is_dec_(char c)
{
	return is_dec(c) || c == '_';
}

static bool is_oct_(char c)
{
	return is_oct(c) || c == '_';
}

static bool is_hex_(char c)
{
	return is_hex(c) || c == '_';
}

static bool is_bin_(char c)
{
	return c == '0' || c == '1' || c == '_';
}

/* The YAML 1.1 float fraction is `[0-9.]*`, dots included. */
static bool is_dec_dot(char c)
{
	return is_dec(c) || c == '.';
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int digit_value(char c)
{
	if (is_dec(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return c - 'A' + 10;
}

static char upper_of(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* Position of the first byte at or after p that fails ok. */
static size_t skip(const char *s, size_t len, size_t p, char_pred ok)
{
	while (p < len && ok(s[p]))
		p++;
	return p;
}

/* Consumes between min and max decimal digits at *p. */
static bool digits(const char *s, size_t len, size_t *p, size_t min, size_t max)
{
	size_t n = 0;

	while (*p < len && n < max && is_dec(s[*p])) {
		(*p)++;
		n++;
	}
	return n >= min;
}

static bool byte_at(const char *s, size_t len, size_t *p, char c)
{
	if (*p >= len || s[*p] != c)
		return false;
	(*p)++;
	return true;
}

/*
 * True if s is `word`, `Word` or `WORD`, the three spellings both schemas
 * give each keyword (word is passed in lower case). `tRUE`, `nUll` and
 * `yES` are strings.
 */
static bool is_word(const char *s, size_t len, const char *word)
{
	size_t i, n = strlen(word);
	bool upper;

	if (len != n || (s[0] != word[0] && s[0] != upper_of(word[0])))
		return false;
	upper = n > 1 && s[1] != word[1];
	if (upper && s[0] == word[0])
		return false;
	for (i = 1; i < n; i++) {
		if (s[i] != (upper ? upper_of(word[i]) : word[i]))
			return false;
	}
	return true;
}

static bool is_one_of(const char *s, size_t len, const char *const *words)
{
	for (; *words; words++) {
		if (strlen(*words) == len && memcmp(s, *words, len) == 0)
			return true;
	}
	return false;
}

/* --- conversions ------------------------------------------------------ */

/*
 * A NUL-terminated copy of a number's text for strtoull/strtod: the input
 * is not terminated at len for pl_scalar_type12/11 callers, and YAML 1.1
 * drops `_` before converting. Short numbers stay on the stack.
 */
typedef struct numtext {
	char *p;
	size_t len;
	char small[64];
} numtext;

static void numtext_init(numtext *t, const char *s, size_t len,
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

static void numtext_release(numtext *t)
{
	if (t->p != t->small)
		free(t->p);
}

/* Stores the magnitude u with its sign; big means u itself overflowed
 * uint64 and approx holds the magnitude. */
static void set_magnitude(resolved *out, bool neg, uint64_t u, bool big,
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
static bool set_int(resolved *out, bool neg, const char *s, size_t len,
                    int base, bool drop_underscores)
{
	numtext t;
	char *end;
	uint64_t u;
	double approx = 0;
	bool big, ok;
	size_t i;

	numtext_init(&t, s, len, drop_underscores);
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
	numtext_release(&t);
	if (ok)
		set_magnitude(out, neg, u, big, approx);
	return ok;
}

/* Converts s[0..len) (sign included) with strtod. Out of range values
 * become ±HUGE_VAL or a denormal: still floats, as in PyYAML. */
static bool set_float(resolved *out, const char *s, size_t len,
                      bool drop_underscores)
{
	numtext t;
	char *end;
	double f;
	bool ok;

	numtext_init(&t, s, len, drop_underscores);
	f = strtod(t.p, &end);
	ok = t.len > 0 && end == t.p + t.len;
	numtext_release(&t);
	if (ok) {
		out->type = PL_TYPE_FLOAT;
		out->f = f;
	}
	return ok;
}

/* `.inf` forms after an optional sign; `.nan` forms only unsigned. */
static bool set_special_float(resolved *out, const char *s, size_t len,
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
			set_int(out, false, s + 2, len - 2, base, false);
		return;
	}
	if (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-';
		p = 1;
	}
	q = skip(s, len, p, is_dec);
	if (q == len && q > p) {
		set_int(out, neg, s + p, len - p, 10, false);
		return;
	}
	if (set_special_float(out, s, len, p, neg))
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
		set_float(out, s, len, false);
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

/* --- YAML 1.1 (yaml.org/type) ----------------------------------------- */

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
		return set_int(out, neg, d + 2, n - 2, base, true);
	}
	if (d[0] == '0') {
		if (skip(d, n, 1, is_oct_) != n)
			return false;
		return set_int(out, neg, d, n, 8, true);
	}
	if (d[0] < '1' || d[0] > '9')
		return false;
	q = skip(d, n, 1, is_dec_);
	if (q == n)
		return set_int(out, neg, d, n, 10, true);
	if (d[q] != ':' || base60_groups(d, n, q) != n)
		return false;
	u = base60_value(d, n, &big, &f);
	set_magnitude(out, neg, u, big, f);
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

	if (set_special_float(out, s, len, p, neg))
		return;
	if (is_dec(s[p]))
		q = skip(s, len, p + 1, is_dec_);
	if (q > p && q < len && s[q] == ':') {
		r = base60_groups(s, len, q);
		if (r == q || r == len || s[r] != '.' ||
		    skip(s, len, r + 1, is_dec_) != len)
			return;
		base60_value(s + p, r - p, &big, &f);
		numtext_init(&frac, s + r, len - r, true);
		ff = frac.len > 1 ? strtod(frac.p, NULL) : 0;
		numtext_release(&frac);
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
		set_float(out, s, len, true);
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
static void resolve11(resolved *out, const char *s, size_t len)
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
	resolve11(&r11, s, len);
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

	resolve11(&r, s, len);
	return r.type;
}
