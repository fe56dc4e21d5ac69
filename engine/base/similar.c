/*
 * similar.c - edit distance for did-you-mean suggestions (similar.h).
 */
#include "base/similar.h"
#include "base/xalloc.h"

size_t pl_similar_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t *row, d;

	if (la > 128 || lb > 128)
		return SIZE_MAX;
	row = pl_xmalloc((lb + 1) * sizeof(*row));
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

const char *pl_similar_best(const char *name, const char *const *candidates,
                            size_t n, size_t max)
{
	const char *best = NULL;
	size_t best_d = max + 1, i;

	for (i = 0; i < n; i++) {
		size_t d = pl_similar_distance(name, candidates[i]);
		if (d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	return best;
}
