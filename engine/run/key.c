/*
 * key.c - the key of secret fingerprints (pl_emit_secret: an HMAC-SHA256
 * of the value under it), so a published report does not let anyone test
 * guesses of a weak password offline. Where it comes from, first found:
 *
 *   1. the baseline the run reads (--baseline FILE), or the one
 *      `plumb baseline -o FILE` replaces: its "key", so the fingerprints
 *      recorded there keep matching on every clone;
 *   2. <git common dir>/plumb/fingerprint-key inside a git repository
 *      (never in the work tree, shared by its worktrees);
 *   3. $XDG_CONFIG_HOME/plumb/fingerprint-key (default ~/.config) outside
 *      one;
 *   4. a key for this run only, when none of those can be read or made.
 *
 * A key file holds 64 hex digits; a new one is created 0600 with
 * O_EXCL, so two runs that race agree on the first one written.
 */
#include "run/run_impl.h"
#include "base/buf.h"
#include "base/xalloc.h"
#include "run/baseline.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static bool unhex(unsigned char *out, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < 2 * n; i++) {
		char c = s[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else
			return false;
		if (i % 2 == 0)
			out[i / 2] = (unsigned char)(d << 4);
		else
			out[i / 2] |= (unsigned char)d;
	}
	return true;
}

static bool read_key(unsigned char key[PL_KEY_LEN], const char *path)
{
	char buf[2 * PL_KEY_LEN + 2];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n >= 2 * PL_KEY_LEN && unhex(key, buf, PL_KEY_LEN);
}

static bool random_key(unsigned char key[PL_KEY_LEN])
{
	size_t got = 0;
	int fd = open("/dev/urandom", O_RDONLY);
	if (fd < 0)
		return false;
	while (got < PL_KEY_LEN) {
		ssize_t n = read(fd, key + got, PL_KEY_LEN - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return got == PL_KEY_LEN;
}

/* Reads dir/fingerprint-key, or creates it (and dir) with a new key. */
static bool file_key(unsigned char key[PL_KEY_LEN], const char *dir)
{
	pl_buf path;
	char hex[2 * PL_KEY_LEN + 1];
	bool ok = false;
	size_t i;
	int fd;

	pl_buf_init(&path, 0);
	pl_buf_addf(&path, "%s/fingerprint-key", dir);
	if (read_key(key, path.ptr)) {
		ok = true;
		goto done;
	}
	if (!random_key(key))
		goto done;
	(void)mkdir(dir, 0700);
	fd = open(path.ptr, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		/* another run made it first: use that one */
		ok = errno == EEXIST && read_key(key, path.ptr);
		goto done;
	}
	for (i = 0; i < PL_KEY_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	hex[2 * PL_KEY_LEN] = '\n';
	ok = write(fd, hex, sizeof(hex)) == (ssize_t)sizeof(hex);
	ok = close(fd) == 0 && ok;
	if (!ok)
		unlink(path.ptr);
done:
	pl_buf_release(&path);
	return ok;
}

/* The first line of f, without its line break, into line (emptied
 * first), whatever its length: a gitdir path is not cut. False when f
 * has no line. */
static bool first_line(FILE *f, pl_buf *line)
{
	int c;
	bool any = false;
	pl_buf_reset(line);
	while ((c = getc(f)) != EOF && c != '\n') {
		any = true;
		if (c != '\r')
			pl_buf_addc(line, (char)c);
	}
	return any || c == '\n';
}

char *pl_run__git_dir(const char *root)
{
	pl_buf p, line;
	struct stat st;
	FILE *f;
	char *dir = NULL;

	pl_buf_init(&p, 0);
	pl_buf_init(&line, 0);
	pl_buf_addf(&p, "%s/.git", root);
	if (stat(p.ptr, &st) != 0)
		goto done;
	if (S_ISDIR(st.st_mode)) {
		dir = pl_buf_detach(&p, NULL);
		goto done;
	}
	f = fopen(p.ptr, "r");
	if (!f)
		goto done;
	if (first_line(f, &line) && strncmp(line.ptr, "gitdir: ", 8) == 0) {
		const char *d = line.ptr + 8;
		pl_buf_reset(&p);
		if (d[0] != '/')
			pl_buf_addf(&p, "%s/", root);
		pl_buf_adds(&p, d);
		dir = pl_buf_detach(&p, NULL);
	}
	fclose(f);
	if (dir) {
		/* a worktree's gitdir names the shared one in commondir */
		pl_buf_addf(&p, "%s/commondir", dir);
		f = fopen(p.ptr, "r");
		if (f) {
			if (first_line(f, &line)) {
				pl_buf_reset(&p);
				if (line.ptr[0] != '/')
					pl_buf_addf(&p, "%s/", dir);
				pl_buf_adds(&p, line.ptr);
				free(dir);
				dir = pl_buf_detach(&p, NULL);
			}
			fclose(f);
		}
	}
done:
	pl_buf_release(&p);
	pl_buf_release(&line);
	return dir;
}

int pl_run__baseline_and_key(uint64_t **baseline, size_t *nbaseline,
                             unsigned char key[PL_KEY_LEN],
                             const pl_run_opts *o, const char *root,
                             bool in_git, pl_error *err)
{
	bool has_key = false;
	pl_buf dir;
	char *gd = NULL;

	*baseline = NULL;
	*nbaseline = 0;
	if (o->baseline) {
		int rc = pl_baseline_load(baseline, nbaseline, key, &has_key,
		                          o->baseline, err);
		if (rc)
			return rc;
	} else if (o->baseline_out) {
		/* regenerating a baseline keeps its key; an unreadable or
		 * broken one is simply replaced */
		uint64_t *old = NULL;
		size_t n;
		if (pl_baseline_load(&old, &n, key, &has_key, o->baseline_out,
		                     NULL) != 0)
			has_key = false;
		free(old);
	}
	if (has_key)
		return 0;
	pl_buf_init(&dir, 0);
	if (in_git && root)
		gd = pl_run__git_dir(root);
	if (gd) {
		pl_buf_addf(&dir, "%s/plumb", gd);
		has_key = file_key(key, dir.ptr);
	} else {
		const char *xdg = getenv("XDG_CONFIG_HOME");
		const char *home = getenv("HOME");
		if (xdg && xdg[0] == '/')
			pl_buf_addf(&dir, "%s", xdg);
		else if (home && home[0] == '/')
			pl_buf_addf(&dir, "%s/.config", home);
		if (dir.len) {
			(void)mkdir(dir.ptr, 0700);
			pl_buf_adds(&dir, "/plumb");
			has_key = file_key(key, dir.ptr);
		}
	}
	free(gd);
	pl_buf_release(&dir);
	if (!has_key && !random_key(key))
		memset(key, 0, PL_KEY_LEN); /* no /dev/urandom: unkeyed */
	return 0;
}
