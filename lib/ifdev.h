/* ifdev.h - a network device's index and offload switches, through the classic interface ioctls (SIOCGIFINDEX, SIOCETHTOOL) on any socket of the device's namespace. */
#ifndef TCPCONF_IFDEV_H
#define TCPCONF_IFDEV_H

/*
 * Interface index of ifname.  fd is any socket (the caller's; e.g.
 * rtnl_fd()): the ioctl acts on the namespace the socket was made in.
 */
int ifdev_index(int fd, const char *ifname, int *ifindex, char **error);

/*
 * Turn off checksum offload, scatter-gather, TSO, GSO and GRO on ifname
 * (legacy ethtool ioctls on fd, as above): frames then leave with real
 * checksums and as the segments TCP made, and arrive unmerged.
 * STATUS_SKIP when privileges are lacking.
 */
int ifdev_offloads_off(int fd, const char *ifname, char **error);

#endif
