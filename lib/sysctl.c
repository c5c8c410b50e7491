/*
 * sysctl.c - see sysctl.h.
 *
 * Plain open/read/write on /proc/sys rather than sysctl(2), which is gone
 * from current kernels.  One write(2) per value: the kernel parses a value
 * from the start of each write, so a value split in two would be two values.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "sysctl.h"

#define SYSCTL_ROOT	"/proc/sys/"
#define SYSCTL_PATH_MAX	256

/*
 * net.* names that every namespace shows but that act on the whole host.
 * nf_hooks_lwtunnel flips one static key for all namespaces, and a
 * namespace's root may write it (seen on 6.18 from an unprivileged user
 * namespace); it cannot be turned off again.
 */
static const char *const host_wide[] = {
	"net.netfilter.nf_hooks_lwtunnel",
};

int sysctl_check_name(const char *name, char **error)
{
	if (!name || strncmp(name, "net.", 4) != 0)
		return error_set(error, "sysctl '%s': only net.* names are allowed",
				 name ? name : "(null)");
	for (size_t i = 0; i < sizeof(host_wide) / sizeof(host_wide[0]); i++)
		if (!strcmp(name, host_wide[i]))
			return error_set(error, "sysctl '%s': acts on the whole host, "
					 "not the test namespace", name);
	/* nothing that could walk out of /proc/sys/net (interface names with
	 * dots cannot be spelled this way; the bed's names have none) */
	if (strchr(name, '/') || strstr(name, "..") || name[4] == '\0' ||
	    name[strlen(name) - 1] == '.')
		return error_set(error, "sysctl '%s': malformed name", name);
	return STATUS_OK;
}

/* "net.ipv4.tcp_timestamps" -> "/proc/sys/net/ipv4/tcp_timestamps". */
static int sysctl_path(const char *name, char *path, size_t size, char **error)
{
	if (sysctl_check_name(name, error) < 0)
		return STATUS_ERROR;
	if ((size_t)snprintf(path, size, SYSCTL_ROOT "%s", name) >= size)
		return error_set(error, "sysctl '%s': name too long", name);
	for (char *p = path + strlen(SYSCTL_ROOT); *p; p++)
		if (*p == '.')
			*p = '/';
	return STATUS_OK;
}

bool sysctl_exists(const char *name)
{
	char path[SYSCTL_PATH_MAX];

	return sysctl_path(name, path, sizeof(path), NULL) == STATUS_OK &&
	       access(path, F_OK) == 0;
}

/* The errors that mean "not here" rather than "went wrong". */
static bool missing_or_refused(int err)
{
	return err == ENOENT || err == EACCES || err == EPERM || err == EROFS;
}

int sysctl_set(const char *name, const char *value, char **error)
{
	char path[SYSCTL_PATH_MAX];
	size_t len;
	ssize_t n;
	int fd, err;

	if (sysctl_path(name, path, sizeof(path), error) < 0)
		return STATUS_ERROR;
	if (!value)
		return error_set(error, "sysctl %s: no value", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		if (missing_or_refused(err))
			return error_skip(error, "sysctl %s: %s", name, strerror(err));
		return error_set(error, "sysctl %s: %s", name, strerror(err));
	}
	len = strlen(value);
	n = write(fd, value, len);
	err = errno;
	close(fd);
	if (n < 0 && missing_or_refused(err))
		return error_skip(error, "sysctl %s=%s: %s", name, value, strerror(err));
	if (n < 0)
		return error_set(error, "sysctl %s=%s: %s", name, value, strerror(err));
	if ((size_t)n != len)
		return error_set(error, "sysctl %s=%s: short write", name, value);
	return STATUS_OK;
}

int sysctl_get(const char *name, char *buf, size_t size, char **error)
{
	char path[SYSCTL_PATH_MAX];
	ssize_t n;
	int fd, err;

	if (sysctl_path(name, path, sizeof(path), error) < 0)
		return STATUS_ERROR;
	if (!buf || size == 0)
		return error_set(error, "sysctl %s: no room for the value", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error_set(error, "sysctl %s: %s", name, strerror(errno));
	n = read(fd, buf, size - 1);
	err = errno;
	close(fd);
	if (n < 0)
		return error_set(error, "sysctl %s: %s", name, strerror(err));
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return STATUS_OK;
}
