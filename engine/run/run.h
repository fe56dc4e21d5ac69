/*
 * run.h - the pipeline of `plumb check`: sources, documents, rules,
 * findings, report (DESIGN.md, data flow).
 *
 * The run owns every file (source, arena, tree) until the report is
 * written, then frees them all. Commands call one pl_run_* function and
 * map its result to an exit code; they never read files or print
 * findings themselves.
 */
#ifndef PL_RUN_H
#define PL_RUN_H

#include "base/error.h"
#include "base/limit.h"
#include "finding/finding.h"
#include "report/report.h"

/* One --enable or --disable of the command line. */
typedef struct pl_rule_toggle {
	const char *id; /* a rule id or a family */
	bool on;
} pl_rule_toggle;

/* What a round of --fix does instead of writing the report (fix.c). */
typedef enum pl_fix_mode {
	PL_FIX_NONE = 0,
	PL_FIX_APPLY, /* rewrite the files */
	PL_FIX_DIFF,  /* print a unified diff */
} pl_fix_mode;

typedef struct pl_fix_tally pl_fix_tally;

typedef struct pl_run_opts {
	const char *const *paths; /* "-" is standard input */
	size_t npaths;
	const char *stdin_filename; /* NULL: "<stdin>" */
	pl_format format;
	const char *output;  /* NULL: standard output */
	pl_severity fail_on; /* PL_SEV_OFF: none fails (--fail-on none) */
	bool fail_on_set;    /* given on the command line: wins */
	const char *config;  /* --config, or NULL for .plumb.yaml */
	unsigned jobs;       /* 0: one per core */
	bool color;          /* text: ANSI colours (the CLI decides: --color) */
	bool quiet;          /* -q: text gives the finding lines only */
	bool summary;        /* --summary: text adds a per-rule table */
	bool no_ignore;
	const char *root; /* --root DIR, or NULL: found (pl_walk_paths) */
	const char *const *rule_dirs; /* --rules DIR (files too) */
	size_t nrule_dirs;
	bool staged;              /* lint the git index, report staged files */
	const char *diff_base;    /* report files changed since merge base */
	bool include_worktree;    /* with diff_base: uncommitted changes too */
	bool new_only;            /* with diff_base: changed lines only */
	const char *baseline;     /* --baseline FILE: hide its findings */
	const char *baseline_out; /* plumb baseline: write FILE, no report */
	const char *today;        /* YYYY-MM-DD for until=; NULL: the date
	                           * of SOURCE_DATE_EPOCH, else now (UTC) */
	const char *const *schema_dirs; /* --schema-location DIR... */
	size_t nschema_dirs;
	bool strict; /* --strict: unknown fields are schema/invalid */
	/* --enable/--disable RULE|FAMILY in command-line order, applied
	 * after .plumb.yaml (the command line wins) */
	const pl_rule_toggle *toggles;
	size_t ntoggles;
	pl_limits limits;
	/* --no-cache: neither read nor write the cache of per-file
	 * findings (run/cache.h) */
	bool no_cache;
	/* plumb's version and commit (the CLI knows the commit), part of
	 * the cache's digest; NULL: the version alone */
	const char *build;
	/* set by pl_run_fix for its rounds only */
	pl_fix_mode fix;
	pl_fix_tally *fix_tally;
} pl_run_opts;

void pl_run_opts_init(pl_run_opts *o);

/*
 * Lints, applies suppressions (inline, annotations, .plumb.yaml, the
 * baseline), reports, and sets *failed when a finding that is not
 * suppressed is at or above fail_on. With baseline_out it writes that
 * baseline instead of a report. Returns 0, or PL_ENOTFOUND/PL_EIO/
 * PL_ECONFIG (a PATH that does not exist, an output that cannot be
 * written, a broken configuration or baseline) with err filled.
 */
int pl_run_check(const pl_run_opts *o, bool *failed, pl_error *err);

/*
 * `plumb check --fix`: lints and applies every fix findings carry that
 * clashes with no other (run/fix.c), lints again until a round changes
 * nothing (at most 10 rounds), says on stderr what it changed (each file
 * and how many findings), then reports what is left as pl_run_check
 * does. With dry_run: one round, a unified diff of what it would change
 * on standard output, no report and no file written. o must not ask for
 * --staged or standard input (the command line refuses them). Returns
 * as pl_run_check, or PL_EWRITE when a file cannot be rewritten.
 */
int pl_run_fix(const pl_run_opts *o, bool dry_run, bool *failed, pl_error *err);

/*
 * `plumb dump`: writes each document of the file at path ("-": standard
 * input) to out as one JSON line (tree/dump.h). On a YAML problem the
 * documents before it are written, then `file:line:col: message` goes to
 * stderr and *bad_yaml is set. Returns 0, or PL_EIO/PL_EPARSE/PL_ELIMIT
 * when the file cannot be read as text.
 */
int pl_run_dump(const char *path, FILE *out, bool *bad_yaml, pl_error *err);

/*
 * `plumb build DIR`: builds the kustomization in folder dir with the
 * build model (model/kustomize.h) and writes the objects to out as a
 * YAML stream; with sources, each line names where its value came from.
 * Returns 0, or the build's PL_E* error (file:line:col of the entry
 * kustomize would refuse) with nothing written, or PL_EIO.
 */
int pl_run_build(const char *dir, bool sources, FILE *out, pl_error *err);

/*
 * `plumb build --flux NAMESPACE/NAME [ROOT]`: reads the repository under
 * root, finds the Flux Kustomization ref (NAMESPACE/NAME) and writes what
 * it applies: spec.path built (a kustomization generated when it has
 * none) with targetNamespace, namePrefix, nameSuffix, patches, images,
 * components and post-build substitution from spec.postBuild.substitute
 * and the repository's ConfigMaps and Secrets it names. A variable that
 * cannot be resolved is printed as written; a substituteFrom source not
 * in the repository is a note on stderr. Errors as pl_run_build.
 */
int pl_run_build_flux(const char *root, const char *ref, bool sources,
                      FILE *out, pl_error *err);

/*
 * `plumb lsp`: serves the Language Server Protocol 3.17 on in and out
 * (lsp.c) until exit or the end of input; *code gets the exit code LSP
 * names (0 after shutdown, 1 otherwise). Malformed messages get JSON-RPC
 * errors and serving goes on; logs go to stderr. Returns 0, or PL_EWRITE
 * when out cannot be written.
 */
int pl_run_lsp(FILE *in, FILE *out, int *code, pl_error *err);

/*
 * `plumb schema check`: compiles the JSON Schema at schema_path (YAML or
 * JSON, one document; a CEL rule that does not compile is an error),
 * then writes to out one line per error of every document of each of
 * docs[0..ndocs): `doc:line:col: error[schema/invalid]: PATH: message`,
 * and `error[yaml/syntax]` for a DOC that is not valid YAML. A DOC that
 * cannot be read goes to fail (the command's error printer, which
 * returns its exit code) and the next DOC is checked. *worst gets 0 (all
 * valid), 1 (one is not) or fail's code. Returns 0, or the schema's
 * PL_EPARSE/PL_ELIMIT/PL_EIO with err (file:line:col).
 */
int pl_run_schema_check(const char *schema_path, const char *const *docs,
                        size_t ndocs, bool strict, FILE *out,
                        int (*fail)(const pl_error *err), int *worst,
                        pl_error *err);

struct pl_registry;
struct pl_ruleset;
/*
 * Builds the registry of a run: the built-in table, the packs compiled
 * in, and the rule files of dirs (folders or files). *rs owns what the
 * declarative rules point to and must outlive the registry; free it with
 * pl_ruleset_free after pl_registry_release. PL_ERULE/PL_EIO with
 * file:line:col for a broken rule file.
 */
int pl_run_registry(struct pl_registry *reg, struct pl_ruleset **rs,
                    const char *const *dirs, size_t ndirs, pl_error *err);

#endif
