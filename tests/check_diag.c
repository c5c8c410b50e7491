/* check_diag.c - sock_diag requests and replies byte by byte, and (as root, in a private namespace) real ESTABLISHED and TIME_WAIT sockets. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "error.h"
#include "nlbytes.h"
#include "skip.h"
#include "suites.h"

/* Netlink headers and inet_diag_msg's counters are in host byte order (nlbytes.h); ports and addresses in network byte order: */
#define N16(x)	(((x) >> 8) & 0xff), ((x) & 0xff)

#define SEQ	0x1234

/* SOCK_DIAG_BY_FAMILY dump of every TCP state, IPv4. */
static const uint8_t request_v4[72] __attribute__((aligned(4))) = {
	/* nlmsghdr */
	H32(72),			/* nlmsg_len 16 + 56 */
	H16(20),			/* nlmsg_type SOCK_DIAG_BY_FAMILY */
	H16(0x0301),			/* nlmsg_flags NLM_F_REQUEST | NLM_F_DUMP */
	H32(SEQ),			/* nlmsg_seq */
	H32(0),				/* nlmsg_pid: the kernel */
	/* inet_diag_req_v2 */
	0x02,				/* sdiag_family AF_INET */
	0x06,				/* sdiag_protocol IPPROTO_TCP */
	0x00,				/* idiag_ext: no extensions */
	0x00,				/* pad */
	0xff, 0xff, 0xff, 0xff,		/* idiag_states: all */
	/* inet_diag_sockid: all zero, a dump ignores it */
	0x00, 0x00, 0x00, 0x00,		/* sport, dport */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* src */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* dst */
	0x00, 0x00, 0x00, 0x00,		/* if */
	0, 0, 0, 0, 0, 0, 0, 0,		/* cookie */
};

START_TEST(request_v4_bytes)
{
	uint8_t buf[128] __attribute__((aligned(4)));
	size_t len = 0;
	char *err = NULL;

	memset(buf, 0xa5, sizeof(buf));
	ck_assert_int_eq(diag_request_build(buf, sizeof(buf), AF_INET, SEQ,
					    &len, &err), STATUS_OK);
	ck_assert_uint_eq(len, sizeof(request_v4));
	ck_assert_mem_eq(buf, request_v4, sizeof(request_v4));
	ck_assert_uint_eq(buf[len], 0xa5);	/* nothing written past the request */
}
END_TEST

START_TEST(request_v6_differs_only_in_family)
{
	uint8_t buf[72] __attribute__((aligned(4)));
	size_t len = 0;

	ck_assert_int_eq(diag_request_build(buf, sizeof(buf), AF_INET6, SEQ,
					    &len, NULL), STATUS_OK);
	ck_assert_uint_eq(len, 72);
	ck_assert_uint_eq(buf[16], AF_INET6);
	buf[16] = AF_INET;
	ck_assert_mem_eq(buf, request_v4, sizeof(request_v4));
}
END_TEST

START_TEST(request_needs_room_and_a_known_family)
{
	uint8_t buf[71] __attribute__((aligned(4)));
	size_t len = 7;
	char *err = NULL;

	memset(buf, 0xa5, sizeof(buf));
	ck_assert_int_eq(diag_request_build(buf, sizeof(buf), AF_INET, SEQ,
					    &len, &err), STATUS_ERROR);
	ck_assert_ptr_nonnull(err);
	for (size_t i = 0; i < sizeof(buf); i++)
		ck_assert_uint_eq(buf[i], 0xa5);
	ck_assert_uint_eq(len, 7);
	free(err);
	err = NULL;
	ck_assert_int_eq(diag_request_build(buf, sizeof(buf), AF_UNIX, SEQ,
					    &len, &err), STATUS_ERROR);
	ck_assert_ptr_nonnull(err);
	free(err);
}
END_TEST

/* A dump reply: an ESTABLISHED socket on another port, the TIME_WAIT one we want, DONE. */
static const uint8_t reply_v4[88 + 88 + 20] __attribute__((aligned(4))) = {
	/* message 1: nlmsghdr */
	H32(88),			/* nlmsg_len 16 + 72 */
	H16(20),			/* nlmsg_type SOCK_DIAG_BY_FAMILY */
	H16(0x0002),			/* nlmsg_flags NLM_F_MULTI */
	H32(SEQ),			/* nlmsg_seq */
	H32(4242),			/* nlmsg_pid: our port id */
	/* inet_diag_msg */
	0x02,				/* idiag_family AF_INET */
	0x01,				/* idiag_state TCP_ESTABLISHED */
	0x00,				/* idiag_timer none */
	0x00,				/* idiag_retrans */
	N16(8080),			/* idiag_sport 8080 */
	N16(40001),			/* idiag_dport 40001: not ours */
	192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* idiag_src 192.0.2.1 */
	192, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* idiag_dst 192.0.2.2 */
	H32(0),				/* idiag_if */
	H32(0x11), H32(0x22),		/* idiag_cookie */
	H32(0),				/* idiag_expires */
	H32(0),				/* idiag_rqueue */
	H32(0),				/* idiag_wqueue */
	H32(0),				/* idiag_uid */
	H32(777),			/* idiag_inode */
	/* message 2: nlmsghdr */
	H32(88), H16(20), H16(0x0002), H32(SEQ), H32(4242),
	/* inet_diag_msg */
	0x02,				/* idiag_family AF_INET */
	0x06,				/* idiag_state TCP_TIME_WAIT */
	0x03,				/* idiag_timer 3: TIME_WAIT */
	0x00,				/* idiag_retrans */
	N16(8080),			/* idiag_sport 8080 */
	N16(40000),			/* idiag_dport 40000 */
	192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* idiag_src 192.0.2.1 */
	192, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* idiag_dst 192.0.2.2 */
	H32(0),				/* idiag_if */
	H32(0x33), H32(0x44),		/* idiag_cookie */
	H32(59000),			/* idiag_expires 59000 ms */
	H32(0),				/* idiag_rqueue */
	H32(0),				/* idiag_wqueue */
	H32(0),				/* idiag_uid */
	H32(0),				/* idiag_inode: TIME_WAIT has no file */
	/* message 3: NLMSG_DONE */
	H32(20),			/* nlmsg_len 16 + 4 */
	H16(3),				/* nlmsg_type NLMSG_DONE */
	H16(0x0002),			/* nlmsg_flags NLM_F_MULTI */
	H32(SEQ), H32(4242),
	H32(0),				/* the dump's status: 0 */
};

/* An IPv6 TIME_WAIT entry, then DONE in the same read. */
static const uint8_t reply_v6[88 + 20] __attribute__((aligned(4))) = {
	H32(88), H16(20), H16(0x0002), H32(SEQ), H32(4242),
	0x0a,				/* idiag_family AF_INET6 */
	0x06,				/* idiag_state TCP_TIME_WAIT */
	0x03,				/* idiag_timer 3: TIME_WAIT */
	0x00,				/* idiag_retrans */
	N16(40000),			/* idiag_sport 40000 */
	N16(8080),			/* idiag_dport 8080 */
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,	/* idiag_src 2001:db8::1 */
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,	/* idiag_dst 2001:db8::2 */
	H32(0),				/* idiag_if */
	H32(0), H32(0),			/* idiag_cookie */
	H32(31337),			/* idiag_expires 31337 ms */
	H32(0), H32(0), H32(0), H32(0),	/* rqueue, wqueue, uid, inode */
	H32(20), H16(3), H16(0x0002), H32(SEQ), H32(4242), H32(0),	/* NLMSG_DONE */
};

/* An IPv4 connection on a dual-stack socket: ::ffff:192.0.2.1, with queued bytes. */
static const uint8_t reply_mapped[88] __attribute__((aligned(4))) = {
	H32(88), H16(20), H16(0x0002), H32(SEQ), H32(4242),
	0x0a,				/* idiag_family AF_INET6 */
	0x08,				/* idiag_state TCP_CLOSE_WAIT */
	0x01,				/* idiag_timer 1: retransmit */
	0x02,				/* idiag_retrans 2 */
	N16(8080), N16(40000),		/* sport, dport */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1,	/* idiag_src ::ffff:192.0.2.1 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 2,	/* idiag_dst ::ffff:192.0.2.2 */
	H32(0), H32(0), H32(0),		/* if, cookie */
	H32(200),			/* idiag_expires 200 ms */
	H32(5),				/* idiag_rqueue 5 */
	H32(7),				/* idiag_wqueue 7 */
	H32(0),				/* idiag_uid */
	H32(4321),			/* idiag_inode */
};

/* An error in place of the dump: inet_diag has no TCP handler (ENOENT). */
static const uint8_t reply_error[36] __attribute__((aligned(4))) = {
	H32(36),			/* nlmsg_len 16 + 4 + 16 */
	H16(2),				/* nlmsg_type NLMSG_ERROR */
	H16(0x0100),			/* nlmsg_flags NLM_F_CAPPED */
	H32(SEQ), H32(4242),
	H32(-2),			/* error -ENOENT */
	H32(72), H16(20), H16(0x0301), H32(SEQ), H32(4242),	/* the request's header */
};

static struct ip_address addr(const char *text)
{
	struct ip_address a = { 0 };

	a.family = strchr(text, ':') ? AF_INET6 : AF_INET;
	ck_assert_int_eq(inet_pton(a.family, text, &a.u), 1);
	return a;
}

START_TEST(v4_time_wait_entry_found_past_another_socket)
{
	struct ip_address l = addr("192.0.2.1"), r = addr("192.0.2.2");
	struct diag_sock d;
	int done = -1;
	char *err = NULL;

	ck_assert_int_eq(diag_reply_find(reply_v4, sizeof(reply_v4), &l, 8080,
					 &r, 40000, &d, &done, &err), 1);
	ck_assert_ptr_null(err);
	ck_assert_int_eq(done, 1);
	ck_assert_uint_eq(d.state, 6);
	ck_assert_uint_eq(d.timer, 3);
	ck_assert_uint_eq(d.retrans, 0);
	ck_assert_uint_eq(d.expires_ms, 59000);
	ck_assert_uint_eq(d.inode, 0);

	/* the first entry is there too, on its own port */
	ck_assert_int_eq(diag_reply_find(reply_v4, sizeof(reply_v4), &l, 8080,
					 &r, 40001, &d, &done, &err), 1);
	ck_assert_uint_eq(d.state, 1);
	ck_assert_uint_eq(d.inode, 777);
}
END_TEST

START_TEST(v6_time_wait_entry_found)
{
	struct ip_address l = addr("2001:db8::1"), r = addr("2001:db8::2");
	struct diag_sock d;
	int done = 0;

	ck_assert_int_eq(diag_reply_find(reply_v6, sizeof(reply_v6), &l, 40000,
					 &r, 8080, &d, &done, NULL), 1);
	ck_assert_int_eq(done, 1);
	ck_assert_uint_eq(d.state, 6);
	ck_assert_uint_eq(d.timer, 3);
	ck_assert_uint_eq(d.expires_ms, 31337);
}
END_TEST

START_TEST(v4_connection_found_on_a_dual_stack_socket)
{
	struct ip_address l = addr("192.0.2.1"), r = addr("192.0.2.2");
	struct diag_sock d;
	int done = 1;

	ck_assert_int_eq(diag_reply_find(reply_mapped, sizeof(reply_mapped), &l,
					 8080, &r, 40000, &d, &done, NULL), 1);
	ck_assert_int_eq(done, 0);	/* no DONE in this read */
	ck_assert_uint_eq(d.state, 8);
	ck_assert_uint_eq(d.timer, 1);
	ck_assert_uint_eq(d.retrans, 2);
	ck_assert_uint_eq(d.expires_ms, 200);
	ck_assert_uint_eq(d.rqueue, 5);
	ck_assert_uint_eq(d.wqueue, 7);
	ck_assert_uint_eq(d.inode, 4321);
}
END_TEST

START_TEST(absent_when_any_of_the_four_differs)
{
	struct ip_address l = addr("192.0.2.1"), r = addr("192.0.2.2");
	struct ip_address other = addr("198.51.100.1");
	struct ip_address l6 = addr("2001:db8::1"), r6 = addr("2001:db8::2");
	struct diag_sock d;
	int done;

	/* swapped ends, wrong ports, wrong addresses, wrong family */
	ck_assert_int_eq(diag_reply_find(reply_v4, sizeof(reply_v4), &r, 40000,
					 &l, 8080, &d, &done, NULL), 0);
	ck_assert_int_eq(done, 1);
	ck_assert_int_eq(diag_reply_find(reply_v4, sizeof(reply_v4), &l, 8081,
					 &r, 40000, &d, &done, NULL), 0);
	ck_assert_int_eq(diag_reply_find(reply_v4, sizeof(reply_v4), &l, 8080,
					 &other, 40000, &d, &done, NULL), 0);
	ck_assert_int_eq(diag_reply_find(reply_v4, sizeof(reply_v4), &other, 8080,
					 &r, 40000, &d, &done, NULL), 0);
	ck_assert_int_eq(diag_reply_find(reply_v4, sizeof(reply_v4), &l6, 8080,
					 &r6, 40000, &d, &done, NULL), 0);
	ck_assert_int_eq(diag_reply_find(reply_v6, sizeof(reply_v6), &l6, 8080,
					 &r6, 40000, &d, &done, NULL), 0);
	/* an IPv6 query never matches a v4-mapped entry */
	ck_assert_int_eq(diag_reply_find(reply_mapped, sizeof(reply_mapped), &l6,
					 8080, &r6, 40000, &d, &done, NULL), 0);
}
END_TEST

START_TEST(done_alone_sets_done)
{
	struct ip_address l = addr("192.0.2.1"), r = addr("192.0.2.2");
	struct diag_sock d;
	int done = 0;

	ck_assert_int_eq(diag_reply_find(reply_v4 + 176, 20, &l, 8080, &r,
					 40000, &d, &done, NULL), 0);
	ck_assert_int_eq(done, 1);
	/* an empty read is no error, and not the end */
	ck_assert_int_eq(diag_reply_find(reply_v4, 0, &l, 8080, &r, 40000, &d,
					 &done, NULL), 0);
	ck_assert_int_eq(done, 0);
}
END_TEST

START_TEST(nlmsg_error_is_an_error_with_its_text)
{
	struct ip_address l = addr("192.0.2.1"), r = addr("192.0.2.2");
	struct diag_sock d;
	int done;
	char *err = NULL;

	ck_assert_int_eq(diag_reply_find(reply_error, sizeof(reply_error), &l,
					 8080, &r, 40000, &d, &done, &err),
			 STATUS_ERROR);
	ck_assert_ptr_nonnull(err);
	ck_assert_ptr_nonnull(strstr(err, strerror(ENOENT)));
	free(err);
	/* an error too short to hold its code */
	ck_assert_int_eq(diag_reply_find(reply_error, 16, &l, 8080, &r, 40000,
					 &d, &done, NULL), STATUS_ERROR);
}
END_TEST

/* Copies of a reply with one length field changed, checked on the heap so ASan can see overreads. */
static int find_in_copy(const uint8_t *src, size_t len, size_t cut,
			int patch_at, uint32_t patch)
{
	struct ip_address l = addr("192.0.2.1"), r = addr("192.0.2.2");
	uint8_t *copy = malloc(len);
	struct diag_sock d;
	char *err = NULL;
	int done, rc;

	memcpy(copy, src, len);
	if (patch_at >= 0)
		memcpy(copy + patch_at, &patch, 4);
	rc = diag_reply_find(copy, cut, &l, 8080, &r, 40000, &d, &done, &err);
	if (rc < 0)
		ck_assert_ptr_nonnull(err);
	free(err);
	free(copy);
	return rc;
}

START_TEST(truncated_or_inconsistent_replies_are_errors)
{
	/* cut inside the first header, inside the first message, inside the second */
	ck_assert_int_eq(find_in_copy(reply_v4, sizeof(reply_v4), 10, -1, 0), STATUS_ERROR);
	ck_assert_int_eq(find_in_copy(reply_v4, sizeof(reply_v4), 60, -1, 0), STATUS_ERROR);
	ck_assert_int_eq(find_in_copy(reply_v4, sizeof(reply_v4), 88 + 40, -1, 0), STATUS_ERROR);
	/* a length past the end of the read */
	ck_assert_int_eq(find_in_copy(reply_v4, sizeof(reply_v4), sizeof(reply_v4), 0, 4000), STATUS_ERROR);
	/* a length shorter than a header */
	ck_assert_int_eq(find_in_copy(reply_v4, sizeof(reply_v4), sizeof(reply_v4), 0, 8), STATUS_ERROR);
	/* 16 bytes whose length is 2^31: libmnl 1.0.4 takes it (int compare) and walked off the buffer */
	ck_assert_int_eq(find_in_copy(reply_v4, 16, 16, 0, 0x80000000u), STATUS_ERROR);
	ck_assert_int_eq(find_in_copy(reply_v4, sizeof(reply_v4), sizeof(reply_v4), 0, 0xfffffff0u), STATUS_ERROR);
	/* a socket message too short for struct inet_diag_msg */
	ck_assert_int_eq(find_in_copy(reply_v4, 40, 40, 0, 40), STATUS_ERROR);
	/* the whole of it is fine */
	ck_assert_int_eq(find_in_copy(reply_v4, sizeof(reply_v4), sizeof(reply_v4), -1, 0), 1);
}
END_TEST

START_TEST(done_with_a_negative_status_is_an_error)
{
	uint8_t done_err[20];
	int32_t status = -EBUSY;

	memcpy(done_err, reply_v4 + 176, 20);
	memcpy(done_err + 16, &status, 4);
	ck_assert_int_eq(find_in_copy(done_err, 20, 20, -1, 0), STATUS_ERROR);
}
END_TEST

START_TEST(state_names_follow_linux_numbering)
{
	static const char *const names[] = {
		NULL, "TCP_ESTABLISHED", "TCP_SYN_SENT", "TCP_SYN_RECV",
		"TCP_FIN_WAIT1", "TCP_FIN_WAIT2", "TCP_TIME_WAIT", "TCP_CLOSE",
		"TCP_CLOSE_WAIT", "TCP_LAST_ACK", "TCP_LISTEN", "TCP_CLOSING",
		"TCP_NEW_SYN_RECV",
	};

	for (unsigned int i = 1; i < sizeof(names) / sizeof(names[0]); i++)
		ck_assert_str_eq(diag_state_name(i), names[i]);
	ck_assert_ptr_null(diag_state_name(0));
	ck_assert_ptr_null(diag_state_name(13));
	ck_assert_ptr_null(diag_state_name(255));
	ck_assert_ptr_null(diag_state_name(~0u));
}
END_TEST

struct conn {
	int listener, client, server;
	struct ip_address addr;		/* loopback of the family */
	uint16_t client_port, server_port;
};

/* A loopback connection of family _i (0 IPv4, 1 IPv6); false (skipped) when IPv6 is missing. */
static bool connect_loopback(int i, struct conn *c)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl = sizeof(ss);
	int family = i ? AF_INET6 : AF_INET;

	memset(c, 0, sizeof(*c));
	c->addr.family = family;
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		c->addr.u.v4 = sin->sin_addr;
		sl = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = in6addr_loopback;
		c->addr.u.v6 = in6addr_loopback;
		sl = sizeof(*sin6);
	}
	c->listener = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->listener < 0 && family == AF_INET6) {
		SKIPPED("no IPv6");
		return false;
	}
	ck_assert_int_ge(c->listener, 0);
	if (bind(c->listener, (struct sockaddr *)&ss, sl) < 0 &&
	    family == AF_INET6) {
		close(c->listener);
		SKIPPED("no IPv6");	/* no ::1: IPv6 disabled */
		return false;
	}
	ck_assert_int_eq(listen(c->listener, 1), 0);
	ck_assert_int_eq(getsockname(c->listener, (struct sockaddr *)&ss, &sl), 0);
	c->server_port = ntohs(((struct sockaddr_in *)&ss)->sin_port);

	c->client = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(c->client, 0);
	ck_assert_int_eq(connect(c->client, (struct sockaddr *)&ss, sl), 0);
	c->server = accept(c->listener, NULL, NULL);
	ck_assert_int_ge(c->server, 0);
	sl = sizeof(ss);
	ck_assert_int_eq(getsockname(c->client, (struct sockaddr *)&ss, &sl), 0);
	c->client_port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return true;
}

/* diag_lookup of the client's end; false (skipped) when sock_diag is missing here. */
static bool lookup_client(const struct conn *c, struct diag_sock *d, int *found)
{
	char *err = NULL;

	*found = diag_lookup(&c->addr, c->client_port, &c->addr, c->server_port,
			     d, &err);
	if (*found == STATUS_SKIP) {
		SKIPPED(err);
		free(err);
		return false;
	}
	ck_assert_msg(*found >= 0, "diag_lookup: %s", err);
	return true;
}

START_TEST(real_connection_established_then_time_wait)
{
	struct diag_sock d;
	struct conn c;
	int found;

	if (SKIP_WITHOUT_NETNS() || SKIP_IF(test_lo_up()) ||
	    !connect_loopback(_i, &c))
		return;
	if (!lookup_client(&c, &d, &found))
		return;
	ck_assert_int_eq(found, 1);
	ck_assert_str_eq(diag_state_name(d.state), "TCP_ESTABLISHED");
	ck_assert_uint_ne(d.inode, 0);

	/* the client closes first, so it is the one left in TIME_WAIT */
	close(c.client);
	close(c.server);
	for (int tries = 0; tries < 100; tries++) {
		ck_assert(lookup_client(&c, &d, &found));
		if (found == 1 && d.state == 6)
			break;
		usleep(10000);
	}
	ck_assert_int_eq(found, 1);
	ck_assert_str_eq(diag_state_name(d.state), "TCP_TIME_WAIT");
	ck_assert_uint_eq(d.timer, 3);
	ck_assert_uint_gt(d.expires_ms, 0);
	ck_assert_uint_le(d.expires_ms, 60000);

	/* the passive closer keeps no socket (nothing but the listener) */
	ck_assert_int_eq(diag_lookup(&c.addr, c.server_port, &c.addr,
				     c.client_port, &d, NULL), 0);
	close(c.listener);
}
END_TEST

START_TEST(real_lookup_of_nothing_is_zero)
{
	struct ip_address l = addr("192.0.2.1"), r = addr("192.0.2.2");
	struct diag_sock d;
	char *err = NULL;
	int rc;

	if (SKIP_WITHOUT_NETNS() || SKIP_IF(test_lo_up()))
		return;
	rc = diag_lookup(&l, 8080, &r, 40000, &d, &err);
	if (rc == STATUS_SKIP) {
		SKIPPED(err);
		free(err);
		return;
	}
	ck_assert_msg(rc == 0, "diag_lookup: %d %s", rc, err);
}
END_TEST

START_TEST(lookup_refuses_mixed_families)
{
	struct ip_address l = addr("192.0.2.1"), r = addr("2001:db8::2");
	struct diag_sock d;
	char *err = NULL;

	ck_assert_int_eq(diag_lookup(&l, 1, &r, 2, &d, &err), STATUS_ERROR);
	ck_assert_ptr_nonnull(err);
	free(err);
}
END_TEST

Suite *diag_suite(void)
{
	Suite *s = suite_create("diag");
	TCase *tc = tcase_create("messages");
	TCase *root = tcase_create("kernel");

	tcase_add_test(tc, request_v4_bytes);
	tcase_add_test(tc, request_v6_differs_only_in_family);
	tcase_add_test(tc, request_needs_room_and_a_known_family);
	tcase_add_test(tc, v4_time_wait_entry_found_past_another_socket);
	tcase_add_test(tc, v6_time_wait_entry_found);
	tcase_add_test(tc, v4_connection_found_on_a_dual_stack_socket);
	tcase_add_test(tc, absent_when_any_of_the_four_differs);
	tcase_add_test(tc, done_alone_sets_done);
	tcase_add_test(tc, nlmsg_error_is_an_error_with_its_text);
	tcase_add_test(tc, truncated_or_inconsistent_replies_are_errors);
	tcase_add_test(tc, done_with_a_negative_status_is_an_error);
	tcase_add_test(tc, state_names_follow_linux_numbering);
	tcase_add_test(tc, lookup_refuses_mixed_families);
	suite_add_tcase(s, tc);

	tcase_add_loop_test(root, real_connection_established_then_time_wait, 0, 2);
	tcase_add_test(root, real_lookup_of_nothing_is_zero);
	suite_add_tcase(s, root);
	return s;
}
