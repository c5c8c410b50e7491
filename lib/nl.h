/* nl.h - one netlink socket and the request/answer discipline that rtnl, nft and diag share: extended acks, a receive deadline, sequence checks, and replies length-checked before libmnl walks them. */
#ifndef TCPCONF_NL_H
#define TCPCONF_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

struct nl;

/*
 * Open a netlink socket of family bus (NETLINK_ROUTE, ...) in the calling
 * thread's current namespace, bound to a port the kernel picks, with
 * NETLINK_EXT_ACK and NETLINK_CAP_ACK set where the kernel has them.  A
 * read that waits longer than timeout_ms fails.  name ("rtnetlink") starts
 * the socket's own error messages.  STATUS_SKIP when the kernel lacks the
 * family or privileges are missing.  The caller owns *np (nl_close()); name
 * must outlive it.
 */
int nl_open(struct nl **np, int bus, const char *name, unsigned int timeout_ms,
	    char **error);
void nl_close(struct nl *n);

/* The socket's descriptor and port (owned by n). */
int nl_fd(const struct nl *n);
uint32_t nl_portid(const struct nl *n);

/* Reserve count consecutive sequence numbers on n; returns the first. */
uint32_t nl_seq(struct nl *n, unsigned int count);

/*
 * Where one exchange stands: which answers are ours and which are still
 * due, and the first refusal.  nl_talk() keeps one; tests and fuzzers may
 * fill one themselves and drive nl_exchange_parse() with it.
 */
struct nl_exchange {
	uint32_t portid;		/* ours; 0 takes any port */
	uint32_t seq_first, seq_last;	/* our requests' numbers; others are stale */
	unsigned int acks_wanted;	/* requests that asked for an ack */
	unsigned int dumps_wanted;	/* dump requests, each ends with NLMSG_DONE */
	unsigned int acks, dumps_done;	/* seen so far */
	int error;			/* first refusal: positive errno, 0 none */
	uint32_t error_seq;		/* the refused request's number */
	char text[256];			/* its extended-ack message, "" when none */
};

/*
 * Start x for the request(s) in req (len bytes, one message or a batch
 * numbered upward; answers numbered first..last are ours) as sent from
 * portid: a message with NLM_F_ACK waits for its ack, one without
 * it but with NLM_F_DUMP for its NLMSG_DONE, others (batch markers) for
 * nothing.
 */
int nl_exchange_init(struct nl_exchange *x, const void *req, size_t len,
		     uint32_t portid, char **error);

/* All answers due have come back. */
bool nl_exchange_over(const struct nl_exchange *x);

/*
 * Called for each data message of ours (type >= NLMSG_MIN_TYPE), its length
 * already checked.  Returns STATUS_OK to go on, STATUS_ERROR (and *error
 * set) to stop the exchange.
 */
typedef int (*nl_msg_cb)(const struct nlmsghdr *nlh, void *data,
			 char **error);

/*
 * Take in one read of len bytes: the lengths are checked first
 * (nl_check()), then libmnl walks the messages.  Messages for another port
 * or sequence number are skipped; acks, refusals and NLMSG_DONE update x;
 * data messages go to cb (may be NULL).  Stops early once the exchange is
 * over.  STATUS_ERROR on a malformed read or when cb fails; a refusal is
 * no error here, it is recorded in x.
 */
int nl_exchange_parse(struct nl_exchange *x, const void *buf, size_t len,
		      nl_msg_cb cb, void *data, char **error);

/*
 * Check that buf (len bytes, as one read returned them) is a whole number
 * of netlink messages: each header fits, each length covers at least its
 * header and ends inside the read.  libmnl 1.0.4's mnl_nlmsg_ok() takes a
 * length of 2^31 or more for a negative int, so its walkers are only safe
 * on a buffer that passed this.
 */
int nl_check(const void *buf, size_t len, char **error);

/*
 * The kernel's extended-ack message in an NLMSG_ERROR or NLMSG_DONE whose
 * length was checked, or NULL.  Points into nlh.
 */
const char *nl_ack_text(const struct nlmsghdr *nlh);

/*
 * Send req (len bytes, sequence numbers already set, e.g. from nl_seq())
 * and read until every answer it asks for came back, passing data messages
 * to cb.  After a refusal, what the kernel already queued is read without
 * waiting for more.  x (the caller's) tells what happened.  On a refusal
 * returns STATUS_ERROR with "strerror[: extended-ack text]" in *error and
 * x->error set; on other trouble x->error stays 0.  A send refused for
 * privilege is STATUS_SKIP.
 */
int nl_talk(struct nl *n, const void *req, size_t len, nl_msg_cb cb,
	    void *data, struct nl_exchange *x, char **error);

#endif
