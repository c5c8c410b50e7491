/* pcap.h - write captures in the classic libpcap file format so failures can be opened in Wireshark. */
#ifndef TCPCONF_PCAP_H
#define TCPCONF_PCAP_H

#include <stddef.h>
#include <time.h>

struct pcap;

/* Create path (truncating) and write the global header, nanosecond
 * resolution, LINKTYPE_ETHERNET.  The caller owns *p. */
int pcap_open(struct pcap **p, const char *path, char **error);

/* Append one frame with its timestamp. */
int pcap_write(struct pcap *p, const struct timespec *ts, const void *frame,
	       size_t len, char **error);

/* Flush and close; returns STATUS_ERROR if the final write failed. */
int pcap_close(struct pcap *p, char **error);

/* Serialise the same format into memory (for tests): header+records. */
size_t pcap_header_encode(void *buf, size_t size);
size_t pcap_record_encode(void *buf, size_t size, const struct timespec *ts,
			  const void *frame, size_t len);

#endif
