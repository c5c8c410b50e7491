/*
 * check_compare_html.c - the compare page as a browser shows it: headless
 * chromium renders it and the screenshot must hold the ladders of the
 * differing case, side by side, and nothing of the folded ones.
 *
 * The screenshot is a PNG; its pixels are read with zlib's uncompress()
 * from libz.so.1, loaded at run time (chromium needs it anyway), so the
 * tests link nothing new.  Without chromium or zlib the test says why and
 * skips.
 */
#include <check.h>
#include <dlfcn.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compare.h"
#include "report.h"
#include "scratch.h"
#include "skip.h"
#include "suites.h"

#define NKERNELS	3
#define FRAME_RGB	0x0b3d91	/* ladder.c's frame: one top-left corner a diagram */

static void step(struct record *r, int line, enum step_kind kind, const char *text, double at)
{
	struct step s = { .line = line, .kind = kind, .text = (char *)text, .result = "0",
			  .at_ms = at, .end_ms = NAN, .expect_ms = NAN, .from_ms = NAN,
			  .until_ms = NAN, .state = "ESTABLISHED" };

	if (kind == STEP_OUT) {
		s.expect_ms = 141;
		s.from_ms = 137;
		s.until_ms = 155;
	}
	ck_assert_ptr_nonnull(record_add_step(r, &s));
}

/* A kernel's results: delack acks at ack_ms (a fail when early); four more cases agree. */
static void write_kernel(const char *dir, const char *kernel, double ack_ms)
{
	static const char *const agree[] = { "close/a", "close/b", "shutdown/c", "timewait/d" };
	struct record r[9];
	char *path, *error = NULL;
	size_t n = 0;

	for (size_t i = 0; i < 4; i++)
		for (int v = 0; v < 2; v++) {
			struct record *x = &r[n++];

			memset(x, 0, sizeof(*x));
			x->name = strdup(agree[i]);
			x->ip = strdup(v ? "ipv6" : "ipv4");
			x->kernel = strdup(kernel);
			x->message = strdup("");
			step(x, 10, STEP_IN, "S 0:0(0) win 65535 <mss 1460>", 1);
			step(x, 11, STEP_OUT, "S. 0:0(0) ack 1 <mss 1460>", 1.1);
		}
	memset(&r[n], 0, sizeof(r[n]));
	r[n].name = strdup("delack/delack-no-data");
	r[n].ip = strdup("ipv4");
	r[n].kernel = strdup(kernel);
	r[n].verdict = ack_ms < 137 ? VERDICT_FAIL : VERDICT_PASS;
	r[n].message = strdup(ack_ms < 137 ? "x.pkt:12: timing: too early" : "");
	step(&r[n], 11, STEP_IN, "P. 1:11(10) ack 1 win 65535", 101);
	step(&r[n], 12, STEP_OUT, ". 1:1(0) ack 11", ack_ms);
	r[n++].steps[1].failed = ack_ms < 137;
	ck_assert_int_ge(asprintf(&path, "%s/results.jsonl", dir), 0);
	ck_assert_msg(report_write_jsonl(path, r, n, &error) == 0, "%s", error);
	free(path);
	for (size_t i = 0; i < n; i++)
		record_clear(&r[i]);
}

static const char *chromium(void)
{
	static const char *const names[] = { "/usr/bin/chromium", "/usr/bin/chromium-browser" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (access(names[i], X_OK) == 0)
			return names[i];
	return NULL;
}

/* Run chromium headless on html, screenshot into png; its exit status. */
static int screenshot(const char *browser, const char *html, const char *png, const char *home)
{
	char url[4300], shot[4300];
	pid_t pid;
	int status;

	snprintf(url, sizeof(url), "file://%s", html);
	snprintf(shot, sizeof(shot), "--screenshot=%s", png);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* its profile and crash dumps in the scratch directory, its chatter nowhere */
		setenv("HOME", home, 1);
		if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(126);
		execl(browser, browser, "--headless", "--no-sandbox", "--disable-gpu",
		      "--hide-scrollbars", "--force-device-scale-factor=1", "--window-size=1400,2400",
		      shot, url, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

struct image {
	uint32_t w, h;
	uint8_t *rgb;		/* w * h * 3 */
};

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static int paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);

	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Undo PNG's per-row filters in place (bpp bytes a pixel, stride bytes a row). */
static void unfilter(uint8_t *raw, uint32_t h, size_t stride, int bpp)
{
	for (uint32_t y = 0; y < h; y++) {
		uint8_t *row = raw + y * (stride + 1), *cur = row + 1;
		uint8_t *up = y ? raw + (y - 1) * (stride + 1) + 1 : NULL;

		for (size_t x = 0; x < stride; x++) {
			int a = x >= (size_t)bpp ? cur[x - bpp] : 0, b = up ? up[x] : 0;
			int c = up && x >= (size_t)bpp ? up[x - bpp] : 0;

			switch (row[0]) {
			case 1: cur[x] += a; break;
			case 2: cur[x] += b; break;
			case 3: cur[x] += (a + b) / 2; break;
			case 4: cur[x] += paeth(a, b, c); break;
			}
		}
	}
}

/* An 8-bit RGB or RGBA PNG into img; NULL, or why not. */
static const char *png_read(const char *path, struct image *img)
{
	int (*uncompress)(uint8_t *, unsigned long *, const uint8_t *, unsigned long);
	void *z = dlopen("libz.so.1", RTLD_NOW);
	FILE *f = fopen(path, "rb");
	uint8_t *buf, *idat = NULL, *raw;
	size_t len = 0, nidat = 0, pos = 8;
	unsigned long rawlen;
	int bpp = 0;

	if (!z || !(uncompress = (int (*)(uint8_t *, unsigned long *, const uint8_t *,
					   unsigned long))dlsym(z, "uncompress")))
		return "no libz.so.1 to read the screenshot";
	ck_assert_ptr_nonnull(f);
	buf = malloc(64 << 20);
	len = fread(buf, 1, 64 << 20, f);
	fclose(f);
	ck_assert_msg(len > 8 && !memcmp(buf, "\x89PNG\r\n\x1a\n", 8), "not a PNG");
	while (pos + 12 <= len) {
		uint32_t n = be32(buf + pos);

		if (!memcmp(buf + pos + 4, "IHDR", 4)) {
			img->w = be32(buf + pos + 8);
			img->h = be32(buf + pos + 12);
			ck_assert_int_eq(buf[pos + 16], 8);
			bpp = buf[pos + 17] == 6 ? 4 : 3;
			ck_assert_msg(buf[pos + 17] == 2 || buf[pos + 17] == 6, "colour type %d", buf[pos + 17]);
		} else if (!memcmp(buf + pos + 4, "IDAT", 4)) {
			idat = realloc(idat, nidat + n);
			memcpy(idat + nidat, buf + pos + 8, n);
			nidat += n;
		}
		pos += 12 + n;
	}
	rawlen = (unsigned long)img->h * (img->w * bpp + 1);
	raw = malloc(rawlen);
	ck_assert_int_eq(uncompress(raw, &rawlen, idat, nidat), 0);
	unfilter(raw, img->h, (size_t)img->w * bpp, bpp);
	img->rgb = malloc((size_t)img->w * img->h * 3);
	for (uint32_t y = 0; y < img->h; y++)
		for (uint32_t x = 0; x < img->w; x++)
			memcpy(img->rgb + ((size_t)y * img->w + x) * 3,
			       raw + y * ((size_t)img->w * bpp + 1) + 1 + (size_t)x * bpp, 3);
	free(raw);
	free(idat);
	free(buf);
	dlclose(z);
	return NULL;
}

static uint32_t pixel(const struct image *img, uint32_t x, uint32_t y)
{
	const uint8_t *p = img->rgb + ((size_t)y * img->w + x) * 3;

	return (uint32_t)p[0] << 16 | p[1] << 8 | p[2];
}

/* Diagrams on screen: the top-left corners of their frames. */
static size_t count_frames(const struct image *img)
{
	size_t n = 0;

	for (uint32_t y = 1; y + 1 < img->h; y++)
		for (uint32_t x = 1; x + 1 < img->w; x++)
			n += pixel(img, x, y) == FRAME_RGB && pixel(img, x - 1, y) != FRAME_RGB &&
			     pixel(img, x, y - 1) != FRAME_RGB && pixel(img, x + 1, y) == FRAME_RGB &&
			     pixel(img, x, y + 1) == FRAME_RGB;
	return n;
}

START_TEST(browser_shows_the_differing_case_s_ladders_and_folds_the_rest)
{
	static const double ack[NKERNELS] = { 141.5, 101.3, 142.0 };
	const char *browser = chromium();
	char *base, dirs[NKERNELS][4200], html[4200], png[4200];
	char *argv[4 + NKERNELS + 1];
	struct image img = { 0 };
	size_t ink = 0;
	const char *why;

	if (SKIP_IF(browser ? NULL : "no chromium (Debian package chromium) to render the page"))
		return;
	base = scratch_new();
	argv[0] = "compare";
	argv[1] = "--format=html";
	argv[2] = "--output";
	snprintf(html, sizeof(html), "%s/report.html", base);
	argv[3] = html;
	for (int k = 0; k < NKERNELS; k++) {
		char kernel[16];

		snprintf(dirs[k], sizeof(dirs[k]), "%s/k%d", base, k);
		ck_assert_int_eq(mkdir(dirs[k], 0755), 0);
		snprintf(kernel, sizeof(kernel), "6.%d", k);
		write_kernel(dirs[k], kernel, ack[k]);
		argv[4 + k] = dirs[k];
	}
	argv[4 + NKERNELS] = NULL;
	ck_assert_int_eq(cmd_compare(4 + NKERNELS, argv), 1);
	snprintf(png, sizeof(png), "%s/shot.png", base);
	ck_assert_int_eq(screenshot(browser, html, png, base), 0);
	why = png_read(png, &img);
	if (!SKIP_IF(why)) {
		ck_assert_int_eq(img.w, 1400);
		for (size_t i = 0; i < (size_t)img.w * img.h; i++)
			ink += pixel(&img, i % img.w, i / img.w) != 0xffffff;
		/* not blank: text, bands and lines cover a few percent of the page */
		ck_assert_msg(ink > (size_t)img.w * img.h / 100, "%zu of %u pixels inked", ink,
			      img.w * img.h);
		/* the one differing case, one ladder per kernel; the eight folded ones none */
		ck_assert_uint_eq(count_frames(&img), NKERNELS);
		free(img.rgb);
	}
	scratch_remove(base);
	free(base);
}
END_TEST

TCase *compare_html_tcase(void)
{
	TCase *tc = tcase_create("browser");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, browser_shows_the_differing_case_s_ladders_and_folds_the_rest);
	return tc;
}
