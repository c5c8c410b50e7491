/* tfo.c - see tfo.h.  SipHash-2-4 as its authors specify it (Aumasson and Bernstein, 2012). */
#include <stdio.h>
#include <string.h>

#include "tfo.h"

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t rotl(uint64_t x, int b)
{
	return x << b | x >> (64 - b);
}

struct sip {
	uint64_t v0, v1, v2, v3;
};

static void sip_rounds(struct sip *s, int n)
{
	while (n--) {
		s->v0 += s->v1; s->v1 = rotl(s->v1, 13); s->v1 ^= s->v0;
		s->v0 = rotl(s->v0, 32);
		s->v2 += s->v3; s->v3 = rotl(s->v3, 16); s->v3 ^= s->v2;
		s->v0 += s->v3; s->v3 = rotl(s->v3, 21); s->v3 ^= s->v0;
		s->v2 += s->v1; s->v1 = rotl(s->v1, 17); s->v1 ^= s->v2;
		s->v2 = rotl(s->v2, 32);
	}
}

/* Two compression rounds per 8-byte word. */
static void sip_word(struct sip *s, uint64_t m)
{
	s->v3 ^= m;
	sip_rounds(s, 2);
	s->v0 ^= m;
}

uint64_t tfo_siphash(const uint8_t key[TFO_KEY_LEN], const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t k0 = le64(key), k1 = le64(key + 8), last;
	/* the initial state is "somepseudorandomlygeneratedbytes" in ASCII */
	struct sip s = {
		k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL,
		k0 ^ 0x6c7967656e657261ULL, k1 ^ 0x7465646279746573ULL,
	};
	size_t full = len - len % 8;
	uint8_t tail[8] = { 0 };

	for (size_t i = 0; i < full; i += 8)
		sip_word(&s, le64(p + i));
	/* the last word: the leftover bytes, the length's low byte on top */
	memcpy(tail, p + full, len - full);
	last = le64(tail) | (uint64_t)(len & 0xff) << 56;
	sip_word(&s, last);
	s.v2 ^= 0xff;
	sip_rounds(&s, 4);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

void tfo_cookie(const uint8_t key[TFO_KEY_LEN], const void *src, const void *dst,
		size_t addr_len, uint8_t cookie[TFO_COOKIE_LEN])
{
	uint8_t both[32];
	uint64_t h;

	/* the kernel hashes saddr and daddr where they lie in the IP header */
	memcpy(both, src, addr_len);
	memcpy(both + addr_len, dst, addr_len);
	h = tfo_siphash(key, both, 2 * addr_len);
	for (int i = 0; i < TFO_COOKIE_LEN; i++)
		cookie[i] = (uint8_t)(h >> (8 * i));
}

int tfo_key_parse(const char *text, uint8_t keys[2][TFO_KEY_LEN])
{
	unsigned int w[8];
	int used = 0, n;

	n = sscanf(text, "%8x-%8x-%8x-%8x%n,%8x-%8x-%8x-%8x%n", &w[0], &w[1], &w[2], &w[3],
		   &used, &w[4], &w[5], &w[6], &w[7], &used);
	if ((n != 4 && n != 8) || text[used] != '\0')
		return -1;
	for (int i = 0; i < n; i++)
		for (int b = 0; b < 4; b++)
			keys[i / 4][(i % 4) * 4 + b] = (uint8_t)(w[i] >> (8 * b));
	return n / 4;
}
