/* call.h - the system calls a script makes, with the descriptor table and fork() child only the worker thread touches. */
#ifndef TCPCONF_CALL_H
#define TCPCONF_CALL_H

#include <stdbool.h>

#include "script.h"
#include "state.h"

/* The worker's own state: script descriptors vs live ones, the fork() child. */
struct calls;

/* Empty state for a script run by st (its read-only part only); NULL
 * without memory.  Owned by the worker; freed with calls_free(). */
struct calls *calls_new(const struct state *st);

/* End any fork() child: kill it and reap it. */
void calls_end_child(struct calls *cs);

/* calls_end_child(), then free cs (NULL is fine). */
void calls_free(struct calls *cs);

/*
 * Make call c->event (on the worker), with c->kernel_port as the map's
 * kernel port.  Fills c->ret and c->err with the raw result and c->bound;
 * c->error (newly allocated, the caller's) when the call cannot be made as
 * written (bad arguments, unknown descriptor), when a check inside it
 * (getsockopt value, tcp_diag fields) does not hold, or when a new
 * descriptor does not fit the table.  A descriptor a call returns is
 * entered under the number its line expects.
 */
void call_run(struct calls *cs, struct call *c);

/*
 * Can call_run make the call of ev (a line of the script named script) as
 * written?  STATUS_SKIP for a call we do not have, STATUS_ERROR for an
 * argument call_arg.c's table does not allow; *error (the caller's) names
 * "script:line:column:" itself.
 */
int call_check(const char *script, const struct event *ev, char **error);

/* Does this call return a descriptor the script names (socket, accept, dup, open)? */
bool call_returns_fd(const char *name);

/*
 * Block, in the calling thread (the calls' thread, once at its start), the
 * signals sigpending() reports (call_signal.c): raised there, they stay
 * pending instead of being dropped as ignored.  STATUS_ERROR if it cannot.
 */
int call_signals_hold(void);

#endif
