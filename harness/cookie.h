/* cookie.h - TCP Fast Open cookies as packetdrill's runners see them: the kernel hashes the bed's addresses, a script carries the cookie of the addresses its runner gave (--local_ip, --remote_ip), and the harness rewrites the one into the other. */
#ifndef TCPCONF_COOKIE_H
#define TCPCONF_COOKIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "option.h"
#include "packet.h"
#include "script.h"

struct cookie_view;

/*
 * A view for a run whose bed gives the kernel side kernel and the harness
 * side harness, attached to c (conn_set_cookie_map()).  The script's
 * addresses are o->local_ip and o->remote_ip when they are of the run's
 * family, else the ones packetdrill's runners pass (192.168.0.1 and
 * 192.0.2.1; fd3d:a0b:17d6::1 and fd3d:fa7b:d17d::1).  The keys s sets
 * with setsockopt(TCP_FASTOPEN_KEY) are remembered; the namespace's own is
 * read when a cookie passes.  *out is the caller's, freed with
 * cookie_view_free() after c stops using it; STATUS_ERROR with *error
 * without memory.
 */
int cookie_view_attach(struct conn *c, const struct script *s,
		       const struct ip_address *kernel, const struct ip_address *harness,
		       const struct option_values *o, struct cookie_view **out,
		       char **error);
void cookie_view_free(struct cookie_view *v);

/*
 * The map conn calls (ctx: a cookie_view): a cookie that is the script's
 * addresses' under a known key becomes the bed's under that key (to_wire),
 * and back.  Any other cookie, a client's own or a wrong one, passes as it
 * is, so a script that expects a wrong cookie still fails.  Reads
 * net.ipv4.tcp_fastopen_key of the calling thread's network namespace,
 * which must be the kernel side's.
 */
void cookie_view_map(void *ctx, uint8_t *cookie, size_t len, bool to_wire);

#endif
