/* check_gather.c - joining outbound pieces into the segment a line expects: what continues, what does not, and what the joined segment looks like. */
#include <check.h>
#include <string.h>

#include "gather.h"
#include "suites.h"

/* A piece of a burst from the kernel: P. seq:seq+len ack 1 win 1050 <nop,nop,TS>. */
static struct tcp_segment piece(uint32_t seq, size_t len, uint8_t flags)
{
	struct tcp_segment s;

	memset(&s, 0, sizeof(s));
	s.sport = 8080;
	s.dport = 40000;
	s.seq = seq;
	s.ack = 1;
	s.flags = flags;
	s.win = 1050;
	s.noptions = 3;
	s.options[0].kind = TCPOPT_NOP;
	s.options[1].kind = TCPOPT_NOP;
	s.options[2].kind = TCPOPT_TS;
	s.payload_len = len;
	return s;
}

START_TEST(five_pieces_make_the_line_with_first_seq_and_last_flags)
{
	struct tcp_segment sum = piece(1, 2000, TCPF_ACK | TCPF_CWR);
	size_t last = 2000;

	for (uint32_t seq = 2001; seq < 10001; seq += 2000) {
		struct tcp_segment next = piece(seq, 2000, TCPF_ACK | (seq == 8001 ? TCPF_PSH : 0));

		ck_assert_msg(gather_join(&sum, &last, &next, 10000), "seq %u", seq);
	}
	ck_assert_uint_eq(sum.seq, 1);
	ck_assert_uint_eq(sum.payload_len, 10000);
	/* PSH from the last piece, CWR from the first */
	ck_assert_uint_eq(sum.flags, TCPF_ACK | TCPF_PSH | TCPF_CWR);
	ck_assert_ptr_null(sum.payload);
}
END_TEST

START_TEST(last_piece_may_be_shorter)
{
	struct tcp_segment sum = piece(1, 1460, TCPF_ACK), next = piece(1461, 540, TCPF_ACK | TCPF_PSH);
	size_t last = 1460;

	ck_assert(gather_join(&sum, &last, &next, 2000));
	ck_assert_uint_eq(sum.payload_len, 2000);
	ck_assert_uint_eq(last, 540);
}
END_TEST

START_TEST(what_does_not_continue_is_not_joined)
{
	struct tcp_segment base = piece(1, 2000, TCPF_ACK), bad[7];
	size_t n = 0;

	bad[n++] = piece(2002, 2000, TCPF_ACK);			/* a gap */
	bad[n] = piece(2001, 2000, TCPF_ACK);
	bad[n++].ack = 2;					/* another ack */
	bad[n] = piece(2001, 2000, TCPF_ACK);
	bad[n++].win = 1051;					/* another window */
	bad[n++] = piece(2001, 2000, TCPF_ACK | TCPF_RST);	/* RST */
	bad[n] = piece(2001, 2000, TCPF_ACK);
	bad[n++].noptions = 2;					/* other options */
	bad[n++] = piece(2001, 1000, TCPF_ACK);			/* short, not last */
	bad[n] = piece(2001, 2000, TCPF_ACK);
	bad[n++].dport = 40001;					/* another connection */
	for (size_t i = 0; i < n; i++) {
		struct tcp_segment sum = base;
		size_t last = 2000;

		ck_assert_msg(!gather_join(&sum, &last, &bad[i], 10000), "case %zu joined", i);
		ck_assert_msg(!memcmp(&sum, &base, sizeof(sum)), "case %zu changed sum", i);
		ck_assert_uint_eq(last, 2000);
	}
}
END_TEST

Suite *gather_suite(void)
{
	Suite *s = suite_create("gather");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, five_pieces_make_the_line_with_first_seq_and_last_flags);
	tcase_add_test(tc, last_piece_may_be_shorter);
	tcase_add_test(tc, what_does_not_continue_is_not_joined);
	suite_add_tcase(s, tc);
	return s;
}
