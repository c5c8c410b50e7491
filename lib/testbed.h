/* testbed.h - one private test bed: two namespaces joined by a veth pair, the harness side silenced. */
#ifndef TCPCONF_TESTBED_H
#define TCPCONF_TESTBED_H

#include <stdbool.h>
#include <stdint.h>

#include "netns.h"
#include "packet.h"

/* Documentation-range addresses (RFC 5737, RFC 3849), fixed for every bed. */
#define TESTBED_KERNEL_IPV4	"192.0.2.1"
#define TESTBED_HARNESS_IPV4	"192.0.2.2"
#define TESTBED_KERNEL_IPV6	"2001:db8::1"
#define TESTBED_HARNESS_IPV6	"2001:db8::2"
#define TESTBED_KERNEL_IFNAME	"tun0"	/* packetdrill's name: upstream defaults.sh configures tun0 */
#define TESTBED_HARNESS_IFNAME	"tcph0"
#define TESTBED_MARK		0x7463	/* SO_MARK of frames the harness injects */

struct testbed_config {
	unsigned int mtu;		/* veth MTU (both ends), 0 means 1500 */
	/*
	 * false: the wire view, offloads off on both ends, so the capture
	 * shows the segments TCP really sent, with real checksums.  true: the
	 * GSO view of packetdrill's tun device, segmentation offloads on both
	 * ends (GRO stays off): the kernel's TSO/GSO super-segments cross
	 * whole, and so do GSO packets the harness injects (wire_gso_on).
	 */
	bool gso;
};

struct testbed;

/*
 * Build a bed: namespaces "kernel" and "harness", veth pair between them,
 * kernel-side addresses (IFA_F_NODAD), links up, DAD and router
 * solicitations off, permanent neighbour entries for the harness addresses,
 * offloads as cfg->gso says, and the harness namespace's stack silenced by
 * nftables.
 * The calling thread's namespace is unchanged.  The caller owns *tb.
 * STATUS_SKIP when privileges or kernel features (netns, veth, nf_tables,
 * netdev egress hook) are missing.
 */
int testbed_new(struct testbed **tb, const struct testbed_config *cfg,
		char **error);

/* Tear down: close everything the bed holds; namespaces vanish with it. */
void testbed_free(struct testbed *tb);

/* Namespaces, owned by tb. */
const struct netns *testbed_kernel_ns(const struct testbed *tb);
const struct netns *testbed_harness_ns(const struct testbed *tb);

/* Harness-side interface index (in the harness namespace) and MACs. */
int testbed_harness_ifindex(const struct testbed *tb);
const uint8_t *testbed_harness_mac(const struct testbed *tb);
const uint8_t *testbed_kernel_mac(const struct testbed *tb);

/* Addresses of each side for a family (AF_INET or AF_INET6). */
void testbed_kernel_addr(int family, struct ip_address *out);
void testbed_harness_addr(int family, struct ip_address *out);

#endif
