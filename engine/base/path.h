/*
 * path.h - repository-relative paths as manifests write them.
 *
 * Kustomize resources, Flux spec.path and update.path name folders and
 * files relative to a folder of the repository ("./apps/../base/"). They
 * are compared with the run's reported paths ("base/app.yaml"), which
 * have no "." or ".." segments and no leading or trailing '/'. Pure
 * string work: nothing here touches the file system.
 */
#ifndef PL_PATH_H
#define PL_PATH_H

#include "base/buf.h"

/*
 * Writes dir + rel into out with "." and ".." segments resolved and
 * repeated or trailing '/' dropped ("" for the root itself). dir is ""
 * or ends in '/'. Returns false, with out unspecified, if rel is
 * absolute or climbs above the root: it names nothing of the repository.
 */
bool pl_path_join(pl_buf *out, const char *dir, const char *rel);

/*
 * The path of `to` as seen from the folder `from`, as a compiler prints
 * a file given relative to the current directory: "x.yaml", "../b/x",
 * "." for the folder itself. Both must be absolute and normalised (no
 * ".", "..", repeated or trailing '/'). When the two share nothing but
 * "/", `to` itself. Returns a heap string the caller frees.
 */
char *pl_path_relative(const char *from, const char *to);

#endif
