/* bed_facts.h - the machine a run's verdicts came from: CONFIG_HZ and where it was learned, how the kernel ran, CPUs, memory. */
#ifndef TCPCONF_BED_FACTS_H
#define TCPCONF_BED_FACTS_H

#include <stddef.h>

/* Each a NUL-terminated string in the struct itself; "" when unknown. */
struct bed_facts {
	char hz[16];		/* "250" */
	char hz_source[96];	/* "/boot/config-6.1.0", "measured: jiffies over 250 ms" */
	char ran[160];		/* "native", "virtual machine (QEMU, accel tcg)", ... */
	char cpus[16];		/* online CPUs */
	char memory[32];	/* "2048 MiB" */
};

/*
 * Fill f by looking at this machine.  CONFIG_HZ comes from
 * /boot/config-RELEASE when it is there, else it is measured from the
 * kernel's jiffies counter (/proc/timer_list, root only) over 250 ms and
 * rounded to a usual value; getconf CLK_TCK is USER_HZ, not it.  Never
 * fails: what cannot be learned stays "".
 */
void bed_facts_read(struct bed_facts *f);

/* The CONFIG_HZ a jiffies delta over usecs microseconds means: the
 * nearest of 100, 250, 300, 1000 within 10 %, else the raw rate; 0 when
 * usecs is 0.  Separate so the rounding can be tested without a kernel. */
long bed_facts_hz_from(unsigned long long jiffies, unsigned long long usecs);

/* How the kernel ran, from the text of /proc/cpuinfo, the DMI vendor and
 * product (each may be NULL or ""), and an accel a runner named (NULL:
 * none) into out (the caller's). */
void bed_facts_ran_from(const char *cpuinfo, const char *vendor, const char *product,
			const char *accel, char *out, size_t size);

#endif
