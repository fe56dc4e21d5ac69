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
	const char *root = NULL;
	char *schema_buf = NULL;
	const char **schema_dirs = NULL;
	bool strict = false;
	bool staged = false, history = false, help = false, no_ignore = false;
	bool include_worktree = false, new_only = false, quiet = false;
	bool summary = false, fix = false, dry_run = false;
	const char *color = "auto";
	pl_opt_list toggles = {NULL, 0};
	pl_rule_toggle *tg = NULL;
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
	         "error, warning, info or none: lowest severity that fails "
	         "(exit 1; default error; none: report, exit 0)",
	         &fail_on, false},
	        {"enable", 0, PL_OPT_LIST, "RULE|FAMILY",
	         "switch a rule or family on (repeatable; wins over "
	         ".plumb.yaml)",
	         &toggles, false},
	        {"disable", 0, PL_OPT_LIST, "RULE|FAMILY",
	         "switch a rule or family off (repeatable; wins over "
	         ".plumb.yaml)",
	         &toggles, false},
	        {"quiet", 'q', PL_OPT_BOOL, NULL,
	         "text: the finding lines only, no excerpts or summary", &quiet,
	         false},
	        {"summary", 0, PL_OPT_BOOL, NULL,
	         "text: after the findings, a table of the rules that "
	         "fired: severity, findings, suppressed",
	         &summary, false},
	        {"color", 0, PL_OPT_STRING, "WHEN",
	         "auto, always or never (default auto: on a terminal, "
	         "unless NO_COLOR is set)",
	         &color, false},
	        {"stdin-filename", 0, PL_OPT_STRING, "NAME",
	         "the path reports give to standard input ('-')", &stdin_name,
	         false},
	        {"jobs", 'j', PL_OPT_UINT, "N",
	         "worker threads (default: one per core)", &jobs, false},
	        {"no-ignore", 0, PL_OPT_BOOL, NULL,
	         "lint files that .gitignore ignores", &no_ignore, false},
	        {"root", 0, PL_OPT_STRING, "DIR",
	         "the repository root (default: the git top level, else the "
	         "nearest folder above holding .plumb.yaml, else . when it "
	         "holds the PATHs)",
	         &root, false},
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
	         "lint the git index (pre-commit): report the staged files "
	         "(under the PATHs)",
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
	         "scan every blob of git history (under the PATHs) for "
	         "secrets",
	         &history, false},
	        {"since", 0, PL_OPT_STRING, "REF",
	         "with --history: only commits REF does not reach", &since,
	         false},
	        {"fix", 0, PL_OPT_BOOL, NULL,
	         "apply the mechanical fixes findings carry to the files, "
	         "lint again until nothing changes, then report what is left",
	         &fix, false},
	        {"dry-run", 0, PL_OPT_BOOL, NULL,
	         "with --fix: print the fixes as a unified diff instead; "
	         "change nothing",
	         &dry_run, false},
	};
	const size_t nopts = sizeof(opts) / sizeof(opts[0]);

	pl_error_clear(&err);
	rc = pl_opt_parse(opts, nopts, argc, argv, &args, &nargs, &help, &err);
	if (rc) {
		free(toggles.items);
		return pl_cmd_fail(&err);
	}
	if (help) {
		pl_opt_usage(stdout, "plumb check [options] [PATH...]",
		             "Lint files and directories (default: the "
		             "current directory). PATH '-' reads one YAML\n"
		             "stream from standard input, e.g. 'kustomize "
		             "build . | plumb check -'.",
		             opts, nopts);
		free(args);
		free(toggles.items);
		return 0;
	}
	if (strcmp(color, "auto") != 0 && strcmp(color, "always") != 0 &&
	    strcmp(color, "never") != 0) {
		pl_error_set(&err, PL_EUSAGE, NULL, NULL,
		             "unknown value '%s' for --color (expected auto, "
		             "always or never)",
		             color);
		goto fail;
	}
	pl_run_opts_init(&o);
	if (pl_format_parse(&o.format, format) != 0) {
		char q[PL_ECHO_MAX * 4 + 16];
		pl_error_set(&err, PL_EUSAGE, NULL, NULL,
		             "unknown format '%s' (expected text, json, "
		             "sarif or github)",
		             pl_echo(q, sizeof(q), format));
		goto fail;
	}
	if (fail_on && strcmp(fail_on, "none") == 0) {
		o.fail_on = PL_SEV_OFF; /* report everything, exit 0 */
	} else if (fail_on &&
	           pl_severity_parse(&o.fail_on, fail_on, false) != 0) {
		char q[PL_ECHO_MAX * 4 + 16];
		pl_error_set(&err, PL_EUSAGE, NULL, NULL,
		             "unknown level '%s' for --fail-on (expected "
		             "error, warning, info or none)",
		             pl_echo(q, sizeof(q), fail_on));
		goto fail;
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
			goto fail;
		}
	}
	if (staged && diff_base) {
		pl_error_set(&err, PL_EUSAGE, NULL, NULL,
		             "--staged and --diff-base do not go together");
		goto fail;
	}
	if ((include_worktree || new_only) && !diff_base) {
		pl_error_set(&err, PL_EUSAGE, NULL, NULL,
		             "--%s needs --diff-base REF",
		             new_only ? "new-only" : "include-worktree");
		goto fail;
	}
	if ((history && (staged || diff_base)) || (since && !history)) {
		pl_error_set(&err, PL_EUSAGE, NULL, NULL,
		             since && !history ? "--since needs --history"
		                               : "--history goes with neither "
		                                 "--staged nor --diff-base");
		goto fail;
	}
	if (dry_run && !fix) {
		pl_error_set(&err, PL_EUSAGE, NULL, NULL,
		             "--dry-run needs --fix");
		goto fail;
	}
	if (fix && (staged || history)) {
		pl_error_set(&err, PL_EUSAGE, NULL, NULL,
		             "--fix rewrites the working tree; it does not go "
		             "with --%s",
		             staged ? "staged" : "history");
		goto fail;
	}
	if (fix) {
		size_t i;
		for (i = 0; i < nargs; i++)
			if (strcmp(args[i], "-") == 0)
				break;
		if (i < nargs) {
			pl_error_set(
			        &err, PL_EUSAGE, NULL, NULL,
			        "--fix rewrites files; standard input ('-') "
			        "has none to rewrite");
			goto fail;
		}
	}
	if (dry_run && output) {
		pl_error_set(&err, PL_EUSAGE, NULL, NULL,
		             "--fix --dry-run prints a diff, not a report: "
		             "-o does not go with it");
		goto fail;
	}
	if (summary && o.format != PL_FORMAT_TEXT) {
		pl_error_set(&err, PL_EUSAGE, NULL, NULL,
		             "--summary goes with --format text (json and "
		             "sarif carry every finding to count)");
		goto fail;
	}
	o.fail_on_set = fail_on != NULL;
	o.config = config;
	o.paths = args;
	o.npaths = nargs;
	o.stdin_filename = stdin_name;
	o.output = output;
	o.jobs = jobs;
	o.no_ignore = no_ignore;
	o.root = root;
	o.baseline = baseline;
	o.staged = staged;
	o.diff_base = diff_base;
	o.include_worktree = include_worktree;
	o.new_only = new_only;
	o.rule_dirs = rules ? &rules : NULL;
	o.nrule_dirs = rules ? 1 : 0;
	if (strcmp(color, "auto") == 0)
		o.color = !output && pl_term_color(stdout);
	else
		o.color = strcmp(color, "always") == 0;
	o.quiet = quiet;
	o.summary = summary;
	if (toggles.len) {
		size_t i;
		tg = pl_xcalloc(toggles.len, sizeof(*tg));
		for (i = 0; i < toggles.len; i++) {
			tg[i].id = toggles.items[i].value;
			tg[i].on = strcmp(toggles.items[i].name, "enable") == 0;
		}
		o.toggles = tg;
		o.ntoggles = toggles.len;
	}
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
	else if (fix)
		rc = pl_run_fix(&o, dry_run, &failed, &err);
	else
		rc = pl_run_check(&o, &failed, &err);
	free(args);
	free(schema_dirs);
	free(schema_buf);
	free(toggles.items);
	free(tg);
	if (rc)
		return pl_cmd_fail(&err);
	return failed ? 1 : 0;
fail: /* a usage error, before anything ran */
	free(args);
	free(toggles.items);
	return pl_cmd_fail(&err);
}
