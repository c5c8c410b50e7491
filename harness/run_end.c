/* run_end.c - how `tcpconf run` tells the world: its KTAP stream, the description of the run in meta.json, and its exit status. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "error.h"
#include "run.h"
#include "run_int.h"
#include "version.h"

int run_open_ktap(struct runner *r)
{
	size_t base = r->nrecords - r->njobs;
	char *error = NULL;

	if (!r->ktap)
		return 0;
	r->ktap_out = report_ktap_open(r->ktap, r->nrecords, &error);
	if (!r->ktap_out) {
		fprintf(stderr, "tcpconf: --ktap %s\n", error ? error : "out of memory");
		free(error);
		return 2;
	}
	/* scripts that could not run at all failed while planning, before the stream */
	for (size_t i = 0; i < base; i++)
		report_ktap_case(r->ktap_out, &r->records[i]);
	return 0;
}

void run_describe(const struct runner *r, struct report_run *run, char *how, size_t size)
{
	const char *ip = option_given(&r->opts, "ip_version");
	const char *given_tol = option_given(&r->opts, "tolerance_usecs");
	char tol[64];

	if (given_tol)
		snprintf(tol, sizeof(tol), "%s us for every script", given_tol);
	else
		snprintf(tol, sizeof(tol), "each script's own");
	snprintf(how, size, "-j%d; %s; tolerance %s; IP versions %s", r->jobs,
		 r->eopt.sandbox ? "each case sandboxed (user, PID, mount, network, UTS, IPC namespaces)" :
		 "no sandbox", tol, ip ? ip : "as each script asks");
	*run = (struct report_run){
		.version = version_string(),
		.commit = version_commit(),
		.how = how,
		.tolerance_usecs = given_tol ? r->opts.tolerance_usecs : -1,
		.ip_version = ip,
		.jobs = r->jobs,
		.stop_signal = run_stop_signal,
		.planned = r->planned,
		.unfinished = r->unfinished,
	};
}

int run_exit_status(const size_t count[3], bool unwritten)
{
	size_t total = count[VERDICT_PASS] + count[VERDICT_FAIL] + count[VERDICT_SKIP];

	if (run_stop_signal)
		return 128 + run_stop_signal;
	if (count[VERDICT_FAIL] || unwritten)
		return 1;
	/* kselftest's KSFT_SKIP: nothing ran, which is not a pass */
	return total && count[VERDICT_SKIP] == total ? 4 : 0;
}
