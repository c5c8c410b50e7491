/* command.h - a script's `sysctl [-q] [-w] net.name=value ...` line, set without a shell (any other command goes to shell.h). */
#ifndef TCPCONF_COMMAND_H
#define TCPCONF_COMMAND_H

#include <stdbool.h>

/* Apply one setting; STATUS_ERROR with *error (the caller's to free). */
typedef int (*command_set_fn)(const char *name, const char *value, void *arg,
			      char **error);

/*
 * Read command text as sh would for the plain words sysctl takes ('...'
 * and "..." quoting) and hand each name=value to set(name, value, arg)
 * in order; set NULL only checks.  STATUS_SKIP with *error for a command
 * that is not such a line (not sysctl, a name outside net.*, an option
 * other than -q/-w, no setting: a shell's); STATUS_ERROR with *error
 * "sysctl NAME: why" for the first setting that fails (nothing after it
 * is set) or has an empty value, or for an unterminated quote.
 */
int command_sysctl(const char *text, command_set_fn set, void *arg,
		   char **error);

/*
 * Whether text is for command_sysctl() rather than a shell: the word
 * sysctl, settings it reads itself, and nothing sh would expand or
 * redirect (no $, backquote, backslash, glob, operator or newline;
 * quotes are fine).  Such a line sets its values the same with or
 * without sh, only faster.  A sysctl line with an unterminated quote is
 * ours too, so that its error names it.
 */
bool command_is_sysctl(const char *text);

#endif
