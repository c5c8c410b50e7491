/* check_script.c - the packetdrill-dialect parser: every construct's AST, every error's exact message, and the catalogue parsing. */
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

#include "error.h"
#include "script.h"
#include "suites.h"

/*
 * Parse text from a heap buffer of exactly its length (no NUL after it), so
 * that ASan/valgrind catch any read past the end.
 */
static int parse_exact(const char *text, size_t len, struct script **s, char **error)
{
	char *buf = malloc(len ? len : 1);
	int rc;

	ck_assert_ptr_nonnull(buf);
	memcpy(buf, text, len);
	rc = script_parse("t.pkt", buf, len, s, error);
	free(buf);
	return rc;
}

static struct script *ok(const char *text)
{
	struct script *s = NULL;
	char *error = NULL;
	int rc = parse_exact(text, strlen(text), &s, &error);

	ck_assert_msg(rc == STATUS_OK, "parse failed: %s", error ? error : "?");
	ck_assert_ptr_null(error);
	ck_assert_ptr_nonnull(s);
	return s;
}

static void fails(const char *text, const char *message)
{
	struct script *s = (struct script *)&s;	/* must be reset to NULL */
	char *error = NULL;
	int rc = parse_exact(text, strlen(text), &s, &error);

	ck_assert_int_eq(rc, STATUS_ERROR);
	ck_assert_ptr_null(s);
	ck_assert_ptr_nonnull(error);
	ck_assert_str_eq(error, message);
	free(error);
}

/* The only event of a one-event script (the script is freed by the caller). */
static const struct event *only(struct script *s)
{
	ck_assert_uint_eq(script_event_count(s), 1);
	return script_event(s, 0);
}

static const struct expr *arg(const struct event *ev, size_t i)
{
	ck_assert_int_eq(ev->type, EVENT_SYSCALL);
	ck_assert_uint_gt(ev->u.syscall.nargs, i);
	return ev->u.syscall.args[i];
}

/* ---- lexing ---- */

/* ---- span ---- */

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

START_TEST(empty_and_comment_only_scripts_have_no_events)
{
	struct script *s = ok("");

	ck_assert_uint_eq(script_event_count(s), 0);
	ck_assert_uint_eq(script_option_count(s), 0);
	ck_assert_ptr_null(script_event(s, 0));
	ck_assert_str_eq(script_name(s), "t.pkt");
	script_free(s);
	s = ok("// nothing\n/* at all */\n");
	ck_assert_uint_eq(script_event_count(s), 0);
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

/* ---- options ---- */

START_TEST(options_keep_name_value_and_position)
{
	struct script *s = ok("// options first\n"
			      "--tolerance_usecs=10000\n"
			      "  --ip_version=ipv4 --verbose\n"
			      "--define=\"a b\"\n"
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
	ck_assert_str_eq(o->value, "a b");
	ck_assert_ptr_null(script_option(s, 4));
	ck_assert_uint_eq(script_event_count(s), 1);
	script_free(s);
}
END_TEST

START_TEST(option_find_returns_the_last_one)
{
	struct script *s = ok("--ip_version=ipv4\n--ip_version=ipv6\n");

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

/* ---- packets ---- */

static const struct {
	const char *line;
	char direction;
	uint8_t flags;
	uint32_t seq, end, len;
	bool has_ack;
	uint32_t ack;
	bool has_win;
	uint32_t win;
	enum options_spec spec;
	uint8_t noptions;
} packets[] = {
	{ "< S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>",
	  '<', TCPF_SYN, 0, 0, 0, false, 0, true, 65535, OPTIONS_LIST, 5 },
	{ "> S. 0:0(0) ack 1 <...>",
	  '>', TCPF_SYN | TCPF_ACK, 0, 0, 0, true, 1, false, 0, OPTIONS_ANY, 0 },
	{ "< . 1:1(0) ack 1 win 257",
	  '<', TCPF_ACK, 1, 1, 0, true, 1, true, 257, OPTIONS_NONE, 0 },
	{ "> F. 1:1(0) ack 7",
	  '>', TCPF_FIN | TCPF_ACK, 1, 1, 0, true, 7, false, 0, OPTIONS_NONE, 0 },
	{ "< P. 1:1001(1000) ack 1 win 257",
	  '<', TCPF_PSH | TCPF_ACK, 1, 1001, 1000, true, 1, true, 257, OPTIONS_NONE, 0 },
	{ "> R. 1:1(0) ack 6",
	  '>', TCPF_RST | TCPF_ACK, 1, 1, 0, true, 6, false, 0, OPTIONS_NONE, 0 },
	{ "> R 1:1(0)",
	  '>', TCPF_RST, 1, 1, 0, false, 0, false, 0, OPTIONS_NONE, 0 },
	{ "> FSRP.UEW 0:0(0)",
	  '>', 0xff, 0, 0, 0, false, 0, false, 0, OPTIONS_NONE, 0 },
	{ "> - 5:5(0)",
	  '>', 0, 5, 5, 0, false, 0, false, 0, OPTIONS_NONE, 0 },
	{ "< SEW 0:0(0) win 0",
	  '<', TCPF_SYN | TCPF_ECE | TCPF_CWR, 0, 0, 0, false, 0, true, 0, OPTIONS_NONE, 0 },
	{ "> .  4294967295:4294967295(0)  ack 4294967295",
	  '>', TCPF_ACK, 4294967295u, 4294967295u, 0, true, 4294967295u, false, 0,
	  OPTIONS_NONE, 0 },
	{ "< P. 1:65536(65535) ack 1 <nop,nop,sack 1:2 3:4>",
	  '<', TCPF_PSH | TCPF_ACK, 1, 65536, 65535, true, 1, false, 0, OPTIONS_LIST, 3 },
	{ "> U 0:0(0) ack 0x10 win 0xffff",
	  '>', TCPF_URG, 0, 0, 0, true, 16, true, 65535, OPTIONS_NONE, 0 },
};

START_TEST(packet_lines_fill_every_field)
{
	char text[256];
	struct script *s;
	const struct packet_event *p;
	const struct event *ev;

	snprintf(text, sizeof(text), "+0 %s\n", packets[_i].line);
	s = ok(text);
	ev = only(s);
	ck_assert_int_eq(ev->type, EVENT_PACKET);
	p = &ev->u.packet;
	ck_assert_int_eq(p->direction, packets[_i].direction);
	ck_assert_uint_eq(p->flags, packets[_i].flags);
	ck_assert_uint_eq(p->seq, packets[_i].seq);
	ck_assert_uint_eq(p->end, packets[_i].end);
	ck_assert_uint_eq(p->len, packets[_i].len);
	ck_assert_int_eq(p->has_ack, packets[_i].has_ack);
	ck_assert_uint_eq(p->ack, packets[_i].ack);
	ck_assert_int_eq(p->has_win, packets[_i].has_win);
	ck_assert_uint_eq(p->win, packets[_i].win);
	ck_assert_int_eq(p->options_spec, packets[_i].spec);
	ck_assert_uint_eq(p->noptions, packets[_i].noptions);
	script_free(s);
}
END_TEST

START_TEST(tcp_options_decode_like_the_wire_parser)
{
	struct script *s = ok("0 < S 0:0(0) <mss 1460,sackOK,TS val 100 ecr 0,nop,"
			      "wscale 7>\n"
			      "+0 > . 1:1(0) ack 1 <nop, nop, sack 1:2 3:4 5:6 4294967294:4294967295,eol>\n");
	const struct packet_event *p = &script_event(s, 0)->u.packet;
	const struct tcp_option *o = p->options;

	ck_assert_uint_eq(p->noptions, 5);
	ck_assert_uint_eq(o[0].kind, TCPOPT_MSS);
	ck_assert_uint_eq(o[0].len, 4);
	ck_assert_uint_eq(o[0].u.mss, 1460);
	ck_assert_uint_eq(o[1].kind, TCPOPT_SACK_PERM);
	ck_assert_uint_eq(o[1].len, 2);
	ck_assert_uint_eq(o[2].kind, TCPOPT_TS);
	ck_assert_uint_eq(o[2].len, 10);
	ck_assert_uint_eq(o[2].u.ts.val, 100);
	ck_assert_uint_eq(o[2].u.ts.ecr, 0);
	ck_assert_uint_eq(o[3].kind, TCPOPT_NOP);
	ck_assert_uint_eq(o[3].len, 1);
	ck_assert_uint_eq(o[4].kind, TCPOPT_WSCALE);
	ck_assert_uint_eq(o[4].len, 3);
	ck_assert_uint_eq(o[4].u.wscale, 7);

	p = &script_event(s, 1)->u.packet;
	o = p->options;
	ck_assert_int_eq(p->options_spec, OPTIONS_LIST);
	ck_assert_uint_eq(p->noptions, 4);
	ck_assert_uint_eq(o[2].kind, TCPOPT_SACK);
	ck_assert_uint_eq(o[2].len, 2 + 4 * 8);
	ck_assert_uint_eq(o[2].u.sack.count, 4);
	ck_assert_uint_eq(o[2].u.sack.block[0].left, 1);
	ck_assert_uint_eq(o[2].u.sack.block[0].right, 2);
	ck_assert_uint_eq(o[2].u.sack.block[2].left, 5);
	ck_assert_uint_eq(o[2].u.sack.block[3].left, 4294967294u);
	ck_assert_uint_eq(o[2].u.sack.block[3].right, 4294967295u);
	ck_assert_uint_eq(o[3].kind, TCPOPT_EOL);
	ck_assert_uint_eq(o[3].len, 1);
	script_free(s);
}
END_TEST

START_TEST(forty_option_bytes_fit)
{
	struct script *s = ok("0 > S 0:0(0) <TS val 1 ecr 2,TS val 3 ecr 4,TS val 5 ecr 6,"
			      "TS val 7 ecr 8>\n"
			      "0 > S 0:0(0) <nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,"
			      "nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,"
			      "nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,"
			      "nop,nop,nop,nop,nop,nop,nop,nop,nop,eol>\n");

	ck_assert_uint_eq(script_event(s, 0)->u.packet.noptions, 4);
	ck_assert_uint_eq(script_event(s, 0)->u.packet.options[3].u.ts.ecr, 8);
	ck_assert_uint_eq(script_event(s, 1)->u.packet.noptions, 40);
	script_free(s);
}
END_TEST

/* ---- system calls ---- */

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

static const struct {
	const char *text;
	const char *message;
} errors[] = {
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
	{ "0 f(1~2) = 0\n", "t.pkt:1:6: expected ',' or ')', found '~'" },
	{ "0 f(\"a\" | 1) = 0\n", "t.pkt:1:5: expected an integer before '|', found a string" },
	{ "0 f(1 | [2]) = 0\n", "t.pkt:1:9: expected an integer after '|', found a list" },
	{ "0 f(\"a\\q\") = 0\n",
	  "t.pkt:1:7: expected an escape sequence (\\n \\t \\r \\0 \\\\ \\\" \\' \\xHH), found '\\q'" },
	{ "0 f(\"a\\x4\") = 0\n",
	  "t.pkt:1:7: expected an escape sequence (\\n \\t \\r \\0 \\\\ \\\" \\' \\xHH), found '\\x4'" },
	{ "0 f(\"line\none\\z\") = 0\n",
	  "t.pkt:2:4: expected an escape sequence (\\n \\t \\r \\0 \\\\ \\\" \\' \\xHH), found '\\z'" },
	{ "0 f([[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]) = 0\n",
	  "t.pkt:1:37: expected at most 32 nested lists or structs, found '['" },
	/* packets */
	{ "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < SX 0:0(0) win 65535\n",
	  "t.pkt:2:6: expected TCP flags (F S R P . U E W, or -), found 'SX'" },
	{ "0 < 0:0(0)\n", "t.pkt:1:5: expected TCP flags (F S R P . U E W, or -), found '0:0(0)'" },
	{ "0 <\n", "t.pkt:1:4: expected TCP flags, found end of line" },
	{ "0 >", "t.pkt:1:4: expected TCP flags, found end of file" },
	{ "0 < S\n", "t.pkt:1:6: expected sequence number, found end of line" },
	{ "0 < S 0:0\n", "t.pkt:1:10: expected '(', found end of line" },
	{ "0 < S 0:0(0\n", "t.pkt:1:12: expected ')', found end of line" },
	{ "0 < S 0-0(0)\n", "t.pkt:1:8: expected ':', found '-'" },
	{ "+0 < P. 1:1001(999) ack 1 win 257\n",
	  "t.pkt:1:16: expected payload length 1000 (end - seq), found '999'" },
	{ "0 < S 5:1(0)\n",
	  "t.pkt:1:11: expected payload length (end 1 is below seq 5), found '0'" },
	{ "0 < S 0:65536(65536)\n",
	  "t.pkt:1:15: expected payload length (0 to 65535), found '65536'" },
	{ "0 < S 4294967296:0(0)\n",
	  "t.pkt:1:7: expected sequence number (0 to 4294967295), found '4294967296'" },
	{ "0 < S 0:0(0) foo\n",
	  "t.pkt:1:14: expected 'ack', 'win', '<' or end of line, found 'foo'" },
	{ "0 < S 0:0(0) ack x\n", "t.pkt:1:18: expected ack number, found 'x'" },
	{ "0 < S 0:0(0) ack 4294967296\n",
	  "t.pkt:1:18: expected ack number (0 to 4294967295), found '4294967296'" },
	{ "0 < S 0:0(0) win 65536\n",
	  "t.pkt:1:18: expected window (0 to 65535), found '65536'" },
	{ "0 < S 0:0(0) win 1 ack 1\n",
	  "t.pkt:1:20: expected '<' or end of line, found 'ack'" },
	{ "0 < S 0:0(0) urg 1\n",
	  "t.pkt:1:14: expected 'ack', 'win', '<' or end of line, found 'urg'" },
	{ "0 < S 0:0(0) <...>\n",
	  "t.pkt:1:15: expected a TCP option list (an inbound packet's options are exact; "
	  "<...> is for outbound packets), found '...'" },
	{ "0 > S 0:0(0) <...\n", "t.pkt:1:18: expected '>', found end of line" },
	{ "0 > S 0:0(0) <>\n",
	  "t.pkt:1:15: expected a TCP option (mss, wscale, sackOK, sack, TS, nop, eol), found '>'" },
	{ "0 > S 0:0(0) <md5 abc>\n",
	  "t.pkt:1:15: expected a TCP option (mss, wscale, sackOK, sack, TS, nop, eol), found 'md5'" },
	{ "0 > S 0:0(0) <mss>\n", "t.pkt:1:18: expected MSS value, found '>'" },
	{ "0 > S 0:0(0) <mss 65536>\n",
	  "t.pkt:1:19: expected MSS value (0 to 65535), found '65536'" },
	{ "0 > S 0:0(0) <wscale 256>\n",
	  "t.pkt:1:22: expected window scale shift count (0 to 255), found '256'" },
	{ "0 > S 0:0(0) <mss 1 mss 2>\n", "t.pkt:1:21: expected ',' or '>', found 'mss'" },
	{ "0 > S 0:0(0) <TS 1 ecr 2>\n", "t.pkt:1:18: expected 'val', found '1'" },
	{ "0 > S 0:0(0) <TS val 1 2>\n", "t.pkt:1:24: expected 'ecr', found '2'" },
	{ "0 > S 0:0(0) <sack 1:2 3:4 5:6 7:8 9:10>\n",
	  "t.pkt:1:36: expected at most 4 SACK blocks, found '9'" },
	{ "0 > S 0:0(0) <sack 1>\n", "t.pkt:1:21: expected ':', found '>'" },
	{ "0 > S 0:0(0) <TS val 1 ecr 2,TS val 1 ecr 2,TS val 1 ecr 2,TS val 1 ecr 2,nop>\n",
	  "t.pkt:1:75: expected TCP options of at most 40 bytes, found 'nop'" },
	{ "0 > S 0:0(0) <mss 1> ack 1\n", "t.pkt:1:22: expected end of line, found 'ack'" },
	/* times */
	{ "+0.1234567 close(3) = 0\n",
	  "t.pkt:1:2: expected a time with at most 6 decimal places, found '0.1234567'" },
	{ "1000001 close(3) = 0\n",
	  "t.pkt:1:1: expected a time of at most 1000000 seconds, found '1000001'" },
	{ "99999999999999999999999 close(3) = 0\n",
	  "t.pkt:1:1: expected a time of at most 1000000 seconds, found '99999999999999999999999'" },
	{ "-1 close(3) = 0\n", "t.pkt:1:1: expected a time (0.1, +0.1 or *), found '-'" },
	{ "+ close(3) = 0\n", "t.pkt:1:3: expected time, found 'close'" },
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
	{ "0 %{ x }% junk\n", "t.pkt:1:11: expected end of line, found 'junk'" },
};

START_TEST(malformed_scripts_give_exact_messages)
{
	fails(errors[_i].text, errors[_i].message);
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
	{ "bad-flags.pkt", "expected TCP flags (F S R P . U E W, or -), found 'SX'" },
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

Suite *script_suite(void)
{
	Suite *s = suite_create("script");
	TCase *tc;

	tc = tcase_create("lexing");
	tcase_add_test(tc, comments_and_blank_lines_are_skipped);
	tcase_add_test(tc, span_covers_ranges_and_blocking_returns);
	tcase_add_test(tc, crlf_line_endings_are_accepted);
	tcase_add_test(tc, empty_and_comment_only_scripts_have_no_events);
	tcase_add_test(tc, text_beyond_len_is_never_read);
	tcase_add_test(tc, nul_bytes_are_errors_not_terminators);
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

	tc = tcase_create("packets");
	tcase_add_loop_test(tc, packet_lines_fill_every_field, 0,
			    sizeof(packets) / sizeof(packets[0]));
	tcase_add_test(tc, tcp_options_decode_like_the_wire_parser);
	tcase_add_test(tc, forty_option_bytes_fit);
	suite_add_tcase(s, tc);

	tc = tcase_create("syscalls");
	tcase_add_test(tc, syscall_arguments_of_every_kind);
	tcase_add_test(tc, struct_items_may_be_ranges_unnamed_or_nested);
	tcase_add_test(tc, strings_unescape_and_concatenate);
	tcase_add_test(tc, results_errnos_and_notes);
	suite_add_tcase(s, tc);

	tc = tcase_create("commands");
	tcase_add_test(tc, commands_with_and_without_time);
	tcase_add_test(tc, code_blocks_span_lines);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_loop_test(tc, malformed_scripts_give_exact_messages, 0,
			    sizeof(errors) / sizeof(errors[0]));
	tcase_add_test(tc, found_text_is_quoted_short_and_printable);
	tcase_add_test(tc, error_pointer_may_be_null);
	tcase_add_test(tc, huge_input_is_refused_before_reading);
	tcase_add_test(tc, event_count_is_capped);
	tcase_add_loop_test(tc, truncated_inputs_end_cleanly, 0,
			    sizeof(truncated) / sizeof(truncated[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_test(tc, unreadable_files_are_named_with_the_reason);
	tcase_add_test(tc, oversized_files_are_refused);
	tcase_add_test(tc, every_case_in_the_catalogue_parses);
	tcase_add_test(tc, sample_scripts_parse_or_fail_as_labelled);
	tcase_add_test(tc, all_constructs_sample_has_the_expected_shape);
	suite_add_tcase(s, tc);
	return s;
}
