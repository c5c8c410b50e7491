/* report_tap.c - results.tap: TAP version 13, a YAML block under each failure (see report.h). */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>

#include "error.h"
#include "json.h"
#include "report.h"
#include "report_int.h"

void report_tap_text(FILE *f, const char *s, bool escape_hash)
{
	for (const unsigned char *p = (const unsigned char *)record_str(s); *p; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t')
			fputc(' ', f);
		else if (*p < 0x20 || *p == 0x7f)
			fputc('?', f);
		else if (escape_hash && (*p == '#' || *p == '\\'))
			fprintf(f, "\\%c", *p);
		else
			fputc(*p, f);
	}
}

static void yaml_number(FILE *f, double d)
{
	/* YAML spells the non-finite values its own way. */
	if (isnan(d))
		fputs(".nan", f);
	else if (isinf(d))
		fputs(d < 0 ? "-.inf" : ".inf", f);
	else
		json_put_number(f, d);
}

/* The YAML block under a failing test: JSON strings are valid YAML ones. */
static void tap_diagnostic(FILE *f, const struct record *r)
{
	static const char *const keys[] = { "message", "path", "kernel", "duration_ms" };

	fputs("  ---\n", f);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		fprintf(f, "  %s: ", keys[i]);
		json_put_field(f, record_field(keys[i]), r, yaml_number);
		fputc('\n', f);
	}
	if (r->ntimings)
		fputs("  timings:\n", f);
	for (size_t i = 0; i < r->ntimings; i++)
		for (size_t j = 0; j < timing_nfields; j++) {
			fprintf(f, "    %s%s: ", j ? "  " : "- ", timing_fields[j].key);
			json_put_field(f, &timing_fields[j], &r->timings[i], yaml_number);
			fputc('\n', f);
		}
	fputs("  ...\n", f);
}

int report_write_tap(const char *path, const struct record *r, size_t n, char **error)
{
	return report_write_tap_run(path, r, n, NULL, error);
}

int report_write_tap_run(const char *path, const struct record *r, size_t n,
			 const struct report_run *run, char **error)
{
	struct report_doc d;
	char why[160];
	FILE *f;

	if (report_doc_open(&d, error) < 0)
		return STATUS_ERROR;
	f = d.f;
	fprintf(f, "TAP version 13\n1..%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%s %zu - ", r[i].verdict == VERDICT_FAIL ? "not ok" : "ok", i + 1);
		report_tap_text(f, r[i].name, true);
		fputs(" [", f);
		report_tap_text(f, r[i].ip, true);
		fputc(']', f);
		if (r[i].verdict == VERDICT_SKIP) {
			fputs(" # SKIP", f);
			if (*record_str(r[i].message)) {
				fputc(' ', f);
				report_tap_text(f, r[i].message, false);
			}
		}
		fputc('\n', f);
		if (r[i].verdict == VERDICT_FAIL)
			tap_diagnostic(f, &r[i]);
	}
	report_incomplete_text(run, why, sizeof(why));
	if (*why)
		fprintf(f, "Bail out! %s\n", why);
	return report_doc_commit(&d, path, error);
}
