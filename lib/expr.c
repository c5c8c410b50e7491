/* expr.c - see expr.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "symbol.h"

#define MAX_DEPTH		32		/* nested lists and structs */

void expr_free(struct expr *e)
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
		lexer_oom(p);
		return NULL;
	}
	e->kind = kind;
	e->line = at->line;
	e->column = at->column;
	return e;
}

/* items[] has no capacity field: it doubles whenever nitems reaches a power of two. */
int expr_push(struct parser *p, struct expr *list, struct expr *item)
{
	size_t n = list->nitems;
	struct expr **items;

	if (n == 0 || !(n & (n - 1))) {
		size_t cap = n ? 2 * n : 1;

		if (cap > SIZE_MAX / sizeof(*items))
			return lexer_oom(p);
		items = realloc(list->items, cap * sizeof(*items));
		if (!items)
			return lexer_oom(p);
		list->items = items;
	}
	list->items[list->nitems++] = item;
	return 0;
}

const char *expr_kind_name(enum expr_kind kind)
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

/* Append the unescaped body of string token t to *buf (a growing C string). */
static int string_append(struct parser *p, const struct token *t, char **buf,
			 size_t *len)
{
	const char *s = p->text + t->start + 1;
	size_t n = t->len - 2, o = *len;
	char *out = realloc(*buf, o + n + 1);

	if (!out)
		return lexer_oom(p);
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
			case '\\': case '"': case '\'': c = e; break;
			case 'x':
				if (i + 2 < n && is_xdigit(s[i + 1]) && is_xdigit(s[i + 2]) &&
				    (s[i + 1] != '0' || s[i + 2] != '0')) {
					char hex[3] = { s[i + 1], s[i + 2], 0 };

					c = (char)strtoul(hex, NULL, 16);
					i += 2;
					break;
				}
				/* fall through */
			default: {
				char found[32];
				int line, column;

				lexer_position(p, t, 1 + at, &line, &column);
				lexer_quote(s + at, n - at < 4 ? n - at : (e == 'x' ? 4 : 2),
					      found, sizeof(found));
				/* strings are C strings: a NUL would end one unseen */
				return lexer_fail_at(p, line, column,
					       "expected an escape sequence (\\n \\t \\r "
					       "\\\\ \\\" \\' \\xHH, not NUL), found %s", found);
			}
			}
		}
		out[o++] = c;
	}
	out[o] = '\0';
	*len = o;
	return 0;
}

/* "[a, b]" or "{x=a, b}" */
/*
 * packetdrill's msghdr fields carry a length: "msg_iov(2)=[...]",
 * "msg_name(...)=...".  The field is the name; the length in parentheses
 * is parsed and dropped (the list the field holds has its own).  On
 * success *field is the name (the caller's) and the '=' has been read.
 */
static int field_with_count(struct parser *p, int depth, char **field)
{
	struct expr *count;

	*field = lexer_strdup(p, &p->tok);
	if (!*field) {
		lexer_oom(p);
		return -1;
	}
	if (lexer_advance(p) < 0 || lexer_advance(p) < 0)
		goto fail;
	count = expr_parse(p, depth + 1, false);
	if (!count)
		goto fail;
	expr_free(count);
	if (!lexer_is_punct(p, &p->tok, ')')) {
		lexer_expected(p, &p->tok, "')'");
		goto fail;
	}
	if (lexer_advance(p) < 0)
		goto fail;
	if (!lexer_is_punct(p, &p->tok, '=')) {
		lexer_expected(p, &p->tok, "'='");
		goto fail;
	}
	if (lexer_advance(p) == 0)
		return 0;
fail:
	free(*field);
	*field = NULL;
	return -1;
}

static struct expr *parse_aggregate(struct parser *p, int depth)
{
	bool is_struct = lexer_is_punct(p, &p->tok, '{');
	char close = is_struct ? '}' : ']';
	struct expr *e;

	if (depth >= MAX_DEPTH) {
		lexer_expected(p, &p->tok, "at most 32 nested lists or structs");
		return NULL;
	}
	e = expr_new(p, is_struct ? EXPR_STRUCT : EXPR_LIST, &p->tok);
	if (!e || lexer_advance(p) < 0)
		goto fail;
	if (lexer_is_punct(p, &p->tok, close))
		goto done;
	for (;;) {
		struct token next;
		struct expr *item;
		char *field = NULL;

		if (is_struct && p->tok.type == T_WORD) {
			if (lexer_peek(p, &next) < 0)
				goto fail;
			if (lexer_is_punct(p, &next, '(') &&
			    field_with_count(p, depth, &field) < 0)
				goto fail;
			if (!field && lexer_is_punct(p, &next, '=')) {
				field = lexer_strdup(p, &p->tok);
				if (!field) {
					lexer_oom(p);
					goto fail;
				}
				if (lexer_advance(p) < 0 || lexer_advance(p) < 0) {
					free(field);
					goto fail;
				}
			}
		}
		item = expr_parse(p, depth + 1, is_struct);
		if (!item) {
			free(field);
			goto fail;
		}
		item->field = field;
		if (expr_push(p, e, item) < 0) {
			expr_free(item);
			goto fail;
		}
		if (lexer_is_punct(p, &p->tok, ',')) {
			if (lexer_advance(p) < 0)
				goto fail;
			continue;
		}
		if (lexer_is_punct(p, &p->tok, close))
			break;
		lexer_expected(p, &p->tok, is_struct ? "',' or '}'" : "',' or ']'");
		goto fail;
	}
done:
	if (lexer_advance(p) < 0)
		goto fail;
	return e;
fail:
	expr_free(e);
	return NULL;
}

/* 42, -1, 0x10: the current token is '-' or the number. */
static struct expr *parse_int(struct parser *p)
{
	struct token t = p->tok;
	bool negative = t.type == T_PUNCT;
	struct expr *e;
	uint64_t v;

	if (negative && lexer_advance(p) < 0)
		return NULL;
	if (p->tok.type != T_INT && p->tok.type != T_HEX) {
		lexer_expected(p, &p->tok, "an integer");
		return NULL;
	}
	if (!lexer_u64(p, &p->tok, &v) ||
	    v > (negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX)) {
		lexer_expected(p, &p->tok, "an integer that fits in 64 bits");
		return NULL;
	}
	e = expr_new(p, EXPR_INT, &t);
	if (!e)
		return NULL;
	e->value = negative ? (int64_t)(0 - v) : (int64_t)v;
	if (lexer_advance(p) < 0) {
		expr_free(e);
		return NULL;
	}
	return e;
}

/* NULL or a known symbol. */
static struct expr *parse_symbol(struct parser *p)
{
	struct token t = p->tok;
	char *name = lexer_strdup(p, &t);
	struct expr *e;
	int64_t value;

	if (!name) {
		lexer_oom(p);
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
		lexer_expected(p, &t, "a known symbol");
		return NULL;
	}
	if (e && lexer_advance(p) < 0) {
		expr_free(e);
		return NULL;
	}
	return e;
}

/* "abc" "def" is one string, as in C. */
static struct expr *parse_string(struct parser *p)
{
	struct token t = p->tok;
	char *buf = NULL;
	size_t len = 0;
	struct expr *e;

	while (p->tok.type == T_STRING) {
		if (string_append(p, &p->tok, &buf, &len) < 0 ||
		    lexer_advance(p) < 0) {
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

/* One value: ..., integer, symbol, NULL, string(s), list, struct. */
static struct expr *parse_primary(struct parser *p, int depth)
{
	struct token t = p->tok;
	struct expr *e;

	if (t.type == T_PUNCT && (lexer_is_punct(p, &t, '[') || lexer_is_punct(p, &t, '{')))
		return parse_aggregate(p, depth);
	if (t.type == T_ELLIPSIS) {
		e = expr_new(p, EXPR_ELLIPSIS, &t);
		if (e && lexer_advance(p) < 0) {
			expr_free(e);
			return NULL;
		}
		return e;
	}
	if (lexer_is_punct(p, &t, '-') || t.type == T_INT || t.type == T_HEX)
		return parse_int(p);
	if (t.type == T_WORD)
		return parse_symbol(p);
	if (t.type == T_STRING)
		return parse_string(p);
	lexer_expected(p, &t, "a value");
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
			return lexer_oom(p);
	}
	free(a->symbol);
	a->symbol = sym;
	a->value |= b->value;
	return 0;
}

int expr_need_int(struct parser *p, const struct expr *e, const char *what)
{
	if (e->kind == EXPR_INT)
		return 0;
	return lexer_fail_at(p, e->line, e->column, "expected %s, found %s", what,
		       expr_kind_name(e->kind));
}

/* A value, an OR of integers, and in structs a range "low~high". */
struct expr *expr_parse(struct parser *p, int depth, bool in_struct)
{
	struct expr *e = parse_primary(p, depth), *r;

	while (e && lexer_is_punct(p, &p->tok, '|')) {
		if (expr_need_int(p, e, "an integer before '|'") < 0 || lexer_advance(p) < 0)
			goto fail;
		r = parse_primary(p, depth);
		if (!r)
			goto fail;
		if (expr_need_int(p, r, "an integer after '|'") < 0 ||
		    merge_or(p, e, r) < 0) {
			expr_free(r);
			goto fail;
		}
		expr_free(r);
	}
	if (e && in_struct && lexer_is_punct(p, &p->tok, '~')) {
		struct token high;

		if (expr_need_int(p, e, "an integer before '~'") < 0 || lexer_advance(p) < 0)
			goto fail;
		high = p->tok;
		r = expr_parse(p, depth, false);
		if (!r)
			goto fail;
		if (expr_need_int(p, r, "an integer after '~'") < 0) {
			expr_free(r);
			goto fail;
		}
		if (r->value < e->value) {
			char what[64];

			expr_free(r);
			snprintf(what, sizeof(what), "a range end not below %" PRId64,
				 e->value);
			lexer_expected(p, &high, what);
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
