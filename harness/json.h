/* json.h - the JSON a record travels and is stored in: value writers, and one record per line both ways. */
#ifndef TCPCONF_JSON_H
#define TCPCONF_JSON_H

#include <stdio.h>

#include "record.h"

/* A JSON string (NULL as ""); bytes >= 0x80 are copied as they are. */
void json_put_string(FILE *f, const char *s);

/* The shortest decimal that reads back as the same double; NaN as null. */
void json_put_number(FILE *f, double d);

/* One record as one JSON object on one line (no newline after it). */
void json_put_record(FILE *f, const struct record *r);

/* Write the scalar member fd describes of the struct at base (a list writes
 * nothing); numbers go through put_number, so YAML can spell its own. */
void json_put_field(FILE *f, const struct field *fd, const void *base,
		    void (*put_number)(FILE *f, double d));

/* The same as a string, malloc'd (the caller frees it); NULL when out of memory. */
char *json_record_line(const struct record *r);

/*
 * Parse one record line (NUL-terminated; white space around it allowed).
 * On success *r is overwritten (its old contents are not freed) and owns
 * its strings; on failure *r is untouched and *error says what is wrong
 * and at which byte ("JSON: expected ':' at byte 12").
 */
int json_record_parse(const char *line, struct record *r, char **error);

/*
 * Parse text as one JSON object (white space around it allowed) and keep
 * the members named in keys[n]: values[i] becomes a malloc'd copy of
 * keys[i]'s string (the caller frees it), NULL for null or when absent;
 * values[] must start NULL.  Other members may be anything and are
 * checked, then dropped.  On failure every values[i] is freed and NULL,
 * and *error says what is wrong as json_record_parse does.
 */
int json_object_strings(const char *text, const char *const keys[], char *values[],
			size_t n, char **error);

#endif
