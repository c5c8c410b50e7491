/*
 * rtnl.c - see rtnl.h.
 *
 * One request at a time: send, then read until the ack with our sequence
 * number.  Extended acks are asked for so a refusal comes back with the
 * kernel's own explanation, not just an errno.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <linux/veth.h>

#include "error.h"
#include "rtnl.h"

#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK		10
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK		11
#endif
#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED		0x100
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS		0x200
#endif
#ifndef NLMSGERR_ATTR_MSG
#define NLMSGERR_ATTR_MSG	1
#endif

#define RTNL_BUF_SIZE	8192

struct rtnl {
	struct mnl_socket *nl;
	unsigned int portid;
	uint32_t seq;
	char buf[RTNL_BUF_SIZE];
};

/* Called for every answer to a request that is not the ack itself. */
typedef int (*rtnl_reply_cb)(const struct nlmsghdr *nlh, void *data);

int rtnl_open(struct rtnl **r, char **error)
{
	struct rtnl *n;
	int one = 1;

	*r = NULL;
	n = calloc(1, sizeof(*n));
	if (!n)
		return error_set(error, "out of memory");
	n->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!n->nl) {
		int err = errno;

		free(n);
		return error_set(error, "rtnetlink socket: %s", strerror(err));
	}
	if (mnl_socket_bind(n->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = errno;

		mnl_socket_close(n->nl);
		free(n);
		return error_set(error, "rtnetlink bind: %s", strerror(err));
	}
	/* Both are optional: older kernels just give plainer errors. */
	mnl_socket_setsockopt(n->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(n->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	n->portid = mnl_socket_get_portid(n->nl);
	n->seq = 1;
	*r = n;
	return STATUS_OK;
}

void rtnl_close(struct rtnl *r)
{
	if (!r)
		return;
	mnl_socket_close(r->nl);
	free(r);
}

int rtnl_fd(const struct rtnl *r)
{
	return mnl_socket_get_fd(r->nl);
}

static int ext_ack_attr(const struct nlattr *attr, void *data)
{
	const char **msg = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		*msg = mnl_attr_get_str(attr);
	return MNL_CB_OK;
}

/* The kernel's text from an extended ack, or NULL. */
static const char *ext_ack_message(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const char *msg = NULL;
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += MNL_ALIGN(e->msg.nlmsg_len - sizeof(e->msg));
	if (mnl_nlmsg_get_payload_len(nlh) < off)
		return NULL;
	mnl_attr_parse(nlh, off, ext_ack_attr, &msg);
	return msg;
}

/*
 * Send nlh and wait for its ack.  On a kernel error errno is left set to it
 * and the message carries strerror plus the extended-ack text; EPERM is a
 * skip, since it only means we are not privileged.
 */
static int rtnl_talk(struct rtnl *r, struct nlmsghdr *nlh, rtnl_reply_cb cb,
		     void *data, char **error)
{
	uint32_t seq = r->seq++;
	ssize_t n;

	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(r->nl, nlh, nlh->nlmsg_len) < 0)
		return error_set(error, "rtnetlink send: %s", strerror(errno));
	for (;;) {
		const struct nlmsghdr *m;
		int len;

		n = mnl_socket_recvfrom(r->nl, r->buf, sizeof(r->buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return error_set(error, "rtnetlink receive: %s",
					 strerror(errno));
		}
		len = (int)n;
		for (m = (const struct nlmsghdr *)r->buf; mnl_nlmsg_ok(m, len);
		     m = mnl_nlmsg_next(m, &len)) {
			const struct nlmsgerr *e;
			const char *ext;
			int err;

			if (m->nlmsg_seq != seq || m->nlmsg_pid != r->portid)
				continue;	/* a stale answer */
			if (m->nlmsg_type != NLMSG_ERROR) {
				if (cb && cb(m, data) < 0)
					return error_set(error, "malformed rtnetlink reply");
				continue;
			}
			if (mnl_nlmsg_get_payload_len(m) < sizeof(*e))
				return error_set(error, "truncated rtnetlink ack");
			e = mnl_nlmsg_get_payload(m);
			if (e->error == 0)
				return STATUS_OK;
			err = -e->error;
			ext = ext_ack_message(m);
			if (err == EPERM)
				error_skip(error, "%s (needs CAP_NET_ADMIN: run as root)",
					   strerror(err));
			else
				error_set(error, "%s%s%s", strerror(err),
					  ext ? ": " : "", ext ? ext : "");
			errno = err;
			return err == EPERM ? STATUS_SKIP : STATUS_ERROR;
		}
	}
}

static struct nlmsghdr *rtnl_msg(struct rtnl *r, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;

	memset(r->buf, 0, sizeof(struct nlmsghdr) + 64);
	nlh = mnl_nlmsg_put_header(r->buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	return nlh;
}

static size_t addr_len(const struct ip_address *a)
{
	return a->family == AF_INET ? sizeof(a->u.v4) : sizeof(a->u.v6);
}

static int check_family(const struct ip_address *a, const char *what,
			char **error)
{
	if (!a || (a->family != AF_INET && a->family != AF_INET6))
		return error_set(error, "%s: address family must be AF_INET or AF_INET6",
				 what);
	return STATUS_OK;
}

int rtnl_veth_add(struct rtnl *r, const struct rtnl_veth *v, char **error)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm, *peer_ifm;
	struct nlattr *linkinfo, *info_data, *peer;
	int ret;

	nlh = rtnl_msg(r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = v->ifindex;
	if (v->up) {
		ifm->ifi_flags = IFF_UP;
		ifm->ifi_change = IFF_UP;
	}
	mnl_attr_put_strz(nlh, IFLA_IFNAME, v->name);
	if (v->mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, v->mac);
	if (v->mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, v->mtu);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	info_data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/* The peer's attributes follow an ifinfomsg of its own. */
	peer_ifm = mnl_nlmsg_get_payload_tail(nlh);
	memset(peer_ifm, 0, MNL_ALIGN(sizeof(*peer_ifm)));
	nlh->nlmsg_len += MNL_ALIGN(sizeof(*peer_ifm));
	peer_ifm->ifi_family = AF_UNSPEC;
	peer_ifm->ifi_index = v->peer_ifindex;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, v->peer_name);
	if (v->peer_mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, v->peer_mac);
	if (v->mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, v->mtu);
	if (v->peer_netns_fd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)v->peer_netns_fd);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, info_data);
	mnl_attr_nest_end(nlh, linkinfo);

	ret = rtnl_talk(r, nlh, NULL, NULL, error);
	if (ret == STATUS_ERROR && (errno == EOPNOTSUPP || errno == ENOTSUP))
		return error_skip(error, "no veth support in this kernel (%s)",
				  error && *error ? *error : "Operation not supported");
	if (ret < 0)
		error_prefix(error, "create veth %s/%s", v->name, v->peer_name);
	return ret;
}

int rtnl_ifindex(struct rtnl *r, const char *ifname, int *ifindex,
		 char **error)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (strlen(ifname) >= sizeof(ifr.ifr_name))
		return error_set(error, "interface name '%s' too long", ifname);
	strcpy(ifr.ifr_name, ifname);
	if (ioctl(rtnl_fd(r), SIOCGIFINDEX, &ifr) < 0)
		return error_set(error, "interface %s: %s", ifname, strerror(errno));
	*ifindex = ifr.ifr_ifindex;
	return STATUS_OK;
}

int rtnl_link_set(struct rtnl *r, int ifindex, bool up, unsigned int mtu,
		  char **error)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	int ret;

	nlh = rtnl_msg(r, RTM_NEWLINK, 0);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	ifm->ifi_flags = up ? IFF_UP : 0;
	ifm->ifi_change = IFF_UP;
	if (mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	ret = rtnl_talk(r, nlh, NULL, NULL, error);
	if (ret < 0)
		error_prefix(error, "set link %d %s", ifindex, up ? "up" : "down");
	return ret;
}

int rtnl_addr_add(struct rtnl *r, int ifindex, const struct ip_address *addr,
		  unsigned int prefixlen, uint32_t flags, char **error)
{
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	char text[INET6_ADDRSTRLEN];
	int ret;

	if (check_family(addr, "add address", error) < 0)
		return STATUS_ERROR;
	nlh = rtnl_msg(r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)addr->family;
	ifa->ifa_prefixlen = (uint8_t)prefixlen;
	ifa->ifa_flags = (uint8_t)flags;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (uint32_t)ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, addr_len(addr), &addr->u);
	mnl_attr_put(nlh, IFA_ADDRESS, addr_len(addr), &addr->u);
	if (flags)
		mnl_attr_put_u32(nlh, IFA_FLAGS, flags);
	ret = rtnl_talk(r, nlh, NULL, NULL, error);
	if (ret < 0)
		error_prefix(error, "add address %s/%u",
			     ip_address_format(addr, text, sizeof(text)), prefixlen);
	return ret;
}

int rtnl_neigh_add(struct rtnl *r, int ifindex, const struct ip_address *addr,
		   const uint8_t mac[6], char **error)
{
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;
	char text[INET6_ADDRSTRLEN];
	int ret;

	if (check_family(addr, "add neighbour", error) < 0)
		return STATUS_ERROR;
	nlh = rtnl_msg(r, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE);
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = (uint8_t)addr->family;
	ndm->ndm_ifindex = ifindex;
	ndm->ndm_state = NUD_PERMANENT;
	mnl_attr_put(nlh, NDA_DST, addr_len(addr), &addr->u);
	mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	ret = rtnl_talk(r, nlh, NULL, NULL, error);
	if (ret < 0)
		error_prefix(error, "add neighbour %s",
			     ip_address_format(addr, text, sizeof(text)));
	return ret;
}

int rtnl_route_add(struct rtnl *r, int ifindex, const struct ip_address *dst,
		   unsigned int prefixlen, const struct ip_address *gateway,
		   char **error)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	char text[INET6_ADDRSTRLEN];
	int ret;

	if (check_family(dst, "add route", error) < 0)
		return STATUS_ERROR;
	if (gateway && gateway->family != dst->family)
		return error_set(error, "add route: gateway family differs from destination");
	nlh = rtnl_msg(r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)dst->family;
	rtm->rtm_dst_len = (uint8_t)prefixlen;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put(nlh, RTA_DST, addr_len(dst), &dst->u);
	mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)ifindex);
	if (gateway)
		mnl_attr_put(nlh, RTA_GATEWAY, addr_len(gateway), &gateway->u);
	ret = rtnl_talk(r, nlh, NULL, NULL, error);
	if (ret < 0)
		error_prefix(error, "add route %s/%u",
			     ip_address_format(dst, text, sizeof(text)), prefixlen);
	return ret;
}

static int route_reply(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm;
	bool *local = data;

	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return 0;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*rtm))
		return -1;
	rtm = mnl_nlmsg_get_payload(nlh);
	*local = rtm->rtm_type == RTN_LOCAL;
	return 0;
}

int rtnl_route_is_local(struct rtnl *r, const struct ip_address *addr,
			bool *local, char **error)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	char text[INET6_ADDRSTRLEN];
	int ret;

	*local = false;
	if (check_family(addr, "get route", error) < 0)
		return STATUS_ERROR;
	nlh = rtnl_msg(r, RTM_GETROUTE, 0);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)addr->family;
	rtm->rtm_dst_len = addr->family == AF_INET ? 32 : 128;
	mnl_attr_put(nlh, RTA_DST, addr_len(addr), &addr->u);
	ret = rtnl_talk(r, nlh, route_reply, local, error);
	/* No route at all is an answer too, not a failure. */
	if (ret == STATUS_ERROR && (errno == ENETUNREACH || errno == EHOSTUNREACH)) {
		*local = false;
		return STATUS_OK;
	}
	if (ret < 0)
		error_prefix(error, "get route %s",
			     ip_address_format(addr, text, sizeof(text)));
	return ret;
}

static int link_attr(const struct nlattr *attr, void *data)
{
	bool *up = data;

	if (mnl_attr_get_type(attr) == IFLA_OPERSTATE &&
	    mnl_attr_validate(attr, MNL_TYPE_U8) == 0)
		*up = mnl_attr_get_u8(attr) == 6;	/* IF_OPER_UP: <linux/if.h> clashes with <net/if.h> */
	return MNL_CB_OK;
}

static int link_reply(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type != RTM_NEWLINK)
		return 0;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ifinfomsg))
		return -1;
	mnl_attr_parse(nlh, sizeof(struct ifinfomsg), link_attr, data);
	return 0;
}

int rtnl_link_is_up(struct rtnl *r, int ifindex, bool *up, char **error)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	int ret;

	*up = false;
	nlh = rtnl_msg(r, RTM_GETLINK, 0);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ret = rtnl_talk(r, nlh, link_reply, up, error);
	if (ret < 0)
		error_prefix(error, "get link %d", ifindex);
	return ret;
}

static int ethtool_value(struct rtnl *r, const char *ifname, uint32_t cmd,
			 uint32_t *value)
{
	struct ethtool_value ev = { .cmd = cmd, .data = *value };
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (void *)&ev;
	if (ioctl(rtnl_fd(r), SIOCETHTOOL, &ifr) < 0)
		return -1;
	*value = ev.data;
	return 0;
}

int rtnl_offloads_off(struct rtnl *r, const char *ifname, char **error)
{
	/* TSO and GSO before SG and checksums: the kernel would drop them
	 * anyway, but this way every request is one the device accepts. */
	static const struct {
		uint32_t set, get;
		const char *name;
	} features[] = {
		{ ETHTOOL_STSO, ETHTOOL_GTSO, "tcp-segmentation-offload" },
		{ ETHTOOL_SGSO, ETHTOOL_GGSO, "generic-segmentation-offload" },
		{ ETHTOOL_SSG, ETHTOOL_GSG, "scatter-gather" },
		{ ETHTOOL_STXCSUM, ETHTOOL_GTXCSUM, "tx-checksumming" },
		{ ETHTOOL_SGRO, ETHTOOL_GGRO, "generic-receive-offload" },
	};

	if (strlen(ifname) >= IFNAMSIZ)
		return error_set(error, "interface name '%s' too long", ifname);
	for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++) {
		uint32_t value = 0;
		int err;

		if (ethtool_value(r, ifname, features[i].set, &value) == 0)
			continue;
		err = errno;
		if (err == EPERM)
			return error_skip(error, "%s: turn off %s: %s (run as root)",
					  ifname, features[i].name, strerror(err));
		/* A feature the device cannot change is fine if it is off. */
		value = 0;
		if ((err == EOPNOTSUPP || err == EINVAL) &&
		    ethtool_value(r, ifname, features[i].get, &value) == 0 &&
		    value == 0)
			continue;
		return error_set(error, "%s: turn off %s: %s", ifname,
				 features[i].name, strerror(err));
	}
	return STATUS_OK;
}
