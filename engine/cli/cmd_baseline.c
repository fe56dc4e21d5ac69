/*
 * cmd_baseline.c - `plumb baseline [-o FILE] [PATH...]`: record today's
 * findings so that `plumb check --baseline FILE` reports only new ones
 * (adopting plumb on an old repository without fixing everything first).
 */
#include "cli/cmd.h"
#include "cli/opt.h"
#include "run/run.h"

int pl_cmd_baseline(int argc, char **argv)
{
	pl_run_opts o;
	pl_error err;
	const char *output = ".plumb-baseline.json", *config = NULL;
	const char **args = NULL;
	size_t nargs = 0;
	bool help = false, failed = false, no_ignore = false;
	unsigned jobs = 0;
	int rc;
	const pl_opt opts[] = {
	        {"output", 'o', PL_OPT_STRING, "FILE",
	         "where to write the baseline (default .plumb-baseline.json)",
	         &output, false},
	        {"config", 0, PL_OPT_STRING, "FILE",
	         "configuration (default .plumb.yaml at the root)", &config,
	         false},
	        {"jobs", 'j', PL_OPT_UINT, "N",
	         "worker threads (default: one per core)", &jobs, false},
	        {"no-ignore", 0, PL_OPT_BOOL, NULL,
	         "lint files that .gitignore ignores", &no_ignore, false},
	};
	const size_t nopts = sizeof(opts) / sizeof(opts[0]);

	pl_error_clear(&err);
	rc = pl_opt_parse(opts, nopts, argc, argv, &args, &nargs, &help, &err);
	if (rc)
		return pl_cmd_fail(&err);
	if (help) {
		pl_opt_usage(
		        stdout, "plumb baseline [options] [PATH...]",
		        "Record the findings of PATH (default: the current "
		        "directory) by fingerprint, so that\n'plumb check "
		        "--baseline FILE' reports only findings that are "
		        "not in it. Suppressed\nfindings are not "
		        "recorded. Fingerprints survive unrelated edits "
		        "(moved lines, re-indented\nblocks).",
		        opts, nopts);
		free(args);
		return 0;
	}
	pl_run_opts_init(&o);
	o.paths = args;
	o.npaths = nargs;
	o.config = config;
	o.jobs = jobs;
	o.no_ignore = no_ignore;
	o.baseline_out = output;
	o.build = pl_cmd_build_id();
	rc = pl_run_check(&o, &failed, &err);
	free(args);
	if (rc)
		return pl_cmd_fail(&err);
	return 0;
}
