/*
 * mask.c - pl_masks: finding flagged values in any text and hiding them.
 *
 * Values of PL_MASK_SHOWN_MIN bytes or more are indexed by their first
 * PL_MASK_SHOWN_MIN bytes, so one hash per position of the text finds
 * them, and a match that runs as far as the text agrees with the value
 * also hides a copy cut short. Shorter values are looked up whole, one
 * lookup per distinct length, and hidden only where they stand as a value
 * of their own, not inside a longer identifier.
 */
#include "finding/mask.h"
#include "base/xalloc.h"

size_t pl_mask_head(const char *s, size_t len)
{
	size_t n = 0;
	if (len < PL_MASK_SHOWN_MIN)
		return 0;
	while (n < PL_MASK_HEAD && (unsigned char)s[n] >= 0x20 &&
	       (unsigned char)s[n] < 0x7f)
		n++;
	return n;
}

void pl_mask_value(char *out, size_t size, const char *s, size_t len)
{
	size_t n = pl_mask_head(s, len);
	if (n + 4 > size)
		n = size > 4 ? size - 4 : 0;
	memcpy(out, s, n);
	memcpy(out + n, "***", 4);
}

void pl_mask_trim_span(const char **sp, size_t *np)
{
	const char *s = *sp;
	size_t n = *np;

	if (n && s[0] == '&') {
		while (n && s[0] != ' ' && s[0] != '\t') {
			s++;
			n--;
		}
	}
	if (n && s[0] == '*')
		n = 0; /* an alias: the value is written at its anchor */
	while (n &&
	       (s[0] == ' ' || s[0] == '\t' || s[0] == '"' || s[0] == '\'')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '"' ||
	             s[n - 1] == '\''))
		n--;
	*sp = s;
	*np = n;
}

void pl_masks_init(pl_masks *m)
{
	memset(m, 0, sizeof(*m));
	pl_vec_init(&m->values, sizeof(char *));
	pl_map_init(&m->whole);
	pl_map_init(&m->heads);
}

void pl_masks_release(pl_masks *m)
{
	size_t i;
	if (!m)
		return;
	for (i = 0; i < m->heads.cap; i++) {
		pl_vec *v = m->heads.slots[i].value;
		if (m->heads.slots[i].key && v) {
			pl_vec_release(v);
			free(v);
		}
	}
	for (i = 0; i < m->values.len; i++)
		free(*(char **)pl_vec_at(&m->values, i));
	pl_vec_release(&m->values);
	pl_map_release(&m->whole);
	pl_map_release(&m->heads);
}

static char *copy(const char *s, size_t len)
{
	char *v = pl_xmalloc(len + 1);
	memcpy(v, s, len);
	v[len] = '\0';
	return v;
}

static void add_one(pl_masks *m, const char *s, size_t len)
{
	char *v;
	pl_vec *list;
	size_t i;

	if (len == 0)
		return;
	if (len > m->maxlen)
		m->maxlen = len;
	if (len < PL_MASK_SHOWN_MIN) {
		if (pl_map_get(&m->whole, s, len))
			return;
		v = copy(s, len);
		pl_vec_append(&m->values, &v);
		pl_map_put(&m->whole, v, len, v, NULL);
		m->short_len[len] = true;
		return;
	}
	list = pl_map_get(&m->heads, s, PL_MASK_SHOWN_MIN);
	for (i = 0; list && i < list->len; i++) {
		const char *w = *(char **)pl_vec_at(list, i);
		if (strlen(w) == len && memcmp(w, s, len) == 0)
			return;
	}
	v = copy(s, len);
	pl_vec_append(&m->values, &v);
	if (!list) {
		list = pl_xcalloc(1, sizeof(*list));
		pl_vec_init(list, sizeof(char *));
		pl_map_put(&m->heads, v, PL_MASK_SHOWN_MIN, list, NULL);
	}
	pl_vec_append(list, &v);
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void pl_masks_add(pl_masks *m, const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	add_one(m, s, len);
	if (!memchr(s, '\n', len))
		return;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		const char *b = p;
		while (b < e && blank(*b))
			b++;
		while (e > b && blank(e[-1]))
			e--;
		if ((size_t)(e - b) >= PL_MASK_WORD_MIN)
			add_one(m, b, (size_t)(e - b));
		p = nl ? nl + 1 : end;
	}
}

static bool word_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '_';
}

/*
 * True if s[from..to) continues a longer word on either side: a letter,
 * digit or '_' next to it, or a '-' or '.' that joins it to one
 * (grafana-admin-secret, admin.example.org), where the value's own edge
 * is a word character. A short value is masked as a value, wherever it
 * stands on its own ("pw=admin!", "'admin'", "admin."), not as a piece
 * of every identifier that happens to contain it.
 */
static bool inside_a_word(const char *s, size_t len, size_t from, size_t to)
{
	if (from > 0 && word_char((unsigned char)s[from])) {
		unsigned char b = (unsigned char)s[from - 1];
		if (word_char(b) || ((b == '-' || b == '.') && from > 1 &&
		                     word_char((unsigned char)s[from - 2])))
			return true;
	}
	if (to < len && word_char((unsigned char)s[to - 1])) {
		unsigned char a = (unsigned char)s[to];
		if (word_char(a) || ((a == '-' || a == '.') && to + 1 < len &&
		                     word_char((unsigned char)s[to + 1])))
			return true;
	}
	return false;
}

static void hide(const char *s, size_t len, bool *hidden, size_t from,
                 size_t to)
{
	/* never leave half a code point visible */
	while (to < len && ((unsigned char)s[to] & 0xc0) == 0x80)
		to++;
	for (; from < to; from++)
		hidden[from] = true;
}

/* The longest flagged value of PL_MASK_SHOWN_MIN bytes or more that the
 * text at s[i..len) starts with, even cut short. */
static void match_long(const pl_masks *m, const char *s, size_t len, size_t i,
                       bool *hidden)
{
	const pl_vec *list;
	size_t j, best = 0, head = 0;

	list = pl_map_get(&m->heads, s + i, PL_MASK_SHOWN_MIN);
	if (!list)
		return;
	for (j = 0; j < list->len; j++) {
		const char *v = *(char **)pl_vec_at(list, j);
		size_t k = PL_MASK_SHOWN_MIN;
		while (v[k] && i + k < len && s[i + k] == v[k])
			k++;
		if (k > best) {
			best = k;
			head = pl_mask_head(v, strlen(v));
		}
	}
	hide(s, len, hidden, i + head, i + best);
}

void pl_masks_hidden(const pl_masks *m, const char *s, size_t len, bool *hidden)
{
	size_t i, l;

	if (pl_masks_empty(m))
		return;
	for (i = 0; i < len; i++) {
		if (len - i >= PL_MASK_SHOWN_MIN && m->heads.len)
			match_long(m, s, len, i, hidden);
		for (l = 1; l < PL_MASK_SHOWN_MIN && i + l <= len; l++) {
			if (!m->short_len[l] ||
			    !pl_map_get(&m->whole, s + i, l))
				continue;
			if (inside_a_word(s, len, i, i + l))
				continue;
			hide(s, len, hidden, i, i + l);
		}
	}
}

char *pl_masks_apply(const pl_masks *m, const char *s)
{
	size_t len, i;
	bool *hidden, any = false;
	pl_buf b;

	if (pl_masks_empty(m) || !s)
		return NULL;
	len = strlen(s);
	hidden = pl_xcalloc(len ? len : 1, sizeof(*hidden));
	pl_masks_hidden(m, s, len, hidden);
	for (i = 0; i < len && !any; i++)
		any = hidden[i];
	if (!any) {
		free(hidden);
		return NULL;
	}
	pl_buf_init(&b, 0);
	for (i = 0; i < len; i++) {
		if (!hidden[i]) {
			pl_buf_addc(&b, s[i]);
			continue;
		}
		pl_buf_adds(&b, "***");
		while (i + 1 < len && hidden[i + 1])
			i++;
	}
	free(hidden);
	return pl_buf_detach(&b, NULL);
}
