/*
 * cmd_lsp.c - `plumb lsp`: the Language Server Protocol on standard input
 * and output, for editors (run/lsp.c). No options besides --help: the
 * client names the workspace root at initialize, and .plumb.yaml there
 * configures the run as it does for `plumb check`.
 */
#include "cli/cmd.h"
#include "cli/opt.h"
#include "run/run.h"

int pl_cmd_lsp(int argc, char **argv)
{
	const char **args = NULL;
	size_t nargs = 0;
	bool help = false;
	pl_error err;
	int code = 1, rc;

	pl_error_clear(&err);
	rc = pl_opt_parse(NULL, 0, argc, argv, &args, &nargs, &help, &err);
	free(args);
	if (rc == 0 && help) {
		pl_opt_usage(stdout, "plumb lsp",
		             "Serve the Language Server Protocol 3.17 on "
		             "standard input and output: diagnostics as\n"
		             "you type, code actions (fixes, plumb:ignore "
		             "lines) and hover (the rule's explanation).\n"
		             "The workspace root comes from the client; "
		             "logs go to standard error.",
		             NULL, 0);
		return 0;
	}
	if (rc == 0 && nargs)
		rc = pl_error_set(&err, PL_EUSAGE, NULL, NULL,
		                  "'lsp' takes no arguments (the client sends "
		                  "the workspace root)");
	if (rc == 0)
		rc = pl_run_lsp(stdin, stdout, &code, &err);
	if (rc)
		return pl_cmd_fail(&err);
	return code;
}
