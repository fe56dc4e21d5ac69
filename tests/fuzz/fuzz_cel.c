/*
 * fuzz_cel.c - libFuzzer target: the input is a CEL expression, parsed
 * and evaluated with `self` bound to a small object (a map with a list,
 * a string, numbers and a nested map) and matches() on pcre2. A parse
 * error must point into the expression; evaluation must end (the cost
 * limit is low) with a value or an error. Anything else is a bug.
 */
#include "cel/cel.h"
#include "cel/cel_regex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const pl_cel_val *self_value(pl_arena *a)
{
	pl_cel_val *m = pl_cel_new(a, PL_CEL_MAP), *l, *inner;
	static const char *const keys[] = {"name",  "replicas", "ratio",
	                                   "ports", "meta",     "enabled"};
	size_t i;

	l = pl_cel_new(a, PL_CEL_LIST);
	l->u.list.items = pl_arena_alloc(a, 3 * sizeof *l->u.list.items);
	for (i = 0; i < 3; i++)
		l->u.list.items[i] = pl_cel_int(a, 80 + (int64_t)i);
	l->u.list.len = 3;
	inner = pl_cel_new(a, PL_CEL_MAP);
	inner->u.map.keys = pl_arena_alloc(a, sizeof *inner->u.map.keys);
	inner->u.map.vals = pl_arena_alloc(a, sizeof *inner->u.map.vals);
	inner->u.map.keys[0] = pl_cel_string(a, "app", 3);
	inner->u.map.vals[0] = pl_cel_string(a, "web", 3);
	inner->u.map.len = 1;
	m->u.map.keys = pl_arena_alloc(a, 6 * sizeof *m->u.map.keys);
	m->u.map.vals = pl_arena_alloc(a, 6 * sizeof *m->u.map.vals);
	for (i = 0; i < 6; i++)
		m->u.map.keys[i] = pl_cel_string(a, keys[i], strlen(keys[i]));
	m->u.map.vals[0] = pl_cel_string(a, "web-1", 5);
	m->u.map.vals[1] = pl_cel_int(a, 3);
	m->u.map.vals[2] = pl_cel_double(a, 0.5);
	m->u.map.vals[3] = l;
	m->u.map.vals[4] = inner;
	m->u.map.vals[5] = pl_cel_bool(true);
	m->u.map.len = 6;
	return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pl_arena a;
	pl_cel_env env;
	pl_cel_var var;
	pl_cel_ast *ast;
	pl_cel_regex *re = pl_cel_regex_new();
	const pl_cel_val *v;
	pl_error err;
	pl_buf b;

	pl_arena_init(&a);
	memset(&env, 0, sizeof env);
	var.name = "self";
	var.val = self_value(&a);
	env.vars = &var;
	env.nvars = 1;
	env.cost_limit = 20000;
	env.regex = pl_cel_regex_match;
	env.regex_ud = re;
	pl_error_clear(&err);
	if (pl_cel_parse(&ast, &a, (const char *)data, size, &env, &err) != 0) {
		if (err.pos.line == 0 || err.pos.col == 0 ||
		    err.pos.offset > size)
			abort(); /* an error must point into the expression */
	} else {
		int rc = pl_cel_eval(&v, ast, &env, &a, &err);
		if (rc != 0 && (v->kind != PL_CEL_ERROR || err.pos.line == 0))
			abort(); /* an error result carries its position */
		if (rc == 0 && v->kind == PL_CEL_ERROR)
			abort();
		pl_buf_init(&b, 0);
		pl_cel_format(&b, v);
		pl_buf_release(&b);
	}
	pl_cel_regex_free(re);
	pl_arena_release(&a);
	return 0;
}
