/* check_main.c - runs every module's Check suite in one runner so one summary line closes `make check`, and says how many tests skipped. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "skip.h"
#include "suites.h"

/*
 * One line per skipped test, "why\tsuite".  Each test runs in a forked child
 * (CK_FORK), so the notes go to an unlinked file the children inherit; tests
 * run one at a time and each note is one write(), so lines stay whole.
 */
static FILE *skip_notes;

bool test_skipped(const char *file, const char *why)
{
	const char *suite = strrchr(file, '/');
	char line[256];
	int n, len;

	suite = suite ? suite + 1 : file;
	if (!strncmp(suite, "check_", 6))
		suite += 6;
	len = (int)strcspn(suite, ".");
	n = snprintf(line, sizeof(line), "%.200s", why ? why : "?");
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	n += snprintf(line + n, sizeof(line) - n, "\t%.*s\n", len < 40 ? len : 40, suite);
	if (skip_notes && write(fileno(skip_notes), line, n) != n)
		perror("skip note");	/* the count printed will be low */
	return true;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "SKIP: N of M tests did not run: why (suite n, ...); ..." or nothing. */
static void print_skips(int ntests)
{
	char **notes = NULL, *line = NULL;
	size_t n = 0, cap = 0, len = 0;

	if (!skip_notes)
		return;
	rewind(skip_notes);
	while (getline(&line, &len, skip_notes) > 0) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			notes = realloc(notes, cap * sizeof(*notes));
			if (!notes)
				abort();
		}
		line[strcspn(line, "\n")] = '\0';
		notes[n++] = strdup(line);
	}
	free(line);
	if (!n)
		return;
	qsort(notes, n, sizeof(*notes), cmp_str);
	printf("SKIP: %zu of %d tests did not run:", n, ntests);
	for (size_t i = 0, j; i < n; i = j) {
		size_t why_len = strcspn(notes[i], "\t");

		printf("%s %.*s (", i ? ";" : "", (int)why_len, notes[i]);
		for (j = i; j < n && !strncmp(notes[j], notes[i], why_len + 1); ) {
			size_t k = j;

			while (k < n && !strcmp(notes[k], notes[j]))
				k++;
			printf("%s%s %zu", j > i ? ", " : "", notes[j] + why_len + 1, k - j);
			j = k;
		}
		printf(")");
	}
	printf("\n");
	fflush(stdout);
	for (size_t i = 0; i < n; i++)
		free(notes[i]);
	free(notes);
}

int main(void)
{
	Suite *(*const suites[])(void) = {
		checksum_suite, packet_suite, tcp_option_suite, pcap_suite, symbol_suite,
		script_suite, lexer_suite, expr_suite, packet_line_suite, icmp_suite,
		nl_suite, nft_suite, diag_suite, wire_suite, netns_suite,
		sysctl_suite,
		testbed_suite, judge_suite, conn_suite, command_suite, call_arg_suite,
		pycode_suite,
		shell_suite, runner_suite,
		json_suite, report_suite, compare_suite, ladder_suite, exchange_suite,
		output_suite, option_suite, coverage_suite, define_suite,
		integration_suite, sandbox_suite, hostile_suite, version_suite,
		vnet_suite, bed_suite, bed_facts_suite, gather_suite, matrix_suite,
		vary_suite, tfo_suite, timeline_suite, array_suite,
	};
	SRunner *sr = srunner_create(NULL);
	int failed;

	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		srunner_add_suite(sr, suites[i]());
	skip_notes = tmpfile();
	if (!skip_notes)
		perror("tmpfile: skipped tests will not be counted");
	/* Silent while running, so the skip count can come before the summary. */
	srunner_run_all(sr, CK_SILENT);
	print_skips(srunner_ntests_run(sr));
	srunner_print(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (skip_notes)
		fclose(skip_notes);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
