/*
 * suppress.c - the suppression stage (suppress.h).
 *
 * Grammar of a suppression, after `plumb:ignore` or as an annotation
 * value:
 *     RULE[,RULE]... [until=YYYY-MM-DD] [-- reason [until=YYYY-MM-DD]]
 * Rules end at "--"; the reason runs to the end of the line (a comment
 * closer such as `-->` or a star-slash is not part of it).
 *
 * Each suppression collected here remembers whether it suppressed
 * anything, so the stage can report the unused ones: no linter surveyed
 * does, and a stale ignore hides the next real finding on that line.
 */
#include "finding/suppress.h"
#include "base/buf.h"
#include "base/vec.h"
#include "base/xalloc.h"

#include <fnmatch.h>

#define MARKER "plumb:ignore"
/* More rules than anyone lists in one suppression are ignored. */
#define SUPPRESS_MAX_RULES 16

typedef struct ignore {
	pl_suppression kind;
	const pl_source *src; /* the file the finding must be in (inline,
	                       * annotation); NULL: config, by glob */
	size_t from, to;      /* inline: lines; annotation: byte offsets */
	const pl_ignore_entry *entry; /* config */
	char rules[SUPPRESS_MAX_RULES][96];
	size_t nrules;
	char *reason; /* owned, NULL when missing */
	char until[11];
	bool bad_date; /* until= is not a date */
	bool expired;
	bool used;                          /* some rule of it hid something */
	bool rule_used[SUPPRESS_MAX_RULES]; /* which */
	const pl_source *at_src;            /* where it is written */
	pl_span at;
} ignore;

bool pl_suppress_date_valid(const char *s, size_t len)
{
	static const int days[] = {31, 29, 31, 30, 31, 30,
	                           31, 31, 30, 31, 30, 31};
	int y, m, d;
	size_t i;
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	/* 29 February only in leap years */
	return !(m == 2 && d == 29 &&
	         !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Reads `until=...` at s[0..n); false if s is no such token. */
static bool until_token(ignore *ig, const char *s, size_t n)
{
	if (n < 6 || memcmp(s, "until=", 6) != 0)
		return false;
	s += 6;
	n -= 6;
	if (!pl_suppress_date_valid(s, n)) {
		ig->bad_date = true;
		n = n > 10 ? 10 : n;
	}
	memcpy(ig->until, s, n);
	ig->until[n] = '\0';
	return true;
}

/* Parses the grammar at s[0..len) into ig. */
static void parse(ignore *ig, const char *s, size_t len)
{
	const char *end = s + len, *p = s;
	pl_buf reason;

	while (p < end) {
		const char *tok;
		size_t n;
		while (p < end && (blank(*p) || *p == ','))
			p++;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
			p += 2;
			break;
		}
		tok = p;
		while (p < end && !blank(*p) && *p != ',')
			p++;
		n = (size_t)(p - tok);
		if (n == 0 || until_token(ig, tok, n))
			continue;
		/* a comment closer right after the rules */
		if ((n == 3 && memcmp(tok, "-->", 3) == 0) ||
		    (n == 2 && memcmp(tok, "*/", 2) == 0))
			continue;
		if (ig->nrules < SUPPRESS_MAX_RULES &&
		    n < sizeof(ig->rules[0])) {
			memcpy(ig->rules[ig->nrules], tok, n);
			ig->rules[ig->nrules][n] = '\0';
			ig->nrules++;
		}
	}
	/* the reason, without a trailing comment closer or until= */
	while (end > p && (blank(end[-1]) || end[-1] == '\r'))
		end--;
	if (end - p >= 3 && memcmp(end - 3, "-->", 3) == 0)
		end -= 3;
	else if (end - p >= 2 && memcmp(end - 2, "*/", 2) == 0)
		end -= 2;
	pl_buf_init(&reason, 4096);
	while (p < end) {
		const char *tok;
		size_t n;
		while (p < end && blank(*p))
			p++;
		tok = p;
		while (p < end && !blank(*p))
			p++;
		n = (size_t)(p - tok);
		if (n == 0 || until_token(ig, tok, n))
			continue;
		if (reason.len)
			pl_buf_addc(&reason, ' ');
		pl_buf_add(&reason, tok, n);
	}
	ig->reason = reason.len ? pl_buf_detach(&reason, NULL) : NULL;
	pl_buf_release(&reason);
}

static bool rule_matches(const char *pattern, const char *rule)
{
	size_t n = strlen(pattern);
	if (strcmp(pattern, rule) == 0)
		return true;
	/* `secrets/` then a star names the family */
	return n >= 2 && pattern[n - 1] == '*' && pattern[n - 2] == '/' &&
	       strncmp(rule, pattern, n - 1) == 0;
}

/* The index of the first of ig's rules that names rule, or -1. */
static int names(const ignore *ig, const char *rule)
{
	size_t i;
	for (i = 0; i < ig->nrules; i++)
		if (rule_matches(ig->rules[i], rule))
			return (int)i;
	return -1;
}

/* --- collecting ---------------------------------------------------------- */

/* Does a comment opener end just before p (blanks between allowed)? */
static bool after_opener(const char *text, const char *p)
{
	static const char *const openers[] = {"#",  "//", "<!--",
	                                      "--", ";",  "/*"};
	size_t i;
	while (p > text && blank(p[-1]))
		p--;
	for (i = 0; i < PL_ARRAY_SIZE(openers); i++) {
		size_t n = strlen(openers[i]);
		if ((size_t)(p - text) >= n &&
		    memcmp(p - n, openers[i], n) == 0)
			return true;
	}
	return false;
}

/* Only a comment on the line (so it may speak for the line below). */
static bool comment_only(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	while (p < end && blank(*p))
		p++;
	return p < end && (*p == '#' || *p == '/' || *p == '<' || *p == ';' ||
	                   (end - p >= 2 && p[0] == '-' && p[1] == '-'));
}

static void collect_inline(pl_vec *out, const pl_source *src)
{
	const char *data = src->data, *hit;
	size_t ml = strlen(MARKER), from = 0;

	if (!data)
		return;
	while (from < src->len) {
		const char *line, *p;
		size_t len;
		uint32_t ln;
		pl_pos pos;
		ignore *ig;
		hit = memchr(data + from, 'p', src->len - from);
		if (!hit)
			return;
		from = (size_t)(hit - data) + 1;
		if ((size_t)(data + src->len - hit) < ml ||
		    memcmp(hit, MARKER, ml) != 0)
			continue;
		pos = pl_source_pos_at(src, (size_t)(hit - data));
		ln = pos.line;
		line = pl_source_line(src, ln, &len);
		if (!line || !after_opener(line, hit))
			continue;
		p = hit + ml;
		ig = pl_vec_push(out);
		memset(ig, 0, sizeof(*ig));
		ig->kind = PL_SUPPRESS_INLINE;
		ig->src = src;
		ig->from = ln;
		ig->to = comment_only(line, len) ? ln + 1 : ln;
		parse(ig, p, (size_t)(line + len - p));
		ig->at_src = src;
		ig->at.start = pos;
		ig->at.end = pos;
		ig->at.end.offset += ml;
		ig->at.end.col += (uint32_t)ml;
		from = (size_t)(line + len - data);
	}
}

static void collect_annotations(pl_vec *out, const pl_file *f)
{
	size_t d;
	for (d = 0; d < f->nobjects; d++) {
		const pl_object *o = &f->objects[d];
		const pl_node *ann, *v;
		ignore *ig;
		if (!o->is_k8s)
			continue;
		ann = pl_node_get(pl_node_get(o->root, "metadata"),
		                  "annotations");
		v = pl_node_get(ann, PL_SUPPRESS_ANNOTATION_KEY);
		if (!v || v->kind != PL_NODE_SCALAR ||
		    v->type != PL_TYPE_STRING)
			continue;
		ig = pl_vec_push(out);
		memset(ig, 0, sizeof(*ig));
		ig->kind = PL_SUPPRESS_ANNOTATION;
		ig->src = &f->src;
		ig->from = o->root->span.start.offset;
		ig->to = o->root->span.end.offset;
		parse(ig, v->u.scalar.str, v->u.scalar.len);
		ig->at_src = &f->src;
		ig->at = v->span;
	}
}

static void collect_config(pl_vec *out, const pl_suppress_opts *o)
{
	size_t i, r;
	for (i = 0; i < o->nconfig; i++) {
		const pl_ignore_entry *e = &o->config[i];
		ignore *ig = pl_vec_push(out);
		memset(ig, 0, sizeof(*ig));
		ig->kind = PL_SUPPRESS_CONFIG;
		ig->entry = e;
		for (r = 0; r < e->nrules && r < SUPPRESS_MAX_RULES; r++) {
			snprintf(ig->rules[r], sizeof(ig->rules[r]), "%s",
			         e->rules[r]);
			ig->nrules++;
		}
		ig->reason =
		        e->reason && *e->reason ? pl_xstrdup(e->reason) : NULL;
		if (e->until) {
			ig->bad_date = !pl_suppress_date_valid(
			        e->until, strlen(e->until));
			snprintf(ig->until, sizeof(ig->until), "%.10s",
			         e->until);
		}
		ig->at_src = e->src;
		ig->at = e->at;
	}
}

/* --- matching ------------------------------------------------------------ */

static bool covers(const ignore *ig, const pl_finding *f)
{
	size_t i;
	switch (ig->kind) {
	case PL_SUPPRESS_INLINE:
		return ig->src == f->src && f->span.start.line >= ig->from &&
		       f->span.start.line <= ig->to;
	case PL_SUPPRESS_ANNOTATION:
		return ig->src == f->src && f->span.start.offset >= ig->from &&
		       f->span.start.offset <= ig->to;
	case PL_SUPPRESS_CONFIG:
		for (i = 0; i < ig->entry->npaths; i++)
			if (fnmatch(ig->entry->paths[i], f->src->path, 0) == 0)
				return true;
		return false;
	default:
		return false;
	}
}

static bool in_baseline(const pl_suppress_opts *o, uint64_t h)
{
	size_t lo = 0, hi = o->nbaseline;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (o->baseline[mid] == h)
			return true;
		if (o->baseline[mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static const char *kind_name(pl_suppression k)
{
	switch (k) {
	case PL_SUPPRESS_INLINE:
		return "plumb:ignore";
	case PL_SUPPRESS_ANNOTATION:
		return "annotation " PL_SUPPRESS_ANNOTATION_KEY;
	case PL_SUPPRESS_CONFIG:
		return ".plumb.yaml ignore entry";
	default:
		return "suppression";
	}
}

static void add(pl_findings *f, const char *rule, pl_severity sev,
                const ignore *ig, char *message)
{
	pl_finding *x;
	if (sev == PL_SEV_OFF || !ig->at_src) {
		free(message);
		return;
	}
	x = pl_vec_push(&f->items);
	memset(x, 0, sizeof(*x));
	x->rule = rule;
	x->severity = sev;
	x->src = ig->at_src;
	x->span = ig->at;
	x->message = message;
}

/* The rules of ig, all of them or (unused_only) those that hid nothing. */
static char *rule_list(const ignore *ig, bool unused_only)
{
	pl_buf b;
	size_t i, k = 0;
	pl_buf_init(&b, 0);
	for (i = 0; i < ig->nrules; i++)
		if (!unused_only || !ig->rule_used[i])
			pl_buf_addf(&b, "%s%s", k++ ? "," : "", ig->rules[i]);
	if (!ig->nrules)
		pl_buf_adds(&b, "(no rule)");
	return pl_buf_detach(&b, NULL);
}

static void report(pl_findings *f, const ignore *ig, const pl_suppress_opts *o)
{
	char *rules = rule_list(ig, false);
	char *unused = rule_list(ig, true);
	size_t i, nunused = 0;
	pl_buf m;
	const char *what = kind_name(ig->kind);

	pl_buf_init(&m, 0);
	if (ig->bad_date) {
		pl_buf_addf(&m,
		            "%s %s has until=%s, which is not a date "
		            "(YYYY-MM-DD); it suppresses nothing",
		            what, rules, ig->until);
		add(f, PL_SUPPRESS_RULE_EXPIRED, o->expired, ig,
		    pl_buf_detach(&m, NULL));
	} else if (ig->expired) {
		pl_buf_addf(&m,
		            "%s %s expired on %s; its findings are reported "
		            "again",
		            what, rules, ig->until);
		add(f, PL_SUPPRESS_RULE_EXPIRED, o->expired, ig,
		    pl_buf_detach(&m, NULL));
	} else {
		for (i = 0; i < ig->nrules; i++)
			nunused += !ig->rule_used[i];
		if (!ig->used)
			pl_buf_addf(
			        &m,
			        "%s %s suppresses nothing; remove it (or the "
			        "rule it names does not fire here any more)",
			        what, rules);
		else if (nunused)
			pl_buf_addf(
			        &m,
			        "%s %s: %s suppresses nothing here; drop it "
			        "from the list",
			        what, rules, unused);
		if (m.len && !(o->partial && ig->kind == PL_SUPPRESS_CONFIG))
			add(f, PL_SUPPRESS_RULE_UNUSED, o->unused, ig,
			    pl_buf_detach(&m, NULL));
	}
	pl_buf_release(&m);
	if (!ig->reason && !ig->bad_date) {
		pl_buf_init(&m, 0);
		pl_buf_addf(&m,
		            "%s %s gives no reason; say why after '--' (a "
		            "reason is what a reviewer checks)",
		            what, rules);
		add(f, PL_SUPPRESS_RULE_MISSING_REASON, o->missing_reason, ig,
		    pl_buf_detach(&m, NULL));
	}
	free(rules);
	free(unused);
}

void pl_suppress_apply(pl_findings *f, const pl_file *const *files,
                       size_t nfiles, const pl_suppress_opts *o)
{
	pl_vec igs;
	size_t i, j, n = pl_findings_len(f);

	pl_vec_init(&igs, sizeof(ignore));
	for (i = 0; i < nfiles; i++) {
		collect_inline(&igs, &files[i]->src);
		collect_annotations(&igs, files[i]);
	}
	collect_config(&igs, o);
	for (j = 0; j < igs.len; j++) {
		ignore *ig = pl_vec_at(&igs, j);
		ig->expired = !ig->bad_date && ig->until[0] && o->today &&
		              strcmp(ig->until, o->today) < 0;
	}
	for (i = 0; i < n; i++) {
		pl_finding *x = pl_findings_at(f, i);
		for (j = 0; j < igs.len && !x->suppressed; j++) {
			ignore *ig = pl_vec_at(&igs, j);
			int r = names(ig, x->rule);
			if (r < 0 || !covers(ig, x))
				continue;
			if (ig->expired || ig->bad_date)
				continue; /* reported below; no longer hides */
			ig->used = true;
			ig->rule_used[r] = true;
			x->suppressed = ig->kind;
			x->suppress_reason =
			        ig->reason ? pl_xstrdup(ig->reason) : NULL;
		}
		if (!x->suppressed && o->nbaseline && in_baseline(o, x->stable))
			x->suppressed = PL_SUPPRESS_BASELINE;
	}
	for (j = 0; j < igs.len; j++) {
		ignore *ig = pl_vec_at(&igs, j);
		report(f, ig, o);
		free(ig->reason);
	}
	pl_vec_release(&igs);
}
