/*
 * json_put.c - see json.h: the writers.  Every byte of a string and every
 * bit of a number must read back unchanged through json.c's parser.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "json.h"

void json_put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)record_str(s); *p; p++) {
		switch (*p) {
		case '"':  fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/*
 * The shortest decimal that reads back as the same double, so files stay
 * readable (40.1, not 40.100000000000001) and the value survives exactly.
 * JSON has no NaN or infinity: NaN is written as null, infinities as
 * numbers too large for a double, which strtod reads back as infinities.
 */
void json_put_number(FILE *f, double d)
{
	char buf[40];

	if (isnan(d)) {
		fputs("null", f);
		return;
	}
	if (isinf(d)) {
		fputs(d < 0 ? "-1e999" : "1e999", f);
		return;
	}
	/* plain decimals where they are short enough, else an exponent */
	if (fabs(d) >= 1e-4 && fabs(d) < 1e15) {
		for (int prec = 0; prec <= 20; prec++) {
			snprintf(buf, sizeof(buf), "%.*f", prec, d);
			if (strtod(buf, NULL) == d) {
				fputs(buf, f);
				return;
			}
		}
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	/* "-0" must stay negative zero: %g keeps the sign, and JSON allows it. */
	fputs(buf, f);
}

void json_put_field(FILE *f, const struct field *fd, const void *base,
		    void (*put_number)(FILE *f, double d))
{
	const void *v = (const char *)base + fd->offset;

	switch (fd->kind) {
	case FIELD_STRING:
		json_put_string(f, *(char *const *)v);
		break;
	case FIELD_VERDICT:
		json_put_string(f, verdict_name(*(const enum verdict *)v));
		break;
	case FIELD_NUMBER:
		put_number(f, *(const double *)v);
		break;
	case FIELD_INT:
		fprintf(f, "%d", *(const int *)v);
		break;
	case FIELD_STEP_KIND:
		json_put_string(f, step_kind_name(*(const enum step_kind *)v));
		break;
	case FIELD_TIMINGS:
	case FIELD_STEPS:
		break;		/* a list: its writer walks it */
	}
}

/* A list of n structs of size each at base, every member by its table. */
static void put_list(FILE *f, const void *base, size_t n, size_t size,
		     const struct field *fields, size_t nfields)
{
	fputc('[', f);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < nfields; j++) {
			fprintf(f, "%s\"%s\":", j ? "," : i ? ",{" : "{", fields[j].key);
			json_put_field(f, &fields[j], (const char *)base + i * size, json_put_number);
		}
		fputc('}', f);
	}
	fputc(']', f);
}

/* "exchange" only when one was recorded: a record read from an older file
 * is written back as it was, and readers tell "none recorded" from "empty". */
void json_put_record(FILE *f, const struct record *r)
{
	for (size_t i = 0; i < record_nfields; i++) {
		if (record_fields[i].kind == FIELD_STEPS && !r->have_steps)
			continue;
		/* only a run --vary flagged it: older readers never see the key */
		if (record_fields[i].offset == offsetof(struct record, condition_dependent) &&
		    !(r->condition_dependent && *r->condition_dependent))
			continue;
		fprintf(f, "%c\"%s\":", i ? ',' : '{', record_fields[i].key);
		if (record_fields[i].kind == FIELD_TIMINGS)
			put_list(f, r->timings, r->ntimings, sizeof(*r->timings),
				 timing_fields, timing_nfields);
		else if (record_fields[i].kind == FIELD_STEPS)
			put_list(f, r->steps, r->nsteps, sizeof(*r->steps),
				 step_fields, step_nfields);
		else
			json_put_field(f, &record_fields[i], r, json_put_number);
	}
	fputc('}', f);
}

char *json_record_line(const struct record *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	json_put_record(f, r);
	if (ferror(f) | fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}
