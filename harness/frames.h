/* frames.h - every frame a case injected or captured, in order with its kernel timestamp, for the pcap a failing case leaves. */
#ifndef TCPCONF_FRAMES_H
#define TCPCONF_FRAMES_H

#include <stddef.h>
#include <time.h>

struct frames;

/* An empty list, or NULL without memory; the caller frees it with frames_free(). */
struct frames *frames_new(void);
void frames_free(struct frames *f);

/* Keep a copy of len bytes at data (the caller's) stamped ts.  Best effort:
 * without memory the frame is left out of the pcap, the case goes on. */
void frames_keep(struct frames *f, const struct timespec *ts, const void *data,
		 size_t len);

size_t frames_count(const struct frames *f);

/* Write them all as a pcap into fd (the caller's; name is for messages). */
int frames_write_pcap(const struct frames *f, int fd, const char *name,
		      char **error);

#endif
