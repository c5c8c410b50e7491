/* run_int.h - what run.c and run_jobs.c share: the runner's state, private to `tcpconf run`. */
#ifndef TCPCONF_RUN_INT_H
#define TCPCONF_RUN_INT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "exec.h"
#include "job.h"
#include "option.h"
#include "report.h"
#include "script.h"

struct runner {
	char **paths;
	size_t npaths;
	struct script **scripts;
	struct record *records;
	size_t nrecords, cap;
	struct job *job;		/* one per (script, family) that runs */
	size_t njobs;
	struct option_values opts;	/* the command line's (option.h) */
	struct exec_options eopt;
	int jobs;			/* at most this many at once */
	bool verbose;
	char kernel[128];
	/* where results go; NULL: not written */
	const char *results, *json, *tap, *junit, *ktap;
	struct report_ktap *ktap_out;	/* the KTAP stream while the run goes on */
	size_t planned, unfinished;	/* records planned; of those, dropped unfinished */
	char results_fd[24];		/* "/dev/fd/N": standard output kept for results */
	char *pcap_dir;			/* owned; eopt.pcap_dir points here */
	int pcap_dirfd;			/* opened at the first capture; -1 before */
};

/* The signal that asked the run to stop (SIGINT, SIGTERM), or 0. */
extern volatile sig_atomic_t run_stop_signal;

/* A finished record on the terminal: failures always, the rest with -v. */
void run_progress(const struct runner *r, const struct record *rec);

/* mkdir -p; 0, or -1 with errno. */
int run_mkdirs(const char *dir);

/* Run every job, at most r->jobs at a time; failing cases' captures filed. */
void run_jobs(struct runner *r);

/* Open --ktap's stream and report what failed before any case ran; 0, or
 * the exit status. */
int run_open_ktap(struct runner *r);

/* How this run was made and ended, for meta.json and the reports; how
 * (the caller's buffer) receives the text run->how points to. */
void run_describe(const struct runner *r, struct report_run *run, char *how, size_t size);

/* The exit status kselftest's way: 128 + the stop signal, 1 when a case
 * failed or a result file was not written, 4 when every case skipped, else 0. */
int run_exit_status(const size_t count[3], bool unwritten);

#endif
