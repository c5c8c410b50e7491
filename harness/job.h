/* job.h - one case run (a script in one IP version) in a child process of its own, and its result. */
#ifndef TCPCONF_JOB_H
#define TCPCONF_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "exec.h"
#include "report.h"
#include "script.h"
#include "shell.h"

struct job {
	size_t script;			/* index into scripts[] */
	int family;
	pid_t pid;
	int fd;				/* read end of the child's result pipe */
	int pcap_fd;			/* anonymous file the child writes its capture to; -1 */
	char *pcap_name;		/* its file name in the pcap directory (owned) */
	char *out;			/* what the child wrote */
	size_t outlen;
	struct timespec start;
	double limit_secs;
	/* Shared with the case process: its waits for a shell turn
	 * (shell_share_account()), which limit_secs does not count; NULL when
	 * the page could not be had. */
	struct shell_wait *waited;
	bool killed;
	int interrupted;		/* the runner's stop signal that killed it, or 0 */
	struct record *rec;
};

/*
 * Fork the case process: it runs s in j->family with o (in a sandbox when
 * o->sandbox) and writes its record as one JSON line to a pipe whose read
 * end is j->fd; with o->pcap_dir a failing case leaves its capture in
 * j->pcap_fd.  It inherits no other descriptor of the runner.  0, or -1
 * with errno when the process, pipe or file could not be made (nothing is
 * left open then).  j->start is set either way.
 */
int job_start(struct job *j, const struct script *s,
	      const struct exec_options *o);

/* Read what the case process has written so far (POLLIN on j->fd). */
void job_read(struct job *j);

/*
 * The case process ended with wait status: its line becomes *j->rec (a
 * crash, a kill or an interruption is a failure); closes j->fd and frees
 * the output.  The capture stays in j->pcap_fd for job_save_pcap().
 */
void job_finish(struct job *j, int status);

/*
 * File the capture the case left, if any, as j->pcap_name in the
 * directory dirfd: any old entry of that name is removed and the file made
 * anew (O_EXCL|O_NOFOLLOW), so a planted link is never followed.  Closes
 * j->pcap_fd.  0, or -1 and *error (the caller owns it).
 */
int job_save_pcap(struct job *j, int dirfd, char **error);

/* Seconds since t0 on CLOCK_MONOTONIC. */
double job_since(const struct timespec *t0);

/* Seconds j has run toward its limit: since its start, less its waits for
 * a shell turn. */
double job_running(const struct job *j);

#endif
