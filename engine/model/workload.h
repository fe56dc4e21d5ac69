/*
 * workload.h - typed, read-only views of the workloads in a pl_object:
 * the pod spec of each workload kind, its containers, their env and
 * envFrom entries, and whether a container ends up with a variable.
 *
 * Views borrow from the object's tree (valid while its file's arena is)
 * and allocate nothing. Every accessor takes whatever the YAML holds:
 * a node of the wrong kind (or a null scalar where a name, image or
 * prefix belongs) reads as absent, aliases are followed, and
 * nothing here can fail or crash on a malformed manifest; the schema/
 * rules are the ones to report the shape. Iterators are plain structs on
 * the caller's stack, used as
 *     pl_container_iter_init(&it, spec, PL_CONTAINERS_POD);
 *     while (pl_container_next(&it, &c)) ...
 */
#ifndef PL_WORKLOAD_H
#define PL_WORKLOAD_H

#include "model/model.h"

/*
 * The pod spec of a workload: `spec` of a Pod; `spec.template.spec` of a
 * Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController
 * or Job; `spec.jobTemplate.spec.template.spec` of a CronJob. Matched by
 * kind whatever the apiVersion, since CRDs that reuse these kinds
 * (OpenKruise's StatefulSet) share the shape. Sets *out to a mapping and
 * returns true, or returns false (and *out = NULL) for any other kind or
 * when a step of the path is missing or not a mapping.
 */
bool pl_workload_pod_spec(const pl_object *o, const pl_node **out);
/* The same for the pod template (the mapping with the pod's metadata and
 * spec): the object's root for a Pod. */
bool pl_workload_pod_template(const pl_object *o, const pl_node **out);

/* Which lists a container comes from; also the bits that select them. */
typedef enum pl_container_kind {
	PL_CONTAINER_INIT = 1 << 0,      /* initContainers */
	PL_CONTAINER_APP = 1 << 1,       /* containers */
	PL_CONTAINER_EPHEMERAL = 1 << 2, /* ephemeralContainers */
} pl_container_kind;

/* What a pod runs: init containers, then containers. Ephemeral
 * containers are debugging sessions, rarely in git; ask for them. */
#define PL_CONTAINERS_POD (PL_CONTAINER_INIT | PL_CONTAINER_APP)
#define PL_CONTAINERS_ALL (PL_CONTAINERS_POD | PL_CONTAINER_EPHEMERAL)

typedef struct pl_container {
	const pl_node *node;     /* the container's mapping */
	const pl_node *name;     /* scalar, or NULL */
	const pl_node *image;    /* scalar, or NULL (see image.h) */
	const pl_node *env;      /* sequence, or NULL */
	const pl_node *env_from; /* sequence, or NULL */
	pl_container_kind kind;
	size_t index; /* position in its list, for messages */
} pl_container;

typedef struct pl_container_iter {
	const pl_node *pod_spec;
	unsigned which;
	unsigned list; /* 0 init, 1 app, 2 ephemeral, 3 done */
	size_t next;
} pl_container_iter;

/* Iterates the containers of pod_spec (may be NULL: no containers) in
 * the lists `which` selects, in that order. Entries that are not
 * mappings are skipped; their index is still counted. */
void pl_container_iter_init(pl_container_iter *it, const pl_node *pod_spec,
                            unsigned which);
/* Fills *out and returns true, or returns false when done. */
bool pl_container_next(pl_container_iter *it, pl_container *out);
/* "initContainers", "containers" or "ephemeralContainers". */
const char *pl_container_list_key(pl_container_kind kind);

typedef struct pl_env_var {
	const pl_node *node;       /* the entry's mapping */
	const pl_node *name;       /* scalar, or NULL */
	const pl_node *value;      /* any node, or NULL */
	const pl_node *value_from; /* any node, or NULL */
	size_t index;
} pl_env_var;

typedef enum pl_env_source {
	PL_ENV_FROM_CONFIGMAP, /* configMapRef */
	PL_ENV_FROM_SECRET,    /* secretRef */
	PL_ENV_FROM_NONE,      /* neither (invalid in Kubernetes) */
} pl_env_source;

typedef struct pl_env_from {
	const pl_node *node;   /* the entry's mapping */
	const pl_node *ref;    /* the configMapRef/secretRef mapping, or NULL */
	const pl_node *name;   /* ref's name: scalar, or NULL */
	const pl_node *prefix; /* scalar, or NULL */
	pl_env_source source;  /* configMapRef wins if both are written */
	bool optional;         /* ref's `optional: true` */
	size_t index;
} pl_env_from;

/* Walks one sequence of a container: env or envFrom. */
typedef struct pl_env_iter {
	const pl_node *seq;
	size_t next;
} pl_env_iter;

/* Iterates c->env; entries that are not mappings are skipped. */
void pl_env_iter_init(pl_env_iter *it, const pl_container *c);
bool pl_env_next(pl_env_iter *it, pl_env_var *out);
/* Iterates c->env_from, likewise. */
void pl_env_from_iter_init(pl_env_iter *it, const pl_container *c);
bool pl_env_from_next(pl_env_iter *it, pl_env_from *out);

/* The env entry named `name` (the last one, as the kubelet lets a later
 * entry override an earlier one): fills *out and returns true. */
bool pl_container_env_find(const pl_container *c, const char *name,
                           pl_env_var *out);
/* Its `value` node; NULL when there is no such entry or it has none
 * (valueFrom only). */
const pl_node *pl_container_env_value(const pl_container *c, const char *name);

/*
 * Finds an object of the run: the first with this kind, name and
 * namespace when prev is NULL, the next one with the same identity after
 * prev otherwise (kustomize overlays can repeat an identity); NULL at the
 * end. ns is what the caller passed to pl_container_env_defines. A simple
 * lookup may return NULL whenever prev is not NULL. Over the run's model
 * it is pl_model_get(m, NULL, kind, ns, name), then pl_model_next(m, prev,
 * NULL) (model.h).
 */
typedef const pl_object *(*pl_object_lookup)(void *arg, const char *kind,
                                             const char *ns, const char *name,
                                             const pl_object *prev);

/* At most this many objects are read per envFrom source, whatever a
 * lookup keeps returning. */
#define PL_ENV_LOOKUP_MAX 256

typedef enum pl_env_answer {
	PL_ENV_UNDEFINED, /* no env entry, no envFrom source has the key */
	PL_ENV_DEFINED,   /* an env entry, or a found source has the key */
	PL_ENV_UNKNOWN,   /* not defined by what is known, and an envFrom
	                   * source is not in the repository (or malformed) */
} pl_env_answer;

/*
 * Whether container c gets variable `name`: from an env entry, or from an
 * envFrom source whose prefix starts `name` and whose ConfigMap (keys of
 * `data` and `binaryData`) or Secret (`data` and `stringData`) has the
 * rest of `name` as a key. Sources are looked up with kind "ConfigMap"
 * or "Secret", namespace ns (the pod's effective namespace, may be NULL)
 * and the ref's name; lookup may be NULL (every source unknown). A source
 * counts if any object with its identity has the key.
 */
pl_env_answer pl_container_env_defines(const pl_container *c, const char *name,
                                       const char *ns, pl_object_lookup lookup,
                                       void *arg);

#endif
