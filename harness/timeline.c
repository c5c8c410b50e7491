/* timeline.c - the run's two clocks side by side (timeline.h). */
#include <pthread.h>
#include <stdlib.h>

#include "array.h"
#include "timeline.h"

struct point {
	int64_t script, live;
};

struct timeline {
	pthread_mutex_t lock;
	struct point *p;
	size_t n, cap;
};

struct timeline *timeline_new(void)
{
	struct timeline *t = calloc(1, sizeof(*t));

	if (t)
		pthread_mutex_init(&t->lock, NULL);
	return t;
}

void timeline_free(struct timeline *t)
{
	if (!t)
		return;
	pthread_mutex_destroy(&t->lock);
	free(t->p);
	free(t);
}

void timeline_add(struct timeline *t, const struct script_time *time, int64_t due,
		  int64_t now)
{
	struct point pt = { 0, due > now ? due : now };
	const struct point *last;
	struct point *grown;

	pthread_mutex_lock(&t->lock);
	last = t->n ? &t->p[t->n - 1] : NULL;
	if (time->type == TIME_ABSOLUTE)
		pt.script = time->usecs;
	else if (time->type == TIME_RELATIVE)
		pt.script = (last ? last->script : 0) + time->usecs;
	else	/* "*": no script time of its own, the drift stays */
		pt.script = last ? last->script + (pt.live - last->live) : pt.live;
	grown = array_room(t->p, t->n, &t->cap, sizeof(*grown), 64);
	if (grown) {
		t->p = grown;
		t->p[t->n++] = pt;
	}
	pthread_mutex_unlock(&t->lock);
}

void timeline_live(struct timeline *t, int64_t usecs, int64_t *lo, int64_t *hi)
{
	int64_t at = INT64_MIN, min = 0, max = 0;	/* drifts: live - script */

	pthread_mutex_lock(&t->lock);
	for (size_t k = 0; k < t->n; k++) {
		int64_t script = t->p[k].script, drift = t->p[k].live - script;

		if (script > usecs || script < at)
			continue;
		if (script > at || drift < min)
			min = drift;
		if (script > at || drift > max)
			max = drift;
		at = script;
	}
	pthread_mutex_unlock(&t->lock);
	*lo = usecs + min;
	*hi = usecs + max;
}
