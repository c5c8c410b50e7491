/*
 * version.c - see version.h.  The Makefile compiles this one file with
 * TCPCONF_COMMIT set from `git describe`, and rebuilds it when the commit
 * changes; a build outside git leaves it empty.
 */
#include <stddef.h>

#include "run.h"
#include "version.h"

#ifndef TCPCONF_COMMIT
#define TCPCONF_COMMIT ""
#endif

static const char commit[] = TCPCONF_COMMIT;

const char *version_string(void)
{
	return commit[0] ? TCPCONF_VERSION " (git " TCPCONF_COMMIT ")" :
			   TCPCONF_VERSION " (not built from git)";
}

const char *version_commit(void)
{
	return commit[0] ? commit : NULL;
}
