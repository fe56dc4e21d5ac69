/*
 * decl_impl.h - the compiled form of a declarative rule, shared by the
 * loader (decl.c) and the evaluator (decl_eval.c). Not a public header.
 *
 * Everything lives in the ruleset's arena or points into the rule file's
 * tree; regexes and semver ranges are owned through the ruleset's lists
 * and freed with it.
 */
#ifndef PL_DECL_IMPL_H
#define PL_DECL_IMPL_H

#include "rule/decl.h"
#include "lib/semver.h"

typedef enum pl_decl_target {
	PL_DECL_OBJECT,
	PL_DECL_POD,
	PL_DECL_CONTAINER,
	PL_DECL_ENV,
	PL_DECL_IMAGE,
} pl_decl_target;

typedef enum pl_decl_op {
	PL_DECL_ALL,
	PL_DECL_ANY,
	PL_DECL_NOT,
	PL_DECL_EXISTS, /* want: true exists, false absent */
	PL_DECL_EQUALS,
	PL_DECL_ONE_OF,
	PL_DECL_CONTAINS, /* a sequence holds an element equal to value */
	PL_DECL_REGEX,
	PL_DECL_BOUNDS, /* min/max */
	PL_DECL_LENGTH, /* min-length/max-length */
	PL_DECL_SEMVER,
	PL_DECL_TYPE,
	PL_DECL_ENV_DEFINES,
} pl_decl_op;

/* One step of a path: a key, an index into a sequence, or [*]: every
 * element (the condition must hold for each; none holds vacuously). */
#define PL_DECL_EVERY ((size_t)-1)
typedef struct pl_decl_step {
	const char *key; /* NULL: index */
	size_t index;    /* or PL_DECL_EVERY */
} pl_decl_step;

typedef struct pl_decl_cond pl_decl_cond;
struct pl_decl_cond {
	pl_decl_op op;
	const pl_node *at; /* in the rule file, for messages */
	const char *path;  /* as written, for {path} */
	pl_decl_step *steps;
	size_t nsteps;
	bool want;             /* EXISTS */
	const pl_node *value;  /* EQUALS; ONE_OF: the sequence */
	pl_regex *re;          /* REGEX */
	bool has_min, has_max; /* BOUNDS, LENGTH */
	double min, max;
	pl_semver_range *range; /* SEMVER */
	const char *type;       /* TYPE */
	const char **names;     /* ENV_DEFINES */
	size_t nnames;
	pl_decl_cond *kids; /* ALL, ANY, NOT (one) */
	size_t nkids;
};

typedef struct pl_decl_label {
	const char *key;
	pl_regex *re;
} pl_decl_label;

typedef struct pl_decl_rule {
	pl_rule rule;  /* what the registry runs; state is this struct */
	pl_pos id_pos; /* of its id, for a duplicate */
	pl_decl_target target;
	const char *const *api_versions;
	size_t napi_versions;
	pl_regex **namespaces;
	size_t nnamespaces;
	pl_regex **names;
	size_t nnames;
	pl_decl_label *labels;
	size_t nlabels;
	const char *const *files;
	size_t nfiles;
	const char *const *images;
	size_t nimages;
	unsigned containers; /* pl_container_kind bits checked */
	pl_decl_cond assert_;
	const char *message;
	const char
	        *hint; /* the fix, with the message's placeholders; or NULL */
} pl_decl_rule;

/* The check function of every declarative rule (decl_eval.c). */
void pl_decl__check(pl_ctx *ctx, const pl_object *obj);

#endif
