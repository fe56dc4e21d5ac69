/*
 * cache_entry.c - one entry of the cache (cache.h): the findings the
 * cacheable rules made on a file, recorded as the format at the top of
 * cache.c says, and replayed onto the file's source on a hit.
 */
#include "run/cache_impl.h"
#include "base/xalloc.h"

/* A str as a heap string with its NUL, or NULL. */
static char *dup_str(pl_cache_rd *r)
{
	const char *s;
	uint32_t n;
	char *out;
	pl_cache__get_str(r, &s, &n);
	if (!s)
		return NULL;
	out = pl_xmalloc((size_t)n + 1);
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

static pl_pos get_pos(pl_cache_rd *r)
{
	pl_pos p;
	p.line = pl_cache__get32(r);
	p.col = pl_cache__get32(r);
	p.offset = pl_cache__get32(r);
	return p;
}

static pl_span get_span(pl_cache_rd *r)
{
	pl_span s;
	s.start = get_pos(r);
	s.end = get_pos(r);
	return s;
}

/* One cached finding into f, on src; false when it does not decode. */
static bool replay_finding(pl_cache_rd *r, const pl_registry *reg,
                           const pl_source *src, pl_finding *f)
{
	const pl_rule *rule;
	char *id = dup_str(r);
	uint32_t i, n;
	size_t idx;

	rule = id ? pl_registry_find(reg, id, &idx) : NULL;
	free(id);
	if (!rule || !pl_cache_rule_cacheable(rule))
		return false;
	f->rule = rule->id;
	f->severity = (pl_severity)(pl_cache__get_bytes(r, 1) ? r->p[-1] : 0);
	f->src = src;
	f->span = get_span(r);
	f->message = dup_str(r);
	f->hint = dup_str(r);
	f->fingerprint = dup_str(r);
	n = pl_cache__get32(r);
	for (i = 0; i < n && !r->bad; i++) {
		uint32_t off = pl_cache__get32(r), len = pl_cache__get32(r);
		char *text = dup_str(r);
		bool ok = text && pl_finding_add_edit(f, off, len, text);
		free(text);
		if (!ok)
			return false;
	}
	n = pl_cache__get32(r);
	for (i = 0; i < n && !r->bad; i++) {
		pl_span sp = get_span(r);
		char *msg = dup_str(r);
		bool ok = msg && pl_finding_add_related(f, src, sp, msg);
		free(msg);
		if (!ok)
			return false;
	}
	return !r->bad && f->message && f->severity >= PL_SEV_INFO &&
	       f->severity <= PL_SEV_ERROR;
}

static bool replay_entry(const pl_cache_entry *e, const pl_registry *reg,
                         const pl_source *src, pl_findings *tmp)
{
	pl_cache_rd r = {e->data, e->data + e->len, false};
	uint32_t i, n = pl_cache__get32(&r);

	for (i = 0; i < n && !r.bad; i++) {
		pl_finding *f = pl_vec_push(&tmp->items);
		memset(f, 0, sizeof(*f));
		if (!replay_finding(&r, reg, src, f))
			return false;
	}
	n = pl_cache__get32(&r);
	for (i = 0; i < n && !r.bad; i++) {
		uint32_t off = pl_cache__get32(&r), len = pl_cache__get32(&r);
		if (r.bad || !src->data || off > src->len ||
		    len > src->len - off)
			return false;
		pl_findings_flag(tmp, src->data + off, len);
	}
	return !r.bad && r.p == r.end;
}

bool pl_cache_replay(pl_cache *c, const unsigned char key[PL_CACHE_KEY_LEN],
                     const pl_registry *reg, const pl_source *src,
                     pl_findings *out, size_t *n)
{
	pl_cache_entry *e =
	        pl_map_get(&c->by_key, (const char *)key, PL_CACHE_KEY_LEN);
	pl_findings tmp;
	bool ok;

	if (!e)
		return false;
	pl_findings_init(&tmp);
	ok = replay_entry(e, reg, src, &tmp);
	if (ok) {
		*n = pl_findings_len(&tmp);
		pl_findings_move(out, &tmp);
		atomic_store_explicit(&e->used, true, memory_order_relaxed);
	}
	pl_findings_release(&tmp);
	return ok;
}

static void put_span(pl_buf *b, pl_span s)
{
	pl_cache__put32(b, s.start.line);
	pl_cache__put32(b, s.start.col);
	pl_cache__put32(b, s.start.offset);
	pl_cache__put32(b, s.end.line);
	pl_cache__put32(b, s.end.col);
	pl_cache__put32(b, s.end.offset);
}

/* The first v[0..n) in s[0..len), or NULL (memmem is not POSIX 2008). */
static const char *find_bytes(const char *s, size_t len, const char *v,
                              size_t n)
{
	const char *p = s, *end = s + len;
	if (!n || n > len)
		return NULL;
	while ((p = memchr(p, v[0], (size_t)(end - p) - n + 1)) != NULL) {
		if (memcmp(p, v, n) == 0)
			return p;
		p++;
		if ((size_t)(end - p) < n)
			return NULL;
	}
	return NULL;
}

static bool holds(const char *text, const char *v, size_t n)
{
	return text && find_bytes(text, strlen(text), v, n) != NULL;
}

/* Would a text of f write one of the flagged values? */
static bool shows_flagged(const pl_finding *f, const pl_findings *out,
                          size_t ffrom)
{
	size_t i, k;
	for (i = ffrom; i < out->flagged.len; i++) {
		const char *v = *(char *const *)pl_vec_at(&out->flagged, i);
		size_t n = *(const size_t *)pl_vec_at(&out->flagged_len, i);
		if (holds(f->message, v, n) || holds(f->hint, v, n))
			return true;
		for (k = 0; k < f->nedits; k++)
			if (holds(f->edits[k].text, v, n))
				return true;
		for (k = 0; k < f->nrelated; k++)
			if (holds(f->related[k].message, v, n))
				return true;
	}
	return false;
}

static bool put_finding(pl_buf *b, const pl_finding *f, const pl_source *src)
{
	size_t k;
	char sev = (char)f->severity;

	if (f->src != src || f->suppressed)
		return false;
	pl_cache__put_str(b, f->rule);
	pl_buf_add(b, &sev, 1);
	put_span(b, f->span);
	pl_cache__put_str(b, f->message);
	pl_cache__put_str(b, f->hint);
	pl_cache__put_str(b, f->fingerprint);
	pl_cache__put32(b, (uint32_t)f->nedits);
	for (k = 0; k < f->nedits; k++) {
		pl_cache__put32(b, (uint32_t)f->edits[k].offset);
		pl_cache__put32(b, (uint32_t)f->edits[k].len);
		pl_cache__put_str(b, f->edits[k].text);
	}
	pl_cache__put32(b, (uint32_t)f->nrelated);
	for (k = 0; k < f->nrelated; k++) {
		if (f->related[k].src != src)
			return false;
		put_span(b, f->related[k].span);
		pl_cache__put_str(b, f->related[k].message);
	}
	return true;
}

bool pl_cache_record(pl_cache *c, unsigned worker,
                     const unsigned char key[PL_CACHE_KEY_LEN],
                     const pl_source *src, const pl_findings *out, size_t from,
                     size_t ffrom)
{
	pl_buf e;
	size_t i;
	bool ok = src->data != NULL && worker < c->nworkers;

	pl_buf_init(&e, 0);
	pl_cache__put32(&e, (uint32_t)(pl_findings_len(out) - from));
	for (i = from; ok && i < pl_findings_len(out); i++) {
		const pl_finding *f = pl_findings_at(out, i);
		ok = !shows_flagged(f, out, ffrom) && put_finding(&e, f, src);
	}
	pl_cache__put32(&e, (uint32_t)(out->flagged.len - ffrom));
	for (i = ffrom; ok && i < out->flagged.len; i++) {
		const char *v = *(char *const *)pl_vec_at(&out->flagged, i);
		size_t n = *(const size_t *)pl_vec_at(&out->flagged_len, i);
		const char *at = find_bytes(src->data, src->len, v, n);
		ok = at != NULL;
		if (ok) {
			pl_cache__put32(&e, (uint32_t)(at - src->data));
			pl_cache__put32(&e, (uint32_t)n);
		}
	}
	if (ok) {
		pl_buf *b = &c->fresh[worker];
		pl_buf_add(b, key, PL_CACHE_KEY_LEN);
		pl_cache__put32(b, c->today);
		pl_cache__put32(b, (uint32_t)e.len);
		pl_buf_add(b, e.ptr, e.len);
		c->nfresh[worker]++;
	}
	pl_buf_release(&e);
	return ok;
}
