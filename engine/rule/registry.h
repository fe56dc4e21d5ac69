/*
 * registry.h - the rules of a run: the built-in table plus, later, the
 * loaded declarative packs, each with its effective severity.
 *
 * The registry borrows the rule descriptors (static for built-ins). It
 * receives its table from the caller (rules/builtin/table.c in plumb, a
 * fake table in unit tests) and knows nothing else of the catalogue.
 * Read-only once built, so workers share it.
 */
#ifndef PL_REGISTRY_H
#define PL_REGISTRY_H

#include "base/error.h"
#include "base/map.h"
#include "base/vec.h"
#include "rule/rule.h"

typedef struct pl_registry {
	const pl_rule *const *rules; /* sorted by id */
	const pl_rule **owned;       /* rules, once declarative ones joined */
	size_t len;
	pl_severity *severity; /* effective, parallel to rules; owned */
	void **state;          /* what each rule's prepare built; owned */
	/* each rule\'s .plumb.yaml mapping or NULL; borrowed from the config */
	const pl_node **settings;
	/* The dispatch index (pl_registry_index): per kind, the positions
	 * of the object rules that apply to it and are not off; any_kind
	 * for a kind no rule names (rules without kinds). */
	pl_map by_kind;    /* kind -> pl_vec * of size_t */
	pl_vec any_kind;   /* size_t */
	pl_vec kind_lists; /* pl_vec *: the values of by_kind */
	bool indexed;
} pl_registry;

/*
 * Builds a registry over rules[0..n). Returns PL_EINTERNAL if the table is
 * not sorted by id, has a duplicate id, or a rule is malformed (id not
 * `family/kebab-name`, empty summary or help, summary ending in a period,
 * no check function for its scope): a bug of ours, caught by the tests.
 */
int pl_registry_init(pl_registry *r, const pl_rule *const *rules, size_t n,
                     pl_error *err);
void pl_registry_release(pl_registry *r);
/*
 * Adds rules (declarative ones: each with its state, not released by the
 * registry) to the table, keeping it sorted. PL_ERULE, naming both
 * origins, when an id is taken. Call before pl_config_apply, so that
 * .plumb.yaml can name them.
 */
int pl_registry_add(pl_registry *r, const pl_rule *const *rules,
                    void *const *states, size_t n, pl_error *err);
/* Runs every rule's prepare hook (compiles patterns once per run).
 * Returns 0 or the first failure's code; the registry must then still be
 * released. */
int pl_registry_prepare(pl_registry *r, pl_error *err);
/*
 * Builds the per-kind dispatch index over the object rules not off; call
 * again after severities change. pl_eval_file uses it when built (and
 * checks each rule's kinds otherwise). pl_registry_bind calls it.
 */
void pl_registry_index(pl_registry *r);
/* Builds the dispatch index, then runs the bind hook of every rule that
 * is not off, after the model is built and before the workers start. Returns 0
 * or the first failure (PL_EPARSE/PL_EIO for a --schema-location file, with its
 * position). */
int pl_registry_bind(pl_registry *r, const pl_model *m, const pl_rule_env *env,
                     pl_error *err);
/* The rule with this id, or NULL; *index gets its position if not NULL. */
const pl_rule *pl_registry_find(const pl_registry *r, const char *id,
                                size_t *index);
/* The id closest to `id` (edit distance at most 3), or NULL. */
const char *pl_registry_suggest(const pl_registry *r, const char *id);
/*
 * --enable / --disable: switches the rule `id`, or every rule of a
 * family (`secrets`, `secrets/`, or `secrets/` and a star), on or off.
 * On gives a rule that is off its default severity and leaves one that
 * is on (at a severity .plumb.yaml chose) as it is. what names the
 * option in errors.
 * PL_EUSAGE, with a did-you-mean, when nothing has that id or family.
 */
int pl_registry_toggle(pl_registry *r, const char *id, bool on,
                       const char *what, pl_error *err);
/* True if id is `family/kebab-name` (lower-case a-z, 0-9, '-'). */
bool pl_rule_id_valid(const char *id);

#endif
