/*
 * scope.c - which repository paths the PATHs of `check --staged` and
 * `check --history` name. Those runs read git, not the disk, so the
 * PATHs are turned into prefixes relative to the work tree: a staged
 * file or a history blob is reported when its path is one of them or
 * lies below one. A PATH must be inside the work tree; it need not
 * exist on disk (a staged file deleted from the work tree, a folder
 * only the history holds), but its parent folder must.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "run/run_impl.h"
#include "base/buf.h"
#include "base/xalloc.h"

#include <limits.h>
#include <sys/stat.h>
#include <stdlib.h>

/* The absolute, resolved path of p; when p itself does not exist, its
 * resolved parent joined with its last name. NULL if neither resolves. */
static char *resolve(const char *p)
{
	char *r = realpath(p, NULL), *dir, *parent, *slash;
	const char *base;
	pl_buf b;

	if (r)
		return r;
	dir = pl_xstrdup(p);
	while (strlen(dir) > 1 && dir[strlen(dir) - 1] == '/')
		dir[strlen(dir) - 1] = '\0';
	slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		base = slash + 1;
		parent = realpath(slash == dir ? "/" : dir, NULL);
	} else {
		base = dir;
		parent = realpath(".", NULL);
	}
	if (!parent || !*base || strcmp(base, "..") == 0) {
		free(parent);
		free(dir);
		return NULL;
	}
	pl_buf_init(&b, 0);
	if (strcmp(base, ".") == 0)
		pl_buf_adds(&b, parent);
	else
		pl_buf_addf(&b, "%s%s%s", parent,
		            strcmp(parent, "/") ? "/" : "", base);
	free(parent);
	free(dir);
	return pl_buf_detach(&b, NULL);
}

int pl_run__scope_init(pl_run_scope *s, const char *root,
                       const char *const *paths, size_t n, const char *mode,
                       pl_error *err)
{
	char *top = realpath(root, NULL);
	size_t i, len;
	bool whole = false;
	int rc = 0;

	memset(s, 0, sizeof(*s));
	if (n == 0) {
		free(top);
		return 0; /* everything */
	}
	if (!top)
		return pl_error_set(err, PL_EIO, NULL, NULL,
		                    "cannot resolve '%s': %s", root,
		                    strerror(errno));
	len = strlen(top);
	s->prefixes = pl_xcalloc(n, sizeof(*s->prefixes));
	for (i = 0; i < n; i++) {
		char *abs = resolve(paths[i]);
		if (!abs) {
			rc = pl_error_set(err, PL_ENOTFOUND, NULL, NULL,
			                  "cannot open '%s': %s", paths[i],
			                  strerror(errno));
			break;
		}
		if (strcmp(abs, top) == 0) {
			whole = true; /* the whole work tree */
			free(abs);
			continue;
		}
		if (strncmp(abs, top, len) != 0 ||
		    (abs[len] != '/' && strcmp(top, "/") != 0)) {
			rc = pl_error_set(err, PL_EUSAGE, NULL, NULL,
			                  "%s: '%s' is outside the repository "
			                  "at '%s'",
			                  mode, paths[i], root);
			free(abs);
			break;
		}
		s->prefixes[s->n++] =
		        pl_xstrdup(abs + len + (strcmp(top, "/") != 0));
		free(abs);
	}
	free(top);
	if (rc || whole)
		pl_run__scope_release(s);
	return rc;
}

bool pl_run__in_scope(const pl_run_scope *s, const char *path)
{
	size_t i;

	if (!s->prefixes)
		return true;
	for (i = 0; i < s->n; i++) {
		size_t len = strlen(s->prefixes[i]);
		if (strncmp(path, s->prefixes[i], len) == 0 &&
		    (path[len] == '\0' || path[len] == '/'))
			return true;
	}
	return false;
}

void pl_run__scope_release(pl_run_scope *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		free(s->prefixes[i]);
	free(s->prefixes);
	memset(s, 0, sizeof(*s));
}

char *pl_run__nearest_existing(const char *path)
{
	char *p = pl_xstrdup(path), *slash;
	struct stat st;

	while (stat(p, &st) != 0) {
		while (strlen(p) > 1 && p[strlen(p) - 1] == '/')
			p[strlen(p) - 1] = '\0';
		slash = strrchr(p, '/');
		if (!slash) {
			free(p);
			return pl_xstrdup(".");
		}
		if (slash == p)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (strcmp(p, "/") == 0)
			break;
	}
	return p;
}
