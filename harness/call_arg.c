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
#include "call_int.h"
#include "error.h"
#include "expr.h"

/* after the headers above: its TCPOPT_* macros would clash with tcp_option.h's enum */
#include <netinet/tcp.h>

/* "NAME(): argument N: why", pointing at at. */
int arg_bad(struct arg_ctx *c, const struct expr *at, const char *fmt, ...)
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

const struct expr *arg_at(const struct syscall_event *sc, size_t i)
{
	return i < sc->nargs ? sc->args[i] : NULL;
}

/* [N] is a pointer to an int, as packetdrill writes it: N. */
const struct expr *arg_unwrap(const struct expr *e)
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
const char *arg_value_text(const struct expr *u, char *buf, size_t size)
{
	if (u->symbol)
		return u->symbol;
	snprintf(buf, size, "%" PRId64, u->value);
	return buf;
}

/* An integer within lo..hi: N or [N]. */
int arg_integer(struct arg_ctx *c, const struct expr *e, const char *what,
		   int64_t lo, int64_t hi, int64_t *v)
{
	const struct expr *u = arg_unwrap(e);

	if (!u || u->kind != EXPR_INT)
		return arg_bad(c, e, "expected %s, found %s", what,
			   u ? expr_kind_name(u->kind) : "nothing");
	if (u->value < lo || u->value > hi)
		return arg_bad(c, u, "%s %" PRId64 " is out of range (%" PRId64
			   " to %" PRId64 ")", what, u->value, lo, hi);
	*v = u->value;
	return 0;
}

/* ---- the kinds of argument ---- */

int arg_check_any(struct arg_ctx *c, const struct arg_type *t,
		     const struct expr *e)
{
	(void)c, (void)t, (void)e;	/* bind()'s address: the harness's own */
	return 0;
}

int arg_check_int(struct arg_ctx *c, const struct arg_type *t,
		     const struct expr *e)
{
	int64_t v;

	return arg_integer(c, e, "an integer", t->lo, t->hi, &v);
}

static int check_fd(struct arg_ctx *c, const struct arg_type *t,
		    const struct expr *e)
{
	int64_t v;

	(void)t;
	return arg_integer(c, e, "descriptor", 0, INT_MAX, &v);
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
int arg_check_values(struct arg_ctx *c, const struct arg_type *t,
			const struct expr *e)
{
	const struct expr *u = arg_unwrap(e);
	const struct named *n;
	char allowed[256];
	int64_t v;

	if (t->dots && e->kind == EXPR_ELLIPSIS)
		return 0;
	if (!u || u->kind != EXPR_INT)
		return arg_bad(c, e, "expected an integer, found %s",
			   u ? expr_kind_name(u->kind) : "nothing");
	v = u->value;
	for (n = t->flags; n && n->name; n++) {
		if (!n->value || (v & n->value) != n->value)
			continue;
		if (n->why)
			return arg_bad(c, u, "%s is not allowed (%s)", n->name, n->why);
		v &= ~n->value;
	}
	n = named_find(t->values, v);
	if (n && n->why)
		return arg_bad(c, u, "%s is not allowed (%s)", n->name, n->why);
	if (n)
		return 0;
	allowed_names(t->values, allowed, sizeof(allowed));
	if (v == u->value && u->symbol)
		return arg_bad(c, u, "%s is not allowed (allowed: %s)", u->symbol, allowed);
	return arg_bad(c, u, "%#" PRIx64 " is not allowed (allowed: %s)", v, allowed);
}

/* read/recv: the harness's own buffer; nothing the script gives is read. */
static int check_buf_in(struct arg_ctx *c, const struct arg_type *t,
			const struct expr *e)
{
	(void)t;
	if (e->kind == EXPR_ELLIPSIS || e->kind == EXPR_NULL)
		return 0;
	return arg_bad(c, e, "expected '...' or NULL, found %s", expr_kind_name(e->kind));
}

/* write/send: '...' (zeros), NULL, or a string of exactly the count's bytes. */
static int check_buf_out(struct arg_ctx *c, const struct arg_type *t,
			 const struct expr *e)
{
	const struct expr *n = arg_unwrap(arg_at(c->sc, c->i + 1));

	(void)t;
	if (e->kind != EXPR_STRING)
		return check_buf_in(c, t, e);
	if (n && n->kind == EXPR_INT && (int64_t)strlen(e->string) != n->value)
		return arg_bad(c, e, "a string of %zu bytes for a count of %" PRId64
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
		return arg_bad(c, e, "expected a list of at most %d {..., length}",
			   CALL_ARG_IOV_MAX);
	for (size_t k = 0; k < e->nitems; k++) {
		const struct expr *v = e->items[k];
		const struct expr *l = v->kind == EXPR_STRUCT && v->nitems == 2 ?
				       v->items[1] : NULL;
		int64_t len;

		if (!l || (l->field && strcmp(l->field, "iov_len")))
			return arg_bad(c, v, "iovec %zu: expected {..., length}", k + 1);
		if (arg_integer(c, l, "an iovec length", 0, CALL_ARG_IO_MAX, &len) < 0)
			return -1;
	}
	return 0;
}

/* The count of a readv/writev: at most the iovecs the line wrote. */
static int check_iovcnt(struct arg_ctx *c, const struct arg_type *t,
			const struct expr *e)
{
	const struct expr *list = arg_at(c->sc, c->i - 1);
	size_t n = list && list->kind == EXPR_LIST ? list->nitems : 0;
	int64_t v;

	(void)t;
	if (arg_integer(c, e, "a count", 0, INT_MAX, &v) < 0)
		return -1;
	if ((uint64_t)v > n)
		return arg_bad(c, arg_unwrap(e), "count %" PRId64 " is more than the %zu "
			   "iovecs of argument %zu", v, n, c->i);
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
	V(MSG_DONTWAIT), V(MSG_NOSIGNAL), V(MSG_MORE), V(MSG_OOB), V(MSG_EOR),
	V(MSG_ZEROCOPY), END,
};

static const struct named sendto_flag_bits[] = {
	V(MSG_DONTWAIT), V(MSG_NOSIGNAL), V(MSG_MORE), V(MSG_OOB), V(MSG_EOR),
	V(MSG_FASTOPEN), V(MSG_ZEROCOPY), END,
};
/* connect(fd, AF_UNSPEC, ...) disconnects; any other address is the harness's own */
static const struct named peer_families[] = { V(AF_UNSPEC), END };

const struct arg_type arg_any = { .check = arg_check_any }, arg_fd = { .check = check_fd };

static const struct arg_type domain = { .check = arg_check_values, .values = domains, .dots = true },
	sock_type = { .check = arg_check_values, .values = sock_types, .flags = sock_flags },
	protocol = { .check = arg_check_values, .values = protocols },
	/* the kernel caps it at net.core.somaxconn anyway */
	backlog = { .check = arg_check_int, .lo = 0, .hi = 65535 },
	buf_in = { .check = check_buf_in }, buf_out = { .check = check_buf_out },
	io_count = { .check = arg_check_int, .lo = 0, .hi = CALL_ARG_IO_MAX },
	recv_flags = { .check = arg_check_values, .values = no_flags, .flags = recv_flag_bits },
	send_flags = { .check = arg_check_values, .values = no_flags, .flags = send_flag_bits },
	sendto_flags = { .check = arg_check_values, .values = no_flags,
			 .flags = sendto_flag_bits },
	peer = { .check = arg_check_values, .values = peer_families, .dots = true },
	iovecs = { .check = check_iovecs }, iovcnt = { .check = check_iovcnt },
	how = { .check = arg_check_int, .lo = INT_MIN, .hi = INT_MAX };

#define A(x)	&arg_##x

/* The one table: each call, what it may be given, what makes it. */
static const struct call_desc calls[] = {
	{ "socket", 3, 3, true, call_do_socket, { &domain, &sock_type, &protocol } },
	{ "bind", 3, 3, false, call_do_bind, { A(fd), A(any), A(any) } },
	{ "listen", 2, 2, false, call_do_listen, { A(fd), &backlog } },
	{ "accept", 3, 3, true, call_do_accept, { A(fd), A(any), A(any) } },
	{ "connect", 3, 3, false, call_do_connect, { A(fd), &peer, A(any) } },
	{ "read", 3, 3, false, call_do_rw, { A(fd), &buf_in, &io_count } },
	{ "write", 3, 3, false, call_do_rw, { A(fd), &buf_out, &io_count } },
	{ "recv", 4, 4, false, call_do_rw, { A(fd), &buf_in, &io_count, &recv_flags } },
	{ "send", 4, 4, false, call_do_rw, { A(fd), &buf_out, &io_count, &send_flags } },
	{ "recvfrom", 6, 6, false, call_do_rw,
	  { A(fd), &buf_in, &io_count, &recv_flags, A(any), A(any) } },
	{ "sendto", 6, 6, false, call_do_sendto,
	  { A(fd), &buf_out, &io_count, &sendto_flags, &peer, A(any) } },
	{ "recvmsg", 3, 3, false, call_do_recvmsg, { A(fd), A(msghdr), A(recvmsg_flags) } },
	{ "sendmsg", 3, 3, false, call_do_sendmsg, { A(fd), A(msghdr), A(sendmsg_flags) } },
	{ "readv", 3, 3, false, call_do_rwv, { A(fd), &iovecs, &iovcnt } },
	{ "writev", 3, 3, false, call_do_rwv, { A(fd), &iovecs, &iovcnt } },
	{ "close", 1, 1, false, call_do_close, { A(fd) } },
	{ "shutdown", 2, 2, false, call_do_shutdown, { A(fd), &how } },
	{ "dup", 1, 1, true, call_do_dup, { A(fd) } },
	{ "fcntl", 2, 3, false, call_do_fcntl, { A(fd), A(fcntl_cmd), A(fcntl_arg) } },
	{ "setsockopt", 5, 5, false, call_do_setsockopt,
	  { A(fd), A(level), A(optname), A(optval), A(optlen) } },
	{ "getsockopt", 5, 5, false, call_do_getsockopt,
	  { A(fd), A(level), A(optname), A(optval), A(optlen) } },
	{ "tcp_diag", 1, 2, false, call_do_tcp_diag, { A(any), A(diag) } },
	{ "ioctl", 3, 3, false, call_do_ioctl, { A(fd), A(ioctl_req), A(ioctl_val) } },
	{ "poll", 3, 3, false, call_do_poll, { A(pollfds), A(nfds), A(timeout) } },
	{ "epoll_create", 1, 1, true, call_do_epoll_create, { A(epoll_size) } },
	{ "epoll_ctl", 4, 4, false, call_do_epoll_ctl,
	  { A(fd), A(epoll_op), A(fd), A(epoll_event) } },
	{ "epoll_wait", 4, 4, false, call_do_epoll_wait,
	  { A(fd), A(epoll_events), A(nfds), A(timeout) } },
	{ "pipe", 1, 1, false, call_do_pipe, { A(pipefds) } },
	{ "open", 2, 2, true, call_do_open, { A(path), A(open_flags) } },
	{ "splice", 6, 6, false, call_do_splice,
	  { A(fd), A(no_offset), A(fd), A(no_offset), A(file_count), A(splice_flags) } },
	{ "sendfile", 4, 4, false, call_do_sendfile,
	  { A(fd), A(fd), A(file_offset), A(file_count) } },
	{ "sigpending", 1, 1, false, call_do_sigpending, { A(sigset) } },
	{ "fork", 0, 0, false, call_do_fork, { NULL } },
	{ "child_exit", 0, 0, false, call_do_child_exit, { NULL } },
};

#undef A

const struct call_desc *call_desc_find(const char *name)
{
	for (size_t k = 0; name && k < sizeof(calls) / sizeof(calls[0]); k++)
		if (!strcmp(calls[k].name, name))
			return &calls[k];
	return NULL;
}

bool call_arg_returns_fd(const char *name)
{
	const struct call_desc *d = call_desc_find(name);

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
	for (c->i = 0; c->i < sc->nargs; c->i++) {
		/* a kind may SKIP what it knows of and tcpconf does not do */
		int rc = d->args[c->i]->check(c, d->args[c->i], sc->args[c->i]);

		if (rc < 0)
			return rc;
	}
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
	const struct call_desc *d = call_desc_find(sc->name);
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

	if (arg_integer(&c, arg_at(sc, i), "an integer", INT_MIN, INT_MAX, &x) < 0)
		return -1;
	*v = (int)x;
	return 0;
}

int call_arg_iovecs(const struct syscall_event *sc, size_t *lens, size_t *n,
		    int *count, char **error)
{
	struct arg_ctx c = { .sc = sc, .i = 1, .error = error };
	const struct expr *list = arg_at(sc, 1);

	if (!list || check_iovecs(&c, &iovecs, list) < 0)
		return list ? -1 : arg_bad(&c, NULL, "expected a list of iovecs");
	c.i = 2;
	if (call_arg_int(sc, 2, count, error) < 0 || check_iovcnt(&c, &iovcnt, arg_at(sc, 2)) < 0)
		return -1;
	for (*n = 0; *n < list->nitems; (*n)++)
		lens[*n] = (size_t)arg_unwrap(list->items[*n]->items[1])->value;
	return 0;
}

