/*
 * cel_suite.c - engine/cel against google/cel-spec's conformance tests
 * (../shared/testsuites/cel-spec/simple/NAME.textproto, read at run time:
 * the data is not copied).
 *
 * Each test's `expr` is parsed and evaluated with its `bindings` and
 * `container`; a `value` (true when the test names no outcome) must
 * come back with the same type and value
 * (NaN equals NaN here), an `eval_error` must come back as an error
 * (the message is not compared: implementations word them differently).
 * The core files the suite's README names are counted: at least
 * MIN_PERCENT of their tests must pass (issue 22), and every failure must be
 * listed in KNOWN_TSV (file<TAB>section/test<TAB>reason); a listed test
 * that passes, or that does not exist, fails the run, as the other
 * suites' lists do. The other files are run and their counts printed,
 * never asserted.
 *
 * usage: cel_suite SUITE_DIR KNOWN_TSV [-v|-vv]
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "cel/cel.h"
#include "cel/cel_regex.h"
#include "known.h"

#define MIN_PERCENT 95.0

static const char *const core[] = {
        "basic",        "comparisons", "conversions", "fields", "fp_math",
        "integer_math", "lists",       "logic",       "macros", "macros2",
        "namespace",    "parse",       "plumbing",    "string", "timestamps",
};

/* --- a protobuf text-format reader, enough for SimpleTestFile -------- */

typedef struct tp tp;
struct tp {
	char *name; /* field name, or "[type.googleapis.com/...]" */
	char *str;  /* scalar text (unescaped for strings), or NULL */
	size_t len;
	tp *kids; /* a message's fields */
	size_t nkids;
	bool quoted; /* str was a quoted string */
};

typedef struct rd {
	const char *s;
	size_t n, i;
	int line;
	const char *path;
} rd;

static void die(rd *r, const char *what)
{
	fprintf(stderr, "%s:%d: %s\n", r->path, r->line, what);
	exit(2);
}

static void skip(rd *r)
{
	while (r->i < r->n) {
		char c = r->s[r->i];
		if (c == '#') {
			while (r->i < r->n && r->s[r->i] != '\n')
				r->i++;
		} else if (c == '\n') {
			r->line++;
			r->i++;
		} else if (c == ' ' || c == '\t' || c == '\r' || c == ',' ||
		           c == ';') {
			r->i++;
		} else {
			break;
		}
	}
}

static void put(char **b, size_t *len, size_t *cap, char c)
{
	if (*len + 2 > *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*b = realloc(*b, *cap);
		if (!*b)
			exit(3);
	}
	(*b)[(*len)++] = c;
	(*b)[*len] = '\0';
}

static void put_utf8(char **b, size_t *len, size_t *cap, unsigned long cp)
{
	if (cp < 0x80) {
		put(b, len, cap, (char)cp);
	} else if (cp < 0x800) {
		put(b, len, cap, (char)(0xC0 | (cp >> 6)));
		put(b, len, cap, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		put(b, len, cap, (char)(0xE0 | (cp >> 12)));
		put(b, len, cap, (char)(0x80 | ((cp >> 6) & 0x3F)));
		put(b, len, cap, (char)(0x80 | (cp & 0x3F)));
	} else {
		put(b, len, cap, (char)(0xF0 | (cp >> 18)));
		put(b, len, cap, (char)(0x80 | ((cp >> 12) & 0x3F)));
		put(b, len, cap, (char)(0x80 | ((cp >> 6) & 0x3F)));
		put(b, len, cap, (char)(0x80 | (cp & 0x3F)));
	}
}

static int hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One or more adjacent quoted strings, unescaped and joined. */
static void read_str(rd *r, tp *f)
{
	char *b = NULL;
	size_t len = 0, cap = 0;

	put(&b, &len, &cap, 'x');
	len = 0;
	while (r->i < r->n && (r->s[r->i] == '"' || r->s[r->i] == '\'')) {
		char q = r->s[r->i++];
		while (r->i < r->n && r->s[r->i] != q) {
			char c = r->s[r->i++];
			if (c != '\\') {
				put(&b, &len, &cap, c);
				continue;
			}
			c = r->s[r->i++];
			if (c == 'n')
				put(&b, &len, &cap, '\n');
			else if (c == 't')
				put(&b, &len, &cap, '\t');
			else if (c == 'r')
				put(&b, &len, &cap, '\r');
			else if (c == 'a')
				put(&b, &len, &cap, '\a');
			else if (c == 'b')
				put(&b, &len, &cap, '\b');
			else if (c == 'f')
				put(&b, &len, &cap, '\f');
			else if (c == 'v')
				put(&b, &len, &cap, '\v');
			else if (c == 'x' || c == 'X') {
				int v = 0, k;
				for (k = 0; k < 2 && hexv(r->s[r->i]) >= 0; k++)
					v = v * 16 + hexv(r->s[r->i++]);
				put(&b, &len, &cap, (char)v);
			} else if (c == 'u' || c == 'U') {
				unsigned long v = 0;
				int k, n = c == 'u' ? 4 : 8;
				for (k = 0; k < n && hexv(r->s[r->i]) >= 0; k++)
					v = v * 16 +
					    (unsigned long)hexv(r->s[r->i++]);
				put_utf8(&b, &len, &cap, v);
			} else if (c >= '0' && c <= '7') {
				int v = c - '0', k;
				for (k = 0; k < 2 && r->s[r->i] >= '0' &&
				            r->s[r->i] <= '7';
				     k++)
					v = v * 8 + (r->s[r->i++] - '0');
				put(&b, &len, &cap, (char)v);
			} else {
				put(&b, &len, &cap, c);
			}
		}
		r->i++;
		skip(r);
	}
	f->str = b;
	f->len = len;
	f->quoted = true;
}

static void read_msg(rd *r, tp *m, char close);

static void read_field(rd *r, tp *f)
{
	size_t st = r->i;

	if (r->s[r->i] == '[') {
		while (r->i < r->n && r->s[r->i] != ']')
			r->i++;
		r->i++;
	} else {
		while (r->i < r->n &&
		       (r->s[r->i] == '_' || r->s[r->i] == '.' ||
		        (r->s[r->i] >= 'a' && r->s[r->i] <= 'z') ||
		        (r->s[r->i] >= 'A' && r->s[r->i] <= 'Z') ||
		        (r->s[r->i] >= '0' && r->s[r->i] <= '9')))
			r->i++;
	}
	if (r->i == st)
		die(r, "expected a field name");
	f->name = strndup(r->s + st, r->i - st);
	skip(r);
	if (r->i < r->n && r->s[r->i] == ':') {
		r->i++;
		skip(r);
	}
	if (r->i < r->n && (r->s[r->i] == '{' || r->s[r->i] == '<')) {
		char close = r->s[r->i] == '{' ? '}' : '>';
		r->i++;
		read_msg(r, f, close);
		return;
	}
	if (r->i < r->n && (r->s[r->i] == '"' || r->s[r->i] == '\'')) {
		read_str(r, f);
		return;
	}
	if (r->i < r->n && r->s[r->i] == '[') {
		/* a list of values: kept as unnamed fields */
		r->i++;
		for (;;) {
			tp *e;
			skip(r);
			if (r->i >= r->n)
				die(r, "unterminated list");
			if (r->s[r->i] == ']') {
				r->i++;
				skip(r);
				return;
			}
			f->kids = realloc(f->kids,
			                  (f->nkids + 1) * sizeof *f->kids);
			if (!f->kids)
				exit(3);
			e = &f->kids[f->nkids++];
			memset(e, 0, sizeof *e);
			e->name = strdup("");
			if (r->s[r->i] == '{') {
				r->i++;
				read_msg(r, e, '}');
			} else if (r->s[r->i] == '"' || r->s[r->i] == '\'') {
				read_str(r, e);
			} else {
				size_t b = r->i;
				while (r->i < r->n &&
				       !strchr(" \t\r\n,]", r->s[r->i]))
					r->i++;
				e->str = strndup(r->s + b, r->i - b);
				e->len = r->i - b;
			}
		}
	}
	st = r->i;
	while (r->i < r->n && !strchr(" \t\r\n,;}>#", r->s[r->i]))
		r->i++;
	if (r->i == st)
		die(r, "expected a value");
	f->str = strndup(r->s + st, r->i - st);
	f->len = r->i - st;
	skip(r);
}

static void read_msg(rd *r, tp *m, char close)
{
	for (;;) {
		skip(r);
		if (r->i >= r->n) {
			if (close)
				die(r, "unterminated message");
			return;
		}
		if (r->s[r->i] == close) {
			r->i++;
			return;
		}
		m->kids = realloc(m->kids, (m->nkids + 1) * sizeof *m->kids);
		if (!m->kids)
			exit(3);
		memset(&m->kids[m->nkids], 0, sizeof *m->kids);
		read_field(r, &m->kids[m->nkids++]);
	}
}

/* Frees what read_msg allocated below m (not m itself). */
static void free_tp(tp *m)
{
	size_t i;
	for (i = 0; i < m->nkids; i++) {
		free_tp(&m->kids[i]);
		free(m->kids[i].name);
		free(m->kids[i].str);
	}
	free(m->kids);
	m->kids = NULL;
	m->nkids = 0;
}

static const tp *get(const tp *m, const char *name)
{
	size_t i;

	for (i = 0; m && i < m->nkids; i++)
		if (!strcmp(m->kids[i].name, name))
			return &m->kids[i];
	return NULL;
}

/* --- cel.expr.Value to pl_cel_val ------------------------------------ */

static const pl_cel_val *value(pl_arena *a, const tp *v, const char **why);

static const pl_cel_val *object(pl_arena *a, const tp *o, const char **why)
{
	const tp *any = o->nkids ? &o->kids[0] : NULL, *x;
	pl_cel_val *t;

	if (!any) {
		*why = "empty object_value";
		return NULL;
	}
	if (strstr(any->name, "google.protobuf.Duration") ||
	    strstr(any->name, "google.protobuf.Timestamp")) {
		t = pl_cel_new(a, strstr(any->name, "Duration")
		                          ? PL_CEL_DURATION
		                          : PL_CEL_TIMESTAMP);
		x = get(any, "seconds");
		t->u.t.sec = x ? strtoll(x->str, NULL, 10) : 0;
		x = get(any, "nanos");
		t->u.t.nsec = x ? (int32_t)strtol(x->str, NULL, 10) : 0;
		return t;
	}
	if (!strncmp(any->name, "[type.googleapis.com/", 21)) {
		/* a message: its scalar fields (bool, int, string) */
		size_t i, n = any->nkids;
		t = pl_cel_new(a, PL_CEL_MAP);
		t->u.map.msg = pl_arena_strndup(a, any->name + 21,
		                                strlen(any->name) - 22);
		t->u.map.keys = pl_arena_alloc(a, (n + 1) * sizeof(void *));
		t->u.map.vals = pl_arena_alloc(a, (n + 1) * sizeof(void *));
		for (i = 0; i < n; i++) {
			const tp *f = &any->kids[i];
			const pl_cel_val *v;
			if (!f->str) {
				*why = "a nested message value";
				return NULL;
			}
			if (f->quoted)
				v = pl_cel_string(a, f->str, f->len);
			else if (!strcmp(f->str, "true") ||
			         !strcmp(f->str, "false"))
				v = pl_cel_bool(!strcmp(f->str, "true"));
			else
				v = pl_cel_int(a, strtoll(f->str, NULL, 10));
			t->u.map.keys[i] =
			        pl_cel_string(a, f->name, strlen(f->name));
			t->u.map.vals[i] = v;
		}
		t->u.map.len = n;
		return t;
	}
	*why = "a protobuf message value";
	return NULL;
}

static double num(const char *s)
{
	if (!strcmp(s, "inf") || !strcmp(s, "Infinity"))
		return INFINITY;
	if (!strcmp(s, "-inf") || !strcmp(s, "-Infinity"))
		return -INFINITY;
	if (!strcmp(s, "nan") || !strcmp(s, "NaN"))
		return NAN;
	return strtod(s, NULL);
}

static const pl_cel_val *value(pl_arena *a, const tp *v, const char **why)
{
	const tp *f = v->nkids ? &v->kids[0] : NULL;
	pl_cel_val *r;
	size_t i, k;

	if (!f) {
		*why = "empty value";
		return NULL;
	}
	if (!strcmp(f->name, "null_value"))
		return pl_cel_null();
	if (!strcmp(f->name, "bool_value"))
		return pl_cel_bool(!strcmp(f->str, "true"));
	if (!strcmp(f->name, "int64_value"))
		return pl_cel_int(a, strtoll(f->str, NULL, 10));
	if (!strcmp(f->name, "uint64_value"))
		return pl_cel_uint(a, strtoull(f->str, NULL, 10));
	if (!strcmp(f->name, "double_value"))
		return pl_cel_double(a, num(f->str));
	if (!strcmp(f->name, "string_value"))
		return pl_cel_string(a, f->str ? f->str : "", f->len);
	if (!strcmp(f->name, "bytes_value"))
		return pl_cel_bytes(a, f->str ? f->str : "", f->len);
	if (!strcmp(f->name, "type_value")) {
		r = pl_cel_new(a, PL_CEL_TYPE);
		r->u.type = pl_arena_strdup(a, f->str);
		return r;
	}
	if (!strcmp(f->name, "object_value"))
		return object(a, f, why);
	if (!strcmp(f->name, "list_value")) {
		r = pl_cel_new(a, PL_CEL_LIST);
		r->u.list.items = pl_arena_alloc(
		        a, (f->nkids + 1) * sizeof *r->u.list.items);
		for (i = 0; i < f->nkids; i++) {
			const pl_cel_val *e = value(a, &f->kids[i], why);
			if (!e)
				return NULL;
			r->u.list.items[r->u.list.len++] = e;
		}
		return r;
	}
	if (!strcmp(f->name, "map_value")) {
		r = pl_cel_new(a, PL_CEL_MAP);
		r->u.map.keys = pl_arena_alloc(
		        a, (f->nkids + 1) * sizeof *r->u.map.keys);
		r->u.map.vals = pl_arena_alloc(
		        a, (f->nkids + 1) * sizeof *r->u.map.vals);
		for (i = 0; i < f->nkids; i++) {
			const tp *e = &f->kids[i];
			const tp *kk = get(e, "key"), *vv = get(e, "value");
			if (!kk || !vv) {
				*why = "map entry without key or value";
				return NULL;
			}
			k = r->u.map.len;
			r->u.map.keys[k] = value(a, kk, why);
			r->u.map.vals[k] = value(a, vv, why);
			if (!r->u.map.keys[k] || !r->u.map.vals[k])
				return NULL;
			r->u.map.len++;
		}
		return r;
	}
	*why = "a value kind the suite does not read";
	return NULL;
}

/* Same type and value, deeply; NaN equals NaN. */
static bool same(const pl_cel_val *x, const pl_cel_val *y)
{
	size_t i, j;

	if (x->kind != y->kind)
		return false;
	switch (x->kind) {
	case PL_CEL_DOUBLE:
		if (isnan(x->u.d) || isnan(y->u.d))
			return isnan(x->u.d) && isnan(y->u.d);
		return x->u.d == y->u.d;
	case PL_CEL_LIST:
		if (x->u.list.len != y->u.list.len)
			return false;
		for (i = 0; i < x->u.list.len; i++)
			if (!same(x->u.list.items[i], y->u.list.items[i]))
				return false;
		return true;
	case PL_CEL_MAP:
		if (x->u.map.msg || y->u.map.msg)
			return pl_cel_equal(x, y);
		if (x->u.map.len != y->u.map.len)
			return false;
		for (i = 0; i < x->u.map.len; i++) {
			for (j = 0; j < y->u.map.len; j++)
				if (same(x->u.map.keys[i], y->u.map.keys[j]))
					break;
			if (j == y->u.map.len ||
			    !same(x->u.map.vals[i], y->u.map.vals[j]))
				return false;
		}
		return true;
	default:
		return pl_cel_equal(x, y);
	}
}

/* --- running ----------------------------------------------------------- */

static int verbose; /* -v: listed failures; -vv: other files' too */

/* Runs one test; NULL when it passes, else why not. */
static const char *run_test(const tp *t, pl_cel_regex *re, char *why,
                            size_t wsize)
{
	const tp *expr = get(t, "expr"), *want = get(t, "value");
	const tp *eerr = get(t, "eval_error"), *cont = get(t, "container");
	const tp *dm = get(t, "disable_macros");
	pl_arena a;
	pl_cel_env env;
	pl_cel_var vars[32];
	pl_cel_ast *ast;
	const pl_cel_val *got, *exp = NULL;
	const char *w = NULL;
	pl_error err;
	size_t i, nv = 0;
	pl_buf b;

	if (!expr || !expr->str)
		return "no expr";
	if (!want && !eerr && (get(t, "typed_result") || get(t, "unknown"))) {
		snprintf(why, wsize, "expects a typed_result or unknown");
		return why;
	}
	pl_arena_init(&a);
	memset(&env, 0, sizeof env);
	env.regex = pl_cel_regex_match;
	env.regex_ud = re;
	env.container = cont ? cont->str : NULL;
	env.no_macros = dm && !strcmp(dm->str, "true");
	for (i = 0; i < t->nkids && nv < 32; i++) {
		const tp *bk = &t->kids[i], *k, *v;
		if (strcmp(bk->name, "bindings"))
			continue;
		k = get(bk, "key");
		v = get(get(bk, "value"), "value");
		if (!k || !v) {
			snprintf(why, wsize, "a binding the suite cannot read");
			pl_arena_release(&a);
			return why;
		}
		vars[nv].name = k->str;
		vars[nv].val = value(&a, v, &w);
		if (!vars[nv].val) {
			snprintf(why, wsize, "binding %s: %s", k->str, w);
			pl_arena_release(&a);
			return why;
		}
		nv++;
	}
	env.vars = vars;
	env.nvars = nv;
	if (!want && !eerr) {
		exp = pl_cel_bool(true); /* simple.proto's default result */
	} else if (want) {
		exp = value(&a, want, &w);
		if (!exp) {
			snprintf(why, wsize, "expected value: %s", w);
			pl_arena_release(&a);
			return why;
		}
	}
	pl_error_clear(&err);
	why[0] = '\0';
	if (pl_cel_parse(&ast, &a, expr->str, expr->len, &env, &err) != 0) {
		snprintf(why, wsize, "parse error at %u:%u: %s", err.pos.line,
		         err.pos.col, err.msg);
	} else if (pl_cel_eval(&got, ast, &env, &a, &err) != 0) {
		if (!eerr)
			snprintf(why, wsize, "error %s", err.msg);
	} else if (eerr) {
		pl_buf_init(&b, 0);
		pl_cel_format(&b, got);
		snprintf(why, wsize, "want an error, got %.200s", b.ptr);
		pl_buf_release(&b);
	} else if (!same(got, exp)) {
		pl_buf_init(&b, 0);
		pl_buf_adds(&b, "got ");
		pl_cel_format(&b, got);
		pl_buf_adds(&b, ", want ");
		pl_cel_format(&b, exp);
		snprintf(why, wsize, "%.400s", b.ptr);
		pl_buf_release(&b);
	}
	pl_arena_release(&a);
	return why[0] ? why : NULL;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		exit(3);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static bool is_core(const char *name)
{
	size_t i;

	for (i = 0; i < PL_ARRAY_SIZE(core); i++)
		if (!strcmp(core[i], name))
			return true;
	return false;
}

/* The other files (protobuf, extensions): counted, never asserted. */
static void count_others(const char *dir, pl_cel_regex *re)
{
	char path[4096];
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, k, si, ti;

	snprintf(path, sizeof path, "%s/simple", dir);
	d = opendir(path);
	if (!d)
		return;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 11 || strcmp(e->d_name + l - 10, ".textproto"))
			continue;
		names = realloc(names, (n + 1) * sizeof *names);
		if (!names)
			exit(3);
		names[n++] = strndup(e->d_name, l - 10);
	}
	closedir(d);
	qsort(names, n, sizeof *names, by_name);
	printf("not asserted (extensions and protobuf beyond the core):\n");
	for (k = 0; k < n; k++) {
		rd r;
		tp root;
		char *text, why[512];
		int total = 0, pass = 0;
		if (is_core(names[k])) {
			free(names[k]);
			continue;
		}
		snprintf(path, sizeof path, "%s/simple/%s.textproto", dir,
		         names[k]);
		memset(&root, 0, sizeof root);
		text = slurp(path, &r.n);
		if (!text)
			continue;
		r.s = text;
		r.i = 0;
		r.line = 1;
		r.path = path;
		read_msg(&r, &root, 0);
		for (si = 0; si < root.nkids; si++) {
			const tp *sec = &root.kids[si];
			if (strcmp(sec->name, "section"))
				continue;
			for (ti = 0; ti < sec->nkids; ti++) {
				if (strcmp(sec->kids[ti].name, "test"))
					continue;
				const char *f;
				total++;
				f = run_test(&sec->kids[ti], re, why,
				             sizeof why);
				pass += f == NULL;
				if (f && verbose > 1)
					printf("    %s: %s\n    expr: %s\n",
					       names[k], f,
					       get(&sec->kids[ti], "expr")
					               ? get(&sec->kids[ti],
					                     "expr")
					                         ->str
					               : "");
			}
		}
		printf("  %-16s %4d/%4d\n", names[k], pass, total);
		free_tp(&root);
		free(text);
		free(names[k]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	size_t fi, si, ti;
	int core_total = 0, core_pass = 0, bad;
	known_list known;
	pl_cel_regex *re;
	double pct;

	if (argc < 3) {
		fprintf(stderr, "usage: cel_suite SUITE_DIR KNOWN_TSV [-v]\n");
		return 2;
	}
	verbose = argc > 3 && !strcmp(argv[3], "-v")    ? 1
	          : argc > 3 && !strcmp(argv[3], "-vv") ? 2
	                                                : 0;
	known_load(&known, argv[2], 3, 2);
	re = pl_cel_regex_new();
	for (fi = 0; fi < PL_ARRAY_SIZE(core); fi++) {
		char path[4096];
		rd r;
		tp root;
		char *text;
		int total = 0, pass = 0;

		snprintf(path, sizeof path, "%s/simple/%s.textproto", argv[1],
		         core[fi]);
		memset(&root, 0, sizeof root);
		text = slurp(path, &r.n);
		if (!text) {
			perror(path);
			return 2;
		}
		r.s = text;
		r.i = 0;
		r.line = 1;
		r.path = path;
		read_msg(&r, &root, 0);
		for (si = 0; si < root.nkids; si++) {
			const tp *sec = &root.kids[si];
			const tp *sname = get(sec, "name");
			if (strcmp(sec->name, "section"))
				continue;
			for (ti = 0; ti < sec->nkids; ti++) {
				const tp *t = &sec->kids[ti], *tn;
				char id[512], why[512], key[1100], label[1100];
				const char *fail;
				known_entry *k;
				if (strcmp(t->name, "test"))
					continue;
				tn = get(t, "name");
				snprintf(id, sizeof id, "%s/%s",
				         sname ? sname->str : "?",
				         tn ? tn->str : "?");
				fail = run_test(t, re, why, sizeof why);
				total++;
				known_fmt(key, sizeof key, "%s\t%s", core[fi],
				          id);
				known_fmt(label, sizeof label, "%s %s",
				          core[fi], id);
				switch (known_outcome(&known, key, NULL, !fail,
				                      label, &k)) {
				case KNOWN_PASS:
					pass++;
					break;
				case KNOWN_STALE:
					pass += !fail;
					break;
				case KNOWN_LISTED:
					if (verbose)
						printf("  known  %s: %s (%s)\n",
						       label, fail,
						       k->field[2]);
					break;
				case KNOWN_BUG:
					printf("  FAIL   %s: %s\n    expr: "
					       "%s\n",
					       label, fail,
					       get(t, "expr")
					               ? get(t, "expr")->str
					               : "");
					break;
				}
			}
		}
		printf("%-14s %4d/%4d\n", core[fi], pass, total);
		core_total += total;
		core_pass += pass;
		free_tp(&root);
		free(text);
	}
	bad = known_finish(&known);
	count_others(argv[1], re);
	pl_cel_regex_free(re);
	pct = core_total ? 100.0 * core_pass / core_total : 0;
	printf("cel-spec core: %d/%d pass (%.1f%%, floor %.0f%%); %d known, "
	       "%d unlisted failures, %d stale\n",
	       core_pass, core_total, pct, MIN_PERCENT, known.listed,
	       known.bugs, known.stale);
	known_free(&known);
	if (pct < MIN_PERCENT || bad)
		return 1;
	return 0;
}
