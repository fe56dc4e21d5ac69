/*
 * limit.c - default caps. They are far above what real GitOps files
 * need (the largest file of the corpus is 2.2 MB, 70 documents) and far
 * below what would let a crafted file exhaust memory or time.
 */
#include "base/limit.h"

void pl_limits_default(pl_limits *l)
{
	l->max_file_size = (size_t)16 * 1024 * 1024;
	l->max_depth = 256;
	l->max_nodes = 4 * 1000 * 1000;
	l->max_alias_expansion = 1000 * 1000;
	l->max_findings_per_file = 1000;
	l->max_documents = 100000;
}
