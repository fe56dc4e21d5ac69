/*
 * opt.h - one option table per command drives both parsing and --help
 * (libgit2's cli_opt_spec, git's OPT_*).
 *
 * Accepted forms: --name, --name=value, --name value, -x, -x value,
 * -xvalue; `--` ends options; `-` alone is an argument (standard input).
 * Options marked `later` are listed in --help and refused with
 * "not yet supported" (exit 2) until their issue lands.
 */
#ifndef PL_OPT_H
#define PL_OPT_H

#include "base/error.h"

typedef enum pl_opt_type {
	PL_OPT_BOOL,   /* target: bool * */
	PL_OPT_STRING, /* target: const char ** */
	PL_OPT_UINT,   /* target: unsigned * */
	PL_OPT_LIST,   /* target: pl_opt_list *; repeatable, in order */
} pl_opt_type;

/* The values of repeatable options, in command-line order; several
 * options may share one list (--enable, --disable), so each item names
 * its option. items is heap-owned by the caller (free()); the strings
 * are borrowed from argv. */
typedef struct pl_opt_item {
	const char *name; /* the option's long name */
	const char *value;
} pl_opt_item;
typedef struct pl_opt_list {
	pl_opt_item *items;
	size_t len;
} pl_opt_list;

typedef struct pl_opt {
	const char *name; /* long name, without "--" */
	char short_name;  /* 0 if none */
	pl_opt_type type;
	const char *arg; /* argument name for --help, e.g. "FILE" */
	const char *help;
	void *target;
	bool later; /* listed, but not yet supported */
} pl_opt;

/*
 * Parses argv[0..argc) (argv[0] is the first argument after the command
 * name). Positional arguments are collected into *args (borrowed from
 * argv; the array is heap-owned by the caller, NULL-terminated), their
 * count into *nargs. Sets *help when -h/--help is given. Returns 0 or
 * PL_EUSAGE with a git-style message in err.
 */
int pl_opt_parse(const pl_opt *opts, size_t nopts, int argc, char **argv,
                 const char ***args, size_t *nargs, bool *help, pl_error *err);

/* Prints "usage: <usage>\n\n<summary>\n\noptions:\n..." to out. */
void pl_opt_usage(FILE *out, const char *usage, const char *summary,
                  const pl_opt *opts, size_t nopts);

#endif
