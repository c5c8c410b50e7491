/* frames_v4.h - IPv4 frames captured from Linux, annotated byte by byte: the client's connection (handshake, data, teardown), a SYN with checksum offload, and ARP. */
#ifndef TCPCONF_TESTS_FRAMES_V4_H
#define TCPCONF_TESTS_FRAMES_V4_H

#include <stdint.h>

/* The conversation described in frames.h, over IPv4. */
/* tcpdump -vv: IP (tos 0x0, ttl 64, id 42109, offset 0, flags [DF], proto
 * TCP (6), length 60) 192.0.2.1.40000 > 192.0.2.2.8080: Flags [S], cksum
 * 0x007f (correct), seq 2467812873, win 64240, options [mss 1460,sackOK,TS
 * val 168597899 ecr 0,nop,wscale 10], length 0
 */
static const uint8_t v4_syn[] = {
	/* Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* destination 02:00:00:00:00:02 */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* source 02:00:00:00:00:01 */
	0x08, 0x00,				/* ethertype IPv4 */
	/* IPv4 */
	0x45,					/* version 4, header length 5 words */
	0x00,					/* TOS 0x00 */
	0x00, 0x3c,				/* total length 60 */
	0xa4, 0x7d,				/* identification 42109 */
	0x40, 0x00,				/* flags DF, fragment offset 0 */
	0x40,					/* TTL 64 */
	0x06,					/* protocol TCP */
	0x12, 0x3b,				/* header checksum */
	0xc0, 0x00, 0x02, 0x01,			/* source 192.0.2.1 */
	0xc0, 0x00, 0x02, 0x02,			/* destination 192.0.2.2 */
	/* TCP */
	0x9c, 0x40,				/* source port 40000 */
	0x1f, 0x90,				/* destination port 8080 */
	0x93, 0x17, 0xd6, 0x09,			/* sequence number 2467812873 */
	0x00, 0x00, 0x00, 0x00,			/* acknowledgment number 0 */
	0xa0,					/* data offset 10 words */
	0x02,					/* flags SYN */
	0xfa, 0xf0,				/* window 64240 */
	0x00, 0x7f,				/* checksum */
	0x00, 0x00,				/* urgent pointer 0 */
	0x02, 0x04, 0x05, 0xb4,			/* option mss 1460 */
	0x04, 0x02,				/* option sackOK */
	0x08, 0x0a,				/* option TS, length 10 */
	0x0a, 0x0c, 0x99, 0x8b,			/*   val 168597899 */
	0x00, 0x00, 0x00, 0x00,			/*   ecr 0 */
	0x01,					/* option nop */
	0x03, 0x03, 0x0a,			/* option wscale 10 */
};

/* tcpdump -vv: IP (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP
 * (6), length 60) 192.0.2.2.8080 > 192.0.2.1.40000: Flags [S.], cksum
 * 0xca6f (correct), seq 726366952, ack 2467812874, win 65160, options [mss
 * 1460,sackOK,TS val 299792980 ecr 168597899,nop,wscale 10], length 0
 */
static const uint8_t v4_synack[] = {
	/* Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* destination 02:00:00:00:00:01 */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* source 02:00:00:00:00:02 */
	0x08, 0x00,				/* ethertype IPv4 */
	/* IPv4 */
	0x45,					/* version 4, header length 5 words */
	0x00,					/* TOS 0x00 */
	0x00, 0x3c,				/* total length 60 */
	0x00, 0x00,				/* identification 0 */
	0x40, 0x00,				/* flags DF, fragment offset 0 */
	0x40,					/* TTL 64 */
	0x06,					/* protocol TCP */
	0xb6, 0xb8,				/* header checksum */
	0xc0, 0x00, 0x02, 0x02,			/* source 192.0.2.2 */
	0xc0, 0x00, 0x02, 0x01,			/* destination 192.0.2.1 */
	/* TCP */
	0x1f, 0x90,				/* source port 8080 */
	0x9c, 0x40,				/* destination port 40000 */
	0x2b, 0x4b, 0x7a, 0xe8,			/* sequence number 726366952 */
	0x93, 0x17, 0xd6, 0x0a,			/* acknowledgment number 2467812874 */
	0xa0,					/* data offset 10 words */
	0x12,					/* flags SYN|ACK */
	0xfe, 0x88,				/* window 65160 */
	0xca, 0x6f,				/* checksum */
	0x00, 0x00,				/* urgent pointer 0 */
	0x02, 0x04, 0x05, 0xb4,			/* option mss 1460 */
	0x04, 0x02,				/* option sackOK */
	0x08, 0x0a,				/* option TS, length 10 */
	0x11, 0xde, 0x7a, 0x54,			/*   val 299792980 */
	0x0a, 0x0c, 0x99, 0x8b,			/*   ecr 168597899 */
	0x01,					/* option nop */
	0x03, 0x03, 0x0a,			/* option wscale 10 */
};

/* tcpdump -vv: IP (tos 0x0, ttl 64, id 42110, offset 0, flags [DF], proto
 * TCP (6), length 52) 192.0.2.1.40000 > 192.0.2.2.8080: Flags [.], cksum
 * 0xf788 (correct), seq 2467812874, ack 726366953, win 63, options
 * [nop,nop,TS val 168597899 ecr 299792980], length 0
 */
static const uint8_t v4_ack[] = {
	/* Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* destination 02:00:00:00:00:02 */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* source 02:00:00:00:00:01 */
	0x08, 0x00,				/* ethertype IPv4 */
	/* IPv4 */
	0x45,					/* version 4, header length 5 words */
	0x00,					/* TOS 0x00 */
	0x00, 0x34,				/* total length 52 */
	0xa4, 0x7e,				/* identification 42110 */
	0x40, 0x00,				/* flags DF, fragment offset 0 */
	0x40,					/* TTL 64 */
	0x06,					/* protocol TCP */
	0x12, 0x42,				/* header checksum */
	0xc0, 0x00, 0x02, 0x01,			/* source 192.0.2.1 */
	0xc0, 0x00, 0x02, 0x02,			/* destination 192.0.2.2 */
	/* TCP */
	0x9c, 0x40,				/* source port 40000 */
	0x1f, 0x90,				/* destination port 8080 */
	0x93, 0x17, 0xd6, 0x0a,			/* sequence number 2467812874 */
	0x2b, 0x4b, 0x7a, 0xe9,			/* acknowledgment number 726366953 */
	0x80,					/* data offset 8 words */
	0x10,					/* flags ACK */
	0x00, 0x3f,				/* window 63 */
	0xf7, 0x88,				/* checksum */
	0x00, 0x00,				/* urgent pointer 0 */
	0x01,					/* option nop */
	0x01,					/* option nop */
	0x08, 0x0a,				/* option TS, length 10 */
	0x0a, 0x0c, 0x99, 0x8b,			/*   val 168597899 */
	0x11, 0xde, 0x7a, 0x54,			/*   ecr 299792980 */
};

/* tcpdump -vv: IP (tos 0x0, ttl 64, id 42111, offset 0, flags [DF], proto
 * TCP (6), length 57) 192.0.2.1.40000 > 192.0.2.2.8080: Flags [P.], cksum
 * 0xb3a8 (correct), seq 2467812874:2467812879, ack 726366953, win 63,
 * options [nop,nop,TS val 168597900 ecr 299792980], length 5: HTTP
 */
static const uint8_t v4_data[] = {
	/* Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* destination 02:00:00:00:00:02 */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* source 02:00:00:00:00:01 */
	0x08, 0x00,				/* ethertype IPv4 */
	/* IPv4 */
	0x45,					/* version 4, header length 5 words */
	0x00,					/* TOS 0x00 */
	0x00, 0x39,				/* total length 57 */
	0xa4, 0x7f,				/* identification 42111 */
	0x40, 0x00,				/* flags DF, fragment offset 0 */
	0x40,					/* TTL 64 */
	0x06,					/* protocol TCP */
	0x12, 0x3c,				/* header checksum */
	0xc0, 0x00, 0x02, 0x01,			/* source 192.0.2.1 */
	0xc0, 0x00, 0x02, 0x02,			/* destination 192.0.2.2 */
	/* TCP */
	0x9c, 0x40,				/* source port 40000 */
	0x1f, 0x90,				/* destination port 8080 */
	0x93, 0x17, 0xd6, 0x0a,			/* sequence number 2467812874 */
	0x2b, 0x4b, 0x7a, 0xe9,			/* acknowledgment number 726366953 */
	0x80,					/* data offset 8 words */
	0x18,					/* flags PSH|ACK */
	0x00, 0x3f,				/* window 63 */
	0xb3, 0xa8,				/* checksum */
	0x00, 0x00,				/* urgent pointer 0 */
	0x01,					/* option nop */
	0x01,					/* option nop */
	0x08, 0x0a,				/* option TS, length 10 */
	0x0a, 0x0c, 0x99, 0x8c,			/*   val 168597900 */
	0x11, 0xde, 0x7a, 0x54,			/*   ecr 299792980 */
	/* payload */
	0x68, 0x65, 0x6c, 0x6c, 0x6f,		/* payload "hello" */
};

/* tcpdump -vv: IP (tos 0x0, ttl 64, id 45322, offset 0, flags [DF], proto
 * TCP (6), length 52) 192.0.2.2.8080 > 192.0.2.1.40000: Flags [.], cksum
 * 0xf780 (correct), seq 726366953, ack 2467812879, win 64, options
 * [nop,nop,TS val 299792981 ecr 168597900], length 0
 */
static const uint8_t v4_data_ack[] = {
	/* Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* destination 02:00:00:00:00:01 */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* source 02:00:00:00:00:02 */
	0x08, 0x00,				/* ethertype IPv4 */
	/* IPv4 */
	0x45,					/* version 4, header length 5 words */
	0x00,					/* TOS 0x00 */
	0x00, 0x34,				/* total length 52 */
	0xb1, 0x0a,				/* identification 45322 */
	0x40, 0x00,				/* flags DF, fragment offset 0 */
	0x40,					/* TTL 64 */
	0x06,					/* protocol TCP */
	0x05, 0xb6,				/* header checksum */
	0xc0, 0x00, 0x02, 0x02,			/* source 192.0.2.2 */
	0xc0, 0x00, 0x02, 0x01,			/* destination 192.0.2.1 */
	/* TCP */
	0x1f, 0x90,				/* source port 8080 */
	0x9c, 0x40,				/* destination port 40000 */
	0x2b, 0x4b, 0x7a, 0xe9,			/* sequence number 726366953 */
	0x93, 0x17, 0xd6, 0x0f,			/* acknowledgment number 2467812879 */
	0x80,					/* data offset 8 words */
	0x10,					/* flags ACK */
	0x00, 0x40,				/* window 64 */
	0xf7, 0x80,				/* checksum */
	0x00, 0x00,				/* urgent pointer 0 */
	0x01,					/* option nop */
	0x01,					/* option nop */
	0x08, 0x0a,				/* option TS, length 10 */
	0x11, 0xde, 0x7a, 0x55,			/*   val 299792981 */
	0x0a, 0x0c, 0x99, 0x8c,			/*   ecr 168597900 */
};

/* tcpdump -vv: IP (tos 0x0, ttl 64, id 42112, offset 0, flags [DF], proto
 * TCP (6), length 52) 192.0.2.1.40000 > 192.0.2.2.8080: Flags [F.], cksum
 * 0xf71c (correct), seq 2467812879, ack 726366953, win 63, options
 * [nop,nop,TS val 168598000 ecr 299792981], length 0
 */
static const uint8_t v4_fin[] = {
	/* Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* destination 02:00:00:00:00:02 */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* source 02:00:00:00:00:01 */
	0x08, 0x00,				/* ethertype IPv4 */
	/* IPv4 */
	0x45,					/* version 4, header length 5 words */
	0x00,					/* TOS 0x00 */
	0x00, 0x34,				/* total length 52 */
	0xa4, 0x80,				/* identification 42112 */
	0x40, 0x00,				/* flags DF, fragment offset 0 */
	0x40,					/* TTL 64 */
	0x06,					/* protocol TCP */
	0x12, 0x40,				/* header checksum */
	0xc0, 0x00, 0x02, 0x01,			/* source 192.0.2.1 */
	0xc0, 0x00, 0x02, 0x02,			/* destination 192.0.2.2 */
	/* TCP */
	0x9c, 0x40,				/* source port 40000 */
	0x1f, 0x90,				/* destination port 8080 */
	0x93, 0x17, 0xd6, 0x0f,			/* sequence number 2467812879 */
	0x2b, 0x4b, 0x7a, 0xe9,			/* acknowledgment number 726366953 */
	0x80,					/* data offset 8 words */
	0x11,					/* flags FIN|ACK */
	0x00, 0x3f,				/* window 63 */
	0xf7, 0x1c,				/* checksum */
	0x00, 0x00,				/* urgent pointer 0 */
	0x01,					/* option nop */
	0x01,					/* option nop */
	0x08, 0x0a,				/* option TS, length 10 */
	0x0a, 0x0c, 0x99, 0xf0,			/*   val 168598000 */
	0x11, 0xde, 0x7a, 0x55,			/*   ecr 299792981 */
};

/* tcpdump -vv: IP (tos 0x0, ttl 64, id 45323, offset 0, flags [DF], proto
 * TCP (6), length 52) 192.0.2.2.8080 > 192.0.2.1.40000: Flags [F.], cksum
 * 0xf6b5 (correct), seq 726366953, ack 2467812880, win 64, options
 * [nop,nop,TS val 299793082 ecr 168598000], length 0
 */
static const uint8_t v4_finack[] = {
	/* Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* destination 02:00:00:00:00:01 */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* source 02:00:00:00:00:02 */
	0x08, 0x00,				/* ethertype IPv4 */
	/* IPv4 */
	0x45,					/* version 4, header length 5 words */
	0x00,					/* TOS 0x00 */
	0x00, 0x34,				/* total length 52 */
	0xb1, 0x0b,				/* identification 45323 */
	0x40, 0x00,				/* flags DF, fragment offset 0 */
	0x40,					/* TTL 64 */
	0x06,					/* protocol TCP */
	0x05, 0xb5,				/* header checksum */
	0xc0, 0x00, 0x02, 0x02,			/* source 192.0.2.2 */
	0xc0, 0x00, 0x02, 0x01,			/* destination 192.0.2.1 */
	/* TCP */
	0x1f, 0x90,				/* source port 8080 */
	0x9c, 0x40,				/* destination port 40000 */
	0x2b, 0x4b, 0x7a, 0xe9,			/* sequence number 726366953 */
	0x93, 0x17, 0xd6, 0x10,			/* acknowledgment number 2467812880 */
	0x80,					/* data offset 8 words */
	0x11,					/* flags FIN|ACK */
	0x00, 0x40,				/* window 64 */
	0xf6, 0xb5,				/* checksum */
	0x00, 0x00,				/* urgent pointer 0 */
	0x01,					/* option nop */
	0x01,					/* option nop */
	0x08, 0x0a,				/* option TS, length 10 */
	0x11, 0xde, 0x7a, 0xba,			/*   val 299793082 */
	0x0a, 0x0c, 0x99, 0xf0,			/*   ecr 168598000 */
};

/* tcpdump -vv: IP (tos 0x0, ttl 64, id 42113, offset 0, flags [DF], proto
 * TCP (6), length 52) 192.0.2.1.40000 > 192.0.2.2.8080: Flags [.], cksum
 * 0xf6b5 (correct), seq 2467812880, ack 726366954, win 63, options
 * [nop,nop,TS val 168598001 ecr 299793082], length 0
 */
static const uint8_t v4_last_ack[] = {
	/* Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* destination 02:00:00:00:00:02 */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* source 02:00:00:00:00:01 */
	0x08, 0x00,				/* ethertype IPv4 */
	/* IPv4 */
	0x45,					/* version 4, header length 5 words */
	0x00,					/* TOS 0x00 */
	0x00, 0x34,				/* total length 52 */
	0xa4, 0x81,				/* identification 42113 */
	0x40, 0x00,				/* flags DF, fragment offset 0 */
	0x40,					/* TTL 64 */
	0x06,					/* protocol TCP */
	0x12, 0x3f,				/* header checksum */
	0xc0, 0x00, 0x02, 0x01,			/* source 192.0.2.1 */
	0xc0, 0x00, 0x02, 0x02,			/* destination 192.0.2.2 */
	/* TCP */
	0x9c, 0x40,				/* source port 40000 */
	0x1f, 0x90,				/* destination port 8080 */
	0x93, 0x17, 0xd6, 0x10,			/* sequence number 2467812880 */
	0x2b, 0x4b, 0x7a, 0xea,			/* acknowledgment number 726366954 */
	0x80,					/* data offset 8 words */
	0x10,					/* flags ACK */
	0x00, 0x3f,				/* window 63 */
	0xf6, 0xb5,				/* checksum */
	0x00, 0x00,				/* urgent pointer 0 */
	0x01,					/* option nop */
	0x01,					/* option nop */
	0x08, 0x0a,				/* option TS, length 10 */
	0x0a, 0x0c, 0x99, 0xf1,			/*   val 168598001 */
	0x11, 0xde, 0x7a, 0xba,			/*   ecr 299793082 */
};

/*
 * The same client SYN captured on the server's end of the veth while the
 * client had checksum offload on (the veth default): the TCP checksum field
 * holds only the pseudo-header sum for a NIC that never comes.
 */
/* tcpdump -vv: IP (tos 0x0, ttl 64, id 899, offset 0, flags [DF], proto TCP
 * (6), length 60) 192.0.2.1.40001 > 192.0.2.2.8080: Flags [S], cksum
 * 0x8432 (incorrect -> 0x1287), seq 3953357440, win 64240, options [mss
 * 1460,sackOK,TS val 2998725070 ecr 0,nop,wscale 10], length 0
 */
static const uint8_t v4_syn_offload[] = {
	/* Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* destination 02:00:00:00:00:02 */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* source 02:00:00:00:00:01 */
	0x08, 0x00,				/* ethertype IPv4 */
	/* IPv4 */
	0x45,					/* version 4, header length 5 words */
	0x00,					/* TOS 0x00 */
	0x00, 0x3c,				/* total length 60 */
	0x03, 0x83,				/* identification 899 */
	0x40, 0x00,				/* flags DF, fragment offset 0 */
	0x40,					/* TTL 64 */
	0x06,					/* protocol TCP */
	0xb3, 0x35,				/* header checksum */
	0xc0, 0x00, 0x02, 0x01,			/* source 192.0.2.1 */
	0xc0, 0x00, 0x02, 0x02,			/* destination 192.0.2.2 */
	/* TCP */
	0x9c, 0x41,				/* source port 40001 */
	0x1f, 0x90,				/* destination port 8080 */
	0xeb, 0xa3, 0x72, 0x80,			/* sequence number 3953357440 */
	0x00, 0x00, 0x00, 0x00,			/* acknowledgment number 0 */
	0xa0,					/* data offset 10 words */
	0x02,					/* flags SYN */
	0xfa, 0xf0,				/* window 64240 */
	0x84, 0x32,				/* checksum */
	0x00, 0x00,				/* urgent pointer 0 */
	0x02, 0x04, 0x05, 0xb4,			/* option mss 1460 */
	0x04, 0x02,				/* option sackOK */
	0x08, 0x0a,				/* option TS, length 10 */
	0xb2, 0xbc, 0xe9, 0xce,			/*   val 2998725070 */
	0x00, 0x00, 0x00, 0x00,			/*   ecr 0 */
	0x01,					/* option nop */
	0x03, 0x03, 0x0a,			/* option wscale 10 */
};

/* Address resolution on the same veth pair, triggered by a UDP send. */
/* tcpdump -vv: ARP, Ethernet (len 6), IPv4 (len 4), Request who-has
 * 192.0.2.2 tell 192.0.2.1, length 28
 */
static const uint8_t arp_request[] = {
	/* Ethernet */
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,	/* destination ff:ff:ff:ff:ff:ff */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* source 02:00:00:00:00:01 */
	0x08, 0x06,				/* ethertype ARP */
	/* ARP */
	0x00, 0x01,				/* hardware type Ethernet */
	0x08, 0x00,				/* protocol type IPv4 */
	0x06,					/* hardware address length 6 */
	0x04,					/* protocol address length 4 */
	0x00, 0x01,				/* operation 1 (request) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* sender MAC 02:00:00:00:00:01 */
	0xc0, 0x00, 0x02, 0x01,			/* sender IP 192.0.2.1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* target MAC 00:00:00:00:00:00 */
	0xc0, 0x00, 0x02, 0x02,			/* target IP 192.0.2.2 */
};

/* tcpdump -vv: ARP, Ethernet (len 6), IPv4 (len 4), Reply 192.0.2.2 is-at
 * 02:00:00:00:00:02, length 28
 */
static const uint8_t arp_reply[] = {
	/* Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* destination 02:00:00:00:00:01 */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* source 02:00:00:00:00:02 */
	0x08, 0x06,				/* ethertype ARP */
	/* ARP */
	0x00, 0x01,				/* hardware type Ethernet */
	0x08, 0x00,				/* protocol type IPv4 */
	0x06,					/* hardware address length 6 */
	0x04,					/* protocol address length 4 */
	0x00, 0x02,				/* operation 2 (reply) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* sender MAC 02:00:00:00:00:02 */
	0xc0, 0x00, 0x02, 0x02,			/* sender IP 192.0.2.2 */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* target MAC 02:00:00:00:00:01 */
	0xc0, 0x00, 0x02, 0x01,			/* target IP 192.0.2.1 */
};
#endif
