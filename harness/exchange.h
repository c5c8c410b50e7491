/* exchange.h - what a case run keeps of its exchange for the ladder diagram: each segment and call as a step of its record, with the socket state it leaves. */
#ifndef TCPCONF_EXCHANGE_H
#define TCPCONF_EXCHANGE_H

#include <stdint.h>

#include "conn.h"
#include "judge.h"
#include "record.h"
#include "script.h"

/*
 * The event loop (exec.c) calls these as things happen; each appends a
 * step to r (record.h: strings copied, owned by r) and derives the
 * kernel socket's state after it.  Times are script microseconds.  Out of
 * memory loses the step, never the case: a ladder is a picture, not a
 * verdict.
 */

/* Inbound line ev, injected at (its kernel transmit stamp). */
void exchange_inbound(struct record *r, const struct event *ev, int64_t at);

/*
 * Outbound line ev, due in w with tolerance tol: seg as the capture saw it
 * at at (map c gives its script numbers), or seg NULL when nothing came.
 */
void exchange_outbound(struct record *r, const struct conn *c, const struct event *ev,
		       const struct tcp_segment *seg, const struct window *w,
		       int64_t tol, int64_t at);

/* A segment no line expected, captured at at while line ran. */
void exchange_unexpected(struct record *r, const struct conn *c, int line,
			 const struct tcp_segment *seg, int64_t at);

/* System call line ev ran from start to end and returned ret (err when -1). */
void exchange_call(struct record *r, const struct event *ev, int64_t start,
		   int64_t end, long ret, int err);

/*
 * The run is over: mark failed the last step of the line r->message names
 * ("SCRIPT:LINE: ...", script as script_name() gives it), and note that
 * an exchange was recorded even when it is empty.
 */
void exchange_finish(struct record *r, const char *script);

/*
 * The kernel socket's state after step s, given the steps before it in r
 * ("" before any is known): RFC 9293's names ("FIN-WAIT-1").  Segments
 * drive it as the state diagram does; a tcp_diag() line that passed
 * confirms the state it names; the result is static or r's.
 */
const char *exchange_next_state(const struct record *r, const struct step *s);

#endif
