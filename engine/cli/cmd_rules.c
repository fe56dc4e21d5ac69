/*
 * cmd_rules.c - `plumb rules` and `plumb explain RULE`: the catalogue,
 * straight from the rule table, so documentation cannot drift.
 */
#include "cli/cmd.h"
#include "base/quote.h"
#include "cli/opt.h"
#include "base/buf.h"
#include "rule/registry.h"
#include "rule/decl.h"
#include "run/run.h"

static int registry(pl_registry *r, pl_ruleset **rs, const char *dir)
{
	pl_error err;
	pl_error_clear(&err);
	if (pl_run_registry(r, rs, dir ? &dir : NULL, dir ? 1 : 0, &err) != 0) {
		pl_registry_release(r);
		pl_ruleset_free(*rs);
		return pl_cmd_fail(&err);
	}
	return 0;
}

/* What the descriptor declares for reports and docs: the stage that
 * reports the rule, SARIF precision and tags (a declarative rule that
 * declares neither: high, and its family). */
static void add_declared(pl_buf *b, const pl_rule *x)
{
	static const char *const stages[] = {"rules", "source", "parse",
	                                     "suppression"};
	static const char *const precisions[] = {"high", "very-high", "high",
	                                         "medium", "low"};
	const char *slash = strchr(x->id, '/');
	size_t i;

	pl_buf_addf(b, ", \"stage\": \"%s\", \"precision\": \"%s\"",
	            stages[x->stage], precisions[x->precision]);
	pl_buf_adds(b, ", \"tags\": [");
	for (i = 0; x->tags && x->tags[i]; i++) {
		if (i)
			pl_buf_adds(b, ", ");
		pl_buf_add_json_str(b, x->tags[i], strlen(x->tags[i]));
	}
	if (!x->tags)
		pl_buf_add_json_str(b, x->id,
		                    slash ? (size_t)(slash - x->id)
		                          : strlen(x->id));
	pl_buf_adds(b, "]");
}

static void print_json(const pl_registry *r)
{
	pl_buf b;
	size_t i;
	pl_buf_init(&b, 0);
	pl_buf_adds(&b, "[\n");
	for (i = 0; i < r->len; i++) {
		const pl_rule *x = r->rules[i];
		pl_buf_adds(&b, "  {\"id\": ");
		pl_buf_add_json_str(&b, x->id, strlen(x->id));
		pl_buf_addf(&b, ", \"severity\": \"%s\", \"summary\": ",
		            pl_severity_name(x->severity));
		pl_buf_add_json_str(&b, x->summary, strlen(x->summary));
		pl_buf_adds(&b, ", \"help\": ");
		pl_buf_add_json_str(&b, x->help, strlen(x->help));
		pl_buf_adds(&b, ", \"source\": ");
		if (x->origin)
			pl_buf_add_json_str(&b, x->origin, strlen(x->origin));
		else
			pl_buf_adds(&b, "\"built-in\"");
		add_declared(&b, x);
		pl_buf_adds(&b, i + 1 < r->len ? "},\n" : "}\n");
	}
	pl_buf_adds(&b, "]\n");
	fwrite(b.ptr, 1, b.len, stdout);
	pl_buf_release(&b);
}

int pl_cmd_rules(int argc, char **argv)
{
	pl_registry r;
	pl_error err;
	const char *format = "text", *dir = NULL;
	const char **args = NULL;
	size_t nargs = 0, i;
	bool help = false;
	pl_ruleset *rs = NULL;
	int rc;
	const pl_opt opts[] = {
	        {"format", 0, PL_OPT_STRING, "FORMAT", "text or json", &format,
	         false},
	        {"rules", 0, PL_OPT_STRING, "DIR",
	         "also list the declarative rules of DIR", &dir, false},
	};

	pl_error_clear(&err);
	rc = pl_opt_parse(opts, 2, argc, argv, &args, &nargs, &help, &err);
	if (rc)
		return pl_cmd_fail(&err);
	free(args);
	if (help) {
		pl_opt_usage(
		        stdout,
		        "plumb rules [--format text|json] [--rules DIR]",
		        "List every rule: id, default severity, summary, and "
		        "the file a\ndeclarative rule comes from.",
		        opts, 2);
		return 0;
	}
	if (nargs) {
		fprintf(stderr, "plumb: 'rules' takes no arguments\n");
		return 2;
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		char q[PL_ECHO_MAX * 4 + 16];
		fprintf(stderr,
		        "plumb: unknown format '%s' (expected text or "
		        "json)\n",
		        pl_echo(q, sizeof(q), format));
		return 2;
	}
	rc = registry(&r, &rs, dir);
	if (rc)
		return rc;
	if (strcmp(format, "json") == 0) {
		print_json(&r);
	} else {
		for (i = 0; i < r.len; i++) {
			printf("%-28s %-8s %s", r.rules[i]->id,
			       pl_severity_name(r.rules[i]->severity),
			       r.rules[i]->summary);
			if (r.rules[i]->origin)
				printf(" [%s]", r.rules[i]->origin);
			printf("\n");
		}
	}
	pl_registry_release(&r);
	pl_ruleset_free(rs);
	return 0;
}

/* docs/rules/<family>/<name>.md: the same texts as the text form, in
 * CommonMark (the help through the writer SARIF uses). */
static void explain_markdown(const pl_rule *x)
{
	pl_buf b;

	pl_buf_init(&b, 0);
	pl_buf_addf(&b, "# %s\n\n**%s**: ", x->id,
	            pl_severity_name(x->severity));
	pl_report_help_markdown(&b, x->summary);
	pl_buf_adds(&b, "\n\n");
	pl_report_help_markdown(&b, x->help);
	pl_buf_adds(&b, "\n");
	if (x->params && x->params->name) {
		const pl_param *p;
		pl_buf_addf(&b,
		            "\n## Settings\n\nIn `.plumb.yaml`, under "
		            "`rules: %s:`\n\n",
		            x->id);
		for (p = x->params; p->name; p++) {
			pl_buf_addf(&b, "- `%s`: ", p->name);
			pl_report_help_markdown(&b, p->help);
			if (p->def)
				pl_buf_addf(&b, " (default: `%s`)", p->def);
			pl_buf_addc(&b, '\n');
		}
	}
	if (x->example)
		pl_buf_addf(&b, "\n## Example (fires)\n\n```yaml\n%s%s```\n",
		            x->example,
		            x->example[strlen(x->example) - 1] == '\n' ? ""
		                                                       : "\n");
	if (x->origin)
		pl_buf_addf(&b, "\nDefined in `%s`.\n", x->origin);
	fwrite(b.ptr, 1, b.len, stdout);
	pl_buf_release(&b);
}

int pl_cmd_explain(int argc, char **argv)
{
	pl_registry r;
	pl_error err;
	const char **args = NULL, *dir = NULL;
	size_t nargs = 0;
	bool help = false;
	const pl_rule *x;
	pl_ruleset *rs = NULL;
	int rc;
	const char *format = "text";
	const pl_opt opts[] = {
	        {"format", 0, PL_OPT_STRING, "FORMAT",
	         "text or markdown (docs/rules/ is written with it)", &format,
	         false},
	        {"rules", 0, PL_OPT_STRING, "DIR",
	         "also look among the declarative rules of DIR", &dir, false},
	};

	pl_error_clear(&err);
	rc = pl_opt_parse(opts, 2, argc, argv, &args, &nargs, &help, &err);
	if (rc)
		return pl_cmd_fail(&err);
	if (help || nargs != 1) {
		free(args);
		pl_opt_usage(
		        help ? stdout : stderr,
		        "plumb explain [--format FORMAT] [--rules DIR] RULE",
		        "Show what RULE checks, why it matters, how to fix "
		        "a finding, and an example.",
		        opts, 2);
		return help ? 0 : 2;
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "markdown") != 0) {
		fprintf(stderr,
		        "plumb: unknown format '%s' (expected text or "
		        "markdown)\n",
		        format);
		free(args);
		return 2;
	}
	rc = registry(&r, &rs, dir);
	if (rc) {
		free(args);
		return rc;
	}
	x = pl_registry_find(&r, args[0], NULL);
	if (!x) {
		const char *s = pl_registry_suggest(&r, args[0]);
		char q[PL_ECHO_MAX * 4 + 16];
		pl_echo(q, sizeof(q), args[0]);
		if (s)
			fprintf(stderr,
			        "plumb: unknown rule '%s' (did you "
			        "mean '%s'?)\n",
			        q, s);
		else
			fprintf(stderr,
			        "plumb: unknown rule '%s'; see 'plumb "
			        "rules'\n",
			        q);
		free(args);
		pl_registry_release(&r);
		pl_ruleset_free(rs);
		return 2;
	}
	if (strcmp(format, "markdown") == 0) {
		explain_markdown(x);
		free(args);
		pl_registry_release(&r);
		pl_ruleset_free(rs);
		return 0;
	}
	/* a help from a YAML block scalar ends with its own newline */
	printf("%s (%s)\n%s\n\n%s%s", x->id, pl_severity_name(x->severity),
	       x->summary, x->help,
	       x->help[strlen(x->help) - 1] == '\n' ? "" : "\n");
	if (x->params && x->params->name) {
		const pl_param *p;
		printf("\nSettings (.plumb.yaml, under rules: %s:):\n", x->id);
		for (p = x->params; p->name; p++) {
			printf("  %s: %s", p->name, p->help);
			if (p->def)
				printf(" (default: %s)", p->def);
			printf("\n");
		}
	}
	if (x->origin)
		printf("\nDefined in %s.\n", x->origin);
	if (x->example)
		printf("\nExample (fires):\n\n%s%s", x->example,
		       x->example[strlen(x->example) - 1] == '\n' ? "" : "\n");
	free(args);
	pl_registry_release(&r);
	pl_ruleset_free(rs);
	return 0;
}
