/*
 * output.c - see output.h.
 *
 * The runner often runs as root in directories others can write to, so a
 * name the run derives (results.jsonl.tmp) must never be opened without
 * O_EXCL: a link planted there would make root overwrite whatever it
 * points at.  And an output given as /dev/stdout or a FIFO is a stream a
 * reader is waiting on: replacing it by rename would turn the device node
 * into a regular file and the reader would see nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "output.h"

/* Names that mean a descriptor this process already holds. */
static const struct {
	const char *name;
	int fd;			/* -1: the number follows the name */
} fd_names[] = {
	{ "-", STDOUT_FILENO },
	{ "/dev/stdout", STDOUT_FILENO },
	{ "/dev/stderr", STDERR_FILENO },
	{ "/dev/fd/", -1 },
	{ "/proc/self/fd/", -1 },
};

/* The descriptor path names, or -1 when it names a file. */
static int named_fd(const char *path)
{
	for (size_t i = 0; i < sizeof(fd_names) / sizeof(fd_names[0]); i++) {
		size_t n = strlen(fd_names[i].name);
		char *end;
		long fd;

		if (fd_names[i].fd >= 0) {
			if (!strcmp(path, fd_names[i].name))
				return fd_names[i].fd;
			continue;
		}
		if (strncmp(path, fd_names[i].name, n) || path[n] < '0' || path[n] > '9')
			continue;
		errno = 0;
		fd = strtol(path + n, &end, 10);
		if (!*end && !errno && fd <= INT_MAX)
			return (int)fd;
	}
	return -1;
}

int output_named_fd(const char *path)
{
	return named_fd(path);
}

bool output_is_stdout(const char *path)
{
	return named_fd(path) == STDOUT_FILENO;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		buf += w;
		len -= w;
	}
	return 0;
}

/* A stream or device: written where it is, never created or truncated. */
static int write_in_place(const char *path, int fd, const char *buf, size_t len,
			  char **error)
{
	int own = fd < 0, rc;

	if (own)
		fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || (!own && fcntl(fd, F_GETFD) < 0))
		return error_set(error, "%s: %s", path, strerror(errno));
	rc = write_all(fd, buf, len);
	if (rc < 0)
		error_set(error, "%s: %s", path, strerror(errno));
	if (own && close(fd) < 0 && rc == 0)
		rc = error_set(error, "%s: %s", path, strerror(errno));
	return rc < 0 ? STATUS_ERROR : STATUS_OK;
}

/*
 * target replaced whole: a fresh temporary beside it (so rename stays in
 * one file system), with the old file's mode and owner when there was one.
 */
static int replace(const char *target, const struct stat *old, const char *buf,
		   size_t len, char **error)
{
	const char *slash = strrchr(target, '/');
	int dirlen = slash ? (int)(slash - target) + 1 : 0, fd, saved;
	mode_t mask = umask(0);
	char *tmp;

	umask(mask);
	if (asprintf(&tmp, "%.*s.%s.XXXXXX", dirlen, target, target + dirlen) < 0)
		return error_set(error, "out of memory");
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		error_set(error, "%s: %s", target, strerror(errno));
		free(tmp);
		return STATUS_ERROR;
	}
	/* not root (EPERM): the file becomes ours, as any rewrite would make it */
	if (old && fchown(fd, old->st_uid, old->st_gid) < 0 && errno != EPERM)
		goto fail;
	if (fchmod(fd, old ? old->st_mode & 07777 & ~(S_ISUID | S_ISGID) : 0666 & ~mask) < 0 ||
	    write_all(fd, buf, len) < 0 || (fsync(fd) < 0 && errno != EINVAL))
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, target) < 0)
		goto fail;
	free(tmp);
	return STATUS_OK;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return error_set(error, "%s: %s", target, strerror(saved));
}

int output_write(const char *path, const char *buf, size_t len, char **error)
{
	struct stat sb, lsb;
	char *real;
	int fd = named_fd(path), rc;

	if (fd >= 0)
		return write_in_place(path, fd, buf, len, error);
	if (stat(path, &sb) < 0) {
		if (errno != ENOENT)
			return error_set(error, "%s: %s", path, strerror(errno));
		if (lstat(path, &lsb) == 0)
			return error_set(error, "%s: a symbolic link to nothing", path);
		return replace(path, NULL, buf, len, error);
	}
	if (S_ISDIR(sb.st_mode))
		return error_set(error, "%s: %s", path, strerror(EISDIR));
	if (!S_ISREG(sb.st_mode))
		return write_in_place(path, -1, buf, len, error);
	if (lstat(path, &lsb) == 0 && !S_ISLNK(lsb.st_mode))
		return replace(path, &sb, buf, len, error);
	/* a link: the file it leads to is replaced, the link stays */
	real = realpath(path, NULL);
	if (!real)
		return error_set(error, "%s: %s", path, strerror(errno));
	rc = replace(real, &sb, buf, len, error);
	if (rc < 0)
		error_prefix(error, "%s", path);
	free(real);
	return rc;
}
