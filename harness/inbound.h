/* inbound.h - the frame an inbound packet line injects: a segment of the connection, or an ICMP message about it. */
#ifndef TCPCONF_INBOUND_H
#define TCPCONF_INBOUND_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "packet.h"
#include "script.h"

/*
 * Build the frame of inbound line p into buf (size bytes; *len gets the
 * length).  seg is the line's segment already in wire numbers
 * (conn_to_wire(), addresses filled in); the line's ECN mark and urgent
 * pointer go on it here.  An ICMP line builds an ICMP message from seg's
 * source about the kernel's segment seg answers: echoed addresses and
 * ports reversed, the echoed sequence number the line's plus the kernel's
 * ISN, as packetdrill maps it.  The caller owns everything.
 */
int inbound_build(const struct conn *c, const struct packet_event *p,
		  const struct tcp_segment *seg, const uint8_t src_mac[6],
		  const uint8_t dst_mac[6], uint8_t *buf, size_t size,
		  size_t *len, char **error);

#endif
