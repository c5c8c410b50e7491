/* job.c - one case run in a child process: fork, run, send the record back over a pipe. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "job.h"
#include "json.h"

double job_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) + (now.tv_nsec - t0->tv_nsec) / 1e9;
}

int job_start(struct job *j, const struct script *s,
	      const struct exec_options *o)
{
	int p[2];

	if (pipe(p) < 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &j->start);
	j->pid = fork();
	if (j->pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (j->pid == 0) {
		struct record rec = *j->rec;
		char *line;

		/* A case never outlives the runner, even one killed with SIGKILL. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(1);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		close(p[0]);
		rec.timings = NULL;
		rec.ntimings = 0;
		rec.message = NULL;
		exec_case(s, j->family, o, &rec);
		line = json_record_line(&rec);
		if (line) {
			size_t len = strlen(line), off = 0;

			while (off < len) {
				ssize_t w = write(p[1], line + off, len - off);

				if (w <= 0)
					break;
				off += w;
			}
		}
		_exit(0);
	}
	close(p[1]);
	j->fd = p[0];
	return 0;
}

/* The child's JSON line becomes the record; a crash or a kill is a failure. */
void job_finish(struct job *j, int status)
{
	struct record got = { 0 };
	char *error = NULL;
	struct record *rec = j->rec;
	double secs = job_since(&j->start);

	if (j->out && json_record_parse(j->out, &got, &error) == 0) {
		free(rec->message);
		rec->message = got.message;
		got.message = NULL;
		rec->verdict = got.verdict;
		rec->timings = got.timings;
		rec->ntimings = got.ntimings;
		got.timings = NULL;
		got.ntimings = 0;
	} else {
		free(rec->message);
		rec->verdict = VERDICT_FAIL;
		if (j->killed) {
			if (asprintf(&rec->message, "%s: timed out after %.0f s and was killed",
				     rec->path, j->limit_secs) < 0)
				rec->message = NULL;
		} else if (asprintf(&rec->message, "%s: the case process died (%s %d)%s%s",
				rec->path, WIFSIGNALED(status) ? "signal" : "exit status",
				WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
				error ? ": " : "", error ? error : "") < 0)
			rec->message = NULL;
	}
	/* microseconds are plenty, and keep the files readable */
	rec->duration_ms = (double)(long long)(secs * 1e6 + 0.5) / 1000.0;
	record_clear(&got);
	free(error);
	free(j->out);
	j->out = NULL;
	close(j->fd);
	j->pid = 0;
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
