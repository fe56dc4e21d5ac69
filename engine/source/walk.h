/*
 * walk.h - file discovery: which files a run lints, and how.
 *
 * Given the PATH arguments of `plumb check`, lists every file to lint, in
 * a deterministic order (byte order of the reported path). Directories
 * are walked recursively: `.git` is skipped; inside a git repository,
 * untracked paths that .gitignore (and .git/info/exclude,
 * core.excludesFile) ignore are skipped, through libgit2; what the index
 * tracks is always listed, as git never ignores a tracked file. A file
 * named explicitly on the command line is always linted; so is a folder
 * named explicitly, whose contents are then not filtered by ignores
 * either. An ignored folder that tracks nothing is pruned, never read. Symbolic
 * links are never followed during the walk (git stores the link, not its
 * target; targets inside the root are linted at their own path); a link whose
 * target lies outside the root (or, for a PATH outside the root, outside that
 * PATH) is listed with PL_SKIP_LINK_OUTSIDE and a dangling one with
 * PL_SKIP_LINK_DANGLING, so the run reports them. A link named explicitly is
 * followed. FIFOs, sockets and devices met during the walk are not listed.
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
 * Reported paths are relative to the root: opts->root when given, else
 * the git work tree holding the first PATH, else the nearest folder above
 * it that holds .plumb.yaml, else the current directory when it holds
 * every PATH, else the first PATH itself (its folder, if it is a file),
 * all with symbolic links resolved. A PATH outside the root is reported
 * as given, normalised lexically ("./x//y/../z" shows as "x/z"). Ignores
 * are those of the repository holding each PATH.
 * Limits: folders nested more than 256 deep below a PATH are not read;
 * like a folder that cannot be opened, each is listed as an entry with
 * PL_SKIP_UNREADABLE, so the run reports it and goes on.
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
	/* PL_SKIP_NONE, or (kind PL_SOURCE_SKIPPED) LINK_OUTSIDE,
	 * LINK_DANGLING, UNREADABLE, SPECIAL, TOO_DEEP, or FOLDER for a
	 * folder not read whole */
	pl_skip_reason skip;
	int skip_errno; /* the reason of UNREADABLE and FOLDER */
} pl_walk_entry;

typedef struct pl_walk {
	pl_vec entries; /* pl_walk_entry, sorted by path */
	char *root;     /* absolute, no trailing '/' */
	bool in_git;    /* root is a git work tree */
} pl_walk;

typedef struct pl_walk_opts {
	bool no_ignore;   /* do not honour .gitignore */
	const char *root; /* --root: the root, whatever else is found */
} pl_walk_opts;

void pl_walk_init(pl_walk *w);
/*
 * Lexically normalised copy of path, for display ("./a//b/../c" is
 * "a/c"; leading ".." of a relative path kept). Heap string, caller
 * frees.
 */
char *pl_walk_normalise(const char *path);
void pl_walk_release(pl_walk *w);

/*
 * Lists the files under paths[0..n) (n == 0 means "."; "-" is not
 * special here: the caller handles standard input). opts may be NULL.
 * A PATH that does not exist is an error (PL_ENOTFOUND, "cannot open
 * 'x': No such file or directory"); one that cannot be resolved, or a
 * git failure, is PL_EIO or PL_EGIT. Problems met during the walk are
 * entries, not errors (see above). The same reported path is listed
 * once, preferring an entry that is read over a skipped one. On error,
 * the entries found so far stay in w for pl_walk_release.
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
