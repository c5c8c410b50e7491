/* sysctl.h - read and write the net.* sysctls of the calling thread's network namespace, by dotted name. */
#ifndef TCPCONF_SYSCTL_H
#define TCPCONF_SYSCTL_H

#include <stdbool.h>
#include <stddef.h>

/*
 * /proc/sys/net shows the namespace of the thread that opens a file there,
 * so every call below acts on the namespace the calling thread is in at
 * that moment (netns_run moves it).  Only net.* names are accepted: the
 * harness must never reach a host-wide sysctl.
 */

/* STATUS_OK when name ("net.ipv4.tcp_sack") is a net.* name these
 * functions accept, else STATUS_ERROR with *error naming the rule. */
int sysctl_check_name(const char *name, char **error);

/* Does this kernel have the sysctl here?  False for a refused name too. */
bool sysctl_exists(const char *name);

/*
 * Write value (a string as sysctl(8) takes it, e.g. "4096 131072 6291456").
 * STATUS_SKIP when the kernel lacks the sysctl or this /proc/sys refuses
 * writes (read-only in containers, no privilege): a missing feature, not a
 * fault.  *error names the sysctl either way.
 */
int sysctl_set(const char *name, const char *value, char **error);

/* Read the value into buf (the caller's, size bytes, NUL-terminated, the
 * kernel's trailing newline removed).  Any failure is STATUS_ERROR. */
int sysctl_get(const char *name, char *buf, size_t size, char **error);

#endif
