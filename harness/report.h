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

/* What a meta.json says of its run; each string malloc'd, NULL when absent or null. */
struct report_meta {
	char *kernel;
	char *machine;
	char *tcpconf_version;
	char *date;
	char *namespace;	/* "fresh" or "current": where its sysctls were read */
};

/*
 * Read and check a meta.json (at most REPORT_META_MAX bytes): one JSON
 * object whose known members are strings or null; members a later
 * tcpconf may add are checked and skipped.  *m must start zeroed; on
 * success the caller frees it with report_meta_clear.  STATUS_SKIP when
 * path does not exist (older results have none), STATUS_ERROR with *error
 * naming the file when it cannot be read or is malformed.
 */
#define REPORT_META_MAX	(64 << 10)
int report_read_meta(const char *path, struct report_meta *m, char **error);
void report_meta_clear(struct report_meta *m);

/*
 * Read a results.jsonl; *records is malloc'd, caller frees with
 * report_free_all.  Bounded, since a results file may be anything (a link
 * to /dev/zero): a line longer than REPORT_LINE_MAX, a file larger than
 * REPORT_FILE_MAX or a NUL byte is an error naming the file (and line).
 */
#define REPORT_LINE_MAX	(1 << 20)	/* a record with hundreds of timings is ~100 KiB */
#define REPORT_FILE_MAX	(256 << 20)	/* ~700,000 records */
int report_read_jsonl(const char *path, struct record **records, size_t *n, char **error);

/* Clear n records and free the array (NULL is fine). */
void report_free_all(struct record *r, size_t n);

#endif
