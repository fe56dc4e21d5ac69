/*
 * cmd_check.c - `plumb check [PATH...]`.
 */
#include "cli/cmd.h"
#include "base/quote.h"
#include "cli/opt.h"
#include "cli/term.h"
#include "run/history.h"
#include "run/run.h"
#include "base/xalloc.h"

#include <unistd.h>

int pl_cmd_check(int argc, char **argv)
{
	pl_run_opts o;
	pl_error err;
	const char *format = "text", *fail_on = NULL;
	const char *output = NULL, *stdin_name = NULL;
	const char *config = NULL, *rules = NULL, *diff_base = NULL;
	const char *baseline = NULL, *since = NULL, *schema_loc = NULL;
	char *schema_buf = NULL;
	const char **schema_dirs = NULL;
	bool strict = false;
	bool staged = false, history = false, help = false, no_ignore = false;
	bool include_worktree = false, new_only = false;
	unsigned jobs = 0;
	const char **args = NULL;
	size_t nargs = 0;
	bool failed = false;
	int rc;
	const pl_opt opts[] = {
	        {"format", 0, PL_OPT_STRING, "FORMAT",
	         "text, json, sarif or github (default text)", &format, false},
	        {"output", 'o', PL_OPT_STRING, "FILE",
	         "write the report to FILE", &output, false},
	        {"fail-on", 0, PL_OPT_STRING, "LEVEL",
	         "error, warning or info: lowest severity that fails (exit "
	         "1; default error)",
	         &fail_on, false},
	        {"stdin-filename", 0, PL_OPT_STRING, "NAME",
	         "the path reports give to standard input ('-')", &stdin_name,
	         false},
	        {"jobs", 'j', PL_OPT_UINT, "N",
	         "worker threads (default: one per core)", &jobs, false},
	        {"no-ignore", 0, PL_OPT_BOOL, NULL,
	         "lint files that .gitignore ignores", &no_ignore, false},
	        {"config", 0, PL_OPT_STRING, "FILE",
	         "configuration (default .plumb.yaml at the root)", &config,
	         false},
	        {"rules", 0, PL_OPT_STRING, "DIR",
	         "extra declarative rule files (a folder or one file)", &rules,
	         false},
	        {"schema-location", 0, PL_OPT_STRING, "DIR[:DIR...]",
	         "JSON Schemas in kubeconform's layout "
	         "({kind}-{group}-{version}.json), before the curated ones",
	         &schema_loc, false},
	        {"strict", 0, PL_OPT_BOOL, NULL,
	         "schema/invalid: unknown fields are findings", &strict, false},
	        {"baseline", 0, PL_OPT_STRING, "FILE",
	         "report only findings not recorded in FILE (plumb "
	         "baseline)",
	         &baseline, false},
	        {"staged", 0, PL_OPT_BOOL, NULL,
	         "lint the git index (pre-commit): report the staged files",
	         &staged, false},
	        {"diff-base", 0, PL_OPT_STRING, "REF",
	         "report only files changed since the merge-base with REF",
	         &diff_base, false},
	        {"include-worktree", 0, PL_OPT_BOOL, NULL,
	         "with --diff-base: uncommitted changes count too",
	         &include_worktree, false},
	        {"new-only", 0, PL_OPT_BOOL, NULL,
	         "with --diff-base: report only findings on added or changed "
	         "lines",
	         &new_only, false},
	        {"history", 0, PL_OPT_BOOL, NULL,
	         "scan every blob of git history for secrets", &history, false},
	        {"since", 0, PL_OPT_STRING, "REF",
	         "with --history: only commits REF does not reach", &since,
	         false},
	};
	const size_t nopts = sizeof(opts) / sizeof(opts[0]);

	pl_error_clear(&err);
	rc = pl_opt_parse(opts, nopts, argc, argv, &args, &nargs, &help, &err);
	if (rc)
		return pl_cmd_fail(&err);
	if (help) {
		pl_opt_usage(stdout, "plumb check [options] [PATH...]",
		             "Lint files and directories (default: the "
		             "current directory). PATH '-' reads one YAML\n"
		             "stream from standard input, e.g. 'kustomize "
		             "build . | plumb check -'.",
		             opts, nopts);
		free(args);
		return 0;
	}
	pl_run_opts_init(&o);
	if (pl_format_parse(&o.format, format) != 0) {
		char q[PL_ECHO_MAX * 4 + 16];
		pl_error_set(&err, PL_EUSAGE, NULL, NULL,
		             "unknown format '%s' (expected text, json, "
		             "sarif or github)",
		             pl_echo(q, sizeof(q), format));
		free(args);
		return pl_cmd_fail(&err);
	}
	if (fail_on && pl_severity_parse(&o.fail_on, fail_on, false) != 0) {
		char q[PL_ECHO_MAX * 4 + 16];
		pl_error_set(&err, PL_EUSAGE, NULL, NULL,
		             "unknown level '%s' for --fail-on (expected "
		             "error, warning or info)",
		             pl_echo(q, sizeof(q), fail_on));
		free(args);
		return pl_cmd_fail(&err);
	}
	{
		size_t i, dashes = 0;
		for (i = 0; i < nargs; i++)
			dashes += strcmp(args[i], "-") == 0;
		if (dashes > 1 || (stdin_name && dashes == 0)) {
			pl_error_set(&err, PL_EUSAGE, NULL, NULL,
			             dashes > 1 ? "'-' (standard input) may "
			                          "be given once"
			                        : "--stdin-filename needs '-' "
			                          "among the paths");
			free(args);
			return pl_cmd_fail(&err);
		}
	}
	if (staged && diff_base) {
		pl_error_set(&err, PL_EUSAGE, NULL, NULL,
		             "--staged and --diff-base do not go together");
		free(args);
		return pl_cmd_fail(&err);
	}
	if ((include_worktree || new_only) && !diff_base) {
		pl_error_set(&err, PL_EUSAGE, NULL, NULL,
		             "--%s needs --diff-base REF",
		             new_only ? "new-only" : "include-worktree");
		free(args);
		return pl_cmd_fail(&err);
	}
	if ((history && (staged || diff_base)) || (since && !history)) {
		pl_error_set(&err, PL_EUSAGE, NULL, NULL,
		             since && !history ? "--since needs --history"
		                               : "--history goes with neither "
		                                 "--staged nor --diff-base");
		free(args);
		return pl_cmd_fail(&err);
	}
	o.fail_on_set = fail_on != NULL;
	o.config = config;
	o.paths = args;
	o.npaths = nargs;
	o.stdin_filename = stdin_name;
	o.output = output;
	o.jobs = jobs;
	o.no_ignore = no_ignore;
	o.baseline = baseline;
	o.staged = staged;
	o.diff_base = diff_base;
	o.include_worktree = include_worktree;
	o.new_only = new_only;
	o.rule_dirs = rules ? &rules : NULL;
	o.nrule_dirs = rules ? 1 : 0;
	o.color = !output && pl_term_color(stdout);
	o.strict = strict;
	if (schema_loc) {
		/* DIR:DIR..., as PATH; empty entries are skipped */
		size_t n = 0;
		char *p, *next;
		schema_buf = pl_xstrdup(schema_loc);
		schema_dirs = pl_xcalloc(strlen(schema_loc) + 1,
		                         sizeof(*schema_dirs));
		for (p = schema_buf; p; p = next) {
			next = strchr(p, ':');
			if (next)
				*next++ = '\0';
			if (*p)
				schema_dirs[n++] = p;
		}
		o.schema_dirs = schema_dirs;
		o.nschema_dirs = n;
	}
	if (history)
		rc = pl_run_history(&o, since, isatty(STDERR_FILENO) == 1,
		                    &failed, &err);
	else
		rc = pl_run_check(&o, &failed, &err);
	free(args);
	free(schema_dirs);
	free(schema_buf);
	if (rc)
		return pl_cmd_fail(&err);
	return failed ? 1 : 0;
}
