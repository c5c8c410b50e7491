/* diag.c - see diag.h. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>

#include "diag.h"
#include "error.h"
#include "nl.h"

/* A dump that stops answering must not hang a test: every recv has a deadline. */
#define DIAG_RECV_TIMEOUT_MS	2000

int diag_request_build(void *buf, size_t size, int family, uint32_t seq,
		       size_t *len, char **error)
{
	struct inet_diag_req_v2 *req;
	struct nlmsghdr *nlh;
	size_t need = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*req));

	if (family != AF_INET && family != AF_INET6)
		return error_set(error, "diag: unsupported address family %d",
				 family);
	if (size < need)
		return error_set(error, "diag: request needs %zu bytes, buffer has %zu",
				 need, size);
	memset(buf, 0, need);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = family;
	req->sdiag_protocol = IPPROTO_TCP;
	/*
	 * Every state, TIME_WAIT and NEW_SYN_RECV included.  A dump ignores
	 * req->id (it only matters to bytecode filters), so the connection is
	 * picked out in user space by diag_reply_find().
	 */
	req->idiag_states = ~0u;
	*len = nlh->nlmsg_len;
	return STATUS_OK;
}

static bool addr_match(const struct ip_address *a, int family,
		       const uint32_t words[4])
{
	static const uint8_t v4mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
	};

	if (a->family == AF_INET && family == AF_INET)
		return memcmp(&a->u.v4, &words[0], 4) == 0;
	if (a->family == AF_INET6 && family == AF_INET6)
		return memcmp(&a->u.v6, words, 16) == 0;
	/* An IPv4 connection on an AF_INET6 socket shows as ::ffff:a.b.c.d. */
	if (a->family == AF_INET && family == AF_INET6)
		return memcmp(words, v4mapped, 12) == 0 &&
		       memcmp(&a->u.v4, &words[3], 4) == 0;
	return false;
}

/* The connection one dump is searched for, and what was found of it. */
struct diag_query {
	const struct ip_address *local, *remote;
	uint16_t lport, rport;
	struct diag_sock *out;
	int found;		/* the first match wins */
};

/* One message of the dump: a socket, or trouble. */
static int diag_msg(const struct nlmsghdr *nlh, void *data, char **error)
{
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	struct diag_query *q = data;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY)
		return error_set(error, "unexpected message type %u",
				 nlh->nlmsg_type);
	if (plen < sizeof(*m))
		return error_set(error, "truncated socket message: %zu bytes, need %zu",
				 plen, sizeof(*m));
	if (q->found ||
	    ntohs(m->id.idiag_sport) != q->lport ||
	    ntohs(m->id.idiag_dport) != q->rport ||
	    !addr_match(q->local, m->idiag_family, m->id.idiag_src) ||
	    !addr_match(q->remote, m->idiag_family, m->id.idiag_dst))
		return STATUS_OK;
	memset(q->out, 0, sizeof(*q->out));
	q->out->state = m->idiag_state;
	q->out->timer = m->idiag_timer;
	q->out->retrans = m->idiag_retrans;
	q->out->expires_ms = m->idiag_expires;
	q->out->rqueue = m->idiag_rqueue;
	q->out->wqueue = m->idiag_wqueue;
	q->out->inode = m->idiag_inode;
	q->found = 1;
	return STATUS_OK;
}

int diag_reply_find(const void *buf, size_t len, const struct ip_address *local,
		    uint16_t lport, const struct ip_address *remote,
		    uint16_t rport, struct diag_sock *out, int *done,
		    char **error)
{
	/* Any port and number: the caller picked this read as ours. */
	struct nl_exchange x = {
		.seq_first = 0, .seq_last = UINT32_MAX, .dumps_wanted = 1,
	};
	struct diag_query q = {
		.local = local, .remote = remote, .lport = lport, .rport = rport,
		.out = out,
	};

	*done = 0;
	if (nl_exchange_parse(&x, buf, len, diag_msg, &q, error) < 0)
		return error_prefix(error, "diag: malformed reply");
	if (x.error)
		return error_set(error, "diag: kernel: %s%s%s", strerror(x.error),
				 x.text[0] ? ": " : "", x.text);
	*done = x.dumps_done > 0;
	return q.found;
}

static bool is_missing_support(int err)
{
	return err == EPROTONOSUPPORT || err == ENOENT || err == EAFNOSUPPORT ||
	       err == EOPNOTSUPP;
}

/* One dump of family, read to its DONE; same returns as diag_lookup(). */
static int lookup_family(struct nl *nl, int family, struct diag_query *q,
			 char **error)
{
	uint8_t req[MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct inet_diag_req_v2))]
		__attribute__((aligned(4)));
	struct nl_exchange x;
	size_t len;
	int rc;

	if (diag_request_build(req, sizeof(req), family, nl_seq(nl, 1), &len,
			       error) < 0)
		return STATUS_ERROR;
	rc = nl_talk(nl, req, len, diag_msg, q, &x, error);
	if (rc == STATUS_ERROR && x.error) {
		if (x.error == EPERM || x.error == EACCES ||
		    is_missing_support(x.error))
			return error_skip(error, "diag: TCP sock_diag not available: %s",
					  strerror(x.error));
		return error_prefix(error, "diag: kernel");
	}
	return rc < 0 ? rc : q->found;
}

int diag_lookup(const struct ip_address *local, uint16_t lport,
		const struct ip_address *remote, uint16_t rport,
		struct diag_sock *out, char **error)
{
	struct diag_query q = {
		.local = local, .remote = remote, .lport = lport, .rport = rport,
		.out = out,
	};
	struct nl *nl;
	int rc;

	if (!local || !remote || local->family != remote->family ||
	    (local->family != AF_INET && local->family != AF_INET6))
		return error_set(error, "diag: local and remote address families differ or are unknown");
	rc = nl_open(&nl, NETLINK_SOCK_DIAG, "diag", DIAG_RECV_TIMEOUT_MS, error);
	if (rc < 0)
		return rc;
	rc = lookup_family(nl, local->family, &q, error);
	/* An IPv4 connection may live on a dual-stack AF_INET6 socket. */
	if (rc == 0 && local->family == AF_INET)
		rc = lookup_family(nl, AF_INET6, &q, error);
	nl_close(nl);
	return rc;
}

const char *diag_state_name(unsigned int state)
{
	/* Linux's numbering (include/net/tcp_states.h), not RFC 9293's order. */
	static const char *const names[] = {
		[1] = "TCP_ESTABLISHED",
		[2] = "TCP_SYN_SENT",
		[3] = "TCP_SYN_RECV",
		[4] = "TCP_FIN_WAIT1",
		[5] = "TCP_FIN_WAIT2",
		[6] = "TCP_TIME_WAIT",
		[7] = "TCP_CLOSE",
		[8] = "TCP_CLOSE_WAIT",
		[9] = "TCP_LAST_ACK",
		[10] = "TCP_LISTEN",
		[11] = "TCP_CLOSING",
		[12] = "TCP_NEW_SYN_RECV",
	};

	if (state >= sizeof(names) / sizeof(names[0]))
		return NULL;
	return names[state];
}
