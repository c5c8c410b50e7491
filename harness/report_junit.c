/* report_junit.c - junit.xml: one testsuite, a testcase per record (see report.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "markup.h"
#include "report.h"
#include "report_int.h"

/* "close/close-merge-immediate" -> class "close", name "close-merge-immediate". */
static void junit_testcase(FILE *f, const struct record *r)
{
	const char *name = record_str(r->name), *slash = strchr(name, '/');

	fputs("  <testcase classname=\"", f);
	if (slash) {
		char *topic = strndup(name, slash - name);

		markup_text(f, topic ? topic : "", MARKUP_XML_ATTR);
		free(topic);
		name = slash + 1;
	} else {
		fputs("tcpconf", f);
	}
	fputs("\" name=\"", f);
	markup_text(f, name, MARKUP_XML_ATTR);
	fputc('[', f);
	markup_text(f, r->ip, MARKUP_XML_ATTR);
	fprintf(f, "]\" time=\"%.3f\"", isfinite(r->duration_ms) ? r->duration_ms / 1000.0 : 0.0);
	if (r->verdict == VERDICT_PASS) {
		fputs("/>\n", f);
		return;
	}
	fputs(">\n", f);
	if (r->verdict == VERDICT_SKIP) {
		fputs("    <skipped message=\"", f);
		markup_text(f, r->message, MARKUP_XML_ATTR);
		fputs("\"/>\n", f);
	} else {
		fputs("    <failure message=\"", f);
		markup_text(f, r->message, MARKUP_XML_ATTR);
		fputs("\">", f);
		markup_text(f, r->message, MARKUP_XML_TEXT);
		for (size_t i = 0; i < r->ntimings; i++) {
			const struct timing *t = &r->timings[i];

			fprintf(f, "\nline %d ", t->line);
			markup_text(f, t->packet, MARKUP_XML_TEXT);
			if (t->expected_ms >= 0)	/* negative: the script allowed any time */
				fprintf(f, ": expected %.3f ms,", t->expected_ms);
			else
				fputs(": expected any time,", f);
			fprintf(f, " actual %.3f ms", t->actual_ms);
		}
		fputs("</failure>\n", f);
	}
	fputs("  </testcase>\n", f);
}

/* A run cut short: one more testcase, in error, that says so. */
static void junit_incomplete(FILE *f, const char *why)
{
	fputs("  <testcase classname=\"tcpconf\" name=\"run\" time=\"0\">\n"
	      "    <error type=\"interrupted\" message=\"", f);
	markup_text(f, why, MARKUP_XML_ATTR);
	fputs("\">", f);
	markup_text(f, why, MARKUP_XML_TEXT);
	fputs("</error>\n  </testcase>\n", f);
}

int report_write_junit(const char *path, const struct record *r, size_t n, char **error)
{
	return report_write_junit_run(path, r, n, NULL, error);
}

int report_write_junit_run(const char *path, const struct record *r, size_t n,
			   const struct report_run *run, char **error)
{
	size_t failures = 0, skipped = 0;
	double total = 0;
	struct report_doc d;
	char why[160];
	FILE *f;

	for (size_t i = 0; i < n; i++) {
		failures += r[i].verdict == VERDICT_FAIL;
		skipped += r[i].verdict == VERDICT_SKIP;
		if (isfinite(r[i].duration_ms))
			total += r[i].duration_ms;
	}
	if (report_doc_open(&d, error) < 0)
		return STATUS_ERROR;
	f = d.f;
	report_incomplete_text(run, why, sizeof(why));
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuite name=\"tcpconf\" tests=\"%zu\" failures=\"%zu\" errors=\"%d\" "
		"skipped=\"%zu\" time=\"%.3f\">\n", n + (*why != 0), failures, *why != 0,
		skipped, total / 1000.0);
	if (n && r[0].kernel && *r[0].kernel) {
		fputs("  <properties>\n    <property name=\"kernel\" value=\"", f);
		markup_text(f, r[0].kernel, MARKUP_XML_ATTR);
		fputs("\"/>\n  </properties>\n", f);
	}
	for (size_t i = 0; i < n; i++)
		junit_testcase(f, &r[i]);
	if (*why)
		junit_incomplete(f, why);
	fputs("</testsuite>\n", f);
	return report_doc_commit(&d, path, error);
}
