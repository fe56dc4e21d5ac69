/*
 * lsp.c - `plumb lsp`: a Language Server Protocol 3.17 server over stdio
 * (run.h, pl_run_lsp). This file is the JSON-RPC side: messages in and
 * out, the lifecycle, documents; lsp_answer.c builds diagnostics, hovers
 * and code actions. Framing and positions are in lsp_io.c.
 *
 * Lifecycle (LSP 3.17, "Lifecycle Messages"):
 *   start --initialize--> running --shutdown--> stopping --exit--> end
 *   A request before initialize gets ServerNotInitialized (-32002), a
 *   notification is dropped; a request after shutdown is an invalid
 *   request; exit ends the loop with 0 after shutdown, 1 otherwise, and
 *   so does the end of input (1).
 *
 * The session (session.h) is opened at initialize over the root the
 * client names; the repository's files are walked then, and again when
 * files are created or deleted (didChangeWatchedFiles, didSave of a file
 * the walk lacks). Open documents are an overlay over the repository:
 * every change relints the repository with them and pushes
 * publishDiagnostics for each open document, with its version.
 *
 * stdout carries only protocol; logs go to stderr. jansson is used here
 * and in lsp_answer.c only (ci/lint.sh, STYLE.md §4: the protocol's
 * adapter).
 */
#include "run/lsp_impl.h"
#include "base/xalloc.h"

#include <time.h>
#include <unistd.h>

/* JSON-RPC 2.0 §5.1 and LSP 3.17's ErrorCodes */
#define RPC_PARSE_ERROR            -32700
#define RPC_INVALID_REQUEST        -32600
#define RPC_METHOD_NOT_FOUND       -32601
#define RPC_INVALID_PARAMS         -32602
#define RPC_SERVER_NOT_INITIALIZED -32002

json_t *pl_lsp__str(const char *s)
{
	json_t *j = json_string(s);
	pl_buf b;
	if (j)
		return j;
	/* invalid UTF-8: U+FFFD for each bad byte, as every report does */
	pl_buf_init(&b, 0);
	pl_buf_add_json_str(&b, s, strlen(s));
	j = json_loadb(b.ptr, b.len, JSON_DECODE_ANY, NULL);
	pl_buf_release(&b);
	return j ? j : json_string("");
}

static void send_msg(pl_lsp *s, json_t *msg)
{
	char *body;
	json_object_set_new(msg, "jsonrpc", json_string("2.0"));
	body = json_dumps(msg, JSON_COMPACT);
	if (body && pl_lsp_write(s->out, body, strlen(body)) != 0 &&
	    !s->write_failed) {
		fprintf(stderr,
		        "plumb lsp: cannot write to standard output: "
		        "%s\n",
		        strerror(errno));
		s->write_failed = true;
	}
	free(body);
	json_decref(msg);
}

static void reply(pl_lsp *s, json_t *id, json_t *result)
{
	json_t *msg = json_object();
	json_object_set(msg, "id", id ? id : json_null());
	json_object_set_new(msg, "result", result ? result : json_null());
	send_msg(s, msg);
}

static void reply_error(pl_lsp *s, json_t *id, int code, const char *text)
{
	json_t *msg = json_object(), *e = json_object();
	json_object_set_new(e, "code", json_integer(code));
	json_object_set_new(e, "message", pl_lsp__str(text));
	json_object_set(msg, "id", id ? id : json_null());
	json_object_set_new(msg, "error", e);
	send_msg(s, msg);
}

void pl_lsp__notify(pl_lsp *s, const char *method, json_t *params)
{
	json_t *msg = json_object();
	json_object_set_new(msg, "method", json_string(method));
	json_object_set_new(msg, "params", params);
	send_msg(s, msg);
}

/* window/showMessage, and the same line on stderr. */
static void show(pl_lsp *s, int type, const char *text)
{
	json_t *p = json_object();
	fprintf(stderr, "plumb lsp: %s\n", text);
	json_object_set_new(p, "type", json_integer(type));
	json_object_set_new(p, "message", pl_lsp__str(text));
	pl_lsp__notify(s, "window/showMessage", p);
}

static void show_error(pl_lsp *s, const pl_error *err)
{
	char msg[512];
	pl_error_format(err, msg, sizeof(msg));
	show(s, 1, msg);
}

/* --- the repository -------------------------------------------------- */

/* The walk of the root, without what .plumb.yaml excludes. */
static int walk_root(pl_lsp *s, pl_error *err)
{
	const char *paths[1];
	pl_walk_opts wopts;
	size_t i, k = 0;
	int rc;

	pl_walk_release(&s->walk);
	pl_walk_init(&s->walk);
	memset(&wopts, 0, sizeof(wopts));
	wopts.root = s->root;
	paths[0] = s->root;
	rc = pl_walk_paths(&s->walk, paths, 1, &wopts, err);
	for (i = 0; rc == 0 && s->session && i < s->walk.entries.len; i++) {
		pl_walk_entry *e = pl_vec_at(&s->walk.entries, i);
		if (pl_config_excluded(pl_session_config(s->session),
		                       e->path)) {
			free(e->path);
			free(e->fspath);
			continue;
		}
		*(pl_walk_entry *)pl_vec_at(&s->walk.entries, k++) = *e;
	}
	if (rc == 0 && s->session)
		s->walk.entries.len = k;
	return rc;
}

/* The session (again, after .plumb.yaml changed), then the walk. */
static int open_repo(pl_lsp *s, pl_error *err)
{
	int rc;

	pl_session_close(s->session);
	s->session = NULL;
	rc = walk_root(s, err);
	if (rc == 0)
		rc = pl_session_open(&s->session, &s->opts, s->walk.root,
		                     s->walk.in_git, 0, err);
	if (rc == 0)
		rc = walk_root(s, err); /* now without the excluded files */
	return rc;
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* The paths of the open documents (borrowed from them), for a lint
 * focused on them. */
static const char **open_paths(const pl_lsp *s, size_t *n)
{
	const char **paths = pl_xcalloc(s->docs.len + 1, sizeof(*paths));
	size_t i;

	*n = 0;
	for (i = 0; i < s->docs.len; i++) {
		const pl_lsp_doc *d = pl_vec_at(&s->docs, i);
		if (d->path)
			paths[(*n)++] = d->path;
	}
	return paths;
}

/* Lints the repository with the open documents laid over it, then
 * pushes the diagnostics of every open document. */
static void relint(pl_lsp *s)
{
	pl_session_input in;
	pl_error err;
	double t0 = now_ms();
	int rc;

	/* no session: its error was shown; saving .plumb.yaml, or any
	 * watched change, tries again (refresh), not every keystroke */
	if (!s->session)
		return;
	pl_error_clear(&err);
	pl_lint_release(&s->lint);
	memset(&in, 0, sizeof(in));
	in.entries = s->walk.entries.items;
	in.nentries = s->walk.entries.len;
	in.overlay = &s->overlay;
	/* only the open documents get diagnostics: the rules run on them
	 * and the model builds what can render them */
	in.focus = open_paths(s, &in.nfocus);
	rc = pl_session_lint(s->session, &in, &s->lint, &err);
	free((void *)in.focus);
	s->last_ms = now_ms() - t0;
	if (getenv("PLUMB_LSP_TIMING"))
		fprintf(stderr, "plumb lsp: linted %zu files in %.1f ms\n",
		        s->lint.nfiles, s->last_ms);
	if (rc) {
		show_error(s, &err);
		return;
	}
	pl_lsp__publish_all(s);
}

/* --- documents ------------------------------------------------------- */

pl_lsp_doc *pl_lsp__doc(pl_lsp *s, const char *uri)
{
	size_t i;
	for (i = 0; uri && i < s->docs.len; i++) {
		pl_lsp_doc *d = pl_vec_at(&s->docs, i);
		if (strcmp(d->uri, uri) == 0)
			return d;
	}
	return NULL;
}

/* The path a run gives the file of uri: relative to the root below it,
 * else absolute. NULL for a URI that is not a file. */
char *pl_lsp__path(const pl_lsp *s, const char *uri)
{
	char *abs = pl_lsp_uri_path(uri), *rel;
	size_t n = s->walk.root ? strlen(s->walk.root) : 0;

	if (!abs || !n || strncmp(abs, s->walk.root, n) != 0 || abs[n] != '/')
		return abs;
	rel = pl_xstrdup(abs + n + 1);
	free(abs);
	return rel;
}

static const char *text_document_uri(json_t *params)
{
	return json_string_value(json_object_get(
	        json_object_get(params, "textDocument"), "uri"));
}

static int did_open(pl_lsp *s, json_t *params, json_t **result)
{
	json_t *td = json_object_get(params, "textDocument");
	const char *uri = json_string_value(json_object_get(td, "uri"));
	json_t *text = json_object_get(td, "text");
	pl_lsp_doc *d, fresh;
	char *path;

	(void)result;
	if (!uri || !json_is_string(text))
		return RPC_INVALID_PARAMS;
	path = pl_lsp__path(s, uri);
	if (!path)
		return RPC_INVALID_PARAMS;
	d = pl_lsp__doc(s, uri);
	if (!d) {
		memset(&fresh, 0, sizeof(fresh));
		fresh.uri = pl_xstrdup(uri);
		fresh.path = path;
		pl_vec_append(&s->docs, &fresh);
		d = pl_vec_at(&s->docs, s->docs.len - 1);
	} else {
		free(path);
	}
	d->version = json_integer_value(json_object_get(td, "version"));
	pl_overlay_put(&s->overlay, d->path, json_string_value(text),
	               json_string_length(text));
	relint(s);
	return 0;
}

/* One contentChanges item over the document's text: whole, or a range
 * of it (a client may send ranges whatever the sync kind says). */
static bool apply_change(pl_lsp *s, pl_buf *text, json_t *change)
{
	json_t *t = json_object_get(change, "text");
	json_t *range = json_object_get(change, "range");
	size_t a, b;
	pl_lsp_pos p, q;
	pl_vec lines;
	pl_buf out;

	if (!json_is_string(t))
		return false;
	if (!range || json_is_null(range)) {
		pl_buf_reset(text);
		pl_buf_add(text, json_string_value(t), json_string_length(t));
		return true;
	}
	if (!pl_lsp__range(range, &p, &q))
		return false;
	pl_vec_init(&lines, sizeof(size_t));
	pl_lsp_lines(&lines, text->ptr, text->len);
	a = pl_lsp_offset_of(&lines, text->ptr, text->len, p, s->utf8);
	b = pl_lsp_offset_of(&lines, text->ptr, text->len, q, s->utf8);
	pl_vec_release(&lines);
	if (b < a)
		b = a;
	pl_buf_init(&out, 0);
	pl_buf_add(&out, text->ptr, a);
	pl_buf_add(&out, json_string_value(t), json_string_length(t));
	pl_buf_add(&out, text->ptr + b, text->len - b);
	pl_buf_release(text);
	*text = out;
	return true;
}

static int did_change(pl_lsp *s, json_t *params, json_t **result)
{
	json_t *td = json_object_get(params, "textDocument");
	json_t *changes = json_object_get(params, "contentChanges");
	pl_lsp_doc *d = pl_lsp__doc(s, text_document_uri(params));
	const pl_overlay_item *it;
	pl_buf text;
	size_t i;
	bool ok = true;

	(void)result;
	if (!d || !json_is_array(changes))
		return RPC_INVALID_PARAMS;
	it = pl_overlay_find(&s->overlay, d->path);
	pl_buf_init(&text, 0);
	if (it)
		pl_buf_add(&text, it->data, it->len);
	for (i = 0; ok && i < json_array_size(changes); i++)
		ok = apply_change(s, &text, json_array_get(changes, i));
	if (ok) {
		d->version = json_integer_value(json_object_get(td, "version"));
		pl_overlay_put(&s->overlay, d->path, text.ptr, text.len);
	}
	pl_buf_release(&text);
	if (!ok)
		return RPC_INVALID_PARAMS;
	relint(s);
	return 0;
}

/* Is path .plumb.yaml at the root (the session reads it)? */
static bool is_config(const char *path)
{
	return path && strcmp(path, ".plumb.yaml") == 0;
}

static bool walked(const pl_lsp *s, const char *path)
{
	size_t i;
	for (i = 0; i < s->walk.entries.len; i++) {
		const pl_walk_entry *e = pl_vec_at(&s->walk.entries, i);
		if (strcmp(e->path, path) == 0)
			return true;
	}
	return false;
}

/* After the disk changed: the session again when .plumb.yaml did, the
 * walk again when files came or went. */
static void refresh(pl_lsp *s, bool config, bool files)
{
	pl_error err;
	int rc = 0;

	pl_error_clear(&err);
	if (config || !s->session)
		rc = open_repo(s, &err);
	else if (files)
		rc = walk_root(s, &err);
	if (rc) {
		/* nothing to say until it opens again: no stale findings */
		pl_session_close(s->session);
		s->session = NULL;
		pl_lint_release(&s->lint);
		show_error(s, &err);
		pl_lsp__publish_all(s);
		return;
	}
	relint(s);
}

static int did_save(pl_lsp *s, json_t *params, json_t **result)
{
	pl_lsp_doc *d = pl_lsp__doc(s, text_document_uri(params));
	(void)result;
	if (!d)
		return RPC_INVALID_PARAMS;
	refresh(s, is_config(d->path), !walked(s, d->path));
	return 0;
}

static int did_close(pl_lsp *s, json_t *params, json_t **result)
{
	const char *uri = text_document_uri(params);
	pl_lsp_doc *d = pl_lsp__doc(s, uri), *last;
	json_t *p;

	(void)result;
	if (!d)
		return RPC_INVALID_PARAMS;
	/* its diagnostics go with it (LSP 3.17, publishDiagnostics) */
	p = json_object();
	json_object_set_new(p, "uri", json_string(d->uri));
	json_object_set_new(p, "diagnostics", json_array());
	pl_lsp__notify(s, "textDocument/publishDiagnostics", p);
	pl_overlay_remove(&s->overlay, d->path);
	free(d->uri);
	free(d->path);
	last = pl_vec_at(&s->docs, s->docs.len - 1);
	if (d != last)
		*d = *last;
	s->docs.len--;
	relint(s); /* other documents may have read it */
	return 0;
}

static int did_change_watched(pl_lsp *s, json_t *params, json_t **result)
{
	json_t *changes = json_object_get(params, "changes");
	bool config = false, files = false;
	size_t i;

	(void)result;
	if (!json_is_array(changes))
		return RPC_INVALID_PARAMS;
	for (i = 0; i < json_array_size(changes); i++) {
		json_t *c = json_array_get(changes, i);
		const char *uri = json_string_value(json_object_get(c, "uri"));
		json_int_t type =
		        json_integer_value(json_object_get(c, "type"));
		char *path = uri ? pl_lsp__path(s, uri) : NULL;
		config = config || is_config(path);
		files = files || type == 1 || type == 3; /* created, deleted */
		free(path);
	}
	refresh(s, config, files);
	return 0;
}

/* --- lifecycle -------------------------------------------------------- */

static bool offers(json_t *list, const char *value)
{
	size_t i;
	for (i = 0; i < json_array_size(list); i++)
		if (json_is_string(json_array_get(list, i)) &&
		    strcmp(json_string_value(json_array_get(list, i)), value) ==
		            0)
			return true;
	return false;
}

/* rootUri, else the first workspace folder, else rootPath, else the
 * current directory. */
static char *root_of(json_t *params)
{
	const char *uri = json_string_value(json_object_get(params, "rootUri"));
	json_t *folders = json_object_get(params, "workspaceFolders");
	const char *path;

	if (!uri && json_array_size(folders))
		uri = json_string_value(
		        json_object_get(json_array_get(folders, 0), "uri"));
	if (uri)
		return pl_lsp_uri_path(uri);
	path = json_string_value(json_object_get(params, "rootPath"));
	return path ? pl_xstrdup(path) : getcwd(NULL, 0);
}

static json_t *capabilities(const pl_lsp *s)
{
	json_t *c = json_object(), *sync = json_object(), *save = json_object();
	json_t *ca = json_object(), *kinds = json_array();

	json_object_set_new(c, "positionEncoding",
	                    json_string(s->utf8 ? "utf-8" : "utf-16"));
	json_object_set_new(sync, "openClose", json_true());
	json_object_set_new(sync, "change", json_integer(1)); /* Full */
	json_object_set_new(save, "includeText", json_false());
	json_object_set_new(sync, "save", save);
	json_object_set_new(c, "textDocumentSync", sync);
	json_object_set_new(c, "hoverProvider", json_true());
	json_array_append_new(kinds, json_string("quickfix"));
	json_object_set_new(ca, "codeActionKinds", kinds);
	json_object_set_new(c, "codeActionProvider", ca);
	return c;
}

static int initialize(pl_lsp *s, json_t *params, json_t **result)
{
	json_t *caps = json_object_get(params, "capabilities");
	json_t *info = json_object();
	json_t *watch = json_object_get(json_object_get(caps, "workspace"),
	                                "didChangeWatchedFiles");
	pl_error err;

	if (params && !json_is_object(params))
		return RPC_INVALID_PARAMS;
	s->utf8 = offers(json_object_get(json_object_get(caps, "general"),
	                                 "positionEncodings"),
	                 "utf-8");
	s->watch_dynamic =
	        json_is_true(json_object_get(watch, "dynamicRegistration"));
	s->related = json_is_true(json_object_get(
	        json_object_get(json_object_get(caps, "textDocument"),
	                        "publishDiagnostics"),
	        "relatedInformation"));
	free(s->root);
	s->root = root_of(params);
	s->opts.root = s->root;
	s->initialized = true;
	pl_error_clear(&err);
	if (!s->root || open_repo(s, &err) != 0) {
		if (!s->root)
			pl_error_set(&err, PL_EUSAGE, NULL, NULL,
			             "the workspace root is not a file: URI");
		s->open_failed = true;
		pl_error_format(&err, s->open_error, sizeof(s->open_error));
	}
	json_object_set_new(info, "name", json_string("plumb"));
	json_object_set_new(info, "version", json_string(PL_VERSION));
	*result = json_object();
	json_object_set_new(*result, "capabilities", capabilities(s));
	json_object_set_new(*result, "serverInfo", info);
	return 0;
}

static int initialized(pl_lsp *s, json_t *params, json_t **result)
{
	(void)params;
	(void)result;
	if (s->watch_dynamic) {
		/* every file: a ConfigMap, a CRD or a kustomization anywhere
		 * can change what an open document gets */
		json_t *msg = json_object(), *p = json_object();
		json_t *regs = json_array(), *r = json_object();
		json_t *opts = json_object(), *ws = json_array();
		json_t *w = json_object();
		json_object_set_new(w, "globPattern", json_string("**/*"));
		json_array_append_new(ws, w);
		json_object_set_new(opts, "watchers", ws);
		json_object_set_new(r, "id", json_string("plumb-watch"));
		json_object_set_new(
		        r, "method",
		        json_string("workspace/didChangeWatchedFiles"));
		json_object_set_new(r, "registerOptions", opts);
		json_array_append_new(regs, r);
		json_object_set_new(p, "registrations", regs);
		json_object_set_new(msg, "id", json_string("plumb-watch"));
		json_object_set_new(msg, "method",
		                    json_string("client/registerCapability"));
		json_object_set_new(msg, "params", p);
		send_msg(s, msg);
	}
	if (s->open_failed) {
		s->open_failed = false;
		show(s, 1, s->open_error);
	}
	return 0;
}

static int shutdown_(pl_lsp *s, json_t *params, json_t **result)
{
	(void)params;
	s->shutdown = true;
	*result = json_null();
	return 0;
}

static int exit_(pl_lsp *s, json_t *params, json_t **result)
{
	(void)params;
	(void)result;
	s->done = true;
	s->exit_code = s->shutdown ? 0 : 1;
	return 0;
}

static int ignored(pl_lsp *s, json_t *params, json_t **result)
{
	(void)s;
	(void)params;
	(void)result;
	return 0;
}

typedef int (*handler)(pl_lsp *s, json_t *params, json_t **result);

/* The methods plumb serves, sorted by name. */
static const struct method {
	const char *name;
	handler fn;
	bool request;
} methods[] = {
        {"$/cancelRequest", ignored, false},
        {"$/setTrace", ignored, false},
        {"exit", exit_, false},
        {"initialize", initialize, true},
        {"initialized", initialized, false},
        {"shutdown", shutdown_, true},
        {"textDocument/codeAction", pl_lsp__code_action, true},
        {"textDocument/didChange", did_change, false},
        {"textDocument/didClose", did_close, false},
        {"textDocument/didOpen", did_open, false},
        {"textDocument/didSave", did_save, false},
        {"textDocument/hover", pl_lsp__hover, true},
        {"workspace/didChangeWatchedFiles", did_change_watched, false},
};

static const struct method *find_method(const char *name)
{
	size_t i;
	for (i = 0; i < PL_ARRAY_SIZE(methods); i++)
		if (strcmp(methods[i].name, name) == 0)
			return &methods[i];
	return NULL;
}

/* Whether the lifecycle lets m run now; else the error a request gets
 * (0: a notification that is dropped). */
static int gate(const pl_lsp *s, const struct method *m, const char **why)
{
	bool init = strcmp(m->name, "initialize") == 0;
	if (strcmp(m->name, "exit") == 0)
		return 1;
	if (!s->initialized && !init) {
		*why = "the server is not initialized: send initialize first";
		return m->request ? RPC_SERVER_NOT_INITIALIZED : 0;
	}
	if (s->initialized && init) {
		*why = "initialize was already received";
		return RPC_INVALID_REQUEST;
	}
	if (s->shutdown && m->request) {
		*why = "the server is shutting down: only exit is accepted";
		return RPC_INVALID_REQUEST;
	}
	return 1;
}

/* A message that is not a request or notification: a response to
 * client/registerCapability is dropped, anything else is invalid. */
static void not_a_call(pl_lsp *s, json_t *msg, json_t *id)
{
	if (id &&
	    (json_object_get(msg, "result") || json_object_get(msg, "error")))
		return;
	reply_error(s,
	            id && (json_is_string(id) || json_is_integer(id)) ? id
	                                                              : NULL,
	            RPC_INVALID_REQUEST,
	            "not a JSON-RPC request: an object with a 'method' "
	            "string is expected");
}

static void dispatch(pl_lsp *s, json_t *msg)
{
	json_t *id = json_object_get(msg, "id");
	const char *name = json_string_value(json_object_get(msg, "method"));
	json_t *result = NULL;
	const struct method *m;
	const char *why = NULL;
	char text[160];
	int rc;

	if (!name || (id && !json_is_string(id) && !json_is_integer(id))) {
		not_a_call(s, msg, id);
		return;
	}
	m = find_method(name);
	if (!m) {
		snprintf(text, sizeof(text), "unknown method '%.100s'", name);
		if (id)
			reply_error(s, id, RPC_METHOD_NOT_FOUND, text);
		return;
	}
	rc = gate(s, m, &why);
	if (rc <= 0) {
		if (rc && id)
			reply_error(s, id, rc, why);
		return;
	}
	rc = m->fn(s, json_object_get(msg, "params"), &result);
	if (!id) {
		if (rc)
			fprintf(stderr, "plumb lsp: %s: invalid params\n",
			        name);
		json_decref(result);
		return;
	}
	if (rc) {
		json_decref(result);
		snprintf(text, sizeof(text), "invalid params for '%.100s'",
		         name);
		reply_error(s, id, rc, text);
		return;
	}
	reply(s, id, result);
}

void pl_lsp__handle(pl_lsp *s, const char *body, size_t len)
{
	json_error_t jerr;
	json_t *msg = json_loadb(body, len, 0, &jerr);
	char text[300];

	if (!msg) {
		snprintf(text, sizeof(text),
		         "invalid JSON at line %d, column %d: %s", jerr.line,
		         jerr.column, jerr.text);
		reply_error(s, NULL, RPC_PARSE_ERROR, text);
		return;
	}
	if (!json_is_object(msg))
		reply_error(s, NULL, RPC_INVALID_REQUEST,
		            "not a JSON-RPC request: an object is expected "
		            "(batches are not part of LSP)");
	else
		dispatch(s, msg);
	json_decref(msg);
}

void pl_lsp__framing_error(pl_lsp *s, const pl_error *err)
{
	char text[300];
	snprintf(text, sizeof(text), "bad message framing: %s", err->msg);
	reply_error(s, NULL, RPC_PARSE_ERROR, text);
}

void pl_lsp__init(pl_lsp *s, FILE *out)
{
	memset(s, 0, sizeof(*s));
	s->out = out;
	s->exit_code = 1;
	pl_run_opts_init(&s->opts);
	pl_walk_init(&s->walk);
	pl_overlay_init(&s->overlay);
	pl_vec_init(&s->docs, sizeof(pl_lsp_doc));
	pl_lint_init(&s->lint);
}

void pl_lsp__release(pl_lsp *s)
{
	size_t i;
	for (i = 0; i < s->docs.len; i++) {
		pl_lsp_doc *d = pl_vec_at(&s->docs, i);
		free(d->uri);
		free(d->path);
	}
	pl_vec_release(&s->docs);
	pl_lint_release(&s->lint);
	pl_session_close(s->session);
	pl_overlay_release(&s->overlay);
	pl_walk_release(&s->walk);
	free(s->root);
}

int pl_run_lsp(FILE *in, FILE *out, int *code, pl_error *err)
{
	pl_lsp s;
	pl_buf body;
	int rc = 0;

	pl_lsp__init(&s, out);
	pl_buf_init(&body, 0);
	while (!s.done && !s.write_failed) {
		rc = pl_lsp_read(in, &body, PL_LSP_MAX_BODY, err);
		if (rc == 1 || rc == PL_EIO)
			break; /* the client went away: exit code 1 */
		if (rc)
			pl_lsp__framing_error(&s, err);
		else
			pl_lsp__handle(&s, body.ptr, body.len);
	}
	if (rc == PL_EIO)
		fprintf(stderr, "plumb lsp: %s\n", err->msg);
	*code = s.exit_code;
	rc = s.write_failed ? pl_error_set(err, PL_EWRITE, NULL, NULL,
	                                   "cannot write to standard output")
	                    : 0;
	pl_buf_release(&body);
	pl_lsp__release(&s);
	return rc;
}
