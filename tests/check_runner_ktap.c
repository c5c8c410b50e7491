/* check_runner_ktap.c - `tcpconf run` as kselftest sees it: KTAP on standard output, exit 0/1/4, and an interrupted run that says so everywhere (part of the runner suite). */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap_check.h"
#include "report.h"
#include "runner_test.h"
#include "scratch.h"
#include "skip.h"
#include "suites.h"

static const char pass_body[] = "+0 close(4) = 0\n+0 > F. 1:1(0) ack 1\n";
static const char fail_body[] = "+0 close(4) = 0\n+0 > R. 1:1(0) ack 1\n";
static const char skip_body[] = "+0 %{ import os }%\n";	/* outside pycode's subset */
static const char slow_body[] = "+5 close(4) = 0\n+0 > F. 1:1(0) ack 1\n";

/* dir/cases/NAME.pkt: the prelude, then body. */
static void put_case(const char *dir, const char *name, const char *body)
{
	char path[4200], *text;

	snprintf(path, sizeof(path), "%s/cases", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/cases/%s.pkt", dir, name);
	ck_assert_int_ge(asprintf(&text, "%s%s", prelude, body), 0);
	scratch_write(path, text);
	free(text);
}

/* tcpconf run args... with standard output to dir/stdout, standard error to dir/stderr. */
static pid_t start_split(const char *dir, char *const args[])
{
	char out[4200], err[4200], *argv[16];
	int argc = 0;
	pid_t pid;

	snprintf(out, sizeof(out), "%s/stdout", dir);
	snprintf(err, sizeof(err), "%s/stderr", dir);
	argv[argc++] = TCPCONF;
	argv[argc++] = "run";
	for (int i = 0; args[i] && argc < 15; i++)
		argv[argc++] = args[i];
	argv[argc] = NULL;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (!freopen(out, "w", stdout) || !freopen(err, "w", stderr))
			_exit(126);
		execv(TCPCONF, argv);
		_exit(127);
	}
	return pid;
}

static char *read_in(const char *dir, const char *name)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return scratch_read(path);
}

/* --format ktap: standard output is KTAP alone and parses; a failure exits 1. */
START_TEST(ktap_on_stdout_parses)
{
	char *dir = scratch_new(), cases[4200], *text, buf[200];
	char *args[] = { "--format", "ktap", cases, NULL };
	struct ktap_summary s;

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	snprintf(cases, sizeof(cases), "%s/cases", dir);
	put_case(dir, "a-pass", pass_body);
	put_case(dir, "b-fail", fail_body);
	put_case(dir, "c-skip", skip_body);
	ck_assert_int_eq(tcpconf_wait(start_split(dir, args)), 1);
	text = read_in(dir, "stdout");
	ck_assert_msg(!ktap_check(text, &s, buf, sizeof(buf)), "%s in:\n%s", buf, text);
	ck_assert_int_eq(s.plan, 6);
	ck_assert_int_eq(s.pass, 2);
	ck_assert_int_eq(s.fail, 2);
	ck_assert_int_eq(s.skip, 2);
	ck_assert(s.totals);
	free(text);
	text = read_in(dir, "stderr");
	ck_assert_msg(strstr(text, "tcpconf: 2 passed, 2 failed, 2 skipped"), "%s", text);
	free(text);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* Every case skipped is kselftest's skip, 4, not a pass; passes alone exit 0. */
START_TEST(all_skipped_exits_4)
{
	char *dir = scratch_new(), cases[4200], ktap[4200], *text, buf[200];
	char *args[] = { "--ktap", ktap, cases, NULL };
	struct ktap_summary s;

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	snprintf(cases, sizeof(cases), "%s/cases", dir);
	snprintf(ktap, sizeof(ktap), "%s/out.ktap", dir);
	put_case(dir, "c-skip", skip_body);
	ck_assert_int_eq(tcpconf_wait(start_split(dir, args)), 4);
	text = read_in(dir, "out.ktap");
	ck_assert_msg(!ktap_check(text, &s, buf, sizeof(buf)), "%s in:\n%s", buf, text);
	ck_assert_int_eq(s.skip, 2);
	free(text);
	put_case(dir, "a-pass", pass_body);
	ck_assert_int_eq(tcpconf_wait(start_split(dir, args)), 0);
	scratch_remove(dir);
	free(dir);
}
END_TEST

static const int stop_signals[] = { SIGINT, SIGTERM };

/*
 * Stopped mid-run: exit 128 + the signal; KTAP and TAP bail out, JUnit has
 * an <error>, results.jsonl and meta.json end "incomplete", and the case
 * cut short says it was interrupted, not timed out.
 */
START_TEST(stopped_run_says_so)
{
	int sig = stop_signals[_i];
	char *dir = scratch_new(), cases[1024], ktap[1024], res[1024], *text, buf[200];
	char *args[] = { "--results", res, "--ktap", ktap, cases, NULL };
	struct ktap_summary s;
	struct record *r;
	size_t n;
	pid_t pid;

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	snprintf(cases, sizeof(cases), "%s/cases", dir);
	snprintf(ktap, sizeof(ktap), "%s/out.ktap", dir);
	snprintf(res, sizeof(res), "%s/results", dir);
	put_case(dir, "a-pass", pass_body);
	put_case(dir, "b-slow", slow_body);
	pid = start_split(dir, args);
	usleep(2000 * 1000);
	kill(pid, sig);
	ck_assert_int_eq(tcpconf_wait(pid), 128 + sig);
	text = read_in(dir, "out.ktap");
	ck_assert_msg(!ktap_check(text, &s, buf, sizeof(buf)), "%s in:\n%s", buf, text);
	ck_assert_msg(s.bailed && s.pass == 2 && s.plan == 4, "%s", text);
	ck_assert_msg(strstr(text, "# interrupted ") && !strstr(text, "timed out"), "%s", text);
	free(text);
	text = read_in(dir, "stdout");
	ck_assert_msg(strstr(text, "interrupted by signal") && !strstr(text, "timed out"), "%s", text);
	free(text);
	text = read_in(res, "results.tap");
	ck_assert_msg(strstr(text, "\nBail out! interrupted by signal"), "%s", text);
	free(text);
	text = read_in(res, "junit.xml");
	ck_assert_msg(strstr(text, "errors=\"1\"") && strstr(text, "<error type=\"interrupted\""),
		      "%s", text);
	free(text);
	text = read_in(res, "results.jsonl");
	ck_assert_msg(strstr(text, "{\"incomplete\": \"interrupted by signal") &&
		      strstr(text, "2 of 4 cases did not finish"), "%s", text);
	free(text);
	read_results(res, &r, &n);
	ck_assert_uint_eq(n, 2);
	report_free_all(r, n);
	text = read_in(res, "meta.json");
	ck_assert_msg(strstr(text, "\"incomplete\": \"interrupted by signal"), "%s", text);
	free(text);
	scratch_remove(dir);
	free(dir);
}
END_TEST

TCase *runner_ktap_tcase(void)
{
	TCase *tc = tcase_create("ktap");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, ktap_on_stdout_parses);
	tcase_add_test(tc, all_skipped_exits_4);
	tcase_add_loop_test(tc, stopped_run_says_so, 0, 2);
	return tc;
}
