/* check_json.c - the records' JSON: exact round trip of every byte and number, strict parsing with a message naming the byte, no crash on any cut or corruption. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "json.h"
#include "records.h"
#include "suites.h"

START_TEST(json_round_trips_every_byte_and_number)
{
	struct record in, out = { 0 };
	char *line, *again, *error = NULL;

	tricky_record(&in);
	line = json_record_line(&in);
	ck_assert_ptr_nonnull(line);
	for (const unsigned char *p = (const unsigned char *)line; *p; p++)
		ck_assert_msg(*p >= 0x20 && *p != 0x7f, "raw control byte 0x%02x in the line", *p);
	ck_assert_msg(json_record_parse(line, &out, &error) == 0, "%s", error);
	assert_same_record(&in, &out);
	again = json_record_line(&out);
	ck_assert_str_eq(line, again);
	free(line);
	free(again);
	record_clear(&in);
	record_clear(&out);
}
END_TEST

START_TEST(json_keys_in_the_documented_order_and_numbers_short)
{
	struct record r;
	char *line;

	record_set(&r, "close/close-merge-immediate", "cases/close/close-merge-immediate.pkt",
		   "ipv4", VERDICT_PASS, "", 12.5, "6.18.0");
	record_add_timing(&r, 12, ". 1:1(0) ack 2", 40, 40.1);
	line = json_record_line(&r);
	ck_assert_str_eq(line,
		"{\"case\":\"close/close-merge-immediate\",\"path\":\"cases/close/close-merge-immediate.pkt\","
		"\"ip\":\"ipv4\",\"verdict\":\"pass\",\"message\":\"\",\"duration_ms\":12.5,"
		"\"kernel\":\"6.18.0\",\"timings\":[{\"line\":12,\"packet\":\". 1:1(0) ack 2\","
		"\"expected_ms\":40,\"actual_ms\":40.1}]}");
	free(line);
	record_clear(&r);
}
END_TEST

/* A results file from before the exchange was recorded still loads, says
 * so, and is written back as it was; one with an empty exchange differs. */
START_TEST(json_exchange_is_optional_and_told_apart_from_empty)
{
	static const char old[] = "{\"case\":\"a\",\"verdict\":\"pass\",\"timings\":[]}";
	static const char empty[] = "{\"case\":\"a\",\"verdict\":\"pass\",\"exchange\":[]}";
	struct record r = { 0 };
	char *error = NULL, *line;

	ck_assert_msg(json_record_parse(old, &r, &error) == 0, "%s", error);
	ck_assert_int_eq(r.have_steps, 0);
	line = json_record_line(&r);
	ck_assert_ptr_null(strstr(line, "exchange"));
	free(line);
	record_clear(&r);
	ck_assert_msg(json_record_parse(empty, &r, &error) == 0, "%s", error);
	ck_assert_int_eq(r.have_steps, 1);
	ck_assert_uint_eq(r.nsteps, 0);
	line = json_record_line(&r);
	ck_assert_ptr_nonnull(strstr(line, ",\"exchange\":[]}"));
	free(line);
	record_clear(&r);
}
END_TEST

START_TEST(json_step_keys_in_the_documented_order)
{
	struct record r = { .verdict = VERDICT_PASS };
	char *line;

	ck_assert_ptr_nonnull(record_add_step(&r, &(struct step){
		.line = 16, .kind = STEP_OUT, .text = ". 1:1(0) ack 2921", .at_ms = 140.5,
		.end_ms = NAN, .expect_ms = 105, .from_ms = 101, .until_ms = 109,
		.state = "ESTABLISHED" }));
	line = json_record_line(&r);
	ck_assert_ptr_nonnull(strstr(line, "\"exchange\":[{\"line\":16,\"kind\":\"out\","
		"\"text\":\". 1:1(0) ack 2921\",\"result\":\"\",\"at_ms\":140.5,\"end_ms\":null,"
		"\"expect_ms\":105,\"from_ms\":101,\"until_ms\":109,\"state\":\"ESTABLISHED\","
		"\"failed\":0}]}"));
	free(line);
	record_clear(&r);
}
END_TEST

START_TEST(json_null_strings_are_written_empty)
{
	struct record r = { .verdict = VERDICT_SKIP }, out = { 0 };
	char *line = json_record_line(&r), *error = NULL;

	ck_assert_ptr_nonnull(line);
	ck_assert_int_eq(json_record_parse(line, &out, &error), 0);
	ck_assert_str_eq(out.name, "");
	ck_assert_str_eq(out.message, "");
	ck_assert_int_eq(out.verdict, VERDICT_SKIP);
	free(line);
	record_clear(&out);
}
END_TEST

START_TEST(json_parse_accepts_escapes_spacing_order_and_unknown_keys)
{
	struct record r = { 0 };
	char *error = NULL;
	const char *line =
		" { \"verdict\" : \"skip\" ,\t\"message\":\"a\\/b \\u00e9 \\ud83d\\ude00 \\u001f\","
		"\"future\":{\"x\":[1,-2.5e3,true,false,null,{\"y\":\"]\"}]},"
		"\"duration_ms\":null,\"case\":\"x\",\"case\":\"y\","
		"\"timings\":[{\"actual_ms\":1E2,\"line\":3,\"extra\":[]}]}\r\n";

	ck_assert_msg(json_record_parse(line, &r, &error) == 0, "%s", error);
	ck_assert_int_eq(r.verdict, VERDICT_SKIP);
	ck_assert_str_eq(r.message, "a/b \xc3\xa9 \xf0\x9f\x98\x80 \x1f");
	ck_assert(isnan(r.duration_ms));
	ck_assert_str_eq(r.name, "y");			/* a repeated key: the last one */
	ck_assert_str_eq(r.path, "");			/* absent strings are empty */
	ck_assert_str_eq(r.kernel, "");
	ck_assert_uint_eq(r.ntimings, 1);
	ck_assert_int_eq(r.timings[0].line, 3);
	ck_assert_str_eq(r.timings[0].packet, "");
	ck_assert(isnan(r.timings[0].expected_ms));
	ck_assert(r.timings[0].actual_ms == 100.0);
	record_clear(&r);
}
END_TEST

static const struct {
	const char *line, *error;
} malformed[] = {
	{ "", "expected '{'" },
	{ "   ", "expected '{'" },
	{ "[]", "expected '{'" },
	{ "{\"verdict\":\"pass\"", "expected ',' or '}'" },
	{ "{\"verdict\":\"pass\",", "expected a string" },
	{ "{\"verdict\":\"pa", "unterminated string" },
	{ "{\"verdict\"", "expected ':'" },
	{ "{\"verdict\":", "expected a string" },
	{ "{\"verdict\":\"pass\",\"message\":\"a\\q\"}", "bad escape" },
	{ "{\"verdict\":\"pass\",\"message\":\"a\\", "unterminated escape" },
	{ "{\"verdict\":\"pass\",\"message\":\"\\u12\"}", "hex digit" },
	{ "{\"verdict\":\"pass\",\"message\":\"\\u12", "truncated \\u escape" },
	{ "{\"verdict\":\"pass\",\"message\":\"\\u0000\"}", "\\u0000" },
	{ "{\"verdict\":\"pass\",\"message\":\"\\ud800\"}", "low surrogate" },
	{ "{\"verdict\":\"pass\",\"message\":\"\\ud800\\u0041\"}", "low surrogate" },
	{ "{\"verdict\":\"pass\",\"message\":\"\\udc00\"}", "lone low surrogate" },
	{ "{\"verdict\":\"pass\",\"message\":\"a\nb\"}", "raw control character" },
	{ "{\"verdict\":3}", "\"verdict\": JSON: expected a string" },
	{ "{\"verdict\":\"maybe\"}", "expected pass, fail or skip" },
	{ "{\"verdict\":\"pass\",\"case\":[]}", "\"case\": JSON: expected a string" },
	{ "{\"verdict\":\"pass\",\"duration_ms\":\"12\"}", "expected a number" },
	{ "{\"verdict\":\"pass\",\"duration_ms\":01}", "expected ',' or '}'" },
	{ "{\"verdict\":\"pass\",\"duration_ms\":1.}", "after the decimal point" },
	{ "{\"verdict\":\"pass\",\"duration_ms\":1e}", "exponent" },
	{ "{\"verdict\":\"pass\",\"duration_ms\":-}", "expected a number" },
	{ "{\"verdict\":\"pass\",\"duration_ms\":+1}", "expected a number" },
	{ "{\"verdict\":\"pass\",\"timings\":{}}", "expected an array" },
	{ "{\"verdict\":\"pass\",\"timings\":[1]}", "expected an object" },
	{ "{\"verdict\":\"pass\",\"timings\":[{\"line\":1.5,\"actual_ms\":1}]}", "expected an integer" },
	{ "{\"verdict\":\"pass\",\"timings\":[{\"line\":1e10,\"actual_ms\":1}]}", "expected an integer" },
	{ "{\"verdict\":\"pass\",\"timings\":[{\"line\":1}]}", "without \"line\" or \"actual_ms\"" },
	{ "{\"verdict\":\"pass\",\"timings\":[{}]}", "without \"line\" or \"actual_ms\"" },
	{ "{\"verdict\":\"pass\",\"timings\":[{\"line\":1,\"actual_ms\":2,\"packet\":5}]}", "expected a string" },
	{ "{\"verdict\":\"pass\",\"timings\":[{\"line\":1,\"actual_ms\":2}", "expected ',' or ']'" },
	{ "{\"verdict\":\"pass\",\"x\":tru}", "expected a value" },
	{ "{\"verdict\":\"pass\"} x", "trailing characters" },
	{ "{\"verdict\":\"pass\"}{}", "trailing characters" },
	{ "{\"case\":\"a\"}", "without \"verdict\"" },
	{ "{}", "without \"verdict\"" },
	{ "{\"verdict\":\"pass\",\"exchange\":{}}", "\"exchange\": expected an array" },
	{ "{\"verdict\":\"pass\",\"exchange\":[1]}", "exchange: expected an object" },
	{ "{\"verdict\":\"pass\",\"exchange\":[{\"line\":1}]}", "step without \"kind\"" },
	{ "{\"verdict\":\"pass\",\"exchange\":[{\"kind\":\"sideways\"}]}", "expected in, out or call" },
	{ "{\"verdict\":\"pass\",\"exchange\":[{\"kind\":\"in\",\"at_ms\":\"x\"}]}", "\"at_ms\"" },
	{ "{\"verdict\":\"pass\",\"exchange\":[{\"kind\":\"in\",\"failed\":0.5}]}", "expected an integer" },
};

START_TEST(json_parse_rejects_malformed_lines_with_a_message)
{
	struct record r = { 0 };
	char *error = NULL;

	ck_assert_msg(json_record_parse(malformed[_i].line, &r, &error) == STATUS_ERROR,
		      "accepted: %s", malformed[_i].line);
	ck_assert_ptr_nonnull(error);
	ck_assert_msg(strstr(error, malformed[_i].error), "%s: message \"%s\" lacks \"%s\"",
		      malformed[_i].line, error, malformed[_i].error);
	/* a failed parse leaves nothing behind in the record */
	ck_assert_ptr_null(r.name);
	ck_assert_ptr_null(r.timings);
	free(error);
}
END_TEST

START_TEST(json_parse_rejects_deep_nesting)
{
	char line[512] = "{\"verdict\":\"pass\",\"x\":";
	struct record r = { 0 };
	char *error = NULL;

	for (int i = 0; i < 100; i++)
		strcat(line, "[");
	strcat(line, "}");
	ck_assert_int_eq(json_record_parse(line, &r, &error), STATUS_ERROR);
	ck_assert_msg(strstr(error, "nested too deeply"), "%s", error);
	free(error);
}
END_TEST

START_TEST(json_parse_rejects_every_truncation_and_survives_corruption)
{
	static const char bytes[] = "\"\\}],:{[\x01x0-\xff";
	struct record in, r = { 0 };
	char *line, *error = NULL;
	size_t len;

	tricky_record(&in);
	line = json_record_line(&in);
	len = strlen(line);
	for (size_t n = 0; n < len; n++) {
		char *cut = strndup(line, n);

		ck_assert_msg(json_record_parse(cut, &r, &error) == STATUS_ERROR,
			      "a line cut at %zu bytes parsed", n);
		ck_assert_ptr_nonnull(error);
		free(cut);
	}
	/* one wrong byte anywhere: an error or a record, never a crash */
	for (size_t n = 0; n < len; n++)
		for (size_t b = 0; b < sizeof(bytes) - 1; b++) {
			char saved = line[n];

			line[n] = bytes[b];
			if (json_record_parse(line, &r, &error) == 0)
				record_clear(&r);
			line[n] = saved;
		}
	free(error);
	free(line);
	record_clear(&in);
}
END_TEST

START_TEST(errors_name_the_byte_or_the_end_of_input)
{
	struct record r = { 0 };
	char *error = NULL;

	ck_assert_int_eq(json_record_parse("{\"verdict\" \"pass\"}", &r, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "JSON: expected ':' at byte 11");
	ck_assert_int_eq(json_record_parse("{\"verdict\":\"pass\",", &r, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "JSON: expected a string at end of input (byte 18)");
	ck_assert_int_eq(json_record_parse("{\"verdict\":\"pass\",\"duration_ms\":x}", &r, &error),
			 STATUS_ERROR);
	ck_assert_str_eq(error, "\"duration_ms\": JSON: expected a number at byte 32");
	ck_assert_int_eq(json_record_parse(NULL, &r, &error), STATUS_ERROR);
	ck_assert_str_eq(error, "JSON: expected '{' at end of input (byte 0)");
	free(error);
}
END_TEST

/* What json_put_number writes, and that each reads back as the same double. */
START_TEST(numbers_are_the_shortest_that_read_back)
{
	static const struct {
		double d;
		const char *text;
	} cases[] = {
		{ 0, "0" }, { 40.1, "40.1" }, { -2.5, "-2.5" }, { 0.0001, "0.0001" },
		{ 1e-5, "1e-05" }, { 1e15, "1e+15" }, { 123456789012345, "123456789012345" },
		{ 1.0 / 3, "0.3333333333333333" }, { INFINITY, "1e999" }, { -INFINITY, "-1e999" },
		{ NAN, "null" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		json_put_number(f, cases[i].d);
		fclose(f);
		ck_assert_str_eq(buf, cases[i].text);
		if (!isnan(cases[i].d))
			ck_assert(strtod(buf, NULL) == cases[i].d);
		free(buf);
	}
}
END_TEST

/* json_object_strings: the wanted members' strings, null as NULL, the rest checked and dropped. */
START_TEST(object_strings_keeps_wanted_members)
{
	static const char *const keys[] = { "kernel", "date", "machine" };
	char *v[3] = { NULL }, *error = NULL;

	ck_assert_msg(json_object_strings(" {\"sysctls\": {\"a\": \"1\", \"b\": null}, \"kernel\": \"6.1\\u00e9\","
					  " \"date\": null, \"n\": [1, true, {}], \"kernel\": \"6.2\"}\n",
					  keys, v, 3, &error) == 0, "%s", error);
	ck_assert_str_eq(v[0], "6.2");		/* a repeated key: the last one */
	ck_assert_ptr_null(v[1]);
	ck_assert_ptr_null(v[2]);
	free(v[0]);
	v[0] = NULL;
	ck_assert_int_eq(json_object_strings("{}", keys, v, 3, &error), 0);
	ck_assert_ptr_null(v[0]);
}
END_TEST

START_TEST(object_strings_refuses_malformed_objects)
{
	static const char *const keys[] = { "kernel" };
	static const char *const bad[][2] = {
		{ "[]", "JSON: expected '{' at byte 0" },
		{ "{\"kernel\": 1}", "\"kernel\": JSON: expected a string at byte 11" },
		{ "{\"kernel\": \"6.1\"} x", "JSON: trailing characters after the object at byte 18" },
		{ "{\"kernel\": \"6.1\", }", "JSON: expected a string at byte 18" },
		{ "{\"x\": tru}", "JSON: expected a value at byte 6" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *v[1] = { NULL }, *error = NULL;

		ck_assert_int_eq(json_object_strings(bad[i][0], keys, v, 1, &error), STATUS_ERROR);
		ck_assert_str_eq(error, bad[i][1]);
		ck_assert_ptr_null(v[0]);
		free(error);
	}
}
END_TEST

Suite *json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("write");

	tcase_add_test(tc, json_round_trips_every_byte_and_number);
	tcase_add_test(tc, json_keys_in_the_documented_order_and_numbers_short);
	tcase_add_test(tc, json_null_strings_are_written_empty);
	tcase_add_test(tc, json_exchange_is_optional_and_told_apart_from_empty);
	tcase_add_test(tc, json_step_keys_in_the_documented_order);
	tcase_add_test(tc, numbers_are_the_shortest_that_read_back);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse");
	/* every cut and every corruption of a long line: seconds under ASan (make asan) */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, json_parse_accepts_escapes_spacing_order_and_unknown_keys);
	tcase_add_loop_test(tc, json_parse_rejects_malformed_lines_with_a_message, 0,
			    sizeof(malformed) / sizeof(malformed[0]));
	tcase_add_test(tc, json_parse_rejects_deep_nesting);
	tcase_add_test(tc, json_parse_rejects_every_truncation_and_survives_corruption);
	tcase_add_test(tc, errors_name_the_byte_or_the_end_of_input);
	tcase_add_test(tc, object_strings_keeps_wanted_members);
	tcase_add_test(tc, object_strings_refuses_malformed_objects);
	suite_add_tcase(s, tc);
	return s;
}
