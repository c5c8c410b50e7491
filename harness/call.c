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

#include "diag.h"
#include "error.h"
#include "exec.h"
#include "call.h"
#include "state.h"
#include "symbol.h"

#define IO_MAX	(1 << 20)	/* largest read/write a script may ask for */

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

/* An integer argument: N, or [N] (a pointer to an int, as packetdrill writes it). */
static int arg_int(const struct syscall_event *sc, size_t i, long *v, char **error)
{
	const struct expr *e = arg(sc, i);

	if (e && e->kind == EXPR_LIST && e->nitems == 1)
		e = e->items[0];
	if (!e || e->kind != EXPR_INT)
		return error_set(error, "%s(): argument %zu: expected an integer",
				 sc->name, i + 1);
	*v = (long)e->value;
	return 0;
}

static int arg_fd(const struct calls *cs, const struct syscall_event *sc,
		  size_t i, int *fd, char **error)
{
	long v;

	if (arg_int(sc, i, &v, error) < 0)
		return -1;
	*fd = fd_live(cs, (int)v);
	if (*fd < 0)
		return error_set(error, "%s(): descriptor %ld was never opened by "
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
	long domain = cs->st->family, type, proto;

	if (d && d->kind != EXPR_ELLIPSIS && arg_int(sc, 0, &domain, error) < 0)
		return -1;
	if (arg_int(sc, 1, &type, error) < 0 || arg_int(sc, 2, &proto, error) < 0)
		return -1;
	result(socket((int)domain, (int)type, (int)proto), ret, err);
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
	long backlog;
	int fd;

	if (arg_fd(cs, sc, 0, &fd, error) < 0 || arg_int(sc, 1, &backlog, error) < 0)
		return -1;
	result(listen(fd, (int)backlog), ret, err);
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
static char *io_buffer(const struct syscall_event *sc, size_t bufarg, long n,
		       char **error)
{
	const struct expr *b = arg(sc, bufarg);
	char *buf;

	if (n < 0 || n > IO_MAX) {
		error_set(error, "%s(): length %ld out of range 0..%d", sc->name,
			  n, IO_MAX);
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
	long n, flags = 0;
	char *buf;
	int fd;

	if (arg_fd(cs, sc, 0, &fd, error) < 0 || arg_int(sc, 2, &n, error) < 0 ||
	    (has_flags && arg_int(sc, 3, &flags, error) < 0))
		return -1;
	buf = io_buffer(sc, 1, n, error);
	if (!buf)
		return -1;
	if (has_flags)
		result(is_read ? recv(fd, buf, n, (int)flags)
			       : send(fd, buf, n, (int)flags), ret, err);
	else
		result(is_read ? read(fd, buf, n) : write(fd, buf, n), ret, err);
	free(buf);
	return 0;
}

/* readv/writev(fd, [{..., n}, {..., m}], count) */
static int do_rwv(struct calls *cs, const struct syscall_event *sc, long *ret,
		  int *err, char **error)
{
	const struct expr *list = arg(sc, 1);
	struct iovec iov[16];
	long count;
	size_t n = 0;
	int fd, rc = 0;

	if (arg_fd(cs, sc, 0, &fd, error) < 0 || arg_int(sc, 2, &count, error) < 0)
		return -1;
	if (!list || list->kind != EXPR_LIST || list->nitems > 16)
		return error_set(error, "%s(): argument 2: expected a list of "
				 "{..., length} of at most 16 entries", sc->name);
	for (n = 0; n < list->nitems; n++) {
		const struct expr *v = list->items[n];
		const struct expr *l = v->kind == EXPR_STRUCT && v->nitems == 2 ?
				       v->items[1] : NULL;

		if (!l || l->kind != EXPR_INT || l->value < 0 || l->value > IO_MAX) {
			rc = error_set(error, "%s(): iovec %zu: expected {..., length}",
				       sc->name, n + 1);
			break;
		}
		iov[n].iov_len = l->value;
		iov[n].iov_base = calloc(1, l->value ? l->value : 1);
		if (!iov[n].iov_base) {
			rc = error_set(error, "out of memory");
			break;
		}
	}
	if (!rc)
		result(!strcmp(sc->name, "readv") ? readv(fd, iov, (int)count)
						  : writev(fd, iov, (int)count), ret, err);
	while (n-- > 0)
		free(iov[n].iov_base);
	return rc;
}

static int do_close(struct calls *cs, const struct syscall_event *sc,
		    long *ret, int *err, char **error)
{
	long script_fd;
	int fd;

	if (arg_fd(cs, sc, 0, &fd, error) < 0 || arg_int(sc, 0, &script_fd, error) < 0)
		return -1;
	result(close(fd), ret, err);
	fd_remove(cs, (int)script_fd);
	return 0;
}

static int do_shutdown(struct calls *cs, const struct syscall_event *sc,
		       long *ret, int *err, char **error)
{
	long how;
	int fd;

	if (arg_fd(cs, sc, 0, &fd, error) < 0 || arg_int(sc, 1, &how, error) < 0)
		return -1;
	result(shutdown(fd, (int)how), ret, err);
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
	long cmd, a = 0;
	int fd;

	if (arg_fd(cs, sc, 0, &fd, error) < 0 || arg_int(sc, 1, &cmd, error) < 0 ||
	    (sc->nargs > 2 && arg_int(sc, 2, &a, error) < 0))
		return -1;
	result(fcntl(fd, (int)cmd, a), ret, err);
	return 0;
}

/* Option values: [N] or N is an int, {l_onoff=, l_linger=} a struct linger. */
struct optval {
	union {
		int i;
		struct linger l;
	} u;
	socklen_t len;
};

static int optval_from_expr(const struct syscall_event *sc, const struct expr *e,
			    struct optval *v, char **error)
{
	memset(v, 0, sizeof(*v));
	if (e && e->kind == EXPR_LIST && e->nitems == 1)
		e = e->items[0];
	if (e && e->kind == EXPR_INT) {
		v->u.i = (int)e->value;
		v->len = sizeof(int);
		return 0;
	}
	if (e && e->kind == EXPR_STRUCT) {
		for (size_t i = 0; i < e->nitems; i++) {
			const struct expr *f = e->items[i];

			if (!f->field || f->kind != EXPR_INT)
				goto bad;
			if (!strcmp(f->field, "l_onoff"))
				v->u.l.l_onoff = (int)f->value;
			else if (!strcmp(f->field, "l_linger"))
				v->u.l.l_linger = (int)f->value;
			else
				goto bad;
		}
		v->len = sizeof(struct linger);
		return 0;
	}
bad:
	return error_set(error, "%s(): option value: expected [int] or "
			 "{l_onoff=N, l_linger=N}", sc->name);
}

static int do_setsockopt(struct calls *cs, const struct syscall_event *sc,
			 long *ret, int *err, char **error)
{
	struct optval v;
	long level, name;
	int fd;

	if (arg_fd(cs, sc, 0, &fd, error) < 0 || arg_int(sc, 1, &level, error) < 0 ||
	    arg_int(sc, 2, &name, error) < 0 ||
	    optval_from_expr(sc, arg(sc, 3), &v, error) < 0)
		return -1;
	result(setsockopt(fd, (int)level, (int)name, &v.u, v.len), ret, err);
	return 0;
}

static int do_getsockopt(struct calls *cs, const struct syscall_event *sc,
			 long *ret, int *err, char **error)
{
	struct optval want, got;
	long level, name;
	char e[64], a[64];
	int fd;

	if (arg_fd(cs, sc, 0, &fd, error) < 0 || arg_int(sc, 1, &level, error) < 0 ||
	    arg_int(sc, 2, &name, error) < 0 ||
	    optval_from_expr(sc, arg(sc, 3), &want, error) < 0)
		return -1;
	memset(&got, 0, sizeof(got));
	got.len = want.len;
	result(getsockopt(fd, (int)level, (int)name, &got.u, &got.len), ret, err);
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

/* tcp_diag(..., {idiag_state=TCP_TIME_WAIT, idiag_expires=55000~60000}) */
static int diag_field(const char *name, const struct diag_sock *d, long *v)
{
	static const struct {
		const char *name;
		size_t off, size;
	} fields[] = {
#define F(n, m) { n, offsetof(struct diag_sock, m), sizeof(((struct diag_sock *)0)->m) }
		F("idiag_state", state), F("idiag_timer", timer),
		F("idiag_retrans", retrans), F("idiag_expires", expires_ms),
		F("idiag_rqueue", rqueue), F("idiag_wqueue", wqueue),
#undef F
	};

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (strcmp(fields[i].name, name))
			continue;
		const uint8_t *p = (const uint8_t *)d + fields[i].off;

		*v = fields[i].size == 1 ? *p : *(const uint32_t *)p;
		return 0;
	}
	return -1;
}

static void diag_value_text(const char *field, long v, char *buf, size_t size)
{
	const char *s = !strcmp(field, "idiag_state") ? diag_state_name(v) : NULL;

	if (s)
		snprintf(buf, size, "%s", s);
	else
		snprintf(buf, size, "%ld", v);
}

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

		if (!f->field || diag_field(f->field, &d, &v) < 0)
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

static const struct {
	const char *name;
	call_fn fn;
	unsigned int min_args, max_args;
	bool returns_fd;
} table[] = {
	{ "socket", do_socket, 3, 3, true },
	{ "bind", do_bind, 3, 3, false },
	{ "listen", do_listen, 2, 2, false },
	{ "accept", do_accept, 3, 3, true },
	{ "connect", do_connect, 3, 3, false },
	{ "read", do_rw, 3, 3, false },
	{ "write", do_rw, 3, 3, false },
	{ "recv", do_rw, 4, 4, false },
	{ "send", do_rw, 4, 4, false },
	{ "readv", do_rwv, 3, 3, false },
	{ "writev", do_rwv, 3, 3, false },
	{ "close", do_close, 1, 1, false },
	{ "shutdown", do_shutdown, 2, 2, false },
	{ "dup", do_dup, 1, 1, true },
	{ "fcntl", do_fcntl, 2, 3, false },
	{ "setsockopt", do_setsockopt, 5, 5, false },
	{ "getsockopt", do_getsockopt, 5, 5, false },
	{ "tcp_diag", do_tcp_diag, 1, 2, false },
	{ "fork", do_fork, 0, 0, false },
	{ "child_exit", do_child_exit, 0, 0, false },
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
	int i = call_find(name);

	return i >= 0 && table[i].returns_fd;
}

int call_check(const struct syscall_event *sc, char **error)
{
	int i = call_find(sc->name);

	if (i < 0)
		return error_skip(error, "system call %s() is not supported",
				  sc->name);
	if (sc->nargs < table[i].min_args || sc->nargs > table[i].max_args)
		return error_set(error, "%s() takes %u to %u arguments, the "
				 "script gives %zu", sc->name, table[i].min_args,
				 table[i].max_args, sc->nargs);
	return 0;
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
	if (i < 0) {
		error_set(&c->error, "system call %s() is not supported", sc->name);
		return;
	}
	if (table[i].fn(cs, sc, &c->ret, &c->err, &c->error) < 0)
		return;
	c->bound = cs->bound;
	/* the script's number for it is the one its line expects */
	if (table[i].returns_fd && c->ret >= 0 && want >= 0 &&
	    fd_add(cs, (int)want, (int)c->ret) < 0)
		error_set(&c->error, "too many descriptors");
}
