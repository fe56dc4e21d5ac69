/*
 * limit.h - every cap plumb applies to hostile input, in one struct.
 *
 * Passed in, never global (STYLE.md §5). Reaching a cap is a finding on the
 * file concerned (source/skipped, yaml/limit), never a crash or a hang.
 */
#ifndef PL_LIMIT_H
#define PL_LIMIT_H

#include "base/base.h"

typedef struct pl_limits {
	size_t max_file_size;       /* bytes; larger files are skipped */
	size_t max_depth;           /* nesting of collections */
	size_t max_nodes;           /* nodes per file, aliases counted once */
	size_t max_alias_expansion; /* nodes reachable through aliases */
	size_t max_findings_per_file;
	size_t max_documents; /* documents per file */
} pl_limits;

/* Fills l with the defaults (documented in README.md). */
void pl_limits_default(pl_limits *l);

#endif
