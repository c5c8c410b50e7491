/*
 * packet.c - see packet.h.
 *
 * Headers are read and written byte by byte at explicit offsets instead of
 * through struct overlays: frames from the wire are not aligned, and every
 * length check then sits right next to the bytes it protects.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "checksum.h"
#include "bytes.h"
#include "error.h"
#include "packet.h"
#include "text.h"

enum {
	ETH_HDR_LEN	= 14,
	IPV4_HDR_LEN	= 20,
	IPV6_HDR_LEN	= 40,
	TCP_HDR_LEN	= 20,
	ARP_LEN		= 28,		/* Ethernet/IPv4 ARP body */
	ND_LEN		= 24,		/* ICMPv6 header, flags/reserved, target */
	ND_LLA_OPT_LEN	= 8,		/* link-layer address option for Ethernet */
	IP_MAX_LEN	= 65535,

	ETHERTYPE_V4	= 0x0800,
	ETHERTYPE_ARP_	= 0x0806,
	ETHERTYPE_V6	= 0x86dd,

	IPV4_DF		= 0x4000,
	IPV4_FRAG_MASK	= 0x3fff,	/* MF and fragment offset */
	DEFAULT_TTL	= 64,

	ARP_REQUEST	= 1,
	ARP_REPLY	= 2,

	ICMP6_NS	= 135,
	ICMP6_NA	= 136,
	ND_OPT_SLLA	= 1,		/* source link-layer address */
	ND_OPT_TLLA	= 2,		/* target link-layer address */
	ND_NA_SOLICITED	= 0x40,		/* first flag byte of an advert */
	ND_NA_OVERRIDE	= 0x20,
	ND_HOP_LIMIT	= 255,		/* RFC 4861 requires it on ND messages */
};

int packet_format(const struct tcp_segment *seg, char *buf, size_t size)
{
	return packet_format_as(seg, 0, buf, size);
}

int packet_format_as(const struct tcp_segment *seg, unsigned int how,
		     char *buf, size_t size)
{
	struct text t;
	char flags[sizeof(TCP_FLAG_CHARS)];
	size_t n = 0;

	text_init(&t, buf, size);
	for (size_t i = 0; i < sizeof(TCP_FLAG_CHARS) - 1; i++)
		if (seg->flags & 1u << i)
			flags[n++] = TCP_FLAG_CHARS[i];
	if (!n)
		flags[n++] = '-';
	flags[n] = '\0';
	text_add(&t, "%s %u:%u(%zu)", flags, seg->seq,
		 (uint32_t)(seg->seq + seg->payload_len), seg->payload_len);
	if (seg->flags & TCPF_ACK)
		text_add(&t, " ack %u", seg->ack);
	if (!(how & PACKET_FORMAT_NO_WIN))
		text_add(&t, " win %u", seg->win);
	if ((seg->flags & TCPF_URG) || seg->urg)
		text_add(&t, " urg %u", seg->urg);
	if (seg->noptions) {
		size_t room;

		text_add(&t, " ");
		room = t.pos < size ? size - t.pos : 0;
		t.pos += (size_t)tcp_options_format(seg->options, seg->noptions,
						    room ? buf + t.pos : NULL, room);
	}
	return (int)t.pos;
}

socklen_t ip_address_sockaddr(const struct ip_address *a, uint16_t port,
			      struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_addr = a->u.v4;
		sin->sin_port = htons(port);
		return sizeof(*sin);
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	sin6->sin6_family = AF_INET6;
	sin6->sin6_addr = a->u.v6;
	sin6->sin6_port = htons(port);
	return sizeof(*sin6);
}

const char *ip_address_format(const struct ip_address *a, char *buf, size_t size)
{
	const void *src = a->family == AF_INET6 ? (const void *)&a->u.v6 :
						  (const void *)&a->u.v4;

	if (!size)
		return buf;
	if ((a->family != AF_INET && a->family != AF_INET6) ||
	    !inet_ntop(a->family, src, buf, (socklen_t)size))
		snprintf(buf, size, "?");
	return buf;
}

const char *packet_ecn_name(enum packet_ecn mark)
{
	static const char *const names[] = { "noecn", "ect1", "ect0", "ce", "ect01" };

	return mark >= 0 && mark <= PACKET_ECN_ECT01 ? names[mark] : NULL;
}

bool packet_ecn_match(enum packet_ecn mark, uint8_t tos)
{
	uint8_t bits = tos & PACKET_ECN_MASK;

	if (mark == PACKET_ECN_UNSPEC)
		return true;
	if (mark == PACKET_ECN_ECT01)
		return bits == PACKET_ECN_ECT0 || bits == PACKET_ECN_ECT1;
	return bits == (uint8_t)mark;
}

/* ---- building ------------------------------------------------------- */

static void eth_put(uint8_t *p, const uint8_t dst[6], const uint8_t src[6],
		    uint16_t ethertype)
{
	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	put16(p + 12, ethertype);
}

/* version 6, traffic class, flow label 0 */
static void ipv6_put(uint8_t *p, uint8_t tclass, uint16_t payload_len,
		     uint8_t next, uint8_t hop_limit,
		     const struct in6_addr *src, const struct in6_addr *dst)
{
	put32(p, 6u << 28 | (uint32_t)tclass << 20);
	put16(p + 4, payload_len);
	p[6] = next;
	p[7] = hop_limit;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
}

static int room_check(size_t need, size_t size, char **error)
{
	if (need > size)
		return error_set(error,
				 "frame of %zu bytes does not fit the %zu-byte buffer",
				 need, size);
	return STATUS_OK;
}

int packet_build_tcp(const struct tcp_segment *seg, const uint8_t src_mac[6],
		     const uint8_t dst_mac[6], uint8_t *buf, size_t size,
		     size_t *len, char **error)
{
	int family = seg->src.family;
	bool v4 = family == AF_INET;
	uint8_t opts[TCP_OPTION_SPACE];
	size_t optlen, padded, tcplen, iphlen = v4 ? IPV4_HDR_LEN : IPV6_HDR_LEN;
	uint8_t ttl = seg->ttl ? seg->ttl : DEFAULT_TTL;
	uint8_t *ip = buf + ETH_HDR_LEN, *tcp;
	uint16_t sum;

	*len = 0;
	if ((family != AF_INET && family != AF_INET6) ||
	    seg->dst.family != family)
		return error_set(error,
				 "TCP segment needs two IPv4 or two IPv6 addresses (families %d and %d)",
				 family, seg->dst.family);
	if (seg->noptions > TCP_MAX_OPTIONS)
		return error_set(error, "%u TCP options, at most %d",
				 seg->noptions, TCP_MAX_OPTIONS);
	if (tcp_options_build(seg->options, seg->noptions, opts, sizeof(opts),
			      &optlen, error))
		return error_prefix(error, "TCP options do not fit in %d bytes",
				    TCP_OPTION_SPACE);
	padded = (optlen + 3) & ~(size_t)3;
	memset(opts + optlen, TCPOPT_EOL, padded - optlen);
	if (seg->payload_len > IP_MAX_LEN ||
	    TCP_HDR_LEN + padded + seg->payload_len + (v4 ? iphlen : 0) > IP_MAX_LEN)
		return error_set(error, "TCP payload of %zu bytes is too long for %s",
				 seg->payload_len, v4 ? "IPv4" : "IPv6");
	tcplen = TCP_HDR_LEN + padded + seg->payload_len;
	if (room_check(ETH_HDR_LEN + iphlen + tcplen, size, error))
		return STATUS_ERROR;

	eth_put(buf, dst_mac, src_mac, v4 ? ETHERTYPE_V4 : ETHERTYPE_V6);
	if (v4) {
		ip[0] = 0x45;			/* version 4, IHL 5 */
		ip[1] = seg->tos;
		put16(ip + 2, (uint16_t)(iphlen + tcplen));
		put16(ip + 4, 0);		/* id: DF is set, nothing fragments */
		put16(ip + 6, IPV4_DF);
		ip[8] = ttl;
		ip[9] = IPPROTO_TCP;
		put16(ip + 10, 0);
		memcpy(ip + 12, &seg->src.u.v4, 4);
		memcpy(ip + 16, &seg->dst.u.v4, 4);
		put16(ip + 10, checksum_ipv4_header(ip, iphlen));
	} else {
		ipv6_put(ip, seg->tos, (uint16_t)tcplen, IPPROTO_TCP, ttl,
			 &seg->src.u.v6, &seg->dst.u.v6);
	}

	tcp = ip + iphlen;
	put16(tcp, seg->sport);
	put16(tcp + 2, seg->dport);
	put32(tcp + 4, seg->seq);
	put32(tcp + 8, seg->ack);
	tcp[12] = (uint8_t)(((TCP_HDR_LEN + padded) / 4) << 4);
	tcp[12] |= (uint8_t)(seg->flags >> 8 & 1);	/* AE */
	tcp[13] = (uint8_t)seg->flags;
	put16(tcp + 14, seg->win);
	put16(tcp + 16, 0);
	put16(tcp + 18, seg->urg);
	memcpy(tcp + TCP_HDR_LEN, opts, padded);
	if (seg->payload)
		memcpy(tcp + TCP_HDR_LEN + padded, seg->payload, seg->payload_len);
	else
		memset(tcp + TCP_HDR_LEN + padded, 0, seg->payload_len);
	if (v4)
		sum = checksum_tcp4(&seg->src.u.v4, &seg->dst.u.v4, tcp, tcplen);
	else
		sum = checksum_tcp6(&seg->src.u.v6, &seg->dst.u.v6, tcp, tcplen);
	put16(tcp + 16, sum);
	*len = ETH_HDR_LEN + iphlen + tcplen;
	return STATUS_OK;
}

int packet_build_arp_reply(const uint8_t mac[6], const struct in_addr *ip,
			   const uint8_t asker_mac[6], const struct in_addr *asker_ip,
			   uint8_t *buf, size_t size, size_t *len, char **error)
{
	uint8_t *arp = buf + ETH_HDR_LEN;

	*len = 0;
	if (room_check(ETH_HDR_LEN + ARP_LEN, size, error))
		return STATUS_ERROR;
	eth_put(buf, asker_mac, mac, ETHERTYPE_ARP_);
	put16(arp, 1);				/* hardware type Ethernet */
	put16(arp + 2, ETHERTYPE_V4);
	arp[4] = 6;
	arp[5] = 4;
	put16(arp + 6, ARP_REPLY);
	memcpy(arp + 8, mac, 6);
	memcpy(arp + 14, ip, 4);
	memcpy(arp + 18, asker_mac, 6);
	memcpy(arp + 24, asker_ip, 4);
	*len = ETH_HDR_LEN + ARP_LEN;
	return STATUS_OK;
}

int packet_build_nd_advert(const uint8_t mac[6], const struct in6_addr *ip,
			   const uint8_t asker_mac[6], const struct in6_addr *asker_ip,
			   uint8_t *buf, size_t size, size_t *len, char **error)
{
	const size_t msglen = ND_LEN + ND_LLA_OPT_LEN;
	uint8_t *ip6 = buf + ETH_HDR_LEN, *m = ip6 + IPV6_HDR_LEN;

	*len = 0;
	if (room_check(ETH_HDR_LEN + IPV6_HDR_LEN + msglen, size, error))
		return STATUS_ERROR;
	eth_put(buf, asker_mac, mac, ETHERTYPE_V6);
	ipv6_put(ip6, 0, msglen, IPPROTO_ICMPV6, ND_HOP_LIMIT, ip, asker_ip);
	memset(m, 0, msglen);
	m[0] = ICMP6_NA;
	m[4] = ND_NA_SOLICITED | ND_NA_OVERRIDE;
	memcpy(m + 8, ip, 16);
	m[ND_LEN] = ND_OPT_TLLA;
	m[ND_LEN + 1] = ND_LLA_OPT_LEN / 8;
	memcpy(m + ND_LEN + 2, mac, 6);
	put16(m + 2, checksum_icmp6(ip, asker_ip, m, msglen));
	*len = ETH_HDR_LEN + IPV6_HDR_LEN + msglen;
	return STATUS_OK;
}

/* ---- parsing -------------------------------------------------------- */

static int parse_tcp(const uint8_t *p, size_t n, struct packet_info *info,
		     char **error)
{
	struct tcp_segment *seg = &info->tcp;
	size_t doff;

	if (n < TCP_HDR_LEN)
		return error_set(error, "truncated TCP header: %zu of %d bytes",
				 n, TCP_HDR_LEN);
	doff = (size_t)(p[12] >> 4) * 4;
	if (doff < TCP_HDR_LEN)
		return error_set(error,
				 "TCP data offset of %zu bytes is less than %d",
				 doff, TCP_HDR_LEN);
	if (doff > n)
		return error_set(error,
				 "TCP data offset of %zu bytes runs past the %zu-byte segment",
				 doff, n);
	seg->sport = get16(p);
	seg->dport = get16(p + 2);
	seg->seq = get32(p + 4);
	seg->ack = get32(p + 8);
	seg->flags = (uint16_t)(p[13] | (p[12] & 1) << 8);
	seg->win = get16(p + 14);
	seg->urg = get16(p + 18);
	if (tcp_options_parse(p + TCP_HDR_LEN, doff - TCP_HDR_LEN,
			      seg->options, &seg->noptions, error))
		return STATUS_ERROR;
	seg->payload = p + doff;
	seg->payload_len = n - doff;
	info->kind = PACKET_TCP;
	return STATUS_OK;
}

static int parse_ipv4(const uint8_t *p, size_t n, struct packet_info *info,
		      char **error)
{
	struct tcp_segment *seg = &info->tcp;
	size_t ihl, total;
	bool header_ok;

	if (n < IPV4_HDR_LEN)
		return error_set(error, "truncated IPv4 header: %zu of %d bytes",
				 n, IPV4_HDR_LEN);
	if (p[0] >> 4 != 4)
		return error_set(error, "IPv4 ethertype but IP version %u",
				 p[0] >> 4);
	ihl = (size_t)(p[0] & 0x0f) * 4;
	if (ihl < IPV4_HDR_LEN)
		return error_set(error, "IPv4 header length %zu is less than %d",
				 ihl, IPV4_HDR_LEN);
	if (ihl > n)
		return error_set(error,
				 "IPv4 header length %zu runs past the %zu bytes after the Ethernet header",
				 ihl, n);
	total = get16(p + 2);
	if (total < ihl)
		return error_set(error,
				 "IPv4 total length %zu is less than the header length %zu",
				 total, ihl);
	/* Bytes beyond total are Ethernet padding, not payload. */
	if (total > n)
		return error_set(error,
				 "IPv4 total length %zu runs past the %zu bytes after the Ethernet header",
				 total, n);
	if ((get16(p + 6) & IPV4_FRAG_MASK) || p[9] != IPPROTO_TCP)
		return STATUS_OK;	/* fragments and other protocols */

	seg->src.family = seg->dst.family = AF_INET;
	memcpy(&seg->src.u.v4, p + 12, 4);
	memcpy(&seg->dst.u.v4, p + 16, 4);
	seg->tos = p[1];
	seg->ttl = p[8];
	header_ok = checksum_ipv4_header(p, ihl) == 0;
	if (parse_tcp(p + ihl, total - ihl, info, error))
		return STATUS_ERROR;
	info->checksum_ok = header_ok &&
		checksum_tcp4(&seg->src.u.v4, &seg->dst.u.v4, p + ihl,
			      total - ihl) == 0;
	return STATUS_OK;
}

/* Neighbour solicitation or advertisement: m is the ICMPv6 message. */
static int parse_nd(const uint8_t *m, size_t n, const struct in6_addr *src,
		    const struct in6_addr *dst, struct packet_info *info,
		    char **error)
{
	bool advert = m[0] == ICMP6_NA;
	uint8_t lla = advert ? ND_OPT_TLLA : ND_OPT_SLLA;
	size_t off;

	if (n < ND_LEN)
		return error_set(error, "truncated neighbour %s: %zu of %d bytes",
				 advert ? "advertisement" : "solicitation",
				 n, ND_LEN);
	info->target.family = AF_INET6;
	memcpy(&info->target.u.v6, m + 8, 16);
	info->sender.family = AF_INET6;
	info->sender.u.v6 = *src;
	/* Without a link-layer address option the Ethernet source stands in. */
	memcpy(info->sender_mac, info->eth_src, 6);
	for (off = ND_LEN; off < n;) {
		size_t olen;

		if (n - off < 2)
			return error_set(error,
					 "ND option at offset %zu: truncated before its length byte",
					 off);
		olen = (size_t)m[off + 1] * 8;
		if (!olen)
			return error_set(error,
					 "ND option at offset %zu (type %u) has length 0",
					 off, m[off]);
		if (olen > n - off)
			return error_set(error,
					 "ND option at offset %zu (type %u): length %zu runs past the %zu-byte message",
					 off, m[off], olen, n);
		if (m[off] == lla)
			memcpy(info->sender_mac, m + off + 2, 6);
		off += olen;
	}
	info->kind = advert ? PACKET_ND_ADVERT : PACKET_ND_SOLICIT;
	info->checksum_ok = checksum_icmp6(src, dst, m, n) == 0;
	return STATUS_OK;
}

static int parse_ipv6(const uint8_t *p, size_t n, struct packet_info *info,
		      char **error)
{
	struct tcp_segment *seg = &info->tcp;
	struct in6_addr src, dst;
	const uint8_t *body = p + IPV6_HDR_LEN;
	size_t plen;

	if (n < IPV6_HDR_LEN)
		return error_set(error, "truncated IPv6 header: %zu of %d bytes",
				 n, IPV6_HDR_LEN);
	if (p[0] >> 4 != 6)
		return error_set(error, "IPv6 ethertype but IP version %u",
				 p[0] >> 4);
	plen = get16(p + 4);
	if (plen > n - IPV6_HDR_LEN)
		return error_set(error,
				 "IPv6 payload length %zu runs past the %zu bytes after the IPv6 header",
				 plen, n - IPV6_HDR_LEN);
	memcpy(&src, p + 8, 16);
	memcpy(&dst, p + 24, 16);

	switch (p[6]) {
	case IPPROTO_TCP:
		seg->src.family = seg->dst.family = AF_INET6;
		seg->src.u.v6 = src;
		seg->dst.u.v6 = dst;
		seg->tos = (uint8_t)(get16(p) >> 4);	/* traffic class */
		seg->ttl = p[7];
		if (parse_tcp(body, plen, info, error))
			return STATUS_ERROR;
		info->checksum_ok = checksum_tcp6(&src, &dst, body, plen) == 0;
		return STATUS_OK;
	case IPPROTO_ICMPV6:
		if (plen < 4)
			return error_set(error,
					 "truncated ICMPv6 header: %zu of 4 bytes",
					 plen);
		/* Code must be 0 for ND (RFC 4861 7.1); anything else is
		 * not for us to answer. */
		if ((body[0] != ICMP6_NS && body[0] != ICMP6_NA) || body[1])
			return STATUS_OK;
		return parse_nd(body, plen, &src, &dst, info, error);
	default:
		return STATUS_OK;	/* extension headers, UDP, ... */
	}
}

static int parse_arp(const uint8_t *p, size_t n, struct packet_info *info,
		     char **error)
{
	uint16_t op;

	if (n < ARP_LEN)
		return error_set(error, "truncated ARP packet: %zu of %d bytes",
				 n, ARP_LEN);
	op = get16(p + 6);
	if (get16(p) != 1 || get16(p + 2) != ETHERTYPE_V4 || p[4] != 6 ||
	    p[5] != 4 || (op != ARP_REQUEST && op != ARP_REPLY))
		return STATUS_OK;
	info->kind = PACKET_ARP;
	info->arp_op = op;
	memcpy(info->sender_mac, p + 8, 6);
	info->sender.family = AF_INET;
	memcpy(&info->sender.u.v4, p + 14, 4);
	info->target.family = AF_INET;
	/* A reply advertises its sender's address. */
	memcpy(&info->target.u.v4, p + (op == ARP_REQUEST ? 24 : 14), 4);
	info->checksum_ok = true;	/* ARP has no checksum to get wrong */
	return STATUS_OK;
}

int packet_parse(const uint8_t *frame, size_t len, struct packet_info *info,
		 char **error)
{
	const uint8_t *p = frame + ETH_HDR_LEN;
	int ret;

	memset(info, 0, sizeof(*info));
	if (len < ETH_HDR_LEN)
		return error_set(error, "truncated Ethernet header: %zu of %d bytes",
				 len, ETH_HDR_LEN);
	memcpy(info->eth_dst, frame, 6);
	memcpy(info->eth_src, frame + 6, 6);
	info->ethertype = get16(frame + 12);
	switch (info->ethertype) {
	case ETHERTYPE_V4:
		ret = parse_ipv4(p, len - ETH_HDR_LEN, info, error);
		break;
	case ETHERTYPE_V6:
		ret = parse_ipv6(p, len - ETH_HDR_LEN, info, error);
		break;
	case ETHERTYPE_ARP_:
		ret = parse_arp(p, len - ETH_HDR_LEN, info, error);
		break;
	default:
		return STATUS_OK;	/* VLAN tags, LLDP, ...: not ours */
	}
	if (ret) {
		/* Half-filled results must not be mistaken for a packet. */
		info->kind = PACKET_OTHER;
		info->checksum_ok = false;
	}
	return ret;
}
