/*
 * run.c - pl_run_check, a driver of the session (session.h): walk the
 * PATHs (or read the git index), lint them in one session, keep what
 * --staged and --diff-base look at, write the report; and what the
 * pipelines of run/ share (run_impl.h).
 */
#include "run/run.h"
#include "run/run_impl.h"
#include "run/pool.h"
#include "base/atomic.h"
#include "base/xalloc.h"
#include "base/path.h"
#include "finding/suppress.h"
#include "run/baseline.h"
#include "run/config.h"
#include "run/session.h"

#include <sys/stat.h>
#include "model/model.h"
#include "rule/eval.h"
#include "source/walk.h"
#include "source/gitsrc.h"
#include "builtin/builtin.h"
#include "rule/decl.h"

#include <time.h>
#include <unistd.h>

void pl_run_opts_init(pl_run_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = PL_FORMAT_TEXT;
	o->fail_on = PL_SEV_ERROR;
	pl_limits_default(&o->limits);
}

int pl_run__outcome(const pl_run_opts *o, const pl_findings *all,
                    const unsigned char key[PL_KEY_LEN], pl_severity fail_on,
                    const char *again, bool *failed, bool *recorded,
                    pl_error *err)
{
	size_t i, written;
	int rc;

	*recorded = false;
	for (i = 0; i < pl_findings_len(all); i++) {
		const pl_finding *x = pl_findings_at(all, i);
		if (fail_on != PL_SEV_OFF && !x->suppressed &&
		    x->severity >= fail_on)
			*failed = true;
	}
	if (!o->baseline_out)
		return 0;
	*failed = false;
	*recorded = true;
	rc = pl_baseline_write(o->baseline_out, all, key, &written, err);
	if (rc == 0)
		fprintf(stderr,
		        "plumb: recorded %zu finding%s in %s; 'plumb %s "
		        "--baseline %s' reports only new ones\n",
		        written, written == 1 ? "" : "s", o->baseline_out,
		        again, o->baseline_out);
	return rc;
}

int pl_run__write_report(const pl_run_opts *o, const pl_report *r,
                         pl_error *err)
{
	FILE *out = stdout;
	pl_atomic file;
	int rc, e;

	if (o->output) {
		rc = pl_atomic_open(&file, o->output, err);
		if (rc)
			return rc;
		out = file.fp;
	}
	rc = pl_report_write(out, o->format, r, err);
	e = errno;
	/* a report that cannot be written whole is an internal failure
	 * (exit 3, DESIGN.md), and -o keeps the previous file */
	if (o->output && rc == 0)
		return pl_atomic_commit(&file, err);
	if (o->output)
		pl_atomic_abort(&file);
	if (rc == PL_EIO)
		rc = pl_error_set(err, PL_EWRITE, NULL, NULL,
		                  "cannot write the report to '%s': %s",
		                  o->output ? o->output : "standard output",
		                  strerror(e ? e : EIO));
	return rc;
}

int pl_run__unread_fail(pl_error *err, const char *mode,
                        const pl_source *const *unread, size_t n,
                        const char *fix)
{
	size_t i;

	/* every path on stderr: the error message has room for one */
	for (i = 0; i < n; i++)
		fprintf(stderr, "plumb: %s: cannot read '%s' (%s)\n", mode,
		        unread[i]->path,
		        unread[i]->skip_note ? unread[i]->skip_note : "blob");
	return pl_error_set(err, PL_EGIT, NULL, NULL,
	                    "%s: %zu file%s could not be read from git and "
	                    "%s not linted; %s",
	                    mode, n, n == 1 ? "" : "s", n == 1 ? "was" : "were",
	                    fix);
}

/* --staged and --diff-base need a work tree; say so plainly outside one. */
static int open_git(pl_git **git, const pl_run_opts *o, const char *at,
                    pl_error *err)
{
	const char *mode = o->staged ? "--staged" : "--diff-base";
	int rc;
	if (o->npaths && strcmp(o->paths[0], "-") == 0)
		return pl_error_set(err, PL_EUSAGE, NULL, NULL,
		                    "%s reads git, not standard input", mode);
	{
		char *near = pl_run__nearest_existing(at);
		rc = pl_git_open(git, near, err);
		free(near);
	}
	if (rc == PL_ENOTFOUND)
		return pl_error_set(
		        err, PL_ENOTFOUND, NULL, NULL,
		        "%s needs a git repository, and '%s' is not "
		        "in one (plain 'plumb check %s' works "
		        "without git)",
		        mode, at, at);
	return rc;
}

/* --staged PATH...: a staged file outside the PATHs only feeds the
 * model, as a file that is not staged does. */
static int staged_under(pl_git_blob *b, size_t n, const char *root,
                        const char *const *paths, size_t npaths, pl_error *err)
{
	pl_run_scope scope;
	size_t i;
	int rc;

	if (!paths)
		return 0;
	rc = pl_run__scope_init(&scope, root, paths, npaths, "--staged", err);
	for (i = 0; rc == 0 && i < n; i++)
		if (b[i].staged && !pl_run__in_scope(&scope, b[i].path))
			b[i].staged = false;
	pl_run__scope_release(&scope);
	return rc;
}

/* The files a report speaks for ("in N files"): those linted and in
 * scope (--staged: the staged ones; --diff-base: the changed ones),
 * not the ones read only for the model, nor content git could not give. */
static size_t files_reported(const pl_file *files, size_t n,
                             const pl_git_blob *blobs, const pl_run_opts *o,
                             const pl_git_change *changes, size_t nchanges)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		const pl_source *src = &files[i].src;
		if (!src->path || src->skip == PL_SKIP_GIT)
			continue;
		if (blobs && !blobs[i].staged)
			continue;
		if (o->diff_base &&
		    !pl_git_change_find(changes, nchanges, src->path))
			continue;
		k++;
	}
	return k;
}

/* Drops excluded files, and (model_only) files that are not staged and
 * cannot add to the model: only YAML documents are objects. */
static void drop_excluded_blobs(pl_git_blob *b, size_t *n,
                                const pl_config *config, bool model_only)
{
	size_t i, k = 0;
	for (i = 0; i < *n; i++) {
		if (pl_config_excluded(config, b[i].path) ||
		    (model_only && !b[i].staged &&
		     pl_walk_classify(b[i].path) != PL_SOURCE_YAML)) {
			free(b[i].path);
			free(b[i].data);
			free(b[i].unread);
			continue;
		}
		b[k++] = b[i];
	}
	*n = k;
}

static bool line_changed(const pl_git_change *c, uint32_t line)
{
	size_t lo = 0, hi = c->nlines;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->lines[mid] == line)
			return true;
		if (c->lines[mid] < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Drops the findings outside what --staged or --diff-base look at. */
static void keep_in_scope(pl_findings *all, const pl_run_opts *o,
                          const pl_git_blob *blobs, size_t nblobs,
                          const pl_git_change *changes, size_t nchanges)
{
	size_t i, k = 0, n = pl_findings_len(all);
	for (i = 0; i < n; i++) {
		pl_finding *x = pl_findings_at(all, i);
		const char *path = x->src->path;
		bool keep = true;
		if (blobs) {
			const pl_git_blob *b =
			        pl_git_blob_find(blobs, nblobs, path);
			/* content git could not give is reported even
			 * when it only fed the model */
			keep = b && (b->staged || x->src->skip == PL_SKIP_GIT);
		}
		if (keep && o->diff_base) {
			const pl_git_change *c =
			        pl_git_change_find(changes, nchanges, path);
			keep = c != NULL;
			/* a whole-file finding (line 1, column 1 of an empty
			 * span) belongs to the file: kept when it changed */
			if (keep && o->new_only && x->span.end.offset != 0)
				keep = line_changed(c, x->span.start.line);
		}
		if (!keep) {
			pl_finding_release(x);
			continue;
		}
		if (k != i)
			*pl_findings_at(all, k) = *x;
		k++;
	}
	all->items.len = k;
}

/* The date until= suppressions are compared with: SOURCE_DATE_EPOCH
 * (reproducible builds' convention, used by the tests), else now. */
void pl_run__today(char out[11])
{
	const char *env = getenv("SOURCE_DATE_EPOCH");
	time_t t = time(NULL);
	struct tm tm;
	if (env && *env) {
		char *end;
		long long v = strtoll(env, &end, 10);
		if (*end == '\0' && v >= 0)
			t = (time_t)v;
	}
	if (!gmtime_r(&t, &tm) || strftime(out, 11, "%Y-%m-%d", &tm) == 0)
		snprintf(out, 11, "1970-01-01");
}

int pl_run_registry(pl_registry *reg, pl_ruleset **rs, const char *const *dirs,
                    size_t ndirs, pl_error *err)
{
	size_t i;
	int rc;

	pl_ruleset_new(rs);
	rc = pl_registry_init(reg, pl_builtin_rules, pl_builtin_rules_len, err);
	for (i = 0; rc == 0 && i < pl_builtin_packs_len; i++)
		rc = pl_ruleset_load_mem(*rs, pl_builtin_packs[i].path,
		                         pl_builtin_packs[i].data,
		                         pl_builtin_packs[i].len, err);
	for (i = 0; rc == 0 && i < ndirs; i++)
		rc = pl_ruleset_load_dir(*rs, dirs[i], err);
	if (rc == 0)
		rc = pl_ruleset_register(*rs, reg, err);
	return rc;
}

char *pl_run__display_path(const char *cwd, const char *root, const char *path)
{
	char *shown;
	pl_buf abs;

	if (!cwd || !root || path[0] == '/')
		return pl_xstrdup(path);
	pl_buf_init(&abs, 0);
	pl_buf_addf(&abs, "%s%s%s", root, strcmp(root, "/") ? "/" : "", path);
	shown = pl_path_relative(cwd, abs.ptr);
	pl_buf_release(&abs);
	return shown;
}

/* --config FILE, else .plumb.yaml at the root when there is one. */
static int load_config_file(pl_config *c, const pl_run_opts *o,
                            const char *root, pl_registry *reg, pl_ruleset *rs,
                            pl_error *err)
{
	pl_buf path;
	const char *shown = o->config;
	struct stat st;
	size_t i;
	int rc = 0;

	pl_config_init(c);
	pl_buf_init(&path, 0);
	if (o->config) {
		pl_buf_addf(&path, "%s", o->config);
	} else {
		if (!root)
			goto done;
		pl_buf_addf(&path, "%s/.plumb.yaml", root);
		if (stat(path.ptr, &st) != 0)
			goto done;
		shown = ".plumb.yaml"; /* paths are relative to the root */
	}
	rc = pl_config_load(c, shown, path.ptr, err);
	if (rc == 0 && !o->config) {
		char *cwd = getcwd(NULL, 0);
		c->file.src.display = pl_run__display_path(cwd, root, shown);
		free(cwd);
	}
	/* rule-dirs first: the config may set their rules' severities */
	for (i = 0; rc == 0 && i < c->rule_dirs.len; i++) {
		const char *d = *(const char **)pl_vec_at(&c->rule_dirs, i);
		pl_buf_reset(&path);
		if (d[0] == '/' || !root)
			pl_buf_addf(&path, "%s", d);
		else
			pl_buf_addf(&path, "%s/%s", root, d);
		rc = pl_ruleset_load_dir(rs, path.ptr, err);
	}
	if (rc == 0)
		rc = pl_ruleset_register(rs, reg, err);
	if (rc == 0)
		rc = pl_config_apply(c, reg, err);
done:
	pl_buf_release(&path);
	return rc;
}

/* The configuration, then --enable/--disable, which win over it. */
int pl_run__load_config(pl_config *c, const pl_run_opts *o, const char *root,
                        pl_registry *reg, pl_ruleset *rs, pl_error *err)
{
	size_t i;
	int rc = load_config_file(c, o, root, reg, rs, err);
	for (i = 0; rc == 0 && i < o->ntoggles; i++)
		rc = pl_registry_toggle(
		        reg, o->toggles[i].id, o->toggles[i].on,
		        o->toggles[i].on ? "--enable" : "--disable", err);
	return rc;
}

/* Removes the walk entries that the configuration excludes. */
static void drop_excluded(pl_walk *w, const pl_config *c)
{
	size_t i, o = 0;
	for (i = 0; i < w->entries.len; i++) {
		pl_walk_entry *e = pl_vec_at(&w->entries, i);
		if (pl_config_excluded(c, e->path)) {
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

/* What `plumb check` reads: the walk of the PATHs, or the git index
 * (--staged), and the changes --diff-base reports on. */
typedef struct inputs {
	pl_walk walk;
	pl_git *git;
	pl_git_blob *blobs;
	size_t nblobs;
	pl_git_change *changes;
	size_t nchanges;
	bool use_stdin;
} inputs;

static void inputs_release(inputs *in)
{
	pl_git_blobs_free(in->blobs, in->nblobs);
	pl_git_changes_free(in->changes, in->nchanges);
	pl_git_free(in->git);
	pl_walk_release(&in->walk);
}

/* --staged and --diff-base: the index as the input, the changes. */
static int gather_git(inputs *in, const pl_run_opts *o, const char **paths,
                      size_t *npaths, pl_error *err)
{
	int rc = open_git(&in->git, o, *npaths ? paths[0] : ".", err);
	if (rc == 0 && o->staged) {
		/* the index is the input: nothing read from disk; the
		 * blobs are read by the pool (pl_session_lint) */
		in->walk.root = pl_xstrdup(pl_git_workdir(in->git));
		in->walk.in_git = true;
		rc = pl_git_index(in->git, &in->blobs, &in->nblobs, err);
		if (rc == 0)
			rc = staged_under(in->blobs, in->nblobs, in->walk.root,
			                  o->npaths ? paths : NULL, *npaths,
			                  err);
		*npaths = 0;
	}
	if (rc == 0 && o->diff_base)
		rc = pl_git_changes(in->git, o->diff_base, o->include_worktree,
		                    o->new_only, &in->changes, &in->nchanges,
		                    err);
	return rc;
}

static void inputs_init(inputs *in)
{
	memset(in, 0, sizeof(*in));
	pl_walk_init(&in->walk);
}

static int gather(inputs *in, const pl_run_opts *o, pl_error *err)
{
	pl_walk_opts wopts;
	const char **paths = pl_xcalloc(o->npaths + 1, sizeof(*paths));
	size_t npaths = 0, i;
	int rc = 0;

	for (i = 0; i < o->npaths; i++) {
		if (strcmp(o->paths[i], "-") == 0)
			in->use_stdin = true;
		else
			paths[npaths++] = o->paths[i];
	}
	if (o->npaths == 0)
		paths[npaths++] = ".";
	memset(&wopts, 0, sizeof(wopts));
	wopts.no_ignore = o->no_ignore;
	wopts.root = o->root;
	if (o->staged || o->diff_base)
		rc = gather_git(in, o, paths, &npaths, err);
	if (rc == 0 && npaths)
		rc = pl_walk_paths(&in->walk, paths, npaths, &wopts, err);
	free(paths);
	return rc;
}

/* The report, or the baseline, or a --fix round; then what git could
 * not give fails the run. */
static int finish(const pl_run_opts *o, pl_session *s, inputs *in, pl_lint *l,
                  bool *failed, pl_error *err)
{
	pl_vec unread; /* const pl_source *: what git could not give */
	bool recorded;
	size_t i;
	int rc;

	/* every file fed the model; only the staged or changed ones (or
	 * lines) are reported */
	if (in->blobs || in->changes || o->diff_base)
		keep_in_scope(&l->all, o, in->blobs, in->nblobs, in->changes,
		              in->nchanges);
	pl_vec_init(&unread, sizeof(const pl_source *));
	for (i = 0; i < l->nfiles; i++) {
		const pl_source *src = &l->files[i].src;
		if (src->skip == PL_SKIP_GIT)
			pl_vec_append(&unread, &src);
	}
	rc = pl_run__outcome(o, &l->all, pl_session_key(s),
	                     pl_session_fail_on(s), "check", failed, &recorded,
	                     err);
	if (!recorded && o->fix != PL_FIX_NONE) {
		rc = pl_run__fix_round(o, &l->all, err);
	} else if (!recorded) {
		pl_report r;
		const char **shipped =
		        pl_xcalloc(pl_builtin_packs_len + 1, sizeof(*shipped));
		for (i = 0; i < pl_builtin_packs_len; i++)
			shipped[i] = pl_builtin_packs[i].path;
		memset(&r, 0, sizeof(r));
		r.findings = &l->all;
		r.files = files_reported(l->files, l->nfiles, in->blobs, o,
		                         in->changes, in->nchanges);
		r.color = o->color;
		r.quiet = o->quiet;
		r.summary = o->summary;
		r.registry = pl_session_registry(s);
		r.root = in->walk.root;
		r.shipped = shipped;
		r.unread = unread.items;
		r.nunread = unread.len;
		rc = pl_run__write_report(o, &r, err);
		free(shipped);
	}
	if (rc == 0 && unread.len) {
		char fix[256];
		pl_git_unread_fix(in->git, fix, sizeof(fix));
		rc = pl_run__unread_fail(err, "--staged", unread.items,
		                         unread.len, fix);
	}
	pl_vec_release(&unread);
	return rc;
}

int pl_run_check(const pl_run_opts *o, bool *failed, pl_error *err)
{
	pl_session *s = NULL;
	pl_session_input si;
	inputs in;
	pl_lint l;
	int rc;

	*failed = false;
	pl_lint_init(&l);
	inputs_init(&in);
	/* the rules compile while git and the folders are read */
	rc = pl_session_start(&s, o, 0, err);
	if (rc == 0) {
		rc = gather(&in, o, err);
		rc = pl_session_configure(s, in.walk.root, in.walk.in_git, rc,
		                          err);
	}
	if (rc == 0) {
		if (!o->no_cache)
			pl_session_use_cache(s, o->build);
		drop_excluded(&in.walk, pl_session_config(s));
		if (in.blobs)
			drop_excluded_blobs(in.blobs, &in.nblobs,
			                    pl_session_config(s), true);
		memset(&si, 0, sizeof(si));
		si.entries = in.walk.entries.items;
		si.nentries = in.walk.entries.len;
		si.blobs = in.blobs;
		si.nblobs = in.nblobs;
		si.git = in.git;
		si.use_stdin = in.use_stdin;
		rc = pl_session_lint(s, &si, &l, err);
	}
	if (rc == 0)
		rc = finish(o, s, &in, &l, failed, err);
	pl_lint_release(&l);
	pl_session_close(s);
	inputs_release(&in);
	return rc;
}
