/* check_packet_line.c - packet lines of a script: every field, TCP options as the wire parser decodes them, and each error's exact message. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "script.h"
#include "script_test.h"
#include "suites.h"

static const struct {
	const char *line;
	char direction;
	uint16_t flags;
	uint32_t seq, end, len;
	bool has_ack;
	uint32_t ack;
	bool has_win;
	uint32_t win;
	enum options_spec spec;
	uint8_t noptions;
} packets[] = {
	{ "< S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>",
	  '<', TCPF_SYN, 0, 0, 0, false, 0, true, 65535, OPTIONS_LIST, 5 },
	{ "> S. 0:0(0) ack 1 <...>",
	  '>', TCPF_SYN | TCPF_ACK, 0, 0, 0, true, 1, false, 0, OPTIONS_ANY, 0 },
	{ "< . 1:1(0) ack 1 win 257",
	  '<', TCPF_ACK, 1, 1, 0, true, 1, true, 257, OPTIONS_NONE, 0 },
	{ "> F. 1:1(0) ack 7",
	  '>', TCPF_FIN | TCPF_ACK, 1, 1, 0, true, 7, false, 0, OPTIONS_NONE, 0 },
	{ "< P. 1:1001(1000) ack 1 win 257",
	  '<', TCPF_PSH | TCPF_ACK, 1, 1001, 1000, true, 1, true, 257, OPTIONS_NONE, 0 },
	{ "> R. 1:1(0) ack 6",
	  '>', TCPF_RST | TCPF_ACK, 1, 1, 0, true, 6, false, 0, OPTIONS_NONE, 0 },
	{ "> R 1:1(0)",
	  '>', TCPF_RST, 1, 1, 0, false, 0, false, 0, OPTIONS_NONE, 0 },
	{ "> FSRP.UEW 0:0(0)",
	  '>', 0xff, 0, 0, 0, false, 0, false, 0, OPTIONS_NONE, 0 },
	{ "> SEWA 0:0(0)",
	  '>', TCPF_SYN | TCPF_ECE | TCPF_CWR | TCPF_AE, 0, 0, 0, false, 0, false, 0,
	  OPTIONS_NONE, 0 },
	{ "< P.5 1:1(0) ack 1",		/* ACE 5: AE and ECE */
	  '<', TCPF_PSH | TCPF_ACK | TCPF_AE | TCPF_ECE, 1, 1, 0, true, 1, false, 0,
	  OPTIONS_NONE, 0 },
	{ "> P6. 1:1(0) ack 1",		/* ACE 6: AE and CWR */
	  '>', TCPF_PSH | TCPF_ACK | TCPF_AE | TCPF_CWR, 1, 1, 0, true, 1, false, 0,
	  OPTIONS_NONE, 0 },
	{ "> .2 1:1(0) ack 1",		/* ACE 2: CWR */
	  '>', TCPF_ACK | TCPF_CWR, 1, 1, 0, true, 1, false, 0, OPTIONS_NONE, 0 },
	{ "> - 5:5(0)",
	  '>', 0, 5, 5, 0, false, 0, false, 0, OPTIONS_NONE, 0 },
	{ "< SEW 0:0(0) win 0",
	  '<', TCPF_SYN | TCPF_ECE | TCPF_CWR, 0, 0, 0, false, 0, true, 0, OPTIONS_NONE, 0 },
	{ "> .  4294967295:4294967295(0)  ack 4294967295",
	  '>', TCPF_ACK, 4294967295u, 4294967295u, 0, true, 4294967295u, false, 0,
	  OPTIONS_NONE, 0 },
	{ "< P. 1:65536(65535) ack 1 <nop,nop,sack 1:2 3:4>",
	  '<', TCPF_PSH | TCPF_ACK, 1, 65536, 65535, true, 1, false, 0, OPTIONS_LIST, 3 },
	{ "> U 0:0(0) ack 0x10 win 0xffff",
	  '>', TCPF_URG, 0, 0, 0, true, 16, true, 65535, OPTIONS_NONE, 0 },
};

START_TEST(packet_lines_fill_every_field)
{
	char text[256];
	struct script *s;
	const struct packet_event *p;
	const struct event *ev;

	snprintf(text, sizeof(text), "+0 %s\n", packets[_i].line);
	s = ok(text);
	ev = only(s);
	ck_assert_int_eq(ev->type, EVENT_PACKET);
	p = &ev->u.packet;
	ck_assert_int_eq(p->direction, packets[_i].direction);
	ck_assert_uint_eq(p->flags, packets[_i].flags);
	ck_assert_uint_eq(p->seq, packets[_i].seq);
	ck_assert_uint_eq(p->end, packets[_i].end);
	ck_assert_uint_eq(p->len, packets[_i].len);
	ck_assert_int_eq(p->has_ack, packets[_i].has_ack);
	ck_assert_uint_eq(p->ack, packets[_i].ack);
	ck_assert_int_eq(p->has_win, packets[_i].has_win);
	ck_assert_uint_eq(p->win, packets[_i].win);
	ck_assert_int_eq(p->options_spec, packets[_i].spec);
	ck_assert_uint_eq(p->noptions, packets[_i].noptions);
	script_free(s);
}
END_TEST

START_TEST(tcp_options_decode_like_the_wire_parser)
{
	struct script *s = ok("0 < S 0:0(0) <mss 1460,sackOK,TS val 100 ecr 0,nop,"
			      "wscale 7>\n"
			      "+0 > . 1:1(0) ack 1 <nop, nop, sack 1:2 3:4 5:6 4294967294:4294967295,eol>\n");
	const struct packet_event *p = &script_event(s, 0)->u.packet;
	const struct tcp_option *o = p->options;

	ck_assert_uint_eq(p->noptions, 5);
	ck_assert_uint_eq(o[0].kind, TCPOPT_MSS);
	ck_assert_uint_eq(o[0].len, 4);
	ck_assert_uint_eq(o[0].u.mss, 1460);
	ck_assert_uint_eq(o[1].kind, TCPOPT_SACK_PERM);
	ck_assert_uint_eq(o[1].len, 2);
	ck_assert_uint_eq(o[2].kind, TCPOPT_TS);
	ck_assert_uint_eq(o[2].len, 10);
	ck_assert_uint_eq(o[2].u.ts.val, 100);
	ck_assert_uint_eq(o[2].u.ts.ecr, 0);
	ck_assert_uint_eq(o[3].kind, TCPOPT_NOP);
	ck_assert_uint_eq(o[3].len, 1);
	ck_assert_uint_eq(o[4].kind, TCPOPT_WSCALE);
	ck_assert_uint_eq(o[4].len, 3);
	ck_assert_uint_eq(o[4].u.wscale, 7);

	p = &script_event(s, 1)->u.packet;
	o = p->options;
	ck_assert_int_eq(p->options_spec, OPTIONS_LIST);
	ck_assert_uint_eq(p->noptions, 4);
	ck_assert_uint_eq(o[2].kind, TCPOPT_SACK);
	ck_assert_uint_eq(o[2].len, 2 + 4 * 8);
	ck_assert_uint_eq(o[2].u.sack.count, 4);
	ck_assert_uint_eq(o[2].u.sack.block[0].left, 1);
	ck_assert_uint_eq(o[2].u.sack.block[0].right, 2);
	ck_assert_uint_eq(o[2].u.sack.block[2].left, 5);
	ck_assert_uint_eq(o[2].u.sack.block[3].left, 4294967294u);
	ck_assert_uint_eq(o[2].u.sack.block[3].right, 4294967295u);
	ck_assert_uint_eq(o[3].kind, TCPOPT_EOL);
	ck_assert_uint_eq(o[3].len, 1);
	script_free(s);
}
END_TEST

START_TEST(forty_option_bytes_fit)
{
	struct script *s = ok("0 > S 0:0(0) <TS val 1 ecr 2,TS val 3 ecr 4,TS val 5 ecr 6,"
			      "TS val 7 ecr 8>\n"
			      "0 > S 0:0(0) <nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,"
			      "nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,"
			      "nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,"
			      "nop,nop,nop,nop,nop,nop,nop,nop,nop,eol>\n");

	ck_assert_uint_eq(script_event(s, 0)->u.packet.noptions, 4);
	ck_assert_uint_eq(script_event(s, 0)->u.packet.options[3].u.ts.ecr, 8);
	ck_assert_uint_eq(script_event(s, 1)->u.packet.noptions, 40);
	script_free(s);
}
END_TEST

static const struct parse_error packet_line_errors[] = {
	{ "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < SX 0:0(0) win 65535\n",
	  "t.pkt:2:6: expected TCP flags (F S R P . U E W A, or -), found 'SX'" },
	{ "0 < 0:0(0)\n", "t.pkt:1:5: expected TCP flags (F S R P . U E W A, or -), found '0:0(0)'" },
	{ "0 <\n", "t.pkt:1:4: expected TCP flags, found end of line" },
	{ "0 >", "t.pkt:1:4: expected TCP flags, found end of file" },
	{ "0 < S\n", "t.pkt:1:6: expected sequence number, found end of line" },
	{ "0 < .8 1:1(0)\n",
	  "t.pkt:1:5: expected TCP flags (F S R P . U E W A, or -), found '.8'" },
	{ "0 < E.5 1:1(0)\n",
	  "t.pkt:1:5: expected TCP flags (F S R P . U E W A, or -), found 'E.5'" },
	{ "0 < .51 1:1(0)\n",
	  "t.pkt:1:5: expected TCP flags (F S R P . U E W A, or -), found '.51'" },
	{ "0 < S 0:0\n", "t.pkt:1:10: expected '(', found end of line" },
	{ "0 < S 0:0(0\n", "t.pkt:1:12: expected ')', found end of line" },
	{ "0 < S 0-0(0)\n", "t.pkt:1:8: expected ':', found '-'" },
	{ "+0 < P. 1:1001(999) ack 1 win 257\n",
	  "t.pkt:1:16: expected payload length 1000 (end - seq), found '999'" },
	{ "0 < S 5:1(0)\n",
	  "t.pkt:1:11: expected payload length (end 1 is below seq 5), found '0'" },
	{ "0 < S 0:65536(65536)\n",
	  "t.pkt:1:15: expected payload length (0 to 65535), found '65536'" },
	{ "0 < S 4294967296:0(0)\n",
	  "t.pkt:1:7: expected sequence number (0 to 4294967295), found '4294967296'" },
	{ "0 < S 0:0(0) foo\n",
	  "t.pkt:1:14: expected 'ack', 'win', 'urg', '<' or end of line, found 'foo'" },
	{ "0 < S 0:0(0) ack x\n", "t.pkt:1:18: expected ack number, found 'x'" },
	{ "0 < S 0:0(0) ack 4294967296\n",
	  "t.pkt:1:18: expected ack number (0 to 4294967295), found '4294967296'" },
	{ "0 < S 0:0(0) win 65536\n",
	  "t.pkt:1:18: expected window (0 to 65535), found '65536'" },
	{ "0 < S 0:0(0) win 1 ack 1\n",
	  "t.pkt:1:20: expected 'urg', '<' or end of line, found 'ack'" },
	{ "0 < S 0:0(0) urg 1 win 1\n",
	  "t.pkt:1:20: expected '<' or end of line, found 'win'" },
	{ "0 < U. 1:1(0) ack 1 urg 65536\n",
	  "t.pkt:1:25: expected urgent pointer (0 to 65535), found '65536'" },
	{ "0 < [ect2] S 0:0(0)\n",
	  "t.pkt:1:6: expected an ECN mark (noecn, ect0, ect1, ce, ect01), found 'ect2'" },
	{ "0 < [ect01] S 0:0(0)\n",
	  "t.pkt:1:6: expected an ECN mark an inbound packet can carry (noecn, ect0, "
	  "ect1, ce; ect01 is for outbound packets), found 'ect01'" },
	{ "0 > [ce S 0:0(0)\n", "t.pkt:1:9: expected ']', found 'S'" },
	{ "0 > (ce] S 0:0(0)\n", "t.pkt:1:8: expected ')', found ']'" },
	{ "0 < icmp\n",
	  "t.pkt:1:9: expected an ICMP type (unreachable, packet_too_big, "
	  "time_exceeded, ... or type_N), found end of line" },
	{ "0 > icmp unreachable\n",
	  "t.pkt:1:5: expected TCP flags (an outbound ICMP line is not supported), "
	  "found 'icmp'" },
	{ "0 < icmp unreachable frag_needed mtu x\n",
	  "t.pkt:1:38: expected MTU, found 'x'" },
	{ "0 < icmp unreachable [udp (10)]\n",
	  "t.pkt:1:23: expected the echoed TCP segment (seq:end(len)), found 'udp'" },
	{ "0 < icmp unreachable [0:10(10)\n", "t.pkt:1:31: expected ']', found end of line" },
	{ "0 < icmp unreachable [0:10(10)] win 5\n",
	  "t.pkt:1:33: expected 'mtu', 'id', '[' or end of line, found 'win'" },
	{ "0 < S 0:0(0) <...>\n",
	  "t.pkt:1:15: expected a TCP option list (an inbound packet's options are exact; "
	  "<...> is for outbound packets), found '...'" },
	{ "0 > S 0:0(0) <...\n", "t.pkt:1:18: expected '>', found end of line" },
	{ "0 > S 0:0(0) <>\n",
	  "t.pkt:1:15: expected a TCP option (mss, wscale, sackOK, sack, TS, nop, eol, "
	  "md5, FO, FOEXP, ECN), found '>'" },
	{ "0 > S 0:0(0) <md5 abc>\n",
	  "t.pkt:1:19: expected an MD5 digest in hex (an even number of digits, "
	  "at most 16 bytes), found 'abc'" },
	{ "0 > S 0:0(0) <mss>\n", "t.pkt:1:18: expected MSS value, found '>'" },
	{ "0 > S 0:0(0) <mss 65536>\n",
	  "t.pkt:1:19: expected MSS value (0 to 65535), found '65536'" },
	{ "0 > S 0:0(0) <wscale 256>\n",
	  "t.pkt:1:22: expected window scale shift count (0 to 255), found '256'" },
	{ "0 > S 0:0(0) <mss 1 mss 2>\n", "t.pkt:1:21: expected ',' or '>', found 'mss'" },
	{ "0 > S 0:0(0) <TS 1 ecr 2>\n", "t.pkt:1:18: expected 'val', found '1'" },
	{ "0 > S 0:0(0) <TS val 1 2>\n", "t.pkt:1:24: expected 'ecr', found '2'" },
	{ "0 > S 0:0(0) <sack 1:2 3:4 5:6 7:8 9:10>\n",
	  "t.pkt:1:36: expected at most 4 SACK blocks, found '9'" },
	{ "0 > S 0:0(0) <sack 1>\n", "t.pkt:1:21: expected ':', found '>'" },
	{ "0 > S 0:0(0) <TS val 1 ecr 2,TS val 1 ecr 2,TS val 1 ecr 2,TS val 1 ecr 2,nop>\n",
	  "t.pkt:1:75: expected TCP options of at most 40 bytes, found 'nop'" },
	{ "0 > S 0:0(0) <mss 1> ack 1\n", "t.pkt:1:22: expected end of line, found 'ack'" },
};

START_TEST(packet_line_errors_give_exact_messages)
{
	fails(packet_line_errors[_i].text, packet_line_errors[_i].message);
}
END_TEST

/* "[ect0]", "urg N" and ICMP lines as the corpora write them. */
START_TEST(ecn_marks_urg_and_icmp_lines)
{
	struct script *s = ok("0 < [ect0] SEW 0:0(0) win 32792\n"
			      "+0 > (ce) S. 0:0(0) ack 1\n"
			      "+0 > [ect01] . 1:1(0) ack 1\n"
			      "+0 < U. 1:101(100) ack 1 win 257 urg 100\n"
			      "+0 < P. 1:1(0) ack 1\n"
			      "+0 < icmp unreachable frag_needed mtu 800 [0:1000(1000)]\n"
			      "+0 < [ect1] icmp unreachable CODE\n"
			      "+0 < icmp packet_too_big mtu 1400 id 7\n");
	const struct packet_event *p;

	ck_assert_int_eq(script_event(s, 0)->u.packet.ecn, PACKET_ECN_ECT0);
	ck_assert_uint_eq(script_event(s, 0)->u.packet.flags,
			  TCPF_SYN | TCPF_ECE | TCPF_CWR);
	ck_assert_int_eq(script_event(s, 1)->u.packet.ecn, PACKET_ECN_CE);
	ck_assert_int_eq(script_event(s, 2)->u.packet.ecn, PACKET_ECN_ECT01);
	p = &script_event(s, 3)->u.packet;
	ck_assert_uint_eq(p->urg, 100);
	ck_assert_int_eq(p->ecn, PACKET_ECN_UNSPEC);
	ck_assert(!p->icmp.present);
	ck_assert_uint_eq(script_event(s, 4)->u.packet.urg, 0);
	p = &script_event(s, 5)->u.packet;
	ck_assert(p->icmp.present);
	ck_assert_str_eq(p->icmp.type, "unreachable");
	ck_assert_str_eq(p->icmp.code, "frag_needed");
	ck_assert_int_eq(p->icmp.mtu, 800);
	ck_assert_uint_eq(p->seq, 0);
	ck_assert_uint_eq(p->len, 1000);
	p = &script_event(s, 6)->u.packet;
	ck_assert_int_eq(p->ecn, PACKET_ECN_ECT1);
	ck_assert_str_eq(p->icmp.code, "CODE");	/* resolved when run */
	ck_assert_int_eq(p->icmp.mtu, -1);
	ck_assert_uint_eq(p->len, 0);
	p = &script_event(s, 7)->u.packet;
	ck_assert_str_eq(p->icmp.code, "");
	ck_assert_int_eq(p->icmp.mtu, 1400);
	ck_assert_uint_eq(p->icmp.echo_id, 7);
	script_free(s);
}
END_TEST

Suite *packet_line_suite(void)
{
	Suite *s = suite_create("packet_line");
	TCase *tc = tcase_create("packets");

	tcase_add_loop_test(tc, packet_lines_fill_every_field, 0,
			    sizeof(packets) / sizeof(packets[0]));
	tcase_add_test(tc, tcp_options_decode_like_the_wire_parser);
	tcase_add_test(tc, forty_option_bytes_fit);
	tcase_add_test(tc, ecn_marks_urg_and_icmp_lines);
	tcase_add_loop_test(tc, packet_line_errors_give_exact_messages, 0,
			    sizeof(packet_line_errors) / sizeof(packet_line_errors[0]));
	suite_add_tcase(s, tc);
	return s;
}
