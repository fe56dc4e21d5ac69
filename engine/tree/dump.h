/*
 * dump.h - a document as one line of JSON, for `plumb dump` and for the
 * yaml-test-suite runner (its in.json files).
 *
 * Values follow the YAML 1.2 core resolution of the tree: null, booleans,
 * integers, floats, strings; aliases and merge keys expanded. JSON object
 * keys must be strings, so a non-string key is written as its scalar text
 * (null as "", true as "true") and a collection key as its compact JSON.
 * Floats that JSON cannot hold (.inf, .nan) are written as the strings
 * ".inf", "-.inf", ".nan". The caller bounds expansion with pl_limits at
 * load time, so the output is bounded too.
 */
#ifndef PL_DUMP_H
#define PL_DUMP_H

#include "base/buf.h"
#include "tree/node.h"

/* Appends the JSON of n (NULL: null) to out, without a newline. */
void pl_dump_json(pl_buf *out, const pl_node *n);

#endif
