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
#include "call_int.h"
#include "diag.h"
#include "error.h"
#include "pycode.h"
#include "exec.h"
#include "state.h"
#include "symbol.h"

struct calls *calls_new(const struct state *st)
{
	struct calls *cs = calloc(1, sizeof(*cs));

	if (!cs)
		return NULL;
	cs->st = st;
	cs->child = -1;
	cs->child_pipe = -1;
	cs->last_socket = -1;
	return cs;
}

/* ---- descriptors ---- */

/* Live descriptor for a script one; -1 when the script never made it. */
int calls_fd_live(const struct calls *cs, int script_fd)
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

int calls_fd_add(struct calls *cs, int script_fd, int live_fd)
{
	fd_remove(cs, script_fd);
	if (cs->nfds == CALLS_MAX_FDS)
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
int call_fd(const struct calls *cs, const struct syscall_event *sc,
		  size_t i, int *fd, char **error)
{
	int v;

	if (call_arg_int(sc, i, &v, error) < 0)
		return -1;
	*fd = calls_fd_live(cs, v);
	if (*fd < 0)
		return error_set(error, "%s(): descriptor %d was never opened by "
				 "this script", sc->name, v);
	return 0;
}

/* Store the raw result the way every call reports it. */
void call_result(long rc, long *ret, int *err)
{
	*ret = rc;
	*err = rc < 0 ? errno : 0;
}

/* ---- the calls ---- */

int call_do_socket(struct calls *cs, const struct syscall_event *sc,
		     long *ret, int *err, char **error)
{
	const struct expr *d = arg(sc, 0);
	int domain = cs->st->family, type, proto;

	if (d && d->kind != EXPR_ELLIPSIS && call_arg_int(sc, 0, &domain, error) < 0)
		return -1;
	if (call_arg_int(sc, 1, &type, error) < 0 || call_arg_int(sc, 2, &proto, error) < 0)
		return -1;
	call_result(socket(domain, type, proto), ret, err);
	return 0;
}

int call_do_bind(struct calls *cs, const struct syscall_event *sc,
		   long *ret, int *err, char **error)
{
	struct sockaddr_storage ss;
	socklen_t len = ip_address_sockaddr(&cs->st->kernel_addr, EXEC_KERNEL_PORT, &ss);
	int fd;

	if (call_fd(cs, sc, 0, &fd, error) < 0)
		return -1;
	call_result(bind(fd, (struct sockaddr *)&ss, len), ret, err);
	cs->bound = *ret == 0;
	return 0;
}

/* The peer a connect() or sendto() names: the harness, or AF_UNSPEC to disconnect. */
static socklen_t peer_address(const struct calls *cs, const struct syscall_event *sc,
			      size_t i, struct sockaddr_storage *ss)
{
	const struct expr *a = arg(sc, i);

	memset(ss, 0, sizeof(*ss));
	if (a && a->kind == EXPR_INT) {
		/* call_arg.c allows AF_UNSPEC only: the kernel disconnects */
		ss->ss_family = (sa_family_t)a->value;
		return sizeof(struct sockaddr);
	}
	return ip_address_sockaddr(&cs->st->harness_addr, cs->st->harness_port, ss);
}

int call_do_connect(struct calls *cs, const struct syscall_event *sc,
		    long *ret, int *err, char **error)
{
	struct sockaddr_storage ss;
	socklen_t len = peer_address(cs, sc, 1, &ss);
	int fd;

	if (call_fd(cs, sc, 0, &fd, error) < 0)
		return -1;
	call_result(connect(fd, (struct sockaddr *)&ss, len), ret, err);
	return 0;
}

int call_do_listen(struct calls *cs, const struct syscall_event *sc,
		     long *ret, int *err, char **error)
{
	int fd, backlog;

	if (call_fd(cs, sc, 0, &fd, error) < 0 || call_arg_int(sc, 1, &backlog, error) < 0)
		return -1;
	call_result(listen(fd, backlog), ret, err);
	return 0;
}

int call_do_accept(struct calls *cs, const struct syscall_event *sc,
		     long *ret, int *err, char **error)
{
	int fd;

	if (call_fd(cs, sc, 0, &fd, error) < 0)
		return -1;
	call_result(accept(fd, NULL, NULL), ret, err);
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

/* read/write/recv/send/recvfrom: a NULL buffer reaches the kernel as NULL (EFAULT). */
int call_do_rw(struct calls *cs, const struct syscall_event *sc, long *ret,
	       int *err, char **error)
{
	bool is_read = !strcmp(sc->name, "read") || !strncmp(sc->name, "recv", 4);
	bool has_flags = strcmp(sc->name, "read") && strcmp(sc->name, "write");
	const struct expr *b = arg(sc, 1);
	int fd, n, flags = 0;
	char *buf, *p;

	if (call_fd(cs, sc, 0, &fd, error) < 0 || call_arg_int(sc, 2, &n, error) < 0 ||
	    (has_flags && call_arg_int(sc, 3, &flags, error) < 0))
		return -1;
	buf = io_buffer(sc, 1, n, error);
	if (!buf)
		return -1;
	p = b && b->kind == EXPR_NULL ? NULL : buf;
	if (has_flags)
		call_result(is_read ? recv(fd, p, n, flags) : send(fd, p, n, flags),
			    ret, err);
	else
		call_result(is_read ? read(fd, p, n) : write(fd, p, n), ret, err);
	free(buf);
	return 0;
}

/* sendto(fd, buf, n, flags, ..., ...): MSG_FASTOPEN connects to the harness. */
int call_do_sendto(struct calls *cs, const struct syscall_event *sc, long *ret,
		   int *err, char **error)
{
	const struct expr *b = arg(sc, 1);
	struct sockaddr_storage ss;
	socklen_t len = peer_address(cs, sc, 4, &ss);
	int fd, n, flags;
	char *buf;

	if (call_fd(cs, sc, 0, &fd, error) < 0 || call_arg_int(sc, 2, &n, error) < 0 ||
	    call_arg_int(sc, 3, &flags, error) < 0)
		return -1;
	buf = io_buffer(sc, 1, n, error);
	if (!buf)
		return -1;
	call_result(sendto(fd, b && b->kind == EXPR_NULL ? NULL : buf, n, flags,
			   (struct sockaddr *)&ss, len), ret, err);
	free(buf);
	return 0;
}

/* readv/writev(fd, [{..., n}, {..., m}], count): count at most the list's length (call_arg.c) */
int call_do_rwv(struct calls *cs, const struct syscall_event *sc, long *ret,
		  int *err, char **error)
{
	struct iovec iov[CALL_ARG_IOV_MAX];
	size_t lens[CALL_ARG_IOV_MAX], n, k;
	int fd, count, rc = 0;

	if (call_fd(cs, sc, 0, &fd, error) < 0 ||
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
		call_result(!strcmp(sc->name, "readv") ? readv(fd, iov, count)
						  : writev(fd, iov, count), ret, err);
	while (k-- > 0)
		free(iov[k].iov_base);
	return rc;
}

int call_do_close(struct calls *cs, const struct syscall_event *sc,
		    long *ret, int *err, char **error)
{
	int fd, script_fd;

	if (call_fd(cs, sc, 0, &fd, error) < 0 || call_arg_int(sc, 0, &script_fd, error) < 0)
		return -1;
	call_result(close(fd), ret, err);
	fd_remove(cs, script_fd);
	return 0;
}

int call_do_shutdown(struct calls *cs, const struct syscall_event *sc,
		       long *ret, int *err, char **error)
{
	int fd, how;

	if (call_fd(cs, sc, 0, &fd, error) < 0 || call_arg_int(sc, 1, &how, error) < 0)
		return -1;
	call_result(shutdown(fd, how), ret, err);
	return 0;
}

int call_do_dup(struct calls *cs, const struct syscall_event *sc, long *ret,
		  int *err, char **error)
{
	int fd;

	if (call_fd(cs, sc, 0, &fd, error) < 0)
		return -1;
	call_result(dup(fd), ret, err);
	return 0;
}

/* fork(): a child takes a copy of every descriptor and holds it until child_exit(). */
int call_do_fork(struct calls *cs, const struct syscall_event *sc, long *ret,
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
		call_result(-1, ret, err);
		return 0;
	}
	cs->child = pid;
	cs->child_pipe = p[1];
	*ret = 0;
	*err = 0;
	return 0;
}

int call_do_child_exit(struct calls *cs, const struct syscall_event *sc,
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
	pycode_env_free(cs->code_env);
	free(cs);
}

/* ---- dispatch ---- */

bool call_returns_fd(const char *name)
{
	return call_arg_returns_fd(name);
}

int call_check(const char *script, const struct event *ev, char **error)
{
	if (ev->type == EVENT_CODE)
		return call_code_check(script, ev, error);
	if (!call_desc_find(ev->u.syscall.name))
		return error_skip(error, "%s:%d:%d: system call %s() is not supported",
				  script, ev->line, ev->column, ev->u.syscall.name);
	return call_arg_check(script, ev, error);
}

void call_run(struct calls *cs, struct call *c)
{
	const struct syscall_event *sc = &c->event->u.syscall;
	long want;
	const struct call_desc *d;

	c->ret = 0;
	c->err = 0;
	c->error = NULL;
	if (c->event->type == EVENT_CODE) {
		call_code_run(cs, c->event, &c->error);
		return;
	}
	want = sc->result ? (long)sc->result->value : 0;
	d = call_desc_find(sc->name);
	cs->kernel_port = c->kernel_port;
	cs->bound = false;
	/* again here, whoever calls: nothing outside the allow-list reaches the kernel */
	if (!d || call_check(script_name(cs->st->script), c->event, &c->error) < 0)
		return;
	if (d->fn(cs, sc, &c->ret, &c->err, &c->error) < 0)
		return;
	c->bound = cs->bound;
	/* the script's number for it is the one its line expects (an int: call_arg.c) */
	if (call_arg_returns_fd(sc->name) && c->ret >= 0 && want >= 0 &&
	    calls_fd_add(cs, (int)want, (int)c->ret) < 0)
		error_set(&c->error, "too many descriptors");
	else if (c->ret >= 0 && want >= 0 &&
		 (d->fn == call_do_socket || d->fn == call_do_accept))
		cs->last_socket = (int)want;	/* what %{ }% reads TCP_INFO of */
}
