/* main.c - tcpconf's entry point: dispatch to run, compare, coverage and bench. */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "compare.h"
#include "coverage.h"
#include "run.h"
#include "version.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tcpconf COMMAND [options]\n"
		"  run [options] PATH...      run .pkt cases against this kernel\n"
		"  compare [options] DIR...   compare results/<kernel> directories\n"
		"  coverage [options] [DIR...] requirements, the cases that check them, verdicts\n"
		"  bench [options]            measure test-bed and round-trip costs\n"
		"  version, --version         the release and the git commit it was built from\n"
		"`tcpconf COMMAND --help` for options.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "compare"))
		return cmd_compare(argc - 1, argv + 1);
	if (!strcmp(argv[1], "coverage"))
		return cmd_coverage(argc - 1, argv + 1);
	if (!strcmp(argv[1], "bench"))
		return cmd_bench(argc - 1, argv + 1);
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
		printf("tcpconf %s\n", version_string());
		return 0;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "tcpconf: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
