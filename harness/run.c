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

#include "bed.h"
#include "error.h"
#include "exec.h"
#include "job.h"
#include "json.h"
#include "option.h"
#include "output.h"
#include "report.h"
#include "run.h"
#include "run_int.h"
#include "sandbox.h"
#include "script.h"

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
	struct record *rec;

	if (r->nrecords == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		struct record *n = realloc(r->records, cap * sizeof(*n));

		if (!n)
			return NULL;
		r->records = n;
		r->cap = cap;
	}
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

/* One file of results; a failure is printed naming it, and the others are still written. */
static int write_one(const struct runner *r, const char *dir, const char *name,
		     int (*writer)(const char *path, const struct record *rec, size_t n, char **error))
{
	char *path = NULL, *error = NULL;
	int rc;

	if (dir && asprintf(&path, "%s/%s", dir, name) < 0)
		return -1;
	rc = writer(path ? path : name, r->records, r->nrecords, &error);
	if (rc < 0)
		fprintf(stderr, "tcpconf: writing results: %s\n", error ? error : "out of memory");
	free(error);
	free(path);
	return rc;
}

/* meta.json as a writer like the others: it describes the run, not the records. */
static int write_meta(const char *path, const struct record *rec, size_t n, char **error)
{
	(void)rec;
	(void)n;
	return report_write_meta(path, TCPCONF_VERSION, error);
}

static int write_outputs(const struct runner *r)
{
	int rc = 0;

	if (r->results) {
		rc |= write_one(r, r->results, "results.jsonl", report_write_jsonl);
		rc |= write_one(r, r->results, "results.tap", report_write_tap);
		rc |= write_one(r, r->results, "junit.xml", report_write_junit);
		rc |= write_one(r, r->results, "meta.json", write_meta);
	}
	if (r->json)
		rc |= write_one(r, NULL, r->json, report_write_jsonl);
	if (r->tap)
		rc |= write_one(r, NULL, r->tap, report_write_tap);
	if (r->junit)
		rc |= write_one(r, NULL, r->junit, report_write_junit);
	return rc ? -1 : 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tcpconf run [options] PATH...\n"
		"  -j N                  cases in parallel, 1 to 1024 (default: 16 per CPU, 2 without real-time priority)\n"
		"  --ip_version=V        ipv4, ipv6 or both (overrides the scripts)\n"
		"  --tolerance_usecs=N   timing tolerance, 0 to 10000000 (overrides the scripts; default 4000)\n"
		"  --gso=on|off          on (default): super-segments whole, large inbound ones as GSO\n"
		"                        packets, as packetdrill's tun; off: real segments on the wire\n"
		"  --mtu=N               the bed's MTU, 68 to 65535 (default 1500, 1520 for IPv6)\n"
		"  --mss=N               GSO size of inbound segments longer than N, 1 to 65495\n"
		"  --strict_segments     an outbound line matches one segment, never several joined\n"
		"  --results DIR         write DIR/results.jsonl, results.tap, junit.xml, meta.json\n"
		"  --json FILE --tap FILE --junit FILE   write one format ('-': standard output,\n"
		"                        and the progress lines go to standard error)\n"
		"  --pcap-dir DIR        captures of failing cases (default DIR/pcap or ./tcpconf-pcap)\n"
		"  -v, --verbose         a line per case, not only failures\n");
}

/* ---- the command: options, cases, plan, run, summary ---- */

/* A numeric option's value into *out, or a message and false. */
static bool number_arg(const char *name, long long min, long long max, long long *out)
{
	char *error = NULL;

	if (option_number(name, optarg, min, max, out, &error) == 0)
		return true;
	fprintf(stderr, "tcpconf: %s\n", error);
	free(error);
	return false;
}

/*
 * Results streamed to standard output (`--json -`, `--tap /dev/stdout`)
 * must be all that a parser reading it sees: standard output is kept
 * aside for them, and the progress and summary lines go to standard
 * error.  0, or the exit status.
 */
static int keep_stdout_for_results(struct runner *r)
{
	const char **outs[] = { &r->json, &r->tap, &r->junit };
	bool any = false;
	int fd;

	for (size_t i = 0; i < 3; i++)
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
	for (size_t i = 0; i < 3; i++)
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

/* -1 to go on with the paths at argv[optind], else the exit status. */
static int parse_options(int argc, char **argv, struct runner *r)
{
	static const struct option longopts[] = {
		{ "ip_version", required_argument, NULL, 'i' },
		{ "tolerance_usecs", required_argument, NULL, 't' },
		{ "gso", required_argument, NULL, 'G' },
		{ "mtu", required_argument, NULL, 'M' },
		{ "mss", required_argument, NULL, 'S' },
		{ "strict_segments", no_argument, NULL, 'X' },
		{ "results", required_argument, NULL, 'r' },
		{ "json", required_argument, NULL, 'J' },
		{ "tap", required_argument, NULL, 'T' },
		{ "junit", required_argument, NULL, 'U' },
		{ "pcap-dir", required_argument, NULL, 'p' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long long jobs = (run_can_realtime() ? RUN_JOBS_PER_CPU : RUN_JOBS_PER_CPU_NO_RT) *
			 sysconf(_SC_NPROCESSORS_ONLN);
	long long tol = -1, n;
	int c;

	while ((c = getopt_long(argc, argv, "j:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			if (!number_arg("-j", 1, RUN_JOBS_MAX, &jobs))
				return 2;
			break;
		case 't':
			if (!number_arg("--tolerance_usecs", 0, EXEC_TOLERANCE_MAX_USECS, &tol))
				return 2;
			break;
		case 'G':
			if (strcmp(optarg, "on") && strcmp(optarg, "off")) {
				fprintf(stderr, "tcpconf: --gso: expected on or off, found '%s'\n", optarg);
				return 2;
			}
			r->eopt.gso = !strcmp(optarg, "on") ? EXEC_GSO_ON : EXEC_GSO_OFF;
			break;
		case 'M':
			if (!number_arg("--mtu", BED_MTU_MIN, BED_MTU_MAX, &n))
				return 2;
			r->eopt.mtu = (unsigned int)n;
			break;
		case 'S':
			if (!number_arg("--mss", 1, BED_MSS_MAX, &n))
				return 2;
			r->eopt.mss = (unsigned int)n;
			break;
		case 'X': r->eopt.strict_segments = true; break;
		case 'i': r->ip_override = optarg; break;
		case 'r': r->results = optarg; break;
		case 'J': r->json = optarg; break;
		case 'T': r->tap = optarg; break;
		case 'U': r->junit = optarg; break;
		case 'p': free(r->pcap_dir); r->pcap_dir = strdup(optarg); break;
		case 'v': r->verbose = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	/* the default on a very large machine is bounded like -j */
	r->jobs = jobs < 1 ? 1 : jobs > RUN_JOBS_MAX ? RUN_JOBS_MAX : (int)jobs;
	r->eopt.tolerance_usecs = tol;
	if (r->ip_override && strcmp(r->ip_override, "ipv4") &&
	    strcmp(r->ip_override, "ipv6") && strcmp(r->ip_override, "both")) {
		fprintf(stderr, "tcpconf: --ip_version: expected ipv4, ipv6 or both\n");
		return 2;
	}
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

/* A script that cannot run at all is one failed record, reported at once. */
static int fail_unrunnable(struct runner *r, const char *path, char *error)
{
	struct record *rec = record_new(r, path, "none");

	if (!rec) {
		free(error);
		return -1;
	}
	rec->verdict = VERDICT_FAIL;
	free(rec->message);
	rec->message = error;
	run_progress(r, rec);
	return 0;
}

/*
 * What the script asks of the runner, checked before anything runs: its
 * own --tolerance_usecs within the command line's bounds, and a span that
 * fits the per-case limit.
 */
static int check_limits(const struct script *s, char **error)
{
	int64_t span = script_span_usecs(s), tol;

	/* the script's own tolerance, checked before anything runs */
	if (exec_tolerance(s, NULL, &tol, error) < 0)
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
	char *error = NULL;
	int fam[2], n;

	if (script_parse_file(r->paths[i], &r->scripts[i], &error) < 0 ||
	    check_limits(r->scripts[i], &error) < 0)
		return fail_unrunnable(r, r->paths[i], error);
	if (r->ip_override) {
		fam[0] = !strcmp(r->ip_override, "ipv6") ? AF_INET6 : AF_INET;
		fam[1] = AF_INET6;
		n = !strcmp(r->ip_override, "both") ? 2 : 1;
	} else {
		n = exec_families(r->scripts[i], fam, &error);
	}
	if (n < 0)
		return fail_unrunnable(r, r->paths[i], error);
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

	for (size_t i = 0; i < r->nrecords; i++) {
		const struct job *j = i >= base ? &r->job[i - base] : NULL;

		if (j && (j->start.tv_sec == 0 || (run_stop_signal && j->killed))) {
			record_clear(&r->records[i]);
			continue;
		}
		r->records[keep++] = r->records[i];
	}
	r->nrecords = keep;
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
		printf("interrupted by signal %d: results of %zu finished cases kept\n",
		       (int)run_stop_signal, r->nrecords);
	printf("tcpconf: %zu passed, %zu failed, %zu skipped in %.1f s (%s, -j%d)\n",
	       count[VERDICT_PASS], count[VERDICT_FAIL], count[VERDICT_SKIP], job_since(t0),
	       r->kernel, r->jobs);
	if (run_stop_signal)
		return 128 + run_stop_signal;
	return count[VERDICT_FAIL] || unwritten ? 1 : 0;
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
	if (r->pcap_dirfd > 0)
		close(r->pcap_dirfd);
}

int cmd_run(int argc, char **argv)
{
	struct runner r = { 0 };
	struct timespec t0;
	struct utsname u;
	int rc = parse_options(argc, argv, &r);

	if (rc >= 0)
		goto out;
	uname(&u);
	snprintf(r.kernel, sizeof(r.kernel), "%s", u.release);
	if ((rc = collect(&r, argv + optind, argc - optind)) ||
	    (rc = prepare_outputs(&r)) || (rc = plan(&r)))
		goto out;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_jobs(&r);
	drop_unfinished(&r);
	rc = summarise(&r, &t0);
out:
	runner_free(&r);
	return rc;
}
