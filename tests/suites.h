/* suites.h - one Check suite per module; each tests/check_<module>.c defines its <module>_suite(). */
#ifndef TCPCONF_SUITES_H
#define TCPCONF_SUITES_H

#include <check.h>

#define TCPCONF_SUITE(name) Suite *name##_suite(void) __attribute__((weak))
TCPCONF_SUITE(checksum);
TCPCONF_SUITE(packet);
TCPCONF_SUITE(tcp_option);
TCPCONF_SUITE(pcap);
TCPCONF_SUITE(symbol);
TCPCONF_SUITE(script);
TCPCONF_SUITE(nft);
TCPCONF_SUITE(diag);
TCPCONF_SUITE(wire);
TCPCONF_SUITE(netns);
TCPCONF_SUITE(testbed);
TCPCONF_SUITE(runner);
TCPCONF_SUITE(report);
TCPCONF_SUITE(compare);
TCPCONF_SUITE(integration);
#undef TCPCONF_SUITE

/* For root-only tests: nonzero (and a reason) when the test must be skipped. */
#endif
