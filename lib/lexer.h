/* lexer.h - the tokens of the packetdrill dialect and the parser state that reads them, with the one way every part of the script parser reports an error. */
#ifndef TCPCONF_LEXER_H
#define TCPCONF_LEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* A span of the text; the text is never copied. */
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

struct script;
struct define_list;

/* A word replaced by its -D value (define.h), for messages in the script's own columns. */
struct lexer_subst {
	int line, column;	/* where the value starts, in the text as replaced */
	size_t at, wlen, vlen;	/* its offset in that text; the word's and the value's lengths */
	const char *name;	/* the word (NAME), owned by the define list */
};

/*
 * One parse: the text (not NUL-terminated, owned by the caller of
 * script_parse), the lexer's position, the current token and the first
 * error.  The lexer works on demand from lx, so a parser can look one token
 * further (lexer_peek) or re-read the text in another mode (TCP flags, the
 * note after an errno) by moving lx.
 */
struct parser {
	const char *name;
	const char *text;
	size_t len;
	struct lexpos lx;
	struct token tok;	/* the current token, not yet consumed */
	char **error;
	bool failed;
	struct script *s;	/* what is being built (script.c's) */
	/*
	 * -D replacement: with defines set, a word that names one is replaced
	 * in the text by its value, once (the value is not looked up again).
	 * The text is then buf, a private copy sized once for every possible
	 * replacement, so a pointer into it stays valid; columns and tokens
	 * count in the replaced text and messages translate them back.
	 */
	const struct define_list *defines;	/* NULL while there is none */
	struct define_list *own_defines;	/* script.c's copy, which --define adds to */
	char *buf;
	struct lexer_subst *subst;
	size_t nsubst;
};

static inline bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static inline bool is_xdigit(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Free what the lexer allocated for p (the replaced text); p->text is then invalid. */
void lexer_release(struct parser *p);

/* The column the script itself has for column of line in the replaced text. */
int lexer_source_column(const struct parser *p, int line, int column);

/* Lex the next token into p->tok; -1 once an error is recorded. */
int lexer_advance(struct parser *p);

/* The token after the current one into *t, consuming nothing. */
int lexer_peek(struct parser *p, struct token *t);

/* Move the lexer back to the start of the current token. */
void lexer_rewind(struct parser *p);

/* Column (from 1) of byte offset at on the lexer's current line. */
int lexer_column(const struct parser *p, size_t at);

/* Line and column of byte offset within token t (which may span lines). */
void lexer_position(const struct parser *p, const struct token *t,
		   size_t offset, int *line, int *column);

bool lexer_is_punct(const struct parser *p, const struct token *t, char c);
bool lexer_is_word(const struct parser *p, const struct token *t, const char *w);

/* Something more belongs to the current line (not end of line or file). */
bool lexer_same_line(const struct parser *p);

/* A copy of t's text; the caller frees it.  NULL when out of memory. */
char *lexer_strdup(const struct parser *p, const struct token *t);

/* Value of a T_INT or T_HEX token; false when it does not fit 64 bits. */
bool lexer_u64(const struct parser *p, const struct token *t, uint64_t *v);

/* An unsigned field of a packet line: 0..max, consumes the token. */
int lexer_uint(struct parser *p, uint64_t max, const char *what, uint64_t *v);

/* Seconds with up to 6 decimals, to microseconds, digit by digit. */
int lexer_seconds(struct parser *p, int64_t *usecs);

/* Quote a piece of text for a message into buf: printable, short, one line. */
void lexer_quote(const char *text, size_t len, char *buf, size_t size);

/*
 * Errors.  Only the first is recorded, into *p->error as
 * "name:line:column: message"; each returns -1 for the caller to pass up.
 */
int lexer_fail_at(struct parser *p, int line, int column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* "expected WHAT, found <token t>" at t, for what begins a line. */
int lexer_expected_at(struct parser *p, const struct token *t, const char *what);

/* The same for what continues a line: when t starts the next line, what is
 * missing is reported at the end of the line before. */
int lexer_expected(struct parser *p, const struct token *t, const char *what);

int lexer_oom(struct parser *p);

#endif
