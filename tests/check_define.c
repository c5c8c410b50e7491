/* check_define.c - -D definitions: NAME=VALUE checked, kept, looked up, the command line's winning over a script's. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "define.h"
#include "error.h"
#include "suites.h"

START_TEST(definitions_are_checked)
{
	static const char *const bad[][2] = {
		{ "X", "'X': expected NAME=VALUE" },
		{ "=1", "'=1': expected a NAME" },
		{ "1X=1", "'1X=1': expected a NAME" },
		{ "A-B=1", "'A-B=1': expected a NAME" },
		{ "X=", "'X=': expected a value after '='" },
		{ "X=a\nb", "'X=...': a value may not hold a line break" },
		{ "mss=1", "'mss=1': mss is a keyword of the script language, which packetdrill never replaces" },
	};
	size_t n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *error = NULL;

		ck_assert_int_eq(define_check(bad[i][0], &n, &error), STATUS_ERROR);
		ck_assert_msg(strstr(error, bad[i][1]), "%s: %s", bad[i][0], error);
		free(error);
	}
	ck_assert_int_eq(define_check("TFO_COOKIE=3021b9d889017eeb", &n, NULL), STATUS_OK);
	ck_assert_uint_eq(n, 10);
	ck_assert_int_eq(define_check("_x1=a=b", &n, NULL), STATUS_OK);
}
END_TEST

START_TEST(later_wins_unless_kept)
{
	struct define_list *d = define_list_new(), *c;
	const char *name = NULL;

	ck_assert_int_eq(define_list_set(d, "A=1", false, NULL), STATUS_OK);
	ck_assert_int_eq(define_list_set(d, "A=2", false, NULL), STATUS_OK);
	ck_assert_str_eq(define_list_get(d, "A", 1, &name), "2");
	ck_assert_str_eq(name, "A");
	/* a script's --define after the command line's -D: the command line's stays */
	ck_assert_int_eq(define_list_set(d, "A=3", true, NULL), STATUS_OK);
	ck_assert_str_eq(define_list_get(d, "AB", 1, NULL), "2");
	ck_assert_ptr_null(define_list_get(d, "AB", 2, NULL));
	c = define_list_copy(d);
	ck_assert_int_eq(define_list_set(c, "B=x y", false, NULL), STATUS_OK);
	ck_assert_uint_eq(define_list_count(c), 2);
	ck_assert_uint_eq(define_list_count(d), 1);
	ck_assert_uint_eq(define_list_count(NULL), 0);
	define_list_free(c);
	define_list_free(d);
}
END_TEST

Suite *define_suite(void)
{
	Suite *s = suite_create("define");
	TCase *tc = tcase_create("list");

	tcase_add_test(tc, definitions_are_checked);
	tcase_add_test(tc, later_wins_unless_kept);
	suite_add_tcase(s, tc);
	return s;
}
