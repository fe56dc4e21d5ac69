/*
 * cmd_later.c - commands of DESIGN.md whose issues have not landed yet:
 * `plumb schema check` (schema issue). It is listed and answers "not yet
 * supported" with exit 2.
 */
#include "cli/cmd.h"

static int later(const char *name, int argc, char **argv)
{
	if (argc > 0 &&
	    (strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "--help") == 0)) {
		printf("usage: plumb %s ...\n\nnot yet supported in plumb "
		       "%s\n",
		       name, PL_VERSION);
		return 0;
	}
	fprintf(stderr, "plumb: '%s' is not yet supported\n", name);
	return 2;
}

int pl_cmd_schema(int argc, char **argv)
{
	return later("schema", argc, argv);
}
