/*
 * fuzz_script.c - libFuzzer target for the script parser.
 *
 * Besides "no crash, no leak, no out-of-bounds read" (the input is copied
 * to a buffer of exactly its size, with no NUL after it), it checks that
 * the parser either returns a script and no message, or no script and a
 * message of the form "name:line:column: ...", and traps otherwise.
 *
 * Build and run (see the Makefile's fuzz target):
 *   clang -g -O1 -std=gnu11 -D_GNU_SOURCE -Ilib -fsanitize=fuzzer,address,undefined \
 *     -o tests/fuzz_script tests/fuzz_script.c lib/script.c lib/symbol.c lib/error.c
 *   ./tests/fuzz_script -max_total_time=60 build/corpus/script
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "script.h"

static void check(bool ok)
{
	if (!ok)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1), *error = NULL;
	struct script *s = NULL;
	int rc;

	if (!text)
		return 0;
	memcpy(text, data, size);
	rc = script_parse("fuzz", text, size, &s, &error);
	if (rc == STATUS_OK) {
		check(s != NULL && error == NULL);
		for (size_t i = 0; i < script_event_count(s); i++)
			check(script_event(s, i)->line >= 1);
		script_free(s);
	} else {
		check(rc == STATUS_ERROR && s == NULL && error != NULL);
		check(!strncmp(error, "fuzz:", 5));
		free(error);
	}
	free(text);
	return 0;
}
