/*
 * cmd.h - the command table of `plumb`: {name, fn, summary}, sorted.
 *
 * A command gets the arguments after its name and returns an exit code
 * (0 ok, 1 findings/failure, 2 usage or input error, 3 internal); it
 * prints its own errors as `plumb: message` or `file:line:col: message`.
 */
#ifndef PL_CMD_H
#define PL_CMD_H

#include "base/base.h"

typedef int (*pl_cmd_fn)(int argc, char **argv);

typedef struct pl_cmd {
	const char *name;
	pl_cmd_fn fn;
	const char *summary;
} pl_cmd;

int pl_cmd_baseline(int argc, char **argv);
int pl_cmd_build(int argc, char **argv);
int pl_cmd_cel(int argc, char **argv);
int pl_cmd_check(int argc, char **argv);
int pl_cmd_dump(int argc, char **argv);
int pl_cmd_explain(int argc, char **argv);
int pl_cmd_lsp(int argc, char **argv);
int pl_cmd_rules(int argc, char **argv);
int pl_cmd_schema(int argc, char **argv);
int pl_cmd_semver(int argc, char **argv);
int pl_cmd_version(int argc, char **argv);

/* Prints err as "plumb: msg" or "file:line:col: msg" on stderr and
 * returns the exit code for its PL_E* code. */
struct pl_error;
int pl_cmd_fail(const struct pl_error *err);
/* "VERSION (commit HASH)": what the cache's digest names (cmd_version.c,
 * the one file built with the commit). Static string. */
const char *pl_cmd_build_id(void);

#endif
