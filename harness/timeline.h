/* timeline.h - where each event of a run fell on the script's clock and on the live one, to read a script time on the live clock. */
#ifndef TCPCONF_TIMELINE_H
#define TCPCONF_TIMELINE_H

#include <stdint.h>

#include "script.h"

/*
 * Relative times count from when the previous event really happened, so
 * the live clock runs behind the script's by what every hand-over cost
 * (the harness's system-call thread: about 0.2 ms a call).  A value the
 * kernel stamped with the live clock (SCM_TIMESTAMPING) and the script
 * gives in script time is compared where that script time fell on this
 * run, not where it would have with no drift.  The event loop adds, the
 * system-call worker reads: each call locks.
 */
struct timeline;

/* An empty timeline, or NULL without memory; the caller frees it with timeline_free(). */
struct timeline *timeline_new(void);
void timeline_free(struct timeline *t);

/*
 * The next event, timed time in the script, is due at live time due
 * (script clock, state.h) or now if that is later.  Its script time is
 * the times as written summed up ("*": the live time minus the drift so
 * far).  Best effort: without memory the point is left out.
 */
void timeline_add(struct timeline *t, const struct script_time *time, int64_t due,
		  int64_t now);

/*
 * Where script time usecs fell on the live clock, *lo to *hi: usecs plus
 * the least and the most drift among the events at the latest script time
 * up to usecs (several lines at "+0" drift apart); before any, usecs.
 */
void timeline_live(struct timeline *t, int64_t usecs, int64_t *lo, int64_t *hi);

#endif
