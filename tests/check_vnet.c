/* check_vnet.c - the virtio_net_hdr of an injected GSO packet, byte for byte, where a large one is cut as tun cuts it, its partial checksum, and completing a captured one's. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "skip.h"
#include "suites.h"
#include "vnet.h"

/* IPv4 TCP 192.0.2.2:40000 -> 192.0.2.1:8080, P., 8 bytes "abcdefgh". */
static const uint8_t v4_frame[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* dst MAC */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* src MAC */
	0x08, 0x00,				/* IPv4 */
	0x45, 0x00, 0x00, 0x30,			/* v4, IHL 5, total 48 */
	0x00, 0x00, 0x40, 0x00,			/* id 0, DF */
	0x40, 0x06, 0xb6, 0xc4,			/* TTL 64, TCP, header checksum */
	0xc0, 0x00, 0x02, 0x02,			/* 192.0.2.2 */
	0xc0, 0x00, 0x02, 0x01,			/* 192.0.2.1 */
	0x9c, 0x40, 0x1f, 0x90,			/* ports 40000 -> 8080; TCP at 34 */
	0x00, 0x00, 0x00, 0x01,			/* seq 1 */
	0x00, 0x00, 0x00, 0x01,			/* ack 1 */
	0x50, 0x18, 0xff, 0xff,			/* data offset 5, P. , win 65535 */
	0xde, 0x58, 0x00, 0x00,			/* checksum (at 50), urgent 0 */
	'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h',	/* payload */
};

/* The same segment over IPv6, 2001:db8::2 -> 2001:db8::1. */
static const uint8_t v6_frame[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* dst MAC */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* src MAC */
	0x86, 0xdd,				/* IPv6 */
	0x60, 0x00, 0x00, 0x00,			/* v6, class 0, flow 0 */
	0x00, 0x1c, 0x06, 0x40,			/* payload 28, TCP, hop limit 64 */
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,	/* 2001:db8::2 */
	0, 0, 0, 0, 0, 0, 0, 0x02,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,	/* 2001:db8::1 */
	0, 0, 0, 0, 0, 0, 0, 0x01,
	0x9c, 0x40, 0x1f, 0x90,			/* ports; TCP at 54 */
	0x00, 0x00, 0x00, 0x01,			/* seq 1 */
	0x00, 0x00, 0x00, 0x01,			/* ack 1 */
	0x50, 0x18, 0xff, 0xff,			/* data offset 5, P., win 65535 */
	0x06, 0xe8, 0x00, 0x00,			/* checksum (at 70), urgent 0 */
	'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h',
};

/* What the socket gets before v4_frame cut at 4 bytes (host order: x86). */
static const uint8_t v4_gso4_hdr[VNET_HDR_LEN] = {
	0x01,			/* flags: NEEDS_CSUM */
	0x01,			/* gso_type: TCPV4 */
	0x36, 0x00,		/* hdr_len 54: Ethernet 14, IPv4 20, TCP 20 */
	0x04, 0x00,		/* gso_size 4 */
	0x22, 0x00,		/* csum_start 34: the TCP header */
	0x10, 0x00,		/* csum_offset 16: its checksum field */
};

static const uint8_t v6_gso4_hdr[VNET_HDR_LEN] = {
	0x01, 0x04,		/* NEEDS_CSUM, TCPV6 */
	0x4a, 0x00,		/* hdr_len 74: 14 + 40 + 20 */
	0x04, 0x00,		/* gso_size 4 */
	0x36, 0x00,		/* csum_start 54 */
	0x10, 0x00,		/* csum_offset 16 */
};

static bool little_endian(void)
{
	const uint16_t one = 1;

	return *(const uint8_t *)&one == 1;
}

START_TEST(gso_header_for_ipv4_and_ipv6_byte_for_byte)
{
	struct vnet_hdr h;
	uint8_t out[VNET_HDR_LEN];
	char *error = NULL;

	/* the header is in host order; these bytes are a little-endian host's */
	if (SKIP_IF(little_endian() ? NULL : "big-endian host"))
		return;
	ck_assert_int_eq(vnet_plan_tcp(v4_frame, sizeof(v4_frame), 4, &h, &error), 0);
	vnet_hdr_encode(&h, out);
	ck_assert_mem_eq(out, v4_gso4_hdr, VNET_HDR_LEN);
	ck_assert_int_eq(vnet_plan_tcp(v6_frame, sizeof(v6_frame), 4, &h, &error), 0);
	vnet_hdr_encode(&h, out);
	ck_assert_mem_eq(out, v6_gso4_hdr, VNET_HDR_LEN);
}
END_TEST

START_TEST(decode_reads_back_what_encode_wrote)
{
	struct vnet_hdr h = { 1, 4, 74, 1460, 54, 16 }, back;
	uint8_t out[VNET_HDR_LEN];

	vnet_hdr_encode(&h, out);
	vnet_hdr_decode(out, &back);
	ck_assert_mem_eq(&h, &back, sizeof(h));
}
END_TEST

START_TEST(segment_that_fits_gets_the_plain_header)
{
	static const unsigned int sizes[] = { 0, 8, 9, 1460 };
	static const uint8_t zero[VNET_HDR_LEN] = { 0 };

	/* 8 bytes after the fixed header: GSO needs a gso_size below 8 */
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct vnet_hdr h;
		uint8_t out[VNET_HDR_LEN];
		char *error = NULL;

		ck_assert_int_eq(vnet_plan_tcp(v4_frame, sizeof(v4_frame), sizes[i], &h,
					       &error), 0);
		vnet_hdr_encode(&h, out);
		ck_assert_msg(!memcmp(out, zero, VNET_HDR_LEN), "gso_size %u", sizes[i]);
	}
}
END_TEST

START_TEST(partial_checksum_is_the_pseudo_header_sum)
{
	uint16_t sum = 0;
	char *error = NULL;

	/* c000 + 0202 + c000 + 0201 + 0006 + 001c (TCP length 28), folded */
	ck_assert_int_eq(vnet_partial_checksum(v4_frame, sizeof(v4_frame), &sum, &error), 0);
	ck_assert_uint_eq(sum, 0x8426);
	/* both addresses, length 28 as 32 bits, next header 6 */
	ck_assert_int_eq(vnet_partial_checksum(v6_frame, sizeof(v6_frame), &sum, &error), 0);
	ck_assert_uint_eq(sum, 0x5b97);
}
END_TEST

/* What a captured NEEDS_CSUM frame carries, completed, is the real checksum. */
static void complete_gives_full_checksum(const uint8_t *frame, size_t len)
{
	uint8_t *f = malloc(len + 4);
	struct vnet_hdr h;
	uint16_t sum;
	char *error = NULL;

	ck_assert_int_eq(vnet_plan_tcp(frame, len, 4, &h, &error), 0);
	ck_assert_int_eq(vnet_partial_checksum(frame, len, &sum, &error), 0);
	memcpy(f, frame, len);
	memset(f + len, 0xee, 4);	/* Ethernet padding: not summed */
	f[h.csum_start + 16] = (uint8_t)(sum >> 8);
	f[h.csum_start + 17] = (uint8_t)sum;
	ck_assert_int_eq(vnet_checksum_complete(f, len + 4, &h, &error), 0);
	ck_assert_mem_eq(f, frame, len);
	free(f);
}

START_TEST(completing_a_partial_checksum_gives_the_real_one)
{
	complete_gives_full_checksum(v4_frame, sizeof(v4_frame));
	complete_gives_full_checksum(v6_frame, sizeof(v6_frame));
}
END_TEST

START_TEST(header_without_needs_csum_leaves_the_frame_alone)
{
	uint8_t f[sizeof(v4_frame)];
	struct vnet_hdr h = { 0 };
	char *error = NULL;

	memcpy(f, v4_frame, sizeof(f));
	f[50] = 0x12;
	ck_assert_int_eq(vnet_checksum_complete(f, sizeof(f), &h, &error), 0);
	ck_assert_uint_eq(f[50], 0x12);
}
END_TEST

START_TEST(offsets_outside_the_datagram_are_refused)
{
	uint8_t f[sizeof(v4_frame)];
	struct vnet_hdr h = { .flags = VNET_F_NEEDS_CSUM, .csum_start = 34, .csum_offset = 47 };
	char *error = NULL;

	memcpy(f, v4_frame, sizeof(f));
	ck_assert_int_eq(vnet_checksum_complete(f, sizeof(f), &h, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "checksum at 34+47 outside the 62-byte datagram");
	ck_assert_mem_eq(f, v4_frame, sizeof(f));
	free(error);
}
END_TEST

START_TEST(frames_that_are_not_tcp_segments_are_plain_or_errors)
{
	uint8_t f[sizeof(v4_frame)];
	struct vnet_hdr h;
	uint16_t sum;
	char *error = NULL;

	ck_assert_int_eq(vnet_plan_tcp(v4_frame, 10, 4, &h, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "frame of 10 bytes has no Ethernet header");
	memcpy(f, v4_frame, sizeof(f));
	f[23] = 17;				/* UDP: plain, but has no TCP checksum */
	ck_assert_int_eq(vnet_plan_tcp(f, sizeof(f), 4, &h, &error), STATUS_OK);
	ck_assert_uint_eq(h.gso_type, VNET_GSO_NONE);
	ck_assert_uint_eq(h.flags, 0);
	ck_assert_int_eq(vnet_partial_checksum(f, sizeof(f), &sum, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "IP protocol 17 is not TCP");
	memcpy(f, v4_frame, sizeof(f));
	f[17] = 0x40;				/* total 64, beyond the frame */
	ck_assert_int_eq(vnet_plan_tcp(f, sizeof(f), 4, &h, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "IP length 64 does not fit the 48 bytes after the Ethernet header");
	memcpy(f, v4_frame, sizeof(f));
	f[46] = 0xf0;				/* data offset 15: 60 bytes */
	ck_assert_int_eq(vnet_plan_tcp(f, sizeof(f), 4, &h, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "TCP data offset 15 does not fit the segment");
	memcpy(f, v4_frame, sizeof(f));
	f[12] = 0x08;
	f[13] = 0x06;				/* ARP */
	ck_assert_int_eq(vnet_plan_tcp(f, sizeof(f), 4, &h, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "not an IPv4 or IPv6 frame");
	ck_assert_int_eq(vnet_plan_tcp(v4_frame, sizeof(v4_frame), 0xffff, &h, &error),
			 STATUS_ERROR);
	ck_assert_str_eq(error, "GSO size 65535 beyond 65534");
	free(error);
}
END_TEST

/* v4_frame grown to payload bytes after its TCP header (malloc'd, the caller frees). */
static uint8_t *v4_frame_of(size_t payload, size_t *len)
{
	uint8_t *f = calloc(1, 54 + payload);
	size_t total = 40 + payload;

	memcpy(f, v4_frame, 54);
	f[16] = (uint8_t)(total >> 8);
	f[17] = (uint8_t)total;
	*len = 54 + payload;
	return f;
}

/* A frame larger than tun's linear part is cut where tun cuts packetdrill's
 * (3712 bytes of IP datagram, Ethernet header before them); a smaller one
 * at its headers, which the kernel copies whole anyway. */
START_TEST(large_frame_is_cut_where_tun_cuts_it)
{
	static const struct { size_t payload; uint16_t hdr_len; } cases[] = {
		{ 9000, 14 + 3712 }, { 3672, 54 }, { 3673, 14 + 3712 }, { 2000, 54 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len;
		uint8_t *f = v4_frame_of(cases[i].payload, &len);
		struct vnet_hdr h;
		char *error = NULL;

		ck_assert_int_eq(vnet_plan_tcp(f, len, 1000, &h, &error), 0);
		ck_assert_int_eq(h.gso_type, VNET_GSO_TCPV4);
		ck_assert_uint_eq(h.gso_size, 1000);
		ck_assert_uint_eq(h.csum_start, 34);
		ck_assert_msg(h.hdr_len == cases[i].hdr_len, "payload %zu: expected hdr_len %u "
			      "vs actual %u", cases[i].payload, cases[i].hdr_len, h.hdr_len);
		free(f);
	}
}
END_TEST

Suite *vnet_suite(void)
{
	Suite *s = suite_create("vnet");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, gso_header_for_ipv4_and_ipv6_byte_for_byte);
	tcase_add_test(tc, decode_reads_back_what_encode_wrote);
	tcase_add_test(tc, segment_that_fits_gets_the_plain_header);
	tcase_add_test(tc, partial_checksum_is_the_pseudo_header_sum);
	tcase_add_test(tc, completing_a_partial_checksum_gives_the_real_one);
	tcase_add_test(tc, header_without_needs_csum_leaves_the_frame_alone);
	tcase_add_test(tc, offsets_outside_the_datagram_are_refused);
	tcase_add_test(tc, frames_that_are_not_tcp_segments_are_plain_or_errors);
	tcase_add_test(tc, large_frame_is_cut_where_tun_cuts_it);
	suite_add_tcase(s, tc);
	return s;
}
