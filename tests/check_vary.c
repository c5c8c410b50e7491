/* check_vary.c - run --vary: the perturbation table, scaling a sysctl's field, what counts as a changed verdict, and a case flagged for depending on tcp_rmem. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "report.h"
#include "runner_test.h"
#include "scratch.h"
#include "skip.h"
#include "suites.h"
#include "vary.h"

/* The set: tcp_rmem[1] doubled and halved, tcp_wmem[1] doubled, load, the other CPU. */
START_TEST(table_holds_the_five_perturbations)
{
	ck_assert_uint_eq(vary_count, 5);
	ck_assert_str_eq(vary_table[0].sysctl, "net.ipv4.tcp_rmem");
	ck_assert_int_eq(vary_table[0].field, 1);
	ck_assert_int_eq(vary_table[0].num, 2 * vary_table[0].den);
	ck_assert_str_eq(vary_table[1].sysctl, "net.ipv4.tcp_rmem");
	ck_assert_int_eq(2 * vary_table[1].num, vary_table[1].den);
	ck_assert_str_eq(vary_table[2].sysctl, "net.ipv4.tcp_wmem");
	ck_assert_int_eq(vary_table[2].field, 1);
	ck_assert_int_eq(vary_table[3].kind, VARY_LOAD);
	ck_assert_int_eq(vary_table[4].kind, VARY_OTHER_CPU);
	for (size_t i = 0; i < vary_count; i++) {
		ck_assert_ptr_nonnull(vary_table[i].name);
		for (size_t k = 0; k < i; k++)
			ck_assert_str_ne(vary_table[i].name, vary_table[k].name);
		if (vary_table[i].kind == VARY_SYSCTL)
			ck_assert_int_ne(vary_table[i].den, 0);
	}
}
END_TEST

START_TEST(scale_one_field)
{
	char out[64], *error = NULL;

	ck_assert_int_eq(vary_scale("4096 131072 6291456", 1, 2, 1, out, sizeof(out), &error), 0);
	ck_assert_str_eq(out, "4096 262144 6291456");
	ck_assert_int_eq(vary_scale("4096\t131072\t6291456", 1, 1, 2, out, sizeof(out), &error), 0);
	ck_assert_str_eq(out, "4096 65536 6291456");
	ck_assert_int_eq(vary_scale("4096 16384 4194304", 0, 3, 1, out, sizeof(out), &error), 0);
	ck_assert_str_eq(out, "12288 16384 4194304");
}
END_TEST

/* Not three numbers: an error naming the value, not a sysctl written with garbage. */
START_TEST(scale_refuses_what_it_cannot_read)
{
	char out[64], small[8], *error = NULL;

	ck_assert_int_eq(vary_scale("4096", 1, 2, 1, out, sizeof(out), &error), STATUS_ERROR);
	ck_assert_str_eq(error, "\"4096\" has no field 1");
	free(error);
	error = NULL;
	ck_assert_int_eq(vary_scale("4096 lots 1", 1, 2, 1, out, sizeof(out), &error), STATUS_ERROR);
	ck_assert_str_eq(error, "field 1 of \"4096 lots 1\" is not a number");
	free(error);
	error = NULL;
	ck_assert_int_eq(vary_scale("4096 131072 6291456", 1, 2, 1, small, sizeof(small), &error),
			 STATUS_ERROR);
	ck_assert_str_eq(error, "\"4096 131072 6291456\" scaled is too long");
	free(error);
}
END_TEST

/* pass <-> fail is a change; a skip on either side judged nothing. */
START_TEST(changed_means_pass_and_fail_swapped)
{
	ck_assert(vary_changed(VERDICT_PASS, VERDICT_FAIL));
	ck_assert(vary_changed(VERDICT_FAIL, VERDICT_PASS));
	ck_assert(!vary_changed(VERDICT_PASS, VERDICT_PASS));
	ck_assert(!vary_changed(VERDICT_FAIL, VERDICT_FAIL));
	ck_assert(!vary_changed(VERDICT_PASS, VERDICT_SKIP));
	ck_assert(!vary_changed(VERDICT_SKIP, VERDICT_FAIL));
}
END_TEST

/* A change counts when it repeats; once only is noise (a late wake-up). */
START_TEST(judge_needs_the_change_twice)
{
	enum verdict P = VERDICT_PASS, F = VERDICT_FAIL, S = VERDICT_SKIP;

	/* base, base again, under the perturbation once, twice */
	ck_assert_int_eq(vary_judge(P, P, P, F), VARY_SAME);
	ck_assert_int_eq(vary_judge(P, P, F, F), VARY_DEPENDENT);
	ck_assert_int_eq(vary_judge(F, F, P, P), VARY_DEPENDENT);
	ck_assert_int_eq(vary_judge(P, P, F, P), VARY_UNSTABLE);
	ck_assert_int_eq(vary_judge(P, P, F, S), VARY_UNSTABLE);
	/* the first run was the odd one out: a late wake-up, not the condition */
	ck_assert_int_eq(vary_judge(F, P, P, P), VARY_UNSTABLE);
	ck_assert_int_eq(vary_judge(S, P, F, F), VARY_SAME);
}
END_TEST

/* The SYN-ACK's window follows tcp_rmem[1] (64240 with the bed's default,
 * 65535 with it doubled): a script expecting it exactly is flagged, naming
 * the perturbation; the same script pinning tcp_rmem itself is not. */
static const char window_body[] =
	"0    socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	"+0   setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
	"+0   bind(3, ..., ...) = 0\n"
	"+0   listen(3, 1) = 0\n"
	"+0   < S 0:0(0) win 65535 <mss 1460>\n"
	"+0   > S. 0:0(0) ack 1 win 64240 <mss 1460>\n"
	"+0   < . 1:1(0) ack 1 win 65535\n"
	"+0   accept(3, ..., ...) = 4\n";

START_TEST(window_from_tcp_rmem_flagged_pinned_not)
{
	char *dir = scratch_new(), loose[4200], pinned[4200], *text, *out;
	char *args[] = { "--vary", "--ip_version=ipv4", loose, pinned, NULL };
	struct record *r;
	size_t n;

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	snprintf(loose, sizeof(loose), "%s/loose.pkt", dir);
	snprintf(pinned, sizeof(pinned), "%s/pinned.pkt", dir);
	scratch_write(loose, window_body);
	ck_assert_int_ge(asprintf(&text, "`sysctl -q net.ipv4.tcp_rmem=\"4096 131072 6291456\"`\n%s",
				  window_body), 0);
	scratch_write(pinned, text);
	free(text);
	ck_assert_int_eq(tcpconf(dir, args), 1);
	ck_assert_int_ge(asprintf(&out, "%s/out.txt", dir), 0);
	text = scratch_read(out);
	ck_assert_msg(strstr(text, "condition-dependent ") && strstr(text, "loose [ipv4]: fail under "
		      "tcp_rmem[1] x2, twice (") && strstr(text, "win 65535"), "%s", text);
	ck_assert_msg(!strstr(text, "pinned [ipv4]: fail under"), "%s", text);
	ck_assert_msg(strstr(text, "tcpconf: 2 passed, 0 failed, 0 skipped"), "%s", text);
	ck_assert_msg(strstr(text, "tcpconf: 1 condition-dependent (--vary)\n"), "%s", text);
	free(text);
	free(out);
	/* the results are the first run's */
	read_results(dir, &r, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(r[0].verdict, VERDICT_PASS);
	ck_assert_int_eq(r[1].verdict, VERDICT_PASS);
	/* the loose one says why in results.jsonl; the pinned one has no such key */
	ck_assert_str_eq(r[0].name + strlen(r[0].name) - 5, "loose");
	ck_assert_str_eq(r[0].condition_dependent, "tcp_rmem[1] x2");
	ck_assert_str_eq(r[1].condition_dependent, "");
	ck_assert_int_ge(asprintf(&out, "%s/results.jsonl", dir), 0);
	text = scratch_read(out);
	ck_assert_msg(strstr(text, ",\"condition_dependent\":\"tcp_rmem[1] x2\"}\n"), "%s", text);
	ck_assert_ptr_null(strstr(strstr(text, "condition_dependent") + 1, "condition_dependent"));
	free(text);
	free(out);
	report_free_all(r, n);
	scratch_remove(dir);
	free(dir);
}
END_TEST

Suite *vary_suite(void)
{
	Suite *s = suite_create("vary");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, table_holds_the_five_perturbations);
	tcase_add_test(tc, scale_one_field);
	tcase_add_test(tc, scale_refuses_what_it_cannot_read);
	tcase_add_test(tc, changed_means_pass_and_fail_swapped);
	tcase_add_test(tc, judge_needs_the_change_twice);
	suite_add_tcase(s, tc);
	tc = tcase_create("runner");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, window_from_tcp_rmem_flagged_pinned_not);
	suite_add_tcase(s, tc);
	return s;
}
