/* check_netns.c - anonymous namespaces: separate from each other and from ours, sysctls confined to one, and the thread always comes home. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "netns.h"
#include "skip.h"
#include "suites.h"

/* A sysctl every network namespace has its own copy of. */
#define SYSCTL_NAME	"net.ipv4.tcp_fin_timeout"
#define SYSCTL_PATH	"/proc/sys/net/ipv4/tcp_fin_timeout"

/* A new namespace, or NULL when this machine cannot make one (skip). */
static struct netns *new_ns(void)
{
	struct netns *ns = NULL;
	char *error = NULL;
	int rc = netns_new(&ns, &error);

	if (rc == STATUS_SKIP) {
		SKIPPED(error);
		free(error);
		return NULL;
	}
	ck_assert_msg(rc == STATUS_OK, "netns_new: %s", error);
	ck_assert_ptr_nonnull(ns);
	return ns;
}

static ino_t fd_inode(int fd)
{
	struct stat st;

	ck_assert_int_eq(fstat(fd, &st), 0);
	return st.st_ino;
}

static ino_t current_inode(void)
{
	struct stat st;

	ck_assert_int_eq(stat("/proc/thread-self/ns/net", &st), 0);
	return st.st_ino;
}

/* Read the current namespace's value directly: never written, only compared. */
static void read_here(char *buf, size_t size)
{
	FILE *f = fopen(SYSCTL_PATH, "r");

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, (int)size, f));
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

START_TEST(sysctl_names_outside_net_are_rejected)
{
	/* The name is checked before the namespace is looked at, so no
	 * namespace (and no privilege) is needed to see the refusal. */
	static const char *const bad[] = {
		"kernel.hostname", "vm.swappiness", "net", "net.", "netfoo.bar",
		"net.ipv4/../../kernel/hostname", "net.ipv4..tcp_fin_timeout",
		"net.ipv4.", "",
	};
	char buf[16];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *error = NULL;

		ck_assert_msg(netns_sysctl_set(NULL, bad[i], "1", &error) == STATUS_ERROR,
			      "set '%s' accepted", bad[i]);
		ck_assert_ptr_nonnull(error);
		free(error);
		error = NULL;
		ck_assert_msg(netns_sysctl_get(NULL, bad[i], buf, sizeof(buf), &error) == STATUS_ERROR,
			      "get '%s' accepted", bad[i]);
		ck_assert_ptr_nonnull(error);
		free(error);
	}
}
END_TEST

START_TEST(sysctl_error_names_the_rule)
{
	char *error = NULL;

	netns_sysctl_set(NULL, "kernel.hostname", "x", &error);
	ck_assert_ptr_nonnull(strstr(error, "kernel.hostname"));
	ck_assert_ptr_nonnull(strstr(error, "net.*"));
	free(error);
}
END_TEST

START_TEST(new_namespaces_are_distinct_and_leave_us_where_we_were)
{
	struct netns *a, *b;
	ino_t home;

	if (SKIP_WITHOUT_ROOT())
		return;
	home = current_inode();
	if (!(a = new_ns()))
		return;
	b = new_ns();
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(current_inode(), home);
	ck_assert_uint_ne(fd_inode(netns_fd(a)), home);
	ck_assert_uint_ne(fd_inode(netns_fd(b)), home);
	ck_assert_uint_ne(fd_inode(netns_fd(a)), fd_inode(netns_fd(b)));
	netns_free(a);
	netns_free(b);
	netns_free(NULL);
}
END_TEST

START_TEST(sysctl_set_in_one_namespace_is_seen_only_there)
{
	char here_before[32], here_after[32], a_val[32], b_before[32], b_after[32];
	const char *value;
	struct netns *a, *b;
	char *error = NULL;

	if (SKIP_WITHOUT_ROOT() || !(a = new_ns()))
		return;
	b = new_ns();
	read_here(here_before, sizeof(here_before));
	ck_assert_msg(netns_sysctl_get(b, SYSCTL_NAME, b_before, sizeof(b_before), &error) == 0,
		      "%s", error);
	value = strcmp(b_before, "17") ? "17" : "18";

	ck_assert_msg(netns_sysctl_set(a, SYSCTL_NAME, value, &error) == 0, "%s", error);
	ck_assert_msg(netns_sysctl_get(a, SYSCTL_NAME, a_val, sizeof(a_val), &error) == 0,
		      "%s", error);
	ck_assert_str_eq(a_val, value);		/* newline stripped too */
	ck_assert_msg(netns_sysctl_get(b, SYSCTL_NAME, b_after, sizeof(b_after), &error) == 0,
		      "%s", error);
	ck_assert_str_eq(b_after, b_before);
	read_here(here_after, sizeof(here_after));
	ck_assert_str_eq(here_after, here_before);
	netns_free(a);
	netns_free(b);
}
END_TEST

START_TEST(sysctl_unknown_name_is_an_error)
{
	struct netns *a;
	char buf[16], *error = NULL;

	if (SKIP_WITHOUT_ROOT() || !(a = new_ns()))
		return;
	ck_assert_int_eq(netns_sysctl_get(a, "net.ipv4.no_such_knob", buf, sizeof(buf), &error),
			 STATUS_ERROR);
	ck_assert_ptr_nonnull(strstr(error, "net.ipv4.no_such_knob"));
	free(error);
	netns_free(a);
}
END_TEST

struct where {
	ino_t seen;
};

static int note_namespace(void *arg, char **error)
{
	struct where *w = arg;
	struct stat st;

	if (stat("/proc/thread-self/ns/net", &st) < 0)
		return error_set(error, "stat");
	w->seen = st.st_ino;
	return error_skip(error, "passed through");
}

START_TEST(run_calls_fn_inside_and_returns_its_result)
{
	struct where w = { 0 };
	struct netns *a;
	char *error = NULL;
	ino_t home;

	if (SKIP_WITHOUT_ROOT() || !(a = new_ns()))
		return;
	home = current_inode();
	ck_assert_int_eq(netns_run(a, note_namespace, &w, &error), STATUS_SKIP);
	ck_assert_str_eq(error, "passed through");
	ck_assert_uint_eq(w.seen, fd_inode(netns_fd(a)));
	ck_assert_uint_eq(current_inode(), home);
	free(error);
	netns_free(a);
}
END_TEST

START_TEST(enter_moves_the_thread)
{
	struct netns *a;
	char *error = NULL;

	if (SKIP_WITHOUT_ROOT() || !(a = new_ns()))
		return;
	/* Check runs each test in a child process: the move dies with it. */
	ck_assert_msg(netns_enter(a, &error) == 0, "%s", error);
	ck_assert_uint_eq(current_inode(), fd_inode(netns_fd(a)));
	netns_free(a);
}
END_TEST

START_TEST(freed_namespaces_leave_no_descriptor)
{
	struct netns *a;
	int before, after;

	if (SKIP_WITHOUT_ROOT())
		return;
	before = dup(0);
	close(before);
	if (!(a = new_ns()))
		return;
	netns_free(a);
	after = dup(0);
	close(after);
	ck_assert_int_eq(after, before);
}
END_TEST

Suite *netns_suite(void)
{
	Suite *s = suite_create("netns");
	TCase *names = tcase_create("names");
	TCase *root = tcase_create("root");

	tcase_add_test(names, sysctl_names_outside_net_are_rejected);
	tcase_add_test(names, sysctl_error_names_the_rule);
	suite_add_tcase(s, names);

	tcase_set_timeout(root, 10);
	tcase_add_test(root, new_namespaces_are_distinct_and_leave_us_where_we_were);
	tcase_add_test(root, sysctl_set_in_one_namespace_is_seen_only_there);
	tcase_add_test(root, sysctl_unknown_name_is_an_error);
	tcase_add_test(root, run_calls_fn_inside_and_returns_its_result);
	tcase_add_test(root, enter_moves_the_thread);
	tcase_add_test(root, freed_namespaces_leave_no_descriptor);
	suite_add_tcase(s, root);
	return s;
}
