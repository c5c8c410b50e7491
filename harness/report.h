/* report.h - one record per case and IP version, and the files a run leaves: JSON lines, TAP, JUnit XML, metadata. */
#ifndef TCPCONF_REPORT_H
#define TCPCONF_REPORT_H

#include <stddef.h>
#include <stdio.h>

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

const char *verdict_name(enum verdict v);	/* "pass", "fail", "skip" */
int verdict_parse(const char *s, enum verdict *v);

void record_clear(struct record *r);		/* free the strings and timings */

/* Append a timing (copies packet). */
int record_add_timing(struct record *r, int line, const char *packet,
		      double expected_ms, double actual_ms);

/* Serialise/parse one JSON line (no trailing newline in the string).
 * report_json_line returns a malloc'd string the caller frees. */
char *report_json_line(const struct record *r);
int report_json_parse(const char *line, struct record *r, char **error);

/* Whole files, written from an array of records. */
int report_write_jsonl(const char *path, const struct record *r, size_t n, char **error);
int report_write_tap(const char *path, const struct record *r, size_t n, char **error);
int report_write_junit(const char *path, const struct record *r, size_t n, char **error);

/* meta.json: kernel release, architecture, relevant sysctls of a fresh
 * namespace, tcpconf version, date (UTC, ISO 8601). */
int report_write_meta(const char *path, const char *version, char **error);

/* Read a results.jsonl; *records is malloc'd, caller frees with report_free_all. */
int report_read_jsonl(const char *path, struct record **records, size_t *n, char **error);
void report_free_all(struct record *r, size_t n);

/* Length of the well-formed UTF-8 sequence at s (at most avail bytes), 0
 * for a byte that starts none: what the JSON and HTML writers may copy. */
size_t report_utf8_len(const unsigned char *s, size_t avail);

#endif
