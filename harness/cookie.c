/*
 * cookie.c - see cookie.h.
 *
 * A server's cookie is a hash of the SYN's addresses under its key
 * (tfo.h).  packetdrill's runners fix both: the corpora's defaults.sh sets
 * the key, the runner the addresses, and -D TFO_COOKIE is the result.  The
 * bed's addresses are documentation-range ones, so the kernel hands out
 * another cookie for the same key.  Rewriting between the two, as a NAT
 * rewrites addresses, keeps the kernel's check whole: a cookie only passes
 * when it is the right one for the script's view.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/tcp.h>		/* TCP_FASTOPEN_KEY without netinet/tcp.h's TCPOPT_ macros */
#include <stdlib.h>
#include <string.h>

#include "cookie.h"
#include "error.h"
#include "expr.h"
#include "sysctl.h"
#include "tfo.h"

#define COOKIE_MAX_KEYS	8	/* script keys, then the namespace's primary and backup */

struct cookie_view {
	size_t addr_len;			/* 4 or 16 */
	uint8_t bed_src[16], bed_dst[16];	/* a SYN toward the kernel, on the wire */
	uint8_t script_src[16], script_dst[16];	/* and as the script's runner sees it */
	uint8_t keys[COOKIE_MAX_KEYS][TFO_KEY_LEN];
	size_t nscript_keys;
};

/* text (maybe with "/prefix") if it is an address of family, else fallback. */
static void script_addr(const char *text, int family, const char *fallback, uint8_t *out)
{
	char host[64];
	size_t n = text ? strcspn(text, "/") : 0;

	if (text && n < sizeof(host)) {
		memcpy(host, text, n);
		host[n] = '\0';
		if (inet_pton(family, host, out) == 1)
			return;
	}
	inet_pton(family, fallback, out);
}

/* The 16 or 32 bytes of each setsockopt(..., TCP_FASTOPEN_KEY, "...", n) line. */
static void script_keys(struct cookie_view *v, const struct script *s)
{
	for (size_t i = 0; i < script_event_count(s); i++) {
		const struct event *ev = script_event(s, i);
		const struct syscall_event *sc = &ev->u.syscall;
		const struct expr *name, *val;
		size_t len;

		if (ev->type != EVENT_SYSCALL || strcmp(sc->name, "setsockopt") || sc->nargs < 4)
			continue;
		name = sc->args[2];
		val = sc->args[3];
		if (name->kind != EXPR_INT || name->value != TCP_FASTOPEN_KEY ||
		    val->kind != EXPR_STRING)
			continue;
		len = strlen(val->string);
		for (size_t k = 0; k + TFO_KEY_LEN <= len && k < 2 * TFO_KEY_LEN; k += TFO_KEY_LEN)
			if (v->nscript_keys < COOKIE_MAX_KEYS - 2)
				memcpy(v->keys[v->nscript_keys++], val->string + k, TFO_KEY_LEN);
	}
}

int cookie_view_attach(struct conn *c, const struct script *s,
		       const struct ip_address *kernel, const struct ip_address *harness,
		       const struct option_values *o, struct cookie_view **out,
		       char **error)
{
	struct cookie_view *v = calloc(1, sizeof(*v));
	bool v4 = kernel->family == AF_INET;

	*out = v;
	if (!v)
		return error_set(error, "out of memory");
	v->addr_len = v4 ? 4 : 16;
	memcpy(v->bed_src, &harness->u, v->addr_len);
	memcpy(v->bed_dst, &kernel->u, v->addr_len);
	script_addr(o->remote_ip, kernel->family, v4 ? "192.0.2.1" : "fd3d:fa7b:d17d::1",
		    v->script_src);
	script_addr(o->local_ip, kernel->family, v4 ? "192.168.0.1" : "fd3d:a0b:17d6::1",
		    v->script_dst);
	script_keys(v, s);
	conn_set_cookie_map(c, cookie_view_map, v);
	return STATUS_OK;
}

void cookie_view_free(struct cookie_view *v)
{
	free(v);
}

/* The script's keys (a listener's own, set by setsockopt), then the
 * namespace's as they are now (a shell command may have set them); the count. */
static size_t keys_now(struct cookie_view *v)
{
	char text[128];
	uint8_t keys[2][TFO_KEY_LEN];
	size_t n = v->nscript_keys;
	int got;

	if (sysctl_get("net.ipv4.tcp_fastopen_key", text, sizeof(text), NULL) < 0 ||
	    (got = tfo_key_parse(text, keys)) < 0)
		return n;
	for (int k = 0; k < got; k++)
		memcpy(v->keys[n++], keys[k], TFO_KEY_LEN);
	return n;
}

void cookie_view_map(void *ctx, uint8_t *cookie, size_t len, bool to_wire)
{
	struct cookie_view *v = ctx;
	size_t n;

	if (len != TFO_COOKIE_LEN || (!memcmp(v->bed_src, v->script_src, v->addr_len) &&
				      !memcmp(v->bed_dst, v->script_dst, v->addr_len)))
		return;
	n = keys_now(v);
	for (size_t k = 0; k < n; k++) {
		uint8_t bed[TFO_COOKIE_LEN], script[TFO_COOKIE_LEN];

		tfo_cookie(v->keys[k], v->bed_src, v->bed_dst, v->addr_len, bed);
		tfo_cookie(v->keys[k], v->script_src, v->script_dst, v->addr_len, script);
		if (!memcmp(cookie, to_wire ? script : bed, TFO_COOKIE_LEN)) {
			memcpy(cookie, to_wire ? bed : script, TFO_COOKIE_LEN);
			return;
		}
	}
}
