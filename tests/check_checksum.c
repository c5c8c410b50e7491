/* check_checksum.c - the Internet checksum against RFC 1071's example, known headers and frames captured from Linux. */
#include <arpa/inet.h>
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checksum.h"
#include "suites.h"

/*
 * Frames captured with tcpdump -xx on a veth pair between two namespaces
 * (02:00:00:00:00:01 192.0.2.1 / 2001:db8::1 is the client, ...:02 .2 / ::2
 * the server) with transmit checksum offload switched off, so the kernel
 * filled in every checksum and tcpdump called each one correct.
 */
/* tcpdump -vv: IP (tos 0x0, ttl 64, id 42111, offset 0, flags [DF], proto
 * TCP (6), length 57) 192.0.2.1.40000 > 192.0.2.2.8080: Flags [P.], cksum
 * 0xb3a8 (correct), seq 2467812874:2467812879, ack 726366953, win 63,
 * options [nop,nop,TS val 168597900 ecr 299792980], length 5: HTTP
 */
static const uint8_t v4_data[] = {
	/* Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* destination 02:00:00:00:00:02 */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* source 02:00:00:00:00:01 */
	0x08, 0x00,				/* ethertype IPv4 */
	/* IPv4 */
	0x45,					/* version 4, header length 5 words */
	0x00,					/* TOS 0x00 */
	0x00, 0x39,				/* total length 57 */
	0xa4, 0x7f,				/* identification 42111 */
	0x40, 0x00,				/* flags DF, fragment offset 0 */
	0x40,					/* TTL 64 */
	0x06,					/* protocol TCP */
	0x12, 0x3c,				/* header checksum */
	0xc0, 0x00, 0x02, 0x01,			/* source 192.0.2.1 */
	0xc0, 0x00, 0x02, 0x02,			/* destination 192.0.2.2 */
	/* TCP */
	0x9c, 0x40,				/* source port 40000 */
	0x1f, 0x90,				/* destination port 8080 */
	0x93, 0x17, 0xd6, 0x0a,			/* sequence number 2467812874 */
	0x2b, 0x4b, 0x7a, 0xe9,			/* acknowledgment number 726366953 */
	0x80,					/* data offset 8 words */
	0x18,					/* flags PSH|ACK */
	0x00, 0x3f,				/* window 63 */
	0xb3, 0xa8,				/* checksum */
	0x00, 0x00,				/* urgent pointer 0 */
	0x01,					/* option nop */
	0x01,					/* option nop */
	0x08, 0x0a,				/* option TS, length 10 */
	0x0a, 0x0c, 0x99, 0x8c,			/*   val 168597900 */
	0x11, 0xde, 0x7a, 0x54,			/*   ecr 299792980 */
	/* payload */
	0x68, 0x65, 0x6c, 0x6c, 0x6f,		/* payload "hello" */
};

/* tcpdump -vv: IP6 (flowlabel 0x3c336, hlim 64, next-header TCP (6) payload
 * length: 37) 2001:db8::1.40000 > 2001:db8::2.8080: Flags [P.], cksum
 * 0x02a3 (correct), seq 122461049:122461054, ack 2053440503, win 64,
 * options [nop,nop,TS val 1724941650 ecr 1333574644], length 5: HTTP
 */
static const uint8_t v6_data[] = {
	/* Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* destination 02:00:00:00:00:02 */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* source 02:00:00:00:00:01 */
	0x86, 0xdd,				/* ethertype IPv6 */
	/* IPv6 */
	0x60, 0x03, 0xc3, 0x36,			/* version 6, traffic class 0, flow label 0x3c336 */
	0x00, 0x25,				/* payload length 37 */
	0x06,					/* next header TCP */
	0x40,					/* hop limit 64 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,	/* source 2001:db8::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,	/*   (source) */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,	/* dest 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,	/*   (dest) */
	/* TCP */
	0x9c, 0x40,				/* source port 40000 */
	0x1f, 0x90,				/* destination port 8080 */
	0x07, 0x4c, 0x9b, 0x79,			/* sequence number 122461049 */
	0x7a, 0x65, 0x03, 0xf7,			/* acknowledgment number 2053440503 */
	0x80,					/* data offset 8 words */
	0x18,					/* flags PSH|ACK */
	0x00, 0x40,				/* window 64 */
	0x02, 0xa3,				/* checksum */
	0x00, 0x00,				/* urgent pointer 0 */
	0x01,					/* option nop */
	0x01,					/* option nop */
	0x08, 0x0a,				/* option TS, length 10 */
	0x66, 0xd0, 0x85, 0x52,			/*   val 1724941650 */
	0x4f, 0x7c, 0xbb, 0xf4,			/*   ecr 1333574644 */
	/* payload */
	0x68, 0x65, 0x6c, 0x6c, 0x6f,		/* payload "hello" */
};

/* tcpdump -vv: IP6 (hlim 255, next-header ICMPv6 (58) payload length: 32)
 * 2001:db8::2 > 2001:db8::1: [icmp6 sum ok] ICMP6, neighbor advertisement,
 * length 32, tgt is 2001:db8::2, Flags [solicited, override] destination
 * link-address option (2), length 8 (1): 02:00:00:00:00:02
 */
static const uint8_t nd_advert[] = {
	/* Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* destination 02:00:00:00:00:01 */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* source 02:00:00:00:00:02 */
	0x86, 0xdd,				/* ethertype IPv6 */
	/* IPv6 */
	0x60, 0x00, 0x00, 0x00,			/* version 6, traffic class 0, flow label 0x00000 */
	0x00, 0x20,				/* payload length 32 */
	0x3a,					/* next header ICMPv6 */
	0xff,					/* hop limit 255 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,	/* source 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,	/*   (source) */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,	/* dest 2001:db8::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,	/*   (dest) */
	/* ICMPv6 */
	0x88,					/* type 136 (neighbour advertisement) */
	0x00,					/* code 0 */
	0x8a, 0x71,				/* checksum */
	0x60, 0x00, 0x00, 0x00,			/* flags: solicited, override */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,	/* target 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,	/*   (target) */
	0x02, 0x01,				/* option TLLA, 8 bytes */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* 02:00:00:00:00:02 */
};

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
