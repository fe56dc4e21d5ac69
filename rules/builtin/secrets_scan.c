/*
 * secrets_scan.c - placeholder and reference detection, entropy, masking
 * and credential-sounding key names, shared by the secrets/ rules.
 *
 * The lists come from what real repositories hold (shared/corpus
 * FINDINGS.md §2, §5): 1Password `op://` references, Flux `${VAR}`
 * substitutions, Helm and ESO `{{ }}` templates, `<placeholder>` values,
 * SOPS `ENC[...]`, and key names that contain a word without meaning a
 * credential (`insecure`, `secretName`, `tokenizer`).
 */
#include "builtin/secrets_scan.h"
#include "builtin/secrets_formats.h"
#include "base/xalloc.h"
#include "finding/mask.h"

#include <ctype.h>
#include <math.h>

double pl_secret_entropy(const char *s, size_t len)
{
	size_t counts[256] = {0}, i;
	double h = 0;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		counts[(unsigned char)s[i]]++;
	for (i = 0; i < 256; i++) {
		double p;
		if (!counts[i])
			continue;
		p = (double)counts[i] / (double)len;
		h -= p * log2(p);
	}
	return h;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive search for the lower-case word w in s[0..len). */
static bool contains(const char *s, size_t len, const char *w)
{
	size_t n = strlen(w), i, j;
	if (n > len)
		return false;
	for (i = 0; i + n <= len; i++) {
		for (j = 0; j < n && lower(s[i + j]) == w[j]; j++)
			;
		if (j == n)
			return true;
	}
	return false;
}

static bool starts(const char *s, size_t len, const char *w)
{
	size_t n = strlen(w), j;
	if (n > len)
		return false;
	for (j = 0; j < n; j++)
		if (lower(s[j]) != w[j])
			return false;
	return true;
}

static bool equals(const char *s, size_t len, const char *w)
{
	return strlen(w) == len && starts(s, len, w);
}

/* Lower-case words joined by '-' or '_' whose last word says what the
 * value stands for: drift-value, some-flat-value, db_password. */
static bool names_its_kind(const char *s, size_t len)
{
	static const char *const kinds[] = {"value",    "token", "secret",
	                                    "password", "pass",  "key"};
	size_t i, last = 0;
	bool sep = false;
	for (i = 0; i < len; i++) {
		char c = s[i];
		if (c == '-' || c == '_') {
			if (i == 0 || s[i - 1] == '-' || s[i - 1] == '_')
				return false;
			sep = true;
			last = i + 1;
		} else if (c < 'a' || c > 'z') {
			return false;
		}
	}
	if (!sep || last >= len)
		return false;
	for (i = 0; i < PL_ARRAY_SIZE(kinds); i++)
		if (equals(s + last, len - last, kinds[i]))
			return true;
	return false;
}

/*
 * Where each value was published (see also gitleaks' gcp-api-key and
 * nuget-config-password allowlists, which list the same values):
 *  - AIza...: keys in the sources and tests of
 *    github.com/firebase/firebase-android-sdk and firebase-js-sdk;
 *    Firebase documents that such client keys are not secret.
 *  - 33f!!lloppa, hal+9ooo_da!sY: the packageSourceCredentials sample of
 *    learn.microsoft.com/nuget/reference/nuget-config-file.
 *  - AKIAIOSFODNN7EXAMPLE and its secret key: the AWS documentation's
 *    example access key (docs.aws.amazon.com, IAM access keys).
 * A value is added only with the page that publishes it.
 */
bool pl_secret_published(const char *s, size_t len)
{
	static const char *const values[] = {
	        "AIzaSyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs",
	        "AIzaSyCkEhVjf3pduRDt6d1yKOMitrUEke8agEM",
	        "AIzaSyDMAScliyLx7F0NPDEJi1QmyCgHIAODrlU",
	        "AIzaSyD3asb-2pEZVqMkmL6M9N6nHZRR_znhrh0",
	        "AIzayDNSXIbFmlXbIE6mCzDLQAqITYefhixbX4A",
	        "AIzaSyAdOS2zB6NCsk1pCdZ4-P6GBdi_UUPwX7c",
	        "AIzaSyASWm6HmTMdYWpgMnjRBjxcQ9CKctWmLd4",
	        "AIzaSyANUvH9H9BsUccjsu2pCmEkOPjjaXeDQgY",
	        "AIzaSyA5_iVawFQ8ABuTZNUdcwERLJv_a_p4wtM",
	        "AIzaSyA4UrcGxgwQFTfaI3no3t7Lt1sjmdnP5sQ",
	        "AIzaSyDSb51JiIcB6OJpwwMicseKRhhrOq1cS7g",
	        "AIzaSyBF2RrAIm4a0mO64EShQfqfd2AFnzAvvuU",
	        "AIzaSyBcE-OOIbhjyR83gm4r2MFCu4MJmprNXsw",
	        "AIzaSyB8qGxt4ec15vitgn44duC5ucxaOi4FmqE",
	        "AIzaSyA8vmApnrHNFE0bApF4hoZ11srVL_n0nvY",
	        "33f!!lloppa",
	        "hal+9ooo_da!sY",
	        "AKIAIOSFODNN7EXAMPLE",
	        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	};
	size_t i;
	for (i = 0; i < PL_ARRAY_SIZE(values); i++)
		if (strlen(values[i]) == len && memcmp(values[i], s, len) == 0)
			return true;
	return false;
}

bool pl_secret_placeholder(const char *s, size_t len)
{
	static const char *const inside[] = {
	        "xxxx",        "****",         "${",         "{{",
	        "$(",          "<%",           "%{",         "changeme",
	        "change_me",   "change-me",    "changeit",   "example",
	        "placeholder", "your_",        "your-",      "yourpassword",
	        "dummy",       "redacted",     "replace_me", "replaceme",
	        "change me",   "replace me",   "enc[",       "...",
	        "**sops**",    "secret-token", "mypassword", "my-password",
	        "mysecret",    "my-secret",    "my-token",
	};
	static const char *const prefix[] = {
	        "op://",
	        "vault:",
	        "vault://",
	        "ref+",
	        "akv://",
	        "awssm://",
	        "gcpsm://",
	        "sm://",
	        "sha256:",
	        "sha512:",
	        "sha1:",
	        "secretref",
	        "arn:aws:secretsmanager",
	        "projects/",
	};
	static const char *const whole[] = {
	        "password", "passwd", "secret", "token",   "pass",  "test",
	        "testing",  "null",   "none",   "true",    "false", "empty",
	        "string",   "value",  "apikey", "api_key",
	};
	/* words a stand-in starts with, before a separator or the end:
	 * UPDATE_ME, REPLACE_WITH_TOKEN, TODO, insert-key-here */
	static const char *const lead[] = {
	        "update", "replace", "change", "insert", "enter", "put",
	        "todo",   "fixme",   "tbd",    "your",   "fill",  "set",
	        "test",   "sample",  "fake",   "dummy",  "some",
	};
	size_t i;
	bool same = true;

	while (len && (s[0] == ' ' || s[0] == '"' || s[0] == '\'')) {
		s++;
		len--;
	}
	/* `echo password | base64` encodes a line break too */
	while (len &&
	       (s[len - 1] == ' ' || s[len - 1] == '"' || s[len - 1] == '\'' ||
	        s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == '\t'))
		len--;
	if (len == 0)
		return true;
	if (s[0] == '<' && s[len - 1] == '>')
		return true;
	/* {PASS}, {db_password}: a template's field, not a value */
	if (s[0] == '{' && s[len - 1] == '}') {
		for (i = 1; i + 1 < len; i++) {
			char c = lower(s[i]);
			if (!((c >= 'a' && c <= 'z') || c == '_' || c == '.' ||
			      c == '-' || c == ' ' || c == '{' || c == '}'))
				break;
		}
		if (i + 1 >= len)
			return true;
	}
	/* $VAR, $(VAR) and %VAR%: a reference to the environment */
	if (s[0] == '$' || (s[0] == '%' && s[len - 1] == '%')) {
		for (i = 1; i < len; i++) {
			char c = s[i];
			if (!((c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '_' || c == '{' ||
			      c == '}' || c == '(' || c == ')' || c == '%'))
				break;
		}
		if (i == len)
			return true;
	}
	for (i = 1; i < len; i++)
		if (s[i] != s[0])
			same = false;
	if (same)
		return true;
	for (i = 0; i < PL_ARRAY_SIZE(inside); i++)
		if (contains(s, len, inside[i]))
			return true;
	for (i = 0; i < PL_ARRAY_SIZE(prefix); i++)
		if (starts(s, len, prefix[i]))
			return true;
	for (i = 0; i < PL_ARRAY_SIZE(lead); i++) {
		size_t n = strlen(lead[i]);
		if (starts(s, len, lead[i]) &&
		    (len == n || s[n] == '_' || s[n] == '-' || s[n] == ' ' ||
		     s[n] == '.'))
			return true;
	}
	for (i = 0; i < PL_ARRAY_SIZE(whole); i++)
		if (equals(s, len, whole[i]))
			return true;
	return names_its_kind(s, len);
}

void pl_secret_mask(char *out, size_t size, const char *s, size_t len)
{
	/* the program's one mask (mask.h): reports and messages agree */
	pl_mask_value(out, size, s, len);
}

/* Splits a key into lower-case words at '_', '-', '.', ' ', and at
 * lower-to-upper case changes; calls f on each word. */
typedef struct words {
	char w[8][24];
	size_t n;
} words;

static void split(words *out, const char *key, size_t len)
{
	size_t i, cur = 0;
	out->n = 0;
	for (i = 0; i <= len && out->n < 8; i++) {
		char c = i < len ? key[i] : '\0';
		bool brk = c == '\0' || c == '_' || c == '-' || c == '.' ||
		           c == ' ' || c == '/';
		bool camel = i > 0 && i < len && c >= 'A' && c <= 'Z' &&
		             key[i - 1] >= 'a' && key[i - 1] <= 'z';
		if ((brk || camel) && cur) {
			out->w[out->n][cur] = '\0';
			out->n++;
			cur = 0;
		}
		if (brk || out->n >= 8)
			continue;
		if (cur < sizeof(out->w[0]) - 1)
			out->w[out->n][cur++] = lower(c);
	}
}

static bool is(const char *w, const char *const *list, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (strcmp(w, list[i]) == 0)
			return true;
	return false;
}

bool pl_secret_key_name(const char *key, size_t len)
{
	static const char *const secret_words[] = {
	        "password",     "passwd",      "pwd",
	        "secret",       "token",       "apikey",
	        "privatekey",   "accesskey",   "secretkey",
	        "clientsecret", "credentials", "credential",
	        "passphrase",   "dsn",         "connectionstring",
	};
	/* a last word that makes the key about the secret, not the secret */
	static const char *const not_last[] = {
	        "file",      "path",      "ref",     "name",       "id",
	        "realm",     "bucket",    "project", "sha",        "checksum",
	        "digest",    "scope",     "user",    "username",   "policy",
	        "length",    "min",       "max",     "enabled",    "required",
	        "header",    "type",      "mode",    "url",        "uri",
	        "endpoint",  "ttl",       "expiry",  "expiration", "duration",
	        "lifetime",  "issuer",    "method",  "methods",    "audience",
	        "format",    "algorithm", "hash",    "key",        "keys",
	        "selector",  "template",  "store",   "provider",   "namespace",
	        "version",   "rotation",  "length",  "count",      "prefix",
	        "suffix",    "field",     "env",     "source",     "annotation",
	        "label",     "secret",    "secrets", "mount",      "volume",
	        "dir",       "location",  "manager", "backend",    "generator",
	        "reference",
	};
	static const char *const secret_owners[] = {
	        "client", "api",     "app",     "webhook", "shared", "consumer",
	        "jwt",    "session", "signing", "hmac",    "cookie", "oauth",
	};
	words ws;
	size_t i;
	bool hit = false;

	split(&ws, key, len);
	if (ws.n == 0)
		return false;
	if (strcmp(ws.w[0], "existing") == 0 || strcmp(ws.w[0], "use") == 0)
		return false;
	for (i = 0; i < ws.n; i++) {
		if (is(ws.w[i], secret_words, PL_ARRAY_SIZE(secret_words)))
			hit = true;
		/* two-word forms: api key, private key, access key, auth
		 * token, client secret */
		if (i + 1 < ws.n && strcmp(ws.w[i + 1], "key") == 0 &&
		    (strcmp(ws.w[i], "api") == 0 ||
		     strcmp(ws.w[i], "private") == 0 ||
		     strcmp(ws.w[i], "access") == 0 ||
		     strcmp(ws.w[i], "secret") == 0 ||
		     strcmp(ws.w[i], "encryption") == 0 ||
		     strcmp(ws.w[i], "signing") == 0))
			return i + 2 == ws.n || !is(ws.w[ws.n - 1], not_last,
			                            PL_ARRAY_SIZE(not_last));
	}
	if (!hit)
		return false;
	/* `xSecret` usually names a Secret object (tlsSecret, adminSecret),
	 * but these prefixes make it the credential itself */
	if (ws.n >= 2 && (strcmp(ws.w[ws.n - 1], "secret") == 0) &&
	    is(ws.w[ws.n - 2], secret_owners, PL_ARRAY_SIZE(secret_owners)))
		return true;
	/* `secret` alone is a credential (Helm values: secret: s3cr3t); as
	 * the last of several words it names a Secret object */
	if (ws.n == 1)
		return true;
	return !is(ws.w[ws.n - 1], not_last, PL_ARRAY_SIZE(not_last));
}

bool pl_base64_decode(const char *s, size_t len, char **out, size_t *outlen)
{
	char *buf = pl_xmalloc(len / 4 * 3 + 4);
	uint32_t acc = 0;
	size_t i, o = 0, bits = 0, pad = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		int v;
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad)
			break; /* data after padding */
		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= 'a' && c <= 'z')
			v = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			v = c - '0' + 52;
		else if (c == '+')
			v = 62;
		else if (c == '/')
			v = 63;
		else
			break;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	/* a last group of one character is not base64 (RFC 4648 §4) */
	if (i < len || pad > 2 || bits >= 6) {
		free(buf);
		return false;
	}
	buf[o] = '\0';
	*out = buf;
	*outlen = o;
	return true;
}

long pl_pulumi_stack_file(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;
	base = base ? base + 1 : path;
	n = strlen(base);
	if (strncmp(base, "Pulumi.", 7) != 0 ||
	    strcmp(base, "Pulumi.yaml") == 0 || strcmp(base, "Pulumi.yml") == 0)
		return -1;
	if ((n > 12 && strcmp(base + n - 5, ".yaml") == 0) ||
	    (n > 11 && strcmp(base + n - 4, ".yml") == 0))
		return (long)(base - path);
	return -1;
}

/* The length of the vendor prefix that starts the token s (one of the
 * row's keywords, at most 2 bytes in: `sk_live_` has keyword `k_live_`),
 * or 0. Only a service's own token (PL_SECRET_TOKEN) has one. */
static size_t vendor_prefix(const pl_token_format *fmt, const char *s, size_t n)
{
	const char *k = fmt->keywords, *end;
	if (fmt->kind != PL_SECRET_TOKEN || !k)
		return 0;
	for (; *k; k = *end ? end + 1 : end) {
		size_t kl, at, j;
		end = strchr(k, '|');
		if (!end)
			end = k + strlen(k);
		kl = (size_t)(end - k);
		for (at = 0; at <= 2 && at + kl < n; at++) {
			for (j = 0;
			     j < kl && tolower((unsigned char)s[at + j]) ==
			                       (unsigned char)k[j];
			     j++)
				;
			if (j == kl)
				return at + kl;
		}
	}
	return 0;
}

/* A stand-in for a token: the whole value is a placeholder, or, for a
 * token that starts with its vendor's prefix, the body after it is one.
 * A prefix is typed by someone who knew the service's format, so such a
 * body is judged by the stand-in shapes alone (`xxxx`, `****`, `<...>`,
 * `${...}`, your-..., a word naming its kind), not by entropy: a
 * repeated letter (sk_live_AAAA..., tskey-auth-CCCC...) is still the
 * shape of a live key, unless it is x, 0, * or '.'. */
bool pl_secret_token_stand_in(const struct pl_token_format *fmt, const char *s,
                              size_t n, bool *prefixed)
{
	size_t p = vendor_prefix(fmt, s, n), i;
	*prefixed = p > 0 && n - p >= 8;
	if (!*prefixed)
		return pl_secret_placeholder(s, n);
	s += p;
	n -= p;
	for (i = 1; i < n && s[i] == s[0]; i++)
		;
	if (i == n)
		return strchr("xX0*.#", s[0]) != NULL;
	return pl_secret_placeholder(s, n);
}
