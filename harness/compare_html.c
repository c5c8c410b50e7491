/*
 * compare_html.c - `tcpconf compare --format html`: one self-contained
 * page (inline CSS and SVG, no scripts, nothing fetched).  Its first
 * screen says what differs and how: the differences, then those cases'
 * ladders side by side on one time scale with the differing steps marked.
 * Every case that agrees is one line that opens (<details>, no script)
 * onto its ladders.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_int.h"
#include "ladder.h"
#include "markup.h"
#include "record.h"

/* Two kernels' delays after the previous step further apart than this
 * differ; below it is scheduling (an emulated CPU adds up to 12 ms). */
#define SAME_DELAY_MS	20.0

static const char page_style[] =
	"body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}"
	"ul.diff li{font-family:monospace;white-space:pre-wrap}"
	"details{margin:0;border-bottom:1px solid #eee}"
	"summary{font-family:monospace;font-size:13px;padding:2px 0;cursor:pointer}"
	"summary .name{display:inline-block;min-width:26em}"
	"summary .ip{display:inline-block;width:3.5em;color:#555}"
	"summary .v{display:inline-block;width:3.5em;text-align:center;margin-right:2px}"
	".v.pass{background:#d9f2d9}.v.fail{background:#f7c6c6;font-weight:bold}"
	".v.skip{background:#f2ecd0}.v.missing{background:#ddd;color:#777}"
	"summary .note{color:#b45f06;margin-left:1em}"
	"details.differs>summary{color:#c00;font-weight:bold}"
	".ladders{display:flex;gap:10px;align-items:flex-start;overflow-x:auto;padding:6px 0 12px}"
	".noladder{font-family:monospace;font-size:12px;color:#777;border:1px dashed #bbb;"
	"padding:8px;width:26em}";

/* Strip what differs between runs of one kernel: window and options. */
static size_t text_key_len(const char *s)
{
	const char *w = strstr(s, " win "), *o = strchr(s, '<');
	size_t n = strlen(s);

	if (w && (size_t)(w - s) < n)
		n = w - s;
	if (o && (size_t)(o - s) < n)
		n = o - s;
	return n;
}

/* The step of r that matches s (same line, kind and occurrence), or NULL. */
static const struct step *match(const struct record *r, const struct record *from, size_t i)
{
	const struct step *s = &from->steps[i];
	size_t occ = 0;

	for (size_t j = 0; j < i; j++)
		occ += from->steps[j].line == s->line && from->steps[j].kind == s->kind;
	for (size_t j = 0; j < r->nsteps; j++) {
		const struct step *t = &r->steps[j];

		if (t->line == s->line && t->kind == s->kind && occ-- == 0)
			return t;
	}
	return NULL;
}

static double delay(const struct record *r, const struct step *s)
{
	size_t i = s - r->steps;
	double t = isnan(s->at_ms) ? s->until_ms : s->at_ms;

	return i ? t - (isnan(r->steps[i - 1].at_ms) ? r->steps[i - 1].until_ms :
			r->steps[i - 1].at_ms) : t;
}

/* Does step i of a differ from its match in b? */
static bool step_differs(const struct record *a, size_t i, const struct record *b)
{
	const struct step *s = &a->steps[i], *t = match(b, a, i);
	size_t n;

	if (!t)
		return true;
	n = text_key_len(s->text);
	if (n != text_key_len(t->text) || strncmp(s->text, t->text, n) ||
	    strcmp(s->result, t->result) || s->failed != t->failed ||
	    isnan(s->at_ms) != isnan(t->at_ms))
		return true;
	/* the harness's own steps are timed by the script; the kernel's by the kernel */
	return s->kind == STEP_OUT && fabs(delay(a, s) - delay(b, t)) > SAME_DELAY_MS;
}

/* hl[k][i]: step i of column k differs from another kernel's; returns whether any does. */
static bool mark_differences(const struct cmp *c, const struct row *row, bool **hl)
{
	bool any = false;

	for (size_t k = 0; k < c->ncol; k++) {
		const struct record *a = row->cell[k];

		for (size_t i = 0; a && hl[k] && i < a->nsteps; i++)
			for (size_t j = 0; j < c->ncol; j++) {
				const struct record *b = row->cell[j];

				if (j != k && b && b->have_steps && step_differs(a, i, b)) {
					hl[k][i] = true;
					any = true;
				}
			}
	}
	return any;
}

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

/* The case's line: its name linked to its script, each kernel's verdict
 * linked to its capture where there is one. */
static void put_summary(FILE *f, const struct cmp *c, const struct row *row, bool steps_differ)
{
	fputs("<summary><span class=\"name\">", f);
	html_link(f, row->name, compare_script_href(c, row));
	fputs("</span><span class=\"ip\">", f);
	markup_text(f, row->ip, MARKUP_HTML);
	fputs("</span>", f);
	for (size_t k = 0; k < c->ncol; k++) {
		const struct record *r = row->cell[k];

		fprintf(f, "<span class=\"v %s\" title=\"", r ? compare_cell_name(r) : "missing");
		markup_text(f, c->col[k].label, MARKUP_HTML);
		if (r && *record_str(r->message)) {
			fputs(": ", f);
			markup_text(f, r->message, MARKUP_HTML);
		}
		fputs("\">", f);
		html_link(f, compare_cell_name(r), compare_pcap_href(c, row, k));
		fputs("</span>", f);
	}
	if (steps_differ)
		fputs("<span class=\"note\">exchanges differ</span>", f);
	fputs("</summary>\n", f);
}

/* One case: its line, and the kernels' ladders side by side on one scale. */
static void html_case(FILE *f, const struct cmp *c, const struct row *row)
{
	const struct record **recs = calloc(c->ncol, sizeof(*recs));
	bool **hl = calloc(c->ncol, sizeof(*hl)), differ;
	struct ladder_scale *sc;

	if (!recs || !hl)
		goto out;
	for (size_t k = 0; k < c->ncol; k++) {
		const struct record *r = row->cell[k];

		recs[k] = r && r->have_steps ? r : NULL;
		if (recs[k] && r->nsteps)
			hl[k] = calloc(r->nsteps, sizeof(**hl));
	}
	differ = mark_differences(c, row, hl);
	sc = ladder_scale_new(recs, c->ncol);
	fprintf(f, "<details%s>", row->differs ? " class=\"differs\" open" : "");
	put_summary(f, c, row, differ);
	fputs("<div class=\"ladders\">\n", f);
	for (size_t k = 0; k < c->ncol; k++) {
		if (recs[k] && sc) {
			ladder_write(f, recs[k], sc, hl[k], 0);
			continue;
		}
		fputs("<div class=\"noladder\">", f);
		markup_text(f, c->col[k].label, MARKUP_HTML);
		fputs(row->cell[k] ? ": no ladder recorded (results from an older tcpconf)</div>\n" :
		      ": no record</div>\n", f);
	}
	fputs("</div></details>\n", f);
	ladder_scale_free(sc);
out:
	for (size_t k = 0; hl && k < c->ncol; k++)
		free(hl[k]);
	free(hl);
	free(recs);
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

void compare_html(FILE *f, const struct cmp *c)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<title>tcpconf compare</title>\n<style>%s%s</style>\n</head>\n<body>\n"
		"<h1>tcpconf compare</h1>\n<p>", page_style, ladder_style());
	for (size_t k = 0; k < c->ncol; k++) {
		fputs(k ? " | " : "Kernels: ", f);
		markup_text(f, c->col[k].label, MARKUP_HTML);
	}
	fprintf(f, ".<br>%zu of %zu (case, IP version) runs agree, %zu differ%s; %zu fail%s on "
		"some kernel.</p>\n", c->nrows - c->ndiffer, c->nrows, c->ndiffer,
		c->ndiffer == 1 ? "s" : "", c->nfailing, c->nfailing == 1 ? "s" : "");
	compare_html_context(f, c);
	if (c->ndiffer) {
		fputs("<h2>What differs</h2>\n<ul class=\"diff\">\n", f);
		compare_each_unpassed(f, c, html_difference);
		fputs("</ul>\n<p>Ladders: kernel on the left, harness on the right, time down "
		      "(ms since the script's start; long quiet gaps cut); green bands are the "
		      "windows the script accepts, yellow rows differ between kernels, red is "
		      "what failed.</p>\n", f);
		for (size_t i = 0; i < c->nrows; i++)
			if (c->rows[i].differs)
				html_case(f, c, &c->rows[i]);
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
	fprintf(f, "<h2>Cases that agree (%zu)</h2>\n<p>Each case links to its script, each "
		"failure to its capture where there is one.</p>\n", c->nrows - c->ndiffer);
	for (size_t i = 0; i < c->nrows; i++)
		if (!c->rows[i].differs)
			html_case(f, c, &c->rows[i]);
	fputs("</body>\n</html>\n", f);
}
