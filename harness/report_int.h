/* report_int.h - a report file built in memory and written whole, shared by the report writers (report*.c) only. */
#ifndef TCPCONF_REPORT_INT_H
#define TCPCONF_REPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A document being written: f writes into buf (owned by the document). */
struct report_doc {
	FILE *f;
	char *buf;
	size_t len;
};

/* Start an empty document. */
int report_doc_open(struct report_doc *d, char **error);

/* Finish d and write it as path (output_write: replaced whole, or
 * written in place when path is a stream); d's memory is freed either way. */
int report_doc_commit(struct report_doc *d, const char *path, char **error);

/* Text on a TAP or KTAP line: a line break or control byte never ends the
 * line early, and with escape_hash a '#' does not start a directive. */
void report_tap_text(FILE *f, const char *s, bool escape_hash);

#endif
