/* ladder.h - the ladder (sequence) diagram of one case run as a self-contained SVG: the exchange a record keeps, against what its script expected. */
#ifndef TCPCONF_LADDER_H
#define TCPCONF_LADDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "record.h"

/*
 * Two time lines, the kernel's and the harness's; each segment an arrow
 * in tcpdump notation at its kernel stamp; system calls as marks on the
 * kernel's line with their results; the kernel socket's state in the
 * margin; each outbound line's accepted window as a band; the step the
 * verdict names in red, with the message.  Time runs down, proportional
 * where steps are near (so a 40 ms delayed ACK shows as a gap) and broken,
 * with the gap written in, where nothing happens for long.
 */

/* The time axis several ladders share, so that side by side the same
 * time is at the same height.  Opaque; ladder_scale_free() frees it. */
struct ladder_scale;

/*
 * The scale for records recs[0..n-1] (NULL entries and records without
 * steps are allowed and ignored); NULL when out of memory.  recs must
 * outlive the scale only as long as ladder_write() uses them with it.
 */
struct ladder_scale *ladder_scale_new(const struct record *const *recs, size_t n);
void ladder_scale_free(struct ladder_scale *sc);

enum {
	LADDER_STANDALONE = 1,		/* an SVG file: XML prolog and its own style */
};

/*
 * Write r's ladder to f.  sc is a scale made with r among its records, or
 * NULL for one of r's own.  highlight, when not NULL, has r->nsteps
 * entries: the steps to mark as differing from other kernels.  Without
 * LADDER_STANDALONE the SVG is for inline use in a page that carries
 * ladder_style().  0, or -1 when out of memory.
 */
int ladder_write(FILE *f, const struct record *r, const struct ladder_scale *sc,
		 const bool *highlight, unsigned flags);

/* The CSS the ladders' classes need, for a page holding inline ladders. */
const char *ladder_style(void);

/* r's ladder as a standalone SVG document on its own scale, malloc'd (the
 * caller frees it); NULL when out of memory. */
char *ladder_document(const struct record *r);

#endif
