/*
 * node.c - read accessors over the typed tree.
 */
#include "tree/node.h"

bool pl_node_is_str(const pl_node *n, const char *s)
{
	size_t len;
	n = pl_node_deref(n);
	if (!n || n->kind != PL_NODE_SCALAR)
		return false;
	len = strlen(s);
	return n->u.scalar.len == len && memcmp(n->u.scalar.str, s, len) == 0;
}

/* A scalar key equal to the len bytes at key; keys are almost always
 * plain scalars, so the length test rejects most pairs before memcmp. */
static inline bool key_is(const pl_node *k, const char *key, size_t len)
{
	if (k->kind == PL_NODE_ALIAS)
		k = pl_node_deref(k);
	return k && k->kind == PL_NODE_SCALAR && k->u.scalar.len == len &&
	       memcmp(k->u.scalar.str, key, len) == 0;
}

const pl_pair *pl_node_get_pair(const pl_node *m, const char *key)
{
	const pl_pair *found = NULL;
	size_t i, len;

	m = pl_node_deref(m);
	if (!m || m->kind != PL_NODE_MAPPING)
		return NULL;
	/* measured once per lookup, not once per pair */
	len = strlen(key);
	for (i = 0; i < m->u.map.len; i++) {
		const pl_pair *p = &m->u.map.pairs[i];
		if (key_is(p->key, key, len)) {
			/* explicit pairs come first; a merged pair never
			 * overrides an explicit one */
			if (found && (p->flags & PL_PAIR_MERGED))
				break;
			found = p;
		}
	}
	return found;
}

const pl_node *pl_node_get(const pl_node *m, const char *key)
{
	const pl_pair *p = pl_node_get_pair(m, key);
	return p ? pl_node_deref(p->value) : NULL;
}

const char *pl_node_get_str(const pl_node *m, const char *key)
{
	const pl_node *v = pl_node_get(m, key);
	if (!v || v->kind != PL_NODE_SCALAR)
		return NULL;
	return v->u.scalar.str;
}

const char *pl_node_kind_name(pl_node_kind k)
{
	switch (k) {
	case PL_NODE_SCALAR:
		return "scalar";
	case PL_NODE_SEQUENCE:
		return "sequence";
	case PL_NODE_MAPPING:
		return "mapping";
	case PL_NODE_ALIAS:
		return "alias";
	}
	return "?";
}

const char *pl_type_name(pl_type t)
{
	switch (t) {
	case PL_TYPE_STRING:
		return "string";
	case PL_TYPE_NULL:
		return "null";
	case PL_TYPE_BOOL:
		return "boolean";
	case PL_TYPE_INT:
		return "integer";
	case PL_TYPE_FLOAT:
		return "float";
	case PL_TYPE_TIMESTAMP:
		return "timestamp";
	}
	return "?";
}
