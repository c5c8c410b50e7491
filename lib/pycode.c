/*
 * pycode.c - see pycode.h.
 *
 * packetdrill writes each %{ }% block into one Python program and runs it
 * at the end; the corpora use a small, fixed part of Python: statements
 * "assert EXPR[, MSG]", "print(...)", "NAME = EXPR" and "NAME += EXPR",
 * separated by newlines or ';', over integers, strings and names.  That
 * part is parsed here into a tree and evaluated with int64 arithmetic
 * (Python's floor division and modulo), and anything else is refused by
 * name at parse time so that a block never passes by not being understood.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "pycode.h"
#include "pycode_int.h"

/* ---- tokens ---- */

/* Python keywords and names this subset leaves out: a SKIP naming them. */
static const char *const unsupported_words[] = {
	"if", "elif", "else", "for", "while", "def", "class", "import", "from",
	"lambda", "return", "in", "is", "try", "except", "finally", "with",
	"global", "nonlocal", "del", "pass", "yield", "raise", "break",
	"continue", "None", "async", "await", NULL,
};

/* Longest first: "//" before "/", "<<" before "<". */
static const char *const operators[] = {
	"//=", "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "+=", "-=", "*=",
	"(", ")", ",", ";", "=", "+", "-", "*", "/", "%", "&", "|", "^", "~",
	"<", ">", NULL,
};

static int lex_error(struct lex *l, int status, int at_line, int at_col,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int lex_error(struct lex *l, int status, int at_line, int at_col,
		     const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	(status == STATUS_SKIP ? error_skip : error_set)(l->error, "%s:%d:%d: %s",
		l->file, at_line, at_col, msg ? msg : "out of memory");
	free(msg);
	l->status = status;
	return status;
}

int pycode_syntax(struct lex *l, const char *fmt, const char *found)
{
	return lex_error(l, STATUS_ERROR, l->tok.line, l->tok.column,
			 "%%{ }%%: %s, found %s", fmt, found);
}

int pycode_unsupported(struct lex *l, const char *what)
{
	return lex_error(l, STATUS_SKIP, l->tok.line, l->tok.column,
			 "%%{ }%%: %s is not supported (tcpconf evaluates "
			 "assert, print and integer expressions only)", what);
}

/* Move past spaces, comments and backslash-newlines; a newline inside
 * brackets too.  True when a newline ends a statement. */
static bool skip_blank(struct lex *l)
{
	bool newline = false;

	for (;;) {
		char c = l->text[l->pos];

		if (c == '\\' && l->text[l->pos + 1] == '\0') {
			l->pos++;	/* a last "\\" before the trimmed newline */
		} else if (c == '\\' && l->text[l->pos + 1] == '\n') {
			l->pos += 2;
			l->line++;
			l->col = 1;
		} else if (c == '#') {
			while (l->text[l->pos] && l->text[l->pos] != '\n')
				l->pos++, l->col++;
		} else if (c == '\n') {
			newline |= l->depth == 0;
			l->pos++;
			l->line++;
			l->col = 1;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			l->pos++, l->col++;
		} else {
			return newline;
		}
	}
}

static int lex_number(struct lex *l, struct pytok *t)
{
	const char *s = l->text + l->pos;
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 16 : 10);
	if (*end == '.' || *end == 'e' || *end == 'E' || *end == 'j')
		return pycode_unsupported(l, "a float literal");
	if (isalnum((unsigned char)*end) || *end == '_')
		return pycode_syntax(l, "expected a number", "a malformed one");
	if (errno || v > INT64_MAX)
		return pycode_unsupported(l, "an integer beyond 64 bits");
	t->type = PT_INT;
	t->value = (int64_t)v;
	t->len = (size_t)(end - s);
	return 0;
}

static int lex_string(struct lex *l, struct pytok *t)
{
	char q = l->text[l->pos];
	size_t n = 1;

	while (l->text[l->pos + n] && l->text[l->pos + n] != q &&
	       l->text[l->pos + n] != '\n') {
		if (l->text[l->pos + n] == '\\')
			return pycode_unsupported(l, "a backslash escape in a string");
		n++;
	}
	if (l->text[l->pos + n] != q)
		return pycode_syntax(l, "expected the string's closing quote",
				     "the end of the line");
	t->type = PT_STR;
	t->len = n + 1;
	return 0;
}

static int lex_op(struct lex *l, struct pytok *t)
{
	for (size_t k = 0; operators[k]; k++) {
		size_t n = strlen(operators[k]);

		if (strncmp(l->text + l->pos, operators[k], n))
			continue;
		t->type = PT_OP;
		t->op = operators[k];
		t->len = n;
		if (!strcmp(t->op, "("))
			l->depth++;
		else if (!strcmp(t->op, ")") && l->depth > 0)
			l->depth--;
		return 0;
	}
	return 1;
}

/* The next token into l->tok. */
int pycode_next(struct lex *l)
{
	struct pytok *t = &l->tok;
	char c, what[32];
	int rc;

	l->prev_end = l->tok.start + l->tok.len;
	memset(t, 0, sizeof(*t));
	if (skip_blank(l) && l->pos) {
		t->type = PT_NEWLINE;
	} else {
		c = l->text[l->pos];
		t->start = l->pos;
		t->line = l->line;
		t->column = l->col;
		if (!c) {
			t->type = PT_END;
			return 0;
		}
		if (isdigit((unsigned char)c)) {
			rc = lex_number(l, t);
		} else if (isalpha((unsigned char)c) || c == '_') {
			while (isalnum((unsigned char)l->text[l->pos + t->len]) ||
			       l->text[l->pos + t->len] == '_')
				t->len++;
			t->type = PT_NAME;
			rc = 0;
		} else if (c == '\'' || c == '"') {
			rc = lex_string(l, t);
		} else if ((rc = lex_op(l, t)) > 0) {
			snprintf(what, sizeof(what), "'%c'", c);
			return pycode_unsupported(l, what);
		}
		if (rc < 0)
			return rc;
		l->pos += t->len;
		l->col += (int)t->len;
		return 0;
	}
	t->start = l->pos;
	t->line = l->line;
	t->column = l->col;
	return 0;
}

bool pycode_is_op(const struct lex *l, const char *op)
{
	return l->tok.type == PT_OP && !strcmp(l->tok.op, op);
}

bool pycode_is_word(const struct lex *l, const char *word)
{
	return l->tok.type == PT_NAME && l->tok.len == strlen(word) &&
	       !strncmp(l->text + l->tok.start, word, l->tok.len);
}

/* A keyword or name the subset leaves out, when the token is one. */
const char *pycode_unsupported_word(const struct lex *l)
{
	for (size_t k = 0; unsupported_words[k]; k++)
		if (pycode_is_word(l, unsupported_words[k]))
			return unsupported_words[k];
	return NULL;
}

/* ---- statements ---- */

static void stmt_free(struct stmt *s)
{
	free(s->name);
	free(s->src);
	pycode_node_free(s->expr);
	pycode_node_free(s->msg);
}

void pycode_free(struct pycode *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		stmt_free(&c->stmts[i]);
	free(c->stmts);
	free(c->file);
	free(c);
}

/* NAME = EXPR, NAME += EXPR (-=, *=, //=) */
static int parse_assign(struct lex *l, struct stmt *s)
{
	s->kind = ST_ASSIGN;
	s->name = strndup(l->text + l->tok.start, l->tok.len);
	if (!s->name || pycode_next(l) < 0)
		return s->name ? -1 : error_set(l->error, "out of memory");
	s->op = l->tok.op;
	if (pycode_next(l) < 0)
		return -1;
	return pycode_parse_expr(l, &s->expr);
}

/* assert EXPR[, MSG] */
static int parse_assert(struct lex *l, struct stmt *s)
{
	size_t start;

	s->kind = ST_ASSERT;
	if (pycode_next(l) < 0)
		return -1;
	start = l->tok.start;
	if (pycode_parse_expr(l, &s->expr) < 0)
		return -1;
	s->src = strndup(l->text + start, l->prev_end - start);
	if (!s->src)
		return error_set(l->error, "out of memory");
	if (!pycode_is_op(l, ","))
		return 0;
	if (pycode_next(l) < 0)
		return -1;
	return pycode_parse_expr(l, &s->msg);
}

/* print(EXPR, ...): parsed as a tuple so that its names are checked. */
static int parse_print(struct lex *l, struct stmt *s)
{
	s->kind = ST_PRINT;
	if (pycode_next(l) < 0)
		return -1;
	if (!pycode_is_op(l, "("))
		return pycode_unsupported(l, "print without parentheses");
	return pycode_parse_expr(l, &s->expr);
}

static int parse_stmt(struct lex *l, struct stmt *s)
{
	const char *word = pycode_unsupported_word(l);
	char what[48];

	s->line = l->tok.line;
	if (word) {
		snprintf(what, sizeof(what), "'%s'", word);
		return pycode_unsupported(l, what);
	}
	if (pycode_is_word(l, "assert"))
		return parse_assert(l, s);
	if (pycode_is_word(l, "print"))
		return parse_print(l, s);
	if (l->tok.type == PT_NAME) {
		struct lex save = *l;

		if (pycode_next(l) < 0)
			return -1;
		if (pycode_is_op(l, "=") || pycode_is_op(l, "+=") ||
		    pycode_is_op(l, "-=") || pycode_is_op(l, "*=") ||
		    pycode_is_op(l, "//=")) {
			*l = save;
			return parse_assign(l, s);
		}
		*l = save;
	}
	return pycode_unsupported(l, "an expression statement");
}

static int parse_block(struct lex *l, struct pycode *c)
{
	while (l->tok.type != PT_END) {
		struct stmt *n;

		if (l->tok.type == PT_NEWLINE || pycode_is_op(l, ";")) {
			if (pycode_next(l) < 0)
				return -1;
			continue;
		}
		n = realloc(c->stmts, (c->n + 1) * sizeof(*n));
		if (!n)
			return error_set(l->error, "out of memory");
		c->stmts = n;
		memset(&c->stmts[c->n], 0, sizeof(*n));
		if (parse_stmt(l, &c->stmts[c->n++]) < 0)
			return -1;
		if (l->tok.type != PT_END && l->tok.type != PT_NEWLINE &&
		    !pycode_is_op(l, ";"))
			return pycode_syntax(l, "expected the end of the statement",
					     pycode_tok_text(l));
	}
	return 0;
}

const char *pycode_tok_text(struct lex *l)
{
	size_t n = l->tok.len < sizeof(l->buf) - 3 ? l->tok.len : sizeof(l->buf) - 3;

	if (l->tok.type == PT_END)
		return "the end of the block";
	if (l->tok.type == PT_NEWLINE)
		return "the end of the line";
	snprintf(l->buf, sizeof(l->buf), "'%.*s'", (int)n, l->text + l->tok.start);
	return l->buf;
}

int pycode_parse(const char *file, int line, int column, const char *text,
		 struct pycode **out, char **error)
{
	struct lex l = { .file = file, .text = text, .line = line, .col = column,
			 .error = error };
	struct pycode *c = calloc(1, sizeof(*c));
	int rc;

	*out = NULL;
	if (!c || !(c->file = strdup(file))) {
		free(c);
		return error_set(error, "out of memory");
	}
	rc = pycode_next(&l);
	if (rc == 0)
		rc = parse_block(&l, c);
	if (rc < 0) {
		pycode_free(c);
		return l.status ? l.status : STATUS_ERROR;
	}
	*out = c;
	return 0;
}
