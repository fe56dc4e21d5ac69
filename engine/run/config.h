/*
 * config.h - .plumb.yaml: what a repository tells plumb about itself.
 *
 *   fail-on: warning                 # error | warning | info
 *   exclude: ["vendor/", "*.lock"]  # path globs not linted
 *   rules:
 *     yaml/ambiguous-scalar: warning # a severity, or off
 *     flux/controller-namespace:     # or severity and parameters
 *       namespace: flux
 *   ignore:                          # suppressions by path glob
 *     - paths: ["test/fixtures"]
 *       rules: [secrets/token]
 *       reason: scanner fixtures
 *       until: 2027-01-31
 *   rule-dirs: [policies/]          # extra declarative rule files
 *   secrets:
 *     allowlist:
 *       paths: ["*.example.env"]   # globs
 *       regexes: ["^AKIAIOSFODNN7EXAMPLE$"]  # against the secret value
 *       fingerprints: ["secrets/token:0123456789abcdef"]
 *     patterns:                     # the repository's own credential shapes
 *       - name: Acme service token  # secrets/pattern reports each match
 *         regex: 'acme_[a-z0-9]{32}'
 *         paths: [...]              # path globs, '!' excludes
 *         allow: ['^acme_0{32}$']
 *       - name: dotenv file         # no regex: such a file is reported
 *         paths: [...]
 *
 * schemas/config.schema.json describes it. Problems in it are errors of
 * plumb's own inputs (exit 2): an unknown key, a wrong type, an unknown
 * rule id or a regex that does not compile, each with file:line:col.
 * Globs use fnmatch(3) where '*' also crosses '/'; an exclude ending in
 * '/' names a folder. A pl_config owns
 * everything it points to; pl_config_release frees it.
 */
#ifndef PL_CONFIG_H
#define PL_CONFIG_H

#include "base/error.h"
#include "base/vec.h"
#include "model/model.h"
#include "rule/registry.h"

typedef struct pl_config {
	pl_file file; /* the parsed .plumb.yaml; strings point into it */
	bool loaded;
	bool has_fail_on;
	pl_severity fail_on;
	pl_vec exclude;       /* const char * */
	pl_vec rule_ids;      /* const char * */
	pl_vec rule_sev;      /* int: a pl_severity, or -1 for the default */
	pl_vec rule_pos;      /* pl_pos of each rule id, for errors */
	pl_vec rule_settings; /* const pl_node *: mapping form, or NULL */
	pl_vec allow_paths;   /* const char * */
	pl_vec allow_regexes; /* pl_regex *, owned */
	pl_vec allow_fps;     /* const char * */
	pl_allowlist allow;   /* views of the three vecs */
	pl_vec patterns;      /* pl_secret_pattern: secrets.patterns */
	pl_vec owned;         /* void *: what the patterns point to (freed) */
	pl_vec owned_regexes; /* pl_regex *: the patterns' regexes */
	pl_vec ignores;       /* pl_ignore_entry (finding/suppress.h) */
	pl_vec rule_dirs;     /* const char *: declarative rule folders,
	                       * relative to the repository root */
} pl_config;

void pl_config_init(pl_config *c);
void pl_config_release(pl_config *c);

/* Loads fspath, naming it path in errors. Returns 0, PL_EIO if it cannot be
 * read, or PL_ECONFIG with the file, position and reason in err. */
int pl_config_load(pl_config *c, const char *path, const char *fspath,
                   pl_error *err);
/* The same from data[0..len) (copied), named path in errors. */
int pl_config_load_mem(pl_config *c, const char *path, const char *data,
                       size_t len, pl_error *err);

/* Applies the rule severities to r. PL_ECONFIG for an unknown rule id. */
int pl_config_apply(const pl_config *c, pl_registry *r, pl_error *err);

/* True if a path globs of `exclude` names path. */
bool pl_config_excluded(const pl_config *c, const char *path);

#endif
