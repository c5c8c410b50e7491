/*
 * rtnl.c - see rtnl.h.
 *
 * One request at a time through nl_talk(): send, then read until the ack
 * with our sequence number.  nl asks for extended acks, so a refusal comes
 * back with the kernel's own explanation, not just an errno.
 */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "error.h"
#include "nl.h"
#include "rtnl.h"

/* Requests are small; the answers are read into nl's own buffer. */
#define RTNL_BUF_SIZE	8192

/*
 * rtnl_lock is one lock for the whole host: a namespace being torn down
 * elsewhere can hold it for seconds, so wait long before calling the
 * kernel mute.
 */
#define RTNL_TIMEOUT_MS	10000

struct rtnl {
	struct nl *nl;
	char buf[RTNL_BUF_SIZE];
};

int rtnl_open(struct rtnl **r, char **error)
{
	struct rtnl *n;
	int ret;

	*r = NULL;
	n = calloc(1, sizeof(*n));
	if (!n)
		return error_set(error, "out of memory");
	ret = nl_open(&n->nl, NETLINK_ROUTE, "rtnetlink", RTNL_TIMEOUT_MS, error);
	if (ret < 0) {
		free(n);
		return ret;
	}
	*r = n;
	return STATUS_OK;
}

void rtnl_close(struct rtnl *r)
{
	if (!r)
		return;
	nl_close(r->nl);
	free(r);
}

int rtnl_fd(const struct rtnl *r)
{
	return nl_fd(r->nl);
}

/*
 * Send nlh and wait for its ack; cb (may be NULL) sees the answers before
 * it.  On a kernel error errno is left set to it and the message carries
 * strerror plus the extended-ack text; EPERM is a skip, since it only means
 * we are not privileged.
 */
static int rtnl_talk(struct rtnl *r, struct nlmsghdr *nlh, nl_msg_cb cb,
		     void *data, char **error)
{
	struct nl_exchange x;
	int ret;

	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = nl_seq(r->nl, 1);
	ret = nl_talk(r->nl, nlh, nlh->nlmsg_len, cb, data, &x, error);
	if (ret == STATUS_ERROR && x.error == EPERM)
		ret = error_skip(error, "%s (needs CAP_NET_ADMIN: run as root)",
				 strerror(EPERM));
	errno = x.error;
	return ret;
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

static int route_reply(const struct nlmsghdr *nlh, void *data, char **error)
{
	const struct rtmsg *rtm;
	bool *local = data;

	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return STATUS_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*rtm))
		return error_set(error, "malformed rtnetlink reply: route of %zu bytes",
				 mnl_nlmsg_get_payload_len(nlh));
	rtm = mnl_nlmsg_get_payload(nlh);
	*local = rtm->rtm_type == RTN_LOCAL;
	return STATUS_OK;
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

static int link_reply(const struct nlmsghdr *nlh, void *data, char **error)
{
	if (nlh->nlmsg_type != RTM_NEWLINK)
		return STATUS_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ifinfomsg))
		return error_set(error, "malformed rtnetlink reply: link of %zu bytes",
				 mnl_nlmsg_get_payload_len(nlh));
	/* nl checked the message's length; libmnl checks each attribute's. */
	mnl_attr_parse(nlh, sizeof(struct ifinfomsg), link_attr, data);
	return STATUS_OK;
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
