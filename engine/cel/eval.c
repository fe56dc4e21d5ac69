/*
 * eval.c - evaluates a CEL syntax tree (cel-spec doc/langdef.md).
 *
 * Errors are values: a strict function given an error returns it, while
 * && and || are commutative and absorb an error when the other side
 * decides (false && err == false), as do all() and exists(). Names
 * resolve comprehension variables first, then the caller's variables
 * (qualified names longest first, inside env->container), then type
 * names. Each node visited and each element iterated counts one step;
 * past the cost limit evaluation unwinds with an error.
 */
#include "cel/cel_impl.h"

const pl_cel_val *pl_cel_err(pl_cel_ctx *c, uint32_t off, const char *fmt, ...)
{
	pl_cel_val *v = pl_cel_new(c->a, PL_CEL_ERROR);
	char msg[240];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	v->u.err.msg = pl_arena_strdup(c->a, msg);
	v->u.err.off = off;
	return v;
}

const pl_cel_val *pl_cel_nooverload(pl_cel_ctx *c, uint32_t off, const char *fn)
{
	return pl_cel_err(c, off, "no such overload: %s", fn);
}

bool pl_cel_cost(pl_cel_ctx *c, uint64_t n)
{
	c->steps += n;
	if (c->steps > c->limit)
		c->over = true;
	return !c->over;
}

static const pl_cel_val *eval(pl_cel_ctx *c, const pl_cel_node *n,
                              const pl_cel_scope *sc);

static const pl_cel_val *over(pl_cel_ctx *c, uint32_t off)
{
	return pl_cel_err(c, off, "cost limit of %llu steps exceeded",
	                  (unsigned long long)c->limit);
}

static const char *const type_names[] = {
        "bool",
        "bytes",
        "double",
        "int",
        "list",
        "map",
        "null_type",
        "string",
        "type",
        "uint",
        "google.protobuf.Duration",
        "google.protobuf.Timestamp",
};

static const pl_cel_val *lookup_var(pl_cel_ctx *c, const char *name, bool root)
{
	const pl_cel_env *env = c->env;
	size_t i, k;
	char buf[512];

	/* inside container a.b, name x is tried as a.b.x, a.x, x */
	if (env->container && *env->container && !root) {
		size_t cl = strlen(env->container);
		for (;;) {
			snprintf(buf, sizeof buf, "%.*s.%s", (int)cl,
			         env->container, name);
			for (i = 0; i < env->nvars; i++)
				if (!strcmp(env->vars[i].name, buf))
					return env->vars[i].val;
			while (cl > 0 && env->container[cl - 1] != '.')
				cl--;
			if (cl == 0)
				break;
			cl--;
		}
	}
	for (i = 0; i < env->nvars; i++)
		if (!strcmp(env->vars[i].name, name))
			return env->vars[i].val;
	for (k = 0; k < PL_ARRAY_SIZE(type_names); k++)
		if (!strcmp(type_names[k], name))
			return pl_cel_type(c->a, type_names[k]);
	return NULL;
}

/* The dotted name of an identifier chain (a.b.c), or false. */
static bool qualified(const pl_cel_node *n, pl_buf *b, bool *root)
{
	if (n->kind == PL_CN_IDENT) {
		pl_buf_adds(b, n->name);
		*root = n->root;
		return true;
	}
	if (n->kind != PL_CN_SELECT || !qualified(n->target, b, root))
		return false;
	pl_buf_addc(b, '.');
	pl_buf_adds(b, n->name);
	return true;
}

static const char *head_name(const pl_cel_node *n)
{
	while (n->kind == PL_CN_SELECT)
		n = n->target;
	return n->name;
}

static const pl_cel_scope *find_scope(const pl_cel_scope *sc, const char *name)
{
	for (; sc; sc = sc->up)
		if (!strcmp(sc->name, name))
			return sc;
	return NULL;
}

/* Field selection on a value. */
static const pl_cel_val *select_field(pl_cel_ctx *c, uint32_t off,
                                      const pl_cel_val *t, const char *f,
                                      bool test)
{
	const pl_cel_val *v;

	if (t->kind == PL_CEL_ERROR)
		return t;
	if (t->kind != PL_CEL_MAP)
		return pl_cel_err(c, off,
		                  "type '%s' does not support field selection",
		                  pl_cel_type_name(t));
	v = pl_cel_map_gets(t, f);
	if (test)
		return pl_cel_bool(v != NULL);
	if (!v && t->u.map.msg)
		v = pl_cel_msg_default(c, t, f);
	if (!v)
		return pl_cel_err(c, off, "no such key: '%s'", f);
	return v;
}

static const pl_cel_val *eval_select(pl_cel_ctx *c, const pl_cel_node *n,
                                     const pl_cel_scope *sc, bool test)
{
	pl_buf b;
	bool root = false;
	const pl_cel_val *t;

	pl_buf_init(&b, 4096);
	if (!test && qualified(n, &b, &root) &&
	    !(!root && find_scope(sc, head_name(n)))) {
		/* the longest prefix of a.b.c that names a variable */
		char *name = b.ptr;
		size_t len = b.len;
		for (;;) {
			const pl_cel_val *v = NULL;
			char save = name[len];
			name[len] = '\0';
			if (!strchr(name, '.')) {
				const pl_cel_scope *s =
				        root ? NULL : find_scope(sc, name);
				v = s ? s->val : NULL;
			}
			if (!v)
				v = lookup_var(c, name, root);
			name[len] = save;
			if (v) {
				/* select the rest of the chain on it */
				const char *rest = name + len;
				pl_buf fb;
				pl_buf_init(&fb, 4096);
				while (*rest == '.' &&
				       v->kind != PL_CEL_ERROR) {
					const char *e = strchr(rest + 1, '.');
					size_t l = e ? (size_t)(e - rest - 1)
					             : strlen(rest + 1);
					pl_buf_reset(&fb);
					pl_buf_add(&fb, rest + 1, l);
					v = select_field(c, n->off, v, fb.ptr,
					                 false);
					rest += l + 1;
				}
				pl_buf_release(&fb);
				pl_buf_release(&b);
				return v;
			}
			while (len > 0 && name[len - 1] != '.')
				len--;
			if (len == 0)
				break;
			len--;
		}
		t = pl_cel_err(c, n->off, "undeclared reference to '%s'",
		               b.ptr);
		pl_buf_release(&b);
		return t;
	}
	pl_buf_release(&b);
	t = eval(c, n->target, sc);
	return select_field(c, n->off, t, n->name, test);
}

static bool is_var(const pl_cel_node *n)
{
	return n->kind == PL_CN_IDENT && !n->root;
}

/* x.all(i, v, p) and friends: two iteration variables. */
static bool is_two_var(const pl_cel_node *n)
{
	const char *m = n->name;

	if (n->nargs < 3 || !is_var(n->args[0]) || !is_var(n->args[1]))
		return false;
	if (!strcmp(m, "all") || !strcmp(m, "exists") ||
	    !strcmp(m, "existsOne"))
		return n->nargs == 3;
	if (!strcmp(m, "transformList") || !strcmp(m, "transformMap"))
		return n->nargs == 3 || n->nargs == 4;
	return false;
}

static bool is_macro(const pl_cel_node *n)
{
	const char *m = n->name;

	if (!n->target) {
		return !strcmp(m, "has") && n->nargs == 1;
	}
	if (is_two_var(n))
		return true;
	if (!strcmp(m, "all") || !strcmp(m, "exists") ||
	    !strcmp(m, "exists_one") || !strcmp(m, "filter"))
		return n->nargs == 2 && is_var(n->args[0]);
	if (!strcmp(m, "map"))
		return (n->nargs == 2 || n->nargs == 3) && is_var(n->args[0]);
	return false;
}

/*
 * all, exists, exists_one, map, filter over a list or a map's keys, and
 * the two-variable forms (index or key, then value): all, exists,
 * existsOne, transformList, transformMap.
 */
static const pl_cel_val *comprehension(pl_cel_ctx *c, const pl_cel_node *n,
                                       const pl_cel_scope *sc)
{
	const char *m = n->name;
	const pl_cel_val *range = eval(c, n->target, sc), *err = NULL;
	const pl_cel_val **items, **vals = NULL, **out = NULL, **okeys = NULL;
	size_t len, i, nout = 0, count = 0, nv, body;
	pl_cel_scope s, s2;
	bool two = is_two_var(n);
	bool isall = !strcmp(m, "all"), isexists = !strcmp(m, "exists");
	bool isone = !strcmp(m, "exists_one") || !strcmp(m, "existsOne");
	bool ismap = !strcmp(m, "map") || !strcmp(m, "transformList") ||
	             !strcmp(m, "transformMap");
	bool tomap = !strcmp(m, "transformMap");
	pl_cel_val *res;

	if (range->kind == PL_CEL_ERROR)
		return range;
	if (range->kind == PL_CEL_LIST) {
		items = range->u.list.items;
		len = range->u.list.len;
	} else if (range->kind == PL_CEL_MAP) {
		items = range->u.map.keys;
		vals = range->u.map.vals;
		len = range->u.map.len;
	} else {
		return pl_cel_err(c, n->off,
		                  "%s() needs a list or a map, not %s", m,
		                  pl_cel_type_name(range));
	}
	nv = two ? 2 : 1;
	body = nv;
	s.name = n->args[0]->name;
	s.up = sc;
	s2.name = two ? n->args[1]->name : NULL;
	s2.up = &s;
	if (ismap || !strcmp(m, "filter")) {
		out = pl_arena_alloc(c->a, (len ? len : 1) * sizeof *out);
		okeys = pl_arena_alloc(c->a, (len ? len : 1) * sizeof *okeys);
	}
	for (i = 0; i < len; i++) {
		const pl_cel_val *v;
		const pl_cel_scope *in = two ? &s2 : &s;
		if (!pl_cel_cost(c, 1))
			return over(c, n->off);
		if (two) {
			s.val = vals ? items[i] : pl_cel_int(c->a, (int64_t)i);
			s2.val = vals ? vals[i] : items[i];
		} else {
			s.val = items[i];
		}
		v = eval(c, n->args[body], in);
		if (c->over)
			return over(c, n->off);
		if (ismap && n->nargs == nv + 1) {
			if (v->kind == PL_CEL_ERROR)
				return v;
			okeys[nout] = s.val;
			out[nout++] = v;
			continue;
		}
		if (v->kind == PL_CEL_ERROR) {
			if (isall || isexists) {
				if (!err)
					err = v;
				continue;
			}
			return v;
		}
		if (v->kind != PL_CEL_BOOL) {
			const pl_cel_val *e =
			        pl_cel_err(c, n->args[body]->off,
			                   "%s() predicate is %s, not bool", m,
			                   pl_cel_type_name(v));
			if (isall || isexists) {
				if (!err)
					err = e;
				continue;
			}
			return e;
		}
		if (isall && !v->u.b)
			return pl_cel_bool(false);
		if (isexists && v->u.b)
			return pl_cel_bool(true);
		if (isone && v->u.b)
			count++;
		if (ismap && v->u.b) {
			const pl_cel_val *f = eval(c, n->args[body + 1], in);
			if (f->kind == PL_CEL_ERROR)
				return f;
			okeys[nout] = s.val;
			out[nout++] = f;
		}
		if (!strcmp(m, "filter") && v->u.b)
			out[nout++] = items[i];
	}
	if (isall || isexists)
		return err ? err : pl_cel_bool(isall);
	if (isone)
		return pl_cel_bool(count == 1);
	if (tomap) {
		res = pl_cel_new(c->a, PL_CEL_MAP);
		res->u.map.keys = okeys;
		res->u.map.vals = out;
		res->u.map.len = nout;
		return res;
	}
	res = pl_cel_new(c->a, PL_CEL_LIST);
	res->u.list.items = out;
	res->u.list.len = nout;
	return res;
}

static const pl_cel_val *logic(pl_cel_ctx *c, const pl_cel_node *n,
                               const pl_cel_scope *sc, bool isand)
{
	const pl_cel_val *l = eval(c, n->args[0], sc), *r;

	if (c->over)
		return l;
	/* short circuit: the left side decides */
	if (l->kind == PL_CEL_BOOL && l->u.b != isand)
		return l;
	r = eval(c, n->args[1], sc);
	if (r->kind == PL_CEL_BOOL && r->u.b != isand)
		return r;
	if (l->kind == PL_CEL_ERROR)
		return l;
	if (l->kind != PL_CEL_BOOL)
		return pl_cel_nooverload(c, n->off, isand ? "_&&_" : "_||_");
	if (r->kind == PL_CEL_ERROR)
		return r;
	if (r->kind != PL_CEL_BOOL)
		return pl_cel_nooverload(c, n->off, isand ? "_&&_" : "_||_");
	return pl_cel_bool(isand);
}

static const pl_cel_val *eval_call(pl_cel_ctx *c, const pl_cel_node *n,
                                   const pl_cel_scope *sc)
{
	const pl_cel_val *target = NULL, *args[8], **argv = args, *v;
	size_t i;

	if (!c->env->no_macros && is_macro(n)) {
		if (!n->target) {
			if (n->args[0]->kind != PL_CN_SELECT)
				return pl_cel_err(
				        c, n->off,
				        "has() needs a field selection");
			return eval_select(c, n->args[0], sc, true);
		}
		return comprehension(c, n, sc);
	}
	if (!n->target && !strcmp(n->name, "_&&_"))
		return logic(c, n, sc, true);
	if (!n->target && !strcmp(n->name, "_||_"))
		return logic(c, n, sc, false);
	if (!n->target && !strcmp(n->name, "_?_:_")) {
		v = eval(c, n->args[0], sc);
		if (v->kind == PL_CEL_ERROR)
			return v;
		if (v->kind != PL_CEL_BOOL)
			return pl_cel_nooverload(c, n->off, "_?_:_");
		return eval(c, n->args[v->u.b ? 1 : 2], sc);
	}
	if (n->target) {
		target = eval(c, n->target, sc);
		if (target->kind == PL_CEL_ERROR)
			return target;
	}
	if (n->nargs > PL_ARRAY_SIZE(args))
		argv = pl_arena_alloc(c->a, n->nargs * sizeof *argv);
	for (i = 0; i < n->nargs; i++) {
		argv[i] = eval(c, n->args[i], sc);
		if (argv[i]->kind == PL_CEL_ERROR)
			return argv[i];
	}
	if (c->over)
		return over(c, n->off);
	return pl_cel_call(c, n->off, n->name, target, argv, n->nargs);
}

static const pl_cel_val *eval_list(pl_cel_ctx *c, const pl_cel_node *n,
                                   const pl_cel_scope *sc)
{
	pl_cel_val *l = pl_cel_new(c->a, PL_CEL_LIST);
	const pl_cel_val **items =
	        pl_arena_alloc(c->a, (n->nargs ? n->nargs : 1) * sizeof *items);
	size_t i;

	for (i = 0; i < n->nargs; i++) {
		items[i] = eval(c, n->args[i], sc);
		if (items[i]->kind == PL_CEL_ERROR)
			return items[i];
	}
	l->u.list.items = items;
	l->u.list.len = n->nargs;
	return l;
}

static const pl_cel_val *eval_map(pl_cel_ctx *c, const pl_cel_node *n,
                                  const pl_cel_scope *sc)
{
	pl_cel_val *m = pl_cel_new(c->a, PL_CEL_MAP);
	size_t len = n->nargs / 2, i;
	const pl_cel_val **keys =
	        pl_arena_alloc(c->a, (len ? len : 1) * sizeof *keys);
	const pl_cel_val **vals =
	        pl_arena_alloc(c->a, (len ? len : 1) * sizeof *vals);

	m->u.map.keys = keys;
	m->u.map.vals = vals;
	for (i = 0; i < len; i++) {
		const pl_cel_val *k = eval(c, n->args[2 * i], sc);
		const pl_cel_val *v = eval(c, n->args[2 * i + 1], sc);
		if (k->kind == PL_CEL_ERROR)
			return k;
		if (v->kind == PL_CEL_ERROR)
			return v;
		if (k->kind != PL_CEL_INT && k->kind != PL_CEL_UINT &&
		    k->kind != PL_CEL_BOOL && k->kind != PL_CEL_STRING)
			return pl_cel_err(c, n->args[2 * i]->off,
			                  "unsupported key type %s",
			                  pl_cel_type_name(k));
		m->u.map.len = i;
		if (pl_cel_map_get(m, k))
			return pl_cel_err(c, n->args[2 * i]->off,
			                  "Failed with repeated key");
		if (!pl_cel_cost(c, i / 16))
			return over(c, n->off);
		keys[i] = k;
		vals[i] = v;
	}
	m->u.map.len = len;
	return m;
}

static const pl_cel_val *eval_struct(pl_cel_ctx *c, const pl_cel_node *n,
                                     const pl_cel_scope *sc)
{
	size_t len = n->nargs / 2, i;
	const pl_cel_val **f = pl_arena_alloc(c->a, (len + 1) * sizeof *f);
	const pl_cel_val **v = pl_arena_alloc(c->a, (len + 1) * sizeof *v);
	bool root = false;
	pl_buf b;
	const pl_cel_val *m;

	for (i = 0; i < len; i++) {
		const char *name = n->args[2 * i]->name;
		size_t k;
		f[i] = pl_cel_string(c->a, name, strlen(name));
		for (k = 0; k < i; k++)
			if (!strcmp(f[k]->u.s.ptr, name))
				return pl_cel_err(c, n->args[2 * i]->off,
				                  "repeated field '%s'", name);
		v[i] = eval(c, n->args[2 * i + 1], sc);
		if (v[i]->kind == PL_CEL_ERROR)
			return v[i];
	}
	pl_buf_init(&b, 4096);
	if (!qualified(n->target, &b, &root)) {
		pl_buf_release(&b);
		return pl_cel_err(c, n->off, "a message needs a type name");
	}
	m = pl_cel_message(c, n->off, pl_arena_strdup(c->a, b.ptr), root, f, v,
	                   len);
	pl_buf_release(&b);
	return m;
}

static const pl_cel_val *eval(pl_cel_ctx *c, const pl_cel_node *n,
                              const pl_cel_scope *sc)
{
	const pl_cel_val *v = NULL;
	const pl_cel_scope *s;

	if (!pl_cel_cost(c, 1))
		return over(c, n->off);
	if (++c->depth > 4 * PL_CEL_MAX_DEPTH) {
		c->depth--;
		return pl_cel_err(c, n->off, "evaluation nested too deeply");
	}
	switch (n->kind) {
	case PL_CN_LIT:
		v = n->lit;
		break;
	case PL_CN_IDENT:
		s = n->root ? NULL : find_scope(sc, n->name);
		v = s ? s->val : lookup_var(c, n->name, n->root);
		if (!v)
			v = pl_cel_err(c, n->off,
			               "undeclared reference to '%s'", n->name);
		break;
	case PL_CN_SELECT:
		v = eval_select(c, n, sc, false);
		break;
	case PL_CN_CALL:
		v = eval_call(c, n, sc);
		break;
	case PL_CN_LIST:
		v = eval_list(c, n, sc);
		break;
	case PL_CN_MAP:
		v = eval_map(c, n, sc);
		break;
	case PL_CN_STRUCT:
		v = eval_struct(c, n, sc);
		break;
	}
	c->depth--;
	if (c->over && v->kind != PL_CEL_ERROR)
		v = over(c, n->off);
	return v;
}

int pl_cel_eval(const pl_cel_val **out, const pl_cel_ast *ast,
                const pl_cel_env *env, pl_arena *a, pl_error *err)
{
	pl_cel_ctx c;
	const pl_cel_val *v;

	memset(&c, 0, sizeof c);
	c.a = a;
	c.env = env;
	c.limit = env->cost_limit ? env->cost_limit : PL_CEL_COST_DEFAULT;
	v = eval(&c, ast->root, NULL);
	if (c.over && v->kind != PL_CEL_ERROR)
		v = over(&c, ast->root->off);
	*out = v;
	if (v->kind == PL_CEL_ERROR) {
		pl_pos pos = pl_cel_pos(ast->src, ast->len, v->u.err.off);
		pl_error_set(err, c.over ? PL_ELIMIT : PL_ERULE, NULL, &pos,
		             "%s", v->u.err.msg);
		return c.over ? PL_ELIMIT : PL_ERULE;
	}
	return 0;
}
