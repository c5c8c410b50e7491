/* vary.c - run each case again under perturbed conditions (see vary.h). */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "job.h"
#include "run_int.h"
#include "sysctl.h"
#include "vary.h"

/* The conditions a script may leave to the bed: buffer sizes, CPU time, which CPU. */
const struct vary vary_table[] = {
	{ "tcp_rmem[1] x2", VARY_SYSCTL, "net.ipv4.tcp_rmem", 1, 2, 1 },
	{ "tcp_rmem[1] /2", VARY_SYSCTL, "net.ipv4.tcp_rmem", 1, 1, 2 },
	{ "tcp_wmem[1] x2", VARY_SYSCTL, "net.ipv4.tcp_wmem", 1, 2, 1 },
	{ "one CPU of load", VARY_LOAD, NULL, 0, 0, 0 },
	{ "the other CPU", VARY_OTHER_CPU, NULL, 0, 0, 0 },
};
const size_t vary_count = sizeof(vary_table) / sizeof(vary_table[0]);

int vary_scale(const char *value, int field, int num, int den, char *out, size_t size,
	       char **error)
{
	char copy[256], *save = NULL;
	size_t o = 0;
	int i = 0;
	bool found = false;

	snprintf(copy, sizeof(copy), "%s", value);
	out[0] = '\0';
	for (char *tok = strtok_r(copy, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save), i++) {
		char *end, buf[32];
		unsigned long long n;

		if (i == field) {
			errno = 0;
			n = strtoull(tok, &end, 10);
			if (errno || *end || end == tok || !den)
				return error_set(error, "field %d of \"%s\" is not a number", field, value);
			snprintf(buf, sizeof(buf), "%llu", n * num / den);
			tok = buf;
			found = true;
		}
		o += snprintf(out + o, o < size ? size - o : 0, "%s%s", o ? " " : "", tok);
	}
	if (!found)
		return error_set(error, "\"%s\" has no field %d", value, field);
	if (o >= size)
		return error_set(error, "\"%s\" scaled is too long", value);
	return STATUS_OK;
}

static void *spin(void *arg)
{
	volatile unsigned long n = 0;

	(void)arg;
	for (;;)
		n++;
	return NULL;
}

/* The last CPU the process may use, or -1 when it may use only one. */
static int other_cpu(void)
{
	cpu_set_t set;
	int last = -1, count = 0;

	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return -1;
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set)) {
			last = c;
			count++;
		}
	return count > 1 ? last : -1;
}

int vary_apply(const struct vary *v, char **error)
{
	char value[256], scaled[256];
	pthread_t t;
	cpu_set_t set;
	int cpu, rc;

	switch (v->kind) {
	case VARY_NONE:
		return STATUS_OK;
	case VARY_SYSCTL:
		if (sysctl_get(v->sysctl, value, sizeof(value), error) < 0 ||
		    vary_scale(value, v->field, v->num, v->den, scaled, sizeof(scaled), error) < 0)
			return error_prefix(error, "--vary %s", v->name);
		return sysctl_set(v->sysctl, scaled, error);
	case VARY_LOAD:
		rc = pthread_create(&t, NULL, spin, NULL);
		if (rc)
			return error_set(error, "--vary %s: %s", v->name, strerror(rc));
		pthread_detach(t);
		return STATUS_OK;
	case VARY_OTHER_CPU:
		cpu = other_cpu();
		if (cpu < 0)
			return STATUS_OK;	/* one CPU: there is no other */
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		/* the calling thread: the threads it starts later inherit it */
		if (sched_setaffinity(0, sizeof(set), &set) < 0)
			return error_set(error, "--vary %s: %s", v->name, strerror(errno));
		return STATUS_OK;
	}
	return STATUS_OK;
}

bool vary_changed(enum verdict base, enum verdict perturbed)
{
	return base != VERDICT_SKIP && perturbed != VERDICT_SKIP && base != perturbed;
}

enum vary_outcome vary_judge(enum verdict base, enum verdict base_again, enum verdict once,
			     enum verdict twice)
{
	if (!vary_changed(base, once))
		return VARY_SAME;
	return twice == once && base_again == base ? VARY_DEPENDENT : VARY_UNSTABLE;
}

/* The rerun without a perturbation, against which a change is confirmed. */
static const struct vary vary_none = { "no perturbation", VARY_NONE, NULL, 0, 0, 0 };

/*
 * Run the jobs pick[0..n) of r under v, on copies of the jobs (r's own stay
 * as they were), into fresh records: n of them, freed by runs_free().
 */
static struct record *runs_under(struct runner *r, const struct vary *v,
				 const struct record *base, const size_t *pick, size_t n)
{
	struct record *got = calloc(n ? n : 1, sizeof(*got));
	struct job *sub = calloc(n ? n : 1, sizeof(*sub)), *own = r->job;
	size_t nown = r->njobs;

	if (!got || !sub) {
		free(got);
		free(sub);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const struct record *b = &base[pick[i]];
		const struct job *j = &own[pick[i]];

		got[i] = (struct record){ .name = b->name, .path = b->path, .ip = b->ip,
					  .kernel = b->kernel, .message = strdup("") };
		sub[i] = (struct job){ .script = j->script, .family = j->family,
				       .limit_secs = j->limit_secs, .pcap_fd = -1, .rec = &got[i] };
	}
	r->job = sub;
	r->njobs = n;
	r->eopt.vary = v;
	run_jobs(r);
	r->eopt.vary = NULL;
	r->job = own;
	r->njobs = nown;
	free(sub);
	return got;
}

static void runs_free(struct record *got, size_t n)
{
	for (size_t i = 0; got && i < n; i++) {
		got[i].name = got[i].path = got[i].ip = got[i].kernel = NULL;
		record_clear(&got[i]);
	}
	free(got);
}

/* The message of whichever of the two runs failed: the one worth reading. */
static const char *failing_message(const struct record *base, const struct record *got)
{
	const struct record *r = got->verdict == VERDICT_FAIL ? got : base;

	return r->message ? r->message : "";
}

/*
 * One pass of every job under v.  A changed verdict counts only when it
 * comes again under v and the case, run again without v, keeps its first
 * verdict: anything else is timing noise (soak's business), said as
 * "unstable" and not flagged.  Which case v changed, into flagged[].
 */
static void vary_pass(struct runner *r, const struct vary *v, struct record *base,
		      const char **flagged)
{
	size_t *pick = calloc(r->njobs ? r->njobs : 1, sizeof(*pick)), n = 0;
	struct record *got, *again = NULL, *plain = NULL;

	if (!pick)
		return;
	for (size_t k = 0; k < r->njobs; k++)
		pick[k] = k;		/* every job first ... */
	got = runs_under(r, v, base, pick, r->njobs);
	for (size_t k = 0; got && k < r->njobs; k++)	/* ... then those v changed */
		if (!flagged[k] && vary_changed(base[k].verdict, got[k].verdict))
			pick[n++] = k;
	if (n && !run_stop_signal) {
		again = runs_under(r, v, base, pick, n);
		plain = runs_under(r, &vary_none, base, pick, n);
	}
	for (size_t i = 0; again && plain && i < n && !run_stop_signal; i++) {
		size_t k = pick[i];
		const struct record *twice = &again[i];

		if (vary_judge(base[k].verdict, plain[i].verdict, got[k].verdict,
			       twice->verdict) != VARY_DEPENDENT) {
			printf("unstable %s [%s]: %s, then %s and %s under %s, %s without "
			       "(%s)\n", base[k].name, base[k].ip, verdict_name(base[k].verdict),
			       verdict_name(got[k].verdict), verdict_name(twice->verdict), v->name,
			       verdict_name(plain[i].verdict), failing_message(&base[k], &got[k]));
			flagged[k] = "";	/* said once: later passes leave it alone */
			continue;
		}
		flagged[k] = v->name;
		free(base[k].condition_dependent);
		base[k].condition_dependent = strdup(v->name);
		printf("condition-dependent %s [%s]: %s under %s, twice (%s)\n", base[k].name,
		       base[k].ip, verdict_name(twice->verdict), v->name,
		       twice->message ? twice->message : "");
	}
	runs_free(plain, n);
	runs_free(again, n);
	runs_free(got, r->njobs);
	free(pick);
}

size_t vary_run(struct runner *r)
{
	struct record *base = r->records + (r->nrecords - r->njobs);
	const char **flagged = calloc(r->njobs, sizeof(*flagged));
	struct report_ktap *ktap = r->ktap_out;
	const char *pcap_dir = r->eopt.pcap_dir;
	size_t n = 0;

	if (!flagged)
		return 0;
	/* the perturbed runs leave no captures, ladders or KTAP lines: those are the first run's */
	r->ktap_out = NULL;
	r->eopt.pcap_dir = NULL;
	for (size_t i = 0; i < vary_count && !run_stop_signal; i++)
		vary_pass(r, &vary_table[i], base, flagged);
	r->ktap_out = ktap;
	r->eopt.pcap_dir = pcap_dir;
	for (size_t k = 0; k < r->njobs; k++)
		n += flagged[k] && *flagged[k];	/* "": unstable, not condition-dependent */
	free(flagged);
	return n;
}
