/*
 * parse.c - CEL source text to a syntax tree (cel-spec doc/langdef.md).
 *
 * A recursive-descent parser over lex.c's tokens, with CEL's precedence:
 *   ?:  <  ||  <  &&  <  == != < <= > >= in  <  + -  <  * / %  <  ! -
 *   <  member (.f, .f(), [i], T{...})  <  primary
 * Operators become calls named as CEL names them ("_+_", "_[_]",
 * "_?_:_", "!_", "-_"), so the evaluator has one dispatch. Nesting is
 * bounded by PL_CEL_MAX_DEPTH; every error carries the byte offset of
 * the token at fault.
 */
#include "cel/lex.h"

static bool is_punct(const cel_parser *p, const char *op)
{
	return p->t.kind == T_PUNCT && !strcmp(p->t.p, op);
}

static int expect(cel_parser *p, const char *op)
{
	if (!is_punct(p, op))
		return pl_cel__fail(p, p->t.off, "expected '%s'", op);
	return pl_cel__next(p);
}

static pl_cel_node *mk(cel_parser *p, pl_cel_nkind kind, uint32_t off)
{
	pl_cel_node *n = pl_arena_zalloc(p->a, sizeof *n);
	n->kind = kind;
	n->off = off;
	return n;
}

static pl_cel_node *mkcall(cel_parser *p, const char *name, uint32_t off,
                           size_t nargs, const pl_cel_node *a0,
                           const pl_cel_node *a1, const pl_cel_node *a2)
{
	pl_cel_node *n = mk(p, PL_CN_CALL, off);
	n->name = name;
	n->nargs = nargs;
	n->args = pl_arena_alloc(p->a, 3 * sizeof *n->args);
	n->args[0] = a0;
	n->args[1] = a1;
	n->args[2] = a2;
	return n;
}

static int expr(cel_parser *p, pl_cel_node **out);

/* A list of expressions up to close; trailing ',' allowed when trail. */
static int exprlist(cel_parser *p, const char *close, bool trail, bool pairs,
                    const pl_cel_node ***out, size_t *nout)
{
	const pl_cel_node **v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	while (!is_punct(p, close)) {
		pl_cel_node *e;
		if (n + 2 > cap) {
			const pl_cel_node **nv;
			cap = cap ? cap * 2 : 8;
			nv = pl_arena_alloc(p->a, cap * sizeof *nv);
			if (n)
				memcpy(nv, v, n * sizeof *nv);
			v = nv;
		}
		rc = expr(p, &e);
		if (rc)
			return rc;
		v[n++] = e;
		if (pairs) {
			rc = expect(p, ":");
			if (!rc)
				rc = expr(p, &e);
			if (rc)
				return rc;
			v[n++] = e;
		}
		if (!is_punct(p, ","))
			break;
		rc = pl_cel__next(p);
		if (rc)
			return rc;
		if (!trail && is_punct(p, close))
			return pl_cel__fail(p, p->t.off, "unexpected '%s'",
			                    close);
	}
	*out = v;
	*nout = n;
	return expect(p, close);
}

/* Message construction: Name{field: expr, ...}. */
static int structlit(cel_parser *p, pl_cel_node *n)
{
	const pl_cel_node **v = NULL;
	size_t len = 0, cap = 0;
	int rc = pl_cel__next(p);

	while (!rc && !is_punct(p, "}")) {
		pl_cel_node *f, *e;
		if (p->t.kind != T_IDENT)
			return pl_cel__fail(p, p->t.off,
			                    "expected a field name");
		f = mk(p, PL_CN_IDENT, p->t.off);
		f->name = p->t.s;
		rc = pl_cel__next(p);
		if (!rc)
			rc = expect(p, ":");
		if (!rc)
			rc = expr(p, &e);
		if (rc)
			return rc;
		if (len + 2 > cap) {
			const pl_cel_node **nv;
			cap = cap ? cap * 2 : 8;
			nv = pl_arena_alloc(p->a, cap * sizeof *nv);
			if (len)
				memcpy(nv, v, len * sizeof *nv);
			v = nv;
		}
		v[len++] = f;
		v[len++] = e;
		if (!is_punct(p, ","))
			break;
		rc = pl_cel__next(p);
	}
	if (rc)
		return rc;
	n->args = v;
	n->nargs = len;
	return expect(p, "}");
}

static int primary(cel_parser *p, pl_cel_node **out)
{
	pl_cel_node *n;
	uint32_t off = p->t.off;
	int rc;
	bool root = false;

	switch (p->t.kind) {
	case T_INT:
		if (p->t.u > (uint64_t)INT64_MAX)
			return pl_cel__fail(p, off,
			                    "integer literal overflows");
		n = mk(p, PL_CN_LIT, off);
		n->lit = pl_cel_int(p->a, (int64_t)p->t.u);
		*out = n;
		return pl_cel__next(p);
	case T_UINT:
		n = mk(p, PL_CN_LIT, off);
		n->lit = pl_cel_uint(p->a, p->t.u);
		*out = n;
		return pl_cel__next(p);
	case T_DOUBLE:
		n = mk(p, PL_CN_LIT, off);
		n->lit = pl_cel_double(p->a, p->t.d);
		*out = n;
		return pl_cel__next(p);
	case T_STRING:
	case T_BYTES:
		n = mk(p, PL_CN_LIT, off);
		n->lit = p->t.kind == T_STRING
		                 ? pl_cel_string(p->a, p->t.s, p->t.slen)
		                 : pl_cel_bytes(p->a, p->t.s, p->t.slen);
		*out = n;
		return pl_cel__next(p);
	case T_TRUE:
	case T_FALSE:
	case T_NULL:
		n = mk(p, PL_CN_LIT, off);
		n->lit = p->t.kind == T_NULL ? pl_cel_null()
		                             : pl_cel_bool(p->t.kind == T_TRUE);
		*out = n;
		return pl_cel__next(p);
	case T_PUNCT:
		break;
	case T_EOF:
		return pl_cel__fail(p, off, "unexpected end of expression");
	case T_IN:
		return pl_cel__fail(p, off, "unexpected 'in'");
	case T_IDENT:
		goto ident;
	}
	if (is_punct(p, "(")) {
		rc = pl_cel__next(p);
		if (!rc)
			rc = expr(p, out);
		if (!rc)
			rc = expect(p, ")");
		return rc;
	}
	if (is_punct(p, "[") || is_punct(p, "{")) {
		bool map = is_punct(p, "{");
		n = mk(p, map ? PL_CN_MAP : PL_CN_LIST, off);
		rc = pl_cel__next(p);
		if (!rc)
			rc = exprlist(p, map ? "}" : "]", true, map, &n->args,
			              &n->nargs);
		*out = n;
		return rc;
	}
	if (is_punct(p, ".")) {
		root = true;
		rc = pl_cel__next(p);
		if (rc)
			return rc;
		if (p->t.kind != T_IDENT)
			return pl_cel__fail(p, p->t.off,
			                    "expected an identifier");
		goto ident;
	}
	return pl_cel__fail(p, off, "unexpected '%s'", p->t.p);
ident:
	if (p->t.quoted)
		return pl_cel__fail(p, p->t.off,
		                    "a quoted name selects a field only");
	if (pl_cel__is_reserved(p->t.s))
		return pl_cel__fail(p, p->t.off, "reserved identifier '%s'",
		                    p->t.s);
	n = mk(p, PL_CN_IDENT, p->t.off);
	n->name = p->t.s;
	n->root = root;
	rc = pl_cel__next(p);
	if (rc)
		return rc;
	if (is_punct(p, "(")) {
		n->kind = PL_CN_CALL;
		rc = pl_cel__next(p);
		if (!rc)
			rc = exprlist(p, ")", false, false, &n->args,
			              &n->nargs);
	}
	*out = n;
	return rc;
}

static int member(cel_parser *p, pl_cel_node **out)
{
	pl_cel_node *n, *m;
	bool quoted;
	unsigned chain = 0;
	int rc = primary(p, &n);

	while (!rc) {
		uint32_t off = p->t.off;
		/* a.b.c...: each step nests the tree one level deeper */
		if ((is_punct(p, ".") || is_punct(p, "[") ||
		     is_punct(p, "{")) &&
		    ++chain > PL_CEL_MAX_DEPTH)
			return pl_cel__fail(p, off,
			                    "expression nested too deeply");
		if (is_punct(p, ".")) {
			rc = pl_cel__next(p);
			if (rc)
				break;
			if (p->t.kind != T_IDENT && p->t.kind != T_IN &&
			    p->t.kind != T_TRUE && p->t.kind != T_FALSE &&
			    p->t.kind != T_NULL)
				return pl_cel__fail(
				        p, p->t.off,
				        "expected a field name after '.'");
			if (p->t.kind != T_IDENT)
				return pl_cel__fail(
				        p, p->t.off,
				        "reserved word '%s' as a field name",
				        p->t.s);
			m = mk(p, PL_CN_SELECT, off);
			m->name = p->t.s;
			m->target = n;
			quoted = p->t.quoted;
			rc = pl_cel__next(p);
			if (!rc && !quoted && is_punct(p, "(")) {
				m->kind = PL_CN_CALL;
				rc = pl_cel__next(p);
				if (!rc)
					rc = exprlist(p, ")", false, false,
					              &m->args, &m->nargs);
			}
			n = m;
		} else if (is_punct(p, "[")) {
			pl_cel_node *i;
			rc = pl_cel__next(p);
			if (!rc)
				rc = expr(p, &i);
			if (!rc)
				rc = expect(p, "]");
			n = mkcall(p, "_[_]", off, 2, n, i, NULL);
		} else if (is_punct(p, "{") && (n->kind == PL_CN_IDENT ||
		                                n->kind == PL_CN_SELECT)) {
			m = mk(p, PL_CN_STRUCT, off);
			m->target = n;
			rc = structlit(p, m);
			n = m;
		} else {
			break;
		}
	}
	*out = n;
	return rc;
}

static int unary(cel_parser *p, pl_cel_node **out)
{
	uint32_t off = p->t.off;
	int rc;

	if (is_punct(p, "!") || is_punct(p, "-")) {
		bool neg = is_punct(p, "-");
		pl_cel_node *e;
		if (++p->depth > PL_CEL_MAX_DEPTH)
			return pl_cel__fail(p, off,
			                    "expression nested too deeply");
		rc = pl_cel__next(p);
		if (rc)
			return rc;
		/* -9223372036854775808 is a literal, not -(2^63) */
		if (neg && p->t.kind == T_INT &&
		    p->t.u == (uint64_t)INT64_MAX + 1) {
			pl_cel_node *n = mk(p, PL_CN_LIT, off);
			n->lit = pl_cel_int(p->a, INT64_MIN);
			rc = pl_cel__next(p);
			e = n;
			if (!rc && (is_punct(p, ".") || is_punct(p, "[")))
				return pl_cel__fail(p, p->t.off,
				                    "unexpected '%s'", p->t.p);
			p->depth--;
			*out = e;
			return rc;
		}
		rc = unary(p, &e);
		p->depth--;
		if (rc)
			return rc;
		*out = mkcall(p, neg ? "-_" : "!_", off, 1, e, NULL, NULL);
		return 0;
	}
	return member(p, out);
}

typedef struct binop {
	const char *tok, *name;
} binop;

static int binary(cel_parser *p, int level, pl_cel_node **out)
{
	static const binop mul[] = {{"*", "_*_"}, {"/", "_/_"}, {"%", "_%_"}};
	static const binop add[] = {{"+", "_+_"}, {"-", "_-_"}};
	static const binop rel[] = {{"==", "_==_"}, {"!=", "_!=_"},
	                            {"<", "_<_"},   {"<=", "_<=_"},
	                            {">", "_>_"},   {">=", "_>=_"}};
	const binop *ops = level == 0 ? rel : level == 1 ? add : mul;
	size_t nops = level == 0 ? 6 : level == 1 ? 2 : 3;
	pl_cel_node *l, *r;
	int rc = level == 2 ? unary(p, &l) : binary(p, level + 1, &l);

	while (!rc) {
		const char *name = NULL;
		uint32_t off = p->t.off;
		size_t k;
		for (k = 0; k < nops; k++)
			if (is_punct(p, ops[k].tok))
				name = ops[k].name;
		if (level == 0 && p->t.kind == T_IN)
			name = "@in";
		if (!name)
			break;
		rc = pl_cel__next(p);
		if (!rc)
			rc = level == 2 ? unary(p, &r)
			                : binary(p, level + 1, &r);
		if (!rc)
			l = mkcall(p, name, off, 2, l, r, NULL);
	}
	*out = l;
	return rc;
}

static int logic(cel_parser *p, bool isor, pl_cel_node **out)
{
	pl_cel_node *l, *r;
	int rc = isor ? logic(p, false, &l) : binary(p, 0, &l);

	while (!rc && is_punct(p, isor ? "||" : "&&")) {
		uint32_t off = p->t.off;
		rc = pl_cel__next(p);
		if (!rc)
			rc = isor ? logic(p, false, &r) : binary(p, 0, &r);
		if (!rc)
			l = mkcall(p, isor ? "_||_" : "_&&_", off, 2, l, r,
			           NULL);
	}
	*out = l;
	return rc;
}

static int expr(cel_parser *p, pl_cel_node **out)
{
	pl_cel_node *c, *a, *b;
	uint32_t off;
	int rc;

	if (++p->depth > PL_CEL_MAX_DEPTH)
		return pl_cel__fail(p, p->t.off,
		                    "expression nested too deeply");
	rc = logic(p, true, &c);
	if (!rc && is_punct(p, "?")) {
		off = p->t.off;
		rc = pl_cel__next(p);
		if (!rc)
			rc = logic(p, true, &a);
		if (!rc)
			rc = expect(p, ":");
		if (!rc)
			rc = expr(p, &b);
		if (!rc)
			c = mkcall(p, "_?_:_", off, 3, c, a, b);
	}
	p->depth--;
	*out = c;
	return rc;
}

int pl_cel_parse(pl_cel_ast **out, pl_arena *a, const char *src, size_t len,
                 const pl_cel_env *env, pl_error *err)
{
	cel_parser p;
	pl_cel_node *root = NULL;
	pl_cel_ast *ast;
	int rc;

	(void)env;
	memset(&p, 0, sizeof p);
	p.a = a;
	p.src = src;
	p.len = len;
	p.err = err;
	*out = NULL;
	if (len > PL_CEL_MAX_LEN) {
		pl_error_set(err, PL_EPARSE, NULL, NULL,
		             "expression longer than %u bytes", PL_CEL_MAX_LEN);
		return PL_EPARSE;
	}
	rc = pl_cel__next(&p);
	if (!rc)
		rc = expr(&p, &root);
	if (!rc && p.t.kind != T_EOF)
		rc = pl_cel__fail(&p, p.t.off,
		                  "unexpected %s after the expression",
		                  p.t.kind == T_PUNCT ? p.t.p : "token");
	if (rc)
		return PL_EPARSE;
	ast = pl_arena_zalloc(a, sizeof *ast);
	ast->root = root;
	ast->src = src;
	ast->len = len;
	*out = ast;
	return 0;
}
