/* scratch.h - per-test scratch directories under /tmp, for the suites that run the tcpconf binary. */
#ifndef TCPCONF_TESTS_SCRATCH_H
#define TCPCONF_TESTS_SCRATCH_H

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCRATCH_PREFIX "/tmp/tcpconf-test-"

/* A new empty directory; the caller frees the path and removes the tree. */
static inline char *scratch_new(void)
{
	char *d = strdup(SCRATCH_PREFIX "XXXXXX");

	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_nonnull(mkdtemp(d));
	return d;
}

/* text into the file at path, created or truncated; the test fails if it cannot be written. */
static inline void scratch_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	fputs(text, f);
	ck_assert_msg(fclose(f) == 0, "%s: %s", path, strerror(errno));
}

/* The same for dir/name. */
static inline void scratch_write_in(const char *dir, const char *name, const char *text)
{
	char *path;

	ck_assert_int_ge(asprintf(&path, "%s/%s", dir, name), 0);
	scratch_write(path, text);
	free(path);
}

/* The whole file at path, NUL-terminated (the caller frees); the test
 * fails if it cannot be read. */
static inline char *scratch_read(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL, chunk[4096];
	size_t len = 0, n;

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	do {
		n = fread(chunk, 1, sizeof(chunk), f);
		buf = realloc(buf, len + n + 1);
		ck_assert_ptr_nonnull(buf);
		memcpy(buf + len, chunk, n);
		len += n;
	} while (n == sizeof(chunk));
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/* Remove a tree scratch_new() made; anything else is left alone. */
static inline void scratch_remove(const char *dir)
{
	char cmd[4200];

	if (strncmp(dir, SCRATCH_PREFIX, strlen(SCRATCH_PREFIX)) ||
	    strchr(dir, '\''))
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

#endif
