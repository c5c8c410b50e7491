/*
 * call_poll.c - the calls that ask a descriptor how it stands: ioctl()
 * (SIOCINQ, SIOCOUTQ), poll() and epoll_create()/epoll_ctl()/epoll_wait(),
 * with what each may be given and the values the line expects checked.
 *
 * As in packetdrill: poll() checks every revents the line writes;
 * epoll_wait() checks the first event's mask and data (events=0, ptr=0
 * when none came); ioctl(fd, SIOCINQ, [N]) checks N.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "call_arg.h"
#include "call_int.h"
#include "error.h"
#include "expr.h"

#define POLL_FDS_MAX	16		/* pollfds in one poll() */
#define EPOLL_EVENTS_MAX 16		/* maxevents of one epoll_wait() */
#define TIMEOUT_MAX_MS	600000		/* a case runs for minutes at most */

#define WAKES	"it keeps the host from suspending"

static const struct named ioctl_reqs[] = {
	{ "SIOCINQ", FIONREAD, NULL }, { "SIOCOUTQ", TIOCOUTQ, NULL },
	NO(FIONBIO, "use fcntl(F_SETFL, O_NONBLOCK)"), END,
};
static const struct named poll_bits[] = {
	V(POLLIN), V(POLLPRI), V(POLLOUT), V(POLLERR), V(POLLHUP), V(POLLNVAL),
	V(POLLRDNORM), V(POLLRDBAND), V(POLLWRNORM), V(POLLWRBAND), V(POLLRDHUP), END,
};
static const struct named epoll_bits[] = {
	V(EPOLLIN), V(EPOLLPRI), V(EPOLLOUT), V(EPOLLRDNORM), V(EPOLLRDBAND),
	V(EPOLLWRNORM), V(EPOLLWRBAND), V(EPOLLMSG), V(EPOLLERR), V(EPOLLHUP),
	V(EPOLLRDHUP), V(EPOLLEXCLUSIVE), V(EPOLLONESHOT), V(EPOLLET),
	NO(EPOLLWAKEUP, WAKES), END,
};
static const struct named epoll_ops[] = {
	V(EPOLL_CTL_ADD), V(EPOLL_CTL_MOD), V(EPOLL_CTL_DEL), END,
};
static const struct named zero[] = { { "0", 0, NULL }, END };

static const struct arg_type poll_mask = { .check = arg_check_values, .values = zero,
					   .flags = poll_bits },
	epoll_mask = { .check = arg_check_values, .values = zero, .flags = epoll_bits };

/* {NAME=value, ...}: field name of e, or NULL. */
static const struct expr *field(const struct expr *e, const char *name)
{
	for (size_t k = 0; e && e->kind == EXPR_STRUCT && k < e->nitems; k++)
		if (e->items[k]->field && !strcmp(e->items[k]->field, name))
			return e->items[k];
	return NULL;
}

/* Every field of e is one of names (NULL-terminated), and the integer kind. */
static int fields_known(struct arg_ctx *c, const struct expr *e,
			const char *const *names, const char *form)
{
	if (e->kind != EXPR_STRUCT)
		return arg_bad(c, e, "expected %s, found %s", form,
			       expr_kind_name(e->kind));
	for (size_t k = 0; k < e->nitems; k++) {
		const struct expr *f = e->items[k];
		size_t n = 0;

		while (names[n] && (!f->field || strcmp(names[n], f->field)))
			n++;
		if (!names[n])
			return arg_bad(c, f, "unknown field '%s' (expected %s)",
				       f->field ? f->field : "?", form);
		if (f->kind != EXPR_INT)
			return arg_bad(c, f, "%s: expected an integer, found %s",
				       f->field, expr_kind_name(f->kind));
	}
	return 0;
}

/* ---- ioctl() ---- */

static int check_ioctl_val(struct arg_ctx *c, const struct arg_type *t,
			   const struct expr *e)
{
	int64_t v;

	(void)t;
	if (e->kind == EXPR_ELLIPSIS)
		return 0;
	if (e->kind != EXPR_LIST)
		return arg_bad(c, e, "expected [N], the value the kernel writes");
	return arg_integer(c, e, "a count", 0, INT_MAX, &v);
}

int call_do_ioctl(struct calls *cs, const struct syscall_event *sc, long *ret,
		  int *err, char **error)
{
	const struct expr *want = arg_at(sc, 2);
	int fd, req, v = -1;
	char e[32], a[32];

	if (call_fd(cs, sc, 0, &fd, error) < 0 || call_arg_int(sc, 1, &req, error) < 0)
		return -1;
	call_result(ioctl(fd, (unsigned long)req, &v), ret, err);
	if (*ret < 0 || want->kind == EXPR_ELLIPSIS || arg_unwrap(want)->value == v)
		return 0;
	snprintf(e, sizeof(e), "[%" PRId64 "]", arg_unwrap(want)->value);
	snprintf(a, sizeof(a), "[%d]", v);
	return error_mismatch(error, "ioctl() value", e, a);
}

/* ---- poll() ---- */

static const char *const pollfd_fields[] = { "fd", "events", "revents", NULL };

/* [{fd=N, events=MASK, revents=MASK}, ...] */
static int check_pollfds(struct arg_ctx *c, const struct arg_type *t,
			 const struct expr *e)
{
	(void)t;
	if (e->kind != EXPR_LIST || e->nitems > POLL_FDS_MAX)
		return arg_bad(c, e, "expected a list of at most %d "
			       "{fd=N, events=M, revents=M}", POLL_FDS_MAX);
	for (size_t k = 0; k < e->nitems; k++) {
		const struct expr *p = e->items[k], *f;
		int64_t v;

		if (fields_known(c, p, pollfd_fields, "{fd=N, events=M, revents=M}") < 0)
			return -1;
		f = field(p, "fd");
		if (!f || !field(p, "events") || !field(p, "revents"))
			return arg_bad(c, p, "pollfd %zu: expected fd, events and "
				       "revents", k + 1);
		if (arg_integer(c, f, "descriptor", -1, INT_MAX, &v) < 0 ||
		    poll_mask.check(c, &poll_mask, field(p, "events")) < 0 ||
		    poll_mask.check(c, &poll_mask, field(p, "revents")) < 0)
			return -1;
	}
	return 0;
}

/* The count of a poll()/epoll_wait(): poll's at most the pollfds written. */
static int check_nfds(struct arg_ctx *c, const struct arg_type *t,
		      const struct expr *e)
{
	const struct expr *list = arg_at(c->sc, 0);
	int64_t v, max = EPOLL_EVENTS_MAX;

	(void)t;
	if (list && list->kind == EXPR_LIST)
		max = (int64_t)list->nitems;
	return arg_integer(c, e, "a count", 0, max, &v);
}

int call_do_poll(struct calls *cs, const struct syscall_event *sc, long *ret,
		 int *err, char **error)
{
	const struct expr *list = arg_at(sc, 0);
	struct pollfd fds[POLL_FDS_MAX];
	int n, timeout;

	if (call_arg_int(sc, 1, &n, error) < 0 || call_arg_int(sc, 2, &timeout, error) < 0)
		return -1;
	for (int k = 0; k < n; k++) {
		const struct expr *p = list->items[k];
		int sfd = (int)field(p, "fd")->value;

		fds[k].fd = sfd < 0 ? -1 : calls_fd_live(cs, sfd);
		if (sfd >= 0 && fds[k].fd < 0)
			return error_set(error, "poll(): descriptor %d was never "
					 "opened by this script", sfd);
		fds[k].events = (short)field(p, "events")->value;
		fds[k].revents = 0;
	}
	call_result(poll(fds, (nfds_t)n, timeout), ret, err);
	for (int k = 0; *ret >= 0 && k < n; k++) {
		int64_t want = field(list->items[k], "revents")->value;
		char what[48], e[16], a[16];

		if (fds[k].revents == want)
			continue;
		snprintf(what, sizeof(what), "poll() revents of fd=%" PRId64,
			 field(list->items[k], "fd")->value);
		snprintf(e, sizeof(e), "%#" PRIx64, want);
		snprintf(a, sizeof(a), "%#x", (unsigned)(uint16_t)fds[k].revents);
		return error_mismatch(error, what, e, a);
	}
	return 0;
}

/* ---- epoll ---- */

static const char *const epoll_fields[] = { "events", "fd", "ptr", "u32", "u64", NULL };

/* {events=MASK, fd=N} (or ptr=, u32=, u64=) */
static int check_epoll_event(struct arg_ctx *c, const struct arg_type *t,
			     const struct expr *e)
{
	const struct expr *ev;

	(void)t;
	if (fields_known(c, e, epoll_fields, "{events=M, fd=N}") < 0)
		return -1;
	ev = field(e, "events");
	if (!ev || e->nitems != 2)
		return arg_bad(c, e, "expected {events=M, fd=N} (or ptr=, u32=, u64=)");
	return epoll_mask.check(c, &epoll_mask, ev);
}

/* epoll_ctl's event: fd=N names the descriptor of argument 3 */
static int check_epoll_ctl_event(struct arg_ctx *c, const struct arg_type *t,
				 const struct expr *e)
{
	const struct expr *f = field(e, "fd"), *target = arg_unwrap(arg_at(c->sc, 2));

	if (check_epoll_event(c, t, e) < 0)
		return -1;
	if (f && target && target->kind == EXPR_INT && f->value != target->value)
		return arg_bad(c, f, "fd=%" PRId64 " is not the descriptor of "
			       "argument 3 (%" PRId64 ")", f->value, target->value);
	return 0;
}

/* The event's data as epoll keeps it: fd= is the live descriptor. */
static int epoll_data(const struct calls *cs, const struct expr *e, uint64_t *data,
		      char **error)
{
	const struct expr *d = NULL;

	for (size_t k = 0; k < e->nitems; k++)
		if (strcmp(e->items[k]->field, "events"))
			d = e->items[k];
	if (!strcmp(d->field, "fd")) {
		int live = calls_fd_live(cs, (int)d->value);

		if (live < 0)
			return error_set(error, "descriptor %" PRId64 " was never "
					 "opened by this script", d->value);
		*data = (uint32_t)live;
	} else if (!strcmp(d->field, "u32")) {
		*data = (uint32_t)d->value;
	} else {
		*data = (uint64_t)d->value;
	}
	return 0;
}

int call_do_epoll_create(struct calls *cs, const struct syscall_event *sc,
			 long *ret, int *err, char **error)
{
	int size;

	(void)cs;
	if (call_arg_int(sc, 0, &size, error) < 0)
		return -1;
	call_result(epoll_create(size), ret, err);
	return 0;
}

int call_do_epoll_ctl(struct calls *cs, const struct syscall_event *sc,
		      long *ret, int *err, char **error)
{
	struct epoll_event ev = { 0 };
	uint64_t data;
	int epfd, op, fd;

	if (call_fd(cs, sc, 0, &epfd, error) < 0 || call_arg_int(sc, 1, &op, error) < 0 ||
	    call_fd(cs, sc, 2, &fd, error) < 0 ||
	    epoll_data(cs, sc->args[3], &data, error) < 0)
		return -1;
	ev.events = (uint32_t)field(sc->args[3], "events")->value;
	ev.data.u64 = data;
	call_result(epoll_ctl(epfd, op, fd, &ev), ret, err);
	return 0;
}

/* {events=M, fd=N} as the script writes it: fd= back to the script's number. */
static void event_text(const struct calls *cs, const struct expr *want, int64_t events,
		       uint64_t data, char *buf, size_t size)
{
	const char *name = "ptr";

	for (size_t k = 0; k < want->nitems; k++)
		if (strcmp(want->items[k]->field, "events"))
			name = want->items[k]->field;
	if (!strcmp(name, "fd"))
		for (size_t k = 0; k < cs->nfds; k++)
			if ((uint64_t)cs->fds[k].live == data) {
				data = (uint64_t)cs->fds[k].script;
				break;
			}
	snprintf(buf, size, "{events=%#" PRIx64 ", %s=%" PRIu64 "}", events, name, data);
}

int call_do_epoll_wait(struct calls *cs, const struct syscall_event *sc,
		       long *ret, int *err, char **error)
{
	const struct expr *want = sc->args[1];
	struct epoll_event evs[EPOLL_EVENTS_MAX];
	uint64_t data = 0;
	int epfd, max, timeout;
	char e[64], a[64];

	if (call_fd(cs, sc, 0, &epfd, error) < 0 || call_arg_int(sc, 2, &max, error) < 0 ||
	    call_arg_int(sc, 3, &timeout, error) < 0)
		return -1;
	/* ptr=0 with nothing to wait for: no descriptor to look up */
	if (field(want, "fd") || field(want, "ptr") || field(want, "u32") ||
	    field(want, "u64"))
		if (epoll_data(cs, want, &data, error) < 0)
			return -1;
	memset(evs, 0, sizeof(evs));
	call_result(epoll_wait(epfd, evs, max, timeout), ret, err);
	if (*ret < 0)
		return 0;
	if (evs[0].events == (uint32_t)field(want, "events")->value &&
	    (field(want, "u32") ? evs[0].data.u32 == (uint32_t)data
				: evs[0].data.u64 == data))
		return 0;
	event_text(cs, want, field(want, "events")->value, data, e, sizeof(e));
	event_text(cs, want, evs[0].events, evs[0].data.u64, a, sizeof(a));
	return error_mismatch(error, "epoll_wait() event", e, a);
}

const struct arg_type arg_ioctl_req = { .check = arg_check_values, .values = ioctl_reqs },
	arg_ioctl_val = { .check = check_ioctl_val },
	arg_pollfds = { .check = check_pollfds }, arg_nfds = { .check = check_nfds },
	arg_timeout = { .check = arg_check_int, .lo = -1, .hi = TIMEOUT_MAX_MS },
	arg_epoll_op = { .check = arg_check_values, .values = epoll_ops },
	arg_epoll_event = { .check = check_epoll_ctl_event },
	arg_epoll_events = { .check = check_epoll_event },
	arg_epoll_size = { .check = arg_check_int, .lo = 1, .hi = INT_MAX };
