/* exec.c - the event loop: inject, capture, call and judge, one script in one IP version. */
#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bed.h"
#include "call.h"
#include "cookie.h"
#include "command.h"
#include "error.h"
#include "exchange.h"
#include "exec.h"
#include "inbound.h"
#include "frames.h"
#include "gather.h"
#include "judge.h"
#include "netns.h"
#include "option.h"
#include "sandbox.h"
#include "shell.h"
#include "state.h"
#include "testbed.h"
#include "vary.h"
#include "wire.h"
#include "worker.h"

#define CALL_GRACE_USECS	2000000	/* how long a call that should not block may take */
#define ANY_TIME_LIMIT_USECS	10000000 /* "*" waits this long at most */
/* The largest IPv6 datagram, as a GSO super-segment may be, and its Ethernet header. */
#define FRAME_MAX		(14 + 40 + 65535)
/* After a failure, how long the ladder still watches what the kernel sends:
 * a delayed ACK that came too late for its line comes within 200 ms. */
#define EPILOGUE_USECS		250000

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

/* ---- failure reporting ---- */

/* Record the first failure only: later ones are consequences. */
static void fail(struct run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct run *r, const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;

	if (r->error)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (asprintf(&r->error, "%s:%d: %s", script_name(r->st.script),
		     r->line, msg ? msg : "out of memory") < 0)
		r->error = NULL;
	free(msg);
}

/* Report a judge's message as the verdict. */
static int fail_with(struct run *r, char *msg)
{
	fail(r, "%s", msg ? msg : "out of memory");
	free(msg);
	return -1;
}

static void skip(struct run *r, int line, const char *reason)
{
	if (r->error)
		return;
	r->skipped = true;
	if (asprintf(&r->error, "%s:%d: %s", script_name(r->st.script), line,
		     reason) < 0)
		r->error = NULL;
}

/* A wrong outbound packet: the verdict, or with --non_fatal=packet a warning
 * and the case goes on, as packetdrill does (a packet that never came stays fatal). */
static int packet_wrong(struct run *r, char *msg)
{
	char *w = NULL;

	if (!r->opts.non_fatal_packet)
		return fail_with(r, msg);
	if (asprintf(&w, "%s%swarning: %s:%d: %s", r->warnings ? r->warnings : "",
		     r->warnings ? "; " : "", script_name(r->st.script), r->line,
		     msg ? msg : "out of memory") >= 0) {
		free(r->warnings);
		r->warnings = w;
	}
	free(msg);
	return 0;
}

/*
 * packetdrill's tolerance for an event expected in w: the fixed one, or
 * tolerance_percent of the time since since (the previous event; for a
 * blocking call's return, its start; for a TS val, the script's start)
 * when that is more: kernel timers are coarser the longer they run.
 */
static int64_t event_tolerance(const struct run *r, const struct window *w, int64_t since)
{
	int64_t tol = r->st.tolerance_usecs;
	double dynamic;

	if (w->any)
		return tol;
	dynamic = r->opts.tolerance_percent / 100.0 * (double)(w->start - since);
	return dynamic > tol ? (int64_t)dynamic : tol;
}

/* ---- packets: script numbers <-> wire numbers ---- */

static int inject(struct run *r, const struct event *ev)
{
	const struct packet_event *p = &ev->u.packet;
	struct state *st = &r->st;
	struct tcp_segment seg;
	uint8_t frame[FRAME_MAX];
	uint8_t *payload;
	struct timespec now;
	size_t len;
	char *error = NULL;

	conn_learn_inbound(st->conn, p);
	if (conn_to_wire(st->conn, p, &seg, &error) < 0) {
		fail(r, "%s", error);
		free(error);
		return -1;
	}
	seg.src = st->harness_addr;
	seg.dst = st->kernel_addr;
	payload = calloc(1, p->len ? p->len : 1);
	if (!payload) {
		fail(r, "out of memory");
		return -1;
	}
	seg.payload = payload;
	seg.payload_len = p->len;
	/* The injection time is the kernel's transmit stamp, the same
	 * clock the capture stamps replies with. */
	if (inbound_build(st->conn, p, &seg, testbed_harness_mac(r->tb),
			  testbed_kernel_mac(r->tb), frame, sizeof(frame),
			  &len, &error) < 0 ||
	    wire_send_gso(r->wire, frame, len, bed_gso_size(&r->bed, st->family, len - 14),
			  &now, &error) < 0) {
		fail(r, "cannot inject packet: %s%s", error ? error : "?",
		     !r->bed.gso && len - 14 > r->bed.mtu ?
		     " (beyond the MTU: --gso=off injects real segments only)" : "");
		free(error);
		free(payload);
		return -1;
	}
	free(payload);
	frames_keep(r->frames, &now, frame, len);
	r->prev_actual = state_ts_usecs(st, &now);
	exchange_inbound(r->rec, ev, r->prev_actual);
	return 0;
}

/*
 * Next TCP segment the kernel sent toward the harness, or 0 at the
 * deadline (script time; INT64_MIN means do not wait).
 */
static int capture(struct run *r, int64_t deadline, uint8_t *buf,
		   struct packet_info *info, int64_t *when)
{
	struct state *st = &r->st;
	struct timespec dl, ts;
	size_t len;
	char *error = NULL;
	int rc;

	for (;;) {
		if (deadline != INT64_MIN)
			dl = state_timespec(st, deadline);
		rc = wire_recv(r->wire, buf, FRAME_MAX, &len, &ts,
			       deadline == INT64_MIN ? NULL : &dl, &error);
		if (rc < 0) {
			fail(r, "capture failed: %s", error ? error : "?");
			free(error);
			return -1;
		}
		if (rc == 0)
			return 0;
		if (len > FRAME_MAX)
			len = FRAME_MAX;
		frames_keep(r->frames, &ts, buf, len);
		if (packet_parse(buf, len, info, &error) < 0) {
			fail(r, "kernel sent a malformed frame: %s",
			     error ? error : "?");
			free(error);
			return -1;
		}
		if (info->kind != PACKET_TCP ||
		    info->tcp.src.family != st->family ||
		    memcmp(&info->tcp.src, &st->kernel_addr, sizeof(st->kernel_addr)) ||
		    memcmp(&info->tcp.dst, &st->harness_addr, sizeof(st->harness_addr)) ||
		    conn_is_past(st->conn, &info->tcp))
			continue;	/* not this test's traffic, or an earlier socket's */
		*when = state_ts_usecs(st, &ts);
		return 1;
	}
}

/* --strict_quiet: what the kernel sent where no outbound line awaits it
 * fails.  Without, as in packetdrill, it waits for the next outbound line. */
static int check_quiet(struct run *r)
{
	uint8_t buf[FRAME_MAX];
	struct packet_info info;
	char actual[512], t[32];
	int64_t when;
	int rc;

	rc = capture(r, INT64_MIN, buf, &info, &when);
	if (rc <= 0)
		return rc;
	judge_format_actual(r->st.conn, &info.tcp, actual, sizeof(actual));
	exchange_unexpected(r->rec, r->st.conn, r->line, &info.tcp, when);
	fail(r, "unexpected outbound packet at %s: %s",
	     judge_secs(when, t, sizeof(t)), actual);
	return -1;
}

/* After the verdict: what the kernel still sent, for the ladder (line 0) and pcap. */
static void epilogue(struct run *r)
{
	int64_t end = state_now(&r->st) + EPILOGUE_USECS, when;
	uint8_t buf[FRAME_MAX];
	struct packet_info info;

	while (capture(r, end, buf, &info, &when) > 0)
		exchange_unexpected(r->rec, r->st.conn, 0, &info.tcp, when);
}

/* ---- events ---- */

static void timing_note(struct run *r, const struct event *ev,
			const struct tcp_segment *seg, const struct window *w,
			int64_t actual)
{
	char line[512];

	judge_format_actual(r->st.conn, seg, line, sizeof(line));
	record_add_timing(r->rec, ev->line, line,
			  w->any ? -1.0 : (w->start - r->anchor) / 1000.0,
			  (actual - r->prev_actual) / 1000.0);
}

/*
 * In the GSO view, a segment shorter than the line expects may be the
 * start of a burst TSO cut smaller: join what follows while it continues
 * it (gather.h), as packetdrill does unless --strict_segments.  1, or -1
 * when the capture failed.
 */
static int gather(struct run *r, const struct packet_event *p, int64_t deadline,
		  struct packet_info *info, int64_t *when)
{
	size_t last = info->tcp.payload_len;
	struct packet_info next;
	uint8_t *buf;
	int rc = 1;

	if (!r->bed.gso || r->bed.strict_segments || !last || last >= p->len)
		return 1;
	buf = malloc(FRAME_MAX);
	while (buf && info->tcp.payload_len < p->len &&
	       (rc = capture(r, deadline, buf, &next, when)) > 0 &&
	       gather_join(&info->tcp, &last, &next.tcp, p->len))
		;
	free(buf);
	return rc < 0 ? -1 : 1;
}

static int run_outbound(struct run *r, const struct event *ev,
			const struct window *w)
{
	const struct packet_event *p = &ev->u.packet;
	struct state *st = &r->st;
	int64_t tol = event_tolerance(r, w, r->anchor);
	int64_t deadline = w->any ? state_now(st) + ANY_TIME_LIMIT_USECS
				  : w->end + tol;
	uint8_t buf[FRAME_MAX];
	struct packet_info info;
	char actual[512], *msg = NULL;
	int64_t when;
	int rc;

	do
		rc = capture(r, deadline, buf, &info, &when);
	while (rc > 0 && conn_before_open(st->conn, p, &info.tcp));
	if (rc < 0)
		return -1;
	if (rc == 0) {
		exchange_outbound(r->rec, st->conn, ev, NULL, w, tol, 0);
		judge_packet_missing(p, w, tol, &msg);
		return fail_with(r, msg);
	}
	if (gather(r, p, deadline, &info, &when) < 0)
		return -1;
	conn_learn_outbound(st->conn, p, &info.tcp);
	exchange_outbound(r->rec, st->conn, ev, &info.tcp, w, tol, when);
	rc = judge_packet(st->conn, p, &info.tcp, &msg);
	/* as packetdrill, the TS val is mapped even when the line is wrong */
	conn_learn_ts(st->conn, p, &info.tcp);
	if (rc == 0)
		rc = judge_ts_val(st->conn, p, &info.tcp, r->opts.tcp_ts_tick_usecs,
				  event_tolerance(r, w, 0), &msg);
	judge_format_actual(st->conn, &info.tcp, actual, sizeof(actual));
	if (rc == 0)
		rc = judge_packet_time(w, when, tol, actual, &msg);
	if (rc < 0 && packet_wrong(r, msg) < 0)
		return -1;
	timing_note(r, ev, &info.tcp, w, when);
	r->prev_actual = when;
	r->anchor = (w->any || ev->time.is_range) ? when : w->start;
	return 0;
}

/* ---- system calls ---- */

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
		fail(r, "%s", c->error);
		free(c->error);
		c->error = NULL;
		rc = -1;
	} else if (c->event->type == EVENT_SYSCALL &&
		   judge_result(sc, call_returns_fd(sc->name), c->ret, c->err,
				&msg) < 0) {
		rc = fail_with(r, msg);
	} else if (timed && judge_return_time(sc, &end, c->end_usecs,
					      event_tolerance(r, &end, c->start_usecs), &msg) < 0) {
		rc = fail_with(r, msg);
	}
	r->line = saved;
	return rc;
}

/* A blocking call in flight must return in its window; judge it when it has. */
static int call_finish(struct run *r, bool wait)
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
		fail(r, "%s() still blocked at %s", st->call.event->u.syscall.name,
		     "the end of its window");
		return -1;
	}
	return call_judge(r, !r->blocking_end.any);
}

static int run_syscall(struct run *r, const struct event *ev)
{
	struct state *st = &r->st;
	const struct syscall_event *sc = &ev->u.syscall;

	/* One call at a time: a blocking one must have returned by now. */
	if (call_finish(r, true) < 0)
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
		r->blocking_tol = event_tolerance(r, &r->blocking_end, r->prev_actual);
		return 0;
	}
	if (!worker_wait(st, state_now(st) + CALL_GRACE_USECS)) {
		fail(r, "%s() blocked; mark a call that blocks with a time range "
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
static int run_command(struct run *r, const struct event *ev, bool apply)
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
		skip(r, ev->line, error ? error : "?");
	} else if (rc < 0) {
		r->line = ev->line;
		fail(r, "%s", error ? error : "?");
	}
	free(error);
	return rc < 0 ? -1 : 0;
}

/* Before anything runs: can every line be run here?  Sets a skip if not. */
static int validate(struct run *r)
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

static void run_events(struct run *r)
{
	struct state *st = &r->st;
	const struct script *s = st->script;
	bool started = false;		/* a timed event has run */

	for (size_t i = 0; i < script_event_count(s) && !r->error; i++) {
		const struct event *ev = script_event(s, i);
		struct window w;

		r->line = ev->line;
		if (ev->type == EVENT_COMMAND && !ev->has_time) {
			run_command(r, ev, true);
			/* Untimed commands before the first timed event set the
			 * stage (packetdrill's init command): time 0 is when they
			 * are done.  The worker has no call yet to read t0. */
			if (!started)
				clock_gettime(CLOCK_REALTIME, &st->t0);
			continue;
		}
		started = true;
		w = judge_window(&ev->time, r->anchor);
		timeline_add(st->timeline, &ev->time, w.start, state_now(st));
		if (ev->type == EVENT_PACKET && ev->u.packet.direction == '>') {
			run_outbound(r, ev, &w);
			continue;
		}
		if (!w.any)
			state_sleep_until(st, w.start);
		if (call_finish(r, false) < 0 || (r->opts.strict_quiet && check_quiet(r) < 0))
			break;
		r->line = ev->line;
		switch (ev->type) {
		case EVENT_PACKET:
			if (inject(r, ev) == 0)
				r->anchor = r->prev_actual;
			break;
		case EVENT_CODE:	/* on the worker, which holds the sockets */
		case EVENT_SYSCALL:
			run_syscall(r, ev);
			break;
		case EVENT_COMMAND:
			if (run_command(r, ev, true) == 0) {
				r->prev_actual = state_now(st);
				r->anchor = r->prev_actual;
			}
			break;
		}
	}
	if (!r->error)
		call_finish(r, true);
	/* what the kernel sends after the last outbound line is not judged,
	 * as packetdrill reads nothing more: a script ends where it says */
	if (r->error && !r->skipped)
		epilogue(r);
}

/* ---- set-up and tear-down ---- */

static int open_wire(void *arg, char **error)
{
	struct run *r = arg;

	if (wire_open(&r->wire, testbed_harness_ifindex(r->tb), TESTBED_MARK,
		      error) < 0)
		return STATUS_ERROR;
	return r->bed.gso ? wire_gso_on(r->wire, error) : STATUS_OK;
}

/* Into the runner's anonymous file; the message cites where the runner files it. */
static void write_pcap(struct run *r)
{
	char *error = NULL, *p = NULL;

	if (!r->opt->pcap_path || r->opt->pcap_fd < 0 || !frames_count(r->frames))
		return;
	frames_write_pcap(r->frames, r->opt->pcap_fd, r->opt->pcap_path, &error);
	free(error);
	if (asprintf(&p, "%s [pcap: %s]", r->error, r->opt->pcap_path) >= 0) {
		free(r->error);
		r->error = p;
	}
}

/*
 * Timing is judged to a few milliseconds, and a loaded machine's scheduler
 * delays every wake-up (a read() woken by an RST returned 4.7 ms late with
 * every CPU busy): a real-time policy for this case's threads, once its bed
 * is up, keeps the harness ahead of the load.  Best effort.  The threads
 * sleep in poll() and calls; real-time throttling bounds them anyway.
 */
void exec_case(const struct script *s, int family, const struct exec_options *o,
	       struct record *rec)
{
	struct testbed_config cfg = { 0 };
	struct run r = { .opt = o, .rec = rec };
	struct state *st = &r.st;
	char *error = NULL;
	int rc;

	st->script = s;
	st->family = family;
	st->harness_port = EXEC_HARNESS_PORT;
	st->conn = conn_new(st->harness_port);
	r.frames = frames_new();
	st->timeline = timeline_new();
	if (!st->conn || !r.frames || !st->timeline) {
		r.error = strdup("out of memory");
		goto out;
	}
	if (option_resolve(s, o->cli, &r.opts, &r.error) < 0 ||
	    bed_settings(&r.opts, script_name(s), family, &r.bed, &r.error) < 0)
		goto out;
	st->tolerance_usecs = o->tolerance_usecs >= 0 ? o->tolerance_usecs
						      : r.opts.tolerance_usecs;
	if (r.opts.ip_version == OPTION_IP_V4_MAPPED_V6) {
		r.skipped = true;
		r.error = strdup(EXEC_MAPPED_SKIP);
		goto out;
	}
	testbed_kernel_addr(family, &st->kernel_addr);
	testbed_harness_addr(family, &st->harness_addr);
	pthread_mutex_init(&st->lock, NULL);
	pthread_cond_init(&st->cond, NULL);
	signal(SIGPIPE, SIG_IGN);	/* write() after RST must give EPIPE, not kill us */

	conn_set_ts_ecr_scaled(st->conn, r.opts.tcp_ts_ecr_scaled);
	if (validate(&r) < 0 || cookie_view_attach(st->conn, s, &st->kernel_addr,
						   &st->harness_addr, &r.opts, &r.cookies,
						   &r.error) < 0)
		goto out;
	if (r.opts.dry_run) {
		/* packetdrill's --dry_run: parsed and checked, nothing run */
		r.skipped = true;
		r.error = strdup("--dry_run: parsed and checked, not run");
		goto out;
	}
	cfg.mtu = r.bed.mtu;
	cfg.gso = r.bed.gso;
	rc = testbed_new(&r.tb, &cfg, &error);
	if (rc == STATUS_SKIP) {
		r.skipped = true;
		r.error = error;
		error = NULL;
		goto out;
	}
	if (rc < 0 || netns_run(testbed_harness_ns(r.tb), open_wire, &r, &error) < 0 ||
	    netns_enter(testbed_kernel_ns(r.tb), &error) < 0) {
		if (asprintf(&r.error, "test bed: %s", error ? error : "?") < 0)
			r.error = NULL;
		goto out;
	}
	if (o->vary && vary_apply(o->vary, &r.error) < 0)	/* before the script's sysctls */
		goto out;
	/* Only now: the bed's set-up waits on the kernel's own workers, which
	 * a real-time poller would starve on a loaded machine. */
	sandbox_realtime(10, NULL);	/* in a sandbox, asked of the process outside */
	if (worker_start(st, &r.error) < 0)
		goto out;
	clock_gettime(CLOCK_REALTIME, &st->t0);
	run_events(&r);
out:
	free(error);
	worker_stop(st);
	rec->verdict = r.skipped ? VERDICT_SKIP : r.error ? VERDICT_FAIL : VERDICT_PASS;
	if (rec->verdict == VERDICT_FAIL)
		write_pcap(&r);
	free(rec->message);
	rec->message = r.error ? r.error : r.warnings ? r.warnings : strdup("");
	if (r.error)
		free(r.warnings);
	frames_free(r.frames);
	wire_free(r.wire);
	testbed_free(r.tb);
	conn_free(st->conn);
	cookie_view_free(r.cookies);
	timeline_free(st->timeline);
}
