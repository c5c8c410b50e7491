/* text.c - see text.h. */
#include <stdarg.h>
#include <stdio.h>

#include "text.h"

void text_init(struct text *t, char *buf, size_t size)
{
	t->buf = buf;
	t->size = size;
	t->pos = 0;
	if (size)
		buf[0] = '\0';
}

void text_add(struct text *t, const char *fmt, ...)
{
	char *dst = t->pos < t->size ? t->buf + t->pos : NULL;
	size_t room = t->pos < t->size ? t->size - t->pos : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(dst, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->pos += (size_t)n;
}
