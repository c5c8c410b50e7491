/* conn.c - the connection map: script numbers against wire numbers, learnt from outbound segments and applied to inbound ones. */
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "error.h"

struct conn {
	uint16_t harness_port, kernel_port;
	bool kernel_port_known;
	bool isn_known;
	/* The kernel's ISN on the wire, and as its SYN line wrote it: its
	 * SYN and SYN-ACK keep the line's numbers, everything else counts
	 * from 0 (packetdrill's local_seq offsets) */
	uint32_t kernel_isn, kernel_script_isn;
	/*
	 * The harness's ISN: the seq of the inbound SYN line that opens a
	 * connection (the script's first, or the SYN-ACK answering a kernel's
	 * SYN), written as the wire number (packetdrill's rule: "< S. 123:123(0)"
	 * then "> . 1:1(0) ack 1").  Later inbound lines and the kernel's acks
	 * and SACK blocks count from it; 0 for the usual "< S 0:0(0)".  A SYN
	 * on an open connection (RFC 5961, a TIME-WAIT pair reused) keeps it,
	 * as packetdrill keeps its socket's.
	 */
	uint32_t harness_isn;
	/* TCPF_SYN: the next inbound SYN (a listener's peer) sets harness_isn;
	 * TCPF_SYN|TCPF_ACK: the SYN-ACK answering a kernel's SYN does (a
	 * SYN crossing it, a simultaneous open, does not, as in packetdrill) */
	uint8_t opening;
	/* A listen() succeeded since the last passive open: the next inbound
	 * SYN is a new peer, on a new harness port once this one carried a
	 * connection (packetdrill gives each child of a listener its own
	 * ephemeral port, so the previous connection does not see it). */
	bool listening, port_used;
	/* A socket() succeeded since the kernel's last SYN: a SYN the old
	 * socket retransmits (its port, its ISN) is not the new one's. */
	bool new_socket;
	/* Kernel ports of connections a later socket's connect() replaced:
	 * packetdrill follows only the socket under test, so what an earlier
	 * one still sends (its FIN at close) is not judged. */
	uint16_t past_port[CONN_MAX_PAST];
	size_t npast;

	/* Kernel TS val as the script wrote it vs as the kernel sent it;
	 * the oldest goes when full. */
	struct { uint32_t script, actual; } ts[CONN_MAX_TS];
	size_t nts;
	bool have_ts;
	uint32_t last_ts_actual;
	bool have_origin;
	uint32_t origin_script, origin_actual;
	bool ecr_scaled;		/* --tcp_ts_ecr_scaled */

	/* Fast Open cookies between the script's view and the wire's */
	void (*cookie)(void *ctx, uint8_t *cookie, size_t len, bool to_wire);
	void *cookie_ctx;
};

struct conn *conn_new(uint16_t harness_port)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (c) {
		c->harness_port = harness_port;
		c->opening = TCPF_SYN;
	}
	return c;
}

void conn_free(struct conn *c)
{
	free(c);
}

bool conn_kernel_port(const struct conn *c, uint16_t *port)
{
	*port = c->kernel_port;
	return c->kernel_port_known;
}

void conn_set_kernel_port(struct conn *c, uint16_t port)
{
	c->kernel_port = port;
	c->kernel_port_known = true;
}

uint16_t conn_harness_port(const struct conn *c)
{
	return c->harness_port;
}

bool conn_isn(const struct conn *c, uint32_t *isn)
{
	*isn = c->kernel_isn;
	return c->isn_known;
}

void conn_script_segment(const struct packet_event *p, struct tcp_segment *seg)
{
	memset(seg, 0, sizeof(*seg));
	seg->flags = p->flags;
	seg->seq = p->seq;
	seg->ack = p->has_ack ? p->ack : 0;
	seg->win = p->has_win ? p->win : 0;
	seg->payload_len = p->len;
	seg->noptions = p->options_spec == OPTIONS_LIST ? p->noptions : 0;
	memcpy(seg->options, p->options, seg->noptions * sizeof(seg->options[0]));
}

void conn_learn_outbound(struct conn *c, const struct packet_event *p,
			 const struct tcp_segment *seg)
{
	bool syn_line = p->flags & TCPF_SYN;

	/* a kernel SYN without ACK opens a connection of its own (a new
	 * socket's connect()): its port and ISN, then the answer's ISN */
	if (syn_line && (seg->flags & (TCPF_SYN | TCPF_ACK)) == TCPF_SYN) {
		if (c->kernel_port_known && c->kernel_port != seg->sport) {
			if (c->npast == CONN_MAX_PAST) {	/* the oldest goes */
				memmove(c->past_port, c->past_port + 1,
					(CONN_MAX_PAST - 1) * sizeof(c->past_port[0]));
				c->npast--;
			}
			c->past_port[c->npast++] = c->kernel_port;
		}
		c->kernel_isn = seg->seq;
		c->kernel_script_isn = p->seq;
		c->isn_known = true;
		c->new_socket = false;
		conn_set_kernel_port(c, seg->sport);
		c->harness_port = seg->dport;
		c->port_used = true;
		c->opening = TCPF_SYN | TCPF_ACK;
		return;
	}
	if (syn_line && (seg->flags & TCPF_SYN) && !c->isn_known) {
		c->kernel_isn = seg->seq;
		c->kernel_script_isn = p->seq;
		c->isn_known = true;
	}
	if (!c->kernel_port_known)
		conn_set_kernel_port(c, seg->sport);
}

static void ts_learn(void *ctx, uint32_t script, uint32_t actual)
{
	struct conn *c = ctx;

	if (c->nts == CONN_MAX_TS) {
		memmove(c->ts, c->ts + 1, (CONN_MAX_TS - 1) * sizeof(c->ts[0]));
		c->nts--;
	}
	if (!c->have_origin) {
		c->have_origin = true;
		c->origin_script = script;
		c->origin_actual = actual;
	}
	c->ts[c->nts].script = script;
	c->ts[c->nts].actual = actual;
	c->nts++;
	c->have_ts = true;
	c->last_ts_actual = actual;
}

/* A kernel TS val the script did not name: only the latest echo. */
static void ts_seen(void *ctx, uint32_t script, uint32_t actual)
{
	struct conn *c = ctx;

	(void)script;	/* the wire's own value, not a name */
	c->have_ts = true;
	c->last_ts_actual = actual;
}

/* The kernel's TS val for the script's name of it, which a harness packet echoes. */
static uint32_t ts_ecr_to_wire(void *ctx, uint32_t script)
{
	const struct conn *c = ctx;

	for (size_t i = c->nts; i-- > 0;)
		if (c->ts[i].script == script)
			return c->ts[i].actual;
	/* Not seen as written: with --tcp_ts_ecr_scaled, packetdrill's guess
	 * on the kernel's clock from the first TS val (so a script can send
	 * an ecr the kernel never sent, "ecr 9999"); else the latest, as a
	 * real peer would echo. */
	if (c->ecr_scaled && c->have_origin)
		return script - c->origin_script + c->origin_actual;
	return c->have_ts ? c->last_ts_actual : script;
}

void conn_set_ts_ecr_scaled(struct conn *c, bool scaled)
{
	c->ecr_scaled = scaled;
}

static void cookie_hook(void *ctx, uint8_t *cookie, size_t len, bool to_wire)
{
	const struct conn *c = ctx;

	if (c->cookie)
		c->cookie(c->cookie_ctx, cookie, len, to_wire);
}

void conn_set_cookie_map(struct conn *c,
			 void (*map)(void *ctx, uint8_t *cookie, size_t len, bool to_wire),
			 void *ctx)
{
	c->cookie = map;
	c->cookie_ctx = ctx;
}

/*
 * The option table's view of c, with learn as its TS learning hook.  Only
 * that hook writes through ctx: conn_to_wire(), which holds c const, passes
 * NULL, rewriting options only reads the map.
 */
static struct tcp_option_map option_map(const struct conn *c,
					void (*learn)(void *, uint32_t, uint32_t))
{
	struct tcp_option_map m = {
		.ctx = (void *)c, .sack_offset = c->kernel_isn,
		.ts_ecr_to_wire = ts_ecr_to_wire, .ts_learn = learn,
		.cookie = cookie_hook,
	};

	return m;
}

void conn_learn_ts(struct conn *c, const struct packet_event *p,
		   const struct tcp_segment *seg)
{
	struct tcp_option_map named = option_map(c, ts_learn);
	struct tcp_option_map seen = option_map(c, ts_seen);

	if (p->options_spec == OPTIONS_LIST)
		tcp_options_learn(p->options, p->noptions, seg->options,
				  seg->noptions, &named);
	/* Every option again, as its own script: a line written "<...>"
	 * names no value, yet its TS val is still the latest to echo. */
	tcp_options_learn(seg->options, seg->noptions, seg->options,
			  seg->noptions, &seen);
}

bool conn_ts_origin(const struct conn *c, uint32_t *script, uint32_t *actual)
{
	*script = c->origin_script;
	*actual = c->origin_actual;
	return c->have_origin;
}

/* What a kernel sequence number has added to the script's: its wire ISN
 * less, for a SYN or SYN-ACK, the ISN its line wrote (packetdrill's
 * local_seq_script_to_live_offset). */
static uint32_t kernel_offset(const struct conn *c, bool syn)
{
	return c->kernel_isn - (syn ? c->kernel_script_isn : 0);
}

void conn_to_script(const struct conn *c, const struct tcp_segment *wire,
		    struct tcp_segment *script)
{
	struct tcp_option_map map = option_map(c, NULL);

	if (script != wire)
		*script = *wire;
	if (c->isn_known)
		script->seq -= kernel_offset(c, wire->flags & TCPF_SYN);
	/* as packetdrill numbers them: a SYN-ACK's ack as on the wire, the
	 * rest from the harness's ISN ("< S 999000:999040(40)" is answered by
	 * "> S. 0:0(0) ack 999001", then "< . 1:1(0) ack 1") */
	if (!(wire->flags & TCPF_SYN))
		script->ack -= c->harness_isn;
	/* the kernel's SACK blocks acknowledge harness data */
	map.sack_offset = c->harness_isn;
	tcp_options_to_script(script->options, script->noptions, &map);
}

bool conn_is_past(const struct conn *c, const struct tcp_segment *seg)
{
	/* toward an earlier harness port; a new connect()'s SYN names its own */
	if (seg->dport != c->harness_port && (seg->flags & (TCPF_SYN | TCPF_ACK)) != TCPF_SYN)
		return true;
	for (size_t i = 0; i < c->npast; i++)
		if (seg->sport == c->past_port[i] && seg->sport != c->kernel_port)
			return true;
	return false;
}

bool conn_before_open(const struct conn *c, const struct packet_event *p,
		      const struct tcp_segment *seg)
{
	bool old_syn = c->new_socket && seg->seq == c->kernel_isn;

	return (p->flags & (TCPF_SYN | TCPF_ACK)) == TCPF_SYN &&
	       (!(seg->flags & TCPF_SYN) || old_syn) &&
	       c->isn_known && c->kernel_port_known && seg->sport == c->kernel_port;
}

void conn_listen(struct conn *c)
{
	c->listening = true;
}

void conn_after_call(struct conn *c, const char *name, long ret)
{
	if (ret < 0)
		return;
	if (!strcmp(name, "listen"))
		conn_listen(c);
	else if (!strcmp(name, "socket"))
		c->new_socket = true;
}

void conn_learn_inbound(struct conn *c, const struct packet_event *p)
{
	if (c->listening && (p->flags & (TCPF_SYN | TCPF_ACK)) == TCPF_SYN) {
		c->listening = false;
		if (c->port_used) {	/* a new socket: its numbers anew */
			c->harness_port++;
			c->isn_known = false;
			c->nts = 0;
			c->have_ts = c->have_origin = false;
		}
		c->port_used = true;
		c->opening = TCPF_SYN;
	}
	if (c->opening && (p->flags & (TCPF_SYN | TCPF_ACK)) == c->opening) {
		c->harness_isn = p->seq;
		c->opening = 0;
	}
}

int conn_to_wire(const struct conn *c, const struct packet_event *p,
		 struct tcp_segment *seg, char **error)
{
	struct tcp_option_map map;

	if (!c->kernel_port_known)
		return error_set(error, "inbound packet before the kernel's port is "
				 "known (no bind() and no outbound SYN yet)");
	if (p->has_ack && !c->isn_known && !(p->flags & TCPF_SYN) && p->ack)
		return error_set(error, "inbound packet acknowledges kernel data "
				 "before the kernel sent its SYN");
	conn_script_segment(p, seg);
	if (!(p->flags & TCPF_SYN))	/* a SYN line writes its seq as it goes out */
		seg->seq += c->harness_isn;
	seg->sport = c->harness_port;
	seg->dport = c->kernel_port;
	if (p->has_ack)
		seg->ack = p->ack + kernel_offset(c, p->flags & TCPF_SYN);
	seg->win = p->has_win ? p->win : 65535;
	map = option_map(c, NULL);
	tcp_options_to_wire(seg->options, seg->noptions, &map);
	return 0;
}
