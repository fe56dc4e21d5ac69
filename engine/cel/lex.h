/*
 * lex.h - the CEL lexer's tokens and the parser state it shares with
 * parse.c; private to engine/cel (parse.c and lex.c), not API.
 */
#ifndef PL_CEL_LEX_H
#define PL_CEL_LEX_H

#include "cel/cel_impl.h"

typedef enum cel_tok_kind {
	T_EOF,
	T_INT,    /* u: magnitude, fits int64 or is exactly 2^63 */
	T_UINT,   /* u */
	T_DOUBLE, /* d */
	T_STRING, /* s, slen */
	T_BYTES,
	T_IDENT,
	T_TRUE,
	T_FALSE,
	T_NULL,
	T_IN,
	T_PUNCT, /* p: the operator text */
} cel_tok_kind;

typedef struct cel_tok {
	cel_tok_kind kind;
	uint32_t off;
	uint64_t u;
	double d;
	char *s;
	size_t slen;
	char p[3];
	bool quoted; /* an identifier written `like-this` */
} cel_tok;

typedef struct cel_parser {
	pl_arena *a;
	const char *src;
	size_t len, pos;
	cel_tok t;
	unsigned depth;
	pl_error *err;
	bool failed;
	bool prev_value; /* the last token ends an operand (for ".5") */
} cel_parser;

/* Records the first error of the parse at byte offset off (later ones
 * are dropped: the first names the token at fault) and returns
 * PL_EPARSE. */
int pl_cel__fail(cel_parser *p, uint32_t off, const char *fmt, ...)
        PL_PRINTF(3, 4);
/* Reads the next token into p->t; returns 0 or PL_EPARSE (at the
 * token's offset). */
int pl_cel__next(cel_parser *p);
/* Is s one of CEL's reserved words (not usable as an identifier)? */
bool pl_cel__is_reserved(const char *s);

#endif
