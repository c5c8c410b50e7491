/* bench.c - measure test-bed setup+teardown, SYN→SYN-ACK round trip, and suite wall time against its floor. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "error.h"
#include "exec.h"
#include "netns.h"
#include "option.h"
#include "packet.h"
#include "run.h"
#include "sandbox.h"
#include "script.h"
#include "testbed.h"
#include "wire.h"

extern char **environ;

#define BENCH_MAX_SAMPLES 100000	/* a test bed takes milliseconds: over an hour */

static double ms_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1e3 + (b->tv_nsec - a->tv_nsec) / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted v[n]. */
static double percentile(const double *v, size_t n, double p)
{
	size_t k = (size_t)(p / 100.0 * n + 0.999999);

	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1];
}

static void print_stats(const char *what, double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	printf("%-34s median %8.3f ms   p99 %8.3f ms   (n=%zu)\n", what,
	       percentile(v, n, 50), percentile(v, n, 99), n);
}

static int bench_beds(size_t n, char **error)
{
	double *v = calloc(n, sizeof(*v));
	struct testbed_config cfg = { .mtu = 1500 };

	if (!v)
		return error_set(error, "out of memory");
	for (size_t i = 0; i < n; i++) {
		struct timespec a, b;
		struct testbed *tb;
		int rc;

		clock_gettime(CLOCK_MONOTONIC, &a);
		rc = testbed_new(&tb, &cfg, error);
		if (rc < 0) {
			free(v);
			return rc;
		}
		testbed_free(tb);
		clock_gettime(CLOCK_MONOTONIC, &b);
		v[i] = ms_between(&a, &b);
	}
	print_stats("test bed setup+teardown", v, n);
	free(v);
	return 0;
}

/* In a fresh sandbox: its first bed (what a case pays), sent back as a double. */
static void sandboxed_bed(int fd)
{
	struct testbed_config cfg = { .mtu = 1500 };
	struct timespec a, b;
	struct testbed *tb;
	double ms = -1;

	clock_gettime(CLOCK_MONOTONIC, &a);
	if (testbed_new(&tb, &cfg, NULL) == 0) {
		testbed_free(tb);
		clock_gettime(CLOCK_MONOTONIC, &b);
		ms = ms_between(&a, &b);
	}
	_exit(write(fd, &ms, sizeof(ms)) == sizeof(ms) && ms >= 0 ? 0 : 1);
}

/*
 * What the sandbox adds: a case's bed built in a sandbox of its own, and
 * the sandbox from fork to exit with that bed in it.  Skipped where there
 * is no sandbox (the runner then runs cases without one).
 */
static int bench_sandboxed_beds(size_t n, char **error)
{
	double *bed = calloc(n, sizeof(*bed)), *all = calloc(n, sizeof(*all));
	int rc = STATUS_OK, p[2] = { -1, -1 };

	if (!bed || !all || pipe(p) < 0)
		rc = error_set(error, "out of memory or descriptors");
	for (size_t i = 0; i < n && rc == STATUS_OK; i++) {
		struct timespec a, b;
		pid_t pid;
		int status;

		clock_gettime(CLOCK_MONOTONIC, &a);
		rc = sandbox_fork(&pid, error);
		if (pid == 0 && sandbox_is_active())
			sandboxed_bed(rc == STATUS_OK ? p[1] : -1);
		if (rc < 0)
			break;
		if (sandbox_wait(pid, &status) < 0 || status != 0 ||
		    read(p[0], &bed[i], sizeof(bed[i])) != sizeof(bed[i]))
			rc = error_set(error, "a sandboxed test bed failed");
		clock_gettime(CLOCK_MONOTONIC, &b);
		all[i] = ms_between(&a, &b);
	}
	if (rc == STATUS_OK) {
		print_stats("test bed in a fresh sandbox", bed, n);
		print_stats("sandbox+bed, fork to exit", all, n);
	} else if (rc == STATUS_SKIP) {
		printf("no sandbox here (%s)\n", *error);
		rc = STATUS_OK;
	}
	if (p[0] >= 0) {
		close(p[0]);
		close(p[1]);
	}
	free(bed);
	free(all);
	return rc;
}

struct listener {
	int family;
	int fd;
};

static int listen_in_ns(void *arg, char **error)
{
	struct listener *l = arg;
	struct sockaddr_storage ss;
	struct ip_address a;
	socklen_t len;
	int one = 1;

	testbed_kernel_addr(l->family, &a);
	len = ip_address_sockaddr(&a, EXEC_KERNEL_PORT, &ss);
	l->fd = socket(l->family, SOCK_STREAM, 0);
	if (l->fd < 0 ||
	    setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(l->fd, (struct sockaddr *)&ss, len) < 0 ||
	    listen(l->fd, 4096) < 0)
		return error_set(error, "listener: %s", strerror(errno));
	return 0;
}

struct opener {
	int ifindex;
	struct wire *w;
};

static int open_in_ns(void *arg, char **error)
{
	struct opener *o = arg;

	return wire_open(&o->w, o->ifindex, TESTBED_MARK, error);
}

/*
 * Inject n SYNs, each from a new port so every one meets a fresh request,
 * and time each from the kernel's transmit stamp of the SYN to its receive
 * stamp of the SYN-ACK on the capture socket.
 */
static int bench_rtt(int family, size_t n, char **error)
{
	struct testbed_config cfg = { .mtu = 1500 };
	struct testbed *tb = NULL;
	struct listener l = { .family = family, .fd = -1 };
	struct opener o = { 0 };
	double *v = calloc(n, sizeof(*v));
	size_t got = 0;
	int rc;

	if (!v)
		return error_set(error, "out of memory");
	rc = testbed_new(&tb, &cfg, error);
	if (rc < 0)
		goto out;
	o.ifindex = testbed_harness_ifindex(tb);
	rc = netns_run(testbed_kernel_ns(tb), listen_in_ns, &l, error);
	if (rc >= 0)
		rc = netns_run(testbed_harness_ns(tb), open_in_ns, &o, error);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct tcp_segment seg = { 0 };
		uint8_t frame[256], buf[2048];
		struct timespec sent, ts, dl;
		size_t len, flen;

		testbed_harness_addr(family, &seg.src);
		testbed_kernel_addr(family, &seg.dst);
		seg.sport = (uint16_t)(20000 + i);
		seg.dport = EXEC_KERNEL_PORT;
		seg.seq = 1000;
		seg.flags = TCPF_SYN;
		seg.win = 65535;
		seg.noptions = 1;
		seg.options[0].kind = TCPOPT_MSS;
		seg.options[0].u.mss = 1460;
		rc = packet_build_tcp(&seg, testbed_harness_mac(tb),
				      testbed_kernel_mac(tb), frame,
				      sizeof(frame), &flen, error);
		if (rc < 0)
			goto out;
		rc = wire_send_timed(o.w, frame, flen, &sent, error);
		if (rc < 0)
			goto out;
		dl = sent;
		dl.tv_sec += 1;
		for (;;) {
			struct packet_info pi;

			rc = wire_recv(o.w, buf, sizeof(buf), &len, &ts, &dl, error);
			if (rc < 0)
				goto out;
			if (rc == 0)
				break;
			if (packet_parse(buf, len < sizeof(buf) ? len : sizeof(buf),
					 &pi, NULL) == 0 && pi.kind == PACKET_TCP &&
			    pi.tcp.dport == seg.sport &&
			    (pi.tcp.flags & (TCPF_SYN | TCPF_ACK)) == (TCPF_SYN | TCPF_ACK)) {
				v[got++] = ms_between(&sent, &ts);
				break;
			}
		}
	}
	rc = 0;
	if (got < n)
		printf("SYN->SYN-ACK %s: %zu of %zu answered within 1 s\n",
		       family == AF_INET ? "ipv4" : "ipv6", got, n);
	if (got)
		print_stats(family == AF_INET ? "SYN->SYN-ACK round trip ipv4" :
			    "SYN->SYN-ACK round trip ipv6", v, got);
out:
	if (l.fd >= 0)
		close(l.fd);
	wire_free(o.w);
	testbed_free(tb);
	free(v);
	return rc;
}

/* ---- the suite against the waits its scripts contain ---- */

struct floor {
	double sum_secs;	/* every case x IP version, back to back */
	double longest_secs;
	size_t runs;
};

/* One script's share of the floor; unparsable files count for nothing. */
static int floor_add(const char *path, void *arg)
{
	struct floor *f = arg;
	struct option_values v;
	struct script *s;
	int fam[2], nf;

	if (script_parse_file(path, &s, NULL) < 0)
		return 0;
	nf = option_resolve(s, NULL, &v, NULL) < 0 ? -1 : option_families(&v, fam);
	if (nf > 0) {
		double span = script_span_usecs(s) / 1e6;

		f->sum_secs += span * nf;
		f->runs += nf;
		if (span > f->longest_secs)
			f->longest_secs = span;
	}
	script_free(s);
	return 0;
}

/* Run `tcpconf run -j N PATH` as a child, output to /dev/null; wall seconds. */
static double suite_wall(const char *path, int jobs, int *status)
{
	char self[PATH_MAX], jarg[16];
	char *argv[] = { self, "run", "-j", jarg, (char *)path, NULL };
	posix_spawn_file_actions_t fa;
	struct timespec a, b;
	ssize_t n;
	pid_t pid;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return -1;
	self[n] = '\0';
	snprintf(jarg, sizeof(jarg), "%d", jobs);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (posix_spawn(&pid, self, &fa, NULL, argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	waitpid(pid, status, 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	return ms_between(&a, &b) / 1e3;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tcpconf bench [options] [CASES]\n"
		"  -n N          test beds and SYNs to time, 1 to 100000 (default 100)\n"
		"  -j N          parallel jobs for the suite run, 1 to 1024 (default: as `tcpconf run`)\n"
		"  --no-suite    skip the two timed suite runs\n");
}

int cmd_bench(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "no-suite", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long long n = 100, jobs = RUN_JOBS_PER_CPU * sysconf(_SC_NPROCESSORS_ONLN);
	const char *cases = "cases";
	bool suite = true;
	char *error = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "n:j:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (option_number("-n", optarg, 1, BENCH_MAX_SAMPLES, &n, &error) < 0)
				goto bad_number;
			break;
		case 'j':
			if (option_number("-j", optarg, 1, RUN_JOBS_MAX, &jobs, &error) < 0)
				goto bad_number;
			break;
		case 's': suite = false; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc)
		cases = argv[optind];
	if (jobs > RUN_JOBS_MAX)	/* the default on a very large machine */
		jobs = RUN_JOBS_MAX;
	rc = bench_beds((size_t)n, &error);
	if (rc == 0)
		rc = bench_sandboxed_beds((size_t)n, &error);
	if (rc == 0)
		rc = bench_rtt(AF_INET, (size_t)n, &error);
	if (rc == 0)
		rc = bench_rtt(AF_INET6, (size_t)n, &error);
	if (rc < 0) {
		fprintf(stderr, "tcpconf bench: %s%s\n",
			rc == STATUS_SKIP ? "SKIP: " : "", error);
		free(error);
		return rc == STATUS_SKIP ? 77 : 1;
	}
	if (suite) {
		struct floor f = { 0 };
		int st1 = 0, stn = 0;
		double w1, wn;

		run_walk(cases, floor_add, &f, NULL);
		w1 = suite_wall(cases, 1, &st1);
		wn = suite_wall(cases, (int)jobs, &stn);
		printf("suite: %zu runs; waits in the scripts: sum %.2f s, longest case %.2f s\n",
		       f.runs, f.sum_secs, f.longest_secs);
		printf("suite wall time -j1 %8.2f s   (%.2fx the sum of waits)%s\n",
		       w1, f.sum_secs > 0 ? w1 / f.sum_secs : 0,
		       WIFEXITED(st1) && WEXITSTATUS(st1) == 0 ? "" : "  [cases failed]");
		printf("suite wall time -j%lld %7.2f s   (%.2fx the longest case)%s\n",
		       jobs, wn, f.longest_secs > 0 ? wn / f.longest_secs : 0,
		       WIFEXITED(stn) && WEXITSTATUS(stn) == 0 ? "" : "  [cases failed]");
	}
	return 0;
bad_number:
	fprintf(stderr, "tcpconf bench: %s\n", error);
	free(error);
	return 2;
}
