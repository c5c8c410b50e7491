/*
 * fuzz_packet.c - libFuzzer target for the frame and TCP option parsers.
 *
 * Besides "no crash, no out-of-bounds read", it checks two properties and
 * traps when they fail:
 *  - an option list that parses re-encodes to exactly the bytes it came
 *    from (up to and including an EOL);
 *  - a TCP frame that parses can be rebuilt, and the rebuilt frame parses
 *    to the same segment with a correct checksum.
 *
 * Build and run (see the Makefile's fuzz target):
 *   clang -g -O1 -std=gnu11 -D_GNU_SOURCE -Ilib -fsanitize=fuzzer,address,undefined \
 *     -o tests/fuzz_packet tests/fuzz_packet.c lib/packet.c lib/checksum.c lib/error.c
 *   ./tests/fuzz_packet -max_total_time=60 build/corpus/packet
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "packet.h"

static void check(bool ok)
{
	if (!ok)
		__builtin_trap();
}

static void fuzz_options(const uint8_t *data, size_t size)
{
	struct tcp_option opts[TCP_MAX_OPTIONS];
	uint8_t count, buf[64];
	size_t len, consumed = 0;
	char *error = NULL, line[1024];

	if (tcp_options_parse(data, size, opts, &count, &error)) {
		check(error != NULL && count == 0);
		free(error);
		return;
	}
	check(error == NULL);
	for (uint8_t i = 0; i < count; i++)
		consumed += opts[i].len;
	check(consumed <= size);
	check(tcp_options_build(opts, count, buf, sizeof(buf), &len, NULL) == 0);
	check(len == consumed && !memcmp(buf, data, len));
	check(tcp_options_format(opts, count, line, sizeof(line)) < (int)sizeof(line));
}

static bool same_segment(const struct tcp_segment *a, const struct tcp_segment *b)
{
	if (a->sport != b->sport || a->dport != b->dport || a->seq != b->seq ||
	    a->ack != b->ack || a->flags != b->flags || a->win != b->win ||
	    a->urg != b->urg || a->tos != b->tos ||
	    (a->ttl && a->ttl != b->ttl) || a->noptions != b->noptions ||
	    a->payload_len != b->payload_len ||
	    (a->payload_len && memcmp(a->payload, b->payload, a->payload_len)))
		return false;
	for (uint8_t i = 0; i < a->noptions; i++)
		if (a->options[i].kind != b->options[i].kind ||
		    a->options[i].len != b->options[i].len)
			return false;
	return true;
}

static void fuzz_frame(const uint8_t *data, size_t size)
{
	struct packet_info info, again;
	char *error = NULL, line[1024];
	size_t cap = size + 128, len;
	uint8_t *buf;

	if (packet_parse(data, size, &info, &error)) {
		check(error != NULL && info.kind == PACKET_OTHER);
		free(error);
		return;
	}
	check(error == NULL);
	if (info.kind != PACKET_TCP)
		return;
	check(packet_format(&info.tcp, line, sizeof(line)) < (int)sizeof(line));

	buf = malloc(cap);
	if (!buf)
		return;
	check(packet_build_tcp(&info.tcp, info.eth_src, info.eth_dst, buf, cap,
			       &len, NULL) == 0);
	check(packet_parse(buf, len, &again, NULL) == 0);
	check(again.kind == PACKET_TCP && again.checksum_ok);
	check(same_segment(&info.tcp, &again.tcp));
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_frame(data, size);
	fuzz_options(data, size > 40 ? 40 : size);
	return 0;
}
