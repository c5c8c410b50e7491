/* report_meta.c - meta.json both ways: where a run happened, and the settings of a fresh namespace there (see report.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bed_facts.h"
#include "error.h"
#include "json.h"
#include "report.h"
#include "report_int.h"
#include "sysctl.h"

/* What older tcpconf recorded, a fixed list: an older meta.json's summary is made of these. */
static const char *const meta_sysctls[] = {
	"net.ipv4.tcp_timestamps", "net.ipv4.tcp_sack", "net.ipv4.tcp_window_scaling",
	"net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_tw_reuse", "net.ipv4.tcp_rmem",
	"net.ipv4.tcp_wmem", "net.ipv4.tcp_autocorking", "net.core.somaxconn",
};
#define NSYSCTLS (sizeof(meta_sysctls) / sizeof(meta_sysctls[0]))

/* Every sysctl under these, in the fresh namespace: any of them may decide a verdict. */
static const struct { const char *dir, *dotted, *prefix; } meta_trees[] = {
	{ "/proc/sys/net/ipv4", "net.ipv4.", "tcp_" },
	{ "/proc/sys/net/core", "net.core.", "" },
};
#define META_SYSCTL_MAX	512	/* a bound on what a child may send: today ~130 */
#define META_ANSWER_MAX	(META_SYSCTL_MAX * 200)

/* The recorded sysctls, name and value (white space folded), sorted by name. */
struct meta_values {
	bool fresh;
	size_t n;
	char *name[META_SYSCTL_MAX], *value[META_SYSCTL_MAX];
};

static void meta_values_clear(struct meta_values *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->name[i]);
		free(v->value[i]);
	}
	v->n = 0;
}

/* One sysctl's value with its white space folded ("4096\t131072" -> "4096 131072");
 * false when it cannot be read (write-only, refused). */
static bool sysctl_folded(const char *name, char *out, size_t size)
{
	char raw[256];
	size_t o = 0;

	out[0] = '\0';
	if (sysctl_get(name, raw, sizeof(raw), NULL) < 0)
		return false;
	for (char *tok = strtok(raw, " \t\n"); tok && o + 1 < size; tok = strtok(NULL, " \t\n"))
		o += snprintf(out + o, size - o, "%s%s", o ? " " : "", tok);
	return true;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* In the child: "name\tvalue\n" for each readable sysctl of meta_trees, sorted. */
static int send_sysctls(int fd)
{
	char *names[META_SYSCTL_MAX], v[200];
	size_t n = 0;

	for (size_t t = 0; t < sizeof(meta_trees) / sizeof(meta_trees[0]); t++) {
		DIR *d = opendir(meta_trees[t].dir);
		struct dirent *e;

		while (d && n < META_SYSCTL_MAX && (e = readdir(d)))
			if (e->d_type == DT_REG &&
			    !strncmp(e->d_name, meta_trees[t].prefix, strlen(meta_trees[t].prefix)) &&
			    asprintf(&names[n], "%s%s", meta_trees[t].dotted, e->d_name) >= 0)
				n++;
		if (d)
			closedir(d);
	}
	qsort(names, n, sizeof(names[0]), by_name);
	for (size_t i = 0; i < n; i++)
		if (sysctl_folded(names[i], v, sizeof(v)) && dprintf(fd, "%s\t%s\n", names[i], v) < 0)
			return -1;
	return 0;
}

/* The child's answer, up to META_ANSWER_MAX bytes, into buf (malloc'd, NUL-terminated). */
static char *read_answer(int fd)
{
	char *buf = malloc(META_ANSWER_MAX + 1);
	size_t len = 0;

	for (ssize_t n; buf && len < META_ANSWER_MAX; len += n) {
		n = read(fd, buf + len, META_ANSWER_MAX - len);
		if (n < 0 && errno == EINTR)
			n = 0;
		else if (n <= 0)
			break;
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

/* "fresh" or "current", then "name\tvalue" lines, into v. */
static int parse_answer(char *buf, struct meta_values *v, char **error)
{
	char *save = NULL, *line = strtok_r(buf, "\n", &save);

	if (!line)
		return error_set(error, "reading sysctls: no answer from the helper process");
	v->fresh = !strcmp(line, "fresh");
	while ((line = strtok_r(NULL, "\n", &save)) && v->n < META_SYSCTL_MAX) {
		char *tab = strchr(line, '\t');

		if (!tab)
			continue;
		*tab = '\0';
		v->name[v->n] = strdup(line);
		v->value[v->n] = strdup(tab + 1);
		if (!v->name[v->n] || !v->value[v->n]) {
			v->n++;
			meta_values_clear(v);
			return error_set(error, "out of memory");
		}
		v->n++;
	}
	return STATUS_OK;
}

/*
 * Values as a new namespace (a case's test bed) sees them, not as the
 * host's namespace has them: a child unshares its network namespace and
 * sends back "fresh" or "current" then one line per sysctl.  Without the
 * privilege to unshare, the current namespace's values are all there is.
 */
static int sysctls_fresh(struct meta_values *v, char **error)
{
	int p[2], status, rc;
	char *buf;
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
		bool ok = unshare(CLONE_NEWNET) == 0;

		close(p[0]);
		if (dprintf(p[1], "%s\n", ok ? "fresh" : "current") < 0 || send_sysctls(p[1]) < 0)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	buf = read_answer(p[0]);
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!buf)
		return error_set(error, "out of memory");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		rc = error_set(error, "reading sysctls: the helper process failed");
	else
		rc = parse_answer(buf, v, error);
	free(buf);
	return rc;
}

/* "name=value, ..." of the recorded sysctls: one string, so a reader of
 * meta.json's top-level strings (compare) can show where runs differ. */
static void put_sysctl_summary(FILE *f, const struct meta_values *v)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	for (size_t i = 0; m && i < v->n; i++)
		fprintf(m, "%s%s=%s", i ? ", " : "", v->name[i], v->value[i]);
	if (m)
		fclose(m);
	json_put_string(f, text ? text : "");
	free(text);
}

/* The machine: CONFIG_HZ and its source, how the kernel ran, CPUs, memory (null when unknown). */
static void put_facts(FILE *f)
{
	struct bed_facts b;
	const struct { const char *key, *value; } rows[] = {
		{ "config_hz", b.hz }, { "config_hz_source", b.hz_source },
		{ "kernel_ran", b.ran }, { "cpus", b.cpus }, { "memory", b.memory },
	};

	bed_facts_read(&b);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		fprintf(f, ",\n  \"%s\": ", rows[i].key);
		if (rows[i].value[0])
			json_put_string(f, rows[i].value);
		else
			fputs("null", f);
	}
}

/* How the run was made, its commit, and whether it was cut short. */
static void put_run(FILE *f, const struct report_run *run)
{
	char why[160];

	fputs(",\n  \"tcpconf_commit\": ", f);
	if (run->commit)
		json_put_string(f, run->commit);
	else
		fputs("null", f);
	fputs(",\n  \"how\": ", f);
	json_put_string(f, run->how);
	fprintf(f, ",\n  \"jobs\": %d,\n  \"tolerance_usecs\": ", run->jobs);
	if (run->tolerance_usecs >= 0)
		fprintf(f, "%lld", run->tolerance_usecs);
	else
		fputs("null", f);
	fputs(",\n  \"ip_version\": ", f);
	if (run->ip_version)
		json_put_string(f, run->ip_version);
	else
		fputs("null", f);
	report_incomplete_text(run, why, sizeof(why));
	fputs(",\n  \"incomplete\": ", f);
	if (*why)
		json_put_string(f, why);
	else
		fputs("null", f);
}

int report_write_meta(const char *path, const char *version, char **error)
{
	struct report_run run = { .version = version, .tolerance_usecs = -1 };

	return report_write_meta_run(path, &run, error);
}

int report_write_meta_run(const char *path, const struct report_run *run, char **error)
{
	struct meta_values *v = calloc(1, sizeof(*v));
	char date[32];
	struct report_doc d;
	struct utsname u;
	struct tm tm;
	time_t now = time(NULL);
	FILE *f;
	int rc = STATUS_ERROR;

	if (!v)
		return error_set(error, "out of memory");
	if (sysctls_fresh(v, error) < 0) {
		free(v);
		return error_prefix(error, "%s", path);
	}
	if (uname(&u) < 0) {
		error_set(error, "uname: %s", strerror(errno));
		goto out;
	}
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (report_doc_open(&d, error) < 0)
		goto out;
	f = d.f;
	fputs("{\n  \"kernel\": ", f);
	json_put_string(f, u.release);
	fputs(",\n  \"kernel_version\": ", f);
	json_put_string(f, u.version);
	fputs(",\n  \"machine\": ", f);
	json_put_string(f, u.machine);
	fputs(",\n  \"tcpconf_version\": ", f);
	json_put_string(f, run->version);
	if (run->how)
		put_run(f, run);
	fputs(",\n  \"date\": ", f);
	json_put_string(f, date);
	put_facts(f);
	fputs(",\n  \"namespace\": ", f);
	json_put_string(f, v->fresh ? "fresh" : "current");
	fputs(",\n  \"sysctl_summary\": ", f);
	put_sysctl_summary(f, v);
	fputs(",\n  \"sysctls\": {", f);
	for (size_t i = 0; i < v->n; i++) {
		fprintf(f, "%s\n    ", i ? "," : "");
		json_put_string(f, v->name[i]);
		fputs(": ", f);
		json_put_string(f, v->value[i]);
	}
	fputs("\n  }\n}\n", f);
	rc = report_doc_commit(&d, path, error);
out:
	meta_values_clear(v);
	free(v);
	return rc;
}

/* The members report_read_meta keeps, in struct report_meta's order. */
static const char *const meta_keys[] = {
	"kernel", "machine", "tcpconf_version", "date", "namespace",
	"tcpconf_commit", "how", "incomplete", "sysctl_summary",
	"config_hz", "config_hz_source", "kernel_ran", "cpus", "memory",
};
#define NKEYS (sizeof(meta_keys) / sizeof(meta_keys[0]))

static char **meta_slot(struct report_meta *m, size_t i)
{
	char **slots[NKEYS] = {
		&m->kernel, &m->machine, &m->tcpconf_version, &m->date, &m->namespace,
		&m->tcpconf_commit, &m->how, &m->incomplete, &m->sysctl_summary,
		&m->config_hz, &m->config_hz_source, &m->kernel_ran, &m->cpus, &m->memory,
	};

	return slots[i];
}

/* The whole file, NUL-terminated, bounded like results.jsonl's lines. */
static int read_small(const char *path, char **text, char **error)
{
	char *buf = malloc(REPORT_META_MAX + 1);
	size_t len = 0;
	FILE *f;
	int c = EOF, rc = STATUS_OK;

	if (!buf)
		return error_set(error, "out of memory");
	f = fopen(path, "re");
	if (!f) {
		rc = (errno == ENOENT ? error_skip : error_set)(error, "%s: %s", path,
							       strerror(errno));
		free(buf);
		return rc;
	}
	while (len <= REPORT_META_MAX && (c = getc_unlocked(f)) != EOF && c != '\0')
		buf[len++] = c;
	if (ferror(f))
		rc = error_set(error, "%s: %s", path, strerror(errno));
	else if (c == '\0')
		rc = error_set(error, "%s: NUL byte in the file", path);
	else if (len > REPORT_META_MAX)
		rc = error_set(error, "%s: larger than %d bytes", path, REPORT_META_MAX);
	fclose(f);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	buf[len] = '\0';
	*text = buf;
	return STATUS_OK;
}

/* The text of the object at p ('{'), to its matching '}'; malloc'd, NULL if unbalanced. */
static char *object_text(const char *p)
{
	const char *q = p;
	int depth = 0;
	bool in_string = false;

	for (; *q; q++) {
		if (in_string) {
			if (*q == '\\' && q[1])
				q++;
			else if (*q == '"')
				in_string = false;
		} else if (*q == '"') {
			in_string = true;
		} else if (*q == '{') {
			depth++;
		} else if (*q == '}' && --depth == 0) {
			return strndup(p, q - p + 1);
		}
	}
	return NULL;
}

/*
 * Files written before "sysctl_summary" have the sysctls only as the
 * nested "sysctls" object: its known members make the summary.  Anything
 * unexpected there leaves the summary NULL; the file was checked already.
 */
static char *summary_from_object(const char *text)
{
	const char *p = strstr(text, "\"sysctls\"");
	char *values[NSYSCTLS] = { NULL }, *obj, *out = NULL, *error = NULL;
	size_t len = 0;
	FILE *m;

	p = p ? strchr(p, '{') : NULL;
	obj = p ? object_text(p) : NULL;
	if (!obj || json_object_strings(obj, meta_sysctls, values,
					 NSYSCTLS, &error) < 0) {
		free(obj);
		free(error);
		return NULL;
	}
	m = open_memstream(&out, &len);
	for (size_t i = 0; m && i < NSYSCTLS; i++)
		if (values[i])
			fprintf(m, "%s%s=%s", ftell(m) ? ", " : "", meta_sysctls[i], values[i]);
	if (m)
		fclose(m);
	for (size_t i = 0; i < NSYSCTLS; i++)
		free(values[i]);
	free(obj);
	return out;
}

int report_read_meta(const char *path, struct report_meta *m, char **error)
{
	char *values[NKEYS] = { NULL }, *text = NULL;
	int rc = read_small(path, &text, error);

	if (rc < 0)
		return rc;
	rc = json_object_strings(text, meta_keys, values, NKEYS, error);
	if (rc < 0) {
		free(text);
		return error_prefix(error, "%s", path);
	}
	for (size_t i = 0; i < NKEYS; i++)
		*meta_slot(m, i) = values[i];
	if (!m->sysctl_summary)
		m->sysctl_summary = summary_from_object(text);
	free(text);
	return STATUS_OK;
}

void report_meta_clear(struct report_meta *m)
{
	for (size_t i = 0; i < NKEYS; i++) {
		free(*meta_slot(m, i));
		*meta_slot(m, i) = NULL;
	}
}
