/*
 * packet.c - see packet.h.
 *
 * Headers are read and written byte by byte at explicit offsets instead of
 * through struct overlays: frames from the wire are not aligned, and every
 * length check then sits right next to the bytes it protects.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "checksum.h"
#include "error.h"
#include "packet.h"

enum {
	ETH_HDR_LEN	= 14,
	IPV4_HDR_LEN	= 20,
	IPV6_HDR_LEN	= 40,
	TCP_HDR_LEN	= 20,
	TCP_OPT_SPACE	= 40,		/* data offset 15 words minus the fixed header */
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

	TCPOPT_MD5	= 19,
	TCPOPT_FASTOPEN	= 34,
	TCPOPT_EXP	= 254,
	TCPOPT_FO_MAGIC	= 0xf989,	/* RFC 7413 experimental option magic */
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

/* Names as packetdrill spells them, for messages. */
static const char *tcp_option_name(uint8_t kind)
{
	switch (kind) {
	case TCPOPT_EOL:	return "eol";
	case TCPOPT_NOP:	return "nop";
	case TCPOPT_MSS:	return "mss";
	case TCPOPT_WSCALE:	return "wscale";
	case TCPOPT_SACK_PERM:	return "sackOK";
	case TCPOPT_SACK:	return "sack";
	case TCPOPT_TS:		return "TS";
	case TCPOPT_MD5:	return "md5";
	case TCPOPT_FASTOPEN:	return "FO";
	default:		return "unknown";
	}
}

/* On-wire length of the kinds whose length is fixed; 0 for the others. */
static size_t tcp_option_fixed_len(uint8_t kind)
{
	switch (kind) {
	case TCPOPT_EOL:
	case TCPOPT_NOP:	return 1;
	case TCPOPT_MSS:	return 4;
	case TCPOPT_WSCALE:	return 3;
	case TCPOPT_SACK_PERM:	return 2;
	case TCPOPT_TS:		return 10;
	default:		return 0;
	}
}

/* ---- TCP options ---------------------------------------------------- */

static int tcp_option_error(char **error, size_t off, uint8_t kind,
			    const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int tcp_option_error(char **error, size_t off, uint8_t kind,
			    const char *fmt, ...)
{
	char what[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return error_set(error, "TCP option at offset %zu (kind %u, %s): %s",
			 off, kind, tcp_option_name(kind), what);
}

/* Decode the body of one option whose length byte has been checked to fit. */
static int tcp_option_decode(const uint8_t *p, size_t off, uint8_t olen,
			     struct tcp_option *o, char **error)
{
	size_t fixed = tcp_option_fixed_len(o->kind);
	const uint8_t *body = p + 2;

	if (fixed && olen != fixed)
		return tcp_option_error(error, off, o->kind,
					"length %u, must be %zu", olen, fixed);
	o->len = olen;
	switch (o->kind) {
	case TCPOPT_MSS:
		o->u.mss = get16(body);
		break;
	case TCPOPT_WSCALE:
		o->u.wscale = body[0];
		break;
	case TCPOPT_SACK_PERM:
		break;
	case TCPOPT_TS:
		o->u.ts.val = get32(body);
		o->u.ts.ecr = get32(body + 4);
		break;
	case TCPOPT_SACK:
		if (olen < 2 + 8 || (olen - 2) % 8 || (olen - 2) / 8 > TCP_MAX_SACK)
			return tcp_option_error(error, off, o->kind,
				"length %u, must be 2 + 8 * blocks with 1 to %d blocks",
				olen, TCP_MAX_SACK);
		o->u.sack.count = (olen - 2) / 8;
		for (uint8_t i = 0; i < o->u.sack.count; i++) {
			o->u.sack.block[i].left = get32(body + 8 * i);
			o->u.sack.block[i].right = get32(body + 8 * i + 4);
		}
		break;
	default:
		/* olen <= TCP_OPT_SPACE, so the body fits raw[]. */
		memcpy(o->u.raw, body, olen - 2);
		break;
	}
	return STATUS_OK;
}

int tcp_options_parse(const uint8_t *opts, size_t len, struct tcp_option *out,
		      uint8_t *count, char **error)
{
	size_t off = 0;
	uint8_t n = 0;

	*count = 0;
	if (len > TCP_OPT_SPACE)
		return error_set(error,
				 "TCP option list of %zu bytes is longer than the %d a header can carry",
				 len, TCP_OPT_SPACE);
	while (off < len) {
		struct tcp_option *o = &out[n];
		uint8_t kind = opts[off], olen;

		/* Cannot trigger while len <= 40, but keeps out[] safe if
		 * the limits above ever change. */
		if (n >= TCP_MAX_OPTIONS)
			return error_set(error, "more than %d TCP options",
					 TCP_MAX_OPTIONS);
		memset(o, 0, sizeof(*o));
		o->kind = kind;
		if (kind == TCPOPT_EOL || kind == TCPOPT_NOP) {
			o->len = 1;
			n++;
			off++;
			if (kind == TCPOPT_EOL)
				break;	/* the rest is padding (RFC 9293 3.2) */
			continue;
		}
		if (len - off < 2)
			return tcp_option_error(error, off, kind,
				"the length byte is past the end of the %zu-byte list",
				len);
		olen = opts[off + 1];
		if (olen < 2)
			return tcp_option_error(error, off, kind,
				"length %u is less than 2", olen);
		if (olen > len - off)
			return tcp_option_error(error, off, kind,
				"length %u runs past the end of the %zu-byte list",
				olen, len);
		if (tcp_option_decode(opts + off, off, olen, o, error))
			return STATUS_ERROR;
		n++;
		off += olen;
	}
	*count = n;
	return STATUS_OK;
}

int tcp_options_build(const struct tcp_option *opts, uint8_t count,
		      uint8_t *buf, size_t size, size_t *len, char **error)
{
	size_t off = 0;

	*len = 0;
	for (uint8_t i = 0; i < count; i++) {
		const struct tcp_option *o = &opts[i];
		size_t olen = tcp_option_fixed_len(o->kind);
		uint8_t *p = buf + off;

		if (o->kind == TCPOPT_SACK) {
			if (o->u.sack.count < 1 || o->u.sack.count > TCP_MAX_SACK)
				return error_set(error,
						 "TCP option %u (sack): %u blocks, must be 1 to %d",
						 i, o->u.sack.count, TCP_MAX_SACK);
			olen = 2 + 8 * (size_t)o->u.sack.count;
		} else if (!olen) {
			if (o->len < 2 || o->len > TCP_OPT_SPACE)
				return error_set(error,
						 "TCP option %u (kind %u): length %u, must be 2 to %d",
						 i, o->kind, o->len, TCP_OPT_SPACE);
			olen = o->len;
		}
		if (olen > size - off)
			return error_set(error,
					 "TCP option %u (%s) needs %zu bytes but only %zu of %zu are left",
					 i, tcp_option_name(o->kind), olen,
					 size - off, size);
		p[0] = o->kind;
		if (olen > 1)
			p[1] = (uint8_t)olen;
		switch (o->kind) {
		case TCPOPT_EOL:
		case TCPOPT_NOP:
		case TCPOPT_SACK_PERM:
			break;
		case TCPOPT_MSS:
			put16(p + 2, o->u.mss);
			break;
		case TCPOPT_WSCALE:
			p[2] = o->u.wscale;
			break;
		case TCPOPT_TS:
			put32(p + 2, o->u.ts.val);
			put32(p + 6, o->u.ts.ecr);
			break;
		case TCPOPT_SACK:
			for (uint8_t b = 0; b < o->u.sack.count; b++) {
				put32(p + 2 + 8 * b, o->u.sack.block[b].left);
				put32(p + 6 + 8 * b, o->u.sack.block[b].right);
			}
			break;
		default:
			memcpy(p + 2, o->u.raw, olen - 2);
			break;
		}
		off += olen;
	}
	*len = off;
	return STATUS_OK;
}

/* ---- formatting ----------------------------------------------------- */

/* snprintf that keeps appending and counts what it would have written. */
struct text {
	char *buf;
	size_t size;
	size_t pos;
};

static void text_add(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void text_add(struct text *t, const char *fmt, ...)
{
	char *dst = t->pos < t->size ? t->buf + t->pos : NULL;
	size_t room = t->pos < t->size ? t->size - t->pos : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(dst, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->pos += (size_t)n;
}

static void text_hex(struct text *t, const uint8_t *p, size_t n)
{
	if (n)
		text_add(t, " ");
	for (size_t i = 0; i < n; i++)
		text_add(t, "%02x", p[i]);
}

static void tcp_option_format(struct text *t, const struct tcp_option *o)
{
	/* A caller-made option may carry any len: never read past raw[]. */
	size_t body = o->len > 2 ? (size_t)o->len - 2 : 0;

	if (body > sizeof(o->u.raw))
		body = sizeof(o->u.raw);
	switch (o->kind) {
	case TCPOPT_EOL:
	case TCPOPT_NOP:
	case TCPOPT_SACK_PERM:
		text_add(t, "%s", tcp_option_name(o->kind));
		break;
	case TCPOPT_MSS:
		text_add(t, "mss %u", o->u.mss);
		break;
	case TCPOPT_WSCALE:
		text_add(t, "wscale %u", o->u.wscale);
		break;
	case TCPOPT_TS:
		text_add(t, "TS val %u ecr %u", o->u.ts.val, o->u.ts.ecr);
		break;
	case TCPOPT_SACK:
		text_add(t, "sack");
		for (uint8_t i = 0; i < o->u.sack.count && i < TCP_MAX_SACK; i++)
			text_add(t, " %u:%u", o->u.sack.block[i].left,
				 o->u.sack.block[i].right);
		break;
	case TCPOPT_MD5:
	case TCPOPT_FASTOPEN:
		text_add(t, "%s", tcp_option_name(o->kind));
		text_hex(t, o->u.raw, body);
		break;
	default:
		if (o->kind == TCPOPT_EXP && body >= 2 &&
		    get16(o->u.raw) == TCPOPT_FO_MAGIC) {
			text_add(t, "FOEXP");
			text_hex(t, o->u.raw + 2, body - 2);
			break;
		}
		/* packetdrill has no spelling for these. */
		text_add(t, "kind %u len %u", o->kind, o->len);
		if (body) {
			text_add(t, " data");
			text_hex(t, o->u.raw, body);
		}
		break;
	}
}

static void tcp_options_add(struct text *t, const struct tcp_option *opts,
			    uint8_t count)
{
	if (!count)
		return;
	if (count > TCP_MAX_OPTIONS)
		count = TCP_MAX_OPTIONS;
	text_add(t, "<");
	for (uint8_t i = 0; i < count; i++) {
		if (i)
			text_add(t, ",");
		tcp_option_format(t, &opts[i]);
	}
	text_add(t, ">");
}

int tcp_options_format(const struct tcp_option *opts, uint8_t count,
		       char *buf, size_t size)
{
	struct text t = { buf, size, 0 };

	if (size)
		buf[0] = '\0';
	tcp_options_add(&t, opts, count);
	return (int)t.pos;
}

int packet_format(const struct tcp_segment *seg, char *buf, size_t size)
{
	/* packetdrill's (and tcpdump 4.1's) order; "-" when no flag is set. */
	static const struct { uint8_t bit; char c; } order[] = {
		{ TCPF_FIN, 'F' }, { TCPF_SYN, 'S' }, { TCPF_RST, 'R' },
		{ TCPF_PSH, 'P' }, { TCPF_ACK, '.' }, { TCPF_URG, 'U' },
		{ TCPF_ECE, 'E' }, { TCPF_CWR, 'W' },
	};
	struct text t = { buf, size, 0 };
	char flags[sizeof(order) / sizeof(order[0]) + 1];
	size_t n = 0;

	if (size)
		buf[0] = '\0';
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (seg->flags & order[i].bit)
			flags[n++] = order[i].c;
	if (!n)
		flags[n++] = '-';
	flags[n] = '\0';
	text_add(&t, "%s %u:%u(%zu)", flags, seg->seq,
		 (uint32_t)(seg->seq + seg->payload_len), seg->payload_len);
	if (seg->flags & TCPF_ACK)
		text_add(&t, " ack %u", seg->ack);
	text_add(&t, " win %u", seg->win);
	if (seg->flags & TCPF_URG)
		text_add(&t, " urg %u", seg->urg);
	if (seg->noptions) {
		text_add(&t, " ");
		tcp_options_add(&t, seg->options, seg->noptions);
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
	uint8_t opts[TCP_OPT_SPACE];
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
				    TCP_OPT_SPACE);
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
	tcp[13] = seg->flags;
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
	seg->flags = p[13];
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
