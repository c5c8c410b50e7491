/* check_runner.c - the runner end to end: the catalogue passes, every case can fail, bad scripts are caught. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "job.h"
#include "report.h"
#include "scratch.h"
#include "script.h"
#include "skip.h"
#include "suites.h"

#define TCPCONF "./harness/tcpconf"

/* NULL when this kernel has network namespaces (the runs need them), else why not. */
static const char *no_netns(void)
{
	return access("/proc/self/ns/net", R_OK) ? "no network namespaces" : NULL;
}

/* Run tcpconf with args, results into dir; returns its exit status. */
static int tcpconf(const char *dir, char *const extra[])
{
	char *argv[64];
	int argc = 0, status;
	char out[4096];
	pid_t pid;

	snprintf(out, sizeof(out), "%s/out.txt", dir);
	argv[argc++] = TCPCONF;
	argv[argc++] = "run";
	argv[argc++] = "--results";
	argv[argc++] = (char *)dir;
	for (int i = 0; extra[i] && argc < 62; i++)
		argv[argc++] = extra[i];
	argv[argc] = NULL;
	pid = fork();
	if (pid == 0) {
		FILE *f = freopen(out, "w", stdout);

		(void)f;
		execv(TCPCONF, argv);
		_exit(127);
	}
	ck_assert_int_gt(pid, 0);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void read_results(const char *dir, struct record **r, size_t *n)
{
	char path[4200], *error = NULL;

	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	if (report_read_jsonl(path, r, n, &error) < 0)
		ck_abort_msg("reading %s: %s", path, error);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static const char prelude[] =
	"0    socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	"+0   setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
	"+0   bind(3, ..., ...) = 0\n"
	"+0   listen(3, 1) = 0\n"
	"+0   < S 0:0(0) win 65535 <mss 1460>\n"
	"+0   > S. 0:0(0) ack 1 <mss 1460>\n"
	"+0   < . 1:1(0) ack 1 win 65535\n"
	"+0   accept(3, ..., ...) = 4\n";

/* One script, both IP versions; returns the records (caller frees). */
static int run_one(const char *body, const char *opts, struct record **r, size_t *n,
		   char **dirp)
{
	char *dir = scratch_new(), path[4200], *text;
	char *extra[] = { path, NULL };
	int rc;

	snprintf(path, sizeof(path), "%s/case.pkt", dir);
	ck_assert_int_ge(asprintf(&text, "%s%s%s", opts ? opts : "", prelude, body), 0);
	write_file(path, text);
	free(text);
	rc = tcpconf(dir, extra);
	read_results(dir, r, n);
	*dirp = dir;
	return rc;
}

START_TEST(wrong_expectation_fails_with_expected_vs_actual)
{
	struct record *r;
	size_t n;
	char *dir;
	int rc;

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	/* The kernel merges ACK and FIN here; claim a bare ACK instead. */
	rc = run_one("+.1 < F. 1:1(0) ack 1 win 65535\n"
		     "+0 close(4) = 0\n"
		     "+0 > . 1:1(0) ack 2\n", NULL, &r, &n, &dir);
	ck_assert_int_eq(rc, 1);
	ck_assert_uint_eq(n, 2);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(r[i].verdict, VERDICT_FAIL);
		ck_assert_msg(strstr(r[i].message, "case.pkt:11: flags differ: expected . 1:1(0) ack 2 vs actual F. 1:1(0) ack 2"),
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
	/* close() sends a FIN; a script that claims silence must fail. */
	ck_assert_int_eq(run_one("+.1 close(4) = 0\n"
				 "+.2 < . 1:1(0) ack 1 win 65535\n", NULL, &r, &n, &dir), 1);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(strstr(r[i].message, "case.pkt:10: unexpected outbound packet at") &&
			      strstr(r[i].message, "F. 1:1(0) ack 1"),
			      "message: %s", r[i].message);
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
		"(tolerance 0.004000 s) vs actual ", NULL,
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
		write_file(path, text);
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

/* ---- containment, captures and the job loop ---- */

/* Start tcpconf run args... with stdout and stderr to out and at most
 * nofile descriptors (0: as we have). */
static pid_t tcpconf_start(char *const args[], const char *out, rlim_t nofile)
{
	char *argv[32];
	int argc = 0;
	pid_t pid;

	argv[argc++] = TCPCONF;
	argv[argc++] = "run";
	for (int i = 0; args[i] && argc < 31; i++)
		argv[argc++] = args[i];
	argv[argc] = NULL;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct rlimit rl = { nofile, nofile };

		if (!freopen(out, "w", stdout) || dup2(1, 2) < 0 ||
		    (nofile && setrlimit(RLIMIT_NOFILE, &rl) < 0))
			_exit(126);
		execv(TCPCONF, argv);
		_exit(127);
	}
	return pid;
}

static int tcpconf_wait(pid_t pid)
{
	int status;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = calloc(1, 65536);

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(text);
	if (fread(text, 1, 65535, f) == 0)
		text[0] = '\0';
	fclose(f);
	return text;
}

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
	ck_assert_int_ge(asprintf(&text, "%s+.1 close(4) = 0\n+.1 < . 1:1(0) ack 1 win 65535\n",
				  prelude), 0);
	write_file(pkt, text);
	free(text);
	write_file(target, "keep\n");
	ck_assert_int_eq(mkdir(caps, 0755), 0);
	pcap_name(pkt, name, sizeof(name));
	snprintf(link, sizeof(link), "%s/%s", caps, name);
	ck_assert_int_eq(symlink(target, link), 0);
	ck_assert_int_eq(tcpconf_wait(tcpconf_start(args, out, 0)), 1);
	text = slurp(target);
	ck_assert_str_eq(text, "keep\n");
	free(text);
	ck_assert_int_eq(lstat(link, &sb), 0);
	ck_assert_msg(S_ISREG(sb.st_mode) && sb.st_size > 24, "%s: not a capture", link);
	text = slurp(out);
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
	write_file(pkt, prelude);
	ck_assert_int_eq(mkdir(real, 0755), 0);
	ck_assert_int_eq(symlink(real, link), 0);
	ck_assert_int_eq(tcpconf_wait(tcpconf_start(args, out, 0)), 2);
	text = slurp(out);
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
		write_file(path, text);
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
	struct rlimit rl = { 3, 3 };
	char *error = NULL;

	ck_assert_int_eq(script_parse("x.pkt", prelude, strlen(prelude), &s, &error), 0);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	ck_assert_int_eq(job_start(&j, s, &o), -1);
	ck_assert_int_eq(errno, EMFILE);
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
	write_file(pkt, text);
	free(text);
	pid = tcpconf_start(args, out, 0);
	usleep(1500 * 1000);
	kill(pid, SIGINT);
	ck_assert_int_eq(tcpconf_wait(pid), 128 + SIGINT);
	text = slurp(out);
	ck_assert_msg(strstr(text, "interrupted by signal 2 after") && !strstr(text, "timed out"),
		      "output: %s", text);
	free(text);
	scratch_remove(dir);
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
	tcase_add_test(tc, hostile_fcntl_cannot_signal_a_host_process);
	tcase_add_test(tc, pcap_written_without_results_and_links_not_followed);
	tcase_add_test(tc, symlinked_pcap_dir_refused);
	tcase_add_test(tc, few_descriptors_drop_no_case);
	tcase_add_test(tc, failed_start_reports_errno);
	tcase_add_test(tc, interrupted_case_says_so);
	suite_add_tcase(s, tc);
	return s;
}
