/*
 * registry.c - rule table checks and lookups.
 */
#include "rule/registry.h"
#include "base/xalloc.h"
#include "base/similar.h"
#include "base/quote.h"

static bool kebab(const char *s, size_t n)
{
	size_t i;
	if (n == 0 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return false;
		if (c == '-' && i + 1 < n && s[i + 1] == '-')
			return false;
	}
	return true;
}

bool pl_rule_id_valid(const char *id)
{
	const char *slash = strchr(id, '/');
	if (!slash || strchr(slash + 1, '/'))
		return false;
	return kebab(id, (size_t)(slash - id)) &&
	       kebab(slash + 1, strlen(slash + 1));
}

int pl_registry_init(pl_registry *r, const pl_rule *const *rules, size_t n,
                     pl_error *err)
{
	size_t i;

	r->rules = rules;
	r->owned = NULL;
	r->len = n;
	r->severity = pl_xcalloc(n, sizeof(*r->severity));
	r->state = pl_xcalloc(n, sizeof(*r->state));
	r->settings = pl_xcalloc(n, sizeof(*r->settings));
	pl_map_init(&r->by_kind);
	pl_vec_init(&r->any_kind, sizeof(size_t));
	pl_vec_init(&r->kind_lists, sizeof(pl_vec *));
	r->indexed = false;
	for (i = 0; i < n; i++) {
		const pl_rule *x = rules[i];
		size_t sl = x->summary ? strlen(x->summary) : 0;
		bool has_check = x->scope == PL_SCOPE_FILE ? !!x->check_file
		                                           : !!x->check_object;
		/* a rule the suppression stage reports is never dispatched:
		 * no check function, no file kind, no object kind */
		if (x->stage == PL_STAGE_SUPPRESSION)
			has_check = !x->check_file && !x->check_object &&
			            !x->file_kinds && x->scope == PL_SCOPE_FILE;
		if (!x->id || !pl_rule_id_valid(x->id))
			return pl_error_set(err, PL_EINTERNAL, NULL, NULL,
			                    "rule %zu: bad id '%s'", i,
			                    x->id ? x->id : "(null)");
		if (i > 0 && strcmp(rules[i - 1]->id, x->id) >= 0)
			return pl_error_set(err, PL_EINTERNAL, NULL, NULL,
			                    "rule table not sorted or has a "
			                    "duplicate at '%s'",
			                    x->id);
		if (sl == 0 || x->summary[sl - 1] == '.' || !x->help ||
		    !x->help[0])
			return pl_error_set(err, PL_EINTERNAL, NULL, NULL,
			                    "rule '%s': summary or help "
			                    "missing, or summary ends in '.'",
			                    x->id);
		if (!has_check || x->severity == PL_SEV_OFF)
			return pl_error_set(err, PL_EINTERNAL, NULL, NULL,
			                    "rule '%s': no check function "
			                    "for its scope, or no severity",
			                    x->id);
		r->severity[i] = x->severity;
	}
	return 0;
}

int pl_registry_prepare(pl_registry *r, pl_error *err)
{
	size_t i;
	for (i = 0; i < r->len; i++) {
		int rc;
		if (!r->rules[i]->prepare || r->state[i])
			continue;
		rc = r->rules[i]->prepare(&r->state[i], err);
		if (rc)
			return rc;
	}
	return 0;
}

static void drop_index(pl_registry *r)
{
	size_t i;
	for (i = 0; i < r->kind_lists.len; i++) {
		pl_vec *v = *(pl_vec **)pl_vec_at(&r->kind_lists, i);
		pl_vec_release(v);
		free(v);
	}
	pl_vec_truncate(&r->kind_lists, 0);
	pl_vec_truncate(&r->any_kind, 0);
	pl_map_reset(&r->by_kind);
	r->indexed = false;
}

/* The list of kind k, made (with the rules of every kind so far, which
 * come before in registry order) on first sight. */
static pl_vec *kind_list(pl_registry *r, const char *k)
{
	pl_vec *v = pl_map_get(&r->by_kind, k, strlen(k));
	if (!v) {
		v = pl_xmalloc(sizeof(*v));
		pl_vec_init(v, sizeof(size_t));
		size_t i;
		for (i = 0; i < r->any_kind.len; i++)
			pl_vec_append(v, pl_vec_at(&r->any_kind, i));
		pl_map_put(&r->by_kind, k, strlen(k), v, NULL);
		pl_vec_append(&r->kind_lists, &v);
	}
	return v;
}

void pl_registry_index(pl_registry *r)
{
	size_t i, j;

	drop_index(r);
	for (i = 0; i < r->len; i++) {
		const pl_rule *x = r->rules[i];
		const char *const *k;
		if (x->scope != PL_SCOPE_OBJECT || r->severity[i] == PL_SEV_OFF)
			continue;
		if (x->kinds) {
			for (k = x->kinds; *k; k++) {
				pl_vec *v = kind_list(r, *k);
				/* a kind listed twice by one rule: once */
				if (!v->len ||
				    *(size_t *)pl_vec_at(v, v->len - 1) != i)
					pl_vec_append(v, &i);
			}
			continue;
		}
		/* every kind: the known lists and the fallback */
		for (j = 0; j < r->kind_lists.len; j++)
			pl_vec_append(*(pl_vec **)pl_vec_at(&r->kind_lists, j),
			              &i);
		pl_vec_append(&r->any_kind, &i);
	}
	r->indexed = true;
}

int pl_registry_bind(pl_registry *r, const pl_model *m, const pl_rule_env *env,
                     pl_error *err)
{
	size_t i;
	pl_registry_index(r);
	for (i = 0; i < r->len; i++) {
		int rc;
		if (!r->rules[i]->bind || !r->state[i] ||
		    r->severity[i] == PL_SEV_OFF)
			continue;
		rc = r->rules[i]->bind(r->state[i], m, env, err);
		if (rc)
			return rc;
	}
	return 0;
}

void pl_registry_release(pl_registry *r)
{
	size_t i;
	if (!r)
		return;
	for (i = 0; r->state && i < r->len; i++)
		if (r->state[i] && r->rules[i]->release)
			r->rules[i]->release(r->state[i]);
	free(r->state);
	free(r->settings);
	free(r->owned);
	drop_index(r);
	pl_vec_release(&r->kind_lists);
	pl_vec_release(&r->any_kind);
	pl_map_release(&r->by_kind);
	r->owned = NULL;
	r->state = NULL;
	free(r->severity);
	r->severity = NULL;
	r->rules = NULL;
	r->len = 0;
}

const pl_rule *pl_registry_find(const pl_registry *r, const char *id,
                                size_t *index)
{
	size_t lo = 0, hi = r->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(r->rules[mid]->id, id);
		if (c == 0) {
			if (index)
				*index = mid;
			return r->rules[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Levenshtein distance, capped: strings of ids are short. */

const char *pl_registry_suggest(const pl_registry *r, const char *id)
{
	const char *best = NULL;
	size_t best_d = 4, i;
	for (i = 0; i < r->len; i++) {
		const char *name = strchr(r->rules[i]->id, '/');
		size_t d = pl_similar_distance(id, r->rules[i]->id);
		/* `duplicate-key` alone, or misspelt, should find
		 * yaml/duplicate-key */
		if (name && !strchr(id, '/')) {
			size_t dn = pl_similar_distance(id, name + 1);
			if (dn < d)
				d = dn;
		}
		if (d < best_d) {
			best_d = d;
			best = r->rules[i]->id;
		}
	}
	return best;
}

/* The family closest to id[0..n) (edit distance at most 2), into buf. */
static const char *suggest_family(const pl_registry *r, const char *id,
                                  size_t n, char *buf, size_t size)
{
	char want[64];
	size_t k, best_d = 3;
	const char *best = NULL;

	if (n >= sizeof(want))
		return NULL;
	memcpy(want, id, n);
	want[n] = '\0';
	for (k = 0; k < r->len; k++) {
		const char *slash = strchr(r->rules[k]->id, '/');
		size_t len = slash ? (size_t)(slash - r->rules[k]->id) : 0, d;
		if (!len || len >= size)
			continue;
		memcpy(buf, r->rules[k]->id, len);
		buf[len] = '\0';
		d = pl_similar_distance(want, buf);
		if (d < best_d) {
			best_d = d;
			best = r->rules[k]->id;
		}
	}
	if (!best)
		return NULL;
	snprintf(buf, size, "%.*s", (int)(strchr(best, '/') - best), best);
	return buf;
}

static void toggle_one(pl_registry *r, size_t k, bool on)
{
	if (!on)
		r->severity[k] = PL_SEV_OFF;
	else if (r->severity[k] == PL_SEV_OFF)
		r->severity[k] = r->rules[k]->severity;
}

int pl_registry_toggle(pl_registry *r, const char *id, bool on,
                       const char *what, pl_error *err)
{
	size_t n = strlen(id), k, hits = 0, idx;
	const char *s;
	char q[96], fam[64];

	/* a family: `secrets`, `secrets/` or `secrets/` + star */
	if (n >= 1 && id[n - 1] == '*')
		n--;
	if (n >= 1 && id[n - 1] == '/')
		n--;
	if (n > 0 && !memchr(id, '/', n)) {
		for (k = 0; k < r->len; k++)
			if (strncmp(r->rules[k]->id, id, n) == 0 &&
			    r->rules[k]->id[n] == '/') {
				toggle_one(r, k, on);
				hits++;
			}
		if (hits)
			return 0;
	} else if (pl_registry_find(r, id, &idx)) {
		toggle_one(r, idx, on);
		return 0;
	}
	pl_quote(q, sizeof(q), id, strlen(id), 60);
	s = n > 0 && !memchr(id, '/', n)
	            ? suggest_family(r, id, n, fam, sizeof(fam))
	            : NULL;
	if (!s)
		s = pl_registry_suggest(r, id);
	if (s)
		return pl_error_set(err, PL_EUSAGE, NULL, NULL,
		                    "%s: unknown rule or family '%s' (did you "
		                    "mean '%s'?)",
		                    what, q, s);
	return pl_error_set(err, PL_EUSAGE, NULL, NULL,
	                    "%s: unknown rule or family '%s' (plumb rules "
	                    "lists them)",
	                    what, q);
}

static int cmp_rule(const void *a, const void *b)
{
	return strcmp((*(const pl_rule *const *)a)->id,
	              (*(const pl_rule *const *)b)->id);
}

int pl_registry_add(pl_registry *r, const pl_rule *const *rules,
                    void *const *states, size_t n, pl_error *err)
{
	size_t total = r->len + n, i;
	const pl_rule **merged = pl_xcalloc(total ? total : 1, sizeof(*merged));
	pl_severity *sev = pl_xcalloc(total ? total : 1, sizeof(*sev));
	void **state = pl_xcalloc(total ? total : 1, sizeof(*state));
	const pl_node **settings =
	        pl_xcalloc(total ? total : 1, sizeof(*settings));

	memcpy(merged, r->rules, r->len * sizeof(*merged));
	memcpy(merged + r->len, rules, n * sizeof(*merged));
	qsort(merged, total, sizeof(*merged), cmp_rule);
	for (i = 1; i < total; i++)
		if (strcmp(merged[i - 1]->id, merged[i]->id) == 0) {
			const pl_rule *a = merged[i - 1], *b = merged[i];
			int rc = pl_error_set(
			        err, PL_ERULE, NULL, NULL,
			        "rule '%s' is defined twice (%s and %s)", a->id,
			        a->origin ? a->origin : "built in",
			        b->origin ? b->origin : "built in");
			free(merged);
			free(sev);
			free(state);
			free(settings);
			return rc;
		}
	/* carry each rule's severity, state and settings to its new place */
	for (i = 0; i < total; i++) {
		size_t j;
		for (j = 0; j < r->len; j++)
			if (r->rules[j] == merged[i]) {
				sev[i] = r->severity[j];
				state[i] = r->state[j];
				settings[i] = r->settings[j];
				break;
			}
		if (j < r->len)
			continue;
		for (j = 0; j < n; j++)
			if (rules[j] == merged[i]) {
				sev[i] = rules[j]->severity;
				state[i] = states[j];
				break;
			}
	}
	free(r->owned);
	free(r->severity);
	free(r->state);
	free(r->settings);
	drop_index(r); /* positions moved */
	r->owned = merged;
	r->rules = merged;
	r->len = total;
	r->severity = sev;
	r->state = state;
	r->settings = settings;
	return 0;
}
