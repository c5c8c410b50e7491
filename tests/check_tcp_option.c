/* check_tcp_option.c - the option table: every kind through wire, text, comparison, script spelling and script<->wire numbering; whole lists are in check_tcp_option_list.c. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "script.h"
#include "tcp_option.h"
#include "suites.h"

/* ---- a reader over a list of tokens, standing in for the script lexer ---- */

struct tokens {
	const char *const *tok;		/* NULL-terminated */
	size_t at;
	char expected[160];		/* what the last failure expected */
};

static const char *cur(struct tokens *t)
{
	return t->tok[t->at] ? t->tok[t->at] : "";
}

static bool tk_is_word(void *ctx, const char *w)
{
	const char *s = cur(ctx);

	if (!w)		/* any word: starts with a letter or digit, is no number */
		return *s && strspn(s, "0123456789") != strlen(s) &&
		       strchr(",<>:", *s) == NULL;
	return !strcmp(s, w);
}

static bool tk_is_punct(void *ctx, char c)
{
	const char *s = cur(ctx);

	return s[0] == c && !s[1];
}

static bool tk_is_number(void *ctx)
{
	const char *s = cur(ctx);

	return *s && strspn(s, "0123456789") == strlen(s);
}

static const char *tk_token(void *ctx, size_t *len)
{
	*len = strlen(cur(ctx));
	return cur(ctx);
}

static int tk_advance(void *ctx)
{
	struct tokens *t = ctx;

	if (t->tok[t->at])
		t->at++;
	return 0;
}

static int tk_expected(void *ctx, const char *what)
{
	struct tokens *t = ctx;

	snprintf(t->expected, sizeof(t->expected), "%s", what);
	return -1;
}

static int tk_number(void *ctx, uint64_t max, const char *what, uint64_t *v)
{
	if (!tk_is_number(ctx))
		return tk_expected(ctx, what);
	*v = strtoull(cur(ctx), NULL, 10);
	if (*v > max)
		return tk_expected(ctx, what);
	return tk_advance(ctx);
}

static int read_tokens(struct tokens *t, struct tcp_option *o)
{
	const struct tcp_option_reader r = {
		.ctx = t, .is_word = tk_is_word, .is_punct = tk_is_punct,
		.is_number = tk_is_number, .token = tk_token,
		.advance = tk_advance, .number = tk_number,
		.expected = tk_expected,
	};

	return tcp_option_read(&r, o);
}

static char *format_one(const struct tcp_option *o)
{
	static char buf[256];

	tcp_options_format(o, 1, buf, sizeof(buf));
	return buf;
}

/* ---- every kind: wire bytes -> struct -> text -> wire bytes ---- */

static const struct kind_case {
	const char *name;
	uint8_t bytes[40];
	size_t len;
	const char *text;
} kind_cases[] = {
	{ "eol", { 0x00 }, 1, "<eol>" },
	{ "nop", { 0x01 }, 1, "<nop>" },
	{ "mss", { 0x02, 0x04, 0x05, 0xb4 }, 4, "<mss 1460>" },
	{ "wscale", { 0x03, 0x03, 0x0e }, 3, "<wscale 14>" },
	{ "sackOK", { 0x04, 0x02 }, 2, "<sackOK>" },
	{ "sack, two blocks", {
		0x05, 0x12,			/* kind 5, length 2 + 2 * 8 */
		0x00, 0x00, 0x00, 0x01,		/* left 1 */
		0x00, 0x00, 0x00, 0x02,		/* right 2 */
		0x00, 0x00, 0x00, 0x03,		/* left 3 */
		0x00, 0x00, 0x00, 0x04,		/* right 4 */
	  }, 18, "<sack 1:2 3:4>" },
	{ "TS", {
		0x08, 0x0a,			/* kind 8, length 10 */
		0x00, 0x00, 0x01, 0x00,		/* val 256 */
		0xff, 0xff, 0xff, 0xff,		/* ecr 4294967295 */
	  }, 10, "<TS val 256 ecr 4294967295>" },
	{ "md5", {
		0x13, 0x12,			/* kind 19, length 18 */
		0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
		0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	  }, 18, "<md5 000102030405060708090a0b0c0d0e0f>" },
	{ "fast open cookie", { 0x22, 0x06, 0xde, 0xad, 0xbe, 0xef }, 6,
	  "<FO deadbeef>" },
	{ "fast open request", { 0x22, 0x02 }, 2, "<FO>" },
	{ "experimental fast open", {
		0xfe, 0x08,			/* kind 254, length 8 */
		0xf9, 0x89,			/* ExID: fast open */
		0x01, 0x02, 0x03, 0x04,		/* cookie */
	  }, 8, "<FOEXP 01020304>" },
	{ "AccECN, ECT(1) first", {
		0xae, 0x0b,			/* kind 174, length 2 + 3 * 3 */
		0x00, 0x00, 0x01,		/* e1b 1 */
		0x00, 0x00, 0x00,		/* ceb 0 */
		0x01, 0x00, 0x01,		/* e0b 65537 */
	  }, 11, "<ECN e1b 1 ceb 0 e0b 65537>" },
	{ "AccECN, ECT(0) first, one field", {
		0xac, 0x05,			/* kind 172, length 2 + 3 */
		0xff, 0xff, 0xff,		/* e0b 16777215 */
	  }, 5, "<ECN e0b 16777215>" },
	{ "experimental, other ExID", { 0xfe, 0x06, 0x12, 0x34, 0xab, 0xcd }, 6,
	  "<kind 254 len 6 data 1234abcd>" },
	{ "RFC 6994's other kind", { 0xfd, 0x04, 0x56, 0x78 }, 4,
	  "<kind 253 len 4 data 5678>" },
	{ "unassigned kind, no body", { 0x1e, 0x02 }, 2, "<kind 30 len 2>" },
};

START_TEST(each_kind_decodes_formats_and_encodes_back)
{
	const struct kind_case *c = &kind_cases[_i];
	struct tcp_option o[TCP_MAX_OPTIONS];
	uint8_t n, out[TCP_OPTION_SPACE];
	size_t len;
	char *err = NULL;

	ck_assert_msg(tcp_options_parse(c->bytes, c->len, o, &n, &err) == STATUS_OK,
		      "%s: %s", c->name, err);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(o[0].len, c->len);
	ck_assert_str_eq(format_one(o), c->text);
	ck_assert_int_eq(tcp_options_build(o, n, out, sizeof(out), &len, &err),
			 STATUS_OK);
	ck_assert_uint_eq(len, c->len);
	ck_assert_mem_eq(out, c->bytes, len);
}
END_TEST

START_TEST(names_in_messages)
{
	ck_assert_str_eq(tcp_option_name(TCPOPT_MSS), "mss");
	ck_assert_str_eq(tcp_option_name(TCPOPT_SACK_PERM), "sackOK");
	ck_assert_str_eq(tcp_option_name(TCPOPT_TS), "TS");
	ck_assert_str_eq(tcp_option_name(TCPOPT_MD5), "md5");
	ck_assert_str_eq(tcp_option_name(TCPOPT_FASTOPEN), "FO");
	ck_assert_str_eq(tcp_option_name(TCPOPT_EXP), "unknown");
	ck_assert_str_eq(tcp_option_name(99), "unknown");
}
END_TEST

/* ---- comparison ---- */

static struct tcp_option wire_option(const uint8_t *bytes, size_t len)
{
	struct tcp_option o[TCP_MAX_OPTIONS];
	uint8_t n;

	ck_assert_int_eq(tcp_options_parse(bytes, len, o, &n, NULL), STATUS_OK);
	ck_assert_uint_eq(n, 1);
	return o[0];
}

START_TEST(ts_matches_on_ecr_alone)
{
	static const uint8_t ts[] = {
		0x08, 0x0a, 0x00, 0x00, 0x00, 0x07,	/* val 7 */
		0x00, 0x00, 0x00, 0x05,			/* ecr 5 */
	};
	struct tcp_option wire = wire_option(ts, sizeof(ts));
	struct tcp_option script = { .kind = TCPOPT_TS, .len = 10 };
	const char *why = NULL;

	script.u.ts.val = 1000;			/* the kernel's clock: not judged */
	script.u.ts.ecr = 5;
	ck_assert(tcp_option_match(&script, &wire, &why));
	script.u.ts.ecr = 6;
	ck_assert(!tcp_option_match(&script, &wire, &why));
	ck_assert_str_eq(why, "TS ecr differs");
}
END_TEST

START_TEST(each_field_mismatch_is_options_differ)
{
	static const uint8_t wire_bytes[] = {
		0x02, 0x04, 0x05, 0xb4,			/* mss 1460 */
		0x03, 0x03, 0x07,			/* wscale 7 */
		0x05, 0x0a, 0, 0, 0, 1, 0, 0, 0, 2,	/* sack 1:2 */
		0x1e, 0x03, 0xaa,			/* kind 30, data aa */
	};
	struct tcp_option w[TCP_MAX_OPTIONS], s[TCP_MAX_OPTIONS];
	const char *why = NULL;
	uint8_t n;

	ck_assert_int_eq(tcp_options_parse(wire_bytes, sizeof(wire_bytes), w, &n,
					   NULL), STATUS_OK);
	ck_assert_uint_eq(n, 4);
	memcpy(s, w, sizeof(s));
	ck_assert(tcp_options_match(s, n, w, n, &why));
	for (int field = 0; field < 5; field++) {
		memcpy(s, w, sizeof(s));
		switch (field) {
		case 0: s[0].u.mss = 1440; break;
		case 1: s[1].u.wscale = 8; break;
		case 2: s[2].u.sack.block[0].right = 3; break;
		case 3: s[3].u.raw[0] = 0xab; break;
		case 4: s[0].kind = TCPOPT_WSCALE; break;
		}
		why = NULL;
		ck_assert_msg(!tcp_options_match(s, n, w, n, &why), "field %d", field);
		ck_assert_str_eq(why, "options differ");
	}
	ck_assert(!tcp_options_match(s, n - 1, w, n, &why));
	ck_assert_str_eq(why, "option count differs");
}
END_TEST

/* ---- script <-> wire numbering ---- */

struct ts_book {
	uint32_t script, wire;
	int learnt;
};

static uint32_t book_ecr_to_wire(void *ctx, uint32_t script)
{
	struct ts_book *b = ctx;

	return script == b->script ? b->wire : script;
}

static void book_learn(void *ctx, uint32_t script, uint32_t wire)
{
	struct ts_book *b = ctx;

	b->script = script;
	b->wire = wire;
	b->learnt++;
}

START_TEST(to_wire_maps_ts_ecr_and_rebases_sack_edges)
{
	struct ts_book book = { .script = 100, .wire = 777000 };
	const struct tcp_option_map map = {
		.ctx = &book, .sack_offset = 1000000,
		.ts_ecr_to_wire = book_ecr_to_wire, .ts_learn = book_learn,
	};
	struct tcp_option o[3] = {
		{ .kind = TCPOPT_TS, .len = 10 },
		{ .kind = TCPOPT_SACK, .len = 10 },
		{ .kind = TCPOPT_MSS, .len = 4 },
	};

	o[0].u.ts.val = 5;
	o[0].u.ts.ecr = 100;
	o[1].u.sack.count = 1;
	o[1].u.sack.block[0].left = 1;
	o[1].u.sack.block[0].right = 0xffffffff;	/* wraps like sequence space */
	o[2].u.mss = 1460;
	tcp_options_to_wire(o, 3, &map);
	ck_assert_uint_eq(o[0].u.ts.val, 5);		/* the harness's own clock */
	ck_assert_uint_eq(o[0].u.ts.ecr, 777000);
	ck_assert_uint_eq(o[1].u.sack.block[0].left, 1000001);
	ck_assert_uint_eq(o[1].u.sack.block[0].right, 999999);
	ck_assert_uint_eq(o[2].u.mss, 1460);
}
END_TEST

START_TEST(learn_hands_the_map_each_ts_val)
{
	struct ts_book book = { 0 };
	const struct tcp_option_map map = {
		.ctx = &book, .ts_ecr_to_wire = book_ecr_to_wire,
		.ts_learn = book_learn,
	};
	struct tcp_option s[2] = { { .kind = TCPOPT_NOP, .len = 1 },
				   { .kind = TCPOPT_TS, .len = 10 } };
	struct tcp_option w[2];

	memcpy(w, s, sizeof(w));
	s[1].u.ts.val = 300;
	w[1].u.ts.val = 123456;
	tcp_options_learn(s, 2, w, 2, &map);
	ck_assert_int_eq(book.learnt, 1);
	ck_assert_uint_eq(book.script, 300);
	ck_assert_uint_eq(book.wire, 123456);
	tcp_options_learn(s, 2, w, 1, &map);	/* no wire TS: nothing to learn */
	ck_assert_int_eq(book.learnt, 1);
}
END_TEST

/* ---- script spelling ---- */

START_TEST(read_each_spelling)
{
	static const char *const mss[] = { "mss", "1460", NULL };
	static const char *const ts[] = { "TS", "val", "1", "ecr", "2", NULL };
	static const char *const sack[] = { "sack", "1", ":", "2", "3", ":", "4", NULL };
	static const char *const nop[] = { "nop", NULL };
	struct tokens t = { .tok = mss };
	struct tcp_option o;

	ck_assert_int_eq(read_tokens(&t, &o), 0);
	ck_assert_str_eq(format_one(&o), "<mss 1460>");
	ck_assert_uint_eq(o.len, 4);
	t = (struct tokens){ .tok = ts };
	ck_assert_int_eq(read_tokens(&t, &o), 0);
	ck_assert_str_eq(format_one(&o), "<TS val 1 ecr 2>");
	ck_assert_uint_eq(o.len, 10);
	t = (struct tokens){ .tok = sack };
	ck_assert_int_eq(read_tokens(&t, &o), 0);
	ck_assert_str_eq(format_one(&o), "<sack 1:2 3:4>");
	ck_assert_uint_eq(o.len, 18);
	t = (struct tokens){ .tok = nop };
	ck_assert_int_eq(read_tokens(&t, &o), 0);
	ck_assert_uint_eq(o.kind, TCPOPT_NOP);
	ck_assert_uint_eq(o.len, 1);
	ck_assert_uint_eq(t.at, 1);
}
END_TEST

START_TEST(read_unknown_word_lists_the_spellings)
{
	static const char *const bogus[] = { "bogus", NULL };
	struct tokens t = { .tok = bogus };
	struct tcp_option o;
	char what[160];

	ck_assert_int_eq(read_tokens(&t, &o), 1);
	ck_assert_uint_eq(t.at, 0);
	tcp_option_spellings(what, sizeof(what));
	ck_assert_str_eq(what,
			 "a TCP option (mss, wscale, sackOK, sack, TS, nop, eol, "
			 "md5, FO, FOEXP, ECN)");
}
END_TEST

/* ---- kinds without a name: "kind K len L data HEX" ---- */

START_TEST(unnamed_kind_reads_as_it_prints_and_matches_its_wire_bytes)
{
	static const char *const exp253[] = {
		"kind", "253", "len", "6", "data", "1234abcd", NULL };
	static const uint8_t wire_bytes[] = {
		0xfd, 0x06,		/* kind 253 (RFC 6994 experimental), length 6 */
		0x12, 0x34,		/* ExID 0x1234 */
		0xab, 0xcd,		/* data */
	};
	struct tokens t = { .tok = exp253 };
	struct tcp_option o, wire = wire_option(wire_bytes, sizeof(wire_bytes));
	uint8_t out[TCP_OPTION_SPACE];
	const char *why = NULL;
	size_t len;

	ck_assert_int_eq(read_tokens(&t, &o), 0);
	ck_assert_uint_eq(t.at, 6);
	ck_assert_str_eq(format_one(&o), "<kind 253 len 6 data 1234abcd>");
	ck_assert_int_eq(tcp_options_build(&o, 1, out, sizeof(out), &len, NULL),
			 STATUS_OK);
	ck_assert_uint_eq(len, sizeof(wire_bytes));
	ck_assert_mem_eq(out, wire_bytes, len);
	ck_assert(tcp_option_match(&o, &wire, &why));
	wire.u.raw[3] = 0xce;
	ck_assert(!tcp_option_match(&o, &wire, &why));
	ck_assert_str_eq(why, "options differ");
	ck_assert_str_eq(format_one(&wire), "<kind 253 len 6 data 1234abce>");
}
END_TEST

START_TEST(unnamed_kind_without_data)
{
	static const char *const k30[] = { "kind", "30", "len", "2", ",", NULL };
	struct tokens t = { .tok = k30 };
	struct tcp_option o;

	ck_assert_int_eq(read_tokens(&t, &o), 0);
	ck_assert_uint_eq(t.at, 4);		/* stops before the ',' */
	ck_assert_uint_eq(o.kind, 30);
	ck_assert_uint_eq(o.len, 2);
	ck_assert_str_eq(format_one(&o), "<kind 30 len 2>");
}
END_TEST

/* Each wrong spelling, where it goes wrong (token index) and what was expected. */
static const struct bad_spelling {
	const char *tok[8];
	size_t at;
	const char *expected;
} bad_spellings[] = {
	{ { "kind", "2", "len", "4", "data", "05b4" }, 1,
	  "a kind without a name (kind 2 is 'mss')" },
	{ { "kind", "8", "len", "10" }, 1, "a kind without a name (kind 8 is 'TS')" },
	{ { "kind", "256", "len", "2" }, 1, "option kind" },
	{ { "kind", "len", "2" }, 1, "option kind" },
	{ { "kind", "253", "6" }, 2, "'len'" },
	{ { "kind", "253", "len", "1" }, 3, "an option length (2 to 40)" },
	{ { "kind", "253", "len", "41" }, 3, "an option length (2 to 40)" },
	{ { "kind", "253", "len", "4", "1234" }, 4, "'data'" },
	{ { "kind", "253", "len", "6", "data", "1234" }, 5,
	  "4 bytes of data in hex (len 6 - 2)" },
	{ { "kind", "253", "len", "4", "data", "12zz" }, 5,
	  "2 bytes of data in hex (len 4 - 2)" },
};

START_TEST(unnamed_kind_rejects_bad_spellings)
{
	const struct bad_spelling *b = &bad_spellings[_i];
	struct tokens t = { .tok = b->tok };
	struct tcp_option o;

	ck_assert_int_eq(read_tokens(&t, &o), -1);
	ck_assert_uint_eq(t.at, b->at);
	ck_assert_str_eq(t.expected, b->expected);
}
END_TEST

/* Through the real lexer: hex data lexes as a number, a word or a number
 * followed by letters, and must come out the same. */
START_TEST(unnamed_kinds_in_a_script)
{
	static const char text[] =
		"0 < S 0:0(0) win 1000 <kind 253 len 6 data 1234abcd,"
		"kind 254 len 4 data 0102,kind 30 len 4 data beef,nop>\n";
	static const uint8_t wire_bytes[] = {
		0xfd, 0x06, 0x12, 0x34, 0xab, 0xcd,	/* kind 253, 1234abcd */
		0xfe, 0x04, 0x01, 0x02,			/* kind 254, 0102 */
		0x1e, 0x04, 0xbe, 0xef,			/* kind 30, beef */
		0x01,					/* nop */
	};
	static const char bad[] = "0 < S 0:0(0) <kind 2 len 4 data 05b4>\n";
	struct tcp_option w[TCP_MAX_OPTIONS];
	const struct packet_event *pk;
	struct script *s = NULL;
	const char *why = NULL;
	char *err = NULL;
	uint8_t n;

	ck_assert_msg(script_parse("t.pkt", text, sizeof(text) - 1, &s, &err) ==
		      STATUS_OK, "%s", err);
	pk = &script_event(s, 0)->u.packet;
	ck_assert_int_eq(tcp_options_parse(wire_bytes, sizeof(wire_bytes), w, &n,
					   NULL), STATUS_OK);
	ck_assert(tcp_options_match(pk->options, pk->noptions, w, n, &why));
	script_free(s);
	ck_assert_int_eq(script_parse("t.pkt", bad, strlen(bad), &s, &err),
			 STATUS_ERROR);
	ck_assert_str_eq(err, "t.pkt:1:20: expected a kind without a name "
			 "(kind 2 is 'mss'), found '2'");
	free(err);
}
END_TEST

/* ---- md5, FO, FOEXP (a hex blob after the name) and AccECN ---- */

/* As the corpora write them: a cookie lexes as a word ("abcd1234",
 * "3021b9d889017eeb", a -D value already substituted) or a number
 * ("12345678"); "FO" alone asks for a cookie. */
START_TEST(fast_open_and_md5_in_a_script)
{
	static const char text[] =
		"0 < S 0:0(0) win 1000 <FO abcd1234,FO 12345678,FO,"
		"FOEXP 3021b9d889017eeb,FOEXP>\n"
		"0 < . 1:1(0) ack 1 win 514 <md5 000102030405060708090a0b0c0d0e0f,nop,nop>\n"
		"0 > W. 1:1(0) ack 1 <ECN e1b 1 ceb 0 e0b 1,nop>\n";
	static const uint8_t accecn_bytes[] = {
		0xae, 0x0b,				/* kind 174, len 11 */
		0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,	/* 1 0 1 */
		0x01,					/* nop */
	};
	static const uint8_t fo_bytes[] = {
		0x22, 0x06, 0xab, 0xcd, 0x12, 0x34,	/* kind 34, len 6, abcd1234 */
		0x22, 0x06, 0x12, 0x34, 0x56, 0x78,	/* kind 34, len 6, 12345678 */
		0x22, 0x02,				/* kind 34, len 2: request */
		0xfe, 0x0c, 0xf9, 0x89,			/* kind 254, len 12, ExID f989 */
		0x30, 0x21, 0xb9, 0xd8, 0x89, 0x01, 0x7e, 0xeb,	/* cookie */
		0xfe, 0x04, 0xf9, 0x89,			/* kind 254, len 4: request */
	};
	static const uint8_t md5_bytes[] = {
		0x13, 0x12,				/* kind 19, len 18 */
		0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,	/* digest */
		0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
		0x01, 0x01,				/* nop, nop */
	};
	struct tcp_option w[TCP_MAX_OPTIONS];
	const struct packet_event *pk;
	uint8_t n, out[TCP_OPTION_SPACE];
	struct script *s = NULL;
	const char *why = NULL;
	char *err = NULL;
	size_t len;

	ck_assert_msg(script_parse("t.pkt", text, sizeof(text) - 1, &s, &err) ==
		      STATUS_OK, "%s", err);
	pk = &script_event(s, 0)->u.packet;
	ck_assert_uint_eq(pk->noptions, 5);
	ck_assert_int_eq(tcp_options_build(pk->options, pk->noptions, out,
					   sizeof(out), &len, NULL), STATUS_OK);
	ck_assert_uint_eq(len, sizeof(fo_bytes));
	ck_assert_mem_eq(out, fo_bytes, len);
	ck_assert_int_eq(tcp_options_parse(fo_bytes, sizeof(fo_bytes), w, &n,
					   NULL), STATUS_OK);
	ck_assert(tcp_options_match(pk->options, pk->noptions, w, n, &why));
	w[0].u.raw[3] ^= 1;	/* another cookie: outbound it fails */
	ck_assert(!tcp_options_match(pk->options, pk->noptions, w, n, &why));
	pk = &script_event(s, 1)->u.packet;
	ck_assert_int_eq(tcp_options_build(pk->options, pk->noptions, out,
					   sizeof(out), &len, NULL), STATUS_OK);
	ck_assert_uint_eq(len, sizeof(md5_bytes));
	ck_assert_mem_eq(out, md5_bytes, len);
	pk = &script_event(s, 2)->u.packet;
	ck_assert_int_eq(tcp_options_build(pk->options, pk->noptions, out,
					   sizeof(out), &len, NULL), STATUS_OK);
	ck_assert_uint_eq(len, sizeof(accecn_bytes));
	ck_assert_mem_eq(out, accecn_bytes, len);
	script_free(s);
}
END_TEST

static const struct bad_blob {
	const char *line;
	const char *error;
} bad_blobs[] = {
	{ "0 < S 0:0(0) <FO abc>\n",
	  "t.pkt:1:18: expected a fast open cookie in hex (an even number of "
	  "digits, at most 38 bytes), found 'abc'" },
	{ "0 < S 0:0(0) <FO abcz>\n",
	  "t.pkt:1:18: expected a fast open cookie in hex (an even number of "
	  "digits, at most 38 bytes), found 'abcz'" },
	{ "0 < S 0:0(0) <ECN ceb 1>\n",
	  "t.pkt:1:19: expected 'e0b' or 'e1b' (an AccECN field), found 'ceb'" },
	{ "0 < S 0:0(0) <ECN e0b 16777216>\n",
	  "t.pkt:1:23: expected an AccECN byte counter (0 to 16777215), found '16777216'" },
	{ "0 < S 0:0(0) <ECN e0b 1 e1b 1>\n",
	  "t.pkt:1:25: expected ',' or '>', found 'e1b'" },
	{ "0 < S 0:0(0) <FOEXP 0x1234>\n",
	  "t.pkt:1:21: expected a fast open cookie in hex (an even number of "
	  "digits, at most 36 bytes), found '0x1234'" },
	{ "0 < . 1:1(0) ack 1 <md5>\n",
	  "t.pkt:1:24: expected an MD5 digest in hex (an even number of "
	  "digits, at most 16 bytes), found '>'" },
	{ "0 < . 1:1(0) ack 1 <md5 000102030405060708090a0b0c0d0e0f00>\n",
	  "t.pkt:1:25: expected an MD5 digest in hex (an even number of "
	  "digits, at most 16 bytes), found '000102030405060708090a0b0c0d0e0f00'" },
};

START_TEST(bad_blobs_name_file_line_column)
{
	const struct bad_blob *b = &bad_blobs[_i];
	struct script *s = NULL;
	char *err = NULL;

	ck_assert_int_eq(script_parse("t.pkt", b->line, strlen(b->line), &s, &err),
			 STATUS_ERROR);
	ck_assert_str_eq(err, b->error);
	free(err);
}
END_TEST

Suite *tcp_option_suite(void)
{
	Suite *s = suite_create("tcp_option");
	TCase *tc = tcase_create("table");

	tcase_add_loop_test(tc, each_kind_decodes_formats_and_encodes_back, 0,
			    sizeof(kind_cases) / sizeof(kind_cases[0]));
	tcase_add_test(tc, names_in_messages);
	tcase_add_test(tc, ts_matches_on_ecr_alone);
	tcase_add_test(tc, each_field_mismatch_is_options_differ);
	tcase_add_test(tc, to_wire_maps_ts_ecr_and_rebases_sack_edges);
	tcase_add_test(tc, learn_hands_the_map_each_ts_val);
	tcase_add_test(tc, read_each_spelling);
	tcase_add_test(tc, read_unknown_word_lists_the_spellings);
	tcase_add_test(tc, unnamed_kind_reads_as_it_prints_and_matches_its_wire_bytes);
	tcase_add_test(tc, unnamed_kind_without_data);
	tcase_add_loop_test(tc, unnamed_kind_rejects_bad_spellings, 0,
			    sizeof(bad_spellings) / sizeof(bad_spellings[0]));
	tcase_add_test(tc, unnamed_kinds_in_a_script);
	tcase_add_test(tc, fast_open_and_md5_in_a_script);
	tcase_add_loop_test(tc, bad_blobs_name_file_line_column, 0,
			    sizeof(bad_blobs) / sizeof(bad_blobs[0]));
	suite_add_tcase(s, tc);

	suite_add_tcase(s, tcp_option_list_tcase());
	return s;
}
