/*
 * schema_cel.c - the x-kubernetes-validations rules of a schema (CRDs):
 * compiled with the schema (engine/cel), evaluated by schema_check.c
 * with `self` bound to the node, typed by its schema as the API server
 * types it (integer, number as double, string formats date-time and
 * duration as timestamp and duration; int-or-string and preserved
 * fields as they are written; a field whose value is null is absent,
 * as the API server has it).
 *
 * A rule that does not compile is a problem of the schema, kept in
 * pl_schema.cel_problems for the caller to report once at the rule's
 * own line; it is not evaluated. So is a rule whose messageExpression
 * does not compile or whose reason is not one the API server knows:
 * the API server refuses such a CRD, so no object is judged by that
 * rule. Transition rules (those that read oldSelf) cannot be judged
 * from one revision and are skipped.
 *
 * A broken rule's message is worded as the API server words its field
 * error: no reason or FieldValueInvalid, the message alone (the server
 * adds `Invalid value: "object"`, which says nothing more);
 * FieldValueForbidden `Forbidden: `, FieldValueRequired `Required
 * value: `, FieldValueDuplicate `Duplicate value: ` before it (the
 * server shows only the type there; plumb keeps the message).
 */
#include "schema/schema_cel.h"
#include "cel/cel_regex.h"

static const pl_sn *resolve(const pl_sn *sn)
{
	size_t depth = 0;

	while (sn && sn->ref && depth++ < 16)
		sn = sn->ref;
	return sn;
}

static const pl_sn *prop_schema(const pl_sn *sn, const char *name, size_t len)
{
	size_t i;

	sn = resolve(sn);
	if (!sn)
		return NULL;
	for (i = 0; i < sn->nprops; i++)
		if (sn->props[i].len == len &&
		    !memcmp(sn->props[i].name, name, len))
			return sn->props[i].sn;
	return sn->additional;
}

static const pl_cel_val *typed_string(pl_arena *a, const pl_sn *sn,
                                      const pl_node *n)
{
	const char *f = NULL;
	const pl_node *fmt;

	sn = resolve(sn);
	fmt = sn && sn->src ? pl_node_get(sn->src, "format") : NULL;
	if (fmt && pl_node_deref(fmt)->kind == PL_NODE_SCALAR)
		f = pl_node_deref(fmt)->u.scalar.str;
	if (f && (!strcmp(f, "date-time") || !strcmp(f, "duration"))) {
		/* the API server types these; a value that does not read
		 * stays a string (its format check reports it) */
		char expr[16];
		pl_cel_ast *ast;
		pl_cel_env env;
		pl_cel_var var = {"v", pl_cel_string(a, n->u.scalar.str,
		                                     n->u.scalar.len)};
		const pl_cel_val *v;
		snprintf(expr, sizeof expr, "%s(v)",
		         f[1] == 'a' ? "timestamp" : "duration");
		memset(&env, 0, sizeof env);
		env.vars = &var;
		env.nvars = 1;
		if (pl_cel_parse(&ast, a, expr, strlen(expr), &env, NULL) ==
		            0 &&
		    pl_cel_eval(&v, ast, &env, a, NULL) == 0)
			return v;
		return var.val;
	}
	return pl_cel_string(a, n->u.scalar.str, n->u.scalar.len);
}

const pl_cel_val *pl_schema_cel_value(pl_arena *a, const pl_sn *sn,
                                      const pl_node *n)
{
	pl_cel_val *v;
	const pl_sn *r;
	size_t i, k;

	n = pl_node_deref(n);
	if (!n)
		return pl_cel_null();
	r = resolve(sn);
	if (n->kind == PL_NODE_SEQUENCE) {
		v = pl_cel_new(a, PL_CEL_LIST);
		v->u.list.items = pl_arena_alloc(
		        a, (n->u.seq.len + 1) * sizeof *v->u.list.items);
		for (i = 0; i < n->u.seq.len; i++)
			v->u.list.items[i] = pl_schema_cel_value(
			        a, r ? r->items : NULL, n->u.seq.items[i]);
		v->u.list.len = n->u.seq.len;
		return v;
	}
	if (n->kind == PL_NODE_MAPPING) {
		v = pl_cel_new(a, PL_CEL_MAP);
		v->u.map.keys = pl_arena_alloc(
		        a, (n->u.map.len + 1) * sizeof *v->u.map.keys);
		v->u.map.vals = pl_arena_alloc(
		        a, (n->u.map.len + 1) * sizeof *v->u.map.vals);
		for (i = 0, k = 0; i < n->u.map.len; i++) {
			const pl_pair *p = &n->u.map.pairs[i];
			const pl_node *key = pl_node_deref(p->key);
			const pl_node *val = pl_node_deref(p->value);
			/* the API server treats null fields as absent */
			if (p->flags & PL_PAIR_DUPLICATE || !key || !val ||
			    (val->kind == PL_NODE_SCALAR &&
			     val->type == PL_TYPE_NULL))
				continue;
			v->u.map.keys[k] = pl_schema_cel_value(a, NULL, key);
			v->u.map.vals[k++] = pl_schema_cel_value(
			        a,
			        key->kind == PL_NODE_SCALAR && r
			                ? prop_schema(r, key->u.scalar.str,
			                              key->u.scalar.len)
			                : NULL,
			        p->value);
		}
		v->u.map.len = k;
		return v;
	}
	switch (n->type) {
	case PL_TYPE_NULL:
		return pl_cel_null();
	case PL_TYPE_BOOL:
		return pl_cel_bool(n->u.scalar.b);
	case PL_TYPE_INT:
		if ((n->flags & PL_NODE_INT_OVERFLOW) ||
		    (r && r->types == PL_SN_NUMBER))
			return pl_cel_double(a, pl_node_number(n));
		return pl_cel_int(a, n->u.scalar.i);
	case PL_TYPE_FLOAT:
		return pl_cel_double(a, n->u.scalar.f);
	default:
		return typed_string(a, r, n);
	}
}

static const char *scalar(const pl_node *m, const char *key)
{
	const pl_node *n = pl_node_deref(pl_node_get(m, key));
	return n && n->kind == PL_NODE_SCALAR ? n->u.scalar.str : NULL;
}

static void problem(pl_schema *s, const pl_node *at, const char *fmt, ...)
        PL_PRINTF(3, 4);

static void problem(pl_schema *s, const pl_node *at, const char *fmt, ...)
{
	pl_schema_error *e = pl_vec_push(&s->cel_problems);
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	memset(e, 0, sizeof *e);
	e->node = at;
	e->path = "";
	e->keyword = "x-kubernetes-validations";
	e->message = pl_arena_strdup(&s->arena, msg);
}

/* What a reason puts before the message, or NULL if it is unknown. */
static const char *reason_word(const char *reason)
{
	static const struct {
		const char *reason, *word;
	} words[] = {
	        {"FieldValueDuplicate", "Duplicate value: "},
	        {"FieldValueForbidden", "Forbidden: "},
	        {"FieldValueInvalid", ""},
	        {"FieldValueRequired", "Required value: "},
	};
	size_t i;

	if (!reason)
		return "";
	for (i = 0; i < sizeof words / sizeof *words; i++)
		if (!strcmp(reason, words[i].reason))
			return words[i].word;
	return NULL;
}

/* Does the rule read oldSelf (outside string literals, roughly)? */
static bool transition(const char *rule)
{
	const char *p = strstr(rule, "oldSelf");

	for (; p; p = strstr(p + 1, "oldSelf")) {
		char after = p[7];
		if ((p == rule ||
		     !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') ||
		       (p[-1] >= 'A' && p[-1] <= 'Z') ||
		       (p[-1] >= '0' && p[-1] <= '9'))) &&
		    !(after == '_' || (after >= 'a' && after <= 'z') ||
		      (after >= 'A' && after <= 'Z') ||
		      (after >= '0' && after <= '9')))
			return true;
	}
	return false;
}

void pl_schema__cel_compile(pl_schema *s, pl_sn *sn, const pl_node *m)
{
	const pl_node *list =
	        pl_node_deref(pl_node_get(m, "x-kubernetes-validations"));
	size_t i, n = 0;
	pl_cel_env env;

	if (!list)
		return;
	if (list->kind != PL_NODE_SEQUENCE) {
		problem(s, list, "x-kubernetes-validations must be a list");
		return;
	}
	memset(&env, 0, sizeof env);
	sn->cel = pl_arena_zalloc(&s->arena,
	                          (list->u.seq.len + 1) * sizeof *sn->cel);
	for (i = 0; i < list->u.seq.len; i++) {
		const pl_node *item = pl_node_deref(list->u.seq.items[i]);
		const pl_node *rn = pl_node_deref(pl_node_get(item, "rule"));
		const char *me = scalar(item, "messageExpression");
		pl_sn_cel *c = &sn->cel[n];
		pl_cel_ast *ast;
		pl_error err;
		if (!rn || rn->kind != PL_NODE_SCALAR) {
			problem(s, item ? item : list,
			        "x-kubernetes-validations entry has no rule");
			continue;
		}
		c->rule_node = rn;
		c->rule = rn->u.scalar.str;
		c->message = scalar(item, "message");
		c->field_path = scalar(item, "fieldPath");
		c->reason = reason_word(scalar(item, "reason"));
		if (!c->reason) {
			problem(s, pl_node_get(item, "reason"),
			        "x-kubernetes-validations reason '%.60s' is not "
			        "FieldValueInvalid, FieldValueForbidden, "
			        "FieldValueRequired or FieldValueDuplicate",
			        scalar(item, "reason"));
			continue;
		}
		if (transition(c->rule)) {
			c->transition = true;
			n++;
			continue;
		}
		pl_error_clear(&err);
		if (pl_cel_parse(&ast, &s->arena, rn->u.scalar.str,
		                 rn->u.scalar.len, &env, &err) != 0) {
			problem(s, rn,
			        "x-kubernetes-validations rule does not "
			        "compile: %u:%u: %s",
			        err.pos.line, err.pos.col, err.msg);
			continue;
		}
		c->ast = ast;
		c->msg_ast = NULL;
		if (me && pl_cel_parse(&ast, &s->arena, me, strlen(me), &env,
		                       &err) != 0) {
			/* the API server refuses the CRD: the rule is not
			 * run with its plain message instead */
			problem(s, pl_node_get(item, "messageExpression"),
			        "messageExpression does not compile: %u:%u: %s",
			        err.pos.line, err.pos.col, err.msg);
			continue;
		}
		if (me)
			c->msg_ast = ast;
		n++;
	}
	sn->ncel = n;
}

/* The node fieldPath names under inst (".a.b", ".a['b']"), or inst. */
static const pl_node *field_node(const pl_node *inst, const char *fp)
{
	const pl_node *n = inst;
	char key[256];

	while (fp && *fp && n) {
		size_t l = 0;
		if (*fp == '.') {
			fp++;
			while (fp[l] && fp[l] != '.' && fp[l] != '[' &&
			       l < sizeof key - 1)
				l++;
			memcpy(key, fp, l);
			fp += l;
		} else if (fp[0] == '[' && (fp[1] == '\'' || fp[1] == '"')) {
			char q = fp[1];
			fp += 2;
			while (fp[l] && fp[l] != q && l < sizeof key - 1)
				l++;
			memcpy(key, fp, l);
			fp += l;
			if (*fp == q)
				fp++;
			if (*fp == ']')
				fp++;
		} else {
			return inst;
		}
		key[l] = '\0';
		n = pl_node_deref(pl_node_get(n, key));
	}
	return n ? n : inst;
}

/* How much of a rule a message quotes: 60 bytes, cut between
 * characters. */
static int shown_len(const char *rule)
{
	size_t n = strlen(rule);

	if (n <= 60)
		return (int)n;
	n = 60;
	while (n > 0 && ((unsigned char)rule[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

/* Evaluates sn's rules on inst once; report NULL: nothing reported. */
static void run_once(const pl_sn *sn, const pl_node *inst, pl_arena *tmp,
                     void *regex, pl_schema_cel_report report, void *ud)
{
	pl_cel_var var;
	pl_cel_env env;
	size_t i;

	memset(&env, 0, sizeof env);
	var.name = "self";
	var.val = pl_schema_cel_value(tmp, sn, inst);
	env.vars = &var;
	env.nvars = 1;
	env.regex = pl_cel_regex_match;
	env.regex_ud = regex;
	for (i = 0; i < sn->ncel; i++) {
		const pl_sn_cel *c = &sn->cel[i];
		int cut = shown_len(c->rule);
		const pl_cel_val *v;
		pl_error err;
		char msg[600];
		const pl_node *at;
		int rc;
		if (c->transition || !c->ast)
			continue;
		pl_error_clear(&err);
		rc = pl_cel_eval(&v, c->ast, &env, tmp, &err);
		if (rc) {
			snprintf(msg, sizeof msg,
			         "rule '%.*s%s' ended in an error: %s", cut,
			         c->rule, c->rule[cut] ? "..." : "", err.msg);
		} else if (v->kind != PL_CEL_BOOL) {
			snprintf(msg, sizeof msg,
			         "rule '%.*s%s' gives %s, not a bool", cut,
			         c->rule, c->rule[cut] ? "..." : "",
			         pl_cel_type_name(v));
		} else if (v->u.b) {
			continue;
		} else {
			const pl_cel_val *m = NULL;
			if (c->msg_ast &&
			    pl_cel_eval(&m, c->msg_ast, &env, tmp, &err) == 0 &&
			    m->kind == PL_CEL_STRING && m->u.s.len)
				snprintf(msg, sizeof msg, "%s%s", c->reason,
				         m->u.s.ptr);
			else if (c->message && *c->message)
				snprintf(msg, sizeof msg, "%s%s", c->reason,
				         c->message);
			else
				snprintf(msg, sizeof msg, "%sfailed rule: %s",
				         c->reason, c->rule);
		}
		if (!report)
			continue;
		at = field_node(inst, c->field_path);
		report(ud, at, at != inst ? c->field_path : NULL, c->rule_node,
		       msg);
	}
}

/* PLUMB_BENCH_CEL_REPEAT=N, a measurement switch of make bench
 * (tests/README.md): every evaluation is done N times (1 to 1000),
 * reported once, so that CEL's share of a run stands above the noise
 * of a shared machine. */
static long bench_repeat(void)
{
	const char *e = getenv("PLUMB_BENCH_CEL_REPEAT");
	char *end;
	long n;

	if (!e || !*e)
		return 1;
	n = strtol(e, &end, 10);
	return *end || n < 1 ? 1 : n > 1000 ? 1000 : n;
}

void pl_schema__cel_run(const pl_sn *sn, const pl_node *inst, pl_arena *tmp,
                        void *regex, pl_schema_cel_report report, void *ud)
{
	long r, reps = bench_repeat();

	for (r = 0; r < reps; r++)
		run_once(sn, inst, tmp, regex, r ? NULL : report, ud);
}
