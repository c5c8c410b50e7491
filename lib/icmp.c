/*
 * icmp.c - see icmp.h.
 *
 * The names and numbers are RFC 792/1812 (ICMP) and RFC 4443 (ICMPv6) as
 * packetdrill spells them; one table per family, each type with the table
 * of its codes when it has named codes.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "bytes.h"
#include "checksum.h"
#include "error.h"
#include "icmp.h"

enum {
	ETH_LEN = 14, IPV4_LEN = 20, IPV6_LEN = 40,
	ICMP_HDR_LEN = 8,		/* type, code, checksum, 4 bytes of message */
	ECHOED_L4_LEN = 8,		/* TCP ports and sequence number */
	TCP_HDR_LEN = 20,		/* of the echoed segment, in its length */
	HOP_LIMIT = 64,
	ICMP4_UNREACH = 3, ICMP4_FRAG_NEEDED = 4, ICMP6_TOO_BIG = 2,
};

struct icmp_name {
	const char *name;
	uint8_t value;
	const struct icmp_name *codes;	/* a type's named codes, or NULL */
};

static const struct icmp_name v4_unreach_codes[] = {
	{ "net_unreachable", 0, NULL }, { "host_unreachable", 1, NULL },
	{ "protocol_unreachable", 2, NULL }, { "port_unreachable", 3, NULL },
	{ "frag_needed", 4, NULL }, { "source_route_failed", 5, NULL },
	{ "net_unknown", 6, NULL }, { "host_unknown", 7, NULL },
	{ "source_host_isolated", 8, NULL }, { "net_prohibited", 9, NULL },
	{ "host_prohibited", 10, NULL }, { "net_unreachable_for_tos", 11, NULL },
	{ "host_unreachable_for_tos", 12, NULL }, { "packet_filtered", 13, NULL },
	{ "precedence_violation", 14, NULL }, { "precedence_cutoff", 15, NULL },
	{ NULL, 0, NULL },
};

static const struct icmp_name v4_types[] = {
	{ "echo_reply", 0, NULL }, { "unreachable", 3, v4_unreach_codes },
	{ "source_quench", 4, NULL }, { "redirect", 5, NULL }, { "echo_request", 8, NULL },
	{ "time_exceeded", 11, NULL }, { "parameter_problem", 12, NULL },
	{ "timestamp_request", 13, NULL }, { "timestamp_reply", 14, NULL },
	{ "information_request", 15, NULL }, { "information_reply", 16, NULL },
	{ "address_mask_request", 17, NULL }, { "address_mask_reply", 18, NULL },
	{ NULL, 0, NULL },
};

static const struct icmp_name v6_unreach_codes[] = {
	{ "net_unreachable", 0, NULL }, { "no_route", 0, NULL }, { "admin_prohibited", 1, NULL },
	{ "not_neighbour", 2, NULL }, { "address_unreachable", 3, NULL },
	{ "port_unreachable", 4, NULL }, { NULL, 0, NULL },
};

static const struct icmp_name v6_time_codes[] = {
	{ "exceeded_hop_limit", 0, NULL }, { "exceeded_frag_time", 1, NULL }, { NULL, 0, NULL },
};

static const struct icmp_name v6_param_codes[] = {
	{ "header_field", 0, NULL }, { "unknown_next_header", 1, NULL },
	{ "unknown_option", 2, NULL }, { NULL, 0, NULL },
};

static const struct icmp_name v6_types[] = {
	{ "unreachable", 1, v6_unreach_codes }, { "packet_too_big", 2, NULL },
	{ "time_exceeded", 3, v6_time_codes },
	{ "parameter_problem", 4, v6_param_codes },
	{ "echo_request", 128, NULL }, { "echo_reply", 129, NULL }, { NULL, 0, NULL },
};

/* "type_N"/"code_N": tcpdump's spelling of a number without a name. */
static bool numbered(const char *s, const char *prefix, uint8_t *v)
{
	size_t n = strlen(prefix);
	unsigned int x = 0;

	if (strncmp(s, prefix, n) || !s[n])
		return false;
	for (s += n; *s; s++) {
		if (*s < '0' || *s > '9' || (x = x * 10 + (unsigned int)(*s - '0')) > 255)
			return false;
	}
	*v = (uint8_t)x;
	return true;
}

static const struct icmp_name *lookup(const struct icmp_name *t, const char *s)
{
	for (; t && t->name; t++)
		if (!strcmp(t->name, s))
			return t;
	return NULL;
}

int icmp_resolve(const struct icmp_spec *spec, int family, uint8_t *type,
		 uint8_t *code, char **error)
{
	const struct icmp_name *t = lookup(family == AF_INET ? v4_types : v6_types,
					   spec->type), *c;
	bool v4 = family == AF_INET;

	if (t)
		*type = t->value;
	else if (!numbered(spec->type, "type_", type))
		return error_set(error, "bad ICMP type %s", spec->type);
	*code = 0;
	if (spec->code[0] && !numbered(spec->code, "code_", code)) {
		c = lookup(t ? t->codes : NULL, spec->code);
		if (!c)
			return error_set(error, "bad ICMP code %s", spec->code);
		*code = c->value;
	}
	if (spec->mtu >= 0) {
		if (v4 ? *type != ICMP4_UNREACH || *code != ICMP4_FRAG_NEEDED
		       : *type != ICMP6_TOO_BIG || *code != 0)
			return error_set(error, "ICMP%s MTU is only valid for %s",
					 v4 ? "v4" : "v6", v4 ?
					 "unreachable frag_needed" : "packet_too_big");
		if (v4 && spec->mtu > UINT16_MAX)
			return error_set(error, "ICMPv4 MTU %lld is out of 16-bit range",
					 (long long)spec->mtu);
	}
	return STATUS_OK;
}

/* An IP header of either family: src -> dst, carrying len bytes of next. */
static size_t ip_put(uint8_t *p, const struct ip_address *src,
		     const struct ip_address *dst, uint8_t tos, uint8_t ttl,
		     uint8_t next, size_t len)
{
	if (src->family == AF_INET) {
		memset(p, 0, IPV4_LEN);
		p[0] = 0x45;
		p[1] = tos;
		put16(p + 2, (uint16_t)(IPV4_LEN + len));
		p[8] = ttl;
		p[9] = next;
		memcpy(p + 12, &src->u.v4, 4);
		memcpy(p + 16, &dst->u.v4, 4);
		put16(p + 10, checksum_ipv4_header(p, IPV4_LEN));
		return IPV4_LEN;
	}
	put32(p, 6u << 28 | (uint32_t)tos << 20);
	put16(p + 4, (uint16_t)len);
	p[6] = next;
	p[7] = ttl;
	memcpy(p + 8, &src->u.v6, 16);
	memcpy(p + 24, &dst->u.v6, 16);
	return IPV6_LEN;
}

int icmp_build(const struct icmp_spec *spec, const struct icmp_about *about,
	       uint8_t tos, const uint8_t src_mac[6], const uint8_t dst_mac[6],
	       uint8_t *buf, size_t size, size_t *len, char **error)
{
	int family = about->src.family;
	bool v4 = family == AF_INET;
	size_t iplen = v4 ? IPV4_LEN : IPV6_LEN;
	size_t msglen = ICMP_HDR_LEN + iplen + ECHOED_L4_LEN;
	uint8_t type, code, *ip = buf + ETH_LEN, *msg, *echoed;

	*len = 0;
	if ((family != AF_INET && family != AF_INET6) || about->dst.family != family)
		return error_set(error, "ICMP message needs two IPv4 or two IPv6 addresses");
	if (icmp_resolve(spec, family, &type, &code, error) < 0)
		return STATUS_ERROR;
	if (ETH_LEN + iplen + msglen > size)
		return error_set(error, "ICMP frame of %zu bytes does not fit the "
				 "%zu-byte buffer", ETH_LEN + iplen + msglen, size);
	memcpy(buf, dst_mac, 6);
	memcpy(buf + 6, src_mac, 6);
	put16(buf + 12, v4 ? 0x0800 : 0x86dd);
	msg = ip + ip_put(ip, &about->dst, &about->src, tos, HOP_LIMIT,
			  v4 ? IPPROTO_ICMP : IPPROTO_ICMPV6, msglen);
	memset(msg, 0, ICMP_HDR_LEN);
	msg[0] = type;
	msg[1] = code;
	if (spec->echo_id)
		put16(msg + 4, spec->echo_id);
	if (spec->mtu >= 0 && v4)
		put16(msg + 6, (uint16_t)spec->mtu);	/* RFC 1191 next-hop MTU */
	else if (spec->mtu >= 0)
		put32(msg + 4, (uint32_t)spec->mtu);
	/* the segment as the kernel sent it: TTL 0, as packetdrill leaves it */
	echoed = msg + ICMP_HDR_LEN;
	echoed += ip_put(echoed, &about->src, &about->dst, 0, 0, IPPROTO_TCP,
			 TCP_HDR_LEN + (size_t)about->payload_len);
	put16(echoed, about->sport);
	put16(echoed + 2, about->dport);
	put32(echoed + 4, about->seq);
	if (v4)
		put16(msg + 2, checksum_fold(checksum_add(0, msg, msglen)));
	else
		put16(msg + 2, checksum_icmp6(&about->dst.u.v6, &about->src.u.v6,
					      msg, msglen));
	*len = ETH_LEN + iplen + msglen;
	return STATUS_OK;
}
