/*
 * baseline.c - writing and reading baseline files (baseline.h).
 *
 * Written with pl_buf (the format is small and ours) and read back with a
 * strict JSON reader of its own that keeps positions, so errors come with
 * file:line:col like every other input plumb reads, and that has no size
 * cap: whatever plumb writes, it reads back.
 */
#include "run/baseline.h"
#include "base/atomic.h"
#include "base/buf.h"
#include "base/xalloc.h"

#define BASELINE_VERSION 1

int pl_baseline_write(const char *path, const pl_findings *f,
                      const unsigned char key[32], size_t *count, pl_error *err)
{
	pl_buf b;
	pl_atomic out;
	size_t i, n = 0;
	int rc;

	pl_buf_init(&b, 0);
	pl_buf_addf(&b,
	            "{\n  \"version\": %d,\n  \"tool\": \"plumb %s\",\n"
	            "  \"key\": \"",
	            BASELINE_VERSION, PL_VERSION);
	for (i = 0; i < 32; i++)
		pl_buf_addf(&b, "%02x", key[i]);
	pl_buf_adds(&b, "\",\n  \"findings\": [");
	for (i = 0; i < pl_findings_len(f); i++) {
		const pl_finding *x = pl_findings_at(f, i);
		char hex[17];
		if (x->suppressed)
			continue;
		pl_finding_stable_hex(x, hex);
		pl_buf_addf(&b, "%s\n    {\"stable\": \"%s\", \"rule\": ",
		            n ? "," : "", hex);
		pl_buf_add_json_str(&b, x->rule, strlen(x->rule));
		pl_buf_adds(&b, ", \"path\": ");
		pl_buf_add_json_str(&b, x->src->path, strlen(x->src->path));
		pl_buf_addf(&b, ", \"line\": %u, \"message\": ",
		            x->span.start.line);
		pl_buf_add_json_str(&b, x->message, strlen(x->message));
		pl_buf_addc(&b, '}');
		n++;
	}
	pl_buf_adds(&b, n ? "\n  ]\n}\n" : "]\n}\n");
	/* whole or not at all: a full disk keeps the previous baseline */
	rc = pl_atomic_open(&out, path, err);
	if (rc == 0) {
		if (fwrite(b.ptr, 1, b.len, out.fp) != b.len) {
			rc = pl_error_set(err, PL_EWRITE, NULL, NULL,
			                  "cannot write '%s': %s", path,
			                  strerror(errno));
			pl_atomic_abort(&out);
		} else {
			rc = pl_atomic_commit(&out, err);
		}
	}
	pl_buf_release(&b);
	*count = n;
	return rc;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/*
 * The reader: strict JSON (RFC 8259) over the whole file, with the
 * position of every token, and no cap on size or count: whatever plumb
 * writes, it reads back (a YAML tree would cost ten times the bytes and
 * stop at the linted files' limits). Only nesting is capped, named in
 * its error, as the reader recurses.
 */
#define BASELINE_MAX_DEPTH 64

typedef struct reader {
	const char *p, *end;
	pl_pos pos;
	const char *path;
	pl_error *err;
	uint64_t *stable; /* grows with the findings */
	size_t n, cap;
	unsigned char *key; /* 32 bytes */
	bool has_key;
} reader;

static void advance(reader *r, size_t n)
{
	while (n-- && r->p < r->end) {
		unsigned char c = (unsigned char)*r->p++;
		r->pos.offset++;
		if (c == '\n') {
			r->pos.line++;
			r->pos.col = 1;
		} else if ((c & 0xc0) != 0x80) {
			r->pos.col++; /* columns count code points */
		}
	}
}

static void skip_ws(reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
	                         *r->p == '\n' || *r->p == '\r'))
		advance(r, 1);
}

static int fail_at(reader *r, const pl_pos *at, const char *what)
{
	return pl_error_set(r->err, PL_ECONFIG, r->path, at, "%s", what);
}

static int expect(reader *r, char c, const char *what)
{
	skip_ws(r);
	if (r->p >= r->end || *r->p != c)
		return fail_at(r, &r->pos, what);
	advance(r, 1);
	return 0;
}

/* A string; its bytes (escapes kept as written) go to out if not NULL:
 * the values read back are hex digits, which need no unescaping. */
static int string(reader *r, pl_buf *out)
{
	skip_ws(r);
	if (r->p >= r->end || *r->p != '"')
		return fail_at(r, &r->pos, "expected a JSON string");
	advance(r, 1);
	for (;;) {
		unsigned char c;
		if (r->p >= r->end)
			return fail_at(r, &r->pos, "unterminated JSON string");
		c = (unsigned char)*r->p;
		if (c == '"')
			break;
		if (c < 0x20)
			return fail_at(r, &r->pos,
			               "control character in a JSON string");
		if (c == '\\') {
			if (out)
				pl_buf_addc(out, '\\');
			advance(r, 1);
			if (r->p >= r->end || !strchr("\"\\/bfnrtu", *r->p))
				return fail_at(
				        r, &r->pos,
				        "invalid escape in a JSON string");
			c = (unsigned char)*r->p;
		}
		if (out)
			pl_buf_addc(out, (char)c);
		advance(r, 1);
	}
	advance(r, 1);
	return 0;
}

static int value(reader *r, size_t depth);

static int members(reader *r, size_t depth, bool object)
{
	char close = object ? '}' : ']';
	skip_ws(r);
	if (r->p < r->end && *r->p == close) {
		advance(r, 1);
		return 0;
	}
	for (;;) {
		int rc;
		if (object) {
			rc = string(r, NULL);
			if (rc == 0)
				rc = expect(r, ':', "expected ':' after a key");
			if (rc)
				return rc;
		}
		rc = value(r, depth + 1);
		if (rc)
			return rc;
		skip_ws(r);
		if (r->p < r->end && *r->p == ',') {
			advance(r, 1);
			continue;
		}
		return expect(r, close,
		              object ? "expected ',' or '}'"
		                     : "expected ',' or ']'");
	}
}

static int value(reader *r, size_t depth)
{
	static const char *const words[] = {"true", "false", "null"};
	size_t i;

	skip_ws(r);
	if (depth > BASELINE_MAX_DEPTH)
		return pl_error_set(r->err, PL_ECONFIG, r->path, &r->pos,
		                    "nesting deeper than %d levels (the "
		                    "limit for baseline files)",
		                    BASELINE_MAX_DEPTH);
	if (r->p >= r->end)
		return fail_at(r, &r->pos, "expected a JSON value");
	if (*r->p == '{' || *r->p == '[') {
		bool object = *r->p == '{';
		advance(r, 1);
		return members(r, depth, object);
	}
	if (*r->p == '"')
		return string(r, NULL);
	for (i = 0; i < PL_ARRAY_SIZE(words); i++) {
		size_t n = strlen(words[i]);
		if ((size_t)(r->end - r->p) >= n &&
		    memcmp(r->p, words[i], n) == 0) {
			advance(r, n);
			return 0;
		}
	}
	if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9')) {
		while (r->p < r->end && strchr("+-.eE0123456789", *r->p))
			advance(r, 1);
		return 0;
	}
	return fail_at(r, &r->pos, "expected a JSON value");
}

static bool hex16(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;
	if (len != 16)
		return false;
	for (i = 0; i < 16; i++) {
		char c = s[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return true;
}

/* One entry of "findings": an object whose "stable" is 16 hex digits. */
static int finding(reader *r)
{
	pl_pos at;
	pl_buf key, val;
	bool found = false;
	int rc = 0;

	skip_ws(r);
	at = r->pos;
	if (r->p >= r->end || *r->p != '{')
		return fail_at(r, &at,
		               "a baseline finding needs \"stable\": "
		               "16 hex digits");
	advance(r, 1);
	pl_buf_init(&key, 0);
	pl_buf_init(&val, 0);
	skip_ws(r);
	if (r->p < r->end && *r->p == '}') {
		advance(r, 1);
		goto done;
	}
	for (;;) {
		pl_buf_reset(&key);
		rc = string(r, &key);
		if (rc == 0)
			rc = expect(r, ':', "expected ':' after a key");
		if (rc)
			goto done;
		skip_ws(r);
		if (strcmp(key.ptr, "stable") == 0) {
			uint64_t v;
			pl_pos vat = r->pos;
			pl_buf_reset(&val);
			if (r->p >= r->end || *r->p != '"' ||
			    string(r, &val) != 0 ||
			    !hex16(val.ptr, val.len, &v)) {
				rc = fail_at(r, &vat,
				             "a baseline finding needs "
				             "\"stable\": 16 hex digits");
				goto done;
			}
			if (r->n == r->cap) {
				r->cap = r->cap ? 2 * r->cap : 1024;
				r->stable = pl_xrealloc(
				        r->stable, r->cap * sizeof(*r->stable));
			}
			r->stable[r->n++] = v;
			found = true;
		} else {
			rc = value(r, 3);
			if (rc)
				goto done;
		}
		skip_ws(r);
		if (r->p < r->end && *r->p == ',') {
			advance(r, 1);
			continue;
		}
		rc = expect(r, '}', "expected ',' or '}'");
		break;
	}
done:
	if (rc == 0 && !found)
		rc = fail_at(r, &at,
		             "a baseline finding needs \"stable\": 16 "
		             "hex digits");
	pl_buf_release(&key);
	pl_buf_release(&val);
	return rc;
}

static int findings(reader *r)
{
	int rc = expect(r, '[', "\"findings\" must be a list");
	if (rc)
		return rc;
	skip_ws(r);
	if (r->p < r->end && *r->p == ']') {
		advance(r, 1);
		return 0;
	}
	for (;;) {
		rc = finding(r);
		if (rc)
			return rc;
		skip_ws(r);
		if (r->p < r->end && *r->p == ',') {
			advance(r, 1);
			continue;
		}
		return expect(r, ']', "expected ',' or ']'");
	}
}

/* The top-level object: version 1 and a findings list; other keys are
 * for the people who read the file. */
static int document(reader *r)
{
	pl_buf key;
	pl_pos top;
	bool version = false, list = false;
	int rc;

	skip_ws(r);
	top = r->pos;
	rc = expect(r, '{', "not a plumb baseline (a JSON object)");
	if (rc)
		return rc;
	pl_buf_init(&key, 0);
	skip_ws(r);
	if (r->p < r->end && *r->p == '}') {
		advance(r, 1);
		goto check;
	}
	for (;;) {
		pl_buf_reset(&key);
		rc = string(r, &key);
		if (rc == 0)
			rc = expect(r, ':', "expected ':' after a key");
		if (rc)
			goto done;
		skip_ws(r);
		if (strcmp(key.ptr, "version") == 0) {
			const char *v = r->p;
			rc = value(r, 1);
			if (rc)
				goto done;
			version = (size_t)(r->p - v) == 1 &&
			          *v == '0' + BASELINE_VERSION;
		} else if (strcmp(key.ptr, "key") == 0) {
			pl_buf val;
			pl_pos vat = r->pos;
			size_t i;
			pl_buf_init(&val, 0);
			rc = string(r, &val);
			r->has_key = rc == 0 && val.len == 64;
			for (i = 0; r->has_key && i < 64; i++) {
				char c = val.ptr[i];
				unsigned d = c >= '0' && c <= '9'
				                     ? (unsigned)(c - '0')
				             : c >= 'a' && c <= 'f'
				                     ? (unsigned)(c - 'a' + 10)
				                     : 16;
				if (d == 16)
					r->has_key = false;
				else if (i % 2 == 0)
					r->key[i / 2] = (unsigned char)(d << 4);
				else
					r->key[i / 2] |= (unsigned char)d;
			}
			pl_buf_release(&val);
			if (rc == 0 && !r->has_key)
				rc = fail_at(
				        r, &vat,
				        "a baseline \"key\" is 64 hex digits "
				        "(the fingerprint key plumb wrote)");
			if (rc)
				goto done;
		} else if (strcmp(key.ptr, "findings") == 0) {
			rc = findings(r);
			if (rc)
				goto done;
			list = true;
		} else {
			rc = value(r, 1);
			if (rc)
				goto done;
		}
		skip_ws(r);
		if (r->p < r->end && *r->p == ',') {
			advance(r, 1);
			continue;
		}
		rc = expect(r, '}', "expected ',' or '}'");
		if (rc)
			goto done;
		break;
	}
check:
	skip_ws(r);
	if (r->p < r->end)
		rc = fail_at(r, &r->pos, "unexpected text after the baseline");
	else if (!version || !list)
		rc = pl_error_set(r->err, PL_ECONFIG, r->path, &top,
		                  "not a plumb baseline (version %d with a "
		                  "findings list); write one with 'plumb "
		                  "baseline -o FILE'",
		                  BASELINE_VERSION);
done:
	pl_buf_release(&key);
	return rc;
}

/* The whole file, whatever its size (memory is the only bound). */
static int read_all(char **out, size_t *len, const char *path, pl_error *err)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *buf;

	if (!f)
		return pl_error_set(err, PL_EIO, NULL, NULL,
		                    "cannot read baseline '%s': %s", path,
		                    strerror(errno));
	buf = pl_xmalloc(cap);
	for (;;) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		cap *= 2;
		buf = pl_xrealloc(buf, cap);
	}
	if (ferror(f)) {
		int e = errno;
		fclose(f);
		free(buf);
		return pl_error_set(err, PL_EIO, NULL, NULL,
		                    "cannot read baseline '%s': %s", path,
		                    strerror(e));
	}
	fclose(f);
	*out = buf;
	*len = n;
	return 0;
}

int pl_baseline_load(uint64_t **out, size_t *n, unsigned char key[32],
                     bool *has_key, const char *path, pl_error *err)
{
	reader r;
	char *data = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	*n = 0;
	*has_key = false;
	rc = read_all(&data, &len, path, err);
	if (rc)
		return rc;
	memset(&r, 0, sizeof(r));
	r.p = data;
	r.end = data + len;
	/* a UTF-8 byte order mark is not JSON, but editors add it */
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		r.p += 3;
	r.pos.line = 1;
	r.pos.col = 1;
	r.path = path;
	r.err = err;
	r.key = key;
	rc = document(&r);
	*has_key = rc == 0 && r.has_key;
	free(data);
	if (rc) {
		free(r.stable);
		return rc;
	}
	if (r.n > 1)
		qsort(r.stable, r.n, sizeof(*r.stable), cmp_u64);
	*out = r.stable ? r.stable : pl_xcalloc(1, sizeof(uint64_t));
	*n = r.n;
	return 0;
}
