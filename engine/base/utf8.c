/*
 * utf8.c - UTF-8 validation per RFC 3629 §4 (the syntax table).
 */
#include "base/utf8.h"

size_t pl_utf8_seq_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 1;
}

size_t pl_utf8_valid_len(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n, i;

	if (len == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	n = pl_utf8_seq_len(s[0]);
	if (n == 1 || n > len)
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if (s[0] == 0xe0 && s[1] < 0xa0)
		return 0; /* overlong */
	if (s[0] == 0xed && s[1] >= 0xa0)
		return 0; /* surrogates */
	if (s[0] == 0xf0 && s[1] < 0x90)
		return 0; /* overlong */
	if (s[0] == 0xf4 && s[1] >= 0x90)
		return 0; /* above U+10FFFF */
	return n;
}

size_t pl_utf8_count(const char *s, size_t len)
{
	size_t i = 0, count = 0;
	while (i < len) {
		size_t n = pl_utf8_valid_len(s + i, len - i);
		i += n ? n : 1;
		count++;
	}
	return count;
}
