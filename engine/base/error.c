/*
 * error.c - pl_error. Messages longer than msg[] are cut at the front of
 * long paths rather than at the end of the message, so the reason survives;
 * control characters in either are escaped (base/quote.h).
 */
#include "base/error.h"
#include "base/quote.h"

void pl_error_clear(pl_error *err)
{
	err->code = 0;
	err->path = NULL;
	err->pos.line = 0;
	err->pos.col = 0;
	err->pos.offset = 0;
	err->msg[0] = '\0';
	err->file[0] = '\0';
}

int pl_error_set(pl_error *err, int code, const char *path, const pl_pos *pos,
                 const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	if (!err)
		return code;
	err->code = code;
	err->path = NULL;
	if (path) {
		size_t n = strlen(path);
		/* keep the tail of a long path: the file name matters; a
		 * control character in it is shown escaped */
		if (n > 160)
			path += n - 160;
		pl_quote(err->file, sizeof(err->file), path, strlen(path),
		         sizeof(err->file));
		err->path = err->file;
	}
	if (pos) {
		err->pos = *pos;
	} else {
		err->pos.line = 0;
		err->pos.col = 0;
		err->pos.offset = 0;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* the safety net under pl_echo: whatever user text a message
	 * holds, no control character reaches the terminal */
	pl_quote(err->msg, sizeof(err->msg), msg, strlen(msg),
	         sizeof(err->msg));
	return code;
}

void pl_error_format(const pl_error *err, char *out, size_t size)
{
	const char *path = err->path;
	size_t plen;

	if (!path) {
		snprintf(out, size, "%s", err->msg);
		return;
	}
	plen = strlen(path);
	if (plen > 120) {
		path += plen - 117;
		if (err->pos.line)
			snprintf(out, size, "...%s:%u:%u: %s", path,
			         err->pos.line, err->pos.col, err->msg);
		else
			snprintf(out, size, "...%s: %s", path, err->msg);
		return;
	}
	if (err->pos.line)
		snprintf(out, size, "%s:%u:%u: %s", path, err->pos.line,
		         err->pos.col, err->msg);
	else
		snprintf(out, size, "%s: %s", path, err->msg);
}
