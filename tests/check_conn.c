/* check_conn.c - the connection map: what it learns from outbound segments and how it rewrites inbound ones; no root needed. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "error.h"
#include "exec.h"
#include "frames.h"
#include "packet.h"
#include "script.h"
#include "suites.h"

/* The kernel is the server of frames.h (port 8080), the harness its client. */
#define KERNEL_ISN	726366952u	/* v4_synack's seq */
#define SYNACK_TS_VAL	299792980u	/* v4_synack's TS val */

static struct script *parse(const char *text)
{
	struct script *s = NULL;
	char *error = NULL;

	ck_assert_msg(script_parse("t.pkt", text, strlen(text), &s, &error) == 0,
		      "parse failed: %s", error ? error : "?");
	return s;
}

static const struct packet_event *line(const struct script *s, size_t i)
{
	return &script_event(s, i)->u.packet;
}

static void segment(const uint8_t *frame, size_t len, struct tcp_segment *seg)
{
	struct packet_info info;
	char *error = NULL;

	ck_assert_int_eq(packet_parse(frame, len, &info, &error), 0);
	ck_assert_int_eq(info.kind, PACKET_TCP);
	*seg = info.tcp;
}

/* A map that has seen v4_synack match the SYN-ACK line with TS val 100. */
static struct conn *after_synack(void)
{
	struct script *s = parse("0 > S. 0:0(0) ack 2467812874 <mss 1460,sackOK,"
				 "TS val 100 ecr 168597899,nop,wscale 10>\n");
	struct conn *c = conn_new(EXEC_HARNESS_PORT);
	struct tcp_segment seg;

	segment(v4_synack, sizeof(v4_synack), &seg);
	conn_learn_outbound(c, line(s, 0), &seg);
	conn_learn_ts(c, line(s, 0), &seg);
	script_free(s);
	return c;
}

START_TEST(a_new_map_knows_nothing_and_sends_nothing)
{
	struct script *s = parse("0 < S 0:0(0) win 1000\n0 < . 1:1(0) ack 1\n");
	struct conn *c = conn_new(EXEC_HARNESS_PORT);
	struct tcp_segment seg;
	uint16_t port;
	uint32_t isn;
	char *error = NULL;

	ck_assert(!conn_kernel_port(c, &port));
	ck_assert(!conn_isn(c, &isn));
	ck_assert_int_eq(conn_harness_port(c), EXEC_HARNESS_PORT);
	ck_assert_int_eq(conn_to_wire(c, line(s, 0), &seg, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "inbound packet before the kernel's port is known "
			 "(no bind() and no outbound SYN yet)");
	free(error);
	error = NULL;
	/* bind() names the port: a SYN may go, an ACK of kernel data not yet */
	conn_set_kernel_port(c, EXEC_KERNEL_PORT);
	ck_assert_int_eq(conn_to_wire(c, line(s, 0), &seg, &error), 0);
	ck_assert_int_eq(conn_to_wire(c, line(s, 1), &seg, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "inbound packet acknowledges kernel data before "
			 "the kernel sent its SYN");
	free(error);
	conn_free(c);
	script_free(s);
}
END_TEST

START_TEST(port_and_isn_come_from_the_first_syn_answering_a_syn_line)
{
	struct conn *c = after_synack();
	struct tcp_segment seg, rel;
	uint16_t port;
	uint32_t isn;

	ck_assert(conn_kernel_port(c, &port));
	ck_assert_int_eq(port, 8080);
	ck_assert(conn_isn(c, &isn));
	ck_assert_uint_eq(isn, KERNEL_ISN);
	/* the kernel's FIN in script numbers: seq 1 */
	segment(v4_finack, sizeof(v4_finack), &seg);
	conn_to_script(c, &seg, &rel);
	ck_assert_uint_eq(rel.seq, 1);
	ck_assert_uint_eq(rel.ack, 2467812880u);	/* the harness's own numbers */
	conn_to_script(c, &seg, &seg);			/* in place */
	ck_assert_uint_eq(seg.seq, 1);
	conn_free(c);
}
END_TEST

/* packetdrill's numbering: the SYN line that opens a connection writes the
 * harness's ISN; later inbound seqs and the kernel's acks and SACK edges
 * count from it.  A SYN on the open connection keeps it. */
START_TEST(the_opening_syn_line_is_the_harness_isn)
{
	struct script *s = parse("0 < S 2467812873:2467812873(0) win 1000\n"
				 "0 < . 1:1(0) ack 1\n"
				 "0 < S 5:5(0) win 1000\n");
	struct conn *c = after_synack();
	struct tcp_segment seg, rel;
	char *error = NULL;

	conn_learn_inbound(c, line(s, 0));
	ck_assert_int_eq(conn_to_wire(c, line(s, 0), &seg, &error), 0);
	ck_assert_uint_eq(seg.seq, 2467812873u);		/* the SYN as written */
	conn_learn_inbound(c, line(s, 1));
	ck_assert_int_eq(conn_to_wire(c, line(s, 1), &seg, &error), 0);
	ck_assert_uint_eq(seg.seq, 2467812874u);		/* 1 past it */
	/* the kernel's SYN-ACK acks 2467812874 on the wire: "ack 1" in the script */
	segment(v4_synack, sizeof(v4_synack), &seg);
	conn_to_script(c, &seg, &rel);
	ck_assert_uint_eq(rel.ack, 1);
	/* a SYN on the open connection (RFC 5961) is not a new ISN */
	conn_learn_inbound(c, line(s, 2));
	conn_to_script(c, &seg, &rel);
	ck_assert_uint_eq(rel.ack, 1);
	conn_free(c);
	script_free(s);
}
END_TEST

/* A kernel SYN without ACK (connect()) opens a connection of its own: the
 * SYN-ACK answering it sets the harness's ISN, a SYN crossing it does not. */
START_TEST(an_active_open_takes_its_isn_from_the_synack)
{
	struct script *s = parse("0 > S 0:0(0) <...>\n"
				 "0 < S 5:5(0) win 1000\n"
				 "0 < S. 726366952:726366952(0) ack 1 win 1000\n");
	struct conn *c = conn_new(EXEC_HARNESS_PORT);
	struct tcp_segment seg, rel;
	uint16_t port;

	segment(v4_syn, sizeof(v4_syn), &seg);		/* the kernel's SYN, port 40000 */
	conn_learn_outbound(c, line(s, 0), &seg);
	ck_assert(conn_kernel_port(c, &port));
	ck_assert_int_eq(port, 40000);
	conn_learn_inbound(c, line(s, 1));		/* simultaneous: no new ISN */
	segment(v4_ack, sizeof(v4_ack), &seg);		/* acks 726366953 */
	conn_to_script(c, &seg, &rel);
	ck_assert_uint_eq(rel.ack, 726366953u);
	conn_learn_inbound(c, line(s, 2));
	conn_to_script(c, &seg, &rel);
	ck_assert_uint_eq(rel.ack, 1);
	conn_free(c);
	script_free(s);
}
END_TEST

START_TEST(isn_is_not_learnt_from_a_segment_or_line_without_syn)
{
	struct script *s = parse("0 > . 1:1(0) ack 2467812879\n"
				 "0 > S. 5:5(0) ack 2467812874 <...>\n");
	struct conn *c = conn_new(EXEC_HARNESS_PORT);
	struct tcp_segment seg;
	uint32_t isn;
	uint16_t port;

	segment(v4_data_ack, sizeof(v4_data_ack), &seg);
	conn_learn_outbound(c, line(s, 0), &seg);
	ck_assert(!conn_isn(c, &isn));
	ck_assert(conn_kernel_port(c, &port));		/* the port is, though */
	/* the SYN line's seq counts: ISN = wire seq - 5 */
	segment(v4_synack, sizeof(v4_synack), &seg);
	conn_learn_outbound(c, line(s, 1), &seg);
	ck_assert(conn_isn(c, &isn));
	ck_assert_uint_eq(isn, KERNEL_ISN - 5);
	/* and only once */
	segment(v4_synack, sizeof(v4_synack), &seg);
	seg.seq += 1000;
	conn_learn_outbound(c, line(s, 1), &seg);
	conn_isn(c, &isn);
	ck_assert_uint_eq(isn, KERNEL_ISN - 5);
	conn_free(c);
	script_free(s);
}
END_TEST

START_TEST(injection_fills_ports_ack_and_window)
{
	struct script *s = parse("0 < . 1:1(0) ack 1 win 257\n"
				 "0 < P. 1:11(10) ack 1\n");
	struct conn *c = after_synack();
	struct tcp_segment seg;
	char *error = NULL;

	ck_assert_int_eq(conn_to_wire(c, line(s, 0), &seg, &error), 0);
	ck_assert_int_eq(seg.sport, EXEC_HARNESS_PORT);
	ck_assert_int_eq(seg.dport, EXEC_KERNEL_PORT);
	ck_assert_uint_eq(seg.seq, 1);			/* the harness's ISN is 0 */
	ck_assert_uint_eq(seg.ack, KERNEL_ISN + 1);
	ck_assert_int_eq(seg.win, 257);
	ck_assert_int_eq(seg.flags, TCPF_ACK);
	ck_assert_int_eq(seg.noptions, 0);
	ck_assert_int_eq(conn_to_wire(c, line(s, 1), &seg, &error), 0);
	ck_assert_int_eq(seg.win, 65535);		/* not written */
	ck_assert_uint_eq(seg.payload_len, 10);
	ck_assert_int_eq(seg.flags, TCPF_PSH | TCPF_ACK);
	conn_free(c);
	script_free(s);
}
END_TEST

static uint32_t ecr_sent(struct conn *c, const char *text)
{
	struct script *s = parse(text);
	struct tcp_segment seg;
	char *error = NULL;
	uint32_t ecr = 0;

	ck_assert_int_eq(conn_to_wire(c, line(s, 0), &seg, &error), 0);
	for (unsigned int i = 0; i < seg.noptions; i++)
		if (seg.options[i].kind == TCPOPT_TS) {
			ck_assert_uint_eq(seg.options[i].u.ts.val, 7);	/* harness's own */
			ecr = seg.options[i].u.ts.ecr;
		}
	script_free(s);
	return ecr;
}

START_TEST(ts_ecr_echoes_the_kernel_val_the_script_named)
{
	struct script *s = parse("0 > F. 1:1(0) ack 2467812880 <nop,nop,TS val 200 ecr 168598000>\n");
	struct conn *c = conn_new(EXEC_HARNESS_PORT);
	struct tcp_segment seg;

	conn_set_kernel_port(c, EXEC_KERNEL_PORT);
	/* nothing seen yet: the value goes out as written */
	ck_assert_uint_eq(ecr_sent(c, "0 < S 0:0(0) <nop,nop,TS val 7 ecr 100>\n"), 100);
	conn_free(c);

	c = after_synack();
	ck_assert_uint_eq(ecr_sent(c, "0 < . 1:1(0) ack 1 <nop,nop,TS val 7 ecr 100>\n"),
			  SYNACK_TS_VAL);
	segment(v4_finack, sizeof(v4_finack), &seg);
	conn_learn_ts(c, line(s, 0), &seg);
	ck_assert_uint_eq(ecr_sent(c, "0 < . 1:1(0) ack 2 <nop,nop,TS val 7 ecr 200>\n"),
			  299793082u);
	/* the older name still maps to its own value */
	ck_assert_uint_eq(ecr_sent(c, "0 < . 1:1(0) ack 2 <nop,nop,TS val 7 ecr 100>\n"),
			  SYNACK_TS_VAL);
	/* a name the script never gave: the latest, as a real peer echoes */
	ck_assert_uint_eq(ecr_sent(c, "0 < . 1:1(0) ack 2 <nop,nop,TS val 7 ecr 999>\n"),
			  299793082u);
	conn_free(c);
	script_free(s);
}
END_TEST

START_TEST(ts_val_is_learnt_even_when_the_line_leaves_options_open)
{
	struct script *s = parse("0 > F. 1:1(0) ack 2467812880 <...>\n");
	struct conn *c = after_synack();
	struct tcp_segment seg;

	segment(v4_finack, sizeof(v4_finack), &seg);
	conn_learn_ts(c, line(s, 0), &seg);
	ck_assert_uint_eq(ecr_sent(c, "0 < . 1:1(0) ack 2 <nop,nop,TS val 7 ecr 5>\n"),
			  299793082u);
	/* the name 100 is still the SYN-ACK's */
	ck_assert_uint_eq(ecr_sent(c, "0 < . 1:1(0) ack 2 <nop,nop,TS val 7 ecr 100>\n"),
			  SYNACK_TS_VAL);
	conn_free(c);
	script_free(s);
}
END_TEST

START_TEST(the_oldest_ts_name_goes_when_the_table_is_full)
{
	char text[128];
	struct conn *c = after_synack();	/* name 100 */
	struct tcp_segment seg;

	segment(v4_finack, sizeof(v4_finack), &seg);
	for (unsigned int i = 0; i < CONN_MAX_TS; i++) {
		struct script *s;

		snprintf(text, sizeof(text), "0 > F. 1:1(0) ack 2467812880 "
			 "<nop,nop,TS val %u ecr 168598000>\n", 1000 + i);
		s = parse(text);
		seg.options[2].u.ts.val = 5000 + i;
		conn_learn_ts(c, line(s, 0), &seg);
		script_free(s);
	}
	ck_assert_uint_eq(ecr_sent(c, "0 < . 1:1(0) ack 2 <nop,nop,TS val 7 ecr 1000>\n"),
			  5000);
	/* 100 dropped out: the latest is echoed instead */
	ck_assert_uint_eq(ecr_sent(c, "0 < . 1:1(0) ack 2 <nop,nop,TS val 7 ecr 100>\n"),
			  5000 + CONN_MAX_TS - 1);
	conn_free(c);
}
END_TEST

START_TEST(sack_blocks_move_into_the_kernels_sequence_space)
{
	struct script *s = parse("0 < . 1:1(0) ack 1 <sack 1001:2001 3001:4001,nop,nop>\n");
	struct conn *c = after_synack();
	struct tcp_segment seg;
	char *error = NULL;

	ck_assert_int_eq(conn_to_wire(c, line(s, 0), &seg, &error), 0);
	ck_assert_int_eq(seg.noptions, 3);
	ck_assert_int_eq(seg.options[0].kind, TCPOPT_SACK);
	ck_assert_int_eq(seg.options[0].u.sack.count, 2);
	ck_assert_uint_eq(seg.options[0].u.sack.block[0].left, KERNEL_ISN + 1001);
	ck_assert_uint_eq(seg.options[0].u.sack.block[0].right, KERNEL_ISN + 2001);
	ck_assert_uint_eq(seg.options[0].u.sack.block[1].left, KERNEL_ISN + 3001);
	ck_assert_uint_eq(seg.options[0].u.sack.block[1].right, KERNEL_ISN + 4001);
	/* wrapping past 2^32 is plain modular arithmetic */
	script_free(s);
	s = parse("0 < . 1:1(0) ack 1 <sack 3568600344:3568600345>\n");
	ck_assert_int_eq(conn_to_wire(c, line(s, 0), &seg, &error), 0);
	ck_assert_uint_eq(seg.options[0].u.sack.block[0].left, 0);
	ck_assert_uint_eq(seg.options[0].u.sack.block[0].right, 1);
	conn_free(c);
	script_free(s);
}
END_TEST

START_TEST(a_script_segment_leaves_out_what_the_line_did_not_write)
{
	struct script *s = parse("0 > F. 5:15(10) <...>\n0 > . 1:1(0) ack 9 win 3 <nop>\n");
	struct tcp_segment seg;

	conn_script_segment(line(s, 0), &seg);
	ck_assert_int_eq(seg.flags, TCPF_FIN | TCPF_ACK);
	ck_assert_uint_eq(seg.seq, 5);
	ck_assert_uint_eq(seg.payload_len, 10);
	ck_assert_uint_eq(seg.ack, 0);
	ck_assert_uint_eq(seg.win, 0);
	ck_assert_int_eq(seg.noptions, 0);		/* "<...>" lists nothing */
	conn_script_segment(line(s, 1), &seg);
	ck_assert_uint_eq(seg.ack, 9);
	ck_assert_uint_eq(seg.win, 3);
	ck_assert_int_eq(seg.noptions, 1);
	ck_assert_int_eq(seg.options[0].kind, TCPOPT_NOP);
	script_free(s);
}
END_TEST

/* packetdrill gives each SYN to a new listener a port of its own: after a
 * second listen(), the next passive open comes from the next harness port
 * and learns the kernel's ISN anew; what the first connection still sends
 * (to the old port) is past.  Without listen() a SYN stays on the tuple. */
START_TEST(a_new_listeners_connection_has_a_port_and_isn_of_its_own)
{
	struct script *s = parse("0 < S 0:0(0) win 1000\n"
				 "0 > S. 0:0(0) ack 1 <...>\n");
	struct conn *c = conn_new(EXEC_HARNESS_PORT);
	struct tcp_segment seg, fin;
	char *error = NULL;
	uint32_t isn;

	conn_set_kernel_port(c, 8080);
	conn_listen(c);
	conn_learn_inbound(c, line(s, 0));
	ck_assert_uint_eq(conn_harness_port(c), EXEC_HARNESS_PORT);
	segment(v4_synack, sizeof(v4_synack), &seg);
	conn_learn_outbound(c, line(s, 1), &seg);
	segment(v4_finack, sizeof(v4_finack), &fin);
	ck_assert(!conn_is_past(c, &fin));
	conn_learn_inbound(c, line(s, 0));		/* no listen(): same tuple */
	ck_assert_uint_eq(conn_harness_port(c), EXEC_HARNESS_PORT);
	ck_assert(conn_isn(c, &isn));

	conn_listen(c);
	conn_learn_inbound(c, line(s, 0));
	ck_assert_uint_eq(conn_harness_port(c), EXEC_HARNESS_PORT + 1);
	ck_assert(!conn_isn(c, &isn));			/* the new SYN-ACK's, when it comes */
	ck_assert(conn_is_past(c, &fin));		/* to port 40000 */
	ck_assert_int_eq(conn_to_wire(c, line(s, 0), &seg, &error), 0);
	ck_assert_uint_eq(seg.sport, EXEC_HARNESS_PORT + 1);
	seg = fin;
	seg.dport = EXEC_HARNESS_PORT + 1;
	ck_assert(!conn_is_past(c, &seg));
	segment(v4_synack, sizeof(v4_synack), &seg);
	seg.seq = 5000;
	conn_learn_outbound(c, line(s, 1), &seg);
	ck_assert(conn_isn(c, &isn));
	ck_assert_uint_eq(isn, 5000);
	conn_free(c);
	script_free(s);
}
END_TEST

Suite *conn_suite(void)
{
	Suite *s = suite_create("conn");
	TCase *tc = tcase_create("map");

	tcase_add_test(tc, a_new_map_knows_nothing_and_sends_nothing);
	tcase_add_test(tc, port_and_isn_come_from_the_first_syn_answering_a_syn_line);
	tcase_add_test(tc, the_opening_syn_line_is_the_harness_isn);
	tcase_add_test(tc, an_active_open_takes_its_isn_from_the_synack);
	tcase_add_test(tc, isn_is_not_learnt_from_a_segment_or_line_without_syn);
	tcase_add_test(tc, injection_fills_ports_ack_and_window);
	tcase_add_test(tc, ts_ecr_echoes_the_kernel_val_the_script_named);
	tcase_add_test(tc, ts_val_is_learnt_even_when_the_line_leaves_options_open);
	tcase_add_test(tc, the_oldest_ts_name_goes_when_the_table_is_full);
	tcase_add_test(tc, sack_blocks_move_into_the_kernels_sequence_space);
	tcase_add_test(tc, a_script_segment_leaves_out_what_the_line_did_not_write);
	tcase_add_test(tc, a_new_listeners_connection_has_a_port_and_isn_of_its_own);
	suite_add_tcase(s, tc);
	return s;
}
