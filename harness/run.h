/* run.h - the `tcpconf run` command. */
#ifndef TCPCONF_RUN_H
#define TCPCONF_RUN_H

#define TCPCONF_VERSION "0.1"

/*
 * Default parallelism: cases per CPU.  A case spends its time waiting on
 * the kernel's timers, not computing, so many run per CPU without moving
 * any timing (checked by `make soak`, also with every CPU saturated).
 */
#define RUN_JOBS_PER_CPU 16

/*
 * The same without real-time priority (an ordinary user: a case's process
 * cannot be made SCHED_FIFO).  Then the set-up and tear-down of other
 * cases' namespaces delay its wake-ups: at 16 per CPU, 1 to 2 of 52 runs
 * were 5-11 ms late on a quiet 2-CPU machine; at 2 per CPU none in 6 runs.
 */
#define RUN_JOBS_PER_CPU_NO_RT 2

/*
 * Bounds on what the command line and a script may ask for.  Each job is
 * a process with a test bed of its own (two namespaces, a veth pair, a
 * pipe): beyond about a thousand the machine's limits fail starts, not
 * the kernel under test (the tolerance's bound is exec.h's).  A case that could run for
 * more than 10 minutes is refused when planned rather than left to hang
 * a CI job: the limit is the script's own span plus a fixed slack.
 */
#define RUN_JOBS_MAX		1024
#define RUN_CASE_MAX_SECS	600

/*
 * Call fn for path when it is not a directory, or for every .pkt below it,
 * in name order (dot files skipped).  path itself may be a symbolic link
 * to a directory; below it, links to directories are not followed, and a
 * link named .pkt is a case.  fn < 0 stops the walk as out of memory.
 */
int run_walk(const char *path, int (*fn)(const char *pkt, void *arg),
	     void *arg, char **error);

/* Run the cases named on the command line; exit status for main(). */
int cmd_run(int argc, char **argv);

#endif
