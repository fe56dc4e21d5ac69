/*
 * quote.c - pl_quote and pl_echo (quote.h).
 */
#include "base/quote.h"
#include "base/utf8.h"

char *pl_quote(char *out, size_t size, const char *s, size_t len, size_t max)
{
	size_t o = 0, i = 0, cps = 0;

	while (i < len && o + 8 < size) {
		unsigned char c = (unsigned char)s[i];
		size_t n;
		if (cps >= max) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (c < 0x20 || c == 0x7f) {
			char esc[8];
			size_t el;
			if (c == '\n')
				memcpy(esc, "\\n", 3);
			else if (c == '\t')
				memcpy(esc, "\\t", 3);
			else if (c == '\r')
				memcpy(esc, "\\r", 3);
			else
				snprintf(esc, sizeof(esc), "\\x%02x", c);
			el = strlen(esc);
			memcpy(out + o, esc, el);
			o += el;
			i++;
			cps++;
			continue;
		}
		n = pl_utf8_valid_len(s + i, len - i);
		if (n == 0) {
			out[o++] = '?';
			i++;
		} else {
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
		}
		cps++;
	}
	out[o] = '\0';
	return out;
}

char *pl_echo(char *out, size_t size, const char *s)
{
	if (!s)
		s = "";
	return pl_quote(out, size, s, strlen(s), PL_ECHO_MAX);
}
