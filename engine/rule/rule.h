/*
 * rule.h - what a rule is, and the only thing a rule can do: emit.
 *
 * A built-in rule is one const pl_rule with designated initialisers in
 * rules/builtin/<family>_<name>.c, listed in rules/builtin/table.c. The
 * engine calls its check function for each thing in its scope:
 *   PL_SCOPE_FILE    every file whose kind is in `file_kinds` (YAML files
 *                    also when they failed to parse)
 *   PL_SCOPE_OBJECT  every document of a parsed YAML file; with `kinds`
 *                    set, only documents whose kind is listed
 * Check functions are total and return nothing; they read const data and
 * report through pl_emit* only, which adds the rule id, severity, path and
 * span (rules never print; reporters never decide). They may run on any
 * worker thread at once, so they keep no state outside their stack.
 */
#ifndef PL_RULE_H
#define PL_RULE_H

#include "finding/finding.h"
#include "model/model.h"
#include "lib/regex.h"

typedef enum pl_scope {
	PL_SCOPE_FILE,
	PL_SCOPE_OBJECT,
} pl_scope;

/* file_kinds bits */
#define PL_FILES_YAML     (1u << PL_SOURCE_YAML)
#define PL_FILES_TEXT     (1u << PL_SOURCE_TEXT)
#define PL_FILES_TEMPLATE (1u << PL_SOURCE_TEMPLATE)
#define PL_FILES_SKIPPED  (1u << PL_SOURCE_SKIPPED)

/* .kinds = PL_KINDS("Deployment", "StatefulSet") */
#define PL_KINDS(...) ((const char *const[]){__VA_ARGS__, NULL})
/* .tags = PL_TAGS("security", "secrets") */
#define PL_TAGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/*
 * How far a rule's findings can be trusted: SARIF's precision, which
 * code scanning shows. A rule that decides from the document's structure
 * is high; one that guesses from a name is medium.
 */
typedef enum pl_precision {
	PL_PRECISION_UNSET, /* a rule file left it out: reported as high */
	PL_PRECISION_VERY_HIGH,
	PL_PRECISION_HIGH,
	PL_PRECISION_MEDIUM,
	PL_PRECISION_LOW,
} pl_precision;

/*
 * The stage of the pipeline whose outcome a rule reports (DESIGN.md's
 * data flow). A rule of a later stage than PL_STAGE_RULES is still
 * configured, listed and documented like any other.
 */
typedef enum pl_stage {
	PL_STAGE_RULES,  /* its check function judges files or objects */
	PL_STAGE_SOURCE, /* reading files: what was skipped or unreadable;
	                  * SARIF lists these as tool notifications too */
	PL_STAGE_PARSE,  /* the typed tree's own problems (syntax, limits) */
	/* finding/suppress.c, after every rule ran (only then is it known
	 * what a suppression hid); such a rule has no check function */
	PL_STAGE_SUPPRESSION,
} pl_stage;

typedef struct pl_ctx pl_ctx;

/*
 * What a run tells the rules once its model is built (pl_rule.bind):
 * `plumb check --schema-location DIR` and `--strict`. Borrowed for the
 * call only.
 */
typedef struct pl_rule_env {
	const char *const *schema_dirs;
	size_t nschema_dirs;
	bool strict;
	const pl_limits *limits;
} pl_rule_env;

/*
 * A rule parameter, set in .plumb.yaml under the rule's id:
 *     rules:
 *       flux/controller-namespace: {severity: error, namespace: flux}
 * A string parameter holds one string, a list parameter a list of
 * strings; `def` is the default as `plumb explain` shows it.
 */
typedef enum pl_param_type {
	PL_PARAM_STRING,
	PL_PARAM_STRINGS,
} pl_param_type;

typedef struct pl_param {
	const char *name; /* NULL ends the list */
	pl_param_type type;
	const char *def; /* PL_PARAM_STRING: the default value */
	const char *help;
} pl_param;

/*
 * What the configuration says is not a secret (.plumb.yaml
 * secrets.allowlist): path globs (fnmatch, '*' crosses '/'), regexes
 * matched against the secret value, and fingerprints as reports print
 * them. Owned by the configuration; read-only during a run.
 */
typedef struct pl_allowlist {
	const char *const *paths;
	size_t npaths;
	const pl_regex *const *regexes;
	size_t nregexes;
	const char *const *fingerprints;
	size_t nfingerprints;
} pl_allowlist;

typedef struct pl_rule {
	const char *id;       /* family/kebab-name */
	pl_severity severity; /* default */
	const char *summary;  /* one line, no trailing period */
	const char *help;     /* why it matters and how to fix it */
	pl_scope scope;
	unsigned file_kinds;      /* PL_SCOPE_FILE */
	const char *const *kinds; /* PL_SCOPE_OBJECT; NULL: every document */
	void (*check_file)(pl_ctx *ctx, const pl_file *file);
	void (*check_object)(pl_ctx *ctx, const pl_object *obj);
	/* Optional: builds the rule's read-only state once per run (compiled
	 * patterns, tables); returns 0 or a PL_E* code with err. */
	int (*prepare)(void **state, pl_error *err);
	void (*release)(void *state);
	/* Optional: completes that state once the run's model is built and
	 * before any check runs (single-threaded, so no lock is needed;
	 * workers only read the state afterwards). Not called outside a
	 * run: checks must cope with a state that was never bound. A
	 * session (run/session.h) binds again for each lint, with a new
	 * model: bind replaces what the last one built. */
	int (*bind)(void *state, const pl_model *m, const pl_rule_env *env,
	            pl_error *err);
	const pl_param *params; /* NULL or ended by a NULL name */
	const char *origin;     /* rule file of a declarative rule; NULL: C */
	const char *example; /* YAML that fires, for plumb explain; or NULL */
	/* pl_emit_secret: the values this rule flags are published (vendor
	 * defaults), so they are masked in its own findings (message and
	 * excerpt) but not as words wherever else they appear: masking
	 * "admin" or "postgres" in every key name and message hides
	 * nothing and garbles the report. */
	bool public_values;
	/* It flags a credential committed to git (the secrets/ family):
	 * its findings never carry a fix (pl_emit_fix; the fix is to
	 * rotate the credential, which no edit of the file does), and
	 * `check --history` runs it over every blob. */
	bool secret;
	/* PL_SCOPE_OBJECT: the rule judges each document as it is written
	 * (a secret leaks where it is committed, whatever kustomize makes
	 * of it), not the objects kustomizations build from it
	 * (model/render.h); rules without it judge a kustomized object
	 * once per build that renders it, at the lines that wrote each
	 * value. */
	bool as_written;
	/* PL_SCOPE_FILE: the check reads only its file as loaded (bytes,
	 * tree, the objects' roots), never the model (pl_ctx_model,
	 * pl_ctx_file) nor what building it sets on files and objects, so
	 * it may run while the model is built (run/session.c runs it on
	 * the workers beside the build, a unit of the per-file cap of its
	 * own). Costly scans of bytes are worth it (secrets/token). */
	bool alone;
	/* What the rule reads from other files of the run through the
	 * model (pl_model_get, pl_model_of_kind): kind names, or an API
	 * group suffix ("fluxcd.io"). Under --staged a file that is not
	 * staged is parsed only when its bytes name one of them, or the
	 * model reads it (pl_model_reads): a rule that starts reading a
	 * kind across files declares it here (run/run.c derives the set
	 * from the rules that are on). NULL: nothing. */
	const char *const *reads;
	/* SARIF and docs: the rule's tags (code scanning filters on them;
	 * "security" marks a vulnerability), NULL-terminated; NULL (a
	 * declarative rule that declares none) means the family alone. */
	const char *const *tags;
	pl_precision precision;
	/* A security rule: SARIF gives it a security-severity (code
	 * scanning ranks its alerts as vulnerabilities, by the configured
	 * severity); other rules get a problem.severity. */
	bool security;
	pl_stage stage;
} pl_rule;

/* The state `prepare` built for the running rule (NULL if none). */
const void *pl_ctx_state(const pl_ctx *ctx);
/* Another file of the run by its reported path, or NULL: cross-file
 * rules read it (a stack file's Pulumi.yaml). Read-only. */
const pl_file *pl_ctx_file(const pl_ctx *ctx, const char *path);
/* A string parameter of the running rule: the configured value, else
 * its default. */
const char *pl_ctx_param(const pl_ctx *ctx, const char *name);
/* True if the list parameter `name` of the running rule holds value. */
bool pl_ctx_param_has(const pl_ctx *ctx, const char *name, const char *value);
/* The run's model: every object by identity, effective namespaces;
 * read-only, NULL when a rule runs outside a run (unit tests). */
const pl_model *pl_ctx_model(const pl_ctx *ctx);
/* The worker's regex scratch, created on first use. */
struct pl_match_scratch *pl_ctx_scratch(pl_ctx *ctx);

/*
 * Reports a secret found in value[0..len): the finding carries the
 * fingerprint `rule:<hash of the value>` (reports show it, so it can be
 * allowlisted without quoting the secret), and nothing is reported when
 * the allowlist covers the file, the value or the fingerprint.
 */
void pl_emit_secret(pl_ctx *ctx, pl_span span, const char *value, size_t len,
                    const char *hint, const char *fmt, ...) PL_PRINTF(6, 7);

/* Reports a finding at node n (aliases are not followed: the span is the
 * alias's own). The message is printf-formatted. */
void pl_emit(pl_ctx *ctx, const pl_node *n, const char *fmt, ...)
        PL_PRINTF(3, 4);
/* Same at an explicit span; a zero span means the whole file. */
void pl_emit_span(pl_ctx *ctx, pl_span span, const char *fmt, ...)
        PL_PRINTF(3, 4);
/* A lesser finding of the rule: at `at_most`, or at the rule's configured
 * severity if that is lower (a rule set to info stays info). hint may be
 * NULL. */
void pl_emit_sev(pl_ctx *ctx, pl_severity at_most, pl_span span,
                 const char *hint, const char *fmt, ...) PL_PRINTF(5, 6);
/* Same with a fix hint (shown under the source line, in JSON as "hint"). */
void pl_emit_hint(pl_ctx *ctx, pl_span span, const char *hint, const char *fmt,
                  ...) PL_PRINTF(4, 5);

/*
 * A mechanical fix for the finding the running rule emitted last: replace
 * the bytes of span (its offsets, in the file that finding is in) with
 * text. Call it once per edit right after the pl_emit* call; the edits of
 * one finding are applied together or not at all (`plumb check --fix`,
 * the `fixes` of JSON and SARIF reports). Only a fix that is certain
 * belongs here: the finding's message still says what is wrong.
 * Returns false, attaching nothing, when that emit made no finding (the
 * rule is off, the per-file cap was reached), when the rule is of the
 * secrets/ family (a fix would write the secret back into a report and
 * the remedy is to rotate it, not to edit the line), or when span is
 * outside that finding's file or overlaps one of its edits.
 */
bool pl_emit_fix(pl_ctx *ctx, pl_span span, const char *text);

/*
 * Another place the finding the running rule emitted last is about (the
 * ImagePolicy a marker names, the kustomization line that sets a
 * namespace): node n as written in file, with a short printf-formatted
 * message saying what it is. file is the file n is written in: for a node
 * of a rendered copy, pl_object_where(copy, n); NULL means the file the
 * running rule's own node would land in (the file being checked, or for
 * a rendered copy under judgement, where n was written). Reports show it
 * as a note (text), `related` (JSON), relatedLocations (SARIF) and
 * relatedInformation (plumb lsp). Call it right after the pl_emit* call.
 * The engine itself relates a finding on a rendered copy that lands in a
 * patch or kustomization to the original object's name ("the Deployment
 * 'web' that this changes"); a rule naming that same place replaces the
 * engine's words with its own.
 * Returns false, attaching nothing, when that emit made no finding, when
 * the rule is of the secrets/ family (a place is no help, and its text
 * could name the value), when n is NULL or file is one a build read
 * beyond the run, or when the finding has PL_FINDING_MAX_RELATED places.
 * A place the finding has already stays one place, with these words.
 */
bool pl_emit_related(pl_ctx *ctx, const pl_file *file, const pl_node *n,
                     const char *fmt, ...) PL_PRINTF(4, 5);

#endif
