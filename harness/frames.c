/* frames.c - see frames.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "error.h"
#include "frames.h"
#include "pcap.h"

struct frame {
	struct timespec ts;
	size_t len;
	uint8_t *data;
};

struct frames {
	struct frame *v;
	size_t n, cap;
};

struct frames *frames_new(void)
{
	return calloc(1, sizeof(struct frames));
}

void frames_free(struct frames *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i].data);
	free(f->v);
	free(f);
}

void frames_keep(struct frames *f, const struct timespec *ts, const void *data,
		 size_t len)
{
	struct frame *fr, *grown;

	if (!f)
		return;
	grown = array_room(f->v, f->n, &f->cap, sizeof(*grown), 64);
	if (!grown)
		return;
	f->v = grown;
	fr = &f->v[f->n];
	fr->data = malloc(len ? len : 1);
	if (!fr->data)
		return;
	memcpy(fr->data, data, len);
	fr->len = len;
	fr->ts = *ts;
	f->n++;
}

size_t frames_count(const struct frames *f)
{
	return f ? f->n : 0;
}

int frames_write_pcap(const struct frames *f, int fd, const char *name,
		      char **error)
{
	struct pcap *pc;
	int rc = STATUS_OK;

	if (pcap_open_fd(&pc, fd, name, error) < 0)
		return STATUS_ERROR;
	for (size_t i = 0; f && i < f->n && rc == STATUS_OK; i++)
		rc = pcap_write(pc, &f->v[i].ts, f->v[i].data, f->v[i].len, error);
	if (pcap_close(pc, rc == STATUS_OK ? error : NULL) < 0)
		rc = STATUS_ERROR;
	return rc;
}
