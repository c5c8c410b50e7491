/* icmp.h - the ICMP message of an inbound "icmp" packet line: its type and code by packetdrill's names, resolved per IP version, and the frame that carries it with the connection's headers echoed inside. */
#ifndef TCPCONF_ICMP_H
#define TCPCONF_ICMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"

#define ICMP_NAME_MAX 48

/*
 * "icmp unreachable frag_needed mtu 800 [0:1000(1000)]" as written.  Names
 * stay text until the IP version is known: packetdrill's tables differ
 * for ICMPv4 and ICMPv6, and "frag_needed" means nothing to the latter.
 * The echoed span ([seq:end(len)]) is the packet line's own span.
 */
struct icmp_spec {
	bool present;			/* the line is an ICMP line */
	char type[ICMP_NAME_MAX];	/* "unreachable", "packet_too_big", "type_3" */
	char code[ICMP_NAME_MAX];	/* "host_unreachable", "code_4"; "" = code 0 */
	int64_t mtu;			/* "mtu N"; -1 when not written */
	uint16_t echo_id;		/* "id N"; 0 when not written */
};

/*
 * The type and code bytes spec names for family (AF_INET, AF_INET6): a
 * name from the family's table, or "type_N"/"code_N".  A name the table
 * lacks is STATUS_ERROR "bad ICMP type NAME" ("code"), as packetdrill
 * says it; an mtu on anything but IPv4 unreachable/frag_needed or IPv6
 * packet_too_big (code 0) is an error too.
 */
int icmp_resolve(const struct icmp_spec *spec, int family, uint8_t *type,
		 uint8_t *code, char **error);

/* The connection segment the message is about, as the kernel sent it:
 * addresses, ports and a sequence number in wire numbering. */
struct icmp_about {
	struct ip_address src, dst;	/* kernel -> peer */
	uint16_t sport, dport;
	uint32_t seq;
	uint16_t payload_len;		/* the echoed IP header's length counts it */
};

/*
 * Build the Ethernet frame of an ICMP (IPv4) or ICMPv6 message from the
 * peer (about->dst) to the kernel (about->src): its IP header (tos: the
 * ECN mark), the message header (mtu, echo id), and the echoed IP header
 * of the segment plus the first 8 bytes of its TCP header (ports, seq),
 * all that packetdrill echoes.  Checksums are computed.  The caller owns
 * everything; *len gets the frame length.
 */
int icmp_build(const struct icmp_spec *spec, const struct icmp_about *about,
	       uint8_t tos, const uint8_t src_mac[6], const uint8_t dst_mac[6],
	       uint8_t *buf, size_t size, size_t *len, char **error);

#endif
