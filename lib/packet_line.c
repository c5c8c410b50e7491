/*
 * packet_line.c - see packet_line.h.
 *
 * The option list is read through the option table (tcp_option.c), which
 * knows each kind's spelling; this file only hands it the lexer.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "packet.h"
#include "packet_line.h"

/* "expected TCP flags (F S R P . U E W A, or -), found 'SX'" */
static int bad_flags(struct parser *p, size_t start, size_t end, int column)
{
	char found[128], names[2 * sizeof(TCP_FLAG_CHARS)];

	for (size_t n = 0; n < sizeof(TCP_FLAG_CHARS) - 1; n++) {
		names[2 * n] = TCP_FLAG_CHARS[n];
		names[2 * n + 1] = ' ';
	}
	names[2 * (sizeof(TCP_FLAG_CHARS) - 1) - 1] = '\0';
	lexer_quote(p->text + start, end - start, found, sizeof(found));
	return lexer_fail_at(p, p->lx.line, column,
			     "expected TCP flags (%s, or -), found %s", names, found);
}

/*
 * The flag characters of s (n bytes) into *flags; false on a character
 * that is no flag.  A digit 0-7 is AccECN's ACE counter (bit 0 ECE, 1
 * CWR, 2 AE), as packetdrill reads "P5." or ".5"; it cannot go with E, W
 * or A, nor with another digit.
 */
static bool flag_chars(const char *s, size_t n, uint16_t *flags)
{
	bool ace = false, ecn = false;

	for (size_t k = 0; k < n; k++) {
		const char *c = memchr(TCP_FLAG_CHARS, s[k], sizeof(TCP_FLAG_CHARS) - 1);

		if (s[k] >= '0' && s[k] <= '7') {
			unsigned int v = (unsigned int)(s[k] - '0');

			if (ace || ecn)
				return false;
			ace = true;
			*flags |= (v & 1 ? TCPF_ECE : 0) | (v & 2 ? TCPF_CWR : 0) |
				  (v & 4 ? TCPF_AE : 0);
			continue;
		}
		if (!c)
			return false;
		if (strchr("EWA", s[k])) {
			if (ace)
				return false;
			ecn = true;
		}
		*flags |= (uint16_t)(1u << (c - TCP_FLAG_CHARS));
	}
	return true;
}

static int packet_flags(struct parser *p, struct packet_event *pk)
{
	size_t i, start;
	int column;

	/* the flags are read as raw characters: "S." is not a word and a dot */
	while (p->lx.pos < p->len &&
	       (p->text[p->lx.pos] == ' ' || p->text[p->lx.pos] == '\t'))
		p->lx.pos++;
	start = p->lx.pos;
	column = lexer_column(p, start);
	for (i = start; i < p->len && p->text[i] != ' ' && p->text[i] != '\t' &&
	     p->text[i] != '\r' && p->text[i] != '\n'; i++)
		;
	if (i == start) {
		return lexer_fail_at(p, p->lx.line, column,
			       "expected TCP flags, found %s",
			       start < p->len ? "end of line" : "end of file");
	}
	pk->flags = 0;
	if (!(i - start == 1 && p->text[start] == '-') &&
	    !flag_chars(p->text + start, i - start, &pk->flags))
		return bad_flags(p, start, i, column);
	p->lx.pos = i;
	p->lx.at_line_start = false;
	return lexer_advance(p);
}

static int option_add(struct parser *p, struct packet_event *pk,
		      const struct tcp_option *o, const struct token *at,
		      unsigned int *bytes)
{
	if (pk->noptions == TCP_MAX_OPTIONS || *bytes + o->len > TCP_OPTION_SPACE)
		return lexer_expected(p, at, "TCP options of at most 40 bytes");
	*bytes += o->len;
	pk->options[pk->noptions++] = *o;
	return 0;
}

/* ---- the lexer as the option table reads it ---- */

static bool reader_is_word(void *ctx, const char *word)
{
	struct parser *p = ctx;

	if (!word)
		return p->tok.type == T_WORD;
	return lexer_is_word(p, &p->tok, word);
}

static bool reader_is_punct(void *ctx, char c)
{
	struct parser *p = ctx;

	return lexer_is_punct(p, &p->tok, c);
}

static bool reader_is_number(void *ctx)
{
	struct parser *p = ctx;

	return p->tok.type == T_INT || p->tok.type == T_HEX;
}

static const char *reader_token(void *ctx, size_t *len)
{
	struct parser *p = ctx;

	*len = p->tok.len;
	return p->text + p->tok.start;
}

static int reader_advance(void *ctx)
{
	return lexer_advance(ctx);
}

static int reader_number(void *ctx, uint64_t max, const char *what, uint64_t *v)
{
	return lexer_uint(ctx, max, what, v);
}

static int reader_expected(void *ctx, const char *what)
{
	struct parser *p = ctx;

	return lexer_expected(p, &p->tok, what);
}

static int parse_tcp_option(struct parser *p, struct packet_event *pk,
			    unsigned int *bytes)
{
	const struct tcp_option_reader reader = {
		.ctx = p, .is_word = reader_is_word, .is_punct = reader_is_punct,
		.is_number = reader_is_number, .token = reader_token,
		.advance = reader_advance, .number = reader_number,
		.expected = reader_expected,
	};
	struct token at = p->tok;
	struct tcp_option o;
	char what[128];
	int rc = tcp_option_read(&reader, &o);

	if (rc < 0)
		return -1;
	if (rc > 0) {
		/* at the word itself (a copy of the token), even when it
		 * starts the next line */
		tcp_option_spellings(what, sizeof(what));
		return lexer_expected(p, &at, what);
	}
	return option_add(p, pk, &o, &at, bytes);
}

static int parse_tcp_options(struct parser *p, struct packet_event *pk)
{
	unsigned int bytes = 0;

	if (lexer_advance(p) < 0)
		return -1;
	if (p->tok.type == T_ELLIPSIS) {
		if (pk->direction == '<')
			return lexer_expected(p, &p->tok, "a TCP option list (an inbound "
					"packet's options are exact; <...> is for "
					"outbound packets)");
		pk->options_spec = OPTIONS_ANY;
		if (lexer_advance(p) < 0)
			return -1;
		if (!lexer_is_punct(p, &p->tok, '>'))
			return lexer_expected(p, &p->tok, "'>'");
		return lexer_advance(p);
	}
	pk->options_spec = OPTIONS_LIST;
	for (;;) {
		if (parse_tcp_option(p, pk, &bytes) < 0)
			return -1;
		if (lexer_is_punct(p, &p->tok, ',')) {
			if (lexer_advance(p) < 0)
				return -1;
			continue;
		}
		if (lexer_is_punct(p, &p->tok, '>'))
			return lexer_advance(p);
		return lexer_expected(p, &p->tok, "',' or '>'");
	}
}

/* "1:1(0)": len must be end - seq. */
static int parse_span(struct parser *p, struct packet_event *pk)
{
	uint64_t seq, end, len;
	struct token len_tok;

	if (lexer_uint(p, UINT32_MAX, "sequence number", &seq) < 0)
		return -1;
	if (!lexer_is_punct(p, &p->tok, ':'))
		return lexer_expected(p, &p->tok, "':'");
	if (lexer_advance(p) < 0 ||
	    lexer_uint(p, UINT32_MAX, "end sequence number", &end) < 0)
		return -1;
	if (!lexer_is_punct(p, &p->tok, '('))
		return lexer_expected(p, &p->tok, "'('");
	if (lexer_advance(p) < 0)
		return -1;
	len_tok = p->tok;
	if (lexer_uint(p, UINT16_MAX, "payload length", &len) < 0)
		return -1;
	if (end < seq || end - seq != len) {
		char what[80];

		if (end < seq)
			snprintf(what, sizeof(what), "payload length (end %" PRIu64
				 " is below seq %" PRIu64 ")", end, seq);
		else
			snprintf(what, sizeof(what), "payload length %" PRIu64
				 " (end - seq)", end - seq);
		return lexer_expected(p, &len_tok, what);
	}
	if (!lexer_is_punct(p, &p->tok, ')'))
		return lexer_expected(p, &p->tok, "')'");
	pk->seq = (uint32_t)seq;
	pk->end = (uint32_t)end;
	pk->len = (uint32_t)len;
	return lexer_advance(p);
}

/* The next word in the raw text, without lexing (flags are no tokens):
 * is it word, followed by a blank or the end of the line? */
static bool raw_word_ahead(const struct parser *p, const char *word)
{
	size_t i = p->lx.pos, n = strlen(word);

	while (i < p->len && (p->text[i] == ' ' || p->text[i] == '\t'))
		i++;
	return p->len - i >= n && !memcmp(p->text + i, word, n) &&
	       (i + n == p->len || strchr(" \t\r\n", p->text[i + n]));
}

/* Leave the lexer right after the current token, so that the next token is
 * read raw (the TCP flags) or lexed from there. */
static void stop_after_token(struct parser *p)
{
	p->lx.pos = p->tok.start + p->tok.len;
	p->lx.at_line_start = false;
}

/* "[ect0]" or "(ect0)" between the direction and the flags. */
static int parse_ecn_mark(struct parser *p, struct packet_event *pk)
{
	static const char what[] = "an ECN mark (noecn, ect0, ect1, ce, ect01)";
	size_t i = p->lx.pos;
	char close;

	while (i < p->len && (p->text[i] == ' ' || p->text[i] == '\t'))
		i++;
	if (i == p->len || (p->text[i] != '[' && p->text[i] != '('))
		return 0;
	close = p->text[i] == '[' ? ']' : ')';
	if (lexer_advance(p) < 0 || lexer_advance(p) < 0)
		return -1;
	for (int m = PACKET_ECN_NOT_ECT; m <= PACKET_ECN_ECT01; m++)
		if (lexer_is_word(p, &p->tok, packet_ecn_name(m)))
			pk->ecn = m;
	if (pk->ecn == PACKET_ECN_UNSPEC)
		return lexer_expected(p, &p->tok, what);
	if (pk->ecn == PACKET_ECN_ECT01 && pk->direction == '<')
		return lexer_expected(p, &p->tok, "an ECN mark an inbound packet "
				      "can carry (noecn, ect0, ect1, ce; ect01 "
				      "is for outbound packets)");
	if (lexer_advance(p) < 0)
		return -1;
	if (!lexer_is_punct(p, &p->tok, close))
		return lexer_expected(p, &p->tok, close == ']' ? "']'" : "')'");
	stop_after_token(p);
	return 0;
}

/* An ICMP type or code: one word, kept as text (icmp.h says why). */
static int icmp_name(struct parser *p, char *out, const char *what)
{
	if (p->tok.type != T_WORD || p->tok.len >= ICMP_NAME_MAX)
		return lexer_expected(p, &p->tok, what);
	memcpy(out, p->text + p->tok.start, p->tok.len);
	out[p->tok.len] = '\0';
	return lexer_advance(p);
}

/* "icmp TYPE [CODE] [mtu N] [id N] [[seq:end(len)]]", the current token
 * being "icmp"; inbound only. */
static int parse_icmp(struct parser *p, struct packet_event *pk)
{
	struct icmp_spec *ic = &pk->icmp;
	uint64_t v;

	if (pk->direction == '>')
		return lexer_expected(p, &p->tok, "TCP flags (an outbound ICMP "
				      "line is not supported)");
	ic->present = true;
	ic->mtu = -1;
	if (lexer_advance(p) < 0 ||
	    icmp_name(p, ic->type, "an ICMP type (unreachable, packet_too_big, "
		      "time_exceeded, ... or type_N)") < 0)
		return -1;
	if (lexer_same_line(p) && p->tok.type == T_WORD &&
	    !lexer_is_word(p, &p->tok, "mtu") && !lexer_is_word(p, &p->tok, "id") &&
	    icmp_name(p, ic->code, "an ICMP code") < 0)
		return -1;
	if (lexer_same_line(p) && lexer_is_word(p, &p->tok, "mtu")) {
		if (lexer_advance(p) < 0 || lexer_uint(p, UINT32_MAX, "MTU", &v) < 0)
			return -1;
		ic->mtu = (int64_t)v;
	}
	if (lexer_same_line(p) && lexer_is_word(p, &p->tok, "id")) {
		if (lexer_advance(p) < 0 || lexer_uint(p, UINT16_MAX, "echo id", &v) < 0)
			return -1;
		ic->echo_id = (uint16_t)v;
	}
	if (lexer_same_line(p) && lexer_is_punct(p, &p->tok, '[')) {
		if (lexer_advance(p) < 0)
			return -1;
		if (p->tok.type != T_INT)
			return lexer_expected(p, &p->tok, "the echoed TCP segment "
					      "(seq:end(len))");
		if (parse_span(p, pk) < 0)
			return -1;
		if (!lexer_is_punct(p, &p->tok, ']'))
			return lexer_expected(p, &p->tok, "']'");
		if (lexer_advance(p) < 0)
			return -1;
	}
	if (lexer_same_line(p))
		return lexer_expected(p, &p->tok, "'mtu', 'id', '[' or end of line");
	return 0;
}

/* "< S. 1:1(0) ack 1 win 257 <mss 1460,nop>" */
int packet_line_parse(struct parser *p, struct event *ev)
{
	struct packet_event *pk = &ev->u.packet;
	enum { AFTER_SEQ, AFTER_ACK, AFTER_WIN, AFTER_URG, AFTER_OPTIONS } stage;
	static const char *const allowed[] = {
		"'ack', 'win', 'urg', '<' or end of line",
		"'win', 'urg', '<' or end of line",
		"'urg', '<' or end of line",
		"'<' or end of line",
		"end of line",
	};

	ev->type = EVENT_PACKET;
	pk->direction = p->text[p->tok.start];
	pk->options_spec = OPTIONS_NONE;
	pk->ecn = PACKET_ECN_UNSPEC;
	/* continue right after the direction character */
	p->lx.pos = p->tok.start + 1;
	p->lx.line = p->tok.line;
	p->lx.line_start = p->tok.start - (p->tok.column - 1);
	if (parse_ecn_mark(p, pk) < 0)
		return -1;
	if (raw_word_ahead(p, "icmp"))
		return lexer_advance(p) < 0 ? -1 : parse_icmp(p, pk);
	if (packet_flags(p, pk) < 0 || parse_span(p, pk) < 0)
		return -1;

	for (stage = AFTER_SEQ; lexer_same_line(p);) {
		uint64_t v;

		if (stage == AFTER_SEQ && lexer_is_word(p, &p->tok, "ack")) {
			if (lexer_advance(p) < 0 ||
			    lexer_uint(p, UINT32_MAX, "ack number", &v) < 0)
				return -1;
			pk->has_ack = true;
			pk->ack = (uint32_t)v;
			stage = AFTER_ACK;
		} else if (stage <= AFTER_ACK && lexer_is_word(p, &p->tok, "win")) {
			if (lexer_advance(p) < 0 ||
			    lexer_uint(p, UINT16_MAX, "window", &v) < 0)
				return -1;
			pk->has_win = true;
			pk->win = (uint32_t)v;
			stage = AFTER_WIN;
		} else if (stage <= AFTER_WIN && lexer_is_word(p, &p->tok, "urg")) {
			if (lexer_advance(p) < 0 ||
			    lexer_uint(p, UINT16_MAX, "urgent pointer", &v) < 0)
				return -1;
			pk->urg = (uint16_t)v;
			stage = AFTER_URG;
		} else if (stage <= AFTER_URG && lexer_is_punct(p, &p->tok, '<')) {
			if (parse_tcp_options(p, pk) < 0)
				return -1;
			stage = AFTER_OPTIONS;
		} else {
			return lexer_expected(p, &p->tok, allowed[stage]);
		}
	}
	return 0;
}
