/*
 * scalar.h - scalar resolution: YAML 1.2 core schema and YAML 1.1.
 *
 * pl_scalar_resolve fills a scalar node's type, value fields, type11 and
 * the PL_NODE_YAML11_DIFFERS flag from its text, style and tag.
 *
 * YAML 1.2 (YAML 1.2.2 §10.3.2 core schema) for untagged plain scalars:
 *   null   null | Null | NULL | ~ | (empty)
 *   bool   true | True | TRUE | false | False | FALSE
 *   int    [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+
 *   float  [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
 *          | [-+]?\.(inf|Inf|INF) | \.(nan|NaN|NAN)
 *   else   string
 * Quoted and block scalars are strings. Explicit tags !!str, !!int,
 * !!float, !!bool, !!null decide the type (a value that does not fit its
 * tag stays a string); the non-specific tag `!` makes a string; any other
 * tag (`!env_var`, `!Ref`) keeps the untagged resolution.
 *
 * YAML 1.1 (the type repository at yaml.org/type, as go-yaml v2 and
 * PyYAML implement it) for the same plain scalars adds: bools y|Y|yes|Yes|
 * YES|n|N|no|No|NO|on|On|ON|off|Off|OFF; ints with 0b, 0 (octal), 0x
 * prefixes, `_` separators and base 60 (190:20:30); floats that need a
 * dot (1e3 is a string in 1.1), base 60 floats, .inf/.nan; timestamps
 * (2001-12-14, 2001-12-14t21:59:43.10-05:00); and `=` is not special.
 * type11 records that resolution; PL_NODE_YAML11_DIFFERS is set when the
 * type differs or, for numbers, the value differs (0755 is 755 in 1.2 and
 * 493 in 1.1).
 */
#ifndef PL_SCALAR_H
#define PL_SCALAR_H

#include "tree/node.h"

/* n must be a scalar with style, tag and u.scalar.str/len set. */
void pl_scalar_resolve(pl_node *n);

/* Resolutions on bare text, for tests and rules: return the pl_type. */
pl_type pl_scalar_type12(const char *s, size_t len);
pl_type pl_scalar_type11(const char *s, size_t len);

#endif
