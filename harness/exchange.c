/*
 * exchange.c - see exchange.h.  The state in a ladder's margin is derived
 * from what the ladder shows (segments as RFC 9293's state diagram moves
 * on them, tcp_diag() checks as confirmations) rather than asked of
 * sock_diag after every step: a query between steps would cost the loop
 * time on the lines being judged.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "exchange.h"
#include "symbol.h"
#include "text.h"

#define TEXT_MAX	512

static double ms(int64_t usecs)
{
	return usecs / 1000.0;
}

/* Append s with its state derived; the step's strings are the caller's. */
static void add(struct record *r, struct step *s)
{
	s->state = (char *)exchange_next_state(r, s);
	record_add_step(r, s);
}

void exchange_inbound(struct record *r, const struct event *ev, int64_t at)
{
	char text[TEXT_MAX];
	struct step s = { .line = ev->line, .kind = STEP_IN, .text = text, .at_ms = ms(at),
			  .end_ms = NAN, .expect_ms = NAN, .from_ms = NAN, .until_ms = NAN };

	judge_format_expected(&ev->u.packet, text, sizeof(text));
	add(r, &s);
}

void exchange_outbound(struct record *r, const struct conn *c, const struct event *ev,
		       const struct tcp_segment *seg, const struct window *w,
		       int64_t tol, int64_t at)
{
	char text[TEXT_MAX];
	struct step s = { .line = ev->line, .kind = STEP_OUT, .text = text, .at_ms = NAN,
			  .end_ms = NAN, .expect_ms = NAN, .from_ms = NAN, .until_ms = NAN };

	if (!w->any) {
		s.expect_ms = ms(w->start);
		s.from_ms = ms(w->start - tol);
		s.until_ms = ms(w->end + tol);
	}
	if (seg) {
		judge_format_actual(c, seg, text, sizeof(text));
		s.at_ms = ms(at);
	} else {
		judge_format_expected(&ev->u.packet, text, sizeof(text));
	}
	add(r, &s);
}

void exchange_unexpected(struct record *r, const struct conn *c, int line,
			 const struct tcp_segment *seg, int64_t at)
{
	char text[TEXT_MAX];
	struct step s = { .line = line, .kind = STEP_OUT, .text = text, .at_ms = ms(at),
			  .end_ms = NAN, .expect_ms = NAN, .from_ms = NAN, .until_ms = NAN };

	judge_format_actual(c, seg, text, sizeof(text));
	add(r, &s);
}

/* A string argument, its first 24 bytes, escaped as a script writes them:
 * a key ("\xa1...") is bytes, and records and ladders carry text. */
static void put_string(struct text *t, const char *s)
{
	size_t n = strlen(s);

	text_add(t, "\"");
	for (size_t i = 0; i < n && i < 24; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			text_add(t, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			text_add(t, "%c", c);
		else
			text_add(t, "\\x%02x", c);
	}
	text_add(t, "%s\"", n > 24 ? "..." : "");
}

/* An argument as the script wrote it, near enough: symbols by name. */
static void put_expr(struct text *t, const struct expr *e)
{
	switch (e->kind) {
	case EXPR_INT:
		if (e->symbol)
			text_add(t, "%s", e->symbol);
		else
			text_add(t, "%lld", (long long)e->value);
		return;
	case EXPR_ELLIPSIS: text_add(t, "..."); return;
	case EXPR_NULL:	    text_add(t, "NULL"); return;
	case EXPR_STRING:   put_string(t, e->string); return;
	case EXPR_RANGE:    text_add(t, "%lld~%lld", (long long)e->value, (long long)e->high); return;
	case EXPR_LIST:
	case EXPR_STRUCT:
		text_add(t, "%c", e->kind == EXPR_LIST ? '[' : '{');
		for (size_t i = 0; i < e->nitems; i++) {
			text_add(t, "%s%s%s", i ? ", " : "", e->items[i]->field ? e->items[i]->field : "",
				 e->items[i]->field ? "=" : "");
			put_expr(t, e->items[i]);
		}
		text_add(t, "%c", e->kind == EXPR_LIST ? ']' : '}');
		return;
	}
}

void exchange_call(struct record *r, const struct event *ev, int64_t start,
		   int64_t end, long ret, int err)
{
	const struct syscall_event *sc = &ev->u.syscall;
	char text[TEXT_MAX], result[64];
	struct text t;
	struct step s = { .line = ev->line, .kind = STEP_CALL, .text = text, .result = result,
			  .at_ms = ms(start), .end_ms = ms(end), .expect_ms = NAN,
			  .from_ms = NAN, .until_ms = NAN };

	text_init(&t, text, sizeof(text));
	text_add(&t, "%s(", sc->name);
	for (size_t i = 0; i < sc->nargs; i++) {
		text_add(&t, "%s", i ? ", " : "");
		put_expr(&t, sc->args[i]);
	}
	text_add(&t, ")");
	/* a descriptor as the script numbers it (call.c maps them) */
	if (ret >= 0 && call_returns_fd(sc->name) && sc->result && sc->result->value >= 0)
		ret = sc->result->value;
	if (ret == -1 && err)
		snprintf(result, sizeof(result), "-1 %s", symbol_errno_name(err) ?
			 symbol_errno_name(err) : "E?");
	else
		snprintf(result, sizeof(result), "%ld", ret);
	add(r, &s);
}

void exchange_finish(struct record *r, const char *script)
{
	size_t n = strlen(script);
	const char *m = record_str(r->message);
	int line;

	r->have_steps = 1;
	if (!*script || strncmp(m, script, n) || m[n] != ':' || sscanf(m + n + 1, "%d", &line) != 1)
		return;
	for (size_t i = r->nsteps; i-- > 0;)
		if (r->steps[i].line == line) {
			r->steps[i].failed = 1;
			return;
		}
}

/* ---- the state ---- */

/* sock_diag's names (the scripts') and RFC 9293's (the margin's). */
static const struct { const char *diag, *rfc; } states[] = {
	{ "TCP_ESTABLISHED", "ESTABLISHED" }, { "TCP_SYN_SENT", "SYN-SENT" },
	{ "TCP_SYN_RECV", "SYN-RECEIVED" }, { "TCP_FIN_WAIT1", "FIN-WAIT-1" },
	{ "TCP_FIN_WAIT2", "FIN-WAIT-2" }, { "TCP_TIME_WAIT", "TIME-WAIT" },
	{ "TCP_CLOSE", "CLOSED" }, { "TCP_CLOSE_WAIT", "CLOSE-WAIT" },
	{ "TCP_LAST_ACK", "LAST-ACK" }, { "TCP_LISTEN", "LISTEN" },
	{ "TCP_CLOSING", "CLOSING" },
};

/* What a segment's tcpdump text says: flags, where it ends, its ack. */
struct seg_text {
	bool syn, fin, rst, ack;
	long end, ackno;
};

static struct seg_text seg_parse(const char *text)
{
	struct seg_text st = { .end = -1, .ackno = -1 };
	const char *p = text, *a;

	for (; *p && *p != ' '; p++) {
		st.syn |= *p == 'S';
		st.fin |= *p == 'F';
		st.rst |= *p == 'R';
		st.ack |= *p == '.';
	}
	if (sscanf(p, " %*[0-9]:%ld", &st.end) != 1)
		st.end = -1;
	a = strstr(p, " ack ");
	if (a && sscanf(a + 5, "%ld", &st.ackno) != 1)
		st.ackno = -1;
	return st;
}

/* Does inbound segment in acknowledge the kernel's last FIN in r? */
static bool acks_our_fin(const struct record *r, const struct seg_text *in)
{
	for (size_t i = r->nsteps; i-- > 0;) {
		struct seg_text out;

		if (r->steps[i].kind != STEP_OUT || isnan(r->steps[i].at_ms))
			continue;
		out = seg_parse(r->steps[i].text);
		if (out.fin)
			return in->ack && out.end >= 0 && in->ackno > out.end;
	}
	return false;
}

static bool is(const char *state, const char *name)
{
	return !strcmp(state, name);
}

static const char *after_inbound(const struct record *r, const char *cur, const char *text)
{
	struct seg_text in = seg_parse(text);
	bool fin_acked = acks_our_fin(r, &in);

	if (in.rst)
		return "CLOSED";
	if (in.syn)
		return is(cur, "SYN-SENT") && in.ack ? "ESTABLISHED" : is(cur, "LISTEN") ? "SYN-RECEIVED" : cur;
	if (in.fin) {
		if (is(cur, "ESTABLISHED") || is(cur, "SYN-RECEIVED"))
			return "CLOSE-WAIT";
		if (is(cur, "FIN-WAIT-1"))
			return fin_acked ? "TIME-WAIT" : "CLOSING";
		if (is(cur, "FIN-WAIT-2"))
			return "TIME-WAIT";
	}
	if (in.ack && is(cur, "SYN-RECEIVED"))
		return "ESTABLISHED";
	if (fin_acked && is(cur, "FIN-WAIT-1"))
		return "FIN-WAIT-2";
	if (fin_acked && is(cur, "CLOSING"))
		return "TIME-WAIT";
	if (fin_acked && is(cur, "LAST-ACK"))
		return "CLOSED";
	return cur;
}

static const char *after_outbound(const char *cur, const char *text)
{
	struct seg_text out = seg_parse(text);

	if (out.rst)
		return "CLOSED";
	if (out.syn)
		return out.ack ? "SYN-RECEIVED" : "SYN-SENT";
	if (out.fin)
		return is(cur, "CLOSE-WAIT") ? "LAST-ACK" :
		       is(cur, "ESTABLISHED") || is(cur, "SYN-RECEIVED") ? "FIN-WAIT-1" : cur;
	return cur;
}

/* listen() and connect() start a state; tcp_diag() confirms one. */
static const char *after_call(const char *cur, const char *text, const char *result)
{
	const char *p = strstr(text, "idiag_state=");

	if (!strncmp(text, "listen(", 7) && !strcmp(result, "0"))
		return "LISTEN";
	if (!strncmp(text, "connect(", 8) && (!strcmp(result, "0") || strstr(result, "EINPROGRESS")))
		return "SYN-SENT";
	if (strncmp(text, "tcp_diag(", 9))
		return cur;
	if (strstr(result, "ENOENT"))
		return "CLOSED";
	for (size_t i = 0; p && !strcmp(result, "0") && i < sizeof(states) / sizeof(states[0]); i++) {
		size_t n = strlen(states[i].diag);

		if (!strncmp(p + 12, states[i].diag, n) && !(p[12 + n] == '_' ||
		    (p[12 + n] >= 'A' && p[12 + n] <= 'Z')))
			return states[i].rfc;
	}
	return cur;
}

const char *exchange_next_state(const struct record *r, const struct step *s)
{
	const char *cur = r->nsteps ? record_str(r->steps[r->nsteps - 1].state) : "";

	switch (s->kind) {
	case STEP_IN:
		return after_inbound(r, cur, record_str(s->text));
	case STEP_OUT:
		return isnan(s->at_ms) ? cur : after_outbound(cur, record_str(s->text));
	case STEP_CALL:
		return after_call(cur, record_str(s->text), record_str(s->result));
	}
	return cur;
}
