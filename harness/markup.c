/* markup.c - see markup.h. */
#include <string.h>

#include "markup.h"
#include "record.h"

#define REPLACEMENT	"&#xFFFD;"

/* What differs by destination; the five markup characters do not. */
static const struct markup_style {
	const char *apos;		/* ' */
	const char *lf, *tab, *cr;	/* NULL: the character itself */
} styles[] = {
	[MARKUP_XML_TEXT] = { "&apos;", NULL, NULL, "&#13;" },
	[MARKUP_XML_ATTR] = { "&apos;", "&#10;", "&#9;", "&#13;" },
	/* HTML has no &apos; in its old versions, and a CR in a page is a
	 * stray byte rather than text */
	[MARKUP_HTML]     = { "&#39;", NULL, NULL, REPLACEMENT },
};

size_t markup_utf8_len(const unsigned char *s, size_t avail)
{
	size_t n;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

static void put_byte(FILE *f, unsigned char c, const struct markup_style *st)
{
	const char *as = NULL;

	switch (c) {
	case '&':  as = "&amp;"; break;
	case '<':  as = "&lt;"; break;
	case '>':  as = "&gt;"; break;
	case '"':  as = "&quot;"; break;
	case '\'': as = st->apos; break;
	case '\n': as = st->lf; break;
	case '\t': as = st->tab; break;
	case '\r': as = st->cr; break;
	default:
		if (c < 0x20 || c == 0x7f)
			as = REPLACEMENT;
	}
	if (as)
		fputs(as, f);
	else
		fputc(c, f);
}

void markup_text(FILE *f, const char *s, enum markup m)
{
	const unsigned char *p = (const unsigned char *)record_str(s);
	size_t left = strlen((const char *)p);

	while (left) {
		size_t n = markup_utf8_len(p, left);

		if (n == 0) {
			fputs(REPLACEMENT, f);
			n = 1;
		} else if (n > 1) {
			fwrite(p, 1, n, f);
		} else {
			put_byte(f, *p, &styles[m]);
		}
		p += n;
		left -= n;
	}
}
