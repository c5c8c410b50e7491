/*
 * compare.c - see compare.h.
 *
 * The matrix has one row per (case, IP version) seen in any directory and
 * one column per directory.  A row "differs" when some column's verdict is
 * not the others' or the column has no record for it at all.  Within a
 * differing row the cells unlike the most common verdict are the ones
 * highlighted, so one odd kernel stands out against the rest.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare.h"
#include "compare_int.h"
#include "error.h"
#include "report.h"

#define SHORT_MESSAGE	160	/* bytes of a message shown next to a verdict */
#define QUIET_MS	1.0	/* timings below this are "at once" on a terminal */

enum format { FORMAT_TEXT, FORMAT_MARKDOWN, FORMAT_HTML };

static int cell_value(const struct record *r)
{
	return r ? (int)r->verdict : -1;
}

const char *compare_cell_name(const struct record *r)
{
	return r ? verdict_name(r->verdict) : "-";
}

bool compare_cell_odd(const struct row *row, size_t k)
{
	return row->differs && cell_value(row->cell[k]) != row->mode;
}

/* ---- loading ---- */

static int load_column(struct column *c, const char *arg, char **error)
{
	struct stat sb;
	char *path = NULL;
	size_t len;
	int rc;

	c->dir = strdup(arg);
	if (!c->dir)
		return error_set(error, "out of memory");
	len = strlen(c->dir);
	while (len > 1 && c->dir[len - 1] == '/')
		c->dir[--len] = '\0';
	if (stat(c->dir, &sb) < 0)
		return error_set(error, "%s: %s", c->dir, strerror(errno));
	if (S_ISDIR(sb.st_mode)) {
		if (asprintf(&path, "%s/results.jsonl", c->dir) < 0)
			return error_set(error, "out of memory");
	} else if (!(path = strdup(c->dir))) {
		return error_set(error, "out of memory");
	} else {
		/* results/<release>/results.jsonl: the column is its directory */
		char *slash = strrchr(c->dir, '/');

		if (slash && slash != c->dir)
			*slash = '\0';
		else if (!slash)
			strcpy(c->dir, ".");
	}
	rc = report_read_jsonl(path, &c->rec, &c->n, error);
	free(path);
	return rc;
}

/* The kernel release the records name, else the directory's own name. */
static void label_columns(struct cmp *c)
{
	for (size_t i = 0; i < c->ncol; i++) {
		struct column *col = &c->col[i];
		const char *label = NULL, *base = strrchr(col->dir, '/');

		for (size_t j = 0; j < col->n && !label; j++)
			if (col->rec[j].kernel && *col->rec[j].kernel)
				label = col->rec[j].kernel;
		if (!label)
			label = base && base[1] ? base + 1 : col->dir;
		col->label = strdup(label);
	}
	/* Two runs on one kernel: tell them apart by where they came from,
	 * and the same directory twice by its place on the command line. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < c->ncol; i++) {
			char *dup = NULL;

			for (size_t j = i + 1; j < c->ncol && !dup; j++)
				if (c->col[i].label && c->col[j].label &&
				    !strcmp(c->col[i].label, c->col[j].label))
					dup = strdup(c->col[i].label);
			for (size_t k = 0; dup && k < c->ncol; k++) {
				char *l = c->col[k].label;

				if (!l || strcmp(l, dup))
					continue;
				if (pass == 0)
					c->col[k].label = strdup(c->col[k].dir);
				else if (asprintf(&c->col[k].label, "%s #%zu", l, k + 1) < 0)
					c->col[k].label = NULL;
				free(l);
			}
			free(dup);
		}
}

static int key_cmp(const char *n1, const char *i1, const char *n2, const char *i2)
{
	int d = strcmp(record_str(n1), record_str(n2));

	return d ? d : strcmp(record_str(i1), record_str(i2));
}

static int record_ptr_cmp(const void *a, const void *b)
{
	const struct record *x = *(const struct record *const *)a;
	const struct record *y = *(const struct record *const *)b;

	return key_cmp(x->name, x->ip, y->name, y->ip);
}

static int build_rows(struct cmp *c, char **error)
{
	const struct record **all;
	size_t total = 0, m = 0;

	for (size_t i = 0; i < c->ncol; i++)
		total += c->col[i].n;
	all = calloc(total + 1, sizeof(*all));
	c->rows = calloc(total + 1, sizeof(*c->rows));
	if (!all || !c->rows) {
		free(all);
		return error_set(error, "out of memory");
	}
	for (size_t i = 0; i < c->ncol; i++)
		for (size_t j = 0; j < c->col[i].n; j++)
			all[m++] = &c->col[i].rec[j];
	qsort(all, m, sizeof(*all), record_ptr_cmp);
	for (size_t i = 0; i < m; i++) {
		struct row *row;
		int count[4] = { 0 }, best = -1;

		if (i && !record_ptr_cmp(&all[i - 1], &all[i]))
			continue;
		row = &c->rows[c->nrows++];
		row->name = record_str(all[i]->name);
		row->ip = record_str(all[i]->ip);
		row->cell = calloc(c->ncol, sizeof(*row->cell));
		if (!row->cell) {
			free(all);
			return error_set(error, "out of memory");
		}
		for (size_t k = 0; k < c->ncol; k++) {
			const struct column *col = &c->col[k];

			/* a repeated record in one file: the first one counts */
			for (size_t j = 0; j < col->n && !row->cell[k]; j++)
				if (!key_cmp(col->rec[j].name, col->rec[j].ip, row->name, row->ip))
					row->cell[k] = &col->rec[j];
			count[cell_value(row->cell[k]) + 1]++;
			if (cell_value(row->cell[k]) != cell_value(row->cell[0]))
				row->differs = true;
		}
		/* ties go to the earliest column's verdict */
		for (size_t k = 0; k < c->ncol; k++) {
			int v = cell_value(row->cell[k]);

			if (best < 0 || count[v + 1] > count[best + 1])
				best = v;
		}
		row->mode = best;
		c->ndiffer += row->differs;
	}
	free(all);
	return STATUS_OK;
}

static void cmp_free(struct cmp *c)
{
	for (size_t i = 0; i < c->ncol; i++) {
		free(c->col[i].dir);
		free(c->col[i].label);
		report_free_all(c->col[i].rec, c->col[i].n);
	}
	for (size_t i = 0; i < c->nrows; i++)
		free(c->rows[i].cell);
	free(c->col);
	free(c->rows);
}

/* ---- timings ---- */

const struct timing *compare_cell_timing(const struct record *r, const struct tkey *key)
{
	int occ = 0;

	for (size_t i = 0; r && i < r->ntimings; i++)
		if (r->timings[i].line == key->line && occ++ == key->occ)
			return &r->timings[i];
	return NULL;
}

static int tkey_cmp(const void *a, const void *b)
{
	const struct tkey *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->occ - y->occ;
}

/* Every timed packet of a row in any column, by script line; *keys is malloc'd. */
size_t compare_timing_keys(const struct cmp *c, const struct row *row, struct tkey **keys)
{
	size_t n = 0, cap = 0;

	*keys = NULL;
	for (size_t k = 0; k < c->ncol; k++) {
		const struct record *r = row->cell[k];

		for (size_t i = 0; r && i < r->ntimings; i++) {
			struct tkey key = { r->timings[i].line, 0, record_str(r->timings[i].packet) };
			bool seen = false;

			for (size_t j = 0; j < i; j++)
				key.occ += r->timings[j].line == key.line;
			for (size_t j = 0; j < n && !seen; j++)
				seen = !tkey_cmp(&(*keys)[j], &key);
			if (seen)
				continue;
			if (n == cap) {
				struct tkey *nk = realloc(*keys, (cap = cap ? 2 * cap : 8) * sizeof(*nk));

				if (!nk)
					return n;
				*keys = nk;
			}
			(*keys)[n++] = key;
		}
	}
	if (n)
		qsort(*keys, n, sizeof(**keys), tkey_cmp);
	return n;
}

bool compare_have_timings(const struct cmp *c)
{
	for (size_t i = 0; i < c->nrows; i++)
		for (size_t k = 0; k < c->ncol; k++)
			if (c->rows[i].cell[k] && c->rows[i].cell[k]->ntimings)
				return true;
	return false;
}

void compare_put_ms(FILE *f, const struct timing *t, const char *unit)
{
	/* clocks a few microseconds apart make "-0.0" of an immediate answer */
	if (t && isfinite(t->actual_ms))
		fprintf(f, "%.1f%s", t->actual_ms > -0.05 && t->actual_ms < 0.05 ?
			0.0 : t->actual_ms, unit);
	else
		fputs("-", f);
}

/* ---- text ---- */

/*
 * On a terminal, a timed packet is worth a line when something waited:
 * the script expected a delay, some kernel took one, or some kernel that
 * ran the case has no timing for it.  The immediate answers (most of them)
 * would bury the rest.
 */
static bool timing_notable(const struct cmp *c, const struct row *row, const struct tkey *key)
{
	for (size_t k = 0; k < c->ncol; k++) {
		const struct timing *t = compare_cell_timing(row->cell[k], key);

		if (!t && row->cell[k])
			return true;
		if (!t)
			continue;
		if (!isfinite(t->actual_ms) || t->actual_ms >= QUIET_MS || t->actual_ms <= -QUIET_MS ||
		    t->expected_ms >= QUIET_MS)
			return true;
	}
	return false;
}

/*
 * A message on one line and at most max bytes (cut at a UTF-8 boundary):
 * line breaks become spaces, other control characters too, since they
 * would reach the terminal raw.
 */
static void put_short(FILE *f, const char *msg, size_t max)
{
	const unsigned char *p = (const unsigned char *)record_str(msg);
	size_t n = 0;

	for (; *p && n < max; p++, n++)
		fputc(*p < 0x20 || *p == 0x7f ? ' ' : *p, f);
	while ((*p & 0xc0) == 0x80)
		fputc(*p++, f);
	if (*p)
		fputs("...", f);
}

static void text_out(FILE *f, const struct cmp *c, bool color)
{
	const char *on = color ? "\033[1;31m" : "", *off = color ? "\033[0m" : "";

	fprintf(f, "tcpconf compare: %zu kernel%s\nkernels: ", c->ncol, c->ncol == 1 ? "" : "s");
	for (size_t k = 0; k < c->ncol; k++)
		fprintf(f, "%s%s", k ? " | " : "", record_str(c->col[k].label));
	fputs("\n\n", f);

	/* Agreement first, one line per case; what differs ends up near the summary. */
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *row = &c->rows[i];
		size_t j = i;

		if (row->differs)
			continue;
		fprintf(f, "  = %s [%s", row->name, row->ip);
		while (j + 1 < c->nrows && !c->rows[j + 1].differs &&
		       !strcmp(c->rows[j + 1].name, row->name) &&
		       c->rows[j + 1].mode == row->mode)
			fprintf(f, ",%s", c->rows[++j].ip);
		fprintf(f, "]: %s on all", compare_cell_name(row->cell[0]));
		if (row->cell[0]->verdict != VERDICT_PASS && *record_str(row->cell[0]->message)) {
			fputs(" (", f);
			put_short(f, row->cell[0]->message, SHORT_MESSAGE);
			fputc(')', f);
		}
		fputc('\n', f);
		i = j;
	}
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *row = &c->rows[i];

		if (!row->differs)
			continue;
		fprintf(f, "%s! %s [%s]:", on, row->name, row->ip);
		for (size_t k = 0; k < c->ncol; k++)
			fprintf(f, "%s %s", k ? " |" : "", compare_cell_name(row->cell[k]));
		fprintf(f, "%s\n", off);
		for (size_t k = 0; k < c->ncol; k++) {
			const struct record *r = row->cell[k];

			if (r && r->verdict == VERDICT_PASS)
				continue;
			fprintf(f, "      %s: ", record_str(c->col[k].label));
			if (!r) {
				fputs("no record\n", f);
				continue;
			}
			fputs(compare_cell_name(r), f);
			if (*record_str(r->message)) {
				fputs(": ", f);
				put_short(f, r->message, SHORT_MESSAGE);
			}
			fputc('\n', f);
		}
	}

	if (compare_have_timings(c)) {
		size_t quiet = 0;

		fputs("\ntimings (actual ms after the previous event; kernels in the order above):\n", f);
		for (size_t i = 0; i < c->nrows; i++) {
			const struct row *row = &c->rows[i];
			struct tkey *keys;
			size_t nk = compare_timing_keys(c, row, &keys);

			for (size_t t = 0; t < nk; t++) {
				if (!timing_notable(c, row, &keys[t])) {
					quiet++;
					continue;
				}
				fprintf(f, "  %s %s line %d '", row->name, row->ip, keys[t].line);
				put_short(f, keys[t].packet, 200);
				fputs("':", f);
				for (size_t k = 0; k < c->ncol; k++) {
					fputs(k ? " | " : " ", f);
					compare_put_ms(f, compare_cell_timing(row->cell[k], &keys[t]), " ms");
				}
				fputc('\n', f);
			}
			free(keys);
		}
		if (quiet)
			fprintf(f, "  (%zu more packet%s expected at once and sent within %.0f ms on every "
				"kernel; --format markdown lists all)\n", quiet, quiet == 1 ? "" : "s",
				QUIET_MS);
	}
	size_t agree = c->nrows - c->ndiffer;

	fprintf(f, "\n%s%zu case%s, %zu differ%s%s across %zu kernel%s (a case is a script in one IP version)\n",
		c->ndiffer ? on : "", agree, agree == 1 ? " agrees" : "s agree", c->ndiffer,
		c->ndiffer == 1 ? "s" : "", c->ndiffer ? off : "", c->ncol, c->ncol == 1 ? "" : "s");
}

/* ---- the command ---- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tcpconf compare [options] DIR...\n"
		"  DIR                   a results/<kernel release>/ with results.jsonl\n"
		"  --format FORMAT       text (default), markdown or html (one self-contained page)\n"
		"  -o, --output FILE     write there instead of standard output\n"
		"exit status: 0 all verdicts agree, 1 some differ, 2 usage or I/O error\n");
}

static int write_output(const char *path, const char *buf, size_t len)
{
	FILE *f = path ? fopen(path, "we") : stdout;

	if (!f) {
		fprintf(stderr, "tcpconf compare: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fwrite(buf, 1, len, f);
	if (ferror(f) | (path ? fclose(f) : fflush(f))) {
		fprintf(stderr, "tcpconf compare: %s: write error\n", path ? path : "stdout");
		return -1;
	}
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum format format = FORMAT_TEXT;
	const char *output = NULL;
	struct cmp c = { 0 };
	char *error = NULL, *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int opt, rc = 2;

	optind = 0;	/* full getopt reset: a second call in one process starts afresh */
	while ((opt = getopt_long(argc, argv, "f:o:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (!strcmp(optarg, "text"))
				format = FORMAT_TEXT;
			else if (!strcmp(optarg, "markdown") || !strcmp(optarg, "md"))
				format = FORMAT_MARKDOWN;
			else if (!strcmp(optarg, "html"))
				format = FORMAT_HTML;
			else {
				fprintf(stderr, "tcpconf compare: --format: expected text, markdown or html\n");
				return 2;
			}
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	c.ncol = argc - optind;
	c.col = calloc(c.ncol, sizeof(*c.col));
	if (!c.col)
		return 2;
	for (size_t k = 0; k < c.ncol; k++)
		if (load_column(&c.col[k], argv[optind + k], &error) < 0)
			goto out;
	label_columns(&c);
	if (build_rows(&c, &error) < 0)
		goto out;
	mem = open_memstream(&buf, &len);
	if (!mem) {
		error_set(&error, "out of memory");
		goto out;
	}
	switch (format) {
	case FORMAT_TEXT:
		text_out(mem, &c, !output && isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
		break;
	case FORMAT_MARKDOWN:
		compare_markdown(mem, &c);
		break;
	case FORMAT_HTML:
		compare_html(mem, &c);
		break;
	}
	if (ferror(mem) | fclose(mem)) {
		error_set(&error, "out of memory");
		goto out;
	}
	if (write_output(output, buf, len) == 0)
		rc = c.ndiffer ? 1 : 0;
out:
	if (error)
		fprintf(stderr, "tcpconf compare: %s\n", error);
	free(error);
	free(buf);
	cmp_free(&c);
	return rc;
}
