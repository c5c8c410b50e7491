/* command.c - `sysctl name=value` lines of a script, split into settings without a shell. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "error.h"

/*
 * Next shell word of *p, with '...' and "..." quoting as sh has it for the
 * plain words sysctl takes (tcp_rmem="4096 131072 6291456"); NULL at the
 * end, or on an unterminated quote (*bad set).  Unquotes in place.
 */
static char *shell_word(char **p, bool *bad)
{
	char *in = *p, *out, *start;

	while (*in == ' ' || *in == '\t')
		in++;
	if (!*in)
		return NULL;
	start = out = in;
	while (*in && *in != ' ' && *in != '\t') {
		if (*in == '"' || *in == '\'') {
			char q = *in++;

			while (*in && *in != q)
				*out++ = *in++;
			if (!*in) {
				*bad = true;
				return NULL;
			}
			in++;
		} else {
			*out++ = *in++;
		}
	}
	if (*in)
		in++;
	*out = '\0';
	*p = in;
	return start;
}

/* The settings after "sysctl": how many, or a status with *error. */
static int settings(char *rest, command_set_fn set, void *arg, bool *bad,
		    char **error)
{
	char *tok;
	int n = 0;

	while ((tok = shell_word(&rest, bad))) {
		char *eq, *why = NULL;

		if (!strcmp(tok, "-q") || !strcmp(tok, "-w"))
			continue;
		eq = strchr(tok, '=');
		if (!eq || tok[0] == '-' || strncmp(tok, "net.", 4))
			return error_skip(error, "only `sysctl net.*=value` "
					  "commands are supported");
		*eq = '\0';
		/* sysctl(8) would write an empty string: never what a script meant */
		if (!eq[1])
			return error_set(error, "sysctl %s: expected a value after "
					 "'=', found nothing", tok);
		n++;
		if (!set)
			continue;
		if (set(tok, eq + 1, arg, &why) < 0) {
			error_set(error, "sysctl %s: %s", tok, why ? why : "?");
			free(why);
			return STATUS_ERROR;
		}
	}
	return n;
}

int command_sysctl(const char *text, command_set_fn set, void *arg,
		   char **error)
{
	char *copy = strdup(text), *rest = copy, *tok;
	bool bad = false;
	int n;

	if (!copy)
		return error_set(error, "out of memory");
	tok = shell_word(&rest, &bad);
	if (!tok || strcmp(tok, "sysctl")) {
		free(copy);
		return error_skip(error, "shell commands are not run; only "
				  "`sysctl name=value` is supported");
	}
	n = settings(rest, set, arg, &bad, error);
	free(copy);
	if (n < 0)
		return n;
	if (bad)
		return error_set(error, "sysctl command with an unterminated quote");
	if (!n)
		return error_skip(error, "sysctl command without name=value");
	return 0;
}

bool command_is_sysctl(const char *text)
{
	return !text[strcspn(text, "$`\\|&;<>()*?[]{}~#!\n\r")] &&
	       command_sysctl(text, NULL, NULL, NULL) != STATUS_SKIP;
}
