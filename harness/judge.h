/* judge.h - the verdict on one script line: did the kernel send what the line says, return what it says, and when. */
#ifndef TCPCONF_JUDGE_H
#define TCPCONF_JUDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "packet.h"
#include "script.h"

/*
 * Everything here is pure: no I/O, no clock, no root.  Times are script
 * microseconds the caller measured; messages are newly allocated and owned
 * by the caller (free()), and every mismatch, times included, reads
 * "WHAT: expected X vs actual Y" (error_mismatch()).
 */

/* When the script says something happens, in script microseconds. */
struct window {
	int64_t start, end;
	bool any;			/* "*": whenever (end is INT64_MAX) */
};

/* The window of time spec t for an event whose relative times count from anchor. */
struct window judge_window(const struct script_time *t, int64_t anchor);

/* When blocking call ev ("a...b") should return, given the time it really
 * started: b - a later. */
struct window judge_return_window(const struct event *ev, int64_t start);

/* Where a time falls against a window widened by the tolerance on both sides. */
enum judge_time {
	JUDGE_EARLY = -1,
	JUDGE_ON_TIME = 0,
	JUDGE_LATE = 1,
};

enum judge_time judge_time(const struct window *w, int64_t when, int64_t tol);

/* "1.234567 s" (a leading "-" when negative) into buf; returns buf. */
const char *judge_secs(int64_t usecs, char *buf, size_t size);

/* A packet line as the failure messages print it: the window only when
 * written, " <...>" for an option list left open. */
void judge_format_expected(const struct packet_event *p, char *buf, size_t size);

/* An outbound segment as the messages print it, in script sequence numbers. */
void judge_format_actual(const struct conn *c, const struct tcp_segment *seg,
			 char *buf, size_t size);

/*
 * Do the options of seg match the line's?  "<...>" takes any, no list
 * none; a list is judged by the option table (tcp_options_match(): kind by
 * kind, a TS val is the kernel's clock and is learnt, not judged).  false
 * with *why naming the difference.
 */
bool judge_options(const struct packet_event *p, const struct tcp_segment *seg,
		   const char **why);

/*
 * Does outbound wire segment seg match packet line p under map c (flags,
 * ports, seq, payload length, ack, window, options, in that order)?  0, or
 * STATUS_ERROR with *msg "WHY: expected LINE vs actual SEGMENT".
 */
int judge_packet(const struct conn *c, const struct packet_event *p,
		 const struct tcp_segment *seg, char **msg);

/*
 * packetdrill's rule for the kernel's TS clock, with tick_usecs > 0 (its
 * --tcp_ts_tick_usecs): the TS val of seg, counted from the first one the
 * map learnt (conn_ts_origin()), must have moved as far from it as the
 * value its line writes, give or take tol microseconds' worth of ticks.
 * Lines without a TS val, and tick_usecs 0, are not judged.  0, or
 * STATUS_ERROR with *msg "TS val differs (...): expected LINE vs actual
 * SEGMENT", the actual TS val in the script's numbering.
 */
int judge_ts_val(const struct conn *c, const struct packet_event *p,
		 const struct tcp_segment *seg, int64_t tick_usecs, int64_t tol,
		 char **msg);

/*
 * Was outbound segment seg (formatted as actual) stamped at when within w,
 * widened by tolerance tol on both sides?  The stamp is the kernel's, so
 * a frame the harness read late is judged by when it was sent.  0, or
 * STATUS_ERROR with *msg "timing: ACTUAL too late: expected at E
 * (tolerance T) vs actual A" ("too early"; "by" the end of a range).
 */
int judge_packet_time(const struct window *w, int64_t when, int64_t tol,
		      const char *actual, char **msg);

/* The message for packet line p expected in w that never came. */
int judge_packet_missing(const struct packet_event *p, const struct window *w,
			 int64_t tol, char **msg);

/*
 * Does a call's result (ret, and err when ret is -1) match what line sc
 * wants?  A call that returns_fd matches any descriptor.  0, or
 * STATUS_ERROR with *msg "NAME() returned: expected X vs actual Y".
 */
int judge_result(const struct syscall_event *sc, bool returns_fd, long ret,
		 int err, char **msg);

/* Did blocking call sc return at end within w (judge_return_window() of
 * its actual start) and tolerance tol?  0, or STATUS_ERROR with *msg
 * "timing: NAME() returned too late: expected at E (tolerance T) vs
 * actual A" (or "too early"). */
int judge_return_time(const struct syscall_event *sc, const struct window *w,
		      int64_t end, int64_t tol, char **msg);

#endif
