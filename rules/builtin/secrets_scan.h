/*
 * secrets_scan.h - what every secrets/ rule shares: telling a real value
 * from a placeholder or a reference, entropy, masking.
 *
 * Masking is the one way a secret reaches a report: its first 4
 * characters, then "***" (DESIGN.md: secrets are masked in every report).
 */
#ifndef PL_SECRETS_SCAN_H
#define PL_SECRETS_SCAN_H

#include "rule/rule.h"
#include "builtin/secrets_formats.h"

/* The compiled format table (secrets_tokens.c): built once per run by a
 * rule's prepare hook, read-only afterwards. */
int pl_secrets_scanner_new(void **out, pl_error *err);
void pl_secrets_scanner_free(void *scanner);
/* The first credential format found in text[0..len) (placeholders and
 * low-entropy matches excluded), or NULL. */
const pl_token_format *pl_secrets_identify(const void *scanner,
                                           pl_match_scratch *scratch,
                                           const char *text, size_t len);
/* Decodes standard base64 (padding optional, blanks and line breaks
 * ignored) into out (caller frees); false if it is not base64. */
bool pl_base64_decode(const char *s, size_t len, char **out, size_t *outlen);

/* Shannon entropy of s[0..len) in bits per byte. */
double pl_secret_entropy(const char *s, size_t len);

/*
 * True if the value is not a secret but stands for one: empty or short
 * (under 8 bytes), `<password>`, `${VAR}`, `$(VAR)`, `{{ .x }}`, `%s`,
 * runs like `xxxx` or `****`, a single repeated character, words such as
 * changeme, example, placeholder, redacted, dummy, your_..., and
 * references: op://, vault:, ref+, secretRef, ENC[...] (SOPS),
 * `AgB...`/sealed (not here: those are handled by structure).
 */
bool pl_secret_placeholder(const char *s, size_t len);

/*
 * True if the value is a credential its owner published on purpose, so
 * finding it in a repository leaks nothing: the sample Google API keys
 * of Firebase's open-source SDKs (client keys in public code), the
 * sample passwords of Microsoft's nuget.config reference, AWS's
 * documentation key pair. Compared whole and exactly.
 */
bool pl_secret_published(const char *s, size_t len);

/*
 * True if a match of row fmt is a stand-in for a token: the whole value
 * is a placeholder, or, when it starts with its vendor's prefix (one of
 * the row's keywords; *prefixed says so, and then entropy is not
 * judged), the body after the prefix is one: only the stand-in
 * shapes count there (x, 0, * or . runs, <...>, ${...}, your-...).
 */
struct pl_token_format;
bool pl_secret_token_stand_in(const struct pl_token_format *fmt, const char *s,
                              size_t n, bool *prefixed);

/*
 * True if the value is a password hash, not a password: a crypt(5) or
 * passlib modular hash ($2b$, $5$, $6$, $apr1$, $argon2id$, $scrypt$,
 * $pbkdf2-sha256$, ...), a Django hash (pbkdf2_sha256$...), an LDAP-style
 * {SSHA}... value, or htpasswd `user:hash` lines (all of them).
 */
bool pl_secret_password_hash(const char *s, size_t len);

/* True if text holds an encrypted private key (ENCRYPTED PRIVATE KEY,
 * Proc-Type: 4,ENCRYPTED, an OpenSSH key with a cipher). */
bool pl_secret_encrypted_key(const char *s, size_t len);

/* True if text holds a whole private key PEM block (BEGIN ... PRIVATE
 * KEY to END, with a body) that is not encrypted. */
bool pl_secret_private_key_pem(const char *s, size_t len);

/* True if the value looks generated rather than chosen: at least 16
 * characters with letters and digits, no blanks, paths or host:port,
 * entropy of 3 bits per byte or more, and no placeholder or hash. */
bool pl_secret_random_value(const char *s, size_t len);

/*
 * SOPS (secrets_sops.c): which values of a document with a top-level
 * `sops:` block SOPS encrypts, by the rule the block records.
 */
typedef enum pl_sops_mode {
	PL_SOPS_UNENCRYPTED_SUFFIX, /* also the default: `_unencrypted` */
	PL_SOPS_ENCRYPTED_SUFFIX,
	PL_SOPS_UNENCRYPTED_REGEX,
	PL_SOPS_ENCRYPTED_REGEX,
} pl_sops_mode;

typedef struct pl_sops {
	const pl_node *block; /* the `sops:` mapping */
	pl_sops_mode mode;
	const char *key; /* the rule's key as written, or NULL (default) */
	const char *arg; /* its suffix or regex */
	size_t arglen;
	pl_regex *re; /* owned: compiled regex of a *_regex rule */
	bool unknown; /* no rule recorded, or a regex PCRE2 refuses:
	                 nothing can be decided */
} pl_sops;

/* 1 and fills *out if root is a SOPS-encrypted document (release it with
 * pl_sops_close), else 0. */
int pl_sops_open(pl_sops *out, const pl_node *root);
void pl_sops_close(pl_sops *s);
/* Whether SOPS encrypts the value at keys[0..nkeys) (the mapping keys
 * from the root; list indexes left out). */
bool pl_sops_encrypts(const pl_sops *s, const pl_node *const *keys,
                      size_t nkeys, pl_match_scratch *scratch);
/* True for a value SOPS wrote: ENC[...], or empty (never encrypted). */
bool pl_sops_ciphertext(const char *s, size_t len);

/* If the value (compared without case) is a vendor default or a
 * well-known weak credential (minioadmin, postgres, admin, changeit,
 * Harbor12345, ...), who it is the default of; else NULL. Those are
 * secrets/default-credential's: the other rules leave them alone. */
const char *pl_secret_default_credential(const char *s, size_t len);

/* True if the first dot-separated segment of s decodes (base64url) to
 * a JSON object naming "alg", `{` to `}`, as a JWT header does. */
bool pl_secret_jwt_header(const char *s, size_t len);

/* Writes the masked form of s into out (pl_mask_value: its first 4
 * characters, none for values under 16 bytes, then ***). */
void pl_secret_mask(char *out, size_t size, const char *s, size_t len);

/* True if a key name says its value is a credential: password, passwd,
 * pwd, secret, token, api_key/apikey/api-key, private_key, access_key,
 * client_secret, credentials, auth..., matched on word boundaries
 * (camelCase, '_', '-', '.'), so `insecure`, `tokenizer`, `secretName`,
 * `passwordPolicy` and `*_file`/`*_path`/`*Ref` keys do not count. */
bool pl_secret_key_name(const char *key, size_t len);

/* If path names a Pulumi stack file (Pulumi.<stack>.yaml or .yml, not
 * Pulumi.yaml itself), the length of its folder prefix ("" is 0);
 * otherwise -1. */
long pl_pulumi_stack_file(const char *path);

#endif
