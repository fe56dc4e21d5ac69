/*
 * strings.c - the extension libraries Kubernetes enables for CRD rules:
 * strings (charAt, indexOf, lastIndexOf, lowerAscii, upperAscii,
 * replace, reverse, split, join, substring, trim, format in format.c) and lists
 * (isSorted, sum, min, max, indexOf, lastIndexOf). Indices count code points,
 * as in cel-go.
 */
#include "cel/cel_impl.h"

#define NAME(s) (!strcmp(name, (s)))

/* Byte offset of code point index cp in s (len if cp == length). */
static size_t cp_off(const char *s, size_t len, size_t cp)
{
	size_t i = 0;

	while (i < len && cp > 0) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		cp--;
	}
	return i;
}

static const pl_cel_val *mklist(pl_cel_ctx *c, const pl_cel_val **items,
                                size_t n)
{
	pl_cel_val *l = pl_cel_new(c->a, PL_CEL_LIST);
	l->u.list.items = items;
	l->u.list.len = n;
	return l;
}

static bool find(const char *s, size_t n, const char *t, size_t m, size_t from,
                 bool last, size_t *at)
{
	size_t i;
	bool found = false;

	if (m > n)
		return false;
	for (i = from; i + m <= n; i++) {
		if (!memcmp(s + i, t, m)) {
			*at = i;
			found = true;
			if (!last)
				return true;
		}
	}
	return found;
}

static const pl_cel_val *str_index(pl_cel_ctx *c, uint32_t off,
                                   const char *name, const pl_cel_val *s,
                                   const pl_cel_val **args, size_t nargs)
{
	const pl_cel_val *t = args[0];
	size_t cps = pl_cel_utf8_len(s->u.s.ptr, s->u.s.len), at, from = 0;
	bool last = NAME("lastIndexOf");

	if (t->kind != PL_CEL_STRING)
		return pl_cel_nooverload(c, off, name);
	if (nargs == 2) {
		if (args[1]->kind != PL_CEL_INT)
			return pl_cel_nooverload(c, off, name);
		if (args[1]->u.i < 0 || (uint64_t)args[1]->u.i > cps)
			return pl_cel_err(c, off, "index out of range: %lld",
			                  (long long)args[1]->u.i);
		from = (size_t)args[1]->u.i;
	}
	if (!pl_cel_cost(c, 1 + s->u.s.len / 64))
		return pl_cel_err(c, off, "cost limit exceeded");
	if (last) {
		size_t end = nargs == 2 ? cp_off(s->u.s.ptr, s->u.s.len, from) +
		                                  t->u.s.len
		                        : s->u.s.len;
		if (end > s->u.s.len)
			end = s->u.s.len;
		if (!find(s->u.s.ptr, end, t->u.s.ptr, t->u.s.len, 0, true,
		          &at))
			return pl_cel_int(c->a, -1);
	} else {
		if (!find(s->u.s.ptr, s->u.s.len, t->u.s.ptr, t->u.s.len,
		          cp_off(s->u.s.ptr, s->u.s.len, from), false, &at))
			return pl_cel_int(c->a, -1);
	}
	return pl_cel_int(c->a, (int64_t)pl_cel_utf8_len(s->u.s.ptr, at));
}

static const pl_cel_val *str_case(pl_cel_ctx *c, const pl_cel_val *s,
                                  bool upper)
{
	char *o = pl_arena_strndup(c->a, s->u.s.ptr, s->u.s.len);
	size_t i;
	pl_cel_val *v = pl_cel_new(c->a, PL_CEL_STRING);

	for (i = 0; i < s->u.s.len; i++) {
		if (upper && o[i] >= 'a' && o[i] <= 'z')
			o[i] = (char)(o[i] - 32);
		else if (!upper && o[i] >= 'A' && o[i] <= 'Z')
			o[i] = (char)(o[i] + 32);
	}
	v->u.s.ptr = o;
	v->u.s.len = s->u.s.len;
	return v;
}

static const pl_cel_val *str_replace(pl_cel_ctx *c, uint32_t off,
                                     const pl_cel_val *s,
                                     const pl_cel_val **args, size_t nargs)
{
	const pl_cel_val *from = args[0], *to = args[1];
	int64_t limit = -1, done = 0;
	size_t i = 0, at;
	pl_buf b;
	const pl_cel_val *v;

	if (from->kind != PL_CEL_STRING || to->kind != PL_CEL_STRING ||
	    (nargs == 3 && args[2]->kind != PL_CEL_INT))
		return pl_cel_nooverload(c, off, "replace");
	if (nargs == 3)
		limit = args[2]->u.i;
	if (!pl_cel_cost(c, 1 + s->u.s.len / 16))
		return pl_cel_err(c, off, "cost limit exceeded");
	pl_buf_init(&b, PL_CEL_MAX_LEN * 4);
	while (limit < 0 || done < limit) {
		if (from->u.s.len == 0) {
			/* an empty pattern matches between code points */
			if (i > s->u.s.len)
				break;
			pl_buf_add(&b, to->u.s.ptr, to->u.s.len);
			if (i < s->u.s.len) {
				size_t j = i + 1;
				while (j < s->u.s.len &&
				       ((unsigned char)s->u.s.ptr[j] & 0xC0) ==
				               0x80)
					j++;
				pl_buf_add(&b, s->u.s.ptr + i, j - i);
				i = j;
			} else {
				i++;
			}
			done++;
			continue;
		}
		if (!find(s->u.s.ptr, s->u.s.len, from->u.s.ptr, from->u.s.len,
		          i, false, &at))
			break;
		pl_buf_add(&b, s->u.s.ptr + i, at - i);
		pl_buf_add(&b, to->u.s.ptr, to->u.s.len);
		i = at + from->u.s.len;
		done++;
	}
	if (i < s->u.s.len)
		pl_buf_add(&b, s->u.s.ptr + i, s->u.s.len - i);
	if (b.truncated) {
		pl_buf_release(&b);
		return pl_cel_err(c, off, "replace() result too long");
	}
	v = pl_cel_string(c->a, b.ptr, b.len);
	pl_buf_release(&b);
	return v;
}

static const pl_cel_val *str_split(pl_cel_ctx *c, uint32_t off,
                                   const pl_cel_val *s, const pl_cel_val **args,
                                   size_t nargs)
{
	const pl_cel_val *sep = args[0];
	int64_t limit = -1;
	const pl_cel_val **items;
	size_t n = 0, i = 0, at, cap = s->u.s.len + 2;

	if (sep->kind != PL_CEL_STRING ||
	    (nargs == 2 && args[1]->kind != PL_CEL_INT))
		return pl_cel_nooverload(c, off, "split");
	if (nargs == 2)
		limit = args[1]->u.i;
	if (limit == 0)
		return mklist(c, NULL, 0);
	if (!pl_cel_cost(c, 1 + s->u.s.len / 8))
		return pl_cel_err(c, off, "cost limit exceeded");
	items = pl_arena_alloc(c->a, cap * sizeof *items);
	if (sep->u.s.len == 0) {
		while (i < s->u.s.len) {
			size_t j = i + 1;
			if (limit > 0 && (int64_t)n == limit - 1)
				j = s->u.s.len;
			while (j < s->u.s.len &&
			       ((unsigned char)s->u.s.ptr[j] & 0xC0) == 0x80)
				j++;
			items[n++] = pl_cel_string(c->a, s->u.s.ptr + i, j - i);
			i = j;
		}
		return mklist(c, items, n);
	}
	while ((limit < 0 || (int64_t)n < limit - 1) &&
	       find(s->u.s.ptr, s->u.s.len, sep->u.s.ptr, sep->u.s.len, i,
	            false, &at)) {
		items[n++] = pl_cel_string(c->a, s->u.s.ptr + i, at - i);
		i = at + sep->u.s.len;
	}
	items[n++] = pl_cel_string(c->a, s->u.s.ptr + i, s->u.s.len - i);
	return mklist(c, items, n);
}

static const pl_cel_val *list_join(pl_cel_ctx *c, uint32_t off,
                                   const pl_cel_val *l, const pl_cel_val **args,
                                   size_t nargs)
{
	pl_buf b;
	size_t i;
	const pl_cel_val *v;

	if (nargs == 1 && args[0]->kind != PL_CEL_STRING)
		return pl_cel_nooverload(c, off, "join");
	if (!pl_cel_cost(c, 1 + l->u.list.len))
		return pl_cel_err(c, off, "cost limit exceeded");
	pl_buf_init(&b, PL_CEL_MAX_LEN * 4);
	for (i = 0; i < l->u.list.len; i++) {
		const pl_cel_val *e = l->u.list.items[i];
		if (e->kind != PL_CEL_STRING) {
			pl_buf_release(&b);
			return pl_cel_nooverload(c, off, "join");
		}
		if (i && nargs == 1)
			pl_buf_add(&b, args[0]->u.s.ptr, args[0]->u.s.len);
		pl_buf_add(&b, e->u.s.ptr, e->u.s.len);
	}
	v = pl_cel_string(c->a, b.ptr, b.len);
	pl_buf_release(&b);
	return v;
}

/* The code point at s[i] and its length in *n (valid UTF-8 assumed). */
static uint32_t cp_at(const char *s, size_t len, size_t i, size_t *n)
{
	unsigned char c = (unsigned char)s[i];
	uint32_t cp;
	size_t k, m;

	if (c < 0x80) {
		*n = 1;
		return c;
	}
	m = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
	cp = c & (0x3F >> m);
	for (k = 1; k <= m && i + k < len; k++)
		cp = (cp << 6) | ((unsigned char)s[i + k] & 0x3F);
	*n = k;
	return cp;
}

/* Unicode White_Space, as cel-go's trim() reads it. */
static bool is_space(const char *s, size_t len, size_t i, size_t *n)
{
	uint32_t cp = cp_at(s, len, i, n);

	return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 ||
	       cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
	       cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
	       cp == 0x3000;
}

static const pl_cel_val *str_reverse(pl_cel_ctx *c, const pl_cel_val *s)
{
	size_t len = s->u.s.len, i = 0, n;
	char *o = pl_arena_alloc(c->a, len + 1);
	pl_cel_val *v = pl_cel_new(c->a, PL_CEL_STRING);

	while (i < len) {
		cp_at(s->u.s.ptr, len, i, &n);
		memcpy(o + len - i - n, s->u.s.ptr + i, n);
		i += n;
	}
	o[len] = '\0';
	v->u.s.ptr = o;
	v->u.s.len = len;
	return v;
}

static const pl_cel_val *list_fn(pl_cel_ctx *c, uint32_t off, const char *name,
                                 const pl_cel_val *l, const pl_cel_val **args,
                                 size_t nargs)
{
	size_t i, n = l->u.list.len;
	const pl_cel_val *acc = NULL;

	if (!pl_cel_cost(c, 1 + n))
		return pl_cel_err(c, off, "cost limit exceeded");
	if ((NAME("indexOf") || NAME("lastIndexOf")) && nargs == 1) {
		int64_t found = -1;
		for (i = 0; i < n; i++) {
			if (pl_cel_equal(l->u.list.items[i], args[0])) {
				found = (int64_t)i;
				if (NAME("indexOf"))
					break;
			}
		}
		return pl_cel_int(c->a, found);
	}
	if (nargs)
		return NULL;
	if (NAME("isSorted")) {
		for (i = 1; i < n; i++) {
			int r = pl_cel_compare(l->u.list.items[i - 1],
			                       l->u.list.items[i]);
			if (r == 3)
				return pl_cel_nooverload(c, off, name);
			if (r > 0 && r != 2)
				return pl_cel_bool(false);
		}
		return pl_cel_bool(true);
	}
	if (NAME("sum")) {
		acc = n ? l->u.list.items[0] : pl_cel_int(c->a, 0);
		for (i = 1; i < n; i++) {
			const pl_cel_val *two[2] = {acc, l->u.list.items[i]};
			acc = pl_cel_call(c, off, "_+_", NULL, two, 2);
			if (acc->kind == PL_CEL_ERROR)
				return acc;
		}
		return acc;
	}
	if (NAME("min") || NAME("max")) {
		if (!n)
			return pl_cel_err(c, off, "%s() of an empty list",
			                  name);
		acc = l->u.list.items[0];
		for (i = 1; i < n; i++) {
			int r = pl_cel_compare(l->u.list.items[i], acc);
			if (r == 3)
				return pl_cel_nooverload(c, off, name);
			if ((NAME("min") && r < 0) || (NAME("max") && r == 1))
				acc = l->u.list.items[i];
		}
		return acc;
	}
	return NULL;
}

const pl_cel_val *pl_cel_call_str(pl_cel_ctx *c, uint32_t off, const char *name,
                                  const pl_cel_val *target,
                                  const pl_cel_val **args, size_t nargs)
{
	const pl_cel_val *s = target;
	size_t cps, a0, a1;

	if (!target)
		return NULL;
	if (target->kind == PL_CEL_LIST) {
		if (NAME("join") && nargs <= 1)
			return list_join(c, off, target, args, nargs);
		return list_fn(c, off, name, target, args, nargs);
	}
	if (target->kind != PL_CEL_STRING)
		return NULL;
	if ((NAME("indexOf") || NAME("lastIndexOf")) &&
	    (nargs == 1 || nargs == 2))
		return str_index(c, off, name, s, args, nargs);
	if (NAME("format") && nargs == 1)
		return pl_cel_format_call(c, off, s, args[0]);
	if (NAME("reverse") && !nargs)
		return str_reverse(c, s);
	if (NAME("lowerAscii") && !nargs)
		return str_case(c, s, false);
	if (NAME("upperAscii") && !nargs)
		return str_case(c, s, true);
	if (NAME("replace") && (nargs == 2 || nargs == 3))
		return str_replace(c, off, s, args, nargs);
	if (NAME("split") && (nargs == 1 || nargs == 2))
		return str_split(c, off, s, args, nargs);
	if (NAME("trim") && !nargs) {
		size_t b = 0, e = s->u.s.len, k;
		while (b < e && is_space(s->u.s.ptr, e, b, &k))
			b += k;
		while (e > b) {
			size_t st = e - 1;
			while (st > b &&
			       ((unsigned char)s->u.s.ptr[st] & 0xC0) == 0x80)
				st--;
			if (!is_space(s->u.s.ptr, e, st, &k))
				break;
			e = st;
		}
		return pl_cel_string(c->a, s->u.s.ptr + b, e - b);
	}
	cps = pl_cel_utf8_len(s->u.s.ptr, s->u.s.len);
	if (NAME("charAt") && nargs == 1) {
		if (args[0]->kind != PL_CEL_INT)
			return pl_cel_nooverload(c, off, name);
		if (args[0]->u.i < 0 || (uint64_t)args[0]->u.i > cps)
			return pl_cel_err(c, off, "index out of range: %lld",
			                  (long long)args[0]->u.i);
		a0 = cp_off(s->u.s.ptr, s->u.s.len, (size_t)args[0]->u.i);
		a1 = cp_off(s->u.s.ptr, s->u.s.len, (size_t)args[0]->u.i + 1);
		return pl_cel_string(c->a, s->u.s.ptr + a0, a1 - a0);
	}
	if (NAME("substring") && (nargs == 1 || nargs == 2)) {
		int64_t b, e = (int64_t)cps;
		if (args[0]->kind != PL_CEL_INT ||
		    (nargs == 2 && args[1]->kind != PL_CEL_INT))
			return pl_cel_nooverload(c, off, name);
		b = args[0]->u.i;
		if (nargs == 2)
			e = args[1]->u.i;
		if (b < 0 || (uint64_t)b > cps || e < b || (uint64_t)e > cps)
			return pl_cel_err(c, off,
			                  "index out of range: %lld, %lld",
			                  (long long)b, (long long)e);
		a0 = cp_off(s->u.s.ptr, s->u.s.len, (size_t)b);
		a1 = cp_off(s->u.s.ptr, s->u.s.len, (size_t)e);
		return pl_cel_string(c->a, s->u.s.ptr + a0, a1 - a0);
	}
	return NULL;
}
