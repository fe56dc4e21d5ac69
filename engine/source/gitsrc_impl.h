/*
 * gitsrc_impl.h - what gitsrc.c, gitsrc_diff.c and gitsrc_history.c (the
 * <git2.h> users) share. Not a public header: nothing outside engine/source
 * includes it.
 */
#ifndef PL_GITSRC_IMPL_H
#define PL_GITSRC_IMPL_H

#include "base/base.h"

struct git_repository;
struct git_tree;
struct git_index;
struct git_odb;

/* A repository opened by pl_git_open. */
struct pl_git {
	struct git_repository *repo;
	char *workdir;           /* absolute, no trailing '/' */
	struct git_index *index; /* loaded on first pl_git_is_tracked */
	bool no_index; /* it could not be loaded: nothing is tracked */
	/* pl_git_blob_read's object databases, one per worker
	 * (pl_git_readers): libgit2 1.5 makes a git_odb safe for threads
	 * by holding one lock across a read, inflating included, so a
	 * shared one reads one blob at a time. [0] is the repository's. */
	struct git_odb **readers;
	unsigned nreaders;
};

/* Frees the readers of pl_git_readers. */
void pl_git__readers_free(struct pl_git *git);

/* HEAD's tree, or NULL (an unborn HEAD, an unreadable commit); the
 * caller frees it with git_tree_free. */
struct git_tree *pl_gitsrc__head_tree(struct git_repository *repo);

/*
 * How to get objects that git could not give: in a partial clone (a
 * remote marked promisor by `git clone --filter`), the commands that
 * fetch them, naming that remote; else what a damaged repository needs.
 * Written to out[0..size), a phrase without a final full stop.
 */
void pl_gitsrc__fix(char *out, size_t size, struct git_repository *repo);

/*
 * Why an object could not be read, from the libgit2 result `code` and
 * its last error: "object not found" when the object database lacks it,
 * else libgit2's message (a corrupt pack, a zlib error). Written to
 * out[0..size).
 */
void pl_gitsrc__why(char *out, size_t size, int code);

/*
 * After git_libgit2_init: objects are read as git reads them, without
 * hashing each one again to compare with its id (git fsck does that).
 * A damaged object still fails to read: its zlib stream carries a
 * checksum and its header the size. Hashing every blob cost a fifth of
 * a `--staged` run.
 */
void pl_gitsrc__read_fast(void);

#endif
