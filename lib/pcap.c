/*
 * pcap.c - see pcap.h.
 *
 * The classic format: a 24-byte file header, then a 16-byte header before
 * each frame.  Readers learn the byte order from the magic number, so we
 * always write little-endian and the files are the same on every host.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "pcap.h"

enum {
	PCAP_MAGIC_NSEC		= 0xa1b23c4d,	/* timestamps in nanoseconds */
	PCAP_VERSION_MAJOR	= 2,
	PCAP_VERSION_MINOR	= 4,
	/* tcpdump's default: room for a 64 KB GSO super-segment whole */
	PCAP_SNAPLEN		= 262144,
	LINKTYPE_ETHERNET	= 1,
	PCAP_HEADER_LEN		= 24,
	PCAP_RECORD_LEN		= 16,
};

struct pcap {
	FILE *f;
	char *path;		/* for messages */
};

static void le16(uint8_t *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void le32(uint8_t *p, uint32_t v)
{
	le16(p, v & 0xffff);
	le16(p + 2, v >> 16);
}

size_t pcap_header_encode(void *buf, size_t size)
{
	uint8_t *p = buf;

	if (size < PCAP_HEADER_LEN)
		return PCAP_HEADER_LEN;
	le32(p, PCAP_MAGIC_NSEC);
	le16(p + 4, PCAP_VERSION_MAJOR);
	le16(p + 6, PCAP_VERSION_MINOR);
	le32(p + 8, 0);			/* thiszone: timestamps are UTC */
	le32(p + 12, 0);		/* sigfigs */
	le32(p + 16, PCAP_SNAPLEN);
	le32(p + 20, LINKTYPE_ETHERNET);
	return PCAP_HEADER_LEN;
}

static size_t pcap_captured(size_t len)
{
	return len > PCAP_SNAPLEN ? PCAP_SNAPLEN : len;
}

static void pcap_record_header(uint8_t *p, const struct timespec *ts, size_t len)
{
	/* The format has 32 bits of seconds: good until 2106. */
	le32(p, (uint32_t)ts->tv_sec);
	le32(p + 4, (uint32_t)ts->tv_nsec);
	le32(p + 8, (uint32_t)pcap_captured(len));
	le32(p + 12, (uint32_t)(len > UINT32_MAX ? UINT32_MAX : len));
}

size_t pcap_record_encode(void *buf, size_t size, const struct timespec *ts,
			  const void *frame, size_t len)
{
	size_t need = PCAP_RECORD_LEN + pcap_captured(len);
	uint8_t *p = buf;

	if (size < need)
		return need;
	pcap_record_header(p, ts, len);
	memcpy(p + PCAP_RECORD_LEN, frame, pcap_captured(len));
	return need;
}

/* Takes f (closed on failure) and writes the header. */
static int pcap_start(struct pcap **p, FILE *f, const char *name, char **error)
{
	uint8_t hdr[PCAP_HEADER_LEN];
	struct pcap *pc = calloc(1, sizeof(*pc));

	if (!pc || !(pc->path = strdup(name))) {
		free(pc);
		fclose(f);
		return error_set(error, "%s: out of memory", name);
	}
	pc->f = f;
	pcap_header_encode(hdr, sizeof(hdr));
	if (fwrite(hdr, sizeof(hdr), 1, pc->f) != 1) {
		error_set(error, "%s: %s", name, strerror(errno));
		fclose(pc->f);
		free(pc->path);
		free(pc);
		return STATUS_ERROR;
	}
	*p = pc;
	return STATUS_OK;
}

int pcap_open(struct pcap **p, const char *path, char **error)
{
	FILE *f;

	*p = NULL;
	f = fopen(path, "wb");
	if (!f)
		return error_set(error, "%s: %s", path, strerror(errno));
	return pcap_start(p, f, path, error);
}

int pcap_open_fd(struct pcap **p, int fd, const char *name, char **error)
{
	int dup_fd;
	FILE *f;

	*p = NULL;
	dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (dup_fd < 0)
		return error_set(error, "%s: %s", name, strerror(errno));
	f = fdopen(dup_fd, "wb");
	if (!f) {
		int err = errno;

		close(dup_fd);
		return error_set(error, "%s: %s", name, strerror(err));
	}
	return pcap_start(p, f, name, error);
}

int pcap_write(struct pcap *p, const struct timespec *ts, const void *frame,
	       size_t len, char **error)
{
	uint8_t hdr[PCAP_RECORD_LEN];

	pcap_record_header(hdr, ts, len);
	/* Flushed per frame so a harness that dies still leaves a capture
	 * that shows what happened up to that point. */
	if (fwrite(hdr, sizeof(hdr), 1, p->f) != 1 ||
	    (len && fwrite(frame, pcap_captured(len), 1, p->f) != 1) ||
	    fflush(p->f))
		return error_set(error, "%s: %s", p->path, strerror(errno));
	return STATUS_OK;
}

int pcap_close(struct pcap *p, char **error)
{
	int ret = STATUS_OK;

	if (!p)
		return STATUS_OK;
	if (fclose(p->f))
		ret = error_set(error, "%s: %s", p->path, strerror(errno));
	free(p->path);
	free(p);
	return ret;
}
