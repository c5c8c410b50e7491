/*
 * fuzz_json.c - libFuzzer target for the JSON record reader, which reads
 * results.jsonl files from other machines.
 *
 * Besides "no crash, no leak, no out-of-bounds read", it checks that a
 * parse either gives a record with every string set and no message, or a
 * message and nothing else; and that what parses survives the round trip:
 * written again and parsed again, it writes the same line.
 *
 * Build and run (see the Makefile's fuzz target):
 *   clang -g -O1 -std=gnu11 -D_GNU_SOURCE -Ilib -Iharness -fsanitize=fuzzer,address,undefined \
 *     -o tests/fuzz_json tests/fuzz_json.c harness/json.c harness/record.c lib/error.c
 *   ./tests/fuzz_json -max_total_time=60 build/corpus/json
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "json.h"

static void check(bool ok)
{
	if (!ok)
		__builtin_trap();
}

/* Written, parsed and written again: the same line. */
static void check_round_trip(const struct record *r)
{
	struct record again = { 0 };
	char *line = json_record_line(r), *line2, *error = NULL;

	if (!line)
		return;		/* out of memory */
	check(json_record_parse(line, &again, &error) == STATUS_OK && !error);
	line2 = json_record_line(&again);
	check(!line2 || !strcmp(line, line2));
	free(line);
	free(line2);
	record_clear(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a line is a C string: a NUL byte in the input ends it early */
	char *line = malloc(size + 1), *error = NULL;
	struct record r = { 0 };

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	if (json_record_parse(line, &r, &error) == STATUS_OK) {
		check(!error && r.name && r.path && r.ip && r.message && r.kernel);
		check(r.ntimings == 0 || r.timings);
		check_round_trip(&r);
		record_clear(&r);
	} else {
		check(error && (strstr(error, "JSON") || !strcmp(error, "out of memory")));
		check(!r.name && !r.timings);
	}
	free(error);
	free(line);
	return 0;
}
