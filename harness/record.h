/* record.h - the outcome of one case in one IP version: verdict, message, timings and the exchange. */
#ifndef TCPCONF_RECORD_H
#define TCPCONF_RECORD_H

#include <stddef.h>

enum verdict { VERDICT_PASS, VERDICT_FAIL, VERDICT_SKIP };

/* One measured timing: an outbound packet's delay after the previous event. */
struct timing {
	int line;			/* script line of the outbound packet */
	char *packet;			/* its one-line format, e.g. ". 1:1(0) ack 7" */
	double expected_ms;		/* what the script said (relative to previous event) */
	double actual_ms;		/* what the wire showed */
};

/*
 * One step of the exchange a ladder diagram draws (ladder.h): a segment
 * the harness injected, one the kernel sent, or a system call.  Times are
 * milliseconds after the script's time zero, on the clock of the kernel's
 * packet stamps; NaN where there is none.
 */
enum step_kind { STEP_IN, STEP_OUT, STEP_CALL };
struct step {
	int line;			/* script line; for an unexpected segment, the line running then */
	enum step_kind kind;
	char *text;			/* tcpdump notation ("F. 1:1(0) ack 7"), or "close(4)" */
	char *result;			/* a call's return ("0", "-1 ENOENT"); "" otherwise */
	double at_ms;			/* stamp; a call's start; NaN: the segment never came */
	double end_ms;			/* a call's return; NaN otherwise */
	double expect_ms;		/* outbound: when the line said (window start); NaN: "*" or unexpected */
	double from_ms, until_ms;	/* outbound: what the judge accepted (window and tolerance) */
	char *state;			/* the kernel socket's TCP state after this step ("ESTABLISHED"), "" unknown */
	int failed;			/* 1 on the step the verdict's message names */
};

/* The outcome of one case in one IP version.  Strings are owned by the record. */
struct record {
	char *name;			/* case name: path under cases/ without ".pkt", e.g. "close/close-merge-immediate" */
	char *path;			/* script path as given */
	char *ip;			/* "ipv4" or "ipv6" */
	enum verdict verdict;
	char *message;			/* failure or skip reason; "" on pass */
	double duration_ms;
	char *kernel;			/* uname release */
	struct timing *timings;
	size_t ntimings;
	struct step *steps;		/* the exchange, in the order it happened */
	size_t nsteps;
	int have_steps;			/* 0: read from a file older than the exchange (no ladder) */
	char *condition_dependent;	/* run --vary: the perturbation that changed the verdict;
					 * NULL or "": none (not written then) */
};

/*
 * A member of struct record or struct timing as every writer and the reader
 * see it: one table per struct, so each format names the same keys in the
 * same order.  offset is the member's within its struct.
 */
enum field_kind {
	FIELD_STRING, FIELD_VERDICT, FIELD_NUMBER, FIELD_INT, FIELD_TIMINGS,
	FIELD_STEPS, FIELD_STEP_KIND,
};
struct field {
	const char *key;
	enum field_kind kind;
	size_t offset;
};
extern const struct field record_fields[];	/* in results.jsonl order */
extern const size_t record_nfields;
extern const struct field timing_fields[];
extern const size_t timing_nfields;
extern const struct field step_fields[];
extern const size_t step_nfields;
const struct field *record_field(const char *key);	/* NULL when no such key */

const char *verdict_name(enum verdict v);	/* "pass", "fail", "skip" */
int verdict_parse(const char *s, enum verdict *v);

const char *step_kind_name(enum step_kind k);	/* "in", "out", "call" */
int step_kind_parse(const char *s, enum step_kind *k);

void record_clear(struct record *r);		/* free the strings, timings and steps */

/* Append a timing (copies packet). */
int record_add_timing(struct record *r, int line, const char *packet,
		      double expected_ms, double actual_ms);

/*
 * Append a copy of *s (its strings copied; NULL reads as "") to the
 * exchange and mark it recorded.  The new step, owned by r, or NULL when
 * out of memory.
 */
struct step *record_add_step(struct record *r, const struct step *s);

/* Free a step's strings. */
void step_clear(struct step *s);

/* A record's string field as text: NULL (never set) reads as "". */
const char *record_str(const char *s);

#endif
