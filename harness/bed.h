/* bed.h - what kind of test bed a case asks for (GSO or on-the-wire view, MTU, the MSS inbound segments are cut by), from the command line, else the script, else packetdrill's defaults. */
#ifndef TCPCONF_BED_H
#define TCPCONF_BED_H

#include <stdbool.h>
#include <stddef.h>

#include "option.h"

/* Bounds of --mtu (veth takes 68 to 65535; IPv6 needs 1280) and --mss. */
#define BED_MTU_MIN		68
#define BED_MTU_MAX		65535
#define BED_MTU_MIN_IPV6	1280
#define BED_MSS_MAX		65495	/* the largest segment an IPv4 datagram holds */

struct bed {
	/*
	 * true (the default): packetdrill's tun view.  The kernel's TSO/GSO
	 * super-segments are captured whole, and an inbound segment larger
	 * than the MTU is injected as one GSO packet.  false (--gso=off): the
	 * wire view, every segment as it crosses a real link.
	 */
	bool gso;
	unsigned int mtu;	/* both veth ends: --mtu, else 1500 (IPv4), 1520 (IPv6) */
	unsigned int mss;	/* --mss, 0 when not given */
	/*
	 * --strict_segments (packetdrill's): an outbound line matches one
	 * segment only.  Without it, in the GSO view, consecutive segments
	 * that continue each other are joined until they reach the line's
	 * payload (gather.h), as packetdrill does; the wire view never joins.
	 */
	bool strict_segments;
};

/*
 * The bed a case runs in family (AF_INET/AF_INET6) with its resolved
 * options v (option_resolve: defaults, the script's --gso, --mtu, --mss and
 * --strict_segments, then the command line's; their values are checked
 * there).  An MTU below 1280 for IPv6, which would leave the link without
 * IPv6, is STATUS_ERROR with *error (the caller's) naming the script.
 */
int bed_settings(const struct option_values *v, const char *script,
		 int family, struct bed *b, char **error);

/*
 * The GSO size to inject a TCP segment with, as packetdrill's tun device
 * gets it (0: a plain frame).  ip_len is the IP datagram's length in
 * family (AF_INET/AF_INET6), without IPv4 or TCP options that is 40 or 60
 * bytes of headers.  With --mss, every segment whose options and payload
 * are longer than that is a GSO packet of that size, as packetdrill writes
 * it.  Without, only a datagram beyond the MTU is, of size MTU - 40 (60):
 * the receiver then measures its MSS as min(that, its advertised MSS), the
 * same as for packetdrill's plain large packet.
 */
unsigned int bed_gso_size(const struct bed *b, int family, size_t ip_len);

#endif
