/* check_array.c - the doubling rule of array_room(). */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "array.h"
#include "suites.h"

START_TEST(room_doubles_from_first)
{
	int *v = NULL;
	size_t n = 0, cap = 0;

	for (int i = 0; i < 100; i++) {
		int *w = array_room(v, n, &cap, sizeof(*v), 8);

		ck_assert_ptr_nonnull(w);
		v = w;
		v[n++] = i;
		/* 8, 16, 32, 64, 128: never less than needed, never more than twice */
		ck_assert_uint_ge(cap, n);
		ck_assert(cap == 8 || cap < 2 * n);
	}
	ck_assert_uint_eq(cap, 128);
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(v[i], i);
	free(v);
}
END_TEST

START_TEST(room_left_is_the_same_array)
{
	int *v = malloc(4 * sizeof(*v));
	size_t cap = 4;

	ck_assert_ptr_nonnull(v);
	ck_assert_ptr_eq(array_room(v, 3, &cap, sizeof(*v), 8), v);
	ck_assert_uint_eq(cap, 4);
	free(v);
}
END_TEST

START_TEST(overflow_leaves_the_array_alone)
{
	char *v = malloc(1);
	size_t cap = SIZE_MAX / 16 + 1;

	ck_assert_ptr_nonnull(v);
	/* twice cap elements of 8 bytes would pass SIZE_MAX */
	ck_assert_ptr_null(array_room(v, cap, &cap, 8, 8));
	ck_assert_uint_eq(cap, SIZE_MAX / 16 + 1);
	/* a cap that doubles past SIZE_MAX wraps: refused too */
	cap = SIZE_MAX / 2 + 1;
	ck_assert_ptr_null(array_room(v, cap, &cap, 1, 8));
	ck_assert_uint_eq(cap, SIZE_MAX / 2 + 1);
	free(v);
}
END_TEST

Suite *array_suite(void)
{
	Suite *s = suite_create("array");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, room_doubles_from_first);
	tcase_add_test(tc, room_left_is_the_same_array);
	tcase_add_test(tc, overflow_leaves_the_array_alone);
	suite_add_tcase(s, tc);
	return s;
}
