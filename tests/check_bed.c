/* check_bed.c - the bed a case asks for (--gso, --mtu, --mss: defaults, script, command line, bad values), the GSO size of an injected segment, and runs in each view. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "bed.h"
#include "error.h"
#include "option.h"
#include "packet.h"
#include "report.h"
#include "runner_test.h"
#include "script.h"
#include "skip.h"
#include "suites.h"

static struct script *parse(const char *text)
{
	struct script *s = NULL;
	char *error = NULL;

	ck_assert_msg(script_parse("t.pkt", text, strlen(text), &s, &error) == 0,
		      "%s", error);
	return s;
}

/* The bed for s in family: its options resolved as a case's are, then settled. */
static int settle(const struct script *s, const struct option_values *cli, int family,
		  struct bed *b, char **error)
{
	struct option_values v;
	int rc;

	rc = option_resolve(s, cli, &v, error);
	if (rc == 0)
		rc = bed_settings(&v, script_name(s), family, b, error);
	option_values_clear(&v);
	return rc;
}

START_TEST(defaults_are_gso_on_and_packetdrills_mtus)
{
	struct script *s = parse("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
	struct bed b;
	char *error = NULL;

	ck_assert_int_eq(settle(s, NULL, AF_INET, &b, &error), 0);
	ck_assert(b.gso);
	ck_assert_uint_eq(b.mtu, 1500);
	ck_assert_uint_eq(b.mss, 0);
	ck_assert_int_eq(settle(s, NULL, AF_INET6, &b, &error), 0);
	ck_assert_uint_eq(b.mtu, 1520);
	script_free(s);
}
END_TEST

START_TEST(script_sets_and_command_line_wins)
{
	struct script *s = parse("--gso=off\n--mtu=9000\n--mss=1000\n"
				 "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
	char *argv[] = { "run", "--gso=on", "--mtu=1400", "--mss=500", "x", NULL };
	struct option_values cli;
	struct bed b;
	char *error = NULL;
	int first;

	ck_assert_int_eq(settle(s, NULL, AF_INET6, &b, &error), 0);
	ck_assert(!b.gso);
	ck_assert_uint_eq(b.mtu, 9000);
	ck_assert_uint_eq(b.mss, 1000);
	option_values_init(&cli);
	ck_assert_msg(option_parse_argv(5, argv, &cli, &first, &error) == 0, "%s", error);
	ck_assert_int_eq(settle(s, &cli, AF_INET, &b, &error), 0);
	option_values_clear(&cli);
	ck_assert(b.gso);
	ck_assert_uint_eq(b.mtu, 1400);
	ck_assert_uint_eq(b.mss, 500);
	script_free(s);
}
END_TEST

START_TEST(bad_script_values_name_file_line_column)
{
	static const struct { const char *text, *want; } bad[] = {
		{ "--gso=maybe\n", "t.pkt:1:1: --gso: expected on or off, found 'maybe'" },
		{ "--gso\n", "t.pkt:1:1: --gso: expected a value (--gso=...)" },
		{ "\n--mtu=abc\n", "t.pkt:2:1: --mtu: expected an integer from 68 to 65535, found 'abc'" },
		{ "--mtu=67\n", "t.pkt:1:1: --mtu: expected an integer from 68 to 65535, found '67'" },
		{ "--mss=0\n", "t.pkt:1:1: --mss: expected an integer from 1 to 65495, found '0'" },
		{ "--mss=65496\n", "t.pkt:1:1: --mss: expected an integer from 1 to 65495, found '65496'" },
		{ "--mtu=1279\n", "t.pkt: --mtu=1279: IPv6 needs an MTU of at least 1280" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[256];
		struct script *s;
		struct bed b;
		char *error = NULL;

		snprintf(text, sizeof(text), "%s0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n",
			 bad[i].text);
		s = parse(text);
		ck_assert_int_eq(settle(s, NULL, AF_INET6, &b, &error), STATUS_ERROR);
		ck_assert_str_eq(error, bad[i].want);
		free(error);
		script_free(s);
	}
}
END_TEST

START_TEST(gso_size_as_packetdrills_tun_gets_it)
{
	static const struct {
		bool gso;
		unsigned int mtu, mss;
		int family;
		size_t ip_len;
		unsigned int want;
	} t[] = {
		{ true, 1500, 0, AF_INET, 1500, 0 },		/* fits: plain */
		{ true, 1500, 0, AF_INET, 3040, 1460 },		/* beyond: cut at MTU - 40 */
		{ true, 1520, 0, AF_INET6, 3060, 1460 },	/* IPv6: MTU - 60 */
		{ true, 1500, 1000, AF_INET, 1040, 0 },		/* --mss: not longer */
		{ true, 1500, 1000, AF_INET, 1041, 1000 },	/* --mss: longer, even below the MTU */
		{ true, 1500, 9000, AF_INET, 3040, 1460 },	/* --mss above it: the MTU's */
		{ false, 1500, 1000, AF_INET, 3040, 0 },	/* wire view: never */
		{ true, 1500, 0, AF_INET, 40, 0 },		/* no payload */
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct bed b = { .gso = t[i].gso, .mtu = t[i].mtu, .mss = t[i].mss };

		ck_assert_msg(bed_gso_size(&b, t[i].family, t[i].ip_len) == t[i].want,
			      "row %zu: %u", i, bed_gso_size(&b, t[i].family, t[i].ip_len));
	}
}
END_TEST

/*
 * The largest frame of a failing case's pcap is at least min_len bytes and
 * parses with a correct TCP checksum: a super-segment's partial checksum
 * was completed, and the file reads back record by record.
 */
static void pcap_largest_frame_checksum_ok(const char *message, size_t min_len)
{
	const char *at = strstr(message, "[pcap: ");
	char path[4300];
	uint8_t hdr[24], rec[16], *frame = malloc(1 << 18);
	size_t best = 0;
	bool ok = false;
	FILE *f;

	ck_assert_msg(at != NULL, "no pcap: %s", message);
	snprintf(path, sizeof(path), "%.*s", (int)strcspn(at + 7, "]"), at + 7);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "%s", path);
	ck_assert_uint_eq(fread(hdr, 1, sizeof(hdr), f), sizeof(hdr));
	while (fread(rec, 1, sizeof(rec), f) == sizeof(rec)) {
		size_t incl = rec[8] | rec[9] << 8 | (size_t)rec[10] << 16 | (size_t)rec[11] << 24;
		struct packet_info info;
		char *error = NULL;

		ck_assert_uint_le(incl, 1 << 18);
		ck_assert_uint_eq(fread(frame, 1, incl, f), incl);
		if (incl <= best)
			continue;
		best = incl;
		ck_assert_msg(packet_parse(frame, incl, &info, &error) == 0, "%s", error);
		ok = info.checksum_ok;
	}
	fclose(f);
	free(frame);
	ck_assert_uint_ge(best, min_len);
	ck_assert_msg(ok, "%s: the %zu-byte frame has a wrong checksum", path, best);
}

/* Run body (after the handshake) with options opts: every record's verdict
 * must be want, its message hold m1 and m2 (NULL: anything); pcap_min > 0:
 * its pcap holds a frame that long with a correct checksum. */
static void expect_runs(const char *opts, const char *body, enum verdict want,
			const char *m1, const char *m2, size_t pcap_min)
{
	struct record *r;
	size_t n;
	char *dir;

	run_one(body, opts, &r, &n, &dir);
	ck_assert_uint_eq(n, 2);
	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(r[i].verdict == want, "%s: %s", r[i].ip, r[i].message);
		ck_assert_msg(!m1 || strstr(r[i].message, m1), "%s: message: %s",
			      r[i].ip, r[i].message);
		ck_assert_msg(!m2 || strstr(r[i].message, m2), "%s: message: %s",
			      r[i].ip, r[i].message);
		if (pcap_min)
			pcap_largest_frame_checksum_ok(r[i].message, pcap_min);
	}
	report_free_all(r, n);
	scratch_remove(dir);
	free(dir);
}

static const char large_inbound[] =
	"+.1 < P. 1:3001(3000) ack 1 win 65535\n"
	"+0 > . 1:1(0) ack 3001\n"
	"+0 read(4, ..., 4000) = 3000\n";

START_TEST(segment_beyond_the_mtu_goes_in_as_one_gso_packet)
{
	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	expect_runs(NULL, large_inbound, VERDICT_PASS, NULL, NULL, 0);
	expect_runs("--mss=1000\n", large_inbound, VERDICT_PASS, NULL, NULL, 0);
	/* the wire view cannot: a frame beyond the MTU is refused */
	expect_runs("--gso=off\n", large_inbound, VERDICT_FAIL,
		    "case.pkt:10: cannot inject packet: inject",
		    "Message too long (beyond the MTU: --gso=off injects real segments only)", 0);
}
END_TEST

/* A tiny RTT (the handshake at +0) lets TSO take the whole write at once. */
static const char super_segment[] =
	"+.1 write(4, ..., 4000) = 4000\n"
	"+0 > P. 1:4001(4000) ack 1\n"
	"+.01 < . 1:1(0) ack 4001 win 65535\n";

START_TEST(super_segment_is_captured_whole)
{
	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	expect_runs(NULL, super_segment, VERDICT_PASS, NULL, NULL, 0);
	/* on the wire the same write leaves as MSS-sized segments */
	expect_runs("--gso=off\n", super_segment, VERDICT_FAIL, "case.pkt:11: ",
		    "expected P. 1:4001(4000) ack 1 vs actual . 1:1461(1460) ack 1", 0);
	/* and a script that claims the wire view fails in the GSO view */
	expect_runs(NULL, "+.1 write(4, ..., 4000) = 4000\n"
		    "+0 > . 1:1461(1460) ack 1\n", VERDICT_FAIL, "case.pkt:10: ",
		    "expected . 1:1461(1460) ack 1 vs actual P. 1:4001(4000) ack 1",
		    14 + 40 + 4000);
}
END_TEST

/*
 * A 10 ms round trip makes TSO autosizing cut the initial window into
 * pieces of two MSS: the line's 10000 bytes come as five packets.
 */
static const char burst[] =
	"0    socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	"+0   setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
	"+0   bind(3, ..., ...) = 0\n"
	"+0   listen(3, 1) = 0\n"
	"+0   < S 0:0(0) win 65535 <mss 1000>\n"
	"+0   > S. 0:0(0) ack 1 <mss 1460>\n"
	"+.01 < . 1:1(0) ack 1 win 65535\n"
	"+0   accept(3, ..., ...) = 4\n"
	"+0   write(4, ..., 10000) = 10000\n"
	"+0   > P. 1:10001(10000) ack 1\n"
	"+.01 < . 1:1(0) ack 10001 win 65535\n";

/* Run the whole script text with one extra argument (or none). */
static void expect_script(const char *text, char *arg, enum verdict want,
			  const char *m1, const char *m2)
{
	char *dir = scratch_new(), path[4200];
	char *extra[] = { arg ? arg : path, arg ? path : NULL, NULL };
	struct record *r;
	size_t n;

	snprintf(path, sizeof(path), "%s/case.pkt", dir);
	scratch_write(path, text);
	tcpconf(dir, extra);
	read_results(dir, &r, &n);
	ck_assert_uint_eq(n, 2);
	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(r[i].verdict == want, "%s: %s", r[i].ip, r[i].message);
		ck_assert_msg(!m1 || strstr(r[i].message, m1), "%s: %s", r[i].ip, r[i].message);
		ck_assert_msg(!m2 || strstr(r[i].message, m2), "%s: %s", r[i].ip, r[i].message);
	}
	report_free_all(r, n);
	scratch_remove(dir);
	free(dir);
}

START_TEST(pieces_of_a_burst_are_joined_unless_strict)
{
	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	expect_script(burst, NULL, VERDICT_PASS, NULL, NULL);
	/* one segment per line: the first piece is not the line */
	expect_script(burst, "--strict_segments", VERDICT_FAIL, "case.pkt:10: ",
		      "expected P. 1:10001(10000) ack 1 vs actual ");
	/* nor on the wire, where nothing is joined */
	expect_script(burst, "--gso=off", VERDICT_FAIL, "case.pkt:10: ",
		      "expected P. 1:10001(10000) ack 1 vs actual . 1:1001(1000) ack 1");
}
END_TEST

Suite *bed_suite(void)
{
	Suite *s = suite_create("bed");
	TCase *tc = tcase_create("core");
	TCase *runs = tcase_create("runs");

	tcase_add_test(tc, defaults_are_gso_on_and_packetdrills_mtus);
	tcase_add_test(tc, script_sets_and_command_line_wins);
	tcase_add_test(tc, bad_script_values_name_file_line_column);
	tcase_add_test(tc, gso_size_as_packetdrills_tun_gets_it);
	suite_add_tcase(s, tc);
	tcase_set_timeout(runs, 60);
	tcase_add_test(runs, segment_beyond_the_mtu_goes_in_as_one_gso_packet);
	tcase_add_test(runs, super_segment_is_captured_whole);
	tcase_add_test(runs, pieces_of_a_burst_are_joined_unless_strict);
	suite_add_tcase(s, runs);
	return s;
}
