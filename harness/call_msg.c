/*
 * call_msg.c - recvmsg() and sendmsg() with packetdrill's msghdr:
 * {msg_name(...)=..., msg_iov(N)=[{..., LEN}, ...], msg_flags=F,
 * msg_control=[{cmsg_level=L, cmsg_type=T, cmsg_data=...}, ...]}.
 *
 * As packetdrill does, recvmsg() checks the msg_flags the kernel returns
 * and each control message in order: TCP_CM_INQ's count, an error queue
 * entry's sock_extended_err fields, and SCM_TIMESTAMPING's first stamp
 * against the script time within the tolerance (0 s 0 ns: not checked).
 * Any other control message is a SKIP naming it.
 */
#include <inttypes.h>
#include <limits.h>
#include <time.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>

#include "call_arg.h"
#include "call_int.h"
#include "error.h"
#include "expr.h"
#include "timeline.h"

/* after the headers above: its TCPOPT_* macros would clash with tcp_option.h's enum */
#include <netinet/tcp.h>

#define MSG_IOV_MAX	64		/* iovecs in one msghdr */
#define CMSG_MAX	4		/* control messages one line expects */
#define CONTROL_SIZE	1024

enum cm_kind { CM_INT, CM_TIMESTAMPING, CM_RECVERR };

static const struct cm_desc {
	const char *name;
	int level, type;
	enum cm_kind kind;
} cms[] = {
	{ "TCP_CM_INQ", IPPROTO_TCP, TCP_INQ, CM_INT },
	{ "SCM_TIMESTAMPING", SOL_SOCKET, SCM_TIMESTAMPING, CM_TIMESTAMPING },
	{ "IP_RECVERR", SOL_IP, IP_RECVERR, CM_RECVERR },
	{ "IPV6_RECVERR", SOL_IPV6, IPV6_RECVERR, CM_RECVERR },
};

static const struct ee_field {
	const char *name;
	size_t off, size;
} ee_fields[] = {
#define F(m) { #m, offsetof(struct sock_extended_err, m), \
	       sizeof(((struct sock_extended_err *)0)->m) }
	F(ee_errno), F(ee_origin), F(ee_type), F(ee_code), F(ee_info), F(ee_data),
#undef F
};

static const char *const msghdr_fields[] = {
	"msg_name", "msg_iov", "msg_flags", "msg_control", NULL,
};

static const struct expr *field(const struct expr *e, const char *name)
{
	for (size_t k = 0; e && e->kind == EXPR_STRUCT && k < e->nitems; k++)
		if (e->items[k]->field && !strcmp(e->items[k]->field, name))
			return e->items[k];
	return NULL;
}

static const struct cm_desc *cm_find(const struct expr *cm)
{
	const struct expr *l = field(cm, "cmsg_level"), *t = field(cm, "cmsg_type");

	for (size_t k = 0; l && t && k < sizeof(cms) / sizeof(cms[0]); k++)
		if (l->kind == EXPR_INT && t->kind == EXPR_INT &&
		    cms[k].level == l->value && cms[k].type == t->value)
			return &cms[k];
	return NULL;
}

/* The fields of data all integers, each one of names (NULL: any). */
static int int_fields(struct arg_ctx *c, const struct expr *data,
		      bool (*known)(const char *name))
{
	if (data->kind != EXPR_STRUCT)
		return arg_bad(c, data, "cmsg_data: expected {...}, found %s",
			       expr_kind_name(data->kind));
	for (size_t k = 0; k < data->nitems; k++) {
		const struct expr *f = data->items[k];

		if (!f->field || !known(f->field))
			return arg_bad(c, f, "cmsg_data: unknown field '%s'",
				       f->field ? f->field : "?");
		if (f->kind != EXPR_INT)
			return arg_bad(c, f, "%s: expected an integer", f->field);
	}
	return 0;
}

static bool ee_known(const char *name)
{
	for (size_t k = 0; k < sizeof(ee_fields) / sizeof(ee_fields[0]); k++)
		if (!strcmp(ee_fields[k].name, name))
			return true;
	return false;
}

static bool ts_known(const char *name)
{
	return !strcmp(name, "scm_sec") || !strcmp(name, "scm_nsec");
}

static int check_cmsg(struct arg_ctx *c, const struct expr *cm)
{
	const struct cm_desc *d = cm_find(cm);
	const struct expr *data = field(cm, "cmsg_data");

	if (cm->kind != EXPR_STRUCT || !field(cm, "cmsg_level") ||
	    !field(cm, "cmsg_type") || !data || cm->nitems != 3)
		return arg_bad(c, cm, "expected {cmsg_level=L, cmsg_type=T, "
			       "cmsg_data=...}");
	if (!d) {
		c->at = cm;
		return error_skip(c->error, "%s(): control message level %" PRId64
				  " type %" PRId64 " is not supported (TCP_CM_INQ, "
				  "SCM_TIMESTAMPING, IP_RECVERR, IPV6_RECVERR are)",
				  c->sc->name, field(cm, "cmsg_level")->value,
				  field(cm, "cmsg_type")->value);
	}
	if (d->kind == CM_INT && data->kind != EXPR_INT)
		return arg_bad(c, data, "%s: expected an integer", d->name);
	if (d->kind == CM_TIMESTAMPING)
		return int_fields(c, data, ts_known);
	if (d->kind == CM_RECVERR)
		return int_fields(c, data, ee_known);
	return 0;
}

/* [{..., LEN}, ...]: lengths within CALL_ARG_IO_MAX in all. */
static int check_msg_iov(struct arg_ctx *c, const struct expr *iov)
{
	int64_t total = 0, len;

	if (!iov || iov->kind != EXPR_LIST || iov->nitems > MSG_IOV_MAX)
		return arg_bad(c, iov ? iov : c->at, "msg_iov: expected a list of "
			       "at most %d {..., length}", MSG_IOV_MAX);
	for (size_t k = 0; k < iov->nitems; k++) {
		const struct expr *v = iov->items[k];

		if (v->kind != EXPR_STRUCT || v->nitems != 2)
			return arg_bad(c, v, "iovec %zu: expected {..., length}", k + 1);
		if (arg_integer(c, v->items[1], "an iovec length", 0, CALL_ARG_IO_MAX,
				&len) < 0)
			return -1;
		total += len;
	}
	if (total > CALL_ARG_IO_MAX)
		return arg_bad(c, iov, "msg_iov: %" PRId64 " bytes in all, more "
			       "than %d", total, CALL_ARG_IO_MAX);
	return 0;
}

static int check_msghdr(struct arg_ctx *c, const struct arg_type *t,
			const struct expr *e)
{
	const struct expr *ctl;

	(void)t;
	c->at = e;
	if (e->kind != EXPR_STRUCT)
		return arg_bad(c, e, "expected {msg_name(...)=..., msg_iov(N)=[...], "
			       "...}, found %s", expr_kind_name(e->kind));
	for (size_t k = 0; k < e->nitems; k++) {
		const char *f = e->items[k]->field;
		size_t n = 0;

		while (msghdr_fields[n] && (!f || strcmp(f, msghdr_fields[n])))
			n++;
		if (!msghdr_fields[n])
			return arg_bad(c, e->items[k], "unknown msghdr field '%s'",
				       f ? f : "?");
	}
	if (check_msg_iov(c, field(e, "msg_iov")) < 0)
		return -1;
	if (field(e, "msg_flags") && field(e, "msg_flags")->kind != EXPR_INT)
		return arg_bad(c, field(e, "msg_flags"), "msg_flags: expected an integer");
	ctl = field(e, "msg_control");
	if (!ctl)
		return 0;
	if (ctl->kind != EXPR_LIST || ctl->nitems > CMSG_MAX)
		return arg_bad(c, ctl, "msg_control: expected a list of at most %d "
			       "control messages", CMSG_MAX);
	if (ctl->nitems && !strcmp(c->sc->name, "sendmsg")) {
		c->at = ctl;
		return error_skip(c->error, "sendmsg(): control messages are not "
				  "supported");
	}
	for (size_t k = 0; k < ctl->nitems; k++) {
		int rc = check_cmsg(c, ctl->items[k]);

		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- making the calls ---- */

/* The iovecs of msg_iov, zeroed buffers; free_iov() them. */
static int make_iov(const struct expr *list, struct iovec *iov, char **error)
{
	for (size_t k = 0; k < list->nitems; k++) {
		iov[k].iov_len = (size_t)arg_unwrap(list->items[k]->items[1])->value;
		iov[k].iov_base = calloc(1, iov[k].iov_len ? iov[k].iov_len : 1);
		if (!iov[k].iov_base) {
			while (k-- > 0)
				free(iov[k].iov_base);
			return error_set(error, "out of memory");
		}
	}
	return 0;
}

static void free_iov(struct iovec *iov, size_t n)
{
	for (size_t k = 0; k < n; k++)
		free(iov[k].iov_base);
}

static int check_value(const char *what, size_t i, const char *name, int64_t want,
		       int64_t got, char **error)
{
	char w[128], e[32], a[32];

	if (want == got)
		return 0;
	snprintf(w, sizeof(w), "%s cmsg %zu %s", what, i + 1, name);
	snprintf(e, sizeof(e), "%" PRId64, want);
	snprintf(a, sizeof(a), "%" PRId64, got);
	return error_mismatch(error, w, e, a);
}

static int check_recverr(const struct expr *data, const struct sock_extended_err *ee,
			 size_t i, char **error)
{
	for (size_t k = 0; k < data->nitems; k++) {
		const struct expr *f = data->items[k];

		for (size_t j = 0; j < sizeof(ee_fields) / sizeof(ee_fields[0]); j++) {
			const unsigned char *p = (const unsigned char *)ee + ee_fields[j].off;
			uint32_t v32 = 0;
			int64_t got;

			if (strcmp(ee_fields[j].name, f->field))
				continue;
			if (ee_fields[j].size == 1)
				got = *p;
			else
				got = (memcpy(&v32, p, sizeof(v32)), v32);
			if (check_value("recvmsg()", i, f->field, f->value, got, error) < 0)
				return -1;
		}
	}
	return 0;
}

/*
 * The first stamp against its script time, as packetdrill (0 s 0 ns: not
 * checked; the fixed tolerance, no percentage), but read where that script
 * time fell on this run's clock (timeline.h): packetdrill's own drift is a
 * fraction of a millisecond, this harness's system-call thread adds about
 * 0.2 ms a call, which a "+0" line must not spend from the tolerance.
 */
static int check_stamp(const struct calls *cs, const struct expr *data,
		       const struct timespec *ts, size_t i, char **error)
{
	const struct expr *s = field(data, "scm_sec"), *ns = field(data, "scm_nsec");
	int64_t want = (s ? s->value : 0) * 1000000 + (ns ? ns->value : 0) / 1000;
	int64_t got = state_ts_usecs(cs->st, ts), tol = cs->st->tolerance_usecs, lo, hi;
	char w[64], e[96], a[32];

	if (!want)
		return 0;
	timeline_live(cs->st->timeline, want, &lo, &hi);
	if (got >= lo - tol && got <= hi + tol)
		return 0;
	snprintf(w, sizeof(w), "recvmsg() cmsg %zu SCM_TIMESTAMPING", i + 1);
	if (lo == hi)
		snprintf(e, sizeof(e), "%.6f s (%.6f s on this run's clock)",
			 want / 1e6, lo / 1e6);
	else
		snprintf(e, sizeof(e), "%.6f s (%.6f to %.6f s on this run's clock)",
			 want / 1e6, lo / 1e6, hi / 1e6);
	snprintf(a, sizeof(a), "%.6f s", got / 1e6);
	return error_mismatch(error, w, e, a);
}

static int check_cmsgs(const struct calls *cs, const struct expr *ctl,
		       struct msghdr *msg, char **error)
{
	struct cmsghdr *cm = CMSG_FIRSTHDR(msg);
	size_t i;

	for (i = 0; i < ctl->nitems && cm; i++, cm = CMSG_NXTHDR(msg, cm)) {
		const struct cm_desc *d = cm_find(ctl->items[i]);
		const struct expr *data = field(ctl->items[i], "cmsg_data");
		int v;

		if (check_value("recvmsg()", i, "cmsg_level", d->level, cm->cmsg_level,
				error) < 0 ||
		    check_value("recvmsg()", i, "cmsg_type", d->type, cm->cmsg_type,
				error) < 0)
			return -1;
		if (d->kind == CM_INT) {
			memcpy(&v, CMSG_DATA(cm), sizeof(v));
			if (check_value("recvmsg()", i, "cmsg_data", data->value, v,
					error) < 0)
				return -1;
		} else if (d->kind == CM_RECVERR) {
			if (check_recverr(data, (void *)CMSG_DATA(cm), i, error) < 0)
				return -1;
		} else if (check_stamp(cs, data, (void *)CMSG_DATA(cm), i, error) < 0) {
			return -1;
		}
	}
	if (i < ctl->nitems || cm) {
		char e[16], a[16];
		size_t n = i;

		for (; cm; cm = CMSG_NXTHDR(msg, cm))
			n++;
		snprintf(e, sizeof(e), "%zu", ctl->nitems);
		snprintf(a, sizeof(a), "%zu", n);
		return error_mismatch(error, "recvmsg() control messages", e, a);
	}
	return 0;
}

int call_do_recvmsg(struct calls *cs, const struct syscall_event *sc, long *ret,
		    int *err, char **error)
{
	const struct expr *h = sc->args[1], *list = field(h, "msg_iov");
	const struct expr *want_flags = field(h, "msg_flags"), *ctl = field(h, "msg_control");
	struct iovec iov[MSG_IOV_MAX];
	char control[CONTROL_SIZE];
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = list->nitems,
			      .msg_control = control, .msg_controllen = sizeof(control) };
	int fd, flags, rc = 0;
	char e[16], a[16];

	if (call_fd(cs, sc, 0, &fd, error) < 0 || call_arg_int(sc, 2, &flags, error) < 0 ||
	    make_iov(list, iov, error) < 0)
		return -1;
	memset(control, 0, sizeof(control));
	call_result(recvmsg(fd, &msg, flags), ret, err);
	if (*ret >= 0 && want_flags && want_flags->value != msg.msg_flags) {
		snprintf(e, sizeof(e), "%#" PRIx64, want_flags->value);
		snprintf(a, sizeof(a), "%#x", (unsigned)msg.msg_flags);
		rc = error_mismatch(error, "recvmsg() msg_flags", e, a);
	} else if (*ret >= 0 && ctl) {
		rc = check_cmsgs(cs, ctl, &msg, error);
	}
	free_iov(iov, list->nitems);
	return rc;
}

int call_do_sendmsg(struct calls *cs, const struct syscall_event *sc, long *ret,
		    int *err, char **error)
{
	const struct expr *list = field(sc->args[1], "msg_iov");
	struct iovec iov[MSG_IOV_MAX];
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = list->nitems };
	struct sockaddr_storage peer;
	int fd, flags;

	if (call_fd(cs, sc, 0, &fd, error) < 0 || call_arg_int(sc, 2, &flags, error) < 0 ||
	    make_iov(list, iov, error) < 0)
		return -1;
	/* msg_name(...)=... is the harness side, as sendto()'s address: what
	 * MSG_FASTOPEN connects to (a connected socket ignores it) */
	if (field(sc->args[1], "msg_name")) {
		msg.msg_name = &peer;
		msg.msg_namelen = ip_address_sockaddr(&cs->st->harness_addr,
						      cs->st->harness_port, &peer);
	}
	call_result(sendmsg(fd, &msg, flags), ret, err);
	free_iov(iov, list->nitems);
	return 0;
}

static const struct named zero[] = { { "0", 0, NULL }, END };
static const struct named recvmsg_bits[] = {
	V(MSG_PEEK), V(MSG_DONTWAIT), V(MSG_WAITALL), V(MSG_OOB), V(MSG_TRUNC),
	V(MSG_ERRQUEUE), END,
};
static const struct named sendmsg_bits[] = {
	V(MSG_DONTWAIT), V(MSG_NOSIGNAL), V(MSG_MORE), V(MSG_OOB), V(MSG_EOR),
	V(MSG_FASTOPEN), V(MSG_ZEROCOPY), END,
};

const struct arg_type arg_msghdr = { .check = check_msghdr },
	arg_recvmsg_flags = { .check = arg_check_values, .values = zero,
			      .flags = recvmsg_bits },
	arg_sendmsg_flags = { .check = arg_check_values, .values = zero,
			      .flags = sendmsg_bits };
