/*
 * tcp_option.c - see tcp_option.h.
 *
 * Everything that varies by option kind sits in one descriptor per kind
 * (struct tcp_option_ops, as libnftnl has one ops table per expression);
 * the list-level code below them never switches on a kind.  A kind with no
 * descriptor of its own is kept, sent, printed and compared as raw bytes.
 * To add an option: write its descriptor, list it in tcp_option_table[],
 * and test it in tests/check_tcp_option.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "error.h"
#include "tcp_option.h"
#include "text.h"

enum {
	TCPOPT_FO_MAGIC	= 0xf989,	/* RFC 7413's ExID for fast open on kind 254 */
};

struct tcp_option_ops {
	uint8_t kind;
	const char *name;		/* in messages; in scripts, when parse is set */
	uint8_t len;			/* fixed on-wire length, 0 when it varies */
	/* Variable lengths (2..40 already checked): the kind's own rule,
	 * worded for "length L, <rule>"; NULL accepts any. */
	bool (*len_ok)(uint8_t len);
	const char *len_rule;
	/* Wire length the struct implies, for building (variable kinds);
	 * index names the option in the message. */
	int (*build_len)(const struct tcp_option *o, unsigned int index,
			 size_t *len, char **error);
	void (*decode)(struct tcp_option *o, const uint8_t *body);	/* o->len set */
	void (*encode)(const struct tcp_option *o, uint8_t *body);
	void (*format)(struct text *t, const struct tcp_option *o);
	bool (*match)(const struct tcp_option *script,
		      const struct tcp_option *wire, const char **why);
	/* After the name: the rest of the script spelling.  NULL: the kind
	 * cannot be written in a script. */
	int (*parse)(const struct tcp_option_reader *r, struct tcp_option *o);
	void (*to_wire)(struct tcp_option *o, const struct tcp_option_map *map);
	void (*learn)(const struct tcp_option *script, const struct tcp_option *wire,
		      const struct tcp_option_map *map);
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
	return script->len == wire->len;
}

static int parse_nothing(const struct tcp_option_reader *r, struct tcp_option *o)
{
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

/* packetdrill has no spelling for these. */
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

#define RAW_OPS								\
	.build_len = raw_build_len, .decode = raw_decode,		\
	.encode = raw_encode, .match = raw_match

static const struct tcp_option_ops tcp_option_md5 = {
	.kind = TCPOPT_MD5, .name = "md5", RAW_OPS, .format = raw_format_named,
};

static const struct tcp_option_ops tcp_option_fastopen = {
	.kind = TCPOPT_FASTOPEN, .name = "FO", RAW_OPS, .format = raw_format_named,
};

/* Messages call kind 254 "unknown", as any kind packetdrill cannot name. */
static const struct tcp_option_ops tcp_option_exp = {
	.kind = TCPOPT_EXP, .name = "unknown", RAW_OPS, .format = exp_format,
};

/* Any kind not in the table; .kind is not looked at. */
static const struct tcp_option_ops tcp_option_unknown = {
	.name = "unknown", RAW_OPS, .format = raw_format,
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

static const struct tcp_option_ops tcp_option_sack = {
	.kind = TCPOPT_SACK, .name = "sack", .len_ok = sack_len_ok,
	.len_rule = "must be 2 + 8 * blocks with 1 to 4 blocks",
	.build_len = sack_build_len, .decode = sack_decode,
	.encode = sack_encode, .format = sack_format, .match = sack_match,
	.parse = sack_parse, .to_wire = sack_to_wire,
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
static const struct tcp_option_ops *const tcp_option_table[] = {
	&tcp_option_mss, &tcp_option_wscale, &tcp_option_sack_perm,
	&tcp_option_sack, &tcp_option_ts, &tcp_option_nop, &tcp_option_eol,
	&tcp_option_md5, &tcp_option_fastopen, &tcp_option_exp,
};

#define TABLE_SIZE (sizeof(tcp_option_table) / sizeof(tcp_option_table[0]))

static const struct tcp_option_ops *ops_of(uint8_t kind)
{
	for (size_t i = 0; i < TABLE_SIZE; i++)
		if (tcp_option_table[i]->kind == kind)
			return tcp_option_table[i];
	return &tcp_option_unknown;
}

const char *tcp_option_name(uint8_t kind)
{
	return ops_of(kind)->name;
}

/* ---- wire ---- */

static int option_error(char **error, size_t off, uint8_t kind,
			const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int option_error(char **error, size_t off, uint8_t kind,
			const char *fmt, ...)
{
	char what[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return error_set(error, "TCP option at offset %zu (kind %u, %s): %s",
			 off, kind, tcp_option_name(kind), what);
}

/* One option of two bytes or more at opts + off, its length byte within
 * the list; o->kind is set. */
static int option_decode(const uint8_t *opts, size_t off, size_t len,
			 struct tcp_option *o, char **error)
{
	const struct tcp_option_ops *ops = ops_of(o->kind);
	uint8_t olen;

	if (len - off < 2)
		return option_error(error, off, o->kind,
			"the length byte is past the end of the %zu-byte list", len);
	olen = opts[off + 1];
	if (olen < 2)
		return option_error(error, off, o->kind,
				    "length %u is less than 2", olen);
	if (olen > len - off)
		return option_error(error, off, o->kind,
			"length %u runs past the end of the %zu-byte list", olen, len);
	if (ops->len && olen != ops->len)
		return option_error(error, off, o->kind, "length %u, must be %u",
				    olen, ops->len);
	if (ops->len_ok && !ops->len_ok(olen))
		return option_error(error, off, o->kind, "length %u, %s", olen,
				    ops->len_rule);
	o->len = olen;
	if (ops->decode)
		ops->decode(o, opts + off + 2);
	return STATUS_OK;
}

int tcp_options_parse(const uint8_t *opts, size_t len, struct tcp_option *out,
		      uint8_t *count, char **error)
{
	size_t off = 0;
	uint8_t n = 0;

	*count = 0;
	if (len > TCP_OPTION_SPACE)
		return error_set(error,
				 "TCP option list of %zu bytes is longer than the %d a header can carry",
				 len, TCP_OPTION_SPACE);
	while (off < len) {
		struct tcp_option *o = &out[n];

		/* Cannot trigger while len <= 40, but keeps out[] safe if
		 * the limits above ever change. */
		if (n >= TCP_MAX_OPTIONS)
			return error_set(error, "more than %d TCP options",
					 TCP_MAX_OPTIONS);
		memset(o, 0, sizeof(*o));
		o->kind = opts[off];
		if (ops_of(o->kind)->len == 1) {
			o->len = 1;
			n++;
			off++;
			if (o->kind == TCPOPT_EOL)
				break;	/* the rest is padding (RFC 9293 3.2) */
			continue;
		}
		if (option_decode(opts, off, len, o, error))
			return STATUS_ERROR;
		n++;
		off += o->len;
	}
	*count = n;
	return STATUS_OK;
}

int tcp_options_build(const struct tcp_option *opts, uint8_t count,
		      uint8_t *buf, size_t size, size_t *len, char **error)
{
	size_t off = 0;

	*len = 0;
	for (uint8_t i = 0; i < count; i++) {
		const struct tcp_option *o = &opts[i];
		const struct tcp_option_ops *ops = ops_of(o->kind);
		size_t olen = ops->len;
		uint8_t *p = buf + off;

		if (!olen && ops->build_len(o, i, &olen, error))
			return STATUS_ERROR;
		if (olen > size - off)
			return error_set(error,
					 "TCP option %u (%s) needs %zu bytes but only %zu of %zu are left",
					 i, ops->name, olen, size - off, size);
		p[0] = o->kind;
		if (olen > 1)
			p[1] = (uint8_t)olen;
		if (ops->encode)
			ops->encode(o, p + 2);
		off += olen;
	}
	*len = off;
	return STATUS_OK;
}

/* ---- text ---- */

int tcp_options_format(const struct tcp_option *opts, uint8_t count,
		       char *buf, size_t size)
{
	struct text t;

	text_init(&t, buf, size);
	if (!count)
		return 0;
	if (count > TCP_MAX_OPTIONS)
		count = TCP_MAX_OPTIONS;
	text_add(&t, "<");
	for (uint8_t i = 0; i < count; i++) {
		if (i)
			text_add(&t, ",");
		ops_of(opts[i].kind)->format(&t, &opts[i]);
	}
	text_add(&t, ">");
	return (int)t.pos;
}

/* ---- judging and numbering ---- */

bool tcp_option_match(const struct tcp_option *script,
		      const struct tcp_option *wire, const char **why)
{
	*why = "options differ";
	return script->kind == wire->kind &&
	       ops_of(script->kind)->match(script, wire, why);
}

bool tcp_options_match(const struct tcp_option *script, uint8_t nscript,
		       const struct tcp_option *wire, uint8_t nwire,
		       const char **why)
{
	if (nscript != nwire) {
		*why = "option count differs";
		return false;
	}
	for (uint8_t i = 0; i < nscript; i++)
		if (!tcp_option_match(&script[i], &wire[i], why))
			return false;
	return true;
}

void tcp_options_to_wire(struct tcp_option *opts, uint8_t count,
			 const struct tcp_option_map *map)
{
	for (uint8_t i = 0; i < count; i++) {
		const struct tcp_option_ops *ops = ops_of(opts[i].kind);

		if (ops->to_wire)
			ops->to_wire(&opts[i], map);
	}
}

void tcp_options_learn(const struct tcp_option *script, uint8_t nscript,
		       const struct tcp_option *wire, uint8_t nwire,
		       const struct tcp_option_map *map)
{
	for (uint8_t i = 0; i < nscript && i < nwire; i++) {
		const struct tcp_option_ops *ops = ops_of(script[i].kind);

		if (ops->learn && wire[i].kind == script[i].kind)
			ops->learn(&script[i], &wire[i], map);
	}
}

/* ---- script spelling ---- */

int tcp_option_read(const struct tcp_option_reader *r, struct tcp_option *o)
{
	memset(o, 0, sizeof(*o));
	for (size_t i = 0; i < TABLE_SIZE; i++) {
		const struct tcp_option_ops *ops = tcp_option_table[i];

		if (!ops->parse || !r->is_word(r->ctx, ops->name))
			continue;
		o->kind = ops->kind;
		o->len = ops->len;
		if (r->advance(r->ctx) < 0)
			return -1;
		return ops->parse(r, o);
	}
	return 1;
}

void tcp_option_spellings(char *buf, size_t size)
{
	struct text t;

	text_init(&t, buf, size);
	for (size_t i = 0; i < TABLE_SIZE; i++)
		if (tcp_option_table[i]->parse)
			text_add(&t, "%s%s", t.pos ? ", " : "a TCP option (",
				 tcp_option_table[i]->name);
	text_add(&t, ")");
}
