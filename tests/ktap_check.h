/* ktap_check.h - a strict KTAP version 1 reader for the tests: tcpconf's KTAP must parse by Documentation/dev-tools/ktap.rst's rules. */
#ifndef TCPCONF_TESTS_KTAP_CHECK_H
#define TCPCONF_TESTS_KTAP_CHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a KTAP document said. */
struct ktap_summary {
	long plan;			/* the "1..N" line's N */
	long pass, fail, skip;		/* test lines by result ("ok ... # SKIP" is a skip) */
	bool bailed;			/* a "Bail out!" line */
	bool totals;			/* kselftest's "# Totals:" line, which agreed with the counts */
};

/* Is s a decimal number (no sign, at least one digit) up to end?  Its value in *v. */
static inline bool ktap_number(const char *s, const char *end, long *v)
{
	char *e;

	if (s >= end || *s < '0' || *s > '9')
		return false;
	*v = strtol(s, &e, 10);
	return e == end;
}

/* "ok N desc", "not ok N desc", with an optional " # SKIP ..." directive. */
static inline const char *ktap_result(const char *line, struct ktap_summary *s, long *next)
{
	bool ok = !strncmp(line, "ok ", 3);
	const char *p = line + (ok ? 3 : 7), *end = p + strcspn(p, " ");
	const char *hash;
	long n;

	if (!ktap_number(p, end, &n) || n != *next)
		return "test numbers must count up from 1";
	++*next;
	/* the first '#' not escaped by '\' starts the directive */
	for (hash = end; (hash = strchr(hash, '#')) && hash[-1] == '\\'; hash++)
		;
	if (hash && (hash[-1] != ' ' || hash[1] != ' '))
		return "a directive is \" # \" then its name";
	if (hash && !strncmp(hash + 2, "SKIP", 4)) {
		if (!ok)
			return "a skipped test's result must be \"ok\"";
		s->skip++;
	} else if (hash) {
		return "unknown directive (only SKIP is expected)";
	} else {
		*(ok ? &s->pass : &s->fail) += 1;
	}
	return NULL;
}

/* kselftest's totals line must agree with the test lines. */
static inline const char *ktap_totals(const char *line, struct ktap_summary *s)
{
	long pass, fail, xfail, xpass, skip, error;

	if (sscanf(line, "# Totals: pass:%ld fail:%ld xfail:%ld xpass:%ld skip:%ld error:%ld",
		   &pass, &fail, &xfail, &xpass, &skip, &error) != 6)
		return "malformed \"# Totals:\" line";
	if (pass != s->pass || fail != s->fail || skip != s->skip || xfail || xpass ||
	    error != (long)s->bailed)
		return "\"# Totals:\" disagrees with the test lines";
	s->totals = true;
	return NULL;
}

/*
 * Check text line by line: the version line, the plan, then test lines
 * numbered from 1, diagnostic lines ("#"), at most one "Bail out!" after
 * which only diagnostics may follow; without one the tests must fill the
 * plan.  Lines ktap.rst calls unknown are refused here: tcpconf writes
 * none.  NULL when it parses, else why not, with the line number in buf.
 */
static inline const char *ktap_check(const char *text, struct ktap_summary *s, char *buf,
				     size_t size)
{
	const char *why = NULL, *p = text;
	long lineno = 0, next = 1;

	memset(s, 0, sizeof(*s));
	s->plan = -1;
	while (*p && !why) {
		size_t len = strcspn(p, "\n");
		char *line = strndup(p, len);

		lineno++;
		if (lineno == 1)
			why = strcmp(line, "KTAP version 1") ? "first line is not \"KTAP version 1\"" : NULL;
		else if (lineno == 2)
			why = strncmp(line, "1..", 3) || !ktap_number(line + 3, line + len, &s->plan) ?
			      "second line is not the plan \"1..N\"" : NULL;
		else if (!strncmp(line, "# Totals:", 9))
			why = ktap_totals(line, s);
		else if (line[0] == '#')
			why = NULL;
		else if (s->bailed)
			why = "only diagnostics may follow \"Bail out!\"";
		else if (!strncmp(line, "Bail out!", 9))
			s->bailed = true;
		else if (!strncmp(line, "ok ", 3) || !strncmp(line, "not ok ", 7))
			why = ktap_result(line, s, &next);
		else
			why = "not a KTAP line";
		free(line);
		p += len + (p[len] == '\n');
	}
	if (!why && lineno < 2)
		why = "no plan";
	if (!why && !s->bailed && next - 1 != s->plan)
		why = "the tests do not fill the plan, and there is no \"Bail out!\"";
	if (why)
		snprintf(buf, size, "line %ld: %s", lineno, why);
	return why ? buf : NULL;
}

#endif
