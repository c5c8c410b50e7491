/*
 * script.c - see script.h.
 *
 * A hand-written lexer and recursive-descent parser for the packetdrill
 * dialect.  The lexer works on demand from a position in the text, so the
 * parser can look one token further (peek) or re-read the text in another
 * mode (TCP flags, the free-text note after an errno) by moving that
 * position.  The text is never assumed to be NUL-terminated.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "script.h"
#include "symbol.h"

#define SCRIPT_MAX_BYTES	(1 << 20)	/* larger inputs are refused */
#define MAX_EVENTS		65536		/* an event is ~2 KB: bounds memory */
#define MAX_DEPTH		32		/* nested lists and structs */
#define MAX_TIME_SECS		1000000		/* keeps sums of times far from overflow */
#define FOUND_MAX		40		/* token text quoted in messages */

struct script {
	char *name;
	struct event *events;
	size_t nevents, events_cap;
	struct script_option *options;
	size_t noptions, options_cap;
};

/* ---- lexer ---- */

enum tok_type {
	T_EOF,
	T_INT,			/* 123 */
	T_HEX,			/* 0x1f */
	T_DECIMAL,		/* 0.100, .1 (times only) */
	T_WORD,			/* close, SO_LINGER, ack */
	T_STRING,		/* "text", span includes the quotes */
	T_COMMAND,		/* `text`, span includes the backticks */
	T_CODE,			/* %{ text }%, span includes the markers */
	T_OPTION,		/* --name or --name=value */
	T_ELLIPSIS,		/* ... */
	T_PUNCT,		/* any other single byte */
};

struct token {
	enum tok_type type;
	size_t start, len;
	int line, column;
	bool newline_before;	/* first token of its line */
};

/* Where the lexer stands; saved and restored to peek or re-read. */
struct lexpos {
	size_t pos;
	int line;
	size_t line_start;
	bool at_line_start;
};

struct parser {
	const char *name;
	const char *text;
	size_t len;
	struct lexpos lx;
	struct token tok;	/* the current token, not yet consumed */
	char **error;
	bool failed;
	struct script *s;
};

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_xdigit(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident(int c)
{
	return is_alpha(c) || is_digit(c);
}

static int ch(const struct parser *p, size_t at)
{
	return at < p->len ? (unsigned char)p->text[at] : -1;
}

/* Quote a piece of text for a message: printable, short, one line. */
static void describe_text(const char *text, size_t len, char *buf, size_t size)
{
	size_t o = 0;

	buf[o++] = '\'';
	for (size_t i = 0; i < len && o + 8 < size; i++) {
		unsigned char c = text[i];

		if (c == '\n' || i >= FOUND_MAX) {
			o += snprintf(buf + o, size - o, "...");
			break;
		}
		if (c >= 0x20 && c < 0x7f)
			buf[o++] = c;
		else
			o += snprintf(buf + o, size - o, "\\x%02x", c);
	}
	if (o + 2 > size)
		o = size - 2;
	buf[o++] = '\'';
	buf[o] = '\0';
}

static void describe(const struct parser *p, const struct token *t, char *buf,
		     size_t size)
{
	if (t->type == T_EOF)
		snprintf(buf, size, "end of file");
	else
		describe_text(p->text + t->start, t->len, buf, size);
}

/* Record the first error only: "name:line:column: message". */
static int fail_at(struct parser *p, int line, int column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail_at(struct parser *p, int line, int column, const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;

	if (p->failed)
		return -1;
	p->failed = true;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	error_set(p->error, "%s:%d:%d: %s", p->name, line, column,
		  msg ? msg : "out of memory");
	free(msg);
	return -1;
}

/* "expected WHAT, found <token t>" at t, for what begins a line. */
static int expected_at(struct parser *p, const struct token *t, const char *what)
{
	char found[128];

	describe(p, t, found, sizeof(found));
	return fail_at(p, t->line, t->column, "expected %s, found %s", what, found);
}

/* "expected WHAT, found <token t>" at t, for what continues a line. */
static int expected(struct parser *p, const struct token *t, const char *what)
{
	char found[128];

	/* A line ends an event: what is missing is missing on the line before
	 * the next token, so say so there, not at the next line's start. */
	if (t == &p->tok && (t->newline_before || t->type == T_EOF)) {
		size_t at = t->start, bol;
		int line = t->line;

		/* back over blanks and newlines to the end of the text before */
		while (at > 0 && strchr(" \t\r\f\v\n", p->text[at - 1])) {
			if (p->text[--at] == '\n')
				line--;
		}
		if (line < t->line && at > 0) {
			bol = at;
			while (bol > 0 && p->text[bol - 1] != '\n')
				bol--;
			/* a trailing // comment is not part of the event */
			for (size_t i = bol; i + 1 < at; i++)
				if (p->text[i] == '/' && p->text[i + 1] == '/') {
					at = i;
					while (at > bol && strchr(" \t", p->text[at - 1]))
						at--;
					break;
				}
			return fail_at(p, line, (int)(at - bol) + 1,
				       "expected %s, found end of line", what);
		}
	}
	describe(p, t, found, sizeof(found));
	return fail_at(p, t->line, t->column, "expected %s, found %s", what, found);
}

static int oom(struct parser *p)
{
	if (p->failed)
		return -1;
	p->failed = true;
	error_set(p->error, "%s: out of memory", p->name);
	return -1;
}

static int column_of(const struct parser *p, size_t at)
{
	return (int)(at - p->lx.line_start) + 1;
}

static void newline(struct parser *p, size_t after)
{
	p->lx.line++;
	p->lx.line_start = after;
}

/*
 * Skip blanks and comments.  Returns -1 on an unterminated comment.
 */
static int skip_space(struct parser *p)
{
	for (;;) {
		int c = ch(p, p->lx.pos);

		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			p->lx.pos++;
		} else if (c == '\n') {
			p->lx.pos++;
			newline(p, p->lx.pos);
			p->lx.at_line_start = true;
		} else if (c == '/' && ch(p, p->lx.pos + 1) == '/') {
			while (p->lx.pos < p->len && p->text[p->lx.pos] != '\n')
				p->lx.pos++;
		} else if (c == '/' && ch(p, p->lx.pos + 1) == '*') {
			int line = p->lx.line, column = column_of(p, p->lx.pos);
			size_t i = p->lx.pos + 2;

			for (;; i++) {
				if (i + 1 >= p->len)
					return fail_at(p, line, column,
						       "expected '*/' closing this comment, "
						       "found end of file");
				if (p->text[i] == '*' && p->text[i + 1] == '/')
					break;
				if (p->text[i] == '\n') {
					newline(p, i + 1);
					p->lx.at_line_start = true;
				}
			}
			p->lx.pos = i + 2;
		} else {
			return 0;
		}
	}
}

/* Scan a delimited token (string, command) whose opener is at pos. */
static int scan_delimited(struct parser *p, struct token *t, char close,
			  const char *what)
{
	size_t i = p->lx.pos + 1;

	for (;;) {
		if (i >= p->len)
			return fail_at(p, t->line, t->column,
				       "expected '%c' closing this %s, found end of file",
				       close, what);
		if (p->text[i] == close)
			break;
		if (p->text[i] == '\\' && i + 1 < p->len) {
			if (p->text[i + 1] == '\n')
				newline(p, i + 2);
			i += 2;
			continue;
		}
		if (p->text[i] == '\n')
			newline(p, i + 1);
		i++;
	}
	p->lx.pos = i + 1;
	return 0;
}

/* Lex the token at the lexer position into *t. */
static int lex(struct parser *p, struct token *t)
{
	size_t start;
	int c;

	if (skip_space(p) < 0)
		return -1;
	start = p->lx.pos;
	memset(t, 0, sizeof(*t));
	t->start = start;
	t->line = p->lx.line;
	t->column = column_of(p, start);
	t->newline_before = p->lx.at_line_start;
	p->lx.at_line_start = false;
	c = ch(p, start);

	if (c < 0) {
		t->type = T_EOF;
	} else if (is_digit(c) || (c == '.' && is_digit(ch(p, start + 1)))) {
		size_t i = start;

		if (c == '0' && (ch(p, i + 1) == 'x' || ch(p, i + 1) == 'X') &&
		    is_xdigit(ch(p, i + 2))) {
			t->type = T_HEX;
			i += 2;
			while (is_xdigit(ch(p, i)))
				i++;
		} else {
			t->type = T_INT;
			while (is_digit(ch(p, i)))
				i++;
			if (ch(p, i) == '.' && is_digit(ch(p, i + 1))) {
				t->type = T_DECIMAL;
				i++;
				while (is_digit(ch(p, i)))
					i++;
			}
		}
		if (is_ident(ch(p, i))) {
			/* "10abc" is one word, as packetdrill's lexer sees it */
			t->type = T_WORD;
			while (is_ident(ch(p, i)) || ch(p, i) == '.')
				i++;
		}
		p->lx.pos = i;
	} else if (c == '.' && ch(p, start + 1) == '.' && ch(p, start + 2) == '.') {
		t->type = T_ELLIPSIS;
		p->lx.pos = start + 3;
	} else if (is_alpha(c)) {
		size_t i = start;

		while (is_ident(ch(p, i)))
			i++;
		t->type = T_WORD;
		p->lx.pos = i;
	} else if (c == '"') {
		t->type = T_STRING;
		if (scan_delimited(p, t, '"', "string") < 0)
			return -1;
	} else if (c == '`') {
		t->type = T_COMMAND;
		if (scan_delimited(p, t, '`', "command") < 0)
			return -1;
	} else if (c == '%' && ch(p, start + 1) == '{') {
		size_t i = start + 2;

		for (;; i++) {
			if (i + 1 >= p->len)
				return fail_at(p, t->line, t->column,
					       "expected '}%%' closing this code block, "
					       "found end of file");
			if (p->text[i] == '}' && p->text[i + 1] == '%')
				break;
			if (p->text[i] == '\n')
				newline(p, i + 1);
		}
		t->type = T_CODE;
		p->lx.pos = i + 2;
	} else if (c == '-' && ch(p, start + 1) == '-' && is_ident(ch(p, start + 2))) {
		size_t i = start + 2;

		while (is_ident(ch(p, i)) || ch(p, i) == '-')
			i++;
		if (ch(p, i) == '=') {
			i++;
			if (ch(p, i) == '"') {
				i++;
				while (i < p->len && p->text[i] != '"' && p->text[i] != '\n')
					i++;
				if (ch(p, i) != '"')
					return fail_at(p, t->line, column_of(p, i),
						       "expected '\"' closing the option value, "
						       "found %s", i < p->len ? "end of line" :
						       "end of file");
				i++;
			} else {
				while (i < p->len && p->text[i] != ' ' && p->text[i] != '\t' &&
				       p->text[i] != '\r' && p->text[i] != '\n')
					i++;
			}
		}
		t->type = T_OPTION;
		p->lx.pos = i;
	} else {
		t->type = T_PUNCT;
		p->lx.pos = start + 1;
	}
	t->len = p->lx.pos - start;
	return 0;
}

static int advance(struct parser *p)
{
	return lex(p, &p->tok);
}

/* The token after the current one, without consuming anything. */
static int peek(struct parser *p, struct token *t)
{
	struct lexpos saved = p->lx;
	int rc = lex(p, t);

	p->lx = saved;
	return rc;
}

/* Move the lexer back to the start of the current token. */
static void rewind_to_tok(struct parser *p)
{
	p->lx.pos = p->tok.start;
	p->lx.line = p->tok.line;
	p->lx.line_start = p->tok.start - (p->tok.column - 1);
	p->lx.at_line_start = p->tok.newline_before;
}

static bool is_punct(const struct parser *p, const struct token *t, char c)
{
	return t->type == T_PUNCT && p->text[t->start] == c;
}

static bool is_word(const struct parser *p, const struct token *t, const char *w)
{
	size_t n = strlen(w);

	return t->type == T_WORD && t->len == n && !memcmp(p->text + t->start, w, n);
}

/* Something more belongs to the current line (not end of line or file). */
static bool same_line(const struct parser *p)
{
	return p->tok.type != T_EOF && !p->tok.newline_before;
}

static char *tok_strdup(const struct parser *p, const struct token *t)
{
	return strndup(p->text + t->start, t->len);
}

/* ---- numbers ---- */

/* Value of a T_INT or T_HEX token; false when it does not fit 64 bits. */
static bool tok_u64(const struct parser *p, const struct token *t, uint64_t *v)
{
	const char *s = p->text + t->start;
	unsigned int base = t->type == T_HEX ? 16 : 10;
	size_t i = t->type == T_HEX ? 2 : 0;
	uint64_t n = 0;

	for (; i < t->len; i++) {
		int c = s[i];
		unsigned int d = is_digit(c) ? (unsigned int)(c - '0') :
				 (unsigned int)((c | 0x20) - 'a' + 10);

		if (n > (UINT64_MAX - d) / base)
			return false;
		n = n * base + d;
	}
	*v = n;
	return true;
}

/* An unsigned field of a packet line: 0..max, consumes the token. */
static int parse_uint(struct parser *p, uint64_t max, const char *what,
		      uint64_t *v)
{
	char buf[128];

	if (p->tok.type != T_INT && p->tok.type != T_HEX)
		return expected(p, &p->tok, what);
	if (!tok_u64(p, &p->tok, v) || *v > max) {
		snprintf(buf, sizeof(buf), "%s (0 to %" PRIu64 ")", what, max);
		return expected(p, &p->tok, buf);
	}
	return advance(p);
}

/* Seconds with up to 6 decimals, to microseconds, digit by digit. */
static int parse_seconds(struct parser *p, int64_t *usecs)
{
	const struct token *t = &p->tok;
	const char *s = p->text + t->start;
	size_t i = 0, decimals = 0;
	int64_t secs = 0, frac = 0;

	if (t->type != T_INT && t->type != T_DECIMAL)
		return expected(p, t, "time");
	for (; i < t->len && s[i] != '.'; i++) {
		secs = secs * 10 + (s[i] - '0');
		if (secs > MAX_TIME_SECS)
			return expected(p, t, "a time of at most 1000000 seconds");
	}
	if (i < t->len)
		for (i++; i < t->len; i++, decimals++) {
			if (decimals == 6)
				return expected(p, t, "a time with at most 6 decimal places");
			frac = frac * 10 + (s[i] - '0');
		}
	for (; decimals < 6; decimals++)
		frac *= 10;
	*usecs = secs * 1000000 + frac;
	return advance(p);
}

/* ---- expressions ---- */

static void expr_free(struct expr *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->nitems; i++)
		expr_free(e->items[i]);
	free(e->items);
	free(e->symbol);
	free(e->field);
	free(e->string);
	free(e);
}

static struct expr *expr_new(struct parser *p, enum expr_kind kind,
			     const struct token *at)
{
	struct expr *e = calloc(1, sizeof(*e));

	if (!e) {
		oom(p);
		return NULL;
	}
	e->kind = kind;
	e->line = at->line;
	e->column = at->column;
	return e;
}

/* items[] has no capacity field: it doubles whenever nitems reaches a power of two. */
static int expr_push(struct parser *p, struct expr *list, struct expr *item)
{
	size_t n = list->nitems;
	struct expr **items;

	if (n == 0 || !(n & (n - 1))) {
		size_t cap = n ? 2 * n : 1;

		if (cap > SIZE_MAX / sizeof(*items))
			return oom(p);
		items = realloc(list->items, cap * sizeof(*items));
		if (!items)
			return oom(p);
		list->items = items;
	}
	list->items[list->nitems++] = item;
	return 0;
}

static const char *kind_name(enum expr_kind kind)
{
	switch (kind) {
	case EXPR_INT: return "an integer";
	case EXPR_ELLIPSIS: return "'...'";
	case EXPR_STRING: return "a string";
	case EXPR_LIST: return "a list";
	case EXPR_STRUCT: return "a struct";
	case EXPR_RANGE: return "a range";
	case EXPR_NULL: return "'NULL'";
	}
	return "?";
}

/* Line and column of byte offset within token t (which may span lines). */
static void token_position(const struct parser *p, const struct token *t,
			   size_t offset, int *line, int *column)
{
	*line = t->line;
	*column = t->column;
	for (size_t k = 0; k < offset; k++) {
		if (p->text[t->start + k] == '\n') {
			(*line)++;
			*column = 1;
		} else {
			(*column)++;
		}
	}
}

/* Append the unescaped body of string token t to *buf (a growing C string). */
static int string_append(struct parser *p, const struct token *t, char **buf,
			 size_t *len)
{
	const char *s = p->text + t->start + 1;
	size_t n = t->len - 2, o = *len;
	char *out = realloc(*buf, o + n + 1);

	if (!out)
		return oom(p);
	*buf = out;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		/* the lexer saw to it that a backslash is never the last byte */
		if (c == '\\') {
			char e = s[i + 1];
			size_t at = i;

			i++;
			switch (e) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case '0': c = '\0'; break;
			case '\\': case '"': case '\'': c = e; break;
			case 'x':
				if (i + 2 < n && is_xdigit(s[i + 1]) && is_xdigit(s[i + 2])) {
					char hex[3] = { s[i + 1], s[i + 2], 0 };

					c = (char)strtoul(hex, NULL, 16);
					i += 2;
					break;
				}
				/* fall through */
			default: {
				char found[32];
				int line, column;

				token_position(p, t, 1 + at, &line, &column);
				describe_text(s + at, n - at < 4 ? n - at : (e == 'x' ? 4 : 2),
					      found, sizeof(found));
				return fail_at(p, line, column,
					       "expected an escape sequence (\\n \\t \\r \\0 "
					       "\\\\ \\\" \\' \\xHH), found %s", found);
			}
			}
		}
		out[o++] = c;
	}
	out[o] = '\0';
	*len = o;
	return 0;
}

static struct expr *parse_expr(struct parser *p, int depth, bool in_struct);

/* "[a, b]" or "{x=a, b}" */
static struct expr *parse_aggregate(struct parser *p, int depth)
{
	bool is_struct = is_punct(p, &p->tok, '{');
	char close = is_struct ? '}' : ']';
	struct expr *e;

	if (depth >= MAX_DEPTH) {
		expected(p, &p->tok, "at most 32 nested lists or structs");
		return NULL;
	}
	e = expr_new(p, is_struct ? EXPR_STRUCT : EXPR_LIST, &p->tok);
	if (!e || advance(p) < 0)
		goto fail;
	if (is_punct(p, &p->tok, close))
		goto done;
	for (;;) {
		struct token next;
		struct expr *item;
		char *field = NULL;

		if (is_struct && p->tok.type == T_WORD) {
			if (peek(p, &next) < 0)
				goto fail;
			if (is_punct(p, &next, '=')) {
				field = tok_strdup(p, &p->tok);
				if (!field) {
					oom(p);
					goto fail;
				}
				if (advance(p) < 0 || advance(p) < 0) {
					free(field);
					goto fail;
				}
			}
		}
		item = parse_expr(p, depth + 1, is_struct);
		if (!item) {
			free(field);
			goto fail;
		}
		item->field = field;
		if (expr_push(p, e, item) < 0) {
			expr_free(item);
			goto fail;
		}
		if (is_punct(p, &p->tok, ',')) {
			if (advance(p) < 0)
				goto fail;
			continue;
		}
		if (is_punct(p, &p->tok, close))
			break;
		expected(p, &p->tok, is_struct ? "',' or '}'" : "',' or ']'");
		goto fail;
	}
done:
	if (advance(p) < 0)
		goto fail;
	return e;
fail:
	expr_free(e);
	return NULL;
}

/* One value: ..., integer, symbol, NULL, string(s), list, struct. */
static struct expr *parse_primary(struct parser *p, int depth)
{
	struct token t = p->tok;
	struct expr *e;
	uint64_t v;

	if (t.type == T_PUNCT && (is_punct(p, &t, '[') || is_punct(p, &t, '{')))
		return parse_aggregate(p, depth);
	if (t.type == T_ELLIPSIS) {
		e = expr_new(p, EXPR_ELLIPSIS, &t);
		if (e && advance(p) < 0) {
			expr_free(e);
			return NULL;
		}
		return e;
	}
	if (is_punct(p, &t, '-') || t.type == T_INT || t.type == T_HEX) {
		bool negative = t.type == T_PUNCT;

		if (negative && advance(p) < 0)
			return NULL;
		if (p->tok.type != T_INT && p->tok.type != T_HEX) {
			expected(p, &p->tok, "an integer");
			return NULL;
		}
		if (!tok_u64(p, &p->tok, &v) ||
		    v > (negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX)) {
			expected(p, &p->tok, "an integer that fits in 64 bits");
			return NULL;
		}
		e = expr_new(p, EXPR_INT, &t);
		if (!e)
			return NULL;
		e->value = negative ? (int64_t)(0 - v) : (int64_t)v;
		if (advance(p) < 0) {
			expr_free(e);
			return NULL;
		}
		return e;
	}
	if (t.type == T_WORD) {
		char *name = tok_strdup(p, &t);
		int64_t value;

		if (!name) {
			oom(p);
			return NULL;
		}
		if (!strcmp(name, "NULL")) {
			free(name);
			e = expr_new(p, EXPR_NULL, &t);
		} else if (symbol_lookup(name, &value)) {
			e = expr_new(p, EXPR_INT, &t);
			if (e) {
				e->value = value;
				e->symbol = name;
			} else {
				free(name);
			}
		} else {
			free(name);
			expected(p, &t, "a known symbol");
			return NULL;
		}
		if (e && advance(p) < 0) {
			expr_free(e);
			return NULL;
		}
		return e;
	}
	if (t.type == T_STRING) {
		char *buf = NULL;
		size_t len = 0;

		/* "abc" "def" is one string, as in C */
		while (p->tok.type == T_STRING) {
			if (string_append(p, &p->tok, &buf, &len) < 0 ||
			    advance(p) < 0) {
				free(buf);
				return NULL;
			}
		}
		e = expr_new(p, EXPR_STRING, &t);
		if (!e) {
			free(buf);
			return NULL;
		}
		e->string = buf;
		return e;
	}
	expected(p, &t, "a value");
	return NULL;
}

/* a|b|c of integers: one integer, the symbols kept as written. */
static int merge_or(struct parser *p, struct expr *a, struct expr *b)
{
	char *sym = NULL;

	if (a->symbol || b->symbol) {
		char left[32], right[32];

		snprintf(left, sizeof(left), "%" PRId64, a->value);
		snprintf(right, sizeof(right), "%" PRId64, b->value);
		if (asprintf(&sym, "%s|%s", a->symbol ? a->symbol : left,
			     b->symbol ? b->symbol : right) < 0)
			return oom(p);
	}
	free(a->symbol);
	a->symbol = sym;
	a->value |= b->value;
	return 0;
}

static int need_int(struct parser *p, const struct expr *e, const char *what)
{
	if (e->kind == EXPR_INT)
		return 0;
	return fail_at(p, e->line, e->column, "expected %s, found %s", what,
		       kind_name(e->kind));
}

/* A value, an OR of integers, and in structs a range "low~high". */
static struct expr *parse_expr(struct parser *p, int depth, bool in_struct)
{
	struct expr *e = parse_primary(p, depth), *r;

	while (e && is_punct(p, &p->tok, '|')) {
		if (need_int(p, e, "an integer before '|'") < 0 || advance(p) < 0)
			goto fail;
		r = parse_primary(p, depth);
		if (!r)
			goto fail;
		if (need_int(p, r, "an integer after '|'") < 0 ||
		    merge_or(p, e, r) < 0) {
			expr_free(r);
			goto fail;
		}
		expr_free(r);
	}
	if (e && in_struct && is_punct(p, &p->tok, '~')) {
		struct token high;

		if (need_int(p, e, "an integer before '~'") < 0 || advance(p) < 0)
			goto fail;
		high = p->tok;
		r = parse_expr(p, depth, false);
		if (!r)
			goto fail;
		if (need_int(p, r, "an integer after '~'") < 0) {
			expr_free(r);
			goto fail;
		}
		if (r->value < e->value) {
			char what[64];

			expr_free(r);
			snprintf(what, sizeof(what), "a range end not below %" PRId64,
				 e->value);
			expected(p, &high, what);
			goto fail;
		}
		e->kind = EXPR_RANGE;
		e->high = r->value;
		free(e->symbol);
		e->symbol = NULL;
		expr_free(r);
	}
	return e;
fail:
	expr_free(e);
	return NULL;
}

/* ---- events ---- */

static void event_clear(struct event *ev)
{
	switch (ev->type) {
	case EVENT_SYSCALL:
		free(ev->u.syscall.name);
		for (size_t i = 0; i < ev->u.syscall.nargs; i++)
			expr_free(ev->u.syscall.args[i]);
		free(ev->u.syscall.args);
		expr_free(ev->u.syscall.result);
		free(ev->u.syscall.errno_name);
		break;
	case EVENT_COMMAND:
		free(ev->u.command);
		break;
	case EVENT_CODE:
		free(ev->u.code);
		break;
	case EVENT_PACKET:
		break;
	}
}

/* "0.1", "+0.1", "*", "a~b", "+a~+b"; a "..." after it is the caller's. */
static int parse_time(struct parser *p, struct script_time *t)
{
	struct token end;

	memset(t, 0, sizeof(*t));
	if (is_punct(p, &p->tok, '*')) {
		t->type = TIME_ANY;
		return advance(p);
	}
	t->type = TIME_ABSOLUTE;
	if (is_punct(p, &p->tok, '+')) {
		t->type = TIME_RELATIVE;
		if (advance(p) < 0)
			return -1;
	}
	if (parse_seconds(p, &t->usecs) < 0)
		return -1;
	if (!is_punct(p, &p->tok, '~'))
		return 0;
	if (advance(p) < 0)
		return -1;
	/* both ends count from the same anchor and are written alike */
	if (t->type == TIME_RELATIVE) {
		if (!is_punct(p, &p->tok, '+'))
			return expected(p, &p->tok, "'+' (a relative range ends relative)");
		if (advance(p) < 0)
			return -1;
	} else if (is_punct(p, &p->tok, '+')) {
		return expected(p, &p->tok, "an absolute time (an absolute range ends absolute)");
	}
	end = p->tok;
	if (parse_seconds(p, &t->end_usecs) < 0)
		return -1;
	if (t->end_usecs < t->usecs)
		return expected(p, &end, "a range end not before its start");
	t->is_range = true;
	return 0;
}

/*
 * "a...b" on a system call: b is written like a (packetdrill: both from the
 * same anchor).  exec.c reads a relative end as counting from the call's
 * start, so a relative b is stored as b - a.
 */
static int parse_blocking_end(struct parser *p, const struct script_time *start,
			      struct script_time *end)
{
	struct token at;
	int64_t usecs;

	memset(end, 0, sizeof(*end));
	if (start->type == TIME_ANY || start->is_range)
		return expected(p, &p->tok, "a packet or system call (a blocking "
				"call starts at a plain time)");
	if (advance(p) < 0)
		return -1;
	if (is_punct(p, &p->tok, '+')) {
		if (start->type != TIME_RELATIVE)
			return expected(p, &p->tok, "an absolute end time after an absolute start");
		if (advance(p) < 0)
			return -1;
	}
	at = p->tok;
	if (parse_seconds(p, &usecs) < 0)
		return -1;
	if (usecs < start->usecs)
		return expected(p, &at, "an end time not before the start");
	end->type = start->type;
	end->usecs = start->type == TIME_RELATIVE ? usecs - start->usecs : usecs;
	return 0;
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
	column = column_of(p, start);
	for (i = start; i < p->len && p->text[i] != ' ' && p->text[i] != '\t' &&
	     p->text[i] != '\r' && p->text[i] != '\n'; i++)
		;
	if (i == start) {
		return fail_at(p, p->lx.line, column,
			       "expected TCP flags, found %s",
			       start < p->len ? "end of line" : "end of file");
	}
	pk->flags = 0;
	if (!(i - start == 1 && p->text[start] == '-')) {
		for (size_t k = start; k < i; k++) {
			const char *c = memchr(TCP_FLAG_CHARS, p->text[k],
					       sizeof(TCP_FLAG_CHARS) - 1);

			if (!c) {
				char found[128];

				describe_text(p->text + start, i - start, found,
					      sizeof(found));
				return fail_at(p, p->lx.line, column,
					       "expected TCP flags (F S R P . U E W, or -), "
					       "found %s", found);
			}
			pk->flags |= 1u << (c - TCP_FLAG_CHARS);
		}
	}
	p->lx.pos = i;
	p->lx.at_line_start = false;
	return advance(p);
}

static int option_add(struct parser *p, struct packet_event *pk,
		      const struct tcp_option *o, const struct token *at,
		      unsigned int *bytes)
{
	if (pk->noptions == TCP_MAX_OPTIONS || *bytes + o->len > TCP_OPTION_SPACE)
		return expected(p, at, "TCP options of at most 40 bytes");
	*bytes += o->len;
	pk->options[pk->noptions++] = *o;
	return 0;
}

/* ---- the lexer as the option table reads it ---- */

static bool reader_is_word(void *ctx, const char *word)
{
	struct parser *p = ctx;

	return is_word(p, &p->tok, word);
}

static bool reader_is_punct(void *ctx, char c)
{
	struct parser *p = ctx;

	return is_punct(p, &p->tok, c);
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
	return advance(ctx);
}

static int reader_number(void *ctx, uint64_t max, const char *what, uint64_t *v)
{
	return parse_uint(ctx, max, what, v);
}

static int reader_expected(void *ctx, const char *what)
{
	struct parser *p = ctx;

	return expected(p, &p->tok, what);
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

	if (tcp_option_read(&reader, &o) < 0)
		return -1;
	return option_add(p, pk, &o, &at, bytes);
}

static int parse_tcp_options(struct parser *p, struct packet_event *pk)
{
	unsigned int bytes = 0;

	if (advance(p) < 0)
		return -1;
	if (p->tok.type == T_ELLIPSIS) {
		if (pk->direction == '<')
			return expected(p, &p->tok, "a TCP option list (an inbound "
					"packet's options are exact; <...> is for "
					"outbound packets)");
		pk->options_spec = OPTIONS_ANY;
		if (advance(p) < 0)
			return -1;
		if (!is_punct(p, &p->tok, '>'))
			return expected(p, &p->tok, "'>'");
		return advance(p);
	}
	pk->options_spec = OPTIONS_LIST;
	for (;;) {
		if (parse_tcp_option(p, pk, &bytes) < 0)
			return -1;
		if (is_punct(p, &p->tok, ',')) {
			if (advance(p) < 0)
				return -1;
			continue;
		}
		if (is_punct(p, &p->tok, '>'))
			return advance(p);
		return expected(p, &p->tok, "',' or '>'");
	}
}

/* "< S. 1:1(0) ack 1 win 257 <mss 1460,nop>" */
static int parse_packet(struct parser *p, struct event *ev)
{
	struct packet_event *pk = &ev->u.packet;
	uint64_t seq, end, len;
	struct token len_tok;
	enum { AFTER_SEQ, AFTER_ACK, AFTER_WIN, AFTER_OPTIONS } stage;
	static const char *const allowed[] = {
		"'ack', 'win', '<' or end of line",
		"'win', '<' or end of line",
		"'<' or end of line",
		"end of line",
	};

	ev->type = EVENT_PACKET;
	pk->direction = p->text[p->tok.start];
	pk->options_spec = OPTIONS_NONE;
	/* continue right after the direction character */
	p->lx.pos = p->tok.start + 1;
	p->lx.line = p->tok.line;
	p->lx.line_start = p->tok.start - (p->tok.column - 1);
	if (packet_flags(p, pk) < 0)
		return -1;

	if (parse_uint(p, UINT32_MAX, "sequence number", &seq) < 0)
		return -1;
	if (!is_punct(p, &p->tok, ':'))
		return expected(p, &p->tok, "':'");
	if (advance(p) < 0 ||
	    parse_uint(p, UINT32_MAX, "end sequence number", &end) < 0)
		return -1;
	if (!is_punct(p, &p->tok, '('))
		return expected(p, &p->tok, "'('");
	if (advance(p) < 0)
		return -1;
	len_tok = p->tok;
	if (parse_uint(p, UINT16_MAX, "payload length", &len) < 0)
		return -1;
	if (end < seq || end - seq != len) {
		char what[80];

		if (end < seq)
			snprintf(what, sizeof(what), "payload length (end %" PRIu64
				 " is below seq %" PRIu64 ")", end, seq);
		else
			snprintf(what, sizeof(what), "payload length %" PRIu64
				 " (end - seq)", end - seq);
		return expected(p, &len_tok, what);
	}
	if (!is_punct(p, &p->tok, ')'))
		return expected(p, &p->tok, "')'");
	if (advance(p) < 0)
		return -1;
	pk->seq = (uint32_t)seq;
	pk->end = (uint32_t)end;
	pk->len = (uint32_t)len;

	for (stage = AFTER_SEQ; same_line(p);) {
		uint64_t v;

		if (stage == AFTER_SEQ && is_word(p, &p->tok, "ack")) {
			if (advance(p) < 0 ||
			    parse_uint(p, UINT32_MAX, "ack number", &v) < 0)
				return -1;
			pk->has_ack = true;
			pk->ack = (uint32_t)v;
			stage = AFTER_ACK;
		} else if (stage <= AFTER_ACK && is_word(p, &p->tok, "win")) {
			if (advance(p) < 0 ||
			    parse_uint(p, UINT16_MAX, "window", &v) < 0)
				return -1;
			pk->has_win = true;
			pk->win = (uint32_t)v;
			stage = AFTER_WIN;
		} else if (stage <= AFTER_WIN && is_punct(p, &p->tok, '<')) {
			if (parse_tcp_options(p, pk) < 0)
				return -1;
			stage = AFTER_OPTIONS;
		} else {
			return expected(p, &p->tok, allowed[stage]);
		}
	}
	return 0;
}

/* "(Connection reset by peer)": free text up to the matching ')' on the line. */
static int skip_note(struct parser *p)
{
	int depth = 0;
	size_t i;

	for (i = p->tok.start; i < p->len && p->text[i] != '\n'; i++) {
		if (p->text[i] == '(')
			depth++;
		else if (p->text[i] == ')' && --depth == 0)
			break;
	}
	if (i >= p->len || p->text[i] != ')')
		return fail_at(p, p->tok.line, column_of(p, i),
			       "expected ')' closing the note, found %s",
			       i < p->len ? "end of line" : "end of file");
	rewind_to_tok(p);
	p->lx.pos = i + 1;
	p->lx.at_line_start = false;
	return advance(p);
}

static int parse_syscall(struct parser *p, struct event *ev)
{
	struct syscall_event *sc = &ev->u.syscall;
	struct expr args = { 0 };	/* collects the arguments */
	struct token at;

	ev->type = EVENT_SYSCALL;
	sc->name = tok_strdup(p, &p->tok);
	if (!sc->name)
		return oom(p);
	if (advance(p) < 0)
		return -1;
	if (!is_punct(p, &p->tok, '('))
		return expected(p, &p->tok, "'('");
	if (advance(p) < 0)
		return -1;
	while (!is_punct(p, &p->tok, ')')) {
		struct expr *a = parse_expr(p, 0, false);

		if (!a || expr_push(p, &args, a) < 0) {
			expr_free(a);
			goto fail;
		}
		if (is_punct(p, &p->tok, ',')) {
			if (advance(p) < 0)
				goto fail;
			continue;
		}
		if (!is_punct(p, &p->tok, ')')) {
			expected(p, &p->tok, "',' or ')'");
			goto fail;
		}
	}
	sc->args = args.items;
	sc->nargs = args.nitems;
	args.items = NULL;
	args.nitems = 0;
	if (advance(p) < 0)
		return -1;
	if (!is_punct(p, &p->tok, '='))
		return expected(p, &p->tok, "'='");
	if (advance(p) < 0)
		return -1;

	at = p->tok;
	if (!is_punct(p, &at, '-') && at.type != T_INT && at.type != T_HEX &&
	    at.type != T_WORD)
		return expected(p, &at, "an integer result");
	sc->result = parse_expr(p, 0, false);
	if (!sc->result)
		return -1;
	if (sc->result->kind != EXPR_INT)
		return need_int(p, sc->result, "an integer result");

	if (same_line(p) && p->tok.type == T_WORD) {
		char *name = tok_strdup(p, &p->tok);

		if (!name)
			return oom(p);
		if (!symbol_errno(name, &sc->errno_value)) {
			free(name);
			return expected(p, &p->tok, "an errno name");
		}
		sc->errno_name = name;
		if (sc->result->value >= 0)
			return expected(p, &p->tok, "end of line (an errno goes "
					"with a negative result)");
		if (advance(p) < 0)
			return -1;
	}
	if (same_line(p) && is_punct(p, &p->tok, '('))
		return skip_note(p);
	return 0;
fail:
	for (size_t i = 0; i < args.nitems; i++)
		expr_free(args.items[i]);
	free(args.items);
	return -1;
}

/* Text of a `command` or %{ code }% token, markers off, code trimmed. */
static char *delimited_text(struct parser *p, const struct token *t, size_t open,
			    size_t close, bool trim)
{
	const char *s = p->text + t->start + open;
	size_t n = t->len - open - close;
	char *out;

	if (trim) {
		while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
			s++;
			n--;
		}
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
			     s[n - 1] == '\n' || s[n - 1] == '\r'))
			n--;
	}
	out = strndup(s, n);
	if (!out)
		oom(p);
	return out;
}

static struct event *event_append(struct parser *p)
{
	struct script *s = p->s;

	if (s->nevents == MAX_EVENTS) {
		expected_at(p, &p->tok, "at most 65536 events");
		return NULL;
	}
	if (s->nevents == s->events_cap) {
		size_t cap = s->events_cap ? 2 * s->events_cap : 32;
		struct event *n;

		if (cap > SIZE_MAX / sizeof(*n)) {
			oom(p);
			return NULL;
		}
		n = realloc(s->events, cap * sizeof(*n));
		if (!n) {
			oom(p);
			return NULL;
		}
		s->events = n;
		s->events_cap = cap;
	}
	memset(&s->events[s->nevents], 0, sizeof(s->events[0]));
	/* counted at once so a half-parsed event is freed with the rest */
	return &s->events[s->nevents++];
}

static int parse_event(struct parser *p)
{
	struct event *ev = event_append(p);

	if (!ev)
		return -1;
	ev->type = EVENT_COMMAND;	/* nothing allocated yet: safe to free */
	ev->line = p->tok.line;
	ev->column = p->tok.column;

	if (p->tok.type != T_COMMAND && p->tok.type != T_CODE) {
		ev->has_time = true;
		if (p->tok.type != T_INT && p->tok.type != T_DECIMAL &&
		    !is_punct(p, &p->tok, '+') && !is_punct(p, &p->tok, '*'))
			return expected_at(p, &p->tok, "a time (0.1, +0.1 or *)");
		if (parse_time(p, &ev->time) < 0)
			return -1;
		if (p->tok.type == T_ELLIPSIS) {
			if (parse_blocking_end(p, &ev->time, &ev->u.syscall.end) < 0)
				return -1;
			if (p->tok.type != T_WORD)
				return expected(p, &p->tok, "a system call after a "
						"blocking time");
			ev->u.syscall.blocking = true;
		}
	}

	if (p->tok.type == T_WORD) {
		if (parse_syscall(p, ev) < 0)
			return -1;
	} else if (is_punct(p, &p->tok, '<') || is_punct(p, &p->tok, '>')) {
		if (parse_packet(p, ev) < 0)
			return -1;
	} else if (p->tok.type == T_COMMAND) {
		ev->type = EVENT_COMMAND;
		ev->u.command = delimited_text(p, &p->tok, 1, 1, false);
		if (!ev->u.command || advance(p) < 0)
			return -1;
	} else if (p->tok.type == T_CODE) {
		ev->type = EVENT_CODE;
		ev->u.code = delimited_text(p, &p->tok, 2, 2, true);
		if (!ev->u.code || advance(p) < 0)
			return -1;
	} else {
		return expected(p, &p->tok, "a packet, system call or command");
	}
	if (same_line(p))
		return expected(p, &p->tok, "end of line");
	return 0;
}

static int parse_option(struct parser *p)
{
	struct script *s = p->s;
	const char *text = p->text + p->tok.start + 2;
	size_t n = p->tok.len - 2, name_len;
	struct script_option *o;
	const char *eq;

	if (s->nevents)
		return expected_at(p, &p->tok, "an event (options go before the "
				"first event)");
	if (s->noptions == s->options_cap) {
		size_t cap = s->options_cap ? 2 * s->options_cap : 8;
		struct script_option *nw;

		if (cap > SIZE_MAX / sizeof(*nw))
			return oom(p);
		nw = realloc(s->options, cap * sizeof(*nw));
		if (!nw)
			return oom(p);
		s->options = nw;
		s->options_cap = cap;
	}
	o = &s->options[s->noptions];
	memset(o, 0, sizeof(*o));
	o->line = p->tok.line;
	o->column = p->tok.column;
	eq = memchr(text, '=', n);
	name_len = eq ? (size_t)(eq - text) : n;
	if (eq) {
		const char *v = eq + 1;
		size_t vlen = n - name_len - 1;

		if (vlen == 0)
			return fail_at(p, p->tok.line, p->tok.column + (int)p->tok.len,
				       "expected an option value, found %s",
				       p->tok.start + p->tok.len < p->len ?
				       "end of line" : "end of file");
		if (*v == '"') {
			v++;
			vlen -= 2;
		}
		o->value = strndup(v, vlen);
		if (!o->value)
			return oom(p);
	}
	o->name = strndup(text, name_len);
	if (!o->name) {
		free(o->value);
		return oom(p);
	}
	s->noptions++;
	return advance(p);
}

/* ---- public ---- */

void script_free(struct script *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nevents; i++)
		event_clear(&s->events[i]);
	free(s->events);
	for (size_t i = 0; i < s->noptions; i++) {
		free(s->options[i].name);
		free(s->options[i].value);
	}
	free(s->options);
	free(s->name);
	free(s);
}

int script_parse(const char *name, const char *text, size_t len,
		 struct script **s, char **error)
{
	struct parser p = { 0 };

	*s = NULL;
	if (!name)
		name = "script";
	if (len > SCRIPT_MAX_BYTES)
		return error_set(error, "%s: script of %zu bytes is larger than "
				 "the limit of %d", name, len, SCRIPT_MAX_BYTES);
	p.name = name;
	p.text = text ? text : "";
	p.len = text ? len : 0;
	p.error = error;
	p.lx.line = 1;
	p.lx.at_line_start = true;
	p.s = calloc(1, sizeof(*p.s));
	if (!p.s || !(p.s->name = strdup(name))) {
		free(p.s);
		return error_set(error, "%s: out of memory", name);
	}
	if (advance(&p) == 0)
		while (p.tok.type != T_EOF) {
			int rc = p.tok.type == T_OPTION ? parse_option(&p)
							: parse_event(&p);

			if (rc < 0)
				break;
		}
	if (p.failed) {
		script_free(p.s);
		return STATUS_ERROR;
	}
	*s = p.s;
	return STATUS_OK;
}

int script_parse_file(const char *path, struct script **s, char **error)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap;
	int fd, rc;

	*s = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error_set(error, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
		rc = error_set(error, "%s: %s", path,
			       S_ISDIR(st.st_mode) ? strerror(EISDIR) : strerror(errno));
		close(fd);
		return rc;
	}
	/* the size is a hint: read to the end, refusing more than the limit */
	cap = st.st_size > 0 && st.st_size <= SCRIPT_MAX_BYTES ? st.st_size + 1 : 4096;
	for (;;) {
		ssize_t n;

		if (len == cap || !buf) {
			char *nb;

			if (buf)
				cap *= 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				close(fd);
				return error_set(error, "%s: out of memory", path);
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = error_set(error, "%s: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return rc;
		}
		if (n == 0)
			break;
		len += n;
		if (len > SCRIPT_MAX_BYTES) {
			free(buf);
			close(fd);
			return error_set(error, "%s: larger than the limit of %d bytes",
					 path, SCRIPT_MAX_BYTES);
		}
	}
	close(fd);
	rc = script_parse(path, buf, len, s, error);
	free(buf);
	return rc;
}

const char *script_name(const struct script *s)
{
	return s->name;
}

size_t script_event_count(const struct script *s)
{
	return s->nevents;
}

const struct event *script_event(const struct script *s, size_t i)
{
	return i < s->nevents ? &s->events[i] : NULL;
}

size_t script_option_count(const struct script *s)
{
	return s->noptions;
}

const struct script_option *script_option(const struct script *s, size_t i)
{
	return i < s->noptions ? &s->options[i] : NULL;
}

const struct script_option *script_option_find(const struct script *s,
					       const char *name)
{
	for (size_t i = s->noptions; i-- > 0;)
		if (!strcmp(s->options[i].name, name))
			return &s->options[i];
	return NULL;
}

int64_t script_span_usecs(const struct script *s)
{
	int64_t t = 0, max = 0;

	for (size_t i = 0; i < script_event_count(s); i++) {
		const struct event *ev = script_event(s, i);
		int64_t end;

		if (!ev->has_time || ev->time.type == TIME_ANY)
			continue;
		t = ev->time.type == TIME_RELATIVE ? t + ev->time.usecs : ev->time.usecs;
		end = t;
		if (ev->time.is_range)
			end = ev->time.end_usecs +
			      (ev->time.type == TIME_RELATIVE ? t - ev->time.usecs : 0);
		/* a relative return time counts from the call's start */
		if (ev->type == EVENT_SYSCALL && ev->u.syscall.blocking)
			end = ev->u.syscall.end.usecs +
			      (ev->u.syscall.end.type == TIME_RELATIVE ? t : 0);
		if (end > max)
			max = end;
	}
	return max;
}
