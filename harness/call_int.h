/* call_int.h - what the call*.c files share: the worker's state, the kinds of argument, and the one table of calls (name, argument kinds, handler). */
#ifndef TCPCONF_CALL_INT_H
#define TCPCONF_CALL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "script.h"
#include "state.h"

#define CALLS_MAX_FDS	64

/* The worker's own state: nothing here is touched by the event loop. */
struct calls {
	const struct state *st;		/* its read-only part (state.h) */

	/* Script descriptor numbers vs the live ones. */
	struct { int script, live; } fds[CALLS_MAX_FDS];
	size_t nfds;
	int last_socket;		/* script number of the newest socket, -1 */

	/* A child from fork() holding copies of every descriptor. */
	pid_t child;
	int child_pipe;

	/* The call being made: its copy of the request, its side result. */
	uint16_t kernel_port;		/* 0 while unknown */
	bool bound;

	struct pycode_env *code_env;	/* %{ }% names that live on, or NULL */
};

/*
 * A handler makes the call of sc: the raw result into *ret and *err (0 or
 * errno), or -1 with *error (the caller's) when it cannot be made as
 * written or a check inside it (a value the line expects) does not hold.
 */
typedef int (*call_fn)(struct calls *cs, const struct syscall_event *sc,
		       long *ret, int *err, char **error);

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

#define CALL_MAX_ARGS	6

/* One call: what it may be given and what makes it. */
struct call_desc {
	const char *name;
	unsigned int min_args, max_args;
	bool returns_fd;
	call_fn fn;
	const struct arg_type *args[CALL_MAX_ARGS];
};

/* The entry for name in call_arg.c's table, or NULL. */
const struct call_desc *call_desc_find(const char *name);

/* ---- checking arguments (call_arg.c) ---- */

/* "NAME(): argument N: why" into c->error, pointing at at; STATUS_ERROR. */
int arg_bad(struct arg_ctx *c, const struct expr *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Argument i of sc, NULL past the end. */
const struct expr *arg_at(const struct syscall_event *sc, size_t i);

/* [N] is a pointer to an int, as packetdrill writes it: N. */
const struct expr *arg_unwrap(const struct expr *e);

/* An integer within lo..hi (N or [N]) into *v; else arg_bad() naming what. */
int arg_integer(struct arg_ctx *c, const struct expr *e, const char *what,
		int64_t lo, int64_t hi, int64_t *v);

/* How the script wrote an integer: its symbol, else the number (in buf). */
const char *arg_value_text(const struct expr *u, char *buf, size_t size);

/* The kinds every file may use. */
int arg_check_values(struct arg_ctx *c, const struct arg_type *t,
		     const struct expr *e);
int arg_check_any(struct arg_ctx *c, const struct arg_type *t,
		  const struct expr *e);
int arg_check_int(struct arg_ctx *c, const struct arg_type *t,
		  const struct expr *e);
extern const struct arg_type arg_fd, arg_any;

/* The kinds other files own, for the table. */
extern const struct arg_type arg_fcntl_cmd, arg_fcntl_arg, arg_level,
	arg_optname, arg_optval, arg_optlen, arg_diag;
extern const struct arg_type arg_ioctl_req, arg_ioctl_val, arg_pollfds,
	arg_nfds, arg_timeout, arg_epoll_op, arg_epoll_event, arg_epoll_events,
	arg_epoll_size, arg_msghdr, arg_recvmsg_flags, arg_sendmsg_flags;
extern const struct arg_type arg_pipefds, arg_path, arg_open_flags, arg_no_offset,
	arg_file_offset, arg_file_count, arg_splice_flags;
extern const struct arg_type arg_sigset;

/* ---- making calls (call.c) ---- */

/* A script descriptor argument i and its live one into *fd. */
int call_fd(const struct calls *cs, const struct syscall_event *sc, size_t i,
	    int *fd, char **error);

/* Live descriptor of script one, -1 when the script never made it. */
int calls_fd_live(const struct calls *cs, int script_fd);

/* Enter live_fd under script_fd, replacing any entry of that number; -1
 * when the table is full. */
int calls_fd_add(struct calls *cs, int script_fd, int live_fd);

/* Store the raw result rc (errno when negative) the way every call reports it. */
void call_result(long rc, long *ret, int *err);

/* A %{ }% block (call_code.c): call_check()'s parse and name check, and
 * the block run on TCP_INFO of cs's newest socket; *error the caller's. */
int call_code_check(const char *script, const struct event *ev, char **error);
int call_code_run(struct calls *cs, const struct event *ev, char **error);

/* The handlers the table names. */
int call_do_socket(struct calls *, const struct syscall_event *, long *, int *, char **);
int call_do_bind(struct calls *, const struct syscall_event *, long *, int *, char **);
int call_do_connect(struct calls *, const struct syscall_event *, long *, int *, char **);
int call_do_listen(struct calls *, const struct syscall_event *, long *, int *, char **);
int call_do_accept(struct calls *, const struct syscall_event *, long *, int *, char **);
int call_do_rw(struct calls *, const struct syscall_event *, long *, int *, char **);
int call_do_rwv(struct calls *, const struct syscall_event *, long *, int *, char **);
int call_do_sendto(struct calls *, const struct syscall_event *, long *, int *, char **);
int call_do_close(struct calls *, const struct syscall_event *, long *, int *, char **);
int call_do_shutdown(struct calls *, const struct syscall_event *, long *, int *, char **);
int call_do_dup(struct calls *, const struct syscall_event *, long *, int *, char **);
int call_do_fork(struct calls *, const struct syscall_event *, long *, int *, char **);
int call_do_child_exit(struct calls *, const struct syscall_event *, long *, int *, char **);
/* call_opt.c */
int call_do_fcntl(struct calls *, const struct syscall_event *, long *, int *, char **);
int call_do_setsockopt(struct calls *, const struct syscall_event *, long *, int *, char **);
int call_do_getsockopt(struct calls *, const struct syscall_event *, long *, int *, char **);
int call_do_tcp_diag(struct calls *, const struct syscall_event *, long *, int *, char **);
/* call_msg.c */
int call_do_recvmsg(struct calls *, const struct syscall_event *, long *, int *, char **);
int call_do_sendmsg(struct calls *, const struct syscall_event *, long *, int *, char **);
/* call_poll.c */
int call_do_ioctl(struct calls *, const struct syscall_event *, long *, int *, char **);
int call_do_poll(struct calls *, const struct syscall_event *, long *, int *, char **);
int call_do_epoll_create(struct calls *, const struct syscall_event *, long *, int *, char **);
int call_do_epoll_ctl(struct calls *, const struct syscall_event *, long *, int *, char **);
int call_do_epoll_wait(struct calls *, const struct syscall_event *, long *, int *, char **);
/* call_file.c */
int call_do_pipe(struct calls *, const struct syscall_event *, long *, int *, char **);
int call_do_open(struct calls *, const struct syscall_event *, long *, int *, char **);
int call_do_splice(struct calls *, const struct syscall_event *, long *, int *, char **);
int call_do_sendfile(struct calls *, const struct syscall_event *, long *, int *, char **);
/* call_signal.c */
int call_do_sigpending(struct calls *, const struct syscall_event *, long *, int *, char **);

#endif
