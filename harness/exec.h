/* exec.h - run one parsed script in one IP version inside a fresh test bed and judge it. */
#ifndef TCPCONF_EXEC_H
#define TCPCONF_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "report.h"
#include "script.h"

struct exec_options {
	int64_t tolerance_usecs;	/* -1: the script's or the default (4000) */
	const char *pcap_dir;		/* the runner's: where it files failing cases' captures; NULL: none */
	/*
	 * A failing case writes its capture to pcap_fd (an anonymous file the
	 * runner made, who then files it: the case may not open files) and
	 * cites pcap_path, where the runner puts it.  pcap_path NULL: none.
	 */
	int pcap_fd;
	const char *pcap_path;
	bool sandbox;			/* job_start: each case in a sandbox (sandbox.h) */
	/*
	 * Where shell commands run; NULL: the script's directory by its path.
	 * A sandboxed case sets "." after a chdir() made outside, as a path
	 * under /tmp names the sandbox's own /tmp inside.
	 */
	const char *script_dir;
	/* The bed (bed.h): the command line's --gso, --mtu, --mss and
	 * --strict_segments, which win over the script's; 0 where not given. */
	enum { EXEC_GSO_SCRIPT = 0, EXEC_GSO_ON, EXEC_GSO_OFF } gso;
	unsigned int mtu, mss;
	bool strict_segments;
};

/*
 * The largest timing tolerance, on the command line or in a script: beyond
 * 10 s it would judge nothing, and the timing arithmetic must never
 * overflow.
 */
#define EXEC_TOLERANCE_MAX_USECS	10000000LL

/*
 * The tolerance a case runs with: o's when set (>= 0), else the script's
 * --tolerance_usecs, else the default.  The script's value must be a whole
 * number from 0 to EXEC_TOLERANCE_MAX_USECS: else STATUS_ERROR with
 * *error (the caller's) naming file:line:column.
 */
int exec_tolerance(const struct script *s, const struct exec_options *o,
		   int64_t *usecs, char **error);

/* Ports the harness uses: the kernel side listens on 8080 as in packetdrill. */
#define EXEC_KERNEL_PORT	8080
#define EXEC_HARNESS_PORT	40000

/*
 * Which IP versions a script asks for (--ip_version=ipv4|ipv6|both, default
 * both): fills families[] (AF_INET/AF_INET6) and returns how many; -1 and
 * *error for a value we do not know.
 */
int exec_families(const struct script *s, int families[2], char **error);

/*
 * Run script s with family (AF_INET/AF_INET6) and fill r's verdict,
 * message and timings (r's name/path/ip/kernel are the caller's).  Builds
 * and tears down its own test bed and moves the calling thread into its
 * kernel namespace: call it in a process of its own.
 */
void exec_case(const struct script *s, int family,
	       const struct exec_options *o, struct record *r);

#endif
