/* check_runner.c - the runner end to end: the catalogue passes, every case can fail, bad scripts are caught. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"
#include "runner_test.h"
#include "scratch.h"
#include "skip.h"
#include "suites.h"

START_TEST(wrong_expectation_fails_with_expected_vs_actual)
{
	struct record *r;
	size_t n;
	char *dir;
	int rc;

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	/*
	 * The kernel merges ACK and FIN here; claim a bare ACK instead.  Data
	 * first: on a connection that never carried any, the FIN's ACK is due
	 * at the next tick (ato 0) and may beat close(), so the merge would
	 * be luck; the catalogue's close cases exchange data first too.
	 */
	rc = run_one("+.1 < P. 1:6(5) ack 1 win 65535\n"
		     "+0 > . 1:1(0) ack 6\n"
		     "+0 read(4, ..., 100) = 5\n"
		     "+.1 < F. 6:6(0) ack 1 win 65535\n"
		     "+0 close(4) = 0\n"
		     "+0 > . 1:1(0) ack 7\n", NULL, &r, &n, &dir);
	ck_assert_int_eq(rc, 1);
	ck_assert_uint_eq(n, 2);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(r[i].verdict, VERDICT_FAIL);
		ck_assert_msg(strstr(r[i].message, "case.pkt:14: flags differ: expected . 1:1(0) ack 7 vs actual F. 1:1(0) ack 7"),
			      "message: %s", r[i].message);
		ck_assert_msg(strstr(r[i].message, "[pcap: "), "no pcap: %s", r[i].message);
	}
	report_free_all(r, n);
	scratch_remove(dir);
	free(dir);
}
END_TEST

START_TEST(unexpected_packet_fails)
{
	struct record *r;
	size_t n;
	char *dir;

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	/* close() sends a FIN; with --strict_quiet a script that claims
	 * silence must fail (packetdrill, and tcpconf without it, never look) */
	ck_assert_int_eq(run_one("+.1 close(4) = 0\n"
				 "+.2 < . 1:1(0) ack 1 win 65535\n", "--strict_quiet\n",
				 &r, &n, &dir), 1);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(strstr(r[i].message, "case.pkt:11: unexpected outbound packet at") &&
			      strstr(r[i].message, "F. 1:1(0) ack 1"),
			      "message: %s", r[i].message);
	report_free_all(r, n);
	scratch_remove(dir);
	free(dir);
	/* without it, as packetdrill: no outbound line, nothing judged */
	ck_assert_int_eq(run_one("+.1 close(4) = 0\n"
				 "+.2 < . 1:1(0) ack 1 win 65535\n", NULL, &r, &n, &dir), 0);
	report_free_all(r, n);
	scratch_remove(dir);
	free(dir);
}
END_TEST

START_TEST(late_packet_fails_with_timing)
{
	struct record *r;
	size_t n;
	char *dir;

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	/* The delayed ACK comes at ~40 ms, not at once. */
	ck_assert_int_eq(run_one("+0 setsockopt(4, IPPROTO_TCP, TCP_QUICKACK, [0], 4) = 0\n"
				 "+.1 < P. 1:11(10) ack 1 win 65535\n"
				 "+0 > . 1:1(0) ack 11\n", NULL, &r, &n, &dir), 1);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(strstr(r[i].message, "case.pkt:11: expected outbound packet . 1:1(0) ack 11") &&
			      strstr(r[i].message, "but nothing came"),
			      "message: %s", r[i].message);
	report_free_all(r, n);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* Every record failed at line with a message containing each of want[]. */
static void assert_all_fail_with(struct record *r, size_t n, const char *const want[])
{
	ck_assert_uint_eq(n, 2);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(r[i].verdict, VERDICT_FAIL);
		for (size_t k = 0; want[k]; k++)
			ck_assert_msg(strstr(r[i].message, want[k]),
				      "no \"%s\" in: %s", want[k], r[i].message);
	}
}

START_TEST(packet_stamped_after_its_window_fails_too_late)
{
	static const char *const want[] = {
		"case.pkt:12: timing: F. 1:1(0) ack 1 win ", " too late: expected at ",
		"(tolerance 0.004000 s) vs actual ", NULL,
	};
	struct record *r;
	size_t n;
	char *dir;

	if (SKIP_WITHOUT_SANDBOX())
		return;
	/*
	 * close() lingers 1 s waiting for the ACK of its FIN, and the harness
	 * waits for close(): the FIN's first retransmission (RTO, 200 ms at
	 * the least) is queued long before the harness reads it.  It was
	 * stamped ~0.2 s after the line's "+0", so it is late, wherever the
	 * harness was when it read it.
	 */
	ck_assert_int_eq(run_one("+0 setsockopt(4, SOL_SOCKET, SO_LINGER, "
				 "{l_onoff=1, l_linger=1}, 8) = 0\n"
				 "+.1 close(4) = 0\n"
				 "+0 > F. 1:1(0) ack 1\n"
				 "+0 > F. 1:1(0) ack 1\n", NULL, &r, &n, &dir), 1);
	assert_all_fail_with(r, n, want);
	report_free_all(r, n);
	scratch_remove(dir);
	free(dir);
}
END_TEST

START_TEST(blocking_call_returning_after_its_window_fails_too_late)
{
	static const char *const want[] = {
		"case.pkt:9: timing: read() returned too late: expected at ",
		/* packetdrill's 12.5% of the 50 ms the call should block */
		"(tolerance 0.006250 s) vs actual ", NULL,
	};
	struct record *r;
	size_t n;
	char *dir;

	if (SKIP_WITHOUT_SANDBOX())
		return;
	/* The data comes 100 ms after the read started; the line says 50. */
	ck_assert_int_eq(run_one("+0...+.05 read(4, ..., 10) = 10\n"
				 "+.1 < P. 1:11(10) ack 1 win 65535\n"
				 "+0 > . 1:1(0) ack 11\n", NULL, &r, &n, &dir), 1);
	assert_all_fail_with(r, n, want);
	report_free_all(r, n);
	scratch_remove(dir);
	free(dir);
}
END_TEST

START_TEST(malformed_script_rejected_before_running)
{
	struct record *r;
	size_t n;
	char *dir;

	/* No root needed: nothing runs when a script does not parse. */
	ck_assert_int_eq(run_one("+0 > F. 1:1(0) ack\n", NULL, &r, &n, &dir), 1);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(r[0].verdict, VERDICT_FAIL);
	ck_assert_str_eq(r[0].ip, "none");
	ck_assert_msg(strstr(r[0].message, "case.pkt:9:"), "message: %s", r[0].message);
	ck_assert_msg(strstr(r[0].message, "expected"), "message: %s", r[0].message);
	report_free_all(r, n);
	scratch_remove(dir);
	free(dir);
}
END_TEST

START_TEST(catalogue_passes)
{
	char *dir, *extra[] = { "cases", NULL };
	struct record *r;
	size_t n, bad = 0;

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	dir = scratch_new();
	tcpconf(dir, extra);
	read_results(dir, &r, &n);
	ck_assert_uint_gt(n, 0);
	for (size_t i = 0; i < n; i++)
		if (r[i].verdict != VERDICT_PASS) {
			fprintf(stderr, "%s %s [%s]: %s\n", verdict_name(r[i].verdict),
				r[i].name, r[i].ip, r[i].message);
			bad++;
		}
	ck_assert_msg(bad == 0, "%zu of %zu case runs did not pass", bad, n);
	report_free_all(r, n);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/*
 * Change the flags of a script's last outbound packet (F toggled) so the
 * expectation is wrong; returns that line's number, 0 when there is none.
 */
static int mutate(char *text)
{
	char *last = NULL, *p = text;
	int lineno;

	while ((p = strstr(p, "> "))) {
		char *bol = p;

		while (bol > text && bol[-1] != '\n')
			bol--;
		if (bol[0] != '/' && (p == text || p[-1] == ' ' || p[-1] == '\t'))
			last = p;
		p += 2;
	}
	if (!last)
		return 0;
	p = last + 2;
	while (*p == ' ')
		p++;
	/* flags token: toggle F (". " <-> "F."), keep the length the same-ish */
	if (p[0] == 'F' && p[1] == '.') {
		memmove(p, p + 1, strlen(p + 1) + 1);	/* "F." -> "." */
	} else {
		memmove(p + 2, p, strlen(p) + 1);
		p[0] = 'F';
		p[1] = '.';
		char *q = p + 2;	/* drop the old flags token */
		size_t tok = strcspn(q, " ");

		memmove(q, q + tok, strlen(q + tok) + 1);
	}
	lineno = 1;
	for (p = text; p < last; p++)
		lineno += *p == '\n';
	return lineno;
}

START_TEST(every_case_can_fail)
{
	char *dir, *mdir, path[4200], *extra[2];
	struct record *r;
	size_t n, count = 0;
	FILE *list;
	char line[4096];
	int mutated[256];	/* mutant i's changed line */

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	dir = scratch_new();
	ck_assert_int_ge(asprintf(&mdir, "%s/mutants", dir), 0);
	ck_assert_int_eq(mkdir(mdir, 0755), 0);
	list = popen("find cases -name '*.pkt' | sort", "r");
	ck_assert_ptr_nonnull(list);
	while (fgets(line, sizeof(line), list)) {
		FILE *f;
		char *text;
		long len;

		line[strcspn(line, "\n")] = '\0';
		f = fopen(line, "r");
		ck_assert_ptr_nonnull(f);
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		rewind(f);
		text = calloc(1, len + 8);
		ck_assert_uint_eq(fread(text, 1, len, f), (size_t)len);
		fclose(f);
		ck_assert_uint_lt(count, sizeof(mutated) / sizeof(mutated[0]));
		mutated[count] = mutate(text);
		ck_assert_msg(mutated[count], "%s has no outbound packet to mutate", line);
		snprintf(path, sizeof(path), "%s/%zu.pkt", mdir, count++);
		scratch_write(path, text);
		free(text);
	}
	pclose(list);
	extra[0] = mdir;
	extra[1] = NULL;
	tcpconf(dir, extra);
	read_results(dir, &r, &n);
	ck_assert_uint_gt(n, 0);
	for (size_t i = 0; i < n; i++) {
		const char *base = strrchr(r[i].path, '/');
		size_t k = strtoul(base ? base + 1 : r[i].path, NULL, 10);
		char at[64];

		ck_assert_msg(r[i].verdict == VERDICT_FAIL, "mutant %s [%s] did not fail: %s %s",
			      r[i].path, r[i].ip, verdict_name(r[i].verdict), r[i].message);
		/* The failure names the line that was changed, not some later one. */
		ck_assert_uint_lt(k, count);
		snprintf(at, sizeof(at), "/%zu.pkt:%d: ", k, mutated[k]);
		ck_assert_msg(strstr(r[i].message, at), "mutant %s [%s] failed elsewhere than %s: %s",
			      r[i].path, r[i].ip, at, r[i].message);
	}
	report_free_all(r, n);
	scratch_remove(dir);
	free(mdir);
	free(dir);
}
END_TEST
Suite *runner_suite(void)
{
	Suite *s = suite_create("runner");
	TCase *tc = tcase_create("scripts");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, malformed_script_rejected_before_running);
	tcase_add_test(tc, wrong_expectation_fails_with_expected_vs_actual);
	tcase_add_test(tc, unexpected_packet_fails);
	tcase_add_test(tc, late_packet_fails_with_timing);
	tcase_add_test(tc, packet_stamped_after_its_window_fails_too_late);
	tcase_add_test(tc, blocking_call_returning_after_its_window_fails_too_late);
	tcase_add_test(tc, catalogue_passes);
	tcase_add_test(tc, every_case_can_fail);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, runner_limits_tcase());
	suite_add_tcase(s, runner_contain_tcase());
	suite_add_tcase(s, runner_packets_tcase());
	suite_add_tcase(s, runner_ktap_tcase());
	suite_add_tcase(s, runner_calls_tcase());
	return s;
}
