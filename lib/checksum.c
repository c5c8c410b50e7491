/* checksum.c - see checksum.h.  The one's-complement sum of RFC 1071. */
#include <netinet/in.h>
#include <stdint.h>

#include "checksum.h"

/* Adding the sum's high half back into its low half keeps it congruent
 * modulo 0xffff (2^16 == 1 there), which is all the fold needs. */
static uint32_t checksum_carry(uint64_t sum)
{
	while (sum >> 32)
		sum = (sum & 0xffffffffu) + (sum >> 32);
	return (uint32_t)sum;
}

uint32_t checksum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t acc = sum;
	size_t i;

	/* Big-endian 16-bit words; an odd last byte is the high half of a
	 * word whose low half is zero (RFC 1071 section 4.1). */
	for (i = 0; i + 1 < len; i += 2)
		acc += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		acc += (uint32_t)p[len - 1] << 8;
	return checksum_carry(acc);
}

uint16_t checksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t checksum_ipv4_header(const void *hdr, size_t hlen)
{
	return checksum_fold(checksum_add(0, hdr, hlen));
}

/* The pseudo-header words (RFC 9293 3.1, RFC 8200 8.1) are added as
 * numbers rather than laid out as bytes: the sum does not care. */
static uint32_t checksum_pseudo6(const struct in6_addr *src,
				 const struct in6_addr *dst, uint8_t proto,
				 size_t len)
{
	uint32_t sum = 0;

	sum = checksum_add(sum, src, sizeof(*src));
	sum = checksum_add(sum, dst, sizeof(*dst));
	return checksum_carry((uint64_t)sum + (uint32_t)(len >> 16) +
			      (uint16_t)len + proto);
}

uint16_t checksum_tcp4(const struct in_addr *src, const struct in_addr *dst,
		       const void *segment, size_t len)
{
	uint32_t sum = 0;

	sum = checksum_add(sum, src, sizeof(*src));
	sum = checksum_add(sum, dst, sizeof(*dst));
	sum = checksum_carry((uint64_t)sum + IPPROTO_TCP + (uint16_t)len);
	return checksum_fold(checksum_add(sum, segment, len));
}

uint16_t checksum_tcp6(const struct in6_addr *src, const struct in6_addr *dst,
		       const void *segment, size_t len)
{
	uint32_t sum = checksum_pseudo6(src, dst, IPPROTO_TCP, len);

	return checksum_fold(checksum_add(sum, segment, len));
}

uint16_t checksum_icmp6(const struct in6_addr *src, const struct in6_addr *dst,
			const void *msg, size_t len)
{
	uint32_t sum = checksum_pseudo6(src, dst, IPPROTO_ICMPV6, len);

	return checksum_fold(checksum_add(sum, msg, len));
}
