/* state.h - the state of one running script, shared by the event loop (exec.c) and the system calls (call.c). */
#ifndef TCPCONF_STATE_H
#define TCPCONF_STATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "conn.h"
#include "packet.h"
#include "script.h"

#define STATE_MAX_FDS	64

/* A frame seen or sent, kept for the pcap a failing case leaves. */
struct frame {
	struct timespec ts;
	size_t len;
	uint8_t *data;
};

/* A system call handed to the worker thread. */
struct call {
	const struct event *event;
	bool busy;			/* submitted and not yet finished */
	bool done;			/* finished, result below not yet judged */
	long ret;
	int err;
	int64_t start_usecs, end_usecs;	/* actual times, script clock */
	char *error;			/* the call could not be run as written */
};

struct state {
	const struct script *script;
	int family;
	int64_t tolerance_usecs;
	struct ip_address kernel_addr, harness_addr;
	uint16_t harness_port;
	struct conn *conn;		/* script <-> wire numbering */

	/* Script descriptor numbers vs the live ones. */
	struct { int script, live; } fds[STATE_MAX_FDS];
	size_t nfds;

	/* A child from fork() holding copies of every descriptor. */
	pid_t child;
	int child_pipe;

	/* Worker thread that makes the system calls (so a blocking call
	 * does not stop packets from flowing). */
	pthread_t worker;
	bool worker_started, worker_stop;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct call call;

	struct timespec t0;		/* script time zero, CLOCK_REALTIME */
};

/* Microseconds since t0 on the script clock (CLOCK_REALTIME, the clock
 * of kernel packet timestamps). */
int64_t state_now(const struct state *st);
int64_t state_ts_usecs(const struct state *st, const struct timespec *ts);

/* Live descriptor for a script one; -1 when the script never made it. */
int state_fd_live(const struct state *st, int script_fd);
int state_fd_add(struct state *st, int script_fd, int live_fd);
void state_fd_remove(struct state *st, int script_fd);

/*
 * Run a syscall event (on the worker thread).  *ret and *err get the raw
 * result; returns STATUS_ERROR with *error when the call cannot be made as
 * written (bad arguments, unknown descriptor) or when a check inside the
 * call (getsockopt value, tcp_diag fields) does not hold.
 */
int call_run(struct state *st, const struct syscall_event *sc, long *ret,
	     int *err, char **error);

/* Can call_run make this call as written?  STATUS_SKIP for a call we do
 * not have, STATUS_ERROR for a wrong argument count, with *error. */
int call_check(const struct syscall_event *sc, char **error);

/* Does this call return a descriptor the script names (socket, accept, dup)? */
bool call_returns_fd(const char *name);

/* End any fork() child. */
void call_cleanup(struct state *st);

#endif
