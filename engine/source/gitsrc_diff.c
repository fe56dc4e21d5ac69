/*
 * gitsrc_diff.c - --diff-base on top of libgit2: the merge base of a ref
 * and HEAD (found by plumb itself in a shallow clone, which libgit2 1.5
 * cannot walk), then the files changed since it in the work tree and,
 * for --new-only, their added lines. Deltas are listed from tree ids
 * alone, so a blobless clone can answer which files changed.
 */
#include "source/gitsrc.h"
#include "source/gitsrc_impl.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/map.h"
#include "base/vec.h"
#include "base/xalloc.h"
#include <git2.h>

/*
 * libgit2 1.5 knows nothing of shallow clones: git_merge_base walks into
 * the parents of a boundary commit, which the clone lacks, and fails
 * where `git merge-base` answers. So in a shallow clone plumb finds the
 * merge base itself, reading .git/shallow as git does: a commit listed
 * there has no parents. The history of a shallow clone is short by
 * construction, so plain breadth-first walks are cheap enough; a full
 * clone keeps git_merge_base.
 */
typedef struct walk_set {
	pl_map seen; /* raw commit id -> the git_oid copy in arena */
	pl_arena arena;
} walk_set;

static void set_init(walk_set *s)
{
	pl_map_init(&s->seen);
	pl_arena_init(&s->arena);
}

static void set_release(walk_set *s)
{
	pl_map_release(&s->seen);
	pl_arena_release(&s->arena);
}

static bool set_has(const walk_set *s, const git_oid *id)
{
	return pl_map_get(&s->seen, (const char *)id->id, GIT_OID_RAWSZ) !=
	       NULL;
}

/* Adds id; false when it was there already. */
static bool set_add(walk_set *s, const git_oid *id)
{
	git_oid *key;

	if (set_has(s, id))
		return false;
	key = pl_arena_alloc(&s->arena, sizeof(*key));
	git_oid_cpy(key, id);
	pl_map_put(&s->seen, (const char *)key->id, GIT_OID_RAWSZ, key, NULL);
	return true;
}

/* The commits .git/shallow lists (the clone's boundary). */
static void read_shallow(walk_set *out, git_repository *repo)
{
	char line[128]; /* one object id a line */
	pl_buf path;
	FILE *f;

	pl_buf_init(&path, 0);
	pl_buf_addf(&path, "%sshallow", git_repository_commondir(repo));
	f = fopen(path.ptr, "r");
	pl_buf_release(&path);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		git_oid id;
		if (strlen(line) >= GIT_OID_HEXSZ &&
		    git_oid_fromstrn(&id, line, GIT_OID_HEXSZ) == 0)
			set_add(out, &id);
	}
	fclose(f);
}

typedef struct shallow_walk {
	git_repository *repo;
	walk_set boundary; /* .git/shallow */
	bool hit_boundary; /* a walk stopped at a boundary commit */
	git_oid bad;       /* a commit that could not be read */
	int bad_code;      /* its libgit2 result, 0: none */
} shallow_walk;

/*
 * Breadth-first from `from` (itself included) through parents, stopping
 * at boundary commits and, when stop is given, at commits in it (listed
 * in hits, not walked past). Every commit met goes into seen. -1 when a
 * commit cannot be read (sw->bad says which).
 */
static int walk_ancestors(shallow_walk *sw, const git_oid *from, walk_set *seen,
                          const walk_set *stop, pl_vec *hits)
{
	pl_vec queue; /* git_oid */
	size_t head = 0;
	int rc = 0;

	pl_vec_init(&queue, sizeof(git_oid));
	if (set_add(seen, from))
		pl_vec_append(&queue, from);
	while (head < queue.len) {
		git_oid id = *(git_oid *)pl_vec_at(&queue, head++);
		git_commit *c = NULL;
		unsigned i, np;
		int lrc;

		if (stop && set_has(stop, &id)) {
			pl_vec_append(hits, &id);
			continue;
		}
		if (set_has(&sw->boundary, &id)) {
			sw->hit_boundary = true;
			continue;
		}
		lrc = git_commit_lookup(&c, sw->repo, &id);
		if (lrc < 0) {
			git_oid_cpy(&sw->bad, &id);
			sw->bad_code = lrc;
			rc = -1;
			break;
		}
		np = git_commit_parentcount(c);
		for (i = 0; i < np; i++) {
			const git_oid *p = git_commit_parent_id(c, i);
			if (p && set_add(seen, p))
				pl_vec_append(&queue, p);
		}
		git_commit_free(c);
	}
	pl_vec_release(&queue);
	return rc;
}

/*
 * The merge base of a and b in a shallow clone, as `git merge-base`
 * finds it: the common ancestors that are no ancestor of another common
 * ancestor; the one met first from b when there are several (criss-cross
 * merges). 0 and *out, GIT_ENOTFOUND when there is none, -1 when a
 * commit cannot be read.
 */
static int shallow_merge_base(git_oid *out, shallow_walk *sw, const git_oid *a,
                              const git_oid *b)
{
	walk_set of_a, of_b;
	pl_vec hits; /* git_oid: common ancestors met from b */
	size_t i, j;
	bool found = false;
	int rc;

	set_init(&of_a);
	set_init(&of_b);
	pl_vec_init(&hits, sizeof(git_oid));
	rc = walk_ancestors(sw, a, &of_a, NULL, NULL);
	if (rc == 0)
		rc = walk_ancestors(sw, b, &of_b, &of_a, &hits);
	if (rc == 0 && hits.len == 0)
		rc = GIT_ENOTFOUND;
	/* drop a hit that is an ancestor of another hit */
	for (i = 0; rc == 0 && i < hits.len; i++) {
		const git_oid *h = pl_vec_at(&hits, i);
		walk_set below;
		bool redundant = false;
		set_init(&below);
		for (j = 0; rc == 0 && j < hits.len && !redundant; j++) {
			git_commit *c = NULL;
			unsigned k;
			if (j == i)
				continue;
			/* the parents of hit j, and theirs */
			if (git_commit_lookup(&c, sw->repo,
			                      pl_vec_at(&hits, j)) < 0)
				continue;
			for (k = 0;
			     k < git_commit_parentcount(c) &&
			     !set_has(&sw->boundary, pl_vec_at(&hits, j));
			     k++)
				rc = walk_ancestors(sw,
				                    git_commit_parent_id(c, k),
				                    &below, NULL, NULL);
			git_commit_free(c);
			redundant = set_has(&below, h);
		}
		set_release(&below);
		if (rc == 0 && !redundant) {
			git_oid_cpy(out, h);
			found = true;
			break;
		}
	}
	/* a DAG always leaves one; never hand back an unset id */
	if (rc == 0 && !found)
		rc = GIT_ENOTFOUND;
	set_release(&of_a);
	set_release(&of_b);
	pl_vec_release(&hits);
	return rc;
}

/* The fix for a clone too shallow (or too narrow) for the request. */
#define DEEPEN_FIX                                                             \
	"fetch more history (git fetch --unshallow; actions/checkout: "        \
	"fetch-depth: 0)"

static int merge_base(git_oid *out, pl_git *git, const char *ref,
                      const git_oid *a, const git_oid *b, pl_error *err)
{
	shallow_walk sw;
	char hex[GIT_OID_HEXSZ + 1], why[160], fix[200];
	int rc;

	if (git_repository_is_shallow(git->repo) != 1) {
		rc = git_merge_base(out, git->repo, a, b);
		if (rc == 0)
			return 0;
		/* "no merge base" is a merge error; a missing commit is
		 * an object database one */
		if (rc == GIT_ENOTFOUND && git_error_last() &&
		    git_error_last()->klass == GIT_ERROR_MERGE) {
			git_error_clear();
			return pl_error_set(
			        err, PL_ENOTFOUND, NULL, NULL,
			        "--diff-base: '%s' and HEAD share no "
			        "history",
			        ref);
		}
		pl_gitsrc__why(why, sizeof(why), rc);
		pl_gitsrc__fix(fix, sizeof(fix), git->repo);
		return pl_error_set(err, PL_EGIT, NULL, NULL,
		                    "--diff-base: cannot find the merge base "
		                    "of '%.64s' and HEAD: %s; %s",
		                    ref, why, fix);
	}
	memset(&sw, 0, sizeof(sw));
	sw.repo = git->repo;
	set_init(&sw.boundary);
	read_shallow(&sw.boundary, git->repo);
	rc = shallow_merge_base(out, &sw, a, b);
	if (rc == GIT_ENOTFOUND && sw.hit_boundary)
		rc = pl_error_set(err, PL_EGIT, NULL, NULL,
		                  "--diff-base: this shallow clone holds no "
		                  "common ancestor of '%.64s' and HEAD: %s",
		                  ref, DEEPEN_FIX);
	else if (rc == GIT_ENOTFOUND)
		rc = pl_error_set(err, PL_ENOTFOUND, NULL, NULL,
		                  "--diff-base: '%s' and HEAD share no history",
		                  ref);
	else if (rc < 0) {
		git_oid_tostr(hex, sizeof(hex), &sw.bad);
		pl_gitsrc__why(why, sizeof(why), sw.bad_code);
		pl_gitsrc__fix(fix, sizeof(fix), git->repo);
		rc = pl_error_set(
		        err, PL_EGIT, NULL, NULL,
		        "--diff-base: cannot read commit %.7s: %s; %s", hex,
		        why, fix);
	}
	set_release(&sw.boundary);
	return rc;
}

/* --- changes since a merge base (--diff-base) ---------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_change(const void *a, const void *b)
{
	return strcmp(((const pl_git_change *)a)->path,
	              ((const pl_git_change *)b)->path);
}

/*
 * The added lines of delta i of diff into c. Reading them needs both
 * sides' content: a blob a partial clone lacks fails here (unread).
 */
static int added_lines(pl_git_change *c, git_diff *diff, size_t i)
{
	git_patch *patch = NULL;
	size_t h, nh, cap = 0;
	int rc;

	rc = git_patch_from_diff(&patch, diff, i);
	if (rc < 0)
		return rc;
	nh = patch ? git_patch_num_hunks(patch) : 0;
	for (h = 0; h < nh; h++) {
		size_t l, nl = (size_t)git_patch_num_lines_in_hunk(patch, h);
		for (l = 0; l < nl; l++) {
			const git_diff_line *line = NULL;
			if (git_patch_get_line_in_hunk(&line, patch, h, l) <
			            0 ||
			    line->origin != GIT_DIFF_LINE_ADDITION ||
			    line->new_lineno <= 0)
				continue;
			if (c->nlines == cap) {
				cap = cap ? cap * 2 : 16;
				c->lines = pl_xrealloc(c->lines,
				                       cap * sizeof(*c->lines));
			}
			/* hunks come in order: the lines stay sorted */
			c->lines[c->nlines++] = (uint32_t)line->new_lineno;
		}
	}
	git_patch_free(patch);
	return 0;
}

/*
 * The trees of the merge base of ref and HEAD, and of HEAD, into *base
 * and *head (the caller frees them); 0 or a PL_E* code with err.
 */
static int base_and_head(pl_git *git, const char *ref, git_tree **base,
                         git_tree **head, pl_error *err)
{
	git_object *ref_obj = NULL, *head_obj = NULL;
	git_commit *base_commit = NULL;
	git_oid base_oid;
	char why[160], fix[200];
	int rc;

	if (git_revparse_single(&ref_obj, git->repo, ref) < 0) {
		git_error_clear();
		rc = pl_error_set(
		        err, PL_ENOTFOUND, NULL, NULL,
		        "--diff-base: '%s' is not a commit of this "
		        "repository%s",
		        ref,
		        git_repository_is_shallow(git->repo) == 1
		                ? "; this shallow clone may lack it: " DEEPEN_FIX
		                : "");
		goto done;
	}
	if (git_revparse_single(&head_obj, git->repo, "HEAD") < 0) {
		git_error_clear();
		rc = pl_error_set(err, PL_ENOTFOUND, NULL, NULL,
		                  "--diff-base: the repository has no commit "
		                  "yet (HEAD)%s",
		                  "");
		goto done;
	}
	rc = merge_base(&base_oid, git, ref, git_object_id(ref_obj),
	                git_object_id(head_obj), err);
	if (rc)
		goto done;
	if (git_commit_lookup(&base_commit, git->repo, &base_oid) < 0 ||
	    git_commit_tree(base, base_commit) < 0 ||
	    !(*head = pl_gitsrc__head_tree(git->repo))) {
		pl_gitsrc__why(why, sizeof(why), GIT_ERROR);
		pl_gitsrc__fix(fix, sizeof(fix), git->repo);
		rc = pl_error_set(err, PL_EGIT, NULL, NULL,
		                  "--diff-base: cannot read the trees of the "
		                  "merge base and HEAD: %s; %s",
		                  why, fix);
		goto done;
	}
done:
	git_commit_free(base_commit);
	git_object_free(head_obj);
	git_object_free(ref_obj);
	return rc;
}

int pl_git_changes(pl_git *git, const char *ref, bool worktree, bool lines,
                   pl_git_change **out, size_t *n, pl_error *err)
{
	git_tree *base = NULL, *head = NULL;
	git_diff *committed = NULL, *diff = NULL;
	char **paths = NULL;
	pl_git_change *items = NULL;
	size_t npaths = 0, nitems = 0, unread = 0, i, nd;
	char first[512] = "", why[160], fix[200];
	int rc = 0, lrc;

	*out = NULL;
	*n = 0;
	rc = base_and_head(git, ref, &base, &head, err);
	if (rc)
		goto done;
	/*
	 * Which files: base..HEAD. Deltas are listed without reading any
	 * content (trees hold the ids), so this works in a blobless clone.
	 */
	if (git_diff_tree_to_tree(&committed, git->repo, base, head, NULL) <
	    0) {
		pl_gitsrc__why(why, sizeof(why), GIT_ERROR);
		pl_gitsrc__fix(fix, sizeof(fix), git->repo);
		rc = pl_error_set(err, PL_EGIT, NULL, NULL,
		                  "--diff-base: cannot compare the merge base "
		                  "of '%.64s' with HEAD: %s; %s",
		                  ref, why, fix);
		goto done;
	}
	nd = git_diff_num_deltas(committed);
	paths = pl_xcalloc(nd ? nd : 1, sizeof(*paths));
	for (i = 0; i < nd; i++) {
		const git_diff_delta *d = git_diff_get_delta(committed, i);
		if (d->status != GIT_DELTA_DELETED)
			paths[npaths++] = (char *)d->new_file.path;
	}
	/* sorted once, so each lookup below is a binary search */
	qsort(paths, npaths, sizeof(*paths), cmp_str);
	/* what plumb reads is the work tree: the base against it */
	{
		git_diff_options opts;
		git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
		/* new files not yet added count as uncommitted changes */
		if (worktree)
			opts.flags |= GIT_DIFF_INCLUDE_UNTRACKED |
			              GIT_DIFF_RECURSE_UNTRACKED_DIRS |
			              GIT_DIFF_SHOW_UNTRACKED_CONTENT;
		lrc = git_diff_tree_to_workdir_with_index(&diff, git->repo,
		                                          base, &opts);
	}
	if (lrc < 0) {
		pl_gitsrc__why(why, sizeof(why), lrc);
		rc = pl_error_set(err, PL_EGIT, NULL, NULL,
		                  "--diff-base: cannot compare the work tree "
		                  "with the merge base of '%.64s': %s",
		                  ref, why);
		goto done;
	}
	nd = git_diff_num_deltas(diff);
	items = pl_xcalloc(nd ? nd : 1, sizeof(*items));
	for (i = 0; i < nd; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *path = d->new_file.path;
		pl_git_change *c;
		if (d->status == GIT_DELTA_DELETED)
			continue;
		if (!worktree && !(npaths && bsearch(&path, paths, npaths,
		                                     sizeof(*paths), cmp_str)))
			continue;
		c = &items[nitems++];
		c->path = pl_xstrdup(path);
		if (!lines)
			continue;
		lrc = added_lines(c, diff, i);
		if (lrc < 0 && unread++ == 0) {
			char hex[GIT_OID_HEXSZ + 1];
			pl_gitsrc__why(why, sizeof(why), lrc);
			git_oid_tostr(hex, sizeof(hex), &d->old_file.id);
			snprintf(first, sizeof(first),
			         "'%.80s' at the merge base (blob %.7s: %s)",
			         d->old_file.path, hex, why);
		}
	}
	if (unread) {
		pl_gitsrc__fix(fix, sizeof(fix), git->repo);
		rc = pl_error_set(err, PL_EGIT, NULL, NULL,
		                  "--new-only: cannot read %s%s; %s", first,
		                  unread > 1 ? " and others" : "", fix);
		goto done;
	}
	qsort(items, nitems, sizeof(*items), cmp_change);
	*out = items;
	*n = nitems;
	items = NULL;
	nitems = 0;
done:
	pl_git_changes_free(items, nitems);
	free(paths);
	git_diff_free(diff);
	git_diff_free(committed);
	git_tree_free(head);
	git_tree_free(base);
	return rc;
}

void pl_git_changes_free(pl_git_change *c, size_t n)
{
	size_t i;
	for (i = 0; c && i < n; i++) {
		free(c[i].path);
		free(c[i].lines);
	}
	free(c);
}
