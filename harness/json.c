/*
 * json.c - see json.h: the parser (the writers are in json_put.c).
 *
 * A case's record crosses a pipe from the case process to the runner as one
 * JSON line, and results.jsonl files come from other machines, so the JSON
 * here must carry every byte of every string and every bit of every number
 * back unchanged, and must survive any input.  No JSON library: the writer
 * escapes what JSON requires, the parser reads the objects we write (and
 * skips keys it does not know) and refuses anything malformed with a
 * message instead of guessing.  Bytes >= 0x80 pass through both untouched,
 * so a message that is not UTF-8 still round-trips.
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "json.h"

#define JSON_MAX_DEPTH	32	/* nesting we accept when skipping unknown values */


/* ---- parsing ---- */

struct parser {
	const char *s;
	size_t pos, len;
	char **error;
};

static int perr(struct parser *p, const char *what)
{
	if (p->pos >= p->len)
		return error_set(p->error, "JSON: %s at end of input (byte %zu)", what, p->pos);
	return error_set(p->error, "JSON: %s at byte %zu", what, p->pos);
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
				   p->s[p->pos] == '\r' || p->s[p->pos] == '\n'))
		p->pos++;
}

/* Consume c after optional white space. */
static bool accept(struct parser *p, char c)
{
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == c) {
		p->pos++;
		return true;
	}
	return false;
}

static int hex4(struct parser *p, unsigned *out)
{
	unsigned v = 0;

	if (p->len - p->pos < 4)
		return perr(p, "truncated \\u escape");
	for (int i = 0; i < 4; i++) {
		char c = p->s[p->pos + i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return perr(p, "bad hex digit in \\u escape");
	}
	p->pos += 4;
	*out = v;
	return STATUS_OK;
}

static void put_utf8(FILE *f, unsigned cp)
{
	if (cp < 0x80) {
		fputc(cp, f);
	} else if (cp < 0x800) {
		fputc(0xc0 | cp >> 6, f);
		fputc(0x80 | (cp & 0x3f), f);
	} else if (cp < 0x10000) {
		fputc(0xe0 | cp >> 12, f);
		fputc(0x80 | ((cp >> 6) & 0x3f), f);
		fputc(0x80 | (cp & 0x3f), f);
	} else {
		fputc(0xf0 | cp >> 18, f);
		fputc(0x80 | ((cp >> 12) & 0x3f), f);
		fputc(0x80 | ((cp >> 6) & 0x3f), f);
		fputc(0x80 | (cp & 0x3f), f);
	}
}

/* A \uXXXX escape (the "\u" already consumed), surrogate pairs joined. */
static int unicode_escape(struct parser *p, FILE *f)
{
	unsigned hi, lo;

	if (hex4(p, &hi) < 0)
		return STATUS_ERROR;
	if (hi == 0)
		return perr(p, "\\u0000 cannot be carried in a C string");
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return perr(p, "lone low surrogate in \\u escape");
	if (hi >= 0xd800 && hi <= 0xdbff) {
		if (p->len - p->pos < 2 || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u')
			return perr(p, "high surrogate without its low surrogate");
		p->pos += 2;
		if (hex4(p, &lo) < 0)
			return STATUS_ERROR;
		if (lo < 0xdc00 || lo > 0xdfff)
			return perr(p, "high surrogate without its low surrogate");
		hi = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
	}
	put_utf8(f, hi);
	return STATUS_OK;
}


/* One escape, the backslash already consumed. */
static int string_escape(struct parser *p, FILE *f)
{
	char c = p->s[p->pos++];

	switch (c) {
	case '"': case '\\': case '/':
		fputc(c, f);
		return STATUS_OK;
	case 'n': fputc('\n', f); return STATUS_OK;
	case 'r': fputc('\r', f); return STATUS_OK;
	case 't': fputc('\t', f); return STATUS_OK;
	case 'b': fputc('\b', f); return STATUS_OK;
	case 'f': fputc('\f', f); return STATUS_OK;
	case 'u': return unicode_escape(p, f);
	}
	p->pos--;
	return perr(p, "bad escape in string");
}

/* A string's characters after its opening quote, through the closing one. */
static int string_body(struct parser *p, FILE *f)
{
	for (;;) {
		unsigned char c;

		if (p->pos >= p->len)
			return perr(p, "unterminated string");
		c = p->s[p->pos++];
		if (c == '"')
			return STATUS_OK;
		if (c < 0x20) {
			p->pos--;
			return perr(p, "raw control character in string");
		}
		if (c != '\\') {
			fputc(c, f);
			continue;
		}
		if (p->pos >= p->len)
			return perr(p, "unterminated escape");
		if (string_escape(p, f) < 0)
			return STATUS_ERROR;
	}
}

/* A string value; *out is malloc'd on success. */
static int parse_string(struct parser *p, char **out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	skip_ws(p);
	if (p->pos >= p->len || p->s[p->pos] != '"')
		return perr(p, "expected a string");
	p->pos++;
	/* most strings have no escape: copied at once, no stream */
	for (size_t i = p->pos; i < p->len && (unsigned char)p->s[i] >= 0x20 &&
	     p->s[i] != '\\'; i++)
		if (p->s[i] == '"') {
			*out = strndup(p->s + p->pos, i - p->pos);
			p->pos = i + 1;
			return *out ? STATUS_OK : error_set(p->error, "out of memory");
		}
	f = open_memstream(&buf, &len);
	if (!f)
		return error_set(p->error, "out of memory");
	rc = string_body(p, f);
	if ((ferror(f) | fclose(f)) && rc == STATUS_OK)
		rc = error_set(p->error, "out of memory");
	if (rc < 0) {
		free(buf);
		return rc;
	}
	*out = buf;
	return STATUS_OK;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A number by JSON's grammar (null is NaN, see json_put_number). */
static int parse_number(struct parser *p, double *out)
{
	size_t start, n;
	char buf[64];

	skip_ws(p);
	if (p->len - p->pos >= 4 && !strncmp(p->s + p->pos, "null", 4)) {
		p->pos += 4;
		*out = NAN;
		return STATUS_OK;
	}
	start = p->pos;
	if (p->pos < p->len && p->s[p->pos] == '-')
		p->pos++;
	if (p->pos >= p->len || !is_digit(p->s[p->pos])) {
		p->pos = start;
		return perr(p, "expected a number");
	}
	if (p->s[p->pos] == '0')
		p->pos++;
	else
		while (p->pos < p->len && is_digit(p->s[p->pos]))
			p->pos++;
	if (p->pos < p->len && p->s[p->pos] == '.') {
		p->pos++;
		if (p->pos >= p->len || !is_digit(p->s[p->pos]))
			return perr(p, "expected a digit after the decimal point");
		while (p->pos < p->len && is_digit(p->s[p->pos]))
			p->pos++;
	}
	if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (p->pos >= p->len || !is_digit(p->s[p->pos]))
			return perr(p, "expected a digit in the exponent");
		while (p->pos < p->len && is_digit(p->s[p->pos]))
			p->pos++;
	}
	n = p->pos - start;
	if (n >= sizeof(buf)) {
		p->pos = start;
		return perr(p, "number too long");
	}
	memcpy(buf, p->s + start, n);
	buf[n] = '\0';
	*out = strtod(buf, NULL);
	return STATUS_OK;
}

static int parse_int(struct parser *p, int *out)
{
	size_t start;
	double d;

	skip_ws(p);
	start = p->pos;
	if (parse_number(p, &d) < 0)
		return STATUS_ERROR;
	if (!(d >= INT32_MIN && d <= INT32_MAX) || d != (int)d) {
		p->pos = start;
		return perr(p, "expected an integer");
	}
	*out = (int)d;
	return STATUS_OK;
}

/* Any value, thrown away: keys a later tcpconf may add. */
static int skip_value(struct parser *p, int depth)
{
	char *s;
	double d;

	if (depth > JSON_MAX_DEPTH)
		return perr(p, "nested too deeply");
	skip_ws(p);
	if (p->pos >= p->len)
		return perr(p, "expected a value");
	switch (p->s[p->pos]) {
	case '"':
		if (parse_string(p, &s) < 0)
			return STATUS_ERROR;
		free(s);
		return STATUS_OK;
	case '{':
		p->pos++;
		if (accept(p, '}'))
			return STATUS_OK;
		do {
			if (parse_string(p, &s) < 0)
				return STATUS_ERROR;
			free(s);
			if (!accept(p, ':'))
				return perr(p, "expected ':'");
			if (skip_value(p, depth + 1) < 0)
				return STATUS_ERROR;
		} while (accept(p, ','));
		return accept(p, '}') ? STATUS_OK : perr(p, "expected ',' or '}'");
	case '[':
		p->pos++;
		if (accept(p, ']'))
			return STATUS_OK;
		do {
			if (skip_value(p, depth + 1) < 0)
				return STATUS_ERROR;
		} while (accept(p, ','));
		return accept(p, ']') ? STATUS_OK : perr(p, "expected ',' or ']'");
	case 't':
		if (p->len - p->pos >= 4 && !strncmp(p->s + p->pos, "true", 4)) {
			p->pos += 4;
			return STATUS_OK;
		}
		break;
	case 'f':
		if (p->len - p->pos >= 5 && !strncmp(p->s + p->pos, "false", 5)) {
			p->pos += 5;
			return STATUS_OK;
		}
		break;
	default:
		return parse_number(p, &d);
	}
	return perr(p, "expected a value");
}

/* A string field: the previous value (a repeated key) is replaced. */
static int field_string(struct parser *p, const char *key, char **field)
{
	char *s;

	if (parse_string(p, &s) < 0)
		return error_prefix(p->error, "\"%s\"", key);
	free(*field);
	*field = s;
	return STATUS_OK;
}

/* A member of a list's item by its row in the item's table. */
static int item_member(struct parser *p, const char *key, const struct field *fd, void *item)
{
	void *v = (char *)item + fd->offset;
	char *s = NULL;
	size_t at;

	switch (fd->kind) {
	case FIELD_STRING:
		return field_string(p, key, v);
	case FIELD_NUMBER:
		return parse_number(p, v) < 0 ? error_prefix(p->error, "\"%s\"", key) : STATUS_OK;
	case FIELD_INT:
		return parse_int(p, v) < 0 ? error_prefix(p->error, "\"%s\"", key) : STATUS_OK;
	case FIELD_STEP_KIND:
		skip_ws(p);
		at = p->pos;
		if (field_string(p, key, &s) < 0)
			return STATUS_ERROR;
		if (step_kind_parse(s, v) < 0) {
			p->pos = at;
			free(s);
			return perr(p, "\"kind\": expected in, out or call");
		}
		free(s);
		return STATUS_OK;
	default:
		return skip_value(p, 1);
	}
}

/*
 * One object of a list (what: its name in messages) into item by its
 * table; *seen gets bit i for fields[i] present.  Unknown keys are skipped.
 */
static int parse_item(struct parser *p, const char *what, const struct field *fields,
		      size_t n, void *item, unsigned *seen)
{
	char *key = NULL;

	*seen = 0;
	if (!accept(p, '{'))
		return error_set(p->error, "JSON: %s: expected an object at byte %zu", what, p->pos);
	if (accept(p, '}'))
		return STATUS_OK;
	do {
		size_t i;

		if (parse_string(p, &key) < 0)
			return STATUS_ERROR;
		if (!accept(p, ':')) {
			free(key);
			return perr(p, "expected ':'");
		}
		for (i = 0; i < n && strcmp(key, fields[i].key); i++)
			;
		if ((i < n ? item_member(p, key, &fields[i], item) : skip_value(p, 1)) < 0) {
			free(key);
			return STATUS_ERROR;
		}
		*seen |= i < n ? 1u << i : 0;
		free(key);
		key = NULL;
	} while (accept(p, ','));
	if (accept(p, '}'))
		return STATUS_OK;
	return error_set(p->error, "JSON: %s: expected ',' or '}' at byte %zu", what, p->pos);
}

/* The bit parse_item sets for key in fields. */
static unsigned field_bit(const struct field *fields, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(fields[i].key, key))
			return 1u << i;
	return 0;
}

static int parse_timing(struct parser *p, struct record *r)
{
	struct timing t = { .expected_ms = NAN, .actual_ms = NAN };
	unsigned seen, need = field_bit(timing_fields, timing_nfields, "line") |
			      field_bit(timing_fields, timing_nfields, "actual_ms");
	int rc = STATUS_ERROR;

	if (parse_item(p, "timings", timing_fields, timing_nfields, &t, &seen) < 0)
		goto out;
	if ((seen & need) != need)
		perr(p, "timing without \"line\" or \"actual_ms\"");
	else if (record_add_timing(r, t.line, t.packet, t.expected_ms, t.actual_ms) < 0)
		error_set(p->error, "out of memory");
	else
		rc = STATUS_OK;
out:
	free(t.packet);
	return rc;
}

static int parse_step(struct parser *p, struct record *r)
{
	struct step st = { .at_ms = NAN, .end_ms = NAN, .expect_ms = NAN,
			   .from_ms = NAN, .until_ms = NAN };
	unsigned seen;
	int rc = STATUS_ERROR;

	if (parse_item(p, "exchange", step_fields, step_nfields, &st, &seen) < 0)
		goto out;
	if (!(seen & field_bit(step_fields, step_nfields, "kind")))
		perr(p, "exchange step without \"kind\"");
	else if (!record_add_step(r, &st))
		error_set(p->error, "out of memory");
	else
		rc = STATUS_OK;
out:
	step_clear(&st);
	return rc;
}

static int parse_timings(struct parser *p, struct record *r)
{
	for (size_t i = 0; i < r->ntimings; i++)	/* a repeated key: last one wins */
		free(r->timings[i].packet);
	free(r->timings);
	r->timings = NULL;
	r->ntimings = 0;
	if (!accept(p, '['))
		return perr(p, "\"timings\": expected an array");
	if (accept(p, ']'))
		return STATUS_OK;
	do {
		if (parse_timing(p, r) < 0)
			return STATUS_ERROR;
	} while (accept(p, ','));
	return accept(p, ']') ? STATUS_OK : perr(p, "timings: expected ',' or ']'");
}

/* "exchange": a list of steps; its presence is what tells a ladder was recorded. */
static int parse_steps(struct parser *p, struct record *r)
{
	for (size_t i = 0; i < r->nsteps; i++)		/* a repeated key: last one wins */
		step_clear(&r->steps[i]);
	free(r->steps);
	r->steps = NULL;
	r->nsteps = 0;
	r->have_steps = 1;
	if (!accept(p, '['))
		return perr(p, "\"exchange\": expected an array");
	if (accept(p, ']'))
		return STATUS_OK;
	do {
		if (parse_step(p, r) < 0)
			return STATUS_ERROR;
	} while (accept(p, ','));
	return accept(p, ']') ? STATUS_OK : perr(p, "exchange: expected ',' or ']'");
}

/* "verdict": one of the names verdict_name gives. */
static int field_verdict(struct parser *p, const char *key, enum verdict *v)
{
	char *s = NULL;
	size_t at;

	skip_ws(p);
	at = p->pos;
	if (field_string(p, key, &s) < 0)
		return STATUS_ERROR;
	if (verdict_parse(s, v) < 0) {
		p->pos = at;
		perr(p, "\"verdict\": expected pass, fail or skip");
		free(s);
		return STATUS_ERROR;
	}
	free(s);
	return STATUS_OK;
}

static int parse_field(struct parser *p, const char *key, struct record *r,
		       bool *have_verdict)
{
	for (size_t i = 0; i < record_nfields; i++) {
		void *v = (char *)r + record_fields[i].offset;

		if (strcmp(key, record_fields[i].key))
			continue;
		switch (record_fields[i].kind) {
		case FIELD_STRING:
			return field_string(p, key, v);
		case FIELD_VERDICT:
			*have_verdict = true;
			return field_verdict(p, key, v);
		case FIELD_NUMBER:
			return parse_number(p, v) < 0 ?
				error_prefix(p->error, "\"%s\"", key) : STATUS_OK;
		case FIELD_TIMINGS:
			return parse_timings(p, r);
		case FIELD_STEPS:
			return parse_steps(p, r);
		case FIELD_INT:
		case FIELD_STEP_KIND:
			break;		/* only lists' items have one */
		}
	}
	return skip_value(p, 1);
}

/* The members of the record object, after its '{'. */
static int parse_members(struct parser *p, struct record *r, bool *have_verdict)
{
	char *key = NULL;

	if (accept(p, '}'))
		return STATUS_OK;
	do {
		if (parse_string(p, &key) < 0)
			return STATUS_ERROR;
		if (!accept(p, ':')) {
			free(key);
			return perr(p, "expected ':'");
		}
		if (parse_field(p, key, r, have_verdict) < 0) {
			free(key);
			return STATUS_ERROR;
		}
		free(key);
		key = NULL;
	} while (accept(p, ','));
	return accept(p, '}') ? STATUS_OK : perr(p, "expected ',' or '}'");
}

/* Keys left out read as "": a record's strings are never NULL after parsing. */
static int fill_strings(struct record *r, char **error)
{
	for (size_t i = 0; i < record_nfields; i++) {
		char **s = (char **)((char *)r + record_fields[i].offset);

		if (record_fields[i].kind == FIELD_STRING && !*s && !(*s = strdup("")))
			return error_set(error, "out of memory");
	}
	return STATUS_OK;
}

int json_record_parse(const char *line, struct record *r, char **error)
{
	struct parser p = { .s = line, .len = line ? strlen(line) : 0, .error = error };
	struct record rec = { 0 };
	bool have_verdict = false;

	if (!accept(&p, '{')) {
		perr(&p, "expected '{'");
		goto fail;
	}
	if (parse_members(&p, &rec, &have_verdict) < 0)
		goto fail;
	skip_ws(&p);
	if (p.pos != p.len) {
		perr(&p, "trailing characters after the record");
		goto fail;
	}
	if (!have_verdict) {
		error_set(error, "JSON: record without \"verdict\"");
		goto fail;
	}
	if (fill_strings(&rec, error) < 0)
		goto fail;
	*r = rec;
	return STATUS_OK;
fail:
	record_clear(&rec);
	return STATUS_ERROR;
}

/* A member json_object_strings wants: its string, or NULL for null. */
static int wanted_string(struct parser *p, const char *key, char **value)
{
	skip_ws(p);
	if (p->len - p->pos >= 4 && !strncmp(p->s + p->pos, "null", 4)) {
		p->pos += 4;
		free(*value);
		*value = NULL;
		return STATUS_OK;
	}
	return field_string(p, key, value);
}

int json_object_strings(const char *text, const char *const keys[], char *values[],
			size_t n, char **error)
{
	struct parser p = { .s = text, .len = text ? strlen(text) : 0, .error = error };
	char *key = NULL;
	size_t i;

	if (!accept(&p, '{'))
		return perr(&p, "expected '{'");
	if (!accept(&p, '}')) {
		do {
			if (parse_string(&p, &key) < 0)
				goto fail;
			if (!accept(&p, ':')) {
				perr(&p, "expected ':'");
				goto fail;
			}
			for (i = 0; i < n && strcmp(key, keys[i]); i++)
				;
			if ((i < n ? wanted_string(&p, key, &values[i]) : skip_value(&p, 1)) < 0)
				goto fail;
			free(key);
			key = NULL;
		} while (accept(&p, ','));
		if (!accept(&p, '}')) {
			perr(&p, "expected ',' or '}'");
			goto fail;
		}
	}
	skip_ws(&p);
	if (p.pos == p.len)
		return STATUS_OK;
	perr(&p, "trailing characters after the object");
fail:
	free(key);
	for (i = 0; i < n; i++) {
		free(values[i]);
		values[i] = NULL;
	}
	return STATUS_ERROR;
}
