/* check_integration.c - the host is never touched: the root namespace is the same before and after a run, however the run ends. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include <libnftnl/table.h>
#include <net/if.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "report.h"
#include "scratch.h"
#include "skip.h"
#include "suites.h"

#define TCPCONF "./harness/tcpconf"

/* A growing text of sorted lines describing some part of the host. */
struct snap {
	char **lines;
	size_t n, cap;
};

static void snap_add(struct snap *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void snap_add(struct snap *s, const char *fmt, ...)
{
	va_list ap;
	char *line;

	va_start(ap, fmt);
	ck_assert_int_ge(vasprintf(&line, fmt, ap), 0);
	va_end(ap);
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->lines = realloc(s->lines, s->cap * sizeof(*s->lines));
		ck_assert_ptr_nonnull(s->lines);
	}
	s->lines[s->n++] = line;
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void snap_free(struct snap *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->lines[i]);
	free(s->lines);
	memset(s, 0, sizeof(*s));
}

/* ---- netlink dumps of the root namespace (read-only requests) ---- */

typedef int (*dump_cb)(const struct nlmsghdr *nlh, void *data);

static void dump(int proto, uint16_t type, uint8_t family, size_t hdrlen,
		 dump_cb cb, struct snap *s)
{
	char buf[MNL_SOCKET_BUFFER_SIZE * 4];
	struct mnl_socket *nl = mnl_socket_open(proto);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	unsigned int seq = (unsigned int)time(NULL), portid;
	void *h;
	int rc;

	ck_assert_ptr_nonnull(nl);
	ck_assert_int_eq(mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID), 0);
	portid = mnl_socket_get_portid(nl);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	h = mnl_nlmsg_put_extra_header(nlh, hdrlen);
	*(uint8_t *)h = family;	/* rtgenmsg/ifaddrmsg/rtmsg/nfgenmsg all start with the family */
	ck_assert_int_ge(mnl_socket_sendto(nl, nlh, nlh->nlmsg_len), 0);
	while ((rc = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		rc = mnl_cb_run(buf, rc, seq, portid, cb, s);
		if (rc <= MNL_CB_STOP)
			break;
	}
	/* nftables of the root namespace are root's to list: an ordinary
	 * user's runs cannot touch them either (the snapshot says so) */
	if (rc < 0 && errno == EPERM && geteuid() != 0)
		snap_add(s, "netlink dump %u: not readable here", type);
	else
		ck_assert_msg(rc >= 0, "netlink dump %u: %s", type, strerror(errno));
	mnl_socket_close(nl);
}

static int attr_keep(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (type <= IFLA_MAX)
		tb[type] = a;
	return MNL_CB_OK;
}

static void hex(char *out, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", ((const uint8_t *)p)[i]);
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };

	mnl_attr_parse(nlh, sizeof(*ifm), attr_keep, tb);
	snap_add(data, "link %d %s flags %#x mtu %u", ifm->ifi_index,
		 tb[IFLA_IFNAME] ? mnl_attr_get_str(tb[IFLA_IFNAME]) : "?",
		 ifm->ifi_flags & ~(unsigned)IFF_RUNNING & ~(unsigned)0x10000 /* IFF_LOWER_UP */,
		 tb[IFLA_MTU] ? mnl_attr_get_u32(tb[IFLA_MTU]) : 0);
	return MNL_CB_OK;
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	char h[64] = "";

	mnl_attr_parse(nlh, sizeof(*ifa), attr_keep, tb);
	if (tb[IFA_ADDRESS] && mnl_attr_get_payload_len(tb[IFA_ADDRESS]) <= 16)
		hex(h, mnl_attr_get_payload(tb[IFA_ADDRESS]),
		    mnl_attr_get_payload_len(tb[IFA_ADDRESS]));
	snap_add(data, "addr %d if %u %s/%u", ifa->ifa_family, ifa->ifa_index,
		 h, ifa->ifa_prefixlen);
	return MNL_CB_OK;
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	char dst[64] = "default";

	/* the routing cache and clones come and go with traffic */
	if (rtm->rtm_flags & RTM_F_CLONED)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*rtm), attr_keep, tb);
	if (tb[RTA_DST] && mnl_attr_get_payload_len(tb[RTA_DST]) <= 16)
		hex(dst, mnl_attr_get_payload(tb[RTA_DST]),
		    mnl_attr_get_payload_len(tb[RTA_DST]));
	snap_add(data, "route %d table %u %s/%u oif %u type %u", rtm->rtm_family,
		 tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : rtm->rtm_table,
		 dst, rtm->rtm_dst_len,
		 tb[RTA_OIF] ? mnl_attr_get_u32(tb[RTA_OIF]) : 0, rtm->rtm_type);
	return MNL_CB_OK;
}

static int table_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nftnl_table *t = nftnl_table_alloc();

	ck_assert_ptr_nonnull(t);
	if (nftnl_table_nlmsg_parse(nlh, t) == 0)
		snap_add(data, "nft table %u %s use %u",
			 nftnl_table_get_u32(t, NFTNL_TABLE_FAMILY),
			 nftnl_table_get_str(t, NFTNL_TABLE_NAME),
			 nftnl_table_get_u32(t, NFTNL_TABLE_USE));
	nftnl_table_free(t);
	return MNL_CB_OK;
}

/* ---- namespaces anyone can still reach, and net sysctls ---- */

static void ns_link(struct snap *s, const char *path)
{
	char target[64];
	ssize_t n = readlink(path, target, sizeof(target) - 1);

	if (n > 0) {
		target[n] = '\0';
		if (!strncmp(target, "net:[", 5))
			snap_add(s, "netns %s", target);
	}
}

/* The session of process pid, or -1.  A run's processes, and any it left
 * behind, are in the test's session; other users of the machine, whose
 * namespaces come and go meanwhile, are not. */
static pid_t session_of(const char *pid)
{
	char path[300], buf[1024], *p;
	FILE *f;
	size_t n;
	int sid, pgrp, ppid;
	char state;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %c %d %d %d", &state, &ppid, &pgrp, &sid) != 4)
		return -1;
	return sid;
}

static void namespaces(struct snap *s, pid_t ignore)
{
	pid_t self = getsid(0);

	DIR *proc = opendir("/proc");
	struct dirent *p;

	ck_assert_ptr_nonnull(proc);
	while ((p = readdir(proc))) {
		char path[300];
		DIR *fds;
		struct dirent *f;

		if (p->d_name[0] < '1' || p->d_name[0] > '9' || atoi(p->d_name) == ignore ||
		    session_of(p->d_name) != self)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", p->d_name);
		ns_link(s, path);
		snprintf(path, sizeof(path), "/proc/%s/fd", p->d_name);
		fds = opendir(path);
		if (!fds)
			continue;
		while ((f = readdir(fds))) {
			char fd[600];

			snprintf(fd, sizeof(fd), "%s/%s", path, f->d_name);
			ns_link(s, fd);
		}
		closedir(fds);
	}
	closedir(proc);
}

static void sysctls(struct snap *s, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[600], value[512];
		struct stat st;
		FILE *f;
		size_t n;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) < 0 || S_ISDIR(st.st_mode) || !(st.st_mode & 0444))
			continue;
		f = fopen(path, "r");
		if (!f)
			continue;
		n = fread(value, 1, sizeof(value) - 1, f);
		fclose(f);
		value[n] = '\0';
		snap_add(s, "sysctl %s = %s", path + strlen("/proc/sys/"), value);
	}
	closedir(d);
}

/* Everything a run could leave behind in the root namespace, sorted.
 * ignore: a pid whose own descriptors do not count (this test's runner). */
static void snapshot(struct snap *s, pid_t ignore)
{

	dump(NETLINK_ROUTE, RTM_GETLINK, AF_UNSPEC, sizeof(struct ifinfomsg), link_cb, s);
	dump(NETLINK_ROUTE, RTM_GETADDR, AF_UNSPEC, sizeof(struct ifaddrmsg), addr_cb, s);
	dump(NETLINK_ROUTE, RTM_GETROUTE, AF_UNSPEC, sizeof(struct rtmsg), route_cb, s);
	dump(NETLINK_NETFILTER, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETTABLE,
	     NFPROTO_UNSPEC, sizeof(struct nfgenmsg), table_cb, s);
	namespaces(s, ignore);
	sysctls(s, "/proc/sys/net/core");
	sysctls(s, "/proc/sys/net/ipv4");
	sysctls(s, "/proc/sys/net/ipv6/conf/all");
	sysctls(s, "/proc/sys/net/ipv6/conf/default");
	qsort(s->lines, s->n, sizeof(*s->lines), cmp_line);
	/* a namespace counts once, however many processes hold it */
	for (size_t i = 1, k = 1; i <= s->n; i++) {
		if (i == s->n) {
			s->n = k;
			break;
		}
		if (strcmp(s->lines[i], s->lines[k - 1]))
			s->lines[k++] = s->lines[i];
		else
			free(s->lines[i]);
	}
}

/* First difference between two snapshots, or NULL when they are equal. */
static char *snap_diff(const struct snap *a, const struct snap *b)
{
	size_t i = 0, j = 0;
	char *d = NULL;

	while (i < a->n || j < b->n) {
		int c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->lines[i], b->lines[j]);

		if (c == 0) {
			i++, j++;
			continue;
		}
		ck_assert_int_ge(asprintf(&d, "%s %s", c < 0 ? "gone:" : "new:",
					  c < 0 ? a->lines[i] : b->lines[j]), 0);
		return d;
	}
	return NULL;
}

/* NULL when nf_tables netlink is here (the runs need it), else why not. */
static const char *no_nf_tables(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);

	if (!nl)
		return "no nf_tables netlink";
	mnl_socket_close(nl);
	return NULL;
}

static pid_t start(const char *dir, char *const cases)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(127);
		execl(TCPCONF, TCPCONF, "run", "--results", dir, cases, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* The snapshot after must equal the one before; namespaces can take a
 * moment to go after the last holder exits, so allow up to 3 s. */
static void assert_untouched(const struct snap *before, const char *when)
{
	char *d = NULL;

	for (int tries = 0; tries < 30; tries++) {
		struct snap after = { 0 };

		free(d);
		snapshot(&after, 0);
		d = snap_diff(before, &after);
		snap_free(&after);
		if (!d)
			return;
		usleep(100 * 1000);
	}
	ck_abort_msg("root namespace changed %s: %s", when, d);
}

START_TEST(full_run_leaves_root_namespace_untouched)
{
	struct snap before = { 0 };
	char *dir;
	pid_t pid;
	int status;

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_nf_tables()))
		return;
	dir = scratch_new();
	snapshot(&before, 0);
	ck_assert_uint_gt(before.n, 10);
	pid = start(dir, "cases");
	waitpid(pid, &status, 0);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) <= 1,
		      "tcpconf run: status %#x", status);
	assert_untouched(&before, "by a full run");
	snap_free(&before);
	scratch_remove(dir);
	free(dir);
}
END_TEST

static const int signals[] = { SIGINT, SIGTERM, SIGKILL };

/*
 * Kill a run at a random moment with each signal in turn: nothing may stay
 * behind, and on SIGINT/SIGTERM the records of cases that finished are
 * written, every one of them complete.
 */
START_TEST(killed_run_leaves_nothing)
{
	int sig = signals[_i % 3];
	struct snap before = { 0 };
	struct timespec now;
	struct record *r = NULL;
	size_t n = 0;
	char *dir, path[300], *error = NULL;
	pid_t pid;
	int status;
	long delay_ms;

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_nf_tables()))
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	srand((unsigned)(now.tv_nsec ^ getpid()));
	delay_ms = 200 + rand() % 1500 + (sig == SIGKILL ? 0 : 800);
	dir = scratch_new();
	snapshot(&before, 0);
	pid = start(dir, "cases");
	usleep(delay_ms * 1000);
	kill(pid, sig);
	waitpid(pid, &status, 0);
	assert_untouched(&before, "by a killed run");
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	if (sig == SIGKILL) {
		/* no half-written result files: only complete ones or none */
		ck_assert_msg(access(path, F_OK) != 0 ||
			      report_read_jsonl(path, &r, &n, &error) == 0,
			      "after SIGKILL at %ld ms: %s", delay_ms, error);
	} else {
		ck_assert_msg(report_read_jsonl(path, &r, &n, &error) == 0,
			      "after %s at %ld ms: %s", strsignal(sig), delay_ms, error);
		for (size_t i = 0; i < n; i++)
			ck_assert_msg(r[i].verdict == VERDICT_PASS ||
				      r[i].verdict == VERDICT_SKIP ||
				      r[i].verdict == VERDICT_FAIL, "bad record");
	}
	/* nothing left but the result files the run was asked to write */
	{
		DIR *d = opendir(dir);
		struct dirent *e;

		ck_assert_ptr_nonnull(d);
		while ((e = readdir(d)))
			/* output.c's temporaries are ".NAME.XXXXXX" */
			ck_assert_msg(e->d_name[0] != '.' || !strcmp(e->d_name, ".") ||
				      !strcmp(e->d_name, ".."),
				      "temporary file left: %s", e->d_name);
		closedir(d);
	}
	report_free_all(r, n);
	free(error);
	snap_free(&before);
	scratch_remove(dir);
	free(dir);
}
END_TEST

/* The snapshot itself must see a change, or the tests above prove nothing. */
START_TEST(snapshot_sees_a_new_namespace)
{
	struct snap before = { 0 }, after = { 0 };
	char *d;
	pid_t pid;
	int p[2];
	char c;

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_nf_tables()))
		return;
	snapshot(&before, 0);
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		/* an ordinary user's namespace comes with a user namespace */
		if (unshare(CLONE_NEWNET | (geteuid() ? CLONE_NEWUSER : 0)) < 0)
			_exit(1);
		ck_assert_int_eq(write(p[1], "x", 1), 1);
		pause();
		_exit(0);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	snapshot(&after, 0);
	d = snap_diff(&before, &after);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ck_assert_msg(d && strstr(d, "new: netns"), "diff: %s", d ? d : "(none)");
	free(d);
	snap_free(&before);
	snap_free(&after);
}
END_TEST

Suite *integration_suite(void)
{
	Suite *s = suite_create("integration");
	TCase *tc = tcase_create("host");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, snapshot_sees_a_new_namespace);
	tcase_add_test(tc, full_run_leaves_root_namespace_untouched);
	tcase_add_loop_test(tc, killed_run_leaves_nothing, 0, 3);
	suite_add_tcase(s, tc);
	return s;
}
