/* call.c - the system calls a script makes on the kernel side, with script descriptors mapped to live ones. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "call.h"
#include "call_arg.h"
#include "diag.h"
#include "error.h"
#include "exec.h"
#include "state.h"
#include "symbol.h"

#define MAX_FDS	64

/* The worker's own state: nothing here is touched by the event loop. */
struct calls {
	const struct state *st;		/* its read-only part (state.h) */

	/* Script descriptor numbers vs the live ones. */
	struct { int script, live; } fds[MAX_FDS];
	size_t nfds;

	/* A child from fork() holding copies of every descriptor. */
	pid_t child;
	int child_pipe;

	/* The call being made: its copy of the request, its side result. */
	uint16_t kernel_port;		/* 0 while unknown */
	bool bound;
};

struct calls *calls_new(const struct state *st)
{
	struct calls *cs = calloc(1, sizeof(*cs));

	if (!cs)
		return NULL;
	cs->st = st;
	cs->child = -1;
	cs->child_pipe = -1;
	return cs;
}

typedef int (*call_fn)(struct calls *cs, const struct syscall_event *sc,
		       long *ret, int *err, char **error);

/* ---- descriptors ---- */

/* Live descriptor for a script one; -1 when the script never made it. */
static int fd_live(const struct calls *cs, int script_fd)
{
	for (size_t i = 0; i < cs->nfds; i++)
		if (cs->fds[i].script == script_fd)
			return cs->fds[i].live;
	return -1;
}

static void fd_remove(struct calls *cs, int script_fd)
{
	for (size_t i = 0; i < cs->nfds; i++)
		if (cs->fds[i].script == script_fd) {
			cs->fds[i] = cs->fds[--cs->nfds];
			return;
		}
}

static int fd_add(struct calls *cs, int script_fd, int live_fd)
{
	fd_remove(cs, script_fd);
	if (cs->nfds == MAX_FDS)
		return -1;
	cs->fds[cs->nfds].script = script_fd;
	cs->fds[cs->nfds].live = live_fd;
	cs->nfds++;
	return 0;
}

/* ---- arguments ---- */

static const struct expr *arg(const struct syscall_event *sc, size_t i)
{
	return i < sc->nargs ? sc->args[i] : NULL;
}

/* A script descriptor argument (0..INT_MAX, call_arg.c) and its live one. */
static int arg_fd(const struct calls *cs, const struct syscall_event *sc,
		  size_t i, int *fd, char **error)
{
	int v;

	if (call_arg_int(sc, i, &v, error) < 0)
		return -1;
	*fd = fd_live(cs, v);
	if (*fd < 0)
		return error_set(error, "%s(): descriptor %d was never opened by "
				 "this script", sc->name, v);
	return 0;
}

/* Store the raw result the way every call reports it. */
static void result(long rc, long *ret, int *err)
{
	*ret = rc;
	*err = rc < 0 ? errno : 0;
}

/* ---- the calls ---- */

static int do_socket(struct calls *cs, const struct syscall_event *sc,
		     long *ret, int *err, char **error)
{
	const struct expr *d = arg(sc, 0);
	int domain = cs->st->family, type, proto;

	if (d && d->kind != EXPR_ELLIPSIS && call_arg_int(sc, 0, &domain, error) < 0)
		return -1;
	if (call_arg_int(sc, 1, &type, error) < 0 || call_arg_int(sc, 2, &proto, error) < 0)
		return -1;
	result(socket(domain, type, proto), ret, err);
	return 0;
}

static int do_bind(struct calls *cs, const struct syscall_event *sc,
		   long *ret, int *err, char **error)
{
	struct sockaddr_storage ss;
	socklen_t len = ip_address_sockaddr(&cs->st->kernel_addr, EXEC_KERNEL_PORT, &ss);
	int fd;

	if (arg_fd(cs, sc, 0, &fd, error) < 0)
		return -1;
	result(bind(fd, (struct sockaddr *)&ss, len), ret, err);
	cs->bound = *ret == 0;
	return 0;
}

static int do_connect(struct calls *cs, const struct syscall_event *sc,
		      long *ret, int *err, char **error)
{
	struct sockaddr_storage ss;
	socklen_t len = ip_address_sockaddr(&cs->st->harness_addr, cs->st->harness_port, &ss);
	int fd;

	if (arg_fd(cs, sc, 0, &fd, error) < 0)
		return -1;
	result(connect(fd, (struct sockaddr *)&ss, len), ret, err);
	return 0;
}

static int do_listen(struct calls *cs, const struct syscall_event *sc,
		     long *ret, int *err, char **error)
{
	int fd, backlog;

	if (arg_fd(cs, sc, 0, &fd, error) < 0 || call_arg_int(sc, 1, &backlog, error) < 0)
		return -1;
	result(listen(fd, backlog), ret, err);
	return 0;
}

static int do_accept(struct calls *cs, const struct syscall_event *sc,
		     long *ret, int *err, char **error)
{
	int fd;

	if (arg_fd(cs, sc, 0, &fd, error) < 0)
		return -1;
	result(accept(fd, NULL, NULL), ret, err);
	return 0;
}

/* Buffer for a read/write of n bytes; a string argument gives the bytes to write. */
static char *io_buffer(const struct syscall_event *sc, size_t bufarg, int n,
		       char **error)
{
	const struct expr *b = arg(sc, bufarg);
	char *buf;

	if (n < 0 || n > CALL_ARG_IO_MAX) {
		error_set(error, "%s(): length %d out of range 0..%d", sc->name,
			  n, CALL_ARG_IO_MAX);
		return NULL;
	}
	buf = calloc(1, n ? n : 1);
	if (!buf) {
		error_set(error, "out of memory");
		return NULL;
	}
	if (b && b->kind == EXPR_STRING)
		memcpy(buf, b->string, strnlen(b->string, n));
	return buf;
}

static int do_rw(struct calls *cs, const struct syscall_event *sc, long *ret,
		 int *err, char **error)
{
	bool is_read = !strcmp(sc->name, "read") || !strcmp(sc->name, "recv");
	bool has_flags = !strcmp(sc->name, "send") || !strcmp(sc->name, "recv");
	int fd, n, flags = 0;
	char *buf;

	if (arg_fd(cs, sc, 0, &fd, error) < 0 || call_arg_int(sc, 2, &n, error) < 0 ||
	    (has_flags && call_arg_int(sc, 3, &flags, error) < 0))
		return -1;
	buf = io_buffer(sc, 1, n, error);
	if (!buf)
		return -1;
	if (has_flags)
		result(is_read ? recv(fd, buf, n, flags)
			       : send(fd, buf, n, flags), ret, err);
	else
		result(is_read ? read(fd, buf, n) : write(fd, buf, n), ret, err);
	free(buf);
	return 0;
}

/* readv/writev(fd, [{..., n}, {..., m}], count): count at most the list's length (call_arg.c) */
static int do_rwv(struct calls *cs, const struct syscall_event *sc, long *ret,
		  int *err, char **error)
{
	struct iovec iov[CALL_ARG_IOV_MAX];
	size_t lens[CALL_ARG_IOV_MAX], n, k;
	int fd, count, rc = 0;

	if (arg_fd(cs, sc, 0, &fd, error) < 0 ||
	    call_arg_iovecs(sc, lens, &n, &count, error) < 0)
		return -1;
	for (k = 0; k < n; k++) {
		iov[k].iov_len = lens[k];
		iov[k].iov_base = calloc(1, lens[k] ? lens[k] : 1);
		if (!iov[k].iov_base) {
			rc = error_set(error, "out of memory");
			break;
		}
	}
	if (!rc)
		result(!strcmp(sc->name, "readv") ? readv(fd, iov, count)
						  : writev(fd, iov, count), ret, err);
	while (k-- > 0)
		free(iov[k].iov_base);
	return rc;
}

static int do_close(struct calls *cs, const struct syscall_event *sc,
		    long *ret, int *err, char **error)
{
	int fd, script_fd;

	if (arg_fd(cs, sc, 0, &fd, error) < 0 || call_arg_int(sc, 0, &script_fd, error) < 0)
		return -1;
	result(close(fd), ret, err);
	fd_remove(cs, script_fd);
	return 0;
}

static int do_shutdown(struct calls *cs, const struct syscall_event *sc,
		       long *ret, int *err, char **error)
{
	int fd, how;

	if (arg_fd(cs, sc, 0, &fd, error) < 0 || call_arg_int(sc, 1, &how, error) < 0)
		return -1;
	result(shutdown(fd, how), ret, err);
	return 0;
}

static int do_dup(struct calls *cs, const struct syscall_event *sc, long *ret,
		  int *err, char **error)
{
	int fd;

	if (arg_fd(cs, sc, 0, &fd, error) < 0)
		return -1;
	result(dup(fd), ret, err);
	return 0;
}

static int do_fcntl(struct calls *cs, const struct syscall_event *sc,
		    long *ret, int *err, char **error)
{
	int fd, cmd, a = 0;

	/* call_run() has checked cmd and a against call_arg.c's allow-list */
	if (arg_fd(cs, sc, 0, &fd, error) < 0 || call_arg_int(sc, 1, &cmd, error) < 0 ||
	    (sc->nargs > 2 && call_arg_int(sc, 2, &a, error) < 0))
		return -1;
	result(fcntl(fd, cmd, a), ret, err);
	return 0;
}

static int do_setsockopt(struct calls *cs, const struct syscall_event *sc,
			 long *ret, int *err, char **error)
{
	struct call_optval v;
	int fd, level, name;

	if (arg_fd(cs, sc, 0, &fd, error) < 0 ||
	    call_arg_sockopt(sc, &level, &name, &v, error) < 0)
		return -1;
	result(setsockopt(fd, level, name, &v.u, v.len), ret, err);
	return 0;
}

static int do_getsockopt(struct calls *cs, const struct syscall_event *sc,
			 long *ret, int *err, char **error)
{
	struct call_optval want, got;
	int fd, level, name;
	char e[64], a[64];

	if (arg_fd(cs, sc, 0, &fd, error) < 0 ||
	    call_arg_sockopt(sc, &level, &name, &want, error) < 0)
		return -1;
	memset(&got, 0, sizeof(got));
	got.len = want.len;
	result(getsockopt(fd, level, name, &got.u, &got.len), ret, err);
	if (*ret < 0)
		return 0;
	if (want.len == sizeof(struct linger)) {
		if (got.u.l.l_onoff == want.u.l.l_onoff &&
		    got.u.l.l_linger == want.u.l.l_linger)
			return 0;
		snprintf(e, sizeof(e), "{l_onoff=%d, l_linger=%d}",
			 want.u.l.l_onoff, want.u.l.l_linger);
		snprintf(a, sizeof(a), "{l_onoff=%d, l_linger=%d}",
			 got.u.l.l_onoff, got.u.l.l_linger);
	} else {
		if (got.u.i == want.u.i)
			return 0;
		snprintf(e, sizeof(e), "[%d]", want.u.i);
		snprintf(a, sizeof(a), "[%d]", got.u.i);
	}
	return error_mismatch(error, "getsockopt() value", e, a);
}

static void diag_value_text(const char *field, long v, char *buf, size_t size)
{
	const char *s = !strcmp(field, "idiag_state") ? diag_state_name(v) : NULL;

	if (s)
		snprintf(buf, size, "%s", s);
	else
		snprintf(buf, size, "%ld", v);
}

/* tcp_diag(..., {idiag_state=TCP_TIME_WAIT, idiag_expires=55000~60000}) */
static int do_tcp_diag(struct calls *cs, const struct syscall_event *sc,
		       long *ret, int *err, char **error)
{
	const struct expr *want = arg(sc, 1);
	struct diag_sock d;
	int rc;

	if (!cs->kernel_port)
		return error_set(error, "tcp_diag(): no connection yet");
	if (want && want->kind != EXPR_STRUCT)
		return error_set(error, "tcp_diag(): argument 2: expected "
				 "{idiag_state=..., ...}");
	rc = diag_lookup(&cs->st->kernel_addr, cs->kernel_port, &cs->st->harness_addr,
			 cs->st->harness_port, &d, error);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		*ret = -1;
		*err = ENOENT;
		return 0;
	}
	*ret = 0;
	*err = 0;
	for (size_t i = 0; want && i < want->nitems; i++) {
		const struct expr *f = want->items[i];
		char e[64], a[64], what[64];
		long v;

		if (!call_arg_diag_field(f->field, &d, &v))
			return error_set(error, "tcp_diag(): unknown field '%s'",
					 f->field ? f->field : "?");
		if (f->kind == EXPR_RANGE ? (v >= f->value && v <= f->high)
					  : v == f->value)
			continue;
		if (f->kind == EXPR_RANGE)
			snprintf(e, sizeof(e), "%lld~%lld", (long long)f->value,
				 (long long)f->high);
		else
			diag_value_text(f->field, f->value, e, sizeof(e));
		diag_value_text(f->field, v, a, sizeof(a));
		snprintf(what, sizeof(what), "tcp_diag() %s", f->field);
		return error_mismatch(error, what, e, a);
	}
	return 0;
}

/* fork(): a child takes a copy of every descriptor and holds it until child_exit(). */
static int do_fork(struct calls *cs, const struct syscall_event *sc, long *ret,
		   int *err, char **error)
{
	int p[2];
	pid_t pid;

	(void)sc;	/* a call-table handler */
	if (cs->child > 0)
		return error_set(error, "fork(): a child is already running");
	if (pipe(p) < 0)
		return error_set(error, "fork(): pipe: %s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		char c;

		close(p[1]);
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);	/* exit closes every descriptor: the point of it */
	}
	close(p[0]);
	if (pid < 0) {
		close(p[1]);
		result(-1, ret, err);
		return 0;
	}
	cs->child = pid;
	cs->child_pipe = p[1];
	*ret = 0;
	*err = 0;
	return 0;
}

static int do_child_exit(struct calls *cs, const struct syscall_event *sc,
			 long *ret, int *err, char **error)
{
	int status;

	(void)sc;	/* a call-table handler */
	if (cs->child <= 0)
		return error_set(error, "child_exit(): no child; call fork() first");
	close(cs->child_pipe);
	cs->child_pipe = -1;
	while (waitpid(cs->child, &status, 0) < 0 && errno == EINTR)
		;
	cs->child = -1;
	*ret = 0;
	*err = 0;
	return 0;
}

void calls_end_child(struct calls *cs)
{
	if (cs->child > 0) {
		kill(cs->child, SIGKILL);
		waitpid(cs->child, NULL, 0);
		cs->child = -1;
	}
	if (cs->child_pipe >= 0)
		close(cs->child_pipe);
	cs->child_pipe = -1;
}

void calls_free(struct calls *cs)
{
	if (!cs)
		return;
	calls_end_child(cs);
	free(cs);
}

/* ---- dispatch ---- */

/* What each call does; what it may be given is call_arg.c's table. */
static const struct {
	const char *name;
	call_fn fn;
} table[] = {
	{ "socket", do_socket }, { "bind", do_bind }, { "listen", do_listen },
	{ "accept", do_accept }, { "connect", do_connect },
	{ "read", do_rw }, { "write", do_rw }, { "recv", do_rw }, { "send", do_rw },
	{ "readv", do_rwv }, { "writev", do_rwv },
	{ "close", do_close }, { "shutdown", do_shutdown }, { "dup", do_dup },
	{ "fcntl", do_fcntl },
	{ "setsockopt", do_setsockopt }, { "getsockopt", do_getsockopt },
	{ "tcp_diag", do_tcp_diag },
	{ "fork", do_fork }, { "child_exit", do_child_exit },
};

static int call_find(const char *name)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i].name, name))
			return (int)i;
	return -1;
}

bool call_returns_fd(const char *name)
{
	return call_arg_returns_fd(name);
}

int call_check(const char *script, const struct event *ev, char **error)
{
	if (call_find(ev->u.syscall.name) < 0)
		return error_skip(error, "%s:%d:%d: system call %s() is not supported",
				  script, ev->line, ev->column, ev->u.syscall.name);
	return call_arg_check(script, ev, error);
}

void call_run(struct calls *cs, struct call *c)
{
	const struct syscall_event *sc = &c->event->u.syscall;
	long want = sc->result ? (long)sc->result->value : 0;
	int i = call_find(sc->name);

	c->ret = 0;
	c->err = 0;
	c->error = NULL;
	cs->kernel_port = c->kernel_port;
	cs->bound = false;
	/* again here, whoever calls: nothing outside the allow-list reaches the kernel */
	if (i < 0 || call_check(script_name(cs->st->script), c->event, &c->error) < 0)
		return;
	if (table[i].fn(cs, sc, &c->ret, &c->err, &c->error) < 0)
		return;
	c->bound = cs->bound;
	/* the script's number for it is the one its line expects (an int: call_arg.c) */
	if (call_arg_returns_fd(sc->name) && c->ret >= 0 && want >= 0 &&
	    fd_add(cs, (int)want, (int)c->ret) < 0)
		error_set(&c->error, "too many descriptors");
}
