/* check_shell.c - shell commands run as packetdrill runs them, contained in time, output, descriptors and environment; no root needed but for the last tests. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "exec.h"
#include "netns.h"
#include "record.h"
#include "scratch.h"
#include "script.h"
#include "shell.h"
#include "skip.h"
#include "suites.h"

/* Run text the way exec.c does for a script in dir (shell allowed), limit in ms (0: default). */
static int run_in(const char *dir, const char *text, int limit_ms, int netns_fd,
		  char **error)
{
	char script[4300];
	struct shell_options o = { .script = script, .netns_fd = netns_fd,
				   .time_limit_ms = limit_ms, .take_turn = true };

	snprintf(script, sizeof(script), "%.4096s/case.pkt", dir);
	shell_allow_unsandboxed();
	return shell_run(text, &o, error);
}

static double since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) + (now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The pid the command wrote to dir/name; 0 when there is none. */
static pid_t read_pid(const char *dir, const char *name)
{
	char path[4200];
	FILE *f;
	int pid = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%d", &pid) != 1)
		pid = 0;
	fclose(f);
	return pid;
}

/* Whether pid is gone (or a zombie nobody has reaped yet) within 2 s. */
static bool dies(pid_t pid)
{
	for (int i = 0; i < 200; i++) {
		char path[64], stat[256] = "";
		FILE *f;

		if (kill(pid, 0) < 0 && errno == ESRCH)
			return true;
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
		f = fopen(path, "r");
		if (f) {
			if (!fgets(stat, sizeof(stat), f))
				stat[0] = '\0';
			fclose(f);
			if (strstr(stat, ") Z "))
				return true;
		}
		usleep(10000);
	}
	return false;
}

START_TEST(exit_status_zero_passes)
{
	char *dir = scratch_new(), *error = NULL;

	ck_assert_int_eq(run_in(dir, "true", 0, 0, &error), STATUS_OK);
	ck_assert_ptr_null(error);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* What each failing command reports, after the script's file:line. */
static const struct {
	const char *text, *message;
} failing[] = {
	{ "exit 1", "`exit 1`: expected exit status 0 vs actual exit status 1" },
	{ "echo boom >&2; exit 3",
	  "`echo boom >&2; exit 3`: expected exit status 0 vs actual exit status 3; stderr: boom" },
	/* stderr on one line, and the command too */
	{ "printf 'a\\nb\\n\\001\\n' >&2\nfalse",
	  "`printf 'a\\nb\\n\\001\\n' >&2; false`: expected exit status 0 vs actual "
	  "exit status 1; stderr: a; b; ?" },
	{ "kill -9 $$", "`kill -9 $$`: expected exit status 0 vs actual signal 9 (SIGKILL)" },
	/* the text reaches sh unchanged: quoting, $(...), backslashes */
	{ "x=$(echo \"a  b\"); test \"$x\" = 'a  b' && test \"\\$\" = '$' && exit 5",
	  "`x=$(echo \"a  b\"); test \"$x\" = 'a  b' && test \"\\$\" = '$' && exit 5`: "
	  "expected exit status 0 vs actual exit status 5" },
};

START_TEST(failure_names_command_status_and_stderr)
{
	char *dir = scratch_new(), *error = NULL;

	ck_assert_int_eq(run_in(dir, failing[_i].text, 0, 0, &error), STATUS_ERROR);
	ck_assert_str_eq(error, failing[_i].message);
	free(error);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* As the corpora write them: several lines, continued with backslashes, $(...) inside. */
START_TEST(parsed_command_reaches_sh_unchanged)
{
	static const char text[] =
		"`../common/defaults.sh\n"
		"  x=$(echo \"a  b\"); test \"$x\" = 'a  b' && \\\n"
		"  test \"$(basename $(pwd))\" != / || exit 9; exit 7`\n"
		"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n";
	char *dir = scratch_new(), *error = NULL, path[4300], sub[4200];
	struct script *s;
	const struct event *ev;

	snprintf(sub, sizeof(sub), "%.4000s/common", dir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	scratch_write_in(sub, "defaults.sh", "#!/bin/sh\nexit 0\n");
	snprintf(path, sizeof(path), "%s/defaults.sh", sub);
	ck_assert_int_eq(chmod(path, 0755), 0);
	snprintf(path, sizeof(path), "%.4000s/case.pkt", dir);
	ck_assert_int_eq(script_parse(path, text, sizeof(text) - 1, &s, &error), STATUS_OK);
	ev = script_event(s, 0);
	ck_assert_int_eq(ev->type, EVENT_COMMAND);
	ck_assert_str_eq(ev->u.command, "../common/defaults.sh\n"
			 "  x=$(echo \"a  b\"); test \"$x\" = 'a  b' && \\\n"
			 "  test \"$(basename $(pwd))\" != / || exit 9; exit 7");
	snprintf(sub, sizeof(sub), "%.4000s/tcp", dir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	ck_assert_int_eq(run_in(sub, ev->u.command, 0, 0, &error), STATUS_ERROR);
	ck_assert_msg(strstr(error, "actual exit status 7"), "%s", error);
	free(error);
	script_free(s);
	scratch_remove(dir);
	free(dir);
}
END_TEST

START_TEST(stderr_is_bounded_and_drained)
{
	char *dir = scratch_new(), *error = NULL;
	const char *text = "head -c 100000 /dev/zero | tr '\\0' x >&2; exit 2";

	ck_assert_int_eq(run_in(dir, text, 0, 0, &error), STATUS_ERROR);
	ck_assert_msg(strstr(error, "actual exit status 2; stderr: xxxx"), "%s", error);
	ck_assert_msg(strstr(error, "x [...] (95904 more bytes)"), "%s", error);
	ck_assert_uint_lt(strlen(error), SHELL_STDERR_MAX + 200);
	free(error);
	scratch_remove(dir);
	free(dir);
}
END_TEST

START_TEST(time_limit_kills_the_process_group)
{
	char *dir = scratch_new(), *error = NULL;
	struct timespec t0;
	pid_t bg;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(run_in(dir, "sleep 100 & echo $! > bg.pid; echo waiting >&2; sleep 100",
				300, 0, &error), STATUS_ERROR);
	ck_assert_double_lt(since(&t0), 3.0);
	ck_assert_str_eq(error, "`sleep 100 & echo $! > bg.pid; echo waiting >&2; sleep 100` "
			 "timed out after 0.3 s; stderr: waiting");
	bg = read_pid(dir, "bg.pid");
	ck_assert_int_gt(bg, 0);
	ck_assert_msg(dies(bg), "the background sleep %d outlived the command", (int)bg);
	free(error);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* A background process holds stderr open: the command still ends when sh does, and takes it along. */
START_TEST(nothing_outlives_a_command)
{
	char *dir = scratch_new(), *error = NULL;
	struct timespec t0;
	pid_t bg;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(run_in(dir, "sleep 100 & echo $! > bg.pid", 0, 0, &error), STATUS_OK);
	ck_assert_double_lt(since(&t0), 3.0);
	bg = read_pid(dir, "bg.pid");
	ck_assert_int_gt(bg, 0);
	ck_assert_msg(dies(bg), "the background sleep %d outlived the command", (int)bg);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* The script's directory, as packetdrill's `./defaults.sh` and `../common/defaults.sh` need. */
START_TEST(runs_in_the_script_directory)
{
	char *dir = scratch_new(), *error = NULL, sub[4200], script[4300];

	snprintf(sub, sizeof(sub), "%s/tcp", dir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	scratch_write_in(dir, "defaults.sh", "#!/bin/sh\necho defaults ran >&2\nexit 4\n");
	snprintf(script, sizeof(script), "%s/defaults.sh", dir);
	ck_assert_int_eq(chmod(script, 0755), 0);
	ck_assert_int_eq(run_in(sub, "../defaults.sh", 0, 0, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "`../defaults.sh`: expected exit status 0 vs actual "
			 "exit status 4; stderr: defaults ran");
	free(error);
	error = NULL;
	ck_assert_int_eq(run_in(dir, "./defaults.sh", 0, 0, &error), STATUS_ERROR);
	free(error);
	error = NULL;
	/* a bare file name: the current directory */
	ck_assert_int_eq(chdir(dir), 0);
	{
		struct shell_options o = { .script = "case.pkt" };

		ck_assert_int_eq(shell_run("test -x defaults.sh", &o, &error), STATUS_OK);
	}
	ck_assert_int_eq(chdir("/"), 0);
	scratch_remove(dir);
	free(dir);
}
END_TEST

START_TEST(environment_is_fixed)
{
	char *dir = scratch_new(), *error = NULL;

	setenv("TCPCONF_TEST_SECRET", "hunter2", 1);
	setenv("HOME", "/root", 1);
	ck_assert_int_eq(run_in(dir, "test \"$PATH\" = /usr/sbin:/usr/bin:/sbin:/bin && "
				"test \"$LC_ALL\" = C && test \"$PACKETDRILL_PID\" = \"$PPID\" && "
				"test -z \"$TCPCONF_TEST_SECRET$HOME\"", 0, 0, &error), STATUS_OK);
	/* and nothing else but what sh adds itself */
	ck_assert_int_eq(run_in(dir, "env | cut -d= -f1 | grep -vx 'PWD\\|SHLVL\\|_' | sort | "
				"tr '\\n' ' ' >&2; false", 0, 0, &error), STATUS_ERROR);
	ck_assert_msg(strstr(error, "; stderr: LC_ALL PACKETDRILL_PID PATH"), "%s", error);
	ck_assert_msg(!strstr(error, "PATH "), "%s", error);
	free(error);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* stdin reads nothing, and the case's descriptors (sockets, result pipe) stay ours. */
START_TEST(no_descriptor_of_ours)
{
	char *dir = scratch_new(), *error = NULL;
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(dup2(sv[0], 9), 9);
	ck_assert_int_eq(run_in(dir, "test ! -e /proc/$$/fd/9 && test ! -e /proc/$$/fd/3 && "
				"test \"$(readlink /proc/$$/fd/0)\" = /dev/null && ! read x",
				0, 0, &error), STATUS_OK);
	close(9);
	close(sv[0]);
	close(sv[1]);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/*
 * shell_share(1): commands of forked processes take turns.  Each holds a
 * directory as a lock while it runs; one that finds it taken fails, so a
 * failure means two ran at once.  The turn comes back after each, the
 * command never sees the semaphore's descriptor, and the waits are counted
 * where shell_share_account() says.
 */
START_TEST(shared_turns_serialise_commands_across_processes)
{
	char *dir = scratch_new(), *error = NULL, text[4400];
	pid_t kids[3];
	int status;
	uint64_t turns;
	struct shell_wait *waited = mmap(NULL, sizeof(*waited), PROT_READ | PROT_WRITE,
					 MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	ck_assert_ptr_ne(waited, MAP_FAILED);
	shell_share_account(waited);		/* the children add their waits here */
	ck_assert_int_eq(shell_share(1, &error), STATUS_OK);
	snprintf(text, sizeof(text), "mkdir %s/held && sleep 0.1 && rmdir %s/held && "
		 "test ! -e /proc/$$/fd/%d", dir, dir, shell_share_fd());
	for (int k = 0; k < 3; k++) {
		kids[k] = fork();
		if (kids[k] == 0)
			_exit(run_in(dir, text, 0, 0, &error) == STATUS_OK ? 0 : 1);
		ck_assert_int_gt(kids[k], 0);
	}
	for (int k = 0; k < 3; k++) {
		ck_assert_int_eq(waitpid(kids[k], &status, 0), kids[k]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			      "command %d ran beside another", k);
	}
	/* three commands of 0.1 s in one turn: the later two waited 0.1 s and
	 * 0.2 s, which the account holds (it is what a job's limit leaves out) */
	ck_assert_uint_ge(waited->total_us, 250000);
	ck_assert_uint_eq(waited->since_us, 0);		/* none going on */
	ck_assert_uint_eq(shell_wait_us(waited), waited->total_us);
	/* the one turn is back: read it, and the counter is empty again */
	ck_assert_int_eq(read(shell_share_fd(), &turns, sizeof(turns)), sizeof(turns));
	ck_assert_uint_eq(turns, 1);
	ck_assert_int_eq(fcntl(shell_share_fd(), F_SETFL, O_NONBLOCK), 0);
	ck_assert_int_lt(read(shell_share_fd(), &turns, sizeof(turns)), 0);
	/* no turn left now, yet a timed command (no take_turn) runs at once */
	turns = waited->total_us;
	{
		struct shell_options now = { .script = "case.pkt", .workdir = dir };

		shell_allow_unsandboxed();
		ck_assert_int_eq(shell_run("true", &now, &error), STATUS_OK);
	}
	ck_assert_uint_eq(waited->total_us, turns);
	munmap(waited, sizeof(*waited));
	ck_assert_int_eq(shell_share(4, &error), STATUS_OK);	/* a second call replaces it */
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* A runner started with its standard descriptors closed still gives the command its own. */
START_TEST(closed_stdio_is_not_confused)
{
	char *dir = scratch_new(), *error = NULL;
	int saved = dup(2);

	close(0);
	close(1);
	close(2);
	ck_assert_int_eq(run_in(dir, "echo out; echo err >&2; ! read x; false", 0, 0, &error),
			 STATUS_ERROR);
	dup2(saved, 2);
	ck_assert_str_eq(error, "`echo out; echo err >&2; ! read x; false`: expected exit "
			 "status 0 vs actual exit status 1; stderr: err");
	free(error);
	scratch_remove(dir);
	free(dir);
}
END_TEST

START_TEST(outside_the_sandbox_nothing_runs)
{
	char *dir = scratch_new(), *error = NULL, script[4200];
	struct shell_options o = { .script = script };

	snprintf(script, sizeof(script), "%s/case.pkt", dir);
	/* the runner's environment cannot open the gate */
	setenv("TCPCONF_TEST_ALLOW_SHELL", "1", 1);
	ck_assert_int_eq(shell_check(&error), STATUS_SKIP);
	ck_assert_str_eq(error, "shell commands run only inside the per-case sandbox");
	free(error);
	error = NULL;
	ck_assert_int_eq(shell_run("touch ran", &o, &error), STATUS_SKIP);
	ck_assert_str_eq(error, "shell commands run only inside the per-case sandbox");
	snprintf(script, sizeof(script), "%s/ran", dir);
	ck_assert_int_eq(access(script, F_OK), -1);
	free(error);
	unsetenv("TCPCONF_TEST_ALLOW_SHELL");
	/* only the harness's own code can */
	shell_allow_unsandboxed();
	ck_assert_int_eq(shell_check(NULL), STATUS_OK);
	scratch_remove(dir);
	free(dir);
}
END_TEST

START_TEST(what_cannot_start_is_named)
{
	char *dir = scratch_new(), *error = NULL;
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	/* not a namespace: the child says why and the command fails */
	ck_assert_int_eq(run_in(dir, "true", 0, fd, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "`true`: expected exit status 0 vs actual exit status 127; "
			 "stderr: tcpconf: setns: EINVAL");
	free(error);
	error = NULL;
	close(fd);
	ck_assert_int_eq(run_in(dir, "no-such-command-here", 0, 0, &error), STATUS_ERROR);
	ck_assert_msg(strstr(error, "`no-such-command-here`: expected exit status 0 vs actual "
			     "exit status 127; stderr: ") &&
		      strstr(error, "no-such-command-here: "), "%s", error);
	free(error);
	error = NULL;
	ck_assert_int_eq(run_in("/nonexistent/tcpconf", "true", 0, 0, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "the directory of /nonexistent/tcpconf/case.pkt: "
			 "No such file or directory");
	free(error);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* The case runs at a real-time priority; its commands must not. */
START_TEST(command_runs_at_normal_priority)
{
	struct sched_param sp = { .sched_priority = 10 };
	char *dir, *error = NULL;

	if (SKIP_WITHOUT_ROOT())
		return;
	if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0 && SKIPPED("no SCHED_FIFO"))
		return;
	dir = scratch_new();
	ck_assert_int_eq(run_in(dir, "chrt -p $$ | grep -q SCHED_OTHER", 0, 0, &error),
			 STATUS_OK);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* A namespace the caller is not in: the command moves into it, the caller stays. */
START_TEST(command_enters_the_namespace_it_is_given)
{
	struct netns *ns;
	char *dir, *error = NULL, value[16];

	if (SKIP_WITHOUT_ROOT())
		return;
	if (netns_new(&ns, &error) < 0 && SKIPPED("no network namespaces"))
		return;
	ck_assert_int_eq(netns_sysctl_get(ns, "net.ipv4.tcp_sack", value, sizeof(value),
					  &error), 0);
	ck_assert_int_eq(netns_sysctl_set(ns, "net.ipv4.tcp_sack", value[0] == '0' ? "1" : "0",
					  &error), 0);
	dir = scratch_new();
	ck_assert_int_eq(run_in(dir, value[0] == '0' ? "test $(cat /proc/sys/net/ipv4/tcp_sack) = 1"
						     : "test $(cat /proc/sys/net/ipv4/tcp_sack) = 0",
				0, netns_fd(ns), &error), STATUS_OK);
	netns_free(ns);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* Run dir/case.pkt (text) for IPv4 in this process; the record is the caller's. */
static void exec_script(const char *dir, const char *text, struct record *rec)
{
	struct exec_options o = { .tolerance_usecs = -1 };
	struct script *s;
	char path[4200], *error = NULL;

	scratch_write_in(dir, "case.pkt", text);
	snprintf(path, sizeof(path), "%s/case.pkt", dir);
	if (script_parse_file(path, &s, &error) < 0)
		ck_abort_msg("%s", error);
	exec_case(s, AF_INET, &o, rec);
	script_free(s);
}

/* A host value of tcp_sack read through a descriptor opened in the host's namespace. */
static char host_sack(int fd)
{
	char c = '?';

	ck_assert_int_eq(pread(fd, &c, 1, 0), 1);
	return c;
}

/* Absolute times: they count from the end of the commands before time 0. */
static const char body[] =
	"0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	"0     setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
	"0     bind(3, ..., ...) = 0\n"
	"0     listen(3, 1) = 0\n"
	"0.050 < S 0:0(0) win 65535 <mss 1460>\n"
	"0.050 > S. 0:0(0) ack 1 <mss 1460>\n"
	"0.100 < . 1:1(0) ack 1 win 65535\n"
	"0.100 accept(3, ..., ...) = 4\n";

/*
 * A command lands in the kernel side's namespace: what it writes there a
 * later command and the kernel see, and the host keeps its value.  Slow
 * commands before time 0 do not make the first events late.
 */
START_TEST(commands_run_in_the_kernel_namespace)
{
	struct record rec = { 0 };
	char *dir, *text;
	int fd, held;
	char host;

	if (SKIP_WITHOUT_ROOT())
		return;
	/* Without root the "host" is a namespace of the test's own, which
	 * would go (and its sysctls read ENOENT) when exec_case moves the
	 * thread out of it: hold it. */
	held = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(held, 0);
	fd = open("/proc/sys/net/ipv4/tcp_sack", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	host = host_sack(fd);
	dir = scratch_new();
	scratch_write_in(dir, "defaults.sh", host == '0' ? "echo 1 > /proc/sys/net/ipv4/tcp_sack\n"
						  : "sysctl -q net.ipv4.tcp_sack=$((1-1))\n");
	shell_allow_unsandboxed();
	/* a native sysctl line, then the shell reads what it set and sets its own;
	 * 0.2 s before time 0 */
	ck_assert_int_ge(asprintf(&text, "`sysctl -q net.ipv4.tcp_timestamps=0`\n"
				  "`sh ./defaults.sh; sleep 0.2`\n"
				  "`test \"$(cat /proc/sys/net/ipv4/tcp_sack)\" = %c`\n%s"
				  "+0 `test -f case.pkt && test -f defaults.sh`\n"
				  "+0 `test $(cat /proc/sys/net/ipv4/tcp_timestamps) = 0`\n",
				  host == '0' ? '1' : '0', body), 0);
	exec_script(dir, text, &rec);
	ck_assert_msg(rec.verdict == VERDICT_PASS, "%s", rec.message);
	record_clear(&rec);
	free(text);
	/* the line after the last one fails: the host's value is not the bed's */
	ck_assert_int_ge(asprintf(&text, "`sh ./defaults.sh`\n%s"
				  "+0 `test \"$(cat /proc/sys/net/ipv4/tcp_sack)\" = %c`\n",
				  body, host), 0);
	exec_script(dir, text, &rec);
	ck_assert_int_eq(rec.verdict, VERDICT_FAIL);
	ck_assert_msg(strstr(rec.message, "case.pkt:10: `test \"$(cat /proc/sys/net/ipv4/tcp_sack)\""),
		      "%s", rec.message);
	ck_assert_msg(strstr(rec.message, "expected exit status 0 vs actual exit status 1"),
		      "%s", rec.message);
	record_clear(&rec);
	free(text);
	ck_assert_int_eq(host_sack(fd), host);
	close(fd);
	close(held);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* Outside the sandbox a script with a shell command skips before any bed is built. */
START_TEST(script_with_a_command_skips_outside_the_sandbox)
{
	struct record rec = { 0 };
	char *dir = scratch_new();

	exec_script(dir, "`sysctl -q net.ipv4.tcp_sack=1`\n`../common/defaults.sh`\n"
		    "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n", &rec);
	ck_assert_int_eq(rec.verdict, VERDICT_SKIP);
	ck_assert_msg(strstr(rec.message, "case.pkt:2: shell commands run only inside the "
			     "per-case sandbox"), "%s", rec.message);
	record_clear(&rec);
	scratch_remove(dir);
	free(dir);
}
END_TEST

Suite *shell_suite(void)
{
	Suite *s = suite_create("shell");
	TCase *tc = tcase_create("command");
	TCase *bed = tcase_create("bed");

	tcase_add_test(tc, exit_status_zero_passes);
	tcase_add_loop_test(tc, failure_names_command_status_and_stderr, 0,
			    sizeof(failing) / sizeof(failing[0]));
	tcase_add_test(tc, parsed_command_reaches_sh_unchanged);
	tcase_add_test(tc, stderr_is_bounded_and_drained);
	tcase_add_test(tc, time_limit_kills_the_process_group);
	tcase_add_test(tc, nothing_outlives_a_command);
	tcase_add_test(tc, runs_in_the_script_directory);
	tcase_add_test(tc, environment_is_fixed);
	tcase_add_test(tc, shared_turns_serialise_commands_across_processes);
	tcase_add_test(tc, no_descriptor_of_ours);
	tcase_add_test(tc, closed_stdio_is_not_confused);
	tcase_add_test(tc, outside_the_sandbox_nothing_runs);
	tcase_add_test(tc, what_cannot_start_is_named);
	tcase_add_test(tc, command_runs_at_normal_priority);
	tcase_add_test(tc, command_enters_the_namespace_it_is_given);
	tcase_add_test(tc, script_with_a_command_skips_outside_the_sandbox);
	suite_add_tcase(s, tc);
	tcase_set_timeout(bed, 60);
	tcase_add_test(bed, commands_run_in_the_kernel_namespace);
	suite_add_tcase(s, bed);
	return s;
}
