/* check_checksum.c - the Internet checksum against RFC 1071's example, known headers and frames captured from Linux. */
#include <arpa/inet.h>
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checksum.h"
#include "frames.h"
#include "suites.h"

enum { ETH = 14, IP4 = 20, IP6 = 40 };

/* A copy with the 16-bit field at off zeroed, as a sender sees it. */
static uint8_t *zeroed_copy(const uint8_t *p, size_t len, size_t off)
{
	uint8_t *c = malloc(len);

	ck_assert_ptr_nonnull(c);
	memcpy(c, p, len);
	c[off] = c[off + 1] = 0;
	return c;
}

static uint16_t field(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

START_TEST(rfc1071_example_sums_to_ddf2)
{
	/* RFC 1071 section 3: these eight bytes sum to 0xddf2. */
	static const uint8_t data[] = {
		0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7,
	};

	ck_assert_uint_eq(checksum_fold(checksum_add(0, data, sizeof(data))),
			  (uint16_t)~0xddf2);
}
END_TEST

START_TEST(empty_data_checksums_to_ffff)
{
	ck_assert_uint_eq(checksum_fold(checksum_add(0, "", 0)), 0xffff);
}
END_TEST

START_TEST(odd_last_byte_is_padded_with_zero)
{
	static const uint8_t odd[] = { 0x12, 0x34, 0x56 };
	static const uint8_t even[] = { 0x12, 0x34, 0x56, 0x00 };

	ck_assert_uint_eq(checksum_fold(checksum_add(0, odd, sizeof(odd))),
			  checksum_fold(checksum_add(0, even, sizeof(even))));
	ck_assert_uint_eq(checksum_fold(checksum_add(0, odd, sizeof(odd))),
			  (uint16_t)~(0x1234 + 0x5600));
}
END_TEST

START_TEST(sum_in_even_chunks_equals_sum_in_one_go)
{
	uint8_t data[101];
	uint32_t sum = 0;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 37 + 11);
	sum = checksum_add(sum, data, 10);
	sum = checksum_add(sum, data + 10, 64);
	sum = checksum_add(sum, data + 74, 27);	/* odd: last chunk only */
	ck_assert_uint_eq(checksum_fold(sum),
			  checksum_fold(checksum_add(0, data, sizeof(data))));
}
END_TEST

START_TEST(carries_wrap_around_into_the_low_bits)
{
	static const uint8_t data[] = { 0xff, 0xff, 0x00, 0x01 };

	/* 0xffff + 0x0001 = 0x10000, end-around carry gives 0x0001. */
	ck_assert_uint_eq(checksum_fold(checksum_add(0, data, sizeof(data))),
			  0xfffe);
	ck_assert_uint_eq(checksum_fold(0x0001ffff), (uint16_t)~0x0001);
	ck_assert_uint_eq(checksum_fold(0xffffffff), (uint16_t)~0xffff);
}
END_TEST

START_TEST(large_buffer_does_not_overflow_the_sum)
{
	/* 256 KiB of 0xff: 131072 words of 0xffff, whose one's-complement
	 * sum is 0xffff, far past what a 32-bit sum holds without folding. */
	size_t len = 256 * 1024;
	uint8_t *data = malloc(len);
	uint32_t sum;

	ck_assert_ptr_nonnull(data);
	memset(data, 0xff, len);
	sum = checksum_add(0, data, len);
	ck_assert_uint_eq(checksum_fold(sum), 0x0000);
	/* and a running sum keeps going from a large value */
	sum = checksum_add(sum, "\x00\x01", 2);
	ck_assert_uint_eq(checksum_fold(sum), (uint16_t)~0x0001);
	free(data);
}
END_TEST

START_TEST(ipv4_header_textbook_example)
{
	/* A widely used worked example: the header checksum is 0xb861. */
	static const uint8_t hdr[] = {
		0x45,			/* version 4, IHL 5 */
		0x00,			/* TOS */
		0x00, 0x73,		/* total length 115 */
		0x00, 0x00,		/* identification */
		0x40, 0x00,		/* DF */
		0x40,			/* TTL 64 */
		0x11,			/* protocol UDP */
		0x00, 0x00,		/* checksum (zero while computing) */
		0xc0, 0xa8, 0x00, 0x01,	/* source 192.168.0.1 */
		0xc0, 0xa8, 0x00, 0xc7,	/* destination 192.168.0.199 */
	};
	uint8_t filled[sizeof(hdr)];

	ck_assert_uint_eq(checksum_ipv4_header(hdr, sizeof(hdr)), 0xb861);
	memcpy(filled, hdr, sizeof(hdr));
	filled[10] = 0xb8;
	filled[11] = 0x61;
	ck_assert_uint_eq(checksum_ipv4_header(filled, sizeof(filled)), 0);
}
END_TEST

START_TEST(ipv4_header_of_real_frame)
{
	uint8_t *ip = zeroed_copy(v4_data + ETH, IP4, 10);

	ck_assert_uint_eq(checksum_ipv4_header(ip, IP4),
			  field(v4_data + ETH + 10));
	ck_assert_uint_eq(checksum_ipv4_header(v4_data + ETH, IP4), 0);
	free(ip);
}
END_TEST

START_TEST(tcp4_checksum_of_real_odd_length_segment)
{
	const uint8_t *ip = v4_data + ETH;
	size_t len = sizeof(v4_data) - ETH - IP4;	/* 37: odd */
	struct in_addr src, dst;
	uint8_t *seg = zeroed_copy(ip + IP4, len, 16);

	memcpy(&src, ip + 12, 4);
	memcpy(&dst, ip + 16, 4);
	ck_assert_uint_eq(len % 2, 1);
	ck_assert_uint_eq(checksum_tcp4(&src, &dst, seg, len), 0xb3a8);
	ck_assert_uint_eq(field(ip + IP4 + 16), 0xb3a8);
	/* over the segment as sent, a correct checksum verifies to 0 */
	ck_assert_uint_eq(checksum_tcp4(&src, &dst, ip + IP4, len), 0);
	free(seg);
}
END_TEST

START_TEST(tcp4_pseudo_header_covers_the_addresses)
{
	const uint8_t *ip = v4_data + ETH;
	size_t len = sizeof(v4_data) - ETH - IP4;
	struct in_addr src, dst, other;

	memcpy(&src, ip + 12, 4);
	memcpy(&dst, ip + 16, 4);
	inet_pton(AF_INET, "192.0.2.3", &other);
	ck_assert_uint_ne(checksum_tcp4(&src, &other, ip + IP4, len), 0);
	ck_assert_uint_ne(checksum_tcp4(&src, &dst, ip + IP4, len - 1), 0);
}
END_TEST

START_TEST(tcp6_checksum_of_real_odd_length_segment)
{
	const uint8_t *ip = v6_data + ETH;
	size_t len = sizeof(v6_data) - ETH - IP6;
	struct in6_addr src, dst;
	uint8_t *seg = zeroed_copy(ip + IP6, len, 16);

	memcpy(&src, ip + 8, 16);
	memcpy(&dst, ip + 24, 16);
	ck_assert_uint_eq(len % 2, 1);
	ck_assert_uint_eq(checksum_tcp6(&src, &dst, seg, len), 0x02a3);
	ck_assert_uint_eq(checksum_tcp6(&src, &dst, ip + IP6, len), 0);
	dst.s6_addr[15] ^= 1;
	ck_assert_uint_ne(checksum_tcp6(&src, &dst, ip + IP6, len), 0);
	free(seg);
}
END_TEST

START_TEST(icmp6_checksum_of_real_neighbour_advert)
{
	const uint8_t *ip = nd_advert + ETH;
	size_t len = sizeof(nd_advert) - ETH - IP6;
	struct in6_addr src, dst;
	uint8_t *msg = zeroed_copy(ip + IP6, len, 2);

	memcpy(&src, ip + 8, 16);
	memcpy(&dst, ip + 24, 16);
	ck_assert_uint_eq(checksum_icmp6(&src, &dst, msg, len), 0x8a71);
	ck_assert_uint_eq(checksum_icmp6(&src, &dst, ip + IP6, len), 0);
	/* ICMPv6 and TCP differ only in the next-header value */
	ck_assert_uint_ne(checksum_tcp6(&src, &dst, msg, len), 0x8a71);
	free(msg);
}
END_TEST

Suite *checksum_suite(void)
{
	Suite *s = suite_create("checksum");
	TCase *tc = tcase_create("rfc1071");

	tcase_add_test(tc, rfc1071_example_sums_to_ddf2);
	tcase_add_test(tc, empty_data_checksums_to_ffff);
	tcase_add_test(tc, odd_last_byte_is_padded_with_zero);
	tcase_add_test(tc, sum_in_even_chunks_equals_sum_in_one_go);
	tcase_add_test(tc, carries_wrap_around_into_the_low_bits);
	tcase_add_test(tc, large_buffer_does_not_overflow_the_sum);
	suite_add_tcase(s, tc);

	tc = tcase_create("headers");
	tcase_add_test(tc, ipv4_header_textbook_example);
	tcase_add_test(tc, ipv4_header_of_real_frame);
	tcase_add_test(tc, tcp4_checksum_of_real_odd_length_segment);
	tcase_add_test(tc, tcp4_pseudo_header_covers_the_addresses);
	tcase_add_test(tc, tcp6_checksum_of_real_odd_length_segment);
	tcase_add_test(tc, icmp6_checksum_of_real_neighbour_advert);
	suite_add_tcase(s, tc);
	return s;
}
