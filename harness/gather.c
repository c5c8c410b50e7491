/*
 * gather.c - see gather.h.
 *
 * packetdrill (run_packet.c) sniffs outbound packets until their payload
 * reaches the script's, unless --strict_segments: its tun sees the
 * kernel's super-segments, but TSO autosizing cuts a burst into pieces of
 * a few MSS on a slow path, so a line's 10000 bytes may come as five 2000-
 * byte packets.  The checks on each piece are its "non-strict" header
 * comparison against the piece before; the joined packet has the last
 * piece's headers with the first one's sequence number and CWR.
 */
#include <string.h>

#include "gather.h"

/* The flags a piece must share with the one before (FIN, PSH, CWR may differ). */
#define SAME_FLAGS	(TCPF_SYN | TCPF_RST | TCPF_ACK | TCPF_URG | TCPF_ECE)

static bool same_option_kinds(const struct tcp_segment *a, const struct tcp_segment *b)
{
	if (a->noptions != b->noptions)
		return false;
	for (unsigned int i = 0; i < a->noptions; i++)
		if (a->options[i].kind != b->options[i].kind)
			return false;
	return true;
}

bool gather_join(struct tcp_segment *sum, size_t *last,
		 const struct tcp_segment *next, size_t want)
{
	uint32_t seq = sum->seq;
	uint8_t cwr = sum->flags & TCPF_CWR;
	size_t len = sum->payload_len;

	if (next->sport != sum->sport || next->dport != sum->dport ||
	    next->seq != sum->seq + (uint32_t)len || next->ack != sum->ack ||
	    next->win != sum->win || next->urg != sum->urg ||
	    (next->flags & SAME_FLAGS) != (sum->flags & SAME_FLAGS) ||
	    !same_option_kinds(next, sum))
		return false;
	/* every piece but the last is as long as the one before */
	if (next->payload_len < want - len && next->payload_len != *last)
		return false;
	*sum = *next;
	sum->seq = seq;
	sum->flags = (uint8_t)((sum->flags & ~TCPF_CWR) | cwr);
	sum->payload_len = len + next->payload_len;
	sum->payload = NULL;
	*last = next->payload_len;
	return true;
}
