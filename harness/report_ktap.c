/*
 * report_ktap.c - KTAP version 1 as cases finish, kselftest's way (see
 * report.h).  Documentation/dev-tools/ktap.rst: a "KTAP version 1" header,
 * a plan "1..N", one "ok N description" or "not ok N description" line a
 * test with an optional "# SKIP reason" directive, diagnostic lines
 * starting with "#", and "Bail out!" when the run stops early.  kselftest
 * ends with "# Totals: pass:N fail:N xfail:0 xpass:0 skip:N error:0".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "output.h"
#include "report.h"
#include "report_int.h"

struct report_ktap {
	char *path;
	int fd;			/* a stream written line by line; -1: a file written at the end */
	struct report_doc doc;	/* the current line (stream) or the whole file */
	size_t number;		/* tests reported so far */
	size_t count[3];	/* by verdict */
	int werrno;		/* the first write error on the stream, or 0 */
};

/* A stream: a named descriptor, or an existing FIFO, terminal, socket. */
static int open_stream(const char *path)
{
	int fd = output_named_fd(path);
	struct stat sb;

	if (fd >= 0)
		return fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (stat(path, &sb) < 0 || S_ISREG(sb.st_mode) || S_ISDIR(sb.st_mode))
		return -2;	/* a file: written whole, at the end */
	return open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
}

/* Hand what the document holds to the stream, and start it afresh. */
static void flush_lines(struct report_ktap *k)
{
	const char *p;
	size_t left;

	if (k->fd < 0 || fflush(k->doc.f))
		return;
	for (p = k->doc.buf, left = k->doc.len; left && !k->werrno; ) {
		ssize_t w = write(k->fd, p, left);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			k->werrno = w < 0 ? errno : EIO;
		else
			p += w, left -= w;
	}
	rewind(k->doc.f);
	fflush(k->doc.f);
	k->doc.len = 0;
}

struct report_ktap *report_ktap_open(const char *path, size_t planned, char **error)
{
	struct report_ktap *k = calloc(1, sizeof(*k));

	if (!k || !(k->path = strdup(path))) {
		free(k);
		error_set(error, "out of memory");
		return NULL;
	}
	k->fd = open_stream(path);
	if (k->fd == -1) {
		error_set(error, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (report_doc_open(&k->doc, error) < 0)
		goto fail;
	fprintf(k->doc.f, "KTAP version 1\n1..%zu\n", planned);
	flush_lines(k);
	return k;
fail:
	if (k->fd >= 0)
		close(k->fd);
	free(k->path);
	free(k);
	return NULL;
}

/* Each line of text as a diagnostic ("# ..."), control bytes flattened. */
static void put_diagnostic(FILE *f, const char *text)
{
	const char *p = record_str(text);

	while (*p) {
		size_t n = strcspn(p, "\n");
		char *line = strndup(p, n);

		fputs("# ", f);
		report_tap_text(f, line ? line : "", false);
		fputc('\n', f);
		free(line);
		p += n + (p[n] == '\n');
	}
}

void report_ktap_note(struct report_ktap *k, const char *text)
{
	put_diagnostic(k->doc.f, text);
	flush_lines(k);
}

void report_ktap_case(struct report_ktap *k, const struct record *r)
{
	FILE *f = k->doc.f;

	k->count[r->verdict]++;
	if (r->verdict == VERDICT_FAIL)
		put_diagnostic(f, r->message);
	fprintf(f, "# time=%.3fs\n", r->duration_ms >= 0 ? r->duration_ms / 1000.0 : 0.0);
	fprintf(f, "%s %zu ", r->verdict == VERDICT_FAIL ? "not ok" : "ok", ++k->number);
	report_tap_text(f, r->name, true);
	fputs(" [", f);
	report_tap_text(f, r->ip, true);
	fputc(']', f);
	if (r->verdict == VERDICT_SKIP) {
		fputs(" # SKIP", f);
		if (*record_str(r->message)) {
			fputc(' ', f);
			report_tap_text(f, r->message, false);
		}
	}
	fputc('\n', f);
	flush_lines(k);
}

int report_ktap_close(struct report_ktap *k, const struct report_run *run, char **error)
{
	char why[160];
	int rc = STATUS_OK;

	report_incomplete_text(run, why, sizeof(why));
	if (*why)
		fprintf(k->doc.f, "Bail out! %s\n", why);
	fprintf(k->doc.f, "# Totals: pass:%zu fail:%zu xfail:0 xpass:0 skip:%zu error:%d\n",
		k->count[VERDICT_PASS], k->count[VERDICT_FAIL], k->count[VERDICT_SKIP],
		*why != 0);
	if (k->fd >= 0) {
		flush_lines(k);
		fclose(k->doc.f);
		free(k->doc.buf);
		if (k->werrno)
			rc = error_set(error, "%s: %s", k->path, strerror(k->werrno));
		close(k->fd);
	} else {
		rc = report_doc_commit(&k->doc, k->path, error);
	}
	free(k->path);
	free(k);
	return rc;
}
