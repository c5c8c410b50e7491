/* bed_facts.c - the machine a run's verdicts came from (see bed_facts.h). */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bed_facts.h"

/* The first size-1 bytes of a file, NUL-terminated; "" when unreadable. */
static void read_head(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	size_t n = f ? fread(buf, 1, size - 1, f) : 0;

	buf[n] = '\0';
	if (f)
		fclose(f);
	while (n && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
}

/* CONFIG_HZ from a kernel config file; false when it has none. */
static bool hz_from_config(const char *path, char *hz, size_t size)
{
	FILE *f = fopen(path, "re");
	char line[256];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		if (!strncmp(line, "CONFIG_HZ=", 10)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(hz, size, "%.15s", line + 10);
			found = true;
		}
	fclose(f);
	return found;
}

/* The kernel's jiffies counter as /proc/timer_list prints it; false without it. */
static bool jiffies_now(unsigned long long *j)
{
	FILE *f = fopen("/proc/timer_list", "re");
	char line[256];
	bool found = false;

	/* bounded: the line comes in the first CPU's section */
	for (int i = 0; f && !found && i < 4096 && fgets(line, sizeof(line), f); i++)
		found = sscanf(line, "jiffies: %llu", j) == 1;
	if (f)
		fclose(f);
	return found;
}

static unsigned long long usecs_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

long bed_facts_hz_from(unsigned long long jiffies, unsigned long long usecs)
{
	static const long usual[] = { 100, 250, 300, 1000 };
	double rate;

	if (!usecs)
		return 0;
	rate = jiffies * 1e6 / usecs;
	for (size_t i = 0; i < sizeof(usual) / sizeof(usual[0]); i++)
		if (rate > usual[i] * 0.9 && rate < usual[i] * 1.1)
			return usual[i];
	return (long)(rate + 0.5);
}

static void hz_measured(struct bed_facts *f)
{
	unsigned long long j0, j1, t0, t1;
	struct timespec quarter = { 0, 250 * 1000 * 1000 };

	t0 = usecs_now();
	if (!jiffies_now(&j0))
		return;
	nanosleep(&quarter, NULL);
	t1 = usecs_now();
	if (!jiffies_now(&j1) || j1 < j0)
		return;
	snprintf(f->hz, sizeof(f->hz), "%ld", bed_facts_hz_from(j1 - j0, t1 - t0));
	snprintf(f->hz_source, sizeof(f->hz_source), "measured: jiffies over %llu ms",
		 (t1 - t0) / 1000);
}

/* Is word one of the space-separated words of the "flags" line? */
static bool cpu_flag(const char *cpuinfo, const char *word)
{
	const char *line = cpuinfo ? strstr(cpuinfo, "\nflags") : NULL;
	size_t n = strlen(word);

	if (!line)
		return false;
	line = strchr(line, ':');
	for (const char *p = line; p && *p && *p != '\n'; p++)
		if (p[-1] == ' ' && !strncmp(p, word, n) && (p[n] == ' ' || p[n] == '\n' || !p[n]))
			return true;
	return false;
}

void bed_facts_ran_from(const char *cpuinfo, const char *vendor, const char *product,
			const char *accel, char *out, size_t size)
{
	bool qemu = (vendor && strstr(vendor, "QEMU")) || (product && strstr(product, "QEMU"));
	bool hypervisor = cpu_flag(cpuinfo, "hypervisor");
	bool has_flags = cpuinfo && strstr(cpuinfo, "\nflags");

	if (accel && *accel)
		snprintf(out, size, "QEMU, accel %s", accel);
	else if (qemu)
		snprintf(out, size, "QEMU (DMI: %s %s)", vendor ? vendor : "",
			 product ? product : "");
	else if (hypervisor)
		snprintf(out, size, "virtual machine (hypervisor CPU flag%s%s)",
			 vendor && *vendor ? "; DMI: " : "", vendor ? vendor : "");
	else if (has_flags)
		snprintf(out, size, "native (no hypervisor CPU flag)");
	else
		snprintf(out, size, "%s", "");
}

/* "tcpconf.accel=X" on the kernel command line: what a matrix runner says it used. */
static void accel_from_cmdline(char *out, size_t size)
{
	char line[4096];
	const char *p;

	read_head("/proc/cmdline", line, sizeof(line));
	out[0] = '\0';
	p = strstr(line, "tcpconf.accel=");
	if (p && (p == line || p[-1] == ' '))
		snprintf(out, size, "%.*s", (int)strcspn(p + 14, " "), p + 14);
}

void bed_facts_read(struct bed_facts *f)
{
	char *cpuinfo = malloc(1 << 16), vendor[128], product[128], accel[32], path[128];
	struct utsname u;
	struct sysinfo si;

	memset(f, 0, sizeof(*f));
	if (uname(&u) == 0) {
		snprintf(path, sizeof(path), "/boot/config-%s", u.release);
		if (hz_from_config(path, f->hz, sizeof(f->hz)))
			snprintf(f->hz_source, sizeof(f->hz_source), "%.95s", path);
	}
	if (!f->hz[0])
		hz_measured(f);
	read_head("/sys/devices/virtual/dmi/id/sys_vendor", vendor, sizeof(vendor));
	read_head("/sys/devices/virtual/dmi/id/product_name", product, sizeof(product));
	accel_from_cmdline(accel, sizeof(accel));
	if (cpuinfo) {
		/* flags come in the first CPU's block: 64 KiB is plenty */
		cpuinfo[0] = '\n';
		read_head("/proc/cpuinfo", cpuinfo + 1, (1 << 16) - 1);
	}
	bed_facts_ran_from(cpuinfo, vendor, product, accel, f->ran, sizeof(f->ran));
	free(cpuinfo);
	snprintf(f->cpus, sizeof(f->cpus), "%ld", sysconf(_SC_NPROCESSORS_ONLN));
	if (sysinfo(&si) == 0)
		snprintf(f->memory, sizeof(f->memory), "%llu MiB",
			 (unsigned long long)si.totalram * si.mem_unit >> 20);
}
