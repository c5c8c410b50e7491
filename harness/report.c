/*
 * report.c - see report.h.
 *
 * A case's record crosses a pipe from the case process to the runner as one
 * JSON line, so the JSON here must carry every byte of every string and
 * every bit of every number back unchanged.  No JSON library: the writer
 * escapes what JSON requires, the parser reads the objects we write (and
 * skips keys it does not know) and refuses anything malformed with a
 * message instead of guessing.  Bytes >= 0x80 pass through both untouched,
 * so a message that is not UTF-8 still round-trips; the XML writer, which
 * must produce well-formed UTF-8, replaces such bytes instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "report.h"
#include "sysctl.h"

#define JSON_MAX_DEPTH	32	/* nesting we accept when skipping unknown values */

static const char *str(const char *s)
{
	return s ? s : "";
}

/* ---- verdicts and records ---- */

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
	for (size_t i = 0; i < r->ntimings; i++)
		free(r->timings[i].packet);
	free(r->timings);
	memset(r, 0, sizeof(*r));
}

int record_add_timing(struct record *r, int line, const char *packet,
		      double expected_ms, double actual_ms)
{
	struct timing *t = realloc(r->timings, (r->ntimings + 1) * sizeof(*t));
	char *p = strdup(str(packet));

	if (t)
		r->timings = t;
	if (!t || !p) {
		free(p);
		return STATUS_ERROR;
	}
	t[r->ntimings++] = (struct timing){ line, p, expected_ms, actual_ms };
	return STATUS_OK;
}

void report_free_all(struct record *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++)
		record_clear(&r[i]);
	free(r);
}

/* ---- writing JSON ---- */

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)str(s); *p; p++) {
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
static void json_number(FILE *f, double d)
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

static void json_record(FILE *f, const struct record *r)
{
	fputs("{\"case\":", f);
	json_string(f, r->name);
	fputs(",\"path\":", f);
	json_string(f, r->path);
	fputs(",\"ip\":", f);
	json_string(f, r->ip);
	fputs(",\"verdict\":", f);
	json_string(f, verdict_name(r->verdict));
	fputs(",\"message\":", f);
	json_string(f, r->message);
	fputs(",\"duration_ms\":", f);
	json_number(f, r->duration_ms);
	fputs(",\"kernel\":", f);
	json_string(f, r->kernel);
	fputs(",\"timings\":[", f);
	for (size_t i = 0; i < r->ntimings; i++) {
		const struct timing *t = &r->timings[i];

		fprintf(f, "%s{\"line\":%d,\"packet\":", i ? "," : "", t->line);
		json_string(f, t->packet);
		fputs(",\"expected_ms\":", f);
		json_number(f, t->expected_ms);
		fputs(",\"actual_ms\":", f);
		json_number(f, t->actual_ms);
		fputc('}', f);
	}
	fputs("]}", f);
}

/* Everything below writes into memory first: a file is written whole or not at all. */
static FILE *mem_open(char **buf, size_t *len)
{
	*buf = NULL;
	*len = 0;
	return open_memstream(buf, len);
}

static int mem_close(FILE *f, char **buf, char **error)
{
	if (ferror(f) | fclose(f)) {
		free(*buf);
		*buf = NULL;
		return error_set(error, "out of memory");
	}
	return STATUS_OK;
}

char *report_json_line(const struct record *r)
{
	char *buf;
	size_t len;
	FILE *f = mem_open(&buf, &len);

	if (!f)
		return NULL;
	json_record(f, r);
	if (mem_close(f, &buf, NULL) < 0)
		return NULL;
	return buf;
}

/* ---- parsing JSON ---- */

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

/* A string value; *out is malloc'd on success. */
static int parse_string(struct parser *p, char **out)
{
	char *buf;
	size_t len;
	FILE *f;

	skip_ws(p);
	if (p->pos >= p->len || p->s[p->pos] != '"')
		return perr(p, "expected a string");
	p->pos++;
	f = mem_open(&buf, &len);
	if (!f)
		return error_set(p->error, "out of memory");
	for (;;) {
		unsigned char c;

		if (p->pos >= p->len) {
			fclose(f);
			free(buf);
			return perr(p, "unterminated string");
		}
		c = p->s[p->pos++];
		if (c == '"')
			break;
		if (c < 0x20) {
			p->pos--;
			fclose(f);
			free(buf);
			return perr(p, "raw control character in string");
		}
		if (c != '\\') {
			fputc(c, f);
			continue;
		}
		if (p->pos >= p->len) {
			fclose(f);
			free(buf);
			return perr(p, "unterminated escape");
		}
		c = p->s[p->pos++];
		switch (c) {
		case '"': case '\\': case '/':
			fputc(c, f);
			break;
		case 'n': fputc('\n', f); break;
		case 'r': fputc('\r', f); break;
		case 't': fputc('\t', f); break;
		case 'b': fputc('\b', f); break;
		case 'f': fputc('\f', f); break;
		case 'u':
			if (unicode_escape(p, f) < 0) {
				fclose(f);
				free(buf);
				return STATUS_ERROR;
			}
			break;
		default:
			p->pos--;
			fclose(f);
			free(buf);
			return perr(p, "bad escape in string");
		}
	}
	if (mem_close(f, &buf, p->error) < 0)
		return STATUS_ERROR;
	*out = buf;
	return STATUS_OK;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A number by JSON's grammar (null is NaN, see json_number). */
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

static int parse_timing(struct parser *p, struct record *r)
{
	struct timing t = { .expected_ms = NAN, .actual_ms = NAN };
	bool have_line = false, have_actual = false;
	char *key = NULL;
	int rc = STATUS_ERROR;

	if (!accept(p, '{'))
		return perr(p, "timings: expected an object");
	if (accept(p, '}'))
		goto missing;
	do {
		if (parse_string(p, &key) < 0)
			goto out;
		if (!accept(p, ':')) {
			perr(p, "expected ':'");
			goto out;
		}
		if (!strcmp(key, "line")) {
			if (parse_int(p, &t.line) < 0)
				goto bad;
			have_line = true;
		} else if (!strcmp(key, "packet")) {
			if (field_string(p, key, &t.packet) < 0)
				goto out;
		} else if (!strcmp(key, "expected_ms")) {
			if (parse_number(p, &t.expected_ms) < 0)
				goto bad;
		} else if (!strcmp(key, "actual_ms")) {
			if (parse_number(p, &t.actual_ms) < 0)
				goto bad;
			have_actual = true;
		} else if (skip_value(p, 1) < 0) {
			goto out;
		}
		free(key);
		key = NULL;
	} while (accept(p, ','));
	if (!accept(p, '}')) {
		perr(p, "timings: expected ',' or '}'");
		goto out;
	}
missing:
	if (!have_line || !have_actual) {
		perr(p, "timing without \"line\" or \"actual_ms\"");
		goto out;
	}
	if (record_add_timing(r, t.line, t.packet, t.expected_ms, t.actual_ms) < 0) {
		error_set(p->error, "out of memory");
		goto out;
	}
	rc = STATUS_OK;
	goto out;
bad:
	error_prefix(p->error, "timings \"%s\"", key);
out:
	free(key);
	free(t.packet);
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

static int parse_field(struct parser *p, const char *key, struct record *r,
		       bool *have_verdict)
{
	char *s = NULL;

	if (!strcmp(key, "case"))
		return field_string(p, key, &r->name);
	if (!strcmp(key, "path"))
		return field_string(p, key, &r->path);
	if (!strcmp(key, "ip"))
		return field_string(p, key, &r->ip);
	if (!strcmp(key, "message"))
		return field_string(p, key, &r->message);
	if (!strcmp(key, "kernel"))
		return field_string(p, key, &r->kernel);
	if (!strcmp(key, "duration_ms"))
		return parse_number(p, &r->duration_ms) < 0 ?
			error_prefix(p->error, "\"%s\"", key) : STATUS_OK;
	if (!strcmp(key, "timings"))
		return parse_timings(p, r);
	if (!strcmp(key, "verdict")) {
		size_t at;

		skip_ws(p);
		at = p->pos;
		if (field_string(p, key, &s) < 0)
			return STATUS_ERROR;
		if (verdict_parse(s, &r->verdict) < 0) {
			p->pos = at;
			perr(p, "\"verdict\": expected pass, fail or skip");
			free(s);
			return STATUS_ERROR;
		}
		free(s);
		*have_verdict = true;
		return STATUS_OK;
	}
	return skip_value(p, 1);
}

/* *r is overwritten only on success (its old contents are not freed). */
int report_json_parse(const char *line, struct record *r, char **error)
{
	struct parser p = { .s = line, .len = line ? strlen(line) : 0, .error = error };
	struct record rec = { 0 };
	bool have_verdict = false;
	char *key = NULL;
	char **fields[] = { &rec.name, &rec.path, &rec.ip, &rec.message, &rec.kernel };

	if (!accept(&p, '{')) {
		perr(&p, "expected '{'");
		goto fail;
	}
	if (!accept(&p, '}')) {
		do {
			if (parse_string(&p, &key) < 0)
				goto fail;
			if (!accept(&p, ':')) {
				perr(&p, "expected ':'");
				goto fail;
			}
			if (parse_field(&p, key, &rec, &have_verdict) < 0)
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
	if (p.pos != p.len) {
		perr(&p, "trailing characters after the record");
		goto fail;
	}
	if (!have_verdict) {
		error_set(error, "JSON: record without \"verdict\"");
		goto fail;
	}
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!*fields[i] && !(*fields[i] = strdup(""))) {
			error_set(error, "out of memory");
			goto fail;
		}
	*r = rec;
	return STATUS_OK;
fail:
	free(key);
	record_clear(&rec);
	return STATUS_ERROR;
}

/* ---- files ---- */

/* path.tmp then rename: readers never see half a file. */
static int write_atomic(const char *path, const char *buf, size_t len, char **error)
{
	char *tmp;
	int fd, saved;
	size_t off = 0;

	if (asprintf(&tmp, "%s.tmp", path) < 0)
		return error_set(error, "out of memory");
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		error_set(error, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return STATUS_ERROR;
	}
	while (off < len) {
		ssize_t w = write(fd, buf + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		off += w;
	}
	if (fsync(fd) < 0 && errno != EINVAL)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	free(tmp);
	return STATUS_OK;
fail:
	saved = errno ? errno : EIO;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	error_set(error, "%s: %s", path, strerror(saved));
	free(tmp);
	return STATUS_ERROR;
}

/* Finish an in-memory document and write it to path. */
static int mem_commit(FILE *f, char **buf, size_t *len, const char *path, char **error)
{
	int rc;

	if (mem_close(f, buf, error) < 0)
		return STATUS_ERROR;
	rc = write_atomic(path, *buf, *len, error);
	free(*buf);
	return rc;
}

int report_write_jsonl(const char *path, const struct record *r, size_t n, char **error)
{
	char *buf;
	size_t len;
	FILE *f = mem_open(&buf, &len);

	if (!f)
		return error_set(error, "out of memory");
	for (size_t i = 0; i < n; i++) {
		json_record(f, &r[i]);
		fputc('\n', f);
	}
	return mem_commit(f, &buf, &len, path, error);
}

/* TAP descriptions end at '#' and at the line: escape the one, flatten the other. */
static void tap_text(FILE *f, const char *s, bool escape_hash)
{
	for (const unsigned char *p = (const unsigned char *)str(s); *p; p++) {
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
		json_number(f, d);
}

/* The YAML block under a failing test: JSON strings are valid YAML ones. */
static void tap_diagnostic(FILE *f, const struct record *r)
{
	fputs("  ---\n  message: ", f);
	json_string(f, r->message);
	fputs("\n  path: ", f);
	json_string(f, r->path);
	fputs("\n  kernel: ", f);
	json_string(f, r->kernel);
	fputs("\n  duration_ms: ", f);
	yaml_number(f, r->duration_ms);
	fputc('\n', f);
	if (r->ntimings)
		fputs("  timings:\n", f);
	for (size_t i = 0; i < r->ntimings; i++) {
		const struct timing *t = &r->timings[i];

		fprintf(f, "    - line: %d\n      packet: ", t->line);
		json_string(f, t->packet);
		fputs("\n      expected_ms: ", f);
		yaml_number(f, t->expected_ms);
		fputs("\n      actual_ms: ", f);
		yaml_number(f, t->actual_ms);
		fputc('\n', f);
	}
	fputs("  ...\n", f);
}

int report_write_tap(const char *path, const struct record *r, size_t n, char **error)
{
	char *buf;
	size_t len;
	FILE *f = mem_open(&buf, &len);

	if (!f)
		return error_set(error, "out of memory");
	fprintf(f, "TAP version 13\n1..%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%s %zu - ", r[i].verdict == VERDICT_FAIL ? "not ok" : "ok", i + 1);
		tap_text(f, r[i].name, true);
		fputs(" [", f);
		tap_text(f, r[i].ip, true);
		fputc(']', f);
		if (r[i].verdict == VERDICT_SKIP) {
			fputs(" # SKIP", f);
			if (*str(r[i].message)) {
				fputc(' ', f);
				tap_text(f, r[i].message, false);
			}
		}
		fputc('\n', f);
		if (r[i].verdict == VERDICT_FAIL)
			tap_diagnostic(f, &r[i]);
	}
	return mem_commit(f, &buf, &len, path, error);
}

size_t report_utf8_len(const unsigned char *s, size_t avail)
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

/*
 * Text for XML 1.0: markup characters as entities, line breaks kept (as
 * character references in attributes, where a parser would fold them),
 * and what XML cannot hold at all (other control characters, bytes that
 * are not UTF-8) as U+FFFD.
 */
static void xml_text(FILE *f, const char *s, bool attribute)
{
	const unsigned char *p = (const unsigned char *)str(s);
	size_t left = strlen((const char *)p);

	while (left) {
		size_t n = report_utf8_len(p, left);

		if (n == 0) {
			fputs("&#xFFFD;", f);
			n = 1;
		} else if (n > 1) {
			fwrite(p, 1, n, f);
		} else {
			switch (*p) {
			case '&': fputs("&amp;", f); break;
			case '<': fputs("&lt;", f); break;
			case '>': fputs("&gt;", f); break;
			case '"': fputs("&quot;", f); break;
			case '\'': fputs("&apos;", f); break;
			case '\n': fputs(attribute ? "&#10;" : "\n", f); break;
			case '\r': fputs("&#13;", f); break;
			case '\t': fputs(attribute ? "&#9;" : "\t", f); break;
			default:
				if (*p < 0x20 || *p == 0x7f)
					fputs("&#xFFFD;", f);
				else
					fputc(*p, f);
			}
		}
		p += n;
		left -= n;
	}
}

/* "close/close-merge-immediate" -> class "close", name "close-merge-immediate". */
static void junit_testcase(FILE *f, const struct record *r)
{
	const char *name = str(r->name), *slash = strchr(name, '/');

	fputs("  <testcase classname=\"", f);
	if (slash) {
		char *topic = strndup(name, slash - name);

		xml_text(f, topic ? topic : "", true);
		free(topic);
		name = slash + 1;
	} else {
		fputs("tcpconf", f);
	}
	fputs("\" name=\"", f);
	xml_text(f, name, true);
	fputc('[', f);
	xml_text(f, r->ip, true);
	fprintf(f, "]\" time=\"%.3f\"", isfinite(r->duration_ms) ? r->duration_ms / 1000.0 : 0.0);
	if (r->verdict == VERDICT_PASS) {
		fputs("/>\n", f);
		return;
	}
	fputs(">\n", f);
	if (r->verdict == VERDICT_SKIP) {
		fputs("    <skipped message=\"", f);
		xml_text(f, r->message, true);
		fputs("\"/>\n", f);
	} else {
		fputs("    <failure message=\"", f);
		xml_text(f, r->message, true);
		fputs("\">", f);
		xml_text(f, r->message, false);
		for (size_t i = 0; i < r->ntimings; i++) {
			const struct timing *t = &r->timings[i];

			fprintf(f, "\nline %d ", t->line);
			xml_text(f, t->packet, false);
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

int report_write_junit(const char *path, const struct record *r, size_t n, char **error)
{
	size_t failures = 0, skipped = 0, len;
	double total = 0;
	char *buf;
	FILE *f;

	for (size_t i = 0; i < n; i++) {
		failures += r[i].verdict == VERDICT_FAIL;
		skipped += r[i].verdict == VERDICT_SKIP;
		if (isfinite(r[i].duration_ms))
			total += r[i].duration_ms;
	}
	f = mem_open(&buf, &len);
	if (!f)
		return error_set(error, "out of memory");
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuite name=\"tcpconf\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
		"skipped=\"%zu\" time=\"%.3f\">\n", n, failures, skipped, total / 1000.0);
	if (n && r[0].kernel && *r[0].kernel) {
		fputs("  <properties>\n    <property name=\"kernel\" value=\"", f);
		xml_text(f, r[0].kernel, true);
		fputs("\"/>\n  </properties>\n", f);
	}
	for (size_t i = 0; i < n; i++)
		junit_testcase(f, &r[i]);
	fputs("</testsuite>\n", f);
	return mem_commit(f, &buf, &len, path, error);
}

/* ---- meta.json ---- */

/* The settings that change what goes on the wire when a connection closes. */
static const char *const meta_sysctls[] = {
	"net.ipv4.tcp_timestamps", "net.ipv4.tcp_sack", "net.ipv4.tcp_window_scaling",
	"net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_tw_reuse", "net.ipv4.tcp_rmem",
	"net.ipv4.tcp_wmem", "net.ipv4.tcp_autocorking", "net.core.somaxconn",
};
#define NSYSCTLS (sizeof(meta_sysctls) / sizeof(meta_sysctls[0]))

/* One sysctl's value with its white space folded ("4096\t131072" -> "4096 131072"),
 * "" when this kernel lacks it. */
static void sysctl_folded(const char *name, char *out, size_t size)
{
	char raw[256];
	size_t o = 0;

	out[0] = '\0';
	if (sysctl_get(name, raw, sizeof(raw), NULL) < 0)
		return;
	for (char *tok = strtok(raw, " \t\n"); tok && o + 1 < size; tok = strtok(NULL, " \t\n"))
		o += snprintf(out + o, size - o, "%s%s", o ? " " : "", tok);
}

/*
 * Values as a new namespace (a case's test bed) sees them, not as the
 * host's namespace has them: a child unshares its network namespace and
 * sends back "fresh" or "current" then one line per sysctl.  Without the
 * privilege to unshare, the current namespace's values are all there is.
 */
static int sysctls_fresh(char values[NSYSCTLS][128], bool *fresh, char **error)
{
	char buf[NSYSCTLS * 130 + 16];
	size_t len = 0;
	int p[2], status;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return error_set(error, "pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return error_set(error, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		char v[128];
		bool ok = unshare(CLONE_NEWNET) == 0;

		close(p[0]);
		if (dprintf(p[1], "%s\n", ok ? "fresh" : "current") < 0)
			_exit(1);
		for (size_t i = 0; i < NSYSCTLS; i++) {
			sysctl_folded(meta_sysctls[i], v, sizeof(v));
			if (dprintf(p[1], "%s\n", v) < 0)
				_exit(1);
		}
		_exit(0);
	}
	close(p[1]);
	for (;;) {
		ssize_t n = read(p[0], buf + len, sizeof(buf) - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
		if (len == sizeof(buf) - 1)
			break;
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	buf[len] = '\0';
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return error_set(error, "reading sysctls: the helper process failed");

	/* Line by line, by hand: an empty line is a sysctl this kernel lacks. */
	char *cur = buf, *nl = memchr(buf, '\n', len);
	size_t i = 0;

	if (!nl)
		return error_set(error, "reading sysctls: no answer from the helper process");
	*nl = '\0';
	*fresh = !strcmp(cur, "fresh");
	cur = nl + 1;
	while (i < NSYSCTLS && (nl = memchr(cur, '\n', buf + len - cur))) {
		*nl = '\0';
		snprintf(values[i++], 128, "%s", cur);
		cur = nl + 1;
	}
	if (i != NSYSCTLS)
		return error_set(error, "reading sysctls: short answer from the helper process");
	return STATUS_OK;
}

int report_write_meta(const char *path, const char *version, char **error)
{
	char values[NSYSCTLS][128], date[32], *buf;
	bool fresh = false;
	struct utsname u;
	struct tm tm;
	time_t now = time(NULL);
	size_t len;
	FILE *f;

	if (sysctls_fresh(values, &fresh, error) < 0)
		return error_prefix(error, "%s", path);
	if (uname(&u) < 0)
		return error_set(error, "uname: %s", strerror(errno));
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	f = mem_open(&buf, &len);
	if (!f)
		return error_set(error, "out of memory");
	fputs("{\n  \"kernel\": ", f);
	json_string(f, u.release);
	fputs(",\n  \"kernel_version\": ", f);
	json_string(f, u.version);
	fputs(",\n  \"machine\": ", f);
	json_string(f, u.machine);
	fputs(",\n  \"tcpconf_version\": ", f);
	json_string(f, version);
	fputs(",\n  \"date\": ", f);
	json_string(f, date);
	fputs(",\n  \"namespace\": ", f);
	json_string(f, fresh ? "fresh" : "current");
	fputs(",\n  \"sysctls\": {", f);
	for (size_t i = 0; i < NSYSCTLS; i++) {
		fprintf(f, "%s\n    ", i ? "," : "");
		json_string(f, meta_sysctls[i]);
		fputs(": ", f);
		if (values[i][0])
			json_string(f, values[i]);
		else
			fputs("null", f);
	}
	fputs("\n  }\n}\n", f);
	return mem_commit(f, &buf, &len, path, error);
}

/* ---- reading results.jsonl ---- */

int report_read_jsonl(const char *path, struct record **records, size_t *n, char **error)
{
	struct record *r = NULL;
	size_t count = 0, cap = 0, lineno = 0, size = 0;
	char *line = NULL;
	ssize_t len;
	FILE *f = fopen(path, "re");

	if (!f)
		return error_set(error, "%s: %s", path, strerror(errno));
	while ((len = getline(&line, &size, f)) >= 0) {
		size_t i = 0;

		lineno++;
		if (memchr(line, '\0', len)) {
			error_set(error, "%s:%zu: NUL byte in line", path, lineno);
			goto fail;
		}
		while (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\n')
			i++;
		if (!line[i])
			continue;
		if (count == cap) {
			size_t ncap = cap ? 2 * cap : 64;
			struct record *nr = realloc(r, ncap * sizeof(*nr));

			if (!nr) {
				error_set(error, "out of memory");
				goto fail;
			}
			r = nr;
			cap = ncap;
		}
		if (report_json_parse(line, &r[count], error) < 0) {
			error_prefix(error, "%s:%zu", path, lineno);
			goto fail;
		}
		count++;
	}
	if (ferror(f)) {
		error_set(error, "%s: %s", path, strerror(errno));
		goto fail;
	}
	free(line);
	fclose(f);
	if (!r && !(r = calloc(1, sizeof(*r))))
		return error_set(error, "out of memory");
	*records = r;
	*n = count;
	return STATUS_OK;
fail:
	free(line);
	fclose(f);
	report_free_all(r, count);
	return STATUS_ERROR;
}
