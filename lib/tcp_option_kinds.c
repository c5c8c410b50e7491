/*
 * tcp_option_kinds.c - one descriptor per TCP option kind (see
 * tcp_option_ops.h), as libnftnl has one ops table per expression.
 *
 * To add an option: write its descriptor here, list it in
 * tcp_option_table[] below, and test it in tests/check_tcp_option.c;
 * nothing else switches on the kind.  A kind with no descriptor of its own
 * is kept, sent, printed and compared as raw bytes (tcp_option_unknown).
 */
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "error.h"
#include "tcp_option_ops.h"

enum {
	TCPOPT_FO_MAGIC	= 0xf989,	/* RFC 7413's ExID for fast open on kind 254 */
};

/* A body of a raw kind, capped: a caller-made option may carry any len. */
static size_t raw_body_len(const struct tcp_option *o)
{
	size_t body = o->len > 2 ? (size_t)o->len - 2 : 0;

	return body > sizeof(o->u.raw) ? sizeof(o->u.raw) : body;
}

static void text_hex(struct text *t, const uint8_t *p, size_t n)
{
	if (n)
		text_add(t, " ");
	for (size_t i = 0; i < n; i++)
		text_add(t, "%02x", p[i]);
}

/* ---- shared by several kinds ---- */

static void format_name(struct text *t, const struct tcp_option *o)
{
	text_add(t, "%s", tcp_option_name(o->kind));
}

/* Kinds whose only content is their length (EOL, NOP, sackOK). */
static bool match_len(const struct tcp_option *script,
		      const struct tcp_option *wire, const char **why)
{
	(void)why;	/* the list code says why */
	return script->len == wire->len;
}

static int parse_nothing(const struct tcp_option_reader *r, struct tcp_option *o)
{
	(void)r; (void)o;	/* the option has no body */
	return 0;
}

/* ---- raw bytes: md5, fast open and kinds without a descriptor ---- */

static int raw_build_len(const struct tcp_option *o, unsigned int index,
			 size_t *len, char **error)
{
	if (o->len < 2 || o->len > TCP_OPTION_SPACE)
		return error_set(error,
				 "TCP option %u (kind %u): length %u, must be 2 to %d",
				 index, o->kind, o->len, TCP_OPTION_SPACE);
	*len = o->len;
	return STATUS_OK;
}

static void raw_decode(struct tcp_option *o, const uint8_t *body)
{
	/* len <= TCP_OPTION_SPACE, so the body fits raw[]. */
	memcpy(o->u.raw, body, o->len - 2);
}

static void raw_encode(const struct tcp_option *o, uint8_t *body)
{
	memcpy(body, o->u.raw, o->len - 2);
}

static bool raw_match(const struct tcp_option *script,
		      const struct tcp_option *wire, const char **why)
{
	(void)why;	/* the list code says why */
	return script->len == wire->len &&
	       (script->len <= 2 ||
		!memcmp(script->u.raw, wire->u.raw, raw_body_len(script)));
}

/* md5 and FO: the name, then the body in hex. */
static void raw_format_named(struct text *t, const struct tcp_option *o)
{
	format_name(t, o);
	text_hex(t, o->u.raw, raw_body_len(o));
}

/* packetdrill has no spelling for these; raw_parse reads this one back. */
static void raw_format(struct text *t, const struct tcp_option *o)
{
	size_t body = raw_body_len(o);

	text_add(t, "kind %u len %u", o->kind, o->len);
	if (body) {
		text_add(t, " data");
		text_hex(t, o->u.raw, body);
	}
}

/* RFC 6994: fast open's ExID has packetdrill's name, the others none. */
static void exp_format(struct text *t, const struct tcp_option *o)
{
	size_t body = raw_body_len(o);

	if (body >= 2 && get16(o->u.raw) == TCPOPT_FO_MAGIC) {
		text_add(t, "FOEXP");
		text_hex(t, o->u.raw + 2, body - 2);
		return;
	}
	raw_format(t, o);
}



static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The current token as a number (decimal, or hex after "0x") of at most
 * max, not consumed, so that what is wrong with it is reported at it. */
static bool token_number(const struct tcp_option_reader *r, uint64_t max,
			 uint64_t *v)
{
	size_t n, i = 0;
	const char *s;
	unsigned int base = 10;

	if (!r->is_number(r->ctx))
		return false;
	s = r->token(r->ctx, &n);
	if (n > 2 && s[0] == '0' && (s[1] | 0x20) == 'x') {
		base = 16;
		i = 2;
	}
	for (*v = 0; i < n; i++) {
		*v = *v * base + (uint64_t)hex_digit((unsigned char)s[i]);
		if (*v > max)
			return false;
	}
	return true;
}

/* "data 1234abcd": len - 2 bytes, two hex digits each, as one token. */
static int raw_parse_data(const struct tcp_option_reader *r, struct tcp_option *o)
{
	size_t body = (size_t)o->len - 2, n;
	const char *s;
	char what[64];

	if (!r->is_word(r->ctx, "data"))
		return r->expected(r->ctx, "'data'");
	if (r->advance(r->ctx) < 0)
		return -1;
	s = r->token(r->ctx, &n);
	snprintf(what, sizeof(what), "%zu bytes of data in hex (len %u - 2)",
		 body, o->len);
	if (n != 2 * body)
		return r->expected(r->ctx, what);
	for (size_t i = 0; i < body; i++) {
		int hi = hex_digit((unsigned char)s[2 * i]);
		int lo = hex_digit((unsigned char)s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return r->expected(r->ctx, what);
		o->u.raw[i] = (uint8_t)(hi << 4 | lo);
	}
	return r->advance(r->ctx);
}

/*
 * A kind without a name, spelled as raw_format prints it, so a failure
 * message reads back as a script: "kind 253 len 6 data 1234abcd" (RFC 6994
 * experimental kind 253, ExID 0x1234, data abcd), "kind 30 len 2".
 * packetdrill has no standard spelling for these.  A kind that has a name
 * ("mss") must be written with it: one option, one spelling.
 */
static int raw_parse(const struct tcp_option_reader *r, struct tcp_option *o)
{
	const struct tcp_option_ops *named;
	uint64_t kind, len;

	if (!token_number(r, UINT8_MAX, &kind))
		return r->number(r->ctx, UINT8_MAX, "option kind", &kind);
	named = tcp_option_ops_find((uint8_t)kind);
	/* kind 254 keeps this spelling for ExIDs other than fast open's */
	if (named != &tcp_option_unknown && named->parse && !named->word) {
		char what[80];

		snprintf(what, sizeof(what), "a kind without a name (kind %u is '%s')",
			 (unsigned int)kind, named->name);
		return r->expected(r->ctx, what);
	}
	if (r->advance(r->ctx) < 0)
		return -1;
	if (!r->is_word(r->ctx, "len"))
		return r->expected(r->ctx, "'len'");
	if (r->advance(r->ctx) < 0)
		return -1;
	if (!token_number(r, TCP_OPTION_SPACE, &len) || len < 2)
		return r->expected(r->ctx, "an option length (2 to 40)");
	if (r->advance(r->ctx) < 0)
		return -1;
	o->kind = (uint8_t)kind;
	o->len = (uint8_t)len;
	return len > 2 ? raw_parse_data(r, o) : 0;
}

/* ---- md5, fast open and its experimental form: a hex blob ---- */

/*
 * The body of a named raw kind as packetdrill spells it: one token of hex
 * digits (a word, "abcd1234", or a number, "12345678", as the lexer sees
 * it), two per byte, at most max bytes, written after skip bytes of body.
 * optional: no blob (the next token is punctuation, ',' or '>') is the
 * empty body, "FO" of a cookie request.
 */
static int parse_hex_blob(const struct tcp_option_reader *r, struct tcp_option *o,
			  size_t skip, size_t max, bool optional, const char *what)
{
	char expected[96];
	const char *s;
	size_t n;

	o->len = (uint8_t)(2 + skip);
	if (optional && !r->is_number(r->ctx) && !r->is_word(r->ctx, NULL))
		return 0;
	s = r->token(r->ctx, &n);
	snprintf(expected, sizeof(expected),
		 "%s in hex (an even number of digits, at most %zu bytes)",
		 what, max);
	if (!r->is_number(r->ctx) && !r->is_word(r->ctx, NULL))
		return r->expected(r->ctx, expected);
	if (n % 2 || n / 2 > max || (n > 1 && s[0] == '0' && (s[1] | 0x20) == 'x'))
		return r->expected(r->ctx, expected);
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hex_digit((unsigned char)s[2 * i]);
		int lo = hex_digit((unsigned char)s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return r->expected(r->ctx, expected);
		o->u.raw[skip + i] = (uint8_t)(hi << 4 | lo);
	}
	o->len = (uint8_t)(2 + skip + n / 2);
	return r->advance(r->ctx);
}

/* "md5 000102...0f": the digest as written (packetdrill signs nothing:
 * an inbound segment carries these bytes, an outbound one must). */
static int md5_parse(const struct tcp_option_reader *r, struct tcp_option *o)
{
	return parse_hex_blob(r, o, 0, 16, false, "an MD5 digest");
}

/* "FO abcd1234", "FO" (a cookie request). */
static int fastopen_parse(const struct tcp_option_reader *r, struct tcp_option *o)
{
	return parse_hex_blob(r, o, 0, TCP_OPTION_SPACE - 2, true,
			      "a fast open cookie");
}

/* "FOEXP abcd1234", "FOEXP": kind 254 with fast open's ExID first. */
static int exp_parse(const struct tcp_option_reader *r, struct tcp_option *o)
{
	put16(o->u.raw, TCPOPT_FO_MAGIC);
	return parse_hex_blob(r, o, 2, TCP_OPTION_SPACE - 4, true,
			      "a fast open cookie");
}

/* Where a Fast Open cookie starts in o's body: at once for FO, after the
 * ExID for kind 254 carrying fast open's; -1 for any other kind 254. */
static int cookie_skip(const struct tcp_option *o)
{
	if (o->kind == TCPOPT_FASTOPEN)
		return 0;
	return o->len >= 4 && get16(o->u.raw) == TCPOPT_FO_MAGIC ? 2 : -1;
}

/* The cookie through the map, either way; a request carries none. */
static void cookie_map(struct tcp_option *o, const struct tcp_option_map *map,
		       bool to_wire)
{
	int skip = cookie_skip(o);

	if (map->cookie && skip >= 0 && o->len > 2 + skip)
		map->cookie(map->ctx, o->u.raw + skip, o->len - 2 - skip, to_wire);
}

static void cookie_to_wire(struct tcp_option *o, const struct tcp_option_map *map)
{
	cookie_map(o, map, true);
}

static void cookie_to_script(struct tcp_option *o, const struct tcp_option_map *map)
{
	cookie_map(o, map, false);
}

#define RAW_OPS								\
	.build_len = raw_build_len, .decode = raw_decode,		\
	.encode = raw_encode, .match = raw_match

static const struct tcp_option_ops tcp_option_md5 = {
	.kind = TCPOPT_MD5, .name = "md5", RAW_OPS, .format = raw_format_named,
	.parse = md5_parse,
};

static const struct tcp_option_ops tcp_option_fastopen = {
	.kind = TCPOPT_FASTOPEN, .name = "FO", RAW_OPS, .format = raw_format_named,
	.parse = fastopen_parse, .to_wire = cookie_to_wire, .to_script = cookie_to_script,
};

/* Messages call kind 254 "unknown", as any kind packetdrill cannot name;
 * scripts write "FOEXP" for fast open's ExID and "kind 254 ..." for others. */
static const struct tcp_option_ops tcp_option_exp = {
	.kind = TCPOPT_EXP, .name = "unknown", .word = "FOEXP", RAW_OPS,
	.format = exp_format, .parse = exp_parse, .to_wire = cookie_to_wire,
	.to_script = cookie_to_script,
};

/* ---- AccECN (RFC 9768): byte counters of 24 bits, in one of two orders ---- */

/* Field labels in wire order: kind 172 starts with ECT(0)'s, 174 with ECT(1)'s. */
static const char *const accecn_labels[2][3] = {
	{ "e0b", "ceb", "e1b" }, { "e1b", "ceb", "e0b" },
};

static bool accecn_len_ok(uint8_t len)
{
	return len <= 2 + 3 * 3 && (len - 2) % 3 == 0;
}

static void accecn_format(struct text *t, const struct tcp_option *o)
{
	const char *const *label = accecn_labels[o->kind == TCPOPT_ACCECN1];
	size_t fields = raw_body_len(o) / 3;

	text_add(t, "ECN");
	for (size_t i = 0; i < fields && i < 3; i++)
		text_add(t, " %s %u", label[i], (unsigned int)(o->u.raw[3 * i] << 16 |
			 o->u.raw[3 * i + 1] << 8 | o->u.raw[3 * i + 2]));
}

/* "ECN e1b 1 ceb 0 e0b 1": the first label picks the kind, the others
 * must follow in its order; one to three fields. */
static int accecn_parse(const struct tcp_option_reader *r, struct tcp_option *o)
{
	int order = r->is_word(r->ctx, "e1b") ? 1 : 0;
	size_t n = 0;

	o->kind = order ? TCPOPT_ACCECN1 : TCPOPT_ACCECN0;
	while (n < 3 && r->is_word(r->ctx, accecn_labels[order][n])) {
		uint64_t v;

		if (r->advance(r->ctx) < 0 ||
		    r->number(r->ctx, 0xffffff, "an AccECN byte counter", &v) < 0)
			return -1;
		o->u.raw[3 * n] = (uint8_t)(v >> 16);
		o->u.raw[3 * n + 1] = (uint8_t)(v >> 8);
		o->u.raw[3 * n + 2] = (uint8_t)v;
		n++;
	}
	if (!n)
		return r->expected(r->ctx, "'e0b' or 'e1b' (an AccECN field)");
	o->len = (uint8_t)(2 + 3 * n);
	return 0;
}

#define ACCECN_OPS							\
	.len_ok = accecn_len_ok, .len_rule = "must be 2 + 3 * fields with 0 to 3 fields", \
	RAW_OPS, .format = accecn_format

/* Scripts write both kinds "ECN ...": this one reads them. */
static const struct tcp_option_ops tcp_option_accecn0 = {
	.kind = TCPOPT_ACCECN0, .name = "unknown", .word = "ECN", ACCECN_OPS,
	.parse = accecn_parse,
};

static const struct tcp_option_ops tcp_option_accecn1 = {
	.kind = TCPOPT_ACCECN1, .name = "unknown", ACCECN_OPS,
};

/* Any kind not in the table; .kind is not looked at. */
const struct tcp_option_ops tcp_option_unknown = {
	.name = "unknown", .word = "kind", RAW_OPS, .format = raw_format,
	.parse = raw_parse,
};

/* ---- EOL, NOP, sackOK ---- */

static const struct tcp_option_ops tcp_option_eol = {
	.kind = TCPOPT_EOL, .name = "eol", .len = 1, .format = format_name,
	.match = match_len, .parse = parse_nothing,
};

static const struct tcp_option_ops tcp_option_nop = {
	.kind = TCPOPT_NOP, .name = "nop", .len = 1, .format = format_name,
	.match = match_len, .parse = parse_nothing,
};

static const struct tcp_option_ops tcp_option_sack_perm = {
	.kind = TCPOPT_SACK_PERM, .name = "sackOK", .len = 2,
	.format = format_name, .match = match_len, .parse = parse_nothing,
};

/* ---- MSS ---- */

static void mss_decode(struct tcp_option *o, const uint8_t *body)
{
	o->u.mss = get16(body);
}

static void mss_encode(const struct tcp_option *o, uint8_t *body)
{
	put16(body, o->u.mss);
}

static void mss_format(struct text *t, const struct tcp_option *o)
{
	text_add(t, "mss %u", o->u.mss);
}

static bool mss_match(const struct tcp_option *script,
		      const struct tcp_option *wire, const char **why)
{
	(void)why;	/* the list code says why */
	return script->u.mss == wire->u.mss;
}

static int mss_parse(const struct tcp_option_reader *r, struct tcp_option *o)
{
	uint64_t v;

	if (r->number(r->ctx, UINT16_MAX, "MSS value", &v) < 0)
		return -1;
	o->u.mss = (uint16_t)v;
	return 0;
}

static const struct tcp_option_ops tcp_option_mss = {
	.kind = TCPOPT_MSS, .name = "mss", .len = 4, .decode = mss_decode,
	.encode = mss_encode, .format = mss_format, .match = mss_match,
	.parse = mss_parse,
};

/* ---- window scale ---- */

static void wscale_decode(struct tcp_option *o, const uint8_t *body)
{
	o->u.wscale = body[0];
}

static void wscale_encode(const struct tcp_option *o, uint8_t *body)
{
	body[0] = o->u.wscale;
}

static void wscale_format(struct text *t, const struct tcp_option *o)
{
	text_add(t, "wscale %u", o->u.wscale);
}

static bool wscale_match(const struct tcp_option *script,
			 const struct tcp_option *wire, const char **why)
{
	(void)why;	/* the list code says why */
	return script->u.wscale == wire->u.wscale;
}

static int wscale_parse(const struct tcp_option_reader *r, struct tcp_option *o)
{
	uint64_t v;

	if (r->number(r->ctx, UINT8_MAX, "window scale shift count", &v) < 0)
		return -1;
	o->u.wscale = (uint8_t)v;
	return 0;
}

static const struct tcp_option_ops tcp_option_wscale = {
	.kind = TCPOPT_WSCALE, .name = "wscale", .len = 3,
	.decode = wscale_decode, .encode = wscale_encode,
	.format = wscale_format, .match = wscale_match, .parse = wscale_parse,
};

/* ---- SACK ---- */

static bool sack_len_ok(uint8_t len)
{
	return len >= 2 + 8 && (len - 2) % 8 == 0 && (len - 2) / 8 <= TCP_MAX_SACK;
}

static int sack_build_len(const struct tcp_option *o, unsigned int index,
			  size_t *len, char **error)
{
	if (o->u.sack.count < 1 || o->u.sack.count > TCP_MAX_SACK)
		return error_set(error,
				 "TCP option %u (sack): %u blocks, must be 1 to %d",
				 index, o->u.sack.count, TCP_MAX_SACK);
	*len = 2 + 8 * (size_t)o->u.sack.count;
	return STATUS_OK;
}

static void sack_decode(struct tcp_option *o, const uint8_t *body)
{
	o->u.sack.count = (o->len - 2) / 8;
	for (uint8_t i = 0; i < o->u.sack.count; i++) {
		o->u.sack.block[i].left = get32(body + 8 * i);
		o->u.sack.block[i].right = get32(body + 8 * i + 4);
	}
}

static void sack_encode(const struct tcp_option *o, uint8_t *body)
{
	for (uint8_t b = 0; b < o->u.sack.count; b++) {
		put32(body + 8 * b, o->u.sack.block[b].left);
		put32(body + 8 * b + 4, o->u.sack.block[b].right);
	}
}

static void sack_format(struct text *t, const struct tcp_option *o)
{
	text_add(t, "sack");
	for (uint8_t i = 0; i < o->u.sack.count && i < TCP_MAX_SACK; i++)
		text_add(t, " %u:%u", o->u.sack.block[i].left,
			 o->u.sack.block[i].right);
}

static bool sack_match(const struct tcp_option *script,
		       const struct tcp_option *wire, const char **why)
{
	(void)why;	/* the list code says why */
	if (script->u.sack.count != wire->u.sack.count)
		return false;
	for (uint8_t b = 0; b < script->u.sack.count && b < TCP_MAX_SACK; b++)
		if (script->u.sack.block[b].left != wire->u.sack.block[b].left ||
		    script->u.sack.block[b].right != wire->u.sack.block[b].right)
			return false;
	return true;
}

/* "sack 1:2 3:4": one to four blocks. */
static int sack_parse(const struct tcp_option_reader *r, struct tcp_option *o)
{
	do {
		uint64_t left, right;

		if (o->u.sack.count == TCP_MAX_SACK)
			return r->expected(r->ctx, "at most 4 SACK blocks");
		if (r->number(r->ctx, UINT32_MAX, "SACK block left edge", &left) < 0)
			return -1;
		if (!r->is_punct(r->ctx, ':'))
			return r->expected(r->ctx, "':'");
		if (r->advance(r->ctx) < 0 ||
		    r->number(r->ctx, UINT32_MAX, "SACK block right edge", &right) < 0)
			return -1;
		o->u.sack.block[o->u.sack.count].left = (uint32_t)left;
		o->u.sack.block[o->u.sack.count].right = (uint32_t)right;
		o->u.sack.count++;
	} while (r->is_number(r->ctx));
	o->len = 2 + 8 * o->u.sack.count;
	return 0;
}

/* The harness's SACK blocks acknowledge kernel data: script numbers count
 * from the kernel's ISN. */
static void sack_to_wire(struct tcp_option *o, const struct tcp_option_map *map)
{
	for (uint8_t b = 0; b < o->u.sack.count && b < TCP_MAX_SACK; b++) {
		o->u.sack.block[b].left += map->sack_offset;
		o->u.sack.block[b].right += map->sack_offset;
	}
}

static void sack_to_script(struct tcp_option *o, const struct tcp_option_map *map)
{
	for (uint8_t b = 0; b < o->u.sack.count && b < TCP_MAX_SACK; b++) {
		o->u.sack.block[b].left -= map->sack_offset;
		o->u.sack.block[b].right -= map->sack_offset;
	}
}

static const struct tcp_option_ops tcp_option_sack = {
	.kind = TCPOPT_SACK, .name = "sack", .len_ok = sack_len_ok,
	.len_rule = "must be 2 + 8 * blocks with 1 to 4 blocks",
	.build_len = sack_build_len, .decode = sack_decode,
	.encode = sack_encode, .format = sack_format, .match = sack_match,
	.parse = sack_parse, .to_wire = sack_to_wire, .to_script = sack_to_script,
};

/* ---- timestamps ---- */

static void ts_decode(struct tcp_option *o, const uint8_t *body)
{
	o->u.ts.val = get32(body);
	o->u.ts.ecr = get32(body + 4);
}

static void ts_encode(const struct tcp_option *o, uint8_t *body)
{
	put32(body, o->u.ts.val);
	put32(body + 4, o->u.ts.ecr);
}

static void ts_format(struct text *t, const struct tcp_option *o)
{
	text_add(t, "TS val %u ecr %u", o->u.ts.val, o->u.ts.ecr);
}

/* The val runs on the kernel's clock: learnt, not judged. */
static bool ts_match(const struct tcp_option *script,
		     const struct tcp_option *wire, const char **why)
{
	if (script->u.ts.ecr == wire->u.ts.ecr)
		return true;
	*why = "TS ecr differs";
	return false;
}

static int ts_parse(const struct tcp_option_reader *r, struct tcp_option *o)
{
	uint64_t val, ecr;

	if (!r->is_word(r->ctx, "val"))
		return r->expected(r->ctx, "'val'");
	if (r->advance(r->ctx) < 0 ||
	    r->number(r->ctx, UINT32_MAX, "TS val", &val) < 0)
		return -1;
	if (!r->is_word(r->ctx, "ecr"))
		return r->expected(r->ctx, "'ecr'");
	if (r->advance(r->ctx) < 0 ||
	    r->number(r->ctx, UINT32_MAX, "TS ecr", &ecr) < 0)
		return -1;
	o->u.ts.val = (uint32_t)val;
	o->u.ts.ecr = (uint32_t)ecr;
	return 0;
}

/* The harness's ecr echoes a kernel val the script knows by its own name. */
static void ts_to_wire(struct tcp_option *o, const struct tcp_option_map *map)
{
	o->u.ts.ecr = map->ts_ecr_to_wire(map->ctx, o->u.ts.ecr);
}

static void ts_learn(const struct tcp_option *script, const struct tcp_option *wire,
		     const struct tcp_option_map *map)
{
	map->ts_learn(map->ctx, script->u.ts.val, wire->u.ts.val);
}

static const struct tcp_option_ops tcp_option_ts = {
	.kind = TCPOPT_TS, .name = "TS", .len = 10, .decode = ts_decode,
	.encode = ts_encode, .format = ts_format, .match = ts_match,
	.parse = ts_parse, .to_wire = ts_to_wire, .learn = ts_learn,
};

/* ---- the table ---- */

/* In the order a script's "expected a TCP option (...)" lists them. */
const struct tcp_option_ops *const tcp_option_table[] = {
	&tcp_option_mss, &tcp_option_wscale, &tcp_option_sack_perm,
	&tcp_option_sack, &tcp_option_ts, &tcp_option_nop, &tcp_option_eol,
	&tcp_option_md5, &tcp_option_fastopen, &tcp_option_exp,
	&tcp_option_accecn0, &tcp_option_accecn1,
};

const size_t tcp_option_table_len =
	sizeof(tcp_option_table) / sizeof(tcp_option_table[0]);

const struct tcp_option_ops *tcp_option_ops_find(uint8_t kind)
{
	for (size_t i = 0; i < tcp_option_table_len; i++)
		if (tcp_option_table[i]->kind == kind)
			return tcp_option_table[i];
	return &tcp_option_unknown;
}

