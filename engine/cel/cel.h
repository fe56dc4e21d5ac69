/*
 * cel.h - the Common Expression Language (CEL): parser and evaluator.
 *
 * The stage sits right after base/: it reads no file, no tree and no
 * regex library. Callers turn their data into pl_cel_val (cli/cmd_cel.c
 * from YAML, a schema rule from its nodes) and hand in a regex matcher
 * through pl_cel_env (cel/cel_regex.h adapts lib/regex.c), so pcre2
 * stays behind its one adapter.
 *
 * Everything lives in the caller's arena. Evaluation counts steps and
 * stops with an error at env->cost_limit: no expression can hang a run.
 * Errors in CEL are values (`1/0`), absorbed by && || as CEL says; an
 * error that reaches the top is returned by pl_cel_eval with its
 * position.
 */
#ifndef PL_CEL_H
#define PL_CEL_H

#include "base/arena.h"
#include "base/buf.h"
#include "base/error.h"

typedef enum pl_cel_kind {
	PL_CEL_NULL,
	PL_CEL_BOOL,
	PL_CEL_INT,
	PL_CEL_UINT,
	PL_CEL_DOUBLE,
	PL_CEL_STRING,
	PL_CEL_BYTES,
	PL_CEL_LIST,
	PL_CEL_MAP,
	PL_CEL_TYPE,
	PL_CEL_DURATION,
	PL_CEL_TIMESTAMP,
	PL_CEL_QUANTITY, /* kubernetes.Quantity (quantity.c) */
	PL_CEL_IP,       /* net.IP (ip.c) */
	PL_CEL_CIDR,     /* net.CIDR (ip.c) */
	PL_CEL_ERROR,
} pl_cel_kind;

typedef struct pl_cel_val pl_cel_val;

struct pl_cel_val {
	pl_cel_kind kind;
	union {
		bool b;
		int64_t i;
		uint64_t u;
		double d;
		struct {
			const char *ptr; /* strings: valid UTF-8 */
			size_t len;
		} s;
		struct {
			const pl_cel_val **items;
			size_t len;
		} list;
		struct {
			const pl_cel_val **keys;
			const pl_cel_val **vals;
			size_t len;
			const char
			        *msg; /* a protobuf message's type, or NULL */
		} map;
		const char
		        *type; /* "int", "list", "google.protobuf.Duration" */
		struct {
			int64_t sec; /* durations and timestamps (Unix) */
			int32_t nsec;
		} t;
		struct {
			int64_t m; /* m x 10^e, m without trailing zeros */
			int32_t e;
		} q;
		struct {
			uint8_t a[16];  /* network order; IPv4 in a[0..4) */
			uint8_t family; /* 4 or 6 */
			uint8_t prefix; /* a CIDR's length (an IP: 32, 128) */
		} net;
		struct {
			const char *msg;
			uint32_t off; /* byte offset in the expression */
		} err;
	} u;
};

typedef struct pl_cel_ast pl_cel_ast;

/* A regex matcher: the first match of pat in s at or after byte from
 * (a character boundary): 1 with its span in *start and *end, 0 none,
 * negative an error (message in msg). */
typedef int (*pl_cel_regex_fn)(void *ud, const char *pat, size_t plen,
                               const char *s, size_t slen, size_t from,
                               size_t *start, size_t *end, char *msg,
                               size_t msize);

typedef struct pl_cel_var {
	const char *name; /* may be qualified: "a.b.c" */
	const pl_cel_val *val;
} pl_cel_var;

typedef struct pl_cel_env {
	const pl_cel_var *vars;
	size_t nvars;
	const char *container; /* namespace for name resolution, or NULL */
	uint64_t cost_limit;   /* 0: PL_CEL_COST_DEFAULT */
	pl_cel_regex_fn regex; /* NULL: matches() is an error */
	void *regex_ud;
	bool no_macros; /* has(), all() ... are plain calls */
} pl_cel_env;

/* Steps an expression may take by default (a step is a node visited or
 * an element handled); about a tenth of a second of work. */
#define PL_CEL_COST_DEFAULT 1000000u
/* Nesting the parser accepts, and the longest expression. */
#define PL_CEL_MAX_DEPTH 250
#define PL_CEL_MAX_LEN   (1u << 20)

/*
 * Parses src[0..len). Returns 0 and *out, or PL_EPARSE with the message
 * and err->pos (line 1-based, col in code points, offset in bytes).
 */
int pl_cel_parse(pl_cel_ast **out, pl_arena *a, const char *src, size_t len,
                 const pl_cel_env *env, pl_error *err);

/*
 * Evaluates ast. Returns 0 and *out; or PL_ERULE when the result is a
 * CEL error (message and position in err, *out the error value), or
 * PL_ELIMIT when env->cost_limit was reached.
 */
int pl_cel_eval(const pl_cel_val **out, const pl_cel_ast *ast,
                const pl_cel_env *env, pl_arena *a, pl_error *err);

/* Constructors for callers building variables. */
const pl_cel_val *pl_cel_null(void);
const pl_cel_val *pl_cel_bool(bool b);
pl_cel_val *pl_cel_new(pl_arena *a, pl_cel_kind kind);
const pl_cel_val *pl_cel_int(pl_arena *a, int64_t i);
const pl_cel_val *pl_cel_uint(pl_arena *a, uint64_t u);
const pl_cel_val *pl_cel_double(pl_arena *a, double d);
const pl_cel_val *pl_cel_string(pl_arena *a, const char *s, size_t len);
const pl_cel_val *pl_cel_bytes(pl_arena *a, const char *s, size_t len);

/* The CEL type name of v: "int", "map", "google.protobuf.Duration". */
const char *pl_cel_type_name(const pl_cel_val *v);

/* CEL equality (heterogeneous numbers; lists and maps deep). */
bool pl_cel_equal(const pl_cel_val *x, const pl_cel_val *y);

/* Writes v in CEL syntax: 1, 2u, 1.5, "s", b"\x00", [1, 2], {"k": v},
 * duration("1s"), timestamp("..."), int. */
void pl_cel_format(pl_buf *b, const pl_cel_val *v);

/* The position of byte offset off in src (line, code-point column). */
pl_pos pl_cel_pos(const char *src, size_t len, size_t off);

#endif
