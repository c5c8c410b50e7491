/* define.h - packetdrill's -D NAME=VALUE definitions: a script word spelled NAME is read as VALUE. */
#ifndef TCPCONF_DEFINE_H
#define TCPCONF_DEFINE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * packetdrill replaces a whole word of the script (an identifier where the
 * grammar reads a name: a symbol, a cookie, a call name, an option value)
 * by the text defined for it, which is then read as if written there: an
 * integer, a "string", a `command` or a word.  Nothing else is touched:
 * not the text of strings, commands or %{ }% code, not comments, and there
 * is no $NAME syntax (a `command`'s ${PPID} is its shell's business).
 */
struct define_list;

/* An empty list; NULL without memory.  The caller frees it with define_list_free(). */
struct define_list *define_list_new(void);
void define_list_free(struct define_list *d);

/* A copy of d (NULL: an empty list); NULL without memory. */
struct define_list *define_list_copy(const struct define_list *d);

/*
 * Check "NAME=VALUE" (as -D and --define take it): NAME an identifier that
 * is not one of packetdrill's keywords (which it never replaces), VALUE
 * not empty and without NUL, newline or carriage return.  On success
 * *name_len is the length of NAME; else STATUS_ERROR with *error (the
 * caller's) quoting the definition.
 */
int define_check(const char *def, size_t *name_len, char **error);

/*
 * Add "NAME=VALUE" (checked as define_check()); a NAME already defined
 * keeps its value when keep is set (the command line's definitions win
 * over a script's), else takes the new one.  d copies what it keeps.
 */
int define_list_set(struct define_list *d, const char *def, bool keep, char **error);

/* The value of the name in text (len bytes, not NUL-terminated), or NULL;
 * *name (when name is not NULL) gets the name as d keeps it.  Owned by d. */
const char *define_list_get(const struct define_list *d, const char *text, size_t len,
			    const char **name);

/* How many definitions d holds (d may be NULL). */
size_t define_list_count(const struct define_list *d);

#endif
