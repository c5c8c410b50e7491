/* option.h - a number given on the command line, read whole and within bounds, or an error naming the option. */
#ifndef TCPCONF_OPTION_H
#define TCPCONF_OPTION_H

/*
 * Read arg (the option's value, as given) as a decimal integer from min to
 * max into *out.  Anything else - no digits, trailing characters, white
 * space, a value beyond long long or outside the bounds - is an error:
 * *error reads "NAME: expected an integer from MIN to MAX, found 'ARG'"
 * (the caller frees it) and *out is untouched.
 */
int option_number(const char *name, const char *arg, long long min, long long max,
		  long long *out, char **error);

#endif
