/*
 * scalar_impl.h - what the two resolvers of scalar.c (YAML 1.2 core, the
 * tags, the node) and scalar11.c (YAML 1.1) share; private to tree/.
 * The character and word scanners are static inline: they run for every
 * byte of a number-like scalar.
 */
#ifndef PL_SCALAR_IMPL_H
#define PL_SCALAR_IMPL_H

#include "tree/scalar.h"

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

/* --- characters and words ------------------------------------------- */

typedef bool (*char_pred)(char c);

static inline bool is_dec(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool is_oct(char c)
{
	return c >= '0' && c <= '7';
}

static inline bool is_hex(char c)
{
	return is_dec(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* YAML 1.1 allows `_` anywhere after the first digit of a number. */
static inline bool is_dec_(char c)
{
	return is_dec(c) || c == '_';
}

static inline bool is_oct_(char c)
{
	return is_oct(c) || c == '_';
}

static inline bool is_hex_(char c)
{
	return is_hex(c) || c == '_';
}

static inline bool is_bin_(char c)
{
	return c == '0' || c == '1' || c == '_';
}

/* The YAML 1.1 float fraction is `[0-9.]*`, dots included. */
static inline bool is_dec_dot(char c)
{
	return is_dec(c) || c == '.';
}

static inline bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static inline int digit_value(char c)
{
	if (is_dec(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return c - 'A' + 10;
}

static inline char upper_of(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* Position of the first byte at or after p that fails ok. */
static inline size_t skip(const char *s, size_t len, size_t p, char_pred ok)
{
	while (p < len && ok(s[p]))
		p++;
	return p;
}

/* Consumes between min and max decimal digits at *p. */
static inline bool digits(const char *s, size_t len, size_t *p, size_t min,
                          size_t max)
{
	size_t n = 0;

	while (*p < len && n < max && is_dec(s[*p])) {
		(*p)++;
		n++;
	}
	return n >= min;
}

static inline bool byte_at(const char *s, size_t len, size_t *p, char c)
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
static inline bool is_word(const char *s, size_t len, const char *word)
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

static inline bool is_one_of(const char *s, size_t len,
                             const char *const *words)
{
	for (; *words; words++) {
		if (strlen(*words) == len && memcmp(s, *words, len) == 0)
			return true;
	}
	return false;
}

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

void pl_scalar__numtext_init(numtext *t, const char *s, size_t len,
                             bool drop_underscores);

void pl_scalar__numtext_release(numtext *t);

/* Stores the magnitude u with its sign; big means u itself overflowed
 * uint64 and approx holds the magnitude. */
void pl_scalar__set_magnitude(resolved *out, bool neg, uint64_t u, bool big,
                              double approx);

/*
 * Converts the digits s[0..len) (no sign, no prefix; `_` ignored when
 * drop_underscores) in base. Returns false, leaving out alone, if no digit
 * is left or the conversion stops early.
 */
bool pl_scalar__set_int(resolved *out, bool neg, const char *s, size_t len,
                        int base, bool drop_underscores);

/* Converts s[0..len) (sign included) with strtod. Out of range values
 * become ±HUGE_VAL or a denormal: still floats, as in PyYAML. */
bool pl_scalar__set_float(resolved *out, const char *s, size_t len,
                          bool drop_underscores);

/* `.inf` forms after an optional sign; `.nan` forms only unsigned. */
bool pl_scalar__set_special_float(resolved *out, const char *s, size_t len,
                                  size_t p, bool neg);

/* YAML 1.1 (scalar11.c): the type and value go-yaml v2 gives s. */
void pl_scalar__resolve11(resolved *out, const char *s, size_t len);

#endif
