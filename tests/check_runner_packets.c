/* check_runner_packets.c - the packet-line dialect end to end, with scripts of our own: ECN marks after tcp_ecn=1 negotiation, a server's Fast Open cookie, an inbound ICMP line, a second listener's connection; each passes as written and fails against a wrong expectation. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "runner_test.h"
#include "scratch.h"
#include "skip.h"
#include "suites.h"

static const char listener[] =
	"0    socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	"+0   setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
	"+0   bind(3, ..., ...) = 0\n"
	"+0   listen(3, 1) = 0\n";

/*
 * Run head + listener + body for one IP version; want NULL: it passes,
 * else it fails with want in the message.
 */
static void expect(const char *version, const char *head, const char *body,
		   const char *want)
{
	char *dir = scratch_new(), path[4200], opt[64], *text;
	char *extra[] = { opt, path, NULL };
	struct record *r;
	size_t n;
	int rc;

	snprintf(path, sizeof(path), "%s/case.pkt", dir);
	snprintf(opt, sizeof(opt), "--ip_version=%s", version);
	ck_assert_int_ge(asprintf(&text, "%s%s%s", head, listener, body), 0);
	scratch_write(path, text);
	free(text);
	rc = tcpconf(dir, extra);
	read_results(dir, &r, &n);
	ck_assert_uint_eq(n, 1);
	if (!want) {
		ck_assert_msg(rc == 0 && r[0].verdict == VERDICT_PASS, "%s: %s",
			      version, r[0].message ? r[0].message : "?");
	} else {
		ck_assert_int_eq(rc, 1);
		ck_assert_int_eq(r[0].verdict, VERDICT_FAIL);
		ck_assert_msg(r[0].message && strstr(r[0].message, want),
			      "%s: wanted '%s' in: %s", version, want, r[0].message);
	}
	report_free_all(r, n);
	scratch_remove(dir);
	free(dir);
}

/* tcp_ecn=1: an ECN-setup SYN gets an ECN-setup SYN-ACK; data goes out
 * ECT(0), and data that arrives CE is answered with ECE at once. */
START_TEST(ecn_marks_are_set_and_judged)
{
	static const char head[] = "`sysctl -q net.ipv4.tcp_ecn=1`\n";
	static const char body[] =
		"+0   < SEW 0:0(0) win 65535 <mss 1000>\n"
		"+0   > [noecn] S.E 0:0(0) ack 1 <mss 1460>\n"
		"+0   < . 1:1(0) ack 1 win 65535\n"
		"+0   accept(3, ..., ...) = 4\n"
		"+0   write(4, ..., 100) = 100\n"
		"+0   > %s P. 1:101(100) ack 1\n"
		"+.1  < [ce] P. 1:11(10) ack 101 win 65535\n"
		"+0   > [noecn] .E 101:101(0) ack 11\n"
		"+0   read(4, ..., 100) = 10\n";
	static const char *const versions[] = { "ipv4", "ipv6" };
	char text[1024];

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	snprintf(text, sizeof(text), body, "[ect0]");
	expect(versions[_i], head, text, NULL);
	snprintf(text, sizeof(text), body, "[ect1]");
	expect(versions[_i], head, text, "case.pkt:11: ECN field differs: expected "
	       "[ect1] P. 1:101(100) ack 1 vs actual [ect0] P. 1:101(100) ack 1");
}
END_TEST

/* Our own key; the cookie is the kernel's SipHash of the SYN's source and
 * destination addresses as packetdrill's runners give them (192.0.2.1 ->
 * 192.168.0.1, fd3d:fa7b:d17d::1 -> fd3d:a0b:17d6::1: cookie.h), computed
 * outside and written here as a script would.  (The bed's own addresses
 * give 74f6923c93b9c6a1 and e48f681976688985.) */
static const struct {
	const char *version, *cookie, *mss;
} tfo[] = {
	{ "ipv4", "743a69802a396757", "1460" },
	{ "ipv6", "f8bc8499736b8c94", "1460" },
};

START_TEST(fast_open_cookie_is_sent_and_judged)
{
	static const char head[] =
		"`sysctl -q net.ipv4.tcp_fastopen=2`\n"
		"`sysctl -q net.ipv4.tcp_fastopen_key=00010203-04050607-08090a0b-0c0d0e0f`\n";
	/* the right cookie: the SYN's data is accepted */
	static const char with_cookie[] =
		"+0   setsockopt(3, SOL_TCP, TCP_FASTOPEN, [1], 4) = 0\n"
		"+0   < S 0:10(10) win 65535 <mss 1460,FO %s,nop,nop>\n"
		"+0   > S. 0:0(0) ack %s <mss %s>\n"
		"+0   accept(3, ..., ...) = 4\n"
		"+0   read(4, ..., 100) = 10\n";
	/* a wrong one: the data waits, the SYN-ACK carries the right cookie */
	static const char bad_cookie[] =
		"+0   setsockopt(3, SOL_TCP, TCP_FASTOPEN, [1], 4) = 0\n"
		"+0   < S 0:10(10) win 65535 <mss 1460,FOEXP 0011223344556677>\n"
		"+0   > S. 0:0(0) ack 1 <mss %s,FOEXP %s>\n"
		"+0   < . 1:1(0) ack 1 win 65535\n"
		"+0   accept(3, ..., ...) = 4\n";
	char text[1024], want[256];

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	snprintf(text, sizeof(text), with_cookie, tfo[_i].cookie, "11", tfo[_i].mss);
	expect(tfo[_i].version, head, text, NULL);
	snprintf(text, sizeof(text), with_cookie, tfo[_i].cookie, "1", tfo[_i].mss);
	snprintf(want, sizeof(want), "case.pkt:9: ack differs: expected S. 0:0(0) "
		 "ack 1 <mss %s> vs actual S. 0:0(0) ack 11", tfo[_i].mss);
	expect(tfo[_i].version, head, text, want);
	snprintf(text, sizeof(text), bad_cookie, tfo[_i].mss, tfo[_i].cookie);
	expect(tfo[_i].version, head, text, NULL);
	snprintf(text, sizeof(text), bad_cookie, tfo[_i].mss, "0011223344556677");
	snprintf(want, sizeof(want), "case.pkt:9: options differ: expected S. 0:0(0) "
		 "ack 1 <mss %s,FOEXP 0011223344556677> vs actual", tfo[_i].mss);
	expect(tfo[_i].version, head, text, want);
}
END_TEST

/* A path MTU message about the kernel's segment: it resends in smaller
 * segments at once.  ICMPv4 frag_needed and ICMPv6 packet_too_big. */
static const struct {
	const char *version, *icmp, *first, *second;
} icmps[] = {
	{ "ipv4", "icmp unreachable frag_needed mtu 1000",
	  ". 1:961(960) ack 1", "P. 961:1401(440) ack 1" },
	{ "ipv6", "icmp packet_too_big mtu 1280",
	  ". 1:1221(1220) ack 1", "P. 1221:1401(180) ack 1" },
};

START_TEST(icmp_line_reaches_the_connection)
{
	static const char body[] =
		"+0   < S 0:0(0) win 65535 <mss 1460>\n"
		"+0   > S. 0:0(0) ack 1 <mss 1460>\n"
		"+0   < . 1:1(0) ack 1 win 65535\n"
		"+0   accept(3, ..., ...) = 4\n"
		"+0   write(4, ..., 1400) = 1400\n"
		"+0   > P. 1:1401(1400) ack 1\n"
		"+.01 < %s [1:1401(1400)]\n"
		"+0   > %s\n"
		"+0   > %s\n";
	char text[1024], want[256];

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	snprintf(text, sizeof(text), body, icmps[_i].icmp, icmps[_i].first,
		 icmps[_i].second);
	/* the claim is about segments on the wire: in the GSO view the resent
	 * data is one super-segment of the new MSS (gso_size), not two */
	expect(icmps[_i].version, "--gso=off\n", text, NULL);
	/* as if no ICMP had come: the whole segment again */
	snprintf(text, sizeof(text), body, icmps[_i].icmp, "P. 1:1401(1400) ack 1",
		 icmps[_i].second);
	snprintf(want, sizeof(want), "case.pkt:13: flags differ: expected "
		 "P. 1:1401(1400) ack 1 vs actual %s", icmps[_i].first);
	expect(icmps[_i].version, "--gso=off\n", text, want);
}
END_TEST

/*
 * packetdrill's order: what the kernel sends while the script still injects
 * waits for the script's next outbound line.  The first segment is ACKed at
 * once (quick-ACK at a connection's start), before the second goes in.
 */
START_TEST(a_segment_sent_between_injections_waits_for_its_line)
{
	static const char body[] =
		"+0   < S 0:0(0) win 65535 <mss 1460>\n"
		"+0   > S. 0:0(0) ack 1 <mss 1460>\n"
		"+0   < . 1:1(0) ack 1 win 65535\n"
		"+0   accept(3, ..., ...) = 4\n"
		"+.01 < P. 1:1001(1000) ack 1 win 65535\n"
		"%s   < P. 1001:2001(1000) ack 1 win 65535\n"
		"+0   > . 1:1(0) ack %s\n"
		"+0   > . 1:1(0) ack 2001\n";
	const char *version = _i ? "ipv6" : "ipv4";
	char text[1024];

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	snprintf(text, sizeof(text), body, "+0", "1001");
	expect(version, "", text, NULL);
	/* judged at its line all the same: a wrong ack fails there */
	snprintf(text, sizeof(text), body, "+0", "1000");
	expect(version, "", text, "case.pkt:11: ack differs: expected . 1:1(0) ack 1000 vs "
	       "actual . 1:1(0) ack 1001");
	/* and its time: sent 10 ms before its line's window, it is too early */
	snprintf(text, sizeof(text), body, "+.01", "1001");
	expect(version, "", text, "too early");
}
END_TEST

/*
 * Each listener's connection is the socket under test, from a harness port
 * of its own as in packetdrill: the first child's RST at close() (unread
 * data) is not what the second listener's SYN-ACK line gets, and that
 * SYN-ACK is numbered from its own ISN.
 */
START_TEST(a_second_listeners_connection_is_judged_on_its_own)
{
	static const char body[] =
		"+0   < S 0:0(0) win 65535 <mss 1000>\n"
		"+0   > S. 0:0(0) ack 1 <mss 1460>\n"
		"+.01 < . 1:1(0) ack 1 win 65535\n"
		"+0   accept(3, ..., ...) = 4\n"
		"+0   < P. 1:101(100) ack 1 win 65535\n"
		"+0   > . 1:1(0) ack 101\n"
		"+0   close(4) = 0\n"
		"+0   close(3) = 0\n"
		"+0   socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
		"+0   setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
		"+0   bind(3, ..., ...) = 0\n"
		"+0   listen(3, 1) = 0\n"
		"+0   < S 0:0(0) win 65535 <mss 1000>\n"
		"+0   > S. 0:0(0) ack %s <mss 1460>\n"
		"+.01 < . 1:1(0) ack 1 win 65535\n"
		"+0   accept(3, ..., ...) = 4\n";
	const char *version = _i ? "ipv6" : "ipv4";
	char text[2048];

	snprintf(text, sizeof(text), body, "1");
	expect(version, "", text, NULL);
	snprintf(text, sizeof(text), body, "2");
	expect(version, "", text, "ack differs: expected S. 0:0(0) ack 2 <mss 1460> vs "
	       "actual S. 0:0(0) ack 1");
}
END_TEST

TCase *runner_packets_tcase(void)
{
	TCase *tc = tcase_create("packets");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, ecn_marks_are_set_and_judged, 0, 2);
	tcase_add_loop_test(tc, fast_open_cookie_is_sent_and_judged, 0,
			    sizeof(tfo) / sizeof(tfo[0]));
	tcase_add_loop_test(tc, a_segment_sent_between_injections_waits_for_its_line, 0, 2);
	tcase_add_loop_test(tc, icmp_line_reaches_the_connection, 0,
			    sizeof(icmps) / sizeof(icmps[0]));
	tcase_add_loop_test(tc, a_second_listeners_connection_is_judged_on_its_own, 0, 2);
	return tc;
}
