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
#include "error.h"
#include "exchange.h"
#include "exec.h"
#include "exec_int.h"
#include "inbound.h"
#include "frames.h"
#include "gather.h"
#include "judge.h"
#include "netns.h"
#include "option.h"
#include "sandbox.h"
#include "state.h"
#include "testbed.h"
#include "vary.h"
#include "wire.h"
#include "worker.h"

/* The largest IPv6 datagram, as a GSO super-segment may be, and its Ethernet header. */
#define FRAME_MAX		(14 + 40 + 65535)
/* After a failure, how long the ladder still watches what the kernel sends:
 * a delayed ACK that came too late for its line comes within 200 ms. */
#define EPILOGUE_USECS		250000


/* ---- failure reporting ---- */

void run_fail(struct run *r, const char *fmt, ...)
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
int run_fail_with(struct run *r, char *msg)
{
	run_fail(r, "%s", msg ? msg : "out of memory");
	free(msg);
	return -1;
}

void run_skip(struct run *r, int line, const char *reason)
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
		return run_fail_with(r, msg);
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
int64_t run_tolerance(const struct run *r, const struct window *w, int64_t since)
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
		run_fail(r, "%s", error);
		free(error);
		return -1;
	}
	seg.src = st->harness_addr;
	seg.dst = st->kernel_addr;
	payload = calloc(1, p->len ? p->len : 1);
	if (!payload) {
		run_fail(r, "out of memory");
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
		run_fail(r, "cannot inject packet: %s%s", error ? error : "?",
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
			run_fail(r, "capture failed: %s", error ? error : "?");
			free(error);
			return -1;
		}
		if (rc == 0)
			return 0;
		if (len > FRAME_MAX)
			len = FRAME_MAX;
		frames_keep(r->frames, &ts, buf, len);
		if (packet_parse(buf, len, info, &error) < 0) {
			run_fail(r, "kernel sent a malformed frame: %s",
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
	run_fail(r, "unexpected outbound packet at %s: %s",
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
	int64_t tol = run_tolerance(r, w, r->anchor);
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
		return run_fail_with(r, msg);
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
				  run_tolerance(r, w, 0), &msg);
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
		if (run_call_finish(r, false) < 0 || (r->opts.strict_quiet && check_quiet(r) < 0))
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
		run_call_finish(r, true);
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

/* The case's veth pair and namespaces, the wire open in the harness's, and
 * this thread moved into the kernel side's: 0, or -1 with the verdict set
 * (a skip when the bed cannot be had here). */
static int bed_up(struct run *r)
{
	struct testbed_config cfg = { .mtu = r->bed.mtu, .gso = r->bed.gso };
	char *error = NULL;
	int rc = testbed_new(&r->tb, &cfg, &error);

	if (rc == STATUS_SKIP) {
		r->skipped = true;
		r->error = error;
		return -1;
	}
	if (rc < 0 || netns_run(testbed_harness_ns(r->tb), open_wire, r, &error) < 0 ||
	    netns_enter(testbed_kernel_ns(r->tb), &error) < 0) {
		if (asprintf(&r->error, "test bed: %s", error ? error : "?") < 0)
			r->error = NULL;
		free(error);
		return -1;
	}
	return 0;
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
	struct run r = { .opt = o, .rec = rec };
	struct state *st = &r.st;

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
	if (run_validate(&r) < 0 || cookie_view_attach(st->conn, s, &st->kernel_addr,
						   &st->harness_addr, &r.opts, &r.cookies,
						   &r.error) < 0)
		goto out;
	if (r.opts.dry_run) {
		/* packetdrill's --dry_run: parsed and checked, nothing run */
		r.skipped = true;
		r.error = strdup("--dry_run: parsed and checked, not run");
		goto out;
	}
	if (bed_up(&r) < 0)
		goto out;
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
