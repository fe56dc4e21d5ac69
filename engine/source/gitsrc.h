/*
 * gitsrc.h - plumb's window on git (the only <git2.h> user).
 *
 * For now: find the work tree around a path and ask whether a path is
 * ignored. The staged index, diffs and history come with the git issue.
 * A pl_git is owned by its creator (pl_git_open / pl_git_free); libgit2
 * is initialised on first use and shut down by pl_git_free of the last
 * handle. libgit2 errors are converted here, once, into pl_error.
 */
#ifndef PL_GITSRC_H
#define PL_GITSRC_H

#include "base/error.h"

typedef struct pl_git pl_git;

/*
 * Opens the repository whose work tree contains `path` (searching up).
 * Returns 0 and *out, or PL_ENOTFOUND when path is in no work tree (a
 * bare repository counts as none), or PL_EGIT.
 */
int pl_git_open(pl_git **out, const char *path, pl_error *err);
void pl_git_free(pl_git *git);
/* Absolute path of the work tree, without a trailing '/'. Borrowed. */
const char *pl_git_workdir(const pl_git *git);
/* True if `relpath` (relative to the work tree, '/'-separated; a folder
 * given with a trailing '/') is ignored by .gitignore and friends. */
bool pl_git_is_ignored(pl_git *git, const char *relpath);

#endif
