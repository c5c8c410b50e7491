/* check_packet.c - frame building and the one-line format against frames captured from Linux; the parser's tests are in check_packet_parse.c. */
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

START_TEST(format_fin_ack_example_from_the_interface)
{
	struct tcp_segment s = segment(TCPF_FIN | TCPF_ACK, 1, 7, 64);

	s.noptions = 3;
	s.options[0] = opt_simple(TCPOPT_NOP);
	s.options[1] = opt_simple(TCPOPT_NOP);
	s.options[2] = opt_ts(1, 2);
	ck_assert_str_eq(format_segment(&s),
			 "F. 1:1(0) ack 7 win 64 <nop,nop,TS val 1 ecr 2>");
}
END_TEST

START_TEST(format_syn_example_from_the_interface)
{
	struct tcp_segment s = segment(TCPF_SYN, 0, 0, 65535);

	s.noptions = 5;
	s.options[0] = opt_mss(1460);
	s.options[1] = opt_simple(TCPOPT_SACK_PERM);
	s.options[2] = opt_ts(100, 0);
	s.options[3] = opt_simple(TCPOPT_NOP);
	s.options[4] = opt_wscale(7);
	ck_assert_str_eq(format_segment(&s),
			 "S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>");
}
END_TEST

static const struct {
	uint16_t flags;
	const char *line;
} flag_lines[] = {
	{ TCPF_SYN, "S 0:0(0) win 10" },
	{ TCPF_SYN | TCPF_ACK, "S. 0:0(0) ack 5 win 10" },
	{ TCPF_FIN | TCPF_ACK, "F. 0:0(0) ack 5 win 10" },
	{ TCPF_RST | TCPF_ACK, "R. 0:0(0) ack 5 win 10" },
	{ TCPF_RST, "R 0:0(0) win 10" },
	{ TCPF_PSH | TCPF_ACK, "P. 0:0(0) ack 5 win 10" },
	{ TCPF_ACK, ". 0:0(0) ack 5 win 10" },
	{ 0, "- 0:0(0) win 10" },
	{ TCPF_FIN, "F 0:0(0) win 10" },
	{ TCPF_SYN | TCPF_ECE | TCPF_CWR, "SEW 0:0(0) win 10" },
	{ TCPF_SYN | TCPF_ACK | TCPF_ECE, "S.E 0:0(0) ack 5 win 10" },
	{ TCPF_ACK | TCPF_CWR, ".W 0:0(0) ack 5 win 10" },
	{ TCPF_PSH | TCPF_ACK | TCPF_URG, "P.U 0:0(0) ack 5 win 10 urg 3" },
	{ 0xff, "FSRP.UEW 0:0(0) ack 5 win 10 urg 3" },
	{ TCPF_ACK | TCPF_AE, ".A 0:0(0) ack 5 win 10" },
	{ 0x1ff, "FSRP.UEWA 0:0(0) ack 5 win 10 urg 3" },
};

START_TEST(format_flags_in_packetdrill_order)
{
	struct tcp_segment s = segment(flag_lines[_i].flags, 0, 5, 10);

	/* a pointer without URG is printed too: packetdrill judges it */
	s.urg = flag_lines[_i].flags & TCPF_URG ? 3 : 0;
	ck_assert_str_eq(format_segment(&s), flag_lines[_i].line);
	s.flags &= (uint16_t)~TCPF_URG;
	s.urg = 3;
	ck_assert_ptr_nonnull(strstr(format_segment(&s), " urg 3"));
}
END_TEST

START_TEST(format_prints_ack_only_with_the_ack_flag)
{
	struct tcp_segment s = segment(TCPF_RST, 100, 12345, 0);

	ck_assert_str_eq(format_segment(&s), "R 100:100(0) win 0");
}
END_TEST

START_TEST(format_end_sequence_wraps_around)
{
	struct tcp_segment s = segment(TCPF_PSH | TCPF_ACK, 4294967295u, 1, 502);

	s.payload_len = 2;
	ck_assert_str_eq(format_segment(&s),
			 "P. 4294967295:1(2) ack 1 win 502");
}
END_TEST

START_TEST(format_truncates_but_returns_full_length)
{
	struct tcp_segment s = segment(TCPF_ACK, 1, 2, 3);
	const char *full = ". 1:1(0) ack 2 win 3";
	char buf[6];

	ck_assert_int_eq(packet_format(&s, buf, sizeof(buf)), (int)strlen(full));
	ck_assert_str_eq(buf, ". 1:1");
	ck_assert_int_eq(packet_format(&s, NULL, 0), (int)strlen(full));
}
END_TEST

START_TEST(address_format_ipv4_ipv6_and_garbage)
{
	struct ip_address a = addr("192.0.2.1");
	char buf[64], tiny[4];

	ck_assert_str_eq(ip_address_format(&a, buf, sizeof(buf)), "192.0.2.1");
	a = addr("2001:db8::1");
	ck_assert_str_eq(ip_address_format(&a, buf, sizeof(buf)), "2001:db8::1");
	ck_assert_str_eq(ip_address_format(&a, tiny, sizeof(tiny)), "?");
	a.family = AF_UNIX;
	ck_assert_str_eq(ip_address_format(&a, buf, sizeof(buf)), "?");
}
END_TEST

START_TEST(address_to_socket_address)
{
	struct sockaddr_storage ss;
	struct ip_address a = addr("192.0.2.1");
	const struct sockaddr_in *sin = (const struct sockaddr_in *)&ss;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&ss;

	memset(&ss, 0xff, sizeof(ss));
	ck_assert_uint_eq(ip_address_sockaddr(&a, 8080, &ss), sizeof(*sin));
	ck_assert_int_eq(sin->sin_family, AF_INET);
	ck_assert_uint_eq(ntohs(sin->sin_port), 8080);
	ck_assert_uint_eq(ntohl(sin->sin_addr.s_addr), 0xc0000201);
	ck_assert_mem_eq(sin->sin_zero, "\0\0\0\0\0\0\0\0", 8);
	a = addr("2001:db8::2");
	ck_assert_uint_eq(ip_address_sockaddr(&a, 40000, &ss), sizeof(*sin6));
	ck_assert_int_eq(sin6->sin6_family, AF_INET6);
	ck_assert_uint_eq(ntohs(sin6->sin6_port), 40000);
	ck_assert_mem_eq(&sin6->sin6_addr, &a.u.v6, 16);
	ck_assert_uint_eq(sin6->sin6_flowinfo, 0);
	ck_assert_uint_eq(sin6->sin6_scope_id, 0);
}
END_TEST

/* ---- building ------------------------------------------------------- */

static struct tcp_segment segment_between(bool v6)
{
	struct tcp_segment s;

	memset(&s, 0, sizeof(s));
	s.src = addr(v6 ? "2001:db8::2" : "192.0.2.2");
	s.dst = addr(v6 ? "2001:db8::1" : "192.0.2.1");
	s.sport = 8080;
	s.dport = 40000;
	return s;
}

START_TEST(build_reproduces_the_linux_ipv4_syn_ack_byte_for_byte)
{
	/* Linux sends SYN-ACKs with IP id 0 and DF, as we do. */
	struct tcp_segment s = segment_between(false);
	uint8_t buf[128];
	size_t len;

	s.seq = 726366952u;
	s.ack = 2467812874u;
	s.flags = TCPF_SYN | TCPF_ACK;
	s.win = 65160;
	s.noptions = 5;
	s.options[0] = opt_mss(1460);
	s.options[1] = opt_simple(TCPOPT_SACK_PERM);
	s.options[2] = opt_ts(299792980u, 168597899u);
	s.options[3] = opt_simple(TCPOPT_NOP);
	s.options[4] = opt_wscale(10);
	ck_assert_int_eq(packet_build_tcp(&s, server_mac, client_mac, buf,
					  sizeof(buf), &len, NULL), STATUS_OK);
	ck_assert_uint_eq(len, sizeof(v4_synack));
	ck_assert_mem_eq(buf, v4_synack, len);
}
END_TEST

START_TEST(build_reproduces_the_linux_ipv6_data_segment_but_flow_label)
{
	struct tcp_segment s = segment_between(true);
	uint8_t buf[128], want[sizeof(v6_data)];
	size_t len;

	s.src = addr("2001:db8::1");
	s.dst = addr("2001:db8::2");
	s.sport = 40000;
	s.dport = 8080;
	s.seq = 122461049u;
	s.ack = 2053440503u;
	s.flags = TCPF_PSH | TCPF_ACK;
	s.win = 64;
	s.noptions = 3;
	s.options[0] = opt_simple(TCPOPT_NOP);
	s.options[1] = opt_simple(TCPOPT_NOP);
	s.options[2] = opt_ts(1724941650u, 1333574644u);
	s.payload = (const uint8_t *)"hello";
	s.payload_len = 5;
	ck_assert_int_eq(packet_build_tcp(&s, client_mac, server_mac, buf,
					  sizeof(buf), &len, NULL), STATUS_OK);
	ck_assert_uint_eq(len, sizeof(v6_data));
	/* Linux picks a random flow label; ours is 0 (it is outside
	 * the TCP checksum, so nothing else changes). */
	memcpy(want, v6_data, sizeof(want));
	want[ETH + 1] &= 0xf0;
	want[ETH + 2] = want[ETH + 3] = 0;
	ck_assert_mem_eq(buf, want, len);
}
END_TEST

START_TEST(build_defaults_ttl_64_df_ihl_5_and_pads_options_with_eol)
{
	struct tcp_segment s = segment_between(_i == 1);
	uint8_t buf[128];
	size_t len, iph = _i ? IP6 : IP4;
	const uint8_t *tcp = buf + ETH + iph;

	s.flags = TCPF_SYN;
	s.noptions = 2;
	s.options[0] = opt_mss(1460);
	s.options[1] = opt_simple(TCPOPT_NOP);	/* 5 bytes: 3 of padding */
	ck_assert_int_eq(packet_build_tcp(&s, server_mac, client_mac, buf,
					  sizeof(buf), &len, NULL), STATUS_OK);
	ck_assert_uint_eq(len, ETH + iph + 20 + 8);
	ck_assert_mem_eq(buf, client_mac, 6);
	ck_assert_mem_eq(buf + 6, server_mac, 6);
	if (_i) {
		ck_assert_mem_eq(buf + 12, "\x86\xdd", 2);
		ck_assert_mem_eq(buf + ETH, "\x60\x00\x00\x00", 4);
		ck_assert_uint_eq(buf[ETH + 5], 28);	/* payload length */
		ck_assert_uint_eq(buf[ETH + 6], 6);	/* next header TCP */
		ck_assert_uint_eq(buf[ETH + 7], 64);	/* hop limit */
	} else {
		ck_assert_mem_eq(buf + 12, "\x08\x00", 2);
		ck_assert_uint_eq(buf[ETH], 0x45);
		ck_assert_uint_eq(buf[ETH + 3], 48);	/* total length */
		ck_assert_mem_eq(buf + ETH + 4, "\x00\x00\x40\x00", 4);
		ck_assert_uint_eq(buf[ETH + 8], 64);
		ck_assert_uint_eq(buf[ETH + 9], 6);
	}
	ck_assert_uint_eq(tcp[12], 7 << 4);		/* data offset 7 words */
	ck_assert_mem_eq(tcp + 20, "\x02\x04\x05\xb4\x01\x00\x00\x00", 8);
}
END_TEST

START_TEST(build_then_parse_round_trips_every_field)
{
	struct tcp_segment s = segment_between(_i == 1);
	struct packet_info info;
	uint8_t buf[256];
	size_t len;
	char *err = NULL;

	s.ttl = 3;
	s.tos = 0x10 | PACKET_ECN_CE;
	s.seq = 0xdeadbeefu;
	s.ack = 42;
	s.flags = TCPF_PSH | TCPF_ACK | TCPF_URG | TCPF_AE;
	s.win = 1234;
	s.urg = 2;
	s.noptions = 2;
	s.options[0] = opt_simple(TCPOPT_NOP);
	s.options[1] = opt_ts(5, 6);
	s.payload = (const uint8_t *)"abcdefg";
	s.payload_len = 7;
	ck_assert_int_eq(packet_build_tcp(&s, server_mac, client_mac, buf,
					  sizeof(buf), &len, &err), STATUS_OK);
	ck_assert_int_eq(packet_parse(buf, len, &info, &err), STATUS_OK);
	ck_assert_ptr_null(err);
	ck_assert_int_eq(info.kind, PACKET_TCP);
	ck_assert(info.checksum_ok);
	ck_assert_mem_eq(info.eth_dst, client_mac, 6);
	ck_assert_mem_eq(info.eth_src, server_mac, 6);
	ck_assert_uint_eq(info.ethertype, _i ? 0x86dd : 0x0800);
	ck_assert(addr_eq(&info.tcp.src, _i ? "2001:db8::2" : "192.0.2.2"));
	ck_assert(addr_eq(&info.tcp.dst, _i ? "2001:db8::1" : "192.0.2.1"));
	ck_assert_uint_eq(info.tcp.ttl, 3);
	ck_assert_uint_eq(info.tcp.tos, 0x13);
	/* AE: the low bit of the byte with the data offset (8 words) */
	ck_assert_uint_eq(buf[14 + (_i ? 40 : 20) + 12], 0x81);
	ck_assert_uint_eq(info.tcp.sport, 8080);
	ck_assert_uint_eq(info.tcp.dport, 40000);
	ck_assert_uint_eq(info.tcp.seq, 0xdeadbeefu);
	ck_assert_uint_eq(info.tcp.ack, 42);
	ck_assert_uint_eq(info.tcp.flags, s.flags);
	ck_assert_uint_eq(info.tcp.win, 1234);
	ck_assert_uint_eq(info.tcp.urg, 2);
	/* 11 option bytes pad to 12 with one EOL, which parses back */
	ck_assert_uint_eq(info.tcp.noptions, 3);
	ck_assert_uint_eq(info.tcp.options[1].u.ts.val, 5);
	ck_assert_uint_eq(info.tcp.options[2].kind, TCPOPT_EOL);
	ck_assert_uint_eq(info.tcp.payload_len, 7);
	ck_assert_mem_eq(info.tcp.payload, "abcdefg", 7);
	ck_assert_ptr_eq(info.tcp.payload, buf + len - 7);
}
END_TEST

START_TEST(build_without_payload_pointer_sends_zero_bytes)
{
	struct tcp_segment s = segment_between(false);
	struct packet_info info;
	uint8_t buf[128];
	size_t len;

	memset(buf, 0xaa, sizeof(buf));
	s.flags = TCPF_ACK;
	s.payload_len = 10;
	ck_assert_int_eq(packet_build_tcp(&s, server_mac, client_mac, buf,
					  sizeof(buf), &len, NULL), STATUS_OK);
	ck_assert_uint_eq(len, ETH + IP4 + 20 + 10);
	ck_assert_mem_eq(buf + len - 10, "\0\0\0\0\0\0\0\0\0\0", 10);
	ck_assert_int_eq(packet_parse(buf, len, &info, NULL), STATUS_OK);
	ck_assert(info.checksum_ok);
}
END_TEST

START_TEST(build_rejects_mixed_or_missing_address_families)
{
	struct tcp_segment s = segment_between(false);
	uint8_t buf[128];
	size_t len;
	char *err = NULL;

	s.dst = addr("2001:db8::1");
	ck_assert_int_eq(packet_build_tcp(&s, server_mac, client_mac, buf,
					  sizeof(buf), &len, &err), STATUS_ERROR);
	assert_error_has(err, "two IPv4 or two IPv6");
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(packet_build_tcp(&s, server_mac, client_mac, buf,
					  sizeof(buf), &len, &err), STATUS_ERROR);
	free(err);
}
END_TEST

START_TEST(build_rejects_options_beyond_40_bytes)
{
	struct tcp_segment s = segment_between(false);
	uint8_t buf[256];
	size_t len;
	char *err = NULL;

	s.noptions = 5;
	for (int i = 0; i < 5; i++)
		s.options[i] = opt_ts(1, 2);		/* 50 bytes */
	ck_assert_int_eq(packet_build_tcp(&s, server_mac, client_mac, buf,
					  sizeof(buf), &len, &err), STATUS_ERROR);
	assert_error_has(err, "TCP options do not fit in 40 bytes");
	s.noptions = TCP_MAX_OPTIONS + 1;
	ck_assert_int_eq(packet_build_tcp(&s, server_mac, client_mac, buf,
					  sizeof(buf), &len, &err), STATUS_ERROR);
	assert_error_has(err, "41 TCP options");
	free(err);
}
END_TEST

START_TEST(build_rejects_a_buffer_too_small_and_writes_nothing_past_it)
{
	struct tcp_segment s = segment_between(_i == 1);
	size_t need = ETH + (_i ? IP6 : IP4) + 20 + 5, len = 99;
	uint8_t *buf = malloc(need - 1);
	char *err = NULL;

	s.payload = (const uint8_t *)"hello";
	s.payload_len = 5;
	ck_assert_int_eq(packet_build_tcp(&s, server_mac, client_mac, buf,
					  need - 1, &len, &err), STATUS_ERROR);
	ck_assert_uint_eq(len, 0);
	assert_error_has(err, "does not fit");
	free(err);
	free(buf);
}
END_TEST

START_TEST(build_rejects_payload_too_long_for_ipv4)
{
	struct tcp_segment s = segment_between(false);
	uint8_t buf[64];
	size_t len;
	char *err = NULL;

	s.payload_len = 65535 - 20 - 20 + 1;
	ck_assert_int_eq(packet_build_tcp(&s, server_mac, client_mac, buf,
					  sizeof(buf), &len, &err), STATUS_ERROR);
	assert_error_has(err, "too long for IPv4");
	free(err);
}
END_TEST

START_TEST(arp_reply_matches_the_linux_reply_byte_for_byte)
{
	struct ip_address me = addr("192.0.2.2"), asker = addr("192.0.2.1");
	uint8_t buf[64];
	size_t len;

	ck_assert_int_eq(packet_build_arp_reply(server_mac, &me.u.v4, client_mac,
						&asker.u.v4, buf, sizeof(buf),
						&len, NULL), STATUS_OK);
	ck_assert_uint_eq(len, sizeof(arp_reply));
	ck_assert_mem_eq(buf, arp_reply, len);
}
END_TEST

START_TEST(nd_advert_matches_the_linux_advert_byte_for_byte)
{
	struct ip_address me = addr("2001:db8::2"), asker = addr("2001:db8::1");
	uint8_t buf[128];
	size_t len;

	ck_assert_int_eq(packet_build_nd_advert(server_mac, &me.u.v6, client_mac,
						&asker.u.v6, buf, sizeof(buf),
						&len, NULL), STATUS_OK);
	ck_assert_uint_eq(len, sizeof(nd_advert));
	ck_assert_mem_eq(buf, nd_advert, len);
}
END_TEST

START_TEST(arp_and_nd_builders_reject_small_buffers)
{
	struct ip_address a4 = addr("192.0.2.2"), a6 = addr("2001:db8::2");
	uint8_t *buf = malloc(41);
	size_t len = 99;
	char *err = NULL;

	ck_assert_int_eq(packet_build_arp_reply(server_mac, &a4.u.v4, client_mac,
						&a4.u.v4, buf, 41, &len, &err),
			 STATUS_ERROR);
	assert_error_has(err, "frame of 42 bytes");
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(packet_build_nd_advert(server_mac, &a6.u.v6, client_mac,
						&a6.u.v6, buf, 41, &len, &err),
			 STATUS_ERROR);
	assert_error_has(err, "frame of 86 bytes");
	free(err);
	free(buf);
}
END_TEST

Suite *packet_suite(void)
{
	Suite *s = suite_create("packet");
	TCase *tc;

	tc = tcase_create("format");
	tcase_add_test(tc, format_fin_ack_example_from_the_interface);
	tcase_add_test(tc, format_syn_example_from_the_interface);
	tcase_add_loop_test(tc, format_flags_in_packetdrill_order, 0,
			    sizeof(flag_lines) / sizeof(flag_lines[0]));
	tcase_add_test(tc, format_prints_ack_only_with_the_ack_flag);
	tcase_add_test(tc, format_end_sequence_wraps_around);
	tcase_add_test(tc, format_truncates_but_returns_full_length);
	tcase_add_test(tc, address_format_ipv4_ipv6_and_garbage);
	tcase_add_test(tc, address_to_socket_address);
	suite_add_tcase(s, tc);

	tc = tcase_create("build");
	tcase_add_test(tc, build_reproduces_the_linux_ipv4_syn_ack_byte_for_byte);
	tcase_add_test(tc, build_reproduces_the_linux_ipv6_data_segment_but_flow_label);
	tcase_add_loop_test(tc, build_defaults_ttl_64_df_ihl_5_and_pads_options_with_eol, 0, 2);
	tcase_add_loop_test(tc, build_then_parse_round_trips_every_field, 0, 2);
	tcase_add_test(tc, build_without_payload_pointer_sends_zero_bytes);
	tcase_add_test(tc, build_rejects_mixed_or_missing_address_families);
	tcase_add_test(tc, build_rejects_options_beyond_40_bytes);
	tcase_add_loop_test(tc, build_rejects_a_buffer_too_small_and_writes_nothing_past_it, 0, 2);
	tcase_add_test(tc, build_rejects_payload_too_long_for_ipv4);
	tcase_add_test(tc, arp_reply_matches_the_linux_reply_byte_for_byte);
	tcase_add_test(tc, nd_advert_matches_the_linux_advert_byte_for_byte);
	tcase_add_test(tc, arp_and_nd_builders_reject_small_buffers);
	suite_add_tcase(s, tc);

	suite_add_tcase(s, packet_parse_tcase());
	return s;
}
