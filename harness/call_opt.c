/*
 * call_opt.c - the calls that read or set a descriptor's options: fcntl(),
 * setsockopt()/getsockopt() and tcp_diag(), with what each may be given.
 *
 * Every value passes through to the kernel as the case's root, so only the
 * commands and options listed here do; the reasons say why a known one is
 * refused (call_arg.c explains the allow-lists).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "call_arg.h"
#include "call_int.h"
#include "diag.h"
#include "error.h"
#include "expr.h"

/* after the headers above: its TCPOPT_* macros would clash with tcp_option.h's enum */
#include <netinet/tcp.h>

/* ---- fcntl() ---- */

static const struct named fd_flag_values[] = { { "0", 0, NULL }, V(FD_CLOEXEC), END };
static const struct arg_type fd_flags = { .check = arg_check_values, .values = fd_flag_values };

/* On a socket only the status flags count; O_ASYNC arms SIGIO for F_SETOWN's owner. */
static const struct named fl_values[] = { V(O_RDONLY), V(O_WRONLY), V(O_RDWR), END };
static const struct named fl_flags[] = {
	V(O_NONBLOCK), NO(O_ASYNC, SIGNALS), END,
};
static const struct arg_type file_flags = { .check = arg_check_values, .values = fl_values,
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
	const struct expr *u = arg_unwrap(arg_at(sc, 1));

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
	const struct expr *u = arg_unwrap(e);
	char buf[32];

	(void)t;
	if (!u || u->kind != EXPR_INT)
		return arg_bad(c, e, "expected an integer, found %s",
			   u ? expr_kind_name(u->kind) : "nothing");
	if (f && f->cmd.why)
		return arg_bad(c, u, "%s is not allowed (%s)", f->cmd.name, f->cmd.why);
	if (!f)
		return arg_bad(c, u, "%s is not allowed (allowed: F_GETFD, F_SETFD, "
			   "F_GETFL, F_SETFL)", arg_value_text(u, buf, sizeof(buf)));
	if (f->arg && c->sc->nargs < 3)
		return arg_bad(c, u, "%s needs a third argument", f->cmd.name);
	if (!f->arg && c->sc->nargs > 2)
		return arg_bad(c, u, "%s takes no third argument", f->cmd.name);
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
	OPT_NAME,		/* "reno": getsockopt() only */
	OPT_KEY,		/* "\xa1...": 16 or 32 bytes, setsockopt() only */
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
	OK(SOL_SOCKET, SO_TIMESTAMPING), OK(SOL_SOCKET, SO_ZEROCOPY),
	{ SOL_SOCKET, NO(SO_RCVBUFFORCE, "it bypasses the host's memory limits"), OPT_INT },
	{ SOL_SOCKET, NO(SO_SNDBUFFORCE, "it bypasses the host's memory limits"), OPT_INT },
	/* a mark steers routing and filtering of the case's own namespace only */
	OK(SOL_SOCKET, SO_MARK),
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
	/* a listener's own cookie key, or the case's namespace's: neither leaves the case */
	{ IPPROTO_TCP, V(TCP_FASTOPEN_KEY), OPT_KEY },
	/* reading it is harmless; setting it may load a module (getsockopt only) */
	{ IPPROTO_TCP, V(TCP_CONGESTION), OPT_NAME },
	{ IPPROTO_TCP, NO(TCP_ULP, MODULE), OPT_INT },
	OK(IPPROTO_IP, IP_TOS), OK(IPPROTO_IP, IP_TTL), OK(IPPROTO_IP, IP_RECVERR),
	OK(IPPROTO_IP, IP_MTU_DISCOVER), OK(IPPROTO_IP, IP_FREEBIND),
	OK(IPPROTO_IPV6, IPV6_V6ONLY), OK(IPPROTO_IPV6, IPV6_TCLASS),
	OK(IPPROTO_IPV6, IPV6_UNICAST_HOPS), OK(IPPROTO_IPV6, IPV6_RECVERR),
	OK(IPPROTO_IPV6, IPV6_MTU_DISCOVER),
#undef OK
};

static const struct sockopt *sockopt_find(const struct syscall_event *sc)
{
	const struct expr *l = arg_unwrap(arg_at(sc, 1)), *n = arg_unwrap(arg_at(sc, 2));

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
	const struct expr *u = arg_unwrap(e), *l = arg_unwrap(arg_at(c->sc, 1));
	char name[32], level[32];

	(void)t;
	if (!u || u->kind != EXPR_INT)
		return arg_bad(c, e, "expected an integer, found %s",
			   u ? expr_kind_name(u->kind) : "nothing");
	if (o && o->name.why)
		return arg_bad(c, u, "%s is not allowed (%s)", o->name.name, o->name.why);
	if (o && o->type == OPT_NAME && strcmp(c->sc->name, "getsockopt"))
		return arg_bad(c, u, "%s is not allowed (%s)", o->name.name, MODULE);
	if (o && o->type == OPT_KEY && strcmp(c->sc->name, "setsockopt"))
		return arg_bad(c, u, "%s is supported by setsockopt() only", o->name.name);
	if (!o)
		return arg_bad(c, u, "%s is not allowed at level %s",
			   arg_value_text(u, name, sizeof(name)),
			   arg_value_text(l, level, sizeof(level)));
	return 0;
}

/* The value in the type the table gives the option, into *v. */
static int optval(struct arg_ctx *c, const struct sockopt *o,
		  const struct expr *e, struct call_optval *v)
{
	int64_t x;

	memset(v, 0, sizeof(*v));
	if (o->type == OPT_INT) {
		/* as packetdrill: an unsigned option (TCP_NOTSENT_LOWAT) may be
		 * written up to 4294967295, the same 32 bits */
		if (arg_integer(c, e, "an integer", INT_MIN, UINT_MAX, &x) < 0)
			return -1;
		v->u.i = (int)(uint32_t)x;
		v->len = sizeof(int);
		return 0;
	}
	if (o->type == OPT_NAME) {
		if (e->kind != EXPR_STRING || strlen(e->string) > CALL_ARG_OPTSTR_MAX)
			return arg_bad(c, e, "%s takes a string of at most %d bytes",
				       o->name.name, CALL_ARG_OPTSTR_MAX);
		v->len = (socklen_t)strlen(e->string);
		memcpy(v->u.s, e->string, v->len);
		return 0;
	}
	if (o->type == OPT_KEY) {
		size_t n = e->kind == EXPR_STRING ? strlen(e->string) : SIZE_MAX;

		/* the kernel takes 16 or 32 bytes; other lengths are its to refuse */
		if (n > CALL_ARG_OPTKEY_MAX)
			return arg_bad(c, e, "%s takes a string of at most %d bytes",
				       o->name.name, CALL_ARG_OPTKEY_MAX);
		v->len = (socklen_t)n;
		memcpy(v->u.key, e->string, n);
		return 0;
	}
	if (e->kind != EXPR_STRUCT)
		return arg_bad(c, e, "%s takes {l_onoff=N, l_linger=N}, found %s",
			   o->name.name, expr_kind_name(e->kind));
	for (size_t k = 0; k < e->nitems; k++) {
		const struct expr *f = e->items[k];
		bool onoff = f->field && !strcmp(f->field, "l_onoff");

		if (!onoff && (!f->field || strcmp(f->field, "l_linger")))
			return arg_bad(c, f, "expected l_onoff=N or l_linger=N");
		if (arg_integer(c, f, f->field, INT_MIN, INT_MAX, &x) < 0)
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
	const struct expr *v = arg_at(c->sc, 3);
	size_t size = o && o->type == OPT_LINGER ? sizeof(struct linger) : sizeof(int);
	int64_t len;

	(void)t;
	if (!o || e->kind == EXPR_ELLIPSIS)
		return 0;
	if (o->type == OPT_NAME)	/* as packetdrill: the string's own length */
		size = v && v->kind == EXPR_STRING ? strlen(v->string) : 0;
	/* a key's length goes to the kernel as written (its buffer is zeroed) */
	if (o->type == OPT_KEY)
		return arg_integer(c, e, "a length", 0, CALL_ARG_OPTKEY_MAX, &len) < 0 ? -1 : 0;
	if (arg_integer(c, e, "a length", 0, INT_MAX, &len) < 0)
		return -1;
	if ((uint64_t)len != size)
		return arg_bad(c, arg_unwrap(e), "length %" PRId64 " does not match %s, "
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
		return arg_bad(c, e, "expected {idiag_state=..., ...}, found %s",
			   expr_kind_name(e->kind));
	for (size_t k = 0; k < e->nitems; k++) {
		const struct expr *f = e->items[k];

		if (!diag_field_find(f->field))
			return arg_bad(c, f, "unknown field '%s'", f->field ? f->field : "?");
		if (f->kind != EXPR_INT && f->kind != EXPR_RANGE)
			return arg_bad(c, f, "%s: expected an integer or a range, found %s",
				   f->field, expr_kind_name(f->kind));
	}
	return 0;
}

const struct arg_type arg_fcntl_cmd = { .check = check_fcntl_cmd },
	arg_fcntl_arg = { .check = check_fcntl_arg },
	arg_level = { .check = arg_check_values, .values = levels },
	arg_optname = { .check = check_optname }, arg_optval = { .check = check_optval },
	arg_optlen = { .check = check_optlen }, arg_diag = { .check = check_diag };

int call_arg_sockopt(const struct syscall_event *sc, int *level_out, int *name,
		     struct call_optval *v, char **error)
{
	struct arg_ctx c = { .sc = sc, .i = 1, .error = error };
	const struct sockopt *o;

	if (sc->nargs < 4 || arg_check_values(&c, &arg_level, sc->args[1]) < 0)
		return sc->nargs < 4 ? arg_bad(&c, NULL, "expected a level") : -1;
	c.i = 2;
	if (check_optname(&c, &arg_optname, sc->args[2]) < 0)
		return -1;
	o = sockopt_find(sc);
	c.i = 3;
	if (optval(&c, o, sc->args[3], v) < 0)
		return -1;
	*level_out = (int)o->level;
	*name = (int)o->name.value;
	return 0;
}

/* ---- the calls ---- */

int call_do_fcntl(struct calls *cs, const struct syscall_event *sc,
		    long *ret, int *err, char **error)
{
	int fd, cmd, a = 0;

	/* call_run() has checked cmd and a against call_arg.c's allow-list */
	if (call_fd(cs, sc, 0, &fd, error) < 0 || call_arg_int(sc, 1, &cmd, error) < 0 ||
	    (sc->nargs > 2 && call_arg_int(sc, 2, &a, error) < 0))
		return -1;
	call_result(fcntl(fd, cmd, a), ret, err);
	return 0;
}

int call_do_setsockopt(struct calls *cs, const struct syscall_event *sc,
			 long *ret, int *err, char **error)
{
	struct call_optval v;
	int fd, level, name, keylen;

	if (call_fd(cs, sc, 0, &fd, error) < 0 ||
	    call_arg_sockopt(sc, &level, &name, &v, error) < 0)
		return -1;
	if (name == TCP_FASTOPEN_KEY && call_arg_int(sc, 4, &keylen, NULL) == 0)
		v.len = (socklen_t)keylen;	/* checked: 0 to CALL_ARG_OPTKEY_MAX */
	call_result(setsockopt(fd, level, name, &v.u, v.len), ret, err);
	return 0;
}

int call_do_getsockopt(struct calls *cs, const struct syscall_event *sc,
			 long *ret, int *err, char **error)
{
	struct call_optval want, got;
	int fd, level, name;
	char e[64], a[64];

	if (call_fd(cs, sc, 0, &fd, error) < 0 ||
	    call_arg_sockopt(sc, &level, &name, &want, error) < 0)
		return -1;
	memset(&got, 0, sizeof(got));
	/* a name: the whole of it, so that "cubic" is not read as "reno"'s 4 bytes */
	got.len = name == TCP_CONGESTION ? CALL_ARG_OPTSTR_MAX : want.len;
	call_result(getsockopt(fd, level, name, &got.u, &got.len), ret, err);
	if (*ret < 0)
		return 0;
	if (name == TCP_CONGESTION) {
		got.len = (socklen_t)strnlen(got.u.s, got.len);
		if (got.len == want.len && !memcmp(got.u.s, want.u.s, want.len))
			return 0;
		snprintf(e, sizeof(e), "\"%.*s\"", (int)want.len, want.u.s);
		snprintf(a, sizeof(a), "\"%.*s\"", (int)got.len, got.u.s);
	} else if (want.len == sizeof(struct linger)) {
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
int call_do_tcp_diag(struct calls *cs, const struct syscall_event *sc,
		       long *ret, int *err, char **error)
{
	const struct expr *want = arg_at(sc, 1);
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

