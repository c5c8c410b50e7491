/* shell.c - a script's shell command: /bin/sh -c in a process group of its own, watched until it ends or its time is up. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "sandbox.h"
#include "shell.h"

#define SHELL_PATH	"/bin/sh"

static bool unsandboxed_ok;
static int share_fd = -1;	/* shell_share()'s eventfd */
static struct shell_wait *share_wait;	/* shell_share_account()'s */

void shell_share_account(struct shell_wait *w)
{
	share_wait = w;
}

/* Longest a command waits for its turn: a job killed holding one must not
 * stall the others for good. */
#define SHARE_WAIT_MS	60000

int shell_share(unsigned int n, char **error)
{
	if (share_fd >= 0)
		close(share_fd);
	share_fd = eventfd(n, EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK);
	return share_fd < 0 ? error_set(error, "eventfd: %s", strerror(errno)) : STATUS_OK;
}

int shell_share_fd(void)
{
	return share_fd;
}

static uint64_t now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000 + (uint64_t)t.tv_nsec / 1000;
}

uint64_t shell_wait_us(const struct shell_wait *w)
{
	uint64_t since = __atomic_load_n(&w->since_us, __ATOMIC_ACQUIRE);
	uint64_t total = __atomic_load_n(&w->total_us, __ATOMIC_ACQUIRE);

	/* read between the two stores below it counts one wait twice for a
	 * moment: the limit is only looser then */
	return total + (since ? now_us() - since : 0);
}

/* One turn, or none after SHARE_WAIT_MS; whether one was taken.  The
 * runner sees the wait as it goes (a case killed for its time while it
 * waits would be the runner's fault). */
static bool share_take(void)
{
	struct pollfd p = { .fd = share_fd, .events = POLLIN };
	uint64_t one, t0 = now_us();
	bool taken = false;

	if (share_wait)
		__atomic_store_n(&share_wait->since_us, t0, __ATOMIC_RELEASE);
	while (!taken && share_fd >= 0 && poll(&p, 1, SHARE_WAIT_MS) > 0)
		/* a short read: another job took it first, so wait again */
		taken = read(share_fd, &one, sizeof(one)) == sizeof(one);
	if (share_wait) {
		__atomic_add_fetch(&share_wait->total_us, now_us() - t0, __ATOMIC_RELEASE);
		__atomic_store_n(&share_wait->since_us, 0, __ATOMIC_RELEASE);
	}
	return taken;
}

static void share_give(bool taken)
{
	uint64_t one = 1;

	if (taken && write(share_fd, &one, sizeof(one)) < 0)
		return;		/* cannot happen below the counter's limit */
}

void shell_allow_unsandboxed(void)
{
	unsandboxed_ok = true;
}

/*
 * A command can do anything its process can: outside the per-case sandbox
 * that is root on the host.  No script and no environment variable can
 * say otherwise; only C code that links the harness (the unit tests).
 */
static bool shell_allowed(void)
{
	return sandbox_is_active() || unsandboxed_ok;
}

int shell_check(char **error)
{
	if (!shell_allowed())
		return error_skip(error, "shell commands run only inside the "
				  "per-case sandbox");
	return STATUS_OK;
}

/* Everything the child needs, made before fork(): after it, in a process
 * with threads, only async-signal-safe calls are allowed. */
struct spawn {
	char *argv[4];
	char *envp[4];
	char pid_env[40];
	int dir_fd, netns_fd, null_fd;
	int err[2];			/* stderr pipe: [0] ours, [1] the child's fd 2 */
	unsigned int max_fd;		/* close_range() fallback */
};

/* "tcpconf: what: ENAME" on the child's stderr, then out with 127 as sh would. */
static void __attribute__((noreturn)) child_die(const char *what)
{
	const char *name = strerrorname_np(errno);
	const char *parts[] = { "tcpconf: ", what, ": ", name ? name : "?", "\n" };

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (write(2, parts[i], strlen(parts[i])) < 0)
			break;
	_exit(127);
}

/* In the child: the command's own group, namespace, directory and descriptors, then sh. */
static void __attribute__((noreturn)) child_exec(const struct spawn *sp)
{
	struct sched_param normal = { 0 };
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t none;

	setpgid(0, 0);
	if (dup2(sp->err[1], 2) < 0 || dup2(sp->null_fd, 0) < 0 ||
	    dup2(sp->null_fd, 1) < 0)
		_exit(127);
	/* Not an orphan left running if the case is killed outside a sandbox. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* Ignored signals (SIGPIPE here) and the mask survive exec: undo both. */
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* The case runs at a real-time priority; a busy command must not. */
	sched_setscheduler(0, SCHED_OTHER, &normal);
	if (sp->netns_fd > 0 && setns(sp->netns_fd, CLONE_NEWNET) < 0)
		child_die("setns");
	if (fchdir(sp->dir_fd) < 0)
		child_die("fchdir");
	/* what sh runs must not unmount the sandbox's read-only binds */
	if (sandbox_lock_down(NULL) < 0)
		child_die("sandbox lock-down");
	/* The case's sockets, capture socket and result pipe are not the command's. */
	if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0)
		for (unsigned int fd = 3; fd < sp->max_fd; fd++)
			close((int)fd);
	execve(SHELL_PATH, sp->argv, sp->envp);
	child_die("execve " SHELL_PATH);
}

static void spawn_close(struct spawn *sp)
{
	int *fds[] = { &sp->dir_fd, &sp->null_fd, &sp->err[0], &sp->err[1] };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (*fds[i] >= 0) {
			close(*fds[i]);
			*fds[i] = -1;
		}
}

/*
 * fd moved above 0, 1 and 2 (close-on-exec): the child's dup2() onto
 * those must not overwrite one of the others when the runner started
 * with a standard descriptor closed.
 */
static int above_stdio(int fd)
{
	int moved;

	if (fd < 0 || fd > 2)
		return fd;
	moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return moved;
}

/* The directory of the script at path, opened ("." for a bare file name). */
static int open_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd, saved;

	if (!slash)
		return open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
	if (!dir)
		return -1;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	saved = errno;
	free(dir);
	errno = saved;
	return fd;
}

/* Whether the calling thread is in the network namespace fd already. */
static bool same_netns(int fd)
{
	struct stat want, have;

	return fd > 0 && fstat(fd, &want) == 0 &&
	       stat("/proc/thread-self/ns/net", &have) == 0 &&
	       want.st_dev == have.st_dev && want.st_ino == have.st_ino;
}

static int spawn_prepare(struct spawn *sp, const char *text,
			 const struct shell_options *o, char **error)
{
	struct rlimit rl;

	sp->dir_fd = sp->null_fd = sp->err[0] = sp->err[1] = -1;
	sp->netns_fd = o->netns_fd;
	sp->argv[0] = "sh";
	sp->argv[1] = "-c";
	sp->argv[2] = (char *)text;
	sp->argv[3] = NULL;
	snprintf(sp->pid_env, sizeof(sp->pid_env), "PACKETDRILL_PID=%d", (int)getpid());
	sp->envp[0] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
	sp->envp[1] = "LC_ALL=C";
	sp->envp[2] = sp->pid_env;
	sp->envp[3] = NULL;
	if (same_netns(sp->netns_fd))
		sp->netns_fd = 0;	/* setns() would only ask for a privilege */
	sp->max_fd = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536 ?
		     (unsigned int)rl.rlim_cur : 65536;
	sp->dir_fd = above_stdio(o->workdir ? open(o->workdir, O_RDONLY | O_DIRECTORY |
						   O_CLOEXEC) : open_dir(o->script));
	if (sp->dir_fd < 0)
		return error_set(error, "the directory of %s: %s", o->script,
				 strerror(errno));
	sp->null_fd = above_stdio(open("/dev/null", O_RDWR | O_CLOEXEC));
	if (sp->null_fd < 0)
		return error_set(error, "/dev/null: %s", strerror(errno));
	if (pipe2(sp->err, O_CLOEXEC) < 0 ||
	    (sp->err[0] = above_stdio(sp->err[0])) < 0 ||
	    (sp->err[1] = above_stdio(sp->err[1])) < 0 ||
	    fcntl(sp->err[0], F_SETFL, O_NONBLOCK) < 0)
		return error_set(error, "pipe: %s", strerror(errno));
	return STATUS_OK;
}

/* The command's stderr: the first SHELL_STDERR_MAX bytes, and how many more. */
struct output {
	char buf[SHELL_STDERR_MAX];
	size_t len, dropped;
};

/* Read what is there; false at end of file (or a read error). */
static bool output_read(int fd, struct output *out)
{
	char chunk[4096];

	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		size_t keep;

		if (n < 0)
			return errno == EAGAIN || errno == EINTR;
		if (n == 0)
			return false;
		keep = sizeof(out->buf) - out->len;
		if (keep > (size_t)n)
			keep = (size_t)n;
		memcpy(out->buf + out->len, chunk, keep);
		out->len += keep;
		out->dropped += (size_t)n - keep;
	}
}

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/*
 * Wait for sh to end, reading its stderr meanwhile; kill its group at the
 * deadline.  Fills *status; false when the time ran out.  A pidfd wakes us
 * when sh exits even if something it left behind holds stderr open;
 * without one (before Linux 5.3) we look every millisecond.
 */
static bool watch(pid_t pid, int err_fd, int64_t limit_ms, struct output *out,
		  int *status)
{
	int64_t deadline = now_ms() + limit_ms;
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	bool reading = true, in_time = true;

	for (;;) {
		struct pollfd fds[2] = {
			{ .fd = reading ? err_fd : -1, .events = POLLIN },
			{ .fd = pidfd, .events = POLLIN },
		};
		int64_t left = deadline - now_ms();

		if (waitpid(pid, status, WNOHANG) == pid)
			break;
		if (left <= 0) {
			in_time = false;
			kill(pid, SIGKILL);	/* its group goes below */
			while (waitpid(pid, status, 0) < 0 && errno == EINTR)
				;
			break;
		}
		if (pidfd < 0 && left > 1)
			left = 1;
		if (poll(fds, 2, (int)left) > 0 && fds[0].revents)
			reading = output_read(err_fd, out);
	}
	/* Whatever the command left running goes with it. */
	kill(-pid, SIGKILL);
	if (reading)
		output_read(err_fd, out);
	if (pidfd >= 0)
		close(pidfd);
	return in_time;
}

/* s (len bytes) on one line for a message: newlines become "; ", other
 * control and non-ASCII bytes '?', trailing blank space goes. */
static char *one_line(const char *s, size_t len)
{
	char *out = malloc(len * 2 + 1), *p = out;

	if (!out)
		return NULL;
	while (len && (s[len - 1] == '\n' || s[len - 1] == ' ' ||
		       s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n') {
			*p++ = ';';
			*p++ = ' ';
		} else {
			*p++ = c == '\t' || (c >= 0x20 && c < 0x7f) ? (char)c : '?';
		}
	}
	*p = '\0';
	return out;
}

/* "; stderr: ..." for a failure message, or "" when the command said nothing. */
static char *stderr_note(const struct output *out)
{
	char *text = one_line(out->buf, out->len), *note = NULL;

	if (!text)
		return NULL;
	if (!*text && !out->dropped)
		note = strdup("");
	else if (asprintf(&note, "; stderr: %s%s", text,
			  out->dropped ? " [...]" : "") < 0)
		note = NULL;
	if (note && out->dropped) {
		char *longer = NULL;

		if (asprintf(&longer, "%s (%zu more bytes)", note, out->dropped) >= 0) {
			free(note);
			note = longer;
		}
	}
	free(text);
	return note;
}

/* "exit status N; stderr: ..." or "signal N (SIGNAME)" for a status that is not 0. */
static char *actual_status(int status, const char *note)
{
	char *s = NULL;
	int rc;

	if (WIFEXITED(status))
		rc = asprintf(&s, "exit status %d%s", WEXITSTATUS(status), note);
	else
		rc = asprintf(&s, "signal %d (SIG%s)%s", WTERMSIG(status),
			      sigabbrev_np(WTERMSIG(status)) ?
			      sigabbrev_np(WTERMSIG(status)) : "?", note);
	return rc < 0 ? NULL : s;
}

static int verdict(const char *text, bool in_time, int status, int limit_ms,
		   const struct output *out, char **error)
{
	char *cmd = one_line(text, strlen(text)), *note = stderr_note(out);
	char *subject = NULL, *actual = NULL;
	int rc = STATUS_ERROR;

	if (!cmd || !note || asprintf(&subject, "`%s`", cmd) < 0)
		rc = error_set(error, "out of memory");
	else if (!in_time)
		error_set(error, "%s timed out after %g s%s", subject,
			  limit_ms / 1000.0, note);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		rc = STATUS_OK;
	else if (!(actual = actual_status(status, note)))
		rc = error_set(error, "out of memory");
	else
		error_mismatch(error, subject, "exit status 0", actual);
	free(actual);
	free(subject);
	free(cmd);
	free(note);
	return rc;
}

int shell_run(const char *text, const struct shell_options *o, char **error)
{
	struct spawn sp;
	struct output *out;
	int limit_ms = o->time_limit_ms > 0 ? o->time_limit_ms : SHELL_TIME_LIMIT_MS;
	int status = 0, rc;
	bool in_time, turn;
	pid_t pid;

	if (shell_check(error) < 0)
		return STATUS_SKIP;
	rc = spawn_prepare(&sp, text, o, error);
	if (rc < 0) {
		spawn_close(&sp);
		return rc;
	}
	turn = o->take_turn && share_take();
	pid = fork();
	if (pid == 0)
		child_exec(&sp);
	if (pid < 0) {
		rc = error_set(error, "fork: %s", strerror(errno));
		share_give(turn);
		spawn_close(&sp);
		return rc;
	}
	setpgid(pid, pid);	/* either side may be first: kill(-pid) needs it now */
	close(sp.err[1]);
	sp.err[1] = -1;
	out = calloc(1, sizeof(*out));
	if (!out) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		share_give(turn);
		spawn_close(&sp);
		return error_set(error, "out of memory");
	}
	in_time = watch(pid, sp.err[0], limit_ms, out, &status);
	share_give(turn);
	spawn_close(&sp);
	rc = verdict(text, in_time, status, limit_ms, out, error);
	free(out);
	return rc;
}
