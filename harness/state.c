/* state.c - the script clock of state.h: microseconds since t0 on CLOCK_REALTIME, the clock packet timestamps use. */
#include <errno.h>
#include <time.h>

#include "state.h"

int64_t state_ts_usecs(const struct state *st, const struct timespec *ts)
{
	return (ts->tv_sec - st->t0.tv_sec) * 1000000LL +
	       (ts->tv_nsec - st->t0.tv_nsec) / 1000;
}

int64_t state_now(const struct state *st)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	return state_ts_usecs(st, &now);
}

struct timespec state_timespec(const struct state *st, int64_t usecs)
{
	struct timespec t = st->t0;
	int64_t ns = t.tv_nsec + (usecs % 1000000) * 1000;

	t.tv_sec += usecs / 1000000 + ns / 1000000000;
	ns %= 1000000000;
	if (ns < 0) {
		ns += 1000000000;
		t.tv_sec--;
	}
	t.tv_nsec = ns;
	return t;
}

void state_sleep_until(const struct state *st, int64_t usecs)
{
	struct timespec t = state_timespec(st, usecs);

	while (clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &t, NULL) == EINTR)
		;
}
