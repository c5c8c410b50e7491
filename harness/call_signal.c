/* call_signal.c - the signals a case's calls raise, as sigpending() shows them: SIGPIPE from a write on a reset connection. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "call_int.h"
#include "error.h"

/*
 * The runner ignores SIGPIPE (a write after an RST must return EPIPE, not
 * end the case), and the kernel drops an ignored signal when it raises it,
 * unless the thread blocks it: blocked signals are never treated as
 * ignored.  So the calls' thread blocks these (call_signals_hold()), and a
 * SIGPIPE it raises stays pending there, for sigpending() to see.
 */
static const int held[] = { SIGPIPE };

static bool is_held(int64_t sig)
{
	for (size_t k = 0; k < sizeof(held) / sizeof(held[0]); k++)
		if (held[k] == sig)
			return true;
	return false;
}

int call_signals_hold(void)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t k = 0; k < sizeof(held) / sizeof(held[0]); k++)
		sigaddset(&set, held[k]);
	return pthread_sigmask(SIG_BLOCK, &set, NULL) ? STATUS_ERROR : STATUS_OK;
}

/* [SIGNAL], the one signal expected pending, or [0] for none. */
static int check_sigset(struct arg_ctx *c, const struct arg_type *t, const struct expr *e)
{
	int64_t sig;

	(void)t;
	if (e->kind != EXPR_LIST || e->nitems != 1)
		return arg_bad(c, e, "expected [SIGPIPE] or [0] (none pending)");
	if (arg_integer(c, e->items[0], "signal", 0, 64, &sig) < 0)
		return -1;
	if (sig && !is_held(sig))
		return arg_bad(c, e->items[0], "only SIGPIPE can be pending: it is the one "
			       "signal the calls' thread holds");
	return 0;
}

const struct arg_type arg_sigset = { .check = check_sigset };

/* "[SIGPIPE]", or "[0]" for none: as a script writes it. */
static const char *signal_text(int sig, char *buf, size_t size)
{
	const char *abbrev = sig ? sigabbrev_np(sig) : NULL;

	if (abbrev)
		snprintf(buf, size, "[SIG%s]", abbrev);
	else
		snprintf(buf, size, "[%d]", sig);
	return buf;
}

/*
 * sigpending([SIGNAL]) = 0: the calls' thread has SIGNAL pending, or none
 * of the held signals with [0].  Like the system call, it takes nothing:
 * a SIGPIPE stays pending for the rest of the case.
 */
int call_do_sigpending(struct calls *cs, const struct syscall_event *sc, long *ret,
		       int *err, char **error)
{
	struct arg_ctx c = { .sc = sc, .error = error };
	const struct expr *l = arg_at(sc, 0);
	char want_text[32], got_text[32];
	sigset_t set;
	int want, got = 0;

	(void)cs;
	if (!l || check_sigset(&c, &arg_sigset, l) < 0)
		return l ? -1 : error_set(error, "sigpending(): expected [SIGPIPE] or [0]");
	want = (int)arg_unwrap(l->items[0])->value;
	call_result(sigpending(&set), ret, err);
	if (*ret < 0)
		return 0;
	for (size_t k = 0; k < sizeof(held) / sizeof(held[0]) && !got; k++)
		if (sigismember(&set, held[k]) == 1)
			got = held[k];
	if (got != want)
		return error_mismatch(error, "sigpending() set", signal_text(want, want_text,
				      sizeof(want_text)), signal_text(got, got_text, sizeof(got_text)));
	return 0;
}
