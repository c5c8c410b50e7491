/* expr.h - the expressions of system call lines (integers, symbols, strings, lists, structs, ranges), parsed into struct expr trees. */
#ifndef TCPCONF_EXPR_H
#define TCPCONF_EXPR_H

#include <stdbool.h>

#include "lexer.h"
#include "script.h"

/* A value, an OR of integers, and in structs a range "low~high", from the
 * current token on; depth counts the lists and structs around it.  The
 * caller owns the tree (expr_free); NULL after an error. */
struct expr *expr_parse(struct parser *p, int depth, bool in_struct);

/* Append item to list->items, which then owns it; -1 when out of memory
 * (the caller still owns item). */
int expr_push(struct parser *p, struct expr *list, struct expr *item);

/* 0 when e is an integer, else "expected WHAT, found <kind>" at e. */
int expr_need_int(struct parser *p, const struct expr *e, const char *what);

/* "an integer", "a string", ... for messages; a static string. */
const char *expr_kind_name(enum expr_kind kind);

void expr_free(struct expr *e);

#endif
