/* check_timeline.c - reading a script time on a run's live clock: the drift of the events at that script time, or of the last ones before it. */
#include <check.h>
#include <stdint.h>

#include "suites.h"
#include "timeline.h"

static const struct script_time rel0 = { .type = TIME_RELATIVE, .usecs = 0 };
static const struct script_time rel10ms = { .type = TIME_RELATIVE, .usecs = 10000 };
static const struct script_time any = { .type = TIME_ANY };

static void expect_live(struct timeline *t, int64_t usecs, int64_t lo, int64_t hi)
{
	int64_t l, h;

	timeline_live(t, usecs, &l, &h);
	ck_assert_msg(l == lo && h == hi, "%lld: expected %lld..%lld vs actual %lld..%lld",
		      (long long)usecs, (long long)lo, (long long)hi, (long long)l,
		      (long long)h);
}

/* "+0" calls each 200 us late, then "+.01": the drift grows and carries on. */
START_TEST(drift_of_the_events_at_that_script_time)
{
	struct timeline *t = timeline_new();
	const struct script_time zero = { .type = TIME_ABSOLUTE, .usecs = 0 };

	ck_assert_ptr_nonnull(t);
	expect_live(t, 5000, 5000, 5000);		/* nothing yet: no drift */
	timeline_add(t, &zero, 0, 100);			/* started 100 us late */
	timeline_add(t, &rel0, 100, 300);
	timeline_add(t, &rel0, 300, 500);
	expect_live(t, 0, 100, 500);			/* any of the three */
	expect_live(t, 7000, 7100, 7500);		/* between: as the last ones */
	timeline_add(t, &rel10ms, 10500, 10000);	/* due later than now */
	expect_live(t, 10000, 10500, 10500);
	expect_live(t, 3, 103, 503);
	timeline_free(t);
}
END_TEST

/* "*" has no script time of its own: what it waited is not drift. */
START_TEST(any_time_keeps_the_drift)
{
	struct timeline *t = timeline_new();

	timeline_add(t, &rel0, 0, 250);
	timeline_add(t, &any, 250, 80000);
	timeline_add(t, &rel10ms, 90000, 90000);
	expect_live(t, 79750, 80000, 80000);
	expect_live(t, 89750, 90000, 90000);
	timeline_free(t);
}
END_TEST

/* An absolute time counts from zero whatever came before. */
START_TEST(absolute_time_resets_the_script_time)
{
	struct timeline *t = timeline_new();
	const struct script_time at = { .type = TIME_ABSOLUTE, .usecs = 50000 };

	timeline_add(t, &rel0, 0, 3000);
	timeline_add(t, &at, 50000, 51000);
	timeline_add(t, &rel10ms, 61000, 61200);
	expect_live(t, 50000, 51000, 51000);
	expect_live(t, 60000, 61200, 61200);
	expect_live(t, 20000, 23000, 23000);
	timeline_free(t);
}
END_TEST

Suite *timeline_suite(void)
{
	Suite *s = suite_create("timeline");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, drift_of_the_events_at_that_script_time);
	tcase_add_test(tc, any_time_keeps_the_drift);
	tcase_add_test(tc, absolute_time_resets_the_script_time);
	suite_add_tcase(s, tc);
	return s;
}
