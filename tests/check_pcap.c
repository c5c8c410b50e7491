/* check_pcap.c - the classic pcap file format, byte for byte, in memory and on disk. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "pcap.h"
#include "suites.h"

/* What any pcap reader expects first (all fields little-endian). */
static const uint8_t header_bytes[24] = {
	0x4d, 0x3c, 0xb2, 0xa1,		/* magic 0xa1b23c4d: nanosecond stamps */
	0x02, 0x00,			/* version major 2 */
	0x04, 0x00,			/* version minor 4 */
	0x00, 0x00, 0x00, 0x00,		/* thiszone 0 (UTC) */
	0x00, 0x00, 0x00, 0x00,		/* sigfigs 0 */
	0x00, 0x00, 0x04, 0x00,		/* snaplen 262144 */
	0x01, 0x00, 0x00, 0x00,		/* LINKTYPE_ETHERNET */
};

static const struct timespec ts1 = { .tv_sec = 1700000000, .tv_nsec = 123456789 };

static const uint8_t record1_bytes[16 + 3] = {
	0x00, 0xf1, 0x53, 0x65,		/* seconds 1700000000 */
	0x15, 0xcd, 0x5b, 0x07,		/* nanoseconds 123456789 */
	0x03, 0x00, 0x00, 0x00,		/* captured length 3 */
	0x03, 0x00, 0x00, 0x00,		/* original length 3 */
	0xaa, 0xbb, 0xcc,		/* the frame */
};

START_TEST(header_is_nanosecond_magic_v2_4_snaplen_262144_ethernet)
{
	uint8_t buf[64];

	memset(buf, 0x55, sizeof(buf));
	ck_assert_uint_eq(pcap_header_encode(buf, sizeof(buf)), 24);
	ck_assert_mem_eq(buf, header_bytes, 24);
	ck_assert_uint_eq(buf[24], 0x55);		/* nothing beyond */
}
END_TEST

START_TEST(header_encode_into_small_buffer_writes_nothing)
{
	uint8_t buf[23];

	memset(buf, 0x55, sizeof(buf));
	ck_assert_uint_eq(pcap_header_encode(buf, sizeof(buf)), 24);
	for (size_t i = 0; i < sizeof(buf); i++)
		ck_assert_uint_eq(buf[i], 0x55);
	ck_assert_uint_eq(pcap_header_encode(NULL, 0), 24);
}
END_TEST

START_TEST(record_is_seconds_nanoseconds_lengths_then_frame)
{
	uint8_t buf[64];

	ck_assert_uint_eq(pcap_record_encode(buf, sizeof(buf), &ts1,
					     "\xaa\xbb\xcc", 3), 19);
	ck_assert_mem_eq(buf, record1_bytes, 19);
	ck_assert_uint_eq(pcap_record_encode(buf, 18, &ts1, "\xaa\xbb\xcc", 3),
			  19);
}
END_TEST

START_TEST(record_longer_than_snaplen_is_cut_keeping_original_length)
{
	size_t len = 300000, need = 16 + 262144;
	uint8_t *frame = calloc(1, len), *buf = malloc(need);

	ck_assert_ptr_nonnull(frame);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(pcap_record_encode(buf, need, &ts1, frame, len), need);
	ck_assert_mem_eq(buf + 8, "\x00\x00\x04\x00", 4);	/* captured */
	ck_assert_mem_eq(buf + 12, "\xe0\x93\x04\x00", 4);	/* 300000 */
	free(frame);
	free(buf);
}
END_TEST

/* A fresh path in a private directory; the caller removes both. */
static char *temp_path(char *dir)
{
	char *path;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_ge(asprintf(&path, "%s/cap.pcap", dir), 0);
	return path;
}

static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = malloc(1 << 16);

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(data);
	*len = fread(data, 1, 1 << 16, f);
	fclose(f);
	return data;
}

START_TEST(file_holds_header_and_records_as_encoded)
{
	char dir[] = "/tmp/check_pcap.XXXXXX";
	char *path = temp_path(dir), *err = NULL;
	struct timespec ts2 = { .tv_sec = 1700000001, .tv_nsec = 5 };
	uint8_t want[24 + 19 + 16 + 60], *got;
	struct pcap *p = NULL;
	uint8_t frame2[60];
	size_t len, off = 0;

	memset(frame2, 0x42, sizeof(frame2));
	ck_assert_int_eq(pcap_open(&p, path, &err), STATUS_OK);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(pcap_write(p, &ts1, "\xaa\xbb\xcc", 3, &err), STATUS_OK);
	/* flushed at once: the file is complete before close */
	got = read_all(path, &len);
	ck_assert_uint_eq(len, 24 + 19);
	free(got);
	ck_assert_int_eq(pcap_write(p, &ts2, frame2, sizeof(frame2), &err),
			 STATUS_OK);
	ck_assert_int_eq(pcap_close(p, &err), STATUS_OK);
	ck_assert_ptr_null(err);

	off += pcap_header_encode(want, sizeof(want));
	off += pcap_record_encode(want + off, sizeof(want) - off, &ts1,
				  "\xaa\xbb\xcc", 3);
	off += pcap_record_encode(want + off, sizeof(want) - off, &ts2,
				  frame2, sizeof(frame2));
	ck_assert_uint_eq(off, sizeof(want));
	got = read_all(path, &len);
	ck_assert_uint_eq(len, sizeof(want));
	ck_assert_mem_eq(got, want, len);
	ck_assert_mem_eq(got, header_bytes, 24);
	ck_assert_mem_eq(got + 24, record1_bytes, 19);
	free(got);
	unlink(path);
	rmdir(dir);
	free(path);
}
END_TEST

START_TEST(open_truncates_an_existing_file)
{
	char dir[] = "/tmp/check_pcap.XXXXXX";
	char *path = temp_path(dir);
	struct pcap *p;
	FILE *f = fopen(path, "w");
	uint8_t *got;
	size_t len;

	ck_assert_ptr_nonnull(f);
	fputs("old contents that are longer than a pcap header", f);
	fclose(f);
	ck_assert_int_eq(pcap_open(&p, path, NULL), STATUS_OK);
	ck_assert_int_eq(pcap_close(p, NULL), STATUS_OK);
	got = read_all(path, &len);
	ck_assert_uint_eq(len, 24);
	ck_assert_mem_eq(got, header_bytes, 24);
	free(got);
	unlink(path);
	rmdir(dir);
	free(path);
}
END_TEST

START_TEST(open_in_missing_directory_fails_naming_the_path)
{
	struct pcap *p = (struct pcap *)1;
	char *err = NULL;

	ck_assert_int_eq(pcap_open(&p, "/nonexistent-dir/x.pcap", &err),
			 STATUS_ERROR);
	ck_assert_ptr_null(p);
	ck_assert_ptr_nonnull(err);
	ck_assert_str_eq(err, "/nonexistent-dir/x.pcap: No such file or directory");
	free(err);
}
END_TEST

START_TEST(write_error_is_reported_with_the_path)
{
	struct pcap *p;
	char *err = NULL;
	uint8_t frame[4096] = { 0 };
	int ret = STATUS_OK;

	/* /dev/full accepts the open and fails every flush with ENOSPC. */
	if (access("/dev/full", W_OK)) {
		fprintf(stderr, "SKIP: no writable /dev/full\n");
		return;
	}
	if (pcap_open(&p, "/dev/full", &err) == STATUS_OK) {
		ret = pcap_write(p, &ts1, frame, sizeof(frame), &err);
		pcap_close(p, NULL);
	}
	ck_assert_int_eq(ret, STATUS_ERROR);
	ck_assert_str_eq(err, "/dev/full: No space left on device");
	free(err);
}
END_TEST

START_TEST(close_of_null_is_fine)
{
	ck_assert_int_eq(pcap_close(NULL, NULL), STATUS_OK);
}
END_TEST

Suite *pcap_suite(void)
{
	Suite *s = suite_create("pcap");
	TCase *tc = tcase_create("encode");

	tcase_add_test(tc, header_is_nanosecond_magic_v2_4_snaplen_262144_ethernet);
	tcase_add_test(tc, header_encode_into_small_buffer_writes_nothing);
	tcase_add_test(tc, record_is_seconds_nanoseconds_lengths_then_frame);
	tcase_add_test(tc, record_longer_than_snaplen_is_cut_keeping_original_length);
	suite_add_tcase(s, tc);

	tc = tcase_create("file");
	tcase_add_test(tc, file_holds_header_and_records_as_encoded);
	tcase_add_test(tc, open_truncates_an_existing_file);
	tcase_add_test(tc, open_in_missing_directory_fails_naming_the_path);
	tcase_add_test(tc, write_error_is_reported_with_the_path);
	tcase_add_test(tc, close_of_null_is_fine);
	suite_add_tcase(s, tc);
	return s;
}
