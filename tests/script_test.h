/* script_test.h - what the script-parser suites (script, lexer, expr, packet_line) share: parsing from an exact-size buffer and the exact-message check. */
#ifndef TCPCONF_TESTS_SCRIPT_TEST_H
#define TCPCONF_TESTS_SCRIPT_TEST_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "script.h"

/*
 * Parse text from a heap buffer of exactly its length (no NUL after it), so
 * that ASan/valgrind catch any read past the end.
 */
static inline int parse_exact(const char *text, size_t len, struct script **s, char **error)
{
	char *buf = malloc(len ? len : 1);
	int rc;

	ck_assert_ptr_nonnull(buf);
	memcpy(buf, text, len);
	rc = script_parse("t.pkt", buf, len, s, error);
	free(buf);
	return rc;
}

static inline struct script *ok(const char *text)
{
	struct script *s = NULL;
	char *error = NULL;
	int rc = parse_exact(text, strlen(text), &s, &error);

	ck_assert_msg(rc == STATUS_OK, "parse failed: %s", error ? error : "?");
	ck_assert_ptr_null(error);
	ck_assert_ptr_nonnull(s);
	return s;
}

static inline void fails(const char *text, const char *message)
{
	struct script *s = (struct script *)&s;	/* must be reset to NULL */
	char *error = NULL;
	int rc = parse_exact(text, strlen(text), &s, &error);

	ck_assert_int_eq(rc, STATUS_ERROR);
	ck_assert_ptr_null(s);
	ck_assert_ptr_nonnull(error);
	ck_assert_str_eq(error, message);
	free(error);
}

/* The only event of a one-event script (the script is freed by the caller). */
static inline const struct event *only(struct script *s)
{
	ck_assert_uint_eq(script_event_count(s), 1);
	return script_event(s, 0);
}

static inline const struct expr *arg(const struct event *ev, size_t i)
{
	ck_assert_int_eq(ev->type, EVENT_SYSCALL);
	ck_assert_uint_gt(ev->u.syscall.nargs, i);
	return ev->u.syscall.args[i];
}

/* A script that must fail, and the exact message it must fail with. */
struct parse_error {
	const char *text;
	const char *message;
};

#endif
