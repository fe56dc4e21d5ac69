/*
 * cmd_version.c - `plumb version`: plumb's version and its libraries'.
 * Each library's version comes from its adapter (the only file that
 * includes that library's header).
 */
#include "cli/cmd.h"
#include "report/report.h"
#include "tree/load.h"
#include "lib/regex.h"
#include "source/gitsrc.h"

/* The commit plumb was built from (Makefile: git describe), if known. */
#ifndef PL_COMMIT
#define PL_COMMIT "unknown"
#endif

const char *pl_cmd_build_id(void)
{
	return PL_VERSION " (commit " PL_COMMIT ")";
}

int pl_cmd_version(int argc, char **argv)
{
	char pcre[64], git[32];

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
	printf("plumb %s (commit %s)\n", PL_VERSION, PL_COMMIT);
	printf("libyaml %s, jansson %s, pcre2 %s, libgit2 %s\n",
	       pl_tree_libyaml_version(), pl_report_jansson_version(),
	       pl_regex_version(pcre, sizeof(pcre)),
	       pl_git_version(git, sizeof(git)));
	return 0;
}
