/* check_runner_limits.c - what `tcpconf run` refuses: bad numbers, over-long scripts, case paths that are not files, link loops; and results streamed to standard output.  None needs root: nothing here reaches a test bed. */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"
#include "scratch.h"
#include "suites.h"

#define TCPCONF "./harness/tcpconf"
#define BAD_SCRIPT "+0 > F. 1:1(0) ack\n"	/* fails to parse: nothing runs */

/* Set: run() drops standard error and keeps standard output alone. */
static bool stdout_only;

/*
 * tcpconf run ARGS... with standard output and error into one buffer
 * (*out, malloc'd); the exit status.  A run that hangs is killed after
 * 20 s and returns 128 + SIGALRM.
 */
static int run(char **out, const char *first, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;

	argv[argc++] = TCPCONF;
	argv[argc++] = "run";
	va_start(ap, first);
	for (const char *a = first; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	return scratch_spawn(argv, stdout_only, out);
}

START_TEST(bad_numbers_are_usage_errors)
{
	static const char *const bad[][3] = {
		{ "-j", "abc", "-j: expected an integer from 1 to 1024, found 'abc'" },
		{ "-j", "0", "found '0'" },
		{ "-j", "-3", "found '-3'" },
		{ "-j", "2147483647", "found '2147483647'" },
		{ "-j", "4x", "found '4x'" },
		{ "-j", " 4", "found ' 4'" },
		{ "--tolerance_usecs", "abc",
		  "--tolerance_usecs: expected an integer from 0 to 10000000, found 'abc'" },
		{ "--tolerance_usecs", "99999999999999999999999", "found '99999999999999999999999'" },
		{ "--tolerance_usecs", "10000001", "found '10000001'" },
		{ "--tolerance_usecs", "-1", "found '-1'" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *out;

		ck_assert_int_eq(run(&out, bad[i][0], bad[i][1], "no-such.pkt", NULL), 2);
		ck_assert_msg(strstr(out, bad[i][2]), "%s %s: %s", bad[i][0], bad[i][1], out);
		free(out);
	}
}
END_TEST

/* results.jsonl of dir: exactly want records, each a failure whose message holds msg. */
static void expect_failures(const char *dir, size_t want, const char *msg)
{
	struct record *r;
	size_t n;
	char *error = NULL;

	if (report_read_jsonl(scratch_at(dir, "results.jsonl"), &r, &n, &error) < 0)
		ck_abort_msg("%s", error);
	ck_assert_uint_eq(n, want);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(r[i].verdict, VERDICT_FAIL);
		ck_assert_msg(strstr(r[i].message, msg), "no \"%s\" in: %s", msg, r[i].message);
	}
	report_free_all(r, n);
}

/* +999999 gave a limit of 1,000,019 s: refused when planned, nothing runs. */
START_TEST(script_longer_than_the_case_limit_fails_at_once)
{
	char *dir = scratch_new(), *out;

	scratch_write_in(dir, "long.pkt", "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+999999 close(3) = 0\n");
	ck_assert_int_eq(run(&out, "--results", dir, scratch_at(dir, "long.pkt"), NULL), 1);
	expect_failures(dir, 1, "long.pkt: the script runs for 999999.000 s; a case may take at most 600 s");
	free(out);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* A script's own tolerance has the command line's bounds (a huge one overflowed exec.c). */
START_TEST(script_tolerance_out_of_range_fails_naming_the_line)
{
	char *dir = scratch_new(), *out;

	scratch_write_in(dir, "tol.pkt", "--tolerance_usecs=99999999999\n"
	    "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+1 close(3) = 0\n");
	ck_assert_int_eq(run(&out, "--results", dir, scratch_at(dir, "tol.pkt"), NULL), 1);
	expect_failures(dir, 1, "tol.pkt:1:1: --tolerance_usecs: expected an integer from 0 to 10000000, found '99999999999'");
	free(out);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* A FIFO named on the command line or found in a walk hung the run. */
START_TEST(fifo_case_is_refused_not_waited_on)
{
	char *dir = scratch_new(), *out;

	ck_assert_int_eq(mkdir(scratch_at(dir, "cases"), 0755), 0);
	ck_assert_int_eq(mkfifo(scratch_at(dir, "cases/fifo.pkt"), 0644), 0);
	ck_assert_int_eq(run(&out, "--results", dir, scratch_at(dir, "cases/fifo.pkt"), NULL), 1);
	expect_failures(dir, 1, "fifo.pkt: not a regular file");
	free(out);
	ck_assert_int_eq(run(&out, "--results", dir, scratch_at(dir, "cases"), NULL), 1);
	expect_failures(dir, 1, "fifo.pkt: not a regular file");
	free(out);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/*
 * One link to "." ran a case 41 times, two walked exponentially: links to
 * directories are not followed below the path given, a link to a .pkt
 * file is a case, and a path given as a link to a directory is walked.
 */
START_TEST(walk_does_not_follow_directory_links)
{
	char *dir = scratch_new(), *out;

	ck_assert_int_eq(mkdir(scratch_at(dir, "cases"), 0755), 0);
	ck_assert_int_eq(mkdir(scratch_at(dir, "cases/sub"), 0755), 0);
	scratch_write_in(dir, "cases/a.pkt", BAD_SCRIPT);
	ck_assert_int_eq(symlink(".", scratch_at(dir, "cases/self")), 0);
	ck_assert_int_eq(symlink("..", scratch_at(dir, "cases/sub/up")), 0);
	ck_assert_int_eq(symlink(".", scratch_at(dir, "cases/sub/dir.pkt")), 0);
	ck_assert_int_eq(symlink("../a.pkt", scratch_at(dir, "cases/sub/b.pkt")), 0);
	ck_assert_int_eq(symlink("cases", scratch_at(dir, "link")), 0);
	ck_assert_int_eq(run(&out, "--results", dir, scratch_at(dir, "link"), NULL), 1);
	expect_failures(dir, 2, "expected ack number");
	free(out);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* `--tap -` wrote a file named "-", --tap /dev/stdout replaced the device. */
START_TEST(outputs_stream_to_standard_output)
{
	static const char *const names[] = { "-", "/dev/stdout" };
	char *dir = scratch_new(), *out;
	struct stat before, after;

	scratch_write_in(dir, "bad.pkt", BAD_SCRIPT);
	ck_assert_int_eq(lstat("/dev/stdout", &before), 0);
	for (size_t i = 0; i < 2; i++) {
		ck_assert_int_eq(run(&out, "--tap", names[i], scratch_at(dir, "bad.pkt"), NULL), 1);
		ck_assert_msg(strstr(out, "TAP version 13\n1..1\nnot ok 1 - "),
			      "--tap %s: %s", names[i], out);
		free(out);
		ck_assert_int_eq(run(&out, "--json", names[i], scratch_at(dir, "bad.pkt"), NULL), 1);
		ck_assert_msg(strstr(out, "\"verdict\":\"fail\""), "--json %s: %s", names[i], out);
		free(out);
	}
	ck_assert_int_ne(access("-", F_OK), 0);
	ck_assert_int_eq(lstat("/dev/stdout", &after), 0);
	ck_assert_int_eq(before.st_mode, after.st_mode);
	ck_assert_uint_eq(before.st_ino, after.st_ino);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* With results on standard output, it carries nothing else: the terminal's lines go to standard error. */
START_TEST(streamed_results_are_all_standard_output_carries)
{
	char *dir = scratch_new(), *out;

	scratch_write_in(dir, "bad.pkt", BAD_SCRIPT);
	stdout_only = true;
	ck_assert_int_eq(run(&out, "--json", "-", scratch_at(dir, "bad.pkt"), NULL), 1);
	ck_assert_msg(out[0] == '{' && strchr(out, '\n') == out + strlen(out) - 1, "%s", out);
	free(out);
	ck_assert_int_eq(run(&out, "-v", "--tap", "/dev/stdout", scratch_at(dir, "bad.pkt"), NULL), 1);
	ck_assert_msg(!strncmp(out, "TAP version 13\n", 15) && !strstr(out, "tcpconf:"), "%s", out);
	free(out);
	stdout_only = false;
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* A write that fails is an error naming the file, not a failed case, and the run exits 1. */
START_TEST(unwritable_output_names_the_path)
{
	char *dir = scratch_new(), *out;

	scratch_write_in(dir, "bad.pkt", BAD_SCRIPT);
	ck_assert_int_eq(run(&out, "--tap", scratch_at(dir, "no/such/results.tap"), scratch_at(dir, "bad.pkt"), NULL), 1);
	ck_assert_msg(strstr(out, "tcpconf: writing results: ") &&
		      strstr(out, "no/such/results.tap: No such file or directory"), "%s", out);
	ck_assert_msg(strstr(out, "0 passed, 1 failed, 0 skipped"), "%s", out);
	free(out);
	scratch_remove(dir);
	free(dir);
}
END_TEST

TCase *runner_limits_tcase(void)
{
	TCase *tc = tcase_create("limits");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, bad_numbers_are_usage_errors);
	tcase_add_test(tc, script_longer_than_the_case_limit_fails_at_once);
	tcase_add_test(tc, script_tolerance_out_of_range_fails_naming_the_line);
	tcase_add_test(tc, fifo_case_is_refused_not_waited_on);
	tcase_add_test(tc, walk_does_not_follow_directory_links);
	tcase_add_test(tc, outputs_stream_to_standard_output);
	tcase_add_test(tc, streamed_results_are_all_standard_output_carries);
	tcase_add_test(tc, unwritable_output_names_the_path);
	return tc;
}
