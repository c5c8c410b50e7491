/* check_option.c - option_number: a whole decimal integer within bounds, everything else an error naming the option. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "option.h"
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

Suite *option_suite(void)
{
	Suite *s = suite_create("option");
	TCase *tc = tcase_create("number");

	tcase_add_test(tc, accepts_whole_numbers_within_bounds);
	tcase_add_test(tc, refuses_everything_else);
	tcase_add_test(tc, null_value_is_an_error);
	suite_add_tcase(s, tc);
	return s;
}
