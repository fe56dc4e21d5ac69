/*
 * load.h - YAML text to typed tree, from libyaml's event stream.
 *
 * Documents are split by the parser's document events, never by looking
 * for `---` in the text, so a `---` inside a block scalar cannot cut a
 * document. Problems in the text are data in the pl_tree, never errors:
 * a syntax error ends the stream (the documents before it are kept), a
 * limit (depth, nodes, alias expansion, documents) ends it likewise, and
 * duplicate keys are listed. Rules turn these into yaml/ findings.
 *
 * Memory: every node, string and array comes from `arena`; the pl_tree
 * itself is caller-owned and holds no heap memory, so releasing the arena
 * releases the tree. The source must outlive the tree (spans and comments
 * index into it). This is the only file that includes <yaml.h>.
 */
#ifndef PL_LOAD_H
#define PL_LOAD_H

#include "base/arena.h"
#include "base/limit.h"
#include "source/source.h"
#include "tree/node.h"

typedef enum pl_tree_problem {
	PL_TREE_OK,
	PL_TREE_SYNTAX, /* libyaml rejected the text, or an unknown alias */
	PL_TREE_LIMIT,  /* a pl_limits cap stopped the load */
} pl_tree_problem;

typedef struct pl_dup {
	const pl_node *key;   /* the repeated key */
	const pl_node *first; /* the earlier key it repeats */
} pl_dup;

/* A `<<` merge key whose value (or an item of its list) is not a mapping:
 * YAML 1.1 merge (yaml.org/type/merge.html) refuses it; the pair stays an
 * ordinary key named "<<". */
typedef struct pl_bad_merge {
	const pl_node *key;   /* the `<<` */
	const pl_node *value; /* the value, or the list item, that is no
	                       * mapping (as written: an alias, not its
	                       * target) */
} pl_bad_merge;

typedef struct pl_comment {
	size_t offset; /* of the '#' */
	size_t len;    /* to the end of the line, '#' included */
	uint32_t line;
	uint32_t col;
	bool trailing; /* something other than blanks precedes it */
} pl_comment;

typedef struct pl_tree {
	const pl_source *src;
	pl_doc *docs;
	size_t ndocs;
	pl_dup *dups;
	size_t ndups;
	pl_bad_merge *bad_merges;
	size_t nbad_merges;
	pl_comment *comments; /* in source order */
	size_t ncomments;
	/* start, end offsets of every scalar, in order; kept only when
	 * problem is PL_TREE_SYNTAX (NULL and 0 otherwise) */
	size_t *spans;
	size_t nspans;
	size_t nnodes;

	pl_tree_problem problem;
	const char *message; /* arena string, for SYNTAX and LIMIT */
	pl_pos where;        /* position of the problem */
} pl_tree;

/*
 * Loads every document of src (which must hold data) into out. Always
 * returns 0: problems are recorded in out->problem. The comment index is
 * built as part of the load.
 */
int pl_tree_load(pl_tree *out, pl_arena *arena, const pl_source *src,
                 const pl_limits *limits);

/* libyaml's version string, for `plumb version`. */
const char *pl_tree_libyaml_version(void);

#endif
