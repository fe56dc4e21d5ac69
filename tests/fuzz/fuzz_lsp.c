/*
 * fuzz_lsp.c - libFuzzer target: the input is what an editor writes to
 * `plumb lsp`. The message reader (run/lsp_io.c) frames it; each body is
 * handled by a server (run/lsp.c) that was initialized once over an empty
 * folder, so a fuzzed initialize is refused and no input can point the
 * server at a real tree; its answers go to /dev/null. Every body's text
 * also drives the position conversions, which must round-trip at each
 * character boundary in both encodings. Anything but a clean return (a
 * crash, a sanitizer report, a hang, a broken invariant) is a bug.
 */
#include "run/lsp_impl.h"

#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static pl_lsp server;
static bool ready;

static void setup(void)
{
	static const char init[] =
	        "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\","
	        "\"params\":{\"rootUri\":\"file://%s\",\"capabilities\":{}}}";
	char dir[] = "/tmp/fuzz_lsp.XXXXXX";
	char msg[256];
	FILE *out = fopen("/dev/null", "w");

	if (!out || !mkdtemp(dir))
		abort();
	pl_lsp__init(&server, out);
	snprintf(msg, sizeof(msg), init, dir);
	pl_lsp__handle(&server, msg, strlen(msg));
	if (!server.initialized)
		abort();
	ready = true;
}

/* Length of the UTF-8 sequence at s as lsp_io.c steps (1 if invalid). */
static size_t step(const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[0];
	size_t n = c < 0x80    ? 1
	           : c >= 0xf0 ? 4
	           : c >= 0xe0 ? 3
	           : c >= 0xc0 ? 2
	                       : 1;
	size_t k;
	if (n > len)
		return 1;
	for (k = 1; k < n; k++)
		if (((unsigned char)s[k] & 0xc0) != 0x80)
			return 1;
	return n;
}

/* offset -> position -> offset is the identity at every boundary. */
static void round_trip(const char *d, size_t len)
{
	pl_vec lines;
	size_t i, o;
	int enc;

	pl_vec_init(&lines, sizeof(size_t));
	pl_lsp_lines(&lines, d, len);
	for (i = 0; i < lines.len; i++) {
		size_t start = *(size_t *)pl_vec_at(&lines, i);
		for (o = start; o <= len;
		     o += o < len ? step(d + o, len - o) : 1) {
			if (o < len && (d[o] == '\n' || d[o] == '\r'))
				break;
			for (enc = 0; enc < 2; enc++) {
				pl_lsp_pos p =
				        pl_lsp_pos_of(&lines, d, len, o, enc);
				if (p.line != i ||
				    pl_lsp_offset_of(&lines, d, len, p, enc) !=
				            o)
					abort();
			}
		}
	}
	pl_vec_release(&lines);
}

/* Back to an open-document-free, running server for the next input. */
static void reset(void)
{
	size_t i;
	for (i = 0; i < server.docs.len; i++) {
		pl_lsp_doc *d = pl_vec_at(&server.docs, i);
		pl_overlay_remove(&server.overlay, d->path);
		free(d->uri);
		free(d->path);
	}
	server.docs.len = 0;
	server.shutdown = false;
	server.done = false;
	server.write_failed = false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *in = fmemopen((void *)data, size, "r");
	pl_buf body;
	pl_error err;
	int rc, n = 0;

	if (!ready)
		setup();
	if (!in)
		return 0;
	pl_buf_init(&body, 0);
	while (!server.done && n++ < 64) {
		pl_error_clear(&err);
		rc = pl_lsp_read(in, &body, 1 << 20, &err);
		if (rc == 1 || rc == PL_EIO)
			break;
		if (rc) {
			pl_lsp__framing_error(&server, &err);
			continue;
		}
		if (body.len > (1 << 20) || body.ptr[body.len] != '\0')
			abort();
		round_trip(body.ptr, body.len);
		pl_lsp__handle(&server, body.ptr, body.len);
	}
	pl_buf_release(&body);
	fclose(in);
	reset();
	return 0;
}
