/*
 * secrets_formats.h - the table of credential formats the secrets/ text
 * rules look for, one row per format (facts about token shapes: prefixes,
 * lengths, alphabets, checksums; the regexes are ours).
 *
 * How the engine uses a row (tests/suites/secrets_suite.c measures it):
 *  1. Prefilter: the row is tried on a file only if one of its keywords
 *     occurs in the file, compared without case. Keywords are lower-case
 *     literal substrings, '|' separated, each at least 3 characters, and
 *     chosen so that every true match contains one of them (usually the
 *     token prefix: "ghp_", "xoxb-", "akia").
 *  2. The regex (PCRE2, compiled once per run with PCRE2_MULTILINE only:
 *     byte mode, case-sensitive unless the pattern says (?i), JIT) is run
 *     over the whole file; every match is a candidate. The secret is
 *     capture group 1 when the pattern has one, else the whole match.
 *  3. If min_entropy > 0, a secret whose Shannon entropy (bits per byte
 *     over its bytes) is below it is dropped. The base64 PEM row
 *     (PL_FORMAT_PRIVATE_KEY_BASE64) judges the decoded block instead.
 *  4. Engine-wide filters drop placeholders and references (see
 *     pl_secret_placeholder in secrets_scan.h): `<...>`, `${VAR}`,
 *     `{{ ... }}`, `$(VAR)`, runs like `xxxx` or `****`, `changeme`,
 *     `example` and so on.
 * Patterns must be linear-time in practice (no nested quantifiers over
 * the same characters); the engine also sets pcre2 match and depth limits.
 */
#ifndef PL_SECRETS_FORMATS_H
#define PL_SECRETS_FORMATS_H

#include "base/base.h"

typedef enum pl_secret_kind {
	PL_SECRET_TOKEN,       /* a service's API key or token: secrets/token */
	PL_SECRET_PRIVATE_KEY, /* a private key block: secrets/private-key */
	PL_SECRET_URL_PASSWORD, /* user:password@ in a URL: secrets/url-password
	                         */
	PL_SECRET_ASSIGNMENT,   /* password=..., --password ..., a secret-named
	                           key with a high-entropy value:
	                           secrets/generic-assignment */
} pl_secret_kind;

typedef struct pl_token_format {
	const char *id;   /* kebab-case, e.g. "github-pat" */
	const char *name; /* for messages: "GitHub personal access token" */
	pl_secret_kind kind;
	const char *keywords; /* lower-case, '|' separated */
	const char *regex;
	double min_entropy; /* 0: no entropy check */
} pl_token_format;

/* The row whose match is base64 of PEM text: it counts only if it
 * decodes to a whole private key block that is not encrypted. */
#define PL_FORMAT_PRIVATE_KEY_BASE64 "private-key-base64"

extern const pl_token_format pl_token_formats[];
extern const size_t pl_token_formats_len;

#endif
