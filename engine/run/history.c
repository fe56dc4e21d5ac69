/*
 * history.c - pl_run_history: the secrets/ rules over every blob of git
 * history, in batches: the main thread reads (libgit2 is not shared), the
 * pool scans, then sorts, fingerprints and suppresses each blob's findings
 * while its tree lives; the tree dies, the source stays only if findings
 * remain. Merging in history order drops a finding whose stable
 * fingerprint (rule, path, secret or line) an older blob had: a secret
 * that survives edits of its file is reported once, at its first commit.
 */
#include "run/history.h"
#include "run/run_impl.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/map.h"
#include "base/xalloc.h"
#include "finding/suppress.h"
#include "rule/ctx.h"
#include "rule/decl.h"
#include "rule/eval.h"
#include "run/baseline.h"
#include "run/config.h"
#include "run/pool.h"
#include "run/session.h"
#include "source/gitsrc_history.h"
#include "source/walk.h"

#include <sys/stat.h>
#include <time.h>

/* A batch ends at whichever comes first (bounded memory, busy workers). */
#define BATCH_BLOBS 256
#define BATCH_BYTES ((size_t)64 << 20)
/* Progress redraws at most this often. */
#define PROGRESS_NS 100000000LL

/* The source of a blob that has findings; they point at src. */
typedef struct kept {
	pl_source src; /* first member: a finding's src is the kept */
	size_t seq;    /* the blob's index in the history */
} kept;

typedef struct item {
	size_t seq;
	char *data; /* read on the main thread, NULL: not scanned */
	size_t len;
	char *prev; /* the version the blob replaced, or NULL */
	size_t prev_len;
	char *note; /* git could not give it: which object, why */
	pl_findings found;
	kept *keep;
} item;

typedef struct scan {
	const pl_run_opts *opts;
	const pl_registry *reg;
	const pl_git_history *hist;
	const pl_map *charts; /* folders holding a Chart.yaml */
	pl_suppress_opts so;
	pl_ctx *ctxs; /* one per worker */
	item *items;
} scan;

typedef struct progress {
	bool on;
	struct timespec start, last;
	size_t done, total, bytes;
} progress;

static long long elapsed_ns(const struct timespec *a, const struct timespec *b)
{
	return (long long)(b->tv_sec - a->tv_sec) * 1000000000LL +
	       (b->tv_nsec - a->tv_nsec);
}

static void progress_show(progress *p, bool last)
{
	struct timespec now;
	long long ns;
	double mbs;

	if (!p->on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!last && p->done && elapsed_ns(&p->last, &now) < PROGRESS_NS)
		return;
	p->last = now;
	ns = elapsed_ns(&p->start, &now);
	mbs = ns > 0 ? (double)p->bytes / 1e6 / ((double)ns / 1e9) : 0.0;
	fprintf(stderr, "\rplumb: history: %zu/%zu blobs, %.1f MB/s%s", p->done,
	        p->total, mbs, last ? "\n" : "");
	fflush(stderr);
}

/*
 * walk.c makes a file below templates/ of a folder holding Chart.yaml a
 * Helm template (text until rendered) by looking at the disk; here the
 * disk is the history, so a folder counts as a chart when some blob of
 * the history is its Chart.yaml.
 */
static void add_chart(pl_map *charts, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;

	if (strcmp(base, "Chart.yaml") == 0)
		pl_map_put(charts, path, (size_t)(base - path), (void *)path,
		           NULL);
}

static pl_source_kind blob_kind(const pl_map *charts, const char *path)
{
	const char *p;

	for (p = path; (p = strstr(p, "templates/")) != NULL; p++)
		if ((p == path || p[-1] == '/') &&
		    pl_map_get(charts, path, (size_t)(p - path)))
			return PL_SOURCE_TEMPLATE;
	return pl_walk_classify(path);
}

/* A NUL byte or a UTF-16 byte-order mark: not text (as source.c). */
static bool is_binary(const char *data, size_t len)
{
	if (len >= 2 && (((unsigned char)data[0] == 0xfe &&
	                  (unsigned char)data[1] == 0xff) ||
	                 ((unsigned char)data[0] == 0xff &&
	                  (unsigned char)data[1] == 0xfe)))
		return true;
	return memchr(data, '\0', len) != NULL;
}

/* Is needle[0..n) somewhere in hay[0..len)? */
static bool holds(const char *hay, size_t len, const char *needle, size_t n)
{
	const char *p = hay, *end = hay + len;

	while (n && (size_t)(end - p) >= n) {
		p = memchr(p, needle[0], (size_t)(end - p) - n + 1);
		if (!p)
			return false;
		if (memcmp(p, needle, n) == 0)
			return true;
		p++;
	}
	return false;
}

/*
 * Drops the findings whose flagged text the replaced version already
 * held: the commit did not introduce them. Without --since the older
 * blob was scanned first and reported them; with --since it may lie
 * before the range, where they were not introduced either. A whole-file
 * finding (empty span) stays.
 */
static void drop_inherited(pl_findings *found, const pl_source *src,
                           const char *prev, size_t prev_len)
{
	size_t k, o = 0, n = pl_findings_len(found);

	for (k = 0; k < n; k++) {
		pl_finding *x = pl_findings_at(found, k);
		size_t a = x->span.start.offset, z = x->span.end.offset;
		if (x->src == src && z > a && z <= src->len &&
		    holds(prev, prev_len, src->data + a, z - a)) {
			pl_finding_release(x);
			continue;
		}
		if (o != k)
			*pl_findings_at(found, o) = *x;
		o++;
	}
	found->items.len = o;
}

/* On a worker: load, lint and suppress one blob; keep its source only if
 * findings point at it, or git could not give it (the unread list). */
static void scan_one(void *arg, unsigned worker, size_t i)
{
	scan *s = arg;
	item *it = &s->items[i];
	const pl_git_blob *b = pl_git_history_at(s->hist, it->seq);
	pl_ctx *ctx = &s->ctxs[worker];
	pl_file f;
	const pl_file *fp = &f;
	size_t k;

	if (!it->data && !it->note)
		return;
	pl_file_init(&f);
	if (it->note) {
		f.src.path = pl_xstrdup(b->path);
		f.src.kind = PL_SOURCE_SKIPPED;
		f.src.skip = PL_SKIP_GIT;
		f.src.skip_note = it->note;
		it->note = NULL;
	} else {
		f.src.kind = blob_kind(s->charts, b->path);
		pl_source_set_data(&f.src, b->path, it->data, it->len);
		it->data = NULL;
	}
	pl_file_load(&f, &s->opts->limits);
	ctx->out = &it->found;
	pl_eval_file(ctx, s->reg, &f);
	if (it->prev)
		drop_inherited(&it->found, &f.src, it->prev, it->prev_len);
	free(it->prev);
	it->prev = NULL;
	if (pl_findings_len(&it->found) > 0 || f.src.skip == PL_SKIP_GIT) {
		pl_findings_sort(&it->found);
		pl_findings_redact(&it->found);
		pl_findings_fingerprint(&it->found);
		pl_suppress_apply(&it->found, &fp, 1, &s->so);
		it->keep = pl_xcalloc(1, sizeof(*it->keep));
		it->keep->src = f.src;
		it->keep->src.commit = b->commit_id;
		it->keep->src.author_date = b->date;
		it->keep->seq = it->seq;
		pl_source_init(&f.src);
		for (k = 0; k < pl_findings_len(&it->found); k++) {
			pl_finding *x = pl_findings_at(&it->found, k);
			if (x->src == &f.src)
				x->src = &it->keep->src;
		}
	}
	pl_file_release(&f);
}

/* Appends "; introduced in commit C on D" to a finding's message. */
static void name_commit(pl_finding *x, const pl_git_blob *b)
{
	pl_buf m;

	pl_buf_init(&m, 8192);
	/* a blob git could not give was not read: it introduced nothing
	 * we know of, it only belongs to that commit */
	pl_buf_addf(&m, "%s; %s commit %s on %s", x->message,
	            x->src->skip == PL_SKIP_GIT ? "a blob of" : "introduced in",
	            b->commit, b->date);
	free(x->message);
	x->message = pl_buf_detach(&m, NULL);
}

/* On the main thread, in history order: keeps the findings no older blob
 * had, names their commit, and frees the sources no finding needs (the
 * sources of unread blobs go to the report's unread list). */
static void merge(pl_findings *all, pl_vec *keeps, pl_vec *unread, pl_map *seen,
                  pl_arena *keys, const pl_git_history *hist, item *it)
{
	pl_findings dropped;
	size_t k, used = 0;

	pl_findings_init(&dropped);
	for (k = 0; k < pl_findings_len(&it->found); k++) {
		pl_finding *x = pl_findings_at(&it->found, k);
		uint64_t *key;
		if (pl_map_get(seen, (const char *)&x->stable,
		               sizeof(x->stable))) {
			pl_vec_append(&dropped.items, x);
			continue;
		}
		key = pl_arena_alloc(keys, sizeof(*key));
		*key = x->stable;
		pl_map_put(seen, (const char *)key, sizeof(*key), key, NULL);
		name_commit(x, pl_git_history_at(hist, it->seq));
		pl_vec_append(&all->items, x);
		used++;
	}
	/* the findings were copied out: only the vector goes; every
	 * flagged value is masked in the whole report */
	pl_vec_release(&it->found.items);
	pl_vec_init(&it->found.items, sizeof(pl_finding));
	pl_findings_move(all, &it->found);
	pl_findings_release(&it->found);
	pl_findings_release(&dropped);
	if (!it->keep)
		return;
	if (it->keep->src.skip == PL_SKIP_GIT) {
		pl_vec_append(unread, &it->keep);
	} else if (used) {
		pl_vec_append(keeps, &it->keep);
	} else {
		pl_source_release(&it->keep->src);
		free(it->keep);
	}
	it->keep = NULL;
}

/* By path, then oldest blob first, then position: the findings of one
 * blob stay together, as the text reporter's masking expects. */
static int cmp_history(const void *pa, const void *pb)
{
	const pl_finding *a = pa, *b = pb;
	const kept *ka = (const kept *)a->src, *kb = (const kept *)b->src;
	int c = strcmp(a->src->path, b->src->path);

	if (c)
		return c;
	if (ka->seq != kb->seq)
		return ka->seq < kb->seq ? -1 : 1;
	if (a->span.start.line != b->span.start.line)
		return a->span.start.line < b->span.start.line ? -1 : 1;
	if (a->span.start.col != b->span.start.col)
		return a->span.start.col < b->span.start.col ? -1 : 1;
	c = strcmp(a->rule, b->rule);
	return c ? c : strcmp(a->message, b->message);
}

/* Opens the history, saying what --history needs when there is none. */
static int open_history(pl_git_history **h, const pl_run_opts *o,
                        const char *since, pl_error *err)
{
	const char *path = o->npaths ? o->paths[0] : ".";
	char why[sizeof(err->msg)], *at;
	size_t i;
	int rc;

	for (i = 0; i < o->npaths; i++)
		if (strcmp(o->paths[i], "-") == 0)
			return pl_error_set(err, PL_EUSAGE, NULL, NULL,
			                    "--history reads git, not standard "
			                    "input");
	at = pl_run__nearest_existing(path);
	rc = pl_git_history_open(h, at, since, err);
	free(at);
	if (rc == PL_ENOTFOUND) {
		snprintf(why, sizeof(why), "%s", err->msg);
		pl_error_set(err, rc, NULL, NULL,
		             "--history needs a git repository: %s", why);
	}
	return rc;
}

/* What one --history run holds besides its session. */
typedef struct hrun {
	pl_findings all;
	pl_vec keeps;  /* kept * */
	pl_vec unread; /* kept *: blobs git could not give */
	pl_map seen;   /* stable fingerprints an older blob had */
	pl_map charts; /* folders holding a Chart.yaml */
	pl_arena keys;
	pl_run_scope scope;
	size_t scanned;
	char day[11];
	scan s;
	pl_git_history *hist; /* s.hist, writable: reads move its state */
	unsigned jobs;
} hrun;

static void hrun_init(hrun *h, const pl_run_opts *o)
{
	memset(h, 0, sizeof(*h));
	pl_findings_init(&h->all);
	pl_vec_init(&h->keeps, sizeof(kept *));
	pl_vec_init(&h->unread, sizeof(kept *));
	pl_map_init(&h->seen);
	pl_map_init(&h->charts);
	pl_arena_init(&h->keys);
	h->jobs = o->jobs ? o->jobs : pl_pool_cores();
}

static void free_kept(pl_vec *v)
{
	size_t i;
	for (i = 0; i < v->len; i++) {
		kept *k = *(kept **)pl_vec_at(v, i);
		pl_source_release(&k->src);
		free(k);
	}
	pl_vec_release(v);
}

static void hrun_release(hrun *h)
{
	unsigned i;
	pl_findings_release(&h->all);
	free_kept(&h->keeps);
	free_kept(&h->unread);
	for (i = 0; h->s.ctxs && i < h->jobs; i++)
		pl_ctx_release(&h->s.ctxs[i]);
	free(h->s.ctxs);
	free(h->s.items);
	pl_map_release(&h->seen);
	pl_map_release(&h->charts);
	pl_arena_release(&h->keys);
	pl_run__scope_release(&h->scope);
}

/* The scan's shared state: the session's rules, configuration,
 * baseline and key, one context per worker. */
static void scan_init(hrun *h, const pl_run_opts *o, const pl_session *ses,
                      pl_git_history *hist)
{
	const pl_config *config = pl_session_config(ses);
	size_t i, total = pl_git_history_len(hist);
	scan *s = &h->s;

	for (i = 0; i < total; i++)
		add_chart(&h->charts, pl_git_history_at(hist, i)->path);
	s->opts = o;
	s->reg = pl_session_registry(ses);
	s->hist = hist;
	h->hist = hist;
	s->charts = &h->charts;
	pl_run__today(h->day);
	s->so.today = o->today ? o->today : h->day;
	s->so.config = config->ignores.items;
	s->so.nconfig = config->ignores.len;
	s->so.baseline = pl_session__baseline(ses, &s->so.nbaseline);
	/* missing_reason, expired, unused: PL_SEV_OFF, as all but secrets/ */
	s->ctxs = pl_xcalloc(h->jobs, sizeof(pl_ctx));
	for (i = 0; i < h->jobs; i++) {
		pl_ctx_init(&s->ctxs[i], NULL, o->limits.max_findings_per_file);
		pl_ctx_set_allowlist(&s->ctxs[i], &config->allow);
		pl_ctx_set_fingerprint_key(&s->ctxs[i], pl_session_key(ses),
		                           PL_KEY_LEN);
	}
	s->items = pl_xcalloc(BATCH_BLOBS, sizeof(item));
}

/* Reads blob it->seq (and the version it replaced) on this thread:
 * libgit2 objects are not shared. Returns the bytes read. */
static size_t read_item(hrun *h, const pl_config *config, item *it)
{
	const pl_run_opts *o = h->s.opts;
	pl_git_history *hist = h->hist;
	const pl_git_blob *b = pl_git_history_at(hist, it->seq);
	pl_error rerr;
	size_t bytes;
	int rc;

	if (!pl_run__in_scope(&h->scope, b->path) ||
	    pl_config_excluded(config, b->path))
		return 0;
	h->scanned++;
	pl_error_clear(&rerr);
	rc = pl_git_history_read(hist, it->seq, o->limits.max_file_size,
	                         &it->data, &it->len, &rerr);
	/* too large: skipped, as the walk skips such files; what git
	 * cannot give is reported (scan_one) */
	if (rc != 0 && rc != PL_ELIMIT)
		it->note = pl_xstrdup(rerr.msg);
	if (!it->data)
		return 0;
	bytes = it->len;
	if (is_binary(it->data, it->len)) {
		free(it->data);
		it->data = NULL;
		return bytes;
	}
	/* the replaced version, unless it was out of scope */
	if (!b->prev_path || pl_config_excluded(config, b->prev_path))
		return bytes;
	pl_error_clear(&rerr);
	rc = pl_git_history_read_prev(hist, it->seq, o->limits.max_file_size,
	                              &it->prev, &it->prev_len, &rerr);
	/*
	 * Unread and listed: reported on its own, and the blob is scanned
	 * whole (the stable fingerprints drop what the older blob had).
	 * Unread and before the range: what this commit introduced is
	 * unknown.
	 */
	if (rc != 0 && rc != PL_ELIMIT && !b->prev_listed) {
		free(it->data);
		it->data = NULL;
		it->note = pl_xmalloc(sizeof(rerr.msg) + 64);
		snprintf(it->note, sizeof(rerr.msg) + 64,
		         "%s, the version this commit changed", rerr.msg);
	}
	return bytes + it->prev_len;
}

/* Every blob of the history, in batches: read here, scanned on the
 * pool, merged in history order. */
static void scan_all(hrun *h, const pl_config *config, bool progress_on)
{
	size_t total = pl_git_history_len(h->s.hist), seq, i;
	progress prog;

	memset(&prog, 0, sizeof(prog));
	prog.on = progress_on;
	prog.total = total;
	clock_gettime(CLOCK_MONOTONIC, &prog.start);
	for (seq = 0; seq < total;) {
		size_t n = 0, bytes = 0;
		while (seq < total && n < BATCH_BLOBS && bytes < BATCH_BYTES) {
			item *it = &h->s.items[n++];
			memset(it, 0, sizeof(*it));
			it->seq = seq++;
			pl_findings_init(&it->found);
			bytes += read_item(h, config, it);
		}
		pl_pool_run(h->jobs, n, scan_one, &h->s);
		for (i = 0; i < n; i++)
			merge(&h->all, &h->keeps, &h->unread, &h->seen,
			      &h->keys, h->s.hist, &h->s.items[i]);
		prog.done = seq;
		prog.bytes += bytes;
		progress_show(&prog, seq == total);
	}
}

/* The report (or the baseline), then what git could not give fails the
 * run. */
static int history_finish(hrun *h, const pl_run_opts *o, const pl_session *ses,
                          bool *failed, pl_error *err)
{
	pl_vec srcs; /* const pl_source *: the unread blobs, for the report */
	bool recorded;
	size_t i;
	int rc;

	pl_vec_init(&srcs, sizeof(const pl_source *));
	for (i = 0; i < h->unread.len; i++) {
		const pl_source *src =
		        *(const pl_source **)pl_vec_at(&h->unread, i);
		pl_vec_append(&srcs, &src);
	}
	if (pl_findings_len(&h->all) > 1)
		qsort(h->all.items.items, h->all.items.len, sizeof(pl_finding),
		      cmp_history);
	/* a value flagged in one blob is masked in every other one */
	pl_findings_redact(&h->all);
	rc = pl_run__outcome(o, &h->all, pl_session_key(ses),
	                     pl_session_fail_on(ses), "check --history", failed,
	                     &recorded, err);
	if (!recorded) {
		pl_report r;
		memset(&r, 0, sizeof(r));
		r.findings = &h->all;
		r.files = h->scanned - srcs.len;
		r.color = o->color;
		r.quiet = o->quiet;
		r.summary = o->summary;
		r.registry = pl_session_registry(ses);
		r.root = pl_git_history_workdir(h->s.hist);
		r.unread = srcs.items;
		r.nunread = srcs.len;
		rc = pl_run__write_report(o, &r, err);
	}
	if (rc == 0 && srcs.len) {
		char fix[256];
		pl_git_history_unread_fix(h->hist, fix, sizeof(fix));
		rc = pl_run__unread_fail(err, "--history", srcs.items, srcs.len,
		                         fix);
	}
	pl_vec_release(&srcs);
	return rc;
}

int pl_run_history(const pl_run_opts *o, const char *since, bool progress_on,
                   bool *failed, pl_error *err)
{
	pl_git_history *hist = NULL;
	pl_session *ses = NULL;
	hrun h;
	int rc;

	*failed = false;
	hrun_init(&h, o);
	rc = open_history(&hist, o, since, err);
	if (rc == 0)
		rc = pl_run__scope_init(&h.scope, pl_git_history_workdir(hist),
		                        o->paths, o->npaths, "--history", err);
	if (rc == 0)
		rc = pl_session_open(&ses, o, pl_git_history_workdir(hist),
		                     true, PL_SESSION_SECRETS_ONLY, err);
	if (rc == 0) {
		scan_init(&h, o, ses, hist);
		scan_all(&h, pl_session_config(ses), progress_on);
		rc = history_finish(&h, o, ses, failed, err);
	}
	hrun_release(&h);
	pl_session_close(ses);
	pl_git_history_free(hist);
	return rc;
}
