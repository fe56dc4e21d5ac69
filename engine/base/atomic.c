/*
 * atomic.c - pl_atomic: a temporary file in the target's folder (rename
 * is atomic only within one file system), fsync, rename (POSIX rename(2)).
 */

/* realpath(3) is XSI: _POSIX_C_SOURCE alone does not declare it (as in
 * source/walk.c) */
#define _XOPEN_SOURCE 700

#include "base/atomic.h"
#include "base/buf.h"
#include "base/xalloc.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(pl_error *err, const char *path, int errnum)
{
	return pl_error_set(err, PL_EWRITE, NULL, NULL, "cannot write '%s': %s",
	                    path, strerror(errnum));
}

static void release(pl_atomic *a)
{
	free(a->target);
	free(a->tmp);
	memset(a, 0, sizeof(*a));
}

int pl_atomic_open(pl_atomic *a, const char *path, pl_error *err)
{
	struct stat st;
	const char *slash;
	pl_buf b;
	mode_t mask, mode;
	bool exists;
	int fd;

	memset(a, 0, sizeof(*a));
	a->shown = path;
	exists = stat(path, &st) == 0;
	if (exists && !S_ISREG(st.st_mode)) {
		a->fp = fopen(path, "w");
		if (!a->fp)
			return fail(err, path, errno);
		return 0;
	}
	/* a link is followed: the file it names is replaced, not the link */
	a->target = realpath(path, NULL);
	if (!a->target)
		a->target = pl_xstrdup(path);
	slash = strrchr(a->target, '/');
	pl_buf_init(&b, 0);
	if (slash)
		pl_buf_add(&b, a->target, (size_t)(slash - a->target) + 1);
	pl_buf_adds(&b, ".plumb-tmp-XXXXXX");
	a->tmp = pl_buf_detach(&b, NULL);
	fd = mkstemp(a->tmp);
	if (fd < 0) {
		int e = errno;
		release(a);
		return fail(err, path, e);
	}
	/* the file's own mode, or what a plain fopen would give, not
	 * mkstemp's 0600 (which is kept if fchmod fails: stricter) */
	mask = umask(0);
	umask(mask);
	mode = exists ? st.st_mode & 07777 : 0666 & ~mask;
	(void)fchmod(fd, mode);
	a->fp = fdopen(fd, "w");
	if (!a->fp) {
		int e = errno;
		close(fd);
		unlink(a->tmp);
		release(a);
		return fail(err, path, e);
	}
	return 0;
}

int pl_atomic_commit(pl_atomic *a, pl_error *err)
{
	const char *shown = a->shown;
	int e = 0;

	if (fflush(a->fp) != 0)
		e = errno;
	if (!e && a->tmp && fsync(fileno(a->fp)) != 0)
		e = errno;
	if (fclose(a->fp) != 0 && !e)
		e = errno;
	a->fp = NULL;
	if (!e && a->tmp && rename(a->tmp, a->target) != 0)
		e = errno;
	if (e && a->tmp)
		unlink(a->tmp);
	release(a);
	return e ? fail(err, shown, e) : 0;
}

void pl_atomic_abort(pl_atomic *a)
{
	if (a->fp)
		fclose(a->fp);
	if (a->tmp)
		unlink(a->tmp);
	release(a);
}
