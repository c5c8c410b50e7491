/* vary.h - the robustness mode (`tcpconf run --vary`): the perturbations of a case's unpinned conditions it runs again under, and the cases whose verdict they change. */
#ifndef TCPCONF_VARY_H
#define TCPCONF_VARY_H

#include <stdbool.h>
#include <stddef.h>

#include "record.h"

struct runner;

enum vary_kind {
	VARY_NONE,		/* nothing changed: the rerun a change is confirmed against */
	VARY_SYSCTL,		/* a field of a bed sysctl scaled; the script's own line wins */
	VARY_LOAD,		/* a thread busy-looping in the case's process throughout */
	VARY_OTHER_CPU,		/* the case pinned to the last CPU it may use */
};

/* One perturbation: a row of vary_table. */
struct vary {
	const char *name;	/* for people: "tcp_rmem[1] x2" */
	enum vary_kind kind;
	const char *sysctl;	/* VARY_SYSCTL: which one */
	int field;		/* its space-separated field, from 0 */
	int num, den;		/* the field becomes field * num / den */
};

extern const struct vary vary_table[];
extern const size_t vary_count;

/*
 * value ("4096 131072 6291456") with field scaled by num/den into out (the
 * caller's).  STATUS_ERROR naming the field when value has no such field
 * or it is not a number.
 */
int vary_scale(const char *value, int field, int num, int den, char *out, size_t size,
	       char **error);

/*
 * Put v in force in the calling process, which is in the bed's kernel
 * namespace and has not yet run the script's own commands (so a script
 * that sets the sysctl itself overrides it).  The load thread lives as
 * long as the process.  With one CPU allowed, "the other CPU" changes
 * nothing.  STATUS_ERROR naming v when it cannot be put in force.
 */
int vary_apply(const struct vary *v, char **error);

/* Did a perturbed run change base's verdict?  A skip on either side
 * (nothing judged) changes nothing. */
bool vary_changed(enum verdict base, enum verdict perturbed);

/* What a perturbation did to a case: nothing; changed its verdict both
 * times it ran under it while the case kept its verdict without it; or
 * anything else (noise, not the condition: a late wake-up). */
enum vary_outcome { VARY_SAME, VARY_DEPENDENT, VARY_UNSTABLE };

/* The outcome from the first run's verdict, the case's verdict when run
 * again unperturbed, and its two perturbed ones (the last three are not
 * looked at when once changed nothing). */
enum vary_outcome vary_judge(enum verdict base, enum verdict base_again, enum verdict once,
			     enum verdict twice);

/*
 * Run every job of r again under each row of vary_table (r's records stay
 * the first run's) and print a line per case whose verdict changed, and
 * changed again when that case was run under the same perturbation once
 * more, naming the perturbation, also as its record's condition_dependent;
 * a change that did not repeat is printed as "unstable" and not flagged;
 * quiet otherwise.  The number of cases (case and IP version) flagged
 * condition-dependent.
 */
size_t vary_run(struct runner *r);

#endif
