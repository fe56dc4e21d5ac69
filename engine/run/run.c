/*
 * run.c - pl_run_check: walk, read and parse files on the pool, evaluate
 * rules per file, merge and sort the findings once, write the report.
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

#include <sys/stat.h>
#include "model/model.h"
#include "rule/eval.h"
#include "source/walk.h"
#include "source/gitsrc.h"
#include "builtin/builtin.h"
#include "rule/decl.h"

#include <time.h>
#include <unistd.h>

typedef struct job {
	const pl_run_opts *opts;
	const pl_registry *reg;
	pl_file *files;
	const pl_walk_entry *entries; /* parallel to files, NULL for stdin */
	size_t nentries;
	pl_git_blob *blobs; /* --staged: parallel to files instead */
	size_t nblobs;
	pl_findings *found;               /* one list per worker */
	pl_ctx *ctxs;                     /* one per worker */
	const pl_object *const *rendered; /* the model's rendered copies */
	size_t nfiles;                    /* pass 2: items past it are copies */
	const char *reads[64]; /* what the rules on read across files */
	size_t nreads;
	pl_map built; /* --staged: folders with a kustomization file */
} job;

void pl_run_opts_init(pl_run_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = PL_FORMAT_TEXT;
	o->fail_on = PL_SEV_ERROR;
	pl_limits_default(&o->limits);
}

/* What a staged file is, by name; a chart template (templates/ beside a
 * Chart.yaml) is text, as the walk decides on disk. */
static pl_source_kind staged_kind(const job *j, const char *path)
{
	const char *t = strstr(path, "templates/");
	pl_source_kind k = pl_walk_classify(path);
	if (k == PL_SOURCE_YAML && t && (t == path || t[-1] == '/')) {
		char chart[4096];
		snprintf(chart, sizeof(chart), "%.*sChart.yaml",
		         (int)(t - path), path);
		/* blobs are sorted by path: a search, not a scan per file */
		if (pl_git_blob_find(j->blobs, j->nblobs, chart))
			return PL_SOURCE_TEMPLATE;
	}
	return k;
}

/*
 * Whether a YAML file the run does not lint (--staged: not staged) can
 * matter to the files it lints: the model reads it (pl_model_reads:
 * kustomizations, Pulumi projects, Flux objects), or its bytes name
 * something a rule that is on reads across files (pl_rule.reads: the
 * ConfigMaps and Secrets of envFrom, CRDs, ...). A file that names none
 * is left unparsed (a build parses it if it reaches it); the model still
 * lists its path (flux/kustomization-path looks for folders). The test
 * is on bytes, so a comment that names one only costs a parse. With
 * --strict or --schema-location, schema/invalid looks at every object's
 * kind (the schema to find, the first object without one), so then every
 * file is parsed.
 */
static bool feeds_model(const job *j, const char *path, const char *data)
{
	size_t i;
	if (pl_model_reads(path, data))
		return true;
	for (i = 0; data && i < j->nreads; i++)
		if (strstr(data, j->reads[i]))
			return true;
	return false;
}

/*
 * --staged: the folders that hold a kustomization file. A build of one
 * reaches, most of the time, every manifest below it; such a file is
 * better parsed by the pool, in parallel, than by the build, one at a
 * time (parsing more never changes a finding, see feeds_model).
 */
static void collect_built(job *j)
{
	static const char *const names[] = {
	        "kustomization.yaml", "kustomization.yml", "Kustomization"};
	size_t i, k;

	for (i = 0; i < j->nblobs; i++) {
		const char *path = j->blobs[i].path;
		const char *slash = strrchr(path, '/');
		const char *base = slash ? slash + 1 : path;
		for (k = 0; k < PL_ARRAY_SIZE(names); k++)
			if (strcmp(base, names[k]) == 0)
				pl_map_put(&j->built, path,
				           slash ? (size_t)(slash - path) : 0,
				           (void *)path, NULL);
	}
}

/* Does a kustomization sit in path's folder or a folder above it? */
static bool under_build(const job *j, const char *path)
{
	const char *end = strrchr(path, '/');

	if (j->built.len == 0)
		return false;
	for (;;) {
		size_t n = end ? (size_t)(end - path) : 0;
		if (pl_map_get(&j->built, path, n))
			return true;
		if (n == 0)
			return false;
		while (end > path && end[-1] != '/')
			end--;
		end = end > path ? end - 1 : NULL;
	}
}

/* What the rules that are on read across files (pl_rule.reads), each
 * once. */
static void collect_reads(job *j, const pl_registry *reg)
{
	size_t i, k, m;
	j->nreads = 0;
	for (i = 0; i < reg->len; i++) {
		const char *const *r = reg->rules[i]->reads;
		if (reg->severity[i] == PL_SEV_OFF || !r)
			continue;
		for (k = 0; r[k]; k++) {
			bool seen = false;
			for (m = 0; m < j->nreads && !seen; m++)
				seen = strcmp(j->reads[m], r[k]) == 0;
			if (!seen && j->nreads < PL_ARRAY_SIZE(j->reads))
				j->reads[j->nreads++] = r[k];
		}
	}
}

/* Pass 1: read and parse file i. */
static void load_one(void *arg, unsigned worker, size_t i)
{
	job *j = arg;
	pl_file *f = &j->files[i];

	(void)worker;
	if (j->blobs && j->blobs[i].unread) {
		/* git could not give it: a source/unreadable finding */
		pl_git_blob *b = &j->blobs[i];
		f->src.path = pl_xstrdup(b->path);
		f->src.kind = PL_SOURCE_SKIPPED;
		f->src.skip = PL_SKIP_GIT;
		f->src.skip_note = b->unread;
		b->unread = NULL;
	} else if (j->blobs) {
		pl_git_blob *b = &j->blobs[i];
		pl_source_read_mem(&f->src, b->path, b->data, b->len,
		                   &j->opts->limits);
		b->data = NULL; /* the source owns it now */
		if (f->src.kind != PL_SOURCE_SKIPPED)
			f->src.kind = staged_kind(j, b->path);
		/* data is NUL-terminated, and has no NUL inside (binary
		 * files are skipped) */
		if (!b->staged && f->src.kind == PL_SOURCE_YAML &&
		    !j->opts->strict && !j->opts->nschema_dirs &&
		    !feeds_model(j, b->path, f->src.data) &&
		    !under_build(j, b->path))
			return; /* never linted, and nothing reads it */
	} else if (i < j->nentries) {
		const pl_walk_entry *e = &j->entries[i];
		if (e->skip != PL_SKIP_NONE) {
			f->src.path = pl_xstrdup(e->path);
			f->src.kind = PL_SOURCE_SKIPPED;
			f->src.skip = e->skip;
			f->src.skip_errno = e->skip_errno;
		} else {
			pl_source_read_file(&f->src, e->path, e->fspath,
			                    &j->opts->limits);
			if (f->src.kind != PL_SOURCE_SKIPPED)
				f->src.kind = e->kind;
		}
	} else {
		const char *name = j->opts->stdin_filename
		                           ? j->opts->stdin_filename
		                           : "<stdin>";
		pl_source_read_fd(&f->src, name, STDIN_FILENO,
		                  &j->opts->limits);
		/* a stream on standard input is YAML (kubectl, kustomize,
		 * helm template all print YAML) */
		if (f->src.kind != PL_SOURCE_SKIPPED)
			f->src.kind = PL_SOURCE_YAML;
	}
	pl_file_load(f, &j->opts->limits);
}

/* Pass 2: run the rules on file i, with every file of the run loaded
 * (a Pulumi stack file's rules read its Pulumi.yaml). */
static void lint_one(void *arg, unsigned worker, size_t i)
{
	job *j = arg;
	/* --staged: every file feeds the model, only staged ones are
	 * linted (the others' findings would be dropped anyway) */
	if (j->blobs && !j->blobs[i].staged &&
	    j->files[i].src.skip != PL_SKIP_GIT)
		return;
	pl_eval_file(&j->ctxs[worker], j->reg, &j->files[i]);
}

/* Pass 2, built objects: the rules on rendered copy i (model/render.h). */
static void lint_rendered(void *arg, unsigned worker, size_t i)
{
	job *j = arg;
	pl_eval_rendered(&j->ctxs[worker], j->reg, j->rendered[i]);
}

/* Pass 2 as one pool run: the files, then the rendered copies, so that
 * no worker waits at a barrier between the two. */
static void lint_item(void *arg, unsigned worker, size_t i)
{
	job *j = arg;
	if (i < j->nfiles)
		lint_one(arg, worker, i);
	else
		lint_rendered(arg, worker, i - j->nfiles);
}

/* pl_registry_prepare beside the walk (pl_pool_start). */
typedef struct prep_job {
	pl_registry *reg;
	pl_pool_task *task;
	bool waited;
	int rc;
	pl_error err;
} prep_job;

static void prepare_rules(void *arg)
{
	prep_job *p = arg;
	p->rc = pl_registry_prepare(p->reg, &p->err);
}

/* Waits for the rules to be prepared (once). Their error comes first,
 * as when they were prepared before the walk; else rc stands. */
static int prepared(prep_job *p, int rc, pl_error *err)
{
	if (!p->waited) {
		pl_pool_wait(p->task);
		p->task = NULL;
		p->waited = true;
	}
	if (p->rc) {
		if (err) {
			*err = p->err;
			if (err->path) /* into the struct's own file[] */
				err->path = err->file;
		}
		return p->rc;
	}
	return rc;
}

/* The files in the order the pool hands them out, biggest first (the
 * blobs' sizes before loading, the sources' after), so that no worker is
 * left alone with a big file at the end of a pass; then `extra` small
 * items (rendered copies), which fill the end. */
static size_t *heaviest_first(const pl_file *files, size_t n,
                              const pl_git_blob *blobs, size_t extra)
{
	size_t *w = pl_xcalloc(n + extra ? n + extra : 1, sizeof(*w)), *order;
	size_t i;
	for (i = 0; i < n; i++)
		w[i] = blobs ? blobs[i].len : files[i].src.len;
	order = pl_pool_order_heaviest(w, n + extra);
	free(w);
	return order;
}

static int cmp_file_path(const void *a, const void *b)
{
	const pl_file *x = *(const pl_file *const *)a;
	const pl_file *y = *(const pl_file *const *)b;
	return strcmp(x->src.path, y->src.path);
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
	switch (o->format) {
	case PL_FORMAT_JSON:
		rc = pl_report_json(out, r, err);
		break;
	case PL_FORMAT_SARIF:
		rc = pl_report_sarif(out, r, err);
		break;
	case PL_FORMAT_GITHUB:
		rc = pl_report_github(out, r, err);
		break;
	default:
		rc = pl_report_text(out, r, err);
		break;
	}
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

static pl_severity severity_of(const pl_registry *reg, const char *id)
{
	size_t idx;
	return pl_registry_find(reg, id, &idx) ? reg->severity[idx]
	                                       : PL_SEV_OFF;
}

/* Marks what inline ignores, annotations, .plumb.yaml and the baseline
 * suppress, and adds the suppression/ findings. */
static void suppress(pl_findings *all, const pl_run_opts *o,
                     const pl_registry *reg, const pl_config *config,
                     pl_file *const *files, size_t nfiles,
                     const uint64_t *baseline, size_t nbaseline)
{
	pl_suppress_opts so;
	char day[11];

	memset(&so, 0, sizeof(so));
	pl_run__today(day);
	so.today = o->today ? o->today : day;
	so.config = config->ignores.items;
	so.nconfig = config->ignores.len;
	so.baseline = baseline;
	so.nbaseline = nbaseline;
	so.missing_reason = severity_of(reg, "suppression/missing-reason");
	so.expired = severity_of(reg, "suppression/expired");
	so.unused = severity_of(reg, "suppression/unused");
	pl_suppress_apply(all, (const pl_file *const *)files, nfiles, &so);
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

/* Text and JSON reports show paths from the current directory: a file
 * found on disk as its PATH argument spelt it, joined with the names
 * below (normalised); one read from git from the root. */
static void set_display(pl_file *files, size_t n, const pl_walk_entry *e,
                        size_t ne, bool blobs, const char *root)
{
	char *cwd = blobs ? getcwd(NULL, 0) : NULL; /* once, not per blob */
	size_t i;
	for (i = 0; i < n; i++) {
		pl_source *s = &files[i].src;
		if (!s->path || s->display)
			continue;
		if (!blobs && i < ne && e[i].fspath)
			s->display = pl_walk_normalise(e[i].fspath);
		else if (blobs)
			s->display = pl_run__display_path(cwd, root, s->path);
	}
	free(cwd);
}

/* --config FILE, else .plumb.yaml at the root when there is one. */
static int load_config_file(pl_config *c, const pl_run_opts *o,
                            const char *root, pl_registry *reg, pl_ruleset *rs,
                            pl_error *err)
{
	char path[4096];
	const char *shown = o->config;
	struct stat st;
	size_t i;
	int rc;

	pl_config_init(c);
	if (o->config) {
		snprintf(path, sizeof(path), "%s", o->config);
	} else {
		if (!root)
			return 0;
		snprintf(path, sizeof(path), "%s/.plumb.yaml", root);
		if (stat(path, &st) != 0)
			return 0;
		shown = ".plumb.yaml"; /* paths are relative to the root */
	}
	rc = pl_config_load(c, shown, path, err);
	if (rc == 0 && !o->config) {
		char *cwd = getcwd(NULL, 0);
		c->file.src.display = pl_run__display_path(cwd, root, shown);
		free(cwd);
	}
	/* rule-dirs first: the config may set their rules' severities */
	for (i = 0; rc == 0 && i < c->rule_dirs.len; i++) {
		const char *d = *(const char **)pl_vec_at(&c->rule_dirs, i);
		char full[4096];
		if (d[0] == '/' || !root)
			snprintf(full, sizeof(full), "%s", d);
		else
			snprintf(full, sizeof(full), "%s/%s", root, d);
		rc = pl_ruleset_load_dir(rs, full, err);
	}
	if (rc == 0)
		rc = pl_ruleset_register(rs, reg, err);
	if (rc == 0)
		rc = pl_config_apply(c, reg, err);
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

int pl_run_check(const pl_run_opts *o, bool *failed, pl_error *err)
{
	pl_registry reg;
	pl_walk walk;
	pl_walk_opts wopts;
	pl_findings all;
	job j;
	const char **paths;
	size_t npaths = 0, nfiles, i;
	bool use_stdin = false, recorded;
	unsigned jobs;
	pl_file **by_path;
	size_t *order; /* the pool's hand-out order */
	pl_model *model = NULL;
	pl_config config;
	pl_severity fail_on = o->fail_on;
	uint64_t *baseline = NULL;
	unsigned char key[PL_KEY_LEN];
	size_t nbaseline = 0;
	pl_ruleset *ruleset = NULL;
	pl_git *git = NULL;
	pl_git_blob *blobs = NULL;
	size_t nblobs = 0, nchanges = 0;
	pl_git_change *changes = NULL;
	prep_job prep;
	pl_vec unread; /* const pl_source *: what git could not give */
	char fix[256];
	int rc;

	*failed = false;
	pl_vec_init(&unread, sizeof(const pl_source *));
	rc = pl_run_registry(&reg, &ruleset, o->rule_dirs, o->nrule_dirs, err);
	if (rc) {
		pl_registry_release(&reg);
		pl_ruleset_free(ruleset);
		return rc;
	}
	/* the rules compile (patterns, schemas) while git and the folders
	 * are read; with -j1, one thread does both, in turn */
	memset(&prep, 0, sizeof(prep));
	prep.reg = &reg;
	if ((o->jobs ? o->jobs : pl_pool_cores()) > 1)
		prep.task = pl_pool_start(prepare_rules, &prep);
	else
		prepare_rules(&prep);

	paths = pl_xcalloc(o->npaths + 1, sizeof(*paths));
	for (i = 0; i < o->npaths; i++) {
		if (strcmp(o->paths[i], "-") == 0)
			use_stdin = true;
		else
			paths[npaths++] = o->paths[i];
	}
	if (o->npaths == 0)
		paths[npaths++] = ".";

	pl_walk_init(&walk);
	memset(&wopts, 0, sizeof(wopts));
	wopts.no_ignore = o->no_ignore;
	wopts.root = o->root;
	if (o->staged || o->diff_base) {
		rc = open_git(&git, o, npaths ? paths[0] : ".", err);
		if (rc == 0 && o->staged) {
			/* the index is the input: nothing read from disk */
			walk.root = pl_xstrdup(pl_git_workdir(git));
			walk.in_git = true;
			rc = pl_git_index(git, o->limits.max_file_size, &blobs,
			                  &nblobs, err);
			if (rc == 0)
				rc = staged_under(blobs, nblobs, walk.root,
				                  o->npaths ? paths : NULL,
				                  npaths, err);
			npaths = 0;
		}
		if (rc == 0 && o->diff_base)
			rc = pl_git_changes(git, o->diff_base,
			                    o->include_worktree, o->new_only,
			                    &changes, &nchanges, err);
		rc = prepared(&prep, rc, err);
		if (rc) {
			free(paths);
			pl_git_blobs_free(blobs, nblobs);
			pl_git_changes_free(changes, nchanges);
			pl_git_free(git);
			pl_walk_release(&walk);
			pl_registry_release(&reg);
			pl_ruleset_free(ruleset);
			return rc;
		}
	}
	if (npaths) {
		rc = pl_walk_paths(&walk, paths, npaths, &wopts, err);
		rc = prepared(&prep, rc, err);
		if (rc) {
			free(paths);
			pl_walk_release(&walk);
			pl_registry_release(&reg);
			pl_ruleset_free(ruleset);
			return rc;
		}
	}
	free(paths);
	rc = prepared(&prep, 0, err);
	if (rc) {
		pl_walk_release(&walk);
		pl_registry_release(&reg);
		pl_ruleset_free(ruleset);
		return rc;
	}

	rc = pl_run__load_config(&config, o, walk.root, &reg, ruleset, err);
	if (rc) {
		pl_config_release(&config);
		pl_walk_release(&walk);
		pl_registry_release(&reg);
		pl_ruleset_free(ruleset);
		return rc;
	}
	rc = pl_run__baseline_and_key(&baseline, &nbaseline, key, o, walk.root,
	                              walk.in_git, err);
	if (rc) {
		pl_config_release(&config);
		pl_walk_release(&walk);
		pl_registry_release(&reg);
		pl_ruleset_free(ruleset);
		return rc;
	}
	if (!o->fail_on_set && config.has_fail_on)
		fail_on = config.fail_on;
	drop_excluded(&walk, &config);
	if (blobs)
		drop_excluded_blobs(blobs, &nblobs, &config, true);

	nfiles = blobs ? nblobs : walk.entries.len + (use_stdin ? 1 : 0);
	jobs = o->jobs ? o->jobs : pl_pool_cores();
	memset(&j, 0, sizeof(j));
	j.opts = o;
	j.reg = &reg;
	j.files = pl_xcalloc(nfiles ? nfiles : 1, sizeof(pl_file));
	for (i = 0; i < nfiles; i++)
		pl_file_init(&j.files[i]);
	j.entries = walk.entries.items;
	j.nentries = walk.entries.len;
	j.blobs = blobs;
	j.nblobs = nblobs;
	j.found = pl_xcalloc(jobs, sizeof(pl_findings));
	j.ctxs = pl_xcalloc(jobs, sizeof(pl_ctx));
	for (i = 0; i < jobs; i++) {
		pl_findings_init(&j.found[i]);
		pl_ctx_init(&j.ctxs[i], &j.found[i],
		            o->limits.max_findings_per_file);
		pl_ctx_set_allowlist(&j.ctxs[i], &config.allow);
		pl_ctx_set_fingerprint_key(&j.ctxs[i], key, sizeof(key));
	}

	collect_reads(&j, &reg);
	pl_map_init(&j.built);
	if (blobs)
		collect_built(&j);
	order = blobs ? heaviest_first(j.files, nfiles, blobs, 0) : NULL;
	pl_pool_run_order(jobs, nfiles, order, load_one, &j);
	free(order);
	pl_map_release(&j.built);
	set_display(j.files, nfiles, j.entries, j.nentries, blobs != NULL,
	            walk.root);
	by_path = pl_xcalloc(nfiles ? nfiles : 1, sizeof(*by_path));
	for (i = 0; i < nfiles; i++)
		by_path[i] = &j.files[i];
	qsort(by_path, nfiles, sizeof(*by_path), cmp_file_path);
	/* a kustomization may build files beyond the PATHs; under
	 * --staged the index is the whole repository */
	if (getenv("PLUMB_MEASURE_NO_BUILD")) /* make bench only */
		pl_model_build_unrendered(&model, by_path, nfiles);
	else
		pl_model_build_on(&model, by_path, nfiles,
		                  blobs ? NULL : walk.root);
	pl_findings_init(&all);
	{
		/* rules that need the whole run (schema/invalid: the CRDs
		 * among the files) finish their state here, once */
		pl_rule_env env;
		memset(&env, 0, sizeof(env));
		env.schema_dirs = o->schema_dirs;
		env.nschema_dirs = o->nschema_dirs;
		env.strict = o->strict;
		env.limits = &o->limits;
		rc = pl_registry_bind(&reg, model, &env, err);
		if (rc)
			goto cleanup;
	}
	for (i = 0; i < jobs; i++)
		pl_ctx_set_model(&j.ctxs[i], model);
	{
		size_t nrendered;
		j.rendered = pl_model_rendered(model, &nrendered);
		j.nfiles = nfiles;
		order = heaviest_first(j.files, nfiles, NULL, nrendered);
		pl_pool_run_order(jobs, nfiles + nrendered, order, lint_item,
		                  &j);
		free(order);
	}

	for (i = 0; i < jobs; i++)
		pl_findings_move(&all, &j.found[i]);
	pl_findings_sort(&all);
	pl_findings_dedupe(&all);
	pl_findings_redact(&all);
	pl_findings_fingerprint(&all);
	suppress(&all, o, &reg, &config, by_path, nfiles, baseline, nbaseline);
	/* the stage added findings of its own */
	pl_findings_sort(&all);
	pl_findings_merge_same_value(&all);
	pl_findings_redact(&all);
	pl_findings_fingerprint(&all);
	/* every file fed the model; only the staged or changed ones (or
	 * lines) are reported */
	if (blobs || changes || o->diff_base)
		keep_in_scope(&all, o, blobs, nblobs, changes, nchanges);
	for (i = 0; i < nfiles; i++) {
		const pl_source *src = &j.files[i].src;
		if (src->skip == PL_SKIP_GIT)
			pl_vec_append(&unread, &src);
	}
	rc = pl_run__outcome(o, &all, key, fail_on, "check", failed, &recorded,
	                     err);
	if (!recorded && o->fix != PL_FIX_NONE) {
		rc = pl_run__fix_round(o, &all, err);
	} else if (!recorded) {
		pl_report r;
		const char **shipped =
		        pl_xcalloc(pl_builtin_packs_len + 1, sizeof(*shipped));
		for (i = 0; i < pl_builtin_packs_len; i++)
			shipped[i] = pl_builtin_packs[i].path;
		memset(&r, 0, sizeof(r));
		r.findings = &all;
		r.files = files_reported(j.files, nfiles, blobs, o, changes,
		                         nchanges);
		r.color = o->color;
		r.quiet = o->quiet;
		r.summary = o->summary;
		r.registry = &reg;
		r.root = walk.root;
		r.shipped = shipped;
		r.unread = unread.items;
		r.nunread = unread.len;
		rc = pl_run__write_report(o, &r, err);
		free(shipped);
	}
	if (rc == 0 && unread.len) {
		pl_git_unread_fix(git, fix, sizeof(fix));
		rc = pl_run__unread_fail(err, "--staged", unread.items,
		                         unread.len, fix);
	}

cleanup:
	pl_vec_release(&unread);
	pl_findings_release(&all);
	pl_git_blobs_free(blobs, nblobs);
	pl_git_changes_free(changes, nchanges);
	pl_git_free(git);
	free(baseline);
	pl_model_free(model);
	for (i = 0; i < nfiles; i++)
		pl_file_release(&j.files[i]);
	free(by_path);
	free(j.files);
	for (i = 0; i < jobs; i++)
		pl_ctx_release(&j.ctxs[i]);
	free(j.ctxs);
	free(j.found);
	pl_walk_release(&walk);
	pl_registry_release(&reg);
	pl_ruleset_free(ruleset);
	pl_config_release(&config);
	return rc;
}
