/* exec_int.h - what the event loop's files share: one run's state, how it reports a failure, and its system-call and command steps (exec_call.c). */
#ifndef TCPCONF_EXEC_INT_H
#define TCPCONF_EXEC_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "bed.h"
#include "exec.h"
#include "frames.h"
#include "judge.h"
#include "option.h"
#include "record.h"
#include "state.h"
#include "testbed.h"
#include "wire.h"

#define CALL_GRACE_USECS	2000000	/* how long a call that should not block may take */
#define ANY_TIME_LIMIT_USECS	10000000 /* "*" waits this long at most */

struct cookie_view;

/* Everything a run owns besides the shared state. */
struct run {
	struct state st;
	const struct exec_options *opt;
	struct record *rec;
	struct bed bed;
	struct testbed *tb;
	struct wire *wire;
	struct frames *frames;		/* for the pcap of a failing case */
	struct cookie_view *cookies;	/* Fast Open cookies: script vs wire */
	/*
	 * Script time relative events count from.  Events the harness makes
	 * happen (injections, calls, commands) anchor on when they really
	 * happened: a harness preempted for 10 ms must not turn a kernel
	 * timer into "nothing came".  Outbound packets anchor on their
	 * expected time (the actual one for "*" and ranges).
	 */
	int64_t anchor;
	int64_t prev_actual;		/* actual time of the previous event */
	int line;			/* line of the event being run */
	char *error;			/* the verdict's message once something failed */
	char *warnings;			/* --non_fatal=packet: what was wrong, in order */
	bool skipped;
	struct window blocking_end;	/* when the call in flight should return */
	int64_t blocking_tol;		/* and the tolerance it is judged with */
	struct option_values opts;	/* this case's (option.h) */
};

/* Record the first failure only, "script:line: ..." (later ones are consequences). */
void run_fail(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* run_fail() with a judge's message (freed here); -1. */
int run_fail_with(struct run *r, char *msg);

/* The verdict is a skip at line, for reason (unless a failure came first). */
void run_skip(struct run *r, int line, const char *reason);

/* packetdrill's tolerance for an event expected in w, since the previous event. */
int64_t run_tolerance(const struct run *r, const struct window *w, int64_t since);

/* A blocking call in flight must return in its window: judged once it has
 * (wait: block until then).  0, or -1 after a failure. */
int run_call_finish(struct run *r, bool wait);

/* Make the call of ev on the worker and judge it (later, when it blocks). */
int run_syscall(struct run *r, const struct event *ev);

/* A command line: checked only, or run (apply); a skip or failure is the verdict. */
int run_command(struct run *r, const struct event *ev, bool apply);

/* Before anything runs: can every line be run here?  Sets a skip if not. */
int run_validate(struct run *r);

#endif
