/*
 * fuzz_call.c - libFuzzer target for system call argument checking and
 * decoding (harness/call_arg.c): the script is parsed, every call checked
 * against the tables, and what passes decoded as the call would be made,
 * without a kernel.
 *
 * Besides "no crash, no leak, no out-of-bounds read", it traps when a
 * refusal does not name "fuzz:line:column:", when what passed the check
 * does not decode, or when something the allow-lists refuse gets through:
 * an fcntl command other than F_GETFD/F_SETFD/F_GETFL/F_SETFL, O_ASYNC, a
 * socket that is not SOCK_STREAM, more iovecs than the line wrote, a
 * descriptor outside int (any argument the call table types as one).
 *
 * Build and run (see the Makefile's fuzz target):
 *   make tests/fuzz_call && ./tests/fuzz_call -max_total_time=60 build/corpus/call
 */
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "call_arg.h"
#include "call_int.h"
#include "error.h"
#include "script.h"

static void check(bool ok)
{
	if (!ok)
		__builtin_trap();
}

static bool is(const struct syscall_event *sc, const char *name)
{
	return !strcmp(sc->name, name);
}

/* What passed the check decodes, and holds what the allow-lists promise. */
static void check_passed(const struct syscall_event *sc)
{
	size_t lens[CALL_ARG_IOV_MAX], n;
	struct call_optval v;
	int a, b, c;

	const struct call_desc *d = call_desc_find(sc->name);

	/* every argument the table calls a descriptor is one, whatever the call */
	check(d != NULL);
	for (size_t i = 0; i < sc->nargs && i < CALL_MAX_ARGS; i++)
		if (d->args[i] == &arg_fd)
			check(call_arg_int(sc, i, &a, NULL) == 0 && a >= 0);
	if (is(sc, "socket")) {
		check(call_arg_int(sc, 1, &a, NULL) == 0);
		check((a & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) == SOCK_STREAM);
	} else if (is(sc, "fcntl")) {
		check(call_arg_int(sc, 1, &a, NULL) == 0);
		check(a == F_GETFD || a == F_SETFD || a == F_GETFL || a == F_SETFL);
		if (sc->nargs > 2) {
			check(call_arg_int(sc, 2, &b, NULL) == 0);
			check(!(b & O_ASYNC));
		}
	} else if (is(sc, "readv") || is(sc, "writev")) {
		check(call_arg_iovecs(sc, lens, &n, &c, NULL) == 0);
		check(n <= CALL_ARG_IOV_MAX && c >= 0 && (size_t)c <= n);
		for (size_t k = 0; k < n; k++)
			check(lens[k] <= CALL_ARG_IO_MAX);
	} else if (is(sc, "setsockopt") || is(sc, "getsockopt")) {
		check(call_arg_sockopt(sc, &a, &b, &v, NULL) == 0);
		check(v.len == sizeof(int) || v.len == sizeof(struct linger));
	} else if (is(sc, "read") || is(sc, "write") || is(sc, "recv") || is(sc, "send")) {
		check(call_arg_int(sc, 2, &a, NULL) == 0);
		check(a >= 0 && a <= CALL_ARG_IO_MAX);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	struct script *s = NULL;

	if (!text)
		return 0;
	memcpy(text, data, size);
	if (script_parse("fuzz", text, size, &s, NULL) == STATUS_OK) {
		for (size_t i = 0; i < script_event_count(s); i++) {
			const struct event *ev = script_event(s, i);
			char *error = NULL;
			int rc;

			if (ev->type != EVENT_SYSCALL)
				continue;
			rc = call_arg_check("fuzz", ev, &error);
			if (rc == 0) {
				check(!error);
				check_passed(&ev->u.syscall);
			} else {
				check((rc == STATUS_ERROR || rc == STATUS_SKIP) && error);
				check(!strncmp(error, "fuzz:", 5));
				free(error);
			}
		}
		script_free(s);
	}
	free(text);
	return 0;
}
