/* pycode_int.h - what pycode.c (tokens, statements) and pycode_expr.c (expressions, values, names) share. */
#ifndef TCPCONF_PYCODE_INT_H
#define TCPCONF_PYCODE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pytok_type { PT_END, PT_NEWLINE, PT_INT, PT_NAME, PT_STR, PT_OP };

struct pytok {
	enum pytok_type type;
	size_t start, len;		/* in the block's text */
	int line, column;		/* in the script */
	int64_t value;			/* PT_INT */
	const char *op;			/* PT_OP: a static string */
};

/* Where the tokenizer stands; copied to look ahead. */
struct lex {
	const char *file, *text;
	size_t pos, prev_end;		/* prev_end: after the token before tok */
	int line, col, depth;		/* depth: open parentheses */
	struct pytok tok;
	char buf[48];			/* pycode_tok_text() */
	char **error;
	int status;			/* of the first error: STATUS_ERROR or _SKIP */
};

enum node_kind { NK_INT, NK_STR, NK_NAME, NK_TUPLE, NK_UNARY, NK_BINARY,
		 NK_COMPARE, NK_AND, NK_OR, NK_NOT };

struct node {
	enum node_kind kind;
	int line;
	int64_t value;			/* NK_INT */
	char *text;			/* NK_STR, NK_NAME */
	const char **ops;		/* NK_UNARY/NK_BINARY: ops[0]; NK_COMPARE: n-1 */
	struct node **kids;
	size_t n;
};

enum stmt_kind { ST_ASSERT, ST_PRINT, ST_ASSIGN };

struct stmt {
	enum stmt_kind kind;
	int line;
	char *name;			/* ST_ASSIGN */
	const char *op;			/* ST_ASSIGN: "=", "+=", ... */
	char *src;			/* ST_ASSERT: the condition as written */
	struct node *expr, *msg;
};

struct pycode {
	char *file;
	struct stmt *stmts;
	size_t n;
};

/* Tokens (pycode.c). */
int pycode_next(struct lex *l);
bool pycode_is_op(const struct lex *l, const char *op);
bool pycode_is_word(const struct lex *l, const char *word);
const char *pycode_unsupported_word(const struct lex *l);
const char *pycode_tok_text(struct lex *l);
/* "file:line:column: %{ }%: WHAT, found FOUND": STATUS_ERROR. */
int pycode_syntax(struct lex *l, const char *what, const char *found);
/* "file:line:column: %{ }%: WHAT is not supported ...": STATUS_SKIP. */
int pycode_unsupported(struct lex *l, const char *what);

/* Expressions (pycode_expr.c): the tree into *out, the caller's. */
int pycode_parse_expr(struct lex *l, struct node **out);
void pycode_node_free(struct node *n);

#endif
