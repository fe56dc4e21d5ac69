/*
 * session.c - the lint session (session.h): the registry, configuration,
 * baseline and key of a repository, and lints over it. A lint reads and
 * parses the inputs on the pool, builds the model, evaluates the rules
 * per file and per rendered copy, merges and sorts the findings once and
 * applies the suppression stage.
 */
#include "run/session.h"
#include "run/session_impl.h"
#include "run/run_impl.h"
#include "run/pool.h"
#include "run/cache.h"
#include "base/xalloc.h"
#include "builtin/builtin.h"
#include "finding/suppress.h"
#include "rule/decl.h"
#include "rule/eval.h"
#include "source/gitsrc.h"

#include <unistd.h>

typedef struct job {
	const pl_run_opts *opts;
	const pl_registry *reg;
	pl_file *files;
	const pl_walk_entry *entries; /* parallel to files, NULL for stdin */
	size_t nentries;
	pl_git_blob *blobs; /* --staged: parallel to files instead */
	size_t nblobs;
	pl_git *git; /* reads the blobs, on the workers */
	const pl_overlay *overlay;
	size_t ninputs; /* files past it are overlays the inputs lack: */
	const pl_overlay_item **extra;
	size_t nextra;
	pl_findings *found;               /* one list per worker */
	pl_ctx *ctxs;                     /* one per worker */
	const pl_object *const *rendered; /* the model's rendered copies */
	size_t nfiles;                    /* pass 2: items past it are copies */
	const char *reads[64]; /* what the rules on read across files */
	size_t nreads;
	bool *focus; /* per file: reported on (focus_of); NULL: all */
	/* per rule of reg: are its findings cached (pl_cache_rule_cacheable);
	 * those rules run on a file apart from the others, first, beside
	 * the model build when they can (they read the file alone) */
	bool *cacheable;
	pl_cache *cache; /* NULL: none */
	/* per file: its cacheable rules ran beside the model build */
	bool *alone;
	const pl_session *s; /* load_all's, for build_model */
	pl_lint *l;
} job;

void pl_lint_init(pl_lint *l)
{
	memset(l, 0, sizeof(*l));
	pl_findings_init(&l->all);
}

void pl_lint_release(pl_lint *l)
{
	size_t i;
	if (!l)
		return;
	pl_findings_release(&l->all);
	pl_model_free(l->model);
	for (i = 0; i < l->nfiles; i++)
		pl_file_release(&l->files[i]);
	free(l->files);
	free(l->by_path);
	pl_lint_init(l);
}

/* What a staged file is, by name; a chart template (templates/ beside a
 * Chart.yaml) is text, as the walk decides on disk. */
static pl_source_kind staged_kind(const job *j, const char *path)
{
	const char *t = strstr(path, "templates/");
	pl_source_kind k = pl_walk_classify(path);
	if (k == PL_SOURCE_YAML && t && (t == path || t[-1] == '/')) {
		pl_buf chart;
		bool found;
		pl_buf_init(&chart, 0);
		pl_buf_addf(&chart, "%.*sChart.yaml", (int)(t - path), path);
		/* blobs are sorted by path: a search, not a scan per file */
		found = pl_git_blob_find(j->blobs, j->nblobs, chart.ptr);
		pl_buf_release(&chart);
		if (found)
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

/* An overlay's bytes as file f's source (a copy: the overlay keeps its
 * own). */
static void read_overlay(pl_file *f, const pl_overlay_item *it,
                         pl_source_kind kind, const pl_limits *limits)
{
	char *copy = pl_xmalloc(it->len + 1);
	memcpy(copy, it->data, it->len + 1);
	pl_source_read_mem(&f->src, it->path, copy, it->len, limits);
	if (f->src.kind != PL_SOURCE_SKIPPED)
		f->src.kind = kind;
}

/* Pass 1 for a blob of the index; false: leave it unparsed. */
static bool load_blob(job *j, unsigned worker, pl_file *f, pl_git_blob *b)
{
	const pl_overlay_item *it = pl_overlay_find(j->overlay, b->path);

	/* here, not before the pool: inflating the index's blobs one by
	 * one was a third of a --staged run */
	if (!it && !b->read)
		pl_git_blob_read(j->git, worker, b,
		                 j->opts->limits.max_file_size);
	if (b->unread && !it) {
		/* git could not give it: a source/unreadable finding */
		f->src.path = pl_xstrdup(b->path);
		f->src.kind = PL_SOURCE_SKIPPED;
		f->src.skip = PL_SKIP_GIT;
		f->src.skip_note = b->unread;
		b->unread = NULL;
		return true;
	}
	if (it) {
		read_overlay(f, it, staged_kind(j, b->path), &j->opts->limits);
	} else {
		pl_source_read_mem(&f->src, b->path, b->data, b->len,
		                   &j->opts->limits);
		b->data = NULL; /* the source owns it now */
		if (f->src.kind != PL_SOURCE_SKIPPED)
			f->src.kind = staged_kind(j, b->path);
	}
	/* data is NUL-terminated, and has no NUL inside (binary files are
	 * skipped) */
	return b->staged || f->src.kind != PL_SOURCE_YAML || j->opts->strict ||
	       j->opts->nschema_dirs || feeds_model(j, b->path, f->src.data);
}

/* Pass 1 for a file found on disk (or its overlay). */
static void load_entry(job *j, pl_file *f, const pl_walk_entry *e)
{
	const pl_overlay_item *it = pl_overlay_find(j->overlay, e->path);

	if (it) {
		read_overlay(f, it,
		             e->kind == PL_SOURCE_SKIPPED
		                     ? pl_walk_classify(e->path)
		                     : e->kind,
		             &j->opts->limits);
	} else if (e->skip != PL_SKIP_NONE) {
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
}

/* Pass 1: read and parse file i. */
static void load_one(void *arg, unsigned worker, size_t i)
{
	job *j = arg;
	pl_file *f = &j->files[i];

	if (i >= j->ninputs) {
		/* an overlay no input has: a new, unsaved file */
		const pl_overlay_item *it = j->extra[i - j->ninputs];
		read_overlay(f, it, pl_walk_classify(it->path),
		             &j->opts->limits);
	} else if (j->blobs) {
		if (!load_blob(j, worker, f, &j->blobs[i]))
			return; /* never linted, and nothing reads it */
	} else if (i < j->nentries) {
		load_entry(j, f, &j->entries[i]);
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

/*
 * The rules on file f whose findings are cached: on a hit they do not
 * run (their findings and flagged values come from the cache); on a miss
 * they run and their entry is recorded. They need no model, so they run
 * beside the build (alone_one) on the files loaded by then, or in the
 * rule pass (lint_file) on the others; each part has a per-file cap of
 * its own.
 */
static void cached_part(job *j, unsigned worker, const pl_file *f)
{
	pl_ctx *ctx = &j->ctxs[worker];
	unsigned char key[PL_CACHE_KEY_LEN];
	size_t from = pl_findings_len(ctx->out), ffrom = ctx->out->flagged.len;
	size_t n;
	bool other = false;
	bool cache = j->cache && f->src.data && f->src.skip == PL_SKIP_NONE;

	pl_ctx_set_file(ctx, f);
	if (cache) {
		pl_cache_key(j->cache, key, &f->src);
		if (pl_cache_replay(j->cache, key, j->reg, &f->src, ctx->out,
		                    &n))
			return;
	}
	ctx->read_other = &other;
	pl_eval_file_some(ctx, j->reg, f, j->cacheable, true);
	ctx->read_other = NULL;
	if (cache && !ctx->capped && !other)
		pl_cache_record(j->cache, worker, key, &f->src, ctx->out, from,
		                ffrom);
}

/* The other rules on file f, with the model built. */
static void rest_part(job *j, unsigned worker, const pl_file *f)
{
	pl_ctx *ctx = &j->ctxs[worker];
	pl_ctx_set_file(ctx, f);
	pl_eval_file_some(ctx, j->reg, f, j->cacheable, false);
}

static void lint_file(job *j, unsigned worker, const pl_file *f)
{
	cached_part(j, worker, f);
	rest_part(j, worker, f);
}

/* Pass 2: run the rules on file i, with every file of the run loaded
 * (a Pulumi stack file's rules read its Pulumi.yaml). */
static void lint_one(void *arg, unsigned worker, size_t i)
{
	job *j = arg;
	/* with a focus (--staged: the staged files) every file feeds the
	 * model, only the focus is linted (the others' findings would be
	 * dropped anyway); a blob git could not give is always reported */
	if (j->focus && !j->focus[i] && j->files[i].src.skip != PL_SKIP_GIT)
		return;
	if (j->alone && j->alone[i])
		rest_part(j, worker, &j->files[i]);
	else
		lint_file(j, worker, &j->files[i]);
}

/* Which files the cacheable rules run on beside the model build: those
 * the rules run on, but not a YAML file the load left unparsed (the
 * build parses it if it reaches it). Decided before the build starts:
 * the source, tree and objects' roots of the others are read by both
 * and written by neither, and the cacheable rules read their own file
 * only (pl_cache_rule_cacheable; unit test_cache pins which they are):
 * never the model, nor what the build writes (eval.c's judges() does
 * not read o->rendered for them). */
static void alone_files(job *j, size_t n)
{
	size_t i;
	j->alone = pl_xcalloc(n ? n : 1, sizeof(*j->alone));
	for (i = 0; i < n; i++) {
		const pl_file *f = &j->files[i];
		j->alone[i] = (!j->focus || j->focus[i] ||
		               f->src.skip == PL_SKIP_GIT) &&
		              (f->parsed || f->src.kind != PL_SOURCE_YAML);
	}
}

/* Beside the model build: the cacheable rules on file i. */
static void alone_one(void *arg, unsigned worker, size_t i)
{
	job *j = arg;
	if (j->alone[i])
		cached_part(j, worker, &j->files[i]);
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

/* The files in the order the pool hands them out, biggest first (the
 * blobs' sizes in the index before loading, the sources' after), so that no
 * worker is left alone with a big file at the end of a pass; then `extra` small
 * items (rendered copies), which fill the end. */
static size_t *heaviest_first(const job *j, size_t n, bool blobs, size_t extra)
{
	size_t *w = pl_xcalloc(n + extra ? n + extra : 1, sizeof(*w)), *order;
	size_t i;
	for (i = 0; i < n; i++)
		w[i] = blobs && i < j->ninputs ? j->blobs[i].weight
		                               : j->files[i].src.len;
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

/* Text and JSON reports show paths from the current directory: a file
 * found on disk as its PATH argument spelt it, joined with the names
 * below (normalised); one read from git, or an overlay no input has,
 * from the root. */
static void set_display(const job *j, size_t n, const char *root)
{
	/* getcwd once, not per file */
	char *cwd = j->blobs || j->nextra ? getcwd(NULL, 0) : NULL;
	size_t i;
	for (i = 0; i < n; i++) {
		pl_source *s = &j->files[i].src;
		if (!s->path || s->display)
			continue;
		if (!j->blobs && i < j->nentries && j->entries[i].fspath)
			s->display = pl_walk_normalise(j->entries[i].fspath);
		else if (j->blobs || i >= j->ninputs)
			s->display = pl_run__display_path(cwd, root, s->path);
	}
	free(cwd);
}

static pl_severity severity_of(const pl_registry *reg, const char *id)
{
	size_t idx;
	return pl_registry_find(reg, id, &idx) ? reg->severity[idx]
	                                       : PL_SEV_OFF;
}

/* Marks what inline ignores, annotations, .plumb.yaml and the baseline
 * suppress, and adds the suppression/ findings. */
static void suppress(const pl_session *s, const job *j, pl_lint *l)
{
	pl_suppress_opts so;
	char day[11];

	memset(&so, 0, sizeof(so));
	pl_run__today(day);
	so.today = s->opts->today ? s->opts->today : day;
	so.config = s->config.ignores.items;
	so.nconfig = s->config.ignores.len;
	so.baseline = s->baseline;
	so.nbaseline = s->nbaseline;
	so.missing_reason =
	        severity_of(&s->reg, PL_SUPPRESS_RULE_MISSING_REASON);
	so.expired = severity_of(&s->reg, PL_SUPPRESS_RULE_EXPIRED);
	so.unused = severity_of(&s->reg, PL_SUPPRESS_RULE_UNUSED);
	so.partial = j->focus != NULL;
	pl_suppress_apply(&l->all, (const pl_file *const *)l->by_path,
	                  l->nfiles, &so);
}

/* The overlays no input has: they join the run as files of their own,
 * after the inputs. */
static void overlay_extra(job *j, const pl_session_input *in)
{
	size_t i, k;
	if (!in->overlay)
		return;
	j->extra = pl_xcalloc(in->overlay->items.len + 1, sizeof(*j->extra));
	for (i = 0; i < in->overlay->items.len; i++) {
		const pl_overlay_item *it = pl_vec_at(&in->overlay->items, i);
		bool have = false;
		for (k = 0; k < in->nentries && !have; k++)
			have = strcmp(in->entries[k].path, it->path) == 0;
		if (!have && !pl_git_blob_find(in->blobs, in->nblobs, it->path))
			j->extra[j->nextra++] = it;
	}
}

/* Sets up the job's files and one context per worker. */
static void job_init(job *j, const pl_session *s, const pl_session_input *in,
                     pl_lint *l)
{
	size_t i;

	memset(j, 0, sizeof(*j));
	overlay_extra(j, in);
	j->opts = s->opts;
	j->reg = &s->reg;
	j->entries = in->entries;
	j->nentries = in->nentries;
	j->blobs = in->blobs;
	j->nblobs = in->nblobs;
	j->git = in->git;
	j->overlay = in->overlay;
	j->ninputs =
	        in->blobs ? in->nblobs : in->nentries + (in->use_stdin ? 1 : 0);
	l->nfiles = j->ninputs + j->nextra;
	l->files = pl_xcalloc(l->nfiles ? l->nfiles : 1, sizeof(pl_file));
	for (i = 0; i < l->nfiles; i++)
		pl_file_init(&l->files[i]);
	j->files = l->files;
	j->found = pl_xcalloc(s->jobs, sizeof(pl_findings));
	j->ctxs = pl_xcalloc(s->jobs, sizeof(pl_ctx));
	for (i = 0; i < s->jobs; i++) {
		pl_findings_init(&j->found[i]);
		pl_ctx_init(&j->ctxs[i], &j->found[i],
		            s->opts->limits.max_findings_per_file);
		pl_ctx_set_allowlist(&j->ctxs[i], &s->config.allow);
		pl_ctx_set_fingerprint_key(&j->ctxs[i], s->key, PL_KEY_LEN);
	}
	collect_reads(j, &s->reg);
	j->cacheable = pl_xcalloc(s->reg.len + 1, sizeof(*j->cacheable));
	for (i = 0; i < s->reg.len; i++)
		j->cacheable[i] = pl_cache_rule_cacheable(s->reg.rules[i]);
}

static void job_release(job *j, unsigned jobs)
{
	unsigned i;
	for (i = 0; i < jobs; i++) {
		pl_ctx_release(&j->ctxs[i]);
		pl_findings_release(&j->found[i]);
	}
	free(j->ctxs);
	free(j->found);
	free(j->extra);
	free(j->focus);
	free(j->cacheable);
	free(j->alone);
}

/* Which files the lint reports on: under --staged the staged blobs,
 * else the input's focus paths; NULL: all of them. */
static bool *focus_of(const job *j, const pl_session_input *in,
                      const pl_lint *l)
{
	bool *focus;
	size_t i, k;

	if (!j->blobs && !in->focus)
		return NULL;
	focus = pl_xcalloc(l->nfiles ? l->nfiles : 1, sizeof(*focus));
	for (i = 0; i < l->nfiles; i++) {
		const char *path = l->files[i].src.path;
		if (j->blobs && i < j->ninputs)
			focus[i] = j->blobs[i].staged;
		for (k = 0; k < in->nfocus && path && !focus[i]; k++)
			focus[i] = strcmp(in->focus[k], path) == 0;
	}
	return focus;
}

/* With a focus the model builds only what can render a node of a file
 * the lint reports on (pl_model_build_focus). */
static void build_focus(const job *j, const pl_session *s, pl_lint *l)
{
	const pl_file **files = pl_xcalloc(l->nfiles + 1, sizeof(*files));
	size_t i, n = 0;

	for (i = 0; i < l->nfiles; i++)
		if (j->focus[i])
			files[n++] = &l->files[i];
	/* under --staged the index is the whole repository */
	pl_model_build_focus(&l->model, l->by_path, l->nfiles,
	                     j->blobs ? NULL : s->root, files, n);
	free(files);
}

/* The model: every file indexed, the kustomizations built. */
static void build_model(void *arg)
{
	job *j = arg;
	const pl_session *s = j->s;
	pl_lint *l = j->l;

	/* a kustomization may build files beyond the PATHs */
	if (getenv("PLUMB_MEASURE_NO_BUILD")) /* make bench only */
		pl_model_build_unrendered(&l->model, l->by_path, l->nfiles);
	else if (j->focus)
		build_focus(j, s, l);
	else
		pl_model_build_on(&l->model, l->by_path, l->nfiles, s->root);
}

/* Pass 1 and the model: every file read and parsed, then indexed and
 * built (single-threaded, model/), while the other workers run the
 * rules that need no model (pl_rule.alone), biggest files first. */
static void load_all(job *j, const pl_session *s, const pl_session_input *in,
                     pl_lint *l)
{
	size_t i, *order = NULL; /* the pool's hand-out order */

	if (j->blobs)
		order = heaviest_first(j, l->nfiles, true, 0);
	pl_pool_run_order(s->jobs, l->nfiles, order, load_one, j);
	free(order);
	set_display(j, l->nfiles, s->root);
	l->by_path = pl_xcalloc(l->nfiles ? l->nfiles : 1, sizeof(*l->by_path));
	for (i = 0; i < l->nfiles; i++)
		l->by_path[i] = &l->files[i];
	qsort(l->by_path, l->nfiles, sizeof(*l->by_path), cmp_file_path);
	j->focus = focus_of(j, in, l);
	alone_files(j, l->nfiles);
	j->s = s;
	j->l = l;
	order = heaviest_first(j, l->nfiles, false, 0);
	pl_pool_run_beside(s->jobs, l->nfiles, order, alone_one, j, build_model,
	                   j);
	free(order);
}

/* The findings of every worker, in the one order, suppressions applied. */
static void collect(const pl_session *s, job *j, pl_lint *l)
{
	pl_par par; /* masking and hashing each finding: on the pool */
	unsigned i;

	pl_pool_par(&par, &s->jobs);
	for (i = 0; i < s->jobs; i++)
		pl_findings_move(&l->all, &j->found[i]);
	pl_findings_sort(&l->all);
	pl_findings_dedupe(&l->all);
	pl_findings_redact_par(&l->all, &par);
	pl_findings_fingerprint_par(&l->all, &par);
	suppress(s, j, l);
	/* the stage added findings of its own */
	pl_findings_sort(&l->all);
	pl_findings_merge_same_value(&l->all);
	pl_findings_redact_par(&l->all, &par);
	pl_findings_fingerprint_par(&l->all, &par);
}

/* The cache of this lint's digest, when the session uses one. */
static pl_cache *open_cache(const pl_session *s)
{
	pl_cache_inputs ci;

	if (!s->cache_build)
		return NULL;
	memset(&ci, 0, sizeof(ci));
	ci.build = s->cache_build;
	ci.reg = &s->reg;
	ci.config = &s->config;
	ci.key = s->key;
	ci.key_len = PL_KEY_LEN;
	ci.limits = &s->opts->limits;
	return pl_cache_open(s->root, s->in_git, &ci, s->jobs);
}

int pl_session_lint(pl_session *s, const pl_session_input *in, pl_lint *out,
                    pl_error *err)
{
	pl_rule_env env;
	size_t nrendered, *order;
	unsigned i;
	job j;
	int rc = 0;

	pl_lint_init(out);
	job_init(&j, s, in, out);
	j.cache = open_cache(s);
	/* a reader of git's objects per worker */
	if (in->git)
		rc = pl_git_readers(in->git, s->jobs, err);
	if (rc)
		goto done;
	load_all(&j, s, in, out);
	/* rules that need the whole run (schema/invalid: the CRDs among
	 * the files) finish their state here, once */
	memset(&env, 0, sizeof(env));
	env.schema_dirs = s->opts->schema_dirs;
	env.nschema_dirs = s->opts->nschema_dirs;
	env.strict = s->opts->strict;
	env.limits = &s->opts->limits;
	env.secret_patterns = s->config.patterns.items;
	env.nsecret_patterns = s->config.patterns.len;
	rc = pl_registry_bind(&s->reg, out->model, &env, err);
	if (rc)
		goto done;
	for (i = 0; i < s->jobs; i++)
		pl_ctx_set_model(&j.ctxs[i], out->model);
	j.rendered = pl_model_rendered(out->model, &nrendered);
	j.nfiles = out->nfiles;
	order = heaviest_first(&j, out->nfiles, false, nrendered);
	pl_pool_run_order(s->jobs, out->nfiles + nrendered, order, lint_item,
	                  &j);
	free(order);
	collect(s, &j, out);
done:
	pl_cache_close(j.cache); /* written when this lint changed it */
	job_release(&j, s->jobs);
	return rc;
}
