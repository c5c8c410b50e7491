/* error.h - heap-allocated error messages that lib/ hands back instead of printing. */
#ifndef TCPCONF_ERROR_H
#define TCPCONF_ERROR_H

/* Status codes every lib/ function returns (negative on trouble). */
enum {
	STATUS_OK    = 0,
	STATUS_ERROR = -1,	/* something went wrong: *error says what */
	STATUS_SKIP  = -2,	/* missing privilege or kernel feature: *error says which */
};

/*
 * Replace *error with a newly allocated printf-style message and return
 * STATUS_ERROR.  The caller owns *error and frees it with free().  A NULL
 * error pointer is allowed and means "caller does not care".
 */
int error_set(char **error, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Same as error_set() but returns STATUS_SKIP: for missing privileges/features. */
int error_skip(char **error, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Prepend context to an existing *error ("context: old message"); sets a
 * message of its own when *error is NULL.  Returns STATUS_ERROR.
 */
int error_prefix(char **error, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The one way a mismatch is reported, so every failure reads alike:
 * "WHAT: expected EXPECTED vs actual ACTUAL".  Returns STATUS_ERROR.
 */
int error_mismatch(char **error, const char *what, const char *expected,
		   const char *actual);

#endif
