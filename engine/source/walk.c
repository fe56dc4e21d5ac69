/*
 * walk.c - from PATH arguments to the sorted list of files to lint.
 *
 * For everything it meets, the walk keeps three paths:
 *   fs    what to open: the argument as given, joined with entry names;
 *   real  absolute and free of symbolic links: the realpath of the
 *         argument's folder, joined with names (the walk never follows
 *         a link, so joined names stay real);
 *   path  what reports show: real relative to the root, or, outside the
 *         root, the lexically normalised argument joined with the names.
 * Folders are read whole and closed before descending, so the walk holds
 * one descriptor at a time at any depth. Ignore checks use real relative
 * to the work tree of the argument's repository; folders are checked with
 * a trailing '/' so an ignored folder is pruned unread; a tracked path
 * (or a folder tracking one) is never ignored (pl_git_is_tracked).
 */

/*
 * realpath(3) is an XSI interface in glibc's headers: _POSIX_C_SOURCE
 * 200809L alone (our Makefile flags) does not declare it. This file
 * cannot do its job without it, so it asks for X/Open here.
 */
#define _XOPEN_SOURCE 700
/* and d_type's DT_* names, which glibc and the BSDs give by default: a
 * folder's entries say what they are, so the walk need not lstat each */
#define _DEFAULT_SOURCE

#include "source/walk.h"
#include "base/buf.h"
#include "base/map.h"
#include "base/xalloc.h"
#include "source/gitsrc.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Folders nested deeper than this below a PATH are listed as unreadable
 * instead of read, so a hostile tree cannot exhaust the stack.
 */
#define PL_WALK_MAX_DEPTH 256

/* Values of the Chart.yaml cache (the map stores pointers). */
#define CHART_YES ((void *)(uintptr_t)1)
#define CHART_NO  ((void *)(uintptr_t)2)

typedef struct walker {
	pl_walk *w;
	bool no_ignore;
	pl_git *rootgit;   /* repository of the root, or NULL */
	pl_git *git;       /* repository of this argument, or NULL */
	char *gitroot;     /* realpath of git's work tree; owned */
	bool ignore;       /* check ignores in this argument */
	pl_map charts;     /* real folder -> CHART_YES or CHART_NO */
	pl_vec chart_keys; /* char *: the keys of charts, owned */
	pl_buf fs;         /* current path to open ("" for ".") */
	pl_buf real;       /* current absolute symlink-free path */
	char *shown;       /* argument normalised, for paths outside */
	size_t shown_at;   /* real.len of the argument itself */
	const char *bound; /* links resolving outside it are listed */
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

/* --- paths ----------------------------------------------------------- */

static void buf_cut(pl_buf *b, size_t len)
{
	b->len = len;
	if (b->cap)
		b->ptr[len] = '\0';
}

/* Appends "/name" (no '/' after an empty path or a '/'); returns the old
 * length for buf_cut. */
static size_t push_name(pl_buf *b, const char *name, size_t n)
{
	size_t old = b->len;

	if (b->len > 0 && b->ptr[b->len - 1] != '/')
		pl_buf_addc(b, '/');
	pl_buf_add(b, name, n);
	return old;
}

/*
 * Lexically normalised copy of path for display: no "." components, no
 * "//", no trailing '/', "a/.." folded (leading ".." of a relative path
 * kept; "/.." is "/"); "" becomes ".". With symbolic links "link/.." is
 * not always ".", which is why this never decides what to open.
 */
static char *normalise(const char *path)
{
	pl_buf out;
	pl_vec marks; /* size_t: out.len before each kept component */
	const char *p = path;
	size_t ups = 0; /* leading ".." components kept */

	pl_buf_init(&out, 0);
	pl_vec_init(&marks, sizeof(size_t));
	if (path[0] == '/')
		pl_buf_addc(&out, '/');
	while (*p) {
		const char *s;
		size_t n, mark;

		while (*p == '/')
			p++;
		s = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - s);
		if (n == 0 || (n == 1 && s[0] == '.'))
			continue;
		if (n == 2 && s[0] == '.' && s[1] == '.') {
			if (marks.len > ups) {
				marks.len--;
				buf_cut(&out, *(size_t *)pl_vec_at(&marks,
				                                   marks.len));
				continue;
			}
			if (path[0] == '/')
				continue;
			ups++;
		}
		mark = push_name(&out, s, n);
		pl_vec_append(&marks, &mark);
	}
	pl_vec_release(&marks);
	if (out.len == 0)
		pl_buf_addc(&out, '.');
	return pl_buf_detach(&out, NULL);
}

char *pl_walk_normalise(const char *path)
{
	return normalise(path);
}

/* The part of path below dir ("" when equal), or NULL when outside. */
static const char *path_under(const char *dir, const char *path)
{
	size_t n = strlen(dir);

	if (n == 1 && dir[0] == '/')
		return path[0] == '/' ? path + 1 : NULL;
	if (strncmp(path, dir, n) != 0)
		return NULL;
	if (path[n] == '\0')
		return path + n;
	if (path[n] == '/')
		return path + n + 1;
	return NULL;
}

/* The reported path of the current entry (see the top of the file). */
static char *shown_path(const walker *wk)
{
	const char *rel = path_under(wk->w->root, wk->real.ptr);
	const char *sub;
	pl_buf b;

	if (rel)
		return pl_xstrdup(*rel ? rel : ".");
	sub = wk->real.ptr + wk->shown_at;
	while (*sub == '/')
		sub++;
	if (!*sub)
		return pl_xstrdup(wk->shown);
	if (strcmp(wk->shown, ".") == 0)
		return pl_xstrdup(sub);
	pl_buf_init(&b, 0);
	push_name(&b, wk->shown, strlen(wk->shown));
	push_name(&b, sub, strlen(sub));
	return pl_buf_detach(&b, NULL);
}

static void add_entry(walker *wk, pl_source_kind kind, pl_skip_reason skip)
{
	int e_no = errno; /* why an unreadable file or folder failed */
	pl_walk_entry *e = pl_vec_push(&wk->w->entries);

	e->path = shown_path(wk);
	e->fspath = pl_xstrdup(wk->fs.len ? wk->fs.ptr : ".");
	e->kind = skip == PL_SKIP_NONE ? kind : PL_SOURCE_SKIPPED;
	e->skip = skip;
	e->skip_errno =
	        skip == PL_SKIP_UNREADABLE || skip == PL_SKIP_FOLDER ? e_no : 0;
}

/* --- what to skip, what is a template -------------------------------- */

/* Is the current entry ignored by git? Folders get a trailing '/'. */
static bool is_ignored(walker *wk, bool dir)
{
	const char *rel;
	pl_buf b;
	bool r;

	if (!wk->ignore)
		return false;
	rel = path_under(wk->gitroot, wk->real.ptr);
	if (!rel || !*rel)
		return false;
	/* ignore rules apply to untracked files only (git does not ignore
	 * what it tracks): an ignored folder holding a tracked file is
	 * walked, and its untracked files stay ignored through it */
	if (!dir)
		return !pl_git_is_tracked(wk->git, rel) &&
		       pl_git_is_ignored(wk->git, rel);
	pl_buf_init(&b, 0);
	pl_buf_adds(&b, rel);
	pl_buf_addc(&b, '/');
	r = !pl_git_is_tracked(wk->git, b.ptr) &&
	    pl_git_is_ignored(wk->git, b.ptr);
	pl_buf_release(&b);
	return r;
}

/* Does real folder dir[0..len) hold a Chart.yaml? Cached per folder:
 * pre-commit passes many files of one chart. */
static bool has_chart(walker *wk, const char *dir, size_t len)
{
	void *v;
	char *key;
	pl_buf p;
	struct stat st;
	bool yes;

	if (len == 0) {
		dir = "/";
		len = 1;
	}
	v = pl_map_get(&wk->charts, dir, len);
	if (v)
		return v == CHART_YES;
	pl_buf_init(&p, 0);
	pl_buf_add(&p, dir, len);
	push_name(&p, "Chart.yaml", 10);
	yes = stat(p.ptr, &st) == 0 && S_ISREG(st.st_mode);
	pl_buf_release(&p);
	key = pl_xstrndup(dir, len);
	pl_vec_append(&wk->chart_keys, &key);
	pl_map_put(&wk->charts, key, len, yes ? CHART_YES : CHART_NO, NULL);
	return yes;
}

/* Is real folder dir (itself included) below a chart's templates/? */
static bool in_chart_templates(walker *wk, const char *dir)
{
	size_t i, n = strlen(dir);

	for (i = 0; i + 10 <= n; i++) {
		if (dir[i] != '/' || memcmp(dir + i + 1, "templates", 9) != 0)
			continue;
		if (dir[i + 10] != '\0' && dir[i + 10] != '/')
			continue;
		if (has_chart(wk, dir, i))
			return true;
	}
	return false;
}

/* --- the walk -------------------------------------------------------- */

static void walk_dir(walker *wk, bool tmpl, unsigned depth);

/*
 * A link is never followed: git stores the link, not its target. A target
 * inside the bound is linted at its own path; one outside is listed so the
 * run says it was not read.
 */
static void visit_link(walker *wk)
{
	char *target = realpath(wk->fs.ptr, NULL);

	if (!target) {
		add_entry(wk, PL_SOURCE_SKIPPED,
		          errno == ENOENT ? PL_SKIP_LINK_DANGLING
		                          : PL_SKIP_UNREADABLE);
		return;
	}
	if (!path_under(wk->bound, target))
		add_entry(wk, PL_SOURCE_SKIPPED, PL_SKIP_LINK_OUTSIDE);
	free(target);
}

/* A folder's entry: its name, and its type when readdir knew it. */
typedef struct dentry {
	char *name;
	mode_t type; /* S_IFREG or S_IFDIR; 0: lstat it */
} dentry;

static void visit(walker *wk, const dentry *de, bool tmpl, unsigned depth)
{
	const char *name = de->name;
	size_t n = strlen(name), fs_at, real_at;
	struct stat st;

	/* a `.git` file is a submodule's or worktree's pointer: not ours */
	if (strcmp(name, ".git") == 0)
		return;
	fs_at = push_name(&wk->fs, name, n);
	real_at = push_name(&wk->real, name, n);
	st.st_mode = de->type;
	if (!de->type && lstat(wk->fs.ptr, &st) != 0) {
		/* ENOENT: removed since readdir, nothing left to lint */
		if (errno != ENOENT)
			add_entry(wk, PL_SOURCE_SKIPPED, PL_SKIP_UNREADABLE);
		goto done;
	}
	if (is_ignored(wk, S_ISDIR(st.st_mode)))
		goto done;
	if (S_ISDIR(st.st_mode)) {
		bool sub = tmpl || (strcmp(name, "templates") == 0 &&
		                    has_chart(wk, wk->real.ptr, real_at));
		walk_dir(wk, sub, depth + 1);
	} else if (S_ISLNK(st.st_mode)) {
		visit_link(wk);
	} else if (S_ISREG(st.st_mode)) {
		add_entry(wk,
		          tmpl ? PL_SOURCE_TEMPLATE : pl_walk_classify(name),
		          PL_SKIP_NONE);
	} else {
		/* FIFOs, sockets and devices are not files: reading could
		 * block; never silent, though */
		add_entry(wk, PL_SOURCE_SKIPPED, PL_SKIP_SPECIAL);
	}
done:
	buf_cut(&wk->fs, fs_at);
	buf_cut(&wk->real, real_at);
}

/* Walks the folder at wk->fs / wk->real; tmpl: it is below templates/. */
static void walk_dir(walker *wk, bool tmpl, unsigned depth)
{
	pl_vec names;
	DIR *d;
	size_t i;
	int rerr;

	if (depth > PL_WALK_MAX_DEPTH) {
		add_entry(wk, PL_SOURCE_SKIPPED, PL_SKIP_TOO_DEEP);
		return;
	}
	d = opendir(wk->fs.len ? wk->fs.ptr : ".");
	if (!d) {
		add_entry(wk, PL_SOURCE_SKIPPED, PL_SKIP_FOLDER);
		return;
	}
	pl_vec_init(&names, sizeof(dentry));
	for (;;) {
		struct dirent *de;
		dentry e;

		errno = 0;
		de = readdir(d);
		if (!de)
			break;
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		e.name = pl_xstrdup(de->d_name);
		/* links, special files and DT_UNKNOWN (some file systems
		 * never say) are looked at with lstat */
		e.type = de->d_type == DT_REG   ? S_IFREG
		         : de->d_type == DT_DIR ? S_IFDIR
		                                : 0;
		pl_vec_append(&names, &e);
	}
	rerr = errno;
	closedir(d);
	/* lint what was read, and say the folder was not read whole */
	if (rerr) {
		errno = rerr;
		add_entry(wk, PL_SOURCE_SKIPPED, PL_SKIP_FOLDER);
	}
	for (i = 0; i < names.len; i++) {
		dentry *e = pl_vec_at(&names, i);
		visit(wk, e, tmpl, depth);
		free(e->name);
	}
	pl_vec_release(&names);
}

/* --- arguments and the root ------------------------------------------ */

static int open_error(pl_error *err, const char *arg, int e)
{
	int code = (e == ENOENT || e == ENOTDIR) ? PL_ENOTFOUND : PL_EIO;

	return pl_error_set(err, code, NULL, NULL, "cannot open '%s': %s", arg,
	                    strerror(e));
}

/* Splits a non-folder argument into its folder (owned) and last name. */
static char *split_file(const char *arg, const char **base)
{
	const char *slash = strrchr(arg, '/');

	if (!slash) {
		*base = arg;
		return pl_xstrdup(".");
	}
	*base = slash + 1;
	return pl_xstrndup(arg, slash == arg ? 1 : (size_t)(slash - arg));
}

/* realpath(path) or an error naming arg. */
static int real_of(char **out, const char *path, const char *arg, pl_error *err)
{
	*out = realpath(path, NULL);
	if (!*out)
		return open_error(err, arg, errno);
	return 0;
}

/* The real folder of a PATH (its folder if it is a file), owned. */
static int real_dir(char **out, const char *arg, pl_error *err)
{
	struct stat st;
	const char *base;
	char *dir;
	int rc;

	if (stat(arg, &st) != 0)
		return open_error(err, arg, errno);
	dir = S_ISDIR(st.st_mode) ? pl_xstrdup(arg) : split_file(arg, &base);
	rc = real_of(out, dir, arg, err);
	free(dir);
	return rc;
}

/* The nearest folder from real folder dir upwards holding .plumb.yaml,
 * or NULL. */
static char *config_above(const char *dir)
{
	char *cur = pl_xstrdup(dir);
	pl_buf p;
	struct stat st;

	pl_buf_init(&p, 0);
	for (;;) {
		char *slash;
		pl_buf_reset(&p);
		pl_buf_addf(&p, "%s/.plumb.yaml", strcmp(cur, "/") ? cur : "");
		if (stat(p.ptr, &st) == 0 && S_ISREG(st.st_mode))
			break;
		slash = strrchr(cur, '/');
		if (!slash || strcmp(cur, "/") == 0) {
			free(cur);
			cur = NULL;
			break;
		}
		if (slash == cur)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	pl_buf_release(&p);
	return cur;
}

/* True if every PATH lies in real folder dir. */
static bool all_under(const char *dir, const char *const *paths, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		char *real = NULL;
		pl_error ignored;
		bool in;
		if (real_dir(&real, paths[i], &ignored) != 0)
			return false;
		in = path_under(dir, real) != NULL;
		free(real);
		if (!in)
			return false;
	}
	return true;
}

/*
 * The root (DESIGN.md, command line): --root when given; else the git
 * work tree around the first PATH; else the nearest folder above it
 * holding .plumb.yaml; else the current directory when it holds every
 * PATH; else the first PATH (its folder if it is a file).
 */
static int find_root(walker *wk, const char *const *paths, size_t n,
                     const char *given, pl_error *err)
{
	char *dir = NULL, *cwd;
	int rc;

	if (given) {
		rc = real_dir(&wk->w->root, given, err);
		if (rc)
			return rc;
		pl_error ignored;
		if (pl_git_open(&wk->rootgit, wk->w->root, &ignored) == 0) {
			char *top = realpath(pl_git_workdir(wk->rootgit), NULL);
			wk->w->in_git = top && strcmp(top, wk->w->root) == 0;
			free(top);
			if (!wk->w->in_git) {
				pl_git_free(wk->rootgit);
				wk->rootgit = NULL;
			}
		}
		return 0;
	}
	rc = real_dir(&dir, paths[0], err);
	if (rc)
		return rc;
	rc = pl_git_open(&wk->rootgit, dir, err);
	if (rc == 0) {
		wk->w->in_git = true;
		free(dir);
		return real_of(&wk->w->root, pl_git_workdir(wk->rootgit),
		               paths[0], err);
	}
	if (rc != PL_ENOTFOUND) {
		free(dir);
		return rc;
	}
	if (err)
		pl_error_clear(err);
	wk->w->root = config_above(dir);
	if (!wk->w->root) {
		cwd = getcwd(NULL, 0);
		if (cwd && all_under(cwd, paths, n)) {
			wk->w->root = cwd;
			cwd = NULL;
		}
		free(cwd);
	}
	if (!wk->w->root) {
		wk->w->root = dir;
		dir = NULL;
	}
	free(dir);
	return 0;
}

/* Chooses the repository whose ignores apply below real folder dir. */
static int pick_git(walker *wk, const char *dir, pl_error *err)
{
	int rc;

	wk->git = NULL;
	if (wk->rootgit && path_under(wk->w->root, dir)) {
		wk->git = wk->rootgit;
		wk->gitroot = pl_xstrdup(wk->w->root);
		return 0;
	}
	/* outside the root: another repository, or none */
	rc = pl_git_open(&wk->git, dir, err);
	if (rc == PL_ENOTFOUND) {
		if (err)
			pl_error_clear(err);
		return 0;
	}
	if (rc)
		return rc;
	return real_of(&wk->gitroot, pl_git_workdir(wk->git),
	               pl_git_workdir(wk->git), err);
}

static void drop_git(walker *wk)
{
	if (wk->git != wk->rootgit)
		pl_git_free(wk->git);
	wk->git = NULL;
	free(wk->gitroot);
	wk->gitroot = NULL;
}

/* Starts the three paths at an argument whose real folder is real. */
static void start_arg(walker *wk, const char *arg, const char *real)
{
	size_t n = strlen(arg);

	buf_cut(&wk->real, 0);
	pl_buf_adds(&wk->real, real);
	buf_cut(&wk->fs, 0);
	while (n > 1 && arg[n - 1] == '/')
		n--;
	if (!(n == 1 && arg[0] == '.'))
		pl_buf_add(&wk->fs, arg, n);
	wk->shown = normalise(arg);
	wk->shown_at = wk->real.len;
}

/* A file named explicitly: linted even if ignored; a link is followed
 * (by whoever reads fspath) yet shown by its own name. */
static int walk_file(walker *wk, const char *arg, pl_error *err)
{
	const char *base;
	char *dir = split_file(arg, &base), *real = NULL;
	bool tmpl;
	int rc;

	rc = real_of(&real, dir, arg, err);
	if (rc)
		goto done;
	start_arg(wk, arg, real);
	tmpl = in_chart_templates(wk, real);
	push_name(&wk->real, base, strlen(base));
	wk->shown_at = wk->real.len;
	add_entry(wk, tmpl ? PL_SOURCE_TEMPLATE : pl_walk_classify(base),
	          PL_SKIP_NONE);
done:
	free(wk->shown);
	wk->shown = NULL;
	free(dir);
	free(real);
	return rc;
}

static int walk_folder(walker *wk, const char *arg, pl_error *err)
{
	char *real = NULL;
	int rc;

	rc = real_of(&real, arg, arg, err);
	if (rc)
		goto done;
	rc = pick_git(wk, real, err);
	if (rc)
		goto done;
	start_arg(wk, arg, real);
	wk->bound = path_under(wk->w->root, real) ? wk->w->root : real;
	/*
	 * A folder named explicitly is walked even if ignored, and then
	 * without ignores: libgit2 would find every path in it ignored
	 * through its ignored parent.
	 */
	wk->ignore = wk->git && !wk->no_ignore;
	if (wk->ignore)
		wk->ignore = !is_ignored(wk, true);
	walk_dir(wk, in_chart_templates(wk, real), 0);
done:
	wk->bound = NULL;
	wk->ignore = false;
	free(wk->shown);
	wk->shown = NULL;
	drop_git(wk);
	free(real);
	return rc;
}

static int walk_arg(walker *wk, const char *arg, pl_error *err)
{
	struct stat st;

	/* stat, not lstat: a link named explicitly is followed */
	if (stat(arg, &st) != 0)
		return open_error(err, arg, errno);
	if (S_ISDIR(st.st_mode))
		return walk_folder(wk, arg, err);
	return walk_file(wk, arg, err);
}

/* Same path: the entry that lints the file first (an explicit link that
 * the walk also met as a link out of the tree). */
static int cmp_entry(const void *a, const void *b)
{
	const pl_walk_entry *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c)
		return c;
	return (x->skip != PL_SKIP_NONE) - (y->skip != PL_SKIP_NONE);
}

static void sort_unique(pl_walk *w)
{
	size_t i, o = 0;

	if (w->entries.len > 1)
		qsort(w->entries.items, w->entries.len, sizeof(pl_walk_entry),
		      cmp_entry);
	for (i = 0; i < w->entries.len; i++) {
		pl_walk_entry *e = pl_vec_at(&w->entries, i);
		pl_walk_entry *last = o ? pl_vec_at(&w->entries, o - 1) : NULL;

		if (last && strcmp(last->path, e->path) == 0) {
			free(e->path);
			free(e->fspath);
			continue;
		}
		if (o != i)
			memcpy(pl_vec_at(&w->entries, o), e, sizeof(*e));
		o++;
	}
	pl_vec_truncate(&w->entries, o);
}

int pl_walk_paths(pl_walk *w, const char *const *paths, size_t n,
                  const pl_walk_opts *opts, pl_error *err)
{
	static const char *const dot[] = {"."};
	walker wk;
	size_t i, k;
	int rc;

	if (n == 0) {
		paths = dot;
		n = 1;
	}
	memset(&wk, 0, sizeof(wk));
	wk.w = w;
	wk.no_ignore = opts && opts->no_ignore;
	pl_map_init(&wk.charts);
	pl_vec_init(&wk.chart_keys, sizeof(char *));
	pl_buf_init(&wk.fs, 0);
	pl_buf_init(&wk.real, 0);
	free(w->root);
	w->root = NULL;
	w->in_git = false;

	rc = find_root(&wk, paths, n, opts ? opts->root : NULL, err);
	for (i = 0; rc == 0 && i < n; i++)
		rc = walk_arg(&wk, paths[i], err);
	sort_unique(w);

	pl_git_free(wk.rootgit);
	pl_map_release(&wk.charts);
	for (k = 0; k < wk.chart_keys.len; k++)
		free(*(char **)pl_vec_at(&wk.chart_keys, k));
	pl_vec_release(&wk.chart_keys);
	pl_buf_release(&wk.fs);
	pl_buf_release(&wk.real);
	return rc;
}
