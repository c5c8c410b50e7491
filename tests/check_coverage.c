/* check_coverage.c - the requirement list, the tags of cases, the problems and the table of `tcpconf coverage`. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "coverage.h"
#include "error.h"
#include "scratch.h"
#include "suites.h"

static char *dir;

static void setup(void)
{
	char *sub;

	dir = scratch_new();
	ck_assert_int_ge(asprintf(&sub, "%s/close", dir), 0);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	free(sub);
}

static void teardown(void)
{
	scratch_remove(dir);
	free(dir);
}

/* Read dir/list.txt (written from list) into a new table; returns the status. */
static int read_list(struct coverage *c, const char *list, char **error)
{
	char *path;
	int rc;

	scratch_write_in(dir, "list.txt", list);
	ck_assert_int_ge(asprintf(&path, "%s/list.txt", dir), 0);
	rc = coverage_read_list(c, path, error);
	free(path);
	return rc;
}

START_TEST(list_errors_name_the_line)
{
	static const struct { const char *list, *want; } bad[] = {
		{ "# c\nA\nA\n", "list.txt:3: requirement listed twice: A" },
		{ "A\n  because\n", "list.txt:2: expected \"not covered: REASON\" under a requirement" },
		{ "  not covered: x\n", "list.txt:1: a reason, but no requirement without one above it" },
		{ "A\n  not covered: x\n  not covered: y\n",
		  "list.txt:3: a reason, but no requirement without one above it" },
		{ "A\n\tnot covered: \n", "list.txt:2: empty reason" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct coverage *c = coverage_new();
		char *error = NULL;

		ck_assert_int_eq(read_list(c, bad[i].list, &error), STATUS_ERROR);
		ck_assert_msg(strstr(error, bad[i].want), "%zu: %s", i, error);
		free(error);
		coverage_free(c);
	}
}
END_TEST

START_TEST(problems_are_listed)
{
	struct coverage *c = coverage_new();
	char *error = NULL, *problems = NULL;

	ck_assert_int_eq(read_list(c, "A\nB\n  not covered: not on the wire\nC\n", &error), 0);
	scratch_write_in(dir, "close/close-a.pkt", "// Requirement: A\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
	scratch_write_in(dir, "close/close-typo.pkt", "// Requirement: Z\n");
	scratch_write_in(dir, "close/close-none.pkt", "// Claim: nothing\n");
	ck_assert_int_eq(coverage_read_cases(c, dir, &error), 0);
	ck_assert_uint_eq(coverage_problems(c, &problems), 3);
	ck_assert_str_eq(problems,
			 "close/close-none: names no requirement (a \"// Requirement: \" line)\n"
			 "close/close-typo: requirement not in the list: Z\n"
			 "no case and no reason: C\n");
	free(problems);
	coverage_free(c);
}
END_TEST

START_TEST(markdown_table_has_verdicts_per_kernel)
{
	struct coverage *c = coverage_new();
	char *error = NULL, *out = NULL, *kdir;
	size_t len;

	ck_assert_int_eq(read_list(c, "A\nB\n  not covered: not on the wire\n", &error), 0);
	scratch_write_in(dir, "close/close-a.pkt", "// Requirement: A\n");
	ck_assert_int_eq(coverage_read_cases(c, dir, &error), 0);
	ck_assert_int_ge(asprintf(&kdir, "%s/6.1", dir), 0);
	ck_assert_int_eq(mkdir(kdir, 0755), 0);
	scratch_write_in(kdir, "results.jsonl",
			 "{\"case\":\"close/close-a\",\"ip\":\"ipv4\",\"verdict\":\"pass\"}\n"
			 "{\"case\":\"close/close-a\",\"ip\":\"ipv6\",\"verdict\":\"fail\"}\n");
	ck_assert_msg(coverage_read_results(c, kdir, &error) == 0, "%s", error);
	ck_assert_int_eq(coverage_format(c, "markdown", &out, &len, &error), 0);
	ck_assert_str_eq(out,
			 "| Requirement | Case | 6.1 |\n"
			 "|---|---|---|\n"
			 "| A | close/close-a | FAIL |\n"
			 "| B | (no case: not on the wire) |  |\n");
	free(out);
	ck_assert_int_eq(coverage_format(c, "html", &out, &len, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "--format: expected text or markdown vs actual \"html\"");
	free(error);
	free(kdir);
	coverage_free(c);
}
END_TEST

/* The catalogue itself: every case names requirements, all of them listed. */
START_TEST(catalogue_cites_listed_requirements)
{
	struct coverage *c = coverage_new();
	char *error = NULL, *problems = NULL, *p;

	ck_assert_msg(coverage_read_list(c, "cases/requirements.txt", &error) == 0, "%s", error);
	ck_assert_msg(coverage_read_cases(c, "cases", &error) == 0, "%s", error);
	coverage_problems(c, &problems);
	for (p = strtok(problems, "\n"); p; p = strtok(NULL, "\n"))
		ck_assert_msg(!strncmp(p, "no case and no reason: ", 23), "%s", p);
	free(problems);
	coverage_free(c);
}
END_TEST

Suite *coverage_suite(void)
{
	Suite *s = suite_create("coverage");
	TCase *tc = tcase_create("table");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, list_errors_name_the_line);
	tcase_add_test(tc, problems_are_listed);
	tcase_add_test(tc, markdown_table_has_verdicts_per_kernel);
	tcase_add_test(tc, catalogue_cites_listed_requirements);
	suite_add_tcase(s, tc);
	return s;
}
