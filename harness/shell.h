/* shell.h - one backtick command of a script run as packetdrill runs it, `/bin/sh -c TEXT`, bounded in time and output. */
#ifndef TCPCONF_SHELL_H
#define TCPCONF_SHELL_H

#include <stdbool.h>
#include <stdint.h>

/* Longest a command may run before its process group is killed. */
#define SHELL_TIME_LIMIT_MS	10000

/* Bytes of the command's stderr kept for the failure message. */
#define SHELL_STDERR_MAX	4096

/* Where and how long a command runs; the caller owns the strings and descriptors. */
struct shell_options {
	const char *script;		/* the script's path: runs in its directory */
	const char *workdir;		/* or here, when not NULL */
	int netns_fd;			/* network namespace to run in; 0: the caller's */
	int time_limit_ms;		/* 0: SHELL_TIME_LIMIT_MS */
	/* wait for a turn under shell_share() first: for set-up commands
	 * (untimed), not for one the script times amid the exchange */
	bool take_turn;
};

/*
 * Whether shell commands may run in this process: STATUS_OK, or
 * STATUS_SKIP with *error (the caller's to free) saying why not.  They
 * run only inside the per-case sandbox, where a command reaches nothing
 * but the case's own processes and namespaces.
 */
int shell_check(char **error);

/*
 * Let this process run shell commands outside a sandbox.  For the unit
 * tests of the mechanism only; tcpconf never calls it.
 */
void shell_allow_unsandboxed(void);

/*
 * Let at most n commands run at once across the processes this one forks
 * from now on (the runner's jobs), as make's jobserver does: a command is
 * CPU work (a defaults.sh forks dozens of sysctl processes) while a case
 * mostly waits on timers, so -j32 on 2 CPUs must not make 32 shells race
 * their time limits.  An eventfd semaphore, inherited, close-on-exec.
 * STATUS_ERROR with *error when the kernel refuses one.
 */
int shell_share(unsigned int n, char **error);

/* Its descriptor, for a forked job to keep open; -1 without shell_share(). */
int shell_share_fd(void);

/* How long a process's commands waited for a turn, shared with the runner,
 * which does not count it against the case's time limit (job.h). */
struct shell_wait {
	uint64_t total_us;		/* waits that ended, in microseconds */
	uint64_t since_us;		/* CLOCK_MONOTONIC start of the one going on; 0: none */
};

/* Where this process keeps its waits (NULL: nowhere). */
void shell_share_account(struct shell_wait *w);

/* Microseconds w's process has waited so far, the wait going on included. */
uint64_t shell_wait_us(const struct shell_wait *w);

/*
 * Run text under /bin/sh -c in the directory of o->script, in o->netns_fd, with stdin and
 * stdout on /dev/null, no descriptor of ours, a fixed environment
 * (PATH=/usr/sbin:/usr/bin:/sbin:/bin, LC_ALL=C, PACKETDRILL_PID=our pid,
 * which a command sees as $PPID, as under packetdrill) and its own
 * process group, killed when sh returns so nothing it started outlives
 * it.  With o->take_turn, waits for a turn under shell_share() first (the
 * time limit starts after it); then blocks until sh returns.  STATUS_OK when sh exits 0; STATUS_ERROR with
 * *error (the caller's to free) for a non-zero status, a signal or the
 * time limit, naming the command and quoting its stderr (first
 * SHELL_STDERR_MAX bytes, on one line); STATUS_SKIP as shell_check().
 */
int shell_run(const char *text, const struct shell_options *o, char **error);

#endif
