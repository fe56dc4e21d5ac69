/*
 * sarif.c - the SARIF 2.1.0 reporter, shaped for GitHub code scanning.
 *
 * One log, one run: the driver with every rule of the registry (so a
 * result's ruleIndex always resolves), the invocation, and one result per
 * finding, in report order. Paths are URI references relative to
 * %SRCROOT%, the folder reported paths are relative to. Suppressed
 * findings are results with a `suppressions` entry; files plumb could not
 * read are also tool execution notifications. The output depends only on
 * the findings, the registry and the root: no time stamps, no ids drawn
 * at random. Built with jansson, whose _new calls steal references.
 */
#include "report/report.h"
#include "base/buf.h"
#include "base/utf8.h"

#include <jansson.h>

#define SARIF_SCHEMA     "https://json.schemastore.org/sarif-2.1.0.json"
#define INFORMATION_URI  "https://github.com/plumb-lint/plumb"
#define SRCROOT          "%SRCROOT%"
#define MAX_DESCRIPTION  1024 /* GitHub's cap on the rule descriptions */
#define FINGERPRINT_KEY  "plumb/v1"
#define SECRET_PRINT_KEY "plumb/secret/v1"

/* A message object (SARIF 2.1.0 §3.11) holding plain text only. */
static json_t *message(const char *text)
{
	json_t *m = json_object();
	json_object_set_new(m, "text", pl_report__json_str(text));
	return m;
}

static const char *level(pl_severity s)
{
	switch (s) {
	case PL_SEV_ERROR:
		return "error";
	case PL_SEV_WARNING:
		return "warning";
	default:
		return "note";
	}
}

/*
 * Code scanning's bands: critical above 9.0, high 7.0-8.9, medium
 * 4.0-6.9, low below 4.0. A credential in git (an error) is critical: it
 * is leaked already. A warning (secrets/default-credential: a published
 * vendor default) is exploitable only against the live system and is no
 * leak, so medium, the band a warning is in; an info is low. The rule's
 * configured severity decides, so a team that raises or lowers a rule
 * moves its alerts with it.
 */
static const char *security_severity(pl_severity sev)
{
	switch (sev) {
	case PL_SEV_ERROR:
		return "9.5";
	case PL_SEV_WARNING:
		return "6.5";
	default:
		return "3.0";
	}
}

/*
 * Appends path as a URI reference (RFC 3986 §4.2). Only unreserved
 * characters, sub-delims, '@' and the '/' separators stay as they are;
 * every other byte, UTF-8 included, is percent-encoded. ':' is always
 * encoded, because in the first segment of a relative reference it would
 * read as a scheme (§4.2).
 */
static void add_uri_path(pl_buf *b, const char *path)
{
	static const char keep[] = "-._~!$&'()*+,;=@/";
	for (; *path; path++) {
		unsigned char c = (unsigned char)*path;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || (c && strchr(keep, c)))
			pl_buf_addc(b, (char)c);
		else
			pl_buf_addf(b, "%%%02X", c);
	}
}

/*
 * Reported paths are relative to the root; a PATH outside the root is
 * reported as given, and when that is absolute it becomes a file: URI of
 * its own, since a relative reference may not start with '/'.
 */
static json_t *artifact_location(const char *path)
{
	json_t *a = json_object();
	pl_buf b;

	pl_buf_init(&b, 0);
	if (path[0] == '/')
		pl_buf_adds(&b, "file://");
	add_uri_path(&b, path);
	json_object_set_new(a, "uri", pl_report__json_str(b.ptr));
	if (path[0] != '/')
		json_object_set_new(a, "uriBaseId", json_string(SRCROOT));
	pl_buf_release(&b);
	return a;
}

/*
 * SARIF 2.1.0 §3.30: endColumn is the column just past the region, as a
 * plumb span's end is. A span that ends where it starts is widened to
 * one character (an empty region would mark nothing on screen); a
 * whole-file finding (line 0) is pinned to line 1, as code scanning
 * requires a startLine.
 */
static json_t *region(const pl_span *s)
{
	json_t *r = json_object();
	uint32_t end_line = s->end.line, end_col = s->end.col;

	if (s->start.line == 0) {
		json_object_set_new(r, "startLine", json_integer(1));
		return r;
	}
	if (end_line < s->start.line ||
	    (end_line == s->start.line && end_col <= s->start.col)) {
		end_line = s->start.line;
		end_col = s->start.col + 1;
	}
	json_object_set_new(r, "startLine", json_integer(s->start.line));
	if (s->start.col == 0)
		return r;
	json_object_set_new(r, "startColumn", json_integer(s->start.col));
	json_object_set_new(r, "endLine", json_integer(end_line));
	json_object_set_new(r, "endColumn", json_integer(end_col));
	return r;
}

static json_t *location(const pl_finding *f, bool with_region)
{
	json_t *loc = json_object(), *phys = json_object();

	json_object_set_new(phys, "artifactLocation",
	                    artifact_location(f->src->path));
	if (with_region)
		json_object_set_new(phys, "region", region(&f->span));
	json_object_set_new(loc, "physicalLocation", phys);
	return loc;
}

/* SARIF 2.1.0 §3.27.22: the other places the result is about, each a
 * location with an id unique in the result (§3.28.2) and a message. */
static json_t *related_json(const pl_finding *f)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; i < f->nrelated; i++) {
		const pl_related *x = &f->related[i];
		json_t *loc = json_object(), *phys = json_object();
		json_object_set_new(loc, "id", json_integer((json_int_t)i));
		json_object_set_new(phys, "artifactLocation",
		                    artifact_location(x->src->path));
		json_object_set_new(phys, "region", region(&x->span));
		json_object_set_new(loc, "physicalLocation", phys);
		json_object_set_new(loc, "message", message(x->message));
		json_array_append_new(list, loc);
	}
	return list;
}

/* "yaml/duplicate-key" -> "DuplicateKey": reportingDescriptor.name is
 * an identifier-like label (§3.49), the id's family is in the id. */
static json_t *rule_name(const char *id)
{
	const char *tail = strchr(id, '/');
	bool up = true;
	pl_buf b;
	json_t *j;

	pl_buf_init(&b, 0);
	for (tail = tail ? tail + 1 : id; *tail; tail++) {
		if (*tail == '-') {
			up = true;
			continue;
		}
		pl_buf_addc(&b, up && *tail >= 'a' && *tail <= 'z'
		                        ? (char)(*tail - 'a' + 'A')
		                        : *tail);
		up = false;
	}
	j = pl_report__json_str(b.ptr);
	pl_buf_release(&b);
	return j;
}

/* s[0..len), cut to MAX_DESCRIPTION code points with "..." when longer,
 * as a message string object. */
static json_t *description(const char *s, size_t len)
{
	json_t *m = json_object();
	size_t off = 0, cp = 0;
	pl_buf b;

	pl_buf_init(&b, 0);
	while (off < len && cp < MAX_DESCRIPTION - 3) {
		size_t n = pl_utf8_valid_len(s + off, len - off);
		off += n ? n : 1;
		cp++;
	}
	if (off < len && pl_utf8_count(s + off, len - off) > 3) {
		pl_buf_add(&b, s, off);
		pl_buf_adds(&b, "...");
	} else {
		pl_buf_add(&b, s, len);
	}
	json_object_set_new(m, "text", pl_report__json_str(b.ptr));
	pl_buf_release(&b);
	return m;
}

/* The help up to its "Fix:" paragraph: why the rule matters. */
static json_t *full_description(const char *help)
{
	const char *fix = strstr(help, "\nFix:");
	size_t len = fix ? (size_t)(fix - help) : strlen(help);

	while (len > 0 && strchr(" \t\n", help[len - 1]))
		len--;
	if (len == 0)
		len = strlen(help);
	return description(help, len);
}

/* The help as Markdown (markdown.c, shared with plumb explain). */
static json_t *help_markdown(const char *help)
{
	pl_buf b;
	json_t *j;

	pl_buf_init(&b, 0);
	pl_report_help_markdown(&b, help);
	j = pl_report__json_str(b.ptr ? b.ptr : "");
	pl_buf_release(&b);
	return j;
}

/* SARIF's property bag value for a precision (a declarative rule, which
 * declares none, decides from structure: high). */
static const char *precision_name(pl_precision p)
{
	switch (p) {
	case PL_PRECISION_VERY_HIGH:
		return "very-high";
	case PL_PRECISION_MEDIUM:
		return "medium";
	case PL_PRECISION_LOW:
		return "low";
	default:
		return "high";
	}
}

/* Tags, precision and severity, as the rule's descriptor declares them. */
static json_t *rule_properties(const pl_rule *rule, pl_severity sev)
{
	json_t *p = json_object(), *tags = json_array();
	const char *slash = strchr(rule->id, '/');
	size_t family = slash ? (size_t)(slash - rule->id) : strlen(rule->id);
	size_t i;

	for (i = 0; rule->tags && rule->tags[i]; i++)
		json_array_append_new(tags, pl_report__json_str(rule->tags[i]));
	if (!rule->tags)
		json_array_append_new(tags, json_stringn(rule->id, family));
	json_object_set_new(p, "tags", tags);
	json_object_set_new(p, "precision",
	                    json_string(precision_name(rule->precision)));
	/* a security-severity makes code scanning rank the alert as a
	 * vulnerability; other rules say how bad a problem is instead */
	if (rule->security)
		json_object_set_new(p, "security-severity",
		                    json_string(security_severity(sev)));
	else
		json_object_set_new(p, "problem.severity",
		                    json_string(sev == PL_SEV_INFO
		                                        ? "recommendation"
		                                        : level(sev)));
	return p;
}

/* A reportingDescriptor (§3.49). A rule set off in .plumb.yaml is listed
 * with enabled: false and its built-in level. */
/* A rule with a page in docs/rules/ (generated by ci/docs.sh): the
 * built-in ones and those of the shipped packs, not a team's own. */
static bool documented(const pl_rule *rule, const char *const *shipped)
{
	size_t i;
	if (!rule->origin)
		return true;
	for (i = 0; shipped && shipped[i]; i++)
		if (strcmp(shipped[i], rule->origin) == 0)
			return true;
	return false;
}

static json_t *rule_json(const pl_rule *rule, pl_severity effective,
                         const char *const *shipped)
{
	json_t *d = json_object(), *help = json_object();
	json_t *conf = json_object();
	pl_severity sev = effective == PL_SEV_OFF ? rule->severity : effective;

	json_object_set_new(d, "id", pl_report__json_str(rule->id));
	json_object_set_new(d, "name", rule_name(rule->id));
	json_object_set_new(d, "shortDescription",
	                    description(rule->summary, strlen(rule->summary)));
	json_object_set_new(d, "fullDescription", full_description(rule->help));
	json_object_set_new(help, "text", pl_report__json_str(rule->help));
	json_object_set_new(help, "markdown", help_markdown(rule->help));
	json_object_set_new(d, "help", help);
	if (documented(rule, shipped)) {
		pl_buf uri;
		pl_buf_init(&uri, 0);
		pl_buf_addf(&uri, "%s/blob/main/docs/rules/%s.md",
		            INFORMATION_URI, rule->id);
		json_object_set_new(d, "helpUri", pl_report__json_str(uri.ptr));
		pl_buf_release(&uri);
	}
	if (effective == PL_SEV_OFF)
		json_object_set_new(conf, "enabled", json_false());
	json_object_set_new(conf, "level", json_string(level(sev)));
	json_object_set_new(d, "defaultConfiguration", conf);
	json_object_set_new(d, "properties", rule_properties(rule, sev));
	return d;
}

static json_t *driver_json(const pl_registry *reg, const char *const *shipped)
{
	json_t *drv = json_object(), *rules = json_array();
	size_t i;

	json_object_set_new(drv, "name", json_string("plumb"));
	json_object_set_new(drv, "version", json_string(PL_VERSION));
	json_object_set_new(drv, "semanticVersion", json_string(PL_VERSION));
	json_object_set_new(drv, "informationUri",
	                    json_string(INFORMATION_URI));
	for (i = 0; reg && i < reg->len; i++)
		json_array_append_new(
		        rules,
		        rule_json(reg->rules[i], reg->severity[i], shipped));
	json_object_set_new(drv, "rules", rules);
	return drv;
}

/* The suppression objects: inSource for what the linted files say,
 * external for what .plumb.yaml and the baseline say. */
static json_t *suppressions_json(const pl_finding *f)
{
	json_t *list = json_array(), *s = json_object();
	bool in_source = f->suppressed == PL_SUPPRESS_INLINE ||
	                 f->suppressed == PL_SUPPRESS_ANNOTATION;

	json_object_set_new(s, "kind",
	                    json_string(in_source ? "inSource" : "external"));
	json_object_set_new(s, "status", json_string("accepted"));
	if (f->suppress_reason)
		json_object_set_new(s, "justification",
		                    pl_report__json_str(f->suppress_reason));
	json_array_append_new(list, s);
	return list;
}

/*
 * The finding's fix as SARIF 2.1.0 §3.55 fix objects: one
 * artifactChange for its file, one replacement per edit, each
 * deletedRegion given both ways (byteOffset/byteLength, §3.30.3, counted
 * from the file's first byte, BOM included; and lines and columns, which
 * the run counts in code points); an insertion is an empty region.
 */
static json_t *fixes_json(const pl_finding *f)
{
	json_t *fixes = json_array(), *fix = json_object();
	json_t *changes = json_array(), *change = json_object();
	json_t *reps = json_array();
	size_t i;

	for (i = 0; i < f->nedits; i++) {
		const pl_edit *e = &f->edits[i];
		json_t *rep = json_object(), *del = json_object();
		json_t *ins = json_object();
		json_object_set_new(del, "startLine",
		                    json_integer(e->start.line));
		json_object_set_new(del, "startColumn",
		                    json_integer(e->start.col));
		json_object_set_new(del, "endLine", json_integer(e->end.line));
		json_object_set_new(del, "endColumn", json_integer(e->end.col));
		json_object_set_new(del, "byteOffset",
		                    json_integer((json_int_t)e->offset));
		json_object_set_new(del, "byteLength",
		                    json_integer((json_int_t)e->len));
		json_object_set_new(rep, "deletedRegion", del);
		json_object_set_new(ins, "text", pl_report__json_str(e->text));
		json_object_set_new(rep, "insertedContent", ins);
		json_array_append_new(reps, rep);
	}
	json_object_set_new(change, "artifactLocation",
	                    artifact_location(f->src->path));
	json_object_set_new(change, "replacements", reps);
	json_array_append_new(changes, change);
	if (f->hint)
		json_object_set_new(fix, "description", message(f->hint));
	json_object_set_new(fix, "artifactChanges", changes);
	json_array_append_new(fixes, fix);
	return fixes;
}

static json_t *result_json(const pl_report *r, const pl_finding *f)
{
	json_t *res = json_object(), *locs = json_array();
	json_t *prints = json_object();
	char hex[17];
	size_t idx;

	json_object_set_new(res, "ruleId", pl_report__json_str(f->rule));
	if (r->registry && pl_registry_find(r->registry, f->rule, &idx))
		json_object_set_new(res, "ruleIndex",
		                    json_integer((json_int_t)idx));
	json_object_set_new(res, "level", json_string(level(f->severity)));
	if (f->hint) {
		pl_buf b;
		pl_buf_init(&b, 0);
		pl_buf_addf(&b, "%s\nhint: %s", f->message, f->hint);
		json_object_set_new(res, "message", message(b.ptr));
		pl_buf_release(&b);
	} else {
		json_object_set_new(res, "message", message(f->message));
	}
	json_array_append_new(locs, location(f, true));
	json_object_set_new(res, "locations", locs);
	if (f->nrelated)
		json_object_set_new(res, "relatedLocations", related_json(f));
	/* a baseline key of our own; code scanning computes its
	 * primaryLocationLineHash itself on upload */
	pl_finding_stable_hex(f, hex);
	json_object_set_new(prints, FINGERPRINT_KEY, json_string(hex));
	if (f->fingerprint)
		json_object_set_new(prints, SECRET_PRINT_KEY,
		                    pl_report__json_str(f->fingerprint));
	json_object_set_new(res, "partialFingerprints", prints);
	if (f->src->commit) {
		/* --history: the commit, its author date and the blob's path
		 * (the location's uri names the same path) */
		json_t *props = json_object();
		json_object_set_new(props, "commit",
		                    json_string(f->src->commit));
		json_object_set_new(props, "authorDate",
		                    json_string(f->src->author_date));
		json_object_set_new(props, "blobPath",
		                    pl_report__json_str(f->src->path));
		json_object_set_new(res, "properties", props);
	}
	if (f->suppressed != PL_SUPPRESS_NONE)
		json_object_set_new(res, "suppressions", suppressions_json(f));
	if (f->nedits && !f->fix_hidden)
		json_object_set_new(res, "fixes", fixes_json(f));
	return res;
}

/* A file plumb did not read: the run's own account of what it missed
 * (toolExecutionNotifications), beside the finding that reports it. */
static json_t *notification_json(const pl_report *r, const pl_finding *f)
{
	json_t *n = json_object(), *locs = json_array();
	json_t *rule = json_object();
	size_t idx;

	json_object_set_new(n, "level", json_string(level(f->severity)));
	json_object_set_new(n, "message", message(f->message));
	json_array_append_new(locs, location(f, false));
	json_object_set_new(n, "locations", locs);
	json_object_set_new(rule, "id", pl_report__json_str(f->rule));
	if (r->registry && pl_registry_find(r->registry, f->rule, &idx))
		json_object_set_new(rule, "index",
		                    json_integer((json_int_t)idx));
	json_object_set_new(n, "associatedRule", rule);
	return n;
}

/* Content git could not give: an error notification of its own, so the
 * list is whole even with source/unreadable switched off. */
static json_t *unread_json(const pl_source *src)
{
	json_t *n = json_object(), *locs = json_array();
	json_t *loc = json_object(), *phys = json_object();
	pl_buf m;

	pl_buf_init(&m, 0);
	pl_buf_addf(&m, "not linted: git could not give its content (%s)",
	            src->skip_note ? src->skip_note : "blob");
	json_object_set_new(n, "level", json_string("error"));
	json_object_set_new(n, "message", message(m.ptr));
	pl_buf_release(&m);
	json_object_set_new(phys, "artifactLocation",
	                    artifact_location(src->path));
	json_object_set_new(loc, "physicalLocation", phys);
	json_array_append_new(locs, loc);
	json_object_set_new(n, "locations", locs);
	return n;
}

/* A run that fails before its report writes none (exit 2 or 3); one
 * that gets here succeeded, unless git could not give some content
 * (exit 2 after the report): then the run did not look at everything. */
/* A finding of a rule that reports on reading files (pl_rule.stage):
 * a file plumb skipped or could not read is also a tool notification. */
static bool from_source_stage(const pl_registry *reg, const pl_finding *f)
{
	const pl_rule *rule = reg ? pl_registry_find(reg, f->rule, NULL) : NULL;
	return rule && rule->stage == PL_STAGE_SOURCE;
}

static json_t *invocation_json(const pl_report *r)
{
	json_t *inv = json_object(), *notes = json_array();
	size_t i;

	json_object_set_new(inv, "executionSuccessful",
	                    json_boolean(r->nunread == 0));
	for (i = 0; i < r->nunread; i++)
		json_array_append_new(notes, unread_json(r->unread[i]));
	for (i = 0; i < pl_findings_len(r->findings); i++) {
		const pl_finding *f = pl_findings_at(r->findings, i);
		/* content git could not give is listed above */
		if (f->src && f->src->skip == PL_SKIP_GIT)
			continue;
		if (from_source_stage(r->registry, f))
			json_array_append_new(notes, notification_json(r, f));
	}
	if (json_array_size(notes))
		json_object_set_new(inv, "toolExecutionNotifications", notes);
	else
		json_decref(notes);
	return inv;
}

/*
 * §3.14.14: a uriBaseId used by a location must be declared. Its uri is
 * the root as an absolute file: URI ending in '/'; without a root (only
 * standard input was linted) it stays undefined and is described.
 */
static json_t *uri_base_ids(const char *root)
{
	json_t *ids = json_object(), *base = json_object();

	if (root && root[0] == '/') {
		pl_buf b;
		pl_buf_init(&b, 0);
		pl_buf_adds(&b, "file://");
		add_uri_path(&b, root);
		if (b.ptr[b.len - 1] != '/')
			pl_buf_addc(&b, '/');
		json_object_set_new(base, "uri", pl_report__json_str(b.ptr));
		pl_buf_release(&b);
	} else {
		json_object_set_new(base, "description",
		                    message("The folder the linted paths are "
		                            "relative to."));
	}
	json_object_set_new(ids, SRCROOT, base);
	return ids;
}

int pl_report_sarif(FILE *out, const pl_report *r, pl_error *err)
{
	json_t *log = json_object(), *runs = json_array(), *run = json_object();
	json_t *tool = json_object(), *invs = json_array();
	json_t *results = json_array();
	size_t i;

	json_object_set_new(log, "$schema", json_string(SARIF_SCHEMA));
	json_object_set_new(log, "version", json_string("2.1.0"));
	json_object_set_new(tool, "driver",
	                    driver_json(r->registry, r->shipped));
	json_object_set_new(run, "tool", tool);
	json_array_append_new(invs, invocation_json(r));
	json_object_set_new(run, "invocations", invs);
	json_object_set_new(run, "originalUriBaseIds", uri_base_ids(r->root));
	for (i = 0; i < pl_findings_len(r->findings); i++)
		json_array_append_new(
		        results,
		        result_json(r, pl_findings_at(r->findings, i)));
	json_object_set_new(run, "results", results);
	/* pos.h: columns count code points */
	json_object_set_new(run, "columnKind",
	                    json_string("unicodeCodePoints"));
	json_array_append_new(runs, run);
	json_object_set_new(log, "runs", runs);

	return pl_report__json_write(log, out, err);
}
