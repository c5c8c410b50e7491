/*
 * ladder.c - see ladder.h.
 *
 * Side by side, kernels are aligned on what the harness did: each
 * injection and call (a script line, by number and occurrence) is at the
 * same "virtual" time in every ladder, the largest gap any kernel took
 * before it; what the kernel sent stays at its real delay after the
 * harness's step before it, so one kernel's ACK 40 ms after a segment sits
 * 80 px below another's sent at once.  Alone, virtual time is real time.
 *
 * The vertical axis is a list of knots (virtual time, y), one per step of
 * every record drawn together and one per band edge.  Walking them in time
 * order, each gap gets PX_PER_MS pixels a millisecond up to BREAK_MS, and
 * a fixed, marked break beyond; a step also keeps ROW pixels below its own
 * record's previous step, so labels never overlap while steps of other
 * records at the same time stay level with it.  Any time, a band's edge
 * too, maps to a height by interpolating between the knots around it.
 */
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "ladder.h"
#include "markup.h"

#define PX_PER_MS	2.0
#define BREAK_MS	50.0	/* a longer gap is drawn broken */
#define EDGE_MS		8.0	/* kept to scale on each side of a break */
#define BREAK_PX	20.0	/* the break itself */
#define ROW		20.0	/* at least this between two steps of one ladder */
#define TOP		48.0	/* title and the time lines' names */
#define WIDTH		440
#define X_TIME		40	/* right edge of the time labels */
#define X_KERNEL	150
#define X_HARNESS	420
#define BAND_W		28	/* the accepted window, a strip where outbound arrows arrive */
#define LABEL_CHARS	42	/* fit between the lines at about 6 px a character */
#define NOTE_CHARS	70	/* the message's lines */

struct knot {
	double t, y;
	int owner;		/* record index; -1 for a band edge */
	size_t step;
};

struct ladder_scale {
	const struct record *const *recs;
	size_t nrecs;
	struct knot *k;
	size_t n;
	double **ys;		/* per record, per step: its height */
	double **shift;		/* per record, per step: virtual minus real time around it */
	double bottom;
};

/* The harness links no libm. */
static double dmin(double a, double b)
{
	return a < b ? a : b;
}

static double dmax(double a, double b)
{
	return a > b ? a : b;
}

/* When a step is drawn: its stamp, or the end of its window when it never came. */
static double step_time(const struct step *s)
{
	return isnan(s->at_ms) ? s->until_ms : s->at_ms;
}

/* The harness's steps: the script times them, the kernel answers them. */
static bool harness_step(const struct step *s)
{
	return s->line > 0 && (s->kind == STEP_IN || s->kind == STEP_CALL) && !isnan(s->at_ms);
}

/* How often line's harness steps came before step i of r. */
static size_t occurrence(const struct record *r, size_t i)
{
	size_t n = 0;

	for (size_t j = 0; j < i; j++)
		n += r->steps[j].line == r->steps[i].line && harness_step(&r->steps[j]);
	return n;
}

/*
 * Virtual time for a harness step (line, occ): after the one before it in
 * script order, by the longest real gap any record took to reach it.
 * Returns the virtual time of every record's harness step into shift.
 */
static void align(struct ladder_scale *sc)
{
	double v = 0;
	int line = 0;
	size_t occ = 0;

	for (;;) {
		int next = INT_MAX;
		size_t nocc = 0;
		double gap = 0;

		/* the next (line, occurrence) of any record, in script order */
		for (size_t r = 0; r < sc->nrecs; r++)
			for (size_t i = 0; sc->shift[r] && i < sc->recs[r]->nsteps; i++) {
				const struct step *s = &sc->recs[r]->steps[i];
				size_t o;

				if (!harness_step(s) || s->line < line)
					continue;
				o = occurrence(sc->recs[r], i);
				if ((s->line > line || o >= occ) && (s->line < next ||
				    (s->line == next && o < nocc))) {
					next = s->line;
					nocc = o;
				}
			}
		if (next == INT_MAX)
			return;
		for (int pass = 0; pass < 2; pass++)
			for (size_t r = 0; r < sc->nrecs; r++) {
				const struct record *rec = sc->recs[r];
				double prev = 0, prev_v = 0;

				for (size_t i = 0; sc->shift[r] && i < rec->nsteps; i++) {
					const struct step *s = &rec->steps[i];

					if (!harness_step(s))
						continue;
					if (s->line == next && occurrence(rec, i) == nocc) {
						if (pass == 0)
							gap = dmax(gap, s->at_ms - prev - (v - prev_v));
						else
							sc->shift[r][i] = v + gap - s->at_ms;
						break;
					}
					prev = s->at_ms;
					prev_v = s->at_ms + sc->shift[r][i];
				}
			}
		v += gap;
		line = next;
		occ = nocc + 1;
	}
}

/* Each kernel step shifted as the harness step before it. */
static void spread(struct ladder_scale *sc)
{
	for (size_t r = 0; r < sc->nrecs; r++) {
		double shift = 0;

		for (size_t i = 0; sc->shift[r] && i < sc->recs[r]->nsteps; i++) {
			if (harness_step(&sc->recs[r]->steps[i]))
				shift = sc->shift[r][i];
			else
				sc->shift[r][i] = shift;
		}
	}
}

static int knot_cmp(const void *a, const void *b)
{
	const struct knot *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->owner != y->owner)
		return x->owner < y->owner ? -1 : 1;
	return x->step < y->step ? -1 : x->step > y->step;
}

static int knot_add(struct ladder_scale *sc, size_t *cap, double t, int owner, size_t step)
{
	struct knot *k;

	if (!isfinite(t))
		return 0;
	k = array_room(sc->k, sc->n, cap, sizeof(*k), 64);
	if (!k)
		return -1;
	sc->k = k;
	sc->k[sc->n++] = (struct knot){ t, 0, owner, step };
	return 0;
}

static double gap_px(double ms)
{
	return ms <= BREAK_MS ? ms * PX_PER_MS : 2 * EDGE_MS * PX_PER_MS + BREAK_PX;
}

/* Heights for the sorted knots, and each step's. */
static void place(struct ladder_scale *sc)
{
	double *last = calloc(sc->nrecs ? sc->nrecs : 1, sizeof(*last));
	double y = TOP + ROW;

	for (size_t i = 0; i < sc->n; i++) {
		struct knot *k = &sc->k[i];

		if (i)
			y += gap_px(k->t - sc->k[i - 1].t);
		if (k->owner >= 0 && last) {
			if (last[k->owner] && y < last[k->owner] + ROW)
				y = last[k->owner] + ROW;
			last[k->owner] = y;
			sc->ys[k->owner][k->step] = y;
		}
		k->y = y;
	}
	sc->bottom = y + ROW;
	free(last);
}

struct ladder_scale *ladder_scale_new(const struct record *const *recs, size_t n)
{
	struct ladder_scale *sc = calloc(1, sizeof(*sc));
	size_t cap = 0;

	if (!sc || !(sc->ys = calloc(n ? n : 1, sizeof(*sc->ys))) ||
	    !(sc->shift = calloc(n ? n : 1, sizeof(*sc->shift))))
		goto fail;
	sc->recs = recs;
	sc->nrecs = n;
	for (size_t r = 0; r < n; r++) {
		if (!recs[r] || !recs[r]->nsteps)
			continue;
		if (!(sc->ys[r] = calloc(recs[r]->nsteps, sizeof(double))) ||
		    !(sc->shift[r] = calloc(recs[r]->nsteps, sizeof(double))))
			goto fail;
	}
	align(sc);
	spread(sc);
	for (size_t r = 0; r < n; r++)
		for (size_t i = 0; sc->shift[r] && i < recs[r]->nsteps; i++) {
			const struct step *s = &recs[r]->steps[i];
			double d = sc->shift[r][i];

			if (knot_add(sc, &cap, step_time(s) + d, (int)r, i) < 0 ||
			    knot_add(sc, &cap, s->from_ms + d, -1, 0) < 0 ||
			    knot_add(sc, &cap, s->until_ms + d, -1, 0) < 0 ||
			    knot_add(sc, &cap, s->end_ms + d, -1, 0) < 0)
				goto fail;
		}
	if (sc->n)
		qsort(sc->k, sc->n, sizeof(*sc->k), knot_cmp);
	place(sc);
	return sc;
fail:
	ladder_scale_free(sc);
	return NULL;
}

void ladder_scale_free(struct ladder_scale *sc)
{
	if (!sc)
		return;
	for (size_t r = 0; sc->ys && r < sc->nrecs; r++)
		free(sc->ys[r]);
	for (size_t r = 0; sc->shift && r < sc->nrecs; r++)
		free(sc->shift[r]);
	free(sc->ys);
	free(sc->shift);
	free(sc->k);
	free(sc);
}

/* The height of time t (ms) on the scale. */
static double y_of(const struct ladder_scale *sc, double t)
{
	size_t lo = 0, hi = sc->n;
	const struct knot *a, *b;
	double gap;

	if (!sc->n)
		return TOP + ROW;
	if (t <= sc->k[0].t)
		return sc->k[0].y - dmin(sc->k[0].t - t, EDGE_MS) * PX_PER_MS;
	if (t >= sc->k[sc->n - 1].t)
		return sc->k[sc->n - 1].y + dmin(t - sc->k[sc->n - 1].t, EDGE_MS) * PX_PER_MS;
	while (hi - lo > 1) {		/* k[lo].t <= t < k[hi].t */
		size_t mid = (lo + hi) / 2;

		if (sc->k[mid].t <= t)
			lo = mid;
		else
			hi = mid;
	}
	a = &sc->k[lo];
	b = &sc->k[hi];
	gap = b->t - a->t;
	if (gap <= BREAK_MS)
		return a->y + (t - a->t) / gap * (b->y - a->y);
	if (t - a->t <= EDGE_MS)
		return a->y + (t - a->t) * PX_PER_MS;
	if (b->t - t <= EDGE_MS)
		return b->y - (b->t - t) * PX_PER_MS;
	return (a->y + b->y) / 2;
}

/* ---- drawing ---- */

static const char style[] =
	"svg.ladder{background:#fff}"
	".ladder text{font-family:monospace;font-size:10px;fill:#222}"
	".ladder text.title{font-family:sans-serif;font-size:12px;font-weight:bold}"
	".ladder text.side{font-family:sans-serif;font-size:11px;fill:#555}"
	".ladder text.time,.ladder text.gap{fill:#888}.ladder text.state{fill:#1a5e20}"
	".ladder line.life{stroke:#444;stroke-width:2}"
	".ladder line.brk{stroke:#888;stroke-width:1.5}"
	".ladder line.seg{stroke:#1f4e9a;stroke-width:1.5}.ladder polygon.seg{fill:#1f4e9a}"
	".ladder rect.band{fill:#cfe8cf;fill-opacity:.7}"
	".ladder line.expect{stroke:#2e7d32;stroke-dasharray:4 3}.ladder text.expect{fill:#2e7d32}"
	".ladder rect.call{fill:#444}.ladder rect.hl{fill:#fff3a0}"
	".ladder rect.frame{fill:none;stroke:#0b3d91;stroke-width:1;shape-rendering:crispEdges}"
	".ladder .bad line.seg{stroke:#d00000}.ladder .bad polygon.seg{fill:#d00000}"
	".ladder .bad text,.ladder text.bad{fill:#d00000;font-weight:bold}"
	".ladder .after line.seg{stroke:#777;stroke-dasharray:3 2}.ladder .after polygon.seg{fill:#777}"
	".ladder .after text{fill:#777;font-style:italic}"
	".ladder line.missing{stroke:#d00000;stroke-width:1.5;stroke-dasharray:6 4}";

const char *ladder_style(void)
{
	return style;
}

/* s, cut to max characters (at a UTF-8 boundary) with "..." when longer. */
static void put_cut(FILE *f, const char *s, size_t max)
{
	size_t n = strlen(s), cut = max;
	char *c;

	if (n <= max) {
		markup_text(f, s, MARKUP_XML_TEXT);
		return;
	}
	while (cut && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--;
	c = strndup(s, cut);
	markup_text(f, c ? c : "", MARKUP_XML_TEXT);
	fputs("...", f);
	free(c);
}

/* "<title>" for a step: its line, what it is and when, whole. */
static void put_title(FILE *f, const struct step *s)
{
	if (s->line > 0)
		fprintf(f, "<title>line %d: ", s->line);
	else
		fputs("<title>after the verdict, no line expected it: ", f);
	markup_text(f, s->text, MARKUP_XML_TEXT);
	if (s->kind == STEP_CALL) {
		fputs(" = ", f);
		markup_text(f, s->result, MARKUP_XML_TEXT);
	}
	if (!isnan(s->at_ms))
		fprintf(f, " at %.3f ms", s->at_ms);
	if (!isnan(s->from_ms))
		fprintf(f, "; expected %.3f ms, accepted %.3f to %.3f ms", s->expect_ms,
			s->from_ms, s->until_ms);
	fputs("</title>", f);
}

/* An arrow across the lines at height y, pointing at x2. */
static void put_arrow(FILE *f, double y, int x1, int x2)
{
	int d = x2 > x1 ? -8 : 8;

	fprintf(f, "<line class=\"seg\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
		"<polygon class=\"seg\" points=\"%d,%.1f %d,%.1f %d,%.1f\"/>", x1, y, x2 + d / 4, y,
		x2, y, x2 + d, y - 3.5, x2 + d, y + 3.5);
}

/* An outbound line's accepted window; named where the step missed it. */
static void put_band(FILE *f, const struct ladder_scale *sc, const struct step *s, double d)
{
	double y0 = y_of(sc, s->from_ms + d), y1 = y_of(sc, s->until_ms + d);
	double ye = y_of(sc, s->expect_ms + d);
	/* named where an arrow missed it; a dashed "nothing came" line names itself */
	bool missed = !isnan(s->at_ms) && (s->failed || s->at_ms < s->from_ms ||
					   s->at_ms > s->until_ms);

	fprintf(f, "<rect class=\"band\" x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\">"
		"<title>line %d: accepted from %.3f to %.3f ms</title></rect>"
		"<line class=\"expect\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n",
		X_HARNESS - BAND_W, y0, BAND_W, dmax(y1 - y0, 2), s->line, s->from_ms, s->until_ms,
		X_HARNESS - BAND_W - 4, ye, X_HARNESS, ye);
	if (missed)
		fprintf(f, "<text class=\"expect\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">"
			"expected %.1f ms</text>\n", X_HARNESS - BAND_W - 6, ye + 3, s->expect_ms);
}

static void put_step(FILE *f, const struct ladder_scale *sc, const struct step *s,
		     double d, double y, bool hl, const char *prev_state)
{
	int mid = (X_KERNEL + X_HARNESS) / 2;

	if (hl)
		fprintf(f, "<rect class=\"hl\" x=\"0\" y=\"%.1f\" width=\"%d\" height=\"%.1f\"/>",
			y - ROW + 4, WIDTH, ROW);
	fprintf(f, "<g class=\"step %s%s%s\">", step_kind_name(s->kind), s->failed ? " bad" : "",
		s->line > 0 ? "" : " after");
	put_title(f, s);
	if (!isnan(s->at_ms))
		fprintf(f, "<text class=\"time\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>",
			X_TIME, y + 3, s->at_ms);
	if (s->kind == STEP_CALL) {
		double y1 = isnan(s->end_ms) ? y : dmax(y_of(sc, s->end_ms + d), y);

		fprintf(f, "<rect class=\"call\" x=\"%d\" y=\"%.1f\" width=\"8\" height=\"%.1f\"/>"
			"<text x=\"%d\" y=\"%.1f\">", X_KERNEL - 4, y - 3, y1 - y + 6, X_KERNEL + 8, y + 4);
		put_cut(f, s->text, LABEL_CHARS - 3 - strlen(s->result));
		fputs(" = ", f);
		markup_text(f, s->result, MARKUP_XML_TEXT);
		fputs("</text>", f);
	} else if (s->kind == STEP_OUT && isnan(s->at_ms)) {
		fprintf(f, "<line class=\"missing\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
			"<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\">", X_KERNEL, y, X_HARNESS,
			y, mid, y - 4);
		put_cut(f, s->text, LABEL_CHARS - 14);
		fputs(": nothing came</text>", f);
	} else {
		if (s->kind == STEP_OUT)
			put_arrow(f, y, X_KERNEL, X_HARNESS);
		else
			put_arrow(f, y, X_HARNESS, X_KERNEL);
		fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\">", mid, y - 4);
		put_cut(f, s->text, LABEL_CHARS);
		fputs("</text>", f);
	}
	if (*record_str(s->state) && strcmp(s->state, prev_state)) {
		fprintf(f, "<text class=\"state\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", X_KERNEL - 8,
			y + 4);
		markup_text(f, s->state, MARKUP_XML_TEXT);
		fputs("</text>", f);
	}
	fputs("</g>\n", f);
}

/* The time lines, cut where the scale breaks, with the gap written in. */
static void put_lives(FILE *f, const struct ladder_scale *sc, double bottom)
{
	static const int xs[] = { X_KERNEL, X_HARNESS };
	double from = TOP;

	for (size_t i = 0; i + 1 <= sc->n; i++) {
		const struct knot *a = &sc->k[i], *b = i + 1 < sc->n ? &sc->k[i + 1] : NULL;
		double y0, y1;

		if (!b || b->t - a->t <= BREAK_MS)
			continue;
		y0 = a->y + EDGE_MS * PX_PER_MS;
		y1 = b->y - EDGE_MS * PX_PER_MS;
		for (int j = 0; j < 2; j++)
			fprintf(f, "<line class=\"life\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
				"<line class=\"brk\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
				"<line class=\"brk\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>",
				xs[j], from, xs[j], y0, xs[j] - 6, y0 + 2, xs[j] + 6, y0 - 2,
				xs[j] - 6, y1 + 2, xs[j] + 6, y1 - 2);
		fprintf(f, "<text class=\"gap\" x=\"%d\" y=\"%.1f\" text-anchor=\"middle\">"
			"%.1f ms</text>\n", (X_KERNEL + X_HARNESS) / 2, (y0 + y1) / 2 + 3, b->t - a->t);
		from = y1;
	}
	for (int j = 0; j < 2; j++)
		fprintf(f, "<line class=\"life\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>",
			xs[j], from, xs[j], bottom);
	fputc('\n', f);
}

/* The message under the ladder, in lines of about NOTE_CHARS; returns how many. */
static int put_note(FILE *f, const char *msg, double y, bool write)
{
	size_t len = strlen(msg);
	int lines = 0;

	for (size_t at = 0; at < len; lines++) {
		size_t n = len - at > NOTE_CHARS ? NOTE_CHARS : len - at;
		char *part;

		if (at + n < len)		/* break at a space when there is one */
			for (size_t k = n; k > NOTE_CHARS / 2; k--)
				if (msg[at + k] == ' ') {
					n = k + 1;
					break;
				}
		while (at + n < len && ((unsigned char)msg[at + n] & 0xc0) == 0x80)
			n++;
		if (write && (part = strndup(msg + at, n))) {
			fprintf(f, "<text class=\"bad\" x=\"4\" y=\"%.1f\">", y + lines * 13);
			markup_text(f, part, MARKUP_XML_TEXT);
			fputs("</text>\n", f);
			free(part);
		}
		at += n;
	}
	return lines;
}

/* Of r's steps, whose ys the scale holds: r's index among the scale's records. */
static size_t scale_index(const struct ladder_scale *sc, const struct record *r)
{
	for (size_t i = 0; i < sc->nrecs; i++)
		if (sc->recs[i] == r)
			return i;
	return sc->nrecs;
}

static void put_head(FILE *f, const struct record *r, double height, unsigned flags)
{
	if (flags & LADDER_STANDALONE)
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ladder\" width=\"%d\" "
		"height=\"%.0f\" viewBox=\"0 0 %d %.0f\" role=\"img\">\n", WIDTH, height, WIDTH, height);
	if (flags & LADDER_STANDALONE)
		fprintf(f, "<style>%s</style>\n", style);
	fprintf(f, "<rect class=\"frame\" x=\"0.5\" y=\"0.5\" width=\"%d\" height=\"%.0f\"/>\n"
		"<text class=\"title\" x=\"6\" y=\"16\">", WIDTH - 1, height - 1);
	put_cut(f, record_str(r->name), 40);
	fprintf(f, " [%s] %s: %s</text>\n", record_str(r->ip), record_str(r->kernel),
		verdict_name(r->verdict));
	fprintf(f, "<text class=\"side\" x=\"%d\" y=\"%.0f\" text-anchor=\"middle\">kernel</text>"
		"<text class=\"side\" x=\"%d\" y=\"%.0f\" text-anchor=\"middle\">harness</text>"
		"<text class=\"side\" x=\"%d\" y=\"%.0f\" text-anchor=\"end\">ms</text>\n",
		X_KERNEL, TOP - 10, X_HARNESS - 10, TOP - 10, X_TIME, TOP - 10);
}

static void put_ladder(FILE *f, const struct record *r, const struct ladder_scale *sc,
		       const bool *highlight, unsigned flags)
{
	size_t idx = scale_index(sc, r);
	const char *msg = r->verdict == VERDICT_PASS ? "" : record_str(r->message);
	double bottom = sc->bottom, height = bottom + 8 + 13 * put_note(f, msg, 0, false);
	const char *prev = "";

	put_head(f, r, height, flags);
	put_lives(f, sc, bottom);
	for (size_t i = 0; idx < sc->nrecs && i < r->nsteps; i++)
		if (r->steps[i].kind == STEP_OUT && !isnan(r->steps[i].from_ms))
			put_band(f, sc, &r->steps[i], sc->shift[idx][i]);
	for (size_t i = 0; idx < sc->nrecs && i < r->nsteps; i++) {
		put_step(f, sc, &r->steps[i], sc->shift[idx][i], sc->ys[idx][i],
			 highlight && highlight[i], prev);
		prev = record_str(r->steps[i].state);
	}
	if (!r->have_steps)
		fprintf(f, "<text x=\"6\" y=\"%.0f\">no ladder recorded (results from an older "
			"tcpconf)</text>\n", TOP + 12);
	put_note(f, msg, bottom + 12, true);
	fputs("</svg>\n", f);
}

int ladder_write(FILE *f, const struct record *r, const struct ladder_scale *sc,
		 const bool *highlight, unsigned flags)
{
	struct ladder_scale *own = NULL;

	if (!sc || scale_index(sc, r) == sc->nrecs) {
		own = ladder_scale_new(&r, 1);
		if (!own)
			return -1;
		sc = own;
	}
	put_ladder(f, r, sc, highlight, flags);
	ladder_scale_free(own);
	return 0;
}

char *ladder_document(const struct record *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	if (!f)
		return NULL;
	rc = ladder_write(f, r, NULL, NULL, LADDER_STANDALONE);
	if ((ferror(f) | fclose(f)) || rc < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
