/* check_sysctl.c - net.* sysctls by dotted name: names refused before anything is opened, values read and written in the current namespace only. */
#include <check.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "skip.h"
#include "suites.h"
#include "sysctl.h"

/* Every network namespace has its own copy of these. */
#define FIN_TIMEOUT	"net.ipv4.tcp_fin_timeout"
#define RMEM		"net.ipv4.tcp_rmem"

START_TEST(names_outside_net_are_refused_naming_the_rule)
{
	static const char *const bad[] = {
		"kernel.hostname", "vm.swappiness", "net", "net.", "netfoo.bar",
		"net.ipv4/../../kernel/hostname", "net.ipv4..tcp_fin_timeout",
		"net.ipv4.", "", NULL,
	};
	char buf[16];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *error = NULL;

		ck_assert_int_eq(sysctl_check_name(bad[i], NULL), STATUS_ERROR);
		ck_assert_msg(!sysctl_exists(bad[i]), "'%s' exists", bad[i]);
		ck_assert_int_eq(sysctl_set(bad[i], "1", &error), STATUS_ERROR);
		ck_assert_ptr_nonnull(error);
		free(error);
		error = NULL;
		ck_assert_int_eq(sysctl_get(bad[i], buf, sizeof(buf), &error), STATUS_ERROR);
		ck_assert_ptr_nonnull(error);
		free(error);
	}
}
END_TEST

START_TEST(refusal_message_names_the_sysctl_and_the_rule)
{
	char *error = NULL;

	ck_assert_int_eq(sysctl_set("kernel.hostname", "x", &error), STATUS_ERROR);
	ck_assert_str_eq(error, "sysctl 'kernel.hostname': only net.* names are allowed");
	free(error);
	error = NULL;
	ck_assert_int_eq(sysctl_check_name("net.ipv4..x", &error), STATUS_ERROR);
	ck_assert_str_eq(error, "sysctl 'net.ipv4..x': malformed name");
	free(error);
}
END_TEST

/* A net.* name that acts on the whole host is refused before any write. */
START_TEST(host_wide_net_names_are_refused)
{
	char *error = NULL;

	ck_assert_int_eq(sysctl_set("net.netfilter.nf_hooks_lwtunnel", "1", &error),
			 STATUS_ERROR);
	ck_assert_str_eq(error, "sysctl 'net.netfilter.nf_hooks_lwtunnel': acts on "
			 "the whole host, not the test namespace");
	free(error);
	ck_assert(!sysctl_exists("net.netfilter.nf_hooks_lwtunnel"));
}
END_TEST

START_TEST(get_reads_without_privilege_and_drops_the_newline)
{
	char buf[64], raw[64] = "";
	char *error = NULL;
	FILE *f = fopen("/proc/sys/net/ipv4/tcp_fin_timeout", "r");

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(raw, sizeof(raw), f));
	fclose(f);
	raw[strcspn(raw, "\n")] = '\0';
	ck_assert_msg(sysctl_get(FIN_TIMEOUT, buf, sizeof(buf), &error) == STATUS_OK, "%s", error);
	ck_assert_str_eq(buf, raw);
	ck_assert(sysctl_exists(FIN_TIMEOUT));
}
END_TEST

START_TEST(get_truncates_to_the_buffer_and_refuses_none)
{
	char buf[3], *error = NULL;

	ck_assert_int_eq(sysctl_get(RMEM, buf, sizeof(buf), &error), STATUS_OK);
	ck_assert_uint_eq(strlen(buf), 2);
	ck_assert_int_eq(sysctl_get(RMEM, buf, 0, &error), STATUS_ERROR);
	ck_assert_ptr_nonnull(strstr(error, RMEM));
	free(error);
}
END_TEST

START_TEST(unknown_sysctl_is_missing_not_a_fault)
{
	char buf[16], *error = NULL;

	ck_assert(!sysctl_exists("net.ipv4.no_such_knob"));
	ck_assert_int_eq(sysctl_get("net.ipv4.no_such_knob", buf, sizeof(buf), &error),
			 STATUS_ERROR);
	ck_assert_ptr_nonnull(strstr(error, "net.ipv4.no_such_knob"));
	free(error);
	error = NULL;
	/* a write to it is a missing feature: the caller may skip */
	ck_assert_int_eq(sysctl_set("net.ipv4.no_such_knob", "1", &error), STATUS_SKIP);
	ck_assert_str_eq(error, "sysctl net.ipv4.no_such_knob: No such file or directory");
	free(error);
}
END_TEST

START_TEST(set_then_get_in_an_unshared_namespace)
{
	char before[64], after[64], *error = NULL;
	const char *value;

	if (SKIP_WITHOUT_NETNS())
		return;
	ck_assert_int_eq(sysctl_get(FIN_TIMEOUT, before, sizeof(before), NULL), STATUS_OK);
	value = strcmp(before, "17") ? "17" : "18";
	ck_assert_msg(sysctl_set(FIN_TIMEOUT, value, &error) == STATUS_OK, "%s", error);
	ck_assert_int_eq(sysctl_get(FIN_TIMEOUT, after, sizeof(after), NULL), STATUS_OK);
	ck_assert_str_eq(after, value);
}
END_TEST

START_TEST(a_value_of_several_words_is_one_write)
{
	char got[64], *error = NULL;

	if (SKIP_WITHOUT_NETNS())
		return;
	ck_assert_msg(sysctl_set(RMEM, "4096 131072 6291456", &error) == STATUS_OK, "%s", error);
	ck_assert_int_eq(sysctl_get(RMEM, got, sizeof(got), NULL), STATUS_OK);
	ck_assert_str_eq(got, "4096\t131072\t6291456");
}
END_TEST

START_TEST(a_value_the_kernel_refuses_is_an_error_naming_it)
{
	char *error = NULL;

	if (SKIP_WITHOUT_NETNS())
		return;
	ck_assert_int_eq(sysctl_set(FIN_TIMEOUT, "not-a-number", &error), STATUS_ERROR);
	ck_assert_str_eq(error, "sysctl net.ipv4.tcp_fin_timeout=not-a-number: Invalid argument");
	free(error);
	error = NULL;
	ck_assert_int_eq(sysctl_set(FIN_TIMEOUT, NULL, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "sysctl net.ipv4.tcp_fin_timeout: no value");
	free(error);
}
END_TEST

Suite *sysctl_suite(void)
{
	Suite *s = suite_create("sysctl");
	TCase *names = tcase_create("names");
	TCase *root = tcase_create("root");

	tcase_add_test(names, names_outside_net_are_refused_naming_the_rule);
	tcase_add_test(names, refusal_message_names_the_sysctl_and_the_rule);
	tcase_add_test(names, host_wide_net_names_are_refused);
	tcase_add_test(names, get_reads_without_privilege_and_drops_the_newline);
	tcase_add_test(names, get_truncates_to_the_buffer_and_refuses_none);
	tcase_add_test(names, unknown_sysctl_is_missing_not_a_fault);
	suite_add_tcase(s, names);

	tcase_add_test(root, set_then_get_in_an_unshared_namespace);
	tcase_add_test(root, a_value_of_several_words_is_one_write);
	tcase_add_test(root, a_value_the_kernel_refuses_is_an_error_naming_it);
	suite_add_tcase(s, root);
	return s;
}
