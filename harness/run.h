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
 * Call fn for path when it is a file, or for every .pkt file below it, in
 * name order (dot files skipped).  fn < 0 stops the walk as out of memory.
 */
int run_walk(const char *path, int (*fn)(const char *pkt, void *arg),
	     void *arg, char **error);

/* Run the cases named on the command line; exit status for main(). */
int cmd_run(int argc, char **argv);

#endif
