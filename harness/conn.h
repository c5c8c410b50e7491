/* conn.h - the connection map: the script's numbers (kernel port, ISN-relative sequence numbers, TS values) against the wire's. */
#ifndef TCPCONF_CONN_H
#define TCPCONF_CONN_H

#include <stdbool.h>
#include <stdint.h>

#include "packet.h"
#include "script.h"

/* How many kernel TS values the map remembers under their script names. */
#define CONN_MAX_TS	256

/*
 * What the harness has learnt about the one connection a script drives.
 * Pure data, no I/O: the event loop owns it and is its only user.
 */
struct conn;

/* A map for a harness on harness_port knowing nothing yet; NULL without
 * memory.  The caller owns it and frees it with conn_free(). */
struct conn *conn_new(uint16_t harness_port);
void conn_free(struct conn *c);

/* The kernel's port: set when a bind() succeeds or the first outbound
 * segment shows it.  false while unknown. */
bool conn_kernel_port(const struct conn *c, uint16_t *port);
void conn_set_kernel_port(struct conn *c, uint16_t port);
uint16_t conn_harness_port(const struct conn *c);

/* The kernel's ISN, known once an outbound SYN matched a SYN line. */
bool conn_isn(const struct conn *c, uint32_t *isn);

/* The segment a packet line describes, in script numbers: no addresses,
 * ports or payload; ack and window 0 when the line leaves them out. */
void conn_script_segment(const struct packet_event *p, struct tcp_segment *seg);

/*
 * Before judging an outbound segment: learn the kernel's port from the
 * first one, and its ISN from the first SYN answering a SYN line (seq is
 * taken as the line's seq, so a wrong line still gets the message right).
 */
void conn_learn_outbound(struct conn *c, const struct packet_event *p,
			 const struct tcp_segment *seg);

/*
 * After an outbound segment matched: remember each TS val it carries under
 * the value its line wrote, and the latest one for echoes the script did
 * not name.  Which options carry what is the option table's business
 * (tcp_options_learn()); the map only keeps the values.
 */
void conn_learn_ts(struct conn *c, const struct packet_event *p,
		   const struct tcp_segment *seg);

/*
 * The first TS val the map learnt (the first outbound segment whose line
 * wrote one), as the script wrote it and as the kernel sent it: where
 * packetdrill anchors the kernel's TS clock.  false before one.
 */
bool conn_ts_origin(const struct conn *c, uint32_t *script, uint32_t *actual);

/*
 * An inbound ecr naming no TS val the kernel sent echoes the latest one;
 * with scaled (--tcp_ts_ecr_scaled) it is moved onto the kernel's clock
 * from that origin instead, as packetdrill does, so "ecr 9999" stays a
 * value the kernel never sent.
 */
void conn_set_ts_ecr_scaled(struct conn *c, bool scaled);

/*
 * Before building an inbound line's segment: the seq of an inbound SYN line
 * that opens a connection (the script's first, or one answering a kernel's
 * SYN) is the harness's ISN, which later inbound seqs and the kernel's acks
 * and SACK blocks count from, as packetdrill numbers them.
 */
void conn_learn_inbound(struct conn *c, const struct packet_event *p);

/*
 * A listen() succeeded.  The next inbound SYN (no ACK) opens a new
 * connection, as packetdrill makes a child of its listening socket: its
 * seq is the harness's ISN, the kernel's ISN and TS values are learnt
 * again, and once the harness port has carried a connection the new one
 * comes from the next port, so segments of the earlier connection are passed
 * over (conn_is_past()) and the new SYN does not land on it.
 */
void conn_listen(struct conn *c);

/*
 * After call name returned ret: a listen() that succeeded is conn_listen();
 * a socket() means the next kernel SYN is a new socket's, so one from the
 * connection so far (its port and ISN: a retransmission) is passed over by
 * conn_before_open().
 */
void conn_after_call(struct conn *c, const char *name, long ret);

/*
 * Whether an outbound segment comes from an earlier connection of the
 * script, one whose kernel port a later socket's connect() replaced, or
 * whose harness port a later passive open replaced (conn_listen()):
 * packetdrill judges only the socket under test, so the runner passes over
 * it (it stays in the capture).
 */
#define CONN_MAX_PAST	16
/* The same while the script awaits a new socket's SYN (line p): what the
 * connection so far still sends (its FIN after close(), and its SYN again
 * once a socket() call made a new socket) is passed over. */
bool conn_before_open(const struct conn *c, const struct packet_event *p,
		      const struct tcp_segment *seg);
bool conn_is_past(const struct conn *c, const struct tcp_segment *seg);

/*
 * Where Fast Open cookies are rewritten between the script's view and the
 * wire's (cookie.h): map(ctx, ...) is called for each cookie an inbound
 * line carries (to_wire) and each one an outbound segment carries.  ctx
 * stays the caller's; NULL map leaves cookies as they are.
 */
void conn_set_cookie_map(struct conn *c,
			 void (*map)(void *ctx, uint8_t *cookie, size_t len, bool to_wire),
			 void *ctx);

/* An outbound wire segment in script numbers (seq relative to the ISN);
 * script may be wire. */
void conn_to_script(const struct conn *c, const struct tcp_segment *wire,
		    struct tcp_segment *script);

/*
 * The wire segment for an inbound packet line, addresses and payload left
 * to the caller: ports filled in, ack and SACK blocks moved by the kernel's
 * ISN, each TS ecr replaced by the kernel TS val the script's value names
 * (the latest one when it names none), window 65535 when not written.  The
 * options are rewritten by tcp_options_to_wire() under this map.
 * STATUS_ERROR with *error when the line cannot be sent yet (kernel port
 * or ISN not known).
 */
int conn_to_wire(const struct conn *c, const struct packet_event *p,
		 struct tcp_segment *seg, char **error);

#endif
