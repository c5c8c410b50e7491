/* diag.h - look up a TCP connection's state and timer through sock_diag (NETLINK_SOCK_DIAG, through nl). */
#ifndef TCPCONF_DIAG_H
#define TCPCONF_DIAG_H

#include <stddef.h>
#include <stdint.h>

#include "packet.h"

/* What sock_diag says about one socket (fields of struct inet_diag_msg). */
struct diag_sock {
	uint8_t state;		/* TCP_ESTABLISHED ... TCP_CLOSING, as in <netinet/tcp.h> */
	uint8_t timer;		/* 0 none, 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 zero window probe */
	uint8_t retrans;
	uint32_t expires_ms;	/* time left on the timer */
	uint32_t rqueue, wqueue;
	uint32_t inode;
};

/*
 * Build the SOCK_DIAG_BY_FAMILY dump request for all TCP states of family
 * (AF_INET/AF_INET6) into buf; *len gets its size.  No socket touched.
 */
int diag_request_build(void *buf, size_t size, int family, uint32_t seq,
		       size_t *len, char **error);

/*
 * Find the socket whose local end is local/lport and remote end
 * remote/rport in a dump reply of len bytes (one or more netlink messages,
 * as one read returned them; every length is checked against len before
 * anything is read, so buf may hold any bytes).  Returns 1 and fills *out
 * when found, 0 when absent, STATUS_ERROR on a malformed reply, an
 * NLMSG_ERROR or a failed DONE.  *done is set when NLMSG_DONE is seen.
 */
int diag_reply_find(const void *buf, size_t len, const struct ip_address *local,
		    uint16_t lport, const struct ip_address *remote,
		    uint16_t rport, struct diag_sock *out, int *done,
		    char **error);

/*
 * Ask the kernel of the calling thread's current namespace about that
 * connection (call it inside the kernel namespace, or pass a socket created
 * there).  Returns 1 found, 0 no such socket, STATUS_ERROR / STATUS_SKIP
 * (no inet_diag/tcp_diag support).  TIME_WAIT sockets are included.
 */
int diag_lookup(const struct ip_address *local, uint16_t lport,
		const struct ip_address *remote, uint16_t rport,
		struct diag_sock *out, char **error);

/* Name of a TCP state ("TCP_TIME_WAIT"), or NULL for an unknown number. */
const char *diag_state_name(unsigned int state);

#endif
