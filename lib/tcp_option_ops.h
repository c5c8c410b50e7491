/* tcp_option_ops.h - what one TCP option kind knows (its descriptor), and the table of them, shared by tcp_option.c (lists) and tcp_option_kinds.c (kinds). */
#ifndef TCPCONF_TCP_OPTION_OPS_H
#define TCPCONF_TCP_OPTION_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcp_option.h"
#include "text.h"

/* Required: name, format and match, and build_len when len is 0; the
 * other hooks may be NULL (nothing to decode, encode, parse or map). */
struct tcp_option_ops {
	uint8_t kind;
	const char *name;		/* in messages; in scripts, when parse is set */
	const char *word;		/* in scripts instead of name, when set */
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
	void (*to_script)(struct tcp_option *o, const struct tcp_option_map *map);
	void (*learn)(const struct tcp_option *script, const struct tcp_option *wire,
		      const struct tcp_option_map *map);
};

/* The kinds with a descriptor, in the order a script's "expected a TCP
 * option (...)" lists their names; static storage. */
extern const struct tcp_option_ops *const tcp_option_table[];
extern const size_t tcp_option_table_len;

/* Every other kind: raw bytes, spelled "kind K len L data HEX". */
extern const struct tcp_option_ops tcp_option_unknown;

/* The descriptor of kind: its own, else tcp_option_unknown. */
const struct tcp_option_ops *tcp_option_ops_find(uint8_t kind);

#endif
