/* check_judge.c - the judge: packet matching, call results, timing windows and their messages; no root needed. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "error.h"
#include "exec.h"
#include "frames.h"
#include "judge.h"
#include "packet.h"
#include "script.h"
#include "suites.h"

static struct script *parse(const char *text)
{
	struct script *s = NULL;
	char *error = NULL;

	ck_assert_msg(script_parse("t.pkt", text, strlen(text), &s, &error) == 0,
		      "parse failed: %s", error ? error : "?");
	return s;
}

static void segment(const uint8_t *frame, size_t len, struct tcp_segment *seg)
{
	struct packet_info info;
	char *error = NULL;

	ck_assert_int_eq(packet_parse(frame, len, &info, &error), 0);
	*seg = info.tcp;
}

/* ---- windows and times ---- */

START_TEST(windows_follow_the_time_spec)
{
	struct script *s = parse("0.25 close(3) = 0\n+0.1 close(3) = 0\n"
				 "+0.1~+0.3 close(3) = 0\n* close(3) = 0\n"
				 "0.1...0.25 read(4, ..., 10) = 10\n"
				 "+0.1...+0.3 read(4, ..., 10) = 10\n");
	struct window w;

	w = judge_window(&script_event(s, 0)->time, 500000);
	ck_assert(!w.any);
	ck_assert_int_eq(w.start, 250000);
	ck_assert_int_eq(w.end, 250000);
	w = judge_window(&script_event(s, 1)->time, 500000);
	ck_assert_int_eq(w.start, 600000);
	ck_assert_int_eq(w.end, 600000);
	w = judge_window(&script_event(s, 2)->time, 500000);
	ck_assert_int_eq(w.start, 600000);
	ck_assert_int_eq(w.end, 800000);
	w = judge_window(&script_event(s, 3)->time, 500000);
	ck_assert(w.any);
	ck_assert_int_eq(w.start, 500000);
	ck_assert_int_eq(w.end, INT64_MAX);
	/* a blocking call returns b - a after it started */
	w = judge_return_window(script_event(s, 4), 120000);
	ck_assert_int_eq(w.start, 270000);
	ck_assert_int_eq(w.end, 270000);
	w = judge_return_window(script_event(s, 5), 1000000);
	ck_assert_int_eq(w.start, 1200000);
	script_free(s);
}
END_TEST

START_TEST(times_are_early_on_time_or_late_by_the_tolerance)
{
	struct window point = { 100000, 100000, false };
	struct window range = { 100000, 300000, false };
	struct window any = { 100000, INT64_MAX, true };

	ck_assert_int_eq(judge_time(&point, 95999, 4000), JUDGE_EARLY);
	ck_assert_int_eq(judge_time(&point, 96000, 4000), JUDGE_ON_TIME);
	ck_assert_int_eq(judge_time(&point, 100000, 4000), JUDGE_ON_TIME);
	ck_assert_int_eq(judge_time(&point, 104000, 4000), JUDGE_ON_TIME);
	ck_assert_int_eq(judge_time(&point, 104001, 4000), JUDGE_LATE);
	ck_assert_int_eq(judge_time(&range, 200000, 0), JUDGE_ON_TIME);
	ck_assert_int_eq(judge_time(&range, 300000, 0), JUDGE_ON_TIME);
	ck_assert_int_eq(judge_time(&range, 300001, 0), JUDGE_LATE);
	ck_assert_int_eq(judge_time(&range, 99999, 0), JUDGE_EARLY);
	ck_assert_int_eq(judge_time(&any, 0, 0), JUDGE_ON_TIME);
	ck_assert_int_eq(judge_time(&any, INT64_MAX, 0), JUDGE_ON_TIME);
}
END_TEST

START_TEST(seconds_print_with_microseconds_and_sign)
{
	char buf[32];

	ck_assert_str_eq(judge_secs(0, buf, sizeof(buf)), "0.000000 s");
	ck_assert_str_eq(judge_secs(17700, buf, sizeof(buf)), "0.017700 s");
	ck_assert_str_eq(judge_secs(-1500000, buf, sizeof(buf)), "-1.500000 s");
}
END_TEST

START_TEST(a_packet_early_or_late_fails_with_both_times)
{
	struct window w = { 100000, 100000, false };
	struct window range = { 100000, 300000, false };
	char *msg = NULL;

	ck_assert_int_eq(judge_packet_time(&w, 95000, 4000, ". 1:1(0) ack 1", &msg),
			 STATUS_ERROR);
	ck_assert_str_eq(msg, "timing: . 1:1(0) ack 1 too early: expected at "
			 "0.100000 s (tolerance 0.004000 s) vs actual 0.095000 s");
	free(msg);
	msg = NULL;
	ck_assert_int_eq(judge_packet_time(&w, 96000, 4000, "x", &msg), 0);
	ck_assert_int_eq(judge_packet_time(&w, 100000, 4000, "x", &msg), 0);
	ck_assert_int_eq(judge_packet_time(&w, 104000, 4000, "x", &msg), 0);
	ck_assert_ptr_null(msg);
	/* issue 10: a SYN-ACK at 17.7 ms passed a +0 line with 10 ms tolerance */
	ck_assert_int_eq(judge_packet_time(&(struct window){ 0, 0, false }, 17700,
					   10000, "S. 0:0(0) ack 1", &msg), STATUS_ERROR);
	ck_assert_str_eq(msg, "timing: S. 0:0(0) ack 1 too late: expected at "
			 "0.000000 s (tolerance 0.010000 s) vs actual 0.017700 s");
	free(msg);
	msg = NULL;
	/* a range is late after its end */
	ck_assert_int_eq(judge_packet_time(&range, 304000, 4000, "x", &msg), 0);
	ck_assert_int_eq(judge_packet_time(&range, 304001, 4000, ". 1:1(0)", &msg),
			 STATUS_ERROR);
	ck_assert_str_eq(msg, "timing: . 1:1(0) too late: expected by 0.300000 s "
			 "(tolerance 0.004000 s) vs actual 0.304001 s");
	free(msg);
	msg = NULL;
	/* "*" is never early or late */
	w.any = true;
	ck_assert_int_eq(judge_packet_time(&w, 0, 0, "x", &msg), 0);
	ck_assert_int_eq(judge_packet_time(&w, 99000000, 0, "x", &msg), 0);
	ck_assert_ptr_null(msg);
}
END_TEST

START_TEST(a_blocking_call_returning_early_or_late_fails)
{
	struct script *s = parse("0...0.2 read(4, ..., 10) = 10\n");
	const struct event *ev = script_event(s, 0);
	const struct syscall_event *sc = &ev->u.syscall;
	struct window w = judge_return_window(ev, 0);
	char *msg = NULL;

	ck_assert_int_eq(judge_return_time(sc, &w, 200000, 4000, &msg), 0);
	ck_assert_int_eq(judge_return_time(sc, &w, 204000, 4000, &msg), 0);
	ck_assert_int_eq(judge_return_time(sc, &w, 196000, 4000, &msg), 0);
	ck_assert_int_eq(judge_return_time(sc, &w, 150000, 4000, &msg), STATUS_ERROR);
	ck_assert_str_eq(msg, "timing: read() returned too early: expected at "
			 "0.200000 s (tolerance 0.004000 s) vs actual 0.150000 s");
	free(msg);
	msg = NULL;
	ck_assert_int_eq(judge_return_time(sc, &w, 250000, 4000, &msg), STATUS_ERROR);
	ck_assert_str_eq(msg, "timing: read() returned too late: expected at "
			 "0.200000 s (tolerance 0.004000 s) vs actual 0.250000 s");
	free(msg);
	script_free(s);
}
END_TEST

START_TEST(a_blocking_call_counts_from_its_actual_start)
{
	struct script *s = parse("+0.1...+0.3 read(4, ..., 10) = 10\n");
	const struct event *ev = script_event(s, 0);
	char *msg = NULL;
	struct window w;

	/* meant to start at 1.1 s, started 20 ms late: due at 1.32 s, not 1.3 */
	w = judge_return_window(ev, 1120000);
	ck_assert_int_eq(w.start, 1320000);
	ck_assert_int_eq(judge_return_time(&ev->u.syscall, &w, 1322000, 4000, &msg), 0);
	ck_assert_int_eq(judge_return_time(&ev->u.syscall, &w, 1310000, 4000, &msg),
			 STATUS_ERROR);
	ck_assert_str_eq(msg, "timing: read() returned too early: expected at "
			 "1.320000 s (tolerance 0.004000 s) vs actual 1.310000 s");
	free(msg);
	script_free(s);
}
END_TEST

START_TEST(a_missing_packet_names_line_time_and_tolerance)
{
	struct script *s = parse("0 > F. 1:1(0) ack 1 <...>\n");
	struct window w = { 112899, 112899, false };
	char *msg = NULL;

	judge_packet_missing(&script_event(s, 0)->u.packet, &w, 10000, &msg);
	ck_assert_str_eq(msg, "expected outbound packet F. 1:1(0) ack 1 <...> at "
			 "0.112899 s (tolerance 0.010000 s) but nothing came");
	free(msg);
	script_free(s);
}
END_TEST

/* ---- packets ---- */

/*
 * v4_synack, seen by a harness on port 40000 talking to the kernel on 8080,
 * against the line that makes it match; each case below changes one thing.
 */
#define SYNACK_LINE	"S. 0:0(0) ack 2467812874 win 65160 <mss 1460,sackOK," \
			"TS val 100 ecr 168597899,nop,wscale 10>"
#define SYNACK_ACTUAL	"S. 0:0(0) ack 2467812874 win 65160 <mss 1460,sackOK," \
			"TS val 299792980 ecr 168597899,nop,wscale 10>"

static const struct {
	const char *line;	/* the packet line, after "0 > " */
	const char *message;	/* NULL: it matches */
} synack_lines[] = {
	{ SYNACK_LINE, NULL },
	{ "S. 0:0(0) ack 2467812874 <...>", NULL },
	{ "S. 0:0(0) <mss 1460,sackOK,TS val 1 ecr 168597899,nop,wscale 10>", NULL },
	{ "S 0:0(0) win 65160 <...>",
	  "flags differ: expected S 0:0(0) win 65160 <...> vs actual " SYNACK_ACTUAL },
	{ "SE. 0:0(0) ack 2467812874 <...>",
	  "flags differ: expected S.E 0:0(0) ack 2467812874 <...> vs actual " SYNACK_ACTUAL },
	{ "S. 0:0(0) ack 2467812875 <...>",
	  "ack differs: expected S. 0:0(0) ack 2467812875 <...> vs actual " SYNACK_ACTUAL },
	{ "S. 0:0(0) ack 2467812874 win 65535 <...>",
	  "window differs: expected S. 0:0(0) ack 2467812874 win 65535 <...> vs actual "
	  SYNACK_ACTUAL },
	{ "S. 0:0(0) ack 2467812874",
	  "options differ: expected S. 0:0(0) ack 2467812874 vs actual " SYNACK_ACTUAL },
	{ "S. 0:0(0) ack 2467812874 <mss 1460,sackOK,TS val 100 ecr 168597899>",
	  "option count differs: expected S. 0:0(0) ack 2467812874 <mss 1460,sackOK,"
	  "TS val 100 ecr 168597899> vs actual " SYNACK_ACTUAL },
	{ "S. 0:0(0) ack 2467812874 <mss 1440,sackOK,TS val 100 ecr 168597899,nop,wscale 10>",
	  "options differ: expected S. 0:0(0) ack 2467812874 <mss 1440,sackOK,"
	  "TS val 100 ecr 168597899,nop,wscale 10> vs actual " SYNACK_ACTUAL },
	{ "S. 0:0(0) ack 2467812874 <mss 1460,sackOK,TS val 100 ecr 168597899,nop,wscale 7>",
	  "options differ: expected S. 0:0(0) ack 2467812874 <mss 1460,sackOK,"
	  "TS val 100 ecr 168597899,nop,wscale 7> vs actual " SYNACK_ACTUAL },
	{ "S. 0:0(0) ack 2467812874 <mss 1460,sackOK,TS val 100 ecr 1,nop,wscale 10>",
	  "TS ecr differs: expected S. 0:0(0) ack 2467812874 <mss 1460,sackOK,"
	  "TS val 100 ecr 1,nop,wscale 10> vs actual " SYNACK_ACTUAL },
	{ "[noecn] S. 0:0(0) ack 2467812874 <...>", NULL },
	{ "(ect01) S. 0:0(0) ack 2467812874 <...>",
	  "ECN field differs: expected [ect01] S. 0:0(0) ack 2467812874 <...> vs actual "
	  "[noecn] " SYNACK_ACTUAL },
	{ "[ect0] S. 0:0(0) ack 2467812874 win 65160 <...>",
	  "ECN field differs: expected [ect0] S. 0:0(0) ack 2467812874 win 65160 <...> "
	  "vs actual [noecn] " SYNACK_ACTUAL },
	{ "S. 0:0(0) ack 2467812874 urg 5 <...>",
	  "urgent pointer differs: expected S. 0:0(0) ack 2467812874 urg 5 <...> vs actual "
	  SYNACK_ACTUAL },
	{ "S. 0:0(0) ack 2467812874 <mss 1460,nop,TS val 100 ecr 168597899,nop,wscale 10>",
	  "options differ: expected S. 0:0(0) ack 2467812874 <mss 1460,nop,"
	  "TS val 100 ecr 168597899,nop,wscale 10> vs actual " SYNACK_ACTUAL },
};

START_TEST(synack_lines_match_or_say_what_differs)
{
	char text[512], *msg = NULL;
	struct script *s;
	struct conn *c = conn_new(EXEC_HARNESS_PORT);
	const struct packet_event *p;
	struct tcp_segment seg;
	int rc;

	snprintf(text, sizeof(text), "0 > %s\n", synack_lines[_i].line);
	s = parse(text);
	p = &script_event(s, 0)->u.packet;
	segment(v4_synack, sizeof(v4_synack), &seg);
	conn_learn_outbound(c, p, &seg);
	rc = judge_packet(c, p, &seg, &msg);
	if (!synack_lines[_i].message) {
		ck_assert_msg(rc == 0, "%s: %s", synack_lines[_i].line, msg);
	} else {
		ck_assert_int_eq(rc, STATUS_ERROR);
		ck_assert_str_eq(msg, synack_lines[_i].message);
	}
	free(msg);
	conn_free(c);
	script_free(s);
}
END_TEST

/* After the SYN-ACK: the kernel's FIN (v4_finack) against lines in script numbers. */
#define FIN_ACTUAL	"F. 1:1(0) ack 2467812880 win 64 <nop,nop,TS val 299793082 ecr 168598000>"

static const struct {
	const char *line;
	const char *message;
} fin_lines[] = {
	{ "F. 1:1(0) ack 2467812880 win 64 <nop,nop,TS val 7 ecr 168598000>", NULL },
	{ "F. 2:2(0) ack 2467812880 <...>",
	  "sequence number differs: expected F. 2:2(0) ack 2467812880 <...> vs actual "
	  FIN_ACTUAL },
	{ "F. 1:11(10) ack 2467812880 <...>",
	  "payload length differs: expected F. 1:11(10) ack 2467812880 <...> vs actual "
	  FIN_ACTUAL },
	{ "F. 1:1(0) ack 2467812880 <nop,nop,sack 1:2>",
	  "options differ: expected F. 1:1(0) ack 2467812880 <nop,nop,sack 1:2> vs actual "
	  FIN_ACTUAL },
};

START_TEST(fin_lines_use_script_sequence_numbers)
{
	struct script *syn = parse("0 > S. 0:0(0) ack 2467812874 <...>\n");
	char text[512], *msg = NULL;
	struct conn *c = conn_new(EXEC_HARNESS_PORT);
	struct tcp_segment seg;
	struct script *s;
	int rc;

	segment(v4_synack, sizeof(v4_synack), &seg);
	conn_learn_outbound(c, &script_event(syn, 0)->u.packet, &seg);
	snprintf(text, sizeof(text), "0 > %s\n", fin_lines[_i].line);
	s = parse(text);
	segment(v4_finack, sizeof(v4_finack), &seg);
	rc = judge_packet(c, &script_event(s, 0)->u.packet, &seg, &msg);
	if (!fin_lines[_i].message) {
		ck_assert_msg(rc == 0, "%s: %s", fin_lines[_i].line, msg);
	} else {
		ck_assert_int_eq(rc, STATUS_ERROR);
		ck_assert_str_eq(msg, fin_lines[_i].message);
	}
	free(msg);
	conn_free(c);
	script_free(s);
	script_free(syn);
}
END_TEST

START_TEST(a_segment_from_another_port_differs)
{
	struct script *s = parse("0 > S. 0:0(0) ack 2467812874 <...>\n");
	const struct packet_event *p = &script_event(s, 0)->u.packet;
	struct conn *c = conn_new(EXEC_HARNESS_PORT);
	struct tcp_segment seg;
	char *msg = NULL;

	conn_set_kernel_port(c, 8081);
	segment(v4_synack, sizeof(v4_synack), &seg);
	conn_learn_outbound(c, p, &seg);
	ck_assert_int_eq(judge_packet(c, p, &seg, &msg), STATUS_ERROR);
	ck_assert_str_eq(msg, "ports differ: expected S. 0:0(0) ack 2467812874 <...> "
			 "vs actual " SYNACK_ACTUAL);
	free(msg);
	msg = NULL;
	conn_free(c);
	c = conn_new(40001);
	conn_learn_outbound(c, p, &seg);
	ck_assert_int_eq(judge_packet(c, p, &seg, &msg), STATUS_ERROR);
	ck_assert(!strncmp(msg, "ports differ: ", 14));
	free(msg);
	conn_free(c);
	script_free(s);
}
END_TEST

/* SACK blocks and kinds with no name, which no captured frame has: the
 * kernel's segment is written as a line too. */
static int options_against(const char *want, const char *got, const char **why)
{
	char text[512];
	struct script *s;
	struct tcp_segment seg;
	bool ok;

	snprintf(text, sizeof(text), "0 > . 1:1(0) ack 1 %s\n0 > . 1:1(0) ack 1 %s\n",
		 want, got);
	s = parse(text);
	conn_script_segment(&script_event(s, 1)->u.packet, &seg);
	*why = NULL;
	ok = judge_options(&script_event(s, 0)->u.packet, &seg, why);
	script_free(s);
	return ok;
}

START_TEST(options_compare_kind_by_kind)
{
	const char *why;

	ck_assert(options_against("<sack 1:2 5:9>", "<sack 1:2 5:9>", &why));
	ck_assert(!options_against("<sack 1:2 5:9>", "<sack 1:2 5:10>", &why));
	ck_assert_str_eq(why, "options differ");
	ck_assert(!options_against("<sack 1:2 5:9>", "<sack 1:2>", &why));
	ck_assert_str_eq(why, "options differ");
	ck_assert(!options_against("<sack 1:2,nop>", "<nop,sack 1:2>", &why));
	ck_assert_str_eq(why, "options differ");
	ck_assert(options_against("<TS val 1 ecr 2>", "<TS val 99 ecr 2>", &why));
	ck_assert(!options_against("<TS val 1 ecr 2>", "<TS val 1 ecr 3>", &why));
	ck_assert_str_eq(why, "TS ecr differs");
	ck_assert(!options_against("<nop>", "<nop,nop>", &why));
	ck_assert_str_eq(why, "option count differs");
	ck_assert(!options_against("", "<nop>", &why));
	ck_assert_str_eq(why, "options differ");
	ck_assert(options_against("", "", &why));
	ck_assert(options_against("<...>", "<nop,mss 1>", &why));
	ck_assert(options_against("<eol>", "<eol>", &why));
}
END_TEST

START_TEST(options_without_a_name_compare_as_bytes)
{
	struct tcp_segment seg;
	struct packet_event p;
	const char *why = NULL;

	memset(&p, 0, sizeof(p));
	memset(&seg, 0, sizeof(seg));
	p.options_spec = OPTIONS_LIST;
	p.noptions = seg.noptions = 1;
	p.options[0].kind = seg.options[0].kind = 254;
	p.options[0].len = seg.options[0].len = 4;
	memcpy(p.options[0].u.raw, "\xf9\x89", 2);
	memcpy(seg.options[0].u.raw, "\xf9\x89", 2);
	ck_assert(judge_options(&p, &seg, &why));
	seg.options[0].u.raw[1] = 0x8a;
	ck_assert(!judge_options(&p, &seg, &why));
	ck_assert_str_eq(why, "options differ");
	seg.options[0].u.raw[1] = 0x89;
	seg.options[0].len = 3;
	ck_assert(!judge_options(&p, &seg, &why));
}
END_TEST

/* A segment with flags and one TS option. */
static struct tcp_segment ts_segment(uint8_t flags, uint32_t val, uint32_t ecr)
{
	struct tcp_segment seg = { .flags = flags, .seq = 1, .ack = 1, .win = 510, .noptions = 1 };

	seg.options[0].kind = TCPOPT_TS;
	seg.options[0].len = 10;
	seg.options[0].u.ts.val = val;
	seg.options[0].u.ts.ecr = ecr;
	return seg;
}

/* packetdrill's TS val rule: the kernel's clock counted from the first TS val learnt. */
START_TEST(ts_val_progress_is_judged_by_the_tick)
{
	struct script *s = parse("0 > S. 0:0(0) ack 1 <TS val 5000 ecr 100>\n"
				 "+.2 > F. 1:1(0) ack 1 <TS val 5200 ecr 101>\n"
				 "+0 > F. 1:1(0) ack 1 <TS val 5100 ecr 101>\n"
				 "+0 > F. 1:1(0) ack 1 <...>\n");
	const struct packet_event *syn = &script_event(s, 0)->u.packet;
	const struct packet_event *right = &script_event(s, 1)->u.packet;
	const struct packet_event *wrong = &script_event(s, 2)->u.packet;
	const struct packet_event *any = &script_event(s, 3)->u.packet;
	struct conn *c = conn_new(EXEC_HARNESS_PORT);
	/* the kernel's clock wraps between the two: 200 ticks all the same */
	struct tcp_segment seg = ts_segment(TCPF_SYN | TCPF_ACK, 0xffffff9c, 100);
	char *msg = NULL;

	/* nothing to count from yet: not judged */
	ck_assert_int_eq(judge_ts_val(c, right, &seg, 1000, 4000, &msg), 0);
	conn_learn_ts(c, syn, &seg);
	seg = ts_segment(TCPF_FIN | TCPF_ACK, 101, 101);
	ck_assert_int_eq(judge_ts_val(c, right, &seg, 1000, 4000, &msg), 0);	/* 1 tick */
	ck_assert_int_eq(judge_ts_val(c, wrong, &seg, 0, 4000, &msg), 0);	/* tick 0: not judged */
	ck_assert_int_eq(judge_ts_val(c, any, &seg, 1000, 4000, &msg), 0);	/* no TS val written */
	ck_assert_int_eq(judge_ts_val(c, wrong, &seg, 1000, 101000, &msg), 0);	/* within tolerance */
	ck_assert_int_eq(judge_ts_val(c, wrong, &seg, 1000, 4000, &msg), STATUS_ERROR);
	ck_assert_str_eq(msg, "TS val differs (101 ticks of 1000 us, tolerance 0.004000 s): "
			 "expected F. 1:1(0) ack 1 <TS val 5100 ecr 101> vs actual "
			 "F. 1:1(0) ack 1 win 510 <TS val 5201 ecr 101>");
	free(msg);
	msg = NULL;
	seg = ts_segment(TCPF_FIN | TCPF_ACK, 0xffffff9c + 5, 101);	/* 100 ticks early */
	ck_assert_int_eq(judge_ts_val(c, right, &seg, 1000, 4000, &msg), STATUS_ERROR);
	ck_assert_msg(strstr(msg, "(-195 ticks of 1000 us"), "%s", msg);
	free(msg);
	conn_free(c);
	script_free(s);
}
END_TEST

START_TEST(expected_lines_print_the_window_only_when_written)
{
	struct script *s = parse("0 > . 1:1(0) ack 1\n"
				 "0 > . 1:1(0) ack 1 win 0\n"
				 "0 > F. 1:1(0) ack 1 win 257 <nop,nop,TS val 5 ecr 6>\n"
				 "0 > P. 1:11(10) <...>\n"
				 "0 > R 0:0(0) win 0\n"
				 "0 > U. 1:1(0) ack 1 <nop,nop,TS val 5 ecr 6>\n");
	static const char *const want[] = {
		". 1:1(0) ack 1",
		". 1:1(0) ack 1 win 0",
		"F. 1:1(0) ack 1 win 257 <nop,nop,TS val 5 ecr 6>",
		"P. 1:11(10) ack 0 <...>",
		"R 0:0(0) win 0",
		".U 1:1(0) ack 1 urg 0 <nop,nop,TS val 5 ecr 6>",
	};
	char buf[256];

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		judge_format_expected(&script_event(s, i)->u.packet, buf, sizeof(buf));
		ck_assert_str_eq(buf, want[i]);
	}
	script_free(s);
}
END_TEST

/* ---- call results ---- */

START_TEST(call_results_match_or_say_what_came_back)
{
	struct script *s = parse("0 read(4, ..., 10) = 10\n"
				 "0 read(4, ..., 10) = -1 ECONNRESET (Connection reset by peer)\n"
				 "0 accept(3, ..., ...) = 4\n"
				 "0 write(4, ..., 10) = -1\n");
	const struct syscall_event *rd = &script_event(s, 0)->u.syscall;
	const struct syscall_event *rst = &script_event(s, 1)->u.syscall;
	const struct syscall_event *acc = &script_event(s, 2)->u.syscall;
	const struct syscall_event *any = &script_event(s, 3)->u.syscall;
	char *msg = NULL;

	ck_assert_int_eq(judge_result(rd, false, 10, 0, &msg), 0);
	ck_assert_int_eq(judge_result(rd, false, 5, 0, &msg), STATUS_ERROR);
	ck_assert_str_eq(msg, "read() returned: expected 10 vs actual 5");
	free(msg);
	msg = NULL;
	ck_assert_int_eq(judge_result(rd, false, -1, EPIPE, &msg), STATUS_ERROR);
	ck_assert_str_eq(msg, "read() returned: expected 10 vs actual -1 EPIPE (Broken pipe)");
	free(msg);
	msg = NULL;
	ck_assert_int_eq(judge_result(rst, false, -1, ECONNRESET, &msg), 0);
	ck_assert_int_eq(judge_result(rst, false, -1, EPIPE, &msg), STATUS_ERROR);
	ck_assert_str_eq(msg, "read() returned: expected -1 ECONNRESET vs actual "
			 "-1 EPIPE (Broken pipe)");
	free(msg);
	msg = NULL;
	ck_assert_int_eq(judge_result(rst, false, 0, 0, &msg), STATUS_ERROR);
	ck_assert_str_eq(msg, "read() returned: expected -1 ECONNRESET vs actual 0");
	free(msg);
	msg = NULL;
	/* any descriptor will do for a call that makes one */
	ck_assert_int_eq(judge_result(acc, true, 7, 0, &msg), 0);
	ck_assert_int_eq(judge_result(acc, true, -1, EAGAIN, &msg), STATUS_ERROR);
	free(msg);
	msg = NULL;
	/* "-1" without an errno: any error */
	ck_assert_int_eq(judge_result(any, false, -1, EPIPE, &msg), 0);
	ck_assert_ptr_null(msg);
	script_free(s);
}
END_TEST

Suite *judge_suite(void)
{
	Suite *s = suite_create("judge");
	TCase *tc;

	tc = tcase_create("timing");
	tcase_add_test(tc, windows_follow_the_time_spec);
	tcase_add_test(tc, times_are_early_on_time_or_late_by_the_tolerance);
	tcase_add_test(tc, seconds_print_with_microseconds_and_sign);
	tcase_add_test(tc, a_packet_early_or_late_fails_with_both_times);
	tcase_add_test(tc, a_blocking_call_returning_early_or_late_fails);
	tcase_add_test(tc, a_blocking_call_counts_from_its_actual_start);
	tcase_add_test(tc, a_missing_packet_names_line_time_and_tolerance);
	suite_add_tcase(s, tc);

	tc = tcase_create("packets");
	tcase_add_loop_test(tc, synack_lines_match_or_say_what_differs, 0,
			    sizeof(synack_lines) / sizeof(synack_lines[0]));
	tcase_add_loop_test(tc, fin_lines_use_script_sequence_numbers, 0,
			    sizeof(fin_lines) / sizeof(fin_lines[0]));
	tcase_add_test(tc, a_segment_from_another_port_differs);
	tcase_add_test(tc, options_compare_kind_by_kind);
	tcase_add_test(tc, options_without_a_name_compare_as_bytes);
	tcase_add_test(tc, ts_val_progress_is_judged_by_the_tick);
	tcase_add_test(tc, expected_lines_print_the_window_only_when_written);
	suite_add_tcase(s, tc);

	tc = tcase_create("calls");
	tcase_add_test(tc, call_results_match_or_say_what_came_back);
	suite_add_tcase(s, tc);
	return s;
}
