/*
 * cmd_version.c - `plumb version`: plumb's version and its libraries'.
 * Each library's version comes from its adapter (the only file that
 * includes that library's header).
 */
#include "cli/cmd.h"
#include "report/report.h"
#include "tree/load.h"

int pl_cmd_version(int argc, char **argv)
{
	if (argc == 1 &&
	    (strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "--help") == 0)) {
		printf("usage: plumb version\n\nPrint plumb's version and "
		       "the versions of its libraries.\n");
		return 0;
	}
	if (argc > 0) {
		fprintf(stderr, "plumb: 'version' takes no arguments\n");
		return 2;
	}
	printf("plumb %s\n", PL_VERSION);
	printf("libyaml %s, jansson %s\n", pl_tree_libyaml_version(),
	       pl_report_jansson_version());
	return 0;
}
