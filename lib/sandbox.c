/*
 * sandbox.c - see sandbox.h.
 *
 * Three processes.  The caller stays outside, with whatever privilege it
 * has, to write the id maps (host root may map root inside to another id
 * only from outside) and later to set real-time priority.  Its child, the
 * intermediate, unshares every namespace at once, the user
 * namespace first so that it owns the others: root inside holds
 * capabilities over them and over nothing of the host.  A PID namespace
 * takes in only the children of whoever unshares it, hence the fork of
 * the grandchild, PID 1; and proc shows the PID namespace of whoever
 * mounts it, so that the grandchild mounts /proc.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "sandbox.h"

#define SANDBOX_NS_FLAGS (CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | \
			  CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC)
/* what a fresh proc mount carries; a remount in a user namespace must keep it */
#define PROC_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC)

static bool active;
/*
 * A socket pair between the caller and the sandboxed child.  The child
 * watches it for a hang-up: getppid() says nothing across a PID namespace.
 * And over it the child asks for real-time scheduling, which only the
 * caller, outside, may have the privilege to give.
 */
static int ctl_fd = -1;
static pid_t inner;		/* the sandboxed child, as the caller sees it */

const char *const sandbox_sealed_sysctls[] = {
	/* a static key shared by every namespace, and one-way: no capability
	 * check beyond the namespace's own root guards it */
	"/proc/sys/net/netfilter/nf_hooks_lwtunnel",
	NULL,
};

bool sandbox_is_active(void)
{
	return active;
}

/* 0, or errno. */
static int write_file(const char *path, const char *text)
{
	size_t len = strlen(text);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	if (fd < 0)
		return errno;
	n = write(fd, text, len);
	err = n < 0 ? errno : (size_t)n != len ? EIO : 0;
	close(fd);
	return err;
}

/* Root inside becomes uid and gid outside.  0, or errno. */
static int write_maps(pid_t pid, unsigned int uid, unsigned int gid, bool deny)
{
	char path[64], map[64];
	int err = 0;

	if (deny) {
		snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
		err = write_file(path, "deny");
	}
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	snprintf(map, sizeof(map), "0 %u 1\n", uid);
	if (!err)
		err = write_file(path, map);
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	snprintf(map, sizeof(map), "0 %u 1\n", gid);
	if (!err)
		err = write_file(path, map);
	return err;
}

static bool userns_off(void)
{
	char buf[32] = "";
	int fd = open("/proc/sys/user/max_user_namespaces", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = '\0';
	close(fd);
	return !strcmp(buf, "0\n");
}

static int unshare_error(int err, char **error)
{
	if (userns_off())
		return error_skip(error, "user namespaces are off (/proc/sys/user/max_user_namespaces is 0)");
	if (err == EPERM || err == EINVAL || err == ENOSPC || err == EUSERS)
		return error_skip(error, "user namespaces are not available: unshare: %s",
				  strerror(err));
	return error_set(error, "unshare: %s", strerror(err));
}

static int do_mount(const char *src, const char *dst, const char *type,
		    unsigned long flags, const char *data, char **error)
{
	if (mount(src, dst, type, flags, data) < 0)
		return error_set(error, "sandbox: mount %s on %s: %s",
				 type ? type : src ? src : "flags", dst, strerror(errno));
	return STATUS_OK;
}

/* Bind path over itself, then set it read-only or read-write. */
static int bind_here(const char *path, unsigned long rec, bool ro, char **error)
{
	if (do_mount(path, path, NULL, MS_BIND | rec, NULL, error) < 0)
		return STATUS_ERROR;
	return do_mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | PROC_FLAGS |
			(ro ? MS_RDONLY : 0), NULL, error);
}

int sandbox_seal_netns(char **error)
{
	if (!active)
		return STATUS_OK;
	for (size_t i = 0; sandbox_sealed_sysctls[i]; i++) {
		const char *path = sandbox_sealed_sysctls[i];

		if (access(path, F_OK) < 0)
			continue;	/* not in this kernel */
		if (bind_here(path, 0, true, error) < 0)
			return STATUS_ERROR;
	}
	return STATUS_OK;
}

/*
 * No user namespace inside this one: root of a nested one holds every
 * capability again, and could make a network namespace whose host-global
 * sysctls nobody sealed.  The limit is this namespace's own (and binds its
 * descendants); the host's stays.
 */
static int no_nested_userns(char **error)
{
	int err = write_file("/proc/sys/user/max_user_namespaces", "0");

	if (err)
		return error_set(error, "sandbox: /proc/sys/user/max_user_namespaces: %s",
				 strerror(err));
	return STATUS_OK;
}

/*
 * Every mount the case inherits read-only, all the way down: as an
 * ordinary user the case would otherwise write that user's files, and as
 * host root (65534 outside) any file open to everyone.  Mounts made after
 * this (/proc, /tmp) are the case's own.
 */
static int host_read_only(char **error)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };

	if (mount_setattr(AT_FDCWD, "/", AT_RECURSIVE, &attr, sizeof(attr)) < 0)
		return error_set(error, "sandbox: making the host's mounts read-only: %s",
				 strerror(errno));
	return STATUS_OK;
}

/* Nothing of the host's mount table changes: the new one is private. */
static int set_up_mounts(char **error)
{
	if (do_mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL, error) < 0 ||
	    host_read_only(error) < 0 ||
	    do_mount("proc", "/proc", "proc", PROC_FLAGS, NULL, error) < 0 ||
	    no_nested_userns(error) < 0 ||
	    bind_here("/proc/sys", MS_REC, true, error) < 0 ||
	    bind_here("/proc/sys/net", 0, false, error) < 0 ||
	    sandbox_seal_netns(error) < 0)
		return STATUS_ERROR;
	return do_mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
			"mode=1777,size=64m", error);
}

/* In the new PID 1: die with the intermediate, then make the mounts. */
static int enter_child(int ctl, char **error)
{
	struct pollfd p = { .fd = ctl, .events = POLLIN };

	active = true;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* after the prctl: a caller gone before it shows as a hang-up */
	if (poll(&p, 1, 0) > 0 && (p.revents & POLLHUP)) {
		close(ctl);
		return error_set(error, "sandbox: the process outside is gone");
	}
	ctl_fd = ctl;
	return set_up_mounts(error);
}

/* One int over the control socket; 0, or -1. */
static int send_int(int fd, int v)
{
	return write(fd, &v, sizeof(v)) == sizeof(v) ? 0 : -1;
}

static int recv_int(int fd, int *v)
{
	ssize_t n;

	while ((n = read(fd, v, sizeof(*v))) < 0 && errno == EINTR)
		;
	return n == sizeof(*v) ? 0 : -1;
}

/* The intermediate ends as the sandboxed child did.  Never returns. */
static void pass_on(pid_t child)
{
	int status;

	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			_exit(1);
	sandbox_exit_like(status);
}

void sandbox_exit_like(int status)
{
	struct rlimit no_core = { 0, 0 };

	if (WIFSIGNALED(status)) {
		setrlimit(RLIMIT_CORE, &no_core);
		signal(WTERMSIG(status), SIG_DFL);
		raise(WTERMSIG(status));
	}
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

/*
 * The intermediate: it enters the new namespaces, waits while the caller
 * (outside, with whatever privilege it has) writes its id maps, takes the
 * mapped ids and forks the sandboxed child, whose pid it reports over
 * setup; the child keeps ctl.  Its own ending is the child's.  Returns
 * only in the child.
 */
static int intermediate(pid_t outside, int setup, int ctl, bool root, char **error)
{
	pid_t child;
	int err;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != outside)
		_exit(1);
	err = unshare(SANDBOX_NS_FLAGS) < 0 ? errno : 0;
	if (send_int(setup, err) < 0 || err || recv_int(setup, &err) < 0 || err)
		_exit(1);
	/* Take the mapped ids; host root also drops its supplementary groups
	 * (where setgroups is denied they are the caller's own). */
	if ((root && setgroups(0, NULL) < 0) || setresgid(0, 0, 0) < 0 ||
	    setresuid(0, 0, 0) < 0) {
		send_int(setup, -errno);
		_exit(1);
	}
	/* a new euid clears the parent-death signal: set it again */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != outside)
		_exit(1);
	child = fork();
	if (child == 0) {
		close(setup);
		return enter_child(ctl, error);
	}
	send_int(setup, child < 0 ? -errno : child);
	close(setup);
	close(ctl);
	if (child < 0)
		_exit(1);
	pass_on(child);
	return STATUS_ERROR;
}

/* Give up on the intermediate: it exits once its sockets close. */
static void reap(pid_t mid, int setup)
{
	close(setup);
	close(ctl_fd);
	ctl_fd = -1;
	while (waitpid(mid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* Root of the initial user namespace, which may map ids it does not hold
 * (root of another user namespace may not: its 65534 is not mapped). */
static bool host_root(void)
{
	char buf[64] = "";
	unsigned int first, lower, count;
	int fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (geteuid() != 0 || fd < 0) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return sscanf(buf, "%u %u %u", &first, &lower, &count) == 3 &&
	       first == 0 && lower == 0 && count == 4294967295U;
}

/* Root inside is SANDBOX_OUTSIDE_ID outside for host root; anyone else may
 * only map it to their own ids, with setgroups denied. */
static int map_ids(pid_t mid, bool root)
{
	if (root)
		return write_maps(mid, SANDBOX_OUTSIDE_ID, SANDBOX_OUTSIDE_ID, false);
	return write_maps(mid, geteuid(), getegid(), true);
}

/* Two socket pairs: setup with the intermediate, ctl with the child, so
 * that nothing the child sends is ever taken for the intermediate's word. */
static int socket_pairs(int setup[2], int ctl[2], char **error)
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, setup) < 0)
		return error_set(error, "socketpair: %s", strerror(errno));
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ctl) < 0) {
		int err = errno;

		close(setup[0]);
		close(setup[1]);
		return error_set(error, "socketpair: %s", strerror(err));
	}
	return STATUS_OK;
}

int sandbox_fork(pid_t *pid, char **error)
{
	bool root = host_root();
	pid_t self = getpid(), mid;
	int setup[2], ctl[2], err, child = 0;

	*pid = 0;
	if (socket_pairs(setup, ctl, error) < 0)
		return STATUS_ERROR;
	mid = fork();
	if (mid == 0) {
		close(setup[0]);
		close(ctl[0]);
		return intermediate(self, setup[1], ctl[1], root, error);
	}
	err = errno;
	close(setup[1]);
	close(ctl[1]);
	ctl_fd = ctl[0];
	if (mid < 0) {
		close(setup[0]);
		close(ctl_fd);
		ctl_fd = -1;
		return error_set(error, "fork: %s", strerror(err));
	}
	if (recv_int(setup[0], &err) < 0 || err) {
		reap(mid, setup[0]);
		return unshare_error(err ? err : EPIPE, error);
	}
	err = map_ids(mid, root);
	if (send_int(setup[0], err) < 0 || err) {
		reap(mid, setup[0]);
		return error_set(error, "writing the id maps: %s", strerror(err ? err : EPIPE));
	}
	if (recv_int(setup[0], &child) < 0 || child <= 0) {
		reap(mid, setup[0]);
		return error_set(error, "entering the sandbox: %s",
				 strerror(child < 0 ? -child : EPIPE));
	}
	close(setup[0]);
	inner = child;
	*pid = mid;
	return STATUS_OK;
}

/* Outside: serve the child's requests until it hangs up. */
static void serve(void)
{
	struct sched_param sp;
	int prio, err;

	while (inner > 0 && recv_int(ctl_fd, &prio) == 0) {
		/* the pid is ours, not the child's to name; the priority bounded */
		sp.sched_priority = prio < 1 ? 1 : prio > SANDBOX_RTPRIO_MAX ? SANDBOX_RTPRIO_MAX : prio;
		err = sched_setscheduler(inner, SCHED_FIFO, &sp) < 0 ? errno : 0;
		if (send_int(ctl_fd, err) < 0)
			break;
	}
}

int sandbox_wait(pid_t pid, int *status)
{
	pid_t got;

	serve();
	while ((got = waitpid(pid, status, 0)) < 0 && errno == EINTR)
		;
	if (ctl_fd >= 0) {
		close(ctl_fd);
		ctl_fd = -1;
	}
	return got < 0 ? -1 : 0;
}

int sandbox_lock_down(char **error)
{
	if (!active)
		return STATUS_OK;
	if (prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0) < 0)
		return error_set(error, "sandbox: dropping CAP_SYS_ADMIN: %s", strerror(errno));
	return STATUS_OK;
}

int sandbox_realtime(int priority, char **error)
{
	struct sched_param sp = { .sched_priority = priority };
	int err;

	if (!active) {
		if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0)
			return error_set(error, "sched_setscheduler: %s", strerror(errno));
		return STATUS_OK;
	}
	if (write(ctl_fd, &priority, sizeof(priority)) != sizeof(priority) ||
	    read(ctl_fd, &err, sizeof(err)) != sizeof(err))
		return error_set(error, "sandbox: asking for real-time scheduling: %s",
				 strerror(errno));
	if (err)
		return error_set(error, "sched_setscheduler: %s", strerror(err));
	return STATUS_OK;
}

/* In the probe's processes: say why on fd and leave with code. */
static void probe_exit(int fd, const char *why, int code)
{
	if (why && write(fd, why, strlen(why)) < 0)
		code = 2;
	_exit(code);
}

/* The probe's verdict from its exit code (0 OK, 1 SKIP) and its words. */
static int probe_result(int status, const char *why, char **error)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return STATUS_OK;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
		return error_skip(error, "%s", why);
	return error_set(error, "%s", *why ? why : "sandbox probe died");
}

int sandbox_probe(char **error)
{
	char why[512];
	int msg[2], status;
	size_t len = 0;
	ssize_t n;
	pid_t probe;

	if (pipe2(msg, O_CLOEXEC) < 0)
		return error_set(error, "pipe: %s", strerror(errno));
	probe = fork();
	if (probe < 0) {
		close(msg[0]);
		close(msg[1]);
		return error_set(error, "fork: %s", strerror(errno));
	}
	if (probe == 0) {
		char *e = NULL;
		pid_t child;
		int rc = sandbox_fork(&child, &e);

		close(msg[0]);
		if (rc < 0)
			probe_exit(msg[1], e, rc == STATUS_SKIP ? 1 : 2);
		if (child == 0)
			probe_exit(msg[1], NULL, 0);
		if (sandbox_wait(child, &status) < 0)
			probe_exit(msg[1], "sandbox probe: wait failed", 2);
		probe_exit(msg[1], NULL, WIFEXITED(status) ? WEXITSTATUS(status) : 2);
	}
	close(msg[1]);
	while ((n = read(msg[0], why + len, sizeof(why) - 1 - len)) > 0 ||
	       (n < 0 && errno == EINTR))
		len += n > 0 ? (size_t)n : 0;
	why[len] = '\0';
	close(msg[0]);
	while (waitpid(probe, &status, 0) < 0)
		if (errno != EINTR)
			return error_set(error, "sandbox probe: waitpid: %s", strerror(errno));
	return probe_result(status, why, error);
}
