/* check_tfo.c - SipHash-2-4 against its authors' test vector, and Fast Open cookies against the ones Linux gave packetdrill's runners. */
#include <arpa/inet.h>
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "suites.h"
#include "tfo.h"

/* The key the packetdrill corpora's defaults.sh writes to
 * net.ipv4.tcp_fastopen_key, a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4. */
static const uint8_t corpus_key[TFO_KEY_LEN] = {
	0xa1, 0xa1, 0xa1, 0xa1, 0xb2, 0xb2, 0xb2, 0xb2,
	0xc3, 0xc3, 0xc3, 0xc3, 0xd4, 0xd4, 0xd4, 0xd4,
};

START_TEST(siphash_paper_vector)
{
	/* SipHash paper, appendix A: key 00..0f, message 00..0e (15 bytes). */
	uint8_t key[16], msg[15];

	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (int i = 0; i < 15; i++)
		msg[i] = (uint8_t)i;
	ck_assert_uint_eq(tfo_siphash(key, msg, sizeof(msg)), 0xa129ca6149be45e5ULL);
}
END_TEST

START_TEST(siphash_lengths_zero_and_eight)
{
	uint8_t key[16] = { 0 }, msg[8] = { 0 };

	/* a word-sized message takes the loop and an empty last word; an
	 * empty one only the last word: both must differ from each other */
	ck_assert_uint_ne(tfo_siphash(key, msg, 0), tfo_siphash(key, msg, 8));
	ck_assert_uint_eq(tfo_siphash(key, msg, 8), tfo_siphash(key, msg, 8));
}
END_TEST

static void hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

/* The cookie corpus_key gives a SYN from src to dst (family af), in hex. */
static void cookie_text(int af, const char *src, const char *dst, char *text)
{
	uint8_t s[16], d[16], cookie[TFO_COOKIE_LEN];

	ck_assert_int_eq(inet_pton(af, src, s), 1);
	ck_assert_int_eq(inet_pton(af, dst, d), 1);
	tfo_cookie(corpus_key, s, d, af == AF_INET ? 4 : 16, cookie);
	hex(cookie, sizeof(cookie), text);
}

START_TEST(cookie_ipv4_as_the_runner_sees_it)
{
	/* SYN from packetdrill's remote 192.0.2.1 to its local 192.168.0.1:
	 * the runners pass -D TFO_COOKIE=3021b9d889017eeb for this pair */
	char text[2 * TFO_COOKIE_LEN + 1];

	cookie_text(AF_INET, "192.0.2.1", "192.168.0.1", text);
	ck_assert_str_eq(text, "3021b9d889017eeb");
	/* the direction counts: the reverse pair is another cookie */
	cookie_text(AF_INET, "192.168.0.1", "192.0.2.1", text);
	ck_assert_str_ne(text, "3021b9d889017eeb");
}
END_TEST

START_TEST(cookie_ipv6_as_the_runner_sees_it)
{
	char text[2 * TFO_COOKIE_LEN + 1];

	cookie_text(AF_INET6, "fd3d:fa7b:d17d::1", "fd3d:a0b:17d6::1", text);
	ck_assert_str_eq(text, "c1d1e9742a47a9bc");
}
END_TEST

/* The sysctl prints each 32-bit word little-endian: 0x04030201 is bytes 1 2 3 4. */
START_TEST(key_text_parses_as_the_kernel_prints_it)
{
	uint8_t keys[2][TFO_KEY_LEN];

	ck_assert_int_eq(tfo_key_parse("04030201-08070605-0c0b0a09-100f0e0d", keys), 1);
	for (int i = 0; i < TFO_KEY_LEN; i++)
		ck_assert_uint_eq(keys[0][i], i + 1);
	ck_assert_int_eq(tfo_key_parse("a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4,"
				       "00000001-00000000-00000000-00000000", keys), 2);
	ck_assert_mem_eq(keys[0], corpus_key, TFO_KEY_LEN);
	ck_assert_uint_eq(keys[1][0], 1);
	ck_assert_int_eq(tfo_key_parse("a1a1a1a1-b2b2b2b2-c3c3c3c3", keys), -1);
	ck_assert_int_eq(tfo_key_parse("a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4x", keys), -1);
	ck_assert_int_eq(tfo_key_parse("", keys), -1);
}
END_TEST

Suite *tfo_suite(void)
{
	Suite *s = suite_create("tfo");
	TCase *tc = tcase_create("siphash");

	tcase_add_test(tc, siphash_paper_vector);
	tcase_add_test(tc, siphash_lengths_zero_and_eight);
	suite_add_tcase(s, tc);
	tc = tcase_create("cookie");
	tcase_add_test(tc, cookie_ipv4_as_the_runner_sees_it);
	tcase_add_test(tc, cookie_ipv6_as_the_runner_sees_it);
	tcase_add_test(tc, key_text_parses_as_the_kernel_prints_it);
	suite_add_tcase(s, tc);
	return s;
}
