/* check_testbed.c - a bed really carries TCP: a kernel listener answers an injected SYN, the harness stack stays silent, beds are independent and leave nothing behind. */
#include <arpa/inet.h>
#include <check.h>
#include <dirent.h>
#include <ifaddrs.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "netns.h"
#include "nft.h"
#include "packet.h"
#include "rtnl.h"
#include "skip.h"
#include "suites.h"
#include "testbed.h"
#include "wire.h"

#define KERNEL_PORT	8080
#define HARNESS_PORT	40000
#define SYN_SEQ		1000

/* A bed, or NULL when this kernel cannot have one (the test is skipped). */
static struct testbed *new_bed_gso(unsigned int mtu, bool gso)
{
	struct testbed_config cfg = { .mtu = mtu, .gso = gso };
	struct testbed *tb = NULL;
	char *error = NULL;
	int rc = testbed_new(&tb, &cfg, &error);

	if (rc == STATUS_SKIP) {
		SKIPPED(error);
		free(error);
		return NULL;
	}
	ck_assert_msg(rc == STATUS_OK, "testbed_new: %s", error);
	ck_assert_ptr_nonnull(tb);
	return tb;
}

static struct testbed *new_bed(unsigned int mtu)
{
	return new_bed_gso(mtu, false);
}

static double ts_seconds(const struct timespec *t)
{
	return (double)t->tv_sec + t->tv_nsec / 1e9;
}

static double now_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return ts_seconds(&t);
}

static struct timespec deadline_in(long ms)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_nsec -= 1000000000L;
		t.tv_sec++;
	}
	return t;
}

struct listener {
	int family;
	int fd;
};

/* Runs in the kernel namespace: the socket lives there for good. */
static int listen_fn(void *arg, char **error)
{
	struct listener *l = arg;
	struct sockaddr_storage ss;
	struct ip_address a;
	socklen_t len;
	int one = 1;

	testbed_kernel_addr(l->family, &a);
	len = ip_address_sockaddr(&a, KERNEL_PORT, &ss);
	l->fd = socket(l->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l->fd < 0)
		return error_set(error, "socket: %m");
	setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l->fd, (struct sockaddr *)&ss, len) < 0)
		return error_set(error, "bind: %m");
	if (listen(l->fd, 8) < 0)
		return error_set(error, "listen: %m");
	return STATUS_OK;
}

struct wire_args {
	int ifindex;		/* 0: look up ifname in the namespace */
	const char *ifname;
	uint32_t mark;
	struct wire *w;
};

static int wire_fn(void *arg, char **error)
{
	struct wire_args *a = arg;

	if (!a->ifindex && !(a->ifindex = (int)if_nametoindex(a->ifname)))
		return error_set(error, "%s: %m", a->ifname);
	return wire_open(&a->w, a->ifindex, a->mark, error);
}

/* A wire on the harness side of tb. */
static struct wire *harness_wire(const struct testbed *tb)
{
	struct wire_args a = { .ifindex = testbed_harness_ifindex(tb),
			       .mark = TESTBED_MARK };
	char *error = NULL;

	ck_assert_msg(netns_run(testbed_harness_ns(tb), wire_fn, &a, &error) == 0,
		      "wire_open: %s", error);
	return a.w;
}

static void build_segment(int family, bool to_kernel, uint8_t flags,
			  uint32_t seq, uint32_t ack, uint16_t sport,
			  uint16_t dport, struct tcp_segment *seg)
{
	memset(seg, 0, sizeof(*seg));
	if (to_kernel) {
		testbed_harness_addr(family, &seg->src);
		testbed_kernel_addr(family, &seg->dst);
	} else {
		testbed_kernel_addr(family, &seg->src);
		testbed_harness_addr(family, &seg->dst);
	}
	seg->sport = sport;
	seg->dport = dport;
	seg->seq = seq;
	seg->ack = ack;
	seg->flags = flags;
	seg->win = 65535;
	seg->noptions = 1;
	seg->options[0].kind = TCPOPT_MSS;
	seg->options[0].len = 4;
	seg->options[0].u.mss = 1460;
}

/*
 * Inject a SYN toward a listener on the kernel side of tb and check what
 * comes back: a SYN-ACK for it, with valid checksums, the bed's MACs and a
 * fresh kernel timestamp.
 */
static void check_handshake(const struct testbed *tb, int family)
{
	struct listener l = { .family = family, .fd = -1 };
	struct tcp_segment seg;
	struct packet_info info;
	struct ip_address kaddr, haddr;
	uint8_t frame[256], buf[2048];
	struct timespec ts, deadline;
	struct wire *w;
	char *error = NULL;
	size_t len;
	double sent;
	int rc;

	ck_assert_msg(netns_run(testbed_kernel_ns(tb), listen_fn, &l, &error) == 0,
		      "listener: %s", error);
	w = harness_wire(tb);
	build_segment(family, true, TCPF_SYN, SYN_SEQ, 0, HARNESS_PORT,
		      KERNEL_PORT, &seg);
	ck_assert_msg(packet_build_tcp(&seg, testbed_harness_mac(tb),
				       testbed_kernel_mac(tb), frame,
				       sizeof(frame), &len, &error) == 0,
		      "build SYN: %s", error);
	sent = now_seconds();
	ck_assert_msg(wire_send(w, frame, len, &error) == 0, "wire_send: %s", error);

	testbed_kernel_addr(family, &kaddr);
	testbed_harness_addr(family, &haddr);
	deadline = deadline_in(2000);
	for (;;) {
		rc = wire_recv(w, buf, sizeof(buf), &len, &ts, &deadline, &error);
		ck_assert_msg(rc >= 0, "wire_recv: %s", error);
		ck_assert_msg(rc == 1, "no SYN-ACK within 2 s");
		ck_assert_msg(packet_parse(buf, len, &info, &error) == 0,
			      "parse: %s", error);
		if (info.kind == PACKET_TCP && info.tcp.sport == KERNEL_PORT &&
		    info.tcp.dport == HARNESS_PORT)
			break;
	}
	ck_assert_int_eq(info.tcp.flags, TCPF_SYN | TCPF_ACK);
	ck_assert_uint_eq(info.tcp.ack, SYN_SEQ + 1);
	ck_assert_msg(info.checksum_ok, "SYN-ACK checksum is wrong (offload still on?)");
	ck_assert_int_eq(info.tcp.src.family, family);
	ck_assert_mem_eq(&info.tcp.src.u, &kaddr.u,
			 family == AF_INET ? 4 : 16);
	ck_assert_mem_eq(&info.tcp.dst.u, &haddr.u,
			 family == AF_INET ? 4 : 16);
	ck_assert_mem_eq(info.eth_src, testbed_kernel_mac(tb), 6);
	ck_assert_mem_eq(info.eth_dst, testbed_harness_mac(tb), 6);
	/* A kernel receive stamp: after we sent, and not in the future. */
	ck_assert_msg(ts.tv_sec != 0, "no timestamp");
	ck_assert_msg(ts_seconds(&ts) >= sent - 0.001 &&
		      ts_seconds(&ts) <= now_seconds() + 0.001,
		      "timestamp %.6f outside [%.6f, now]", ts_seconds(&ts), sent);
	wire_free(w);
	close(l.fd);
}

struct addr_scan {
	bool v4, v6, other_iface_v4, harness_v6;
};

static int scan_addresses(void *arg, char **error)
{
	struct addr_scan *s = arg;
	struct ifaddrs *ifa, *i;
	struct ip_address k4, k6;

	testbed_kernel_addr(AF_INET, &k4);
	testbed_kernel_addr(AF_INET6, &k6);
	if (getifaddrs(&ifa) < 0)
		return error_set(error, "getifaddrs: %m");
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr)
			continue;
		if (i->ifa_addr->sa_family == AF_INET) {
			const struct sockaddr_in *sin = (const void *)i->ifa_addr;

			if (!strcmp(i->ifa_name, TESTBED_KERNEL_IFNAME) &&
			    sin->sin_addr.s_addr == k4.u.v4.s_addr)
				s->v4 = true;
			else if (strcmp(i->ifa_name, "lo"))
				s->other_iface_v4 = true;
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			const struct sockaddr_in6 *sin6 = (const void *)i->ifa_addr;

			if (!strcmp(i->ifa_name, TESTBED_KERNEL_IFNAME) &&
			    !memcmp(&sin6->sin6_addr, &k6.u.v6, 16))
				s->v6 = true;
			if (!strcmp(i->ifa_name, TESTBED_HARNESS_IFNAME))
				s->harness_v6 = true;
		}
	}
	freeifaddrs(ifa);
	return STATUS_OK;
}

struct link_probe {
	const char *ifname;
	int mtu;
	int up;
	uint32_t txcsum, tso, gro;
};

static int probe_link(void *arg, char **error)
{
	struct link_probe *p = arg;
	struct ethtool_value ev;
	struct ifreq ifr;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return error_set(error, "socket: %m");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", p->ifname);
	if (ioctl(fd, SIOCGIFMTU, &ifr) < 0)
		goto fail;
	p->mtu = ifr.ifr_mtu;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		goto fail;
	p->up = !!(ifr.ifr_flags & IFF_UP);
	ifr.ifr_data = (void *)&ev;
	ev.cmd = ETHTOOL_GTXCSUM;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
		goto fail;
	p->txcsum = ev.data;
	ev.cmd = ETHTOOL_GTSO;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
		goto fail;
	p->tso = ev.data;
	ev.cmd = ETHTOOL_GGRO;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
		goto fail;
	p->gro = ev.data;
	close(fd);
	return STATUS_OK;
fail:
	error_set(error, "%s: %m", p->ifname);
	close(fd);
	return STATUS_ERROR;
}

START_TEST(bed_comes_up_with_addresses_links_and_offloads_off)
{
	struct addr_scan kscan = { 0 }, hscan = { 0 };
	struct link_probe kp = { .ifname = TESTBED_KERNEL_IFNAME };
	struct link_probe hp = { .ifname = TESTBED_HARNESS_IFNAME };
	struct testbed *tb;
	char *error = NULL;

	if (SKIP_WITHOUT_ROOT() || !(tb = new_bed(1520)))
		return;
	ck_assert_int_gt(testbed_harness_ifindex(tb), 0);
	ck_assert_msg(netns_run(testbed_kernel_ns(tb), scan_addresses, &kscan, &error) == 0,
		      "%s", error);
	ck_assert_msg(kscan.v4, "%s lacks %s", TESTBED_KERNEL_IFNAME, TESTBED_KERNEL_IPV4);
	ck_assert_msg(kscan.v6, "%s lacks %s", TESTBED_KERNEL_IFNAME, TESTBED_KERNEL_IPV6);
	ck_assert_msg(netns_run(testbed_harness_ns(tb), scan_addresses, &hscan, &error) == 0,
		      "%s", error);
	ck_assert_msg(!hscan.other_iface_v4, "harness side has an IPv4 address");
	/* Not even a link-local one: IPv6 is off on the harness side. */
	ck_assert_msg(!hscan.harness_v6, "harness side has an IPv6 address");

	ck_assert_msg(netns_run(testbed_kernel_ns(tb), probe_link, &kp, &error) == 0,
		      "%s", error);
	ck_assert_msg(netns_run(testbed_harness_ns(tb), probe_link, &hp, &error) == 0,
		      "%s", error);
	ck_assert_int_eq(kp.mtu, 1520);
	ck_assert_int_eq(hp.mtu, 1520);
	ck_assert_int_eq(kp.up, 1);
	ck_assert_int_eq(hp.up, 1);
	ck_assert_uint_eq(kp.txcsum, 0);
	ck_assert_uint_eq(kp.tso, 0);
	ck_assert_uint_eq(kp.gro, 0);
	ck_assert_uint_eq(hp.txcsum, 0);
	ck_assert_uint_eq(hp.gro, 0);
	testbed_free(tb);
}
END_TEST

START_TEST(gso_bed_has_segmentation_offloads_on_and_gro_off)
{
	struct link_probe kp = { .ifname = TESTBED_KERNEL_IFNAME };
	struct link_probe hp = { .ifname = TESTBED_HARNESS_IFNAME };
	struct testbed *tb;
	char *error = NULL;

	if (SKIP_WITHOUT_ROOT() || !(tb = new_bed_gso(9000, true)))
		return;
	ck_assert_msg(netns_run(testbed_kernel_ns(tb), probe_link, &kp, &error) == 0,
		      "%s", error);
	ck_assert_msg(netns_run(testbed_harness_ns(tb), probe_link, &hp, &error) == 0,
		      "%s", error);
	ck_assert_int_eq(kp.mtu, 9000);
	ck_assert_int_eq(hp.mtu, 9000);
	/* the kernel hands its veth super-segments, and ours lets GSO packets through */
	ck_assert_uint_eq(kp.txcsum, 1);
	ck_assert_uint_eq(kp.tso, 1);
	ck_assert_uint_eq(hp.txcsum, 1);
	ck_assert_uint_eq(hp.tso, 1);
	/* neither side merges what arrives */
	ck_assert_uint_eq(kp.gro, 0);
	ck_assert_uint_eq(hp.gro, 0);
	testbed_free(tb);
}
END_TEST

START_TEST(default_mtu_is_1500)
{
	struct link_probe kp = { .ifname = TESTBED_KERNEL_IFNAME };
	struct testbed *tb;
	char *error = NULL;

	if (SKIP_WITHOUT_ROOT() || !(tb = new_bed(0)))
		return;
	ck_assert_msg(netns_run(testbed_kernel_ns(tb), probe_link, &kp, &error) == 0,
		      "%s", error);
	ck_assert_int_eq(kp.mtu, 1500);
	testbed_free(tb);
}
END_TEST

START_TEST(listener_answers_injected_syn)
{
	int family = _i == 0 ? AF_INET : AF_INET6;
	struct testbed *tb;

	if (SKIP_WITHOUT_ROOT() || !(tb = new_bed(0)))
		return;
	check_handshake(tb, family);
	testbed_free(tb);
}
END_TEST

static int add_harness_address(void *arg, char **error)
{
	const struct testbed *tb = arg;
	struct ip_address h4, k4;
	struct rtnl *nl;
	int rc;

	testbed_harness_addr(AF_INET, &h4);
	testbed_kernel_addr(AF_INET, &k4);
	if ((rc = rtnl_open(&nl, error)) < 0)
		return rc;
	rc = rtnl_addr_add(nl, testbed_harness_ifindex(tb), &h4, 24, 0, error);
	if (rc == 0)
		rc = rtnl_neigh_add(nl, testbed_harness_ifindex(tb), &k4,
				    testbed_kernel_mac(tb), error);
	rtnl_close(nl);
	return rc;
}

struct counters {
	uint64_t ingress, egress;
};

static int read_counters(void *arg, char **error)
{
	struct counters *c = arg;

	return nft_silence_counters(&c->ingress, &c->egress, error);
}

START_TEST(harness_stack_does_not_answer)
{
	struct wire_args ka = { .ifname = TESTBED_KERNEL_IFNAME };
	struct tcp_segment seg;
	struct counters c = { 0 };
	uint8_t frame[256], buf[2048];
	struct timespec ts, deadline;
	struct testbed *tb;
	char *error = NULL;
	size_t len;
	int rc;

	if (SKIP_WITHOUT_ROOT() || !(tb = new_bed(0)))
		return;
	/* Give the harness stack every reason to answer: the address the
	 * segment is for, and a neighbour entry, so a RST could leave at
	 * once.  Only the silencing table stands in its way. */
	ck_assert_msg(netns_run(testbed_harness_ns(tb), add_harness_address, tb, &error) == 0,
		      "%s", error);
	/* Inject from the kernel side and watch what comes back to it. */
	ck_assert_msg(netns_run(testbed_kernel_ns(tb), wire_fn, &ka, &error) == 0,
		      "kernel-side wire: %s", error);
	build_segment(AF_INET, false, TCPF_SYN | TCPF_ACK, 5000, 1001,
		      KERNEL_PORT, HARNESS_PORT + 1, &seg);
	ck_assert_msg(packet_build_tcp(&seg, testbed_kernel_mac(tb),
				       testbed_harness_mac(tb), frame,
				       sizeof(frame), &len, &error) == 0,
		      "build: %s", error);
	ck_assert_msg(wire_send(ka.w, frame, len, &error) == 0, "%s", error);
	deadline = deadline_in(100);
	rc = wire_recv(ka.w, buf, sizeof(buf), &len, &ts, &deadline, &error);
	ck_assert_msg(rc == 0, "harness side answered an unsolicited SYN-ACK (rc %d %s)",
		      rc, error ? error : "");
	/* ...and the frame did reach it, so the silence is not an accident. */
	ck_assert_msg(netns_run(testbed_harness_ns(tb), read_counters, &c, &error) == 0,
		      "counters: %s", error);
	ck_assert_uint_ge(c.ingress, 1);
	wire_free(ka.w);
	testbed_free(tb);
}
END_TEST

START_TEST(two_beds_at_once_both_work)
{
	struct testbed *a, *b;

	if (SKIP_WITHOUT_ROOT() || !(a = new_bed(0)))
		return;
	b = new_bed(0);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_ne(testbed_kernel_ns(a), testbed_kernel_ns(b));
	check_handshake(a, AF_INET);
	check_handshake(b, AF_INET);
	check_handshake(b, AF_INET6);
	check_handshake(a, AF_INET6);
	testbed_free(a);
	testbed_free(b);
}
END_TEST

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

START_TEST(beds_leave_no_descriptors)
{
	struct testbed *tb;
	int before;

	if (SKIP_WITHOUT_ROOT())
		return;
	before = count_fds();
	for (int i = 0; i < 20; i++) {
		if (!(tb = new_bed(0)))
			return;
		testbed_free(tb);
	}
	ck_assert_int_eq(count_fds(), before);
	testbed_free(NULL);
}
END_TEST

START_TEST(addresses_are_the_documented_ones)
{
	struct ip_address a;
	char text[INET6_ADDRSTRLEN];

	testbed_kernel_addr(AF_INET, &a);
	ck_assert_int_eq(a.family, AF_INET);
	ck_assert_str_eq(ip_address_format(&a, text, sizeof(text)), "192.0.2.1");
	testbed_harness_addr(AF_INET, &a);
	ck_assert_str_eq(ip_address_format(&a, text, sizeof(text)), "192.0.2.2");
	testbed_kernel_addr(AF_INET6, &a);
	ck_assert_int_eq(a.family, AF_INET6);
	ck_assert_str_eq(ip_address_format(&a, text, sizeof(text)), "2001:db8::1");
	testbed_harness_addr(AF_INET6, &a);
	ck_assert_str_eq(ip_address_format(&a, text, sizeof(text)), "2001:db8::2");
}
END_TEST

Suite *testbed_suite(void)
{
	Suite *s = suite_create("testbed");
	TCase *unit = tcase_create("unit");
	TCase *root = tcase_create("root");

	tcase_add_test(unit, addresses_are_the_documented_ones);
	suite_add_tcase(s, unit);

	tcase_set_timeout(root, 10);
	tcase_add_test(root, bed_comes_up_with_addresses_links_and_offloads_off);
	tcase_add_test(root, gso_bed_has_segmentation_offloads_on_and_gro_off);
	tcase_add_test(root, default_mtu_is_1500);
	tcase_add_loop_test(root, listener_answers_injected_syn, 0, 2);
	tcase_add_test(root, harness_stack_does_not_answer);
	tcase_add_test(root, two_beds_at_once_both_work);
	tcase_add_test(root, beds_leave_no_descriptors);
	suite_add_tcase(s, root);
	return s;
}
