/*
 * wire.c - see wire.h.
 *
 * The socket is created with protocol 0, so it sees nothing until bind();
 * the TCP filter is attached before that, and whatever might still be
 * queued at the end is drained.  Only segments that went through the
 * filter ever reach the caller.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "error.h"
#include "vnet.h"
#include "wire.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING	23
#endif

/* Room for a whole test's worth of segments even if the reader dawdles. */
#define WIRE_RCVBUF		(4 * 1024 * 1024)
#define WIRE_SEND_RETRIES	10

struct wire {
	int fd;
	int ifindex;
	bool vnet;		/* PACKET_VNET_HDR: a header before every frame */
};

/*
 * IPv4 with protocol 6, or IPv6 whose first next header is 6.  IPv6 TCP
 * behind extension headers is not something the kernel side sends us.
 */
static const struct sock_filter tcp_only[] = {
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),				/* ethertype */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 2),
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 14 + 9),			/* IPv4 protocol */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, 3, 4),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IPV6, 0, 3),
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 14 + 6),			/* IPv6 next header */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 0x40000),				/* whole frame */
	BPF_STMT(BPF_RET | BPF_K, 0),					/* drop */
};

static void drain(int fd)
{
	char byte;

	while (recv(fd, &byte, 1, MSG_DONTWAIT | MSG_TRUNC) >= 0 || errno == EINTR)
		;
}

int wire_open(struct wire **wp, int ifindex, uint32_t mark, char **error)
{
	struct sock_fprog prog = {
		.len = sizeof(tcp_only) / sizeof(tcp_only[0]),
		.filter = (struct sock_filter *)tcp_only,
	};
	struct sockaddr_ll sll;
	struct wire *w;
	int one = 1, rcvbuf = WIRE_RCVBUF;
	uint32_t tsflags;
	int fd, err;

	*wp = NULL;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		err = errno;
		if (err == EPERM || err == EACCES)
			return error_skip(error, "packet socket needs CAP_NET_RAW (run as root)");
		if (err == EAFNOSUPPORT)
			return error_skip(error, "kernel has no AF_PACKET support");
		return error_set(error, "packet socket: %s", strerror(err));
	}
	if (setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) < 0) {
		err = errno;
		close(fd);
		if (err == EPERM)
			return error_skip(error, "SO_MARK needs CAP_NET_ADMIN (run as root)");
		return error_set(error, "SO_MARK: %s", strerror(err));
	}
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)) < 0) {
		err = errno;
		close(fd);
		return error_set(error, "SO_TIMESTAMPNS: %s", strerror(err));
	}
	/* Stamps are reported in software, without the frame looped back;
	 * wire_send_timed() asks for them frame by frame.  Without this
	 * (old kernels) it falls back to the clock read before send(). */
	tsflags = SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_OPT_TSONLY;
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &tsflags, sizeof(tsflags));
	/* Before 4.20 the option is unknown; wire_recv drops our own
	 * frames by their packet type instead. */
	setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0) {
		err = errno;
		close(fd);
		return error_set(error, "attach TCP filter: %s", strerror(err));
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		err = errno;
		close(fd);
		return error_set(error, "bind packet socket to interface %d: %s",
				 ifindex, strerror(err));
	}
	drain(fd);

	w = malloc(sizeof(*w));
	if (!w) {
		close(fd);
		return error_set(error, "out of memory");
	}
	w->fd = fd;
	w->ifindex = ifindex;
	w->vnet = false;
	*wp = w;
	return STATUS_OK;
}

void wire_free(struct wire *w)
{
	if (!w)
		return;
	close(w->fd);
	free(w);
}

int wire_fd(const struct wire *w)
{
	return w->fd;
}

int wire_gso_on(struct wire *w, char **error)
{
	int one = 1;

	if (setsockopt(w->fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) < 0)
		return error_set(error, "PACKET_VNET_HDR: %s", strerror(errno));
	w->vnet = true;
	return STATUS_OK;
}

/*
 * The frame as iovecs after its virtio_net_hdr: whole, or with a NEEDS_CSUM
 * header around its checksum field, which then carries the pseudo-header
 * sum (*partial, in network order) instead of the full checksum: the
 * frame stays the caller's, untouched.  Returns how many iovecs it used.
 */
static int vnet_iov(const struct vnet_hdr *h, const uint8_t *f, size_t len,
		    const uint8_t *partial, struct iovec iov[3])
{
	size_t at = (size_t)h->csum_start + h->csum_offset;

	if (!(h->flags & VNET_F_NEEDS_CSUM)) {
		iov[0] = (struct iovec){ .iov_base = (void *)f, .iov_len = len };
		return 1;
	}
	iov[0] = (struct iovec){ .iov_base = (void *)f, .iov_len = at };
	iov[1] = (struct iovec){ .iov_base = (void *)partial, .iov_len = 2 };
	iov[2] = (struct iovec){ .iov_base = (void *)(f + at + 2), .iov_len = len - at - 2 };
	return 3;
}

/* The software transmit stamp of the frame just sent, from the error
 * queue; false when there is none (the queue is left empty either way,
 * or poll() on the socket would report it ready for ever). */
static bool tx_stamp(struct wire *w, struct timespec *ts)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct scm_timestamping)) +
			 CMSG_SPACE(sizeof(struct sock_extended_err)) + 64];
		struct cmsghdr align;
	} control;
	bool found = false;

	for (;;) {
		char data[64];
		struct iovec iov = { .iov_base = data, .iov_len = sizeof(data) };
		struct msghdr msg = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = control.buf,
			.msg_controllen = sizeof(control.buf),
		};
		struct cmsghdr *cm;

		if (recvmsg(w->fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) {
			if (errno == EINTR)
				continue;
			return found;
		}
		for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
			struct scm_timestamping st;

			if (cm->cmsg_level != SOL_SOCKET ||
			    cm->cmsg_type != SCM_TIMESTAMPING ||
			    cm->cmsg_len < CMSG_LEN(sizeof(st)))
				continue;
			memcpy(&st, CMSG_DATA(cm), sizeof(st));
			if (st.ts[0].tv_sec || st.ts[0].tv_nsec) {
				*ts = st.ts[0];
				found = true;
			}
		}
	}
}

static int send_frame(struct wire *w, const void *frame, size_t len,
		      const struct vnet_hdr *vh, const uint8_t partial[2],
		      struct timespec *ts, char **error)
{
	union {
		char buf[CMSG_SPACE(sizeof(uint32_t))];
		struct cmsghdr align;
	} control;
	const uint8_t *f = frame;
	struct sockaddr_ll sll;
	struct pollfd pfd = { .fd = w->fd, .events = POLLOUT };
	uint8_t hdr[VNET_HDR_LEN];
	struct iovec iov[4] = { { .iov_base = (void *)frame, .iov_len = len } };
	struct msghdr msg = {
		.msg_name = &sll, .msg_namelen = sizeof(sll),
		.msg_iov = iov, .msg_iovlen = 1,
	};
	struct timespec before;
	size_t want = len;
	int tries = 0;
	ssize_t n;

	if (ts) {
		/* Ask for a software stamp of this one frame only. */
		struct cmsghdr *cm;
		uint32_t flags = SOF_TIMESTAMPING_TX_SOFTWARE;

		memset(&control, 0, sizeof(control));
		msg.msg_control = control.buf;
		msg.msg_controllen = sizeof(control.buf);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SO_TIMESTAMPING;
		cm->cmsg_len = CMSG_LEN(sizeof(flags));
		memcpy(CMSG_DATA(cm), &flags, sizeof(flags));
	}

	if (len < ETH_HLEN)
		return error_set(error, "frame of %zu bytes is shorter than an Ethernet header",
				 len);
	if (vh) {
		vnet_hdr_encode(vh, hdr);
		iov[0] = (struct iovec){ .iov_base = hdr, .iov_len = sizeof(hdr) };
		msg.msg_iovlen = 1 + vnet_iov(vh, f, len, partial, iov + 1);
		want += sizeof(hdr);
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = w->ifindex;
	memcpy(&sll.sll_protocol, f + 12, 2);
	sll.sll_halen = ETH_ALEN;
	memcpy(sll.sll_addr, f, ETH_ALEN);
	for (;;) {
		if (ts)		/* the fallback stamp, when the kernel gives none */
			clock_gettime(CLOCK_REALTIME, &before);
		n = sendmsg(w->fd, &msg, 0);
		if (n >= 0)
			break;
		if (errno == EINTR)
			continue;
		/* A full send buffer drains within microseconds on a veth. */
		if ((errno == EAGAIN || errno == ENOBUFS) && tries++ < WIRE_SEND_RETRIES) {
			poll(&pfd, 1, 10);
			continue;
		}
		return error_set(error, "inject %zu-byte frame: %s", len,
				 strerror(errno));
	}
	if ((size_t)n != want)
		return error_set(error, "inject: sent %zd of %zu bytes", n, want);
	/* veth stamps the frame inside sendmsg(): it is queued by now. */
	if (ts && !tx_stamp(w, ts))
		*ts = before;
	return STATUS_OK;
}

int wire_send(struct wire *w, const void *frame, size_t len, char **error)
{
	return wire_send_gso(w, frame, len, 0, NULL, error);
}

int wire_send_timed(struct wire *w, const void *frame, size_t len,
		    struct timespec *ts, char **error)
{
	return wire_send_gso(w, frame, len, 0, ts, error);
}

int wire_send_gso(struct wire *w, const void *frame, size_t len,
		  unsigned int gso_size, struct timespec *ts, char **error)
{
	struct vnet_hdr vh = { 0 };
	uint8_t partial[2] = { 0 };
	uint16_t sum = 0;

	if (!w->vnet)
		return send_frame(w, frame, len, NULL, NULL, ts, error);
	if (gso_size &&
	    (vnet_plan_tcp(frame, len, gso_size, &vh, error) < 0 ||
	     ((vh.flags & VNET_F_NEEDS_CSUM) &&
	      vnet_partial_checksum(frame, len, &sum, error) < 0)))
		return error_prefix(error, "inject as GSO packet");
	partial[0] = (uint8_t)(sum >> 8);
	partial[1] = (uint8_t)sum;
	return send_frame(w, frame, len, &vh, partial, ts, error);
}

/* Time left until deadline; false when it has passed. */
static bool time_left(const struct timespec *deadline, struct timespec *left)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	left->tv_sec = deadline->tv_sec - now.tv_sec;
	left->tv_nsec = deadline->tv_nsec - now.tv_nsec;
	if (left->tv_nsec < 0) {
		left->tv_nsec += 1000000000L;
		left->tv_sec--;
	}
	return left->tv_sec > 0 || (left->tv_sec == 0 && left->tv_nsec > 0);
}

/*
 * One frame without waiting: 1 and the frame, 0 when none is queued,
 * STATUS_ERROR.  With GSO on, its header comes first: a partial checksum
 * is completed (unless the frame was cut), as the device would have done.
 */
static int recv_one(struct wire *w, void *buf, size_t size, size_t *len,
		    struct timespec *ts, char **error)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct timespec))];
		struct cmsghdr align;
	} control;
	uint8_t hdr[VNET_HDR_LEN];
	struct sockaddr_ll sll;
	struct iovec iov[2] = {
		{ .iov_base = hdr, .iov_len = sizeof(hdr) },
		{ .iov_base = buf, .iov_len = size },
	};
	struct msghdr msg = {
		.msg_name = &sll, .msg_namelen = sizeof(sll),
		.msg_iov = w->vnet ? iov : iov + 1, .msg_iovlen = w->vnet ? 2 : 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof(control.buf),
	};
	size_t skip = w->vnet ? sizeof(hdr) : 0;
	struct cmsghdr *cm;
	bool stamped = false;
	ssize_t n;

	do {
		msg.msg_controllen = sizeof(control.buf);
		n = recvmsg(w->fd, &msg, MSG_DONTWAIT | MSG_TRUNC);
		/* PACKET_OUTGOING: our own injection, on an old kernel */
	} while ((n < 0 && errno == EINTR) ||
		 (n >= 0 && sll.sll_pkttype == PACKET_OUTGOING));
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		return error_set(error, "capture: %s", strerror(errno));
	}
	if ((size_t)n < skip)
		return error_set(error, "capture: %zd bytes, shorter than a virtio_net_hdr", n);
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_TIMESTAMPNS &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(*ts))) {
			memcpy(ts, CMSG_DATA(cm), sizeof(*ts));
			stamped = true;
		}
	}
	if (!stamped)
		return error_set(error, "captured frame came without a kernel timestamp");
	*len = (size_t)n - skip;
	if (w->vnet && *len <= size) {
		struct vnet_hdr vh;

		vnet_hdr_decode(hdr, &vh);
		/* offsets that do not fit leave the frame as it came */
		vnet_checksum_complete(buf, *len, &vh, NULL);
	}
	return 1;
}

int wire_recv(struct wire *w, void *buf, size_t size, size_t *len,
	      struct timespec *ts, const struct timespec *deadline,
	      char **error)
{
	for (;;) {
		struct pollfd pfd = { .fd = w->fd, .events = POLLIN };
		struct timespec left;
		int rc = recv_one(w, buf, size, len, ts, error);

		if (rc != 0)
			return rc;
		if (!deadline || !time_left(deadline, &left))
			return 0;
		if (ppoll(&pfd, 1, &left, NULL) < 0 && errno != EINTR)
			return error_set(error, "capture: poll: %s", strerror(errno));
	}
}
