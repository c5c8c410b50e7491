/*
 * report.c - see report.h: the document plumbing the writers share, and
 * results.jsonl both ways (the records' JSON itself is json.c's).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int report_write_jsonl(const char *path, const struct record *r, size_t n, char **error)
{
	struct report_doc d;

	if (report_doc_open(&d, error) < 0)
		return STATUS_ERROR;
	for (size_t i = 0; i < n; i++) {
		json_put_record(d.f, &r[i]);
		fputc('\n', d.f);
	}
	return report_doc_commit(&d, path, error);
}

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
