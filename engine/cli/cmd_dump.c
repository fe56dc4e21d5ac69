/*
 * cmd_dump.c - `plumb dump FILE`.
 */
#include "cli/cmd.h"
#include "cli/opt.h"
#include "run/run.h"

int pl_cmd_dump(int argc, char **argv)
{
	pl_error err;
	const char **args = NULL;
	size_t nargs = 0;
	bool help = false, bad = false;
	int rc;

	pl_error_clear(&err);
	rc = pl_opt_parse(NULL, 0, argc, argv, &args, &nargs, &help, &err);
	if (rc)
		return pl_cmd_fail(&err);
	if (help) {
		pl_opt_usage(stdout, "plumb dump FILE",
		             "Print each YAML document of FILE ('-': standard "
		             "input) as one line of JSON, with YAML 1.2\n"
		             "core resolution, aliases and merge keys "
		             "expanded. On a YAML error, print the documents\n"
		             "before it, then 'file:line:col: message' on "
		             "stderr, and exit 1.",
		             NULL, 0);
		free(args);
		return 0;
	}
	if (nargs != 1) {
		free(args);
		fprintf(stderr, "plumb: dump takes exactly one FILE; see "
		                "'plumb dump --help'\n");
		return 2;
	}
	rc = pl_run_dump(args[0], stdout, &bad, &err);
	free(args);
	if (rc)
		return pl_cmd_fail(&err);
	return bad ? 1 : 0;
}
