/* check_tcp_option_list.c - option lists as a whole (tcp_options_parse, _build, _format) against a list captured from Linux; part of the tcp_option suite. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "packet.h"
#include "frames.h"
#include "packet_test.h"
#include "suites.h"

static int options_parse_heap(const uint8_t *opts, size_t len,
			      struct tcp_option *out, uint8_t *count,
			      char **error)
{
	uint8_t *c = heap_copy(opts, len);
	int ret = tcp_options_parse(c, len, out, count, error);

	free(c);
	return ret;
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

TCase *tcp_option_list_tcase(void)
{
	TCase *tc = tcase_create("lists");

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
	tcase_add_test(tc, options_format_uses_packetdrill_spelling);
	tcase_add_test(tc, options_format_sack_blocks_and_eol);
	tcase_add_test(tc, options_format_md5_fastopen_and_unknown_kinds);
	tcase_add_test(tc, options_format_of_no_options_is_empty);
	tcase_add_test(tc, options_format_truncates_but_returns_full_length);
	return tc;
}
