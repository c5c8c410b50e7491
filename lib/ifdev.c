/* ifdev.c - see ifdev.h. */
#include <errno.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "error.h"
#include "ifdev.h"

int ifdev_index(int fd, const char *ifname, int *ifindex, char **error)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (strlen(ifname) >= sizeof(ifr.ifr_name))
		return error_set(error, "interface name '%s' too long", ifname);
	strcpy(ifr.ifr_name, ifname);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0)
		return error_set(error, "interface %s: %s", ifname, strerror(errno));
	*ifindex = ifr.ifr_ifindex;
	return STATUS_OK;
}

static int ethtool_value(int fd, const char *ifname, uint32_t cmd,
			 uint32_t *value)
{
	struct ethtool_value ev = { .cmd = cmd, .data = *value };
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (void *)&ev;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
		return -1;
	*value = ev.data;
	return 0;
}

/*
 * In the order that turns them off: TSO and GSO before scatter-gather and
 * checksums, which they depend on (the kernel would drop them anyway, but
 * this way every request is one the device accepts).  Turning on goes
 * backwards.  GRO is last and independent.
 */
static const struct feature {
	uint32_t set, get;
	const char *name;
} features[] = {
	{ ETHTOOL_STSO, ETHTOOL_GTSO, "tcp-segmentation-offload" },
	{ ETHTOOL_SGSO, ETHTOOL_GGSO, "generic-segmentation-offload" },
	{ ETHTOOL_SSG, ETHTOOL_GSG, "scatter-gather" },
	{ ETHTOOL_STXCSUM, ETHTOOL_GTXCSUM, "tx-checksumming" },
};

static int feature_set(int fd, const char *ifname, const struct feature *f,
		       bool on, char **error)
{
	uint32_t value = on;
	int err;

	if (ethtool_value(fd, ifname, f->set, &value) == 0)
		return STATUS_OK;
	err = errno;
	if (err == EPERM)
		return error_skip(error, "%s: turn %s %s: %s (run as root)",
				  ifname, on ? "on" : "off", f->name, strerror(err));
	/* A feature the device cannot change is fine if it is as wanted. */
	value = 0;
	if ((err == EOPNOTSUPP || err == EINVAL) &&
	    ethtool_value(fd, ifname, f->get, &value) == 0 && !value == !on)
		return STATUS_OK;
	return error_set(error, "%s: turn %s %s: %s", ifname, on ? "on" : "off",
			 f->name, strerror(err));
}

int ifdev_offloads_set(int fd, const char *ifname, bool segmentation,
		       char **error)
{
	static const struct feature gro = {
		ETHTOOL_SGRO, ETHTOOL_GGRO, "generic-receive-offload"
	};
	size_t n = sizeof(features) / sizeof(features[0]);
	int ret;

	if (strlen(ifname) >= IFNAMSIZ)
		return error_set(error, "interface name '%s' too long", ifname);
	for (size_t i = 0; i < n; i++) {
		const struct feature *f = &features[segmentation ? n - 1 - i : i];

		if ((ret = feature_set(fd, ifname, f, segmentation, error)) < 0)
			return ret;
	}
	return feature_set(fd, ifname, &gro, false, error);
}
