/*
 * flux_marker.c - the setter marker grammar (flux_marker.h): a JSON
 * object with the one key "$imagepolicy" whose value is NS:NAME (the
 * field holds a full image, replaced by image:tag), NS:NAME:tag (a bare
 * tag), NS:NAME:name (the image without tag) or NS:NAME:digest.
 */
#include "builtin/flux_marker.h"

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* Reads a JSON string without escapes at p into out; returns the byte
 * after its closing quote, or NULL. */
static const char *json_word(const char *p, const char *end, char *out,
                             size_t size)
{
	size_t n = 0;
	if (p >= end || *p != '"')
		return NULL;
	for (p++; p < end && *p != '"'; p++) {
		if (*p == '\\' || n + 1 >= size)
			return NULL;
		out[n++] = *p;
	}
	if (p >= end)
		return NULL;
	out[n] = '\0';
	return p + 1;
}

/* Copies NUL-terminated src into out; false if it does not fit. */
static bool copy_word(char *out, size_t size, const char *src)
{
	size_t n = strlen(src);
	if (n >= size)
		return false;
	memcpy(out, src, n + 1);
	return true;
}

bool pl_flux_marker_parse(const char *s, size_t len, pl_flux_marker *m)
{
	const char *p = s, *end = s + len;
	char key[32], value[600];
	char *c1, *c2;

	p = skip_ws(p, end);
	if (p >= end || *p != '{')
		return false;
	p = json_word(skip_ws(p + 1, end), end, key, sizeof(key));
	if (!p || strcmp(key, "$imagepolicy") != 0)
		return false;
	p = skip_ws(p, end);
	if (p >= end || *p != ':')
		return false;
	p = skip_ws(p + 1, end);
	m->val_at = (size_t)(p - s) + 1;
	p = json_word(p, end, value, sizeof(value));
	if (!p)
		return false;
	m->val_len = strlen(value);
	p = skip_ws(p, end);
	if (p >= end || *p != '}' || skip_ws(p + 1, end) != end)
		return false;
	c1 = strchr(value, ':');
	if (!c1)
		return false;
	*c1 = '\0';
	c2 = strchr(c1 + 1, ':');
	if (c2)
		*c2 = '\0';
	if (!copy_word(m->ns, sizeof(m->ns), value) ||
	    !copy_word(m->name, sizeof(m->name), c1 + 1))
		return false;
	m->known_form = true;
	m->form = PL_FLUX_MARKER_IMAGE;
	m->form_text[0] = '\0';
	m->form_colon = c2 ? (size_t)(c2 - value) : 0;
	if (c2) {
		if (!copy_word(m->form_text, sizeof(m->form_text), c2 + 1))
			return false;
		if (strcmp(c2 + 1, "tag") == 0)
			m->form = PL_FLUX_MARKER_TAG;
		else if (strcmp(c2 + 1, "name") == 0)
			m->form = PL_FLUX_MARKER_NAME;
		else if (strcmp(c2 + 1, "digest") == 0)
			m->form = PL_FLUX_MARKER_DIGEST;
		else
			m->known_form = false;
	}
	return true;
}
