/*
 * script.c - see script.h.
 *
 * A recursive-descent parser for the packetdrill dialect: the events and
 * the script object here, the tokens in lexer.c, system call arguments in
 * expr.c and packet lines in packet_line.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "array.h"
#include "define.h"
#include "error.h"
#include "expr.h"
#include "lexer.h"
#include "packet_line.h"
#include "script.h"
#include "symbol.h"

#define SCRIPT_MAX_BYTES	(1 << 20)	/* larger inputs are refused */
#define MAX_EVENTS		65536		/* an event is ~2 KB: bounds memory */

struct script {
	char *name;
	struct event *events;
	size_t nevents, events_cap;
	struct script_option *options;
	size_t noptions, options_cap;
};

/* ---- events ---- */

static void event_clear(struct event *ev)
{
	switch (ev->type) {
	case EVENT_SYSCALL:
		free(ev->u.syscall.name);
		for (size_t i = 0; i < ev->u.syscall.nargs; i++)
			expr_free(ev->u.syscall.args[i]);
		free(ev->u.syscall.args);
		expr_free(ev->u.syscall.result);
		free(ev->u.syscall.errno_name);
		break;
	case EVENT_COMMAND:
		free(ev->u.command);
		break;
	case EVENT_CODE:
		free(ev->u.code);
		break;
	case EVENT_PACKET:
		break;
	}
}

/* "0.1", "+0.1", "*", "a~b", "+a~+b"; a "..." after it is the caller's. */
static int parse_time(struct parser *p, struct script_time *t)
{
	struct token end;

	memset(t, 0, sizeof(*t));
	if (lexer_is_punct(p, &p->tok, '*')) {
		t->type = TIME_ANY;
		return lexer_advance(p);
	}
	t->type = TIME_ABSOLUTE;
	if (lexer_is_punct(p, &p->tok, '+')) {
		t->type = TIME_RELATIVE;
		if (lexer_advance(p) < 0)
			return -1;
	}
	if (lexer_seconds(p, &t->usecs) < 0)
		return -1;
	if (!lexer_is_punct(p, &p->tok, '~'))
		return 0;
	if (lexer_advance(p) < 0)
		return -1;
	/* both ends count from the same anchor and are written alike */
	if (t->type == TIME_RELATIVE) {
		if (!lexer_is_punct(p, &p->tok, '+'))
			return lexer_expected(p, &p->tok, "'+' (a relative range ends relative)");
		if (lexer_advance(p) < 0)
			return -1;
	} else if (lexer_is_punct(p, &p->tok, '+')) {
		return lexer_expected(p, &p->tok, "an absolute time (an absolute range ends absolute)");
	}
	end = p->tok;
	if (lexer_seconds(p, &t->end_usecs) < 0)
		return -1;
	if (t->end_usecs < t->usecs)
		return lexer_expected(p, &end, "a range end not before its start");
	t->is_range = true;
	return 0;
}

/*
 * "a...b" on a system call: b is written like a (packetdrill: both from the
 * same anchor) and stored as written; the executor derives when the call
 * should return from b - a.
 */
static int parse_blocking_end(struct parser *p, const struct script_time *start,
			      struct script_time *end)
{
	struct token at;
	int64_t usecs;

	memset(end, 0, sizeof(*end));
	if (start->type == TIME_ANY || start->is_range)
		return lexer_expected(p, &p->tok, "a packet or system call (a blocking "
				"call starts at a plain time)");
	if (lexer_advance(p) < 0)
		return -1;
	if (lexer_is_punct(p, &p->tok, '+')) {
		if (start->type != TIME_RELATIVE)
			return lexer_expected(p, &p->tok, "an absolute end time after an absolute start");
		if (lexer_advance(p) < 0)
			return -1;
	}
	at = p->tok;
	if (lexer_seconds(p, &usecs) < 0)
		return -1;
	if (usecs < start->usecs)
		return lexer_expected(p, &at, "an end time not before the start");
	end->type = start->type;
	end->usecs = usecs;
	return 0;
}

/* "(Connection reset by peer)": free text up to the matching ')' on the line. */
static int skip_note(struct parser *p)
{
	int depth = 0;
	size_t i;

	for (i = p->tok.start; i < p->len && p->text[i] != '\n'; i++) {
		if (p->text[i] == '(')
			depth++;
		else if (p->text[i] == ')' && --depth == 0)
			break;
	}
	if (i >= p->len || p->text[i] != ')')
		return lexer_fail_at(p, p->tok.line, lexer_column(p, i),
			       "expected ')' closing the note, found %s",
			       i < p->len ? "end of line" : "end of file");
	lexer_rewind(p);
	p->lx.pos = i + 1;
	p->lx.at_line_start = false;
	return lexer_advance(p);
}

/* "ECONNRESET" after a negative result. */
static int parse_errno(struct parser *p, struct syscall_event *sc)
{
	char *name = lexer_strdup(p, &p->tok);

	if (!name)
		return lexer_oom(p);
	if (!symbol_errno(name, &sc->errno_value)) {
		free(name);
		return lexer_expected(p, &p->tok, "an errno name");
	}
	sc->errno_name = name;
	if (sc->result->value >= 0)
		return lexer_expected(p, &p->tok, "end of line (an errno goes "
				      "with a negative result)");
	return lexer_advance(p);
}

static int parse_syscall(struct parser *p, struct event *ev)
{
	struct syscall_event *sc = &ev->u.syscall;
	struct expr args = { 0 };	/* collects the arguments */
	struct token at;

	ev->type = EVENT_SYSCALL;
	sc->name = lexer_strdup(p, &p->tok);
	if (!sc->name)
		return lexer_oom(p);
	if (lexer_advance(p) < 0)
		return -1;
	if (!lexer_is_punct(p, &p->tok, '('))
		return lexer_expected(p, &p->tok, "'('");
	if (lexer_advance(p) < 0)
		return -1;
	while (!lexer_is_punct(p, &p->tok, ')')) {
		struct expr *a = expr_parse(p, 0, false);

		if (!a || expr_push(p, &args, a) < 0) {
			expr_free(a);
			goto fail;
		}
		if (lexer_is_punct(p, &p->tok, ',')) {
			if (lexer_advance(p) < 0)
				goto fail;
			continue;
		}
		if (!lexer_is_punct(p, &p->tok, ')')) {
			lexer_expected(p, &p->tok, "',' or ')'");
			goto fail;
		}
	}
	sc->args = args.items;
	sc->nargs = args.nitems;
	args.items = NULL;
	args.nitems = 0;
	if (lexer_advance(p) < 0)
		return -1;
	if (!lexer_is_punct(p, &p->tok, '='))
		return lexer_expected(p, &p->tok, "'='");
	if (lexer_advance(p) < 0)
		return -1;

	at = p->tok;
	if (!lexer_is_punct(p, &at, '-') && at.type != T_INT && at.type != T_HEX &&
	    at.type != T_WORD)
		return lexer_expected(p, &at, "an integer result");
	sc->result = expr_parse(p, 0, false);
	if (!sc->result)
		return -1;
	if (sc->result->kind != EXPR_INT)
		return expr_need_int(p, sc->result, "an integer result");

	if (lexer_same_line(p) && p->tok.type == T_WORD &&
	    parse_errno(p, sc) < 0)
		return -1;
	if (lexer_same_line(p) && lexer_is_punct(p, &p->tok, '('))
		return skip_note(p);
	return 0;
fail:
	for (size_t i = 0; i < args.nitems; i++)
		expr_free(args.items[i]);
	free(args.items);
	return -1;
}

/* Text of a `command` or %{ code }% token, markers off, code trimmed. */
static char *delimited_text(struct parser *p, const struct token *t, size_t open,
			    size_t close, bool trim)
{
	const char *s = p->text + t->start + open;
	size_t n = t->len - open - close;
	char *out;

	if (trim) {
		while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
			s++;
			n--;
		}
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
			     s[n - 1] == '\n' || s[n - 1] == '\r'))
			n--;
	}
	out = strndup(s, n);
	if (!out)
		lexer_oom(p);
	return out;
}

/* Where the trimmed text of a %{ code }% token starts, for messages about it. */
static void code_position(const struct parser *p, const struct token *t,
			  struct event *ev)
{
	const char *s = p->text + t->start + 2;

	ev->code_line = t->line;
	ev->code_column = t->column + 2;
	for (; s < p->text + t->start + t->len - 2 && *s && strchr(" \t\n\r", *s); s++) {
		if (*s == '\n') {
			ev->code_line++;
			ev->code_column = 1;
		} else {
			ev->code_column++;
		}
	}
}

static struct event *event_append(struct parser *p)
{
	struct script *s = p->s;
	struct event *n;

	if (s->nevents == MAX_EVENTS) {
		lexer_expected_at(p, &p->tok, "at most 65536 events");
		return NULL;
	}
	n = array_room(s->events, s->nevents, &s->events_cap, sizeof(*n), 32);
	if (!n) {
		lexer_oom(p);
		return NULL;
	}
	s->events = n;
	memset(&s->events[s->nevents], 0, sizeof(s->events[0]));
	/* counted at once so a half-parsed event is freed with the rest */
	return &s->events[s->nevents++];
}

static int parse_event(struct parser *p)
{
	struct event *ev = event_append(p);

	if (!ev)
		return -1;
	ev->type = EVENT_COMMAND;	/* nothing allocated yet: safe to free */
	ev->line = p->tok.line;
	ev->column = p->tok.column;

	if (p->tok.type != T_COMMAND && p->tok.type != T_CODE) {
		ev->has_time = true;
		if (p->tok.type != T_INT && p->tok.type != T_DECIMAL &&
		    !lexer_is_punct(p, &p->tok, '+') && !lexer_is_punct(p, &p->tok, '*'))
			return lexer_expected_at(p, &p->tok, "a time (0.1, +0.1 or *)");
		if (parse_time(p, &ev->time) < 0)
			return -1;
		if (p->tok.type == T_ELLIPSIS) {
			if (parse_blocking_end(p, &ev->time, &ev->u.syscall.end) < 0)
				return -1;
			if (p->tok.type != T_WORD)
				return lexer_expected(p, &p->tok, "a system call after a "
						"blocking time");
			ev->u.syscall.blocking = true;
		}
	}

	if (p->tok.type == T_WORD) {
		if (parse_syscall(p, ev) < 0)
			return -1;
	} else if (lexer_is_punct(p, &p->tok, '<') || lexer_is_punct(p, &p->tok, '>')) {
		if (packet_line_parse(p, ev) < 0)
			return -1;
	} else if (p->tok.type == T_COMMAND) {
		ev->type = EVENT_COMMAND;
		ev->u.command = delimited_text(p, &p->tok, 1, 1, false);
		if (!ev->u.command || lexer_advance(p) < 0)
			return -1;
	} else if (p->tok.type == T_CODE) {
		ev->type = EVENT_CODE;
		ev->u.code = delimited_text(p, &p->tok, 2, 2, true);
		if (!ev->u.code)
			return -1;
		code_position(p, &p->tok, ev);
		if (lexer_advance(p) < 0)
			return -1;
	} else {
		return lexer_expected(p, &p->tok, "a packet, system call or command");
	}
	if (lexer_same_line(p))
		return lexer_expected(p, &p->tok, "end of line");
	return 0;
}

/*
 * What packetdrill's -D does on an option line: "--define=NAME=VALUE"
 * defines NAME for the words after the options (the command line's
 * definition of the same NAME wins), and a value that is a defined word
 * is that word's value.
 */
static int option_define(struct parser *p, struct script_option *o)
{
	struct define_list *d = p->own_defines;
	char *error = NULL;
	const char *v;

	if (!o->value)
		return 0;
	if (strcmp(o->name, "define")) {
		v = define_list_get(d, o->value, strlen(o->value), NULL);
		if (v) {
			char *copy = strdup(v);

			if (!copy)
				return lexer_oom(p);
			free(o->value);
			o->value = copy;
		}
		return 0;
	}
	if (p->buf)
		return lexer_fail_at(p, o->line, o->column, "expected --define before "
				     "any word is replaced");
	if (define_list_set(d, o->value, true, &error) < 0) {
		lexer_fail_at(p, o->line, o->column, "--define: %s", error);
		free(error);
		return -1;
	}
	p->defines = d;
	return 0;
}

static int parse_option(struct parser *p)
{
	struct script *s = p->s;
	const char *text = p->text + p->tok.start + 2;
	size_t n = p->tok.len - 2, name_len;
	struct script_option *o, *grown;
	const char *eq;

	if (s->nevents)
		return lexer_expected_at(p, &p->tok, "an event (options go before the "
				"first event)");
	grown = array_room(s->options, s->noptions, &s->options_cap, sizeof(*grown), 8);
	if (!grown)
		return lexer_oom(p);
	s->options = grown;
	o = &s->options[s->noptions];
	memset(o, 0, sizeof(*o));
	o->line = p->tok.line;
	o->column = p->tok.column;
	eq = memchr(text, '=', n);
	name_len = eq ? (size_t)(eq - text) : n;
	if (eq) {
		const char *v = eq + 1;
		size_t vlen = n - name_len - 1;

		if (vlen == 0)
			return lexer_fail_at(p, p->tok.line, p->tok.column + (int)p->tok.len,
				       "expected an option value, found %s",
				       p->tok.start + p->tok.len < p->len ?
				       "end of line" : "end of file");
		if (*v == '"') {
			v++;
			vlen -= 2;
		}
		o->value = strndup(v, vlen);
		if (!o->value)
			return lexer_oom(p);
	}
	o->name = strndup(text, name_len);
	if (!o->name) {
		free(o->value);
		return lexer_oom(p);
	}
	s->noptions++;
	if (option_define(p, o) < 0)
		return -1;
	return lexer_advance(p);
}

/* ---- public ---- */

void script_free(struct script *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nevents; i++)
		event_clear(&s->events[i]);
	free(s->events);
	for (size_t i = 0; i < s->noptions; i++) {
		free(s->options[i].name);
		free(s->options[i].value);
	}
	free(s->options);
	free(s->name);
	free(s);
}

static void expr_columns(const struct parser *p, struct expr *e)
{
	if (!e)
		return;
	e->column = lexer_source_column(p, e->line, e->column);
	for (size_t i = 0; i < e->nitems; i++)
		expr_columns(p, e->items[i]);
}

/* After -D replacements: the columns kept for later messages, as the script has them. */
static void source_columns(const struct parser *p)
{
	struct script *s = p->s;

	if (!p->nsubst)
		return;
	for (size_t i = 0; i < s->noptions; i++)
		s->options[i].column = lexer_source_column(p, s->options[i].line,
							   s->options[i].column);
	for (size_t i = 0; i < s->nevents; i++) {
		struct event *ev = &s->events[i];

		ev->column = lexer_source_column(p, ev->line, ev->column);
		if (ev->type != EVENT_SYSCALL)
			continue;
		for (size_t k = 0; k < ev->u.syscall.nargs; k++)
			expr_columns(p, ev->u.syscall.args[k]);
		expr_columns(p, ev->u.syscall.result);
	}
}

int script_parse(const char *name, const char *text, size_t len,
		 struct script **s, char **error)
{
	return script_parse_defined(name, text, len, NULL, s, error);
}

int script_parse_defined(const char *name, const char *text, size_t len,
			 const struct define_list *defines, struct script **s, char **error)
{
	struct parser p = { 0 };
	struct define_list *own;

	*s = NULL;
	if (!name)
		name = "script";
	if (len > SCRIPT_MAX_BYTES)
		return error_set(error, "%s: script of %zu bytes is larger than "
				 "the limit of %d", name, len, SCRIPT_MAX_BYTES);
	p.name = name;
	p.text = text ? text : "";
	p.len = text ? len : 0;
	p.error = error;
	p.lx.line = 1;
	p.lx.at_line_start = true;
	p.s = calloc(1, sizeof(*p.s));
	/* the script's own --define lines join the caller's */
	own = define_list_copy(defines);
	p.own_defines = own;
	p.defines = define_list_count(own) ? own : NULL;
	if (!p.s || !own || !(p.s->name = strdup(name))) {
		free(p.s);
		define_list_free(own);
		return error_set(error, "%s: out of memory", name);
	}
	if (lexer_advance(&p) == 0)
		while (p.tok.type != T_EOF) {
			int rc = p.tok.type == T_OPTION ? parse_option(&p)
							: parse_event(&p);

			if (rc < 0)
				break;
		}
	/* nothing to run would pass without testing anything */
	if (!p.failed && p.s->nevents == 0)
		lexer_expected_at(&p, &p.tok, "at least one event (a packet, a "
				  "system call or a command)");
	if (!p.failed)
		source_columns(&p);
	lexer_release(&p);
	define_list_free(own);
	if (p.failed) {
		script_free(p.s);
		return STATUS_ERROR;
	}
	*s = p.s;
	return STATUS_OK;
}

int script_parse_file(const char *path, struct script **s, char **error)
{
	return script_parse_file_defined(path, NULL, s, error);
}

int script_parse_file_defined(const char *path, const struct define_list *defines,
			      struct script **s, char **error)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap;
	int fd, rc;

	*s = NULL;
	/* A FIFO would block open() and read() for ever, and opening a device
	 * can do things (a watchdog starts): refuse them before opening, and
	 * never block in case the name changes in between. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return error_set(error, "%s: not a regular file", path);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return error_set(error, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		rc = error_set(error, "%s: %s", path, S_ISDIR(st.st_mode) ? strerror(EISDIR) :
			       !S_ISREG(st.st_mode) ? "not a regular file" : strerror(errno));
		close(fd);
		return rc;
	}
	/* the size is a hint: read to the end, refusing more than the limit */
	cap = st.st_size > 0 && st.st_size <= SCRIPT_MAX_BYTES ? st.st_size + 1 : 4096;
	for (;;) {
		ssize_t n;

		if (len == cap || !buf) {
			char *nb;

			if (buf)
				cap *= 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				close(fd);
				return error_set(error, "%s: out of memory", path);
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = error_set(error, "%s: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return rc;
		}
		if (n == 0)
			break;
		len += n;
		if (len > SCRIPT_MAX_BYTES) {
			free(buf);
			close(fd);
			return error_set(error, "%s: larger than the limit of %d bytes",
					 path, SCRIPT_MAX_BYTES);
		}
	}
	close(fd);
	rc = script_parse_defined(path, buf, len, defines, s, error);
	free(buf);
	return rc;
}

const char *script_name(const struct script *s)
{
	return s->name;
}

size_t script_event_count(const struct script *s)
{
	return s->nevents;
}

const struct event *script_event(const struct script *s, size_t i)
{
	return i < s->nevents ? &s->events[i] : NULL;
}

size_t script_option_count(const struct script *s)
{
	return s->noptions;
}

const struct script_option *script_option(const struct script *s, size_t i)
{
	return i < s->noptions ? &s->options[i] : NULL;
}

const struct script_option *script_option_find(const struct script *s,
					       const char *name)
{
	for (size_t i = s->noptions; i-- > 0;)
		if (!strcmp(s->options[i].name, name))
			return &s->options[i];
	return NULL;
}

int64_t script_span_usecs(const struct script *s)
{
	int64_t t = 0, max = 0;

	for (size_t i = 0; i < script_event_count(s); i++) {
		const struct event *ev = script_event(s, i);
		int64_t end;

		if (!ev->has_time || ev->time.type == TIME_ANY)
			continue;
		t = ev->time.type == TIME_RELATIVE ? t + ev->time.usecs : ev->time.usecs;
		end = t;
		if (ev->time.is_range)
			end = ev->time.end_usecs +
			      (ev->time.type == TIME_RELATIVE ? t - ev->time.usecs : 0);
		/* the return comes b - a after the call's start */
		if (ev->type == EVENT_SYSCALL && ev->u.syscall.blocking)
			end = t + ev->u.syscall.end.usecs - ev->time.usecs;
		if (end > max)
			max = end;
	}
	return max;
}

