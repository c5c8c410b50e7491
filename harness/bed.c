/*
 * bed.c - see bed.h.
 *
 * packetdrill's tun device has offloads on and is written through with a
 * virtio_net_hdr (netdev.c): what the kernel sends comes whole however
 * large, and a packet larger than the MTU goes in as it is, a GSO packet
 * of gso_size --mss when --mss is given.  A veth refuses a plain frame
 * beyond its MTU, so without --mss such a packet is a GSO one here too,
 * cut so that the receiver measures the same MSS.
 */
#include <sys/socket.h>

#include "bed.h"
#include "error.h"

/* packetdrill's runners pass --mtu=1520 for IPv6: 1460 bytes of MSS in both. */
#define DEFAULT_MTU_IPV4	1500
#define DEFAULT_MTU_IPV6	1520

int bed_settings(const struct option_values *v, const char *script,
		 int family, struct bed *b, char **error)
{
	b->gso = !v->gso_off;
	b->mtu = v->mtu ? (unsigned int)v->mtu :
		 family == AF_INET6 ? DEFAULT_MTU_IPV6 : DEFAULT_MTU_IPV4;
	b->mss = (unsigned int)v->mss;
	b->strict_segments = v->strict_segments;
	if (family == AF_INET6 && b->mtu < BED_MTU_MIN_IPV6)
		return error_set(error, "%s: --mtu=%u: IPv6 needs an MTU of at least %d",
				 script, b->mtu, BED_MTU_MIN_IPV6);
	return STATUS_OK;
}

unsigned int bed_gso_size(const struct bed *b, int family, size_t ip_len)
{
	size_t hdr_len = family == AF_INET6 ? 60 : 40;

	if (!b->gso || ip_len <= hdr_len)
		return 0;
	if (b->mss && ip_len - hdr_len > b->mss)
		return b->mss;
	if (ip_len > b->mtu && b->mtu > hdr_len)
		return b->mtu - (unsigned int)hdr_len;
	return 0;
}
