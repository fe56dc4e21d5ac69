/*
 * schema.h - JSON Schema validation over the typed tree (no JSON text).
 *
 * pl_schema_new compiles a schema (a pl_node from YAML or JSON) once;
 * the compiled schema is read-only afterwards and may be shared by
 * threads, each validating with its own pl_match_scratch. It borrows the
 * schema's nodes: the tree that holds them must outlive it. Validation
 * reports every error with the instance node (so line and column come
 * from the tree), the instance path, the keyword and a message; problems
 * in the schema itself (not a schema, a bad $ref or pattern) are
 * pl_errors with the schema file's line and column.
 */
#ifndef PL_SCHEMA_H
#define PL_SCHEMA_H

#include "base/arena.h"
#include "base/error.h"
#include "base/vec.h"
#include "lib/regex.h"
#include "tree/node.h"

/*
 * Keywords: type, enum, const, properties, required, additionalProperties,
 * patternProperties, propertyNames, min/maxProperties, dependentRequired,
 * dependentSchemas, dependencies (draft-07), items and prefixItems
 * (2020-12), items as an array and additionalItems (draft-07), contains,
 * min/maxContains, min/maxItems, uniqueItems, min/maxLength (code
 * points), minimum, maximum, exclusiveMinimum/Maximum (numbers, or the
 * booleans of draft-04 and OpenAPI 3.0), multipleOf, pattern, allOf,
 * anyOf, oneOf, not, if/then/else, unevaluatedProperties/Items, $ref
 * (local: JSON pointers, $id-relative URIs, $anchor, draft-07 "#name"
 * ids; $dynamicRef is read as $ref), $defs/definitions, format (date-time,
 * date, uri, int-or-string, int32/int64; unknown formats pass), boolean
 * schemas, OpenAPI's nullable, and Kubernetes' x-kubernetes-int-or-string,
 * x-kubernetes-preserve-unknown-fields, x-kubernetes-embedded-resource,
 * and x-kubernetes-validations (CEL rules: see schema/schema_cel.h).
 * Equality (enum, const, uniqueItems) compares JSON values: 1 == 1.0 and
 * key order does not matter. A YAML scalar has the type its node resolved
 * to: a quoted "1" is a string.
 *
 * pattern and patternProperties run on PCRE2 (lib/regex.h), in byte
 * mode, not ECMA-262: `.` and classes match bytes, not UTF-16 units or
 * code points; \d \w \s are ASCII-only (ECMA's \s also matches U+00A0,
 * U+FEFF and the Unicode spaces); \p{...} needs PCRE2 names; `$` also
 * matches before a final newline (ECMA: only at the end); ECMA's \cX,
 * /u-mode escapes and lookbehind rules may differ. Patterns are
 * unanchored searches, as the specification says.
 */

/* Nesting of $ref (and applicators that do not descend into the
 * instance) at one instance location before validation gives up. */
#define PL_SCHEMA_MAX_REF_DEPTH 64
/* Errors recorded per validated document; the rest are counted. */
#define PL_SCHEMA_MAX_ERRORS 100
/* Nesting of schema objects inside one schema. */
#define PL_SCHEMA_MAX_DEPTH 256

typedef enum pl_schema_draft {
	PL_SCHEMA_DRAFT_AUTO, /* from $schema; 2020-12 when absent */
	PL_SCHEMA_DRAFT_7,    /* draft-04 to draft-07, OpenAPI 3.0 */
	PL_SCHEMA_DRAFT_2020_12,
} pl_schema_draft;

typedef struct pl_schema_opts {
	pl_schema_draft draft;
	const char *path;       /* the schema file, for pl_errors; or NULL */
	bool format_annotation; /* format never fails (2020-12's default) */
	/* A null is an absent field, never a wrong value: the API server
	 * decodes it so for built-in kinds and prunes it from custom
	 * resources where the schema does not say nullable (schema/invalid
	 * sets it; plain JSON Schema does not). */
	bool null_is_absent;
	/* patterns run interpreted (PL_REGEX_NO_JIT): for a schema that
	 * validates a file or two per run, as plumb's own inputs' do */
	bool no_jit;
} pl_schema_opts;

typedef struct pl_schema pl_schema;

/*
 * Compiles the schema at root (a mapping or a boolean). opts may be
 * NULL. Returns 0 and a schema the caller frees with pl_schema_free, or
 * PL_EPARSE (not a schema, a keyword of the wrong type, a bad pattern,
 * a $ref that names nothing in the document, with the offending node's
 * position), PL_ELIMIT (nesting beyond PL_SCHEMA_MAX_DEPTH) or
 * PL_ENOTFOUND (a $ref to another document: remote references are not
 * fetched).
 */
int pl_schema_new(pl_schema **out, const pl_node *root,
                  const pl_schema_opts *opts, pl_error *err);
void pl_schema_free(pl_schema *s);

enum {
	/* unknown properties are errors where the schema lists properties
	 * and neither additionalProperties nor
	 * x-kubernetes-preserve-unknown-fields allows them (--strict) */
	PL_SCHEMA_STRICT = 1 << 0,
	/* an instance that matches no branch of an anyOf or oneOf gets
	 * the errors of the branch it meant, when its type or keys tell
	 * (schema_union.c), instead of one error for the union */
	PL_SCHEMA_EXPLAIN = 1 << 1,
};

typedef struct pl_schema_error {
	const pl_node *node;   /* the instance node at fault (never NULL) */
	const char *path;      /* instance path, "" for the document */
	const char *keyword;   /* static: "type", "required", ... */
	const char *message;   /* "expected integer, got string \"80\"" */
	const pl_node *schema; /* the schema keyword's value, or NULL */
	/* additionalProperties: the names the schema knows there (for a
	 * did-you-mean), in the result's arena; else NULL and 0 */
	const char *const *expected;
	size_t nexpected;
} pl_schema_error;

/* The errors of one validation; strings live in `arena`. */
typedef struct pl_schema_result {
	pl_arena arena;
	pl_vec errors;  /* pl_schema_error, in instance order */
	size_t dropped; /* errors beyond PL_SCHEMA_MAX_ERRORS */
} pl_schema_result;

void pl_schema_result_init(pl_schema_result *r);
void pl_schema_result_release(pl_schema_result *r);

/*
 * Validates instance (NULL, an empty document, is null) against s and
 * appends the errors to out. Returns true when it is valid. scratch is
 * the calling thread's (NULL: one is made for the call). Never fails:
 * reaching PL_SCHEMA_MAX_REF_DEPTH is an error on the instance.
 */
bool pl_schema_validate(pl_schema_result *out, const pl_schema *s,
                        const pl_node *instance, unsigned flags,
                        pl_match_scratch *scratch);

/*
 * The problems of s that did not stop it compiling: its
 * x-kubernetes-validations rules that do not compile (node: the rule),
 * for the caller to report once. Sets *n; NULL when there are none.
 */
const pl_schema_error *pl_schema_problems(const pl_schema *s, size_t *n);

/* Renders a path as the error shows it: "(root)" for the document. */
const char *pl_schema_path_text(const char *path);

#endif
