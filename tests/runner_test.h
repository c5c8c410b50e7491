/* runner_test.h - what the runner's suites share: running the tcpconf binary on a script or a tree, and reading what it wrote. */
#ifndef TCPCONF_TESTS_RUNNER_TEST_H
#define TCPCONF_TESTS_RUNNER_TEST_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"
#include "scratch.h"

#define TCPCONF "./harness/tcpconf"

/* NULL when this kernel has network namespaces (the runs need them), else why not. */
static inline const char *no_netns(void)
{
	return access("/proc/self/ns/net", R_OK) ? "no network namespaces" : NULL;
}

/* Run tcpconf with args, results into dir; returns its exit status. */
static inline int tcpconf(const char *dir, char *const extra[])
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

static inline void read_results(const char *dir, struct record **r, size_t *n)
{
	char path[4200], *error = NULL;

	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	if (report_read_jsonl(path, r, n, &error) < 0)
		ck_abort_msg("reading %s: %s", path, error);
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
static inline int run_one(const char *body, const char *opts, struct record **r, size_t *n,
		   char **dirp)
{
	char *dir = scratch_new(), path[4200], *text;
	char *extra[] = { path, NULL };
	int rc;

	snprintf(path, sizeof(path), "%s/case.pkt", dir);
	ck_assert_int_ge(asprintf(&text, "%s%s%s", opts ? opts : "", prelude, body), 0);
	scratch_write(path, text);
	free(text);
	rc = tcpconf(dir, extra);
	read_results(dir, r, n);
	*dirp = dir;
	return rc;
}

/* Start tcpconf run args... with stdout and stderr to out and at most
 * nofile descriptors (0: as we have). */
static inline pid_t tcpconf_start(char *const args[], const char *out, rlim_t nofile)
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

static inline int tcpconf_wait(pid_t pid)
{
	int status;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The containment, capture and job-loop tests (check_runner_contain.c). */
TCase *runner_contain_tcase(void);

/* The calls and %{ }% blocks run for real (check_runner_calls.c). */
TCase *runner_calls_tcase(void);

#endif
