/* check_packet_parse.c - packet_parse on frames captured from Linux and on broken ones; part of the packet suite. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "packet.h"
#include "frames.h"
#include "packet_test.h"
#include "suites.h"


/* What tcpdump decoded from each real frame, and the line we must print. */
static const struct real_frame {
	const char *name;
	const uint8_t *bytes;
	size_t len;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	uint8_t ttl;
	size_t payload_len;
	const char *line;
} real_frames[] = {
	{ "v4_syn", v4_syn, sizeof(v4_syn), 40000, 8080, 2467812873u, 0u, 0x02, 64240, 64, 0,
	  "S 2467812873:2467812873(0) win 64240 <mss 1460,sackOK,TS val 168597899 ecr 0,nop,wscale 10>" },
	{ "v4_synack", v4_synack, sizeof(v4_synack), 8080, 40000, 726366952u, 2467812874u, 0x12, 65160, 64, 0,
	  "S. 726366952:726366952(0) ack 2467812874 win 65160 <mss 1460,sackOK,TS val 299792980 ecr 168597899,nop,wscale 10>" },
	{ "v4_ack", v4_ack, sizeof(v4_ack), 40000, 8080, 2467812874u, 726366953u, 0x10, 63, 64, 0,
	  ". 2467812874:2467812874(0) ack 726366953 win 63 <nop,nop,TS val 168597899 ecr 299792980>" },
	{ "v4_data", v4_data, sizeof(v4_data), 40000, 8080, 2467812874u, 726366953u, 0x18, 63, 64, 5,
	  "P. 2467812874:2467812879(5) ack 726366953 win 63 <nop,nop,TS val 168597900 ecr 299792980>" },
	{ "v4_data_ack", v4_data_ack, sizeof(v4_data_ack), 8080, 40000, 726366953u, 2467812879u, 0x10, 64, 64, 0,
	  ". 726366953:726366953(0) ack 2467812879 win 64 <nop,nop,TS val 299792981 ecr 168597900>" },
	{ "v4_fin", v4_fin, sizeof(v4_fin), 40000, 8080, 2467812879u, 726366953u, 0x11, 63, 64, 0,
	  "F. 2467812879:2467812879(0) ack 726366953 win 63 <nop,nop,TS val 168598000 ecr 299792981>" },
	{ "v4_finack", v4_finack, sizeof(v4_finack), 8080, 40000, 726366953u, 2467812880u, 0x11, 64, 64, 0,
	  "F. 726366953:726366953(0) ack 2467812880 win 64 <nop,nop,TS val 299793082 ecr 168598000>" },
	{ "v4_last_ack", v4_last_ack, sizeof(v4_last_ack), 40000, 8080, 2467812880u, 726366954u, 0x10, 63, 64, 0,
	  ". 2467812880:2467812880(0) ack 726366954 win 63 <nop,nop,TS val 168598001 ecr 299793082>" },
	{ "v6_syn", v6_syn, sizeof(v6_syn), 40000, 8080, 122461048u, 0u, 0x02, 64800, 64, 0,
	  "S 122461048:122461048(0) win 64800 <mss 1440,sackOK,TS val 1724941650 ecr 0,nop,wscale 10>" },
	{ "v6_synack", v6_synack, sizeof(v6_synack), 8080, 40000, 2053440502u, 122461049u, 0x12, 64260, 64, 0,
	  "S. 2053440502:2053440502(0) ack 122461049 win 64260 <mss 1440,sackOK,TS val 1333574644 ecr 1724941650,nop,wscale 10>" },
	{ "v6_ack", v6_ack, sizeof(v6_ack), 40000, 8080, 122461049u, 2053440503u, 0x10, 64, 64, 0,
	  ". 122461049:122461049(0) ack 2053440503 win 64 <nop,nop,TS val 1724941650 ecr 1333574644>" },
	{ "v6_data", v6_data, sizeof(v6_data), 40000, 8080, 122461049u, 2053440503u, 0x18, 64, 64, 5,
	  "P. 122461049:122461054(5) ack 2053440503 win 64 <nop,nop,TS val 1724941650 ecr 1333574644>" },
	{ "v6_data_ack", v6_data_ack, sizeof(v6_data_ack), 8080, 40000, 2053440503u, 122461054u, 0x10, 63, 64, 0,
	  ". 2053440503:2053440503(0) ack 122461054 win 63 <nop,nop,TS val 1333574644 ecr 1724941650>" },
	{ "v6_fin", v6_fin, sizeof(v6_fin), 40000, 8080, 122461054u, 2053440503u, 0x11, 64, 64, 0,
	  "F. 122461054:122461054(0) ack 2053440503 win 64 <nop,nop,TS val 1724941750 ecr 1333574644>" },
	{ "v6_finack", v6_finack, sizeof(v6_finack), 8080, 40000, 2053440503u, 122461055u, 0x11, 63, 64, 0,
	  "F. 2053440503:2053440503(0) ack 122461055 win 63 <nop,nop,TS val 1333574745 ecr 1724941750>" },
	{ "v6_last_ack", v6_last_ack, sizeof(v6_last_ack), 40000, 8080, 122461055u, 2053440504u, 0x10, 64, 64, 0,
	  ". 122461055:122461055(0) ack 2053440504 win 64 <nop,nop,TS val 1724941751 ecr 1333574745>" },
};

#define N_REAL (sizeof(real_frames) / sizeof(real_frames[0]))

static int parse_heap(const uint8_t *frame, size_t len, struct packet_info *info,
		      char **error)
{
	uint8_t *c = heap_copy(frame, len);
	int ret = packet_parse(c, len, info, error);

	/* info points into the frame: callers only look at scalar fields
	 * after this, so the copy can go. */
	free(c);
	info->tcp.payload = NULL;
	return ret;
}

/* ---- parsing real frames -------------------------------------------- */

START_TEST(parse_real_frame_gives_tcpdumps_fields_and_checksum_ok)
{
	const struct real_frame *f = &real_frames[_i];
	bool v6 = f->name[1] == '6', from_client = f->sport == 40000;
	struct packet_info info;
	char *err = NULL;

	ck_assert_int_eq(parse_heap(f->bytes, f->len, &info, &err), STATUS_OK);
	ck_assert_ptr_null(err);
	ck_assert_int_eq(info.kind, PACKET_TCP);
	ck_assert_msg(info.checksum_ok, "%s: checksum not ok", f->name);
	ck_assert_mem_eq(info.eth_src, from_client ? client_mac : server_mac, 6);
	ck_assert_mem_eq(info.eth_dst, from_client ? server_mac : client_mac, 6);
	ck_assert(addr_eq(&info.tcp.src, v6 ? (from_client ? "2001:db8::1" : "2001:db8::2")
					  : (from_client ? "192.0.2.1" : "192.0.2.2")));
	ck_assert(addr_eq(&info.tcp.dst, v6 ? (from_client ? "2001:db8::2" : "2001:db8::1")
					  : (from_client ? "192.0.2.2" : "192.0.2.1")));
	ck_assert_uint_eq(info.tcp.sport, f->sport);
	ck_assert_uint_eq(info.tcp.dport, f->dport);
	ck_assert_uint_eq(info.tcp.seq, f->seq);
	ck_assert_uint_eq(info.tcp.ack, f->ack);
	ck_assert_uint_eq(info.tcp.flags, f->flags);
	ck_assert_uint_eq(info.tcp.win, f->win);
	ck_assert_uint_eq(info.tcp.ttl, f->ttl);
	ck_assert_uint_eq(info.tcp.tos, 0);
	ck_assert_uint_eq(info.tcp.payload_len, f->payload_len);
	ck_assert_str_eq(format_segment(&info.tcp), f->line);
}
END_TEST

START_TEST(parse_real_data_segment_points_payload_into_the_frame)
{
	struct packet_info info;

	ck_assert_int_eq(packet_parse(v4_data, sizeof(v4_data), &info, NULL),
			 STATUS_OK);
	ck_assert_ptr_eq(info.tcp.payload, v4_data + sizeof(v4_data) - 5);
	ck_assert_mem_eq(info.tcp.payload, "hello", 5);
	ck_assert_int_eq(packet_parse(v6_data, sizeof(v6_data), &info, NULL),
			 STATUS_OK);
	ck_assert_mem_eq(info.tcp.payload, "hello", 5);
}
END_TEST

START_TEST(parse_offloaded_frame_reports_checksum_not_ok)
{
	struct packet_info info;
	char *err = NULL;
	char line[256];

	ck_assert_int_eq(parse_heap(v4_syn_offload, sizeof(v4_syn_offload),
				    &info, &err), STATUS_OK);
	ck_assert_int_eq(info.kind, PACKET_TCP);
	ck_assert(!info.checksum_ok);
	packet_format(&info.tcp, line, sizeof(line));
	ck_assert_str_eq(line, "S 3953357440:3953357440(0) win 64240 "
			 "<mss 1460,sackOK,TS val 2998725070 ecr 0,nop,wscale 10>");
}
END_TEST

START_TEST(parse_ignores_ethernet_padding_beyond_ip_length)
{
	uint8_t frame[128];
	struct packet_info info;
	size_t len;

	/* v4_ack is 66 bytes; v6_ack 86: pad both with junk. */
	const uint8_t *src = _i ? v6_ack : v4_ack;
	size_t srclen = _i ? sizeof(v6_ack) : sizeof(v4_ack);

	memcpy(frame, src, srclen);
	memset(frame + srclen, 0xee, 20);
	len = srclen + 20;
	ck_assert_int_eq(parse_heap(frame, len, &info, NULL), STATUS_OK);
	ck_assert_int_eq(info.kind, PACKET_TCP);
	ck_assert_uint_eq(info.tcp.payload_len, 0);
	ck_assert(info.checksum_ok);
}
END_TEST

START_TEST(parse_flipped_payload_bit_fails_checksum)
{
	uint8_t frame[sizeof(v6_data)];
	struct packet_info info;

	memcpy(frame, v6_data, sizeof(frame));
	frame[sizeof(frame) - 1] ^= 0x01;
	ck_assert_int_eq(packet_parse(frame, sizeof(frame), &info, NULL),
			 STATUS_OK);
	ck_assert(!info.checksum_ok);
}
END_TEST

START_TEST(parse_bad_ipv4_header_checksum_fails_checksum)
{
	uint8_t frame[sizeof(v4_fin)];
	struct packet_info info;

	memcpy(frame, v4_fin, sizeof(frame));
	frame[ETH + 10] ^= 0x80;
	ck_assert_int_eq(packet_parse(frame, sizeof(frame), &info, NULL),
			 STATUS_OK);
	ck_assert_int_eq(info.kind, PACKET_TCP);
	ck_assert(!info.checksum_ok);
}
END_TEST

START_TEST(parse_real_arp_request_and_reply)
{
	struct packet_info info;

	ck_assert_int_eq(parse_heap(arp_request, sizeof(arp_request), &info,
				    NULL), STATUS_OK);
	ck_assert_int_eq(info.kind, PACKET_ARP);
	ck_assert_uint_eq(info.arp_op, 1);
	ck_assert_uint_eq(info.ethertype, 0x0806);
	ck_assert(addr_eq(&info.target, "192.0.2.2"));	/* who has .2 */
	ck_assert(addr_eq(&info.sender, "192.0.2.1"));	/* tell .1 */
	ck_assert_mem_eq(info.sender_mac, client_mac, 6);
	ck_assert(info.checksum_ok);

	ck_assert_int_eq(parse_heap(arp_reply, sizeof(arp_reply), &info,
				    NULL), STATUS_OK);
	ck_assert_int_eq(info.kind, PACKET_ARP);
	ck_assert_uint_eq(info.arp_op, 2);
	ck_assert(addr_eq(&info.target, "192.0.2.2"));	/* .2 is at ... */
	ck_assert(addr_eq(&info.sender, "192.0.2.2"));
	ck_assert_mem_eq(info.sender_mac, server_mac, 6);
}
END_TEST

START_TEST(parse_real_neighbour_solicitation_and_advert)
{
	struct packet_info info;

	ck_assert_int_eq(parse_heap(nd_solicit, sizeof(nd_solicit), &info,
				    NULL), STATUS_OK);
	ck_assert_int_eq(info.kind, PACKET_ND_SOLICIT);
	ck_assert(addr_eq(&info.target, "2001:db8::2"));
	ck_assert(addr_eq(&info.sender, "2001:db8::1"));
	ck_assert_mem_eq(info.sender_mac, client_mac, 6);	/* SLLA option */
	ck_assert(info.checksum_ok);

	ck_assert_int_eq(parse_heap(nd_advert, sizeof(nd_advert), &info,
				    NULL), STATUS_OK);
	ck_assert_int_eq(info.kind, PACKET_ND_ADVERT);
	ck_assert(addr_eq(&info.target, "2001:db8::2"));
	ck_assert(addr_eq(&info.sender, "2001:db8::2"));
	ck_assert_mem_eq(info.sender_mac, server_mac, 6);	/* TLLA option */
	ck_assert(info.checksum_ok);
}
END_TEST

START_TEST(parse_arp_with_ethernet_padding_to_60_bytes)
{
	uint8_t frame[60] = { 0 };
	struct packet_info info;

	memcpy(frame, arp_request, sizeof(arp_request));
	ck_assert_int_eq(parse_heap(frame, sizeof(frame), &info, NULL),
			 STATUS_OK);
	ck_assert_int_eq(info.kind, PACKET_ARP);
}
END_TEST

/* Every real frame cut short anywhere is an error with a message. */
START_TEST(parse_every_truncation_of_a_real_frame_is_an_error)
{
	static const struct { const uint8_t *p; size_t len; } frames[] = {
		{ v4_syn, sizeof(v4_syn) }, { v4_data, sizeof(v4_data) },
		{ v6_syn, sizeof(v6_syn) }, { v6_data, sizeof(v6_data) },
		{ arp_request, sizeof(arp_request) },
		{ nd_solicit, sizeof(nd_solicit) },
		{ nd_advert, sizeof(nd_advert) },
	};

	for (size_t f = 0; f < sizeof(frames) / sizeof(frames[0]); f++) {
		for (size_t len = 0; len < frames[f].len; len++) {
			struct packet_info info;
			char *err = NULL;
			int ret = parse_heap(frames[f].p, len, &info, &err);

			ck_assert_msg(ret == STATUS_ERROR,
				      "frame %zu cut at %zu accepted", f, len);
			ck_assert_ptr_nonnull(err);
			ck_assert_int_eq(info.kind, PACKET_OTHER);
			free(err);
		}
	}
}
END_TEST

/* A copy of a real frame with one byte changed, parsed on the heap. */
static int parse_patched(const uint8_t *frame, size_t len, size_t off,
			 uint8_t value, size_t cut, struct packet_info *info,
			 char **error)
{
	uint8_t copy[128];

	ck_assert_uint_le(len, sizeof(copy));
	memcpy(copy, frame, len);
	copy[off] = value;
	return parse_heap(copy, len - cut, info, error);
}

static const struct bad_frame {
	const char *claim;
	const uint8_t *frame;
	size_t len;
	size_t off;			/* byte to change */
	uint8_t value;
	size_t cut;			/* bytes to drop from the end */
	const char *message;
} bad_frames[] = {
	{ "short Ethernet header", v4_syn, sizeof(v4_syn), 0, 0x02,
	  sizeof(v4_syn) - 13, "truncated Ethernet header: 13 of 14 bytes" },
	{ "short IPv4 header", v4_syn, sizeof(v4_syn), 0, 0x02,
	  sizeof(v4_syn) - 24, "truncated IPv4 header: 10 of 20 bytes" },
	{ "IPv4 ethertype with version 6", v4_syn, sizeof(v4_syn), ETH, 0x65,
	  0, "IPv4 ethertype but IP version 6" },
	{ "IPv4 IHL 4", v4_syn, sizeof(v4_syn), ETH, 0x44, 0,
	  "IPv4 header length 16 is less than 20" },
	{ "IPv4 IHL past the frame", v4_syn, sizeof(v4_syn), ETH, 0x4f,
	  sizeof(v4_syn) - ETH - 40, "IPv4 header length 60 runs past the 40 bytes" },
	{ "IPv4 total length below IHL", v4_syn, sizeof(v4_syn), ETH + 3, 19,
	  0, "IPv4 total length 19 is less than the header length 20" },
	{ "IPv4 total length past the frame", v4_syn, sizeof(v4_syn), ETH + 3,
	  61, 0, "IPv4 total length 61 runs past the 60 bytes" },
	{ "short TCP header in IPv4", v4_syn, sizeof(v4_syn), ETH + 3, 30, 0,
	  "truncated TCP header: 10 of 20 bytes" },
	{ "TCP data offset 4 words", v4_syn, sizeof(v4_syn), ETH + IP4 + 12,
	  0x40, 0, "TCP data offset of 16 bytes is less than 20" },
	{ "TCP data offset past the segment", v4_ack, sizeof(v4_ack),
	  ETH + IP4 + 12, 0xf0, 0, "TCP data offset of 60 bytes runs past the 32-byte segment" },
	{ "MSS with length 3 in a SYN", v4_syn, sizeof(v4_syn),
	  ETH + IP4 + 21, 3, 0, "TCP option at offset 0 (kind 2, mss): length 3, must be 4" },
	{ "TS with length 9 in an ACK", v6_ack, sizeof(v6_ack),
	  ETH + IP6 + 23, 9, 0, "TCP option at offset 2 (kind 8, TS): length 9, must be 10" },
	{ "short IPv6 header", v6_syn, sizeof(v6_syn), 0, 0x02,
	  sizeof(v6_syn) - ETH - 39, "truncated IPv6 header: 39 of 40 bytes" },
	{ "IPv6 ethertype with version 4", v6_syn, sizeof(v6_syn), ETH, 0x40,
	  0, "IPv6 ethertype but IP version 4" },
	{ "IPv6 payload length past the frame", v6_syn, sizeof(v6_syn),
	  ETH + 5, 41, 0, "IPv6 payload length 41 runs past the 40 bytes" },
	{ "short TCP header in IPv6", v6_syn, sizeof(v6_syn), ETH + 5, 19, 0,
	  "truncated TCP header: 19 of 20 bytes" },
	{ "short ARP", arp_request, sizeof(arp_request), 0, 0xff, 1,
	  "truncated ARP packet: 27 of 28 bytes" },
	{ "short ICMPv6 header", nd_solicit, sizeof(nd_solicit), ETH + 5, 3, 0,
	  "truncated ICMPv6 header: 3 of 4 bytes" },
	{ "short neighbour solicitation", nd_solicit, sizeof(nd_solicit),
	  ETH + 5, 23, 0, "truncated neighbour solicitation: 23 of 24 bytes" },
	{ "ND option of length 0", nd_solicit, sizeof(nd_solicit),
	  ETH + IP6 + 25, 0, 0, "ND option at offset 24 (type 1) has length 0" },
	{ "ND option cut before its length byte", nd_solicit, sizeof(nd_solicit),
	  ETH + 5, 25, 0, "ND option at offset 24: truncated before its length byte" },
	{ "ND option past the message", nd_advert, sizeof(nd_advert),
	  ETH + IP6 + 25, 2, 0, "ND option at offset 24 (type 2): length 16 runs past the 32-byte message" },
};

START_TEST(parse_rejects_inconsistent_frame_with_message)
{
	const struct bad_frame *b = &bad_frames[_i];
	struct packet_info info;
	char *err = NULL;

	ck_assert_msg(parse_patched(b->frame, b->len, b->off, b->value, b->cut,
				    &info, &err) == STATUS_ERROR,
		      "%s: accepted", b->claim);
	assert_error_has(err, b->message);
	ck_assert_int_eq(info.kind, PACKET_OTHER);
	ck_assert(!info.checksum_ok);
	free(err);
}
END_TEST

static const struct other_frame {
	const char *claim;
	const uint8_t *frame;
	size_t len;
	size_t off;
	uint8_t value;
} other_frames[] = {
	{ "UDP over IPv4", v4_syn, sizeof(v4_syn), ETH + 9, 17 },
	{ "IPv4 fragment with offset", v4_syn, sizeof(v4_syn), ETH + 7, 0x10 },
	{ "IPv4 first fragment (MF)", v4_syn, sizeof(v4_syn), ETH + 6, 0x20 },
	{ "802.1Q tagged frame", v4_syn, sizeof(v4_syn), 12, 0x81 },
	{ "IPv6 hop-by-hop header", v6_syn, sizeof(v6_syn), ETH + 6, 0 },
	{ "ICMPv6 echo request", nd_solicit, sizeof(nd_solicit), ETH + IP6, 128 },
	{ "ND with code 1", nd_solicit, sizeof(nd_solicit), ETH + IP6 + 1, 1 },
	{ "ARP for IPv6 protocol type", arp_request, sizeof(arp_request),
	  ETH + 2, 0x86 },
	{ "ARP operation 3", arp_request, sizeof(arp_request), ETH + 7, 3 },
};

START_TEST(parse_frames_we_do_not_handle_are_other)
{
	const struct other_frame *o = &other_frames[_i];
	struct packet_info info;
	char *err = NULL;

	ck_assert_msg(parse_patched(o->frame, o->len, o->off, o->value, 0,
				    &info, &err) == STATUS_OK,
		      "%s: %s", o->claim, err);
	ck_assert_msg(info.kind == PACKET_OTHER, "%s: kind %d", o->claim,
		      info.kind);
}
END_TEST

START_TEST(parse_nd_without_lla_option_takes_ethernet_source)
{
	uint8_t frame[sizeof(nd_solicit)];
	struct packet_info info;

	/* Drop the 8-byte option: payload length 24, frame 8 bytes shorter.
	 * The checksum no longer matches, which parse reports, not rejects. */
	memcpy(frame, nd_solicit, sizeof(frame));
	frame[ETH + 5] = 24;
	frame[6 + 5] = 0x77;			/* Ethernet source ...:77 */
	ck_assert_int_eq(parse_heap(frame, sizeof(frame) - 8, &info, NULL),
			 STATUS_OK);
	ck_assert_int_eq(info.kind, PACKET_ND_SOLICIT);
	ck_assert_mem_eq(info.sender_mac, "\x02\x00\x00\x00\x00\x77", 6);
	ck_assert(!info.checksum_ok);
}
END_TEST

START_TEST(parse_nd_link_layer_option_wins_over_ethernet_source)
{
	uint8_t frame[sizeof(nd_advert)];
	struct packet_info info;

	/* A proxy may send for another node: the TLLA option names the MAC. */
	memcpy(frame, nd_advert, sizeof(frame));
	frame[6 + 5] = 0x77;			/* Ethernet source ...:77 */
	ck_assert_int_eq(parse_heap(frame, sizeof(frame), &info, NULL),
			 STATUS_OK);
	ck_assert_int_eq(info.kind, PACKET_ND_ADVERT);
	ck_assert_mem_eq(info.sender_mac, server_mac, 6);
	ck_assert(info.checksum_ok);		/* Ethernet is not summed */
}
END_TEST

START_TEST(parse_without_error_pointer_does_not_crash)
{
	struct packet_info info;

	ck_assert_int_eq(packet_parse(v4_syn, 5, &info, NULL), STATUS_ERROR);
}
END_TEST

TCase *packet_parse_tcase(void)
{
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, parse_real_frame_gives_tcpdumps_fields_and_checksum_ok,
			    0, N_REAL);
	tcase_add_test(tc, parse_real_data_segment_points_payload_into_the_frame);
	tcase_add_test(tc, parse_offloaded_frame_reports_checksum_not_ok);
	tcase_add_loop_test(tc, parse_ignores_ethernet_padding_beyond_ip_length, 0, 2);
	tcase_add_test(tc, parse_flipped_payload_bit_fails_checksum);
	tcase_add_test(tc, parse_bad_ipv4_header_checksum_fails_checksum);
	tcase_add_test(tc, parse_real_arp_request_and_reply);
	tcase_add_test(tc, parse_real_neighbour_solicitation_and_advert);
	tcase_add_test(tc, parse_arp_with_ethernet_padding_to_60_bytes);
	tcase_add_test(tc, parse_every_truncation_of_a_real_frame_is_an_error);
	tcase_add_loop_test(tc, parse_rejects_inconsistent_frame_with_message,
			    0, sizeof(bad_frames) / sizeof(bad_frames[0]));
	tcase_add_loop_test(tc, parse_frames_we_do_not_handle_are_other,
			    0, sizeof(other_frames) / sizeof(other_frames[0]));
	tcase_add_test(tc, parse_nd_without_lla_option_takes_ethernet_source);
	tcase_add_test(tc, parse_nd_link_layer_option_wins_over_ethernet_source);
	tcase_add_test(tc, parse_without_error_pointer_does_not_crash);
	return tc;
}
