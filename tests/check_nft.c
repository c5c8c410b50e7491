/* check_nft.c - the silencing batch parsed back with libnftnl, and (as root, in a private namespace) applied and counted. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>

#include "error.h"
#include "nft.h"
#include "nlbytes.h"
#include "skip.h"
#include "suites.h"

#define MARK	0x7463
#define IFNAME	"tcph0"
#define SEQ	100

/* The batch opens with nfnetlink's begin marker, addressed to nf_tables. */
static const uint8_t batch_begin_bytes[20] = {
	H32(20),			/* nlmsg_len 20 */
	H16(0x10),			/* nlmsg_type NFNL_MSG_BATCH_BEGIN */
	H16(0x0001),			/* nlmsg_flags NLM_F_REQUEST (no ack) */
	H32(SEQ),			/* nlmsg_seq 100 */
	H32(0),				/* nlmsg_pid 0 (the kernel) */
	0x00,				/* nfgen_family AF_UNSPEC */
	0x00,				/* version NFNETLINK_V0 */
	0x00, 0x0a,			/* res_id NFNL_SUBSYS_NFTABLES (big-endian) */
};

static uint8_t batch[8192] __attribute__((aligned(4)));
static size_t batch_len;

static void build(void)
{
	unsigned int nmsgs = 0;
	char *err = NULL;

	memset(batch, 0, sizeof(batch));
	ck_assert_int_eq(nft_silence_build(batch, sizeof(batch), IFNAME, MARK,
					   SEQ, &batch_len, &nmsgs, &err),
			 STATUS_OK);
	ck_assert_ptr_null(err);
	ck_assert_uint_eq(nmsgs, 6);
	ck_assert_uint_gt(batch_len, 20);
}

/* The i-th netlink message of the batch, or NULL. */
static const struct nlmsghdr *batch_msg(unsigned int i)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)batch;
	int left = (int)batch_len;

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
		if (i-- == 0)
			return nlh;
	return NULL;
}

static uint16_t nft_type(uint16_t msg)
{
	return (NFNL_SUBSYS_NFTABLES << 8) | msg;
}

START_TEST(batch_begins_with_the_nftables_begin_marker)
{
	build();
	ck_assert_mem_eq(batch, batch_begin_bytes, sizeof(batch_begin_bytes));
}
END_TEST

START_TEST(batch_has_eight_messages_seq_upward_covering_len)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)batch;
	static const uint16_t types[8] = {
		NFNL_MSG_BATCH_BEGIN, NFT_MSG_NEWTABLE, NFT_MSG_NEWCHAIN,
		NFT_MSG_NEWRULE, NFT_MSG_NEWCHAIN, NFT_MSG_NEWRULE,
		NFT_MSG_NEWRULE, NFNL_MSG_BATCH_END,
	};
	int left;
	unsigned int n = 0, acks = 0;

	build();
	left = (int)batch_len;
	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left), n++) {
		ck_assert_uint_lt(n, 8);
		ck_assert_uint_eq(nlh->nlmsg_seq, SEQ + n);
		if (n == 0 || n == 7) {
			ck_assert_uint_eq(nlh->nlmsg_type, types[n]);
			ck_assert(!(nlh->nlmsg_flags & NLM_F_ACK));
			continue;
		}
		ck_assert_uint_eq(nlh->nlmsg_type, nft_type(types[n]));
		ck_assert(nlh->nlmsg_flags & NLM_F_REQUEST);
		ck_assert(nlh->nlmsg_flags & NLM_F_CREATE);
		ck_assert(!(nlh->nlmsg_flags & NLM_F_EXCL));
		if (nlh->nlmsg_flags & NLM_F_ACK)
			acks++;
		if (types[n] == NFT_MSG_NEWRULE)
			ck_assert(nlh->nlmsg_flags & NLM_F_APPEND);
		/* every nf_tables message names its family in the nfgenmsg */
		ck_assert_uint_eq(((const struct nfgenmsg *)mnl_nlmsg_get_payload(nlh))->nfgen_family,
				  NFPROTO_NETDEV);
	}
	ck_assert_uint_eq(n, 8);
	ck_assert_int_eq(left, 0);	/* the messages fill *len exactly */
	ck_assert_uint_eq(acks, 6);
}
END_TEST

START_TEST(table_is_netdev_tcpconf)
{
	struct nftnl_table *t = nftnl_table_alloc();

	build();
	ck_assert_int_eq(nftnl_table_nlmsg_parse(batch_msg(1), t), 0);
	ck_assert_str_eq(nftnl_table_get_str(t, NFTNL_TABLE_NAME), "tcpconf");
	ck_assert_uint_eq(nftnl_table_get_u32(t, NFTNL_TABLE_FAMILY), NFPROTO_NETDEV);
	nftnl_table_free(t);
}
END_TEST

static void check_chain(unsigned int i, const char *name, uint32_t hooknum)
{
	struct nftnl_chain *c = nftnl_chain_alloc();

	ck_assert_int_eq(nftnl_chain_nlmsg_parse(batch_msg(i), c), 0);
	ck_assert_uint_eq(nftnl_chain_get_u32(c, NFTNL_CHAIN_FAMILY), NFPROTO_NETDEV);
	ck_assert_str_eq(nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE), "tcpconf");
	ck_assert_str_eq(nftnl_chain_get_str(c, NFTNL_CHAIN_NAME), name);
	ck_assert_str_eq(nftnl_chain_get_str(c, NFTNL_CHAIN_TYPE), "filter");
	ck_assert(nftnl_chain_is_set(c, NFTNL_CHAIN_HOOKNUM));
	ck_assert_uint_eq(nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM), hooknum);
	ck_assert_int_eq(nftnl_chain_get_s32(c, NFTNL_CHAIN_PRIO), 0);
	ck_assert_str_eq(nftnl_chain_get_str(c, NFTNL_CHAIN_DEV), IFNAME);
	ck_assert_uint_eq(nftnl_chain_get_u32(c, NFTNL_CHAIN_POLICY), NF_ACCEPT);
	nftnl_chain_free(c);
}

START_TEST(ingress_chain_hooks_ingress_of_the_device)
{
	build();
	check_chain(2, "ingress", NF_NETDEV_INGRESS);
}
END_TEST

START_TEST(egress_chain_hooks_egress_of_the_device)
{
	build();
	check_chain(4, "egress", NF_NETDEV_EGRESS);
}
END_TEST

/* Expressions of rule message i, names and all, for the checks below. */
struct parsed_rule {
	struct nftnl_rule *r;
	struct nftnl_expr *e[8];
	const char *name[8];
	unsigned int n;
	struct nftnl_expr_iter *it;
};

static void parse_rule(unsigned int i, struct parsed_rule *p, const char *chain)
{
	struct nftnl_expr *e;

	memset(p, 0, sizeof(*p));
	p->r = nftnl_rule_alloc();
	ck_assert_int_eq(nftnl_rule_nlmsg_parse(batch_msg(i), p->r), 0);
	ck_assert_uint_eq(nftnl_rule_get_u32(p->r, NFTNL_RULE_FAMILY), NFPROTO_NETDEV);
	ck_assert_str_eq(nftnl_rule_get_str(p->r, NFTNL_RULE_TABLE), "tcpconf");
	ck_assert_str_eq(nftnl_rule_get_str(p->r, NFTNL_RULE_CHAIN), chain);
	p->it = nftnl_expr_iter_create(p->r);
	while ((e = nftnl_expr_iter_next(p->it))) {
		ck_assert_uint_lt(p->n, 8);
		p->e[p->n] = e;
		p->name[p->n++] = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);
	}
}

static void free_rule(struct parsed_rule *p)
{
	nftnl_expr_iter_destroy(p->it);
	nftnl_rule_free(p->r);
}

static void check_verdict(const struct nftnl_expr *e, uint32_t verdict)
{
	ck_assert_uint_eq(nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_DREG), NFT_REG_VERDICT);
	ck_assert_uint_eq(nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_VERDICT), verdict);
}

static void check_counter_drop(unsigned int i, const char *chain)
{
	struct parsed_rule p;

	parse_rule(i, &p, chain);
	ck_assert_uint_eq(p.n, 2);
	ck_assert_str_eq(p.name[0], "counter");
	ck_assert_uint_eq(nftnl_expr_get_u64(p.e[0], NFTNL_EXPR_CTR_PACKETS), 0);
	ck_assert_str_eq(p.name[1], "immediate");
	check_verdict(p.e[1], NF_DROP);
	free_rule(&p);
}

START_TEST(ingress_rule_is_counter_drop)
{
	build();
	check_counter_drop(3, "ingress");
}
END_TEST

START_TEST(egress_accepts_the_mark_then_counts_and_drops)
{
	struct parsed_rule p;
	uint32_t dlen = 0;
	const void *data;
	uint32_t mark;

	build();
	parse_rule(5, &p, "egress");
	ck_assert_uint_eq(p.n, 3);
	ck_assert_str_eq(p.name[0], "meta");
	ck_assert_uint_eq(nftnl_expr_get_u32(p.e[0], NFTNL_EXPR_META_KEY), NFT_META_MARK);
	ck_assert_uint_eq(nftnl_expr_get_u32(p.e[0], NFTNL_EXPR_META_DREG), NFT_REG_1);
	ck_assert_str_eq(p.name[1], "cmp");
	ck_assert_uint_eq(nftnl_expr_get_u32(p.e[1], NFTNL_EXPR_CMP_SREG), NFT_REG_1);
	ck_assert_uint_eq(nftnl_expr_get_u32(p.e[1], NFTNL_EXPR_CMP_OP), NFT_CMP_EQ);
	data = nftnl_expr_get(p.e[1], NFTNL_EXPR_CMP_DATA, &dlen);
	ck_assert_uint_eq(dlen, 4);
	memcpy(&mark, data, 4);		/* skb->mark: host byte order */
	ck_assert_uint_eq(mark, MARK);
	ck_assert_str_eq(p.name[2], "immediate");
	check_verdict(p.e[2], NF_ACCEPT);
	free_rule(&p);

	check_counter_drop(6, "egress");
}
END_TEST

START_TEST(batch_ends_with_the_end_marker)
{
	const struct nlmsghdr *nlh;

	build();
	nlh = batch_msg(7);
	ck_assert_ptr_nonnull(nlh);
	ck_assert_uint_eq(nlh->nlmsg_type, NFNL_MSG_BATCH_END);
	ck_assert_uint_eq(ntohs(((const struct nfgenmsg *)mnl_nlmsg_get_payload(nlh))->res_id),
			  NFNL_SUBSYS_NFTABLES);
	ck_assert_ptr_null(batch_msg(8));
}
END_TEST

START_TEST(other_mark_and_seq_land_in_the_batch)
{
	unsigned int nmsgs;
	struct parsed_rule p;
	uint32_t dlen, mark;
	char *err = NULL;

	ck_assert_int_eq(nft_silence_build(batch, sizeof(batch), "lo",
					   0xdeadbeef, 0xfffffffe, &batch_len,
					   &nmsgs, &err), STATUS_OK);
	/* seq wraps like any u32 */
	ck_assert_uint_eq(batch_msg(0)->nlmsg_seq, 0xfffffffe);
	ck_assert_uint_eq(batch_msg(7)->nlmsg_seq, 5);
	parse_rule(5, &p, "egress");
	memcpy(&mark, nftnl_expr_get(p.e[1], NFTNL_EXPR_CMP_DATA, &dlen), 4);
	ck_assert_uint_eq(mark, 0xdeadbeef);
	free_rule(&p);
}
END_TEST

START_TEST(too_small_buffer_is_an_error_and_stays_untouched)
{
	static uint8_t small[8192];
	const size_t sizes[] = { 0, 1, 19, 20, 200, 0 /* len-1 */ };
	unsigned int nmsgs = 99;
	size_t len = 12345;

	build();
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t size = i == 5 ? batch_len - 1 : sizes[i];
		char *err = NULL;

		memset(small, 0xa5, sizeof(small));
		ck_assert_int_eq(nft_silence_build(small, size, IFNAME, MARK,
						   SEQ, &len, &nmsgs, &err),
				 STATUS_ERROR);
		ck_assert_ptr_nonnull(err);
		ck_assert_ptr_nonnull(strstr(err, "buffer"));
		free(err);
		for (size_t j = 0; j < sizeof(small); j++)
			ck_assert_uint_eq(small[j], 0xa5);
	}
	ck_assert_uint_eq(len, 12345);
	ck_assert_uint_eq(nmsgs, 99);
}
END_TEST

START_TEST(exact_size_buffer_is_enough)
{
	static uint8_t exact[8192];
	unsigned int nmsgs;
	size_t len;
	char *err = NULL;

	build();
	ck_assert_int_eq(nft_silence_build(exact, batch_len, IFNAME, MARK, SEQ,
					   &len, &nmsgs, &err), STATUS_OK);
	ck_assert_uint_eq(len, batch_len);
	ck_assert_mem_eq(exact, batch, len);
}
END_TEST

START_TEST(bad_interface_names_are_refused)
{
	const char *names[] = { NULL, "", "sixteen-chars-xx" };
	unsigned int nmsgs;
	size_t len;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *err = NULL;

		ck_assert_int_eq(nft_silence_build(batch, sizeof(batch), names[i],
						   MARK, SEQ, &len, &nmsgs, &err),
				 STATUS_ERROR);
		ck_assert_ptr_nonnull(err);
		free(err);
	}
	/* fifteen characters is the longest name a device can have */
	ck_assert_int_eq(nft_silence_build(batch, sizeof(batch), "fifteen-chars-x",
					   MARK, SEQ, &len, &nmsgs, NULL),
			 STATUS_OK);
}
END_TEST

/* Apply on lo; false (the test is skipped) when this host cannot. */
static bool apply_on_lo(void)
{
	char *err = NULL;
	int rc;

	if (SKIP_IF(test_enter_netns()))
		return false;
	rc = nft_silence_apply("lo", MARK, &err);
	if (rc == STATUS_SKIP) {
		SKIPPED(err);
		free(err);
		return false;
	}
	ck_assert_msg(rc == STATUS_OK, "nft_silence_apply: %s", err);
	return true;
}

START_TEST(apply_on_lo_then_counters_read_zero)
{
	uint64_t in = 99, out = 99;
	char *err = NULL;

	if (SKIP_WITHOUT_ROOT() || !apply_on_lo())
		return;
	ck_assert_msg(nft_silence_counters(&in, &out, &err) == STATUS_OK,
		      "nft_silence_counters: %s", err);
	ck_assert_uint_eq(in, 0);
	ck_assert_uint_eq(out, 0);
}
END_TEST

static void send_udp(uint32_t mark)
{
	struct sockaddr_in to = {
		.sin_family = AF_INET,
		.sin_port = htons(9),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	if (mark)
		ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_MARK, &mark,
					    sizeof(mark)), 0);
	/* EPERM is what a dropped frame looks like to the sender */
	(void)sendto(fd, "x", 1, 0, (struct sockaddr *)&to, sizeof(to));
	close(fd);
}

/* On lo one datagram crosses egress then ingress: the chains can be watched acting. */
START_TEST(unmarked_dropped_at_egress_marked_reaches_ingress)
{
	uint64_t in, out;
	char *err = NULL;

	if (SKIP_WITHOUT_ROOT() || !apply_on_lo())
		return;
	ck_assert_ptr_eq(test_lo_up(), NULL);
	send_udp(0);
	ck_assert_msg(nft_silence_counters(&in, &out, &err) == STATUS_OK,
		      "nft_silence_counters: %s", err);
	ck_assert_uint_eq(in, 0);
	ck_assert_uint_eq(out, 1);
	send_udp(MARK);
	ck_assert_msg(nft_silence_counters(&in, &out, &err) == STATUS_OK,
		      "nft_silence_counters: %s", err);
	ck_assert_uint_eq(in, 1);
	ck_assert_uint_eq(out, 1);
}
END_TEST

START_TEST(counters_without_the_table_is_an_error)
{
	uint64_t in, out;
	char *err = NULL;
	int rc;

	if (SKIP_WITHOUT_NETNS())
		return;
	rc = nft_silence_counters(&in, &out, &err);
	if (rc == STATUS_SKIP) {
		SKIPPED(err);
		free(err);
		return;
	}
	ck_assert_int_eq(rc, STATUS_ERROR);
	ck_assert_ptr_nonnull(err);
	free(err);
}
END_TEST

Suite *nft_suite(void)
{
	Suite *s = suite_create("nft");
	TCase *tc = tcase_create("build");
	TCase *root = tcase_create("apply");

	tcase_add_test(tc, batch_begins_with_the_nftables_begin_marker);
	tcase_add_test(tc, batch_has_eight_messages_seq_upward_covering_len);
	tcase_add_test(tc, table_is_netdev_tcpconf);
	tcase_add_test(tc, ingress_chain_hooks_ingress_of_the_device);
	tcase_add_test(tc, egress_chain_hooks_egress_of_the_device);
	tcase_add_test(tc, ingress_rule_is_counter_drop);
	tcase_add_test(tc, egress_accepts_the_mark_then_counts_and_drops);
	tcase_add_test(tc, batch_ends_with_the_end_marker);
	tcase_add_test(tc, other_mark_and_seq_land_in_the_batch);
	tcase_add_test(tc, too_small_buffer_is_an_error_and_stays_untouched);
	tcase_add_test(tc, exact_size_buffer_is_enough);
	tcase_add_test(tc, bad_interface_names_are_refused);
	suite_add_tcase(s, tc);

	tcase_add_test(root, apply_on_lo_then_counters_read_zero);
	tcase_add_test(root, unmarked_dropped_at_egress_marked_reaches_ingress);
	tcase_add_test(root, counters_without_the_table_is_an_error);
	suite_add_tcase(s, root);
	return s;
}
