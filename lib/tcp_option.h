/* tcp_option.h - TCP options: one descriptor per kind for its wire form, script spelling, text, comparison and script<->wire numbering. */
#ifndef TCPCONF_TCP_OPTION_H
#define TCPCONF_TCP_OPTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* TCP option kinds (RFC 9293 3.1, RFC 7323, RFC 2018, RFC 2385, RFC 7413,
 * RFC 6994, RFC 9768). */
enum {
	TCPOPT_EOL = 0, TCPOPT_NOP = 1, TCPOPT_MSS = 2, TCPOPT_WSCALE = 3,
	TCPOPT_SACK_PERM = 4, TCPOPT_SACK = 5, TCPOPT_TS = 8,
	TCPOPT_MD5 = 19, TCPOPT_FASTOPEN = 34,
	TCPOPT_ACCECN0 = 172, TCPOPT_ACCECN1 = 174,	/* RFC 9768 AccECN */
	TCPOPT_EXP = 254,		/* experimental, with a 16-bit ExID first */
};

#define TCP_OPTION_SPACE 40	/* data offset 15 words minus the 20-byte header */
#define TCP_MAX_OPTIONS	TCP_OPTION_SPACE	/* one byte at least each */
#define TCP_MAX_SACK	4

/* One TCP option, decoded; kinds without a structure keep their raw bytes. */
struct tcp_option {
	uint8_t kind;
	uint8_t len;			/* on-wire length; 1 for EOL and NOP */
	union {
		uint16_t mss;
		uint8_t wscale;
		struct { uint32_t val, ecr; } ts;
		struct {
			uint8_t count;
			struct { uint32_t left, right; } block[TCP_MAX_SACK];
		} sack;
		uint8_t raw[TCP_OPTION_SPACE - 2];	/* len - 2 bytes of body */
	} u;
};

/* Name of a kind in messages: packetdrill's spelling ("mss", "sackOK",
 * "TS", "FO"), "unknown" for kinds it has none for.  Static storage. */
const char *tcp_option_name(uint8_t kind);

/*
 * Parse the TCP option list at opts (len bytes, at most 40) into out[] (room
 * for TCP_MAX_OPTIONS); *count gets how many.  An EOL is kept as an option
 * and ends the list: the bytes after it are padding and are not looked at.
 * Malformed lists (length byte missing, 0 or 1, running past the end, wrong
 * fixed length for MSS/WS/TS/SACKOK, SACK length not 2+8n with n 1..4) are
 * rejected with STATUS_ERROR, *count 0 and a message naming the offset in
 * the list; nothing is read beyond opts+len.
 */
int tcp_options_parse(const uint8_t *opts, size_t len, struct tcp_option *out,
		      uint8_t *count, char **error);

/* Encode options into buf (size bytes); *len gets the encoded length, not
 * padded (packet_build_tcp pads the header to 4 bytes with EOL).  Lengths
 * of known kinds come from the kind (SACK: from u.sack.count); only kinds
 * kept raw use len (2..40) and u.raw. */
int tcp_options_build(const struct tcp_option *opts, uint8_t count,
		      uint8_t *buf, size_t size, size_t *len, char **error);

/* Format just the option list, "<mss 1460,sackOK,...>" (no output if none),
 * spelled as packetdrill spells them: mss, sackOK, TS val V ecr E, nop,
 * wscale, sack L:R L:R, eol, md5 HEX, FO HEX, FOEXP HEX.  Kinds packetdrill
 * has no name for come out as "kind K len L data HEX".  Returns the length
 * snprintf would have written; buf (size bytes, may be 0) always ends up
 * NUL-terminated. */
int tcp_options_format(const struct tcp_option *opts, uint8_t count,
		       char *buf, size_t size);

/*
 * Does the kernel's option (wire) match what the script wrote (script)?
 * Compared as each kind means it: a TS val runs on the kernel's clock, so
 * only its ecr is judged.  When not, *why gets a static reason ("options
 * differ", "TS ecr differs").
 */
bool tcp_option_match(const struct tcp_option *script,
		      const struct tcp_option *wire, const char **why);

/* Both lists, option by option, in order; a count mismatch is "option count
 * differs". */
bool tcp_options_match(const struct tcp_option *script, uint8_t nscript,
		       const struct tcp_option *wire, uint8_t nwire,
		       const char **why);

/*
 * How one connection's script numbers map to the wire's, for the options
 * that carry sequence numbers or timestamps.  The harness owns it and ctx.
 */
struct tcp_option_map {
	void *ctx;
	/* Added to SACK edges the harness sends: they acknowledge kernel data,
	 * which the script numbers from the kernel's ISN. */
	uint32_t sack_offset;
	/* The wire TS ecr for a script ecr (the kernel TS val it names). */
	uint32_t (*ts_ecr_to_wire)(void *ctx, uint32_t script_ecr);
	/* The kernel sent TS val wire_val where the script wrote script_val. */
	void (*ts_learn)(void *ctx, uint32_t script_val, uint32_t wire_val);
	/*
	 * A Fast Open cookie (FO, FOEXP) of len bytes, rewritten in place: to
	 * the wire's (to_wire) or to the script's.  A server's cookie hashes
	 * the addresses, which the wire and the script may see differently.
	 * NULL: cookies are left as they are.
	 */
	void (*cookie)(void *ctx, uint8_t *cookie, size_t len, bool to_wire);
};

/* Rewrite the options of a segment the harness sends from script numbers to
 * wire numbers, in place. */
void tcp_options_to_wire(struct tcp_option *opts, uint8_t count,
			 const struct tcp_option_map *map);

/* Rewrite the options of a segment the kernel sent from wire numbers to
 * script numbers, in place: SACK edges less sack_offset, cookies. */
void tcp_options_to_script(struct tcp_option *opts, uint8_t count,
			   const struct tcp_option_map *map);

/* After a match: hand the map what the kernel's options tell about its
 * numbering (TS vals), option by option. */
void tcp_options_learn(const struct tcp_option *script, uint8_t nscript,
		       const struct tcp_option *wire, uint8_t nwire,
		       const struct tcp_option_map *map);

/*
 * What an option's script parser asks of the script's lexer, so that the
 * spelling of each kind lives with the kind and the table stays free of the
 * lexer.  lib/script.c provides it; every int function returns 0, or -1 once
 * the lexer has recorded an error.
 */
struct tcp_option_reader {
	void *ctx;
	/* Is the current token word (any word when word is NULL)? */
	bool (*is_word)(void *ctx, const char *word);
	bool (*is_punct)(void *ctx, char c);
	bool (*is_number)(void *ctx);
	/* The current token's text (not NUL-terminated). */
	const char *(*token)(void *ctx, size_t *len);
	int (*advance)(void *ctx);			/* consume it */
	/* Consume a number 0..max, else "expected WHAT (0 to max)". */
	int (*number)(void *ctx, uint64_t max, const char *what, uint64_t *v);
	/* Record "expected WHAT, found <current token>"; returns -1. */
	int (*expected)(void *ctx, const char *what);
};

/* Read one option as a script spells it ("mss 1460", "TS val 1 ecr 0")
 * into *o, len included: 0, -1 after an error, 1 (nothing consumed) when
 * the current token names no option. */
int tcp_option_read(const struct tcp_option_reader *r, struct tcp_option *o);

/* "a TCP option (mss, wscale, ..., FOEXP)": what a script may write, for the
 * message when tcp_option_read returns 1; buf (size bytes) is the caller's. */
void tcp_option_spellings(char *buf, size_t size);

#endif
