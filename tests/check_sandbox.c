/* check_sandbox.c - what a case in its sandbox can and cannot reach: host processes, host files and settings, its own namespaces. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "netns.h"
#include "sandbox.h"
#include "skip.h"
#include "suites.h"

#define LWTUNNEL "/proc/sys/net/netfilter/nf_hooks_lwtunnel"

/* Why sandboxes cannot be made here, or NULL. */
static const char *no_sandbox(void)
{
	static char why[256];
	char *error = NULL;
	int rc = sandbox_probe(&error);

	snprintf(why, sizeof(why), "no sandbox: %s", error ? error : "?");
	free(error);
	return rc < 0 ? why : NULL;
}

/*
 * Run fn(arg) in a sandbox.  NULL when it returned NULL, else what it
 * said went wrong (the caller frees).  fn runs in another process: it
 * reports instead of asserting.
 */
static char *in_sandbox(const char *(*fn)(const void *arg), const void *arg)
{
	char buf[512], *error = NULL;
	size_t len = 0;
	ssize_t n;
	int p[2], status;
	pid_t pid;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	if (sandbox_fork(&pid, &error) < 0 || pid == 0) {
		const char *why = error ? error : fn(arg);

		close(p[0]);
		if (why && write(p[1], why, strlen(why)) < 0)
			_exit(2);
		_exit(why ? 1 : 0);
	}
	close(p[1]);
	/* first: the child's sandbox_realtime() waits for us to serve it */
	ck_assert_int_eq(sandbox_wait(pid, &status), 0);
	while ((n = read(p[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(p[0]);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return NULL;
	return strdup(len ? buf : "the sandboxed child died");
}

static void assert_passes(const char *(*fn)(const void *arg), const void *arg)
{
	char *why = in_sandbox(fn, arg);

	ck_assert_msg(!why, "inside the sandbox: %s", why);
}

/* A host process that waits to be killed. */
static pid_t victim_new(void)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

static void victim_assert_alive_and_free(pid_t pid)
{
	int status;

	usleep(50 * 1000);	/* a signal, had one been sent, is delivered by now */
	ck_assert_msg(waitpid(pid, &status, WNOHANG) == 0, "the host process died: status %#x",
		      status);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static const char *pid_1_root_inside(const void *arg)
{
	(void)arg;
	if (getpid() != 1)
		return "not PID 1 of its own PID namespace";
	if (getuid() != 0 || geteuid() != 0)
		return "not root inside";
	if (!sandbox_is_active())
		return "sandbox_is_active() is false inside";
	return NULL;
}

START_TEST(case_is_pid_1_and_root_inside)
{
	if (SKIP_IF(no_sandbox()))
		return;
	ck_assert(!sandbox_is_active());
	assert_passes(pid_1_root_inside, NULL);
}
END_TEST

/* /proc/self/uid_map and gid_map: root inside is *arg outside, never 0. */
static const char *mapped_to(const void *arg)
{
	const char *maps[] = { "/proc/self/uid_map", "/proc/self/gid_map" };
	unsigned int inside, outside, count;

	for (int i = 0; i < 2; i++) {
		FILE *f = fopen(maps[i], "r");
		int n = f ? fscanf(f, "%u %u %u", &inside, &outside, &count) : 0;

		if (f)
			fclose(f);
		if (n != 3 || inside != 0 || count != 1)
			return "the id map is not root to one id";
		if (outside == 0)
			return "root inside is root outside";
		if (i == 0 && outside != *(const unsigned int *)arg)
			return "root inside is not the expected uid outside";
	}
	return NULL;
}

START_TEST(root_inside_is_not_root_outside)
{
	unsigned int want = geteuid() == 0 ? SANDBOX_OUTSIDE_ID : geteuid();

	if (SKIP_IF(no_sandbox()))
		return;
	assert_passes(mapped_to, &want);
}
END_TEST

static const char *kill_host(const void *arg)
{
	pid_t victim = *(const pid_t *)arg;

	if (kill(victim, SIGKILL) == 0 || errno != ESRCH)
		return "kill(host pid) did not fail with ESRCH";
	/* every process the case may signal: only its own */
	kill(-1, SIGKILL);
	return NULL;
}

START_TEST(kill_cannot_reach_a_host_process)
{
	pid_t victim;

	if (SKIP_IF(no_sandbox()))
		return;
	victim = victim_new();
	assert_passes(kill_host, &victim);
	victim_assert_alive_and_free(victim);
}
END_TEST

/* The hostile review's escape: the owner of an O_ASYNC socket gets
 * F_SETSIG's signal when data arrives. */
static const char *setown_host(const void *arg)
{
	pid_t victim = *(const pid_t *)arg;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return "socketpair failed";
	if (fcntl(sv[0], F_SETOWN, victim) == 0)
		return "F_SETOWN accepted a host pid";
	if (errno != ESRCH)
		return "F_SETOWN with a host pid did not fail with ESRCH";
	/* and in case it had worked: arm it and send data */
	fcntl(sv[0], F_SETSIG, SIGKILL);
	fcntl(sv[0], F_SETFL, O_ASYNC);
	if (write(sv[1], "x", 1) != 1)
		return "write failed";
	close(sv[0]);
	close(sv[1]);
	return NULL;
}

START_TEST(f_setown_cannot_reach_a_host_process)
{
	pid_t victim;

	if (SKIP_IF(no_sandbox()))
		return;
	victim = victim_new();
	assert_passes(setown_host, &victim);
	victim_assert_alive_and_free(victim);
}
END_TEST

static const char *proc_sys_access(const void *arg)
{
	struct statvfs sv;
	int fd;

	(void)arg;
	if (statvfs("/proc/sys/kernel", &sv) < 0 || !(sv.f_flag & ST_RDONLY))
		return "/proc/sys/kernel is not on a read-only mount";
	if (statvfs("/proc/sys/net", &sv) < 0 || (sv.f_flag & ST_RDONLY))
		return "/proc/sys/net is on a read-only mount";
	fd = open("/proc/sys/kernel/hostname", O_WRONLY);
	if (fd >= 0)
		return "/proc/sys/kernel/hostname is writable";
	fd = open("/proc/sys/net/ipv4/tcp_timestamps", O_WRONLY);
	if (fd < 0)
		return "/proc/sys/net of the case's own namespace is not writable";
	if (write(fd, "0\n", 2) != 2) {
		close(fd);
		return "writing the case's own net.ipv4.tcp_timestamps failed";
	}
	close(fd);
	return NULL;
}

static void read_sysctl(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, (int)size, f));
	fclose(f);
}

START_TEST(proc_sys_read_only_but_net)
{
	char before[64], after[64];

	if (SKIP_IF(no_sandbox()))
		return;
	read_sysctl("/proc/sys/net/ipv4/tcp_timestamps", before, sizeof(before));
	assert_passes(proc_sys_access, NULL);
	read_sysctl("/proc/sys/net/ipv4/tcp_timestamps", after, sizeof(after));
	ck_assert_str_eq(before, after);
}
END_TEST

/* The test bed's namespaces are made inside: their sysctls are the case's. */
static const char *test_ns_sysctl(const void *arg)
{
	struct netns *ns;
	char *error = NULL, value[16];

	(void)arg;
	if (netns_new(&ns, &error) < 0)
		return error;
	if (netns_sysctl_set(ns, "net.ipv4.tcp_fin_timeout", "7", &error) < 0 ||
	    netns_sysctl_get(ns, "net.ipv4.tcp_fin_timeout", value, sizeof(value), &error) < 0)
		return error;
	netns_free(ns);
	return strcmp(value, "7") ? "the namespace's sysctl did not change" : NULL;
}

START_TEST(test_namespace_sysctls_writable_inside)
{
	char before[64], after[64];

	if (SKIP_IF(no_sandbox()))
		return;
	read_sysctl("/proc/sys/net/ipv4/tcp_fin_timeout", before, sizeof(before));
	assert_passes(test_ns_sysctl, NULL);
	read_sysctl("/proc/sys/net/ipv4/tcp_fin_timeout", after, sizeof(after));
	ck_assert_str_eq(before, after);
}
END_TEST

static int open_lwtunnel(void *arg, char **error)
{
	(void)error;
	*(int *)arg = open(LWTUNNEL, O_WRONLY);
	return *(int *)arg < 0 && errno == EROFS ? 0 : -1;
}

/* A host-global setting under /proc/sys/net: sealed in the case's own
 * namespace and in every namespace netns_new() makes inside. */
static const char *lwtunnel_sealed(const void *arg)
{
	struct netns *ns;
	char *error = NULL;
	int fd = -1;

	(void)arg;
	if (open_lwtunnel(&fd, NULL) < 0)
		return LWTUNNEL " is writable in the case's own namespace";
	if (netns_new(&ns, &error) < 0)
		return error;
	if (netns_run(ns, open_lwtunnel, &fd, &error) < 0)
		return LWTUNNEL " is writable in a test namespace";
	netns_free(ns);
	return NULL;
}

START_TEST(host_global_net_sysctl_sealed)
{
	char before[16], after[16];

	if (SKIP_IF(no_sandbox()))
		return;
	if (access(LWTUNNEL, F_OK) < 0 && SKIPPED("no " LWTUNNEL " in this kernel"))
		return;
	read_sysctl(LWTUNNEL, before, sizeof(before));
	assert_passes(lwtunnel_sealed, NULL);
	read_sysctl(LWTUNNEL, after, sizeof(after));
	ck_assert_str_eq(before, after);
}
END_TEST

static const char *tmp_private(const void *arg)
{
	int fd;

	if (access(arg, F_OK) == 0)
		return "a host file in /tmp is visible inside";
	fd = open("/tmp/tcpconf-sandbox-inside", O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return "cannot write the private /tmp";
	close(fd);
	return NULL;
}

START_TEST(tmp_is_private)
{
	char path[64];
	int fd;

	if (SKIP_IF(no_sandbox()))
		return;
	snprintf(path, sizeof(path), "/tmp/tcpconf-sandbox-host-%d", (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink("/tmp/tcpconf-sandbox-inside");
	assert_passes(tmp_private, path);
	ck_assert_int_eq(access("/tmp/tcpconf-sandbox-inside", F_OK), -1);
	unlink(path);
}
END_TEST

/* Root inside holds nothing over host files. */
static const char *host_file(const void *arg)
{
	int fd = open("/etc/passwd", O_WRONLY | O_APPEND);

	(void)arg;
	if (fd >= 0) {
		close(fd);
		return "/etc/passwd is writable inside";
	}
	return errno == EACCES ? NULL : "/etc/passwd: not EACCES";
}

START_TEST(host_files_not_writable)
{
	if (SKIP_IF(no_sandbox()))
		return;
	assert_passes(host_file, NULL);
}
END_TEST

/* PID 1 leaves a child behind holding *arg, the write end of a pipe. */
static const char *leave_child(const void *arg)
{
	pid_t pid = fork();

	(void)arg;
	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid < 0 ? "fork failed" : NULL;
}

/* True when fd reaches end of file within 5 s: every writer is gone. */
static bool hangs_up(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;

	return poll(&p, 1, 5000) == 1 && read(fd, &c, 1) == 0;
}

START_TEST(pid_namespace_dies_with_its_pid_1)
{
	int p[2];
	pid_t pid;

	if (SKIP_IF(no_sandbox()))
		return;
	/* the sandbox's processes inherit the write end; only they hold it */
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(p[0]);
		_exit(in_sandbox(leave_child, NULL) ? 1 : 0);
	}
	close(p[1]);
	ck_assert_msg(hangs_up(p[0]), "a process of the sandbox outlived its PID 1");
	waitpid(pid, NULL, 0);
	close(p[0]);
}
END_TEST

static const char *wait_forever(const void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* The runner kills a case with SIGKILL to the process it forked. */
START_TEST(killing_the_caller_kills_the_sandbox)
{
	int p[2], ready[2];
	pid_t pid;
	char c;

	if (SKIP_IF(no_sandbox()))
		return;
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(pipe(ready), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(p[0]);
		close(ready[0]);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		_exit(in_sandbox(wait_forever, NULL) ? 1 : 0);
	}
	close(p[1]);
	close(ready[1]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	usleep(100 * 1000);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ck_assert_msg(hangs_up(p[0]), "the sandbox outlived the process that made it");
	close(p[0]);
	close(ready[0]);
}
END_TEST

static const char *ask_realtime(const void *arg)
{
	bool privileged = *(const bool *)arg;
	char *error = NULL;
	int rc = sandbox_realtime(SANDBOX_RTPRIO_MAX + 50, &error);

	if (privileged && rc < 0)
		return error;
	if (privileged && sched_getscheduler(0) != SCHED_FIFO)
		return "no SCHED_FIFO for the sandboxed process";
	if (privileged) {
		struct sched_param sp;

		if (sched_getparam(0, &sp) < 0 || sp.sched_priority != SANDBOX_RTPRIO_MAX)
			return "the priority was not capped";
	}
	if (!privileged && rc == 0)
		return "SCHED_FIFO granted without the privilege";
	return NULL;
}

/* The case's real-time priority comes from outside, bounded, and only
 * when the caller has the privilege. */
START_TEST(realtime_from_outside)
{
	struct sched_param fifo = { .sched_priority = 1 }, other = { 0 };
	bool privileged = sched_setscheduler(0, SCHED_FIFO, &fifo) == 0;

	sched_setscheduler(0, SCHED_OTHER, &other);

	if (SKIP_IF(no_sandbox()))
		return;
	assert_passes(ask_realtime, &privileged);
}
END_TEST

/* A nested user namespace would give every capability back. */
static const char *no_nested(const void *arg)
{
	(void)arg;
	if (unshare(CLONE_NEWUSER) == 0)
		return "a user namespace could be made inside the sandbox";
	return NULL;
}

START_TEST(no_user_namespace_inside)
{
	char before[32], after[32];

	if (SKIP_IF(no_sandbox()))
		return;
	read_sysctl("/proc/sys/user/max_user_namespaces", before, sizeof(before));
	assert_passes(no_nested, NULL);
	read_sysctl("/proc/sys/user/max_user_namespaces", after, sizeof(after));
	ck_assert_str_eq(before, after);
}
END_TEST

/* What a shell command gets after sandbox_lock_down(): its execs can
 * neither unmount a seal nor make a namespace. */
static const char *locked_down(const void *arg)
{
	pid_t pid;
	int status;

	(void)arg;
	if (sandbox_lock_down(NULL) < 0)
		return "sandbox_lock_down failed";
	pid = fork();
	if (pid == 0) {
		/* exec recomputes root's capabilities from the bounding set */
		execl("/bin/sh", "sh", "-c",
		      "umount /proc/sys 2>/dev/null && exit 1; "
		      "unshare -n true 2>/dev/null && exit 2; exit 0", (char *)NULL);
		_exit(3);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return "fork failed";
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 1)
		return "an exec'd command could unmount /proc/sys";
	if (WEXITSTATUS(status) == 2)
		return "an exec'd command could make a network namespace";
	return WEXITSTATUS(status) ? "could not exec /bin/sh" : NULL;
}

START_TEST(locked_down_command_cannot_unmount_or_unshare)
{
	if (SKIP_IF(no_sandbox()))
		return;
	if (access("/bin/sh", X_OK) < 0 && SKIPPED("no /bin/sh"))
		return;
	assert_passes(locked_down, NULL);
}
END_TEST

Suite *sandbox_suite(void)
{
	Suite *s = suite_create("sandbox");
	TCase *tc = tcase_create("contained");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, case_is_pid_1_and_root_inside);
	tcase_add_test(tc, root_inside_is_not_root_outside);
	tcase_add_test(tc, kill_cannot_reach_a_host_process);
	tcase_add_test(tc, f_setown_cannot_reach_a_host_process);
	tcase_add_test(tc, proc_sys_read_only_but_net);
	tcase_add_test(tc, test_namespace_sysctls_writable_inside);
	tcase_add_test(tc, host_global_net_sysctl_sealed);
	tcase_add_test(tc, tmp_is_private);
	tcase_add_test(tc, host_files_not_writable);
	tcase_add_test(tc, pid_namespace_dies_with_its_pid_1);
	tcase_add_test(tc, killing_the_caller_kills_the_sandbox);
	tcase_add_test(tc, realtime_from_outside);
	tcase_add_test(tc, no_user_namespace_inside);
	tcase_add_test(tc, locked_down_command_cannot_unmount_or_unshare);
	suite_add_tcase(s, tc);
	return s;
}
