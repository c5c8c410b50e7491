/* markup.h - text escaped for XML and HTML documents (JUnit reports, compare pages), always well-formed UTF-8. */
#ifndef TCPCONF_MARKUP_H
#define TCPCONF_MARKUP_H

#include <stddef.h>
#include <stdio.h>

/* Where the text goes: the spellings differ, not the rules. */
enum markup {
	MARKUP_XML_TEXT,	/* XML element content: line breaks and tabs kept */
	MARKUP_XML_ATTR,	/* XML attribute value: they become references, or a parser folds them */
	MARKUP_HTML,		/* HTML text or attribute value */
};

/* Write s (NULL as "") to f escaped for m: markup characters as entities,
 * and what the document cannot hold (control characters, bytes that are not
 * UTF-8) as U+FFFD. */
void markup_text(FILE *f, const char *s, enum markup m);

/* Length of the well-formed UTF-8 sequence at s (at most avail bytes), 0
 * for a byte that starts none: what a writer of UTF-8 documents may copy. */
size_t markup_utf8_len(const unsigned char *s, size_t avail);

#endif
