/* checksum.h - the Internet checksum (RFC 1071) and the TCP pseudo-headers of IPv4 and IPv6. */
#ifndef TCPCONF_CHECKSUM_H
#define TCPCONF_CHECKSUM_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

/* Add len bytes at data to a running 32-bit one's-complement sum (start
 * with 0).  Bytes are taken as big-endian 16-bit words; only the last chunk
 * added to a sum may have an odd length. */
uint32_t checksum_add(uint32_t sum, const void *data, size_t len);

/* Fold a running sum to 16 bits and complement it: the value to store, in
 * host byte order (store it with htons()).  Every function below returns
 * such a value; run over data whose checksum field is filled in, they
 * return 0 when that checksum is correct. */
uint16_t checksum_fold(uint32_t sum);

/* Checksum of an IPv4 header of hlen bytes (its checksum field must be 0). */
uint16_t checksum_ipv4_header(const void *hdr, size_t hlen);

/* TCP checksum of segment (header+payload, len bytes, checksum field 0)
 * over the IPv4 or IPv6 pseudo-header.  Network-order addresses; the
 * caller owns everything passed in. */
uint16_t checksum_tcp4(const struct in_addr *src, const struct in_addr *dst,
		       const void *segment, size_t len);
uint16_t checksum_tcp6(const struct in6_addr *src, const struct in6_addr *dst,
		       const void *segment, size_t len);

/* ICMPv6 checksum (for neighbour discovery) over the IPv6 pseudo-header. */
uint16_t checksum_icmp6(const struct in6_addr *src, const struct in6_addr *dst,
			const void *msg, size_t len);

#endif
