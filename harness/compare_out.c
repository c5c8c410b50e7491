/*
 * compare_out.c - the views of `tcpconf compare`, one table of formats:
 * text for a terminal, a markdown table for reviews and issues, and one
 * self-contained HTML page with the kernels' ladder diagrams
 * (compare_html.c).
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_int.h"
#include "record.h"

#define SHORT_MESSAGE	160	/* bytes of a message shown next to a verdict */
#define QUIET_MS	1.0	/* timings below this are "at once" on a terminal */

/* ---- text, for a terminal ---- */

/*
 * On a terminal, a timed packet is worth a line when something waited:
 * the script expected a delay, some kernel took one, or some kernel that
 * ran the case has no timing for it.  The immediate answers (most of them)
 * would bury the rest.
 */
static bool timing_notable(const struct cmp *c, const struct row *row, const struct tkey *key)
{
	for (size_t k = 0; k < c->ncol; k++) {
		const struct timing *t = compare_cell_timing(row->cell[k], key);

		if (!t && row->cell[k])
			return true;
		if (!t)
			continue;
		if (!isfinite(t->actual_ms) || t->actual_ms >= QUIET_MS || t->actual_ms <= -QUIET_MS ||
		    t->expected_ms >= QUIET_MS)
			return true;
	}
	return false;
}

/*
 * A message on one line and at most max bytes (cut at a UTF-8 boundary):
 * line breaks become spaces, other control characters too, since they
 * would reach the terminal raw.
 */
static void put_short(FILE *f, const char *msg, size_t max)
{
	const unsigned char *p = (const unsigned char *)record_str(msg);
	size_t n = 0;

	for (; *p && n < max; p++, n++)
		fputc(*p < 0x20 || *p == 0x7f ? ' ' : *p, f);
	while ((*p & 0xc0) == 0x80)
		fputc(*p++, f);
	if (*p)
		fputs("...", f);
}

#define TEXT_ON(c)	((c)->colour ? "\033[1;31m" : "")
#define TEXT_OFF(c)	((c)->colour ? "\033[0m" : "")

/* Agreement first, one line per case; what differs ends up near the summary. */
static void text_agreeing(FILE *f, const struct cmp *c)
{
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *row = &c->rows[i];
		size_t j = i;

		if (row->differs)
			continue;
		fprintf(f, "  = %s [%s", row->name, row->ip);
		while (j + 1 < c->nrows && !c->rows[j + 1].differs &&
		       !strcmp(c->rows[j + 1].name, row->name) &&
		       c->rows[j + 1].mode == row->mode)
			fprintf(f, ",%s", c->rows[++j].ip);
		fprintf(f, "]: %s on all", compare_cell_name(row->cell[0]));
		if (row->cell[0]->verdict != VERDICT_PASS && *record_str(row->cell[0]->message)) {
			fputs(" (", f);
			put_short(f, row->cell[0]->message, SHORT_MESSAGE);
			fputc(')', f);
		}
		fputc('\n', f);
		i = j;
	}
}

/* A differing row: its verdicts, then why each kernel that did not pass. */
static void text_differing(FILE *f, const struct cmp *c, const struct row *row)
{
	fprintf(f, "%s! %s [%s]:", TEXT_ON(c), row->name, row->ip);
	for (size_t k = 0; k < c->ncol; k++)
		fprintf(f, "%s %s", k ? " |" : "", compare_cell_name(row->cell[k]));
	fprintf(f, "%s\n", TEXT_OFF(c));
	for (size_t k = 0; k < c->ncol; k++) {
		const struct record *r = row->cell[k];

		if (r && r->verdict == VERDICT_PASS)
			continue;
		fprintf(f, "      %s: ", record_str(c->col[k].label));
		if (!r) {
			fputs("no record\n", f);
			continue;
		}
		fputs(compare_cell_name(r), f);
		if (*record_str(r->message)) {
			fputs(": ", f);
			put_short(f, r->message, SHORT_MESSAGE);
		}
		fputc('\n', f);
	}
}

/* The notable timed packets of one row; returns how many were quiet. */
static size_t text_row_timings(FILE *f, const struct cmp *c, const struct row *row)
{
	struct tkey *keys;
	size_t nk = compare_timing_keys(c, row, &keys), quiet = 0;

	for (size_t t = 0; t < nk; t++) {
		if (!timing_notable(c, row, &keys[t])) {
			quiet++;
			continue;
		}
		fprintf(f, "  %s %s line %d '", row->name, row->ip, keys[t].line);
		put_short(f, keys[t].packet, 200);
		fputs("':", f);
		for (size_t k = 0; k < c->ncol; k++) {
			fputs(k ? " | " : " ", f);
			compare_put_ms(f, compare_cell_timing(row->cell[k], &keys[t]), " ms");
		}
		fputc('\n', f);
	}
	free(keys);
	return quiet;
}

static void text_timings(FILE *f, const struct cmp *c)
{
	size_t quiet = 0;

	fputs("\ntimings (actual ms after the previous event; kernels in the order above):\n", f);
	for (size_t i = 0; i < c->nrows; i++)
		quiet += text_row_timings(f, c, &c->rows[i]);
	if (quiet)
		fprintf(f, "  (%zu more packet%s expected at once and sent within %.0f ms on every "
			"kernel; --format markdown lists all)\n", quiet, quiet == 1 ? "" : "s",
			QUIET_MS);
}

static void compare_text(FILE *f, const struct cmp *c)
{
	size_t agree = c->nrows - c->ndiffer;

	fprintf(f, "tcpconf compare: %zu kernel%s\nkernels: ", c->ncol, c->ncol == 1 ? "" : "s");
	for (size_t k = 0; k < c->ncol; k++)
		fprintf(f, "%s%s", k ? " | " : "", record_str(c->col[k].label));
	fputs("\n\n", f);
	text_agreeing(f, c);
	for (size_t i = 0; i < c->nrows; i++)
		if (c->rows[i].differs)
			text_differing(f, c, &c->rows[i]);
	if (compare_have_timings(c))
		text_timings(f, c);
	fprintf(f, "\n%s%zu case%s, %zu differ%s%s across %zu kernel%s (a case is a script in one IP version)\n",
		c->ndiffer ? TEXT_ON(c) : "", agree, agree == 1 ? " agrees" : "s agree", c->ndiffer,
		c->ndiffer == 1 ? "s" : "", c->ndiffer ? TEXT_OFF(c) : "", c->ncol, c->ncol == 1 ? "" : "s");
	if (c->nfailing)
		fprintf(f, "%s%zu case%s failed on some kernel, %zu on every one%s\n", TEXT_ON(c),
			c->nfailing, c->nfailing == 1 ? "" : "s",
			compare_each_unanimous(f, c, VERDICT_FAIL, NULL), TEXT_OFF(c));
}

/* ---- markdown ---- */

/* Inside a table cell: no line breaks, no column separators, no code spans. */
void compare_md_text(FILE *f, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)record_str(s);

	for (size_t n = 0; *p && n < max; p++, n++) {
		if (*p == '|' || *p == '\\' || *p == '*' || *p == '_' || *p == '<' ||
		    *p == '[' || *p == ']')
			fprintf(f, "\\%c", *p);
		else if (*p == '`')
			fputc('\'', f);
		else
			fputc(*p < 0x20 || *p == 0x7f ? ' ' : *p, f);
	}
	while ((*p & 0xc0) == 0x80)
		fputc(*p++, f);
	if (*p)
		fputs("...", f);
}

/* A table's header and rule: the leading columns, then one per kernel. */
static void md_table_head(FILE *f, const struct cmp *c, const char *lead,
			  const char *lead_rule, const char *kernel_rule)
{
	fputs(lead, f);
	for (size_t k = 0; k < c->ncol; k++) {
		fputc(' ', f);
		compare_md_text(f, c->col[k].label, 200);
		fputs(" |", f);
	}
	fputc('\n', f);
	fputs(lead_rule, f);
	for (size_t k = 0; k < c->ncol; k++)
		fputs(kernel_rule, f);
	fputc('\n', f);
}

/* "- case [ip] on kernel: verdict: message" */
static void md_difference(FILE *f, const struct cmp *c, const struct row *row, size_t k)
{
	const struct record *r = row->cell[k];

	fputs("- ", f);
	compare_md_text(f, row->name, 200);
	fputs(" [", f);
	compare_md_text(f, row->ip, 20);
	fputs("] on ", f);
	compare_md_text(f, c->col[k].label, 200);
	fprintf(f, ": %s", r ? compare_cell_name(r) : "no record");
	if (r && *record_str(r->message)) {
		fputs(": ", f);
		compare_md_text(f, r->message, 400);
	}
	fputc('\n', f);
}

/* "[text](href)" when there is a link, else the text alone. */
static void md_link(FILE *f, const char *text, size_t max, char *href, bool bold)
{
	fputs(bold ? "**" : "", f);
	if (href)
		fputc('[', f);
	compare_md_text(f, text, max);
	if (href)
		fprintf(f, "](%s)", href);
	fputs(bold ? "**" : "", f);
	free(href);
}

static void md_matrix_row(FILE *f, const struct cmp *c, const struct row *row)
{
	fputs("| ", f);
	md_link(f, row->name, 200, compare_script_href(c, row), false);
	fputs(" | ", f);
	compare_md_text(f, row->ip, 20);
	fputs(" |", f);
	for (size_t k = 0; k < c->ncol; k++) {
		fputc(' ', f);
		md_link(f, compare_cell_name(row->cell[k]), 20, compare_pcap_href(c, row, k),
			compare_cell_odd(row, k));
		fputs(" |", f);
	}
	fputc('\n', f);
}

static void compare_markdown(FILE *f, const struct cmp *c)
{
	size_t nfail = compare_each_unanimous(f, c, VERDICT_FAIL, NULL);
	size_t nskip = compare_each_unanimous(f, c, VERDICT_SKIP, NULL);

	fputs("# tcpconf compare\n\n", f);
	compare_md_context(f, c);
	fputs("## Verdicts\n\nEach case links to its script, each failure to its capture where "
	      "there is one.\n\n", f);
	md_table_head(f, c, "| case | ip |", "|---|---|", "---|");
	for (size_t i = 0; i < c->nrows; i++)
		md_matrix_row(f, c, &c->rows[i]);
	fprintf(f, "\n%zu agree, %zu differ; %zu fail on every kernel, %zu fail somewhere.\n",
		c->nrows - c->ndiffer, c->ndiffer, nfail, c->nfailing);

	if (c->ndiffer) {
		fputs("\n## Differences\n\n", f);
		compare_each_unpassed(f, c, md_difference);
	}
	if (nfail) {
		fputs("\n## Failing on every kernel\n\n", f);
		compare_each_unanimous(f, c, VERDICT_FAIL, md_difference);
	}
	if (nskip) {
		fputs("\n## Skipped on every kernel\n\n", f);
		compare_each_unanimous(f, c, VERDICT_SKIP, md_difference);
	}

	if (!compare_have_timings(c))
		return;
	fputs("\n## Timings (actual ms after the previous event)\n\n", f);
	md_table_head(f, c, "| case | ip | line | packet |", "|---|---|---:|---|", "---:|");
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *row = &c->rows[i];
		struct tkey *keys;
		size_t nk = compare_timing_keys(c, row, &keys);

		for (size_t t = 0; t < nk; t++) {
			fputs("| ", f);
			compare_md_text(f, row->name, 200);
			fputs(" | ", f);
			compare_md_text(f, row->ip, 20);
			fprintf(f, " | %d | `", keys[t].line);
			for (const char *p = keys[t].packet; *p; p++)
				fputc(*p == '`' || *p == '|' || (unsigned char)*p < 0x20 ? '\'' : *p, f);
			fputs("` |", f);
			for (size_t k = 0; k < c->ncol; k++) {
				fputc(' ', f);
				compare_put_ms(f, compare_cell_timing(row->cell[k], &keys[t]), "");
				fputs(" |", f);
			}
			fputc('\n', f);
		}
		free(keys);
	}
}

/* ---- the formats ---- */

static const struct compare_format formats[] = {
	{ "text",     NULL, true,  compare_text },
	{ "markdown", "md", false, compare_markdown },
	{ "html",     NULL, false, compare_html },
};

const struct compare_format *compare_format_find(const char *name)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(name, formats[i].name) ||
		    (formats[i].alias && !strcmp(name, formats[i].alias)))
			return &formats[i];
	return NULL;
}
