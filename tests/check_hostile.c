/*
 * check_hostile.c - scripts that try to reach the host (the templates in tests/hostile/):
 * each run must be contained, and each test shows the host as it was.
 *
 * The scripts are templates: @VICTIM@ becomes the pid of a process this
 * test starts on the host, @HOSTFILE@ a file it owns, @TMPNAME@ a name in
 * the host's /tmp, @SWAPPINESS@ a value other than the host's.  A test
 * passes only when the victim still runs and every file and setting is
 * unchanged; the verdict the run gives is secondary (refused, failed or
 * skipped are all contained).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scratch.h"
#include "skip.h"
#include "suites.h"

#define TCPCONF "./harness/tcpconf"
#define HOSTILE "tests/hostile/"

/* A host process for scripts to aim at; it only waits to be killed. */
static pid_t victim_start(void)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	return pid;
}

/* Still running (not exited, not killed), then ended by us. */
static void victim_check_and_end(pid_t pid, const char *script)
{
	int status;
	pid_t w = waitpid(pid, &status, WNOHANG);

	ck_assert_msg(w == 0, "%s: the host process %d died (%s %d)", script,
		      (int)pid, w > 0 && WIFSIGNALED(status) ? "signal" : "status",
		      w > 0 ? (WIFSIGNALED(status) ? WTERMSIG(status) :
			       WEXITSTATUS(status)) : -1);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

/* A host file's bytes, or NULL when a script made it go. */
static char *host_read(const char *path)
{
	return access(path, R_OK) == 0 ? scratch_read(path) : NULL;
}

/* Every @KEY@ in text replaced by its value; keys[] ends with NULL. */
static char *fill(const char *text, const char *const *keys, const char *const *values)
{
	char *out = strdup(text);

	for (size_t k = 0; keys[k]; k++) {
		char *at;

		while ((at = strstr(out, keys[k]))) {
			char *n;

			*at = '\0';
			ck_assert_int_ge(asprintf(&n, "%s%s%s", out, values[k],
						  at + strlen(keys[k])), 0);
			free(out);
			out = n;
		}
	}
	return out;
}

/*
 * Write template name into dir/cases/hostile/ with the values filled in;
 * the directories are open to every user (a case may run under another
 * uid than ours and its commands start in the script's directory).
 */
static char *script_write(const char *dir, const char *name,
			  const char *const *keys, const char *const *values)
{
	char *tpl_path, *text, *filled, *sub, *path;

	ck_assert_int_ge(asprintf(&tpl_path, HOSTILE "%s", name), 0);
	text = scratch_read(tpl_path);
	filled = fill(text, keys, values);
	ck_assert_int_ge(asprintf(&sub, "%s/cases", dir), 0);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	free(sub);
	ck_assert_int_ge(asprintf(&sub, "%s/cases/hostile", dir), 0);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	ck_assert_int_ge(asprintf(&path, "%s/%s", sub, name), 0);
	scratch_write(path, filled);
	chmod(dir, 0755);
	free(sub);
	free(filled);
	free(text);
	free(tpl_path);
	return path;
}

/* Run tcpconf with argv (NULL-terminated, after "run"); its wait status.
 * Its output goes to dir/out for the messages. */
static int run(const char *dir, const char *const *args)
{
	const char *argv[16] = { TCPCONF, "run" };
	char out[4200];
	size_t n = 2;
	int status;
	pid_t pid;

	for (size_t i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	snprintf(out, sizeof(out), "%s/out", dir);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (!freopen(out, "w", stdout) || dup2(1, 2) < 0)
			_exit(127);
		execv(TCPCONF, (char *const *)argv);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) <= 2,
		      "tcpconf run: status %#x", status);
	return status;
}

static char *out_text(const char *dir)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/out", dir);
	return scratch_read(path);
}

/*
 * Run template name aimed at a live host process; it must live.  The run's
 * output, for more checks (the caller frees).
 */
static char *aim_at_victim(const char *name)
{
	char *dir = scratch_new(), pid[16], *script, *out;
	const char *keys[] = { "@VICTIM@", NULL };
	const char *values[] = { pid, NULL };
	pid_t victim = victim_start();

	snprintf(pid, sizeof(pid), "%d", (int)victim);
	script = script_write(dir, name, keys, values);
	run(dir, (const char *[]){ script, NULL });
	usleep(100 * 1000);	/* a signal sent at the end would be on its way by now */
	out = out_text(dir);
	victim_check_and_end(victim, out);
	free(script);
	scratch_remove(dir);
	free(dir);
	return out;
}

START_TEST(fcntl_cannot_signal_a_host_process)
{
	char *out = aim_at_victim("fcntl-signal.pkt");

	ck_assert_msg(strstr(out, "0 passed"), "the script passed: %s", out);
	free(out);
}
END_TEST

START_TEST(shell_cannot_signal_a_host_process)
{
	free(aim_at_victim("shell-kill.pkt"));
}
END_TEST

START_TEST(shell_cannot_write_host_files)
{
	char *dir = scratch_new(), *script, *out, *got, host[4200], beside[4300];
	char tmpname[64], tmppath[128], hostdir[] = "/var/tmp/tcpconf-hostile-XXXXXX";
	const char *keys[] = { "@HOSTFILE@", "@TMPNAME@", NULL };
	const char *values[] = { host, tmpname, NULL };

	/* outside /tmp, which the case has a private one of, and open to all */
	ck_assert_ptr_nonnull(mkdtemp(hostdir));
	chmod(hostdir, 0777);
	snprintf(host, sizeof(host), "%s/host-file", hostdir);
	snprintf(beside, sizeof(beside), "%s.new", host);
	snprintf(tmpname, sizeof(tmpname), "tcpconf-hostile-%d", (int)getpid());
	snprintf(tmppath, sizeof(tmppath), "/tmp/%s", tmpname);
	unlink(tmppath);
	script = script_write(dir, "shell-write.pkt", keys, values);
	scratch_write(host, "intact\n");
	/* writable by anyone: only the sandbox stands between it and the script */
	chmod(host, 0666);
	run(dir, (const char *[]){ script, NULL });
	out = out_text(dir);
	got = host_read(host);
	ck_assert_msg(got && !strcmp(got, "intact\n"), "host file now reads %s (%s)",
		      got ? got : "(gone)", out);
	ck_assert_msg(access(beside, F_OK) != 0, "%s was created (%s)", beside, out);
	ck_assert_msg(access(tmppath, F_OK) != 0, "%s was created (%s)", tmppath, out);
	unlink(tmppath);
	unlink(beside);
	unlink(host);
	rmdir(hostdir);
	free(got);
	free(out);
	free(script);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* A kernel without the setting reads the same before and after. */
static char *sysctl_read(const char *path)
{
	char *v = host_read(path);

	return v ? v : strdup("(unreadable)");
}

START_TEST(scripts_cannot_change_host_sysctls)
{
	static const char lwt[] = "/proc/sys/net/netfilter/nf_hooks_lwtunnel";
	static const char swp[] = "/proc/sys/vm/swappiness";
	char *dir = scratch_new(), *script, *out, *lwt0, *swp0, *lwt1, *swp1, other[16];
	const char *keys[] = { "@SWAPPINESS@", NULL };
	const char *values[] = { other, NULL };

	lwt0 = sysctl_read(lwt);
	swp0 = sysctl_read(swp);
	snprintf(other, sizeof(other), "%d", atoi(swp0) == 33 ? 34 : 33);
	script = script_write(dir, "sysctl-global.pkt", keys, values);
	run(dir, (const char *[]){ script, NULL });
	out = out_text(dir);
	lwt1 = sysctl_read(lwt);
	swp1 = sysctl_read(swp);
	if (strcmp(swp0, swp1)) {
		/* put the host back before failing */
		FILE *f = fopen(swp, "w");

		if (f) {
			fputs(swp0, f);
			fclose(f);
		}
	}
	ck_assert_msg(!strcmp(lwt0, lwt1), "%s changed from %s to %s (%s)", lwt,
		      lwt0, lwt1, out);
	ck_assert_msg(!strcmp(swp0, swp1), "%s changed from %s to %s (%s)", swp,
		      swp0, swp1, out);
	ck_assert_msg(strstr(out, "0 passed"), "the script passed: %s", out);
	free(lwt0);
	free(swp0);
	free(lwt1);
	free(swp1);
	free(out);
	free(script);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/*
 * Symlinks planted where a run writes: under the old fixed temporary names
 * and at the failing case's pcap name.  The file they point at must keep
 * its bytes; the pcap must be a file of its own.
 */
START_TEST(planted_symlinks_are_not_followed)
{
	static const char *const planted[] = {
		"results.jsonl.tmp", "results.tap.tmp", "junit.xml.tmp",
		"meta.json.tmp", "pcap/hostile_fail-ipv4.pcap",
	};
	char *dir = scratch_new(), *script, *out, *got, victim[4200], path[4300];
	const char *keys[] = { NULL };
	struct stat sb;

	script = script_write(dir, "fail.pkt", keys, keys);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	scratch_write(victim, "intact\n");
	snprintf(path, sizeof(path), "%s/res", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/res/pcap", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	for (size_t i = 0; i < sizeof(planted) / sizeof(planted[0]); i++) {
		snprintf(path, sizeof(path), "%s/res/%s", dir, planted[i]);
		ck_assert_int_eq(symlink(victim, path), 0);
	}
	snprintf(path, sizeof(path), "%s/res", dir);
	run(dir, (const char *[]){ "--results", path, script, NULL });
	out = out_text(dir);
	got = host_read(victim);
	ck_assert_msg(got && !strcmp(got, "intact\n"), "victim now reads %.80s (%s)",
		      got ? got : "(gone)", out);
	ck_assert_msg(strstr(out, "1 failed"), "the case did not fail: %s", out);
	snprintf(path, sizeof(path), "%s/res/pcap/hostile_fail-ipv4.pcap", dir);
	ck_assert_msg(lstat(path, &sb) == 0 && S_ISREG(sb.st_mode),
		      "%s is not the run's own pcap (%s)", path, out);
	free(got);
	free(out);
	free(script);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* A --pcap-dir that is a symlink is refused: nothing lands where it points. */
START_TEST(symlinked_pcap_dir_is_refused)
{
	char *dir = scratch_new(), *script, *out, target[4200], link[4200];
	const char *keys[] = { NULL };
	int status;

	script = script_write(dir, "fail.pkt", keys, keys);
	snprintf(target, sizeof(target), "%s/elsewhere", dir);
	ck_assert_int_eq(mkdir(target, 0755), 0);
	snprintf(link, sizeof(link), "%s/pcaps", dir);
	ck_assert_int_eq(symlink(target, link), 0);
	status = run(dir, (const char *[]){ "--pcap-dir", link, script, NULL });
	out = out_text(dir);
	ck_assert_msg(WEXITSTATUS(status) != 0, "run succeeded: %s", out);
	ck_assert_msg(rmdir(target) == 0, "%s is not empty (%s)", target, out);
	free(out);
	free(script);
	scratch_remove(dir);
	free(dir);
}
END_TEST

Suite *hostile_suite(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("contained");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, fcntl_cannot_signal_a_host_process);
	tcase_add_test(tc, shell_cannot_signal_a_host_process);
	tcase_add_test(tc, shell_cannot_write_host_files);
	tcase_add_test(tc, scripts_cannot_change_host_sysctls);
	tcase_add_test(tc, planted_symlinks_are_not_followed);
	tcase_add_test(tc, symlinked_pcap_dir_is_refused);
	suite_add_tcase(s, tc);
	return s;
}
