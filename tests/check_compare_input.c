/* check_compare_input.c - what `tcpconf compare` reads: bounded input, linear time on 100,000 records, and meta.json checked beside results.jsonl. */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "compare.h"
#include "report.h"
#include "scratch.h"
#include "suites.h"

static char *dir;

static void setup(void)
{
	dir = scratch_new();
}

static void teardown(void)
{
	scratch_remove(dir);
	free(dir);
}

static const char *at(const char *name)
{
	return scratch_at(dir, name);
}

/*
 * cmd_compare ARGS... --output dir/out, its standard error into *err
 * (malloc'd); the exit status.
 */
static int compare(char **err, const char *first, ...)
{
	char *argv[16], *buf = NULL;
	int argc = 0, saved, fd, rc;
	size_t len = 0;
	FILE *f;
	va_list ap;

	argv[argc++] = "compare";
	argv[argc++] = "--output";
	argv[argc++] = (char *)at("out");
	va_start(ap, first);
	for (const char *a = first; a && argc < 15; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	fd = open(at("stderr"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	dup2(fd, STDERR_FILENO);
	close(fd);
	rc = cmd_compare(argc, argv);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	f = fopen(at("stderr"), "r");
	ck_assert_ptr_nonnull(f);
	if (getdelim(&buf, &len, '\0', f) < 0) {	/* nothing was written */
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	*err = buf;
	return rc;
}

#define assert_has(text, what) ck_assert_msg(strstr(text, what), "no \"%s\" in:\n%s", what, text)

static const char record_line[] =
	"{\"case\":\"close/x\",\"ip\":\"ipv4\",\"verdict\":\"pass\",\"kernel\":\"6.1\"}\n";
static const char meta_61[] = "{\"kernel\": \"6.1\", \"sysctls\": {\"net.ipv4.tcp_sack\": \"1\"}}\n";

/* A kernel's directory: results.jsonl of one record, and meta.json as given (NULL: none). */
static void kernel_dir(const char *name, const char *meta)
{
	char path[256];

	ck_assert_int_eq(mkdir(at(name), 0755), 0);
	snprintf(path, sizeof(path), "%s/results.jsonl", name);
	scratch_write(at(path), record_line);
	if (meta) {
		snprintf(path, sizeof(path), "%s/meta.json", name);
		scratch_write(at(path), meta);
	}
}

/* 54 s and more (4 minutes on a loaded machine) for two columns of
 * 100,000 records: each row searched every column from its start. */
START_TEST(hundred_thousand_records_compare_in_linear_time)
{
	static const char *const kernels[] = { "6.1", "6.12" };
	enum { N = 100000 };
	struct record *r = calloc(N, sizeof(*r));
	struct timespec a, b;
	char *error = NULL, *err;
	double secs;

	ck_assert_ptr_nonnull(r);
	for (size_t k = 0; k < 2; k++) {
		char path[64];

		for (size_t i = 0; i < N; i++) {
			/* not in file order: names sort differently from how they are written */
			ck_assert_int_ge(asprintf(&r[i].name, "topic%zu/case-%06zu", i % 50, i), 0);
			r[i].ip = strdup(i % 2 ? "ipv6" : "ipv4");
			r[i].verdict = k == 1 && i % 7 == 0 ? VERDICT_FAIL : VERDICT_PASS;
			r[i].kernel = strdup(kernels[k]);
			record_add_timing(&r[i], 10, ". 1:1(0) ack 2", 40, 40.2);
		}
		ck_assert_int_eq(mkdir(at(kernels[k]), 0755), 0);
		snprintf(path, sizeof(path), "%s/results.jsonl", kernels[k]);
		ck_assert_msg(report_write_jsonl(at(path), r, N, &error) == 0, "%s", error);
		for (size_t i = 0; i < N; i++)
			record_clear(&r[i]);
	}
	free(r);
	clock_gettime(CLOCK_MONOTONIC, &a);
	ck_assert_int_eq(compare(&err, at("6.1"), at("6.12"), NULL), 1);
	clock_gettime(CLOCK_MONOTONIC, &b);
	secs = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	/* about 3 s on a loaded 2-CPU machine; the quadratic search took minutes */
	ck_assert_msg(secs < 30, "compare took %.1f s", secs);
	free(err);
}
END_TEST

/* getline() grew to 24 GB on a results.jsonl linked to /dev/zero. */
START_TEST(results_linked_to_dev_zero_refused_at_once)
{
	char *err;

	ck_assert_int_eq(mkdir(at("zero"), 0755), 0);
	ck_assert_int_eq(symlink("/dev/zero", at("zero/results.jsonl")), 0);
	ck_assert_int_eq(compare(&err, at("zero"), NULL), 2);
	assert_has(err, "zero/results.jsonl:1: NUL byte in line");
	free(err);
}
END_TEST

START_TEST(over_long_line_refused)
{
	size_t n = REPORT_LINE_MAX + 10;
	char *line = malloc(n + 1), *err;

	memset(line, 'x', n);
	line[n] = '\0';
	scratch_write(at("long.jsonl"), line);
	free(line);
	ck_assert_int_eq(compare(&err, at("long.jsonl"), NULL), 2);
	assert_has(err, "long.jsonl:1: line longer than 1048576 bytes");
	free(err);
}
END_TEST

/* Input that never ends (a pipe of empty lines) stops at REPORT_FILE_MAX. */
START_TEST(endless_input_capped)
{
	char path[64], *err;
	int p[2];
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	if (pid == 0) {
		static char nl[65536];

		memset(nl, '\n', sizeof(nl));
		close(p[0]);
		while (write(p[1], nl, sizeof(nl)) > 0)
			;
		_exit(0);
	}
	close(p[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", p[0]);
	ck_assert_int_eq(compare(&err, path, NULL), 2);
	assert_has(err, "larger than 268435456 bytes");
	close(p[0]);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	free(err);
}
END_TEST

START_TEST(malformed_meta_is_an_error_naming_it)
{
	static const char *const bad[][2] = {
		{ "{\"kernel\": 6.1}", "k/meta.json: \"kernel\": JSON: expected a string at byte 11" },
		{ "{\"kernel\": \"6.1\"", "k/meta.json: JSON: expected ',' or '}' at end of input" },
		{ "", "k/meta.json: JSON: expected '{' at end of input" },
		{ "{} {}", "k/meta.json: JSON: trailing characters after the object at byte 3" },
		{ "{\"sysctls\": [1,}", "k/meta.json: JSON: expected a number at byte 15" },
	};

	ck_assert_int_eq(mkdir(at("k"), 0755), 0);
	scratch_write(at("k/results.jsonl"), record_line);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *err;

		scratch_write(at("k/meta.json"), bad[i][0]);
		ck_assert_int_eq(compare(&err, at("k"), NULL), 2);
		assert_has(err, bad[i][1]);
		free(err);
	}
}
END_TEST

START_TEST(meta_of_another_kernel_is_an_error)
{
	char *err;

	kernel_dir("k", "{\"kernel\": \"6.18\"}");
	ck_assert_int_eq(compare(&err, at("k"), NULL), 2);
	assert_has(err, "k/meta.json: kernel \"6.18\", but the results beside it are from \"6.1\"");
	free(err);
}
END_TEST

START_TEST(missing_meta_is_a_warning)
{
	char *err;

	kernel_dir("a", meta_61);
	kernel_dir("b", NULL);
	ck_assert_int_eq(compare(&err, at("a"), at("b"), NULL), 0);
	assert_has(err, "tcpconf compare: warning: ");
	assert_has(err, "b/meta.json: No such file or directory");
	ck_assert_ptr_null(strstr(err, "a/meta.json"));
	free(err);
}
END_TEST

/* A results file by another name (--json FILE) has no meta.json to check. */
START_TEST(lone_results_file_needs_no_meta)
{
	char *err;

	scratch_write(at("run.jsonl"), record_line);
	ck_assert_int_eq(compare(&err, at("run.jsonl"), NULL), 0);
	ck_assert_str_eq(err, "");
	free(err);
}
END_TEST

TCase *compare_input_tcase(void)
{
	TCase *tc = tcase_create("input");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, hundred_thousand_records_compare_in_linear_time);
	tcase_add_test(tc, results_linked_to_dev_zero_refused_at_once);
	tcase_add_test(tc, over_long_line_refused);
	tcase_add_test(tc, endless_input_capped);
	tcase_add_test(tc, malformed_meta_is_an_error_naming_it);
	tcase_add_test(tc, meta_of_another_kernel_is_an_error);
	tcase_add_test(tc, missing_meta_is_a_warning);
	tcase_add_test(tc, lone_results_file_needs_no_meta);
	return tc;
}
