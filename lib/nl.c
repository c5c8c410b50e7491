/*
 * nl.c - see nl.h.
 *
 * libmnl does the socket work and walks the replies; what it does not do
 * is distrust a length (mnl_nlmsg_ok() compares the u32 nlmsg_len as an
 * int), so every read passes nl_check() before libmnl's walker sees it.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include <libmnl/libmnl.h>

#include "error.h"
#include "nl.h"

#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK		10
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK		11
#endif
#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED		0x100
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS		0x200
#endif
#ifndef NLMSGERR_ATTR_MSG
#define NLMSGERR_ATTR_MSG	1
#endif

/* Dumps fill up to 32 KiB per read (the kernel sizes dump skbs to the reader's buffer). */
#define NL_BUF_SIZE		32768

/* The kernel's errno values stop at 4095 (MAX_ERRNO); anything else in an ack is garbage. */
#define NL_MAX_ERRNO		4095

struct nl {
	struct mnl_socket *sock;
	const char *name;
	unsigned int timeout_ms;
	uint32_t portid;
	uint32_t seq;
	char *buf;		/* NL_BUF_SIZE bytes, on the heap: callers may run on small thread stacks */
};

void nl_close(struct nl *n)
{
	if (!n)
		return;
	if (n->sock)
		mnl_socket_close(n->sock);
	free(n->buf);
	free(n);
}

static int open_failed(struct nl *n, const char *what, char **error)
{
	int err = errno;
	const char *name = n->name;

	nl_close(n);
	if (err == EPROTONOSUPPORT || err == EAFNOSUPPORT || err == EPERM ||
	    err == EACCES)
		return error_skip(error, "%s: %s: %s", name, what, strerror(err));
	return error_set(error, "%s: %s: %s", name, what, strerror(err));
}

int nl_open(struct nl **np, int bus, const char *name, unsigned int timeout_ms,
	    char **error)
{
	struct timeval tv = {
		.tv_sec = timeout_ms / 1000,
		.tv_usec = (timeout_ms % 1000) * 1000,
	};
	struct nl *n;
	int one = 1;

	*np = NULL;
	n = calloc(1, sizeof(*n));
	if (n)
		n->buf = malloc(NL_BUF_SIZE);
	if (!n || !n->buf) {
		nl_close(n);
		return error_set(error, "%s: out of memory", name);
	}
	n->name = name;
	n->timeout_ms = timeout_ms;
	n->sock = mnl_socket_open2(bus, SOCK_CLOEXEC);
	if (!n->sock)
		return open_failed(n, "socket", error);
	if (mnl_socket_bind(n->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		return open_failed(n, "bind", error);
	/* Both optional: older kernels just give plainer errors. */
	mnl_socket_setsockopt(n->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(n->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (setsockopt(mnl_socket_get_fd(n->sock), SOL_SOCKET, SO_RCVTIMEO,
		       &tv, sizeof(tv)) < 0)
		return open_failed(n, "receive timeout", error);
	n->portid = mnl_socket_get_portid(n->sock);
	n->seq = (uint32_t)time(NULL);
	*np = n;
	return STATUS_OK;
}

int nl_fd(const struct nl *n)
{
	return mnl_socket_get_fd(n->sock);
}

uint32_t nl_portid(const struct nl *n)
{
	return n->portid;
}

uint32_t nl_seq(struct nl *n, unsigned int count)
{
	uint32_t first = n->seq;

	n->seq += count;
	return first;
}

int nl_check(const void *buf, size_t len, char **error)
{
	size_t off = 0;

	/* libmnl walks with an int length. */
	if (len > INT_MAX)
		return error_set(error, "netlink read of %zu bytes is too large", len);
	while (off < len) {
		const struct nlmsghdr *nlh =
			(const struct nlmsghdr *)((const char *)buf + off);
		size_t left = len - off;

		if (left < sizeof(*nlh))
			return error_set(error, "truncated netlink message at offset %zu: "
					 "%zu bytes left, a header needs %zu",
					 off, left, sizeof(*nlh));
		if (nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > left)
			return error_set(error, "malformed netlink message at offset %zu: "
					 "length field %u, %zu bytes left",
					 off, nlh->nlmsg_len, left);
		off += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	return STATUS_OK;
}

static int ack_text_attr(const struct nlattr *attr, void *data)
{
	const char **text = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		*text = mnl_attr_get_str(attr);
	return MNL_CB_OK;
}

const char *nl_ack_text(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t plen = mnl_nlmsg_get_payload_len(nlh), off;
	const char *text = NULL;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (nlh->nlmsg_type == NLMSG_DONE) {
		off = sizeof(int);	/* the dump's status, then the TLVs */
	} else if (nlh->nlmsg_type == NLMSG_ERROR) {
		off = sizeof(*e);
		/* Uncapped, the whole request is echoed before the TLVs. */
		if (plen >= off && !(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (e->msg.nlmsg_len < sizeof(e->msg) ||
			    e->msg.nlmsg_len - sizeof(e->msg) > plen - off)
				return NULL;
			off += MNL_ALIGN(e->msg.nlmsg_len - sizeof(e->msg));
		}
	} else {
		return NULL;
	}
	if (off >= plen)
		return NULL;
	mnl_attr_parse_payload((const char *)e + off, plen - off, ack_text_attr,
			       &text);
	return text;
}

int nl_exchange_init(struct nl_exchange *x, const void *req, size_t len,
		     uint32_t portid, char **error)
{
	const struct nlmsghdr *nlh = req;
	int left;

	memset(x, 0, sizeof(*x));
	x->portid = portid;
	if (len == 0)
		return error_set(error, "empty netlink request");
	if (nl_check(req, len, error) < 0)
		return error_prefix(error, "netlink request");
	x->seq_first = nlh->nlmsg_seq;
	for (left = (int)len; mnl_nlmsg_ok(nlh, left);
	     nlh = mnl_nlmsg_next(nlh, &left)) {
		x->seq_last = nlh->nlmsg_seq;
		if (nlh->nlmsg_flags & NLM_F_ACK)
			x->acks_wanted++;
		else if ((nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP)
			x->dumps_wanted++;
	}
	return STATUS_OK;
}

bool nl_exchange_over(const struct nl_exchange *x)
{
	return x->acks >= x->acks_wanted && x->dumps_done >= x->dumps_wanted;
}

/* What libmnl's callbacks share during one nl_exchange_parse(). */
struct walk {
	struct nl_exchange *x;
	nl_msg_cb cb;
	void *data;
	char **error;
	bool failed;		/* *error says why */
};

/* An answer to one of our requests, from the kernel or for our port. */
static bool ours(const struct nl_exchange *x, const struct nlmsghdr *nlh)
{
	if (x->portid && nlh->nlmsg_pid && nlh->nlmsg_pid != x->portid)
		return false;
	/* Unsigned differences: a range may wrap past 2^32. */
	return nlh->nlmsg_seq - x->seq_first <= x->seq_last - x->seq_first;
}

static int walk_fail(struct walk *w)
{
	w->failed = true;
	return MNL_CB_ERROR;
}

/* An ack's or DONE's status: 0, or a refusal (the first one is kept). */
static int take_status(struct walk *w, const struct nlmsghdr *nlh, int status)
{
	struct nl_exchange *x = w->x;
	const char *text;

	if (status == 0)
		return MNL_CB_OK;
	if (status > 0 || status < -NL_MAX_ERRNO) {
		error_set(w->error, "malformed netlink %s: status %d",
			  nlh->nlmsg_type == NLMSG_DONE ? "DONE" : "ack", status);
		return walk_fail(w);
	}
	if (x->error)
		return MNL_CB_OK;
	x->error = -status;
	x->error_seq = nlh->nlmsg_seq;
	text = nl_ack_text(nlh);
	snprintf(x->text, sizeof(x->text), "%s", text ? text : "");
	return MNL_CB_OK;
}

static int on_error(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct walk *w = data;

	if (!ours(w->x, nlh))
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(e->error)) {
		error_set(w->error, "truncated netlink ack: %zu bytes, its status needs %zu",
			  mnl_nlmsg_get_payload_len(nlh), sizeof(e->error));
		return walk_fail(w);
	}
	if (take_status(w, nlh, e->error) < 0)
		return MNL_CB_ERROR;
	w->x->acks++;
	return nl_exchange_over(w->x) ? MNL_CB_STOP : MNL_CB_OK;
}

static int on_done(const struct nlmsghdr *nlh, void *data)
{
	struct walk *w = data;
	int status;

	if (!ours(w->x, nlh))
		return MNL_CB_OK;
	/* A DONE may carry the dump's final status. */
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(status)) {
		memcpy(&status, mnl_nlmsg_get_payload(nlh), sizeof(status));
		if (take_status(w, nlh, status) < 0)
			return MNL_CB_ERROR;
	}
	w->x->dumps_done++;
	return nl_exchange_over(w->x) ? MNL_CB_STOP : MNL_CB_OK;
}

static int on_data(const struct nlmsghdr *nlh, void *data)
{
	struct walk *w = data;

	if (!ours(w->x, nlh) || !w->cb)
		return MNL_CB_OK;
	if (w->cb(nlh, w->data, w->error) < 0)
		return walk_fail(w);
	return MNL_CB_OK;
}

int nl_exchange_parse(struct nl_exchange *x, const void *buf, size_t len,
		      nl_msg_cb cb, void *data, char **error)
{
	static mnl_cb_t control[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = on_error,
		[NLMSG_DONE] = on_done,
		/* NLMSG_NOOP, NLMSG_OVERRUN: nothing we use */
	};
	struct walk w = { .x = x, .cb = cb, .data = data, .error = error };

	if (nl_check(buf, len, error) < 0)
		return STATUS_ERROR;
	/* Sequence 0 and port 0: ours() does those checks, skipping rather than failing. */
	if (mnl_cb_run2(buf, len, 0, 0, on_data, &w, control, NLMSG_MIN_TYPE) >= 0)
		return STATUS_OK;
	if (w.failed)
		return STATUS_ERROR;
	/* libmnl's own refusal: a dump the kernel flagged NLM_F_DUMP_INTR. */
	return error_set(error, "netlink dump interrupted: %s", strerror(errno));
}

/* Is an answer waiting?  Used once the kernel refused: what it had to say was queued before send returned. */
static bool pending(const struct nl *n)
{
	struct pollfd p = { .fd = nl_fd(n), .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}

static int talk_send(struct nl *n, const void *req, size_t len, char **error)
{
	int err;

	if (mnl_socket_sendto(n->sock, req, len) >= 0)
		return STATUS_OK;
	err = errno;
	if (err == EPERM || err == EACCES)
		return error_skip(error, "%s: send: %s", n->name, strerror(err));
	return error_set(error, "%s: send: %s", n->name, strerror(err));
}

int nl_talk(struct nl *n, const void *req, size_t len, nl_msg_cb cb,
	    void *data, struct nl_exchange *x, char **error)
{
	int rc;

	if (nl_exchange_init(x, req, len, n->portid, error) < 0)
		return error_prefix(error, "%s", n->name);
	if ((rc = talk_send(n, req, len, error)) < 0)
		return rc;
	while (!nl_exchange_over(x)) {
		ssize_t got;

		if (x->error && !pending(n))
			break;
		got = mnl_socket_recvfrom(n->sock, n->buf, NL_BUF_SIZE);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return error_set(error, "%s: no answer from the kernel within %u ms",
					 n->name, n->timeout_ms);
		if (got < 0 && errno == ENOSPC)
			return error_set(error, "%s: receive: reply larger than %d bytes",
					 n->name, NL_BUF_SIZE);
		if (got < 0)
			return error_set(error, "%s: receive: %s", n->name,
					 strerror(errno));
		if (got == 0)
			return error_set(error, "%s: receive: empty reply", n->name);
		if (nl_exchange_parse(x, n->buf, (size_t)got, cb, data, error) < 0)
			return error_prefix(error, "%s", n->name);
	}
	if (x->error)
		return error_set(error, "%s%s%s", strerror(x->error),
				 x->text[0] ? ": " : "", x->text);
	return STATUS_OK;
}
