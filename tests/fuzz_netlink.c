/*
 * fuzz_netlink.c - libFuzzer target for the netlink reply parsers: one read
 * as the kernel could return it, handed to diag's dump parser, or to nl's
 * ack/DONE walk the way rtnl (one ack, a family header and attributes before
 * it) and nft (a batch's acks) use it.  The first input byte picks which
 * (0 diag, 1 rtnl, 2 nft); the rest is the read, copied to a buffer of its
 * exact size so ASan sees any read past it.
 *
 * Besides "no crash, no out-of-bounds read", it traps when a parse that
 * succeeds leaves an impossible state: a refusal outside the kernel's errno
 * range, more acks than messages, an unterminated text, a failure without
 * a message.
 *
 * Seeds: real replies in tests/corpus/netlink/ (tests/capture_netlink.c).
 * Build and run (see the Makefile's fuzz target):
 *   clang -g -O1 -std=gnu11 -D_GNU_SOURCE -Ilib -fsanitize=fuzzer,address,undefined \
 *     -o tests/fuzz_netlink tests/fuzz_netlink.c lib/nl.c lib/diag.c lib/error.c -lmnl
 *   ./tests/fuzz_netlink -max_total_time=60 build/corpus/netlink
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "diag.h"
#include "error.h"
#include "nl.h"

static void check(bool ok)
{
	if (!ok)
		__builtin_trap();
}

static int rtnl_attr(const struct nlattr *attr, void *data)
{
	size_t *seen = data;

	/* rtnl reads IFLA_OPERSTATE as a u8 after validating it. */
	if (mnl_attr_validate(attr, MNL_TYPE_U8) == 0)
		*seen += mnl_attr_get_u8(attr);
	*seen += mnl_attr_get_payload_len(attr);
	return MNL_CB_OK;
}

/* As rtnl's link_reply(): the family header, then its attributes. */
static int rtnl_msg(const struct nlmsghdr *nlh, void *data, char **error)
{
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ifinfomsg))
		return error_set(error, "short");
	mnl_attr_parse(nlh, sizeof(struct ifinfomsg), rtnl_attr, data);
	return STATUS_OK;
}

static void fuzz_diag(const uint8_t *buf, size_t len)
{
	struct ip_address lo = { .family = AF_INET };
	struct diag_sock d;
	char *error = NULL;
	int done, rc;

	lo.u.v4.s_addr = htonl(INADDR_LOOPBACK);
	rc = diag_reply_find(buf, len, &lo, 8080, &lo, 40000, &d, &done, &error);
	check(rc == 0 || rc == 1 || rc == STATUS_ERROR);
	check(rc != STATUS_ERROR || error);
	free(error);
}

/* 1 rtnl: one request (seq 4242) waiting for its ack; 2 nft: a batch of 8 (seq 100...) with 6 acks due. */
static void fuzz_acks(int nft, const uint8_t *buf, size_t len)
{
	struct nl_exchange x = {
		.seq_first = nft ? 100 : 4242,
		.seq_last = nft ? 107 : 4242,
		.acks_wanted = nft ? 6 : 1,
	};
	size_t seen = 0;
	char *error = NULL;
	int rc;

	rc = nl_exchange_parse(&x, buf, len, nft ? NULL : rtnl_msg, &seen,
			       &error);
	check(rc == STATUS_OK || (rc == STATUS_ERROR && error));
	check(x.error >= 0 && x.error <= 4095);
	check(x.acks <= len / sizeof(struct nlmsghdr));
	check(memchr(x.text, 0, sizeof(x.text)) != NULL);
	free(error);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf;
	size_t len;

	if (size < 1)
		return 0;
	len = size - 1;
	buf = malloc(len ? len : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, len);
	switch (data[0] % 3) {
	case 0:
		fuzz_diag(buf, len);
		break;
	default:
		fuzz_acks(data[0] % 3 == 2, buf, len);
		break;
	}
	free(buf);
	return 0;
}
