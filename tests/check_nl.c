/* check_nl.c - netlink replies byte by byte: length checks, acks with and without the kernel's words, sequence and port filtering; and (as root, in a private namespace) one real refusal. */
#include <check.h>
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/rtnetlink.h>

#include "error.h"
#include "nl.h"
#include "nlbytes.h"
#include "skip.h"
#include "suites.h"

#define PORT	1234
#define SEQ	7

/* RTM_NEWLINK asking for an ack: what the replies below answer. */
static const uint8_t request[32] __attribute__((aligned(4))) = {
	H32(32),			/* nlmsg_len 16 + 16 */
	H16(16),			/* nlmsg_type RTM_NEWLINK */
	H16(0x0605),			/* NLM_F_REQUEST|NLM_F_ACK|NLM_F_EXCL|NLM_F_CREATE */
	H32(SEQ),			/* nlmsg_seq */
	H32(0),				/* nlmsg_pid */
	/* ifinfomsg */
	0x00, 0x00, H16(0),		/* family AF_UNSPEC, pad, type */
	H32(0), H32(0), H32(0),		/* index, flags, change */
};

/* The refusal, capped, with the kernel's explanation (NETLINK_EXT_ACK). */
static const uint8_t ack_refused_capped[60] __attribute__((aligned(4))) = {
	H32(60),			/* nlmsg_len 16 + 20 + 24 */
	H16(2),				/* nlmsg_type NLMSG_ERROR */
	H16(0x0300),			/* NLM_F_CAPPED | NLM_F_ACK_TLVS */
	H32(SEQ),			/* nlmsg_seq */
	H32(PORT),			/* nlmsg_pid: our port */
	/* nlmsgerr */
	H32(0xffffffa1u),		/* error -95 EOPNOTSUPP */
	H32(32), H16(16), H16(0x0605), H32(SEQ), H32(PORT),	/* the request's header */
	/* NLMSGERR_ATTR_MSG */
	H16(24), H16(1),		/* nla_len 4 + 20, nla_type 1 */
	'U', 'n', 'k', 'n', 'o', 'w', 'n', ' ', 'd', 'e', 'v', 'i', 'c', 'e', ' ',
	't', 'y', 'p', 'e', 0,		/* "Unknown device type" */
};

/* The same refusal uncapped: the request's 16-byte payload is echoed before the TLV. */
static const uint8_t ack_refused_uncapped[76] __attribute__((aligned(4))) = {
	H32(76),			/* nlmsg_len 16 + 20 + 16 + 24 */
	H16(2),				/* NLMSG_ERROR */
	H16(0x0200),			/* NLM_F_ACK_TLVS */
	H32(SEQ), H32(PORT),
	H32(0xffffffa1u),		/* error -95 */
	H32(32), H16(16), H16(0x0605), H32(SEQ), H32(PORT),
	0x00, 0x00, H16(0), H32(0), H32(0), H32(0),	/* the echoed ifinfomsg */
	H16(24), H16(1),
	'U', 'n', 'k', 'n', 'o', 'w', 'n', ' ', 'd', 'e', 'v', 'i', 'c', 'e', ' ',
	't', 'y', 'p', 'e', 0,
};

/* A plain ack: error 0, capped. */
static const uint8_t ack_ok[36] __attribute__((aligned(4))) = {
	H32(36), H16(2), H16(0x0100), H32(SEQ), H32(PORT),
	H32(0),				/* error 0: done */
	H32(32), H16(16), H16(0x0605), H32(SEQ), H32(PORT),
};

/* A data message then DONE carrying a failed dump's status and words. */
static const uint8_t dump_failed[68] __attribute__((aligned(4))) = {
	H32(20), H16(20), H16(0x0002), H32(SEQ), H32(PORT),	/* type 20, NLM_F_MULTI */
	H32(0x11223344),		/* 4 bytes of payload */
	H32(48), H16(3), H16(0x0202),	/* NLMSG_DONE, NLM_F_MULTI|NLM_F_ACK_TLVS */
	H32(SEQ), H32(PORT),
	H32(0xfffffff0u),		/* status -16 EBUSY */
	H16(28), H16(1),		/* NLMSGERR_ATTR_MSG */
	'd', 'u', 'm', 'p', ' ', 'i', 'n', 't', 'e', 'r', 'r', 'u', 'p', 't', 'e', 'd',
	' ', 'h', 'e', 'r', 'e', 0, 0, 0,	/* "dump interrupted here", padded */
};

static struct nl_exchange exchange(void)
{
	struct nl_exchange x;
	char *err = NULL;

	ck_assert_int_eq(nl_exchange_init(&x, request, sizeof(request), PORT, &err),
			 STATUS_OK);
	ck_assert_uint_eq(x.acks_wanted, 1);
	ck_assert_uint_eq(x.dumps_wanted, 0);
	ck_assert_uint_eq(x.seq_first, SEQ);
	ck_assert_uint_eq(x.seq_last, SEQ);
	return x;
}

/* Parse a heap copy (so ASan sees any overread); returns nl_exchange_parse()'s status. */
static int parse(struct nl_exchange *x, const uint8_t *bytes, size_t len,
		 char **err)
{
	uint8_t *copy = malloc(len ? len : 1);
	int rc;

	memcpy(copy, bytes, len);
	rc = nl_exchange_parse(x, copy, len, NULL, NULL, err);
	free(copy);
	return rc;
}

START_TEST(refusal_with_capped_ext_ack)
{
	struct nl_exchange x = exchange();

	ck_assert_int_eq(parse(&x, ack_refused_capped, sizeof(ack_refused_capped), NULL),
			 STATUS_OK);
	ck_assert(nl_exchange_over(&x));
	ck_assert_int_eq(x.error, EOPNOTSUPP);
	ck_assert_uint_eq(x.error_seq, SEQ);
	ck_assert_str_eq(x.text, "Unknown device type");
}
END_TEST

START_TEST(refusal_with_uncapped_ext_ack)
{
	struct nl_exchange x = exchange();

	ck_assert_int_eq(parse(&x, ack_refused_uncapped, sizeof(ack_refused_uncapped), NULL),
			 STATUS_OK);
	ck_assert_int_eq(x.error, EOPNOTSUPP);
	ck_assert_str_eq(x.text, "Unknown device type");
}
END_TEST

START_TEST(plain_ack_ends_the_exchange)
{
	struct nl_exchange x = exchange();

	ck_assert(!nl_exchange_over(&x));
	ck_assert_int_eq(parse(&x, ack_ok, sizeof(ack_ok), NULL), STATUS_OK);
	ck_assert(nl_exchange_over(&x));
	ck_assert_int_eq(x.error, 0);
	ck_assert_str_eq(x.text, "");
}
END_TEST

START_TEST(stale_and_foreign_answers_are_skipped)
{
	struct nl_exchange x = exchange();
	uint8_t m[sizeof(ack_refused_capped)];
	uint32_t other;

	memcpy(m, ack_refused_capped, sizeof(m));
	other = SEQ - 1;		/* an earlier request's answer */
	memcpy(m + 8, &other, 4);
	ck_assert_int_eq(parse(&x, m, sizeof(m), NULL), STATUS_OK);
	ck_assert(!nl_exchange_over(&x));
	ck_assert_int_eq(x.error, 0);
	memcpy(m, ack_refused_capped, sizeof(m));
	other = PORT + 1;		/* another socket's */
	memcpy(m + 12, &other, 4);
	ck_assert_int_eq(parse(&x, m, sizeof(m), NULL), STATUS_OK);
	ck_assert(!nl_exchange_over(&x));
	/* port 0 is the kernel speaking to us */
	other = 0;
	memcpy(m + 12, &other, 4);
	ck_assert_int_eq(parse(&x, m, sizeof(m), NULL), STATUS_OK);
	ck_assert_int_eq(x.error, EOPNOTSUPP);
}
END_TEST

static int count_data(const struct nlmsghdr *nlh, void *data, char **error)
{
	(*(int *)data)++;
	return nlh->nlmsg_type == 20 ? STATUS_OK
				     : error_set(error, "type %u", nlh->nlmsg_type);
}

START_TEST(dump_data_then_done_with_status_and_text)
{
	struct nl_exchange x = { .seq_first = SEQ, .seq_last = SEQ,
				 .dumps_wanted = 1 };
	uint8_t m[sizeof(dump_failed)] __attribute__((aligned(4)));
	char *err = NULL;
	uint16_t type;
	int seen = 0;

	ck_assert_int_eq(nl_exchange_parse(&x, dump_failed, sizeof(dump_failed),
					   count_data, &seen, &err), STATUS_OK);
	ck_assert_int_eq(seen, 1);
	ck_assert(nl_exchange_over(&x));
	ck_assert_int_eq(x.error, EBUSY);
	ck_assert_str_eq(x.text, "dump interrupted here");
	/* a callback's refusal stops the walk with its message */
	memcpy(m, dump_failed, sizeof(m));
	type = 21;			/* nlmsg_type: not what count_data takes */
	memcpy(m + 4, &type, 2);
	x.dumps_done = 0;
	x.error = 0;
	ck_assert_int_eq(nl_exchange_parse(&x, m, sizeof(m), count_data, &seen, &err),
			 STATUS_ERROR);
	ck_assert_str_eq(err, "type 21");
	ck_assert_uint_eq(x.dumps_done, 0);
	free(err);
}
END_TEST

START_TEST(ack_text_needs_the_flag_a_nul_and_a_sane_echo)
{
	uint8_t m[sizeof(ack_refused_uncapped)] __attribute__((aligned(4)));
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)m;
	uint16_t u16 = 0;
	uint32_t len;

	memcpy(m, ack_refused_uncapped, sizeof(m));
	ck_assert_str_eq(nl_ack_text(nlh), "Unknown device type");
	memcpy(m + 6, &u16, 2);		/* nlmsg_flags 0: no NLM_F_ACK_TLVS */
	ck_assert_ptr_null(nl_ack_text(nlh));
	memcpy(m, ack_refused_uncapped, sizeof(m));
	m[sizeof(m) - 1] = 'x';		/* no terminating NUL */
	ck_assert_ptr_null(nl_ack_text(nlh));
	memcpy(m, ack_refused_uncapped, sizeof(m));
	len = 0xfffffff0u;		/* an echoed request longer than the ack */
	memcpy(m + 20, &len, 4);
	ck_assert_ptr_null(nl_ack_text(nlh));
	len = 8;			/* shorter than its own header */
	memcpy(m + 20, &len, 4);
	ck_assert_ptr_null(nl_ack_text(nlh));
	memcpy(m, ack_refused_capped, sizeof(ack_refused_capped));
	u16 = 200;			/* nla_len past the message: attribute ignored */
	memcpy(m + 36, &u16, 2);
	ck_assert_ptr_null(nl_ack_text(nlh));
}
END_TEST

/* nl_check() on a heap copy of bytes with the first length field set to len_field. */
static int check_copy(const uint8_t *bytes, size_t len, uint32_t len_field,
		      char **err)
{
	uint8_t *copy = malloc(len ? len : 1);
	int rc;

	memcpy(copy, bytes, len);
	if (len >= 4)
		memcpy(copy, &len_field, 4);
	rc = nl_check(copy, len, err);
	free(copy);
	return rc;
}

START_TEST(lengths_are_checked_against_the_read)
{
	char *err = NULL;

	ck_assert_int_eq(nl_check(ack_ok, sizeof(ack_ok), &err), STATUS_OK);
	ck_assert_int_eq(nl_check(ack_ok, 0, &err), STATUS_OK);
	/* the 16-byte killer: libmnl reads 0x80000000 as a negative int */
	ck_assert_int_eq(check_copy(ack_ok, 16, 0x80000000u, &err), STATUS_ERROR);
	ck_assert_str_eq(err, "malformed netlink message at offset 0: "
			 "length field 2147483648, 16 bytes left");
	ck_assert_int_eq(check_copy(ack_ok, 16, 0xffffffffu, &err), STATUS_ERROR);
	/* longer than the read, shorter than a header */
	ck_assert_int_eq(check_copy(ack_ok, sizeof(ack_ok), 40, &err), STATUS_ERROR);
	ck_assert_int_eq(check_copy(ack_ok, sizeof(ack_ok), 15, &err), STATUS_ERROR);
	/* a read cut inside a header */
	ck_assert_int_eq(nl_check(ack_ok, 10, &err), STATUS_ERROR);
	ck_assert_str_eq(err, "truncated netlink message at offset 0: "
			 "10 bytes left, a header needs 16");
	/* the second message of a dump cut short */
	ck_assert_int_eq(nl_check(dump_failed, 40, &err), STATUS_ERROR);
	ck_assert_str_eq(err, "malformed netlink message at offset 20: "
			 "length field 48, 20 bytes left");
	free(err);
}
END_TEST

START_TEST(malformed_acks_are_errors_not_refusals)
{
	struct nl_exchange x = exchange();
	uint8_t m[sizeof(ack_ok)];
	char *err = NULL;
	uint32_t v;

	/* an ack too short for its status */
	memcpy(m, ack_ok, sizeof(m));
	v = 18;
	memcpy(m, &v, 4);
	ck_assert_int_eq(parse(&x, m, 18, &err), STATUS_ERROR);
	ck_assert_str_eq(err, "truncated netlink ack: 2 bytes, its status needs 4");
	/* a status no kernel sends */
	memcpy(m, ack_ok, sizeof(m));
	v = 0x80000000u;
	memcpy(m + 16, &v, 4);
	ck_assert_int_eq(parse(&x, m, sizeof(m), &err), STATUS_ERROR);
	ck_assert_str_eq(err, "malformed netlink ack: status -2147483648");
	v = 5;
	memcpy(m + 16, &v, 4);
	ck_assert_int_eq(parse(&x, m, sizeof(m), &err), STATUS_ERROR);
	ck_assert_int_eq(x.error, 0);
	/* a huge length reaches no libmnl walker */
	v = 0x80000000u;
	memcpy(m, &v, 4);
	ck_assert_int_eq(parse(&x, m, 16, &err), STATUS_ERROR);
	ck_assert_ptr_nonnull(strstr(err, "length field 2147483648"));
	free(err);
}
END_TEST

START_TEST(batch_waits_for_each_ack)
{
	/* nfnetlink begin marker, two acked messages, end marker, seq 100..103 */
	static const uint8_t batch[64] __attribute__((aligned(4))) = {
		H32(16), H16(0x10), H16(0x0001), H32(100), H32(0),
		H32(16), H16(0x0a00), H16(0x0405), H32(101), H32(0),
		H32(16), H16(0x0a03), H16(0x0405), H32(102), H32(0),
		H32(16), H16(0x11), H16(0x0001), H32(103), H32(0),
	};
	/* the kernel answers with two plain acks */
	static const uint8_t acks[72] __attribute__((aligned(4))) = {
		H32(36), H16(2), H16(0x0100), H32(101), H32(PORT), H32(0),
		H32(16), H16(0x0a00), H16(0x0405), H32(101), H32(PORT),
		H32(36), H16(2), H16(0x0100), H32(102), H32(PORT), H32(0),
		H32(16), H16(0x0a03), H16(0x0405), H32(102), H32(PORT),
	};
	struct nl_exchange x;

	ck_assert_int_eq(nl_exchange_init(&x, batch, sizeof(batch), PORT, NULL),
			 STATUS_OK);
	ck_assert_uint_eq(x.acks_wanted, 2);
	ck_assert_uint_eq(x.seq_first, 100);
	ck_assert_uint_eq(x.seq_last, 103);
	ck_assert_int_eq(parse(&x, acks, 36, NULL), STATUS_OK);
	ck_assert(!nl_exchange_over(&x));
	ck_assert_int_eq(parse(&x, acks + 36, 36, NULL), STATUS_OK);
	ck_assert(nl_exchange_over(&x));
	/* a broken request is refused before it is sent */
	ck_assert_int_eq(nl_exchange_init(&x, batch, 10, PORT, NULL), STATUS_ERROR);
	ck_assert_int_eq(nl_exchange_init(&x, batch, 0, PORT, NULL), STATUS_ERROR);
}
END_TEST

START_TEST(real_refusal_comes_back_with_the_kernels_words)
{
	/* RTM_NEWADDR of 192.0.2.1/33 on lo: no IPv4 prefix is that long */
	uint8_t req[32] __attribute__((aligned(4))) = {
		H32(32), H16(20), H16(0x0605), H32(0), H32(0),
		0x02, 33, 0x00, 0x00, H32(1),	/* ifaddrmsg: AF_INET, /33, lo */
		H16(8), H16(2), 192, 0, 2, 1,	/* IFA_LOCAL 192.0.2.1 */
	};
	struct nl_exchange x;
	struct nl *n;
	char *err = NULL;
	uint32_t seq;

	if (SKIP_WITHOUT_NETNS())
		return;
	ck_assert_int_eq(nl_open(&n, NETLINK_ROUTE, "rtnetlink", 2000, &err), STATUS_OK);
	for (int i = 0; i < 2; i++) {	/* twice: the socket is clean after a refusal */
		seq = nl_seq(n, 1);
		memcpy(req + 8, &seq, 4);
		ck_assert_int_eq(nl_talk(n, req, sizeof(req), NULL, NULL, &x, &err),
				 STATUS_ERROR);
		ck_assert_int_eq(x.error, EINVAL);
		ck_assert_uint_eq(x.error_seq, seq);
		/* "Invalid argument: ipv4: Invalid prefix length" where the kernel explains */
		ck_assert_ptr_nonnull(strstr(err, strerror(EINVAL)));
		if (x.text[0])
			ck_assert_ptr_nonnull(strstr(err, x.text));
	}
	free(err);
	nl_close(n);
}
END_TEST

START_TEST(a_mute_kernel_is_an_error_not_a_hang)
{
	/*
	 * NLMSG_NOOP flagged as a dump and without NLM_F_ACK: the kernel
	 * takes it and answers nothing, while we wait for a DONE.
	 */
	uint8_t req[16] __attribute__((aligned(4))) = {
		H32(16), H16(1), H16(0x0301), H32(0), H32(0),
	};
	struct timespec t0, t1;
	struct nl_exchange x;
	struct nl *n;
	char *err = NULL;
	uint32_t seq;
	long ms;

	if (SKIP_WITHOUT_NETNS())
		return;
	ck_assert_int_eq(nl_open(&n, NETLINK_ROUTE, "rtnetlink", 50, &err), STATUS_OK);
	seq = nl_seq(n, 1);
	memcpy(req + 8, &seq, 4);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(nl_talk(n, req, sizeof(req), NULL, NULL, &x, &err),
			 STATUS_ERROR);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	ck_assert_str_eq(err, "rtnetlink: no answer from the kernel within 50 ms");
	ck_assert_int_eq(x.error, 0);
	ck_assert_int_ge(ms, 40);
	ck_assert_int_lt(ms, 5000);
	free(err);
	nl_close(n);
}
END_TEST

Suite *nl_suite(void)
{
	Suite *s = suite_create("nl");
	TCase *tc = tcase_create("replies");
	TCase *root = tcase_create("kernel");

	tcase_add_test(tc, refusal_with_capped_ext_ack);
	tcase_add_test(tc, refusal_with_uncapped_ext_ack);
	tcase_add_test(tc, plain_ack_ends_the_exchange);
	tcase_add_test(tc, stale_and_foreign_answers_are_skipped);
	tcase_add_test(tc, dump_data_then_done_with_status_and_text);
	tcase_add_test(tc, ack_text_needs_the_flag_a_nul_and_a_sane_echo);
	tcase_add_test(tc, lengths_are_checked_against_the_read);
	tcase_add_test(tc, malformed_acks_are_errors_not_refusals);
	tcase_add_test(tc, batch_waits_for_each_ack);
	suite_add_tcase(s, tc);
	tcase_add_test(root, real_refusal_comes_back_with_the_kernels_words);
	tcase_add_test(root, a_mute_kernel_is_an_error_not_a_hang);
	suite_add_tcase(s, root);
	return s;
}
