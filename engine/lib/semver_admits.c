/*
 * semver_admits.c - what a compiled range admits, decided without
 * enumerating versions: whether it has an upper bound
 * (pl_semver_range_has_upper_bound), whether it lets an image move across
 * a major (pl_semver_range_spans_majors), and Flux's pick among image tags
 * (pl_semver_latest). Reads the compiled comparators of semver_impl.h and
 * matches through semver_range.c.
 */
#include "lib/semver_impl.h"
#include "base/xalloc.h"

/*
 * A comparator only compares a version's major (then minor, then patch)
 * with its own by <, = and >. So the majors that no comparator names fall
 * in gaps between the named ones, and all versions of a gap behave alike;
 * a gap's smallest member stands for it. Inside a named major the same
 * holds for minors, then for patches. Inside one named triple only the
 * prerelease is left: the satisfying prereleases are an interval minus
 * the points that `!=` comparators remove, so the interval's lowest
 * element ("0", a comparator's prerelease, or its successor p + ".0") and
 * its next few successors are enough to find a member. In gaps a release
 * is as good a probe as any prerelease (it passes the prerelease gate).
 */
typedef struct sv_probe {
	const pl_semver_range *r;
	uint64_t *vals; /* scratch, 2 * ncmps + 1 */
	size_t nne;     /* `!=` comparators: points a chain must step over */
	char pre[PL_SEMVER_RANGE_MAX + 2 * (PL_SEMVER_MAX_COMPARATORS + 2) + 2];
} sv_probe;

static bool probe(const sv_probe *pb, uint64_t ma, uint64_t mi, uint64_t pa,
                  const char *pre, size_t prelen)
{
	pl_semver v;
	memset(&v, 0, sizeof(v));
	v.major = ma;
	v.minor = mi;
	v.patch = pa;
	v.pre = pre;
	v.pre_len = prelen;
	return pl_semver_range_match(pb->r, &v);
}

static int cmp_val(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/*
 * Fills pb->vals with the sorted probes of one level: 0, each value named
 * by a comparator whose higher parts equal `prefix` (depth 0: all; 1:
 * same major; 2: same major and minor) and each such value + 1.
 */
static size_t classes(sv_probe *pb, int depth, uint64_t ma, uint64_t mi)
{
	size_t i, n = 0, m = 0;
	pb->vals[n++] = 0;
	for (i = 0; i < pb->r->ncmps; i++) {
		const pl_semver *k = &pb->r->cmps[i].con;
		uint64_t x = depth == 0   ? k->major
		             : depth == 1 ? k->minor
		                          : k->patch;
		if ((depth >= 1 && k->major != ma) ||
		    (depth == 2 && k->minor != mi))
			continue;
		pb->vals[n++] = x;
		if (x < UINT64_MAX)
			pb->vals[n++] = x + 1;
	}
	qsort(pb->vals, n, sizeof(uint64_t), cmp_val);
	for (i = 0; i < n; i++)
		if (m == 0 || pb->vals[m - 1] != pb->vals[i])
			pb->vals[m++] = pb->vals[i];
	return m;
}

/* Is x named at this level (as opposed to the first member of a gap)? */
static bool named(const sv_probe *pb, int depth, uint64_t ma, uint64_t mi,
                  uint64_t x)
{
	size_t i;
	for (i = 0; i < pb->r->ncmps; i++) {
		const pl_semver *k = &pb->r->cmps[i].con;
		if (depth == 0 && k->major == x)
			return true;
		if (depth == 1 && k->major == ma && k->minor == x)
			return true;
		if (depth == 2 && k->major == ma && k->minor == mi &&
		    k->patch == x)
			return true;
	}
	return false;
}

/* The prerelease chain from start: start, start.0, start.0.0, ... */
static bool chain(sv_probe *pb, uint64_t ma, uint64_t mi, uint64_t pa,
                  const char *start, size_t n)
{
	size_t k;
	memcpy(pb->pre, start, n);
	for (k = 0;; k++) {
		if (probe(pb, ma, mi, pa, pb->pre, n))
			return true;
		if (k == pb->nne + 1)
			return false;
		memcpy(pb->pre + n, ".0", 2);
		n += 2;
	}
}

static bool triple_admits(sv_probe *pb, uint64_t ma, uint64_t mi, uint64_t pa)
{
	size_t i;
	if (probe(pb, ma, mi, pa, NULL, 0) || chain(pb, ma, mi, pa, "0", 1))
		return true;
	for (i = 0; i < pb->r->ncmps; i++) {
		const pl_semver *k = &pb->r->cmps[i].con;
		if (k->pre_len && k->major == ma && k->minor == mi &&
		    k->patch == pa && chain(pb, ma, mi, pa, k->pre, k->pre_len))
			return true;
	}
	return false;
}

static bool minor_admits(sv_probe *pb, uint64_t ma, uint64_t mi)
{
	uint64_t vals[2 * PL_SEMVER_MAX_COMPARATORS + 1];
	size_t n = classes(pb, 2, ma, mi), i;
	memcpy(vals, pb->vals, n * sizeof(uint64_t));
	for (i = 0; i < n; i++)
		if (triple_admits(pb, ma, mi, vals[i]))
			return true;
	return false;
}

static bool major_admits(sv_probe *pb, uint64_t ma)
{
	uint64_t vals[2 * PL_SEMVER_MAX_COMPARATORS + 1];
	size_t n = classes(pb, 1, ma, 0), i;
	memcpy(vals, pb->vals, n * sizeof(uint64_t));
	for (i = 0; i < n; i++) {
		if (named(pb, 1, ma, 0, vals[i])
		            ? minor_admits(pb, ma, vals[i])
		            : probe(pb, ma, vals[i], 0, NULL, 0))
			return true;
	}
	return false;
}

static void probe_init(sv_probe *pb, const pl_semver_range *r)
{
	size_t i;
	pb->r = r;
	pb->vals = pl_xmalloc((2 * r->ncmps + 1) * sizeof(uint64_t));
	pb->nne = 0;
	for (i = 0; i < r->ncmps; i++)
		if (r->cmps[i].op == PL_SEMVER__OP_NE)
			pb->nne++;
}

bool pl_semver_range_spans_majors(const pl_semver_range *r)
{
	uint64_t vals[2 * PL_SEMVER_MAX_COMPARATORS + 1];
	sv_probe *pb = pl_xmalloc(sizeof(*pb));
	size_t n, i, admitted = 0;
	bool spans = false;

	probe_init(pb, r);
	n = classes(pb, 0, 0, 0);
	memcpy(vals, pb->vals, n * sizeof(uint64_t));
	for (i = 0; i < n && !spans; i++) {
		uint64_t x = vals[i];
		if (named(pb, 0, 0, 0, x)) {
			if (major_admits(pb, x))
				admitted++;
		} else if (probe(pb, x, 0, 0, NULL, 0)) {
			/* a gap of two majors or more spans on its own */
			uint64_t next = i + 1 < n ? vals[i + 1] : UINT64_MAX;
			bool last = i + 1 == n;
			if ((last && x < UINT64_MAX) || next - x >= 2)
				spans = true;
			admitted++;
		}
		if (admitted >= 2)
			spans = true;
	}
	free(pb->vals);
	free(pb);
	return spans;
}

bool pl_semver_range_has_upper_bound(const pl_semver_range *r)
{
	sv_probe pb;
	uint64_t top = 0;
	size_t i;

	pb.r = r;
	for (i = 0; i < r->ncmps; i++)
		if (r->cmps[i].con.major > top)
			top = r->cmps[i].con.major;
	/* every major above the highest named one behaves alike */
	if (top < UINT64_MAX)
		return !probe(&pb, top + 1, 0, 0, NULL, 0);
	return !probe(&pb, UINT64_MAX, UINT64_MAX, UINT64_MAX, NULL, 0);
}

int pl_semver_latest(const pl_semver_range *r, const char *const *tags,
                     size_t ntags, size_t *index)
{
	pl_semver best, v;
	bool found = false;
	size_t i;

	memset(&best, 0, sizeof(best));
	for (i = 0; i < ntags; i++) {
		if (pl_semver_tag(&v, tags[i], strlen(tags[i]), NULL) != 0 ||
		    !pl_semver_range_match(r, &v))
			continue;
		if (!found || pl_semver_cmp(&v, &best) > 0) {
			best = v;
			*index = i;
			found = true;
		}
	}
	return found ? 0 : PL_ENOTFOUND;
}
