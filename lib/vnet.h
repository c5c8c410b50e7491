/* vnet.h - the virtio_net_hdr a packet socket with PACKET_VNET_HDR puts before each frame: how the kernel is to treat an injected TCP segment as one GSO packet, and how to complete the partial checksum of a captured one. */
#ifndef TCPCONF_VNET_H
#define TCPCONF_VNET_H

#include <stddef.h>
#include <stdint.h>

/* The header's size on the socket (struct virtio_net_hdr, without the
 * mergeable-buffers count). */
#define VNET_HDR_LEN		10

/* Values of the header's fields (include/uapi/linux/virtio_net.h). */
#define VNET_F_NEEDS_CSUM	1	/* checksum from csum_start to the end */
#define VNET_GSO_NONE		0
#define VNET_GSO_TCPV4		1
#define VNET_GSO_TCPV6		4
#define VNET_GSO_ECN		0x80	/* flag on a TCP type: CWR may be set */

/* The header's fields in host order; vnet_hdr_encode() lays them out. */
struct vnet_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;	/* what goes in the skb's linear part: Ethernet,
				 * IP and TCP headers, or tun's cut (vnet.c) */
	uint16_t gso_size;	/* payload bytes (and TCP options) per segment */
	uint16_t csum_start;	/* from the frame's first byte */
	uint16_t csum_offset;	/* from csum_start to the checksum field */
};

/*
 * The header for injecting frame (Ethernet, IPv4 or IPv6 without extension
 * headers, TCP; len bytes, checksums filled in) so that the receiver gets
 * it as one packet whose segments carry gso_size bytes after the fixed TCP
 * header: a GSO packet of type TCPV4/TCPV6 with NEEDS_CSUM and the TCP
 * checksum's offsets, and hdr_len where a tun device would cut it into
 * linear part and page fragments (so the receiver's skb costs what it does
 * under packetdrill).  A frame whose TCP options and payload fit in
 * gso_size, or gso_size 0, gets the all-zero header (a plain frame): the
 * kernel would not make it GSO either; so does an IP frame that is not TCP
 * (an ICMP message).  STATUS_ERROR with *error (the caller's) for a frame
 * that is neither IPv4 nor IPv6, or a malformed TCP segment.
 */
int vnet_plan_tcp(const uint8_t *frame, size_t len, unsigned int gso_size,
		  struct vnet_hdr *h, char **error);

/*
 * The value a NEEDS_CSUM header wants in the TCP checksum field of frame:
 * the folded pseudo-header sum, not complemented (the device adds the
 * segment's words and complements).  Host order; frame as for
 * vnet_plan_tcp.
 */
int vnet_partial_checksum(const uint8_t *frame, size_t len, uint16_t *sum,
			  char **error);

/*
 * A captured frame whose header says NEEDS_CSUM carries only the
 * pseudo-header sum in its checksum field: finish the checksum as the
 * device would have (the sum from csum_start to the end of the IP datagram,
 * stored at csum_start + csum_offset).  Anything else is left alone.
 * STATUS_ERROR when the offsets do not fit in the frame (left alone too).
 */
int vnet_checksum_complete(uint8_t *frame, size_t len, const struct vnet_hdr *h,
			   char **error);

/* Lay h out as the socket wants it (legacy virtio: host byte order), and back. */
void vnet_hdr_encode(const struct vnet_hdr *h, uint8_t out[VNET_HDR_LEN]);
void vnet_hdr_decode(const uint8_t in[VNET_HDR_LEN], struct vnet_hdr *h);

#endif
