/*
 * secrets_values.c - values that look like credentials but are not:
 * password hashes, htpasswd lines and encrypted private keys.
 *
 * A hash is what a server stores to check a password against; committing
 * it is the documented way to configure Argo CD's admin, Authelia users,
 * ingress-nginx basic auth or a Django fixture. Shapes are the schemes'
 * own (crypt(5), passlib, Django's hashers, Apache's htpasswd formats);
 * the parsers are ours. Each check reads the value once and allocates
 * nothing.
 */
#include "builtin/secrets_scan.h"

static bool crypt64(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '/';
}

/* Characters a segment of a modular hash may hold: the crypt alphabet,
 * standard base64 (+ and =), and argon2/scrypt parameters (m=1,t=2). */
static bool segment_char(char c)
{
	return crypt64(c) || c == '+' || c == '=' || c == ',' || c == '-' ||
	       c == '_';
}

static bool word_is(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && memcmp(s, w, n) == 0;
}

/* The scheme names a modular hash starts with: `$id$` in crypt(5) and
 * passlib, `id$` in Django's hashers. */
static bool hash_scheme(const char *s, size_t n)
{
	static const char *const ids[] = {
	        "1",
	        "2",
	        "2a",
	        "2b",
	        "2x",
	        "2y",
	        "5",
	        "6",
	        "7",
	        "y",
	        "gy",
	        "apr1",
	        "md5",
	        "sha1",
	        "argon2",
	        "argon2i",
	        "argon2d",
	        "argon2id",
	        "scrypt",
	        "pbkdf2",
	        "pbkdf2-sha1",
	        "pbkdf2-sha224",
	        "pbkdf2-sha256",
	        "pbkdf2-sha384",
	        "pbkdf2-sha512",
	        "bcrypt",
	        "bcrypt-sha256",
	        "bcrypt_sha256",
	        "pbkdf2_sha1",
	        "pbkdf2_sha256",
	};
	size_t i;
	for (i = 0; i < PL_ARRAY_SIZE(ids); i++)
		if (word_is(s, n, ids[i]))
			return true;
	return false;
}

/* bcrypt: $2[abxy]$NN$ then 22 salt and 31 hash characters. */
static bool bcrypt(const char *s, size_t n)
{
	size_t i;
	if (n != 60 || s[0] != '$' || s[1] != '2' || s[3] != '$' ||
	    s[6] != '$' || !strchr("abxy", s[2]) || s[2] == '\0')
		return false;
	if (s[4] < '0' || s[4] > '3' || s[5] < '0' || s[5] > '9')
		return false;
	for (i = 7; i < n; i++)
		if (!crypt64(s[i]))
			return false;
	return true;
}

/*
 * A modular hash: [$]scheme$seg$...$digest with a known scheme, at least
 * two more segments, only hash characters, and a digest part of at least
 * 16 characters (the shortest, md5-crypt's, has 22). Django's forms have
 * no leading '$' and may nest a crypt hash (bcrypt_sha256$$2b$12$...).
 */
static bool modular_hash(const char *s, size_t n)
{
	size_t i, start, dollars = 0, last = 0;

	if (bcrypt(s, n))
		return true;
	start = s[0] == '$' ? 1 : 0;
	for (i = start; i < n && s[i] != '$'; i++)
		;
	if (i == n || !hash_scheme(s + start, i - start))
		return false;
	for (; i < n; i++) {
		if (s[i] == '$') {
			dollars++;
			last = i + 1;
		} else if (!segment_char(s[i])) {
			return false;
		}
	}
	return dollars >= 2 && n - last >= 16;
}

/* LDAP-style {SCHEME}base64, as htpasswd -s writes and OpenLDAP keeps;
 * {CRYPT} wraps a crypt(5) hash. */
static bool ldap_hash(const char *s, size_t n)
{
	static const char *const schemes[] = {
	        "{SHA}",           "{SSHA}",          "{MD5}",
	        "{SMD5}",          "{SHA256}",        "{SSHA256}",
	        "{SHA512}",        "{SSHA512}",       "{PBKDF2}",
	        "{PBKDF2-SHA256}", "{PBKDF2-SHA512}", "{PBKDF2-SHA1}",
	        "{ARGON2}",
	};
	size_t i, j, k;
	if (n > 7 && memcmp(s, "{CRYPT}", 7) == 0)
		return modular_hash(s + 7, n - 7);
	for (i = 0; i < PL_ARRAY_SIZE(schemes); i++) {
		k = strlen(schemes[i]);
		if (n < k + 16 || memcmp(s, schemes[i], k) != 0)
			continue;
		for (j = k; j < n; j++)
			if (!segment_char(s[j]) && s[j] != '$')
				return false;
		return true;
	}
	return false;
}

static bool one_hash(const char *s, size_t n)
{
	return n >= 20 && (modular_hash(s, n) || ldap_hash(s, n));
}

/* `user:hash` (htpasswd, one per line); the user has no blanks. */
static bool htpasswd_line(const char *s, size_t n)
{
	const char *colon = memchr(s, ':', n);
	size_t u, i;
	if (!colon)
		return false;
	u = (size_t)(colon - s);
	if (u == 0 || u > 128)
		return false;
	for (i = 0; i < u; i++)
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '$')
			return false;
	return one_hash(colon + 1, n - u - 1);
}

bool pl_secret_password_hash(const char *s, size_t len)
{
	size_t i = 0, lines = 0;

	while (len && (s[0] == '"' || s[0] == '\'' || s[0] == ' ')) {
		s++;
		len--;
	}
	while (len &&
	       (s[len - 1] == '"' || s[len - 1] == '\'' || s[len - 1] == ' ' ||
	        s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	if (len < 20)
		return false;
	if (!memchr(s, '\n', len))
		return one_hash(s, len) || htpasswd_line(s, len);
	/* an htpasswd file: every non-empty line is user:hash */
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) : len, e = end;
		if (e > i && s[e - 1] == '\r')
			e--;
		if (e > i) {
			if (!htpasswd_line(s + i, e - i))
				return false;
			lines++;
		}
		i = end + 1;
	}
	return lines > 0;
}

/*
 * An encrypted private key: PKCS#8 `ENCRYPTED PRIVATE KEY`, a legacy PEM
 * with `Proc-Type: 4,ENCRYPTED`, or an OpenSSH key whose cipher is not
 * `none` (PROTOCOL.key: "openssh-key-v1\0", then the cipher name as an
 * SSH string; base64 of the unencrypted header is fixed, below). Without
 * its passphrase it is not a usable credential.
 */
static const char *find(const char *s, size_t len, const char *w)
{
	size_t n = strlen(w), i;
	for (i = 0; i + n <= len; i++)
		if (s[i] == w[0] && memcmp(s + i, w, n) == 0)
			return s + i;
	return NULL;
}

bool pl_secret_encrypted_key(const char *s, size_t len)
{
	static const char plain[] = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUA";
	static const char magic[] = "b3BlbnNzaC1rZXktdjEAAAAA";
	const char *p, *end = s + len;

	if (find(s, len, "ENCRYPTED PRIVATE KEY") ||
	    find(s, len, "Proc-Type: 4,ENCRYPTED"))
		return true;
	p = find(s, len, "-----BEGIN OPENSSH PRIVATE KEY-----");
	if (!p)
		return false;
	p += 35;
	/* line breaks, blanks or `\n` escapes before the body */
	while (p < end) {
		if (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t')
			p++;
		else if (*p == '\\' && p + 1 < end && p[1] == 'n')
			p += 2;
		else
			break;
	}
	if ((size_t)(end - p) < sizeof(plain) - 1)
		return false;
	return memcmp(p, magic, sizeof(magic) - 1) == 0 &&
	       memcmp(p, plain, sizeof(plain) - 1) != 0;
}

bool pl_secret_private_key_pem(const char *s, size_t len)
{
	const char *begin = find(s, len, "-----BEGIN ");
	const char *label, *end;
	if (!begin)
		return false;
	label = find(begin, len - (size_t)(begin - s), "PRIVATE KEY");
	/* the label ends its own line: BEGIN [A-Z0-9 ]* PRIVATE KEY----- */
	if (!label || label - begin > 40)
		return false;
	end = find(label, len - (size_t)(label - s), "-----END ");
	/* a stub (BEGIN, a few characters, END) is documentation */
	if (!end || end - label < 60)
		return false;
	return !pl_secret_encrypted_key(s, len);
}

bool pl_secret_random_value(const char *s, size_t len)
{
	size_t i;
	bool digit = false, letter = false;
	if (len < 16 || len > 512)
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '/' || c == ':')
			return false; /* prose, paths, URLs, host:port */
		if (c >= '0' && c <= '9')
			digit = true;
		else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			letter = true;
	}
	return digit && letter && pl_secret_entropy(s, len) >= 3.0 &&
	       !pl_secret_placeholder(s, len) &&
	       !pl_secret_password_hash(s, len);
}

/*
 * Vendor defaults and documented sample credentials: MinIO
 * (internal/auth/credentials.go: minioadmin; minio123 in its examples),
 * Grafana's first sign-in admin, kube-prometheus-stack's Grafana
 * adminPassword prom-operator, Harbor's Harbor12345, RabbitMQ's guest,
 * the postgres user's name reused as its password, the Java keystore's
 * changeit, Label Studio's chart and setup scripts.
 */
const char *pl_secret_default_credential(const char *s, size_t len)
{
	static const struct {
		const char *value, *vendor;
	} defaults[] = {
	        {"minioadmin", "MinIO's default"},
	        {"minio123", "MinIO's documented example"},
	        {"admin", "the admin/admin default (Grafana and others)"},
	        {"prom-operator", "kube-prometheus-stack's Grafana default"},
	        {"harbor12345", "Harbor's default"},
	        {"guest", "RabbitMQ's guest/guest default"},
	        {"postgres", "the postgres/postgres default"},
	        {"changeit", "the Java keystore default"},
	        {"label-studio", "Label Studio's setup default"},
	        {"labelstudio", "Label Studio's chart default"},
	};
	size_t i, j;
	for (i = 0; i < PL_ARRAY_SIZE(defaults); i++) {
		const char *d = defaults[i].value;
		if (strlen(d) != len)
			continue;
		for (j = 0; j < len; j++) {
			char c = s[j];
			if (c >= 'A' && c <= 'Z')
				c = (char)(c + 32);
			if (c != d[j])
				break;
		}
		if (j == len)
			return defaults[i].vendor;
	}
	return NULL;
}

/* base64url (RFC 4648 §5) without padding, as JWT segments are. */
static int b64url(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-' || c == '+')
		return 62;
	if (c == '_' || c == '/')
		return 63;
	return -1;
}

/*
 * A JWT's header is a base64url JSON object (RFC 7519 §7.2) that names
 * its algorithm (RFC 7515 §4.1.1: "alg" is required): it decodes to
 * `{ ... "alg" ... }`. Strings that only look like one (a header cut
 * short, letters typed into it) are not tokens. The header is decoded on
 * the fly; only its ends and a 5-byte window are kept.
 */
bool pl_secret_jwt_header(const char *s, size_t len)
{
	const char *dot = memchr(s, '.', len);
	size_t n = dot ? (size_t)(dot - s) : len, i;
	unsigned char first = 0, last = 0;
	uint32_t acc = 0;
	int bits = 0;
	bool any = false, alg = false;
	char win[5] = {0};

	while (n && s[n - 1] == '=')
		n--;
	if (n % 4 == 1)
		return false; /* one character left is no byte */
	for (i = 0; i < n; i++) {
		int v = b64url(s[i]);
		if (v < 0)
			return false;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			unsigned char b;
			bits -= 8;
			b = (unsigned char)(acc >> bits);
			/* the last 5 bytes, to see "alg" go by */
			memmove(win, win + 1, 4);
			win[4] = (char)b;
			if (memcmp(win, "\"alg\"", 5) == 0)
				alg = true;
			if (!any)
				first = b;
			any = true;
			if (b != ' ' && b != '\n' && b != '\r' && b != '\t')
				last = b;
		}
	}
	return any && alg && first == '{' && last == '}';
}
