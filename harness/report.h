/* report.h - the files a run leaves: results.jsonl (one JSON record per line), TAP, JUnit XML, meta.json. */
#ifndef TCPCONF_REPORT_H
#define TCPCONF_REPORT_H

#include <stddef.h>

#include "record.h"

/*
 * How a run was made and how it ended: meta.json records it, and a run
 * cut short marks every format (TAP and KTAP "Bail out!", a JUnit
 * <error>, a last "incomplete" line in results.jsonl).  Strings are the
 * caller's.
 */
struct report_run {
	const char *version;		/* version_string(): release and git commit */
	const char *commit;		/* NULL: not built from git */
	const char *how;		/* for people: "-j32, sandboxed, ..." */
	long long tolerance_usecs;	/* the command line's; -1: each script's own */
	const char *ip_version;		/* the command line's; NULL: each script's own */
	int jobs;
	int stop_signal;		/* the SIGINT or SIGTERM that cut it short, or 0 */
	size_t planned;			/* records the run set out to write */
	size_t unfinished;		/* of those, cut short or never started */
};

/* "interrupted by signal 2 (Interrupt): 40 of 52 cases did not finish"
 * into buf (the caller's); run NULL or not stopped: "". */
void report_incomplete_text(const struct report_run *run, char *buf, size_t size);

/*
 * Each writer builds the whole file in memory, then hands it to
 * output_write (output.h): a regular file is replaced at once, so a reader
 * never sees half of it; "-", /dev/stdout or a FIFO get it in place.  r is
 * the caller's; *error names the file on failure.
 */
int report_write_jsonl(const char *path, const struct record *r, size_t n, char **error);
int report_write_tap(const char *path, const struct record *r, size_t n, char **error);
int report_write_junit(const char *path, const struct record *r, size_t n, char **error);

/* The same, marked as incomplete when run->stop_signal is set (run may be NULL). */
int report_write_jsonl_run(const char *path, const struct record *r, size_t n,
			   const struct report_run *run, char **error);
int report_write_tap_run(const char *path, const struct record *r, size_t n,
			 const struct report_run *run, char **error);
int report_write_junit_run(const char *path, const struct record *r, size_t n,
			   const struct report_run *run, char **error);

/*
 * KTAP version 1 as cases finish (Documentation/dev-tools/ktap.rst), with
 * kselftest's "# Totals:" line at the end.  A stream ("-", /dev/stdout, a
 * pipe, a FIFO, a terminal) gets each line as it comes; a regular file is
 * written whole at the end, like the other reports.  report_ktap_open
 * prints the header and the plan of planned tests; NULL with *error on
 * failure.  report_ktap_close ends with "Bail out!" when run->stop_signal
 * is set, and frees k whatever it returns.
 */
struct report_ktap;
struct report_ktap *report_ktap_open(const char *path, size_t planned, char **error);
void report_ktap_case(struct report_ktap *k, const struct record *r);
void report_ktap_note(struct report_ktap *k, const char *text);	/* a "# " diagnostic line */
int report_ktap_close(struct report_ktap *k, const struct report_run *run, char **error);

/* meta.json: kernel release, architecture, every net.ipv4.tcp_* and
 * net.core.* sysctl of a fresh namespace (a case's bed), CONFIG_HZ and
 * its source, how the kernel ran (native, QEMU, accel), CPUs, memory,
 * tcpconf version, date (UTC, ISO 8601); with run, also the commit, how
 * the run was made and whether it was cut short. */
int report_write_meta(const char *path, const char *version, char **error);
int report_write_meta_run(const char *path, const struct report_run *run, char **error);

/* What a meta.json says of its run; each string malloc'd, NULL when absent or null. */
struct report_meta {
	char *kernel;
	char *machine;
	char *tcpconf_version;
	char *date;
	char *namespace;	/* "fresh" or "current": where its sysctls were read */
	char *tcpconf_commit;
	char *how;		/* how the run was made, for people */
	char *incomplete;	/* why the run was cut short; NULL: it finished */
	char *sysctl_summary;	/* "name=value, ..." as recorded; NULL in older files */
	char *config_hz;	/* "250"; NULL in older files and when unknown */
	char *config_hz_source;	/* "/boot/config-...", "measured: jiffies over 250 ms" */
	char *kernel_ran;	/* "native (...)", "QEMU, accel kvm", "virtual machine (...)" */
	char *cpus;		/* online CPUs, "2" */
	char *memory;		/* "2048 MiB" */
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
 * The "incomplete" line an interrupted run ends with is not a record and
 * is passed over (meta.json says the same).
 */
#define REPORT_LINE_MAX	(1 << 20)	/* a record with hundreds of timings is ~100 KiB */
#define REPORT_FILE_MAX	(256 << 20)	/* ~700,000 records */
int report_read_jsonl(const char *path, struct record **records, size_t *n, char **error);

/* Clear n records and free the array (NULL is fine). */
void report_free_all(struct record *r, size_t n);

#endif
