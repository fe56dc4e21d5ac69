/*
 * semver_range.c - compiling Flux ImagePolicy ranges (pl_semver_range_new)
 * and matching versions against them, with Masterminds/semver v3
 * behaviour, learned from its documentation and test tables (no code
 * copied).
 *
 * Range grammar, after hyphen ranges are rewritten (see rewrite()):
 *   range   = group *("||" group)           at most 32 groups
 *   group   = ws* atom *(sep atom) ws*      sep = ws+ | ws* "," ws*
 *   atom    = op ws* version                op = "" = != > < >= => <= =< ~ ~> ^
 *   version = ["v"] seg ["." seg ["." seg]] ["-" ids] ["+" ids]
 *   seg     = 1*(DIGIT / "x" / "X" / "*" / "|")   ids = id *("." id)
 *   id      = 1*(ALPHA / DIGIT / "-")        ws = SP / HT / LF / FF / CR
 * A segment is a number or exactly one wildcard; segments after the first
 * wildcard are ignored (Masterminds' `1.x.|` is valid). '|' is a segment
 * character only because Masterminds' pattern has it.
 */
#include "lib/semver_impl.h"
#include "base/xalloc.h"

#define NONE SIZE_MAX

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static bool is_seg(char c)
{
	return pl_semver__is_digit(c) || c == 'x' || c == 'X' || c == '*' ||
	       c == '|';
}

static bool is_opc(char c)
{
	return c == '<' || c == '>' || c == '=' || c == '!' || c == '~' ||
	       c == '^';
}

static const struct {
	const char *name;
	pl_semver__op op;
} ops[] = {
        {"=", PL_SEMVER__OP_EQ},    {"!=", PL_SEMVER__OP_NE},
        {">", PL_SEMVER__OP_GT},    {"<", PL_SEMVER__OP_LT},
        {">=", PL_SEMVER__OP_GE},   {"=>", PL_SEMVER__OP_GE},
        {"<=", PL_SEMVER__OP_LE},   {"=<", PL_SEMVER__OP_LE},
        {"~", PL_SEMVER__OP_TILDE}, {"~>", PL_SEMVER__OP_TILDE},
        {"^", PL_SEMVER__OP_CARET},
};

/* A hyphen range "A - B" rewritten to ">= A, <= B " at text[at, end). */
typedef struct sv_hyphen {
	size_t at, end;
	size_t src, srclen; /* "A - B" in the range as written */
} sv_hyphen;

typedef struct sv_parse {
	const char *src; /* the range as written */
	size_t srclen;
	char *text; /* rewritten, NUL-terminated */
	size_t len;
	size_t *orig;  /* offset in src of each byte of text, len + 1 */
	uint8_t *ins;  /* 1: the byte was inserted by the rewrite */
	sv_hyphen *hy; /* the rewritten hyphen ranges, in order */
	size_t nhy;
	pl_semver_range *r;
	pl_error *err;
} sv_parse;

/* End of identifiers starting at s[i] (an id character). */
static size_t ids_end(const char *s, size_t n, size_t i)
{
	while (i < n && pl_semver__is_id(s[i]))
		i++;
	while (i + 1 < n && s[i] == '.' && pl_semver__is_id(s[i + 1])) {
		i++;
		while (i < n && pl_semver__is_id(s[i]))
			i++;
	}
	return i;
}

/*
 * The longest version-like text at s[i] as Masterminds' hyphen pattern
 * sees it, an optional part being taken only when complete; NONE if none
 * starts there. The pattern is greedy and no shorter match can be
 * followed by the white space it needs, so the longest is the one.
 */
static size_t cv_end(const char *s, size_t n, size_t i)
{
	int k;
	if (i < n && s[i] == 'v' && i + 1 < n && is_seg(s[i + 1]))
		i++;
	if (i >= n || !is_seg(s[i]))
		return NONE;
	while (i < n && is_seg(s[i]))
		i++;
	for (k = 0; k < 2 && i + 1 < n && s[i] == '.' && is_seg(s[i + 1]);
	     k++) {
		i++;
		while (i < n && is_seg(s[i]))
			i++;
	}
	if (i + 1 < n && s[i] == '-' && pl_semver__is_id(s[i + 1]))
		i = ids_end(s, n, i + 1);
	if (i + 1 < n && s[i] == '+' && pl_semver__is_id(s[i + 1]))
		i = ids_end(s, n, i + 1);
	return i;
}

/* Does `ws* A ws+ "-" ws+ B ws*` match at start? m: A, A end, B, B end,
 * match end. */
static bool hyphen_at(const char *s, size_t n, size_t start, size_t m[5])
{
	size_t p = start;
	while (p < n && is_ws(s[p]))
		p++;
	m[0] = p;
	m[1] = cv_end(s, n, p);
	if (m[1] == NONE || m[1] >= n || !is_ws(s[m[1]]))
		return false;
	p = m[1];
	while (p < n && is_ws(s[p]))
		p++;
	if (p + 1 >= n || s[p] != '-' || !is_ws(s[p + 1]))
		return false;
	p++;
	while (p < n && is_ws(s[p]))
		p++;
	m[2] = p;
	m[3] = cv_end(s, n, p);
	if (m[3] == NONE)
		return false;
	p = m[3];
	while (p < n && is_ws(s[p]))
		p++;
	m[4] = p;
	return true;
}

static void emit(sv_parse *p, const char *s, size_t n, size_t orig, bool ins)
{
	size_t i;
	for (i = 0; i < n; i++) {
		p->text[p->len] = s[i];
		p->orig[p->len] = ins ? orig : orig + i;
		p->ins[p->len] = ins;
		p->len++;
	}
}

/*
 * Masterminds rewrites each hyphen range, leftmost first, to
 * ">= A, <= B " before anything else, white space around it included.
 * Doing the same keeps its quirks: `>=1 1 - 2` becomes `>=1>= 1, <= 2 `,
 * which is invalid, and `1||2 - 3` reads as `>=1 || 2, <=3`. Each match
 * is replaced where it was found (Go replaces the first equal text; they
 * differ only on ranges both reject). orig[] keeps every byte's column.
 */
static void rewrite(sv_parse *p)
{
	const char *s = p->src;
	size_t n = p->srclen, cap = n * 3 + 16, i = 0, st, m[5];

	p->text = pl_xmalloc(cap);
	p->orig = pl_xmalloc(cap * sizeof(*p->orig));
	p->ins = pl_xmalloc(cap);
	p->hy = pl_xmalloc((n / 5 + 1) * sizeof(*p->hy));
	p->len = 0;
	p->nhy = 0;
	if (n && memchr(s, '-', n)) {
		for (st = 0; st < n; st++) {
			sv_hyphen *h;
			if (!hyphen_at(s, n, st, m))
				continue;
			emit(p, s + i, st - i, i, false);
			h = &p->hy[p->nhy++];
			h->at = p->len;
			h->src = m[0];
			h->srclen = m[3] - m[0];
			emit(p, ">= ", 3, m[0], true);
			emit(p, s + m[0], m[1] - m[0], m[0], false);
			emit(p, ", <= ", 5, m[2], true);
			emit(p, s + m[2], m[3] - m[2], m[2], false);
			emit(p, " ", 1, m[4], true);
			h->end = p->len;
			i = m[4];
			st = m[4] - 1; /* the loop's st++ resumes at m[4] */
		}
	}
	emit(p, s + i, n - i, i, false);
	p->text[p->len] = '\0';
	p->orig[p->len] = n;
}

/* "<before>'<tok>'<after>" at text offset t; tok NULL: before alone */
static int at(sv_parse *p, size_t t, const char *before, const char *tok,
              size_t toklen, const char *after)
{
	char q[160];
	if (!tok)
		return pl_semver__fail(p->err, p->src, p->orig[t], "%s",
		                       before);
	pl_semver__quote(q, sizeof(q), tok, toklen);
	return pl_semver__fail(p->err, p->src, p->orig[t], "%s'%s'%s", before,
	                       q, after);
}

/* Same, tok being the text as written from text offset t to white
 * space, ',' or "||" (at least one byte) */
static int at_word(sv_parse *p, size_t t, const char *before, const char *after)
{
	size_t a = p->orig[t], b = a;
	char q[160];
	while (b < p->srclen && !is_ws(p->src[b]) && p->src[b] != ',' &&
	       !(p->src[b] == '|' && b + 1 < p->srclen && p->src[b + 1] == '|'))
		b++;
	if (b == a && a < p->srclen)
		b++;
	pl_semver__quote(q, sizeof(q), p->src + a, b - a);
	return pl_semver__fail(p->err, p->src, a, "%s'%s'%s", before, q, after);
}

/* An error at inserted text t: the hyphen range there is misplaced. */
static int hyphen_error(sv_parse *p, size_t t)
{
	size_t i;
	for (i = 0; i + 1 < p->nhy && p->hy[i].end <= t; i++)
		;
	{
		const sv_hyphen *h = &p->hy[i];
		char q[160];
		pl_semver__quote(q, sizeof(q), p->src + h->src, h->srclen);
		return pl_semver__fail(
		        p->err, p->src, h->src,
		        "hyphen range '%s' must start the range or follow "
		        "',' or '||'",
		        q);
	}
}

static bool is_x(const char *s, size_t n)
{
	return n == 1 && (s[0] == 'x' || s[0] == 'X' || s[0] == '*');
}

/*
 * Compiles the scanned version text[v, e) of one comparator. Masterminds
 * turns it into a version string (wildcard and missing parts become 0,
 * the build is dropped then) and parses that loosely, so a non-numeric
 * segment, a number over 64 bits, a prerelease number with a leading zero
 * or a result over 256 bytes is an error.
 */
static int compile_version(sv_parse *p, pl_semver__cmp *c, size_t v, size_t e)
{
	const char *t = p->text;
	size_t seg[3][2], nseg = 0, i = v, j, full, k;
	const char *bad = NULL, *why = "' is not a number";
	size_t badlen = 0;

	if (t[i] == 'v')
		i++;
	for (;;) {
		j = i;
		while (j < e && is_seg(t[j]))
			j++;
		seg[nseg][0] = i;
		seg[nseg][1] = j - i;
		nseg++;
		if (nseg == 3 || j >= e || t[j] != '.')
			break;
		i = j + 1;
	}
	if (j < e && t[j] == '-') {
		c->con.pre = t + j + 1;
		j = ids_end(t, e, j + 1);
		c->con.pre_len = (size_t)(t + j - c->con.pre);
	}
	if (j < e && t[j] == '+') {
		c->con.build = t + j + 1;
		c->con.build_len = e - j - 1;
	}
	/* the length of the version string Masterminds would build */
	if (is_x(t + seg[0][0], seg[0][1])) {
		c->dirty = true;
		nseg = 0;
		full = 5;
	} else if (nseg < 2 || is_x(t + seg[1][0], seg[1][1])) {
		c->dirty = c->minor_dirty = true;
		nseg = 1;
		full = seg[0][1] + 4;
	} else if (nseg < 3 || is_x(t + seg[2][0], seg[2][1])) {
		c->dirty = c->patch_dirty = true;
		nseg = 2;
		full = seg[0][1] + seg[1][1] + 3;
	} else {
		full = e - v;
	}
	if (c->dirty) {
		c->con.build = NULL;
		c->con.build_len = 0;
		if (c->con.pre_len)
			full += c->con.pre_len + 1;
	}
	for (k = 0; k < nseg && !bad; k++) {
		const char *s = t + seg[k][0];
		uint64_t *dst = k == 0   ? &c->con.major
		                : k == 1 ? &c->con.minor
		                         : &c->con.patch;
		if (!pl_semver__all_digits(s, seg[k][1])) {
			bad = s;
			badlen = seg[k][1];
		} else if (!pl_semver__to_u64(s, seg[k][1], dst)) {
			bad = s;
			badlen = seg[k][1];
			why = "' is too large";
		}
	}
	for (i = 0; !bad && i < c->con.pre_len; i = j + 1) {
		const char *s = c->con.pre;
		for (j = i; j < c->con.pre_len && s[j] != '.'; j++)
			;
		if (j - i > 1 && s[i] == '0' &&
		    pl_semver__all_digits(s + i, j - i)) {
			bad = s + i;
			badlen = j - i;
			why = "' has a leading zero";
		}
	}
	if (bad || full > PL_SEMVER_VERSION_MAX) {
		char q[160], b[160];
		pl_semver__quote(q, sizeof(q), t + v, e - v);
		pl_semver__quote(b, sizeof(b), bad ? bad : "", badlen);
		if (!bad)
			return pl_semver__fail(
			        p->err, p->src, p->orig[v],
			        "invalid version '%s' in range: longer than "
			        "%d bytes",
			        q, PL_SEMVER_VERSION_MAX);
		return pl_semver__fail(p->err, p->src, p->orig[v],
		                       "invalid version '%s' in range: '%s%s",
		                       q, b, why);
	}
	return 0;
}

/* The end of Masterminds' version scan at t[i] (NONE: not a version). */
static size_t scan_version(const char *t, size_t n, size_t i)
{
	int k;
	if (i < n && t[i] == 'v')
		i++;
	if (i >= n || !is_seg(t[i]))
		return NONE;
	while (i < n && is_seg(t[i]))
		i++;
	for (k = 0; k < 2 && i < n && t[i] == '.'; k++) {
		if (i + 1 >= n || !is_seg(t[i + 1]))
			return NONE;
		for (i++; i < n && is_seg(t[i]); i++)
			;
	}
	if (i < n && t[i] == '-') {
		if (i + 1 >= n || !pl_semver__is_id(t[i + 1]))
			return NONE;
		i = ids_end(t, n, i + 1);
	}
	if (i < n && t[i] == '+') {
		if (i + 1 >= n || !pl_semver__is_id(t[i + 1]))
			return NONE;
		i = ids_end(t, n, i + 1);
	}
	return i;
}

/* One comparator at text[q] (not white space) of a group ending at ge;
 * *end is set past its version, *ver at its version. */
static int parse_atom(sv_parse *p, size_t q, size_t ge, size_t *end,
                      size_t *ver)
{
	const char *t = p->text;
	size_t r = q, v, e, i, n;
	int op = q < ge && !is_opc(t[q]) ? PL_SEMVER__OP_EQ : -1;
	pl_semver__cmp *c;
	int rc;

	while (r < ge && is_opc(t[r]))
		r++;
	for (i = 0; op < 0 && i < PL_ARRAY_SIZE(ops); i++)
		if (strlen(ops[i].name) == r - q &&
		    memcmp(ops[i].name, t + q, r - q) == 0)
			op = (int)ops[i].op;
	/* an operator run partly inserted by a rewrite: a hyphen range was
	 * glued to what precedes it (`>=1 - 2`) */
	for (i = q, n = 0; i < r; i++)
		n += p->ins[i];
	if (n > 0 && n < r - q)
		return hyphen_error(p, q);
	if (op < 0)
		return at(p, q, "invalid operator ", t + q, r - q, " in range");
	for (v = r; v < ge && is_ws(t[v]); v++)
		;
	if (v < ge && p->ins[v])
		return hyphen_error(p, v);
	if (r > q && (v == ge || t[v] == ',' || is_opc(t[v])))
		return at(p, q, "missing version after ", t + q, r - q,
		          " in range");
	if (t[v] == ',')
		return at(p, v, "unexpected ", ",", 1, " in range");
	e = scan_version(t, ge, v);
	if (e == NONE)
		return at_word(p, v, "invalid version ", " in range");
	if (p->r->ncmps == PL_SEMVER_MAX_COMPARATORS)
		return at(p, v, "more than 256 comparators in range", NULL, 0,
		          NULL);
	p->r->cmps = pl_xgrow(p->r->cmps, &p->r->capcmps, p->r->ncmps + 1,
	                      sizeof(pl_semver__cmp));
	c = &p->r->cmps[p->r->ncmps];
	memset(c, 0, sizeof(*c));
	c->op = (uint8_t)op;
	rc = compile_version(p, c, v, e);
	if (rc)
		return rc;
	p->r->ncmps++;
	*end = e;
	*ver = v;
	return 0;
}

/* One '||' alternative, text[gs, ge), number gi of ng. */
static int parse_group(sv_parse *p, size_t gs, size_t ge, size_t gi, size_t ng)
{
	const char *t = p->text;
	size_t pos = gs, q, ver = gs;
	pl_semver__group *g = &p->r->groups[gi];
	bool first = true;
	int rc;

	g->first = p->r->ncmps;
	for (;;) {
		for (q = pos; q < ge && is_ws(t[q]); q++)
			;
		if (first && q == ge) {
			if (ng == 1)
				return at(p, gs, "empty range", NULL, 0, NULL);
			if (gi + 1 == ng)
				return at(p, gs - 2,
				          "missing comparator after ", "||", 2,
				          "");
			return at(p, ge, "missing comparator before ", "||", 2,
			          "");
		}
		if (!first && q == ge)
			break;
		if (!first && t[q] == ',') {
			size_t comma = q;
			for (q++; q < ge && is_ws(t[q]); q++)
				;
			if (q == ge || t[q] == ',')
				return at(p, comma, "missing comparator after ",
				          ",", 1, "");
		} else if (!first && q == pos) {
			/* no separator after the previous comparator */
			if (p->ins[q])
				return hyphen_error(p, q);
			if (is_opc(t[q]))
				return at_word(p, q,
				               "missing ' ' or ',' before ",
				               " in range");
			return at_word(p, ver, "invalid version ", " in range");
		}
		rc = parse_atom(p, q, ge, &pos, &ver);
		if (rc)
			return rc;
		first = false;
	}
	g->n = p->r->ncmps - g->first;
	for (q = g->first; q < p->r->ncmps; q++)
		if (p->r->cmps[q].con.pre_len)
			g->has_pre = true;
	return 0;
}

void pl_semver_range_free(pl_semver_range *r)
{
	if (!r)
		return;
	free(r->text);
	free(r->groups);
	free(r->cmps);
	free(r);
}

int pl_semver_range_new(pl_semver_range **out, const char *s, size_t len,
                        pl_error *err)
{
	sv_parse p;
	size_t ng = 1, i, gs;
	int rc = 0;

	*out = NULL;
	if (!s)
		s = "";
	if (len > PL_SEMVER_RANGE_MAX)
		return pl_semver__fail(err, s, PL_SEMVER_RANGE_MAX,
		                       "range is longer than %d bytes",
		                       PL_SEMVER_RANGE_MAX);
	memset(&p, 0, sizeof(p));
	p.src = s;
	p.srclen = len;
	p.err = err;
	rewrite(&p);
	/* alternatives are split at every "||", left to right (Go's Split) */
	for (i = 0; i + 1 < p.len; i++) {
		if (p.text[i] != '|' || p.text[i + 1] != '|')
			continue;
		if (++ng > PL_SEMVER_MAX_ALTERNATIVES) {
			rc = at(&p, i, "more than 32 alternatives ", "||", 2,
			        " in range");
			goto done;
		}
		i++;
	}
	p.r = pl_xcalloc(1, sizeof(*p.r));
	p.r->groups = pl_xcalloc(ng, sizeof(pl_semver__group));
	p.r->ngroups = ng;
	gs = 0;
	ng = 0;
	for (i = 0; i <= p.len && rc == 0; i++) {
		bool sep = i + 1 < p.len && p.text[i] == '|' &&
		           p.text[i + 1] == '|';
		if (!sep && i < p.len)
			continue;
		rc = parse_group(&p, gs, i, ng, p.r->ngroups);
		ng++;
		gs = i + 2;
		i++;
	}
done:
	free(p.orig);
	free(p.ins);
	free(p.hy);
	if (rc) {
		free(p.text);
		if (p.r)
			p.r->text = NULL;
		pl_semver_range_free(p.r);
		return rc;
	}
	p.r->text = p.text;
	*out = p.r;
	return 0;
}

size_t pl_semver_range_alternatives(const pl_semver_range *r)
{
	return r->ngroups;
}

size_t pl_semver_range_comparators(const pl_semver_range *r, size_t i)
{
	return i < r->ngroups ? r->groups[i].n : 0;
}

/* --- matching ------------------------------------------------------- */

static bool tilde(const pl_semver__cmp *c, const pl_semver *v, int d)
{
	const pl_semver *k = &c->con;
	if (d < 0)
		return false;
	/* ~0.0.0 and `*`: anything from 0.0.0 on */
	if (!k->major && !k->minor && !k->patch && !c->minor_dirty &&
	    !c->patch_dirty)
		return true;
	if (v->major != k->major)
		return false;
	return v->minor == k->minor || c->minor_dirty;
}

/* One comparator; the prerelease gate is the caller's. */
static bool cmp_match(const pl_semver__cmp *c, const pl_semver *v)
{
	const pl_semver *k = &c->con;
	int d = pl_semver_cmp(v, k);

	switch ((pl_semver__op)c->op) {
	case PL_SEMVER__OP_EQ:
		return c->dirty ? tilde(c, v, d) : d == 0;
	case PL_SEMVER__OP_NE:
		/* a wildcard excludes every version it covers; a wildcard
		 * patch excludes releases of that minor and the prereleases
		 * equal to the comparator's */
		if (c->dirty) {
			if (v->major != k->major)
				return true;
			if (c->minor_dirty)
				return false;
			if (v->minor != k->minor)
				return true;
			if (c->patch_dirty) {
				if (!v->pre_len && !k->pre_len)
					return false;
				return pl_semver__cmp_pre(v->pre, v->pre_len,
				                          k->pre,
				                          k->pre_len) != 0;
			}
		}
		return d != 0;
	case PL_SEMVER__OP_GT:
		/* >1 means 2.0.0 and up, >1.2 means 1.3.0 and up */
		if (!c->dirty || (!c->minor_dirty && !c->patch_dirty))
			return d > 0;
		if (v->major != k->major)
			return v->major > k->major;
		return c->patch_dirty && v->minor > k->minor;
	case PL_SEMVER__OP_LT:
		return d < 0;
	case PL_SEMVER__OP_GE:
		return d >= 0;
	case PL_SEMVER__OP_LE:
		/* <=1 means below 2.0.0, <=1.2 below 1.3.0 */
		if (!c->dirty)
			return d <= 0;
		if (v->major != k->major)
			return v->major < k->major;
		return c->minor_dirty || v->minor <= k->minor;
	case PL_SEMVER__OP_TILDE:
		return tilde(c, v, d);
	case PL_SEMVER__OP_CARET:
		if (d < 0)
			return false;
		if (k->major > 0 || c->minor_dirty)
			return v->major == k->major;
		if (v->major > 0)
			return false;
		if (k->minor > 0 || c->patch_dirty)
			return v->minor == k->minor;
		return v->minor == 0 && v->patch == k->patch;
	}
	return false;
}

bool pl_semver_range_match_opt(const pl_semver_range *r, const pl_semver *v,
                               unsigned flags)
{
	size_t i, j;
	for (i = 0; i < r->ngroups; i++) {
		const pl_semver__group *g = &r->groups[i];
		bool ok = true;
		/* Masterminds: a prerelease satisfies only an alternative
		 * that names one (its "issue 21" rule), or any with
		 * IncludePrerelease */
		if (v->pre_len && !g->has_pre &&
		    !(flags & PL_SEMVER_INCLUDE_PRERELEASE))
			continue;
		for (j = 0; ok && j < g->n; j++)
			ok = cmp_match(&r->cmps[g->first + j], v);
		if (ok)
			return true;
	}
	return false;
}

bool pl_semver_range_match(const pl_semver_range *r, const pl_semver *v)
{
	return pl_semver_range_match_opt(r, v, 0);
}
