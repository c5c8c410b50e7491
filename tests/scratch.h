/* scratch.h - per-test scratch directories under /tmp, for the suites that run the tcpconf binary. */
#ifndef TCPCONF_TESTS_SCRATCH_H
#define TCPCONF_TESTS_SCRATCH_H

#include <check.h>
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
