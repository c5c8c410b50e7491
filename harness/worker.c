/* worker.c - the system-call thread and the hand-over of one call at a time between it and the event loop. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "call.h"
#include "error.h"
#include "worker.h"

static void *worker_main(void *arg)
{
	struct state *st = arg;
	struct call *c = &st->call;

	/* A SIGPIPE a call raises stays pending here for sigpending() to see.
	 * Blocking a valid set cannot fail; if it did, sigpending() would find
	 * nothing and a case expecting SIGPIPE would fail, not pass. */
	(void)call_signals_hold();
	pthread_mutex_lock(&st->lock);
	for (;;) {
		while (!st->worker_stop && !(c->busy && !c->done))
			pthread_cond_wait(&st->cond, &st->lock);
		if (st->worker_stop)
			break;
		/* a copy to work on unlocked: the loop only waits meanwhile */
		struct call mine = *c;

		pthread_mutex_unlock(&st->lock);
		mine.start_usecs = state_now(st);
		call_run(st->calls, &mine);
		mine.end_usecs = state_now(st);
		pthread_mutex_lock(&st->lock);
		c->start_usecs = mine.start_usecs;
		c->end_usecs = mine.end_usecs;
		c->ret = mine.ret;
		c->err = mine.err;
		c->bound = mine.bound;
		c->error = mine.error;
		c->done = true;
		pthread_cond_broadcast(&st->cond);
	}
	pthread_mutex_unlock(&st->lock);
	return NULL;
}

int worker_start(struct state *st, char **error)
{
	st->calls = calls_new(st);
	if (!st->calls)
		return error_set(error, "out of memory");
	st->worker_stop = false;
	if (pthread_create(&st->worker, NULL, worker_main, st)) {
		calls_free(st->calls);
		st->calls = NULL;
		return error_set(error, "cannot start the system call thread");
	}
	st->worker_started = true;
	return 0;
}

void worker_stop(struct state *st)
{
	bool idle;

	if (!st->worker_started) {
		calls_free(st->calls);
		st->calls = NULL;
		return;
	}
	pthread_mutex_lock(&st->lock);
	st->worker_stop = true;
	pthread_cond_broadcast(&st->cond);
	idle = !st->call.busy || st->call.done;
	pthread_mutex_unlock(&st->lock);
	st->worker_started = false;
	if (!idle) {
		/* the blocked call keeps its descriptors: the process ends soon */
		pthread_detach(st->worker);
		calls_end_child(st->calls);
		return;
	}
	pthread_join(st->worker, NULL);
	calls_free(st->calls);
	st->calls = NULL;
}

void worker_submit(struct state *st, const struct event *ev)
{
	uint16_t port;

	/* the worker never reads the map: the kernel port travels with the call */
	if (!conn_kernel_port(st->conn, &port))
		port = 0;
	pthread_mutex_lock(&st->lock);
	st->call.event = ev;
	st->call.kernel_port = port;
	st->call.busy = true;
	st->call.done = false;
	st->call.error = NULL;
	pthread_cond_broadcast(&st->cond);
	pthread_mutex_unlock(&st->lock);
}

bool worker_wait(struct state *st, int64_t deadline)
{
	struct timespec dl = state_timespec(st, deadline == INT64_MIN ? 0 : deadline);
	bool done;

	pthread_mutex_lock(&st->lock);
	while (deadline != INT64_MIN && st->call.busy && !st->call.done)
		if (pthread_cond_timedwait(&st->cond, &st->lock, &dl) == ETIMEDOUT)
			break;
	done = !st->call.busy || st->call.done;
	pthread_mutex_unlock(&st->lock);
	return done;
}
