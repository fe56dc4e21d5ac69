/*
 * image_override.c - kustomize `images:` entries applied to an image
 * reference as written (image_override.h). It reads the entries as tree
 * nodes, so it lives in model/; parsing a reference is lib/image.c's.
 */
#include "model/image_override.h"

/* A piece of the reference. ptr == NULL: absent; len == 0: empty. */
typedef struct slice {
	const char *ptr;
	size_t len;
} slice;

/* A scalar's text (newTag: 1.8 is a float, written "1.8"), or NULL. */
static const char *entry_text(const pl_node *e, const char *key, size_t *len)
{
	const pl_node *v = pl_node_deref(pl_node_get(e, key));
	if (!v || v->kind != PL_NODE_SCALAR || v->type == PL_TYPE_NULL ||
	    v->u.scalar.len == 0)
		return NULL;
	*len = v->u.scalar.len;
	return v->u.scalar.str;
}

bool pl_image_apply_overrides(pl_buf *out, const char *s, size_t len,
                              const pl_node *const *entries, size_t n)
{
	/* the reference as name, tag, digest slices */
	slice name, tag = {NULL, 0}, digest = {NULL, 0};
	const char *at = memchr(s, '@', len), *colon;
	bool applied = false;
	size_t i, slash = 0, k;

	name.ptr = s;
	name.len = at ? (size_t)(at - s) : len;
	if (at) {
		digest.ptr = at + 1;
		digest.len = len - name.len - 1;
	}
	for (k = 0; k < name.len; k++)
		if (s[k] == '/')
			slash = k + 1;
	colon = memchr(s + slash, ':', name.len - slash);
	if (colon) {
		tag.ptr = colon + 1;
		tag.len = name.len - (size_t)(colon - s) - 1;
		name.len = (size_t)(colon - s);
	}
	for (i = 0; i < n; i++) {
		size_t wl = 0, nl = 0, tl = 0, dl = 0;
		const char *want = entry_text(entries[i], "name", &wl);
		const char *nn = entry_text(entries[i], "newName", &nl);
		const char *nt = entry_text(entries[i], "newTag", &tl);
		const char *nd = entry_text(entries[i], "digest", &dl);
		if (!want || wl != name.len || memcmp(want, name.ptr, wl) != 0)
			continue;
		applied = true;
		if (nn) {
			name.ptr = nn;
			name.len = nl;
		}
		if (nt) {
			tag.ptr = nt;
			tag.len = tl;
			if (!nd)
				digest.ptr = NULL, digest.len = 0;
		}
		if (nd) {
			digest.ptr = nd;
			digest.len = dl;
			if (!nt)
				tag.ptr = NULL, tag.len = 0;
		}
	}
	if (!applied)
		return false;
	pl_buf_reset(out);
	pl_buf_add(out, name.ptr, name.len);
	if (tag.ptr) {
		pl_buf_addc(out, ':');
		pl_buf_add(out, tag.ptr, tag.len);
	}
	if (digest.ptr) {
		pl_buf_addc(out, '@');
		pl_buf_add(out, digest.ptr, digest.len);
	}
	return true;
}
