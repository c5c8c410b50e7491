/* check_packet.c - TCP options, frame building and parsing, and the one-line format, against frames captured from Linux. */
#include <arpa/inet.h>
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "error.h"
#include "packet.h"
#include "frames.h"
#include "suites.h"

/* What tcpdump decoded from each real frame, and the line we must print. */
static const struct real_frame {
	const char *name;
	const uint8_t *bytes;
	size_t len;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	uint8_t ttl;
	size_t payload_len;
	const char *line;
} real_frames[] = {
	{ "v4_syn", v4_syn, sizeof(v4_syn), 40000, 8080, 2467812873u, 0u, 0x02, 64240, 64, 0,
	  "S 2467812873:2467812873(0) win 64240 <mss 1460,sackOK,TS val 168597899 ecr 0,nop,wscale 10>" },
	{ "v4_synack", v4_synack, sizeof(v4_synack), 8080, 40000, 726366952u, 2467812874u, 0x12, 65160, 64, 0,
	  "S. 726366952:726366952(0) ack 2467812874 win 65160 <mss 1460,sackOK,TS val 299792980 ecr 168597899,nop,wscale 10>" },
	{ "v4_ack", v4_ack, sizeof(v4_ack), 40000, 8080, 2467812874u, 726366953u, 0x10, 63, 64, 0,
	  ". 2467812874:2467812874(0) ack 726366953 win 63 <nop,nop,TS val 168597899 ecr 299792980>" },
	{ "v4_data", v4_data, sizeof(v4_data), 40000, 8080, 2467812874u, 726366953u, 0x18, 63, 64, 5,
	  "P. 2467812874:2467812879(5) ack 726366953 win 63 <nop,nop,TS val 168597900 ecr 299792980>" },
	{ "v4_data_ack", v4_data_ack, sizeof(v4_data_ack), 8080, 40000, 726366953u, 2467812879u, 0x10, 64, 64, 0,
	  ". 726366953:726366953(0) ack 2467812879 win 64 <nop,nop,TS val 299792981 ecr 168597900>" },
	{ "v4_fin", v4_fin, sizeof(v4_fin), 40000, 8080, 2467812879u, 726366953u, 0x11, 63, 64, 0,
	  "F. 2467812879:2467812879(0) ack 726366953 win 63 <nop,nop,TS val 168598000 ecr 299792981>" },
	{ "v4_finack", v4_finack, sizeof(v4_finack), 8080, 40000, 726366953u, 2467812880u, 0x11, 64, 64, 0,
	  "F. 726366953:726366953(0) ack 2467812880 win 64 <nop,nop,TS val 299793082 ecr 168598000>" },
	{ "v4_last_ack", v4_last_ack, sizeof(v4_last_ack), 40000, 8080, 2467812880u, 726366954u, 0x10, 63, 64, 0,
	  ". 2467812880:2467812880(0) ack 726366954 win 63 <nop,nop,TS val 168598001 ecr 299793082>" },
	{ "v6_syn", v6_syn, sizeof(v6_syn), 40000, 8080, 122461048u, 0u, 0x02, 64800, 64, 0,
	  "S 122461048:122461048(0) win 64800 <mss 1440,sackOK,TS val 1724941650 ecr 0,nop,wscale 10>" },
	{ "v6_synack", v6_synack, sizeof(v6_synack), 8080, 40000, 2053440502u, 122461049u, 0x12, 64260, 64, 0,
	  "S. 2053440502:2053440502(0) ack 122461049 win 64260 <mss 1440,sackOK,TS val 1333574644 ecr 1724941650,nop,wscale 10>" },
	{ "v6_ack", v6_ack, sizeof(v6_ack), 40000, 8080, 122461049u, 2053440503u, 0x10, 64, 64, 0,
	  ". 122461049:122461049(0) ack 2053440503 win 64 <nop,nop,TS val 1724941650 ecr 1333574644>" },
	{ "v6_data", v6_data, sizeof(v6_data), 40000, 8080, 122461049u, 2053440503u, 0x18, 64, 64, 5,
	  "P. 122461049:122461054(5) ack 2053440503 win 64 <nop,nop,TS val 1724941650 ecr 1333574644>" },
	{ "v6_data_ack", v6_data_ack, sizeof(v6_data_ack), 8080, 40000, 2053440503u, 122461054u, 0x10, 63, 64, 0,
	  ". 2053440503:2053440503(0) ack 122461054 win 63 <nop,nop,TS val 1333574644 ecr 1724941650>" },
	{ "v6_fin", v6_fin, sizeof(v6_fin), 40000, 8080, 122461054u, 2053440503u, 0x11, 64, 64, 0,
	  "F. 122461054:122461054(0) ack 2053440503 win 64 <nop,nop,TS val 1724941750 ecr 1333574644>" },
	{ "v6_finack", v6_finack, sizeof(v6_finack), 8080, 40000, 2053440503u, 122461055u, 0x11, 63, 64, 0,
	  "F. 2053440503:2053440503(0) ack 122461055 win 63 <nop,nop,TS val 1333574745 ecr 1724941750>" },
	{ "v6_last_ack", v6_last_ack, sizeof(v6_last_ack), 40000, 8080, 122461055u, 2053440504u, 0x10, 64, 64, 0,
	  ". 122461055:122461055(0) ack 2053440504 win 64 <nop,nop,TS val 1724941751 ecr 1333574745>" },
};

#define N_REAL (sizeof(real_frames) / sizeof(real_frames[0]))

enum { ETH = 14, IP4 = 20, IP6 = 40 };

static const uint8_t client_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t server_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };

/*
 * Inputs under test live in exactly-sized heap blocks, so a read past the
 * end is caught by valgrind (CK_FORK=no) or AddressSanitizer.
 */
static uint8_t *heap_copy(const void *p, size_t len)
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

static struct ip_address addr(const char *text)
{
	struct ip_address a;

	memset(&a, 0, sizeof(a));
	a.family = strchr(text, ':') ? AF_INET6 : AF_INET;
	ck_assert_int_eq(inet_pton(a.family, text, &a.u), 1);
	return a;
}

static bool addr_eq(const struct ip_address *a, const char *text)
{
	struct ip_address b = addr(text);

	if (a->family != b.family)
		return false;
	return a->family == AF_INET ?
		!memcmp(&a->u.v4, &b.u.v4, 4) : !memcmp(&a->u.v6, &b.u.v6, 16);
}

static int parse_heap(const uint8_t *frame, size_t len, struct packet_info *info,
		      char **error)
{
	uint8_t *c = heap_copy(frame, len);
	int ret = packet_parse(c, len, info, error);

	/* info points into the frame: callers only look at scalar fields
	 * after this, so the copy can go. */
	free(c);
	info->tcp.payload = NULL;
	return ret;
}

static int options_parse_heap(const uint8_t *opts, size_t len,
			      struct tcp_option *out, uint8_t *count,
			      char **error)
{
	uint8_t *c = heap_copy(opts, len);
	int ret = tcp_options_parse(c, len, out, count, error);

	free(c);
	return ret;
}

static struct tcp_option opt_mss(uint16_t mss)
{
	struct tcp_option o = { .kind = TCPOPT_MSS, .len = 4 };

	o.u.mss = mss;
	return o;
}

static struct tcp_option opt_simple(uint8_t kind)
{
	struct tcp_option o = { .kind = kind, .len = kind <= TCPOPT_NOP ? 1 : 2 };

	return o;
}

static struct tcp_option opt_ts(uint32_t val, uint32_t ecr)
{
	struct tcp_option o = { .kind = TCPOPT_TS, .len = 10 };

	o.u.ts.val = val;
	o.u.ts.ecr = ecr;
	return o;
}

static struct tcp_option opt_wscale(uint8_t ws)
{
	struct tcp_option o = { .kind = TCPOPT_WSCALE, .len = 3 };

	o.u.wscale = ws;
	return o;
}

/* ---- option lists --------------------------------------------------- */

START_TEST(options_parse_decodes_a_linux_syn_option_list)
{
	/* The option bytes of v4_syn. */
	const uint8_t *opts = v4_syn + ETH + IP4 + 20;
	struct tcp_option o[TCP_MAX_OPTIONS];
	uint8_t n = 99;
	char *err = NULL;

	ck_assert_int_eq(options_parse_heap(opts, 20, o, &n, &err), STATUS_OK);
	ck_assert_ptr_null(err);
	ck_assert_uint_eq(n, 5);
	ck_assert_uint_eq(o[0].kind, TCPOPT_MSS);
	ck_assert_uint_eq(o[0].len, 4);
	ck_assert_uint_eq(o[0].u.mss, 1460);
	ck_assert_uint_eq(o[1].kind, TCPOPT_SACK_PERM);
	ck_assert_uint_eq(o[1].len, 2);
	ck_assert_uint_eq(o[2].kind, TCPOPT_TS);
	ck_assert_uint_eq(o[2].len, 10);
	ck_assert_uint_eq(o[2].u.ts.val, 168597899u);
	ck_assert_uint_eq(o[2].u.ts.ecr, 0);
	ck_assert_uint_eq(o[3].kind, TCPOPT_NOP);
	ck_assert_uint_eq(o[3].len, 1);
	ck_assert_uint_eq(o[4].kind, TCPOPT_WSCALE);
	ck_assert_uint_eq(o[4].len, 3);
	ck_assert_uint_eq(o[4].u.wscale, 10);
}
END_TEST

START_TEST(options_parse_empty_list_gives_no_options)
{
	struct tcp_option o[TCP_MAX_OPTIONS];
	uint8_t n = 99;

	ck_assert_int_eq(tcp_options_parse(NULL, 0, o, &n, NULL), STATUS_OK);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(options_parse_sack_with_1_to_4_blocks)
{
	/* _i is the number of blocks (loop test 1..4) */
	uint8_t buf[2 + 8 * TCP_MAX_SACK] = {
		0x05,			/* kind SACK */
		(uint8_t)(2 + 8 * _i),	/* length */
	};
	struct tcp_option o[TCP_MAX_OPTIONS];
	uint8_t n;

	for (int b = 0; b < _i; b++) {
		uint32_t left = 1000u * (b + 1), right = left + 500;

		for (int k = 0; k < 4; k++) {
			buf[2 + 8 * b + k] = (uint8_t)(left >> (24 - 8 * k));
			buf[6 + 8 * b + k] = (uint8_t)(right >> (24 - 8 * k));
		}
	}
	ck_assert_int_eq(options_parse_heap(buf, 2 + 8 * _i, o, &n, NULL),
			 STATUS_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(o[0].kind, TCPOPT_SACK);
	ck_assert_uint_eq(o[0].len, 2 + 8 * _i);
	ck_assert_uint_eq(o[0].u.sack.count, _i);
	for (int b = 0; b < _i; b++) {
		ck_assert_uint_eq(o[0].u.sack.block[b].left, 1000u * (b + 1));
		ck_assert_uint_eq(o[0].u.sack.block[b].right, 1000u * (b + 1) + 500);
	}
}
END_TEST

START_TEST(options_parse_stops_at_eol_and_ignores_what_follows)
{
	static const uint8_t opts[] = {
		0x01,			/* nop */
		0x00,			/* eol */
		0x02, 0x01,		/* would be a bad MSS, but it is padding */
		0xff, 0xff, 0xff, 0xff,
	};
	struct tcp_option o[TCP_MAX_OPTIONS];
	uint8_t n;
	char *err = NULL;

	ck_assert_int_eq(options_parse_heap(opts, sizeof(opts), o, &n, &err),
			 STATUS_OK);
	ck_assert_ptr_null(err);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(o[0].kind, TCPOPT_NOP);
	ck_assert_uint_eq(o[1].kind, TCPOPT_EOL);
	ck_assert_uint_eq(o[1].len, 1);
}
END_TEST

START_TEST(options_parse_keeps_unknown_kinds_raw)
{
	static const uint8_t opts[] = {
		0x1e, 0x05, 0xab, 0xcd, 0xef,	/* kind 30, length 5 */
		0xfd, 0x02,			/* kind 253, length 2: no body */
		0x01,				/* nop */
	};
	struct tcp_option o[TCP_MAX_OPTIONS];
	uint8_t n;

	ck_assert_int_eq(options_parse_heap(opts, sizeof(opts), o, &n, NULL),
			 STATUS_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(o[0].kind, 30);
	ck_assert_uint_eq(o[0].len, 5);
	ck_assert_mem_eq(o[0].u.raw, "\xab\xcd\xef", 3);
	ck_assert_uint_eq(o[1].kind, 253);
	ck_assert_uint_eq(o[1].len, 2);
	ck_assert_uint_eq(o[2].kind, TCPOPT_NOP);
}
END_TEST

START_TEST(options_parse_accepts_40_nops_the_most_a_header_holds)
{
	uint8_t opts[40];
	struct tcp_option o[TCP_MAX_OPTIONS];
	uint8_t n;

	memset(opts, TCPOPT_NOP, sizeof(opts));
	ck_assert_int_eq(options_parse_heap(opts, sizeof(opts), o, &n, NULL),
			 STATUS_OK);
	ck_assert_uint_eq(n, 40);
}
END_TEST

/* Malformed lists: each must fail with a message naming offset and problem. */
static const struct bad_options {
	const char *claim;
	uint8_t bytes[44];
	size_t len;
	const char *offset;		/* expected in the message */
	const char *problem;		/* expected in the message */
} bad_options[] = {
	{ "mss without its length byte", { 0x02 }, 1,
	  "offset 0", "length byte is past the end" },
	{ "unknown kind as the last byte", { 0x01, 0x01, 0x1e }, 3,
	  "offset 2", "length byte is past the end" },
	{ "length 0", { 0x1e, 0x00, 0x01, 0x01 }, 4,
	  "offset 0", "length 0 is less than 2" },
	{ "length 1", { 0x01, 0x1e, 0x01, 0x01 }, 4,
	  "offset 1", "length 1 is less than 2" },
	{ "mss length 0", { 0x02, 0x00, 0x05, 0xb4 }, 4,
	  "offset 0", "length 0 is less than 2" },
	{ "length past the end", { 0x02, 0x04, 0x05 }, 3,
	  "offset 0", "length 4 runs past the end of the 3-byte list" },
	{ "unknown kind past the end", { 0x01, 0x1e, 0x28, 0x00 }, 4,
	  "offset 1", "length 40 runs past the end of the 4-byte list" },
	{ "mss with length 3", { 0x02, 0x03, 0x05, 0x01 }, 4,
	  "offset 0", "length 3, must be 4" },
	{ "mss with length 5", { 0x02, 0x05, 0x05, 0xb4, 0x00 }, 5,
	  "offset 0", "length 5, must be 4" },
	{ "wscale with length 4", { 0x03, 0x04, 0x07, 0x00 }, 4,
	  "offset 0", "length 4, must be 3" },
	{ "sackOK with length 3", { 0x01, 0x01, 0x04, 0x03, 0x00 }, 5,
	  "offset 2", "length 3, must be 2" },
	{ "TS with length 9", { 0x08, 0x09, 1, 2, 3, 4, 5, 6, 7 }, 9,
	  "offset 0", "length 9, must be 10" },
	{ "TS with length 11", { 0x08, 0x0b, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, 11,
	  "offset 0", "length 11, must be 10" },
	{ "TS cut short", { 0x01, 0x01, 0x08, 0x0a, 1, 2, 3, 4 }, 8,
	  "offset 2", "length 10 runs past the end" },
	{ "SACK with length 11", { 0x05, 0x0b, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, 11,
	  "offset 0", "must be 2 + 8 * blocks" },
	{ "SACK with no blocks", { 0x05, 0x02, 0x01, 0x01 }, 4,
	  "offset 0", "must be 2 + 8 * blocks" },
	{ "SACK longer than the list", { 0x05, 0x12, 1, 2, 3, 4, 5, 6, 7, 8 }, 10,
	  "offset 0", "length 18 runs past the end" },
	{ "bad option after good ones",
	  { 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x03, 0x02 }, 8,
	  "offset 6", "length 2, must be 3" },
	{ "list longer than 40 bytes", { 0x01 }, 41,
	  "41 bytes", "longer than the 40" },
};

START_TEST(options_parse_rejects_malformed_list_naming_offset)
{
	const struct bad_options *b = &bad_options[_i];
	struct tcp_option o[TCP_MAX_OPTIONS];
	uint8_t n = 99;
	char *err = NULL;
	int ret;

	ret = options_parse_heap(b->bytes, b->len, o, &n, &err);
	ck_assert_msg(ret == STATUS_ERROR, "%s: accepted", b->claim);
	ck_assert_uint_eq(n, 0);
	assert_error_has(err, b->offset);
	assert_error_has(err, b->problem);
	free(err);
}
END_TEST

START_TEST(options_parse_every_truncation_of_a_valid_list_is_safe)
{
	static const uint8_t opts[] = {
		0x02, 0x04, 0x05, 0xb4,			/* mss 1460 */
		0x01,					/* nop */
		0x03, 0x03, 0x07,			/* wscale 7 */
		0x05, 0x12,				/* sack, 2 blocks */
		0, 0, 0, 1, 0, 0, 0, 2,
		0, 0, 0, 3, 0, 0, 0, 4,
		0x08, 0x0a, 0, 0, 0, 100, 0, 0, 0, 0,	/* TS val 100 ecr 0 */
	};
	/* Cuts that fall on an option boundary leave a valid list. */
	static const size_t ok[] = { 0, 4, 5, 8, 26, 36 };

	for (size_t len = 0; len <= sizeof(opts); len++) {
		struct tcp_option o[TCP_MAX_OPTIONS];
		uint8_t n;
		char *err = NULL;
		bool valid = false;
		int ret;

		for (size_t k = 0; k < sizeof(ok) / sizeof(ok[0]); k++)
			valid |= ok[k] == len;
		ret = options_parse_heap(opts, len, o, &n, &err);
		ck_assert_msg(ret == (valid ? STATUS_OK : STATUS_ERROR),
			      "cut at %zu: %s", len, err ? err : "accepted");
		if (!valid)
			assert_error_has(err, "offset");
		free(err);
	}
}
END_TEST

START_TEST(options_build_reproduces_linux_syn_option_bytes)
{
	struct tcp_option o[] = {
		opt_mss(1460), opt_simple(TCPOPT_SACK_PERM),
		opt_ts(168597899u, 0), opt_simple(TCPOPT_NOP), opt_wscale(10),
	};
	uint8_t buf[40];
	size_t len;

	ck_assert_int_eq(tcp_options_build(o, 5, buf, sizeof(buf), &len, NULL),
			 STATUS_OK);
	ck_assert_uint_eq(len, 20);
	ck_assert_mem_eq(buf, v4_syn + ETH + IP4 + 20, 20);
}
END_TEST

START_TEST(options_build_then_parse_gives_the_same_list)
{
	struct tcp_option in[8], out[TCP_MAX_OPTIONS];
	uint8_t buf[40], n;
	size_t len;

	memset(in, 0, sizeof(in));
	in[0] = opt_simple(TCPOPT_NOP);
	in[1] = opt_simple(TCPOPT_NOP);
	in[2] = opt_ts(0xfffffffeu, 7);
	in[3].kind = TCPOPT_SACK;
	in[3].len = 18;
	in[3].u.sack.count = 2;
	in[3].u.sack.block[0].left = 1;
	in[3].u.sack.block[0].right = 2;
	in[3].u.sack.block[1].left = 0x80000000u;
	in[3].u.sack.block[1].right = 0xffffffffu;
	in[4].kind = 30;			/* unknown, kept raw */
	in[4].len = 4;
	in[4].u.raw[0] = 0x12;
	in[4].u.raw[1] = 0x34;
	in[5] = opt_simple(TCPOPT_EOL);
	ck_assert_int_eq(tcp_options_build(in, 6, buf, sizeof(buf), &len, NULL),
			 STATUS_OK);
	ck_assert_uint_eq(len, 1 + 1 + 10 + 18 + 4 + 1);
	ck_assert_int_eq(options_parse_heap(buf, len, out, &n, NULL), STATUS_OK);
	ck_assert_uint_eq(n, 6);
	for (int i = 0; i < 6; i++) {
		ck_assert_uint_eq(out[i].kind, in[i].kind);
		ck_assert_uint_eq(out[i].len, in[i].len);
	}
	ck_assert_uint_eq(out[2].u.ts.val, 0xfffffffeu);
	ck_assert_uint_eq(out[2].u.ts.ecr, 7);
	ck_assert_uint_eq(out[3].u.sack.count, 2);
	ck_assert_uint_eq(out[3].u.sack.block[1].left, 0x80000000u);
	ck_assert_uint_eq(out[3].u.sack.block[1].right, 0xffffffffu);
	ck_assert_mem_eq(out[4].u.raw, "\x12\x34", 2);
}
END_TEST

START_TEST(options_build_takes_known_lengths_from_the_kind)
{
	/* A script-made option may leave len 0: the kind decides. */
	struct tcp_option o = opt_mss(536);
	uint8_t buf[8];
	size_t len;

	o.len = 0;
	ck_assert_int_eq(tcp_options_build(&o, 1, buf, sizeof(buf), &len, NULL),
			 STATUS_OK);
	ck_assert_uint_eq(len, 4);
	ck_assert_mem_eq(buf, "\x02\x04\x02\x18", 4);
}
END_TEST

START_TEST(options_build_rejects_sack_without_1_to_4_blocks)
{
	struct tcp_option o = { .kind = TCPOPT_SACK };
	uint8_t buf[40];
	size_t len;
	char *err = NULL;

	o.u.sack.count = 0;
	ck_assert_int_eq(tcp_options_build(&o, 1, buf, sizeof(buf), &len, &err),
			 STATUS_ERROR);
	assert_error_has(err, "0 blocks");
	o.u.sack.count = 5;
	ck_assert_int_eq(tcp_options_build(&o, 1, buf, sizeof(buf), &len, &err),
			 STATUS_ERROR);
	assert_error_has(err, "5 blocks");
	free(err);
}
END_TEST

START_TEST(options_build_rejects_unknown_kind_with_bad_length)
{
	struct tcp_option o = { .kind = 30, .len = 1 };
	uint8_t buf[64];
	size_t len;
	char *err = NULL;

	ck_assert_int_eq(tcp_options_build(&o, 1, buf, sizeof(buf), &len, &err),
			 STATUS_ERROR);
	assert_error_has(err, "length 1, must be 2 to 40");
	o.len = 41;
	ck_assert_int_eq(tcp_options_build(&o, 1, buf, sizeof(buf), &len, &err),
			 STATUS_ERROR);
	assert_error_has(err, "length 41");
	free(err);
}
END_TEST

START_TEST(options_build_rejects_a_list_that_overflows_the_buffer)
{
	struct tcp_option o[] = { opt_ts(1, 2), opt_ts(3, 4) };
	uint8_t *buf = malloc(15);
	size_t len = 99;
	char *err = NULL;

	ck_assert_int_eq(tcp_options_build(o, 2, buf, 15, &len, &err),
			 STATUS_ERROR);
	ck_assert_uint_eq(len, 0);
	assert_error_has(err, "TCP option 1 (TS) needs 10 bytes but only 5 of 15");
	free(err);
	free(buf);
}
END_TEST

/* ---- formatting ----------------------------------------------------- */

static char *format_options(const struct tcp_option *o, uint8_t n)
{
	static char buf[512];
	int len = tcp_options_format(o, n, buf, sizeof(buf));

	ck_assert_int_eq(len, (int)strlen(buf));
	return buf;
}

START_TEST(options_format_uses_packetdrill_spelling)
{
	struct tcp_option o[] = {
		opt_mss(1460), opt_simple(TCPOPT_SACK_PERM), opt_ts(100, 0),
		opt_simple(TCPOPT_NOP), opt_wscale(7),
	};

	ck_assert_str_eq(format_options(o, 5),
			 "<mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>");
}
END_TEST

START_TEST(options_format_sack_blocks_and_eol)
{
	struct tcp_option o[3] = { opt_simple(TCPOPT_NOP) };

	o[1].kind = TCPOPT_SACK;
	o[1].len = 18;
	o[1].u.sack.count = 2;
	o[1].u.sack.block[0].left = 1;
	o[1].u.sack.block[0].right = 2;
	o[1].u.sack.block[1].left = 3;
	o[1].u.sack.block[1].right = 4;
	o[2] = opt_simple(TCPOPT_EOL);
	ck_assert_str_eq(format_options(o, 3), "<nop,sack 1:2 3:4,eol>");
}
END_TEST

START_TEST(options_format_md5_fastopen_and_unknown_kinds)
{
	struct tcp_option o[4];

	memset(o, 0, sizeof(o));
	o[0].kind = 19;				/* md5: 16-byte digest */
	o[0].len = 18;
	for (int i = 0; i < 16; i++)
		o[0].u.raw[i] = (uint8_t)i;
	o[1].kind = 34;				/* fast open cookie */
	o[1].len = 6;
	memcpy(o[1].u.raw, "\xde\xad\xbe\xef", 4);
	o[2].kind = 254;			/* experimental fast open */
	o[2].len = 8;
	memcpy(o[2].u.raw, "\xf9\x89\x01\x02\x03\x04", 6);
	o[3].kind = 30;
	o[3].len = 4;
	memcpy(o[3].u.raw, "\xab\xcd", 2);
	ck_assert_str_eq(format_options(o, 4),
			 "<md5 000102030405060708090a0b0c0d0e0f,FO deadbeef,"
			 "FOEXP 01020304,kind 30 len 4 data abcd>");
	o[3].len = 2;
	o[1].len = 2;
	ck_assert_str_eq(format_options(o + 1, 1), "<FO>");
	ck_assert_str_eq(format_options(o + 3, 1), "<kind 30 len 2>");
	/* a caller-made option with an impossible length stays in raw[] */
	o[3].len = 255;
	format_options(o + 3, 1);
}
END_TEST

START_TEST(options_format_of_no_options_is_empty)
{
	char buf[8] = "junk";

	ck_assert_int_eq(tcp_options_format(NULL, 0, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(options_format_truncates_but_returns_full_length)
{
	struct tcp_option o[] = { opt_mss(1460), opt_simple(TCPOPT_SACK_PERM) };
	char buf[8];

	ck_assert_int_eq(tcp_options_format(o, 2, buf, sizeof(buf)),
			 (int)strlen("<mss 1460,sackOK>"));
	ck_assert_str_eq(buf, "<mss 14");
	ck_assert_int_eq(tcp_options_format(o, 2, NULL, 0),
			 (int)strlen("<mss 1460,sackOK>"));
}
END_TEST

static struct tcp_segment segment(uint8_t flags, uint32_t seq, uint32_t ack,
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

static char *format_segment(const struct tcp_segment *s)
{
	static char buf[512];
	int len = packet_format(s, buf, sizeof(buf));

	ck_assert_int_eq(len, (int)strlen(buf));
	return buf;
}

START_TEST(format_fin_ack_example_from_the_interface)
{
	struct tcp_segment s = segment(TCPF_FIN | TCPF_ACK, 1, 7, 64);

	s.noptions = 3;
	s.options[0] = opt_simple(TCPOPT_NOP);
	s.options[1] = opt_simple(TCPOPT_NOP);
	s.options[2] = opt_ts(1, 2);
	ck_assert_str_eq(format_segment(&s),
			 "F. 1:1(0) ack 7 win 64 <nop,nop,TS val 1 ecr 2>");
}
END_TEST

START_TEST(format_syn_example_from_the_interface)
{
	struct tcp_segment s = segment(TCPF_SYN, 0, 0, 65535);

	s.noptions = 5;
	s.options[0] = opt_mss(1460);
	s.options[1] = opt_simple(TCPOPT_SACK_PERM);
	s.options[2] = opt_ts(100, 0);
	s.options[3] = opt_simple(TCPOPT_NOP);
	s.options[4] = opt_wscale(7);
	ck_assert_str_eq(format_segment(&s),
			 "S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>");
}
END_TEST

static const struct {
	uint8_t flags;
	const char *line;
} flag_lines[] = {
	{ TCPF_SYN, "S 0:0(0) win 10" },
	{ TCPF_SYN | TCPF_ACK, "S. 0:0(0) ack 5 win 10" },
	{ TCPF_FIN | TCPF_ACK, "F. 0:0(0) ack 5 win 10" },
	{ TCPF_RST | TCPF_ACK, "R. 0:0(0) ack 5 win 10" },
	{ TCPF_RST, "R 0:0(0) win 10" },
	{ TCPF_PSH | TCPF_ACK, "P. 0:0(0) ack 5 win 10" },
	{ TCPF_ACK, ". 0:0(0) ack 5 win 10" },
	{ 0, "- 0:0(0) win 10" },
	{ TCPF_FIN, "F 0:0(0) win 10" },
	{ TCPF_SYN | TCPF_ECE | TCPF_CWR, "SEW 0:0(0) win 10" },
	{ TCPF_SYN | TCPF_ACK | TCPF_ECE, "S.E 0:0(0) ack 5 win 10" },
	{ TCPF_ACK | TCPF_CWR, ".W 0:0(0) ack 5 win 10" },
	{ TCPF_PSH | TCPF_ACK | TCPF_URG, "P.U 0:0(0) ack 5 win 10 urg 3" },
	{ 0xff, "FSRP.UEW 0:0(0) ack 5 win 10 urg 3" },
};

START_TEST(format_flags_in_packetdrill_order)
{
	struct tcp_segment s = segment(flag_lines[_i].flags, 0, 5, 10);

	s.urg = 3;
	ck_assert_str_eq(format_segment(&s), flag_lines[_i].line);
}
END_TEST

START_TEST(format_prints_ack_only_with_the_ack_flag)
{
	struct tcp_segment s = segment(TCPF_RST, 100, 12345, 0);

	ck_assert_str_eq(format_segment(&s), "R 100:100(0) win 0");
}
END_TEST

START_TEST(format_end_sequence_wraps_around)
{
	struct tcp_segment s = segment(TCPF_PSH | TCPF_ACK, 4294967295u, 1, 502);

	s.payload_len = 2;
	ck_assert_str_eq(format_segment(&s),
			 "P. 4294967295:1(2) ack 1 win 502");
}
END_TEST

START_TEST(format_truncates_but_returns_full_length)
{
	struct tcp_segment s = segment(TCPF_ACK, 1, 2, 3);
	const char *full = ". 1:1(0) ack 2 win 3";
	char buf[6];

	ck_assert_int_eq(packet_format(&s, buf, sizeof(buf)), (int)strlen(full));
	ck_assert_str_eq(buf, ". 1:1");
	ck_assert_int_eq(packet_format(&s, NULL, 0), (int)strlen(full));
}
END_TEST

START_TEST(address_format_ipv4_ipv6_and_garbage)
{
	struct ip_address a = addr("192.0.2.1");
	char buf[64], tiny[4];

	ck_assert_str_eq(ip_address_format(&a, buf, sizeof(buf)), "192.0.2.1");
	a = addr("2001:db8::1");
	ck_assert_str_eq(ip_address_format(&a, buf, sizeof(buf)), "2001:db8::1");
	ck_assert_str_eq(ip_address_format(&a, tiny, sizeof(tiny)), "?");
	a.family = AF_UNIX;
	ck_assert_str_eq(ip_address_format(&a, buf, sizeof(buf)), "?");
}
END_TEST

START_TEST(address_to_socket_address)
{
	struct sockaddr_storage ss;
	struct ip_address a = addr("192.0.2.1");
	const struct sockaddr_in *sin = (const struct sockaddr_in *)&ss;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&ss;

	memset(&ss, 0xff, sizeof(ss));
	ck_assert_uint_eq(ip_address_sockaddr(&a, 8080, &ss), sizeof(*sin));
	ck_assert_int_eq(sin->sin_family, AF_INET);
	ck_assert_uint_eq(ntohs(sin->sin_port), 8080);
	ck_assert_uint_eq(ntohl(sin->sin_addr.s_addr), 0xc0000201);
	ck_assert_mem_eq(sin->sin_zero, "\0\0\0\0\0\0\0\0", 8);
	a = addr("2001:db8::2");
	ck_assert_uint_eq(ip_address_sockaddr(&a, 40000, &ss), sizeof(*sin6));
	ck_assert_int_eq(sin6->sin6_family, AF_INET6);
	ck_assert_uint_eq(ntohs(sin6->sin6_port), 40000);
	ck_assert_mem_eq(&sin6->sin6_addr, &a.u.v6, 16);
	ck_assert_uint_eq(sin6->sin6_flowinfo, 0);
	ck_assert_uint_eq(sin6->sin6_scope_id, 0);
}
END_TEST

/* ---- building ------------------------------------------------------- */

static struct tcp_segment segment_between(bool v6)
{
	struct tcp_segment s;

	memset(&s, 0, sizeof(s));
	s.src = addr(v6 ? "2001:db8::2" : "192.0.2.2");
	s.dst = addr(v6 ? "2001:db8::1" : "192.0.2.1");
	s.sport = 8080;
	s.dport = 40000;
	return s;
}

START_TEST(build_reproduces_the_linux_ipv4_syn_ack_byte_for_byte)
{
	/* Linux sends SYN-ACKs with IP id 0 and DF, as we do. */
	struct tcp_segment s = segment_between(false);
	uint8_t buf[128];
	size_t len;

	s.seq = 726366952u;
	s.ack = 2467812874u;
	s.flags = TCPF_SYN | TCPF_ACK;
	s.win = 65160;
	s.noptions = 5;
	s.options[0] = opt_mss(1460);
	s.options[1] = opt_simple(TCPOPT_SACK_PERM);
	s.options[2] = opt_ts(299792980u, 168597899u);
	s.options[3] = opt_simple(TCPOPT_NOP);
	s.options[4] = opt_wscale(10);
	ck_assert_int_eq(packet_build_tcp(&s, server_mac, client_mac, buf,
					  sizeof(buf), &len, NULL), STATUS_OK);
	ck_assert_uint_eq(len, sizeof(v4_synack));
	ck_assert_mem_eq(buf, v4_synack, len);
}
END_TEST

START_TEST(build_reproduces_the_linux_ipv6_data_segment_but_flow_label)
{
	struct tcp_segment s = segment_between(true);
	uint8_t buf[128], want[sizeof(v6_data)];
	size_t len;

	s.src = addr("2001:db8::1");
	s.dst = addr("2001:db8::2");
	s.sport = 40000;
	s.dport = 8080;
	s.seq = 122461049u;
	s.ack = 2053440503u;
	s.flags = TCPF_PSH | TCPF_ACK;
	s.win = 64;
	s.noptions = 3;
	s.options[0] = opt_simple(TCPOPT_NOP);
	s.options[1] = opt_simple(TCPOPT_NOP);
	s.options[2] = opt_ts(1724941650u, 1333574644u);
	s.payload = (const uint8_t *)"hello";
	s.payload_len = 5;
	ck_assert_int_eq(packet_build_tcp(&s, client_mac, server_mac, buf,
					  sizeof(buf), &len, NULL), STATUS_OK);
	ck_assert_uint_eq(len, sizeof(v6_data));
	/* Linux picks a random flow label; ours is 0 (it is outside
	 * the TCP checksum, so nothing else changes). */
	memcpy(want, v6_data, sizeof(want));
	want[ETH + 1] &= 0xf0;
	want[ETH + 2] = want[ETH + 3] = 0;
	ck_assert_mem_eq(buf, want, len);
}
END_TEST

START_TEST(build_defaults_ttl_64_df_ihl_5_and_pads_options_with_eol)
{
	struct tcp_segment s = segment_between(_i == 1);
	uint8_t buf[128];
	size_t len, iph = _i ? IP6 : IP4;
	const uint8_t *tcp = buf + ETH + iph;

	s.flags = TCPF_SYN;
	s.noptions = 2;
	s.options[0] = opt_mss(1460);
	s.options[1] = opt_simple(TCPOPT_NOP);	/* 5 bytes: 3 of padding */
	ck_assert_int_eq(packet_build_tcp(&s, server_mac, client_mac, buf,
					  sizeof(buf), &len, NULL), STATUS_OK);
	ck_assert_uint_eq(len, ETH + iph + 20 + 8);
	ck_assert_mem_eq(buf, client_mac, 6);
	ck_assert_mem_eq(buf + 6, server_mac, 6);
	if (_i) {
		ck_assert_mem_eq(buf + 12, "\x86\xdd", 2);
		ck_assert_mem_eq(buf + ETH, "\x60\x00\x00\x00", 4);
		ck_assert_uint_eq(buf[ETH + 5], 28);	/* payload length */
		ck_assert_uint_eq(buf[ETH + 6], 6);	/* next header TCP */
		ck_assert_uint_eq(buf[ETH + 7], 64);	/* hop limit */
	} else {
		ck_assert_mem_eq(buf + 12, "\x08\x00", 2);
		ck_assert_uint_eq(buf[ETH], 0x45);
		ck_assert_uint_eq(buf[ETH + 3], 48);	/* total length */
		ck_assert_mem_eq(buf + ETH + 4, "\x00\x00\x40\x00", 4);
		ck_assert_uint_eq(buf[ETH + 8], 64);
		ck_assert_uint_eq(buf[ETH + 9], 6);
	}
	ck_assert_uint_eq(tcp[12], 7 << 4);		/* data offset 7 words */
	ck_assert_mem_eq(tcp + 20, "\x02\x04\x05\xb4\x01\x00\x00\x00", 8);
}
END_TEST

START_TEST(build_then_parse_round_trips_every_field)
{
	struct tcp_segment s = segment_between(_i == 1);
	struct packet_info info;
	uint8_t buf[256];
	size_t len;
	char *err = NULL;

	s.ttl = 3;
	s.tos = 0x10;
	s.seq = 0xdeadbeefu;
	s.ack = 42;
	s.flags = TCPF_PSH | TCPF_ACK | TCPF_URG;
	s.win = 1234;
	s.urg = 2;
	s.noptions = 2;
	s.options[0] = opt_simple(TCPOPT_NOP);
	s.options[1] = opt_ts(5, 6);
	s.payload = (const uint8_t *)"abcdefg";
	s.payload_len = 7;
	ck_assert_int_eq(packet_build_tcp(&s, server_mac, client_mac, buf,
					  sizeof(buf), &len, &err), STATUS_OK);
	ck_assert_int_eq(packet_parse(buf, len, &info, &err), STATUS_OK);
	ck_assert_ptr_null(err);
	ck_assert_int_eq(info.kind, PACKET_TCP);
	ck_assert(info.checksum_ok);
	ck_assert_mem_eq(info.eth_dst, client_mac, 6);
	ck_assert_mem_eq(info.eth_src, server_mac, 6);
	ck_assert_uint_eq(info.ethertype, _i ? 0x86dd : 0x0800);
	ck_assert(addr_eq(&info.tcp.src, _i ? "2001:db8::2" : "192.0.2.2"));
	ck_assert(addr_eq(&info.tcp.dst, _i ? "2001:db8::1" : "192.0.2.1"));
	ck_assert_uint_eq(info.tcp.ttl, 3);
	ck_assert_uint_eq(info.tcp.tos, 0x10);
	ck_assert_uint_eq(info.tcp.sport, 8080);
	ck_assert_uint_eq(info.tcp.dport, 40000);
	ck_assert_uint_eq(info.tcp.seq, 0xdeadbeefu);
	ck_assert_uint_eq(info.tcp.ack, 42);
	ck_assert_uint_eq(info.tcp.flags, s.flags);
	ck_assert_uint_eq(info.tcp.win, 1234);
	ck_assert_uint_eq(info.tcp.urg, 2);
	/* 11 option bytes pad to 12 with one EOL, which parses back */
	ck_assert_uint_eq(info.tcp.noptions, 3);
	ck_assert_uint_eq(info.tcp.options[1].u.ts.val, 5);
	ck_assert_uint_eq(info.tcp.options[2].kind, TCPOPT_EOL);
	ck_assert_uint_eq(info.tcp.payload_len, 7);
	ck_assert_mem_eq(info.tcp.payload, "abcdefg", 7);
	ck_assert_ptr_eq(info.tcp.payload, buf + len - 7);
}
END_TEST

START_TEST(build_without_payload_pointer_sends_zero_bytes)
{
	struct tcp_segment s = segment_between(false);
	struct packet_info info;
	uint8_t buf[128];
	size_t len;

	memset(buf, 0xaa, sizeof(buf));
	s.flags = TCPF_ACK;
	s.payload_len = 10;
	ck_assert_int_eq(packet_build_tcp(&s, server_mac, client_mac, buf,
					  sizeof(buf), &len, NULL), STATUS_OK);
	ck_assert_uint_eq(len, ETH + IP4 + 20 + 10);
	ck_assert_mem_eq(buf + len - 10, "\0\0\0\0\0\0\0\0\0\0", 10);
	ck_assert_int_eq(packet_parse(buf, len, &info, NULL), STATUS_OK);
	ck_assert(info.checksum_ok);
}
END_TEST

START_TEST(build_rejects_mixed_or_missing_address_families)
{
	struct tcp_segment s = segment_between(false);
	uint8_t buf[128];
	size_t len;
	char *err = NULL;

	s.dst = addr("2001:db8::1");
	ck_assert_int_eq(packet_build_tcp(&s, server_mac, client_mac, buf,
					  sizeof(buf), &len, &err), STATUS_ERROR);
	assert_error_has(err, "two IPv4 or two IPv6");
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(packet_build_tcp(&s, server_mac, client_mac, buf,
					  sizeof(buf), &len, &err), STATUS_ERROR);
	free(err);
}
END_TEST

START_TEST(build_rejects_options_beyond_40_bytes)
{
	struct tcp_segment s = segment_between(false);
	uint8_t buf[256];
	size_t len;
	char *err = NULL;

	s.noptions = 5;
	for (int i = 0; i < 5; i++)
		s.options[i] = opt_ts(1, 2);		/* 50 bytes */
	ck_assert_int_eq(packet_build_tcp(&s, server_mac, client_mac, buf,
					  sizeof(buf), &len, &err), STATUS_ERROR);
	assert_error_has(err, "TCP options do not fit in 40 bytes");
	s.noptions = TCP_MAX_OPTIONS + 1;
	ck_assert_int_eq(packet_build_tcp(&s, server_mac, client_mac, buf,
					  sizeof(buf), &len, &err), STATUS_ERROR);
	assert_error_has(err, "41 TCP options");
	free(err);
}
END_TEST

START_TEST(build_rejects_a_buffer_too_small_and_writes_nothing_past_it)
{
	struct tcp_segment s = segment_between(_i == 1);
	size_t need = ETH + (_i ? IP6 : IP4) + 20 + 5, len = 99;
	uint8_t *buf = malloc(need - 1);
	char *err = NULL;

	s.payload = (const uint8_t *)"hello";
	s.payload_len = 5;
	ck_assert_int_eq(packet_build_tcp(&s, server_mac, client_mac, buf,
					  need - 1, &len, &err), STATUS_ERROR);
	ck_assert_uint_eq(len, 0);
	assert_error_has(err, "does not fit");
	free(err);
	free(buf);
}
END_TEST

START_TEST(build_rejects_payload_too_long_for_ipv4)
{
	struct tcp_segment s = segment_between(false);
	uint8_t buf[64];
	size_t len;
	char *err = NULL;

	s.payload_len = 65535 - 20 - 20 + 1;
	ck_assert_int_eq(packet_build_tcp(&s, server_mac, client_mac, buf,
					  sizeof(buf), &len, &err), STATUS_ERROR);
	assert_error_has(err, "too long for IPv4");
	free(err);
}
END_TEST

START_TEST(arp_reply_matches_the_linux_reply_byte_for_byte)
{
	struct ip_address me = addr("192.0.2.2"), asker = addr("192.0.2.1");
	uint8_t buf[64];
	size_t len;

	ck_assert_int_eq(packet_build_arp_reply(server_mac, &me.u.v4, client_mac,
						&asker.u.v4, buf, sizeof(buf),
						&len, NULL), STATUS_OK);
	ck_assert_uint_eq(len, sizeof(arp_reply));
	ck_assert_mem_eq(buf, arp_reply, len);
}
END_TEST

START_TEST(nd_advert_matches_the_linux_advert_byte_for_byte)
{
	struct ip_address me = addr("2001:db8::2"), asker = addr("2001:db8::1");
	uint8_t buf[128];
	size_t len;

	ck_assert_int_eq(packet_build_nd_advert(server_mac, &me.u.v6, client_mac,
						&asker.u.v6, buf, sizeof(buf),
						&len, NULL), STATUS_OK);
	ck_assert_uint_eq(len, sizeof(nd_advert));
	ck_assert_mem_eq(buf, nd_advert, len);
}
END_TEST

START_TEST(arp_and_nd_builders_reject_small_buffers)
{
	struct ip_address a4 = addr("192.0.2.2"), a6 = addr("2001:db8::2");
	uint8_t *buf = malloc(41);
	size_t len = 99;
	char *err = NULL;

	ck_assert_int_eq(packet_build_arp_reply(server_mac, &a4.u.v4, client_mac,
						&a4.u.v4, buf, 41, &len, &err),
			 STATUS_ERROR);
	assert_error_has(err, "frame of 42 bytes");
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(packet_build_nd_advert(server_mac, &a6.u.v6, client_mac,
						&a6.u.v6, buf, 41, &len, &err),
			 STATUS_ERROR);
	assert_error_has(err, "frame of 86 bytes");
	free(err);
	free(buf);
}
END_TEST

/* ---- parsing real frames -------------------------------------------- */

START_TEST(parse_real_frame_gives_tcpdumps_fields_and_checksum_ok)
{
	const struct real_frame *f = &real_frames[_i];
	bool v6 = f->name[1] == '6', from_client = f->sport == 40000;
	struct packet_info info;
	char *err = NULL;

	ck_assert_int_eq(parse_heap(f->bytes, f->len, &info, &err), STATUS_OK);
	ck_assert_ptr_null(err);
	ck_assert_int_eq(info.kind, PACKET_TCP);
	ck_assert_msg(info.checksum_ok, "%s: checksum not ok", f->name);
	ck_assert_mem_eq(info.eth_src, from_client ? client_mac : server_mac, 6);
	ck_assert_mem_eq(info.eth_dst, from_client ? server_mac : client_mac, 6);
	ck_assert(addr_eq(&info.tcp.src, v6 ? (from_client ? "2001:db8::1" : "2001:db8::2")
					  : (from_client ? "192.0.2.1" : "192.0.2.2")));
	ck_assert(addr_eq(&info.tcp.dst, v6 ? (from_client ? "2001:db8::2" : "2001:db8::1")
					  : (from_client ? "192.0.2.2" : "192.0.2.1")));
	ck_assert_uint_eq(info.tcp.sport, f->sport);
	ck_assert_uint_eq(info.tcp.dport, f->dport);
	ck_assert_uint_eq(info.tcp.seq, f->seq);
	ck_assert_uint_eq(info.tcp.ack, f->ack);
	ck_assert_uint_eq(info.tcp.flags, f->flags);
	ck_assert_uint_eq(info.tcp.win, f->win);
	ck_assert_uint_eq(info.tcp.ttl, f->ttl);
	ck_assert_uint_eq(info.tcp.tos, 0);
	ck_assert_uint_eq(info.tcp.payload_len, f->payload_len);
	ck_assert_str_eq(format_segment(&info.tcp), f->line);
}
END_TEST

START_TEST(parse_real_data_segment_points_payload_into_the_frame)
{
	struct packet_info info;

	ck_assert_int_eq(packet_parse(v4_data, sizeof(v4_data), &info, NULL),
			 STATUS_OK);
	ck_assert_ptr_eq(info.tcp.payload, v4_data + sizeof(v4_data) - 5);
	ck_assert_mem_eq(info.tcp.payload, "hello", 5);
	ck_assert_int_eq(packet_parse(v6_data, sizeof(v6_data), &info, NULL),
			 STATUS_OK);
	ck_assert_mem_eq(info.tcp.payload, "hello", 5);
}
END_TEST

START_TEST(parse_offloaded_frame_reports_checksum_not_ok)
{
	struct packet_info info;
	char *err = NULL;
	char line[256];

	ck_assert_int_eq(parse_heap(v4_syn_offload, sizeof(v4_syn_offload),
				    &info, &err), STATUS_OK);
	ck_assert_int_eq(info.kind, PACKET_TCP);
	ck_assert(!info.checksum_ok);
	packet_format(&info.tcp, line, sizeof(line));
	ck_assert_str_eq(line, "S 3953357440:3953357440(0) win 64240 "
			 "<mss 1460,sackOK,TS val 2998725070 ecr 0,nop,wscale 10>");
}
END_TEST

START_TEST(parse_ignores_ethernet_padding_beyond_ip_length)
{
	uint8_t frame[128];
	struct packet_info info;
	size_t len;

	/* v4_ack is 66 bytes; v6_ack 86: pad both with junk. */
	const uint8_t *src = _i ? v6_ack : v4_ack;
	size_t srclen = _i ? sizeof(v6_ack) : sizeof(v4_ack);

	memcpy(frame, src, srclen);
	memset(frame + srclen, 0xee, 20);
	len = srclen + 20;
	ck_assert_int_eq(parse_heap(frame, len, &info, NULL), STATUS_OK);
	ck_assert_int_eq(info.kind, PACKET_TCP);
	ck_assert_uint_eq(info.tcp.payload_len, 0);
	ck_assert(info.checksum_ok);
}
END_TEST

START_TEST(parse_flipped_payload_bit_fails_checksum)
{
	uint8_t frame[sizeof(v6_data)];
	struct packet_info info;

	memcpy(frame, v6_data, sizeof(frame));
	frame[sizeof(frame) - 1] ^= 0x01;
	ck_assert_int_eq(packet_parse(frame, sizeof(frame), &info, NULL),
			 STATUS_OK);
	ck_assert(!info.checksum_ok);
}
END_TEST

START_TEST(parse_bad_ipv4_header_checksum_fails_checksum)
{
	uint8_t frame[sizeof(v4_fin)];
	struct packet_info info;

	memcpy(frame, v4_fin, sizeof(frame));
	frame[ETH + 10] ^= 0x80;
	ck_assert_int_eq(packet_parse(frame, sizeof(frame), &info, NULL),
			 STATUS_OK);
	ck_assert_int_eq(info.kind, PACKET_TCP);
	ck_assert(!info.checksum_ok);
}
END_TEST

START_TEST(parse_real_arp_request_and_reply)
{
	struct packet_info info;

	ck_assert_int_eq(parse_heap(arp_request, sizeof(arp_request), &info,
				    NULL), STATUS_OK);
	ck_assert_int_eq(info.kind, PACKET_ARP);
	ck_assert_uint_eq(info.arp_op, 1);
	ck_assert_uint_eq(info.ethertype, 0x0806);
	ck_assert(addr_eq(&info.target, "192.0.2.2"));	/* who has .2 */
	ck_assert(addr_eq(&info.sender, "192.0.2.1"));	/* tell .1 */
	ck_assert_mem_eq(info.sender_mac, client_mac, 6);
	ck_assert(info.checksum_ok);

	ck_assert_int_eq(parse_heap(arp_reply, sizeof(arp_reply), &info,
				    NULL), STATUS_OK);
	ck_assert_int_eq(info.kind, PACKET_ARP);
	ck_assert_uint_eq(info.arp_op, 2);
	ck_assert(addr_eq(&info.target, "192.0.2.2"));	/* .2 is at ... */
	ck_assert(addr_eq(&info.sender, "192.0.2.2"));
	ck_assert_mem_eq(info.sender_mac, server_mac, 6);
}
END_TEST

START_TEST(parse_real_neighbour_solicitation_and_advert)
{
	struct packet_info info;

	ck_assert_int_eq(parse_heap(nd_solicit, sizeof(nd_solicit), &info,
				    NULL), STATUS_OK);
	ck_assert_int_eq(info.kind, PACKET_ND_SOLICIT);
	ck_assert(addr_eq(&info.target, "2001:db8::2"));
	ck_assert(addr_eq(&info.sender, "2001:db8::1"));
	ck_assert_mem_eq(info.sender_mac, client_mac, 6);	/* SLLA option */
	ck_assert(info.checksum_ok);

	ck_assert_int_eq(parse_heap(nd_advert, sizeof(nd_advert), &info,
				    NULL), STATUS_OK);
	ck_assert_int_eq(info.kind, PACKET_ND_ADVERT);
	ck_assert(addr_eq(&info.target, "2001:db8::2"));
	ck_assert(addr_eq(&info.sender, "2001:db8::2"));
	ck_assert_mem_eq(info.sender_mac, server_mac, 6);	/* TLLA option */
	ck_assert(info.checksum_ok);
}
END_TEST

START_TEST(parse_arp_with_ethernet_padding_to_60_bytes)
{
	uint8_t frame[60] = { 0 };
	struct packet_info info;

	memcpy(frame, arp_request, sizeof(arp_request));
	ck_assert_int_eq(parse_heap(frame, sizeof(frame), &info, NULL),
			 STATUS_OK);
	ck_assert_int_eq(info.kind, PACKET_ARP);
}
END_TEST

/* Every real frame cut short anywhere is an error with a message. */
START_TEST(parse_every_truncation_of_a_real_frame_is_an_error)
{
	static const struct { const uint8_t *p; size_t len; } frames[] = {
		{ v4_syn, sizeof(v4_syn) }, { v4_data, sizeof(v4_data) },
		{ v6_syn, sizeof(v6_syn) }, { v6_data, sizeof(v6_data) },
		{ arp_request, sizeof(arp_request) },
		{ nd_solicit, sizeof(nd_solicit) },
		{ nd_advert, sizeof(nd_advert) },
	};

	for (size_t f = 0; f < sizeof(frames) / sizeof(frames[0]); f++) {
		for (size_t len = 0; len < frames[f].len; len++) {
			struct packet_info info;
			char *err = NULL;
			int ret = parse_heap(frames[f].p, len, &info, &err);

			ck_assert_msg(ret == STATUS_ERROR,
				      "frame %zu cut at %zu accepted", f, len);
			ck_assert_ptr_nonnull(err);
			ck_assert_int_eq(info.kind, PACKET_OTHER);
			free(err);
		}
	}
}
END_TEST

/* A copy of a real frame with one byte changed, parsed on the heap. */
static int parse_patched(const uint8_t *frame, size_t len, size_t off,
			 uint8_t value, size_t cut, struct packet_info *info,
			 char **error)
{
	uint8_t copy[128];

	ck_assert_uint_le(len, sizeof(copy));
	memcpy(copy, frame, len);
	copy[off] = value;
	return parse_heap(copy, len - cut, info, error);
}

static const struct bad_frame {
	const char *claim;
	const uint8_t *frame;
	size_t len;
	size_t off;			/* byte to change */
	uint8_t value;
	size_t cut;			/* bytes to drop from the end */
	const char *message;
} bad_frames[] = {
	{ "short Ethernet header", v4_syn, sizeof(v4_syn), 0, 0x02,
	  sizeof(v4_syn) - 13, "truncated Ethernet header: 13 of 14 bytes" },
	{ "short IPv4 header", v4_syn, sizeof(v4_syn), 0, 0x02,
	  sizeof(v4_syn) - 24, "truncated IPv4 header: 10 of 20 bytes" },
	{ "IPv4 ethertype with version 6", v4_syn, sizeof(v4_syn), ETH, 0x65,
	  0, "IPv4 ethertype but IP version 6" },
	{ "IPv4 IHL 4", v4_syn, sizeof(v4_syn), ETH, 0x44, 0,
	  "IPv4 header length 16 is less than 20" },
	{ "IPv4 IHL past the frame", v4_syn, sizeof(v4_syn), ETH, 0x4f,
	  sizeof(v4_syn) - ETH - 40, "IPv4 header length 60 runs past the 40 bytes" },
	{ "IPv4 total length below IHL", v4_syn, sizeof(v4_syn), ETH + 3, 19,
	  0, "IPv4 total length 19 is less than the header length 20" },
	{ "IPv4 total length past the frame", v4_syn, sizeof(v4_syn), ETH + 3,
	  61, 0, "IPv4 total length 61 runs past the 60 bytes" },
	{ "short TCP header in IPv4", v4_syn, sizeof(v4_syn), ETH + 3, 30, 0,
	  "truncated TCP header: 10 of 20 bytes" },
	{ "TCP data offset 4 words", v4_syn, sizeof(v4_syn), ETH + IP4 + 12,
	  0x40, 0, "TCP data offset of 16 bytes is less than 20" },
	{ "TCP data offset past the segment", v4_ack, sizeof(v4_ack),
	  ETH + IP4 + 12, 0xf0, 0, "TCP data offset of 60 bytes runs past the 32-byte segment" },
	{ "MSS with length 3 in a SYN", v4_syn, sizeof(v4_syn),
	  ETH + IP4 + 21, 3, 0, "TCP option at offset 0 (kind 2, mss): length 3, must be 4" },
	{ "TS with length 9 in an ACK", v6_ack, sizeof(v6_ack),
	  ETH + IP6 + 23, 9, 0, "TCP option at offset 2 (kind 8, TS): length 9, must be 10" },
	{ "short IPv6 header", v6_syn, sizeof(v6_syn), 0, 0x02,
	  sizeof(v6_syn) - ETH - 39, "truncated IPv6 header: 39 of 40 bytes" },
	{ "IPv6 ethertype with version 4", v6_syn, sizeof(v6_syn), ETH, 0x40,
	  0, "IPv6 ethertype but IP version 4" },
	{ "IPv6 payload length past the frame", v6_syn, sizeof(v6_syn),
	  ETH + 5, 41, 0, "IPv6 payload length 41 runs past the 40 bytes" },
	{ "short TCP header in IPv6", v6_syn, sizeof(v6_syn), ETH + 5, 19, 0,
	  "truncated TCP header: 19 of 20 bytes" },
	{ "short ARP", arp_request, sizeof(arp_request), 0, 0xff, 1,
	  "truncated ARP packet: 27 of 28 bytes" },
	{ "short ICMPv6 header", nd_solicit, sizeof(nd_solicit), ETH + 5, 3, 0,
	  "truncated ICMPv6 header: 3 of 4 bytes" },
	{ "short neighbour solicitation", nd_solicit, sizeof(nd_solicit),
	  ETH + 5, 23, 0, "truncated neighbour solicitation: 23 of 24 bytes" },
	{ "ND option of length 0", nd_solicit, sizeof(nd_solicit),
	  ETH + IP6 + 25, 0, 0, "ND option at offset 24 (type 1) has length 0" },
	{ "ND option cut before its length byte", nd_solicit, sizeof(nd_solicit),
	  ETH + 5, 25, 0, "ND option at offset 24: truncated before its length byte" },
	{ "ND option past the message", nd_advert, sizeof(nd_advert),
	  ETH + IP6 + 25, 2, 0, "ND option at offset 24 (type 2): length 16 runs past the 32-byte message" },
};

START_TEST(parse_rejects_inconsistent_frame_with_message)
{
	const struct bad_frame *b = &bad_frames[_i];
	struct packet_info info;
	char *err = NULL;

	ck_assert_msg(parse_patched(b->frame, b->len, b->off, b->value, b->cut,
				    &info, &err) == STATUS_ERROR,
		      "%s: accepted", b->claim);
	assert_error_has(err, b->message);
	ck_assert_int_eq(info.kind, PACKET_OTHER);
	ck_assert(!info.checksum_ok);
	free(err);
}
END_TEST

static const struct other_frame {
	const char *claim;
	const uint8_t *frame;
	size_t len;
	size_t off;
	uint8_t value;
} other_frames[] = {
	{ "UDP over IPv4", v4_syn, sizeof(v4_syn), ETH + 9, 17 },
	{ "IPv4 fragment with offset", v4_syn, sizeof(v4_syn), ETH + 7, 0x10 },
	{ "IPv4 first fragment (MF)", v4_syn, sizeof(v4_syn), ETH + 6, 0x20 },
	{ "802.1Q tagged frame", v4_syn, sizeof(v4_syn), 12, 0x81 },
	{ "IPv6 hop-by-hop header", v6_syn, sizeof(v6_syn), ETH + 6, 0 },
	{ "ICMPv6 echo request", nd_solicit, sizeof(nd_solicit), ETH + IP6, 128 },
	{ "ND with code 1", nd_solicit, sizeof(nd_solicit), ETH + IP6 + 1, 1 },
	{ "ARP for IPv6 protocol type", arp_request, sizeof(arp_request),
	  ETH + 2, 0x86 },
	{ "ARP operation 3", arp_request, sizeof(arp_request), ETH + 7, 3 },
};

START_TEST(parse_frames_we_do_not_handle_are_other)
{
	const struct other_frame *o = &other_frames[_i];
	struct packet_info info;
	char *err = NULL;

	ck_assert_msg(parse_patched(o->frame, o->len, o->off, o->value, 0,
				    &info, &err) == STATUS_OK,
		      "%s: %s", o->claim, err);
	ck_assert_msg(info.kind == PACKET_OTHER, "%s: kind %d", o->claim,
		      info.kind);
}
END_TEST

START_TEST(parse_nd_without_lla_option_takes_ethernet_source)
{
	uint8_t frame[sizeof(nd_solicit)];
	struct packet_info info;

	/* Drop the 8-byte option: payload length 24, frame 8 bytes shorter.
	 * The checksum no longer matches, which parse reports, not rejects. */
	memcpy(frame, nd_solicit, sizeof(frame));
	frame[ETH + 5] = 24;
	frame[6 + 5] = 0x77;			/* Ethernet source ...:77 */
	ck_assert_int_eq(parse_heap(frame, sizeof(frame) - 8, &info, NULL),
			 STATUS_OK);
	ck_assert_int_eq(info.kind, PACKET_ND_SOLICIT);
	ck_assert_mem_eq(info.sender_mac, "\x02\x00\x00\x00\x00\x77", 6);
	ck_assert(!info.checksum_ok);
}
END_TEST

START_TEST(parse_nd_link_layer_option_wins_over_ethernet_source)
{
	uint8_t frame[sizeof(nd_advert)];
	struct packet_info info;

	/* A proxy may send for another node: the TLLA option names the MAC. */
	memcpy(frame, nd_advert, sizeof(frame));
	frame[6 + 5] = 0x77;			/* Ethernet source ...:77 */
	ck_assert_int_eq(parse_heap(frame, sizeof(frame), &info, NULL),
			 STATUS_OK);
	ck_assert_int_eq(info.kind, PACKET_ND_ADVERT);
	ck_assert_mem_eq(info.sender_mac, server_mac, 6);
	ck_assert(info.checksum_ok);		/* Ethernet is not summed */
}
END_TEST

START_TEST(parse_without_error_pointer_does_not_crash)
{
	struct packet_info info;

	ck_assert_int_eq(packet_parse(v4_syn, 5, &info, NULL), STATUS_ERROR);
}
END_TEST

Suite *packet_suite(void)
{
	Suite *s = suite_create("packet");
	TCase *tc;

	tc = tcase_create("options");
	tcase_add_test(tc, options_parse_decodes_a_linux_syn_option_list);
	tcase_add_test(tc, options_parse_empty_list_gives_no_options);
	tcase_add_loop_test(tc, options_parse_sack_with_1_to_4_blocks, 1,
			    TCP_MAX_SACK + 1);
	tcase_add_test(tc, options_parse_stops_at_eol_and_ignores_what_follows);
	tcase_add_test(tc, options_parse_keeps_unknown_kinds_raw);
	tcase_add_test(tc, options_parse_accepts_40_nops_the_most_a_header_holds);
	tcase_add_loop_test(tc, options_parse_rejects_malformed_list_naming_offset,
			    0, sizeof(bad_options) / sizeof(bad_options[0]));
	tcase_add_test(tc, options_parse_every_truncation_of_a_valid_list_is_safe);
	tcase_add_test(tc, options_build_reproduces_linux_syn_option_bytes);
	tcase_add_test(tc, options_build_then_parse_gives_the_same_list);
	tcase_add_test(tc, options_build_takes_known_lengths_from_the_kind);
	tcase_add_test(tc, options_build_rejects_sack_without_1_to_4_blocks);
	tcase_add_test(tc, options_build_rejects_unknown_kind_with_bad_length);
	tcase_add_test(tc, options_build_rejects_a_list_that_overflows_the_buffer);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_test(tc, options_format_uses_packetdrill_spelling);
	tcase_add_test(tc, options_format_sack_blocks_and_eol);
	tcase_add_test(tc, options_format_md5_fastopen_and_unknown_kinds);
	tcase_add_test(tc, options_format_of_no_options_is_empty);
	tcase_add_test(tc, options_format_truncates_but_returns_full_length);
	tcase_add_test(tc, format_fin_ack_example_from_the_interface);
	tcase_add_test(tc, format_syn_example_from_the_interface);
	tcase_add_loop_test(tc, format_flags_in_packetdrill_order, 0,
			    sizeof(flag_lines) / sizeof(flag_lines[0]));
	tcase_add_test(tc, format_prints_ack_only_with_the_ack_flag);
	tcase_add_test(tc, format_end_sequence_wraps_around);
	tcase_add_test(tc, format_truncates_but_returns_full_length);
	tcase_add_test(tc, address_format_ipv4_ipv6_and_garbage);
	tcase_add_test(tc, address_to_socket_address);
	suite_add_tcase(s, tc);

	tc = tcase_create("build");
	tcase_add_test(tc, build_reproduces_the_linux_ipv4_syn_ack_byte_for_byte);
	tcase_add_test(tc, build_reproduces_the_linux_ipv6_data_segment_but_flow_label);
	tcase_add_loop_test(tc, build_defaults_ttl_64_df_ihl_5_and_pads_options_with_eol, 0, 2);
	tcase_add_loop_test(tc, build_then_parse_round_trips_every_field, 0, 2);
	tcase_add_test(tc, build_without_payload_pointer_sends_zero_bytes);
	tcase_add_test(tc, build_rejects_mixed_or_missing_address_families);
	tcase_add_test(tc, build_rejects_options_beyond_40_bytes);
	tcase_add_loop_test(tc, build_rejects_a_buffer_too_small_and_writes_nothing_past_it, 0, 2);
	tcase_add_test(tc, build_rejects_payload_too_long_for_ipv4);
	tcase_add_test(tc, arp_reply_matches_the_linux_reply_byte_for_byte);
	tcase_add_test(tc, nd_advert_matches_the_linux_advert_byte_for_byte);
	tcase_add_test(tc, arp_and_nd_builders_reject_small_buffers);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, parse_real_frame_gives_tcpdumps_fields_and_checksum_ok,
			    0, N_REAL);
	tcase_add_test(tc, parse_real_data_segment_points_payload_into_the_frame);
	tcase_add_test(tc, parse_offloaded_frame_reports_checksum_not_ok);
	tcase_add_loop_test(tc, parse_ignores_ethernet_padding_beyond_ip_length, 0, 2);
	tcase_add_test(tc, parse_flipped_payload_bit_fails_checksum);
	tcase_add_test(tc, parse_bad_ipv4_header_checksum_fails_checksum);
	tcase_add_test(tc, parse_real_arp_request_and_reply);
	tcase_add_test(tc, parse_real_neighbour_solicitation_and_advert);
	tcase_add_test(tc, parse_arp_with_ethernet_padding_to_60_bytes);
	tcase_add_test(tc, parse_every_truncation_of_a_real_frame_is_an_error);
	tcase_add_loop_test(tc, parse_rejects_inconsistent_frame_with_message,
			    0, sizeof(bad_frames) / sizeof(bad_frames[0]));
	tcase_add_loop_test(tc, parse_frames_we_do_not_handle_are_other,
			    0, sizeof(other_frames) / sizeof(other_frames[0]));
	tcase_add_test(tc, parse_nd_without_lla_option_takes_ethernet_source);
	tcase_add_test(tc, parse_nd_link_layer_option_wins_over_ethernet_source);
	tcase_add_test(tc, parse_without_error_pointer_does_not_crash);
	suite_add_tcase(s, tc);
	return s;
}
