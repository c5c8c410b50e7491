/* check_matrix.c - harness/matrix.sh without QEMU: its refusals of bad options and paths (exit 2), and how it reads a guest's console log (result files, pcaps, the one-line summary, every case skipped). */
#include <check.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scratch.h"
#include "suites.h"

#define MATRIX "./harness/matrix.sh"

/*
 * harness/matrix.sh ARGS... with standard output and error into one buffer
 * (*out, malloc'd); the exit status.  A run that hangs is killed after 20 s.
 */
static int matrix(char **out, const char *first, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;

	argv[argc++] = MATRIX;
	va_start(ap, first);
	for (const char *a = first; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	return scratch_spawn(argv, false, out);
}

/* Exit 2 and a message holding want. */
static void refused(const char *want, const char *a, const char *b, const char *c)
{
	char *out;

	ck_assert_int_eq(matrix(&out, a, b, c, NULL), 2);
	ck_assert_msg(strstr(out, want), "no \"%s\" in: %s", want, out);
	free(out);
}

/*
 * A file that passes for a bzImage of release 9.9.9-fake: the setup header's
 * "HdrS" at 0x202 and, at 0x20e, where its version string starts (less 0x200).
 */
static void fake_bzimage(const char *path)
{
	unsigned char img[1024] = { 0 };
	FILE *f = fopen(path, "w");

	memcpy(img + 0x202, "HdrS", 4);
	img[0x20e] = 0x00;	/* 0x100 little-endian: the string at 0x300 */
	img[0x20f] = 0x01;
	strcpy((char *)img + 0x300, "9.9.9-fake (someone@somewhere) #1 SMP");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(img, 1, sizeof(img), f), sizeof(img));
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(bad_options_exit_2)
{
	char *dir = scratch_new(), notimage[4200], image[4200], mods[4200];

	snprintf(notimage, sizeof(notimage), "%s/bzImage", dir);
	scratch_write(notimage, "not a kernel\n");
	snprintf(image, sizeof(image), "%s/fake-bzImage", dir);
	fake_bzimage(image);
	snprintf(mods, sizeof(mods), "%s/lib", dir);
	ck_assert_int_eq(mkdir(mods, 0755), 0);
	snprintf(mods, sizeof(mods), "%s/lib/modules", dir);
	ck_assert_int_eq(mkdir(mods, 0755), 0);
	snprintf(mods, sizeof(mods), "%s/lib/modules/6.1.0-other", dir);
	ck_assert_int_eq(mkdir(mods, 0755), 0);
	refused("--kernel /nonexistent/bzImage: no such readable file",
		"--kernel", "/nonexistent/bzImage", NULL);
	refused("not a bzImage", "--kernel", notimage, NULL);
	refused("--kernel-modules /tmp: give it after the --kernel", "--kernel-modules", "/tmp", NULL);
	/* modules of another release than the image's: refused before anything boots */
	{
		char *out;
		const char *argv_mods[] = { mods, dir };

		for (int i = 0; i < 2; i++) {
			ck_assert_int_eq(matrix(&out, "--kernel", image, "--kernel-modules", argv_mods[i],
						NULL), 2);
			ck_assert_msg(strstr(out, "modules for 6.1.0-other, but ") &&
				      strstr(out, "is 9.9.9-fake"), "%s", out);
			free(out);
		}
	}
	refused("--jobs 0: not a positive whole number", "--jobs", "0", NULL);
	refused("--guests x: not a positive whole number", "--guests", "x", NULL);
	refused("--timeout needs a value", "--timeout", NULL, NULL);
	refused("--accel fast: must be auto, tcg or kvm", "--accel", "fast", NULL);
	refused("--results a b:", "--results", "a b", NULL);
	refused("unknown option --frobnicate", "--frobnicate", NULL, NULL);
	refused("--read-console /nonexistent.log: no such file", "--read-console",
		"/nonexistent.log", dir);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/*
 * A console log as a guest prints it: noise, the head lines, one block per
 * "NAME=TEXT" argument (a NAME of "!NAME" gets a wrong checksum), the tail.
 */
static void console_log(const char *log, const char *head, const char *tail, ...)
{
	char cmd[8192];
	int n;
	va_list ap;

	n = snprintf(cmd, sizeof(cmd), "exec >'%s'; printf '\\033c\\033[2J'; "
		     "echo '[    1.0] booting'; printf '%%s\\n' '%s'; ", log, head);
	va_start(ap, tail);
	for (const char *b = va_arg(ap, const char *); b; b = va_arg(ap, const char *)) {
		const char *eq = strchr(b, '=');
		int bad = b[0] == '!';

		n += snprintf(cmd + n, sizeof(cmd) - n,
			      "t='%s'; s=$(printf '%%s' \"$t\" | sha256sum | cut -c1-64); %s"
			      "echo \"==tcpconf-begin %.*s $s==\"; printf '%%s' \"$t\" | gzip -c | base64; "
			      "echo '==tcpconf-end=='; ", eq + 1, bad ? "s=0$s; s=${s%?}; " : "",
			      (int)(eq - b - bad), b + bad);
	}
	va_end(ap);
	snprintf(cmd + n, sizeof(cmd) - n, "printf '%%s\\n' '%s'", tail);
	ck_assert_int_eq(system(cmd), 0);
}

/* what a guest printed before /init said when it started */
#define OLD_HEAD "==tcpconf-uname 9.9.9-test=="
#define FAIL_RECORD "{\"case\":\"a/b\",\"ip\":\"ipv4\",\"verdict\":\"fail\",\"message\":\"m\"}\n"
#define PASS_RECORD "{\"case\":\"a/c\",\"ip\":\"ipv4\",\"verdict\":\"pass\",\"message\":\"\"}\n"
#define SKIP_RECORD "{\"case\":\"a/b\",\"ip\":\"ipv4\",\"verdict\":\"skip\",\"message\":\"no nf_tables\"}\n"

START_TEST(console_gives_files_and_summary)
{
	char *dir = scratch_new(), log[4200], out[4200], path[4300], *text, *got;
	struct stat sb;

	snprintf(log, sizeof(log), "%s/console.log", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	console_log(log, OLD_HEAD, "==tcpconf-exit 1 4.25==",
		    "results.jsonl=" PASS_RECORD FAIL_RECORD, "pcap/a_b-ipv4.pcap=PCAP",
		    "../escape=x", "/abs=x", "!junit.xml=<xml/>", "dmesg.txt=kernel log", NULL);
	ck_assert_int_eq(matrix(&got, "--read-console", log, out, NULL), 0);
	ck_assert_str_eq(got, "matrix: junit.xml: checksum mismatch (console garbled?)\n"
			 "1 passed, 1 failed, 0 skipped; guest uptime 4.25 s\n");
	free(got);
	snprintf(path, sizeof(path), "%s/results.jsonl", out);
	text = scratch_read(path);
	ck_assert_str_eq(text, PASS_RECORD FAIL_RECORD);
	free(text);
	/* pcaps of failures come back under the same relative path */
	snprintf(path, sizeof(path), "%s/pcap/a_b-ipv4.pcap", out);
	text = scratch_read(path);
	ck_assert_str_eq(text, "PCAP");
	free(text);
	/* with the guest's clock at /init and after the cases: where the time went */
	console_log(log, "==tcpconf-uname 9.9.9-test 1.20==", "==tcpconf-ran 3.80==\n==tcpconf-exit 1 4.30==",
		    "results.jsonl=" PASS_RECORD, NULL);
	ck_assert_int_eq(matrix(&got, "--read-console", log, out, NULL), 0);
	ck_assert_str_eq(got, "1 passed, 0 failed, 0 skipped; boot 1.2 s, cases 2.6 s, out 0.5 s\n");
	free(got);
	/* a name leaving the directory, or a garbled block, gives no file */
	snprintf(path, sizeof(path), "%s/escape", dir);
	ck_assert_int_ne(stat(path, &sb), 0);
	snprintf(path, sizeof(path), "%s/junit.xml", out);
	ck_assert_int_ne(stat(path, &sb), 0);
	scratch_remove(dir);
	free(dir);
}
END_TEST

START_TEST(all_skipped_names_the_module)
{
	char *dir = scratch_new(), log[4200], out[4200], *got;

	snprintf(log, sizeof(log), "%s/console.log", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	console_log(log, OLD_HEAD, "==tcpconf-module veth ok==\n==tcpconf-module nf_tables failed==\n"
		    "==tcpconf-exit 4 3.00==", "results.jsonl=" SKIP_RECORD, NULL);
	ck_assert_int_eq(matrix(&got, "--read-console", log, out, NULL), 1);
	ck_assert_str_eq(got, "0 passed, 0 failed, 1 skipped: every case skipped "
			 "(module nf_tables did not load)\n");
	free(got);
	/* without a module to blame, the first skip's reason */
	console_log(log, OLD_HEAD, "==tcpconf-exit 4 3.00==", "results.jsonl=" SKIP_RECORD, NULL);
	ck_assert_int_eq(matrix(&got, "--read-console", log, out, NULL), 1);
	ck_assert_str_eq(got, "0 passed, 0 failed, 1 skipped: every case skipped (no nf_tables)\n");
	free(got);
	scratch_remove(dir);
	free(dir);
}
END_TEST

START_TEST(guest_without_results_fails)
{
	char *dir = scratch_new(), log[4200], out[4200], *got;

	snprintf(log, sizeof(log), "%s/console.log", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	/* a kernel that died before /init ended */
	console_log(log, OLD_HEAD, "Kernel panic - not syncing", NULL);
	ck_assert_int_eq(matrix(&got, "--read-console", log, out, NULL), 1);
	ck_assert_str_eq(got, "no results (qemu status 0)\n");
	free(got);
	console_log(log, OLD_HEAD, "==tcpconf-exit 2 3.00==", NULL);
	ck_assert_int_eq(matrix(&got, "--read-console", log, out, NULL), 1);
	ck_assert_str_eq(got, "no results.jsonl (tcpconf run status 2)\n");
	free(got);
	scratch_remove(dir);
	free(dir);
}
END_TEST

Suite *matrix_suite(void)
{
	Suite *s = suite_create("matrix");
	TCase *tc = tcase_create("script");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, bad_options_exit_2);
	tcase_add_test(tc, console_gives_files_and_summary);
	tcase_add_test(tc, all_skipped_names_the_module);
	tcase_add_test(tc, guest_without_results_fails);
	suite_add_tcase(s, tc);
	return s;
}
