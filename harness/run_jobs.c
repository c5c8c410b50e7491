/* run_jobs.c - `tcpconf run`'s job loop: start cases, watch their time, file their captures. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "job.h"
#include "ladder.h"
#include "run_int.h"
#include "sandbox.h"

/* A case that could not start is a failure, with the reason. */
static void fail_start(struct runner *r, struct job *j, int err)
{
	struct record *rec = j->rec;

	rec->verdict = VERDICT_FAIL;
	free(rec->message);
	if (asprintf(&rec->message, "%s: cannot start the case process: %s",
		     rec->path, strerror(err)) < 0)
		rec->message = NULL;
	run_progress(r, rec);
}

/*
 * Sandbox each case when this machine allows it.  Without user
 * namespaces root runs the cases as before, with a warning, and anyone
 * else cannot run them: every job is a skip with the reason.  Returns
 * whether the jobs are to run.
 */
static bool choose_sandbox(struct runner *r)
{
	char *error = NULL;
	int rc = sandbox_probe(&error);

	r->eopt.sandbox = rc == STATUS_OK;
	if (rc == STATUS_OK)
		return true;
	if (geteuid() == 0) {
		fprintf(stderr, "tcpconf: warning: no sandbox (%s): cases run as root "
			"in the runner's user, PID and mount namespaces\n", error ? error : "?");
		free(error);
		return true;
	}
	for (size_t k = 0; k < r->njobs; k++) {
		struct record *rec = r->job[k].rec;

		clock_gettime(CLOCK_MONOTONIC, &r->job[k].start);
		rec->verdict = VERDICT_SKIP;
		free(rec->message);
		if (asprintf(&rec->message, "no sandbox and not root: %s", error ? error : "?") < 0)
			rec->message = NULL;
		run_progress(r, rec);
	}
	free(error);
	return false;
}

/* The pcap directory, made and opened once; never through a symbolic link. */
static int pcap_dirfd(struct runner *r, char **error)
{
	if (r->pcap_dirfd >= 0)
		return r->pcap_dirfd;
	if (run_mkdirs(r->pcap_dir) < 0)
		return error_set(error, "%s: %s", r->pcap_dir, strerror(errno));
	r->pcap_dirfd = open(r->pcap_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (r->pcap_dirfd < 0)
		return error_set(error, "%s: %s", r->pcap_dir, errno == ELOOP ?
				 "a symbolic link: captures are not written through links" :
				 strerror(errno));
	return r->pcap_dirfd;
}

/* File a finished job's capture; the record says when that failed. */
static void save_pcap(struct runner *r, struct job *j)
{
	char *error = NULL, *m;
	int dirfd;

	if (j->pcap_fd < 0)
		return;
	dirfd = pcap_dirfd(r, &error);
	if (dirfd >= 0)
		job_save_pcap(j, dirfd, &error);
	else
		job_save_pcap(j, -1, NULL);	/* only drops it */
	if (error && asprintf(&m, "%s (capture not written: %s)", j->rec->message, error) >= 0) {
		free(j->rec->message);
		j->rec->message = m;
	}
	free(error);
}

/* buf as name in dirfd: any old entry removed, made anew, never through a link. */
static int save_in_dir(int dirfd, const char *name, const char *buf, char **error)
{
	size_t len = strlen(buf), off = 0;
	int fd, rc = 0;

	if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT)
		return error_set(error, "%s: %s", name, strerror(errno));
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return error_set(error, "%s: %s", name, strerror(errno));
	while (off < len && rc == 0) {
		ssize_t w = write(fd, buf + off, len - off);

		if (w < 0 && errno != EINTR)
			rc = error_set(error, "%s: %s", name, strerror(errno));
		off += w > 0 ? (size_t)w : 0;
	}
	if (close(fd) < 0 && rc == 0)
		rc = error_set(error, "%s: %s", name, strerror(errno));
	return rc;
}

/*
 * A failing case's ladder diagram (every case's with -v) beside its
 * capture, "close_close-x-ipv4.svg", and its path on the terminal.
 */
static void save_ladder(struct runner *r, const struct job *j)
{
	const struct record *rec = j->rec;
	char *doc = NULL, *name = NULL, *error = NULL;
	int dirfd;

	if ((rec->verdict != VERDICT_FAIL && !r->verbose) || !rec->have_steps)
		return;
	if (asprintf(&name, "%s-%s.svg", rec->name, rec->ip) < 0 || !(doc = ladder_document(rec))) {
		error_set(&error, "out of memory");
		goto out;
	}
	for (char *p = name; *p; p++)
		if (*p == '/')
			*p = '_';
	dirfd = pcap_dirfd(r, &error);
	if (dirfd >= 0 && save_in_dir(dirfd, name, doc, &error) == 0)
		printf("  ladder: %s/%s\n", r->pcap_dir, name);
out:
	if (error)
		printf("  ladder not written: %s\n", error);
	free(error);
	free(doc);
	free(name);
}

/*
 * Start jobs until r->jobs run.  A start that fails for want of
 * descriptors or memory while others run waits for one of them to end.
 */
static void start_jobs(struct runner *r, size_t *next, size_t *running)
{
	while (*running < (size_t)r->jobs && *next < r->njobs && !run_stop_signal) {
		struct job *j = &r->job[(*next)++];

		if (job_start(j, r->scripts[j->script], &r->eopt) == 0) {
			(*running)++;
			continue;
		}
		if (*running && (errno == EMFILE || errno == ENFILE ||
				 errno == EAGAIN || errno == ENOMEM)) {
			(*next)--;
			return;
		}
		fail_start(r, j, errno);
	}
}

/* Kill a job that outlived its limit or the runner's will to go on. */
static void police(struct job *j)
{
	if (j->killed)
		return;
	if (run_stop_signal)
		j->interrupted = run_stop_signal;
	else if (job_running(j) <= j->limit_secs)
		return;
	kill(j->pid, SIGKILL);
	j->killed = true;
}

static void end_job(struct runner *r, struct job *j)
{
	char *note;
	int status;

	while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR)
		;
	job_finish(j, status);
	save_pcap(r, j);
	if (r->eopt.vary)	/* a perturbed rerun: vary_run says what changed */
		return;
	if (!j->interrupted) {
		run_progress(r, j->rec);
		save_ladder(r, j);
		fflush(stdout);
		return;
	}
	/* cut short: said here and in the KTAP stream, with why; no record is kept */
	if (asprintf(&note, "interrupted %s [%s]: %s", j->rec->name, j->rec->ip,
		     j->rec->message) < 0)
		return;
	printf("%s\n", note);
	fflush(stdout);
	if (r->ktap_out)
		report_ktap_note(r->ktap_out, note);
	free(note);
}

/* Run every job, at most r->jobs at a time. */
void run_jobs(struct runner *r)
{
	struct job *jobs = r->job;
	size_t njobs = r->njobs;
	struct pollfd *pfd = calloc(r->jobs, sizeof(*pfd));
	size_t *slot = calloc(r->jobs, sizeof(*slot));
	size_t next = 0, running = 0;

	if (!pfd || !slot || !choose_sandbox(r))
		goto out;
	while ((next < njobs && !run_stop_signal) || running) {
		start_jobs(r, &next, &running);
		size_t n = 0;

		for (size_t i = 0; i < njobs && n < (size_t)r->jobs; i++)
			if (jobs[i].pid > 0) {
				pfd[n].fd = jobs[i].fd;
				pfd[n].events = POLLIN;
				slot[n++] = i;
			}
		if (!n)
			continue;
		if (poll(pfd, n, 100) < 0 && errno != EINTR)
			break;
		for (size_t k = 0; k < n; k++) {
			struct job *j = &jobs[slot[k]];

			if (pfd[k].revents & POLLIN)
				job_read(j);
			police(j);
			if (pfd[k].revents & (POLLHUP | POLLERR) && !(pfd[k].revents & POLLIN)) {
				end_job(r, j);
				running--;
			}
		}
	}
out:
	free(pfd);
	free(slot);
}
