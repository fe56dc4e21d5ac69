/*
 * image_override.h - what kustomize's image transformer makes of an image
 * reference: the `images:` entries of a kustomization, read from the tree.
 */
#ifndef PL_IMAGE_OVERRIDE_H
#define PL_IMAGE_OVERRIDE_H

#include "base/buf.h"
#include "tree/node.h"

/*
 * Applies kustomize `images:` entries (mappings {name, newName, newTag,
 * digest}, in order) to the reference s[0..len) as written: an entry
 * whose name equals the reference's name (all before the tag or digest)
 * replaces the name with newName, the tag with newTag, the digest with
 * digest (a newTag alone drops a digest, a digest alone drops a tag, as
 * kustomize's image transformer does); later entries see the result.
 * Writes the result to out and returns true when an entry applied.
 */
bool pl_image_apply_overrides(pl_buf *out, const char *s, size_t len,
                              const pl_node *const *entries, size_t n);

#endif
