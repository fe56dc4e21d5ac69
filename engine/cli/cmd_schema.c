/*
 * cmd_schema.c - `plumb schema check --schema FILE DOC...`: validate every
 * document of each DOC (YAML or JSON) against a JSON Schema (schema/schema.h).
 *
 * One line per error on stdout, `doc:line:col: error[schema/invalid]:
 * PATH: message`, pointing at the offending value. Exit 0 when every
 * document is valid, 1 when one is not (or a DOC is not valid YAML), 2
 * for a usage error, an unreadable file or a schema that does not
 * compile (reported as `schema:line:col: message` on stderr). Empty
 * documents are skipped, as kubectl skips them.
 */
#include "cli/cmd.h"
#include "cli/opt.h"
#include "run/run.h"

int pl_cmd_schema(int argc, char **argv)
{
	const char *schema_path = NULL;
	bool help = false, strict = false;
	const pl_opt opts[] = {
	        {"schema", 's', PL_OPT_STRING, "FILE",
	         "the JSON Schema (YAML or JSON; draft-07 or 2020-12)",
	         &schema_path, false},
	        {"strict", 0, PL_OPT_BOOL, NULL,
	         "unknown fields are errors where the schema lists "
	         "properties",
	         &strict, false},
	};
	const char **args = NULL;
	size_t nargs = 0;
	pl_error err;
	int rc, worst = 0;

	pl_error_clear(&err);
	rc = pl_opt_parse(opts, PL_ARRAY_SIZE(opts), argc, argv, &args, &nargs,
	                  &help, &err);
	if (rc == 0 && help)
		pl_opt_usage(
		        stdout, "plumb schema check --schema FILE DOC...",
		        "Validate every document of each DOC (YAML or JSON) "
		        "against the JSON Schema in FILE.\n"
		        "Each error is printed as 'doc:line:col: "
		        "error[schema/invalid]: PATH: message', where PATH\n"
		        "is the instance path "
		        "(spec.template.spec.containers[0].image). Keywords "
		        "of draft-07\n"
		        "and 2020-12 are supported, with local $refs only, "
		        "and Kubernetes' x-kubernetes-*\n"
		        "extensions; pattern uses PCRE2 (see README.md).\n\n"
		        "Exit 0 if every document is valid, 1 if one is not, "
		        "2 if FILE is not a usable\n"
		        "schema (reported as 'file:line:col: message') or a "
		        "file cannot be read.",
		        opts, PL_ARRAY_SIZE(opts));
	else if (rc == 0 && (nargs < 1 || strcmp(args[0], "check") != 0))
		rc = pl_error_set(&err, PL_EUSAGE, NULL, NULL,
		                  "schema takes the subcommand 'check'; see "
		                  "'plumb schema --help'");
	else if (rc == 0 && (!schema_path || nargs < 2))
		rc = pl_error_set(&err, PL_EUSAGE, NULL, NULL,
		                  "schema check takes --schema FILE and at "
		                  "least one DOC; see 'plumb schema --help'");
	else if (rc == 0)
		rc = pl_run_schema_check(schema_path, args + 1, nargs - 1,
		                         strict, stdout, pl_cmd_fail, &worst,
		                         &err);
	free(args);
	return rc ? pl_cmd_fail(&err) : worst;
}
