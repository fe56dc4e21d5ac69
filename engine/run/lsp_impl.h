/*
 * lsp_impl.h - what lsp.c (messages, lifecycle, documents) and
 * lsp_answer.c (diagnostics, hover, code actions) share. Not a public
 * header; the two files are the only <jansson.h> users of run/.
 */
#ifndef PL_LSP_IMPL_H
#define PL_LSP_IMPL_H

#include "run/lsp_io.h"
#include "run/run_impl.h"
#include "run/session.h"

#include <jansson.h>

/* An open document. */
typedef struct pl_lsp_doc {
	char *uri;
	char *path; /* as the run names it: relative to the root, or absolute */
	json_int_t version;
} pl_lsp_doc;

typedef struct pl_lsp {
	FILE *out;
	bool initialized, shutdown, done, write_failed;
	bool utf8;          /* positionEncoding utf-8, else UTF-16 units */
	bool watch_dynamic; /* the client takes a file watcher */
	bool related;       /* the client takes relatedInformation */
	bool open_failed;   /* shown at initialized */
	char open_error[512];
	int exit_code;
	char *root;
	pl_run_opts opts;
	pl_session *session; /* NULL until the repository opens */
	pl_walk walk;        /* the repository's files */
	pl_overlay overlay;  /* the open documents' text */
	pl_vec docs;         /* pl_lsp_doc */
	pl_lint lint;        /* the last lint */
	double last_ms;      /* how long it took */
} pl_lsp;

void pl_lsp__init(pl_lsp *s, FILE *out);
void pl_lsp__release(pl_lsp *s);
/* One message's body: parsed, dispatched, answered. */
void pl_lsp__handle(pl_lsp *s, const char *body, size_t len);
/* The answer to a message pl_lsp_read could not frame (err). */
void pl_lsp__framing_error(pl_lsp *s, const pl_error *err);

/* A JSON string of s (invalid UTF-8 bytes become U+FFFD). New ref. */
json_t *pl_lsp__str(const char *s);
/* Sends a notification; steals params. */
void pl_lsp__notify(pl_lsp *s, const char *method, json_t *params);
/* The open document of uri, or NULL. */
pl_lsp_doc *pl_lsp__doc(pl_lsp *s, const char *uri);
/* The run's path for uri (heap), or NULL when it is not a file URI. */
char *pl_lsp__path(const pl_lsp *s, const char *uri);
/* An LSP Range object -> two positions; false when malformed. */
bool pl_lsp__range(json_t *range, pl_lsp_pos *start, pl_lsp_pos *end);

/* publishDiagnostics for every open document, from s->lint. */
void pl_lsp__publish_all(pl_lsp *s);
/* textDocument/hover and textDocument/codeAction: 0 with *result, or
 * a JSON-RPC error code. */
int pl_lsp__hover(pl_lsp *s, json_t *params, json_t **result);
int pl_lsp__code_action(pl_lsp *s, json_t *params, json_t **result);

#endif
