/*
 * vnet.c - see vnet.h.
 *
 * The kernel reads a GSO header with NEEDS_CSUM strictly: csum_start must
 * be where the TCP header begins and csum_offset the checksum's place in it
 * (16), or it refuses the frame (EINVAL).  Without NEEDS_CSUM the packet
 * would be segmented in software on the sending veth end, checksums
 * recomputed, and the receiver would get MTU-sized segments after all.
 */
#include <string.h>
#include <sys/socket.h>

#include "checksum.h"
#include "error.h"
#include "vnet.h"

#define ETH_HLEN_	14
#define TCP_HLEN_	20
#define TCP_CSUM_AT	16
/*
 * How much of a GSO packet a tun device puts in the skb's linear part when
 * the header gives no hdr_len, as packetdrill's does (Linux 6.6 on):
 * SKB_MAX_HEAD(NET_SKB_PAD) on a 4 KiB page, 4096 - 64 - 320 bytes of IP
 * datagram, the rest in page fragments.  The receiver charges the skb's
 * truesize to its buffer, and since 6.5 learns from len/truesize how much
 * window its buffer is worth (tcp_measure_rcv_mss()'s scaling_ratio): a
 * 9000-byte segment cut at the headers, as AF_PACKET would by default,
 * costs 13120 bytes instead of tun's 12544 and advertises 79 window units
 * where packetdrill sees 81 (ksft tcp_ooo_rcv_mss).  So a larger frame
 * gets hdr_len at that cut, Ethernet header included.
 */
#define TUN_LINEAR	(4096 - 64 - 320)

/* Where a TCP segment sits in an Ethernet frame. */
struct tcp_place {
	int family;		/* AF_INET or AF_INET6 */
	size_t l3, l4;		/* offsets of the IP and TCP headers */
	size_t end;		/* end of the IP datagram (no Ethernet padding) */
	size_t hdr_end;		/* end of the TCP header with its options */
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static int ip_end(const uint8_t *f, size_t len, struct tcp_place *t, char **error)
{
	const uint8_t *ip = f + ETH_HLEN_;
	size_t n = len - ETH_HLEN_, total;

	if (get16(f + 12) == 0x0800 && n >= 20 && ip[0] >> 4 == 4) {
		t->family = AF_INET;
		t->l4 = ETH_HLEN_ + (size_t)(ip[0] & 0xf) * 4;
		total = get16(ip + 2);
	} else if (get16(f + 12) == 0x86dd && n >= 40 && ip[0] >> 4 == 6) {
		t->family = AF_INET6;
		t->l4 = ETH_HLEN_ + 40;
		total = 40 + (size_t)get16(ip + 4);
	} else {
		return error_set(error, "not an IPv4 or IPv6 frame");
	}
	if (total > n || ETH_HLEN_ + total < t->l4)
		return error_set(error, "IP length %zu does not fit the %zu bytes after the Ethernet header",
				 total, n);
	t->l3 = ETH_HLEN_;
	t->end = ETH_HLEN_ + total;
	return STATUS_OK;
}

static int tcp_place(const uint8_t *f, size_t len, struct tcp_place *t, char **error)
{
	const uint8_t *ip = f + ETH_HLEN_;
	uint8_t proto;

	if (len < ETH_HLEN_)
		return error_set(error, "frame of %zu bytes has no Ethernet header", len);
	if (ip_end(f, len, t, error) < 0)
		return STATUS_ERROR;
	proto = t->family == AF_INET ? ip[9] : ip[6];
	if (proto != 6)
		return error_set(error, "IP protocol %u is not TCP", proto);
	if (t->end - t->l4 < TCP_HLEN_)
		return error_set(error, "truncated TCP header");
	t->hdr_end = t->l4 + (size_t)(f[t->l4 + 12] >> 4) * 4;
	if (t->hdr_end < t->l4 + TCP_HLEN_ || t->hdr_end > t->end)
		return error_set(error, "TCP data offset %u does not fit the segment",
				 f[t->l4 + 12] >> 4);
	return STATUS_OK;
}

int vnet_plan_tcp(const uint8_t *frame, size_t len, unsigned int gso_size,
		  struct vnet_hdr *h, char **error)
{
	struct tcp_place t;

	memset(h, 0, sizeof(*h));
	/* Only TCP goes as GSO (packetdrill's rule too): an ICMP message or
	 * anything else is a plain frame. */
	if (len >= ETH_HLEN_ && ip_end(frame, len, &t, NULL) == 0 &&
	    (t.family == AF_INET ? frame[ETH_HLEN_ + 9] : frame[ETH_HLEN_ + 6]) != 6)
		return STATUS_OK;
	if (tcp_place(frame, len, &t, error) < 0)
		return STATUS_ERROR;
	if (gso_size > 0xfffe)	/* 0xffff is GSO_BY_FRAGS */
		return error_set(error, "GSO size %u beyond 65534", gso_size);
	/* The kernel's own test: what follows the fixed header must be
	 * longer than one segment, or the packet is not GSO. */
	if (!gso_size || t.end - (t.l4 + TCP_HLEN_) <= gso_size)
		return STATUS_OK;
	h->flags = VNET_F_NEEDS_CSUM;
	h->gso_type = t.family == AF_INET ? VNET_GSO_TCPV4 : VNET_GSO_TCPV6;
	h->hdr_len = (uint16_t)(t.end > ETH_HLEN_ + TUN_LINEAR ? ETH_HLEN_ + TUN_LINEAR
							     : t.hdr_end);
	h->gso_size = (uint16_t)gso_size;
	h->csum_start = (uint16_t)t.l4;
	h->csum_offset = TCP_CSUM_AT;
	return STATUS_OK;
}

int vnet_partial_checksum(const uint8_t *frame, size_t len, uint16_t *sum,
			  char **error)
{
	const uint8_t *ip = frame + ETH_HLEN_;
	struct tcp_place t;
	uint8_t tail[8] = { 0 };
	size_t seglen;
	uint32_t s;

	if (tcp_place(frame, len, &t, error) < 0)
		return STATUS_ERROR;
	seglen = t.end - t.l4;
	if (t.family == AF_INET) {
		s = checksum_add(0, ip + 12, 8);	/* source, destination */
		tail[1] = 6;
		tail[2] = (uint8_t)(seglen >> 8);
		tail[3] = (uint8_t)seglen;
		s = checksum_add(s, tail, 4);
	} else {
		s = checksum_add(0, ip + 8, 32);
		tail[2] = (uint8_t)(seglen >> 8);
		tail[3] = (uint8_t)seglen;
		tail[7] = 6;
		s = checksum_add(s, tail, 8);
	}
	/* checksum_fold complements; the field wants the sum itself */
	*sum = (uint16_t)~checksum_fold(s);
	return STATUS_OK;
}

int vnet_checksum_complete(uint8_t *frame, size_t len, const struct vnet_hdr *h,
			   char **error)
{
	struct tcp_place t;
	size_t end = len, at;
	uint16_t sum;

	if (!(h->flags & VNET_F_NEEDS_CSUM))
		return STATUS_OK;
	/* Ethernet padding is not part of what the checksum covers. */
	if (len >= ETH_HLEN_ && ip_end(frame, len, &t, NULL) == 0)
		end = t.end;
	at = (size_t)h->csum_start + h->csum_offset;
	if (h->csum_start >= end || at + 2 > end)
		return error_set(error, "checksum at %u+%u outside the %zu-byte datagram",
				 h->csum_start, h->csum_offset, end);
	sum = checksum_fold(checksum_add(0, frame + h->csum_start, end - h->csum_start));
	frame[at] = (uint8_t)(sum >> 8);
	frame[at + 1] = (uint8_t)sum;
	return STATUS_OK;
}

void vnet_hdr_encode(const struct vnet_hdr *h, uint8_t out[VNET_HDR_LEN])
{
	out[0] = h->flags;
	out[1] = h->gso_type;
	memcpy(out + 2, &h->hdr_len, 2);
	memcpy(out + 4, &h->gso_size, 2);
	memcpy(out + 6, &h->csum_start, 2);
	memcpy(out + 8, &h->csum_offset, 2);
}

void vnet_hdr_decode(const uint8_t in[VNET_HDR_LEN], struct vnet_hdr *h)
{
	h->flags = in[0];
	h->gso_type = in[1];
	memcpy(&h->hdr_len, in + 2, 2);
	memcpy(&h->gso_size, in + 4, 2);
	memcpy(&h->csum_start, in + 6, 2);
	memcpy(&h->csum_offset, in + 8, 2);
}
