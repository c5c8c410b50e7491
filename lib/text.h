/* text.h - an snprintf that keeps appending to one buffer and counts what it would have written, for the one-line formats. */
#ifndef TCPCONF_TEXT_H
#define TCPCONF_TEXT_H

#include <stddef.h>

/* The caller owns buf (size bytes, may be 0); pos counts every byte asked
 * for, so it ends as the length snprintf would have returned. */
struct text {
	char *buf;
	size_t size;
	size_t pos;
};

/* Start t on buf, which is left an empty string (when size > 0). */
void text_init(struct text *t, char *buf, size_t size);

/* Append printf-style; what does not fit is counted, not written, and the
 * buffer stays NUL-terminated. */
void text_add(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
