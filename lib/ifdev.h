/* ifdev.h - a network device's index and offload switches, through the classic interface ioctls (SIOCGIFINDEX, SIOCETHTOOL) on any socket of the device's namespace. */
#ifndef TCPCONF_IFDEV_H
#define TCPCONF_IFDEV_H

#include <stdbool.h>

/*
 * Interface index of ifname.  fd is any socket (the caller's; e.g.
 * rtnl_fd()): the ioctl acts on the namespace the socket was made in.
 */
int ifdev_index(int fd, const char *ifname, int *ifindex, char **error);

/*
 * Set ifname's offloads (legacy ethtool ioctls on fd, as above).  GRO is
 * always off, so frames arrive as they were sent, unmerged.  segmentation
 * false: checksum offload, scatter-gather, TSO and GSO off too, so frames
 * leave with real checksums and as the segments TCP made.  true: all four
 * on, as on a tun device with offloads (packetdrill's): TCP hands the
 * device super-segments with partial checksums, and a GSO packet sent
 * through the device stays one packet.  STATUS_SKIP when privileges are
 * lacking.
 */
int ifdev_offloads_set(int fd, const char *ifname, bool segmentation,
		       char **error);

#endif
