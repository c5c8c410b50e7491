/*
 * call_arg.c - see call_arg.h.
 *
 * A script runs as the case's root, so every number it passes through is a
 * request to the kernel: fcntl(F_SETOWN) then O_ASYNC once let a case kill
 * a host process.  What may pass is listed here, by call and argument, and
 * everything else is refused before the case starts.  Values come from the
 * system headers; the reasons say why a known value is refused.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call_arg.h"
#include "error.h"
#include "expr.h"

/* after the headers above: its TCPOPT_* macros would clash with tcp_option.h's enum */
#include <netinet/tcp.h>

/* A value by name; why, when set, is the reason it is refused. */
struct named {
	const char *name;
	int64_t value;
	const char *why;
};

#define V(name)		{ #name, (int64_t)(name), NULL }
#define NO(name, why)	{ #name, (int64_t)(name), why }
#define END		{ NULL, 0, NULL }

#define SIGNALS		"it could signal a process outside the case"

/* Where a check stands: the call, the argument, and what to report. */
struct arg_ctx {
	const struct syscall_event *sc;
	size_t i;			/* the argument, from 0 */
	const struct expr *at;		/* where the message points */
	char **error;
};

struct arg_type;
typedef int (*arg_check_fn)(struct arg_ctx *c, const struct arg_type *t,
			    const struct expr *e);

/* What one argument may be. */
struct arg_type {
	arg_check_fn check;
	int64_t lo, hi;			/* integers: the range */
	const struct named *values;	/* one of these (NULL-terminated) ... */
	const struct named *flags;	/* ... with any of these ORed in */
	bool dots;			/* '...' stands for the obvious value */
};

static int bad(struct arg_ctx *c, const struct expr *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "NAME(): argument N: why", pointing at at. */
static int bad(struct arg_ctx *c, const struct expr *at, const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	c->at = at;
	error_set(c->error, "%s(): argument %zu: %s", c->sc->name, c->i + 1,
		  msg ? msg : "out of memory");
	free(msg);
	return STATUS_ERROR;
}

static const struct expr *arg(const struct syscall_event *sc, size_t i)
{
	return i < sc->nargs ? sc->args[i] : NULL;
}

/* [N] is a pointer to an int, as packetdrill writes it: N. */
static const struct expr *unwrap(const struct expr *e)
{
	return e && e->kind == EXPR_LIST && e->nitems == 1 ? e->items[0] : e;
}

static const struct named *named_find(const struct named *list, int64_t v)
{
	for (; list && list->name; list++)
		if (list->value == v)
			return list;
	return NULL;
}

/* How the script wrote an integer: its symbols, else the number (in buf). */
static const char *value_text(const struct expr *u, char *buf, size_t size)
{
	if (u->symbol)
		return u->symbol;
	snprintf(buf, size, "%" PRId64, u->value);
	return buf;
}

/* An integer within lo..hi: N or [N]. */
static int integer(struct arg_ctx *c, const struct expr *e, const char *what,
		   int64_t lo, int64_t hi, int64_t *v)
{
	const struct expr *u = unwrap(e);

	if (!u || u->kind != EXPR_INT)
		return bad(c, e, "expected %s, found %s", what,
			   u ? expr_kind_name(u->kind) : "nothing");
	if (u->value < lo || u->value > hi)
		return bad(c, u, "%s %" PRId64 " is out of range (%" PRId64
			   " to %" PRId64 ")", what, u->value, lo, hi);
	*v = u->value;
	return 0;
}

/* ---- the kinds of argument ---- */

static int check_any(struct arg_ctx *c, const struct arg_type *t,
		     const struct expr *e)
{
	(void)c, (void)t, (void)e;	/* bind()'s address: the harness's own */
	return 0;
}

static int check_int(struct arg_ctx *c, const struct arg_type *t,
		     const struct expr *e)
{
	int64_t v;

	return integer(c, e, "an integer", t->lo, t->hi, &v);
}

static int check_fd(struct arg_ctx *c, const struct arg_type *t,
		    const struct expr *e)
{
	int64_t v;

	(void)t;
	return integer(c, e, "descriptor", 0, INT_MAX, &v);
}

/* The allowed names of list, "A, B, C", into buf. */
static void allowed_names(const struct named *list, char *buf, size_t size)
{
	size_t o = 0;

	buf[0] = '\0';
	for (; list && list->name && o < size; list++)
		if (!list->why)
			o += snprintf(buf + o, size - o, "%s%s", o ? ", " : "",
				      list->name);
}

/* One of t->values, with any of t->flags ORed in. */
static int check_values(struct arg_ctx *c, const struct arg_type *t,
			const struct expr *e)
{
	const struct expr *u = unwrap(e);
	const struct named *n;
	char allowed[256];
	int64_t v;

	if (t->dots && e->kind == EXPR_ELLIPSIS)
		return 0;
	if (!u || u->kind != EXPR_INT)
		return bad(c, e, "expected an integer, found %s",
			   u ? expr_kind_name(u->kind) : "nothing");
	v = u->value;
	for (n = t->flags; n && n->name; n++) {
		if (!n->value || (v & n->value) != n->value)
			continue;
		if (n->why)
			return bad(c, u, "%s is not allowed (%s)", n->name, n->why);
		v &= ~n->value;
	}
	n = named_find(t->values, v);
	if (n && n->why)
		return bad(c, u, "%s is not allowed (%s)", n->name, n->why);
	if (n)
		return 0;
	allowed_names(t->values, allowed, sizeof(allowed));
	if (v == u->value && u->symbol)
		return bad(c, u, "%s is not allowed (allowed: %s)", u->symbol, allowed);
	return bad(c, u, "%#" PRIx64 " is not allowed (allowed: %s)", v, allowed);
}

/* read/recv: the harness's own buffer; nothing the script gives is read. */
static int check_buf_in(struct arg_ctx *c, const struct arg_type *t,
			const struct expr *e)
{
	(void)t;
	if (e->kind == EXPR_ELLIPSIS || e->kind == EXPR_NULL)
		return 0;
	return bad(c, e, "expected '...' or NULL, found %s", expr_kind_name(e->kind));
}

/* write/send: '...' (zeros), NULL, or a string of exactly the count's bytes. */
static int check_buf_out(struct arg_ctx *c, const struct arg_type *t,
			 const struct expr *e)
{
	const struct expr *n = unwrap(arg(c->sc, c->i + 1));

	(void)t;
	if (e->kind != EXPR_STRING)
		return check_buf_in(c, t, e);
	if (n && n->kind == EXPR_INT && (int64_t)strlen(e->string) != n->value)
		return bad(c, e, "a string of %zu bytes for a count of %" PRId64
			   " (argument %zu): the two must agree",
			   strlen(e->string), n->value, c->i + 2);
	return 0;
}

/* [{..., len}, {iov_base=..., iov_len=len}]: at most CALL_ARG_IOV_MAX. */
static int check_iovecs(struct arg_ctx *c, const struct arg_type *t,
			const struct expr *e)
{
	(void)t;
	if (e->kind != EXPR_LIST || e->nitems > CALL_ARG_IOV_MAX)
		return bad(c, e, "expected a list of at most %d {..., length}",
			   CALL_ARG_IOV_MAX);
	for (size_t k = 0; k < e->nitems; k++) {
		const struct expr *v = e->items[k];
		const struct expr *l = v->kind == EXPR_STRUCT && v->nitems == 2 ?
				       v->items[1] : NULL;
		int64_t len;

		if (!l || (l->field && strcmp(l->field, "iov_len")))
			return bad(c, v, "iovec %zu: expected {..., length}", k + 1);
		if (integer(c, l, "an iovec length", 0, CALL_ARG_IO_MAX, &len) < 0)
			return -1;
	}
	return 0;
}

/* The count of a readv/writev: at most the iovecs the line wrote. */
static int check_iovcnt(struct arg_ctx *c, const struct arg_type *t,
			const struct expr *e)
{
	const struct expr *list = arg(c->sc, c->i - 1);
	size_t n = list && list->kind == EXPR_LIST ? list->nitems : 0;
	int64_t v;

	(void)t;
	if (integer(c, e, "a count", 0, INT_MAX, &v) < 0)
		return -1;
	if ((uint64_t)v > n)
		return bad(c, unwrap(e), "count %" PRId64 " is more than the %zu "
			   "iovecs of argument %zu", v, n, c->i);
	return 0;
}

/* ---- fcntl() ---- */

static const struct named fd_flag_values[] = { { "0", 0, NULL }, V(FD_CLOEXEC), END };
static const struct arg_type fd_flags = { .check = check_values, .values = fd_flag_values };

/* On a socket only the status flags count; O_ASYNC arms SIGIO for F_SETOWN's owner. */
static const struct named fl_values[] = { V(O_RDONLY), V(O_WRONLY), V(O_RDWR), END };
static const struct named fl_flags[] = {
	V(O_NONBLOCK), NO(O_ASYNC, SIGNALS), END,
};
static const struct arg_type file_flags = { .check = check_values, .values = fl_values,
					     .flags = fl_flags };

static const struct fcntl_cmd {
	struct named cmd;
	const struct arg_type *arg;	/* its third argument, NULL for none */
} fcntl_cmds[] = {
	{ V(F_GETFD), NULL }, { V(F_SETFD), &fd_flags },
	{ V(F_GETFL), NULL }, { V(F_SETFL), &file_flags },
	{ NO(F_SETOWN, SIGNALS), NULL }, { NO(F_SETOWN_EX, SIGNALS), NULL },
	{ NO(F_SETSIG, SIGNALS), NULL }, { NO(F_SETLEASE, SIGNALS), NULL },
	{ NO(F_NOTIFY, SIGNALS), NULL },
	{ NO(F_DUPFD, "the new descriptor would have no number in the script"), NULL },
	{ NO(F_DUPFD_CLOEXEC, "the new descriptor would have no number in the script"), NULL },
};

static const struct fcntl_cmd *fcntl_find(const struct syscall_event *sc)
{
	const struct expr *u = unwrap(arg(sc, 1));

	for (size_t k = 0; u && u->kind == EXPR_INT &&
	     k < sizeof(fcntl_cmds) / sizeof(fcntl_cmds[0]); k++)
		if (fcntl_cmds[k].cmd.value == u->value)
			return &fcntl_cmds[k];
	return NULL;
}

static int check_fcntl_cmd(struct arg_ctx *c, const struct arg_type *t,
			   const struct expr *e)
{
	const struct fcntl_cmd *f = fcntl_find(c->sc);
	const struct expr *u = unwrap(e);
	char buf[32];

	(void)t;
	if (!u || u->kind != EXPR_INT)
		return bad(c, e, "expected an integer, found %s",
			   u ? expr_kind_name(u->kind) : "nothing");
	if (f && f->cmd.why)
		return bad(c, u, "%s is not allowed (%s)", f->cmd.name, f->cmd.why);
	if (!f)
		return bad(c, u, "%s is not allowed (allowed: F_GETFD, F_SETFD, "
			   "F_GETFL, F_SETFL)", value_text(u, buf, sizeof(buf)));
	if (f->arg && c->sc->nargs < 3)
		return bad(c, u, "%s needs a third argument", f->cmd.name);
	if (!f->arg && c->sc->nargs > 2)
		return bad(c, u, "%s takes no third argument", f->cmd.name);
	return 0;
}

static int check_fcntl_arg(struct arg_ctx *c, const struct arg_type *t,
			   const struct expr *e)
{
	const struct fcntl_cmd *f = fcntl_find(c->sc);

	(void)t;	/* the command's entry says: checked after it */
	return f && f->arg ? f->arg->check(c, f->arg, e) : 0;
}

/* ---- setsockopt() and getsockopt() ---- */

enum opt_type {
	OPT_INT,
	OPT_LINGER,
};

static const struct named levels[] = {
	V(SOL_SOCKET), V(IPPROTO_TCP), V(IPPROTO_IP), V(IPPROTO_IPV6), END,
};

#define MODULE	"the kernel may load a module by that name, outside the case"

static const struct sockopt {
	int64_t level;
	struct named name;
	enum opt_type type;
} sockopts[] = {
#define OK(level, name)		{ level, V(name), OPT_INT }
	OK(SOL_SOCKET, SO_REUSEADDR), OK(SOL_SOCKET, SO_REUSEPORT),
	OK(SOL_SOCKET, SO_KEEPALIVE), { SOL_SOCKET, V(SO_LINGER), OPT_LINGER },
	OK(SOL_SOCKET, SO_RCVBUF), OK(SOL_SOCKET, SO_SNDBUF),
	OK(SOL_SOCKET, SO_RCVLOWAT), OK(SOL_SOCKET, SO_OOBINLINE),
	OK(SOL_SOCKET, SO_PRIORITY), OK(SOL_SOCKET, SO_ERROR),
	OK(SOL_SOCKET, SO_TYPE), OK(SOL_SOCKET, SO_DOMAIN),
	OK(SOL_SOCKET, SO_PROTOCOL), OK(SOL_SOCKET, SO_ACCEPTCONN),
	{ SOL_SOCKET, NO(SO_RCVBUFFORCE, "it bypasses the host's memory limits"), OPT_INT },
	{ SOL_SOCKET, NO(SO_SNDBUFFORCE, "it bypasses the host's memory limits"), OPT_INT },
	{ SOL_SOCKET, NO(SO_MARK, "it steers the namespace's routing and filtering"), OPT_INT },
	{ SOL_SOCKET, NO(SO_BUSY_POLL, "it spins a CPU the host shares"), OPT_INT },
	OK(IPPROTO_TCP, TCP_NODELAY), OK(IPPROTO_TCP, TCP_MAXSEG),
	OK(IPPROTO_TCP, TCP_CORK), OK(IPPROTO_TCP, TCP_KEEPIDLE),
	OK(IPPROTO_TCP, TCP_KEEPINTVL), OK(IPPROTO_TCP, TCP_KEEPCNT),
	OK(IPPROTO_TCP, TCP_SYNCNT), OK(IPPROTO_TCP, TCP_LINGER2),
	OK(IPPROTO_TCP, TCP_DEFER_ACCEPT), OK(IPPROTO_TCP, TCP_WINDOW_CLAMP),
	OK(IPPROTO_TCP, TCP_QUICKACK), OK(IPPROTO_TCP, TCP_USER_TIMEOUT),
	OK(IPPROTO_TCP, TCP_NOTSENT_LOWAT), OK(IPPROTO_TCP, TCP_THIN_LINEAR_TIMEOUTS),
	OK(IPPROTO_TCP, TCP_FASTOPEN), OK(IPPROTO_TCP, TCP_FASTOPEN_CONNECT),
	OK(IPPROTO_TCP, TCP_FASTOPEN_NO_COOKIE), OK(IPPROTO_TCP, TCP_INQ),
	{ IPPROTO_TCP, NO(TCP_CONGESTION, MODULE), OPT_INT },
	{ IPPROTO_TCP, NO(TCP_ULP, MODULE), OPT_INT },
	OK(IPPROTO_IP, IP_TOS), OK(IPPROTO_IP, IP_TTL), OK(IPPROTO_IP, IP_RECVERR),
	OK(IPPROTO_IP, IP_MTU_DISCOVER),
	OK(IPPROTO_IPV6, IPV6_V6ONLY), OK(IPPROTO_IPV6, IPV6_TCLASS),
	OK(IPPROTO_IPV6, IPV6_UNICAST_HOPS), OK(IPPROTO_IPV6, IPV6_RECVERR),
	OK(IPPROTO_IPV6, IPV6_MTU_DISCOVER),
#undef OK
};

static const struct sockopt *sockopt_find(const struct syscall_event *sc)
{
	const struct expr *l = unwrap(arg(sc, 1)), *n = unwrap(arg(sc, 2));

	if (!l || !n || l->kind != EXPR_INT || n->kind != EXPR_INT)
		return NULL;
	for (size_t k = 0; k < sizeof(sockopts) / sizeof(sockopts[0]); k++)
		if (sockopts[k].level == l->value && sockopts[k].name.value == n->value)
			return &sockopts[k];
	return NULL;
}

static int check_optname(struct arg_ctx *c, const struct arg_type *t,
			 const struct expr *e)
{
	const struct sockopt *o = sockopt_find(c->sc);
	const struct expr *u = unwrap(e), *l = unwrap(arg(c->sc, 1));
	char name[32], level[32];

	(void)t;
	if (!u || u->kind != EXPR_INT)
		return bad(c, e, "expected an integer, found %s",
			   u ? expr_kind_name(u->kind) : "nothing");
	if (o && o->name.why)
		return bad(c, u, "%s is not allowed (%s)", o->name.name, o->name.why);
	if (!o)
		return bad(c, u, "%s is not allowed at level %s",
			   value_text(u, name, sizeof(name)),
			   value_text(l, level, sizeof(level)));
	return 0;
}

/* The value in the type the table gives the option, into *v. */
static int optval(struct arg_ctx *c, const struct sockopt *o,
		  const struct expr *e, struct call_optval *v)
{
	int64_t x;

	memset(v, 0, sizeof(*v));
	if (o->type == OPT_INT) {
		if (integer(c, e, "an integer", INT_MIN, INT_MAX, &x) < 0)
			return -1;
		v->u.i = (int)x;
		v->len = sizeof(int);
		return 0;
	}
	if (e->kind != EXPR_STRUCT)
		return bad(c, e, "%s takes {l_onoff=N, l_linger=N}, found %s",
			   o->name.name, expr_kind_name(e->kind));
	for (size_t k = 0; k < e->nitems; k++) {
		const struct expr *f = e->items[k];
		bool onoff = f->field && !strcmp(f->field, "l_onoff");

		if (!onoff && (!f->field || strcmp(f->field, "l_linger")))
			return bad(c, f, "expected l_onoff=N or l_linger=N");
		if (integer(c, f, f->field, INT_MIN, INT_MAX, &x) < 0)
			return -1;
		*(onoff ? &v->u.l.l_onoff : &v->u.l.l_linger) = (int)x;
	}
	v->len = sizeof(struct linger);
	return 0;
}

static int check_optval(struct arg_ctx *c, const struct arg_type *t,
			const struct expr *e)
{
	const struct sockopt *o = sockopt_find(c->sc);
	struct call_optval v;

	(void)t;
	return o ? optval(c, o, e, &v) : 0;
}

/* The length: '...', or the size of the option's type. */
static int check_optlen(struct arg_ctx *c, const struct arg_type *t,
			const struct expr *e)
{
	const struct sockopt *o = sockopt_find(c->sc);
	size_t size = o && o->type == OPT_LINGER ? sizeof(struct linger) : sizeof(int);
	int64_t len;

	(void)t;
	if (!o || e->kind == EXPR_ELLIPSIS)
		return 0;
	if (integer(c, e, "a length", 0, INT_MAX, &len) < 0)
		return -1;
	if ((uint64_t)len != size)
		return bad(c, unwrap(e), "length %" PRId64 " does not match %s, "
			   "%zu bytes", len, o->name.name, size);
	return 0;
}

/* ---- tcp_diag() ---- */

static const struct diag_field {
	const char *name;
	size_t off, size;
} diag_fields[] = {
#define F(n, m) { n, offsetof(struct diag_sock, m), sizeof(((struct diag_sock *)0)->m) }
	F("idiag_state", state), F("idiag_timer", timer),
	F("idiag_retrans", retrans), F("idiag_expires", expires_ms),
	F("idiag_rqueue", rqueue), F("idiag_wqueue", wqueue),
#undef F
};

static const struct diag_field *diag_field_find(const char *name)
{
	for (size_t k = 0; name && k < sizeof(diag_fields) / sizeof(diag_fields[0]); k++)
		if (!strcmp(diag_fields[k].name, name))
			return &diag_fields[k];
	return NULL;
}

bool call_arg_diag_field(const char *name, const struct diag_sock *d, long *v)
{
	const struct diag_field *f = diag_field_find(name);
	const uint8_t *p;

	if (!f)
		return false;
	p = (const uint8_t *)d + f->off;
	if (f->size == 1) {
		*v = *p;
	} else {
		uint32_t x;

		memcpy(&x, p, sizeof(x));
		*v = x;
	}
	return true;
}

/* {idiag_state=TCP_TIME_WAIT, idiag_expires=55000~60000} */
static int check_diag(struct arg_ctx *c, const struct arg_type *t,
		      const struct expr *e)
{
	(void)t;
	if (e->kind != EXPR_STRUCT)
		return bad(c, e, "expected {idiag_state=..., ...}, found %s",
			   expr_kind_name(e->kind));
	for (size_t k = 0; k < e->nitems; k++) {
		const struct expr *f = e->items[k];

		if (!diag_field_find(f->field))
			return bad(c, f, "unknown field '%s'", f->field ? f->field : "?");
		if (f->kind != EXPR_INT && f->kind != EXPR_RANGE)
			return bad(c, f, "%s: expected an integer or a range, found %s",
				   f->field, expr_kind_name(f->kind));
	}
	return 0;
}

/* ---- the calls ---- */

static const struct named domains[] = { V(AF_INET), V(AF_INET6), END };
/* only TCP is tested: other kinds of socket have no business in a case */
static const struct named sock_types[] = {
	V(SOCK_STREAM), NO(SOCK_DGRAM, "only TCP sockets are tested"),
	NO(SOCK_RAW, "only TCP sockets are tested"), END,
};
static const struct named sock_flags[] = { V(SOCK_NONBLOCK), V(SOCK_CLOEXEC), END };
static const struct named protocols[] = { { "0", 0, NULL }, V(IPPROTO_TCP), END };
static const struct named no_flags[] = { { "0", 0, NULL }, END };
static const struct named recv_flag_bits[] = {
	V(MSG_PEEK), V(MSG_DONTWAIT), V(MSG_WAITALL), V(MSG_OOB), V(MSG_TRUNC), END,
};
static const struct named send_flag_bits[] = {
	V(MSG_DONTWAIT), V(MSG_NOSIGNAL), V(MSG_MORE), V(MSG_OOB), V(MSG_EOR), END,
};

static const struct arg_type any = { .check = check_any }, fd = { .check = check_fd },
	domain = { .check = check_values, .values = domains, .dots = true },
	sock_type = { .check = check_values, .values = sock_types, .flags = sock_flags },
	protocol = { .check = check_values, .values = protocols },
	/* the kernel caps it at net.core.somaxconn anyway */
	backlog = { .check = check_int, .lo = 0, .hi = 65535 },
	buf_in = { .check = check_buf_in }, buf_out = { .check = check_buf_out },
	io_count = { .check = check_int, .lo = 0, .hi = CALL_ARG_IO_MAX },
	recv_flags = { .check = check_values, .values = no_flags, .flags = recv_flag_bits },
	send_flags = { .check = check_values, .values = no_flags, .flags = send_flag_bits },
	iovecs = { .check = check_iovecs }, iovcnt = { .check = check_iovcnt },
	how = { .check = check_int, .lo = INT_MIN, .hi = INT_MAX },
	fcntl_cmd = { .check = check_fcntl_cmd }, fcntl_arg = { .check = check_fcntl_arg },
	level = { .check = check_values, .values = levels },
	optname = { .check = check_optname }, optval_arg = { .check = check_optval },
	optlen = { .check = check_optlen }, diag = { .check = check_diag };

static const struct call_desc {
	const char *name;
	unsigned int min_args, max_args;
	bool returns_fd;
	const struct arg_type *args[5];
} calls[] = {
	{ "socket", 3, 3, true, { &domain, &sock_type, &protocol } },
	{ "bind", 3, 3, false, { &fd, &any, &any } },
	{ "listen", 2, 2, false, { &fd, &backlog } },
	{ "accept", 3, 3, true, { &fd, &any, &any } },
	{ "connect", 3, 3, false, { &fd, &any, &any } },
	{ "read", 3, 3, false, { &fd, &buf_in, &io_count } },
	{ "write", 3, 3, false, { &fd, &buf_out, &io_count } },
	{ "recv", 4, 4, false, { &fd, &buf_in, &io_count, &recv_flags } },
	{ "send", 4, 4, false, { &fd, &buf_out, &io_count, &send_flags } },
	{ "readv", 3, 3, false, { &fd, &iovecs, &iovcnt } },
	{ "writev", 3, 3, false, { &fd, &iovecs, &iovcnt } },
	{ "close", 1, 1, false, { &fd } },
	{ "shutdown", 2, 2, false, { &fd, &how } },
	{ "dup", 1, 1, true, { &fd } },
	{ "fcntl", 2, 3, false, { &fd, &fcntl_cmd, &fcntl_arg } },
	{ "setsockopt", 5, 5, false, { &fd, &level, &optname, &optval_arg, &optlen } },
	{ "getsockopt", 5, 5, false, { &fd, &level, &optname, &optval_arg, &optlen } },
	{ "tcp_diag", 1, 2, false, { &any, &diag } },
	{ "fork", 0, 0, false, END },
	{ "child_exit", 0, 0, false, END },
};

static const struct call_desc *call_find(const char *name)
{
	for (size_t k = 0; name && k < sizeof(calls) / sizeof(calls[0]); k++)
		if (!strcmp(calls[k].name, name))
			return &calls[k];
	return NULL;
}

bool call_arg_returns_fd(const char *name)
{
	const struct call_desc *d = call_find(name);

	return d && d->returns_fd;
}

/* Count and arguments in order, then a descriptor result that fits an int. */
static int check_call(struct arg_ctx *c, const struct call_desc *d)
{
	const struct syscall_event *sc = c->sc;
	const struct expr *r = sc->result;

	if (sc->nargs < d->min_args || sc->nargs > d->max_args)
		return error_set(c->error, "%s() takes %u to %u arguments, the "
				 "script gives %zu", sc->name, d->min_args,
				 d->max_args, sc->nargs);
	for (c->i = 0; c->i < sc->nargs; c->i++)
		if (d->args[c->i]->check(c, d->args[c->i], sc->args[c->i]) < 0)
			return STATUS_ERROR;
	if (d->returns_fd && r && r->kind == EXPR_INT &&
	    (r->value < -1 || r->value > INT_MAX)) {
		c->at = r;
		return error_set(c->error, "%s(): result %" PRId64 " is out of "
				 "range for a descriptor (-1 to %d)", sc->name,
				 r->value, INT_MAX);
	}
	return 0;
}

int call_arg_check(const char *script, const struct event *ev, char **error)
{
	const struct syscall_event *sc = &ev->u.syscall;
	const struct call_desc *d = call_find(sc->name);
	struct arg_ctx c = { .sc = sc, .error = error };
	int rc;

	if (!d)
		rc = error_skip(error, "system call %s() is not supported", sc->name);
	else
		rc = check_call(&c, d);
	if (rc < 0)
		error_prefix(error, "%s:%d:%d", script ? script : "script",
			     c.at ? c.at->line : ev->line,
			     c.at ? c.at->column : ev->column);
	return rc;
}

/* ---- reading arguments when the call is made ---- */

int call_arg_int(const struct syscall_event *sc, size_t i, int *v, char **error)
{
	struct arg_ctx c = { .sc = sc, .i = i, .error = error };
	int64_t x;

	if (integer(&c, arg(sc, i), "an integer", INT_MIN, INT_MAX, &x) < 0)
		return -1;
	*v = (int)x;
	return 0;
}

int call_arg_iovecs(const struct syscall_event *sc, size_t *lens, size_t *n,
		    int *count, char **error)
{
	struct arg_ctx c = { .sc = sc, .i = 1, .error = error };
	const struct expr *list = arg(sc, 1);

	if (!list || check_iovecs(&c, &iovecs, list) < 0)
		return list ? -1 : bad(&c, NULL, "expected a list of iovecs");
	c.i = 2;
	if (call_arg_int(sc, 2, count, error) < 0 || check_iovcnt(&c, &iovcnt, arg(sc, 2)) < 0)
		return -1;
	for (*n = 0; *n < list->nitems; (*n)++)
		lens[*n] = (size_t)unwrap(list->items[*n]->items[1])->value;
	return 0;
}

int call_arg_sockopt(const struct syscall_event *sc, int *level_out, int *name,
		     struct call_optval *v, char **error)
{
	struct arg_ctx c = { .sc = sc, .i = 1, .error = error };
	const struct sockopt *o;

	if (sc->nargs < 4 || check_values(&c, &level, sc->args[1]) < 0)
		return sc->nargs < 4 ? bad(&c, NULL, "expected a level") : -1;
	c.i = 2;
	if (check_optname(&c, &optname, sc->args[2]) < 0)
		return -1;
	o = sockopt_find(sc);
	c.i = 3;
	if (optval(&c, o, sc->args[3], v) < 0)
		return -1;
	*level_out = (int)o->level;
	*name = (int)o->name.value;
	return 0;
}
