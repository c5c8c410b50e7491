/* gather.h - consecutive outbound segments joined into the one a script line expects, as packetdrill does: a TSO burst the kernel cut smaller than the script's segment still matches it. */
#ifndef TCPCONF_GATHER_H
#define TCPCONF_GATHER_H

#include <stdbool.h>
#include <stddef.h>

#include "packet.h"

/*
 * Join next onto sum, what has been gathered so far for a line expecting
 * want payload bytes (sum->payload_len < want); *last is the payload
 * length of the segment gathered last.  next must continue sum exactly as
 * packetdrill requires of a fragment: its sequence number where sum ends;
 * the same ports, ack, window, urgent pointer, SYN, RST, ACK, URG and ECE
 * flags and option kinds; and, unless it completes want, as much payload as
 * the segment before it.  Then sum takes next's flags, options and the
 * rest, keeps its own sequence number and CWR flag, adds next's payload
 * length and returns true (payload points nowhere: the bytes stay in
 * their frames).  Otherwise false, sum untouched.  The caller owns both.
 */
bool gather_join(struct tcp_segment *sum, size_t *last,
		 const struct tcp_segment *next, size_t want);

#endif
