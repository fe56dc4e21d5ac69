/*
 * cel_impl.h - what the files of engine/cel/ share: the syntax tree, the
 * evaluation context and the helpers that make values and errors.
 */
#ifndef PL_CEL_IMPL_H
#define PL_CEL_IMPL_H

#include "base/buf.h"
#include "cel/cel.h"

typedef enum pl_cel_nkind {
	PL_CN_LIT,    /* lit */
	PL_CN_IDENT,  /* name (leading '.' kept in root) */
	PL_CN_SELECT, /* target.name */
	PL_CN_CALL,   /* [target.]name(args) */
	PL_CN_LIST,   /* [args] */
	PL_CN_MAP,    /* {args[0]: args[1], ...} */
	PL_CN_STRUCT, /* name{field: value} (field names in args[2i]) */
} pl_cel_nkind;

typedef struct pl_cel_node pl_cel_node;
struct pl_cel_node {
	pl_cel_nkind kind;
	uint32_t off; /* byte offset of the node's token */
	bool root;    /* ident written with a leading '.' */
	const char *name;
	const pl_cel_val *lit;
	const pl_cel_node *target;
	const pl_cel_node **args;
	size_t nargs;
};

struct pl_cel_ast {
	const pl_cel_node *root;
	const char *src;
	size_t len;
};

/* A variable bound by a comprehension, on a stack. */
typedef struct pl_cel_scope {
	const char *name;
	const pl_cel_val *val;
	const struct pl_cel_scope *up;
} pl_cel_scope;

typedef struct pl_cel_ctx {
	pl_arena *a;
	const pl_cel_env *env;
	uint64_t steps, limit;
	bool over; /* the cost limit was reached */
	unsigned depth;
} pl_cel_ctx;

const pl_cel_val *pl_cel_err(pl_cel_ctx *c, uint32_t off, const char *fmt, ...)
        PL_PRINTF(3, 4);
const pl_cel_val *pl_cel_nooverload(pl_cel_ctx *c, uint32_t off,
                                    const char *fn);
/* Counts n steps; false once past the limit. */
bool pl_cel_cost(pl_cel_ctx *c, uint64_t n);

const pl_cel_val *pl_cel_type(pl_arena *a, const char *name);
/* -1, 0, 1; or 2 when x and y do not compare (different kinds). */
int pl_cel_compare(const pl_cel_val *x, const pl_cel_val *y);
/* Map lookup with CEL's numeric key equality; NULL when absent. */
const pl_cel_val *pl_cel_map_get(const pl_cel_val *m, const pl_cel_val *k);
const pl_cel_val *pl_cel_map_gets(const pl_cel_val *m, const char *k);
size_t pl_cel_utf8_len(const char *s, size_t len);
bool pl_cel_utf8_valid(const char *s, size_t len);

/* Standard and extension functions: name(args) or target.name(args),
 * arguments already evaluated and free of errors. NULL: unknown name. */
const pl_cel_val *pl_cel_call(pl_cel_ctx *c, uint32_t off, const char *name,
                              const pl_cel_val *target, const pl_cel_val **args,
                              size_t nargs);
/* String extension library (strings.c); NULL when name is not one. */
const pl_cel_val *pl_cel_call_str(pl_cel_ctx *c, uint32_t off, const char *name,
                                  const pl_cel_val *target,
                                  const pl_cel_val **args, size_t nargs);
/* fmt.format(args) of the strings library (format.c). */
const pl_cel_val *pl_cel_format_call(pl_cel_ctx *c, uint32_t off,
                                     const pl_cel_val *fmt,
                                     const pl_cel_val *args);
/* Durations and timestamps (time.c). */
const pl_cel_val *pl_cel_call_time(pl_cel_ctx *c, uint32_t off,
                                   const char *name, const pl_cel_val *target,
                                   const pl_cel_val **args, size_t nargs);
const pl_cel_val *pl_cel_duration_parse(pl_cel_ctx *c, uint32_t off,
                                        const char *s, size_t len);
const pl_cel_val *pl_cel_timestamp_parse(pl_cel_ctx *c, uint32_t off,
                                         const char *s, size_t len);
void pl_cel_duration_format(pl_buf *b, int64_t sec, int32_t nsec);
void pl_cel_timestamp_format(pl_buf *b, int64_t sec, int32_t nsec);
/* Makes a duration or timestamp, or a range error. */
const pl_cel_val *pl_cel_mktime(pl_cel_ctx *c, uint32_t off, pl_cel_kind k,
                                int64_t sec, int64_t nsec);
/* The Kubernetes quantity library (quantity.c); NULL when name is not
 * one of its functions. */
const pl_cel_val *pl_cel_call_quantity(pl_cel_ctx *c, uint32_t off,
                                       const char *name,
                                       const pl_cel_val *target,
                                       const pl_cel_val **args, size_t nargs);
/* -1, 0, 1 as x is below, equal to or above y (two quantities). */
int pl_cel_quantity_cmp(const pl_cel_val *x, const pl_cel_val *y);
/* The value in decimal: 1610612736, 0.5, 15e-12. */
void pl_cel_quantity_format(pl_buf *b, const pl_cel_val *v);
/* The Kubernetes IP and CIDR libraries (ip.c); NULL when name is not
 * one of their functions. */
const pl_cel_val *pl_cel_call_ip(pl_cel_ctx *c, uint32_t off, const char *name,
                                 const pl_cel_val *target,
                                 const pl_cel_val **args, size_t nargs);
bool pl_cel_ip_equal(const pl_cel_val *x, const pl_cel_val *y);
/* 10.0.0.1, fd00::1, 10.0.0.0/8 */
void pl_cel_ip_format(pl_buf *b, const pl_cel_val *v);
/* Protobuf message literals (message.c). */
const pl_cel_val *pl_cel_message(pl_cel_ctx *c, uint32_t off, const char *name,
                                 bool root, const pl_cel_val **fields,
                                 const pl_cel_val **vals, size_t n);
/* The default of an unset field f of message m, or NULL. */
const pl_cel_val *pl_cel_msg_default(pl_cel_ctx *c, const pl_cel_val *m,
                                     const char *f);
bool pl_cel_msg_equal(const pl_cel_val *x, const pl_cel_val *y);
/* string(double) as CEL prints it. */
void pl_cel_double_format(pl_buf *b, double d);

#endif
