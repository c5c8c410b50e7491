/* check_runner_contain.c - the runner keeps a case in its box: host processes live, captures never follow links, no case is dropped or mislabelled. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "job.h"
#include "report.h"
#include "runner_test.h"
#include "sandbox.h"
#include "scratch.h"
#include "script.h"
#include "skip.h"

/* The hostile review's kill: a host process as the owner of an O_ASYNC
 * socket, SIGKILL as its signal, then data.  The host process lives. */
START_TEST(hostile_fcntl_cannot_signal_a_host_process)
{
	struct record *r;
	char body[512], *dir;
	size_t n;
	pid_t victim;
	int status, rc;

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	victim = fork();
	ck_assert_int_ge(victim, 0);
	if (victim == 0) {
		for (;;)
			pause();
	}
	snprintf(body, sizeof(body),
		 "+0 fcntl(4, %d, %d) = 0\n"
		 "+0 fcntl(4, %d, SIGKILL) = 0\n"
		 "+0 fcntl(4, F_SETFL, O_ASYNC) = 0\n"
		 "+.05 < P. 1:11(10) ack 1 win 65535\n"
		 "+0 > . 1:1(0) ack 11\n", F_SETOWN, (int)victim, F_SETSIG);
	rc = run_one(body, NULL, &r, &n, &dir);
	usleep(100 * 1000);
	ck_assert_msg(waitpid(victim, &status, WNOHANG) == 0,
		      "a script killed a host process (status %#x)", status);
	kill(victim, SIGKILL);
	waitpid(victim, NULL, 0);
	ck_assert_msg(rc == 0 || rc == 1, "tcpconf: status %d", rc);
	report_free_all(r, n);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* "/tmp/x/case.pkt" -> "tmp_x_case-ipv4.pcap", as the runner names it. */
static void pcap_name(const char *pkt, char *out, size_t size)
{
	snprintf(out, size, "%.*s-ipv4.pcap", (int)(strlen(pkt) - 5), pkt + 1);
	for (char *p = out; *p; p++)
		if (*p == '/')
			*p = '_';
}

/* --pcap-dir without --results; a link planted where the capture goes is
 * replaced, never followed. */
START_TEST(pcap_written_without_results_and_links_not_followed)
{
	char *dir = scratch_new(), pkt[4200], caps[4200], name[4200], link[8400];
	char target[4200], out[4200], *text, *args[] = { "--pcap-dir", caps, pkt, NULL };
	struct stat sb;

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	snprintf(pkt, sizeof(pkt), "%s/case.pkt", dir);
	snprintf(caps, sizeof(caps), "%s/caps", dir);
	snprintf(target, sizeof(target), "%s/target", dir);
	snprintf(out, sizeof(out), "%s/out.txt", dir);
	/* fails: the FIN close() sends is unexpected under --strict_quiet */
	ck_assert_int_ge(asprintf(&text, "--strict_quiet\n%s+.1 close(4) = 0\n"
				  "+.1 < . 1:1(0) ack 1 win 65535\n", prelude), 0);
	scratch_write(pkt, text);
	free(text);
	scratch_write(target, "keep\n");
	ck_assert_int_eq(mkdir(caps, 0755), 0);
	pcap_name(pkt, name, sizeof(name));
	snprintf(link, sizeof(link), "%s/%s", caps, name);
	ck_assert_int_eq(symlink(target, link), 0);
	ck_assert_int_eq(tcpconf_wait(tcpconf_start(args, out, 0)), 1);
	text = scratch_read(target);
	ck_assert_str_eq(text, "keep\n");
	free(text);
	ck_assert_int_eq(lstat(link, &sb), 0);
	ck_assert_msg(S_ISREG(sb.st_mode) && sb.st_size > 24, "%s: not a capture", link);
	text = scratch_read(out);
	ck_assert_msg(strstr(text, link), "the message does not cite %s: %s", link, text);
	free(text);
	scratch_remove(dir);
	free(dir);
}
END_TEST

START_TEST(symlinked_pcap_dir_refused)
{
	char *dir = scratch_new(), pkt[4200], real[4200], link[4200], out[4200], *text;
	char *args[] = { "--pcap-dir", link, pkt, NULL };

	snprintf(pkt, sizeof(pkt), "%s/case.pkt", dir);
	snprintf(real, sizeof(real), "%s/real", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	snprintf(out, sizeof(out), "%s/out.txt", dir);
	scratch_write(pkt, prelude);
	ck_assert_int_eq(mkdir(real, 0755), 0);
	ck_assert_int_eq(symlink(real, link), 0);
	ck_assert_int_eq(tcpconf_wait(tcpconf_start(args, out, 0)), 2);
	text = scratch_read(out);
	ck_assert_msg(strstr(text, "--pcap-dir") && strstr(text, "symbolic link"),
		      "output: %s", text);
	free(text);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* Few descriptors: starts wait for running cases to end, none is dropped. */
START_TEST(few_descriptors_drop_no_case)
{
	char *dir = scratch_new(), path[4200], out[4200], *text;
	char *args[] = { "-j", "8", "--results", dir, path, NULL };
	struct record *r;
	size_t n;

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	ck_assert_int_ge(asprintf(&text, "%s+.05 close(4) = 0\n+0 > F. 1:1(0) ack 1\n", prelude), 0);
	for (int i = 0; i < 6; i++) {
		snprintf(path, sizeof(path), "%s/c%d.pkt", dir, i);
		scratch_write(path, text);
	}
	free(text);
	snprintf(path, sizeof(path), "%s", dir);
	snprintf(out, sizeof(out), "%s/out.txt", dir);
	tcpconf_wait(tcpconf_start(args, out, 12));
	read_results(dir, &r, &n);
	ck_assert_uint_eq(n, 12);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(!strstr(r[i].message, "cannot start"), "%s", r[i].message);
	report_free_all(r, n);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* A start that fails says why and leaves nothing open. */
START_TEST(failed_start_reports_errno)
{
	struct script *s = NULL;
	struct record rec = { .name = "x" };
	struct exec_options o = { .pcap_fd = -1 };
	struct job j = { .rec = &rec };
	struct rlimit rl, low;
	char *error = NULL;
	int err;

	ck_assert_int_eq(script_parse("x.pkt", prelude, strlen(prelude), &s, &error), 0);
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	low = rl;
	low.rlim_cur = 3;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
	ck_assert_int_eq(job_start(&j, s, &o), -1);
	err = errno;
	/* back, for LeakSanitizer's /proc reads at exit */
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	ck_assert_int_eq(err, EMFILE);
	ck_assert_int_ne(j.start.tv_sec + j.start.tv_nsec, 0);
	ck_assert_int_eq(j.pid, 0);
	script_free(s);
}
END_TEST

/* SIGINT to the runner: a case cut short is interrupted, not timed out. */
START_TEST(interrupted_case_says_so)
{
	char *dir = scratch_new(), pkt[4200], out[4200], *text;
	char *args[] = { "--results", dir, pkt, NULL };
	pid_t pid;

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	snprintf(pkt, sizeof(pkt), "%s/case.pkt", dir);
	snprintf(out, sizeof(out), "%s/out.txt", dir);
	ck_assert_int_ge(asprintf(&text, "%s+5 close(4) = 0\n+0 > F. 1:1(0) ack 1\n", prelude), 0);
	scratch_write(pkt, text);
	free(text);
	pid = tcpconf_start(args, out, 0);
	usleep(1500 * 1000);
	kill(pid, SIGINT);
	ck_assert_int_eq(tcpconf_wait(pid), 128 + SIGINT);
	text = scratch_read(out);
	ck_assert_msg(strstr(text, "interrupted by signal 2 after") && !strstr(text, "timed out"),
		      "output: %s", text);
	free(text);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* Write text to path; 0, or -1. */
static int put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : write(fd, text, strlen(text));

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/*
 * Run tcpconf with args as uid in a user namespace where root is host
 * root (so the host's ids mean what they say) but user namespaces are
 * off: max_user_namespaces is per user namespace, the host's stays.
 */
static int run_without_userns(char *const args[], const char *out, uid_t uid)
{
	char path[64], c;
	int go[2], ready[2], status;
	pid_t pid;

	ck_assert_int_eq(pipe(go), 0);
	ck_assert_int_eq(pipe(ready), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(go[1]);
		close(ready[0]);
		if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0 || write(ready[1], "x", 1) != 1 ||
		    read(go[0], &c, 1) != 1 ||
		    put("/proc/sys/user/max_user_namespaces", "0") < 0 ||
		    (uid && (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 ||
			     setresuid(uid, uid, uid) < 0)))
			_exit(125);
		_exit(tcpconf_wait(tcpconf_start(args, out, 0)));
	}
	close(go[0]);
	close(ready[1]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	close(ready[0]);
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	ck_assert_int_eq(put(path, "0 0 65536\n"), 0);
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	ck_assert_int_eq(put(path, "0 0 65536\n"), 0);
	ck_assert_int_eq(write(go[1], "x", 1), 1);
	close(go[1]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* No user namespaces: root is warned and runs the cases as before; anyone
 * else gets them as skips with the reason. */
START_TEST(without_user_namespaces_root_warns_others_skip)
{
	char *dir = scratch_new(), pkt[4200], out[4200], *text;
	char *args[] = { "--results", dir, pkt, NULL };
	struct record *r;
	size_t n;

	if (geteuid() != 0 && SKIPPED("need host root to map host ids"))
		return;
	snprintf(pkt, sizeof(pkt), "%s/case.pkt", dir);
	snprintf(out, sizeof(out), "%s/out.txt", dir);
	ck_assert_int_ge(asprintf(&text, "%s+.05 close(4) = 0\n+0 > F. 1:1(0) ack 1\n", prelude), 0);
	scratch_write(pkt, text);
	free(text);
	ck_assert_int_eq(chmod(dir, 0777), 0);
	ck_assert_int_eq(run_without_userns(args, out, 0), 0);
	text = scratch_read(out);
	ck_assert_msg(strstr(text, "warning: no sandbox (user namespaces are off"), "%s", text);
	free(text);
	snprintf(out, sizeof(out), "%s/out-user.txt", dir);	/* the first is root's */
	/* every case skipped: kselftest's skip status, not a pass */
	ck_assert_int_eq(run_without_userns(args, out, SANDBOX_OUTSIDE_ID), 4);
	read_results(dir, &r, &n);
	ck_assert_uint_eq(n, 2);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(r[i].verdict, VERDICT_SKIP);
		ck_assert_msg(strstr(r[i].message, "no sandbox and not root: user namespaces are off"),
			      "%s", r[i].message);
	}
	report_free_all(r, n);
	scratch_remove(dir);
	free(dir);
}
END_TEST
TCase *runner_contain_tcase(void)
{
	TCase *tc = tcase_create("contain");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, hostile_fcntl_cannot_signal_a_host_process);
	tcase_add_test(tc, pcap_written_without_results_and_links_not_followed);
	tcase_add_test(tc, symlinked_pcap_dir_refused);
	tcase_add_test(tc, few_descriptors_drop_no_case);
	tcase_add_test(tc, failed_start_reports_errno);
	tcase_add_test(tc, interrupted_case_says_so);
	tcase_add_test(tc, without_user_namespaces_root_warns_others_skip);
	return tc;
}
