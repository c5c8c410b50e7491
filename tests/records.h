/* records.h - records for the report and JSON suites: built field by field, the tricky one, and compared bit for bit. */
#ifndef TCPCONF_TESTS_RECORDS_H
#define TCPCONF_TESTS_RECORDS_H

#include <check.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

static inline void assert_same_double(double a, double b, const char *what)
{
	if (isnan(a) && isnan(b))
		return;
	ck_assert_msg(memcmp(&a, &b, sizeof(a)) == 0, "%s: %.17g vs %.17g", what, a, b);
}

static inline void assert_same_record(const struct record *a, const struct record *b)
{
	ck_assert_str_eq(a->name, b->name);
	ck_assert_str_eq(a->path, b->path);
	ck_assert_str_eq(a->ip, b->ip);
	ck_assert_int_eq(a->verdict, b->verdict);
	ck_assert_str_eq(a->message, b->message);
	assert_same_double(a->duration_ms, b->duration_ms, "duration_ms");
	ck_assert_str_eq(a->kernel, b->kernel);
	ck_assert_uint_eq(a->ntimings, b->ntimings);
	for (size_t i = 0; i < a->ntimings; i++) {
		ck_assert_int_eq(a->timings[i].line, b->timings[i].line);
		ck_assert_str_eq(a->timings[i].packet, b->timings[i].packet);
		assert_same_double(a->timings[i].expected_ms, b->timings[i].expected_ms,
				   "expected_ms");
		assert_same_double(a->timings[i].actual_ms, b->timings[i].actual_ms, "actual_ms");
	}
	ck_assert_int_eq(a->have_steps, b->have_steps);
	ck_assert_uint_eq(a->nsteps, b->nsteps);
	for (size_t i = 0; i < a->nsteps; i++) {
		const struct step *x = &a->steps[i], *y = &b->steps[i];

		ck_assert_int_eq(x->line, y->line);
		ck_assert_int_eq(x->kind, y->kind);
		ck_assert_str_eq(x->text, y->text);
		ck_assert_str_eq(x->result, y->result);
		ck_assert_str_eq(x->state, y->state);
		ck_assert_int_eq(x->failed, y->failed);
		assert_same_double(x->at_ms, y->at_ms, "at_ms");
		assert_same_double(x->end_ms, y->end_ms, "end_ms");
		assert_same_double(x->expect_ms, y->expect_ms, "expect_ms");
		assert_same_double(x->from_ms, y->from_ms, "from_ms");
		assert_same_double(x->until_ms, y->until_ms, "until_ms");
	}
}

static inline void record_set(struct record *r, const char *name, const char *path,
			      const char *ip, enum verdict v, const char *message, double ms, const char *kernel)
{
	memset(r, 0, sizeof(*r));
	r->name = strdup(name);
	r->path = strdup(path);
	r->ip = strdup(ip);
	r->verdict = v;
	r->message = strdup(message);
	r->duration_ms = ms;
	r->kernel = strdup(kernel);
}

/* Every byte from 0x01 to 0xff in a message, and numbers at every edge. */
static inline void tricky_record(struct record *r)
{
	char all[256];

	for (int i = 1; i < 256; i++)
		all[i - 1] = (char)i;
	all[255] = '\0';
	record_set(r, "weird/\"quoted\" \\ back\\slash", "cases/\xc3\xbc/\xe6\x97\xa5\xe6\x9c\xac.pkt",
		   "ipv6", VERDICT_FAIL, all, 1234.5678901234567, "6.1.0-56-cloud-amd64");
	ck_assert_int_eq(record_add_timing(r, 12, ". 1:1(0) ack 2", 40.0, 40.123456789), 0);
	ck_assert_int_eq(record_add_timing(r, 0, "", -1.0, 0.0), 0);
	ck_assert_int_eq(record_add_timing(r, -5, "F. \"x\"\n\ttab \xf0\x9f\x99\x82", 1e-300,
					   1.7976931348623157e308), 0);
	ck_assert_int_eq(record_add_timing(r, INT_MAX, "p", -0.0, 5e-324), 0);
	ck_assert_int_eq(record_add_timing(r, INT_MIN, "q", NAN, INFINITY), 0);
	ck_assert_int_eq(record_add_timing(r, 7, "r", -INFINITY, 0.1), 0);
	ck_assert_ptr_nonnull(record_add_step(r, &(struct step){
		.line = 9, .kind = STEP_IN, .text = "F. 6:6(0) ack 1 win 65535", .at_ms = 100.25,
		.end_ms = NAN, .expect_ms = NAN, .from_ms = NAN, .until_ms = NAN,
		.state = "CLOSE_WAIT" }));
	ck_assert_ptr_nonnull(record_add_step(r, &(struct step){
		.line = INT_MAX, .kind = STEP_OUT, .text = all, .at_ms = NAN, .end_ms = NAN,
		.expect_ms = 140, .from_ms = 136, .until_ms = INFINITY, .failed = 1 }));
	ck_assert_ptr_nonnull(record_add_step(r, &(struct step){
		.line = -1, .kind = STEP_CALL, .text = "close(4)", .result = "-1 EPIPE (\"x\")",
		.at_ms = -0.0, .end_ms = 5e-324, .expect_ms = NAN, .from_ms = NAN,
		.until_ms = NAN, .state = "" }));
}

#endif
