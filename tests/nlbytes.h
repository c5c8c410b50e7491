/* nlbytes.h - host-order fields (netlink headers, attributes, kernel structs) spelled out byte by byte, for the annotated hex of the netlink suites. */
#ifndef TCPCONF_NLBYTES_H
#define TCPCONF_NLBYTES_H

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define H16(x)	((x) & 0xff), (((x) >> 8) & 0xff)
#define H32(x)	((x) & 0xff), (((x) >> 8) & 0xff), (((x) >> 16) & 0xff), (((x) >> 24) & 0xff)
#else
#define H16(x)	(((x) >> 8) & 0xff), ((x) & 0xff)
#define H32(x)	(((x) >> 24) & 0xff), (((x) >> 16) & 0xff), (((x) >> 8) & 0xff), ((x) & 0xff)
#endif

#endif
