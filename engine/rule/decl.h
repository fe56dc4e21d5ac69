/*
 * decl.h - declarative rule files (rules/FORMAT.md) compiled into
 * pl_rule descriptors the registry runs like built-in ones.
 *
 * A pl_ruleset owns the rule files it loaded (their trees: ids, help
 * texts and messages point into them), the compiled conditions (regexes
 * with pcre2 match limits, semver ranges) and one pl_rule per rule, whose
 * registry state is the compiled rule. Everything is built once, before
 * any linting, and read-only afterwards, so workers share it. A file that
 * breaks the format is an input error (PL_ERULE, file:line:col); nothing
 * of it is kept.
 */
#ifndef PL_DECL_H
#define PL_DECL_H

#include "rule/registry.h"

/* A rule pack compiled into the binary (build/<variant>/gen/packs.c, generated
 * from the rules folder's YAML files by the Makefile). */
typedef struct pl_pack {
	const char *path; /* "rules/postgres.yaml", as errors name it */
	const char *data;
	size_t len;
} pl_pack;

typedef struct pl_ruleset pl_ruleset;

void pl_ruleset_new(pl_ruleset **out);
void pl_ruleset_free(pl_ruleset *rs);

/* Compiles the rule file data[0..len) named path. */
int pl_ruleset_load_mem(pl_ruleset *rs, const char *path, const char *data,
                        size_t len, pl_error *err);
/* Reads and compiles path (a file). */
int pl_ruleset_load_file(pl_ruleset *rs, const char *path, pl_error *err);
/* Every *.yaml and *.yml file of folder dir, in name order (a file is
 * accepted too). PL_EIO if dir cannot be read. */
int pl_ruleset_load_dir(pl_ruleset *rs, const char *dir, pl_error *err);

/*
 * Adds the rules compiled since the last call to the registry (rs must
 * outlive the registry's use of them). PL_ERULE when an id is already
 * taken, by a built-in rule or another file.
 */
int pl_ruleset_register(pl_ruleset *rs, pl_registry *reg, pl_error *err);

#endif
