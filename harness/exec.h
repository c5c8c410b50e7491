/* exec.h - run one parsed script in one IP version inside a fresh test bed and judge it. */
#ifndef TCPCONF_EXEC_H
#define TCPCONF_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "report.h"
#include "script.h"

struct option_values;
struct vary;

struct exec_options {
	/* the command line's options (option.h), over the script's; NULL: none */
	const struct option_values *cli;
	int64_t tolerance_usecs;	/* >= 0: over both (tests); -1: not set */
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
	const struct vary *vary;	/* run --vary's perturbation (vary.h); NULL: none */
};

/*
 * The largest timing tolerance, on the command line or in a script: beyond
 * 10 s it would judge nothing, and the timing arithmetic must never
 * overflow.
 */
#define EXEC_TOLERANCE_MAX_USECS	10000000LL

/* Why a case asking for --ip_version=ipv4-mapped-ipv6 is skipped. */
#define EXEC_MAPPED_SKIP "--ip_version=ipv4-mapped-ipv6 (AF_INET6 sockets with IPv4-mapped " \
	"addresses, IPv4 on the wire) is not supported yet"

/* Ports the harness uses: the kernel side listens on 8080 as in packetdrill. */
#define EXEC_KERNEL_PORT	8080
#define EXEC_HARNESS_PORT	40000

/*
 * Run script s with family (AF_INET/AF_INET6) and fill r's verdict,
 * message and timings (r's name/path/ip/kernel are the caller's).  Builds
 * and tears down its own test bed and moves the calling thread into its
 * kernel namespace: call it in a process of its own.
 */
void exec_case(const struct script *s, int family,
	       const struct exec_options *o, struct record *r);

#endif
