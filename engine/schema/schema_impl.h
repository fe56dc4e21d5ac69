/*
 * schema_impl.h - the compiled form of a JSON Schema, shared by
 * schema.c (compile, $ref resolution), schema_check.c (validation) and
 * schema_value.c (JSON equality, numbers, formats, value rendering).
 *
 * One pl_sn per schema object, in the schema's arena; subschemas are
 * pointers, so $ref cycles are pointer cycles. Everything is read-only
 * once pl_schema_new returns.
 */
#ifndef PL_SCHEMA_IMPL_H
#define PL_SCHEMA_IMPL_H

#include "base/buf.h"
#include "base/map.h"
#include "cel/cel.h"
#include "cel/cel_regex.h"
#include "schema/schema.h"

enum {
	PL_SN_NULL = 1 << 0,
	PL_SN_BOOLEAN = 1 << 1,
	PL_SN_INTEGER = 1 << 2,
	PL_SN_NUMBER = 1 << 3,
	PL_SN_STRING = 1 << 4,
	PL_SN_ARRAY = 1 << 5,
	PL_SN_OBJECT = 1 << 6,
};

typedef enum pl_sn_format {
	PL_FMT_NONE,
	PL_FMT_DATE_TIME,
	PL_FMT_DATE,
	PL_FMT_URI,
	PL_FMT_INT_OR_STRING,
	PL_FMT_INT32,
	PL_FMT_INT64,
} pl_sn_format;

typedef struct pl_sn pl_sn;

/* One x-kubernetes-validations rule (schema_cel.c). */
typedef struct pl_sn_cel {
	const pl_node *rule_node;
	const char *rule;
	const pl_cel_ast *ast;     /* NULL for a transition rule */
	const pl_cel_ast *msg_ast; /* messageExpression, or NULL */
	const char *message;       /* or NULL */
	const char *field_path;    /* or NULL */
	const char *reason;        /* "Forbidden: " ...; "" for invalid */
	bool transition;           /* reads oldSelf: not evaluated */
} pl_sn_cel;

typedef struct pl_sn_prop {
	const char *name;
	size_t len;
	pl_sn *sn;
} pl_sn_prop;

typedef struct pl_sn_pattern {
	pl_regex *re;
	pl_sn *sn;
} pl_sn_pattern;

typedef struct pl_sn_dep {
	const char *name;
	size_t len;
	const pl_node *required; /* a sequence of names, or NULL */
	pl_sn *sn;               /* or NULL */
} pl_sn_dep;

typedef struct pl_sn_list {
	pl_sn **v;
	size_t n;
} pl_sn_list;

/* A number keyword: present or not. */
typedef struct pl_sn_num {
	bool set;
	double v;
} pl_sn_num;

struct pl_sn {
	const pl_node *src; /* the schema object (or boolean) */
	int boolean;        /* -1 for an object schema, else 0 or 1 */
	unsigned types;     /* PL_SN_*; 0 = any */
	const pl_node *type_node;
	const pl_node *enum_vals; /* a sequence, or NULL */
	const pl_node *const_val;
	bool has_const;
	bool nullable;

	pl_sn_prop *props;
	size_t nprops;
	pl_sn_pattern *patterns;
	size_t npatterns;
	pl_sn *additional;
	const pl_node *required; /* a sequence of names, or NULL */
	pl_sn_dep *deps;
	size_t ndeps;
	pl_sn *property_names;
	pl_sn *unevaluated_props;
	int64_t min_props, max_props; /* -1: none */

	pl_sn_list prefix; /* prefixItems, or draft-07's items array */
	pl_sn *items;      /* items after the prefix */
	pl_sn *contains;
	int64_t min_contains, max_contains;
	pl_sn *unevaluated_items;
	int64_t min_items, max_items;
	bool unique;

	int64_t min_len, max_len;
	pl_regex *pattern;
	const pl_node *pattern_node;
	pl_sn_format format;

	pl_sn_num minimum, maximum, xminimum, xmaximum, multiple;

	pl_sn_list all_of, any_of, one_of;
	pl_sn *not_, *if_, *then_, *else_;
	pl_sn *ref;              /* resolved $ref / $dynamicRef */
	const pl_node *ref_node; /* the $ref value, until resolved */
	const char *ref_base;    /* base URI of ref_node */

	bool int_or_string, preserve_unknown, embedded_resource;
	pl_sn_cel *cel; /* x-kubernetes-validations */
	size_t ncel;
};

struct pl_schema {
	pl_arena arena;
	pl_sn *root;
	pl_vec regexes;      /* pl_regex *, freed with the schema */
	pl_vec cel_problems; /* pl_schema_error: rules that do not compile */
	bool format_annotation;
};

/* --- schema_value.c ------------------------------------------------- */

/* The JSON type of an instance node (PL_SN_INTEGER for integral
 * numbers, as JSON Schema's "integer" includes 1.0). */
unsigned pl_schema__type(const pl_node *n);
/* Numeric value of a number node (false if it is not a number). */
bool pl_schema__number(const pl_node *n, double *out);
/* JSON equality: 1 == 1.0, key order ignored, aliases followed. */
bool pl_schema__equal(const pl_node *a, const pl_node *b);
/* Appends n as short JSON text ("80", "\"80\"", "an object"). */
void pl_schema__show(pl_buf *b, const pl_node *n);
const char *pl_schema__type_name(unsigned type_bit);
/* Whether the string s[0..len) has the format (unknown: true). */
bool pl_schema__format_ok(pl_sn_format f, const pl_node *n);
pl_sn_format pl_schema__format_of(const char *name);
const char *pl_schema__format_name(pl_sn_format f);

/* --- schema_check.c: the validation walk -------------------------- */

typedef struct pl_sv {
	const pl_schema *s;
	pl_schema_result *out;
	pl_match_scratch *scratch;
	unsigned flags;
	pl_buf path;
	int quiet;
	int refdepth;
	pl_arena tmp;        /* annotation marks */
	pl_cel_regex *celre; /* matches() of CEL rules, made on first use */
} pl_sv;

/* Evaluated pairs (of a mapping) or items (of a sequence). */
typedef struct pl_sv_evals {
	bool *marks;
	size_t n;
} pl_sv_evals;

/* Validates inst against sn, recording errors unless quiet. */
bool pl_schema__check(pl_sv *v, const pl_sn *sn, const pl_node *inst,
                      pl_sv_evals *ev);

void pl_schema__record(pl_sv *v, const pl_node *inst, const char *kw,
                       const pl_node *schema, const char *fmt, ...)
        PL_PRINTF(5, 6);

/* Records an unknown property at key k, with the names the schema
 * knows there as the error's `expected`. */
void pl_schema__record_unknown(pl_sv *v, const pl_node *k,
                               const char *const *names, size_t n);
/* The value of n as a message shows it, in the result's arena. */
const char *pl_schema__shown(pl_sv *v, const pl_node *n);
/* Pushes a key or an index on the instance path; pop goes back. */
size_t pl_schema__push_key(pl_sv *v, const char *s, size_t len);
void pl_schema__pop(pl_sv *v, size_t was);
pl_sv_evals *pl_schema__new_evals(pl_sv *v, const pl_node *inst);
void pl_schema__merge(pl_sv_evals *into, const pl_sv_evals *from);
/* Runs sn quietly on inst: true if it matches; annotations go to ev
 * only then. */
bool pl_schema__probe(pl_sv *v, const pl_sn *sn, const pl_node *inst,
                      pl_sv_evals *ev);

/* --- schema_scalar.c ------------------------------------------------ */

/* Appends "string or array" for the PL_SN_* bits of types. */
void pl_schema__type_list(pl_buf *b, unsigned types);
bool pl_schema__type_ok(pl_sv *v, const pl_sn *sn, const pl_node *inst);
bool pl_schema__enum_ok(pl_sv *v, const pl_sn *sn, const pl_node *inst);
bool pl_schema__number_ok(pl_sv *v, const pl_sn *sn, const pl_node *inst);
bool pl_schema__string_ok(pl_sv *v, const pl_sn *sn, const pl_node *inst);
bool pl_schema__format_kw_ok(pl_sv *v, const pl_sn *sn, const pl_node *inst);

/* --- schema_union.c ------------------------------------------------- */

bool pl_schema__combine_ok(pl_sv *v, const pl_sn *sn, const pl_node *inst,
                           pl_sv_evals *ev);

#endif
