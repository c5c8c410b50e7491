/*
 * capture_netlink.c - records real kernel replies as seeds for fuzz_netlink
 * (tests/corpus/netlink/).  Root only; everything happens in a private
 * network namespace that dies with the process.  Not part of `make`:
 *   cc -std=gnu11 -D_GNU_SOURCE -Ilib -o build/capture_netlink \
 *      tests/capture_netlink.c lib/diag.c lib/nft.c lib/nl.c lib/error.c \
 *      -lmnl -lnftnl && build/capture_netlink tests/corpus/netlink
 * Each seed is one selector byte (fuzz_netlink.c: 0 diag, 1 rtnl, 2 nft)
 * followed by the replies of one request as read, reads concatenated.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "diag.h"
#include "nft.h"

static const char *dir;

/* Send req on a fresh socket of bus, save every reply read within 200 ms after the last one. */
static void capture(int bus, const void *req, size_t len, uint8_t selector,
		    const char *name)
{
	static uint8_t out[65536], buf[32768];
	struct pollfd p;
	size_t used = 1;
	char path[512];
	FILE *f;
	int one = 1, fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, bus);

	if (fd < 0) {
		perror(name);
		return;
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (send(fd, req, len, 0) < 0) {
		perror(name);
		close(fd);
		return;
	}
	out[0] = selector;
	p.fd = fd;
	p.events = POLLIN;
	while (poll(&p, 1, 200) > 0) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n <= 0 || used + (size_t)n > sizeof(out))
			break;
		memcpy(out + used, buf, (size_t)n);
		used += (size_t)n;
	}
	close(fd);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(out, 1, used, f) != used)
		perror(path);
	if (f)
		fclose(f);
	printf("%s: %zu bytes\n", name, used - 1);
}

/* A small rtnetlink request: header, a family struct of flen bytes, one optional attribute. */
static size_t rtnl_req(uint8_t *buf, uint16_t type, uint16_t flags,
		       const void *fam, size_t flen, uint16_t atype,
		       const void *attr, size_t alen)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlattr *a;

	memset(buf, 0, 256);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = 4242;
	memcpy(buf + NLMSG_HDRLEN, fam, flen);
	nlh->nlmsg_len = NLMSG_HDRLEN + NLMSG_ALIGN(flen);
	if (attr) {
		a = (struct nlattr *)(buf + nlh->nlmsg_len);
		a->nla_type = atype;
		a->nla_len = NLA_HDRLEN + alen;
		memcpy(a + 1, attr, alen);
		nlh->nlmsg_len += NLA_ALIGN(a->nla_len);
	}
	return nlh->nlmsg_len;
}

static void rtnl_seeds(void)
{
	struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_prefixlen = 33, .ifa_index = 1 };
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = 1 };
	struct rtmsg rtm = { .rtm_family = AF_INET, .rtm_dst_len = 32 };
	struct in_addr lo = { htonl(INADDR_LOOPBACK) };
	uint8_t req[256] __attribute__((aligned(4)));
	size_t len;

	len = rtnl_req(req, RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE,
		       &ifa, sizeof(ifa), IFA_LOCAL, &lo, 4);
	capture(NETLINK_ROUTE, req, len, 1, "rtnl-refused-ext-ack");
	len = rtnl_req(req, RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, &ifi,
		       sizeof(ifi), 0, NULL, 0);
	capture(NETLINK_ROUTE, req, len, 1, "rtnl-getlink-lo");
	len = rtnl_req(req, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_ACK, &rtm,
		       sizeof(rtm), RTA_DST, &lo, 4);
	capture(NETLINK_ROUTE, req, len, 1, "rtnl-getroute-local");
	ifi.ifi_index = 77;
	len = rtnl_req(req, RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, &ifi,
		       sizeof(ifi), 0, NULL, 0);
	capture(NETLINK_ROUTE, req, len, 1, "rtnl-getlink-enodev");
}

static void nft_seeds(void)
{
	static uint8_t batch[8192] __attribute__((aligned(4)));
	unsigned int nmsgs;
	size_t len;

	struct nlmsghdr *table;

	if (nft_silence_build(batch, sizeof(batch), "lo", 1, 100, &len, &nmsgs,
			      NULL) < 0)
		return;
	/* NEWTABLE made DELTABLE of a table that is not there: refused */
	table = (struct nlmsghdr *)(batch + NLMSG_ALIGN(((struct nlmsghdr *)batch)->nlmsg_len));
	table->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_DELTABLE;
	capture(NETLINK_NETFILTER, batch, len, 2, "nft-batch-refused");
	table->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWTABLE;
	capture(NETLINK_NETFILTER, batch, len, 2, "nft-batch-acks");
}

static void diag_seeds(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr = { htonl(INADDR_LOOPBACK) } };
	socklen_t sl = sizeof(sin);
	uint8_t req[128] __attribute__((aligned(4)));
	int l, c, s;
	size_t len;

	l = socket(AF_INET, SOCK_STREAM, 0);
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || c < 0 || bind(l, (struct sockaddr *)&sin, sl) < 0 ||
	    listen(l, 1) < 0 || getsockname(l, (struct sockaddr *)&sin, &sl) < 0 ||
	    connect(c, (struct sockaddr *)&sin, sl) < 0 || (s = accept(l, NULL, NULL)) < 0) {
		perror("loopback connection");
		return;
	}
	close(c);		/* c goes to FIN_WAIT2, s to CLOSE_WAIT */
	usleep(20000);
	if (diag_request_build(req, sizeof(req), AF_INET, 4242, &len, NULL) == 0)
		capture(NETLINK_SOCK_DIAG, req, len, 0, "diag-dump-v4");
	close(s);
	close(l);
}

static void lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		perror("lo");
	ifr.ifr_flags |= IFF_UP;
	if (fd >= 0 && ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		perror("lo up");
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	if (unshare(CLONE_NEWNET) < 0) {
		perror("unshare(CLONE_NEWNET)");
		return 1;
	}
	lo_up();
	rtnl_seeds();
	diag_seeds();
	nft_seeds();		/* last: the table it installs drops everything on lo */
	return 0;
}
