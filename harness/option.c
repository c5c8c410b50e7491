/*
 * option.c - see option.h.
 *
 * atoi("abc") is 0 and strtoll of a huge value saturates silently: a
 * number that reaches timing arithmetic or a fork loop unchecked becomes
 * an overflow or thousands of failed starts, so every numeric option of
 * every command comes through here.
 */
#include <errno.h>
#include <stdlib.h>

#include "error.h"
#include "option.h"

int option_number(const char *name, const char *arg, long long min, long long max,
		  long long *out, char **error)
{
	char *end = NULL;
	long long v;

	errno = 0;
	/* strtoll would skip leading white space: a value is digits, maybe a sign */
	if (arg && (*arg == '-' || *arg == '+' || (*arg >= '0' && *arg <= '9'))) {
		v = strtoll(arg, &end, 10);
		if (end != arg && !*end && !errno && v >= min && v <= max) {
			*out = v;
			return STATUS_OK;
		}
	}
	return error_set(error, "%s: expected an integer from %lld to %lld, found '%s'",
			 name, min, max, arg ? arg : "");
}
