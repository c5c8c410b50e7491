/* worker.h - the thread that makes a script's system calls, so that a blocking one does not stop packets from flowing. */
#ifndef TCPCONF_WORKER_H
#define TCPCONF_WORKER_H

#include <stdbool.h>
#include <stdint.h>

#include "script.h"
#include "state.h"

/*
 * Start the worker for st: it owns st->calls (made here) and takes requests
 * in st->call under st->lock.  STATUS_ERROR with *error when it cannot.
 */
int worker_start(struct state *st, char **error);

/*
 * Stop the worker and end any fork() child.  A call still blocked is
 * abandoned with its thread and st->calls (the process ends soon after);
 * otherwise both go.  Safe when worker_start() never ran or failed.
 */
void worker_stop(struct state *st);

/* Hand ev to the worker (nothing may be in flight); it runs at once. */
void worker_submit(struct state *st, const struct event *ev);

/* Wait for the call in flight until deadline (script time; INT64_MIN: just
 * look); false when it is still running. */
bool worker_wait(struct state *st, int64_t deadline);

#endif
