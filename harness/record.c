/* record.c - see record.h. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "record.h"

const struct field record_fields[] = {
	{ "case",	 FIELD_STRING,	offsetof(struct record, name) },
	{ "path",	 FIELD_STRING,	offsetof(struct record, path) },
	{ "ip",		 FIELD_STRING,	offsetof(struct record, ip) },
	{ "verdict",	 FIELD_VERDICT,	offsetof(struct record, verdict) },
	{ "message",	 FIELD_STRING,	offsetof(struct record, message) },
	{ "duration_ms", FIELD_NUMBER,	offsetof(struct record, duration_ms) },
	{ "kernel",	 FIELD_STRING,	offsetof(struct record, kernel) },
	{ "timings",	 FIELD_TIMINGS,	offsetof(struct record, timings) },
	{ "exchange",	 FIELD_STEPS,	offsetof(struct record, steps) },
	{ "condition_dependent", FIELD_STRING, offsetof(struct record, condition_dependent) },
};
const size_t record_nfields = sizeof(record_fields) / sizeof(record_fields[0]);

const struct field timing_fields[] = {
	{ "line",	 FIELD_INT,	offsetof(struct timing, line) },
	{ "packet",	 FIELD_STRING,	offsetof(struct timing, packet) },
	{ "expected_ms", FIELD_NUMBER,	offsetof(struct timing, expected_ms) },
	{ "actual_ms",	 FIELD_NUMBER,	offsetof(struct timing, actual_ms) },
};
const size_t timing_nfields = sizeof(timing_fields) / sizeof(timing_fields[0]);

const struct field step_fields[] = {
	{ "line",	 FIELD_INT,	  offsetof(struct step, line) },
	{ "kind",	 FIELD_STEP_KIND, offsetof(struct step, kind) },
	{ "text",	 FIELD_STRING,	  offsetof(struct step, text) },
	{ "result",	 FIELD_STRING,	  offsetof(struct step, result) },
	{ "at_ms",	 FIELD_NUMBER,	  offsetof(struct step, at_ms) },
	{ "end_ms",	 FIELD_NUMBER,	  offsetof(struct step, end_ms) },
	{ "expect_ms",	 FIELD_NUMBER,	  offsetof(struct step, expect_ms) },
	{ "from_ms",	 FIELD_NUMBER,	  offsetof(struct step, from_ms) },
	{ "until_ms",	 FIELD_NUMBER,	  offsetof(struct step, until_ms) },
	{ "state",	 FIELD_STRING,	  offsetof(struct step, state) },
	{ "failed",	 FIELD_INT,	  offsetof(struct step, failed) },
};
const size_t step_nfields = sizeof(step_fields) / sizeof(step_fields[0]);

static const char *const step_kinds[] = { [STEP_IN] = "in", [STEP_OUT] = "out", [STEP_CALL] = "call" };

const char *step_kind_name(enum step_kind k)
{
	return (unsigned)k < sizeof(step_kinds) / sizeof(step_kinds[0]) ? step_kinds[k] : "unknown";
}

int step_kind_parse(const char *s, enum step_kind *k)
{
	for (size_t i = 0; s && i < sizeof(step_kinds) / sizeof(step_kinds[0]); i++)
		if (!strcmp(s, step_kinds[i])) {
			*k = i;
			return STATUS_OK;
		}
	return STATUS_ERROR;
}

const struct field *record_field(const char *key)
{
	for (size_t i = 0; i < record_nfields; i++)
		if (!strcmp(record_fields[i].key, key))
			return &record_fields[i];
	return NULL;
}

const char *record_str(const char *s)
{
	return s ? s : "";
}

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_PASS: return "pass";
	case VERDICT_FAIL: return "fail";
	case VERDICT_SKIP: return "skip";
	}
	return "unknown";
}

int verdict_parse(const char *s, enum verdict *v)
{
	static const enum verdict all[] = { VERDICT_PASS, VERDICT_FAIL, VERDICT_SKIP };

	for (size_t i = 0; s && i < sizeof(all) / sizeof(all[0]); i++)
		if (!strcmp(s, verdict_name(all[i]))) {
			*v = all[i];
			return STATUS_OK;
		}
	return STATUS_ERROR;
}

void record_clear(struct record *r)
{
	free(r->name);
	free(r->path);
	free(r->ip);
	free(r->message);
	free(r->kernel);
	free(r->condition_dependent);
	for (size_t i = 0; i < r->ntimings; i++)
		free(r->timings[i].packet);
	free(r->timings);
	for (size_t i = 0; i < r->nsteps; i++)
		step_clear(&r->steps[i]);
	free(r->steps);
	memset(r, 0, sizeof(*r));
}

void step_clear(struct step *s)
{
	free(s->text);
	free(s->result);
	free(s->state);
	s->text = s->result = s->state = NULL;
}

struct step *record_add_step(struct record *r, const struct step *s)
{
	struct step *n = realloc(r->steps, (r->nsteps + 1) * sizeof(*n)), *c;

	if (!n)
		return NULL;
	r->steps = n;
	c = &n[r->nsteps];
	*c = *s;
	c->text = strdup(record_str(s->text));
	c->result = strdup(record_str(s->result));
	c->state = strdup(record_str(s->state));
	if (!c->text || !c->result || !c->state) {
		step_clear(c);
		return NULL;
	}
	r->nsteps++;
	r->have_steps = 1;
	return c;
}

int record_add_timing(struct record *r, int line, const char *packet,
		      double expected_ms, double actual_ms)
{
	struct timing *t = realloc(r->timings, (r->ntimings + 1) * sizeof(*t));
	char *p = strdup(record_str(packet));

	if (t)
		r->timings = t;
	if (!t || !p) {
		free(p);
		return STATUS_ERROR;
	}
	t[r->ntimings++] = (struct timing){ line, p, expected_ms, actual_ms };
	return STATUS_OK;
}
