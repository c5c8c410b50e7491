/* diag.c - see diag.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>

#include "diag.h"
#include "error.h"

/* A dump that stops answering must not hang a test: every recv has a deadline. */
#define DIAG_RECV_TIMEOUT_MS	2000

/* Dumps fill up to 32 KiB per read (the kernel sizes dump skbs to the reader's buffer). */
#define DIAG_BUF_SIZE		32768

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

/*
 * The work of diag_reply_find(); *kernel_err gets the positive errno of an
 * NLMSG_ERROR so diag_lookup() can tell a missing module from other trouble.
 */
static int reply_find(const void *buf, size_t len,
		      const struct ip_address *local, uint16_t lport,
		      const struct ip_address *remote, uint16_t rport,
		      struct diag_sock *out, int *done, int *kernel_err,
		      char **error)
{
	const struct nlmsghdr *nlh = buf;
	int left, found = 0;
	size_t off = 0;

	*done = 0;
	*kernel_err = 0;
	if (len > (size_t)(1 << 30))
		return error_set(error, "diag: reply of %zu bytes is too large", len);
	left = (int)len;
	while (left > 0) {
		if (!mnl_nlmsg_ok(nlh, left))
			return error_set(error, "diag: malformed reply: message at offset %zu: "
					 "%d bytes left, length field %u",
					 off, left,
					 left >= (int)sizeof(nlh->nlmsg_len) ?
					 nlh->nlmsg_len : 0);
		size_t plen = mnl_nlmsg_get_payload_len(nlh);

		if (nlh->nlmsg_type == NLMSG_DONE) {
			const int *derr = mnl_nlmsg_get_payload(nlh);

			/* DONE carries the dump's final status as an int. */
			if (plen >= sizeof(int) && *derr < 0) {
				*kernel_err = -*derr;
				return error_set(error, "diag: dump failed: %s",
						 strerror(-*derr));
			}
			*done = 1;
			break;
		}
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

			if (plen < sizeof(int))
				return error_set(error, "diag: truncated error message at offset %zu",
						 off);
			if (e->error) {
				*kernel_err = -e->error;
				return error_set(error, "diag: kernel: %s",
						 strerror(-e->error));
			}
			/* error 0 is an ack: nothing to report */
		} else if (nlh->nlmsg_type == SOCK_DIAG_BY_FAMILY) {
			const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);

			if (plen < sizeof(*m))
				return error_set(error, "diag: truncated socket message at offset %zu: "
						 "%zu bytes, need %zu",
						 off, plen, sizeof(*m));
			if (!found &&
			    ntohs(m->id.idiag_sport) == lport &&
			    ntohs(m->id.idiag_dport) == rport &&
			    addr_match(local, m->idiag_family, m->id.idiag_src) &&
			    addr_match(remote, m->idiag_family, m->id.idiag_dst)) {
				memset(out, 0, sizeof(*out));
				out->state = m->idiag_state;
				out->timer = m->idiag_timer;
				out->retrans = m->idiag_retrans;
				out->expires_ms = m->idiag_expires;
				out->rqueue = m->idiag_rqueue;
				out->wqueue = m->idiag_wqueue;
				out->inode = m->idiag_inode;
				found = 1;
			}
		} else if (nlh->nlmsg_type >= NLMSG_MIN_TYPE) {
			return error_set(error, "diag: unexpected message type %u at offset %zu",
					 nlh->nlmsg_type, off);
		}
		/* NLMSG_NOOP and NLMSG_OVERRUN carry nothing we use */
		off += NLMSG_ALIGN(nlh->nlmsg_len);
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	return found;
}

int diag_reply_find(const void *buf, size_t len, const struct ip_address *local,
		    uint16_t lport, const struct ip_address *remote,
		    uint16_t rport, struct diag_sock *out, int *done,
		    char **error)
{
	int kernel_err;

	return reply_find(buf, len, local, lport, remote, rport, out, done,
			  &kernel_err, error);
}

static bool is_missing_support(int err)
{
	return err == EPROTONOSUPPORT || err == ENOENT || err == EAFNOSUPPORT ||
	       err == EOPNOTSUPP;
}

/* One dump of family into buf (DIAG_BUF_SIZE bytes); same returns as diag_lookup(). */
static int lookup_dump(struct mnl_socket *nl, int family, char *buf,
		       const struct ip_address *local, uint16_t lport,
		       const struct ip_address *remote, uint16_t rport,
		       struct diag_sock *out, char **error)
{
	uint32_t seq = (uint32_t)time(NULL) ^ (uint32_t)family;
	uint32_t portid = mnl_socket_get_portid(nl);
	int found = 0, done = 0;
	size_t len;

	if (diag_request_build(buf, DIAG_BUF_SIZE, family, seq, &len,
			       error) < 0)
		return STATUS_ERROR;
	if (mnl_socket_sendto(nl, buf, len) < 0) {
		if (errno == EPERM || errno == EACCES)
			return error_skip(error, "diag: send: %s", strerror(errno));
		return error_set(error, "diag: send: %s", strerror(errno));
	}
	while (!done) {
		struct diag_sock one;
		int kernel_err, rc;
		ssize_t n;

		n = mnl_socket_recvfrom(nl, buf, DIAG_BUF_SIZE);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return error_set(error, "diag: receive: %s",
					 errno == EAGAIN ? "no answer from the kernel"
							 : strerror(errno));
		}
		if (n == 0)
			return error_set(error, "diag: empty reply");
		/* Stale replies of an earlier dump on this socket are not ours. */
		if ((size_t)n >= sizeof(struct nlmsghdr)) {
			const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;

			if (nlh->nlmsg_seq != seq ||
			    (nlh->nlmsg_pid && nlh->nlmsg_pid != portid))
				continue;
		}
		rc = reply_find(buf, (size_t)n, local, lport, remote, rport,
				&one, &done, &kernel_err, error);
		if (rc < 0) {
			if (kernel_err == EPERM || kernel_err == EACCES ||
			    is_missing_support(kernel_err))
				return error_skip(error, "diag: TCP sock_diag not available: %s",
						  strerror(kernel_err));
			return STATUS_ERROR;
		}
		/* Read on to DONE so the socket is clean for the next dump. */
		if (rc == 1 && !found) {
			*out = one;
			found = 1;
		}
	}
	return found;
}

static int lookup_family(struct mnl_socket *nl, int family,
			 const struct ip_address *local, uint16_t lport,
			 const struct ip_address *remote, uint16_t rport,
			 struct diag_sock *out, char **error)
{
	char *buf;
	int rc;

	/* Heap, not stack: callers may run on small thread stacks. */
	buf = malloc(DIAG_BUF_SIZE);
	if (!buf)
		return error_set(error, "diag: out of memory");
	rc = lookup_dump(nl, family, buf, local, lport, remote, rport, out,
			 error);
	free(buf);
	return rc;
}

int diag_lookup(const struct ip_address *local, uint16_t lport,
		const struct ip_address *remote, uint16_t rport,
		struct diag_sock *out, char **error)
{
	struct timeval tv = {
		.tv_sec = DIAG_RECV_TIMEOUT_MS / 1000,
		.tv_usec = (DIAG_RECV_TIMEOUT_MS % 1000) * 1000,
	};
	struct mnl_socket *nl;
	int rc;

	if (!local || !remote || local->family != remote->family ||
	    (local->family != AF_INET && local->family != AF_INET6))
		return error_set(error, "diag: local and remote address families differ or are unknown");
	nl = mnl_socket_open(NETLINK_SOCK_DIAG);
	if (!nl) {
		int err = errno;

		if (is_missing_support(err) || err == EPERM || err == EACCES)
			return error_skip(error, "diag: sock_diag socket: %s",
					  strerror(err));
		return error_set(error, "diag: sock_diag socket: %s", strerror(err));
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		rc = error_set(error, "diag: bind: %s", strerror(errno));
		goto out;
	}
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
		   sizeof(tv));
	rc = lookup_family(nl, local->family, local, lport, remote, rport, out,
			   error);
	/* An IPv4 connection may live on a dual-stack AF_INET6 socket. */
	if (rc == 0 && local->family == AF_INET)
		rc = lookup_family(nl, AF_INET6, local, lport, remote, rport,
				   out, error);
out:
	mnl_socket_close(nl);
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
