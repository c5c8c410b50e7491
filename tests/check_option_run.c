/* check_option_run.c - options that change a run, seen from `tcpconf run`: TS val progress, -D on the command line, --non_fatal, --dry_run. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "runner_test.h"
#include "skip.h"
#include "suites.h"

/* tcpconf run EXTRA... into a scratch dir: its records (*r, *n) and exit status. */
static int run_with(char *const extra[], struct record **r, size_t *n)
{
	char *dir = scratch_new();
	int rc = tcpconf(dir, extra);

	read_results(dir, r, n);
	scratch_remove(dir);
	free(dir);
	return rc;
}

/* A FIN stamped 200 ms after the SYN-ACK written 100 ticks short: item 4 of issue 11. */
START_TEST(ts_val_progress_is_judged_with_a_tick)
{
	char *const good[] = { "tests/scripts/ts-progress.pkt", NULL };
	char *const wrong[] = { "tests/scripts/ts-progress-wrong.pkt", NULL };
	char *const unjudged[] = { "--tcp_ts_tick_usecs=0", "tests/scripts/ts-progress-wrong.pkt", NULL };
	struct record *r;
	size_t n;

	if (SKIP_WITHOUT_SANDBOX())
		return;
	ck_assert_int_eq(run_with(good, &r, &n), 0);
	ck_assert_int_eq(r[0].verdict, VERDICT_PASS);
	report_free_all(r, n);
	ck_assert_int_eq(run_with(wrong, &r, &n), 1);
	ck_assert_msg(strstr(r[0].message, "ts-progress-wrong.pkt:20: TS val differs (") &&
		      strstr(r[0].message, "expected F. 1:1(0) ack 1 <nop,nop,TS val 5100 ecr 101> vs actual F. 1:1(0) ack 1 win "),
		      "%s", r[0].message);
	report_free_all(r, n);
	/* packetdrill's default: the TS val is learnt, not judged */
	ck_assert_int_eq(run_with(unjudged, &r, &n), 0);
	report_free_all(r, n);
}
END_TEST

/* The same script with -D in each spelling; without it, the word is an error at its column. */
START_TEST(command_line_definitions_reach_the_script)
{
	char *dir = scratch_new(), path[4200];
	char *const spelled[][4] = {
		{ "-D", "LEVEL=SOL_SOCKET", path, NULL },
		{ "-DLEVEL=SOL_SOCKET", path, NULL },
		{ "--define", "LEVEL=SOL_SOCKET", path, NULL },
		{ "--define=LEVEL=SOL_SOCKET", path, NULL },
	};
	char *const missing[] = { path, NULL };
	struct record *r;
	size_t n;

	if (SKIP_WITHOUT_SANDBOX())
		return;
	snprintf(path, sizeof(path), "%s/d.pkt", dir);
	scratch_write(path, "--ip_version=ipv4\n"
		      "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
		      "+0 setsockopt(3, LEVEL, SO_REUSEADDR, [1], 4) = 0\n");
	for (size_t i = 0; i < 4; i++) {
		ck_assert_int_eq(run_with(spelled[i], &r, &n), 0);
		ck_assert_int_eq(r[0].verdict, VERDICT_PASS);
		report_free_all(r, n);
	}
	ck_assert_int_eq(run_with(missing, &r, &n), 1);
	ck_assert_msg(strstr(r[0].message, "d.pkt:3:18: ") && strstr(r[0].message, "'LEVEL'"),
		      "%s", r[0].message);
	report_free_all(r, n);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* --non_fatal=packet: the wrong TS val is a warning and the case passes; --dry_run runs nothing. */
START_TEST(non_fatal_and_dry_run)
{
	char *const warn[] = { "--non_fatal=packet", "tests/scripts/ts-progress-wrong.pkt", NULL };
	char *const dry[] = { "--dry_run", "tests/scripts/ts-progress-wrong.pkt", NULL };
	struct record *r;
	size_t n;

	if (SKIP_WITHOUT_SANDBOX())
		return;
	ck_assert_int_eq(run_with(warn, &r, &n), 0);
	ck_assert_int_eq(r[0].verdict, VERDICT_PASS);
	ck_assert_msg(strstr(r[0].message, "warning: tests/scripts/ts-progress-wrong.pkt:20: TS val differs"),
		      "%s", r[0].message);
	report_free_all(r, n);
	ck_assert_int_eq(run_with(dry, &r, &n), 0);
	ck_assert_int_eq(r[0].verdict, VERDICT_SKIP);
	ck_assert_str_eq(r[0].message, "--dry_run: parsed and checked, not run");
	report_free_all(r, n);
}
END_TEST

TCase *option_run_tcase(void)
{
	TCase *tc = tcase_create("run");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, ts_val_progress_is_judged_with_a_tick);
	tcase_add_test(tc, command_line_definitions_reach_the_script);
	tcase_add_test(tc, non_fatal_and_dry_run);
	return tc;
}
