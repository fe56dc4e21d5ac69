/*
 * cmd_build.c - `plumb build DIR`: what plumb's build model says the
 * kustomization in DIR builds, as `kustomize build DIR` prints it.
 */
#include "cli/cmd.h"
#include "cli/opt.h"
#include "run/run.h"

int pl_cmd_build(int argc, char **argv)
{
	pl_error err;
	const char **args = NULL;
	const char *flux = NULL;
	size_t nargs = 0;
	bool help = false, sources = false;
	int rc;
	const pl_opt opts[] = {
	        {"sources", 0, PL_OPT_BOOL, NULL,
	         "end each line with '# file:line:col' of the node its value "
	         "came from",
	         &sources, false},
	        {"flux", 0, PL_OPT_STRING, "NAMESPACE/NAME",
	         "build what that Flux Kustomization of the repository under "
	         "DIR (default .) applies",
	         &flux, false},
	};

	pl_error_clear(&err);
	rc = pl_opt_parse(opts, PL_ARRAY_SIZE(opts), argc, argv, &args, &nargs,
	                  &help, &err);
	if (rc)
		return pl_cmd_fail(&err);
	if (help) {
		pl_opt_usage(
		        stdout, "plumb build [--sources] DIR",
		        "Print the objects the kustomization in DIR "
		        "builds, as kustomize v5 builds them, as a YAML\n"
		        "stream in build order. Exit 2 with "
		        "'file:line:col: message' when kustomize would "
		        "refuse\nthe folder (a missing or remote resource, "
		        "a patch that matches nothing).",
		        opts, PL_ARRAY_SIZE(opts));
		free(args);
		return 0;
	}
	if (flux && nargs <= 1) {
		rc = pl_run_build_flux(nargs ? args[0] : ".", flux, sources,
		                       stdout, &err);
		free(args);
		return rc ? pl_cmd_fail(&err) : 0;
	}
	if (nargs != 1) {
		free(args);
		fprintf(stderr, "plumb: build takes one DIR; see "
		                "'plumb build --help'\n");
		return 2;
	}
	rc = pl_run_build(args[0], sources, stdout, &err);
	free(args);
	if (rc)
		return pl_cmd_fail(&err);
	return 0;
}
