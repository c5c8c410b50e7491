/* skip.h - the one gate for tests that cannot run here (most need root): such a test returns at once and the runner counts it. */
#ifndef TCPCONF_TESTS_SKIP_H
#define TCPCONF_TESTS_SKIP_H

#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/*
 * Note that the running test stops here because of why (a short phrase,
 * copied) and return true.  file is the test's source file.  The note
 * outlives the test's forked child: check_main.c counts the notes and
 * prints the count just before Check's summary.
 */
bool test_skipped(const char *file, const char *why);

/* A root-only test starts with `if (SKIP_WITHOUT_ROOT()) return;`. */
#define SKIP_WITHOUT_ROOT() (geteuid() != 0 && test_skipped(__FILE__, "need root"))

/* For a test that has root but finds the kernel lacking: SKIPPED(error). */
#define SKIPPED(why) test_skipped(__FILE__, (why))

/* The same for a helper that returns why it cannot run, or NULL when it can. */
#define SKIP_IF(why) test_skip_if(__FILE__, (why))

static inline bool test_skip_if(const char *file, const char *why)
{
	return why && test_skipped(file, why);
}

/* Why this process cannot have a network namespace of its own, or NULL once it has one. */
static inline const char *test_enter_netns(void)
{
	return unshare(CLONE_NEWNET) < 0 ? "unshare(CLONE_NEWNET) failed" : NULL;
}

/*
 * A root test that must leave the host alone starts with
 * `if (SKIP_WITHOUT_NETNS()) return;`: its forked child then runs in a
 * network namespace of its own, which dies with it.
 */
#define SKIP_WITHOUT_NETNS() (SKIP_WITHOUT_ROOT() || SKIP_IF(test_enter_netns()))

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
