/* sandbox.h - a child process in new user, PID, mount, network, UTS and IPC namespaces, so that what a case does reaches only itself. */
#ifndef TCPCONF_SANDBOX_H
#define TCPCONF_SANDBOX_H

#include <stdbool.h>
#include <sys/types.h>

/* The id root inside a sandbox is outside when the caller is host root. */
#define SANDBOX_OUTSIDE_ID	65534

/*
 * Fork like fork(), the child sandboxed: root only inside a new user
 * namespace (outside it is SANDBOX_OUTSIDE_ID when the caller is root, else
 * the caller's own uid and gid), PID 1 of a new PID namespace (everything
 * in it dies with it), in new mount, network, UTS and IPC namespaces with a
 * /proc of its own, /proc/sys read-only but for /proc/sys/net, and a
 * private tmpfs on /tmp.  The calling process must be single-threaded.
 *
 * Between the two, an intermediate process in the new user namespace
 * (not in the PID namespace) waits for the child and ends as it did.
 *
 * In the caller: STATUS_OK with *pid the intermediate's pid (reap it with
 * sandbox_wait(): its wait status is the child's); STATUS_SKIP with *pid 0
 * and *error saying why when the kernel or its settings refuse user
 * namespaces; STATUS_ERROR with *pid 0.  In the child, where
 * sandbox_is_active() is true: STATUS_OK with *pid 0, or STATUS_ERROR when
 * setting up failed half-way: the child must then report *error and exit.
 * The caller owns *error.
 */
int sandbox_fork(pid_t *pid, char **error);

/* Wait for pid (from sandbox_fork), serving its sandbox_realtime() requests
 * meanwhile, and fill its wait status; -1 and errno. */
int sandbox_wait(pid_t pid, int *status);

/* The highest real-time priority sandbox_realtime() gives. */
#define SANDBOX_RTPRIO_MAX	10

/*
 * SCHED_FIFO at priority (at most SANDBOX_RTPRIO_MAX in a sandbox) for the
 * calling thread, which in a sandbox must be the main thread of the
 * process sandbox_fork() made: CAP_SYS_NICE inside a user namespace grants
 * nothing, so the intermediate outside (served by sandbox_wait()) sets it
 * with whatever privilege it has.  Outside a sandbox, sched_setscheduler().
 */
int sandbox_realtime(int priority, char **error);

/*
 * For a process that stands between a runner and a sandboxed child, once
 * it has the child's wait status: end the same way (exit code, or the same
 * signal without a core dump), so the runner sees the child's end.  Never
 * returns.
 */
void sandbox_exit_like(int status) __attribute__((noreturn));

/* True in a process made by sandbox_fork() and in its children. */
bool sandbox_is_active(void);

/*
 * Can this process make sandboxes?  Forks one (which exits at once):
 * STATUS_OK, STATUS_SKIP with why (user namespaces off or refused), or
 * STATUS_ERROR.  The caller owns *error.
 */
int sandbox_probe(char **error);

/*
 * Make the host-global settings under /proc/sys/net read-only for the
 * network namespace of the calling thread (/proc/sys/net shows the
 * namespace of whoever opens it, so every namespace is sealed on its own).
 * Bind mounts in the sandbox's mount namespace; a no-op outside a sandbox.
 */
int sandbox_seal_netns(char **error);

/*
 * For a process about to run foreign code in the sandbox (a shell command):
 * drop CAP_SYS_ADMIN from its bounding set, so that what it execs cannot
 * unmount the read-only binds nor make namespaces (CAP_NET_ADMIN, enough
 * for ip, tc and sysctl in the case's own namespaces, stays).  Call it in
 * the child after fork, before exec.  A no-op outside a sandbox.
 */
int sandbox_lock_down(char **error);

/* The /proc/sys names sandbox_seal_netns() makes read-only, NULL-terminated. */
extern const char *const sandbox_sealed_sysctls[];

#endif
