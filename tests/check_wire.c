/* check_wire.c - the raw wire on a private loopback: TCP frames come back once, stamped; everything else is filtered; deadlines and truncation behave. */
#include <check.h>
#include <poll.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "packet.h"
#include "rtnl.h"
#include "skip.h"
#include "suites.h"
#include "wire.h"

#define MARK	0x7463

static const uint8_t mac_a[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0b };

/*
 * IPv4 UDP, 192.0.2.2:5000 -> 192.0.2.1:53, 4 bytes of payload.  Not TCP,
 * so the filter must drop it.  Checksums are not looked at by anyone.
 */
static const uint8_t udp_frame[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x0a,	/* dst MAC */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x0b,	/* src MAC */
	0x08, 0x00,				/* IPv4 */
	0x45, 0x00, 0x00, 0x20,			/* v4, IHL 5, total 32 */
	0x00, 0x00, 0x40, 0x00,			/* id 0, DF */
	0x40, 0x11, 0x00, 0x00,			/* TTL 64, UDP, checksum */
	0xc0, 0x00, 0x02, 0x02,			/* 192.0.2.2 */
	0xc0, 0x00, 0x02, 0x01,			/* 192.0.2.1 */
	0x13, 0x88, 0x00, 0x35,			/* ports 5000 -> 53 */
	0x00, 0x0c, 0x00, 0x00,			/* length 12, checksum */
	0xde, 0xad, 0xbe, 0xef,			/* payload */
};

/*
 * IPv6 with a hop-by-hop header (next header 0) in front of TCP: the filter
 * only takes TCP right behind the IPv6 header, so this is dropped.
 */
static const uint8_t v6_hbh_frame[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x0a,	/* dst MAC */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x0b,	/* src MAC */
	0x86, 0xdd,				/* IPv6 */
	0x60, 0x00, 0x00, 0x00,			/* v6, class 0, flow 0 */
	0x00, 0x08, 0x00, 0x40,			/* payload 8, hop-by-hop, hop limit 64 */
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,	/* 2001:db8::2 */
	0, 0, 0, 0, 0, 0, 0, 0x02,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,	/* 2001:db8::1 */
	0, 0, 0, 0, 0, 0, 0, 0x01,
	0x06, 0x00, 0x01, 0x04, 0, 0, 0, 0,	/* next TCP, PadN */
};

/*
 * A private network namespace with lo up, or false (the test is skipped).
 * Check runs each test in a child process, so the namespace goes with it.
 */
static bool private_loopback(void)
{
	struct rtnl *nl;
	char *error = NULL;
	int rc;

	if (unshare(CLONE_NEWNET) < 0) {
		SKIPPED("unshare(CLONE_NEWNET) failed");
		return false;
	}
	ck_assert_msg(rtnl_open(&nl, &error) == 0, "%s", error);
	rc = rtnl_link_set(nl, 1, true, 0, &error);
	ck_assert_msg(rc == 0, "lo up: %s", error);
	rtnl_close(nl);
	return true;
}

static struct wire *open_lo(void)
{
	struct wire *w = NULL;
	char *error = NULL;

	ck_assert_msg(wire_open(&w, 1, MARK, &error) == 0, "wire_open: %s", error);
	ck_assert_ptr_nonnull(w);
	ck_assert_int_ge(wire_fd(w), 0);
	return w;
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

static double seconds(const struct timespec *t)
{
	return (double)t->tv_sec + t->tv_nsec / 1e9;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return seconds(&t);
}

static size_t tcp_frame(int family, uint32_t seq, uint8_t *buf, size_t size)
{
	struct tcp_segment seg;
	char *error = NULL;
	size_t len;
	int v4 = family == AF_INET;

	memset(&seg, 0, sizeof(seg));
	seg.src.family = seg.dst.family = family;
	if (v4) {
		seg.src.u.v4.s_addr = htonl(0xc0000202);	/* 192.0.2.2 */
		seg.dst.u.v4.s_addr = htonl(0xc0000201);	/* 192.0.2.1 */
	} else {
		seg.src.u.v6.s6_addr[0] = seg.dst.u.v6.s6_addr[0] = 0x20;
		seg.src.u.v6.s6_addr[1] = seg.dst.u.v6.s6_addr[1] = 0x01;
		seg.src.u.v6.s6_addr[2] = seg.dst.u.v6.s6_addr[2] = 0x0d;
		seg.src.u.v6.s6_addr[3] = seg.dst.u.v6.s6_addr[3] = 0xb8;
		seg.src.u.v6.s6_addr[15] = 2;
		seg.dst.u.v6.s6_addr[15] = 1;
	}
	seg.sport = 40000;
	seg.dport = 8080;
	seg.seq = seq;
	seg.flags = TCPF_SYN;
	seg.win = 1000;
	ck_assert_msg(packet_build_tcp(&seg, mac_b, mac_a, buf, size, &len, &error) == 0,
		      "%s", error);
	return len;
}

START_TEST(tcp_frame_comes_back_once_with_a_kernel_timestamp)
{
	int family = _i == 0 ? AF_INET : AF_INET6;
	uint8_t frame[128], buf[2048];
	struct timespec ts, deadline;
	struct wire *w;
	char *error = NULL;
	size_t flen, len = 0;
	double sent;

	if (SKIP_WITHOUT_ROOT() || !private_loopback())
		return;
	w = open_lo();
	flen = tcp_frame(family, 1, frame, sizeof(frame));
	sent = now();
	ck_assert_msg(wire_send(w, frame, flen, &error) == 0, "%s", error);
	deadline = deadline_in(1000);
	ck_assert_int_eq(wire_recv(w, buf, sizeof(buf), &len, &ts, &deadline, &error), 1);
	ck_assert_uint_eq(len, flen);
	ck_assert_mem_eq(buf, frame, flen);
	ck_assert_msg(seconds(&ts) >= sent - 0.001 && seconds(&ts) <= now() + 0.001,
		      "timestamp %.6f is not between sending (%.6f) and now",
		      seconds(&ts), sent);
	/* Loopback hands the frame back as received, once. */
	deadline = deadline_in(50);
	ck_assert_int_eq(wire_recv(w, buf, sizeof(buf), &len, &ts, &deadline, &error), 0);
	wire_free(w);
}
END_TEST

START_TEST(timed_send_gives_the_kernel_transmit_stamp)
{
	uint8_t frame[128], buf[2048];
	struct timespec tx, rx, deadline;
	struct pollfd pfd;
	struct wire *w;
	char *error = NULL;
	size_t flen, len = 0;
	double before, after;

	if (SKIP_WITHOUT_ROOT() || !private_loopback())
		return;
	w = open_lo();
	flen = tcp_frame(AF_INET, 7, frame, sizeof(frame));
	for (int i = 0; i < 3; i++) {
		memset(&tx, 0, sizeof(tx));
		before = now();
		ck_assert_msg(wire_send_timed(w, frame, flen, &tx, &error) == 0, "%s", error);
		after = now();
		ck_assert_msg(seconds(&tx) >= before && seconds(&tx) <= after,
			      "transmit stamp %.6f not within send() (%.6f..%.6f)",
			      seconds(&tx), before, after);
		deadline = deadline_in(1000);
		ck_assert_int_eq(wire_recv(w, buf, sizeof(buf), &len, &rx, &deadline, &error), 1);
		ck_assert_msg(seconds(&rx) >= seconds(&tx),
			      "received at %.9f before sent at %.9f", seconds(&rx), seconds(&tx));
	}
	/* Nothing may stay on the error queue: poll() would never sleep. */
	pfd.fd = wire_fd(w);
	pfd.events = POLLIN;
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
	wire_free(w);
}
END_TEST

START_TEST(only_tcp_passes_the_filter)
{
	uint8_t frame[128], buf[2048];
	struct timespec ts, deadline;
	struct in_addr a = { htonl(0xc0000201) }, b = { htonl(0xc0000202) };
	struct in6_addr a6, b6;
	struct packet_info info;
	struct wire *w;
	char *error = NULL;
	size_t flen, len;

	if (SKIP_WITHOUT_ROOT() || !private_loopback())
		return;
	w = open_lo();
	ck_assert_int_eq(wire_send(w, udp_frame, sizeof(udp_frame), &error), 0);
	ck_assert_int_eq(wire_send(w, v6_hbh_frame, sizeof(v6_hbh_frame), &error), 0);
	ck_assert_int_eq(packet_build_arp_reply(mac_a, &a, mac_b, &b, frame,
						sizeof(frame), &flen, &error), 0);
	ck_assert_int_eq(wire_send(w, frame, flen, &error), 0);
	memset(&a6, 0, sizeof(a6));
	a6.s6_addr[0] = 0x20; a6.s6_addr[1] = 0x01; a6.s6_addr[2] = 0x0d;
	a6.s6_addr[3] = 0xb8;
	b6 = a6;
	a6.s6_addr[15] = 1;
	b6.s6_addr[15] = 2;
	ck_assert_int_eq(packet_build_nd_advert(mac_a, &a6, mac_b, &b6, frame,
						sizeof(frame), &flen, &error), 0);
	ck_assert_int_eq(wire_send(w, frame, flen, &error), 0);
	/* A TCP frame last: it must be the first thing that comes back. */
	flen = tcp_frame(AF_INET, 77, frame, sizeof(frame));
	ck_assert_int_eq(wire_send(w, frame, flen, &error), 0);

	deadline = deadline_in(1000);
	ck_assert_int_eq(wire_recv(w, buf, sizeof(buf), &len, &ts, &deadline, &error), 1);
	ck_assert_int_eq(packet_parse(buf, len, &info, &error), 0);
	ck_assert_int_eq(info.kind, PACKET_TCP);
	ck_assert_uint_eq(info.tcp.seq, 77);
	deadline = deadline_in(50);
	ck_assert_int_eq(wire_recv(w, buf, sizeof(buf), &len, &ts, &deadline, &error), 0);
	wire_free(w);
}
END_TEST

START_TEST(frames_seen_leaving_are_not_reported)
{
	uint8_t frame[128], buf[256];
	struct timespec ts, deadline;
	struct wire *sender, *watcher;
	char *error = NULL;
	size_t flen, len;

	if (SKIP_WITHOUT_ROOT() || !private_loopback())
		return;
	/* The kernel never shows a socket its own frames leaving, but it
	 * does show them to every other socket on the interface: the
	 * watcher must see the frame once, as loopback hands it back in. */
	sender = open_lo();
	watcher = open_lo();
	flen = tcp_frame(AF_INET, 3, frame, sizeof(frame));
	ck_assert_int_eq(wire_send(sender, frame, flen, &error), 0);
	deadline = deadline_in(1000);
	ck_assert_int_eq(wire_recv(watcher, buf, sizeof(buf), &len, &ts, &deadline, &error), 1);
	ck_assert_mem_eq(buf, frame, flen);
	deadline = deadline_in(50);
	ck_assert_int_eq(wire_recv(watcher, buf, sizeof(buf), &len, &ts, &deadline, &error), 0);
	wire_free(sender);
	wire_free(watcher);
}
END_TEST

START_TEST(long_frame_is_truncated_and_reports_wire_length)
{
	uint8_t frame[128], buf[20];
	struct timespec ts, deadline;
	struct wire *w;
	char *error = NULL;
	size_t flen, len = 0;

	if (SKIP_WITHOUT_ROOT() || !private_loopback())
		return;
	w = open_lo();
	flen = tcp_frame(AF_INET6, 5, frame, sizeof(frame));
	ck_assert_int_eq(wire_send(w, frame, flen, &error), 0);
	deadline = deadline_in(1000);
	ck_assert_int_eq(wire_recv(w, buf, sizeof(buf), &len, &ts, &deadline, &error), 1);
	ck_assert_uint_eq(len, flen);
	ck_assert_mem_eq(buf, frame, sizeof(buf));
	wire_free(w);
}
END_TEST

START_TEST(no_deadline_and_past_deadline_do_not_wait)
{
	uint8_t buf[64];
	struct timespec ts, past;
	struct wire *w;
	char *error = NULL;
	size_t len;
	double t0;

	if (SKIP_WITHOUT_ROOT() || !private_loopback())
		return;
	w = open_lo();
	t0 = now();
	ck_assert_int_eq(wire_recv(w, buf, sizeof(buf), &len, &ts, NULL, &error), 0);
	clock_gettime(CLOCK_REALTIME, &past);
	past.tv_sec -= 1;
	ck_assert_int_eq(wire_recv(w, buf, sizeof(buf), &len, &ts, &past, &error), 0);
	ck_assert_msg(now() - t0 < 0.05, "waited %.3f s", now() - t0);
	wire_free(w);
}
END_TEST

START_TEST(waits_until_the_deadline)
{
	uint8_t buf[64];
	struct timespec ts, deadline;
	struct wire *w;
	char *error = NULL;
	size_t len;
	double t0, waited;

	if (SKIP_WITHOUT_ROOT() || !private_loopback())
		return;
	w = open_lo();
	t0 = now();
	deadline = deadline_in(100);
	ck_assert_int_eq(wire_recv(w, buf, sizeof(buf), &len, &ts, &deadline, &error), 0);
	waited = now() - t0;
	ck_assert_msg(waited >= 0.099 && waited < 0.5, "waited %.3f s for a 100 ms deadline",
		      waited);
	wire_free(w);
}
END_TEST

START_TEST(frames_from_before_open_are_not_returned)
{
	uint8_t frame[128], buf[256];
	struct timespec ts, deadline;
	struct wire *first, *second;
	char *error = NULL;
	size_t flen, len;

	if (SKIP_WITHOUT_ROOT() || !private_loopback())
		return;
	first = open_lo();
	flen = tcp_frame(AF_INET, 9, frame, sizeof(frame));
	ck_assert_int_eq(wire_send(first, frame, flen, &error), 0);
	usleep(10000);
	second = open_lo();
	deadline = deadline_in(50);
	ck_assert_int_eq(wire_recv(second, buf, sizeof(buf), &len, &ts, &deadline, &error), 0);
	/* The first socket did see it, so there was something to miss. */
	ck_assert_int_eq(wire_recv(first, buf, sizeof(buf), &len, &ts, NULL, &error), 1);
	wire_free(first);
	wire_free(second);
}
END_TEST

START_TEST(runt_frame_is_refused)
{
	static const uint8_t runt[10] = { 0 };
	struct wire *w;
	char *error = NULL;

	if (SKIP_WITHOUT_ROOT() || !private_loopback())
		return;
	w = open_lo();
	ck_assert_int_eq(wire_send(w, runt, sizeof(runt), &error), STATUS_ERROR);
	ck_assert_ptr_nonnull(error);
	free(error);
	wire_free(w);
	wire_free(NULL);
}
END_TEST

Suite *wire_suite(void)
{
	Suite *s = suite_create("wire");
	TCase *root = tcase_create("root");

	tcase_set_timeout(root, 10);
	tcase_add_loop_test(root, tcp_frame_comes_back_once_with_a_kernel_timestamp, 0, 2);
	tcase_add_test(root, frames_seen_leaving_are_not_reported);
	tcase_add_test(root, timed_send_gives_the_kernel_transmit_stamp);
	tcase_add_test(root, only_tcp_passes_the_filter);
	tcase_add_test(root, long_frame_is_truncated_and_reports_wire_length);
	tcase_add_test(root, no_deadline_and_past_deadline_do_not_wait);
	tcase_add_test(root, waits_until_the_deadline);
	tcase_add_test(root, frames_from_before_open_are_not_returned);
	tcase_add_test(root, runt_frame_is_refused);
	suite_add_tcase(s, root);
	return s;
}
