/* tfo.h - TCP Fast Open server cookies as Linux computes them: SipHash-2-4 of the SYN's source and destination addresses under the listener's 128-bit key. */
#ifndef TCPCONF_TFO_H
#define TCPCONF_TFO_H

#include <stddef.h>
#include <stdint.h>

#define TFO_KEY_LEN	16	/* one key; a kernel holds a primary and maybe a backup */
#define TFO_COOKIE_LEN	8

/*
 * SipHash-2-4 of len bytes at data under key (k0 is its first 8 bytes read
 * little-endian, k1 the next 8: the layout getsockopt(TCP_FASTOPEN_KEY)
 * returns and setsockopt() takes).
 */
uint64_t tfo_siphash(const uint8_t key[TFO_KEY_LEN], const void *data, size_t len);

/*
 * The cookie a Linux server hands a client whose SYN went from src to dst,
 * each addr_len bytes (4 for IPv4, 16 for IPv6, network order), into
 * cookie: the hash over source then destination, stored little-endian.
 */
void tfo_cookie(const uint8_t key[TFO_KEY_LEN], const void *src, const void *dst,
		size_t addr_len, uint8_t cookie[TFO_COOKIE_LEN]);

/*
 * The keys of net.ipv4.tcp_fastopen_key's text, "%08x-%08x-%08x-%08x" for
 * the primary and ",..." for a backup, into keys in the byte layout above
 * (the kernel prints each 32-bit word of the key little-endian).  The
 * count (1 or 2), or -1 when text is not that.
 */
int tfo_key_parse(const char *text, uint8_t keys[2][TFO_KEY_LEN]);

#endif
