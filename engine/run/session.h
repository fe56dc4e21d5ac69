/*
 * session.h - a lint session: what `check`, `--history` and `lsp` share.
 *
 * A session is opened once per repository: the rule registry (built-in
 * table, shipped packs, --rules), the configuration (.plumb.yaml and
 * --enable/--disable), the baseline and the fingerprint key. Each
 * pl_session_lint then reads a set of inputs (walk entries, git blobs,
 * standard input, and an overlay of in-memory buffers laid over the
 * repository), builds the model, runs the rules and the suppression stage
 * and hands back the findings with the files they point into (pl_lint).
 * The session borrows its pl_run_opts, which must outlive it. Not
 * thread-safe: one lint at a time (the lint itself uses the pool).
 */
#ifndef PL_SESSION_H
#define PL_SESSION_H

#include "base/vec.h"
#include "model/model.h"
#include "run/config.h"
#include "run/run.h"
#include "source/walk.h"

typedef struct pl_session pl_session;
/* gitsrc.h's index blob; not included here, as history.c includes
 * gitsrc_history.h, whose history blob has the same tag */
struct pl_git_blob;
struct pl_git;

#define PL_SESSION_SECRETS_ONLY 1u

/*
 * In-memory buffers by repository path (relative to the root, '/'
 * separated): an editor's unsaved documents. An entry replaces what the
 * disk or the index holds for its path, or adds the path.
 */
typedef struct pl_overlay {
	pl_vec items; /* pl_overlay_item, unsorted */
} pl_overlay;

typedef struct pl_overlay_item {
	char *path;
	char *data; /* NUL-terminated */
	size_t len;
} pl_overlay_item;

void pl_overlay_init(pl_overlay *ov);
void pl_overlay_release(pl_overlay *ov);
/* Sets path's bytes (copied), replacing an entry it had. */
void pl_overlay_put(pl_overlay *ov, const char *path, const char *data,
                    size_t len);
/* Drops path's entry; false when it had none. */
bool pl_overlay_remove(pl_overlay *ov, const char *path);
/* path's entry, or NULL. Borrowed until the next put or remove. */
const pl_overlay_item *pl_overlay_find(const pl_overlay *ov, const char *path);

/* What one pl_session_lint reads. */
typedef struct pl_session_input {
	const pl_walk_entry *entries; /* files on disk */
	size_t nentries;
	/* --staged: the index instead of entries; each blob's data is
	 * taken (the files own it); staged ones are linted, the others
	 * only feed the model. A blob not read yet is read by the worker
	 * that loads it, from git (pl_git_blob_read) */
	struct pl_git_blob *blobs; /* source/gitsrc.h's: the index */
	size_t nblobs;
	struct pl_git *git; /* the handle that listed blobs */
	bool use_stdin;     /* one YAML stream on standard input, after them */
	const pl_overlay *overlay; /* may be NULL */
	/* The paths the caller reports on (lsp: the open documents), or
	 * NULL for every file: the rules run on those files alone, and the
	 * model builds only what can render them (pl_model_build_focus).
	 * --staged focuses on the staged blobs by itself. */
	const char *const *focus;
	size_t nfocus;
} pl_session_input;

/* The outcome of a lint: the findings and the files they point into. */
typedef struct pl_lint {
	pl_file *files; /* the inputs, in input order, then added overlays */
	size_t nfiles;
	pl_file **by_path; /* the same, sorted by path */
	pl_model *model;
	pl_findings all; /* sorted, suppressed ones marked */
} pl_lint;

void pl_lint_init(pl_lint *l);
void pl_lint_release(pl_lint *l);

/*
 * Opens a session for the repository at root (NULL: none; in_git: root
 * is a git work tree): builds the registry of o (rule_dirs, toggles),
 * loads the configuration (o->config, else root/.plumb.yaml), the
 * baseline and the key. flags: PL_SESSION_SECRETS_ONLY (`--history`)
 * turns every rule off but secrets/ and source/unreadable. Returns 0 or
 * PL_ERULE/PL_ECONFIG/PL_EIO/ PL_EUSAGE with err filled; *out is NULL then.
 */
int pl_session_open(pl_session **out, const pl_run_opts *o, const char *root,
                    bool in_git, unsigned flags, pl_error *err);
/*
 * pl_session_open in two steps, for a caller that must read its inputs
 * to know the root (`check` walks the PATHs): pl_session_start builds
 * the registry (PL_ERULE for a broken --rules file; *out is NULL then)
 * and, with more than one job, prepares the rules (pattern JIT, kind
 * schemas) on a thread of its own (pl_pool_start) while the caller
 * reads git and the folders; pl_session_configure waits for it, then
 * loads what pl_session_open loads for root. rc is the caller's error
 * meanwhile: a failing prepare's error comes first, as when the rules
 * were prepared before the walk; else rc is returned as it is, and
 * nothing is loaded. After an error, close the session.
 */
int pl_session_start(pl_session **out, const pl_run_opts *o, unsigned flags,
                     pl_error *err);
int pl_session_configure(pl_session *s, const char *root, bool in_git, int rc,
                         pl_error *err);
void pl_session_close(pl_session *s);

/*
 * Lints in into *out (initialised here; release it with pl_lint_release
 * even on error). A session can lint many times: each lint binds the
 * rules to its own model (pl_registry_bind; a rule's bind hook starts
 * again from what prepare built). The configuration is read at open:
 * reopen the session when .plumb.yaml changes. Returns 0, or the error
 * of a --schema-location file.
 */
int pl_session_lint(pl_session *s, const pl_session_input *in, pl_lint *out,
                    pl_error *err);

/*
 * Makes each lint of s use the persistent cache of per-file findings
 * (run/cache.h): read at the start of the lint, written at its end when
 * it changed. build names plumb's version and commit (NULL: the version
 * alone). `check` uses it; `lsp` and `--history` do not.
 */
void pl_session_use_cache(pl_session *s, const char *build);

/* The session's registry (borrowed), for reports and explanations. */
const struct pl_registry *pl_session_registry(const pl_session *s);
/* --fail-on, else the configuration's fail-on, else error. */
pl_severity pl_session_fail_on(const pl_session *s);
/* The fingerprint key (PL_KEY_LEN bytes) baselines are written with. */
const unsigned char *pl_session_key(const pl_session *s);
const pl_config *pl_session_config(const pl_session *s);
const char *pl_session_root(const pl_session *s);

#endif
