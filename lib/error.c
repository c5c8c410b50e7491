/* error.c - see error.h. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* vasprintf */
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "error.h"

static void __attribute__((format(printf, 2, 0)))
error_vset(char **error, const char *fmt, va_list ap)
{
	char *msg;

	if (!error)
		return;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;	/* out of memory: leave no message rather than crash */
	free(*error);
	*error = msg;
}

int error_set(char **error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vset(error, fmt, ap);
	va_end(ap);
	return STATUS_ERROR;
}

int error_skip(char **error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vset(error, fmt, ap);
	va_end(ap);
	return STATUS_SKIP;
}

int error_prefix(char **error, const char *fmt, ...)
{
	char *ctx = NULL, *msg;
	va_list ap;

	if (!error)
		return STATUS_ERROR;
	va_start(ap, fmt);
	if (vasprintf(&ctx, fmt, ap) < 0)
		ctx = NULL;
	va_end(ap);
	if (!ctx)
		return STATUS_ERROR;
	if (asprintf(&msg, "%s: %s", ctx, *error ? *error : "unknown error") < 0)
		msg = NULL;
	free(ctx);
	if (msg) {
		free(*error);
		*error = msg;
	}
	return STATUS_ERROR;
}

int error_mismatch(char **error, const char *what, const char *expected,
		   const char *actual)
{
	return error_set(error, "%s: expected %s vs actual %s", what, expected,
			 actual);
}
