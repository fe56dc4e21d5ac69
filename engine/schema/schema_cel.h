/*
 * schema_cel.h - x-kubernetes-validations inside the schema module:
 * compiling the rules of a schema object, evaluating them on a node.
 * Private to engine/schema/schema*.c, except pl_schema_cel_value, which
 * turns a node into a CEL value (also for `plumb cel --var`).
 */
#ifndef PL_SCHEMA_CEL_H
#define PL_SCHEMA_CEL_H

#include "schema/schema_impl.h"

/* n as a CEL value typed by sn (NULL: as the YAML resolved it). */
const pl_cel_val *pl_schema_cel_value(pl_arena *a, const pl_sn *sn,
                                      const pl_node *n);

/* Reads m's x-kubernetes-validations into sn; problems go to s. */
void pl_schema__cel_compile(pl_schema *s, pl_sn *sn, const pl_node *m);

/* at: the node the rule names (inst, or its fieldPath under inst),
 * field_path: that fieldPath or NULL. */
typedef void (*pl_schema_cel_report)(void *ud, const pl_node *at,
                                     const char *field_path,
                                     const pl_node *rule, const char *msg);

/* Evaluates sn's rules with self = inst; each broken one is reported. */
void pl_schema__cel_run(const pl_sn *sn, const pl_node *inst, pl_arena *tmp,
                        void *regex, pl_schema_cel_report report, void *ud);

#endif
