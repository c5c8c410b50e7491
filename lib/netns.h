/* netns.h - anonymous network namespaces held only by a file descriptor, so they die with the process. */
#ifndef TCPCONF_NETNS_H
#define TCPCONF_NETNS_H

#include <stddef.h>

struct netns;

/*
 * Create a fresh network namespace without moving the calling thread into
 * it (unshare, open /proc/thread-self/ns/net, setns back).  The caller owns
 * *ns.  STATUS_SKIP when the process lacks CAP_SYS_ADMIN or the kernel has no
 * network namespaces.
 */
int netns_new(struct netns **ns, char **error);

/*
 * Hold the calling thread's own namespace as *ns (the caller owns it), for
 * a process that was made in a fresh one (a sandbox: sandbox.h) and need
 * not pay for another.  STATUS_ERROR when /proc cannot show it.
 */
int netns_adopt_current(struct netns **ns, char **error);

/* Close the descriptor; the namespace goes when nothing else holds it. */
void netns_free(struct netns *ns);

/* The namespace descriptor (owned by ns). */
int netns_fd(const struct netns *ns);

/* Move the calling thread into ns (threads it creates later follow it). */
int netns_enter(const struct netns *ns, char **error);

/*
 * Run fn(arg) with the calling thread inside ns, then return the thread to
 * the namespace it was in.  Returns fn's result, or STATUS_ERROR when the
 * switch itself fails.  Sockets created by fn stay in ns for good.
 */
int netns_run(const struct netns *ns, int (*fn)(void *arg, char **error),
	      void *arg, char **error);

/*
 * Write a sysctl of ns, name in dotted form ("net.ipv4.tcp_timestamps"):
 * sysctl_set() (sysctl.h) run inside ns, with its names and statuses.
 * Only net.* names are accepted: the harness never writes host sysctls.
 */
int netns_sysctl_set(const struct netns *ns, const char *name,
		     const char *value, char **error);

/* Read a sysctl of ns into buf (trailing newline removed): sysctl_get() inside ns. */
int netns_sysctl_get(const struct netns *ns, const char *name, char *buf,
		     size_t size, char **error);

#endif
