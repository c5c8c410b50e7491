/* check_report.c - records, and the files a run leaves: results.jsonl, TAP, JUnit and meta.json. */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "error.h"
#include "json.h"
#include "records.h"
#include "report.h"
#include "scratch.h"
#include "suites.h"

/* ---- helpers ---- */

static char *make_tmpdir(void)
{
	char *d = strdup("/tmp/tcpconf-test-XXXXXX");

	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_nonnull(mkdtemp(d));
	return d;
}

/* Remove the files a test made in its mkdtemp directory, then the directory. */
static void cleanup(char *dir, const char *const files[])
{
	char path[4200];

	for (size_t i = 0; files[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	ck_assert_int_eq(rmdir(dir), 0);
	free(dir);
}

/* ---- verdicts and records ---- */

START_TEST(verdict_names_round_trip)
{
	enum verdict v = VERDICT_SKIP;

	ck_assert_str_eq(verdict_name(VERDICT_PASS), "pass");
	ck_assert_str_eq(verdict_name(VERDICT_FAIL), "fail");
	ck_assert_str_eq(verdict_name(VERDICT_SKIP), "skip");
	ck_assert_int_eq(verdict_parse("pass", &v), 0);
	ck_assert_int_eq(v, VERDICT_PASS);
	ck_assert_int_eq(verdict_parse("fail", &v), 0);
	ck_assert_int_eq(v, VERDICT_FAIL);
	ck_assert_int_eq(verdict_parse("skip", &v), 0);
	ck_assert_int_eq(v, VERDICT_SKIP);
	ck_assert_int_eq(verdict_parse("PASS", &v), STATUS_ERROR);
	ck_assert_int_eq(verdict_parse("", &v), STATUS_ERROR);
	ck_assert_int_eq(verdict_parse(NULL, &v), STATUS_ERROR);
	ck_assert_int_eq(v, VERDICT_SKIP);
}
END_TEST

START_TEST(add_timing_copies_and_clear_frees_everything)
{
	struct record r;
	char packet[] = ". 1:1(0) ack 7";

	record_set(&r, "a/b", "p", "ipv4", VERDICT_PASS, "", 1, "k");
	ck_assert_int_eq(record_add_timing(&r, 3, packet, 40, 41), 0);
	packet[0] = 'X';
	ck_assert_int_eq(record_add_timing(&r, 4, NULL, 0, 1), 0);
	ck_assert_uint_eq(r.ntimings, 2);
	ck_assert_str_eq(r.timings[0].packet, ". 1:1(0) ack 7");
	ck_assert_str_eq(r.timings[1].packet, "");
	record_clear(&r);
	ck_assert_ptr_null(r.name);
	ck_assert_ptr_null(r.timings);
	ck_assert_uint_eq(r.ntimings, 0);
	record_clear(&r);	/* twice is harmless */
}
END_TEST

/* ---- files ---- */

/* pass, fail (with a timing), skip: the set the file formats are checked on */
static void three_records(struct record r[3])
{
	record_set(&r[0], "close/close-merge-immediate", "cases/close/close-merge-immediate.pkt",
		   "ipv4", VERDICT_PASS, "", 120, "6.18.0-test");
	record_set(&r[1], "delack/delack-no-data", "cases/delack/delack-no-data.pkt", "ipv6",
		   VERDICT_FAIL,
		   "delack-no-data.pkt:12: timing: expected 40 ms vs actual 80 ms\n[pcap: x.pcap]",
		   250, "6.18.0-test");
	record_add_timing(&r[1], 12, ". 1:1(0) ack 2", 40, 80.25);
	record_set(&r[2], "timewait/timewait-active-closer",
		   "cases/timewait/timewait-active-closer.pkt", "ipv4", VERDICT_SKIP,
		   "needs root", 0, "6.18.0-test");
}

static void clear3(struct record r[3])
{
	for (int i = 0; i < 3; i++)
		record_clear(&r[i]);
}

START_TEST(jsonl_written_atomically_and_read_back)
{
	const char *const files[] = { "results.jsonl", "results.jsonl.tmp", NULL };
	char *dir = make_tmpdir(), path[4200], tmp[4300], *error = NULL, *text, *line;
	struct record r[3], *back;
	size_t n;

	three_records(r);
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	ck_assert_msg(report_write_jsonl(path, r, 3, &error) == 0, "%s", error);
	ck_assert_int_eq(access(tmp, F_OK), -1);
	text = scratch_read(path);
	line = json_record_line(&r[0]);
	ck_assert_int_eq(strchr(text, '\n') - text, strlen(line));
	free(line);
	free(text);
	ck_assert_msg(report_read_jsonl(path, &back, &n, &error) == 0, "%s", error);
	ck_assert_uint_eq(n, 3);
	for (size_t i = 0; i < n; i++)
		assert_same_record(&r[i], &back[i]);
	report_free_all(back, n);
	clear3(r);
	cleanup(dir, files);
}
END_TEST

START_TEST(jsonl_reader_skips_blank_lines_and_names_the_bad_line)
{
	const char *const files[] = { "a.jsonl", "b.jsonl", "empty.jsonl", NULL };
	char *dir = make_tmpdir(), path[4200], *error = NULL;
	struct record *r;
	size_t n = 99;
	FILE *f;

	snprintf(path, sizeof(path), "%s/a.jsonl", dir);
	f = fopen(path, "w");
	fputs("{\"verdict\":\"pass\",\"case\":\"a\"}\n\n   \r\n{\"verdict\":\"fail\",\"case\":\"b\"}", f);
	fclose(f);
	ck_assert_msg(report_read_jsonl(path, &r, &n, &error) == 0, "%s", error);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(r[1].name, "b");
	report_free_all(r, n);

	snprintf(path, sizeof(path), "%s/b.jsonl", dir);
	f = fopen(path, "w");
	fputs("{\"verdict\":\"pass\"}\n\n{\"verdict\":\"pass\"\n", f);
	fclose(f);
	ck_assert_int_eq(report_read_jsonl(path, &r, &n, &error), STATUS_ERROR);
	ck_assert_msg(strstr(error, "b.jsonl:3: JSON: expected ',' or '}'"), "%s", error);

	snprintf(path, sizeof(path), "%s/empty.jsonl", dir);
	fclose(fopen(path, "w"));
	ck_assert_int_eq(report_read_jsonl(path, &r, &n, &error), 0);
	ck_assert_uint_eq(n, 0);
	report_free_all(r, n);

	snprintf(path, sizeof(path), "%s/missing.jsonl", dir);
	ck_assert_int_eq(report_read_jsonl(path, &r, &n, &error), STATUS_ERROR);
	ck_assert_msg(strstr(error, "missing.jsonl: No such file or directory"), "%s", error);
	free(error);
	cleanup(dir, files);
}
END_TEST

START_TEST(write_into_missing_directory_fails_naming_the_file)
{
	const char *const files[] = { NULL };
	char *dir = make_tmpdir(), path[4200], *error = NULL;
	struct record r[3];

	three_records(r);
	snprintf(path, sizeof(path), "%s/nodir/results.tap", dir);
	ck_assert_int_eq(report_write_tap(path, r, 3, &error), STATUS_ERROR);
	ck_assert_msg(strstr(error, "nodir/results.tap: No such file or directory"), "%s", error);
	free(error);
	clear3(r);
	cleanup(dir, files);
}
END_TEST

static const char expected_tap[] =
	"TAP version 13\n"
	"1..3\n"
	"ok 1 - close/close-merge-immediate [ipv4]\n"
	"not ok 2 - delack/delack-no-data [ipv6]\n"
	"  ---\n"
	"  message: \"delack-no-data.pkt:12: timing: expected 40 ms vs actual 80 ms\\n[pcap: x.pcap]\"\n"
	"  path: \"cases/delack/delack-no-data.pkt\"\n"
	"  kernel: \"6.18.0-test\"\n"
	"  duration_ms: 250\n"
	"  timings:\n"
	"    - line: 12\n"
	"      packet: \". 1:1(0) ack 2\"\n"
	"      expected_ms: 40\n"
	"      actual_ms: 80.25\n"
	"  ...\n"
	"ok 3 - timewait/timewait-active-closer [ipv4] # SKIP needs root\n";

START_TEST(tap_for_pass_fail_skip)
{
	const char *const files[] = { "results.tap", NULL };
	char *dir = make_tmpdir(), path[4200], *error = NULL, *text;
	struct record r[3];

	three_records(r);
	snprintf(path, sizeof(path), "%s/results.tap", dir);
	ck_assert_msg(report_write_tap(path, r, 3, &error) == 0, "%s", error);
	text = scratch_read(path);
	ck_assert_str_eq(text, expected_tap);
	free(text);
	clear3(r);
	cleanup(dir, files);
}
END_TEST

START_TEST(tap_escapes_hash_and_flattens_skip_reasons)
{
	const char *const files[] = { "t.tap", NULL };
	char *dir = make_tmpdir(), path[4200], *error = NULL, *text;
	struct record r[2];

	record_set(&r[0], "a/b#c\\d", "p", "ipv4", VERDICT_SKIP, "no\nroot\there", 1, "k");
	record_set(&r[1], "a/e", "p", "ipv6", VERDICT_SKIP, "", 1, "k");
	snprintf(path, sizeof(path), "%s/t.tap", dir);
	ck_assert_int_eq(report_write_tap(path, r, 2, &error), 0);
	text = scratch_read(path);
	ck_assert_str_eq(text, "TAP version 13\n1..2\nok 1 - a/b\\#c\\\\d [ipv4] # SKIP no root here\n"
			 "ok 2 - a/e [ipv6] # SKIP\n");
	free(text);
	record_clear(&r[0]);
	record_clear(&r[1]);
	cleanup(dir, files);
}
END_TEST

static const char expected_junit[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<testsuite name=\"tcpconf\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\" time=\"0.370\">\n"
	"  <properties>\n"
	"    <property name=\"kernel\" value=\"6.18.0-test\"/>\n"
	"  </properties>\n"
	"  <testcase classname=\"close\" name=\"close-merge-immediate[ipv4]\" time=\"0.120\"/>\n"
	"  <testcase classname=\"delack\" name=\"delack-no-data[ipv6]\" time=\"0.250\">\n"
	"    <failure message=\"delack-no-data.pkt:12: timing: expected 40 ms vs actual 80 ms&#10;[pcap: x.pcap]\">"
	"delack-no-data.pkt:12: timing: expected 40 ms vs actual 80 ms\n[pcap: x.pcap]\n"
	"line 12 . 1:1(0) ack 2: expected 40.000 ms, actual 80.250 ms</failure>\n"
	"  </testcase>\n"
	"  <testcase classname=\"timewait\" name=\"timewait-active-closer[ipv4]\" time=\"0.000\">\n"
	"    <skipped message=\"needs root\"/>\n"
	"  </testcase>\n"
	"</testsuite>\n";

START_TEST(junit_for_pass_fail_skip)
{
	const char *const files[] = { "junit.xml", NULL };
	char *dir = make_tmpdir(), path[4200], *error = NULL, *text;
	struct record r[3];

	three_records(r);
	snprintf(path, sizeof(path), "%s/junit.xml", dir);
	ck_assert_msg(report_write_junit(path, r, 3, &error) == 0, "%s", error);
	text = scratch_read(path);
	ck_assert_str_eq(text, expected_junit);
	free(text);
	clear3(r);
	cleanup(dir, files);
}
END_TEST

START_TEST(junit_escapes_markup_control_bytes_and_bad_utf8)
{
	const char *const files[] = { "junit.xml", NULL };
	char *dir = make_tmpdir(), path[4200], *error = NULL, *text;
	struct record r;

	record_set(&r, "top<ic>/na&me", "p", "ipv4", VERDICT_FAIL,
		   "a<b & \"c\" 'd'\x01\xff \xc3\xa9\t", 1, "k");
	record_add_timing(&r, 5, "F.", -1, 2);
	snprintf(path, sizeof(path), "%s/junit.xml", dir);
	ck_assert_int_eq(report_write_junit(path, &r, 1, &error), 0);
	text = scratch_read(path);
	ck_assert_msg(strstr(text, "<testcase classname=\"top&lt;ic&gt;\" name=\"na&amp;me[ipv4]\""), "%s", text);
	ck_assert_msg(strstr(text, "<failure message=\"a&lt;b &amp; &quot;c&quot; &apos;d&apos;"
			     "&#xFFFD;&#xFFFD; \xc3\xa9&#9;\">a&lt;b"), "%s", text);
	ck_assert_msg(strstr(text, "\nline 5 F.: expected any time, actual 2.000 ms</failure>"), "%s", text);
	free(text);
	record_clear(&r);
	cleanup(dir, files);
}
END_TEST

START_TEST(empty_run_gives_valid_files)
{
	const char *const files[] = { "t", "j", "x", NULL };
	char *dir = make_tmpdir(), path[4200], *error = NULL, *text;

	snprintf(path, sizeof(path), "%s/t", dir);
	ck_assert_int_eq(report_write_tap(path, NULL, 0, &error), 0);
	text = scratch_read(path);
	ck_assert_str_eq(text, "TAP version 13\n1..0\n");
	free(text);
	snprintf(path, sizeof(path), "%s/j", dir);
	ck_assert_int_eq(report_write_jsonl(path, NULL, 0, &error), 0);
	text = scratch_read(path);
	ck_assert_str_eq(text, "");
	free(text);
	snprintf(path, sizeof(path), "%s/x", dir);
	ck_assert_int_eq(report_write_junit(path, NULL, 0, &error), 0);
	text = scratch_read(path);
	ck_assert_msg(strstr(text, "tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\""), "%s", text);
	free(text);
	cleanup(dir, files);
}
END_TEST

START_TEST(meta_names_kernel_machine_version_date_and_sysctls)
{
	static const char *const keys[] = {
		"\"kernel\": \"", "\"machine\": \"", "\"tcpconf_version\": \"9.9-test\"",
		"\"date\": \"20", "\"namespace\": \"", "\"sysctls\": {",
		"\"net.ipv4.tcp_timestamps\": ", "\"net.ipv4.tcp_sack\": ",
		"\"net.ipv4.tcp_window_scaling\": ", "\"net.ipv4.tcp_fin_timeout\": ",
		"\"net.ipv4.tcp_tw_reuse\": ", "\"net.ipv4.tcp_rmem\": ", "\"net.ipv4.tcp_wmem\": ",
		"\"net.ipv4.tcp_autocorking\": ", "\"net.core.somaxconn\": ",
		/* every tcp_* and net.core.*, not a chosen few */
		"\"net.ipv4.tcp_adv_win_scale\": \"", "\"net.ipv4.tcp_app_win\": \"",
		"\"net.core.rmem_default\": \"", "net.ipv4.tcp_adv_win_scale=",
		/* the machine */
		"\"config_hz\": ", "\"config_hz_source\": ", "\"kernel_ran\": ",
		"\"cpus\": \"", "\"memory\": \"",
	};
	const char *const files[] = { "meta.json", NULL };
	char *dir = make_tmpdir(), path[4200], *error = NULL, *text, *date;
	int y, mo, d, h, mi, s;
	char z;

	snprintf(path, sizeof(path), "%s/meta.json", dir);
	ck_assert_msg(report_write_meta(path, "9.9-test", &error) == 0, "%s", error);
	text = scratch_read(path);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		ck_assert_msg(strstr(text, keys[i]), "no %s in %s", keys[i], text);
	date = strstr(text, "\"date\": \"") + 9;
	ck_assert_int_eq(sscanf(date, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &z), 7);
	ck_assert_int_eq(z, 'Z');
	/* Values are strings with single spaces, as sysctl(8) prints them. */
	ck_assert_msg(!strchr(text, '\t'), "%s", text);
	if (geteuid() == 0)
		ck_assert_msg(strstr(text, "\"namespace\": \"fresh\""), "%s", text);
	free(text);
	cleanup(dir, files);
}
END_TEST

/* What report_write_meta writes, report_read_meta reads back; a missing file is a skip, a bad one an error naming it. */
START_TEST(meta_read_back_and_checked)
{
	const char *const files[] = { "meta.json", NULL };
	char *dir = make_tmpdir(), path[4200], *error = NULL;
	struct report_meta m = { 0 };
	struct utsname u;
	FILE *f;

	snprintf(path, sizeof(path), "%s/meta.json", dir);
	ck_assert_int_eq(report_read_meta(path, &m, &error), STATUS_SKIP);
	ck_assert_msg(strstr(error, "meta.json: No such file or directory"), "%s", error);
	ck_assert_msg(report_write_meta(path, "9.9-test", &error) == 0, "%s", error);
	ck_assert_msg(report_read_meta(path, &m, &error) == 0, "%s", error);
	ck_assert_int_eq(uname(&u), 0);
	ck_assert_str_eq(m.kernel, u.release);
	ck_assert_str_eq(m.machine, u.machine);
	ck_assert_str_eq(m.tcpconf_version, "9.9-test");
	ck_assert_uint_eq(strlen(m.date), 20);
	ck_assert_ptr_nonnull(m.namespace);
	report_meta_clear(&m);
	ck_assert_ptr_null(m.kernel);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("{\"kernel\": \"6.1\", \"date\": [", f);
	fclose(f);
	ck_assert_int_eq(report_read_meta(path, &m, &error), STATUS_ERROR);
	ck_assert_msg(strstr(error, "meta.json: \"date\": JSON: expected a string"), "%s", error);
	ck_assert_ptr_null(m.kernel);
	free(error);
	cleanup(dir, files);
}
END_TEST

/* A meta.json is small: anything past REPORT_META_MAX, or a NUL, is not one. */
START_TEST(meta_reader_is_bounded)
{
	char *error = NULL;
	struct report_meta m = { 0 };

	ck_assert_int_eq(report_read_meta("/dev/zero", &m, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "/dev/zero: NUL byte in the file");
	free(error);
}
END_TEST

Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("record");

	tcase_add_test(tc, verdict_names_round_trip);
	tcase_add_test(tc, add_timing_copies_and_clear_frees_everything);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_test(tc, jsonl_written_atomically_and_read_back);
	tcase_add_test(tc, jsonl_reader_skips_blank_lines_and_names_the_bad_line);
	tcase_add_test(tc, write_into_missing_directory_fails_naming_the_file);
	tcase_add_test(tc, tap_for_pass_fail_skip);
	tcase_add_test(tc, tap_escapes_hash_and_flattens_skip_reasons);
	tcase_add_test(tc, junit_for_pass_fail_skip);
	tcase_add_test(tc, junit_escapes_markup_control_bytes_and_bad_utf8);
	tcase_add_test(tc, empty_run_gives_valid_files);
	tcase_add_test(tc, meta_names_kernel_machine_version_date_and_sysctls);
	tcase_add_test(tc, meta_read_back_and_checked);
	tcase_add_test(tc, meta_reader_is_bounded);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, report_ktap_tcase());
	return s;
}
