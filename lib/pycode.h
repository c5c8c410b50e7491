/* pycode.h - the part of Python that packetdrill's %{ }% blocks use (assert, print, assignments, integer expressions over tcpi_* names), parsed and evaluated without Python. */
#ifndef TCPCONF_PYCODE_H
#define TCPCONF_PYCODE_H

#include <stdint.h>

/* One parsed block. */
struct pycode;

/* Names and their integer values, living from one block to the next as
 * they do in packetdrill's one Python program. */
struct pycode_env;

/*
 * Parse text, a block that starts at file:line:column.  0 and *out (the
 * caller's; pycode_free()) when it parses; STATUS_ERROR for a syntax error
 * and STATUS_SKIP for Python this subset does not have (a keyword, float
 * division, a call other than print()), *error (the caller's) reading
 * "file:line:column: why".
 */
int pycode_parse(const char *file, int line, int column, const char *text,
		 struct pycode **out, char **error);

void pycode_free(struct pycode *c);

/*
 * Run c's statements in env.  0 when they ran; STATUS_ERROR when an assert
 * failed ("%{ }% line N: assert EXPR: expected true vs actual false (NAME=V,
 * ...)"), a name is not defined, or a division is by zero, *error the
 * caller's.  print() output goes nowhere: a case's output is its verdict.
 */
int pycode_run(const struct pycode *c, struct pycode_env *env, char **error);

/*
 * The first name c reads that passes want (e.g. "not defined by any
 * block and not a tcpi_* name"), or NULL.  Static storage of c.
 */
const char *pycode_find_name(const struct pycode *c,
			     int (*want)(const char *name, void *arg), void *arg);

/* Call fn for each name c assigns. */
void pycode_assigned(const struct pycode *c, void (*fn)(const char *name, void *arg),
		     void *arg);

/* An empty env, NULL without memory; pycode_env_free() it. */
struct pycode_env *pycode_env_new(void);

/* Set name to v (copied); -1 without memory. */
int pycode_env_set(struct pycode_env *env, const char *name, int64_t v);

void pycode_env_free(struct pycode_env *env);

#endif
