/*
 * netns.c - see netns.h.
 *
 * Namespaces are per thread here: unshare() and setns() act on the calling
 * thread only, and /proc/thread-self names that thread, so other threads of
 * the process never notice a switch.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "netns.h"
#include "sandbox.h"
#include "sysctl.h"

#define NETNS_SELF	"/proc/thread-self/ns/net"

struct netns {
	int fd;
};

static int open_current(int *fd, char **error)
{
	*fd = open(NETNS_SELF, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return error_set(error, "open %s: %s", NETNS_SELF, strerror(errno));
	return STATUS_OK;
}

/* Return to saved; if even that fails the thread is lost in another
 * namespace, which the caller must hear about. */
static int switch_back(int saved, char **error)
{
	int ret = STATUS_OK;

	if (setns(saved, CLONE_NEWNET) < 0)
		ret = error_set(error, "setns back to the original namespace: %s",
				strerror(errno));
	close(saved);
	return ret;
}

/* *ns holds fd from now on (closed here on failure). */
static int netns_hold(int fd, struct netns **ns, char **error)
{
	struct netns *n = malloc(sizeof(*n));

	if (!n) {
		close(fd);
		return error_set(error, "out of memory");
	}
	n->fd = fd;
	*ns = n;
	return STATUS_OK;
}

int netns_new(struct netns **ns, char **error)
{
	int saved, fd, err;

	*ns = NULL;
	if (open_current(&saved, error) < 0)
		return STATUS_ERROR;
	/* Make sure we can come back before leaving: inside a user
	 * namespace unshare() works but setns() to the original fails, and
	 * the thread would be stranded. */
	if (setns(saved, CLONE_NEWNET) < 0) {
		err = errno;
		close(saved);
		if (err == EPERM)
			return error_skip(error, "network namespaces need CAP_SYS_ADMIN (run as root)");
		return error_set(error, "setns to the current namespace: %s", strerror(err));
	}
	if (unshare(CLONE_NEWNET) < 0) {
		err = errno;
		close(saved);
		if (err == EPERM)
			return error_skip(error, "network namespaces need CAP_SYS_ADMIN (run as root)");
		if (err == EINVAL)
			return error_skip(error, "kernel has no network namespaces");
		return error_set(error, "unshare(CLONE_NEWNET): %s", strerror(err));
	}
	/* Each namespace shows its own /proc/sys/net: seal this one's
	 * host-global entries while the thread is in it. */
	if (sandbox_seal_netns(error) < 0) {
		fd = -1;
		err = 0;
	} else {
		fd = open(NETNS_SELF, O_RDONLY | O_CLOEXEC);
		err = errno;
	}
	if (switch_back(saved, error) < 0) {
		if (fd >= 0)
			close(fd);
		return STATUS_ERROR;
	}
	if (fd < 0)
		return err ? error_set(error, "open new %s: %s", NETNS_SELF, strerror(err))
			   : STATUS_ERROR;
	return netns_hold(fd, ns, error);
}

int netns_adopt_current(struct netns **ns, char **error)
{
	int fd;

	*ns = NULL;
	if (open_current(&fd, error) < 0)
		return STATUS_ERROR;
	return netns_hold(fd, ns, error);
}

void netns_free(struct netns *ns)
{
	if (!ns)
		return;
	close(ns->fd);
	free(ns);
}

int netns_fd(const struct netns *ns)
{
	return ns->fd;
}

int netns_enter(const struct netns *ns, char **error)
{
	if (setns(ns->fd, CLONE_NEWNET) < 0)
		return error_set(error, "setns: %s", strerror(errno));
	return STATUS_OK;
}

int netns_run(const struct netns *ns, int (*fn)(void *arg, char **error),
	      void *arg, char **error)
{
	int saved, ret;

	if (open_current(&saved, error) < 0)
		return STATUS_ERROR;
	if (setns(ns->fd, CLONE_NEWNET) < 0) {
		ret = error_set(error, "setns: %s", strerror(errno));
		close(saved);
		return ret;
	}
	ret = fn(arg, error);
	if (switch_back(saved, error) < 0)
		return STATUS_ERROR;
	return ret;
}

struct sysctl_op {
	const char *name;
	const char *value;	/* set */
	char *buf;		/* get */
	size_t size;
};

/* /proc/sys/net shows the namespace of the thread that opens the file, so
 * these run with the thread inside the namespace (netns_run). */
static int sysctl_set_here(void *arg, char **error)
{
	struct sysctl_op *op = arg;

	return sysctl_set(op->name, op->value, error);
}

static int sysctl_get_here(void *arg, char **error)
{
	struct sysctl_op *op = arg;

	return sysctl_get(op->name, op->buf, op->size, error);
}

/* The name is checked before ns is looked at: a refusal needs no namespace. */
int netns_sysctl_set(const struct netns *ns, const char *name,
		     const char *value, char **error)
{
	struct sysctl_op op = { .name = name, .value = value };

	if (sysctl_check_name(name, error) < 0)
		return STATUS_ERROR;
	return netns_run(ns, sysctl_set_here, &op, error);
}

int netns_sysctl_get(const struct netns *ns, const char *name, char *buf,
		     size_t size, char **error)
{
	struct sysctl_op op = { .name = name, .buf = buf, .size = size };

	if (sysctl_check_name(name, error) < 0)
		return STATUS_ERROR;
	return netns_run(ns, sysctl_get_here, &op, error);
}
