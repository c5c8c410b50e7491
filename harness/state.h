/* state.h - the state of one running script, shared by the event loop (exec.c, the main thread) and the system-call worker (call.c). */
#ifndef TCPCONF_STATE_H
#define TCPCONF_STATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "conn.h"
#include "packet.h"
#include "script.h"
#include "timeline.h"

/*
 * Two threads run a script.  The event loop (exec.c) injects, captures,
 * judges and decides what happens next; the worker (call.c) makes the
 * system calls, so that a blocking one does not stop packets from flowing.
 * Who may touch what:
 *
 *   set up before the worker starts, read-only after (both threads):
 *	script, family, tolerance_usecs, kernel_addr, harness_addr,
 *	harness_port, t0
 *   the event loop only:
 *	conn (script <-> wire numbering; the worker gets the kernel port
 *	through struct call instead), worker, worker_started
 *   the worker only:
 *	calls: the descriptor table and the fork() child, private to
 *	call.c (call.h); the loop frees it once the worker has stopped
 *   under lock, signalled with cond:
 *	call (the one call in flight, handed over and back), worker_stop
 *   under its own lock (timeline.h): timeline, added to by the event loop
 */

/*
 * The system call in flight.  The loop fills the request and sets busy;
 * the worker fills the result and sets done; the loop reads the result
 * once done and clears busy.  All under state.lock.
 */
struct call {
	/* request (event loop) */
	const struct event *event;
	uint16_t kernel_port;		/* for tcp_diag(); 0 while unknown */
	bool busy;			/* submitted and not yet judged */
	/* result (worker) */
	bool done;			/* finished, result below not yet judged */
	long ret;
	int err;
	bool bound;			/* bind() gave the kernel its port */
	int64_t start_usecs, end_usecs;	/* actual times, script clock */
	char *error;			/* the call could not be run as written */
};

struct calls;

struct state {
	const struct script *script;
	int family;
	int64_t tolerance_usecs;
	struct ip_address kernel_addr, harness_addr;
	uint16_t harness_port;
	struct timespec t0;		/* script time zero, CLOCK_REALTIME */

	struct conn *conn;
	struct timeline *timeline;	/* where the events fell, both clocks */

	struct calls *calls;

	pthread_t worker;
	bool worker_started;

	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct call call;
	bool worker_stop;
};

/* Microseconds since t0 on the script clock (CLOCK_REALTIME, the clock
 * of kernel packet timestamps), and back. */
int64_t state_now(const struct state *st);
int64_t state_ts_usecs(const struct state *st, const struct timespec *ts);
struct timespec state_timespec(const struct state *st, int64_t usecs);
/* Sleep until script time usecs; a signal does not cut the sleep short. */
void state_sleep_until(const struct state *st, int64_t usecs);

#endif
