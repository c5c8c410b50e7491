/* inbound.c - see inbound.h. */
#include "icmp.h"
#include "inbound.h"

int inbound_build(const struct conn *c, const struct packet_event *p,
		  const struct tcp_segment *seg, const uint8_t src_mac[6],
		  const uint8_t dst_mac[6], uint8_t *buf, size_t size,
		  size_t *len, char **error)
{
	/* no mark is Not-ECT, as packetdrill sends it */
	uint8_t tos = p->ecn == PACKET_ECN_UNSPEC ? 0 : (uint8_t)p->ecn;
	struct tcp_segment s = *seg;
	struct icmp_about about;
	uint32_t isn = 0;

	if (!p->icmp.present) {
		s.tos = tos;
		s.urg = p->urg;
		return packet_build_tcp(&s, src_mac, dst_mac, buf, size, len, error);
	}
	/* an ISN not known yet maps as packetdrill's does: by 0 */
	(void)conn_isn(c, &isn);
	about.src = seg->dst;
	about.dst = seg->src;
	about.sport = seg->dport;
	about.dport = seg->sport;
	about.seq = p->seq + isn;
	about.payload_len = (uint16_t)p->len;
	return icmp_build(&p->icmp, &about, tos, src_mac, dst_mac, buf, size,
			  len, error);
}
