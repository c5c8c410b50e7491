/*
 * lexer.c - see lexer.h.
 *
 * Hand-written, on demand from a position in the text, which is never
 * assumed to be NUL-terminated.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "define.h"
#include "error.h"
#include "lexer.h"

#define MAX_TIME_SECS		1000000		/* keeps sums of times far from overflow */
#define FOUND_MAX		40		/* token text quoted in messages */
#define REPLACED_MAX		(4 << 20)	/* a script grown by -D beyond this is refused */

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
void lexer_quote(const char *text, size_t len, char *buf, size_t size)
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
		lexer_quote(p->text + t->start, t->len, buf, size);
}

/* The replacement column lies in on line, or NULL. */
static const struct lexer_subst *subst_at(const struct parser *p, int line, int column)
{
	for (size_t i = 0; i < p->nsubst; i++)
		if (p->subst[i].line == line && column >= p->subst[i].column &&
		    column < p->subst[i].column + (int)p->subst[i].vlen)
			return &p->subst[i];
	return NULL;
}

int lexer_source_column(const struct parser *p, int line, int column)
{
	int shift = 0;

	/* replacements on a line are recorded left to right */
	for (size_t i = 0; i < p->nsubst; i++) {
		const struct lexer_subst *r = &p->subst[i];

		if (r->line != line || column < r->column)
			continue;
		if (column < r->column + (int)r->vlen)
			return r->column - shift;	/* inside a value: its word */
		shift += (int)r->vlen - (int)r->wlen;
	}
	return column - shift;
}

int lexer_fail_at(struct parser *p, int line, int column, const char *fmt, ...)
{
	const struct lexer_subst *r = subst_at(p, line, column);
	char *msg = NULL, value[128], note[256] = "";
	va_list ap;

	if (p->failed)
		return -1;
	p->failed = true;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	/* what the message quotes is the value: say where it came from */
	if (r) {
		lexer_quote(p->text + r->at, r->vlen, value, sizeof(value));
		snprintf(note, sizeof(note), " (%.100s is defined as %s)", r->name, value);
	}
	error_set(p->error, "%s:%d:%d: %s%s", p->name, line,
		  lexer_source_column(p, line, column), msg ? msg : "out of memory", note);
	free(msg);
	return -1;
}

/* "expected WHAT, found <token t>" at t, for what begins a line. */
int lexer_expected_at(struct parser *p, const struct token *t, const char *what)
{
	char found[128];

	describe(p, t, found, sizeof(found));
	return lexer_fail_at(p, t->line, t->column, "expected %s, found %s", what, found);
}

/* "expected WHAT, found <token t>" at t, for what continues a line. */
int lexer_expected(struct parser *p, const struct token *t, const char *what)
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
			return lexer_fail_at(p, line, (int)(at - bol) + 1,
				       "expected %s, found end of line", what);
		}
	}
	describe(p, t, found, sizeof(found));
	return lexer_fail_at(p, t->line, t->column, "expected %s, found %s", what, found);
}

int lexer_oom(struct parser *p)
{
	if (p->failed)
		return -1;
	p->failed = true;
	error_set(p->error, "%s: out of memory", p->name);
	return -1;
}

int lexer_column(const struct parser *p, size_t at)
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
			int line = p->lx.line, column = lexer_column(p, p->lx.pos);
			size_t i = p->lx.pos + 2;

			for (;; i++) {
				if (i + 1 >= p->len)
					return lexer_fail_at(p, line, column,
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
			return lexer_fail_at(p, t->line, t->column,
				       "expected '%c' closing this %s, found end of file",
				       close, what);
		if (p->text[i] == close)
			break;
		/* the text becomes a C string: a NUL would cut it short unseen */
		if (p->text[i] == '\0' || (p->text[i] == '\\' && ch(p, i + 1) == 0)) {
			size_t at = i + (p->text[i] != '\0');

			return lexer_fail_at(p, p->lx.line, lexer_column(p, at),
				       "expected a %s without NUL bytes, found '\\x00'",
				       what);
		}
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

/* 123, 0x1f, 0.100, .1; "10abc" is one word, as packetdrill's lexer sees it. */
static void lex_number(struct parser *p, struct token *t)
{
	size_t i = t->start;

	if (ch(p, i) == '0' && (ch(p, i + 1) == 'x' || ch(p, i + 1) == 'X') &&
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
		t->type = T_WORD;
		while (is_ident(ch(p, i)) || ch(p, i) == '.')
			i++;
	}
	p->lx.pos = i;
}

/* %{ code }% */
static int lex_code(struct parser *p, struct token *t)
{
	size_t i = t->start + 2;

	for (;; i++) {
		if (i + 1 >= p->len)
			return lexer_fail_at(p, t->line, t->column,
				       "expected '}%%' closing this code block, "
				       "found end of file");
		if (p->text[i] == '}' && p->text[i + 1] == '%')
			break;
		if (p->text[i] == '\n')
			newline(p, i + 1);
	}
	t->type = T_CODE;
	p->lx.pos = i + 2;
	return 0;
}

/* --name, --name=value, --name="value" */
static int lex_option(struct parser *p, struct token *t)
{
	size_t i = t->start + 2;

	while (is_ident(ch(p, i)) || ch(p, i) == '-')
		i++;
	if (ch(p, i) == '=') {
		i++;
		if (ch(p, i) == '"') {
			i++;
			while (i < p->len && p->text[i] != '"' && p->text[i] != '\n')
				i++;
			if (ch(p, i) != '"')
				return lexer_fail_at(p, t->line, lexer_column(p, i),
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
	return 0;
}

/*
 * Room for every replacement the text could see: each word that names a
 * definition, grown by its value.  Allocated once, so that pointers into
 * the text taken before a later replacement stay valid.
 */
static int replace_init(struct parser *p)
{
	size_t need = p->len + 1;

	for (size_t i = 0; i < p->len;) {
		size_t j = i;
		const char *v;

		while (j < p->len && is_ident((unsigned char)p->text[j]))
			j++;
		if (j == i) {
			i++;
			continue;
		}
		v = define_list_get(p->defines, p->text + i, j - i, NULL);
		if (v && strlen(v) > j - i)
			need += strlen(v) - (j - i);
		i = j;
	}
	if (need > REPLACED_MAX)
		return lexer_fail_at(p, 1, 1, "expected a script of at most %d bytes once "
				     "-D values are put in, found %zu", REPLACED_MAX, need);
	p->buf = malloc(need);
	if (!p->buf)
		return lexer_oom(p);
	memcpy(p->buf, p->text, p->len);
	p->text = p->buf;
	return 0;
}

/*
 * The word at start (wlen bytes) names a definition: put its value in
 * its place, once.  1 when replaced, 0 when not a defined word (or a
 * value already put in), -1 on error.
 */
static int replace_word(struct parser *p, size_t start, size_t wlen)
{
	const char *name = NULL;
	const char *v = define_list_get(p->defines, p->text + start, wlen, &name);
	struct lexer_subst *r;
	size_t vlen;

	for (size_t i = 0; i < p->nsubst; i++)
		if (start >= p->subst[i].at && start < p->subst[i].at + p->subst[i].vlen)
			return 0;
	if (!v)
		return 0;
	if (!p->buf && replace_init(p) < 0)
		return -1;
	r = realloc(p->subst, (p->nsubst + 1) * sizeof(*r));
	if (!r)
		return lexer_oom(p);
	p->subst = r;
	vlen = strlen(v);
	memmove(p->buf + start + vlen, p->buf + start + wlen, p->len - start - wlen);
	memcpy(p->buf + start, v, vlen);
	p->len = p->len - wlen + vlen;
	for (size_t i = 0; i < p->nsubst; i++)
		if (r[i].at > start)
			r[i].at += vlen - wlen;
	r += p->nsubst++;
	r->line = p->lx.line;
	r->column = lexer_column(p, start);
	r->at = start;
	r->wlen = wlen;
	r->vlen = vlen;
	r->name = name;		/* the define list outlives the parse */
	return 1;
}

void lexer_release(struct parser *p)
{
	free(p->buf);
	p->buf = NULL;
	free(p->subst);
	p->subst = NULL;
	p->nsubst = 0;
}

static int lex(struct parser *p, struct token *t);

/* The token a value put in at start begins with: it must begin there. */
static int lex_value(struct parser *p, struct token *t, size_t start)
{
	p->lx.pos = start;
	p->lx.at_line_start = t->newline_before;
	if (lex(p, t) < 0)
		return -1;
	if (t->start != start)
		return lexer_fail_at(p, t->line, lexer_column(p, start), "expected a value "
				     "that starts with a token (not blank or a comment)");
	return 0;
}

/* Lex the token at the lexer position into *t. */
static int lex(struct parser *p, struct token *t)
{
	size_t start;
	int c, rc = 0;

	if (skip_space(p) < 0)
		return -1;
	start = p->lx.pos;
	memset(t, 0, sizeof(*t));
	t->start = start;
	t->line = p->lx.line;
	t->column = lexer_column(p, start);
	t->newline_before = p->lx.at_line_start;
	p->lx.at_line_start = false;
	c = ch(p, start);

	if (c < 0) {
		t->type = T_EOF;
	} else if (is_digit(c) || (c == '.' && is_digit(ch(p, start + 1)))) {
		lex_number(p, t);
	} else if (c == '.' && ch(p, start + 1) == '.' && ch(p, start + 2) == '.') {
		t->type = T_ELLIPSIS;
		p->lx.pos = start + 3;
	} else if (is_alpha(c)) {
		size_t i = start;

		while (is_ident(ch(p, i)))
			i++;
		t->type = T_WORD;
		p->lx.pos = i;
		if (p->defines && (rc = replace_word(p, start, i - start)) != 0)
			return rc < 0 ? -1 : lex_value(p, t, start);
	} else if (c == '"') {
		t->type = T_STRING;
		rc = scan_delimited(p, t, '"', "string");
	} else if (c == '`') {
		t->type = T_COMMAND;
		rc = scan_delimited(p, t, '`', "command");
	} else if (c == '%' && ch(p, start + 1) == '{') {
		rc = lex_code(p, t);
	} else if (c == '-' && ch(p, start + 1) == '-' && is_ident(ch(p, start + 2))) {
		rc = lex_option(p, t);
	} else {
		t->type = T_PUNCT;
		p->lx.pos = start + 1;
	}
	if (rc < 0)
		return -1;
	t->len = p->lx.pos - start;
	return 0;
}

int lexer_advance(struct parser *p)
{
	return lex(p, &p->tok);
}

/* The token after the current one, without consuming anything. */
int lexer_peek(struct parser *p, struct token *t)
{
	struct lexpos saved = p->lx;
	int rc = lex(p, t);

	p->lx = saved;
	return rc;
}

/* Move the lexer back to the start of the current token. */
void lexer_rewind(struct parser *p)
{
	p->lx.pos = p->tok.start;
	p->lx.line = p->tok.line;
	p->lx.line_start = p->tok.start - (p->tok.column - 1);
	p->lx.at_line_start = p->tok.newline_before;
}

bool lexer_is_punct(const struct parser *p, const struct token *t, char c)
{
	return t->type == T_PUNCT && p->text[t->start] == c;
}

bool lexer_is_word(const struct parser *p, const struct token *t, const char *w)
{
	size_t n = strlen(w);

	return t->type == T_WORD && t->len == n && !memcmp(p->text + t->start, w, n);
}

/* Something more belongs to the current line (not end of line or file). */
bool lexer_same_line(const struct parser *p)
{
	return p->tok.type != T_EOF && !p->tok.newline_before;
}

char *lexer_strdup(const struct parser *p, const struct token *t)
{
	return strndup(p->text + t->start, t->len);
}

/* ---- numbers ---- */

/* Value of a T_INT or T_HEX token; false when it does not fit 64 bits. */
bool lexer_u64(const struct parser *p, const struct token *t, uint64_t *v)
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
int lexer_uint(struct parser *p, uint64_t max, const char *what,
		      uint64_t *v)
{
	char buf[128];

	if (p->tok.type != T_INT && p->tok.type != T_HEX)
		return lexer_expected(p, &p->tok, what);
	if (!lexer_u64(p, &p->tok, v) || *v > max) {
		snprintf(buf, sizeof(buf), "%s (0 to %" PRIu64 ")", what, max);
		return lexer_expected(p, &p->tok, buf);
	}
	return lexer_advance(p);
}

/* Seconds with up to 6 decimals, to microseconds, digit by digit. */
int lexer_seconds(struct parser *p, int64_t *usecs)
{
	const struct token *t = &p->tok;
	const char *s = p->text + t->start;
	size_t i = 0, decimals = 0;
	int64_t secs = 0, frac = 0;

	if (t->type != T_INT && t->type != T_DECIMAL)
		return lexer_expected(p, t, "time");
	for (; i < t->len && s[i] != '.'; i++) {
		secs = secs * 10 + (s[i] - '0');
		if (secs > MAX_TIME_SECS)
			return lexer_expected(p, t, "a time of at most 1000000 seconds");
	}
	if (i < t->len)
		for (i++; i < t->len; i++, decimals++) {
			if (decimals == 6)
				return lexer_expected(p, t, "a time with at most 6 decimal places");
			frac = frac * 10 + (s[i] - '0');
		}
	for (; decimals < 6; decimals++)
		frac *= 10;
	*usecs = secs * 1000000 + frac;
	return lexer_advance(p);
}

/* Line and column of byte offset within token t (which may span lines). */
void lexer_position(const struct parser *p, const struct token *t,
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
