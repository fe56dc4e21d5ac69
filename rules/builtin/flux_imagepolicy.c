/*
 * flux_imagepolicy.c - flux/imagepolicy-range: an ImagePolicy whose policy
 * Flux cannot use, or can use to jump a major version.
 *
 * image-reflector-controller (ImagePolicy v1beta2 and v1) takes exactly
 * one of spec.policy.semver {range}, numerical {order} and alphabetical
 * {order}, with order asc or desc (asc when absent); spec.filterTags has
 * a Go regexp `pattern` and an `extract` template of its groups ($1,
 * $name, ${name}). The semver range is a Masterminds constraint without
 * IncludePrerelease (engine/lib/semver.h). Errors are what makes the
 * policy fail; a range with no upper bound or that admits two majors is a
 * warning, allowed per policy by the `allow-majors` setting.
 */
#include "builtin/builtin.h"
#include "model/flux.h"
#include "lib/semver.h"
#include "base/quote.h"

static const pl_node *scalar(const pl_node *n)
{
	n = pl_node_deref(n);
	return n && n->kind == PL_NODE_SCALAR ? n : NULL;
}

/* The span of the code point at 1-based column col of scalar n's value,
 * for a single-line plain or quoted scalar; else n's span. */
static pl_span column_span(const pl_node *n, uint32_t col)
{
	pl_span s = n->span;
	uint32_t shift = col ? col - 1 : 0;
	if (n->span.start.line != n->span.end.line ||
	    n->style == PL_STYLE_LITERAL || n->style == PL_STYLE_FOLDED)
		return s;
	if (n->style == PL_STYLE_SINGLE || n->style == PL_STYLE_DOUBLE)
		shift++;
	s.start.col += shift;
	s.start.offset += shift;
	if (s.start.offset > s.end.offset) /* escapes made it shorter */
		return n->span;
	return s;
}

static void check_semver(pl_ctx *ctx, const pl_object *o, const pl_node *policy)
{
	const pl_node *semver = pl_node_get(policy, "semver");
	const pl_node *range = scalar(pl_node_get(semver, "range"));
	pl_semver_range *r = NULL;
	pl_error err;
	char qr[160], id[256];

	if (!range || range->u.scalar.len == 0) {
		pl_emit(ctx, semver ? semver : policy,
		        "policy.semver has no range; Flux refuses the "
		        "policy");
		return;
	}
	pl_quote(qr, sizeof(qr), range->u.scalar.str, range->u.scalar.len, 120);
	pl_error_clear(&err);
	if (pl_semver_range_new(&r, range->u.scalar.str, range->u.scalar.len,
	                        &err) != 0) {
		pl_emit_span(ctx, column_span(range, err.pos.col),
		             "semver range '%s' does not parse: %s", qr,
		             err.msg);
		return;
	}
	snprintf(id, sizeof(id), "%s/%s",
	         o->effective_namespace ? o->effective_namespace : "",
	         o->name ? o->name : "");
	if (!pl_ctx_param_has(ctx, "allow-majors", id)) {
		if (!pl_semver_range_has_upper_bound(r))
			pl_emit_sev(
			        ctx, PL_SEV_WARNING, range->span,
			        "bound it: '^1.2' or '>=1.2.0 <2.0.0'",
			        "semver range '%s' has no upper bound: Flux "
			        "will roll out any future major version; "
			        "major versions need manual review",
			        qr);
		else if (pl_semver_range_spans_majors(r))
			pl_emit_sev(
			        ctx, PL_SEV_WARNING, range->span,
			        "keep it within one major: '^1.2' or "
			        "'>=1.2.0 <2.0.0'",
			        "semver range '%s' spans more than one major "
			        "version; major versions need manual review",
			        qr);
	}
	pl_semver_range_free(r);
}

static void check_order(pl_ctx *ctx, const pl_node *policy, const char *which)
{
	const pl_node *p = pl_node_get(policy, which);
	const pl_node *order;
	char q[64];
	if (!p)
		return;
	if (p->kind != PL_NODE_MAPPING) {
		if (p->kind == PL_NODE_SCALAR && p->type == PL_TYPE_NULL)
			return; /* `numerical: {}` spelt `numerical:` */
		pl_emit(ctx, p, "policy.%s must be a mapping with an order",
		        which);
		return;
	}
	order = pl_node_get(p, "order");
	if (!order)
		return; /* asc by default */
	if (order->kind == PL_NODE_SCALAR &&
	    (pl_node_is_str(order, "asc") || pl_node_is_str(order, "desc")))
		return;
	if (order->kind == PL_NODE_SCALAR)
		pl_quote(q, sizeof(q), order->u.scalar.str, order->u.scalar.len,
		         32);
	else
		snprintf(q, sizeof(q), "%s", pl_node_kind_name(order->kind));
	pl_emit(ctx, order, "policy.%s.order is '%s'; Flux accepts asc or desc",
	        which, q);
}

/* The group names and count of a compiled pattern are not exposed, so
 * the extract template is checked against the pattern's text: $N must
 * not exceed the number of groups, $name must be a named group. */
static bool has_named_group(const char *pat, const char *name, size_t n)
{
	const char *p = pat;
	while (p) {
		p = strstr(p, "(?");
		if (!p)
			break;
		p += 2;
		if (*p == 'P')
			p++;
		if (*p != '<')
			continue;
		p++;
		if (strncmp(p, name, n) == 0 && p[n] == '>')
			return true;
	}
	return false;
}

static void check_extract(pl_ctx *ctx, const pl_node *extract, const char *pat,
                          unsigned groups)
{
	const char *s = extract->u.scalar.str;
	size_t i, len = extract->u.scalar.len;
	for (i = 0; i < len; i++) {
		size_t start, n;
		bool braced = false;
		char qn[96];
		if (s[i] != '$')
			continue;
		i++;
		if (i < len && s[i] == '$')
			continue; /* $$ is a literal dollar */
		if (i < len && s[i] == '{') {
			braced = true;
			i++;
		}
		start = i;
		while (i < len &&
		       (s[i] == '_' || (s[i] >= '0' && s[i] <= '9') ||
		        (s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= 'A' && s[i] <= 'Z')))
			i++;
		n = i - start;
		if (braced && i < len && s[i] == '}')
			i++;
		i--;
		if (n == 0)
			continue;
		if (s[start] >= '0' && s[start] <= '9') {
			char *end;
			unsigned long g = strtoul(s + start, &end, 10);
			if (g <= groups)
				continue;
		} else if (has_named_group(pat, s + start, n)) {
			continue;
		}
		pl_quote(qn, sizeof(qn), s + start, n, 64);
		pl_emit(ctx, extract,
		        "filterTags.extract uses '$%s', which is no group of "
		        "the pattern; every tag extracts to an empty string",
		        qn);
		return;
	}
}

static void check_filter(pl_ctx *ctx, const pl_object *o)
{
	const pl_node *filter =
	        pl_node_get(pl_node_get(o->root, "spec"), "filterTags");
	const pl_node *pattern = scalar(pl_node_get(filter, "pattern"));
	const pl_node *extract = scalar(pl_node_get(filter, "extract"));
	pl_regex *re = NULL;
	pl_error err;
	char qp[160];

	if (!pattern || pattern->type != PL_TYPE_STRING)
		return;
	pl_error_clear(&err);
	if (pl_regex_new(&re, pattern->u.scalar.str, 0, &err) != 0) {
		pl_quote(qp, sizeof(qp), pattern->u.scalar.str,
		         pattern->u.scalar.len, 120);
		pl_emit(ctx, pattern,
		        "filterTags.pattern '%s' does not compile: %s", qp,
		        err.msg);
		return;
	}
	if (extract && extract->u.scalar.len)
		check_extract(ctx, extract, pattern->u.scalar.str,
		              pl_regex_groups(re));
	pl_regex_free(re);
}

static void check_policy(pl_ctx *ctx, const pl_object *o)
{
	static const char *const kinds[] = {"semver", "numerical",
	                                    "alphabetical"};
	const pl_node *spec = pl_node_get(o->root, "spec");
	const pl_node *policy = pl_node_get(spec, "policy");
	size_t i, set = 0;

	if (!pl_flux_is(o, PL_FLUX_IMAGE, "ImagePolicy"))
		return;
	check_filter(ctx, o);
	if (!policy || policy->kind != PL_NODE_MAPPING) {
		if (spec && spec->kind == PL_NODE_MAPPING)
			pl_emit(ctx, policy ? policy : spec,
			        "ImagePolicy has no policy (semver, numerical "
			        "or alphabetical); Flux refuses it");
		return;
	}
	for (i = 0; i < PL_ARRAY_SIZE(kinds); i++)
		if (pl_node_get_pair(policy, kinds[i]))
			set++;
	if (set != 1) {
		pl_emit(ctx, policy,
		        "policy must set exactly one of semver, numerical and "
		        "alphabetical (it sets %zu)",
		        set);
		return;
	}
	if (pl_node_get_pair(policy, "semver"))
		check_semver(ctx, o, policy);
	check_order(ctx, policy, "numerical");
	check_order(ctx, policy, "alphabetical");
}

const pl_rule pl_rule_flux_imagepolicy_range = {
        .id = "flux/imagepolicy-range",
        .severity = PL_SEV_ERROR,
        .summary = "A Flux ImagePolicy has a policy Flux cannot use, or one "
                   "that can jump a major version",
        .help = "image-reflector-controller picks the tag an "
                "ImageUpdateAutomation writes into git. Errors: a semver "
                "range that does not parse (Masterminds syntax, as Flux "
                "uses: `^1.2`, `~1.2.3`, `>=1.0.0 <2.0.0`, `1.x`, `1.2 - "
                "1.4`, `||`), a policy that sets none or several of "
                "semver/numerical/alphabetical, an order other than asc or "
                "desc, a filterTags.pattern that does not compile, an "
                "extract that names no group of the pattern. Warning: a "
                "range with no upper bound (`>=5.0.0`, `*`) or spanning "
                "more than one major version (`>=1.0 <3.0`, `1.x || "
                "2.x`): Flux will roll out a major upgrade, with its "
                "breaking changes, unattended; major versions need manual "
                "review.\n"
                "Fix: correct the policy; bound the range to one major "
                "(`^1.2`). A policy that tracks majors on purpose is "
                "allowed in .plumb.yaml:\n"
                "  rules:\n"
                "    flux/imagepolicy-range:\n"
                "      allow-majors: [flux-system/podinfo]",
        .scope = PL_SCOPE_OBJECT,
        .kinds = PL_KINDS("ImagePolicy"),
        .check_object = check_policy,
        .params =
                (const pl_param[]){
                        {"allow-majors", PL_PARAM_STRINGS, NULL,
                         "policies (namespace/name) allowed to span major "
                         "versions"},
                        {NULL, PL_PARAM_STRING, NULL, NULL},
                },
        .example = "apiVersion: image.toolkit.fluxcd.io/v1beta2\n"
                   "kind: ImageRepository\n"
                   "metadata:\n"
                   "  name: podinfo\n"
                   "  namespace: flux-system\n"
                   "spec:\n"
                   "  image: ghcr.io/stefanprodan/podinfo\n"
                   "  interval: 1h\n"
                   "---\n"
                   "apiVersion: image.toolkit.fluxcd.io/v1beta2\n"
                   "kind: ImagePolicy\n"
                   "metadata:\n"
                   "  name: podinfo\n"
                   "  namespace: flux-system\n"
                   "spec:\n"
                   "  imageRepositoryRef:\n"
                   "    name: podinfo\n"
                   "  policy:\n"
                   "    semver:\n"
                   "      range: \">=6.0.0\"\n",
        .tags = PL_TAGS("flux"),
        .precision = PL_PRECISION_HIGH,
};
