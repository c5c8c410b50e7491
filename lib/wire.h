/* wire.h - the harness's raw view of the veth: inject frames and capture them with kernel timestamps (AF_PACKET). */
#ifndef TCPCONF_WIRE_H
#define TCPCONF_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct wire;

/*
 * Open an AF_PACKET socket bound to ifindex in the calling thread's current
 * namespace (call it inside the harness namespace, e.g. via netns_run).
 * Injected frames carry SO_MARK mark so the silencing egress chain lets them
 * through.  A classic BPF filter keeps only IPv4/IPv6 TCP frames; frames the
 * harness sent itself are not returned.  Receive timestamps come from the
 * kernel (SO_TIMESTAMPNS, CLOCK_REALTIME).  The caller owns *w.
 */
int wire_open(struct wire **w, int ifindex, uint32_t mark, char **error);
void wire_free(struct wire *w);

/* Descriptor for poll() (owned by w). */
int wire_fd(const struct wire *w);

/*
 * From now on every frame passes with a virtio_net_hdr (PACKET_VNET_HDR):
 * the view a tun device with offloads gives.  wire_send_gso() can inject a
 * TCP segment larger than the MTU as one GSO packet, and wire_recv()
 * returns a kernel's TSO/GSO super-segment whole, its partial checksum
 * completed as the device would.  The harness-side link needs its
 * segmentation offloads on (a testbed in GSO mode), or the kernel cuts an
 * injected GSO packet into segments on the way.
 */
int wire_gso_on(struct wire *w, char **error);

/* Inject one complete Ethernet frame. */
int wire_send(struct wire *w, const void *frame, size_t len, char **error);

/*
 * Inject like wire_send() and fill *ts with the kernel's software transmit
 * timestamp of the frame (CLOCK_REALTIME, taken as the driver hands it to
 * the veth peer), so a reply's capture time and the injection time come
 * from the same clock in the same place.  A kernel that gives no stamp gets
 * the time read just before send(), which a reply can never precede.
 */
int wire_send_timed(struct wire *w, const void *frame, size_t len,
		    struct timespec *ts, char **error);

/*
 * Inject like wire_send_timed(); on a wire with GSO on, a TCP frame whose
 * options and payload exceed gso_size goes as one GSO packet whose
 * segments would carry gso_size bytes each (vnet_plan_tcp), the receiver
 * trusting its checksum as one computed by a device.  gso_size 0, or a
 * wire without GSO, sends the frame as it is.
 */
int wire_send_gso(struct wire *w, const void *frame, size_t len,
		  unsigned int gso_size, struct timespec *ts, char **error);

/*
 * Wait until the deadline (CLOCK_REALTIME, NULL means do not wait) for one
 * captured frame; copies it into buf (size bytes; longer frames are
 * truncated and *len is the wire length) and its kernel receive time into
 * *ts.  Returns 1 when a frame came, 0 at the deadline, STATUS_ERROR on
 * failure.  EINTR is retried.
 */
int wire_recv(struct wire *w, void *buf, size_t size, size_t *len,
	      struct timespec *ts, const struct timespec *deadline,
	      char **error);

#endif
