/*
 * siphash.c - SipHash-2-4 as the paper's §2 specifies it: two rounds per
 * 8-byte word, four to finalise; the 128-bit variant xors 0xee into v1
 * at the start and into v2 before finalising, then 0xdd into v1 for its
 * second word. Checked against the paper's vectors (test_base).
 */
#include "base/siphash.h"

static uint64_t rotl(uint64_t x, unsigned n)
{
	return (x << n) | (x >> (64 - n));
}

static uint64_t le64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;
	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void rounds(uint64_t v[4], int n)
{
	while (n-- > 0) {
		v[0] += v[1];
		v[1] = rotl(v[1], 13) ^ v[0];
		v[0] = rotl(v[0], 32);
		v[2] += v[3];
		v[3] = rotl(v[3], 16) ^ v[2];
		v[0] += v[3];
		v[3] = rotl(v[3], 21) ^ v[0];
		v[2] += v[1];
		v[1] = rotl(v[1], 17) ^ v[2];
		v[2] = rotl(v[2], 32);
	}
}

static void word(pl_siphash *h, uint64_t m)
{
	h->v[3] ^= m;
	rounds(h->v, 2);
	h->v[0] ^= m;
}

void pl_siphash_init(pl_siphash *h, const unsigned char key[PL_SIPHASH_KEY_LEN],
                     bool wide)
{
	uint64_t k0 = le64(key), k1 = le64(key + 8);

	memset(h, 0, sizeof(*h));
	/* "somepseudorandomlygeneratedbytes" */
	h->v[0] = k0 ^ 0x736f6d6570736575ull;
	h->v[1] = k1 ^ 0x646f72616e646f6dull;
	h->v[2] = k0 ^ 0x6c7967656e657261ull;
	h->v[3] = k1 ^ 0x7465646279746573ull;
	h->wide = wide;
	if (wide)
		h->v[1] ^= 0xee;
}

void pl_siphash_update(pl_siphash *h, const void *data, size_t len)
{
	const unsigned char *p = data;

	h->bytes += len;
	if (h->ntail) {
		while (len && h->ntail < 8) {
			h->tail[h->ntail++] = *p++;
			len--;
		}
		if (h->ntail < 8)
			return;
		word(h, le64(h->tail));
		h->ntail = 0;
	}
	for (; len >= 8; p += 8, len -= 8)
		word(h, le64(p));
	memcpy(h->tail, p, len);
	h->ntail = len;
}

static void put64(unsigned char *out, uint64_t v)
{
	int i;
	for (i = 0; i < 8; i++)
		out[i] = (unsigned char)(v >> (8 * i));
}

void pl_siphash_final(pl_siphash *h, unsigned char *out)
{
	uint64_t b = (uint64_t)(h->bytes & 0xff) << 56;
	size_t i;

	for (i = 0; i < h->ntail; i++)
		b |= (uint64_t)h->tail[i] << (8 * i);
	word(h, b);
	h->v[2] ^= h->wide ? 0xee : 0xff;
	rounds(h->v, 4);
	put64(out, h->v[0] ^ h->v[1] ^ h->v[2] ^ h->v[3]);
	if (!h->wide)
		return;
	h->v[1] ^= 0xdd;
	rounds(h->v, 4);
	put64(out + 8, h->v[0] ^ h->v[1] ^ h->v[2] ^ h->v[3]);
}
