/*
 * main.c - `plumb COMMAND [ARGS]`: look the command up, run it, exit with
 * its code. The only place (with xalloc.c) that exits.
 */
#include "cli/cmd.h"
#include "base/quote.h"
#include "base/similar.h"
#include "base/error.h"

static const pl_cmd commands[] = {
        {"baseline", pl_cmd_baseline,
         "record today's findings; check --baseline reports new ones"},
        {"build", pl_cmd_build,
         "print the objects a kustomization folder builds"},
        {"cel", pl_cmd_cel,
         "evaluate a CEL expression (CRD x-kubernetes-validations)"},
        {"check", pl_cmd_check, "lint files and directories (default .)"},
        {"dump", pl_cmd_dump,
         "print the typed tree of a YAML file as JSON lines"},
        {"explain", pl_cmd_explain, "show the help of one rule"},
        {"lsp", pl_cmd_lsp,
         "serve the Language Server Protocol on stdio (for editors)"},
        {"rules", pl_cmd_rules, "list the rules"},
        {"schema", pl_cmd_schema, "validate documents against a JSON Schema"},
        {"semver", pl_cmd_semver, "test versions against a Flux semver range"},
        {"version", pl_cmd_version, "print the version"},
};

static void usage(FILE *out)
{
	size_t i;
	fprintf(out, "usage: plumb <command> [options] [args]\n\n"
	             "plumb lints GitOps repositories: Kubernetes, Flux and "
	             "Pulumi YAML, and secrets in every file.\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name,
		        commands[i].summary);
	fprintf(out, "\nRun 'plumb <command> --help' for a command's "
	             "options.\nExit codes: 0 clean, 1 findings at or above "
	             "--fail-on, 2 usage or input error, 3 internal "
	             "failure.\n");
}

int pl_cmd_fail(const pl_error *err)
{
	char msg[512];
	pl_error_format(err, msg, sizeof(msg));
	if (err->path)
		fprintf(stderr, "%s\n", msg);
	else
		fprintf(stderr, "plumb: %s\n", msg);
	switch (err->code) {
	case PL_EINTERNAL:
	case PL_EWRITE:
		return 3;
	default:
		return 2;
	}
}

int main(int argc, char **argv)
{
	size_t i;
	int rc = 2;

	if (argc < 2) {
		usage(stderr);
		goto done;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		rc = 0;
		goto done;
	}
	if (strcmp(argv[1], "--version") == 0) {
		rc = pl_cmd_version(0, argv + 2);
		goto done;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			rc = commands[i].fn(argc - 2, argv + 2);
			goto done;
		}
	}
	{
		char q[PL_ECHO_MAX * 4 + 16];
		const char *names[sizeof(commands) / sizeof(commands[0])];
		const char *s;
		for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			names[i] = commands[i].name;
		s = pl_similar_best(argv[1], names, i, 2);
		if (s)
			fprintf(stderr,
			        "plumb: '%s' is not a plumb command (did you "
			        "mean '%s'?); see 'plumb --help'\n",
			        pl_echo(q, sizeof(q), argv[1]), s);
		else
			fprintf(stderr,
			        "plumb: '%s' is not a plumb command; see "
			        "'plumb --help'\n",
			        pl_echo(q, sizeof(q), argv[1]));
	}
done:
	if (fflush(stdout) != 0 && rc < 2) {
		fprintf(stderr, "plumb: cannot write to standard output: %s\n",
		        strerror(errno));
		rc = 3;
	}
	return rc;
}
