/* command.h - the one shell command a script may run, `sysctl [-q] [-w] net.name=value ...`, read without a shell. */
#ifndef TCPCONF_COMMAND_H
#define TCPCONF_COMMAND_H

/* Apply one setting; STATUS_ERROR with *error (the caller's to free). */
typedef int (*command_set_fn)(const char *name, const char *value, void *arg,
			      char **error);

/*
 * Read command text as sh would for the plain words sysctl takes ('...'
 * and "..." quoting) and hand each name=value to set(name, value, arg)
 * in order; set NULL only checks.  STATUS_SKIP with *error for a command
 * we do not run (not sysctl, a name outside net.*, an option other than
 * -q/-w, no setting); STATUS_ERROR with *error "sysctl NAME: why" for the
 * first setting that fails (nothing after it is set) or has an empty
 * value, or for an unterminated quote.
 */
int command_sysctl(const char *text, command_set_fn set, void *arg,
		   char **error);

#endif
