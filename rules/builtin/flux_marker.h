/*
 * flux_marker.h - a Flux image automation setter marker, as the
 * image-automation-controller reads one: the trailing comment of a line
 * that is exactly {"$imagepolicy": "NS:NAME[:form]"}. Shared by the two
 * marker rules of flux_markers.c; flux_marker.c parses.
 */
#ifndef PL_FLUX_MARKER_H
#define PL_FLUX_MARKER_H

#include "rule/rule.h"
#include "tree/comment.h"

typedef enum pl_flux_marker_form {
	PL_FLUX_MARKER_IMAGE,
	PL_FLUX_MARKER_TAG,
	PL_FLUX_MARKER_NAME,
	PL_FLUX_MARKER_DIGEST,
} pl_flux_marker_form;

typedef struct pl_flux_marker {
	const pl_comment *comment;
	char ns[254], name[254];
	pl_flux_marker_form form;
	char form_text[32]; /* as written, for an unknown form */
	bool known_form;
	/* where the value "NS:NAME[:form]" is in the comment text (from
	 * its first byte), and the index of the ':' before the form in it
	 * (0: no form): the fixes rewrite the form in place */
	size_t val_at, val_len, form_colon;
	size_t text_off; /* the comment text's offset in the file */
} pl_flux_marker;

/* Parses comment text s[0..len) as a marker into m (comment and
 * text_off are the caller's to set); false if it is not one, e.g. prose
 * that mentions $imagepolicy. */
bool pl_flux_marker_parse(const char *s, size_t len, pl_flux_marker *m);

#endif
