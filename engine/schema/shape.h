/*
 * shape.h - plumb's own inputs (.plumb.yaml, declarative rule files)
 * checked against the JSON Schemas that document them
 * (schemas/config.schema.json, schemas/rule.schema.json, compiled into
 * the binary): the one shape checker of those files.
 *
 * The first problem, in file order, becomes a pl_error with the file's
 * line and column: an unknown key names the mapping it is in and the
 * closest known key (did-you-mean), a union names the branch the input
 * meant (PL_SCHEMA_EXPLAIN). What a schema cannot say (a regex compiles,
 * a range parses, a rule id exists) is the loader's to check once the
 * shape holds; a loader may also put a problem the schema found in its
 * own words (pl_shape_explain).
 */
#ifndef PL_SHAPE_H
#define PL_SHAPE_H

#include "schema/schema.h"

typedef struct pl_shape pl_shape;

/*
 * Compiles the schema text data[0..len) (JSON), named name in errors.
 * PL_EPARSE or PL_ENOTFOUND when it is not a schema plumb can use: a
 * broken build, never a user's input.
 */
int pl_shape_new(pl_shape **out, const char *name, const char *data, size_t len,
                 pl_error *err);
void pl_shape_free(pl_shape *s);

/*
 * A loader's own words for e: returns 0 to keep the checker's message,
 * or the code of the pl_error it set (the file and the position of
 * e->node are the loader's to give).
 */
typedef int (*pl_shape_explain)(void *ud, const pl_schema_error *e,
                                pl_error *err);

/*
 * Validates root, the one document of the file path. Returns 0, or code
 * with err holding path:line:col and the message. explain may be NULL.
 */
int pl_shape_check(const pl_shape *s, const pl_node *root, const char *path,
                   int code, pl_shape_explain explain, void *ud, pl_error *err);

#endif
