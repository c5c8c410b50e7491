/* check_main.c - runs every module's Check suite in one runner so one summary line closes `make check`. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "suites.h"

int main(void)
{
	/* Weak references: a module's suite joins as soon as its file is linked in. */
	Suite *(*const suites[])(void) = {
		checksum_suite, packet_suite, tcp_option_suite, pcap_suite, symbol_suite,
		script_suite, nft_suite, diag_suite, wire_suite, netns_suite,
		testbed_suite, runner_suite, report_suite, compare_suite,
		integration_suite,
	};
	SRunner *sr = NULL;
	int failed;

	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		if (!suites[i])
			continue;
		if (!sr)
			sr = srunner_create(suites[i]());
		else
			srunner_add_suite(sr, suites[i]());
	}
	if (!sr) {
		fprintf(stderr, "no test suites linked\n");
		return EXIT_FAILURE;
	}
	if (geteuid() != 0)
		fprintf(stderr, "SKIP: the root-only tests (namespaces, veth, nftables, "
			"sock_diag, wire, the catalogue) need root: they return at once\n");
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
