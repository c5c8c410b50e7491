/* packet_test.h - what the packet and TCP option suites share: exact-size heap copies, addresses, option and segment makers. */
#ifndef TCPCONF_TESTS_PACKET_TEST_H
#define TCPCONF_TESTS_PACKET_TEST_H

#include <arpa/inet.h>
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "packet.h"
#include "tcp_option.h"

enum { ETH = 14, IP4 = 20, IP6 = 40 };

static const uint8_t client_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t server_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };


/*
 * Inputs under test live in exactly-sized heap blocks, so a read past the
 * end is caught by valgrind (CK_FORK=no) or AddressSanitizer.
 */
static inline uint8_t *heap_copy(const void *p, size_t len)
{
	uint8_t *c = malloc(len ? len : 1);

	ck_assert_ptr_nonnull(c);
	if (len)
		memcpy(c, p, len);
	return c;
}

#define assert_error_has(err, needle)					\
	do {								\
		ck_assert_ptr_nonnull(err);				\
		ck_assert_msg(strstr((err), (needle)) != NULL,		\
			      "error \"%s\" lacks \"%s\"", (err), (needle)); \
	} while (0)

static inline struct ip_address addr(const char *text)
{
	struct ip_address a;

	memset(&a, 0, sizeof(a));
	a.family = strchr(text, ':') ? AF_INET6 : AF_INET;
	ck_assert_int_eq(inet_pton(a.family, text, &a.u), 1);
	return a;
}

static inline bool addr_eq(const struct ip_address *a, const char *text)
{
	struct ip_address b = addr(text);

	if (a->family != b.family)
		return false;
	return a->family == AF_INET ?
		!memcmp(&a->u.v4, &b.u.v4, 4) : !memcmp(&a->u.v6, &b.u.v6, 16);
}

static inline struct tcp_option opt_mss(uint16_t mss)
{
	struct tcp_option o = { .kind = TCPOPT_MSS, .len = 4 };

	o.u.mss = mss;
	return o;
}

static inline struct tcp_option opt_simple(uint8_t kind)
{
	struct tcp_option o = { .kind = kind, .len = kind <= TCPOPT_NOP ? 1 : 2 };

	return o;
}

static inline struct tcp_option opt_ts(uint32_t val, uint32_t ecr)
{
	struct tcp_option o = { .kind = TCPOPT_TS, .len = 10 };

	o.u.ts.val = val;
	o.u.ts.ecr = ecr;
	return o;
}

static inline struct tcp_option opt_wscale(uint8_t ws)
{
	struct tcp_option o = { .kind = TCPOPT_WSCALE, .len = 3 };

	o.u.wscale = ws;
	return o;
}

static inline struct tcp_segment segment(uint16_t flags, uint32_t seq, uint32_t ack,
				  uint16_t win)
{
	struct tcp_segment s;

	memset(&s, 0, sizeof(s));
	s.flags = flags;
	s.seq = seq;
	s.ack = ack;
	s.win = win;
	return s;
}

static inline char *format_segment(const struct tcp_segment *s)
{
	static char buf[512];
	int len = packet_format(s, buf, sizeof(buf));

	ck_assert_int_eq(len, (int)strlen(buf));
	return buf;
}

#endif
