/*
 * testbed.c - see testbed.h.
 *
 * The bed is built with as few kernel round trips as possible: the veth
 * pair is created in one request, the kernel end already up and the peer
 * born straight into the harness namespace, and sysctls that new interfaces
 * inherit are set on "default" before the interfaces exist.  Nothing is
 * kept open but the two namespace descriptors.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_addr.h>

#include "error.h"
#include "ifdev.h"
#include "netns.h"
#include "nft.h"
#include "rtnl.h"
#include "sandbox.h"
#include "sysctl.h"
#include "testbed.h"

/* Locally administered, fixed: every bed is alike, and frames read easily. */
static const uint8_t kernel_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t harness_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

/* How long the IPv6 local route may take to appear (it is installed by the
 * kernel's addrconf work queue, not by the RTM_NEWADDR request itself).
 * 1 s was too short with both CPUs saturated: 16 of 52 beds gave up. */
#define LOCAL_ROUTE_WAIT_S	5
#define LOCAL_ROUTE_WAIT_NS	(LOCAL_ROUTE_WAIT_S * 1000 * 1000 * 1000L)

/* Interface numbers of the veth ends (see kernel_setup). */
#define KERNEL_IFINDEX		16
#define HARNESS_IFINDEX		32

/* How long carrier may take to reach a link's operational state. */
#define LINK_UP_WAIT_NS		(5 * 1000 * 1000 * 1000L)

struct testbed {
	struct netns *kernel, *harness;
	int harness_ifindex;
	unsigned int mtu;
	bool gso;			/* testbed_config's */
};

/*
 * Write a sysctl of the namespace the thread is in right now.  A missing
 * sysctl means a missing feature (no IPv6): fine when optional, else a
 * skip; so is a read-only /proc/sys (containers: sysctl_set says so).
 */
static int sysctl_here(const char *name, const char *value, bool optional,
		       char **error)
{
	if (!sysctl_exists(name))
		return optional ? STATUS_OK :
		       error_skip(error, "kernel lacks %s (no IPv6?)", name);
	return sysctl_set(name, value, error);
}

static int harness_sysctls(void *arg, char **error)
{
	(void)arg;	/* a netns_run() callback */
	/* Before tcph0 exists, so it is born without IPv6: no MLD, router
	 * solicitations or DAD from the harness's own stack.  A kernel
	 * without IPv6 has nothing to switch off. */
	int ret;

	if ((ret = sysctl_here("net.ipv6.conf.all.disable_ipv6", "1", true, error)) < 0 ||
	    (ret = sysctl_here("net.ipv6.conf.default.disable_ipv6", "1", true, error)) < 0)
		return ret;
	return STATUS_OK;
}

static int kernel_setup(void *arg, char **error)
{
	static const char *const sysctls[][2] = {
		{ "net.ipv6.conf.all.accept_dad", "0" },
		{ "net.ipv6.conf.default.accept_dad", "0" },
		{ "net.ipv6.conf.all.router_solicitations", "0" },
		{ "net.ipv6.conf.default.router_solicitations", "0" },
	};
	struct testbed *tb = arg;
	struct ip_address k4, k6, h4, h6;
	struct rtnl *nl = NULL;
	struct rtnl_veth veth = {
		.name = TESTBED_KERNEL_IFNAME,
		.mac = kernel_mac,
		.peer_name = TESTBED_HARNESS_IFNAME,
		.peer_mac = harness_mac,
		.peer_netns_fd = netns_fd(tb->harness),
		.mtu = tb->mtu,
		.up = true,
		/*
		 * Distinct numbers, although each end sits in a namespace of
		 * its own: the kernel's link watch treats a carrier change as
		 * urgent when a link's ifindex differs from its peer's
		 * (iflink); with both at 2 it batches the event, up to a
		 * second later on 6.1, and until it runs frames are dropped.
		 */
		.ifindex = KERNEL_IFINDEX,
		.peer_ifindex = HARNESS_IFINDEX,
	};
	struct timespec start, now;
	bool local = false;
	int ifindex, ret;

	for (size_t i = 0; i < sizeof(sysctls) / sizeof(sysctls[0]); i++)
		if ((ret = sysctl_here(sysctls[i][0], sysctls[i][1], false, error)) < 0)
			return ret;
	ret = rtnl_open(&nl, error);
	if (ret < 0)
		return ret;

	testbed_kernel_addr(AF_INET, &k4);
	testbed_kernel_addr(AF_INET6, &k6);
	testbed_harness_addr(AF_INET, &h4);
	testbed_harness_addr(AF_INET6, &h6);

	if ((ret = rtnl_veth_add(nl, &veth, error)) < 0 ||
	    (ret = ifdev_index(rtnl_fd(nl), TESTBED_KERNEL_IFNAME, &ifindex, error)) < 0 ||
	    (ret = ifdev_offloads_set(rtnl_fd(nl), TESTBED_KERNEL_IFNAME, tb->gso, error)) < 0 ||
	    (ret = rtnl_link_set(nl, 1, true, 0, error)) < 0 ||
	    (ret = rtnl_addr_add(nl, ifindex, &k4, 24, 0, error)) < 0 ||
	    (ret = rtnl_addr_add(nl, ifindex, &k6, 64, IFA_F_NODAD, error)) < 0 ||
	    (ret = rtnl_neigh_add(nl, ifindex, &h4, harness_mac, error)) < 0 ||
	    (ret = rtnl_neigh_add(nl, ifindex, &h6, harness_mac, error)) < 0)
		goto out;

	/* The IPv6 address is usable at once (IFA_F_NODAD), but its local
	 * route comes from a work queue: wait for it, so a SYN sent the
	 * moment the bed is up is not dropped. */
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if ((ret = rtnl_route_is_local(nl, &k6, &local, error)) < 0)
			goto out;
		if (local)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - start.tv_sec) * 1000000000L +
		    (now.tv_nsec - start.tv_nsec) > LOCAL_ROUTE_WAIT_NS) {
			ret = error_set(error, "local route for %s did not appear within %d s",
					TESTBED_KERNEL_IPV6, LOCAL_ROUTE_WAIT_S);
			goto out;
		}
		usleep(100);
	}
out:
	rtnl_close(nl);
	return ret;
}

static int64_t ns_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000000000L +
	       (now.tv_nsec - start->tv_nsec);
}

/*
 * Wait until the kernel's link-watch work has marked ifindex operationally
 * up.  That work also swaps the link's placeholder queueing discipline,
 * which drops every frame, for the real one: a SYN-ACK sent before then is
 * lost (seen under load with many beds starting at once).
 */
static int wait_link_up(struct rtnl *nl, int ifindex, const char *name,
			char **error)
{
	struct timespec start;
	bool up = false;
	int ret;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if ((ret = rtnl_link_is_up(nl, ifindex, &up, error)) < 0)
			return ret;
		if (up)
			return STATUS_OK;
		if (ns_since(&start) > LINK_UP_WAIT_NS)
			return error_set(error, "%s not operationally up within 5 s",
					 name);
		usleep(100);
	}
}

static int kernel_link_up(void *arg, char **error)
{
	struct rtnl *nl = NULL;
	int ifindex, ret;

	(void)arg;	/* a netns_run() callback */
	ret = rtnl_open(&nl, error);
	if (ret < 0)
		return ret;
	if ((ret = ifdev_index(rtnl_fd(nl), TESTBED_KERNEL_IFNAME, &ifindex, error)) == 0)
		ret = wait_link_up(nl, ifindex, TESTBED_KERNEL_IFNAME, error);
	rtnl_close(nl);
	return ret;
}

static int harness_setup(void *arg, char **error)
{
	struct testbed *tb = arg;
	struct rtnl *nl = NULL;
	int ret;

	ret = rtnl_open(&nl, error);
	if (ret < 0)
		return ret;
	if ((ret = ifdev_index(rtnl_fd(nl), TESTBED_HARNESS_IFNAME, &tb->harness_ifindex, error)) < 0 ||
	    (ret = ifdev_offloads_set(rtnl_fd(nl), TESTBED_HARNESS_IFNAME, tb->gso, error)) < 0)
		goto out;
	/* Silenced before it is up: the harness stack never gets a moment
	 * on the wire. */
	ret = nft_silence_apply(TESTBED_HARNESS_IFNAME, TESTBED_MARK, error);
	if (ret < 0) {
		if (ret == STATUS_ERROR)
			error_prefix(error, "silence %s", TESTBED_HARNESS_IFNAME);
		goto out;
	}
	ret = rtnl_link_set(nl, tb->harness_ifindex, true, 0, error);
	if (ret == 0)
		ret = wait_link_up(nl, tb->harness_ifindex, TESTBED_HARNESS_IFNAME,
				   error);
out:
	rtnl_close(nl);
	return ret;
}

/* netns_run turns any failure into STATUS_ERROR-or-fn's value; keep a
 * skip a skip, and say which side failed. */
static int run_step(const struct netns *ns, int (*fn)(void *, char **),
		    struct testbed *tb, const char *what, char **error)
{
	int ret = netns_run(ns, fn, tb, error);

	if (ret == STATUS_ERROR)
		error_prefix(error, "%s", what);
	return ret;
}

/*
 * The kernel side: a sandboxed process's own network namespace, fresh and
 * already sealed (sandbox.h), for its first bed; a new one otherwise.
 * Making and tearing down a namespace is most of a bed's cost, and
 * without real-time priority (an ordinary user) cases running at once
 * felt it as late wake-ups.
 */
static int kernel_ns(struct netns **ns, char **error)
{
	static bool adopted;

	if (sandbox_is_active() && !adopted) {
		adopted = true;
		return netns_adopt_current(ns, error);
	}
	return netns_new(ns, error);
}

int testbed_new(struct testbed **tbp, const struct testbed_config *cfg,
		char **error)
{
	struct testbed *tb;
	int ret;

	*tbp = NULL;
	tb = calloc(1, sizeof(*tb));
	if (!tb)
		return error_set(error, "out of memory");
	tb->mtu = cfg && cfg->mtu ? cfg->mtu : 1500;
	tb->gso = cfg && cfg->gso;
	tb->harness_ifindex = -1;

	if ((ret = kernel_ns(&tb->kernel, error)) < 0 ||
	    (ret = netns_new(&tb->harness, error)) < 0) {
		if (ret == STATUS_ERROR)
			error_prefix(error, "create namespace");
		goto fail;
	}
	if ((ret = run_step(tb->harness, harness_sysctls, tb, "harness namespace", error)) < 0 ||
	    (ret = run_step(tb->kernel, kernel_setup, tb, "kernel namespace", error)) < 0 ||
	    (ret = run_step(tb->harness, harness_setup, tb, "harness namespace", error)) < 0 ||
	    (ret = run_step(tb->kernel, kernel_link_up, tb, "kernel namespace", error)) < 0)
		goto fail;
	*tbp = tb;
	return STATUS_OK;
fail:
	testbed_free(tb);
	return ret;
}

void testbed_free(struct testbed *tb)
{
	if (!tb)
		return;
	/* Closing the last references lets the kernel dismantle both
	 * namespaces, the veth pair and the nftables table with them. */
	netns_free(tb->kernel);
	netns_free(tb->harness);
	free(tb);
}

const struct netns *testbed_kernel_ns(const struct testbed *tb)
{
	return tb->kernel;
}

const struct netns *testbed_harness_ns(const struct testbed *tb)
{
	return tb->harness;
}

int testbed_harness_ifindex(const struct testbed *tb)
{
	return tb->harness_ifindex;
}

const uint8_t *testbed_harness_mac(const struct testbed *tb)
{
	(void)tb;	/* every bed has the same addresses */
	return harness_mac;
}

const uint8_t *testbed_kernel_mac(const struct testbed *tb)
{
	(void)tb;	/* every bed has the same addresses */
	return kernel_mac;
}

static void fill_addr(int family, const char *v4, const char *v6,
		      struct ip_address *out)
{
	memset(out, 0, sizeof(*out));
	out->family = family == AF_INET6 ? AF_INET6 : AF_INET;
	if (family == AF_INET6)
		inet_pton(AF_INET6, v6, &out->u.v6);
	else
		inet_pton(AF_INET, v4, &out->u.v4);
}

void testbed_kernel_addr(int family, struct ip_address *out)
{
	fill_addr(family, TESTBED_KERNEL_IPV4, TESTBED_KERNEL_IPV6, out);
}

void testbed_harness_addr(int family, struct ip_address *out)
{
	fill_addr(family, TESTBED_HARNESS_IPV4, TESTBED_HARNESS_IPV6, out);
}
