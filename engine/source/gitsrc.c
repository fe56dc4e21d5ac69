/*
 * gitsrc.c - pl_git on top of libgit2 (the only <git2.h> user).
 *
 * libgit2 counts git_libgit2_init/git_libgit2_shutdown calls itself, so
 * each handle takes one reference in pl_git_open and gives it back in
 * pl_git_free; plumb keeps no global of its own. libgit2's negative codes
 * and its thread-local git_error_last() are turned into a pl_error here
 * and nowhere else (STYLE.md §4.4).
 */
#include "source/gitsrc.h"
#include "base/xalloc.h"

#include <git2.h>

struct pl_git {
	git_repository *repo;
	char *workdir; /* absolute, no trailing '/' */
};

/* Reports the libgit2 failure of `what` on `path` with libgit2's reason. */
static int git_fail(pl_error *err, const char *what, const char *path)
{
	const git_error *e = git_error_last();
	const char *why = (e && e->message) ? e->message : "unknown error";

	return pl_error_set(err, PL_EGIT, NULL, NULL, "%s '%s': %s", what, path,
	                    why);
}

/*
 * libgit2 1.5 reports a repository owned by someone else as GIT_ENOTFOUND
 * with a config error ("config value 'safe.directory' was not found")
 * instead of GIT_EOWNER (fixed in 1.6, libgit2 PR #6408). Taking that for
 * "no repository" would silently drop every .gitignore of a CI checkout
 * mounted into a container, so it is told apart here.
 */
static bool owner_refused(void)
{
	const git_error *e = git_error_last();

	return e && e->klass == GIT_ERROR_CONFIG;
}

int pl_git_open(pl_git **out, const char *path, pl_error *err)
{
	git_repository *repo = NULL;
	const char *wd;
	size_t len;
	pl_git *git;
	int rc;

	*out = NULL;
	if (git_libgit2_init() < 0)
		return git_fail(err, "cannot initialise libgit2 for", path);
	git_error_clear(); /* owner_refused() must not see a stale error */
	/* flags 0: search the parent folders too, as git itself does */
	rc = git_repository_open_ext(&repo, path, 0, NULL);
	if (rc == GIT_EOWNER || (rc == GIT_ENOTFOUND && owner_refused())) {
		rc = pl_error_set(err, PL_EGIT, NULL, NULL,
		                  "cannot open the git repository at '%s': it "
		                  "is not owned by the current user (see git "
		                  "config safe.directory)",
		                  path);
		goto fail;
	}
	if (rc == GIT_ENOTFOUND) {
		rc = pl_error_set(err, PL_ENOTFOUND, NULL, NULL,
		                  "'%s' is not in a git work tree", path);
		goto fail;
	}
	if (rc < 0) {
		rc = git_fail(err, "cannot open the git repository at", path);
		goto fail;
	}
	wd = git_repository_workdir(repo);
	if (git_repository_is_bare(repo) || !wd) {
		rc = pl_error_set(err, PL_ENOTFOUND, NULL, NULL,
		                  "'%s' is in a bare git repository", path);
		goto fail;
	}

	git = pl_xcalloc(1, sizeof(*git));
	git->repo = repo;
	len = strlen(wd);
	while (len > 1 && wd[len - 1] == '/')
		len--;
	git->workdir = pl_xstrndup(wd, len);
	*out = git;
	return 0;

fail:
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}

void pl_git_free(pl_git *git)
{
	if (!git)
		return;
	git_repository_free(git->repo);
	free(git->workdir);
	free(git);
	git_libgit2_shutdown();
}

const char *pl_git_workdir(const pl_git *git)
{
	return git->workdir;
}

bool pl_git_is_ignored(pl_git *git, const char *relpath)
{
	int ignored = 0;

	/*
	 * A failure here (an unreadable .gitignore) means "not ignored": the
	 * file is then linted, which is the safe side for a linter.
	 */
	if (git_ignore_path_is_ignored(&ignored, git->repo, relpath) < 0)
		return false;
	return ignored != 0;
}
