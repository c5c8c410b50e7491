/*
 * fuzz_command.c - libFuzzer target for the sysctl command parser
 * (harness/command.c), with a set callback that sets nothing.
 *
 * Besides "no crash, no leak, no out-of-bounds read", it traps when a
 * setting handed on is not "net.NAME" with a non-empty value, or when the
 * status and the message disagree (0 and none, or a failure and one).
 *
 * Build and run (see the Makefile's fuzz target):
 *   make tests/fuzz_command && ./tests/fuzz_command -max_total_time=60 build/corpus/command
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "error.h"

static void check(bool ok)
{
	if (!ok)
		__builtin_trap();
}

static int set_nothing(const char *name, const char *value, void *arg, char **error)
{
	(void)arg, (void)error;
	check(!strncmp(name, "net.", 4) && !strchr(name, '='));
	check(value[0] != '\0');
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the text between backticks is a C string: a NUL ends it early */
	char *text = malloc(size + 1), *error = NULL;
	int rc;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	rc = command_sysctl(text, set_nothing, NULL, &error);
	if (rc == 0)
		check(!error);
	else
		check((rc == STATUS_ERROR || rc == STATUS_SKIP) && error);
	free(error);
	free(text);
	return 0;
}
