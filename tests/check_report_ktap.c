/* check_report_ktap.c - the KTAP stream and the marks an interrupted run leaves in every report (part of the report suite). */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "ktap_check.h"
#include "records.h"
#include "report.h"
#include "scratch.h"
#include "suites.h"

static void three(struct record r[3])
{
	record_set(&r[0], "close/close-a", "cases/close/close-a.pkt", "ipv4", VERDICT_PASS,
		   "", 120, "6.18.0-test");
	record_set(&r[1], "close/close-#b", "cases/close/close-#b.pkt", "ipv6", VERDICT_FAIL,
		   "close-b.pkt:12: expected F. vs actual R.\nsecond line", 250, "6.18.0-test");
	record_set(&r[2], "close/close-c", "cases/close/close-c.pkt", "ipv4", VERDICT_SKIP,
		   "needs # root", 0, "6.18.0-test");
}

static const struct report_run stopped = {
	.version = "9.9 (git abc)", .commit = "abc", .how = "-j2; test", .tolerance_usecs = 7000,
	.jobs = 2, .stop_signal = SIGINT, .planned = 7, .unfinished = 4,
};

/* The checker itself: it must refuse what ktap.rst does not allow. */
START_TEST(checker_refuses_bad_ktap)
{
	static const char *const bad[] = {
		"TAP version 13\n1..0\n",
		"KTAP version 1\nok 1 x\n",
		"KTAP version 1\n1..2\nok 1 x\n",			/* plan not filled */
		"KTAP version 1\n1..1\nok 2 x\n",			/* numbering */
		"KTAP version 1\n1..1\nnot ok 1 x # SKIP y\n",
		"KTAP version 1\n1..1\nok 1 x #SKIP\n",
		"KTAP version 1\n1..1\nhello\nok 1 x\n",
		"KTAP version 1\n1..1\nok 1 x\n# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:0 error:0\n",
		"KTAP version 1\n1..2\nBail out! x\nok 1 x\n",
	};
	struct ktap_summary s;
	char buf[200];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(ktap_check(bad[i], &s, buf, sizeof(buf)), "accepted: %s", bad[i]);
	ck_assert_ptr_null(ktap_check("KTAP version 1\n1..2\n# d\nok 1 a \\# b\n"
				      "ok 2 c # SKIP why\n", &s, buf, sizeof(buf)));
	ck_assert_int_eq(s.pass, 1);
	ck_assert_int_eq(s.skip, 1);
}
END_TEST

/* Written to a file: KTAP version 1, a plan, one line a test, the totals. */
START_TEST(ktap_file_parses_with_totals)
{
	char *dir = scratch_new(), path[4200], *error = NULL, *text, buf[200];
	struct report_ktap *k;
	struct ktap_summary s;
	struct record r[3];

	three(r);
	snprintf(path, sizeof(path), "%s/out.ktap", dir);
	k = report_ktap_open(path, 3, &error);
	ck_assert_msg(k != NULL, "%s", error);
	ck_assert_int_eq(access(path, F_OK), -1);	/* a file is written whole, at the end */
	for (int i = 0; i < 3; i++)
		report_ktap_case(k, &r[i]);
	ck_assert_msg(report_ktap_close(k, NULL, &error) == 0, "%s", error);
	text = scratch_read(path);
	ck_assert_msg(!ktap_check(text, &s, buf, sizeof(buf)), "%s in:\n%s", buf, text);
	ck_assert_int_eq(s.plan, 3);
	ck_assert_int_eq(s.pass, 1);
	ck_assert_int_eq(s.fail, 1);
	ck_assert_int_eq(s.skip, 1);
	ck_assert(s.totals && !s.bailed);
	ck_assert_msg(strstr(text, "# close-b.pkt:12: expected F. vs actual R.\n# second line\n"
			     "# time=0.250s\nnot ok 2 close/close-\\#b [ipv6]\n"), "%s", text);
	ck_assert_msg(strstr(text, "ok 3 close/close-c [ipv4] # SKIP needs # root\n"), "%s", text);
	free(text);
	for (int i = 0; i < 3; i++)
		record_clear(&r[i]);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* Into a pipe, each test's line comes as it finishes, not at the end. */
START_TEST(ktap_streams_into_a_pipe)
{
	char *error = NULL, path[64], got[512] = "";
	struct report_ktap *k;
	struct record r[3];
	int p[2];
	ssize_t n;

	three(r);
	ck_assert_int_eq(pipe(p), 0);
	snprintf(path, sizeof(path), "/dev/fd/%d", p[1]);
	k = report_ktap_open(path, 3, &error);
	ck_assert_msg(k != NULL, "%s", error);
	report_ktap_case(k, &r[0]);
	n = read(p[0], got, sizeof(got) - 1);
	ck_assert_int_gt(n, 0);
	got[n] = '\0';
	ck_assert_str_eq(got, "KTAP version 1\n1..3\n# time=0.120s\nok 1 close/close-a [ipv4]\n");
	report_ktap_note(k, "interrupted close/close-b");
	ck_assert_int_eq(report_ktap_close(k, &stopped, &error), 0);
	close(p[1]);
	n = read(p[0], got, sizeof(got) - 1);
	got[n > 0 ? n : 0] = '\0';
	ck_assert_str_eq(got, "# interrupted close/close-b\n"
			 "Bail out! interrupted by signal 2 (Interrupt): 4 of 7 cases did not finish\n"
			 "# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:1\n");
	close(p[0]);
	for (int i = 0; i < 3; i++)
		record_clear(&r[i]);
}
END_TEST

/* A stopped run: TAP bails out, JUnit has an <error>, results.jsonl ends
 * with an "incomplete" line its reader passes over, meta.json says why. */
START_TEST(stopped_run_marks_every_report)
{
	char *dir = scratch_new(), path[4200], *error = NULL, *text;
	struct report_meta m = { 0 };
	struct record r[3], *back;
	size_t n;

	three(r);
	snprintf(path, sizeof(path), "%s/results.tap", dir);
	ck_assert_int_eq(report_write_tap_run(path, r, 3, &stopped, &error), 0);
	text = scratch_read(path);
	ck_assert_msg(strstr(text, "\nBail out! interrupted by signal 2 (Interrupt): 4 of 7 cases "
			     "did not finish\n"), "%s", text);
	free(text);
	snprintf(path, sizeof(path), "%s/junit.xml", dir);
	ck_assert_int_eq(report_write_junit_run(path, r, 3, &stopped, &error), 0);
	text = scratch_read(path);
	ck_assert_msg(strstr(text, "tests=\"4\" failures=\"1\" errors=\"1\"") &&
		      strstr(text, "<error type=\"interrupted\" message=\"interrupted by signal 2"),
		      "%s", text);
	free(text);
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	ck_assert_int_eq(report_write_jsonl_run(path, r, 3, &stopped, &error), 0);
	text = scratch_read(path);
	ck_assert_msg(strstr(text, "\n{\"incomplete\": \"interrupted by signal 2 (Interrupt): 4 of 7 "
			     "cases did not finish\", \"signal\": 2, \"planned\": 7, \"unfinished\": 4}\n"),
		      "%s", text);
	free(text);
	ck_assert_msg(report_read_jsonl(path, &back, &n, &error) == 0, "%s", error);
	ck_assert_uint_eq(n, 3);
	report_free_all(back, n);
	snprintf(path, sizeof(path), "%s/meta.json", dir);
	ck_assert_msg(report_write_meta_run(path, &stopped, &error) == 0, "%s", error);
	ck_assert_int_eq(report_read_meta(path, &m, &error), 0);
	ck_assert_str_eq(m.incomplete, "interrupted by signal 2 (Interrupt): 4 of 7 cases did not finish");
	ck_assert_str_eq(m.tcpconf_commit, "abc");
	ck_assert_str_eq(m.how, "-j2; test");
	ck_assert_str_eq(m.tcpconf_version, "9.9 (git abc)");
	ck_assert_ptr_nonnull(strstr(m.sysctl_summary, "net.ipv4.tcp_sack="));
	report_meta_clear(&m);
	text = scratch_read(path);
	ck_assert_msg(strstr(text, "\"tolerance_usecs\": 7000,") && strstr(text, "\"jobs\": 2,"),
		      "%s", text);
	free(text);
	for (int i = 0; i < 3; i++)
		record_clear(&r[i]);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* A run that finished leaves no such marks. */
START_TEST(finished_run_has_no_marks)
{
	struct report_run done = stopped;
	char *dir = scratch_new(), path[4200], *error = NULL, *text;
	struct record r[3];

	done.stop_signal = 0;
	three(r);
	snprintf(path, sizeof(path), "%s/results.tap", dir);
	ck_assert_int_eq(report_write_tap_run(path, r, 3, &done, &error), 0);
	text = scratch_read(path);
	ck_assert_ptr_null(strstr(text, "Bail out!"));
	free(text);
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	ck_assert_int_eq(report_write_jsonl_run(path, r, 3, &done, &error), 0);
	text = scratch_read(path);
	ck_assert_ptr_null(strstr(text, "incomplete"));
	free(text);
	for (int i = 0; i < 3; i++)
		record_clear(&r[i]);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* An older meta.json has its sysctls only as an object: the summary
 * compare shows is made from it; a brace inside a string does not fool it. */
START_TEST(meta_summary_from_an_older_file)
{
	char *dir = scratch_new(), path[4200], *error = NULL;
	struct report_meta m = { 0 };

	snprintf(path, sizeof(path), "%s/meta.json", dir);
	scratch_write(path, "{\"kernel\": \"6.1\", \"kernel_version\": \"#1 {x}\", \"sysctls\": "
		      "{\"net.ipv4.tcp_sack\": \"1\", \"net.ipv4.tcp_rmem\": \"4096 1 2\", "
		      "\"net.ipv4.tcp_fin_timeout\": null, \"later.one\": \"}\"}}\n");
	ck_assert_msg(report_read_meta(path, &m, &error) == 0, "%s", error);
	ck_assert_str_eq(m.sysctl_summary, "net.ipv4.tcp_sack=1, net.ipv4.tcp_rmem=4096 1 2");
	ck_assert_ptr_null(m.how);
	ck_assert_ptr_null(m.incomplete);
	report_meta_clear(&m);
	scratch_remove(dir);
	free(dir);
}
END_TEST

TCase *report_ktap_tcase(void)
{
	TCase *tc = tcase_create("ktap");

	tcase_add_test(tc, checker_refuses_bad_ktap);
	tcase_add_test(tc, ktap_file_parses_with_totals);
	tcase_add_test(tc, ktap_streams_into_a_pipe);
	tcase_add_test(tc, stopped_run_marks_every_report);
	tcase_add_test(tc, finished_run_has_no_marks);
	tcase_add_test(tc, meta_summary_from_an_older_file);
	return tc;
}
