/* check_compare.c - `tcpconf compare` on temporary results directories: exit status, text, markdown, HTML. */
#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare.h"
#include "error.h"
#include "report.h"
#include "scratch.h"
#include "suites.h"

#define MAX_KERNELS	3

/* A scratch tree: base/k1, base/k2, ... each with results.jsonl, and base/out. */
struct tree {
	char *base;
	char dir[MAX_KERNELS][4200];
	char out[4200];
	size_t ndirs;
};

static void tree_new(struct tree *t, size_t ndirs)
{
	memset(t, 0, sizeof(*t));
	t->base = strdup("/tmp/tcpconf-test-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(t->base));
	t->ndirs = ndirs;
	for (size_t i = 0; i < ndirs; i++) {
		snprintf(t->dir[i], sizeof(t->dir[i]), "%s/k%zu", t->base, i + 1);
		ck_assert_int_eq(mkdir(t->dir[i], 0755), 0);
	}
	snprintf(t->out, sizeof(t->out), "%s/out", t->base);
}

static void tree_free(struct tree *t)
{
	char path[4300];

	for (size_t i = 0; i < t->ndirs; i++) {
		snprintf(path, sizeof(path), "%s/results.jsonl", t->dir[i]);
		unlink(path);
		snprintf(path, sizeof(path), "%s/meta.json", t->dir[i]);
		unlink(path);
		ck_assert_int_eq(rmdir(t->dir[i]), 0);
	}
	unlink(t->out);
	ck_assert_int_eq(rmdir(t->base), 0);
	free(t->base);
}

static void set(struct record *r, const char *name, const char *ip, enum verdict v,
		const char *message, const char *kernel)
{
	memset(r, 0, sizeof(*r));
	r->name = strdup(name);
	ck_assert_int_ge(asprintf(&r->path, "cases/%s.pkt", name), 0);
	r->ip = strdup(ip);
	r->verdict = v;
	r->message = strdup(message);
	r->duration_ms = 100;
	r->kernel = strdup(kernel);
}

/* dir/meta.json as a run writes it, naming kernel (null when NULL). */
static void write_meta(const char *dir, const char *kernel)
{
	char path[4300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/meta.json", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "{\n  \"kernel\": %s%s%s,\n  \"machine\": \"x86_64\",\n"
		"  \"tcpconf_version\": \"0.1\",\n  \"sysctls\": {\n    \"net.ipv4.tcp_sack\": \"1\"\n  }\n}\n",
		kernel ? "\"" : "", kernel ? kernel : "null", kernel ? "\"" : "");
	ck_assert_int_eq(fclose(f), 0);
}

/*
 * One kernel's results: the same four records everywhere, with the
 * verdict of delack-no-data [ipv4] and its ack's timing as given (none
 * if negative); drop
 * leaves finwait-fin-wait-2 [ipv6] out.
 */
static void write_kernel(const struct tree *t, size_t i, const char *kernel,
			 enum verdict delack, double ack_ms, int drop)
{
	struct record r[4];
	char path[4300], *error = NULL;
	size_t n = 0;

	set(&r[n++], "close/close-merge-immediate", "ipv4", VERDICT_PASS, "", kernel);
	set(&r[n++], "close/close-merge-immediate", "ipv6", VERDICT_PASS, "", kernel);
	set(&r[n], "delack/delack-no-data", "ipv4", delack,
	    delack == VERDICT_FAIL ? "delack-no-data.pkt:12: timing: expected 40 ms vs actual 200 ms" : "",
	    kernel);
	record_add_timing(&r[n], 10, "S. 0:0(0) ack 1 <mss 1460>", 0, 0.05);
	if (ack_ms >= 0)	/* a case that failed before the ack has no timing for it */
		record_add_timing(&r[n], 12, ". 1:1(0) ack 2", 40, ack_ms);
	n++;
	if (!drop)
		set(&r[n++], "finwait/finwait-fin-wait-2", "ipv6", VERDICT_SKIP, "needs root", kernel);
	snprintf(path, sizeof(path), "%s/results.jsonl", t->dir[i]);
	ck_assert_msg(report_write_jsonl(path, r, n, &error) == 0, "%s", error);
	for (size_t k = 0; k < n; k++)
		record_clear(&r[k]);
	write_meta(t->dir[i], *kernel ? kernel : NULL);
}

/* cmd_compare with "--output OUT" and the tree's directories after args. */
static int compare(const struct tree *t, const char *first, ...)
{
	char *argv[16];
	int argc = 0;
	va_list ap;

	argv[argc++] = "compare";
	va_start(ap, first);
	for (const char *a = first; a; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc++] = "--output";
	argv[argc++] = (char *)t->out;
	for (size_t i = 0; i < t->ndirs; i++)
		argv[argc++] = (char *)t->dir[i];
	argv[argc] = NULL;
	return cmd_compare(argc, argv);
}

#define assert_has(text, what) ck_assert_msg(strstr(text, what), "no \"%s\" in:\n%.3000s", what, text)
#define assert_lacks(text, what) ck_assert_msg(!strstr(text, what), "\"%s\" in:\n%s", what, text)

START_TEST(two_kernels_agreeing_exit_0)
{
	struct tree t;
	char *text;

	tree_new(&t, 2);
	write_kernel(&t, 0, "6.1.0-56-cloud-amd64", VERDICT_PASS, 40.1, 0);
	write_kernel(&t, 1, "6.18.0", VERDICT_PASS, 40.3, 0);
	ck_assert_int_eq(compare(&t, NULL), 0);
	text = scratch_read(t.out);
	assert_has(text, "kernels: 6.1.0-56-cloud-amd64 | 6.18.0\n");
	assert_has(text, "  = close/close-merge-immediate [ipv4,ipv6]: pass on all\n");
	assert_has(text, "  = finwait/finwait-fin-wait-2 [ipv6]: skip on all (needs root)\n");
	assert_has(text, "delack/delack-no-data ipv4 line 12 '. 1:1(0) ack 2': 40.1 ms | 40.3 ms\n");
	assert_has(text, "4 cases agree, 0 differ across 2 kernels");
	assert_lacks(text, "! ");
	assert_lacks(text, "\033");		/* no colours into a file */
	free(text);
	tree_free(&t);
}
END_TEST

START_TEST(two_kernels_differing_exit_1_naming_the_case)
{
	struct tree t;
	char *text;

	tree_new(&t, 2);
	write_kernel(&t, 0, "6.1.0-56-cloud-amd64", VERDICT_PASS, 40.1, 0);
	write_kernel(&t, 1, "6.18.0", VERDICT_FAIL, 200, 0);
	ck_assert_int_eq(compare(&t, NULL), 1);
	text = scratch_read(t.out);
	assert_has(text, "! delack/delack-no-data [ipv4]: pass | fail\n");
	assert_has(text, "      6.18.0: fail: delack-no-data.pkt:12: timing: expected 40 ms vs actual 200 ms\n");
	assert_has(text, "3 cases agree, 1 differs across 2 kernels");
	assert_lacks(text, "= delack/delack-no-data");
	free(text);
	tree_free(&t);
}
END_TEST

START_TEST(kernel_without_a_timing_shows_a_dash)
{
	struct tree t;
	char *text;

	tree_new(&t, 2);
	write_kernel(&t, 0, "6.1", VERDICT_PASS, 40.1, 0);
	write_kernel(&t, 1, "6.18", VERDICT_FAIL, -1, 0);
	ck_assert_int_eq(compare(&t, NULL), 1);
	text = scratch_read(t.out);
	assert_has(text, "delack/delack-no-data ipv4 line 12 '. 1:1(0) ack 2': 40.1 ms | -\n");
	free(text);
	tree_free(&t);
}
END_TEST

START_TEST(three_kernels_missing_case_is_a_difference)
{
	struct tree t;
	char *text;

	tree_new(&t, 3);
	write_kernel(&t, 0, "6.1.0-56-cloud-amd64", VERDICT_PASS, 40.1, 0);
	write_kernel(&t, 1, "6.12.117+deb12-cloud-amd64", VERDICT_PASS, 40.3, 1);
	write_kernel(&t, 2, "6.18.0", VERDICT_PASS, 41, 0);
	ck_assert_int_eq(compare(&t, NULL), 1);
	text = scratch_read(t.out);
	assert_has(text, "kernels: 6.1.0-56-cloud-amd64 | 6.12.117+deb12-cloud-amd64 | 6.18.0\n");
	assert_has(text, "! finwait/finwait-fin-wait-2 [ipv6]: skip | - | skip\n");
	assert_has(text, "      6.12.117+deb12-cloud-amd64: no record\n");
	assert_has(text, "delack/delack-no-data ipv4 line 12 '. 1:1(0) ack 2': 40.1 ms | 40.3 ms | 41.0 ms\n");
	/* the immediate SYN-ACK is counted, not listed */
	assert_lacks(text, "line 10");
	assert_has(text, "  (1 more packet expected at once and sent within 1 ms on every kernel;");
	free(text);
	tree_free(&t);
}
END_TEST

/* A case failing on every kernel agrees, yet exits 1 and is listed with
 * its messages in every view. */
START_TEST(three_kernels_failing_alike_exit_1)
{
	struct tree t;
	char *text;

	tree_new(&t, 3);
	for (size_t i = 0; i < 3; i++)
		write_kernel(&t, i, i == 0 ? "a" : i == 1 ? "b" : "c", VERDICT_FAIL, 200, 0);
	ck_assert_int_eq(compare(&t, NULL), 1);
	text = scratch_read(t.out);
	assert_has(text, "  = delack/delack-no-data [ipv4]: fail on all (delack-no-data.pkt:12:");
	assert_has(text, "4 cases agree, 0 differ across 3 kernels");
	assert_has(text, "1 case failed on some kernel, 1 on every one\n");
	free(text);
	ck_assert_int_eq(compare(&t, "--format", "markdown", NULL), 1);
	text = scratch_read(t.out);
	assert_has(text, "\n## Failing on every kernel\n\n- delack/delack-no-data [ipv4] on a: fail: "
		   "delack-no-data.pkt:12: timing: expected 40 ms vs actual 200 ms\n- delack/");
	assert_has(text, "on c: fail: delack-no-data.pkt:12:");
	assert_has(text, "\n## Skipped on every kernel\n\n- finwait/finwait-fin-wait-2 [ipv6] on a: "
		   "skip: needs root\n");
	free(text);
	ck_assert_int_eq(compare(&t, "--format", "html", NULL), 1);
	text = scratch_read(t.out);
	assert_has(text, "<h2>Failing on every kernel</h2>\n<ul class=\"diff\">\n<li>delack/delack-no-data "
		   "[ipv4] on a: fail: delack-no-data.pkt:12: timing: expected 40 ms vs actual 200 ms</li>");
	free(text);
	tree_free(&t);
}
END_TEST

/* dir/meta.json as a run of today writes it: how it ran, sysctls, maybe cut short. */
static void write_full_meta(const char *dir, const char *kernel, const char *rmem,
			    const char *incomplete)
{
	char path[4300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/meta.json", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "{\"kernel\": \"%s\", \"tcpconf_version\": \"0.1 (git abc)\", "
		"\"how\": \"-j4; tolerance 7000 us\", \"incomplete\": %s%s%s, "
		"\"sysctl_summary\": \"net.ipv4.tcp_sack=1, net.ipv4.tcp_rmem=%s\", "
		"\"sysctls\": {\"net.ipv4.tcp_sack\": \"1\"}}\n", kernel,
		incomplete ? "\"" : "", incomplete ? incomplete : "null", incomplete ? "\"" : "",
		rmem);
	ck_assert_int_eq(fclose(f), 0);
}

/* md and html say how each run was made, which was cut short, which sysctls
 * differ; a failure's cell links to its capture. */
START_TEST(context_and_captures_shown)
{
	char pcap[4400], dir[4300], *text;
	struct tree t;

	tree_new(&t, 2);
	write_kernel(&t, 0, "6.1", VERDICT_PASS, 40.1, 0);
	write_kernel(&t, 1, "6.18", VERDICT_FAIL, 200, 0);
	write_full_meta(t.dir[0], "6.1", "4096 131072 6291456", NULL);
	write_full_meta(t.dir[1], "6.18", "4096 131072 33554432", "interrupted by signal 2");
	snprintf(dir, sizeof(dir), "%s/pcap", t.dir[1]);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(pcap, sizeof(pcap), "%s/delack_delack-no-data-ipv4.pcap", dir);
	scratch_write(pcap, "");
	ck_assert_int_eq(compare(&t, "--format", "markdown", NULL), 1);
	text = scratch_read(t.out);
	assert_has(text, "| how it ran | -j4; tolerance 7000 us | -j4; tolerance 7000 us |\n");
	assert_has(text, "| complete | yes | interrupted by signal 2 |\n");
	assert_has(text, "| net.ipv4.tcp\\_rmem | 4096 131072 6291456 | 4096 131072 33554432 |\n");
	assert_lacks(text, "| net.ipv4.tcp\\_sack |");
	assert_has(text, " | ipv4 | pass | **[fail](k2/pcap/delack_delack-no-data-ipv4.pcap)** |\n");
	free(text);
	ck_assert_int_eq(compare(&t, "--format", "html", NULL), 1);
	text = scratch_read(t.out);
	assert_has(text, "<tr><th>complete</th><td>yes</td><td class=\"fail\">interrupted by signal 2</td>");
	assert_has(text, "<a href=\"k2/pcap/delack_delack-no-data-ipv4.pcap\">fail</a>");
	free(text);
	unlink(pcap);
	rmdir(dir);
	tree_free(&t);
}
END_TEST

/* The whole sysctl set and the machine: a sysctl one kernel lacks is a
 * difference, ones that agree are not shown; CONFIG_HZ and how the kernel
 * ran stand beside the other runs' context; an older meta.json gives dashes. */
START_TEST(machine_and_every_differing_sysctl_shown)
{
	static const char *const metas[] = {
		"{\"kernel\": \"6.1\", \"config_hz\": \"250\", \"config_hz_source\": "
		"\"/boot/config-6.1\", \"kernel_ran\": \"QEMU, accel tcg\", \"cpus\": \"2\", "
		"\"memory\": \"512 MiB\", \"sysctl_summary\": \"net.core.somaxconn=4096, "
		"net.ipv4.tcp_app_win=31\"}\n",
		"{\"kernel\": \"6.18\", \"config_hz\": \"1000\", \"config_hz_source\": "
		"\"measured: jiffies over 250 ms\", \"kernel_ran\": \"native (no hypervisor CPU flag)\", "
		"\"cpus\": \"8\", \"memory\": \"16000 MiB\", \"sysctl_summary\": "
		"\"net.core.somaxconn=4096, net.ipv4.tcp_app_win=31, net.ipv4.tcp_rfc1337=0\"}\n",
		"{\"kernel\": \"6.12\", \"sysctls\": {\"net.ipv4.tcp_sack\": \"1\"}}\n",
	};
	char path[4400], *text;
	struct tree t;

	tree_new(&t, 3);
	write_kernel(&t, 0, "6.1", VERDICT_PASS, 40, 0);
	write_kernel(&t, 1, "6.18", VERDICT_PASS, 40, 0);
	write_kernel(&t, 2, "6.12", VERDICT_PASS, 40, 0);
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/meta.json", t.dir[i]);
		scratch_write(path, metas[i]);
	}
	compare(&t, "--format", "markdown", NULL);
	text = scratch_read(t.out);
	assert_has(text, "| CONFIG_HZ | 250 | 1000 | - |\n");
	assert_has(text, "| CONFIG_HZ from | /boot/config-6.1 | measured: jiffies over 250 ms | - |\n");
	assert_has(text, "| kernel ran | QEMU, accel tcg | native (no hypervisor CPU flag) | - |\n");
	assert_has(text, "| CPUs | 2 | 8 | - |\n");
	assert_has(text, "| memory | 512 MiB | 16000 MiB | - |\n");
	assert_has(text, "| net.ipv4.tcp\\_rfc1337 | - | 0 | - |\n");
	assert_has(text, "| net.ipv4.tcp\\_sack | - | - | 1 |\n");
	assert_has(text, "| net.core.somaxconn | 4096 | 4096 | - |\n");
	free(text);
	/* two runs alike but for the machine: the sysctls agree, so no table of them */
	scratch_write(path, "{\"kernel\": \"6.12\", \"sysctl_summary\": "
		      "\"net.core.somaxconn=4096, net.ipv4.tcp_app_win=31\"}\n");
	compare(&t, "--format", "markdown", NULL);
	text = scratch_read(t.out);
	assert_lacks(text, "| net.core.somaxconn |");
	assert_lacks(text, "| net.ipv4.tcp\\_app\\_win |");
	assert_has(text, "| net.ipv4.tcp\\_rfc1337 | - | 0 | - |\n");
	free(text);
	tree_free(&t);
}
END_TEST

START_TEST(label_is_the_directory_when_records_name_no_kernel)
{
	struct tree t;
	char *text;

	tree_new(&t, 2);
	write_kernel(&t, 0, "", VERDICT_PASS, 40, 0);
	write_kernel(&t, 1, "", VERDICT_PASS, 40, 0);
	ck_assert_int_eq(compare(&t, NULL), 0);
	text = scratch_read(t.out);
	assert_has(text, "kernels: k1 | k2\n");
	free(text);
	tree_free(&t);
}
END_TEST

START_TEST(two_runs_of_one_kernel_are_told_apart_by_directory)
{
	struct tree t;
	char *text, expect[9000];

	tree_new(&t, 2);
	write_kernel(&t, 0, "6.18.0", VERDICT_PASS, 40, 0);
	write_kernel(&t, 1, "6.18.0", VERDICT_PASS, 40, 0);
	ck_assert_int_eq(compare(&t, NULL), 0);
	text = scratch_read(t.out);
	snprintf(expect, sizeof(expect), "kernels: %s | %s\n", t.dir[0], t.dir[1]);
	assert_has(text, expect);
	free(text);
	tree_free(&t);
}
END_TEST

START_TEST(markdown_matrix_bolds_the_odd_cell_and_lists_timings)
{
	struct tree t;
	char *text;

	tree_new(&t, 3);
	write_kernel(&t, 0, "6.1", VERDICT_PASS, 40.1, 0);
	write_kernel(&t, 1, "6.12", VERDICT_FAIL, 200, 0);
	write_kernel(&t, 2, "6.18", VERDICT_PASS, 41, 0);
	ck_assert_int_eq(compare(&t, "--format", "markdown", NULL), 1);
	text = scratch_read(t.out);
	assert_has(text, "| case | ip | 6.1 | 6.12 | 6.18 |\n|---|---|---|---|---|\n");
	/* the scripts are found from here (cases/), so each case links to its own */
	assert_has(text, "| [close/close-merge-immediate](");
	assert_has(text, "cases/close/close-merge-immediate.pkt) | ipv4 | pass | pass | pass |\n");
	assert_has(text, "cases/delack/delack-no-data.pkt) | ipv4 | pass | **fail** | pass |\n");
	assert_has(text, "- delack/delack-no-data [ipv4] on 6.12: fail: delack-no-data.pkt:12:");
	assert_has(text, "| delack/delack-no-data | ipv4 | 12 | `. 1:1(0) ack 2` | 40.1 | 200.0 | 41.0 |\n");
	free(text);
	tree_free(&t);
}
END_TEST

START_TEST(html_is_one_page_differences_first_and_agreement_folded)
{
	struct tree t;
	char *text, *p;

	tree_new(&t, 2);
	write_kernel(&t, 0, "6.1<script>", VERDICT_PASS, 40.1, 0);
	write_kernel(&t, 1, "6.18", VERDICT_FAIL, 200, 1);
	ck_assert_int_eq(compare(&t, "--format=html", NULL), 1);
	text = scratch_read(t.out);
	assert_has(text, "<!DOCTYPE html>");
	assert_has(text, "<style>");
	assert_has(text, "Kernels: 6.1&lt;script&gt; | 6.18.");
	assert_has(text, "<h2>What differs</h2>");
	assert_has(text, "<li>delack/delack-no-data [ipv4] on 6.18: fail: delack-no-data.pkt:12:");
	/* the differing cases open, first; the agreeing one folded after them */
	assert_has(text, "<details class=\"differs\" open><summary><span class=\"name\"><a href=\"");
	assert_has(text, "cases/delack/delack-no-data.pkt\">"
		   "delack/delack-no-data</a></span><span class=\"ip\">ipv4</span>"
		   "<span class=\"v pass\" title=\"6.1&lt;script&gt;\">pass</span>"
		   "<span class=\"v fail\" title=\"6.18: delack-no-data.pkt:12:");
	assert_has(text, "<span class=\"v missing\" title=\"6.18\">-</span>");
	ck_assert(strstr(text, "delack/delack-no-data</a></span>") < strstr(text, "Cases that agree"));
	assert_has(text, "<h2>Cases that agree (2)</h2>\n");
	assert_has(text, "close/close-merge-immediate</a></span>");
	/* records written without an exchange have no ladder, and say so */
	assert_has(text, "6.18: no ladder recorded");
	assert_has(text, "6.18: no record</div>");
	assert_has(text, "</html>\n");
	/* self-contained: nothing to fetch, nothing to run; links lead to local files only */
	assert_lacks(text, "<script");
	assert_lacks(text, "src=");
	assert_lacks(text, "href=\"http");
	for (p = strstr(text, "http"); p; p = strstr(p + 1, "http"))
		ck_assert_msg(!strncmp(p, "http://www.w3.org/2000/svg\"", 27), "a URL: %.40s", p);
	free(text);
	tree_free(&t);
}
END_TEST

START_TEST(usage_and_io_errors_exit_2)
{
	char *noargs[] = { "compare", NULL };
	char *badformat[] = { "compare", "--format", "pdf", "/tmp", NULL };
	char *missing[] = { "compare", "/nonexistent/tcpconf-results", NULL };
	struct tree t;
	FILE *f;
	char path[4300];

	/* the messages are the point of other tests; keep the summary clean */
	ck_assert_ptr_nonnull(freopen("/dev/null", "w", stderr));
	ck_assert_int_eq(cmd_compare(1, noargs), 2);
	ck_assert_int_eq(cmd_compare(4, badformat), 2);
	ck_assert_int_eq(cmd_compare(2, missing), 2);

	/* a directory without results.jsonl, then one whose results are malformed */
	tree_new(&t, 2);
	write_kernel(&t, 0, "a", VERDICT_PASS, 40, 0);
	ck_assert_int_eq(compare(&t, NULL), 2);
	snprintf(path, sizeof(path), "%s/results.jsonl", t.dir[1]);
	f = fopen(path, "w");
	fputs("{\"verdict\":\"pass\"\n", f);
	fclose(f);
	ck_assert_int_eq(compare(&t, NULL), 2);
	ck_assert_int_eq(access(t.out, F_OK), -1);	/* no output on error */
	tree_free(&t);
}
END_TEST

START_TEST(results_file_may_be_named_directly)
{
	struct tree t;
	char *argv[6], file[4300], *text;

	tree_new(&t, 1);
	write_kernel(&t, 0, "", VERDICT_PASS, 40, 0);
	snprintf(file, sizeof(file), "%s/results.jsonl", t.dir[0]);
	argv[0] = "compare";
	argv[1] = "-o";
	argv[2] = t.out;
	argv[3] = file;
	argv[4] = NULL;
	ck_assert_int_eq(cmd_compare(4, argv), 0);
	text = scratch_read(t.out);
	assert_has(text, "kernels: k1\n");
	free(text);
	tree_free(&t);
}
END_TEST

/* Each format by its name, its alias and (text) by default: one table, one view each. */
START_TEST(formats_by_name_alias_and_default)
{
	static const char *const same[][2] = {
		{ "markdown", "md" }, { "text", NULL }, { "html", "html" },
	};
	struct tree t;

	tree_new(&t, 2);
	write_kernel(&t, 0, "6.1", VERDICT_PASS, 40.1, 0);
	write_kernel(&t, 1, "6.12", VERDICT_FAIL, 200, 0);
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		char *a, *b;

		ck_assert_int_eq(compare(&t, "--format", same[i][0], NULL), 1);
		a = scratch_read(t.out);
		if (same[i][1])
			ck_assert_int_eq(compare(&t, "--format", same[i][1], NULL), 1);
		else
			ck_assert_int_eq(compare(&t, NULL), 1);
		b = scratch_read(t.out);
		ck_assert_str_eq(a, b);
		assert_lacks(a, "\033");	/* colours only on a terminal */
		free(a);
		free(b);
	}
	tree_free(&t);
}
END_TEST

Suite *compare_suite(void)
{
	Suite *s = suite_create("compare");
	TCase *tc = tcase_create("text");

	tcase_add_test(tc, two_kernels_agreeing_exit_0);
	tcase_add_test(tc, two_kernels_differing_exit_1_naming_the_case);
	tcase_add_test(tc, three_kernels_missing_case_is_a_difference);
	tcase_add_test(tc, kernel_without_a_timing_shows_a_dash);
	tcase_add_test(tc, three_kernels_failing_alike_exit_1);
	tcase_add_test(tc, label_is_the_directory_when_records_name_no_kernel);
	tcase_add_test(tc, two_runs_of_one_kernel_are_told_apart_by_directory);
	tcase_add_test(tc, usage_and_io_errors_exit_2);
	tcase_add_test(tc, results_file_may_be_named_directly);
	suite_add_tcase(s, tc);

	tc = tcase_create("documents");
	tcase_add_test(tc, markdown_matrix_bolds_the_odd_cell_and_lists_timings);
	tcase_add_test(tc, html_is_one_page_differences_first_and_agreement_folded);
	tcase_add_test(tc, formats_by_name_alias_and_default);
	tcase_add_test(tc, context_and_captures_shown);
	tcase_add_test(tc, machine_and_every_differing_sysctl_shown);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, compare_input_tcase());
	suite_add_tcase(s, compare_html_tcase());
	return s;
}
