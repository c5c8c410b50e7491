/* check_exchange.c - the steps a run records for its ladder: calls as the script wrote them, the failing step, and the socket state derived from segments and tcp_diag() checks. */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exchange.h"
#include "suites.h"

/* Append a segment step ("in"/"out") and return the state it leaves. */
static const char *seg(struct record *r, enum step_kind kind, const char *text)
{
	struct step s = { .line = (int)r->nsteps + 1, .kind = kind, .text = (char *)text,
			  .at_ms = (double)r->nsteps, .end_ms = NAN, .expect_ms = NAN,
			  .from_ms = NAN, .until_ms = NAN };

	s.state = (char *)exchange_next_state(r, &s);
	ck_assert_ptr_nonnull(record_add_step(r, &s));
	return r->steps[r->nsteps - 1].state;
}

static const char *call(struct record *r, const char *text, const char *result)
{
	struct step s = { .line = (int)r->nsteps + 1, .kind = STEP_CALL, .text = (char *)text,
			  .result = (char *)result, .at_ms = 0, .end_ms = 0, .expect_ms = NAN,
			  .from_ms = NAN, .until_ms = NAN };

	s.state = (char *)exchange_next_state(r, &s);
	ck_assert_ptr_nonnull(record_add_step(r, &s));
	return r->steps[r->nsteps - 1].state;
}

static void handshake(struct record *r)
{
	ck_assert_str_eq(call(r, "listen(3, 1)", "0"), "LISTEN");
	ck_assert_str_eq(seg(r, STEP_IN, "S 0:0(0) win 65535 <mss 1460>"), "SYN-RECEIVED");
	ck_assert_str_eq(seg(r, STEP_OUT, "S. 0:0(0) ack 1 win 64240 <mss 1460>"), "SYN-RECEIVED");
	ck_assert_str_eq(seg(r, STEP_IN, ". 1:1(0) ack 1 win 65535"), "ESTABLISHED");
}

START_TEST(passive_close_goes_through_close_wait_and_last_ack)
{
	struct record r = { 0 };

	handshake(&r);
	ck_assert_str_eq(seg(&r, STEP_IN, "F. 1:1(0) ack 1 win 65535"), "CLOSE-WAIT");
	ck_assert_str_eq(call(&r, "close(4)", "0"), "CLOSE-WAIT");
	ck_assert_str_eq(seg(&r, STEP_OUT, "F. 1:1(0) ack 2 win 64240"), "LAST-ACK");
	ck_assert_str_eq(seg(&r, STEP_IN, ". 2:2(0) ack 1 win 65535"), "LAST-ACK");
	ck_assert_str_eq(seg(&r, STEP_IN, ". 2:2(0) ack 2 win 65535"), "CLOSED");
	ck_assert_str_eq(call(&r, "tcp_diag(..., {})", "-1 ENOENT"), "CLOSED");
	record_clear(&r);
}
END_TEST

START_TEST(active_close_reaches_time_wait_and_simultaneous_close_closing)
{
	struct record r = { 0 };

	handshake(&r);
	ck_assert_str_eq(seg(&r, STEP_OUT, "F. 1:1(0) ack 1 win 64240"), "FIN-WAIT-1");
	ck_assert_str_eq(seg(&r, STEP_IN, ". 1:1(0) ack 2 win 65535"), "FIN-WAIT-2");
	ck_assert_str_eq(seg(&r, STEP_IN, "F. 1:1(0) ack 2 win 65535"), "TIME-WAIT");
	record_clear(&r);

	handshake(&r);
	ck_assert_str_eq(seg(&r, STEP_OUT, "F. 1:1(0) ack 1 win 64240"), "FIN-WAIT-1");
	ck_assert_str_eq(seg(&r, STEP_IN, "F. 1:1(0) ack 1 win 65535"), "CLOSING");
	ck_assert_str_eq(seg(&r, STEP_IN, ". 2:2(0) ack 2 win 65535"), "TIME-WAIT");
	/* tcp_diag() that passed confirms what it names; one that failed says nothing */
	ck_assert_str_eq(call(&r, "tcp_diag(..., {idiag_state=TCP_FIN_WAIT2})", "-1 EPERM"),
			 "TIME-WAIT");
	ck_assert_str_eq(call(&r, "tcp_diag(..., {idiag_state=TCP_CLOSE_WAIT})", "0"), "CLOSE-WAIT");
	ck_assert_str_eq(call(&r, "tcp_diag(..., {idiag_state=TCP_CLOSE})", "0"), "CLOSED");
	ck_assert_str_eq(seg(&r, STEP_IN, "R. 2:2(0) ack 2 win 0"), "CLOSED");
	record_clear(&r);
}
END_TEST

START_TEST(rst_closes_and_a_lost_segment_changes_nothing)
{
	struct record r = { 0 };
	struct step missing = { .kind = STEP_OUT, .text = "F. 1:1(0) ack 1", .at_ms = NAN };

	handshake(&r);
	ck_assert_str_eq(exchange_next_state(&r, &missing), "ESTABLISHED");
	ck_assert_str_eq(seg(&r, STEP_OUT, "R. 1:1(0) ack 1 win 0"), "CLOSED");
	record_clear(&r);
}
END_TEST

/* Calls as the script wrote them, descriptors in its numbers; the failing line marked. */
START_TEST(calls_keep_the_script_s_words_and_the_failing_step_is_marked)
{
	static const char text[] =
		"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
		"+0 setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=0}, 8) = 0\n"
		"+0 write(3, \"0123456789012345678901234567890\", 31) = -1 EPIPE (Broken pipe)\n"
		"+0 setsockopt(3, SOL_TCP, TCP_FASTOPEN_KEY, \"\\xa1\\\"a\\\\\", 4) = 0\n";
	struct script *s = NULL;
	struct record r = { 0 };
	char *error = NULL;

	ck_assert_msg(script_parse("t.pkt", text, strlen(text), &s, &error) == 0, "%s", error);
	exchange_call(&r, script_event(s, 0), 1000, 1500, 7, 0);
	exchange_call(&r, script_event(s, 1), 2000, 2000, 0, 0);
	exchange_call(&r, script_event(s, 2), 3000, 3000, -1, EPIPE);
	ck_assert_uint_eq(r.nsteps, 3);
	ck_assert_str_eq(r.steps[0].text, "socket(..., SOCK_STREAM, IPPROTO_TCP)");
	ck_assert_str_eq(r.steps[0].result, "3");	/* the script's number, not the real 7 */
	ck_assert_double_eq(r.steps[0].at_ms, 1.0);
	ck_assert_double_eq(r.steps[0].end_ms, 1.5);
	ck_assert_str_eq(r.steps[1].text, "setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=0}, 8)");
	ck_assert_str_eq(r.steps[2].text, "write(3, \"012345678901234567890123...\", 31)");
	ck_assert_str_eq(r.steps[2].result, "-1 EPIPE");
	/* bytes a key holds come out escaped: records and ladders are text */
	exchange_call(&r, script_event(s, 3), 4000, 4000, 0, 0);
	ck_assert_str_eq(r.steps[3].text,
			 "setsockopt(3, SOL_TCP, TCP_FASTOPEN_KEY, \"\\xa1\\\"a\\\\\", 4)");
	r.message = strdup("t.pkt:2: setsockopt() returned: expected 0 vs actual -1");
	exchange_finish(&r, "t.pkt");
	ck_assert_int_eq(r.steps[0].failed + r.steps[1].failed * 2 + r.steps[2].failed * 4, 2);
	ck_assert_int_eq(r.have_steps, 1);
	record_clear(&r);

	/* a message about something else marks nothing, and an empty run is still recorded */
	r.message = strdup("test bed: no veth");
	exchange_finish(&r, "t.pkt");
	ck_assert_int_eq(r.have_steps, 1);
	ck_assert_uint_eq(r.nsteps, 0);
	record_clear(&r);
	script_free(s);
}
END_TEST

Suite *exchange_suite(void)
{
	Suite *s = suite_create("exchange");
	TCase *tc = tcase_create("steps");

	tcase_add_test(tc, passive_close_goes_through_close_wait_and_last_ack);
	tcase_add_test(tc, active_close_reaches_time_wait_and_simultaneous_close_closing);
	tcase_add_test(tc, rst_closes_and_a_lost_segment_changes_nothing);
	tcase_add_test(tc, calls_keep_the_script_s_words_and_the_failing_step_is_marked);
	suite_add_tcase(s, tc);
	return s;
}
