/*
 * image.c - image references (image.h), checked against the grammar of
 * distribution/reference, which Docker, containerd and the kubelet share:
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] path            at most 255 bytes
 *   domain    := host [ ":" port ]
 *   host      := label ( "." label )* | "[" ipv6 "]"
 *   label     := [A-Za-z0-9] ( [A-Za-z0-9-]* [A-Za-z0-9] )?
 *   port      := [0-9]+
 *   path      := component ( "/" component )*
 *   component := alnum ( separator alnum )*     alnum := [a-z0-9]+
 *   separator := "." | "_" | "__" | "-"+
 *   tag       := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
 *   digest    := algorithm ":" hex
 *   algorithm := word ( [-_+.] word )*          word := [A-Za-z][A-Za-z0-9]*
 *
 * The first component of a name is its domain only when it holds '.' or
 * ':', is `localhost`, or has an upper-case letter (a path never can);
 * otherwise the image is on Docker Hub. The tag is after the last ':' of
 * the last component, so `localhost:5000` alone is docker.io's
 * library/localhost at tag 5000, as Docker reads it.
 */
#include "lib/image.h"

#define HUB        "docker.io"
#define LIBRARY    "library/"
#define QUOTE_MAX  64 /* bytes of a token shown in a message */
#define QUOTE_SIZE (QUOTE_MAX + 4)
#define ID_HEX_LEN 64 /* a bare image id, which Docker refuses as a name */

/* A piece of the input. ptr == NULL: absent; len == 0: present, empty. */
typedef struct slice {
	const char *ptr;
	size_t len;
} slice;

static bool is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_alnum(char c)
{
	return is_lower_alnum(c) || is_upper(c);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static char to_lower(char c)
{
	return is_upper(c) ? (char)(c - 'A' + 'a') : c;
}

static bool slice_is(slice s, const char *lit)
{
	size_t n = strlen(lit);
	return s.len == n && memcmp(s.ptr, lit, n) == 0;
}

static bool slice_is_nocase(slice s, const char *lit)
{
	size_t i, n = strlen(lit);

	if (s.len != n)
		return false;
	for (i = 0; i < n; i++)
		if (to_lower(s.ptr[i]) != lit[i])
			return false;
	return true;
}

static bool slice_has(slice s, char c)
{
	return s.len && memchr(s.ptr, c, s.len);
}

static bool slice_has_upper(slice s)
{
	size_t i;
	for (i = 0; i < s.len; i++)
		if (is_upper(s.ptr[i]))
			return true;
	return false;
}

/* Copies a token for a message: printable ASCII only (the input may be
 * anything), cut with "..." past QUOTE_MAX bytes. */
static void quote(char *out, size_t size, slice s)
{
	size_t i, o = 0;

	for (i = 0; i < s.len && i < QUOTE_MAX && o + 1 < size; i++) {
		unsigned char c = (unsigned char)s.ptr[i];
		out[o++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (i < s.len && o + 4 <= size) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

static int bad(pl_error *err, slice ref, const char *fmt, ...) PL_PRINTF(3, 4);

/* "invalid image reference 'REF': <detail>" */
static int bad(pl_error *err, slice ref, const char *fmt, ...)
{
	char q[QUOTE_SIZE], detail[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	quote(q, sizeof(q), ref);
	return pl_error_set(err, PL_EPARSE, NULL, NULL,
	                    "invalid image reference '%s': %s", q, detail);
}

/* "<what> '<token>' <why>", the shape of most messages below. */
static int bad_token(pl_error *err, slice ref, const char *what, slice tok,
                     const char *why)
{
	char q[QUOTE_SIZE];

	quote(q, sizeof(q), tok);
	return bad(err, ref, "%s '%s' %s", what, q, why);
}

/* Helm and Kustomize/Flux substitutions, left unrendered in the repo. */
static bool is_templated(const char *s, size_t len)
{
	size_t i;
	for (i = 0; i + 1 < len; i++)
		if ((s[i] == '{' && s[i + 1] == '{') ||
		    (s[i] == '$' && s[i + 1] == '{'))
			return true;
	return false;
}

static int check_bytes(pl_error *err, slice ref)
{
	size_t i;

	if (ref.len == 0)
		return pl_error_set(err, PL_EPARSE, NULL, NULL,
		                    "empty image reference");
	for (i = 0; i < ref.len; i++) {
		unsigned char c = (unsigned char)ref.ptr[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			return bad(err, ref, "whitespace at byte %zu", i + 1);
		if (c < 0x20 || c >= 0x7f)
			return bad(err, ref,
			           "byte 0x%02x at %zu is not allowed", c,
			           i + 1);
	}
	return 0;
}

/* A bare 64-hex string is an image id: Docker refuses it as a name so
 * that `docker run <id>` cannot be mistaken for a pull. */
static bool is_image_id(slice ref)
{
	size_t i;

	if (ref.len != ID_HEX_LEN)
		return false;
	for (i = 0; i < ref.len; i++)
		if (!is_digit(ref.ptr[i]) &&
		    !(ref.ptr[i] >= 'a' && ref.ptr[i] <= 'f'))
			return false;
	return true;
}

static bool valid_label(slice l)
{
	size_t i;

	if (l.len == 0 || !is_alnum(l.ptr[0]) || !is_alnum(l.ptr[l.len - 1]))
		return false;
	for (i = 1; i + 1 < l.len; i++)
		if (!is_alnum(l.ptr[i]) && l.ptr[i] != '-')
			return false;
	return true;
}

static bool valid_host(slice h)
{
	size_t i, start = 0;

	if (h.len && h.ptr[0] == '[') {
		/* bracketed IPv6: hex digits and colons (RFC 3986 form,
		 * loosely, as the reference grammar checks it) */
		if (h.len < 3 || h.ptr[h.len - 1] != ']')
			return false;
		for (i = 1; i + 1 < h.len; i++)
			if (!is_hex(h.ptr[i]) && h.ptr[i] != ':')
				return false;
		return true;
	}
	for (i = 0; i <= h.len; i++) {
		if (i == h.len || h.ptr[i] == '.') {
			slice l = {h.ptr + start, i - start};
			if (!valid_label(l))
				return false;
			start = i + 1;
		}
	}
	return true;
}

static int check_domain(pl_error *err, slice ref, slice d)
{
	slice host = d, port = {NULL, 0};
	const char *colon;
	size_t i;

	/* the port's ':' is after an IPv6 literal's closing bracket */
	if (d.ptr[0] == '[') {
		const char *close = memchr(d.ptr, ']', d.len);
		colon = close ? memchr(close, ':',
		                       d.len - (size_t)(close - d.ptr))
		              : NULL;
	} else {
		colon = memchr(d.ptr, ':', d.len);
	}
	if (colon) {
		host.len = (size_t)(colon - d.ptr);
		port.ptr = colon + 1;
		port.len = d.len - host.len - 1;
	}
	if (!valid_host(host))
		return bad_token(err, ref, "registry", d,
		                 "is not a valid host name");
	if (!port.ptr)
		return 0;
	if (port.len == 0)
		return bad_token(err, ref, "registry", d, "has an empty port");
	for (i = 0; i < port.len; i++)
		if (!is_digit(port.ptr[i]))
			return bad_token(err, ref, "port", port,
			                 "is not a number");
	return 0;
}

/* One path component: alnum runs joined by ".", "_", "__" or "-"+. */
static bool valid_component(slice c)
{
	size_t i = 0;

	for (;;) {
		size_t run = i;
		while (i < c.len && is_lower_alnum(c.ptr[i]))
			i++;
		if (i == run)
			return false; /* empty, or a separator at an end */
		if (i == c.len)
			return true;
		if (c.ptr[i] == '.') {
			i++;
		} else if (c.ptr[i] == '_') {
			i++;
			if (i < c.len && c.ptr[i] == '_')
				i++;
		} else if (c.ptr[i] == '-') {
			while (i < c.len && c.ptr[i] == '-')
				i++;
		} else {
			return false;
		}
	}
}

static int check_path(pl_error *err, slice ref, slice p)
{
	size_t i, start = 0;

	if (slice_has_upper(p))
		return bad_token(err, ref, "repository", p,
		                 "must be lower case");
	for (i = 0; i <= p.len; i++) {
		if (i == p.len || p.ptr[i] == '/') {
			slice c = {p.ptr + start, i - start};
			if (!valid_component(c))
				return c.len ? bad_token(err, ref,
				                         "repository component",
				                         c, "is not valid")
				             : bad_token(
				                       err, ref, "repository",
				                       p,
				                       "has an empty component");
			start = i + 1;
		}
	}
	return 0;
}

static int check_tag(pl_error *err, slice ref, slice t)
{
	size_t i;

	if (t.len == 0)
		return bad(err, ref, "empty tag after ':'");
	if (t.len > PL_IMAGE_TAG_MAX)
		return bad_token(err, ref, "tag", t,
		                 "is longer than 128 characters");
	if (!is_alnum(t.ptr[0]) && t.ptr[0] != '_')
		return bad_token(err, ref, "tag", t, "is not valid");
	for (i = 1; i < t.len; i++)
		if (!is_alnum(t.ptr[i]) && t.ptr[i] != '_' && t.ptr[i] != '.' &&
		    t.ptr[i] != '-')
			return bad_token(err, ref, "tag", t, "is not valid");
	return 0;
}

static bool valid_algorithm(slice a)
{
	size_t i = 0;

	for (;;) {
		if (i == a.len || !((a.ptr[i] >= 'a' && a.ptr[i] <= 'z') ||
		                    is_upper(a.ptr[i])))
			return false;
		while (i < a.len && is_alnum(a.ptr[i]))
			i++;
		if (i == a.len)
			return true;
		if (!strchr("-_+.", a.ptr[i]))
			return false;
		i++;
	}
}

/* The algorithms go-digest registers, which containerd and Docker accept;
 * their hex is lower case and of a fixed length. */
static const struct digest_algo {
	const char *name;
	size_t hex_len;
} digest_algos[] = {
        {"sha256", 64},
        {"sha384", 96},
        {"sha512", 128},
};

static int check_digest(pl_error *err, slice ref, slice d)
{
	const char *colon;
	slice algo, hex;
	size_t i, k;

	if (d.len == 0)
		return bad(err, ref, "empty digest after '@'");
	colon = memchr(d.ptr, ':', d.len);
	if (!colon)
		return bad_token(err, ref, "digest", d, "is not algorithm:hex");
	algo.ptr = d.ptr;
	algo.len = (size_t)(colon - d.ptr);
	hex.ptr = colon + 1;
	hex.len = d.len - algo.len - 1;
	if (!valid_algorithm(algo))
		return bad_token(err, ref, "digest", d, "is not algorithm:hex");
	for (i = 0; i < hex.len; i++)
		if (!is_hex(hex.ptr[i]))
			return bad_token(err, ref, "digest", d,
			                 "is not algorithm:hex");
	for (k = 0; k < PL_ARRAY_SIZE(digest_algos); k++)
		if (slice_is(algo, digest_algos[k].name))
			break;
	if (k == PL_ARRAY_SIZE(digest_algos))
		return bad_token(err, ref, "digest algorithm", algo,
		                 "is not supported");
	if (hex.len != digest_algos[k].hex_len || slice_has_upper(hex))
		return bad(err, ref,
		           "a %s digest has %zu lower-case hex digits",
		           digest_algos[k].name, digest_algos[k].hex_len);
	return 0;
}

typedef struct parts {
	slice name, domain, path, tag, digest;
} parts;

/* Cuts ref into its parts; checks nothing. */
static void split(parts *p, slice ref)
{
	const char *at = memchr(ref.ptr, '@', ref.len);
	const char *slash, *colon = NULL;
	size_t i;

	memset(p, 0, sizeof(*p));
	p->name = ref;
	if (at) {
		p->name.len = (size_t)(at - ref.ptr);
		p->digest.ptr = at + 1;
		p->digest.len = ref.len - p->name.len - 1;
	}
	/* the tag's ':' is the last one after the last '/' */
	for (i = p->name.len; i > 0 && p->name.ptr[i - 1] != '/'; i--) {
		if (p->name.ptr[i - 1] == ':') {
			colon = p->name.ptr + i - 1;
			break;
		}
	}
	if (colon) {
		p->tag.ptr = colon + 1;
		p->tag.len = p->name.len - (size_t)(colon - p->name.ptr) - 1;
		p->name.len = (size_t)(colon - p->name.ptr);
	}
	p->path = p->name;
	slash = p->name.len ? memchr(p->name.ptr, '/', p->name.len) : NULL;
	if (slash) {
		slice first = {p->name.ptr, (size_t)(slash - p->name.ptr)};
		if (slice_has(first, '.') || slice_has(first, ':') ||
		    slice_is(first, "localhost") || slice_has_upper(first)) {
			p->domain = first;
			p->path.ptr = slash + 1;
			p->path.len = p->name.len - first.len - 1;
		}
	}
}

static bool is_hub(slice domain)
{
	return slice_is_nocase(domain, "docker.io") ||
	       slice_is_nocase(domain, "index.docker.io") ||
	       slice_is_nocase(domain, "registry-1.docker.io");
}

static int check_parts(pl_error *err, slice ref, const parts *p)
{
	int rc;

	if (p->name.len == 0)
		return bad(err, ref, "no repository name");
	if (p->name.len > PL_IMAGE_NAME_MAX)
		return bad(err, ref, "name is longer than %d characters",
		           PL_IMAGE_NAME_MAX);
	if (p->domain.ptr) {
		rc = check_domain(err, ref, p->domain);
		if (rc)
			return rc;
	}
	rc = check_path(err, ref, p->path);
	if (rc == 0 && p->tag.ptr)
		rc = check_tag(err, ref, p->tag);
	if (rc == 0 && p->digest.ptr)
		rc = check_digest(err, ref, p->digest);
	return rc;
}

int pl_image_parse(pl_image *out, pl_arena *arena, const char *s, size_t len,
                   pl_error *err)
{
	slice ref = {s, len};
	parts p;
	bool hub;
	int rc;

	memset(out, 0, sizeof(*out));
	if (is_templated(s, len))
		return PL_IMAGE_TEMPLATED;
	rc = check_bytes(err, ref);
	if (rc)
		return rc;
	if (is_image_id(ref))
		return bad(err, ref,
		           "a 64-digit hex string is an image id, not a name");
	split(&p, ref);
	rc = check_parts(err, ref, &p);
	if (rc)
		return rc;

	hub = !p.domain.ptr || is_hub(p.domain);
	out->registry_defaulted = !p.domain.ptr;
	out->registry =
	        hub ? HUB : pl_arena_strndup(arena, p.domain.ptr, p.domain.len);
	out->library_defaulted = hub && !slice_has(p.path, '/');
	if (out->library_defaulted)
		out->repository = pl_arena_printf(arena, LIBRARY "%.*s",
		                                  (int)p.path.len, p.path.ptr);
	else
		out->repository =
		        pl_arena_strndup(arena, p.path.ptr, p.path.len);
	if (p.tag.ptr)
		out->tag = pl_arena_strndup(arena, p.tag.ptr, p.tag.len);
	if (p.digest.ptr)
		out->digest =
		        pl_arena_strndup(arena, p.digest.ptr, p.digest.len);
	return 0;
}

static bool same_nocase(const char *a, const char *b)
{
	while (*a && to_lower(*a) == to_lower(*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

bool pl_image_same_repository(const pl_image *a, const pl_image *b)
{
	if (!a->registry || !b->registry || !a->repository || !b->repository)
		return false;
	return same_nocase(a->registry, b->registry) &&
	       strcmp(a->repository, b->repository) == 0;
}

int pl_image_name(pl_buf *out, const pl_image *img)
{
	return pl_buf_addf(out, "%s/%s", img->registry, img->repository);
}

int pl_image_familiar_name(pl_buf *out, const pl_image *img)
{
	const char *r = img->repository;
	size_t n = strlen(LIBRARY);

	if (strcmp(img->registry, HUB) != 0)
		return pl_image_name(out, img);
	/* Docker shortens docker.io/library/x to x, but not a deeper
	 * library/a/b, which would read back as docker.io/a/b */
	if (strncmp(r, LIBRARY, n) == 0 && !strchr(r + n, '/'))
		r += n;
	return pl_buf_adds(out, r);
}
