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
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "bed.h"
#include "error.h"
#include "option.h"

/* packetdrill's runners pass --mtu=1520 for IPv6: 1460 bytes of MSS in both. */
#define DEFAULT_MTU_IPV4	1500
#define DEFAULT_MTU_IPV6	1520

/* The script's --NAME as a number from min to max into *out, if present. */
static int script_number(const struct script *s, const char *name,
			 long long min, long long max, unsigned int *out,
			 char **error)
{
	const struct script_option *o = script_option_find(s, name);
	char label[32];
	long long v;

	if (!o)
		return STATUS_OK;
	snprintf(label, sizeof(label), "--%s", name);
	if (option_number(label, o->value, min, max, &v, error) < 0)
		return error_prefix(error, "%s:%d:%d", script_name(s), o->line,
				    o->column);
	*out = (unsigned int)v;
	return STATUS_OK;
}

static int script_gso(const struct script *s, bool *gso, char **error)
{
	const struct script_option *o = script_option_find(s, "gso");

	if (!o)
		return STATUS_OK;
	if (o->value && !strcmp(o->value, "on"))
		*gso = true;
	else if (o->value && !strcmp(o->value, "off"))
		*gso = false;
	else
		return error_set(error, "%s:%d:%d: --gso: expected on or off, found '%s'",
				 script_name(s), o->line, o->column,
				 o->value ? o->value : "");
	return STATUS_OK;
}

int bed_settings(const struct script *s, const struct exec_options *o,
		 int family, struct bed *b, char **error)
{
	b->gso = true;
	b->mtu = family == AF_INET6 ? DEFAULT_MTU_IPV6 : DEFAULT_MTU_IPV4;
	b->mss = 0;
	b->strict_segments = script_option_find(s, "strict_segments") ||
			     (o && o->strict_segments);
	/* the script's values are checked even where the command line wins */
	if (script_gso(s, &b->gso, error) < 0 ||
	    script_number(s, "mtu", BED_MTU_MIN, BED_MTU_MAX, &b->mtu, error) < 0 ||
	    script_number(s, "mss", 1, BED_MSS_MAX, &b->mss, error) < 0)
		return STATUS_ERROR;
	if (o && o->gso != EXEC_GSO_SCRIPT)
		b->gso = o->gso == EXEC_GSO_ON;
	if (o && o->mtu)
		b->mtu = o->mtu;
	if (o && o->mss)
		b->mss = o->mss;
	if (family == AF_INET6 && b->mtu < BED_MTU_MIN_IPV6)
		return error_set(error, "%s: --mtu=%u: IPv6 needs an MTU of at least %d",
				 script_name(s), b->mtu, BED_MTU_MIN_IPV6);
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
