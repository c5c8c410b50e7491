/*
 * compare_out.c - the views of `tcpconf compare`, one table of formats:
 * text for a terminal, a markdown table for reviews and issues, and one
 * self-contained HTML page (inline CSS and SVG, no scripts, nothing
 * fetched) with a bar chart per timed case.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_int.h"
#include "markup.h"
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

/* ---- html ---- */

static const char *const palette[] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
};
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))

/* 1, 2 or 5 times a power of ten, at least x: a round end for an axis.
 * (By hand: the harness does not link libm.) */
static double nice_ceil(double x)
{
	double p = 1;

	if (!(x > 1e-6) || !isfinite(x))
		return 1;
	while (p * 10 <= x)
		p *= 10;
	while (p > x)
		p /= 10;
	if (x <= p)
		return p;
	if (x <= 2 * p)
		return 2 * p;
	if (x <= 5 * p)
		return 5 * p;
	return 10 * p;
}

enum {
	SVG_WIDTH = 640, SVG_LABEL = 250, SVG_BARS = 320, SVG_BAR = 10, SVG_GAP = 14, SVG_TOP = 22,
};

/* One row's timed packets: a group of bars (one per kernel) for each. */
static void svg_chart(FILE *f, const struct cmp *c, const struct row *row,
		      const struct tkey *keys, size_t nk)
{
	size_t group = c->ncol * SVG_BAR + SVG_GAP;
	double max = 0, scale;

	for (size_t t = 0; t < nk; t++)
		for (size_t k = 0; k < c->ncol; k++) {
			const struct timing *tm = compare_cell_timing(row->cell[k], &keys[t]);

			if (tm && isfinite(tm->actual_ms) && tm->actual_ms > max)
				max = tm->actual_ms;
		}
	max = nice_ceil(max);
	scale = SVG_BARS / max;
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%zu\" "
		"viewBox=\"0 0 %d %zu\" role=\"img\">\n", SVG_WIDTH, SVG_TOP + nk * group,
		SVG_WIDTH, SVG_TOP + nk * group);
	for (int tick = 0; tick <= 4; tick++) {
		double x = SVG_LABEL + tick * SVG_BARS / 4.0;

		fprintf(f, "<line x1=\"%.1f\" y1=\"14\" x2=\"%.1f\" y2=\"%zu\" class=\"grid\"/>"
			"<text x=\"%.1f\" y=\"10\" class=\"tick\">%g%s</text>\n", x, x,
			SVG_TOP + nk * group, x, max * tick / 4, tick == 4 ? " ms" : "");
	}
	for (size_t t = 0; t < nk; t++) {
		size_t y0 = SVG_TOP + t * group;
		char label[64];

		/* what fits left of the bars (monospace, about 6 px a character); all in the tooltip */
		snprintf(label, sizeof(label), "line %d %s", keys[t].line, keys[t].packet);
		if (strlen(label) > SVG_LABEL / 6 - 2) {
			size_t cut = SVG_LABEL / 6 - 5;

			while (cut && ((unsigned char)label[cut] & 0xc0) == 0x80)
				cut--;
			strcpy(label + cut, "...");
		}
		fprintf(f, "<text x=\"0\" y=\"%zu\" class=\"label\"><title>line %d ",
			y0 + c->ncol * SVG_BAR / 2 + 4, keys[t].line);
		markup_text(f, keys[t].packet, MARKUP_HTML);
		fputs("</title>", f);
		markup_text(f, label, MARKUP_HTML);
		fputs("</text>\n", f);
		for (size_t k = 0; k < c->ncol; k++) {
			const struct timing *tm = compare_cell_timing(row->cell[k], &keys[t]);
			double v = tm && isfinite(tm->actual_ms) ? tm->actual_ms : NAN;
			double w = isnan(v) || v < 0 ? 0 : v * scale;

			fprintf(f, "<rect x=\"%d\" y=\"%zu\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
				"<title>", SVG_LABEL, y0 + k * SVG_BAR, w, SVG_BAR - 2,
				palette[k % NPALETTE]);
			markup_text(f, c->col[k].label, MARKUP_HTML);
			if (isnan(v))
				fputs(": no timing</title></rect>", f);
			else
				fprintf(f, ": %.3f ms</title></rect>", v);
			fprintf(f, "<text x=\"%.1f\" y=\"%zu\" class=\"value\">", SVG_LABEL + w + 3,
				y0 + k * SVG_BAR + SVG_BAR - 3);
			compare_put_ms(f, tm, "");
			fputs("</text>\n", f);
		}
	}
	fputs("</svg>\n", f);
}

static const char html_style[] =
	"body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}"
	"table{border-collapse:collapse;font-size:13px}"
	"th,td{border:1px solid #ccc;padding:2px 8px;text-align:left}"
	"th{background:#eee}"
	"td.pass{background:#d9f2d9}td.fail{background:#f7c6c6}"
	"td.skip{background:#f2ecd0}td.missing{background:#ddd;color:#777}"
	"td.odd{font-weight:bold;outline:2px solid #c00;outline-offset:-2px}"
	"tr.differs td:first-child::before{content:'! ';color:#c00;font-weight:bold}"
	"ul.diff li{font-family:monospace;white-space:pre-wrap}"
	".key{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}"
	"svg{display:block;margin:4px 0 16px}svg text{font-family:monospace;font-size:10px}"
	"svg text.tick{fill:#666}svg line.grid{stroke:#ddd}";

/* text, inside <a href> when there is a link (href is freed). */
static void html_link(FILE *f, const char *text, char *href)
{
	if (href) {
		fputs("<a href=\"", f);
		markup_text(f, href, MARKUP_HTML);
		fputs("\">", f);
	}
	markup_text(f, text, MARKUP_HTML);
	fputs(href ? "</a>" : "", f);
	free(href);
}

/* The verdict matrix: a row per (case, IP version), a column per kernel. */
static void html_matrix(FILE *f, const struct cmp *c)
{
	fputs("<table class=\"matrix\">\n<thead><tr><th>case</th><th>ip</th>", f);
	for (size_t k = 0; k < c->ncol; k++) {
		fputs("<th>", f);
		markup_text(f, c->col[k].label, MARKUP_HTML);
		fputs("</th>", f);
	}
	fputs("</tr></thead>\n<tbody>\n", f);
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *row = &c->rows[i];

		fprintf(f, "<tr%s><td>", row->differs ? " class=\"differs\"" : "");
		html_link(f, row->name, compare_script_href(c, row));
		fputs("</td><td>", f);
		markup_text(f, row->ip, MARKUP_HTML);
		fputs("</td>", f);
		for (size_t k = 0; k < c->ncol; k++) {
			const struct record *r = row->cell[k];

			fprintf(f, "<td class=\"%s%s\"", r ? compare_cell_name(r) : "missing",
				compare_cell_odd(row, k) ? " odd" : "");
			if (r && *record_str(r->message)) {
				fputs(" title=\"", f);
				markup_text(f, r->message, MARKUP_HTML);
				fputc('"', f);
			}
			fputc('>', f);
			html_link(f, compare_cell_name(r), compare_pcap_href(c, row, k));
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table>\n", f);
}

/* "<li>case [ip] on kernel: verdict: message</li>" */
static void html_difference(FILE *f, const struct cmp *c, const struct row *row, size_t k)
{
	const struct record *r = row->cell[k];

	fputs("<li>", f);
	markup_text(f, row->name, MARKUP_HTML);
	fputs(" [", f);
	markup_text(f, row->ip, MARKUP_HTML);
	fputs("] on ", f);
	markup_text(f, c->col[k].label, MARKUP_HTML);
	fprintf(f, ": %s%s", r ? compare_cell_name(r) : "no record",
		r && *record_str(r->message) ? ": " : "");
	if (r)
		markup_text(f, r->message, MARKUP_HTML);
	fputs("</li>\n", f);
}

/* A key to the kernels' colours, then a chart per row with timings. */
static void html_timings(FILE *f, const struct cmp *c)
{
	fputs("<h2>Timings</h2>\n<p>Actual delay of each outbound packet after the "
	      "previous event, in ms.", f);
	for (size_t k = 0; k < c->ncol; k++) {
		fprintf(f, "<span class=\"key\" style=\"background:%s\"></span>",
			palette[k % NPALETTE]);
		markup_text(f, c->col[k].label, MARKUP_HTML);
	}
	fputs("</p>\n", f);
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *row = &c->rows[i];
		struct tkey *keys;
		size_t nk = compare_timing_keys(c, row, &keys);

		if (nk) {
			fputs("<h3>", f);
			markup_text(f, row->name, MARKUP_HTML);
			fputs(" [", f);
			markup_text(f, row->ip, MARKUP_HTML);
			fputs("]</h3>\n", f);
			svg_chart(f, c, row, keys, nk);
		}
		free(keys);
	}
}

static void compare_html(FILE *f, const struct cmp *c)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<title>tcpconf compare</title>\n<style>%s</style>\n</head>\n<body>\n"
		"<h1>tcpconf compare</h1>\n<p>%zu kernel%s; %zu of %zu (case, IP version) "
		"rows agree, %zu differ; %zu fail on some kernel.</p>\n", html_style, c->ncol,
		c->ncol == 1 ? "" : "s", c->nrows - c->ndiffer, c->nrows, c->ndiffer, c->nfailing);
	compare_html_context(f, c);
	fputs("<h2>Verdicts</h2>\n<p>Each case links to its script, each failure to its capture "
	      "where there is one.</p>\n", f);
	html_matrix(f, c);
	if (c->ndiffer) {
		fputs("<h2>Differences</h2>\n<ul class=\"diff\">\n", f);
		compare_each_unpassed(f, c, html_difference);
		fputs("</ul>\n", f);
	}
	if (compare_each_unanimous(f, c, VERDICT_FAIL, NULL)) {
		fputs("<h2>Failing on every kernel</h2>\n<ul class=\"diff\">\n", f);
		compare_each_unanimous(f, c, VERDICT_FAIL, html_difference);
		fputs("</ul>\n", f);
	}
	if (compare_each_unanimous(f, c, VERDICT_SKIP, NULL)) {
		fputs("<h2>Skipped on every kernel</h2>\n<ul class=\"diff\">\n", f);
		compare_each_unanimous(f, c, VERDICT_SKIP, html_difference);
		fputs("</ul>\n", f);
	}
	if (compare_have_timings(c))
		html_timings(f, c);
	fputs("</body>\n</html>\n", f);
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
