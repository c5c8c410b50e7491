/* report.h - the files a run leaves: results.jsonl (one JSON record per line), TAP, JUnit XML, meta.json. */
#ifndef TCPCONF_REPORT_H
#define TCPCONF_REPORT_H

#include <stddef.h>

#include "record.h"

/*
 * Each writer builds the whole file in memory, then hands it to
 * output_write (output.h): a regular file is replaced at once, so a reader
 * never sees half of it; "-", /dev/stdout or a FIFO get it in place.  r is
 * the caller's; *error names the file on failure.
 */
int report_write_jsonl(const char *path, const struct record *r, size_t n, char **error);
int report_write_tap(const char *path, const struct record *r, size_t n, char **error);
int report_write_junit(const char *path, const struct record *r, size_t n, char **error);

/* meta.json: kernel release, architecture, relevant sysctls of a fresh
 * namespace, tcpconf version, date (UTC, ISO 8601). */
int report_write_meta(const char *path, const char *version, char **error);

/* Read a results.jsonl; *records is malloc'd, caller frees with report_free_all. */
int report_read_jsonl(const char *path, struct record **records, size_t *n, char **error);

/* Clear n records and free the array (NULL is fine). */
void report_free_all(struct record *r, size_t n);

#endif
