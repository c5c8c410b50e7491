/* check_pycode.c - the %{ }% evaluator: every operator and statement, Python's integer rules, parse errors at file:line:column, unsupported Python as a SKIP naming it, and what a failed assert says; no root needed. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "pycode.h"
#include "suites.h"

/* Parse text (starting at t.pkt:3:5) and run it with tcpi_snd_cwnd=10. */
static int run(const char *text, char **error)
{
	struct pycode_env *env = pycode_env_new();
	struct pycode *c = NULL;
	int rc;

	ck_assert_ptr_nonnull(env);
	ck_assert_int_eq(pycode_env_set(env, "tcpi_snd_cwnd", 10), 0);
	ck_assert_int_eq(pycode_env_set(env, "TCP_CA_Open", 0), 0);
	rc = pycode_parse("t.pkt", 3, 5, text, &c, error);
	if (rc == 0)
		rc = pycode_run(c, env, error);
	pycode_free(c);
	pycode_env_free(env);
	return rc;
}

/* Each of these holds: an assert of it passes, of "not (it)" fails. */
static const char *const truths[] = {
	"1 + 2 == 3", "7 - 10 == -3", "6 * 7 == 42", "7 // 2 == 3", "-7 // 2 == -4",
	"7 % 3 == 1", "-7 % 3 == 2", "7 % -3 == -2", "0x0f & 0x3c == 0x0c",
	"0x0f | 0x30 == 0x3f", "0x0f ^ 0x3c == 0x33", "1 << 4 == 16", "256 >> 4 == 16",
	"~0 == -1", "-(-3) == +3", "2 + 3 * 4 == 14", "(2 + 3) * 4 == 20",
	"1 | 2 & 0 == 1", "1 != 2", "1 < 2", "2 > 1", "2 <= 2", "2 >= 2",
	"5 <= tcpi_snd_cwnd <= 10", "not 5 <= tcpi_snd_cwnd <= 9",
	"1 and 2", "0 or 3", "not 0", "not (1 and 0)", "True and not False",
	"'a' == 'a'", "'a' != 'b'", "(tcpi_snd_cwnd & 2) != 0",
	"tcpi_snd_cwnd == 10 and TCP_CA_Open == 0",
};

START_TEST(each_operator_follows_python)
{
	char text[256], *error = NULL;

	snprintf(text, sizeof(text), "assert %s", truths[_i]);
	ck_assert_msg(run(text, &error) == 0, "%s: %s", text, error ? error : "?");
	snprintf(text, sizeof(text), "assert not (%s)", truths[_i]);
	ck_assert_int_eq(run(text, &error), STATUS_ERROR);
	free(error);
}
END_TEST

START_TEST(statements_and_names_live_on)
{
	struct pycode_env *env = pycode_env_new();
	struct pycode *a, *b;
	char *error = NULL;

	ck_assert_int_eq(pycode_parse("t.pkt", 1, 1, "cwnd = 10; cwnd += 5 # a comment\n"
				      "cwnd -= 1; cwnd *= 2\nx = \\\n 3\n"
				      "print(cwnd, 'x'); print(x);\\", &a, &error), 0);
	ck_assert_int_eq(pycode_run(a, env, &error), 0);
	ck_assert_int_eq(pycode_parse("t.pkt", 9, 1, "cwnd //= 4; assert cwnd == 7 and "
				      "x == 3, cwnd", &b, &error), 0);
	ck_assert_int_eq(pycode_run(b, env, &error), 0);
	pycode_free(a);
	pycode_free(b);
	pycode_env_free(env);
}
END_TEST

static const struct {
	const char *text;
	const char *message;
} failures[] = {
	{ "assert tcpi_snd_cwnd == 11, tcpi_snd_cwnd",
	  "%{ }% line 3: assert tcpi_snd_cwnd == 11: expected true vs actual false "
	  "(tcpi_snd_cwnd=10; message: 10)" },
	{ "\n\nassert tcpi_snd_cwnd + 1 == tcpi_snd_cwnd, 'cwnd=%d got %s' % (tcpi_snd_cwnd, 'x')",
	  "%{ }% line 5: assert tcpi_snd_cwnd + 1 == tcpi_snd_cwnd: expected true vs "
	  "actual false (tcpi_snd_cwnd=10; message: cwnd=10 got x)" },
	{ "assert 1 == 2", "%{ }% line 3: assert 1 == 2: expected true vs actual false" },
	{ "assert nosuch == 1", "%{ }% line 3: name 'nosuch' is not defined" },
	{ "y += 1", "%{ }% line 3: name 'y' is not defined" },
	{ "assert 1 // 0", "%{ }% line 3: division by zero" },
	{ "assert 'a' < 1", "%{ }% line 3: '<' between a string and an integer" },
	{ "assert 9223372036854775807 + 1", "%{ }% line 3: integer overflow (beyond 64 bits)" },
};

START_TEST(a_failure_says_what_and_the_values)
{
	char *error = NULL;

	ck_assert_int_eq(run(failures[_i].text, &error), STATUS_ERROR);
	ck_assert_str_eq(error, failures[_i].message);
	free(error);
}
END_TEST

static const struct {
	const char *text;
	int status;
	const char *message;
} refused[] = {
	{ "assert (1 +", STATUS_ERROR,
	  "t.pkt:3:16: %{ }%: expected a value, found the end of the block" },
	{ "assert 1\nassert 1 2", STATUS_ERROR,
	  "t.pkt:4:10: %{ }%: expected the end of the statement, found '2'" },
	{ "assert 'abc", STATUS_ERROR,
	  "t.pkt:3:12: %{ }%: expected the string's closing quote, found the end of the line" },
	{ "assert 12ab", STATUS_ERROR,
	  "t.pkt:3:12: %{ }%: expected a number, found a malformed one" },
	{ "if tcpi_snd_cwnd: pass", STATUS_SKIP,
	  "t.pkt:3:5: %{ }%: 'if' is not supported (tcpconf evaluates assert, print "
	  "and integer expressions only)" },
	{ "assert x / 2", STATUS_SKIP,
	  "t.pkt:3:14: %{ }%: '/' (float division; '//' is supported) is not "
	  "supported (tcpconf evaluates assert, print and integer expressions only)" },
	{ "assert 1.5", STATUS_SKIP,
	  "t.pkt:3:12: %{ }%: a float literal is not supported (tcpconf evaluates "
	  "assert, print and integer expressions only)" },
	{ "assert len(x)", STATUS_SKIP,
	  "t.pkt:3:15: %{ }%: calling len() is not supported (tcpconf evaluates "
	  "assert, print and integer expressions only)" },
	{ "assert a[0]", STATUS_SKIP,
	  "t.pkt:3:13: %{ }%: '[' is not supported (tcpconf evaluates assert, "
	  "print and integer expressions only)" },
	{ "import os", STATUS_SKIP,
	  "t.pkt:3:5: %{ }%: 'import' is not supported (tcpconf evaluates assert, "
	  "print and integer expressions only)" },
	{ "tcpi_snd_cwnd", STATUS_SKIP,
	  "t.pkt:3:5: %{ }%: an expression statement is not supported (tcpconf "
	  "evaluates assert, print and integer expressions only)" },
	{ "print 1", STATUS_SKIP,
	  "t.pkt:3:11: %{ }%: print without parentheses is not supported "
	  "(tcpconf evaluates assert, print and integer expressions only)" },
};

START_TEST(bad_or_unsupported_python_is_named_where_it_is)
{
	struct pycode *c = (struct pycode *)1;
	char *error = NULL;

	ck_assert_int_eq(pycode_parse("t.pkt", 3, 5, refused[_i].text, &c, &error),
			 refused[_i].status);
	ck_assert_ptr_null(c);
	ck_assert_str_eq(error, refused[_i].message);
	free(error);
}
END_TEST

Suite *pycode_suite(void)
{
	Suite *s = suite_create("pycode");
	TCase *tc = tcase_create("evaluate");

	tcase_add_loop_test(tc, each_operator_follows_python, 0,
			    sizeof(truths) / sizeof(truths[0]));
	tcase_add_test(tc, statements_and_names_live_on);
	tcase_add_loop_test(tc, a_failure_says_what_and_the_values, 0,
			    sizeof(failures) / sizeof(failures[0]));
	tcase_add_loop_test(tc, bad_or_unsupported_python_is_named_where_it_is, 0,
			    sizeof(refused) / sizeof(refused[0]));
	suite_add_tcase(s, tc);
	return s;
}
