/* record.h - the outcome of one case in one IP version: verdict, message, timings. */
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
};

/*
 * A member of struct record or struct timing as every writer and the reader
 * see it: one table per struct, so each format names the same keys in the
 * same order.  offset is the member's within its struct.
 */
enum field_kind { FIELD_STRING, FIELD_VERDICT, FIELD_NUMBER, FIELD_INT, FIELD_TIMINGS };
struct field {
	const char *key;
	enum field_kind kind;
	size_t offset;
};
extern const struct field record_fields[];	/* in results.jsonl order */
extern const size_t record_nfields;
extern const struct field timing_fields[];
extern const size_t timing_nfields;
const struct field *record_field(const char *key);	/* NULL when no such key */

const char *verdict_name(enum verdict v);	/* "pass", "fail", "skip" */
int verdict_parse(const char *s, enum verdict *v);

void record_clear(struct record *r);		/* free the strings and timings */

/* Append a timing (copies packet). */
int record_add_timing(struct record *r, int line, const char *packet,
		      double expected_ms, double actual_ms);

/* A record's string field as text: NULL (never set) reads as "". */
const char *record_str(const char *s);

#endif
