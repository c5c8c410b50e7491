/* packet.h - build and parse the Ethernet frames of a test: ARP, IPv4, IPv6, ND and TCP with options. */
#ifndef TCPCONF_PACKET_H
#define TCPCONF_PACKET_H

#include <netinet/in.h>
#include <sys/socket.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* TCP flag bits as they sit in byte 13 of the header. */
enum {
	TCPF_FIN = 0x01, TCPF_SYN = 0x02, TCPF_RST = 0x04, TCPF_PSH = 0x08,
	TCPF_ACK = 0x10, TCPF_URG = 0x20, TCPF_ECE = 0x40, TCPF_CWR = 0x80,
};

/* TCP option kinds (RFC 9293 3.1, RFC 7323, RFC 2018). */
enum {
	TCPOPT_EOL = 0, TCPOPT_NOP = 1, TCPOPT_MSS = 2, TCPOPT_WSCALE = 3,
	TCPOPT_SACK_PERM = 4, TCPOPT_SACK = 5, TCPOPT_TS = 8,
};

#define TCP_MAX_OPTIONS 40	/* 40 bytes of option space, one byte at least each */
#define TCP_MAX_SACK	4

/* One TCP option, decoded; kinds we do not know keep their raw bytes. */
struct tcp_option {
	uint8_t kind;
	uint8_t len;			/* on-wire length; 1 for EOL and NOP */
	union {
		uint16_t mss;
		uint8_t wscale;
		struct { uint32_t val, ecr; } ts;
		struct {
			uint8_t count;
			struct { uint32_t left, right; } block[TCP_MAX_SACK];
		} sack;
		uint8_t raw[38];	/* payload of an unknown kind (len - 2 bytes) */
	} u;
};

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
	uint8_t flags;			/* TCPF_* */
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
 * Parse the TCP option list at opts (len bytes, at most 40) into out[] (room
 * for TCP_MAX_OPTIONS); *count gets how many.  An EOL is kept as an option
 * and ends the list: the bytes after it are padding and are not looked at.
 * Malformed lists (length byte missing, 0 or 1, running past the end, wrong
 * fixed length for MSS/WS/TS/SACKOK, SACK length not 2+8n with n 1..4) are
 * rejected with STATUS_ERROR, *count 0 and a message naming the offset in
 * the list; nothing is read beyond opts+len.
 */
int tcp_options_parse(const uint8_t *opts, size_t len, struct tcp_option *out,
		      uint8_t *count, char **error);

/* Encode options into buf (size bytes); *len gets the encoded length, not
 * padded (packet_build_tcp pads the header to 4 bytes with EOL).  Lengths
 * of known kinds come from the kind (SACK: from u.sack.count); only unknown
 * kinds use len (2..40) and u.raw. */
int tcp_options_build(const struct tcp_option *opts, uint8_t count,
		      uint8_t *buf, size_t size, size_t *len, char **error);

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
 * Flags in packetdrill's order F S R P . U E W ("." for ACK, "-" for none),
 * "ack N" only when the ACK flag is set, "urg N" only when URG is.
 * Sequence numbers are printed as given: callers that want relative numbers
 * pass a segment already rebased.  Returns the length snprintf would have
 * written; buf (size bytes, may be 0) always ends up NUL-terminated.
 */
int packet_format(const struct tcp_segment *seg, char *buf, size_t size);

/* Format just the option list, "<mss 1460,sackOK,...>" (no output if none),
 * spelled as packetdrill spells them: mss, sackOK, TS val V ecr E, nop,
 * wscale, sack L:R L:R, eol, md5 HEX, FO HEX, FOEXP HEX.  Kinds packetdrill
 * has no name for come out as "kind K len L data HEX". */
int tcp_options_format(const struct tcp_option *opts, uint8_t count,
		       char *buf, size_t size);

/* Fill ss with a socket address for a and port (host order); returns its
 * length, for bind() and connect(). */
socklen_t ip_address_sockaddr(const struct ip_address *a, uint16_t port,
			      struct sockaddr_storage *ss);

/* Format an address ("192.0.2.1", "2001:db8::1"). */
const char *ip_address_format(const struct ip_address *a, char *buf, size_t size);

#endif
