/* check_runner_calls.c - the calls and %{ }% blocks of issue #11 run for real: each script of tests/scripts/calls passes in both IP versions, each one changed to a wrong expectation fails saying expected vs actual, and open() reads the case's own /tmp. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "runner_test.h"
#include "skip.h"
#include "suites.h"

#define CALLS "tests/scripts/calls/"

static const char *const scripts[] = {
	"poll-epoll-ioctl.pkt", "code-tcp-info.pkt", "msghdr.pkt", "connect-unspec.pkt",
	"errqueue-timestamping.pkt", "fastopen-cookie-ipv4.pkt", "fastopen-cookie-ipv6.pkt",
	"pipe-splice.pkt", "open-sendfile.pkt", "timestamping-drift.pkt", "code-meminfo.pkt",
	"zerocopy.pkt",
};

/* Each script with one expectation made wrong, and what the failure must say. */
static const struct {
	const char *script, *from, *to, *message;
} wrong[] = {
	{ "poll-epoll-ioctl.pkt", "revents=POLLOUT}", "revents=POLLIN}",
	  "poll() revents of fd=4: expected 0x1 vs actual 0x4" },
	{ "poll-epoll-ioctl.pkt", "SIOCINQ, [1000]", "SIOCINQ, [999]",
	  "ioctl() value: expected [999] vs actual [1000]" },
	{ "poll-epoll-ioctl.pkt", "SIOCOUTQ, [100]", "SIOCOUTQ, [10]",
	  "ioctl() value: expected [10] vs actual [100]" },
	{ "poll-epoll-ioctl.pkt", "{events=EPOLLIN, fd=4}, 1, 0) = 1",
	  "{events=EPOLLOUT, fd=4}, 1, 0) = 1", "epoll_wait() event: expected {events=0x4, fd=4} vs actual {events=0x1, fd=4}" },
	{ "code-tcp-info.pkt", "tcpi_snd_cwnd == cwnd + 1", "tcpi_snd_cwnd == cwnd + 2",
	  "%{ }% line 22: assert tcpi_snd_cwnd == cwnd + 2: expected true vs actual false "
	  "(tcpi_snd_cwnd=11, cwnd=10)" },
	{ "code-tcp-info.pkt", "tcpi_snd_mss == 1000", "tcpi_snd_mss == 1460",
	  "%{ }% line 14: assert tcpi_snd_mss == 1460 and tcpi_ca_state == TCP_CA_Open: "
	  "expected true vs actual false (tcpi_snd_mss=1000, tcpi_ca_state=0, TCP_CA_Open=0)" },
	{ "code-tcp-info.pkt", "assert tcpi_unacked == 1", "assert tcpi_unacked == 0",
	  "assert tcpi_unacked == 0: expected true vs actual false (tcpi_unacked=1)" },
	{ "msghdr.pkt", "cmsg_data=600", "cmsg_data=601",
	  "recvmsg() cmsg 1 cmsg_data: expected 601 vs actual 600" },
	{ "msghdr.pkt", "0) = 400", "0) = 401", "recvmsg() returned: expected 401 vs actual 400" },
	{ "msghdr.pkt", "                 msg_flags=0,", "                 msg_flags=MSG_TRUNC,",
	  "recvmsg() msg_flags: expected 0x20 vs actual 0" },
	{ "msghdr.pkt", "{..., 20}], msg_flags=0}, 0) = 30", "{..., 21}], msg_flags=0}, 0) = 30",
	  "sendmsg() returned: expected 30 vs actual 31" },
	{ "msghdr.pkt", "recvfrom(4, ..., 600, 0, ..., ...) = 600",
	  "recvfrom(4, ..., 600, 0, ..., ...) = 500", "recvfrom() returned: expected 500 vs actual 600" },
	{ "errqueue-timestamping.pkt", "ee_data=99}}]}, MSG_ERRQUEUE) = 0\n+0   recvmsg",
	  "ee_data=98}}]}, MSG_ERRQUEUE) = 0\n+0   recvmsg",
	  "recvmsg() cmsg 2 ee_data: expected 98 vs actual 99" },
	{ "errqueue-timestamping.pkt", "ee_info=SCM_TSTAMP_SND", "ee_info=SCM_TSTAMP_ACK",
	  "recvmsg() cmsg 2 ee_info: expected 2 vs actual 0" },
	{ "errqueue-timestamping.pkt", "scm_nsec=50000000}},\n                   {cmsg_level=SOL_IP, cmsg_type=IP_RECVERR,\n                    cmsg_data={ee_errno=ENOMSG, ee_origin=SO_EE_ORIGIN_TIMESTAMPING,\n                               ee_type=0, ee_code=0, ee_info=SCM_TSTAMP_SCHED",
	  "scm_nsec=90000000}},\n                   {cmsg_level=SOL_IP, cmsg_type=IP_RECVERR,\n                    cmsg_data={ee_errno=ENOMSG, ee_origin=SO_EE_ORIGIN_TIMESTAMPING,\n                               ee_type=0, ee_code=0, ee_info=SCM_TSTAMP_SCHED",
	  "recvmsg() cmsg 1 SCM_TIMESTAMPING: expected 0.090000 s (" },
	{ "timestamping-drift.pkt", "scm_nsec=50000000", "scm_nsec=62000000",
	  "recvmsg() cmsg 1 SCM_TIMESTAMPING: expected 0.062000 s (" },
	{ "code-meminfo.pkt", "SK_MEMINFO_RCVBUF == 131072", "SK_MEMINFO_RCVBUF == 131073",
	  "assert SK_MEMINFO_RCVBUF == 131073: expected true vs actual false "
	  "(SK_MEMINFO_RCVBUF=131072; message: 131072)" },
	{ "code-meminfo.pkt", "assert SK_MEMINFO_RMEM_ALLOC == 0, SK_MEMINFO_RMEM_ALLOC",
	  "assert SK_MEMINFO_RMEM_ALLOC > 0, SK_MEMINFO_RMEM_ALLOC",
	  "assert SK_MEMINFO_RMEM_ALLOC > 0: expected true vs actual false "
	  "(SK_MEMINFO_RMEM_ALLOC=0; message: 0)" },
	{ "connect-unspec.pkt", "> R. 1:1(0) ack 1", "> F. 1:1(0) ack 1",
	  "flags differ: expected F. 1:1(0) ack 1 vs actual R. 1:1(0) ack 1" },
	/* the kernel's cookie is shown as the runner's; a wrong one is not */
	{ "fastopen-cookie-ipv4.pkt", "FO 3021b9d889017eeb,nop,nop>\n+0   < . 1:1(0)",
	  "FO 3021b9d889017eec,nop,nop>\n+0   < . 1:1(0)",
	  "options differ: expected S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 7,"
	  "FO 3021b9d889017eec,nop,nop> vs actual S. 0:0(0) ack 1 win 64240 <mss 1460,nop,nop,"
	  "sackOK,nop,wscale 7,FO 3021b9d889017eeb,nop,nop>" },
	/* a cookie the script did not earn is refused: the data is not acked */
	{ "fastopen-cookie-ipv6.pkt", "wscale 7,FO b89bd74581a3edc7,nop,nop>\n+0   > S. 0:0(0) ack 1011",
	  "wscale 7,FO c1d1e9742a47a9bc,nop,nop>\n+0   > S. 0:0(0) ack 1011",
	  "ack differs: expected S. 0:0(0) ack 1011" },
	/* the completions of both zero-copy sends come as one range */
	{ "zerocopy.pkt", "ee_info=0, ee_data=1}}", "ee_info=0, ee_data=0}}",
	  "recvmsg() cmsg 1 ee_data: expected 0 vs actual 1" },
	/* the SYN sendmsg() makes goes to msg_name, so the call does not fail */
	{ "fastopen-cookie-ipv4.pkt", "MSG_FASTOPEN) = -1 EINPROGRESS", "MSG_FASTOPEN) = 10",
	  "sendmsg() returned: expected 10 vs actual -1 EINPROGRESS" },
	{ "pipe-splice.pkt", "NULL, 200, 0) = 200", "NULL, 200, 0) = 199",
	  "splice() returned: expected 199 vs actual 200" },
	{ "pipe-splice.pkt", "pipe([5, 6])", "pipe([4, 6])",
	  "pipe(): descriptor 4 is already open in this script" },
	{ "open-sendfile.pkt", "sendfile(4, 6, [600], 1000) = 400", "sendfile(4, 6, [601], 1000) = 400",
	  "sendfile() returned: expected 400 vs actual 399" },
	{ "open-sendfile.pkt", "open(\"/tmp/out\", O_RDONLY) = -1 EXDEV", "open(\"/tmp/out\", O_RDONLY) = 7",
	  "open() returned: expected 7 vs actual -1 EXDEV" },
};

static void check_records(const char *dir, enum verdict want, const char *message)
{
	struct record *r;
	size_t n;

	read_results(dir, &r, &n);
	ck_assert_uint_ge(n, 1);	/* one per IP version the script runs in */
	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(r[i].verdict == want, "%s: %s", r[i].name, r[i].message);
		if (message)
			ck_assert_msg(strstr(r[i].message, message), "message: %s",
				      r[i].message);
	}
	report_free_all(r, n);
}

START_TEST(call_scripts_pass)
{
	char *dir, path[256];
	char *extra[] = { path, NULL };

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	dir = scratch_new();
	snprintf(path, sizeof(path), CALLS "%s", scripts[_i]);
	ck_assert_int_eq(tcpconf(dir, extra), 0);
	check_records(dir, VERDICT_PASS, NULL);
	scratch_remove(dir);
	free(dir);
}
END_TEST

START_TEST(call_scripts_fail_against_a_wrong_expectation)
{
	char *dir, *text, *at, *changed, path[4200], from[256];
	char *extra[] = { path, NULL };

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	snprintf(from, sizeof(from), CALLS "%s", wrong[_i].script);
	text = scratch_read(from);
	at = strstr(text, wrong[_i].from);
	ck_assert_msg(at, "%s lacks '%s'", from, wrong[_i].from);
	ck_assert_int_ge(asprintf(&changed, "%.*s%s%s", (int)(at - text), text, wrong[_i].to,
				  at + strlen(wrong[_i].from)), 0);
	dir = scratch_new();
	/* a command starts in the script's directory, as the sandbox's unprivileged user */
	ck_assert_int_eq(chmod(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/%s", dir, wrong[_i].script);
	scratch_write(path, changed);
	ck_assert_int_eq(tcpconf(dir, extra), 1);
	check_records(dir, VERDICT_FAIL, wrong[_i].message);
	scratch_remove(dir);
	free(dir);
	free(changed);
	free(text);
}
END_TEST

/*
 * open() reads the case's own /tmp: a file in the host's /tmp (where this
 * test's scratch directory is) is not there, and the file the case's
 * command writes at the same path is there and does not reach the host.
 */
START_TEST(open_reads_the_case_s_own_tmp)
{
	char *dir, *text, path[4200];
	char *extra[] = { path, NULL };
	struct record *r;
	size_t n;

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	dir = scratch_new();
	ck_assert_int_eq(chmod(dir, 0755), 0);	/* the command starts there */
	scratch_write_in(dir, "host", "the host's\n");
	ck_assert_int_ge(asprintf(&text, "`mkdir -p %s && head -c 10 /dev/zero > %s/own`\n%s"
				  "+0 open(\"%s/host\", O_RDONLY) = -1 ENOENT\n"
				  "+0 open(\"%s/own\", O_RDONLY) = 5\n"
				  "+0 sendfile(4, 5, [0], 100) = 10\n"
				  "+0 > P. 1:11(10) ack 1\n", dir, dir, prelude, dir, dir), 0);
	snprintf(path, sizeof(path), "%s/case.pkt", dir);
	scratch_write(path, text);
	ck_assert_int_eq(tcpconf(dir, extra), 0);
	read_results(dir, &r, &n);
	ck_assert_uint_eq(n, 2);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(r[i].verdict == VERDICT_PASS, "%s: %s", r[i].name, r[i].message);
	report_free_all(r, n);
	ck_assert_msg(access(scratch_at(dir, "own"), F_OK) < 0, "the case wrote the host's /tmp");
	free(text);
	text = scratch_read(scratch_at(dir, "host"));
	ck_assert_str_eq(text, "the host's\n");
	free(text);
	scratch_remove(dir);
	free(dir);
}
END_TEST

TCase *runner_calls_tcase(void)
{
	TCase *tc = tcase_create("calls");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, call_scripts_pass, 0, sizeof(scripts) / sizeof(scripts[0]));
	tcase_add_loop_test(tc, call_scripts_fail_against_a_wrong_expectation, 0,
			    sizeof(wrong) / sizeof(wrong[0]));
	tcase_add_test(tc, open_reads_the_case_s_own_tmp);
	return tc;
}
