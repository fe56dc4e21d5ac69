/*
 * run_impl.h - what the pipelines of run/ share (pl_run_check in run.c,
 * pl_run_history in history.c). Not a public header.
 */
#ifndef PL_RUN_IMPL_H
#define PL_RUN_IMPL_H

#include "run/config.h"
#include "run/run.h"

struct pl_ruleset;

#define PL_KEY_LEN 32 /* bytes of the fingerprint key (key.c) */

/* The common git dir of the work tree at root: root/.git, or where a
 * .git file (a worktree, a submodule) points, and its commondir (key.c).
 * Heap string, or NULL when root has no .git. */
char *pl_run__git_dir(const char *root);

/*
 * Loads o->baseline (its sorted fingerprints into *baseline, freed by the
 * caller; none without --baseline) and picks the run's fingerprint key
 * (key.c: the baseline's, else one kept in the git dir or the user's
 * config folder, else one for this run). Returns 0 or the baseline's
 * error.
 */
int pl_run__baseline_and_key(uint64_t **baseline, size_t *nbaseline,
                             unsigned char key[PL_KEY_LEN],
                             const pl_run_opts *o, const char *root,
                             bool in_git, pl_error *err);

/* --config FILE, else .plumb.yaml in root (may be NULL: none); loads its
 * rule-dirs into rs and registers them before applying it to reg. */
int pl_run__load_config(pl_config *c, const pl_run_opts *o, const char *root,
                        pl_registry *reg, struct pl_ruleset *rs, pl_error *err);
/* The date until= suppressions are compared with: SOURCE_DATE_EPOCH
 * (reproducible builds' convention, used by the tests), else now (UTC). */
void pl_run__today(char out[11]);
/*
 * How a run ends: *failed when an unsuppressed finding reaches fail_on
 * (never when fail_on is PL_SEV_OFF, --fail-on none).
 * With --baseline-out the findings are recorded there (with key) instead, the
 * run passes, *recorded is set and stderr says to run `plumb <again>
 * --baseline FILE` next. Returns 0 or the write's error.
 */
int pl_run__outcome(const pl_run_opts *o, const pl_findings *all,
                    const unsigned char key[PL_KEY_LEN], pl_severity fail_on,
                    const char *again, bool *failed, bool *recorded,
                    pl_error *err);
/*
 * Ends a run that could not read some content from git (sources of skip
 * PL_SKIP_GIT), after its report: lists each path on stderr and returns
 * PL_EGIT (exit 2) with a message that counts them and ends with fix
 * (how to get the objects, from pl_git_unread_fix).
 */
int pl_run__unread_fail(pl_error *err, const char *mode,
                        const pl_source *const *unread, size_t n,
                        const char *fix);
/* A --fix round: applies the fixes of all (or prints them as a diff)
 * where pl_run_check would write the report (fix.c). */
int pl_run__fix_round(const pl_run_opts *o, const pl_findings *all,
                      pl_error *err);
/* Writes the report in o->format to o->output (or standard output). */
int pl_run__write_report(const pl_run_opts *o, const pl_report *r,
                         pl_error *err);

/*
 * The path a text or JSON report shows for path (relative to root):
 * relative to cwd (the current directory, from getcwd: callers read it
 * once per run), as a compiler prints it; path itself when it is
 * absolute or there is no root or cwd. Heap string.
 */
char *pl_run__display_path(const char *cwd, const char *root, const char *path);

/* What the PATHs of --staged and --history name (scope.c): prefixes of
 * repository paths; none (prefixes NULL) is the whole work tree. */
typedef struct pl_run_scope {
	char **prefixes; /* relative to the root, no trailing '/' */
	size_t n;
} pl_run_scope;

/*
 * Turns paths[0..n) into prefixes relative to root (the work tree); a
 * PATH that is the root itself, or none, is everything. A PATH outside
 * root is PL_EUSAGE, one whose folder does not exist PL_ENOTFOUND; mode
 * ("--staged") leads the message.
 */
int pl_run__scope_init(pl_run_scope *s, const char *root,
                       const char *const *paths, size_t n, const char *mode,
                       pl_error *err);
/* Is the repository path `path` one of the prefixes or below one? */
bool pl_run__in_scope(const pl_run_scope *s, const char *path);
void pl_run__scope_release(pl_run_scope *s);
/* path, or its nearest folder above that exists ("." at worst): where
 * to look for the repository of a PATH git holds but the disk does not
 * (a staged file deleted from the work tree, a file of old history).
 * Heap string. */
char *pl_run__nearest_existing(const char *path);

struct pl_session;
/* The session's baseline fingerprints, sorted (for --history's own
 * suppression stage). */
const uint64_t *pl_session__baseline(const struct pl_session *s, size_t *n);

#endif
