/*
 * coverage.c - see coverage.h.
 *
 * The list of requirements is the reference: a case citing a requirement
 * the list lacks is a typo until proven otherwise, and a requirement with
 * neither a case nor a reason is a hole the table must show, not hide.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "error.h"
#include "output.h"
#include "report.h"
#include "run.h"

#define COVERAGE_LINE_MAX	1024	/* a requirement is one sentence */
#define COVERAGE_CASE_MAX	(1 << 20)	/* bytes of a script read for its tags */

struct requirement {
	char *text;
	char *reason;		/* why no case checks it, or NULL */
	int line;		/* in the list */
};

struct tagged_case {
	char *name;
	char **reqs;
	size_t nreqs;
};

struct column {
	char *label;
	struct record *rec;
	size_t n;
};

struct coverage {
	struct requirement *req;
	size_t nreq;
	struct tagged_case *cs;
	size_t ncs;
	struct column *col;
	size_t ncol;
	const char *dir;	/* during coverage_read_cases */
};

struct coverage *coverage_new(void)
{
	return calloc(1, sizeof(struct coverage));
}

void coverage_free(struct coverage *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nreq; i++) {
		free(c->req[i].text);
		free(c->req[i].reason);
	}
	for (size_t i = 0; i < c->ncs; i++) {
		for (size_t k = 0; k < c->cs[i].nreqs; k++)
			free(c->cs[i].reqs[k]);
		free(c->cs[i].reqs);
		free(c->cs[i].name);
	}
	for (size_t i = 0; i < c->ncol; i++) {
		free(c->col[i].label);
		report_free_all(c->col[i].rec, c->col[i].n);
	}
	free(c->req);
	free(c->cs);
	free(c->col);
	free(c);
}

static int grow(void *arrayp, size_t n, size_t size)
{
	void **array = arrayp;
	void *p = realloc(*array, (n + 1) * size);

	if (!p)
		return -1;
	*array = p;
	memset((char *)p + n * size, 0, size);
	return 0;
}

/* Trailing blanks and the newline off, in place. */
static void chomp(char *s)
{
	size_t len = strlen(s);

	while (len && (s[len - 1] == '\n' || s[len - 1] == ' ' || s[len - 1] == '\t' ||
		       s[len - 1] == '\r'))
		s[--len] = '\0';
}

static const struct requirement *find_req(const struct coverage *c, const char *text)
{
	for (size_t i = 0; i < c->nreq; i++)
		if (!strcmp(c->req[i].text, text))
			return &c->req[i];
	return NULL;
}

/* One line of the list: a requirement, a reason under the last one, or nothing. */
static int list_line(struct coverage *c, char *s, const char *path, int line, char **error)
{
	struct requirement *last = c->nreq ? &c->req[c->nreq - 1] : NULL;

	chomp(s);
	if (!*s || s[0] == '#')
		return 0;
	if (s[0] == ' ' || s[0] == '\t') {
		s += strspn(s, " \t");
		/* chomp() took the blank after the colon of an empty reason */
		if (strncmp(s, COVERAGE_UNCOVERED, strlen(COVERAGE_UNCOVERED) - 1))
			return error_set(error, "%s:%d: expected \"%sREASON\" under a requirement",
					 path, line, COVERAGE_UNCOVERED);
		if (!last || last->reason)
			return error_set(error, "%s:%d: a reason, but no requirement without one above it",
					 path, line);
		s += strlen(COVERAGE_UNCOVERED) - 1;
		s += strspn(s, " \t");
		if (!*s)
			return error_set(error, "%s:%d: empty reason", path, line);
		last->reason = strdup(s);
		return last->reason ? 0 : error_set(error, "out of memory");
	}
	if (find_req(c, s))
		return error_set(error, "%s:%d: requirement listed twice: %s", path, line, s);
	if (grow(&c->req, c->nreq, sizeof(*c->req)) < 0 || !(c->req[c->nreq].text = strdup(s)))
		return error_set(error, "out of memory");
	c->req[c->nreq++].line = line;
	return 0;
}

int coverage_read_list(struct coverage *c, const char *path, char **error)
{
	char buf[COVERAGE_LINE_MAX + 2];
	int line = 0, rc = 0;
	FILE *f = fopen(path, "re");

	if (!f)
		return error_set(error, "%s: %s", path, strerror(errno));
	while (rc == 0 && fgets(buf, sizeof(buf), f)) {
		line++;
		if (!strchr(buf, '\n') && !feof(f))
			rc = error_set(error, "%s:%d: line longer than %d bytes", path, line,
				       COVERAGE_LINE_MAX);
		else
			rc = list_line(c, buf, path, line, error);
	}
	if (rc == 0 && ferror(f))
		rc = error_set(error, "%s: %s", path, strerror(errno));
	fclose(f);
	return rc;
}

static char *name_under(const char *dir, const char *path)
{
	size_t dl = strlen(dir), len;
	const char *p = path;
	char *name;

	if (!strncmp(path, dir, dl))
		p += dl;
	while (*p == '/')
		p++;
	name = strdup(p);
	len = name ? strlen(name) : 0;
	if (len > 4 && !strcmp(name + len - 4, ".pkt"))
		name[len - 4] = '\0';
	return name;
}

static int add_tag(struct tagged_case *tc, const char *text)
{
	if (grow(&tc->reqs, tc->nreqs, sizeof(*tc->reqs)) < 0 ||
	    !(tc->reqs[tc->nreqs] = strdup(text)))
		return -1;
	tc->nreqs++;
	return 0;
}

/* run_walk's callback: -1 only when out of memory, as it expects. */
static int read_case(const char *path, void *arg)
{
	struct coverage *c = arg;
	struct tagged_case *tc;
	char buf[COVERAGE_LINE_MAX + 2];
	size_t bytes = 0;
	int rc = 0;
	FILE *f;

	if (grow(&c->cs, c->ncs, sizeof(*c->cs)) < 0)
		return -1;
	tc = &c->cs[c->ncs];
	if (!(tc->name = name_under(c->dir, path)))
		return -1;
	c->ncs++;
	f = fopen(path, "re");
	if (!f)
		return 0;	/* listed without requirement: a problem the table reports */
	while (rc == 0 && bytes < COVERAGE_CASE_MAX && fgets(buf, sizeof(buf), f)) {
		bytes += strlen(buf);
		chomp(buf);
		if (!strncmp(buf, COVERAGE_TAG, strlen(COVERAGE_TAG)))
			rc = add_tag(tc, buf + strlen(COVERAGE_TAG));
	}
	fclose(f);
	return rc;
}

int coverage_read_cases(struct coverage *c, const char *dir, char **error)
{
	int rc;

	c->dir = dir;
	rc = run_walk(dir, read_case, c, error);
	c->dir = NULL;
	return rc;
}

int coverage_read_results(struct coverage *c, const char *dir, char **error)
{
	struct column *col;
	const char *base;
	char *path;
	int rc;

	if (grow(&c->col, c->ncol, sizeof(*c->col)) < 0 ||
	    asprintf(&path, "%s/results.jsonl", dir) < 0)
		return error_set(error, "out of memory");
	col = &c->col[c->ncol];
	rc = report_read_jsonl(path, &col->rec, &col->n, error);
	free(path);
	if (rc < 0)
		return rc;
	col->label = strdup(dir);
	if (!col->label)
		return error_set(error, "out of memory");
	while (strlen(col->label) > 1 && col->label[strlen(col->label) - 1] == '/')
		col->label[strlen(col->label) - 1] = '\0';	/* "results/6.1/" */
	base = strrchr(col->label, '/');
	if (base && base[1])
		memmove(col->label, base + 1, strlen(base));
	c->ncol++;
	return 0;
}

/* "pass" when every IP version passed, "FAIL" when one failed, "skip", or "-". */
static const char *cell(const struct column *col, const char *name)
{
	bool seen = false, fail = false, pass = false;

	for (size_t i = 0; i < col->n; i++) {
		if (strcmp(record_str(col->rec[i].name), name))
			continue;
		seen = true;
		fail |= col->rec[i].verdict == VERDICT_FAIL;
		pass |= col->rec[i].verdict == VERDICT_PASS;
	}
	return !seen ? "-" : fail ? "FAIL" : pass ? "pass" : "skip";
}

static bool case_cites(const struct tagged_case *tc, const char *text)
{
	for (size_t k = 0; k < tc->nreqs; k++)
		if (!strcmp(tc->reqs[k], text))
			return true;
	return false;
}

size_t coverage_problems(const struct coverage *c, char **problems)
{
	size_t n = 0, len = 0;
	FILE *f = open_memstream(problems, &len);

	if (!f) {
		*problems = NULL;
		return 1;
	}
	for (size_t i = 0; i < c->ncs; i++) {
		const struct tagged_case *tc = &c->cs[i];

		if (!tc->nreqs && ++n)
			fprintf(f, "%s: names no requirement (a \"%s\" line)\n", tc->name,
				COVERAGE_TAG);
		for (size_t k = 0; k < tc->nreqs; k++)
			if (!find_req(c, tc->reqs[k]) && ++n)
				fprintf(f, "%s: requirement not in the list: %s\n", tc->name,
					tc->reqs[k]);
	}
	for (size_t i = 0; i < c->nreq; i++) {
		bool covered = false;

		for (size_t j = 0; j < c->ncs && !covered; j++)
			covered = case_cites(&c->cs[j], c->req[i].text);
		if (!covered && !c->req[i].reason && ++n)
			fprintf(f, "no case and no reason: %s\n", c->req[i].text);
	}
	fclose(f);
	return n;
}

/* One row: requirement (or blank when it repeats), case, then a cell per
 * column: the case's verdicts, or empty cells when name says there is none. */
static void row(FILE *f, const struct coverage *c, bool md, const char *req,
		const char *name, bool verdicts)
{
	if (md) {
		fprintf(f, "| %s | %s |", req, name);
		for (size_t k = 0; k < c->ncol; k++)
			fprintf(f, " %s |", verdicts ? cell(&c->col[k], name) : "");
		fputc('\n', f);
		return;
	}
	if (*req)
		fprintf(f, "%s\n", req);
	fprintf(f, "    %s", name);
	for (size_t k = 0; verdicts && k < c->ncol; k++)
		fprintf(f, "%*s%s", k ? 2 : (int)(strlen(name) < 50 ? 52 - strlen(name) : 2), "",
			cell(&c->col[k], name));
	fputc('\n', f);
}

static void table(FILE *f, const struct coverage *c, bool md)
{
	if (md) {
		fprintf(f, "| Requirement | Case |");
		for (size_t k = 0; k < c->ncol; k++)
			fprintf(f, " %s |", c->col[k].label);
		fprintf(f, "\n|---|---|");
		for (size_t k = 0; k < c->ncol; k++)
			fprintf(f, "---|");
		fputc('\n', f);
	} else {
		for (size_t k = 0; k < c->ncol; k++)
			fprintf(f, "column %zu: %s\n", k + 1, c->col[k].label);
	}
	for (size_t i = 0; i < c->nreq; i++) {
		const char *text = c->req[i].text;
		bool any = false;

		for (size_t j = 0; j < c->ncs; j++) {
			if (!case_cites(&c->cs[j], text))
				continue;
			row(f, c, md, any ? "" : text, c->cs[j].name, true);
			any = true;
		}
		if (!any) {
			char *why = NULL;

			if (asprintf(&why, "(no case: %s)", c->req[i].reason ? c->req[i].reason
								      : "MISSING") < 0)
				why = NULL;
			row(f, c, md, text, why ? why : "(no case)", false);
			free(why);
		}
	}
}

int coverage_format(const struct coverage *c, const char *format, char **out,
		    size_t *len, char **error)
{
	bool md;
	FILE *f;

	if (!strcmp(format, "markdown"))
		md = true;
	else if (!strcmp(format, "text"))
		md = false;
	else
		return error_set(error, "--format: expected text or markdown vs actual \"%s\"",
				 format);
	f = open_memstream(out, len);
	if (!f)
		return error_set(error, "out of memory");
	table(f, c, md);
	if (fclose(f) != 0)
		return error_set(error, "out of memory");
	return 0;
}

static void coverage_usage(FILE *f)
{
	fprintf(f,
		"usage: tcpconf coverage [options] [RESULTS_DIR...]\n"
		"  --cases DIR       the cases to read \"%s\" lines from (default cases)\n"
		"  --list FILE       the requirements (default DIR/requirements.txt)\n"
		"  --format F        text (default) or markdown\n"
		"  --output FILE     write the table there ('-': standard output, the default)\n"
		"Each RESULTS_DIR (results/<kernel>) adds a column of verdicts.\n"
		"Exit status: 0, 1 when a case names no listed requirement or a requirement\n"
		"has neither a case nor a reason, 2 on errors.\n", COVERAGE_TAG);
}

static int coverage_run(const char *cases, const char *list, const char *format,
			const char *output, char **dirs, int ndirs)
{
	struct coverage *c = coverage_new();
	char *error = NULL, *out = NULL, *problems = NULL, *deflist = NULL;
	size_t len = 0, n = 0;
	int rc = c ? 0 : error_set(&error, "out of memory");

	if (rc == 0 && !list && asprintf(&deflist, "%s/requirements.txt", cases) < 0)
		rc = error_set(&error, "out of memory");
	if (rc == 0)
		rc = coverage_read_list(c, list ? list : deflist, &error);
	if (rc == 0)
		rc = coverage_read_cases(c, cases, &error);
	for (int i = 0; rc == 0 && i < ndirs; i++)
		rc = coverage_read_results(c, dirs[i], &error);
	if (rc == 0)
		rc = coverage_format(c, format, &out, &len, &error);
	if (rc == 0)
		rc = output_write(output, out, len, &error);
	if (rc == 0 && (n = coverage_problems(c, &problems)))
		fprintf(stderr, "%stcpconf coverage: %zu problem%s\n", problems ? problems : "",
			n, n == 1 ? "" : "s");
	if (rc < 0)
		fprintf(stderr, "tcpconf coverage: %s\n", error);
	free(error);
	free(out);
	free(problems);
	free(deflist);
	coverage_free(c);
	return rc < 0 ? 2 : n ? 1 : 0;
}

int cmd_coverage(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cases", required_argument, NULL, 'c' },
		{ "list", required_argument, NULL, 'l' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *cases = "cases", *list = NULL, *format = "text", *output = "-";
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': cases = optarg; break;
		case 'l': list = optarg; break;
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case 'h': coverage_usage(stdout); return 0;
		default: coverage_usage(stderr); return 2;
		}
	}
	return coverage_run(cases, list, format, output, argv + optind, argc - optind);
}
