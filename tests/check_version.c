/* check_version.c - what build this is (--version, meta.json), and how it is packaged: make install, the kselftest wrapper. */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ktap_check.h"
#include "runner_test.h"
#include "scratch.h"
#include "skip.h"
#include "suites.h"
#include "version.h"

/* The first line cmd prints, malloc'd ("" when none). */
static char *first_line(const char *cmd)
{
	char buf[4096] = "";
	FILE *p = popen(cmd, "r");

	ck_assert_ptr_nonnull(p);
	if (!fgets(buf, sizeof(buf), p))
		buf[0] = '\0';
	pclose(p);
	buf[strcspn(buf, "\n")] = '\0';
	return strdup(buf);
}

/* Built in this git work tree: the commit is HEAD's; elsewhere it says so. */
START_TEST(version_names_the_commit)
{
	char cwd[PATH_MAX], *top = first_line("git rev-parse --show-toplevel 2>/dev/null");
	char *head = first_line("git rev-parse --short=12 HEAD 2>/dev/null"), *out, want[256];

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	if (!strcmp(top, cwd)) {
		ck_assert_ptr_nonnull(version_commit());
		ck_assert_msg(!strncmp(version_commit(), head, strlen(head)) && *head,
			      "built from %s, HEAD is %s", version_commit(), head);
		ck_assert_ptr_nonnull(strstr(version_string(), version_commit()));
	} else {
		ck_assert_ptr_null(version_commit());
		ck_assert_ptr_nonnull(strstr(version_string(), "not built from git"));
	}
	out = first_line(TCPCONF " --version");
	snprintf(want, sizeof(want), "tcpconf %s", version_string());
	ck_assert_str_eq(out, want);
	free(out);
	free(top);
	free(head);
}
END_TEST

/* meta.json records the commit --version prints. */
START_TEST(meta_records_the_commit)
{
	char *dir = scratch_new(), pkt[1024], res[900], *text, want[300];
	char *args[] = { "--results", res, pkt, NULL };

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	snprintf(pkt, sizeof(pkt), "%s/case.pkt", dir);
	snprintf(res, sizeof(res), "%s/results", dir);
	ck_assert_int_ge(asprintf(&text, "%s+0 close(4) = 0\n+0 > F. 1:1(0) ack 1\n", prelude), 0);
	scratch_write(pkt, text);
	free(text);
	ck_assert_int_eq(tcpconf_wait(tcpconf_start(args, "/dev/null", 0)), 0);
	snprintf(pkt, sizeof(pkt), "%s/meta.json", res);
	text = scratch_read(pkt);
	if (version_commit())
		snprintf(want, sizeof(want), "\"tcpconf_commit\": \"%s\"", version_commit());
	else
		snprintf(want, sizeof(want), "\"tcpconf_commit\": null");
	ck_assert_msg(strstr(text, want) && strstr(text, version_string()), "%s", text);
	free(text);
	scratch_remove(dir);
	free(dir);
}
END_TEST

static bool exists(const char *dir, const char *rel, mode_t mode)
{
	char path[8400];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_mode & mode) == mode;
}

/* make install PREFIX= DESTDIR=: binary, man page, config fragment, wrapper, catalogue. */
START_TEST(install_honours_prefix_and_destdir)
{
	char *dir = scratch_new(), cmd[4400], *count, *want, path[4200], *text;

	snprintf(cmd, sizeof(cmd), "env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s install "
		 "PREFIX=/opt/tc DESTDIR='%s/root' >/dev/null 2>&1", dir);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/root/opt/tc", dir);
	ck_assert(exists(path, "bin/tcpconf", 0755));
	ck_assert(exists(path, "share/man/man1/tcpconf.1", 0644));
	ck_assert(exists(path, "share/tcpconf/ksft_runner.sh", 0755));
	ck_assert(exists(path, "share/tcpconf/cases/close/close-merge-immediate.pkt", 0644));
	snprintf(cmd, sizeof(cmd), "find '%s/share/tcpconf/cases' -name '*.pkt' | wc -l", path);
	count = first_line(cmd);
	want = first_line("find cases -name '*.pkt' | wc -l");
	ck_assert_str_eq(count, want);
	free(count);
	free(want);
	snprintf(cmd, sizeof(cmd), "%s/share/tcpconf/config", path);
	text = scratch_read(cmd);
	ck_assert(strstr(text, "CONFIG_VETH=") && strstr(text, "CONFIG_USER_NS=y") &&
		  strstr(text, "CONFIG_NF_TABLES_NETDEV=y") && strstr(text, "CONFIG_PACKET=y"));
	free(text);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* The kselftest wrapper: KTAP and the run's status; without tcpconf, a skip-all. */
START_TEST(ksft_runner_speaks_ktap)
{
	char *dir = scratch_new(), cmd[4400], path[4200], *text, buf[200];
	struct ktap_summary s;
	int rc;

	snprintf(cmd, sizeof(cmd), "cp harness/ksft_runner.sh '%s/' && env PATH=/usr/bin:/bin "
		 "'%s/ksft_runner.sh' > '%s/alone.ktap'", dir, dir, dir);
	rc = system(cmd);
	ck_assert_int_eq(WEXITSTATUS(rc), 4);
	snprintf(path, sizeof(path), "%s/alone.ktap", dir);
	text = scratch_read(path);
	ck_assert_str_eq(text, "KTAP version 1\n1..0 # SKIP tcpconf not found (build it: make)\n");
	free(text);
	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		goto out;
	snprintf(path, sizeof(path), "%s/case.pkt", dir);
	ck_assert_int_ge(asprintf(&text, "%s+0 close(4) = 0\n+0 > F. 1:1(0) ack 1\n", prelude), 0);
	scratch_write(path, text);
	free(text);
	snprintf(cmd, sizeof(cmd), "KSFT_MACHINE_SLOW=1 harness/ksft_runner.sh --results '%s/r' "
		 "'%s' > '%s/out.ktap' 2>/dev/null", dir, path, dir);
	ck_assert_int_eq(WEXITSTATUS(system(cmd)), 0);
	snprintf(path, sizeof(path), "%s/out.ktap", dir);
	text = scratch_read(path);
	ck_assert_msg(!ktap_check(text, &s, buf, sizeof(buf)), "%s in:\n%s", buf, text);
	ck_assert_int_eq(s.pass, 2);
	free(text);
	snprintf(path, sizeof(path), "%s/r/meta.json", dir);
	text = scratch_read(path);
	ck_assert_msg(strstr(text, "\"tolerance_usecs\": 14000"), "%s", text);
	free(text);
	/* options with values and no PATH: the catalogue beside it (here, the one case) */
	snprintf(cmd, sizeof(cmd), "cd '%s' && mkdir cases && mv case.pkt cases/ && "
		 "ln -s '%s/" TCPCONF "' tcpconf && ./ksft_runner.sh --ktap '%s/file.ktap' -j 2 "
		 ">/dev/null 2>&1", dir, getcwd(path, sizeof(path)), dir);
	ck_assert_int_eq(WEXITSTATUS(system(cmd)), 0);
	snprintf(path, sizeof(path), "%s/file.ktap", dir);
	text = scratch_read(path);
	ck_assert_msg(!ktap_check(text, &s, buf, sizeof(buf)) && s.pass == 2, "%s", text);
	free(text);
out:
	scratch_remove(dir);
	free(dir);
}
END_TEST

Suite *version_suite(void)
{
	Suite *s = suite_create("version");
	TCase *tc = tcase_create("version");

	tcase_add_test(tc, version_names_the_commit);
	tcase_add_test(tc, meta_records_the_commit);
	suite_add_tcase(s, tc);
	tc = tcase_create("packaging");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, install_honours_prefix_and_destdir);
	tcase_add_test(tc, ksft_runner_speaks_ktap);
	suite_add_tcase(s, tc);
	return s;
}
