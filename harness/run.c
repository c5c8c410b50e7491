/* run.c - `tcpconf run`: find cases, run each in its own process and test bed, report. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "array.h"
#include "bed.h"
#include "error.h"
#include "exec.h"
#include "job.h"
#include "json.h"
#include "option.h"
#include "output.h"
#include "report.h"
#include "run.h"
#include "shell.h"
#include "run_int.h"
#include "vary.h"
#include "sandbox.h"
#include "script.h"
#include "version.h"

#define CASE_SLACK_SECS	20	/* beyond the script's own length before a case is killed */


volatile sig_atomic_t run_stop_signal;

static void on_signal(int sig)
{
	run_stop_signal = sig;
}

/* ---- finding cases ---- */

static int add_path(struct runner *r, const char *path)
{
	char **n = realloc(r->paths, (r->npaths + 1) * sizeof(*n));

	if (!n)
		return -1;
	r->paths = n;
	r->paths[r->npaths] = strdup(path);
	return r->paths[r->npaths++] ? 0 : -1;
}

static bool is_pkt(const char *name)
{
	size_t len = strlen(name);

	return len > 4 && !strcmp(name + len - 4, ".pkt");
}

/*
 * The .pkt files below dir.  A symbolic link to a directory is not
 * followed: one link to "." ran a case 41 times, two made the walk
 * exponential.  A link named .pkt to a file is a case like any other; a
 * .pkt that is not a regular file (a FIFO) is handed on, and parsing it
 * says so.
 */
static int walk_dir(const char *dir, int (*fn)(const char *pkt, void *arg),
		    void *arg, char **error)
{
	struct dirent **list;
	int n, rc = 0;

	n = scandir(dir, &list, NULL, alphasort);
	if (n < 0)
		return error_set(error, "%s: %s", dir, strerror(errno));
	for (int i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		struct stat ls, st;
		char *sub = NULL;

		if (name[0] != '.' && rc == 0 && asprintf(&sub, "%s/%s", dir, name) >= 0 &&
		    lstat(sub, &ls) == 0) {
			if (S_ISDIR(ls.st_mode))
				rc = walk_dir(sub, fn, arg, error);
			else if (is_pkt(name) && !(stat(sub, &st) == 0 && S_ISDIR(st.st_mode)))
				rc = fn(sub, arg) < 0 ? error_set(error, "out of memory") : 0;
		}
		free(sub);
		free(list[i]);
	}
	free(list);
	return rc;
}

int run_walk(const char *path, int (*fn)(const char *pkt, void *arg),
	     void *arg, char **error)
{
	struct stat sb;

	/* the path as given may be a link to a directory: followed, once */
	if (stat(path, &sb) < 0)
		return error_set(error, "%s: %s", path, strerror(errno));
	if (S_ISDIR(sb.st_mode))
		return walk_dir(path, fn, arg, error);
	return fn(path, arg) < 0 ? error_set(error, "out of memory") : 0;
}

static int add_one(const char *path, void *arg)
{
	return add_path(arg, path);
}

/* "cases/close/close-x.pkt" -> "close/close-x": the name results use. */
static char *case_name(const char *path)
{
	const char *p = strstr(path, "cases/");
	char *name;
	size_t len;

	p = p ? p + 6 : path;
	while (*p == '/')
		p++;
	name = strdup(p);
	if (!name)
		return NULL;
	len = strlen(name);
	if (len > 4 && !strcmp(name + len - 4, ".pkt"))
		name[len - 4] = '\0';
	return name;
}

/* ---- records ---- */

static struct record *record_new(struct runner *r, const char *path, const char *ip)
{
	struct record *grown = array_room(r->records, r->nrecords, &r->cap, sizeof(*grown), 64);
	struct record *rec;

	if (!grown)
		return NULL;
	r->records = grown;
	rec = &r->records[r->nrecords++];
	memset(rec, 0, sizeof(*rec));
	rec->name = case_name(path);
	rec->path = strdup(path);
	rec->ip = strdup(ip);
	rec->kernel = strdup(r->kernel);
	rec->message = strdup("");
	return rec;
}

static const char *family_name(int family)
{
	return family == AF_INET ? "ipv4" : "ipv6";
}

void run_progress(const struct runner *r, const struct record *rec)
{
	if (rec->verdict == VERDICT_FAIL)
		fprintf(stdout, "FAIL %s [%s]: %s\n", rec->name, rec->ip, rec->message);
	else if (r->verbose)
		fprintf(stdout, "%s %s [%s] %.0f ms%s%s\n",
			rec->verdict == VERDICT_PASS ? "pass" : "SKIP", rec->name,
			rec->ip, rec->duration_ms, *rec->message ? ": " : "",
			rec->message);
	fflush(stdout);
	if (r->ktap_out)
		report_ktap_case(r->ktap_out, rec);
}

int run_mkdirs(const char *dir)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", dir);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0755) < 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	return mkdir(buf, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

/* ---- outputs ---- */

typedef int report_writer(const char *path, const struct record *rec, size_t n,
			  const struct report_run *run, char **error);

/* One file of results; a failure is printed naming it, and the others are still written. */
static int write_one(const struct runner *r, const struct report_run *run, const char *dir,
		     const char *name, report_writer *writer)
{
	char *path = NULL, *error = NULL;
	int rc;

	if (dir && asprintf(&path, "%s/%s", dir, name) < 0)
		return -1;
	rc = writer(path ? path : name, r->records, r->nrecords, run, &error);
	if (rc < 0)
		fprintf(stderr, "tcpconf: writing results: %s\n", error ? error : "out of memory");
	free(error);
	free(path);
	return rc;
}

/* meta.json as a writer like the others: it describes the run, not the records. */
static int write_meta(const char *path, const struct record *rec, size_t n,
		      const struct report_run *run, char **error)
{
	(void)rec;
	(void)n;
	return report_write_meta_run(path, run, error);
}

static int write_outputs(struct runner *r)
{
	struct report_run run;
	char how[256], *error = NULL;
	int rc = 0;

	run_describe(r, &run, how, sizeof(how));
	if (r->results) {
		rc |= write_one(r, &run, r->results, "results.jsonl", report_write_jsonl_run);
		rc |= write_one(r, &run, r->results, "results.tap", report_write_tap_run);
		rc |= write_one(r, &run, r->results, "junit.xml", report_write_junit_run);
		rc |= write_one(r, &run, r->results, "meta.json", write_meta);
	}
	if (r->json)
		rc |= write_one(r, &run, NULL, r->json, report_write_jsonl_run);
	if (r->tap)
		rc |= write_one(r, &run, NULL, r->tap, report_write_tap_run);
	if (r->junit)
		rc |= write_one(r, &run, NULL, r->junit, report_write_junit_run);
	if (r->ktap_out && report_ktap_close(r->ktap_out, &run, &error) < 0) {
		fprintf(stderr, "tcpconf: writing results: %s\n", error);
		rc = -1;
	}
	r->ktap_out = NULL;
	free(error);
	return rc ? -1 : 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: tcpconf run [options] PATH...\n");
	option_usage(f);
	fprintf(f, "exit status: 0 all passed, 1 a case failed or a result file was not written,\n"
		"  2 usage error, 4 every case skipped (kselftest's skip), 128+N stopped by signal N\n");
}

/* ---- the command: options, cases, plan, run, summary ---- */

/*
 * Results streamed to standard output (`--json -`, `--tap /dev/stdout`)
 * must be all that a parser reading it sees: standard output is kept
 * aside for them, and the progress and summary lines go to standard
 * error.  0, or the exit status.
 */
static int keep_stdout_for_results(struct runner *r)
{
	const char **outs[] = { &r->json, &r->tap, &r->junit, &r->ktap };
	bool any = false;
	int fd;

	for (size_t i = 0; i < 4; i++)
		any |= *outs[i] && output_is_stdout(*outs[i]);
	if (!any)
		return 0;
	fflush(stdout);
	fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	if (fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
		fprintf(stderr, "tcpconf: standard output: %s\n", strerror(errno));
		return 2;
	}
	snprintf(r->results_fd, sizeof(r->results_fd), "/dev/fd/%d", fd);
	for (size_t i = 0; i < 4; i++)
		if (*outs[i] && output_is_stdout(*outs[i]))
			*outs[i] = r->results_fd;
	return 0;
}

/*
 * Can cases be given real-time priority (exec.c asks, sandbox.h passes
 * the request out to the runner's own privilege)?  Root can; anyone else
 * only with an RLIMIT_RTPRIO that reaches the priority cases ask for.
 */
static bool run_can_realtime(void)
{
	struct rlimit rl;

	if (geteuid() == 0)
		return true;
	return getrlimit(RLIMIT_RTPRIO, &rl) == 0 && rl.rlim_cur >= SANDBOX_RTPRIO_MAX;
}

/* -1 to go on with the paths at argv[*first], else the exit status. */
static int parse_options(int argc, char **argv, struct runner *r, int *first)
{
	long long jobs = (run_can_realtime() ? RUN_JOBS_PER_CPU : RUN_JOBS_PER_CPU_NO_RT) *
			 sysconf(_SC_NPROCESSORS_ONLN);
	char *error = NULL;

	option_values_init(&r->opts);
	if (option_parse_argv(argc, argv, &r->opts, first, &error) < 0) {
		fprintf(stderr, "tcpconf: %s\n", error ? error : "out of memory");
		free(error);
		return 2;
	}
	if (r->opts.help) {
		usage(stdout);
		return 0;
	}
	if (*first >= argc) {
		usage(stderr);
		return 2;
	}
	if (r->opts.jobs)
		jobs = r->opts.jobs;
	/* the default on a very large machine is bounded like -j */
	r->jobs = jobs < 1 ? 1 : jobs > RUN_JOBS_MAX ? RUN_JOBS_MAX : (int)jobs;
	/* shell commands are CPU work: as many at once as CPUs (shell.h);
	 * without an eventfd they are not held back */
	(void)shell_share((unsigned int)sysconf(_SC_NPROCESSORS_ONLN), NULL);
	r->verbose = r->opts.verbose;
	r->results = r->opts.results;
	r->json = r->opts.json;
	r->tap = r->opts.tap;
	r->junit = r->opts.junit;
	r->ktap = r->opts.ktap;
	r->pcap_dir = r->opts.pcap_dir ? strdup(r->opts.pcap_dir) : NULL;
	r->eopt.cli = &r->opts;
	r->eopt.tolerance_usecs = -1;
	return keep_stdout_for_results(r) ? 2 : -1;
}

/* Every .pkt under the paths; 0, or the exit status when there is none. */
static int collect(struct runner *r, char **paths, int n)
{
	char *error = NULL;

	for (int i = 0; i < n; i++)
		if (run_walk(paths[i], add_one, r, &error) < 0) {
			fprintf(stderr, "tcpconf: %s\n", error);
			free(error);
			return 2;
		}
	if (!r->npaths) {
		fprintf(stderr, "tcpconf: no .pkt cases found\n");
		return 2;
	}
	return 0;
}

/*
 * The results directory, and where failing cases' captures go: --pcap-dir,
 * else DIR/pcap of --results, else ./tcpconf-pcap.  It is made at the first
 * capture; one that is a symbolic link is refused now rather than then.
 */
static int prepare_outputs(struct runner *r)
{
	struct stat sb;

	r->pcap_dirfd = -1;
	if (r->results && run_mkdirs(r->results) < 0) {
		fprintf(stderr, "tcpconf: %s: %s\n", r->results, strerror(errno));
		return 2;
	}
	if (!r->pcap_dir && asprintf(&r->pcap_dir, "%s", r->results ? r->results : ".") >= 0) {
		char *d = r->pcap_dir;

		if (asprintf(&r->pcap_dir, r->results ? "%s/pcap" : "%s/tcpconf-pcap", d) < 0)
			r->pcap_dir = NULL;
		free(d);
	}
	if (!r->pcap_dir) {
		fprintf(stderr, "tcpconf: out of memory\n");
		return 2;
	}
	if (lstat(r->pcap_dir, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "tcpconf: --pcap-dir %s: %s\n", r->pcap_dir, S_ISLNK(sb.st_mode) ?
			"a symbolic link: captures are not written through links" :
			"not a directory");
		return 2;
	}
	r->eopt.pcap_dir = r->pcap_dir;
	return 0;
}

/* A script that cannot run at all is one failed (or skipped) record, reported at once. */
static int not_run(struct runner *r, const char *path, enum verdict verdict, char *error)
{
	struct record *rec = record_new(r, path, "none");

	if (!rec) {
		free(error);
		return -1;
	}
	rec->verdict = verdict;
	free(rec->message);
	rec->message = error;
	run_progress(r, rec);
	return 0;
}

/*
 * What the script asks of the runner, checked before anything runs: its
 * option lines (option.h: known, values within bounds), and a span that
 * fits the per-case limit.
 */
static int check_limits(struct runner *r, const struct script *s, struct option_values *v,
			char **error)
{
	int64_t span = script_span_usecs(s);

	if (option_resolve(s, &r->opts, v, error) < 0)
		return STATUS_ERROR;
	if (span > (int64_t)(RUN_CASE_MAX_SECS - CASE_SLACK_SECS) * 1000000)
		return error_set(error, "%s: the script runs for %.3f s; a case may take at most "
				 "%d s (%d s of script and %d s of slack)", script_name(s),
				 span / 1e6, RUN_CASE_MAX_SECS,
				 RUN_CASE_MAX_SECS - CASE_SLACK_SECS, CASE_SLACK_SECS);
	return STATUS_OK;
}

/* Parse script i and queue a job per IP version it runs in. */
static int plan_script(struct runner *r, size_t i)
{
	struct option_values v;
	char *error = NULL;
	int fam[2], n;

	if (script_parse_file_defined(r->paths[i], r->opts.defines, &r->scripts[i], &error) < 0 ||
	    check_limits(r, r->scripts[i], &v, &error) < 0)
		return not_run(r, r->paths[i], VERDICT_FAIL, error);
	if (v.ip_version == OPTION_IP_V4_MAPPED_V6) {
		error = NULL;
		if (asprintf(&error, "%s: %s", r->paths[i], EXEC_MAPPED_SKIP) < 0)
			error = NULL;
		return not_run(r, r->paths[i], VERDICT_SKIP, error);
	}
	n = option_families(&v, fam);
	for (int k = 0; k < n; k++) {
		struct job *j = &r->job[r->njobs++];

		j->script = i;
		j->family = fam[k];
		j->limit_secs = script_span_usecs(r->scripts[i]) / 1e6 + CASE_SLACK_SECS;
	}
	return 0;
}

/*
 * Parse everything first: a script that does not parse runs nothing.
 * The jobs' records come last in records[], in job order.
 */
static int plan(struct runner *r)
{
	r->scripts = calloc(r->npaths, sizeof(*r->scripts));
	r->job = calloc(r->npaths * 2, sizeof(*r->job));
	if (!r->scripts || !r->job)
		return 2;
	for (size_t i = 0; i < r->npaths; i++)
		if (plan_script(r, i) < 0)
			return 2;
	for (size_t k = 0; k < r->njobs; k++) {
		r->job[k].rec = record_new(r, r->paths[r->job[k].script],
					   family_name(r->job[k].family));
		if (!r->job[k].rec)
			return 2;
	}
	/* records[] is final now: re-point jobs (realloc may have moved it) */
	for (size_t k = 0, base = r->nrecords - r->njobs; k < r->njobs; k++)
		r->job[k].rec = &r->records[base + k];
	return 0;
}

/* Interrupted: keep what finished, leave out what never ran or was cut short. */
static void drop_unfinished(struct runner *r)
{
	size_t keep = 0, base = r->nrecords - r->njobs;

	r->planned = r->nrecords;
	for (size_t i = 0; i < r->nrecords; i++) {
		const struct job *j = i >= base ? &r->job[i - base] : NULL;

		if (j && (j->start.tv_sec == 0 || (run_stop_signal && j->killed))) {
			record_clear(&r->records[i]);
			continue;
		}
		r->records[keep++] = r->records[i];
	}
	r->nrecords = keep;
	r->unfinished = r->planned - keep;
}

/* Write the results and say how it went; the exit status. */
static int summarise(struct runner *r, const struct timespec *t0)
{
	size_t count[3] = { 0 };	/* by verdict */
	bool unwritten;

	for (size_t i = 0; i < r->nrecords; i++)
		count[r->records[i].verdict]++;
	/* a results file not written is an error of its own (printed with its
	 * path), not a failed case: the counts stay the cases' */
	unwritten = write_outputs(r) < 0;
	if (count[VERDICT_SKIP] && !r->verbose) {
		/* Skips are quiet but never silent: one line each reason. */
		for (size_t i = 0; i < r->nrecords; i++)
			if (r->records[i].verdict == VERDICT_SKIP)
				printf("SKIP %s [%s]: %s\n", r->records[i].name,
				       r->records[i].ip, r->records[i].message);
	}
	if (run_stop_signal)
		printf("interrupted by signal %d: results of %zu finished cases kept, "
		       "%zu cut short or not started\n", (int)run_stop_signal, r->nrecords,
		       r->unfinished);
	printf("tcpconf: %zu passed, %zu failed, %zu skipped in %.1f s (%s, -j%d)\n",
	       count[VERDICT_PASS], count[VERDICT_FAIL], count[VERDICT_SKIP], job_since(t0),
	       r->kernel, r->jobs);
	/* a dry run's skips are its success: every script parsed and checked */
	if (r->opts.dry_run && !count[VERDICT_FAIL] && !unwritten && !run_stop_signal)
		return 0;
	return run_exit_status(count, unwritten);
}

static void runner_free(struct runner *r)
{
	for (size_t i = 0; i < r->npaths; i++) {
		if (r->scripts)
			script_free(r->scripts[i]);
		free(r->paths[i]);
	}
	report_free_all(r->records, r->nrecords);
	free(r->scripts);
	free(r->paths);
	free(r->job);
	free(r->pcap_dir);
	option_values_clear(&r->opts);
	if (r->pcap_dirfd > 0)
		close(r->pcap_dirfd);
	if (r->ktap_out)
		report_ktap_close(r->ktap_out, NULL, NULL);
}

int cmd_run(int argc, char **argv)
{
	struct runner r = { 0 };
	struct timespec t0;
	struct utsname u;
	int first = argc;
	size_t flagged;
	int rc = parse_options(argc, argv, &r, &first);

	if (rc >= 0)
		goto out;
	uname(&u);
	snprintf(r.kernel, sizeof(r.kernel), "%s", u.release);
	if ((rc = collect(&r, argv + first, argc - first)) ||
	    (rc = prepare_outputs(&r)) || (rc = plan(&r)))
		goto out;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = run_open_ktap(&r)))
		goto out;
	run_jobs(&r);
	flagged = r.opts.vary && !run_stop_signal ? vary_run(&r) : 0;
	drop_unfinished(&r);
	rc = summarise(&r, &t0);
	if (flagged) {
		/* a verdict that flips with the bed is not one to trust: a failure */
		printf("tcpconf: %zu condition-dependent (--vary)\n", flagged);
		rc = rc ? rc : 1;
	}
out:
	runner_free(&r);
	return rc;
}
