/*
 * job.c - one case run in a child process: fork, run, send the record back over a pipe.
 *
 * With a sandbox the process the runner forks stays in the runner's
 * namespaces: it only waits (serving the case's request for real-time
 * priority) and passes the case's exit status on; the case itself is PID 1
 * of its own PID namespace (sandbox.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "exchange.h"
#include "job.h"
#include "json.h"
#include "sandbox.h"
#include "shell.h"

double job_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) + (now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The record as one line to fd; a short line reads as a crash to the runner. */
static void send_record(int fd, const struct record *rec)
{
	char *line = json_record_line(rec);
	size_t len, off = 0;

	if (!line)
		return;
	len = strlen(line);
	while (off < len) {
		ssize_t w = write(fd, line + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += w;
	}
	free(line);
}

static int by_value(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Close every descriptor above stdio but a, b and the shells' shared turns
 * (-1: none), so that a case holds no other job's pipe or file, nor the
 * runner's directories. */
static void close_others(int a, int b)
{
	int keep[3] = { a, b, shell_share_fd() };
	unsigned int from = 3;

	qsort(keep, 3, sizeof(keep[0]), by_value);
	for (int i = 0; i < 3; i++) {
		if (keep[i] < (int)from)
			continue;
		if ((unsigned int)keep[i] > from)
			close_range(from, keep[i] - 1, 0);
		from = keep[i] + 1;
	}
	close_range(from, ~0U, 0);
}

/* The intermediate: the case's way of ending is its own. */
static void pass_on(pid_t inner)
{
	int status;

	if (sandbox_wait(inner, &status) < 0)
		_exit(1);
	sandbox_exit_like(status);
}

/* chdir() to the directory of path; 0, or -1 (then commands find it by path). */
static int enter_script_dir(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	char *dir;
	int rc;

	if (!path)
		return -1;
	if (!slash)
		return 0;
	dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
	if (!dir)
		return -1;
	rc = chdir(dir);
	free(dir);
	return rc;
}

/* The process the runner forked; never returns. */
static void case_process(const struct job *j, const struct script *s,
			 const struct exec_options *o, pid_t runner, int wfd)
{
	struct exec_options opt = *o;
	struct record rec = *j->rec;
	char *error = NULL;

	/* A case never outlives the runner, even one killed with SIGKILL;
	 * one that died before the prctl has left us to another parent. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != runner)
		_exit(1);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	close_others(wfd, j->pcap_fd);
	shell_share_account(j->waited);
	rec.timings = NULL;
	rec.ntimings = 0;
	rec.steps = NULL;
	rec.nsteps = 0;
	rec.message = NULL;
	opt.pcap_fd = j->pcap_fd;
	opt.pcap_path = NULL;
	if (j->pcap_name && asprintf((char **)&opt.pcap_path, "%s/%s", o->pcap_dir,
				     j->pcap_name) < 0)
		opt.pcap_path = NULL;
	if (o->sandbox) {
		pid_t inner;
		int rc;

		/* the script's directory as the host shows it, kept as our cwd */
		if (enter_script_dir(j->rec->path) == 0)
			opt.script_dir = ".";

		rc = sandbox_fork(&inner, &error);

		if (rc == STATUS_OK && inner > 0) {
			close(wfd);
			pass_on(inner);
		}
		if (rc < 0) {
			rec.verdict = rc == STATUS_SKIP ? VERDICT_SKIP : VERDICT_FAIL;
			rec.message = error ? error : "sandbox: ?";
			send_record(wfd, &rec);
			_exit(0);
		}
	}
	exec_case(s, j->family, &opt, &rec);
	exchange_finish(&rec, script_name(s));
	send_record(wfd, &rec);
	_exit(0);
}

/* "close/close-x" in ipv4 -> "close_close-x-ipv4.pcap", and its anonymous file. */
static int make_pcap(struct job *j)
{
	const char *name = j->rec->name ? j->rec->name : "case";
	int err;

	if (asprintf(&j->pcap_name, "%s-%s.pcap", name,
		     j->family == AF_INET ? "ipv4" : "ipv6") < 0) {
		j->pcap_name = NULL;
		errno = ENOMEM;
		return -1;
	}
	for (char *p = j->pcap_name; *p; p++)
		if (*p == '/')
			*p = '_';
	j->pcap_fd = memfd_create("tcpconf-pcap", MFD_CLOEXEC);
	if (j->pcap_fd >= 0)
		return 0;
	err = errno;
	free(j->pcap_name);
	j->pcap_name = NULL;
	errno = err;
	return -1;
}

static void drop_pcap(struct job *j)
{
	if (j->pcap_fd >= 0)
		close(j->pcap_fd);
	j->pcap_fd = -1;
	free(j->pcap_name);
	j->pcap_name = NULL;
}

double job_running(const struct job *j)
{
	uint64_t waited = j->waited ? shell_wait_us(j->waited) : 0;

	return job_since(&j->start) - (double)waited / 1e6;
}

static void drop_waited(struct job *j)
{
	if (j->waited)
		munmap(j->waited, sizeof(*j->waited));
	j->waited = NULL;
}

int job_start(struct job *j, const struct script *s,
	      const struct exec_options *o)
{
	pid_t runner = getpid();
	int p[2], err;

	clock_gettime(CLOCK_MONOTONIC, &j->start);
	j->pcap_fd = -1;
	if (o->pcap_dir && make_pcap(j) < 0)
		return -1;
	if (pipe2(p, O_CLOEXEC) < 0) {
		err = errno;
		drop_pcap(j);
		errno = err;
		return -1;
	}
	j->waited = mmap(NULL, sizeof(*j->waited), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (j->waited == MAP_FAILED)
		j->waited = NULL;	/* then waits count against the limit */
	j->pid = fork();
	if (j->pid < 0) {
		err = errno;
		close(p[0]);
		close(p[1]);
		drop_pcap(j);
		drop_waited(j);
		j->pid = 0;
		errno = err;
		return -1;
	}
	if (j->pid == 0) {
		close(p[0]);
		case_process(j, s, o, runner, p[1]);
	}
	close(p[1]);
	j->fd = p[0];
	return 0;
}

/* Why there is no record: interrupted, timed out, or died. */
static char *no_record_message(const struct job *j, int status, double secs,
			       const char *error)
{
	const char *path = j->rec->path;
	char *m = NULL;
	int n;

	if (j->interrupted)
		n = asprintf(&m, "%s: interrupted by signal %d after %.1f s", path,
			     j->interrupted, secs);
	else if (j->killed)
		n = asprintf(&m, "%s: timed out after %.0f s and was killed", path,
			     j->limit_secs);
	else
		n = asprintf(&m, "%s: the case process died (%s %d)%s%s", path,
			     WIFSIGNALED(status) ? "signal" : "exit status",
			     WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
			     error ? ": " : "", error ? error : "");
	return n < 0 ? NULL : m;
}

/* The child's JSON line becomes the record; a crash or a kill is a failure. */
void job_finish(struct job *j, int status)
{
	struct record got = { 0 };
	char *error = NULL;
	struct record *rec = j->rec;
	double secs = job_since(&j->start);

	if (j->out && !j->interrupted && json_record_parse(j->out, &got, &error) == 0) {
		free(rec->message);
		rec->message = got.message;
		got.message = NULL;
		rec->verdict = got.verdict;
		rec->timings = got.timings;
		rec->ntimings = got.ntimings;
		got.timings = NULL;
		got.ntimings = 0;
		rec->steps = got.steps;
		rec->nsteps = got.nsteps;
		rec->have_steps = got.have_steps;
		got.steps = NULL;
		got.nsteps = 0;
	} else {
		free(rec->message);
		rec->verdict = VERDICT_FAIL;
		rec->message = no_record_message(j, status, secs, error);
	}
	/* microseconds are plenty, and keep the files readable */
	rec->duration_ms = (double)(long long)(secs * 1e6 + 0.5) / 1000.0;
	record_clear(&got);
	free(error);
	free(j->out);
	j->out = NULL;
	close(j->fd);
	drop_waited(j);
	j->pid = 0;
}

static int copy_out(int from, int to, off_t size)
{
	char buf[65536];

	for (off_t off = 0; off < size;) {
		ssize_t n = pread(from, buf, sizeof(buf), off), w = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -1 : 0;
		for (ssize_t done = 0; done < n; done += w) {
			w = write(to, buf + done, n - done);
			if (w < 0 && errno == EINTR)
				w = 0;
			else if (w < 0)
				return -1;
		}
		off += n;
	}
	return 0;
}

int job_save_pcap(struct job *j, int dirfd, char **error)
{
	struct stat sb;
	int out, rc = 0;

	if (j->pcap_fd < 0)
		return 0;
	if (fstat(j->pcap_fd, &sb) < 0 || sb.st_size == 0)
		goto out;
	if (unlinkat(dirfd, j->pcap_name, 0) < 0 && errno != ENOENT) {
		rc = error_set(error, "%s: %s", j->pcap_name, strerror(errno));
		goto out;
	}
	out = openat(dirfd, j->pcap_name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		     0644);
	if (out < 0) {
		rc = error_set(error, "%s: %s", j->pcap_name, strerror(errno));
		goto out;
	}
	if (copy_out(j->pcap_fd, out, sb.st_size) < 0)
		rc = error_set(error, "%s: %s", j->pcap_name, strerror(errno));
	if (close(out) < 0 && rc == 0)
		rc = error_set(error, "%s: %s", j->pcap_name, strerror(errno));
out:
	drop_pcap(j);
	return rc;
}

void job_read(struct job *j)
{
	char buf[4096];
	ssize_t n = read(j->fd, buf, sizeof(buf));

	if (n <= 0)
		return;
	char *o = realloc(j->out, j->outlen + n + 1);

	if (!o)
		return;
	memcpy(o + j->outlen, buf, n);
	j->outlen += n;
	o[j->outlen] = '\0';
	j->out = o;
}
