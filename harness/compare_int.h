/* compare_int.h - the matrix `tcpconf compare` builds, shared by compare.c and compare_out.c only. */
#ifndef TCPCONF_COMPARE_INT_H
#define TCPCONF_COMPARE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "record.h"
#include "report.h"

/* One results directory: a column of the matrix.  Owns its strings and records. */
struct column {
	char *dir;			/* as given, without trailing slashes */
	char *label;			/* kernel release, or the directory if unknown */
	struct record *rec;
	size_t n;
	struct report_meta meta;	/* from meta.json beside results.jsonl; all NULL without one */
};

struct row {
	const char *name, *ip;		/* borrowed from a record */
	const struct record **cell;	/* one per column; NULL: no record there */
	bool differs;
	int mode;			/* most common verdict; -1: no record */
};

/* One timed packet of a row: the occ'th timing of that script line. */
struct tkey {
	int line, occ;
	const char *packet;		/* as the first column that has it wrote it */
};

struct cmp {
	struct column *col;
	size_t ncol;
	struct row *rows;
	size_t nrows, ndiffer;
	size_t nfailing;		/* rows that failed on some kernel */
	bool colour;			/* terminal colours in the text view */
	char *out_dir;			/* links are relative to it: --output's directory, else "." */
};

/* "pass", "fail", "skip", or "-" for a missing record. */
const char *compare_cell_name(const struct record *r);

/* Each differing row's kernels that did not pass it (no record counts), in
 * row then column order: the cells a view explains. */
typedef void compare_cell_fn(FILE *f, const struct cmp *c, const struct row *row, size_t k);
void compare_each_unpassed(FILE *f, const struct cmp *c, compare_cell_fn *fn);

/* In a differing row: is column k unlike the most common verdict? */
bool compare_cell_odd(const struct row *row, size_t k);

/* Every timed packet of a row in any column, by script line; *keys is
 * malloc'd (caller frees, also when 0 is returned). */
size_t compare_timing_keys(const struct cmp *c, const struct row *row, struct tkey **keys);

/* The timing of one record for a key, NULL when that record has none. */
const struct timing *compare_cell_timing(const struct record *r, const struct tkey *key);

bool compare_have_timings(const struct cmp *c);

/* actual_ms as "40.1" + unit, "-" when there is none. */
void compare_put_ms(FILE *f, const struct timing *t, const char *unit);

/* Each row where every kernel gave verdict v (none differs): fn for each
 * column, in row order; returns how many rows. */
size_t compare_each_unanimous(FILE *f, const struct cmp *c, enum verdict v, compare_cell_fn *fn);

/*
 * Links from the report (in c->out_dir) to a row's script and to column
 * k's capture of it: a malloc'd relative URL path, percent-encoded, or
 * NULL when there is no such file (a capture exists only for failures;
 * a script run elsewhere, in a guest, is looked for as cases/NAME.pkt).
 */
char *compare_script_href(const struct cmp *c, const struct row *row);
char *compare_pcap_href(const struct cmp *c, const struct row *row, size_t k);

/* Inside a markdown table cell: no line breaks, no separators, at most max bytes. */
void compare_md_text(FILE *f, const char *s, size_t max);

/* The runs' context from their meta.json files: kernel, how each run was
 * made, tcpconf version, date, whether it was cut short, sysctls that differ. */
void compare_md_context(FILE *f, const struct cmp *c);
void compare_html_context(FILE *f, const struct cmp *c);

/* One output format (compare_out.c has the table of them). */
struct compare_format {
	const char *name, *alias;	/* as --format takes it; alias NULL if none */
	bool colour;			/* may colour a terminal */
	void (*write)(FILE *f, const struct cmp *c);
};

/* The HTML page (compare_html.c): what differs first, then each case's
 * ladders side by side, folded where the kernels agree. */
void compare_html(FILE *f, const struct cmp *c);

/* The format --format name asks for, NULL if there is none. */
const struct compare_format *compare_format_find(const char *name);

#endif
