/* skip.h - the one gate for tests that cannot run here (most need root): such a test returns at once and the runner counts it. */
#ifndef TCPCONF_TESTS_SKIP_H
#define TCPCONF_TESTS_SKIP_H

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sandbox.h"

/*
 * Note that the running test stops here because of why (a short phrase,
 * copied) and return true.  file is the test's source file.  The note
 * outlives the test's forked child: check_main.c counts the notes and
 * prints the count just before Check's summary.
 */
bool test_skipped(const char *file, const char *why);

/*
 * Why this process cannot act as root here, or NULL once it can.  As an
 * ordinary user it enters a user namespace of its own, root inside, with
 * a network namespace of its own (netns_new() must be able to return to
 * the namespace it starts from, which the user namespace has to own):
 * that is privilege over what it creates and nothing of the host.
 */
static inline const char *test_become_root(void)
{
	char map[64];
	unsigned int uid = geteuid(), gid = getegid();
	const char *file[3] = { "/proc/self/setgroups", "/proc/self/uid_map", "/proc/self/gid_map" };
	const char *text[3] = { "deny", map, map + 32 };

	if (uid == 0)
		return NULL;
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
		return "need root or user namespaces";
	snprintf(map, 32, "0 %u 1\n", uid);
	snprintf(map + 32, 32, "0 %u 1\n", gid);
	for (int i = 0; i < 3; i++) {
		int fd = open(file[i], O_WRONLY | O_CLOEXEC);
		ssize_t n = fd < 0 ? -1 : write(fd, text[i], strlen(text[i]));

		if (fd >= 0)
			close(fd);
		if (n != (ssize_t)strlen(text[i]))
			return "cannot map root in a user namespace";
	}
	return NULL;
}

/* A root-only test starts with `if (SKIP_WITHOUT_ROOT()) return;`; as an
 * ordinary user it then runs as root of a user namespace (test_become_root). */
#define SKIP_WITHOUT_ROOT() SKIP_IF(test_become_root())

/* Why tcpconf cannot run cases here, or NULL: root can, and so can anyone
 * where user namespaces give each case a sandbox. */
static inline const char *test_no_sandbox(void)
{
	char *error = NULL;
	int rc = geteuid() == 0 ? 0 : sandbox_probe(&error);

	free(error);
	return rc < 0 ? "need root or user namespaces for the sandbox" : NULL;
}

/* A test that runs tcpconf itself starts with `if (SKIP_WITHOUT_SANDBOX()) return;`. */
#define SKIP_WITHOUT_SANDBOX() SKIP_IF(test_no_sandbox())

/* For a test that has root but finds the kernel lacking: SKIPPED(error). */
#define SKIPPED(why) test_skipped(__FILE__, (why))

/* The same for a helper that returns why it cannot run, or NULL when it can. */
#define SKIP_IF(why) test_skip_if(__FILE__, (why))

static inline bool test_skip_if(const char *file, const char *why)
{
	return why && test_skipped(file, why);
}

/* Why this process cannot have a network namespace of its own, or NULL once
 * it has one (as an ordinary user, in a user namespace of its own). */
static inline const char *test_enter_netns(void)
{
	if (geteuid() != 0)
		return test_become_root();
	return unshare(CLONE_NEWNET) < 0 ? "unshare(CLONE_NEWNET) failed" : NULL;
}

/*
 * A root test that must leave the host alone starts with
 * `if (SKIP_WITHOUT_NETNS()) return;`: its forked child then runs in a
 * network namespace of its own, which dies with it.
 */
#define SKIP_WITHOUT_NETNS() SKIP_IF(test_enter_netns())

/* Why lo of this process's namespace cannot be brought up, or NULL once it is
 * (a new namespace starts with lo down). */
static inline const char *test_lo_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc = -1;

	if (fd < 0)
		return "no AF_INET socket";
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return rc < 0 ? "cannot bring lo up" : NULL;
}

#endif
