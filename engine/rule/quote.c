/*
 * quote.c - pl_quote.
 */
#include "rule/quote.h"
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
			const char *esc = c == '\n'   ? "\\n"
			                  : c == '\t' ? "\\t"
			                  : c == '\r' ? "\\r"
			                              : "?";
			size_t el = strlen(esc);
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
