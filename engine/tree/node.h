/*
 * node.h - the typed tree: one pl_doc per YAML document, pl_node inside.
 *
 * Everything here lives in the arena of the file it came from and is
 * read-only once loaded; pointers stay valid until that arena is released.
 * Every node has an exact span (pos.h). Scalars keep their style, their
 * unescaped value and the type the YAML 1.2 core schema resolves them to;
 * PL_NODE_YAML11_DIFFERS marks a plain scalar that YAML 1.1 tooling
 * (kubectl, Flux, Helm use it) would resolve differently. An alias is a
 * node of its own (with the span of `*name`) whose `target` is the
 * anchored node: the tree is a DAG, walked with pl_node_deref. Mapping
 * pairs include the pairs merged in by `<<` keys, flagged PL_PAIR_MERGED;
 * the `<<` pairs themselves are kept in `merge` for position lookups.
 * The struct is transparent on purpose: it is the hot path of every rule.
 */
#ifndef PL_NODE_H
#define PL_NODE_H

#include "base/base.h"
#include "base/pos.h"

typedef enum pl_node_kind {
	PL_NODE_SCALAR,
	PL_NODE_SEQUENCE,
	PL_NODE_MAPPING,
	PL_NODE_ALIAS,
} pl_node_kind;

typedef enum pl_style {
	PL_STYLE_ANY,
	PL_STYLE_PLAIN,
	PL_STYLE_SINGLE,
	PL_STYLE_DOUBLE,
	PL_STYLE_LITERAL,
	PL_STYLE_FOLDED,
	PL_STYLE_BLOCK, /* block collection */
	PL_STYLE_FLOW,  /* flow collection */
} pl_style;

/* Resolved scalar types (YAML 1.2.2 §10.3.2, core schema), plus the
 * YAML 1.1 timestamp, which only appears as a 1.1 resolution. */
typedef enum pl_type {
	PL_TYPE_STRING,
	PL_TYPE_NULL,
	PL_TYPE_BOOL,
	PL_TYPE_INT,
	PL_TYPE_FLOAT,
	PL_TYPE_TIMESTAMP,
} pl_type;

enum {
	PL_NODE_YAML11_DIFFERS = 1 << 0, /* YAML 1.1 resolves it otherwise */
	PL_NODE_TAGGED = 1 << 1,         /* an explicit tag decided the type */
	PL_NODE_INT_OVERFLOW = 1 << 2,   /* integer does not fit int64 */
	PL_NODE_HAS_MERGE = 1 << 3,      /* mapping used `<<` */
};

enum {
	PL_PAIR_MERGED = 1 << 0,    /* came from a `<<` merge */
	PL_PAIR_DUPLICATE = 1 << 1, /* key equals an earlier key */
};

typedef struct pl_node pl_node;
typedef struct pl_pair pl_pair;

struct pl_pair {
	pl_node *key;
	pl_node *value;
	unsigned flags;
};

struct pl_node {
	uint8_t kind;   /* pl_node_kind */
	uint8_t style;  /* pl_style */
	uint8_t type;   /* pl_type, scalars only */
	uint8_t type11; /* how YAML 1.1 resolves a plain scalar */
	uint16_t flags;
	pl_span span;
	const char *tag;    /* explicit tag as written, expanded; or NULL */
	const char *anchor; /* or NULL */
	union {
		struct {
			const char *str; /* unescaped value, NUL-terminated */
			size_t len;
			union { /* the member of the node's type, only */
				int64_t i; /* PL_TYPE_INT */
				/* PL_TYPE_FLOAT, or PL_TYPE_INT with
				 * PL_NODE_INT_OVERFLOW: its approximate value
				 * (pl_node_number reads either) */
				double f;
				bool b; /* PL_TYPE_BOOL */
			};
		} scalar;
		struct {
			pl_node **items;
			size_t len;
		} seq;
		struct {
			pl_pair *pairs; /* explicit pairs, then merged ones */
			pl_pair *merge; /* the `<<` pairs as written */
			uint32_t len;   /* bounded by pl_limits.max_nodes */
			uint32_t nmerge;
		} map;
		struct {
			pl_node *target; /* NULL if the anchor was unknown */
			const char *name;
		} alias;
	} u;
};

typedef struct pl_doc {
	pl_node *root;  /* NULL for an empty document */
	pl_span span;   /* from the document start to its end */
	uint32_t index; /* 0-based position in the stream */
	bool explicit_start;
	bool explicit_end;
} pl_doc;

/* The value of an int or float scalar as a double (a huge int's
 * approximate value); 0 for other nodes. */
static inline double pl_node_number(const pl_node *n)
{
	if (n->type == PL_TYPE_FLOAT ||
	    (n->type == PL_TYPE_INT && (n->flags & PL_NODE_INT_OVERFLOW)))
		return n->u.scalar.f;
	return n->type == PL_TYPE_INT ? (double)n->u.scalar.i : 0;
}

/* Follows aliases (bounded: a chain cannot loop, targets come first). */
static inline const pl_node *pl_node_deref(const pl_node *n)
{
	while (n && n->kind == PL_NODE_ALIAS)
		n = n->u.alias.target;
	return n;
}

/* True for a scalar whose value equals the NUL-terminated s. */
bool pl_node_is_str(const pl_node *n, const char *s);
/* The value of key `key` in mapping m (aliases followed), or NULL. The
 * last of duplicate keys wins, as in Kubernetes' decoders. */
const pl_node *pl_node_get(const pl_node *m, const char *key);
/* The pair whose key is `key`, or NULL. */
const pl_pair *pl_node_get_pair(const pl_node *m, const char *key);
/* The scalar value of key `key` if it is a scalar, else NULL. */
const char *pl_node_get_str(const pl_node *m, const char *key);
const char *pl_node_kind_name(pl_node_kind k);
const char *pl_type_name(pl_type t);

#endif
