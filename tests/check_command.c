/* check_command.c - sysctl command lines told from shell commands and split into settings without a shell; no root needed. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "error.h"
#include "suites.h"

/* Records every setting as "name=value;" and fails the one named "net.fail". */
static int record(const char *name, const char *value, void *arg, char **error)
{
	char *log = arg;

	if (!strcmp(name, "net.fail"))
		return error_set(error, "Permission denied");
	snprintf(log + strlen(log), 256 - strlen(log), "%s=%s;", name, value);
	return 0;
}

START_TEST(settings_are_applied_in_order_unquoted)
{
	char log[256] = "";
	char *error = NULL;

	ck_assert_int_eq(command_sysctl("sysctl -q net.ipv4.tcp_rmem=\"4096 131072 6291456\" "
					"-w 'net.core.x'=1", record, log, &error), 0);
	ck_assert_str_eq(log, "net.ipv4.tcp_rmem=4096 131072 6291456;net.core.x=1;");
	ck_assert_ptr_null(error);
	/* checking only: nothing is set */
	log[0] = '\0';
	ck_assert_int_eq(command_sysctl("sysctl net.a=1", NULL, log, &error), 0);
	ck_assert_str_eq(log, "");
}
END_TEST

static const struct {
	const char *text;
	int status;
	const char *message;
	const char *log;		/* what was set before it stopped */
} bad[] = {
	{ "ip link set lo up", STATUS_SKIP,
	  "shell commands are not run; only `sysctl name=value` is supported", "" },
	{ "", STATUS_SKIP,
	  "shell commands are not run; only `sysctl name=value` is supported", "" },
	{ "sysctl kernel.hz=1", STATUS_SKIP,
	  "only `sysctl net.*=value` commands are supported", "" },
	{ "sysctl net.a=1 -p", STATUS_SKIP,
	  "only `sysctl net.*=value` commands are supported", "net.a=1;" },
	{ "sysctl -q", STATUS_SKIP, "sysctl command without name=value", "" },
	{ "sysctl net.a=1 net.fail=2 net.b=3", STATUS_ERROR,
	  "sysctl net.fail: Permission denied", "net.a=1;" },
	/* an empty value would write "" to the kernel (issue #9) */
	{ "sysctl -w net.ipv4.tcp_sack=", STATUS_ERROR,
	  "sysctl net.ipv4.tcp_sack: expected a value after '=', found nothing", "" },
	{ "sysctl net.a=1 net.b=\"\" net.c=3", STATUS_ERROR,
	  "sysctl net.b: expected a value after '=', found nothing", "net.a=1;" },
	{ "sysctl net.a=\"1 2", STATUS_ERROR,
	  "sysctl command with an unterminated quote", "" },
};

START_TEST(commands_we_do_not_run_say_why)
{
	char log[256] = "";
	char *error = NULL;

	ck_assert_int_eq(command_sysctl(bad[_i].text, record, log, &error),
			 bad[_i].status);
	ck_assert_str_eq(error, bad[_i].message);
	ck_assert_str_eq(log, bad[_i].log);
	free(error);
}
END_TEST

/* Which lines are set here and which go to sh (shell.h). */
static const struct {
	const char *text;
	bool native;
} kinds[] = {
	{ "sysctl -q net.ipv4.tcp_sack=0", true },
	{ "sysctl -w net.a=1 'net.b'=\"2 3\"", true },
	{ "sysctl net.a=\"1 2", true },		/* its quote error is ours to name */
	{ "sysctl -q net.ipv4.tcp_rmem=\"4096 540000 $((15*1024*1024))\"", false },
	{ "sysctl -q net.ipv4.tcp_notsent_lowat=4294967295 > /dev/null 2>&1", false },
	{ "sysctl -q net.a=1; sysctl -q net.b=2", false },
	{ "sysctl -q net.a=1\nsysctl -q net.b=2", false },
	{ "sysctl net.a=`cat x`", false },
	{ "sysctl net.a=\\1", false },
	{ "sysctl net.a=*", false },
	{ "sysctl kernel.hz=1", false },
	{ "sysctl -e net.a=1", false },
	{ "sysctl -n net.ipv4.tcp_sack", false },
	{ "../common/defaults.sh", false },
	{ "./defaults.sh", false },
	{ "", false },
};

START_TEST(sysctl_lines_without_shell_syntax_are_native)
{
	ck_assert_msg(command_is_sysctl(kinds[_i].text) == kinds[_i].native, "%s",
		      kinds[_i].text);
}
END_TEST

Suite *command_suite(void)
{
	Suite *s = suite_create("command");
	TCase *tc = tcase_create("sysctl");

	tcase_add_test(tc, settings_are_applied_in_order_unquoted);
	tcase_add_loop_test(tc, commands_we_do_not_run_say_why, 0,
			    sizeof(bad) / sizeof(bad[0]));
	tcase_add_loop_test(tc, sysctl_lines_without_shell_syntax_are_native, 0,
			    sizeof(kinds) / sizeof(kinds[0]));
	suite_add_tcase(s, tc);
	return s;
}
