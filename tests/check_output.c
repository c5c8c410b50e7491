/* check_output.c - output_write: regular files replaced whole, links followed, streams written in place, planted links ignored. */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "output.h"
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

/* dir/name, in a static buffer (one of four, so a test may hold a few). */
static const char *at(const char *name)
{
	return scratch_at(dir, name);
}

static char *get(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_msg(f != NULL, "%s missing", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void write_ok(const char *path, const char *text)
{
	char *error = NULL;

	ck_assert_msg(output_write(path, text, strlen(text), &error) == 0, "%s", error);
}

/* Entries in the scratch directory: a failed or finished write leaves no temporary. */
static int entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

START_TEST(test_new_and_replaced)
{
	struct stat sb;

	write_ok(at("results.tap"), "one\n");
	ck_assert_str_eq(get(at("results.tap")), "one\n");
	ck_assert_int_eq(chmod(at("results.tap"), 0600), 0);
	write_ok(at("results.tap"), "two\n");
	ck_assert_str_eq(get(at("results.tap")), "two\n");
	ck_assert_int_eq(stat(at("results.tap"), &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);	/* the old file's mode kept */
	ck_assert_int_eq(entries(), 1);
}
END_TEST

/* The old writer opened PATH.tmp with O_CREAT|O_TRUNC: a link planted
 * there made root overwrite what it pointed at. */
START_TEST(test_planted_tmp_link_ignored)
{
	scratch_write(at("victim"), "precious\n");
	ck_assert_int_eq(symlink(at("victim"), at("results.jsonl.tmp")), 0);
	write_ok(at("results.jsonl"), "{}\n");
	ck_assert_str_eq(get(at("victim")), "precious\n");
	ck_assert_str_eq(get(at("results.jsonl")), "{}\n");
}
END_TEST

START_TEST(test_symlink_followed)
{
	struct stat sb;

	scratch_write(at("real.xml"), "old\n");
	ck_assert_int_eq(symlink("real.xml", at("junit.xml")), 0);
	write_ok(at("junit.xml"), "new\n");
	ck_assert_int_eq(lstat(at("junit.xml"), &sb), 0);
	ck_assert_msg(S_ISLNK(sb.st_mode), "the link was replaced");
	ck_assert_str_eq(get(at("real.xml")), "new\n");
	ck_assert_int_eq(entries(), 2);
}
END_TEST

START_TEST(test_dangling_link_refused)
{
	char *error = NULL;

	ck_assert_int_eq(symlink(at("nowhere"), at("out.tap")), 0);
	ck_assert_int_lt(output_write(at("out.tap"), "x", 1, &error), 0);
	ck_assert_ptr_nonnull(strstr(error, "out.tap"));
	ck_assert_int_ne(access(at("nowhere"), F_OK), 0);
	free(error);
}
END_TEST

START_TEST(test_fifo_in_place)
{
	char buf[16] = { 0 };
	struct stat sb;
	int rfd;

	ck_assert_int_eq(mkfifo(at("pipe"), 0600), 0);
	rfd = open(at("pipe"), O_RDONLY | O_NONBLOCK);
	ck_assert_int_ge(rfd, 0);
	write_ok(at("pipe"), "1..3\n");
	ck_assert_int_eq(read(rfd, buf, sizeof(buf) - 1), 5);
	ck_assert_str_eq(buf, "1..3\n");
	ck_assert_int_eq(lstat(at("pipe"), &sb), 0);
	ck_assert_msg(S_ISFIFO(sb.st_mode), "the FIFO was replaced");
	ck_assert_int_eq(entries(), 1);
	close(rfd);
}
END_TEST

/* "-" and /dev/stdout are this process's standard output, not files. */
START_TEST(test_stdout_in_place)
{
	static const char *const names[] = { "-", "/dev/stdout", "/dev/fd/1" };
	char buf[64] = { 0 };
	int p[2], saved = dup(STDOUT_FILENO);

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_ge(dup2(p[1], STDOUT_FILENO), 0);
	for (size_t i = 0; i < 3; i++)
		write_ok(names[i], "ok 1\n");
	dup2(saved, STDOUT_FILENO);
	close(p[1]);
	ck_assert_int_eq(read(p[0], buf, sizeof(buf) - 1), 15);
	ck_assert_str_eq(buf, "ok 1\nok 1\nok 1\n");
	ck_assert_int_ne(access("-", F_OK), 0);
	close(p[0]);
	close(saved);
}
END_TEST

START_TEST(test_failures_name_the_path)
{
	char *error = NULL;

	ck_assert_int_lt(output_write(at("no/such/dir/results.tap"), "x", 1, &error), 0);
	ck_assert_ptr_nonnull(strstr(error, "no/such/dir/results.tap"));
	ck_assert_int_lt(output_write(dir, "x", 1, &error), 0);
	ck_assert_ptr_nonnull(strstr(error, "Is a directory"));
	if (access("/dev/full", W_OK) == 0) {	/* a device: written in place, and full */
		ck_assert_int_lt(output_write("/dev/full", "x", 1, &error), 0);
		ck_assert_str_eq(error, "/dev/full: No space left on device");
	}
	ck_assert_int_lt(output_write("/dev/fd/999", "x", 1, &error), 0);
	ck_assert_str_eq(error, "/dev/fd/999: Bad file descriptor");
	ck_assert_int_eq(entries(), 0);
	free(error);
}
END_TEST

Suite *output_suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_new_and_replaced);
	tcase_add_test(tc, test_planted_tmp_link_ignored);
	tcase_add_test(tc, test_symlink_followed);
	tcase_add_test(tc, test_dangling_link_refused);
	tcase_add_test(tc, test_fifo_in_place);
	tcase_add_test(tc, test_stdout_in_place);
	tcase_add_test(tc, test_failures_name_the_path);
	suite_add_tcase(s, tc);
	return s;
}
