/* exec_call.c - the event loop's system calls and command lines: handed to the worker, judged when they return (see exec_int.h). */
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "command.h"
#include "conn.h"
#include "error.h"
#include "exchange.h"
#include "exec_int.h"
#include "netns.h"
#include "shell.h"
#include "worker.h"

/* Judge a finished call: result, errno, and when timed (a blocking one)
 * its return, counted from when it really started. */
static int call_judge(struct run *r, bool timed)
{
	struct state *st = &r->st;
	struct call *c = &st->call;
	const struct syscall_event *sc = &c->event->u.syscall;
	struct window end = judge_return_window(c->event, c->start_usecs);
	int saved = r->line;
	char *msg = NULL;
	int rc = 0;

	r->line = c->event->line;
	c->busy = false;
	if (c->bound)
		conn_set_kernel_port(st->conn, EXEC_KERNEL_PORT);
	if (c->event->type == EVENT_SYSCALL)
		conn_after_call(st->conn, sc->name, c->ret);
	exchange_call(r->rec, c->event, c->start_usecs, c->end_usecs, c->ret, c->err);
	if (c->error) {
		run_fail(r, "%s", c->error);
		free(c->error);
		c->error = NULL;
		rc = -1;
	} else if (c->event->type == EVENT_SYSCALL &&
		   judge_result(sc, call_returns_fd(sc->name), c->ret, c->err,
				&msg) < 0) {
		rc = run_fail_with(r, msg);
	} else if (timed && judge_return_time(sc, &end, c->end_usecs,
					      run_tolerance(r, &end, c->start_usecs), &msg) < 0) {
		rc = run_fail_with(r, msg);
	}
	r->line = saved;
	return rc;
}

/* A blocking call in flight must return in its window; judge it when it has. */
int run_call_finish(struct run *r, bool wait)
{
	struct state *st = &r->st;
	int64_t deadline;

	if (!st->call.busy)
		return 0;
	deadline = r->blocking_end.any ? state_now(st) + ANY_TIME_LIMIT_USECS
				       : r->blocking_end.end + r->blocking_tol + CALL_GRACE_USECS;
	if (!worker_wait(st, wait ? deadline : INT64_MIN)) {
		if (!wait)
			return 0;
		r->line = st->call.event->line;
		run_fail(r, "%s() still blocked at %s", st->call.event->u.syscall.name,
		     "the end of its window");
		return -1;
	}
	return call_judge(r, !r->blocking_end.any);
}

int run_syscall(struct run *r, const struct event *ev)
{
	struct state *st = &r->st;
	const struct syscall_event *sc = &ev->u.syscall;

	/* One call at a time: a blocking one must have returned by now. */
	if (run_call_finish(r, true) < 0)
		return -1;
	r->line = ev->line;
	/* Before the worker can start: what the call sends comes after this. */
	r->prev_actual = state_now(st);
	worker_submit(st, ev);
	r->anchor = r->prev_actual;
	if (ev->type == EVENT_SYSCALL && sc->blocking) {
		/* Packets keep flowing; judged when it returns or at the next
		 * call.  Until the worker says when it started, the submit
		 * time stands in for the deadline. */
		r->blocking_end = judge_return_window(ev, r->prev_actual);
		r->blocking_tol = run_tolerance(r, &r->blocking_end, r->prev_actual);
		return 0;
	}
	if (!worker_wait(st, state_now(st) + CALL_GRACE_USECS)) {
		run_fail(r, "%s() blocked; mark a call that blocks with a time range "
			"such as \"0...0.1\"", sc->name);
		return -1;
	}
	/* What the call made happen counts from when the worker really
	 * started it: handing it over took up to 4 ms on a loaded machine,
	 * which a "+0" packet after it must not be blamed for. */
	r->prev_actual = st->call.start_usecs;
	r->anchor = r->prev_actual;
	return call_judge(r, false);
}

static int set_sysctl(const char *name, const char *value, void *arg,
		      char **error)
{
	struct run *r = arg;

	return netns_sysctl_set(testbed_kernel_ns(r->tb), name, value, error);
}

/*
 * A command line: checked only, or run (apply).  A plain sysctl line is
 * set here, anything else runs under sh in the script's directory and the
 * kernel side's namespace (shell.h).  A skip or failure is the verdict.
 */
int run_command(struct run *r, const struct event *ev, bool apply)
{
	const char *text = ev->u.command;
	struct shell_options o = {
		.script = script_name(r->st.script),
		.workdir = r->opt->script_dir,
		.netns_fd = r->tb ? netns_fd(testbed_kernel_ns(r->tb)) : 0,
		.take_turn = !ev->has_time,	/* a timed one is part of the exchange */
	};
	char *error = NULL;
	int rc;

	if (command_is_sysctl(text))
		rc = command_sysctl(text, apply ? set_sysctl : NULL, r, &error);
	else
		rc = apply ? shell_run(text, &o, &error) : shell_check(&error);
	if (rc == STATUS_SKIP) {
		run_skip(r, ev->line, error ? error : "?");
	} else if (rc < 0) {
		r->line = ev->line;
		run_fail(r, "%s", error ? error : "?");
	}
	free(error);
	return rc < 0 ? -1 : 0;
}

/* Before anything runs: can every line be run here?  Sets a skip if not. */
int run_validate(struct run *r)
{
	const struct script *s = r->st.script;

	for (size_t i = 0; i < script_event_count(s); i++) {
		const struct event *ev = script_event(s, i);
		char *why = NULL;

		switch (ev->type) {
		case EVENT_COMMAND:
			if (run_command(r, ev, false) < 0)
				return -1;
			break;
		case EVENT_CODE:
		case EVENT_SYSCALL: {
			int rc = call_check(script_name(s), ev, &why);

			/* why names file:line:column itself */
			if (rc < 0) {
				r->skipped = rc == STATUS_SKIP;
				r->error = why ? why : strdup("bad system call");
				return -1;
			}
			break;
		}
		case EVENT_PACKET:
			break;
		}
	}
	return 0;
}

