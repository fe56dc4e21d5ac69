/*
 * model.h - the files of a run and the Kubernetes objects in them.
 *
 * A pl_file is one linted file: its source, its arena and, when it is
 * YAML, its tree. A pl_object is one document of a YAML file, with the
 * identity fields read once (apiVersion, kind, metadata.name,
 * metadata.namespace; NULL when absent or not a string) so that rules and
 * the dispatcher do not walk the tree for them. Objects live in their
 * file's arena. The model is built by workers file by file and read-only
 * afterwards; the cross-document index (effective namespaces, references)
 * arrives with the flux/ issue.
 */
#ifndef PL_MODEL_H
#define PL_MODEL_H

#include "base/arena.h"
#include "base/limit.h"
#include "source/source.h"
#include "tree/load.h"

typedef struct pl_file pl_file;

typedef struct pl_object {
	const pl_file *file;
	const pl_doc *doc;
	const pl_node *root; /* pl_node_deref'd root, may be NULL */
	const char *api_version;
	const char *kind;
	const char *name;
	const char *namespace;
	bool is_k8s; /* a mapping with string apiVersion and kind */
} pl_object;

struct pl_file {
	pl_source src;
	pl_arena arena;
	pl_tree tree;       /* valid when parsed */
	bool parsed;        /* src.kind was YAML and it was loaded */
	pl_object *objects; /* one per document */
	size_t nobjects;
};

void pl_file_init(pl_file *f);
void pl_file_release(pl_file *f);

/*
 * Parses a YAML source into f->tree and fills f->objects. Extension-less
 * text files are sniffed first (walk.h) and parsed when they look like
 * YAML. Other kinds are left as text. Never fails: problems are in the
 * tree.
 */
void pl_file_load(pl_file *f, const pl_limits *limits);

#endif
