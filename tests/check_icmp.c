/* check_icmp.c - ICMP lines: packetdrill's type and code names per IP version, and the frames built, byte for byte against annotated hex. */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "error.h"
#include "icmp.h"
#include "suites.h"

static const uint8_t harness_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t kernel_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };

/* The kernel's segment 192.0.2.2.8080 > 192.0.2.1.40000, seq 726366953,
 * 1000 bytes: what "[1:1001(1000)]" names once the ISN 726366952 is added. */
static struct icmp_about about(int family)
{
	struct icmp_about a = { .sport = 8080, .dport = 40000, .seq = 726366953,
				.payload_len = 1000 };

	a.src.family = a.dst.family = family;
	if (family == AF_INET) {
		inet_pton(AF_INET, "192.0.2.2", &a.src.u.v4);
		inet_pton(AF_INET, "192.0.2.1", &a.dst.u.v4);
	} else {
		inet_pton(AF_INET6, "2001:db8::2", &a.src.u.v6);
		inet_pton(AF_INET6, "2001:db8::1", &a.dst.u.v6);
	}
	return a;
}

/* "< [ect0] icmp unreachable frag_needed mtu 800 [1:1001(1000)]" */
static const uint8_t v4_frag_needed[] = {
	/* Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* destination: the kernel */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* source: the harness */
	0x08, 0x00,				/* ethertype IPv4 */
	/* IPv4 */
	0x45,					/* version 4, header length 5 words */
	0x02,					/* TOS: ECN ECT(0) */
	0x00, 0x38,				/* total length 56 */
	0x00, 0x00, 0x00, 0x00,			/* id 0, no flags, offset 0 */
	0x40,					/* TTL 64 */
	0x01,					/* protocol ICMP */
	0xf6, 0xbf,				/* header checksum */
	0xc0, 0x00, 0x02, 0x01,			/* source 192.0.2.1 */
	0xc0, 0x00, 0x02, 0x02,			/* destination 192.0.2.2 */
	/* ICMP */
	0x03,					/* type 3: destination unreachable */
	0x04,					/* code 4: fragmentation needed */
	0x97, 0xd6,				/* checksum */
	0x00, 0x00,				/* unused */
	0x03, 0x20,				/* next-hop MTU 800 */
	/* echoed IPv4 header: the kernel's segment */
	0x45, 0x00,				/* version 4, IHL 5, TOS 0 */
	0x04, 0x10,				/* total length 1040: 20 + 20 + 1000 */
	0x00, 0x00, 0x00, 0x00,			/* id 0, no flags, offset 0 */
	0x00,					/* TTL 0 */
	0x06,					/* protocol TCP */
	0x32, 0xe5,				/* header checksum */
	0xc0, 0x00, 0x02, 0x02,			/* source 192.0.2.2 */
	0xc0, 0x00, 0x02, 0x01,			/* destination 192.0.2.1 */
	/* first 8 bytes of its TCP header */
	0x1f, 0x90,				/* source port 8080 */
	0x9c, 0x40,				/* destination port 40000 */
	0x2b, 0x4b, 0x7a, 0xe9,			/* sequence number 726366953 */
};

/* "< icmp packet_too_big mtu 1400 [1:1001(1000)]" */
static const uint8_t v6_too_big[] = {
	/* Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* destination: the kernel */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* source: the harness */
	0x86, 0xdd,				/* ethertype IPv6 */
	/* IPv6 */
	0x60, 0x00, 0x00, 0x00,			/* version 6, class 0, flow 0 */
	0x00, 0x38,				/* payload length 56 */
	0x3a,					/* next header ICMPv6 */
	0x40,					/* hop limit 64 */
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,	/* source 2001:db8::1 */
	0, 0, 0, 0, 0, 0, 0, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,	/* destination 2001:db8::2 */
	0, 0, 0, 0, 0, 0, 0, 0x02,
	/* ICMPv6 */
	0x02,					/* type 2: packet too big */
	0x00,					/* code 0 */
	0x75, 0x29,				/* checksum */
	0x00, 0x00, 0x05, 0x78,			/* MTU 1400 */
	/* echoed IPv6 header */
	0x60, 0x00, 0x00, 0x00,			/* version 6, class 0, flow 0 */
	0x03, 0xfc,				/* payload length 1020: 20 + 1000 */
	0x06,					/* next header TCP */
	0x00,					/* hop limit 0 */
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,	/* source 2001:db8::2 */
	0, 0, 0, 0, 0, 0, 0, 0x02,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,	/* destination 2001:db8::1 */
	0, 0, 0, 0, 0, 0, 0, 0x01,
	/* first 8 bytes of its TCP header */
	0x1f, 0x90,				/* source port 8080 */
	0x9c, 0x40,				/* destination port 40000 */
	0x2b, 0x4b, 0x7a, 0xe9,			/* sequence number 726366953 */
};

START_TEST(frag_needed_echoes_the_kernel_segment)
{
	struct icmp_spec spec = { .present = true, .type = "unreachable",
				  .code = "frag_needed", .mtu = 800 };
	struct icmp_about a = about(AF_INET);
	uint8_t buf[256];
	size_t len;

	ck_assert_int_eq(icmp_build(&spec, &a, PACKET_ECN_ECT0, harness_mac,
				    kernel_mac, buf, sizeof(buf), &len, NULL),
			 STATUS_OK);
	ck_assert_uint_eq(len, sizeof(v4_frag_needed));
	ck_assert_mem_eq(buf, v4_frag_needed, len);
	ck_assert_int_eq(icmp_build(&spec, &a, 0, harness_mac, kernel_mac, buf,
				    40, &len, NULL), STATUS_ERROR);
}
END_TEST

START_TEST(packet_too_big_over_ipv6)
{
	struct icmp_spec spec = { .present = true, .type = "packet_too_big",
				  .mtu = 1400 };
	struct icmp_about a = about(AF_INET6);
	uint8_t buf[256];
	size_t len;

	ck_assert_int_eq(icmp_build(&spec, &a, 0, harness_mac, kernel_mac, buf,
				    sizeof(buf), &len, NULL), STATUS_OK);
	ck_assert_uint_eq(len, sizeof(v6_too_big));
	ck_assert_mem_eq(buf, v6_too_big, len);
}
END_TEST

/* Names per family, tcpdump's type_N/code_N, and packetdrill's messages. */
static const struct {
	int family;
	const char *type, *code;
	int64_t mtu;
	int want_type, want_code;	/* -1: an error */
	const char *error;
} names[] = {
	{ AF_INET, "unreachable", "host_unreachable", -1, 3, 1, NULL },
	{ AF_INET, "unreachable", "", -1, 3, 0, NULL },
	{ AF_INET, "time_exceeded", "", -1, 11, 0, NULL },
	{ AF_INET, "type_42", "code_7", -1, 42, 7, NULL },
	{ AF_INET6, "unreachable", "port_unreachable", -1, 1, 4, NULL },
	{ AF_INET6, "parameter_problem", "unknown_option", -1, 4, 2, NULL },
	{ AF_INET6, "unreachable", "frag_needed", -1, -1, -1,
	  "bad ICMP code frag_needed" },
	{ AF_INET, "unreachable", "CODE", -1, -1, -1, "bad ICMP code CODE" },
	{ AF_INET, "packet_too_big", "", -1, -1, -1, "bad ICMP type packet_too_big" },
	{ AF_INET, "type_256", "", -1, -1, -1, "bad ICMP type type_256" },
	{ AF_INET, "unreachable", "host_unreachable", 800, -1, -1,
	  "ICMPv4 MTU is only valid for unreachable frag_needed" },
	{ AF_INET, "unreachable", "frag_needed", 65536, -1, -1,
	  "ICMPv4 MTU 65536 is out of 16-bit range" },
	{ AF_INET6, "unreachable", "", 1400, -1, -1,
	  "ICMPv6 MTU is only valid for packet_too_big" },
};

START_TEST(types_and_codes_resolve_per_family)
{
	struct icmp_spec spec = { .present = true, .mtu = names[_i].mtu };
	uint8_t type = 0, code = 0;
	char *err = NULL;
	int rc;

	strcpy(spec.type, names[_i].type);
	strcpy(spec.code, names[_i].code);
	rc = icmp_resolve(&spec, names[_i].family, &type, &code, &err);
	if (names[_i].want_type < 0) {
		ck_assert_int_eq(rc, STATUS_ERROR);
		ck_assert_str_eq(err, names[_i].error);
	} else {
		ck_assert_msg(rc == STATUS_OK, "%s %s: %s", names[_i].type,
			      names[_i].code, err);
		ck_assert_int_eq(type, names[_i].want_type);
		ck_assert_int_eq(code, names[_i].want_code);
	}
	free(err);
}
END_TEST

Suite *icmp_suite(void)
{
	Suite *s = suite_create("icmp");
	TCase *tc = tcase_create("messages");

	tcase_add_test(tc, frag_needed_echoes_the_kernel_segment);
	tcase_add_test(tc, packet_too_big_over_ipv6);
	tcase_add_loop_test(tc, types_and_codes_resolve_per_family, 0,
			    sizeof(names) / sizeof(names[0]));
	suite_add_tcase(s, tc);
	return s;
}
