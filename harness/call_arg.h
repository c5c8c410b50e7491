/* call_arg.h - what a script may hand the kernel in each system call: one table of argument descriptors, checked before anything runs and read the same way when the call is made. */
#ifndef TCPCONF_CALL_ARG_H
#define TCPCONF_CALL_ARG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "diag.h"
#include "script.h"

#define CALL_ARG_IO_MAX		(1 << 20)	/* largest read/write a script may ask for */
#define CALL_ARG_IOV_MAX	16		/* iovecs in one readv/writev */
#define CALL_ARG_OPTSTR_MAX	16		/* a string option: TCP_CA_NAME_MAX */
#define CALL_ARG_OPTKEY_MAX	32		/* TCP_FASTOPEN_KEY: primary and backup */

/*
 * Check the system call of ev (an EVENT_SYSCALL of the script named
 * script) against its call's descriptors: the argument count, each
 * argument's kind and range, the values allowed where a number reaches the
 * kernel, counts and sizes against what the line wrote, and a descriptor
 * result that fits an int.  0; STATUS_SKIP for a call we do not have;
 * STATUS_ERROR for the first bad argument.  *error (the caller's) reads
 * "script:line:column: NAME(): argument N: why".
 */
int call_arg_check(const char *script, const struct event *ev, char **error);

/* Does call name return a descriptor the script names (socket, accept, dup, open)? */
bool call_arg_returns_fd(const char *name);

/* Argument i (from 0) of sc, N or [N], as an int; an error (the caller's
 * *error) when it is not an integer or does not fit. */
int call_arg_int(const struct syscall_event *sc, size_t i, int *v, char **error);

/*
 * readv/writev(fd, [{..., len}, ...], count): the iovec lengths into lens
 * (room for CALL_ARG_IOV_MAX), how many into *n, and the count, which is
 * at most *n.  An error (the caller's *error) for anything else.
 */
int call_arg_iovecs(const struct syscall_event *sc, size_t *lens, size_t *n,
		    int *count, char **error);

/* A socket option value as the kernel takes it. */
struct call_optval {
	union {
		int i;
		struct linger l;
		char s[CALL_ARG_OPTSTR_MAX];	/* a name (TCP_CONGESTION), not NUL-ended */
		unsigned char key[CALL_ARG_OPTKEY_MAX];	/* TCP_FASTOPEN_KEY: 1 or 2 keys */
	} u;
	socklen_t len;
};

/*
 * setsockopt/getsockopt(fd, level, name, value, len): a level and name the
 * table allows, and the value in the type the table gives them.  An error
 * (the caller's *error) for anything else.
 */
int call_arg_sockopt(const struct syscall_event *sc, int *level, int *name,
		     struct call_optval *v, char **error);

/* Value of tcp_diag() field name in d; false for a field we do not know. */
bool call_arg_diag_field(const char *name, const struct diag_sock *d, long *v);

#endif
