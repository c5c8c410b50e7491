/*
 * suites.h - one Check suite per module; each tests/check_<module>.c defines
 * its <module>_suite().  A suite is declared here and listed in check_main.c:
 * the link fails when a listed suite is missing or renamed, and `make suites`
 * (part of `make check`) fails when a defined suite is not listed.  A module
 * whose tests outgrow one file keeps its one suite: tests/check_<module>_<part>.c
 * defines <module>_<part>_tcase(), which the module's suite adds.
 */
#ifndef TCPCONF_SUITES_H
#define TCPCONF_SUITES_H

#include <check.h>

#define TCPCONF_SUITE(name) Suite *name##_suite(void)
TCPCONF_SUITE(checksum);
TCPCONF_SUITE(packet);
TCPCONF_SUITE(tcp_option);
TCPCONF_SUITE(pcap);
TCPCONF_SUITE(symbol);
TCPCONF_SUITE(script);
TCPCONF_SUITE(lexer);
TCPCONF_SUITE(expr);
TCPCONF_SUITE(packet_line);
TCPCONF_SUITE(icmp);
TCPCONF_SUITE(nl);
TCPCONF_SUITE(nft);
TCPCONF_SUITE(diag);
TCPCONF_SUITE(wire);
TCPCONF_SUITE(netns);
TCPCONF_SUITE(sysctl);
TCPCONF_SUITE(testbed);
TCPCONF_SUITE(runner);
TCPCONF_SUITE(json);
TCPCONF_SUITE(report);
TCPCONF_SUITE(compare);
TCPCONF_SUITE(ladder);
TCPCONF_SUITE(exchange);
TCPCONF_SUITE(output);
TCPCONF_SUITE(option);
TCPCONF_SUITE(coverage);
TCPCONF_SUITE(define);
TCPCONF_SUITE(judge);
TCPCONF_SUITE(conn);
TCPCONF_SUITE(command);
TCPCONF_SUITE(call_arg);
TCPCONF_SUITE(pycode);
TCPCONF_SUITE(shell);
TCPCONF_SUITE(integration);
TCPCONF_SUITE(sandbox);
TCPCONF_SUITE(hostile);
TCPCONF_SUITE(version);
TCPCONF_SUITE(vnet);
TCPCONF_SUITE(bed);
TCPCONF_SUITE(bed_facts);
TCPCONF_SUITE(vary);
TCPCONF_SUITE(gather);
TCPCONF_SUITE(matrix);
TCPCONF_SUITE(tfo);
TCPCONF_SUITE(timeline);
TCPCONF_SUITE(array);
#undef TCPCONF_SUITE

#define TCPCONF_TCASE(name) TCase *name##_tcase(void)
TCPCONF_TCASE(packet_parse);		/* in packet_suite */
TCPCONF_TCASE(tcp_option_list);		/* in tcp_option_suite */
TCPCONF_TCASE(runner_limits);		/* in runner_suite */
TCPCONF_TCASE(runner_packets);		/* in runner_suite */
TCPCONF_TCASE(runner_ktap);		/* in runner_suite */
TCPCONF_TCASE(report_ktap);		/* in report_suite */
TCPCONF_TCASE(option_run);		/* in option_suite */
TCPCONF_TCASE(compare_input);		/* in compare_suite */
TCPCONF_TCASE(compare_html);		/* in compare_suite */
#undef TCPCONF_TCASE

#endif
