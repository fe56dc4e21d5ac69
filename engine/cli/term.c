/*
 * term.c - colour detection.
 */
#include "cli/term.h"

#include <unistd.h>

bool pl_term_color(FILE *stream)
{
	const char *no = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	if (no && no[0])
		return false;
	if (term && strcmp(term, "dumb") == 0)
		return false;
	return isatty(fileno(stream)) == 1;
}
