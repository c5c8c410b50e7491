/* check_expr.c - the arguments of system call lines: every kind of expression, structs and ranges, strings, and each error's exact message. */
#include <check.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "script.h"
#include "script_test.h"
#include "suites.h"

START_TEST(syscall_arguments_of_every_kind)
{
	struct script *s = ok("+0 f(..., 42, 0x10, -1, -0x20, SO_LINGER, NULL, \"a\\tb\\\"\", "
			      "[1], [], [1, 2], {l_onoff=1, l_linger=0}, {}, "
			      "O_RDWR|O_NONBLOCK, 1|2, 9223372036854775807, "
			      "-9223372036854775808) = 0\n");
	const struct event *ev = only(s);
	const struct expr *e;

	ck_assert_str_eq(ev->u.syscall.name, "f");
	ck_assert_uint_eq(ev->u.syscall.nargs, 17);
	ck_assert_int_eq(arg(ev, 0)->kind, EXPR_ELLIPSIS);
	ck_assert_int_eq(arg(ev, 0)->column, 6);
	ck_assert_int_eq(arg(ev, 1)->kind, EXPR_INT);
	ck_assert_int_eq(arg(ev, 1)->value, 42);
	ck_assert_ptr_null(arg(ev, 1)->symbol);
	ck_assert_int_eq(arg(ev, 2)->value, 16);
	ck_assert_int_eq(arg(ev, 3)->value, -1);
	ck_assert_int_eq(arg(ev, 4)->value, -32);
	e = arg(ev, 5);
	ck_assert_int_eq(e->kind, EXPR_INT);
	ck_assert_int_eq(e->value, SO_LINGER);
	ck_assert_str_eq(e->symbol, "SO_LINGER");
	ck_assert_int_eq(e->line, 1);
	ck_assert_int_eq(e->column, 32);
	ck_assert_int_eq(arg(ev, 6)->kind, EXPR_NULL);
	ck_assert_int_eq(arg(ev, 7)->kind, EXPR_STRING);
	ck_assert_str_eq(arg(ev, 7)->string, "a\tb\"");
	e = arg(ev, 8);
	ck_assert_int_eq(e->kind, EXPR_LIST);
	ck_assert_uint_eq(e->nitems, 1);
	ck_assert_int_eq(e->items[0]->value, 1);
	ck_assert_int_eq(arg(ev, 9)->kind, EXPR_LIST);
	ck_assert_uint_eq(arg(ev, 9)->nitems, 0);
	ck_assert_uint_eq(arg(ev, 10)->nitems, 2);
	ck_assert_int_eq(arg(ev, 10)->items[1]->value, 2);
	e = arg(ev, 11);
	ck_assert_int_eq(e->kind, EXPR_STRUCT);
	ck_assert_uint_eq(e->nitems, 2);
	ck_assert_str_eq(e->items[0]->field, "l_onoff");
	ck_assert_int_eq(e->items[0]->value, 1);
	ck_assert_str_eq(e->items[1]->field, "l_linger");
	ck_assert_int_eq(e->items[1]->value, 0);
	ck_assert_int_eq(arg(ev, 12)->kind, EXPR_STRUCT);
	ck_assert_uint_eq(arg(ev, 12)->nitems, 0);
	e = arg(ev, 13);
	ck_assert_int_eq(e->kind, EXPR_INT);
	ck_assert_int_eq(e->value, O_RDWR | O_NONBLOCK);
	ck_assert_str_eq(e->symbol, "O_RDWR|O_NONBLOCK");
	ck_assert_int_eq(arg(ev, 14)->value, 3);
	ck_assert_ptr_null(arg(ev, 14)->symbol);
	ck_assert_int_eq(arg(ev, 15)->value, INT64_MAX);
	ck_assert_int_eq(arg(ev, 16)->value, INT64_MIN);
	ck_assert_int_eq(ev->u.syscall.result->kind, EXPR_INT);
	ck_assert_int_eq(ev->u.syscall.result->value, 0);
	ck_assert_int_eq(ev->u.syscall.errno_value, 0);
	ck_assert_ptr_null(ev->u.syscall.errno_name);
	ck_assert(!ev->u.syscall.blocking);
	script_free(s);
}
END_TEST

START_TEST(struct_items_may_be_ranges_unnamed_or_nested)
{
	struct script *s = ok("+0 tcp_diag(..., {idiag_state=TCP_TIME_WAIT, idiag_timer=3, "
			      "idiag_expires=55000~60000}) = 0\n"
			      "+0 writev(4, [{iov_base=..., iov_len=10}, {..., 20}], 2) = 30\n"
			      "+0 f({a={b=[1, {c=SHUT_WR|1}]}}) = 0\n");
	const struct event *ev = script_event(s, 0);
	const struct expr *e = arg(ev, 1), *f;

	ck_assert_uint_eq(ev->u.syscall.nargs, 2);
	ck_assert_int_eq(e->kind, EXPR_STRUCT);
	ck_assert_uint_eq(e->nitems, 3);
	ck_assert_str_eq(e->items[0]->field, "idiag_state");
	ck_assert_int_eq(e->items[0]->value, 6);
	ck_assert_str_eq(e->items[0]->symbol, "TCP_TIME_WAIT");
	f = e->items[2];
	ck_assert_str_eq(f->field, "idiag_expires");
	ck_assert_int_eq(f->kind, EXPR_RANGE);
	ck_assert_int_eq(f->value, 55000);
	ck_assert_int_eq(f->high, 60000);

	ev = script_event(s, 1);
	e = arg(ev, 1);
	ck_assert_int_eq(e->kind, EXPR_LIST);
	ck_assert_uint_eq(e->nitems, 2);
	ck_assert_int_eq(e->items[0]->kind, EXPR_STRUCT);
	ck_assert_str_eq(e->items[0]->items[0]->field, "iov_base");
	ck_assert_int_eq(e->items[0]->items[0]->kind, EXPR_ELLIPSIS);
	ck_assert_int_eq(e->items[0]->items[1]->value, 10);
	ck_assert_ptr_null(e->items[1]->items[0]->field);
	ck_assert_int_eq(e->items[1]->items[0]->kind, EXPR_ELLIPSIS);
	ck_assert_ptr_null(e->items[1]->items[1]->field);
	ck_assert_int_eq(e->items[1]->items[1]->value, 20);

	e = arg(script_event(s, 2), 0);
	f = e->items[0]->items[0]->items[1]->items[0];
	ck_assert_str_eq(f->field, "c");
	ck_assert_int_eq(f->value, SHUT_WR | 1);
	ck_assert_str_eq(f->symbol, "SHUT_WR|1");
	script_free(s);
}
END_TEST

START_TEST(strings_unescape_and_concatenate)
{
	struct script *s = ok("+0 write(4, \"a\\n\" \"b\\\\c\\x41\\'\", 7) = 7\n"
			      "+0 write(4, \"\", 0) = 0\n");

	ck_assert_str_eq(arg(script_event(s, 0), 1)->string, "a\nb\\cA'");
	ck_assert_str_eq(arg(script_event(s, 1), 1)->string, "");
	script_free(s);
}
END_TEST

static const struct parse_error expr_errors[] = {
	/* values, lists, structs, ranges, flags and strings */
	{ "0 setsockopt(3, SOL_SOCKET, SO_NOSUCH, [1], 4) = 0\n",
	  "t.pkt:1:29: expected a known symbol, found 'SO_NOSUCH'" },
	{ "0 f(99999999999999999999) = 0\n",
	  "t.pkt:1:5: expected an integer that fits in 64 bits, found '99999999999999999999'" },
	{ "0 f(9223372036854775808) = 0\n",
	  "t.pkt:1:5: expected an integer that fits in 64 bits, found '9223372036854775808'" },
	{ "0 f(-9223372036854775809) = 0\n",
	  "t.pkt:1:6: expected an integer that fits in 64 bits, found '9223372036854775809'" },
	{ "0 f(-x) = 0\n", "t.pkt:1:6: expected an integer, found 'x'" },
	{ "0 f(0.5) = 0\n", "t.pkt:1:5: expected a value, found '0.5'" },
	{ "0 f(#) = 0\n", "t.pkt:1:5: expected a value, found '#'" },
	{ "0 f(\x01) = 0\n", "t.pkt:1:5: expected a value, found '\\x01'" },
	{ "0 f([1, 2) = 0\n", "t.pkt:1:10: expected ',' or ']', found ')'" },
	{ "0 f({a=1 b=2}) = 0\n", "t.pkt:1:10: expected ',' or '}', found 'b'" },
	{ "0 f({a=1~}) = 0\n", "t.pkt:1:10: expected a value, found '}'" },
	{ "0 f({a=5~4}) = 0\n", "t.pkt:1:10: expected a range end not below 5, found '4'" },
	{ "0 f({a=\"x\"~4}) = 0\n", "t.pkt:1:8: expected an integer before '~', found a string" },
	{ "0 f(\"a\" | 1) = 0\n", "t.pkt:1:5: expected an integer before '|', found a string" },
	{ "0 f(1 | [2]) = 0\n", "t.pkt:1:9: expected an integer after '|', found a list" },
	{ "0 f(\"a\\q\") = 0\n",
	  "t.pkt:1:7: expected an escape sequence (\\n \\t \\r \\\\ \\\" \\' \\xHH, not NUL), found '\\q'" },
	{ "0 f(\"a\\x4\") = 0\n",
	  "t.pkt:1:7: expected an escape sequence (\\n \\t \\r \\\\ \\\" \\' \\xHH, not NUL), found '\\x4'" },
	{ "0 f(\"line\none\\z\") = 0\n",
	  "t.pkt:2:4: expected an escape sequence (\\n \\t \\r \\\\ \\\" \\' \\xHH, not NUL), found '\\z'" },
	/* a NUL would end the C string the call gets, unseen (issue #9) */
	{ "0 write(4, \"ab\\0cd\", 5) = 5\n",
	  "t.pkt:1:15: expected an escape sequence (\\n \\t \\r \\\\ \\\" \\' \\xHH, not NUL), found '\\0'" },
	{ "0 write(4, \"ab\\x00\", 3) = 3\n",
	  "t.pkt:1:15: expected an escape sequence (\\n \\t \\r \\\\ \\\" \\' \\xHH, not NUL), found '\\x00'" },
	{ "0 f([[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]) = 0\n",
	  "t.pkt:1:37: expected at most 32 nested lists or structs, found '['" },
};

START_TEST(expr_errors_give_exact_messages)
{
	fails(expr_errors[_i].text, expr_errors[_i].message);
}
END_TEST

Suite *expr_suite(void)
{
	Suite *s = suite_create("expr");
	TCase *tc = tcase_create("arguments");

	tcase_add_test(tc, syscall_arguments_of_every_kind);
	tcase_add_test(tc, struct_items_may_be_ranges_unnamed_or_nested);
	tcase_add_test(tc, strings_unescape_and_concatenate);
	tcase_add_loop_test(tc, expr_errors_give_exact_messages, 0,
			    sizeof(expr_errors) / sizeof(expr_errors[0]));
	suite_add_tcase(s, tc);
	return s;
}
