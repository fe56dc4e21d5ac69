/*
 * cmd_cel.c - `plumb cel EXPR [--var NAME=VALUE ...]`: evaluates one CEL
 * expression as a CRD's x-kubernetes-validations rule would be, for
 * people writing rules.
 *
 * VALUE is JSON or YAML (`--var 'self={"replicas": 3}'`), read with the
 * typed tree, so integers stay integers. The value is printed in CEL
 * syntax on stdout. Exit 0 when the expression evaluated to a value, 1
 * when its evaluation ended in a CEL error (`1/0`, a missing key, the
 * cost limit), 2 when it does not parse or the command line is wrong;
 * errors go to stderr as `plumb: cel:LINE:COL: message` with the
 * expression and a caret under the column.
 */
#include "cel/cel.h"
#include "cli/cmd.h"
#include "cli/opt.h"
#include "base/buf.h"
#include "base/limit.h"
#include "cel/cel_regex.h"
#include "schema/schema_cel.h"
#include "tree/load.h"

#define ECHO_MAX 200

/* NAME=VALUE into *var; 0, or 2 after printing why. */
static int read_var(pl_cel_var *var, pl_arena *a, const char *arg)
{
	const char *eq = strchr(arg, '=');
	pl_source src;
	pl_tree tree;
	pl_limits lim;
	size_t len;
	char *data;
	int rc = 0;

	if (!eq || eq == arg) {
		fprintf(stderr, "plumb: --var takes NAME=VALUE, not '%s'\n",
		        arg);
		return 2;
	}
	var->name = pl_arena_strndup(a, arg, (size_t)(eq - arg));
	len = strlen(eq + 1);
	data = malloc(len + 1);
	if (!data) {
		fprintf(stderr, "plumb: out of memory\n");
		return 3;
	}
	memcpy(data, eq + 1, len + 1);
	pl_limits_default(&lim);
	pl_source_init(&src);
	pl_source_read_mem(&src, var->name, data, len, &lim);
	memset(&tree, 0, sizeof tree);
	if (pl_tree_load(&tree, a, &src, &lim) != 0 ||
	    tree.problem != PL_TREE_OK) {
		fprintf(stderr, "plumb: --var %s:%u:%u: %s\n", var->name,
		        tree.where.line, tree.where.col,
		        tree.message ? tree.message : "cannot read the value");
		rc = 2;
	} else if (tree.ndocs != 1) {
		fprintf(stderr, "plumb: --var %s: expected one value\n",
		        var->name);
		rc = 2;
	} else {
		var->val = pl_schema_cel_value(a, NULL, tree.docs[0].root);
	}
	pl_source_release(&src);
	return rc;
}

static void show_error(const char *expr, const pl_error *err)
{
	size_t len = strlen(expr), i, start = 0;
	uint32_t col, line = 1;

	fprintf(stderr, "plumb: cel:%u:%u: %s\n", err->pos.line, err->pos.col,
	        err->msg);
	if (len > ECHO_MAX * 10)
		return;
	/* the line of the error, then the caret */
	for (i = 0; i < len && line < err->pos.line; i++)
		if (expr[i] == '\n') {
			line++;
			start = i + 1;
		}
	fputs("  ", stderr);
	for (i = start; i < len && expr[i] != '\n' && i - start < ECHO_MAX; i++)
		fputc((unsigned char)expr[i] < 0x20 ? ' ' : expr[i], stderr);
	fputs("\n  ", stderr);
	for (col = 1; col < err->pos.col && col < ECHO_MAX; col++)
		fputc(' ', stderr);
	fputs("^\n", stderr);
}

int pl_cmd_cel(int argc, char **argv)
{
	bool help = false;
	unsigned cost = 0;
	pl_opt_list vars = {NULL, 0};
	const pl_opt opts[] = {
	        {"var", 0, PL_OPT_LIST, "NAME=VALUE",
	         "bind NAME to VALUE (JSON or YAML); repeatable", &vars, false},
	        {"cost-limit", 0, PL_OPT_UINT, "N",
	         "stop after N evaluation steps (default 1000000)", &cost,
	         false},
	};
	const char **args = NULL;
	size_t nargs = 0, i;
	pl_error err;
	pl_arena arena;
	pl_cel_env env;
	pl_cel_var *bound;
	pl_cel_ast *ast;
	pl_cel_regex *re;
	const pl_cel_val *v;
	pl_buf out;
	int rc;

	pl_error_clear(&err);
	rc = pl_opt_parse(opts, PL_ARRAY_SIZE(opts), argc, argv, &args, &nargs,
	                  &help, &err);
	if (rc)
		return pl_cmd_fail(&err);
	if (help) {
		pl_opt_usage(
		        stdout, "plumb cel [options] EXPR",
		        "Evaluate a CEL expression, as the API server evaluates "
		        "a CRD's\nx-kubernetes-validations rule, and print its "
		        "value ('self' is whatever --var binds).\n\n"
		        "Exit 0 when EXPR evaluated to a value, 1 when its "
		        "evaluation ended in an error\n(division by zero, a "
		        "missing field, the cost limit), 2 when EXPR does not "
		        "parse\nor the command line is wrong (reported as "
		        "'plumb: cel:LINE:COL: message').",
		        opts, PL_ARRAY_SIZE(opts));
		free(args);
		free(vars.items);
		return 0;
	}
	if (nargs != 1) {
		free(args);
		free(vars.items);
		fprintf(stderr, "plumb: cel takes one EXPR; see 'plumb cel "
		                "--help'\n");
		return 2;
	}
	pl_arena_init(&arena);
	bound = pl_arena_zalloc(&arena, (vars.len + 1) * sizeof *bound);
	for (i = 0; i < vars.len; i++) {
		rc = read_var(&bound[i], &arena, vars.items[i].value);
		if (rc)
			goto done;
	}
	memset(&env, 0, sizeof env);
	env.vars = bound;
	env.nvars = vars.len;
	env.cost_limit = cost;
	re = pl_cel_regex_new();
	env.regex = pl_cel_regex_match;
	env.regex_ud = re;
	rc = pl_cel_parse(&ast, &arena, args[0], strlen(args[0]), &env, &err);
	if (rc) {
		show_error(args[0], &err);
		rc = 2;
	} else if (pl_cel_eval(&v, ast, &env, &arena, &err) != 0) {
		show_error(args[0], &err);
		rc = 1;
	} else {
		pl_buf_init(&out, 0);
		pl_cel_format(&out, v);
		printf("%s\n", out.ptr);
		pl_buf_release(&out);
		rc = 0;
	}
	pl_cel_regex_free(re);
done:
	pl_arena_release(&arena);
	free(args);
	free(vars.items);
	return rc;
}
