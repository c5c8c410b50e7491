/* judge.c - matching outbound segments, call results and times against the script's lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "judge.h"
#include "symbol.h"
#include "text.h"

struct window judge_window(const struct script_time *t, int64_t anchor)
{
	struct window w = { 0 };
	int64_t base = t->type == TIME_RELATIVE ? anchor : 0;

	if (t->type == TIME_ANY) {
		w.any = true;
		w.start = anchor;
		w.end = INT64_MAX;
		return w;
	}
	w.start = base + t->usecs;
	w.end = t->is_range ? base + t->end_usecs : w.start;
	return w;
}

struct window judge_return_window(const struct event *ev, int64_t start)
{
	struct window w = { 0 };

	/* "a...b", both written alike (the parser keeps b as written) */
	w.start = start + ev->u.syscall.end.usecs - ev->time.usecs;
	w.end = w.start;
	return w;
}

enum judge_time judge_time(const struct window *w, int64_t when, int64_t tol)
{
	if (w->any)
		return JUDGE_ON_TIME;
	if (when < w->start - tol)
		return JUDGE_EARLY;
	if (when > w->end + tol)
		return JUDGE_LATE;
	return JUDGE_ON_TIME;
}

const char *judge_secs(int64_t usecs, char *buf, size_t size)
{
	long long a = llabs(usecs);

	snprintf(buf, size, "%s%lld.%06lld s", usecs < 0 ? "-" : "",
		 a / 1000000, a % 1000000);
	return buf;
}

/* ---- formatting ---- */

/* packet_format()'s layout, with the window only when the line has one. */
void judge_format_expected(const struct packet_event *p, char *buf, size_t size)
{
	struct tcp_segment seg;
	char line[512];
	struct text t;

	conn_script_segment(p, &seg);
	seg.urg = p->urg;
	packet_format_as(&seg, p->has_win ? 0 : PACKET_FORMAT_NO_WIN,
			 line, sizeof(line));
	text_init(&t, buf, size);
	if (p->ecn != PACKET_ECN_UNSPEC)
		text_add(&t, "[%s] ", packet_ecn_name(p->ecn));
	text_add(&t, "%s", line);
	if (p->options_spec == OPTIONS_ANY)
		text_add(&t, " <...>");
}

void judge_format_actual(const struct conn *c, const struct tcp_segment *seg,
			 char *buf, size_t size)
{
	struct tcp_segment rel;

	conn_to_script(c, seg, &rel);
	packet_format(&rel, buf, size);
}

/* ---- packets ---- */

/* A segment as packet_format() prints it, after "[mark] " when there is one. */
static void judge_format_marked(enum packet_ecn mark, const struct tcp_segment *seg,
				char *buf, size_t size)
{
	int n = 0;

	if (mark != PACKET_ECN_UNSPEC)
		n = snprintf(buf, size, "[%s] ", packet_ecn_name(mark));
	if (n < 0 || (size_t)n >= size)
		n = 0;
	packet_format(seg, buf + n, size - (size_t)n);
}

bool judge_options(const struct packet_event *p, const struct tcp_segment *seg,
		   const char **why)
{
	if (p->options_spec == OPTIONS_ANY)
		return true;
	if (p->options_spec == OPTIONS_NONE) {
		*why = "options differ";
		return seg->noptions == 0;
	}
	return tcp_options_match(p->options, p->noptions, seg->options,
				 seg->noptions, why);
}

int judge_packet(const struct conn *c, const struct packet_event *p,
		 const struct tcp_segment *seg, char **msg)
{
	const char *why = NULL;
	char expected[512], actual[512];
	struct tcp_segment rel;
	uint16_t kport = 0;

	conn_kernel_port(c, &kport);
	conn_to_script(c, seg, &rel);
	if (seg->flags != p->flags)
		why = "flags differ";
	else if (seg->sport != kport || seg->dport != conn_harness_port(c))
		why = "ports differ";
	else if (rel.seq != p->seq)
		why = "sequence number differs";
	else if (seg->payload_len != p->len)
		why = "payload length differs";
	else if (p->has_ack && rel.ack != p->ack)
		why = "ack differs";
	else if (p->has_win && seg->win != p->win)
		why = "window differs";
	else if (seg->urg != p->urg)	/* packetdrill's default is 0, judged too */
		why = "urgent pointer differs";
	else if (!judge_options(p, &rel, &why))
		;
	else if (!packet_ecn_match(p->ecn, seg->tos))
		why = "ECN field differs";
	else
		return 0;
	judge_format_expected(p, expected, sizeof(expected));
	judge_format_marked(p->ecn == PACKET_ECN_UNSPEC ? PACKET_ECN_UNSPEC :
			    (enum packet_ecn)(seg->tos & PACKET_ECN_MASK),
			    &rel, actual, sizeof(actual));
	return error_mismatch(msg, why, expected, actual);
}

/* The first TS option of a list, or NULL. */
static const struct tcp_option *ts_option(const struct tcp_option *o, uint8_t n)
{
	for (uint8_t i = 0; i < n; i++)
		if (o[i].kind == TCPOPT_TS)
			return &o[i];
	return NULL;
}

int judge_ts_val(const struct conn *c, const struct packet_event *p,
		 const struct tcp_segment *seg, int64_t tick_usecs, int64_t tol,
		 char **msg)
{
	const struct tcp_option *want = NULL, *got = ts_option(seg->options, seg->noptions);
	uint32_t s0, a0, val;
	int64_t off;
	char what[160], expected[512], actual[512], t[32];
	struct tcp_segment rel;

	if (p->options_spec == OPTIONS_LIST)
		want = ts_option(p->options, p->noptions);
	if (tick_usecs <= 0 || !want || !got || !conn_ts_origin(c, &s0, &a0))
		return 0;
	/* the kernel's clock moved got - a0 ticks since the first; the line says want - s0 */
	val = s0 + (got->u.ts.val - a0);
	off = (int32_t)(val - want->u.ts.val);
	if ((off < 0 ? -off : off) * tick_usecs <= tol)
		return 0;
	conn_to_script(c, seg, &rel);
	for (uint8_t i = 0; i < rel.noptions; i++)
		if (rel.options[i].kind == TCPOPT_TS)
			rel.options[i].u.ts.val = val;
	snprintf(what, sizeof(what), "TS val differs (%lld ticks of %lld us, tolerance %s)",
		 (long long)off, (long long)tick_usecs, judge_secs(tol, t, sizeof(t)));
	judge_format_expected(p, expected, sizeof(expected));
	packet_format(&rel, actual, sizeof(actual));
	return error_mismatch(msg, what, expected, actual);
}

/*
 * A time outside its window, through the one mismatch helper:
 * "timing: WHAT too late: expected at E (tolerance T) vs actual A", with
 * the end of the window it missed ("by" the end of a range).
 */
static int time_mismatch(char **msg, const char *what, const struct window *w,
			 enum judge_time t, int64_t when, int64_t tol)
{
	char head[640], expected[96], t1[32], t2[32], t3[32];
	bool late = t == JUDGE_LATE;

	snprintf(head, sizeof(head), "timing: %s %s", what,
		 late ? "too late" : "too early");
	snprintf(expected, sizeof(expected), "%s %s (tolerance %s)",
		 late && w->end != w->start ? "by" : "at",
		 judge_secs(late ? w->end : w->start, t1, sizeof(t1)),
		 judge_secs(tol, t3, sizeof(t3)));
	return error_mismatch(msg, head, expected, judge_secs(when, t2, sizeof(t2)));
}

int judge_packet_time(const struct window *w, int64_t when, int64_t tol,
		      const char *actual, char **msg)
{
	enum judge_time t = judge_time(w, when, tol);

	if (t == JUDGE_ON_TIME)
		return 0;
	return time_mismatch(msg, actual, w, t, when, tol);
}

int judge_packet_missing(const struct packet_event *p, const struct window *w,
			 int64_t tol, char **msg)
{
	char expected[512], t1[32], t2[32];

	judge_format_expected(p, expected, sizeof(expected));
	return error_set(msg, "expected outbound packet %s at %s (tolerance %s) "
			 "but nothing came", expected,
			 judge_secs(w->start, t1, sizeof(t1)),
			 judge_secs(tol, t2, sizeof(t2)));
}

/* ---- system calls ---- */

static const char *result_text(long ret, int err, char *buf, size_t size)
{
	if (ret == -1 && err)
		snprintf(buf, size, "-1 %s (%s)", symbol_errno_name(err) ?
			 symbol_errno_name(err) : "E?", strerror(err));
	else
		snprintf(buf, size, "%ld", ret);
	return buf;
}

int judge_result(const struct syscall_event *sc, bool returns_fd, long ret,
		 int err, char **msg)
{
	long want = sc->result ? (long)sc->result->value : 0;
	char e[128], a[128], what[160];

	if ((want < 0) == (ret < 0) &&
	    !(want < 0 && sc->errno_value && err != sc->errno_value) &&
	    !(want >= 0 && ret != want && !returns_fd))
		return 0;
	snprintf(what, sizeof(what), "%s() returned", sc->name);
	if (want < 0 && sc->errno_value)
		snprintf(e, sizeof(e), "-1 %s", sc->errno_name);
	else
		snprintf(e, sizeof(e), "%ld", want);
	return error_mismatch(msg, what, e, result_text(ret, err, a, sizeof(a)));
}

int judge_return_time(const struct syscall_event *sc, const struct window *w,
		      int64_t end, int64_t tol, char **msg)
{
	enum judge_time t = judge_time(w, end, tol);
	char what[160];

	if (t == JUDGE_ON_TIME)
		return 0;
	snprintf(what, sizeof(what), "%s() returned", sc->name);
	return time_mismatch(msg, what, w, t, end, tol);
}
