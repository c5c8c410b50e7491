/* check_ladder.c - the ladder diagram's SVG: arrows, calls, states, bands, the failing step, the shared time scale and its breaks. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ladder.h"
#include "runner_test.h"
#include "skip.h"
#include "suites.h"

static void step(struct record *r, int line, enum step_kind kind, const char *text,
		 const char *result, double at, double from, double until, const char *state)
{
	struct step s = { .line = line, .kind = kind, .text = (char *)text,
			  .result = (char *)result, .at_ms = at, .end_ms = NAN,
			  .expect_ms = isnan(from) ? NAN : from + 4, .from_ms = from,
			  .until_ms = until, .state = (char *)state };

	if (kind == STEP_CALL)
		s.end_ms = at + 0.01;
	ck_assert_ptr_nonnull(record_add_step(r, &s));
}

/* delack-no-data as a kernel ran it: the ACK 40 ms after the data. */
static void delack(struct record *r, double ack_at, double expect)
{
	memset(r, 0, sizeof(*r));
	r->name = strdup("delack/delack-no-data");
	r->ip = strdup("ipv4");
	r->kernel = strdup("6.1");
	r->message = strdup("");
	step(r, 9, STEP_CALL, "listen(3, 1)", "0", 0.5, NAN, NAN, "LISTEN");
	step(r, 11, STEP_IN, "S 0:0(0) win 65535 <mss 1460>", "", 1.0, NAN, NAN, "SYN-RECEIVED");
	step(r, 12, STEP_OUT, "S. 0:0(0) ack 1 win 64240 <mss 1460>", "", 1.05, -3, 5, "SYN-RECEIVED");
	step(r, 13, STEP_IN, ". 1:1(0) ack 1 win 65535", "", 1.2, NAN, NAN, "ESTABLISHED");
	step(r, 17, STEP_IN, "P. 1:11(10) ack 1 win 65535", "", 101.2, NAN, NAN, "ESTABLISHED");
	step(r, 18, STEP_OUT, ". 1:1(0) ack 11 win 64230", "", ack_at, expect - 4, expect + 14,
	     "ESTABLISHED");
}

static char *draw(const struct record *r, const struct ladder_scale *sc, const bool *hl,
		  unsigned flags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(ladder_write(f, r, sc, hl, flags), 0);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

/* The y of the first element after marker whose attribute attr it reads. */
static double y_after(const char *svg, const char *marker, const char *attr)
{
	const char *p = strstr(svg, marker);

	ck_assert_msg(p != NULL, "no %s", marker);
	p = strstr(p, attr);
	ck_assert_ptr_nonnull(p);
	return strtod(p + strlen(attr), NULL);
}

/* The top of the band of script line. */
static double band_top(const char *svg, int line)
{
	char title[64];
	const char *t, *p = NULL;

	snprintf(title, sizeof(title), "<title>line %d: accepted", line);
	t = strstr(svg, title);
	ck_assert_ptr_nonnull(t);
	for (const char *q = strstr(svg, "<rect class=\"band\""); q && q < t;
	     q = strstr(q + 1, "<rect class=\"band\""))
		p = q;
	ck_assert_ptr_nonnull(p);
	return y_after(p, "<rect", " y=\"");
}

START_TEST(document_is_standalone_svg_with_every_step)
{
	struct record r;
	char *svg;

	delack(&r, 141.5, 141.2);
	svg = ladder_document(&r);
	ck_assert_ptr_nonnull(svg);
	ck_assert_msg(!strncmp(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "
			       "xmlns=\"http://www.w3.org/2000/svg\"", 78), "%.80s", svg);
	ck_assert_ptr_nonnull(strstr(svg, "<style>"));
	ck_assert_int_eq(count(svg, "<g class=\"step in\">"), 3);
	ck_assert_int_eq(count(svg, "<g class=\"step out\">"), 2);
	ck_assert_int_eq(count(svg, "<g class=\"step call\">"), 1);
	ck_assert_ptr_nonnull(strstr(svg, ">listen(3, 1) = 0</text>"));
	/* tcpdump text escaped, whole in the tooltip */
	ck_assert_ptr_nonnull(strstr(svg, ">S 0:0(0) win 65535 &lt;mss 1460&gt;</text>"));
	ck_assert_ptr_nonnull(strstr(svg, "<title>line 18: . 1:1(0) ack 11 win 64230 at 141.500 ms"));
	/* the state in the margin where it changes, not on every step */
	ck_assert_int_eq(count(svg, ">ESTABLISHED</text>"), 1);
	ck_assert_int_eq(count(svg, ">SYN-RECEIVED</text>"), 1);
	ck_assert_int_eq(count(svg, "<rect class=\"band\""), 2);
	ck_assert_ptr_null(strstr(svg, "class=\"bad\""));	/* it passed */
	ck_assert_ptr_null(strstr(svg, "<script"));
	ck_assert_str_eq(svg + strlen(svg) - 7, "</svg>\n");
	free(svg);
	record_clear(&r);
}
END_TEST

/* The delayed ACK: 40 ms later is 80 px lower; the 100 ms quiet before it is a break. */
START_TEST(time_runs_down_to_scale_and_breaks_where_quiet)
{
	struct record r;
	char *svg;
	double data, ack;

	delack(&r, 141.2, 141.2);
	svg = draw(&r, NULL, NULL, 0);
	ck_assert_ptr_null(strstr(svg, "<?xml"));	/* inline: the page has the style */
	ck_assert_ptr_null(strstr(svg, "<style>"));
	data = y_after(svg, "<title>line 17: P", "y1=\"");
	ack = y_after(svg, "<title>line 18: .", "y1=\"");
	ck_assert_msg(fabs(ack - data - 80) < 0.5, "data at %.1f, ack at %.1f", data, ack);
	/* the gap from the end of the SYN-ACK's window to the data, cut and named */
	ck_assert_ptr_nonnull(strstr(svg, ">96.2 ms</text>"));
	ck_assert_int_eq(count(svg, "class=\"brk\""), 4);
	free(svg);
	record_clear(&r);
}
END_TEST

/* Too early: the band where the script wanted it, the red arrow above it. */
START_TEST(failing_step_is_red_outside_its_band_with_the_message)
{
	struct record r;
	char *svg;
	double arrow, band;

	delack(&r, 141.2, 181.2);
	r.verdict = VERDICT_FAIL;
	free(r.message);
	r.message = strdup("x.pkt:18: timing: . 1:1(0) ack 11 win 64230 too early: expected at "
			   "0.181200 s (tolerance 0.004000 s) vs actual 0.141200 s <&>");
	r.steps[5].failed = 1;
	svg = draw(&r, NULL, NULL, 0);
	ck_assert_int_eq(count(svg, "<g class=\"step out bad\">"), 1);
	arrow = y_after(svg, "<g class=\"step out bad\">", "y1=\"");
	band = band_top(svg, 18);
	ck_assert_msg(arrow < band, "arrow at %.1f, band from %.1f", arrow, band);
	ck_assert_ptr_nonnull(strstr(svg, ">expected 181.2 ms</text>"));
	ck_assert_ptr_nonnull(strstr(svg, "<text class=\"bad\""));
	ck_assert_ptr_nonnull(strstr(svg, "&lt;&amp;&gt;</text>"));
	ck_assert_ptr_nonnull(strstr(svg, "[ipv4] 6.1: fail</text>"));
	free(svg);
	record_clear(&r);
}
END_TEST

START_TEST(nothing_came_is_a_dashed_line_at_the_end_of_the_window)
{
	struct record r;
	char *svg;

	delack(&r, NAN, 105.2);
	r.verdict = VERDICT_FAIL;
	r.steps[5].failed = 1;
	svg = draw(&r, NULL, NULL, 0);
	ck_assert_ptr_nonnull(strstr(svg, "<line class=\"missing\""));
	ck_assert_ptr_nonnull(strstr(svg, ". 1:1(0) ack 11 win 64230: nothing came</text>"));
	ck_assert_ptr_null(strstr(svg, ">expected 105.2 ms</text>"));	/* the line says it */
	free(svg);
	record_clear(&r);
}
END_TEST

/* Two kernels on one scale: the same time at the same height, whatever came later. */
START_TEST(shared_scale_keeps_the_same_time_level)
{
	struct record a, b;
	const struct record *both[] = { &a, &b };
	struct ladder_scale *sc;
	bool hl[6] = { false, false, false, false, false, true };
	char *sa, *sb;

	delack(&a, 141.2, 141.2);
	delack(&b, 101.3, 141.2);
	sc = ladder_scale_new(both, 2);
	ck_assert_ptr_nonnull(sc);
	sa = draw(&a, sc, NULL, 0);
	sb = draw(&b, sc, hl, 0);
	ck_assert_double_eq_tol(y_after(sa, "<title>line 17: P", "y1=\""),
				y_after(sb, "<title>line 17: P", "y1=\""), 0.01);
	ck_assert_double_eq_tol(y_after(sa, "<title>line 11: S", "y1=\""),
				y_after(sb, "<title>line 11: S", "y1=\""), 0.01);
	/* b's ACK right after the data (one row), a's 40 ms = 80 px later */
	ck_assert_double_eq_tol(y_after(sb, "<title>line 18: .", "y1=\"") -
				y_after(sb, "<title>line 17: P", "y1=\""), 20, 0.01);
	/* a's: 40 ms at 2 px/ms, and the row b's ACK took on the way */
	ck_assert_double_eq_tol(y_after(sa, "<title>line 18: .", "y1=\"") -
				y_after(sa, "<title>line 17: P", "y1=\""), 80 + 20 - 0.1 * 2, 0.01);
	/* same height overall, so the columns line up */
	ck_assert_double_eq_tol(y_after(sa, "<svg ", "height=\""), y_after(sb, "<svg ", "height=\""), 0.01);
	ck_assert_int_eq(count(sa, "class=\"hl\""), 0);
	ck_assert_int_eq(count(sb, "class=\"hl\""), 1);
	free(sa);
	free(sb);
	ladder_scale_free(sc);
	record_clear(&a);
	record_clear(&b);
}
END_TEST

/* A kernel whose set-up took 30 ms longer: aligned on the harness's steps,
 * its answers still at their own delays. */
START_TEST(kernels_align_on_the_harness_s_steps)
{
	struct record a, b;
	const struct record *both[] = { &a, &b };
	struct ladder_scale *sc;
	char *sa, *sb;

	delack(&a, 141.2, 141.2);
	delack(&b, 131.4, 171.2);
	for (size_t i = 0; i < b.nsteps; i++)
		if (i != 5) {
			b.steps[i].at_ms += 30;
			b.steps[i].end_ms += 30;
		}
	sc = ladder_scale_new(both, 2);
	sa = draw(&a, sc, NULL, 0);
	sb = draw(&b, sc, NULL, 0);
	ck_assert_double_eq_tol(y_after(sa, "<title>line 17: P", "y1=\""),
				y_after(sb, "<title>line 17: P", "y1=\""), 0.01);
	ck_assert_double_eq_tol(y_after(sa, "<title>line 13: .", "y1=\""),
				y_after(sb, "<title>line 13: .", "y1=\""), 0.01);
	ck_assert_double_eq_tol(y_after(sb, "<title>line 18: .", "y1=\"") -
				y_after(sb, "<title>line 17: P", "y1=\""), 20, 0.01);
	ck_assert(y_after(sa, "<title>line 18: .", "y1=\"") -
		  y_after(sa, "<title>line 17: P", "y1=\"") >= 80);
	ck_assert_ptr_nonnull(strstr(sb, ">131.4</text>"));	/* labels keep real times */
	free(sa);
	free(sb);
	ladder_scale_free(sc);
	record_clear(&a);
	record_clear(&b);
}
END_TEST

START_TEST(long_text_is_cut_and_old_records_say_no_ladder)
{
	struct record r = { .verdict = VERDICT_PASS };
	char *svg, text[200];

	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	memcpy(text, "\xc3\xa9\xc3\xa9", 4);
	step(&r, 1, STEP_IN, text, "", 0, NAN, NAN, "");
	svg = draw(&r, NULL, NULL, 0);
	ck_assert_ptr_nonnull(strstr(svg, "xxx...</text>"));
	ck_assert_ptr_nonnull(strstr(svg, text));		/* whole in the title */
	free(svg);
	record_clear(&r);

	r = (struct record){ .verdict = VERDICT_PASS };
	svg = draw(&r, NULL, NULL, 0);
	ck_assert_ptr_nonnull(strstr(svg, "no ladder recorded"));
	free(svg);
}
END_TEST

/*
 * tcpconf run on a failing case: the ladder is filed beside the pcap and
 * its path printed; it holds the window, "nothing came", and the ACK that
 * came after the verdict (40 ms later, drawn but not judged).
 */
START_TEST(failing_run_leaves_its_ladder_beside_the_pcap)
{
	struct record *r;
	size_t n, found = 0;
	char *dir, *out, *line, path[4300];

	if (SKIP_WITHOUT_SANDBOX() || SKIP_IF(no_netns()))
		return;
	ck_assert_int_eq(run_one("+0 setsockopt(4, IPPROTO_TCP, TCP_QUICKACK, [0], 4) = 0\n"
				 "+.1 < P. 1:11(10) ack 1 win 65535\n"
				 "+0 > . 1:1(0) ack 11\n", NULL, &r, &n, &dir), 1);
	snprintf(path, sizeof(path), "%s/out.txt", dir);
	out = scratch_read(path);
	for (line = strstr(out, "\n  ladder: "); line; line = strstr(line + 1, "\n  ladder: ")) {
		char *svg, *end = strchr(line + 1, '\n');

		ck_assert_ptr_nonnull(end);
		snprintf(path, sizeof(path), "%.*s", (int)(end - line - 11), line + 11);
		ck_assert_msg(strstr(path, "/pcap/") && strstr(path, "case-ipv"), "%s", path);
		svg = scratch_read(path);
		ck_assert_ptr_nonnull(strstr(svg, "<rect class=\"band\""));
		ck_assert_ptr_nonnull(strstr(svg, ". 1:1(0) ack 11: nothing came</text>"));
		ck_assert_ptr_nonnull(strstr(svg, "<g class=\"step out after\"><title>after the verdict, "
					      "no line expected it: . 1:1(0) ack 11"));
		free(svg);
		found++;
	}
	ck_assert_uint_eq(found, 2);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(r[i].have_steps, 1);
		ck_assert_uint_ge(r[i].nsteps, 12);
		ck_assert_int_eq(r[i].steps[10].line, 11);
		ck_assert_int_eq(r[i].steps[10].failed, 1);
		ck_assert_int_eq(r[i].steps[11].line, 0);
		ck_assert_str_eq(r[i].steps[6].state, "ESTABLISHED");
	}
	free(out);
	report_free_all(r, n);
	scratch_remove(dir);
	free(dir);
}
END_TEST

Suite *ladder_suite(void)
{
	Suite *s = suite_create("ladder");
	TCase *tc = tcase_create("svg");

	tcase_add_test(tc, document_is_standalone_svg_with_every_step);
	tcase_add_test(tc, time_runs_down_to_scale_and_breaks_where_quiet);
	tcase_add_test(tc, failing_step_is_red_outside_its_band_with_the_message);
	tcase_add_test(tc, nothing_came_is_a_dashed_line_at_the_end_of_the_window);
	tcase_add_test(tc, shared_scale_keeps_the_same_time_level);
	tcase_add_test(tc, kernels_align_on_the_harness_s_steps);
	tcase_add_test(tc, long_text_is_cut_and_old_records_say_no_ladder);
	suite_add_tcase(s, tc);
	tc = tcase_create("run");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, failing_run_leaves_its_ladder_beside_the_pcap);
	suite_add_tcase(s, tc);
	return s;
}
