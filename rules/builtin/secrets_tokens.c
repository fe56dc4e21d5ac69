/*
 * secrets_tokens.c - secrets/token: credential patterns in every text
 * file, YAML or not (scripts, .env, Markdown, JSON, Terraform).
 *
 * Cost model (DESIGN.md): one pass of a keyword prefilter over the file
 * finds which rows of the format table (secrets_formats.c) can match at
 * all; only those rows' regexes run, each over the whole file. The
 * prefilter indexes every keyword by its first two bytes (lower-cased):
 * one table look-up per byte of the file, and a comparison only where
 * two bytes begin some keyword, so most files meet no row regex at all.
 * Entropy is computed only for candidates.
 */
#include <ctype.h>

#include "builtin/builtin.h"
#include "builtin/secrets_formats.h"
#include "builtin/secrets_scan.h"
#include "base/buf.h"
#include "base/quote.h"
#include "base/map.h"
#include "base/vec.h"
#include "base/xalloc.h"

#define MIN_SECRET_LEN 8
/* user:abc@ is a documentation sample; a real password has more */
#define MIN_URL_SECRET_LEN 4

typedef struct keyword {
	char *word;
	pl_vec rows; /* size_t: rows of the table that list it */
} keyword;

typedef struct scanner {
	pl_regex **rows;      /* one per table row */
	uint32_t *pair_start; /* 65537 offsets into pair_list, CSR form */
	uint32_t *pair_list;  /* keyword indexes by their first two bytes */
	keyword *keywords;
	size_t nkeywords;
	pl_map by_word; /* keyword text -> keyword */
} scanner;

void pl_secrets_scanner_free(void *state)
{
	scanner *sc = state;
	size_t i;
	if (!sc)
		return;
	for (i = 0; i < pl_token_formats_len; i++)
		pl_regex_free(sc->rows[i]);
	free(sc->rows);
	free(sc->pair_start);
	free(sc->pair_list);
	for (i = 0; i < sc->nkeywords; i++) {
		free(sc->keywords[i].word);
		pl_vec_release(&sc->keywords[i].rows);
	}
	free(sc->keywords);
	pl_map_release(&sc->by_word);
	free(sc);
}

static void add_keyword(scanner *sc, const char *w, size_t n, size_t row,
                        size_t *cap)
{
	keyword *k = pl_map_get(&sc->by_word, w, n);
	if (!k) {
		size_t i;
		sc->keywords = pl_xgrow(sc->keywords, cap, sc->nkeywords + 1,
		                        sizeof(keyword));
		k = &sc->keywords[sc->nkeywords++];
		k->word = pl_xstrndup(w, n);
		pl_vec_init(&k->rows, sizeof(size_t));
		/* the array moved: re-point the map at every entry */
		pl_map_reset(&sc->by_word);
		for (i = 0; i < sc->nkeywords; i++)
			pl_map_put(&sc->by_word, sc->keywords[i].word,
			           strlen(sc->keywords[i].word),
			           &sc->keywords[i], NULL);
	}
	pl_vec_append(&k->rows, &row);
}

static unsigned pair_of(unsigned char a, unsigned char b)
{
	if (a >= 'A' && a <= 'Z')
		a = (unsigned char)(a + 32);
	if (b >= 'A' && b <= 'Z')
		b = (unsigned char)(b + 32);
	return (unsigned)a << 8 | b;
}

/* Builds the two-byte index of the keywords (every keyword has at least
 * 3 bytes, secrets_formats.h). */
static void index_pairs(scanner *sc)
{
	size_t i;
	uint32_t *fill;

	sc->pair_start = pl_xcalloc(65537, sizeof(uint32_t));
	sc->pair_list = pl_xcalloc(sc->nkeywords + 1, sizeof(uint32_t));
	for (i = 0; i < sc->nkeywords; i++) {
		const char *w = sc->keywords[i].word;
		sc->pair_start[pair_of((unsigned char)w[0],
		                       (unsigned char)w[1]) +
		               1]++;
	}
	for (i = 1; i <= 65536; i++)
		sc->pair_start[i] += sc->pair_start[i - 1];
	fill = pl_xcalloc(65536, sizeof(uint32_t));
	for (i = 0; i < sc->nkeywords; i++) {
		const char *w = sc->keywords[i].word;
		unsigned p = pair_of((unsigned char)w[0], (unsigned char)w[1]);
		sc->pair_list[sc->pair_start[p] + fill[p]++] = (uint32_t)i;
	}
	free(fill);
}

int pl_secrets_scanner_new(void **state, pl_error *err)
{
	scanner *sc = pl_xcalloc(1, sizeof(*sc));
	size_t i, cap = 0;
	int rc = 0;

	pl_map_init(&sc->by_word);
	sc->rows = pl_xcalloc(pl_token_formats_len, sizeof(pl_regex *));
	for (i = 0; i < pl_token_formats_len && rc == 0; i++) {
		const pl_token_format *f = &pl_token_formats[i];
		const char *k = f->keywords;
		rc = pl_regex_new(&sc->rows[i], f->regex, PL_REGEX_MULTILINE,
		                  err);
		if (rc) {
			/* a bug of ours in the table: say which row */
			char msg[sizeof(err->msg)];
			snprintf(msg, sizeof(msg), "%s", err->msg);
			rc = pl_error_set(err, PL_EINTERNAL, NULL, NULL,
			                  "secrets format '%s': %s", f->id,
			                  msg);
			break;
		}
		while (*k) {
			size_t n = strcspn(k, "|");
			if (n)
				add_keyword(sc, k, n, i, &cap);
			k += n;
			if (*k == '|')
				k++;
		}
	}
	if (rc == 0)
		index_pairs(sc);
	if (rc) {
		pl_secrets_scanner_free(sc);
		return rc;
	}
	*state = sc;
	return 0;
}

static const char *kind_words(pl_secret_kind k)
{
	switch (k) {
	case PL_SECRET_PRIVATE_KEY:
		return "private key";
	case PL_SECRET_URL_PASSWORD:
		return "password in a URL";
	case PL_SECRET_ASSIGNMENT:
		return "credential";
	default:
		return "token";
	}
}

/* A URL whose password also appears in its user, host or path is a
 * chart's default (postgres://app:app@app-db/app), not a leak. */
static bool default_credential(const pl_file *f, const pl_match *m)
{
	size_t n = m->group_end - m->group_start, end = m->group_end;
	const char *pw = f->src.data + m->group_start;
	const char *d = f->src.data;
	size_t start = m->start, i;
	const char *scheme = memchr(d + start, ':', m->group_start - start);

	/* from after the scheme: `postgres` must not hide a password 'post' */
	if (scheme && (size_t)(scheme - d) + 3 <= m->group_start)
		start = (size_t)(scheme - d) + 3;

	while (end < f->src.len && d[end] != ' ' && d[end] != '\n' &&
	       d[end] != '"' && d[end] != '\'')
		end++;
	for (i = start; i + n <= end; i++)
		if (i != m->group_start && memcmp(d + i, pw, n) == 0)
			return true;
	return false;
}

static void emit(pl_ctx *ctx, pl_span span, const pl_token_format *fmt,
                 const char *s, size_t len)
{
	char masked[32];

	if (fmt->kind == PL_SECRET_PRIVATE_KEY) {
		pl_emit_secret(ctx, span, s, len,
		               "remove the key from git, rotate it, and mount "
		               "it from a Secret manager (SealedSecret, "
		               "ExternalSecret, SOPS)",
		               "%s committed in plain text", fmt->name);
		return;
	}
	pl_secret_mask(masked, sizeof(masked), s, len);
	pl_emit_secret(ctx, span, s, len,
	               "revoke it, remove it from git history, and reference "
	               "it from a secret store instead",
	               "%s committed in plain text: '%s' (%s)", fmt->name,
	               masked, kind_words(fmt->kind));
}

static void report(pl_ctx *ctx, const pl_file *f, const pl_token_format *fmt,
                   const pl_match *m)
{
	pl_span span;

	if (fmt->kind == PL_SECRET_URL_PASSWORD && default_credential(f, m))
		return;
	span.start = pl_source_pos_at(&f->src, m->group_start);
	span.end = pl_source_pos_at(&f->src, m->group_end);
	emit(ctx, span, fmt, f->src.data + m->group_start,
	     m->group_end - m->group_start);
}

/* Marks in want[] the rows whose keywords occur in text. */
static void candidates(const scanner *sc, const char *text, size_t len,
                       bool *want)
{
	size_t i, j, k;

	for (i = 0; i + 1 < len; i++) {
		unsigned p = pair_of((unsigned char)text[i],
		                     (unsigned char)text[i + 1]);
		for (k = sc->pair_start[p]; k < sc->pair_start[p + 1]; k++) {
			const keyword *kw = &sc->keywords[sc->pair_list[k]];
			size_t n = strlen(kw->word);
			if (n > len - i)
				continue;
			for (j = 2; j < n; j++) {
				char c = text[i + j];
				if (c >= 'A' && c <= 'Z')
					c = (char)(c + 32);
				if (c != kw->word[j])
					break;
			}
			if (j < n)
				continue;
			for (j = 0; j < kw->rows.len; j++)
				want[*(size_t *)pl_vec_at(&kw->rows, j)] = true;
		}
	}
}

/* The next match of row in text at or after *from that passes the
 * entropy and placeholder filters; 1 if found. */
/* True if the shell variable name ending at text[at) (at most 40
 * letters, digits and '_' before it, not starting with a digit) starts a
 * command: at a line's start or after a blank, ';', '&', '|' or '('. */
static bool starts_a_command(const char *text, size_t at)
{
	size_t i = at;
	char c;
	while (i > 0 && at - i < 40 &&
	       (isalnum((unsigned char)text[i - 1]) || text[i - 1] == '_'))
		i--;
	if (i < at && isdigit((unsigned char)text[i]))
		return false;
	if (i == 0)
		return true;
	c = text[i - 1];
	return c == '\n' || c == ' ' || c == '\t' || c == ';' || c == '&' ||
	       c == '|' || c == '(';
}

/* A PEM body never holds "...": a block with it is documentation that
 * shows the shape of a key (BEGIN, a line, ..., END). */
static bool key_stub(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i + 2 < n; i++)
		if (s[i] == '.' && s[i + 1] == '.' && s[i + 2] == '.')
			return true;
	return false;
}

static int next_secret(const scanner *sc, size_t row, const char *text,
                       size_t len, size_t *from, pl_match *m,
                       pl_match_scratch *scratch)
{
	const pl_token_format *fmt = &pl_token_formats[row];

	while (*from <= len && pl_regex_match(sc->rows[row], text, len, *from,
	                                      m, scratch) == 1) {
		const char *s = text + m->group_start;
		size_t n = m->group_end - m->group_start;
		*from = m->end > m->start ? m->end : m->start + 1;
		if (n < (fmt->kind == PL_SECRET_URL_PASSWORD
		                 ? MIN_URL_SECRET_LEN
		                 : MIN_SECRET_LEN))
			continue;
		if (fmt->min_entropy > 0 &&
		    pl_secret_entropy(s, n) < fmt->min_entropy)
			continue;
		if (fmt->kind == PL_SECRET_PRIVATE_KEY &&
		    strcmp(fmt->id, PL_FORMAT_PRIVATE_KEY_BASE64) == 0) {
			char *pem;
			size_t pn;
			bool key = false;
			if (pl_base64_decode(s, n, &pem, &pn)) {
				key = pl_secret_private_key_pem(pem, pn);
				free(pem);
			}
			if (!key)
				continue;
			return 1;
		}
		if (fmt->kind == PL_SECRET_PRIVATE_KEY) {
			if (pl_secret_encrypted_key(s, n))
				continue; /* useless without its passphrase */
			if (key_stub(s, n))
				continue; /* documentation, not a key */
			return 1;
		}
		if (strcmp(fmt->id, "shell-passphrase") == 0 &&
		    !starts_a_command(text, m->start))
			continue;
		if (strcmp(fmt->id, "jwt") == 0 && !pl_secret_jwt_header(s, n))
			continue; /* the header is no JSON object */
		/* a vendor default is secrets/default-credential's */
		if (pl_secret_placeholder(s, n) ||
		    pl_secret_password_hash(s, n) ||
		    pl_secret_default_credential(s, n))
			continue;
		return 1;
	}
	return 0;
}

const pl_token_format *pl_secrets_identify(const void *state,
                                           pl_match_scratch *scratch,
                                           const char *text, size_t len)
{
	const scanner *sc = state;
	const pl_token_format *found = NULL;
	bool *want;
	size_t i;

	if (!sc || !sc->pair_start)
		return NULL;
	want = pl_xcalloc(pl_token_formats_len, sizeof(bool));
	candidates(sc, text, len, want);
	for (i = 0; i < pl_token_formats_len && !found; i++) {
		size_t from = 0;
		pl_match m;
		if (want[i] &&
		    next_secret(sc, i, text, len, &from, &m, scratch) == 1)
			found = &pl_token_formats[i];
	}
	free(want);
	return found;
}

/*
 * Places the text scan leaves alone. A structural rule reports the value
 * with better advice: the data and stringData values of a kind: Secret
 * (secrets/k8s-secret), the config values of a Pulumi stack file that
 * parses (secrets/pulumi-config), the secrets, envRefs and config of an
 * Operator Stack (secrets/pulumi-stack); annotations, comments and other
 * fields are still scanned. Or the document is ciphertext by
 * construction: a SealedSecret, a SOPS-encrypted document (top-level
 * `sops:`). One leak, one finding.
 */
/* Is offset inside one of the values of mapping m? */
static bool in_values(const pl_node *m, size_t offset)
{
	size_t i;
	m = pl_node_deref(m);
	if (!m || m->kind != PL_NODE_MAPPING)
		return false;
	for (i = 0; i < m->u.map.len; i++) {
		const pl_node *v = m->u.map.pairs[i].value;
		if (offset >= v->span.start.offset &&
		    offset < v->span.end.offset)
			return true;
	}
	return false;
}

/* [start, end) offsets of what SOPS owns in the file: each sops: block
 * and every value its rule encrypts (ENC[...], or plain text the SOPS
 * check reported). */
typedef struct owned {
	size_t start, end;
} owned;

static bool owned_by_sops(const pl_vec *sops, size_t offset)
{
	size_t i;
	for (i = 0; i < sops->len; i++) {
		const owned *o = pl_vec_at(sops, i);
		if (offset >= o->start && offset < o->end)
			return true;
	}
	return false;
}

static bool covered(const pl_file *f, const pl_vec *sops_owned, size_t offset)
{
	size_t i;

	if (!f->parsed)
		return false;
	for (i = 0; i < f->nobjects; i++) {
		const pl_object *o = &f->objects[i];
		const pl_node *sops, *spec;
		if (!o->root || o->root->kind != PL_NODE_MAPPING ||
		    offset < o->root->span.start.offset ||
		    offset >= o->root->span.end.offset)
			continue;
		sops = pl_node_get(o->root, "sops");
		if (sops && sops->kind == PL_NODE_MAPPING &&
		    owned_by_sops(sops_owned, offset))
			return true; /* ciphertext, or reported as SOPS's */
		if (o->kind && strcmp(o->kind, "SealedSecret") == 0)
			return true; /* ciphertext by construction */
		if (o->kind && strcmp(o->kind, "Secret") == 0 &&
		    o->api_version && strcmp(o->api_version, "v1") == 0)
			return in_values(pl_node_get(o->root, "data"),
			                 offset) ||
			       in_values(pl_node_get(o->root, "stringData"),
			                 offset);
		spec = pl_node_get(o->root, "spec");
		if (o->kind && strcmp(o->kind, "Stack") == 0 &&
		    o->api_version &&
		    strncmp(o->api_version, "pulumi.com/", 11) == 0)
			return in_values(pl_node_get(spec, "secrets"),
			                 offset) ||
			       in_values(pl_node_get(spec, "envRefs"),
			                 offset) ||
			       in_values(pl_node_get(spec, "config"), offset);
		if (i == 0 && pl_pulumi_stack_file(f->src.path) >= 0 &&
		    f->tree.problem == PL_TREE_OK)
			return in_values(pl_node_get(o->root, "config"),
			                 offset);
	}
	return false;
}

typedef struct hit {
	pl_match m;
	size_t row;
} hit;

static int cmp_hit(const void *a, const void *b)
{
	const hit *x = a, *y = b;
	if (x->m.group_start != y->m.group_start)
		return x->m.group_start < y->m.group_start ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

static bool overlaps(const hit *a, const hit *b)
{
	return a->m.group_start < b->m.group_end &&
	       b->m.group_start < a->m.group_end;
}

/*
 * One finding per secret: where a service's own format and a generic
 * assignment row find the same value, the specific one speaks; among
 * equals, the first kept one. Specific hits are decided first, so a
 * generic hit is dropped only for a hit that is itself reported.
 */
static void choose(const hit *hits, size_t n, bool *keep)
{
	size_t pass, i, j;
	for (pass = 0; pass < 2; pass++) {
		bool generic_pass = pass == 1;
		for (i = 0; i < n; i++) {
			bool generic = pl_token_formats[hits[i].row].kind ==
			               PL_SECRET_ASSIGNMENT;
			if (generic != generic_pass)
				continue;
			keep[i] = true;
			for (j = 0; j < n && keep[i]; j++) {
				bool other =
				        pl_token_formats[hits[j].row].kind ==
				        PL_SECRET_ASSIGNMENT;
				if (j == i || !keep[j] ||
				    !overlaps(&hits[i], &hits[j]))
					continue;
				/* keep[j] of a later hit is only set for a
				 * specific hit in the generic pass */
				if (!other || j < i)
					keep[i] = false;
			}
		}
	}
}

/*
 * The text as JSON, YAML double-quoted strings and shell `echo -e` read
 * it: an escaped line break or tab (`\n`, `\r`, `\t`) ends a line or a
 * word, so `"run\nghp_..."` holds a token at a line start where the raw
 * bytes read `nghp_`. The copy replaces the escape's letter with the
 * character it stands for and keeps every offset, so findings point at
 * the file's own bytes and report them. NULL when the text has no such
 * escape (the common case costs one memchr pass).
 */
static char *unescape_breaks(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	char *copy = NULL;

	while (p < end) {
		const char *bs = memchr(p, '\\', (size_t)(end - p));
		char c;
		if (!bs || bs + 1 >= end)
			break;
		c = bs[1];
		if (c == 'n' || c == 'r' || c == 't') {
			if (!copy) {
				copy = pl_xmalloc(len + 1);
				memcpy(copy, text, len);
				copy[len] = '\0';
			}
			copy[bs + 1 - text] = c == 'n'   ? '\n'
			                      : c == 'r' ? '\r'
			                                 : '\t';
		}
		/* `\\n` too: JSON inside a YAML string escapes twice */
		p = c == '\\' ? bs + 1 : bs + 2;
	}
	return copy;
}

#define SOPS_MAX_DEPTH 64

typedef struct sops_walk {
	pl_ctx *ctx;
	const pl_sops *sops;
	pl_match_scratch *scratch;
	const pl_node *keys[SOPS_MAX_DEPTH];
	size_t nkeys;
	pl_vec *owned;
} sops_walk;

static void sops_report(sops_walk *w, const pl_node *v)
{
	char path[160], qp[192], qa[96], masked[32];
	size_t i, o = 0;
	const char *s = v->u.scalar.str;
	size_t len = v->u.scalar.len;

	if (v->type != PL_TYPE_STRING || pl_sops_ciphertext(s, len) ||
	    pl_secret_placeholder(s, len) || pl_secret_password_hash(s, len))
		return;
	path[0] = '\0';
	for (i = 0; i < w->nkeys; i++) {
		const pl_node *k = pl_node_deref(w->keys[i]);
		int n;
		if (!k || k->kind != PL_NODE_SCALAR)
			continue;
		n = snprintf(path + o, sizeof(path) - o, "%s%s", o ? "." : "",
		             k->u.scalar.str);
		if (n < 0 || (size_t)n >= sizeof(path) - o)
			break;
		o += (size_t)n;
	}
	pl_quote(qp, sizeof(qp), path, strlen(path), 80);
	pl_quote(qa, sizeof(qa), w->sops->arg, w->sops->arglen, 60);
	pl_secret_mask(masked, sizeof(masked), s, len);
	pl_emit_secret(w->ctx, v->span, s, len,
	               "rotate the value (it is in git), then encrypt the file "
	               "again: sops --encrypt --in-place FILE",
	               "'%s' is plain text in a SOPS-encrypted document whose "
	               "%s '%s' selects it for encryption: '%s'",
	               qp, w->sops->key ? w->sops->key : "default rule", qa,
	               masked);
}

static void sops_node(sops_walk *w, const pl_node *n, unsigned depth)
{
	size_t i;
	if (!n || depth >= SOPS_MAX_DEPTH)
		return;
	switch (n->kind) {
	case PL_NODE_SCALAR:
		if (pl_sops_encrypts(w->sops, w->keys, w->nkeys, w->scratch)) {
			owned o = {n->span.start.offset, n->span.end.offset};
			pl_vec_append(w->owned, &o);
			sops_report(w, n);
		}
		break;
	case PL_NODE_SEQUENCE:
		for (i = 0; i < n->u.seq.len; i++)
			sops_node(w, n->u.seq.items[i], depth + 1);
		break;
	case PL_NODE_MAPPING:
		for (i = 0; i < n->u.map.len; i++) {
			const pl_pair *p = &n->u.map.pairs[i];
			if (p->flags & PL_PAIR_MERGED ||
			    w->nkeys >= SOPS_MAX_DEPTH)
				continue;
			if (depth == 0 && pl_node_is_str(p->key, "sops"))
				continue;
			w->keys[w->nkeys++] = p->key;
			sops_node(w, p->value, depth + 1);
			w->nkeys--;
		}
		break;
	default:
		break; /* an alias: its target is judged where it stands */
	}
}

/* Reports SOPS documents' plain values that their rule encrypts and
 * records in owned what the text scan must leave alone. */
static void check_sops(pl_ctx *ctx, const pl_file *f, pl_vec *owned_out)
{
	size_t i;

	if (!f->parsed)
		return;
	for (i = 0; i < f->nobjects; i++) {
		pl_sops sops;
		sops_walk w;
		owned whole;
		if (!pl_sops_open(&sops, f->objects[i].root))
			continue;
		whole.start = sops.block->span.start.offset;
		whole.end = sops.block->span.end.offset;
		pl_vec_append(owned_out, &whole);
		if (sops.unknown) {
			/* a rule we cannot read: leave the document alone */
			whole.start = f->objects[i].root->span.start.offset;
			whole.end = f->objects[i].root->span.end.offset;
			pl_vec_append(owned_out, &whole);
			pl_sops_close(&sops);
			continue;
		}
		memset(&w, 0, sizeof(w));
		w.ctx = ctx;
		w.sops = &sops;
		w.scratch = pl_ctx_scratch(ctx);
		w.owned = owned_out;
		sops_node(&w, pl_node_deref(f->objects[i].root), 0);
		pl_sops_close(&sops);
	}
}

static void check_tokens(pl_ctx *ctx, const pl_file *f)
{
	const scanner *sc = pl_ctx_state(ctx);
	pl_match_scratch *scratch = pl_ctx_scratch(ctx);
	bool *want, *keep;
	pl_vec hits;
	size_t i;
	char *norm;
	const char *text;
	pl_vec sops_owned;

	if (!sc || !sc->pair_start || !f->src.data)
		return;
	pl_vec_init(&sops_owned, sizeof(owned));
	check_sops(ctx, f, &sops_owned);
	norm = unescape_breaks(f->src.data, f->src.len);
	text = norm ? norm : f->src.data;
	want = pl_xcalloc(pl_token_formats_len, sizeof(bool));
	pl_vec_init(&hits, sizeof(hit));
	candidates(sc, text, f->src.len, want);
	for (i = 0; i < pl_token_formats_len; i++) {
		size_t from = 0;
		hit h;
		if (!want[i])
			continue;
		h.row = i;
		while (next_secret(sc, i, text, f->src.len, &from, &h.m,
		                   scratch) == 1)
			if (!covered(f, &sops_owned, h.m.group_start))
				pl_vec_append(&hits, &h);
	}
	if (hits.len > 1)
		qsort(hits.items, hits.len, sizeof(hit), cmp_hit);
	keep = pl_xcalloc(hits.len ? hits.len : 1, sizeof(bool));
	choose(hits.items, hits.len, keep);
	for (i = 0; i < hits.len; i++) {
		const hit *h = pl_vec_at(&hits, i);
		if (keep[i])
			report(ctx, f, &pl_token_formats[h->row], &h->m);
	}

	free(keep);
	pl_vec_release(&hits);
	free(want);
	free(norm);
	pl_vec_release(&sops_owned);
}

const pl_rule pl_rule_secrets_token = {
        .id = "secrets/token",
        .severity = PL_SEV_ERROR,
        .secret = true,
        .summary = "A credential (API token, private key, password in a URL "
                   "or an assignment) is committed in plain text",
        .help = "A credential in git is readable by everyone with the "
                "repository, forever: deleting it in a later commit leaves "
                "it in history. plumb recognises the formats of common "
                "services (GitHub, GitLab, AWS, IBM Cloud, Slack, OpenAI, "
                "Anthropic, Hugging Face, Cloudflare, Google, Stripe and "
                "many more), private key blocks, JWTs, passwords inside URLs "
                "(postgresql://user:pass@host), passwords on command lines "
                "(docker login -p, mysql -p, curl -u, sshpass -p, redis-cli "
                "-a, ldapsearch -w, openssl pass:, --password) and password "
                "assignments in scripts and env files (a quoted passphrase "
                "with blanks included), in every tracked text file. A key "
                "block whose END line is cut or missing is still a key. "
                "Vendor defaults and a URL's user name repeated as its "
                "password are secrets/default-credential's warnings instead. "
                "Placeholders (`<password>`, `${VAR}`, `{{ .password }}`, "
                "`changeme`, `UPDATE_ME`, `your-...`, `TODO`), references "
                "(op://, vault:), password hashes (bcrypt, sha-crypt, "
                "argon2, scrypt, PBKDF2, Django and htpasswd lines), "
                "checksum annotations, encrypted private keys and key blocks "
                "shown in documentation (`...` in the body) are not "
                "reported. In a SOPS-encrypted document (a top-level `sops:` "
                "block), a value that the recorded rule (encrypted_regex, "
                "encrypted_suffix, unencrypted_regex, unencrypted_suffix) "
                "selects but that is not ENC[...] is reported: it was added "
                "after encryption; values the rule leaves in clear are "
                "checked like any other. The report shows only the first 4 "
                "characters (none of a value under 16 characters).\n"
                "Fix: revoke or rotate the credential first (it is leaked "
                "already), remove it from the history (git filter-repo), and "
                "deliver it from a secret store: a SealedSecret, an "
                "ExternalSecret, a SOPS-encrypted file, or Pulumi `secure:` "
                "config.",
        .scope = PL_SCOPE_FILE,
        .file_kinds = PL_FILES_YAML | PL_FILES_TEXT | PL_FILES_TEMPLATE,
        .alone = true,
        .check_file = check_tokens,
        .prepare = pl_secrets_scanner_new,
        .release = pl_secrets_scanner_free,
        .example = "apiVersion: v1\n"
                   "kind: ConfigMap\n"
                   "metadata:\n"
                   "  name: ci-settings\n"
                   "data:\n"
                   "  GITHUB_TOKEN: ghp_NotARealTokenJustPlumbDocs9x8y7z6w5v\n",
        .tags = PL_TAGS("security", "secrets", "external/cwe/cwe-798"),
        .precision = PL_PRECISION_HIGH,
        .security = true,
};
