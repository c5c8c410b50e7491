/* nft.c - see nft.h. */
#include <errno.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>

#include "error.h"
#include "nft.h"
#include "nl.h"

#define NFT_CHAIN_INGRESS	"ingress"
#define NFT_CHAIN_EGRESS	"egress"

/*
 * Every message of the batch is far below this; building into a scratch
 * buffer of known size lets us refuse a small caller buffer before anything
 * is written to it (libnftnl's payload builders do no bounds checks).
 */
#define NFT_MSG_MAX		512
#define NFT_BATCH_MSGS		16
#define NFT_BATCH_MAX		(NFT_BATCH_MSGS * NFT_MSG_MAX)

/* Replies are read with a deadline so a kernel that never answers cannot hang a test bed. */
#define NFT_RECV_TIMEOUT_MS	2000

/* What each message of a batch was, so an error can name it. */
struct nft_msg_info {
	const char *what;
	bool acked;
	bool egress;		/* belongs to the egress chain */
};

struct nft_batch {
	char *buf;		/* scratch, NFT_BATCH_MAX bytes */
	size_t len;
	uint32_t seq;		/* next sequence number */
	uint32_t first_seq;
	unsigned int nmsgs;	/* messages asking for an ack */
	unsigned int count;	/* messages, begin and end included */
	struct nft_msg_info info[NFT_BATCH_MSGS];
};

static struct nlmsghdr *batch_room(struct nft_batch *b, const char *what,
				   bool acked, bool egress)
{
	if (b->len + NFT_MSG_MAX > NFT_BATCH_MAX ||
	    b->count >= sizeof(b->info) / sizeof(b->info[0]))
		return NULL;
	b->info[b->count].what = what;
	b->info[b->count].acked = acked;
	b->info[b->count].egress = egress;
	b->count++;
	if (acked)
		b->nmsgs++;
	return (struct nlmsghdr *)(b->buf + b->len);
}

static void batch_commit(struct nft_batch *b, struct nlmsghdr *nlh)
{
	b->len += NLMSG_ALIGN(nlh->nlmsg_len);
	b->seq++;
}

/* Room and header for one acked NEW* message; the caller adds the payload and commits. */
static struct nlmsghdr *batch_msg(struct nft_batch *b, const char *what, bool egress,
				  uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = batch_room(b, what, true, egress);

	if (!nlh)
		return NULL;
	return nftnl_nlmsg_build_hdr((char *)nlh, type, NFPROTO_NETDEV,
				     flags | NLM_F_CREATE | NLM_F_ACK, b->seq);
}

static int add_table(struct nft_batch *b)
{
	struct nlmsghdr *nlh;
	struct nftnl_table *t;

	t = nftnl_table_alloc();
	if (!t)
		return -1;
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, NFPROTO_NETDEV);
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, NFT_SILENCE_TABLE);
	nlh = batch_msg(b, "NEWTABLE " NFT_SILENCE_TABLE, false, NFT_MSG_NEWTABLE, 0);
	if (nlh)
		nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	if (!nlh)
		return -1;
	batch_commit(b, nlh);
	return 0;
}

static int add_chain(struct nft_batch *b, const char *name, uint32_t hooknum,
		     const char *ifname, bool egress)
{
	struct nlmsghdr *nlh;
	struct nftnl_chain *c;

	c = nftnl_chain_alloc();
	if (!c)
		return -1;
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, NFT_SILENCE_TABLE);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
	nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, hooknum);
	nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, 0);
	nftnl_chain_set_str(c, NFTNL_CHAIN_DEV, ifname);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	nlh = batch_msg(b, egress ? "NEWCHAIN " NFT_CHAIN_EGRESS
				  : "NEWCHAIN " NFT_CHAIN_INGRESS,
			egress, NFT_MSG_NEWCHAIN, 0);
	if (nlh)
		nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_chain_free(c);
	if (!nlh)
		return -1;
	batch_commit(b, nlh);
	return 0;
}

static int rule_add_verdict(struct nftnl_rule *r, uint32_t verdict)
{
	struct nftnl_expr *e = nftnl_expr_alloc("immediate");

	if (!e)
		return -1;
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, verdict);
	nftnl_rule_add_expr(r, e);
	return 0;
}

static int rule_add_counter(struct nftnl_rule *r)
{
	struct nftnl_expr *e = nftnl_expr_alloc("counter");

	if (!e)
		return -1;
	nftnl_rule_add_expr(r, e);
	return 0;
}

/* meta mark == mark: the mark sits in a register in host byte order. */
static int rule_add_mark_match(struct nftnl_rule *r, uint32_t mark)
{
	struct nftnl_expr *e;

	e = nftnl_expr_alloc("meta");
	if (!e)
		return -1;
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, NFT_META_MARK);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
	nftnl_rule_add_expr(r, e);

	e = nftnl_expr_alloc("cmp");
	if (!e)
		return -1;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, &mark, sizeof(mark));
	nftnl_rule_add_expr(r, e);
	return 0;
}

enum rule_kind { RULE_COUNTER_DROP, RULE_MARK_ACCEPT };

static int add_rule(struct nft_batch *b, const char *chain, enum rule_kind kind,
		    uint32_t mark, bool egress)
{
	struct nlmsghdr *nlh;
	struct nftnl_rule *r;
	int rc;

	r = nftnl_rule_alloc();
	if (!r)
		return -1;
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFPROTO_NETDEV);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, NFT_SILENCE_TABLE);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	if (kind == RULE_MARK_ACCEPT)
		rc = rule_add_mark_match(r, mark) ?: rule_add_verdict(r, NF_ACCEPT);
	else
		rc = rule_add_counter(r) ?: rule_add_verdict(r, NF_DROP);
	nlh = rc ? NULL : batch_msg(b, kind == RULE_MARK_ACCEPT ?
				    "NEWRULE meta mark accept" :
				    "NEWRULE counter drop", egress,
				    NFT_MSG_NEWRULE, NLM_F_APPEND);
	if (nlh)
		nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	if (!nlh)
		return -1;
	batch_commit(b, nlh);
	return 0;
}

static int add_batch_marker(struct nft_batch *b, bool begin)
{
	struct nlmsghdr *nlh;

	nlh = batch_room(b, begin ? "batch begin" : "batch end", false, false);
	if (!nlh)
		return -1;
	nlh = begin ? nftnl_batch_begin((char *)nlh, b->seq)
		    : nftnl_batch_end((char *)nlh, b->seq);
	batch_commit(b, nlh);
	return 0;
}

/* Fill b (scratch already set) with the whole batch; egress=false leaves the egress chain out. */
static int batch_fill(struct nft_batch *b, const char *ifname, uint32_t mark,
		      uint32_t seq, bool egress, char **error)
{
	b->len = 0;
	b->seq = b->first_seq = seq;
	b->nmsgs = b->count = 0;
	if (!ifname || !*ifname || strlen(ifname) >= IFNAMSIZ)
		return error_set(error, "nft: bad interface name '%s'",
				 ifname ? ifname : "(null)");
	memset(b->buf, 0, NFT_BATCH_MAX);
	if (add_batch_marker(b, true) ||
	    add_table(b) ||
	    add_chain(b, NFT_CHAIN_INGRESS, NF_NETDEV_INGRESS, ifname, false) ||
	    add_rule(b, NFT_CHAIN_INGRESS, RULE_COUNTER_DROP, 0, false) ||
	    (egress &&
	     (add_chain(b, NFT_CHAIN_EGRESS, NF_NETDEV_EGRESS, ifname, true) ||
	      add_rule(b, NFT_CHAIN_EGRESS, RULE_MARK_ACCEPT, mark, true) ||
	      add_rule(b, NFT_CHAIN_EGRESS, RULE_COUNTER_DROP, 0, true))) ||
	    add_batch_marker(b, false))
		return error_set(error, "nft: cannot build batch (out of memory)");
	return STATUS_OK;
}

int nft_silence_build(void *buf, size_t size, const char *ifname,
		      uint32_t mark, uint32_t seq, size_t *len,
		      unsigned int *nmsgs, char **error)
{
	struct nft_batch b = { 0 };
	int rc;

	b.buf = malloc(NFT_BATCH_MAX);
	if (!b.buf)
		return error_set(error, "nft: out of memory");
	rc = batch_fill(&b, ifname, mark, seq, true, error);
	if (rc == STATUS_OK && b.len > size)
		rc = error_set(error, "nft: batch needs %zu bytes, buffer has %zu",
			       b.len, size);
	if (rc == STATUS_OK) {
		memcpy(buf, b.buf, b.len);
		*len = b.len;
		*nmsgs = b.nmsgs;
	}
	free(b.buf);
	return rc;
}

static bool is_privilege_error(int err)
{
	return err == EPERM || err == EACCES;
}

/*
 * Turn the kernel's first refusal of a batch (x->error, nonzero) into a
 * status that names the refused message.  *egress_refused is set when
 * everything before the egress chain went through and the kernel refused
 * the egress hook itself.
 */
static int nft_batch_verdict(const struct nft_batch *b,
			     const struct nl_exchange *x, bool *egress_refused,
			     char **error)
{
	uint32_t i = x->error_seq - b->first_seq;
	int err = x->error;
	const char *what;

	/* nl only takes answers numbered inside the batch. */
	if (i >= b->count)
		return error_set(error, "nft: %s", strerror(err));
	what = b->info[i].what;
	if (b->info[i].egress && (err == EOPNOTSUPP || err == ENOENT)) {
		*egress_refused = true;
		return STATUS_ERROR;
	}
	if (is_privilege_error(err))
		return error_skip(error, "nft: %s: %s (no privilege)",
				  what, strerror(err));
	if (i == 0 && (err == EOPNOTSUPP || err == EPROTONOSUPPORT ||
		       err == ENOENT))
		return error_skip(error, "nft: nf_tables not available: %s",
				  strerror(err));
	if (err == EAFNOSUPPORT || err == EPROTONOSUPPORT ||
	    (err == EOPNOTSUPP && strstr(what, "CHAIN")))
		return error_skip(error, "nft: %s: %s (kernel lacks netdev support)",
				  what, strerror(err));
	if (x->text[0])
		return error_set(error, "nft: %s: %s (%s)", what,
				 strerror(err), x->text);
	return error_set(error, "nft: %s: %s", what, strerror(err));
}

/*
 * Send a batch and read its acks.  nfnetlink queues every ack and error of
 * the batch and delivers them together once the batch is done; nl_talk()
 * reads until each acked message got its answer, or, after a refusal,
 * until the socket runs dry.
 */
static int nft_batch_talk(struct nl *nl, const struct nft_batch *b,
			  bool *egress_refused, char **error)
{
	struct nl_exchange x;
	int rc;

	*egress_refused = false;
	rc = nl_talk(nl, b->buf, b->len, NULL, NULL, &x, error);
	if (rc == STATUS_ERROR && x.error)
		return nft_batch_verdict(b, &x, egress_refused, error);
	return rc;
}

int nft_silence_apply(const char *ifname, uint32_t mark, char **error)
{
	struct nft_batch b = { 0 };
	struct nl *nl;
	bool egress_refused = false;
	int rc;

	rc = nl_open(&nl, NETLINK_NETFILTER, "nft", NFT_RECV_TIMEOUT_MS, error);
	if (rc < 0)
		return rc;
	b.buf = malloc(NFT_BATCH_MAX);
	if (!b.buf) {
		nl_close(nl);
		return error_set(error, "nft: out of memory");
	}
	rc = batch_fill(&b, ifname, mark, nl_seq(nl, NFT_BATCH_MSGS), true, error);
	if (rc == STATUS_OK)
		rc = nft_batch_talk(nl, &b, &egress_refused, error);
	/*
	 * Kernels before 5.16 have no netdev egress hook (and later ones may be
	 * built without it).  The batch was aborted as a whole, so nothing of
	 * it exists; install ingress alone.  That still silences the harness
	 * namespace: its stack never sees a frame, so it never has anything to
	 * answer (no RST for the kernel side's segments, no ARP/ND replies).
	 * Only frames the stack originates by itself (DAD, router
	 * solicitations) could leak, and the test bed switches those off.
	 * nft_silence_counters() then reports 0 egress drops.
	 */
	if (rc == STATUS_ERROR && egress_refused) {
		rc = batch_fill(&b, ifname, mark, nl_seq(nl, NFT_BATCH_MSGS), false,
				error);
		if (rc == STATUS_OK)
			rc = nft_batch_talk(nl, &b, &egress_refused, error);
	}
	free(b.buf);
	nl_close(nl);
	return rc;
}

/* Drop counters found in the rule dump. */
struct nft_counters {
	uint64_t ingress, egress;
	bool have_ingress, have_egress;
};

/* A rule that ends in drop and counts: add its packets to its chain's total. */
static int counters_rule_cb(const struct nlmsghdr *nlh, void *data,
			    char **error)
{
	struct nft_counters *cnt = data;
	struct nftnl_expr_iter *it;
	struct nftnl_rule *r;
	struct nftnl_expr *e;
	const char *chain;
	bool drop = false, counted = false;
	uint64_t packets = 0;

	r = nftnl_rule_alloc();
	if (!r)
		return error_set(error, "out of memory");
	/* nl checked the message's length; libnftnl (libmnl) each attribute's. */
	if (nftnl_rule_nlmsg_parse(nlh, r) < 0) {
		nftnl_rule_free(r);
		return error_set(error, "malformed rule in the dump");
	}
	chain = nftnl_rule_get_str(r, NFTNL_RULE_CHAIN);
	it = nftnl_expr_iter_create(r);
	if (!it) {
		nftnl_rule_free(r);
		return error_set(error, "out of memory");
	}
	while ((e = nftnl_expr_iter_next(it))) {
		const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);

		if (!name)
			continue;
		if (!strcmp(name, "counter")) {
			packets += nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_PACKETS);
			counted = true;
		} else if (!strcmp(name, "immediate") &&
			   nftnl_expr_is_set(e, NFTNL_EXPR_IMM_VERDICT) &&
			   nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_VERDICT) == NF_DROP) {
			drop = true;
		}
	}
	nftnl_expr_iter_destroy(it);
	if (drop && counted && chain) {
		if (!strcmp(chain, NFT_CHAIN_INGRESS)) {
			cnt->ingress += packets;
			cnt->have_ingress = true;
		} else if (!strcmp(chain, NFT_CHAIN_EGRESS)) {
			cnt->egress += packets;
			cnt->have_egress = true;
		}
	}
	nftnl_rule_free(r);
	return STATUS_OK;
}

int nft_silence_counters(uint64_t *ingress_dropped, uint64_t *egress_dropped,
			 char **error)
{
	char buf[NFT_MSG_MAX];
	struct nft_counters cnt = { 0 };
	struct nl_exchange x;
	struct nlmsghdr *nlh;
	struct nftnl_rule *r;
	struct nl *nl;
	int rc;

	rc = nl_open(&nl, NETLINK_NETFILTER, "nft", NFT_RECV_TIMEOUT_MS, error);
	if (rc < 0)
		return rc;
	r = nftnl_rule_alloc();
	if (!r) {
		nl_close(nl);
		return error_set(error, "nft: out of memory");
	}
	/* The table attribute makes the kernel dump only our table's rules. */
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, NFT_SILENCE_TABLE);
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETRULE, NFPROTO_NETDEV,
				    NLM_F_DUMP, nl_seq(nl, 1));
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	rc = nl_talk(nl, nlh, nlh->nlmsg_len, counters_rule_cb, &cnt, &x, error);
	nl_close(nl);
	if (rc == STATUS_ERROR && is_privilege_error(x.error))
		return error_skip(error, "nft: rule dump: %s", strerror(x.error));
	if (rc == STATUS_ERROR && x.error)
		return error_prefix(error, "nft: rule dump of table %s",
				    NFT_SILENCE_TABLE);
	if (rc < 0)
		return rc;
	if (!cnt.have_ingress)
		/* A dump filtered on a missing table is just empty. */
		return error_set(error, "nft: no ingress drop counter in table netdev %s "
				 "(table not installed?)", NFT_SILENCE_TABLE);
	/* No egress counter: the kernel had no egress hook (see nft_silence_apply). */
	*ingress_dropped = cnt.ingress;
	*egress_dropped = cnt.egress;
	return STATUS_OK;
}
