/* frames.h - Ethernet frames captured from Linux, annotated byte by byte, shared by the packet, checksum, judge and connection suites. */
#ifndef TCPCONF_TESTS_FRAMES_H
#define TCPCONF_TESTS_FRAMES_H

/*
 * Real frames, captured with tcpdump -xx on a veth pair between two
 * namespaces: the client is 02:00:00:00:00:01, 192.0.2.1 / 2001:db8::1 port
 * 40000, the server 02:00:00:00:00:02, 192.0.2.2 / 2001:db8::2 port 8080.
 * The client connects, sends "hello", closes after 100 ms; the server reads
 * to EOF and closes.  Transmit checksum offload was off on both ends so the
 * kernel filled in every checksum (tcpdump called each one correct).
 */
#include "frames_v4.h"
#include "frames_v6.h"

#endif
