/*
 * walk.c - file discovery (see walk.h for the contract).
 *
 * Directories are read with opendir/readdir and each entry is lstat'ed, so
 * symbolic links are seen as links and never followed into. Ignore checks
 * go through libgit2 (gitsrc.c) with the path relative to the work tree;
 * a directory is checked with a trailing '/', so an ignored folder is
 * pruned without reading it. Only regular files are listed: a FIFO or a
 * device would block or never end.
 */
/* realpath(3) is XSI in glibc's headers */
#define _XOPEN_SOURCE 700

#include "source/walk.h"
#include "base/buf.h"
#include "base/xalloc.h"
#include "source/gitsrc.h"

#include <dirent.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_WALK_DEPTH 256

typedef struct walker {
	pl_walk *w;
	pl_git *git;
	const char *gitroot; /* work tree, or NULL */
	const pl_walk_opts *opts;
} walker;

void pl_walk_init(pl_walk *w)
{
	pl_vec_init(&w->entries, sizeof(pl_walk_entry));
	w->root = NULL;
	w->in_git = false;
}

void pl_walk_release(pl_walk *w)
{
	size_t i;
	if (!w)
		return;
	for (i = 0; i < w->entries.len; i++) {
		pl_walk_entry *e = pl_vec_at(&w->entries, i);
		free(e->path);
		free(e->fspath);
	}
	pl_vec_release(&w->entries);
	free(w->root);
	pl_walk_init(w);
}

static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix), i;
	if (lx > ls)
		return false;
	for (i = 0; i < lx; i++) {
		char a = s[ls - lx + i], b = suffix[i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}

pl_source_kind pl_walk_classify(const char *path)
{
	if (ends_with_ci(path, ".yaml") || ends_with_ci(path, ".yml") ||
	    ends_with_ci(path, ".json"))
		return PL_SOURCE_YAML;
	return PL_SOURCE_TEXT;
}

bool pl_walk_sniff_yaml(const char *data, size_t len)
{
	size_t off = 0;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		off = 3;
	while (off < len) {
		const char *nl = memchr(data + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - data) : len;
		size_t s = off, n;
		while (s < end &&
		       (data[s] == ' ' || data[s] == '\t' || data[s] == '\r'))
			s++;
		if (s == end || data[s] == '#') {
			off = end + 1;
			continue;
		}
		n = end - s;
		if (n >= 3 && memcmp(data + s, "---", 3) == 0 &&
		    (n == 3 || data[s + 3] == ' ' || data[s + 3] == '\r' ||
		     data[s + 3] == '\t'))
			return true;
		if (n >= 5 && memcmp(data + s, "%YAML", 5) == 0)
			return true;
		if (s == off && n >= 11 &&
		    memcmp(data + s, "apiVersion:", 11) == 0)
			return true;
		if (s == off && n >= 5 && memcmp(data + s, "kind:", 5) == 0)
			return true;
		return false;
	}
	return false;
}

/* Lexically normalised absolute form of path: no ".", "..", "//". */
static char *absolute(const char *path)
{
	pl_buf in, out;
	char cwd[PATH_MAX];
	const char *p;

	pl_buf_init(&in, 0);
	if (path[0] != '/') {
		if (!getcwd(cwd, sizeof(cwd)))
			snprintf(cwd, sizeof(cwd), ".");
		pl_buf_adds(&in, cwd);
		pl_buf_addc(&in, '/');
	}
	pl_buf_adds(&in, path);
	pl_buf_init(&out, 0);
	p = in.ptr;
	while (*p) {
		const char *seg;
		size_t n;
		while (*p == '/')
			p++;
		seg = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - seg);
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			while (out.len && out.ptr[out.len - 1] != '/')
				out.len--;
			if (out.len)
				out.len--;
			out.ptr[out.len] = '\0';
			continue;
		}
		pl_buf_addc(&out, '/');
		pl_buf_add(&out, seg, n);
	}
	if (out.len == 0)
		pl_buf_addc(&out, '/');
	pl_buf_release(&in);
	return pl_buf_detach(&out, NULL);
}

/* path relative to root if it is inside, else NULL (borrowed from path). */
static const char *inside(const char *root, const char *path)
{
	size_t n = strlen(root);
	if (strcmp(root, "/") == 0)
		return path[0] == '/' ? path + 1 : NULL;
	if (strncmp(root, path, n) != 0)
		return NULL;
	if (path[n] == '\0')
		return path + n;
	if (path[n] != '/')
		return NULL;
	return path + n + 1;
}

static void add(walker *wk, const char *path, const char *fspath,
                pl_source_kind kind, pl_skip_reason skip)
{
	pl_walk_entry *e = pl_vec_push(&wk->w->entries);
	e->path = pl_xstrdup(path);
	e->fspath = pl_xstrdup(fspath);
	e->kind = skip != PL_SKIP_NONE ? PL_SOURCE_SKIPPED : kind;
	e->skip = skip;
}

static bool ignored(walker *wk, const char *abs, bool dir)
{
	const char *rel;
	bool r;
	pl_buf b;

	if (!wk->git || wk->opts->no_ignore)
		return false;
	rel = inside(wk->gitroot, abs);
	if (!rel || !rel[0])
		return false;
	if (!dir)
		return pl_git_is_ignored(wk->git, rel);
	pl_buf_init(&b, 0);
	pl_buf_adds(&b, rel);
	pl_buf_addc(&b, '/');
	r = pl_git_is_ignored(wk->git, b.ptr);
	pl_buf_release(&b);
	return r;
}

static bool has_chart(const char *dir)
{
	pl_buf b;
	struct stat st;
	bool r;
	pl_buf_init(&b, 0);
	pl_buf_addf(&b, "%s/Chart.yaml", dir);
	r = stat(b.ptr, &st) == 0 && S_ISREG(st.st_mode);
	pl_buf_release(&b);
	return r;
}

/* Kind of the file at abs (absolute): a template when a path component
 * `templates` has a Chart.yaml beside it, up to the root. */
static pl_source_kind kind_of(const char *root, const char *abs)
{
	const char *rel = inside(root, abs);
	const char *p;
	pl_source_kind k = pl_walk_classify(abs);

	if (!rel)
		rel = abs;
	for (p = rel; (p = strstr(p, "templates/")) != NULL; p++) {
		if (p != rel && p[-1] != '/')
			continue;
		{
			char *dir = pl_xstrndup(abs, (size_t)(p - abs));
			bool chart;
			/* dir ends in '/' or is empty (root "/") */
			if (dir[0] && dir[strlen(dir) - 1] == '/')
				dir[strlen(dir) - 1] = '\0';
			chart = has_chart(dir[0] ? dir : "/");
			free(dir);
			if (chart)
				return PL_SOURCE_TEMPLATE;
		}
	}
	return k;
}

static char *report_path(const pl_walk *w, const char *abs, const char *given)
{
	const char *rel = inside(w->root, abs);
	if (rel && rel[0])
		return pl_xstrdup(rel);
	if (rel) {
		/* the root itself is a file: show its name */
		const char *slash = strrchr(abs, '/');
		return pl_xstrdup(slash ? slash + 1 : abs);
	}
	return pl_xstrdup(given);
}

static void walk_dir(walker *wk, const char *abs, int depth);

static void visit(walker *wk, const char *abs, const char *name, int depth)
{
	struct stat st;
	char *path;

	if (lstat(abs, &st) != 0) {
		path = report_path(wk->w, abs, abs);
		add(wk, path, abs, PL_SOURCE_SKIPPED, PL_SKIP_UNREADABLE);
		free(path);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		if (strcmp(name, ".git") == 0 || ignored(wk, abs, true))
			return;
		walk_dir(wk, abs, depth + 1);
		return;
	}
	if (S_ISLNK(st.st_mode)) {
		char *real = realpath(abs, NULL);
		if (!real) {
			/* dangling: nothing to lint, but say so */
			if (!ignored(wk, abs, false)) {
				path = report_path(wk->w, abs, abs);
				add(wk, path, abs, PL_SOURCE_SKIPPED,
				    PL_SKIP_LINK_DANGLING);
				free(path);
			}
			return;
		}
		if (!inside(wk->w->root, real) && !ignored(wk, abs, false)) {
			path = report_path(wk->w, abs, abs);
			add(wk, path, abs, PL_SOURCE_SKIPPED,
			    PL_SKIP_LINK_OUTSIDE);
			free(path);
		}
		/* a link inside the tree: its target is linted at its own
		 * path, as git stores the link and not the content */
		free(real);
		return;
	}
	if (!S_ISREG(st.st_mode) || ignored(wk, abs, false))
		return;
	path = report_path(wk->w, abs, abs);
	add(wk, path, abs, kind_of(wk->w->root, abs), PL_SKIP_NONE);
	free(path);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk_dir(walker *wk, const char *abs, int depth)
{
	DIR *d;
	struct dirent *e;
	pl_vec names;
	size_t i;

	if (depth > MAX_WALK_DEPTH || !(d = opendir(abs))) {
		char *path = report_path(wk->w, abs, abs);
		add(wk, path, abs, PL_SOURCE_SKIPPED, PL_SKIP_UNREADABLE);
		free(path);
		return;
	}
	pl_vec_init(&names, sizeof(char *));
	while ((e = readdir(d)) != NULL) {
		char *n;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		n = pl_xstrdup(e->d_name);
		pl_vec_append(&names, &n);
	}
	closedir(d);
	if (names.len > 1)
		qsort(names.items, names.len, sizeof(char *), cmp_name);
	for (i = 0; i < names.len; i++) {
		char *n = *(char **)pl_vec_at(&names, i);
		pl_buf child;
		pl_buf_init(&child, 0);
		pl_buf_addf(&child, "%s%s%s", abs,
		            strcmp(abs, "/") == 0 ? "" : "/", n);
		visit(wk, child.ptr, n, depth);
		pl_buf_release(&child);
		free(n);
	}
	pl_vec_release(&names);
}

static int cmp_entry(const void *a, const void *b)
{
	const pl_walk_entry *x = a, *y = b;
	return strcmp(x->path, y->path);
}

static void sort_unique(pl_walk *w)
{
	size_t i, o = 0;
	if (w->entries.len > 1)
		qsort(w->entries.items, w->entries.len, sizeof(pl_walk_entry),
		      cmp_entry);
	for (i = 0; i < w->entries.len; i++) {
		pl_walk_entry *e = pl_vec_at(&w->entries, i);
		if (o > 0 &&
		    strcmp(((pl_walk_entry *)pl_vec_at(&w->entries, o - 1))
		                   ->path,
		           e->path) == 0) {
			free(e->path);
			free(e->fspath);
			continue;
		}
		if (o != i)
			memcpy(pl_vec_at(&w->entries, o), e, sizeof(*e));
		o++;
	}
	w->entries.len = o;
}

/* The root: the work tree around the first PATH, else the first PATH (its
 * folder if it is a file), symbolic links resolved. */
static int find_root(walker *wk, const char *first, pl_error *err)
{
	struct stat st;
	char *abs = absolute(first), *real;

	if (stat(abs, &st) != 0) {
		int e = errno;
		free(abs);
		return pl_error_set(err, PL_ENOTFOUND, NULL, NULL,
		                    "cannot open '%s': %s", first, strerror(e));
	}
	if (pl_git_open(&wk->git, abs, NULL) == 0) {
		wk->w->root = pl_xstrdup(pl_git_workdir(wk->git));
		wk->w->in_git = true;
		wk->gitroot = wk->w->root;
		free(abs);
		return 0;
	}
	wk->git = NULL;
	if (!S_ISDIR(st.st_mode)) {
		char *slash = strrchr(abs, '/');
		if (slash && slash != abs)
			*slash = '\0';
		else if (slash)
			slash[1] = '\0';
	}
	real = realpath(abs, NULL);
	wk->w->root = real ? real : pl_xstrdup(abs);
	free(abs);
	return 0;
}

int pl_walk_paths(pl_walk *w, const char *const *paths, size_t n,
                  const pl_walk_opts *opts, pl_error *err)
{
	walker wk;
	size_t i;
	int rc = 0;

	memset(&wk, 0, sizeof(wk));
	wk.w = w;
	wk.opts = opts;
	if (n == 0)
		return 0;
	rc = find_root(&wk, paths[0], err);
	if (rc)
		return rc;
	for (i = 0; i < n; i++) {
		struct stat st;
		char *abs = absolute(paths[i]);
		char *real = realpath(abs, NULL);
		char *path;

		if (!real || stat(real, &st) != 0) {
			rc = pl_error_set(err, PL_ENOTFOUND, NULL, NULL,
			                  "cannot open '%s': %s", paths[i],
			                  strerror(errno ? errno : ENOENT));
			free(abs);
			free(real);
			break;
		}
		if (S_ISDIR(st.st_mode)) {
			/* walk the real folder so paths are root-relative */
			walk_dir(&wk, real, 0);
		} else if (S_ISREG(st.st_mode)) {
			path = report_path(w, real, paths[i]);
			add(&wk, path, abs, kind_of(w->root, real),
			    PL_SKIP_NONE);
			free(path);
		} else {
			rc = pl_error_set(err, PL_EUSAGE, NULL, NULL,
			                  "'%s' is not a regular file or a "
			                  "folder",
			                  paths[i]);
		}
		free(abs);
		free(real);
		if (rc)
			break;
	}
	sort_unique(w);
	pl_git_free(wk.git);
	return rc;
}
