/* option.h - the options of `tcpconf run` and of a script's option lines: one table of descriptors that the command line and scripts both go through. */
#ifndef TCPCONF_OPTION_H
#define TCPCONF_OPTION_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "script.h"

/* --ip_version: packetdrill's three, and tcpconf's "both" (the default). */
enum option_ip {
	OPTION_IP_BOTH,
	OPTION_IP_V4,
	OPTION_IP_V6,
	OPTION_IP_V4_MAPPED_V6,		/* AF_INET6 sockets, IPv4 on the wire */
};

#define OPTION_GIVEN_MAX	64	/* case options on one command line */

struct define_list;
struct option_desc;

/*
 * What the options decide.  A case's values are the defaults, then its
 * script's option lines, then the command line's case options again
 * (packetdrill's order: the command line wins).  The runner's own part is
 * only ever set from the command line.
 */
struct option_values {
	/* a case's (packetdrill's options) */
	enum option_ip ip_version;
	int64_t tolerance_usecs;
	double tolerance_percent;	/* of the time since the previous event */
	int64_t tcp_ts_tick_usecs;	/* 0: TS val not judged */
	bool non_fatal_packet, non_fatal_syscall;
	bool dry_run;
	bool send_omit_free, strict_segments, tcp_ts_ecr_scaled;
	int64_t mtu, mss;		/* 0: not given */
	bool gso_off;			/* --gso=off: the wire view (bed.h) */
	bool strict_quiet;		/* a segment no outbound line awaits fails */
	/* --local_ip, --remote_ip as given (NULL: not): cookie.h */
	const char *local_ip, *remote_ip;

	/* the runner's (command line only) */
	int64_t jobs;			/* 0: the default */
	bool verbose, help;
	bool vary;			/* --vary: each case again under vary.h's perturbations */
	const char *results, *json, *tap, *junit, *ktap, *pcap_dir;
	struct define_list *defines;	/* -D; owned, freed by option_values_clear() */
	/* the command line's case options, in order, replayed over a script's */
	struct { const struct option_desc *d; const char *value; } given[OPTION_GIVEN_MAX];
	unsigned int ngiven;
};

/* Where an option may be given. */
enum {
	OPTION_CLI = 1,			/* `tcpconf run` command line */
	OPTION_SCRIPT = 2,		/* a script's "--name[=value]" line */
};

/* How a value is read (and checked) before a row's set() gets it. */
enum option_kind {
	OPTION_FLAG,			/* no value */
	OPTION_INTEGER,			/* option_number() within min..max */
	OPTION_DECIMAL,			/* a decimal number within min..max */
	OPTION_WORD,			/* one of words[] (set() gets its index) */
	OPTION_WORD_LIST,		/* words[] separated by ',' or ' ' (a bit each) */
	OPTION_ADDRESS,			/* an IPv4 or IPv6 address, "/N" allowed when max > 0 */
	OPTION_NETMASK,			/* an IPv4 netmask (contiguous ones) */
	OPTION_TEXT,			/* anything (a path) */
	OPTION_DEFINE,			/* NAME=VALUE (define_check()) */
};

/* A value, read as its row's kind says. */
union option_arg {
	long long n;			/* INTEGER; WORD: index; WORD_LIST: bits */
	double d;			/* DECIMAL */
	const char *s;			/* TEXT, ADDRESS, NETMASK, DEFINE: as given */
};

/*
 * One option.  To add one: a row in option.c's table (name, letter, kind,
 * where, bounds or words, set, help) and, if it carries a value, a field
 * in struct option_values for set() to fill; nothing else reads argv or
 * a script's option lines.
 */
struct option_desc {
	const char *name;		/* "tolerance_usecs": --name, --name=value */
	char letter;			/* -j N, or 0 */
	enum option_kind kind;
	unsigned int where;		/* OPTION_CLI | OPTION_SCRIPT */
	long long min, max;		/* INTEGER, DECIMAL; ADDRESS: max > 0 allows /N */
	const char *const *words;	/* WORD, WORD_LIST: NULL-terminated */
	/* Store a checked value; STATUS_ERROR with *error for what the kind
	 * cannot check (a -D with no memory left). */
	int (*set)(struct option_values *v, const union option_arg *a, char **error);
	const char *help;		/* one line of usage; NULL: not listed */
};

/* The table, in usage order; static storage. */
extern const struct option_desc option_table[];

/* The row named name (without "--"), or NULL. */
const struct option_desc *option_find(const char *name);

/*
 * Read arg (the option's value, as given) as a decimal integer from min to
 * max into *out.  Anything else - no digits, trailing characters, white
 * space, a value beyond long long or outside the bounds - is an error:
 * *error reads "NAME: expected an integer from MIN to MAX, found 'ARG'"
 * (the caller frees it) and *out is untouched.
 */
int option_number(const char *name, const char *arg, long long min, long long max,
		  long long *out, char **error);

/* The defaults (packetdrill's, and tcpconf's "both" IP versions) into *v. */
void option_values_init(struct option_values *v);

/* The value the command line gave the case option name (its last), or NULL;
 * points into argv. */
const char *option_given(const struct option_values *v, const char *name);

/* Free what *v owns (the -D list). */
void option_values_clear(struct option_values *v);

/*
 * Read `tcpconf run`'s argv through the table (getopt_long, built from
 * it) into *v (option_values_init() first); *first gets the index of the
 * first path.  Errors name the option: "--tolerance_usecs: expected ...".
 * argv must outlive *v (values point into it).
 */
int option_parse_argv(int argc, char **argv, struct option_values *v, int *first,
		      char **error);

/*
 * The values a case of script s runs with: the defaults, s's option lines
 * (each must be a script option: unknown, valueless or value-less ones are
 * errors naming file:line:column), then cli's case options (cli may be
 * NULL).  *out holds no -D list and needs no clearing.
 */
int option_resolve(const struct script *s, const struct option_values *cli,
		   struct option_values *out, char **error);

/* The address families a case runs in (AF_INET, AF_INET6): how many. */
int option_families(const struct option_values *v, int families[2]);

/* Usage lines of the command-line rows into f. */
void option_usage(FILE *f);

#endif
