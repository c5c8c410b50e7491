/* check_lexer.c - the tokens of the dialect through script_parse: comments, line ends, lengths that end mid-token, unterminated constructs and how found text is quoted. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "script.h"
#include "script_test.h"
#include "suites.h"

START_TEST(comments_and_blank_lines_are_skipped)
{
	struct script *s = ok("// a line comment\n"
			      "\n"
			      "/* a block\n   comment */ 0 close(3) = 0 // trailing\n"
			      "   \t\n"
			      "+0 /* inside */ close(4) /* a */ = /* b */ 0 /* a comment\n"
			      "ends a line when it spans one */ +0 close(5) = 0\n"
			      "// last line without newline");
	const struct event *ev;

	ck_assert_uint_eq(script_event_count(s), 3);
	ck_assert_int_eq(script_event(s, 2)->line, 7);
	ck_assert_int_eq(script_event(s, 2)->column, 34);
	ev = script_event(s, 0);
	ck_assert_int_eq(ev->line, 4);
	ck_assert_int_eq(ev->column, 15);
	ck_assert_str_eq(ev->u.syscall.name, "close");
	ev = script_event(s, 1);
	ck_assert_int_eq(ev->line, 6);
	ck_assert_int_eq(ev->column, 1);
	ck_assert_int_eq(ev->u.syscall.args[0]->value, 4);
	script_free(s);
}
END_TEST

START_TEST(crlf_line_endings_are_accepted)
{
	struct script *s = ok("0 close(3) = 0\r\n+0 > F. 1:1(0) ack 1\r\n");

	ck_assert_uint_eq(script_event_count(s), 2);
	ck_assert_int_eq(script_event(s, 1)->line, 2);
	ck_assert_int_eq(script_event(s, 1)->u.packet.flags, TCPF_FIN | TCPF_ACK);
	script_free(s);
}
END_TEST

/* The parser stops at len even when the bytes after it would continue the line. */
START_TEST(text_beyond_len_is_never_read)
{
	static const char text[] = "0 close(3) = 0\n+0 bogus line";
	struct script *s = NULL;
	char *error = NULL;

	ck_assert_int_eq(parse_exact(text, 15, &s, &error), STATUS_OK);
	ck_assert_uint_eq(script_event_count(s), 1);
	script_free(s);

	/* cut inside every token of a line: an error or a shorter script, never a crash */
	for (size_t len = 0; len < strlen(text); len++) {
		error = NULL;
		s = NULL;
		if (parse_exact(text, len, &s, &error) == STATUS_OK)
			script_free(s);
		else
			free(error);
	}
	error = NULL;
	ck_assert_int_eq(parse_exact(text, 13, &s, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "t.pkt:1:14: expected an integer result, found end of file");
	free(error);
}
END_TEST

START_TEST(nul_bytes_are_errors_not_terminators)
{
	static const char text[] = "0 close(3) = 0\n\0+0 close(4) = 0\n";
	struct script *s = NULL;
	char *error = NULL;

	ck_assert_int_eq(parse_exact(text, sizeof(text) - 1, &s, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "t.pkt:2:1: expected a time (0.1, +0.1 or *), found '\\x00'");
	free(error);
}
END_TEST

/* A string or command becomes a C string: a NUL inside would cut it short unseen. */
START_TEST(nul_bytes_inside_strings_and_commands_are_errors)
{
	static const char str[] = "0 write(4, \"ab\0c\", 3) = 3\n";
	static const char esc[] = "0 write(4, \"a\\\0\", 2) = 2\n";
	static const char cmd[] = "`sysctl net.a=1\0;reboot`\n0 close(3) = 0\n";
	struct script *s = NULL;
	char *error = NULL;

	ck_assert_int_eq(parse_exact(str, sizeof(str) - 1, &s, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "t.pkt:1:15: expected a string without NUL bytes, found '\\x00'");
	free(error);
	error = NULL;
	ck_assert_int_eq(parse_exact(esc, sizeof(esc) - 1, &s, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "t.pkt:1:15: expected a string without NUL bytes, found '\\x00'");
	free(error);
	error = NULL;
	ck_assert_int_eq(parse_exact(cmd, sizeof(cmd) - 1, &s, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "t.pkt:1:16: expected a command without NUL bytes, found '\\x00'");
	free(error);
}
END_TEST

static const struct parse_error lexer_errors[] = {
	/* times and option values */
	{ "+0.1234567 close(3) = 0\n",
	  "t.pkt:1:2: expected a time with at most 6 decimal places, found '0.1234567'" },
	{ "1000001 close(3) = 0\n",
	  "t.pkt:1:1: expected a time of at most 1000000 seconds, found '1000001'" },
	{ "99999999999999999999999 close(3) = 0\n",
	  "t.pkt:1:1: expected a time of at most 1000000 seconds, found '99999999999999999999999'" },
	{ "+ close(3) = 0\n", "t.pkt:1:3: expected time, found 'close'" },
	{ "--x=\"abc\n", "t.pkt:1:9: expected '\"' closing the option value, found end of line" },
	/* unterminated things: reported where they start */
	{ "0 close(3) = 0\n/* never closed\n+0 close(4) = 0\n",
	  "t.pkt:2:1: expected '*/' closing this comment, found end of file" },
	{ "0 close(3) = 0 /*/", "t.pkt:1:16: expected '*/' closing this comment, found end of file" },
	{ "0 write(3, \"abc, 3) = 3\n",
	  "t.pkt:1:12: expected '\"' closing this string, found end of file" },
	{ "0 write(3, \"abc\\", "t.pkt:1:12: expected '\"' closing this string, found end of file" },
	{ "0 `sysctl -q x=1\n", "t.pkt:1:3: expected '`' closing this command, found end of file" },
	{ "0 %{ print(1)\n}", "t.pkt:1:3: expected '}%' closing this code block, found end of file" },
};

START_TEST(lexer_errors_give_exact_messages)
{
	fails(lexer_errors[_i].text, lexer_errors[_i].message);
}
END_TEST

START_TEST(found_text_is_quoted_short_and_printable)
{
	fails("0 close(3) = 0 aVeryLongWordThatGoesOnAndOnAndOnAndOnAndOnForeverAndEver\n",
	      "t.pkt:1:16: expected an errno name, found "
	      "'aVeryLongWordThatGoesOnAndOnAndOnAndOnAn...'");
	fails("0 close(3) = 0 \xff\n", "t.pkt:1:16: expected end of line, found '\\xff'");
	fails("0 close(3) = 0 \"two\nlines\"\n",
	      "t.pkt:1:16: expected end of line, found '\"two...'");
}
END_TEST

/* ---- input that ends inside a construct ---- */

/* Text that stops mid-token: each byte of the end is looked at with len, not a NUL. */
static const struct {
	const char *text;
	size_t len;
	bool parses;
} truncated[] = {
	{ "0 f({a=1~", 9, false },
	{ "0 <", 3, false },
	{ "/*", 2, false },
	{ "/*/", 3, false },
	{ "%{}", 3, false },
	{ "%{}%", 4, true },
	{ "--", 2, false },
	{ "\"\\", 2, false },
	{ "0 f(\"\\x", 7, false },
	{ "0 f() = -1 EPIPE (", 18, false },
};

START_TEST(truncated_inputs_end_cleanly)
{
	struct script *s = NULL;
	char *error = NULL;
	int rc = parse_exact(truncated[_i].text, truncated[_i].len, &s, &error);

	ck_assert_msg((rc == STATUS_OK) == truncated[_i].parses, "%s",
		      error ? error : "parsed");
	if (rc == STATUS_OK) {
		ck_assert_ptr_null(error);
		script_free(s);
	} else {
		ck_assert_ptr_null(s);
		ck_assert_ptr_nonnull(error);
		ck_assert(!strncmp(error, "t.pkt:", 6));
		free(error);
	}
}
END_TEST

Suite *lexer_suite(void)
{
	Suite *s = suite_create("lexer");
	TCase *tc = tcase_create("tokens");

	tcase_add_test(tc, comments_and_blank_lines_are_skipped);
	tcase_add_test(tc, crlf_line_endings_are_accepted);
	tcase_add_test(tc, text_beyond_len_is_never_read);
	tcase_add_test(tc, nul_bytes_are_errors_not_terminators);
	tcase_add_test(tc, nul_bytes_inside_strings_and_commands_are_errors);
	tcase_add_loop_test(tc, lexer_errors_give_exact_messages, 0,
			    sizeof(lexer_errors) / sizeof(lexer_errors[0]));
	tcase_add_test(tc, found_text_is_quoted_short_and_printable);
	tcase_add_loop_test(tc, truncated_inputs_end_cleanly, 0,
			    sizeof(truncated) / sizeof(truncated[0]));
	suite_add_tcase(s, tc);
	return s;
}
