/*
 * kustomize_fields.c - the kustomization file as kustomize decodes it:
 * fields looked up case-insensitively, as Go's encoding/json matches
 * them; unknown fields refused before anything is built, as kustomize's
 * strict decoding does; and the fields and entry options plumb does not
 * build refused rather than silently ignored.
 */
#include "model/kustomize_impl.h"

#include <strings.h>

/* Fields plumb reads (sortOptions changes the order only, which plumb
 * does not reproduce); any other kustomize field (buildMetadata,
 * transformers, helmCharts, ...) is refused as not supported rather
 * than silently ignored. */
static const char *const known_fields[] = {"apiVersion",
                                           "bases",
                                           "commonAnnotations",
                                           "commonLabels",
                                           "components",
                                           "configMapGenerator",
                                           "generatorOptions",
                                           "images",
                                           "imageTags",
                                           "kind",
                                           "labels",
                                           "metadata",
                                           "namePrefix",
                                           "nameSuffix",
                                           "namespace",
                                           "patches",
                                           "patchesJson6902",
                                           "patchesStrategicMerge",
                                           "replicas",
                                           "resources",
                                           "secretGenerator",
                                           "sortOptions"};

/* kustomize decodes the file with Go's encoding/json, whose field names
 * match case-insensitively (patchesJSON6902 is patchesJson6902). */
const pl_node *kz_field(const pl_node *root, const char *key)
{
	const pl_node *v = NULL;
	uint32_t i;
	root = pl_node_deref(root);
	if (!root || root->kind != PL_NODE_MAPPING)
		return NULL;
	for (i = 0; i < root->u.map.len; i++) {
		const pl_node *k = pl_node_deref(root->u.map.pairs[i].key);
		if (k && k->kind == PL_NODE_SCALAR &&
		    strcasecmp(k->u.scalar.str, key) == 0)
			v = pl_node_deref(root->u.map.pairs[i].value);
	}
	if (v && v->kind == PL_NODE_SCALAR && v->type == PL_TYPE_NULL)
		return NULL;
	return v;
}

/*
 * kustomize decodes a kustomization strictly [K api/types/kustomization.go,
 * image.go, patch.go, selector.go, replica.go, labels.go,
 * configmapargs.go, generatorargs.go, kvpairsources.go,
 * generatoroptions.go]: an unknown field, at the top or inside an entry,
 * is "invalid Kustomization: json: unknown field" before anything is
 * built. A schema is a list of "field" or "field:subschema" strings.
 */
static const char *const s_target[] = {"group",
                                       "version",
                                       "kind",
                                       "name",
                                       "namespace",
                                       "labelSelector",
                                       "annotationSelector",
                                       NULL};
static const char *const s_options[] = {
        "labels", "annotations", "disableNameSuffixHash", "immutable", NULL};
static const char *const s_patch[] = {"path", "patch", "target", "options",
                                      NULL};
static const char *const s_json6902[] = {"path",  "patch",     "target",
                                         "group", "version",   "kind",
                                         "name",  "namespace", NULL};
static const char *const s_image[] = {"name",   "newName",   "newTag",
                                      "digest", "tagSuffix", NULL};
static const char *const s_replica[] = {"name", "count", NULL};
static const char *const s_label[] = {"pairs", "includeSelectors",
                                      "includeTemplates", "fields", NULL};
static const char *const s_generator[] = {
        "name", "namespace", "behavior", "literals",  "files", "envs",
        "env",  "options",   "type",     "kvSources", NULL};

typedef struct entry_schema {
	const char *field;
	const char *const *keys; /* of each list item (or of the mapping) */
	const char *const *sub;  /* of the item's "target"/"options" */
	const char *subkey;
} entry_schema;

static const entry_schema schemas[] = {
        {"patches", s_patch, s_target, "target"},
        {"patchesJson6902", s_json6902, s_target, "target"},
        {"images", s_image, NULL, NULL},
        {"imageTags", s_image, NULL, NULL},
        {"replicas", s_replica, NULL, NULL},
        {"labels", s_label, NULL, NULL},
        {"configMapGenerator", s_generator, s_options, "options"},
        {"secretGenerator", s_generator, s_options, "options"},
        {"generatorOptions", s_options, NULL, NULL},
};

/* Every kustomization field kustomize v5 knows. */
static const char *const kustomize_fields[] = {"apiVersion",
                                               "kind",
                                               "metadata",
                                               "openapi",
                                               "namePrefix",
                                               "nameSuffix",
                                               "namespace",
                                               "commonLabels",
                                               "labels",
                                               "commonAnnotations",
                                               "patchesStrategicMerge",
                                               "patchesJson6902",
                                               "patches",
                                               "images",
                                               "imageTags",
                                               "replacements",
                                               "replicas",
                                               "vars",
                                               "sortOptions",
                                               "resources",
                                               "components",
                                               "crds",
                                               "bases",
                                               "configMapGenerator",
                                               "secretGenerator",
                                               "helmGlobals",
                                               "helmCharts",
                                               "helmChartInflationGenerator",
                                               "generatorOptions",
                                               "configurations",
                                               "generators",
                                               "transformers",
                                               "validators",
                                               "buildMetadata",
                                               NULL};

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcasecmp(*list, s) == 0)
			return true;
	return false;
}

static int unknown_keys(kz_ctx *c, const pl_file *kf, const pl_node *m,
                        const char *const *keys)
{
	uint32_t i;
	m = pl_node_deref(m);
	if (!m || m->kind != PL_NODE_MAPPING)
		return 0;
	for (i = 0; i < m->u.map.len; i++) {
		const pl_node *k = pl_node_deref(m->u.map.pairs[i].key);
		if (k && k->kind == PL_NODE_SCALAR &&
		    !in_list(keys, k->u.scalar.str))
			return kz_fail(c, kf, k, PL_EPARSE,
			               "invalid Kustomization: unknown field "
			               "'%s'",
			               k->u.scalar.str);
	}
	return 0;
}

/* In document order, as Go's decoder meets the fields. */
int kz_validate(kz_ctx *c, const pl_file *kf, const pl_node *root)
{
	uint32_t p;
	size_t i, j;
	int rc = unknown_keys(c, kf, root, kustomize_fields);
	for (p = 0; !rc && p < root->u.map.len; p++) {
		const pl_node *k = pl_node_deref(root->u.map.pairs[p].key);
		const pl_node *v = pl_node_deref(root->u.map.pairs[p].value);
		const entry_schema *sc = NULL;
		for (i = 0; k && k->kind == PL_NODE_SCALAR &&
		            i < PL_ARRAY_SIZE(schemas);
		     i++)
			if (strcasecmp(schemas[i].field, k->u.scalar.str) == 0)
				sc = &schemas[i];
		if (!sc || !v)
			continue;
		if (v->kind == PL_NODE_MAPPING) {
			rc = unknown_keys(c, kf, v, sc->keys);
			continue;
		}
		for (j = 0;
		     !rc && v->kind == PL_NODE_SEQUENCE && j < v->u.seq.len;
		     j++) {
			const pl_node *e = pl_node_deref(v->u.seq.items[j]);
			rc = unknown_keys(c, kf, e, sc->keys);
			if (!rc && sc->sub)
				rc = unknown_keys(c, kf,
				                  kz_field(e, sc->subkey),
				                  sc->sub);
		}
	}
	return rc;
}

/* Entry fields plumb does not apply: refused, never ignored. */
static int unsupported_entries(kz_ctx *c, const pl_file *kf,
                               const pl_node *root)
{
	static const struct {
		const char *field, *sub, *key;
	} refused[] = {
	        {"labels", NULL, "fields"},
	        {"patches", "options", "allowNameChange"},
	        {"patches", "options", "allowKindChange"},
	};
	size_t i, j;
	for (i = 0; i < PL_ARRAY_SIZE(refused); i++) {
		const pl_node *list = kz_field(root, refused[i].field);
		for (j = 0; list && list->kind == PL_NODE_SEQUENCE &&
		            j < list->u.seq.len;
		     j++) {
			const pl_node *e = pl_node_deref(list->u.seq.items[j]);
			const pl_pair *p;
			if (refused[i].sub)
				e = kz_field(e, refused[i].sub);
			p = pl_node_get_pair(e, refused[i].key);
			if (p &&
			    !pl_node_is_str(pl_node_deref(p->value), "false"))
				return kz_fail(c, kf, p->key, PL_EPARSE,
				               "%s field '%s' is not supported "
				               "by plumb build",
				               refused[i].field,
				               refused[i].key);
		}
	}
	return 0;
}

int kz_check_fields(kz_ctx *c, const pl_file *kf, const pl_node *root)
{
	uint32_t i;
	size_t j;
	const pl_node *images = kz_field(root, "images");
	for (i = 0; i < root->u.map.len; i++) {
		const pl_node *k = pl_node_deref(root->u.map.pairs[i].key);
		bool known = false;
		if (!k || k->kind != PL_NODE_SCALAR)
			continue;
		for (j = 0; j < PL_ARRAY_SIZE(known_fields); j++)
			if (strcasecmp(known_fields[j], k->u.scalar.str) == 0)
				known = true;
		if (!known)
			return kz_fail(c, kf, k, PL_EPARSE,
			               "kustomization field '%s' is not "
			               "supported by plumb build",
			               k->u.scalar.str);
	}
	for (j = 0; images && images->kind == PL_NODE_SEQUENCE &&
	            j < images->u.seq.len;
	     j++) {
		const pl_node *e = pl_node_deref(images->u.seq.items[j]);
		const pl_pair *p = pl_node_get_pair(e, "tagSuffix");
		if (p)
			return kz_fail(c, kf, p->key, PL_EPARSE,
			               "images field 'tagSuffix' is not "
			               "supported by plumb build");
	}
	return unsupported_entries(c, kf, root);
}
