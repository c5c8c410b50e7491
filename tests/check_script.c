/* check_script.c - the script as a whole: events, options, times, results, commands and code, the errors of lines, and the catalogue parsing (tokens, arguments and packet lines have their own suites). */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "define.h"
#include "error.h"
#include "script.h"
#include "script_test.h"
#include "suites.h"

/* ---- events and span ---- */

START_TEST(span_covers_ranges_and_blocking_returns)
{
	struct script *s = ok("0 close(3) = 0\n"
			      "+.1 < . 1:1(0) ack 1 win 100\n"
			      "+.04~+.05 > . 1:1(0) ack 1\n"		/* ends at 0.15 */
			      "* > F. 1:1(0) ack 1\n"			/* takes no time */
			      "+0...0.3 read(4, ..., 10) = 0\n");	/* returns at 0.44 */

	ck_assert_int_eq(script_span_usecs(s), 440000);
	script_free(s);
	s = ok("0.5 close(3) = 0\n0.2~0.9 close(4) = 0\n");
	ck_assert_int_eq(script_span_usecs(s), 900000);
	script_free(s);
}
END_TEST

/* Nothing to run would PASS without testing anything (issue #9). */
START_TEST(empty_and_comment_only_scripts_are_errors)
{
	fails("", "t.pkt:1:1: expected at least one event (a packet, a system "
	      "call or a command), found end of file");
	fails("// nothing\n/* at all */\n", "t.pkt:3:1: expected at least one "
	      "event (a packet, a system call or a command), found end of file");
	fails("--ip_version=ipv4\n", "t.pkt:2:1: expected at least one event "
	      "(a packet, a system call or a command), found end of file");
}
END_TEST
/* ---- options ---- */

START_TEST(options_keep_name_value_and_position)
{
	struct script *s = ok("// options first\n"
			      "--tolerance_usecs=10000\n"
			      "  --ip_version=ipv4 --verbose\n"
			      "--define=\"A=a b\"\n"
			      "0 close(3) = 0\n");
	const struct script_option *o;

	ck_assert_uint_eq(script_option_count(s), 4);
	o = script_option(s, 0);
	ck_assert_str_eq(o->name, "tolerance_usecs");
	ck_assert_str_eq(o->value, "10000");
	ck_assert_int_eq(o->line, 2);
	ck_assert_int_eq(o->column, 1);
	o = script_option(s, 1);
	ck_assert_str_eq(o->name, "ip_version");
	ck_assert_str_eq(o->value, "ipv4");
	ck_assert_int_eq(o->line, 3);
	ck_assert_int_eq(o->column, 3);
	o = script_option(s, 2);
	ck_assert_str_eq(o->name, "verbose");
	ck_assert_ptr_null(o->value);
	o = script_option(s, 3);
	ck_assert_str_eq(o->value, "A=a b");
	ck_assert_ptr_null(script_option(s, 4));
	ck_assert_uint_eq(script_event_count(s), 1);
	script_free(s);
}
END_TEST

START_TEST(option_find_returns_the_last_one)
{
	struct script *s = ok("--ip_version=ipv4\n--ip_version=ipv6\n0 close(3) = 0\n");

	ck_assert_str_eq(script_option_find(s, "ip_version")->value, "ipv6");
	ck_assert_int_eq(script_option_find(s, "ip_version")->line, 2);
	ck_assert_ptr_null(script_option_find(s, "tolerance_usecs"));
	script_free(s);
}
END_TEST

/* ---- times ---- */

static const struct {
	const char *time;
	enum time_type type;
	int64_t usecs;
	bool is_range;
	int64_t end_usecs;
} times[] = {
	{ "0.100", TIME_ABSOLUTE, 100000, false, 0 },
	{ "+0.040", TIME_RELATIVE, 40000, false, 0 },
	{ "+.1", TIME_RELATIVE, 100000, false, 0 },
	{ "2", TIME_ABSOLUTE, 2000000, false, 0 },
	{ "0", TIME_ABSOLUTE, 0, false, 0 },
	{ "0.3", TIME_ABSOLUTE, 300000, false, 0 },	/* 0.3 * 1e6 is 299999.99... */
	{ "1.000001", TIME_ABSOLUTE, 1000001, false, 0 },
	{ "0.000001", TIME_ABSOLUTE, 1, false, 0 },
	{ "4.35", TIME_ABSOLUTE, 4350000, false, 0 },
	{ "+1000000.999999", TIME_RELATIVE, 1000000999999LL, false, 0 },
	{ "*", TIME_ANY, 0, false, 0 },
	{ "0.1~0.2", TIME_ABSOLUTE, 100000, true, 200000 },
	{ "+0~+0.05", TIME_RELATIVE, 0, true, 50000 },
	{ "+0.03~+0.05", TIME_RELATIVE, 30000, true, 50000 },
	{ "+.04 ~ +.05", TIME_RELATIVE, 40000, true, 50000 },
	{ "1~1", TIME_ABSOLUTE, 1000000, true, 1000000 },
};

START_TEST(time_specs_convert_exactly_to_usecs)
{
	char text[128];
	struct script *s;
	const struct event *ev;

	snprintf(text, sizeof(text), "%s > . 1:1(0) ack 1\n", times[_i].time);
	s = ok(text);
	ev = only(s);
	ck_assert(ev->has_time);
	ck_assert_int_eq(ev->time.type, times[_i].type);
	ck_assert_int_eq(ev->time.usecs, times[_i].usecs);
	ck_assert_int_eq(ev->time.is_range, times[_i].is_range);
	ck_assert_int_eq(ev->time.end_usecs, times[_i].end_usecs);
	script_free(s);
}
END_TEST

START_TEST(blocking_calls_keep_their_end_time)
{
	struct script *s = ok("0.1...0.25 read(4, ..., 10) = 10\n"
			      "+0...+0.3 read(4, ..., 10) = 10\n"
			      "+0...0.3 accept(3, ..., ...) = 4\n"
			      "+0.1...+0.3 read(4, ..., 10) = 10\n"
			      "+0.1...0.3 read(4, ..., 10) = 10\n"
			      "+0 read(4, ..., 10) = 10\n");
	const struct syscall_event *sc;
	const struct event *ev;

	ev = script_event(s, 0);
	sc = &ev->u.syscall;
	ck_assert(sc->blocking);
	ck_assert_int_eq(ev->time.type, TIME_ABSOLUTE);
	ck_assert_int_eq(ev->time.usecs, 100000);
	ck_assert_int_eq(sc->end.type, TIME_ABSOLUTE);
	ck_assert_int_eq(sc->end.usecs, 250000);
	ck_assert(!sc->end.is_range);

	for (size_t i = 1; i <= 2; i++) {
		ev = script_event(s, i);
		ck_assert(ev->u.syscall.blocking);
		ck_assert_int_eq(ev->time.type, TIME_RELATIVE);
		ck_assert_int_eq(ev->time.usecs, 0);
		ck_assert_int_eq(ev->u.syscall.end.type, TIME_RELATIVE);
		ck_assert_int_eq(ev->u.syscall.end.usecs, 300000);
	}
	/* both ends count from the previous event (packetdrill) and are
	 * stored as written */
	for (size_t i = 3; i <= 4; i++) {
		ev = script_event(s, i);
		ck_assert_int_eq(ev->time.usecs, 100000);
		ck_assert_int_eq(ev->u.syscall.end.type, TIME_RELATIVE);
		ck_assert_int_eq(ev->u.syscall.end.usecs, 300000);
	}
	ck_assert(!script_event(s, 5)->u.syscall.blocking);
	script_free(s);
}
END_TEST

START_TEST(results_errnos_and_notes)
{
	struct script *s = ok("+0 read(4, ..., 100) = -1 ECONNRESET (Connection reset by peer)\n"
			      "+0 write(4, ..., 5) = -1 EPIPE\n"
			      "+0 fcntl(4, F_GETFL) = 0x802 (flags O_RDWR|O_NONBLOCK)\n"
			      "+0 connect(4, ..., ...) = -1 EINPROGRESS (Operation (now) in progress)\n"
			      "+0 send(4, ..., 1, 0) = -1 EWOULDBLOCK\n"
			      "+0 fork() = 0\n"
			      "+0 child_exit() = O_NONBLOCK\n");
	const struct syscall_event *sc;

	sc = &script_event(s, 0)->u.syscall;
	ck_assert_int_eq(sc->result->value, -1);
	ck_assert_int_eq(sc->errno_value, ECONNRESET);
	ck_assert_str_eq(sc->errno_name, "ECONNRESET");
	sc = &script_event(s, 1)->u.syscall;
	ck_assert_int_eq(sc->errno_value, EPIPE);
	ck_assert_str_eq(sc->errno_name, "EPIPE");
	sc = &script_event(s, 2)->u.syscall;
	ck_assert_int_eq(sc->result->value, 0x802);
	ck_assert_int_eq(sc->errno_value, 0);
	ck_assert_ptr_null(sc->errno_name);
	sc = &script_event(s, 3)->u.syscall;
	ck_assert_int_eq(sc->errno_value, EINPROGRESS);
	sc = &script_event(s, 4)->u.syscall;
	ck_assert_int_eq(sc->errno_value, EAGAIN);
	ck_assert_str_eq(sc->errno_name, "EWOULDBLOCK");
	sc = &script_event(s, 5)->u.syscall;
	ck_assert_str_eq(sc->name, "fork");
	ck_assert_uint_eq(sc->nargs, 0);
	ck_assert_ptr_null(sc->args);
	sc = &script_event(s, 6)->u.syscall;
	ck_assert_int_eq(sc->result->value, O_NONBLOCK);
	ck_assert_str_eq(sc->result->symbol, "O_NONBLOCK");
	script_free(s);
}
END_TEST

/* ---- commands and code ---- */

START_TEST(commands_with_and_without_time)
{
	struct script *s = ok("`sysctl -q net.ipv4.tcp_timestamps=0`\n"
			      "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
			      "+0.5 `sysctl -w net.ipv4.tcp_sack=0 \\` x`\n"
			      "  `echo 'multi\nline'`\n");
	const struct event *ev;

	ck_assert_uint_eq(script_event_count(s), 4);
	ev = script_event(s, 0);
	ck_assert_int_eq(ev->type, EVENT_COMMAND);
	ck_assert(!ev->has_time);
	ck_assert_str_eq(ev->u.command, "sysctl -q net.ipv4.tcp_timestamps=0");
	ck_assert_int_eq(ev->line, 1);
	ck_assert_int_eq(ev->column, 1);
	ev = script_event(s, 2);
	ck_assert_int_eq(ev->type, EVENT_COMMAND);
	ck_assert(ev->has_time);
	ck_assert_int_eq(ev->time.type, TIME_RELATIVE);
	ck_assert_int_eq(ev->time.usecs, 500000);
	ck_assert_str_eq(ev->u.command, "sysctl -w net.ipv4.tcp_sack=0 \\` x");
	ev = script_event(s, 3);
	ck_assert_int_eq(ev->line, 4);
	ck_assert_int_eq(ev->column, 3);
	ck_assert_str_eq(ev->u.command, "echo 'multi\nline'");
	script_free(s);
}
END_TEST

START_TEST(code_blocks_span_lines)
{
	struct script *s = ok("0 close(3) = 0\n"
			      "+0 %{\n"
			      "assert tcpi_rto == 200000, tcpi_rto\n"
			      "}%\n"
			      "%{ print(1) }%\n"
			      "+0 close(4) = 0\n");
	const struct event *ev;

	ck_assert_uint_eq(script_event_count(s), 4);
	ev = script_event(s, 1);
	ck_assert_int_eq(ev->type, EVENT_CODE);
	ck_assert(ev->has_time);
	ck_assert_str_eq(ev->u.code, "assert tcpi_rto == 200000, tcpi_rto");
	ev = script_event(s, 2);
	ck_assert_int_eq(ev->type, EVENT_CODE);
	ck_assert(!ev->has_time);
	ck_assert_str_eq(ev->u.code, "print(1)");
	ck_assert_int_eq(script_event(s, 3)->line, 6);
	script_free(s);
}
END_TEST

/* ---- errors ---- */

static const struct parse_error errors[] = {
	/* syntax of calls */
	{ "0 socket(..., SOCK_STREAM, IPPROTO_TCP = 3\n",
	  "t.pkt:1:40: expected ',' or ')', found '='" },
	{ "0 close(3) 0\n", "t.pkt:1:12: expected '=', found '0'" },
	{ "0 close\n+0 close(3) = 0\n", "t.pkt:1:8: expected '(', found end of line" },
	{ "0 close(3) =", "t.pkt:1:13: expected an integer result, found end of file" },
	{ "0 close(3) = ...\n", "t.pkt:1:14: expected an integer result, found '...'" },
	{ "0 close(3) = [1]\n", "t.pkt:1:14: expected an integer result, found '['" },
	{ "0 close(3) = -1 ENOSUCH (No such)\n",
	  "t.pkt:1:17: expected an errno name, found 'ENOSUCH'" },
	{ "0 close(3) = 0 EPIPE\n",
	  "t.pkt:1:16: expected end of line (an errno goes with a negative result), found 'EPIPE'" },
	{ "0 close(3) = -1 EPIPE (Broken pipe\n+0 close(4) = 0\n",
	  "t.pkt:1:35: expected ')' closing the note, found end of line" },
	{ "0 close(3) = -1 EPIPE (Broken pipe",
	  "t.pkt:1:35: expected ')' closing the note, found end of file" },
	{ "0 close(3) = -1 EPIPE junk\n", "t.pkt:1:23: expected end of line, found 'junk'" },
	{ "0 close(3) = 0 0 close(4) = 0\n", "t.pkt:1:16: expected end of line, found '0'" },
	{ "close(3) = 0\n", "t.pkt:1:1: expected a time (0.1, +0.1 or *), found 'close'" },
	{ "0 f(1~2) = 0\n", "t.pkt:1:6: expected ',' or ')', found '~'" },
	/* times */
	{ "-1 close(3) = 0\n", "t.pkt:1:1: expected a time (0.1, +0.1 or *), found '-'" },
	{ "0x10 close(3) = 0\n", "t.pkt:1:1: expected a time (0.1, +0.1 or *), found '0x10'" },
	{ "0.2~0.1 > S 0:0(0)\n",
	  "t.pkt:1:5: expected a range end not before its start, found '0.1'" },
	{ "+0.1~0.2 > S 0:0(0)\n",
	  "t.pkt:1:6: expected '+' (a relative range ends relative), found '0.2'" },
	{ "0.1~+0.2 > S 0:0(0)\n",
	  "t.pkt:1:5: expected an absolute time (an absolute range ends absolute), found '+'" },
	{ "0.3...0.2 read(3, ..., 1) = 1\n",
	  "t.pkt:1:7: expected an end time not before the start, found '0.2'" },
	{ "+0.3...+0.2 read(3, ..., 1) = 1\n",
	  "t.pkt:1:9: expected an end time not before the start, found '0.2'" },
	{ "0.1...+0.2 read(3, ..., 1) = 1\n",
	  "t.pkt:1:7: expected an absolute end time after an absolute start, found '+'" },
	{ "0.1... read(3, ..., 1) = 1\n", "t.pkt:1:8: expected time, found 'read'" },
	{ "0.1...0.2 > S 0:0(0)\n",
	  "t.pkt:1:11: expected a system call after a blocking time, found '>'" },
	{ "*...0.2 read(3, ..., 1) = 1\n",
	  "t.pkt:1:2: expected a packet or system call (a blocking call starts at a plain time), found '...'" },
	{ "0 junk\n", "t.pkt:1:7: expected '(', found end of line" },
	{ "0 = 1\n", "t.pkt:1:3: expected a packet, system call or command, found '='" },
	/* options */
	{ "0 close(3) = 0\n--x=1\n",
	  "t.pkt:2:1: expected an event (options go before the first event), found '--x=1'" },
	{ "--x=", "t.pkt:1:5: expected an option value, found end of file" },
	{ "--x=\n", "t.pkt:1:5: expected an option value, found end of line" },
	/* after a code block */
	{ "0 %{ x }% junk\n", "t.pkt:1:11: expected end of line, found 'junk'" },
};

START_TEST(malformed_scripts_give_exact_messages)
{
	fails(errors[_i].text, errors[_i].message);
}
END_TEST

START_TEST(error_pointer_may_be_null)
{
	struct script *s = NULL;

	ck_assert_int_eq(script_parse("t.pkt", "0 f(", 4, &s, NULL), STATUS_ERROR);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(script_parse("t.pkt", "0 f() = 0", 9, &s, NULL), STATUS_OK);
	script_free(s);
	script_free(NULL);
}
END_TEST

START_TEST(huge_input_is_refused_before_reading)
{
	struct script *s = NULL;
	char *error = NULL;

	/* the length is checked before a byte is read: "x" is never overrun */
	ck_assert_int_eq(script_parse("big.pkt", "x", (size_t)64 << 20, &s, &error),
			 STATUS_ERROR);
	ck_assert_ptr_null(s);
	ck_assert_str_eq(error, "big.pkt: script of 67108864 bytes is larger than the "
			 "limit of 1048576");
	free(error);
}
END_TEST

START_TEST(event_count_is_capped)
{
	static const char line[] = "0 f()=0\n";
	size_t n = 65537, len = n * (sizeof(line) - 1);
	char *text = malloc(len), *error = NULL;
	struct script *s = NULL;

	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < n; i++)
		memcpy(text + i * (sizeof(line) - 1), line, sizeof(line) - 1);
	ck_assert_int_eq(script_parse("t.pkt", text, len - (sizeof(line) - 1), &s,
				      &error), STATUS_OK);
	ck_assert_uint_eq(script_event_count(s), 65536);
	script_free(s);
	ck_assert_int_eq(script_parse("t.pkt", text, len, &s, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "t.pkt:65537:1: expected at most 65536 events, found '0'");
	free(error);
	free(text);
}
END_TEST

/* ---- files ---- */

START_TEST(unreadable_files_are_named_with_the_reason)
{
	struct script *s = NULL;
	char *error = NULL;

	ck_assert_int_eq(script_parse_file("tests/scripts/no-such.pkt", &s, &error),
			 STATUS_ERROR);
	ck_assert_ptr_null(s);
	ck_assert_str_eq(error, "tests/scripts/no-such.pkt: No such file or directory");
	free(error);
	error = NULL;
	ck_assert_int_eq(script_parse_file("tests/scripts", &s, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "tests/scripts: Is a directory");
	free(error);
}
END_TEST

START_TEST(oversized_files_are_refused)
{
	char path[] = "/tmp/tcpconf-script-XXXXXX", *error = NULL, *expect = NULL;
	struct script *s = NULL;
	int fd = mkstemp(path);
	FILE *f;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	/* a valid comment line, repeated past 1 MiB */
	for (size_t n = 0; n <= (1 << 20);)
		n += fprintf(f, "// padding, to go past the limit of a script's size\n");
	fclose(f);
	ck_assert_int_eq(script_parse_file(path, &s, &error), STATUS_ERROR);
	unlink(path);
	ck_assert_ptr_null(s);
	ck_assert_int_ge(asprintf(&expect, "%s: larger than the limit of 1048576 bytes",
				  path), 0);
	ck_assert_str_eq(error, expect);
	free(expect);
	free(error);
}
END_TEST

/* The malformed samples in tests/scripts (also fuzz seeds) and their messages. */
static const struct {
	const char *file;
	const char *message;
} bad_samples[] = {
	{ "bad-code.pkt", "expected '}%' closing this code block, found end of file" },
	{ "bad-comment.pkt", "expected '*/' closing this comment, found end of file" },
	{ "bad-errno.pkt", "expected an errno name, found 'ENOSUCH'" },
	{ "bad-empty.pkt", "expected at least one event (a packet, a system call or a command), found end of file" },
	{ "bad-flags.pkt", "expected TCP flags (F S R P . U E W A, or -), found 'SX'" },
	{ "bad-length.pkt", "expected payload length 1000 (end - seq), found '999'" },
	{ "bad-missing-paren.pkt", "expected ',' or ')', found '='" },
	{ "bad-string.pkt", "expected '\"' closing this string, found end of file" },
	{ "bad-symbol.pkt", "expected a known symbol, found 'SO_NOSUCH'" },
	{ "bad-time.pkt", "expected a time with at most 6 decimal places, found '0.1234567'" },
};

static const char *bad_sample_message(const char *file)
{
	for (size_t i = 0; i < sizeof(bad_samples) / sizeof(bad_samples[0]); i++)
		if (!strcmp(bad_samples[i].file, file))
			return bad_samples[i].message;
	return NULL;
}

/* Parse every .pkt under dir (one level of subdirectories); returns the count. */
static size_t parse_tree(const char *dir, bool samples)
{
	struct dirent **list;
	size_t count = 0;
	int n = scandir(dir, &list, NULL, alphasort);

	ck_assert_msg(n >= 0, "%s: %s (tests run from the repository root)", dir,
		      strerror(errno));
	for (int i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		size_t len = strlen(name);
		char path[1024];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (name[0] != '.' && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			count += parse_tree(path, samples);
		} else if (len > 4 && !strcmp(name + len - 4, ".pkt")) {
			const char *want = samples ? bad_sample_message(name) : NULL;
			struct script *s = NULL;
			char *error = NULL;
			int rc = script_parse_file(path, &s, &error);

			if (samples && !strncmp(name, "bad-", 4)) {
				ck_assert_msg(want, "%s: no expected message in the test", path);
				ck_assert_msg(rc == STATUS_ERROR, "%s parsed", path);
				ck_assert_msg(!strncmp(error, path, strlen(path)) &&
					      strstr(error, want),
					      "%s: message '%s' lacks '%s'", path, error, want);
				free(error);
			} else {
				ck_assert_msg(rc == STATUS_OK, "%s", error ? error : path);
				ck_assert_str_eq(script_name(s), path);
				script_free(s);
			}
			count++;
		}
		free(list[i]);
	}
	free(list);
	return count;
}

START_TEST(every_case_in_the_catalogue_parses)
{
	ck_assert_uint_ge(parse_tree("cases", false), 20);
}
END_TEST

START_TEST(sample_scripts_parse_or_fail_as_labelled)
{
	ck_assert_uint_ge(parse_tree("tests/scripts", true), 12);
}
END_TEST

/* The sample with every construct, read from its file: a sanity check of the whole. */
START_TEST(all_constructs_sample_has_the_expected_shape)
{
	static const enum event_type types[] = {
		EVENT_COMMAND, EVENT_SYSCALL, EVENT_SYSCALL, EVENT_SYSCALL,
		EVENT_SYSCALL, EVENT_SYSCALL, EVENT_PACKET, EVENT_PACKET,
		EVENT_PACKET, EVENT_SYSCALL, EVENT_SYSCALL, EVENT_PACKET,
		EVENT_PACKET, EVENT_PACKET, EVENT_PACKET, EVENT_SYSCALL,
		EVENT_SYSCALL, EVENT_SYSCALL, EVENT_SYSCALL, EVENT_SYSCALL,
		EVENT_SYSCALL, EVENT_SYSCALL, EVENT_SYSCALL, EVENT_PACKET,
		EVENT_COMMAND, EVENT_CODE,
	};
	struct script *s = NULL;
	char *error = NULL;

	ck_assert_msg(script_parse_file("tests/scripts/all-constructs.pkt", &s,
					&error) == STATUS_OK, "%s", error);
	ck_assert_uint_eq(script_option_count(s), 3);
	ck_assert_str_eq(script_option_find(s, "tolerance_usecs")->value, "10000");
	ck_assert_uint_eq(script_event_count(s), sizeof(types) / sizeof(types[0]));
	for (size_t i = 0; i < script_event_count(s); i++)
		ck_assert_msg(script_event(s, i)->type == types[i], "event %zu", i);
	ck_assert_int_eq(script_event(s, 14)->time.type, TIME_ANY);
	ck_assert(script_event(s, 15)->u.syscall.blocking);
	script_free(s);
}
END_TEST

/* -D: parse text with definitions defs ("A=1", ..., NULL); *error on failure. */
static int parse_defined(const char *text, const char *const *defs, struct script **s,
			 char **error)
{
	struct define_list *d = define_list_new();
	int rc;

	for (size_t i = 0; defs[i]; i++)
		ck_assert_int_eq(define_list_set(d, defs[i], false, NULL), STATUS_OK);
	rc = script_parse_defined("t.pkt", text, strlen(text), d, s, error);
	define_list_free(d);
	return rc;
}

/* packetdrill replaces whole words: symbols, numbers, call names; never strings, commands, code or comments. */
START_TEST(defined_words_are_replaced_where_packetdrill_replaces_them)
{
	static const char *const defs[] = {
		"LEVEL=SOL_SOCKET", "N=4", "HEXN=0x10", "CALL=close", "MSG=\"hi\"", "CMD=`true`", NULL,
	};
	const struct event *ev;
	struct script *s;
	char *error = NULL;

	ck_assert_msg(parse_defined("0 setsockopt(3, LEVEL, SO_REUSEADDR, [1], N) = 0\n"
				    "+0 CALL(HEXN) = 0 // LEVEL in a comment\n"
				    "+0 write(3, MSG, 2) = 2\n"
				    "+0 write(3, \"LEVEL\", 5) = 5\n"
				    "CMD\n"
				    "`echo LEVEL $N`\n"
				    "%{ LEVEL }%\n", defs, &s, &error) == STATUS_OK, "%s", error);
	ev = script_event(s, 0);
	ck_assert_str_eq(ev->u.syscall.args[1]->symbol, "SOL_SOCKET");
	ck_assert_int_eq(ev->u.syscall.args[4]->value, 4);
	ev = script_event(s, 1);
	ck_assert_str_eq(ev->u.syscall.name, "close");
	ck_assert_int_eq(ev->u.syscall.args[0]->value, 16);
	ck_assert_str_eq(script_event(s, 2)->u.syscall.args[1]->string, "hi");
	ck_assert_str_eq(script_event(s, 3)->u.syscall.args[1]->string, "LEVEL");
	ck_assert_str_eq(script_event(s, 4)->u.command, "true");
	ck_assert_str_eq(script_event(s, 5)->u.command, "echo LEVEL $N");
	ck_assert_str_eq(script_event(s, 6)->u.code, "LEVEL");
	script_free(s);
}
END_TEST

/* Messages count columns in the script as written, and name the definition behind a value. */
START_TEST(messages_keep_the_script_columns)
{
	static const char *const defs[] = { "LONG_NAME_FOR_LEVEL=SOL_SOCKET", "BAD=SO_NOSUCH", NULL };
	struct script *s;
	char *error = NULL;

	/* after a replacement on the same line */
	ck_assert_int_eq(parse_defined("0 setsockopt(3, LONG_NAME_FOR_LEVEL, SO_NOPE, [1], 4) = 0\n",
				       defs, &s, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "t.pkt:1:38: expected a known symbol, found 'SO_NOPE'");
	free(error);
	error = NULL;
	/* in a value */
	ck_assert_int_eq(parse_defined("0 setsockopt(3, SOL_SOCKET, BAD, [1], 4) = 0\n",
				       defs, &s, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "t.pkt:1:29: expected a known symbol, found 'SO_NOSUCH' "
			 "(BAD is defined as 'SO_NOSUCH')");
	free(error);
	error = NULL;
	/* an undefined name is an unknown word, where it stands */
	ck_assert_int_eq(parse_defined("0 setsockopt(3, LEVEL, SO_REUSEADDR, [1], 4) = 0\n",
				       defs, &s, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "t.pkt:1:17: expected a known symbol, found 'LEVEL'");
	free(error);
	error = NULL;
	/* columns kept for later messages are the script's too */
	ck_assert_int_eq(parse_defined("0 setsockopt(3, LONG_NAME_FOR_LEVEL, SO_REUSEADDR, [1], 4) = 0\n",
				       defs, &s, &error), STATUS_OK);
	ck_assert_int_eq(script_event(s, 0)->u.syscall.args[2]->column, 38);
	script_free(s);
}
END_TEST

/* A script's --define lines: for the events after them; the caller's definitions win. */
START_TEST(script_define_lines)
{
	static const char *const defs[] = { "B=2", NULL };
	static const char *const none[] = { NULL };
	struct script *s;
	char *error = NULL;

	ck_assert_msg(parse_defined("--define=A=1\n--define=B=3\n0 listen(A, B) = 0\n",
				    defs, &s, &error) == STATUS_OK, "%s", error);
	ck_assert_int_eq(script_event(s, 0)->u.syscall.args[0]->value, 1);
	ck_assert_int_eq(script_event(s, 0)->u.syscall.args[1]->value, 2);
	script_free(s);
	/* an option's value that is a defined word takes its value */
	ck_assert_int_eq(parse_defined("--define=TOL=7000\n--tolerance_usecs=TOL\n0 close(3) = 0\n",
				       none, &s, &error), STATUS_OK);
	ck_assert_str_eq(script_option_find(s, "tolerance_usecs")->value, "7000");
	script_free(s);
	ck_assert_int_eq(parse_defined("--define=1A=1\n0 close(3) = 0\n", none, &s, &error),
			 STATUS_ERROR);
	ck_assert_msg(strstr(error, "t.pkt:1:1: --define: '1A=1': expected a NAME"), "%s", error);
	free(error);
}
END_TEST

Suite *script_suite(void)
{
	Suite *s = suite_create("script");
	TCase *tc;

	tc = tcase_create("events");
	tcase_add_test(tc, span_covers_ranges_and_blocking_returns);
	tcase_add_test(tc, empty_and_comment_only_scripts_are_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("options");
	tcase_add_test(tc, options_keep_name_value_and_position);
	tcase_add_test(tc, option_find_returns_the_last_one);
	suite_add_tcase(s, tc);

	tc = tcase_create("times");
	tcase_add_loop_test(tc, time_specs_convert_exactly_to_usecs, 0,
			    sizeof(times) / sizeof(times[0]));
	tcase_add_test(tc, blocking_calls_keep_their_end_time);
	suite_add_tcase(s, tc);

	tc = tcase_create("results");
	tcase_add_test(tc, results_errnos_and_notes);
	suite_add_tcase(s, tc);

	tc = tcase_create("commands");
	tcase_add_test(tc, commands_with_and_without_time);
	tcase_add_test(tc, code_blocks_span_lines);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	/* event_count_is_capped parses 2 x 65536 events, about 1.4 s of CPU:
	 * Check's 4 s ran out at a load average of 20 on 2 CPUs */
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, malformed_scripts_give_exact_messages, 0,
			    sizeof(errors) / sizeof(errors[0]));
	tcase_add_test(tc, error_pointer_may_be_null);
	tcase_add_test(tc, huge_input_is_refused_before_reading);
	tcase_add_test(tc, event_count_is_capped);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_test(tc, unreadable_files_are_named_with_the_reason);
	tcase_add_test(tc, oversized_files_are_refused);
	tcase_add_test(tc, every_case_in_the_catalogue_parses);
	tcase_add_test(tc, sample_scripts_parse_or_fail_as_labelled);
	tcase_add_test(tc, all_constructs_sample_has_the_expected_shape);
	suite_add_tcase(s, tc);

	tc = tcase_create("defines");
	tcase_add_test(tc, defined_words_are_replaced_where_packetdrill_replaces_them);
	tcase_add_test(tc, messages_keep_the_script_columns);
	tcase_add_test(tc, script_define_lines);
	suite_add_tcase(s, tc);
	return s;
}
