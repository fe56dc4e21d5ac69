/*
 * fix.c - `plumb check --fix [--dry-run]`: the fixes findings carry
 * (finding.h, pl_edit), applied to the working tree or shown as a diff.
 *
 * A round is one pl_run_check whose findings are applied instead of
 * reported (run.c calls pl_run__fix_round where it would write the
 * report). Only fixes of findings that count (not suppressed, in scope)
 * on files read from disk are applied; a finding whose edits overlap an
 * edit already taken in that file waits for the next round, which lints
 * the fixed file again. Rounds go on until one changes nothing, at most
 * PL_FIX_ROUNDS. A file is rewritten whole through a temporary file in
 * its own folder and a rename, with its mode; only the edited bytes
 * change, so line ends, a BOM and comments stay as they were. A file
 * that changed on disk since it was read is left alone.
 *
 * --dry-run runs one round and prints a unified diff (3 lines of
 * context, `a/` and `b/` before the paths reports show) to standard
 * output instead. One round is exact for the fixes rules make today:
 * none of them makes a finding whose fix the next round would apply.
 */
/* realpath(3) and fchown(2) are XSI: _POSIX_C_SOURCE alone does not
 * declare realpath in glibc's headers */
#define _XOPEN_SOURCE 700
#include "run/run_impl.h"
#include "base/buf.h"
#include "base/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define PL_FIX_ROUNDS 10
#define DIFF_CONTEXT  3

/* What the rounds of one --fix changed, per file (reported path). */
typedef struct fixed_file {
	char *path; /* owned */
	size_t n;
} fixed_file;

struct pl_fix_tally {
	pl_vec files;   /* fixed_file, in order of first change */
	size_t applied; /* in the current round */
	FILE *diff;     /* --dry-run: where the diff goes */
};

/* --- choosing the edits ------------------------------------------------ */

static bool clash(const pl_edit *a, const pl_edit *b)
{
	if (a->offset == b->offset)
		return true; /* two insertions there: their order is a guess */
	return a->offset < b->offset + b->len && b->offset < a->offset + a->len;
}

static int cmp_edit(const void *pa, const void *pb)
{
	const pl_edit *a = *(const pl_edit *const *)pa;
	const pl_edit *b = *(const pl_edit *const *)pb;
	return a->offset < b->offset ? -1 : a->offset > b->offset;
}

static bool fixable(const pl_finding *f)
{
	const pl_source *s = f->src;
	return f->nedits && f->suppressed == PL_SUPPRESS_NONE && s->fspath &&
	       s->data && s->skip == PL_SKIP_NONE && !s->utf16 && !s->commit;
}

/*
 * Takes the fixes of v[0..n) (findings of one file) that clash with no
 * fix taken before them into *taken (const pl_edit *, sorted by offset);
 * returns how many findings were fixed.
 */
static size_t choose(pl_vec *taken, const pl_finding *const *v, size_t n)
{
	size_t i, e, k, fixed = 0;
	for (i = 0; i < n; i++) {
		bool ok = true;
		for (e = 0; e < v[i]->nedits && ok; e++) {
			const pl_edit *ed = &v[i]->edits[e];
			if (ed->offset < v[i]->src->bom)
				ok = false; /* the BOM stays */
			for (k = 0; k < taken->len && ok; k++)
				ok = !clash(ed, *(const pl_edit **)pl_vec_at(
				                        taken, k));
		}
		if (!ok)
			continue;
		for (e = 0; e < v[i]->nedits; e++) {
			const pl_edit *ed = &v[i]->edits[e];
			pl_vec_append(taken, &ed);
		}
		fixed++;
	}
	if (taken->len > 1)
		qsort(taken->items, taken->len, sizeof(const pl_edit *),
		      cmp_edit);
	return fixed;
}

/* data with the taken edits applied. */
static void apply(pl_buf *out, const char *data, size_t len,
                  const pl_vec *taken)
{
	size_t at = 0, k;
	for (k = 0; k < taken->len; k++) {
		const pl_edit *e = *(const pl_edit **)pl_vec_at(taken, k);
		pl_buf_add(out, data + at, e->offset - at);
		pl_buf_add(out, e->text, strlen(e->text));
		at = e->offset + e->len;
	}
	pl_buf_add(out, data + at, len - at);
}

/* --- writing a file ---------------------------------------------------- */

/* True when the file at path holds exactly data[0..len). */
static bool unchanged_on_disk(const char *path, const char *data, size_t len)
{
	FILE *fp = fopen(path, "rb");
	char buf[65536];
	size_t at = 0, n;
	bool same = true;

	if (!fp)
		return false;
	while (same && (n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		same = at + n <= len && memcmp(data + at, buf, n) == 0;
		at += n;
	}
	same = same && !ferror(fp) && at == len;
	fclose(fp);
	return same;
}

/*
 * Replaces the file at path by data[0..len): a temporary file in the
 * same folder, the old file's mode (and owner, when allowed), fsync,
 * rename. A symbolic link is followed: its target is rewritten.
 */
static int write_file(const char *path, const char *data, size_t len,
                      pl_error *err)
{
	char *target = realpath(path, NULL);
	struct stat st;
	pl_buf tmp;
	size_t at = 0;
	int fd = -1, rc = 0, e = 0;

	pl_buf_init(&tmp, 0);
	if (!target || stat(target, &st) != 0) {
		e = errno;
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		e = EINVAL; /* a FIFO or a device is not replaced by a file */
		goto fail;
	}
	pl_buf_addf(&tmp, "%s.plumb-fix-XXXXXX", target);
	fd = mkstemp(tmp.ptr);
	if (fd < 0) {
		e = errno;
		goto fail;
	}
	while (at < len) {
		ssize_t w = write(fd, data + at, len - at);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			e = w < 0 ? errno : EIO;
			goto fail;
		}
		at += (size_t)w;
	}
	if (fchown(fd, st.st_uid, st.st_gid) != 0) {
		/* not ours to give away: the new file keeps our owner */
	}
	if (fchmod(fd, st.st_mode & 07777) != 0 || fsync(fd) != 0) {
		e = errno;
		goto fail;
	}
	if (close(fd) != 0) {
		fd = -1;
		e = errno;
		goto fail;
	}
	fd = -1;
	if (rename(tmp.ptr, target) != 0) {
		e = errno;
		goto fail;
	}
	goto done;
fail:
	if (fd >= 0)
		close(fd);
	if (tmp.ptr && tmp.len)
		unlink(tmp.ptr);
	rc = pl_error_set(err, PL_EWRITE, NULL, NULL,
	                  "cannot write the fixed '%s': %s", path,
	                  strerror(e ? e : EIO));
done:
	free(target);
	pl_buf_release(&tmp);
	return rc;
}

/* --- the diff ------------------------------------------------------------ */

/* Offsets of the starts of the lines of s[0..len) (split after '\n'),
 * plus len at the end: line i is [v[i], v[i + 1]). */
static void split_lines(pl_vec *v, const char *s, size_t len)
{
	size_t i;
	pl_vec_init(v, sizeof(size_t));
	pl_vec_append(v, &(size_t){0});
	for (i = 0; i < len; i++)
		if (s[i] == '\n' && i + 1 < len)
			pl_vec_append(v, &(size_t){i + 1});
	pl_vec_append(v, &len);
}

static size_t line_start(const pl_vec *v, size_t i)
{
	return *(size_t *)pl_vec_at(v, i);
}

static size_t line_of(const pl_vec *v, size_t offset)
{
	size_t lo = 0, hi = v->len - 1; /* lines 0..hi-1 */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (line_start(v, mid) <= offset)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static void put_line(FILE *out, char mark, const char *s, size_t len)
{
	fputc(mark, out);
	fwrite(s, 1, len, out);
	if (len == 0 || s[len - 1] != '\n')
		fputs("\n\\ No newline at end of file\n", out);
}

/* A run of old lines [a, b] that the edits rewrite into new text. */
typedef struct region {
	size_t a, b;
	size_t k0, k1; /* its edits: taken[k0..k1) */
	pl_buf text;   /* the new lines */
	size_t nnew;   /* how many */
} region;

static size_t count_lines(const char *s, size_t len)
{
	size_t i, n = 0;
	for (i = 0; i < len; i++)
		n += s[i] == '\n';
	return n + (len && s[len - 1] != '\n');
}

static void put_text(FILE *out, char mark, const char *s, size_t len)
{
	size_t at = 0, i;
	for (i = 0; i < len; i++) {
		if (s[i] != '\n')
			continue;
		put_line(out, mark, s + at, i + 1 - at);
		at = i + 1;
	}
	if (at < len)
		put_line(out, mark, s + at, len - at);
}

/*
 * Unified diff of data[0..len) against the taken edits: each edit
 * rewrites the whole lines it touches (a region); regions closer than
 * twice the context share a hunk.
 */
static void write_diff(FILE *out, const char *path, const char *data,
                       size_t len, const pl_vec *taken)
{
	pl_vec lines, regions;
	size_t k, r, nlines;
	long delta = 0;

	split_lines(&lines, data, len);
	nlines = lines.len - 1;
	pl_vec_init(&regions, sizeof(region));
	for (k = 0; k < taken->len; k++) {
		const pl_edit *e = *(const pl_edit **)pl_vec_at(taken, k);
		size_t a = line_of(&lines, e->offset);
		size_t b = e->len ? line_of(&lines, e->offset + e->len - 1) : a;
		region *last = regions.len
		                       ? pl_vec_at(&regions, regions.len - 1)
		                       : NULL;
		/* touching runs of lines make one -/+ block, as diff(1) */
		if (last && a <= last->b + 1) {
			if (b > last->b)
				last->b = b;
			last->k1 = k + 1;
			continue;
		}
		last = pl_vec_push(&regions);
		last->a = a;
		last->b = b;
		last->k0 = k;
		last->k1 = k + 1;
		pl_buf_init(&last->text, 0);
	}
	/* the new text of each region: its old lines with its edits */
	for (r = 0; r < regions.len; r++) {
		region *g = pl_vec_at(&regions, r);
		size_t from = line_start(&lines, g->a);
		size_t to = line_start(&lines, g->b + 1), at = from;
		for (k = g->k0; k < g->k1; k++) {
			const pl_edit *e =
			        *(const pl_edit **)pl_vec_at(taken, k);
			pl_buf_add(&g->text, data + at, e->offset - at);
			pl_buf_add(&g->text, e->text, strlen(e->text));
			at = e->offset + e->len;
		}
		pl_buf_add(&g->text, data + at, to - at);
		g->nnew = count_lines(g->text.ptr ? g->text.ptr : "",
		                      g->text.len);
	}
	fprintf(out, "--- a/%s\n+++ b/%s\n", path, path);
	for (r = 0; r < regions.len;) {
		size_t first = r, last = r, h0, h1, i, nold, nnew;
		const region *g;
		while (last + 1 < regions.len &&
		       ((region *)pl_vec_at(&regions, last + 1))->a <=
		               ((region *)pl_vec_at(&regions, last))->b + 1 +
		                       2 * DIFF_CONTEXT)
			last++;
		g = pl_vec_at(&regions, first);
		h0 = g->a > DIFF_CONTEXT ? g->a - DIFF_CONTEXT : 0;
		g = pl_vec_at(&regions, last);
		h1 = g->b + DIFF_CONTEXT < nlines ? g->b + DIFF_CONTEXT
		                                  : nlines - 1;
		nold = h1 - h0 + 1;
		nnew = nold;
		for (i = first; i <= last; i++) {
			g = pl_vec_at(&regions, i);
			nnew = nnew - (g->b - g->a + 1) + g->nnew;
		}
		fprintf(out, "@@ -%zu,%zu +%ld,%zu @@\n", h0 + 1, nold,
		        (long)h0 + 1 + delta, nnew);
		delta += (long)nnew - (long)nold;
		i = h0;
		for (r = first; r <= last; r++) {
			size_t l;
			g = pl_vec_at(&regions, r);
			for (; i < g->a; i++)
				put_line(out, ' ', data + line_start(&lines, i),
				         line_start(&lines, i + 1) -
				                 line_start(&lines, i));
			for (l = g->a; l <= g->b; l++)
				put_line(out, '-', data + line_start(&lines, l),
				         line_start(&lines, l + 1) -
				                 line_start(&lines, l));
			put_text(out, '+', g->text.ptr ? g->text.ptr : "",
			         g->text.len);
			i = g->b + 1;
		}
		for (; i <= h1; i++)
			put_line(out, ' ', data + line_start(&lines, i),
			         line_start(&lines, i + 1) -
			                 line_start(&lines, i));
		r = last + 1;
	}
	for (r = 0; r < regions.len; r++)
		pl_buf_release(&((region *)pl_vec_at(&regions, r))->text);
	pl_vec_release(&regions);
	pl_vec_release(&lines);
}

/* --- rounds ------------------------------------------------------------ */

static void tally_add(pl_fix_tally *t, const char *path, size_t n)
{
	size_t i;
	fixed_file *f;
	t->applied += n;
	for (i = 0; i < t->files.len; i++) {
		f = pl_vec_at(&t->files, i);
		if (strcmp(f->path, path) == 0) {
			f->n += n;
			return;
		}
	}
	f = pl_vec_push(&t->files);
	f->path = pl_xstrdup(path);
	f->n = n;
}

/* One file's fixable findings v[0..n): applied, or shown as a diff. */
static int fix_file(pl_fix_tally *t, const pl_finding *const *v, size_t n,
                    pl_error *err)
{
	const pl_source *src = v[0]->src;
	pl_vec taken;
	pl_buf out;
	size_t fixed;
	int rc = 0;

	pl_vec_init(&taken, sizeof(const pl_edit *));
	pl_buf_init(&out, 0);
	fixed = choose(&taken, v, n);
	if (fixed == 0)
		goto done;
	if (t->diff) {
		write_diff(t->diff, pl_source_shown(src), src->data, src->len,
		           &taken);
		tally_add(t, pl_source_shown(src), fixed);
		goto done;
	}
	if (!unchanged_on_disk(src->fspath, src->data, src->len)) {
		fprintf(stderr,
		        "plumb: '%s' changed while plumb read it; not fixed\n",
		        pl_source_shown(src));
		goto done;
	}
	apply(&out, src->data, src->len, &taken);
	rc = write_file(src->fspath, out.ptr ? out.ptr : "", out.len, err);
	if (rc == 0)
		tally_add(t, pl_source_shown(src), fixed);
done:
	pl_buf_release(&out);
	pl_vec_release(&taken);
	return rc;
}

int pl_run__fix_round(const pl_run_opts *o, const pl_findings *all,
                      pl_error *err)
{
	pl_fix_tally *t = o->fix_tally;
	pl_vec group; /* const pl_finding *: one file's */
	size_t i, n = pl_findings_len(all);
	int rc = 0;

	pl_vec_init(&group, sizeof(const pl_finding *));
	/* findings are sorted by path: a file's are together */
	for (i = 0; i <= n && rc == 0; i++) {
		const pl_finding *f = i < n ? pl_findings_at(all, i) : NULL;
		if (group.len &&
		    (!f ||
		     f->src != (*(const pl_finding **)pl_vec_at(&group, 0))
		                       ->src)) {
			rc = fix_file(t, group.items, group.len, err);
			group.len = 0;
		}
		if (f && fixable(f))
			pl_vec_append(&group, &f);
	}
	pl_vec_release(&group);
	if (t->diff && fflush(t->diff) != 0 && rc == 0)
		rc = pl_error_set(err, PL_EWRITE, NULL, NULL,
		                  "cannot write the diff: %s", strerror(errno));
	return rc;
}

int pl_run_fix(const pl_run_opts *o, bool dry_run, bool *failed, pl_error *err)
{
	pl_fix_tally t;
	pl_run_opts round = *o;
	unsigned rounds = 0;
	size_t i;
	int rc = 0;

	memset(&t, 0, sizeof(t));
	pl_vec_init(&t.files, sizeof(fixed_file));
	round.fix_tally = &t;
	if (dry_run) {
		t.diff = stdout;
		round.fix = PL_FIX_DIFF;
		rc = pl_run_check(&round, failed, err);
		goto done;
	}
	round.fix = PL_FIX_APPLY;
	do {
		t.applied = 0;
		rc = pl_run_check(&round, failed, err);
		rounds++;
	} while (rc == 0 && t.applied && rounds < PL_FIX_ROUNDS);
	for (i = 0; i < t.files.len; i++) {
		const fixed_file *f = pl_vec_at(&t.files, i);
		fprintf(stderr, "plumb: fixed %zu problem%s in %s\n", f->n,
		        f->n == 1 ? "" : "s", f->path);
	}
	if (rc)
		goto done;
	if (t.applied)
		fprintf(stderr,
		        "plumb: fixes still changed files after %u rounds; "
		        "stopped (the report shows what is left)\n",
		        PL_FIX_ROUNDS);
	/* the report: what is left */
	rc = pl_run_check(o, failed, err);
done:
	for (i = 0; i < t.files.len; i++)
		free(((fixed_file *)pl_vec_at(&t.files, i))->path);
	pl_vec_release(&t.files);
	return rc;
}
