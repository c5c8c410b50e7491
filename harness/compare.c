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

#include "array.h"
#include "compare.h"
#include "compare_int.h"
#include "error.h"
#include "output.h"
#include "report.h"

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

void compare_each_unpassed(FILE *f, const struct cmp *c, compare_cell_fn *fn)
{
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *row = &c->rows[i];

		for (size_t k = 0; row->differs && k < c->ncol; k++)
			if (!row->cell[k] || row->cell[k]->verdict != VERDICT_PASS)
				fn(f, c, row, k);
	}
}

/* ---- loading ---- */

/*
 * meta.json beside the column's results.jsonl: read and checked.  Missing
 * is a warning (results from before meta.json, or a lone --json file);
 * malformed, or naming another kernel than the records, is an error: the
 * two files are not from one run.
 */
static int load_meta(struct column *c, char **error)
{
	const char *kernel = NULL;
	char *path;
	int rc;

	if (asprintf(&path, "%s/meta.json", c->dir) < 0)
		return error_set(error, "out of memory");
	rc = report_read_meta(path, &c->meta, error);
	if (rc == STATUS_SKIP) {
		fprintf(stderr, "tcpconf compare: warning: %s; how this run was made is unknown\n",
			*error);
		free(*error);
		*error = NULL;
		rc = STATUS_OK;
	}
	for (size_t j = 0; rc == 0 && j < c->n && !kernel; j++)
		if (*record_str(c->rec[j].kernel))
			kernel = c->rec[j].kernel;
	if (rc == 0 && kernel && c->meta.kernel && strcmp(kernel, c->meta.kernel))
		rc = error_set(error, "%s: kernel \"%s\", but the results beside it are from \"%s\"",
			       path, c->meta.kernel, kernel);
	free(path);
	return rc;
}

static int load_column(struct column *c, const char *arg, char **error)
{
	struct stat sb;
	char *path = NULL;
	const char *base;
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
	/* a file by another name (--json out.jsonl) has no meta.json of its own */
	base = strrchr(path, '/');
	if (rc == 0 && !strcmp(base ? base + 1 : path, "results.jsonl"))
		rc = load_meta(c, error);
	free(path);
	return rc;
}

/* The kernel release the records name, else meta.json's, else the directory's own name. */
static void label_columns(struct cmp *c)
{
	for (size_t i = 0; i < c->ncol; i++) {
		struct column *col = &c->col[i];
		const char *label = NULL, *base = strrchr(col->dir, '/');

		for (size_t j = 0; j < col->n && !label; j++)
			if (col->rec[j].kernel && *col->rec[j].kernel)
				label = col->rec[j].kernel;
		if (!label && col->meta.kernel && *col->meta.kernel)
			label = col->meta.kernel;
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

/* A record and the column it came from, sorted so each row's records are adjacent. */
struct entry {
	const struct record *rec;
	size_t col;
};

/* By case and IP version, then column, then place in the file: the first
 * of a repeated record in one file sorts first, and is the one that counts. */
static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int d = key_cmp(x->rec->name, x->rec->ip, y->rec->name, y->rec->ip);

	if (d)
		return d;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->rec < y->rec ? -1 : x->rec > y->rec;
}

/* The row of the n entries at e (one case, IP version): its cells and verdicts. */
static int fill_row(struct cmp *c, struct row *row, const struct entry *e, size_t n)
{
	int count[4] = { 0 }, best = -1;

	row->name = record_str(e[0].rec->name);
	row->ip = record_str(e[0].rec->ip);
	row->cell = calloc(c->ncol, sizeof(*row->cell));
	if (!row->cell)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!row->cell[e[i].col])
			row->cell[e[i].col] = e[i].rec;
	for (size_t k = 0; k < c->ncol; k++) {
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
	for (size_t k = 0; k < c->ncol; k++)
		if (row->cell[k] && row->cell[k]->verdict == VERDICT_FAIL) {
			c->nfailing++;
			break;
		}
	return 0;
}

/*
 * One sort of every record of every column, then one pass: n log n.  (A
 * search of each column for each row took 4 minutes for two columns of
 * 100,000 records.)
 */
static int build_rows(struct cmp *c, char **error)
{
	struct entry *all;
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
			all[m++] = (struct entry){ &c->col[i].rec[j], i };
	qsort(all, m, sizeof(*all), entry_cmp);
	for (size_t i = 0, end; i < m; i = end) {
		for (end = i + 1; end < m; end++)
			if (key_cmp(all[i].rec->name, all[i].rec->ip,
				    all[end].rec->name, all[end].rec->ip))
				break;
		if (fill_row(c, &c->rows[c->nrows++], &all[i], end - i) < 0) {
			free(all);
			return error_set(error, "out of memory");
		}
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
		report_meta_clear(&c->col[i].meta);
	}
	for (size_t i = 0; i < c->nrows; i++)
		free(c->rows[i].cell);
	free(c->col);
	free(c->rows);
	free(c->out_dir);
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
			struct tkey *nk;
			bool seen = false;

			for (size_t j = 0; j < i; j++)
				key.occ += r->timings[j].line == key.line;
			for (size_t j = 0; j < n && !seen; j++)
				seen = !tkey_cmp(&(*keys)[j], &key);
			if (seen)
				continue;
			nk = array_room(*keys, n, &cap, sizeof(*nk), 8);
			if (!nk)
				return n;
			*keys = nk;
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

/* ---- the command ---- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tcpconf compare [options] DIR...\n"
		"  DIR                   a results/<kernel release>/ with results.jsonl\n"
		"  --format FORMAT       text (default), markdown or html (one self-contained page)\n"
		"  -o, --output FILE     write there instead of standard output\n"
		"exit status: 0 every case passed or skipped alike on every kernel; 1 a case failed\n"
		"  on some kernel (also on all of them) or a verdict differs; 2 usage or I/O error\n");
}

/* Standard output, or --output through output_write (a file replaced
 * whole, a FIFO or /dev/stdout written in place). */
static int write_output(const char *path, const char *buf, size_t len, char **error)
{
	if (path)
		return output_write(path, buf, len, error);
	if (fwrite(buf, 1, len, stdout) != len || fflush(stdout))
		return error_set(error, "standard output: %s", strerror(errno));
	return STATUS_OK;
}

/* The directory links in the view are relative to: --output's, else ".". */
static char *out_dir(const char *output)
{
	const char *slash = output && !output_is_stdout(output) ? strrchr(output, '/') : NULL;

	if (!slash)
		return strdup(".");
	return slash == output ? strdup("/") : strndup(output, slash - output);
}

struct compare_options {
	const struct compare_format *format;
	const char *output;		/* NULL: standard output */
};

/* -1 to go on with the directories at argv[optind], else the exit status. */
static int parse_options(int argc, char **argv, struct compare_options *o)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	o->format = compare_format_find("text");
	o->output = NULL;
	optind = 0;	/* full getopt reset: a second call in one process starts afresh */
	while ((opt = getopt_long(argc, argv, "f:o:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			o->format = compare_format_find(optarg);
			if (!o->format) {
				fprintf(stderr, "tcpconf compare: --format: expected text, markdown or html\n");
				return 2;
			}
			break;
		case 'o':
			o->output = optarg;
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
	return -1;
}

/* The matrix of the n directories at dirs. */
static int load(struct cmp *c, char **dirs, size_t n, char **error)
{
	c->col = calloc(n, sizeof(*c->col));
	if (!c->col)
		return error_set(error, "out of memory");
	c->ncol = n;
	for (size_t k = 0; k < c->ncol; k++)
		if (load_column(&c->col[k], dirs[k], error) < 0)
			return STATUS_ERROR;
	label_columns(c);
	return build_rows(c, error);
}

/* The whole view in memory first: nothing is written when it fails. */
static int render(const struct cmp *c, const struct compare_format *format,
		  char **buf, size_t *len, char **error)
{
	FILE *mem = open_memstream(buf, len);

	if (!mem)
		return error_set(error, "out of memory");
	format->write(mem, c);
	if (ferror(mem) | fclose(mem))
		return error_set(error, "out of memory");
	return STATUS_OK;
}

int cmd_compare(int argc, char **argv)
{
	struct compare_options o;
	struct cmp c = { 0 };
	char *error = NULL, *buf = NULL;
	size_t len = 0;
	int rc = parse_options(argc, argv, &o);

	if (rc >= 0)
		return rc;
	rc = 2;
	c.colour = o.format->colour && !o.output && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	c.out_dir = out_dir(o.output);
	if (!c.out_dir)
		error_set(&error, "out of memory");
	else if (load(&c, argv + optind, argc - optind, &error) == 0 &&
		 render(&c, o.format, &buf, &len, &error) == 0 &&
		 write_output(o.output, buf, len, &error) == 0)
		rc = c.ndiffer || c.nfailing ? 1 : 0;
	if (error)
		fprintf(stderr, "tcpconf compare: %s\n", error);
	free(error);
	free(buf);
	cmp_free(&c);
	return rc;
}
