/* rtnl.h - the few rtnetlink requests a test bed needs (veth, links, addresses, neighbours, routes), over one nl socket per namespace. */
#ifndef TCPCONF_RTNL_H
#define TCPCONF_RTNL_H

#include <stdbool.h>
#include <stdint.h>

#include "packet.h"

struct rtnl;

/*
 * Open a NETLINK_ROUTE socket in the calling thread's current namespace; it
 * stays bound to that namespace for good, wherever the thread goes next.
 * Every request below waits for its ack (10 s at most: a mute kernel is an
 * error, not a hang).  The caller owns *r.
 */
int rtnl_open(struct rtnl **r, char **error);
void rtnl_close(struct rtnl *r);

/* The socket's descriptor (owned by r).  Interface ioctls made on it
 * (ifdev.h) act on the socket's namespace. */
int rtnl_fd(const struct rtnl *r);

/* What a new veth pair looks like; the caller owns the strings. */
struct rtnl_veth {
	const char *name;		/* this end, in r's namespace */
	const uint8_t *mac;		/* NULL: kernel picks one */
	const char *peer_name;
	const uint8_t *peer_mac;
	int peer_netns_fd;		/* namespace of the peer, -1: r's own */
	unsigned int mtu;		/* both ends; 0 leaves the default */
	int ifindex, peer_ifindex;	/* 0: the kernel picks */
	bool up;			/* this end created administratively up; the
					 * peer cannot be (it would be opened before
					 * it is paired: ENOTCONN) */
};

/*
 * Create a veth pair.  STATUS_SKIP when veth is missing from the kernel or
 * privileges are lacking.
 */
int rtnl_veth_add(struct rtnl *r, const struct rtnl_veth *v, char **error);

/* Set a link up or down, and its MTU unless mtu is 0. */
int rtnl_link_set(struct rtnl *r, int ifindex, bool up, unsigned int mtu,
		  char **error);

/* Add addr/prefixlen to ifindex; flags are IFA_F_* (e.g. IFA_F_NODAD). */
int rtnl_addr_add(struct rtnl *r, int ifindex, const struct ip_address *addr,
		  unsigned int prefixlen, uint32_t flags, char **error);

/* Add a permanent neighbour entry: addr is at mac on ifindex. */
int rtnl_neigh_add(struct rtnl *r, int ifindex, const struct ip_address *addr,
		   const uint8_t mac[6], char **error);

/* Add a route to dst/prefixlen through ifindex (gateway NULL: on-link). */
int rtnl_route_add(struct rtnl *r, int ifindex, const struct ip_address *dst,
		   unsigned int prefixlen, const struct ip_address *gateway,
		   char **error);

/*
 * Ask the kernel how it routes to addr: *local is true when addr is one of
 * the namespace's own addresses and the local route for it is installed,
 * i.e. segments to it are delivered to sockets now.
 */
int rtnl_route_is_local(struct rtnl *r, const struct ip_address *addr,
			bool *local, char **error);

/*
 * *up is true when ifindex's operational state is UP.  The kernel sets it,
 * and attaches the link's real queueing discipline, from its link-watch work
 * after carrier comes on: until then frames sent on the link are dropped.
 */
int rtnl_link_is_up(struct rtnl *r, int ifindex, bool *up, char **error);

#endif
