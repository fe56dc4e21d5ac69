/*
 * cache.c - the persistent cache of per-file findings (cache.h).
 *
 * The run digest (pl_cache_digest) hashes: the cache format; plumb's
 * version and commit, and the size and time of the running executable
 * (a rebuilt work tree keeps its `-dirty` commit); every rule of the
 * registry with its effective severity and whether it is cached; the
 * bytes of .plumb.yaml (rule settings, the secrets allowlist); a hash of
 * the fingerprint key (a cached secret's fingerprint is keyed); the
 * limits (file size, depth, nodes, aliases, findings per file, documents).
 * Rule packs, --rules files and --schema-location folders are not in
 * it: they only change rules that are never cached (declarative rules,
 * schema/invalid), whose findings are made afresh in every run.
 *
 * A cache file, <dir>/<digest in hex>.cache, little-endian:
 *   "PLUMBCF\n", u32 format, str build, digest[32], u64 body length,
 *   sha256(body)[32], body
 *   body: u32 entries, then per entry key[16], u32 day (last used, days
 *   since 1970), u32 length, then the entry: u32 findings, each
 *   {str rule, u8 severity, span, str message, str hint, str
 *   fingerprint, u32 edits {u32 offset, u32 length, str text}, u32
 *   related {span, str message}}, u32 flagged {u32 offset, u32 length}
 *   str: u32 length (0xffffffff: none) and bytes; span: six u32.
 * A file whose header, checksum or any entry does not decode is ignored
 * as a whole and replaced at the end of the run.
 *
 * Secrets: a secrets/ finding holds its value masked (message) and keyed
 * (fingerprint) already; the values flagged for masking are stored as
 * offsets into the file, and an entry whose texts hold a value the run
 * flagged is not recorded, so no secret's plaintext is written here.
 */
/* realpath(3) is XSI: _POSIX_C_SOURCE alone does not declare it (as in
 * source/walk.c) */
#define _XOPEN_SOURCE 700

#include "run/cache_impl.h"
#include "run/run_impl.h"
#include "base/atomic.h"
#include "base/siphash.h"
#include "base/xalloc.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CACHE_MAGIC     "PLUMBCF\n"
#define CACHE_FORMAT    2u
#define CACHE_KEEP_DAYS 30u /* an entry unused this long is dropped */
#define CACHE_KEEP_RUNS 4   /* other digests' files kept per folder */
#define CACHE_MAX_BYTES (512u << 20)

/*
 * The one decision of what is cached: a rule whose findings on a file
 * depend on that file's bytes and the run's configuration alone. That
 * is a built-in rule (a declarative one judges kustomized objects) of
 * the rules or parse stage (source/ rules report how a file was read,
 * the suppression/ stage runs after the cache), that judges the file or
 * its documents as written (other object rules judge what builds make),
 * reads nothing across files (.reads, .reads_files) and binds no state
 * to the run's model (.bind). pl_ctx_file and pl_ctx_model also tell the
 * session when a cached rule reads another file regardless (ctx.h's
 * read_other): that file's entry is then not recorded.
 * tests/unit/test_cache.c pins the built-in rules this admits.
 */
bool pl_cache_rule_cacheable(const pl_rule *r)
{
	if (r->origin || r->reads || r->reads_files || r->bind)
		return false;
	if (r->stage != PL_STAGE_RULES && r->stage != PL_STAGE_PARSE)
		return false;
	if (r->scope == PL_SCOPE_FILE)
		return r->check_file != NULL;
	return r->as_written && r->check_object != NULL;
}

static void hash_str(pl_sha256 *h, const char *s)
{
	pl_sha256_update(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

static void hash_u64(pl_sha256 *h, uint64_t v)
{
	unsigned char b[8];
	int i;
	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	pl_sha256_update(h, b, sizeof(b));
}

void pl_cache_digest(unsigned char out[PL_SHA256_LEN],
                     const pl_cache_inputs *in)
{
	const pl_limits *l = in->limits;
	unsigned char kh[PL_SHA256_LEN];
	struct stat st;
	pl_sha256 h;
	size_t i;

	pl_sha256_init(&h);
	hash_u64(&h, CACHE_FORMAT);
	hash_str(&h, in->build);
	if (stat("/proc/self/exe", &st) == 0) {
		hash_u64(&h, (uint64_t)st.st_size);
		hash_u64(&h, (uint64_t)st.st_mtime);
	}
	for (i = 0; i < in->reg->len; i++) {
		hash_str(&h, in->reg->rules[i]->id);
		hash_u64(&h, (uint64_t)in->reg->severity[i]);
		hash_u64(&h, pl_cache_rule_cacheable(in->reg->rules[i]));
	}
	if (in->config && in->config->loaded && in->config->file.src.data) {
		hash_u64(&h, in->config->file.src.len);
		pl_sha256_update(&h, in->config->file.src.data,
		                 in->config->file.src.len);
	}
	{
		pl_sha256 k;
		pl_sha256_init(&k);
		pl_sha256_update(&k, in->key, in->key_len);
		pl_sha256_final(&k, kh);
		pl_sha256_update(&h, kh, sizeof(kh));
	}
	hash_u64(&h, l->max_file_size);
	hash_u64(&h, l->max_depth);
	hash_u64(&h, l->max_nodes);
	hash_u64(&h, l->max_alias_expansion);
	hash_u64(&h, l->max_findings_per_file);
	hash_u64(&h, l->max_documents);
	pl_sha256_final(&h, out);
}

/* The key's parts, each delimited (a path's NUL, fixed-size numbers). */
void pl_cache_key(const pl_cache *c, unsigned char out[PL_CACHE_KEY_LEN],
                  const pl_source *src)
{
	unsigned char n[8];
	pl_siphash h;
	int i;

	pl_siphash_init(&h, c->hkey, true);
	pl_siphash_update(&h, src->path ? src->path : "",
	                  src->path ? strlen(src->path) + 1 : 1);
	for (i = 0; i < 8; i++)
		n[i] = (unsigned char)((uint64_t)src->len >> (8 * i));
	pl_siphash_update(&h, n, sizeof(n));
	n[0] = (unsigned char)src->kind;
	n[1] = src->utf16;
	pl_siphash_update(&h, n, 2);
	pl_siphash_update(&h, src->data, src->len);
	pl_siphash_final(&h, out);
}

/* --- decoding ---------------------------------------------------------- */

/* --- the file ---------------------------------------------------------- */

static void hex(char *out, const unsigned char *b, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static bool mkdirs(const char *path)
{
	pl_buf p;
	const char *s;
	bool ok;

	pl_buf_init(&p, 0);
	for (s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		pl_buf_reset(&p);
		pl_buf_add(&p, path, (size_t)(s - path));
		(void)mkdir(p.ptr, 0700);
	}
	ok = mkdir(path, 0700) == 0 || errno == EEXIST;
	pl_buf_release(&p);
	return ok;
}

/*
 * Where the cache of root lives: $PLUMB_CACHE_DIR when set (a CI job's
 * cached folder; the test suite's scratch), else under the git common
 * dir, else the user's cache folder; outside git (and under
 * PLUMB_CACHE_DIR) in a subfolder named by the root's real path. *shared
 * says the parent holds other roots' subfolders.
 */
static char *cache_dir(const char *root, bool in_git, bool *shared)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	const char *env = getenv("PLUMB_CACHE_DIR");
	char *gd = NULL;
	char *real, id[2 * 8 + 1];
	unsigned char h[PL_SHA256_LEN];
	pl_sha256 s;
	pl_buf d;

	*shared = true;
	if (!(env && env[0] == '/') && in_git)
		gd = pl_run__git_dir(root);
	pl_buf_init(&d, 0);
	if (env && env[0] == '/') {
		pl_buf_adds(&d, env);
	} else if (gd) {
		*shared = false;
		pl_buf_addf(&d, "%s/plumb/cache", gd);
		free(gd);
		return pl_buf_detach(&d, NULL);
	} else if (in_git) {
		/* never fall back to a folder in the work tree */
		return NULL;
	} else if (xdg && xdg[0] == '/') {
		pl_buf_addf(&d, "%s/plumb", xdg);
	} else if (home && home[0] == '/') {
		pl_buf_addf(&d, "%s/.cache/plumb", home);
	} else {
		return NULL;
	}
	real = realpath(root, NULL);
	pl_sha256_init(&s);
	hash_str(&s, real ? real : root);
	pl_sha256_final(&s, h);
	free(real);
	hex(id, h, 8);
	pl_buf_addf(&d, "/%s", id);
	return pl_buf_detach(&d, NULL);
}

static unsigned char *read_all(const char *path, size_t *len)
{
	unsigned char *buf;
	struct stat st;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_NOFOLLOW);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > CACHE_MAX_BYTES) {
		close(fd);
		return NULL;
	}
	buf = pl_xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	*len = got;
	return buf;
}

/* The header: ours, and the body's checksum holds. */
static bool check_header(pl_cache *c, pl_cache_rd *r)
{
	const unsigned char *magic = pl_cache__get_bytes(r, 8), *dg, *sum;
	const char *build;
	unsigned char h[PL_SHA256_LEN];
	uint32_t blen;
	uint64_t len;
	pl_sha256 s;

	if (!magic || memcmp(magic, CACHE_MAGIC, 8) != 0 ||
	    pl_cache__get32(r) != CACHE_FORMAT)
		return false;
	/* the digest holds the build too; another build's file has another
	 * name, so a mismatch here is a file edited or mixed up */
	pl_cache__get_str(r, &build, &blen);
	dg = pl_cache__get_bytes(r, PL_SHA256_LEN);
	len = pl_cache__get64(r);
	sum = pl_cache__get_bytes(r, PL_SHA256_LEN);
	if (r->bad || !build || blen != strlen(c->build) ||
	    memcmp(build, c->build, blen) != 0 ||
	    memcmp(dg, c->digest, PL_SHA256_LEN) != 0 ||
	    len != (uint64_t)(r->end - r->p))
		return false;
	pl_sha256_init(&s);
	pl_sha256_update(&s, r->p, (size_t)len);
	pl_sha256_final(&s, h);
	return memcmp(h, sum, PL_SHA256_LEN) == 0;
}

/* Indexes the entries of the body; false when one does not decode. */
static bool index_body(pl_cache *c, pl_cache_rd *r)
{
	uint32_t i, n = pl_cache__get32(r);

	if (r->bad || n > (uint64_t)(r->end - r->p) / (PL_CACHE_KEY_LEN + 8))
		return false;
	c->entries = pl_xcalloc(n ? n : 1, sizeof(*c->entries));
	for (i = 0; i < n && !r->bad; i++) {
		pl_cache_entry *e = &c->entries[i];
		e->key = pl_cache__get_bytes(r, PL_CACHE_KEY_LEN);
		e->day = pl_cache__get32(r);
		e->len = pl_cache__get32(r);
		e->data = pl_cache__get_bytes(r, e->len);
		atomic_init(&e->used, false);
		if (!r->bad)
			pl_map_put(&c->by_key, (const char *)e->key,
			           PL_CACHE_KEY_LEN, e, NULL);
	}
	c->nentries = i;
	return !r->bad && r->p == r->end;
}

static void load(pl_cache *c)
{
	size_t len = 0;
	pl_cache_rd r;

	c->buf = read_all(c->path, &len);
	if (!c->buf) {
		c->dirty = true;
		return;
	}
	r.p = c->buf;
	r.end = c->buf + len;
	r.bad = false;
	if (check_header(c, &r) && index_body(c, &r))
		return;
	/* corrupt, truncated or foreign: trusted for nothing */
	pl_map_reset(&c->by_key);
	free(c->entries);
	c->entries = NULL;
	c->nentries = 0;
	c->dirty = true;
}

/* The key of content keys: from the fingerprint key, so nobody without
 * it can make two versions of a file share an entry. */
static void content_key(unsigned char out[PL_SIPHASH_KEY_LEN],
                        const pl_cache_inputs *in)
{
	static const char what[] = "plumb cache content key";
	static const unsigned char zero[1];
	unsigned char mac[PL_SHA256_LEN];
	const void *parts[1] = {what};
	size_t lens[1] = {sizeof(what)};

	pl_hmac_sha256(mac, in->key ? in->key : zero, in->key ? in->key_len : 0,
	               parts, lens, 1);
	memcpy(out, mac, PL_SIPHASH_KEY_LEN);
}

pl_cache *pl_cache_open(const char *root, bool in_git,
                        const pl_cache_inputs *in, unsigned nworkers)
{
	char name[2 * PL_SHA256_LEN + 1];
	pl_cache *c;
	char *dir;
	pl_buf p;
	unsigned i;
	bool shared;

	if (!root || !nworkers)
		return NULL;
	dir = cache_dir(root, in_git, &shared);
	if (!dir)
		return NULL;
	c = pl_xcalloc(1, sizeof(*c));
	c->dir = dir;
	c->shared = shared;
	c->build = pl_xstrdup(in->build ? in->build : PL_VERSION);
	pl_cache_digest(c->digest, in);
	content_key(c->hkey, in);
	hex(name, c->digest, PL_SHA256_LEN);
	pl_buf_init(&p, 0);
	pl_buf_addf(&p, "%s/%s.cache", dir, name);
	c->path = pl_buf_detach(&p, NULL);
	c->today = (uint32_t)(time(NULL) / 86400);
	c->nworkers = nworkers;
	c->fresh = pl_xcalloc(nworkers, sizeof(*c->fresh));
	c->nfresh = pl_xcalloc(nworkers, sizeof(*c->nfresh));
	for (i = 0; i < nworkers; i++)
		pl_buf_init(&c->fresh[i], 0);
	pl_map_init(&c->by_key);
	load(c);
	return c;
}

/* Is an entry read from the file worth keeping? Used ones get today. */
static bool keep(const pl_cache *c, pl_cache_entry *e, bool *changed)
{
	if (atomic_load_explicit(&e->used, memory_order_relaxed)) {
		if (e->day != c->today)
			*changed = true;
		e->day = c->today;
		return true;
	}
	if (e->day + CACHE_KEEP_DAYS >= c->today)
		return true;
	*changed = true;
	return false;
}

/* The body: the entries kept, then this run's, one per key. */
static size_t build_body(pl_cache *c, pl_buf *body, bool *changed)
{
	pl_map seen;
	size_t i, n = 0;
	unsigned w;

	pl_map_init(&seen);
	pl_cache__put32(body, 0); /* the count, set below */
	for (w = 0; w < c->nworkers; w++) {
		pl_cache_rd r = {(const unsigned char *)c->fresh[w].ptr,
		                 (const unsigned char *)c->fresh[w].ptr +
		                         c->fresh[w].len,
		                 false};
		while (r.p < r.end && !r.bad) {
			const unsigned char *start = r.p, *key;
			uint32_t len;
			key = pl_cache__get_bytes(&r, PL_CACHE_KEY_LEN);
			(void)pl_cache__get32(&r);
			len = pl_cache__get32(&r);
			(void)pl_cache__get_bytes(&r, len);
			if (r.bad ||
			    !pl_map_put(&seen, (const char *)key,
			                PL_CACHE_KEY_LEN, (void *)key, NULL))
				continue;
			pl_buf_add(body, start, (size_t)(r.p - start));
			n++;
			*changed = true;
		}
	}
	for (i = 0; i < c->nentries; i++) {
		pl_cache_entry *e = &c->entries[i];
		if (!keep(c, e, changed) ||
		    !pl_map_put(&seen, (const char *)e->key, PL_CACHE_KEY_LEN,
		                e, NULL))
			continue;
		pl_buf_add(body, e->key, PL_CACHE_KEY_LEN);
		pl_cache__put32(body, e->day);
		pl_cache__put32(body, e->len);
		pl_buf_add(body, e->data, e->len);
		n++;
	}
	pl_map_release(&seen);
	for (i = 0; i < 4; i++)
		body->ptr[i] = (char)(n >> (8 * i));
	return n;
}

/* Removes folder's regular files, then folder (nothing if a file is of
 * another kind: not ours). */
static void remove_folder(const char *folder)
{
	DIR *d = opendir(folder);
	struct dirent *de;

	while (d && (de = readdir(d)) != NULL) {
		struct stat st;
		pl_buf p;
		if (de->d_name[0] == '.' &&
		    (!de->d_name[1] || strcmp(de->d_name, "..") == 0))
			continue;
		pl_buf_init(&p, 0);
		pl_buf_addf(&p, "%s/%s", folder, de->d_name);
		if (lstat(p.ptr, &st) == 0 && S_ISREG(st.st_mode))
			unlink(p.ptr);
		pl_buf_release(&p);
	}
	if (d)
		closedir(d);
	(void)rmdir(folder);
}

typedef struct old_file {
	char *path;
	time_t mtime;
} old_file;

static int cmp_newest(const void *a, const void *b)
{
	const old_file *x = a, *y = b;
	return (x->mtime < y->mtime) - (x->mtime > y->mtime);
}

/* Keeps the CACHE_KEEP_RUNS newest files of other digests (a config
 * switched back and forth) and drops the rest, and temporary files a
 * killed run left over an hour ago. */
static void prune(const pl_cache *c)
{
	DIR *d = opendir(c->dir);
	struct dirent *de;
	old_file *old = NULL;
	size_t n = 0, cap = 0, i;
	time_t now = time(NULL);

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		size_t len = strlen(de->d_name);
		bool tmp = strncmp(de->d_name, ".plumb-tmp-", 11) == 0;
		pl_buf p;
		if (!tmp && (len < 6 || strcmp(de->d_name + len - 6, ".cache")))
			continue;
		pl_buf_init(&p, 0);
		pl_buf_addf(&p, "%s/%s", c->dir, de->d_name);
		if (strcmp(p.ptr, c->path) == 0 || lstat(p.ptr, &st) != 0 ||
		    !S_ISREG(st.st_mode)) {
			pl_buf_release(&p);
			continue;
		}
		if (tmp) {
			if (st.st_mtime + 3600 < now)
				unlink(p.ptr);
			pl_buf_release(&p);
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			old = pl_xrealloc(old, cap * sizeof(*old));
		}
		old[n].path = pl_buf_detach(&p, NULL);
		old[n++].mtime = st.st_mtime;
	}
	closedir(d);
	if (n)
		qsort(old, n, sizeof(*old), cmp_newest);
	for (i = 0; i < n; i++) {
		if (i >= CACHE_KEEP_RUNS)
			unlink(old[i].path);
		free(old[i].path);
	}
	free(old);
}

/* In a folder shared by roots (outside git), the subfolders of roots
 * no run touched for CACHE_KEEP_DAYS: a project gone, a test's scratch
 * folder. Only names of 16 hex digits, and only their files. */
static void prune_roots(const pl_cache *c)
{
	char *parent = pl_xstrdup(c->dir), *slash = strrchr(parent, '/');
	time_t old = time(NULL) - (time_t)CACHE_KEEP_DAYS * 86400;
	struct dirent *de;
	DIR *d;

	if (slash)
		*slash = '\0';
	d = slash ? opendir(parent) : NULL;
	while (d && (de = readdir(d)) != NULL) {
		struct stat st;
		pl_buf p;
		if (strlen(de->d_name) != 16 ||
		    strspn(de->d_name, "0123456789abcdef") != 16)
			continue;
		pl_buf_init(&p, 0);
		pl_buf_addf(&p, "%s/%s", parent, de->d_name);
		if (lstat(p.ptr, &st) == 0 && S_ISDIR(st.st_mode) &&
		    st.st_mtime < old)
			remove_folder(p.ptr);
		pl_buf_release(&p);
	}
	if (d)
		closedir(d);
	free(parent);
}

static void write_cache(pl_cache *c)
{
	unsigned char sum[PL_SHA256_LEN];
	pl_buf body, head;
	pl_atomic a;
	pl_sha256 s;
	bool changed = c->dirty;
	int rc;

	pl_buf_init(&body, 0);
	pl_buf_init(&head, 0);
	build_body(c, &body, &changed);
	if (!changed || body.len > CACHE_MAX_BYTES || !mkdirs(c->dir))
		goto done;
	pl_sha256_init(&s);
	pl_sha256_update(&s, body.ptr, body.len);
	pl_sha256_final(&s, sum);
	pl_buf_add(&head, CACHE_MAGIC, 8);
	pl_cache__put32(&head, CACHE_FORMAT);
	pl_cache__put_str(&head, c->build);
	pl_buf_add(&head, c->digest, PL_SHA256_LEN);
	pl_cache__put64(&head, body.len);
	pl_buf_add(&head, sum, PL_SHA256_LEN);
	if (pl_atomic_open(&a, c->path, NULL) != 0)
		goto done;
	rc = fwrite(head.ptr, 1, head.len, a.fp) != head.len ||
	     fwrite(body.ptr, 1, body.len, a.fp) != body.len;
	if (rc)
		pl_atomic_abort(&a);
	else if (pl_atomic_commit(&a, NULL) == 0)
		prune(c);
	if (c->shared)
		prune_roots(c);
done:
	pl_buf_release(&body);
	pl_buf_release(&head);
}

void pl_cache_close(pl_cache *c)
{
	unsigned i;

	if (!c)
		return;
	write_cache(c);
	for (i = 0; i < c->nworkers; i++)
		pl_buf_release(&c->fresh[i]);
	free(c->fresh);
	free(c->nfresh);
	pl_map_release(&c->by_key);
	free(c->entries);
	free(c->buf);
	free(c->path);
	free(c->dir);
	free(c->build);
	free(c);
}
