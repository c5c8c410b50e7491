/* pycode_expr.c - expressions of %{ }% blocks: parsed by Python's precedence, evaluated over int64 and strings, with the names that live between blocks. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "pycode.h"
#include "pycode_int.h"

/* ---- parsing ---- */

/* Binary operators by level, lowest first (Python's table). */
static const char *const levels[][4] = {
	{ "|" }, { "^" }, { "&" }, { "<<", ">>" }, { "+", "-" },
	{ "*", "//", "%" },
};
#define NLEVELS (sizeof(levels) / sizeof(levels[0]))

static const char *const compares[] = { "==", "!=", "<=", ">=", "<", ">", NULL };

static int parse_or(struct lex *l, struct node **out);

static struct node *node_new(struct lex *l, enum node_kind kind)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n)
		error_set(l->error, "out of memory");
	else {
		n->kind = kind;
		n->line = l->tok.line;
	}
	return n;
}

void pycode_node_free(struct node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++)
		pycode_node_free(n->kids[i]);
	free(n->kids);
	free(n->ops);
	free(n->text);
	free(n);
}

/* Append kid (and op, when given) to n; n owns kid even on failure. */
static int push(struct lex *l, struct node *n, struct node *kid, const char *op)
{
	struct node **k = realloc(n->kids, (n->n + 1) * sizeof(*k));
	const char **o = op ? realloc(n->ops, (n->n + 1) * sizeof(*o)) : n->ops;

	if (k)
		n->kids = k;
	if (o)
		n->ops = o;
	if (!k || (op && !o)) {
		pycode_node_free(kid);
		return error_set(l->error, "out of memory");
	}
	n->kids[n->n] = kid;
	if (op)
		n->ops[n->n - (n->n > 0 && n->kind == NK_COMPARE)] = op;
	n->n++;
	return 0;
}

/* ( EXPR ) or a tuple ( EXPR, EXPR... ) */
static int parse_paren(struct lex *l, struct node **out)
{
	struct node *t = node_new(l, NK_TUPLE), *e;
	bool comma = false;

	if (!t || pycode_next(l) < 0)
		goto fail;
	while (!pycode_is_op(l, ")")) {
		if (parse_or(l, &e) < 0 || push(l, t, e, NULL) < 0)
			goto fail;
		if (!pycode_is_op(l, ","))
			break;
		comma = true;
		if (pycode_next(l) < 0)
			goto fail;
	}
	if (!pycode_is_op(l, ")")) {
		pycode_syntax(l, "expected ')'", pycode_tok_text(l));
		goto fail;
	}
	if (pycode_next(l) < 0)
		goto fail;
	if (t->n == 1 && !comma) {
		*out = t->kids[0];
		t->n = 0;
		pycode_node_free(t);
	} else {
		*out = t;
	}
	return 0;
fail:
	pycode_node_free(t);
	return -1;
}

static int parse_atom(struct lex *l, struct node **out)
{
	const char *word = pycode_unsupported_word(l);
	struct node *n;
	char what[64];

	if (pycode_is_op(l, "("))
		return parse_paren(l, out);
	if (word) {
		snprintf(what, sizeof(what), "'%s'", word);
		return pycode_unsupported(l, what);
	}
	if (l->tok.type != PT_INT && l->tok.type != PT_NAME && l->tok.type != PT_STR)
		return pycode_syntax(l, "expected a value", pycode_tok_text(l));
	n = node_new(l, l->tok.type == PT_INT ? NK_INT :
			l->tok.type == PT_STR ? NK_STR : NK_NAME);
	if (!n)
		return -1;
	n->value = l->tok.value;
	if (pycode_is_word(l, "True") || pycode_is_word(l, "False")) {
		n->kind = NK_INT;
		n->value = pycode_is_word(l, "True");
	} else if (n->kind != NK_INT) {
		bool s = n->kind == NK_STR;

		n->text = strndup(l->text + l->tok.start + s, l->tok.len - 2 * s);
		if (!n->text) {
			free(n);
			return error_set(l->error, "out of memory");
		}
	}
	if (pycode_next(l) < 0) {
		pycode_node_free(n);
		return -1;
	}
	if (n->kind == NK_NAME && pycode_is_op(l, "(")) {
		snprintf(what, sizeof(what), "calling %s()", n->text);
		pycode_node_free(n);
		return pycode_unsupported(l, what);
	}
	*out = n;
	return 0;
}

/* -x, +x, ~x, and x ** y (tighter than unary minus on its left only) */
static int parse_unary(struct lex *l, struct node **out)
{
	const char *op = l->tok.type == PT_OP ? l->tok.op : NULL;
	struct node *n, *e;

	if (op && (!strcmp(op, "-") || !strcmp(op, "+") || !strcmp(op, "~"))) {
		n = node_new(l, NK_UNARY);
		if (!n || pycode_next(l) < 0 || parse_unary(l, &e) < 0 ||
		    push(l, n, e, op) < 0) {
			pycode_node_free(n);
			return -1;
		}
		*out = n;
		return 0;
	}
	if (parse_atom(l, out) < 0)
		return -1;
	if (!pycode_is_op(l, "**") && !pycode_is_op(l, "/"))
		return 0;
	pycode_node_free(*out);
	*out = NULL;
	if (pycode_is_op(l, "**"))
		return pycode_unsupported(l, "'**'");
	return pycode_unsupported(l, "'/' (float division; '//' is supported)");
}

/* Left-associative binary operators from level on. */
static int parse_binary(struct lex *l, size_t level, struct node **out)
{
	struct node *left, *right, *n;
	const char *op;

	if (level == NLEVELS)
		return parse_unary(l, out);
	if (parse_binary(l, level + 1, &left) < 0)
		return -1;
	for (;;) {
		op = NULL;
		for (size_t k = 0; k < 4 && levels[level][k]; k++)
			if (pycode_is_op(l, levels[level][k]))
				op = levels[level][k];
		if (!op)
			break;
		n = node_new(l, NK_BINARY);
		if (!n || push(l, n, left, op) < 0) {
			if (!n)
				pycode_node_free(left);
			pycode_node_free(n);
			return -1;
		}
		if (pycode_next(l) < 0 || parse_binary(l, level + 1, &right) < 0 ||
		    push(l, n, right, NULL) < 0) {
			pycode_node_free(n);
			return -1;
		}
		left = n;
	}
	*out = left;
	return 0;
}

static const char *compare_op(const struct lex *l)
{
	for (size_t k = 0; compares[k]; k++)
		if (pycode_is_op(l, compares[k]))
			return compares[k];
	return NULL;
}

/* a < b <= c: chained as in Python */
static int parse_compare(struct lex *l, struct node **out)
{
	struct node *first, *n, *e;
	const char *op;

	if (parse_binary(l, 0, &first) < 0)
		return -1;
	if (!compare_op(l)) {
		*out = first;
		return 0;
	}
	n = node_new(l, NK_COMPARE);
	if (!n || push(l, n, first, NULL) < 0) {
		if (!n)
			pycode_node_free(first);
		pycode_node_free(n);
		return -1;
	}
	while ((op = compare_op(l))) {
		if (pycode_next(l) < 0 || parse_binary(l, 0, &e) < 0 ||
		    push(l, n, e, op) < 0) {
			pycode_node_free(n);
			return -1;
		}
	}
	*out = n;
	return 0;
}

static int parse_not(struct lex *l, struct node **out)
{
	struct node *n, *e;

	if (!pycode_is_word(l, "not"))
		return parse_compare(l, out);
	n = node_new(l, NK_NOT);
	if (!n || pycode_next(l) < 0 || parse_not(l, &e) < 0 || push(l, n, e, NULL) < 0) {
		pycode_node_free(n);
		return -1;
	}
	*out = n;
	return 0;
}

/* and binds tighter than or */
static int parse_logic(struct lex *l, struct node **out, bool is_or)
{
	const char *word = is_or ? "or" : "and";
	struct node *n, *e;

	if ((is_or ? parse_logic(l, out, false) : parse_not(l, out)) < 0)
		return -1;
	if (!pycode_is_word(l, word))
		return 0;
	n = node_new(l, is_or ? NK_OR : NK_AND);
	if (!n || push(l, n, *out, NULL) < 0) {
		if (!n)
			pycode_node_free(*out);
		pycode_node_free(n);
		return -1;
	}
	while (pycode_is_word(l, word)) {
		if (pycode_next(l) < 0 ||
		    (is_or ? parse_logic(l, &e, false) : parse_not(l, &e)) < 0 ||
		    push(l, n, e, NULL) < 0) {
			pycode_node_free(n);
			return -1;
		}
	}
	*out = n;
	return 0;
}

static int parse_or(struct lex *l, struct node **out)
{
	*out = NULL;
	return parse_logic(l, out, true);
}

int pycode_parse_expr(struct lex *l, struct node **out)
{
	return parse_or(l, out);
}
