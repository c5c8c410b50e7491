/* script.h - parse a packetdrill-dialect test script into a list of timed events. */
#ifndef TCPCONF_SCRIPT_H
#define TCPCONF_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "icmp.h"
#include "packet.h"

/* How a time spec is anchored. */
enum time_type {
	TIME_ABSOLUTE,		/* "0.100": from the start of the script */
	TIME_RELATIVE,		/* "+0.040": from the previous event */
	TIME_ANY,		/* "*": whenever it happens */
};

/* A time spec: a point, or a range "a~b" within which the event must happen. */
struct script_time {
	enum time_type type;
	int64_t usecs;			/* offset (absolute or relative) */
	bool is_range;			/* "a~b": usecs is a, end_usecs is b */
	int64_t end_usecs;		/* b, anchored like a (relative to the same point) */
};

/* Expression trees for system call arguments and results. */
enum expr_kind {
	EXPR_INT,			/* 42, 0x10, -1; a resolved symbol also lands here */
	EXPR_ELLIPSIS,			/* ... : "fill in the obvious thing" */
	EXPR_STRING,			/* "text" */
	EXPR_LIST,			/* [1], [1, 2]: a pointer to values */
	EXPR_STRUCT,			/* {l_onoff=1, l_linger=0}: fields are items with a name */
	EXPR_RANGE,			/* 55000~60000 (inside structs, for checks) */
	EXPR_NULL,			/* NULL */
};

struct expr {
	enum expr_kind kind;
	int line, column;
	char *symbol;			/* EXPR_INT written as a name ("SO_LINGER"), else NULL */
	char *field;			/* name of this item inside an EXPR_STRUCT, else NULL */
	int64_t value;			/* EXPR_INT; EXPR_RANGE low end */
	int64_t high;			/* EXPR_RANGE high end */
	char *string;			/* EXPR_STRING, unescaped */
	struct expr **items;		/* EXPR_LIST / EXPR_STRUCT */
	size_t nitems;
};

struct syscall_event {
	char *name;			/* "socket", "close", "tcp_diag", ... */
	struct expr **args;
	size_t nargs;
	struct expr *result;		/* expected return value (EXPR_INT) */
	int errno_value;		/* expected errno, 0 for none */
	char *errno_name;		/* "ECONNRESET" or NULL */
	bool blocking;			/* "a...b": the call blocks from a to b */
	struct script_time end;		/* when a blocking call returns, as written */
};

/* What a packet line says about the option list. */
enum options_spec {
	OPTIONS_NONE,			/* no "<...>": the segment carries no options */
	OPTIONS_ANY,			/* "<...>": do not check options */
	OPTIONS_LIST,			/* "<mss 1460,...>": exactly these, in this order */
};

struct packet_event {
	char direction;			/* '<' inbound (harness injects), '>' outbound (kernel sends) */
	enum packet_ecn ecn;		/* "[ect0]" before the flags, else PACKET_ECN_UNSPEC */
	struct icmp_spec icmp;		/* an "icmp ..." line: no flags, ack, win, options */
	uint16_t flags;			/* TCPF_*; ".N" (AccECN's ACE) sets E W A */
	/* "seq:end(len)"; len == end - seq.  ICMP: the echoed segment's
	 * "[seq:end(len)]", 0:0(0) when not written. */
	uint32_t seq, end;
	uint32_t len;
	bool has_ack;
	uint32_t ack;
	bool has_win;
	uint32_t win;
	uint16_t urg;			/* "urg N"; 0 when not written, judged anyway */
	enum options_spec options_spec;
	uint8_t noptions;
	struct tcp_option options[TCP_MAX_OPTIONS];
};

enum event_type {
	EVENT_PACKET,
	EVENT_SYSCALL,
	EVENT_COMMAND,			/* `shell command` (only `sysctl ...` is run, natively) */
	EVENT_CODE,			/* %{ python }%: the subset pycode.h evaluates */
};

struct event {
	enum event_type type;
	int line, column;		/* where the event starts in the script */
	bool has_time;			/* a leading time spec was given (commands may omit it) */
	struct script_time time;
	int code_line, code_column;	/* EVENT_CODE: where u.code starts */
	union {
		struct packet_event packet;
		struct syscall_event syscall;
		char *command;		/* EVENT_COMMAND text between backticks */
		char *code;		/* EVENT_CODE text between %{ and }% */
	} u;
};

/* "--name=value" lines at the top of a script. */
struct script_option {
	char *name;			/* without the leading "--" */
	char *value;			/* NULL when the option has no "=value" */
	int line, column;
};

struct script;

/*
 * Parse the script in text (len bytes; name is used in messages, usually the
 * file path).  On a syntax error nothing is returned and *error reads
 * "name:line:column: expected X, found Y".  Unknown symbols and errno names
 * are errors too.  The caller owns *s.
 */
int script_parse(const char *name, const char *text, size_t len,
		 struct script **s, char **error);

/* Read path and parse it; an unreadable file is an error naming it. */
int script_parse_file(const char *path, struct script **s, char **error);

struct define_list;

/*
 * The same with packetdrill's -D definitions (define.h; NULL: none): a
 * word naming one is read as its value, and the script's own
 * "--define=NAME=VALUE" lines add to them (the caller's win).  Messages
 * and the columns kept in events, options and arguments are the script's
 * own; a message about a value says which NAME it came from.  defines
 * stays the caller's.
 */
int script_parse_defined(const char *name, const char *text, size_t len,
			 const struct define_list *defines, struct script **s, char **error);
int script_parse_file_defined(const char *path, const struct define_list *defines,
			      struct script **s, char **error);

void script_free(struct script *s);

/*
 * How long the script runs when every event happens on time: the latest
 * point any time spec, range end or blocking call's return names
 * (microseconds from the start; "*" events count as taking no time).
 */
int64_t script_span_usecs(const struct script *s);

/* Accessors: events and options in script order, owned by s. */
const char *script_name(const struct script *s);
size_t script_event_count(const struct script *s);
const struct event *script_event(const struct script *s, size_t i);
size_t script_option_count(const struct script *s);
const struct script_option *script_option(const struct script *s, size_t i);

/* Value of option name, or NULL when absent (the last one wins). */
const struct script_option *script_option_find(const struct script *s,
					       const char *name);

#endif
