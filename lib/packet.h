/* packet.h - build and parse the Ethernet frames of a test: ARP, IPv4, IPv6, ND and TCP with options. */
#ifndef TCPCONF_PACKET_H
#define TCPCONF_PACKET_H

#include <netinet/in.h>
#include <sys/socket.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcp_option.h"

/* TCP flag bits as they sit in byte 13 of the header, and AccECN's AE
 * (RFC 9768, the low bit of byte 12) above them. */
enum {
	TCPF_FIN = 0x01, TCPF_SYN = 0x02, TCPF_RST = 0x04, TCPF_PSH = 0x08,
	TCPF_ACK = 0x10, TCPF_URG = 0x20, TCPF_ECE = 0x40, TCPF_CWR = 0x80,
	TCPF_AE = 0x100,
};

/* How flags are written in scripts and messages, in packetdrill's (and
 * tcpdump 4.1's) order: character i stands for bit 1 << i, "." for ACK. */
#define TCP_FLAG_CHARS "FSRP.UEWA"

/* The ECN field (RFC 3168: the low two bits of the IPv4 TOS byte and of
 * the IPv6 traffic class) as a packet line marks it: "[noecn]", "[ect1]",
 * "[ect0]", "[ce]"; "[ect01]" (outbound only) takes either ECT codepoint. */
enum packet_ecn {
	PACKET_ECN_UNSPEC = -1,		/* no mark: inbound Not-ECT, outbound unchecked */
	PACKET_ECN_NOT_ECT = 0, PACKET_ECN_ECT1 = 1, PACKET_ECN_ECT0 = 2,
	PACKET_ECN_CE = 3, PACKET_ECN_ECT01 = 4,
};
#define PACKET_ECN_MASK 0x03

/* The mark's script spelling ("ect0"), NULL for PACKET_ECN_UNSPEC; static. */
const char *packet_ecn_name(enum packet_ecn mark);

/* Does a TOS/traffic class byte carry what mark asks for? */
bool packet_ecn_match(enum packet_ecn mark, uint8_t tos);

/* An IPv4 or IPv6 address, tagged by family (AF_INET/AF_INET6). */
struct ip_address {
	int family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
};

/*
 * A TCP segment with the IP header fields a test cares about.  Used both to
 * describe a segment to build and to report a parsed one.  payload points
 * into memory the segment does not own (the caller's buffer when building,
 * the parsed frame when parsing).
 */
struct tcp_segment {
	struct ip_address src, dst;
	uint8_t ttl;			/* hop limit on IPv6; 0 means 64 when building */
	uint8_t tos;			/* traffic class on IPv6 */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint16_t flags;			/* TCPF_* */
	uint16_t win;
	uint16_t urg;
	uint8_t noptions;
	struct tcp_option options[TCP_MAX_OPTIONS];
	const uint8_t *payload;		/* NULL when building: payload_len zero bytes */
	size_t payload_len;
};

/* What a parsed frame turned out to be. */
enum packet_kind {
	PACKET_OTHER = 0,		/* something we do not look into */
	PACKET_TCP,
	PACKET_ARP,
	PACKET_ND_SOLICIT,		/* ICMPv6 neighbour solicitation */
	PACKET_ND_ADVERT,		/* ICMPv6 neighbour advertisement */
};

/* A parsed Ethernet frame.  Plain data; fields point into the frame. */
struct packet_info {
	enum packet_kind kind;
	uint8_t eth_dst[6], eth_src[6];
	uint16_t ethertype;
	struct tcp_segment tcp;		/* PACKET_TCP */
	struct ip_address target;	/* ARP/ND: the address asked for or advertised */
	struct ip_address sender;	/* ARP/ND: who sent it (who asks, in a request) */
	uint8_t sender_mac[6];		/* ARP sender; ND link-layer option, else eth_src */
	uint16_t arp_op;		/* PACKET_ARP: 1 request, 2 reply */
	bool checksum_ok;		/* TCP (and IPv4 header) or ICMPv6 checksum
					 * verified correct; true for ARP.  Frames a
					 * veth peer sends with checksum offload on
					 * carry only the pseudo-header sum: false. */
};

/*
 * Build an Ethernet frame carrying seg (IPv4 or IPv6 by seg->src.family)
 * into buf; *len gets the frame length.  IPv4: IHL 5, DF, id 0; IPv6: flow
 * label 0.  Checksums are computed.  The caller owns seg and buf.
 */
int packet_build_tcp(const struct tcp_segment *seg, const uint8_t src_mac[6],
		     const uint8_t dst_mac[6], uint8_t *buf, size_t size,
		     size_t *len, char **error);

/* Build an ARP reply telling asker (asker_ip/asker_mac) that ip is at mac. */
int packet_build_arp_reply(const uint8_t mac[6], const struct in_addr *ip,
			   const uint8_t asker_mac[6], const struct in_addr *asker_ip,
			   uint8_t *buf, size_t size, size_t *len, char **error);

/* Build a solicited neighbour advertisement (flags S and O, a target
 * link-layer address option, hop limit 255): ip is at mac, sent to asker,
 * whose address must be unicast (not :: of duplicate address detection). */
int packet_build_nd_advert(const uint8_t mac[6], const struct in6_addr *ip,
			   const uint8_t asker_mac[6], const struct in6_addr *asker_ip,
			   uint8_t *buf, size_t size, size_t *len, char **error);

/*
 * Parse an Ethernet frame.  Frames that are not TCP/ARP/ND come back as
 * PACKET_OTHER with STATUS_OK; a truncated or inconsistent TCP/IP frame, or a
 * malformed TCP option list, is STATUS_ERROR with a message.  info points
 * into frame, which must outlive it.
 */
int packet_parse(const uint8_t *frame, size_t len, struct packet_info *info,
		 char **error);

/*
 * One tcpdump-like line for a segment, without addresses:
 *   "F. 1:1(0) ack 7 win 64 <nop,nop,TS val 1 ecr 2>"
 * Flags in packetdrill's order F S R P . U E W A ("." for ACK, "-" for none),
 * "ack N" only when the ACK flag is set, "urg N" when URG is or the
 * pointer is not 0 (packetdrill judges it either way).
 * Sequence numbers are printed as given: callers that want relative numbers
 * pass a segment already rebased.  Returns the length snprintf would have
 * written; buf (size bytes, may be 0) always ends up NUL-terminated.
 */
int packet_format(const struct tcp_segment *seg, char *buf, size_t size);

/* packet_format() with a choice: PACKET_FORMAT_NO_WIN leaves " win N" out,
 * for a script line that did not write one. */
#define PACKET_FORMAT_NO_WIN	0x1u
int packet_format_as(const struct tcp_segment *seg, unsigned int how,
		     char *buf, size_t size);

/* Fill ss with a socket address for a and port (host order); returns its
 * length, for bind() and connect(). */
socklen_t ip_address_sockaddr(const struct ip_address *a, uint16_t port,
			      struct sockaddr_storage *ss);

/* Format an address ("192.0.2.1", "2001:db8::1"). */
const char *ip_address_format(const struct ip_address *a, char *buf, size_t size);

#endif
