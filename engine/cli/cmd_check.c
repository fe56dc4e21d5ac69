/*
 * cmd_check.c - `plumb check [PATH...]`.
 */
#include "cli/cmd.h"
#include "base/quote.h"
#include "cli/opt.h"
#include "cli/term.h"
#include "run/history.h"
#include "run/run.h"
#include "base/buf.h"
#include "base/xalloc.h"
#include "report/report.h"

#include <unistd.h>

/* What the command line of `plumb check` says. */
typedef struct args {
	const char *format, *fail_on, *output, *stdin_name, *config, *rules;
	const char *diff_base, *baseline, *since, *schema_loc, *root, *color;
	bool strict, staged, history, help, no_ignore, include_worktree;
	bool new_only, quiet, summary, fix, dry_run, no_cache;
	pl_opt_list toggles;
	unsigned jobs;
	const char **paths; /* the PATHs, heap array borrowed from argv */
	size_t npaths;
	/* what args_to_opts built, freed with the args */
	pl_rule_toggle *tg;
	char *schema_buf;
	const char **schema_dirs;
	char *format_help; /* --format's help, from the reporters' table */
} args;

#define NOPTS 26

/* "text, json, sarif or github (default text)": the reporters' table
 * (report.c) names the formats, so --help, the completions generated
 * from it and the error for an unknown format cannot drift from what
 * --format accepts. Heap string, the caller's. */
static char *format_help(void)
{
	pl_buf b;
	pl_buf_init(&b, 0);
	pl_report_format_names(&b);
	pl_buf_addf(&b, " (default %s)", pl_reporters[PL_FORMAT_TEXT].name);
	return pl_buf_detach(&b, NULL);
}

/* The option table of `plumb check` (parsing and --help), over a. */
static void check_options(pl_opt out[NOPTS], args *a)
{
	const pl_opt table[] = {
	        {"format", 0, PL_OPT_STRING, "FORMAT", a->format_help,
	         &a->format, false},
	        {"output", 'o', PL_OPT_STRING, "FILE",
	         "write the report to FILE", &a->output, false},
	        {"fail-on", 0, PL_OPT_STRING, "LEVEL",
	         "error, warning, info or none: lowest severity that fails "
	         "(exit 1; default error; none: report, exit 0)",
	         &a->fail_on, false},
	        {"enable", 0, PL_OPT_LIST, "RULE|FAMILY",
	         "switch a rule or family on (repeatable; wins over "
	         ".plumb.yaml)",
	         &a->toggles, false},
	        {"disable", 0, PL_OPT_LIST, "RULE|FAMILY",
	         "switch a rule or family off (repeatable; wins over "
	         ".plumb.yaml)",
	         &a->toggles, false},
	        {"quiet", 'q', PL_OPT_BOOL, NULL,
	         "text: the finding lines only, no excerpts or summary",
	         &a->quiet, false},
	        {"summary", 0, PL_OPT_BOOL, NULL,
	         "text: after the findings, a table of the rules that "
	         "fired: severity, findings, suppressed",
	         &a->summary, false},
	        {"color", 0, PL_OPT_STRING, "WHEN",
	         "auto, always or never (default auto: on a terminal, "
	         "unless NO_COLOR is set)",
	         &a->color, false},
	        {"stdin-filename", 0, PL_OPT_STRING, "NAME",
	         "the path reports give to standard input ('-')",
	         &a->stdin_name, false},
	        {"jobs", 'j', PL_OPT_UINT, "N",
	         "worker threads (default: one per core)", &a->jobs, false},
	        {"no-ignore", 0, PL_OPT_BOOL, NULL,
	         "lint files that .gitignore ignores", &a->no_ignore, false},
	        {"no-cache", 0, PL_OPT_BOOL, NULL,
	         "do not read or write the cache of per-file findings "
	         "(.git/plumb/cache, else $XDG_CACHE_HOME/plumb)",
	         &a->no_cache, false},
	        {"root", 0, PL_OPT_STRING, "DIR",
	         "the repository root (default: the git top level, else the "
	         "nearest folder above holding .plumb.yaml, else . when it "
	         "holds the PATHs)",
	         &a->root, false},
	        {"config", 0, PL_OPT_STRING, "FILE",
	         "configuration (default .plumb.yaml at the root)", &a->config,
	         false},
	        {"rules", 0, PL_OPT_STRING, "DIR",
	         "extra declarative rule files (a folder or one file)",
	         &a->rules, false},
	        {"schema-location", 0, PL_OPT_STRING, "DIR[:DIR...]",
	         "JSON Schemas in kubeconform's layout "
	         "({kind}-{group}-{version}.json), before the curated ones",
	         &a->schema_loc, false},
	        {"strict", 0, PL_OPT_BOOL, NULL,
	         "schema/invalid: unknown fields are findings", &a->strict,
	         false},
	        {"baseline", 0, PL_OPT_STRING, "FILE",
	         "report only findings not recorded in FILE (plumb "
	         "baseline)",
	         &a->baseline, false},
	        {"staged", 0, PL_OPT_BOOL, NULL,
	         "lint the git index (pre-commit): report the staged files "
	         "(under the PATHs)",
	         &a->staged, false},
	        {"diff-base", 0, PL_OPT_STRING, "REF",
	         "report only files changed since the merge-base with REF",
	         &a->diff_base, false},
	        {"include-worktree", 0, PL_OPT_BOOL, NULL,
	         "with --diff-base: uncommitted changes count too",
	         &a->include_worktree, false},
	        {"new-only", 0, PL_OPT_BOOL, NULL,
	         "with --diff-base: report only findings on added or changed "
	         "lines",
	         &a->new_only, false},
	        {"history", 0, PL_OPT_BOOL, NULL,
	         "scan every blob of git history (under the PATHs) for "
	         "secrets",
	         &a->history, false},
	        {"since", 0, PL_OPT_STRING, "REF",
	         "with --history: only commits REF does not reach", &a->since,
	         false},
	        {"fix", 0, PL_OPT_BOOL, NULL,
	         "apply the mechanical fixes findings carry to the files, "
	         "lint again until nothing changes, then report what is left",
	         &a->fix, false},
	        {"dry-run", 0, PL_OPT_BOOL, NULL,
	         "with --fix: print the fixes as a unified diff instead; "
	         "change nothing",
	         &a->dry_run, false},
	};
	_Static_assert(PL_ARRAY_SIZE(table) == NOPTS, "NOPTS: the table");
	memcpy(out, table, sizeof(table));
}

/* The flags that do not go together, and bad values. */
static int check_conflicts(const args *a, pl_error *err)
{
	size_t i, dashes = 0;

	for (i = 0; i < a->npaths; i++)
		dashes += strcmp(a->paths[i], "-") == 0;
	if (dashes > 1 || (a->stdin_name && dashes == 0))
		return pl_error_set(err, PL_EUSAGE, NULL, NULL,
		                    dashes > 1 ? "'-' (standard input) may "
		                                 "be given once"
		                               : "--stdin-filename needs '-' "
		                                 "among the paths");
	if (a->staged && a->diff_base)
		return pl_error_set(err, PL_EUSAGE, NULL, NULL,
		                    "--staged and --diff-base do not go "
		                    "together");
	if ((a->include_worktree || a->new_only) && !a->diff_base)
		return pl_error_set(err, PL_EUSAGE, NULL, NULL,
		                    "--%s needs --diff-base REF",
		                    a->new_only ? "new-only"
		                                : "include-worktree");
	if ((a->history && (a->staged || a->diff_base)) ||
	    (a->since && !a->history))
		return pl_error_set(err, PL_EUSAGE, NULL, NULL,
		                    a->since && !a->history
		                            ? "--since needs --history"
		                            : "--history goes with neither "
		                              "--staged nor --diff-base");
	if (a->dry_run && !a->fix)
		return pl_error_set(err, PL_EUSAGE, NULL, NULL,
		                    "--dry-run needs --fix");
	if (a->fix && (a->staged || a->history))
		return pl_error_set(err, PL_EUSAGE, NULL, NULL,
		                    "--fix rewrites the working tree; it does "
		                    "not go with --%s",
		                    a->staged ? "staged" : "history");
	if (a->fix && dashes)
		return pl_error_set(
		        err, PL_EUSAGE, NULL, NULL,
		        "--fix rewrites files; standard input ('-') "
		        "has none to rewrite");
	if (a->dry_run && a->output)
		return pl_error_set(err, PL_EUSAGE, NULL, NULL,
		                    "--fix --dry-run prints a diff, not a "
		                    "report: -o does not go with it");
	return 0;
}

/* --format, --fail-on and --color, into o. */
static int check_values(pl_run_opts *o, const args *a, pl_error *err)
{
	char q[PL_ECHO_MAX * 4 + 16];

	if (strcmp(a->color, "auto") != 0 && strcmp(a->color, "always") != 0 &&
	    strcmp(a->color, "never") != 0)
		return pl_error_set(err, PL_EUSAGE, NULL, NULL,
		                    "unknown value '%s' for --color (expected "
		                    "auto, always or never)",
		                    a->color);
	if (pl_format_parse(&o->format, a->format) != 0) {
		pl_buf names;
		int rc;
		pl_buf_init(&names, 0);
		pl_report_format_names(&names);
		rc = pl_error_set(err, PL_EUSAGE, NULL, NULL,
		                  "unknown format '%s' (expected %s)",
		                  pl_echo(q, sizeof(q), a->format), names.ptr);
		pl_buf_release(&names);
		return rc;
	}
	if (a->fail_on && strcmp(a->fail_on, "none") == 0)
		o->fail_on = PL_SEV_OFF; /* report everything, exit 0 */
	else if (a->fail_on &&
	         pl_severity_parse(&o->fail_on, a->fail_on, false) != 0)
		return pl_error_set(
		        err, PL_EUSAGE, NULL, NULL,
		        "unknown level '%s' for --fail-on (expected "
		        "error, warning, info or none)",
		        pl_echo(q, sizeof(q), a->fail_on));
	if (strcmp(a->color, "auto") == 0)
		o->color = !a->output && pl_term_color(stdout);
	else
		o->color = strcmp(a->color, "always") == 0;
	return 0;
}

/* --enable/--disable in order, and --schema-location's DIR:DIR... */
static void lists_to_opts(pl_run_opts *o, args *a)
{
	size_t i, n = 0;
	char *p, *next;

	if (a->toggles.len) {
		a->tg = pl_xcalloc(a->toggles.len, sizeof(*a->tg));
		for (i = 0; i < a->toggles.len; i++) {
			a->tg[i].id = a->toggles.items[i].value;
			a->tg[i].on =
			        strcmp(a->toggles.items[i].name, "enable") == 0;
		}
		o->toggles = a->tg;
		o->ntoggles = a->toggles.len;
	}
	if (!a->schema_loc)
		return;
	/* DIR:DIR..., as PATH; empty entries are skipped */
	a->schema_buf = pl_xstrdup(a->schema_loc);
	a->schema_dirs =
	        pl_xcalloc(strlen(a->schema_loc) + 1, sizeof(*a->schema_dirs));
	for (p = a->schema_buf; p; p = next) {
		next = strchr(p, ':');
		if (next)
			*next++ = '\0';
		if (*p)
			a->schema_dirs[n++] = p;
	}
	o->schema_dirs = a->schema_dirs;
	o->nschema_dirs = n;
}

/* The run's options from the command line. */
static int args_to_opts(pl_run_opts *o, args *a, pl_error *err)
{
	int rc;

	pl_run_opts_init(o);
	rc = check_values(o, a, err);
	if (rc == 0)
		rc = check_conflicts(a, err);
	if (rc == 0 && a->summary && o->format != PL_FORMAT_TEXT)
		rc = pl_error_set(err, PL_EUSAGE, NULL, NULL,
		                  "--summary goes with --format text (json and "
		                  "sarif carry every finding to count)");
	if (rc)
		return rc;
	o->fail_on_set = a->fail_on != NULL;
	o->config = a->config;
	o->paths = a->paths;
	o->npaths = a->npaths;
	o->stdin_filename = a->stdin_name;
	o->output = a->output;
	o->jobs = a->jobs;
	o->no_ignore = a->no_ignore;
	o->no_cache = a->no_cache;
	o->build = pl_cmd_build_id();
	o->root = a->root;
	o->baseline = a->baseline;
	o->staged = a->staged;
	o->diff_base = a->diff_base;
	o->include_worktree = a->include_worktree;
	o->new_only = a->new_only;
	o->rule_dirs = a->rules ? &a->rules : NULL;
	o->nrule_dirs = a->rules ? 1 : 0;
	o->quiet = a->quiet;
	o->summary = a->summary;
	o->strict = a->strict;
	lists_to_opts(o, a);
	return 0;
}

int pl_cmd_check(int argc, char **argv)
{
	pl_opt opts[NOPTS];
	pl_run_opts o;
	pl_error err;
	bool failed = false;
	args a;
	int rc;

	memset(&a, 0, sizeof(a));
	a.format = "text";
	a.color = "auto";
	a.format_help = format_help();
	check_options(opts, &a);
	pl_error_clear(&err);
	rc = pl_opt_parse(opts, NOPTS, argc, argv, &a.paths, &a.npaths, &a.help,
	                  &err);
	if (rc == 0 && a.help)
		pl_opt_usage(stdout, "plumb check [options] [PATH...]",
		             "Lint files and directories (default: the "
		             "current directory). PATH '-' reads one YAML\n"
		             "stream from standard input, e.g. 'kustomize "
		             "build . | plumb check -'.",
		             opts, NOPTS);
	if (rc == 0 && !a.help)
		rc = args_to_opts(&o, &a, &err);
	if (rc == 0 && !a.help && a.history)
		rc = pl_run_history(&o, a.since, isatty(STDERR_FILENO) == 1,
		                    &failed, &err);
	else if (rc == 0 && !a.help && a.fix)
		rc = pl_run_fix(&o, a.dry_run, &failed, &err);
	else if (rc == 0 && !a.help)
		rc = pl_run_check(&o, &failed, &err);
	free(a.paths);
	free(a.schema_dirs);
	free(a.schema_buf);
	free(a.format_help);
	free(a.toggles.items);
	free(a.tg);
	if (rc)
		return pl_cmd_fail(&err);
	return failed ? 1 : 0;
}
