/*
 * compare_context.c - what the compare views say beside the verdicts
 * (see compare_int.h): where each run came from and how it was made, the
 * cases every kernel failed or skipped, and links to scripts and captures.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare_int.h"
#include "markup.h"

size_t compare_each_unanimous(FILE *f, const struct cmp *c, enum verdict v, compare_cell_fn *fn)
{
	size_t n = 0;

	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *row = &c->rows[i];

		if (row->differs || row->mode != (int)v)
			continue;
		n++;
		for (size_t k = 0; fn && k < c->ncol; k++)
			fn(f, c, row, k);
	}
	return n;
}

/* ---- links ---- */

/* path relative to dir, both made absolute first; malloc'd. */
static char *relative_to(const char *dir, const char *path)
{
	char *adir = realpath(dir, NULL), *apath = realpath(path, NULL), *out = NULL;
	size_t common = 0, ups = 0, dl, len;
	const char *rest;
	FILE *m;

	if (!adir || !apath)
		goto done;
	/* the longest common prefix that ends at a '/', or adir whole */
	dl = strlen(adir);
	for (size_t i = 0; adir[i] && adir[i] == apath[i]; i++)
		if (adir[i] == '/')
			common = i + 1;
	if (!strncmp(adir, apath, dl) && apath[dl] == '/')
		common = dl + 1;
	rest = common > dl ? "" : adir + common;
	/* one "../" for each of adir's components below the common part */
	for (const char *p = rest; *p; p++)
		ups += p == rest || p[-1] == '/';
	m = open_memstream(&out, &len);
	if (!m)
		goto done;
	for (size_t i = 0; i < ups; i++)
		fputs("../", m);
	/* percent-encode all but the unreserved characters and '/' */
	for (const unsigned char *p = (const unsigned char *)apath + common; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p))
			fputc(*p, m);
		else
			fprintf(m, "%%%02X", *p);
	fclose(m);
done:
	free(adir);
	free(apath);
	return out;
}

static bool is_file(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

char *compare_script_href(const struct cmp *c, const struct row *row)
{
	char *alt = NULL, *href = NULL;

	for (size_t k = 0; k < c->ncol; k++)
		if (row->cell[k] && is_file(record_str(row->cell[k]->path)))
			return relative_to(c->out_dir, row->cell[k]->path);
	if (asprintf(&alt, "cases/%s.pkt", row->name) >= 0 && is_file(alt))
		href = relative_to(c->out_dir, alt);
	free(alt);
	return href;
}

char *compare_pcap_href(const struct cmp *c, const struct row *row, size_t k)
{
	char *path = NULL, *href = NULL;

	/* the runner's name for it: "close/close-x" in ipv4 -> close_close-x-ipv4.pcap */
	if (!row->cell[k] || row->cell[k]->verdict != VERDICT_FAIL ||
	    asprintf(&path, "%s/pcap/%s-%s.pcap", c->col[k].dir, row->name, row->ip) < 0)
		return NULL;
	for (char *p = path + strlen(c->col[k].dir) + 6; *p; p++)
		if (*p == '/')
			*p = '_';
	if (is_file(path))
		href = relative_to(c->out_dir, path);
	free(path);
	return href;
}

/* ---- the runs' context ---- */

/* What one meta.json field says of column k, or a dash. */
enum ctx_field {
	CTX_DIR, CTX_HOW, CTX_VERSION, CTX_DATE, CTX_NAMESPACE, CTX_INCOMPLETE,
	CTX_HZ, CTX_HZ_SOURCE, CTX_RAN, CTX_CPUS, CTX_MEMORY, CTX_N
};
static const char *const ctx_names[CTX_N] = {
	"directory", "how it ran", "tcpconf", "date", "sysctls read in", "complete",
	"CONFIG_HZ", "CONFIG_HZ from", "kernel ran", "CPUs", "memory",
};

static const char *ctx_value(const struct column *col, enum ctx_field f)
{
	const char *v = NULL;

	switch (f) {
	case CTX_DIR: v = col->dir; break;
	case CTX_HOW: v = col->meta.how; break;
	case CTX_VERSION: v = col->meta.tcpconf_version; break;
	case CTX_DATE: v = col->meta.date; break;
	case CTX_NAMESPACE:
		v = !col->meta.namespace ? NULL : !strcmp(col->meta.namespace, "fresh") ?
		    "a fresh namespace" : "the runner's namespace";
		break;
	case CTX_INCOMPLETE:
		v = col->meta.incomplete ? col->meta.incomplete :
		    col->meta.kernel ? "yes" : NULL;
		break;
	case CTX_HZ: v = col->meta.config_hz; break;
	case CTX_HZ_SOURCE: v = col->meta.config_hz_source; break;
	case CTX_RAN: v = col->meta.kernel_ran; break;
	case CTX_CPUS: v = col->meta.cpus; break;
	case CTX_MEMORY: v = col->meta.memory; break;
	default: break;
	}
	return v && *v ? v : "-";
}

/* The value of sysctl name in a "name=value, name=value" summary, malloc'd; NULL if absent. */
static char *sysctl_value(const char *summary, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = summary; p && *p; ) {
		const char *end = strstr(p, ", net.");

		if (!strncmp(p, name, n) && p[n] == '=')
			return strndup(p + n + 1, end ? (size_t)(end - p - n - 1) : strlen(p + n + 1));
		p = end ? end + 2 : NULL;
	}
	return NULL;
}

/* A sysctl some runs recorded differently; fn puts name then each column's value. */
typedef void sysctl_row_fn(FILE *f, const struct cmp *c, const char *name, char **values);

/* Is name in the summary of a column before k?  Then it was looked at already. */
static bool seen_before(const struct cmp *c, size_t k, const char *name)
{
	for (size_t i = 0; i < k; i++) {
		char *v = sysctl_value(c->col[i].meta.sysctl_summary, name);
		bool seen = v != NULL;

		free(v);
		if (seen)
			return true;
	}
	return false;
}

/* Whether name differs between the columns; if so and fn, its row is put. */
static bool sysctl_differs(FILE *f, const struct cmp *c, const char *name, sysctl_row_fn *fn)
{
	char **values = calloc(c->ncol, sizeof(*values));
	bool differ = false;

	for (size_t k = 0; values && k < c->ncol; k++) {
		values[k] = sysctl_value(c->col[k].meta.sysctl_summary, name);
		differ |= k && strcmp(values[k] ? values[k] : "-", values[0] ? values[0] : "-");
	}
	if (differ && fn)
		fn(f, c, name, values);
	for (size_t k = 0; values && k < c->ncol; k++)
		free(values[k]);
	free(values);
	return differ;
}

/* Every sysctl any run recorded (a kernel may lack some), in the first
 * run's order then the others' new ones; only the differing ones count. */
static size_t each_sysctl_difference(FILE *f, const struct cmp *c, sysctl_row_fn *fn)
{
	size_t count = 0;

	for (size_t k = 0; k < c->ncol; k++)
		for (const char *p = c->col[k].meta.sysctl_summary; p && *p; ) {
			const char *eq = strchr(p, '='), *end = strstr(p, ", net.");
			char *name = eq ? strndup(p, eq - p) : NULL;

			if (name && !seen_before(c, k, name))
				count += sysctl_differs(f, c, name, fn);
			free(name);
			p = end ? end + 2 : NULL;
		}
	return count;
}

static void md_sysctl_row(FILE *f, const struct cmp *c, const char *name, char **values)
{
	fputs("| ", f);
	compare_md_text(f, name, 200);
	fputs(" |", f);
	for (size_t k = 0; k < c->ncol; k++) {
		fputc(' ', f);
		compare_md_text(f, values[k] ? values[k] : "-", 200);
		fputs(" |", f);
	}
	fputc('\n', f);
}

void compare_md_context(FILE *f, const struct cmp *c)
{
	fputs("## Runs\n\n| |", f);
	for (size_t k = 0; k < c->ncol; k++) {
		fputc(' ', f);
		compare_md_text(f, c->col[k].label, 200);
		fputs(" |", f);
	}
	fputs("\n|---|", f);
	for (size_t k = 0; k < c->ncol; k++)
		fputs("---|", f);
	fputc('\n', f);
	for (int i = 0; i < CTX_N; i++) {
		fprintf(f, "| %s |", ctx_names[i]);
		for (size_t k = 0; k < c->ncol; k++) {
			fputc(' ', f);
			compare_md_text(f, ctx_value(&c->col[k], i), 400);
			fputs(" |", f);
		}
		fputc('\n', f);
	}
	if (each_sysctl_difference(f, c, NULL)) {
		fputs("\nSysctls the runs recorded differently:\n\n| sysctl |", f);
		for (size_t k = 0; k < c->ncol; k++) {
			fputc(' ', f);
			compare_md_text(f, c->col[k].label, 200);
			fputs(" |", f);
		}
		fputs("\n|---|", f);
		for (size_t k = 0; k < c->ncol; k++)
			fputs("---|", f);
		fputc('\n', f);
		each_sysctl_difference(f, c, md_sysctl_row);
	} else if (c->col[0].meta.sysctl_summary) {
		fputs("\nThe runs recorded the same TCP sysctls.\n", f);
	}
	fputc('\n', f);
}

static void html_sysctl_row(FILE *f, const struct cmp *c, const char *name, char **values)
{
	fputs("<tr><td>", f);
	markup_text(f, name, MARKUP_HTML);
	fputs("</td>", f);
	for (size_t k = 0; k < c->ncol; k++) {
		fputs("<td>", f);
		markup_text(f, values[k] ? values[k] : "-", MARKUP_HTML);
		fputs("</td>", f);
	}
	fputs("</tr>\n", f);
}

void compare_html_context(FILE *f, const struct cmp *c)
{
	fputs("<h2>Runs</h2>\n<table class=\"runs\">\n<thead><tr><th></th>", f);
	for (size_t k = 0; k < c->ncol; k++) {
		fputs("<th>", f);
		markup_text(f, c->col[k].label, MARKUP_HTML);
		fputs("</th>", f);
	}
	fputs("</tr></thead>\n<tbody>\n", f);
	for (int i = 0; i < CTX_N; i++) {
		fprintf(f, "<tr><th>%s</th>", ctx_names[i]);
		for (size_t k = 0; k < c->ncol; k++) {
			fputs(i == CTX_INCOMPLETE && c->col[k].meta.incomplete ?
			      "<td class=\"fail\">" : "<td>", f);
			markup_text(f, ctx_value(&c->col[k], i), MARKUP_HTML);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	each_sysctl_difference(f, c, html_sysctl_row);
	fputs("</tbody>\n</table>\n", f);
}
