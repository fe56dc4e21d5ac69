/*
 * walk.h - file discovery: which files a run lints, and how.
 *
 * Given the PATH arguments of `plumb check`, lists every file to lint, in
 * a deterministic order (byte order of the reported path). Directories
 * are walked recursively: `.git` is skipped; inside a git repository,
 * paths that .gitignore (and .git/info/exclude, core.excludesFile) ignore
 * are skipped, through libgit2. A file named explicitly on the command
 * line is always linted. Symbolic links are never followed during the
 * walk (git stores the link, not its target; targets inside the root are
 * linted at their own path); a link whose target lies outside the root is
 * listed with PL_SKIP_LINK_OUTSIDE so the run reports it. A link named
 * explicitly is followed.
 *
 * Each entry says how to treat the file (pl_walk_classify):
 *   .yaml .yml .json             PL_SOURCE_YAML
 *   files under templates/ (any depth) of a folder that holds Chart.yaml
 *                                PL_SOURCE_TEMPLATE (text until rendered)
 *   other files                  PL_SOURCE_TEXT; the run sniffs the
 *                                content of extension-less files and
 *                                parses them when they look like YAML
 *                                (pl_walk_sniff_yaml)
 *
 * Reported paths are relative to the root: the git work tree holding the
 * first PATH, else the first PATH itself (its folder, if it is a file).
 * Memory: entries and their strings are owned by the pl_walk and freed by
 * pl_walk_release.
 */
#ifndef PL_WALK_H
#define PL_WALK_H

#include "base/error.h"
#include "base/vec.h"
#include "source/source.h"

typedef struct pl_walk_entry {
	char *path;   /* as reported: relative to the root, '/' separated */
	char *fspath; /* to open: as given or joined from the argument */
	pl_source_kind kind;
	pl_skip_reason skip; /* PL_SKIP_LINK_OUTSIDE or PL_SKIP_NONE */
} pl_walk_entry;

typedef struct pl_walk {
	pl_vec entries; /* pl_walk_entry, sorted by path */
	char *root;     /* absolute, no trailing '/' */
	bool in_git;    /* root is a git work tree */
} pl_walk;

typedef struct pl_walk_opts {
	bool no_ignore; /* do not honour .gitignore */
} pl_walk_opts;

void pl_walk_init(pl_walk *w);
void pl_walk_release(pl_walk *w);

/*
 * Lists the files under paths[0..n). A PATH that does not exist is an
 * error (PL_ENOTFOUND, "cannot open 'x': No such file or directory");
 * so is a walk failure such as a directory that cannot be read
 * (PL_EIO). The same file reached twice is listed once.
 */
int pl_walk_paths(pl_walk *w, const char *const *paths, size_t n,
                  const pl_walk_opts *opts, pl_error *err);

/* How to treat a file by its name alone: PL_SOURCE_YAML for .yaml, .yml,
 * .json (any case), else PL_SOURCE_TEXT. The walk adds the Helm template
 * rule, which needs to look for Chart.yaml on disk. */
pl_source_kind pl_walk_classify(const char *path);

/* True if the text of an extension-less file looks like YAML: its first
 * line that is neither blank nor a comment is `---`, a `%YAML` directive,
 * or starts with `apiVersion:` or `kind:`. */
bool pl_walk_sniff_yaml(const char *data, size_t len);

#endif
