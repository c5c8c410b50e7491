/* check_option.c - the option table: option_number, the command line and a script's option lines read alike, each value checked, the command line winning. */
#include <check.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "define.h"
#include "error.h"
#include "option.h"
#include "script.h"
#include "suites.h"

START_TEST(accepts_whole_numbers_within_bounds)
{
	static const struct { const char *arg; long long want; } ok[] = {
		{ "1", 1 }, { "1024", 1024 }, { "+7", 7 }, { "0010", 10 },
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		long long v = -1;
		char *error = NULL;

		ck_assert_msg(option_number("-j", ok[i].arg, 1, 1024, &v, &error) == STATUS_OK,
			      "%s: %s", ok[i].arg, error);
		ck_assert_int_eq(v, ok[i].want);
	}
}
END_TEST

START_TEST(refuses_everything_else)
{
	static const char *const bad[] = {
		"", "abc", "0", "-3", "1025", "2147483647", "99999999999999999999",
		"-99999999999999999999", "12abc", " 12", "12 ", "0x10", "1e3", "--5",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		long long v = 42;
		char *error = NULL, want[128];

		ck_assert_msg(option_number("-j", bad[i], 1, 1024, &v, &error) == STATUS_ERROR,
			      "'%s' accepted", bad[i]);
		snprintf(want, sizeof(want), "-j: expected an integer from 1 to 1024, found '%s'", bad[i]);
		ck_assert_str_eq(error, want);
		ck_assert_int_eq(v, 42);
		free(error);
	}
}
END_TEST

START_TEST(null_value_is_an_error)
{
	long long v;
	char *error = NULL;

	ck_assert_int_eq(option_number("-n", NULL, 1, 10, &v, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "-n: expected an integer from 1 to 10, found ''");
	free(error);
}
END_TEST

/* argv of `tcpconf run` (NULL-terminated list after "run"), read into *v. */
static int argv_read(struct option_values *v, char **error, ...)
{
	char *argv[32] = { "run" };
	int argc = 1, first;
	va_list ap;

	va_start(ap, error);
	for (char *a; (a = va_arg(ap, char *)) && argc < 31;)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	option_values_init(v);
	return option_parse_argv(argc, argv, v, &first, error);
}

START_TEST(command_line_values_are_read_by_kind)
{
	struct option_values v;
	char *error = NULL;

	ck_assert_int_eq(argv_read(&v, &error, "--ip_version=ipv4-mapped-ipv6",
				   "--tolerance_usecs", "7000", "--tolerance_percent=2.5",
				   "--tcp_ts_tick_usecs=1000", "--non_fatal=packet,syscall",
				   "--dry_run", "--send_omit_free", "--local_ip=192.168.0.1",
				   "--remote_ip=192.0.2.1/24", "--gateway_ip=fd3d:0a0b:17d6:8888::1",
				   "--netmask_ip=255.255.0.0", "--mtu=1520", "-j", "3", "-v",
				   "-D", "A=1", "-DB=2", "--define", "C=3", "--define=D=\"x\"",
				   "x.pkt", NULL), STATUS_OK);
	ck_assert_int_eq(v.ip_version, OPTION_IP_V4_MAPPED_V6);
	ck_assert_int_eq(v.tolerance_usecs, 7000);
	ck_assert(v.tolerance_percent == 2.5);
	ck_assert_int_eq(v.tcp_ts_tick_usecs, 1000);
	ck_assert(v.non_fatal_packet && v.non_fatal_syscall && v.dry_run && v.send_omit_free);
	ck_assert_int_eq(v.mtu, 1520);
	ck_assert_int_eq(v.jobs, 3);
	ck_assert(v.verbose);
	ck_assert_str_eq(define_list_get(v.defines, "A", 1, NULL), "1");
	ck_assert_str_eq(define_list_get(v.defines, "B", 1, NULL), "2");
	ck_assert_str_eq(define_list_get(v.defines, "C", 1, NULL), "3");
	ck_assert_str_eq(define_list_get(v.defines, "D", 1, NULL), "\"x\"");
	option_values_clear(&v);
}
END_TEST

START_TEST(command_line_refuses_bad_values_naming_the_option)
{
	static const char *const bad[][2] = {
		{ "--tolerance_usecs=abc", "--tolerance_usecs: expected an integer from 0 to 10000000, found 'abc'" },
		{ "--tolerance_percent=x", "--tolerance_percent: expected a number from 0 to 100, found 'x'" },
		{ "--tolerance_percent=100.5", "found '100.5'" },
		{ "--tcp_ts_tick_usecs=-1", "--tcp_ts_tick_usecs: expected an integer from 0 to 1000000, found '-1'" },
		{ "--ip_version=ipv5", "--ip_version: expected both, ipv4, ipv6 or ipv4-mapped-ipv6, found 'ipv5'" },
		{ "--non_fatal=packets", "--non_fatal: expected a list of packet or syscall, found 'packets'" },
		{ "--local_ip=192.168.0", "--local_ip: expected an IPv4 or IPv6 address, found '192.168.0'" },
		{ "--local_ip=10.0.0.1/8", "found '10.0.0.1/8'" },
		{ "--remote_ip=192.0.2.1/33", "--remote_ip: expected an IPv4 or IPv6 address (with an optional /prefix), found '192.0.2.1/33'" },
		{ "--netmask_ip=255.0.255.0", "--netmask_ip: expected an IPv4 netmask (255.255.0.0), found '255.0.255.0'" },
		{ "--mss=0", "--mss: expected an integer from 1 to 65495, found '0'" },
		{ "--gso=maybe", "--gso: expected on or off, found 'maybe'" },
		{ "--mtu=67", "--mtu: expected an integer from 68 to 65535, found '67'" },
		{ "-jabc", "-j: expected an integer from 1 to 1024, found 'abc'" },
		{ "-D1X=2", "-D: '1X=2': expected a NAME" },
		{ "-DX", "-D: 'X': expected NAME=VALUE" },
		{ "-DX=", "-D: 'X=': expected a value after '='" },
		{ "-Dack=1", "-D: 'ack=1': ack is a keyword of the script language" },
		{ "--dry_run=1", "--dry_run: takes no value" },
		{ "--tolerance_usecs", "--tolerance_usecs: expected a value" },
		{ "--no_such", "--no_such: unknown option" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct option_values v;
		char *error = NULL;

		ck_assert_msg(argv_read(&v, &error, bad[i][0], NULL) == STATUS_ERROR,
			      "%s accepted", bad[i][0]);
		ck_assert_msg(strstr(error, bad[i][1]), "%s: %s", bad[i][0], error);
		free(error);
		option_values_clear(&v);
	}
}
END_TEST

/* The values script text (with options cli) resolves to; *error on failure. */
static int resolve(const char *text, const struct option_values *cli,
		   struct option_values *out, char **error)
{
	struct script *s;
	int rc;

	if (script_parse("t.pkt", text, strlen(text), &s, error) < 0)
		return STATUS_ERROR;
	rc = option_resolve(s, cli, out, error);
	script_free(s);
	return rc;
}

START_TEST(script_lines_are_read_like_the_command_line)
{
	struct option_values v;
	char *error = NULL;

	ck_assert_int_eq(resolve("--tolerance_usecs=9000\n--tolerance_percent=0\n"
				 "--tcp_ts_tick_usecs=1000\n--ip_version=ipv6\n--non_fatal=packet\n"
				 "--strict_segments\n--tcp_ts_ecr_scaled // a comment\n"
				 "--local_ip=192.168.0.1\n--verbose\n0 close(3) = 0\n",
				 NULL, &v, &error), STATUS_OK);
	ck_assert_int_eq(v.tolerance_usecs, 9000);
	ck_assert(v.tolerance_percent == 0);
	ck_assert_int_eq(v.tcp_ts_tick_usecs, 1000);
	ck_assert_int_eq(v.ip_version, OPTION_IP_V6);
	ck_assert(v.non_fatal_packet && !v.non_fatal_syscall && v.strict_segments &&
		  v.tcp_ts_ecr_scaled);
	/* the defaults: packetdrill's */
	ck_assert_int_eq(resolve("0 close(3) = 0\n", NULL, &v, &error), STATUS_OK);
	ck_assert_int_eq(v.tolerance_usecs, 4000);
	ck_assert(v.tolerance_percent == 12.5);
	ck_assert_int_eq(v.tcp_ts_tick_usecs, 0);
	ck_assert_int_eq(v.ip_version, OPTION_IP_BOTH);
}
END_TEST

START_TEST(script_lines_refused_name_file_line_column)
{
	static const char *const bad[][2] = {
		{ "--tolerance_usecs=abc\n", "t.pkt:1:1: --tolerance_usecs: expected an integer from 0 to 10000000, found 'abc'" },
		{ "\n  --no_such=1\n", "t.pkt:2:3: unknown option --no_such" },
		{ "--jobs=3\n", "t.pkt:1:1: unknown option --jobs" },
		{ "--results=x\n", "t.pkt:1:1: unknown option --results" },
		{ "--dry_run=1\n", "t.pkt:1:1: --dry_run takes no value" },
		{ "--ip_version\n", "t.pkt:1:1: --ip_version: expected a value (--ip_version=...)" },
		{ "--tolerance_percent=-1\n", "t.pkt:1:1: --tolerance_percent: expected a number from 0 to 100, found '-1'" },
		{ "--netmask_ip=1.2.3.4\n", "t.pkt:1:1: --netmask_ip: expected an IPv4 netmask" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct option_values v;
		char *error = NULL, text[256];

		snprintf(text, sizeof(text), "%s0 close(3) = 0\n", bad[i][0]);
		ck_assert_msg(resolve(text, NULL, &v, &error) == STATUS_ERROR, "%s accepted", text);
		ck_assert_msg(strstr(error, bad[i][1]), "%s: %s", text, error);
		free(error);
	}
}
END_TEST

/* packetdrill reads the script's options, then the command line's again: the command line wins. */
START_TEST(command_line_wins_over_the_script)
{
	struct option_values cli, v;
	char *error = NULL;

	ck_assert_int_eq(argv_read(&cli, &error, "--tolerance_usecs=5000", "--ip_version=ipv4",
				   "--tcp_ts_tick_usecs=0", "x.pkt", NULL), STATUS_OK);
	ck_assert_int_eq(resolve("--tolerance_usecs=9000\n--ip_version=ipv6\n"
				 "--tcp_ts_tick_usecs=1000\n--tolerance_percent=1\n0 close(3) = 0\n",
				 &cli, &v, &error), STATUS_OK);
	ck_assert_int_eq(v.tolerance_usecs, 5000);
	ck_assert_int_eq(v.ip_version, OPTION_IP_V4);
	ck_assert_int_eq(v.tcp_ts_tick_usecs, 0);
	ck_assert(v.tolerance_percent == 1);	/* not on the command line: the script's */
	option_values_clear(&cli);
}
END_TEST

START_TEST(families_follow_the_ip_version)
{
	struct option_values v;
	int fam[2];

	option_values_init(&v);
	ck_assert_int_eq(option_families(&v, fam), 2);
	ck_assert(fam[0] == AF_INET && fam[1] == AF_INET6);
	v.ip_version = OPTION_IP_V6;
	ck_assert_int_eq(option_families(&v, fam), 1);
	ck_assert_int_eq(fam[0], AF_INET6);
	v.ip_version = OPTION_IP_V4_MAPPED_V6;	/* IPv4 on the wire */
	ck_assert_int_eq(option_families(&v, fam), 1);
	ck_assert_int_eq(fam[0], AF_INET);
}
END_TEST

Suite *option_suite(void)
{
	Suite *s = suite_create("option");
	TCase *tc = tcase_create("number");

	tcase_add_test(tc, accepts_whole_numbers_within_bounds);
	tcase_add_test(tc, refuses_everything_else);
	tcase_add_test(tc, null_value_is_an_error);
	suite_add_tcase(s, tc);
	tc = tcase_create("table");
	tcase_add_test(tc, command_line_values_are_read_by_kind);
	tcase_add_test(tc, command_line_refuses_bad_values_naming_the_option);
	tcase_add_test(tc, script_lines_are_read_like_the_command_line);
	tcase_add_test(tc, script_lines_refused_name_file_line_column);
	tcase_add_test(tc, command_line_wins_over_the_script);
	tcase_add_test(tc, families_follow_the_ip_version);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, option_run_tcase());
	return s;
}
