/*
 * report.c - see report.h: the document plumbing the writers share, and
 * results.jsonl both ways (the records' JSON itself is json.c's).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "array.h"
#include "error.h"
#include "json.h"
#include "output.h"
#include "report.h"
#include "report_int.h"

void report_free_all(struct record *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++)
		record_clear(&r[i]);
	free(r);
}

int report_doc_open(struct report_doc *d, char **error)
{
	d->buf = NULL;
	d->len = 0;
	d->f = open_memstream(&d->buf, &d->len);
	if (!d->f)
		return error_set(error, "out of memory");
	return STATUS_OK;
}

int report_doc_commit(struct report_doc *d, const char *path, char **error)
{
	int rc;

	if (ferror(d->f) | fclose(d->f)) {
		free(d->buf);
		return error_set(error, "out of memory");
	}
	rc = output_write(path, d->buf, d->len, error);
	free(d->buf);
	return rc;
}

void report_incomplete_text(const struct report_run *run, char *buf, size_t size)
{
	if (!run || !run->stop_signal) {
		snprintf(buf, size, "%s", "");
		return;
	}
	snprintf(buf, size, "interrupted by signal %d (%s): %zu of %zu cases did not finish",
		 run->stop_signal, strsignal(run->stop_signal), run->unfinished, run->planned);
}

int report_write_jsonl_run(const char *path, const struct record *r, size_t n,
			   const struct report_run *run, char **error)
{
	struct report_doc d;
	char why[160];

	if (report_doc_open(&d, error) < 0)
		return STATUS_ERROR;
	for (size_t i = 0; i < n; i++) {
		json_put_record(d.f, &r[i]);
		fputc('\n', d.f);
	}
	/* the last line says the run was cut short; report_read_jsonl knows it */
	report_incomplete_text(run, why, sizeof(why));
	if (*why) {
		fputs("{\"incomplete\": ", d.f);
		json_put_string(d.f, why);
		fprintf(d.f, ", \"signal\": %d, \"planned\": %zu, \"unfinished\": %zu}\n",
			run->stop_signal, run->planned, run->unfinished);
	}
	return report_doc_commit(&d, path, error);
}

int report_write_jsonl(const char *path, const struct record *r, size_t n, char **error)
{
	return report_write_jsonl_run(path, r, n, NULL, error);
}

/* Is line the "incomplete" mark an interrupted run ends results.jsonl with? */
static bool incomplete_line(const char *line)
{
	static const char *const keys[] = { "incomplete" };
	char *values[1] = { NULL }, *error = NULL;
	bool yes;

	if (!strstr(line, "\"incomplete\"") ||
	    json_object_strings(line, keys, values, 1, &error) < 0) {
		free(error);
		return false;
	}
	yes = values[0] != NULL;
	free(values[0]);
	return yes;
}

enum { LINE_END = -1, LINE_LONG = -2, LINE_NUL = -3, LINE_BIG = -4, LINE_NOMEM = -5 };

/*
 * The next line of f, without its newline, NUL-terminated in *line (grown
 * as needed): its length, or one of the LINE_ values.  *total counts every
 * byte read from f.  A reader of a file that might be /dev/zero stops at
 * the first NUL, a line at REPORT_LINE_MAX, a file at REPORT_FILE_MAX:
 * getline() grew to 24 GB on /dev/zero before the OOM killer came.
 */
static ssize_t read_line(FILE *f, char **line, size_t *size, size_t *total)
{
	size_t len = 0;
	int c;

	while ((c = getc_unlocked(f)) != EOF) {
		if (++*total > REPORT_FILE_MAX)
			return LINE_BIG;
		if (c == '\n')
			break;
		if (c == '\0')
			return LINE_NUL;
		if (len == REPORT_LINE_MAX)
			return LINE_LONG;
		if (len + 1 >= *size) {
			size_t nsize = *size ? 2 * *size : 4096;
			char *nl = realloc(*line, nsize);

			if (!nl)
				return LINE_NOMEM;
			*line = nl;
			*size = nsize;
		}
		(*line)[len++] = c;
	}
	if (c == EOF && len == 0)
		return LINE_END;
	if (!*line && !(*line = malloc(*size = 1)))
		return LINE_NOMEM;
	(*line)[len] = '\0';
	return len;
}

/* Why read_line stopped, as an error naming the file and line. */
static int line_error(const char *path, size_t lineno, ssize_t why, char **error)
{
	switch (why) {
	case LINE_LONG:
		return error_set(error, "%s:%zu: line longer than %d bytes", path, lineno,
				 REPORT_LINE_MAX);
	case LINE_NUL:
		return error_set(error, "%s:%zu: NUL byte in line", path, lineno);
	case LINE_BIG:
		return error_set(error, "%s: larger than %d bytes", path, REPORT_FILE_MAX);
	}
	return error_set(error, "out of memory");
}

int report_read_jsonl(const char *path, struct record **records, size_t *n, char **error)
{
	struct record *r = NULL, *grown;
	size_t count = 0, cap = 0, lineno = 0, size = 0, total = 0;
	char *line = NULL;
	struct stat sb;
	ssize_t len;
	FILE *f = fopen(path, "re");

	if (!f)
		return error_set(error, "%s: %s", path, strerror(errno));
	if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > REPORT_FILE_MAX) {
		error_set(error, "%s: larger than %d bytes", path, REPORT_FILE_MAX);
		goto fail;
	}
	while ((len = read_line(f, &line, &size, &total)) != LINE_END) {
		size_t i = 0;

		lineno++;
		if (len < 0) {
			line_error(path, lineno, len, error);
			goto fail;
		}
		while (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')
			i++;
		if (!line[i] || incomplete_line(line + i))
			continue;
		grown = array_room(r, count, &cap, sizeof(*grown), 64);
		if (!grown) {
			error_set(error, "out of memory");
			goto fail;
		}
		r = grown;
		if (json_record_parse(line, &r[count], error) < 0) {
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
