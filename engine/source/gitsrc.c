/*
 * gitsrc.c - libgit2 adapter: the only file that includes <git2.h>.
 *
 * libgit2 keeps its own init count, so each handle pairs one
 * git_libgit2_init with one git_libgit2_shutdown and plumb holds no
 * global state of its own. libgit2's negative codes and git_error_last()
 * are read here only and turned into pl_error.
 */
/* realpath(3) is XSI in glibc's headers */
#define _XOPEN_SOURCE 700

#include "source/gitsrc.h"
#include "base/xalloc.h"

#include <git2.h>

struct pl_git {
	git_repository *repo;
	char *workdir; /* realpath, no trailing '/' */
};

int pl_git_open(pl_git **out, const char *path, pl_error *err)
{
	git_repository *repo = NULL;
	const char *wd;
	char *real;
	pl_git *g;
	int rc;

	*out = NULL;
	git_libgit2_init();
	rc = git_repository_open_ext(&repo, path, 0, NULL);
	if (rc == GIT_ENOTFOUND) {
		git_libgit2_shutdown();
		return pl_error_set(err, PL_ENOTFOUND, NULL, NULL,
		                    "'%s' is not inside a git work tree", path);
	}
	if (rc < 0) {
		const git_error *e = git_error_last();
		pl_error_set(err, PL_EGIT, NULL, NULL, "git: %s",
		             e && e->message ? e->message : "unknown error");
		git_libgit2_shutdown();
		return PL_EGIT;
	}
	wd = git_repository_workdir(repo);
	if (!wd) {
		git_repository_free(repo);
		git_libgit2_shutdown();
		return pl_error_set(err, PL_ENOTFOUND, NULL, NULL,
		                    "'%s' is in a bare repository", path);
	}
	g = pl_xcalloc(1, sizeof(*g));
	g->repo = repo;
	real = realpath(wd, NULL);
	g->workdir = real ? real : pl_xstrdup(wd);
	{
		size_t n = strlen(g->workdir);
		while (n > 1 && g->workdir[n - 1] == '/')
			g->workdir[--n] = '\0';
	}
	*out = g;
	return 0;
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
	if (git_ignore_path_is_ignored(&ignored, git->repo, relpath) < 0)
		return false;
	return ignored != 0;
}
