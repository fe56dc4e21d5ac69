/*
 * flux_markers.c - Flux image automation setter markers:
 *   flux/imagepolicy-marker        a `# {"$imagepolicy": "NS:NAME[:form]"}`
 *                                  marker that names no policy, sits on a
 *                                  field that does not hold what its form
 *                                  replaces, names another repository, or
 *                                  whose current tag the policy would not
 *                                  select
 *   flux/marker-outside-update-path a marker in a file that no
 *                                  ImageUpdateAutomation's update.path covers
 *
 * Marker grammar (image-automation-controller setters; flux_marker.c
 * parses it): the trailing comment of the line is exactly a JSON object
 * {"$imagepolicy": "V"}, V is NS:NAME (the field holds a full image,
 * replaced by image:tag), NS:NAME:tag (a bare tag), NS:NAME:name (the
 * image without tag) or NS:NAME:digest (sha256:...). A comment that
 * merely mentions $imagepolicy in prose is not a marker.
 *
 * The tag check follows image-reflector-controller: a tag that
 * filterTags.pattern does not match is never selected; otherwise
 * filterTags.extract ($name, ${name}, $1, as Go's regexp.Expand) gives
 * the value the policy orders; a semver policy parses it as Flux does
 * (one leading v, then strict semver) and checks the range.
 */
#include "builtin/builtin.h"
#include "builtin/flux_marker.h"
#include "base/buf.h"
#include "base/path.h"
#include "model/flux.h"
#include "lib/image.h"
#include "lib/semver.h"
#include "base/quote.h"
#include "tree/comment.h"

/* The last scalar that starts on `line` before offset `before`: the
 * field the marker annotates. */
static void find_field(const pl_node *n, uint32_t line, size_t before,
                       const pl_node **best, unsigned depth)
{
	size_t i;
	n = pl_node_deref(n);
	if (!n || depth > 128 || n->span.start.line > line ||
	    n->span.end.line < line)
		return;
	if (n->kind == PL_NODE_SCALAR) {
		if (n->span.start.line == line &&
		    n->span.start.offset < before &&
		    (!*best ||
		     n->span.start.offset > (*best)->span.start.offset))
			*best = n;
		return;
	}
	if (n->kind == PL_NODE_SEQUENCE) {
		for (i = 0; i < n->u.seq.len; i++)
			find_field(n->u.seq.items[i], line, before, best,
			           depth + 1);
		return;
	}
	if (n->kind != PL_NODE_MAPPING)
		return;
	for (i = 0; i < n->u.map.len; i++) {
		if (n->u.map.pairs[i].flags & PL_PAIR_MERGED)
			continue;
		find_field(n->u.map.pairs[i].value, line, before, best,
		           depth + 1);
	}
}

static const pl_node *field_of(const pl_file *f, const pl_comment *c)
{
	const pl_node *best = NULL;
	size_t d;
	for (d = 0; d < f->tree.ndocs; d++)
		find_field(f->tree.docs[d].root, c->line, c->offset, &best, 0);
	return best;
}

/* --- what the policy selects ------------------------------------------ */

static bool is_name_char(char c)
{
	return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

/* Go's regexp.Expand of tmpl over the match in subject. */
static void expand(pl_buf *out, const char *tmpl, const pl_regex *re,
                   const pl_match_scratch *scratch, const char *subject)
{
	const char *p = tmpl;
	while (*p) {
		const char *name;
		size_t n, gs, ge;
		bool braced = false, numeric = true;
		int g;
		if (*p != '$') {
			pl_buf_addc(out, *p++);
			continue;
		}
		p++;
		if (*p == '$') {
			pl_buf_addc(out, *p++);
			continue;
		}
		if (*p == '{') {
			braced = true;
			p++;
		}
		name = p;
		while (is_name_char(*p))
			p++;
		n = (size_t)(p - name);
		if (braced) {
			if (*p != '}' || n == 0) {
				/* not a reference: Go copies the '$' */
				pl_buf_addc(out, '$');
				p = name - 1;
				pl_buf_addc(out, *p++);
				continue;
			}
			p++;
		} else if (n == 0) {
			pl_buf_addc(out, '$');
			continue;
		}
		for (gs = 0; gs < n; gs++)
			if (name[gs] < '0' || name[gs] > '9')
				numeric = false;
		g = numeric ? (int)strtol(name, NULL, 10)
		            : pl_regex_group_number(re, name, n);
		if (g >= 0 && pl_regex_group(scratch, (unsigned)g, &gs, &ge))
			pl_buf_add(out, subject + gs, ge - gs);
	}
}

typedef struct policy_view {
	const pl_object *obj;
	const char *id; /* ns/name for messages */
	const pl_node *semver_range;
	const pl_node *pattern;
	const pl_node *extract;
} policy_view;

static const pl_node *str_node(const pl_node *n)
{
	n = pl_node_deref(n);
	return n && n->kind == PL_NODE_SCALAR && n->type == PL_TYPE_STRING
	               ? n
	               : NULL;
}

/* The policy's node n (its range, its pattern, its name) as a related
 * place of the finding just emitted: where the fix may be instead. */
static void related_policy(pl_ctx *ctx, const policy_view *pv, const pl_node *n,
                           const char *what)
{
	if (!n)
		n = pl_node_get(pl_node_get(pv->obj->root, "metadata"), "name");
	if (n)
		pl_emit_related(ctx, pl_object_where(pv->obj, n), n,
		                "%s of ImagePolicy '%s'", what, pv->id);
}

static void check_tag(pl_ctx *ctx, const pl_node *field, const char *tag,
                      const policy_view *pv)
{
	pl_buf value;
	pl_regex *re = NULL;
	pl_semver_range *range = NULL;
	pl_semver v;
	pl_error err;
	char qt[160], qr[160];
	const char *candidate = tag;

	pl_buf_init(&value, 4096);
	pl_error_clear(&err);
	pl_quote(qt, sizeof(qt), tag, strlen(tag), 120);
	if (pv->pattern &&
	    pl_regex_new(&re, pv->pattern->u.scalar.str, 0, &err) == 0) {
		pl_match mt;
		pl_match_scratch *scratch = pl_ctx_scratch(ctx);
		if (pl_regex_match(re, tag, strlen(tag), 0, &mt, scratch) !=
		    1) {
			pl_emit(ctx, field,
			        "tag '%s' does not match filterTags.pattern of "
			        "ImagePolicy '%s'; Flux never selects it and "
			        "will replace it",
			        qt, pv->id);
			related_policy(ctx, pv, pv->pattern,
			               "the filterTags.pattern");
			goto done;
		}
		if (pv->extract && pv->extract->u.scalar.len) {
			expand(&value, pv->extract->u.scalar.str, re, scratch,
			       tag);
			candidate = value.ptr ? value.ptr : "";
		}
	}
	if (!pv->semver_range ||
	    pl_semver_range_new(&range, pv->semver_range->u.scalar.str,
	                        pv->semver_range->u.scalar.len, &err) != 0)
		goto done; /* not semver, or flux/imagepolicy-range's error */
	pl_quote(qr, sizeof(qr), pv->semver_range->u.scalar.str,
	         pv->semver_range->u.scalar.len, 120);
	if (pl_semver_tag(&v, candidate, strlen(candidate), NULL) != 0) {
		pl_emit(ctx, field,
		        "tag '%s' is not a semantic version, so ImagePolicy "
		        "'%s' (range '%s') never selects it and will replace "
		        "it",
		        qt, pv->id, qr);
		related_policy(ctx, pv, pv->semver_range, "the semver range");
		goto done;
	}
	if (!pl_semver_range_match(range, &v)) {
		pl_emit(ctx, field,
		        "tag '%s' is outside range '%s' of ImagePolicy '%s'",
		        qt, qr, pv->id);
		related_policy(ctx, pv, pv->semver_range, "the semver range");
	}
done:
	pl_semver_range_free(range);
	pl_regex_free(re);
	pl_buf_release(&value);
}

/* The repository of the policy's ImageRepository, parsed; false if it
 * is not in the repository (flux/dangling-ref says so). */
static bool policy_image(const pl_model *m, const pl_object *policy,
                         pl_arena *arena, pl_image *out)
{
	const pl_node *ref = pl_node_get(pl_node_get(policy->root, "spec"),
	                                 "imageRepositoryRef");
	const pl_node *name = str_node(pl_node_get(ref, "name"));
	const pl_node *ns = str_node(pl_node_get(ref, "namespace"));
	const pl_object *repo;
	const pl_node *image;
	pl_error err;

	if (!name)
		return false;
	repo = pl_model_get(m, PL_FLUX_IMAGE, "ImageRepository",
	                    ns ? ns->u.scalar.str : policy->effective_namespace,
	                    name->u.scalar.str);
	if (!repo)
		return false;
	image = str_node(pl_node_get(pl_node_get(repo->root, "spec"), "image"));
	pl_error_clear(&err);
	return image && pl_image_parse(out, arena, image->u.scalar.str,
	                               image->u.scalar.len, &err) == 0;
}

static bool bare_tag(const char *s, size_t len)
{
	size_t i;
	if (len == 0 || len > 128)
		return false;
	for (i = 0; i < len; i++)
		if (!(is_name_char(s[i]) || s[i] == '.' || s[i] == '-'))
			return false;
	return true;
}

/* A bare tag that reads as a version (6.5.0, v1.2): what the :tag form
 * holds, never an image name a person would write. */
static bool version_tag(const char *s, size_t len)
{
	if (!bare_tag(s, len))
		return false;
	if (s[0] == 'v' && len > 1)
		s++;
	return *s >= '0' && *s <= '9';
}

/*
 * The fix for a marker whose form does not match its field: rewrites the
 * form in the marker's value to `form` ("" for the plain form), leaving
 * the rest of the comment as written.
 */
static void fix_form(pl_ctx *ctx, const pl_flux_marker *mk, const char *form)
{
	pl_span sp;
	char text[40];
	size_t vend = mk->text_off + mk->val_at + mk->val_len;

	memset(&sp, 0, sizeof(sp));
	sp.start.line = sp.end.line = mk->comment->line;
	sp.end.offset = vend;
	sp.start.offset = mk->form_colon
	                          ? mk->text_off + mk->val_at + mk->form_colon
	                          : vend;
	snprintf(text, sizeof(text), "%s%s", *form ? ":" : "", form);
	pl_emit_fix(ctx, sp, text);
}

static void check_image(pl_ctx *ctx, const pl_node *field,
                        const pl_flux_marker *mk, const policy_view *pv,
                        pl_arena *arena)
{
	const char *s = field->u.scalar.str;
	size_t len = field->u.scalar.len;
	pl_image img, want;
	pl_error err;
	char qv[200];
	int rc;

	pl_quote(qv, sizeof(qv), s, len, 160);
	pl_error_clear(&err);
	rc = pl_image_parse(&img, arena, s, len, &err);
	if (rc == PL_IMAGE_TEMPLATED)
		return;
	if (mk->form == PL_FLUX_MARKER_IMAGE && version_tag(s, len)) {
		pl_emit(ctx, field,
		        "the marker replaces a whole image reference "
		        "(repository:tag), but the field holds the bare tag "
		        "'%s'; use the :tag form",
		        qv);
		fix_form(ctx, mk, "tag");
		return;
	}
	if (rc != 0) {
		pl_emit(ctx, field,
		        "marker expects an image reference here, but '%s' is "
		        "not one: %s",
		        qv, err.msg);
		return;
	}
	if (mk->form == PL_FLUX_MARKER_IMAGE && !img.tag && !img.digest) {
		pl_emit(ctx, field,
		        "the marker replaces a whole image reference "
		        "(repository:tag), but '%s' has no tag; use the :name "
		        "form for a bare image name",
		        qv);
		if (policy_image(pl_ctx_model(ctx), pv->obj, arena, &want) &&
		    pl_image_same_repository(&img, &want))
			fix_form(ctx, mk, "name");
		return;
	}
	if (mk->form == PL_FLUX_MARKER_NAME && (img.tag || img.digest)) {
		pl_emit(ctx, field,
		        "the :name form replaces an image name without tag, but "
		        "'%s' has one; use the plain form for name:tag",
		        qv);
		if (img.tag && !img.digest)
			fix_form(ctx, mk, "");
		return;
	}
	if (policy_image(pl_ctx_model(ctx), pv->obj, arena, &want) &&
	    !pl_image_same_repository(&img, &want)) {
		pl_buf wn;
		pl_buf_init(&wn, 1024);
		pl_image_name(&wn, &want);
		pl_emit(ctx, field,
		        "image '%s' is not the repository ImagePolicy '%s' "
		        "tracks ('%s'); Flux would write that repository's "
		        "tag here",
		        qv, pv->id, wn.ptr ? wn.ptr : "");
		related_policy(ctx, pv, NULL, "the name");
		pl_buf_release(&wn);
		return;
	}
	if (mk->form == PL_FLUX_MARKER_IMAGE && img.tag)
		check_tag(ctx, field, img.tag, pv);
}

static bool digest_value(const char *s, size_t len)
{
	size_t i;
	if (len != 71 || strncmp(s, "sha256:", 7) != 0)
		return false;
	for (i = 7; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/*
 * True when the marker's policy is made at run time (a ResourceSet stamps
 * it) or may be (plumb cannot decide): the marker is then not reported.
 */
static bool made_elsewhere(const pl_model *m, const pl_flux_marker *mk)
{
	pl_flux_ref ref;
	pl_flux_resolution res;

	memset(&ref, 0, sizeof(ref));
	ref.type = PL_FLUX_REF_IMAGE_REPOSITORY;
	ref.field = "marker";
	ref.kind = "ImagePolicy";
	ref.group = PL_FLUX_IMAGE;
	ref.name = mk->name;
	ref.namespace = mk->ns;
	ref.namespace_written = true;
	return pl_flux_resolve(m, &ref, &res) != PL_FLUX_MISSING;
}

/* A :tag marker on a field that holds a whole reference: the plain form
 * for repository:tag, :name for a repository without tag. */
static void fix_tag_form(pl_ctx *ctx, const pl_node *field,
                         const pl_flux_marker *mk)
{
	pl_arena arena;
	pl_image img;
	pl_error err;

	pl_arena_init(&arena);
	pl_error_clear(&err);
	if (pl_image_parse(&img, &arena, field->u.scalar.str,
	                   field->u.scalar.len, &err) == 0 &&
	    !img.digest)
		fix_form(ctx, mk, img.tag ? "" : "name");
	pl_arena_release(&arena);
}

static void check_marker(pl_ctx *ctx, const pl_file *f,
                         const pl_flux_marker *mk)
{
	const pl_model *m = pl_ctx_model(ctx);
	const pl_node *field = field_of(f, mk->comment);
	const pl_object *policy;
	policy_view pv;
	pl_span cspan;
	char id[520], qf[48], qv[200];
	const pl_node *spec, *semver;

	memset(&cspan, 0, sizeof(cspan));
	cspan.start.line = cspan.end.line = mk->comment->line;
	cspan.start.col = mk->comment->col;
	cspan.end.col = mk->comment->col + 1;
	cspan.start.offset = mk->comment->offset;
	cspan.end.offset = mk->comment->offset + 1;
	snprintf(id, sizeof(id), "%s/%s", mk->ns, mk->name);
	if (!mk->known_form) {
		pl_quote(qf, sizeof(qf), mk->form_text, strlen(mk->form_text),
		         32);
		pl_emit_span(ctx, cspan,
		             "marker form ':%s' is unknown; Flux knows the "
		             "plain form and :tag, :name and :digest",
		             qf);
		return;
	}
	if (!m)
		return;
	policy =
	        pl_model_get(m, PL_FLUX_IMAGE, "ImagePolicy", mk->ns, mk->name);
	if (!policy && made_elsewhere(m, mk))
		return; /* its spec is Flux's to render, not plumb's */
	if (!policy) {
		pl_emit_span(
		        ctx, cspan,
		        "marker names ImagePolicy '%s', which is not in the "
		        "repository; Flux leaves this field alone",
		        id);
		return;
	}
	if (!field || field->type != PL_TYPE_STRING ||
	    field->u.scalar.len == 0) {
		if (!field || field->type == PL_TYPE_NULL)
			pl_emit_span(ctx, cspan,
			             "marker is on a line with no value for "
			             "Flux to set");
		return; /* a number or bool: tags like 1.10 need quoting */
	}
	spec = pl_node_get(policy->root, "spec");
	semver = pl_node_get(pl_node_get(spec, "policy"), "semver");
	pv.obj = policy;
	pv.id = id;
	pv.semver_range = str_node(pl_node_get(semver, "range"));
	pv.pattern = str_node(
	        pl_node_get(pl_node_get(spec, "filterTags"), "pattern"));
	pv.extract = str_node(
	        pl_node_get(pl_node_get(spec, "filterTags"), "extract"));
	pl_quote(qv, sizeof(qv), field->u.scalar.str, field->u.scalar.len, 160);
	switch (mk->form) {
	case PL_FLUX_MARKER_IMAGE:
	case PL_FLUX_MARKER_NAME: {
		pl_arena arena;
		pl_arena_init(&arena);
		check_image(ctx, field, mk, &pv, &arena);
		pl_arena_release(&arena);
		break;
	}
	case PL_FLUX_MARKER_TAG:
		if (!bare_tag(field->u.scalar.str, field->u.scalar.len)) {
			pl_emit(ctx, field,
			        "the :tag form replaces only a tag, but the "
			        "field holds '%s'; use the plain form for "
			        "repository:tag",
			        qv);
			fix_tag_form(ctx, field, mk);
			break;
		}
		check_tag(ctx, field, field->u.scalar.str, &pv);
		break;
	case PL_FLUX_MARKER_DIGEST:
		if (!digest_value(field->u.scalar.str, field->u.scalar.len))
			pl_emit(ctx, field,
			        "the :digest form replaces a digest "
			        "(sha256:<64 hex>), but the field holds '%s'",
			        qv);
		break;
	}
}

static void check_markers(pl_ctx *ctx, const pl_file *f)
{
	size_t i;
	if (!f->parsed || f->tree.problem != PL_TREE_OK)
		return;
	for (i = 0; i < f->tree.ncomments; i++) {
		const pl_comment *c = &f->tree.comments[i];
		const char *text;
		size_t len;
		pl_flux_marker mk;
		if (!c->trailing)
			continue;
		text = pl_comment_text(&f->tree, c, &len);
		if (!memchr(text, '$', len))
			continue;
		memset(&mk, 0, sizeof(mk));
		mk.comment = c;
		mk.text_off = (size_t)(text - f->src.data);
		if (pl_flux_marker_parse(text, len, &mk))
			check_marker(ctx, f, &mk);
	}
}

const pl_rule pl_rule_flux_imagepolicy_marker = {
        .id = "flux/imagepolicy-marker",
        .severity = PL_SEV_ERROR,
        .summary = "A Flux $imagepolicy marker names no policy or sits on a "
                   "field its policy would not set this way",
        .help = "ImageUpdateAutomation rewrites the field a `# "
                "{\"$imagepolicy\": \"NS:NAME\"}` marker sits on with the "
                "tag ImagePolicy NS/NAME selects. plumb reports a marker "
                "whose policy is not in the repository (Flux silently "
                "leaves the field alone; a policy a ResourceSet stamps, or "
                "one whose name waits for a substitution, is Flux's to "
                "render and is not judged), an unknown form, a field that "
                "does not hold what the form replaces (plain: "
                "repository:tag; :tag a bare tag; :name an image name; "
                ":digest sha256:...), an image of another repository than "
                "the policy's ImageRepository, and a current tag the "
                "policy would never select: outside its semver range, not "
                "a semantic version, or not matching filterTags.pattern "
                "(the tag is checked after filterTags.extract, as Flux "
                "does). Such a tag is replaced on the next automation "
                "run, which is rarely what the person who pinned it "
                "wanted.\n"
                "Fix: correct the marker's namespace:name or form, the "
                "image, or the tag; or widen the policy's range. "
                "`plumb check --fix` rewrites a form that does not match "
                "its field: :tag for a bare version tag, the plain form "
                "for repository:tag, :name for a repository without tag.",
        .scope = PL_SCOPE_FILE,
        .file_kinds = PL_FILES_YAML,
        .check_file = check_markers,
        .example = "apiVersion: apps/v1\n"
                   "kind: Deployment\n"
                   "metadata:\n"
                   "  name: podinfo\n"
                   "  namespace: apps\n"
                   "spec:\n"
                   "  selector:\n"
                   "    matchLabels: {app: podinfo}\n"
                   "  template:\n"
                   "    metadata:\n"
                   "      labels: {app: podinfo}\n"
                   "    spec:\n"
                   "      containers:\n"
                   "        - name: podinfo\n"
                   "          image: ghcr.io/stefanprodan/podinfo:6.5.0 "
                   "# {\"$imagepolicy\": \"flux-system:podinfo\"}\n",
        .reads = PL_KINDS("fluxcd.io"),
        .tags = PL_TAGS("flux"),
        .precision = PL_PRECISION_HIGH,
};

/* --- flux/marker-outside-update-path ----------------------------------- */

/* Whether `path` lies under update.path of automation a, read against
 * the repository root: the run's root or, when several repositories are
 * linted together, a folder above a's own file. */
static bool covers(const pl_object *a, const char *path)
{
	const pl_node *up = str_node(pl_node_get(
	        pl_node_get(pl_node_get(a->root, "spec"), "update"), "path"));
	const char *self = a->file->src.path;
	size_t cut = strlen(self);
	pl_buf clean, dir;
	bool hit = false;

	pl_buf_init(&clean, 0);
	pl_buf_init(&dir, 0);
	if (!pl_path_join(&clean, "", up ? up->u.scalar.str : "")) {
		pl_buf_release(&clean);
		pl_buf_release(&dir);
		return false; /* above the root: covers nothing here */
	}
	for (;;) {
		while (cut > 0 && self[cut - 1] != '/')
			cut--;
		pl_buf_reset(&dir);
		pl_buf_add(&dir, self, cut); /* "" or "a/b/" */
		pl_buf_add(&dir, clean.ptr ? clean.ptr : "", clean.len);
		if (dir.len == 0 ||
		    (strncmp(path, dir.ptr, dir.len) == 0 &&
		     (path[dir.len] == '/' || dir.ptr[dir.len - 1] == '/'))) {
			hit = true;
			break;
		}
		if (cut == 0)
			break;
		cut--; /* the '/' */
	}
	pl_buf_release(&clean);
	pl_buf_release(&dir);
	return hit;
}

static void check_update_paths(pl_ctx *ctx, const pl_file *f)
{
	const pl_model *m = pl_ctx_model(ctx);
	const pl_object *const *objs;
	size_t n, i, c, automations = 0;

	if (!m || !f->parsed || f->tree.problem != PL_TREE_OK)
		return;
	objs = pl_model_of_kind(m, "ImageUpdateAutomation", &n);
	if (n == 0)
		return; /* nothing updates markers: none is outside a path */
	for (c = 0; c < f->tree.ncomments; c++) {
		const pl_comment *cm = &f->tree.comments[c];
		const char *text;
		size_t len;
		pl_flux_marker mk;
		bool covered = false;
		pl_span cspan;
		if (!cm->trailing)
			continue;
		text = pl_comment_text(&f->tree, cm, &len);
		if (!memchr(text, '$', len) ||
		    !pl_flux_marker_parse(text, len, &mk))
			continue;
		automations = 0;
		for (i = 0; i < n && !covered; i++) {
			if (!pl_flux_is(objs[i], PL_FLUX_IMAGE,
			                "ImageUpdateAutomation"))
				continue;
			automations++;
			covered = covers(objs[i], f->src.path);
		}
		if (covered || automations == 0)
			continue;
		memset(&cspan, 0, sizeof(cspan));
		cspan.start.line = cspan.end.line = cm->line;
		cspan.start.col = cm->col;
		cspan.end.col = cm->col + 1;
		cspan.start.offset = cm->offset;
		cspan.end.offset = cm->offset + 1;
		pl_emit_span(ctx, cspan,
		             "no ImageUpdateAutomation's update.path covers "
		             "this file, so the marker for '%s/%s' is never "
		             "applied",
		             mk.ns, mk.name);
	}
}

const pl_rule pl_rule_flux_marker_outside_update_path = {
        .id = "flux/marker-outside-update-path",
        .severity = PL_SEV_WARNING,
        .summary = "A Flux $imagepolicy marker is in a file no "
                   "ImageUpdateAutomation updates",
        .help = "An ImageUpdateAutomation only rewrites markers in files "
                "under its spec.update.path (the source's root when "
                "absent). A marker elsewhere looks automated but never "
                "changes: the image stays pinned while its policy moves "
                "on. plumb compares each marker's file with the "
                "update.path of every ImageUpdateAutomation in the run "
                "(relative to the repository root, or a folder above the "
                "automation's file when several repositories are linted "
                "together); a repository without any automation is "
                "silent, since another repository may drive it.\n"
                "Fix: widen update.path, move the file under it, or add "
                "an ImageUpdateAutomation for that folder.",
        .scope = PL_SCOPE_FILE,
        .file_kinds = PL_FILES_YAML,
        .check_file = check_update_paths,
        .example = "apiVersion: image.toolkit.fluxcd.io/v1beta2\n"
                   "kind: ImageUpdateAutomation\n"
                   "metadata:\n"
                   "  name: apps\n"
                   "  namespace: flux-system\n"
                   "spec:\n"
                   "  interval: 30m\n"
                   "  sourceRef:\n"
                   "    kind: GitRepository\n"
                   "    name: flux-system\n"
                   "  update:\n"
                   "    path: ./apps\n"
                   "    strategy: Setters\n"
                   "---\n"
                   "apiVersion: apps/v1\n"
                   "kind: Deployment\n"
                   "metadata:\n"
                   "  name: podinfo\n"
                   "  namespace: apps\n"
                   "spec:\n"
                   "  selector:\n"
                   "    matchLabels: {app: podinfo}\n"
                   "  template:\n"
                   "    metadata:\n"
                   "      labels: {app: podinfo}\n"
                   "    spec:\n"
                   "      containers:\n"
                   "        - name: podinfo\n"
                   "          image: ghcr.io/stefanprodan/podinfo:6.5.0 "
                   "# {\"$imagepolicy\": \"flux-system:podinfo\"}\n",
        .reads = PL_KINDS("fluxcd.io"),
        .tags = PL_TAGS("flux"),
        .precision = PL_PRECISION_HIGH,
};
