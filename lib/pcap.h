/* pcap.h - write captures in the classic libpcap file format so failures can be opened in Wireshark. */
#ifndef TCPCONF_PCAP_H
#define TCPCONF_PCAP_H

#include <stddef.h>
#include <time.h>

struct pcap;

/* Create path (truncating) and write the global header: magic 0xa1b23c4d
 * (nanosecond timestamps), version 2.4, snaplen 262144, LINKTYPE_ETHERNET,
 * little-endian on every host.  The caller owns *p (NULL on failure) and
 * releases it with pcap_close(). */
int pcap_open(struct pcap **p, const char *path, char **error);

/* The same into fd, which the caller keeps (p writes to a duplicate);
 * name is for messages. */
int pcap_open_fd(struct pcap **p, int fd, const char *name, char **error);

/* Append one frame with its timestamp (frames beyond the snaplen are cut,
 * keeping their original length); flushed at once. */
int pcap_write(struct pcap *p, const struct timespec *ts, const void *frame,
	       size_t len, char **error);

/* Flush, close and free p (NULL is fine); returns STATUS_ERROR if the final
 * write failed, p is freed either way. */
int pcap_close(struct pcap *p, char **error);

/* Serialise the same format into memory (for tests): header+records.  Both
 * return the bytes the encoding takes and write only when size is enough. */
size_t pcap_header_encode(void *buf, size_t size);
size_t pcap_record_encode(void *buf, size_t size, const struct timespec *ts,
			  const void *frame, size_t len);

#endif
