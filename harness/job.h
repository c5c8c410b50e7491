/* job.h - one case run (a script in one IP version) in a child process of its own, and its result. */
#ifndef TCPCONF_JOB_H
#define TCPCONF_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "exec.h"
#include "report.h"
#include "script.h"

struct job {
	size_t script;			/* index into scripts[] */
	int family;
	pid_t pid;
	int fd;				/* read end of the child's result pipe */
	char *out;			/* what the child wrote */
	size_t outlen;
	struct timespec start;
	double limit_secs;
	bool killed;
	struct record *rec;
};

/*
 * Fork the case process: it runs s in j->family with o and writes its
 * record as one JSON line to a pipe whose read end is j->fd.  0, or -1
 * with errno when the process or pipe could not be made.
 */
int job_start(struct job *j, const struct script *s,
	      const struct exec_options *o);

/* Read what the case process has written so far (POLLIN on j->fd). */
void job_read(struct job *j);

/*
 * The case process ended with wait status: its line becomes *j->rec (a
 * crash or a kill is a failure); closes j->fd and frees the output.
 */
void job_finish(struct job *j, int status);

/* Seconds since t0 on CLOCK_MONOTONIC. */
double job_since(const struct timespec *t0);

#endif
