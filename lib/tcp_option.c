/*
 * tcp_option.c - see tcp_option.h.
 *
 * Option lists: the code here walks them and leaves everything that
 * varies by kind to the kind's descriptor (tcp_option_kinds.c); it never
 * switches on a kind.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "tcp_option_ops.h"

const char *tcp_option_name(uint8_t kind)
{
	return tcp_option_ops_find(kind)->name;
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
	const struct tcp_option_ops *ops = tcp_option_ops_find(o->kind);
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
		if (tcp_option_ops_find(o->kind)->len == 1) {
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
		const struct tcp_option_ops *ops = tcp_option_ops_find(o->kind);
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
		tcp_option_ops_find(opts[i].kind)->format(&t, &opts[i]);
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
	       tcp_option_ops_find(script->kind)->match(script, wire, why);
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
		const struct tcp_option_ops *ops = tcp_option_ops_find(opts[i].kind);

		if (ops->to_wire)
			ops->to_wire(&opts[i], map);
	}
}

void tcp_options_to_script(struct tcp_option *opts, uint8_t count,
			   const struct tcp_option_map *map)
{
	for (uint8_t i = 0; i < count; i++) {
		const struct tcp_option_ops *ops = tcp_option_ops_find(opts[i].kind);

		if (ops && ops->to_script)
			ops->to_script(&opts[i], map);
	}
}

void tcp_options_learn(const struct tcp_option *script, uint8_t nscript,
		       const struct tcp_option *wire, uint8_t nwire,
		       const struct tcp_option_map *map)
{
	for (uint8_t i = 0; i < nscript && i < nwire; i++) {
		const struct tcp_option_ops *ops = tcp_option_ops_find(script[i].kind);

		if (ops->learn && wire[i].kind == script[i].kind)
			ops->learn(&script[i], &wire[i], map);
	}
}

/* ---- script spelling ---- */

int tcp_option_read(const struct tcp_option_reader *r, struct tcp_option *o)
{
	memset(o, 0, sizeof(*o));
	/* The named kinds, then the spelling of all the others. */
	for (size_t i = 0; i <= tcp_option_table_len; i++) {
		const struct tcp_option_ops *ops = i < tcp_option_table_len ?
			tcp_option_table[i] : &tcp_option_unknown;

		if (!ops->parse ||
		    !r->is_word(r->ctx, ops->word ? ops->word : ops->name))
			continue;
		o->kind = ops->kind;
		o->len = ops->len;
		if (r->advance(r->ctx) < 0)
			return -1;
		return ops->parse(r, o);
	}
	return 1;
}

/* The named kinds only: a spelling of tcp_option_unknown is for the kinds
 * that have none. */
void tcp_option_spellings(char *buf, size_t size)
{
	struct text t;

	text_init(&t, buf, size);
	for (size_t i = 0; i < tcp_option_table_len; i++)
		if (tcp_option_table[i]->parse)
			text_add(&t, "%s%s", t.pos ? ", " : "a TCP option (",
				 tcp_option_table[i]->word ?
				 tcp_option_table[i]->word : tcp_option_table[i]->name);
	text_add(&t, ")");
}
